/*
 * test_hyphenate.c — hyphenation through libhyphen: exact points for
 * known words, and the points of noted words equal those of Liang's
 * algorithm (Liang 1983) applied directly to the whole pattern file:
 * every pattern whose letters occur in ".word." sets the value between
 * two letters to at least its digit there, and an odd value is a break.
 * Checked on the English (UTF-8) and Russian (KOI8-R) files, each a single
 * level of patterns; Debian's Russian file gives fewer breaks through a
 * plain libhyphen load (hyphenate.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <iconv.h>

#include "layout/internal.h"

static void hyphenated(lay_hyph *h, const char *lang, const char *w, char *out)
{
    unsigned char pts[256];
    size_t n = strlen(w), o = 0;
    lay_hyphenate(h, lang, w, n, 2, 3, pts);
    for (size_t k = 0; k < n; k++) {
        if (pts[k])
            out[o++] = '-';
        out[o++] = w[k];
    }
    out[o] = '\0';
}

static void test_points(void **state)
{
    (void)state;
    lay_hyph *h = lay_hyph_new();
    const char *en = "solidarity international", *fr = "révolutionnaire";
    lay_hyph_note_text(h, "en", en, strlen(en));
    lay_hyph_note_text(h, "fr", fr, strlen(fr));
    char out[512];
    hyphenated(h, "en", "solidarity", out);
    assert_string_equal(out, "sol-i-dar-ity");
    hyphenated(h, "en", "international", out);
    assert_string_equal(out, "in-ter-na-tional");
    hyphenated(h, "fr", "révolutionnaire", out);
    assert_string_equal(out, "ré-vo-lu-tion-naire");
    hyphenated(h, "xx", "solidarity", out); /* no patterns: untouched */
    assert_string_equal(out, "solidarity");
    /* a word that was not noted is left alone rather than guessed */
    hyphenated(h, "en", "revolutionary", out);
    assert_string_equal(out, "revolutionary");
    lay_hyph_free(h);
}

/* The reference: Liang's algorithm over every pattern of the file. */
typedef struct ref {
    char **pat;  /* "letters\0digits", digits[k] before letter k */
    size_t *len; /* letters */
    size_t n;
} ref;

static int read_patterns(const char *path, ref *r, char *cset, size_t cset_len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    char line[512];
    memset(r, 0, sizeof *r);
    if (fgets(line, sizeof line, f) == NULL) {
        fclose(f);
        return 0;
    }
    line[strcspn(line, "\r\n")] = '\0';
    size_t cl = strlen(line) < cset_len - 1 ? strlen(line) : cset_len - 1;
    memcpy(cset, line, cl); /* the charset's name */
    cset[cl] = '\0';
    size_t cap = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] == '%' || (line[0] >= 'A' && line[0] <= 'Z'))
            continue; /* comments and directives */
        char letters[256], digits[257];
        size_t n = 0;
        memset(digits, '0', sizeof digits);
        int odd = 0;
        for (const char *q = line; (unsigned char)*q > ' '; q++) {
            if (*q == '/')
                odd = 1;
            else if (*q >= '0' && *q <= '9')
                digits[n] = *q;
            else if (n < 255)
                letters[n++] = *q;
        }
        if (odd || n == 0)
            continue;
        if (r->n == cap) {
            cap = cap ? 2 * cap : 1024;
            r->pat = realloc(r->pat, cap * sizeof *r->pat);
            r->len = realloc(r->len, cap * sizeof *r->len);
            assert_non_null(r->pat);
            assert_non_null(r->len);
        }
        char *p = malloc(2 * n + 2);
        assert_non_null(p);
        memcpy(p, letters, n);
        p[n] = '\0';
        memcpy(p + n + 1, digits, n + 1);
        r->pat[r->n] = p;
        r->len[r->n++] = n;
    }
    fclose(f);
    return 1;
}

static void ref_free(ref *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->pat[i]);
    free(r->pat);
    free(r->len);
}

