/*
 * layout.c — the layout driver: turns each statement into a vertical list
 * (title block, paragraphs, signatory tables, footnotes), breaks it into
 * pages, adds running headers, folios, the contents and the outline.
 */
#include "layout/device.h"
#include "layout/driver.h"

#include <linebreak.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- helpers */

pub_status lay_vl_push(vlist *l, vel **e)
{
    void *v = l->v;
    pub_status s = pub_array_grow(&v, l->n, &l->cap, sizeof *l->v, 256);
    l->v = v;
    if (s != PUB_OK)
        return s;
    *e = &l->v[l->n++];
    memset(*e, 0, sizeof **e);
    return PUB_OK;
}

/* Makes room for extra more boxes: a in the arena (a statement's
 * elements: what is outgrown stays until the scratch arena is emptied), or
 * with realloc when a is NULL (pages: owned by the layout). */
static pub_status box_reserve(pub_arena *a, pub_box **v, size_t *n,
                              size_t *cap, size_t extra)
{
    size_t need;
    if (!pub_add_ok(*n, extra, &need))
        return pub_error(PUB_ERR_NOMEM);
    if (need <= *cap)
        return PUB_OK;
    size_t c = *cap ? *cap * 2 : (a ? 4 : 64), bytes;
    if (c < need)
        c = need;
    if (!pub_mul_ok(c, sizeof **v, &bytes))
        return pub_error(PUB_ERR_NOMEM);
    pub_box *nv;
    if (a != NULL) {
        nv = pub_arena_alloc(a, bytes);
        if (nv != NULL && *n)
            memcpy(nv, *v, *n * sizeof *nv);
    } else {
        nv = realloc(*v, bytes);
    }
    if (nv == NULL)
        return pub_error(PUB_ERR_NOMEM);
    *v = nv;
    *cap = c;
    return PUB_OK;
}

/* Appends count boxes moved by (dx, dy). */
static pub_status box_push_moved(pub_arena *a, pub_box **v, size_t *n,
                                 size_t *cap, const pub_box *src, size_t count,
                                 double dx, double dy)
{
    pub_status s = box_reserve(a, v, n, cap, count);
    if (s != PUB_OK)
        return s;
    for (size_t i = 0; i < count; i++) {
        pub_box *b = &(*v)[(*n)++];
        *b = src[i];
        b->x += dx;
        b->y += dy;
    }
    return PUB_OK;
}

pub_status lay_el_box(driver *D, vel *e, const pub_box *b)
{
    return box_push_moved(D->L.scratch, &e->boxes, &e->n_boxes, &e->cap_boxes,
                          b, 1, 0, 0);
}

/* Copies a set line into element e with its baseline at y (up from top). */
pub_status lay_el_line(driver *D, vel *e, const lay_line *ln, double x,
                          double baseline)
{
    return box_push_moved(D->L.scratch, &e->boxes, &e->n_boxes, &e->cap_boxes,
                          ln->boxes, ln->n_boxes, x, baseline);
}

/* Empties the scratch arena: the last statement is on its pages. */
static void scratch_reset(driver *D)
{
    pub_arena_reset(D->L.scratch);
}

static void pages_free(pub_page *p, size_t n)
{
    for (size_t i = 0; p != NULL && i < n; i++)
        free(p[i].boxes);
}

char *lay_plain(driver *D, const pub_node *n)
{
    size_t len = 0;
    char *t = pub_node_plain_text(n, &len);
    if (t == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n')
            t[i] = ' ';
    char *r = pub_arena_strndup(D->L.arena, t, len);
    free(t);
    return r;
}


pub_status lay_outline_add(driver *D, const char *title, int level,
                              const char *dest)
{
    outline_list *o = D->ol;
    void *v = o->v;
    pub_status s = pub_arena_array_grow(D->L.arena, &v, o->n, &o->cap, sizeof *o->v, 32);
    o->v = v;
    if (s != PUB_OK)
        return s;
    pub_outline_entry *x = &o->v[o->n++];
    x->title = title;
    x->level = level;
    x->page = -1; /* resolved from the destination after pagination */
    x->dest = dest;
    return PUB_OK;
}

pub_status lay_add_dest(driver *D, vel *e, const char *name)
{
    pub_box b = {.kind = PUB_BOX_DEST, .x = 0, .y = 0, .dest = name};
    return lay_el_box(D, e, &b);
}

/* ------------------------------------------------------ text blocks */


/* Sets a block (or string) and appends its lines as elements. Keeps: no
 * single line at the top or bottom of a page; keep_first binds the first
 * line to what precedes it. Returns the index of the first element. */
static pub_status add_lines(driver *D, const lay_para *p, const block_look *k,
                            const pub_node *block, unsigned first_flags,
                            int keep_all, size_t *first)
{
    pub_status status = PUB_OK;
    double asc = lay_ascent(&D->L, k->font, k->size);
    double base = asc + (k->leading - k->size * 1.2) / 2 + k->size * 0.1;
    *first = D->vl.n;
    for (size_t i = 0; i < p->n_lines; i++) {
        vel *e = NULL;
        CHECK(lay_vl_push(&D->vl, &e));
        e->pg.height = k->leading;
        e->pg.space_before = i == 0 ? k->space_before : 0;
        e->stmt = D->L.stmt;
        e->block = block;
        e->off = p->lines[i].off;
        if (i == 0)
            e->pg.flags |= first_flags;
        else if (keep_all || i == 1 || i + 1 == p->n_lines)
            e->pg.flags |= PG_KEEP_WITH_PREV;
        CHECK(lay_el_line(D, e, &p->lines[i], k->left, -base));
        /* footnotes first referenced on this line */
        for (size_t q = 0; q < p->lines[i].n_notes; q++) {
            const pub_node *ref = p->lines[i].notes[q];
            for (size_t m = 0; m < D->n_notes; m++) {
                note_set *ns = &D->notes[m];
                const char *a = ns->fn->as.note.label, *b = ref->as.note.label;
                if (ns->used || a == NULL || b == NULL || strcmp(a, b) != 0)
                    continue;
                ns->used = 1;
                const pub_node **nv = pub_arena_alloc_array(
                    D->L.scratch, e->n_notes + 1, sizeof *nv);
                CHECK_ALLOC(nv);
                if (e->n_notes)
                    memcpy(nv, e->notes, e->n_notes * sizeof *nv);
                nv[e->n_notes++] = ns->fn;
                e->notes = nv;
                e->pg.notes_height += ns->height;
                break;
            }
        }
    }
fail:
    return status;
}

static pub_status set_block(driver *D, const pub_node *block,
                            const block_look *k, unsigned first_flags,
                            int keep_all, size_t *first)
{
    pub_status status = PUB_OK;
    lay_para p;
    lay_para_opts o = {.font = k->font, .size = k->size,
                       .width = k->width > 0 ? k->width : D->measure - k->left,
                       .indent = k->indent, .align = k->align,
                       .hyphenate = k->hyphenate, .lang = D->lang,
                       .gray = k->gray};
    CHECK(lay_paragraph(&D->L, block, &o, &p));
    CHECK(add_lines(D, &p, k, block, first_flags, keep_all, first));
fail:
    return status;
}

pub_status lay_set_string(driver *D, const char *s, int line,
                             const block_look *k, unsigned first_flags,
                             int keep_all, size_t *first)
{
    pub_status status = PUB_OK;
    lay_para p;
    lay_para_opts o = {.font = k->font, .size = k->size,
                       .width = k->width > 0 ? k->width : D->measure - k->left,
                       .indent = k->indent, .align = k->align,
                       .hyphenate = k->hyphenate, .lang = D->lang,
                       .gray = k->gray};
    CHECK(lay_string(&D->L, s, strlen(s), line, &o, &p));
    CHECK(add_lines(D, &p, k, NULL, first_flags, keep_all, first));
fail:
    return status;
}

pub_status lay_add_rule(driver *D, vel *e, double x, double y, double w,
                           double h, double gray)
{
    pub_box b = {.kind = PUB_BOX_RULE, .x = x, .y = y, .w = w, .h = h,
                 .gray = gray};
    return lay_el_box(D, e, &b);
}

/* ------------------------------------------------------------ notes */

static pub_status prepare_notes(driver *D, const pub_node *stmt)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    D->n_notes = 0;
    D->notes = NULL;
    size_t count = 0;
    for (const pub_node *b = stmt->first_child; b; b = b->next)
        if (b->type == PUB_NODE_NOTES)
            for (const pub_node *f = b->first_child; f; f = f->next)
                if (f->type == PUB_NODE_FOOTNOTE)
                    count++;
    if (count == 0)
        return PUB_OK;
    D->notes = pub_arena_alloc_array(D->L.scratch, count, sizeof *D->notes);
    CHECK_ALLOC(D->notes);
    double lead = s->note_size * 1.25, indent = s->note_size * 1.8;
    for (const pub_node *b = stmt->first_child; b; b = b->next) {
        if (b->type != PUB_NODE_NOTES)
            continue;
        const pub_node *heading = NULL; /* "Notes": set above the next note */
        for (const pub_node *f = b->first_child; f; f = f->next) {
            if (f->type == PUB_NODE_HEADING)
                heading = f;
            if (f->type != PUB_NODE_FOOTNOTE)
                continue;
            note_set *ns = &D->notes[D->n_notes++];
            ns->fn = f;
            lay_para p, hp = {0};
            lay_para_opts o = {.font = PUB_FONT_REGULAR, .size = s->note_size,
                               .width = D->measure - indent,
                               .align = LAY_JUSTIFY, .hyphenate = 1,
                               .lang = D->lang};
            if (heading != NULL) {
                lay_para_opts ho = {.font = PUB_FONT_ITALIC, .size = s->note_size,
                                    .width = D->measure, .align = LAY_LEFT,
                                    .lang = D->lang};
                CHECK(lay_paragraph(&D->L, heading, &ho, &hp));
                heading = NULL;
            }
            CHECK(lay_paragraph(&D->L, f, &o, &p));
            ns->n_els = hp.n_lines + p.n_lines;
            ns->els = pub_arena_alloc_array(D->L.scratch, ns->n_els ? ns->n_els : 1,
                                            sizeof *ns->els);
            CHECK_ALLOC(ns->els);
            double asc = lay_ascent(&D->L, PUB_FONT_REGULAR, s->note_size);
            for (size_t i = 0; i < hp.n_lines; i++) {
                /* the heading travels with the first note, wherever it goes;
                 * its lines count as the note's for page starts */
                vel *e = &ns->els[i];
                e->pg.height = lead;
                e->block = f;
                e->off = 0;
                CHECK(lay_el_line(D, e, &hp.lines[i], 0,
                                  -lay_ascent(&D->L, PUB_FONT_ITALIC, s->note_size)));
                ns->height += lead;
            }
            for (size_t i = 0; i < p.n_lines; i++) {
                vel *e = &ns->els[hp.n_lines + i];
                e->pg.height = lead;
                e->block = f;
                e->off = p.lines[i].off;
                CHECK(lay_el_line(D, e, &p.lines[i], indent, -asc));
                if (i == 0) {
                    const char *label = f->as.note.label ? f->as.note.label : "";
                    pub_box lb = {.kind = PUB_BOX_GLYPHS, .x = 0, .y = -asc,
                                  .font = PUB_FONT_REGULAR, .size = s->note_size,
                                  .text = label, .len = strlen(label)};
                    lb.w = lay_text_width(&D->L.fonts, lb.font, lb.size, label,
                                          lb.len);
                    lb.h = s->note_size;
                    CHECK(lay_el_box(D, e, &lb));
                    const pub_node *st = D->L.stmt;
                    pub_box dest = {.kind = PUB_BOX_DEST, .x = 0, .y = 0};
                    dest.dest = pub_arena_printf(D->L.arena, "fn-%d-%s",
                                                 st->as.statement.order, label);
                    pub_box link = {.kind = PUB_BOX_LINK, .x = -1,
                                    .y = -asc - 2, .w = lb.w + 2,
                                    .h = s->note_size + 2};
                    link.dest = pub_arena_printf(D->L.arena, "fnref-%d-%s",
                                                 st->as.statement.order, label);
                    CHECK_ALLOC(dest.dest);
                    CHECK_ALLOC(link.dest);
                    CHECK(lay_el_box(D, e, &dest));
                    CHECK(lay_el_box(D, e, &link));
                }
                ns->height += lead;
            }
            ns->height += 2;
        }
    }
fail:
    return status;
}

