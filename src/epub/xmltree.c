/*
 * xmltree.c — thin helpers over the libxml2 tree API with a sticky error
 * flag, so every EPUB document is a tree serialised by libxml2 (XML 1.0,
 * UTF-8) and never markup assembled by hand.
 */
#include "epub/epub_int.h"

#include "core/core.h"

#include <libxml/xmlsave.h>
#include <limits.h>

#include <string.h>

static void *bad(epub_xml *x)
{
    x->failed = 1;
    return NULL;
}

xmlNodePtr ex_begin_xhtml(epub_xml *x, const char *lang)
{
    xmlNodePtr html = ex_begin(x, "html", EPUB_NS_XHTML);
    if (html == NULL)
        return NULL;
    x->xhtml = 1;
    if (xmlCreateIntSubset(x->doc, BAD_CAST "html", NULL, NULL) == NULL)
        return bad(x);
    x->epub = xmlNewNs(html, BAD_CAST EPUB_NS_OPS, BAD_CAST "epub");
    if (x->epub == NULL)
        return bad(x);
    ex_lang(x, html, lang);
    return html;
}

xmlNodePtr ex_begin(epub_xml *x, const char *root, const char *ns_href)
{
    epub_region *mem = x->mem;
    memset(x, 0, sizeof *x);
    x->mem = mem;
    x->in_region = epub_region_enter(mem);
    x->doc = xmlNewDoc(BAD_CAST "1.0");
    if (x->doc == NULL)
        return bad(x);
    /* element and attribute names from one dictionary (the document owns
     * it), not a copy per node */
    x->doc->dict = xmlDictCreate();
    if (x->doc->dict == NULL)
        return bad(x);
    x->root = xmlNewDocNode(x->doc, NULL, BAD_CAST root, NULL);
    if (x->root == NULL)
        return bad(x);
    xmlDocSetRootElement(x->doc, x->root);
    x->ns = xmlNewNs(x->root, BAD_CAST ns_href, NULL);
    if (x->ns == NULL)
        return bad(x);
    xmlSetNs(x->root, x->ns);
    return x->root;
}

xmlNodePtr ex_el_ns(epub_xml *x, xmlNodePtr parent, xmlNsPtr ns,
                    const char *name)
{
    if (x->failed || parent == NULL)
        return bad(x);
    xmlNodePtr n = xmlNewDocNode(x->doc, ns, BAD_CAST name, NULL);
    if (n == NULL || xmlAddChild(parent, n) == NULL) {
        xmlFreeNode(n);
        return bad(x);
    }
    return n;
}

xmlNodePtr ex_el(epub_xml *x, xmlNodePtr parent, const char *name)
{
    return ex_el_ns(x, parent, x->ns, name);
}

xmlNodePtr ex_el_text(epub_xml *x, xmlNodePtr parent, const char *name,
                      const char *text)
{
    xmlNodePtr n = ex_el(x, parent, name);
    ex_puts(x, n, text);
    return n;
}

void ex_set(epub_xml *x, xmlNodePtr n, const char *name, const char *value)
{
    if (x->failed || n == NULL) {
        bad(x);
        return;
    }
    if (xmlSetProp(n, BAD_CAST name, BAD_CAST value) == NULL)
        bad(x);
}

void ex_set_epub_type(epub_xml *x, xmlNodePtr n, const char *value)
{
    if (x->failed || n == NULL || x->epub == NULL) {
        bad(x);
        return;
    }
    if (xmlSetNsProp(n, x->epub, BAD_CAST "type", BAD_CAST value) == NULL)
        bad(x);
}

void ex_lang(epub_xml *x, xmlNodePtr n, const char *lang)
{
    if (x->failed || n == NULL) {
        bad(x);
        return;
    }
    xmlNodeSetLang(n, BAD_CAST lang);
    if (x->xhtml)
        ex_set(x, n, "lang", lang);
}

/* XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]; invalid UTF-8 is dropped as well. */
static int xml_char(int32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

void ex_text(epub_xml *x, xmlNodePtr parent, const char *s, size_t len)
{
    if (x->failed || parent == NULL) {
        bad(x);
        return;
    }
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        int32_t c = 0;
        size_t k = 0;
        for (;;) {
            const unsigned char *u = (const unsigned char *)s;
            while (run < len && u[run] >= 0x20 && u[run] < 0x80)
                run++; /* printable ASCII: a Char as it is */
            if (run >= len ||
                (k = pub_utf8_decode(u + run, len - run, &c)) == 0 || !xml_char(c))
                break;
            run += k;
        }
        if (run > i) {
            if (run - i > (size_t)INT32_MAX) {
                bad(x);
                return;
            }
            xmlNodePtr t =
                xmlNewDocTextLen(x->doc, BAD_CAST(s + i), (int)(run - i));
            if (t == NULL || xmlAddChild(parent, t) == NULL) {
                xmlFreeNode(t);
                {
                    bad(x);
                    return;
                }
            }
        }
        i = run;
        if (i < len) /* skip one forbidden character or stray byte */
            i += k > 0 ? k : 1;
    }
}

void ex_puts(epub_xml *x, xmlNodePtr parent, const char *s)
{
    ex_text(x, parent, s, strlen(s));
}

void ex_nl(epub_xml *x, xmlNodePtr parent)
{
    ex_text(x, parent, "\n", 1);
}

/* libxml2 writes the serialisation here, chunk by chunk: one copy of the
 * document's text, not the two of xmlDocDumpFormatMemoryEnc (its output
 * buffer, then a duplicate of it). */
static int sink_write(void *user, const char *data, int len)
{
    return pub_buf_append(user, data, (size_t)len) == PUB_OK ? len : -1;
}

static int sink_close(void *user)
{
    (void)user;
    return 0;
}

pub_status ex_finish(epub_xml *x, pub_ctx *ctx, int format, xmlChar **out,
                     int *len)
{
    pub_buf b = {0};
    int ok = 0;
    *out = NULL;
    *len = 0;
    if (!x->failed) {
        xmlSaveCtxtPtr sc = xmlSaveToIO(sink_write, sink_close, &b, "UTF-8",
                                        XML_SAVE_AS_XML | (format ? XML_SAVE_FORMAT : 0));
        if (sc != NULL) {
            long w = xmlSaveDoc(sc, x->doc);
            ok = xmlSaveClose(sc) >= 0 && w >= 0 && b.len > 0 && b.len < INT_MAX &&
                 pub_buf_putc(&b, '\0') == PUB_OK;
        }
    }
    ex_discard(x);
    if (!ok) {
        pub_buf_free(&b);
        pub_diag(ctx, PUB_ERROR, NULL, 0,
                 "libxml2 could not build an EPUB document");
        return pub_error(PUB_ERR_BACKEND);
    }
    *out = (xmlChar *)b.data; /* malloc'd, not libxml2's */
    *len = (int)(b.len - 1);
    return PUB_OK;
}

void ex_discard(epub_xml *x)
{
    if (x->in_region)
        epub_region_leave(x->mem); /* the whole tree at once */
    else if (x->doc != NULL)
        xmlFreeDoc(x->doc);
    x->in_region = 0;
    x->doc = NULL;
    x->root = NULL;
}
