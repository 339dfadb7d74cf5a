/*
 * test_authority.c — cmocka tests for the signatory authority list
 * (src/index/authority.c) and the dossier order (src/model/dossier.c), on
 * models built by hand so that each case names exactly what it folds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "index/index.h"

static pub_ctx quiet_ctx;

static pub_node *statement(pub_dossier *d, const char *name, const char *date)
{
    pub_arena *a = pub_dossier_arena(d);
    pub_node *st = pub_node_new(a, PUB_NODE_STATEMENT, 1);
    assert_non_null(st);
    st->as.statement.source = pub_arena_strdup(a, name);
    st->as.statement.basename = st->as.statement.source;
    snprintf(st->as.statement.date, sizeof st->as.statement.date, "%s", date);
    pub_dossier_append_statement(d, st);
    pub_node *sec = pub_node_new(a, PUB_NODE_SIGNATORY_SECTION, 2);
    assert_non_null(sec);
    pub_node_append(st, sec);
    return sec;
}

static const pub_node *org(pub_dossier *d, pub_node *sec, const char *abbr,
                           const char *name, const char *english,
                           const char *country)
{
    pub_arena *a = pub_dossier_arena(d);
    pub_node *g = pub_node_new(a, PUB_NODE_SIGNATORY, 3);
    assert_non_null(g);
    pub_signatory *s = &g->as.signatory;
    s->abbr = abbr ? pub_arena_strdup(a, abbr) : NULL;
    s->name = name ? pub_arena_strdup(a, name) : NULL;
    s->english = english ? pub_arena_strdup(a, english) : NULL;
    s->country = country ? pub_arena_strdup(a, country) : NULL;
    s->raw = pub_arena_printf(a, "%s %s", abbr ? abbr : "", name ? name : "");
    s->split_ok = 1;
    pub_node_append(sec, g);
    return g;
}

static const pub_node *person(pub_dossier *d, pub_node *sec, const char *behalf,
                              const char *role, const char *who)
{
    pub_arena *a = pub_dossier_arena(d);
    pub_node *g = pub_node_new(a, PUB_NODE_SIGNATORY, 3);
    assert_non_null(g);
    pub_signatory *s = &g->as.signatory;
    s->on_behalf_of = pub_arena_strdup(a, behalf);
    s->role = role ? pub_arena_strdup(a, role) : NULL;
    const char **p = pub_arena_alloc_array(a, 2, sizeof *p);
    assert_non_null(p);
    p[0] = who ? pub_arena_strdup(a, who) : NULL;
    s->persons = p;
    s->n_persons = who != NULL;
    s->raw = s->on_behalf_of;
    pub_node_append(sec, g);
    return g;
}

static pub_index *build(pub_dossier *d)
{
    pub_index *ix = NULL;
    assert_int_equal(pub_index_build(&quiet_ctx, d, &ix), PUB_OK);
    assert_non_null(ix);
    return ix;
}

static const pub_org *org_of(const pub_index *ix, const pub_node *g)
{
    int id = pub_index_org_of(ix, g);
    assert_in_range(id, 1, ix->n_orgs);
    assert_int_equal(ix->orgs[id - 1].id, id);
    return &ix->orgs[id - 1];
}

static void test_accents_merged(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    pub_node *s1 = statement(d, "a.txt", "2020-01-01");
    pub_node *s2 = statement(d, "b.txt", "2021-01-01");
    pub_node *s3 = statement(d, "c.txt", "2022-01-01");
    const pub_node *a = org(d, s1, "UPML", "Union Prolétarienne Marxiste-Léniniste",
                            "Marxist-Leninist Proletarian Union", "France");
    const pub_node *b = org(d, s2, "UPML", "Union Prolétarienne Marxiste-Léniniste",
                            NULL, "France");
    const pub_node *c = org(d, s3, "UPML", "Union Proletarienne Marxiste-Léniniste",
                            NULL, "France");
    pub_index *ix = build(d);
    assert_int_equal(ix->n_orgs, 1);
    assert_int_equal(pub_index_org_of(ix, a), 1);
    assert_int_equal(pub_index_org_of(ix, b), 1);
    assert_int_equal(pub_index_org_of(ix, c), 1);
    /* the accented spelling is the more frequent one and is kept */
    assert_string_equal(ix->orgs[0].name, "Union Prolétarienne Marxiste-Léniniste");
    assert_string_equal(ix->orgs[0].english, "Marxist-Leninist Proletarian Union");
    assert_int_equal(ix->orgs[0].n_signatures, 3);
    assert_ptr_equal(ix->orgs[0].signatures[2], c);
    /* one merge to review (b is an exact match) */
    assert_int_equal(ix->n_merges, 1);
    assert_ptr_equal(ix->merges[0].merged, c);
    assert_ptr_equal(ix->merges[0].kept, a);
    assert_string_equal(ix->merges[0].why, "accents");
    pub_index_free(ix);
    pub_dossier_free(d);
}

