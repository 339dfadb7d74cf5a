/*
 * fonts.c — font metrics and glyph coverage for layout, read from the
 * style's TrueType files through libharu (hmtx advances, cmap lookups) and
 * cached per BMP code point so that measuring text never calls libharu.
 */
#include "layout/internal.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void HPDF_STDCALL metrics_error(HPDF_STATUS no, HPDF_STATUS detail,
                                       void *user)
{
    lay_fonts *f = user;
    (void)detail;
    if (!f->backend_error)
        f->backend_error = (int)no;
}

/* The font definition of the file at path, registered with doc as
 * HPDF_LoadTTFontFromFile registers it, read from memory (libharu's file
 * stream freads two or four bytes at a time: 12 million instructions for
 * six fonts); NULL when the file cannot be read whole (libharu then reads
 * it itself, and says what is wrong). */
static HPDF_FontDef load_in_memory(const pub_ctx *ctx, HPDF_Doc doc, const char *path)
{
    pub_hpdf_bytes m = {0};
    HPDF_FontDef def = NULL;
    char *data = NULL;
    size_t len = 0;
    pub_diagq quiet; /* a failure here is told by libharu's own try */
    pub_diagq_init(&quiet, ctx);
    if (pub_read_whole_file(&quiet.ctx, path, "font", PUB_ERR_FONT, &data, &len) == PUB_OK &&
        len > 0 && len < INT32_MAX) {
        m.data = (unsigned char *)data;
        m.len = len;
        HPDF_Stream st = pub_hpdf_reader_new(doc->mmgr, &m);
        if (st != NULL)
            def = HPDF_TTFontDef_Load(doc->mmgr, st, HPDF_FALSE); /* owns st */
        if (def != NULL && HPDF_List_Add(doc->fontdef_list, def) != HPDF_OK) {
            HPDF_FontDef_Free(def);
            def = NULL;
        }
    }
    pub_diagq_free(&quiet);
    free(data);
    if (def == NULL)
        HPDF_ResetError(doc);
    return def;
}

pub_status lay_fonts_open(pub_ctx *ctx, const pub_style *s, lay_fonts *f)
{
    pub_status status = PUB_OK;
    memset(f, 0, sizeof *f);
    HPDF_Doc doc = HPDF_New(metrics_error, f);
    CHECK_ALLOC(doc);
    f->doc = doc;
    HPDF_UseUTFEncodings(doc);
    HPDF_SetCurrentEncoder(doc, "UTF-8");
    for (int i = 0; i < PUB_FONT_COUNT; i++) {
        CHECK(pub_style_font_path(ctx, s, i, f->path[i], sizeof f->path[i]));
        /* the font definition alone: metrics need no PDF font object
         * (whose creation maps all 65,536 BMP code points) */
        HPDF_FontDef def = NULL;
        for (int j = 0; j < i && def == NULL; j++) /* one file, one definition */
            if (strcmp(f->path[j], f->path[i]) == 0)
                def = f->fontdef[j];
        if (def == NULL)
            def = load_in_memory(ctx, doc, f->path[i]);
        if (def == NULL) {
            f->backend_error = 0; /* this try's error is the one to tell */
            const char *name = HPDF_LoadTTFontFromFile(doc, f->path[i], HPDF_FALSE);
            def = name ? HPDF_GetFontDef(doc, name) : NULL;
        }
        if (def == NULL || def->type != HPDF_FONTDEF_TYPE_TRUETYPE ||
            f->backend_error) {
            pub_diag(ctx, PUB_ERROR, f->path[i], 0,
                     "cannot use font (libharu error 0x%04X); a TrueType "
                     "(.ttf) file is needed", (unsigned)f->backend_error);
            status = pub_error(PUB_ERR_FONT);
            goto fail;
        }
        f->fontdef[i] = def;
        f->ascent[i] = def->ascent;
        f->descent[i] = def->descent;
        f->adv[i] = malloc(65536 * sizeof *f->adv[i]);
        f->cover[i] = malloc(65536 * sizeof *f->cover[i]);
        CHECK_ALLOC(f->adv[i]);
        CHECK_ALLOC(f->cover[i]);
        for (size_t k = 0; k < 65536; k++) {
            atomic_init(&f->adv[i][k], INT16_MIN);
            atomic_init(&f->cover[i][k], 0);
        }
    }
    f->lock = malloc(sizeof *f->lock);
    CHECK_ALLOC(f->lock);
    if (pthread_mutex_init(f->lock, NULL) != 0) {
        free(f->lock);
        f->lock = NULL;
        CHECK(pub_error(PUB_ERR_NOMEM));
    }
    return PUB_OK;
fail:
    lay_fonts_close(f);
    return status;
}

