/*
 * test_paginate.c — page-breaking decisions: widows and orphans, headings
 * kept with their text, forced new pages and repeated table headers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "layout/internal.h"

#include <stdlib.h>

static pg_elem line(unsigned flags)
{
    return (pg_elem){.height = 10, .flags = flags};
}

/* Five lines, room for four: breaking after line four would leave a widow,
 * so the break goes after line three (two lines carry over). */
static void test_no_widow(void **state)
{
    (void)state;
    pg_elem e[] = {line(0), line(PG_KEEP_WITH_PREV), line(0), line(0),
                   line(PG_KEEP_WITH_PREV)};
    pg_page *p;
    size_t n;
    assert_int_equal(pg_paginate(e, 5, 40, 0, &p, &n), PUB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].first, 0);
    assert_int_equal(p[0].end, 3);
    assert_int_equal(p[1].first, 3);
    assert_int_equal(p[1].end, 5);
    free(p);
}

/* A paragraph starting on the last line of a page would leave an orphan:
 * the whole paragraph moves. */
static void test_no_orphan(void **state)
{
    (void)state;
    pg_elem e[] = {line(0), line(PG_KEEP_WITH_PREV), line(PG_KEEP_WITH_PREV),
                   line(0), line(PG_KEEP_WITH_PREV), line(0),
                   line(PG_KEEP_WITH_PREV)};
    /* para A: 0-2 (3 lines, unsplittable); para B: 3-6 */
    pg_page *p;
    size_t n;
    assert_int_equal(pg_paginate(e, 7, 40, 0, &p, &n), PUB_OK);
    assert_int_equal(p[0].end, 3); /* not 4: line 3 alone at the bottom */
    free(p);
}

/* A heading never ends a page. */
static void test_heading_kept(void **state)
{
    (void)state;
    pg_elem e[] = {line(0), line(0), line(0), /* heading: */ line(0),
                   line(PG_KEEP_WITH_PREV), line(PG_KEEP_WITH_PREV),
                   line(PG_KEEP_WITH_PREV)};
    e[3].space_before = 5;
    pg_page *p;
    size_t n;
    assert_int_equal(pg_paginate(e, 7, 45, 0, &p, &n), PUB_OK);
    assert_int_equal(p[0].end, 3);
    assert_int_equal(p[1].first, 3);
    free(p);
}

static void test_new_page(void **state)
{
    (void)state;
    pg_elem e[] = {line(0), line(0), line(PG_NEW_PAGE), line(0)};
    pg_page *p;
    size_t n;
    assert_int_equal(pg_paginate(e, 4, 1000, 0, &p, &n), PUB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(p[1].first, 2);
    free(p);
}

/* A table of a header and six rows on pages of four rows: the second page
 * repeats the header, so it holds three rows; no row is split. */
static void test_header_repeat(void **state)
{
    (void)state;
    pg_elem e[8];
    e[0] = (pg_elem){.height = 10, .flags = PG_TABLE_HEADER, .table = 1, .header = 0};
    for (int i = 1; i < 8; i++)
        e[i] = (pg_elem){.height = 10, .table = 1, .header = 0};
    pg_page *p;
    size_t n;
    assert_int_equal(pg_paginate(e, 8, 40, 0, &p, &n), PUB_OK);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].repeat_header, 0);
    assert_int_equal(p[0].end, 4);
    assert_int_equal(p[1].repeat_header, 1);
    assert_int_equal(p[1].header, 0);
    assert_int_equal(p[1].first, 4);
    assert_int_equal(p[1].end, 7);
    assert_int_equal(p[2].repeat_header, 1);
    assert_int_equal(p[2].end, 8);
    free(p);
}

/* Footnotes travel with the line that cites them. */
static void test_footnote_space(void **state)
{
    (void)state;
    pg_elem e[] = {line(0), line(0), line(0), line(0)};
    e[2].notes_height = 12;
    pg_page *p;
    size_t n;
    assert_int_equal(pg_paginate(e, 4, 40, 4, &p, &n), PUB_OK);
    /* 30 + 12 + 4 > 40: the citing line goes to page two */
    assert_int_equal(p[0].end, 2);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_widow),
        cmocka_unit_test(test_no_orphan),
        cmocka_unit_test(test_heading_kept),
        cmocka_unit_test(test_new_page),
        cmocka_unit_test(test_header_repeat),
        cmocka_unit_test(test_footnote_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
