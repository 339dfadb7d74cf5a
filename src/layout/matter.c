/*
 * matter.c — the dossier's front and back matter as positioned boxes: the
 * cover, the index of signatories (organisations of the authority list and
 * people signing on their behalf, each citation a link to the signature
 * row), the signatory matrix and the provenance appendix (colophon).
 */
#include "layout/driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const months[] = {"January", "February", "March", "April",
                                     "May", "June", "July", "August",
                                     "September", "October", "November",
                                     "December"};

/* "21 September 2020" from "2020-09-21" (or "September 2020", "2020"). */
static const char *long_date(driver *D, const char *iso)
{
    int y = 0, m = 0, d = 0;
    int n = iso ? sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) : 0;
    if (n >= 3 && m >= 1 && m <= 12)
        return pub_arena_printf(D->L.arena, "%d %s %d", d, months[m - 1], y);
    if (n == 2 && m >= 1 && m <= 12)
        return pub_arena_printf(D->L.arena, "%s %d", months[m - 1], y);
    if (n >= 1)
        return pub_arena_printf(D->L.arena, "%d", y);
    return NULL;
}

/* The build date: SOURCE_DATE_EPOCH, else the latest statement date, never
 * the clock (the PDF's document info uses the same rule). */
static void build_date(const pub_dossier *d, char out[11], int *from_env)
{
    struct tm tm;
    int from = pub_dossier_build_time(d, &tm);
    *from_env = from == 1;
    out[0] = '\0';
    if (from >= 0)
        strftime(out, 11, "%Y-%m-%d", &tm);
}


pub_status lay_dossier_title(driver *D)
{
    const pub_dossier_info *info = pub_dossier_get_info(D->d);
    pub_layout *o = D->out;
    o->subtitle = info && info->subtitle && info->subtitle[0] ? info->subtitle
                                                              : NULL;
    /* one derivation for the cover, the document info and the EPUB */
    char buf[64];
    const char *t = pub_dossier_title(D->d, buf);
    o->title = pub_arena_strdup(D->L.arena, t ? t : "Statements");
    return o->title ? PUB_OK : pub_error(PUB_ERR_NOMEM);
}

/* ------------------------------------------------------------ cover */

/* Sets s as lines and places them on p with their top at *y. */
static pub_status put_string(driver *D, pub_page *p, const char *s,
                             const block_look *k, double x0, double *y)
{
    pub_status status = PUB_OK;
    vlist saved = D->vl;
    vlist tmp = {0};
    D->vl = tmp;
    size_t first;
    *y -= k->space_before;
    CHECK(lay_set_string(D, s, 0, k, 0, 1, &first));
    for (size_t i = 0; i < D->vl.n; i++) {
        const vel *e = &D->vl.v[i];
        for (size_t b = 0; b < e->n_boxes; b++) {
            pub_box bx = e->boxes[b];
            bx.x += x0;
            bx.y += *y;
            CHECK(lay_page_box(D->out, p, &bx));
        }
        *y -= e->pg.height;
    }
fail:
    free(D->vl.v);
    D->vl = saved;
    return status;
}

static size_t count_signatures(const pub_dossier *d)
{
    size_t n = 0;
    pub_iter it;
    pub_event ev;
    pub_iter_init(&it, pub_dossier_root(d));
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE)
        if (ev == PUB_EVENT_ENTER && pub_iter_node(&it)->type == PUB_NODE_SIGNATORY)
            n++;
    return n;
}