/* ----------------------------------------------------------- tables */

typedef struct cell_spec {
    const char *text;   /* may be NULL */
    const char *sub;    /* second paragraph in italic (translation) */
} cell_spec;

enum { MAX_COLS = 4 };

typedef struct table {
    int cols;
    const char *head[MAX_COLS];
    double width[MAX_COLS];
    int align[MAX_COLS];
    size_t header;   /* element index of the header row */
    int id;
} table;


static void row_cells(const pub_node *sg, int on_behalf, int with_country,
                      cell_spec *c)
{
    const pub_signatory *g = &sg->as.signatory;
    memset(c, 0, sizeof(cell_spec) * MAX_COLS);
    if (on_behalf) {
        c[0].text = g->on_behalf_of ? g->on_behalf_of : g->raw;
        c[1].text = g->role;
        c[2].text = NULL;
        return;
    }
    c[0].text = g->number;
    c[1].text = g->abbr;
    if (g->name == NULL && g->abbr == NULL) {
        c[2].text = g->raw;
    } else {
        c[2].text = g->name;
        c[2].sub = g->english;
    }
    if (with_country)
        c[3].text = g->country;
}

static pub_status persons_text(driver *D, const pub_signatory *g,
                               const char **out)
{
    pub_buf b = {0};
    pub_status status = PUB_OK;
    const char *at = g->raw ? g->raw : "";
    for (size_t i = 0; i < g->n_persons; i++) {
        /* the words between two names as written ("and", "&", ","),
         * without the ** markers */
        const char *p = strstr(at, g->persons[i]);
        if (i) {
            char sep[64];
            size_t k = 0;
            for (const char *q = at; p != NULL && q < p && k + 1 < sizeof sep; q++)
                if (*q != '*' && !(*q == ' ' && (k == 0 || sep[k - 1] == ' ')))
                    sep[k++] = *q;
            while (k > 0 && sep[k - 1] == ' ')
                k--;
            sep[k] = '\0';
            if (k == 0 || strcmp(sep, ",") == 0)
                CHECK(pub_buf_puts(&b, ", "));
            else if (sep[0] == ',')
                CHECK(pub_buf_printf(&b, "%s ", sep));
            else
                CHECK(pub_buf_printf(&b, " %s ", sep));
        }
        CHECK(pub_buf_puts(&b, g->persons[i]));
        if (p != NULL)
            at = p + strlen(g->persons[i]);
    }
    *out = b.len ? pub_arena_strndup(D->L.arena, b.data, b.len) : NULL;
fail:
    pub_buf_free(&b);
    return status;
}

static pub_status fit_table(driver *D, const pub_node *sec, table *t)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    int ob = sec->as.section.on_behalf;
    int with_country = 0;
    for (const pub_node *g = sec->first_child; g; g = g->next)
        if (g->type == PUB_NODE_SIGNATORY && g->as.signatory.country)
            with_country = 1;
    if (ob) {
        t->cols = 3;
        t->head[0] = "Organisation";
        t->head[1] = "Function";
        t->head[2] = "Name";
    } else {
        t->cols = with_country ? 4 : 3;
        t->head[0] = "No.";
        t->head[1] = "Abbreviation";
        t->head[2] = "Organisation";
        t->head[3] = "Country";
    }
    double mn[MAX_COLS] = {0}, mx[MAX_COLS] = {0};
    double pad = 2 * s->cell_padding;
    for (int c = 0; c < t->cols; c++) {
        lay_string_extent(&D->L, t->head[c], PUB_FONT_SANS_BOLD,
                          s->table_size * 0.9, &mn[c], &mx[c]);
        t->align[c] = LAY_LEFT;
    }
    if (!ob)
        t->align[0] = LAY_RIGHT;
    for (const pub_node *g = sec->first_child; g; g = g->next) {
        if (g->type != PUB_NODE_SIGNATORY)
            continue;
        cell_spec cs[MAX_COLS];
        row_cells(g, ob, with_country, cs);
        if (ob) {
            CHECK(persons_text(D, &g->as.signatory, &cs[2].text));
            if (cs[0].text) {
                cs[0].text = pub_arena_printf(D->L.arena, "On behalf of %s", cs[0].text);
                CHECK_ALLOC(cs[0].text);
            }
        }
        if (!ob && cs[0].text) {
            cs[0].text = pub_arena_printf(D->L.arena, "%s.", cs[0].text);
            CHECK_ALLOC(cs[0].text);
        }
        for (int c = 0; c < t->cols; c++) {
            for (int k = 0; k < 2; k++) {
                const char *txt = k ? cs[c].sub : cs[c].text;
                if (txt == NULL)
                    continue;
                double a, b;
                lay_string_extent(&D->L, txt,
                                  k ? PUB_FONT_ITALIC : PUB_FONT_REGULAR,
                                  s->table_size, &a, &b);
                if (a > mn[c])
                    mn[c] = a;
                if (b > mx[c])
                    mx[c] = b;
            }
        }
    }
    for (int c = 0; c < t->cols; c++) {
        mn[c] += pad;
        mx[c] += pad;
    }
    /* numbers, abbreviations and countries stay on one line if they can */
    if (!ob) {
        mn[0] = mx[0];
        if (mx[1] < D->measure * 0.22)
            mn[1] = mx[1];
        if (with_country && mx[3] < D->measure * 0.2)
            mn[3] = mx[3];
    }
    tbl_fit_columns(mn, mx, (size_t)t->cols, D->measure, ob ? 0 : 2, t->width);
fail:
    return status;
}

/* One row: cells set ragged, no hyphenation; rule under it. */
static pub_status table_row(driver *D, table *t, const cell_spec *cells,
                            int header, const pub_node *sg, vel **out)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    double pad = s->cell_padding;
    lay_para paras[MAX_COLS][2];
    double height = 0;
    memset(paras, 0, sizeof paras);
    double lead = header ? s->table_leading * 0.95 : s->table_leading;
    for (int c = 0; c < t->cols; c++) {
        double h = 0;
        for (int k = 0; k < 2; k++) {
            const char *txt = k ? cells[c].sub : cells[c].text;
            if (txt == NULL || !*txt)
                continue;
            lay_para_opts o = {.font = header ? PUB_FONT_SANS_BOLD
                                              : k ? PUB_FONT_ITALIC : PUB_FONT_REGULAR,
                               .size = header ? s->table_size * 0.9 : s->table_size,
                               .width = t->width[c] - 2 * pad,
                               .align = t->align[c], .hyphenate = 0,
                               .gray = header ? 0.25 : k ? 0.2 : 0};
            CHECK(lay_string(&D->L, txt, strlen(txt), sg ? sg->line : 0, &o,
                             &paras[c][k]));
            h += paras[c][k].n_lines * lead;
        }
        if (h > height)
            height = h;
    }
    if (height == 0)
        height = lead;
    vel *e = NULL;
    CHECK(lay_vl_push(&D->vl, &e));
    e->pg.height = height + 2 * pad;
    e->pg.table = t->id;
    e->stmt = D->L.stmt;
    e->block = sg;
    e->off = 0;
    double x = 0;
    int font_body = header ? PUB_FONT_SANS_BOLD : PUB_FONT_REGULAR;
    double size = header ? s->table_size * 0.9 : s->table_size;
    double asc = lay_ascent(&D->L, font_body, size);
    for (int c = 0; c < t->cols; c++) {
        double y = -pad - asc - (lead - size * 1.2) / 2 - size * 0.05;
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < paras[c][k].n_lines; i++) {
                CHECK(lay_el_line(D, e, &paras[c][k].lines[i], x + pad, y));
                y -= lead;
            }
        x += t->width[c];
    }
    if (header) {
        CHECK(lay_add_rule(D, e, 0, 0, D->measure, s->table_rule * 2, 0));
        CHECK(lay_add_rule(D, e, 0, -e->pg.height, D->measure, s->table_rule, 0));
    } else {
        CHECK(lay_add_rule(D, e, 0, -e->pg.height, D->measure, s->table_rule * 0.5,
                       0.65));
    }
    *out = e;
