/*
 * pdf.h — the PDF backend: plays a pub_layout back through libharu.
 */
#ifndef PUB_PDF_H
#define PUB_PDF_H

#include "layout/layout.h"

/* Writes the laid-out dossier as a PDF at path (atomically: temporary file
 * and rename). Document info and dates come from the dossier and
 * SOURCE_DATE_EPOCH so that the same input gives the same bytes. */
PUB_MUST_CHECK pub_status pub_pdf_write(pub_ctx *ctx, const pub_dossier *d,
                                        const pub_layout *layout,
                                        const char *title, const char *path);

#endif
