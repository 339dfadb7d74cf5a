/*
 * pdf.c — the PDF backend: a pub_device that plays laid-out pages back
 * into a libharu 2.3.0 document (PDF 1.7, ISO 32000-1): page content
 * streams written here (§9.4 text objects, §8.5 path painting; deflated
 * with libdeflate), TrueType fonts cut to the printed characters by
 * HarfBuzz and embedded as composite fonts built here (§9.7 Type0 and
 * CIDFontType2, §9.6.4 subset tags, §9.10.3 ToUnicode), link annotations
 * (§12.5.6.5), outline, page labels and PDF/A-2b metadata; libharu holds
 * the objects and writes the file, under a temporary name renamed into
 * place when complete.
 *
 * Pages are painted concurrently: a page's content stream depends only on
 * its boxes, the fonts' codes (fixed before the first page) and the names
 * of its font resources (given out by libharu on the PDF's own thread, as
 * the page is played back), so other threads write and deflate it while
 * this one goes on; the streams reach libharu in page order, and the file
 * is the same byte for byte whatever the number of threads.
 */
#include "pdf/pdf.h"
#include "core/core.h"
#include "layout/device.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_fontdef.h>
#include <hpdf_pages.h>
#include <hb.h>
#include <libdeflate.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct dest_ref {
    const char *name;
    size_t page;
    double x, y;
    HPDF_Destination made; /* an indirect object: one for every link to it */
} dest_ref;

typedef struct link_ref {
    const char *dest;
    size_t page;
    HPDF_Rect rect;
    unsigned dest_page; /* object number of the page it leads to */
    float dest_top;     /* and the height there, at the top of the window */
} link_ref;

/* A page's content stream (PDF 1.7 §9.4 text objects, §8.5 path
 * painting), written here rather than through libharu's text operators,
 * which measure and re-encode every run, and deflated as soon as it is
 * done, so the uncompressed content never piles up (libdeflate level 1:
 * at 200 statements the PDF is 6 % larger than at level 4, and the
 * compression takes 40 % of the time). */
typedef struct page_slot {
    const char *fname[PUB_FONT_COUNT]; /* its font resources' names */
    pub_hpdf_bytes bytes;    /* the stream: deflated, or as is when raw */
    int raw;
    int painted;             /* bytes, raw and status are set */
    pub_status status;
} page_slot;

/* What one thread needs to paint: its own buffers and text state. */
typedef struct painter {
    pub_buf content;
    struct libdeflate_compressor *z;
    int in_text;
    int cur_font;            /* -1: none set in this text object */
    double cur_size, cur_gray;
    double tx, ty;           /* start of the current text line (Td) */
    int in_run;              /* a Tj's string, or a TJ array, is open */
    int in_array;            /* ... and it is an array, which starts at */
    size_t run_at;           /* this offset of content */
    double pen;              /* where a reader's pen is on the line (x) */
} painter;

#define MAX_PAINTERS 3
#define PAINT_AHEAD 32 /* pages played back but not yet handed to libharu */

typedef struct paint_helper {
    struct pdf_dev *p;
    painter w;
    pthread_t thread;
} paint_helper;

/* Pages played back (submitted), taken by a painter (claimed) and given to
 * libharu (attached), in page order; the mutex guards the counts and the
 * slots' painted flags. */
typedef struct paint_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* a page submitted or painted, or stop */
    size_t submitted, claimed, attached;
    int stop, ready;
    paint_helper helper[MAX_PAINTERS];
    int n_helpers;
} paint_pool;

typedef struct pdf_dev {
    pub_device base;      /* first: the device interface */
    pub_ctx *ctx;
    const pub_dossier *d;
    const char *title;
    HPDF_Doc pdf;
    HPDF_Page *pages;
    size_t n_pages;
    size_t page_index;
    HPDF_Font font[PUB_FONT_COUNT];    /* our Type0 dictionaries */
    char font_name[PUB_FONT_COUNT][128]; /* their /BaseFont */
    uint16_t *code[PUB_FONT_COUNT];    /* character -> code (0: none) */
    int16_t *width[PUB_FONT_COUNT];    /* code -> its /W width, 1/1000 em */
    int code_owned[PUB_FONT_COUNT];    /* code[i], width[i] are slot i's */
    const pub_layout *layout;
    uint8_t *used[PUB_FONT_COUNT];     /* BMP code points drawn, a bit each */
    page_slot *slots;                  /* one a page */
    paint_pool pool;
    dest_ref *dests;
    size_t n_dests, cap_dests;
    link_ref *links;
    size_t n_links, cap_links;
    /* the fonts' smaller streams (ToUnicode), and the pages this thread
     * paints itself */
    struct libdeflate_compressor *z;
    painter self;
    unsigned char *packed;
    size_t packed_cap;
    HPDF_STATUS err, err_detail;
} pdf_dev;

static void HPDF_STDCALL on_error(HPDF_STATUS no, HPDF_STATUS detail, void *user)
{
    pdf_dev *p = user;
    if (p->err == 0) {
        p->err = no;
        p->err_detail = detail;
    }
}

/* The one place libharu errors become pub_status. */
static pub_status haru(pdf_dev *p, const char *what)
{
    if (p->err == 0)
        return PUB_OK;
    pub_diag(p->ctx, PUB_ERROR, NULL, 0,
             "libharu error 0x%04X (detail %u) while %s", (unsigned)p->err,
             (unsigned)p->err_detail, what);
    return pub_error(PUB_ERR_BACKEND);
}

static int font_slot(int i)
{
    return i < 0 || i >= PUB_FONT_COUNT ? PUB_FONT_REGULAR : i;
}

/* Code points of one glyph run, as the PDF draws them: BMP values (the
 * layout has already put "?" for what the fonts lack). */
static size_t next_code(const pub_box *b, size_t i, unsigned *code)
{
    int32_t cp;
    size_t k = pub_utf8_decode((const unsigned char *)b->text + i, b->len - i, &cp);
    if (k == 0) {
        *code = '?';
        return 1;
    }
    *code = cp >= 0 && cp <= 0xFFFF ? (unsigned)cp : '?';
    return k;
}

/* Which characters each font draws: one pass over the laid-out pages. */
static pub_status collect_chars(pdf_dev *p)
{
    for (size_t i = 0; i < p->n_pages; i++) {
        const pub_page *pg = pub_layout_page(p->layout, i);
        for (size_t j = 0; j < pg->n_boxes; j++) {
            const pub_box *b = &pg->boxes[j];
            if (b->kind != PUB_BOX_GLYPHS || b->len == 0)
                continue;
            int f = font_slot(b->font);
            if (p->used[f] == NULL && (p->used[f] = calloc(65536 / 8, 1)) == NULL)
                return pub_error(PUB_ERR_NOMEM);
            for (size_t k = 0; k < b->len;) {
                unsigned c;
                k += next_code(b, k, &c);
                p->used[f][c >> 3] |= (uint8_t)(1u << (c & 7));
            }
        }
    }
    return PUB_OK;
}

static pub_status no_font(pdf_dev *p, const char *path)
{
    pub_diag(p->ctx, PUB_ERROR, path, 0, "cannot embed font");
    return pub_error(PUB_ERR_FONT);
}

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out);
static int room(unsigned char **buf, size_t *cap, size_t need);
static pub_status pool_start(struct pdf_dev *p);

/* A stream object whose bytes are data deflated here (zlib format,
 * FlateDecode), written by libharu as they are. */
