/*
 * container.c — the OCF ZIP container (EPUB OCF 3.3 §4): built in memory
 * with libzip, `mimetype` first and stored without extra field, the rest
 * deflated, every entry dated with one fixed UTC time, then written
 * atomically so a reader never sees half an EPUB. The entries are deflated
 * here with libdeflate (RFC 1951, level 1: smaller than zlib's level 3 in
 * half the time) and handed to libzip as deflated data with their CRC-32
 * and sizes, which it then copies instead of compressing again.
 */
#include "epub/epub_int.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static pub_status zip_fail(pub_ctx *ctx, const char *path, const char *what,
                           const char *why)
{
    pub_diag(ctx, PUB_ERROR, path, 0, "libzip: %s: %s", what,
             why ? why : "unknown error");
    return pub_error(PUB_ERR_BACKEND);
}

/* MS-DOS date and time of t in UTC (ZIP APPNOTE 4.4.6); the time zone of
 * the machine never enters, so every build carries the same bytes. */
static void dos_time(time_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
    struct tm tm;
    if (t < 315532800) /* 1980-01-01, the first DOS date */
        t = 315532800;
    gmtime_r(&t, &tm);
    if (tm.tm_year > 2107 - 1900) {
        tm.tm_year = 2107 - 1900;
        tm.tm_mon = 11;
        tm.tm_mday = 31;
    }
    *dtime =
        (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) |
                            tm.tm_mday);
}

/* One entry's deflated bytes as a libzip source: its stat names the
 * method, both sizes and the CRC, so libzip writes the bytes as they are
 * (zip_close: no recompression when the source's method is the entry's). */
typedef struct packed_src {
    const unsigned char *data;
    size_t len, at;
    zip_uint64_t size; /* uncompressed */
    zip_uint32_t crc;
    zip_error_t error;
    int owned; /* data is ours to free */
} packed_src;

