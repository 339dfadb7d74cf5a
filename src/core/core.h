/*
 * core.h — private helpers shared by every stage: the arena that owns a
 * dossier's memory (after MuPDF's fz_pool), a growable byte buffer with
 * overflow-checked growth (after cairo's _cairo_malloc_ab), and the CHECK()
 * idiom that funnels every failure to one `fail:` label (after md4c).
 */
#ifndef PUB_CORE_H
#define PUB_CORE_H

#include "publish.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Every error is created here, so one breakpoint catches them all. */
pub_status pub_error(pub_status s);

#define CHECK(expr)                                                            \
    do {                                                                       \
        status = (expr);                                                       \
        if (status != PUB_OK)                                                  \
            goto fail;                                                         \
    } while (0)
#define CHECK_ALLOC(ptr)                                                       \
    do {                                                                       \
        if ((ptr) == NULL) {                                                   \
            status = pub_error(PUB_ERR_NOMEM);                                 \
            goto fail;                                                         \
        }                                                                      \
    } while (0)

/* ---- whole files ---- */
/* Reads path into *out (malloc'd, never NULL) and *len. Errors are
 * reported as "cannot read WHAT: reason" (what may be NULL) and returned
 * as err. */
PUB_MUST_CHECK pub_status pub_read_whole_file(pub_ctx *ctx, const char *path,
                                              const char *what, pub_status err,
                                              char **out, size_t *len);

/* ---- atomic output for writers that want a file name ---- */
/* Creates an empty temporary file beside path; *tmp (malloc'd) names it. */
PUB_MUST_CHECK pub_status pub_atomic_begin(pub_ctx *ctx, const char *path, char **tmp);
/* Syncs tmp and renames it to path (removes it on failure). Frees tmp. */
PUB_MUST_CHECK pub_status pub_atomic_end(pub_ctx *ctx, const char *path, char *tmp);
/* Removes tmp and frees it (NULL is fine). */
void pub_atomic_abandon(char *tmp);

/* ---- diagnostics queue: a context that keeps messages for later ---- */
typedef struct pub_diagq_msg pub_diagq_msg;
typedef struct pub_diagq {
    pub_ctx ctx;          /* hand this to the work; its quiet is the parent's */
    pub_diagq_msg *msgs;
    size_t n, cap;
    int lost;             /* a message could not be kept (out of memory) */
} pub_diagq;
/* q must not move while its ctx is in use (ctx.diag_user points at it). */
void pub_diagq_init(pub_diagq *q, const pub_ctx *parent);
/* Sends every kept message through ctx, in order, then empties q. */
void pub_diagq_replay(pub_diagq *q, pub_ctx *ctx);
void pub_diagq_free(pub_diagq *q);

