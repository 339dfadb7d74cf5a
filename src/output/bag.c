/*
 * bag.c — a BagIt 1.0 bag of the dossier (RFC 8493: bag declaration §2.1.1,
 * payload manifests §2.1.3, bag-info §2.2.2, tag manifests §2.2.1), with
 * SHA-256 and SHA-512 from nettle. Built in a temporary sibling folder and
 * renamed into place (POSIX rename(2)), so a reader never sees half a bag.
 */
#define _XOPEN_SOURCE 700 /* nftw */

#include "core/core.h"
#include "epub/epub.h"
#include "index/index.h"
#include "output/bag.h"
#include "pdf/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One file of the bag: its path inside the bag and its digests. */
typedef struct bag_file {
    char *path; /* "data/dossier.pdf", malloc'd */
    uint64_t size;
    char sha256[2 * SHA256_DIGEST_SIZE + 1];
    char sha512[2 * SHA512_DIGEST_SIZE + 1];
} bag_file;

typedef struct bag {
    pub_ctx *ctx;
    char *root; /* the temporary folder being filled */
    bag_file *files;
    size_t n, cap;
} bag;

static void hex(const uint8_t *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static void digests(const void *data, size_t len, bag_file *f)
{
    struct sha256_ctx c256;
    struct sha512_ctx c512;
    uint8_t d256[SHA256_DIGEST_SIZE], d512[SHA512_DIGEST_SIZE];
    sha256_init(&c256);
    sha256_update(&c256, len, data);
    sha256_digest(&c256, sizeof d256, d256);
    sha512_init(&c512);
    sha512_update(&c512, len, data);
    sha512_digest(&c512, sizeof d512, d512);
    hex(d256, sizeof d256, f->sha256);
    hex(d512, sizeof d512, f->sha512);
    f->size = len;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* Records a file already written at rel inside the bag. */
static pub_status add_file(bag *g, const char *rel, const void *data,
                           size_t len)
{
    void *v = g->files;
    pub_status s = pub_array_grow(&v, g->n, &g->cap, sizeof *g->files, 16);
    g->files = v;
    if (s != PUB_OK)
        return s;
    bag_file *f = &g->files[g->n];
    memset(f, 0, sizeof *f);
    f->path = strdup(rel);
    if (f->path == NULL)
        return pub_error(PUB_ERR_NOMEM);
    digests(data, len, f);
    g->n++;
    return PUB_OK;
}

/* Writes data at rel inside the bag and records it. */
static pub_status put(bag *g, const char *rel, const void *data, size_t len)
{
    pub_status status = PUB_OK;
    char *path = join(g->root, rel);
    CHECK_ALLOC(path);
    CHECK(pub_write_file_atomic(g->ctx, path, data, len));
    CHECK(add_file(g, rel, data, len));
fail:
    free(path);
    return status;
}

/* Records a file a backend wrote at rel (read back for its digests). */
static pub_status record(bag *g, const char *rel)
{
    pub_status status = PUB_OK;
    char *data = NULL;
    size_t len = 0;
    char *path = join(g->root, rel);
    CHECK_ALLOC(path);
    CHECK(pub_read_whole_file(g->ctx, path, NULL, PUB_ERR_IO, &data, &len));
    CHECK(add_file(g, rel, data, len));
fail:
    free(path);
    free(data);
    return status;
}

/* ------------------------------------------------------------ file names */

/* Appends the safe form of [p, end) to out[0..w), stopping before out
 * holds cap - 1 bytes; returns the new length. */
static size_t safe_part(const char *p, const char *end, char *out, size_t w,
                        size_t cap)
{
    for (; p < end && w + 1 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        if (!ok || (w == 0 && c == '.'))
            c = '_';
        if (c == '_' && w > 0 && out[w - 1] == '_' && !ok)
            continue;
        out[w++] = (char)c;
    }
    return w;
}

/* The length of s's extension: from its last '.' (not its first byte),
 * shorter than 32 bytes; 0 when it has none. */
static size_t ext_len(const char *s)
{
    const char *dot = strrchr(s, '.');
    size_t n = dot != NULL && dot != s ? strlen(dot) : 0;
    return n < 32 ? n : 0;
}

/* A name that is safe in any file system and in a manifest line: ASCII
 * letters, digits, '.', '-', '_' (any other run becomes one '_'), never
 * starting with '.', shorter than cap bytes with its extension kept (a
 * long name loses the end of its stem); "statement.txt" when nothing is
 * left. */
static void safe_name(const char *in, char *out, size_t cap)
{
    size_t len = strlen(in), e = ext_len(in);
    size_t w = safe_part(in, in + len - e, out, 0, cap - e);
    w = safe_part(in + len - e, in + len, out, w, cap);
    out[w] = '\0';
    if (w == 0 || strspn(out, "_") == w)
        snprintf(out, cap, "statement.txt");
}

/* Makes name unique among the first n files (case folded, for file
 * systems that fold case): "a.txt", "a-2.txt", "a-3.txt", ... */
static void unique_name(const bag *g, size_t first, char name[160])
{
    /* base (at most 111 bytes), "-k" (at most 12) and the extension (at
     * most 31) always fit in 160 */
    char base[112], ext[32] = "", trial[160];
    size_t len = strlen(name), e = ext_len(name);
    memcpy(ext, name + len - e, e + 1);
    size_t base_len = len - e < sizeof base ? len - e : sizeof base - 1;
    memcpy(base, name, base_len);
    base[base_len] = '\0';
    snprintf(trial, sizeof trial, "%s%s", base, ext);
    for (int k = 2;; k++) {
        int clash = 0;
        for (size_t i = first; i < g->n && !clash; i++) {
            const char *p = strrchr(g->files[i].path, '/');
            clash = strcasecmp(p ? p + 1 : g->files[i].path, trial) == 0;
        }
        if (!clash)
            break;
        snprintf(trial, sizeof trial, "%s-%d%s", base, k, ext);
    }
    memcpy(name, trial, strlen(trial) + 1);
}

/* ------------------------------------------------------------- tag files */

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const bag_file *)a)->path, ((const bag_file *)b)->path);
}