static zip_int64_t packed_cb(void *user, void *buf, zip_uint64_t n, zip_source_cmd_t cmd)
{
    packed_src *p = user;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        p->at = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        size_t k = p->len - p->at;
        if (n < k)
            k = (size_t)n;
        memcpy(buf, p->data + p->at, k);
        p->at += k;
        return (zip_int64_t)k;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        if (n < sizeof(zip_stat_t)) {
            zip_error_set(&p->error, ZIP_ER_INVAL, 0);
            return -1;
        }
        zip_stat_t *st = buf;
        zip_stat_init(st);
        st->size = p->size;
        st->comp_size = p->len;
        st->comp_method = ZIP_CM_DEFLATE;
        st->encryption_method = ZIP_EM_NONE;
        st->crc = p->crc;
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
                    ZIP_STAT_ENCRYPTION_METHOD | ZIP_STAT_CRC;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&p->error, buf, n);
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
                                              ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        zip_error_set(&p->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

pub_status epub_pack(struct libdeflate_compressor *z, const void *data,
                     size_t len, unsigned char **out, size_t *out_len,
                     uint32_t *crc)
{
    size_t bound = libdeflate_deflate_compress_bound(z, len);
    unsigned char *o = malloc(bound ? bound : 1);
    *out = NULL;
    *out_len = 0;
    if (o == NULL)
        return pub_error(PUB_ERR_NOMEM);
    size_t n = libdeflate_deflate_compress(z, data, len, o, bound);
    if (n == 0 && len > 0) { /* cannot happen with the bound */
        free(o);
        return pub_error(PUB_ERR_BACKEND);
    }
    *out = o;
    *out_len = n;
    *crc = (uint32_t)libdeflate_crc32(0, data, len);
    return PUB_OK;
}

pub_status epub_ocf_write(pub_ctx *ctx, const epub_entry *e, size_t n,
                          time_t mtime, const char *path)
{
    pub_status status = PUB_OK;
    zip_error_t ze;
    zip_source_t *mem = NULL;
    zip_t *za = NULL;
    char *bytes = NULL;
    zip_uint16_t dtime, ddate;
    packed_src *src_of = NULL;
    struct libdeflate_compressor *z = NULL;
    dos_time(mtime, &dtime, &ddate);
    src_of = calloc(n ? n : 1, sizeof *src_of);
    z = libdeflate_alloc_compressor(1);
    if (src_of == NULL || z == NULL) {
        status = pub_error(PUB_ERR_NOMEM);
        goto fail;
    }

    zip_error_init(&ze);
    mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (mem == NULL) {
        status = zip_fail(ctx, path, "buffer", zip_error_strerror(&ze));
        goto fail;
    }
    za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
    if (za == NULL) {
        status = zip_fail(ctx, path, "open", zip_error_strerror(&ze));
        goto fail;
    }
    zip_source_keep(mem); /* the bytes outlive zip_close */

    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = NULL;
        if (e[i].stored) {
            src = zip_source_buffer(za, e[i].data, e[i].len, 0);
        } else {
            packed_src *p = &src_of[i];
            zip_error_init(&p->error);
            p->size = e[i].len;
            if (e[i].packed != NULL) { /* packed where it was built */
                p->data = e[i].packed;
                p->len = e[i].packed_len;
                p->crc = e[i].crc;
            } else {
                unsigned char *out = NULL;
                uint32_t crc = 0;
                status = epub_pack(z, e[i].data, e[i].len, &out, &p->len, &crc);
                if (status != PUB_OK) {
                    if (status == PUB_ERR_BACKEND)
                        zip_fail(ctx, path, e[i].name, "deflate failed");
                    goto fail;
                }
                p->data = out;
                p->crc = crc;
                p->owned = 1;
            }
            src = zip_source_function(za, packed_cb, p);
        }
        if (src == NULL) {
            status = zip_fail(ctx, path, e[i].name, zip_strerror(za));
            goto fail;
        }
        zip_int64_t idx = zip_file_add(za, e[i].name, src, ZIP_FL_ENC_GUESS);
        if (idx < 0) {
            zip_source_free(src);
            status = zip_fail(ctx, path, e[i].name, zip_strerror(za));
            goto fail;
        }
        zip_uint64_t u = (zip_uint64_t)idx;
        if (zip_set_file_compression(za, u, e[i].stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                     0) != 0 ||
            zip_file_set_dostime(za, u, dtime, ddate, 0) != 0 ||
            zip_file_set_external_attributes(
                za, u, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)0100644 << 16) != 0) {
            status = zip_fail(ctx, path, e[i].name, zip_strerror(za));
            goto fail;
        }
    }
    if (zip_close(za) != 0) {
        status = zip_fail(ctx, path, "close", zip_strerror(za));
        goto fail;
    }
    za = NULL;

    zip_stat_t st;
    if (zip_source_stat(mem, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        zip_source_open(mem) != 0) {
        status = zip_fail(ctx, path, "read back",
                          zip_error_strerror(zip_source_error(mem)));
        goto fail;
    }
    bytes = malloc(st.size ? st.size : 1);
    if (bytes == NULL) {
        zip_source_close(mem);
        CHECK(pub_error(PUB_ERR_NOMEM));
    }
    zip_int64_t got = zip_source_read(mem, bytes, st.size);
    zip_source_close(mem);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        status = zip_fail(ctx, path, "read back", "short read");
        goto fail;
    }
    CHECK(pub_write_file_atomic(ctx, path, bytes, st.size));
fail:
    if (za != NULL)
        zip_discard(za);
    zip_source_free(mem);
    zip_error_fini(&ze);
    free(bytes);
    for (size_t i = 0; src_of != NULL && i < n; i++) {
        if (src_of[i].owned)
            free((void *)src_of[i].data);
        zip_error_fini(&src_of[i].error);
    }
    free(src_of);
    if (z != NULL)
        libdeflate_free_compressor(z);
    return status;
}