fail:
    return status;
}

static pub_status signatory_section(driver *D, const pub_node *sec, int idx)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    const char *heading = sec->as.section.heading;
    if (heading == NULL)
        heading = sec->as.section.on_behalf ? "Signed on behalf of"
                  : sec->as.section.subsequent ? "Subsequent signatories"
                                               : "Signatories";
    block_look hk = {.font = PUB_FONT_SANS_BOLD, .size = s->body_size * 0.95,
                     .leading = s->leading, .align = LAY_LEFT,
                     .space_before = s->leading * (sec->as.section.subsequent ? 1.0 : 1.5)};
    size_t first;
    const char *dest = pub_arena_printf(D->L.arena, "sec-%d-%d",
                                        D->L.stmt->as.statement.order, idx);
    CHECK_ALLOC(dest);
    CHECK(lay_set_string(D, heading, sec->line, &hk, 0, 1, &first));
    CHECK(lay_add_dest(D, &D->vl.v[first], dest));
    CHECK(lay_outline_add(D, heading, 1, dest));
    size_t nrows = 0;
    for (const pub_node *g = sec->first_child; g; g = g->next)
        nrows += g->type == PUB_NODE_SIGNATORY;
    if (nrows == 0)
        return PUB_OK;
    table t = {.id = ++D->table_id};
    CHECK(fit_table(D, sec, &t));
    cell_spec hc[MAX_COLS] = {{0}};
    for (int c = 0; c < t.cols; c++)
        hc[c].text = t.head[c];
    vel *e = NULL;
    CHECK(table_row(D, &t, hc, 1, NULL, &e));
    e->pg.flags |= PG_TABLE_HEADER | PG_KEEP_WITH_PREV;
    e->pg.space_before = s->leading * 0.3;
    t.header = D->vl.n - 1;
    e->pg.header = t.header;
    size_t row = 0;
    int with_country = t.cols == 4;
    const char *prev_org = NULL;
    for (const pub_node *g = sec->first_child; g; g = g->next) {
        if (g->type != PUB_NODE_SIGNATORY)
            continue;
        cell_spec cs[MAX_COLS];
        row_cells(g, sec->as.section.on_behalf, with_country, cs);
        if (sec->as.section.on_behalf) {
            /* the organisation once per group, as the source says it */
            const char *org = g->as.signatory.on_behalf_of;
            if (org && prev_org && strcmp(org, prev_org) == 0)
                cs[0].text = NULL;
            else if (org)
                cs[0].text = pub_arena_printf(D->L.arena, "On behalf of %s", org);
            prev_org = org;
            CHECK(persons_text(D, &g->as.signatory, &cs[2].text));
            if (cs[2].text == NULL)
                cs[2].text = "\xE2\x80\x94";
        }
        if (!sec->as.section.on_behalf && cs[0].text && cs[0].text[0]) {
            cs[0].text = pub_arena_printf(D->L.arena, "%s.", cs[0].text);
            CHECK_ALLOC(cs[0].text);
        }
        CHECK(table_row(D, &t, cs, 0, g, &e));
        e->pg.header = t.header;
        {
            /* the index links here */
            const char *sd = lay_sig_dest(D, g);
            CHECK_ALLOC(sd);
            CHECK(lay_add_dest(D, e, sd));
        }
        /* the heading keeps the header and two rows; the last row is not
         * left alone */
        if (row < 2 || (row + 1 == nrows && nrows > 3))
            e->pg.flags |= PG_KEEP_WITH_PREV;
        if (e->pg.height > D->body_h * 0.9)
            pub_diag(D->L.ctx, PUB_WARNING, D->L.stmt->as.statement.source,
                     g->line, "signatory entry is taller than a page");
        row++;
    }
    /* closing rule */
    CHECK(lay_add_rule(D, &D->vl.v[D->vl.n - 1], 0, -D->vl.v[D->vl.n - 1].pg.height,
                   D->measure, s->table_rule * 2, 0));
fail:
    return status;
}

/* -------------------------------------------------------- statements */

static pub_status statement(driver *D, const pub_node *stmt)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    D->L.stmt = stmt;
    lay_warned_reset(&D->L);
    D->lang = stmt->as.statement.language ? stmt->as.statement.language
                                          : s->language;
    CHECK(prepare_notes(D, stmt));
    size_t stmt_first = D->vl.n;
    size_t first;
    const char *dest = pub_arena_printf(D->L.arena, "st-%d",
                                        stmt->as.statement.order);
    CHECK_ALLOC(dest);
    const pub_node *title = pub_statement_find(stmt, PUB_NODE_TITLE);
    const char *title_text = title ? lay_plain(D, title) : lay_stmt_title(D, stmt);
    CHECK(lay_outline_add(D, title_text ? title_text : "Statement", 0, dest));

    int in_head = 1, prev_para = 0, n_sec = 0;
    unsigned next_flags = 0;
    const pub_node *prev_type_node = NULL;
    for (const pub_node *b = stmt->first_child; b; b = b->next) {
        block_look k = {.font = PUB_FONT_REGULAR, .size = s->body_size,
                        .leading = s->leading, .align = LAY_JUSTIFY,
                        .hyphenate = 1};
        int keep_all = 0, is_head = 0;
        unsigned flags = next_flags;
        next_flags = 0;
        switch (b->type) {
        case PUB_NODE_LETTERHEAD:
            k.font = PUB_FONT_SANS;
            k.size = s->small_size;
            k.leading = s->small_size * 1.35;
            k.align = LAY_CENTER;
            k.hyphenate = 0;
            k.gray = 0.2;
            is_head = 1;
            break;
        case PUB_NODE_KICKER:
            k.font = PUB_FONT_SANS_BOLD;
            k.size = s->small_size;
            k.leading = s->small_size * 1.4;
            k.align = LAY_LEFT;
            k.hyphenate = 0;
            k.gray = 0.3;
            k.space_before = prev_type_node ? s->leading : 0;
            is_head = 1;
            break;
        case PUB_NODE_TITLE:
            k.font = PUB_FONT_BOLD;
            k.size = s->title_size;
            k.leading = s->title_size * 1.22;
            k.align = LAY_LEFT;
            k.hyphenate = 0;
            k.space_before = prev_type_node &&
                                     prev_type_node->type != PUB_NODE_KICKER
                                 ? s->leading * 1.5 : s->leading * 0.2;
            is_head = 1;
            break;
        case PUB_NODE_SUBTITLE:
            k.font = PUB_FONT_ITALIC;
            k.size = s->subtitle_size;
            k.leading = s->subtitle_size * 1.3;
            k.align = LAY_LEFT;
            k.hyphenate = 0;
            k.space_before = s->leading * 0.4;
            is_head = 1;
            break;
        case PUB_NODE_BYLINE:
        case PUB_NODE_DATELINE:
            k.font = PUB_FONT_ITALIC;
            k.size = s->small_size * 1.05;
            k.leading = s->small_size * 1.45;
            k.align = LAY_LEFT;
            k.hyphenate = 0;
            k.gray = 0.25;
            k.space_before = s->leading * 0.6;
            is_head = 1;
            break;
        case PUB_NODE_SALUTATION:
            k.align = LAY_LEFT;
            k.space_before = s->leading;
            break;
        case PUB_NODE_PARAGRAPH:
            k.indent = prev_para ? s->parindent : 0;
            k.space_before = prev_para ? s->parskip : s->leading * 0.5;
            break;
        case PUB_NODE_HEADING:
            k.font = PUB_FONT_BOLD;
            k.size = s->heading_size;
            k.leading = s->heading_size * 1.3;
            k.align = LAY_LEFT;
            k.hyphenate = 0;
            k.space_before = s->leading * 1.2;
            keep_all = 1;
            break;
        case PUB_NODE_SLOGAN:
            k.font = PUB_FONT_BOLD;
            k.align = LAY_CENTER;
            k.hyphenate = 0;
            k.space_before = prev_type_node && prev_type_node->type == PUB_NODE_SLOGAN
                                 ? s->leading * 0.15 : s->leading * 0.8;
            break;
        case PUB_NODE_CLOSING:
        case PUB_NODE_SIGNOFF:
            k.align = LAY_LEFT;
            k.hyphenate = 0;
            k.space_before = s->leading;
            break;
        default:
            break;
        }
        if (in_head && !is_head && b->type != PUB_NODE_NONE) {
            /* close the title block with a rule */
            in_head = 0;
            if (D->vl.n > stmt_first) {
                vel *last = &D->vl.v[D->vl.n - 1];
                CHECK(lay_add_rule(D, last, 0, -last->pg.height - s->leading * 0.6,
                               D->measure * 0.25, 0.6, 0.2));
                last->pg.height += s->leading * 0.6;
            }
            k.space_before += s->leading * 0.9;
            flags |= PG_KEEP_WITH_PREV;
        }
        if (is_head)
            keep_all = 1;
        switch (b->type) {
        case PUB_NODE_LETTERHEAD: case PUB_NODE_KICKER: case PUB_NODE_TITLE:
        case PUB_NODE_SUBTITLE: case PUB_NODE_BYLINE: case PUB_NODE_DATELINE:
        case PUB_NODE_SALUTATION: case PUB_NODE_PARAGRAPH: case PUB_NODE_HEADING:
        case PUB_NODE_SLOGAN: case PUB_NODE_CLOSING: case PUB_NODE_SIGNOFF: {
            if (is_head && D->vl.n > stmt_first)
                flags |= PG_KEEP_WITH_PREV;
            size_t before = D->vl.n;
            CHECK(set_block(D, b, &k, flags, keep_all, &first));
            if (D->vl.n == before) {
                /* empty block: keep its place for the page start */
                break;
            }
            if (b->type == PUB_NODE_HEADING) {
                const char *hd = pub_arena_printf(D->L.arena, "sec-%d-%d",
                                                  stmt->as.statement.order, n_sec++);
                CHECK_ALLOC(hd);
                CHECK(lay_add_dest(D, &D->vl.v[first], hd));
                CHECK(lay_outline_add(D, lay_plain(D, b), 1, hd));
                next_flags = PG_KEEP_WITH_PREV;
            }
            prev_para = b->type == PUB_NODE_PARAGRAPH;
            break;
        }
        case PUB_NODE_LIST: {
            for (const pub_node *it = b->first_child; it; it = it->next) {
                if (it->type != PUB_NODE_LIST_ITEM)
                    continue;
                block_look lk = k;
                lk.left = s->parindent * 1.8;
                lk.space_before = it == b->first_child ? s->leading * 0.4
                                                       : s->leading * 0.15;
                CHECK(set_block(D, it, &lk, flags, 0, &first));
                flags = 0;
                if (D->vl.n > first && it->as.item.marker) {
                    const char *m = it->as.item.marker;
                    double w = lay_text_width(&D->L.fonts, PUB_FONT_REGULAR,
                                              k.size, m, strlen(m));
                    double asc = lay_ascent(&D->L, PUB_FONT_REGULAR, k.size);
                    double base = asc + (k.leading - k.size * 1.2) / 2 + k.size * 0.1;
                    pub_box mb = {.kind = PUB_BOX_GLYPHS, .x = lk.left - w - 5,
                                  .y = -base, .font = PUB_FONT_REGULAR,
                                  .size = k.size, .text = m, .len = strlen(m),
                                  .w = w, .h = k.size};
                    CHECK(lay_el_box(D, &D->vl.v[first], &mb));
                }
            }
            prev_para = 0;
            break;
        }
        case PUB_NODE_SIGNATORY_SECTION:
            CHECK(signatory_section(D, b, n_sec++));
            prev_para = 0;
            break;
        default:
            break;
        }
        prev_type_node = b;
    }
    /* footnotes never referenced are set at the end as notes */
    for (size_t m = 0; m < D->n_notes; m++) {
        note_set *ns = &D->notes[m];
        if (ns->used)
            continue;
        for (size_t i = 0; i < ns->n_els; i++) {
            vel *e = NULL;
            CHECK(lay_vl_push(&D->vl, &e));
            *e = ns->els[i];
            e->stmt = stmt;
            e->pg.space_before = i == 0 ? s->leading * 0.5 : 0;
            if (i > 0)
                e->pg.flags |= PG_KEEP_WITH_PREV;
        }
    }
    if (D->vl.n == stmt_first) {
        block_look k = {.font = PUB_FONT_BOLD, .size = s->title_size,
                        .leading = s->title_size * 1.25, .align = LAY_LEFT};
        CHECK(lay_set_string(D, title_text ? title_text : "", stmt->line, &k, 0, 1,
                         &first));
    }
    D->vl.v[stmt_first].pg.flags |= PG_NEW_PAGE;
    D->vl.v[stmt_first].pg.flags &= ~(unsigned)PG_KEEP_WITH_PREV;
    CHECK(lay_add_dest(D, &D->vl.v[stmt_first], dest));
