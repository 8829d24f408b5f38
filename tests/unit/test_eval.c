/* Personalize offline metrics: the two worked examples of the AWS guide,
 * list metrics against a naive implementation, the user split (size,
 * eligibility, reproducibility by seed), the training store, and a full
 * evaluation of Popularity-Count against a naive re-computation. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "eval_internal.h"
#include "interactions_internal.h"
#include "recipes_internal.h"

static uint64_t rng_state;
static void rng_seed(uint64_t s)
{
    rng_state = s * 2654435761u + 0x9E3779B97F4A7C15ULL;
}
static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}
static int64_t rng_int(int64_t n)
{
    return (int64_t)(rng_next() % (uint64_t)n);
}

/* AWS: relevant first at ranks 4, 2 and 6 -> (1/4 + 1/2 + 1/6) / 3 = 0.3056 */
static void test_mrr_example(void **state)
{
    (void)state;
    int32_t recs[6] = {10, 11, 12, 13, 14, 15};
    int32_t rel_a[1] = {13}, rel_b[2] = {11, 15}, rel_c[1] = {15};
    double m[TSREC__EVAL_N_LIST_METRICS], sum = 0.0;
    tsrec__eval_score_list(recs, 6, rel_a, 1, m);
    sum += m[TSREC__EVAL_MRR25];
    tsrec__eval_score_list(recs, 6, rel_b, 2, m);
    sum += m[TSREC__EVAL_MRR25];
    tsrec__eval_score_list(recs, 6, rel_c, 1, m);
    sum += m[TSREC__EVAL_MRR25];
    assert_true(fabs(sum / 3.0 - 0.3056) < 5e-5);
    assert_true(fabs(sum / 3.0 - (0.25 + 0.5 + 1.0 / 6.0) / 3.0) < 1e-15);
    /* no relevant item in the list: 0 */
    int32_t rel_none[1] = {99};
    tsrec__eval_score_list(recs, 6, rel_none, 1, m);
    for (int c = 0; c < TSREC__EVAL_N_LIST_METRICS; c++)
        assert_true(m[c] == 0.0);
}

/* AWS: relevant at positions 2 and 5, K = 5 -> 0.6241 */
static void test_ndcg_example(void **state)
{
    (void)state;
    int32_t recs[5] = {1, 2, 3, 4, 5};
    int32_t rel[2] = {2, 5};
    double m[TSREC__EVAL_N_LIST_METRICS];
    tsrec__eval_score_list(recs, 5, rel, 2, m);
    assert_true(fabs(m[TSREC__EVAL_NDCG5] - 0.6241) < 5e-5);
    double want = (1.0 / log(3.0) + 1.0 / log(6.0)) / (1.0 / log(2.0) + 1.0 / log(3.0));
    assert_true(fabs(m[TSREC__EVAL_NDCG5] - want) < 1e-14);
    assert_true(fabs(m[TSREC__EVAL_P5] - 0.4) < 1e-15);
    assert_true(fabs(m[TSREC__EVAL_P10] - 0.2) < 1e-15);
    assert_true(fabs(m[TSREC__EVAL_P25] - 0.08) < 1e-15);
    assert_true(m[TSREC__EVAL_MRR25] == 0.5);
}

/* Naive per-list metrics: linear searches, direct formulas. */
static void naive_list(const int32_t *recs, int64_t n, const int32_t *rel, int64_t nr,
                       double out[TSREC__EVAL_N_LIST_METRICS])
{
    const int64_t ks[3] = {5, 10, 25};
    memset(out, 0, TSREC__EVAL_N_LIST_METRICS * sizeof(double));
    for (int64_t p = 0; p < n && p < 25; p++) {
        int hit = 0;
        for (int64_t q = 0; q < nr; q++)
            hit |= rel[q] == recs[p];
        if (hit && out[TSREC__EVAL_MRR25] == 0.0)
            out[TSREC__EVAL_MRR25] = 1.0 / (double)(p + 1);
    }
    for (int c = 0; c < 3; c++) {
        double dcg = 0, idcg = 0, h = 0;
        for (int64_t p = 0; p < n && p < ks[c]; p++)
            for (int64_t q = 0; q < nr; q++)
                if (rel[q] == recs[p]) {
                    dcg += log(2.0) / log((double)p + 2.0);
                    h += 1;
                }
        for (int64_t p = 0; p < nr && p < ks[c]; p++)
            idcg += log(2.0) / log((double)p + 2.0);
        out[TSREC__EVAL_NDCG5 + c] = dcg / idcg;
        out[TSREC__EVAL_P5 + c] = h / (double)ks[c];
    }
}

