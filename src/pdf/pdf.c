/*
 * pdf.c — placeholder until the PDF backend lands (issue 3).
 */
#include "pdf/pdf.h"
#include "core/core.h"

pub_status pub_pdf_write(pub_ctx *ctx, const pub_dossier *d,
                         const pub_layout *layout, const char *title,
                         const char *path)
{
    (void)d; (void)layout; (void)title;
    pub_diag(ctx, PUB_ERROR, path, 0, "--pdf is not yet implemented");
    return pub_error(PUB_ERR_INTERNAL);
}