fail:
    return status;
}

/* ------------------------------------------------------------ pages */

pub_status lay_page_box(pub_layout *o, pub_page *p, const pub_box *b)
{
    (void)o;
    return box_push_moved(NULL, &p->boxes, &p->n_boxes, &p->cap_boxes, b, 1, 0,
                          0);
}

static pub_status place(pub_layout *o, pub_page *p, const vel *e, double x,
                        double top)
{
    (void)o;
    return box_push_moved(NULL, &p->boxes, &p->n_boxes, &p->cap_boxes,
                          e->boxes, e->n_boxes, x, top);
}

static double left_edge(const pub_style *s, int recto)
{
    if (s->duplex && !recto)
        return s->margin_outer;
    return s->margin_inner;
}

pub_status lay_text_box(driver *D, pub_page *p, const char *text, int font,
                           double size, double x, double y, int align,
                           double gray)
{
    pub_box b = {.kind = PUB_BOX_GLYPHS, .font = font, .size = size,
                 .gray = gray, .text = text, .len = strlen(text), .h = size};
    b.w = lay_text_width(&D->L.fonts, font, size, text, b.len);
    b.x = align == LAY_CENTER ? x - b.w / 2 : align == LAY_RIGHT ? x - b.w : x;
    b.y = y;
    return lay_page_box(D->out, p, &b);
}

/* Shortens a title to width with an ellipsis, at a word boundary. */
const char *lay_fit_title(driver *D, const char *t, int font, double size,
                             double width)
{
    if (t == NULL)
        return "";
    size_t n = strlen(t);
    if (lay_text_width(&D->L.fonts, font, size, t, n) <= width)
        return t;
    double ell = lay_text_width(&D->L.fonts, font, size, "\xE2\x80\xA6", 3);
    size_t cut = n;
    while (cut > 0) {
        while (cut > 0 && t[cut - 1] != ' ')
            cut--;
        while (cut > 0 && t[cut - 1] == ' ')
            cut--;
        if (lay_text_width(&D->L.fonts, font, size, t, cut) + ell <= width)
            break;
    }
    if (cut == 0) {
        cut = n;
        while (cut > 0 && lay_text_width(&D->L.fonts, font, size, t, cut) + ell > width)
            do
                cut--;
            while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80);
    }
    while (cut > 0 && strchr(",;:-–", t[cut - 1]))
        cut--;
    return pub_arena_printf(D->L.arena, "%.*s\xE2\x80\xA6", (int)cut, t);
}

static pub_status new_page(driver *D, pub_page **v, size_t *n, size_t *cap,
                           pub_page **out)
{
    void *nv = *v;
    pub_status s = pub_arena_array_grow(D->L.arena, &nv, *n, cap, sizeof **v, 32);
    *v = nv;
    if (s != PUB_OK)
        return s;
    *out = &(*v)[(*n)++];
    memset(*out, 0, sizeof **out);
    (*out)->number = (int)*n;
    return PUB_OK;
}

static pub_status sig_note(driver *D, const pub_node *sg, size_t page)
{
    void *v = D->sigs;
    pub_status s = pub_array_grow(&v, D->n_sigs, &D->cap_sigs, sizeof *D->sigs, 256);
    D->sigs = v;
    if (s != PUB_OK)
        return s;
    D->sigs[D->n_sigs++] = (sig_page){sg, page};
    D->sigs_sorted = 0;
    return PUB_OK;
}

const char *lay_sig_dest(driver *D, const pub_node *sg)
{
    const pub_node *st = pub_node_statement(sg);
    return pub_arena_printf(D->L.arena, "sg-%d-%d",
                            st ? st->as.statement.order : 0, sg->line);
}

static int cmp_sig_page(const void *a, const void *b)
{
    const sig_page *x = a, *y = b;
    uintptr_t p = (uintptr_t)x->sg, q = (uintptr_t)y->sg;
    if (p != q)
        return (p > q) - (p < q);
    return (x->page > y->page) - (x->page < y->page);
}

void lay_sigs_sort(driver *D)
{
    if (D->n_sigs > 1)
        qsort(D->sigs, D->n_sigs, sizeof *D->sigs, cmp_sig_page);
    D->sigs_sorted = 1;
}

/* The body page a signature row was set on (its first, when a row was
 * split): a binary search once lay_sigs_sort has run, else a scan of the
 * records, which are in page order. */
size_t lay_sig_page(const driver *D, const pub_node *sg)
{
    if (!D->sigs_sorted) {
        for (size_t i = 0; i < D->n_sigs; i++)
            if (D->sigs[i].sg == sg)
                return D->sigs[i].page;
        return (size_t)-1;
    }
    size_t lo = 0, hi = D->n_sigs;
    while (lo < hi) { /* the first record of sg */
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)D->sigs[mid].sg < (uintptr_t)sg)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < D->n_sigs && D->sigs[lo].sg == sg ? D->sigs[lo].page : (size_t)-1;
}

typedef struct assembled {
    pub_page *pages;
    size_t n, cap;
} assembled;

/* Plays the paginated list onto pages: body, repeated table headers,
 * footnotes at the foot. stmt_pages receives each statement's first page. */
static pub_status assemble(driver *D, const vlist *vl, const pg_page *pg,
                           size_t n_pg, int front, assembled *A)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    double top = s->page_height - s->margin_top;
    for (size_t k = 0; k < n_pg; k++) {
        const vel *fe = &vl->v[pg[k].first];
        int stmt_start = (fe->pg.flags & PG_NEW_PAGE) != 0;
        if (s->duplex && stmt_start && !front && (A->n % 2) == 1) {
            pub_page *blank;
            CHECK(new_page(D, &A->pages, &A->n, &A->cap, &blank));
            blank->statement = fe->stmt;
            blank->front_matter = front;
        }
        pub_page *p;
        CHECK(new_page(D, &A->pages, &A->n, &A->cap, &p));
        p->front_matter = front;
        p->statement = fe->stmt;
        int recto = (A->n % 2) == 1;
        double x = left_edge(s, recto);
        double y = top;
        if (pg[k].repeat_header) {
            CHECK(place(D->out, p, &vl->v[pg[k].header], x, y));
            y -= vl->v[pg[k].header].pg.height;
        }
        double notes_h = 0;
        for (size_t i = pg[k].first; i < pg[k].end; i++) {
            const vel *e = &vl->v[i];
            if (i > pg[k].first)
                y -= e->pg.space_before;
            if (p->start.block == NULL && e->block != NULL) {
                p->start.block = e->block;
                p->start.offset = e->off;
            }
            CHECK(place(D->out, p, e, x, y));
            if (!front && e->block && e->block->type == PUB_NODE_SIGNATORY)
                CHECK(sig_note(D, e->block, A->n - 1));
            y -= e->pg.height;
            for (size_t q = 0; q < e->n_notes; q++)
                for (size_t m = 0; m < D->n_notes; m++)
                    if (D->notes[m].fn == e->notes[q])
                        notes_h += D->notes[m].height;
        }
        if (notes_h > 0) {
            double ny = s->margin_bottom + notes_h + 4;
            pub_box rule = {.kind = PUB_BOX_RULE, .x = x, .y = ny,
                            .w = D->measure * 0.3, .h = 0.4, .gray = 0.3};
            CHECK(lay_page_box(D->out, p, &rule));
            ny -= 4;
            for (size_t i = pg[k].first; i < pg[k].end; i++) {
                const vel *e = &vl->v[i];
                for (size_t q = 0; q < e->n_notes; q++)
                    for (size_t m = 0; m < D->n_notes; m++) {
                        note_set *ns = &D->notes[m];
                        if (ns->fn != e->notes[q])
                            continue;
                        for (size_t l = 0; l < ns->n_els; l++) {
                            CHECK(place(D->out, p, &ns->els[l], x, ny));
                            ny -= ns->els[l].pg.height;
                        }
                        ny -= 2;
                    }
            }
        }
    }