static void test_list_metrics_vs_naive(void **state)
{
    (void)state;
    rng_seed(4);
    for (int rep = 0; rep < 500; rep++) {
        int32_t recs[30], rel[40];
        int64_t n = rng_int(31), nr = 1 + rng_int(40);
        /* distinct recs: a random subset of 0..59 in random order */
        int32_t pool[60];
        for (int i = 0; i < 60; i++)
            pool[i] = i;
        for (int64_t i = 0; i < n; i++) {
            int64_t j = i + rng_int(60 - i);
            int32_t t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
            recs[i] = pool[i];
        }
        for (int64_t i = 0; i < nr; i++)
            rel[i] = (int32_t)rng_int(60);
        nr = tsrec__items_sort_unique(rel, nr);
        double a[TSREC__EVAL_N_LIST_METRICS], b[TSREC__EVAL_N_LIST_METRICS];
        tsrec__eval_score_list(recs, n, rel, nr, a);
        naive_list(recs, n, rel, nr, b);
        for (int c = 0; c < TSREC__EVAL_N_LIST_METRICS; c++)
            assert_true(fabs(a[c] - b[c]) < 1e-12);
    }
}

/* ---- data and store ------------------------------------------------------ */

enum { N = 3000, NU = 120, NI = 80 };
static int32_t du[N], di[N];
static int64_t dt[N];

static void make_store(tsrec__interactions *s, tsrec_ctx *ctx, uint64_t seed)
{
    rng_seed(seed);
    for (int64_t k = 0; k < N; k++) {
        /* users 0..9 get one row at most (not eligible as test users) */
        du[k] = (int32_t)(k < 10 ? k : 10 + rng_int(NU - 10));
        int64_t a = rng_int(NI), b = rng_int(NI);
        di[k] = (int32_t)(a < b ? a : b);
        dt[k] = rng_int(100000) * 4096 + k;
    }
    tsrec__interaction_rows r = {N, du, di, dt, NULL, NULL};
    tsrec__interaction_codes c = {NU, NI, 0, NULL};
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    assert_int_equal(tsrec__interactions_build(s, ctx, NULL, &r, &c, &o), TSREC_OK);
}

static void test_split(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__interactions s;
    make_store(&s, ctx, 1);
    tsrec__eval_split a, b, c;
    assert_int_equal(tsrec__eval_split_users(&a, ctx, NULL, &s, 42, 0.1), TSREC_OK);
    assert_int_equal(tsrec__eval_split_users(&b, ctx, NULL, &s, 42, 0.1), TSREC_OK);
    assert_int_equal(tsrec__eval_split_users(&c, ctx, NULL, &s, 43, 0.1), TSREC_OK);
    assert_int_equal(a.n_test, (NU - 10) / 10); /* 110 eligible users */
    assert_int_equal(b.n_test, a.n_test);
    assert_memory_equal(a.test_users, b.test_users, (size_t)a.n_test * sizeof(int32_t));
    assert_true(memcmp(a.test_users, c.test_users, (size_t)a.n_test * sizeof(int32_t)) != 0);
    int64_t flagged = 0;
    for (int64_t u = 0; u < NU; u++)
        flagged += a.is_test[u];
    assert_int_equal(flagged, a.n_test);
    for (int64_t t = 0; t < a.n_test; t++) {
        assert_true(a.test_users[t] >= 10);
        assert_true(a.is_test[a.test_users[t]]);
        if (t > 0)
            assert_true(a.test_users[t] > a.test_users[t - 1]);
    }
    /* training store = the other users' rows, unchanged */
    tsrec__interactions tr;
    assert_int_equal(tsrec__eval_train_store(&tr, NULL, &s, &a), TSREC_OK);
    for (int64_t u = 0; u < NU; u++) {
        int64_t want = a.is_test[u] ? 0 : tsrec__interactions_user_count(&s, u);
        assert_int_equal(tsrec__interactions_user_count(&tr, u), want);
        if (want > 0)
            assert_memory_equal(tr.item + tr.user_off[u], s.item + s.user_off[u],
                                (size_t)want * sizeof(int32_t));
    }
    assert_int_equal(tr.item_off[NI], tr.n);
    /* input lengths */
    assert_int_equal(tsrec__eval_input_len(2), 1);
    assert_int_equal(tsrec__eval_input_len(10), 9);
    assert_int_equal(tsrec__eval_input_len(11), 9);
    assert_int_equal(tsrec__eval_input_len(20), 18);
    /* bad input */
    tsrec__eval_split z;
    assert_int_equal(tsrec__eval_split_users(&z, ctx, NULL, &s, 1, 0.0), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__eval_split_users(&z, ctx, NULL, &s, 1, NAN), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__eval_split_users(&z, ctx, NULL, NULL, 1, 0.1), TSREC_E_INVALID_ARG);
    assert_null(z.test_users);
    tsrec__interactions_free(&tr);
    tsrec__eval_split_free(&a);
    tsrec__eval_split_free(&b);
    tsrec__eval_split_free(&c);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
}

