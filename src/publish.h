/*
 * publish.h — the public API of libpublish.
 *
 * A statement file is read into a typed node tree (the model), laid out into
 * positioned pages, and played back by the PDF and EPUB backends:
 *
 *   pub_dossier_read_*  ->  pub_node tree  ->  pub_layout_run  ->  pub_pdf_write
 *                                         \->  pub_epub_write (reads the model
 *                                              plus the layout's page starts)
 *
 * The tree follows cmark's node.h: parent/first_child/next links, one union
 * member per node type, and an iterator that reports ENTER and EXIT events
 * without recursion. Every string in the tree lives in the dossier's arena and
 * is freed with the dossier (pub_dossier_free). Functions returning
 * pub_status must have their result checked.
 */
#ifndef PUBLISH_H
#define PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PUB_VERSION "0.1.0"

#if defined(__GNUC__)
#define PUB_MUST_CHECK __attribute__((warn_unused_result))
#else
#define PUB_MUST_CHECK
#endif

/* ------------------------------------------------------------------ status */

typedef enum pub_status {
    PUB_OK = 0,
    PUB_ERR_INPUT,    /* the input is not a statement we can read */
    PUB_ERR_IO,       /* reading or writing a file failed */
    PUB_ERR_NOMEM,    /* an allocation failed or a size overflowed */
    PUB_ERR_FONT,     /* a font is missing or unusable */
    PUB_ERR_STYLE,    /* the style file is invalid */
    PUB_ERR_BACKEND,  /* libharu, libxml2 or libzip reported an error */
    PUB_ERR_INTERNAL
} pub_status;

const char *pub_status_str(pub_status s);

/* ------------------------------------------------------------- diagnostics */

typedef enum pub_severity { PUB_NOTE, PUB_WARNING, PUB_ERROR } pub_severity;

/* Receives every diagnostic: file may be NULL, line 0 when unknown. */
typedef void (*pub_diag_fn)(void *user, pub_severity sev, const char *file,
                            int line, const char *message);

/* A context carries the diagnostic sink; it owns nothing else. */
typedef struct pub_ctx {
    pub_diag_fn diag;
    void *diag_user;
    int n_errors;
    int n_warnings;
    int quiet;        /* suppress notes */
    int jobs;         /* threads the library may use; 0 or 1: none */
    /* optional: told how far a long stage has come (done of total); called
     * from the thread that runs pub_layout_run or writes the PDF only */
    void (*progress)(void *user, const char *stage, size_t done, size_t total);
    void *progress_user;
} pub_ctx;

/* Reports progress through ctx->progress when there is one. */
void pub_progress(pub_ctx *ctx, const char *stage, size_t done, size_t total);

