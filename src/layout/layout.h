/*
 * layout.h — the positioned-page model that layout produces and backends
 * play back (after cairo's paginated recording surface and MuPDF's
 * fz_device): the PDF backend draws these boxes and decides nothing; the
 * EPUB backend reads only the page starts (for its page-list).
 *
 * Coordinates are PDF user space: points, origin at the page's lower-left
 * corner, y upwards; a glyph run's (x, y) is its baseline start.
 */
#ifndef PUB_LAYOUT_H
#define PUB_LAYOUT_H

#include "publish.h"
#include "style/style.h"

#include <stdint.h>

typedef enum pub_box_kind {
    PUB_BOX_GLYPHS, /* text run in one font and size, drawn at (x, y) */
    PUB_BOX_RULE,   /* filled rectangle x, y, w, h (lines, table rules) */
    PUB_BOX_LINK,   /* clickable area x, y, w, h -> dest (internal) */
    PUB_BOX_DEST    /* named destination at (x, y) */
} pub_box_kind;

typedef struct pub_box {
    /* 48 bytes: a dossier holds a box per word. Single precision keeps
     * positions to better than 0.0001 pt on any page size. */
    uint8_t kind;        /* pub_box_kind */
    uint8_t font;        /* PUB_FONT_* (GLYPHS) */
    uint32_t len;        /* bytes of text (GLYPHS) */
    float x, y, w, h;
    float size;          /* font size (GLYPHS) */
    float gray;          /* 0 = black .. 1 = white (GLYPHS, RULE) */
    const char *text;    /* UTF-8 (GLYPHS), arena-owned */
    const char *dest;    /* destination name (LINK, DEST) */
} pub_box;

/* Where a page begins in the model: the block node whose text opens the
 * page, and the byte offset into pub_node_plain_text(block) of the first
 * character on the page (0 when the block starts on it). For a signatory
 * row, block is the SIGNATORY node and offset 0. */
typedef struct pub_page_start {
    const pub_node *block;
    size_t offset;
} pub_page_start;

typedef struct pub_page {
    pub_box *boxes;      /* owned by the layout */
    size_t n_boxes, cap_boxes;
    int number;          /* 1-based physical page number */
    const char *label;   /* printed page label ("3"), arena-owned */
    const pub_node *statement; /* statement on this page, or NULL (front matter) */
    pub_page_start start;      /* first body text of the page; block NULL if none */
    int front_matter;    /* 1 on the cover and contents (labels i, ii, ...) */
    int cover;           /* 1 on the cover page (no folio) */
    int back_matter;     /* 1 on the index, matrix and provenance pages */
    const char *running; /* running header of a back-matter page, or NULL */
} pub_page;

typedef struct pub_outline_entry {
    const char *title;   /* arena-owned */
    int level;           /* 0 = statement, 1 = section */
    int page;            /* 0-based page index */
    const char *dest;
} pub_outline_entry;

typedef struct pub_layout pub_layout;

/* Lays the dossier out with the style. Fonts are opened (for metrics only)
 * from the style's font paths; characters a font lacks or beyond the BMP
 * are reported as warnings naming file, line and character. The result is
 * owned by the caller (pub_layout_free). */
PUB_MUST_CHECK pub_status pub_layout_run(pub_ctx *ctx, const pub_dossier *d,
                                         const pub_style *style,
                                         pub_layout **out);
/* The front matter and the body are final before the back matter is set
 * (the contents' page numbers for the back matter are filled in last, in
 * place): pages[0, n_pages) are those pages, numbered and labelled as in
 * the finished layout, valid only during the call. */
typedef struct pub_layout_early {
    const pub_page *const *pages;
    size_t n_pages;
    const struct pub_index *ix; /* the authority list (borrowed) */
    const char *title;          /* the dossier's title, as on the cover */
} pub_layout_early;
typedef void (*pub_layout_hook)(void *user, const pub_layout_early *early);
/* pub_layout_run calling hook (when not NULL) on its own thread with the
 * front matter and body, before the back matter is laid out. */
PUB_MUST_CHECK pub_status pub_layout_run_hooked(pub_ctx *ctx, const pub_dossier *d,
                                                const pub_style *style,
                                                pub_layout_hook hook, void *user,
                                                pub_layout **out);
void pub_layout_free(pub_layout *l);

size_t pub_layout_page_count(const pub_layout *l);
/* Frees what only a page-drawing backend needs (glyph runs, rules, link
 * areas) once it has drawn the pages; named destinations, page starts,
 * labels and the outline stay for the EPUB. */
void pub_layout_forget_drawing(pub_layout *l);
/* The signatory authority list the back matter was set from (borrowed;
 * the EPUB uses the same one), or NULL. */
const struct pub_index *pub_layout_index(const pub_layout *l);
const pub_page *pub_layout_page(const pub_layout *l, size_t i);
const pub_style *pub_layout_style(const pub_layout *l);
/* Font file actually used for PUB_FONT_* i (resolved path). */
const char *pub_layout_font_path(const pub_layout *l, int i);
size_t pub_layout_outline(const pub_layout *l, const pub_outline_entry **out);
/* The dossier's title as the cover shows it (the description's title, or
 * one derived from the statements), and its subtitle or NULL. Borrowed. */
const char *pub_layout_title(const pub_layout *l);
const char *pub_layout_subtitle(const pub_layout *l);
/* Counts from the last run: paragraphs set first-fit (no feasible total
 * fit), over-wide words broken between characters. */
void pub_layout_stats(const pub_layout *l, int *first_fit, int *overwide);

#endif