static pub_status manifest(bag *g, const bag_file *f, size_t n, int sha512,
                           const char *name)
{
    pub_status status = PUB_OK;
    pub_buf out = {0};
    for (size_t i = 0; i < n; i++)
        CHECK(pub_buf_printf(&out, "%s  %s\n",
                             sha512 ? f[i].sha512 : f[i].sha256, f[i].path));
    CHECK(pub_buf_reserve(&out, 1));
    CHECK(put(g, name, out.data, out.len));
fail:
    pub_buf_free(&out);
    return status;
}

/* One bag-info line: the value on one line, tabs and breaks as spaces. */
static pub_status info_line(pub_buf *o, const char *label, const char *value)
{
    pub_status status = PUB_OK;
    CHECK(pub_buf_printf(o, "%s: ", label));
    for (const char *p = value; *p; p++)
        CHECK(pub_buf_putc(o, *p == '\n' || *p == '\r' || *p == '\t' ? ' '
                                                                     : *p));
    CHECK(pub_buf_putc(o, '\n'));
fail:
    return status;
}

/* SOURCE_DATE_EPOCH, else the newest statement date; "" when neither. */
static void bagging_date(const pub_dossier *d, char out[11])
{
    struct tm tm;
    out[0] = '\0';
    if (pub_dossier_build_time(d, &tm) >= 0)
        strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ------------------------------------------------------------ placement */

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes a folder we made (or an old bag), depth first, links not
 * followed. */
static int remove_tree(const char *path)
{
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Puts the finished bag tmp at dir: an empty folder or an existing bag
 * there is replaced (the old bag is moved aside first and comes back if
 * the rename fails); anything else is refused. */
static pub_status install(pub_ctx *ctx, const char *tmp, const char *dir,
                          const char *aside_tmpl)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        if (errno == ENOENT && rename(tmp, dir) == 0)
            return PUB_OK;
        pub_diag(ctx, PUB_ERROR, dir, 0, "cannot create bag: %s",
                 strerror(errno));
        return pub_error(PUB_ERR_IO);
    }
    char *bagit = join(dir, "bagit.txt");
    if (bagit == NULL)
        return pub_error(PUB_ERR_NOMEM);
    struct stat bs;
    int is_bag = S_ISDIR(st.st_mode) && stat(bagit, &bs) == 0;
    free(bagit);
    if (!S_ISDIR(st.st_mode)) {
        pub_diag(ctx, PUB_ERROR, dir, 0, "exists and is not a folder");
        return pub_error(PUB_ERR_IO);
    }
    if (!is_bag) {
        if (rename(tmp, dir) == 0) /* replaces an empty folder only */
            return PUB_OK;
        pub_diag(ctx, PUB_ERROR, dir, 0,
                 "exists and is neither a bag nor empty; not replaced");
        return pub_error(PUB_ERR_IO);
    }
    char *aside = strdup(aside_tmpl);
    if (aside == NULL)
        return pub_error(PUB_ERR_NOMEM);
    if (mkdtemp(aside) == NULL || rename(dir, aside) != 0) {
        pub_diag(ctx, PUB_ERROR, dir, 0, "cannot replace the bag: %s",
                 strerror(errno));
        rmdir(aside);
        free(aside);
        return pub_error(PUB_ERR_IO);
    }
    if (rename(tmp, dir) != 0) {
        int e = errno;
        rename(aside, dir); /* the old bag comes back */
        pub_diag(ctx, PUB_ERROR, dir, 0, "cannot replace the bag: %s",
                 strerror(e));
        free(aside);
        return pub_error(PUB_ERR_IO);
    }
    if (remove_tree(aside) != 0)
        pub_diag(ctx, PUB_WARNING, aside, 0,
                 "the replaced bag could not be removed");
    free(aside);
    return PUB_OK;
}

