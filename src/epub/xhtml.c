/*
 * xhtml.c — the model as XHTML content documents (EPUB 3.3 §6, HTML
 * semantics with EPUB Structural Semantics and DPUB-ARIA roles, EPUB
 * Accessibility 1.1): one document per statement plus the title page, with a
 * page-break marker wherever a page of the PDF edition begins.
 */
#include "epub/epub_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct render {
    epub_book *b;
    epub_xml x;
    size_t doc;
    const pub_node *stmt;
    const char *lang; /* of the document */
    int n_heading, n_table;
    int seen_h2;
    const pub_node **notes; /* FOOTNOTE nodes of the statement */
    size_t n_notes;
    int *refs; /* per footnote: noterefs seen so far */
    int *referenced;
} render;

/* ------------------------------------------------------------ languages */

static int is_cyrillic_lang(const char *lang)
{
    static const char *const cyr[] = {"ru", "bg", "uk", "be", "sr",
                                      "mk", "kk", "ky", "tg", "mn"};
    for (size_t i = 0; i < sizeof cyr / sizeof cyr[0]; i++)
        if (lang != NULL && strncmp(lang, cyr[i], 2) == 0 &&
            (lang[2] == '\0' || lang[2] == '-'))
            return 1;
    return 0;
}

typedef struct script_stats {
    size_t latin, cyrillic;
    int ru, uk, be, bg, sr, other; /* letters telling a language apart */
} script_stats;

static void count_script(script_stats *st, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        int32_t c;
        size_t k = pub_utf8_decode((const unsigned char *)s + i, len - i, &c);
        if (k == 0) {
            i++;
            continue;
        }
        i += k;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
            (c >= 0x1E00 && c <= 0x1EFF))
            st->latin++;
        else if (c >= 0x400 && c <= 0x52F) {
            st->cyrillic++;
            switch (c) {
            case 0x42B:
            case 0x44B: /* Ы ы */
            case 0x42D:
            case 0x44D: /* Э э */
            case 0x401:
            case 0x451: /* Ё ё */
                st->ru++;
                break;
            case 0x404:
            case 0x454: /* Є є */
            case 0x407:
            case 0x457: /* Ї ї */
            case 0x490:
            case 0x491: /* Ґ ґ */
                st->uk++;
                break;
            case 0x406:
            case 0x456: /* І і: Ukrainian or Belarusian */
                st->uk++;
                st->be++;
                break;
            case 0x40E:
            case 0x45E: /* Ў ў */
                st->be += 2;
                break;
            case 0x42A:
            case 0x44A: /* Ъ ъ */
                st->bg++;
                break;
            case 0x402:
            case 0x452:
            case 0x408:
            case 0x458:
            case 0x409:
            case 0x459:
            case 0x40A:
            case 0x45A:
            case 0x40B:
            case 0x45B:
            case 0x40F:
            case 0x45F:
            case 0x403:
            case 0x453:
            case 0x40C:
            case 0x45C:
            case 0x405:
            case 0x455:
                st->sr++;
                break;
            default:
                if (c >= 0x460)
                    st->other++; /* Kazakh, Tajik, ... letters */
            }
        }
    }
}

/* A hint from an English name or a country: "Russian", "Bulgaria". Only
 * countries with one Cyrillic language count (in Ukraine, Belarus or
 * Kazakhstan a Cyrillic name may well be Russian). */
static const char *country_hint(const char *s)
{
    static const struct {
        const char *word, *lang;
    } h[] = {
        {"russia", "ru"},
        {"bulgaria", "bg"},
        {"serbia", "sr"},
        {"macedonia", "mk"},
    };
    if (s == NULL)
        return NULL;
    for (const char *p = s; *p; p++)
        for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
            if (strncasecmp(p, h[i].word, strlen(h[i].word)) == 0)
                return h[i].lang;
    return NULL;
}

/* The language of a mostly Cyrillic passage, or NULL when we cannot be
 * sure. Letters only one language uses decide; a country named next to the
 * passage decides when the letters do not contradict it. */
static const char *cyrillic_lang(const script_stats *st, const char *hint)
{
    if (st->cyrillic == 0 || st->cyrillic <= st->latin || st->other)
        return NULL;
    const char *by_letters = NULL;
    if (st->sr)
        return NULL; /* Serbian or Macedonian: not sure which */
    if (st->be >= 2 && st->ru + st->be > st->uk)
        by_letters = "be";
    else if (st->uk && !st->ru)
        by_letters = "uk";
    else if (st->ru && !st->uk && !st->be)
        by_letters = "ru";
    else if (st->bg && !st->ru && !st->uk && !st->be)
        by_letters = "bg";
    else if (st->ru || st->uk || st->be || st->bg)
        return NULL; /* contradicting letters */
    if (by_letters != NULL)
        return hint == NULL || strcmp(hint, by_letters) == 0 ? by_letters
                                                             : NULL;
    return hint;
}

/* Sets lang on n when text is mostly in another script than the
 * document's language and we know which language it is. */
static void mark_script(render *r, xmlNodePtr n, const char *s, size_t len,
                        const char *hint)
{
    if (s == NULL || is_cyrillic_lang(r->lang))
        return;
    script_stats st = {0};
    count_script(&st, s, len);
    const char *lang = cyrillic_lang(&st, hint);
    if (lang != NULL && strcmp(lang, r->lang) != 0)
        ex_lang(&r->x, n, lang);
}