static HPDF_Dict packed_stream(pdf_dev *p, struct libdeflate_compressor *z,
                               const void *data, size_t n)
{
    HPDF_Dict st = HPDF_DictStream_New(p->pdf->mmgr, p->pdf->xref);
    if (st == NULL)
        return NULL;
    size_t bound = libdeflate_zlib_compress_bound(z, n);
    if (!room(&p->packed, &p->packed_cap, bound))
        return NULL;
    size_t packed = libdeflate_zlib_compress(z, data, n, p->packed, bound);
    if (packed == 0)
        return NULL; /* cannot happen with the bound */
    HPDF_Stream_Write(st->stream, p->packed, (HPDF_UINT)packed);
    st->filter = HPDF_STREAM_FILTER_NONE;
    st->write_fn = write_flate_filter;
    return st;
}

/* A ToUnicode CMap (PDF 1.7 §9.10.3) for codes 1..n, code k showing
 * uni[k - 1] (ascending): bfranges of consecutive characters, each within
 * one high byte of the code and one low-byte run of the character. */
static pub_status write_tounicode(pdf_dev *p, const uint16_t *uni, size_t n,
                                  HPDF_Dict *out)
{
    pub_buf b = {0}, ranges = {0};
    pub_status status = PUB_OK;
    CHECK(pub_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\n"
                           "begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering "
                           "(UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS "
                           "def\n/CMapType 2 def\n1 begincodespacerange\n<0000> "
                           "<FFFF>\nendcodespacerange\n"));
    size_t in_block = 0;
    for (size_t k = 1; k <= n;) {
        size_t e = k; /* the range k..e */
        while (e < n && (e + 1) >> 8 == k >> 8 && uni[e] == uni[e - 1] + 1 &&
               (uni[e] & 0xFF) != 0)
            e++;
        CHECK(pub_buf_printf(&ranges, "<%04zX> <%04zX> <%04X>\n", k, e,
                             (unsigned)uni[k - 1]));
        in_block++;
        k = e + 1;
        if (in_block == 100 || k > n) { /* at most 100 entries a block */
            CHECK(pub_buf_printf(&b, "%zu beginbfrange\n", in_block));
            CHECK(pub_buf_append(&b, ranges.data, ranges.len));
            CHECK(pub_buf_puts(&b, "endbfrange\n"));
            ranges.len = 0;
            in_block = 0;
        }
    }
    CHECK(pub_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
                           "end\nend\n"));
    *out = packed_stream(p, p->z, b.data, b.len);
    if (*out == NULL)
        status = pub_error(PUB_ERR_NOMEM);
fail:
    pub_buf_free(&b);
    pub_buf_free(&ranges);
    return status;
}

/* Font slot i as a composite font (PDF 1.7 §9.7: Type0 over a
 * CIDFontType2, Identity-H): the style's file cut down by HarfBuzz to the
 * characters of every slot that shares the file and embedded as it is
 * (FontFile2). The codes are 1..n for those characters in ascending
 * order (p->code), so the CIDToGIDMap, the /W widths and the ToUnicode
 * map hold just them, and every character keeps its own code even where
 * two share a glyph. libharu reads the subset only for the descriptor's
 * metrics and the widths, the ones the layout measured with. */
static pub_status load_font(pdf_dev *p, int i)
{
    pub_status status = PUB_OK;
    const char *path = pub_layout_font_path(p->layout, i);
    char *full = NULL, *sub = NULL;
    size_t full_len = 0, sub_len = 0, n = 0;
    uint16_t *uni = NULL;
    unsigned char *gids = NULL;
    HPDF_FontDef def = NULL;
    struct libdeflate_compressor *zf = NULL;
    hb_set_t *set = hb_set_create();
    for (int j = 0; j < PUB_FONT_COUNT; j++) {
        if (j != i && p->used[j] &&
            strcmp(pub_layout_font_path(p->layout, j), path) == 0 &&
            p->font[j] != NULL) { /* the same file: the same font */
            p->font[i] = p->font[j];
            p->code[i] = p->code[j];
            p->width[i] = p->width[j];
            goto fail;
        }
    }
    for (int j = 0; j < PUB_FONT_COUNT; j++)
        if (p->used[j] && strcmp(pub_layout_font_path(p->layout, j), path) == 0)
            for (unsigned c = 0; c < 65536; c++)
                if (p->used[j][c >> 3] & (1u << (c & 7)))
                    hb_set_add(set, c);
    if (!hb_set_allocation_successful(set))
        CHECK(pub_error(PUB_ERR_NOMEM));
    CHECK(pub_read_whole_file(p->ctx, path, "font", PUB_ERR_FONT, &full, &full_len));
    CHECK(pub_font_subset(p->ctx, path, 1, set, full, full_len, &sub, &sub_len));
    HPDF_Stream st = HPDF_MemStream_New(p->pdf->mmgr, 65536);
    if (st == NULL ||
        HPDF_Stream_Write(st, (HPDF_BYTE *)sub, (HPDF_UINT)sub_len) != HPDF_OK) {
        if (st != NULL)
            HPDF_Stream_Free(st);
        CHECK(haru(p, "loading a font"));
        CHECK(pub_error(PUB_ERR_NOMEM));
    }
    def = HPDF_TTFontDef_Load(p->pdf->mmgr, st, HPDF_FALSE); /* owns st */
    if (def == NULL) {
        CHECK(no_font(p, path));
    }
    /* the subset tag (PDF 1.7 §9.6.4), six capitals taken from the
     * subset's digest: the same subset has the same tag in any dossier,
     * different ones almost surely differ (as merging tools expect). It
     * also tells apart two files of one font name cut differently; an
     * identical subset already embedded is that font. */
    char digest[65], tag[7];
    pub_sha256_hex(sub, sub_len, digest);
    for (int k = 0; k < 6; k++) {
        unsigned v = (unsigned)strtoul((char[]){digest[2 * k], digest[2 * k + 1], 0},
                                       NULL, 16);
        tag[k] = (char)('A' + v % 26);
    }
    tag[6] = '\0';
    HPDF_TTFontDef_SetTagName(def, tag);
    const char *name = ((HPDF_TTFontDefAttr)def->attr)->base_font; /* "TAG+Name" */
    for (int j = 0; j < PUB_FONT_COUNT; j++)
        if (p->font[j] != NULL && strcmp(p->font_name[j], name) == 0) {
            p->font[i] = p->font[j];
            p->code[i] = p->code[j];
            p->width[i] = p->width[j];
            goto fail;
        }
    snprintf(p->font_name[i], sizeof p->font_name[i], "%s", name);

    /* the codes: 1..n in character order */
    n = hb_set_get_population(set);
    if (n == 0 || n > 65534)
        CHECK(no_font(p, path));
    p->code[i] = calloc(65536, sizeof *p->code[i]);
    p->width[i] = calloc(n + 1, sizeof *p->width[i]);
    p->code_owned[i] = 1;
    if (p->width[i] != NULL)
        p->width[i][0] = (int16_t)def->missing_width; /* /DW */
    uni = malloc(n * sizeof *uni);
    gids = calloc(n + 1, 2);
    zf = libdeflate_alloc_compressor(6); /* fonts: once, and large */
    CHECK_ALLOC(p->code[i]);
    CHECK_ALLOC(p->width[i]);
    CHECK_ALLOC(uni);
    CHECK_ALLOC(gids);
    CHECK_ALLOC(zf);
    HPDF_Array w = HPDF_Array_New(p->pdf->mmgr), ws = HPDF_Array_New(p->pdf->mmgr);
    if (w == NULL || ws == NULL || HPDF_Array_AddNumber(w, 1) != HPDF_OK ||
        HPDF_Array_Add(w, ws) != HPDF_OK)
        CHECK(haru(p, "embedding a font"));
    {
        hb_codepoint_t c = HB_SET_VALUE_INVALID;
        size_t k = 0;
        while (hb_set_next(set, &c) && k < n) {
            uni[k++] = (uint16_t)c;
            p->code[i][c] = (uint16_t)k;
            HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)c);
            gids[2 * k] = (unsigned char)(gid >> 8);
            gids[2 * k + 1] = (unsigned char)gid;
            p->width[i][k] = HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)c);
            HPDF_Array_AddNumber(ws, p->width[i][k]);
        }
    }
    CHECK(haru(p, "embedding a font"));

    /* the objects */
    HPDF_MMgr mm = p->pdf->mmgr;
    HPDF_Xref xref = p->pdf->xref;
    HPDF_Dict type0 = HPDF_Dict_New(mm), cid = HPDF_Dict_New(mm), desc = HPDF_Dict_New(mm),
              info = HPDF_Dict_New(mm);
    HPDF_Array desc_fonts = HPDF_Array_New(mm);
    HPDF_Dict file = packed_stream(p, zf, sub, sub_len);
    HPDF_Dict map = packed_stream(p, zf, gids, (n + 1) * 2);
    HPDF_Dict tounicode = NULL;
    CHECK(write_tounicode(p, uni, n, &tounicode));
    if (type0 == NULL || cid == NULL || desc == NULL || info == NULL ||
        desc_fonts == NULL || file == NULL || map == NULL ||
        HPDF_Xref_Add(xref, type0) != HPDF_OK || HPDF_Xref_Add(xref, cid) != HPDF_OK ||
        HPDF_Xref_Add(xref, desc) != HPDF_OK)
        CHECK(haru(p, "embedding a font"));
    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)sub_len);

    HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    HPDF_Dict_AddName(desc, "FontName", name);
    HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, def->font_bbox));
    HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height);
    HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    HPDF_Dict_Add(desc, "FontFile2", file);

    HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    HPDF_Dict_AddNumber(info, "Supplement", 0);

    HPDF_Dict_AddName(cid, "Type", "Font");
    HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    HPDF_Dict_AddName(cid, "BaseFont", name);
    HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    HPDF_Dict_Add(cid, "FontDescriptor", desc);
    HPDF_Dict_AddNumber(cid, "DW", def->missing_width);
    HPDF_Dict_Add(cid, "W", w);
    HPDF_Dict_Add(cid, "CIDToGIDMap", map);

    HPDF_Array_Add(desc_fonts, cid);
    HPDF_Dict_AddName(type0, "Type", "Font");
    HPDF_Dict_AddName(type0, "Subtype", "Type0");
    HPDF_Dict_AddName(type0, "BaseFont", name);
    HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    HPDF_Dict_Add(type0, "DescendantFonts", desc_fonts);
    HPDF_Dict_Add(type0, "ToUnicode", tounicode);
    p->font[i] = (HPDF_Font)type0;
    status = haru(p, "embedding a font");