pub_status lay_cover(driver *D, pub_page *p)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    const pub_dossier_info *info = pub_dossier_get_info(D->d);
    double x0 = s->margin_inner;
    double top = s->page_height - s->margin_top;
    double y = top - D->body_h * 0.2;
    D->L.stmt = NULL;
    D->lang = s->language;

    block_look kick = {.font = PUB_FONT_SANS_BOLD, .size = s->small_size,
                       .leading = s->small_size * 1.4, .align = LAY_LEFT,
                       .gray = 0.35};
    CHECK(put_string(D, p, "A DOSSIER OF POLITICAL STATEMENTS", &kick, x0, &y));
    y -= s->leading * 0.6;
    pub_box rule = {.kind = PUB_BOX_RULE, .x = x0, .y = y, .w = D->measure,
                    .h = 1.2, .gray = 0};
    CHECK(lay_page_box(D->out, p, &rule));
    y -= s->leading * 1.2;
    double tsize = s->title_size * 1.7;
    block_look tk = {.font = PUB_FONT_BOLD, .size = tsize,
                     .leading = tsize * 1.15, .align = LAY_LEFT};
    CHECK(put_string(D, p, D->out->title, &tk, x0, &y));
    if (D->out->subtitle) {
        block_look sk = {.font = PUB_FONT_ITALIC, .size = s->subtitle_size * 1.2,
                         .leading = s->subtitle_size * 1.6, .align = LAY_LEFT,
                         .space_before = s->leading * 0.6, .gray = 0.15};
        CHECK(put_string(D, p, D->out->subtitle, &sk, x0, &y));
    }
    char lo[11], hi[11];
    pub_dossier_date_range(D->d, lo, hi);
    const char *range = NULL;
    if (lo[0] && strcmp(lo, hi) != 0)
        range = pub_arena_printf(D->L.arena, "%s \xE2\x80\x93 %s",
                                 long_date(D, lo), long_date(D, hi));
    else if (lo[0])
        range = long_date(D, lo);
    if (range) {
        block_look rk = {.font = PUB_FONT_REGULAR, .size = s->subtitle_size,
                         .leading = s->subtitle_size * 1.5, .align = LAY_LEFT,
                         .space_before = s->leading * 1.2};
        CHECK(put_string(D, p, range, &rk, x0, &y));
    }
    block_look bk = {.font = PUB_FONT_REGULAR, .size = s->body_size,
                     .leading = s->leading, .align = LAY_LEFT,
                     .space_before = s->leading * 1.5};
    if (info && info->compiler && info->compiler[0]) {
        const char *c = pub_arena_printf(D->L.arena, "Compiled by %s",
                                         info->compiler);
        CHECK_ALLOC(c);
        CHECK(put_string(D, p, c, &bk, x0, &y));
        bk.space_before = 0;
    }
    size_t n_st = pub_dossier_count(D->d), n_sig = count_signatures(D->d);
    const char *counts = pub_arena_printf(
        D->L.arena, "%zu statement%s \xC2\xB7 %zu signature%s", n_st,
        n_st == 1 ? "" : "s", n_sig, n_sig == 1 ? "" : "s");
    CHECK_ALLOC(counts);
    CHECK(put_string(D, p, counts, &bk, x0, &y));
    if (D->ix && (D->ix->n_orgs || D->ix->n_persons)) {
        const char *who = pub_arena_printf(
            D->L.arena, "by %zu organisation%s and %zu %s signing on their behalf",
            D->ix->n_orgs, D->ix->n_orgs == 1 ? "" : "s", D->ix->n_persons,
            D->ix->n_persons == 1 ? "person" : "people");
        CHECK_ALLOC(who);
        bk.space_before = 0;
        CHECK(put_string(D, p, who, &bk, x0, &y));
    }
    /* foot of the cover: publisher and build */
    double fy = s->margin_bottom + s->leading * 3.2;
    pub_box frule = {.kind = PUB_BOX_RULE, .x = x0, .y = fy + 4,
                     .w = D->measure * 0.25, .h = 0.6, .gray = 0.2};
    CHECK(lay_page_box(D->out, p, &frule));
    block_look fk = {.font = PUB_FONT_REGULAR, .size = s->small_size,
                     .leading = s->small_size * 1.45, .align = LAY_LEFT,
                     .gray = 0.25};
    if (info && info->publisher && info->publisher[0])
        CHECK(put_string(D, p, info->publisher, &fk, x0, &fy));
    char bd[11];
    int env;
    build_date(D->d, bd, &env);
    const char *built = bd[0] ? pub_arena_printf(D->L.arena,
                                                 "Built on %s with publish " PUB_VERSION,
                                                 long_date(D, bd))
                              : "Built with publish " PUB_VERSION;
    CHECK_ALLOC(built);
    CHECK(put_string(D, p, built, &fk, x0, &fy));
fail:
    return status;
}

/* ------------------------------------------------------ back tables */

/* One paragraph of a cell: a string in a font, optionally a link. */
typedef struct mrun {
    const char *text;
    int font;
    double gray;
    const char *dest;
} mrun;

typedef struct mcell {
    mrun *runs;
    size_t n, cap;
} mcell;

enum { MT_MAX_COLS = 24 };

typedef struct mtable {
    int cols;
    double width[MT_MAX_COLS];
    int align[MT_MAX_COLS];
    double size;
    int id;
    size_t header;
} mtable;

static pub_status run_add(driver *D, mcell *c, const char *text, int font,
                          double gray, const char *dest)
{
    if (text == NULL || !*text)
        return PUB_OK;
    void *v = c->runs;
    pub_status s = pub_arena_array_grow(D->L.scratch, &v, c->n, &c->cap, sizeof *c->runs, 4);
    c->runs = v;
    if (s != PUB_OK)
        return s;
    c->runs[c->n++] = (mrun){text, font, gray, dest};
    return PUB_OK;
}