fail:
    return status;
}

static const char *roman(pub_arena *a, int n)
{
    static const struct { int v; const char *s; } r[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
        {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"},
        {4, "iv"}, {1, "i"}};
    char buf[64];
    size_t len = 0;
    for (size_t i = 0; i < sizeof r / sizeof r[0] && len < 50; i++)
        while (n >= r[i].v && len < 50) {
            size_t k = strlen(r[i].s);
            memcpy(buf + len, r[i].s, k);
            len += k;
            n -= r[i].v;
        }
    buf[len] = '\0';
    return pub_arena_strdup(a, buf);
}

static const char *footer_text(driver *D, int page, int pages)
{
    const char *f = D->L.style->footer_format;
    pub_buf b = {0};
    char num[32];
    const char *r = NULL;
    for (const char *p = f; *p; p++) {
        pub_status st = PUB_OK;
        if (strncmp(p, "{page}", 6) == 0) {
            snprintf(num, sizeof num, "%d", page);
            st = pub_buf_puts(&b, num);
            p += 5;
        } else if (strncmp(p, "{pages}", 7) == 0) {
            snprintf(num, sizeof num, "%d", pages);
            st = pub_buf_puts(&b, num);
            p += 6;
        } else {
            st = pub_buf_putc(&b, *p);
        }
        if (st != PUB_OK) {
            pub_buf_free(&b);
            return NULL;
        }
    }
    r = pub_arena_strndup(D->L.arena, b.data ? b.data : "", b.len);
    pub_buf_free(&b);
    return r;
}

/* Title of a statement for its running header. */
const char *lay_stmt_title(driver *D, const pub_node *st)
{
    char *t = pub_statement_title(st); /* the same title as the EPUB's */
    const char *r = t ? pub_arena_strdup(D->L.arena, t) : NULL;
    free(t);
    return r ? r : st->as.statement.basename;
}

/* Issuer/date line of the contents entry: the first words of the dateline,
 * byline or kicker and the date, short enough not to repeat the text. */
const char *lay_stmt_issuer(driver *D, const pub_node *st)
{
    static const char *months[] = {"January", "February", "March", "April",
                                   "May", "June", "July", "August",
                                   "September", "October", "November",
                                   "December"};
    const pub_node *n = pub_statement_find(st, PUB_NODE_DATELINE);
    if (n == NULL)
        n = pub_statement_find(st, PUB_NODE_BYLINE);
    if (n == NULL)
        n = pub_statement_find(st, PUB_NODE_KICKER);
    const char *iso = st->as.statement.date;
    char date[40] = "";
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        snprintf(date, sizeof date, "%d %s %d", d, months[m - 1], y);
    char *who = n ? lay_plain(D, n) : NULL;
    if (who != NULL) {
        /* up to four words, up to a comma or colon */
        size_t words = 0, i = 0, cut = 0;
        while (who[i]) {
            while (who[i] == ' ')
                i++;
            if (!who[i])
                break;
            while (who[i] && who[i] != ' ' && who[i] != ',' && who[i] != ':')
                i++;
            cut = i;
            if (++words == 4 || who[i] == ',' || who[i] == ':')
                break;
        }
        int more = who[cut] != '\0' && who[cut] != ',' && who[cut] != ':';
        who[cut] = '\0';
        if (words == 0)
            who = NULL;
        else if (more)
            who = pub_arena_printf(D->L.arena, "%s\xE2\x80\xA6", who);
    }
    if (who && date[0])
        return pub_arena_printf(D->L.arena, "%s \xC2\xB7 %s", who, date);
    if (who)
        return who;
    return date[0] ? pub_arena_strdup(D->L.arena, date) : NULL;
}

/* Placeholders for the contents' page numbers of the back matter: the
 * address tells which entry a run is for. */
static const char extra_slot[8][1];

static pub_status contents(driver *D, const pub_layout *body,
                           const int *first_page, size_t n_stmt,
                           const pub_node *root, const matter_entry *extra,
                           size_t n_extra, vlist *vl)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    vlist saved = D->vl;
    D->vl = *vl;
    D->L.stmt = NULL;
    D->lang = s->language;
    size_t first;
    block_look hk = {.font = PUB_FONT_BOLD, .size = s->title_size,
                     .leading = s->title_size * 1.4, .align = LAY_LEFT};
    CHECK(lay_set_string(D, "Contents", 0, &hk, 0, 1, &first));
    CHECK(lay_add_dest(D, &D->vl.v[first], "contents"));
    D->vl.v[first].pg.height += s->leading;
    size_t i = 0;
    double numw = s->body_size * 3;
    for (const pub_node *st = root->first_child; st; st = st->next, i++) {
        if (st->type != PUB_NODE_STATEMENT || i >= n_stmt)
            continue;
        const char *label = body->pages[first_page[i]].label;
        block_look tk = {.font = PUB_FONT_REGULAR, .size = s->body_size,
                         .leading = s->leading, .align = LAY_LEFT,
                         .width = D->measure - numw - 6,
                         .space_before = s->leading * 0.7};
        size_t t0;
        D->L.stmt = st;
        CHECK(lay_set_string(D, lay_stmt_title(D, st), st->line, &tk, 0, 1, &t0));
        size_t t1 = D->vl.n;
        const char *iss = lay_stmt_issuer(D, st);
        if (iss) {
            block_look ik = {.font = PUB_FONT_ITALIC, .size = s->small_size,
                             .leading = s->small_size * 1.4, .align = LAY_LEFT,
                             .gray = 0.3, .width = D->measure - numw - 6};
            size_t i0;
            CHECK(lay_set_string(D, iss, st->line, &ik, PG_KEEP_WITH_PREV, 1, &i0));
            t1 = D->vl.n;
        }
        vel *e0 = &D->vl.v[t0];
        double asc = lay_ascent(&D->L, PUB_FONT_REGULAR, s->body_size);
        double base = asc + (s->leading - s->body_size * 1.2) / 2 + s->body_size * 0.1;
        pub_box num = {.kind = PUB_BOX_GLYPHS, .font = PUB_FONT_REGULAR,
                       .size = s->body_size, .text = label,
                       .len = strlen(label), .y = -base, .h = s->body_size};
        num.w = lay_text_width(&D->L.fonts, num.font, num.size, label, num.len);
        num.x = D->measure - num.w;
        CHECK(lay_el_box(D, e0, &num));
        double h = 0;
        for (size_t q = t0; q < t1; q++)
            h += D->vl.v[q].pg.height;
        pub_box link = {.kind = PUB_BOX_LINK, .x = 0, .y = -h, .w = D->measure,
                        .h = h};
        link.dest = pub_arena_printf(D->L.arena, "st-%d", st->as.statement.order);
        CHECK_ALLOC(link.dest);
        CHECK(lay_el_box(D, e0, &link));
        for (size_t q = t0; q < t1; q++)
            D->vl.v[q].block = NULL, D->vl.v[q].stmt = NULL; /* front matter */
    }
    /* the back matter, set apart from the statements */
    D->L.stmt = NULL;
    for (size_t k = 0; k < n_extra; k++) {
        block_look tk = {.font = PUB_FONT_REGULAR, .size = s->body_size,
                         .leading = s->leading, .align = LAY_LEFT,
                         .width = D->measure - numw - 6,
                         .space_before = s->leading * (k == 0 ? 1.6 : 0.7)};
        size_t t0;
        CHECK(lay_set_string(D, extra[k].title, 0, &tk, k ? PG_KEEP_WITH_PREV : 0,
                             1, &t0));
        if (k == 0)
            CHECK(lay_add_rule(D, &D->vl.v[t0], 0, s->leading * 0.8,
                               D->measure * 0.25, 0.6, 0.2));
        vel *e0 = &D->vl.v[t0];
        double asc = lay_ascent(&D->L, PUB_FONT_REGULAR, s->body_size);
        double base = asc + (s->leading - s->body_size * 1.2) / 2 + s->body_size * 0.1;
        /* its page number is known only once the back matter is set:
         * an empty run at the left edge, filled in by fill_contents */
        pub_box num = {.kind = PUB_BOX_GLYPHS, .font = PUB_FONT_REGULAR,
                       .size = s->body_size, .text = extra_slot[k], .len = 0,
                       .y = -base, .h = s->body_size};
        CHECK(lay_el_box(D, e0, &num));
        double h = 0;
        for (size_t q = t0; q < D->vl.n; q++)
            h += D->vl.v[q].pg.height;
        pub_box link = {.kind = PUB_BOX_LINK, .x = 0, .y = -h, .w = D->measure,
                        .h = h, .dest = extra[k].dest};
        CHECK(lay_el_box(D, e0, &link));
        for (size_t q = t0; q < D->vl.n; q++)
            D->vl.v[q].block = NULL, D->vl.v[q].stmt = NULL; /* front matter */
    }
    *vl = D->vl;
    D->vl = saved;
    return PUB_OK;
fail:
    *vl = D->vl;
    D->vl = saved;
    return status;
}

