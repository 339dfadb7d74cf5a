/*
 * epub.h — the EPUB 3 backend: the model as XHTML (libxml2) in an OCF
 * container (libzip), with a page-list taken from the PDF layout.
 */
#ifndef PUB_EPUB_H
#define PUB_EPUB_H

#include "layout/layout.h"

/* Writes the dossier as an EPUB 3 at path (atomically). layout gives the
 * page starts for the page-list and may not be NULL. */
PUB_MUST_CHECK pub_status pub_epub_write(pub_ctx *ctx, const pub_dossier *d,
                                         const pub_layout *layout,
                                         const pub_style *style,
                                         const char *title, const char *path);

#endif
