/*
 * epub_int.h — private to the EPUB backend: the book plan shared by its
 * stages (xhtml.c, package.c, css.c, container.c, driver epub.c) and the
 * small libxml2 tree helpers (xmltree.c). Nothing here is installed.
 */
#ifndef PUB_EPUB_INT_H
#define PUB_EPUB_INT_H

#include "core/core.h"
#include "epub/epub.h"
#include "index/index.h"

#include <libxml/tree.h>
#include <libxml/xmlmemory.h>
#include <stdint.h>
#include <time.h>

#define EPUB_NS_XHTML "http://www.w3.org/1999/xhtml"
#define EPUB_NS_OPS "http://www.idpf.org/2007/ops"
#define EPUB_NS_OPF "http://www.idpf.org/2007/opf"
#define EPUB_NS_DC "http://purl.org/dc/elements/1.1/"
#define EPUB_NS_NCX "http://www.daisy.org/z3986/2005/ncx/"
#define EPUB_NS_OCF "urn:oasis:names:tc:opendocument:xmlns:container"

/* ------------------------------------------------------------- region.c */

/* Where one document's libxml2 tree lives (region.c); a building thread
 * owns one and enters it for each document it builds. Zeroed = empty. */
typedef struct region_block region_block;
typedef struct epub_region {
    region_block *first, *last; /* every block, oldest first */
    region_block *open;         /* the one allocations come from */
    void *recent;               /* the latest allocation, or NULL */
    int entered;
} epub_region;

/* Points this thread's libxml2 at r (through the hooks pub_epub_init
 * installs; without an entered region they call the allocator set
 * before). Returns 1, or 0 when r stays unused (NULL, already entered,
 * another region entered, no hooks installed): libxml2 then allocates as
 * before. */
int epub_region_enter(epub_region *r);
/* libxml2 gets back its allocator; all r gave out since enter is gone. */
void epub_region_leave(epub_region *r);
/* Leaves r and frees its blocks. */
void epub_region_free(epub_region *r);

/* ------------------------------------------------------------ xmltree.c */

/* One XML document under construction. Errors are sticky (after cairo's
 * status): a failed libxml2 call sets `failed`, later calls do nothing and
 * ex_finish reports PUB_ERR_BACKEND once, so builders need not check every
 * node. */
typedef struct epub_xml {
    epub_region *mem; /* set before ex_begin: where the tree lives (NULL:
                       * libxml2's allocator); ex_begin keeps it */
    int in_region;    /* mem entered: ex_discard rewinds it, no xmlFreeDoc */
    xmlDocPtr doc;
    xmlNodePtr root;
    xmlNsPtr ns;   /* default namespace of the root element */
    xmlNsPtr epub; /* epub: (XHTML only) */
    int xhtml;     /* set lang= besides xml:lang */
    int failed;
} epub_xml;

/* An XHTML5 document: <!DOCTYPE html>, <html> in the XHTML namespace with
 * the epub: namespace, xml:lang and lang. Returns the <html> element. */
xmlNodePtr ex_begin_xhtml(epub_xml *x, const char *lang);
/* Any other document: root element name in namespace ns_href. */
xmlNodePtr ex_begin(epub_xml *x, const char *root, const char *ns_href);
xmlNodePtr ex_el(epub_xml *x, xmlNodePtr parent, const char *name);
xmlNodePtr ex_el_ns(epub_xml *x, xmlNodePtr parent, xmlNsPtr ns,
                    const char *name);
/* An element holding one text. */
xmlNodePtr ex_el_text(epub_xml *x, xmlNodePtr parent, const char *name,
                      const char *text);
void ex_set(epub_xml *x, xmlNodePtr n, const char *name, const char *value);
void ex_set_epub_type(epub_xml *x, xmlNodePtr n, const char *value);
void ex_lang(epub_xml *x, xmlNodePtr n, const char *lang);
/* Appends text (len bytes of UTF-8); characters XML 1.0 forbids are
 * dropped, so the serialised document is always well-formed. */
void ex_text(epub_xml *x, xmlNodePtr parent, const char *s, size_t len);
void ex_puts(epub_xml *x, xmlNodePtr parent, const char *s);
/* A line break between block elements (readable source, no indentation). */
void ex_nl(epub_xml *x, xmlNodePtr parent);
/* Serialises (UTF-8, XML declaration; indented when format) and frees the
 * tree. *out is freed with free(). */