static pub_status headers_footers(driver *D, pub_page *pages, size_t n,
                                  int front)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    int n_body = 0;
    for (size_t i = 0; i < n; i++)
        n_body += !pages[i].front_matter;
    const pub_node *prev_stmt = NULL;
    int body_no = 0, front_no = 0;
    for (size_t i = 0; i < n; i++) {
        pub_page *p = &pages[i];
        p->number = (int)i + 1;
        int recto = (i % 2) == 0;
        if (p->front_matter) {
            p->label = roman(D->L.arena, ++front_no);
        } else {
            p->label = pub_arena_printf(D->L.arena, "%d", ++body_no);
        }
        CHECK_ALLOC(p->label);
        if (!front && p->front_matter)
            continue;
        int s_first = p->statement != prev_stmt;
        prev_stmt = p->statement;
        double x0 = left_edge(s, s->duplex ? recto : 1);
        double mid = x0 + D->measure / 2;
        if (p->n_boxes == 0)
            continue; /* blank verso */
        if (p->cover)
            continue; /* no folio, no header */
        if (!p->front_matter && p->back_matter && p->running) {
            double y = s->page_height - s->margin_top + s->small_size * 2.2;
            CHECK(lay_text_box(D, p, p->running, PUB_FONT_ITALIC, s->small_size,
                               mid, y, LAY_CENTER, 0.3));
            pub_box rule = {.kind = PUB_BOX_RULE, .x = x0, .y = y - s->small_size * 0.7,
                            .w = D->measure, .h = 0.3, .gray = 0.5};
            CHECK(lay_page_box(D->out, p, &rule));
        } else if (!p->front_matter && p->statement &&
                   (!s_first || s->header_on_first)) {
            const char *t = lay_fit_title(D, lay_stmt_title(D, p->statement),
                                      PUB_FONT_ITALIC, s->small_size,
                                      D->measure * 0.85);
            double y = s->page_height - s->margin_top + s->small_size * 2.2;
            CHECK(lay_text_box(D, p, t, PUB_FONT_ITALIC, s->small_size, mid, y,
                           LAY_CENTER, 0.3));
            pub_box rule = {.kind = PUB_BOX_RULE, .x = x0, .y = y - s->small_size * 0.7,
                            .w = D->measure, .h = 0.3, .gray = 0.5};
            CHECK(lay_page_box(D->out, p, &rule));
        }
        const char *f = p->front_matter ? p->label
                                        : footer_text(D, body_no, n_body);
        CHECK_ALLOC(f);
        CHECK(lay_text_box(D, p, f, PUB_FONT_REGULAR, s->small_size, mid,
                       s->margin_bottom - s->small_size * 2.6, LAY_CENTER, 0.2));
    }
fail:
    return status;
}

/* ----------------------------------------------------------- driver */

/* ------------------------------------------------------------ the body */

/* Statements are independent until their pages are numbered: each is laid
 * out and paginated on its own (on a worker thread when there are jobs),
 * then assembled onto pages in dossier order by the calling thread. A
 * worker has its own arena (page text, adopted by the layout), scratch
 * arena per statement and character-report bitmap; it shares the fonts and
 * the hyphenator, which lock what they cache. Messages are queued per
 * statement and replayed in order, so pages, bytes and messages are the
 * same for every number of threads. */

/* One statement laid out and paginated, waiting to be assembled. */
typedef struct st_slot {
    const pub_node *st;
    pub_diagq q;
    pub_arena *scratch;      /* its lines and element boxes */
    vlist vl;
    pg_page *pg;
    size_t n_pg;
    note_set *notes;
    size_t n_notes;
    outline_list ol;         /* in the worker's arena */
    pub_status status;
    int ready;
} st_slot;

static void slot_free(st_slot *s)
{
    free(s->vl.v);
    free(s->pg);
    pub_arena_free(s->scratch);
    pub_diagq_free(&s->q);
    memset(s, 0, sizeof *s);
}

/* A worker's driver: the caller's, with state of its own. */
static pub_status worker_init(driver *W, const driver *D)
{
    *W = *D;
    W->vl = (vlist){0};
    W->notes = NULL;
    W->n_notes = 0;
    W->sigs = NULL;
    W->n_sigs = W->cap_sigs = 0;
    W->L.n_first_fit = W->L.n_overwide = 0;
    W->L.scratch = NULL;
    W->L.mem = NULL; /* its own, made on first use */
    W->L.warned_cps = NULL;
    W->L.n_warned = W->L.cap_warned = 0;
    W->L.arena = pub_arena_new();
    W->L.warned = calloc(0x110000 / 8, 1);
    W->L.hmemo = lay_hyph_memo_new(); /* NULL: every word asked anew */
    if (W->L.arena == NULL || W->L.warned == NULL) {
        pub_arena_free(W->L.arena);
        free(W->L.warned);
        lay_hyph_memo_free(W->L.hmemo);
        W->L.arena = NULL;
        W->L.warned = NULL;
        W->L.hmemo = NULL;
        return pub_error(PUB_ERR_NOMEM);
    }
    return PUB_OK;
}

/* Hands the worker's arena to the layout and adds up its counts. */
static pub_status worker_done(driver *W, driver *D)
{
    pub_layout *o = D->out;
    lay_mem_free(W->L.mem);
    W->L.mem = NULL;
    free(W->L.warned);
    W->L.warned = NULL;
    free(W->L.warned_cps);
    W->L.warned_cps = NULL;
    lay_hyph_memo_free(W->L.hmemo);
    W->L.hmemo = NULL;
    D->L.n_first_fit += W->L.n_first_fit;
    D->L.n_overwide += W->L.n_overwide;
    if (W->L.arena == NULL)
        return PUB_OK;
    pub_arena **v = realloc(o->arenas, (o->n_arenas + 1) * sizeof *v);
    if (v == NULL) {
        pub_arena_free(W->L.arena); /* nothing refers to it any more */
        W->L.arena = NULL;
        return pub_error(PUB_ERR_NOMEM);
    }
    o->arenas = v;
    v[o->n_arenas++] = W->L.arena;
    W->L.arena = NULL;
    return PUB_OK;
}

/* Lays out and paginates one statement with the worker driver W. */
static pub_status lay_one(driver *W, st_slot *s)
{
    pub_status status = PUB_OK;
    pg_elem *pe = NULL;
    s->scratch = pub_arena_new();
    CHECK_ALLOC(s->scratch);
    W->L.scratch = s->scratch;
    W->L.ctx = &s->q.ctx;
    W->ol = &s->ol;
    W->vl = (vlist){0};
    status = statement(W, s->st);
    s->vl = W->vl;
    W->vl = (vlist){0};
    CHECK(status);
    s->notes = W->notes;
    s->n_notes = W->n_notes;
    pe = malloc((s->vl.n ? s->vl.n : 1) * sizeof *pe);
    CHECK_ALLOC(pe);
    for (size_t i = 0; i < s->vl.n; i++)
        pe[i] = s->vl.v[i].pg;
    CHECK(pg_paginate(pe, s->vl.n, W->body_h, 8, &s->pg, &s->n_pg));
fail:
    free(pe);
    W->L.scratch = NULL;
    return status;
}

/* Puts a laid-out statement onto the body pages (the calling thread). */
static pub_status take_one(driver *D, st_slot *s, assembled *body,
                           int *first_page)
{
    pub_status status = PUB_OK;
    pub_diagq_replay(&s->q, D->L.ctx);
    CHECK(s->status);
    D->notes = s->notes;
    D->n_notes = s->n_notes;
    size_t before = body->n;
    CHECK(assemble(D, &s->vl, s->pg, s->n_pg, 0, body));
    *first_page = (int)before;
    if (D->L.style->duplex && before < body->n && body->pages[before].n_boxes == 0)
        *first_page = (int)before + 1;
    for (size_t i = 0; i < s->ol.n; i++)
        CHECK(lay_outline_add(D, s->ol.v[i].title, s->ol.v[i].level, s->ol.v[i].dest));
fail:
    D->notes = NULL;
    D->n_notes = 0;
    slot_free(s);
    return status;
}

typedef struct body_job {
    st_slot *slots;
    size_t n;
    size_t next;             /* next statement to lay out */
    size_t taken;            /* statements assembled */
    size_t window;           /* how far workers may run ahead */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} body_job;

typedef struct body_worker {
    body_job *J;
    driver W;
    pthread_t thread;
    int started;
} body_worker;

static void *body_work(void *arg)
{
    body_worker *bw = arg;
    body_job *J = bw->J;
    for (;;) {
        pthread_mutex_lock(&J->mu);
        while (!J->stop && J->next < J->n && J->next >= J->taken + J->window)
            pthread_cond_wait(&J->cv, &J->mu);
        if (J->stop || J->next >= J->n) {
            pthread_mutex_unlock(&J->mu);
            return NULL;
        }
        st_slot *s = &J->slots[J->next++];
        pthread_mutex_unlock(&J->mu);
        pub_status st = lay_one(&bw->W, s);
        pthread_mutex_lock(&J->mu);
        s->status = st;
        s->ready = 1;
        pthread_cond_broadcast(&J->cv);
        pthread_mutex_unlock(&J->mu);
    }
}