/* The breaks of a word (lowercase, in the file's charset, one byte a
 * letter) after Liang, with 2 letters before and 3 after at least. */
static void liang(const ref *r, const char *word, char *breaks)
{
    size_t n = strlen(word);
    char w[260];
    unsigned char v[262] = {0};
    w[0] = '.';
    memcpy(w + 1, word, n);
    w[n + 1] = '.';
    for (size_t i = 0; i < r->n; i++) {
        const char *p = r->pat[i], *d = p + r->len[i] + 1;
        size_t pl = r->len[i];
        for (size_t at = 0; at + pl <= n + 2; at++)
            if (memcmp(w + at, p, pl) == 0)
                for (size_t k = 0; k <= pl; k++)
                    if ((unsigned char)(d[k] - '0') > v[at + k])
                        v[at + k] = (unsigned char)(d[k] - '0');
    }
    /* v[k] sits before w[k]: between letters c and c+1 of the word is k = c + 2 */
    for (size_t c = 0; c + 1 < n; c++)
        breaks[c] = (v[c + 2] & 1) && c + 1 >= 2 && n - c - 1 >= 3 ? '1' : '0';
    breaks[n > 0 ? n - 1 : 0] = '\0';
}

static void check_language(const char *lang, const char *file, const char *const *words,
                           size_t n_words)
{
    char path[256], cset[64];
    snprintf(path, sizeof path, "/usr/share/hyphen/%s", file);
    if (access(path, R_OK) != 0)
        skip();
    ref r;
    assert_true(read_patterns(path, &r, cset, sizeof cset));
    iconv_t cd = iconv_open(cset, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    lay_hyph *h = lay_hyph_new();
    for (size_t i = 0; i < n_words; i++)
        lay_hyph_note_text(h, lang, words[i], strlen(words[i]));
    for (size_t i = 0; i < n_words; i++) {
        /* the word in the file's charset, one byte a letter here */
        char enc[260], *in = (char *)words[i], *out = enc;
        size_t il = strlen(words[i]), ol = sizeof enc - 1;
        iconv(cd, NULL, NULL, NULL, NULL);
        assert_true(iconv(cd, &in, &il, &out, &ol) != (size_t)-1);
        *out = '\0';
        char want[260], got[260];
        liang(&r, enc, want);
        unsigned char pts[1024];
        size_t n = strlen(words[i]), c = 0;
        lay_hyphenate(h, lang, words[i], n, 2, 3, pts);
        for (size_t b = 0; b < n; b++) /* a character starts at byte b */
            if (b > 0 && ((unsigned char)words[i][b] & 0xC0) != 0x80)
                got[c++] = pts[b] ? '1' : '0';
        got[c] = '\0';
        if (strcmp(want, got) != 0)
            fail_msg("%s \"%s\": libhyphen %s, Liang %s", lang, words[i], got, want);
    }
    lay_hyph_free(h);
    iconv_close(cd);
    ref_free(&r);
}

static void test_liang_english(void **state)
{
    (void)state;
    static const char *const words[] = {
        "international", "solidarity", "imperialist", "exploitation",
        "privatisation", "unemployment", "organisation", "everywhere",
        "declaration", "representatives", "demonstration", "responsibility",
        "parliamentary", "independence", "understanding", "manufacturing",
        "shipbuilding", "longshoremen", "negotiations", "casualisation"};
    check_language("en", "hyph_en_US.dic", words, sizeof words / sizeof words[0]);
}

static void test_liang_russian(void **state)
{
    (void)state;
    static const char *const words[] = {
        "двадцать", "время", "рабочих", "механосборочный", "солидарности",
        "профсоюзы", "организации", "увольнения", "индексировалась",
        "коллектива", "продукты", "поддержать", "забастовка", "требования",
        "предприятия", "заработной", "товарищи", "угрозой"};
    check_language("ru", "hyph_ru_RU.dic", words, sizeof words / sizeof words[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_liang_english),
        cmocka_unit_test(test_liang_russian),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
