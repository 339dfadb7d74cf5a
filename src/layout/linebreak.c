/*
 * linebreak.c — optimum-fit paragraph breaking after D. E. Knuth and
 * M. F. Plass, "Breaking Paragraphs into Lines", Software—Practice and
 * Experience 11 (1981): boxes, glue, penalties, fitness classes, demerits.
 */
#include "layout/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void lb_params_default(lb_params *p)
{
    p->tolerance = 2.0;
    p->line_penalty = 10;
    p->flagged_demerits = 20000;
    p->fitness_demerits = 3000;
    p->last_flagged_demerits = 5000;
}

typedef struct lb_node {
    size_t pos;          /* break item index; SIZE_MAX for the start */
    size_t line;         /* lines before this break */
    int fitness;
    int flagged;
    double tw, ty, tz;   /* totals after the break */
    double demerits;
    double ratio;        /* of the line ending here */
    size_t prev;         /* passive index of the previous break */
    size_t next_active;  /* linked list of active nodes */
} lb_node;

typedef struct nodes {
    lb_node *v;
    size_t n, cap;
} nodes;

static pub_status push(nodes *s, const lb_node *x, size_t *idx)
{
    void *v = s->v;
    pub_status st = pub_array_grow(&v, s->n, &s->cap, sizeof *s->v, 64);
    s->v = v;
    if (st != PUB_OK)
        return st;
    s->v[s->n] = *x;
    *idx = s->n++;
    return PUB_OK;
}

static int is_forced(const lb_item *it)
{
    return it->kind == LB_PENALTY && it->penalty <= -LB_INFINITY;
}

static int legal(const lb_item *items, size_t i)
{
    if (items[i].kind == LB_PENALTY)
        return items[i].penalty < LB_INFINITY;
    if (items[i].kind == LB_GLUE)
        return i > 0 && items[i - 1].kind == LB_BOX;
    return 0;
}

static double width_of(const double *widths, size_t n_widths, size_t line)
{
    return widths[line < n_widths ? line : n_widths - 1];
}

static int fitness_of(double r)
{
    if (r < -0.5)
        return 0;
    if (r <= 0.5)
        return 1;
    if (r <= 1.0)
        return 2;
    return 3;
}

/* Totals after a break at b: glue and penalties that follow it vanish. */
static void after_break(const lb_item *items, size_t n, size_t b,
                        const double *sw, const double *sy, const double *sz,
                        double *tw, double *ty, double *tz)
{
    double w = sw[b], y = sy[b], z = sz[b];
    for (size_t i = b; i < n; i++) {
        if (items[i].kind == LB_BOX)
            break;
        if (items[i].kind == LB_GLUE) {
            w += items[i].width;
            y += items[i].stretch;
            z += items[i].shrink;
        } else if (is_forced(&items[i]) && i > b) {
            break;
        }
    }
    *tw = w;
    *ty = y;
    *tz = z;
}

static double ratio_of(double L, double Y, double Z, double lw)
{
    if (L < lw)
        return Y > 0 ? (lw - L) / Y : 1e6;
    if (L > lw)
        return Z > 0 ? (lw - L) / Z : -1e6;
    return 0;
}

static pub_status alloc_result(lb_result *out, size_t n_lines)
{
    size_t n = n_lines ? n_lines : 1;
    void *b = out->breaks, *r = out->ratios;
    pub_status st = pub_array_reserve(&b, n, &out->cap_breaks, sizeof *out->breaks, 64);
    out->breaks = b;
    if (st == PUB_OK)
        st = pub_array_reserve(&r, n, &out->cap_ratios, sizeof *out->ratios, 64);
    out->ratios = r;
    if (st != PUB_OK)
        return st;
    out->n_lines = n_lines;
    return PUB_OK;
}

void lb_result_free(lb_result *r)
{
    free(r->breaks);
    free(r->ratios);
    free(r->sums);
    free(r->cand);
    free(r->nodes);
    memset(r, 0, sizeof *r);
}

