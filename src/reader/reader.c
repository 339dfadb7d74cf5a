/* reader.c — placeholder (being written). */
#include "core/core.h"
pub_status pub_dossier_read_file(pub_ctx *ctx, pub_dossier *d, const char *path)
{ (void)d; pub_diag(ctx, PUB_ERROR, path, 0, "reader not ready"); return PUB_ERR_INPUT; }
pub_status pub_dossier_read_buffer(pub_ctx *ctx, pub_dossier *d, const char *name, const char *data, size_t len)
{ (void)d; (void)data; (void)len; pub_diag(ctx, PUB_ERROR, name, 0, "reader not ready"); return PUB_ERR_INPUT; }
