/*
 * internal.h — private interfaces between the layout stages (fonts,
 * hyphenation, line breaking, paragraphs, tables, pagination). Each stage is
 * testable on its own; the unit tests include this header.
 */
#ifndef PUB_LAYOUT_INTERNAL_H
#define PUB_LAYOUT_INTERNAL_H

#include "core/core.h"
#include "layout/layout.h"

#include <pthread.h>
#include <stdatomic.h>

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ fonts.c */

/* Metrics of the style's fonts, read once through libharu (the only use of
 * libharu in layout). Advance widths are cached per BMP code point. */
typedef struct lay_fonts {
    void *doc;                        /* HPDF_Doc used for metrics only */
    void *fontdef[PUB_FONT_COUNT];    /* HPDF_FontDef: cmap and hmtx */
    /* Caches filled on first use, shared by the layout threads: entries
     * are atomic, and a miss asks libharu under `lock`. A copy of this
     * struct shares the caches and the lock. */
    _Atomic int16_t *adv[PUB_FONT_COUNT]; /* 65536 advances, INT16_MIN = unknown */
    _Atomic uint8_t *cover[PUB_FONT_COUNT]; /* 65536: 0 unknown, 1 has, 2 lacks */
    pthread_mutex_t *lock;
    double ascent[PUB_FONT_COUNT];    /* per 1000 units of the em */
    double descent[PUB_FONT_COUNT];   /* negative */
    char path[PUB_FONT_COUNT][1024];
    int backend_error;
} lay_fonts;

PUB_MUST_CHECK pub_status lay_fonts_open(pub_ctx *ctx, const pub_style *s,
                                         lay_fonts *f);
void lay_fonts_close(lay_fonts *f);
/* Advance width of cp in font, in 1/1000 em (0 for unknown fonts/cps). */
double lay_font_advance(lay_fonts *f, int font, int32_t cp);
/* 1 when the font has a glyph for cp (always 0 beyond the BMP). */
int lay_font_has_slow(lay_fonts *f, int font, int32_t cp);
static inline int lay_font_has(lay_fonts *f, int font, int32_t cp)
{
    if (font >= 0 && font < PUB_FONT_COUNT && cp >= 0 && cp <= 0xFFFF &&
        f->cover[font] != NULL) { /* known: without a call */
        uint8_t v = atomic_load_explicit(&f->cover[font][cp], memory_order_relaxed);
        if (v != 0)
            return v == 1;
    }
    return lay_font_has_slow(f, font, cp);
}
/* Width in points of UTF-8 text (assumed valid) at size. */
double lay_text_width(lay_fonts *f, int font, double size, const char *s,
                      size_t n);

/* -------------------------------------------------------- hyphenate.c */

typedef struct lay_hyph lay_hyph; /* cache of loaded dictionaries */
lay_hyph *lay_hyph_new(void);
void lay_hyph_free(lay_hyph *h);
/* Dictionary file for a BCP 47 language ("en" -> hyph_en_US.dic), or NULL
 * when the language has no patterns. */
const char *lay_hyph_dict_for(const char *lang);
/* Notes the words of a text in a language before any hyphenation, so that
 * a pattern file loads only the patterns these words need; a word that was
 * not noted is not hyphenated. All noting comes before the first
 * lay_hyphenate (which may run on several threads). */
void lay_hyph_note_text(lay_hyph *h, const char *lang, const char *text,
                        size_t len);
/* Finds hyphenation points of one word (letters only, UTF-8, n bytes): sets
 * points[i] = 1 for each byte offset i (0 < i < n, at a character boundary)
 * where the word may break with a hyphen. Honours min_left/min_right in
 * characters. Returns the number of points (0 when lang has no patterns). */
/* lay_hyphenate remembering every word's points, for one thread: the same
 * points for the same word, language and limits, handed to libhyphen
 * once. */
typedef struct lay_hyph_memo lay_hyph_memo;
lay_hyph_memo *lay_hyph_memo_new(void); /* NULL when out of memory */
void lay_hyph_memo_free(lay_hyph_memo *m);
int lay_hyphenate_memo(lay_hyph *h, lay_hyph_memo *m, const char *lang,
                       const char *word, size_t n, int min_left, int min_right,
                       unsigned char *points);