static void test_shared_words_apart(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    pub_node *s1 = statement(d, "a.txt", "2020-01-01");
    pub_node *s2 = statement(d, "b.txt", "2021-01-01");
    const pub_node *lyon = org(d, s1, "UCLyon", "Unité Communiste Lyon",
                               "Communist United Lyon", "France");
    const pub_node *uc = org(d, s2, "UC", "Unité Communiste", "Communist United",
                             "France");
    /* similar names, one word apart, and the same name in two countries */
    const pub_node *rcp1 = org(d, s1, "RCP", "Revolutionary Communist Party", NULL,
                               "USA");
    const pub_node *rcp2 = org(d, s2, "RCP", "Revolutionary Communist Party", NULL,
                               "Canada");
    const pub_node *rcpb = org(d, s2, "RCPB", "Revolutionary Communist Party of Britain",
                               NULL, NULL);
    pub_index *ix = build(d);
    assert_int_equal(ix->n_orgs, 5);
    assert_int_not_equal(pub_index_org_of(ix, lyon), pub_index_org_of(ix, uc));
    assert_int_not_equal(pub_index_org_of(ix, rcp1), pub_index_org_of(ix, rcp2));
    assert_int_not_equal(pub_index_org_of(ix, rcp1), pub_index_org_of(ix, rcpb));
    assert_string_equal(org_of(ix, uc)->abbr, "UC");
    assert_string_equal(org_of(ix, lyon)->abbr, "UCLyon");
    assert_int_equal(ix->n_merges, 0);
    /* ids follow the folded names */
    assert_string_equal(ix->orgs[0].name, "Revolutionary Communist Party");
    assert_string_equal(ix->orgs[2].name, "Revolutionary Communist Party of Britain");
    assert_string_equal(ix->orgs[3].name, "Unité Communiste");
    assert_string_equal(ix->orgs[4].name, "Unité Communiste Lyon");
    pub_index_free(ix);
    pub_dossier_free(d);
}

static void test_abbreviation_learned(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    pub_node *s1 = statement(d, "a.txt", "2020-01-01");
    pub_node *s2 = statement(d, "b.txt", "2021-01-01");
    pub_node *s3 = statement(d, "c.txt", "2022-01-01");
    const pub_node *full = org(d, s1, "MLPD", "Marxistisch-Leninistische Partei Deutschlands",
                               NULL, NULL);
    const pub_node *only_abbr = org(d, s2, "MLPD", NULL, NULL, NULL);
    const pub_node *only_name = org(d, s3, NULL,
                                    "Marxistisch-Leninistische Partei Deutschlands",
                                    "Marxist-Leninist Party of Germany", NULL);
    /* the name written with its abbreviation in front */
    const pub_node *in_name = org(d, s3, NULL, "UC Unité Communiste", NULL, NULL);
    const pub_node *uc = org(d, s1, "UC", "Unité Communiste", NULL, "France");
    /* an abbreviation two organisations share stays apart */
    org(d, s1, "PCR", "Partido Comunista Revolucionario", NULL, "Argentina");
    org(d, s2, "PCR", "Parti Communiste Révolutionnaire", NULL, "France");
    const pub_node *pcr = org(d, s3, "PCR", NULL, NULL, NULL);
    pub_index *ix = build(d);
    int mlpd = pub_index_org_of(ix, full);
    assert_int_equal(pub_index_org_of(ix, only_abbr), mlpd);
    assert_int_equal(pub_index_org_of(ix, only_name), mlpd);
    assert_string_equal(org_of(ix, full)->english, "Marxist-Leninist Party of Germany");
    assert_int_equal(pub_index_org_of(ix, in_name), pub_index_org_of(ix, uc));
    assert_string_equal(org_of(ix, in_name)->abbr, "UC");
    int p = pub_index_org_of(ix, pcr);
    assert_true(p != 0);
    assert_null(org_of(ix, pcr)->name);
    assert_int_equal(org_of(ix, pcr)->n_signatures, 1);
    assert_int_equal(ix->n_orgs, 5);
    assert_int_equal(ix->n_merges, 3);
    int seen = 0;
    for (size_t i = 0; i < ix->n_merges; i++) {
        const pub_merge *m = &ix->merges[i];
        if (m->merged == only_abbr) {
            assert_non_null(strstr(m->why, "abbreviation MLPD"));
            seen |= 1;
        } else if (m->merged == only_name) {
            assert_string_equal(m->why, "abbreviation learned from another statement");
            seen |= 2;
        } else if (m->merged == in_name) {
            assert_string_equal(m->why, "abbreviation written in the name");
            seen |= 4;
        }
    }
    assert_int_equal(seen, 7);
    pub_index_free(ix);
    pub_dossier_free(d);
}

