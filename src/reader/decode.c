/*
 * decode.c — the first stage of the reader: strict UTF-8 (RFC 3629) with
 * errors naming line and byte offset, BOM removal, CRLF/CR -> LF, Unicode
 * normalisation form C (UAX #15, through utf8proc) and white space
 * hygiene (tabs and separating no-break spaces become gaps; a no-break
 * space between two words is kept, it binds them).
 */
#include "reader/reader.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static const char *utf8_problem(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c >= 0x80 && c <= 0xBF)
        return "unexpected continuation byte";
    if (c == 0xC0 || c == 0xC1)
        return "overlong encoding";
    if (c >= 0xF5)
        return "byte that never occurs in UTF-8";
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    for (size_t i = 1; i < need; i++) {
        if (i >= n)
            return "sequence truncated at end of file";
        if ((s[i] & 0xC0) != 0x80)
            return "truncated multi-byte sequence";
    }
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xF0 && s[1] < 0x90))
        return "overlong encoding";
    if (c == 0xED && s[1] >= 0xA0)
        return "UTF-16 surrogate encoded in UTF-8";
    return "code point above U+10FFFF";
}

/* Is cp white space that separates words? (U+00A0 and U+202F are decided
 * by their neighbours.) */
static int is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\f' || cp == '\v' ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x205F || cp == 0x3000 ||
           cp == 0x1680;
}

static int is_nbsp(int32_t cp)
{
    return cp == 0x00A0 || cp == 0x202F || cp == 0x2007;
}

/* Rewrites one NFC line into its normalised form (see pub_line). */
/* Whether a line is in NFC as it is (UAX #15): every character is one
 * that NFC keeps and that never combines with its neighbours -- Latin up
 * to the combining marks, Greek and Cyrillic letters, general punctuation
 * and currency signs, with the three Greek singletons (U+0374, U+037E,
 * U+0387) left out. Most lines qualify and skip utf8proc_map; any other
 * character (a combining mark, Hangul, ...) sends the line through it. */
static int nfc_already(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        int32_t c;
        size_t k = pub_utf8_decode(s + i, n - i, &c);
        if (k == 0)
            return 0;
        i += k;
        if (c < 0x300 || (c >= 0x400 && c <= 0x482) || (c >= 0x48A && c <= 0x52F) ||
            (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E) ||
            (c >= 0x20A0 && c <= 0x20C0))
            continue;
        if (c >= 0x370 && c <= 0x3FF && c != 0x374 && c != 0x37E && c != 0x387)
            continue;
        return 0;
    }
    return 1;
}

static pub_status clean_line(pub_arena *a, const char *s, size_t n,
                             pub_line *out)
{
    char *dst = pub_arena_alloc(a, n + 1);
    if (dst == NULL)
        return pub_error(PUB_ERR_NOMEM);
    size_t o = 0, i = 0, chars = 0;
    int indent = 0, seen_text = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c > ' ' && c < 0x7F) { /* printable ASCII, the common case */
            seen_text = 1;
            dst[o++] = (char)c;
            i++;
            chars++;
            continue;
        }
        int32_t cp;
        size_t l = pub_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (l == 0) { /* cannot happen after validation */
            cp = 0xFFFD;
            l = 1;
        }
        if (is_space(cp) || is_nbsp(cp)) {
            /* measure the whole run of white space */
            size_t j = i, run = 0;
            int has_tab = 0, all_nbsp = 1;
            int32_t c2 = cp;
            size_t l2 = l;
            while (j < n && (is_space(c2) || is_nbsp(c2))) {
                has_tab |= c2 == '\t';
                all_nbsp &= is_nbsp(c2);
                run++;
                j += l2;
                if (j < n) {
                    l2 = pub_utf8_decode((const unsigned char *)s + j, n - j, &c2);
                    if (l2 == 0)
                        break;
                }
            }
            if (!seen_text) {
                indent += has_tab ? 4 * (int)run : (int)run;
            } else if (j < n) { /* inner run; trailing runs are dropped */
                if (run == 1 && all_nbsp) {
                    memcpy(dst + o, s + i, l); /* binding no-break space */
                    o += l;
                } else {
                    dst[o++] = (run == 1 && !has_tab) ? ' ' : '\t';
                }
                chars++;
            }
            i = j;
            continue;
        }
        if (cp == 0xFEFF || cp == 0x200B) { /* stray BOM / ZWSP: invisible */
            i += l;
            continue;
        }
        seen_text = 1;
        memcpy(dst + o, s + i, l);
        o += l;
        i += l;
        chars++;
    }
    dst[o] = '\0';
    out->text = dst;
    out->len = o;
    out->indent = indent;
    out->chars = chars;
    return PUB_OK;
}

