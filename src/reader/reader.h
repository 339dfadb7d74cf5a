/*
 * reader.h — private interfaces between the reader's stages:
 *   decode.c      bytes -> checked, normalised lines (RFC 3629, UAX #15 NFC)
 *   blocks.c      lines -> statement structure (heading block, body,
 *                 signatories, closing, notes)
 *   inlines.c     text of a block -> inline nodes (**strong**, [1] refs)
 *   signatories.c one signatory entry -> number/abbr/name/english/country
 *   dates.c       date expressions in several languages -> ISO 8601
 *   language.c    language of a statement (libexttextcat n-gram guesser)
 */
#ifndef PUB_READER_H
#define PUB_READER_H

#include "core/core.h"

/* One source line after decoding. In `text`, a single separating space is
 * ' ', a wider gap (a tab, two or more spaces or separating no-break
 * spaces) is '\t'; a no-break space that binds two words stays U+00A0.
 * Leading and trailing white space is removed; `indent` counts it. */
typedef struct pub_line {
    char *text;      /* arena-owned, NUL-terminated */
    size_t len;
    int lineno;      /* 1-based */
    int indent;      /* leading white space, in characters */
    size_t chars;    /* length in code points */
} pub_line;

typedef struct pub_lines {
    pub_line *v;
    size_t n;
} pub_lines;

/* Checks and splits the raw bytes of a file into lines. Reports invalid
 * UTF-8, NUL bytes and other binary content as errors naming the line and
 * byte offset, an empty file as an error. */
PUB_MUST_CHECK pub_status pub_decode(pub_ctx *ctx, pub_arena *a,
                                     const char *name, const char *data,
                                     size_t len, pub_lines *out);

/* Builds the statement node (children: blocks) from the lines. */
PUB_MUST_CHECK pub_status pub_build_statement(pub_ctx *ctx, pub_arena *a,
                                              const char *name,
                                              const pub_lines *lines,
                                              pub_node *stmt);

/* Inline parsing. A run is a piece of text with a strong flag; the caller
 * strips ** markers over a whole chunk first (bold may cross lines). */
typedef struct pub_run {
    const char *text;
    size_t len;
    int strong;
    int line;
} pub_run;

/* Appends inline nodes for the runs to block: TEXT/STRONG, NOTEREF for
 * [n], LINEBREAK where a run ends with '\n'. Gaps ('\t') become spaces. */
PUB_MUST_CHECK pub_status pub_inlines_append(pub_arena *a, pub_node *block,
                                             const pub_run *runs, size_t n,
                                             int refs);

/* Splits one signatory entry (number and marker already removed). */
void pub_signatory_split(pub_arena *a, const char *text, size_t len,
                         pub_signatory *out);
/* True when s (len bytes) names a country. */
int pub_is_country(const char *s, size_t len);

/* Finds the first date in text: on success fills iso ("YYYY-MM-DD") and
 * the byte span [*start, *end) of the expression, returns 1. */
int pub_find_date(const char *text, size_t len, char iso[11], size_t *start,
                  size_t *end);

/* Guesses the language of a text; returns a static BCP 47 tag or NULL. */
const char *pub_guess_language(pub_dossier *d, const char *text, size_t len);

/* Helpers on UTF-8 text. */
int32_t pub_first_cp(const char *s, size_t len);
int32_t pub_last_cp(const char *s, size_t len);
int pub_cp_is_upper(int32_t cp);
int pub_cp_is_lower(int32_t cp);
int pub_cp_is_letter(int32_t cp);
size_t pub_count_words(const char *s, size_t len);
/* Case-insensitive (simple case folding) prefix test on UTF-8. */
int pub_starts_with_ci(const char *s, size_t len, const char *prefix);

#endif
