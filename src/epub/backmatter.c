/*
 * backmatter.c — the EPUB's back matter, mirroring the PDF dossier's: the
 * index of signatories (EPUB Indexes 1.0 semantics, DPUB-ARIA doc-index),
 * the signatory matrix as a data table (WCAG 2.1 1.3.1: caption, scoped
 * headers, the mark as text) and the provenance appendix (colophon).
 */
#include "epub/epub_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The back matter's own words are English; names keep their language. */
#define BACK_LANG "en"

typedef struct back {
    epub_book *b;
    epub_xml x;
    size_t doc;
    char *const *titles; /* statement titles, one line each (b->stmt_titles) */
} back;

static int has_text(const char *s)
{
    return s != NULL && *s != '\0';
}

static void back_free(back *k)
{
    ex_discard(&k->x);
}

static pub_status load_titles(back *k)
{
    k->titles = k->b->stmt_titles;
    return PUB_OK;
}

/* The PDF pages that print this part of the back matter, marked where the
 * part begins (a part the EPUB lacks gives its pages to the next one). */
static void back_marks(back *k, xmlNodePtr parent)
{
    epub_book *b = k->b;
    for (size_t i = 0; i < b->n_marks; i++) {
        epub_mark *m = &b->marks[i];
        /* only this document's marks: others' `placed` may be being
         * written by the thread building their document */
        if (!m->back || m->target != k->doc || m->placed)
            continue;
        epub_pagebreak(&k->x, parent, m);
        m->placed = 1;
        m->doc = (int)k->doc;
        m->seq = epub_seq(b, k->doc);
    }
}

/* <html>, <head>, <body epub:type="backmatter"> and the part's section
 * with its h1; returns the section. */
static xmlNodePtr back_begin(back *k, const char *id, const char *cls,
                             const char *type, const char *role,
                             const char *heading)
{
    epub_xml *x = &k->x;
    char hid[48];
    pub_snprintf(hid, sizeof hid, "%s-title", id);
    xmlNodePtr html = ex_begin_xhtml(x, BACK_LANG);
    epub_head(x, html, heading, "../css/publish.css");
    xmlNodePtr body = ex_el(x, html, "body");
    ex_set_epub_type(x, body, "backmatter");
    ex_nl(x, body);
    xmlNodePtr sec = ex_el(x, body, "section");
    ex_set(x, sec, "id", id);
    ex_set(x, sec, "class", cls);
    ex_set_epub_type(x, sec, type);
    ex_set(x, sec, "role", role);
    ex_set(x, sec, "aria-labelledby", hid);
    ex_nl(x, sec);
    back_marks(k, sec);
    xmlNodePtr h = ex_el_text(x, sec, "h1", heading);
    ex_set(x, h, "id", hid);
    ex_nl(x, sec);
    ex_nl(x, body);
    return sec;
}

/* Text in its own language when that is not the document's. */
static void text_in(back *k, xmlNodePtr parent, const char *el,
                    const char *cls, const char *text, const char *lang)
{
    xmlNodePtr s = ex_el_text(&k->x, parent, el, text);
    if (cls != NULL)
        ex_set(&k->x, s, "class", cls);
    if (lang != NULL && strcmp(lang, BACK_LANG) != 0)
        ex_lang(&k->x, s, lang);
}

/* The paragraph under a part's heading that says what the part holds. */
static void lead(back *k, xmlNodePtr sec, const char *text)
{
    xmlNodePtr p = ex_el_text(&k->x, sec, "p", text);
    ex_set(&k->x, p, "class", "lead");
    ex_nl(&k->x, sec);
}

static const char *sig_lang(const back *k, const pub_node *sig)
{
    const pub_node *st = sig ? pub_node_statement(sig) : NULL;
    return st ? epub_statement_lang(k->b, st) : NULL;
}

/* ---------------------------------------------------------------- index */

/* The link to organisation o's index entry from document k->doc. */
static void org_href(const back *k, const pub_org *o, char *out, size_t n)
{
    const epub_book *b = k->b;
    size_t doc = b->org_doc ? b->org_doc[o - b->ix->orgs] : 0;
    const char *file = doc ? strrchr(b->docs[doc].href, '/') : NULL;
    if (doc == k->doc || file == NULL) /* the same document (or none) */
        pub_snprintf(out, n, "#org-%d", o->id);
    else /* index documents sit beside the others in text/ */
        pub_snprintf(out, n, "%s#org-%d", file + 1, o->id);
}

