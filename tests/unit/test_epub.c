/*
 * test_epub.c — cmocka tests for the EPUB backend on a dossier built by
 * hand: page-break markers at the exact text positions of hand-made PDF
 * page starts, the OCF layout (mimetype first, stored), byte-identical
 * rebuilds, semantics, languages, and (when installed) epubcheck.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "epub/epub_int.h"

/* ------------------------------------------------------ building trees */

typedef struct fixture {
    pub_dossier *d;
    pub_arena *a;
    pub_node *s1, *s2;
    pub_node *title1, *para1, *item2, *sig_bg, *note_para, *title2;
    char dir[64];
} fixture;

static pub_node *node(fixture *f, pub_node *parent, pub_node_type t)
{
    pub_node *n = pub_node_new(f->a, t, 1);
    assert_non_null(n);
    if (parent != NULL)
        pub_node_append(parent, n);
    return n;
}

static pub_node *text(fixture *f, pub_node *parent, const char *s)
{
    pub_node *n = node(f, parent, PUB_NODE_TEXT);
    n->as.text.data = pub_arena_strdup(f->a, s);
    n->as.text.len = strlen(s);
    return n;
}

static pub_node *block(fixture *f, pub_node *parent, pub_node_type t,
                       const char *s)
{
    pub_node *n = node(f, parent, t);
    if (s != NULL)
        text(f, n, s);
    return n;
}

static pub_node *signatory(fixture *f, pub_node *sec, const char *num,
                           const char *abbr, const char *name,
                           const char *english, const char *country)
{
    pub_node *n = node(f, sec, PUB_NODE_SIGNATORY);
    pub_signatory *s = &n->as.signatory;
    s->number = num;
    s->abbr = abbr;
    s->name = name;
    s->english = english;
    s->country = country;
    s->split_ok = 1;
    s->raw = name;
    return n;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->d = pub_dossier_new();
    f->a = pub_dossier_arena(f->d);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_epub.XXXXXX");
    assert_non_null(mkdtemp(f->dir));

    /* statement 1: English, every kind of block */
    pub_node *s = f->s1 = node(f, NULL, PUB_NODE_STATEMENT);
    s->as.statement.language = "en";
    memcpy(s->as.statement.date, "2021-06-07", 11);
    s->as.statement.basename = "one.txt";
    block(f, s, PUB_NODE_KICKER, "Union resolution:");
    f->title1 = block(f, s, PUB_NODE_TITLE, "Solidarity with the dockers");
    block(f, s, PUB_NODE_DATELINE, "Union Resolution, 07 June 2021");
    pub_node *p = f->para1 = block(f, s, PUB_NODE_PARAGRAPH, "Since the ");
    pub_node *st = node(f, p, PUB_NODE_STRONG);
    text(f, st, "harbour strike");
    text(f, p, " began, the dockers have held out");
    pub_node *ref = node(f, p, PUB_NODE_NOTEREF);
    ref->as.note.label = "1";
    text(f, p, ". Their demands are just & fair <always>.");
    block(f, s, PUB_NODE_HEADING, "What we demand")->as.heading.level = 1;
    pub_node *list = node(f, s, PUB_NODE_LIST);
    list->as.list.ordered = 1;
    pub_node *it = block(f, list, PUB_NODE_LIST_ITEM, "Higher wages now");
    it->as.item.marker = "1.";
    f->item2 = it = block(f, list, PUB_NODE_LIST_ITEM, "Safe cranes and ");
    it->as.item.marker = "2.";
    node(f, it, PUB_NODE_LINEBREAK);
    text(f, it, "shorter shifts");
    block(f, s, PUB_NODE_SLOGAN, "Workers of all countries, unite!");
    pub_node *sec = node(f, s, PUB_NODE_SIGNATORY_SECTION);
    sec->as.section.heading = "Signatories (as of 07 June 2021):";
    signatory(f, sec, "1", "ORC", "Organisation R\xC3\xA9volutionnaire",
              "Revolutionary Organisation", "Congo");
    f->sig_bg = signatory(f, sec, "2", "\xD0\x91\xD0\x9A\xD0\x9F",
                          "\xD0\x91\xD1\x8A\xD0\xBB\xD0\xB3\xD0\xB0\xD1\x80"
                          "\xD1\x81\xD0\xBA\xD0\xB0 \xD0\x9F\xD0\xB0\xD1\x80"
                          "\xD1\x82\xD0\xB8\xD1\x8F",
                          "Bulgarian Party", NULL);
    pub_node *notes = node(f, s, PUB_NODE_NOTES);
    pub_node *fn = node(f, notes, PUB_NODE_FOOTNOTE);
    fn->as.note.label = "1";
    text(f, fn, "Since 3 May.");
    f->note_para = fn;
    pub_dossier_append_statement(f->d, s);

    /* statement 2: no language (the style's), an "On behalf of" block */
    s = f->s2 = node(f, NULL, PUB_NODE_STATEMENT);
    block(f, s, PUB_NODE_LETTERHEAD,
          "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0, "
          "\xD0\x9C\xD0\xB0\xD0\xBB\xD1\x8B\xD0\xB9 \xD0\xBF\xD0\xB5"
          "\xD1\x80");
    f->title2 = block(f, s, PUB_NODE_TITLE, "An open letter");
    block(f, s, PUB_NODE_SALUTATION, "Dear friends!");
    block(f, s, PUB_NODE_PARAGRAPH, "We write to you.");
    sec = node(f, s, PUB_NODE_SIGNATORY_SECTION);
    sec->as.section.on_behalf = 1;
    static const char *persons[] = {"Ann Smith", NULL};
    for (int i = 0; i < 2; i++) {
        pub_node *n = node(f, sec, PUB_NODE_SIGNATORY);
        n->as.signatory.on_behalf_of = "the Party of Labour";
        n->as.signatory.role = i ? "Secretary" : "Chair";
        n->as.signatory.persons = i ? NULL : persons;
        n->as.signatory.n_persons = i ? 0 : 1;
        n->as.signatory.split_ok = 1;
    }
    pub_node *cl = block(f, s, PUB_NODE_CLOSING, "Moscow,");
    node(f, cl, PUB_NODE_LINEBREAK);
    text(f, cl, "August 18, 2020");
    pub_dossier_append_statement(f->d, s);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (getenv("PUB_KEEP_TEST_OUTPUT") == NULL) /* for debugging */
        assert_int_equal(system(cmd), 0);
    pub_dossier_free(f->d);
    free(f);
    return 0;
}