int lay_hyphenate(lay_hyph *h, const char *lang, const char *word, size_t n,
                  int min_left, int min_right, unsigned char *points);

/* -------------------------------------------------------- linebreak.c */

/* Knuth & Plass (1981), "Breaking Paragraphs into Lines": items are boxes,
 * glue and penalties. */
typedef enum lb_kind { LB_BOX, LB_GLUE, LB_PENALTY } lb_kind;

#define LB_INFINITY 10000 /* penalty >= this: never break; <= -this: must */

typedef struct lb_item {
    lb_kind kind;
    double width;
    double stretch, shrink; /* glue */
    int penalty;            /* penalty */
    int flagged;            /* penalty: a hyphen break */
    size_t ref;             /* caller's payload (piece index) */
} lb_item;

typedef struct lb_params {
    double tolerance;        /* largest adjustment ratio allowed */
    double line_penalty;     /* added to badness (TeX \linepenalty 10) */
    double flagged_demerits; /* two hyphenated lines in a row */
    double fitness_demerits; /* adjacent lines of non-adjacent fitness */
    double last_flagged_demerits; /* hyphen on the second-last line */
} lb_params;

void lb_params_default(lb_params *p);

/* A breaking, and the memory the breaker works in. Zero it before its
 * first use; it may then be passed again and again (one paragraph after
 * another reuses its buffers); lb_result_free releases it. */
typedef struct lb_result {
    size_t *breaks;   /* index of the break item ending each line */
    double *ratios;   /* adjustment ratio of each line */
    size_t n_lines;
    int first_fit;    /* 1 when no feasible total-fit solution existed */
    /* the breaker's own: */
    size_t cap_breaks, cap_ratios;
    double *sums;     /* prefix sums of width, stretch and shrink */
    size_t cap_sums;
    size_t *cand;     /* first fit's breaks */
    size_t cap_cand;
    struct lb_node *nodes; /* total fit's active and passive breaks */
    size_t cap_nodes;
} lb_result;

/* Breaks the items into lines of widths[min(line, n_widths - 1)]. The
 * items must end with a forced break (penalty <= -LB_INFINITY). Uses total
 * fit; when no solution stays within the tolerance, falls back to first fit
 * and sets first_fit. out: zeroed or a result of an earlier call. */
PUB_MUST_CHECK pub_status lb_break(const lb_item *items, size_t n,
                                   const double *widths, size_t n_widths,
                                   const lb_params *p, lb_result *out);
/* First fit only (ragged text, and the fallback). */
PUB_MUST_CHECK pub_status lb_first_fit(const lb_item *items, size_t n,
                                       const double *widths, size_t n_widths,
                                       lb_result *out);
void lb_result_free(lb_result *r);

/* --------------------------------------------------------- paginate.c */

/* An element of the vertical list: a line, a table row, a heading line. */
enum {
    PG_KEEP_WITH_PREV = 1, /* no page break before this element */
    PG_NEW_PAGE = 2,       /* always start a new page before it */
    PG_TABLE_HEADER = 4,   /* a table's header row (repeated) */
};

typedef struct pg_elem {
    double height;        /* vertical advance */
    double space_before;  /* discarded at the top of a page */
    double notes_height;  /* footnotes this element brings to its page */
    unsigned flags;
    int table;            /* table id (> 0) of a row, 0 otherwise */
    size_t header;        /* element index of the table's header row */
} pg_elem;

typedef struct pg_page {
    size_t first, end;    /* elements [first, end) */
    int repeat_header;    /* 1 when the table header is repeated on top */
    size_t header;        /* which header element to repeat */
    double used;          /* body height used (without notes) */
} pg_page;

/* Breaks the vertical list into pages of body height page_h (greedy, with
 * backtracking to the last legal break: keeps, widows/orphans and table
 * headers). *pages is malloc'd. The notes separator is added once to each
 * page that carries notes. */
