/*
 * region.c — the memory one EPUB document's libxml2 tree lives in while it
 * is built, serialised and dropped: a region (Hanson, "Fast allocation and
 * deallocation of memory based on object lifetimes", Software: Practice and
 * Experience 20(1), 1990). Allocation bumps a pointer in blocks the region
 * owns; dropping the document rewinds the region instead of freeing its
 * thousands of nodes, attributes and strings one by one.
 *
 * libxml2 takes one allocator for the process from xmlMemSetup (as
 * Debian builds it, without LIBXML_THREAD_ALLOC_ENABLED).
 * pub_epub_init, once before the EPUB's threads start, puts hooks
 * there that allocate in the calling thread's entered region, if it has
 * one, and otherwise call the allocator that was set before. Memory no
 * region gave out (all libxml2 allocates outside a document, in any
 * thread) is freed and reallocated by that allocator as before.
 *
 * Under AddressSanitizer, rewound memory is poisoned and every allocation
 * unpoisoned to its own size, so a pointer kept past the document's end,
 * or a write past an allocation, is still reported.
 */
#include "epub/epub_int.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define REGION_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REGION_ASAN 1
#endif
#endif
#ifdef REGION_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* libxml2's structures hold pointers, ints, longs and doubles, nothing
 * aligned beyond 8 bytes, and it reaches the allocator only through
 * xmlMalloc; 8 rather than malloc's 16 keeps a tree as small as malloc's */
#define ALIGN 8u
#define HEAD ALIGN /* each allocation's size, before its bytes */
#define FIRST_BLOCK 65536u /* a statement's tree fits in one or two */
#define MAX_BLOCK (1u << 20)
#define KEEP (1u << 20) /* bytes of blocks a region keeps between documents */

struct region_block {
    struct region_block *next; /* the one allocated after it */
    size_t cap, used;          /* bytes of data[], bytes given out */
    _Alignas(ALIGN) unsigned char data[];
};

/* The region this thread's libxml2 allocates in, while one is entered. */
static _Thread_local epub_region *current;

static int owns(const epub_region *r, const void *p)
{
    const unsigned char *c = p;
    for (const region_block *b = r->first; b != NULL; b = b->next)
        if (c >= b->data && c < b->data + b->cap)
            return 1;
    return 0;
}

static size_t size_of(const void *p)
{
    size_t n;
    const unsigned char *h = (const unsigned char *)p - HEAD;
    UNPOISON(h, sizeof n);
    memcpy(&n, h, sizeof n);
    POISON(h, HEAD);
    return n;
}