/* ------------------------------------------------------------- helpers */

static void quiet(void *u, pub_severity s, const char *f, int l, const char *m)
{
    (void)u;
    if (s != PUB_NOTE)
        fprintf(stderr, "%s:%d: %s\n", f ? f : "-", l, m);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static char *entry(const char *epub, const char *name)
{
    int err = 0;
    zip_t *z = zip_open(epub, ZIP_RDONLY, &err);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    char *buf = malloc(st.size + 1);
    assert_non_null(buf);
    zip_file_t *zf = zip_fopen(z, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
    buf[st.size] = '\0';
    zip_fclose(zf);
    zip_close(z);
    return buf;
}

static pub_status write_book(fixture *f, const pub_page *const *pages, size_t n,
                             const char *name, char *path, size_t pathsz)
{
    pub_ctx ctx = {.diag = quiet};
    pub_style style;
    pub_style_default(&style);
    snprintf(path, pathsz, "%s/%s", f->dir, name);
    return epub_write_pages(&ctx, f->d, pages, n, &style, "Test dossier", path);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle) == NULL)
        fail_msg("missing: %s", needle);
}

/* ---------------------------------------------------------------- tests */

static void test_container(void **state)
{
    fixture *f = *state;
    char path[128], path2[128];
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    assert_int_equal(write_book(f, NULL, 0, "a.epub", path, sizeof path),
                     PUB_OK);
    assert_int_equal(write_book(f, NULL, 0, "b.epub", path2, sizeof path2),
                     PUB_OK);
    size_t n1, n2;
    char *a = slurp(path, &n1), *b = slurp(path2, &n2);
    assert_true(n1 > 58);
    assert_memory_equal(a + 30, "mimetype", 8);
    assert_memory_equal(a + 38, "application/epub+zip", 20);
    assert_int_equal(a[8] | a[9], 0);   /* stored */
    assert_int_equal(a[28] | a[29], 0); /* no extra field */
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1); /* byte-identical rebuild */
    free(a);
    free(b);

    char *opf = entry(path, "EPUB/package.opf");
    assert_contains(opf, "<meta property=\"dcterms:modified\">"
                         "2023-11-14T22:13:20Z</meta>");
    assert_contains(opf, ">urn:uuid:");
    assert_contains(opf, "schema:accessibilitySummary");
    assert_contains(opf, "<dc:language>en</dc:language>");
    assert_true(strstr(opf, "printPageNumbers") == NULL); /* no layout */
    free(opf);
    char *nav = entry(path, "EPUB/nav.xhtml");
    assert_true(strstr(nav, "page-list") == NULL);
    assert_contains(nav, "<a href=\"text/s001.xhtml#h-1\">What we demand</a>");
    free(nav);
    unsetenv("SOURCE_DATE_EPOCH");
}

