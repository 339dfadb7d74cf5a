/*
 * dates.c — finds a calendar date in running text and returns it as
 * ISO 8601 (YYYY-MM-DD, or YYYY-MM when no day is given). Understands
 * "15 August 2020", "07. June 2021", "August 18, 2020", "15 de agosto de
 * 2020", "18 августа 2020", "2020-08-15" and "15.08.2020", with month
 * names in en, de, fr, es, pt, it, nl, pl, ru, uk and tr.
 */
#include "reader/reader.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

static const struct { const char *name; int month; } months[] = {
    /* en */
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5},
    {"june", 6}, {"july", 7}, {"august", 8}, {"september", 9},
    {"october", 10}, {"november", 11}, {"december", 12}, {"jan", 1},
    {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7}, {"aug", 8},
    {"sep", 9}, {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
    /* de */
    {"januar", 1}, {"jänner", 1}, {"februar", 2}, {"märz", 3}, {"mai", 5},
    {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"dezember", 12},
    /* fr */
    {"janvier", 1}, {"février", 2}, {"fevrier", 2}, {"mars", 3},
    {"avril", 4}, {"juin", 6}, {"juillet", 7}, {"août", 8}, {"aout", 8},
    {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"décembre", 12},
    {"decembre", 12},
    /* es */
    {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5},
    {"junio", 6}, {"julio", 7}, {"agosto", 8}, {"septiembre", 9},
    {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
    /* pt */
    {"janeiro", 1}, {"fevereiro", 2}, {"março", 3}, {"maio", 5},
    {"junho", 6}, {"julho", 7}, {"setembro", 9}, {"outubro", 10},
    {"dezembro", 12},
    /* it */
    {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5},
    {"giugno", 6}, {"luglio", 7}, {"settembre", 9}, {"ottobre", 10},
    {"dicembre", 12},
    /* nl */
    {"januari", 1}, {"februari", 2}, {"maart", 3}, {"mei", 5},
    {"augustus", 8},
    /* pl (genitive) */
    {"stycznia", 1}, {"lutego", 2}, {"marca", 3}, {"kwietnia", 4},
    {"maja", 5}, {"czerwca", 6}, {"lipca", 7}, {"sierpnia", 8},
    {"września", 9}, {"października", 10}, {"listopada", 11},
    {"grudnia", 12},
    /* ru (nominative and genitive) */
    {"январь", 1}, {"января", 1}, {"февраль", 2}, {"февраля", 2},
    {"март", 3}, {"марта", 3}, {"апрель", 4}, {"апреля", 4}, {"май", 5},
    {"мая", 5}, {"июнь", 6}, {"июня", 6}, {"июль", 7}, {"июля", 7},
    {"август", 8}, {"августа", 8}, {"сентябрь", 9}, {"сентября", 9},
    {"октябрь", 10}, {"октября", 10}, {"ноябрь", 11}, {"ноября", 11},
    {"декабрь", 12}, {"декабря", 12},
    /* uk (genitive) */
    {"січня", 1}, {"лютого", 2}, {"березня", 3}, {"квітня", 4},
    {"травня", 5}, {"червня", 6}, {"липня", 7}, {"серпня", 8},
    {"вересня", 9}, {"жовтня", 10}, {"листопада", 11}, {"грудня", 12},
    /* tr */
    {"ocak", 1}, {"şubat", 2}, {"mart", 3}, {"nisan", 4}, {"mayıs", 5},
    {"haziran", 6}, {"temmuz", 7}, {"ağustos", 8}, {"eylül", 9},
    {"ekim", 10}, {"kasım", 11}, {"aralık", 12},
};

enum { T_NUM, T_WORD, T_PUNCT };

typedef struct tok {
    int kind;
    size_t start, end;
    long value;     /* T_NUM */
    int digits;     /* T_NUM */
    int month;      /* T_WORD: 1..12 or 0 */
    int filler;     /* T_WORD: "de", "del", "of", "the", ordinal suffix */
    char punct;     /* T_PUNCT: '.', ',', '-', '/' */
} tok;

static int month_of(const char *w, size_t n)
{
    char low[64];
    if (n < 3 || n > 24)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t l = pub_utf8_decode((const unsigned char *)w + i, n - i, &cp);
        if (l == 0 || o + 4 >= sizeof low)
            return 0;
        o += pub_utf8_encode(utf8proc_tolower(cp), low + o);
        i += l;
    }
    low[o] = '\0';
    if (o < 3)
        return 0;
    for (size_t k = 0; k < sizeof months / sizeof months[0]; k++)
        if (months[k].name[0] == low[0] && strcmp(low, months[k].name) == 0)
            return months[k].month;
    return 0;
}

static int is_filler(const char *w, size_t n)
{
    static const char *const f[] = {"de", "del", "of", "the", "st", "nd",
                                    "rd", "th", "er", "e", "o", "º", "ª"};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
        if (strlen(f[k]) == n && pub_starts_with_ci(w, n, f[k]))
            return 1;
    return 0;
}

