/*
 * fonts.c — font metrics and glyph coverage for layout, read from the
 * style's TrueType files through libharu (hmtx advances, cmap lookups) and
 * cached per BMP code point so that measuring text never calls libharu.
 */
#include "layout/internal.h"

#include <hpdf.h>
#include <hpdf_font.h>
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
        const char *name = HPDF_LoadTTFontFromFile(doc, f->path[i], HPDF_FALSE);
        HPDF_Font font = name ? HPDF_GetFont(doc, name, "UTF-8") : NULL;
        if (font == NULL || f->backend_error) {
            pub_diag(ctx, PUB_ERROR, f->path[i], 0,
                     "cannot use font (libharu error 0x%04X); a TrueType "
                     "(.ttf) file is needed", (unsigned)f->backend_error);
            status = pub_error(PUB_ERR_FONT);
            goto fail;
        }
        f->font[i] = font;
        f->fontdef[i] = ((HPDF_FontAttr)font->attr)->fontdef;
        f->ascent[i] = HPDF_Font_GetAscent(font);
        f->descent[i] = HPDF_Font_GetDescent(font);
        f->adv[i] = malloc(65536 * sizeof(int16_t));
        f->cover[i] = calloc(65536, 1);
        CHECK_ALLOC(f->adv[i]);
        CHECK_ALLOC(f->cover[i]);
        for (size_t k = 0; k < 65536; k++)
            f->adv[i][k] = INT16_MIN;
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
    if (f->doc)
        HPDF_Free((HPDF_Doc)f->doc);
    f->doc = NULL;
}

int lay_font_has(lay_fonts *f, int font, int32_t cp)
{
    if (font < 0 || font >= PUB_FONT_COUNT || cp < 0 || cp > 0xFFFF ||
        f->cover[font] == NULL)
        return 0;
    uint8_t *c = &f->cover[font][cp];
    if (*c == 0) {
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid((HPDF_FontDef)f->fontdef[font],
                                                    (HPDF_UINT16)cp);
        *c = gid != 0 ? 1 : 2;
    }
    return *c == 1;
}

double lay_font_advance(lay_fonts *f, int font, int32_t cp)
{
    if (font < 0 || font >= PUB_FONT_COUNT || cp < 0 || cp > 0xFFFF ||
        f->adv[font] == NULL)
        return 0;
    int16_t *a = &f->adv[font][cp];
    if (*a == INT16_MIN) {
        HPDF_INT w = HPDF_Font_GetUnicodeWidth((HPDF_Font)f->font[font],
                                               (HPDF_UNICODE)cp);
        *a = (int16_t)(w < 0 ? 0 : w > 32000 ? 32000 : w);
    }
    return *a;
}

double lay_text_width(lay_fonts *f, int font, double size, const char *s,
                      size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    double w = 0;
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t k = pub_utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            i++;
            continue;
        }
        w += lay_font_advance(f, font, cp);
        i += k;
    }
    return w * size / 1000.0;
}