/* English labels we add ourselves get lang="en" in other documents. */
static void mark_english(render *r, xmlNodePtr n)
{
    if (strcmp(r->lang, "en") != 0 && strncmp(r->lang, "en-", 3) != 0)
        ex_lang(&r->x, n, "en");
}

/* ---------------------------------------------------------- page marks */

void epub_pagebreak(epub_xml *x, xmlNodePtr parent, const epub_mark *m)
{
    char id[32];
    pub_snprintf(id, sizeof id, "page-%d", m->number);
    xmlNodePtr s = ex_el(x, parent, "span");
    ex_set(x, s, "id", id);
    ex_set_epub_type(x, s, "pagebreak");
    ex_set(x, s, "role", "doc-pagebreak");
    ex_set(x, s, "aria-label", m->label);
    ex_set(x, s, "title", m->label);
}

static void put_mark(render *r, xmlNodePtr parent, epub_mark *m)
{
    epub_pagebreak(&r->x, parent, m);
    m->placed = 1;
    m->doc = (int)r->doc;
    m->seq = epub_seq(r->b, r->doc);
}

/* Places every unplaced mark of block at offset 0 (or any offset when
 * all is set), in page order. */
static void marks_at_start(render *r, xmlNodePtr parent, const pub_node *block,
                           int all)
{
    if (block == NULL)
        return;
    const epub_mark_key *k;
    size_t c = epub_marks_of(r->b, block, 0, &k);
    for (size_t j = 0; j < c; j++) {
        epub_mark *m = &r->b->marks[k[j].i];
        if (!m->placed && (all || m->offset == 0))
            put_mark(r, parent, m);
    }
}

/* Marks of a block with offset > 0, sorted by offset (stable). */
static size_t marks_inside(render *r, const pub_node *block, epub_mark ***out)
{
    size_t n = 0;
    *out = NULL;
    const epub_mark_key *k;
    size_t c = epub_marks_of(r->b, block, 0, &k);
    for (size_t j = 0; j < c; j++)
        if (!r->b->marks[k[j].i].placed)
            n++;
    if (n == 0)
        return 0;
    epub_mark **v = malloc(n * sizeof *v);
    if (v == NULL) {
        r->x.failed = 1;
        return 0;
    }
    size_t w = 0;
    for (size_t j = 0; j < c; j++)
        if (!r->b->marks[k[j].i].placed)
            v[w++] = &r->b->marks[k[j].i];
    for (size_t i = 1; i < n; i++) { /* insertion sort keeps page order */
        epub_mark *m = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1]->offset > m->offset) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = m;
    }
    *out = v;
    return n;
}

/* ------------------------------------------------------------- inlines */

static long note_index(render *r, const char *label)
{
    for (size_t i = 0; label != NULL && i < r->n_notes; i++)
        if (r->notes[i]->as.note.label != NULL &&
            strcmp(r->notes[i]->as.note.label, label) == 0)
            return (long)i;
    return -1;
}

static void put_noteref(render *r, xmlNodePtr parent, const pub_node *n)
{
    epub_xml *x = &r->x;
    const char *label = n->as.note.label ? n->as.note.label : "";
    long i = note_index(r, n->as.note.label);
    if (i < 0) { /* a reference without its note: keep it as text */
        xmlNodePtr s = ex_el(x, parent, "span");
        ex_set(x, s, "class", "noteref");
        ex_puts(x, s, "[");
        ex_puts(x, s, label);
        ex_puts(x, s, "]");
        return;
    }
    char id[40], href[40];
    int k = r->refs[i]++;
    if (k == 0)
        pub_snprintf(id, sizeof id, "ref-%ld", i + 1);
    else
        pub_snprintf(id, sizeof id, "ref-%ld-%d", i + 1, k + 1);
    pub_snprintf(href, sizeof href, "#fn-%ld", i + 1);
    xmlNodePtr a = ex_el(x, parent, "a");
    ex_set(x, a, "id", id);
    ex_set(x, a, "href", href);
    ex_set(x, a, "class", "noteref");
    ex_set_epub_type(x, a, "noteref");
    ex_set(x, a, "role", "doc-noteref");
    ex_puts(x, a, label);
}

/* Writes the inline content of block into parent, splitting text where a
 * page of the PDF begins. */
static void render_inlines(render *r, xmlNodePtr parent, const pub_node *block)
{
    epub_xml *x = &r->x;
    epub_mark **m = NULL;
    size_t nm = marks_inside(r, block, &m), k = 0;
    size_t pos = 0;
    xmlNodePtr cur = parent;
    pub_iter it;
    pub_event ev;
    pub_iter_init(&it, block);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE && !x->failed) {
        const pub_node *n = pub_iter_node(&it);
        if (n == block)
            continue;
        if (ev == PUB_EVENT_EXIT) {
            if ((n->type == PUB_NODE_STRONG || n->type == PUB_NODE_EMPH) &&
                cur != parent)
                cur = cur->parent;
            continue;
        }
        switch (n->type) {
        case PUB_NODE_TEXT: {
            const char *s = n->as.text.data;
            size_t len = n->as.text.len, done = 0;
            while (k < nm && m[k]->offset < pos + len) {
                size_t off = m[k]->offset > pos ? m[k]->offset - pos : 0;
                while (off < len && (s[off] & 0xC0) == 0x80)
                    off++; /* never split a UTF-8 sequence */
                if (off > done)
                    ex_text(x, cur, s + done, off - done);
                done = off > done ? off : done;
                put_mark(r, cur, m[k++]);
            }
            ex_text(x, cur, s + done, len - done);
            pos += len;
            break;
        }
        case PUB_NODE_LINEBREAK:
            ex_el(x, cur, "br");
            ex_nl(x, cur);
            pos += 1;
            break;
        case PUB_NODE_NOTEREF:
            put_noteref(r, cur, n); /* spacing as written in the model */
            break;
        case PUB_NODE_STRONG:
            cur = ex_el(x, cur, "strong");
            break;
        case PUB_NODE_EMPH:
            cur = ex_el(x, cur, "em");
            break;
        default:
            break; /* nested blocks: their text still flows in */
        }
    }
    while (k < nm)
        put_mark(r, parent, m[k++]);
    free(m);
}