/* The first letter or digit of s, without accents and in capitals
 * ("école" -> "E"), as UTF-8; "" when s has none. */
static void initial(const char *s, char out[8])
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(s ? s : "");
    utf8proc_int32_t c;
    utf8proc_ssize_t n;
    out[0] = '\0';
    while ((n = utf8proc_iterate(p, -1, &c)) > 0 && c != 0) {
        p += n;
        utf8proc_category_t cat = utf8proc_category(c);
        if (!(cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) &&
            cat != UTF8PROC_CATEGORY_ND)
            continue;
        utf8proc_int32_t d[8];
        int bound = 0;
        if (utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK,
                                    &bound) > 0)
            c = d[0];
        out[utf8proc_encode_char(utf8proc_toupper(c), (utf8proc_uint8_t *)out)] = '\0';
        return;
    }
}

/* The list of places a name signed: statement title (a link to the
 * signature row), its date, and the PDF page. */
static void locators(back *k, xmlNodePtr entry, const pub_node *const *sigs,
                     size_t n)
{
    epub_xml *x = &k->x;
    epub_book *b = k->b;
    xmlNodePtr ul = ex_el(x, entry, "ul");
    ex_set(x, ul, "class", "locators");
    for (size_t i = 0; i < n && !x->failed; i++) {
        const epub_sig *s = epub_sig_of(b, sigs[i]);
        if (s == NULL || s->doc < 2 || (size_t)s->doc >= 2 + b->n_stmt_docs)
            continue;
        const epub_doc *D = &b->docs[s->doc];
        char id[24], href[96];
        epub_sig_id(s, id, sizeof id);
        /* statement documents sit beside this one in text/ */
        const char *file = strrchr(D->href, '/');
        pub_snprintf(href, sizeof href, "%s#%s", file ? file + 1 : D->href, id);
        xmlNodePtr li = ex_el(x, ul, "li");
        xmlNodePtr a = ex_el(x, li, "a");
        ex_set(x, a, "href", href);
        ex_set_epub_type(x, a, "index-locator");
        text_in(k, a, "span", NULL, k->titles[s->doc - 2], D->lang);
        const char *date = D->stmt->as.statement.date;
        if (date[0]) {
            ex_puts(x, li, ", ");
            xmlNodePtr t = ex_el_text(x, li, "time", date);
            ex_set(x, t, "datetime", date);
        }
        if (s->mark >= 0 && (size_t)s->mark < b->n_marks) {
            ex_puts(x, li, ", ");
            xmlNodePtr p = ex_el(x, li, "span");
            ex_set(x, p, "class", "page");
            ex_puts(x, p, "p.\u00a0");
            ex_puts(x, p, b->marks[s->mark].label);
        }
    }
}

static void org_entry(back *k, xmlNodePtr list, const pub_org *o)
{
    epub_xml *x = &k->x;
    char id[24];
    pub_snprintf(id, sizeof id, "org-%d", o->id);
    const char *lang = sig_lang(k, o->signatures[0]);
    xmlNodePtr li = ex_el(x, list, "li");
    ex_set(x, li, "id", id);
    ex_set(x, li, "class", "entry");
    ex_set_epub_type(x, li, "index-entry");
    xmlNodePtr term = ex_el(x, li, "p");
    ex_set(x, term, "class", "term");
    xmlNodePtr t = ex_el(x, term, "span");
    ex_set_epub_type(x, t, "index-term");
    if (has_text(o->abbr)) {
        text_in(k, t, "span", "abbr", o->abbr, lang);
        if (has_text(o->name) || has_text(o->english))
            ex_puts(x, t, " ");
    }
    if (has_text(o->name))
        text_in(k, t, "span", "orig", o->name, lang);
    if (has_text(o->english) &&
        (!has_text(o->name) || strcmp(o->english, o->name) != 0)) {
        if (has_text(o->name))
            ex_puts(x, t, " ");
        xmlNodePtr e = ex_el(x, t, "span");
        ex_set(x, e, "class", "translation");
        ex_puts(x, e, "(");
        ex_puts(x, e, o->english);
        ex_puts(x, e, ")");
    }
    if (has_text(o->country)) {
        ex_puts(x, term, ", ");
        text_in(k, term, "span", "country", o->country, NULL);
    }
    locators(k, li, o->signatures, o->n_signatures);
    ex_nl(x, list);
}

