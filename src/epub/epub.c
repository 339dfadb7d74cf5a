/*
 * epub.c — the EPUB 3 backend's driver (EPUB 3.3): plans the book (spine,
 * languages, dates, a content-derived urn:uuid, fonts, where each PDF page
 * begins), has xhtml.c, package.c and css.c build the documents, and
 * container.c pack them.
 */
#include "epub/epub_int.h"

#include <libdeflate.h>
#include <pthread.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- helpers */

pub_status epub_statement_title(const pub_node *stmt, char **out)
{
    *out = pub_statement_title(stmt);
    return *out ? PUB_OK : pub_error(PUB_ERR_NOMEM);
}

const char *epub_statement_lang(const epub_book *b, const pub_node *stmt)
{
    if (stmt != NULL && stmt->as.statement.language != NULL &&
        stmt->as.statement.language[0])
        return stmt->as.statement.language;
    return b->style->language[0] ? b->style->language : "en";
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/* The statements' date range and the build time (pub_dossier_build_time:
 * SOURCE_DATE_EPOCH, else the newest statement date), never the clock. */
static void plan_dates(epub_book *b)
{
    const pub_node *root = pub_dossier_root(b->d);
    for (const pub_node *s = root->first_child; s; s = s->next) {
        const char *dt = s->as.statement.date;
        if (!dt[0])
            continue;
        if (!b->date[0] || strcmp(dt, b->date) > 0)
            memcpy(b->date, dt, 11);
        if (!b->first_date[0] || strcmp(dt, b->first_date) < 0)
            memcpy(b->first_date, dt, 11);
    }
    struct tm tm;
    pub_dossier_build_time(b->d, &tm);
    b->mtime = (time_t)(days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
                                        (unsigned)tm.tm_mday) * 86400LL +
                        tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec);
    strftime(b->modified, sizeof b->modified, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The distinct languages, the most used first (ties: the first seen). */
static pub_status plan_languages(epub_book *b)
{
    size_t n = pub_dossier_count(b->d) + 1;
    b->langs = calloc(n, sizeof *b->langs);
    size_t *count = calloc(n, sizeof *count);
    if (b->langs == NULL || count == NULL) {
        free(count);
        return pub_error(PUB_ERR_NOMEM);
    }
    const pub_node *root = pub_dossier_root(b->d);
    for (const pub_node *s = root->first_child; s; s = s->next) {
        const char *l = epub_statement_lang(b, s);
        size_t i;
        for (i = 0; i < b->n_langs && strcmp(b->langs[i], l) != 0; i++)
            ;
        if (i == b->n_langs && b->n_langs < n)
            b->langs[b->n_langs++] = l;
        count[i]++;
    }
    if (b->n_langs == 0)
        b->langs[b->n_langs++] = epub_statement_lang(b, NULL);
    size_t best = 0;
    for (size_t i = 1; i < b->n_langs; i++)
        if (count[i] > count[best])
            best = i;
    const char *p = b->langs[best];
    memmove(b->langs + 1, b->langs, best * sizeof *b->langs);
    b->langs[0] = p;
    b->lang = p;
    free(count);
    return PUB_OK;
}

/* urn:uuid from the SHA-256 of the title and of every source file, laid
 * out as an RFC 9562 version 8 (custom) UUID: the same sources give the
 * same identifier on every rebuild. */
static pub_status plan_identifier(epub_book *b)
{
    pub_status status = PUB_OK;
    pub_buf in = {0};
    char hex[65];
    CHECK(pub_buf_puts(&in, "publish-epub\n"));
    CHECK(pub_buf_puts(&in, b->title));
    const pub_node *root = pub_dossier_root(b->d);
    for (const pub_node *s = root->first_child; s; s = s->next) {
        CHECK(pub_buf_putc(&in, '\n'));
        if (s->as.statement.sha256[0]) {
            CHECK(pub_buf_puts(&in, s->as.statement.sha256));
        } else { /* a statement built in memory: hash its text */
            char *t = pub_node_plain_text(s, NULL);
            CHECK_ALLOC(t);
            pub_sha256_hex(t, strlen(t), hex);
            free(t);
            CHECK(pub_buf_puts(&in, hex));
        }
    }
    pub_sha256_hex(in.data, in.len, hex);
    hex[12] = '8';
    static const char variant[] = "89ab";
    hex[16] =
        variant[(hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0') & 3];
    pub_snprintf(b->uuid, sizeof b->uuid, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex,
             hex + 8, hex + 12, hex + 16, hex + 20);
fail:
    pub_buf_free(&in);
    return status;
}

/* The title the PDF edition carries too: --title (or the dossier
 * description's), the only statement's title, or "Dossier of N statements,
 * FIRST to LAST". */
static pub_status plan_title(epub_book *b, const char *title)
{
    const pub_dossier_info *info = pub_dossier_get_info(b->d);
    if ((title == NULL || !title[0]) && info != NULL)
        title = info->title;
    if (title != NULL && title[0]) {
        b->title = title;
        return PUB_OK;
    }
    const pub_node *root = pub_dossier_root(b->d);
    size_t n = pub_dossier_count(b->d);
    if (n == 1) {
        pub_status s = epub_statement_title(root->first_child, &b->title_owned);
        b->title = b->title_owned;
        return s;
    }
    pub_buf t = {0};
    pub_status status = PUB_OK;
    CHECK(pub_buf_printf(&t, "Dossier of %zu statements", n));
    if (b->date[0] && strcmp(b->first_date, b->date) != 0)
        CHECK(pub_buf_printf(&t, ", %s to %s", b->first_date, b->date));
    else if (b->date[0])
        CHECK(pub_buf_printf(&t, ", %s", b->date));
    b->title = b->title_owned = pub_buf_detach(&t);
    b->dated_title = 1;
fail:
    pub_buf_free(&t);
    return status;
}

static pub_status plan_fonts(epub_book *b)
{
    static const struct {
        const char *name;
        int weight, italic, sans;
    } slot[PUB_FONT_COUNT] = {
        [PUB_FONT_REGULAR] = {"serif-regular", 400, 0, 0},
        [PUB_FONT_ITALIC] = {"serif-italic", 400, 1, 0},
        [PUB_FONT_BOLD] = {"serif-bold", 700, 0, 0},
        [PUB_FONT_BOLDITALIC] = {"serif-bolditalic", 700, 1, 0},
        [PUB_FONT_SANS] = {"sans-regular", 400, 0, 1},
        [PUB_FONT_SANS_BOLD] = {"sans-bold", 700, 0, 1},
    };
    pub_status status = PUB_OK;
    for (int i = 0; i < PUB_FONT_COUNT; i++) {
        epub_font *f = &b->fonts[i];
        CHECK(
            pub_style_font_path(b->ctx, b->style, i, f->path, sizeof f->path));
        pub_snprintf(f->href, sizeof f->href, "fonts/%s.ttf", slot[i].name);
        f->weight = slot[i].weight;
        f->italic = slot[i].italic;
        f->sans = slot[i].sans;
        f->slot = i;
        f->alias_of = -1;
        for (int k = 0; k < i; k++)
            if (b->fonts[k].alias_of < 0 &&
                strcmp(b->fonts[k].path, f->path) == 0)
                f->alias_of = k;
    }
    pub_snprintf(b->serif_family, sizeof b->serif_family, "%s",
             b->style->font_family_css[0] ? b->style->font_family_css
                                          : "publish serif");
    /* the sans family is named after its file: "NotoSans-Regular.ttf" */
    const char *p = strrchr(b->fonts[PUB_FONT_SANS].path, '/');
    p = p ? p + 1 : b->fonts[PUB_FONT_SANS].path;
    size_t n = strcspn(p, "-.");
    pub_snprintf(b->sans_family, sizeof b->sans_family, "%.*s", (int)n, p);
    for (char *q = b->sans_family; *q; q++)
        if (*q == '"' || *q == '\\')
            *q = '_';
    if (strcmp(b->sans_family, b->serif_family) == 0 || !b->sans_family[0])
        pub_snprintf(b->sans_family, sizeof b->sans_family, "publish sans");
fail:
    return status;
}

static int is_container(const pub_node *n)
{
    return n->type == PUB_NODE_LIST || n->type == PUB_NODE_SIGNATORY_SECTION ||
           n->type == PUB_NODE_NOTES || n->type == PUB_NODE_STATEMENT ||
           n->type == PUB_NODE_DOSSIER;
}

static pub_status text_len(const pub_node *n, size_t *len)
{
    char *t = pub_node_plain_text(n, len);
    if (t == NULL)
        return pub_error(PUB_ERR_NOMEM);
    free(t);
    return PUB_OK;
}

/* Moves a page start inside a container block to the child holding it
 * (past the end: the end of the last child). */
static pub_status normalise_start(epub_mark *m)
{
    pub_status status = PUB_OK;
    while (m->block != NULL && pub_node_is_inline(m->block) &&
           m->block->parent != NULL) {
        m->block = m->block->parent;
        m->offset = 0;
    }
    while (m->block != NULL && is_container(m->block) && m->offset > 0 &&
           m->block->first_child != NULL) {
        size_t acc = 0, len = 0;
        const pub_node *hit = NULL;
        for (const pub_node *c = m->block->first_child; c; c = c->next) {
            CHECK(text_len(c, &len));
            if (m->offset < acc + len) {
                hit = c;
                break;
            }
            acc += len;
        }
        if (hit == NULL) {
            hit = m->block->last_child;
            CHECK(text_len(hit, &len));
            m->offset = len;
        } else {
            m->offset -= acc;
        }
        m->block = hit;
    }
    /* A headed signatory list never leaves its heading alone at the foot
     * of a page (keep with next), so a page opening on its first row opens
     * on the heading: mark it before the table, caption included. */
    if (m->block != NULL && m->block->type == PUB_NODE_SIGNATORY &&
        m->block->prev == NULL && m->block->parent != NULL &&
        m->block->parent->type == PUB_NODE_SIGNATORY_SECTION &&
        m->block->parent->as.section.heading != NULL &&
        m->block->parent->as.section.heading[0] != '\0') {
        m->block = m->block->parent;
        m->offset = 0;
    }
    if (m->block != NULL && m->block->type == PUB_NODE_STATEMENT) {
        m->stmt = m->block;
        m->block = NULL;
    } else if (m->block != NULL) {
        m->stmt = pub_node_statement(m->block);
    }
fail:
    return status;
}

/* Which part of the back matter a PDF page prints: the part that opens
 * on it (its named destination), else the one its running header names,
 * else the previous page's. */
static epub_doc_kind back_part(const pub_page *p, const epub_mark *prev)
{
    static const struct {
        const char *dest, *word;
        epub_doc_kind kind;
    } parts[] = {{"ix-index", "Index", EPUB_DOC_INDEX},
                 {"ix-matrix", "Matrix", EPUB_DOC_MATRIX},
                 {"ix-provenance", "Provenance", EPUB_DOC_PROVENANCE}};
    for (size_t i = 0; i < p->n_boxes; i++)
        for (size_t k = 0; k < 3; k++)
            if (p->boxes[i].kind == PUB_BOX_DEST && p->boxes[i].dest &&
                strcmp(p->boxes[i].dest, parts[k].dest) == 0)
                return parts[k].kind;
    for (size_t k = 0; p->running && k < 3; k++)
        if (strstr(p->running, parts[k].word + 1) != NULL)
            return parts[k].kind;
    return prev != NULL && prev->back ? prev->part : EPUB_DOC_INDEX;
}

/* The marks of pages [from, to) (pages[0] is page `from`), after those of
 * the pages before: a book may be planned from its front matter and body
 * first and its back matter later (b->seen_statement carries on). labels
 * holds the numbers of pages without a label of their own, one a page. */
static pub_status plan_marks(epub_book *b, const pub_page *const *pages,
                             size_t from, size_t to, char (*labels)[16])
{
    pub_status status = PUB_OK;
    b->n_pages = to;
    if (to <= from)
        return PUB_OK;
    epub_mark *grown = realloc(b->marks, to * sizeof *b->marks);
    CHECK_ALLOC(grown);
    b->marks = grown;
    memset(b->marks + from, 0, (to - from) * sizeof *b->marks);
    int seen_statement = b->seen_statement;
    for (size_t i = from; i < to; i++) {
        const pub_page *p = pages[i - from];
        epub_mark *m = &b->marks[b->n_marks];
        m->number = p->number > 0 ? p->number : (int)i + 1;
        pub_snprintf(labels[i - from], 16, "%d", m->number);
        m->label = p->label && p->label[0] ? p->label : labels[i - from];
        epub_mark *prev = b->n_marks ? m - 1 : NULL;
        if (p->start.block != NULL) {
            m->block = p->start.block;
            m->offset = p->start.offset;
            CHECK(normalise_start(m));
        } else if (p->back_matter ||
                   (p->statement == NULL && seen_statement &&
                    !p->front_matter)) {
            m->back = 1; /* index, matrix, provenance: in the back matter */
            m->part = back_part(p, prev);
        } else if (p->front_matter && p->statement == NULL && !p->cover) {
            m->front = 1; /* a contents page: marked in the nav document */
        } else if (prev != NULL &&
                   (p->statement == NULL ? seen_statement
                                         : prev->stmt == p->statement)) {
            /* no text begins here: right after the previous page's mark */
            m->block = prev->block;
            m->offset = prev->offset;
            m->stmt = prev->stmt;
        } else {
            m->stmt = p->statement; /* its statement's start, or the title */
        }
        seen_statement |= m->stmt != NULL;
        b->n_marks++;
    }
    b->seen_statement = seen_statement;
fail:
    return status;
}

/* ------------------------------------------------------ signature rows */

static int cmp_sig(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const epub_sig *)a)->node;
    uintptr_t y = (uintptr_t)((const epub_sig *)b)->node;
    return (x > y) - (x < y);
}

const epub_sig *epub_sig_of(const epub_book *b, const pub_node *signatory)
{
    if (b->n_sigs == 0 || signatory == NULL)
        return NULL;
    epub_sig key = {.node = signatory};
    return bsearch(&key, b->sigs, b->n_sigs, sizeof *b->sigs, cmp_sig);
}

void epub_sig_id(const epub_sig *s, char *id, size_t n)
{
    pub_snprintf(id, n, "sg-%d", s->ordinal);
}

static int cmp_mark_key(const void *a, const void *b)
{
    const epub_mark_key *x = a, *y = b;
    uintptr_t p = (uintptr_t)x->key, q = (uintptr_t)y->key;
    if (p != q)
        return (p > q) - (p < q);
    return (x->i > y->i) - (x->i < y->i);
}

/* Indexes the marks by block and by statement, so that placing them costs
 * a binary search per block, not a scan of every page. */
static pub_status index_marks(epub_book *b)
{
    pub_status status = PUB_OK;
    if (b->n_marks == 0)
        return PUB_OK;
    b->by_block = malloc(b->n_marks * sizeof *b->by_block);
    b->by_stmt = malloc(b->n_marks * sizeof *b->by_stmt);
    CHECK_ALLOC(b->by_block);
    CHECK_ALLOC(b->by_stmt);
    for (size_t i = 0; i < b->n_marks; i++) {
        const epub_mark *m = &b->marks[i];
        if (m->block != NULL)
            b->by_block[b->n_by_block++] = (epub_mark_key){m->block, i};
        else if (m->stmt != NULL && !m->front && !m->back)
            b->by_stmt[b->n_by_stmt++] = (epub_mark_key){m->stmt, i};
    }
    qsort(b->by_block, b->n_by_block, sizeof *b->by_block, cmp_mark_key);
    qsort(b->by_stmt, b->n_by_stmt, sizeof *b->by_stmt, cmp_mark_key);
fail:
    return status;
}

size_t epub_marks_of(const epub_book *b, const pub_node *n, int of_stmt,
                     const epub_mark_key **out)
{
    const epub_mark_key *v = of_stmt ? b->by_stmt : b->by_block;
    size_t nv = of_stmt ? b->n_by_stmt : b->n_by_block, lo = 0, hi = nv;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)v[mid].key < (uintptr_t)n)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < nv && v[end].key == n)
        end++;
    *out = v + lo;
    return end - lo;
}