/* Widens the columns' minimum and natural widths for a row. */
static void row_extent(driver *D, const mtable *t, const mcell *cells,
                       double size, int header, double *mn, double *mx)
{
    double pad = 2 * D->L.style->cell_padding;
    for (int c = 0; c < t->cols; c++)
        for (size_t r = 0; r < cells[c].n; r++) {
            double a, b;
            lay_string_extent(&D->L, cells[c].runs[r].text,
                              header ? PUB_FONT_SANS_BOLD : cells[c].runs[r].font,
                              size, &a, &b);
            if (header)
                a = b; /* a heading never breaks */
            if (a + pad > mn[c])
                mn[c] = a + pad;
            if (b + pad > mx[c])
                mx[c] = b + pad;
        }
}

/* The cells a table sets, each text set once: an index repeats the same
 * citation ("No. 12 · p. 45") for every organisation that signed there,
 * and a set text depends only on its words, font, size, measure,
 * alignment and gray. Entries live in the scratch arena with the table's
 * other lines. */
typedef struct set_cell {
    const char *text;
    int font, align;
    double size, width, gray;
    lay_para *para; /* NULL: a free slot */
} set_cell;

typedef struct cell_cache {
    set_cell *v;
    size_t mask; /* capacity - 1 (a power of two); 0: no cache */
    size_t n;
} cell_cache;

static size_t cell_hash(const char *text, const lay_para_opts *o)
{
    double num[3] = {o->size, o->width, o->gray};
    int kind[2] = {o->font, o->align};
    uint64_t h = pub_fnv1a(PUB_FNV1A_SEED, text, strlen(text));
    h = pub_fnv1a(h, num, sizeof num);
    return (size_t)pub_fnv1a(h, kind, sizeof kind);
}

/* The lines of `text` set with o: from the cache, else set and kept. */
static pub_status set_text(driver *D, cell_cache *cc, const char *text,
                           const lay_para_opts *o, lay_para *out)
{
    if (cc == NULL || cc->mask == 0)
        return lay_string(&D->L, text, strlen(text), 0, o, out);
    size_t i = cell_hash(text, o) & cc->mask;
    for (;; i = (i + 1) & cc->mask) {
        set_cell *c = &cc->v[i];
        if (c->para == NULL)
            break;
        if (c->font == o->font && c->align == o->align && c->size == o->size &&
            c->width == o->width && c->gray == o->gray && strcmp(c->text, text) == 0) {
            *out = *c->para;
            return PUB_OK;
        }
    }
    pub_status status = lay_string(&D->L, text, strlen(text), 0, o, out);
    if (status != PUB_OK || 2 * (cc->n + 1) > cc->mask + 1)
        return status; /* full: set without keeping */
    lay_para *keep = pub_arena_alloc(D->L.scratch, sizeof *keep);
    if (keep == NULL)
        return PUB_OK; /* the text is set; it only is not kept */
    *keep = *out;
    cc->v[i] = (set_cell){text, o->font, o->align, o->size, o->width, o->gray, keep};
    cc->n++;
    return PUB_OK;
}

/* Sets one row (ragged cells, no hyphenation, a rule beneath). zebra
 * shades the row; top_line: marks in other columns are set on the first
 * line of column 0. */