static void person_entry(back *k, xmlNodePtr list, const pub_person *p)
{
    epub_xml *x = &k->x;
    const pub_index *ix = k->b->ix;
    char id[24];
    pub_snprintf(id, sizeof id, "person-%d", p->id);
    xmlNodePtr li = ex_el(x, list, "li");
    ex_set(x, li, "id", id);
    ex_set(x, li, "class", "entry");
    ex_set_epub_type(x, li, "index-entry");
    xmlNodePtr term = ex_el(x, li, "p");
    ex_set(x, term, "class", "term");
    xmlNodePtr t = ex_el(x, term, "span");
    ex_set_epub_type(x, t, "index-term");
    text_in(k, t, "span", "person", p->name, sig_lang(k, p->signatures[0]));
    if (has_text(p->role)) {
        ex_puts(x, term, ", ");
        text_in(k, term, "span", "role", p->role,
                sig_lang(k, p->signatures[0]));
    }
    const pub_org *o = NULL;
    for (size_t i = 0; p->org > 0 && i < ix->n_orgs; i++)
        if (ix->orgs[i].id == p->org && ix->orgs[i].n_signatures > 0)
            o = &ix->orgs[i];
    const char *org_text = has_text(p->org_name) ? p->org_name
                           : o != NULL            ? (has_text(o->name) ? o->name
                                                                       : o->abbr)
                                                  : NULL;
    if (has_text(org_text)) {
        ex_puts(x, term, ", ");
        xmlNodePtr on = term;
        if (o != NULL) { /* to the organisation's entry */
            char href[48];
            org_href(k, o, href, sizeof href);
            on = ex_el(x, term, "a");
            ex_set(x, on, "href", href);
        }
        text_in(k, on, "span", "org", org_text,
                sig_lang(k, p->signatures[0]));
    }
    locators(k, li, p->signatures, p->n_signatures);
    ex_nl(x, list);
}

/* A part of the index (organisations or people) in this document: a
 * titled section in the toc, and the entry list the caller fills. A part
 * cut over several documents names its letters in each ("Organisations
 * A–F"); `first` and `last` are the names its piece here begins and ends
 * with. */
static pub_status index_part(back *k, xmlNodePtr sec, const char *id,
                             const char *title, int cut, const char *first,
                             const char *last, xmlNodePtr *list)
{
    epub_xml *x = &k->x;
    char title_id[48], a[8], z[8], label[64];
    pub_snprintf(title_id, sizeof title_id, "%s-title", id);
    if (cut) {
        initial(first, a);
        initial(last, z);
        if (!a[0] || !z[0]) /* a name of no letter or digit */
            pub_snprintf(label, sizeof label, "%s (%s)", title, id);
        else if (strcmp(a, z) == 0)
            pub_snprintf(label, sizeof label, "%s %s", title, a);
        else
            pub_snprintf(label, sizeof label, "%s %s\u2013%s", title, a, z);
        title = label;
    }
    xmlNodePtr s = ex_el(x, sec, "section");
    ex_set(x, s, "id", id);
    ex_set(x, s, "aria-labelledby", title_id);
    xmlNodePtr h = ex_el_text(x, s, "h2", title);
    ex_set(x, h, "id", title_id);
    pub_status status = epub_add_toc(k->b, k->doc, title, 1, id);
    xmlNodePtr ul = ex_el(x, s, "ul");
    ex_set(x, ul, "class", "index-entries");
    ex_set_epub_type(x, ul, "index-entry-list");
    ex_nl(x, ul);
    *list = ul;
    return status;
}

/* Whether the index documents cut the part (0 organisations, 1 people)
 * into pieces: its first piece is not also its last. */