/* The most recent page start at or before node n in reading order. */
static int mark_at(const epub_book *b, const pub_node *n, int cur)
{
    const epub_mark_key *k;
    size_t c = epub_marks_of(b, n, n->type == PUB_NODE_STATEMENT, &k);
    if (c > 0 && (int)k[c - 1].i > cur)
        cur = (int)k[c - 1].i;
    return cur;
}

/* Every SIGNATORY row: its document, its ordinal (for a stable id) and
 * the PDF page it is printed on (the last page start before it). */
static pub_status plan_sigs(epub_book *b)
{
    pub_status status = PUB_OK;
    size_t n = 0;
    pub_iter it;
    pub_event ev;
    const pub_node *root = pub_dossier_root(b->d);
    pub_iter_init(&it, root);
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE)
        if (ev == PUB_EVENT_ENTER &&
            pub_iter_node(&it)->type == PUB_NODE_SIGNATORY)
            n++;
    if (n == 0)
        return PUB_OK;
    b->sigs = calloc(n, sizeof *b->sigs);
    CHECK_ALLOC(b->sigs);
    size_t doc = 2;
    for (const pub_node *s = root->first_child; s; s = s->next, doc++) {
        int ordinal = 0, cur = -1;
        pub_iter_init(&it, s);
        while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
            const pub_node *c = pub_iter_node(&it);
            if (ev != PUB_EVENT_ENTER || pub_node_is_inline(c))
                continue;
            cur = mark_at(b, c, cur);
            if (c->type == PUB_NODE_SIGNATORY && b->n_sigs < n)
                b->sigs[b->n_sigs++] = (epub_sig){c, (int)doc, ++ordinal, cur};
        }
    }
    qsort(b->sigs, b->n_sigs, sizeof *b->sigs, cmp_sig);
