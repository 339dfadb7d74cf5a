/*
 * diagq.c — a diagnostics queue: a pub_ctx whose messages are kept instead
 * of printed, to be replayed later through the real context. Work done on
 * several threads reports through one queue per unit of work and is
 * replayed in input order, so messages never depend on the schedule.
 */
#include "core.h"

#include <stdlib.h>
#include <string.h>

typedef struct pub_diagq_msg {
    pub_severity sev;
    int line;
    char *file;
    char *text;
} pub_diagq_msg;

static void enqueue(void *user, pub_severity sev, const char *file, int line,
                    const char *text)
{
    pub_diagq *q = user;
    void *v = q->msgs;
    pub_status s = pub_array_grow(&v, q->n, &q->cap, sizeof *q->msgs, 4);
    q->msgs = v;
    if (s != PUB_OK) {
        q->lost = 1;
        return;
    }
    pub_diagq_msg *m = &q->msgs[q->n];
    m->sev = sev;
    m->line = line;
    m->file = file ? strdup(file) : NULL;
    m->text = strdup(text ? text : "");
    if ((file && !m->file) || !m->text) {
        free(m->file);
        free(m->text);
        q->lost = 1;
        return;
    }
    q->n++;
}

void pub_diagq_init(pub_diagq *q, const pub_ctx *parent)
{
    memset(q, 0, sizeof *q);
    q->ctx.diag = enqueue;
    q->ctx.diag_user = q;
    q->ctx.quiet = parent->quiet;
}

void pub_diagq_replay(pub_diagq *q, pub_ctx *ctx)
{
    for (size_t i = 0; i < q->n; i++) {
        pub_diagq_msg *m = &q->msgs[i];
        pub_diag(ctx, m->sev, m->file, m->line, "%s", m->text);
    }
    if (q->lost)
        pub_diag(ctx, PUB_WARNING, NULL, 0, "some messages were lost (out of memory)");
    pub_diagq_free(q);
}

void pub_diagq_free(pub_diagq *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->msgs[i].file);
        free(q->msgs[i].text);
    }
    free(q->msgs);
    q->msgs = NULL;
    q->n = q->cap = 0;
    q->lost = 0;
}
