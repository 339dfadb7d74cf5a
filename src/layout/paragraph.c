/*
 * paragraph.c — turns a block's inline content into Knuth–Plass items
 * (boxes, glue, penalties; Knuth & Plass 1981) with break opportunities
 * from UAX #14 (libunibreak) and Liang hyphenation, then into set lines.
 */
#include "layout/internal.h"

#include <linebreak.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define FIL 100000.0
#define HYPHEN_PENALTY 250
#define EXHYPHEN_PENALTY 150
#define OTHER_BREAK_PENALTY 100

typedef struct piece {
    int font;
    double size, rise, width;
    const char *text;  /* arena */
    size_t len;
    size_t off;        /* plain-text offset */
    const pub_node *note;
    int hyphen_font;   /* for penalties: font of the inserted hyphen */
} piece;

typedef struct src {
    char *text;        /* plain text (malloc) */
    uint8_t *font;     /* per byte */
    size_t len, cap;
    struct { size_t off; const pub_node *node; } *notes;
    size_t n_notes, cap_notes;
    int line;          /* source line for diagnostics */
} src;

typedef struct builder {
    lay_ctx *L;
    const lay_para_opts *o;
    lb_item *items;
    size_t n_items, cap_items;
    piece *pieces;
    size_t n_pieces, cap_pieces;
    pub_buf cur;       /* drawn bytes of the piece being collected ... */
    const char *span;  /* ... followed by these, still where they are */
    size_t span_len;   /* (most pieces are a stretch of the text as it is) */
    int cur_font;
    size_t cur_off;
} builder;

/* The boxes of the line being set, reused from line to line; each line
 * keeps an exact copy in the scratch arena. */
typedef struct boxvec {
    pub_box *v;
    size_t n, cap;
} boxvec;

/* What paragraphs are built in, kept from one paragraph to the next on a
 * thread (lay_ctx.mem), so that once its buffers have grown setting a
 * paragraph allocates only what its lines keep. */
struct lay_mem {
    src s;
    lb_item *items;
    size_t cap_items;
    piece *pieces;
    size_t cap_pieces;
    pub_buf cur;
    char *brks;           /* UAX #14 break classes, per byte */
    size_t cap_brks;
    unsigned char *hy;    /* hyphenation points, per byte */
    size_t cap_hy;
    pub_buf run;
    boxvec bv;
    lb_result r;
};

void lay_mem_free(lay_mem *m)
{
    if (m == NULL)
        return;
    free(m->s.text);
    free(m->s.font);
    free(m->s.notes);
    free(m->items);
    free(m->pieces);
    pub_buf_free(&m->cur);
    free(m->brks);
    free(m->hy);
    pub_buf_free(&m->run);
    free(m->bv.v);
    lb_result_free(&m->r);
    free(m);
}

static lay_mem *mem_of(lay_ctx *L)
{
    if (L->mem == NULL)
        L->mem = calloc(1, sizeof *L->mem);
    return L->mem;
}

double lay_ascent(lay_ctx *L, int font, double size)
{
    return L->fonts.ascent[font] * size / 1000.0;
}

static pub_status src_append(src *s, const char *p, size_t n, int font)
{
    size_t need;
    if (!pub_add_ok(s->len, n + 1, &need))
        return pub_error(PUB_ERR_NOMEM);
    if (need > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < need)
            cap *= 2;
        char *t = realloc(s->text, cap);
        if (t == NULL)
            return pub_error(PUB_ERR_NOMEM);
        s->text = t;
        uint8_t *f = realloc(s->font, cap);
        if (f == NULL)
            return pub_error(PUB_ERR_NOMEM);
        s->font = f;
        s->cap = cap;
    }
    memcpy(s->text + s->len, p, n);
    memset(s->font + s->len, font, n);
    s->len += n;
    s->text[s->len] = '\0';
    return PUB_OK;
}

static pub_status src_note(src *s, const pub_node *node)
{
    void *v = s->notes;
    pub_status st = pub_array_grow(&v, s->n_notes, &s->cap_notes, sizeof *s->notes, 4);
    s->notes = v;
    if (st != PUB_OK)
        return st;
    s->notes[s->n_notes].off = s->len;
    s->notes[s->n_notes].node = node;
    s->n_notes++;
    return PUB_OK;
}

