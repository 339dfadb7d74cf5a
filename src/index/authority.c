/*
 * authority.c — the dossier's signatory authority list (index.h): entries
 * are folded (Unicode case folding and mark stripping by utf8proc, UAX #15
 * decomposition; punctuation and spacing dropped) and grouped through hash
 * tables keyed by folded name, abbreviation and their pair, never by prefix
 * or word overlap. Every non-identical merge is recorded for review.
 */
#include "index/index.h"

#include "core/core.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ------------------------------------------------------------- folding */

enum {
    F_CASE = 1,   /* Unicode case folding */
    F_MARKS = 2,  /* strip combining marks (accents) */
    F_PUNCT = 4,  /* drop punctuation and symbols (quotes, dashes, dots) */
    F_SPACE = 8,  /* drop white space (else runs become one space, trimmed) */
    F_PSPACE = 16, /* punctuation becomes a space (sort keys) */
    F_RAWSPACE = 32 /* white space kept as written (to tell spacing apart) */
};
#define F_ALL (F_CASE | F_MARKS | F_PUNCT | F_SPACE)

static int is_space_cp(utf8proc_int32_t cp)
{
    return cp == '\t' || cp == '\n' || cp == '\r' ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

static int is_word_cp(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* Folds s into a malloc'd string (NULL when out of memory or s is not
 * valid UTF-8; an empty string for NULL). */
static char *fold(const char *s, int flags)
{
    if (s == NULL)
        return strdup("");
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = 0;
    size_t len = 0;
    while (s[len] != '\0' && (unsigned char)s[len] < 0x80)
        len++;
    if (s[len] == '\0') { /* ASCII: NFKD, marks and case folding reduce
                            * to lower case */
        m = malloc(len + 1);
        if (m == NULL)
            return NULL;
        for (size_t i = 0; i <= len; i++)
            m[i] = (utf8proc_uint8_t)((flags & F_CASE) && s[i] >= 'A' && s[i] <= 'Z'
                                          ? s[i] - 'A' + 'a' : s[i]);
        n = (utf8proc_ssize_t)len;
    } else {
        int opts = UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
        if (flags & F_CASE)
            opts |= UTF8PROC_CASEFOLD;
        if (flags & F_MARKS)
            opts |= UTF8PROC_STRIPMARK;
        n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m,
                         (utf8proc_option_t)(opts | UTF8PROC_NULLTERM));
        if (n < 0)
            return NULL;
    }
    /* in place: the result is never longer than the mapped text */
    size_t o = 0;
    int pending_space = 0;
    utf8proc_ssize_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(m + i, n - i, &cp);
        if (k <= 0)
            break;
        int space = is_space_cp(cp);
        int punct = !space && !is_word_cp(cp);
        if (punct && (flags & F_PSPACE))
            space = 1, punct = 0;
        if (space && (flags & F_RAWSPACE)) {
            memmove(m + o, m + i, (size_t)k);
            o += (size_t)k;
        } else if (space) {
            if (!(flags & F_SPACE))
                pending_space = o > 0;
        } else if (!(punct && (flags & F_PUNCT))) {
            if (pending_space)
                m[o++] = ' ';
            pending_space = 0;
            memmove(m + o, m + i, (size_t)k);
            o += (size_t)k;
        }
        i += k;
    }
    m[o] = '\0';
    return (char *)m;
}

/* Copies a folded string into the arena. */
static const char *afold(pub_arena *a, const char *s, int flags)
{
    char *f = fold(s, flags);
    if (f == NULL)
        return NULL;
    const char *r = pub_arena_strdup(a, f);
    free(f);
    return r;
}

/* Why two spellings fold to the same key: every folding step without which
 * they would still differ. */
static const char *fold_reason(pub_arena *a, const char *x, const char *y)
{
    static const struct {
        int flag;
        const char *what;
    } steps[] = {{F_SPACE, "spacing"},
                 {F_CASE, "case"},
                 {F_MARKS, "accents"},
                 {F_PUNCT, "punctuation"}};
    char out[64] = "";
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        int flags = F_ALL & ~steps[i].flag;
        if (steps[i].flag == F_SPACE)
            flags |= F_RAWSPACE;
        char *fx = fold(x, flags);
        char *fy = fold(y, flags);
        int differ = fx == NULL || fy == NULL || strcmp(fx, fy) != 0;
        free(fx);
        free(fy);
        if (differ) {
            if (out[0])
                strcat(out, ", ");
            strcat(out, steps[i].what);
        }
    }
    return pub_arena_strdup(a, out[0] ? out : "spelling");
}

/* ------------------------------------------------------------ hash maps */

