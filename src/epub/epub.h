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

#endif
