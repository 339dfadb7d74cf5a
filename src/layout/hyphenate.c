/*
 * hyphenate.c — word hyphenation with Liang's patterns (Liang 1983, "Word
 * Hy-phen-a-tion by Com-put-er") through libhyphen and Debian's hyph_*.dic
 * dictionaries; words are lowercased and recoded to the dictionary's charset.
 *
 * A pattern file is loaded with only the patterns that can apply to the
 * words of the document, noted beforehand with lay_hyph_note_text(): in
 * Liang's algorithm a pattern whose letters are not a substring of
 * ".word." never touches that word (hyph_de_DE.dic has 78,000 patterns;
 * a dossier needs a few thousand of them). The kept patterns are then made
 * whole (write_level) so that libhyphen's automaton finds at every place
 * the value of every pattern there, as Liang's algorithm does; with a
 * whole file as it is, libhyphen misses some (Debian's Russian file).
 * Words not noted are left unhyphenated rather than guessed.
 */
#include "layout/internal.h"

#include <hyphen.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#ifndef PUB_HYPHEN_DIR
#define PUB_HYPHEN_DIR "/usr/share/hyphen"
#endif

#define MAX_WORD 256 /* characters; longer words are not hyphenated */

/* A set of 64-bit hashes (open addressing, 0 = empty). A false positive
 * only keeps a pattern that was not needed, which changes no result. */
typedef struct hset {
    uint64_t *v;
    size_t cap, n;
} hset;

static uint64_t hash64(const char *s, size_t n)
{
    uint64_t h = pub_fnv1a(PUB_FNV1A_SEED, s, n);
    return h ? h : 1;
}

static int hset_has(const hset *s, uint64_t h)
{
    if (s->cap == 0)
        return 0;
    for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->v[i] == 0)
            return 0;
        if (s->v[i] == h)
            return 1;
    }
}

/* Returns 1 if added, 0 if present, -1 when out of memory. */
static int hset_add(hset *s, uint64_t h)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *v = calloc(cap, sizeof *v);
        if (v == NULL)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i] != 0) {
                size_t j = s->v[i] & (cap - 1);
                while (v[j] != 0)
                    j = (j + 1) & (cap - 1);
                v[j] = s->v[i];
            }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->v[i] == h)
            return 0;
        if (s->v[i] == 0) {
            s->v[i] = h;
            s->n++;
            return 1;
        }
    }
}

/* The lowercased words of the document in one language. */
typedef struct vocab {
    char lang[8];
    hset seen;
    char *words; /* NUL-separated */
    size_t len, cap;
} vocab;

typedef struct hyph_dict {
    char lang[8];
    int loading;      /* being loaded (without the lock): wait on `loaded` */
    HyphenDict *dict; /* NULL when loading failed (remembered) */
    iconv_t cd;       /* UTF-8 -> dictionary charset, or (iconv_t)-1 */
    int utf8;
    const vocab *only; /* filtered: hyphenate only these words */
} hyph_dict;

struct lay_hyph {
    hyph_dict d[8];
    int n;
    vocab v[8];
    int nv;
    /* layout threads share this: the table and iconv (which keeps state)
     * under the lock; a dictionary is loaded without it, by the first
     * thread that asks (others asking for it wait on `loaded`), so one
     * language loading holds up no other; libhyphen only reads a loaded
     * dictionary */
    pthread_mutex_t lock;
    pthread_cond_t loaded;
};

static const struct { const char *lang, *file; } dicts[] = {
    {"en", "hyph_en_US.dic"},
    {"ru", "hyph_ru_RU.dic"},
    {"de", "hyph_de_DE.dic"},
    {"fr", "hyph_fr.dic"},
};

const char *lay_hyph_dict_for(const char *lang)
{
    if (lang == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++) {
        size_t n = strlen(dicts[i].lang);
        if (strncmp(lang, dicts[i].lang, n) == 0 &&
            (lang[n] == '\0' || lang[n] == '-' || lang[n] == '_'))
            return dicts[i].file;
    }
    return NULL;
}