/* String -> int map, open addressing (FNV-1a); keys are borrowed. */
typedef struct smap {
    const char **keys;
    int *vals;
    size_t cap, n;
} smap;

static uint64_t hash_str(const char *s)
{
    return pub_fnv1a(PUB_FNV1A_SEED, s, strlen(s));
}

static void smap_free(smap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static int *smap_slot(smap *m, const char *key, int insert)
{
    if (m->cap == 0)
        return NULL;
    size_t i = (size_t)hash_str(key) & (m->cap - 1);
    while (m->keys[i] != NULL) {
        if (strcmp(m->keys[i], key) == 0)
            return &m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    if (!insert)
        return NULL;
    m->keys[i] = key;
    m->n++;
    return &m->vals[i];
}

static PUB_MUST_CHECK pub_status smap_grow(smap *m)
{
    if ((m->n + 1) * 2 <= m->cap)
        return PUB_OK;
    size_t cap = m->cap ? m->cap * 2 : 64;
    smap nm = {calloc(cap, sizeof *nm.keys), calloc(cap, sizeof *nm.vals), cap, 0};
    if (nm.keys == NULL || nm.vals == NULL) {
        smap_free(&nm);
        return pub_error(PUB_ERR_NOMEM);
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] != NULL)
            *smap_slot(&nm, m->keys[i], 1) = m->vals[i];
    smap_free(m);
    *m = nm;
    return PUB_OK;
}

/* Looks key up; returns its value or `absent`. */
static int smap_get(const smap *m, const char *key, int absent)
{
    int *v = smap_slot((smap *)m, key, 0);
    return v ? *v : absent;
}

static PUB_MUST_CHECK pub_status smap_put(smap *m, const char *key, int val)
{
    pub_status status = smap_grow(m);
    if (status == PUB_OK)
        *smap_slot(m, key, 1) = val;
    return status;
}

/* Pointer -> id map for pub_index_org_of / pub_index_person_of. */
typedef struct pmap {
    const void **keys;
    int *org, *person;
    size_t cap;
} pmap;

static size_t pmap_find(const pmap *m, const void *p)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ULL;
    size_t i = (size_t)(h >> 7) & (m->cap - 1);
    while (m->keys[i] != NULL && m->keys[i] != p)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* ------------------------------------------------------------ building */

/* One organisation mention: a SIGNATORY entry, or the organisation of an
 * "On behalf of" signature. */
typedef struct entry {
    const pub_node *node;
    const char *abbr, *name, *english, *country; /* as written */
    const char *name_key, *abbr_key, *country_key, *english_key;
    const char *split_key; /* "ABBR\x1fNAME" when the name starts with a
                              word that may be its abbreviation */
    const char *spelling;  /* abbr "\x1f" name, for exact comparison */
    int cluster;
    int via;               /* how it joined: VIA_* */
} entry;

enum { VIA_NAME = 0, VIA_ABBR_ONLY, VIA_ABBR_IN_NAME };

typedef struct cluster {
    int parent;          /* union-find */
    int next_same_name;  /* next cluster with the same name key, or -1 */
    const char *abbr_key, *country_key;
    int has_name;
    int preferred;       /* entry index */
    int org_id;
} cluster;

typedef struct impl {
    pub_arena *arena;
    pmap nodes;
} impl;

typedef struct builder {
    pub_arena *a;
    entry *e;
    size_t ne, cape;
    cluster *c;
    size_t nc, capc;
    /* folded keys, remembered: a dossier repeats its organisations,
     * countries and persons from statement to statement, and folding a
     * name that is not ASCII (NFKD, case folding, marks) costs some 10,000
     * instructions. memo[0] maps a text to its F_ALL key, memo[1] to its
     * sort key, each as an index into folded. */
    smap memo[2];
    const char **folded;
    size_t n_folded, cap_folded;
} builder;

/* afold through the builder's memo, for F_ALL and the sort keys' flags
 * (the same key for the same text). Without room for the memo it folds
 * anew. */
static const char *bfold(builder *b, const char *s, int flags)
{
    int which = flags == F_ALL ? 0 : flags == (F_CASE | F_MARKS | F_PSPACE) ? 1 : -1;
    if (s == NULL || which < 0)
        return afold(b->a, s, flags);
    smap *m = &b->memo[which];
    int k = smap_get(m, s, -1);
    if (k >= 0)
        return b->folded[k];
    const char *key = afold(b->a, s, flags);
    if (key == NULL || b->n_folded >= INT_MAX || smap_grow(m) != PUB_OK ||
        pub_array_grow((void **)&b->folded, b->n_folded, &b->cap_folded,
                       sizeof *b->folded, 256) != PUB_OK)
        return key;
    b->folded[b->n_folded] = key;
    *smap_slot(m, s, 1) = (int)b->n_folded++;
    return key;
}

static int find_root(cluster *c, int i)
{
    while (c[i].parent != i) {
        c[i].parent = c[c[i].parent].parent;
        i = c[i].parent;
    }
    return i;
}

static int new_cluster(builder *b, pub_status *st)
{
    *st = pub_array_grow((void **)&b->c, b->nc, &b->capc, sizeof *b->c, 64);
    if (*st != PUB_OK)
        return -1;
    cluster *c = &b->c[b->nc];
    memset(c, 0, sizeof *c);
    c->parent = (int)b->nc;
    c->next_same_name = -1;
    c->preferred = -1;
    return (int)b->nc++;
}

static int compatible(const char *x, const char *y)
{
    return x == NULL || y == NULL || !*x || !*y || strcmp(x, y) == 0;
}

/* Strips a leading English article from an "On behalf of" organisation. */
static const char *strip_article(const char *s)
{
    if (s != NULL && (strncmp(s, "the ", 4) == 0 || strncmp(s, "The ", 4) == 0))
        return s + 4;
    return s;
}

/* One word with two capitals or more and no lower-case majority. */
static int looks_like_abbr(const char *s)
{
    if (s == NULL || strchr(s, ' ') != NULL)
        return 0;
    int upper = 0, lower = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        upper += *p >= 'A' && *p <= 'Z';
        lower += *p >= 'a' && *p <= 'z';
    }
    return upper >= 2 && lower <= upper;
}