static void test_semantics(void **state)
{
    fixture *f = *state;
    char path[128];
    assert_int_equal(write_book(f, NULL, 0, "c.epub", path, sizeof path),
                     PUB_OK);
    char *x = entry(path, "EPUB/text/s001.xhtml");
    assert_contains(x, "<!DOCTYPE html>");
    assert_contains(x, "xml:lang=\"en\" lang=\"en\"");
    assert_contains(x, "<h1 id=\"title\">Solidarity with the dockers</h1>");
    assert_contains(x, "<p class=\"dateline\">");
    assert_contains(x, "just &amp; fair &lt;always&gt;."); /* escaped */
    assert_contains(x, "<span class=\"marker\">2.</span> Safe cranes and "
                       "<br/>");
    assert_contains(x, "<caption><h2>Signatories (as of 07 June 2021):"
                       "</h2></caption>");
    assert_contains(x, "<th scope=\"col\" class=\"num\">No.</th>");
    assert_contains(x, "<td class=\"num\">1.</td>");
    assert_contains(x, "<span class=\"translation\">Revolutionary "
                       "Organisation</span>");
    /* Cyrillic name in an English statement: Bulgarian by its letters */
    assert_contains(x, "<span xml:lang=\"bg\" lang=\"bg\">\xD0\x91\xD1\x8A");
    assert_contains(x, "href=\"#fn-1\" class=\"noteref\" "
                       "epub:type=\"noteref\" role=\"doc-noteref\">1</a>");
    assert_contains(x, "<aside id=\"fn-1\" class=\"footnote\" "
                       "epub:type=\"footnote\" role=\"doc-footnote\">");
    assert_contains(x, "epub:type=\"backlink\" role=\"doc-backlink\">1</a>");
    free(x);
    x = entry(path, "EPUB/text/s002.xhtml");
    assert_contains(x, "<p xml:lang=\"ru\" lang=\"ru\">");
    assert_contains(x, "<th scope=\"rowgroup\" class=\"org\" rowspan=\"2\">"
                       "On behalf of the Party of Labour</th>");
    free(x);
    char *css = entry(path, "EPUB/css/publish.css");
    assert_contains(css, "hyphens: auto;");
    assert_contains(css, "font-family: \"Noto Serif\"");
    assert_contains(css, "src: url(\"../fonts/serif-regular.ttf\")");
    free(css);
}

