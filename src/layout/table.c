/*
 * table.c — column widths for signatory tables, after the automatic table
 * layout of CSS 2.1 §17.5.2.2 (min/max content widths per column, the
 * available measure shared in proportion to each column's want).
 */
#include "layout/internal.h"

void tbl_fit_columns(const double *min, const double *max, size_t n,
                     double total, int elastic, double *out)
{
    double smin = 0, smax = 0;
    size_t widest = 0;
    for (size_t i = 0; i < n; i++) {
        smin += min[i];
        smax += max[i] > min[i] ? max[i] : min[i];
        if (max[i] > max[widest])
            widest = i;
    }
    if (n == 0)
        return;
    if (elastic < 0 || (size_t)elastic >= n)
        elastic = (int)widest;
    if (smin >= total) {
        /* not even the longest words fit: scale the minima down */
        for (size_t i = 0; i < n; i++)
            out[i] = smin > 0 ? min[i] * total / smin : total / (double)n;
        return;
    }
    if (smax <= total) {
        /* everything fits unbroken; the elastic column takes the rest */
        for (size_t i = 0; i < n; i++)
            out[i] = max[i] > min[i] ? max[i] : min[i];
        out[elastic] += total - smax;
        return;
    }
    double room = total - smin, want = smax - smin;
    for (size_t i = 0; i < n; i++) {
        double mx = max[i] > min[i] ? max[i] : min[i];
        out[i] = min[i] + (mx - min[i]) * room / want;
    }
}