static int variant(int base, int bold, int italic)
{
    if (base == PUB_FONT_SANS || base == PUB_FONT_SANS_BOLD)
        return bold || base == PUB_FONT_SANS_BOLD ? PUB_FONT_SANS_BOLD : PUB_FONT_SANS;
    bold = bold || base == PUB_FONT_BOLD || base == PUB_FONT_BOLDITALIC;
    italic = italic || base == PUB_FONT_ITALIC || base == PUB_FONT_BOLDITALIC;
    if (bold && italic)
        return PUB_FONT_BOLDITALIC;
    if (bold)
        return PUB_FONT_BOLD;
    if (italic)
        return PUB_FONT_ITALIC;
    return PUB_FONT_REGULAR;
}

/* The block's plain text, as pub_node_plain_text builds it, with a font per
 * byte and the offsets of note references. */
static pub_status collect(const pub_node *block, int base, src *s)
{
    pub_status status = PUB_OK;
    pub_iter it;
    pub_iter_init(&it, block);
    int bold = 0, italic = 0;
    pub_event ev;
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        const pub_node *n = pub_iter_node(&it);
        if (n == block)
            continue;
        int enter = ev == PUB_EVENT_ENTER;
        switch (n->type) {
        case PUB_NODE_STRONG: bold += enter ? 1 : -1; break;
        case PUB_NODE_EMPH: italic += enter ? 1 : -1; break;
        case PUB_NODE_TEXT:
            CHECK(src_append(s, n->as.text.data, n->as.text.len,
                             variant(base, bold > 0, italic > 0)));
            break;
        case PUB_NODE_LINEBREAK:
            CHECK(src_append(s, "\n", 1, variant(base, bold > 0, italic > 0)));
            break;
        case PUB_NODE_NOTEREF:
            CHECK(src_note(s, n));
            break;
        default: break;
        }
    }
fail:
    return status;
}

static pub_status add_item(builder *b, const lb_item *it)
{
    void *v = b->items;
    pub_status s = pub_array_grow(&v, b->n_items, &b->cap_items, sizeof *b->items, 128);
    b->items = v;
    if (s != PUB_OK)
        return s;
    b->items[b->n_items++] = *it;
    return PUB_OK;
}

static pub_status add_piece(builder *b, const piece *p, size_t *idx)
{
    void *v = b->pieces;
    pub_status s = pub_array_grow(&v, b->n_pieces, &b->cap_pieces, sizeof *b->pieces, 128);
    b->pieces = v;
    if (s != PUB_OK)
        return s;
    b->pieces[b->n_pieces] = *p;
    *idx = b->n_pieces++;
    return PUB_OK;
}

/* Bytes collected for the piece: cur, then the span. */
static size_t collected(const builder *b)
{
    return b->cur.len + b->span_len;
}

/* Adds n drawn bytes at p to the piece: the span grows while they follow
 * it, otherwise it goes into cur and they start a new one. */
static pub_status put_bytes(builder *b, const char *p, size_t n)
{
    if (b->span_len > 0 && b->span + b->span_len == p) {
        b->span_len += n;
        return PUB_OK;
    }
    if (b->span_len > 0) {
        pub_status st = pub_buf_append(&b->cur, b->span, b->span_len);
        if (st != PUB_OK)
            return st;
    }
    b->span = p;
    b->span_len = n;
    return PUB_OK;
}

static pub_status flush(builder *b)
{
    if (collected(b) == 0)
        return PUB_OK;
    piece p = {.font = b->cur_font, .size = b->o->size, .off = b->cur_off};
    if (b->cur.len == 0) {
        p.text = pub_arena_strndup(b->L->scratch, b->span, b->span_len);
        p.len = b->span_len;
    } else {
        if (b->span_len > 0 &&
            pub_buf_append(&b->cur, b->span, b->span_len) != PUB_OK)
            return pub_error(PUB_ERR_NOMEM);
        p.text = pub_arena_strndup(b->L->scratch, b->cur.data, b->cur.len);
        p.len = b->cur.len;
    } /* the lines copy it */
    if (p.text == NULL)
        return pub_error(PUB_ERR_NOMEM);
    p.width = lay_text_width(&b->L->fonts, p.font, p.size, p.text, p.len);
    b->cur.len = 0;
    b->span_len = 0;
    size_t idx;
    pub_status st = add_piece(b, &p, &idx);
    if (st != PUB_OK)
        return st;
    lb_item it = {.kind = LB_BOX, .width = p.width, .ref = idx};
    return add_item(b, &it);
}

static pub_status add_glue(builder *b, int font)
{
    if (b->n_items == 0 || b->items[b->n_items - 1].kind == LB_GLUE)
        return PUB_OK;
    double sp = lay_font_advance(&b->L->fonts, font, ' ') * b->o->size / 1000.0;
    lb_item it = {.kind = LB_GLUE, .width = sp, .stretch = sp * 0.6,
                  .shrink = sp * 0.3, .ref = SIZE_MAX};
    if (b->o->align != LAY_JUSTIFY)
        it.stretch = it.shrink = 0;
    return add_item(b, &it);
}