void lay_fonts_close(lay_fonts *f)
{
    for (int i = 0; i < PUB_FONT_COUNT; i++) {
        free(f->adv[i]);
        free(f->cover[i]);
        f->adv[i] = NULL;
        f->cover[i] = NULL;
    }
    if (f->lock != NULL) {
        pthread_mutex_destroy(f->lock);
        free(f->lock);
        f->lock = NULL;
    }
    if (f->doc)
        HPDF_Free((HPDF_Doc)f->doc);
    f->doc = NULL;
}

/* lay_font_has (internal.h) when the cache does not know yet */
int lay_font_has_slow(lay_fonts *f, int font, int32_t cp)
{
    if (font < 0 || font >= PUB_FONT_COUNT || cp < 0 || cp > 0xFFFF ||
        f->cover[font] == NULL)
        return 0;
    _Atomic uint8_t *c = &f->cover[font][cp];
    uint8_t v = atomic_load_explicit(c, memory_order_relaxed);
    if (v == 0) {
        pthread_mutex_lock(f->lock);
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid((HPDF_FontDef)f->fontdef[font],
                                                    (HPDF_UINT16)cp);
        pthread_mutex_unlock(f->lock);
        v = gid != 0 ? 1 : 2;
        atomic_store_explicit(c, v, memory_order_relaxed);
    }
    return v == 1;
}

double lay_font_advance(lay_fonts *f, int font, int32_t cp)
{
    if (font < 0 || font >= PUB_FONT_COUNT || cp < 0 || cp > 0xFFFF ||
        f->adv[font] == NULL)
        return 0;
    _Atomic int16_t *a = &f->adv[font][cp];
    int16_t v = atomic_load_explicit(a, memory_order_relaxed);
    if (v == INT16_MIN) {
        pthread_mutex_lock(f->lock);
        HPDF_INT w = HPDF_TTFontDef_GetCharWidth((HPDF_FontDef)f->fontdef[font],
                                                 (HPDF_UINT16)cp);
        pthread_mutex_unlock(f->lock);
        v = (int16_t)(w < 0 ? 0 : w > 32000 ? 32000 : w);
        atomic_store_explicit(a, v, memory_order_relaxed);
    }
    return v;
}

double lay_text_width(lay_fonts *f, int font, double size, const char *s,
                      size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    /* advances are whole font units: their sum is exact, in any order */
    long w = 0;
    size_t i = 0;
    _Atomic int16_t *adv = font >= 0 && font < PUB_FONT_COUNT ? f->adv[font] : NULL;
    while (i < n) {
        if (p[i] < 0x80 && adv != NULL) { /* ASCII: the cache, straight */
            int16_t v = atomic_load_explicit(&adv[p[i]], memory_order_relaxed);
            w += v != INT16_MIN ? v : (long)lay_font_advance(f, font, p[i]);
            i++;
            continue;
        }
        int32_t cp;
        size_t k = pub_utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            i++;
            continue;
        }
        w += (long)lay_font_advance(f, font, cp);
        i += k;
    }
    return (double)w * size / 1000.0;
}
