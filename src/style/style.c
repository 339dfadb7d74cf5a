/*
 * style.c — built-in default style and the INI style reader (inih). Units
 * accepted for lengths: pt (default), mm, cm, in.
 */
#include "style/style.h"
#include "core/core.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MM (72.0 / 25.4)

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src);
}

void pub_style_default(pub_style *s)
{
    memset(s, 0, sizeof *s);
    copy(s->name, sizeof s->name, "default");
    copy(s->paper, sizeof s->paper, "A4");
    s->page_width = 210 * MM;
    s->page_height = 297 * MM;
    s->margin_top = 22 * MM;
    s->margin_bottom = 26 * MM;
    s->margin_inner = 25 * MM;
    s->margin_outer = 25 * MM;
    s->duplex = 0;
    copy(s->font_file[PUB_FONT_REGULAR], 256, "NotoSerif-Regular.ttf");
    copy(s->font_file[PUB_FONT_ITALIC], 256, "NotoSerif-Italic.ttf");
    copy(s->font_file[PUB_FONT_BOLD], 256, "NotoSerif-Bold.ttf");
    copy(s->font_file[PUB_FONT_BOLDITALIC], 256, "NotoSerif-BoldItalic.ttf");
    copy(s->font_file[PUB_FONT_SANS], 256, "NotoSans-Regular.ttf");
    copy(s->font_file[PUB_FONT_SANS_BOLD], 256, "NotoSans-Bold.ttf");
    copy(s->font_dirs, sizeof s->font_dirs,
         PUB_DATADIR "/fonts:/usr/share/fonts/truetype/noto");
    copy(s->font_family_css, sizeof s->font_family_css, "Noto Serif");
    s->body_size = 10.5;
    s->leading = 14.0;
    s->parindent = 12.0;
    s->parskip = 0.0;
    s->title_size = 18.0;
    s->subtitle_size = 12.5;
    s->heading_size = 11.5;
    s->small_size = 9.0;
    s->note_size = 8.5;
    s->hyphenate = 1;
    s->hyphen_min_left = 2;
    s->hyphen_min_right = 3;
    copy(s->language, sizeof s->language, "en");
    s->table_size = 8.5;
    s->table_leading = 10.5;
    s->table_rule = 0.4;
    s->cell_padding = 3.0;
    s->header_on_first = 0;
    copy(s->footer_format, sizeof s->footer_format, "{page} / {pages}");
}

static int parse_length(const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || errno != 0 || x < 0 || x > 10000)
        return 0;
    while (*end == ' ')
        end++;
    if (*end == '\0' || strcasecmp(end, "pt") == 0)
        *out = x;
    else if (strcasecmp(end, "mm") == 0)
        *out = x * MM;
    else if (strcasecmp(end, "cm") == 0)
        *out = x * 10 * MM;
    else if (strcasecmp(end, "in") == 0)
        *out = x * 72;
    else
        return 0;
    return 1;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0"))
        *out = 0;
    else
        return 0;
    return 1;
}

static int parse_int(const char *v, int *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (end == v || *end != '\0' || x < 0 || x > 100)
        return 0;
    *out = (int)x;
    return 1;
}

typedef struct loader {
    pub_style *s;
    char bad[160]; /* first problem, reported with the line inih gives */
} loader;

#define KEY(sec, k) (!strcmp(section, sec) && !strcmp(name, k))