static pub_status mt_row(driver *D, const mtable *t, cell_cache *cc,
                         const mcell *cells, int header, int zebra, vel **out)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    double pad = s->cell_padding;
    double size = header ? t->size * 0.9 : t->size;
    double lead = size * (s->table_leading / s->table_size);
    double height = 0;
    lay_para *paras[MT_MAX_COLS] = {0};
    for (int c = 0; c < t->cols; c++) {
        double h = 0;
        if (cells[c].n) {
            paras[c] = pub_arena_alloc_array(D->L.scratch, cells[c].n, sizeof(lay_para));
            CHECK_ALLOC(paras[c]);
        }
        for (size_t r = 0; r < cells[c].n; r++) {
            const mrun *m = &cells[c].runs[r];
            lay_para_opts o = {.font = header ? PUB_FONT_SANS_BOLD : m->font,
                               .size = size, .width = t->width[c] - 2 * pad,
                               .align = t->align[c], .hyphenate = 0,
                               .gray = header ? 0.25 : m->gray};
            CHECK(set_text(D, cc, m->text, &o, &paras[c][r]));
            h += paras[c][r].n_lines * lead;
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
    e->pg.header = t->header;
    if (zebra)
        CHECK(lay_add_rule(D, e, 0, -e->pg.height, D->measure, e->pg.height, 0.93));
    int font_body = header ? PUB_FONT_SANS_BOLD : PUB_FONT_REGULAR;
    double asc = lay_ascent(&D->L, font_body, size);
    double x = 0;
    for (int c = 0; c < t->cols; c++) {
        double y = -pad - asc - (lead - size * 1.2) / 2 - size * 0.05;
        for (size_t r = 0; r < cells[c].n; r++) {
            double ytop = y + asc + (lead - size * 1.2) / 2;
            for (size_t i = 0; i < paras[c][r].n_lines; i++) {
                CHECK(lay_el_line(D, e, &paras[c][r].lines[i], x + pad, y));
                y -= lead;
            }
            const char *dest = cells[c].runs[r].dest;
            if (dest) {
                pub_box link = {.kind = PUB_BOX_LINK, .x = x + pad / 2,
                                .y = y + lead - size * 0.3, .w = t->width[c] - pad,
                                .h = ytop - (y + lead - size * 0.3), .dest = dest};
                CHECK(lay_el_box(D, e, &link));
            }
        }
        x += t->width[c];
    }
    if (header) {
        CHECK(lay_add_rule(D, e, 0, 0, D->measure, s->table_rule * 2, 0));
        CHECK(lay_add_rule(D, e, 0, -e->pg.height, D->measure, s->table_rule, 0));
    } else if (!zebra) {
        CHECK(lay_add_rule(D, e, 0, -e->pg.height, D->measure, s->table_rule * 0.5,
                           0.65));
    }
    *out = e;
fail:
    return status;
}

/* Sets a whole table: header, rows (never split; the first two and the
 * last kept with their neighbours), closing rule. */
static pub_status mt_set(driver *D, mtable *t, const mcell *head,
                         mcell *const *rows, size_t n_rows, int zebra,
                         int fit_elastic)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    if (fit_elastic >= 0) {
        double mn[MT_MAX_COLS] = {0}, mx[MT_MAX_COLS] = {0};
        row_extent(D, t, head, t->size * 0.9, 1, mn, mx);
        for (size_t r = 0; r < n_rows; r++)
            row_extent(D, t, rows[r], t->size, 0, mn, mx);
        for (int c = 0; c < t->cols; c++)
            if (c != fit_elastic && mx[c] < D->measure * 0.3)
                mn[c] = mx[c];
        tbl_fit_columns(mn, mx, (size_t)t->cols, D->measure, fit_elastic, t->width);
    }
    t->id = ++D->table_id;
    t->header = D->vl.n;
    cell_cache cc = {0};
    size_t runs = 0;
    for (size_t r = 0; r < n_rows; r++)
        for (int c = 0; c < t->cols; c++)
            runs += rows[r][c].n;
    size_t cap = 16;
    while (cap < 2 * runs + 2 && cap < ((size_t)1 << 40))
        cap *= 2;
    cc.v = pub_arena_alloc_array(D->L.scratch, cap, sizeof *cc.v);
    if (cc.v != NULL) { /* else every cell is set anew */
        memset(cc.v, 0, cap * sizeof *cc.v);
        cc.mask = cap - 1;
    }
    vel *e = NULL;
    CHECK(mt_row(D, t, NULL, head, 1, 0, &e));
    e->pg.flags |= PG_TABLE_HEADER | PG_KEEP_WITH_PREV;
    e->pg.space_before = s->leading * 0.4;
    for (size_t r = 0; r < n_rows; r++) {
        CHECK(mt_row(D, t, &cc, rows[r], 0, zebra && (r % 2) == 1, &e));
        if (r < 2 || (r + 1 == n_rows && n_rows > 3))
            e->pg.flags |= PG_KEEP_WITH_PREV;
    }
    vel *last = &D->vl.v[D->vl.n - 1];
    CHECK(lay_add_rule(D, last, 0, -last->pg.height, D->measure,
                       s->table_rule * 2, 0));
fail:
    return status;
}

/* ----------------------------------------------------- back matter */

static pub_status section_title(driver *D, const char *title, const char *dest,
                                int level, unsigned flags)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    size_t first;
    block_look hk = level == 0
        ? (block_look){.font = PUB_FONT_BOLD, .size = s->title_size,
                       .leading = s->title_size * 1.4, .align = LAY_LEFT}
        : (block_look){.font = PUB_FONT_SANS_BOLD, .size = s->heading_size,
                       .leading = s->heading_size * 1.4, .align = LAY_LEFT,
                       .space_before = s->leading * 1.6};
    CHECK(lay_set_string(D, title, 0, &hk, flags, 1, &first));
    CHECK(lay_add_dest(D, &D->vl.v[first], dest));
    CHECK(lay_outline_add(D, title, level, dest));
    if (level == 0)
        D->vl.v[D->vl.n - 1].pg.height += s->leading * 0.5;
fail:
    return status;
}

static pub_status note_line(driver *D, const char *text, double space_before)
{
    const pub_style *s = D->L.style;
    size_t first;
    block_look k = {.font = PUB_FONT_ITALIC, .size = s->small_size,
                    .leading = s->small_size * 1.45, .align = LAY_LEFT,
                    .gray = 0.25, .space_before = space_before};
    return lay_set_string(D, text, 0, &k, PG_KEEP_WITH_PREV, 1, &first);
}