static int part_is_cut(const epub_book *b, int part)
{
    int pieces = 0;
    for (size_t i = 0; i < b->n_docs; i++) {
        const epub_doc *D = &b->docs[i];
        if (D->kind == EPUB_DOC_INDEX &&
            (part ? D->person_to > D->person_from : D->org_to > D->org_from))
            pieces++;
    }
    return pieces > 1;
}

/* One document of the index of signatories: the first opens it (heading,
 * lead, toc entry); the entries are D's share of each part. */
pub_status epub_xhtml_index(epub_book *b, size_t doc, epub_region *mem,
                       pub_ctx *ctx)
{
    pub_status status = PUB_OK;
    back k = {.b = b, .doc = doc, .x = {.mem = mem}};
    epub_xml *x = &k.x;
    epub_doc *D = &b->docs[doc];
    const pub_index *ix = b->ix;
    static const char heading[] = "Index of signatories";
    char id[32];
    CHECK(load_titles(&k));
    if (D->ix_seq == 0) {
        CHECK(epub_add_toc(b, doc, heading, 0, ""));
        pub_snprintf(id, sizeof id, "index");
    } else {
        pub_snprintf(id, sizeof id, "index-%d", D->ix_seq + 1);
    }
    xmlNodePtr sec = back_begin(&k, id, "index", "index", "doc-index",
                                D->ix_seq == 0 ? heading
                                               : "Index of signatories (continued)");
    if (D->ix_seq == 0) {
        lead(&k, sec,
             "Every signatory once, with each statement it signed (a link to "
             "its signature) and the page of the PDF edition.");
    }
    if (D->org_to > D->org_from) {
        xmlNodePtr ul;
        const pub_org *o = ix->orgs;
        int cut = part_is_cut(b, 0);
        pub_snprintf(id, sizeof id, cut ? "index-orgs-%d" : "index-orgs", D->ix_seq + 1);
        CHECK(index_part(&k, sec, id, "Organisations", cut,
                         o[D->org_from].sort_key, o[D->org_to - 1].sort_key, &ul));
        for (size_t i = D->org_from; i < D->org_to && !x->failed; i++)
            if (o[i].n_signatures > 0)
                org_entry(&k, ul, &o[i]);
        ex_nl(x, sec);
    }
    if (D->person_to > D->person_from) {
        xmlNodePtr ul;
        const pub_person *p = ix->persons;
        int cut = part_is_cut(b, 1);
        pub_snprintf(id, sizeof id, cut ? "index-persons-%d" : "index-persons",
                 D->ix_seq + 1);
        CHECK(index_part(&k, sec, id, "People", cut, p[D->person_from].name,
                         p[D->person_to - 1].name, &ul));
        for (size_t i = D->person_from; i < D->person_to && !x->failed; i++)
            if (p[i].n_signatures > 0)
                person_entry(&k, ul, &p[i]);
        ex_nl(x, sec);
    }
    CHECK(ex_finish(x, ctx, 0, &D->data, &D->len));
fail:
    back_free(&k);
    return status;
}

/* --------------------------------------------------------------- matrix */

/* A text only screen readers get: "Statement " before a column number,
 * "signed" for the mark. */
static void hidden(back *k, xmlNodePtr parent, const char *text)
{
    xmlNodePtr s = ex_el_text(&k->x, parent, "span", text);
    ex_set(&k->x, s, "class", "vh");
}

/* One table of the matrix: statements g0 .. g0+gn-1 as columns, a row for
 * each organisation of the matrix with a signature among them; id, when
 * not NULL, names it for the toc. */