static PUB_MUST_CHECK pub_status add_entry(builder *b, const pub_node *n,
                                           const char *abbr, const char *name,
                                           const char *english,
                                           const char *country)
{
    pub_status status = pub_array_grow((void **)&b->e, b->ne, &b->cape, sizeof *b->e, 64);
    if (status != PUB_OK)
        return status;
    entry *e = &b->e[b->ne];
    memset(e, 0, sizeof *e);
    e->node = n;
    e->abbr = abbr && *abbr ? abbr : NULL;
    e->name = name && *name ? name : NULL;
    e->english = english && *english ? english : NULL;
    if (e->abbr == NULL && e->english == NULL && looks_like_abbr(e->name)) {
        e->abbr = e->name; /* "MLPD" alone: an abbreviation, not a name */
        e->name = NULL;
    }
    e->country = country && *country ? country : NULL;
    e->cluster = -1;
    /* an entry without an original name is known by its English one */
    const char *nm = e->name ? e->name : e->english;
    e->name_key = bfold(b, nm, F_ALL);
    e->abbr_key = bfold(b, e->abbr, F_ALL);
    e->country_key = bfold(b, e->country, F_ALL);
    e->english_key = bfold(b, e->english, F_ALL);
    e->spelling = pub_arena_printf(b->a, "%s\x1f%s", e->abbr ? e->abbr : "",
                                   nm ? nm : "");
    if (!e->name_key || !e->abbr_key || !e->country_key || !e->english_key ||
        !e->spelling)
        return pub_error(PUB_ERR_NOMEM);
    if (e->abbr == NULL && e->name != NULL) {
        const char *sp = strchr(e->name, ' ');
        if (sp != NULL) {
            char *first = pub_arena_strndup(b->a, e->name, (size_t)(sp - e->name));
            const char *fk = first ? bfold(b, first, F_ALL) : NULL;
            const char *rk = bfold(b, sp + 1, F_ALL);
            if (fk == NULL || rk == NULL)
                return pub_error(PUB_ERR_NOMEM);
            if (*fk && *rk)
                e->split_key = pub_arena_printf(b->a, "%s\x1f%s", fk, rk);
        }
    }
    b->ne++;
    return PUB_OK;
}

static const char *join_reason(pub_arena *a, const char *x, const char *y)
{
    if (x == NULL || !*x)
        return y;
    if (y == NULL || !*y)
        return x;
    return pub_arena_printf(a, "%s; %s", x, y);
}

/* Why entry m was taken for the organisation of entry k. */
static const char *merge_reason(pub_arena *a, const entry *k, const entry *m)
{
    const char *why = NULL;
    if (m->via == VIA_ABBR_ONLY)
        return pub_arena_printf(a, "abbreviation %s learned from another statement",
                                m->abbr ? m->abbr : "");
    if (m->via == VIA_ABBR_IN_NAME)
        return "abbreviation written in the name";
    const char *kn = k->name ? k->name : k->english;
    const char *mn = m->name ? m->name : m->english;
    if (kn && mn && strcmp(kn, mn) != 0)
        why = fold_reason(a, kn, mn);
    if (!k->abbr != !m->abbr)
        why = join_reason(a, why, "abbreviation learned from another statement");
    else if (k->abbr && m->abbr && strcmp(k->abbr, m->abbr) != 0)
        why = join_reason(a, why,
                          pub_arena_printf(a, "abbreviation %s",
                                           fold_reason(a, k->abbr, m->abbr)));
    return why ? why : "spelling";
}