static pub_status add_penalty(builder *b, double width, int pen, int flagged,
                              int font)
{
    lb_item it = {.kind = LB_PENALTY, .width = width, .penalty = pen,
                  .flagged = flagged, .ref = SIZE_MAX};
    if (width > 0) {
        piece p = {.font = font, .size = b->o->size, .text = "-", .len = 1,
                   .width = width};
        pub_status st = add_piece(b, &p, &it.ref);
        if (st != PUB_OK)
            return st;
    }
    return add_item(b, &it);
}

static pub_status end_paragraph(builder *b)
{
    while (b->n_items > 0 && b->items[b->n_items - 1].kind == LB_GLUE)
        b->n_items--;
    lb_item fil = {.kind = LB_GLUE, .stretch = FIL, .ref = SIZE_MAX};
    lb_item brk = {.kind = LB_PENALTY, .penalty = -LB_INFINITY, .ref = SIZE_MAX};
    pub_status st = add_item(b, &fil);
    if (st == PUB_OK)
        st = add_item(b, &brk);
    return st;
}

static int is_letter(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC;
}

static int is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0x2002 ||
           cp == 0x2003 || cp == 0x2009 || cp == 0x3000;
}

/* Marks hyphenation points (hy[i] = 1: may break before byte i). Never in
 * URLs, e-mail addresses, abbreviations (all capitals) or words with
 * digits. */
static void find_hyphens(lay_ctx *L, const lay_para_opts *o, const src *s,
                         unsigned char *hy)
{
    memset(hy, 0, s->len + 1);
    if (!o->hyphenate || !L->style->hyphenate || o->lang == NULL ||
        lay_hyph_dict_for(o->lang) == NULL)
        return;
    const unsigned char *t = (const unsigned char *)s->text;
    size_t i = 0;
    while (i < s->len) {
        /* one whitespace-delimited token [i, e) */
        while (i < s->len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\t'))
            i++;
        size_t e = i;
        int digits = 0, url = 0;
        while (e < s->len && t[e] != ' ' && t[e] != '\n' && t[e] != '\t') {
            if (t[e] >= '0' && t[e] <= '9')
                digits = 1;
            if (t[e] == '@' || t[e] == '/' || t[e] == '\\' ||
                (t[e] == ':' && e + 2 < s->len && t[e + 1] == '/') ||
                (e + 4 <= s->len && memcmp(t + e, "www.", 4) == 0))
                url = 1;
            e++;
        }
        if (!digits && !url) {
            size_t k = i;
            while (k < e) {
                int32_t cp;
                size_t n = pub_utf8_decode(t + k, e - k, &cp);
                if (n == 0) {
                    k++;
                    continue;
                }
                if (!is_letter(cp)) {
                    k += n;
                    continue;
                }
                size_t ws = k;
                int lower = 0, chars = 0;
                while (k < e) {
                    n = pub_utf8_decode(t + k, e - k, &cp);
                    if (n == 0 || !is_letter(cp))
                        break;
                    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_LL)
                        lower = 1;
                    chars++;
                    k += n;
                }
                if (lower && chars >= 5 && k - ws < 1000) {
                    unsigned char pts[1024];
                    if (lay_hyphenate_memo(L->hyph, L->hmemo, o->lang,
                                           (const char *)t + ws, k - ws,
                                           L->style->hyphen_min_left,
                                           L->style->hyphen_min_right, pts) > 0)
                        for (size_t q = 0; q < k - ws; q++)
                            if (pts[q])
                                hy[ws + q] = 1;
                }
            }
        }
        i = e;
    }
}

void lay_warned_reset(lay_ctx *L)
{
    if (L->n_warned == SIZE_MAX)
        memset(L->warned, 0, 0x110000 / 8);
    else
        for (size_t i = 0; i < L->n_warned; i++)
            L->warned[L->warned_cps[i] >> 3] = 0;
    L->n_warned = 0;
}

static void report_char(lay_ctx *L, int line, int32_t cp, const char *why)
{
    if (cp < 0 || cp > 0x10FFFF)
        return;
    if (L->warned[cp >> 3] & (1u << (cp & 7)))
        return;
    L->warned[cp >> 3] |= (uint8_t)(1u << (cp & 7));
    if (L->n_warned != SIZE_MAX) {
        void *v = L->warned_cps;
        if (pub_array_grow(&v, L->n_warned, &L->cap_warned,
                           sizeof *L->warned_cps, 16) == PUB_OK) {
            L->warned_cps = v;
            L->warned_cps[L->n_warned++] = cp;
        } else {
            L->n_warned = SIZE_MAX; /* the next reset clears every bit */
        }
    }
    char u[5] = {0};
    pub_utf8_encode(cp, u);
    const char *file = L->stmt ? L->stmt->as.statement.source : NULL;
    pub_diag(L->ctx, PUB_WARNING, file, line,
             "character U+%04X '%s' %s; it is printed as '?'", (unsigned)cp,
             u, why);
}

