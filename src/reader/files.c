/*
 * files.c — reads many statement files, on several threads when asked.
 * Statements are independent: each worker reads into a dossier of its own
 * (its own arena and language guesser), each file's messages go to a queue
 * of their own, and the main thread then appends the statements and
 * replays the messages in file order, so the model and stderr are the same
 * for every number of threads.
 */
#include "core/core.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    pub_diagq q;
    pub_node *stmt;          /* the statement read, or NULL */
    pub_status status;
} slot;

typedef struct shared {
    const char *const *paths;
    size_t n;
    slot *slots;
    atomic_size_t next;      /* next file to take */
    atomic_size_t done;      /* files finished, for progress */
} shared;

typedef struct worker {
    shared *sh;
    pub_dossier *own;
    pub_ctx *progress;       /* the caller's context on the main thread only */
    pthread_t thread;
    int started;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->n)
            break;
        slot *s = &sh->slots[i];
        pub_node *root = pub_dossier_root(w->own);
        pub_node *last = root->last_child;
        s->status = pub_dossier_read_file(&s->q.ctx, w->own, sh->paths[i]);
        if (s->status == PUB_OK && root->last_child != last)
            s->stmt = root->last_child;
        size_t done = atomic_fetch_add(&sh->done, 1) + 1;
        if (w->progress != NULL)
            pub_progress(w->progress, "statements read", done, sh->n);
    }
    return NULL;
}

static pub_status read_serially(pub_ctx *ctx, pub_dossier *d,
                                const char *const *paths, size_t n)
{
    pub_status status = PUB_OK;
    for (size_t i = 0; i < n; i++) {
        pub_status st = pub_dossier_read_file(ctx, d, paths[i]);
        if (status == PUB_OK)
            status = st;
        pub_progress(ctx, "statements read", i + 1, n);
    }
    return status;
}

pub_status pub_dossier_read_files(pub_ctx *ctx, pub_dossier *d,
                                  const char *const *paths, size_t n)
{
    pub_status status = PUB_OK;
    int jobs = ctx->jobs;
    if (jobs < 2 || n < 2)
        return read_serially(ctx, d, paths, n);
    size_t nw = (size_t)jobs < n ? (size_t)jobs : n;
    shared sh = {.paths = paths, .n = n};
    atomic_init(&sh.next, 0);
    atomic_init(&sh.done, 0);
    worker *w = calloc(nw, sizeof *w);
    sh.slots = calloc(n, sizeof *sh.slots);
    for (size_t k = 0; w != NULL && k < nw; k++) {
        w[k].sh = &sh;
        w[k].own = pub_dossier_new();
        if (w[k].own == NULL) {
            for (size_t j = 0; j < k; j++)
                pub_dossier_free(w[j].own);
            free(w);
            w = NULL;
        }
    }
    if (w == NULL || sh.slots == NULL) { /* no room for threads: one by one */
        free(w);
        free(sh.slots);
        return read_serially(ctx, d, paths, n);
    }
    for (size_t i = 0; i < n; i++)
        pub_diagq_init(&sh.slots[i].q, ctx);
    /* workers 1.. on threads, worker 0 here (it reports progress) */
    w[0].progress = ctx;
    for (size_t k = 1; k < nw; k++)
        w[k].started = pthread_create(&w[k].thread, NULL, work, &w[k]) == 0;
    work(&w[0]);
    for (size_t k = 1; k < nw; k++)
        if (w[k].started)
            pthread_join(w[k].thread, NULL);
    /* in file order: the messages, then the statement */
    for (size_t i = 0; i < n; i++) {
        slot *s = &sh.slots[i];
        pub_diagq_replay(&s->q, ctx);
        if (status == PUB_OK)
            status = s->status;
        if (s->stmt != NULL)
            pub_dossier_append_statement(d, s->stmt);
    }
    for (size_t k = 0; k < nw; k++)
        if (pub_dossier_adopt(d, w[k].own) != PUB_OK) {
            /* statements of d live in that memory: it stays (unowned)
             * rather than leave d pointing into freed memory */
            pub_diag(ctx, PUB_ERROR, NULL, 0, "out of memory");
            status = pub_error(PUB_ERR_NOMEM);
        }
    free(w);
    free(sh.slots);
    return status;
}
