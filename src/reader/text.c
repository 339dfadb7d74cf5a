/*
 * text.c — small Unicode-aware predicates on UTF-8 text used by the
 * reader's heuristics (categories and case folding from utf8proc).
 */
#include "reader/reader.h"

#include <string.h>
#include <utf8proc.h>

int32_t pub_first_cp(const char *s, size_t len)
{
    int32_t cp;
    return pub_utf8_decode((const unsigned char *)s, len, &cp) ? cp : 0;
}

int32_t pub_last_cp(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    int32_t cp;
    return pub_utf8_decode((const unsigned char *)s + i, len - i, &cp) ? cp : 0;
}

int pub_cp_is_upper(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int pub_cp_is_lower(int32_t cp)
{
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

int pub_cp_is_letter(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

size_t pub_count_words(const char *s, size_t len)
{
    size_t n = 0;
    int in = 0;
    for (size_t i = 0; i < len; i++) {
        int sp = s[i] == ' ' || s[i] == '\t' || s[i] == '\n';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

int pub_starts_with_ci(const char *s, size_t len, const char *prefix)
{
    /* quick reject on a differing ASCII first letter */
    unsigned char a0 = len ? (unsigned char)s[0] : 0, b0 = (unsigned char)prefix[0];
    if (a0 < 0x80 && b0 < 0x80 && b0 != 0 && (a0 | 0x20) != (b0 | 0x20))
        return 0;
    size_t i = 0, j = 0, plen = strlen(prefix);
    while (j < plen) {
        unsigned char ca = i < len ? (unsigned char)s[i] : 0;
        unsigned char cb = (unsigned char)prefix[j];
        if (ca < 0x80 && cb < 0x80) { /* ASCII: what utf8proc would say */
            if (ca == 0)
                return 0;
            if (ca >= 'A' && ca <= 'Z')
                ca |= 0x20;
            if (cb >= 'A' && cb <= 'Z')
                cb |= 0x20;
            if (ca != cb)
                return 0;
            i++;
            j++;
            continue;
        }
        int32_t a, b;
        size_t la = pub_utf8_decode((const unsigned char *)s + i, len - i, &a);
        size_t lb = pub_utf8_decode((const unsigned char *)prefix + j, plen - j, &b);
        if (la == 0 || lb == 0)
            return 0;
        if (utf8proc_tolower(a) != utf8proc_tolower(b))
            return 0;
        i += la;
        j += lb;
    }
    return 1;
}