/* ---- arena: bump allocator, freed in one call ---- */
typedef struct pub_arena pub_arena;
pub_arena *pub_arena_new(void);
void pub_arena_free(pub_arena *a);
/* Frees everything allocated so far; the arena stays usable. */
void pub_arena_reset(pub_arena *a);
/* Zeroed, aligned to max_align_t. NULL on overflow or out of memory. */
void *pub_arena_alloc(pub_arena *a, size_t size);
void *pub_arena_alloc_array(pub_arena *a, size_t n, size_t size);
char *pub_arena_strndup(pub_arena *a, const char *s, size_t n);
char *pub_arena_strdup(pub_arena *a, const char *s);
char *pub_arena_printf(pub_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- growable buffer (malloc'd; owner calls pub_buf_free) ---- */
typedef struct pub_buf {
    char *data;
    size_t len;
    size_t cap;
} pub_buf;
PUB_MUST_CHECK pub_status pub_buf_reserve(pub_buf *b, size_t extra);
/* Appending grows the buffer in pub_buf_append_slow; bytes that fit (the
 * usual case) are copied inline, and a literal's length is known. */
PUB_MUST_CHECK pub_status pub_buf_append_slow(pub_buf *b, const void *p, size_t n);
PUB_MUST_CHECK static inline pub_status pub_buf_append(pub_buf *b, const void *p,
                                                       size_t n)
{
    if (n < b->cap - b->len) { /* cap 0: never */
        if (n > 0)
            memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return PUB_OK;
    }
    return pub_buf_append_slow(b, p, n);
}
PUB_MUST_CHECK static inline pub_status pub_buf_puts(pub_buf *b, const char *s)
{
    return pub_buf_append(b, s, strlen(s));
}
PUB_MUST_CHECK static inline pub_status pub_buf_putc(pub_buf *b, char c)
{
    return pub_buf_append(b, &c, 1);
}
PUB_MUST_CHECK pub_status pub_buf_printf(pub_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pub_buf_free(pub_buf *b);
/* Hands the (NUL-terminated) data to the caller and resets the buffer. */
char *pub_buf_detach(pub_buf *b);

/* Makes room for one more element in a malloc'd array (*v holds *n of
 * *cap elements of `size` bytes): doubles *cap (from `first`) with
 * overflow-checked growth. The caller owns *v. */
PUB_MUST_CHECK pub_status pub_array_grow(void **v, size_t n, size_t *cap,
                                         size_t size, size_t first);
/* Makes room for n elements in all: doubles *cap (from `first`) until it
 * holds them. For buffers reused from one use to the next. */
PUB_MUST_CHECK pub_status pub_array_reserve(void **v, size_t n, size_t *cap,
                                            size_t size, size_t first);

/* The same for an array in arena a: a full array is copied into one twice
 * its size (the old one stays until the arena is emptied). */
PUB_MUST_CHECK pub_status pub_arena_array_grow(pub_arena *a, void **v, size_t n,
                                               size_t *cap, size_t size,
                                               size_t first);

/* Overflow-checked a*b and a+b; return false on overflow. */
static inline bool pub_mul_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}
static inline bool pub_add_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

/* ---- libharu reading from memory (hpdf_reader.c) ---- */
/* Bytes a libharu stream reads, from pos on; data is the caller's. */
typedef struct pub_hpdf_bytes {
    unsigned char *data;
    size_t len, pos;
} pub_hpdf_bytes;
/* An HPDF_Stream in the HPDF_MMgr mmgr reading b, which must outlive it;
 * NULL when libharu cannot make one. */
void *pub_hpdf_reader_new(void *mmgr, pub_hpdf_bytes *b);

/* ---- formatting (format.c) ---- */
/* vsnprintf(buf, cap, fmt, ap) for formats whose conversions are all %s
 * (never NULL), %d %i %u (with l, ll or z) %c and %%, without flags, width
 * or precision: the length of the whole text, or -1 for any other format,
 * when the caller formats with vsnprintf instead (from its own copy of
 * the arguments: ap is used up either way). */
int pub_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
/* snprintf through pub_vformat, and vsnprintf for the other formats. */
int pub_snprintf(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- UTF-8 ---- */
/* Decodes one code point at s (n bytes available); returns its length, or 0
 * when the bytes are not valid UTF-8 (overlong, surrogate, > U+10FFFF,
 * truncated). */
size_t pub_utf8_decode_multi(const unsigned char *s, size_t n, int32_t *cp);
static inline size_t pub_utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    if (n > 0 && s[0] < 0x80) { /* ASCII, the usual case, without a call */
        *cp = s[0];
        return 1;
    }
    return pub_utf8_decode_multi(s, n, cp);
}
/* Encodes cp into out (4 bytes room); returns the length. */
size_t pub_utf8_encode(int32_t cp, char *out);

/* ---- model internals (model/node.c) ---- */
pub_arena *pub_dossier_arena(pub_dossier *d);
pub_node *pub_node_new(pub_arena *a, pub_node_type type, int line);
void pub_node_append(pub_node *parent, pub_node *child);
void pub_node_unlink(pub_node *n);
void pub_dossier_append_statement(pub_dossier *d, pub_node *stmt);
/* Takes over the memory of `from` (statements read into it may then move
 * into d) and frees the rest of it. */
PUB_MUST_CHECK pub_status pub_dossier_adopt(pub_dossier *d, pub_dossier *from);
/* The dossier's language guesser (libexttextcat), made on first use;
 * borrowed, NULL when out of memory. Each script's fingerprints are
 * loaded when a text in that script first asks for them. */
void *pub_dossier_textcat(pub_dossier *d);
void *pub_textcat_open(void);
void pub_textcat_close(void *tc);

/* ---- font subsets (core/subset.c, HarfBuzz) ---- */
/* The TrueType font `font` (len bytes, read from path) cut down to the
 * code points in set, by HarfBuzz; *out is malloc'd. For print (the PDF,
 * which sets glyphs without shaping) the OpenType layout tables and the
 * glyphs only they reach are left out. */
struct hb_set_t;
PUB_MUST_CHECK pub_status pub_font_subset(pub_ctx *ctx, const char *path, int for_print,
                                          const struct hb_set_t *set,
                                          const char *font, size_t len,
                                          char **out, size_t *out_len);

/* ---- hashing (core/hash.c, nettle) ---- */
void pub_sha256_hex(const void *data, size_t len, char out[65]);

/* FNV-1a over n bytes, continuing from h (start with PUB_FNV1A_SEED):
 * the hash of the in-memory tables (hyphenation words, authority keys,
 * back-matter cells). */
#define PUB_FNV1A_SEED 1469598103934665603ULL
static inline uint64_t pub_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

#endif