fail:
    if (def != NULL)
        HPDF_FontDef_Free(def);
    if (zf != NULL)
        libdeflate_free_compressor(zf);
    hb_set_destroy(set);
    free(uni);
    free(gids);
    free(full);
    free(sub);
    return status;
}

static pub_status dev_begin_document(pub_device *dev, const pub_layout *l)
{
    pdf_dev *p = (pdf_dev *)dev;
    const pub_style *s = pub_layout_style(l);
    p->n_pages = pub_layout_page_count(l);
    p->pages = calloc(p->n_pages ? p->n_pages : 1, sizeof *p->pages);
    if (p->pages == NULL)
        return pub_error(PUB_ERR_NOMEM);
    /* every page exists before drawing, so links may point forward */
    for (size_t i = 0; i < p->n_pages; i++) {
        p->pages[i] = HPDF_AddPage(p->pdf);
        if (p->pages[i] == NULL)
            break;
        HPDF_Page_SetWidth(p->pages[i], (HPDF_REAL)s->page_width);
        HPDF_Page_SetHeight(p->pages[i], (HPDF_REAL)s->page_height);
    }
    pub_status status = haru(p, "adding pages");
    if (status == PUB_OK)
        status = collect_chars(p);
    for (int i = 0; i < PUB_FONT_COUNT && status == PUB_OK; i++)
        if (p->used[i] != NULL)
            status = load_font(p, i);
    if (status == PUB_OK) {
        p->slots = calloc(p->n_pages ? p->n_pages : 1, sizeof *p->slots);
        status = p->slots != NULL ? pool_start(p) : pub_error(PUB_ERR_NOMEM);
    }
    return status;
}

static pub_status dev_begin_page(pub_device *dev, const pub_page *pg, size_t i)
{
    pdf_dev *p = (pdf_dev *)dev;
    (void)pg;
    p->page_index = i;
    return PUB_OK;
}

/* A number as content streams write it: at most four decimals (positions
 * are single precision), no exponent, no trailing zeros, then `end`. */
static pub_status put_num(pub_buf *b, double v, char end)
{
    char s[40], *e = s + sizeof s, *q = e;
    int neg = v < 0;
    if (neg)
        v = -v;
    if (!(v < 1e12)) /* also NaN: nothing on a page is this far */
        v = 0;
    uint64_t n = (uint64_t)(v * 10000 + 0.5), ip = n / 10000;
    unsigned fp = (unsigned)(n % 10000);
    int digits = 4;
    *--q = end;
    while (digits > 0 && fp % 10 == 0) {
        fp /= 10;
        digits--;
    }
    for (int k = 0; k < digits; k++, fp /= 10)
        *--q = (char)('0' + fp % 10);
    if (digits)
        *--q = '.';
    do
        *--q = (char)('0' + ip % 10);
    while (ip /= 10);
    if (neg && n)
        *--q = '-';
    return pub_buf_append(b, q, (size_t)(e - q));
}

static double round4(double v)
{
    return v < 0 ? -floor(-v * 10000 + 0.5) / 10000 : floor(v * 10000 + 0.5) / 10000;
}

static pub_status set_gray(painter *w, double gray)
{
    if (gray == w->cur_gray)
        return PUB_OK;
    w->cur_gray = gray;
    pub_status s = put_num(&w->content, gray, ' ');
    return s == PUB_OK ? pub_buf_puts(&w->content, "g\n") : s;
}

/* On the PDF's thread, as the page is played back: the page's font
 * resources, named by libharu in the order the page first uses them. */
static pub_status dev_draw_text(pub_device *dev, const pub_box *b)
{
    pdf_dev *p = (pdf_dev *)dev;
    if (b->len == 0)
        return PUB_OK;
    int f = font_slot(b->font);
    if (p->font[f] == NULL)
        return no_font(p, pub_layout_font_path(p->layout, f));
    page_slot *s = &p->slots[p->page_index];
    if (s->fname[f] == NULL) { /* into the page's /Font resources */
        s->fname[f] = HPDF_Page_GetLocalFontName(p->pages[p->page_index], p->font[f]);
        if (s->fname[f] == NULL) {
            pub_status st = haru(p, "naming a font");
            return st != PUB_OK ? st : pub_error(PUB_ERR_BACKEND);
        }
    }
    return PUB_OK;
}

