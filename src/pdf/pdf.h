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
/* The complete file under its temporary name tmp (malloc'd), which the
 * callee now owns: for pub_atomic_end (which syncs and renames it to the
 * path) or pub_atomic_abandon. */
typedef void (*pub_pdf_saved_fn)(void *user, char *tmp);
/* The same as pub_pdf_write, but hands the complete file to saved instead
 * of syncing and renaming it, as soon as it is written and before letting
 * go of the document's memory: the caller may sync it on another thread
 * meanwhile. saved is called once when the result is PUB_OK, never
 * otherwise (the temporary file is then removed). */
PUB_MUST_CHECK pub_status pub_pdf_write_unsettled(pub_ctx *ctx, const pub_dossier *d,
                                                  const pub_layout *layout,
                                                  const char *title, const char *path,
                                                  pub_pdf_saved_fn saved, void *user);

#endif
