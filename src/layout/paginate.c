/*
 * paginate.c — page breaking of the vertical list: fill each page and, on
 * overflow, go back to the last legal break (TeX's \vsize/\pagegoal model,
 * The TeXbook ch. 15): keeps encode widows/orphans, headings kept with their
 * text and signatory headings with two rows; table headers are repeated.
 */
#include "layout/internal.h"

#include <stdlib.h>

static pub_status push_page(pg_page **v, size_t *n, size_t *cap,
                            const pg_page *p)
{
    void *nv = *v;
    pub_status s = pub_array_grow(&nv, *n, cap, sizeof **v, 16);
    *v = nv;
    if (s != PUB_OK)
        return s;
    (*v)[(*n)++] = *p;
    return PUB_OK;
}

/* A page that starts at element i inside a table repeats its header. */
static int continues_table(const pg_elem *e, size_t i)
{
    return i > 0 && e[i].table > 0 && !(e[i].flags & PG_TABLE_HEADER) &&
           e[i - 1].table == e[i].table;
}

pub_status pg_paginate(const pg_elem *e, size_t n, double page_h,
                       double notes_sep, pg_page **pages, size_t *n_pages)
{
    pub_status status = PUB_OK;
    pg_page *v = NULL;
    size_t nv = 0, cap = 0;
    size_t i = 0;
    while (i < n) {
        pg_page pg = {.first = i, .end = n};
        double used = 0, notes = 0;
        if (continues_table(e, i)) {
            pg.repeat_header = 1;
            pg.header = e[i].header;
            used += e[e[i].header].height;
        }
        size_t last_ok = i; /* a break before last_ok is legal (== i: none) */
        double used_at_ok = 0;
        size_t j = i;
        while (j < n) {
            if (j > i && (e[j].flags & PG_NEW_PAGE))
                break;
            double h = e[j].height + (j > i ? e[j].space_before : 0);
            double extra_notes = e[j].notes_height;
            double need = used + h + notes + extra_notes +
                          ((notes + extra_notes) > 0 ? notes_sep : 0);
            if (need > page_h + 1e-6 && j > i) {
                if (last_ok > i) {
                    j = last_ok;
                    used = used_at_ok;
                }
                break;
            }
            used += h;
            notes += extra_notes;
            j++;
            if (j < n && !(e[j].flags & PG_KEEP_WITH_PREV)) {
                last_ok = j;
                used_at_ok = used;
            }
        }
        pg.end = j;
        pg.used = used;
        CHECK(push_page(&v, &nv, &cap, &pg));
        i = j;
    }
    *pages = v;
    *n_pages = nv;
    return PUB_OK;
fail:
    free(v);
    return status;
}