static pub_status dev_draw_rule(pub_device *dev, const pub_box *b)
{
    (void)dev;
    (void)b;
    return PUB_OK; /* painted with the page */
}

/* ---------------------------------------------------------- painting */

/* Shows the open string (Tj) or array (TJ). */
static pub_status end_run(painter *w)
{
    pub_status status = PUB_OK;
    if (w->in_run)
        status = pub_buf_puts(&w->content, w->in_array ? "] TJ\n" : " Tj\n");
    w->in_run = w->in_array = 0;
    return status;
}

/* Closes the text object (and its string or array). */
static pub_status end_text(painter *w)
{
    pub_status status = PUB_OK;
    CHECK(end_run(w));
    if (w->in_text)
        CHECK(pub_buf_puts(&w->content, "ET\n"));
    w->in_text = 0;
fail:
    return status;
}

static pub_status paint_text(const pdf_dev *p, painter *w, const page_slot *s,
                             const pub_box *b)
{
    pub_buf *c = &w->content;
    pub_status status = PUB_OK;
    if (b->len == 0)
        return PUB_OK;
    int f = font_slot(b->font);
    if (!w->in_text) {
        CHECK(pub_buf_puts(c, "BT\n"));
        w->in_text = 1;
        w->cur_font = -1;
        w->tx = w->ty = 0;
    }
    /* a word further along the line, in the same font, size and gray,
     * goes into the open TJ array after the move from where the last one
     * left the pen (PDF 1.7 §9.4.3: a number n moves it back by n/1000 of
     * the size): fewer bytes than a Td and a Tj of its own */
    if (w->in_run && f == w->cur_font && b->size == w->cur_size &&
        b->gray == w->cur_gray && round4(b->y - w->ty) == 0 && b->x >= w->pen &&
        b->x - w->pen <= 4 * b->size) {
        if (!w->in_array) { /* the Tj's string becomes the array's first */
            CHECK(pub_buf_putc(c, ' '));
            memmove(c->data + w->run_at + 1, c->data + w->run_at, c->len - 1 - w->run_at);
            c->data[w->run_at] = '[';
            w->in_array = 1;
        }
        double n = round4((w->pen - b->x) * 1000 / b->size);
        CHECK(put_num(c, n, '('));
        w->pen -= n * b->size / 1000;
    } else {
        CHECK(end_run(w));
        CHECK(set_gray(w, b->gray));
        if (f != w->cur_font || b->size != w->cur_size) {
            CHECK(pub_buf_putc(c, '/'));
            CHECK(pub_buf_puts(c, s->fname[f]));
            CHECK(pub_buf_putc(c, ' '));
            CHECK(put_num(c, b->size, ' '));
            CHECK(pub_buf_puts(c, "Tf\n"));
            w->cur_font = f;
            w->cur_size = b->size;
        }
        /* Td moves by what is written, so positions never drift */
        double dx = round4(b->x - w->tx), dy = round4(b->y - w->ty);
        CHECK(put_num(c, dx, ' '));
        CHECK(put_num(c, dy, ' '));
        CHECK(pub_buf_puts(c, "Td\n"));
        w->run_at = c->len;
        CHECK(pub_buf_putc(c, '('));
        w->tx += dx;
        w->ty += dy;
        w->pen = w->tx;
        w->in_run = 1;
    }
    /* the two-byte codes as a literal string (§7.3.4.2): half the bytes
     * of hex, so half the deflating; the delimiters and the backslash are
     * escaped, and CR, which a reader would turn into LF */
    CHECK(pub_buf_reserve(c, (size_t)b->len * 4 + 8));
    char *o = c->data + c->len;
    const uint16_t *codes = p->code[f];
    const int16_t *widths = p->width[f];
    long advance = 0; /* the widths a reader moves the pen by */
    for (size_t i = 0; i < b->len;) {
        unsigned code;
        i += next_code(b, i, &code);
        code = codes[code]; /* the font's code for the character */
        advance += widths[code];
        for (int half = 0; half < 2; half++) {
            unsigned char byte = (unsigned char)(half ? code & 0xFF : code >> 8);
            if (byte == '(' || byte == ')' || byte == '\\') {
                *o++ = '\\';
                *o++ = (char)byte;
            } else if (byte == '\r') {
                *o++ = '\\';
                *o++ = 'r';
            } else {
                *o++ = (char)byte;
            }
        }
    }
    c->len = (size_t)(o - c->data);
    w->pen += (double)advance * b->size / 1000;
    status = pub_buf_putc(c, ')');
fail:
    return status;
}

static pub_status paint_rule(painter *w, const pub_box *b)
{
    pub_buf *c = &w->content;
    pub_status status = PUB_OK;
    CHECK(end_text(w));
    CHECK(set_gray(w, b->gray));
    CHECK(put_num(c, b->x, ' '));
    CHECK(put_num(c, b->y, ' '));
    CHECK(put_num(c, b->w, ' '));
    CHECK(put_num(c, b->h, ' '));
    status = pub_buf_puts(c, "re\nf\n");
fail:
    return status;
}

/* Page i's content stream, written and deflated into its slot. Reads only
 * the page, the fonts' codes and the slot's names: any thread may. */
static pub_status paint_page(const pdf_dev *p, painter *w, size_t i)
{
    pub_status status = PUB_OK;
    page_slot *s = &p->slots[i];
    const pub_page *pg = pub_layout_page(p->layout, i);
    w->in_text = 0;
    w->in_run = w->in_array = 0;
    w->cur_font = -1;
    w->cur_size = -1;
    w->cur_gray = 0; /* the initial graphics state: black */
    w->content.len = 0;
    for (size_t k = 0; k < pg->n_boxes; k++) {
        const pub_box *b = &pg->boxes[k];
        if (b->kind == PUB_BOX_GLYPHS)
            CHECK(paint_text(p, w, s, b));
        else if (b->kind == PUB_BOX_RULE)
            CHECK(paint_rule(w, b));
    }
    CHECK(end_text(w));
    size_t n = w->content.len;
    if (n == 0)
        return PUB_OK;
    size_t bound = libdeflate_zlib_compress_bound(w->z, n);
    s->bytes.data = malloc(bound > n ? bound : n);
    CHECK_ALLOC(s->bytes.data);
    s->bytes.len = libdeflate_zlib_compress(w->z, w->content.data, n, s->bytes.data, bound);
    if (s->bytes.len == 0) { /* cannot happen with the bound */
        memcpy(s->bytes.data, w->content.data, n);
        s->bytes.len = n;
        s->raw = 1;
    }
    /* kept until the file is written: no more than the stream */
    unsigned char *fit = realloc(s->bytes.data, s->bytes.len);
    if (fit != NULL)
        s->bytes.data = fit;
fail:
    return status;
}

/* The painted page i as its page's stream, which libharu then writes as
 * it is (zlib, FlateDecode), reading the slot's bytes straight from it
 * (pub_hpdf_reader_new) rather than through a copy in its memory streams;
 * the slot keeps the bytes until the file is written. */
