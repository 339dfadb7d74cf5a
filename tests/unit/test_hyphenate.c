/*
 * test_hyphenate.c — hyphenation through libhyphen: exact points for
 * known words, and the filtered loading of large pattern files gives the
 * same points as the whole file for every noted word (forced here on the
 * small English file so the test stays fast).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

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
    char out[512];
    hyphenated(h, "en", "solidarity", out);
    assert_string_equal(out, "sol-i-dar-ity");
    hyphenated(h, "en", "international", out);
    assert_string_equal(out, "in-ter-na-tional");
    hyphenated(h, "fr", "révolutionnaire", out);
    assert_string_equal(out, "ré-vo-lu-tion-naire");
    hyphenated(h, "xx", "solidarity", out); /* no patterns: untouched */
    assert_string_equal(out, "solidarity");
    lay_hyph_free(h);
}

static void test_filtered_equals_full(void **state)
{
    (void)state;
    const char *text = "The international solidarity of workers against "
                       "imperialist exploitation, privatisation and "
                       "unemployment demands organisation everywhere.";
    const char *words[] = {"international", "solidarity", "imperialist",
                           "exploitation", "privatisation", "unemployment",
                           "organisation", "everywhere", "against"};
    lay_hyph *full = lay_hyph_new_filtering(1L << 40);
    lay_hyph *filt = lay_hyph_new_filtering(0);
    lay_hyph_note_text(filt, "en", text, strlen(text));
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char a[512], b[512];
        hyphenated(full, "en", words[i], a);
        hyphenated(filt, "en", words[i], b);
        assert_string_equal(a, b);
    }
    /* a word that was not noted is left alone rather than guessed */
    char c[512];
    hyphenated(filt, "en", "revolutionary", c);
    assert_string_equal(c, "revolutionary");
    lay_hyph_free(full);
    lay_hyph_free(filt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_filtered_equals_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