/* Number (1-based, dossier order) of a statement. */
static int stmt_no(const pub_node *st)
{
    return st->as.statement.order + 1;
}

/* "No. 3 · p. 12", linked to the signature row. */
static pub_status cite(driver *D, mcell *c, const pub_node *sg,
                       pub_page *body, size_t n_body)
{
    const pub_node *st = pub_node_statement(sg);
    size_t pg = lay_sig_page(D, sg);
    const char *dest = lay_sig_dest(D, sg);
    if (pg == (size_t)-1 || pg >= n_body) {
        /* no row of its own: the statement's first page */
        dest = pub_arena_printf(D->L.arena, "st-%d", st ? st->as.statement.order : 0);
        pg = 0;
        for (size_t i = 0; i < n_body; i++)
            if (body[i].statement == st && body[i].n_boxes) {
                pg = i;
                break;
            }
    }
    if (dest == NULL)
        return pub_error(PUB_ERR_NOMEM);
    const char *t = pub_arena_printf(D->L.arena, "No.\xC2\xA0%d \xC2\xB7 p.\xC2\xA0%s",
                                     st ? stmt_no(st) : 0,
                                     body[pg].label ? body[pg].label : "?");
    if (t == NULL)
        return pub_error(PUB_ERR_NOMEM);
    return run_add(D, c, t, PUB_FONT_REGULAR, 0, dest);
}

static pub_status index_section(driver *D, pub_page *body, size_t n_body)
{
    pub_status status = PUB_OK;
    const pub_index *ix = D->ix;
    mcell **rows = NULL;
    CHECK(section_title(D, "Index of signatories", "ix-index", 0, PG_NEW_PAGE));
    CHECK(note_line(D, "Every organisation once, as the authority list merges "
                       "its spellings across statements, then the people who "
                       "signed on an organisation\xE2\x80\x99s behalf. Statements "
                       "are numbered in dossier order (see the key to the "
                       "signatory matrix); the page is that of the signature "
                       "row, and each citation is a link to it.", 0));
    if (ix->n_orgs) {
        CHECK(section_title(D, "Organisations", "ix-orgs", 1, 0));
        mtable t = {.cols = 4, .size = D->L.style->table_size};
        t.align[0] = t.align[1] = t.align[2] = t.align[3] = LAY_LEFT;
        mcell head[4] = {{0}};
        CHECK(run_add(D, &head[0], "Abbreviation", 0, 0, NULL));
        CHECK(run_add(D, &head[1], "Organisation", 0, 0, NULL));
        CHECK(run_add(D, &head[2], "Country", 0, 0, NULL));
        CHECK(run_add(D, &head[3], "Signed", 0, 0, NULL));
        rows = calloc(ix->n_orgs, sizeof *rows);
        CHECK_ALLOC(rows);
        for (size_t i = 0; i < ix->n_orgs; i++) {
            const pub_org *g = &ix->orgs[i];
            rows[i] = pub_arena_alloc_array(D->L.scratch, 4, sizeof(mcell));
            CHECK_ALLOC(rows[i]);
            memset(rows[i], 0, 4 * sizeof(mcell));
            /* a dash for none, so that every row opens in the first column */
            CHECK(run_add(D, &rows[i][0], g->abbr ? g->abbr : "\xE2\x80\x94",
                          g->abbr ? PUB_FONT_SANS_BOLD : PUB_FONT_REGULAR,
                          g->abbr ? 0 : 0.5, NULL));
            CHECK(run_add(D, &rows[i][1], g->name ? g->name : g->english,
                          PUB_FONT_REGULAR, 0, NULL));
            if (g->name && g->english && strcmp(g->name, g->english) != 0)
                CHECK(run_add(D, &rows[i][1], g->english, PUB_FONT_ITALIC, 0.2, NULL));
            CHECK(run_add(D, &rows[i][2], g->country, PUB_FONT_REGULAR, 0, NULL));
            const pub_node *prev_st = NULL;
            for (size_t k = 0; k < g->n_signatures; k++) {
                const pub_node *st = pub_node_statement(g->signatures[k]);
                if (st == prev_st)
                    continue; /* one citation per statement */
                prev_st = st;
                CHECK(cite(D, &rows[i][3], g->signatures[k], body, n_body));
            }
        }
        CHECK(mt_set(D, &t, head, rows, ix->n_orgs, 0, 1));
        free(rows);
        rows = NULL;
    }
    if (ix->n_persons) {
        CHECK(section_title(D, "People signing on behalf of an organisation",
                            "ix-persons", 1, 0));
        mtable t = {.cols = 3, .size = D->L.style->table_size};
        t.align[0] = t.align[1] = t.align[2] = LAY_LEFT;
        mcell head[3] = {{0}};
        CHECK(run_add(D, &head[0], "Name", 0, 0, NULL));
        CHECK(run_add(D, &head[1], "Organisation and function", 0, 0, NULL));
        CHECK(run_add(D, &head[2], "Signed", 0, 0, NULL));
        rows = calloc(ix->n_persons, sizeof *rows);
        CHECK_ALLOC(rows);
        for (size_t i = 0; i < ix->n_persons; i++) {
            const pub_person *g = &ix->persons[i];
            rows[i] = pub_arena_alloc_array(D->L.scratch, 3, sizeof(mcell));
            CHECK_ALLOC(rows[i]);
            memset(rows[i], 0, 3 * sizeof(mcell));
            CHECK(run_add(D, &rows[i][0], g->name, PUB_FONT_REGULAR, 0, NULL));
            const char *org = g->org_name;
            if (g->org > 0 && (size_t)g->org <= ix->n_orgs) {
                const pub_org *o = &ix->orgs[g->org - 1];
                if (o->id == g->org && o->name)
                    org = o->name;
            }
            CHECK(run_add(D, &rows[i][1], org, PUB_FONT_REGULAR, 0, NULL));
            CHECK(run_add(D, &rows[i][1], g->role, PUB_FONT_ITALIC, 0.2, NULL));
            const pub_node *prev_st = NULL;
            for (size_t k = 0; k < g->n_signatures; k++) {
                const pub_node *st = pub_node_statement(g->signatures[k]);
                if (st == prev_st)
                    continue;
                prev_st = st;
                CHECK(cite(D, &rows[i][2], g->signatures[k], body, n_body));
            }
        }
        CHECK(mt_set(D, &t, head, rows, ix->n_persons, 0, 1));
    }
fail:
    free(rows);
    return status;
}