static size_t rounded(size_t n)
{
    return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* A block with room for need bytes: the open one, a later one kept from
 * an earlier document, or a new one at the end of the list. */
static region_block *room(epub_region *r, size_t need)
{
    region_block *b = r->open;
    while (b != NULL && b->cap - b->used < need)
        b = b->next;
    if (b != NULL)
        return r->open = b;
    size_t cap = r->last ? r->last->cap * 2 : FIRST_BLOCK;
    if (cap > MAX_BLOCK)
        cap = MAX_BLOCK;
    if (cap < need)
        cap = need;
    b = malloc(sizeof *b + cap);
    if (b == NULL)
        return NULL;
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    POISON(b->data, cap);
    if (r->last != NULL)
        r->last->next = b;
    else
        r->first = b;
    r->last = b;
    return r->open = b;
}

static void *region_alloc(epub_region *r, size_t n)
{
    if (n > SIZE_MAX / 4)
        return NULL;
    size_t need = HEAD + rounded(n);
    region_block *b = room(r, need);
    if (b == NULL)
        return NULL;
    unsigned char *p = b->data + b->used + HEAD;
    b->used += need;
    UNPOISON(p - HEAD, sizeof n);
    memcpy(p - HEAD, &n, sizeof n);
    POISON(p - HEAD, HEAD);
    UNPOISON(p, n);
    r->recent = p;
    return p;
}

/* Empties r: its first blocks, up to keep bytes, stay for reuse; the
 * rest go back to malloc. */
static void trim(epub_region *r, size_t keep)
{
    size_t kept = 0;
    region_block **link = &r->first;
    r->last = NULL;
    while (*link != NULL) {
        region_block *b = *link;
        if (kept + b->cap > keep) {
            *link = b->next;
            UNPOISON(b->data, b->cap);
            free(b);
            continue;
        }
        kept += b->cap;
        POISON(b->data, b->cap);
        b->used = 0;
        r->last = b;
        link = &b->next;
    }
    r->open = r->first;
    r->recent = NULL;
}

/* ------------------------------------------------ libxml2's allocator */

/* libxml2's allocator before install: what the hooks use outside a
 * region, and for memory no region gave out. */
static xmlFreeFunc prev_free = free;
static xmlMallocFunc prev_malloc = malloc;
static xmlReallocFunc prev_realloc = realloc;
static int installed;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void *hook_malloc(size_t n)
{
    epub_region *r = current;
    return r != NULL ? region_alloc(r, n) : prev_malloc(n);
}

static void hook_free(void *p)
{
    epub_region *r = current;
    if (p == NULL)
        return;
    if (r == NULL || !owns(r, p)) {
        prev_free(p);
        return;
    }
    /* the latest allocation (a temporary, a merged text) is taken back;
     * any other waits for the region's end */
    if (p == r->recent) {
        r->open->used = (size_t)((unsigned char *)p - HEAD - r->open->data);
        POISON(p, size_of(p));
        r->recent = NULL;
    }
}

static void *hook_realloc(void *p, size_t n)
{
    epub_region *r = current;
    if (r == NULL || (p != NULL && !owns(r, p)))
        return prev_realloc(p, n);
    if (p == NULL)
        return region_alloc(r, n);
    size_t old = size_of(p);
    region_block *b = r->open;
    unsigned char *u = p;
    if (p == r->recent && n <= SIZE_MAX / 4 &&
        (size_t)(b->data + b->cap - u) >= rounded(n)) {
        /* the latest allocation grows or shrinks where it is */
        b->used = (size_t)(u - b->data) + rounded(n);
        UNPOISON(u - HEAD, sizeof n);
        memcpy(u - HEAD, &n, sizeof n);
        POISON(u - HEAD, HEAD);
        if (n < old)
            POISON(u + n, old - n);
        UNPOISON(u, n);
        return p;
    }
    void *q = region_alloc(r, n);
    if (q != NULL)
        memcpy(q, p, old < n ? old : n);
    return q;
}

static char *hook_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = hook_malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

static void install(void)
{
#ifndef LIBXML_THREAD_ALLOC_ENABLED
    xmlFreeFunc f;
    xmlMallocFunc m;
    xmlReallocFunc re;
    xmlStrdupFunc sd;
    if (xmlMemGet(&f, &m, &re, &sd) != 0 || f == NULL || m == NULL || re == NULL)
        return;
    prev_free = f;
    prev_malloc = m;
    prev_realloc = re;
    installed = xmlMemSetup(hook_free, hook_malloc, hook_realloc, hook_strdup) == 0;
#endif
    /* with LIBXML_THREAD_ALLOC_ENABLED each thread has its own allocator,
     * and a new thread's is malloc whatever was set: no regions then */
}

/* ------------------------------------------------------------ the API */

static void init(void)
{
    xmlInitParser();
    install();
}

void pub_epub_init(void)
{
    pthread_once(&init_once, init);
}

int epub_region_enter(epub_region *r)
{
    if (r == NULL || r->entered || current != NULL || !installed)
        return 0;
    current = r;
    r->entered = 1;
    r->open = r->first;
    r->recent = NULL;
    return 1;
}

void epub_region_leave(epub_region *r)
{
    if (r == NULL || !r->entered)
        return;
    /* libxml2 keeps the thread's last error; its strings may be ours */
    xmlResetLastError();
    current = NULL;
    r->entered = 0;
    /* the first blocks stay for the next document (most statements fit
     * in them); what a large one needed more goes back to malloc, so the
     * stages after it can use that memory */
    trim(r, KEEP);
}

void epub_region_free(epub_region *r)
{
    if (r == NULL)
        return;
    epub_region_leave(r);
    trim(r, 0);
    memset(r, 0, sizeof *r);
}
