/*
 * test_table.c — the signatory table column fitter (CSS 2.1 automatic
 * table layout: min/max content widths shared within the measure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "layout/internal.h"

static void test_everything_fits(void **state)
{
    (void)state;
    double mn[] = {10, 20, 30}, mx[] = {10, 40, 60}, out[3];
    tbl_fit_columns(mn, mx, 3, 200, 2, out);
    assert_float_equal(out[0], 10, 1e-9);
    assert_float_equal(out[1], 40, 1e-9);
    assert_float_equal(out[2], 150, 1e-9); /* the elastic column */
}

static void test_shared_in_proportion(void **state)
{
    (void)state;
    double mn[] = {10, 20, 30}, mx[] = {10, 60, 130}, out[3];
    tbl_fit_columns(mn, mx, 3, 120, 2, out);
    assert_float_equal(out[0], 10, 1e-9);
    assert_float_equal(out[1], 20 + 40.0 * 60 / 140, 1e-9);
    assert_float_equal(out[2], 30 + 100.0 * 60 / 140, 1e-9);
    assert_float_equal(out[0] + out[1] + out[2], 120, 1e-9);
}

static void test_too_narrow_scales_minima(void **state)
{
    (void)state;
    double mn[] = {30, 90}, mx[] = {40, 200}, out[2];
    tbl_fit_columns(mn, mx, 2, 60, -1, out);
    assert_float_equal(out[0], 15, 1e-9);
    assert_float_equal(out[1], 45, 1e-9);
}

static void test_widest_is_default_elastic(void **state)
{
    (void)state;
    double mn[] = {5, 5}, mx[] = {10, 30}, out[2];
    tbl_fit_columns(mn, mx, 2, 100, -1, out);
    assert_float_equal(out[0], 10, 1e-9);
    assert_float_equal(out[1], 90, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_everything_fits),
        cmocka_unit_test(test_shared_in_proportion),
        cmocka_unit_test(test_too_narrow_scales_minima),
        cmocka_unit_test(test_widest_is_default_elastic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
