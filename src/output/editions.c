/*
 * editions.c — the PDF and the EPUB written concurrently (POSIX threads).
 * The EPUB backend never waits on the PDF: it takes its page-list from the
 * layout, not from the PDF file. Each thread reports through its own
 * diagnostics queue, replayed afterwards (PDF first).
 */
#include "output/editions.h"

#include "core/core.h"
#include "epub/epub.h"
#include "pdf/pdf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct job {
    pub_diagq q;
    pub_ctx *ctx;            /* the context the work reports to */
    const pub_dossier *d;
    const pub_layout *layout;
    const pub_style *style;
    const char *title;
    const char *path;
    int epub;
    pub_status status;
} job;

static void run(job *j)
{
    j->status = j->epub ? pub_epub_write(j->ctx, j->d, j->layout, j->style, j->title,
                                         j->path)
                        : pub_pdf_write(j->ctx, j->d, j->layout, j->title, j->path);
}

/* The PDF, then help with the EPUB's documents while the PDF is synced
 * (the sync waits for the disk, not for a processor): on a thread of its
 * own, started as soon as the file is complete. */
typedef struct settle_job {
    pub_diagq q;
    const char *path;
    char *tmp;
    pthread_t thread;
    int queued, threaded;
    pub_status status;
} settle_job;

static void *settle_run(void *arg)
{
    settle_job *s = arg;
    s->status = pub_atomic_end(&s->q.ctx, s->path, s->tmp);
    return NULL;
}

static void settle_start(void *user, char *tmp)
{
    settle_job *s = user;
    s->tmp = tmp;
    s->queued = 1;
    s->threaded = pthread_create(&s->thread, NULL, settle_run, s) == 0;
}

static void run_pdf_then_help(job *pdf, pub_epub_share *share)
{
    settle_job s = {.path = pdf->path};
    pub_diagq_init(&s.q, pdf->ctx);
    pdf->status = pub_pdf_write_unsettled(pdf->ctx, pdf->d, pdf->layout, pdf->title,
                                          pdf->path, settle_start, &s);
    pub_epub_help(share);
    if (s.threaded) {
        pthread_join(s.thread, NULL);
        pub_diagq_replay(&s.q, pdf->ctx);
        pdf->status = s.status;
    } else if (s.queued) {
        pdf->status = pub_atomic_end(pdf->ctx, pdf->path, s.tmp);
    }
    pub_diagq_free(&s.q);
}

pub_status pub_editions_write(pub_ctx *ctx, const pub_dossier *d,
                              pub_layout *layout, const pub_style *style,
                              const char *title, const char *pdf_path,
                              const char *epub_path, int keep_layout, int written[2])
{
    job j[2];
    memset(j, 0, sizeof j);
    for (int i = 0; i < 2; i++) {
        j[i].ctx = ctx;
        j[i].d = d;
        j[i].layout = layout;
        j[i].style = style;
        j[i].title = title;
        j[i].epub = i;
        j[i].path = i ? epub_path : pdf_path;
    }
    if (pdf_path != NULL) {
        run(&j[0]);
        if (!keep_layout)
            pub_layout_forget_drawing(layout); /* the EPUB does not draw */
    }
    if (epub_path != NULL)
        run(&j[1]);
    for (int i = 0; written != NULL && i < 2; i++)
        written[i] = j[i].path != NULL && j[i].status == PUB_OK;
    return j[0].status != PUB_OK ? j[0].status : j[1].status;
}

/* ------------------------------------------- layout and editions at once */

/* The EPUB of pub_layout_and_editions: planned by the layout's hook (on
 * the layout's thread, which owns the pages then), its statements built on
 * a thread of its own while the back matter is set, finished once the
 * layout is (or abandoned when the layout fails). */
typedef struct early_epub {
    job j;                   /* ctx: the queue's; d, style, title, path */
    /* what the plan reads of the early pages, copied (without their
     * drawing, which the layout goes on changing) for the EPUB's thread */
    pub_page *snap;
    const pub_page **snap_ptr;
    size_t n_snap;
    const struct pub_index *ix;
    const char *early_title;
    pub_epub_job *ej;
    pub_epub_share *share;
    pthread_t thread;
    int hooked;              /* the hook ran (on the layout's thread) */
    int started;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    const pub_layout *layout; /* once laid out */
    int state;               /* 0: laying out, 1: laid out, -1: failed */
} early_epub;

/* The EPUB's plan from the copied pages (then let go), and its
 * statements. */
static pub_status early_begin(early_epub *E)
{
    pub_status st = pub_epub_begin(E->j.ctx, E->j.d, E->snap_ptr, E->n_snap, E->ix,
                                   E->j.style, E->early_title, E->j.path, &E->ej);
    free(E->snap);
    free(E->snap_ptr);
    E->snap = NULL;
    E->snap_ptr = NULL;
    return st == PUB_OK ? pub_epub_statements(E->ej) : st;
}

static void *early_run(void *arg)
{
    early_epub *E = arg;
    pub_status st = early_begin(E);
    pthread_mutex_lock(&E->lock);
    while (E->state == 0)
        pthread_cond_wait(&E->changed, &E->lock);
    int state = E->state;
    pthread_mutex_unlock(&E->lock);
    if (st == PUB_OK && state > 0)
        st = pub_epub_finish(E->ej, E->layout, E->share);
    else if (st == PUB_OK)
        st = pub_error(PUB_ERR_INPUT); /* no layout: no EPUB */
    pub_epub_share_close(E->share); /* a helper still waiting returns */
    pub_epub_job_free(E->ej);
    E->ej = NULL;
    E->j.status = st;
    return NULL;
}