/* build_items with plain = 1 leaves out the break opportunities inside
 * words (UAX #14 and hyphenation): for text that will stand on one line
 * anyway, where they change nothing but cost the most. */
static pub_status build_items(builder *b, src *s, int plain)
{
    pub_status status = PUB_OK;
    lay_ctx *L = b->L;
    const lay_para_opts *o = b->o;
    size_t n = s->len;
    lay_mem *m = L->mem;
    void *vb = m->brks, *vh = m->hy;
    status = pub_array_reserve(&vb, n + 1, &m->cap_brks, 1, 256);
    m->brks = vb;
    CHECK(status);
    status = pub_array_reserve(&vh, n + 1, &m->cap_hy, 1, 256);
    m->hy = vh;
    CHECK(status);
    char *brks = m->brks;
    unsigned char *hy = m->hy;
    if (plain) {
        memset(brks, LINEBREAK_NOBREAK, n + 1);
        memset(hy, 0, n + 1);
    } else {
        if (n > 0)
            set_linebreaks_utf8((const utf8_t *)s->text, n, o->lang, brks);
        find_hyphens(L, o, s, hy);
    }
    if (o->indent > 0) {
        lb_item ind = {.kind = LB_BOX, .width = o->indent, .ref = SIZE_MAX};
        CHECK(add_item(b, &ind));
    }
    size_t note = 0;
    size_t i = 0;
    const unsigned char *t = (const unsigned char *)s->text;
    b->cur.len = 0;
    b->span_len = 0;
    while (i <= n) {
        while (note < s->n_notes && s->notes[note].off == i) {
            CHECK(flush(b));
            const pub_node *nr = s->notes[note].node;
            const char *label = nr->as.note.label ? nr->as.note.label : "*";
            piece p = {.font = PUB_FONT_REGULAR, .size = o->size * 0.62,
                       .rise = o->size * 0.36, .off = i, .note = nr};
            p.text = label;
            p.len = strlen(label);
            p.width = lay_text_width(&L->fonts, p.font, p.size, p.text, p.len) +
                      o->size * 0.05;
            /* "Russia [1]": the space written before a reference stays, but
             * never lets the mark start a line */
            if (b->n_items > 0 && b->items[b->n_items - 1].kind == LB_GLUE) {
                lb_item glue = b->items[b->n_items - 1];
                b->items[b->n_items - 1] = (lb_item){.kind = LB_PENALTY,
                                                     .penalty = LB_INFINITY,
                                                     .ref = SIZE_MAX};
                CHECK(add_item(b, &glue));
            }
            size_t idx;
            CHECK(add_piece(b, &p, &idx));
            lb_item it = {.kind = LB_BOX, .width = p.width, .ref = idx};
            CHECK(add_item(b, &it));
            note++;
        }
        if (i == n)
            break;
        int32_t cp;
        size_t k = pub_utf8_decode(t + i, n - i, &cp);
        if (k == 0) {
            k = 1;
            cp = 0xFFFD;
        }
        int f = s->font[i];
        if (is_space(cp)) {
            CHECK(flush(b));
            CHECK(add_glue(b, f));
            i += k;
            continue;
        }
        if (cp == '\n') {
            CHECK(flush(b));
            while (b->n_items > 0 && b->items[b->n_items - 1].kind == LB_GLUE)
                b->n_items--;
            lb_item fil = {.kind = LB_GLUE, .stretch = FIL, .ref = SIZE_MAX};
            lb_item brk = {.kind = LB_PENALTY, .penalty = -LB_INFINITY,
                           .ref = SIZE_MAX};
            CHECK(add_item(b, &fil));
            CHECK(add_item(b, &brk));
            i += k;
            continue;
        }
        if (cp == 0xAD) {
            CHECK(flush(b));
            double hw = lay_text_width(&L->fonts, f, o->size, "-", 1);
            CHECK(add_penalty(b, hw, HYPHEN_PENALTY, 1, f));
            i += k;
            continue;
        }
        if (cp == 0x200B || cp == 0xFEFF || cp == 0x200C || cp == 0x200D) {
            CHECK(flush(b));
            if (cp == 0x200B)
                CHECK(add_penalty(b, 0, 0, 0, f));
            i += k;
            continue;
        }
        if (hy[i] && collected(b) > 0) {
            CHECK(flush(b));
            double hw = lay_text_width(&L->fonts, b->pieces[b->n_pieces - 1].font,
                                       o->size, "-", 1);
            CHECK(add_penalty(b, hw, HYPHEN_PENALTY, 1,
                              b->pieces[b->n_pieces - 1].font));
        }
        /* the glyph: the block's font, else the sans, else '?' */
        int ef = f;
        const char *bytes = (const char *)t + i;
        size_t blen = k;
        if (cp < 0x20 || cp > 0xFFFF || !lay_font_has(&L->fonts, f, cp)) {
            int sans = (f == PUB_FONT_BOLD || f == PUB_FONT_BOLDITALIC)
                           ? PUB_FONT_SANS_BOLD : PUB_FONT_SANS;
            if (cp >= 0x20 && cp <= 0xFFFF && lay_font_has(&L->fonts, sans, cp)) {
                ef = sans;
            } else {
                report_char(L, s->line, cp,
                            cp > 0xFFFF ? "lies beyond the Basic Multilingual "
                                          "Plane, which the PDF fonts cannot show"
                                        : "is missing from the fonts");
                bytes = "?";
                blen = 1;
            }
        }
        if (collected(b) > 0 && ef != b->cur_font)
            CHECK(flush(b));
        if (collected(b) == 0) {
            b->cur_font = ef;
            b->cur_off = i;
        }
        CHECK(put_bytes(b, bytes, blen));
        i += k;
        /* a UAX #14 break opportunity inside the token */
        if (i < n && brks[i - 1] == LINEBREAK_ALLOWBREAK) {
            int32_t nx;
            size_t nk = pub_utf8_decode(t + i, n - i, &nx);
            if (nk > 0 && !is_space(nx) && nx != '\n' && !hy[i]) {
                CHECK(flush(b));
                int hyphenish = cp == '-' || cp == 0x2010;
                CHECK(add_penalty(b, 0, hyphenish ? EXHYPHEN_PENALTY
                                                  : OTHER_BREAK_PENALTY,
                                  hyphenish, ef));
            }
        }
    }
    CHECK(flush(b));
    CHECK(end_paragraph(b));
fail:
    return status;
}