lay_hyph *lay_hyph_new(void)
{
    lay_hyph *h = calloc(1, sizeof(lay_hyph));
    if (h == NULL)
        return NULL;
    if (pthread_mutex_init(&h->lock, NULL) != 0) {
        free(h);
        return NULL;
    }
    if (pthread_cond_init(&h->loaded, NULL) != 0) {
        pthread_mutex_destroy(&h->lock);
        free(h);
        return NULL;
    }
    return h;
}

static vocab *vocab_for(lay_hyph *h, const char *lang, int create)
{
    for (int i = 0; i < h->nv; i++)
        if (strncmp(h->v[i].lang, lang, 2) == 0)
            return &h->v[i];
    if (!create || h->nv == (int)(sizeof h->v / sizeof h->v[0]))
        return NULL;
    vocab *v = &h->v[h->nv++];
    memset(v, 0, sizeof *v);
    snprintf(v->lang, sizeof v->lang, "%.2s", lang);
    return v;
}

/* Lowercases a letter run into out (room for 4 bytes a character). */
static size_t lower_utf8(const char *w, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)w[i];
        if (c < 0x80) { /* ASCII: as utf8proc_tolower would */
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        int32_t cp;
        size_t k = pub_utf8_decode((const unsigned char *)w + i, n - i, &cp);
        if (k == 0)
            return 0;
        o += pub_utf8_encode(utf8proc_tolower(cp), out + o);
        i += k;
    }
    return o;
}

static int is_word_cp(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC;
}

/* Whether the character at s + i is a word's (is_word_cp), its length in
 * *k (0: not a character); ASCII answered without utf8proc. */
