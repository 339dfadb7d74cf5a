/*
 * blocks.c — recovers a statement's structure from its lines (the block
 * phase, after cmark's blocks.c): letterhead, kicker, title, subtitle,
 * byline, dateline and salutation; paragraphs (blank-line separated,
 * one-per-line or hard-wrapped, told apart by punctuation, capitalisation
 * and the wrap width), headings, slogans and lists; signatory sections of
 * every shape and "On behalf of" blocks; closing, sign-off and notes.
 * Decisions use the shape of the text, never the file it came from.
 */
#include "reader/reader.h"

#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    size_t a, b; /* lines [a, b) */
} chunk;

typedef struct builder {
    pub_ctx *ctx;
    pub_arena *a;
    const char *name;
    const pub_line *L;
    size_t n;
    char **plain;        /* line text without ** markers */
    size_t *plain_len;
    unsigned char *bold0; /* bold state at line start */
    size_t *literal_at;  /* byte offset of an unpaired ** in the line, or -1 */
    chunk *ch;
    size_t nch;
    pub_node *stmt;
    /* wrap detection */
    int hard;
    size_t wrap;
    /* current signatory state */
    pub_node *section;
    pub_node *last_sig;
    const char *behalf;  /* current "On behalf of" organisation */
    const char *group_country; /* "Germany:" sub-heading inside a list */
    int behalf_used;
    int behalf_line;
    pub_node *notes;
    pub_node *last_note;
    int body_blocks;     /* body blocks emitted so far */
} builder;

#define NOPOS ((size_t)-1)

/* ------------------------------------------------------------ predicates */

static const char *P(builder *B, size_t i) { return B->plain[i]; }
static size_t PL(builder *B, size_t i) { return B->plain_len[i]; }

static size_t words(builder *B, size_t i)
{
    return pub_count_words(P(B, i), PL(B, i));
}

static int is_terminal_cp(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == ':' ||
           cp == ';';
}

static int is_close_cp(int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == 0x201D || cp == 0x00BB ||
           cp == 0x2019 || cp == 0x201C || cp == ')' || cp == ']' ||
           cp == 0x00AB || cp == 0x203A;
}

/* Does the text end a sentence (looking through closing quotes/brackets)? */
static int ends_terminal(const char *s, size_t n)
{
    while (n > 0) {
        int32_t cp = pub_last_cp(s, n);
        if (is_close_cp(cp)) {
            size_t l = 1;
            while (l < n && ((unsigned char)s[n - l] & 0xC0) == 0x80)
                l++;
            n -= l;
            continue;
        }
        return is_terminal_cp(cp);
    }
    return 0;
}

static int32_t last_cp_of(builder *B, size_t i)
{
    return pub_last_cp(P(B, i), PL(B, i));
}

static int starts_lower(const char *s, size_t n)
{
    /* skip opening quotes/brackets */
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t l = pub_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (l == 0)
            return 0;
        if (pub_cp_is_letter(cp))
            return pub_cp_is_lower(cp);
        if (cp >= '0' && cp <= '9')
            return 0;
        i += l;
    }
    return 0;
}

static int starts_upper(const char *s, size_t n)
{
    int32_t cp = pub_first_cp(s, n);
    return pub_cp_is_upper(cp) || (cp >= '0' && cp <= '9');
}

static int any_prefix(const char *s, size_t n, const char *const *list)
{
    /* most words differ from s in an ASCII first letter: skip them here,
     * as pub_starts_with_ci would, without a call and a strlen each */
    unsigned char a0 = n ? (unsigned char)s[0] | 0x20 : 0;
    for (size_t k = 0; list[k] != NULL; k++) {
        unsigned char b0 = (unsigned char)list[k][0];
        if (a0 < 0x80 && b0 != 0 && b0 < 0x80 && (b0 | 0x20) != a0)
            continue;
        size_t pl = strlen(list[k]);
        if (pub_starts_with_ci(s, n, list[k])) {
            /* whole word: next is not a letter */
            if (pl >= n)
                return 1;
            int32_t cp = pub_first_cp(s + pl, n - pl);
            if (!pub_cp_is_letter(cp))
                return 1;
        }
    }
    return 0;
}

static const char *const sig_words[] = {
    "signatories", "signatory organisations", "signatory organizations",
    "signed by", "signed", "signers", "signatures", "first signatories",
    "initial signatories", "subsequent signatories", "further signatories",
    "additional signatories", "new signatories", "later signatories",
    "late signatories", "list of signatories", "co-signatories",
    "cosignatories", "endorsed by", "endorsements", "endorsing organisations",
    "endorsing organizations", "supporting organisations",
    "supporting organizations", "unterzeichner", "unterzeichnende",
    "erstunterzeichner", "erstunterzeichnende", "weitere unterzeichner",
    "unterschriften", "signataires", "premiers signataires",
    "liste des signataires", "firmantes", "firman", "firmas", "firmatari",
    "signatários", "assinam", "assinaturas", "adhesiones", "adhesiones posteriores",
    "nuevas adhesiones", "nouveaux signataires", "signataires ultérieurs",
    "ulteriori firmatari", "novos signatários", "подписали", "подписи",
    "также подписали", "присоединились",
    "подписанты", "imzacılar", "imzacı örgütler", "sygnatariusze",
    "podpisali", NULL};

/* Stems that mark a later group of signatories anywhere in its heading. */
static const char *const later_words[] = {
    "subsequent", "further", "additional", "new ", "later", "late ",
    "weitere", "nachträglich", "posterior", "nuevas", "nuevos", "ultérieur",
    "nouveaux", "nouvelles", "ulterior", "novos", "novas", "новые",
    "позднее", "присоедин", "sonradan", "kolejni", "dalsi", "další", NULL};

static int has_later_word(const char *s, size_t n)
{
    /* only the heading's own words: not "(as of ..., further signatories
     * possible)" */
    const char *paren = memchr(s, '(', n);
    if (paren != NULL)
        n = (size_t)(paren - s);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && s[i - 1] != ' ' && s[i - 1] != '(')
            continue;
        for (size_t k = 0; later_words[k] != NULL; k++)
            if (pub_starts_with_ci(s + i, n - i, later_words[k]))
                return 1;
    }
    return 0;
}

static int is_sig_heading(builder *B, size_t i)
{
    const char *s = P(B, i);
    size_t n = PL(B, i);
    if (!any_prefix(s, n, sig_words))
        return 0;
    size_t w = words(B, i);
    if (w > 16)
        return 0;
    int32_t last = last_cp_of(B, i);
    return last == ':' || w <= 3 || memchr(s, '(', n) != NULL;
}

static const char *const behalf_words[] = {
    "on behalf of", "for and on behalf of", "in the name of", "im namen",
    "au nom", "en nombre", "em nome", "a nome", "от имени", "w imieniu",
    NULL};

/* Length of the "On behalf of" prefix at the line start, or 0. */
static size_t behalf_prefix(builder *B, size_t i)
{
    const char *s = P(B, i);
    size_t n = PL(B, i);
    for (size_t k = 0; behalf_words[k] != NULL; k++)
        if (pub_starts_with_ci(s, n, behalf_words[k]) &&
            n > strlen(behalf_words[k]) && s[strlen(behalf_words[k])] == ' ')
            return strlen(behalf_words[k]) + 1;
    return 0;
}

static const char *const notes_words[] = {
    "notes", "footnotes", "endnotes", "references", "sources", "anmerkungen",
    "fußnoten", "quellen", "notas", "примечания", "сноски", "dipnotlar",
    "kaynaklar", NULL};