/* Splits runs of boxes wider than the measure at every character. */
static pub_status break_overwide(builder *b, double width, int line)
{
    pub_status status = PUB_OK;
    lb_item *old = b->items;
    size_t n = b->n_items;
    size_t i = 0;
    int any = 0;
    /* quick scan */
    while (i < n) {
        double w = 0;
        size_t j = i;
        while (j < n && !(old[j].kind == LB_GLUE ||
                          (old[j].kind == LB_PENALTY && old[j].penalty < LB_INFINITY))) {
            w += old[j].width;
            j++;
        }
        if (w > width + 0.01)
            any = 1;
        i = j + 1;
    }
    if (!any)
        return PUB_OK;
    b->items = NULL;
    b->n_items = b->cap_items = 0;
    i = 0;
    while (i < n) {
        double w = 0;
        size_t j = i;
        while (j < n && !(old[j].kind == LB_GLUE ||
                          (old[j].kind == LB_PENALTY && old[j].penalty < LB_INFINITY))) {
            w += old[j].width;
            j++;
        }
        for (size_t k = i; k < j; k++) {
            if (w <= width + 0.01 || old[k].kind != LB_BOX || old[k].ref == SIZE_MAX) {
                CHECK(add_item(b, &old[k]));
                continue;
            }
            piece pc = b->pieces[old[k].ref];
            if (k == i || (k > i && old[k - 1].kind == LB_PENALTY)) {
                const char *file = b->L->stmt ? b->L->stmt->as.statement.source : NULL;
                pub_diag(b->L->ctx, PUB_WARNING, file, line,
                         "'%.*s' is wider than the measure; broken between "
                         "characters", (int)(pc.len > 60 ? 60 : pc.len), pc.text);
                b->L->n_overwide++;
            }
            size_t q = 0;
            while (q < pc.len) {
                int32_t cp;
                size_t cl = pub_utf8_decode((const unsigned char *)pc.text + q,
                                            pc.len - q, &cp);
                if (cl == 0)
                    cl = 1;
                piece sub = pc;
                sub.text = pc.text + q;
                sub.len = cl;
                sub.off = pc.off + q;
                sub.width = lay_text_width(&b->L->fonts, pc.font, pc.size,
                                           sub.text, cl);
                size_t idx;
                CHECK(add_piece(b, &sub, &idx));
                lb_item bx = {.kind = LB_BOX, .width = sub.width, .ref = idx};
                CHECK(add_item(b, &bx));
                q += cl;
                if (q < pc.len) {
                    lb_item pen = {.kind = LB_PENALTY, .penalty = 500,
                                   .ref = SIZE_MAX};
                    CHECK(add_item(b, &pen));
                }
            }
        }
        if (j < n)
            CHECK(add_item(b, &old[j]));
        i = j + 1;
    }
fail:
    free(old);
    return status;
}


