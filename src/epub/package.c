/*
 * package.c — the package document (EPUB 3.3 §5: metadata with EPUB
 * Accessibility 1.1 properties, manifest, spine), the navigation document
 * (§7: toc, landmarks, page-list), the NCX for EPUB 2 reading systems
 * (OPF 2.0.1 §2.4.1) and META-INF/container.xml (OCF 3.3 §4.2.6).
 */
#include "epub/epub_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static xmlNodePtr meta(epub_xml *x, xmlNodePtr md, const char *property,
                       const char *refines, const char *value)
{
    xmlNodePtr m = ex_el_text(x, md, "meta", value);
    ex_set(x, m, "property", property);
    if (refines != NULL)
        ex_set(x, m, "refines", refines);
    return m;
}

static xmlNodePtr dc(epub_xml *x, xmlNodePtr md, xmlNsPtr ns, const char *name,
                     const char *value)
{
    xmlNodePtr e = ex_el_ns(x, md, ns, name);
    ex_puts(x, e, value);
    return e;
}

static int is_date_start(const char *p)
{
    static const char *const months[] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    if (isdigit((unsigned char)*p))
        return 1;
    for (size_t i = 0; i < 12; i++)
        if (strncasecmp(p, months[i], strlen(months[i])) == 0)
            return 1;
    return 0;
}

/* Who issued a statement, as far as its heading tells: "By X, <date>",
 * "X Resolution, <date>", "X resolution:", or the letterhead's first line.
 * Returns a malloc'd string, or NULL when unknown (or out of memory). */
static char *statement_issuer(const pub_node *stmt)
{
    static const pub_node_type order[] = {PUB_NODE_BYLINE, PUB_NODE_DATELINE,
                                          PUB_NODE_KICKER, PUB_NODE_LETTERHEAD};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        const pub_node *n = pub_statement_find(stmt, order[k]);
        if (n == NULL)
            continue;
        char *t = pub_node_plain_text(n, NULL);
        if (t == NULL)
            return NULL;
        for (char *p = t; *p; p++)
            if (*p == '\n')
                *p = ' ';
        char *s = t;
        if (order[k] == PUB_NODE_BYLINE && strncasecmp(s, "by ", 3) == 0)
            s += 3;
        if (order[k] != PUB_NODE_LETTERHEAD) {
            for (char *p = s; *p; p++) {
                if (*p == ':' ||
                    (*p == ',' && p[1] == ' ' && is_date_start(p + 2))) {
                    *p = '\0';
                    break;
                }
            }
            char *last = strrchr(s, ' ');
            static const char *const kinds[] = {"resolution", "statement",
                                                "declaration", "appeal"};
            for (size_t i = 0; last && i < 4; i++)
                if (strcasecmp(last + 1, kinds[i]) == 0)
                    *last = '\0';
        }
        size_t len = strlen(s);
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == ','))
            s[--len] = '\0';
        if (len > 0 && len < 200) {
            memmove(t, s, len + 1);
            return t;
        }
        free(t);
    }
    return NULL;
}

static const char *const a11y_features[] = {
    "structuralNavigation",    "tableOfContents",  "readingOrder",
    "displayTransformability", "printPageNumbers", "pageNavigation"};

