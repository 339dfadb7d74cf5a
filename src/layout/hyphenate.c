/*
 * hyphenate.c — word hyphenation with Liang's patterns (Liang 1983, "Word
 * Hy-phen-a-tion by Com-put-er") through libhyphen and Debian's hyph_*.dic
 * dictionaries; words are lowercased and recoded to the dictionary's charset.
 */
#include "layout/internal.h"

#include <hyphen.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#ifndef PUB_HYPHEN_DIR
#define PUB_HYPHEN_DIR "/usr/share/hyphen"
#endif

#define MAX_WORD 256 /* characters; longer words are not hyphenated */

typedef struct hyph_dict {
    char lang[8];
    HyphenDict *dict; /* NULL when loading failed (remembered) */
    iconv_t cd;       /* UTF-8 -> dictionary charset, or (iconv_t)-1 */
    int utf8;
} hyph_dict;

struct lay_hyph {
    hyph_dict d[8];
    int n;
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

lay_hyph *lay_hyph_new(void) { return calloc(1, sizeof(lay_hyph)); }

void lay_hyph_free(lay_hyph *h)
{
    if (h == NULL)
        return;
    for (int i = 0; i < h->n; i++) {
        if (h->d[i].dict)
            hnj_hyphen_free(h->d[i].dict);
        if (h->d[i].cd != (iconv_t)-1)
            iconv_close(h->d[i].cd);
    }
    free(h);
}

static hyph_dict *lookup(lay_hyph *h, const char *lang)
{
    const char *file = lay_hyph_dict_for(lang);
    if (file == NULL)
        return NULL;
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->d[i].lang, file) == 0 || strncmp(h->d[i].lang, lang, 2) == 0)
            return h->d[i].dict ? &h->d[i] : NULL;
    if (h->n == (int)(sizeof h->d / sizeof h->d[0]))
        return NULL;
    hyph_dict *d = &h->d[h->n++];
    memset(d, 0, sizeof *d);
    d->cd = (iconv_t)-1;
    snprintf(d->lang, sizeof d->lang, "%.2s", lang);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PUB_HYPHEN_DIR, file);
    d->dict = hnj_hyphen_load(path);
    if (d->dict == NULL)
        return NULL;
    d->utf8 = d->dict->utf8;
    if (!d->utf8) {
        d->cd = iconv_open(d->dict->cset, "UTF-8");
        if (d->cd == (iconv_t)-1) {
            hnj_hyphen_free(d->dict);
            d->dict = NULL;
            return NULL;
        }
    }
    return d;
}

int lay_hyphenate(lay_hyph *h, const char *lang, const char *word, size_t n,
                  int min_left, int min_right, unsigned char *points)
{
    memset(points, 0, n);
    if (h == NULL)
        return 0;
    hyph_dict *d = lookup(h, lang);
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
    if ((int)nchar < min_left + min_right)
        return 0;
    char enc[MAX_WORD * 4 + 1];
    const char *in = low;
    size_t in_len = lo;
    if (!d->utf8) {
        char *src = low, *dst = enc;
        size_t sl = lo, dl = sizeof enc - 1;
        iconv(d->cd, NULL, NULL, NULL, NULL);
        if (iconv(d->cd, &src, &sl, &dst, &dl) == (size_t)-1)
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
