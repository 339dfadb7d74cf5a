/*
 * signatories.c — splits one signatory entry into abbreviation, original
 * name, English translation and country:
 *   "CPI (ML) Red Star  Communist Party of India (Marxist-Leninist) Red Star"
 *   "UC Unité Communiste (Communist United), France"
 *   "MLPD – Germany"
 * A wide gap (tab, two or more spaces) separates abbreviation and name when
 * present; otherwise the split is chosen where the abbreviation's letters
 * best match the initials of the name that follows. The English name is the
 * last top-level parenthesised group when it reads as a translation.
 */
#include "reader/reader.h"

#include "core/core.h"

#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

static const char *const countries[] = {
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina",
    "Armenia", "Australia", "Austria", "Azerbaijan", "Bahrain", "Bangladesh",
    "Belarus", "Belgium", "Benin", "Bolivia", "Bosnia and Herzegovina",
    "Botswana", "Brazil", "Brasil", "Bulgaria", "Burkina Faso", "Burma",
    "Burundi", "Cambodia", "Cameroon", "Canada", "Chad", "Chile", "China",
    "Colombia", "Congo", "Congo-Brazzaville", "Democratic Republic of the Congo",
    "Democratic Republic of Congo", "DR Congo", "DRC", "Republic of the Congo",
    "Costa Rica", "Côte d'Ivoire", "Côte d’Ivoire", "Ivory Coast", "Croatia",
    "Cuba", "Cyprus", "Czech Republic", "Czechia", "Denmark", "Djibouti",
    "Dominican Republic", "Ecuador", "Egypt", "El Salvador", "Eritrea",
    "Estonia", "Ethiopia", "Finland", "France", "Gabon", "Gambia", "Georgia",
    "Germany", "Ghana", "Greece", "Guatemala", "Guinea", "Guinea-Bissau",
    "Haiti", "Honduras", "Hong Kong", "Hungary", "Iceland", "India",
    "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy", "Jamaica",
    "Japan", "Jordan", "Kazakhstan", "Kenya", "Korea", "South Korea",
    "North Korea", "Kosovo", "Kurdistan", "North Kurdistan", "Kuwait",
    "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya",
    "Liechtenstein", "Lithuania", "Luxembourg", "Luxemburg", "Madagascar",
    "Malawi", "Malaysia", "Mali", "Malta", "Mauritania", "Mauritius",
    "Mexico", "Moldova", "Monaco", "Mongolia", "Montenegro", "Morocco",
    "Mozambique", "Myanmar", "Namibia", "Nepal", "Netherlands",
    "The Netherlands", "New Zealand", "Nicaragua", "Niger", "Nigeria",
    "North Macedonia", "Macedonia", "Norway", "Oman", "Pakistan", "Palestine",
    "Panama", "Papua New Guinea", "Paraguay", "Peru", "Philippines", "Poland",
    "Portugal", "Puerto Rico", "Qatar", "Romania", "Russia",
    "Russian Federation", "Rwanda", "Saudi Arabia", "Senegal", "Serbia",
    "Sierra Leone", "Singapore", "Slovakia", "Slovenia", "Somalia",
    "South Africa", "South Sudan", "Spain", "Sri Lanka", "Sudan", "Sweden",
    "Switzerland", "Syria", "Taiwan", "Tajikistan", "Tanzania", "Thailand",
    "Togo", "Tunisia", "Turkey", "Türkiye", "Turkmenistan", "Uganda",
    "Ukraine", "United Arab Emirates", "United Kingdom", "UK", "Britain",
    "Great Britain", "England", "Scotland", "Wales", "Northern Ireland",
    "United States", "United States of America", "USA", "US", "Uruguay",
    "Uzbekistan", "Venezuela", "Vietnam", "Viet Nam", "Western Sahara",
    "Yemen", "Zambia", "Zimbabwe", "Abkhazia", "South Ossetia",
    "Transnistria", "Catalonia", "Basque Country", "Galicia", "Corsica",
    "Quebec", "Deutschland", "Österreich", "Schweiz", "España", "Italia",
    "Россия", "Украина", "Беларусь", "България", "Ελλάδα", "Polska",
    "Magyarország", "Česko", "Sverige", "Danmark", "Norge", "Suomi",
    "Nederland", "België", "Belgique", "Suisse", "México", "Perú",
    "Brasil", "Türkei", "Turquie", "Allemagne", "Espagne", "Italie",
    "Grèce", "Kıbrıs", "Éire",
    /* country names as other languages write them */
    "Alemanha", "Espanha", "França", "Itália", "Grécia", "Turquia",
    "Reino Unido", "Estados Unidos", "Países Baixos", "Bélgica", "Suíça",
    "Alemania", "Francia", "Grecia", "Turquía", "Países Bajos", "Suiza",
    "Germania", "Spagna", "Turchia", "Regno Unito", "Stati Uniti",
    "Paesi Bassi", "Svizzera", "Royaume-Uni", "États-Unis", "Pays-Bas",
    "Frankreich", "Spanien", "Italien", "Griechenland", "Niederlande",
    "Belgien", "Polen", "Großbritannien", "Vereinigte Staaten", "Russland",
    "Tschechien", "Almanya", "Fransa", "İspanya", "İtalya", "Yunanistan",
    "Polonya", "Hollanda", "Belçika", "İsviçre", "Rusya", "Niemcy",
    "Francja", "Hiszpania", "Włochy", "Grecja", "Turcja", "Czechy", "Litwa",
    "Ukraina", "Rosja", "Wielka Brytania", "Германия", "Франция", "Испания",
    "Италия", "Греция", "Турция", "Польша", "Чехия", "Казахстан",
    "Болгария", "Сербия", "Литва", "Латвия", "Эстония", "Грузия",
    "Армения", "Азербайджан", "Молдова", "Киргизия", "Таджикистан",
};

