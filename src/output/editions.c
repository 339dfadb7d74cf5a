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

#include <libxml/parser.h>
#include <pthread.h>
#include <string.h>

typedef struct job {
    pub_diagq q;
    pub_ctx *ctx;            /* the context the work reports to */
    const pub_dossier *d;
    const pub_layout *layout;
    const pub_style *style;
    const char *title;
    const char *path;
    int epub;
    pub_epub_share
        *share; /* the EPUB's documents, shared with the PDF's thread */
    pub_status status;
} job;

static void *run(void *arg)
{
    job *j = arg;
    j->status = j->epub
                    ? pub_epub_write_shared(j->ctx, j->d, j->layout, j->style,
                                            j->title, j->path, j->share)
                    : pub_pdf_write(j->ctx, j->d, j->layout, j->title, j->path);
    return NULL;
}

/* The PDF, then help with the EPUB's documents while the PDF is not yet
 * synced (the sync waits for the disk, not for a processor). */
static void run_pdf_then_help(job *pdf, pub_epub_share *share)
{
    char *tmp = NULL;
    pdf->status = pub_pdf_write_unsettled(pdf->ctx, pdf->d, pdf->layout, pdf->title,
                                          pdf->path, &tmp);
    pub_epub_help(share);
    if (pdf->status == PUB_OK)
        pdf->status = pub_atomic_end(pdf->ctx, pdf->path, tmp);
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
    if (pdf_path == NULL || epub_path == NULL || ctx->jobs < 2) {
        if (pdf_path != NULL) {
            run(&j[0]);
            if (!keep_layout)
                pub_layout_forget_drawing(layout); /* the EPUB does not draw */
        }
        if (epub_path != NULL)
            run(&j[1]);
    } else {
        xmlInitParser(); /* libxml2's global state, once, before any thread */
        /* the EPUB on a second thread reporting to a queue, the PDF here (it
         * may report progress, which is not for other threads) */
        pub_diagq_init(&j[1].q, ctx);
        j[1].ctx = &j[1].q.ctx;
        /* the PDF is the shorter: its thread then helps build the EPUB's
         * documents (NULL share: no help, no harm) */
        j[1].share = pub_epub_share_new();
        pthread_t t;
        int threaded = pthread_create(&t, NULL, run, &j[1]) == 0;
        if (threaded) {
            run_pdf_then_help(&j[0], j[1].share);
            pthread_join(t, NULL);
        } else {
            run(&j[0]);
            run(&j[1]); /* no thread to be had: one after the other */
        }
        pub_epub_share_free(j[1].share);
        pub_diagq_replay(&j[1].q, ctx);
    }
    for (int i = 0; written != NULL && i < 2; i++)
        written[i] = j[i].path != NULL && j[i].status == PUB_OK;
    return j[0].status != PUB_OK ? j[0].status : j[1].status;
}