static void test_spacing_case_punctuation(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    pub_node *s1 = statement(d, "a.txt", "2020-01-01");
    pub_node *s2 = statement(d, "b.txt", "2021-01-01");
    pub_node *s3 = statement(d, "c.txt", "2022-01-01");
    const pub_node *a = org(d, s1, "CPA/ML", "Communist Party of Australia (Marxist-Leninist)",
                            NULL, NULL);
    const pub_node *b = org(d, s2, "CPA/ML", "Communist  party of  Australia (Marxist-Leninist)",
                            NULL, NULL);
    const pub_node *c = org(d, s3, "CPA (ML)", "Communist Party of Australia Marxist Leninist",
                            NULL, NULL);
    const pub_node *q1 = org(d, s1, "KK", "Group \u201eKrasnyj Klin\u201c", NULL, NULL);
    const pub_node *q2 = org(d, s2, "KK", "Group \"Krasnyj Klin\"", NULL, NULL);
    pub_index *ix = build(d);
    assert_int_equal(ix->n_orgs, 2);
    assert_int_equal(pub_index_org_of(ix, a), pub_index_org_of(ix, b));
    assert_int_equal(pub_index_org_of(ix, a), pub_index_org_of(ix, c));
    assert_int_equal(pub_index_org_of(ix, q1), pub_index_org_of(ix, q2));
    assert_int_equal(ix->n_merges, 3);
    for (size_t i = 0; i < ix->n_merges; i++) {
        const pub_merge *m = &ix->merges[i];
        if (m->merged == b)
            assert_string_equal(m->why, "spacing, case");
        else if (m->merged == c)
            assert_string_equal(m->why, "spacing, punctuation; abbreviation spacing, punctuation");
        else
            assert_string_equal(m->why, "punctuation");
    }
    pub_index_free(ix);
    pub_dossier_free(d);
}

static void test_persons(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    pub_node *s1 = statement(d, "a.txt", "2020-01-01");
    pub_node *s2 = statement(d, "b.txt", "2021-01-01");
    const pub_node *a = person(d, s1, "the Communist Party of Ruritania", "Chairman",
                               "Jana Nováková");
    const pub_node *b = person(d, s2, "Communist party of Ruritania", "Chair",
                               "Jana Novakova");
    const pub_node *c = person(d, s2, "Workers Party of Ruritania", "Secretary",
                               "Jana Novakova");
    const pub_node *o = org(d, s1, "CPR", "Communist Party of Ruritania", NULL, NULL);
    const pub_node *role_only = person(d, s2, "Workers Party of Ruritania",
                                       "Secretary", NULL);
    pub_index *ix = build(d);
    assert_int_equal(ix->n_orgs, 2);
    assert_int_equal(pub_index_org_of(ix, a), pub_index_org_of(ix, o));
    assert_int_equal(pub_index_org_of(ix, b), pub_index_org_of(ix, o));
    assert_int_equal(pub_index_org_of(ix, role_only), pub_index_org_of(ix, c));
    assert_int_equal(ix->n_persons, 2);
    int p = pub_index_person_of(ix, a);
    assert_int_equal(pub_index_person_of(ix, b), p);
    assert_int_not_equal(pub_index_person_of(ix, c), p); /* another organisation */
    assert_int_equal(pub_index_person_of(ix, role_only), 0);
    assert_int_equal(pub_index_person_of(ix, o), 0);
    const pub_person *jn = &ix->persons[p - 1];
    assert_string_equal(jn->name, "Jana Nováková");
    assert_string_equal(jn->role, "Chairman");
    assert_string_equal(jn->org_name, "the Communist Party of Ruritania");
    assert_int_equal(jn->org, pub_index_org_of(ix, o));
    assert_int_equal(jn->n_signatures, 2);
    int person_merge = 0;
    for (size_t i = 0; i < ix->n_merges; i++)
        if (ix->merges[i].merged == b && !strcmp(ix->merges[i].why, "person: accents"))
            person_merge = 1;
    assert_true(person_merge);
    pub_index_free(ix);
    pub_dossier_free(d);
}