static int is_notes_heading(builder *B, size_t i)
{
    const char *s = P(B, i);
    size_t n = PL(B, i);
    while (n > 0 && (s[n - 1] == ':' || s[n - 1] == ' '))
        n--;
    if (n > 32)
        return 0; /* a line of text, not one of these words (20 bytes at most) */
    for (size_t k = 0; notes_words[k] != NULL; k++)
        if (strlen(notes_words[k]) == n && pub_starts_with_ci(s, n, notes_words[k]))
            return 1;
    return 0;
}

/* Length of a "[12]" note label at the line start, or 0. */
static size_t note_label(const char *s, size_t n)
{
    if (n < 3 || s[0] != '[')
        return 0;
    size_t i = 1;
    while (i < n && i <= 3 && s[i] >= '0' && s[i] <= '9')
        i++;
    return (i > 1 && i < n && s[i] == ']') ? i + 1 : 0;
}

static const char *const signoff_words[] = {
    "un saluto", "cordiali saluti", "saluti solidali", "com saudações",
    "saudações", "um abraço", "abraços", "saygılarımızla", "selamlarımızla",
    "z wyrazami", "pozdrawiamy", "solidarnie", "atentamente",
    "saludos fraternales", "saludos revolucionarios", "salutations fraternelles",
    "in solidarity", "with solidarity", "solidarity greetings",
    "with revolutionary greetings", "with communist greetings",
    "with comradely greetings", "with fraternal greetings",
    "with internationalist greetings", "with militant greetings",
    "revolutionary greetings", "comradely greetings", "fraternal greetings",
    "comradely", "fraternally", "yours", "sincerely", "best regards",
    "kind regards", "with best wishes", "mit solidarischen grüßen",
    "mit kämpferischen grüßen", "mit revolutionären grüßen",
    "solidarische grüße", "rote grüße", "salutations", "fraternellement",
    "saludos", "un saludo", "saudações", "atenciosamente", "con saluti",
    "saluti", "с товарищеским приветом", "с уважением", "dayanışmayla",
    "devrimci selamlarla", "z pozdrowieniami", NULL};

static int is_signoff(builder *B, size_t i)
{
    return words(B, i) <= 8 && any_prefix(P(B, i), PL(B, i), signoff_words);
}

/* A sign-off by its shape, in any language: a short formula ending in a
 * comma ("With warm regards and in solidarity,") followed, in the same
 * chunk, by one to three short signer lines, and nothing after them. */
static int signoff_shape(builder *B, size_t i, size_t chunk_end)
{
    const char *s = P(B, i);
    size_t n = PL(B, i);
    if (last_cp_of(B, i) != ',' || words(B, i) > 8 || chunk_end - i < 2 ||
        chunk_end - i > 4)
        return 0;
    for (size_t k = 0; k + 1 < n; k++)
        if ((s[k] == '.' || s[k] == '!' || s[k] == '?') && s[k + 1] == ' ')
            return 0;
    for (size_t j = i + 1; j < chunk_end; j++)
        if (words(B, j) > 12 || ends_terminal(P(B, j), PL(B, j)))
            return 0;
    return 1;
}

static const char *const salutation_words[] = {
    "dear", "dearest", "liebe", "lieber", "chers", "chères", "cher", "chère",
    "queridos", "queridas", "querido", "querida", "estimados", "estimadas",
    "estimado", "estimada", "caros", "caras", "cari", "care", "caro", "cara",
    "beste", "geachte", "drodzy", "drogie", "дорогие", "дорогой", "дорогая",
    "уважаемые", "уважаемый", "товарищи", "sevgili", "değerli", "comrades",
    "brothers and sisters", "sisters and brothers", "compañeros",
    "compañeras", "camarades", "genossinnen", "genossen", "to all", NULL};

static const char *const by_words[] = {
    "by", "von", "par", "por", "di", "door", "от", "av", "autor", "author",
    "statement by", "declaration by", "resolution by", "appeal by",
    "message from", "letter from", "a statement by", NULL};

static int is_byline(builder *B, const chunk *c)
{
    if (c->b - c->a > 3 || !any_prefix(P(B, c->a), PL(B, c->a), by_words))
        return 0;
    size_t w = 0;
    for (size_t i = c->a; i < c->b; i++)
        w += words(B, i);
    return w <= 40;
}

static int has_date(builder *B, size_t i, size_t *cover)
{
    char iso[11];
    size_t s, e;
    if (!pub_find_date(P(B, i), PL(B, i), iso, &s, &e))
        return 0;
    if (cover)
        *cover = e - s;
    return 1;
}

static int is_sig_heading(builder *B, size_t i);

static int is_dateline(builder *B, const chunk *c)
{
    if (c->b - c->a > 2 || is_sig_heading(B, c->a))
        return 0;
    /* two lines: "Place,\ndate" or a date on the first line, not
     * "Title\nPlace, date" */
    if (c->b - c->a == 2 && last_cp_of(B, c->a) != ',' && !has_date(B, c->a, NULL))
        return 0;
    size_t w = 0;
    int dated = 0;
    for (size_t i = c->a; i < c->b; i++) {
        w += words(B, i);
        dated |= has_date(B, i, NULL);
    }
    return dated && w <= 12;
}

/* A line (or two) giving place and date at the end: "Moscow,\n18 August
 * 2020", "Berlin, 5 May 2021". Returns the number of lines taken, or 0. */
static size_t closing_at(builder *B, size_t i, size_t limit)
{
    size_t cover = 0;
    size_t w = words(B, i);
    if (w == 0 || w > 10)
        return 0;
    if (has_date(B, i, &cover) && w <= 8 && cover * 10 >= PL(B, i) * 4)
        return 1;
    if (last_cp_of(B, i) == ',' && w <= 4 && i + 1 < limit &&
        PL(B, i + 1) > 0 && words(B, i + 1) <= 8 && has_date(B, i + 1, &cover) &&
        cover * 10 >= PL(B, i + 1) * 4)
        return 2;
    return 0;
}

/* Letterhead/address lines: contact details, postcodes, phone numbers. */
static int is_contact(builder *B, size_t i)
{
    const char *s = P(B, i);
    size_t n = PL(B, i);
    static const char *const marks[] = {
        "e-mail", "email", "tel", "tel.", "fax", "phone", "телефон", "тел",
        "факс", "www.", "http", "p.o. box", "postfach", "web", "site", NULL};
    if (any_prefix(s, n, marks))
        return 1;
    if (memchr(s, '@', n) != NULL && pub_count_words(s, n) <= 6)
        return 1;
    /* a postcode or a phone number: a run of 5+ digits (or +digits) next
     * to commas in a short line */
    size_t run = 0, best = 0;
    int plus = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] >= '0' && s[k] <= '9')
            run++;
        else {
            if (run > best)
                best = run;
            run = 0;
        }
        if (s[k] == '+' && k + 1 < n && s[k + 1] >= '0' && s[k + 1] <= '9')
            plus = 1;
    }
    if (run > best)
        best = run;
    /* a postcode has five or more digits; a year next to a comma is a date */
    return pub_count_words(s, n) <= 14 && !has_date(B, i, NULL) &&
           ((best >= 5 && memchr(s, ',', n) != NULL) || plus);
}

/* A list or entry marker at the line start: "1." "12)" "(3)" "4 -" "a)"
 * "(b)" "- " "• ". len covers the marker and the white space after it;
 * num is the number (letters count a=1), -1 for bullets; [nstart, nstart
 * + nlen) is the number or letter as written. */
