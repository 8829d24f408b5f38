/* tsrec_predictor_history and tsrec_predictor_backtest_splits: values and
 * timestamps against the imported data, the frontfill gap of a late item,
 * split timestamps from the documented window formula, the two-call
 * pattern, and misuse (NULL, freed and wrong-type handles, bad caps,
 * unknown items). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static const char *SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}";

#define N_HOURS 240     /* ten days from 2020-01-01 00:00 UTC */
#define LATE_START 30   /* item b begins here */
#define T0 1577836800LL /* 2020-01-01 00:00:00 UTC */

static double value_of(int item, int t)
{
    return 20.0 + 5.0 * item + (double)((t * 7 + item * 3) % 11);
}

/* ---- an allocator that never reuses memory, so a freed handle can be
 * passed back safely (even under ASan) to see it rejected --------------- */

typedef struct held {
    void **p;
    size_t n, cap;
} held;

static void *held_alloc(void *ud, size_t size, size_t align)
{
    held *h = ud;
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 512;
        void **np = realloc(h->p, cap * sizeof *np);
        if (np == NULL)
            return NULL;
        h->p = np;
        h->cap = cap;
    }
    void *m = NULL;
    if (posix_memalign(&m, align > sizeof(void *) ? align : sizeof(void *), size ? size : 1))
        return NULL;
    h->p[h->n++] = m;
    return m;
}

static void *held_realloc(void *ud, void *ptr, size_t old, size_t size, size_t align)
{
    void *m = held_alloc(ud, size, align);
    if (m != NULL && ptr != NULL)
        memcpy(m, ptr, old < size ? old : size);
    return m;
}

static void held_free(void *ud, void *ptr, size_t size)
{
    (void)ud;
    (void)ptr;
    (void)size;
}

static void held_release(held *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->p[i]);
    free(h->p);
}

/* ---- fixture ------------------------------------------------------------ */

typedef struct fixture {
    held mem;
    tsrec_ctx *ctx;
    tsrec_dataset_group *g;
    tsrec_predictor *p;
} fixture;

