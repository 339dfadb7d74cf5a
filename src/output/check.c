/*
 * check.c — the --check report: per statement, what the reader recognised
 * (counts) and every anomaly a human should review: numbering gaps and
 * duplicates, entries that could not be split, mixed separators, dangling
 * footnote references and unreferenced notes, an unknown date or language;
 * then the dossier: its order (ties and undated statements) and every merge
 * of the signatory index, for a human to review.
 */
#include "core/core.h"
#include "index/index.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct counts {
    int blocks[PUB_NODE_TYPE_COUNT];
    int sections, signatories, numbered, behalf, footnotes;
} counts;

static pub_status anomaly(pub_buf *b, int *n, const char *file, int line,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static pub_status anomaly(pub_buf *b, int *n, const char *file, int line,
                          const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    (*n)++;
    return line > 0 ? pub_buf_printf(b, "%s:%d: anomaly: %s\n", file, line, msg)
                    : pub_buf_printf(b, "%s: anomaly: %s\n", file, msg);
}

static int has_label(const pub_node *list, const char *label, pub_node_type type)
{
    pub_iter it;
    pub_event ev;
    pub_iter_init(&it, list);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        const pub_node *n = pub_iter_node(&it);
        if (ev == PUB_EVENT_ENTER && n->type == type && strcmp(n->as.note.label, label) == 0)
            return 1;
    }
    return 0;
}

static pub_status check_statement(pub_buf *b, const pub_node *st, int *na)
{
    pub_status status = PUB_OK;
    const pub_statement_info *s = &st->as.statement;
    const char *f = s->source;
    counts c = {0};
    for (const pub_node *n = st->first_child; n; n = n->next) {
        c.blocks[n->type]++;
        if (n->type == PUB_NODE_LIST)
            for (const pub_node *i = n->first_child; i; i = i->next)
                c.blocks[PUB_NODE_LIST_ITEM]++;
        if (n->type == PUB_NODE_SIGNATORY_SECTION) {
            c.sections++;
            for (const pub_node *g = n->first_child; g; g = g->next) {
                c.signatories++;
                c.numbered += g->as.signatory.number != NULL;
                c.behalf += g->as.signatory.on_behalf_of != NULL;
            }
        }
        if (n->type == PUB_NODE_NOTES)
            for (const pub_node *g = n->first_child; g; g = g->next)
                c.footnotes += g->type == PUB_NODE_FOOTNOTE;
    }
    size_t tl = 0;
    const pub_node *title = pub_statement_find(st, PUB_NODE_TITLE);
    char *tt = title ? pub_node_plain_text(title, &tl) : NULL;
    status = pub_buf_printf(
        b,
        "%s: title \"%s\"; language %s; date %s (%s)\n"
        "  %d paragraphs, %d headings, %d slogans, %d list items, %d letterhead lines%s%s%s%s%s\n"
        "  %d signatory sections, %d signatories (%d numbered, %d on behalf of an organisation), %d footnotes\n",
        f, tt ? tt : "", s->language ? s->language : "unknown",
        s->date[0] ? s->date : "unknown",
        s->date_source == PUB_DATE_DATELINE ? "dateline"
        : s->date_source == PUB_DATE_BYLINE ? "byline"
        : s->date_source == PUB_DATE_CLOSING ? "closing"
        : s->date_source == PUB_DATE_AS_OF ? "as of"
        : s->date_source == PUB_DATE_TITLE ? "title" : "none",
        c.blocks[PUB_NODE_PARAGRAPH], c.blocks[PUB_NODE_HEADING],
        c.blocks[PUB_NODE_SLOGAN], c.blocks[PUB_NODE_LIST_ITEM],
        c.blocks[PUB_NODE_LETTERHEAD], c.blocks[PUB_NODE_KICKER] ? ", kicker" : "",
        c.blocks[PUB_NODE_SUBTITLE] ? ", subtitle" : "",
        c.blocks[PUB_NODE_BYLINE] ? ", byline" : "",
        c.blocks[PUB_NODE_DATELINE] ? ", dateline" : "",
        c.blocks[PUB_NODE_SALUTATION] ? ", salutation" : "", c.sections,
        c.signatories, c.numbered, c.behalf, c.footnotes);
    free(tt);
    CHECK(status);
    if (!s->date[0])
        CHECK(anomaly(b, na, f, 0, "no date found (no dateline, byline, closing or \"as of\" date)"));
    if (s->language == NULL)
        CHECK(anomaly(b, na, f, 0, "language could not be recognised"));
    if (title == NULL)
        CHECK(anomaly(b, na, f, 0, "no title recognised"));
    /* signatory sections */
    for (const pub_node *n = st->first_child; n; n = n->next) {
        if (n->type != PUB_NODE_SIGNATORY_SECTION)
            continue;
        long expect = 1;
        int seps[4] = {0};
        int first_sep_line[4] = {0};
        for (const pub_node *g = n->first_child; g; g = g->next) {
            const pub_signatory *sg = &g->as.signatory;
            if (sg->number != NULL) {
                long v = strtol(sg->number, NULL, 10);
                if (v == expect - 1 || v < expect - 1)
                    CHECK(anomaly(b, na, f, g->line, "duplicate or out-of-order number %ld (after %ld)", v, expect - 1));
                else if (v > expect)
                    CHECK(anomaly(b, na, f, g->line, "numbering gap: %ld follows %ld", v, expect - 1));
                expect = v + 1;
            }
            if (!sg->split_ok)
                CHECK(anomaly(b, na, f, g->line, "entry could not be split reliably: \"%.200s\"", sg->raw ? sg->raw : ""));
            if (!sg->on_behalf_of && sg->separator >= 0 && sg->separator < 4) {
                if (!seps[sg->separator])
                    first_sep_line[sg->separator] = g->line;
                seps[sg->separator]++;
            }
        }
        if (seps[PUB_SEP_GAP] && seps[PUB_SEP_SPACE]) {
            int minority = seps[PUB_SEP_GAP] < seps[PUB_SEP_SPACE] ? PUB_SEP_GAP : PUB_SEP_SPACE;
            CHECK(anomaly(b, na, f, first_sep_line[minority],
                          "mixed separators between abbreviation and name: %d entries with a wide gap, %d with one space",
                          seps[PUB_SEP_GAP], seps[PUB_SEP_SPACE]));
        }
    }
    /* footnotes */
    const pub_node *notes = pub_statement_find(st, PUB_NODE_NOTES);
    pub_iter it;
    pub_event ev;
    pub_iter_init(&it, st);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        const pub_node *n = pub_iter_node(&it);
        if (ev != PUB_EVENT_ENTER || n->type != PUB_NODE_NOTEREF)
            continue;
        if (notes == NULL || !has_label(notes, n->as.note.label, PUB_NODE_FOOTNOTE))
            CHECK(anomaly(b, na, f, n->line, "footnote reference [%s] has no note", n->as.note.label));
    }
    if (notes != NULL)
        for (const pub_node *g = notes->first_child; g; g = g->next)
            if (g->type == PUB_NODE_FOOTNOTE) {
                int found = 0;
                for (const pub_node *b2 = st->first_child; b2 && !found; b2 = b2->next)
                    if (b2 != notes)
                        found = has_label(b2, g->as.note.label, PUB_NODE_NOTEREF);
                if (!found)
                    CHECK(anomaly(b, na, f, g->line, "note [%s] is never referenced", g->as.note.label));
            }
