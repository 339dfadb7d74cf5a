/*
 * error.c — the single funnel for errors (pub_error, after cairo's
 * cairo-error.c) and for diagnostics (pub_diag), so that one breakpoint on
 * pub_error catches every failure and every message has one format.
 */
#include "core.h"

#include <stdio.h>

pub_status pub_error(pub_status s)
{
    return s; /* set a breakpoint here */
}

const char *pub_status_str(pub_status s)
{
    switch (s) {
    case PUB_OK: return "ok";
    case PUB_ERR_INPUT: return "invalid input";
    case PUB_ERR_IO: return "input/output error";
    case PUB_ERR_NOMEM: return "out of memory";
    case PUB_ERR_FONT: return "font error";
    case PUB_ERR_STYLE: return "style error";
    case PUB_ERR_BACKEND: return "backend error";
    case PUB_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}

void pub_diag(pub_ctx *ctx, pub_severity sev, const char *file, int line,
              const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (ctx == NULL)
        return;
    if (sev == PUB_ERROR)
        ctx->n_errors++;
    else if (sev == PUB_WARNING)
        ctx->n_warnings++;
    if (sev == PUB_NOTE && ctx->quiet)
        return;
    if (ctx->diag != NULL)
        ctx->diag(ctx->diag_user, sev, file, line, msg);
}

void pub_progress(pub_ctx *ctx, const char *stage, size_t done, size_t total)
{
    if (ctx != NULL && ctx->progress != NULL)
        ctx->progress(ctx->progress_user, stage, done, total);
}
