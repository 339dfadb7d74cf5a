/*
 * inlines.c — inline content of a block: **strong** runs (paired over a
 * whole chunk by the caller, so bold may cross a line break), footnote
 * references "[1]" and kept line breaks; white-space gaps become single
 * spaces. Follows cmark's inlines.c in spirit: text in, inline nodes out.
 */
#include "reader/reader.h"

#include <string.h>

typedef struct emitter {
    pub_arena *a;
    pub_node *block;
    pub_node *strong;   /* open STRONG node, or NULL */
    pub_buf text;       /* pending text */
    int text_line;
    int cur_strong;
} emitter;

static pub_node *target(emitter *e)
{
    return e->cur_strong ? e->strong : e->block;
}

static pub_status flush(emitter *e)
{
    if (e->text.len == 0)
        return PUB_OK;
    pub_node *t = pub_node_new(e->a, PUB_NODE_TEXT, e->text_line);
    if (t == NULL)
        return pub_error(PUB_ERR_NOMEM);
    t->as.text.data = pub_arena_strndup(e->a, e->text.data, e->text.len);
    if (t->as.text.data == NULL)
        return pub_error(PUB_ERR_NOMEM);
    t->as.text.len = e->text.len;
    pub_node_append(target(e), t);
    e->text.len = 0;
    return PUB_OK;
}

static pub_status set_strong(emitter *e, int strong, int line)
{
    if (strong == e->cur_strong)
        return PUB_OK;
    pub_status s = flush(e);
    if (s != PUB_OK)
        return s;
    e->cur_strong = strong;
    if (strong) {
        e->strong = pub_node_new(e->a, PUB_NODE_STRONG, line);
        if (e->strong == NULL)
            return pub_error(PUB_ERR_NOMEM);
        pub_node_append(e->block, e->strong);
    }
    return PUB_OK;
}

static pub_status add_node(emitter *e, pub_node_type type, int line,
                           const char *label, size_t label_len)
{
    pub_status s = flush(e);
    if (s != PUB_OK)
        return s;
    pub_node *n = pub_node_new(e->a, type, line);
    if (n == NULL)
        return pub_error(PUB_ERR_NOMEM);
    if (label != NULL) {
        n->as.note.label = pub_arena_strndup(e->a, label, label_len);
        if (n->as.note.label == NULL)
            return pub_error(PUB_ERR_NOMEM);
    }
    pub_node_append(target(e), n);
    return PUB_OK;
}

/* Length of a footnote reference "[12]" at s, or 0. */
static size_t ref_len(const char *s, size_t n)
{
    if (n < 3 || s[0] != '[')
        return 0;
    size_t i = 1;
    while (i < n && i <= 3 && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 1 || i >= n || s[i] != ']')
        return 0;
    return i + 1;
}

pub_status pub_inlines_append(pub_arena *a, pub_node *block,
                              const pub_run *runs, size_t n, int refs)
{
    pub_status status = PUB_OK;
    emitter e = {.a = a, .block = block};
    for (size_t r = 0; r < n; r++) {
        const pub_run *run = &runs[r];
        CHECK(set_strong(&e, run->strong, run->line));
        if (e.text.len == 0)
            e.text_line = run->line;
        const char *s = run->text;
        size_t len = run->len;
        size_t i = 0;
        while (i < len) {
            char c = s[i];
            size_t rl;
            if (c == '\n') {
                CHECK(add_node(&e, PUB_NODE_LINEBREAK, run->line, NULL, 0));
                i++;
                e.text_line = run->line + 1;
            } else if (c == '[' && refs && (rl = ref_len(s + i, len - i)) > 0) {
                CHECK(add_node(&e, PUB_NODE_NOTEREF, run->line, s + i + 1, rl - 2));
                i += rl;
            } else {
                CHECK(pub_buf_putc(&e.text, c == '\t' ? ' ' : c));
                i++;
            }
        }
    }
    CHECK(flush(&e));
fail:
    pub_buf_free(&e.text);
    return status;
}