typedef struct marker {
    size_t len;
    long num;
    int bullet;
    size_t nstart, nlen;
} marker;

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static marker scan_marker(const char *s, size_t n)
{
    marker m = {0, -1, 0, 0, 0};
    size_t i = s[0] == '(' ? 1 : 0, d = i;
    while (d < n && d - i < 7 && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d > i && d - i < 7) {
        long v = 0;
        for (size_t k = i; k < d; k++)
            v = v * 10 + (s[k] - '0');
        size_t e = 0;
        if (i == 1 && d < n && s[d] == ')')
            e = d + 1;                                  /* (12) */
        else if (i == 0 && d < n && (s[d] == '.' || s[d] == ')'))
            e = d + 1;                                  /* 12. 12) */
        else if (i == 0 && d + 2 < n && is_ws(s[d])) { /* 12 - */
            size_t k = d;
            while (k < n && is_ws(s[k]))
                k++;
            if (k < n && s[k] == '-')
                e = k + 1;
            else if (k + 2 < n && memcmp(s + k, "\xe2\x80\x93", 3) == 0)
                e = k + 3;
        }
        if (e > 0 && e < n && is_ws(s[e])) {
            while (e < n && is_ws(s[e]))
                e++;
            m.len = e;
            m.num = v;
            m.nstart = i;
            m.nlen = d - i;
            return m;
        }
    }
    /* a) (b): a single lower-case letter */
    i = s[0] == '(' ? 1 : 0;
    if (i + 2 < n && s[i] >= 'a' && s[i] <= 'z' && s[i + 1] == ')' && is_ws(s[i + 2])) {
        size_t e = i + 2;
        while (e < n && is_ws(s[e]))
            e++;
        m.len = e;
        m.num = s[i] - 'a' + 1;
        m.nstart = i;
        m.nlen = 1;
        return m;
    }
    static const char *const bullets[] = {"-", "*", "•", "–", "—", "·", "▪", "◦", "‣", NULL};
    for (size_t k = 0; bullets[k] != NULL; k++) {
        size_t bl = strlen(bullets[k]);
        if (n > bl + 1 && memcmp(s, bullets[k], bl) == 0 && is_ws(s[bl])) {
            size_t e = bl;
            while (e < n && is_ws(s[e]))
                e++;
            m.len = e;
            m.bullet = 1;
            return m;
        }
    }
    return m;
}

static size_t list_marker(const char *s, size_t n, long *num, int *bullet)
{
    marker m = scan_marker(s, n);
    *num = m.num;
    *bullet = m.bullet;
    return m.len;
}

static int is_separator_line(builder *B, size_t i)
{
    const char *s = P(B, i);
    size_t n = PL(B, i);
    if (n < 3)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (s[k] != '-' && s[k] != '_' && s[k] != '*' && s[k] != '=' &&
            s[k] != ' ' && s[k] != '~' && s[k] != '#')
            return 0;
    return 1;
}

/* --------------------------------------------------------------- emitting */

/* Runs for lines [a, b) with ** markers stripped (bold state from the
 * chunk-level pairing), lines joined by a space or by a line break. */
static pub_status emit_inline(builder *B, pub_node *block, size_t a, size_t b,
                              size_t skip_first, int breaks, int refs)
{
    pub_status status = PUB_OK;
    size_t cap = 16, n = 0;
    pub_run *runs = malloc(cap * sizeof *runs);
    CHECK_ALLOC(runs);
    for (size_t i = a; i < b; i++) {
        const char *s = B->L[i].text;
        size_t len = B->L[i].len;
        size_t k = i == a ? skip_first : 0;
        int bold = B->bold0[i];
        if (i == a && skip_first > 0) {
            /* recompute bold state up to the skipped prefix */
            for (size_t j = 0; j + 1 < skip_first; j++)
                if (s[j] == '*' && s[j + 1] == '*' && j != B->literal_at[i]) {
                    bold = !bold;
                    j++;
                }
        }
        size_t seg = k;
        while (k <= len) {
            int is_mark = k + 1 < len && s[k] == '*' && s[k + 1] == '*' &&
                         k != B->literal_at[i];
            if (k == len || is_mark) {
                if (k > seg || (k == len && i + 1 < b)) {
                    if (n + 2 >= cap) {
                        cap *= 2;
                        pub_run *r2 = realloc(runs, cap * sizeof *runs);
                        CHECK_ALLOC(r2);
                        runs = r2;
                    }
                    if (k > seg)
                        runs[n++] = (pub_run){s + seg, k - seg, bold, B->L[i].lineno};
                    if (k == len && i + 1 < b)
                        runs[n++] = (pub_run){breaks ? "\n" : " ", 1, bold, B->L[i].lineno};
                }
                if (k == len)
                    break;
                bold = !bold;
                k += 2;
                seg = k;
                continue;
            }
            k++;
        }
    }
    CHECK(pub_inlines_append(B->a, block, runs, n, refs));
fail:
    free(runs);
    return status;
}

static pub_status add_block(builder *B, pub_node_type type, size_t a, size_t b,
                            size_t skip_first, int breaks, pub_node **out)
{
    pub_status status = PUB_OK;
    pub_node *n = pub_node_new(B->a, type, B->L[a].lineno);
    CHECK_ALLOC(n);
    CHECK(emit_inline(B, n, a, b, skip_first, breaks, 1));
    pub_node_append(B->stmt, n);
    if (out != NULL)
        *out = n;
fail:
    return status;
}

/* The plain text (no ** markers) of lines [a, b) joined by spaces, the
 * first line from byte `skip`; wide gaps stay '\t' when keep_gaps (for the
 * signatory splitter), else become spaces. Arena-owned. */
static char *join_lines(builder *B, size_t a, size_t b, size_t skip, int keep_gaps)
{
    pub_buf buf = {0};
    for (size_t i = a; i < b; i++) {
        if (i > a && pub_buf_putc(&buf, ' ') != PUB_OK)
            goto oom;
        const char *s = P(B, i);
        size_t n = PL(B, i);
        if (i == a) {
            s += skip < n ? skip : n;
            n -= skip < n ? skip : n;
        }
        if (pub_buf_append(&buf, s, n) != PUB_OK)
            goto oom;
    }
    char *r = pub_arena_strndup(B->a, buf.data ? buf.data : "", buf.len);
    for (size_t k = 0; r != NULL && !keep_gaps && r[k]; k++)
        if (r[k] == '\t')
            r[k] = ' ';
    pub_buf_free(&buf);
    return r;
oom:
    pub_buf_free(&buf);
    return NULL;
}

static char *plain_join(builder *B, size_t a, size_t b, size_t skip)
{
    return join_lines(B, a, b, skip, 0);
}

/* ------------------------------------------------------------ signatories */

static pub_status open_section(builder *B, size_t i, int heading, int behalf)
{
    pub_status status = PUB_OK;
    pub_node *s = pub_node_new(B->a, PUB_NODE_SIGNATORY_SECTION, B->L[i].lineno);
    CHECK_ALLOC(s);
    if (heading) {
        const char *h = plain_join(B, i, i + 1, 0);
        CHECK_ALLOC(h);
        s->as.section.heading = h;
        size_t hn = strlen(h);
        s->as.section.subsequent = has_later_word(h, hn);
        char iso[11];
        size_t ds, de;
        if (pub_find_date(h, hn, iso, &ds, &de)) {
            s->as.section.as_of = pub_arena_strdup(B->a, iso);
            s->as.section.as_of_text = pub_arena_strndup(B->a, h + ds, de - ds);
            CHECK_ALLOC(s->as.section.as_of);
            CHECK_ALLOC(s->as.section.as_of_text);
        }
    }
    s->as.section.on_behalf = behalf;
    pub_node_append(B->stmt, s);
    B->section = s;
    B->last_sig = NULL;
fail:
    return status;
}

static pub_status new_signatory(builder *B, size_t i, pub_node **out)
{
    pub_node *n = pub_node_new(B->a, PUB_NODE_SIGNATORY, B->L[i].lineno);
    if (n == NULL)
        return pub_error(PUB_ERR_NOMEM);
    pub_node_append(B->section, n);
    B->last_sig = n;
    *out = n;
    return PUB_OK;
}

