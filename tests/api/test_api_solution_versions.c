/* tsrec_solution_version_count / tsrec_solution_version_get (the CLI's
 * access to the versions of a loaded solution): numbering 1..n in training
 * order, the same handles tsrec_solution_train returned, a save/load round
 * trip keeps them, and misuse (NULL, wrong handle type, out of range) gives
 * a status, never a crash. */
#include <stdio.h>
#include <string.h>

#include "test_util.h"
#include "tsrec/io.h"

static const char *SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}],\"version\":\"1.0\"}";

/* 30 users x 8 items each, popularity solution with the minimums off. */
static tsrec_dataset_group *make_group(tsrec_ctx *ctx)
{
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", TSREC_SERVICE_PERSONALIZE, NULL, &g),
                     TSREC_OK);
    tsrec_schema *s = NULL;
    assert_int_equal(
        tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, SCHEMA, strlen(SCHEMA), &s), TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", "Interactions", s, NULL, &ds),
                     TSREC_OK);
    tsrec_schema_free(s);
    enum { N = 30 * 8 };
    static char text[N][3][24];
    static const char *cells[N * 3];
    for (int r = 0; r < N; r++) {
        int u = r / 8, k = r % 8;
        snprintf(text[r][0], 24, "u%d", u);
        snprintf(text[r][1], 24, "i%d", (u + k * 3) % 20);
        snprintf(text[r][2], 24, "%d", 1600000000 + r);
        for (int c = 0; c < 3; c++)
            cells[r * 3 + c] = text[r][c];
    }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, N, 3, NULL, NULL), TSREC_OK);
    return g;
}

static tsrec_solution *make_solution(tsrec_dataset_group *g)
{
    const char *req = "{\"name\":\"s\",\"recipeArn\":\"aws-popularity-count\","
                      "\"solutionConfig\":{\"minimumsCheck\":\"off\"}}";
    tsrec_solution *s = NULL;
    assert_int_equal(tsrec_solution_create(g, req, strlen(req), &s), TSREC_OK);
    return s;
}

static void test_numbering(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx);
    tsrec_solution *s = make_solution(g);
    int64_t n = -1;
    assert_int_equal(tsrec_solution_version_count(s, &n), TSREC_OK);
    assert_int_equal(n, 0);
    tsrec_solution_version *v = NULL;
    assert_int_equal(tsrec_solution_version_get(s, 1, &v), TSREC_E_UNKNOWN_NAME);
    assert_null(v);
    assert_true(strstr(tsrec_errmsg(s), "no version 1") != NULL);
    tsrec_solution_version *v1 = NULL, *v2 = NULL;
    assert_int_equal(tsrec_solution_train(s, TSREC_TRAINING_FULL, &v1), TSREC_OK);
    assert_int_equal(tsrec_solution_train(s, TSREC_TRAINING_UPDATE, &v2), TSREC_OK);
    assert_int_equal(tsrec_solution_version_count(s, &n), TSREC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tsrec_solution_version_get(s, 1, &v), TSREC_OK);
    assert_ptr_equal(v, v1);
    assert_int_equal(tsrec_solution_version_get(s, 2, &v), TSREC_OK);
    assert_ptr_equal(v, v2);
    assert_int_equal(tsrec_solution_version_get(s, 3, &v), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec_solution_version_get(s, 0, &v), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec_solution_version_get(s, -5, &v), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec_solution_version_get(s, INT64_MAX, &v), TSREC_E_UNKNOWN_NAME);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* After a save/load round trip the versions keep their numbers and their
 * metrics. */
static void test_round_trip(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx);
    tsrec_solution *s = make_solution(g);
    tsrec_solution_version *v1 = NULL, *v2 = NULL;
    assert_int_equal(tsrec_solution_train(s, TSREC_TRAINING_FULL, &v1), TSREC_OK);
    assert_int_equal(tsrec_solution_train(s, TSREC_TRAINING_FULL, &v2), TSREC_OK);
    double p1 = 0, p2 = 0;
    assert_int_equal(tsrec_solution_version_metric(v1, "precision_at_5", &p1), TSREC_OK);
    assert_int_equal(tsrec_solution_version_metric(v2, "precision_at_5", &p2), TSREC_OK);
    tsrec_membuf mb = {NULL, 0, 0, 0};
    assert_int_equal(tsrec_solution_save_to(s, tsrec_membuf_write, &mb), TSREC_OK);
    mb.data = malloc(mb.len);
    assert_non_null(mb.data);
    mb.cap = mb.len;
    mb.len = 0;
    assert_int_equal(tsrec_solution_save_to(s, tsrec_membuf_write, &mb), TSREC_OK);
    tsrec_solution *l = NULL;
    assert_int_equal(tsrec_solution_load_from(g, tsrec_membuf_read, &mb, &l), TSREC_OK);
    int64_t n = 0;
    assert_int_equal(tsrec_solution_version_count(l, &n), TSREC_OK);
    assert_int_equal(n, 2);
    tsrec_solution_version *w = NULL;
    double q = -1;
    assert_int_equal(tsrec_solution_version_get(l, 1, &w), TSREC_OK);
    assert_int_equal(tsrec_solution_version_metric(w, "precision_at_5", &q), TSREC_OK);
    assert_true(q == p1);
    assert_int_equal(tsrec_solution_version_get(l, 2, &w), TSREC_OK);
    assert_int_equal(tsrec_solution_version_metric(w, "precision_at_5", &q), TSREC_OK);
    assert_true(q == p2);
    free(mb.data);
    tsrec_solution_free(l);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

static void test_misuse(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx);
    tsrec_solution *s = make_solution(g);
    int64_t n = 7;
    tsrec_solution_version *v = (tsrec_solution_version *)s; /* must be reset */
    assert_int_equal(tsrec_solution_version_count(NULL, &n), TSREC_E_MISUSE);
    assert_int_equal(tsrec_solution_version_count(s, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_solution_version_get(NULL, 1, &v), TSREC_E_MISUSE);
    assert_null(v);
    assert_int_equal(tsrec_solution_version_get(s, 1, NULL), TSREC_E_INVALID_ARG);
    /* A handle of another type is refused by its magic. */
    assert_int_equal(tsrec_solution_version_count((const tsrec_solution *)g, &n), TSREC_E_MISUSE);
    assert_int_equal(tsrec_solution_version_get((tsrec_solution *)g, 1, &v), TSREC_E_MISUSE);
    assert_int_equal(n, 7);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
