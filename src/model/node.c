/*
 * node.c — the typed document tree (after cmark's node.c): construction,
 * linking, the non-recursive ENTER/EXIT iterator and small queries. All
 * nodes and strings live in the dossier's arena.
 */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pub_dossier {
    pub_arena *arena;
    pub_node *root;
    size_t count;
    pub_arena **adopted; /* arenas of dossiers read on other threads */
    size_t n_adopted;
    void *textcat;     /* language guesser, opened on first use */
    int textcat_tried;
    pub_dossier_info info;
};

pub_dossier_info *pub_dossier_info_of(pub_dossier *d) { return &d->info; }
const pub_dossier_info *pub_dossier_get_info(const pub_dossier *d) { return &d->info; }

const char *pub_dossier_strdup(pub_dossier *d, const char *s)
{
    return s ? pub_arena_strdup(d->arena, s) : NULL;
}

void *pub_dossier_textcat(pub_dossier *d)
{
    if (!d->textcat_tried) {
        d->textcat_tried = 1;
        d->textcat = pub_textcat_open();
    }
    return d->textcat;
}

pub_dossier *pub_dossier_new(void)
{
    pub_dossier *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    d->arena = pub_arena_new();
    if (d->arena == NULL) {
        free(d);
        return NULL;
    }
    d->root = pub_node_new(d->arena, PUB_NODE_DOSSIER, 0);
    if (d->root == NULL) {
        pub_arena_free(d->arena);
        free(d);
        return NULL;
    }
    return d;
}

void pub_dossier_free(pub_dossier *d)
{
    if (d == NULL)
        return;
    pub_textcat_close(d->textcat);
    pub_arena_free(d->arena);
    for (size_t i = 0; i < d->n_adopted; i++)
        pub_arena_free(d->adopted[i]);
    free(d->adopted);
    free(d);
}

pub_status pub_dossier_adopt(pub_dossier *d, pub_dossier *from)
{
    pub_arena **v = realloc(d->adopted, (d->n_adopted + 1) * sizeof *v);
    if (v == NULL)
        return pub_error(PUB_ERR_NOMEM);
    d->adopted = v;
    v[d->n_adopted++] = from->arena;
    from->arena = NULL;
    pub_dossier_free(from);
    return PUB_OK;
}

pub_node *pub_dossier_root(const pub_dossier *d) { return d->root; }
size_t pub_dossier_count(const pub_dossier *d) { return d->count; }
pub_arena *pub_dossier_arena(pub_dossier *d) { return d->arena; }

void pub_dossier_append_statement(pub_dossier *d, pub_node *stmt)
{
    stmt->as.statement.order = (int)d->count;
    pub_node_append(d->root, stmt);
    d->count++;
}

pub_node *pub_node_new(pub_arena *a, pub_node_type type, int line)
{
    pub_node *n = pub_arena_alloc(a, sizeof *n);
    if (n != NULL) {
        n->type = type;
        n->line = line;
    }
    return n;
}

void pub_node_append(pub_node *parent, pub_node *child)
{
    child->parent = parent;
    child->next = NULL;
    child->prev = parent->last_child;
    if (parent->last_child != NULL)
        parent->last_child->next = child;
    else
        parent->first_child = child;
    parent->last_child = child;
}

void pub_node_unlink(pub_node *n)
{
    if (n->prev != NULL)
        n->prev->next = n->next;
    else if (n->parent != NULL)
        n->parent->first_child = n->next;
    if (n->next != NULL)
        n->next->prev = n->prev;
    else if (n->parent != NULL)
        n->parent->last_child = n->prev;
    n->parent = n->prev = n->next = NULL;
}

static const char *const type_names[PUB_NODE_TYPE_COUNT] = {
    [PUB_NODE_NONE] = "none",
    [PUB_NODE_DOSSIER] = "dossier",
    [PUB_NODE_STATEMENT] = "statement",
    [PUB_NODE_LETTERHEAD] = "letterhead",
    [PUB_NODE_KICKER] = "kicker",
    [PUB_NODE_TITLE] = "title",
    [PUB_NODE_SUBTITLE] = "subtitle",
    [PUB_NODE_BYLINE] = "byline",
    [PUB_NODE_DATELINE] = "dateline",
    [PUB_NODE_SALUTATION] = "salutation",
    [PUB_NODE_PARAGRAPH] = "paragraph",
    [PUB_NODE_HEADING] = "heading",
    [PUB_NODE_SLOGAN] = "slogan",
    [PUB_NODE_LIST] = "list",
    [PUB_NODE_LIST_ITEM] = "list_item",
    [PUB_NODE_CLOSING] = "closing",
    [PUB_NODE_SIGNOFF] = "signoff",
    [PUB_NODE_SIGNATORY_SECTION] = "signatory_section",
    [PUB_NODE_SIGNATORY] = "signatory",
    [PUB_NODE_NOTES] = "notes",
    [PUB_NODE_FOOTNOTE] = "footnote",
    [PUB_NODE_TEXT] = "text",
    [PUB_NODE_STRONG] = "strong",
    [PUB_NODE_EMPH] = "emph",
    [PUB_NODE_NOTEREF] = "noteref",
    [PUB_NODE_LINEBREAK] = "linebreak",
};