static pub_status attach_page(pdf_dev *p, size_t i)
{
    page_slot *s = &p->slots[i];
    pub_status status = s->status;
    HPDF_PageAttr attr = (HPDF_PageAttr)p->pages[i]->attr;
    HPDF_Dict contents = attr->contents;
    if (status == PUB_OK && contents != NULL && s->bytes.len > 0) {
        HPDF_Stream st = pub_hpdf_reader_new(p->pdf->mmgr, &s->bytes);
        if (st == NULL) {
            pub_status e = haru(p, "writing a page");
            return e != PUB_OK ? e : pub_error(PUB_ERR_NOMEM);
        }
        HPDF_Stream_Free(contents->stream); /* the page's own, still empty */
        contents->stream = st;
        attr->stream = st;
        if (!s->raw) {
            contents->filter = HPDF_STREAM_FILTER_NONE;
            contents->write_fn = write_flate_filter;
        }
    }
    pub_progress(p->ctx, "PDF pages written", i + 1, p->n_pages);
    return status == PUB_OK ? haru(p, "writing a page") : status;
}

/* Claims the next submitted page and paints it with w; called and
 * returning with the pool's mutex held, which it lets go meanwhile. */
static void paint_next(pdf_dev *p, painter *w)
{
    paint_pool *q = &p->pool;
    size_t i = q->claimed++;
    pthread_mutex_unlock(&q->mu);
    pub_status st = paint_page(p, w, i);
    pthread_mutex_lock(&q->mu);
    p->slots[i].status = st;
    p->slots[i].painted = 1;
    pthread_cond_broadcast(&q->cv);
}

static void *paint_work(void *arg)
{
    paint_helper *h = arg;
    pdf_dev *p = h->p;
    paint_pool *q = &p->pool;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->stop && q->claimed >= q->submitted)
            pthread_cond_wait(&q->cv, &q->mu);
        if (q->stop)
            break;
        paint_next(p, &h->w);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* Helpers for the painting, one fewer than the jobs (at most
 * MAX_PAINTERS); none is no harm: this thread then paints every page. */
static pub_status pool_start(pdf_dev *p)
{
    paint_pool *q = &p->pool;
    if (pthread_mutex_init(&q->mu, NULL) != 0)
        return pub_error(PUB_ERR_NOMEM);
    if (pthread_cond_init(&q->cv, NULL) != 0) {
        pthread_mutex_destroy(&q->mu);
        return pub_error(PUB_ERR_NOMEM);
    }
    q->ready = 1;
    int want = p->ctx->jobs - 1;
    if (want > MAX_PAINTERS)
        want = MAX_PAINTERS;
    if (p->n_pages < 4)
        want = 0;
    for (int k = 0; k < want; k++) {
        paint_helper *h = &q->helper[q->n_helpers];
        memset(h, 0, sizeof *h);
        h->p = p;
        h->w.z = libdeflate_alloc_compressor(1);
        if (h->w.z == NULL)
            break;
        if (pthread_create(&h->thread, NULL, paint_work, h) != 0) {
            libdeflate_free_compressor(h->w.z);
            break;
        }
        q->n_helpers++;
    }
    return PUB_OK;
}

static void pool_stop(pdf_dev *p)
{
    paint_pool *q = &p->pool;
    if (!q->ready)
        return;
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    for (int k = 0; k < q->n_helpers; k++) {
        pthread_join(q->helper[k].thread, NULL);
        pub_buf_free(&q->helper[k].w.content);
        libdeflate_free_compressor(q->helper[k].w.z);
    }
    q->n_helpers = 0;
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    q->ready = 0;
}

/* Hands libharu every painted page it can in order; paints pages here
 * while more than `ahead` wait (all of them when nothing helps), and
 * waits for the helpers only when every waiting page is taken. */
static pub_status pool_drain(pdf_dev *p, size_t ahead)
{
    paint_pool *q = &p->pool;
    pub_status status = PUB_OK;
    if (q->n_helpers == 0)
        ahead = 0;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (q->attached < q->submitted && p->slots[q->attached].painted) {
            size_t i = q->attached;
            pthread_mutex_unlock(&q->mu);
            status = attach_page(p, i);
            pthread_mutex_lock(&q->mu);
            q->attached++;
            if (status != PUB_OK)
                goto done;
        }
        if (q->submitted - q->attached <= ahead)
            break;
        if (q->claimed < q->submitted) {
            paint_next(p, &p->self);
            continue;
        }
        pthread_cond_wait(&q->cv, &q->mu);
    }
done:
    pthread_mutex_unlock(&q->mu);
    return status;
}

static pub_status dev_end_page(pub_device *dev, const pub_page *pg)
{
    pdf_dev *p = (pdf_dev *)dev;
    (void)pg;
    pthread_mutex_lock(&p->pool.mu);
    p->pool.submitted = p->page_index + 1;
    pthread_cond_broadcast(&p->pool.cv);
    pthread_mutex_unlock(&p->pool.mu);
    return pool_drain(p, PAINT_AHEAD);
}

static pub_status dev_mark(pub_device *dev, const pub_box *b)
{
    pdf_dev *p = (pdf_dev *)dev;
    size_t page = p->page_index;
    if (b->kind == PUB_BOX_DEST) {
        void *v = p->dests;
        pub_status s = pub_array_grow(&v, p->n_dests, &p->cap_dests, sizeof *p->dests, 64);
        p->dests = v;
        if (s != PUB_OK)
            return s;
        p->dests[p->n_dests++] = (dest_ref){b->dest, page, b->x, b->y, NULL};
    } else {
        void *v = p->links;
        pub_status s = pub_array_grow(&v, p->n_links, &p->cap_links, sizeof *p->links, 64);
        p->links = v;
        if (s != PUB_OK)
            return s;
        link_ref *l = &p->links[p->n_links++];
        l->dest = b->dest;
        l->page = page;
        l->rect.left = (HPDF_REAL)b->x;
        l->rect.bottom = (HPDF_REAL)b->y;
        l->rect.right = (HPDF_REAL)(b->x + b->w);
        l->rect.top = (HPDF_REAL)(b->y + b->h);
    }
    return PUB_OK;
}

/* libharu writes /Filter only for the filters it applies itself, so a
 * stream it must copy as it is names its filter here (the dictionary's
 * write callback runs among its entries). */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* At least `need` bytes in *buf; 0 when out of memory. */
static int room(unsigned char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 1;
    unsigned char *r = realloc(*buf, need);
    if (r == NULL)
        return 0;
    *buf = r;
    *cap = need;
    return 1;
}


/* v as printf's "%.2f" writes it, then `end`: a float times 100 is exact
 * in a double, so rounding it to nearest, ties to even, is what printf does
 * with the exact value (snprintf took 9,000 instructions a link). */
static char *put_2f(char *o, float v, char end)
{
    double x = nearbyint((double)v * 100);
    if (signbit(x) || ((double)v < 0 && x == 0))
        *o++ = '-';
    uint64_t n = (uint64_t)fabs(x), ip = n / 100;
    char digits[24], *d = digits + sizeof digits;
    do
        *--d = (char)('0' + ip % 10);
    while (ip /= 10);
    size_t k = (size_t)(digits + sizeof digits - d);
    memcpy(o, d, k);
    o += k;
    *o++ = '.';
    *o++ = (char)('0' + n % 100 / 10);
    *o++ = (char)('0' + n % 10);
    *o++ = end;
    return o;
}

/* A link annotation (PDF 1.7 §12.5.6.5): libharu numbers an empty
 * dictionary and lists it in the page's /Annots, and its entries are
 * written here from our own record. libharu's annotation objects cost
 * about 3 KB a link, and the index of a large dossier has thousands; the
 * destination is the link's own array (§12.3.2.2, [page /XYZ left top
 * zoom]), not an object of its own as libharu would make it. */