fail:
    return status;
}

/* The authority list and how many of its entries signed anything. */
static pub_status plan_index(epub_book *b)
{
    pub_status status = PUB_OK;
    if (b->ix == NULL) {
        CHECK(pub_index_build(b->ctx, b->d, &b->own_ix));
        b->ix = b->own_ix;
    }
    for (size_t i = 0; i < b->ix->n_orgs; i++)
        b->n_signed_orgs += b->ix->orgs[i].n_signatures > 0;
    for (size_t i = 0; i < b->ix->n_persons; i++)
        b->n_signed_persons += b->ix->persons[i].n_signatures > 0;
fail:
    return status;
}

static void name_doc(epub_doc *D, epub_doc_kind kind, const char *id,
                     const char *href, const char *lang)
{
    D->kind = kind;
    pub_snprintf(D->id, sizeof D->id, "%s", id);
    pub_snprintf(D->href, sizeof D->href, "%s", href);
    D->lang = lang;
}

/* Names piece n (from 1) of a back-matter part cut into documents:
 * "stem" in text/stem.xhtml, then "stem-2" in text/stem-2.xhtml, ... */
static void name_piece(const epub_book *b, epub_doc *D, epub_doc_kind kind,
                       const char *stem, size_t n)
{
    char id[16], href[32];
    if (n == 1) {
        pub_snprintf(id, sizeof id, "%s", stem);
        pub_snprintf(href, sizeof href, "text/%s.xhtml", stem);
    } else {
        pub_snprintf(id, sizeof id, "%s-%zu", stem, n);
        pub_snprintf(href, sizeof href, "text/%s-%zu.xhtml", stem, n);
    }
    name_doc(D, kind, id, href, b->lang);
    D->ix_seq = (int)(n - 1);
}