static int valid(long y, long m, long d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 0 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

static void emit(char iso[11], long y, long m, long d)
{
    /* valid() has bounded all three */
    unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u, dd = (unsigned)d % 100u;
    if (d > 0)
        snprintf(iso, 11, "%04u-%02u-%02u", yy, mm, dd);
    else
        snprintf(iso, 11, "%04u-%02u", yy, mm);
}

/* Skips fillers and the given punctuation from token k; returns the index. */
static size_t skip(const tok *t, size_t n, size_t k, const char *punct)
{
    while (k < n && ((t[k].kind == T_WORD && t[k].filler) ||
                     (t[k].kind == T_PUNCT && strchr(punct, t[k].punct))))
        k++;
    return k;
}

int pub_find_date(const char *text, size_t len, char iso[11], size_t *start,
                  size_t *end)
{
    /* every form has a four-digit year: text without one has no date
     * (most lines, when the closing section is looked for) */
    int run = 0;
    for (size_t k = 0; k < len && run < 4; k++)
        run = text[k] >= '0' && text[k] <= '9' ? run + 1 : 0;
    if (run < 4)
        return 0;
    /* tokenise (at most a bounded window of tokens at a time) */
    enum { WINDOW = 256 };
    tok t[WINDOW];
    size_t i = 0;
    while (i < len) {
        size_t n = 0;
        size_t window_start = i;
        while (i < len && n < WINDOW) {
            int32_t cp;
            size_t l = pub_utf8_decode((const unsigned char *)text + i, len - i, &cp);
            if (l == 0) {
                i++;
                continue;
            }
            if (cp >= '0' && cp <= '9') {
                tok *k = &t[n++];
                k->kind = T_NUM;
                k->start = i;
                k->value = 0;
                k->digits = 0;
                while (i < len && text[i] >= '0' && text[i] <= '9') {
                    if (k->digits < 9)
                        k->value = k->value * 10 + (text[i] - '0');
                    k->digits++;
                    i++;
                }
                k->end = i;
            } else if (pub_cp_is_letter(cp)) {
                tok *k = &t[n++];
                k->kind = T_WORD;
                k->start = i;
                while (i < len) {
                    size_t l2 = pub_utf8_decode((const unsigned char *)text + i, len - i, &cp);
                    if (l2 == 0 || !pub_cp_is_letter(cp))
                        break;
                    i += l2;
                }
                k->end = i;
                k->month = month_of(text + k->start, k->end - k->start);
                k->filler = !k->month && is_filler(text + k->start, k->end - k->start);
            } else {
                if (cp == '.' || cp == ',' || cp == '-' || cp == '/') {
                    tok *k = &t[n++];
                    k->kind = T_PUNCT;
                    k->start = i;
                    k->end = i + 1;
                    k->punct = (char)cp;
                }
                i += l;
            }
        }
        for (size_t k = 0; k < n; k++) {
            /* D [.] MONTH [,] YEAR */
            if (t[k].kind == T_NUM && t[k].digits <= 2) {
                size_t m = skip(t, n, k + 1, ".");
                if (m < n && t[m].kind == T_WORD && t[m].month) {
                    size_t y = skip(t, n, m + 1, ".,");
                    if (y < n && t[y].kind == T_NUM && t[y].digits == 4 &&
                        valid(t[y].value, t[m].month, t[k].value) && t[k].value > 0) {
                        emit(iso, t[y].value, t[m].month, t[k].value);
                        *start = t[k].start;
                        *end = t[y].end;
                        return 1;
                    }
                }
                /* D.M.YYYY or D/M/YYYY */
                if (k + 4 < n && t[k + 1].kind == T_PUNCT &&
                    (t[k + 1].punct == '.' || t[k + 1].punct == '/') &&
                    t[k + 2].kind == T_NUM && t[k + 2].digits <= 2 &&
                    t[k + 3].kind == T_PUNCT && t[k + 3].punct == t[k + 1].punct &&
                    t[k + 4].kind == T_NUM && t[k + 4].digits == 4 &&
                    t[k + 1].start == t[k].end && t[k + 2].start == t[k + 1].end &&
                    valid(t[k + 4].value, t[k + 2].value, t[k].value) && t[k].value > 0) {
                    emit(iso, t[k + 4].value, t[k + 2].value, t[k].value);
                    *start = t[k].start;
                    *end = t[k + 4].end;
                    return 1;
                }
            }
            /* YYYY-MM-DD */
            if (t[k].kind == T_NUM && t[k].digits == 4 && k + 4 < n &&
                t[k + 1].kind == T_PUNCT && t[k + 1].punct == '-' &&
                t[k + 2].kind == T_NUM && t[k + 2].digits == 2 &&
                t[k + 3].kind == T_PUNCT && t[k + 3].punct == '-' &&
                t[k + 4].kind == T_NUM && t[k + 4].digits == 2 &&
                valid(t[k].value, t[k + 2].value, t[k + 4].value) && t[k + 4].value > 0) {
                emit(iso, t[k].value, t[k + 2].value, t[k + 4].value);
                *start = t[k].start;
                *end = t[k + 4].end;
                return 1;
            }
            /* MONTH D [,] YEAR  or  MONTH YEAR */
            if (t[k].kind == T_WORD && t[k].month) {
                size_t d = skip(t, n, k + 1, ".");
                if (d < n && t[d].kind == T_NUM && t[d].digits <= 2) {
                    size_t y = skip(t, n, d + 1, ",.");
                    if (y < n && t[y].kind == T_NUM && t[y].digits == 4 &&
                        valid(t[y].value, t[k].month, t[d].value) && t[d].value > 0) {
                        emit(iso, t[y].value, t[k].month, t[d].value);
                        *start = t[k].start;
                        *end = t[y].end;
                        return 1;
                    }
                } else if (d < n && t[d].kind == T_NUM && t[d].digits == 4 &&
                           valid(t[d].value, t[k].month, 0) &&
                           t[k].end - t[k].start >= 3) {
                    emit(iso, t[d].value, t[k].month, 0);
                    *start = t[k].start;
                    *end = t[d].end;
                    return 1;
                }
            }
        }
        if (i >= len || n < WINDOW)
            break;
        /* continue with an overlap so a date on the window edge is seen */
        size_t back = t[n - 8].start;
        i = back > window_start ? back : i;
    }
    return 0;
}