static HPDF_STATUS write_link(HPDF_Dict dict, HPDF_Stream out)
{
    const link_ref *k = dict->attr;
    char buf[256], *o = buf;
    static const char head[] = "/Type /Annot\012/Subtype /Link\012/Rect [";
    memcpy(o, head, sizeof head - 1);
    o += sizeof head - 1;
    if (!(fabsf(k->rect.left) < 1e9f && fabsf(k->rect.bottom) < 1e9f &&
          fabsf(k->rect.right) < 1e9f && fabsf(k->rect.top) < 1e9f))
        return HPDF_INVALID_PARAMETER; /* nothing on a page is this far */
    o = put_2f(o, k->rect.left, ' ');
    o = put_2f(o, k->rect.bottom, ' ');
    o = put_2f(o, k->rect.right, ' ');
    o = put_2f(o, k->rect.top, ']');
    static const char mid[] = "\012/Border [0 0 0]\012/F 4\012/Dest [";
    memcpy(o, mid, sizeof mid - 1);
    o += sizeof mid - 1;
    char digits[12], *d = digits + sizeof digits;
    unsigned v = k->dest_page;
    do
        *--d = (char)('0' + v % 10);
    while (v /= 10);
    memcpy(o, d, (size_t)(digits + sizeof digits - d));
    o += digits + sizeof digits - d;
    static const char xyz[] = " 0 R /XYZ 0 ";
    memcpy(o, xyz, sizeof xyz - 1);
    o += sizeof xyz - 1;
    if (!(fabsf(k->dest_top) < 1e9f))
        return HPDF_INVALID_PARAMETER;
    o = put_2f(o, k->dest_top, ' ');
    memcpy(o, "1]\012", 4); /* with the terminating NUL */
    return HPDF_Stream_WriteStr(out, buf);
}

/* The page index comes first so that the page index array stays sorted in
 * page order; names are looked up by binary search. */
static int cmp_dest(const void *a, const void *b)
{
    const dest_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->page < y->page ? -1 : x->page > y->page;
}

static dest_ref *find_dest(pdf_dev *p, const char *name)
{
    dest_ref key = {.name = name};
    size_t lo = 0, hi = p->n_dests;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(p->dests[mid].name, key.name);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->n_dests && strcmp(p->dests[lo].name, name) == 0)
        return &p->dests[lo];
    return NULL;
}

/* Where a destination shows its page: a line above it, within the page. */
static double dest_top(pdf_dev *p, const dest_ref *d)
{
    double top = d->y + 12;
    double h = HPDF_Page_GetHeight(p->pages[d->page]);
    return top > h ? h : top;
}

/* The destination as an object, for the outline (libharu's items take
 * nothing else). */
static HPDF_Destination make_dest(pdf_dev *p, dest_ref *d)
{
    if (d->made != NULL)
        return d->made;
    HPDF_Destination dst = HPDF_Page_CreateDestination(p->pages[d->page]);
    if (dst != NULL)
        HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)dest_top(p, d), 1);
    d->made = dst;
    return dst;
}

static pub_status dev_finish(pub_device *dev, const pub_layout *l)
{
    pdf_dev *p = (pdf_dev *)dev;
    pub_status drained = pool_drain(p, 0); /* every page in libharu's hands */
    pool_stop(p);
    if (drained != PUB_OK)
        return drained;
    if (p->n_dests)
        qsort(p->dests, p->n_dests, sizeof *p->dests, cmp_dest);
    HPDF_Array annots = NULL;
    size_t annots_page = SIZE_MAX;
    for (size_t i = 0; i < p->n_links && p->err == 0; i++) {
        link_ref *k = &p->links[i];
        const dest_ref *d = find_dest(p, k->dest);
        if (d == NULL)
            continue;
        k->dest_page = (unsigned)(p->pages[d->page]->header.obj_id & 0x00FFFFFF);
        k->dest_top = (float)dest_top(p, d);
        if (k->page != annots_page) { /* links come page by page */
            annots = HPDF_Dict_GetItem(p->pages[k->page], "Annots", HPDF_OCLASS_ARRAY);
            if (annots == NULL) {
                annots = HPDF_Array_New(p->pdf->mmgr);
                if (annots == NULL ||
                    HPDF_Dict_Add(p->pages[k->page], "Annots", annots) != HPDF_OK)
                    break;
            }
            annots_page = k->page;
        }
        HPDF_Dict a = HPDF_Dict_New(p->pdf->mmgr);
        if (a == NULL || HPDF_Xref_Add(p->pdf->xref, a) != HPDF_OK)
            break;
        a->attr = k;
        a->write_fn = write_link;
        if (HPDF_Array_Add(annots, a) != HPDF_OK)
            break;
    }
    /* outline: statements and their sections */
    const pub_outline_entry *ol;
    size_t n = pub_layout_outline(l, &ol);
    HPDF_Encoder enc = HPDF_GetEncoder(p->pdf, "UTF-8");
    HPDF_Outline parent = NULL;
    for (size_t i = 0; i < n; i++) {
        HPDF_Outline o = HPDF_CreateOutline(p->pdf, ol[i].level == 0 ? NULL : parent,
                                            ol[i].title ? ol[i].title : "", enc);
        if (o == NULL)
            break;
        dest_ref *d = find_dest(p, ol[i].dest);
        dest_ref fallback = {ol[i].dest, (size_t)(ol[i].page < 0 ? 0 : ol[i].page), 0,
                             HPDF_Page_GetHeight(p->pages[0]), NULL};
        HPDF_Destination dst = make_dest(p, d ? d : &fallback);
        if (dst)
            HPDF_Outline_SetDestination(o, dst);
        if (ol[i].level == 0) {
            parent = o;
            HPDF_Outline_SetOpened(o, HPDF_FALSE);
        }
    }
    /* page labels: i, ii, ... for the contents, 1, 2, ... for the body */
    size_t front = 0;
    while (front < p->n_pages && pub_layout_page(l, front)->front_matter)
        front++;
    if (front > 0)
        HPDF_AddPageLabel(p->pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL);
    if (front < p->n_pages)
        HPDF_AddPageLabel(p->pdf, (HPDF_UINT)front, HPDF_PAGE_NUM_STYLE_DECIMAL,
                          1, NULL);
    if (p->n_pages > 0)
        HPDF_SetPageMode(p->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    return haru(p, "writing links, outline and page labels");
}

/* ------------------------------------------------------- document info */

/* The dossier's build time (pub_dossier_build_time): never the clock. */
static HPDF_Date doc_date(const pub_dossier *d)
{
    HPDF_Date dt;
    struct tm tm;
    memset(&dt, 0, sizeof dt);
    pub_dossier_build_time(d, &tm);
    dt.year = tm.tm_year + 1900;
    dt.month = tm.tm_mon + 1;
    dt.day = tm.tm_mday;
    dt.hour = tm.tm_hour;
    dt.minutes = tm.tm_min;
    dt.seconds = tm.tm_sec;
    dt.ind = 'Z';
    return dt;
}

static char *first_title(const pub_node *st)
{
    const pub_node *t = pub_statement_find(st, PUB_NODE_TITLE);
    if (t == NULL)
        return NULL;
    size_t len;
    char *s = pub_node_plain_text(t, &len);
    if (s)
        for (size_t i = 0; i < len; i++)
            if (s[i] == '\n')
                s[i] = ' ';
    return s;
}

/* ------------------------------------------------------------ PDF/A-2b */

typedef struct xmp_info {
    const char *title, *author, *subject, *keywords, *creator, *producer;
    HPDF_Date date;
} xmp_info;

/* XML character data and attribute values: & < > " ' escaped, and the
 * control characters XML 1.0 forbids dropped. */
static pub_status xml_escaped(pub_buf *b, const char *s)
{
    pub_status status = PUB_OK;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': CHECK(pub_buf_puts(b, "&amp;")); break;
        case '<': CHECK(pub_buf_puts(b, "&lt;")); break;
        case '>': CHECK(pub_buf_puts(b, "&gt;")); break;
        case '"': CHECK(pub_buf_puts(b, "&quot;")); break;
        case '\'': CHECK(pub_buf_puts(b, "&apos;")); break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                break;
            CHECK(pub_buf_putc(b, (char)c));
        }
    }