/* "2021-06" style short date for a matrix column, or "n.d.". */
static const char *short_date(driver *D, const pub_node *st)
{
    const char *dt = st->as.statement.date;
    if (!dt[0])
        return "n.d.";
    return pub_arena_printf(D->L.arena, "%.7s", dt);
}

static pub_status matrix_section(driver *D)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    const pub_index *ix = D->ix;
    const pub_node *root = pub_dossier_root(D->d);
    size_t n_st = pub_dossier_count(D->d);
    const pub_node **stv = NULL;
    mcell **rows = NULL;
    size_t *grp = NULL, *grp_start = NULL;
    CHECK(section_title(D, "Signatory matrix", "ix-matrix", 0, PG_NEW_PAGE));
    stv = calloc(n_st ? n_st : 1, sizeof *stv);
    CHECK_ALLOC(stv);
    size_t k = 0;
    for (const pub_node *st = root->first_child; st && k < n_st; st = st->next)
        stv[k++] = st;
    n_st = k;
    /* the key */
    CHECK(note_line(D, "Statements, numbered in dossier order:", 0));
    for (size_t i = 0; i < n_st; i++) {
        const char *iss = long_date(D, stv[i]->as.statement.date);
        const char *t = pub_arena_printf(D->L.arena, "%zu\xE2\x80\x82%s%s%s", i + 1,
                                         lay_stmt_title(D, stv[i]),
                                         iss ? " \xE2\x80\x94 " : "", iss ? iss : "");
        CHECK_ALLOC(t);
        block_look kk = {.font = PUB_FONT_REGULAR, .size = s->small_size,
                         .leading = s->small_size * 1.4, .align = LAY_LEFT,
                         .space_before = i == 0 ? s->small_size * 0.4 : 0};
        size_t first;
        CHECK(lay_set_string(D, t, 0, &kk, PG_KEEP_WITH_PREV, 1, &first));
    }
    if (ix->n_orgs == 0 || n_st == 0)
        goto fail;
    if (n_st > PUB_MATRIX_ALL)
        CHECK(note_line(D, "Rows: the organisations that signed two statements or more, "
                           "in each group of columns those with a mark in it. Every "
                           "organisation is in the index.", s->leading * 0.5));
    /* columns of marks: as many as leave the organisation 40 % */
    /* a filled circle from whichever face has one, else a bullet */
    const char *mark = "\xE2\x80\xA2";
    int mark_font = PUB_FONT_SANS_BOLD;
    if (lay_font_has(&D->L.fonts, PUB_FONT_SANS, 0x25CF)) {
        mark = "\xE2\x97\x8F";
        mark_font = PUB_FONT_SANS;
    } else if (lay_font_has(&D->L.fonts, PUB_FONT_REGULAR, 0x25CF)) {
        mark = "\xE2\x97\x8F";
        mark_font = PUB_FONT_REGULAR;
    }
    double colw = lay_text_width(&D->L.fonts, PUB_FONT_SANS_BOLD, s->table_size * 0.9,
                                 "0000-00", 7) + 2 * s->cell_padding + 4;
    size_t per = (size_t)(D->measure * 0.6 / colw);
    if (per < 1)
        per = 1;
    if (per > MT_MAX_COLS - 1)
        per = MT_MAX_COLS - 1;
    rows = calloc(ix->n_orgs ? ix->n_orgs : 1, sizeof *rows);
    CHECK_ALLOC(rows);
    CHECK(pub_matrix_groups(ix, n_st, per, &grp, &grp_start));
    for (size_t g0 = 0; g0 < n_st; g0 += per) {
        size_t gn = n_st - g0 < per ? n_st - g0 : per;
        mtable t = {.cols = (int)gn + 1, .size = s->table_size};
        t.align[0] = LAY_LEFT;
        t.width[0] = D->measure - colw * (double)gn;
        for (size_t c = 1; c <= gn; c++) {
            t.align[c] = LAY_CENTER;
            t.width[c] = colw;
        }
        if (n_st > per) {
            const char *sub = pub_arena_printf(D->L.arena, "Statements %zu\xE2\x80\x93%zu",
                                               g0 + 1, g0 + gn);
            CHECK_ALLOC(sub);
            CHECK(note_line(D, sub, s->leading));
        }
        mcell head[MT_MAX_COLS];
        memset(head, 0, sizeof head);
        CHECK(run_add(D, &head[0], "Organisation", 0, 0, NULL));
        for (size_t c = 0; c < gn; c++) {
            CHECK(run_add(D, &head[c + 1],
                          pub_arena_printf(D->L.arena, "%zu", g0 + c + 1), 0, 0, NULL));
            CHECK(run_add(D, &head[c + 1], short_date(D, stv[g0 + c]), 0, 0, NULL));
        }
        size_t n_rows = 0, gi = g0 / per;
        for (size_t r = grp_start[gi]; r < grp_start[gi + 1]; r++) {
            const pub_org *g = &ix->orgs[grp[r]];
            mcell *row = pub_arena_alloc_array(D->L.scratch, (size_t)t.cols, sizeof(mcell));
            CHECK_ALLOC(row);
            memset(row, 0, (size_t)t.cols * sizeof(mcell));
            const char *label = g->abbr ? g->abbr : g->name ? g->name : g->english;
            CHECK(run_add(D, &row[0], label ? label : "?", PUB_FONT_REGULAR, 0, NULL));
            rows[n_rows++] = row;
            for (size_t q = 0; q < g->n_signatures; q++) {
                const pub_node *st = pub_node_statement(g->signatures[q]);
                size_t c = st ? (size_t)st->as.statement.order : SIZE_MAX;
                if (c < g0 || c >= g0 + gn || row[c - g0 + 1].n != 0)
                    continue;
                CHECK(run_add(D, &row[c - g0 + 1], mark, mark_font, 0,
                              lay_sig_dest(D, g->signatures[q])));
            }
        }
        if (n_rows > 0)
            CHECK(mt_set(D, &t, head, rows, n_rows, 1, -1));
    }