/* ---- full evaluation with Popularity-Count ------------------------------- */

typedef struct pop_adapter {
    tsrec_ctx *ctx;
    int exclude_seen;
    int duplicate; /* misbehave: return an item twice */
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
    (void)hist_ts;
    pop_adapter *a = user;
    int32_t ex[N];
    int64_t ne = 0;
    if (a->exclude_seen) {
        memcpy(ex, hist, (size_t)n_hist * sizeof(int32_t));
        ne = tsrec__items_sort_unique(ex, n_hist);
    }
    *out_n = tsrec__pop_recommend(model, ex, ne, k, out, NULL);
    if (a->duplicate && *out_n >= 2)
        out[1] = out[0];
    return TSREC_OK;
}

static void pop_free(void *user, void *model)
{
    pop_adapter *a = user;
    tsrec__pop_free(model);
    tsrec__free(a->ctx, model);
}

static void test_eval_popularity_vs_naive(void **state)
{
    (void)state;
    for (int excl = 0; excl <= 1; excl++) {
        tsrec_ctx *ctx = tu_ctx_new();
        tsrec__interactions s;
        make_store(&s, ctx, 2 + (uint64_t)excl);
        tsrec__eval_split sp;
        assert_int_equal(tsrec__eval_split_users(&sp, ctx, NULL, &s, 7, 0.1), TSREC_OK);
        pop_adapter ad = {ctx, excl, 0};
        tsrec__eval_recipe r = {&ad, pop_train, pop_rec, pop_free};
        tsrec__eval_metrics m;
        tsrec__eval_detail det;
        assert_int_equal(tsrec__eval_run(ctx, NULL, &s, &sp, &r, 100, &m, &det), TSREC_OK);
        assert_int_equal(m.n_test_users, sp.n_test);
        assert_int_equal(det.n_test, sp.n_test);
        /* naive: distinct (user, item) of training users from the raw rows */
        static uint8_t seen[NU][NI];
        memset(seen, 0, sizeof(seen));
        int64_t cnt[NI] = {0};
        for (int64_t k = 0; k < N; k++)
            if (!sp.is_test[du[k]] && !seen[du[k]][di[k]]) {
                seen[du[k]][di[k]] = 1;
                cnt[di[k]]++;
            }
        double sums[TSREC__EVAL_N_LIST_METRICS] = {0};
        uint8_t cov[NI] = {0};
        for (int64_t t = 0; t < sp.n_test; t++) {
            int32_t u = sp.test_users[t];
            /* the user's rows by time (raw rows, selection by timestamp) */
            int64_t rows[N], L = 0;
            for (int64_t k = 0; k < N; k++)
                if (du[k] == u)
                    rows[L++] = k;
            for (int64_t i = 1; i < L; i++)
                for (int64_t j = i; j > 0 && dt[rows[j - 1]] > dt[rows[j]]; j--) {
                    int64_t x = rows[j];
                    rows[j] = rows[j - 1];
                    rows[j - 1] = x;
                }
            int64_t n_in = (9 * L) / 10;
            if (n_in >= L)
                n_in = L - 1;
            uint8_t in_hist[NI] = {0}, is_rel[NI] = {0};
            for (int64_t k = 0; k < n_in; k++)
                in_hist[di[rows[k]]] = 1;
            int32_t rel[N];
            int64_t nr = 0;
            for (int64_t k = n_in; k < L; k++)
                if (!is_rel[di[rows[k]]]) {
                    is_rel[di[rows[k]]] = 1;
                    rel[nr++] = di[rows[k]];
                }
            /* ranking by selection: max count, then lowest code */
            int32_t recs[25];
            int64_t n = 0;
            uint8_t used[NI] = {0};
            while (n < 25) {
                int64_t best = -1;
                for (int64_t i = 0; i < NI; i++)
                    if (cnt[i] > 0 && !used[i] && !(excl && in_hist[i]) &&
                        (best < 0 || cnt[i] > cnt[best]))
                        best = i;
                if (best < 0)
                    break;
                used[best] = 1;
                recs[n++] = (int32_t)best;
                cov[best] = 1;
            }
            assert_int_equal(det.user[t], u);
            assert_int_equal(det.rec_off[t + 1] - det.rec_off[t], n);
            assert_memory_equal(det.rec + det.rec_off[t], recs, (size_t)n * sizeof(int32_t));
            double lm[TSREC__EVAL_N_LIST_METRICS];
            naive_list(recs, n, rel, nr, lm);
            for (int c = 0; c < TSREC__EVAL_N_LIST_METRICS; c++)
                sums[c] += lm[c];
        }
        int64_t nc = 0;
        for (int64_t i = 0; i < NI; i++)
            nc += cov[i];
        double nt = (double)sp.n_test;
        assert_true(fabs(m.coverage - (double)nc / 100.0) < 1e-15);
        assert_true(fabs(m.mean_reciprocal_rank_at_25 - sums[TSREC__EVAL_MRR25] / nt) < 1e-12);
        assert_true(fabs(m.normalized_discounted_cumulative_gain_at_5 -
                         sums[TSREC__EVAL_NDCG5] / nt) < 1e-12);
        assert_true(fabs(m.normalized_discounted_cumulative_gain_at_10 -
                         sums[TSREC__EVAL_NDCG10] / nt) < 1e-12);
        assert_true(fabs(m.normalized_discounted_cumulative_gain_at_25 -
                         sums[TSREC__EVAL_NDCG25] / nt) < 1e-12);
        assert_true(fabs(m.precision_at_5 - sums[TSREC__EVAL_P5] / nt) < 1e-12);
        assert_true(fabs(m.precision_at_10 - sums[TSREC__EVAL_P10] / nt) < 1e-12);
        assert_true(fabs(m.precision_at_25 - sums[TSREC__EVAL_P25] / nt) < 1e-12);
        assert_true(m.precision_at_25 > 0.0);
        tsrec__eval_detail_free(&det);
        tsrec__eval_split_free(&sp);
        tsrec__interactions_free(&s);
        tu_ctx_free_checked(ctx);
    }
}

