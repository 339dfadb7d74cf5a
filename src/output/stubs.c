#include "core/core.h"
pub_status pub_json_write(pub_ctx *ctx, const pub_dossier *d, char **out) { (void)ctx; (void)d; *out = NULL; return PUB_ERR_INTERNAL; }
pub_status pub_tree_write(pub_ctx *ctx, const pub_dossier *d, char **out) { (void)ctx; (void)d; *out = NULL; return PUB_ERR_INTERNAL; }
pub_status pub_check_report(pub_ctx *ctx, const pub_dossier *d, char **out, int *n) { (void)ctx; (void)d; *out = NULL; *n = 0; return PUB_ERR_INTERNAL; }