PUB_MUST_CHECK pub_status ex_finish(epub_xml *x, pub_ctx *ctx, int format,
                                    xmlChar **out, int *len);
void ex_discard(epub_xml *x);
/* Appends doc's serialisation (as ex_finish writes it) to b: 0, or -1 on
 * failure.  ex_save writes the node kinds the helpers above make itself,
 * as libxml2 would; ex_save_libxml2 is libxml2's xmlSaveDoc. */
int ex_save(xmlDocPtr doc, int format, pub_buf *b);
int ex_save_libxml2(xmlDocPtr doc, int format, pub_buf *b);

/* ---------------------------------------------------------- the book plan */

/* What a spine document holds. */
typedef enum epub_doc_kind {
    EPUB_DOC_TITLE,      /* cover and title page */
    EPUB_DOC_NAV,        /* contents (the navigation document) */
    EPUB_DOC_STATEMENT,  /* one statement */
    EPUB_DOC_INDEX,      /* index of signatories */
    EPUB_DOC_MATRIX,     /* signatory matrix */
    EPUB_DOC_PROVENANCE  /* provenance appendix (colophon) */
} epub_doc_kind;

/* Where one PDF page begins in the EPUB. */
typedef struct epub_mark {
    const pub_node *block; /* normalised block; NULL: see stmt */
    const pub_node *stmt;  /* statement; NULL with block NULL = front matter */
    size_t offset;         /* byte offset into plain text of block */
    const char *label;     /* page label as printed */
    int number;            /* physical page number: id "page-N" */
    int front;             /* a contents page of the PDF: marked in nav */
    int placed;            /* set when written into a document */
    int doc;               /* spine document it landed in */
    int64_t seq;           /* reading order (epub_seq) */
    int back;              /* a back matter page of the PDF (index, ...) */
    epub_doc_kind part;    /* the back matter document that prints it */
    size_t target;         /* back: the document that marks it (plan_back_marks) */
} epub_mark;

/* The marks of one block (or, for a statement's opening pages, of one
 * statement), found by binary search: marks index `i` under `key`. */
typedef struct epub_mark_key {
    const pub_node *key;
    size_t i;
} epub_mark_key;

/* A navigation target: statements (level 0) and their sections (1). */
typedef struct epub_toc {
    char *title;      /* malloc'd, one line */
    const char *lang; /* when it differs from the nav document */
    int level;
    int doc;
    char frag[24]; /* "" = start of the document */
    int64_t seq;   /* reading order (epub_seq) */
} epub_toc;

/* One signature row of a statement document, as the index links to it. */
typedef struct epub_sig {
    const pub_node *node; /* SIGNATORY */
    int doc;              /* spine document of its statement */
    int ordinal;          /* 1-based among the statement's rows: id "sg-N" */
    int mark;             /* marks[] index of the PDF page it is on, -1 */
} epub_sig;

/* One spine document. */
typedef struct epub_doc {
    epub_doc_kind kind;
    char href[48];        /* relative to the package folder */
    char id[32];          /* manifest id */
    const pub_node *stmt; /* NULL for front matter */
    const char *lang;
    xmlChar *data;
    int len;
    /* an index document: the entries [org_from, org_to) of ix->orgs and
     * [person_from, person_to) of ix->persons; a matrix document: the
     * tables of column groups [grp_from, grp_to); and its number among
     * its part's documents (0: the first, which opens the part) */
    size_t org_from, org_to, person_from, person_to;
    size_t grp_from, grp_to;
    int ix_seq;
    /* what building the document adds to the navigation: its toc entries
     * (gathered into the book's in spine order) and a counter of its
     * navigation targets; each document owns its own, so documents may be
     * built on different threads */
    epub_toc *toc;
    size_t n_toc, cap_toc;
    int64_t n_seq;
    /* the document deflated for the container by the thread that built it
     * (data is then freed): epub_pack */
    unsigned char *packed;
    size_t packed_len;
    uint32_t crc;
} epub_doc;

typedef struct epub_builder epub_builder;
struct epub_builder {
    struct libdeflate_compressor *z;
    struct epub_charset *chars;
    epub_region mem; /* the document being built */
};