/* Lays out every statement of the body, on up to `jobs` threads. */
static pub_status lay_body(driver *D, const pub_node *root, size_t n_stmt,
                           assembled *body, int *first_page)
{
    int jobs = D->L.ctx->jobs;
    pub_status status = PUB_OK;
    size_t nw = jobs > 1 && n_stmt > 1 ? (size_t)jobs : 0;
    if (nw > n_stmt)
        nw = n_stmt;
    body_job J = {.n = n_stmt, .window = 4 * (nw ? nw : 1)};
    body_worker *w = NULL;
    int sync = 0;
    J.slots = calloc(n_stmt ? n_stmt : 1, sizeof *J.slots);
    CHECK_ALLOC(J.slots);
    {
        size_t i = 0;
        for (const pub_node *st = root->first_child; st && i < n_stmt; st = st->next)
            if (st->type == PUB_NODE_STATEMENT) {
                J.slots[i].st = st;
                pub_diagq_init(&J.slots[i].q, D->L.ctx);
                i++;
            }
        J.n = i;
    }
    if (nw > 0 && pthread_mutex_init(&J.mu, NULL) == 0) {
        if (pthread_cond_init(&J.cv, NULL) == 0)
            sync = 1;
        else
            pthread_mutex_destroy(&J.mu);
    }
    if (!sync)
        nw = 0; /* no threads to be had: one after the other */
    w = calloc(nw ? nw : 1, sizeof *w);
    CHECK_ALLOC(w);
    for (size_t k = 0; k < (nw ? nw : 1); k++) {
        w[k].J = &J;
        CHECK(worker_init(&w[k].W, D));
    }
    size_t started = 0;
    for (size_t k = 0; k < nw; k++) {
        w[k].started = pthread_create(&w[k].thread, NULL, body_work, &w[k]) == 0;
        started += (size_t)w[k].started;
    }
    int serial = started == 0; /* also when no thread could be started */
    for (size_t si = 0; si < J.n; si++) {
        st_slot *s = &J.slots[si];
        if (serial) {
            s->status = lay_one(&w[0].W, s);
            s->ready = 1;
        } else {
            pthread_mutex_lock(&J.mu);
            while (!s->ready)
                pthread_cond_wait(&J.cv, &J.mu);
            pthread_mutex_unlock(&J.mu);
        }
        status = take_one(D, s, body, &first_page[si]);
        if (!serial) {
            pthread_mutex_lock(&J.mu);
            J.taken = si + 1;
            if (status != PUB_OK)
                J.stop = 1;
            pthread_cond_broadcast(&J.cv);
            pthread_mutex_unlock(&J.mu);
        }
        CHECK(status);
        pub_progress(D->L.ctx, "statements laid out", si + 1, J.n);
    }
fail:
    if (w != NULL) {
        if (nw && status != PUB_OK) {
            pthread_mutex_lock(&J.mu);
            J.stop = 1;
            pthread_cond_broadcast(&J.cv);
            pthread_mutex_unlock(&J.mu);
        }
        for (size_t k = 0; k < nw; k++)
            if (w[k].started)
                pthread_join(w[k].thread, NULL);
        for (size_t k = 0; k < (nw ? nw : 1); k++) {
            pub_status st = worker_done(&w[k].W, D);
            if (status == PUB_OK)
                status = st;
        }
    }
    if (sync) {
        pthread_cond_destroy(&J.cv);
        pthread_mutex_destroy(&J.mu);
    }
    for (size_t i = 0; J.slots != NULL && i < n_stmt; i++)
        slot_free(&J.slots[i]);
    free(J.slots);
    free(w);
    return status;
}

/* Writes the back matter's page numbers into the contents (front
 * matter pages), right-aligned as the statements' are. */
static void fill_contents(driver *D, pub_page *front, size_t n_front,
                          const char *const *label, size_t n_extra)
{
    for (size_t i = 0; i < n_front; i++)
        for (size_t b = 0; b < front[i].n_boxes; b++) {
            pub_box *bx = &front[i].boxes[b];
            if (bx->kind != PUB_BOX_GLYPHS || bx->len != 0 ||
                bx->text < extra_slot[0] || bx->text > extra_slot[7])
                continue;
            size_t k = (size_t)(bx->text - extra_slot[0]);
            const char *t = k < n_extra && label[k] ? label[k] : "";
            bx->text = t;
            bx->len = strlen(t);
            bx->w = lay_text_width(&D->L.fonts, bx->font, bx->size, t, bx->len);
            /* as contents() and place() would have: the box's own x, a
             * float, then moved by the page's left edge */
            bx->x = (float)(D->measure - bx->w);
            bx->x += left_edge(D->L.style, i % 2 == 0);
        }
}

/* Numbers and labels of the front matter and body pages as
 * headers_footers gives them (i, ii, ... then 1, 2, ...). */
static pub_status number_front_body(driver *D, pub_page *front, size_t n_front,
                                    pub_page *body, size_t n_body)
{
    for (size_t i = 0; i < n_front; i++) {
        front[i].number = (int)i + 1;
        front[i].label = roman(D->L.arena, (int)i + 1);
        if (front[i].label == NULL)
            return pub_error(PUB_ERR_NOMEM);
    }
    for (size_t i = 0; i < n_body; i++)
        body[i].number = (int)(n_front + i) + 1;
    return PUB_OK;
}

/* The authority list depends on the model only: with threads to spare it
 * is built while the body is laid out. */
typedef struct index_job {
    pub_diagq q;
    const pub_dossier *d;
    pub_index *ix;
    pub_status status;
    pthread_t thread;
    int started;
} index_job;

/* Notes the words of a statement for the hyphenation patterns (see
 * hyphenate.c): each text, and a word that runs on from one text into the
 * next (`un**fair**`, or across a note reference), since paragraphs are
 * hyphenated in their plain text, where those texts join. */
static void note_words(lay_hyph *h, const char *lang, const pub_node *st)
{
    char tail[1024]; /* the text since the last blank, in this block */
    size_t tl = 0;
    pub_iter it;
    pub_event ev;
    pub_iter_init(&it, st);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        const pub_node *n = pub_iter_node(&it);
        if (n->type != PUB_NODE_TEXT) {
            if (n->type != PUB_NODE_STRONG && n->type != PUB_NODE_EMPH &&
                n->type != PUB_NODE_NOTEREF)
                tl = 0; /* a block's edge, or a line break */
            continue;
        }
        if (ev != PUB_EVENT_ENTER)
            continue;
        const char *t = n->as.text.data;
        size_t len = n->as.text.len, head = 0, last = len;
        while (head < len && t[head] != ' ' && t[head] != '\n' && t[head] != '\t')
            head++;
        if (tl > 0 && head > 0) { /* the word across the two texts */
            char joined[2048];
            size_t hn = head < sizeof joined - tl ? head : sizeof joined - tl;
            memcpy(joined, tail, tl);
            memcpy(joined + tl, t, hn);
            lay_hyph_note_text(h, lang, joined, tl + hn);
        }
        lay_hyph_note_text(h, lang, t, len);
        while (last > 0 && t[last - 1] != ' ' && t[last - 1] != '\n' && t[last - 1] != '\t')
            last--;
        if (head == len) { /* no blank: the word goes on */
            if (tl + len < sizeof tail) {
                memcpy(tail + tl, t, len);
                tl += len;
            } else {
                tl = 0; /* longer than any hyphenated word */
            }
        } else if (len - last < sizeof tail) {
            memcpy(tail, t + last, len - last);
            tl = len - last;
        } else {
            tl = 0;
        }
    }
}

static void *index_work(void *arg)
{
    index_job *j = arg;
    j->status = pub_index_build(&j->q.ctx, j->d, &j->ix);
    return NULL;
}

pub_status pub_layout_run(pub_ctx *ctx, const pub_dossier *d,
                          const pub_style *style, pub_layout **out)
{
    return pub_layout_run_hooked(ctx, d, style, NULL, NULL, out);
}

