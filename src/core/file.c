/*
 * file.c — atomic output: write to a temporary file beside the target,
 * fsync, then rename(2) into place, so a reader never sees a half-written
 * file and a failure leaves the previous output intact (POSIX rename).
 */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "PATH.tmp-XXXXXX" made and created beside path; NULL on failure. */
static char *make_temp(pub_ctx *ctx, const char *path, int *fd)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL) {
        pub_diag(ctx, PUB_ERROR, path, 0, "out of memory");
        return NULL;
    }
    snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
    *fd = mkstemp(tmp);
    if (*fd < 0) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot create output file: %s",
                 strerror(errno));
        free(tmp);
        return NULL;
    }
    return tmp;
}

/* fsync, mode 0644, close and rename tmp to path; on any failure the
 * temporary file is removed. Takes fd and tmp. */
static pub_status settle(pub_ctx *ctx, const char *path, char *tmp, int fd)
{
    if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
        goto io_fail;
    if (close(fd) != 0) {
        fd = -1;
        goto io_fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto io_fail;
    free(tmp);
    return PUB_OK;
io_fail:
    pub_diag(ctx, PUB_ERROR, path, 0, "cannot write output file: %s",
             strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return pub_error(PUB_ERR_IO);
}

pub_status pub_write_file_atomic(pub_ctx *ctx, const char *path,
                                 const void *data, size_t len)
{
    int fd;
    char *tmp = make_temp(ctx, path, &fd);
    if (tmp == NULL)
        return pub_error(PUB_ERR_IO);
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            pub_diag(ctx, PUB_ERROR, path, 0, "cannot write output file: %s",
                     strerror(errno));
            close(fd);
            unlink(tmp);
            free(tmp);
            return pub_error(PUB_ERR_IO);
        }
        p += w;
        left -= (size_t)w;
    }
    return settle(ctx, path, tmp, fd);
}

pub_status pub_atomic_begin(pub_ctx *ctx, const char *path, char **tmp)
{
    int fd;
    *tmp = make_temp(ctx, path, &fd);
    if (*tmp == NULL)
        return pub_error(PUB_ERR_IO);
    close(fd); /* the writer opens it by name */
    return PUB_OK;
}

void pub_atomic_abandon(char *tmp)
{
    if (tmp != NULL)
        unlink(tmp);
    free(tmp);
}

pub_status pub_atomic_end(pub_ctx *ctx, const char *path, char *tmp)
{
    int fd = open(tmp, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot write output file: %s",
                 strerror(errno));
        unlink(tmp);
        free(tmp);
        return pub_error(PUB_ERR_IO);
    }
    return settle(ctx, path, tmp, fd);
}

pub_status pub_read_whole_file(pub_ctx *ctx, const char *path, const char *what,
                               pub_status err, char **out, size_t *len)
{
    pub_status status = PUB_OK;
    pub_buf buf = {0};
    const char *sep = what ? " " : "";
    what = what ? what : "";
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot read%s%s: %s", sep, what,
                 strerror(errno));
        return pub_error(err);
    }
    /* room for the whole file at once when its size is known (a regular
     * file), read straight into it; the loop also takes what a file
     * grown meanwhile, or a pipe, still has */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size < SIZE_MAX / 2)
        CHECK(pub_buf_reserve(&buf, (size_t)st.st_size + 1)); /* + the end */
    for (;;) {
        if (buf.cap - buf.len < 2)
            CHECK(pub_buf_reserve(&buf, 65536));
        size_t n = fread(buf.data + buf.len, 1, buf.cap - buf.len - 1, f);
        buf.len += n;
        buf.data[buf.len] = '\0';
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot read%s%s", sep, what);
        CHECK(pub_error(err));
    }
    CHECK(pub_buf_reserve(&buf, 1)); /* data is never NULL */
    *len = buf.len;
    *out = pub_buf_detach(&buf);
fail:
    fclose(f);
    pub_buf_free(&buf);
    return status;
}