/* A block element with inline content; marks at offset 0 go before it. */
static xmlNodePtr inline_block(render *r, xmlNodePtr parent, const pub_node *n,
                               const char *el, const char *cls)
{
    marks_at_start(r, parent, n, 0);
    xmlNodePtr e = ex_el(&r->x, parent, el);
    if (cls != NULL)
        ex_set(&r->x, e, "class", cls);
    size_t len;
    char *text = pub_node_plain_text(n, &len);
    if (text == NULL)
        r->x.failed = 1;
    else
        mark_script(r, e, text, len, NULL);
    free(text);
    render_inlines(r, e, n);
    ex_nl(&r->x, parent);
    return e;
}

/* ------------------------------------------------------------------ toc */

int64_t epub_seq(epub_book *b, size_t doc)
{
    return ((int64_t)(doc + 1) << 32) | ++b->docs[doc].n_seq;
}

epub_toc *epub_last_toc(epub_book *b, size_t doc)
{
    epub_doc *D = &b->docs[doc];
    return D->n_toc ? &D->toc[D->n_toc - 1] : NULL;
}

pub_status epub_add_toc(epub_book *b, size_t doc, const char *title,
                        int level, const char *frag)
{
    pub_status status = PUB_OK;
    epub_doc *D = &b->docs[doc];
    char *t = strdup(title);
    CHECK_ALLOC(t);
    {
        void *v = D->toc;
        status = pub_array_grow(&v, D->n_toc, &D->cap_toc, sizeof *D->toc, 16);
        D->toc = v;
        CHECK(status);
    }
    epub_toc *e = &D->toc[D->n_toc++];
    memset(e, 0, sizeof *e);
    e->title = t;
    e->level = level;
    e->doc = (int)doc;
    pub_snprintf(e->frag, sizeof e->frag, "%s", frag);
    e->seq = epub_seq(b, doc);
    return PUB_OK;
fail:
    free(t);
    return status;
}

static pub_status add_toc(render *r, const pub_node *n, const char *fallback,
                          int level, const char *frag, const char *lang)
{
    epub_book *b = r->b;
    pub_status status = PUB_OK;
    char *title = NULL;
    if (n != NULL) {
        title = pub_node_plain_text(n, NULL);
        CHECK_ALLOC(title);
    } else {
        title = strdup(fallback);
        CHECK_ALLOC(title);
    }
    /* one line, no trailing colon, spaces folded */
    size_t w = 0;
    for (size_t i = 0; title[i]; i++) {
        char c = title[i] == '\n' || title[i] == '\t' ? ' ' : title[i];
        if (c == ' ' && (w == 0 || title[w - 1] == ' '))
            continue;
        title[w++] = c;
    }
    while (w > 0 && (title[w - 1] == ' ' || title[w - 1] == ':'))
        w--;
    title[w] = '\0';
    if (w == 0) {
        free(title);
        title = strdup(fallback);
        CHECK_ALLOC(title);
    }
    CHECK(epub_add_toc(b, r->doc, title, level, frag));
    epub_last_toc(b, r->doc)->lang = lang;
fail:
    free(title);
    return status;
}

/* ------------------------------------------------------------ headings */

static pub_status render_heading(render *r, xmlNodePtr parent,
                                 const pub_node *n)
{
    char id[40];
    pub_snprintf(id, sizeof id, "h-%d", ++r->n_heading);
    pub_status status = PUB_OK;
    CHECK(add_toc(r, n, "Section", 1, id, NULL));
    /* h2 for body headings; deeper ones h3, once an h2 stands above */
    int deeper = n->as.heading.level >= 2 && r->seen_h2 &&
                 (n->parent == NULL || n->parent->type != PUB_NODE_NOTES);
    xmlNodePtr h = inline_block(r, parent, n, deeper ? "h3" : "h2", NULL);
    r->seen_h2 |= !deeper;
    ex_set(&r->x, h, "id", id);
fail:
    return status;
}

/* --------------------------------------------------------------- lists */

static void render_list(render *r, xmlNodePtr parent, const pub_node *list)
{
    epub_xml *x = &r->x;
    marks_at_start(r, parent, list, 0);
    xmlNodePtr ol = ex_el(x, parent, list->as.list.ordered ? "ol" : "ul");
    ex_set(x, ol, "class", "list");
    ex_nl(x, ol);
    for (const pub_node *it = list->first_child; it && !x->failed;
         it = it->next) {
        xmlNodePtr li = ex_el(x, ol, "li");
        marks_at_start(r, li, it, 0);
        if (it->type == PUB_NODE_LIST_ITEM && it->as.item.marker != NULL) {
            xmlNodePtr mk = ex_el(x, li, "span");
            ex_set(x, mk, "class", "marker");
            ex_puts(x, mk, it->as.item.marker);
            ex_puts(x, li, " ");
        }
        render_inlines(r, li, it);
        ex_nl(x, ol);
    }
    ex_nl(x, parent);
}