static void matrix_table(back *k, xmlNodePtr sec, size_t g0, size_t gn,
                         const size_t *orgs, size_t n_orgs, unsigned char *row,
                         const char *id)
{
    epub_xml *x = &k->x;
    const epub_book *b = k->b;
    char num[64];
    xmlNodePtr wrap = ex_el(x, sec, "div");
    if (id != NULL)
        ex_set(x, wrap, "id", id);
    ex_set(x, wrap, "class", "matrix-wrap");
    xmlNodePtr table = ex_el(x, wrap, "table");
    ex_set(x, table, "class", "matrix");
    ex_nl(x, table);
    if (gn == b->n_stmt_docs)
        ex_el_text(x, table, "caption",
                   "Organisations (rows) and the statements they signed "
                   "(columns, numbered as above); \u2713 marks a signature.");
    else {
        pub_snprintf(num, sizeof num, "Statements %zu\u2013%zu: ", g0 + 1, g0 + gn);
        xmlNodePtr cap = ex_el_text(x, table, "caption", num);
        ex_puts(x, cap, "organisations (rows) and the statements they signed "
                        "(columns); \u2713 marks a signature.");
    }
    ex_nl(x, table);
    xmlNodePtr tr = ex_el(x, ex_el(x, table, "thead"), "tr");
    xmlNodePtr th = ex_el_text(x, tr, "th", "Organisation");
    ex_set(x, th, "scope", "col");
    for (size_t i = g0; i < g0 + gn; i++) {
        th = ex_el(x, tr, "th");
        ex_set(x, th, "scope", "col");
        ex_set(x, th, "class", "stmt");
        hidden(k, th, "Statement ");
        pub_snprintf(num, sizeof num, "%zu", i + 1);
        ex_puts(x, th, num);
    }
    ex_nl(x, table);
    xmlNodePtr tbody = ex_el(x, table, "tbody");
    ex_nl(x, tbody);
    for (size_t r = 0; r < n_orgs && !x->failed; r++) {
        const pub_org *o = &b->ix->orgs[orgs[r]];
        memset(row, 0, gn);
        for (size_t j = 0; j < o->n_signatures; j++) {
            const pub_node *st = pub_node_statement(o->signatures[j]);
            size_t c = st ? (size_t)st->as.statement.order : SIZE_MAX;
            if (c >= g0 && c < g0 + gn)
                row[c - g0] = 1;
        }
        tr = ex_el(x, tbody, "tr");
        th = ex_el(x, tr, "th");
        ex_set(x, th, "scope", "row");
        char href[48];
        org_href(k, o, href, sizeof href);
        xmlNodePtr a = ex_el(x, th, "a");
        ex_set(x, a, "href", href);
        const char *label = has_text(o->abbr)   ? o->abbr
                            : has_text(o->name) ? o->name
                                                : o->english;
        text_in(k, a, "span", NULL, has_text(label) ? label : "?",
                sig_lang(k, o->signatures[0]));
        if (has_text(o->abbr) && has_text(o->name)) {
            ex_puts(x, th, " ");
            text_in(k, th, "span", "orig", o->name,
                    sig_lang(k, o->signatures[0]));
        }
        for (size_t c = 0; c < gn; c++) {
            xmlNodePtr td = ex_el(x, tr, "td");
            if (!row[c])
                continue;
            ex_set(x, td, "class", "mark");
            xmlNodePtr m = ex_el_text(x, td, "span", "\u2713");
            ex_set(x, m, "aria-hidden", "true");
            hidden(k, td, "signed");
        }
        ex_nl(x, tbody);
    }
    ex_nl(x, table);
}

/* One document of the signatory matrix: the first opens it (heading,
 * lead, the key to the statement numbers, toc entry); the tables are
 * those of D's column groups. A matrix cut over several documents has a
 * toc entry for each, naming its statements. */
