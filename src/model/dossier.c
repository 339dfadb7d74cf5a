/*
 * dossier.c — the dossier as a whole: its description file (dossier.ini,
 * read through inih), the defaults derived from the statements (title from
 * the common issuer, date range), and the chronological order of the
 * statements (a stable sort; undated statements last).
 */
#include "core/core.h"

#include <time.h>

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- description */

typedef struct reader {
    pub_dossier *d;
    const char *path;
    char bad[200]; /* first problem, reported with the line inih gives */
    int nomem;
} reader;

/* A BCP 47 tag, loosely: a 2-3 letter primary tag and alphanumeric
 * subtags of 1-8 characters. */
static int is_language_tag(const char *v)
{
    size_t n = 0;
    while (isalpha((unsigned char)v[n]))
        n++;
    if (n < 2 || n > 3)
        return 0;
    while (v[n] == '-') {
        size_t m = 0;
        n++;
        while (isalnum((unsigned char)v[n + m]))
            m++;
        if (m < 1 || m > 8)
            return 0;
        n += m;
    }
    return v[n] == '\0';
}

/* A style value naming a file is taken relative to the description file. */
static const char *style_path(pub_dossier *d, const char *ini, const char *v)
{
    size_t n = strlen(v);
    int is_file = strchr(v, '/') != NULL || (n > 4 && !strcmp(v + n - 4, ".ini"));
    const char *slash = strrchr(ini, '/');
    if (!is_file || v[0] == '/' || slash == NULL)
        return pub_dossier_strdup(d, v);
    return pub_arena_printf(pub_dossier_arena(d), "%.*s/%s",
                            (int)(slash - ini), ini, v);
}

/* Sets one key; returns 0, or 1 with a message in bad, or 2 when out of
 * memory. base is the description file (NULL from the command line). */
static int set_key(pub_dossier *d, const char *base, const char *name,
                   const char *value, char *bad, size_t size)
{
    pub_dossier_info *info = pub_dossier_info_of(d);
    const char **dst = NULL;
    if (!strcmp(name, "title"))
        dst = &info->title;
    else if (!strcmp(name, "subtitle"))
        dst = &info->subtitle;
    else if (!strcmp(name, "compiler"))
        dst = &info->compiler;
    else if (!strcmp(name, "publisher"))
        dst = &info->publisher;
    else if (!strcmp(name, "language"))
        dst = &info->language;
    else if (!strcmp(name, "style"))
        dst = &info->style;
    else if (!strcmp(name, "order")) {
        if (!strcmp(value, "date") || !strcmp(value, "input")) {
            info->order_by_input = value[0] == 'i';
            return 0;
        }
        snprintf(bad, size, "order: '%.60s' is not 'date' or 'input'", value);
        return 1;
    } else {
        snprintf(bad, size,
                 "unknown key '%.60s' (title, subtitle, compiler, publisher, "
                 "language, order, style)",
                 name);
        return 1;
    }
    if (value[0] == '\0') {
        snprintf(bad, size, "%s: empty value", name);
        return 1;
    }
    if (dst == &info->language && !is_language_tag(value)) {
        snprintf(bad, size,
                 "language: '%.60s' is not a language tag (e.g. en, de, pt-BR)", value);
        return 1;
    }
    *dst = dst == &info->style && base ? style_path(d, base, value)
                                       : pub_dossier_strdup(d, value);
    return *dst == NULL ? 2 : 0;
}

static int on_key(void *user, const char *section, const char *name,
                  const char *value)
{
    reader *R = user;
    if (section[0] != '\0' && strcmp(section, "dossier") != 0) {
        snprintf(R->bad, sizeof R->bad,
                 "unknown section [%.60s] (keys go at the top or under [dossier])",
                 section);
        return 0;
    }
    int r = set_key(R->d, R->path, name, value, R->bad, sizeof R->bad);
    R->nomem |= r == 2;
    return r == 0;
}

pub_status pub_dossier_set(pub_ctx *ctx, pub_dossier *d, const char *key,
                           const char *value)
{
    char bad[200] = "";
    int r = set_key(d, NULL, key, value, bad, sizeof bad);
    if (r == 2) {
        pub_diag(ctx, PUB_ERROR, NULL, 0, "out of memory");
        return pub_error(PUB_ERR_NOMEM);
    }
    if (r == 1) {
        pub_diag(ctx, PUB_ERROR, NULL, 0, "%s", bad);
        return pub_error(PUB_ERR_INPUT);
    }
    return PUB_OK;
}

pub_status pub_dossier_read_description(pub_ctx *ctx, pub_dossier *d,
                                        const char *path)
{
    reader R = {.d = d, .path = path};
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot open dossier description: %s",
                 strerror(errno));
        return pub_error(PUB_ERR_INPUT);
    }
    int line = ini_parse_file(f, on_key, &R);
    fclose(f);
    if (R.nomem) {
        pub_diag(ctx, PUB_ERROR, path, 0, "out of memory");
        return pub_error(PUB_ERR_NOMEM);
    }
    if (line != 0) {
        pub_diag(ctx, PUB_ERROR, path, line > 0 ? line : 0, "%s",
                 R.bad[0] ? R.bad : "syntax error in dossier description");
        return pub_error(PUB_ERR_INPUT);
    }
    return PUB_OK;
}