static void test_page_marks(void **state)
{
    fixture *f = *state;
    pub_page pg[7];
    memset(pg, 0, sizeof pg);
    const char *labels[] = {"i", "1", "2", "3", "4", "5", "6"};
    for (int i = 0; i < 7; i++) {
        pg[i].number = i + 1;
        pg[i].label = labels[i];
    }
    /* 1: title page of the PDF (front matter, no body text) */
    pg[1].statement = f->s1; /* 2: statement opens with its kicker */
    pg[1].start.block = f->s1->first_child;
    pg[2].statement = f->s1; /* 3: inside the paragraph, after "harbour " */
    pg[2].start.block = f->para1;
    pg[2].start.offset = strlen("Since the harbour ");
    pg[3].statement = f->s1; /* 4: no text begins (a float page) */
    pg[4].statement = f->s1; /* 5: the second line of item 2 */
    pg[4].start.block = f->item2;
    pg[4].start.offset = strlen("Safe cranes and \n");
    pg[5].statement = f->s1; /* 6: the Bulgarian signatory row */
    pg[5].start.block = f->sig_bg;
    pg[6].statement = f->s2; /* 7: statement 2, from its title */
    pg[6].start.block = f->title2;
    const pub_page *pages[7];
    for (int i = 0; i < 7; i++)
        pages[i] = &pg[i];
    char path[128];
    assert_int_equal(write_book(f, pages, 7, "p.epub", path, sizeof path),
                     PUB_OK);

    char *t = entry(path, "EPUB/title.xhtml");
    assert_contains(t, "<span id=\"page-1\" epub:type=\"pagebreak\" "
                       "role=\"doc-pagebreak\" aria-label=\"i\" "
                       "title=\"i\"/>");
    free(t);
    char *x = entry(path, "EPUB/text/s001.xhtml");
    const char *k = strstr(x, "id=\"page-2\"");
    assert_non_null(k);
    assert_true(k < strstr(x, "class=\"kicker\""));
    assert_contains(x, "<strong>harbour <span id=\"page-3\" "
                       "epub:type=\"pagebreak\" role=\"doc-pagebreak\" "
                       "aria-label=\"2\" title=\"2\"/>"
                       "<span id=\"page-4\" epub:type=\"pagebreak\" "
                       "role=\"doc-pagebreak\" aria-label=\"3\" "
                       "title=\"3\"/>strike</strong>");
    assert_contains(x, "<br/>\n<span id=\"page-5\" epub:type=\"pagebreak\" "
                       "role=\"doc-pagebreak\" aria-label=\"4\" "
                       "title=\"4\"/>shorter shifts");
    assert_contains(x, "<td class=\"num\"><span id=\"page-6\" "
                       "epub:type=\"pagebreak\" role=\"doc-pagebreak\" "
                       "aria-label=\"5\" title=\"5\"/>2.</td>");
    free(x);
    x = entry(path, "EPUB/text/s002.xhtml");
    k = strstr(x, "id=\"page-7\"");
    assert_non_null(k);
    assert_true(k < strstr(x, "<h1"));
    assert_true(k > strstr(x, "class=\"letterhead\""));
    free(x);

    char *nav = entry(path, "EPUB/nav.xhtml");
    assert_contains(nav, "epub:type=\"page-list\"");
    assert_contains(nav, "<a href=\"title.xhtml#page-1\">i</a>");
    assert_contains(nav, "<a href=\"text/s001.xhtml#page-4\">3</a>");
    assert_contains(nav, "<a href=\"text/s002.xhtml#page-7\">6</a>");
    free(nav);
    char *ncx = entry(path, "EPUB/toc.ncx");
    assert_contains(ncx, "<pageTarget id=\"pt-1\" type=\"front\"");
    assert_contains(ncx, "<meta name=\"dtb:totalPageCount\" content=\"7\"/>");
    free(ncx);
    char *opf = entry(path, "EPUB/package.opf");
    assert_contains(opf, "printPageNumbers");
    assert_contains(opf, "<meta property=\"source-of\" "
                         "refines=\"#pagination-source\">pagination</meta>");
    free(opf);

    /* an independent validator, when installed */
    if (access("/usr/share/java/epubcheck.jar", R_OK) == 0 &&
        system("command -v java >/dev/null 2>&1") == 0) {
        char cmd[512];
        snprintf(cmd, sizeof cmd,
                 "java -jar /usr/share/java/epubcheck.jar '%s' 2>&1 | "
                 "grep -q 'Messages: 0 fatals / 0 errors / 0 warnings / "
                 "0 infos'",
                 path);
        assert_int_equal(system(cmd), 0);
    }
}