static const char *const role_words[] = {
    "chairman", "chairwoman", "chairperson", "chair", "co-chair", "president",
    "vice-president", "secretary", "secretary-general", "general", "first",
    "second", "deputy", "vice", "acting", "honorary", "leader",
    "spokesperson", "spokesman", "spokeswoman", "member", "members",
    "representative", "coordinator", "director", "head", "central",
    "committee", "party", "political", "bureau", "executive", "council",
    "national", "presidium", "politburo", "board", "the", "of", "and",
    "international", "department", "relations", "foreign", "chairs",
    "co-chairs", "coordinator", "coordinators", "co-ordinator",
    "co-ordinators", "secretaries", "presidents", "delegate", "delegates",
    "treasurer", "organiser", "organizer", "convenor", "speaker",
    "spokespersons", "leaders", "heads", "directors", "representatives",
    NULL};

static int is_role_word(const char *s, size_t n)
{
    for (size_t k = 0; role_words[k] != NULL; k++)
        if (strlen(role_words[k]) == n && pub_starts_with_ci(s, n, role_words[k]))
            return 1;
    return 0;
}

/* "Chairman of the Central Committee **Gennady Zyuganov**": role and
 * persons from the raw line text (with ** markers). */
static pub_status parse_signature(builder *B, const char *s, size_t n,
                                  pub_signatory *sig)
{
    pub_buf role = {0};
    const char *persons[16];
    size_t np = 0;
    pub_status status = PUB_OK;
    size_t i = 0;
    int bold = 0;
    size_t seg = 0;
    while (i <= n) {
        if (i == n || (i + 1 < n && s[i] == '*' && s[i + 1] == '*')) {
            if (bold && i > seg && np < 16) {
                const char *p = s + seg;
                size_t pn = i - seg;
                while (pn > 0 && (*p == ' ' || *p == '\t'))
                    p++, pn--;
                while (pn > 0 && (p[pn - 1] == ' ' || p[pn - 1] == ',' || p[pn - 1] == '\t'))
                    pn--;
                if (pn > 0) {
                    persons[np] = pub_arena_strndup(B->a, p, pn);
                    CHECK_ALLOC(persons[np]);
                    np++;
                }
            } else if (!bold && i > seg) {
                CHECK(pub_buf_append(&role, s + seg, i - seg));
                CHECK(pub_buf_putc(&role, ' '));
            }
            if (i == n)
                break;
            bold = !bold;
            i += 2;
            seg = i;
            continue;
        }
        i++;
    }
    /* tidy the role: spaces, and connectors left between names */
    const char *r = role.data ? role.data : "";
    size_t rn = role.len;
    for (;;) { /* trim spaces, punctuation and dashes on both ends */
        if (rn > 0 && strchr(" \t,;:-", r[rn - 1]) != NULL)
            rn--;
        else if (rn >= 3 && (memcmp(r + rn - 3, "\xe2\x80\x93", 3) == 0 ||
                             memcmp(r + rn - 3, "\xe2\x80\x94", 3) == 0))
            rn -= 3;
        else if (rn > 0 && strchr(" \t,;:-", r[0]) != NULL)
            r++, rn--;
        else if (rn >= 3 && (memcmp(r, "\xe2\x80\x93", 3) == 0 ||
                             memcmp(r, "\xe2\x80\x94", 3) == 0))
            r += 3, rn -= 3;
        else
            break;
    }
    if (np >= 2 && rn >= 4 && pub_starts_with_ci(r + rn - 4, 4, " and"))
        rn -= 4; /* "Chairs **A** and **B**" */
    while (rn > 0 && strchr(" \t,;:", r[rn - 1]) != NULL)
        rn--;
    if (np == 0 && rn > 0) {
        /* no bold: trailing runs of capitalised non-role words are names,
         * joined by "and", "&" or commas ("Co-ordinators A B and C D") */
        size_t first_np = np;
        for (;;) {
            size_t end = rn, start = rn, count = 0;
            while (start > 0) {
                size_t w = start;
                while (w > 0 && r[w - 1] != ' ' && r[w - 1] != '\t')
                    w--;
                size_t we = start;
                if (we > w && r[we - 1] == ',')
                    we--;
                if (!pub_cp_is_upper(pub_first_cp(r + w, we - w)) ||
                    is_role_word(r + w, we - w) || (we < start && count > 0))
                    break;
                count++;
                start = w;
                while (start > 0 && (r[start - 1] == ' ' || r[start - 1] == '\t'))
                    start--;
            }
            if (start == 0 && count >= 3) {
                /* the run swallowed an unknown role word: a name is the
                 * last two words */
                size_t w = end, words_left = 2;
                while (w > 0 && words_left > 0) {
                    while (w > 0 && r[w - 1] != ' ' && r[w - 1] != '\t')
                        w--;
                    if (--words_left > 0)
                        while (w > 0 && (r[w - 1] == ' ' || r[w - 1] == '\t'))
                            w--;
                }
                start = w;
                while (start > 0 && (r[start - 1] == ' ' || r[start - 1] == '\t'))
                    start--;
                count = 2;
            }
            if (count < 2 || start == 0 || np >= 16)
                break;
            size_t ps = start, pe = end;
            while (ps < pe && (r[ps] == ' ' || r[ps] == '\t'))
                ps++;
            while (pe > ps && r[pe - 1] == ',')
                pe--;
            persons[np] = pub_arena_strndup(B->a, r + ps, pe - ps);
            CHECK_ALLOC(persons[np]);
            np++;
            rn = start;
            /* a connector before this name means another name precedes */
            if (rn >= 4 && pub_starts_with_ci(r + rn - 4, 4, " and"))
                rn -= 4;
            else if (rn >= 2 && r[rn - 1] == '&')
                rn -= 2;
            else if (rn >= 1 && r[rn - 1] == ',')
                rn -= 1;
            else
                break;
            while (rn > 0 && (r[rn - 1] == ' ' || r[rn - 1] == '\t'))
                rn--;
        }
        /* found last to first: restore reading order */
        for (size_t x = first_np, y = np; x + 1 < y; x++, y--) {
            const char *t = persons[x];
            persons[x] = persons[y - 1];
            persons[y - 1] = t;
        }
    }
    if (rn > 0) {
        char *rr = pub_arena_strndup(B->a, r, rn);
        CHECK_ALLOC(rr);
        for (char *p = rr; *p; p++)
            if (*p == '\t')
                *p = ' ';
        sig->role = rr;
    }
    if (np > 0) {
        const char **v = pub_arena_alloc_array(B->a, np + 1, sizeof *v);
        CHECK_ALLOC(v);
        memcpy(v, persons, np * sizeof *v);
        sig->persons = v;
        sig->n_persons = np;
    }
    sig->raw = pub_arena_strndup(B->a, s, n);
    CHECK_ALLOC(sig->raw);
    sig->split_ok = 1;
fail:
    pub_buf_free(&role);
    return status;
}

static pub_status behalf_flush(builder *B, size_t line)
{
    /* an "On behalf of X:" block with no signature line still signs */
    if (B->behalf != NULL && !B->behalf_used) {
        pub_node *n = NULL;
        pub_status s = new_signatory(B, (size_t)B->behalf_line, &n);
        if (s != PUB_OK)
            return s;
        n->line = B->L[B->behalf_line].lineno;
        n->as.signatory.on_behalf_of = B->behalf;
        n->as.signatory.raw = B->behalf;
        n->as.signatory.split_ok = 1;
    }
    (void)line;
    B->behalf_used = 1;
    return PUB_OK;
}

/* ------------------------------------------------------------ body blocks */

static int is_slogan_text(const char *s, size_t n)
{
    if (n == 0 || pub_last_cp(s, n) != '!' || pub_count_words(s, n) > 14)
        return 0;
    for (size_t k = 0; k + 1 < n; k++)
        if ((s[k] == '.' || s[k] == '?') && (s[k + 1] == ' ' || s[k + 1] == '\t'))
            return 0;
    return 1;
}