fail:
    free(rows);
    free(stv);
    free(grp);
    free(grp_start);
    return status;
}

static const char *date_source_name(pub_date_source s)
{
    switch (s) {
    case PUB_DATE_DATELINE: return "from the dateline";
    case PUB_DATE_BYLINE: return "from the byline";
    case PUB_DATE_CLOSING: return "from the closing";
    case PUB_DATE_AS_OF: return "from the signatories\xE2\x80\x99 \xE2\x80\x9C" "as of\xE2\x80\x9D date";
    case PUB_DATE_TITLE: return "from the title";
    default: return NULL;
    }
}

/* Thousands separated by a thin space: "12 345". */
static const char *grouped(driver *D, size_t n)
{
    char digits[32], out[64];
    snprintf(digits, sizeof digits, "%zu", n);
    size_t len = strlen(digits), o = 0;
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            memcpy(out + o, "\xE2\x80\x89", 3);
            o += 3;
        }
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return pub_arena_strdup(D->L.arena, out);
}

static pub_status provenance_section(driver *D)
{
    pub_status status = PUB_OK;
    const pub_style *s = D->L.style;
    CHECK(section_title(D, "Provenance", "ix-provenance", 0, PG_NEW_PAGE));
    CHECK(note_line(D, "The source files this dossier was made from, in dossier "
                       "order, with the SHA-256 digest of each file\xE2\x80\x99s "
                       "bytes as read.", 0));
    int no = 0;
    for (const pub_node *st = pub_dossier_root(D->d)->first_child; st; st = st->next) {
        if (st->type != PUB_NODE_STATEMENT)
            continue;
        const pub_statement_info *si = &st->as.statement;
        no++;
        size_t first;
        block_look nk = {.font = PUB_FONT_SANS_BOLD, .size = s->body_size * 0.95,
                         .leading = s->leading, .align = LAY_LEFT,
                         .space_before = s->leading * 0.8};
        const char *name = pub_arena_printf(D->L.arena, "%d\xE2\x80\x82%s", no,
                                            si->basename ? si->basename : si->source);
        CHECK_ALLOC(name);
        CHECK(lay_set_string(D, name, 0, &nk, 0, 1, &first));
        const char *dt = long_date(D, si->date);
        const char *src = date_source_name(si->date_source);
        const char *facts = pub_arena_printf(
            D->L.arena, "%s bytes \xC2\xB7 language %s \xC2\xB7 %s%s%s%s",
            grouped(D, si->size), si->language ? si->language : "not detected",
            dt ? "dated " : "date not recognised", dt ? dt : "",
            src ? ", " : "", src ? src : "");
        CHECK_ALLOC(facts);
        block_look fk = {.font = PUB_FONT_REGULAR, .size = s->small_size,
                         .leading = s->small_size * 1.45, .align = LAY_LEFT,
                         .left = s->small_size * 1.6};
        CHECK(lay_set_string(D, facts, 0, &fk, PG_KEEP_WITH_PREV, 1, &first));
        /* the digest on one line: smaller type when the measure needs it */
        const char *label = "SHA-256 ";
        double hs = s->small_size;
        double avail = D->measure - fk.left;
        double w = lay_text_width(&D->L.fonts, PUB_FONT_SANS, hs, si->sha256, 64) +
                   lay_text_width(&D->L.fonts, PUB_FONT_SANS, hs, label, strlen(label));
        if (w > avail)
            hs *= avail / w * 0.98;
        const char *hash = pub_arena_printf(D->L.arena, "%s%s", label, si->sha256);
        CHECK_ALLOC(hash);
        block_look hk = {.font = PUB_FONT_SANS, .size = hs,
                         .leading = s->small_size * 1.45, .align = LAY_LEFT,
                         .left = fk.left, .gray = 0.1};
        CHECK(lay_set_string(D, hash, 0, &hk, PG_KEEP_WITH_PREV, 1, &first));
    }
    CHECK(section_title(D, "This edition", "ix-colophon", 1, 0));
    char bd[11];
    int env;
    build_date(D->d, bd, &env);
    const char *bdt = long_date(D, bd);
    const char *text = pub_arena_printf(
        D->L.arena,
        "Typeset by publish " PUB_VERSION " in the style \xE2\x80\x9C%s\xE2\x80\x9D "
        "(%s paper); built on %s (%s). Text set in Noto Serif and Noto Sans, "
        "embedded; lines broken by the Knuth\xE2\x80\x93Plass algorithm and "
        "hyphenated with Liang\xE2\x80\x99s patterns; written through libharu as "
        "PDF/A-2b (declared, with an sRGB output intent).",
        s->name[0] ? s->name : "default", s->paper[0] ? s->paper : "custom",
        bdt ? bdt : "an unknown date",
        env ? "SOURCE_DATE_EPOCH" : "the date of the latest statement");
    CHECK_ALLOC(text);
    block_look ck = {.font = PUB_FONT_REGULAR, .size = s->small_size,
                     .leading = s->small_size * 1.45, .align = LAY_LEFT,
                     .space_before = s->leading * 0.3};
    size_t first;
    CHECK(lay_set_string(D, text, 0, &ck, PG_KEEP_WITH_PREV, 0, &first));
fail:
    return status;
}