/* ----------------------------------------------------------------- bag */

static pub_status payload(bag *g, const pub_dossier *d,
                          const pub_layout *layout, const pub_style *style,
                          const char *title)
{
    pub_status status = PUB_OK;
    char *path = NULL, *text = NULL, *src = NULL;
    size_t len = 0;
    pub_index *ix = NULL;

    path = join(g->root, "data/dossier.pdf");
    CHECK_ALLOC(path);
    CHECK(pub_pdf_write(g->ctx, d, layout, title, path));
    CHECK(record(g, "data/dossier.pdf"));
    free(path);
    path = join(g->root, "data/dossier.epub");
    CHECK_ALLOC(path);
    CHECK(pub_epub_write(g->ctx, d, layout, style, title, path));
    CHECK(record(g, "data/dossier.epub"));
    CHECK(pub_json_write(g->ctx, d, &text));
    CHECK(put(g, "data/dossier.json", text, strlen(text)));
    free(text);
    text = NULL;
    CHECK(pub_index_build(g->ctx, d, &ix));
    CHECK(pub_csv_write(g->ctx, d, ix, &text, &len));
    CHECK(put(g, "data/signatories.csv", text, len));
    free(text);
    text = NULL;

    /* the sources, byte for byte as the reader read them */
    free(path);
    path = join(g->root, "data/sources");
    CHECK_ALLOC(path);
    if (mkdir(path, 0755) != 0) {
        pub_diag(g->ctx, PUB_ERROR, path, 0, "cannot create folder: %s",
                 strerror(errno));
        CHECK(pub_error(PUB_ERR_IO));
    }
    size_t first = g->n;
    for (const pub_node *s = pub_dossier_root(d)->first_child; s;
         s = s->next) {
        const pub_statement_info *si = &s->as.statement;
        if (si->source == NULL)
            continue; /* read from memory: no file to keep */
        CHECK(pub_read_whole_file(g->ctx, si->source, NULL, PUB_ERR_IO, &src, &len));
        char digest[65];
        pub_sha256_hex(src, len, digest);
        if (len != si->size || strcmp(digest, si->sha256) != 0) {
            pub_diag(g->ctx, PUB_ERROR, si->source, 0,
                     "changed since it was read; not bagged");
            CHECK(pub_error(PUB_ERR_INPUT));
        }
        char name[160], rel[192];
        safe_name(si->basename ? si->basename : si->source, name, 120);
        unique_name(g, first, name);
        snprintf(rel, sizeof rel, "data/sources/%s", name);
        CHECK(put(g, rel, src, len));
        free(src);
        src = NULL;
    }
fail:
    if (ix != NULL)
        pub_index_free(ix);
    free(path);
    free(text);
    free(src);
    return status;
}