fail:
    return status;
}

/* One XMP property: <tag>value</tag>, or a language alternative / ordered
 * list as dc:title, dc:description and dc:creator require. */
static pub_status xmp_prop(pub_buf *b, const char *tag, const char *value,
                           int kind)
{
    pub_status status = PUB_OK;
    if (value == NULL || !*value)
        return PUB_OK;
    if (kind == 1)
        CHECK(pub_buf_printf(b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", tag));
    else if (kind == 2)
        CHECK(pub_buf_printf(b, "   <%s><rdf:Seq><rdf:li>", tag));
    else
        CHECK(pub_buf_printf(b, "   <%s>", tag));
    CHECK(xml_escaped(b, value));
    if (kind == 1)
        CHECK(pub_buf_puts(b, "</rdf:li></rdf:Alt>"));
    else if (kind == 2)
        CHECK(pub_buf_puts(b, "</rdf:li></rdf:Seq>"));
    CHECK(pub_buf_printf(b, "</%s>\n", tag));
fail:
    return status;
}

static const char *const icc_paths[] = {
    "/usr/share/color/icc/sRGB.icc",               /* icc-profiles-free */
    "/usr/share/color/icc/colord/sRGB.icc",        /* colord-data */
    "/usr/share/color/icc/ghostscript/srgb.icc",   /* ghostscript */
};

static pub_status read_icc(pdf_dev *p, pub_buf *out, const char **used)
{
    for (size_t i = 0; i < sizeof icc_paths / sizeof icc_paths[0]; i++) {
        FILE *f = fopen(icc_paths[i], "rb");
        if (f == NULL)
            continue;
        char chunk[8192];
        size_t n;
        pub_status st = PUB_OK;
        while (st == PUB_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
            st = pub_buf_append(out, chunk, n);
        int bad = ferror(f);
        fclose(f);
        if (st != PUB_OK)
            return st;
        /* an RGB profile: "acsp" signature, colour space "RGB " */
        if (!bad && out->len >= 128 && memcmp(out->data + 36, "acsp", 4) == 0 &&
            memcmp(out->data + 16, "RGB ", 4) == 0) {
            *used = icc_paths[i];
            return PUB_OK;
        }
        out->len = 0;
    }
    pub_diag(p->ctx, PUB_ERROR, icc_paths[0], 0,
             "no sRGB ICC profile found for the PDF/A output intent "
             "(install icc-profiles-free)");
    return pub_error(PUB_ERR_IO);
}

/* PDF/A-2b (ISO 19005-2) through libharu's object API, since its own
 * HPDF_PDFA_SetPDFAConformance writes /SubType, unescaped XMP and PDF/A-1
 * only: an uncompressed XMP stream matching the document info, an sRGB
 * output intent and a document /ID derived from the content. */
static pub_status write_pdfa(pdf_dev *p, const xmp_info *xi)
{
    pub_status status = PUB_OK;
    pub_buf x = {0}, icc = {0}, idsrc = {0};
    const HPDF_Date *d = &xi->date;
    char iso[40];
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", d->year % 10000,
             d->month % 100, d->day % 100, d->hour % 100, d->minutes % 100,
             d->seconds % 100);
    CHECK(pub_buf_puts(&x,
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "  <rdf:Description rdf:about=\"\"\n"
        "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
        "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
        "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
        "   <dc:format>application/pdf</dc:format>\n"));
    CHECK(xmp_prop(&x, "dc:title", xi->title, 1));
    CHECK(xmp_prop(&x, "dc:creator", xi->author, 2));
    CHECK(xmp_prop(&x, "dc:description", xi->subject, 1));
    CHECK(xmp_prop(&x, "pdf:Keywords", xi->keywords, 0));
    CHECK(xmp_prop(&x, "pdf:Producer", xi->producer, 0));
    CHECK(xmp_prop(&x, "xmp:CreatorTool", xi->creator, 0));
    CHECK(xmp_prop(&x, "xmp:CreateDate", iso, 0));
    CHECK(xmp_prop(&x, "xmp:ModifyDate", iso, 0));
    CHECK(xmp_prop(&x, "xmp:MetadataDate", iso, 0));
    CHECK(pub_buf_puts(&x,
        "   <pdfaid:part>2</pdfaid:part>\n"
        "   <pdfaid:conformance>B</pdfaid:conformance>\n"
        "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
        "<?xpacket end=\"w\"?>"));
    HPDF_Dict meta = HPDF_DictStream_New(p->pdf->mmgr, p->pdf->xref);
    CHECK(haru(p, "creating the XMP metadata stream"));
    if (meta == NULL)
        return pub_error(PUB_ERR_BACKEND);
    meta->filter = HPDF_STREAM_FILTER_NONE; /* PDF/A: readable as is */
    HPDF_Dict_AddName(meta, "Type", "Metadata");
    HPDF_Dict_AddName(meta, "Subtype", "XML");
    HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)x.data, (HPDF_UINT)x.len);
    HPDF_Dict_Add(p->pdf->catalog, "Metadata", meta);

    /* the output intent: an sRGB profile from Debian */
    const char *icc_path = NULL;
    CHECK(read_icc(p, &icc, &icc_path));
    HPDF_Dict prof = HPDF_DictStream_New(p->pdf->mmgr, p->pdf->xref);
    CHECK(haru(p, "creating the ICC profile stream"));
    if (prof == NULL)
        return pub_error(PUB_ERR_BACKEND);
    prof->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict_AddNumber(prof, "N", 3);
    HPDF_Stream_Write(prof->stream, (const HPDF_BYTE *)icc.data, (HPDF_UINT)icc.len);
    HPDF_Dict intent = HPDF_Dict_New(p->pdf->mmgr);
    HPDF_Array intents = HPDF_Array_New(p->pdf->mmgr);
    CHECK(haru(p, "creating the output intent"));
    if (intent == NULL || intents == NULL)
        return pub_error(PUB_ERR_BACKEND);
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(p->pdf->mmgr, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "RegistryName",
                  HPDF_String_New(p->pdf->mmgr, "http://www.color.org", NULL));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(p->pdf->mmgr, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "DestOutputProfile", prof);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(p->pdf->catalog, "OutputIntents", intents);

    /* /ID: the same two halves, from the sources' digests, the title and
     * the build date, so that the same input gives the same bytes */
    const pub_node *root = pub_dossier_root(p->d);
    for (const pub_node *st = root->first_child; st; st = st->next)
        if (st->type == PUB_NODE_STATEMENT)
            CHECK(pub_buf_printf(&idsrc, "%s\n", st->as.statement.sha256));
    CHECK(pub_buf_printf(&idsrc, "%s\n%s\n%zu\n", xi->title ? xi->title : "", iso,
                         pub_layout_page_count(p->layout)));
    char hex[65];
    pub_sha256_hex(idsrc.data, idsrc.len, hex);
    HPDF_BYTE id[16];
    for (int i = 0; i < 16; i++) {
        unsigned v = 0;
        sscanf(hex + 2 * i, "%2x", &v);
        id[i] = (HPDF_BYTE)v;
    }
    HPDF_Array ida = HPDF_Array_New(p->pdf->mmgr);
    CHECK(haru(p, "creating the document ID"));
    if (ida == NULL)
        return pub_error(PUB_ERR_BACKEND);
    HPDF_Array_Add(ida, HPDF_Binary_New(p->pdf->mmgr, id, 16));
    HPDF_Array_Add(ida, HPDF_Binary_New(p->pdf->mmgr, id, 16));
    HPDF_Dict_Add(p->pdf->trailer, "ID", ida);
    CHECK(haru(p, "writing the PDF/A metadata"));
fail:
    pub_buf_free(&x);
    pub_buf_free(&icc);
    pub_buf_free(&idsrc);
    return status;
}