size_t lay_back_matter_parts(const driver *D, matter_entry *entries)
{
    size_t n = 0;
    if (D->ix != NULL && (D->ix->n_orgs || D->ix->n_persons))
        entries[n++] = (matter_entry){"Index of signatories", "ix-index", MATTER_INDEX};
    if (D->ix != NULL && D->ix->n_orgs)
        entries[n++] = (matter_entry){"Signatory matrix", "ix-matrix", MATTER_MATRIX};
    entries[n++] = (matter_entry){"Provenance", "ix-provenance", MATTER_PROVENANCE};
    return n;
}

pub_status lay_back_matter(driver *D, pub_page *body, size_t n_body,
                           const matter_entry *entries, size_t n_entries)
{
    pub_status status = PUB_OK;
    D->L.stmt = NULL;
    D->lang = D->L.style->language;
    lay_sigs_sort(D); /* the body is done: every row has its page */
    for (size_t k = 0; k < n_entries; k++) {
        switch (entries[k].part) {
        case MATTER_INDEX:
            CHECK(index_section(D, body, n_body));
            break;
        case MATTER_MATRIX:
            CHECK(matrix_section(D));
            break;
        case MATTER_PROVENANCE:
            CHECK(provenance_section(D));
            break;
        }
    }
fail:
    return status;
}