pub_status epub_xhtml_matrix(epub_book *b, size_t doc, epub_region *mem,
                       pub_ctx *ctx)
{
    pub_status status = PUB_OK;
    back k = {.b = b, .doc = doc, .x = {.mem = mem}};
    epub_xml *x = &k.x;
    epub_doc *D = &b->docs[doc];
    static const char heading[] = "Signatory matrix";
    unsigned char *row = NULL;
    size_t n_st = b->n_stmt_docs;
    int cut = D->ix_seq > 0 || (D->grp_to < b->n_mx_groups);
    char id[32];
    CHECK(load_titles(&k));
    if (D->ix_seq == 0) {
        CHECK(epub_add_toc(b, doc, heading, 0, ""));
        pub_snprintf(id, sizeof id, "matrix");
    } else {
        pub_snprintf(id, sizeof id, "matrix-%d", D->ix_seq + 1);
    }
    if (n_st > 0) {
        row = calloc(n_st, 1);
        CHECK_ALLOC(row);
    }
    xmlNodePtr sec = back_begin(&k, id, "matrix", "appendix", "doc-appendix",
                                D->ix_seq == 0 ? heading
                                               : "Signatory matrix (continued)");
    if (D->ix_seq == 0) {
        lead(&k, sec,
             "Which organisation signed which statement. "
             "The columns are the statements, numbered:");
        xmlNodePtr ol = ex_el(x, sec, "ol");
        ex_set(x, ol, "class", "matrix-key");
        ex_nl(x, ol);
        for (size_t i = 0; i < n_st; i++) {
            const epub_doc *S = &b->docs[2 + i];
            const char *file = strrchr(S->href, '/');
            xmlNodePtr li = ex_el(x, ol, "li");
            xmlNodePtr a = ex_el(x, li, "a");
            ex_set(x, a, "href", file ? file + 1 : S->href);
            text_in(&k, a, "span", NULL, k.titles[i], S->lang);
            const char *date = S->stmt->as.statement.date;
            if (date[0]) {
                ex_puts(x, li, ", ");
                xmlNodePtr t = ex_el_text(x, li, "time", date);
                ex_set(x, t, "datetime", date);
            }
            ex_nl(x, ol);
        }
        ex_nl(x, sec);
        if (n_st > PUB_MATRIX_ALL) {
            lead(&k, sec,
                 "Rows: the organisations that signed two statements or more; "
                 "each table, a group of statements, lists those with a mark in "
                 "it. Every organisation is in the index.");
        }
    }
    for (size_t gi = D->grp_from; gi < D->grp_to && !x->failed; gi++) {
        size_t g0 = gi * PUB_MATRIX_ALL;
        size_t gn = n_st - g0 < PUB_MATRIX_ALL ? n_st - g0 : PUB_MATRIX_ALL;
        const char *table_id = NULL;
        if (cut && gi == D->grp_from) { /* this document's toc entry */
            size_t last = D->grp_to * PUB_MATRIX_ALL;
            char label[64];
            pub_snprintf(id, sizeof id, "matrix-s%zu", g0 + 1);
            pub_snprintf(label, sizeof label, "Statements %zu\u2013%zu", g0 + 1,
                     last < n_st ? last : n_st);
            CHECK(epub_add_toc(b, doc, label, 1, id));
            table_id = id;
        }
        matrix_table(&k, sec, g0, gn, b->mx_orgs + b->mx_start[gi],
                     b->mx_start[gi + 1] - b->mx_start[gi], row, table_id);
    }
    CHECK(ex_finish(x, ctx, 0, &D->data, &D->len));
fail:
    free(row);
    back_free(&k);
    return status;
}

/* ----------------------------------------------------------- provenance */

static const char *date_source_text(pub_date_source s)
{
    switch (s) {
    case PUB_DATE_DATELINE: return "dateline";
    case PUB_DATE_BYLINE: return "byline";
    case PUB_DATE_CLOSING: return "closing";
    case PUB_DATE_AS_OF: return "signatories \u201cas of\u201d";
    case PUB_DATE_TITLE: return "title";
    case PUB_DATE_NONE: break;
    }
    return "\u2014";
}

static void cell(back *k, xmlNodePtr tr, const char *el, const char *cls,
                 const char *text)
{
    xmlNodePtr c = ex_el_text(&k->x, tr, el, text);
    if (cls != NULL)
        ex_set(&k->x, c, "class", cls);
}

static void dl_item(back *k, xmlNodePtr dl, const char *term,
                    const char *value, const char *datetime)
{
    ex_el_text(&k->x, dl, "dt", term);
    xmlNodePtr dd = ex_el(&k->x, dl, "dd");
    if (datetime != NULL) {
        xmlNodePtr t = ex_el_text(&k->x, dd, "time", value);
        ex_set(&k->x, t, "datetime", datetime);
    } else {
        ex_puts(&k->x, dd, value);
    }
    ex_nl(&k->x, dl);
}