static const char *const function_words[] = {
    "of", "the", "and", "for", "de", "du", "des", "la", "le", "les", "del",
    "der", "die", "das", "y", "e", "et", "di", "do", "da", "dos", "das",
    "van", "von", "in", "en", "für", "pour", "por", "para", "i", "и", "на",
};

static const char *const english_words[] = {
    "of", "the", "and", "for", "in", "party", "communist", "communists",
    "workers", "workers'", "worker", "working", "union", "league",
    "organization", "organisation", "front", "revolutionary", "socialist",
    "socialism", "marxist", "leninist", "marxist-leninist", "maoist",
    "proletarian", "people's", "peoples", "people", "national", "democratic",
    "democracy", "group", "movement", "committee", "youth", "labor", "labour",
    "new", "red", "united", "council", "platform", "line", "federation",
    "association", "alliance", "initiative", "trade", "unions", "women's",
    "women", "students", "student", "independent", "revolution", "struggle",
    "liberation", "popular", "progressive", "left", "coalition", "centre",
    "center", "international", "unity", "action", "network", "solidarity",
    "republic", "circle", "collective", "voice", "star", "flag", "banner",
    "dawn", "path", "road", "class", "power", "freedom", "peace", "anti-imperialist",
    "antifascist", "anti-fascist", "democrats", "socialists", "greens", "green",
};

static int eq_ci(const char *s, size_t n, const char *w)
{
    unsigned char a0 = n ? (unsigned char)s[0] : 0, b0 = (unsigned char)w[0];
    if (a0 < 0x80 && b0 < 0x80 && (a0 | 0x20) != (b0 | 0x20))
        return 0;
    return strlen(w) == n && pub_starts_with_ci(s, n, w);
}

/* A word list as a hash set of its lower-cased forms (utf8proc's simple
 * mapping, code point by code point), for eq_ci against every entry in
 * one probe: the lists are asked for every word of every entry. */