/* Prefix sums of width, stretch and shrink, in out's memory. */
static pub_status prefix_sums(lb_result *out, const lb_item *items, size_t n,
                              double **sw, double **sy, double **sz)
{
    if (n >= SIZE_MAX / 3)
        return pub_error(PUB_ERR_NOMEM);
    void *v = out->sums;
    pub_status st = pub_array_reserve(&v, 3 * (n + 1), &out->cap_sums, sizeof(double), 64);
    out->sums = v;
    if (st != PUB_OK)
        return st;
    *sw = out->sums;
    *sy = *sw + (n + 1);
    *sz = *sy + (n + 1);
    (*sw)[0] = (*sy)[0] = (*sz)[0] = 0;
    for (size_t i = 0; i < n; i++) {
        double w = 0, y = 0, z = 0;
        if (items[i].kind == LB_BOX) {
            w = items[i].width;
        } else if (items[i].kind == LB_GLUE) {
            w = items[i].width;
            y = items[i].stretch;
            z = items[i].shrink;
        }
        (*sw)[i + 1] = (*sw)[i] + w;
        (*sy)[i + 1] = (*sy)[i] + y;
        (*sz)[i + 1] = (*sz)[i] + z;
    }
    return PUB_OK;
}

pub_status lb_first_fit(const lb_item *items, size_t n, const double *widths,
                        size_t n_widths, lb_result *out)
{
    pub_status status = PUB_OK;
    double *sw = NULL, *sy = NULL, *sz = NULL;
    size_t *br = NULL, nbr = 0;
    out->n_lines = 0;
    out->first_fit = 0;
    CHECK(prefix_sums(out, items, n, &sw, &sy, &sz));
    void *v = out->cand;
    status = pub_array_reserve(&v, n + 1, &out->cap_cand, sizeof *out->cand, 64);
    out->cand = v;
    CHECK(status);
    br = out->cand;
    double tw, ty, tz;
    size_t line = 0, last = SIZE_MAX;
    after_break(items, n, 0, sw, sy, sz, &tw, &ty, &tz);
    for (size_t i = 0; i < n; i++) {
        double lw = width_of(widths, n_widths, line);
        if (items[i].kind == LB_BOX) {
            if (sw[i + 1] - tw > lw + 1e-9 && last != SIZE_MAX) {
                br[nbr++] = last;
                line++;
                after_break(items, n, last, sw, sy, sz, &tw, &ty, &tz);
                last = SIZE_MAX;
                i = i - 1; /* re-measure this box on the new line */
                continue;
            }
            continue;
        }
        if (!legal(items, i))
            continue;
        double L = sw[i] - tw + (items[i].kind == LB_PENALTY ? items[i].width : 0);
        if (L > lw + 1e-9 && last != SIZE_MAX) {
            br[nbr++] = last;
            line++;
            after_break(items, n, last, sw, sy, sz, &tw, &ty, &tz);
            last = SIZE_MAX;
            i = i - 1;
            continue;
        }
        if (is_forced(&items[i])) {
            br[nbr++] = i;
            line++;
            after_break(items, n, i, sw, sy, sz, &tw, &ty, &tz);
            last = SIZE_MAX;
            continue;
        }
        last = i;
    }
    if (nbr == 0 || br[nbr - 1] != n - 1)
        br[nbr++] = n - 1;
    CHECK(alloc_result(out, nbr));
    size_t prev = SIZE_MAX;
    for (size_t k = 0; k < nbr; k++) {
        size_t b = br[k];
        if (prev == SIZE_MAX)
            after_break(items, n, 0, sw, sy, sz, &tw, &ty, &tz);
        else
            after_break(items, n, prev, sw, sy, sz, &tw, &ty, &tz);
        double L = sw[b] - tw + (items[b].kind == LB_PENALTY ? items[b].width : 0);
        double r = ratio_of(L, sy[b] - ty, sz[b] - tz, width_of(widths, n_widths, k));
        out->breaks[k] = b;
        out->ratios[k] = r < -1 ? -1 : r;
        prev = b;
    }
    out->first_fit = 1;
fail:
    return status;
}