static inline int word_char_at(const unsigned char *s, size_t i, size_t len, size_t *k)
{
    if (s[i] < 0x80) {
        *k = 1;
        return (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z';
    }
    int32_t cp;
    *k = pub_utf8_decode(s + i, len - i, &cp);
    return *k != 0 && is_word_cp(cp);
}

void lay_hyph_note_text(lay_hyph *h, const char *lang, const char *text,
                        size_t len)
{
    if (h == NULL || lang == NULL || lay_hyph_dict_for(lang) == NULL)
        return; /* no patterns for the language */
    vocab *v = vocab_for(h, lang, 1);
    if (v == NULL)
        return;
    const unsigned char *t = (const unsigned char *)text;
    size_t i = 0, k;
    while (i < len) {
        if (!word_char_at(t, i, len, &k)) {
            i += k ? k : 1;
            continue;
        }
        size_t ws = i;
        while (i < len && word_char_at(t, i, len, &k))
            i += k;
        if (i - ws > MAX_WORD)
            continue;
        char low[MAX_WORD * 4 + 1];
        size_t ln = lower_utf8(text + ws, i - ws, low);
        if (ln == 0 || hset_add(&v->seen, hash64(low, ln)) != 1)
            continue;
        if (v->len + ln + 1 > v->cap) {
            size_t cap = v->cap ? v->cap * 2 : 4096;
            while (cap < v->len + ln + 1)
                cap *= 2;
            char *p = realloc(v->words, cap);
            if (p == NULL)
                return;
            v->words = p;
            v->cap = cap;
        }
        memcpy(v->words + v->len, low, ln);
        v->words[v->len + ln] = '\0';
        v->len += ln + 1;
    }
}

/* A line of a pattern file: the hash of its letters, 0 to keep it
 * whatever the words (the directives, and lines without letters). */
typedef struct pat_line {
    const char *at, *end;
    uint64_t hash;
} pat_line;

/* ------------------------------------------------ matches made whole */

/* libhyphen applies at each position of a word only the match of the
 * automaton state it has reached: the longest suffix of the letters read
 * that is a prefix of some pattern. Its loader leaves the union of the
 * matches of a state's suffixes to a script run on the dictionary
 * beforehand (substrings.pl). Liang's algorithm applies every pattern that
 * occurs in ".word.", so a state must carry, at each place, the largest
 * value of all the patterns that end it. A state that is only the prefix
 * of a longer pattern carries nothing, though, and what it hides then
 * depends on which other patterns were loaded: with Debian's Russian file
 * as it is, libhyphen does not break "двадцать" at all, where the patterns
 * give "два-дцать". So for each level of the kept patterns one line is
 * written per state, with the maximum at each place of the patterns among
 * its suffixes, and libhyphen then finds what Liang's algorithm finds
 * (test_hyphenate checks it against the algorithm run on the whole
 * file). */

typedef struct upat {
    const char *letters;  /* its letters, in the level's pool */
    unsigned char *val;   /* the value before letter k, k = 0..len */
    size_t len;
} upat;

typedef struct umap {
    uint32_t *slot; /* index + 1 into the patterns, 0 = empty */
    size_t cap;
} umap;

static long umap_find(const umap *m, const upat *p, const char *s, size_t n)
{
    for (size_t i = hash64(s, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        uint32_t k = m->slot[i];
        if (k == 0)
            return -1;
        if (p[k - 1].len == n && memcmp(p[k - 1].letters, s, n) == 0)
            return (long)k - 1;
    }
}

/* Parses a pattern into the pool: its letters (bytes up to the first
 * blank, as libhyphen reads them, or up to the '/' of a non-standard one;
 * digits dropped), then the digit before each. Returns 0 for a line
 * without letters; *odd says whether it is non-standard. */
static int parse_pattern(const char *at, const char *end, char *pool, upat *u, int *odd)
{
    size_t n = 0, w = (size_t)(end - at);
    char *letters = pool;
    unsigned char *val = (unsigned char *)pool + w + 1;
    memset(val, 0, w + 1);
    *odd = 0;
    for (const char *q = at; q < end && (unsigned char)*q > ' '; q++) {
        if (*q == '/') {
            *odd = 1;
            break;
        }
        if (*q >= '0' && *q <= '9')
            val[n] = (unsigned char)(*q - '0');
        else
            letters[n++] = *q;
    }
    if (n == 0)
        return 0;
    memmove(letters + n, val, n + 1); /* the values right after */
    u->letters = letters;
    u->val = (unsigned char *)letters + n;
    u->len = n;
    return 1;
}

/* Writes one level's lines (directives and non-standard patterns as they
 * are, then a line per state with a value): first .. last of `keep`. */
static pub_status write_level(pub_buf *out, pat_line *const *keep, size_t n_keep)
{
    pub_status status = PUB_OK;
    upat *pats = NULL;
    char *pool = NULL;
    unsigned char *best = NULL; /* a state's values */
    umap m = {0};
    uint64_t *seen = NULL; /* states written: pattern << 32 | length, 0 = empty */
    size_t seen_cap = 16;
    hset odd = {0}; /* the letters of non-standard patterns (with '/') */
    size_t n_pats = 0, room = 1, used = 0, longest = 0;
    for (size_t i = 0; i < n_keep; i++)
        room += 2 * (size_t)(keep[i]->end - keep[i]->at) + 2;
    pats = malloc((n_keep ? n_keep : 1) * sizeof *pats);
    pool = malloc(room);
    CHECK_ALLOC(pats);
    CHECK_ALLOC(pool);
    for (size_t i = 0; i < n_keep; i++) {
        const pat_line *l = keep[i];
        upat *u = &pats[n_pats];
        int nonstd = 0;
        if (l->hash != 0 && parse_pattern(l->at, l->end, pool + used, u, &nonstd)) {
            if (!nonstd) {
                used += 2 * u->len + 1;
                if (u->len > longest)
                    longest = u->len;
                n_pats++;
                continue;
            }
            /* libhyphen keeps its own match for these */
            if (hset_add(&odd, hash64(u->letters, u->len)) < 0)
                CHECK(pub_error(PUB_ERR_NOMEM));
        }
        CHECK(pub_buf_append(out, l->at, (size_t)(l->end - l->at)));
        CHECK(pub_buf_putc(out, '\n'));
    }
    size_t n_states = 0;
    for (size_t i = 0; i < n_pats; i++)
        n_states += pats[i].len;
    best = malloc(longest + 1);
    CHECK_ALLOC(best);
    m.cap = 16;
    while (m.cap < 2 * n_pats + 2)
        m.cap *= 2;
    while (seen_cap < 2 * n_states + 2)
        seen_cap *= 2;
    m.slot = calloc(m.cap, sizeof *m.slot);
    seen = calloc(seen_cap, sizeof *seen);
    CHECK_ALLOC(m.slot);
    CHECK_ALLOC(seen);
    for (size_t i = 0; i < n_pats; i++) {
        long j = umap_find(&m, pats, pats[i].letters, pats[i].len);
        if (j >= 0) { /* the same letters twice: the larger values */
            for (size_t k = 0; k <= pats[i].len; k++)
                if (pats[i].val[k] > pats[j].val[k])
                    pats[j].val[k] = pats[i].val[k];
            continue;
        }
        size_t h = hash64(pats[i].letters, pats[i].len) & (m.cap - 1);
        while (m.slot[h] != 0)
            h = (h + 1) & (m.cap - 1);
        m.slot[h] = (uint32_t)i + 1;
    }
    /* every prefix of every pattern is a state: its values are the
     * maxima of the patterns among its suffixes */
    for (size_t i = 0; i < n_pats; i++) {
        const upat *p = &pats[i];
        for (size_t n = 1; n <= p->len; n++) {
            const char *s = p->letters;
            /* each state once: `seen` holds the pattern and length that
             * first made it */
            size_t h = hash64(s, n) & (seen_cap - 1);
            int dup = 0;
            while (seen[h] != 0) {
                const upat *q = &pats[seen[h] >> 32];
                if ((seen[h] & 0xFFFFFFFFu) == n && memcmp(q->letters, s, n) == 0) {
                    dup = 1;
                    break;
                }
                h = (h + 1) & (seen_cap - 1);
            }
            if (dup)
                continue;
            seen[h] = (uint64_t)i << 32 | n;
            memset(best, 0, n + 1);
            int any = 0;
            for (size_t a = 0; a < n; a++) {
                long j = umap_find(&m, pats, s + a, n - a);
                if (j < 0)
                    continue;
                for (size_t k = 0; k <= n - a; k++)
                    if (pats[j].val[k] > best[a + k]) {
                        best[a + k] = pats[j].val[k];
                        any = 1;
                    }
            }
            if (!any || hset_has(&odd, hash64(s, n)))
                continue; /* a bare prefix (libhyphen makes it anyway), or
                           * a non-standard pattern's */
            CHECK(pub_buf_reserve(out, 2 * n + 2));
            for (size_t k = 0; k <= n; k++) {
                if (best[k])
                    out->data[out->len++] = (char)('0' + best[k]);
                if (k < n)
                    out->data[out->len++] = s[k];
            }
            out->data[out->len++] = '\n';
            out->data[out->len] = '\0';
        }
    }
fail:
    free(odd.v);
    free(best);
    free(m.slot);
    free(seen);
    free(pool);
    free(pats);
    return status;
}

/* Reads a pattern file keeping the header, the directives and the
 * patterns whose letters occur in ".word." for a noted word, made whole
 * (above). */
static HyphenDict *load_filtered(const char *path, const vocab *v)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *data = NULL;
    pub_buf kept = {0};
    pat_line **keep = NULL;
    size_t dlen = 0;
    HyphenDict *dict = NULL;
    hset subs = {0};
    pat_line *lines = NULL;
    iconv_t cd = (iconv_t)-1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || (data = malloc((size_t)st.st_size + 1)) == NULL)
        goto done;
    dlen = fread(data, 1, (size_t)st.st_size, f);
    data[dlen] = '\0';
    /* the first line names the charset */
    char *eol = memchr(data, '\n', dlen);
    if (eol == NULL)
        goto done;
    char cset[64];
    snprintf(cset, sizeof cset, "%.*s", (int)(eol - data), data);
    cset[strcspn(cset, "\r \t")] = '\0';
    int utf8 = strcmp(cset, "UTF-8") == 0;
    if (!utf8 && (cd = iconv_open(cset, "UTF-8")) == (iconv_t)-1)
        goto done;
    /* one scan of the lines: each pattern's letters (its digits dropped,
     * up to a '/' of a non-standard pattern) hashed, and the longest */
    size_t maxpat = 0, n_lines = 0;
    for (const char *p = eol + 1; p < data + dlen; p++)
        n_lines += *p == '\n';
    lines = malloc((n_lines + 1) * sizeof *lines);
    if (lines == NULL)
        goto done;
    n_lines = 0;
    for (char *p = eol + 1; p < data + dlen;) {
        char *e = memchr(p, '\n', (size_t)(data + dlen - p));
        if (e == NULL)
            e = data + dlen;
        uint64_t h = PUB_FNV1A_SEED;
        size_t ln = 0;
        int directive = p[0] == '%' || p[0] == '#';
        for (char *q = p; q < e && *q != '/' && *q != '\r'; q++) {
            if (*q >= 'A' && *q <= 'Z')
                directive = 1; /* LEFTHYPHENMIN, NEXTLEVEL, ... */
            if (!(*q >= '0' && *q <= '9') && ln < 256) {
                h = pub_fnv1a(h, q, 1);
                ln++;
            }
        }
        if (!directive && ln > maxpat)
            maxpat = ln;
        lines[n_lines++] = (pat_line){.at = p, .end = e,
                                      .hash = directive || ln == 0 ? 0 : h ? h : 1};
        p = e + 1;
    }
    /* every substring (up to the longest pattern) of ".word." */
    for (size_t off = 0; off < v->len;) {
        const char *w = v->words + off;
        size_t wn = strlen(w);
        off += wn + 1;
        char buf[MAX_WORD * 4 + 3];
        char *src = (char *)w, *dst = buf + 1;
        size_t sl = wn, dl = sizeof buf - 3;
        if (utf8) {
            memcpy(buf + 1, w, wn);
            dst = buf + 1 + wn;
        } else {
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &src, &sl, &dst, &dl) == (size_t)-1)
                continue; /* a word the charset cannot spell: not hyphenated */
        }
        buf[0] = '.';
        *dst++ = '.';
        size_t bn = (size_t)(dst - buf);
        for (size_t a = 0; a < bn; a++) {
            uint64_t hs = PUB_FNV1A_SEED; /* hash64(buf + a, b - a), extended */
            for (size_t b = a + 1; b <= bn && b - a <= maxpat; b++) {
                hs = pub_fnv1a(hs, buf + b - 1, 1);
                if (hset_add(&subs, hs ? hs : 1) < 0)
                    goto done;
            }
        }
    }
    /* keep the header, directives and the patterns that can match, each
     * level (NEXTLEVEL separates two) made whole on its own */
    keep = malloc((n_lines + 1) * sizeof *keep);
    if (keep == NULL)
        goto done;
    if (pub_buf_append(&kept, data, (size_t)(eol - data) + 1) != PUB_OK)
        goto done;
    size_t n_keep = 0;
    for (size_t i = 0; i < n_lines; i++) {
        pat_line *l = &lines[i];
        int next = l->end - l->at >= 9 && memcmp(l->at, "NEXTLEVEL", 9) == 0;
        if (next) {
            if (write_level(&kept, keep, n_keep) != PUB_OK ||
                pub_buf_puts(&kept, "NEXTLEVEL\n") != PUB_OK)
                goto done;
            n_keep = 0;
        } else if (l->hash == 0 || hset_has(&subs, l->hash)) {
            keep[n_keep++] = l;
        }
    }
    if (write_level(&kept, keep, n_keep) != PUB_OK)
        goto done;
    FILE *m = fmemopen(kept.data, kept.len, "r");
    if (m != NULL) {
        dict = hnj_hyphen_load_file(m);
        fclose(m);
    }
done:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    free(subs.v);
    free(lines);
    pub_buf_free(&kept);
    free(keep);
    free(data);
    fclose(f);
    return dict;
}

void lay_hyph_free(lay_hyph *h)
{
    if (h == NULL)
        return;
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->loaded);
    for (int i = 0; i < h->nv; i++) {
        free(h->v[i].seen.v);
        free(h->v[i].words);
    }
    for (int i = 0; i < h->n; i++) {
        if (h->d[i].dict)
            hnj_hyphen_free(h->d[i].dict);
        if (h->d[i].cd != (iconv_t)-1)
            iconv_close(h->d[i].cd);
    }
    free(h);
}

/* The dictionary of lang, loading it if nobody has: called with h->lock
 * held, which it lets go while it loads (the slot's place in the fixed
 * table does not move). */
static hyph_dict *lookup(lay_hyph *h, const char *lang)
{
    const char *file = lay_hyph_dict_for(lang);
    if (file == NULL)
        return NULL;
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->d[i].lang, file) == 0 || strncmp(h->d[i].lang, lang, 2) == 0) {
            while (h->d[i].loading)
                pthread_cond_wait(&h->loaded, &h->lock);
            return h->d[i].dict ? &h->d[i] : NULL;
        }
    if (h->n == (int)(sizeof h->d / sizeof h->d[0]))
        return NULL;
    hyph_dict *d = &h->d[h->n++];
    memset(d, 0, sizeof *d);
    d->cd = (iconv_t)-1;
    d->loading = 1;
    snprintf(d->lang, sizeof d->lang, "%.2s", lang);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PUB_HYPHEN_DIR, file);
    static const vocab empty;
    const vocab *v = vocab_for(h, lang, 0);
    const vocab *only = v ? v : &empty;
    pthread_mutex_unlock(&h->lock);
    HyphenDict *dict = load_filtered(path, only);
    iconv_t cd = (iconv_t)-1;
    if (dict != NULL && !dict->utf8) {
        cd = iconv_open(dict->cset, "UTF-8");
        if (cd == (iconv_t)-1) {
            hnj_hyphen_free(dict);
            dict = NULL;
        }
    }
    pthread_mutex_lock(&h->lock);
    d->only = only;
    d->dict = dict;
    d->utf8 = dict != NULL && dict->utf8;
    d->cd = cd;
    d->loading = 0;
    pthread_cond_broadcast(&h->loaded);
    return dict ? d : NULL;
}

