/*
 * csv.c — the signatory table for spreadsheets: RFC 4180 CSV (UTF-8, CRLF
 * line ends, fields quoted when they hold a comma, a quote, a line end or
 * edge spaces), one row per signature and person, with authority ids.
 */
#include "core/core.h"
#include "index/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {
    "statement", "date",    "number", "abbreviation", "name",        "english_name",
    "country",   "role",    "person", "subsequent",   "authority_id"};
#define N_COLUMNS (sizeof columns / sizeof *columns)

/* One field, quoted as RFC 4180 asks (section 2, rules 5-7). */
static PUB_MUST_CHECK pub_status put_field(pub_buf *b, const char *s, int first)
{
    pub_status status = PUB_OK;
    if (!first)
        CHECK(pub_buf_putc(b, ','));
    if (s == NULL)
        return PUB_OK;
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote)
        return pub_buf_append(b, s, n);
    CHECK(pub_buf_putc(b, '"'));
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            CHECK(pub_buf_putc(b, '"'));
        CHECK(pub_buf_putc(b, *p));
    }
    CHECK(pub_buf_putc(b, '"'));
fail:
    return status;
}

static PUB_MUST_CHECK pub_status put_row(pub_buf *b, const char *const *f)
{
    pub_status status = PUB_OK;
    for (size_t i = 0; i < N_COLUMNS; i++)
        CHECK(put_field(b, f[i], i == 0));
    CHECK(pub_buf_append(b, "\r\n", 2));
fail:
    return status;
}

pub_status pub_csv_write(pub_ctx *ctx, const pub_dossier *d, const pub_index *ix,
                         char **out, size_t *len)
{
    pub_status status = PUB_OK;
    pub_buf b = {0};
    CHECK(put_row(&b, columns));
    for (const pub_node *st = pub_dossier_root(d)->first_child; st; st = st->next) {
        const pub_statement_info *s = &st->as.statement;
        for (const pub_node *sec = st->first_child; sec; sec = sec->next) {
            if (sec->type != PUB_NODE_SIGNATORY_SECTION)
                continue;
            for (const pub_node *g = sec->first_child; g; g = g->next) {
                const pub_signatory *sg = &g->as.signatory;
                char id[24] = "";
                int org = pub_index_org_of(ix, g);
                if (org > 0)
                    snprintf(id, sizeof id, "%d", org);
                const char *f[N_COLUMNS] = {
                    s->basename,
                    s->date,
                    sg->number,
                    sg->abbr,
                    sg->on_behalf_of ? sg->on_behalf_of : sg->name,
                    sg->english,
                    sg->country,
                    sg->role,
                    NULL,
                    sec->as.section.subsequent ? "yes" : "no",
                    id};
                size_t k = 0;
                do {
                    f[8] = k < sg->n_persons ? sg->persons[k] : NULL;
                    CHECK(put_row(&b, f));
                } while (++k < sg->n_persons);
            }
        }
    }
    *len = b.len;
    *out = pub_buf_detach(&b);
    if (*out == NULL) { /* nothing was appended: still a string */
        *out = calloc(1, 1);
        CHECK_ALLOC(*out);
    }
    return PUB_OK;
fail:
    pub_buf_free(&b);
    pub_diag(ctx, PUB_ERROR, NULL, 0, "out of memory while writing CSV");
    return status;
}