static int on_key(void *user, const char *section, const char *name,
                  const char *value)
{
    loader *L = user;
    pub_style *s = L->s;
    struct { const char *sec, *key; double *dst; } lengths[] = {
        {"page", "width", &s->page_width},
        {"page", "height", &s->page_height},
        {"page", "margin_top", &s->margin_top},
        {"page", "margin_bottom", &s->margin_bottom},
        {"page", "margin_inner", &s->margin_inner},
        {"page", "margin_outer", &s->margin_outer},
        {"text", "size", &s->body_size},
        {"text", "leading", &s->leading},
        {"text", "parindent", &s->parindent},
        {"text", "parskip", &s->parskip},
        {"text", "title_size", &s->title_size},
        {"text", "subtitle_size", &s->subtitle_size},
        {"text", "heading_size", &s->heading_size},
        {"text", "small_size", &s->small_size},
        {"text", "note_size", &s->note_size},
        {"table", "size", &s->table_size},
        {"table", "leading", &s->table_leading},
        {"table", "rule", &s->table_rule},
        {"table", "cell_padding", &s->cell_padding},
    };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        if (KEY(lengths[i].sec, lengths[i].key)) {
            if (!parse_length(value, lengths[i].dst)) {
                snprintf(L->bad, sizeof L->bad,
                         "[%s] %s: '%s' is not a length (pt, mm, cm, in)",
                         section, name, value);
                return 0;
            }
            return 1;
        }
    }
    struct { const char *sec, *key; char *dst; size_t n; } strings[] = {
        {"style", "name", s->name, sizeof s->name},
        {"fonts", "regular", s->font_file[PUB_FONT_REGULAR], 256},
        {"fonts", "italic", s->font_file[PUB_FONT_ITALIC], 256},
        {"fonts", "bold", s->font_file[PUB_FONT_BOLD], 256},
        {"fonts", "bolditalic", s->font_file[PUB_FONT_BOLDITALIC], 256},
        {"fonts", "sans", s->font_file[PUB_FONT_SANS], 256},
        {"fonts", "sans_bold", s->font_file[PUB_FONT_SANS_BOLD], 256},
        {"fonts", "dirs", s->font_dirs, sizeof s->font_dirs},
        {"fonts", "css_family", s->font_family_css, sizeof s->font_family_css},
        {"text", "language", s->language, sizeof s->language},
        {"footer", "format", s->footer_format, sizeof s->footer_format},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        if (KEY(strings[i].sec, strings[i].key)) {
            if (strlen(value) >= strings[i].n) {
                snprintf(L->bad, sizeof L->bad, "[%s] %s: value too long",
                         section, name);
                return 0;
            }
            copy(strings[i].dst, strings[i].n, value);
            return 1;
        }
    }
    if (KEY("page", "size")) {
        if (!strcasecmp(value, "A4")) {
            copy(s->paper, sizeof s->paper, "A4");
            s->page_width = 210 * MM;
            s->page_height = 297 * MM;
        } else if (!strcasecmp(value, "Letter")) {
            copy(s->paper, sizeof s->paper, "Letter");
            s->page_width = 612;
            s->page_height = 792;
        } else if (!strcasecmp(value, "A5")) {
            copy(s->paper, sizeof s->paper, "A5");
            s->page_width = 148 * MM;
            s->page_height = 210 * MM;
        } else {
            snprintf(L->bad, sizeof L->bad,
                     "[page] size: '%s' is not A4, A5 or Letter", value);
            return 0;
        }
        return 1;
    }
    struct { const char *sec, *key; int *dst; int is_bool; } ints[] = {
        {"page", "duplex", &s->duplex, 1},
        {"text", "hyphenate", &s->hyphenate, 1},
        {"text", "hyphen_min_left", &s->hyphen_min_left, 0},
        {"text", "hyphen_min_right", &s->hyphen_min_right, 0},
        {"header", "on_first_page", &s->header_on_first, 1},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (KEY(ints[i].sec, ints[i].key)) {
            int ok = ints[i].is_bool ? parse_bool(value, ints[i].dst)
                                     : parse_int(value, ints[i].dst);
            if (!ok) {
                snprintf(L->bad, sizeof L->bad, "[%s] %s: bad value '%s'",
                         section, name, value);
                return 0;
            }
            return 1;
        }
    }
    snprintf(L->bad, sizeof L->bad, "unknown key [%s] %s", section, name);
    return 0;
}

pub_status pub_style_load(pub_ctx *ctx, pub_style *s, const char *path)
{
    loader L = {.s = s};
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot open style file: %s",
                 strerror(errno));
        return pub_error(PUB_ERR_STYLE);
    }
    int line = ini_parse_file(f, on_key, &L);
    fclose(f);
    if (line != 0) {
        pub_diag(ctx, PUB_ERROR, path, line > 0 ? line : 0, "%s",
                 L.bad[0] ? L.bad : "syntax error in style file");
        return pub_error(PUB_ERR_STYLE);
    }
    double measure = s->page_width - s->margin_inner - s->margin_outer;
    double height = s->page_height - s->margin_top - s->margin_bottom;
    if (measure < 72 || height < 144 || s->body_size < 4 || s->leading < s->body_size * 0.9) {
        pub_diag(ctx, PUB_ERROR, path, 0,
                 "style leaves no room for text (measure %.0f pt, height %.0f pt, "
                 "size %.1f pt, leading %.1f pt)", measure, height, s->body_size,
                 s->leading);
        return pub_error(PUB_ERR_STYLE);
    }
    /* font files named in a style are also looked up beside it */
    const char *slash = strrchr(path, '/');
    size_t dlen = slash != NULL ? (size_t)(slash - path) : 0;
    size_t flen = strlen(s->font_dirs);
    if (slash != NULL && dlen + flen + 2 < sizeof s->font_dirs) {
        memmove(s->font_dirs + dlen + 1, s->font_dirs, flen + 1);
        memcpy(s->font_dirs, path, dlen);
        s->font_dirs[dlen] = ':';
    }
    return PUB_OK;
}

pub_status pub_style_font_path(pub_ctx *ctx, const pub_style *s, int font,
                               char *out, size_t outsz)
{
    const char *file = s->font_file[font];
    if (file[0] == '/') {
        if (access(file, R_OK) == 0) {
            copy(out, outsz, file);
            return PUB_OK;
        }
    } else {
        const char *p = s->font_dirs;
        while (*p) {
            const char *e = strchr(p, ':');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (n > 0) {
                snprintf(out, outsz, "%.*s/%s", (int)n, p, file);
                if (access(out, R_OK) == 0)
                    return PUB_OK;
            }
            p += n + (e ? 1 : 0);
        }
    }
    pub_diag(ctx, PUB_ERROR, file, 0,
             "font not found (searched %s); install fonts-noto-core or set "
             "[fonts] in the style", s->font_dirs);
    return pub_error(PUB_ERR_FONT);
}