pub_status epub_package_opf(epub_book *b, xmlChar **out, int *len)
{
    pub_status status = PUB_OK;
    epub_xml xs = {0}, *x = &xs;
    pub_buf summary = {0};
    char **issuers = NULL;
    size_t n_issuers = 0, n_stmt = 0;
    for (size_t i = 0; i < b->n_docs; i++)
        n_stmt += b->docs[i].stmt != NULL;
    if (n_stmt > 0) {
        issuers = calloc(n_stmt, sizeof *issuers);
        CHECK_ALLOC(issuers);
    }

    xmlNodePtr pkg = ex_begin(x, "package", EPUB_NS_OPF);
    ex_set(x, pkg, "version", "3.0");
    ex_set(x, pkg, "unique-identifier", "pub-id");
    ex_lang(x, pkg, b->lang);
    xmlNodePtr md = ex_el(x, pkg, "metadata");
    xmlNsPtr dcns =
        md ? xmlNewNs(md, BAD_CAST EPUB_NS_DC, BAD_CAST "dc") : NULL;
    if (dcns == NULL)
        x->failed = 1;
    xmlNodePtr e = dc(x, md, dcns, "identifier", b->uuid);
    ex_set(x, e, "id", "pub-id");
    e = dc(x, md, dcns, "title", b->title);
    ex_set(x, e, "id", "title");
    meta(x, md, "title-type", "#title", "main");
    for (size_t i = 0; i < b->n_langs; i++)
        dc(x, md, dcns, "language", b->langs[i]);

    /* the issuers are the creators, each once, in reading order */
    for (size_t i = 0; i < b->n_docs; i++) {
        if (b->docs[i].stmt == NULL)
            continue;
        char *is = statement_issuer(b->docs[i].stmt);
        if (is == NULL)
            continue;
        int dup = 0;
        for (size_t k = 0; k < n_issuers; k++)
            dup |= strcmp(issuers[k], is) == 0;
        if (dup) {
            free(is);
            continue;
        }
        issuers[n_issuers++] = is;
        char id[40];
        pub_snprintf(id, sizeof id, "creator-%zu", n_issuers);
        e = dc(x, md, dcns, "creator", is);
        ex_set(x, e, "id", id);
    }
    e = dc(x, md, dcns, "contributor", "publish " PUB_VERSION);
    ex_set(x, e, "id", "producer");
    xmlNodePtr m = meta(x, md, "role", "#producer", "bkp");
    ex_set(x, m, "scheme", "marc:relators");
    if (b->date[0])
        dc(x, md, dcns, "date", b->date);
    meta(x, md, "dcterms:modified", NULL, b->modified);
    dc(x, md, dcns, "subject", "Political statements");
    int has_sig = 0, has_letter = 0;
    for (size_t i = 0; i < b->n_docs; i++) {
        const pub_node *s = b->docs[i].stmt;
        if (s == NULL)
            continue;
        has_sig |= pub_statement_find(s, PUB_NODE_SIGNATORY_SECTION) != NULL;
        has_letter |= pub_statement_find(s, PUB_NODE_SALUTATION) != NULL;
    }
    if (has_sig)
        dc(x, md, dcns, "subject", "Signatory lists");
    if (has_letter)
        dc(x, md, dcns, "subject", "Open letters");
    dc(x, md, dcns, "type", "Text");

    /* EPUB Accessibility 1.1 */
    meta(x, md, "schema:accessMode", NULL, "textual");
    meta(x, md, "schema:accessModeSufficient", NULL, "textual");
    for (size_t i = 0; i < sizeof a11y_features / sizeof *a11y_features; i++) {
        int pages = strcmp(a11y_features[i], "printPageNumbers") == 0 ||
                    strcmp(a11y_features[i], "pageNavigation") == 0;
        if (!pages || b->n_pages > 0)
            meta(x, md, "schema:accessibilityFeature", NULL, a11y_features[i]);
    }
    meta(x, md, "schema:accessibilityHazard", NULL, "none");
    /* the summary names only what this publication has */
    int has_notes = 0;
    for (size_t i = 0; i < b->n_docs; i++)
        if (b->docs[i].stmt != NULL)
            has_notes |=
                pub_statement_find(b->docs[i].stmt, PUB_NODE_NOTES) != NULL;
    CHECK(pub_buf_puts(&summary, "Text only: every statement has a "
                                 "heading and a table of contents leads "
                                 "to it"));
    if (has_sig)
        CHECK(pub_buf_puts(&summary, "; signatory lists are data tables "
                                     "with a caption and column headers"));
    if (has_notes)
        CHECK(pub_buf_puts(&summary, "; notes link to their references and "
                                     "back"));
    if (b->n_pages > 0)
        CHECK(pub_buf_puts(&summary, "; a page list and page-break markers "
                                     "give the page numbers of the PDF "
                                     "edition"));
    CHECK(pub_buf_puts(&summary, ". The text reflows; there are no images, "
                                 "audio or video."));
    meta(x, md, "schema:accessibilitySummary", NULL, summary.data);
    meta(x, md, "dcterms:conformsTo", NULL,
         "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
    meta(x, md, "a11y:certifiedBy", NULL,
         "publish " PUB_VERSION " (self-assessment)");
    if (b->n_pages > 0) {
        char src[512];
        pub_snprintf(src, sizeof src, "%s: PDF edition (dossier.pdf, %zu pages)",
                 b->title, b->n_pages);
        /* the print edition the page-list follows: dc:source refined
         * by source-of "pagination" (EPUB 3.2 §D.4.1.7; EPUB Accessibility
         * 1.0). EPUB Accessibility 1.1's a11y:pageBreakSource says the same
         * but EPUBCheck 4.2 rejects it (OPF-027); PUB_EPUB_A11Y11 adds it
         * for newer checkers. */
        e = dc(x, md, dcns, "source", src);
        ex_set(x, e, "id", "pagination-source");
        meta(x, md, "source-of", "#pagination-source", "pagination");
#ifdef PUB_EPUB_A11Y11
        meta(x, md, "a11y:pageBreakSource", NULL, src);
#endif
    }

    /* per statement: source file, digest, date, issuer */
    for (size_t i = 0; i < b->n_docs; i++) {
        const pub_node *s = b->docs[i].stmt;
        if (s == NULL)
            continue;
        char ref[40], digest[80];
        pub_snprintf(ref, sizeof ref, "#%s", b->docs[i].id);
        const pub_statement_info *si = &s->as.statement;
        if (si->basename != NULL)
            meta(x, md, "dcterms:source", ref, si->basename);
        if (si->sha256[0]) {
            pub_snprintf(digest, sizeof digest, "sha256:%s", si->sha256);
            meta(x, md, "dcterms:identifier", ref, digest);
        }
        if (si->date[0])
            meta(x, md, "dcterms:date", ref, si->date);
        char *is = statement_issuer(s);
        if (is != NULL)
            meta(x, md, "dcterms:creator", ref, is);
        free(is);
        if (si->language != NULL)
            meta(x, md, "dcterms:language", ref, si->language);
    }

    xmlNodePtr man = ex_el(x, pkg, "manifest");
    for (size_t i = 0; i < b->n_docs; i++) {
        e = ex_el(x, man, "item");
        ex_set(x, e, "id", b->docs[i].id);
        ex_set(x, e, "href", b->docs[i].href);
        ex_set(x, e, "media-type", "application/xhtml+xml");
        if (i == b->nav_doc)
            ex_set(x, e, "properties", "nav");
    }
    e = ex_el(x, man, "item");
    ex_set(x, e, "id", "ncx");
    ex_set(x, e, "href", "toc.ncx");
    ex_set(x, e, "media-type", "application/x-dtbncx+xml");
    e = ex_el(x, man, "item");
    ex_set(x, e, "id", "css");
    ex_set(x, e, "href", "css/publish.css");
    ex_set(x, e, "media-type", "text/css");
    for (int i = 0; i < PUB_FONT_COUNT; i++) {
        if (b->fonts[i].alias_of >= 0)
            continue;
        char id[16];
        pub_snprintf(id, sizeof id, "font-%d", i);
        e = ex_el(x, man, "item");
        ex_set(x, e, "id", id);
        ex_set(x, e, "href", b->fonts[i].href);
        ex_set(x, e, "media-type", "font/ttf");
    }

    xmlNodePtr spine = ex_el(x, pkg, "spine");
    ex_set(x, spine, "toc", "ncx");
    for (size_t i = 0; i < b->n_docs; i++) {
        e = ex_el(x, spine, "itemref");
        ex_set(x, e, "idref", b->docs[i].id);
    }
    CHECK(ex_finish(x, b->ctx, 1, out, len));
fail:
    ex_discard(x);
    pub_buf_free(&summary);
    for (size_t i = 0; i < n_issuers; i++)
        free(issuers[i]);
    free(issuers);
    return status;
}

static void target_href(const epub_book *b, int doc, const char *frag,
                        char *out, size_t n)
{
    if (frag != NULL && frag[0])
        pub_snprintf(out, n, "%s#%s", b->docs[doc].href, frag);
    else
        pub_snprintf(out, n, "%s", b->docs[doc].href);
}

static int is_english(const char *lang)
{
    return strcmp(lang, "en") == 0 || strncmp(lang, "en-", 3) == 0;
}

static xmlNodePtr nav_heading(epub_xml *x, const epub_book *b,
                              xmlNodePtr parent, const char *el,
                              const char *text)
{
    xmlNodePtr h = ex_el_text(x, parent, el, text);
    if (!is_english(b->lang))
        ex_lang(x, h, "en");
    return h;
}

pub_status epub_package_nav(epub_book *b, size_t doc, pub_ctx *ctx)
{
    pub_status status = PUB_OK;
    epub_xml xs = {0}, *x = &xs;
    epub_doc *D = &b->docs[doc];
    char href[96];
    xmlNodePtr html = ex_begin_xhtml(x, D->lang);
    xmlNodePtr head = ex_el(x, html, "head");
    xmlNodePtr mc = ex_el(x, head, "meta");
    ex_set(x, mc, "charset", "utf-8");
    ex_el_text(x, head, "title", b->title);
    xmlNodePtr link = ex_el(x, head, "link");
    ex_set(x, link, "rel", "stylesheet");
    ex_set(x, link, "type", "text/css");
    ex_set(x, link, "href", "css/publish.css");
    xmlNodePtr body = ex_el(x, html, "body");
    ex_set_epub_type(x, body, "frontmatter");
    for (size_t i = 0; i < b->n_marks; i++) /* the PDF's contents pages */
        if (b->marks[i].placed && b->marks[i].doc == (int)doc)
            epub_pagebreak(x, body, &b->marks[i]);

    xmlNodePtr nav = ex_el(x, body, "nav");
    ex_set_epub_type(x, nav, "toc");
    ex_set(x, nav, "id", "toc");
    ex_set(x, nav, "role", "doc-toc");
    ex_set(x, nav, "aria-labelledby", "toc-title");
    xmlNodePtr h = nav_heading(x, b, nav, "h1", "Contents");
    ex_set(x, h, "id", "toc-title");
    xmlNodePtr ol = ex_el(x, nav, "ol"), sub = NULL, li = NULL;
    for (size_t i = 0; i < b->n_toc; i++) {
        const epub_toc *t = &b->toc[i];
        if (t->level == 0 || li == NULL) {
            li = ex_el(x, ol, "li");
            sub = NULL;
        } else if (sub == NULL) {
            sub = ex_el(x, li, "ol");
        }
        xmlNodePtr item =
            t->level == 0 || sub == NULL ? li : ex_el(x, sub, "li");
        target_href(b, t->doc, t->frag, href, sizeof href);
        xmlNodePtr a = ex_el_text(x, item, "a", t->title);
        ex_set(x, a, "href", href);
        const char *lang = b->docs[t->doc].lang;
        if (lang != NULL && strcmp(lang, D->lang) != 0)
            ex_lang(x, a, lang);
    }

    nav = ex_el(x, body, "nav");
    ex_set_epub_type(x, nav, "landmarks");
    ex_set(x, nav, "id", "landmarks");
    ex_set(x, nav, "aria-labelledby", "landmarks-title");
    ex_set(x, nav, "hidden", "hidden");
    h = nav_heading(x, b, nav, "h2", "Landmarks");
    ex_set(x, h, "id", "landmarks-title");
    ol = ex_el(x, nav, "ol");
    struct {
        const char *type, *label;
        size_t doc;
        const char *frag;
    } lm[] = {
        {"titlepage", "Title page", b->title_doc, NULL},
        {"toc", "Contents", b->nav_doc, "toc"},
        {"bodymatter", "Start of content", b->nav_doc + 1, NULL},
    };
    for (size_t i = 0; i < 3 + b->n_docs; i++) {
        if (i >= 3) { /* the back matter */
            static const char *const type[] = {
                [EPUB_DOC_INDEX] = "index",
                [EPUB_DOC_MATRIX] = "appendix",
                [EPUB_DOC_PROVENANCE] = "colophon"};
            static const char *const label[] = {
                [EPUB_DOC_INDEX] = "Index of signatories",
                [EPUB_DOC_MATRIX] = "Signatory matrix",
                [EPUB_DOC_PROVENANCE] = "Provenance"};
            epub_doc_kind k = b->docs[i - 3].kind;
            if ((k != EPUB_DOC_INDEX && k != EPUB_DOC_MATRIX &&
                 k != EPUB_DOC_PROVENANCE) ||
                b->docs[i - 3].ix_seq > 0) /* the index's first document */
                continue;
            target_href(b, (int)(i - 3), NULL, href, sizeof href);
            xmlNodePtr a = ex_el_text(x, ex_el(x, ol, "li"), "a", label[k]);
            ex_set_epub_type(x, a, type[k]);
            ex_set(x, a, "href", href);
            if (!is_english(b->lang))
                ex_lang(x, a, "en");
            continue;
        }
        if (lm[i].doc >= b->n_docs)
            continue;
        target_href(b, (int)lm[i].doc, lm[i].frag, href, sizeof href);
        xmlNodePtr a = ex_el_text(x, ex_el(x, ol, "li"), "a", lm[i].label);
        ex_set_epub_type(x, a, lm[i].type);
        ex_set(x, a, "href", href);
        if (!is_english(b->lang))
            ex_lang(x, a, "en");
    }

    if (b->n_pages > 0) {
        nav = ex_el(x, body, "nav");
        ex_set_epub_type(x, nav, "page-list");
        ex_set(x, nav, "id", "page-list");
        ex_set(x, nav, "role", "doc-pagelist");
        ex_set(x, nav, "aria-labelledby", "page-list-title");
        ex_set(x, nav, "hidden", "hidden");
        h = nav_heading(x, b, nav, "h2", "Pages of the PDF edition");
        ex_set(x, h, "id", "page-list-title");
        ol = ex_el(x, nav, "ol");
        for (size_t i = 0; i < b->n_marks; i++) {
            const epub_mark *mk = &b->marks[i];
            if (!mk->placed)
                continue;
            char frag[32];
            pub_snprintf(frag, sizeof frag, "page-%d", mk->number);
            target_href(b, mk->doc, frag, href, sizeof href);
            xmlNodePtr a = ex_el_text(x, ex_el(x, ol, "li"), "a", mk->label);
            ex_set(x, a, "href", href);
        }
    }
    CHECK(ex_finish(x, ctx, 1, &D->data, &D->len));
fail:
    ex_discard(x);
    return status;
}

static int cmp_seq(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* playOrder: the rank of a target among all targets in reading order. */
static int play_order(const int64_t *sorted, size_t n, int64_t seq)
{
    const int64_t *p = bsearch(&seq, sorted, n, sizeof *sorted, cmp_seq);
    return p ? (int)(p - sorted) + 1 : 1;
}

static int all_digits(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

static void nav_label(epub_xml *x, xmlNodePtr parent, const char *text)
{
    ex_el_text(x, ex_el(x, parent, "navLabel"), "text", text);
}

pub_status epub_package_ncx(epub_book *b, xmlChar **out, int *len)
{
    pub_status status = PUB_OK;
    epub_xml xs = {0}, *x = &xs;
    size_t n = 0;
    int64_t *seqs = malloc((b->n_toc + b->n_marks + 1) * sizeof *seqs);
    CHECK_ALLOC(seqs);
    for (size_t i = 0; i < b->n_toc; i++)
        seqs[n++] = b->toc[i].seq;
    for (size_t i = 0; i < b->n_marks; i++)
        if (b->marks[i].placed)
            seqs[n++] = b->marks[i].seq;
    qsort(seqs, n, sizeof *seqs, cmp_seq);

    xmlNodePtr ncx = ex_begin(x, "ncx", EPUB_NS_NCX);
    ex_set(x, ncx, "version", "2005-1");
    ex_lang(x, ncx, b->lang);
    xmlNodePtr head = ex_el(x, ncx, "head");
    char num[32];
    int depth = 1, max_page = 0;
    for (size_t i = 0; i < b->n_toc; i++)
        if (b->toc[i].level > 0)
            depth = 2;
    for (size_t i = 0; i < b->n_marks; i++)
        if (b->marks[i].placed && all_digits(b->marks[i].label) &&
            atoi(b->marks[i].label) > max_page)
            max_page = atoi(b->marks[i].label);
    struct {
        const char *name;
        char value[48];
    } hm[4] = {{"dtb:uid", ""},
               {"dtb:depth", ""},
               {"dtb:totalPageCount", ""},
               {"dtb:maxPageNumber", ""}};
    pub_snprintf(hm[0].value, sizeof hm[0].value, "%s", b->uuid);
    pub_snprintf(hm[1].value, sizeof hm[1].value, "%d", depth);
    pub_snprintf(hm[2].value, sizeof hm[2].value, "%zu", b->n_pages);
    pub_snprintf(hm[3].value, sizeof hm[3].value, "%d", max_page);
    for (size_t i = 0; i < 4; i++) {
        xmlNodePtr m = ex_el(x, head, "meta");
        ex_set(x, m, "name", hm[i].name);
        ex_set(x, m, "content", hm[i].value);
    }
    ex_el_text(x, ex_el(x, ncx, "docTitle"), "text", b->title);

    xmlNodePtr map = ex_el(x, ncx, "navMap"), top = NULL;
    char href[96];
    for (size_t i = 0; i < b->n_toc; i++) {
        const epub_toc *t = &b->toc[i];
        xmlNodePtr parent = t->level == 0 || top == NULL ? map : top;
        xmlNodePtr np = ex_el(x, parent, "navPoint");
        if (parent == map)
            top = np;
        pub_snprintf(num, sizeof num, "np-%zu", i + 1);
        ex_set(x, np, "id", num);
        pub_snprintf(num, sizeof num, "%d", play_order(seqs, n, t->seq));
        ex_set(x, np, "playOrder", num);
        nav_label(x, np, t->title);
        target_href(b, t->doc, t->frag, href, sizeof href);
        ex_set(x, ex_el(x, np, "content"), "src", href);
    }
    if (b->n_pages > 0) {
        xmlNodePtr pl = ex_el(x, ncx, "pageList");
        nav_label(x, pl, "Pages");
        for (size_t i = 0; i < b->n_marks; i++) {
            const epub_mark *mk = &b->marks[i];
            if (!mk->placed)
                continue;
            xmlNodePtr pt = ex_el(x, pl, "pageTarget");
            pub_snprintf(num, sizeof num, "pt-%d", mk->number);
            ex_set(x, pt, "id", num);
            if (all_digits(mk->label)) {
                ex_set(x, pt, "type", "normal");
                ex_set(x, pt, "value", mk->label);
            } else {
                ex_set(x, pt, "type", "front");
            }
            pub_snprintf(num, sizeof num, "%d", play_order(seqs, n, mk->seq));
            ex_set(x, pt, "playOrder", num);
            nav_label(x, pt, mk->label);
            char frag[32];
            pub_snprintf(frag, sizeof frag, "page-%d", mk->number);
            target_href(b, mk->doc, frag, href, sizeof href);
            ex_set(x, ex_el(x, pt, "content"), "src", href);
        }
    }
    CHECK(ex_finish(x, b->ctx, 1, out, len));
fail:
    ex_discard(x);
    free(seqs);
    return status;
}

pub_status epub_package_container(epub_book *b, xmlChar **out, int *len)
{
    pub_status status = PUB_OK;
    epub_xml xs = {0}, *x = &xs;
    xmlNodePtr c = ex_begin(x, "container", EPUB_NS_OCF);
    ex_set(x, c, "version", "1.0");
    xmlNodePtr rf = ex_el(x, ex_el(x, c, "rootfiles"), "rootfile");
    ex_set(x, rf, "full-path", "EPUB/package.opf");
    ex_set(x, rf, "media-type", "application/oebps-package+xml");
    CHECK(ex_finish(x, b->ctx, 1, out, len));
fail:
    ex_discard(x);
    return status;
}