#define SET_SLOTS 1024   /* a power of two, over twice the longest list */
#define SET_MAX_BYTES 64 /* longer than any entry: never in a list */
typedef struct word_set {
    const char *const *list;
    size_t count;
    uint16_t slot[SET_SLOTS]; /* 1 + index into list, 0 = empty */
    char low[SET_SLOTS][SET_MAX_BYTES + 8];
    unsigned char len[SET_SLOTS];
} word_set;

/* Lower-cases s (n bytes) into out (at least 4 * n + 1 bytes); returns
 * its length, or (size_t)-1 for text that is not valid UTF-8. */
static size_t lower(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[k++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
            i++;
            continue;
        }
        int32_t cp;
        size_t l = pub_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (l == 0)
            return (size_t)-1;
        k += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
                                          (utf8proc_uint8_t *)out + k);
        i += l;
    }
    out[k] = '\0';
    return k;
}

static word_set countries_set = {
    .list = countries, .count = sizeof countries / sizeof countries[0]};
static word_set function_set = {.list = function_words,
                                .count = sizeof function_words /
                                         sizeof function_words[0]};
static word_set english_set = {.list = english_words,
                               .count = sizeof english_words /
                                        sizeof english_words[0]};
static pthread_once_t sets_once = PTHREAD_ONCE_INIT;

static void set_fill(word_set *ws)
{
    for (size_t i = 0; i < ws->count; i++) {
        char buf[4 * SET_MAX_BYTES + 1];
        size_t n = strlen(ws->list[i]);
        size_t k = n <= SET_MAX_BYTES ? lower(ws->list[i], n, buf) : (size_t)-1;
        if (k > SET_MAX_BYTES + 7)
            continue; /* cannot happen with the lists above */
        size_t h =
            (size_t)pub_fnv1a(1469598103934665603ULL, buf, k) & (SET_SLOTS - 1);
        while (ws->slot[h] != 0)
            h = (h + 1) & (SET_SLOTS - 1);
        ws->slot[h] = (uint16_t)(i + 1);
        memcpy(ws->low[h], buf, k + 1);
        ws->len[h] = (unsigned char)n;
    }
}

static void sets_fill(void)
{
    set_fill(&countries_set);
    set_fill(&function_set);
    set_fill(&english_set);
}

/* eq_ci(s, n, w) for some w of the set: the same byte length and the same
 * lower-cased code points. */
static int in_set(word_set *ws, const char *s, size_t n)
{
    if (n == 0 || n > SET_MAX_BYTES)
        return 0;
    pthread_once(&sets_once, sets_fill);
    char buf[4 * SET_MAX_BYTES + 1];
    size_t k = lower(s, n, buf);
    if (k == (size_t)-1)
        return 0;
    size_t h =
        (size_t)pub_fnv1a(1469598103934665603ULL, buf, k) & (SET_SLOTS - 1);
    for (; ws->slot[h] != 0; h = (h + 1) & (SET_SLOTS - 1))
        if (ws->len[h] == n && memcmp(ws->low[h], buf, k + 1) == 0)
            return 1;
    return 0;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t'))
        (*s)++, (*n)--;
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

int pub_is_country(const char *s, size_t n)
{
    trim(&s, &n);
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ';'))
        n--;
    return n > 0 && in_set(&countries_set, s, n);
}

/* Counts upper- and lower-case letters and digits of a token. */
static void letter_counts(const char *s, size_t n, int *up, int *low, int *dig)
{
    *up = *low = *dig = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t l = pub_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (l == 0)
            break;
        if (pub_cp_is_upper(cp))
            (*up)++;
        else if (pub_cp_is_lower(cp))
            (*low)++;
        else if (cp >= '0' && cp <= '9')
            (*dig)++;
        i += l;
    }
}

