/*
 * xmltree.c — thin helpers over the libxml2 tree API with a sticky error
 * flag, so every EPUB document is a libxml2 tree (XML 1.0, UTF-8) and never
 * markup assembled by hand; the tree is written out as libxml2's xmlSaveDoc
 * writes it (see "serialisation" below).
 */
#include "epub/epub_int.h"

#include "core/core.h"

#include <libxml/parserInternals.h> /* xmlStringText */
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
    x->xhtml = 1; /* <!DOCTYPE html> is added by ex_finish: with no DTD
                   * meanwhile, libxml2 looks up no attribute for an ID */
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

/* ---- serialisation ----
 *
 * ex_serialize writes what libxml2 2.9's xmlSaveDoc writes for a document
 * saved with XML_SAVE_AS_XML, encoding "UTF-8" (and XML_SAVE_FORMAT when
 * format), byte for byte -- xmlsave.c: xmlDocContentDumpOutput,
 * xmlDtdDumpOutput, xmlNodeDumpOutputInternal, xmlNsDumpOutput,
 * xmlAttrDumpOutput; xmlIO.c: xmlEscapeContent -- for the node kinds these
 * helpers build: a DTD without declarations, elements with namespace
 * declarations and attributes of one text each, and text.  It writes into
 * one buffer; xmlSaveDoc takes each piece through its output-buffer layers
 * (1.3 million calls for a 200-statement dossier, 11 % of the whole run's
 * instructions).  On any other node it gives up and ex_finish hands the
 * tree to xmlSaveDoc.  tests/unit/test_epub.c holds the two to the same
 * bytes. */

typedef struct xml_out {
    pub_buf *b;
    int failed;
} xml_out;

static void out_put(xml_out *o, const void *p, size_t n)
{
    if (!o->failed && pub_buf_append(o->b, p, n) != PUB_OK)
        o->failed = 1;
}

static void out_str(xml_out *o, const xmlChar *s)
{
    out_put(o, s, strlen((const char *)s));
}

static void out_qname(xml_out *o, const xmlNs *ns, const xmlChar *name)
{
    if (ns != NULL && ns->prefix != NULL) {
        out_str(o, ns->prefix);
        out_put(o, ":", 1);
    }
    out_str(o, name);
}

/* Text content escapes < > & and CR (xmlEscapeContent); an attribute value
 * also " and the white space that attribute normalisation would eat
 * (xmlBufAttrSerializeTxtContent; UTF-8 stays as it is, since the document
 * has an encoding while it is saved). */
static void out_escaped(xml_out *o, const xmlChar *s, int attr)
{
    const xmlChar *run = s;
    for (;; s++) {
        const char *ref;
        switch (*s) {
        case '\0':
            out_put(o, run, (size_t)(s - run));
            return;
        case '<': ref = "&lt;"; break;
        case '>': ref = "&gt;"; break;
        case '&': ref = "&amp;"; break;
        case '\r': ref = "&#13;"; break;
        case '"': ref = attr ? "&quot;" : NULL; break;
        case '\n': ref = attr ? "&#10;" : NULL; break;
        case '\t': ref = attr ? "&#9;" : NULL; break;
        default: ref = NULL; break;
        }
        if (ref != NULL) {
            out_put(o, run, (size_t)(s - run));
            out_put(o, ref, strlen(ref));
            run = s + 1;
        }
    }
}

/* libxml2's indentation: two spaces a level, at most 30 levels. */
static void out_indent(xml_out *o, int level)
{
    static const char spaces[] = "                                        "
                                 "                    ";
    out_put(o, spaces, 2 * (size_t)(level > 30 ? 30 : level));
}

/* A namespace URI or the version, in double quotes; one holding a double
 * quote (xmlBufWriteQuotedString would switch quotes) is not ours. */
static int out_quoted(xml_out *o, const xmlChar *s)
{
    if (strchr((const char *)s, '"') != NULL)
        return -1;
    out_put(o, "\"", 1);
    out_str(o, s);
    out_put(o, "\"", 1);
    return 0;
}

/* Text libxml2 writes unescaped (xmlStringTextNoenc, which it does not
 * export); not ours. */
static int is_noenc(const xmlNode *t)
{
    return t->name != NULL && t->name != xmlStringText &&
           strcmp((const char *)t->name, "textnoenc") == 0;
}

/* The start tag of an element: its name, namespace declarations (never
 * the implicit xml: one) and attributes. */
static int out_start_tag(xml_out *o, const xmlNode *e)
{
    out_put(o, "<", 1);
    out_qname(o, e->ns, e->name);
    for (const xmlNs *ns = e->nsDef; ns != NULL; ns = ns->next) {
        if (ns->type != XML_LOCAL_NAMESPACE || ns->href == NULL ||
            (ns->prefix != NULL && strcmp((const char *)ns->prefix, "xml") == 0))
            continue;
        out_put(o, " xmlns", 6);
        if (ns->prefix != NULL) {
            out_put(o, ":", 1);
            out_str(o, ns->prefix);
        }
        out_put(o, "=", 1);
        if (out_quoted(o, ns->href) < 0)
            return -1;
    }
    for (const xmlAttr *a = e->properties; a != NULL; a = a->next) {
        const xmlNode *t = a->children;
        if (t != NULL && (t->type != XML_TEXT_NODE || t->next != NULL ||
                          is_noenc(t)))
            return -1;
        out_put(o, " ", 1);
        out_qname(o, a->ns, a->name);
        out_put(o, "=\"", 2);
        if (t != NULL && t->content != NULL)
            out_escaped(o, t->content, 1);
        out_put(o, "\"", 1);
    }
    return 0;
}

