/*
 * index.h — the dossier's signatory authority list: organisations merged
 * across statements (accents, spacing and case folded, abbreviations
 * learned from one statement applied to another) and the people who signed
 * "on behalf of" them. Read by the back matter of both backends (index,
 * matrix), the CSV and the JSON. Built from the model only.
 */
#ifndef PUB_INDEX_H
#define PUB_INDEX_H

#include "publish.h"

/* One organisation of the authority list. */
typedef struct pub_org {
    int id;                 /* 1-based, in sort order of `sort_key` */
    const char *abbr;       /* preferred abbreviation, or NULL */
    const char *name;       /* preferred original name, or NULL */
    const char *english;    /* preferred English name, or NULL */
    const char *country;    /* or NULL */
    const char *sort_key;   /* folded name used for ordering */
    const pub_node **signatures; /* SIGNATORY nodes, in dossier order */
    size_t n_signatures;
    size_t n_statements;    /* distinct statements among the signatures */
} pub_org;

/* One person from "On behalf of" signatures. */
typedef struct pub_person {
    int id;                 /* 1-based */
    const char *name;
    int org;                /* authority id of the organisation, or 0 */
    const char *org_name;   /* the organisation as written */
    const char *role;       /* the first role given, or NULL */
    const pub_node **signatures;
    size_t n_signatures;
} pub_person;

/* A merge a human should review: two differently written entries taken
 * for one organisation. */
typedef struct pub_merge {
    const pub_node *kept;   /* SIGNATORY whose spelling is preferred */
    const pub_node *merged; /* SIGNATORY folded into it */
    const char *why;        /* "accents", "spacing", "abbreviation", ... */
} pub_merge;

typedef struct pub_index {
    pub_org *orgs;
    size_t n_orgs;
    pub_person *persons;
    size_t n_persons;
    pub_merge *merges;
    size_t n_merges;
    /* private */
    void *impl;
} pub_index;

/* Builds the authority list of the dossier (which must outlive it).
 * Caller frees with pub_index_free. */
PUB_MUST_CHECK pub_status pub_index_build(pub_ctx *ctx, const pub_dossier *d,
                                          pub_index **out);
void pub_index_free(pub_index *ix);

/* The signatory matrix (both editions) shows co-signing. Up to
 * PUB_MATRIX_ALL statements it has a row for every organisation; in a
 * larger dossier only for the organisations that signed two statements or
 * more (the others are in the index), and each group of statement columns
 * lists only the organisations with a mark in it, so its size follows the
 * signatures, not organisations x statements. */
#define PUB_MATRIX_ALL 12
static inline int pub_matrix_has_row(const pub_org *o, size_t n_statements)
{
    return o->n_statements >= (n_statements <= PUB_MATRIX_ALL ? 1u : 2u);
}

/* The matrix's rows by group of `per` statement columns (statements in
 * dossier order, as STATEMENT order): group g has the organisations
 * (indices into ix->orgs, in index order) (*orgs)[(*start)[g]] up to
 * (*start)[g + 1] - 1, those with a row (pub_matrix_has_row) and a
 * signature among the group's statements. O(signatures); caller frees
 * both arrays. */
PUB_MUST_CHECK pub_status pub_matrix_groups(const pub_index *ix, size_t n_statements,
                                            size_t per, size_t **orgs,
                                            size_t **start);

/* Authority id of a SIGNATORY node's organisation, or 0 (a person only). */
int pub_index_org_of(const pub_index *ix, const pub_node *signatory);
/* Person id of a SIGNATORY node's signer (first person), or 0. */
int pub_index_person_of(const pub_index *ix, const pub_node *signatory);

/* Writes the signatory table as CSV (RFC 4180, UTF-8, CRLF line ends) to
 * a malloc'd buffer: a header row, then one row per signature in dossier
 * order (one row per person when several sign together). Columns are
 * documented in README.md. */
PUB_MUST_CHECK pub_status pub_csv_write(pub_ctx *ctx, const pub_dossier *d,
                                        const pub_index *ix, char **out,
                                        size_t *len);

#endif
