/*
 * reader.c — entry points of the reader: reads a statement file (bounded,
 * regular files only), hashes it (SHA-256), decodes and structures it, then
 * settles the statement's date (dateline > byline > closing > "as of") and
 * language. On any error the dossier is left unchanged.
 */
#include "reader/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUT ((size_t)256 * 1024 * 1024)

static const pub_node *first_of(const pub_node *stmt, pub_node_type t)
{
    for (const pub_node *c = stmt->first_child; c != NULL; c = c->next)
        if (c->type == t)
            return c;
    return NULL;
}

static int date_of(const pub_node *n, char iso[11])
{
    size_t len;
    char *t = pub_node_plain_text(n, &len);
    if (t == NULL)
        return 0;
    size_t s, e;
    int ok = pub_find_date(t, len, iso, &s, &e);
    free(t);
    return ok;
}

static void settle_date(pub_node *stmt)
{
    pub_statement_info *st = &stmt->as.statement;
    char iso[11];
    const pub_node *n;
    if ((n = first_of(stmt, PUB_NODE_DATELINE)) && date_of(n, iso)) {
        st->date_source = PUB_DATE_DATELINE;
    } else if ((n = first_of(stmt, PUB_NODE_BYLINE)) && date_of(n, iso)) {
        st->date_source = PUB_DATE_BYLINE;
    } else {
        const pub_node *closing = NULL, *sec = NULL;
        for (const pub_node *c = stmt->first_child; c != NULL; c = c->next) {
            if (c->type == PUB_NODE_CLOSING && date_of(c, iso))
                closing = c;
            if (c->type == PUB_NODE_SIGNATORY_SECTION && c->as.section.as_of && !sec)
                sec = c;
        }
        if (closing != NULL) {
            date_of(closing, iso);
            st->date_source = PUB_DATE_CLOSING;
        } else if (sec != NULL) {
            snprintf(iso, sizeof iso, "%s", sec->as.section.as_of);
            st->date_source = PUB_DATE_AS_OF;
        } else if ((n = first_of(stmt, PUB_NODE_TITLE)) && date_of(n, iso)) {
            st->date_source = PUB_DATE_TITLE;
        } else {
            return;
        }
    }
    memcpy(st->date, iso, sizeof st->date);
}

static pub_status settle_language(pub_dossier *d, pub_node *stmt)
{
    pub_buf b = {0};
    pub_status status = PUB_OK;
    for (const pub_node *c = stmt->first_child; c != NULL && b.len < 1000; c = c->next) {
        if (c->type != PUB_NODE_PARAGRAPH && c->type != PUB_NODE_TITLE &&
            c->type != PUB_NODE_SUBTITLE && c->type != PUB_NODE_SLOGAN &&
            c->type != PUB_NODE_HEADING && c->type != PUB_NODE_SALUTATION &&
            c->type != PUB_NODE_LIST)
            continue;
        size_t len;
        char *t = pub_node_plain_text(c, &len);
        CHECK_ALLOC(t);
        status = pub_buf_append(&b, t, len);
        free(t);
        CHECK(status);
        CHECK(pub_buf_putc(&b, '\n'));
    }
    stmt->as.statement.language =
        b.len > 0 ? pub_guess_language(d, b.data, b.len) : NULL;
fail:
    pub_buf_free(&b);
    return status;
}

pub_status pub_dossier_read_buffer(pub_ctx *ctx, pub_dossier *d,
                                   const char *name, const char *data,
                                   size_t len)
{
    pub_status status = PUB_OK;
    pub_arena *a = pub_dossier_arena(d);
    pub_lines lines;
    CHECK(pub_decode(ctx, a, name, data, len, &lines));
    pub_node *stmt = pub_node_new(a, PUB_NODE_STATEMENT, 1);
    CHECK_ALLOC(stmt);
    pub_statement_info *st = &stmt->as.statement;
    st->source = pub_arena_strdup(a, name);
    CHECK_ALLOC(st->source);
    const char *slash = strrchr(st->source, '/');
    st->basename = slash ? slash + 1 : st->source;
    st->size = len;
    pub_sha256_hex(data, len, st->sha256);
    CHECK(pub_build_statement(ctx, a, name, &lines, stmt));
    settle_date(stmt);
    CHECK(settle_language(d, stmt));
    pub_dossier_append_statement(d, stmt);
fail:
    if (status == PUB_ERR_NOMEM)
        pub_diag(ctx, PUB_ERROR, name, 0, "out of memory while reading");
    return status;
}

pub_status pub_dossier_read_file(pub_ctx *ctx, pub_dossier *d, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot open: %s", strerror(errno));
        return pub_error(errno == ENOENT ? PUB_ERR_INPUT : PUB_ERR_IO);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        pub_diag(ctx, PUB_ERROR, path, 0, "not a regular file");
        close(fd);
        return pub_error(PUB_ERR_INPUT);
    }
    if ((size_t)st.st_size > MAX_INPUT) {
        pub_diag(ctx, PUB_ERROR, path, 0, "file too large (%lld bytes; limit %zu)",
                 (long long)st.st_size, MAX_INPUT);
        close(fd);
        return pub_error(PUB_ERR_INPUT);
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *data = malloc(cap);
    if (data == NULL) {
        close(fd);
        pub_diag(ctx, PUB_ERROR, path, 0, "out of memory");
        return pub_error(PUB_ERR_NOMEM);
    }
    for (;;) {
        if (len == cap) { /* the file grew while we read it */
            if (cap >= MAX_INPUT) {
                pub_diag(ctx, PUB_ERROR, path, 0, "file too large");
                free(data);
                close(fd);
                return pub_error(PUB_ERR_INPUT);
            }
            char *p = realloc(data, cap * 2);
            if (p == NULL) {
                free(data);
                close(fd);
                return pub_error(PUB_ERR_NOMEM);
            }
            data = p;
            cap *= 2;
        }
        ssize_t r = read(fd, data + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            pub_diag(ctx, PUB_ERROR, path, 0, "cannot read: %s", strerror(errno));
            free(data);
            close(fd);
            return pub_error(PUB_ERR_IO);
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    pub_status s = pub_dossier_read_buffer(ctx, d, path, data, len);
    free(data);
    return s;
}