/* Bytes beyond ASCII: accented letters and typographic quotes. */
static size_t non_ascii(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += (unsigned char)*s >= 0x80;
    return n;
}

/* Preference among spellings: full entries first, then frequency, then
 * more non-ASCII (accents kept), then the earliest. */
static int better(const entry *x, int xcount, const entry *y, int ycount)
{
    int xf = x->abbr && x->name, yf = y->abbr && y->name;
    if (xf != yf)
        return xf > yf;
    if (xcount != ycount)
        return xcount > ycount;
    return non_ascii(x->spelling) > non_ascii(y->spelling);
}

static const char *sort_source(const entry *e)
{
    return e->name ? e->name : e->english ? e->english : e->abbr;
}

typedef struct sortrec {
    const char *key, *abbr_key;
    int first, idx;
} sortrec;

static int cmp_sortrec(const void *pa, const void *pb)
{
    const sortrec *x = pa, *y = pb;
    int r = strcmp(x->key, y->key);
    if (r == 0)
        r = strcmp(x->abbr_key, y->abbr_key);
    if (r == 0)
        r = (x->first > y->first) - (x->first < y->first);
    return r;
}

/* Person mentions. */
typedef struct pentry {
    const pub_node *node;
    const char *name, *key;
    int org_entry; /* entry index of the organisation, or -1 */
    int person;    /* person cluster */
} pentry;

typedef struct pcluster {
    int first;     /* pentry index */
    int id;
    size_t n;
} pcluster;

static PUB_MUST_CHECK pub_status record_merge(pub_index *ix, size_t *cap,
                                              const pub_node *kept,
                                              const pub_node *merged,
                                              const char *why)
{
    pub_status status = pub_array_grow((void **)&ix->merges, ix->n_merges, cap, sizeof *ix->merges, 64);
    if (status != PUB_OK)
        return status;
    ix->merges[ix->n_merges++] = (pub_merge){kept, merged, why};
    return PUB_OK;
}