static int is_heading_text(const char *s, size_t n)
{
    if (n == 0 || pub_count_words(s, n) > 12 || !starts_upper(s, n))
        return 0;
    int32_t last = pub_last_cp(s, n);
    return !(is_terminal_cp(last) || last == ',' || last == '!' || last == '?' ||
             last == '-' || last == 0x2013);
}

/* Should line j continue the paragraph that line i is part of? */
static int joins(builder *B, size_t i, size_t j)
{
    const char *p = P(B, i), *q = P(B, j);
    size_t pn = PL(B, i), qn = PL(B, j);
    long num;
    int bullet;
    if (list_marker(q, qn, &num, &bullet) > 0)
        return 0;
    int32_t last = pub_last_cp(p, pn);
    int term = ends_terminal(p, pn);
    if (B->hard) {
        if (!term)
            return 1;
        size_t first = 0;
        while (first < qn && q[first] != ' ' && q[first] != '\t')
            first++;
        /* would the wrapper have fitted the next word on this line? */
        size_t fw = 0;
        for (size_t k = 0; k < first; k++)
            fw += ((unsigned char)q[k] & 0xC0) != 0x80;
        return B->L[i].chars + 1 + fw > B->wrap;
    }
    if (term)
        return 0;
    return starts_lower(q, qn) || last == ',' || last == '-' || last == 0x2013 ||
           last == '(' || last == 0x2014;
}

static int is_salutation_line(builder *B, size_t i)
{
    return words(B, i) <= 12 && any_prefix(P(B, i), PL(B, i), salutation_words);
}

/* Emits the body blocks of lines [a, b) (one chunk or part of one). */
static pub_status body_lines(builder *B, size_t a, size_t b, int chunk_alone)
{
    pub_status status = PUB_OK;
    size_t i = a;
    pub_node *list = NULL;
    while (i < b) {
        if (is_separator_line(B, i)) {
            i++;
            continue;
        }
        size_t cl = closing_at(B, i, b);
        if (cl > 0 && B->body_blocks > 0 && b - a <= 3) {
            CHECK(add_block(B, PUB_NODE_CLOSING, i, i + cl, 0, 1, NULL));
            i += cl;
            list = NULL;
            continue;
        }
        if (is_signoff(B, i) || signoff_shape(B, i, b)) {
            size_t e = i + 1;
            while (e < b && words(B, e) <= 12 && e - i < 4)
                e++;
            CHECK(add_block(B, PUB_NODE_SIGNOFF, i, e, 0, 1, NULL));
            i = e;
            list = NULL;
            continue;
        }
        long num;
        int bullet;
        size_t mk = list_marker(P(B, i), PL(B, i), &num, &bullet);
        if (mk > 0) {
            /* a list item with its continuation lines */
            size_t e = i + 1;
            while (e < b) {
                long n2;
                int b2;
                if (list_marker(P(B, e), PL(B, e), &n2, &b2) > 0)
                    break;
                if (!(B->L[e].indent > B->L[i].indent ||
                      !ends_terminal(P(B, e - 1), PL(B, e - 1)) ||
                      starts_lower(P(B, e), PL(B, e))))
                    break;
                e++;
            }
            if (list == NULL) {
                list = pub_node_new(B->a, PUB_NODE_LIST, B->L[i].lineno);
                CHECK_ALLOC(list);
                list->as.list.ordered = num >= 0;
                list->as.list.delim = NULL;
                pub_node_append(B->stmt, list);
            }
            pub_node *item = pub_node_new(B->a, PUB_NODE_LIST_ITEM, B->L[i].lineno);
            CHECK_ALLOC(item);
            /* the marker as written: "1." or "-" */
            const char *raw = B->L[i].text;
            size_t ml = 0;
            while (ml < B->L[i].len && raw[ml] != ' ' && raw[ml] != '\t')
                ml++;
            item->as.item.marker = pub_arena_strndup(B->a, raw, ml);
            CHECK_ALLOC(item->as.item.marker);
            size_t skip = ml;
            while (skip < B->L[i].len && (raw[skip] == ' ' || raw[skip] == '\t'))
                skip++;
            CHECK(emit_inline(B, item, i, e, skip, 0, 1));
            pub_node_append(list, item);
            B->body_blocks++;
            i = e;
            continue;
        }
        list = NULL;
        size_t e = i + 1;
        while (e < b && !is_separator_line(B, e) && !is_signoff(B, e) &&
               joins(B, e - 1, e))
            e++;
        /* classify the block */
        pub_node_type type = PUB_NODE_PARAGRAPH;
        char *text = plain_join(B, i, e, 0);
        CHECK_ALLOC(text);
        size_t tn = strlen(text);
        if (e - i == 1 && text[0] == '#') {
            size_t h = 0;
            while (h < tn && text[h] == '#')
                h++;
            while (h < tn && text[h] == ' ')
                h++;
            pub_node *hd = NULL;
            CHECK(add_block(B, PUB_NODE_HEADING, i, e, h, 0, &hd));
            hd->as.heading.level = 1;
            B->body_blocks++;
            i = e;
            continue;
        }
        if (B->body_blocks == 0 && e - i == 1 && any_prefix(text, tn, salutation_words) &&
            pub_count_words(text, tn) <= 12)
            type = PUB_NODE_SALUTATION;
        else if (e - i == 1 && is_slogan_text(text, tn))
            type = PUB_NODE_SLOGAN;
        else if (e - i == 1 && is_heading_text(text, tn) &&
                 (e < b || chunk_alone) &&
                 (i == a || ends_terminal(P(B, i - 1), PL(B, i - 1))))
            type = PUB_NODE_HEADING;
        pub_node *blk = NULL;
        CHECK(add_block(B, type, i, e, 0, 0, &blk));
        if (type == PUB_NODE_HEADING)
            blk->as.heading.level = 1;
        B->body_blocks++;
        i = e;
    }
fail:
    return status;
}

/* ------------------------------------------------------------ head block */

static int chunk_words(builder *B, const chunk *c)
{
    size_t w = 0;
    for (size_t i = c->a; i < c->b; i++)
        w += words(B, i);
    return (int)w;
}

static int colon_heading(builder *B, size_t i);

static int starts_special(builder *B, size_t i)
{
    return is_sig_heading(B, i) || colon_heading(B, i) || behalf_prefix(B, i) > 0 ||
           is_notes_heading(B, i) || note_label(P(B, i), PL(B, i)) > 0;
}

static const char *const joining_words[] = {
    "of", "to", "the", "and", "in", "for", "on", "against", "with", "from",
    "by", "at", "a", "an", "or", "der", "die", "das", "des", "und", "gegen",
    "für", "von", "de", "du", "la", "le", "les", "et", "contre", "pour", "del",
    "y", "en", "con", "por", "para", "da", "do", "e", "и", "в", "против",
    "за", "на", "с", NULL};

/* In a title chunk: does line j start a new sentence after line i? */
static int starts_sentence(builder *B, size_t i, size_t j)
{
    const char *q = P(B, j);
    size_t qn = PL(B, j);
    if (!starts_upper(q, qn) || any_prefix(q, qn, joining_words))
        return 0;
    return ends_terminal(P(B, i), PL(B, i)) || ends_terminal(q, qn);
}

static int all_caps(builder *B, size_t i)
{
    int up, low = 0, letters = 0;
    const char *s = P(B, i);
    size_t n = PL(B, i);
    up = 0;
    for (size_t k = 0; k < n;) {
        int32_t cp;
        size_t l = pub_utf8_decode((const unsigned char *)s + k, n - k, &cp);
        if (l == 0)
            break;
        if (pub_cp_is_upper(cp))
            up++;
        else if (pub_cp_is_lower(cp))
            low++;
        letters += pub_cp_is_letter(cp);
        k += l;
    }
    return letters >= 4 && low == 0 && up > 0;
}


