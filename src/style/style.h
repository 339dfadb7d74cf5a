/*
 * style.h — the typographic style shared by the PDF layout and the EPUB CSS.
 * A style file is INI (read with inih); every key is optional and falls back
 * to the built-in default (styles/default.ini documents each key).
 * Lengths are in PostScript points (1/72 in).
 */
#ifndef PUB_STYLE_H
#define PUB_STYLE_H

#include "publish.h"

enum { PUB_FONT_REGULAR, PUB_FONT_ITALIC, PUB_FONT_BOLD, PUB_FONT_BOLDITALIC,
       PUB_FONT_SANS, PUB_FONT_SANS_BOLD, PUB_FONT_COUNT };

typedef struct pub_style {
    char name[64];            /* "default", "letter", ... */
    /* [page] */
    char paper[16];           /* "A4", "Letter", "custom" */
    double page_width, page_height;
    double margin_top, margin_bottom, margin_inner, margin_outer;
    int duplex;               /* mirror inner/outer; statements open recto */
    /* [fonts] file names, resolved against the style's folder, fonts/ and
     * the system font folders (font_dirs, colon-separated) */
    char font_file[PUB_FONT_COUNT][256];
    char font_dirs[512];
    char font_family_css[128];   /* CSS family name for the EPUB */
    /* [text] */
    double body_size, leading;   /* font size and baseline-to-baseline */
    double parindent;            /* first-line indent of paragraphs */
    double parskip;              /* extra space between paragraphs */
    double title_size, subtitle_size, heading_size, small_size, note_size;
    int hyphenate;               /* 0 = never */
    int hyphen_min_left, hyphen_min_right;
    char language[16];           /* default when detection fails */
    /* [table] */
    double table_size, table_leading, table_rule;
    double cell_padding;
    /* [header] / [footer] */
    int header_on_first;         /* running header on a statement's first page */
    char footer_format[64];      /* "{page} / {pages}" */
} pub_style;

/* Fills s with the built-in defaults (A4, book-like). */
void pub_style_default(pub_style *s);

/* Reads an INI style file over the defaults. A syntax error or an unknown
 * key is reported as "FILE:LINE: error: ..." and returns PUB_ERR_STYLE. */
PUB_MUST_CHECK pub_status pub_style_load(pub_ctx *ctx, pub_style *s,
                                         const char *path);

/* Resolves font_file[i] to an existing path (through font_dirs). Returns
 * PUB_ERR_FONT with a message naming the file when one is missing. */
PUB_MUST_CHECK pub_status pub_style_font_path(pub_ctx *ctx, const pub_style *s,
                                              int font, char *out,
                                              size_t outsz);

#endif