int lay_hyphenate(lay_hyph *h, const char *lang, const char *word, size_t n,
                  int min_left, int min_right, unsigned char *points)
{
    memset(points, 0, n);
    if (h == NULL)
        return 0;
    pthread_mutex_lock(&h->lock);
    hyph_dict *d = lookup(h, lang);
    pthread_mutex_unlock(&h->lock);
    if (d == NULL)
        return 0;
    /* lowercase, keeping the byte offset of every character */
    char low[MAX_WORD * 4 + 1];
    size_t off[MAX_WORD + 1];
    size_t nchar = 0, lo = 0, i = 0;
    while (i < n) {
        int32_t cp;
        size_t k = pub_utf8_decode((const unsigned char *)word + i, n - i, &cp);
        if (k == 0 || nchar == MAX_WORD)
            return 0;
        off[nchar++] = i;
        lo += pub_utf8_encode(utf8proc_tolower(cp), low + lo);
        i += k;
    }
    off[nchar] = n;
    low[lo] = '\0';
    if (!hset_has(&d->only->seen, hash64(low, lo)))
        return 0; /* a word the filtered patterns were not chosen for */
    if ((int)nchar < min_left + min_right)
        return 0;
    char enc[MAX_WORD * 4 + 1];
    const char *in = low;
    size_t in_len = lo;
    if (!d->utf8) {
        char *src = low, *dst = enc;
        size_t sl = lo, dl = sizeof enc - 1;
        pthread_mutex_lock(&h->lock);
        iconv(d->cd, NULL, NULL, NULL, NULL);
        size_t r = iconv(d->cd, &src, &sl, &dst, &dl);
        pthread_mutex_unlock(&h->lock);
        if (r == (size_t)-1)
            return 0; /* a character the dictionary's charset lacks */
        *dst = '\0';
        in = enc;
        in_len = (size_t)(dst - enc);
        if (in_len != nchar)
            return 0;
    }
    char hy[MAX_WORD * 4 + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    int count = 0;
    if (hnj_hyphen_hyphenate2(d->dict, in, (int)in_len, hy, NULL, &rep, &pos,
                              &cut) == 0) {
        /* hy[] holds one digit per character (libhyphen compacts UTF-8) */
        for (size_t c = 0; c + 1 < nchar; c++) {
            if (!(hy[c] & 1))
                continue;
            if (rep != NULL && rep[c] != NULL)
                continue; /* non-standard hyphenation: not offered */
            if ((int)c + 1 < min_left || (int)(nchar - c - 1) < min_right)
                continue;
            points[off[c + 1]] = 1;
            count++;
        }
    }
    if (rep != NULL) {
        for (size_t c = 0; c < in_len; c++)
            free(rep[c]);
        free(rep);
        free(pos);
        free(cut);
    }
    return count;
}

/* ------------------------------------------------------------ the memo */

/* One thread's hyphenated words: the same word in the same language
 * hyphenates the same way, and a dossier repeats its words (names of
 * organisations, the vocabulary of its subject), so each is handed to
 * libhyphen once per thread. */
typedef struct memo_entry {
    uint64_t hash;    /* 0: empty */
    size_t at, n;     /* the word at pool[at], its points at pool[at + n] */
    char lang[4];
    int count;
} memo_entry;

struct lay_hyph_memo {
    memo_entry *v;
    size_t cap, used;
    pub_buf pool;
};

lay_hyph_memo *lay_hyph_memo_new(void)
{
    return calloc(1, sizeof(lay_hyph_memo));
}

void lay_hyph_memo_free(lay_hyph_memo *m)
{
    if (m == NULL)
        return;
    free(m->v);
    pub_buf_free(&m->pool);
    free(m);
}

static int memo_grow(lay_hyph_memo *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    memo_entry *v = calloc(cap, sizeof *v);
    if (v == NULL)
        return 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->v[i].hash != 0) {
            size_t j = m->v[i].hash & (cap - 1);
            while (v[j].hash != 0)
                j = (j + 1) & (cap - 1);
            v[j] = m->v[i];
        }
    free(m->v);
    m->v = v;
    m->cap = cap;
    return 1;
}