static void test_eval_bad_recipe(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__interactions s;
    make_store(&s, ctx, 5);
    tsrec__eval_split sp;
    assert_int_equal(tsrec__eval_split_users(&sp, ctx, NULL, &s, 1, 0.1), TSREC_OK);
    pop_adapter ad = {ctx, 0, 1};
    tsrec__eval_recipe r = {&ad, pop_train, pop_rec, pop_free};
    tsrec__eval_metrics m;
    tsrec__eval_detail det;
    assert_int_equal(tsrec__eval_run(ctx, NULL, &s, &sp, &r, 0, &m, &det), TSREC_E_INVALID_ARG);
    assert_null(det.rec);
    ad.duplicate = 0;
    assert_int_equal(tsrec__eval_run(ctx, NULL, &s, &sp, &r, 5, &m, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__eval_run(ctx, NULL, &s, &sp, NULL, 0, &m, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__eval_run(ctx, NULL, &s, &sp, &r, 0, &m, NULL), TSREC_OK);
    assert_true(m.coverage > 0.0 && m.coverage <= 25.0 / NI);
    tsrec__eval_split_free(&sp);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mrr_example),
        cmocka_unit_test(test_ndcg_example),
        cmocka_unit_test(test_list_metrics_vs_naive),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_eval_popularity_vs_naive),
        cmocka_unit_test(test_eval_bad_recipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