PUB_MUST_CHECK pub_status pg_paginate(const pg_elem *e, size_t n,
                                      double page_h, double notes_sep,
                                      pg_page **pages, size_t *n_pages);

/* ------------------------------------------------------------ table.c */

/* Fits n column widths into total: each column gets at least its minimum
 * (longest unbreakable word) when possible and the rest is shared in
 * proportion to what each column would need to set its content unbroken;
 * space beyond all natural widths goes to the column flagged as elastic
 * (or the widest). Sum of out == total whenever sum of minima <= total;
 * otherwise minima are scaled down. */
void tbl_fit_columns(const double *min, const double *max, size_t n,
                     double total, int elastic, double *out);

/* -------------------------------------------------- shared layout state */

/* Buffers paragraphs are built in, one set per thread (paragraph.c). */
typedef struct lay_mem lay_mem;
void lay_mem_free(lay_mem *m);

typedef struct lay_ctx {
    pub_ctx *ctx;
    pub_arena *arena;         /* what the pages keep: text, names */
    pub_arena *scratch;       /* lines and element boxes of one statement,
                                 emptied once it is on its pages */
    const pub_style *style;
    lay_fonts fonts;
    lay_hyph *hyph;
    lay_hyph_memo *hmemo;     /* this thread's hyphenated words, or NULL */
    lb_params lbp;
    const pub_node *stmt;     /* statement being laid out (diagnostics) */
    lay_mem *mem;             /* this thread's, made on first use; its
                                 owner frees it with lay_mem_free */
    uint8_t *warned;          /* 0x110000 bits: characters already reported
                                 for this statement */
    int32_t *warned_cps;      /* the characters whose bits are set, so a new
                                 statement clears only those */
    size_t n_warned, cap_warned; /* n_warned SIZE_MAX: list incomplete */
    int n_first_fit;
    int n_overwide;
} lay_ctx;

/* -------------------------------------------------------- paragraph.c */

enum { LAY_JUSTIFY, LAY_LEFT, LAY_CENTER, LAY_RIGHT };

typedef struct lay_para_opts {
    int font;            /* base font; STRONG/EMPH switch to its variants */
    double size;
    double width;        /* measure */
    double indent;       /* first-line indent */
    int align;
    int hyphenate;       /* 0 in tables, titles, URLs */
    const char *lang;    /* hyphenation language, or NULL */
    double gray;
} lay_para_opts;

/* One typeset line: glyph runs (x from the measure's left edge, y from the
 * baseline, up), links and destinations of note references. */
typedef struct lay_line {
    pub_box *boxes;
    size_t n_boxes;
    double width;        /* natural width of the content */
    size_t off;          /* plain-text byte offset of its first character */
    const pub_node **notes; /* NOTEREFs on the line (scratch) */
    size_t n_notes;
    int hyphen;          /* ends with an inserted hyphen */
} lay_line;

typedef struct lay_para {
    lay_line *lines;     /* scratch, as are their boxes */
    size_t n_lines;
    int first_fit;
} lay_para;

/* Sets the inline content of a block node (TEXT, STRONG, EMPH, NOTEREF,
 * LINEBREAK children) into lines. Reports characters the fonts lack. */
PUB_MUST_CHECK pub_status lay_paragraph(lay_ctx *L, const pub_node *block,
                                        const lay_para_opts *o, lay_para *out);
/* Same for a plain UTF-8 string in the base font (table cells, headers). */
PUB_MUST_CHECK pub_status lay_string(lay_ctx *L, const char *s, size_t n,
                                     int line, const lay_para_opts *o,
                                     lay_para *out);
/* Narrowest width the text can take without breaking a word, and its
 * width set on one line (table column fitting). */
void lay_string_extent(lay_ctx *L, const char *s, int font, double size,
                       double *min_w, double *max_w);
/* Ascent of font at size, in points. */
double lay_ascent(lay_ctx *L, int font, double size);
/* Forgets which characters were reported (a new statement begins). */
void lay_warned_reset(lay_ctx *L);

#endif