static pub_status push_box(boxvec *bv, const pub_box *bx)
{
    void *v = bv->v;
    pub_status s = pub_array_grow(&v, bv->n, &bv->cap, sizeof *bv->v, 16);
    bv->v = v;
    if (s != PUB_OK)
        return s;
    bv->v[bv->n++] = *bx;
    return PUB_OK;
}

static pub_status emit_run(lay_ctx *L, boxvec *bv, pub_buf *run, int font, double size, double rise,
                           double x, double gray)
{
    if (run->len == 0)
        return PUB_OK;
    pub_box bx = {.kind = PUB_BOX_GLYPHS, .x = x, .y = rise, .font = font,
                  .size = size, .gray = gray};
    bx.text = pub_arena_strndup(L->arena, run->data, run->len);
    if (bx.text == NULL)
        return pub_error(PUB_ERR_NOMEM);
    bx.len = run->len;
    bx.w = lay_text_width(&L->fonts, font, size, bx.text, bx.len);
    bx.h = size;
    run->len = 0;
    return push_box(bv, &bx);
}

static const char *note_dest(lay_ctx *L, const char *kind, const pub_node *n)
{
    const pub_node *st = pub_node_statement(n);
    return pub_arena_printf(L->arena, "%s-%d-%s", kind,
                            st ? st->as.statement.order : 0,
                            n->as.note.label ? n->as.note.label : "");
}