pub_status pub_decode(pub_ctx *ctx, pub_arena *a, const char *name,
                      const char *data, size_t len, pub_lines *out)
{
    const unsigned char *s = (const unsigned char *)data;
    size_t start = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        start = 3;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        pub_diag(ctx, PUB_ERROR, name, 1,
                 "invalid UTF-8 at byte offset 0: the file is UTF-16 (it starts "
                 "with a UTF-16 byte order mark); convert it to UTF-8");
        return pub_error(PUB_ERR_INPUT);
    }
    /* validate and count lines */
    size_t nlines = 1;
    int line = 1;
    for (size_t i = start; i < len;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0) {
                pub_diag(ctx, PUB_ERROR, name, line,
                         "NUL byte at byte offset %zu: this is a binary file, "
                         "not a UTF-8 text statement", i);
                return pub_error(PUB_ERR_INPUT);
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
                 c != '\v') || c == 0x7F) {
                pub_diag(ctx, PUB_ERROR, name, line,
                         "control character 0x%02X at byte offset %zu: not a "
                         "text statement", c, i);
                return pub_error(PUB_ERR_INPUT);
            }
            if (c == '\n' || (c == '\r' && !(i + 1 < len && s[i + 1] == '\n'))) {
                nlines++;
                line++;
            }
            i++;
            continue;
        }
        int32_t cp;
        size_t l = pub_utf8_decode(s + i, len - i, &cp);
        if (l == 0) {
            pub_diag(ctx, PUB_ERROR, name, line,
                     "invalid UTF-8 at byte offset %zu (%s); the file must "
                     "be UTF-8 encoded", i, utf8_problem(s + i, len - i));
            return pub_error(PUB_ERR_INPUT);
        }
        i += l;
    }
    pub_line *v = pub_arena_alloc_array(a, nlines, sizeof *v);
    if (v == NULL)
        return pub_error(PUB_ERR_NOMEM);
    size_t n = 0;
    int nonblank = 0;
    size_t i = start;
    while (i <= len && n < nlines) {
        size_t e = i;
        while (e < len && s[e] != '\n' && s[e] != '\r')
            e++;
        /* NFC */
        pub_line *L = &v[n];
        L->lineno = (int)n + 1;
        if (e > i && nfc_already(s + i, e - i)) {
            pub_status st = clean_line(a, (const char *)s + i, e - i, L);
            if (st != PUB_OK)
                return st;
        } else if (e > i) {
            utf8proc_uint8_t *nfc = NULL;
            utf8proc_ssize_t r = utf8proc_map(s + i, (utf8proc_ssize_t)(e - i), &nfc,
                                              UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            if (r < 0) {
                pub_diag(ctx, PUB_ERROR, name, L->lineno,
                         "cannot normalise line: %s", utf8proc_errmsg(r));
                return pub_error(r == UTF8PROC_ERROR_NOMEM ? PUB_ERR_NOMEM
                                                           : PUB_ERR_INPUT);
            }
            pub_status st = clean_line(a, (const char *)nfc, (size_t)r, L);
            free(nfc);
            if (st != PUB_OK)
                return st;
        } else {
            L->text = "";
        }
        if (L->len > 0)
            nonblank = 1;
        n++;
        if (e >= len)
            break;
        i = e + ((s[e] == '\r' && e + 1 < len && s[e + 1] == '\n') ? 2 : 1);
    }
    if (!nonblank) {
        pub_diag(ctx, PUB_ERROR, name, 1,
                 len == start ? (start ? "empty file (nothing but a byte order mark): no statement to read"
                                       : "empty file: no statement to read")
                              : "file holds only white space: no statement to read");
        return pub_error(PUB_ERR_INPUT);
    }
    out->v = v;
    out->n = n;
    return PUB_OK;
}
