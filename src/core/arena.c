/*
 * arena.c — the per-dossier memory pool (after MuPDF's fz_pool): blocks of
 * at least 64 KiB, bump allocation, everything freed by pub_arena_free.
 * Growth is overflow-checked; large requests get a block of their own.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN (_Alignof(max_align_t))

typedef struct block {
    struct block *next;
    size_t used, size;
    max_align_t data[]; /* aligned storage */
} block;

struct pub_arena {
    block *head;
};

pub_arena *pub_arena_new(void)
{
    return calloc(1, sizeof(pub_arena));
}

void pub_arena_free(pub_arena *a)
{
    if (a == NULL)
        return;
    pub_arena_reset(a);
    free(a);
}

void pub_arena_reset(pub_arena *a)
{
    block *b = a->head;
    while (b != NULL) {
        block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void *pub_arena_alloc(pub_arena *a, size_t size)
{
    size_t rounded;
    if (!pub_add_ok(size, ARENA_ALIGN - 1, &rounded))
        return NULL;
    rounded &= ~(ARENA_ALIGN - 1);
    if (rounded == 0)
        rounded = ARENA_ALIGN;
    block *b = a->head;
    if (b == NULL || b->size - b->used < rounded) {
        size_t want = rounded > ARENA_BLOCK ? rounded : ARENA_BLOCK;
        size_t total;
        if (!pub_add_ok(want, sizeof(block), &total))
            return NULL;
        block *nb = malloc(total);
        if (nb == NULL)
            return NULL;
        nb->used = 0;
        nb->size = want;
        if (b != NULL && rounded > ARENA_BLOCK) {
            /* keep the partly used head block in front */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += rounded;
    memset(p, 0, rounded);
    return p;
}

void *pub_arena_alloc_array(pub_arena *a, size_t n, size_t size)
{
    size_t total;
    if (!pub_mul_ok(n, size, &total))
        return NULL;
    return pub_arena_alloc(a, total);
}

pub_status pub_arena_array_grow(pub_arena *a, void **v, size_t n, size_t *cap,
                                size_t size, size_t first)
{
    if (n < *cap)
        return PUB_OK;
    size_t c = *cap ? *cap : first;
    if (*cap && !pub_mul_ok(c, 2, &c))
        return pub_error(PUB_ERR_NOMEM);
    void *nv = pub_arena_alloc_array(a, c, size);
    if (nv == NULL)
        return pub_error(PUB_ERR_NOMEM);
    if (n)
        memcpy(nv, *v, n * size);
    *v = nv;
    *cap = c;
    return PUB_OK;
}

char *pub_arena_strndup(pub_arena *a, const char *s, size_t n)
{
    size_t total;
    if (!pub_add_ok(n, 1, &total))
        return NULL;
    char *p = pub_arena_alloc(a, total);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *pub_arena_strdup(pub_arena *a, const char *s)
{
    return pub_arena_strndup(a, s, strlen(s));
}

char *pub_arena_printf(pub_arena *a, const char *fmt, ...)
{
    /* one formatting pass for the short strings this is used for (labels,
     * destination names, citations); a second only for longer ones */
    char small[256];
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = pub_vformat(small, sizeof small, fmt, aq);
    va_end(aq);
    if (n < 0)
        n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = pub_arena_alloc(a, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}