/* Cuts the index of signatories into documents of at most
 * EPUB_INDEX_BUDGET, an entry weighing 2 plus its locators (about 230
 * bytes of XHTML each): documents of about 200 KB, which reading systems
 * open without stalling, and the tree built for one stays small. An entry
 * is never split. Returns the number of documents; with docs != NULL also
 * names them docs[0..] (spine positions from `first`) and records each
 * organisation's document. */
#define EPUB_INDEX_BUDGET 1000
static size_t plan_index_docs(epub_book *b, epub_doc *docs, size_t first)
{
    const pub_index *ix = b->ix;
    size_t n = 0, weight = 0;
    epub_doc *D = NULL;
    for (int part = 0; part < 2; part++) {
        size_t count = part ? ix->n_persons : ix->n_orgs;
        for (size_t i = 0; i < count; i++) {
            size_t sigs = part ? ix->persons[i].n_signatures
                               : ix->orgs[i].n_signatures;
            if (sigs == 0)
                continue;
            if (n == 0 || weight + 2 + sigs > EPUB_INDEX_BUDGET) {
                n++;
                weight = 0;
                if (docs != NULL) {
                    D = &docs[n - 1];
                    name_piece(b, D, EPUB_DOC_INDEX, "index", n);
                }
            }
            weight += 2 + sigs;
            if (D == NULL)
                continue;
            size_t *from = part ? &D->person_from : &D->org_from;
            size_t *to = part ? &D->person_to : &D->org_to;
            if (*from == *to)
                *from = i;
            *to = i + 1;
            if (!part)
                b->org_doc[i] = first + n - 1;
        }
    }
    return n;
}

/* Cuts the signatory matrix into documents of about 200 KB the same way,
 * in units of about 80 bytes: the first holds the key to the statement
 * numbers (3 a statement; never cut), each table weighs 10 plus 8 a row
 * (measured: 600 bytes, most of them marks); a table is never split.
 * Returns the number of documents of a matrix of n_stmt statements and,
 * with docs != NULL, names them. */
#define EPUB_MATRIX_BUDGET 2500
static size_t plan_matrix_docs(const epub_book *b, size_t n_stmt, epub_doc *docs)
{
    size_t n = 1, weight = 3 * n_stmt;
    epub_doc *D = docs;
    if (D != NULL)
        name_piece(b, D, EPUB_DOC_MATRIX, "matrix", 1);
    for (size_t g = 0; g < b->n_mx_groups; g++) {
        size_t w = 10 + 8 * (b->mx_start[g + 1] - b->mx_start[g]);
        if (g > 0 && weight + w > EPUB_MATRIX_BUDGET) {
            n++;
            weight = 0;
            if (docs != NULL) {
                D = &docs[n - 1];
                name_piece(b, D, EPUB_DOC_MATRIX, "matrix", n);
                D->grp_from = D->grp_to = g;
            }
        }
        weight += w;
        if (D != NULL)
            D->grp_to = g + 1;
    }
    return n;
}

/* Each back matter page is marked at the start of the first back matter
 * document, in spine order, of its part or a later one (a part the EPUB
 * lacks gives its pages to the next): decided here, so that documents may
 * be built in any order. */
static void plan_back_marks(epub_book *b)
{
    for (size_t i = 0; i < b->n_marks; i++) {
        epub_mark *m = &b->marks[i];
        if (!m->back)
            continue;
        m->target = (size_t)-1;
        for (size_t k = 2; k < b->n_docs; k++) {
            epub_doc_kind kind = b->docs[k].kind;
            if (kind != EPUB_DOC_STATEMENT && kind >= m->part) {
                m->target = k;
                break;
            }
        }
    }
}

/* ------------------------------------------------------ the documents */

static void builder_close(epub_builder *w)
{
    if (w->z != NULL)
        libdeflate_free_compressor(w->z);
    epub_charset_free(w->chars);
    epub_region_free(&w->mem);
    memset(w, 0, sizeof *w);
}

static pub_status builder_open(epub_builder *w)
{
    memset(w, 0, sizeof *w);
    w->z = libdeflate_alloc_compressor(1);
    pub_status status =
        w->z ? epub_charset_empty(&w->chars) : pub_error(PUB_ERR_NOMEM);
    if (status != PUB_OK)
        builder_close(w);
    return status;
}

/* Document k of the book, its characters noted and its text deflated for
 * the container by w (the building thread's); diagnostics to the
 * document's own queue, replayed in spine order. */
static pub_status build_doc(epub_book *b, size_t k, epub_builder *w)
{
    pub_status status = PUB_OK;
    pub_ctx *ctx = &b->dq[k].ctx;
    epub_doc *D = &b->docs[k];
    switch (D->kind) {
    case EPUB_DOC_STATEMENT:
        CHECK(epub_xhtml_statement(b, k, &w->mem, ctx));
        break;
    case EPUB_DOC_INDEX:
        CHECK(epub_xhtml_index(b, k, &w->mem, ctx));
        break;
    case EPUB_DOC_MATRIX:
        CHECK(epub_xhtml_matrix(b, k, &w->mem, ctx));
        break;
    case EPUB_DOC_PROVENANCE:
        CHECK(epub_xhtml_provenance(b, k, &w->mem, ctx));
        break;
    default:
        return PUB_OK;
    }
    epub_charset_add(w->chars, D->data, (size_t)D->len);
    CHECK(epub_pack(w->z, D->data, (size_t)D->len, &D->packed, &D->packed_len,
                    &D->crc));
    free(D->data); /* the packed bytes are what the container takes */
    D->data = NULL;
fail:
    return status;
}

/* Documents [front, back) of a book are still to be built: the EPUB's
 * thread takes them from the front, a helper (pub_epub_help) from the
 * back. Each document owns what it writes (its data, toc entries and
 * reading-order numbers, the page marks that fall in it, its messages),
 * so the book is the same whoever builds which. */
struct pub_epub_share {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    epub_book *book; /* while its documents are being built */
    int closed;      /* the EPUB takes no (more) help */
    size_t front, back;
    int busy;          /* documents the helper is building */
    pub_status status; /* the helper's first failure */
    /* one task at a time offered to the helper once the documents are
     * built (share_offer, share_take_back) */
    void (*task)(void *arg);
    void *task_arg;
    int task_state;    /* 0: none, 1: offered, 2: being done, 3: done */
};

pub_epub_share *pub_epub_share_new(void)
{
    pub_epub_share *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return NULL;
    }
    if (pthread_cond_init(&s->changed, NULL) != 0) {
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    return s;
}