/* ---------------------------------------------------------- signatories */

static int has_text(const char *s)
{
    return s != NULL && *s != '\0';
}

static void cell_text(render *r, xmlNodePtr cell, const char *s,
                      const char *hint)
{
    if (!has_text(s))
        return;
    script_stats st = {0};
    count_script(&st, s, strlen(s));
    if (!is_cyrillic_lang(r->lang) && st.cyrillic > st.latin) {
        const char *lang = cyrillic_lang(&st, hint);
        if (lang != NULL) {
            xmlNodePtr span = ex_el(&r->x, cell, "span");
            ex_lang(&r->x, span, lang);
            ex_puts(&r->x, span, s);
            return;
        }
    }
    ex_puts(&r->x, cell, s);
}

static int starts_with_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static xmlNodePtr head_cell(render *r, xmlNodePtr tr, const char *text,
                            const char *cls)
{
    xmlNodePtr th = ex_el_text(&r->x, tr, "th", text);
    ex_set(&r->x, th, "scope", "col");
    ex_set(&r->x, th, "class", cls);
    return th;
}

/* The language hint of a signatory: its whole text decides the letters,
 * its country or English name the country. */
static const char *signatory_hint(const pub_signatory *s)
{
    script_stats st = {0};
    const char *parts[] = {s->abbr, s->name};
    for (size_t i = 0; i < 2; i++)
        if (parts[i] != NULL)
            count_script(&st, parts[i], strlen(parts[i]));
    if (st.cyrillic == 0)
        return NULL; /* no Cyrillic: nothing to hint at */
    const char *hint = country_hint(s->country);
    if (hint == NULL)
        hint = country_hint(s->english);
    st.latin = 0; /* letters of the Cyrillic parts only */
    return cyrillic_lang(&st, hint);
}

/* Writes what stands between two names in the entry as written ("and",
 * "et", ", "), or ", " when the entry does not tell. */
static void put_between(epub_xml *x, xmlNodePtr cell, const char **at,
                        const char *prev, const char *next)
{
    const char *a = *at ? strstr(*at, prev) : NULL;
    const char *b = a ? strstr(a + strlen(prev), next) : NULL;
    if (a == NULL || b == NULL || b - (a + strlen(prev)) > 12) {
        ex_puts(x, cell, ", ");
        return;
    }
    a += strlen(prev);
    while (a < b && (*a == '*' || *a == ' '))
        a++; /* no "**" of bold names, no doubled spaces */
    const char *e = b;
    while (e > a && (e[-1] == '*' || e[-1] == ' '))
        e--;
    ex_puts(x, cell, a < e && *(a - 1) == ' ' ? " " : "");
    ex_text(x, cell, a, (size_t)(e - a));
    ex_puts(x, cell, " ");
    *at = b;
}

static int same_org(const pub_signatory *a, const pub_signatory *b)
{
    return has_text(a->on_behalf_of) && has_text(b->on_behalf_of) &&
           strcmp(a->on_behalf_of, b->on_behalf_of) == 0;
}