typedef struct epub_font {
    char path[4096];
    char href[40];
    int weight, italic, sans;
    int slot;     /* PUB_FONT_* */
    int alias_of; /* -1, or the slot whose file this is */
} epub_font;

typedef struct epub_book {
    pub_ctx *ctx;
    const pub_dossier *d;
    const pub_style *style;
    const char *title; /* resolved title of the dossier */
    char *title_owned;
    int dated_title;    /* the title names the dates already */
    const char *lang;   /* primary language */
    const char **langs; /* distinct languages, primary first */
    size_t n_langs;
    char uuid[48];     /* "urn:uuid:..." */
    char modified[24]; /* "YYYY-MM-DDThh:mm:ssZ" */
    char date[11];     /* dc:date, "" when unknown */
    char first_date[11];
    time_t mtime; /* zip entry time (UTC) */

    epub_mark *marks;
    size_t n_marks;
    epub_mark_key *by_block; /* marks with a block, by block then page */
    size_t n_by_block;
    epub_mark_key *by_stmt;  /* marks opening a statement (no block) */
    size_t n_by_stmt;
    size_t n_pages; /* pages in the PDF edition (0 = no layout) */

    epub_doc *docs;
    size_t n_docs;
    size_t title_doc, nav_doc; /* indices of front matter documents */
    size_t n_stmt_docs;        /* statements: docs[2 .. 2 + n_stmt_docs) */
    char **stmt_titles;        /* their titles on one line, for the back matter */
    int seen_statement;        /* plan_marks: a statement's page came */

    const pub_index *ix; /* the signatory authority list (the layout's) */
    pub_index *own_ix;   /* built here when the layout had none */
    epub_sig *sigs;  /* every signature row, sorted by node address */
    size_t n_sigs;
    size_t n_signed_orgs, n_signed_persons; /* with at least one signature */
    size_t *org_doc; /* per ix->orgs entry: the index document listing it */
    /* the matrix's rows by group of PUB_MATRIX_ALL statements
     * (pub_matrix_groups), n_mx_groups of them */
    size_t *mx_orgs, *mx_start, n_mx_groups;

    pub_diagq *dq; /* per document: its messages, replayed in order */
    epub_builder builders[2]; /* the EPUB's thread, a helper */
    epub_toc *toc; /* every document's, in spine order (epub_gather_toc) */
    size_t n_toc;

    epub_font fonts[PUB_FONT_COUNT];
    char serif_family[128], sans_family[128];
} epub_book;

/* A statement's title on one line (malloc'd), never NULL on success. */
PUB_MUST_CHECK pub_status epub_statement_title(const pub_node *stmt,
                                               char **out);
/* Language of a statement (model, else style). */
const char *epub_statement_lang(const epub_book *b, const pub_node *stmt);

/* xhtml.c: model -> XHTML */
/* The page-break marker of m (an empty span with the page label). */
void epub_pagebreak(epub_xml *x, xmlNodePtr parent, const epub_mark *m);
PUB_MUST_CHECK pub_status epub_xhtml_statement(epub_book *b, size_t doc,
                                               epub_region *mem, pub_ctx *ctx);
PUB_MUST_CHECK pub_status epub_xhtml_titlepage(epub_book *b, size_t doc);

/* The row of a SIGNATORY node, or NULL. */
const epub_sig *epub_sig_of(const epub_book *b, const pub_node *signatory);
/* Writes the id of a signature row ("sg-N") into id. */
void epub_sig_id(const epub_sig *s, char *id, size_t n);
/* The document's head: charset, title, the style sheet at css_href. */
xmlNodePtr epub_head(epub_xml *x, xmlNodePtr html, const char *title,
                     const char *css_href);
/* Appends a toc entry for doc#frag (frag "" = the document's start);
 * title is copied. */
/* The next reading-order number in document doc: documents in spine
 * order, targets in the order the document places them. */
int64_t epub_seq(epub_book *b, size_t doc);
/* The last toc entry document doc added. */
epub_toc *epub_last_toc(epub_book *b, size_t doc);
PUB_MUST_CHECK pub_status epub_add_toc(epub_book *b, size_t doc,
                                       const char *title, int level,
                                       const char *frag);

