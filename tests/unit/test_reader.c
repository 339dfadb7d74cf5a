/*
 * test_reader.c — cmocka tests for the reader's algorithms with exact
 * expectations: date recognition, signatory splitting, decoding hygiene
 * (BOM, CRLF, no-break spaces, NFC), the model iterator and the language
 * guess in each script it holds profiles for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reader/reader.h"

static void date_is(const char *text, const char *want)
{
    char iso[11] = "";
    size_t s, e;
    int ok = pub_find_date(text, strlen(text), iso, &s, &e);
    if (want == NULL) {
        assert_false(ok);
    } else {
        assert_true(ok);
        assert_string_equal(iso, want);
    }
}

static void test_dates(void **state)
{
    (void)state;
    date_is("By X, 15 August 2020,,", "2020-08-15");
    date_is("ICOR Resolution, 07 June 2021", "2021-06-07");
    date_is("as of 07. June 2021, further", "2021-06-07");
    date_is("August 18, 2020", "2020-08-18");
    date_is("Berlin, 15. Mai 2022", "2022-05-15");
    date_is("Paris, le 3 avril 2023", "2023-04-03");
    date_is("Madrid, 15 de agosto de 2020", "2020-08-15");
    date_is("Москва, 18 августа 2020 г.", "2020-08-18");
    date_is("İstanbul, 9 Ağustos 2021", "2021-08-09");
    date_is("published 2019-11-30 online", "2019-11-30");
    date_is("Kyiv 24.02.2022", "2022-02-24");
    date_is("June 2021", "2021-06");
    date_is("31 February 2020", "2020-02"); /* no such day: month only */
    date_is("the August 9 presidential elections", NULL);
    date_is("more than 3,000 arrests", NULL);
}

typedef struct want_sig {
    const char *in, *abbr, *name, *english, *country;
} want_sig;

static void test_signatory_split(void **state)
{
    (void)state;
    static const want_sig cases[] = {
        {"CPI (ML) Red Star Communist Party of India (Marxist-Leninist) Red Star",
         "CPI (ML) Red Star", "Communist Party of India (Marxist-Leninist) Red Star", NULL, NULL},
        {"PCPCI\tParti Communiste de Nulle Part (Communist Party of Nowhere)",
         "PCPCI", "Parti Communiste de Nulle Part", "Communist Party of Nowhere", NULL},
        {"UC Unité Communiste (Communist Unity ), France", "UC", "Unité Communiste",
         "Communist Unity", "France"},
        {"NCP (Front) Nepal Communist Party (Front)", "NCP (Front)",
         "Nepal Communist Party (Front)", NULL, NULL},
        {"BP (N-S) Bolşevik Parti (Kuzey-Güney) (Bolshevik Party (North-South))", "BP (N-S)",
         "Bolşevik Parti (Kuzey-Güney)", "Bolshevik Party (North-South)", NULL},
        {"MLPD – Germany", "MLPD", NULL, NULL, "Germany"},
        {"Communist Party of Kenya, Kenya", NULL, "Communist Party of Kenya", NULL, "Kenya"},
        {"UoT Union of Tenants, Greece", "UoT", "Union of Tenants", NULL, "Greece"},
        {"KOL Kommunistische Organisation Lorland (Communist Organization of Lorland)", "KOL",
         "Kommunistische Organisation Lorland", "Communist Organization of Lorland", NULL},
        {"CPA/ML Communist Party of Australia (Marxist-Leninist)", "CPA/ML",
         "Communist Party of Australia (Marxist-Leninist)", NULL, NULL},
        {"БРП(к) Българска Работническа Партия (комунисти) (Bulgarian Workers Party (Communists))",
         "БРП(к)", "Българска Работническа Партия (комунисти)",
         "Bulgarian Workers Party (Communists)", NULL},
    };
    pub_arena *a = pub_arena_new();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pub_signatory s = {0};
        pub_signatory_split(a, cases[i].in, strlen(cases[i].in), &s);
#define SAME(field)                                                           \
    do {                                                                      \
        if (cases[i].field == NULL)                                           \
            assert_null(s.field);                                             \
        else {                                                                \
            assert_non_null(s.field);                                         \
            assert_string_equal(s.field, cases[i].field);                     \
        }                                                                     \
    } while (0)
        SAME(abbr);
        SAME(name);
        SAME(english);
        SAME(country);
    }
    pub_arena_free(a);
}

