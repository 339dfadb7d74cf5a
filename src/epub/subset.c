/*
 * subset.c — the EPUB's embedded fonts cut down to the characters the book
 * uses, with HarfBuzz's subsetter (OpenType spec: cmap, glyf/CFF and the
 * layout tables closed over the kept glyphs), so a reader gets small fonts
 * and the container is not busy deflating megabytes of unused outlines.
 */
#include "epub/epub_int.h"

#include <hb-subset.h>
#include <stdlib.h>
#include <string.h>

struct epub_charset {
    hb_set_t *set;
};

/* A numeric character reference at s ("&#233;" or "&#xE9;"), or -1. */
static int32_t char_ref(const char *s, size_t n)
{
    size_t i = 2;
    int hex = i < n && (s[i] == 'x' || s[i] == 'X');
    if (hex)
        i++;
    int32_t v = 0;
    size_t digits = 0;
    for (; i < n && digits < 8; i++, digits++) {
        int c = (unsigned char)s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (hex && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            break;
        v = v * (hex ? 16 : 10) + d;
    }
    return digits > 0 && i < n && s[i] == ';' && v <= 0x10FFFF ? v : -1;
}

pub_status epub_charset_new(const epub_entry *texts, size_t n,
                            epub_charset **out)
{
    *out = NULL;
    epub_charset *cs = calloc(1, sizeof *cs);
    if (cs == NULL)
        return pub_error(PUB_ERR_NOMEM);
    cs->set = hb_set_create();
    if (!hb_set_allocation_successful(cs->set)) {
        epub_charset_free(cs);
        return pub_error(PUB_ERR_NOMEM);
    }
    /* what a reading system may add itself: hyphens, list numbers and
     * bullets, quotes; printable ASCII and Latin-1 for good measure */
    hb_set_add_range(cs->set, 0x20, 0x7E);
    hb_set_add_range(cs->set, 0xA0, 0xFF);
    hb_set_add_range(cs->set, 0x2010, 0x2027);
    for (size_t k = 0; k < n; k++) {
        const unsigned char *s = texts[k].data;
        size_t len = texts[k].len, i = 0;
        while (i < len) {
            if (s[i] < 0x80) {
                if (s[i] == '&' && i + 1 < len && s[i + 1] == '#') {
                    int32_t v = char_ref((const char *)s + i, len - i);
                    if (v >= 0)
                        hb_set_add(cs->set, (hb_codepoint_t)v);
                }
                i++;
                continue;
            }
            int32_t cp;
            size_t step = pub_utf8_decode(s + i, len - i, &cp);
            if (step == 0) {
                i++;
                continue;
            }
            hb_set_add(cs->set, (hb_codepoint_t)cp);
            i += step;
        }
    }
    if (!hb_set_allocation_successful(cs->set)) {
        epub_charset_free(cs);
        return pub_error(PUB_ERR_NOMEM);
    }
    *out = cs;
    return PUB_OK;
}

void epub_charset_free(epub_charset *cs)
{
    if (cs == NULL)
        return;
    hb_set_destroy(cs->set);
    free(cs);
}

pub_status epub_font_subset(pub_ctx *ctx, const char *path,
                            const epub_charset *cs, const char *font,
                            size_t len, char **out, size_t *out_len)
{
    pub_status status = PUB_OK;
    hb_blob_t *blob = NULL, *sub_blob = NULL;
    hb_face_t *face = NULL, *sub = NULL;
    hb_subset_input_t *in = NULL;
    *out = NULL;
    *out_len = 0;
    if (len > (size_t)(unsigned)-1 / 2) {
        pub_diag(ctx, PUB_ERROR, path, 0, "font too large to subset");
        CHECK(pub_error(PUB_ERR_FONT));
    }
    blob = hb_blob_create_or_fail(font, (unsigned)len, HB_MEMORY_MODE_READONLY,
                                  NULL, NULL);
    CHECK_ALLOC(blob);
    face = hb_face_create(blob, 0);
    in = hb_subset_input_create_or_fail();
    CHECK_ALLOC(in);
    hb_set_union(hb_subset_input_unicode_set(in), cs->set);
    sub = hb_subset_or_fail(face, in);
    if (sub == NULL) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot subset font");
        CHECK(pub_error(PUB_ERR_FONT));
    }
    sub_blob = hb_face_reference_blob(sub);
    unsigned n = 0;
    const char *data = hb_blob_get_data(sub_blob, &n);
    if (data == NULL || n == 0) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot subset font");
        CHECK(pub_error(PUB_ERR_FONT));
    }
    *out = malloc(n);
    CHECK_ALLOC(*out);
    memcpy(*out, data, n);
    *out_len = n;
fail:
    hb_blob_destroy(sub_blob);
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return status;
}