pub_status pub_index_build(pub_ctx *ctx, const pub_dossier *d, pub_index **out)
{
    pub_status status = PUB_OK;
    builder b = {0};
    smap by_name = {0}, by_abbr = {0}, by_pair = {0}, abbr_only = {0},
         spell = {0}, seen = {0}, pkeys = {0};
    pentry *pe = NULL;
    size_t npe = 0, cappe = 0, capm = 0;
    pcluster *pc = NULL;
    size_t npc = 0, cappc = 0;
    sortrec *sr = NULL;
    int *counts = NULL;
    pub_index *ix = calloc(1, sizeof *ix);
    impl *im = calloc(1, sizeof *im);
    if (ix == NULL || im == NULL) {
        free(ix);
        free(im);
        pub_diag(ctx, PUB_ERROR, NULL, 0, "out of memory");
        return pub_error(PUB_ERR_NOMEM);
    }
    ix->impl = im;
    im->arena = pub_arena_new();
    CHECK_ALLOC(im->arena);
    b.a = im->arena;

    /* 1. every organisation and person mention, in dossier order */
    for (const pub_node *st = pub_dossier_root(d)->first_child; st; st = st->next)
        for (const pub_node *sec = st->first_child; sec; sec = sec->next) {
            if (sec->type != PUB_NODE_SIGNATORY_SECTION)
                continue;
            for (const pub_node *g = sec->first_child; g; g = g->next) {
                const pub_signatory *s = &g->as.signatory;
                int org_entry = -1;
                if (s->on_behalf_of != NULL) {
                    org_entry = (int)b.ne;
                    CHECK(add_entry(&b, g, NULL, strip_article(s->on_behalf_of),
                                    NULL, NULL));
                } else if (s->abbr || s->name || s->english || s->raw) {
                    org_entry = (int)b.ne;
                    CHECK(add_entry(&b, g, s->abbr,
                                    s->abbr || s->name || s->english ? s->name : s->raw,
                                    s->english, s->country));
                }
                for (size_t k = 0; k < s->n_persons; k++) {
                    CHECK(pub_array_grow((void **)&pe, npe, &cappe, sizeof *pe, 64));
                    pe[npe] = (pentry){g, s->persons[k], NULL, org_entry, -1};
                    pe[npe].key = bfold(&b, s->persons[k], F_ALL);
                    CHECK_ALLOC(pe[npe].key);
                    npe++;
                }
            }
        }

    /* 2. entries with a name: same folded name, no conflicting
     * abbreviation or country */
    for (size_t i = 0; i < b.ne; i++) {
        entry *e = &b.e[i];
        if (!*e->name_key)
            continue;
        CHECK(smap_grow(&by_name));
        int head = smap_get(&by_name, e->name_key, -1), c = head, last = -1;
        for (; c >= 0; last = c, c = b.c[c].next_same_name)
            if (compatible(b.c[c].abbr_key, e->abbr_key) &&
                compatible(b.c[c].country_key, e->country_key))
                break;
        if (c < 0) {
            c = new_cluster(&b, &status);
            CHECK(status);
            b.c[c].has_name = 1;
            if (last >= 0)
                b.c[last].next_same_name = c;
            else
                CHECK(smap_put(&by_name, e->name_key, c));
        }
        if (*e->abbr_key && (!b.c[c].abbr_key || !*b.c[c].abbr_key))
            b.c[c].abbr_key = e->abbr_key;
        if (*e->country_key && (!b.c[c].country_key || !*b.c[c].country_key))
            b.c[c].country_key = e->country_key;
        e->cluster = c;
        e->via = VIA_NAME;
    }

    /* 3. what the named clusters teach: abbreviation -> cluster (-2 when
     * ambiguous), abbreviation+name -> cluster */
    for (size_t i = 0; i < b.ne; i++) {
        const entry *e = &b.e[i];
        if (e->cluster < 0 || !*e->abbr_key)
            continue;
        int old = smap_get(&by_abbr, e->abbr_key, -1);
        if (old == -1)
            CHECK(smap_put(&by_abbr, e->abbr_key, e->cluster));
        else if (old != e->cluster)
            CHECK(smap_put(&by_abbr, e->abbr_key, -2));
        const char *pair = pub_arena_printf(b.a, "%s\x1f%s", e->abbr_key, e->name_key);
        CHECK_ALLOC(pair);
        CHECK(smap_put(&by_pair, pair, e->cluster));
    }

    /* 4. "UC Unité Communiste" written as one name: the first word is the
     * abbreviation of exactly that name elsewhere */
    for (size_t i = 0; i < b.ne; i++) {
        entry *e = &b.e[i];
        if (e->cluster < 0 || e->split_key == NULL)
            continue;
        int c = smap_get(&by_pair, e->split_key, -1);
        if (c < 0)
            continue;
        int rc = find_root(b.c, c), re = find_root(b.c, e->cluster);
        if (rc != re && compatible(b.c[rc].country_key, b.c[re].country_key) &&
            (!b.c[re].abbr_key || !*b.c[re].abbr_key))
            b.c[re].parent = rc;
    }
    for (size_t i = 0; i < b.ne; i++) {
        entry *e = &b.e[i];
        if (e->cluster < 0 || e->split_key == NULL)
            continue;
        int c = smap_get(&by_pair, e->split_key, -1);
        if (c >= 0 && find_root(b.c, c) == find_root(b.c, e->cluster) &&
            find_root(b.c, e->cluster) != e->cluster)
            e->via = VIA_ABBR_IN_NAME;
    }

    /* 5. entries with only an abbreviation: the one organisation that
     * abbreviation names, else grouped among themselves */
    for (size_t i = 0; i < b.ne; i++) {
        entry *e = &b.e[i];
        if (e->cluster >= 0 || !*e->abbr_key)
            continue;
        int c = smap_get(&by_abbr, e->abbr_key, -1);
        if (c >= 0) {
            e->cluster = c;
            e->via = VIA_ABBR_ONLY;
            continue;
        }
        c = smap_get(&abbr_only, e->abbr_key, -1);
        if (c < 0) {
            c = new_cluster(&b, &status);
            CHECK(status);
            b.c[c].abbr_key = e->abbr_key;
            CHECK(smap_put(&abbr_only, e->abbr_key, c));
        }
        e->cluster = c;
    }

    /* 6. the preferred spelling of each organisation */
    counts = calloc(b.ne ? b.ne : 1, sizeof *counts);
    CHECK_ALLOC(counts);
    for (size_t i = 0; i < b.ne; i++) {
        entry *e = &b.e[i];
        if (e->cluster < 0)
            continue;
        e->cluster = find_root(b.c, e->cluster);
        const char *k = pub_arena_printf(b.a, "%d\x1f%s", e->cluster, e->spelling);
        CHECK_ALLOC(k);
        int first = smap_get(&spell, k, -1);
        if (first < 0) {
            CHECK(smap_put(&spell, k, (int)i));
            first = (int)i;
        }
        counts[first]++;
    }
    for (size_t i = 0; i < b.ne; i++) {
        const entry *e = &b.e[i];
        if (e->cluster < 0 || counts[i] == 0)
            continue;
        cluster *c = &b.c[e->cluster];
        if (c->preferred < 0 ||
            better(e, counts[i], &b.e[c->preferred], counts[c->preferred]))
            c->preferred = (int)i;
    }

    /* 7. organisations in sort order */
    size_t norg = 0;
    for (size_t i = 0; i < b.nc; i++)
        norg += b.c[i].parent == (int)i && b.c[i].preferred >= 0;
    sr = calloc(norg ? norg : 1, sizeof *sr);
    CHECK_ALLOC(sr);
    size_t k = 0;
    for (size_t i = 0; i < b.nc; i++) {
        if (b.c[i].parent != (int)i || b.c[i].preferred < 0)
            continue;
        const entry *p = &b.e[b.c[i].preferred];
        sr[k].key = bfold(&b, sort_source(p), F_CASE | F_MARKS | F_PSPACE);
        CHECK_ALLOC(sr[k].key);
        sr[k].abbr_key = p->abbr_key;
        sr[k].idx = (int)i;
        sr[k].first = INT32_MAX;
        k++;
    }
    for (size_t i = 0; i < norg; i++)
        b.c[sr[i].idx].org_id = (int)i; /* temporary: sortrec index */
    for (size_t i = 0; i < b.ne; i++)
        if (b.e[i].cluster >= 0) {
            sortrec *r = &sr[b.c[b.e[i].cluster].org_id];
            if ((int)i < r->first)
                r->first = (int)i;
        }
    qsort(sr, norg, sizeof *sr, cmp_sortrec);
    ix->orgs = pub_arena_alloc_array(b.a, norg ? norg : 1, sizeof *ix->orgs);
    CHECK_ALLOC(ix->orgs);
    ix->n_orgs = norg;
    for (size_t i = 0; i < norg; i++) {
        cluster *c = &b.c[sr[i].idx];
        const entry *p = &b.e[c->preferred];
        pub_org *o = &ix->orgs[i];
        c->org_id = (int)i + 1;
        o->id = (int)i + 1;
        o->abbr = p->abbr;
        o->name = p->name;
        o->english = p->english;
        o->country = p->country;
        o->sort_key = sr[i].key;
    }
    /* missing fields from the other spellings, in dossier order */
    for (size_t i = 0; i < b.ne; i++) {
        const entry *e = &b.e[i];
        if (e->cluster < 0)
            continue;
        pub_org *o = &ix->orgs[b.c[e->cluster].org_id - 1];
        if (!o->abbr)
            o->abbr = e->abbr;
        if (!o->name)
            o->name = e->name;
        if (!o->english)
            o->english = e->english;
        if (!o->country)
            o->country = e->country;
        o->n_signatures++;
    }
    for (size_t i = 0; i < norg; i++) {
        pub_org *o = &ix->orgs[i];
        o->signatures = pub_arena_alloc_array(b.a, o->n_signatures ? o->n_signatures : 1,
                                              sizeof *o->signatures);
        CHECK_ALLOC(o->signatures);
        o->n_signatures = 0;
    }
    for (size_t i = 0; i < b.ne; i++) {
        const entry *e = &b.e[i];
        if (e->cluster < 0)
            continue;
        pub_org *o = &ix->orgs[b.c[e->cluster].org_id - 1];
        if (o->n_signatures == 0 ||
            pub_node_statement(o->signatures[o->n_signatures - 1]) !=
                pub_node_statement(e->node))
            o->n_statements++;
        o->signatures[o->n_signatures++] = e->node;
    }

    /* 8. merges to review: one per distinct spelling that is not the
     * preferred one */
    for (size_t i = 0; i < b.ne; i++) {
        const entry *e = &b.e[i];
        if (e->cluster < 0 || counts[i] == 0)
            continue;
        const entry *p = &b.e[b.c[e->cluster].preferred];
        if (p == e || strcmp(p->spelling, e->spelling) == 0)
            continue;
        const char *why = merge_reason(b.a, p, e);
        CHECK_ALLOC(why);
        CHECK(record_merge(ix, &capm, p->node, e->node, why));
    }

    /* 9. persons: same folded name and same organisation */
    for (size_t i = 0; i < npe; i++) {
        pentry *p = &pe[i];
        int org = p->org_entry >= 0 && b.e[p->org_entry].cluster >= 0
                      ? b.c[b.e[p->org_entry].cluster].org_id
                      : 0;
        const char *key = pub_arena_printf(b.a, "%d\x1f%s", org, p->key);
        CHECK_ALLOC(key);
        int c = smap_get(&pkeys, key, -1);
        if (c < 0) {
            CHECK(pub_array_grow((void **)&pc, npc, &cappc, sizeof *pc, 64));
            pc[npc] = (pcluster){(int)i, 0, 0};
            c = (int)npc++;
            CHECK(smap_put(&pkeys, key, c));
        } else if (strcmp(pe[pc[c].first].name, p->name) != 0) {
            const char *dedupe = pub_arena_printf(b.a, "%d\x1f%s", c, p->name);
            CHECK_ALLOC(dedupe);
            if (smap_get(&seen, dedupe, -1) < 0) {
                CHECK(smap_put(&seen, dedupe, 1));
                const char *why = pub_arena_printf(
                    b.a, "person: %s", fold_reason(b.a, pe[pc[c].first].name, p->name));
                CHECK_ALLOC(why);
                CHECK(record_merge(ix, &capm, pe[pc[c].first].node, p->node, why));
            }
        }
        p->person = c;
        pc[c].n++;
    }
    free(sr);
    sr = calloc(npc ? npc : 1, sizeof *sr);
    CHECK_ALLOC(sr);
    for (size_t i = 0; i < npc; i++) {
        const pentry *p = &pe[pc[i].first];
        sr[i].key = bfold(&b, p->name, F_CASE | F_MARKS | F_PSPACE);
        CHECK_ALLOC(sr[i].key);
        int org = p->org_entry >= 0 && b.e[p->org_entry].cluster >= 0
                      ? b.c[b.e[p->org_entry].cluster].org_id
                      : 0;
        sr[i].abbr_key = pub_arena_printf(b.a, "%08d", org);
        CHECK_ALLOC(sr[i].abbr_key);
        sr[i].first = pc[i].first;
        sr[i].idx = (int)i;
    }
    qsort(sr, npc, sizeof *sr, cmp_sortrec);
    ix->persons = pub_arena_alloc_array(b.a, npc ? npc : 1, sizeof *ix->persons);
    CHECK_ALLOC(ix->persons);
    ix->n_persons = npc;
    for (size_t i = 0; i < npc; i++) {
        pcluster *c = &pc[sr[i].idx];
        const pentry *p = &pe[c->first];
        const pub_signatory *s = &p->node->as.signatory;
        pub_person *o = &ix->persons[i];
        c->id = (int)i + 1;
        o->id = c->id;
        o->name = p->name;
        o->org = p->org_entry >= 0 && b.e[p->org_entry].cluster >= 0
                     ? b.c[b.e[p->org_entry].cluster].org_id
                     : 0;
        o->org_name = s->on_behalf_of ? s->on_behalf_of
                      : s->name       ? s->name
                                      : s->abbr;
        o->signatures = pub_arena_alloc_array(b.a, c->n, sizeof *o->signatures);
        CHECK_ALLOC(o->signatures);
    }
    for (size_t i = 0; i < npe; i++) {
        pub_person *o = &ix->persons[pc[pe[i].person].id - 1];
        /* one signature node may name the same person once only */
        if (o->n_signatures == 0 || o->signatures[o->n_signatures - 1] != pe[i].node)
            o->signatures[o->n_signatures++] = pe[i].node;
        if (o->role == NULL)
            o->role = pe[i].node->as.signatory.role;
    }

    /* 10. node -> ids */
    size_t want = 64;
    while (want < (b.ne + npe) * 2 + 2)
        want *= 2;
    im->nodes.cap = want;
    im->nodes.keys = pub_arena_alloc_array(b.a, want, sizeof *im->nodes.keys);
    im->nodes.org = pub_arena_alloc_array(b.a, want, sizeof *im->nodes.org);
    im->nodes.person = pub_arena_alloc_array(b.a, want, sizeof *im->nodes.person);
    CHECK_ALLOC(im->nodes.keys);
    CHECK_ALLOC(im->nodes.org);
    CHECK_ALLOC(im->nodes.person);
    for (size_t i = 0; i < b.ne; i++) {
        if (b.e[i].cluster < 0)
            continue;
        size_t s = pmap_find(&im->nodes, b.e[i].node);
        im->nodes.keys[s] = b.e[i].node;
        im->nodes.org[s] = b.c[b.e[i].cluster].org_id;
    }
    for (size_t i = npe; i-- > 0;) { /* the first person of a node wins */
        size_t s = pmap_find(&im->nodes, pe[i].node);
        im->nodes.keys[s] = pe[i].node;
        im->nodes.person[s] = pc[pe[i].person].id;
    }

    *out = ix;
    ix = NULL;
fail:
    if (status != PUB_OK)
        pub_diag(ctx, PUB_ERROR, NULL, 0, "cannot build the signatory index: %s",
                 pub_status_str(status));
    if (ix != NULL) {
        /* merges are malloc'd; the rest lives in the arena */
        pub_index_free(ix);
    }
    smap_free(&by_name);
    smap_free(&by_abbr);
    smap_free(&by_pair);
    smap_free(&abbr_only);
    smap_free(&spell);
    smap_free(&seen);
    smap_free(&pkeys);
    free(counts);
    free(sr);
    free(pe);
    free(pc);
    free(b.e);
    free(b.c);
    smap_free(&b.memo[0]);
    smap_free(&b.memo[1]);
    free(b.folded);
    return status;
}