static void render_signatories(render *r, xmlNodePtr parent,
                               const pub_node *sec)
{
    epub_xml *x = &r->x;
    int behalf = sec->as.section.on_behalf;
    int c_num = 0, c_abbr = 0, c_country = 0, c_org = 0, c_role = 0,
        c_persons = 0;
    for (const pub_node *c = sec->first_child; c; c = c->next) {
        if (c->type != PUB_NODE_SIGNATORY)
            continue;
        const pub_signatory *s = &c->as.signatory;
        if (has_text(s->on_behalf_of) || has_text(s->role) || s->n_persons)
            behalf = 1;
        c_num |= has_text(s->number);
        c_abbr |= s->split_ok && has_text(s->abbr);
        c_country |= s->split_ok && has_text(s->country);
        c_org |= has_text(s->on_behalf_of);
        c_role |= has_text(s->role);
        c_persons |= s->n_persons > 0;
    }
    char id[40];
    pub_snprintf(id, sizeof id, "sig-%d", ++r->n_table);
    const char *fallback = behalf ? "Signatures" : "Signatories";
    if (add_toc(r, NULL, fallback, 1, id, NULL) != PUB_OK) {
        x->failed = 1;
        return;
    }
    if (has_text(sec->as.section.heading)) { /* the TOC names the heading */
        epub_toc *last = epub_last_toc(r->b, r->doc);
        free(last->title);
        last->title = NULL;
        char *t = strdup(sec->as.section.heading);
        if (t == NULL) {
            x->failed = 1;
            return;
        }
        size_t w = strlen(t);
        while (w > 0 && (t[w - 1] == ':' || t[w - 1] == ' '))
            t[--w] = '\0';
        last->title = t;
    }

    marks_at_start(r, parent, sec, 0);
    xmlNodePtr table = ex_el(x, parent, "table");
    ex_set(x, table, "id", id);
    ex_set(x, table, "class", behalf ? "signatories behalf" : "signatories");
    ex_nl(x, table);
    xmlNodePtr cap = ex_el(x, table, "caption");
    xmlNodePtr h = ex_el(x, cap, "h2");
    r->seen_h2 = 1;
    if (has_text(sec->as.section.heading)) {
        ex_puts(x, h, sec->as.section.heading);
    } else {
        ex_puts(x, h, fallback);
        mark_english(r, h);
    }
    ex_nl(x, table);

    xmlNodePtr thead = ex_el(x, table, "thead");
    mark_english(r, thead);
    xmlNodePtr tr = ex_el(x, thead, "tr");
    if (behalf) {
        if (c_org || !(c_role || c_persons))
            head_cell(r, tr, "Organisation", "org");
        if (c_role)
            head_cell(r, tr, "Position", "role");
        if (c_persons)
            head_cell(r, tr, "Name", "persons");
    } else {
        if (c_num)
            head_cell(r, tr, "No.", "num");
        if (c_abbr)
            head_cell(r, tr, "Abbreviation", "abbr");
        head_cell(r, tr, "Organisation", "name");
        if (c_country)
            head_cell(r, tr, "Country", "country");
    }
    ex_nl(x, table);

    xmlNodePtr tbody = NULL;
    for (const pub_node *c = sec->first_child; c && !x->failed; c = c->next) {
        if (c->type != PUB_NODE_SIGNATORY)
            continue;
        const pub_signatory *s = &c->as.signatory;
        /* "On behalf of" blocks: one row group per organisation */
        int new_group =
            tbody == NULL || (behalf && (c->prev == NULL ||
                                         c->prev->type != PUB_NODE_SIGNATORY ||
                                         !same_org(&c->prev->as.signatory, s)));
        if (new_group) {
            if (tbody != NULL)
                ex_nl(x, table);
            tbody = ex_el(x, table, "tbody");
            ex_nl(x, tbody);
        }
        tr = ex_el(x, tbody, "tr");
        const epub_sig *row = epub_sig_of(r->b, c);
        if (row != NULL) { /* the index of signatories links here */
            char rid[24];
            epub_sig_id(row, rid, sizeof rid);
            ex_set(x, tr, "id", rid);
        }
        xmlNodePtr first = NULL;
        if (behalf) {
            /* one organisation heads the rows of its block */
            int nothing = !has_text(s->on_behalf_of) && !has_text(s->role) &&
                          s->n_persons == 0;
            if ((c_org || !(c_role || c_persons)) && new_group) {
                int span = 1;
                for (const pub_node *d = c->next;
                     d && d->type == PUB_NODE_SIGNATORY &&
                     same_org(&d->as.signatory, s);
                     d = d->next)
                    span++;
                xmlNodePtr th = first = ex_el(x, tr, "th");
                ex_set(x, th, "scope", span > 1 ? "rowgroup" : "row");
                ex_set(x, th, "class", "org");
                if (span > 1) {
                    char sp[16];
                    pub_snprintf(sp, sizeof sp, "%d", span);
                    ex_set(x, th, "rowspan", sp);
                }
                marks_at_start(r, th, c, 1);
                if (has_text(s->on_behalf_of)) {
                    if (!starts_with_ci(s->on_behalf_of, "on behalf of"))
                        ex_puts(x, th, "On behalf of ");
                    cell_text(r, th, s->on_behalf_of, NULL);
                } else if (nothing && has_text(s->raw)) {
                    cell_text(r, th, s->raw, NULL);
                }
            }
            if (c_role) {
                xmlNodePtr td = ex_el(x, tr, "td");
                ex_set(x, td, "class", "role");
                if (first == NULL)
                    marks_at_start(r, first = td, c, 1);
                cell_text(r, td, s->role, NULL);
            }
            if (c_persons) {
                xmlNodePtr td = ex_el(x, tr, "td");
                ex_set(x, td, "class", "persons");
                if (first == NULL)
                    marks_at_start(r, first = td, c, 1);
                const char *at = s->raw;
                for (size_t i = 0; i < s->n_persons; i++) {
                    if (i > 0)
                        put_between(x, td, &at, s->persons[i - 1],
                                    s->persons[i]);
                    xmlNodePtr p = ex_el(x, td, "span");
                    ex_set(x, p, "class", "person");
                    cell_text(r, p, s->persons[i], NULL);
                }
            }
        } else {
            const char *hint = signatory_hint(s);
            if (c_num) {
                xmlNodePtr td = first = ex_el(x, tr, "td");
                ex_set(x, td, "class", "num");
                marks_at_start(r, td, c, 1);
                if (has_text(s->number)) {
                    ex_puts(x, td, s->number);
                    ex_puts(x, td, ".");
                }
            }
            /* the name heads the row; without one, the abbreviation */
            int named = s->split_ok
                            ? has_text(s->name) || has_text(s->english) ||
                                  (!c_abbr && has_text(s->abbr))
                            : has_text(s->raw);
            int abbr_heads = !named && s->split_ok && has_text(s->abbr);
            if (c_abbr) {
                xmlNodePtr td = ex_el(x, tr, abbr_heads ? "th" : "td");
                if (abbr_heads)
                    ex_set(x, td, "scope", "row");
                ex_set(x, td, "class", "abbr");
                if (first == NULL)
                    marks_at_start(r, first = td, c, 1);
                if (s->split_ok)
                    cell_text(r, td, s->abbr, hint);
            }
            xmlNodePtr th = ex_el(x, tr, named ? "th" : "td");
            if (named)
                ex_set(x, th, "scope", "row");
            ex_set(x, th, "class", "name");
            if (first == NULL)
                marks_at_start(r, first = th, c, 1);
            if (!s->split_ok) {
                cell_text(r, th, s->raw, hint);
            } else {
                if (has_text(s->name)) {
                    xmlNodePtr o = ex_el(x, th, "span");
                    ex_set(x, o, "class", "orig");
                    cell_text(r, o, s->name, hint);
                } else if (!c_abbr && has_text(s->abbr)) {
                    cell_text(r, th, s->abbr, hint);
                }
                if (has_text(s->english)) {
                    if (has_text(s->name))
                        ex_puts(x, th, " ");
                    /* the translation is in the statement's language
                     * (English in an English statement), so no lang */
                    xmlNodePtr e = ex_el(x, th, "span");
                    ex_set(x, e, "class", "translation");
                    ex_puts(x, e, s->english);
                }
            }
            if (c_country) {
                xmlNodePtr td = ex_el(x, tr, "td");
                ex_set(x, td, "class", "country");
                if (s->split_ok)
                    cell_text(r, td, s->country, NULL);
            }
        }
        ex_nl(x, tbody);
    }
    ex_nl(x, parent);
}