void pub_epub_share_free(pub_epub_share *s)
{
    if (s == NULL)
        return;
    pthread_cond_destroy(&s->changed);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* No more help: a helper waiting for documents returns. */
void pub_epub_share_close(pub_epub_share *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    s->closed = 1;
    s->book = NULL;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

void pub_epub_help(pub_epub_share *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        if (s->book != NULL && s->front < s->back) {
            epub_book *b = s->book;
            size_t k = --s->back;
            s->busy++;
            pthread_mutex_unlock(&s->lock);
            pub_status st = build_doc(b, k, &b->builders[1]);
            pthread_mutex_lock(&s->lock);
            s->busy--;
            if (st != PUB_OK) {
                if (s->status == PUB_OK)
                    s->status = st;
                s->back = s->front; /* nothing more for anyone */
            }
            pthread_cond_broadcast(&s->changed);
        } else if (s->task_state == 1) {
            s->task_state = 2;
            pthread_mutex_unlock(&s->lock);
            s->task(s->task_arg);
            pthread_mutex_lock(&s->lock);
            s->task_state = 3;
            pthread_cond_broadcast(&s->changed);
        } else if (s->closed) {
            break;
        } else {
            pthread_cond_wait(&s->changed, &s->lock);
        }
    }
    pthread_mutex_unlock(&s->lock);
}

/* Offers fn(arg) to a helper (without a share: runs it now). */
static void share_offer(pub_epub_share *s, void (*fn)(void *), void *arg)
{
    if (s == NULL) {
        fn(arg);
        return;
    }
    pthread_mutex_lock(&s->lock);
    s->task = fn;
    s->task_arg = arg;
    s->task_state = 1;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

/* The offered task done: by the helper, or here when none took it. */
static void share_take_back(pub_epub_share *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    if (s->task_state == 1) {
        s->task_state = 2;
        pthread_mutex_unlock(&s->lock);
        s->task(s->task_arg);
        pthread_mutex_lock(&s->lock);
        s->task_state = 3;
    }
    while (s->task_state != 3)
        pthread_cond_wait(&s->changed, &s->lock);
    s->task_state = 0;
    pthread_mutex_unlock(&s->lock);
}

/* The documents' toc entries, in spine order, as the book's. */
static pub_status gather_toc(epub_book *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n_docs; i++)
        n += b->docs[i].n_toc;
    b->toc = calloc(n ? n : 1, sizeof *b->toc);
    if (b->toc == NULL)
        return pub_error(PUB_ERR_NOMEM);
    for (size_t i = 0; i < b->n_docs; i++) {
        epub_doc *D = &b->docs[i];
        if (D->n_toc)
            memcpy(b->toc + b->n_toc, D->toc, D->n_toc * sizeof *D->toc);
        b->n_toc += D->n_toc;
        free(D->toc); /* the titles now belong to b->toc */
        D->toc = NULL;
        D->n_toc = D->cap_toc = 0;
    }
    return PUB_OK;
}

/* -------------------------------------------------------------- driver */

/* A book being written, in three steps so that the statements' documents
 * can be built while the PDF's back matter is still being laid out: they
 * need only the front matter and the body, whose pages are final first.
 *   job_begin     plans the book from pages [0, n_early) (front matter and
 *                 body, or all of them), the authority list and the style;
 *   job_docs      builds documents [from, to) (with a helper: share);
 *   job_back      plans the marks of the pages after n_early;
 *   job_finish    builds the back matter's documents, nav, package, fonts
 *                 and the container.
 * The order of the documents' messages, the bytes and the marks are the
 * same whichever way the steps are taken. */
struct pub_epub_job {
    epub_book book;
    char (*labels)[16];      /* numbers of pages without a label, planned first */
    char (*back_labels)[16]; /* the same for the pages planned later */
    epub_charset *doc_chars; /* the characters of the built documents */
    char *path;
    size_t n_early;          /* pages planned by job_begin */
    int docs_open;           /* diagnostics queues and builders exist */
};

/* Messages queues for every document and the builders (two with a
 * share: the EPUB's thread and a helper). */
static pub_status job_docs_open(pub_epub_job *j, int helper)
{
    pub_status status = PUB_OK;
    epub_book *b = &j->book;
    b->dq = calloc(b->n_docs, sizeof *b->dq);
    CHECK_ALLOC(b->dq);
    for (size_t k = 0; k < b->n_docs; k++)
        pub_diagq_init(&b->dq[k], b->ctx);
    j->docs_open = 1;
    CHECK(epub_charset_empty(&j->doc_chars));
    CHECK(builder_open(&b->builders[0]));
    if (helper && builder_open(&b->builders[1]) != PUB_OK)
        builder_close(&b->builders[1]); /* no helper then */
fail:
    return status;
}

static pub_status job_begin(pub_epub_job *j, pub_ctx *ctx, const pub_dossier *d,
                            const pub_page *const *pages, size_t n_pages,
                            const pub_index *ix, const pub_style *style,
                            const char *title, const char *path, int helper)
{
    pub_status status = PUB_OK;
    pub_epub_init();
    memset(j, 0, sizeof *j);
    epub_book *b = &j->book;
    *b = (epub_book){.ctx = ctx, .d = d, .style = style, .ix = ix};
    j->path = strdup(path ? path : "");
    CHECK_ALLOC(j->path);
    size_t n_stmt = pub_dossier_count(d);
    if (n_stmt == 0) {
        pub_diag(ctx, PUB_ERROR, path, 0, "no statement to write");
        CHECK(pub_error(PUB_ERR_INPUT));
    }
    LIBXML_TEST_VERSION;
    CHECK(plan_languages(b));
    plan_dates(b);
    CHECK(plan_title(b, title));
    CHECK(plan_identifier(b));
    CHECK(plan_fonts(b));
    if (n_pages > 0) {
        j->labels = calloc(n_pages, sizeof *j->labels);
        CHECK_ALLOC(j->labels);
    }
    j->n_early = n_pages;
    CHECK(plan_marks(b, pages, 0, n_pages, j->labels));
    CHECK(index_marks(b));
    CHECK(plan_index(b));
    CHECK(plan_sigs(b));

    /* the spine: title page, contents, one document per statement, then
     * the back matter: index and matrix (when anyone signed), provenance */
    size_t n_ix_docs = plan_index_docs(b, NULL, 0), n_mx_docs = 0;
    if (n_ix_docs > 0 && b->n_signed_orgs > 0) {
        CHECK(pub_matrix_groups(b->ix, n_stmt, PUB_MATRIX_ALL, &b->mx_orgs,
                                &b->mx_start));
        b->n_mx_groups = (n_stmt + PUB_MATRIX_ALL - 1) / PUB_MATRIX_ALL;
        n_mx_docs = plan_matrix_docs(b, n_stmt, NULL);
    }
    b->n_docs = n_stmt + 3 + n_ix_docs + n_mx_docs;
    b->docs = calloc(b->n_docs, sizeof *b->docs);
    CHECK_ALLOC(b->docs);
    if (b->ix->n_orgs > 0) {
        b->org_doc = calloc(b->ix->n_orgs, sizeof *b->org_doc);
        CHECK_ALLOC(b->org_doc);
    }
    b->title_doc = 0;
    b->nav_doc = 1;
    name_doc(&b->docs[0], EPUB_DOC_TITLE, "titlepage", "title.xhtml", b->lang);
    name_doc(&b->docs[1], EPUB_DOC_NAV, "nav", "nav.xhtml", b->lang);
    size_t k = 2;
    for (const pub_node *s = pub_dossier_root(d)->first_child;
         s && k < n_stmt + 2; s = s->next, k++) {
        epub_doc *D = &b->docs[k];
        D->kind = EPUB_DOC_STATEMENT;
        D->stmt = s;
        D->lang = epub_statement_lang(b, s);
        pub_snprintf(D->id, sizeof D->id, "s%03zu", k - 1);
        pub_snprintf(D->href, sizeof D->href, "text/s%03zu.xhtml", k - 1);
    }
    b->n_stmt_docs = k - 2;
    if (b->n_stmt_docs > 0) {
        b->stmt_titles = calloc(b->n_stmt_docs, sizeof *b->stmt_titles);
        CHECK_ALLOC(b->stmt_titles);
        for (size_t i = 0; i < b->n_stmt_docs; i++)
            CHECK(epub_statement_title(b->docs[2 + i].stmt, &b->stmt_titles[i]));
    }
    if (n_ix_docs > 0) {
        plan_index_docs(b, &b->docs[k], k);
        k += n_ix_docs;
        if (n_mx_docs > 0)
            k += plan_matrix_docs(b, n_stmt, &b->docs[k]);
    }
    name_doc(&b->docs[k++], EPUB_DOC_PROVENANCE, "provenance",
             "text/provenance.xhtml", b->lang);
    b->n_docs = k;

    CHECK(epub_xhtml_titlepage(b, 0));
    for (size_t i = 0; i < b->n_marks; i++) { /* contents pages: in nav */
        epub_mark *m = &b->marks[i];
        if (!m->placed && m->front) {
            m->placed = 1;
            m->doc = (int)b->nav_doc;
            m->seq = epub_seq(b, b->nav_doc);
        }
    }
    CHECK(job_docs_open(j, helper));
fail:
    return status;
}

/* Builds documents [from, to): the EPUB's thread takes them from the
 * front, a helper (pub_epub_help, when share is not NULL) from the back.
 * No document's marks move meanwhile. */
static pub_status job_docs(pub_epub_job *j, pub_epub_share *s, size_t from, size_t to)
{
    pub_status status = PUB_OK;
    epub_book *b = &j->book;
    if (s == NULL || b->builders[1].z == NULL) {
        for (size_t k = from; k < to && status == PUB_OK; k++) {
            status = build_doc(b, k, &b->builders[0]);
            /* on a terminal (the caller's context: a thread's queue
             * shows none) */
            pub_progress(b->ctx, "EPUB documents written", k + 1, b->n_docs);
        }
        return status;
    }
    pthread_mutex_lock(&s->lock);
    s->book = b;
    s->front = from;
    s->back = to;
    pthread_cond_broadcast(&s->changed);
    while (status == PUB_OK && s->front < s->back) {
        size_t k = s->front++;
        pthread_mutex_unlock(&s->lock);
        status = build_doc(b, k, &b->builders[0]);
        pthread_mutex_lock(&s->lock);
        if (status != PUB_OK)
            s->back = s->front;
    }
    while (s->busy > 0) /* the helper's last documents */
        pthread_cond_wait(&s->changed, &s->lock);
    if (status == PUB_OK)
        status = s->status;
    s->book = NULL; /* the helper stays for tasks until the share is closed */
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
    return status;
}

/* A compressor for a task: the one given, else one of its own (*own). */
static struct libdeflate_compressor *task_z(struct libdeflate_compressor *z,
                                            struct libdeflate_compressor **own)
{
    if (z == NULL && *own == NULL)
        *own = libdeflate_alloc_compressor(1);
    return z ? z : *own;
}

/* The navigation document, offered to a helper, and deflated there (its
 * text stays: the fonts' characters are taken from it). */
typedef struct nav_task {
    epub_book *b;
    struct libdeflate_compressor *z; /* NULL: the task makes one */
    pub_status status;
} nav_task;

static void nav_run(void *arg)
{
    nav_task *t = arg;
    epub_book *b = t->b;
    struct libdeflate_compressor *own = NULL, *z = NULL;
    epub_doc *D = &b->docs[b->nav_doc];
    t->status = epub_package_nav(b, b->nav_doc, &b->dq[b->nav_doc].ctx);
    if (t->status == PUB_OK && D->data != NULL) {
        if ((z = task_z(t->z, &own)) == NULL)
            t->status = pub_error(PUB_ERR_NOMEM);
        else
            t->status = epub_pack(z, D->data, (size_t)D->len, &D->packed,
                                  &D->packed_len, &D->crc);
    }
    if (own != NULL)
        libdeflate_free_compressor(own);
}

/* Fonts [from, to) cut down to chars, offered to a helper; messages to
 * the task's queue, replayed in font order. */
typedef struct font_task {
    epub_book *b;
    const epub_charset *chars;
    int from, to;
    char **data;
    size_t *len;
    unsigned char **packed; /* data deflated for the container (epub_pack) */
    size_t *packed_len;
    uint32_t *crc;
    struct libdeflate_compressor *z; /* NULL: the task makes one */
    pub_diagq q;
    pub_status status;
} font_task;

static void fonts_run(void *arg)
{
    font_task *t = arg;
    epub_book *b = t->b;
    struct libdeflate_compressor *own = NULL, *z = NULL;
    t->status = PUB_OK;
    for (int i = t->from; i < t->to && t->status == PUB_OK; i++) {
        if (b->fonts[i].alias_of >= 0)
            continue;
        char *full = NULL;
        size_t full_len = 0;
        t->status = pub_read_whole_file(&t->q.ctx, b->fonts[i].path, "font",
                                        PUB_ERR_FONT, &full, &full_len);
        if (t->status == PUB_OK)
            t->status = epub_font_subset(&t->q.ctx, b->fonts[i].path, t->chars, full,
                                         full_len, &t->data[i], &t->len[i]);
        free(full);
        if (t->status == PUB_OK && (z = task_z(t->z, &own)) == NULL)
            t->status = pub_error(PUB_ERR_NOMEM);
        if (t->status == PUB_OK)
            t->status = epub_pack(z, t->data[i], t->len[i], &t->packed[i],
                                  &t->packed_len[i], &t->crc[i]);
    }
    if (own != NULL)
        libdeflate_free_compressor(own);
}

/* The marks of pages [n_early, n_pages): the back matter's. */
static pub_status job_back(pub_epub_job *j, const pub_page *const *pages, size_t n_pages)
{
    pub_status status = PUB_OK;
    epub_book *b = &j->book;
    if (n_pages > j->n_early) {
        j->back_labels = calloc(n_pages - j->n_early, sizeof *j->back_labels);
        CHECK_ALLOC(j->back_labels);
        CHECK(plan_marks(b, pages + j->n_early, j->n_early, n_pages, j->back_labels));
    }
    plan_back_marks(b);
fail:
    return status;
}

static pub_status job_finish(pub_epub_job *j, pub_epub_share *share)
{
    pub_status status = PUB_OK;
    epub_book *b = &j->book;
    pub_ctx *ctx = b->ctx;
    const char *path = j->path;
    xmlChar *opf = NULL, *ncx = NULL, *cont = NULL;
    int opf_len = 0, ncx_len = 0, cont_len = 0;
    pub_buf css = {0};
    char *font_data[PUB_FONT_COUNT] = {0};
    size_t font_len[PUB_FONT_COUNT] = {0};
    unsigned char *font_packed[PUB_FONT_COUNT] = {0};
    size_t font_packed_len[PUB_FONT_COUNT] = {0};
    uint32_t font_crc[PUB_FONT_COUNT] = {0};
    epub_entry *e = NULL;
    char(*names)[64] = NULL;
    epub_charset *chars = NULL;
    size_t k;

    status = job_docs(j, share, 2 + b->n_stmt_docs, b->n_docs);
    for (k = 0; k < b->n_docs; k++) /* every document's messages, in order */
        pub_diagq_replay(&b->dq[k], ctx);
    CHECK(status);
    for (int i = 0; i < 2; i++)
        if (b->builders[i].chars != NULL)
            CHECK(epub_charset_merge(j->doc_chars, b->builders[i].chars));
    CHECK(gather_toc(b));
    for (size_t i = 0; i < b->n_marks; i++)
        if (!b->marks[i].placed)
            pub_diag(ctx, PUB_WARNING, path, 0,
                     "page %s of the PDF has no place in the EPUB; left out "
                     "of the page list",
                     b->marks[i].label);
    /* the navigation document beside the package documents */
    /* a helper's tasks deflate with the helper's builder's compressor,
     * free now that the documents are built; the EPUB's thread, running
     * its own tasks, with its own */
    struct libdeflate_compressor *helper_z = b->builders[1].z;
    nav_task nav = {.b = b, .z = share ? helper_z : b->builders[0].z};
    share_offer(share, nav_run, &nav);
    status = epub_package_opf(b, &opf, &opf_len);
    if (status == PUB_OK)
        status = epub_package_ncx(b, &ncx, &ncx_len);
    if (status == PUB_OK)
        status = epub_package_container(b, &cont, &cont_len);
    if (status == PUB_OK)
        status = epub_css(b, &css);
    share_take_back(share);
    pub_diagq_replay(&b->dq[b->nav_doc], ctx);
    CHECK(nav.status);
    CHECK(status);

    /* the container, mimetype first */
    size_t n_e = 0, cap = b->n_docs + 6 + PUB_FONT_COUNT;
    e = calloc(cap, sizeof *e);
    CHECK_ALLOC(e);
    static const char mimetype[] = "application/epub+zip";
    e[n_e++] = (epub_entry){.name = "mimetype",
                            .data = mimetype,
                            .len = sizeof mimetype - 1,
                            .stored = 1};
    e[n_e++] = (epub_entry){.name = "META-INF/container.xml",
                            .data = cont,
                            .len = (size_t)cont_len,
                            .stored = 0};
    e[n_e++] = (epub_entry){.name = "EPUB/package.opf",
                            .data = opf,
                            .len = (size_t)opf_len,
                            .stored = 0};
    e[n_e++] = (epub_entry){.name = "EPUB/toc.ncx",
                            .data = ncx,
                            .len = (size_t)ncx_len,
                            .stored = 0};
    e[n_e++] = (epub_entry){.name = "EPUB/css/publish.css",
                            .data = css.data,
                            .len = css.len,
                            .stored = 0};
    names = calloc(b->n_docs + PUB_FONT_COUNT, sizeof *names);
    CHECK_ALLOC(names);
    for (k = 0; k < b->n_docs; k++) {
        pub_snprintf(names[k], 64, "EPUB/%s", b->docs[k].href);
        const epub_doc *D = &b->docs[k];
        e[n_e++] = (epub_entry){names[k],  D->data,       (size_t)D->len, 0,
                                D->packed, D->packed_len, D->crc};
    }
    /* the fonts, cut down to the characters of everything above: the
     * second half offered to a helper */
    CHECK(epub_charset_new(e, n_e, &chars));
    CHECK(epub_charset_merge(chars, j->doc_chars));
    font_task ft[2];
    for (int h = 0; h < 2; h++) {
        ft[h] = (font_task){.b = b, .chars = chars, .data = font_data, .len = font_len,
                            .packed = font_packed, .packed_len = font_packed_len,
                            .crc = font_crc,
                            .z = h && share ? helper_z : b->builders[0].z,
                            .from = h ? PUB_FONT_COUNT / 2 : 0,
                            .to = h ? PUB_FONT_COUNT : PUB_FONT_COUNT / 2};
        pub_diagq_init(&ft[h].q, ctx);
    }
    share_offer(share, fonts_run, &ft[1]);
    fonts_run(&ft[0]);
    share_take_back(share);
    for (int h = 0; h < 2; h++) {
        pub_diagq_replay(&ft[h].q, ctx);
        pub_diagq_free(&ft[h].q);
    }
    CHECK(ft[0].status);
    CHECK(ft[1].status);
    for (int i = 0; i < PUB_FONT_COUNT; i++) {
        if (b->fonts[i].alias_of >= 0)
            continue;
        pub_snprintf(names[b->n_docs + i], 64, "EPUB/%s", b->fonts[i].href);
        e[n_e++] = (epub_entry){.name = names[b->n_docs + i],
                                .data = font_data[i],
                                .len = font_len[i],
                                .stored = 0,
                                .packed = font_packed[i],
                                .packed_len = font_packed_len[i],
                                .crc = font_crc[i]};
    }
    CHECK(epub_ocf_write(ctx, e, n_e, b->mtime, path));
fail:
    epub_charset_free(chars);
    free(names);
    free(e);
    for (int i = 0; i < PUB_FONT_COUNT; i++) {
        free(font_data[i]);
        free(font_packed[i]);
    }
    pub_buf_free(&css);
    free(opf);
    free(ncx);
    free(cont);
    pub_epub_share_close(share);
    return status;
}

static void job_free(pub_epub_job *j)
{
    epub_book *b = &j->book;
    for (int i = 0; i < 2; i++)
        builder_close(&b->builders[i]);
    epub_charset_free(j->doc_chars);
    for (size_t i = 0; b->docs && i < b->n_docs; i++) {
        free(b->docs[i].data);
        free(b->docs[i].packed);
        for (size_t t = 0; t < b->docs[i].n_toc; t++)
            free(b->docs[i].toc[t].title);
        free(b->docs[i].toc);
    }
    for (size_t i = 0; j->docs_open && i < b->n_docs; i++)
        pub_diagq_free(&b->dq[i]);
    free(b->dq);
    for (size_t i = 0; b->stmt_titles && i < b->n_stmt_docs; i++)
        free(b->stmt_titles[i]);
    free(b->stmt_titles);
    free(b->docs);
    for (size_t i = 0; i < b->n_toc; i++)
        free(b->toc[i].title);
    free(b->toc);
    free(b->marks);
    free(b->by_block);
    free(b->by_stmt);
    free(b->sigs);
    free(b->org_doc);
    free(b->mx_orgs);
    free(b->mx_start);
    pub_index_free(b->own_ix);
    free(j->labels);
    free(j->back_labels);
    free(b->langs);
    free(b->title_owned);
    free(j->path);
    memset(j, 0, sizeof *j);
}

/* The book in one go, on one thread; ix is the layout's authority list,
 * or NULL to build one. */
static pub_status write_book(pub_ctx *ctx, const pub_dossier *d,
                             const pub_page *const *pages, size_t n_pages,
                             const pub_index *ix, const pub_style *style,
                             const char *title, const char *path)
{
    pub_epub_job j;
    pub_status status = job_begin(&j, ctx, d, pages, n_pages, ix, style, title, path, 0);
    if (status == PUB_OK)
        status = job_docs(&j, NULL, 2, 2 + j.book.n_stmt_docs);
    if (status == PUB_OK)
        status = job_back(&j, pages, n_pages);
    if (status == PUB_OK)
        status = job_finish(&j, NULL);
    else if (j.book.dq != NULL)
        for (size_t k = 0; k < j.book.n_docs; k++)
            pub_diagq_replay(&j.book.dq[k], ctx);
    job_free(&j);
    return status;
}

/* ------------------------------------------------- the early edition */

pub_status pub_epub_begin(pub_ctx *ctx, const pub_dossier *d,
                          const pub_page *const *pages, size_t n_pages,
                          const struct pub_index *ix, const pub_style *style,
                          const char *title, const char *path, pub_epub_job **out)
{
    *out = NULL;
    pub_epub_job *j = malloc(sizeof *j);
    if (j == NULL)
        return pub_error(PUB_ERR_NOMEM);
    pub_status status = job_begin(j, ctx, d, pages, n_pages, ix, style, title, path, 1);
    if (status != PUB_OK) {
        if (j->book.dq != NULL)
            for (size_t k = 0; k < j->book.n_docs; k++)
                pub_diagq_replay(&j->book.dq[k], ctx);
        job_free(j);
        free(j);
        return status;
    }
    *out = j;
    return PUB_OK;
}

pub_status pub_epub_statements(pub_epub_job *j)
{
    return job_docs(j, NULL, 2, 2 + j->book.n_stmt_docs);
}

pub_status pub_epub_finish(pub_epub_job *j, const pub_layout *layout,
                           pub_epub_share *share)
{
    pub_status status = PUB_OK;
    size_t n = pub_layout_page_count(layout);
    const pub_page **pages = NULL;
    if (n > j->n_early) {
        pages = calloc(n, sizeof *pages);
        CHECK_ALLOC(pages);
        for (size_t i = 0; i < n; i++)
            pages[i] = pub_layout_page(layout, i);
    }
    CHECK(job_back(j, pages, n));
    status = job_finish(j, share);
fail:
    pub_epub_share_close(share); /* messages not yet told: pub_epub_job_free */
    free(pages);
    return status;
}

void pub_epub_job_free(pub_epub_job *j)
{
    if (j == NULL)
        return;
    if (j->book.dq != NULL) /* messages not yet told */
        for (size_t k = 0; k < j->book.n_docs; k++)
            pub_diagq_replay(&j->book.dq[k], j->book.ctx);
    job_free(j);
    free(j);
}

pub_status epub_write_pages(pub_ctx *ctx, const pub_dossier *d,
                            const pub_page *const *pages, size_t n_pages,
                            const pub_style *style, const char *title,
                            const char *path)
{
    return write_book(ctx, d, pages, n_pages, NULL, style, title, path);
}

const char *pub_epub_title(const pub_dossier *d, const char *title,
                           const char *cover_title)
{
    if (title != NULL && title[0])
        return title;
    const pub_dossier_info *info = pub_dossier_get_info(d);
    if (info != NULL && info->title != NULL && info->title[0])
        return title;
    return cover_title;
}

pub_status pub_epub_write(pub_ctx *ctx, const pub_dossier *d,
                          const pub_layout *layout, const pub_style *style,
                          const char *title, const char *path)
{
    pub_status status = PUB_OK;
    pub_style fallback;
    const pub_page **pages = NULL;
    size_t n = layout ? pub_layout_page_count(layout) : 0;
    if (style == NULL && layout != NULL)
        style = pub_layout_style(layout);
    if (style == NULL) {
        pub_style_default(&fallback);
        style = &fallback;
    }
    if (layout != NULL)
        title = pub_epub_title(d, title, pub_layout_title(layout));
    if (n > 0) {
        pages = calloc(n, sizeof *pages);
        CHECK_ALLOC(pages);
        for (size_t i = 0; i < n; i++)
            pages[i] = pub_layout_page(layout, i);
    }
    status = write_book(ctx, d, pages, n, pub_layout_index(layout), style,
                        title, path);
fail:
    free(pages);
    return status;
}