void pub_index_free(pub_index *ix)
{
    if (ix == NULL)
        return;
    impl *im = ix->impl;
    if (im != NULL) {
        pub_arena_free(im->arena);
        free(im);
    }
    free(ix->merges);
    free(ix);
}

int pub_index_org_of(const pub_index *ix, const pub_node *signatory)
{
    const impl *im = ix ? ix->impl : NULL;
    if (im == NULL || im->nodes.cap == 0 || signatory == NULL)
        return 0;
    size_t s = pmap_find(&im->nodes, signatory);
    return im->nodes.keys[s] == signatory ? im->nodes.org[s] : 0;
}

int pub_index_person_of(const pub_index *ix, const pub_node *signatory)
{
    const impl *im = ix ? ix->impl : NULL;
    if (im == NULL || im->nodes.cap == 0 || signatory == NULL)
        return 0;
    size_t s = pmap_find(&im->nodes, signatory);
    return im->nodes.keys[s] == signatory ? im->nodes.person[s] : 0;
}

/* Writes to out every group an organisation has a mark in, once each
 * (its signatures are in dossier order, so groups come in order). */
static size_t org_groups(const pub_org *o, size_t per, size_t n_groups, size_t *out)
{
    size_t n = 0;
    for (size_t k = 0; k < o->n_signatures; k++) {
        const pub_node *st = pub_node_statement(o->signatures[k]);
        if (st == NULL || st->as.statement.order < 0)
            continue;
        size_t g = (size_t)st->as.statement.order / per;
        if (g < n_groups && (n == 0 || out[n - 1] != g))
            out[n++] = g;
    }
    return n;
}