pub_status pub_layout_run_hooked(pub_ctx *ctx, const pub_dossier *d,
                                 const pub_style *style, pub_layout_hook hook,
                                 void *user, pub_layout **out)
{
    pub_status status = PUB_OK;
    driver D;
    memset(&D, 0, sizeof D);
    pg_page *pg = NULL;
    size_t n_pg = 0;
    int *first_page = NULL;
    vlist toc = {0};
    assembled body = {0}, front = {0};
    index_job ixj = {0};
    *out = NULL;
    pub_layout *o = calloc(1, sizeof *o);
    CHECK_ALLOC(o);
    D.out = o;
    D.ol = &o->ol;
    o->style = *style;
    o->arena = pub_arena_new();
    CHECK_ALLOC(o->arena);
    D.L.scratch = pub_arena_new();
    CHECK_ALLOC(D.L.scratch);
    D.L.ctx = ctx;
    D.d = d;
    D.L.arena = o->arena;
    D.L.style = &o->style;
    lb_params_default(&D.L.lbp);
    D.L.lbp.tolerance = 1.8;
    D.L.warned = calloc(0x110000 / 8, 1);
    CHECK_ALLOC(D.L.warned);
    D.L.hyph = lay_hyph_new();
    CHECK_ALLOC(D.L.hyph);
    init_linebreak();
    CHECK(lay_fonts_open(ctx, style, &D.L.fonts));
    for (int i = 0; i < PUB_FONT_COUNT; i++)
        snprintf(o->font_path[i], sizeof o->font_path[i], "%s", D.L.fonts.path[i]);
    D.measure = style->page_width - style->margin_inner - style->margin_outer;
    D.body_h = style->page_height - style->margin_top - style->margin_bottom;

    const pub_node *root = pub_dossier_root(d);
    size_t n_stmt = 0;
    for (const pub_node *st = root->first_child; st; st = st->next) {
        n_stmt++;
        /* the words each language's patterns will be asked for */
        const char *lang = st->as.statement.language ? st->as.statement.language
                                                     : style->language;
        note_words(D.L.hyph, lang, st);
    }
    first_page = calloc(n_stmt ? n_stmt : 1, sizeof *first_page);
    CHECK_ALLOC(first_page);

    if (ctx->jobs > 1) {
        pub_diagq_init(&ixj.q, ctx);
        ixj.d = d;
        ixj.started = pthread_create(&ixj.thread, NULL, index_work, &ixj) == 0;
    }
    /* the body: each statement laid out, paginated and assembled in turn
     * (its notes belong to it) */
    status = lay_body(&D, root, n_stmt, &body, first_page);
    if (ixj.started) {
        pthread_join(ixj.thread, NULL);
        ixj.started = 0;
        pub_diagq_replay(&ixj.q, ctx);
        D.ix = ixj.ix;
        ixj.ix = NULL;
        if (status == PUB_OK)
            status = ixj.status;
    }
    CHECK(status);
    /* labels of the body, so that the contents can cite them */
    {
        int no = 0;
        for (size_t i = 0; i < body.n; i++) {
            body.pages[i].label = pub_arena_printf(o->arena, "%d", ++no);
            CHECK_ALLOC(body.pages[i].label);
        }
    }
    D.n_notes = 0;
    D.notes = NULL;
    D.L.stmt = NULL;
    D.lang = style->language;
    /* the back matter: index, matrix and provenance, numbered on */
    size_t n_body = body.n;
    matter_entry entries[8];
    const char *entry_label[8] = {0};
    size_t n_entries = 0;
    if (D.ix == NULL)
        CHECK(pub_index_build(ctx, d, &D.ix));
    CHECK(lay_dossier_title(&D));
    /* the front matter first: its length does not depend on the back
     * matter's page numbers, which fill_contents writes in afterwards */
    n_entries = lay_back_matter_parts(&D, entries);
    D.vl.n = 0;
    scratch_reset(&D);
    pub_layout tmp = {.pages = body.pages, .n_pages = n_body};
    CHECK(contents(&D, &tmp, first_page, n_stmt, root, entries, n_entries, &toc));
    {
        pub_page *cover;
        CHECK(new_page(&D, &front.pages, &front.n, &front.cap, &cover));
        cover->front_matter = 1;
        cover->cover = 1;
        CHECK(lay_cover(&D, cover));
        if (style->duplex) {
            pub_page *blank;
            CHECK(new_page(&D, &front.pages, &front.n, &front.cap, &blank));
            blank->front_matter = 1;
        }
    }
    {
        free(pg);
        pg = NULL;
        pg_elem *pe = malloc((toc.n ? toc.n : 1) * sizeof *pe);
        CHECK_ALLOC(pe);
        for (size_t i = 0; i < toc.n; i++)
            pe[i] = toc.v[i].pg;
        status = pg_paginate(pe, toc.n, D.body_h, 8, &pg, &n_pg);
        free(pe);
        CHECK(status);
        CHECK(assemble(&D, &toc, pg, n_pg, 1, &front));
        if (style->duplex && front.n % 2 == 1) {
            pub_page *blank;
            CHECK(new_page(&D, &front.pages, &front.n, &front.cap, &blank));
            blank->front_matter = 1;
        }
    }
    CHECK(number_front_body(&D, front.pages, front.n, body.pages, n_body));
    if (hook != NULL) {
        const pub_page **early = malloc((front.n + n_body + 1) * sizeof *early);
        CHECK_ALLOC(early);
        for (size_t i = 0; i < front.n; i++)
            early[i] = &front.pages[i];
        for (size_t i = 0; i < n_body; i++)
            early[front.n + i] = &body.pages[i];
        pub_layout_early e = {.pages = early, .n_pages = front.n + n_body,
                              .ix = D.ix, .title = o->title};
        hook(user, &e);
        free(early);
    }
    /* the back matter: index, matrix and provenance, numbered on */
    D.vl.n = 0;
    scratch_reset(&D);
    CHECK(lay_back_matter(&D, body.pages, n_body, entries, n_entries));
    if (D.vl.n > 0) {
        free(pg);
        pg = NULL;
        pg_elem *pe = malloc(D.vl.n * sizeof *pe);
        CHECK_ALLOC(pe);
        for (size_t i = 0; i < D.vl.n; i++)
            pe[i] = D.vl.v[i].pg;
        status = pg_paginate(pe, D.vl.n, D.body_h, 8, &pg, &n_pg);
        free(pe);
        CHECK(status);
        CHECK(assemble(&D, &D.vl, pg, n_pg, 0, &body));
        const char *running = NULL;
        for (size_t i = n_body; i < body.n; i++) {
            pub_page *p = &body.pages[i];
            p->back_matter = 1;
            p->statement = NULL;
            p->start.block = NULL;
            p->label = pub_arena_printf(o->arena, "%zu", i + 1);
            CHECK_ALLOC(p->label);
            int opens = 0;
            for (size_t b = 0; b < p->n_boxes; b++) {
                const pub_box *bx = &p->boxes[b];
                if (bx->kind != PUB_BOX_DEST)
                    continue;
                for (size_t k = 0; k < n_entries; k++)
                    if (strcmp(bx->dest, entries[k].dest) == 0) {
                        if (entry_label[k] == NULL)
                            entry_label[k] = p->label;
                        running = entries[k].title;
                        opens = 1;
                    }
            }
            p->running = opens ? NULL : running;
        }
    }
    fill_contents(&D, front.pages, front.n, entry_label, n_entries);
    /* front matter + body */
    o->n_pages = front.n + body.n;
    o->pages = pub_arena_alloc_array(o->arena, o->n_pages ? o->n_pages : 1,
                                     sizeof *o->pages);
    CHECK_ALLOC(o->pages);
    if (front.n)
        memcpy(o->pages, front.pages, front.n * sizeof *o->pages);
    if (body.n)
        memcpy(o->pages + front.n, body.pages, body.n * sizeof *o->pages);
    CHECK(headers_footers(&D, o->pages, o->n_pages, 1));
    /* the pages are final: give back what their box arrays grew too much */
    for (size_t i = 0; i < o->n_pages; i++) {
        pub_page *pg_i = &o->pages[i];
        if (pg_i->n_boxes > 0 && pg_i->cap_boxes > pg_i->n_boxes) {
            pub_box *v = realloc(pg_i->boxes, pg_i->n_boxes * sizeof *v);
            if (v != NULL) { /* else the larger array stays: no harm */
                pg_i->boxes = v;
                pg_i->cap_boxes = pg_i->n_boxes;
            }
        }
    }
    /* outline pages from their destinations (both in document order) */
    {
        size_t k = 0;
        pub_outline_entry *ov = o->ol.v;
        for (size_t i = 0; i < o->n_pages && k < o->ol.n; i++)
            for (size_t b = 0; b < o->pages[i].n_boxes && k < o->ol.n; b++) {
                const pub_box *bx = &o->pages[i].boxes[b];
                if (bx->kind == PUB_BOX_DEST && strcmp(bx->dest, ov[k].dest) == 0)
                    ov[k++].page = (int)i;
            }
        for (k = 0; k < o->ol.n; k++)
            if (ov[k].page < 0)
                ov[k].page = k > 0 ? ov[k - 1].page : 0;
    }
    o->n_first_fit = D.L.n_first_fit;
    o->n_overwide = D.L.n_overwide;
    o->ix = D.ix;
    D.ix = NULL;
    *out = o;
    o = NULL;
fail:
    if (o != NULL && o->pages == NULL) { /* the pages never reached o */
        pages_free(body.pages, body.n);
        pages_free(front.pages, front.n);
    }
    pub_arena_free(D.L.scratch);
    free(pg);
    free(first_page);
    free(D.vl.v);
    free(toc.v);
    free(D.sigs);
    pub_index_free(D.ix);
    lay_mem_free(D.L.mem);
    free(D.L.warned);
    free(D.L.warned_cps);
    lay_hyph_free(D.L.hyph);
    lay_fonts_close(&D.L.fonts);
    pub_layout_free(o);
    return status;
}

void pub_layout_free(pub_layout *l)
{
    if (l == NULL)
        return;
    pages_free(l->pages, l->n_pages);
    pub_index_free(l->ix);
    pub_arena_free(l->arena);
    for (size_t i = 0; i < l->n_arenas; i++)
        pub_arena_free(l->arenas[i]);
    free(l->arenas);
    free(l);
}

size_t pub_layout_page_count(const pub_layout *l) { return l ? l->n_pages : 0; }

void pub_layout_forget_drawing(pub_layout *l)
{
    for (size_t i = 0; l != NULL && i < l->n_pages; i++) {
        pub_page *p = &l->pages[i];
        size_t k = 0;
        for (size_t b = 0; b < p->n_boxes; b++)
            if (p->boxes[b].kind == PUB_BOX_DEST)
                p->boxes[k++] = p->boxes[b];
        p->n_boxes = k;
        if (k == 0) {
            free(p->boxes);
            p->boxes = NULL;
            p->cap_boxes = 0;
        } else {
            pub_box *v = realloc(p->boxes, k * sizeof *v);
            if (v != NULL) {
                p->boxes = v;
                p->cap_boxes = k;
            }
        }
    }
}

const struct pub_index *pub_layout_index(const pub_layout *l)
{
    return l ? l->ix : NULL;
}

const pub_page *pub_layout_page(const pub_layout *l, size_t i)
{
    return l && i < l->n_pages ? &l->pages[i] : NULL;
}

const pub_style *pub_layout_style(const pub_layout *l) { return &l->style; }

const char *pub_layout_font_path(const pub_layout *l, int i)
{
    return i >= 0 && i < PUB_FONT_COUNT ? l->font_path[i] : NULL;
}

const char *pub_layout_title(const pub_layout *l) { return l->title; }

const char *pub_layout_subtitle(const pub_layout *l) { return l->subtitle; }

size_t pub_layout_outline(const pub_layout *l, const pub_outline_entry **out)
{
    *out = l->ol.v;
    return l->ol.n;
}

void pub_layout_stats(const pub_layout *l, int *first_fit, int *overwide)
{
    *first_fit = l->n_first_fit;
    *overwide = l->n_overwide;
}

pub_status pub_layout_play(const pub_layout *l, pub_device *dev)
{
    pub_status status = PUB_OK;
    CHECK(dev->begin_document(dev, l));
    for (size_t i = 0; i < l->n_pages; i++) {
        const pub_page *p = &l->pages[i];
        CHECK(dev->begin_page(dev, p, i));
        for (size_t b = 0; b < p->n_boxes; b++) {
            const pub_box *bx = &p->boxes[b];
            switch (bx->kind) {
            case PUB_BOX_GLYPHS: CHECK(dev->draw_text(dev, bx)); break;
            case PUB_BOX_RULE: CHECK(dev->draw_rule(dev, bx)); break;
            case PUB_BOX_LINK:
            case PUB_BOX_DEST: CHECK(dev->mark(dev, bx)); break;
            }
        }
        CHECK(dev->end_page(dev, p));
    }
    CHECK(dev->finish(dev, l));
fail:
    return status;
}
