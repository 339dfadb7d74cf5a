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
/* The same, but leaves the complete file under its temporary name: *tmp
 * (malloc'd) names it, for pub_atomic_end (which syncs and renames it to
 * path) or pub_atomic_abandon. Lets a caller use the CPU while the file
 * is synced. */
PUB_MUST_CHECK pub_status pub_pdf_write_unsettled(pub_ctx *ctx, const pub_dossier *d,
                                                  const pub_layout *layout,
                                                  const char *title, const char *path,
                                                  char **tmp);

#endif