/* A contents page of the PDF (front matter) is marked in the nav
 * document, ahead of the table of contents. */
static void test_front_matter(void **state)
{
    fixture *f = *state;
    pub_page pg[2];
    memset(pg, 0, sizeof pg);
    pg[0].number = 1;
    pg[0].label = "i";
    pg[0].front_matter = 1;
    pg[1].number = 2;
    pg[1].label = "1";
    pg[1].statement = f->s1;
    pg[1].start.block = f->title1;
    const pub_page *pages[2] = {&pg[0], &pg[1]};
    char path[128];
    assert_int_equal(write_book(f, pages, 2, "f.epub", path, sizeof path),
                     PUB_OK);
    char *nav = entry(path, "EPUB/nav.xhtml");
    const char *k = strstr(nav, "<span id=\"page-1\"");
    assert_non_null(k);
    assert_true(k < strstr(nav, "epub:type=\"toc\""));
    assert_contains(nav, "<a href=\"nav.xhtml#page-1\">i</a>");
    free(nav);
    char *t = entry(path, "EPUB/title.xhtml");
    assert_true(strstr(t, "pagebreak") == NULL);
    free(t);
    char *x = entry(path, "EPUB/text/s001.xhtml");
    k = strstr(x, "<span id=\"page-2\"");
    assert_non_null(k);
    assert_true(k > strstr(x, "class=\"kicker\""));
    assert_true(k < strstr(x, "<h1"));
    free(x);
}

static void test_empty(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    pub_ctx ctx = {.quiet = 1};
    pub_style style;
    pub_style_default(&style);
    assert_int_equal(
        epub_write_pages(&ctx, d, NULL, 0, &style, NULL, "/nonexistent/x.epub"),
        PUB_ERR_INPUT);
    pub_dossier_free(d);
}

/* The characters a document uses, wherever they fall among the eight-byte
 * steps through the markup: UTF-8 and character references at every
 * offset, and at the very end. */
static void test_charset(void **state)
{
    (void)state;
    const char *marks[] = {"\xC3\xA9", "&#233;", "&#xE9;", "\xE2\x80\x94"};
    const uint32_t cps[] = {0xE9, 0xE9, 0xE9, 0x2014};
    for (size_t m = 0; m < 4; m++)
        for (size_t pre = 0; pre < 20; pre++)
            for (size_t post = 0; post < 10; post++) {
                char buf[64];
                size_t n = 0;
                for (size_t k = 0; k < pre; k++)
                    buf[n++] = k % 3 ? 'a' : '&'; /* '&' alone adds nothing */
                size_t ml = strlen(marks[m]);
                memcpy(buf + n, marks[m], ml);
                n += ml;
                for (size_t k = 0; k < post; k++)
                    buf[n++] = '<';
                epub_charset *cs = NULL;
                assert_int_equal(epub_charset_empty(&cs), PUB_OK);
                epub_charset_add(cs, buf, n);
                assert_true(epub_charset_has(cs, cps[m]));
                epub_charset_free(cs);
                /* cut just before the mark's last byte: not a character */
                assert_int_equal(epub_charset_empty(&cs), PUB_OK);
                epub_charset_add(cs, buf, pre + ml - 1);
                assert_false(epub_charset_has(cs, cps[m]));
                epub_charset_free(cs);
            }
}

/* ex_save's own serialiser and libxml2's xmlSaveDoc give the same bytes,
 * formatted and not.  (In ex_save, a node kind it leaves to libxml2 makes
 * it start over with xmlSaveDoc, after what b held before.) */
static void assert_same_serialisation(xmlDocPtr doc)
{
    for (int format = 0; format <= 1; format++) {
        pub_buf ours = {0}, theirs = {0};
        assert_int_equal(pub_buf_puts(&ours, "kept"), PUB_OK);
        assert_int_equal(ex_save(doc, format, &ours), 0);
        assert_int_equal(ex_save_libxml2(doc, format, &theirs), 0);
        assert_int_equal(ours.len, theirs.len + 4);
        assert_memory_equal(ours.data, "kept", 4);
        assert_memory_equal(ours.data + 4, theirs.data, theirs.len);
        pub_buf_free(&ours);
        pub_buf_free(&theirs);
    }
}