static pub_status tag_files(bag *g, const pub_dossier *d, const char *title)
{
    pub_status status = PUB_OK;
    pub_buf info = {0};
    uint64_t octets = 0;
    size_t n_payload = g->n;
    static const char bagit[] = "BagIt-Version: 1.0\n"
                                "Tag-File-Character-Encoding: UTF-8\n";
    qsort(g->files, g->n, sizeof *g->files, cmp_path);
    for (size_t i = 0; i < n_payload; i++)
        octets += g->files[i].size;

    const pub_dossier_info *di = pub_dossier_get_info(d);
    char date[11], line[512];
    bagging_date(d, date);
    size_t n_stmt = pub_dossier_count(d);
    /* labels in name order: the same dossier gives the same file */
    CHECK(info_line(&info, "Bag-Software-Agent", "publish/" PUB_VERSION));
    if (date[0])
        CHECK(info_line(&info, "Bagging-Date", date));
    snprintf(line, sizeof line,
             "%.300s: %zu statement%s as a PDF dossier and an EPUB 3, the "
             "document model (JSON), the signatures (CSV) and the original "
             "source files",
             title, n_stmt, n_stmt == 1 ? "" : "s");
    CHECK(info_line(&info, "External-Description", line));
    snprintf(line, sizeof line, "%llu.%zu", (unsigned long long)octets,
             n_payload);
    CHECK(info_line(&info, "Payload-Oxum", line));
    if (di != NULL && di->compiler != NULL && di->compiler[0])
        CHECK(info_line(&info, "Source-Organization", di->compiler));

    /* payload manifests, then the tag files they and bag-info make */
    CHECK(manifest(g, g->files, n_payload, 0, "manifest-sha256.txt"));
    CHECK(manifest(g, g->files, n_payload, 1, "manifest-sha512.txt"));
    CHECK(put(g, "bagit.txt", bagit, sizeof bagit - 1));
    CHECK(pub_buf_reserve(&info, 1));
    CHECK(put(g, "bag-info.txt", info.data, info.len));
    size_t n_tags = g->n - n_payload;
    qsort(g->files + n_payload, n_tags, sizeof *g->files, cmp_path);
    CHECK(manifest(g, g->files + n_payload, n_tags, 0,
                   "tagmanifest-sha256.txt"));
fail:
    pub_buf_free(&info);
    return status;
}

pub_status pub_bag_write(pub_ctx *ctx, const pub_dossier *d,
                         const pub_layout *layout, const pub_style *style,
                         const char *title, const char *dir)
{
    pub_status status = PUB_OK;
    bag g = {.ctx = ctx};
    pub_layout *own = NULL;
    char *clean = NULL, *tmpl = NULL, *aside = NULL, *data = NULL;

    /* the bag's folder and its parent: "out/bag/" -> "out" + "bag" */
    clean = strdup(dir);
    CHECK_ALLOC(clean);
    size_t n = strlen(clean);
    while (n > 1 && clean[n - 1] == '/')
        clean[--n] = '\0';
    const char *slash = strrchr(clean, '/');
    const char *base = slash ? slash + 1 : clean;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
        strcmp(clean, "/") == 0) {
        pub_diag(ctx, PUB_ERROR, dir, 0, "not a folder name for a bag");
        CHECK(pub_error(PUB_ERR_IO));
    }
    size_t plen = slash ? (size_t)(slash - clean) : 0;
    size_t cap = n + 32;
    tmpl = malloc(cap);
    aside = malloc(cap);
    CHECK_ALLOC(tmpl);
    CHECK_ALLOC(aside);
    snprintf(tmpl, cap, "%.*s%s.%s.tmp-XXXXXX", (int)plen, clean,
             slash ? "/" : "", base);
    snprintf(aside, cap, "%.*s%s.%s.old-XXXXXX", (int)plen, clean,
             slash ? "/" : "", base);
    if (mkdtemp(tmpl) == NULL) {
        pub_diag(ctx, PUB_ERROR, dir, 0, "cannot create bag: %s",
                 strerror(errno));
        CHECK(pub_error(PUB_ERR_IO));
    }
    chmod(tmpl, 0755);
    g.root = tmpl;
    data = join(tmpl, "data");
    CHECK_ALLOC(data);
    if (mkdir(data, 0755) != 0) {
        pub_diag(ctx, PUB_ERROR, data, 0, "cannot create folder: %s",
                 strerror(errno));
        CHECK(pub_error(PUB_ERR_IO));
    }

    if (layout == NULL) {
        CHECK(pub_layout_run(ctx, d, style, &own));
        layout = own;
    }
    if (title == NULL || !title[0]) {
        const pub_dossier_info *di = pub_dossier_get_info(d);
        title = di && di->title && di->title[0] ? di->title
                                                 : pub_layout_title(layout);
    }
    CHECK(payload(&g, d, layout, style, title));
    CHECK(tag_files(&g, d, title != NULL ? title : "Statements"));
    CHECK(install(ctx, tmpl, clean, aside));
    g.root = NULL; /* in place: nothing to clean up */
fail:
    if (g.root != NULL && remove_tree(g.root) != 0)
        pub_diag(ctx, PUB_WARNING, g.root, 0,
                 "could not remove the unfinished bag");
    for (size_t i = 0; i < g.n; i++)
        free(g.files[i].path);
    free(g.files);
    pub_layout_free(own);
    free(data);
    free(clean);
    free(tmpl);
    free(aside);
    return status;
}