/* Formats and sends one diagnostic (printf-style). Counts errors/warnings. */
void pub_diag(pub_ctx *ctx, pub_severity sev, const char *file, int line,
              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* ------------------------------------------------------------------- model */

typedef enum pub_node_type {
    PUB_NODE_NONE = 0,
    /* containers */
    PUB_NODE_DOSSIER,           /* root: children are statements */
    PUB_NODE_STATEMENT,         /* as.statement */
    /* heading block (inline children) */
    PUB_NODE_LETTERHEAD,        /* one line of a letterhead/address block */
    PUB_NODE_KICKER,            /* "ICOR resolution:" */
    PUB_NODE_TITLE,
    PUB_NODE_SUBTITLE,
    PUB_NODE_BYLINE,            /* "By ..., 15 August 2020" */
    PUB_NODE_DATELINE,          /* "ICOR Resolution, 07 June 2021" */
    PUB_NODE_SALUTATION,        /* "Dear comrades and friends!" */
    /* body blocks (inline children) */
    PUB_NODE_PARAGRAPH,
    PUB_NODE_HEADING,           /* as.heading */
    PUB_NODE_SLOGAN,
    PUB_NODE_LIST,              /* as.list; children are LIST_ITEMs */
    PUB_NODE_LIST_ITEM,         /* as.item */
    PUB_NODE_CLOSING,           /* place and date: "Moscow,\nAugust 18, 2020" */
    PUB_NODE_SIGNOFF,           /* "In solidarity," (+ signer line) */
    /* signatories */
    PUB_NODE_SIGNATORY_SECTION, /* as.section; children are SIGNATORYs */
    PUB_NODE_SIGNATORY,         /* as.signatory; no children */
    /* notes */
    PUB_NODE_NOTES,             /* trailing notes section; children FOOTNOTE */
    PUB_NODE_FOOTNOTE,          /* as.note; inline children */
    /* inlines */
    PUB_NODE_TEXT,              /* as.text */
    PUB_NODE_STRONG,            /* **bold**; inline children */
    PUB_NODE_EMPH,              /* *italic*; inline children */
    PUB_NODE_NOTEREF,           /* [1]; as.note.label */
    PUB_NODE_LINEBREAK,         /* a kept line break inside a block */
    PUB_NODE_TYPE_COUNT
} pub_node_type;

typedef enum pub_date_source {
    PUB_DATE_NONE = 0,
    PUB_DATE_DATELINE,
    PUB_DATE_BYLINE,
    PUB_DATE_CLOSING,
    PUB_DATE_AS_OF,
    PUB_DATE_TITLE
} pub_date_source;

typedef struct pub_statement_info {
    const char *source;        /* path as given on the command line */
    const char *basename;      /* file name without folders */
    char sha256[65];           /* hex digest of the raw file bytes */
    size_t size;               /* raw file size in bytes */
    const char *language;      /* BCP 47 primary tag ("en", "ru"), or NULL */
    char date[11];             /* ISO 8601 "YYYY-MM-DD", "" when unknown */
    pub_date_source date_source;
    int order;                 /* 0-based position in the input order, in
                                  the dossier's order after pub_dossier_order */
} pub_statement_info;

typedef struct pub_signatory {
    const char *number;        /* "12" as written (no dot), or NULL */
    const char *abbr;          /* "CPA/ML", or NULL */
    const char *name;          /* original-language name, or NULL */
    const char *english;       /* English translation, or NULL */
    const char *country;       /* trailing ", Country", or NULL */
    const char *role;          /* "Chairman of the Central Committee" */
    const char **persons;      /* NULL-terminated, n_persons entries */
    size_t n_persons;
    const char *on_behalf_of;  /* organisation of an "On behalf of" block */
    const char *raw;           /* the whole entry as written, spaces folded */
    int split_ok;              /* 0 when abbreviation/name could not be told apart */
    int separator;             /* how abbr and name were apart: PUB_SEP_* */
} pub_signatory;

enum { PUB_SEP_NONE = 0, PUB_SEP_GAP, PUB_SEP_SPACE, PUB_SEP_DASH };

struct pub_node;
typedef struct pub_node pub_node;

struct pub_node {
    pub_node_type type;
    pub_node *parent;
    pub_node *first_child;
    pub_node *last_child;
    pub_node *prev;
    pub_node *next;
    int line;                  /* 1-based source line where it starts */
    union {
        pub_statement_info statement;
        struct { const char *data; size_t len; } text; /* UTF-8, NFC */
        struct { int level; } heading;                 /* 1 = in-body */
        struct { int ordered; const char *delim; } list;
        struct { const char *marker; } item;           /* "1." / "-" / "•" */
        struct {
            const char *heading;  /* whole heading text, or NULL */
            const char *as_of;    /* ISO date of "as of ...", or NULL */
            const char *as_of_text; /* the date as written */
            int subsequent;       /* "Subsequent signatories" */
            int on_behalf;        /* an "On behalf of" block list */
        } section;
        pub_signatory signatory;
        struct { const char *label; } note;            /* FOOTNOTE, NOTEREF */
    } as;
};

/* The dossier: the root node plus the arena that owns the whole tree. */
typedef struct pub_dossier pub_dossier;

/* Creates an empty dossier. Returns NULL when out of memory. */
pub_dossier *pub_dossier_new(void);
void pub_dossier_free(pub_dossier *d);
/* Borrowed: the DOSSIER root node (children are STATEMENT nodes). */
pub_node *pub_dossier_root(const pub_dossier *d);
size_t pub_dossier_count(const pub_dossier *d);

/* Reads one statement file and appends it to the dossier. On bad input
 * reports "FILE:LINE: error: ..." through ctx and returns PUB_ERR_INPUT;
 * the dossier is then unchanged. */
PUB_MUST_CHECK pub_status pub_dossier_read_file(pub_ctx *ctx, pub_dossier *d,
                                                const char *path);
/* Reads n files in order, as n calls of pub_dossier_read_file would (every
 * file is read; the first failure is returned), on up to ctx->jobs
 * threads. The dossier and the messages are the same for any ctx->jobs. */
PUB_MUST_CHECK pub_status pub_dossier_read_files(pub_ctx *ctx, pub_dossier *d,
                                                 const char *const *paths,
                                                 size_t n);
/* Same, from memory: name is used in messages and as the source. */
PUB_MUST_CHECK pub_status pub_dossier_read_buffer(pub_ctx *ctx, pub_dossier *d,
                                                  const char *name,
                                                  const char *data, size_t len);

/* What the dossier as a whole is: from a dossier description file
 * (dossier.ini beside the statements), command-line options, or derived
 * from the statements. Strings live in the dossier's arena. */
typedef struct pub_dossier_info {
    const char *title;       /* NULL: derived (common issuer or "Statements") */
    const char *subtitle;
    const char *compiler;
    const char *publisher;
    const char *language;    /* BCP 47 tag of the dossier's own texts */
    const char *style;       /* style named by the description file */
    int order_by_input;      /* 0: chronological by statement date (default) */
} pub_dossier_info;

/* Borrowed, writable: the dossier's description. */
pub_dossier_info *pub_dossier_info_of(pub_dossier *d);
const pub_dossier_info *pub_dossier_get_info(const pub_dossier *d);
/* Copies s into the dossier's arena (NULL stays NULL). */
const char *pub_dossier_strdup(pub_dossier *d, const char *s);

/* Reads a dossier description file (INI, e.g. dossier.ini beside the
 * statements; keys at the top or under [dossier]: title, subtitle,
 * compiler, publisher, language, order = date|input, style) into the
 * dossier's info, over what is there. A style naming a file is taken
 * relative to the description. An unknown key or a bad value is reported
 * as "FILE:LINE: error: ..." and returns PUB_ERR_INPUT. */
PUB_MUST_CHECK pub_status pub_dossier_read_description(pub_ctx *ctx,
                                                       pub_dossier *d,
                                                       const char *path);
/* Puts the statements in the dossier's order: by recognised date (a
 * stable sort: ties keep their input order, undated statements come last)
 * unless info.order_by_input; renumbers as.statement.order. */
PUB_MUST_CHECK pub_status pub_dossier_order(pub_ctx *ctx, pub_dossier *d);
/* Sets one description key from the command line, checked as in the
 * file; reports "error: ..." and returns PUB_ERR_INPUT on a bad value. */
PUB_MUST_CHECK pub_status pub_dossier_set(pub_ctx *ctx, pub_dossier *d,
                                          const char *key, const char *value);
/* The dossier's title: info.title, else derived from the statements (the
 * issuer acronym every statement opens its kicker, dateline or title with,
 * as "ICOR Statements", else "Statements") written into buf. Borrowed. */
const char *pub_dossier_title(const pub_dossier *d, char buf[64]);
/* The earliest and latest statement dates ("YYYY-MM-DD" or shorter, ""
 * when none); returns how many statements are dated. */
/* The dossier's build time in UTC (for dates written into the outputs):
 * SOURCE_DATE_EPOCH when set and valid (returns 1), else the latest
 * statement date at 00:00 (returns 0), else 2000-01-01 (returns -1); never
 * the clock, so the same input gives the same bytes. */
struct tm;
int pub_dossier_build_time(const pub_dossier *d, struct tm *out);
int pub_dossier_date_range(const pub_dossier *d, char first[11],
                           char last[11]);

/* Node helpers. */
const char *pub_node_type_name(pub_node_type t); /* "paragraph", ... */
int pub_node_is_block(const pub_node *n);
int pub_node_is_inline(const pub_node *n);
/* Borrowed: the statement a node belongs to (or NULL). */
const pub_node *pub_node_statement(const pub_node *n);
/* Finds the first child block of a statement of the given type, or NULL. */
const pub_node *pub_statement_find(const pub_node *stmt, pub_node_type t);

/* The title a statement is listed under (contents, running header, EPUB
 * navigation): its title, else its kicker, dateline or the beginning of its
 * first paragraph, else "Statement N". Malloc'd; NULL when out of memory. */
char *pub_statement_title(const pub_node *stmt);

/* Plain text of a node's inline content: TEXT contents in order, a
 * LINEBREAK as "\n", NOTEREF contributes nothing. Byte offsets into this
 * string are how layout tells the EPUB where a page starts. Returns a
 * malloc'd string the caller must free (NULL when out of memory). */
char *pub_node_plain_text(const pub_node *n, size_t *len);

/* Iterator (no recursion; depth is not controlled by input). */
typedef enum pub_event { PUB_EVENT_DONE = 0, PUB_EVENT_ENTER, PUB_EVENT_EXIT } pub_event;
typedef struct pub_iter {
    const pub_node *root;
    const pub_node *cur;
    pub_event ev;
} pub_iter;
void pub_iter_init(pub_iter *it, const pub_node *root);
/* Advances; leaf nodes (TEXT, NOTEREF, LINEBREAK, SIGNATORY) get ENTER
 * only, every other node ENTER and later EXIT (even when empty). */
pub_event pub_iter_next(pub_iter *it);
const pub_node *pub_iter_node(const pub_iter *it);

/* ------------------------------------------------------------ model output */

/* Writes the model as JSON (schema in README.md) to a malloc'd string. */
PUB_MUST_CHECK pub_status pub_json_write(pub_ctx *ctx, const pub_dossier *d,
                                         char **out);

/* Writes the model as an indented tree, one node a line (the format of the
 * spec examples in tests/spec/), to a malloc'd string. */
PUB_MUST_CHECK pub_status pub_tree_write(pub_ctx *ctx, const pub_dossier *d,
                                         char **out);

/* Prints the --check report for every statement to a malloc'd string and
 * returns the number of anomalies in *n_anomalies. */
PUB_MUST_CHECK pub_status pub_check_report(pub_ctx *ctx, const pub_dossier *d,
                                           char **out, int *n_anomalies);

/* ---------------------------------------------------------------- writing */

/* Writes data to path atomically: a temporary file in the same folder,
 * fsync, rename. On failure nothing is left behind and an existing file at
 * path is untouched. */
PUB_MUST_CHECK pub_status pub_write_file_atomic(pub_ctx *ctx, const char *path,
                                                const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* PUBLISH_H */