/* Sets the lines chosen by the breaker. */
static pub_status set_lines(builder *b, const lb_result *r, lay_para *out)
{
    pub_status status = PUB_OK;
    lay_ctx *L = b->L;
    const lay_para_opts *o = b->o;
    pub_buf run = L->mem->run;
    boxvec bv = L->mem->bv;
    run.len = 0;
    out->n_lines = r->n_lines;
    out->lines = pub_arena_alloc_array(L->scratch, r->n_lines ? r->n_lines : 1,
                                       sizeof *out->lines);
    CHECK_ALLOC(out->lines);
    size_t start = 0;
    for (size_t li = 0; li < r->n_lines; li++) {
        lay_line *ln = &out->lines[li];
        bv.n = 0;
        size_t brk = r->breaks[li];
        double ratio = r->ratios[li];
        int last = li + 1 == r->n_lines ||
                   (b->items[brk].kind == LB_PENALTY &&
                    b->items[brk].penalty <= -LB_INFINITY);
        if (o->align != LAY_JUSTIFY || (last && ratio > 0))
            ratio = 0;
        if (ratio > 0 && r->first_fit && ratio > L->lbp.tolerance * 2)
            ratio = L->lbp.tolerance * 2;
        /* skip what a break discards */
        while (start < brk && b->items[start].kind != LB_BOX)
            start++;
        ln->off = SIZE_MAX;
        size_t n_notes = 0;
        for (size_t k = start; k < brk; k++)
            if (b->items[k].kind == LB_BOX && b->items[k].ref != SIZE_MAX &&
                b->pieces[b->items[k].ref].note)
                n_notes++;
        if (n_notes) {
            ln->notes = pub_arena_alloc_array(L->scratch, n_notes, sizeof *ln->notes);
            CHECK_ALLOC(ln->notes);
        }
        double x = 0, run_x = 0, run_rise = 0, run_size = 0;
        int run_font = -1;
        for (size_t k = start; k <= brk; k++) {
            const lb_item *it = &b->items[k];
            if (k == brk) {
                if (it->kind == LB_PENALTY && it->width > 0 && it->ref != SIZE_MAX) {
                    const piece *h = &b->pieces[it->ref];
                    if (run_font != h->font || run_rise != 0) {
                        CHECK(emit_run(L, &bv, &run, run_font, run_size,
                                       run_rise, run_x, o->gray));
                        run_font = h->font;
                        run_size = h->size;
                        run_rise = 0;
                        run_x = x;
                    }
                    CHECK(pub_buf_append(&run, "-", 1));
                    x += h->width;
                    ln->hyphen = 1;
                }
                break;
            }
            if (it->kind == LB_GLUE) {
                double gw = it->width;
                if (it->stretch < FIL) {
                    if (ratio > 0)
                        gw += ratio * it->stretch;
                    else if (ratio < 0)
                        gw += ratio * it->shrink;
                }
                /* a space of its natural width stays inside the run: one
                 * glyph run per stretch of unjustified text, not per word,
                 * at the same positions (the space glyph has that advance) */
                if (run.len > 0 && run_font >= 0 && run_rise == 0 && k + 1 < brk &&
                    fabs(gw - lay_font_advance(&L->fonts, run_font, ' ') *
                                  run_size / 1000.0) < 1e-9) {
                    CHECK(pub_buf_append(&run, " ", 1));
                    x += gw;
                    continue;
                }
                CHECK(emit_run(L, &bv, &run, run_font, run_size, run_rise,
                               run_x, o->gray));
                x += gw;
                run_x = x;
                continue;
            }
            if (it->kind != LB_BOX)
                continue;
            if (it->ref == SIZE_MAX) { /* indent */
                CHECK(emit_run(L, &bv, &run, run_font, run_size, run_rise,
                               run_x, o->gray));
                x += it->width;
                run_x = x;
                continue;
            }
            const piece *p = &b->pieces[it->ref];
            if (ln->off == SIZE_MAX)
                ln->off = p->off;
            if (p->font != run_font || p->rise != run_rise || p->size != run_size ||
                p->note) {
                CHECK(emit_run(L, &bv, &run, run_font, run_size, run_rise,
                               run_x, o->gray));
                run_font = p->font;
                run_size = p->size;
                run_rise = p->rise;
                run_x = x;
            }
            CHECK(pub_buf_append(&run, p->text, p->len));
            if (p->note) {
                CHECK(emit_run(L, &bv, &run, run_font, run_size, run_rise,
                               run_x, o->gray));
                ln->notes[ln->n_notes++] = p->note;
                pub_box link = {.kind = PUB_BOX_LINK, .x = x - 1,
                                .y = p->rise - 1, .w = p->width + 2,
                                .h = p->size + 2,
                                .dest = note_dest(L, "fn", p->note)};
                pub_box dest = {.kind = PUB_BOX_DEST, .x = x,
                                .y = o->size * 1.2,
                                .dest = note_dest(L, "fnref", p->note)};
                CHECK_ALLOC(link.dest);
                CHECK_ALLOC(dest.dest);
                CHECK(push_box(&bv, &link));
                CHECK(push_box(&bv, &dest));
                run_font = -1;
            }
            x += p->width;
        }
        CHECK(emit_run(L, &bv, &run, run_font, run_size, run_rise, run_x,
                       o->gray));
        if (ln->off == SIZE_MAX)
            ln->off = li > 0 ? out->lines[li - 1].off : 0;
        ln->width = x;
        if (bv.n) {
            ln->boxes = pub_arena_alloc_array(L->scratch, bv.n, sizeof *ln->boxes);
            CHECK_ALLOC(ln->boxes);
            memcpy(ln->boxes, bv.v, bv.n * sizeof *ln->boxes);
            ln->n_boxes = bv.n;
        }
        double shift = 0;
        if (o->align == LAY_CENTER)
            shift = (o->width - x) / 2;
        else if (o->align == LAY_RIGHT)
            shift = o->width - x;
        if (shift != 0)
            for (size_t q = 0; q < ln->n_boxes; q++)
                ln->boxes[q].x += shift;
        start = brk + 1;
    }
fail:
    L->mem->run = run;
    L->mem->bv = bv;
    return status;
}

/* Might s stand on one line of o->width? No forced breaks, notes, soft
 * hyphens or zero-width characters, and about narrow enough in the base
 * font (the items measure it exactly: one_line). */
static int maybe_one_line(lay_ctx *L, const lay_para_opts *o, const src *s)
{
    if (s->n_notes > 0 || s->len == 0)
        return 0;
    const unsigned char *t = (const unsigned char *)s->text;
    for (size_t i = 0; i < s->len; i++)
        if (t[i] == '\n' || (t[i] == 0xC2 && i + 1 < s->len && t[i + 1] == 0xAD) ||
            (t[i] == 0xE2 && i + 2 < s->len && t[i + 1] == 0x80 && t[i + 2] >= 0x8B &&
             t[i + 2] <= 0x8D) ||
            (t[i] == 0xEF && i + 2 < s->len && t[i + 1] == 0xBB && t[i + 2] == 0xBF))
            return 0;
    double w = lay_text_width(&L->fonts, o->font, o->size, s->text, s->len);
    return o->indent + w <= o->width * 1.05;
}

