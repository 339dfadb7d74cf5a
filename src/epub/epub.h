/*
 * epub.h — the EPUB 3 backend: the model as XHTML (libxml2) in an OCF
 * container (libzip), with a page-list taken from the PDF layout.
 */
#ifndef PUB_EPUB_H
#define PUB_EPUB_H

#include "layout/layout.h"

/* Writes the dossier as an EPUB 3 at path (atomically: built in memory,
 * then a temporary file renamed into place). layout gives the page starts
 * of the PDF edition for the page-list and the page-break markers; with
 * layout NULL the EPUB has neither. style may be NULL (the layout's, else
 * the built-in default); title NULL names the dossier as the PDF does:
 * after its only statement, or "Dossier of N statements, FIRST to LAST". Entry
 * dates come from SOURCE_DATE_EPOCH, else from the newest statement date, so
 * the same input gives the same bytes. */
PUB_MUST_CHECK pub_status pub_epub_write(pub_ctx *ctx, const pub_dossier *d,
                                         const pub_layout *layout,
                                         const pub_style *style,
                                         const char *title, const char *path);

/* Lets a second thread build some of an EPUB's documents: the thread
 * writing the EPUB (pub_epub_write_shared) takes them from the front, one
 * calling pub_epub_help from the back. Output is the same either way. */
typedef struct pub_epub_share pub_epub_share;
pub_epub_share *pub_epub_share_new(void); /* NULL when out of memory */
void pub_epub_share_free(pub_epub_share *s);
PUB_MUST_CHECK pub_status pub_epub_write_shared(
    pub_ctx *ctx, const pub_dossier *d, const pub_layout *layout,
    const pub_style *style, const char *title, const char *path,
    pub_epub_share *share);
/* Called on another thread: waits until the EPUB's documents are planned
 * (or the EPUB has ended without them), builds documents until none is
 * left, and returns. Each document's messages are replayed by the EPUB in
 * spine order; a failure fails the EPUB. */
void pub_epub_help(pub_epub_share *s);

#endif
