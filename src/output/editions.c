/*
 * editions.c — the PDF and the EPUB written concurrently (POSIX threads).
 * The EPUB backend never waits on the PDF: it takes its page-list from the
 * layout, not from the PDF file. Each thread reports through a private
 * pub_ctx whose messages are queued and replayed afterwards.
 */
#include "output/editions.h"

#include "epub/epub.h"
#include "pdf/pdf.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One queued diagnostic. */
typedef struct msg {
    pub_severity sev;
    char *file;
    int line;
    char *text;
} msg;

typedef struct job {
    pub_ctx ctx;             /* private: diag = queue */
    msg *msgs;
    size_t n_msgs;
    int oom;                 /* a message was lost for want of memory */
    /* the work */
    const pub_dossier *d;
    const pub_layout *layout;
    const pub_style *style;
    const char *title;
    const char *path;
    int epub;
    pub_status status;
} job;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void queue(void *user, pub_severity sev, const char *file, int line,
                  const char *text)
{
    job *j = user;
    msg *v = realloc(j->msgs, (j->n_msgs + 1) * sizeof *v);
    if (v == NULL) {
        j->oom = 1;
        return;
    }
    j->msgs = v;
    msg *m = &v[j->n_msgs];
    m->sev = sev;
    m->line = line;
    m->file = dup_or_null(file);
    m->text = dup_or_null(text);
    if ((file && !m->file) || !m->text) {
        free(m->file);
        free(m->text);
        j->oom = 1;
        return;
    }
    j->n_msgs++;
}

static void *run(void *arg)
{
    job *j = arg;
    j->status = j->epub ? pub_epub_write(&j->ctx, j->d, j->layout, j->style, j->title,
                                         j->path)
                        : pub_pdf_write(&j->ctx, j->d, j->layout, j->title, j->path);
    return NULL;
}

/* Replays a job's messages through the caller's context and frees them. */
static void replay(pub_ctx *ctx, job *j)
{
    for (size_t i = 0; i < j->n_msgs; i++) {
        msg *m = &j->msgs[i];
        pub_diag(ctx, m->sev, m->file, m->line, "%s", m->text);
        free(m->file);
        free(m->text);
    }
    free(j->msgs);
    j->msgs = NULL;
    j->n_msgs = 0;
    if (j->oom)
        pub_diag(ctx, PUB_WARNING, j->path, 0, "some messages were lost (out of memory)");
}

pub_status pub_editions_write(pub_ctx *ctx, const pub_dossier *d,
                              const pub_layout *layout, const pub_style *style,
                              const char *title, const char *pdf_path,
                              const char *epub_path, int jobs)
{
    if (pdf_path == NULL || epub_path == NULL || jobs < 2) {
        pub_status st = PUB_OK;
        if (pdf_path != NULL)
            st = pub_pdf_write(ctx, d, layout, title, pdf_path);
        if (epub_path != NULL) {
            pub_status se = pub_epub_write(ctx, d, layout, style, title, epub_path);
            if (st == PUB_OK)
                st = se;
        }
        return st;
    }
    xmlInitParser(); /* libxml2's global state, once, before any thread */
    job j[2];
    memset(j, 0, sizeof j);
    for (int i = 0; i < 2; i++) {
        j[i].ctx.diag = queue;
        j[i].ctx.diag_user = &j[i];
        j[i].ctx.quiet = ctx->quiet;
        j[i].d = d;
        j[i].layout = layout;
        j[i].style = style;
        j[i].title = title;
        j[i].epub = i;
        j[i].path = i ? epub_path : pdf_path;
    }
    /* the EPUB on a second thread, the PDF on this one */
    pthread_t t;
    int threaded = pthread_create(&t, NULL, run, &j[1]) == 0;
    run(&j[0]);
    if (threaded)
        pthread_join(t, NULL);
    else
        run(&j[1]); /* no thread to be had: one after the other */
    replay(ctx, &j[0]);
    replay(ctx, &j[1]);
    return j[0].status != PUB_OK ? j[0].status : j[1].status;
}
