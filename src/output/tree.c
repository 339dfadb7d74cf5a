/*
 * tree.c — the model as an indented tree, one node a line: the format of
 * the spec examples in tests/spec/ (after cmark's XML/AST dump). A block
 * whose only child is one text prints as `type "text"`.
 */
#include "core/core.h"

#include <string.h>

static pub_status quoted(pub_buf *b, const char *s, size_t n)
{
    pub_status st = pub_buf_putc(b, '"');
    for (size_t i = 0; i < n && st == PUB_OK; i++) {
        char c = s[i];
        if (c == '"' || c == '\\')
            st = pub_buf_printf(b, "\\%c", c);
        else if (c == '\n')
            st = pub_buf_puts(b, "\\n");
        else
            st = pub_buf_putc(b, c);
    }
    return st == PUB_OK ? pub_buf_putc(b, '"') : st;
}

static pub_status field(pub_buf *b, const char *key, const char *v)
{
    pub_status st = pub_buf_printf(b, " %s=", key);
    if (st != PUB_OK)
        return st;
    return v ? quoted(b, v, strlen(v)) : pub_buf_puts(b, "null");
}

static pub_status node_line(pub_buf *b, const pub_node *n, int depth)
{
    pub_status status = PUB_OK;
    for (int i = 0; i < depth; i++)
        CHECK(pub_buf_puts(b, "  "));
    CHECK(pub_buf_puts(b, pub_node_type_name(n->type)));
    switch (n->type) {
    case PUB_NODE_STATEMENT: {
        const pub_statement_info *s = &n->as.statement;
        static const char *const src[] = {"null", "dateline", "byline", "closing", "as_of", "title"};
        CHECK(pub_buf_printf(b, " language=%s date=%s date_source=%s",
                             s->language ? s->language : "null",
                             s->date[0] ? s->date : "null", src[s->date_source]));
        break;
    }
    case PUB_NODE_TEXT:
        CHECK(pub_buf_putc(b, ' '));
        CHECK(quoted(b, n->as.text.data, n->as.text.len));
        break;
    case PUB_NODE_NOTEREF:
    case PUB_NODE_FOOTNOTE:
        CHECK(field(b, "label", n->as.note.label));
        break;
    case PUB_NODE_LIST:
        CHECK(pub_buf_printf(b, " ordered=%d", n->as.list.ordered));
        break;
    case PUB_NODE_LIST_ITEM:
        CHECK(field(b, "marker", n->as.item.marker));
        break;
    case PUB_NODE_SIGNATORY_SECTION:
        CHECK(field(b, "heading", n->as.section.heading));
        CHECK(field(b, "as_of", n->as.section.as_of));
        CHECK(pub_buf_printf(b, " subsequent=%d on_behalf=%d",
                             n->as.section.subsequent, n->as.section.on_behalf));
        break;
    case PUB_NODE_SIGNATORY: {
        const pub_signatory *s = &n->as.signatory;
        if (s->on_behalf_of || s->role || s->n_persons) {
            CHECK(field(b, "on_behalf_of", s->on_behalf_of));
            CHECK(field(b, "role", s->role));
            CHECK(pub_buf_puts(b, " persons=["));
            for (size_t i = 0; i < s->n_persons; i++) {
                if (i)
                    CHECK(pub_buf_putc(b, ','));
                CHECK(quoted(b, s->persons[i], strlen(s->persons[i])));
            }
            CHECK(pub_buf_putc(b, ']'));
            if (s->country)
                CHECK(field(b, "country", s->country));
        } else {
            CHECK(field(b, "number", s->number));
            CHECK(field(b, "abbr", s->abbr));
            CHECK(field(b, "name", s->name));
            CHECK(field(b, "english", s->english));
            CHECK(field(b, "country", s->country));
        }
        break;
    }
    default:
        break;
    }
    if (pub_node_is_block(n) && n->first_child != NULL &&
        n->first_child == n->last_child && n->first_child->type == PUB_NODE_TEXT) {
        CHECK(pub_buf_putc(b, ' '));
        CHECK(quoted(b, n->first_child->as.text.data, n->first_child->as.text.len));
    }
    CHECK(pub_buf_putc(b, '\n'));
fail:
    return status;
}

pub_status pub_tree_write(pub_ctx *ctx, const pub_dossier *d, char **out)
{
    pub_status status = PUB_OK;
    pub_buf b = {0};
    pub_iter it;
    pub_event ev;
    int depth = -1;
    (void)ctx;
    pub_iter_init(&it, pub_dossier_root(d));
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        const pub_node *n = pub_iter_node(&it);
        if (ev == PUB_EVENT_EXIT) {
            depth--;
            continue;
        }
        int leaf = n->type == PUB_NODE_TEXT || n->type == PUB_NODE_NOTEREF ||
                   n->type == PUB_NODE_LINEBREAK || n->type == PUB_NODE_SIGNATORY;
        int folded = n->parent && n->parent->type != PUB_NODE_DOSSIER &&
                     pub_node_is_block(n->parent) && n->type == PUB_NODE_TEXT &&
                     n->parent->first_child == n && n->parent->last_child == n &&
                     n->parent->type != PUB_NODE_STRONG;
        if (n->type != PUB_NODE_DOSSIER && !folded)
            CHECK(node_line(&b, n, depth));
        if (!leaf)
            depth++;
    }
    *out = pub_buf_detach(&b);
    return PUB_OK;
fail:
    pub_buf_free(&b);
    return status;
}
