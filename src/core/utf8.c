/*
 * utf8.c — strict UTF-8 decoding and encoding (RFC 3629 §3/§4: no
 * overlong forms, no surrogates, nothing above U+10FFFF).
 */
#include "core.h"

/* pub_utf8_decode (core.h) past its ASCII test: each length spelled out,
 * the two-byte forms (most accented Latin, Greek, Cyrillic) first. */
size_t pub_utf8_decode_multi(const unsigned char *s, size_t n, int32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) { /* never overlong */
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = (int32_t)(((c & 0x1F) << 6) | (s[1] & 0x3Fu));
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        int32_t v = (int32_t)(((c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu));
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0; /* overlong, or a surrogate */
        *cp = v;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        int32_t v = (int32_t)(((c & 0x07) << 18) | ((s[1] & 0x3Fu) << 12) |
                              ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu));
        if (v < 0x10000 || v > 0x10FFFF)
            return 0; /* overlong, or beyond Unicode */
        *cp = v;
        return 4;
    }
    return 0; /* a continuation byte, C0, C1 or F5..FF */
}

size_t pub_utf8_encode(int32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