pub_status pub_matrix_groups(const pub_index *ix, size_t n_statements, size_t per,
                             size_t **orgs, size_t **start)
{
    pub_status status = PUB_OK;
    *orgs = NULL;
    *start = NULL;
    size_t n_groups = per ? (n_statements + per - 1) / per : 0, total = 0, most = 1;
    size_t *gs = NULL, *fill = NULL;
    for (size_t i = 0; i < ix->n_orgs; i++)
        if (ix->orgs[i].n_signatures > most)
            most = ix->orgs[i].n_signatures;
    gs = malloc(most * sizeof *gs);
    fill = calloc(n_groups + 1, sizeof *fill);
    *start = calloc(n_groups + 1, sizeof **start);
    CHECK_ALLOC(gs);
    CHECK_ALLOC(fill);
    CHECK_ALLOC(*start);
    for (size_t i = 0; i < ix->n_orgs; i++) {
        if (!pub_matrix_has_row(&ix->orgs[i], n_statements))
            continue;
        size_t n = org_groups(&ix->orgs[i], per, n_groups, gs);
        for (size_t k = 0; k < n; k++)
            (*start)[gs[k] + 1]++;
        total += n;
    }
    for (size_t g = 0; g < n_groups; g++)
        (*start)[g + 1] += (*start)[g];
    *orgs = malloc((total ? total : 1) * sizeof **orgs);
    CHECK_ALLOC(*orgs);
    for (size_t i = 0; i < ix->n_orgs; i++) {
        if (!pub_matrix_has_row(&ix->orgs[i], n_statements))
            continue;
        size_t n = org_groups(&ix->orgs[i], per, n_groups, gs);
        for (size_t k = 0; k < n; k++)
            (*orgs)[(*start)[gs[k]] + fill[gs[k]]++] = i;
    }
fail:
    free(gs);
    free(fill);
    if (status != PUB_OK) {
        free(*orgs);
        free(*start);
        *orgs = NULL;
        *start = NULL;
    }
    return status;
}