fail:
    return status;
}

/* An entry as a reader would find it in the source. */
static const char *spelling(const pub_node *g)
{
    const pub_signatory *s = &g->as.signatory;
    if (s->raw != NULL)
        return s->raw;
    if (s->on_behalf_of != NULL)
        return s->on_behalf_of;
    return s->name ? s->name : s->abbr ? s->abbr : "";
}

static pub_status check_dossier(pub_buf *b, const pub_dossier *d,
                                const pub_index *ix)
{
    pub_status status = PUB_OK;
    char first[11], last[11];
    int dated = pub_dossier_date_range(d, first, last);
    int by_input = pub_dossier_get_info(d)->order_by_input;
    char tbuf[64];
    CHECK(pub_buf_printf(b, "dossier: \"%s\"; %zu statements in %s order",
                         pub_dossier_title(d, tbuf), pub_dossier_count(d),
                         by_input ? "input" : "date"));
    if (dated > 0)
        CHECK(pub_buf_printf(b, ", dated %s to %s", first, last));
    CHECK(pub_buf_puts(b, "\n"));
    if (!by_input)
        for (const pub_node *st = pub_dossier_root(d)->first_child; st; st = st->next) {
            const pub_statement_info *s = &st->as.statement;
            const pub_node *prev = st->prev;
            if (!s->date[0])
                CHECK(pub_buf_printf(b, "%s: order: undated, placed after the dated statements\n",
                                     s->source));
            else if (prev && strcmp(prev->as.statement.date, s->date) == 0)
                CHECK(pub_buf_printf(b, "%s: order: same date %s as %s, kept in input order\n",
                                     s->source, s->date, prev->as.statement.source));
        }
    CHECK(pub_buf_printf(b,
                         "signatory index: %zu organisations, %zu persons, %zu merges to review\n",
                         ix->n_orgs, ix->n_persons, ix->n_merges));
    for (size_t i = 0; i < ix->n_merges; i++) {
        const pub_merge *m = &ix->merges[i];
        const pub_node *ms = pub_node_statement(m->merged), *ks = pub_node_statement(m->kept);
        CHECK(pub_buf_printf(b, "%s:%d: merge: \"%.200s\" taken for \"%.200s\" (%s:%d): %s\n",
                             ms ? ms->as.statement.source : "", m->merged->line,
                             spelling(m->merged), spelling(m->kept),
                             ks ? ks->as.statement.source : "", m->kept->line, m->why));
    }
fail:
    return status;
}

pub_status pub_check_report(pub_ctx *ctx, const pub_dossier *d, char **out,
                            int *n_anomalies)
{
    pub_status status = PUB_OK;
    pub_buf b = {0};
    pub_index *ix = NULL;
    int na = 0;
    for (const pub_node *st = pub_dossier_root(d)->first_child; st; st = st->next)
        CHECK(check_statement(&b, st, &na));
    CHECK(pub_index_build(ctx, d, &ix));
    CHECK(check_dossier(&b, d, ix));
    CHECK(pub_buf_printf(&b, "%zu statements, %d anomalies\n", pub_dossier_count(d), na));
    pub_index_free(ix);
    *out = pub_buf_detach(&b);
    *n_anomalies = na;
    return PUB_OK;
fail:
    pub_index_free(ix);
    pub_buf_free(&b);
    return status;
}
