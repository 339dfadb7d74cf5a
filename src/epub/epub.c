/*
 * epub.c — placeholder until the EPUB backend lands (issue 4).
 */
#include "epub/epub.h"
#include "core/core.h"

pub_status pub_epub_write(pub_ctx *ctx, const pub_dossier *d,
                          const pub_layout *layout, const pub_style *style,
                          const char *title, const char *path)
{
    (void)d; (void)layout; (void)style; (void)title;
    pub_diag(ctx, PUB_ERROR, path, 0, "--epub is not yet implemented");
    return pub_error(PUB_ERR_INTERNAL);
}
