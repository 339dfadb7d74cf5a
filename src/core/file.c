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

pub_status pub_write_file_atomic(pub_ctx *ctx, const char *path,
                                 const void *data, size_t len)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL)
        return pub_error(PUB_ERR_NOMEM);
    snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot create output file: %s",
                 strerror(errno));
        free(tmp);
        return pub_error(PUB_ERR_IO);
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto io_fail;
        }
        p += w;
        left -= (size_t)w;
    }
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