const char *pub_node_type_name(pub_node_type t)
{
    if ((int)t < 0 || t >= PUB_NODE_TYPE_COUNT || type_names[t] == NULL)
        return "unknown";
    return type_names[t];
}

int pub_node_is_inline(const pub_node *n)
{
    return n->type >= PUB_NODE_TEXT && n->type <= PUB_NODE_LINEBREAK;
}

int pub_node_is_block(const pub_node *n)
{
    return n->type >= PUB_NODE_LETTERHEAD && n->type <= PUB_NODE_FOOTNOTE;
}

const pub_node *pub_node_statement(const pub_node *n)
{
    while (n != NULL && n->type != PUB_NODE_STATEMENT)
        n = n->parent;
    return n;
}

const pub_node *pub_statement_find(const pub_node *stmt, pub_node_type t)
{
    for (const pub_node *c = stmt->first_child; c != NULL; c = c->next)
        if (c->type == t)
            return c;
    return NULL;
}

static int is_leaf(const pub_node *n)
{
    return n->type == PUB_NODE_TEXT || n->type == PUB_NODE_NOTEREF ||
           n->type == PUB_NODE_LINEBREAK || n->type == PUB_NODE_SIGNATORY;
}

void pub_iter_init(pub_iter *it, const pub_node *root)
{
    it->root = root;
    it->cur = NULL;
    it->ev = PUB_EVENT_DONE;
}

pub_event pub_iter_next(pub_iter *it)
{
    const pub_node *n = it->cur;
    if (n == NULL) {
        if (it->root == NULL)
            return it->ev = PUB_EVENT_DONE;
        it->cur = it->root;
        return it->ev = PUB_EVENT_ENTER;
    }
    if (it->ev == PUB_EVENT_ENTER && !is_leaf(n)) {
        if (n->first_child != NULL) {
            it->cur = n->first_child;
            return it->ev = PUB_EVENT_ENTER;
        }
        return it->ev = PUB_EVENT_EXIT; /* empty container */
    }
    /* a leaf was entered or a container exited: move on */
    if (n == it->root) {
        it->cur = NULL;
        it->root = NULL;
        return it->ev = PUB_EVENT_DONE;
    }
    if (n->next != NULL) {
        it->cur = n->next;
        return it->ev = PUB_EVENT_ENTER;
    }
    it->cur = n->parent;
    return it->ev = PUB_EVENT_EXIT;
}

const pub_node *pub_iter_node(const pub_iter *it) { return it->cur; }

char *pub_node_plain_text(const pub_node *n, size_t *len)
{
    pub_buf b = {0};
    pub_iter it;
    pub_event ev;
    pub_iter_init(&it, n);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        const pub_node *c = pub_iter_node(&it);
        if (ev != PUB_EVENT_ENTER)
            continue;
        pub_status s = PUB_OK;
        if (c->type == PUB_NODE_TEXT)
            s = pub_buf_append(&b, c->as.text.data, c->as.text.len);
        else if (c->type == PUB_NODE_LINEBREAK)
            s = pub_buf_putc(&b, '\n');
        if (s != PUB_OK) {
            pub_buf_free(&b);
            return NULL;
        }
    }
    if (len != NULL)
        *len = b.len;
    return pub_buf_detach(&b);
}

/* Folds white space and line breaks to single spaces, trims. */
static void fold_line(char *s)
{
    size_t w = 0;
    for (size_t i = 0; s[i]; i++) {
        char c = (s[i] == '\n' || s[i] == '\t' || s[i] == '\r') ? ' ' : s[i];
        if (c == ' ' && (w == 0 || s[w - 1] == ' '))
            continue;
        s[w++] = c;
    }
    while (w > 0 && s[w - 1] == ' ')
        w--;
    s[w] = '\0';
}

char *pub_statement_title(const pub_node *stmt)
{
    static const pub_node_type order[] = {
        PUB_NODE_TITLE, PUB_NODE_KICKER, PUB_NODE_DATELINE, PUB_NODE_PARAGRAPH};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        const pub_node *n = pub_statement_find(stmt, order[k]);
        if (n == NULL)
            continue;
        char *t = pub_node_plain_text(n, NULL);
        if (t == NULL)
            return NULL;
        fold_line(t);
        size_t len = strlen(t);
        if (len > 160) { /* a paragraph as title: its beginning */
            size_t cut = 150;
            while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
                cut--;
            memcpy(t + cut, "\u2026", 4);
        }
        if (t[0])
            return t;
        free(t);
    }
    char buf[32];
    snprintf(buf, sizeof buf, "Statement %d", stmt->as.statement.order + 1);
    return strdup(buf);
}
