/*
 * driver.h — private state of the layout driver shared by layout.c (the
 * statements, contents, pages) and matter.c (cover, signatory index,
 * matrix, colophon): the vertical list and the helpers that fill it.
 */
#ifndef PUB_LAYOUT_DRIVER_H
#define PUB_LAYOUT_DRIVER_H

#include "index/index.h"
#include "layout/internal.h"

/* One element of the vertical list with what it draws. Box coordinates: x
 * from the left edge of the measure, y upwards from the element's top
 * (so negative below it). */
typedef struct vel {
    pg_elem pg;
    pub_box *boxes;
    size_t n_boxes, cap_boxes;
    const pub_node *block;   /* page start */
    size_t off;
    const pub_node **notes;  /* footnotes first referenced here */
    size_t n_notes;
    const pub_node *stmt;
} vel;

typedef struct note_set {
    const pub_node *fn;      /* FOOTNOTE */
    vel *els;                /* its laid-out lines (arena) */
    size_t n_els;
    double height;
    int used;
} note_set;

typedef struct outline_list {
    pub_outline_entry *v;
    size_t n, cap;
} outline_list;

struct pub_layout {
    pub_arena *arena;
    pub_arena **arenas;      /* the layout threads' arenas (page text) */
    size_t n_arenas;
    pub_style style;
    pub_page *pages;
    size_t n_pages;
    outline_list ol;
    pub_index *ix;           /* the authority list the back matter used */
    char font_path[PUB_FONT_COUNT][1024];
    int n_first_fit, n_overwide;
    const char *title;       /* the dossier's title as on the cover */
    const char *subtitle;
};

typedef struct vlist {
    vel *v;
    size_t n, cap;
} vlist;

/* Where a signature row was set: the SIGNATORY node and its body page. */
typedef struct sig_page {
    const pub_node *sg;
    size_t page;             /* index into the body pages */
} sig_page;

typedef struct driver driver;
/* Sorts the signature records for lay_sig_page's binary search. */
void lay_sigs_sort(driver *D);

struct driver {
    lay_ctx L;
    pub_layout *out;
    outline_list *ol;        /* where lay_outline_add appends */
    vlist vl;
    double measure, body_h;
    note_set *notes;         /* of the current statement */
    size_t n_notes;
    int table_id;
    const char *lang;
    const pub_dossier *d;
    pub_index *ix;           /* authority list (back matter), or NULL */
    sig_page *sigs;          /* in page order; by node after lay_sigs_sort */
    size_t n_sigs, cap_sigs;
    int sigs_sorted;
};

typedef struct block_look {
    int font;
    double size, leading, indent, space_before, gray;
    int align, hyphenate;
    double left;          /* extra left indent */
    double width;         /* 0 = measure - left */
} block_look;

/* A back-matter section as the contents lists it. */
typedef enum matter_part { MATTER_INDEX, MATTER_MATRIX, MATTER_PROVENANCE } matter_part;
typedef struct matter_entry {
    const char *title;
    const char *dest;
    matter_part part;
} matter_entry;

/* ------------------------------------------------ layout.c helpers */

PUB_MUST_CHECK pub_status lay_vl_push(vlist *l, vel **e);
PUB_MUST_CHECK pub_status lay_el_box(driver *D, vel *e, const pub_box *b);
PUB_MUST_CHECK pub_status lay_el_line(driver *D, vel *e, const lay_line *ln,
                                      double x, double baseline);
/* Plain text of a node on one line, in the arena (NULL when out of memory). */
char *lay_plain(driver *D, const pub_node *n);
const char *lay_stmt_title(driver *D, const pub_node *st);
const char *lay_stmt_issuer(driver *D, const pub_node *st);
PUB_MUST_CHECK pub_status lay_outline_add(driver *D, const char *title,
                                          int level, const char *dest);
PUB_MUST_CHECK pub_status lay_add_dest(driver *D, vel *e, const char *name);
/* Sets a plain string as lines appended to D->vl; *first is the index of
 * its first element. */
PUB_MUST_CHECK pub_status lay_set_string(driver *D, const char *s, int line,
                                         const block_look *k,
                                         unsigned first_flags, int keep_all,
                                         size_t *first);
PUB_MUST_CHECK pub_status lay_add_rule(driver *D, vel *e, double x, double y,
                                       double w, double h, double gray);
PUB_MUST_CHECK pub_status lay_page_box(pub_layout *o, pub_page *p,
                                       const pub_box *b);
PUB_MUST_CHECK pub_status lay_text_box(driver *D, pub_page *p,
                                       const char *text, int font, double size,
                                       double x, double y, int align,
                                       double gray);
/* Shortens t to width with an ellipsis, at a word boundary. */
const char *lay_fit_title(driver *D, const char *t, int font, double size,
                          double width);
/* Destination name of a signature row ("sg-ORDER-LINE"). */
const char *lay_sig_dest(driver *D, const pub_node *sg);
/* Body page index of a signature row, or (size_t)-1. */
size_t lay_sig_page(const driver *D, const pub_node *sg);

/* ------------------------------------------------------- matter.c */

/* The dossier's title (pub_dossier_title) and subtitle for the cover and the
 * document info. */
PUB_MUST_CHECK pub_status lay_dossier_title(driver *D);
/* Draws the cover on page p (a front-matter page of its own). */
PUB_MUST_CHECK pub_status lay_cover(driver *D, pub_page *p);
/* The parts of the back matter (index of signatories, signatory matrix,
 * provenance) in their order, into entries (up to 8): known before the
 * back matter is set, so that the contents can be set first. */
size_t lay_back_matter_parts(const driver *D, matter_entry *entries);
/* Appends those parts to D->vl, each opening a new page; body are the
 * body pages with their labels. */
PUB_MUST_CHECK pub_status lay_back_matter(driver *D, pub_page *body,
                                          size_t n_body,
                                          const matter_entry *entries,
                                          size_t n_entries);

#endif
