/*
 * test_core.c — cmocka tests for the core's formatting (pub_vformat and
 * pub_snprintf in src/core/format.c, pub_buf_printf in buf.c,
 * pub_arena_printf in arena.c): the same text as the C library's snprintf
 * (C11 §7.21.6.1), cut the same way when the room runs out, for the
 * formats done without printf and those left to it; and the strict UTF-8
 * decoder (utf8.c) against RFC 3629 as written.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static int vformat(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = pub_vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

/* pub_vformat, pub_buf_printf (onto text already there) and
 * pub_arena_printf against snprintf, in every room from none to enough. */
#define SAME(fast, ...)                                                        \
    do {                                                                       \
        char want[4096], got[4096];                                              \
        int wn = snprintf(want, sizeof want, __VA_ARGS__);                     \
        for (size_t cap = 0; cap <= (size_t)wn + 1; cap++) {                   \
            memset(want, 'x', sizeof want);                                    \
            memset(got, 'x', sizeof got);                                      \
            snprintf(want, cap, __VA_ARGS__);                                  \
            int gn = vformat(got, cap, __VA_ARGS__);                           \
            if (fast) {                                                        \
                assert_int_equal(gn, wn);                                      \
                assert_memory_equal(got, want, cap + 1);                       \
            } else {                                                           \
                assert_int_equal(gn, -1);                                      \
            }                                                                  \
        }                                                                      \
        pub_buf b = {0};                                                       \
        assert_int_equal(pub_buf_puts(&b, "head:"), PUB_OK);                  \
        assert_int_equal(pub_buf_printf(&b, __VA_ARGS__), PUB_OK);             \
        snprintf(want, sizeof want, __VA_ARGS__);                              \
        assert_int_equal(b.len, 5 + (size_t)wn);                               \
        assert_memory_equal(b.data, "head:", 5);                               \
        assert_string_equal(b.data + 5, want);                                 \
        pub_buf_free(&b);                                                      \
        pub_arena *a = pub_arena_new();                                        \
        assert_non_null(a);                                                    \
        char *s = pub_arena_printf(a, __VA_ARGS__);                            \
        assert_non_null(s);                                                    \
        assert_string_equal(s, want);                                          \
        pub_arena_free(a);                                                     \
        assert_int_equal(pub_snprintf(got, sizeof got, __VA_ARGS__), wn);      \
        assert_string_equal(got, want);                                        \
        assert_int_equal(pub_snprintf(got, 3, __VA_ARGS__), wn);               \
        assert_memory_equal(got, want, wn < 2 ? (size_t)wn : 2);               \
        assert_int_equal(got[wn < 2 ? wn : 2], '\0');                          \
    } while (0)

static void test_formats_without_printf(void **state)
{
    (void)state;
    SAME(1, "plain text, no conversion");
    SAME(1, "%s", "");
    SAME(1, "%s-%d-%s", "fn", 42, "x\xC3\xA9");
    SAME(1, "sg-%d-%d", 0, -17);
    SAME(1, "%d %d %d", INT_MIN, INT_MAX, -1);
    SAME(1, "%u|%lu|%llu|%zu", UINT_MAX, (unsigned long)ULONG_MAX,
         (unsigned long long)ULLONG_MAX, (size_t)SIZE_MAX);
    SAME(1, "%ld|%lld|%zd|%i", LONG_MIN, LLONG_MIN, (ptrdiff_t)-5, 7);
    SAME(1, "100%% of %c%c", 'o', 'k');
    SAME(1, "Statements %zu\xE2\x80\x93%zu: ", (size_t)1, (size_t)100);
    SAME(1, "%s%s%s%s", "a", "", "b", "cd");
}

static void test_formats_left_to_printf(void **state)
{
    (void)state;
    SAME(0, "%.7s", "2024-05-17");
    SAME(0, "%.*s\xE2\x80\xA6", 3, "abcdef");
    SAME(0, "%02d:%02d", 5, 7);
    SAME(0, "%x", 255u);
    SAME(0, "%5s|", "ab");
    SAME(0, "%.2f", 0.5);
    SAME(0, "%s then %hd", "short", (short)3);
}

static void test_null_string_left_to_printf(void **state)
{
    (void)state;
    char buf[32];
    assert_int_equal(vformat(buf, sizeof buf, "a%sb", (const char *)NULL), -1);
}

static void test_long_text(void **state)
{
    (void)state;
    /* longer than pub_arena_printf's first buffer and pub_buf's first room */
    char big[2000];
    memset(big, 'w', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    SAME(1, "<%s|%d>", big, 12345);
    SAME(0, "<%.1500s>", big);
}

/* The decoder of RFC 3629 §3 and §4 as the text says it, byte by byte. */
static size_t reference_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC0 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3
                 : c >= 0xF0 && c < 0xF8 ? 4 : 0;
    if (len == 0 || n < len)
        return 0;
    uint32_t v = len == 1 ? c : c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = (int32_t)v;
    return len;
}

static void same_decoding(const unsigned char *s, size_t n)
{
    int32_t a = -7, b = -7;
    size_t la = pub_utf8_decode(s, n, &a), lb = reference_decode(s, n, &b);
    assert_int_equal(la, lb);
    if (la > 0)
        assert_int_equal(a, b);
}

static void test_utf8_decode(void **state)
{
    (void)state;
    unsigned char s[4] = {0};
    same_decoding(s, 0);
    /* every sequence of one to three bytes, and cut short */
    for (unsigned x = 0; x < 256; x++) {
        s[0] = (unsigned char)x;
        same_decoding(s, 1);
        for (unsigned y = 0; y < 256; y++) {
            s[1] = (unsigned char)y;
            same_decoding(s, 2);
            if (x < 0xE0 || x > 0xEF)
                continue; /* the others decide on two bytes */
            for (unsigned z = 0; z < 256; z++) {
                s[2] = (unsigned char)z;
                same_decoding(s, 3);
                same_decoding(s, 2);
            }
        }
    }
    /* four bytes: every lead and second byte, with the third and fourth
     * at the edges of the continuation range and beyond */
    static const unsigned char edge[] = {0x00, 0x7F, 0x80, 0x81, 0xBE, 0xBF, 0xC0, 0xFF};
    for (unsigned x = 0xF0; x < 0x100; x++)
        for (unsigned y = 0; y < 256; y++)
            for (size_t i = 0; i < sizeof edge; i++)
                for (size_t j = 0; j < sizeof edge; j++) {
                    s[0] = (unsigned char)x;
                    s[1] = (unsigned char)y;
                    s[2] = edge[i];
                    s[3] = edge[j];
                    for (size_t n = 1; n <= 4; n++)
                        same_decoding(s, n);
                }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats_without_printf),
        cmocka_unit_test(test_formats_left_to_printf),
        cmocka_unit_test(test_null_string_left_to_printf),
        cmocka_unit_test(test_long_text),
        cmocka_unit_test(test_utf8_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