/* Looks like an abbreviation: "CPI", "CPA/ML", "UCLyon", "PR-ByH", "UoC". */
static int abbr_like(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ',' || s[n - 1] == ':' || s[n - 1] == ';'))
        n--;
    int up, low, dig;
    letter_counts(s, n, &up, &low, &dig);
    if (up >= 2 && low <= up + 2)
        return 1;
    return up == 1 && dig > 0 && low == 0;
}

typedef struct span {
    size_t start, end;
} span;

/* Splits s into space/gap separated tokens (at most max). */
static size_t tokens(const char *s, size_t n, span *t, size_t max)
{
    size_t k = 0, i = 0;
    while (i < n && k < max) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n)
            break;
        t[k].start = i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        t[k].end = i;
        k++;
    }
    return k;
}

/* Index just past the ')' matching the '(' at s[open], or 0. */
static size_t match_paren(const char *s, size_t n, size_t open)
{
    int depth = 0;
    for (size_t i = open; i < n; i++) {
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0)
            return i + 1;
    }
    return 0;
}

static int32_t upper_of(int32_t cp)
{
    return utf8proc_toupper(cp);
}

/* How many leading letters of the abbreviation's first token match the
 * initials of the name words in s (function words skipped). */
static int initials_score(const char *abbr, size_t an, const char *s, size_t n)
{
    int32_t letters[32];
    int nl = 0;
    for (size_t i = 0; i < an && nl < 32;) {
        int32_t cp;
        size_t l = pub_utf8_decode((const unsigned char *)abbr + i, an - i, &cp);
        if (l == 0 || cp == ' ' || cp == '(')
            break;
        if (pub_cp_is_upper(cp))
            letters[nl++] = cp;
        i += l;
    }
    int matched = 0;
    size_t i = 0;
    while (i < n && matched < nl) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '-' || s[i] == '/' ||
                         s[i] == '"' || s[i] == '\''))
            i++;
        if (i >= n || s[i] == '(')
            break;
        size_t w = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '-' && s[i] != '/')
            i++;
        if (in_set(&function_set, s + w, i - w))
            continue;
        int32_t cp = pub_first_cp(s + w, i - w);
        if (!pub_cp_is_letter(cp))
            continue;
        if (upper_of(cp) == letters[matched])
            matched++;
        else
            break;
    }
    return matched;
}

/* Is most of s English (a name that needs no translation)? */
static int looks_english(const char *s, size_t n)
{
    span t[64];
    size_t k = tokens(s, n, t, 64);
    int hits = 0, words = 0;
    for (size_t i = 0; i < k; i++) {
        const char *w = s + t[i].start;
        size_t wn = t[i].end - t[i].start;
        while (wn > 0 && (w[0] == '(' || w[0] == '"'))
            w++, wn--;
        while (wn > 0 && (w[wn - 1] == ')' || w[wn - 1] == ',' || w[wn - 1] == '"'))
            wn--;
        if (wn == 0)
            continue;
        words++;
        if (in_set(&english_set, w, wn))
            hits++;
        else if (pub_cp_is_upper(pub_first_cp(w, wn)) && pub_is_country(w, wn))
            hits++;
    }
    return words >= 2 && hits * 10 >= words * 6;
}

/* A translation restates the name ("Rode Morgen (Red Dawn)"); a qualifier
 * does not ("Communist Party of Australia (Marxist-Leninist)"). */
static int is_translation(const char *inner, size_t in_n, const char *before, size_t bn)
{
    size_t wi = pub_count_words(inner, in_n), wb = pub_count_words(before, bn);
    if (wi < 2)
        return 0;
    if (!looks_english(before, bn))
        return 1;
    /* an English-looking name may still be translated when the group is a
     * whole name of about the same length */
    return wi >= 3 && wi + 1 >= wb && looks_english(inner, in_n);
}