/* Lines taken by a byline starting at line i (0 if none): "By X, date",
 * or "Statement by the ... Committee" wrapped onto a dated second line. */
static size_t byline_len(builder *B, size_t i, size_t end)
{
    if (words(B, i) > 30 || !any_prefix(P(B, i), PL(B, i), by_words))
        return 0;
    if (!has_date(B, i, NULL) && i + 1 < end && words(B, i + 1) <= 12 &&
        has_date(B, i + 1, NULL) && !ends_terminal(P(B, i), PL(B, i)))
        return 2;
    return 1;
}

/* A dateline on one line: "Joint Statement, March 8th, 2022". */
static int dateline_line(builder *B, size_t i)
{
    return words(B, i) <= 12 && has_date(B, i, NULL) && !is_sig_heading(B, i) &&
           !byline_len(B, i, i + 1);
}

/* Consumes the heading block; returns the index of the first body chunk
 * (chunks may be shortened from the front). */
static pub_status head(builder *B, size_t *next)
{
    pub_status status = PUB_OK;
    size_t c = 0;
    /* letterhead: leading short chunks up to the last one with contact
     * details, within the first few chunks */
    size_t last_contact = NOPOS;
    for (size_t k = 0; k < B->nch && k < 8; k++) {
        int short_lines = B->ch[k].b - B->ch[k].a <= 8 && !starts_special(B, B->ch[k].a);
        int contact = 0;
        for (size_t i = B->ch[k].a; i < B->ch[k].b; i++) {
            short_lines &= words(B, i) <= 25;
            contact |= is_contact(B, i);
        }
        if (!short_lines || is_byline(B, &B->ch[k]) ||
            (B->ch[k].b - B->ch[k].a == 1 && is_salutation_line(B, B->ch[k].a)))
            break;
        if (contact)
            last_contact = k;
    }
    if (last_contact != NOPOS) {
        for (size_t k = 0; k <= last_contact; k++)
            for (size_t i = B->ch[k].a; i < B->ch[k].b; i++)
                CHECK(add_block(B, PUB_NODE_LETTERHEAD, i, i + 1, 0, 0, NULL));
        c = last_contact + 1;
    }
    int have_title = 0, have_sub = 0, have_by = 0, have_date = 0, have_kicker = 0;
    while (c < B->nch) {
        chunk *C = &B->ch[c];
        size_t nl = C->b - C->a;
        size_t f = C->a;
        if (starts_special(B, f))
            break;
        int w = chunk_words(B, C);
        if (!have_by && is_byline(B, C)) {
            CHECK(add_block(B, PUB_NODE_BYLINE, C->a, C->b, 0, 0, NULL));
            have_by = 1;
            c++;
            continue;
        }
        if (!have_date && is_dateline(B, C) && (have_title || c + 1 < B->nch)) {
            CHECK(add_block(B, PUB_NODE_DATELINE, C->a, C->b, 0, 0, NULL));
            have_date = 1;
            c++;
            continue;
        }
        /* without blank lines: a byline or dateline on the first lines */
        size_t bl = byline_len(B, f, C->b);
        if (!have_by && bl > 0 && bl < nl) {
            CHECK(add_block(B, PUB_NODE_BYLINE, f, f + bl, 0, 0, NULL));
            have_by = 1;
            C->a += bl;
            continue;
        }
        if (!have_date && nl > 1 && dateline_line(B, f)) {
            CHECK(add_block(B, PUB_NODE_DATELINE, f, f + 1, 0, 0, NULL));
            have_date = 1;
            C->a++;
            continue;
        }
        if (nl == 1 && is_salutation_line(B, f)) {
            CHECK(add_block(B, PUB_NODE_SALUTATION, f, f + 1, 0, 0, NULL));
            c++;
            break;
        }
        /* vocative: "Workers of Belorussia!" before the first paragraph */
        if (have_title && (have_by || have_date || have_sub) && nl == 1 && w <= 6 &&
            (last_cp_of(B, f) == '!' || last_cp_of(B, f) == ',') &&
            c + 1 < B->nch && chunk_words(B, &B->ch[c + 1]) > 25) {
            CHECK(add_block(B, PUB_NODE_SALUTATION, f, f + 1, 0, 0, NULL));
            c++;
            break;
        }
        if (!have_title && !have_kicker && words(B, f) <= 8 &&
            last_cp_of(B, f) == ':' && (nl > 1 || c + 1 < B->nch)) {
            CHECK(add_block(B, PUB_NODE_KICKER, f, f + 1, 0, 0, NULL));
            have_kicker = 1;
            if (nl == 1) {
                c++;
                continue;
            }
            C->a++; /* the title follows on the next line */
            continue;
        }
        if (!have_title) {
            long num;
            int bullet;
            if (list_marker(P(B, f), PL(B, f), &num, &bullet) > 0)
                break;
            /* the title's lines: an ALL CAPS run, or lines that continue
             * one another; it ends before a byline, a dateline, a new
             * sentence (a subtitle) or prose */
            int caps = all_caps(B, f);
            size_t e = f + 1, tw = words(B, f);
            while (e < C->b && e - f < 3 && !byline_len(B, e, C->b) &&
                   !dateline_line(B, e) && words(B, e) <= 20 &&
                   (caps ? all_caps(B, e) : !starts_sentence(B, e - 1, e)))
                tw += words(B, e++);
            if (tw > 30 || (tw > 20 && ends_terminal(P(B, e - 1), PL(B, e - 1))))
                break; /* no title: the statement opens with prose */
            size_t rest = C->b - e, rest_words = 0;
            for (size_t k = e; k < C->b; k++)
                rest_words += words(B, k);
            CHECK(add_block(B, PUB_NODE_TITLE, f, e, 0, 0, NULL));
            have_title = 1;
            if (rest == 0) {
                c++;
                continue;
            }
            C->a = e;
            if (byline_len(B, e, C->b) || dateline_line(B, e))
                continue;
            /* "Title\nA separate sentence!" gives a subtitle */
            if (rest <= 2 && rest_words <= 30 && starts_sentence(B, e - 1, e)) {
                CHECK(add_block(B, PUB_NODE_SUBTITLE, e, C->b, 0, 0, NULL));
                have_sub = 1;
                c++;
                continue;
            }
            break; /* "Title\nFirst paragraph..." in one chunk */
        }
        if (!have_sub && nl <= 3 && w <= 40 && c + 1 < B->nch) {
            chunk *N = &B->ch[c + 1];
            /* a short descriptive line set off right under the title */
            int descriptive = !have_by && !have_date && nl == 1 && w <= 15 &&
                              starts_upper(P(B, f), PL(B, f)) &&
                              !ends_terminal(P(B, f), PL(B, f)) &&
                              last_cp_of(B, f) != '!' && last_cp_of(B, f) != ',' &&
                              !starts_special(B, N->a) &&
                              (chunk_words(B, N) > 15 || N->b - N->a > 1);
            if (descriptive || is_byline(B, N) || is_dateline(B, N) ||
                (N->b - N->a == 1 && is_salutation_line(B, N->a))) {
                CHECK(add_block(B, PUB_NODE_SUBTITLE, C->a, C->b, 0, 0, NULL));
                have_sub = 1;
                c++;
                continue;
            }
        }
        break;
    }
    *next = c;
fail:
    return status;
}

/* ------------------------------------------------------------ main pass */

enum { M_BODY, M_SIG, M_NOTES };