/* Do the items (all but the closing fil and break) fit on one line? Then
 * Knuth-Plass and first fit both set exactly that line, whatever breaks
 * the text offers: every other choice costs a line's demerits more, and
 * no penalty is negative. A margin keeps rounding out of the question. */
static int one_line(const builder *b, double width)
{
    double w = 0;
    for (size_t i = 0; i + 2 < b->n_items; i++)
        if (b->items[i].kind == LB_BOX || b->items[i].kind == LB_GLUE)
            w += b->items[i].width;
        else if (b->items[i].penalty <= -LB_INFINITY)
            return 0;
    return w <= width - 1e-6;
}

static pub_status run_builder(lay_ctx *L, const lay_para_opts *o, src *s,
                              lay_para *out)
{
    pub_status status = PUB_OK;
    lay_mem *m = L->mem;
    builder b = {.L = L, .o = o, .items = m->items, .cap_items = m->cap_items,
                 .pieces = m->pieces, .cap_pieces = m->cap_pieces, .cur = m->cur};
    lb_result *r = &m->r;
    memset(out, 0, sizeof *out);
    int plain = maybe_one_line(L, o, s);
    CHECK(build_items(&b, s, plain));
    if (plain && !one_line(&b, o->width)) { /* it breaks: every opportunity */
        b.n_items = 0;
        b.n_pieces = 0;
        CHECK(build_items(&b, s, 0));
    }
    CHECK(break_overwide(&b, o->width, s->line));
    double w = o->width;
    if (o->align == LAY_JUSTIFY) {
        CHECK(lb_break(b.items, b.n_items, &w, 1, &L->lbp, r));
        if (r->first_fit) {
            /* before first fit, total fit once more with looser lines
             * allowed (as TeX's last pass does, with its emergency
             * stretch): twice the tolerance, the ratio first fit's lines
             * are held to anyway, so no line is looser than first fit's
             * and the whole paragraph is still chosen at once */
            lb_params loose = L->lbp;
            loose.tolerance *= 2;
            CHECK(lb_break(b.items, b.n_items, &w, 1, &loose, r));
        }
        if (r->first_fit) {
            const char *file = L->stmt ? L->stmt->as.statement.source : NULL;
            pub_diag(L->ctx, PUB_NOTE, file, s->line,
                     "no line breaks within tolerance; set first-fit");
            L->n_first_fit++;
        }
    } else {
        CHECK(lb_first_fit(b.items, b.n_items, &w, 1, r));
        r->first_fit = 0;
    }
    CHECK(set_lines(&b, r, out));
    out->first_fit = r->first_fit;
fail:
    m->items = b.items;
    m->cap_items = b.cap_items;
    m->pieces = b.pieces;
    m->cap_pieces = b.cap_pieces;
    m->cur = b.cur;
    return status;
}

pub_status lay_paragraph(lay_ctx *L, const pub_node *block,
                         const lay_para_opts *o, lay_para *out)
{
    pub_status status = PUB_OK;
    lay_mem *m = mem_of(L);
    CHECK_ALLOC(m);
    m->s.len = m->s.n_notes = 0;
    m->s.line = block->line;
    CHECK(collect(block, o->font, &m->s));
    CHECK(run_builder(L, o, &m->s, out));
fail:
    return status;
}

pub_status lay_string(lay_ctx *L, const char *str, size_t n, int line,
                      const lay_para_opts *o, lay_para *out)
{
    pub_status status = PUB_OK;
    lay_mem *m = mem_of(L);
    CHECK_ALLOC(m);
    m->s.len = m->s.n_notes = 0;
    m->s.line = line;
    CHECK(src_append(&m->s, str, n, o->font));
    CHECK(run_builder(L, o, &m->s, out));
fail:
    return status;
}

void lay_string_extent(lay_ctx *L, const char *s, int font, double size,
                       double *min_w, double *max_w)
{
    double longest = 0, word = 0;
    long total = 0; /* font units, as lay_text_width sums them */
    const unsigned char *t = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        int32_t cp = t[i];
        size_t k = 1;
        if (cp >= 0x80 && (k = pub_utf8_decode(t + i, n - i, &cp)) == 0) {
            i++;
            continue;
        }
        double units = lay_font_advance(&L->fonts, font, cp);
        total += (long)units;
        double w = units * size / 1000.0;
        if (is_space(cp)) {
            word = 0;
        } else {
            word += w;
            if (word > longest)
                longest = word;
            if (cp == '-' || cp == '/' || cp == 0x2013 || cp == 0x2014)
                word = 0; /* UAX #14 breaks after these */
        }
        i += k;
    }
    *min_w = longest;
    *max_w = (double)total * size / 1000.0;
}