/* backmatter.c: index of signatories, signatory matrix, provenance */
PUB_MUST_CHECK pub_status epub_xhtml_index(epub_book *b, size_t doc,
                                           epub_region *mem, pub_ctx *ctx);
PUB_MUST_CHECK pub_status epub_xhtml_matrix(epub_book *b, size_t doc,
                                            epub_region *mem, pub_ctx *ctx);
PUB_MUST_CHECK pub_status epub_xhtml_provenance(epub_book *b, size_t doc,
                                                epub_region *mem, pub_ctx *ctx);

/* package.c: OPF package document, nav document, NCX, container.xml */
PUB_MUST_CHECK pub_status epub_package_opf(epub_book *b, xmlChar **out,
                                           int *len);
/* The navigation document as docs[doc]; its messages go to ctx. */
PUB_MUST_CHECK pub_status epub_package_nav(epub_book *b, size_t doc, pub_ctx *ctx);
PUB_MUST_CHECK pub_status epub_package_ncx(epub_book *b, xmlChar **out,
                                           int *len);
PUB_MUST_CHECK pub_status epub_package_container(epub_book *b, xmlChar **out,
                                                 int *len);

/* css.c: pub_style -> CSS (malloc'd in out) */
PUB_MUST_CHECK pub_status epub_css(const epub_book *b, pub_buf *out);

/* container.c: the OCF ZIP container */
typedef struct epub_entry {
    const char *name; /* generated by us, ASCII */
    const void *data;
    size_t len;
    int stored; /* 1: no compression (mimetype) */
    /* when not NULL: data already deflated (epub_pack), len bytes of text */
    const unsigned char *packed;
    size_t packed_len;
    uint32_t crc;
} epub_entry;
/* Deflates len bytes of data for the container (RFC 1951 with the
 * compressor z, libdeflate level 1) into *out (malloc'd) and its CRC-32,
 * so that documents can be packed on the threads that build them. */
struct libdeflate_compressor;
PUB_MUST_CHECK pub_status epub_pack(struct libdeflate_compressor *z,
                                    const void *data, size_t len,
                                    unsigned char **out, size_t *out_len,
                                    uint32_t *crc);
/* Builds the ZIP in memory (entries in order, every entry dated mtime in
 * UTC) and writes it to path atomically. */
PUB_MUST_CHECK pub_status epub_ocf_write(pub_ctx *ctx, const epub_entry *e,
                                         size_t n, time_t mtime,
                                         const char *path);

/* subset.c: the characters the book uses (every character of the entries'
 * UTF-8 text and XML character references, plus printable ASCII, Latin-1
 * and general punctuation), and a font cut down to them. */
typedef struct epub_charset epub_charset;
PUB_MUST_CHECK pub_status epub_charset_new(const epub_entry *texts, size_t n,
                                           epub_charset **out);
/* An empty set, for epub_charset_add and epub_charset_merge. */
PUB_MUST_CHECK pub_status epub_charset_empty(epub_charset **out);
/* Adds the characters of len bytes of XML text. */
void epub_charset_add(epub_charset *cs, const void *text, size_t len);
/* Adds every character of from to into (out of memory: fails). */
PUB_MUST_CHECK pub_status epub_charset_merge(epub_charset *into,
                                             const epub_charset *from);
void epub_charset_free(epub_charset *cs);
/* Is cp in the set? */
int epub_charset_has(const epub_charset *cs, uint32_t cp);
/* *out (malloc'd, the caller frees) is font (the file at path) subset to cs. */
PUB_MUST_CHECK pub_status epub_font_subset(pub_ctx *ctx, const char *path,
                                           const epub_charset *cs,
                                           const char *font, size_t len,
                                           char **out, size_t *out_len);

/* The marks of block n (or, with of_stmt, those opening statement n), in
 * page order: returns how many, *out the first. */
size_t epub_marks_of(const epub_book *b, const pub_node *n, int of_stmt,
                     const epub_mark_key **out);

/* epub.c: the driver, also reachable from the unit tests with hand-made
 * pages (pages may be NULL when n_pages is 0). */
PUB_MUST_CHECK pub_status epub_write_pages(pub_ctx *ctx, const pub_dossier *d,
                                           const pub_page *const *pages,
                                           size_t n_pages,
                                           const pub_style *style,
                                           const char *title, const char *path);

#endif