static pub_status add_note(builder *B, size_t i, size_t skip, const char *label,
                           size_t label_len)
{
    pub_status status = PUB_OK;
    if (B->notes == NULL) {
        B->notes = pub_node_new(B->a, PUB_NODE_NOTES, B->L[i].lineno);
        CHECK_ALLOC(B->notes);
        pub_node_append(B->stmt, B->notes);
    }
    pub_node *fn = pub_node_new(B->a, PUB_NODE_FOOTNOTE, B->L[i].lineno);
    CHECK_ALLOC(fn);
    fn->as.note.label = pub_arena_strndup(B->a, label, label_len);
    CHECK_ALLOC(fn->as.note.label);
    pub_node_append(B->notes, fn);
    B->last_note = fn;
    CHECK(emit_inline(B, fn, i, i + 1, skip, 0, 0));
fail:
    return status;
}

static pub_status note_continue(builder *B, size_t i)
{
    /* a continuation line of the last note: a space, then its text */
    pub_node *sp = pub_node_new(B->a, PUB_NODE_TEXT, B->L[i].lineno);
    if (sp == NULL)
        return pub_error(PUB_ERR_NOMEM);
    sp->as.text.data = " ";
    sp->as.text.len = 1;
    pub_node_append(B->last_note, sp);
    return emit_inline(B, B->last_note, i, i + 1, 0, 0, 0);
}

/* Is line i (in a signatory list) a continuation of the previous entry? */
static int sig_continues(builder *B, size_t i, int blank_before)
{
    if (B->last_sig == NULL)
        return 0;
    const pub_signatory *prev = &B->last_sig->as.signatory;
    const char *raw = prev->raw ? prev->raw : "";
    size_t rn = strlen(raw);
    int open = 0;
    for (size_t k = 0; k < rn; k++)
        open += raw[k] == '(' ? 1 : raw[k] == ')' ? -1 : 0;
    if (open > 0)
        return 1;
    if (blank_before)
        return 0;
    int32_t last = pub_last_cp(raw, rn);
    if (last == ',' || last == '-' || last == 0x2013 || last == '(' || last == '/')
        return 1;
    if (starts_lower(P(B, i), PL(B, i)) || P(B, i)[0] == '(')
        return 1;
    /* deeper indentation than the entry itself */
    return B->L[i].indent > 0 && B->L[i].indent > B->L[B->last_sig->line - 1].indent + 1;
}

static pub_status sig_line(builder *B, size_t i, int blank_before)
{
    pub_status status = PUB_OK;
    const char *s = P(B, i);
    size_t n = PL(B, i);
    pub_node *sig = NULL;
    if (B->section->as.section.on_behalf) {
        /* a signature under "On behalf of X:" or a representative line */
        CHECK(new_signatory(B, i, &sig));
        CHECK(parse_signature(B, B->L[i].text, B->L[i].len, &sig->as.signatory));
        sig->as.signatory.on_behalf_of = B->behalf;
        B->behalf_used = 1;
        goto fail;
    }
    long num;
    int bullet;
    size_t mk = list_marker(s, n, &num, &bullet);
    if (mk == 0 && sig_continues(B, i, blank_before)) {
        /* re-split the previous entry with this line added */
        pub_signatory *p = &B->last_sig->as.signatory;
        size_t first = (size_t)B->last_sig->line - 1;
        long n0;
        int b0;
        size_t skip = list_marker(P(B, first), PL(B, first), &n0, &b0);
        char *t = join_lines(B, first, i + 1, skip, 1);
        CHECK_ALLOC(t);
        const char *number = p->number;
        memset(p, 0, sizeof *p);
        p->number = number;
        pub_signatory_split(B->a, t, strlen(t), p);
        if (p->country == NULL)
            p->country = B->group_country;
        goto fail;
    }
    CHECK(new_signatory(B, i, &sig));
    if (num >= 0) {
        marker m = scan_marker(s, n);
        sig->as.signatory.number = pub_arena_strndup(B->a, s + m.nstart, m.nlen);
        CHECK_ALLOC(sig->as.signatory.number);
    }
    pub_signatory_split(B->a, s + mk, n - mk, &sig->as.signatory);
    if (sig->as.signatory.country == NULL)
        sig->as.signatory.country = B->group_country;
fail:
    return status;
}

/* Does line i read like a signatory entry: an abbreviation, a trailing
 * country, or a person's name followed by a description? */
static int entry_like(builder *B, size_t i)
{
    const char *s = P(B, i);
    size_t n = PL(B, i);
    marker m = scan_marker(s, n);
    s += m.len;
    n -= m.len;
    if (n == 0 || ends_terminal(s, n) || pub_last_cp(s, n) == ';' || pub_count_words(s, n) > 30)
        return 0;
    /* a marked item that is no sentence: an entry, not a demand */
    if (m.len > 0 && !starts_lower(s, n))
        return 1;
    pub_signatory sg = {0};
    pub_signatory_split(B->a, s, n, &sg);
    return sg.abbr != NULL || sg.country != NULL || sg.n_persons > 0;
}

/* "Subscrevem:", "Supported by:": a short line ending in a colon, whatever
 * the language, followed by lines that read like entries. */
static int colon_heading(builder *B, size_t i)
{
    if (last_cp_of(B, i) != ':' || words(B, i) > 4 || words(B, i) == 0)
        return 0;
    size_t seen = 0, like = 0;
    for (size_t j = i + 1; j < B->n && seen < 3; j++) {
        if (PL(B, j) == 0)
            continue;
        seen++;
        like += entry_like(B, j);
    }
    return seen >= 2 && like * 3 >= seen * 2;
}

/* "Germany:" inside a signatory list: a country sub-heading. */
static const char *country_heading(builder *B, size_t i)
{
    const char *s = P(B, i);
    size_t n = PL(B, i);
    if (n < 3 || s[n - 1] != ':' || !pub_is_country(s, n - 1))
        return NULL;
    return pub_arena_strndup(B->a, s, n - 1);
}

/* Hard-wrapped text has lines of nearly one width, many of them ending in
 * the middle of a sentence; text with one paragraph a line does not. */
static void wrap_width(builder *B, size_t from)
{
    size_t maxc = 0, count = 0, open = 0;
    for (size_t i = from; i < B->n; i++)
        if (B->L[i].chars >= 30 && B->L[i].chars > maxc)
            maxc = B->L[i].chars;
    for (size_t i = from; i < B->n; i++)
        if (B->L[i].chars >= 30 && B->L[i].chars * 4 >= maxc * 3) {
            count++;
            open += !ends_terminal(P(B, i), PL(B, i));
        }
    B->wrap = maxc;
    B->hard = maxc > 0 && maxc <= 100 && count >= 3 && open * 10 >= count * 3;
}