pub_status epub_xhtml_provenance(epub_book *b, size_t doc, epub_region *mem,
                       pub_ctx *ctx)
{
    pub_status status = PUB_OK;
    back k = {.b = b, .doc = doc, .x = {.mem = mem}};
    epub_xml *x = &k.x;
    epub_doc *D = &b->docs[doc];
    static const char heading[] = "Provenance";
    char num[40];
    CHECK(load_titles(&k));
    CHECK(epub_add_toc(b, doc, heading, 0, ""));
    xmlNodePtr sec = back_begin(&k, "provenance", "provenance", "colophon", "doc-colophon",
                                heading);
    lead(&k, sec,
             "Each statement was read from the source file named here; the "
             "SHA-256 digest is of the file's bytes as read.");

    xmlNodePtr table = ex_el(x, sec, "table");
    ex_set(x, table, "class", "provenance");
    ex_nl(x, table);
    ex_el_text(x, table, "caption", "Source files");
    ex_nl(x, table);
    xmlNodePtr tr = ex_el(x, ex_el(x, table, "thead"), "tr");
    static const char *const cols[] = {"No.",      "File", "Size (bytes)",
                                       "SHA-256",  "Language", "Date",
                                       "Date from"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
        xmlNodePtr th = ex_el_text(x, tr, "th", cols[i]);
        ex_set(x, th, "scope", "col");
    }
    ex_nl(x, table);
    xmlNodePtr tbody = ex_el(x, table, "tbody");
    ex_nl(x, tbody);
    for (size_t i = 0; i < b->n_stmt_docs && !x->failed; i++) {
        const epub_doc *S = &b->docs[2 + i];
        const pub_statement_info *si = &S->stmt->as.statement;
        tr = ex_el(x, tbody, "tr");
        pub_snprintf(num, sizeof num, "%zu", i + 1);
        cell(&k, tr, "td", "num", num);
        xmlNodePtr th = ex_el(x, tr, "th");
        ex_set(x, th, "scope", "row");
        ex_set(x, th, "class", "file");
        const char *file = strrchr(S->href, '/');
        xmlNodePtr a = ex_el(x, th, "a");
        ex_set(x, a, "href", file ? file + 1 : S->href);
        const char *name = has_text(si->basename) ? si->basename
                           : has_text(si->source) ? si->source
                                                  : k.titles[i];
        ex_puts(x, a, name);
        pub_snprintf(num, sizeof num, "%zu", si->size);
        cell(&k, tr, "td", "size", num);
        xmlNodePtr td = ex_el(x, tr, "td");
        ex_set(x, td, "class", "sha");
        if (si->sha256[0])
            ex_el_text(x, td, "code", si->sha256);
        else
            ex_puts(x, td, "\u2014");
        cell(&k, tr, "td", "lang",
             has_text(si->language) ? si->language : "\u2014");
        td = ex_el(x, tr, "td");
        ex_set(x, td, "class", "date");
        if (si->date[0]) {
            xmlNodePtr t = ex_el_text(x, td, "time", si->date);
            ex_set(x, t, "datetime", si->date);
        } else {
            ex_puts(x, td, "\u2014");
        }
        cell(&k, tr, "td", "from", date_source_text(si->date_source));
        ex_nl(x, tbody);
    }
    ex_nl(x, sec);

    xmlNodePtr h = ex_el_text(x, sec, "h2", "This edition");
    ex_set(x, h, "id", "provenance-edition");
    ex_nl(x, sec);
    xmlNodePtr dl = ex_el(x, sec, "dl");
    ex_set(x, dl, "class", "colophon");
    ex_nl(x, dl);
    const pub_dossier_info *info = pub_dossier_get_info(b->d);
    if (info != NULL && has_text(info->compiler))
        dl_item(&k, dl, "Compiled by", info->compiler, NULL);
    if (info != NULL && has_text(info->publisher))
        dl_item(&k, dl, "Publisher", info->publisher, NULL);
    dl_item(&k, dl, "Made with", "publish " PUB_VERSION, NULL);
    dl_item(&k, dl, "Style", b->style->name[0] ? b->style->name : "default",
            NULL);
    char day[11];
    pub_snprintf(day, sizeof day, "%.10s", b->modified);
    dl_item(&k, dl, "Build date", day, day);
    dl_item(&k, dl, "Identifier", b->uuid, NULL);
    CHECK(ex_finish(x, ctx, 0, &D->data, &D->len));
fail:
    back_free(&k);
    return status;
}