/* --------------------------------------------------------------- notes */

static void render_footnote(render *r, xmlNodePtr parent, const pub_node *n)
{
    epub_xml *x = &r->x;
    long i = note_index(r, n->as.note.label);
    xmlNodePtr aside = ex_el(x, parent, "aside");
    if (i >= 0 && r->notes[i] == n) {
        char id[40];
        pub_snprintf(id, sizeof id, "fn-%ld", i + 1);
        ex_set(x, aside, "id", id);
    }
    ex_set(x, aside, "class", "footnote");
    ex_set_epub_type(x, aside, "footnote");
    ex_set(x, aside, "role", "doc-footnote");
    xmlNodePtr p = ex_el(x, aside, "p");
    marks_at_start(r, p, n, 0);
    if (n->as.note.label != NULL) {
        if (i >= 0 && r->notes[i] == n && r->referenced[i]) {
            char href[40];
            pub_snprintf(href, sizeof href, "#ref-%ld", i + 1);
            xmlNodePtr a = ex_el(x, p, "a");
            ex_set(x, a, "href", href);
            ex_set(x, a, "class", "backlink");
            ex_set_epub_type(x, a, "backlink");
            ex_set(x, a, "role", "doc-backlink");
            ex_puts(x, a, n->as.note.label);
        } else {
            xmlNodePtr s = ex_el(x, p, "span");
            ex_set(x, s, "class", "label");
            ex_puts(x, s, n->as.note.label);
        }
        ex_puts(x, p, " ");
    }
    render_inlines(r, p, n);
    ex_nl(x, parent);
}

/* --------------------------------------------------------------- blocks */

static pub_status render_block(render *r, xmlNodePtr parent, const pub_node *n)
{
    epub_xml *x = &r->x;
    pub_status status = PUB_OK;
    switch (n->type) {
    case PUB_NODE_KICKER:
        inline_block(r, parent, n, "p", "kicker");
        break;
    case PUB_NODE_TITLE: {
        xmlNodePtr h = inline_block(r, parent, n, "h1", NULL);
        ex_set(x, h, "id", "title");
        break;
    }
    case PUB_NODE_SUBTITLE: {
        xmlNodePtr p = inline_block(r, parent, n, "p", "subtitle");
        ex_set(x, p, "role", "doc-subtitle");
        break;
    }
    case PUB_NODE_BYLINE:
        inline_block(r, parent, n, "p", "byline");
        break;
    case PUB_NODE_DATELINE:
        inline_block(r, parent, n, "p", "dateline");
        break;
    case PUB_NODE_SALUTATION:
        inline_block(r, parent, n, "p", "salutation");
        break;
    case PUB_NODE_HEADING:
        CHECK(render_heading(r, parent, n));
        break;
    case PUB_NODE_SLOGAN:
        inline_block(r, parent, n, "p", "slogan");
        break;
    case PUB_NODE_LIST:
        render_list(r, parent, n);
        break;
    case PUB_NODE_CLOSING:
        inline_block(r, parent, n, "p", "closing");
        break;
    case PUB_NODE_SIGNOFF:
        inline_block(r, parent, n, "p", "signoff");
        break;
    case PUB_NODE_SIGNATORY_SECTION:
        render_signatories(r, parent, n);
        break;
    case PUB_NODE_NOTES: {
        marks_at_start(r, parent, n, 0);
        xmlNodePtr div = ex_el(x, parent, "div");
        ex_set(x, div, "class", "notes");
        ex_nl(x, div);
        for (const pub_node *c = n->first_child; c; c = c->next) {
            if (c->type == PUB_NODE_FOOTNOTE)
                render_footnote(r, div, c);
            else
                CHECK(render_block(r, div, c));
        }
        ex_nl(x, parent);
        break;
    }
    case PUB_NODE_FOOTNOTE:
        render_footnote(r, parent, n);
        break;
    case PUB_NODE_LETTERHEAD:
        inline_block(r, parent, n, "p", "letterhead");
        break;
    default:
        inline_block(r, parent, n, "p", NULL);
        break;
    }
fail:
    return status;
}

static int is_header_block(pub_node_type t)
{
    return t == PUB_NODE_LETTERHEAD || t == PUB_NODE_KICKER ||
           t == PUB_NODE_TITLE || t == PUB_NODE_SUBTITLE ||
           t == PUB_NODE_BYLINE || t == PUB_NODE_DATELINE;
}

/* The letterhead lines as one block; the language of their Cyrillic
 * lines is decided from all of them together. */