static void early_hook(void *user, const pub_layout_early *e)
{
    early_epub *E = user;
    E->hooked = 1;
    E->early_title = pub_epub_title(E->j.d, E->j.title, e->title);
    E->ix = e->ix;
    E->n_snap = e->n_pages;
    E->snap = malloc((e->n_pages + 1) * sizeof *E->snap);
    E->snap_ptr = malloc((e->n_pages + 1) * sizeof *E->snap_ptr);
    if (E->snap == NULL || E->snap_ptr == NULL) {
        free(E->snap);
        free(E->snap_ptr);
        E->snap = NULL;
        E->snap_ptr = NULL;
        pub_diag(E->j.ctx, PUB_ERROR, E->j.path, 0, "out of memory");
        E->j.status = pub_error(PUB_ERR_NOMEM);
        return;
    }
    for (size_t i = 0; i < e->n_pages; i++) {
        E->snap[i] = *e->pages[i];
        E->snap[i].boxes = NULL; /* the plan reads starts, labels and kinds */
        E->snap[i].n_boxes = E->snap[i].cap_boxes = 0;
        E->snap_ptr[i] = &E->snap[i];
    }
    E->started = pthread_create(&E->thread, NULL, early_run, E) == 0;
    if (!E->started) /* no thread: plan and statements here, the rest later */
        E->j.status = early_begin(E);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

pub_status pub_layout_and_editions(pub_ctx *ctx, const pub_dossier *d,
                                   const pub_style *style, const char *title,
                                   const char *pdf_path, const char *epub_path,
                                   int keep_layout, int written[2],
                                   pub_layout **layout, double *layout_s)
{
    double t0 = now_s();
    *layout = NULL;
    if (written != NULL)
        written[0] = written[1] = 0;
    if (pdf_path == NULL || epub_path == NULL || ctx->jobs < 2) {
        pub_status st = pub_layout_run(ctx, d, style, layout);
        *layout_s = now_s() - t0;
        if (st != PUB_OK)
            return st;
        return pub_editions_write(ctx, d, *layout, style, title, pdf_path, epub_path,
                                  keep_layout, written);
    }
    pub_epub_init(); /* libxml2's global state, once, before any thread */
    early_epub E;
    memset(&E, 0, sizeof E);
    job pdf = {.ctx = ctx, .d = d, .style = style, .title = title, .path = pdf_path};
    E.j = (job){.d = d, .style = style, .title = title, .path = epub_path, .epub = 1};
    pub_diagq_init(&E.j.q, ctx);
    E.j.ctx = &E.j.q.ctx;
    E.share = pub_epub_share_new(); /* NULL: no help, no harm */
    if (pthread_mutex_init(&E.lock, NULL) != 0) {
        pub_epub_share_free(E.share);
        pub_diagq_free(&E.j.q);
        return pub_error(PUB_ERR_NOMEM);
    }
    if (pthread_cond_init(&E.changed, NULL) != 0) {
        pthread_mutex_destroy(&E.lock);
        pub_epub_share_free(E.share);
        pub_diagq_free(&E.j.q);
        return pub_error(PUB_ERR_NOMEM);
    }
    pub_status st = pub_layout_run_hooked(ctx, d, style, early_hook, &E, layout);
    *layout_s = now_s() - t0;
    pthread_mutex_lock(&E.lock);
    E.layout = *layout;
    E.state = st == PUB_OK ? 1 : -1;
    pthread_cond_broadcast(&E.changed);
    pthread_mutex_unlock(&E.lock);
    if (st == PUB_OK) {
        if (!E.hooked) {
            /* the hook never ran: one edition after the other */
            pub_epub_share_free(E.share);
            E.share = NULL;
            pub_diagq_replay(&E.j.q, ctx);
            pub_diagq_free(&E.j.q);
            pthread_cond_destroy(&E.changed);
            pthread_mutex_destroy(&E.lock);
            return pub_editions_write(ctx, d, *layout, style, title, pdf_path,
                                      epub_path, keep_layout, written);
        }
        pdf.layout = *layout;
        if (E.started) {
            run_pdf_then_help(&pdf, E.share);
        } else { /* the EPUB planned in the hook, without a thread */
            pdf.status = pub_pdf_write(ctx, d, *layout, title, pdf_path);
            if (E.ej != NULL && E.j.status == PUB_OK)
                E.j.status = pub_epub_finish(E.ej, *layout, NULL);
        }
    }
    if (E.started)
        pthread_join(E.thread, NULL);
    if (E.ej != NULL) { /* planned here but never finished on a thread */
        if (st != PUB_OK && E.j.status == PUB_OK)
            E.j.status = st;
        pub_epub_job_free(E.ej);
    }
    pub_epub_share_free(E.share);
    pub_diagq_replay(&E.j.q, ctx);
    pub_diagq_free(&E.j.q);
    pthread_cond_destroy(&E.changed);
    pthread_mutex_destroy(&E.lock);
    if (st != PUB_OK)
        return st; /* the layout's failure: no edition written */
    if (written != NULL) {
        written[0] = pdf.status == PUB_OK;
        written[1] = E.j.status == PUB_OK;
    }
    (void)keep_layout; /* both editions read the layout as it is */
    return pdf.status != PUB_OK ? pdf.status : E.j.status;
}
