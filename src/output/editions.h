/*
 * editions.h — writes the two editions of a dossier, the PDF and the EPUB:
 * with threads, beside the layout (pub_layout_and_editions: the EPUB's
 * statements while the back matter is laid out, then the PDF and the rest
 * of the EPUB side by side). They share only read-only inputs; each
 * thread's diagnostics are kept and replayed in a fixed order (PDF first),
 * so what stderr shows and the bytes written never depend on the schedule.
 */
#ifndef PUB_EDITIONS_H
#define PUB_EDITIONS_H

#include "layout/layout.h"

/* Writes the PDF to pdf_path and the EPUB to epub_path (either may be
 * NULL: not wanted) from a finished layout, one after the other; unless
 * keep_layout, the drawing the PDF needed is let go before the EPUB is
 * built (pub_layout_forget_drawing: the pages keep their starts, labels
 * and destinations). Returns the first failure (PDF before EPUB); an
 * edition that succeeded stays written, and written[0] (PDF) and
 * written[1] (EPUB) say which were (written may be NULL). */
PUB_MUST_CHECK pub_status pub_editions_write(pub_ctx *ctx, const pub_dossier *d,
                                             pub_layout *layout,
                                             const pub_style *style,
                                             const char *title,
                                             const char *pdf_path,
                                             const char *epub_path,
                                             int keep_layout, int written[2]);

/* Lays the dossier out (pub_layout_run) and writes both editions as
 * pub_editions_write does, the EPUB's statements being built while the
 * layout still sets the back matter. *layout (the caller frees it) is the
 * layout, or NULL when it failed; *layout_s how long it took. With one
 * thread or one edition the steps are taken one after the other. */
PUB_MUST_CHECK pub_status pub_layout_and_editions(pub_ctx *ctx, const pub_dossier *d,
                                                  const pub_style *style,
                                                  const char *title,
                                                  const char *pdf_path,
                                                  const char *epub_path,
                                                  int keep_layout, int written[2],
                                                  pub_layout **layout,
                                                  double *layout_s);

#endif