static const pub_node *render_letterhead(render *r, xmlNodePtr parent,
                                         const pub_node *n)
{
    epub_xml *x = &r->x;
    script_stats all = {0};
    const pub_node *c;
    for (c = n; c && c->type == PUB_NODE_LETTERHEAD; c = c->next) {
        size_t len;
        char *t = pub_node_plain_text(c, &len);
        if (t == NULL) {
            x->failed = 1;
            return NULL;
        }
        script_stats st = {0};
        count_script(&st, t, len);
        if (st.cyrillic > st.latin) { /* evidence from Cyrillic lines */
            all.cyrillic += st.cyrillic;
            all.ru += st.ru;
            all.uk += st.uk;
            all.be += st.be;
            all.bg += st.bg;
            all.sr += st.sr;
            all.other += st.other;
        }
        free(t);
    }
    const char *lang =
        is_cyrillic_lang(r->lang) ? NULL : cyrillic_lang(&all, NULL);
    xmlNodePtr div = ex_el(x, parent, "div");
    ex_set(x, div, "class", "letterhead");
    ex_nl(x, div);
    for (c = n; c && c->type == PUB_NODE_LETTERHEAD && !x->failed;
         c = c->next) {
        marks_at_start(r, div, c, 0);
        xmlNodePtr p = ex_el(x, div, "p");
        size_t len;
        char *t = pub_node_plain_text(c, &len);
        if (t == NULL) {
            x->failed = 1;
            return NULL;
        }
        script_stats st = {0};
        count_script(&st, t, len);
        free(t);
        if (lang != NULL && st.cyrillic > st.latin)
            ex_lang(x, p, lang);
        render_inlines(r, p, c);
        ex_nl(x, div);
    }
    ex_nl(x, parent);
    return c;
}

static pub_status collect_notes(render *r)
{
    pub_status status = PUB_OK;
    size_t n = 0;
    pub_iter it;
    pub_event ev;
    pub_iter_init(&it, r->stmt);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE)
        if (ev == PUB_EVENT_ENTER &&
            pub_iter_node(&it)->type == PUB_NODE_FOOTNOTE)
            n++;
    if (n == 0)
        return PUB_OK;
    r->notes = calloc(n, sizeof *r->notes);
    r->refs = calloc(n, sizeof *r->refs);
    r->referenced = calloc(n, sizeof *r->referenced);
    CHECK_ALLOC(r->notes);
    CHECK_ALLOC(r->refs);
    CHECK_ALLOC(r->referenced);
    pub_iter_init(&it, r->stmt);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE)
        if (ev == PUB_EVENT_ENTER &&
            pub_iter_node(&it)->type == PUB_NODE_FOOTNOTE)
            r->notes[r->n_notes++] = pub_iter_node(&it);
    pub_iter_init(&it, r->stmt);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        const pub_node *c = pub_iter_node(&it);
        if (ev == PUB_EVENT_ENTER && c->type == PUB_NODE_NOTEREF) {
            long i = note_index(r, c->as.note.label);
            if (i >= 0)
                r->referenced[i] = 1;
        }
    }
fail:
    return status;
}

static void free_render(render *r)
{
    ex_discard(&r->x);
    free(r->notes);
    free(r->refs);
    free(r->referenced);
}

xmlNodePtr epub_head(epub_xml *x, xmlNodePtr html, const char *title,
                     const char *css_href)
{
    xmlNodePtr head = ex_el(x, html, "head");
    xmlNodePtr meta = ex_el(x, head, "meta");
    ex_set(x, meta, "charset", "utf-8");
    ex_el_text(x, head, "title", title);
    xmlNodePtr link = ex_el(x, head, "link");
    ex_set(x, link, "rel", "stylesheet");
    ex_set(x, link, "type", "text/css");
    ex_set(x, link, "href", css_href);
    return head;
}

static xmlNodePtr head_of(render *r, xmlNodePtr html, const char *title,
                          const char *css_href)
{
    return epub_head(&r->x, html, title, css_href);
}

pub_status epub_xhtml_statement(epub_book *b, size_t doc, epub_region *mem,
                                pub_ctx *ctx)
{
    pub_status status = PUB_OK;
    render r = {.b = b, .doc = doc, .x = {.mem = mem}};
    epub_doc *D = &b->docs[doc];
    epub_xml *x = &r.x;
    char *title = NULL;
    r.stmt = D->stmt;
    r.lang = D->lang;
    CHECK(collect_notes(&r));
    CHECK(epub_statement_title(r.stmt, &title));
    CHECK(add_toc(&r, NULL, title, 0, "", NULL));

    xmlNodePtr html = ex_begin_xhtml(x, r.lang);
    xmlNodePtr head = head_of(&r, html, title, "../css/publish.css");
    const pub_statement_info *si = &r.stmt->as.statement;
    if (si->date[0]) {
        xmlNodePtr m = ex_el(x, head, "meta");
        ex_set(x, m, "name", "dcterms.date");
        ex_set(x, m, "content", si->date);
    }
    xmlNodePtr body = ex_el(x, html, "body");
    ex_set_epub_type(x, body, "bodymatter");
    ex_nl(x, body);
    xmlNodePtr sec = ex_el(x, body, "section");
    ex_set(x, sec, "id", "statement");
    ex_set(x, sec, "class", "statement");
    ex_set_epub_type(x, sec, "chapter");
    ex_set(x, sec, "role", "doc-chapter");
    if (pub_statement_find(r.stmt, PUB_NODE_TITLE) != NULL)
        ex_set(x, sec, "aria-labelledby", "title");
    else
        ex_set(x, sec, "aria-label", title);
    ex_nl(x, sec);
    { /* pages opening the statement */
        const epub_mark_key *k;
        size_t c = epub_marks_of(b, r.stmt, 1, &k);
        for (size_t j = 0; j < c; j++)
            if (!b->marks[k[j].i].placed)
                put_mark(&r, sec, &b->marks[k[j].i]);
    }
    ex_nl(x, sec);

    const pub_node *c = r.stmt->first_child;
    if (c != NULL && is_header_block(c->type)) {
        xmlNodePtr header = ex_el(x, sec, "header");
        ex_nl(x, header);
        while (c != NULL && is_header_block(c->type) && !x->failed) {
            if (c->type == PUB_NODE_LETTERHEAD)
                c = render_letterhead(&r, header, c);
            else {
                CHECK(render_block(&r, header, c));
                c = c->next;
            }
        }
        ex_nl(x, sec);
    }
    for (; c != NULL && !x->failed; c = c->next)
        CHECK(render_block(&r, sec, c));
    ex_nl(x, body);
    CHECK(ex_finish(x, ctx, 0, &D->data, &D->len));
fail:
    free(title);
    free_render(&r);
    return status;
}

