/*
 * json.c — the model as JSON (RFC 8259) through jansson; the schema is
 * documented in README.md. Absent values are null; key order is fixed, so
 * the output is deterministic.
 */
#include "core/core.h"
#include "index/index.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *node_text(const pub_node *n)
{
    if (n == NULL)
        return json_null();
    size_t len;
    char *t = pub_node_plain_text(n, &len);
    if (t == NULL)
        return NULL;
    json_t *j = json_stringn(t, len);
    free(t);
    return j;
}

/* Inline runs: [{"type":"text","text":..}, {"type":"strong","text":..},
 * {"type":"noteref","label":..}, {"type":"linebreak"}] */
static int add_spans(json_t *arr, const pub_node *block)
{
    pub_iter it;
    pub_event ev;
    pub_iter_init(&it, block);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        const pub_node *n = pub_iter_node(&it);
        if (ev != PUB_EVENT_ENTER)
            continue;
        json_t *o = NULL;
        if (n->type == PUB_NODE_TEXT) {
            int strong = n->parent && n->parent->type == PUB_NODE_STRONG;
            o = json_pack("{s:s, s:s%}", "type", strong ? "strong" : "text", "text",
                          n->as.text.data, n->as.text.len);
        } else if (n->type == PUB_NODE_NOTEREF) {
            o = json_pack("{s:s, s:s}", "type", "noteref", "label", n->as.note.label);
        } else if (n->type == PUB_NODE_LINEBREAK) {
            o = json_pack("{s:s}", "type", "linebreak");
        } else {
            continue;
        }
        if (o == NULL || json_array_append_new(arr, o) != 0)
            return 0;
    }
    return 1;
}

static json_t *block_json(const pub_node *n, const char *marker)
{
    json_t *spans = json_array();
    json_t *o = json_pack("{s:s, s:o, s:o, s:i}", "type", pub_node_type_name(n->type),
                          "text", node_text(n), "spans", spans, "line", n->line);
    if (o == NULL || !add_spans(spans, n)) {
        json_decref(o);
        return NULL;
    }
    if (marker != NULL)
        json_object_set_new(o, "marker", json_string(marker));
    if (n->type == PUB_NODE_HEADING)
        json_object_set_new(o, "level", json_integer(n->as.heading.level));
    return o;
}

static const char *date_source(pub_date_source s)
{
    switch (s) {
    case PUB_DATE_DATELINE: return "dateline";
    case PUB_DATE_BYLINE: return "byline";
    case PUB_DATE_CLOSING: return "closing";
    case PUB_DATE_AS_OF: return "as_of";
    case PUB_DATE_TITLE: return "title";
    case PUB_DATE_NONE: break;
    }
    return NULL;
}

static json_t *statement_json(const pub_node *st, const pub_index *ix)
{
    const pub_statement_info *s = &st->as.statement;
    json_t *letterhead = json_array(), *blocks = json_array(), *sections = json_array(),
           *sigs = json_array(), *notes = json_array();
    json_t *o = json_pack(
        "{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "source", s->source, "sha256", s->sha256, "size", (json_int_t)s->size,
        "language", str_or_null(s->language),
        "date", s->date[0] ? json_string(s->date) : json_null(),
        "date_source", str_or_null(date_source(s->date_source)),
        "title", node_text(pub_statement_find(st, PUB_NODE_TITLE)),
        "subtitle", node_text(pub_statement_find(st, PUB_NODE_SUBTITLE)),
        "kicker", node_text(pub_statement_find(st, PUB_NODE_KICKER)),
        "byline", node_text(pub_statement_find(st, PUB_NODE_BYLINE)),
        "dateline", node_text(pub_statement_find(st, PUB_NODE_DATELINE)),
        "letterhead", letterhead, "blocks", blocks, "signatory_sections", sections,
        "signatories", sigs, "footnotes", notes);
    if (o == NULL)
        return NULL;
    int section_index = -1;
    for (const pub_node *c = st->first_child; c != NULL; c = c->next) {
        json_t *j = NULL;
        switch (c->type) {
        case PUB_NODE_LETTERHEAD:
            if (json_array_append_new(letterhead, node_text(c)) != 0)
                goto oom;
            continue;
        case PUB_NODE_SALUTATION:
        case PUB_NODE_PARAGRAPH:
        case PUB_NODE_HEADING:
        case PUB_NODE_SLOGAN:
        case PUB_NODE_CLOSING:
        case PUB_NODE_SIGNOFF:
            j = block_json(c, NULL);
            if (j == NULL || json_array_append_new(blocks, j) != 0)
                goto oom;
            continue;
        case PUB_NODE_LIST:
            for (const pub_node *item = c->first_child; item; item = item->next) {
                j = block_json(item, item->as.item.marker);
                if (j == NULL || json_array_append_new(blocks, j) != 0)
                    goto oom;
            }
            continue;
        case PUB_NODE_SIGNATORY_SECTION:
            section_index++;
            j = json_pack("{s:o, s:o, s:o, s:b, s:b, s:i}",
                          "heading", str_or_null(c->as.section.heading),
                          "as_of", str_or_null(c->as.section.as_of),
                          "as_of_text", str_or_null(c->as.section.as_of_text),
                          "subsequent", c->as.section.subsequent,
                          "on_behalf", c->as.section.on_behalf, "line", c->line);
            if (j == NULL || json_array_append_new(sections, j) != 0)
                goto oom;
            for (const pub_node *g = c->first_child; g; g = g->next) {
                const pub_signatory *sg = &g->as.signatory;
                json_t *persons = json_array();
                for (size_t k = 0; k < sg->n_persons; k++)
                    json_array_append_new(persons, json_string(sg->persons[k]));
                json_t *e = json_pack(
                    "{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:i}",
                    "section", section_index, "number", str_or_null(sg->number),
                    "abbr", str_or_null(sg->abbr), "name", str_or_null(sg->name),
                    "english", str_or_null(sg->english),
                    "country", str_or_null(sg->country), "role", str_or_null(sg->role),
                    "persons", persons, "on_behalf_of", str_or_null(sg->on_behalf_of),
                    "subsequent", c->as.section.subsequent, "raw", str_or_null(sg->raw),
                    "line", g->line);
                if (e == NULL || json_array_append_new(sigs, e) != 0)
                    goto oom;
                int org = pub_index_org_of(ix, g), person = pub_index_person_of(ix, g);
                if (json_object_set_new(e, "authority_id",
                                        org ? json_integer(org) : json_null()) != 0 ||
                    (person && json_object_set_new(e, "person_id", json_integer(person)) != 0))
                    goto oom;
            }
            continue;
        case PUB_NODE_NOTES:
            for (const pub_node *f = c->first_child; f; f = f->next) {
                if (f->type != PUB_NODE_FOOTNOTE)
                    continue;
                j = json_pack("{s:s, s:o, s:i}", "label", f->as.note.label, "text",
                              node_text(f), "line", f->line);
                if (j == NULL || json_array_append_new(notes, j) != 0)
                    goto oom;
            }
            continue;
        default:
            continue;
        }
    }
    return o;
oom:
    json_decref(o);
    return NULL;
}