/* Fallback for countries not in the list: 1-3 capitalised words. */
static int country_shaped(const char *s, size_t n)
{
    span t[4];
    size_t k = tokens(s, n, t, 4);
    if (k == 0 || k > 3 || memchr(s, '(', n) || memchr(s, ')', n))
        return 0;
    for (size_t i = 0; i < k; i++) {
        const char *w = s + t[i].start;
        size_t wn = t[i].end - t[i].start;
        if (in_set(&function_set, w, wn))
            continue;
        int up, low, dig;
        letter_counts(w, wn, &up, &low, &dig);
        if (dig > 0 || !pub_cp_is_upper(pub_first_cp(w, wn)) || up > 1)
            return 0;
    }
    return 1;
}

static const char *dup(pub_arena *a, const char *s, size_t n)
{
    trim(&s, &n);
    if (n == 0)
        return NULL;
    /* gaps inside a field are plain spaces */
    char *p = pub_arena_strndup(a, s, n);
    if (p != NULL)
        for (size_t i = 0; i < n; i++)
            if (p[i] == '\t')
                p[i] = ' ';
    return p;
}

/* "Giulia Ferri, teacher, Turin": a person's name (2-4 capitalised words,
 * no organisation words), then a description. Fills persons/role/country. */
static int split_person(pub_arena *a, const char *s, size_t n, pub_signatory *out)
{
    if (memchr(s, '\t', n) != NULL || memchr(s, '(', n) != NULL)
        return 0;
    const char *comma = memchr(s, ',', n);
    if (comma == NULL)
        return 0;
    size_t pn = (size_t)(comma - s);
    span t[8];
    size_t k = tokens(s, pn, t, 8);
    if (k < 2 || k > 4)
        return 0;
    for (size_t i = 0; i < k; i++) {
        const char *w = s + t[i].start;
        size_t wn = t[i].end - t[i].start;
        if (!pub_cp_is_upper(pub_first_cp(w, wn)) || abbr_like(w, wn) ||
            in_set(&english_set, w, wn))
            return 0;
    }
    const char *rest = comma + 1;
    size_t rn = n - pn - 1;
    trim(&rest, &rn);
    /* a trailing country is the country, not part of the description */
    const char *country = NULL;
    size_t cn = 0;
    for (size_t i = rn; i-- > 0;)
        if (rest[i] == ',') {
            const char *c = rest + i + 1;
            size_t m = rn - i - 1;
            trim(&c, &m);
            if (pub_is_country(c, m)) {
                country = c;
                cn = m;
                rn = i;
                trim(&rest, &rn);
            }
            break;
        }
    if (country == NULL && pub_is_country(rest, rn))
        return 0; /* "Rode Morgen, Netherlands": an organisation */
    if (rn == 0)
        return 0;
    const char **v = pub_arena_alloc_array(a, 2, sizeof *v);
    if (v == NULL)
        return 0;
    v[0] = dup(a, s, pn);
    out->persons = v;
    out->n_persons = 1;
    out->role = dup(a, rest, rn);
    out->country = country ? dup(a, country, cn) : NULL;
    out->separator = PUB_SEP_NONE;
    return 1;
}