pub_status pub_build_statement(pub_ctx *ctx, pub_arena *a, const char *name,
                               const pub_lines *lines, pub_node *stmt)
{
    pub_status status = PUB_OK;
    builder B = {.ctx = ctx, .a = a, .name = name, .L = lines->v, .n = lines->n,
                 .stmt = stmt};
    B.plain = pub_arena_alloc_array(a, B.n, sizeof *B.plain);
    B.plain_len = pub_arena_alloc_array(a, B.n, sizeof *B.plain_len);
    B.bold0 = pub_arena_alloc_array(a, B.n, 1);
    B.literal_at = pub_arena_alloc_array(a, B.n, sizeof *B.literal_at);
    B.ch = pub_arena_alloc_array(a, B.n, sizeof *B.ch);
    CHECK_ALLOC(B.plain);
    CHECK_ALLOC(B.plain_len);
    CHECK_ALLOC(B.bold0);
    CHECK_ALLOC(B.literal_at);
    CHECK_ALLOC(B.ch);
    /* chunks, and ** pairing per chunk */
    for (size_t i = 0; i < B.n;) {
        if (B.L[i].len == 0) {
            B.literal_at[i] = NOPOS;
            i++;
            continue;
        }
        size_t e = i;
        size_t markers = 0;
        while (e < B.n && B.L[e].len > 0) {
            const char *s = B.L[e].text;
            for (size_t k = 0; k + 1 < B.L[e].len; k++)
                if (s[k] == '*' && s[k + 1] == '*') {
                    markers++;
                    k++;
                }
            e++;
        }
        B.ch[B.nch++] = (chunk){i, e};
        size_t seen = 0;
        int bold = 0;
        for (size_t l = i; l < e; l++) {
            B.bold0[l] = (unsigned char)bold;
            B.literal_at[l] = NOPOS;
            const char *s = B.L[l].text;
            for (size_t k = 0; k + 1 < B.L[l].len; k++)
                if (s[k] == '*' && s[k + 1] == '*') {
                    if ((markers & 1) && seen == markers - 1)
                        B.literal_at[l] = k;
                    else
                        bold = !bold;
                    seen++;
                    k++;
                }
        }
        i = e;
    }
    for (size_t i = 0; i < B.n; i++) {
        const char *s = B.L[i].text;
        size_t n = B.L[i].len;
        char *p = pub_arena_alloc(a, n + 1);
        CHECK_ALLOC(p);
        size_t o = 0;
        for (size_t k = 0; k < n; k++) {
            if (k + 1 < n && s[k] == '*' && s[k + 1] == '*' && k != B.literal_at[i]) {
                k++;
                continue;
            }
            p[o++] = s[k];
        }
        p[o] = '\0';
        B.plain[i] = p;
        B.plain_len[i] = o;
    }

    size_t c0;
    CHECK(head(&B, &c0));
    wrap_width(&B, c0 < B.nch ? B.ch[c0].a : B.n);

    int mode = M_BODY;
    for (size_t c = c0; c < B.nch; c++) {
        size_t a0 = B.ch[c].a, b0 = B.ch[c].b;
        size_t body_start = NOPOS;
        int blank_before = 1;
        for (size_t i = a0; i < b0; i++) {
            size_t bp = behalf_prefix(&B, i);
            size_t nl = note_label(P(&B, i), PL(&B, i));
            const char *group = mode == M_SIG ? country_heading(&B, i) : NULL;
            int heading = !group && !is_notes_heading(&B, i) && (is_sig_heading(&B, i) ||
                                     (mode == M_SIG && !B.section->as.section.on_behalf &&
                                      last_cp_of(&B, i) == ':' && words(&B, i) <= 4) ||
                                     colon_heading(&B, i));
            int special = heading || group || bp > 0 || is_notes_heading(&B, i) ||
                          nl > 0 || (mode != M_BODY && closing_at(&B, i, b0) > 0) ||
                          (mode != M_BODY && is_signoff(&B, i));
            if (mode == M_BODY && !special) {
                if (body_start == NOPOS)
                    body_start = i;
                continue;
            }
            if (body_start != NOPOS) {
                CHECK(body_lines(&B, body_start, i, 0));
                body_start = NOPOS;
            }
            if (group != NULL) {
                B.group_country = group;
            } else if (heading) {
                CHECK(behalf_flush(&B, i));
                B.behalf = NULL;
                B.group_country = NULL;
                CHECK(open_section(&B, i, 1, 0));
                mode = M_SIG;
            } else if (bp > 0) {
                if (B.behalf != NULL)
                    CHECK(behalf_flush(&B, i));
                if (B.section == NULL || !B.section->as.section.on_behalf ||
                    mode != M_SIG)
                    CHECK(open_section(&B, i, 0, 1));
                mode = M_SIG;
                /* "On behalf of X:" [+ signature on the same line] */
                const char *s = P(&B, i) + bp;
                size_t n = PL(&B, i) - bp;
                const char *colon = memchr(s, ':', n);
                size_t on = colon ? (size_t)(colon - s) : n;
                while (on > 0 && (s[on - 1] == ' ' || s[on - 1] == '\t' || s[on - 1] == ','))
                    on--;
                B.behalf = pub_arena_strndup(B.a, s, on);
                CHECK_ALLOC(B.behalf);
                for (char *q = (char *)B.behalf; *q; q++)
                    if (*q == '\t')
                        *q = ' ';
                B.behalf_used = 0;
                B.behalf_line = (int)i;
                if (colon != NULL && (size_t)(colon - s) + 1 < n) {
                    /* the signature follows the colon: find it in the raw
                     * text (with ** markers) */
                    const char *raw = B.L[i].text;
                    const char *rc = memchr(raw, ':', B.L[i].len);
                    if (rc != NULL) {
                        pub_node *sig = NULL;
                        CHECK(new_signatory(&B, i, &sig));
                        size_t off = (size_t)(rc - raw) + 1;
                        CHECK(parse_signature(&B, raw + off, B.L[i].len - off,
                                              &sig->as.signatory));
                        sig->as.signatory.on_behalf_of = B.behalf;
                        B.behalf_used = 1;
                    }
                }
            } else if (is_notes_heading(&B, i)) {
                CHECK(behalf_flush(&B, i));
                mode = M_NOTES;
                if (B.notes == NULL) {
                    B.notes = pub_node_new(B.a, PUB_NODE_NOTES, B.L[i].lineno);
                    CHECK_ALLOC(B.notes);
                    pub_node_append(B.stmt, B.notes);
                }
                /* the heading's own words are kept as the notes' first text */
                pub_node *h = pub_node_new(B.a, PUB_NODE_HEADING, B.L[i].lineno);
                CHECK_ALLOC(h);
                h->as.heading.level = 2;
                CHECK(emit_inline(&B, h, i, i + 1, 0, 0, 0));
                pub_node_append(B.notes, h);
            } else if (nl > 0) {
                CHECK(behalf_flush(&B, i));
                mode = M_NOTES;
                size_t skip = nl;
                const char *raw = B.L[i].text;
                while (skip < B.L[i].len && (raw[skip] == ' ' || raw[skip] == '\t'))
                    skip++;
                CHECK(add_note(&B, i, skip, P(&B, i) + 1, nl - 2));
            } else if (mode == M_NOTES) {
                long num;
                int bullet;
                size_t mk = list_marker(P(&B, i), PL(&B, i), &num, &bullet);
                marker m = scan_marker(P(&B, i), PL(&B, i));
                if (num >= 0)
                    CHECK(add_note(&B, i, mk, P(&B, i) + m.nstart, m.nlen));
                else if (B.last_note != NULL)
                    CHECK(note_continue(&B, i));
                else
                    CHECK(body_lines(&B, i, i + 1, 0));
            } else { /* M_SIG */
                size_t cl = closing_at(&B, i, b0);
                if (cl > 0) {
                    CHECK(behalf_flush(&B, i));
                    CHECK(add_block(&B, PUB_NODE_CLOSING, i, i + cl, 0, 1, NULL));
                    i += cl - 1;
                } else if (is_signoff(&B, i)) {
                    CHECK(behalf_flush(&B, i));
                    size_t e = i + 1;
                    while (e < b0 && words(&B, e) <= 12 && e - i < 4)
                        e++;
                    CHECK(add_block(&B, PUB_NODE_SIGNOFF, i, e, 0, 1, NULL));
                    i = e - 1;
                } else {
                    long num;
                    int bullet;
                    size_t w = words(&B, i);
                    int prose = list_marker(P(&B, i), PL(&B, i), &num, &bullet) == 0 &&
                                w >= 12 && ends_terminal(P(&B, i), PL(&B, i)) &&
                                !B.section->as.section.on_behalf &&
                                !sig_continues(&B, i, blank_before);
                    if (prose) {
                        mode = M_BODY;
                        body_start = i;
                        continue;
                    }
                    CHECK(sig_line(&B, i, blank_before));
                }
            }
            blank_before = 0;
        }
        if (body_start != NOPOS)
            CHECK(body_lines(&B, body_start, b0, body_start == a0 && c + 1 < B.nch));
    }
    CHECK(behalf_flush(&B, B.n));
fail:
    return status;
}