/* A Forecast group with items "a" (every hour) and "b" (from LATE_START). */
static tsrec_dataset_group *make_group(tsrec_ctx *ctx)
{
    tsrec_dataset_group *g = NULL;
    tsrec_schema *schema = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, SCHEMA, strlen(SCHEMA),
                                        &schema),
                     TSREC_OK);
    assert_int_equal(tsrec_dataset_group_new(ctx, "hist", TSREC_SERVICE_FORECAST, "CUSTOM",
                                             &g),
                     TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "tts", "TARGET_TIME_SERIES",
                                                        schema, "H", &ds),
                     TSREC_OK);
    tsrec_schema_free(schema);
    /* item a: every hour; item b: from LATE_START on */
    int64_t n = 2 * N_HOURS - LATE_START;
    const char **cells = calloc((size_t)n * 3, sizeof(char *));
    char (*text)[2][32] = calloc((size_t)n, sizeof *text);
    assert_non_null(cells);
    assert_non_null(text);
    int64_t r = 0;
    for (int item = 0; item < 2; item++)
        for (int t = item ? LATE_START : 0; t < N_HOURS; t++, r++) {
            snprintf(text[r][0], 32, "2020-01-%02d %02d:00:00", 1 + t / 24, t % 24);
            snprintf(text[r][1], 32, "%.1f", value_of(item, t));
            cells[r * 3 + 0] = text[r][0];
            cells[r * 3 + 1] = text[r][1];
            cells[r * 3 + 2] = item ? "b" : "a";
        }
    assert_int_equal(r, n);
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, n, 3, NULL, NULL), TSREC_OK);
    free(cells);
    free(text);
    return g;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    tsrec_ctx_options o;
    assert_int_equal(tsrec_ctx_options_init(&o), TSREC_OK);
    o.allocator.alloc = held_alloc;
    o.allocator.realloc = held_realloc;
    o.allocator.free = held_free;
    o.allocator.user_data = &fx->mem;
    assert_int_equal(tsrec_ctx_new(&o, &fx->ctx), TSREC_OK);

    fx->g = make_group(fx->ctx);
    const char *req = "{\"PredictorName\":\"p\",\"AlgorithmArn\":\"NPTS\",\"ForecastHorizon\":24,"
                      "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":3,"
                      "\"BackTestWindowOffset\":36},"
                      "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";
    int rc = tsrec_predictor_create(fx->g, req, strlen(req), &fx->p);
    if (rc != TSREC_OK)
        print_error("create: %s\n", tsrec_errmsg(fx->g));
    assert_int_equal(rc, TSREC_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    tsrec_predictor_free(fx->p);
    tsrec_dataset_group_free(fx->g);
    tsrec_ctx_free(fx->ctx);
    held_release(&fx->mem);
    free(fx);
    return 0;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_history_matches_data(void **state)
{
    fixture *fx = *state;
    int64_t n = -1;
    assert_int_equal(tsrec_predictor_history(fx->p, "a", NULL, NULL, 0, &n), TSREC_OK);
    assert_int_equal(n, N_HOURS);
    int64_t ts[N_HOURS];
    double v[N_HOURS];
    assert_int_equal(tsrec_predictor_history(fx->p, "a", ts, v, N_HOURS, &n), TSREC_OK);
    assert_int_equal(n, N_HOURS);
    for (int t = 0; t < N_HOURS; t++) {
        assert_int_equal(ts[t], T0 + 3600LL * t);
        assert_true(v[t] == value_of(0, t));
    }
}

static void test_history_late_item_gap(void **state)
{
    fixture *fx = *state;
    int64_t n = 0;
    int64_t ts[N_HOURS + 5];
    double v[N_HOURS + 5];
    /* a larger cap is fine; only n are written */
    assert_int_equal(tsrec_predictor_history(fx->p, "b", ts, v, N_HOURS + 5, &n), TSREC_OK);
    assert_int_equal(n, N_HOURS);
    for (int t = 0; t < N_HOURS; t++) {
        assert_int_equal(ts[t], T0 + 3600LL * t);
        if (t < LATE_START)
            assert_true(isnan(v[t])); /* before its first value: never filled */
        else
            assert_true(v[t] == value_of(1, t));
    }
    /* either output alone */
    double v2[N_HOURS];
    assert_int_equal(tsrec_predictor_history(fx->p, "b", NULL, v2, N_HOURS, &n), TSREC_OK);
    assert_memory_equal(v2 + LATE_START, v + LATE_START, sizeof(double) * (N_HOURS - LATE_START));
    int64_t ts2[N_HOURS];
    assert_int_equal(tsrec_predictor_history(fx->p, "b", ts2, NULL, N_HOURS, &n), TSREC_OK);
    assert_memory_equal(ts2, ts, sizeof ts2);
}

static void test_backtest_splits(void **state)
{
    fixture *fx = *state;
    int64_t n = -1;
    assert_int_equal(tsrec_predictor_backtest_splits(fx->p, NULL, 0, &n), TSREC_OK);
    assert_int_equal(n, 3);
    int64_t s[3];
    assert_int_equal(tsrec_predictor_backtest_splits(fx->p, s, 3, &n), TSREC_OK);
    /* split_w = n_time - offset - (W-1-w) * horizon */
    for (int w = 0; w < 3; w++)
        assert_int_equal(s[w], T0 + 3600LL * (N_HOURS - 36 - (2 - w) * 24));
    assert_true(s[0] < s[1] && s[1] < s[2]);
}

static void test_misuse(void **state)
{
    fixture *fx = *state;
    int64_t n = 7, ts[N_HOURS];
    double v[N_HOURS];
    /* NULL and wrong-type handles */
    assert_int_equal(tsrec_predictor_history(NULL, "a", NULL, NULL, 0, &n), TSREC_E_MISUSE);
    assert_int_equal(
        tsrec_predictor_history((const tsrec_predictor *)(void *)fx->g, "a", NULL, NULL, 0, &n),
        TSREC_E_MISUSE);
    assert_int_equal(tsrec_predictor_backtest_splits(NULL, NULL, 0, &n), TSREC_E_MISUSE);
    assert_int_equal(
        tsrec_predictor_backtest_splits((const tsrec_predictor *)(void *)fx->ctx, NULL, 0, &n),
        TSREC_E_MISUSE);
    /* NULL arguments */
    assert_int_equal(tsrec_predictor_history(fx->p, NULL, NULL, NULL, 0, &n),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_history(fx->p, "a", NULL, NULL, 0, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_backtest_splits(fx->p, NULL, 0, NULL), TSREC_E_INVALID_ARG);
    /* caps: negative, too small, positive with no output */
    assert_int_equal(tsrec_predictor_history(fx->p, "a", ts, v, -1, &n), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_history(fx->p, "a", ts, v, N_HOURS - 1, &n),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(n, N_HOURS); /* still tells the size needed */
    assert_non_null(strstr(tsrec_last_error(), "cap")); /* shared reads: thread-local */
    assert_int_equal(tsrec_predictor_history(fx->p, "a", NULL, NULL, 5, &n), TSREC_E_INVALID_ARG);
    int64_t s[3];
    assert_int_equal(tsrec_predictor_backtest_splits(fx->p, s, 2, &n), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_backtest_splits(fx->p, s, -1, &n), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_backtest_splits(fx->p, NULL, 3, &n), TSREC_E_INVALID_ARG);
    /* unknown items: never imported, empty, a prefix of a real one */
    assert_int_equal(tsrec_predictor_history(fx->p, "zz", ts, v, N_HOURS, &n),
                     TSREC_E_UNKNOWN_NAME);
    assert_int_equal(n, 0);
    assert_non_null(strstr(tsrec_last_error(), "'zz'"));
    assert_int_equal(tsrec_predictor_history(fx->p, "", NULL, NULL, 0, &n), TSREC_E_UNKNOWN_NAME);
    /* failed reads leave the shared handle's message alone */
    assert_int_equal(tsrec_predictor_history(fx->p, "a", NULL, NULL, 0, &n), TSREC_OK);
    assert_string_equal(tsrec_errmsg(fx->p), "");
}

static void test_freed_predictor(void **state)
{
    fixture *fx = *state;
    const char *req = "{\"PredictorName\":\"p2\",\"AlgorithmArn\":\"Naive\",\"ForecastHorizon\":6,"
                      "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";
    tsrec_predictor *p2 = NULL;
    assert_int_equal(tsrec_predictor_create(fx->g, req, strlen(req), &p2), TSREC_OK);
    int64_t n = 0;
    assert_int_equal(tsrec_predictor_backtest_splits(p2, NULL, 0, &n), TSREC_OK);
    assert_int_equal(n, 1); /* the default single window */
    tsrec_predictor_free(p2);
    /* the held allocator keeps the memory: the freed magic is what is seen */
    assert_int_equal(tsrec_predictor_history(p2, "a", NULL, NULL, 0, &n), TSREC_E_MISUSE);
    assert_int_equal(tsrec_predictor_backtest_splits(p2, NULL, 0, &n), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "freed"));
}

static void test_group_freed_first(void **state)
{
    fixture *fx = *state;
    tsrec_dataset_group *g2 = make_group(fx->ctx);
    const char *req = "{\"PredictorName\":\"p3\",\"AlgorithmArn\":\"Naive\",\"ForecastHorizon\":6,"
                      "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";
    tsrec_predictor *p3 = NULL;
    assert_int_equal(tsrec_predictor_create(g2, req, strlen(req), &p3), TSREC_OK);
    tsrec_dataset_group_free(g2); /* a misuse: the group must outlive the predictor */
    int64_t n = 5;
    /* item ids live in the group: a clear error, not a crash or a wrong answer */
    assert_int_equal(tsrec_predictor_history(p3, "a", NULL, NULL, 0, &n), TSREC_E_MISUSE);
    assert_int_equal(n, 0);
    assert_non_null(strstr(tsrec_last_error(), "group was freed"));
    assert_string_equal(tsrec_errmsg(p3), ""); /* the shared handle is untouched */
    /* the splits need only the predictor */
    assert_int_equal(tsrec_predictor_backtest_splits(p3, NULL, 0, &n), TSREC_OK);
    assert_int_equal(n, 1);
    tsrec_predictor_free(p3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_matches_data),
        cmocka_unit_test(test_history_late_item_gap),
        cmocka_unit_test(test_backtest_splits),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_freed_predictor),
        cmocka_unit_test(test_group_freed_first),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
