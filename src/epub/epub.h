/*
 * epub.h — the EPUB 3 backend: the model as XHTML (libxml2) in an OCF
 * container (libzip), with a page-list taken from the PDF layout.
 */
#ifndef PUB_EPUB_H
#define PUB_EPUB_H

#include "layout/layout.h"

/* Writes the dossier as an EPUB 3 at path (atomically: built in memory,
 * then a temporary file renamed into place). layout gives the page starts
 * of the PDF edition for the page-list and the page-break markers; with
 * layout NULL the EPUB has neither. style may be NULL (the layout's, else
 * the built-in default); title NULL names the dossier as the PDF does:
 * after its only statement, or "Dossier of N statements, FIRST to LAST". Entry
 * dates come from SOURCE_DATE_EPOCH, else from the newest statement date, so
 * the same input gives the same bytes. */
PUB_MUST_CHECK pub_status pub_epub_write(pub_ctx *ctx, const pub_dossier *d,
                                         const pub_layout *layout,
                                         const pub_style *style,
                                         const char *title, const char *path);

/* libxml2's global state and the EPUB's allocator hooks for it
 * (region.c), once for the process; call it before threads that may use
 * libxml2 start. The EPUB's entry points call it too. */
void pub_epub_init(void);

/* The title the EPUB is given: title, else the dossier description's
 * (NULL here: the EPUB takes it from the dossier), else cover_title, the
 * PDF cover's. */
const char *pub_epub_title(const pub_dossier *d, const char *title,
                           const char *cover_title);

/* Lets a second thread build some of an EPUB's documents: the thread
 * finishing the EPUB (pub_epub_finish) takes them from the front, one
 * calling pub_epub_help from the back. Output is the same either way. */
typedef struct pub_epub_share pub_epub_share;
pub_epub_share *pub_epub_share_new(void); /* NULL when out of memory */
void pub_epub_share_free(pub_epub_share *s);
/* No more documents to share: a helper waiting in pub_epub_help returns. */
void pub_epub_share_close(pub_epub_share *s);
/* Called on another thread: waits until the EPUB's documents are planned
 * (or the EPUB has ended without them), builds documents until none is
 * left, and returns. Each document's messages are replayed by the EPUB in
 * spine order; a failure fails the EPUB. */
void pub_epub_help(pub_epub_share *s);

/* The EPUB in steps, so that its statements' documents can be built while
 * the layout still sets the back matter (their pages come after the
 * body's, and the statements only need the front matter and the body):
 * pub_epub_begin plans the book from pages[0, n_pages) — the final front
 * matter and body pages — and the authority list, reading the pages only
 * during the call; pub_epub_statements builds the statements' documents
 * (any one thread); pub_epub_finish, given the whole layout, plans the
 * back matter's pages and builds everything else, with a helper when
 * share is not NULL. The bytes are those of pub_epub_write. The job's
 * messages go to ctx; pub_epub_job_free tells those not yet told. */
typedef struct pub_epub_job pub_epub_job;
struct pub_index;
PUB_MUST_CHECK pub_status pub_epub_begin(pub_ctx *ctx, const pub_dossier *d,
                                         const pub_page *const *pages, size_t n_pages,
                                         const struct pub_index *ix,
                                         const pub_style *style, const char *title,
                                         const char *path, pub_epub_job **out);
PUB_MUST_CHECK pub_status pub_epub_statements(pub_epub_job *j);
PUB_MUST_CHECK pub_status pub_epub_finish(pub_epub_job *j, const pub_layout *layout,
                                          pub_epub_share *share);
void pub_epub_job_free(pub_epub_job *j);

#endif