int lay_hyphenate_memo(lay_hyph *h, lay_hyph_memo *m, const char *lang,
                       const char *word, size_t n, int min_left, int min_right,
                       unsigned char *points)
{
    if (m == NULL || lang == NULL || n > MAX_WORD * 4)
        return lay_hyphenate(h, lang, word, n, min_left, min_right, points);
    char tag[4] = {lang[0], lang[0] ? lang[1] : '\0', '\0', '\0'}; /* "%.2s" */
    int limits[2] = {min_left, min_right};
    uint64_t key = pub_fnv1a(PUB_FNV1A_SEED, word, n);
    key = pub_fnv1a(key, tag, sizeof tag);
    key = pub_fnv1a(key, limits, sizeof limits);
    key = key ? key : 1;
    size_t i = m->cap ? key & (m->cap - 1) : 0;
    for (; m->cap && m->v[i].hash != 0; i = (i + 1) & (m->cap - 1)) {
        const memo_entry *e = &m->v[i];
        if (e->hash == key && e->n == n && memcmp(e->lang, tag, sizeof tag) == 0 &&
            memcmp(m->pool.data + e->at, word, n) == 0) {
            memcpy(points, m->pool.data + e->at + n, n);
            return e->count;
        }
    }
    int count = lay_hyphenate(h, lang, word, n, min_left, min_right, points);
    /* the limits are the style's: the same for every word of a run */
    if ((m->used + 1) * 2 > m->cap && !memo_grow(m))
        return count;
    size_t at = m->pool.len;
    if (pub_buf_append(&m->pool, word, n) != PUB_OK ||
        pub_buf_append(&m->pool, (const char *)points, n) != PUB_OK) {
        m->pool.len = at;
        return count; /* not remembered: no harm */
    }
    for (i = key & (m->cap - 1); m->v[i].hash != 0; i = (i + 1) & (m->cap - 1))
        ;
    m->v[i] = (memo_entry){.hash = key, .at = at, .n = n, .count = count};
    memcpy(m->v[i].lang, tag, sizeof tag);
    m->used++;
    return count;
}