/* ------------------------------------------------------------- defaults */

/* An acronym opening s ("ICOR resolution:"), as layout's cover finds it. */
static int acronym(const char *s, char out[16])
{
    size_t n = 0;
    while (s && (s[n] >= 'A' && s[n] <= 'Z'))
        n++;
    if (n < 2 || n > 12 ||
        (s[n] != '\0' && s[n] != ' ' && s[n] != ':' && s[n] != ','))
        return 0;
    memcpy(out, s, n);
    out[n] = '\0';
    return 1;
}

const char *pub_dossier_title(const pub_dossier *d, char buf[64])
{
    const pub_dossier_info *info = pub_dossier_get_info(d);
    if (info->title != NULL && info->title[0])
        return info->title;
    static const pub_node_type where[] = {PUB_NODE_KICKER, PUB_NODE_DATELINE,
                                          PUB_NODE_TITLE};
    char common[16] = "", mine[16];
    int all = pub_dossier_count(d) > 0;
    for (const pub_node *st = pub_dossier_root(d)->first_child; st && all;
         st = st->next) {
        int found = 0;
        for (size_t w = 0; w < sizeof where / sizeof *where && !found; w++) {
            const pub_node *n = pub_statement_find(st, where[w]);
            size_t len;
            char *t = n ? pub_node_plain_text(n, &len) : NULL;
            found = t && acronym(t, mine);
            free(t);
        }
        if (!found || (common[0] && strcmp(common, mine) != 0))
            all = 0;
        else
            memcpy(common, mine, sizeof common);
    }
    snprintf(buf, 64, "%s%sStatements", all ? common : "", all ? " " : "");
    return buf;
}

int pub_dossier_date_range(const pub_dossier *d, char first[11], char last[11])
{
    int n = 0;
    first[0] = last[0] = '\0';
    for (const pub_node *st = pub_dossier_root(d)->first_child; st; st = st->next) {
        const char *date = st->as.statement.date;
        if (!date[0])
            continue;
        if (n == 0 || strcmp(date, first) < 0)
            memcpy(first, date, 11);
        if (n == 0 || strcmp(date, last) > 0)
            memcpy(last, date, 11);
        n++;
    }
    return n;
}

/* ---------------------------------------------------------------- order */

static int cmp_date(const void *pa, const void *pb)
{
    const pub_node *x = *(const pub_node *const *)pa;
    const pub_node *y = *(const pub_node *const *)pb;
    const char *dx = x->as.statement.date, *dy = y->as.statement.date;
    int r = 0;
    if (!dx[0] != !dy[0])
        r = dx[0] ? -1 : 1; /* undated last */
    else if (dx[0])
        r = strcmp(dx, dy);
    if (r == 0) /* stable: input order */
        r = (x->as.statement.order > y->as.statement.order) -
            (x->as.statement.order < y->as.statement.order);
    return r;
}

pub_status pub_dossier_order(pub_ctx *ctx, pub_dossier *d)
{
    pub_node *root = pub_dossier_root(d);
    size_t n = pub_dossier_count(d);
    if (n < 2)
        return PUB_OK;
    pub_node **v = malloc(n * sizeof *v);
    if (v == NULL) {
        pub_diag(ctx, PUB_ERROR, NULL, 0, "out of memory");
        return pub_error(PUB_ERR_NOMEM);
    }
    size_t k = 0;
    for (pub_node *st = root->first_child; st && k < n; st = st->next)
        v[k++] = st;
    if (!pub_dossier_get_info(d)->order_by_input)
        qsort(v, k, sizeof *v, cmp_date);
    for (size_t i = 0; i < k; i++)
        pub_node_unlink(v[i]);
    for (size_t i = 0; i < k; i++) {
        v[i]->as.statement.order = (int)i;
        pub_node_append(root, v[i]);
    }
    free(v);
    return PUB_OK;
}

int pub_dossier_build_time(const pub_dossier *d, struct tm *out)
{
    memset(out, 0, sizeof *out);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde != NULL && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        time_t t = (time_t)v;
        if (errno == 0 && *end == '\0' && v >= 0 && v < 253402300800LL &&
            gmtime_r(&t, out) != NULL)
            return 1;
        memset(out, 0, sizeof *out);
    }
    char first[11], last[11];
    int y = 2000, m = 1, day = 1, from = -1;
    if (pub_dossier_date_range(d, first, last) > 0 &&
        sscanf(last, "%d-%d-%d", &y, &m, &day) >= 2)
        from = 0;
    out->tm_year = y - 1900;
    out->tm_mon = m - 1;
    out->tm_mday = day;
    return from;
}
