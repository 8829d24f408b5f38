/* OOM: Popularity-Count and SIMS training, the evaluation split, the
 * training store and a full evaluation. The Nth allocation fails for every
 * N until the call succeeds: each failure is TSREC_E_NOMEM, leaves zeroed
 * outputs and leaks nothing. */
#include "test_util.h"

#include <string.h>

#include "eval_internal.h"
#include "interactions_internal.h"
#include "recipes_internal.h"

enum { N = 400, NU = 30, NI = 25 };
static int32_t du[N], di[N];
static int64_t dt[N];

static void make_store(tsrec__interactions *s, tsrec_ctx *ctx)
{
    for (int64_t k = 0; k < N; k++) {
        du[k] = (int32_t)((k * 7) % NU);
        di[k] = (int32_t)((k * k + 3 * k) % NI);
        dt[k] = (k * 37) % 1000;
    }
    tsrec__interaction_rows r = {N, du, di, dt, NULL, NULL};
    tsrec__interaction_codes c = {NU, NI, 0, NULL};
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    assert_int_equal(tsrec__interactions_build(s, ctx, NULL, &r, &c, &o), TSREC_OK);
}

typedef struct pop_adapter {
    tsrec_ctx *ctx;
} pop_adapter;

static int pop_train(void *user, const tsrec__interactions *train, tsrec__handle *eh,
                     void **model)
{
    pop_adapter *a = user;
    tsrec__pop_model *m = tsrec__alloc(a->ctx, sizeof(*m));
    if (m == NULL)
        return TSREC_E_NOMEM;
    int rc = tsrec__pop_train(m, a->ctx, eh, train, -1);
    if (rc != TSREC_OK) {
        tsrec__free(a->ctx, m);
        return rc;
    }
    *model = m;
    return TSREC_OK;
}

static int pop_rec(void *user, void *model, const int32_t *hist, const int64_t *hist_ts,
                   int64_t n_hist, int64_t k, int32_t *out, int64_t *out_n)
{
    (void)user;
    (void)hist;
    (void)hist_ts;
    (void)n_hist;
    *out_n = tsrec__pop_recommend(model, NULL, 0, k, out, NULL);
    return TSREC_OK;
}

static void pop_free(void *user, void *model)
{
    pop_adapter *a = user;
    tsrec__pop_free(model);
    tsrec__free(a->ctx, model);
}

enum { OP_POP, OP_SIMS, OP_SIMS_POOL, OP_SPLIT, OP_TRAIN_STORE, OP_EVAL };

/* Run op on a ctx whose allocator fails at call n (counted after the
 * store was built); returns the status. */
static int run_op(int op, int64_t n)
{
    tu_failing_alloc fa = {0, 0, 0, 0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    if (op == OP_SIMS_POOL)
        assert_int_equal(tsrec_ctx_set_threads(ctx, 2), TSREC_OK);
    tsrec__interactions s;
    make_store(&s, ctx);
    tsrec__eval_split sp;
    memset(&sp, 0, sizeof(sp));
    if (op == OP_TRAIN_STORE || op == OP_EVAL)
        assert_int_equal(tsrec__eval_split_users(&sp, ctx, NULL, &s, 3, 0.2), TSREC_OK);
    fa.calls = 0;
    fa.fail_at = n;
    int rc = TSREC_OK;
    if (op == OP_POP) {
        tsrec__pop_model m;
        rc = tsrec__pop_train(&m, ctx, NULL, &s, -1);
        if (rc != TSREC_OK)
            assert_null(m.count);
        tsrec__pop_free(&m);
    } else if (op == OP_SIMS || op == OP_SIMS_POOL) {
        tsrec__sims_params p;
        tsrec__sims_params_init(&p);
        p.min_cointeraction_count = 1;
        tsrec__sims_model m;
        rc = tsrec__sims_train(&m, ctx, NULL, &s, &p);
        if (rc != TSREC_OK)
            assert_null(m.nb_off);
        else
            assert_true(m.nb_off[NI] > 0);
        tsrec__sims_free(&m);
    } else if (op == OP_SPLIT) {
        rc = tsrec__eval_split_users(&sp, ctx, NULL, &s, 3, 0.2);
        if (rc != TSREC_OK)
            assert_null(sp.test_users);
    } else if (op == OP_TRAIN_STORE) {
        tsrec__interactions t;
        rc = tsrec__eval_train_store(&t, NULL, &s, &sp);
        if (rc != TSREC_OK)
            assert_null(t.item);
        tsrec__interactions_free(&t);
    } else {
        pop_adapter ad = {ctx};
        tsrec__eval_recipe r = {&ad, pop_train, pop_rec, pop_free};
        tsrec__eval_metrics m;
        tsrec__eval_detail det;
        rc = tsrec__eval_run(ctx, NULL, &s, &sp, &r, 0, &m, &det);
        if (rc != TSREC_OK)
            assert_null(det.rec);
        tsrec__eval_detail_free(&det);
    }
    fa.fail_at = 0;
    tsrec__eval_split_free(&sp);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
    return rc;
}

static void every_n(int op, int min_failures)
{
    int failures = 0;
    for (int64_t n = 1;; n++) {
        int rc = run_op(op, n);
        if (rc == TSREC_OK)
            break;
        assert_int_equal(rc, TSREC_E_NOMEM);
        failures++;
    }
    assert_true(failures >= min_failures);
}

static void test_pop(void **state)
{
    (void)state;
    every_n(OP_POP, 2);
}
static void test_sims(void **state)
{
    (void)state;
    every_n(OP_SIMS, 10);
}
static void test_sims_pool(void **state)
{
    (void)state;
    every_n(OP_SIMS_POOL, 10);
}
static void test_split(void **state)
{
    (void)state;
    every_n(OP_SPLIT, 2);
}
static void test_train_store(void **state)
{
    (void)state;
    every_n(OP_TRAIN_STORE, 3);
}
static void test_eval(void **state)
{
    (void)state;
    every_n(OP_EVAL, 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pop),        cmocka_unit_test(test_sims),
        cmocka_unit_test(test_sims_pool),  cmocka_unit_test(test_split),
        cmocka_unit_test(test_train_store), cmocka_unit_test(test_eval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