static void test_decode_hygiene(void **state)
{
    (void)state;
    /* BOM, CRLF and CR, tab gap, binding and separating no-break spaces,
     * decomposed é (e + U+0301) composed to U+00E9 */
    const char in[] = "\xEF\xBB\xBFTitle\r\n\r\nA\tB  C\xC2\xA0" "D \xC2\xA0 E caf" "e\xCC\x81\rlast";
    pub_arena *a = pub_arena_new();
    pub_lines L;
    pub_ctx ctx = {0};
    assert_int_equal(pub_decode(&ctx, a, "t", in, sizeof in - 1, &L), PUB_OK);
    assert_int_equal(L.n, 4);
    assert_string_equal(L.v[0].text, "Title");
    assert_string_equal(L.v[1].text, "");
    assert_string_equal(L.v[2].text, "A\tB\tC\xC2\xA0" "D\tE caf\xC3\xA9");
    assert_string_equal(L.v[3].text, "last");
    assert_int_equal(L.v[3].lineno, 4);
    /* lines of Latin, Greek and Cyrillic letters are taken as they are
     * (already NFC), but not with a Greek singleton (U+037E -> ';'), a
     * combining mark after Cyrillic (И + U+0306 -> Й) or U+212B (-> U+00C5) */
    const char in2[] = "\xCE\x9A\xCE\xB1\xCE\xBB\xCE\xB7\xCE\xBC\xCE\xAD\xCF\x81\xCE\xB1 "
                       "\xD0\xBC\xD0\xB8\xD1\x80 \xC4\x9F\xC5\x9F \xE2\x80\x94 \xE2\x82\xAC\n"
                       "x\xCD\xBE\n\xD0\x98\xCC\x86\na\xE2\x84\xAB" "b";
    assert_int_equal(pub_decode(&ctx, a, "t", in2, sizeof in2 - 1, &L), PUB_OK);
    assert_int_equal(L.n, 4);
    assert_string_equal(L.v[0].text, "\xCE\x9A\xCE\xB1\xCE\xBB\xCE\xB7\xCE\xBC\xCE\xAD\xCF\x81\xCE\xB1 "
                                     "\xD0\xBC\xD0\xB8\xD1\x80 \xC4\x9F\xC5\x9F \xE2\x80\x94 \xE2\x82\xAC");
    assert_string_equal(L.v[1].text, "x;");
    assert_string_equal(L.v[2].text, "\xD0\x99");
    assert_string_equal(L.v[3].text, "a\xC3\x85" "b");
    pub_arena_free(a);
}

static void test_decode_errors(void **state)
{
    (void)state;
    pub_arena *a = pub_arena_new();
    pub_lines L;
    pub_ctx ctx = {0};
    assert_int_equal(pub_decode(&ctx, a, "t", "ok\n\xC0\xAF", 4, &L), PUB_ERR_INPUT);
    assert_int_equal(pub_decode(&ctx, a, "t", "a\0b", 3, &L), PUB_ERR_INPUT);
    assert_int_equal(pub_decode(&ctx, a, "t", "", 0, &L), PUB_ERR_INPUT);
    assert_int_equal(pub_decode(&ctx, a, "t", " \n\t\n", 4, &L), PUB_ERR_INPUT);
    assert_int_equal(ctx.n_errors, 4);
    pub_arena_free(a);
}

static void test_iterator(void **state)
{
    (void)state;
    pub_dossier *d = pub_dossier_new();
    pub_ctx ctx = {0};
    const char text[] = "Title\n\nOne **bold** word.\n";
    assert_int_equal(pub_dossier_read_buffer(&ctx, d, "x.txt", text, sizeof text - 1), PUB_OK);
    pub_iter it;
    pub_event ev;
    int enters = 0, exits = 0;
    pub_iter_init(&it, pub_dossier_root(d));
    while ((ev = pub_iter_next(&it)) != PUB_EVENT_DONE) {
        if (ev == PUB_EVENT_ENTER)
            enters++;
        else
            exits++;
    }
    /* dossier, statement, title, text, paragraph, text, strong, text, text */
    assert_int_equal(enters, 9);
    /* containers exit: dossier, statement, title, paragraph, strong */
    assert_int_equal(exits, 5);
    size_t len;
    const pub_node *para = pub_statement_find(pub_dossier_root(d)->first_child, PUB_NODE_PARAGRAPH);
    char *plain = pub_node_plain_text(para, &len);
    assert_string_equal(plain, "One bold word.");
    free(plain);
    pub_dossier_free(d);
}

static void lang_is(const char *body, const char *want)
{
    pub_dossier *d = pub_dossier_new();
    assert_non_null(d);
    const char *got = pub_guess_language(d, body, strlen(body));
    if (want == NULL)
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
    pub_dossier_free(d);
}

static void test_language(void **state)
{
    (void)state;
    lang_is("We, the workers of the harbour, call on every citizen to support "
            "our strike for fair wages, safe work and respect for the unions.", "en");
    lang_is("Wij, de arbeiders van de haven, roepen alle burgers op om onze staking "
            "te steunen voor eerlijke lonen en veilige arbeidsomstandigheden.", "nl");
    lang_is("Ми, робітники заводу, звертаємося до всіх громадян нашого міста з "
            "закликом підтримати страйк за гідну заробітну плату.", "uk");
    lang_is("Οι εργαζόμενοι της πόλης καλούν όλους τους πολίτες να συμμετάσχουν "
            "στη μεγάλη διαδήλωση της Κυριακής.", "el");
    lang_is("Մենք՝ նավահանգստի աշխատողներս, կոչ ենք անում բոլոր քաղաքացիներին "
            "աջակցել մեր գործադուլին։", "hy");
    lang_is("ჩვენ, ნავსადგურის მუშები, მოვუწოდებთ ყველა მოქალაქეს, მხარი "
            "დაუჭირონ ჩვენს გაფიცვას.", "ka");
    /* the script most letters are in decides which profiles compete */
    lang_is("The undersigned organisations greet the comrades of the Союз рабочих "
            "and call on all workers to join the demonstration for peace.", "en");
    lang_is("Мы приветствуем товарищей из Communist Party of Britain и призываем "
            "всех трудящихся принять участие в демонстрации за мир.", "ru");
    /* no profile for the script, no letters at all, too short: no guess */
    lang_is("我们港口工人呼吁全体市民支持我们的罢工，争取公平的工资、安全的工作条件。", NULL);
    lang_is("12. 345 678 901 / 2345-6789 ; 10 11 12 13 14 15 16 17 18 19 20", NULL);
    lang_is("Short text.", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_signatory_split),
        cmocka_unit_test(test_decode_hygiene),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_iterator),
        cmocka_unit_test(test_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