void pub_signatory_split(pub_arena *a, const char *s, size_t n,
                         pub_signatory *out)
{
    trim(&s, &n);
    out->raw = dup(a, s, n);
    out->split_ok = 1;
    if (split_person(a, s, n, out))
        return;
    const char *rest = s;
    size_t rn = n;

    /* 1. a wide gap after a plausible abbreviation */
    const char *gap = memchr(s, '\t', n);
    if (gap != NULL) {
        size_t ln = (size_t)(gap - s);
        span t[8];
        size_t k = tokens(s, ln, t, 8);
        int up, low, dig;
        letter_counts(s, ln, &up, &low, &dig);
        if (k >= 1 && k <= 6 && ln <= 48 && up >= 1) {
            out->abbr = dup(a, s, ln);
            out->separator = PUB_SEP_GAP;
            rest = gap + 1;
            rn = n - ln - 1;
        }
    }
    /* 2. "CODE – Country" / "CODE, Country" */
    if (out->abbr == NULL) {
        span t[4];
        size_t k = tokens(s, n, t, 4);
        for (size_t i = 1; i < k && i <= 2; i++) {
            const char *w = s + t[i].start;
            size_t wn = t[i].end - t[i].start;
            int dash = eq_ci(w, wn, "-") || eq_ci(w, wn, "–") || eq_ci(w, wn, "—");
            if (dash && abbr_like(s, t[i - 1].end) &&
                pub_is_country(s + t[i].end, n - t[i].end)) {
                out->abbr = dup(a, s, t[i].start);
                out->country = dup(a, s + t[i].end, n - t[i].end);
                out->separator = PUB_SEP_DASH;
                return;
            }
            /* "OZZPR – Ogólnopolski Związek ...": the dash separates */
            if (dash && i == 1 && abbr_like(s, t[0].end) && t[i].end < n) {
                out->abbr = dup(a, s, t[0].end);
                out->separator = PUB_SEP_DASH;
                rest = s + t[i].end;
                rn = n - t[i].end;
                break;
            }
        }
        if (out->abbr == NULL && k >= 2 && abbr_like(s, t[0].end) && s[t[0].end - 1] == ',' &&
            pub_is_country(s + t[0].end, n - t[0].end)) {
            out->abbr = dup(a, s, t[0].end - 1);
            out->country = dup(a, s + t[0].end, n - t[0].end);
            out->separator = PUB_SEP_SPACE;
            return;
        }
    }
    /* 3. one space: abbreviation tokens, then the best initials match */
    if (out->abbr == NULL) {
        span t[64];
        size_t k = tokens(s, n, t, 64);
        if (k >= 1 && abbr_like(s + t[0].start, t[0].end - t[0].start) &&
            s[t[0].start] != '(') {
            size_t j = 1;
            while (j < k) {
                const char *w = s + t[j].start;
                size_t wn = t[j].end - t[j].start;
                if (w[0] == '(') {
                    size_t close = match_paren(s, n, t[j].start);
                    if (close == 0 || close - t[j].start > 24)
                        break;
                    size_t before = j;
                    while (j < k && t[j].end <= close)
                        j++;
                    if (j == before)
                        break; /* "(ML)text": the group does not end a token */
                    continue;
                }
                if (!abbr_like(w, wn) || j + 1 >= k)
                    break;
                /* an all-caps word that starts the name ("KOMMUNISTISCHE") */
                if (initials_score(s, t[0].end, w, n - t[j].start) >= 2)
                    break;
                j++;
            }
            if (j >= k) { /* nothing but an abbreviation */
                out->abbr = dup(a, s, n);
                out->separator = PUB_SEP_NONE;
                return;
            }
            size_t best = j;
            int best_score = initials_score(s, t[0].end, s + t[j].start, n - t[j].start);
            for (size_t c = j + 1; c < k && c <= j + 3; c++) {
                if (!pub_cp_is_upper(pub_first_cp(s + t[c - 1].start, t[c - 1].end - t[c - 1].start)))
                    break;
                int sc = initials_score(s, t[0].end, s + t[c].start, n - t[c].start);
                if (sc > best_score && sc >= 2) {
                    best = c;
                    best_score = sc;
                }
            }
            out->abbr = dup(a, s, t[best - 1].end);
            out->separator = PUB_SEP_SPACE;
            rest = s + t[best].start;
            rn = n - t[best].start;
        } else if (k >= 3) {
            /* "Krasnyj Klin Gruppa ... „Krasnyj Klin“": a short lead that the
             * name repeats is its abbreviation */
            for (size_t c = 1; c <= 3 && c + 1 < k; c++) {
                size_t ln = t[c - 1].end;
                const char *found = NULL;
                for (size_t p = t[c].start; p + ln <= n; p++)
                    if (memcmp(s + p, s, ln) == 0) {
                        found = s + p;
                        break;
                    }
                if (found != NULL) {
                    out->abbr = dup(a, s, ln);
                    out->separator = PUB_SEP_SPACE;
                    rest = s + t[c].start;
                    rn = n - t[c].start;
                    break;
                }
            }
        }
    }
    trim(&rest, &rn);
    /* 4. trailing ", Country" outside parentheses */
    {
        int depth = 0;
        size_t comma = (size_t)-1;
        for (size_t i = 0; i < rn; i++) {
            if (rest[i] == '(')
                depth++;
            else if (rest[i] == ')')
                depth--;
            else if (rest[i] == ',' && depth == 0)
                comma = i;
        }
        if (depth != 0)
            out->split_ok = 0; /* unbalanced parentheses */
        /* a column gap before the country counts as a comma */
        const char *tab = NULL;
        int d2 = 0;
        for (size_t i = 0; i < rn; i++) {
            d2 += rest[i] == '(' ? 1 : rest[i] == ')' ? -1 : 0;
            if (rest[i] == '\t' && d2 == 0)
                tab = rest + i;
        }
        if (tab != NULL && (comma == (size_t)-1 || (size_t)(tab - rest) > comma))
            comma = (size_t)(tab - rest);
        if (comma != (size_t)-1 && comma > 0) {
            const char *tail = rest + comma + 1;
            size_t tn = rn - comma - 1;
            trim(&tail, &tn);
            if (tn > 0 && (pub_is_country(tail, tn) || country_shaped(tail, tn))) {
                out->country = dup(a, tail, tn);
                rn = comma;
                trim(&rest, &rn);
            }
        }
    }
    /* 4b. or a country in the last parentheses: "Workers' League (Ghana)" */
    if (out->country == NULL && rn > 0 && rest[rn - 1] == ')') {
        int depth = 0;
        for (size_t i = rn; i-- > 0;) {
            if (rest[i] == ')')
                depth++;
            else if (rest[i] == '(' && --depth == 0) {
                if (i > 0 && pub_is_country(rest + i + 1, rn - i - 2)) {
                    out->country = dup(a, rest + i + 1, rn - i - 2);
                    rn = i;
                    trim(&rest, &rn);
                }
                break;
            }
        }
    }
    /* 5. the English translation in the last top-level parentheses */
    if (rn > 0 && rest[rn - 1] == ')') {
        int depth = 0;
        size_t open = (size_t)-1;
        for (size_t i = rn; i-- > 0;) {
            if (rest[i] == ')')
                depth++;
            else if (rest[i] == '(' && --depth == 0) {
                open = i;
                break;
            }
        }
        if (open != (size_t)-1 && open > 0) {
            const char *before = rest;
            size_t bn = open;
            trim(&before, &bn);
            if (bn > 0 && is_translation(rest + open + 1, rn - open - 2, before, bn)) {
                out->english = dup(a, rest + open + 1, rn - open - 2);
                rn = bn;
            }
        }
    }
    /* 6. "Communist Party of Britain (CPB)": the abbreviation after the name */
    if (out->abbr == NULL && rn > 0 && rest[rn - 1] == ')') {
        size_t i = rn - 1;
        while (i > 0 && rest[i] != '(')
            i--;
        if (i > 0 && rest[i] == '(' && memchr(rest + i + 1, ' ', rn - i - 2) == NULL &&
            abbr_like(rest + i + 1, rn - i - 2)) {
            out->abbr = dup(a, rest + i + 1, rn - i - 2);
            rn = i;
            trim(&rest, &rn);
        }
    }
    out->name = dup(a, rest, rn);
    if (out->name == NULL && out->abbr == NULL)
        out->split_ok = 0;
    if (out->abbr != NULL) { /* "PCF:" -> "PCF" */
        char *ab = (char *)out->abbr;
        size_t an = strlen(ab);
        while (an > 0 && (ab[an - 1] == ':' || ab[an - 1] == ',' || ab[an - 1] == ';'))
            ab[--an] = '\0';
        if (an == 0)
            out->abbr = NULL;
    }
}