pub_status lb_break(const lb_item *items, size_t n, const double *widths,
                    size_t n_widths, const lb_params *p, lb_result *out)
{
    pub_status status = PUB_OK;
    double *sw = NULL, *sy = NULL, *sz = NULL;
    out->n_lines = 0;
    out->first_fit = 0;
    /* the nodes live in out between calls */
    nodes all = {.v = out->nodes, .cap = out->cap_nodes};
    if (n == 0 || !is_forced(&items[n - 1]))
        return pub_error(PUB_ERR_INTERNAL);
    CHECK(prefix_sums(out, items, n, &sw, &sy, &sz));

    const size_t NIL = SIZE_MAX;
    lb_node start = {.pos = NIL, .line = 0, .fitness = 1, .prev = NIL,
                     .next_active = NIL};
    after_break(items, n, 0, sw, sy, sz, &start.tw, &start.ty, &start.tz);
    size_t head, idx;
    CHECK(push(&all, &start, &head));

    for (size_t b = 0; b < n && head != NIL; b++) {
        if (!legal(items, b))
            continue;
        const lb_item *it = &items[b];
        double pw = it->kind == LB_PENALTY ? it->width : 0;
        int pen = it->kind == LB_PENALTY ? it->penalty : 0;
        int flagged = it->kind == LB_PENALTY && it->flagged;
        int forced = is_forced(it);
        double best_d[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
        size_t best_a[4] = {NIL, NIL, NIL, NIL};
        double best_r[4] = {0};
        size_t prev_act = NIL;
        size_t a = head;
        while (a != NIL) {
            lb_node *A = &all.v[a];
            size_t next = A->next_active;
            double lw = width_of(widths, n_widths, A->line);
            double L = sw[b] - A->tw + pw;
            double r = ratio_of(L, sy[b] - A->ty, sz[b] - A->tz, lw);
            if (r < -1 || forced) {
                /* deactivate */
                if (prev_act == NIL)
                    head = next;
                else
                    all.v[prev_act].next_active = next;
            } else {
                prev_act = a;
            }
            if (r >= -1 && r <= p->tolerance) {
                double bad = 100 * fabs(r) * fabs(r) * fabs(r);
                double d = (p->line_penalty + bad) * (p->line_penalty + bad);
                if (pen > 0)
                    d += (double)pen * pen;
                else if (pen > -LB_INFINITY)
                    d -= (double)pen * pen;
                if (flagged && A->flagged)
                    d += p->flagged_demerits;
                if (forced && A->flagged)
                    d += p->last_flagged_demerits;
                int fit = fitness_of(r);
                if (abs(fit - A->fitness) > 1)
                    d += p->fitness_demerits;
                d += A->demerits;
                if (d < best_d[fit]) {
                    best_d[fit] = d;
                    best_a[fit] = a;
                    best_r[fit] = r;
                }
            }
            a = next;
        }
        double dmin = INFINITY;
        for (int f = 0; f < 4; f++)
            if (best_d[f] < dmin)
                dmin = best_d[f];
        if (dmin == INFINITY)
            continue;
        double tw, ty, tz;
        after_break(items, n, b, sw, sy, sz, &tw, &ty, &tz);
        for (int f = 0; f < 4; f++) {
            if (best_a[f] == NIL || best_d[f] > dmin + p->fitness_demerits)
                continue;
            lb_node x = {.pos = b, .line = all.v[best_a[f]].line + 1,
                         .fitness = f, .flagged = flagged, .tw = tw, .ty = ty,
                         .tz = tz, .demerits = best_d[f], .ratio = best_r[f],
                         .prev = best_a[f], .next_active = head};
            CHECK(push(&all, &x, &idx));
            head = idx;
        }
    }
    /* the best node ending at the final forced break */
    size_t best = NIL;
    for (size_t k = 0; k < all.n; k++)
        if (all.v[k].pos == n - 1 &&
            (best == NIL || all.v[k].demerits < all.v[best].demerits))
            best = k;
    if (best == NIL) {
        out->nodes = all.v;
        out->cap_nodes = all.cap;
        return lb_first_fit(items, n, widths, n_widths, out);
    }
    size_t lines = all.v[best].line;
    CHECK(alloc_result(out, lines));
    for (size_t k = best, i = lines; k != NIL && all.v[k].pos != NIL; k = all.v[k].prev) {
        i--;
        out->breaks[i] = all.v[k].pos;
        out->ratios[i] = all.v[k].ratio;
    }
    out->first_fit = 0;
fail:
    out->nodes = all.v;
    out->cap_nodes = all.cap;
    return status;
}
