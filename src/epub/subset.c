/*
 * subset.c — the characters the EPUB's documents use, so that its embedded
 * fonts are cut down to them (core/subset.c): a reader gets small fonts and
 * the container is not busy deflating megabytes of unused outlines.
 */
#include "epub/epub_int.h"

#include <hb-subset.h>
#include <stdint.h>
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

pub_status epub_charset_empty(epub_charset **out)
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
    *out = cs;
    return PUB_OK;
}

void epub_charset_add(epub_charset *cs, const void *text, size_t len)
{
    const unsigned char *s = text;
    size_t i = 0;
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const uint64_t amps = 0x2626262626262626u; /* '&' */
    while (i < len) {
        /* the markup: eight bytes at a time while they are ASCII and no
         * '&' (a byte of w ^ amps is zero where w has one) */
        uint64_t w, a;
        while (i + 8 <= len && (memcpy(&w, s + i, 8), a = w ^ amps,
                                ((w & highs) | ((a - ones) & ~a & highs)) == 0))
            i += 8;
        if (i >= len)
            break;
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

pub_status epub_charset_merge(epub_charset *into, const epub_charset *from)
{
    hb_set_union(into->set, from->set);
    return hb_set_allocation_successful(into->set) ? PUB_OK
                                                   : pub_error(PUB_ERR_NOMEM);
}

pub_status epub_charset_new(const epub_entry *texts, size_t n,
                            epub_charset **out)
{
    epub_charset *cs = NULL;
    pub_status status = epub_charset_empty(&cs);
    *out = NULL;
    if (status != PUB_OK)
        return status;
    /* what a reading system may add itself: hyphens, list numbers and
     * bullets, quotes; printable ASCII and Latin-1 for good measure */
    hb_set_add_range(cs->set, 0x20, 0x7E);
    hb_set_add_range(cs->set, 0xA0, 0xFF);
    hb_set_add_range(cs->set, 0x2010, 0x2027);
    for (size_t k = 0; k < n; k++)
        if (texts[k].data !=
            NULL) /* packed ones were added as they were built */
            epub_charset_add(cs, texts[k].data, texts[k].len);
    if (!hb_set_allocation_successful(cs->set)) {
        epub_charset_free(cs);
        return pub_error(PUB_ERR_NOMEM);
    }
    *out = cs;
    return PUB_OK;
}

int epub_charset_has(const epub_charset *cs, uint32_t cp)
{
    return hb_set_has(cs->set, (hb_codepoint_t)cp);
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
    return pub_font_subset(ctx, path, 0, cs->set, font, len, out, out_len);
}