static pub_status set_info(pdf_dev *p)
{
    pub_status status = PUB_OK;
    const pub_node *root = pub_dossier_root(p->d);
    size_t n = 0;
    char lo[11] = "9999-99-99", hi[11] = "";
    pub_buf langs = {0}, title = {0};
    char *t1 = NULL;
    for (const pub_node *st = root->first_child; st; st = st->next) {
        if (st->type != PUB_NODE_STATEMENT)
            continue;
        n++;
        const char *dt = st->as.statement.date;
        if (dt[0] && strcmp(dt, lo) < 0)
            memcpy(lo, dt, 11);
        if (dt[0] && strcmp(dt, hi) > 0)
            memcpy(hi, dt, 11);
        const char *lg = st->as.statement.language;
        if (lg && !(langs.data && strstr(langs.data, lg)))
            CHECK(pub_buf_printf(&langs, "%s%s", langs.len ? ", " : "", lg));
    }
    const char *lt = pub_layout_title(p->layout);
    if (p->title && *p->title) {
        CHECK(pub_buf_puts(&title, p->title));
    } else if (lt && *lt) {
        /* the title the cover shows */
        CHECK(pub_buf_puts(&title, lt));
    } else if (n == 1 && (t1 = first_title(root->first_child)) != NULL) {
        CHECK(pub_buf_puts(&title, t1));
    } else {
        CHECK(pub_buf_printf(&title, "Dossier of %zu statements", n));
    }
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_TITLE, title.data);
    const pub_dossier_info *info = pub_dossier_get_info(p->d);
    char author[512];
    if (info && info->compiler && info->compiler[0])
        snprintf(author, sizeof author, "%s", info->compiler);
    else
        snprintf(author, sizeof author, "Compiled with publish " PUB_VERSION);
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_AUTHOR, author);
    char subject[160];
    snprintf(subject, sizeof subject, "%zu political statement%s%s%s%s%s", n,
             n == 1 ? "" : "s", hi[0] ? " dated " : "", hi[0] ? lo : "",
             hi[0] && strcmp(lo, hi) ? " to " : "",
             hi[0] && strcmp(lo, hi) ? hi : "");
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_SUBJECT, subject);
    CHECK(pub_buf_printf(&langs, "%sstatements; resolutions; open letters; signatories",
                         langs.len ? "; " : ""));
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_KEYWORDS, langs.data);
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_CREATOR, "publish");
    HPDF_SetInfoAttr(p->pdf, HPDF_INFO_PRODUCER, "publish " PUB_VERSION " with libharu");
    HPDF_Date dt = doc_date(p->d);
    HPDF_SetInfoDateAttr(p->pdf, HPDF_INFO_CREATION_DATE, dt);
    HPDF_SetInfoDateAttr(p->pdf, HPDF_INFO_MOD_DATE, dt);
    CHECK(haru(p, "writing document information"));
    xmp_info xi = {.title = title.data, .author = author, .subject = subject,
                   .keywords = langs.data, .creator = "publish",
                   .producer = "publish " PUB_VERSION " with libharu",
                   .date = dt};
    CHECK(write_pdfa(p, &xi));
fail:
    free(t1);
    pub_buf_free(&langs);
    pub_buf_free(&title);
    return status;
}

static void keep_tmp(void *user, char *tmp)
{
    *(char **)user = tmp;
}

pub_status pub_pdf_write(pub_ctx *ctx, const pub_dossier *d,
                         const pub_layout *layout, const char *title,
                         const char *path)
{
    char *tmp = NULL;
    pub_status status = pub_pdf_write_unsettled(ctx, d, layout, title, path, keep_tmp, &tmp);
    return status == PUB_OK ? pub_atomic_end(ctx, path, tmp) : status;
}

pub_status pub_pdf_write_unsettled(pub_ctx *ctx, const pub_dossier *d,
                                   const pub_layout *layout, const char *title,
                                   const char *path, pub_pdf_saved_fn saved,
                                   void *user)
{
    pub_status status = PUB_OK;
    char *tmp = NULL;
    pdf_dev p;
    memset(&p, 0, sizeof p);
    p.base.begin_document = dev_begin_document;
    p.base.begin_page = dev_begin_page;
    p.base.draw_text = dev_draw_text;
    p.base.draw_rule = dev_draw_rule;
    p.base.mark = dev_mark;
    p.base.end_page = dev_end_page;
    p.base.finish = dev_finish;
    p.ctx = ctx;
    p.d = d;
    p.title = title;
    p.layout = layout;
    if (layout == NULL) {
        pub_diag(ctx, PUB_ERROR, path, 0, "nothing laid out");
        return pub_error(PUB_ERR_INTERNAL);
    }
    p.z = libdeflate_alloc_compressor(1);
    CHECK_ALLOC(p.z);
    p.self.z = p.z;
    p.pdf = HPDF_New(on_error, &p);
    CHECK_ALLOC(p.pdf);
    HPDF_SetCompressionMode(p.pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p.pdf);
    HPDF_SetCurrentEncoder(p.pdf, "UTF-8");
    CHECK(haru(&p, "starting the document"));
    CHECK(pub_layout_play(layout, &p.base));
    CHECK(set_info(&p));
    /* PDF/A-2 is based on PDF 1.7 (ISO 32000-1); libharu would write the
     * lowest version its features need (1.3) and has no setter for it */
    p.pdf->pdf_version = HPDF_VER_17;
    /* libharu writes the file itself (no copy in memory), under a
     * temporary name that becomes path only when it is complete */
    CHECK(pub_atomic_begin(ctx, path, &tmp));
    HPDF_SaveToFile(p.pdf, tmp);
    CHECK(haru(&p, "saving the document"));
    saved(user, tmp); /* the sync may start while libharu lets go */
    tmp = NULL;
fail:
    pub_atomic_abandon(tmp);
    pool_stop(&p); /* after a failure, the helpers still wait */
    for (size_t i = 0; p.slots != NULL && i < p.n_pages; i++)
        free(p.slots[i].bytes.data);
    free(p.slots);
    free(p.pages);
    free(p.dests);
    free(p.links);
    pub_buf_free(&p.self.content);
    for (int i = 0; i < PUB_FONT_COUNT; i++) {
        free(p.used[i]);
        if (p.code_owned[i]) {
            free(p.code[i]);
            free(p.width[i]);
        }
    }
    free(p.packed);
    if (p.z)
        libdeflate_free_compressor(p.z);
    if (p.pdf)
        HPDF_Free(p.pdf);
    return status;
}
