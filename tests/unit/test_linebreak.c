/*
 * test_linebreak.c — the Knuth–Plass breaker on fixed item lists (exact
 * break positions, a hyphen break, the first-fit fallback) and Liang
 * hyphenation through libhyphen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "layout/internal.h"

#include <string.h>
#include <unistd.h>

static lb_item box(double w) { return (lb_item){.kind = LB_BOX, .width = w}; }
static lb_item glue(double w, double y, double z)
{
    return (lb_item){.kind = LB_GLUE, .width = w, .stretch = y, .shrink = z};
}
static lb_item pen(double w, int p, int flagged)
{
    return (lb_item){.kind = LB_PENALTY, .width = w, .penalty = p, .flagged = flagged};
}
static lb_item fil(void) { return glue(0, 100000, 0); }
static lb_item forced(void) { return pen(0, -LB_INFINITY, 0); }

static void test_exact_lines(void **state)
{
    (void)state;
    lb_item it[13];
    size_t n = 0;
    for (int k = 0; k < 6; k++) {
        if (k)
            it[n++] = glue(5, 3, 1);
        it[n++] = box(10);
    }
    it[n++] = fil();
    it[n++] = forced();
    double w = 25;
    lb_params p;
    lb_params_default(&p);
    lb_result r = {0};
    assert_int_equal(lb_break(it, n, &w, 1, &p, &r), PUB_OK);
    assert_int_equal(r.first_fit, 0);
    assert_int_equal(r.n_lines, 3);
    assert_int_equal(r.breaks[0], 3);
    assert_int_equal(r.breaks[1], 7);
    assert_int_equal(r.breaks[2], 12);
    assert_true(r.ratios[0] == 0.0);
    lb_result_free(&r);
}

/* Total fit looks ahead: first fit would fill line one and leave a very
 * loose second line; total fit balances the two. */
static void test_total_fit_balances(void **state)
{
    (void)state;
    lb_item it[] = {box(10), glue(4, 2, 1), box(10), glue(4, 2, 1), box(10),
                    glue(4, 2, 1), box(10), glue(4, 2, 1), box(2), fil(),
                    forced()};
    size_t n = sizeof it / sizeof it[0];
    double w = 38;
    lb_params p;
    lb_params_default(&p);
    lb_result tf = {0}, ff = {0};
    assert_int_equal(lb_break(it, n, &w, 1, &p, &tf), PUB_OK);
    assert_int_equal(lb_first_fit(it, n, &w, 1, &ff), PUB_OK);
    /* first fit: 10+4+10+4+10 = 38 on line one */
    assert_int_equal(ff.breaks[0], 5);
    /* total fit: the same here, the last line is set at natural width */
    assert_int_equal(tf.breaks[0], 5);
    assert_int_equal(tf.n_lines, 2);
    assert_int_equal(tf.breaks[1], n - 1);
    lb_result_free(&tf);
    lb_result_free(&ff);
}

static void test_hyphen_break(void **state)
{
    (void)state;
    /* only a break at the flagged penalty makes line one exactly 30 */
    lb_item it[] = {box(20), glue(5, 3, 1), box(4), pen(1, 50, 1), box(10),
                    fil(), forced()};
    double w = 30;
    lb_params p;
    lb_params_default(&p);
    lb_result r = {0};
    assert_int_equal(lb_break(it, 7, &w, 1, &p, &r), PUB_OK);
    assert_int_equal(r.first_fit, 0);
    assert_int_equal(r.n_lines, 2);
    assert_int_equal(r.breaks[0], 3);
    assert_int_equal(r.breaks[1], 6);
    assert_true(r.ratios[0] > -1e-9 && r.ratios[0] < 1e-9);
    lb_result_free(&r);
}

static void test_infeasible_falls_back(void **state)
{
    (void)state;
    /* a box wider than the line: no feasible total fit */
    lb_item it[] = {box(50), glue(5, 3, 1), box(10), fil(), forced()};
    double w = 30;
    lb_params p;
    lb_params_default(&p);
    lb_result r = {0};
    assert_int_equal(lb_break(it, 5, &w, 1, &p, &r), PUB_OK);
    assert_int_equal(r.first_fit, 1);
    assert_int_equal(r.n_lines, 2);
    assert_int_equal(r.breaks[0], 1);
    assert_int_equal(r.breaks[1], 4);
    lb_result_free(&r);
}

static void test_forced_break(void **state)
{
    (void)state;
    lb_item it[] = {box(10), fil(), forced(), box(10), fil(), forced()};
    double w = 100;
    lb_params p;
    lb_params_default(&p);
    lb_result r = {0};
    assert_int_equal(lb_break(it, 6, &w, 1, &p, &r), PUB_OK);
    assert_int_equal(r.n_lines, 2);
    assert_int_equal(r.breaks[0], 2);
    assert_int_equal(r.breaks[1], 5);
    lb_result_free(&r);
}

static void test_liang_english(void **state)
{
    (void)state;
    if (access("/usr/share/hyphen/hyph_en_US.dic", R_OK) != 0)
        skip();
    lay_hyph *h = lay_hyph_new();
    assert_non_null(h);
    unsigned char pts[32];
    const char *w = "Revolutionary";
    lay_hyph_note_text(h, "en", w, strlen(w)); /* patterns for its words */
    int n = lay_hyphenate(h, "en", w, strlen(w), 2, 3, pts);
    assert_int_equal(n, 4); /* Rev-o-lu-tion-ary */
    assert_true(pts[3] && pts[4] && pts[6] && pts[10]);
    /* min_right 4 drops the break before "ary" */
    assert_int_equal(lay_hyphenate(h, "en", w, strlen(w), 2, 4, pts), 3);
    /* no patterns for Turkish */
    assert_int_equal(lay_hyphenate(h, "tr", w, strlen(w), 2, 3, pts), 0);
    lay_hyph_free(h);
}

static void test_liang_russian_koi8(void **state)
{
    (void)state;
    if (access("/usr/share/hyphen/hyph_ru_RU.dic", R_OK) != 0)
        skip();
    lay_hyph *h = lay_hyph_new();
    unsigned char pts[64];
    const char *w = "коммунистической"; /* 16 letters, 32 bytes */
    lay_hyph_note_text(h, "ru", w, strlen(w));
    int n = lay_hyphenate(h, "ru", w, strlen(w), 2, 2, pts);
    assert_true(n >= 3);
    for (size_t i = 0; i < strlen(w); i++)
        if (pts[i])
            assert_int_equal(i % 2, 0); /* at character boundaries */
    lay_hyph_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_lines),
        cmocka_unit_test(test_total_fit_balances),
        cmocka_unit_test(test_hyphen_break),
        cmocka_unit_test(test_infeasible_falls_back),
        cmocka_unit_test(test_forced_break),
        cmocka_unit_test(test_liang_english),
        cmocka_unit_test(test_liang_russian_koi8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