static void test_serialiser(void **state)
{
    (void)state;
    pub_epub_init();
    epub_xml x = {0};
    /* XHTML: DOCTYPE, epub: and xml: attributes, escapes in text and
     * attributes (CR, LF, tab, quote), empty elements and texts,
     * non-ASCII, an attribute without a value, nesting deeper than
     * libxml2's 30 levels of indentation, text mixed with elements */
    xmlNodePtr html = ex_begin_xhtml(&x, "fr-CA");
    /* the DOCTYPE, as ex_finish adds it */
    assert_non_null(xmlCreateIntSubset(x.doc, BAD_CAST "html", NULL, NULL));
    xmlNodePtr head = ex_el(&x, html, "head");
    ex_el_text(&x, head, "title", "Titre \xC2\xAB <&> \xC2\xBB \"q\" 'a'");
    xmlNodePtr meta = ex_el(&x, head, "meta");
    ex_set(&x, meta, "content", "a\"b<c>&d\ne\tf\rg 'h' \xC3\xA9");
    ex_set(&x, meta, "name", "");
    xmlNodePtr body = ex_el(&x, html, "body");
    ex_set_epub_type(&x, body, "bodymatter");
    ex_el(&x, body, "hr");
    ex_el_text(&x, body, "p", "");
    xmlNodePtr p = ex_el(&x, body, "p");
    ex_puts(&x, p, "line\r\nnext \xF0\x9F\x98\x80 > &amp; ]]>");
    xmlNodePtr b = ex_el(&x, p, "b");
    ex_puts(&x, b, "bold");
    ex_el(&x, b, "br");
    ex_puts(&x, p, "tail");
    ex_lang(&x, p, "el");
    ex_nl(&x, body);
    xmlNodePtr deep = head; /* indented: no text of its own */
    for (int i = 0; i < 40; i++) {
        deep = ex_el(&x, deep, i % 2 ? "div" : "section");
        if (i == 35)
            ex_puts(&x, deep, "deep text");
    }
    assert_non_null(xmlNewProp(p, BAD_CAST "hidden", NULL));
    assert_false(x.failed);
    assert_same_serialisation(x.doc);
    /* a comment is not a node the helpers make: libxml2 writes it */
    xmlNodePtr c = xmlNewDocComment(x.doc, BAD_CAST " a comment ");
    assert_non_null(xmlAddChild(body, c));
    assert_same_serialisation(x.doc);
    ex_discard(&x);

    /* a package document: a prefixed namespace declared on a child, and
     * an element in it */
    xmlNodePtr pkg = ex_begin(&x, "package", EPUB_NS_OPF);
    ex_set(&x, pkg, "version", "3.0");
    xmlNodePtr md = ex_el(&x, pkg, "metadata");
    xmlNsPtr dc = xmlNewNs(md, BAD_CAST EPUB_NS_DC,
                           BAD_CAST "dc");
    assert_non_null(dc);
    xmlNodePtr t = ex_el_ns(&x, md, dc, "title");
    ex_puts(&x, t, "A & B");
    ex_set(&x, t, "id", "t");
    ex_el(&x, pkg, "manifest");
    assert_false(x.failed);
    assert_same_serialisation(x.doc);
    x.doc->standalone = 1;
    assert_same_serialisation(x.doc);
    ex_discard(&x);

    /* random trees: elements, texts and attributes of awkward bytes */
    static const char *const bits[] = {"a", " ", "<", ">", "&", "\"", "'",
                                       "\n", "\r", "\t", "\xC3\xA9", "]]>",
                                       "\xE2\x80\x94", ""};
    static const char *const names[] = {"p", "span", "div", "a", "li"};
    srand(6);
    for (int round = 0; round < 200; round++) {
        xmlNodePtr root = ex_begin(&x, "root", EPUB_NS_XHTML);
        xmlNodePtr open[64];
        int depth = 0;
        open[0] = root;
        int nodes = rand() % 120;
        for (int k = 0; k < nodes; k++) {
            char text[32] = "";
            for (int w = rand() % 4; w >= 0; w--)
                strcat(text, bits[rand() % 14]);
            switch (rand() % 5) {
            case 0:
            case 1:
                if (depth < 63) {
                    open[depth + 1] = ex_el(&x, open[depth], names[rand() % 5]);
                    depth++;
                }
                break;
            case 2:
                ex_puts(&x, open[depth], text);
                break;
            case 3:
                if (open[depth] != root)
                    ex_set(&x, open[depth], rand() % 2 ? "id" : "title", text);
                break;
            default:
                if (depth > 0)
                    depth--;
                break;
            }
        }
        assert_false(x.failed);
        assert_same_serialisation(x.doc);
        ex_discard(&x);
    }
}

