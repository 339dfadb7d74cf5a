/*
 * buf.c — a growable, always NUL-terminated byte buffer with
 * overflow-checked doubling (after cairo's _cairo_malloc_ab).
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pub_status pub_buf_reserve(pub_buf *b, size_t extra)
{
    size_t need;
    if (!pub_add_ok(b->len, extra, &need) || !pub_add_ok(need, 1, &need))
        return pub_error(PUB_ERR_NOMEM);
    if (need <= b->cap)
        return PUB_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (!pub_mul_ok(cap, 2, &cap))
            return pub_error(PUB_ERR_NOMEM);
    }
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return pub_error(PUB_ERR_NOMEM);
    b->data = p;
    b->cap = cap;
    return PUB_OK;
}

pub_status pub_buf_append_slow(pub_buf *b, const void *p, size_t n)
{
    pub_status s = pub_buf_reserve(b, n);
    if (s != PUB_OK)
        return s;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return PUB_OK;
}

pub_status pub_buf_printf(pub_buf *b, const char *fmt, ...)
{
    /* formatted straight into the free space; a second pass only when
     * it did not fit */
    pub_status s = pub_buf_reserve(b, 64);
    if (s != PUB_OK)
        return s;
    size_t room = b->cap - b->len;
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = pub_vformat(b->data + b->len, room, fmt, aq);
    va_end(aq);
    if (n < 0)
        n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = '\0';
        return pub_error(PUB_ERR_INTERNAL);
    }
    if ((size_t)n >= room) {
        b->data[b->len] = '\0';
        if ((s = pub_buf_reserve(b, (size_t)n)) != PUB_OK)
            return s;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
    return PUB_OK;
}

void pub_buf_free(pub_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *pub_buf_detach(pub_buf *b)
{
    char *p = b->data;
    if (p == NULL)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

pub_status pub_array_grow(void **v, size_t n, size_t *cap, size_t size,
                          size_t first)
{
    if (n < *cap)
        return PUB_OK;
    size_t c = *cap ? *cap : first, bytes;
    if ((*cap && !pub_mul_ok(c, 2, &c)) || !pub_mul_ok(c, size, &bytes))
        return pub_error(PUB_ERR_NOMEM);
    void *nv = realloc(*v, bytes);
    if (nv == NULL)
        return pub_error(PUB_ERR_NOMEM);
    *v = nv;
    *cap = c;
    return PUB_OK;
}

pub_status pub_array_reserve(void **v, size_t n, size_t *cap, size_t size,
                             size_t first)
{
    if (n <= *cap)
        return PUB_OK;
    size_t c = *cap ? *cap : first, bytes;
    while (c < n)
        if (!pub_mul_ok(c, 2, &c))
            return pub_error(PUB_ERR_NOMEM);
    if (!pub_mul_ok(c, size, &bytes))
        return pub_error(PUB_ERR_NOMEM);
    void *nv = realloc(*v, bytes);
    if (nv == NULL)
        return pub_error(PUB_ERR_NOMEM);
    *v = nv;
    *cap = c;
    return PUB_OK;
}