/* The authority list: organisations, then persons, each with the
 * (0-based, dossier order) statements they signed. */
static json_t *statements_of(const pub_node *const *sigs, size_t n)
{
    json_t *arr = json_array();
    int last = -1;
    for (size_t i = 0; arr != NULL && i < n; i++) {
        const pub_node *st = pub_node_statement(sigs[i]);
        int pos = 0;
        for (const pub_node *p = st ? st->prev : NULL; p; p = p->prev)
            pos++;
        if (pos != last && json_array_append_new(arr, json_integer(pos)) != 0) {
            json_decref(arr);
            return NULL;
        }
        last = pos;
    }
    return arr;
}

static int add_authorities(json_t *root, const pub_index *ix)
{
    json_t *orgs = json_array(), *persons = json_array();
    if (json_object_set_new(root, "authorities", orgs) != 0 ||
        json_object_set_new(root, "persons", persons) != 0)
        return 0;
    for (size_t i = 0; i < ix->n_orgs; i++) {
        const pub_org *o = &ix->orgs[i];
        json_t *j = json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:i}", "id", o->id,
                              "abbr", str_or_null(o->abbr), "name", str_or_null(o->name),
                              "english", str_or_null(o->english),
                              "country", str_or_null(o->country), "statements",
                              statements_of(o->signatures, o->n_signatures),
                              "signatures", (int)o->n_signatures);
        if (j == NULL || json_array_append_new(orgs, j) != 0)
            return 0;
    }
    for (size_t i = 0; i < ix->n_persons; i++) {
        const pub_person *p = &ix->persons[i];
        json_t *j = json_pack("{s:i, s:s, s:o, s:o, s:o, s:o}", "id", p->id, "name",
                              p->name, "authority_id",
                              p->org ? json_integer(p->org) : json_null(), "organisation",
                              str_or_null(p->org_name), "role", str_or_null(p->role),
                              "statements", statements_of(p->signatures, p->n_signatures));
        if (j == NULL || json_array_append_new(persons, j) != 0)
            return 0;
    }
    return 1;
}

pub_status pub_json_write(pub_ctx *ctx, const pub_dossier *d, char **out)
{
    pub_index *ix = NULL;
    if (pub_index_build(ctx, d, &ix) != PUB_OK)
        return pub_error(PUB_ERR_NOMEM);
    json_t *arr = json_array();
    json_t *root = json_pack("{s:s, s:s, s:o}", "publish", PUB_VERSION, "order",
                             pub_dossier_get_info(d)->order_by_input ? "input" : "date",
                             "statements", arr);
    if (root == NULL)
        goto oom;
    for (const pub_node *st = pub_dossier_root(d)->first_child; st; st = st->next) {
        json_t *j = statement_json(st, ix);
        if (j == NULL || json_array_append_new(arr, j) != 0)
            goto oom;
    }
    if (!add_authorities(root, ix))
        goto oom;
    pub_index_free(ix);
    ix = NULL;
    char *s = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    if (s == NULL)
        goto oom_noroot;
    size_t n = strlen(s);
    char *r = malloc(n + 2);
    if (r == NULL) {
        free(s);
        goto oom_noroot;
    }
    memcpy(r, s, n);
    r[n] = '\n';
    r[n + 1] = '\0';
    free(s);
    *out = r;
    return PUB_OK;
oom:
    json_decref(root);
oom_noroot:
    pub_index_free(ix);
    pub_diag(ctx, PUB_ERROR, NULL, 0, "out of memory while writing JSON");
    return pub_error(PUB_ERR_NOMEM);
}