/* An element and everything in it, walked without recursion as
 * xmlNodeDumpOutputInternal walks it: when formatting, every element
 * starts on its own indented line unless its parent holds text. */
static int out_element(xml_out *o, const xmlNode *root, int format)
{
    const xmlNode *cur = root, *unformatted = NULL;
    int level = 0;
    for (;;) {
        if (cur->type == XML_ELEMENT_NODE) {
            if (cur != root && format)
                out_indent(o, level);
            if (out_start_tag(o, cur) < 0)
                return -1;
            if (cur->children != NULL) {
                if (format)
                    for (const xmlNode *c = cur->children; c != NULL; c = c->next)
                        if (c->type == XML_TEXT_NODE) {
                            format = 0;
                            unformatted = cur;
                            break;
                        }
                out_put(o, format ? ">\n" : ">", format ? 2 : 1);
                level++;
                cur = cur->children;
                continue;
            }
            out_put(o, "/>", 2);
        } else if (cur->type == XML_TEXT_NODE && !is_noenc(cur)) {
            if (cur->content != NULL)
                out_escaped(o, cur->content, 0);
        } else {
            return -1; /* not a node these helpers make */
        }
        for (;;) { /* after cur: its next sibling, or close its parents */
            if (cur == root)
                return 0;
            if (format)
                out_put(o, "\n", 1);
            if (cur->next != NULL) {
                cur = cur->next;
                break;
            }
            cur = cur->parent;
            if (level > 0)
                level--;
            if (format)
                out_indent(o, level);
            out_put(o, "</", 2);
            out_qname(o, cur->ns, cur->name);
            out_put(o, ">", 1);
            if (cur == unformatted) {
                format = 1;
                unformatted = NULL;
            }
        }
    }
}

/* The document: 0; 1 when out of memory; -1 when it holds a node kind
 * left to xmlSaveDoc (b then holds part of a serialisation). */
static int ex_serialize(const xmlDoc *doc, int format, pub_buf *b)
{
    xml_out o = {.b = b};
    out_put(&o, "<?xml version=", 14);
    if (out_quoted(&o, doc->version != NULL ? doc->version : BAD_CAST "1.0") < 0)
        return -1;
    out_put(&o, " encoding=\"UTF-8\"", 17);
    if (doc->standalone == 0)
        out_put(&o, " standalone=\"no\"", 16);
    else if (doc->standalone == 1)
        out_put(&o, " standalone=\"yes\"", 17);
    out_put(&o, "?>\n", 3);
    for (const xmlNode *c = doc->children; c != NULL; c = c->next) {
        if (c->type == XML_DTD_NODE) {
            const xmlDtd *d = (const xmlDtd *)c;
            if (d->ExternalID != NULL || d->SystemID != NULL || d->entities != NULL ||
                d->elements != NULL || d->attributes != NULL ||
                d->notations != NULL || d->pentities != NULL)
                return -1;
            out_put(&o, "<!DOCTYPE ", 10);
            out_str(&o, d->name);
            out_put(&o, ">", 1);
        } else if (c->type != XML_ELEMENT_NODE || out_element(&o, c, format) < 0) {
            return -1;
        }
        out_put(&o, "\n", 1);
    }
    return o.failed ? 1 : 0;
}

/* libxml2 writes its serialisation here, chunk by chunk. */
static int sink_write(void *user, const char *data, int len)
{
    return pub_buf_append(user, data, (size_t)len) == PUB_OK ? len : -1;
}

static int sink_close(void *user)
{
    (void)user;
    return 0;
}

int ex_save_libxml2(xmlDocPtr doc, int format, pub_buf *b)
{
    xmlSaveCtxtPtr sc = xmlSaveToIO(sink_write, sink_close, b, "UTF-8",
                                    XML_SAVE_AS_XML | (format ? XML_SAVE_FORMAT : 0));
    if (sc == NULL)
        return -1;
    long w = xmlSaveDoc(sc, doc);
    return xmlSaveClose(sc) >= 0 && w >= 0 ? 0 : -1;
}

int ex_save(xmlDocPtr doc, int format, pub_buf *b)
{
    size_t start = b->len;
    int r = ex_serialize(doc, format, b);
    if (r >= 0)
        return -r;
    b->len = start; /* a node kind of libxml2's own: its serialiser, afresh */
    return ex_save_libxml2(doc, format, b);
}

pub_status ex_finish(epub_xml *x, pub_ctx *ctx, int format, xmlChar **out,
                     int *len)
{
    pub_buf b = {0};
    *out = NULL;
    *len = 0;
    if (x->xhtml && !x->failed && x->doc->intSubset == NULL &&
        xmlCreateIntSubset(x->doc, BAD_CAST "html", NULL, NULL) == NULL)
        x->failed = 1; /* before the root, as if made first */
    int ok = !x->failed && ex_save(x->doc, format, &b) == 0 && b.len > 0 &&
             b.len < INT_MAX && pub_buf_putc(&b, '\0') == PUB_OK;
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
