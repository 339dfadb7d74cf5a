/*
 * layout.c — placeholder until the layout engine lands (issue 3).
 */
#include "layout/layout.h"
#include "core/core.h"

pub_status pub_layout_run(pub_ctx *ctx, const pub_dossier *d,
                          const pub_style *style, pub_layout **out)
{
    (void)d;
    (void)style;
    *out = NULL;
    pub_diag(ctx, PUB_ERROR, NULL, 0, "PDF layout is not yet implemented");
    return pub_error(PUB_ERR_INTERNAL);
}

void pub_layout_free(pub_layout *l) { (void)l; }