/* "21 June 2021" from "2021-06-21", as the PDF's cover writes it. */
static void long_date(const char *iso, char *out, size_t n)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        pub_snprintf(out, n, "%d %s %d", d, months[m - 1], y);
    else
        pub_snprintf(out, n, "%s", iso);
}

/* A paragraph of the title page: "class" and one line of text. */
static xmlNodePtr title_line(render *r, xmlNodePtr sec, const char *cls,
                             const char *text)
{
    xmlNodePtr p = ex_el_text(&r->x, sec, "p", text);
    ex_set(&r->x, p, "class", cls);
    ex_nl(&r->x, sec);
    return p;
}

pub_status epub_xhtml_titlepage(epub_book *b, size_t doc)
{
    pub_status status = PUB_OK;
    render r = {.b = b, .doc = doc};
    epub_doc *D = &b->docs[doc];
    epub_xml *x = &r.x;
    const pub_dossier_info *info = pub_dossier_get_info(b->d);
    char line[256];
    r.lang = D->lang;
    xmlNodePtr html = ex_begin_xhtml(x, r.lang);
    head_of(&r, html, b->title, "css/publish.css");
    xmlNodePtr body = ex_el(x, html, "body");
    ex_set_epub_type(x, body, "frontmatter");
    ex_nl(x, body);
    xmlNodePtr sec = ex_el(x, body, "section");
    ex_set(x, sec, "id", "titlepage");
    ex_set(x, sec, "class", "titlepage");
    ex_set_epub_type(x, sec, "titlepage");
    ex_set(x, sec, "aria-labelledby", "book-title");
    ex_nl(x, sec);
    for (size_t i = 0; i < b->n_marks; i++) { /* front matter pages */
        epub_mark *m = &b->marks[i];
        if (!m->placed && m->block == NULL && m->stmt == NULL && !m->front &&
            !m->back)
            put_mark(&r, sec, m);
    }
    xmlNodePtr h = ex_el_text(x, sec, "h1", b->title);
    ex_set(x, h, "id", "book-title");
    ex_nl(x, sec);
    if (info != NULL && has_text(info->subtitle)) {
        xmlNodePtr p = title_line(&r, sec, "subtitle", info->subtitle);
        ex_set(x, p, "role", "doc-subtitle");
    }
    if (b->first_date[0] && b->date[0] && !b->dated_title) {
        xmlNodePtr p = ex_el(x, sec, "p");
        ex_set(x, p, "class", "dates");
        char when[40];
        long_date(b->first_date, when, sizeof when);
        xmlNodePtr t = ex_el_text(x, p, "time", when);
        ex_set(x, t, "datetime", b->first_date);
        if (strcmp(b->first_date, b->date) != 0) {
            ex_puts(x, p, " \u2013 ");
            long_date(b->date, when, sizeof when);
            t = ex_el_text(x, p, "time", when);
            ex_set(x, t, "datetime", b->date);
        }
        ex_nl(x, sec);
    }
    if (info != NULL && has_text(info->compiler)) {
        xmlNodePtr p = title_line(&r, sec, "compiler", "Compiled by ");
        mark_english(&r, p);
        ex_puts(x, p, info->compiler);
    }
    if (info != NULL && has_text(info->publisher))
        title_line(&r, sec, "publisher", info->publisher);
    size_t n = pub_dossier_count(b->d);
    pub_snprintf(line, sizeof line, "%zu statement%s", n, n == 1 ? "" : "s");
    if (b->ix != NULL) {
        size_t len = strlen(line);
        pub_snprintf(line + len, sizeof line - len, ", %zu signator%s",
                 b->n_signed_orgs, b->n_signed_orgs == 1 ? "y" : "ies");
        len = strlen(line);
        if (b->n_signed_persons > 0)
            pub_snprintf(line + len, sizeof line - len,
                     " and %zu person%s signing on their behalf",
                     b->n_signed_persons, b->n_signed_persons == 1 ? "" : "s");
    }
    mark_english(&r, title_line(&r, sec, "counts", line));
    /* the build date: SOURCE_DATE_EPOCH, else the newest statement date */
    char day[11];
    pub_snprintf(day, sizeof day, "%.10s", b->modified);
    xmlNodePtr p = title_line(&r, sec, "build", "Built on ");
    mark_english(&r, p);
    xmlNodePtr t = ex_el_text(x, p, "time", day);
    ex_set(x, t, "datetime", day);
    ex_puts(x, p, " with publish " PUB_VERSION);
    ex_nl(x, body);
    CHECK(ex_finish(x, b->ctx, 0, &D->data, &D->len));
fail:
    free_render(&r);
    return status;
}