/* A document of n paragraphs, each of several text runs (adjacent text
 * nodes merge, so libxml2 reallocates) and attributes, with one long
 * paragraph of big bytes: serialised bytes in *out (free()). */
static void build_sample(epub_region *mem, size_t n, size_t big, xmlChar **out,
                         int *len)
{
    epub_xml x = {.mem = mem};
    xmlNodePtr html = ex_begin_xhtml(&x, "en");
    xmlNodePtr body = ex_el(&x, html, "body");
    char word[64];
    for (size_t i = 0; i < n; i++) {
        xmlNodePtr p = ex_el(&x, body, "p");
        snprintf(word, sizeof word, "p-%zu", i);
        ex_set(&x, p, "id", word);
        ex_set_epub_type(&x, p, i % 2 ? "footnote" : "chapter");
        for (int k = 0; k < 5; k++) {
            snprintf(word, sizeof word, "word %zu.%d & <%s> ", i, k,
                     k % 2 ? "\xC3\xA9t\xC3\xA9" : "\xD0\x96");
            ex_puts(&x, p, word);
        }
        ex_nl(&x, body);
    }
    char *long_text = malloc(big + 1);
    assert_non_null(long_text);
    for (size_t i = 0; i < big; i++)
        long_text[i] = (char)('a' + i % 26);
    long_text[big] = '\0';
    ex_el_text(&x, body, "pre", long_text);
    free(long_text);
    assert_int_equal(ex_finish(&x, NULL, 0, out, len), PUB_OK);
}

/* A tree built in a region serialises to the same bytes as one built
 * with libxml2's own allocator, document after document in one region;
 * libxml2's allocations outside the region go on as before. */
static void test_region(void **state)
{
    (void)state;
    pub_epub_init();
    epub_region mem = {0};
    const size_t sizes[][2] = {{1, 10}, {3000, 100}, {10, 3000000}, {200, 0}};
    for (size_t t = 0; t < 4; t++) {
        xmlChar *plain, *in_region;
        int plain_len, region_len;
        build_sample(NULL, sizes[t][0], sizes[t][1], &plain, &plain_len);
        build_sample(&mem, sizes[t][0], sizes[t][1], &in_region, &region_len);
        assert_int_equal(plain_len, region_len);
        assert_memory_equal(plain, in_region, (size_t)plain_len);
        assert_non_null(strstr((char *)in_region, "&amp; &lt;"));
        free(plain);
        free(in_region);
        assert_false(mem.entered);
    }
    assert_non_null(mem.first); /* blocks kept for the next document */
    /* one region at a time in a thread */
    epub_region other = {0};
    assert_true(epub_region_enter(&mem));
    assert_false(epub_region_enter(&other));
    assert_false(epub_region_enter(&mem));
    epub_region_leave(&mem);
    xmlChar *s = xmlStrdup(BAD_CAST "outside");
    assert_non_null(s);
    assert_false(mem.entered);
    xmlFree(s);
    epub_region_free(&mem);
    epub_region_free(&other);
    assert_null(mem.first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_container, setup, teardown),
        cmocka_unit_test_setup_teardown(test_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_front_matter, setup, teardown),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_charset),
        cmocka_unit_test(test_region),
        cmocka_unit_test(test_serialiser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