/* Many statements with many signatories: hashed keys, no quadratic pass. */
static void test_large(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    for (int s = 0; s < 400; s++) {
        char name[32], date[11];
        snprintf(name, sizeof name, "s%03d.txt", s);
        snprintf(date, sizeof date, "20%02d-01-01", s % 30);
        pub_node *sec = statement(d, name, date);
        for (int k = 0; k < 150; k++) {
            char abbr[16], full[64];
            snprintf(abbr, sizeof abbr, "O%d", (k * 7 + s) % 300);
            snprintf(full, sizeof full, "Organisation Number %d", (k * 7 + s) % 300);
            org(d, sec, abbr, full, NULL, NULL);
        }
    }
    pub_index *ix = build(d);
    assert_int_equal(ix->n_orgs, 300);
    assert_int_equal(ix->n_merges, 0);
    size_t total = 0;
    for (size_t i = 0; i < ix->n_orgs; i++)
        total += ix->orgs[i].n_signatures;
    assert_int_equal(total, 400 * 150);
    pub_index_free(ix);
    pub_dossier_free(d);
}

static const char *source_at(const pub_dossier *d, int i)
{
    const pub_node *st = pub_dossier_root(d)->first_child;
    while (i-- > 0)
        st = st->next;
    return st->as.statement.source;
}

static void test_order(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    statement(d, "undated1", "");
    statement(d, "late", "2022-05-01");
    statement(d, "tie-a", "2021-03-04");
    statement(d, "undated2", "");
    statement(d, "early", "2020-01-01");
    statement(d, "tie-b", "2021-03-04");
    assert_int_equal(pub_dossier_order(&quiet_ctx, d), PUB_OK);
    static const char *const want[] = {"early", "tie-a", "tie-b", "late",
                                       "undated1", "undated2"};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(source_at(d, i), want[i]);
        const pub_node *st = pub_dossier_root(d)->first_child;
        for (int k = 0; k < i; k++)
            st = st->next;
        assert_int_equal(st->as.statement.order, i);
    }
    assert_ptr_equal(pub_dossier_root(d)->last_child->prev->next,
                     pub_dossier_root(d)->last_child);
    char lo[11], hi[11];
    assert_int_equal(pub_dossier_date_range(d, lo, hi), 4);
    assert_string_equal(lo, "2020-01-01");
    assert_string_equal(hi, "2022-05-01");
    /* order = input leaves the order as it is */
    assert_int_equal(pub_dossier_set(&quiet_ctx, d, "order", "input"), PUB_OK);
    assert_int_equal(pub_dossier_get_info(d)->order_by_input, 1);
    assert_int_equal(pub_dossier_set(&quiet_ctx, d, "order", "chaos"), PUB_ERR_INPUT);
    assert_int_equal(pub_dossier_set(&quiet_ctx, d, "language", "pt-BR"), PUB_OK);
    assert_int_equal(pub_dossier_set(&quiet_ctx, d, "language", "portuguese!"),
                     PUB_ERR_INPUT);
    assert_int_equal(pub_dossier_set(&quiet_ctx, d, "colour", "red"), PUB_ERR_INPUT);
    pub_dossier_free(d);
}

static void test_title(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    char buf[64];
    assert_string_equal(pub_dossier_title(d, buf), "Statements");
    assert_int_equal(pub_dossier_set(&quiet_ctx, d, "title", "Belarus 2020"), PUB_OK);
    assert_string_equal(pub_dossier_title(d, buf), "Belarus 2020");
    pub_dossier_free(d);
}

static void silent(void *user, pub_severity sev, const char *file, int line,
                   const char *message)
{
    (void)user, (void)sev, (void)file, (void)line, (void)message;
}

int main(void)
{
    quiet_ctx.diag = silent;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accents_merged),
        cmocka_unit_test(test_shared_words_apart),
        cmocka_unit_test(test_abbreviation_learned),
        cmocka_unit_test(test_spacing_case_punctuation),
        cmocka_unit_test(test_persons),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_title),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
