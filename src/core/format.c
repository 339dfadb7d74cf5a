/*
 * format.c — the few printf conversions the labels, identifiers and
 * citations of a dossier are made of (%s %d %i %u %c %% with the l, ll and
 * z lengths, C11 §7.21.6.1), written without printf's machinery, which
 * costs far more per call than these strings do; anything else is left to
 * vsnprintf by the caller.
 */
#include "core.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct out {
    char *p;
    size_t cap, n; /* n: the length of the whole text so far */
} out;

static void put(out *o, const char *s, size_t len)
{
    if (o->n < o->cap) {
        size_t room = o->cap - 1 - o->n;
        memcpy(o->p + o->n, s, len < room ? len : room);
    }
    o->n += len;
}

static void put_unsigned(out *o, unsigned long long v, int neg)
{
    char tmp[24];
    char *q = tmp + sizeof tmp;
    do
        *--q = (char)('0' + v % 10);
    while (v /= 10);
    if (neg)
        *--q = '-';
    put(o, q, (size_t)(tmp + sizeof tmp - q));
}

int pub_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    out o = {.p = buf, .cap = cap};
    const char *run = fmt;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%')
            continue;
        put(&o, run, (size_t)(f - run));
        f++;
        int len = 0; /* 1: l, 2: ll, 3: z */
        if (f[0] == 'l' && f[1] == 'l') {
            len = 2;
            f += 2;
        } else if (f[0] == 'l') {
            len = 1;
            f++;
        } else if (f[0] == 'z') {
            len = 3;
            f++;
        }
        switch (*f) {
        case '%':
            if (len)
                return -1;
            put(&o, "%", 1);
            break;
        case 's': {
            if (len)
                return -1;
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                return -1; /* "(null)" is printf's business */
            put(&o, s, strlen(s));
            break;
        }
        case 'c': {
            if (len)
                return -1;
            char c = (char)va_arg(ap, int);
            put(&o, &c, 1);
            break;
        }
        case 'd':
        case 'i': {
            long long v = len == 0   ? va_arg(ap, int)
                          : len == 1 ? va_arg(ap, long)
                          : len == 2 ? va_arg(ap, long long)
                                     : (long long)va_arg(ap, ptrdiff_t);
            unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
                                         : (unsigned long long)v;
            put_unsigned(&o, u, v < 0);
            break;
        }
        case 'u': {
            unsigned long long v = len == 0   ? va_arg(ap, unsigned)
                                   : len == 1 ? va_arg(ap, unsigned long)
                                   : len == 2 ? va_arg(ap, unsigned long long)
                                              : va_arg(ap, size_t);
            put_unsigned(&o, v, 0);
            break;
        }
        default:
            return -1; /* a flag, width, precision or another conversion */
        }
        run = f + 1;
    }
    put(&o, run, strlen(run));
    if (cap > 0)
        buf[o.n < cap ? o.n : cap - 1] = '\0';
    return o.n > INT_MAX ? -1 : (int)o.n;
}

int pub_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = pub_vformat(buf, cap, fmt, aq);
    va_end(aq);
    if (n < 0)
        n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
