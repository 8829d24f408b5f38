/* SIMS training paths (sims_matrix.c, sims_pairs.c): the pair-once fast
 * path and the full-row fallback (forced with a small pair budget) must
 * both equal a naive dense reference written from the definition in
 * recipes_internal.h, bit for bit (items, float32 scores, tie order), for
 * any thread count. Covers long histories (the Shell-sort branch of the
 * per-user sort), history lengths above the item count (the qsort branch
 * of the percentile sort), windows (capped users), min counts 0 / 1 / 3,
 * the discount extremes, stores whose postings are not sorted by user (the
 * row route of sims_matrix.c) and the partial sort of sims_topk.c. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "interactions_internal.h"
#include "recipes_internal.h"
#include "sims_internal.h"

static uint64_t rng_state;
static void rng_seed(uint64_t s)
{
    rng_state = s * 0x9E3779B97F4A7C15ULL + 12345u;
}
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int64_t rng_int(int64_t n)
{
    return (int64_t)(rng_next() % (uint64_t)n);
}

enum { MAXN = 6000, MAXI = 320 };
typedef struct data {
    int64_t n, nu, ni;
    int32_t user[MAXN], item[MAXN];
    int64_t ts[MAXN];
} data;

/* Random rows, item popularity skewed (min of two draws); `heavy` users
 * (the first ones) get `heavy_len` rows each. Timestamps are the row
 * index, so the newest row of a user is its last. */
static void make_data(data *d, uint64_t seed, int64_t n, int64_t nu, int64_t ni, int64_t heavy,
                      int64_t heavy_len)
{
    rng_seed(seed);
    d->n = n;
    d->nu = nu;
    d->ni = ni;
    for (int64_t k = 0; k < n; k++) {
        int64_t u = k < heavy * heavy_len ? k / heavy_len : rng_int(nu);
        int64_t a = rng_int(ni), b = rng_int(ni);
        d->user[k] = (int32_t)u;
        d->item[k] = (int32_t)(a < b ? a : b);
        d->ts[k] = 1000 + k;
    }
}

static void build(tsrec__interactions *s, tsrec_ctx *ctx, const data *d)
{
    tsrec__interaction_rows r = {d->n, d->user, d->item, d->ts, NULL, NULL};
    tsrec__interaction_codes c = {d->nu, d->ni, 0, NULL};
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    assert_int_equal(tsrec__interactions_build(s, ctx, NULL, &r, &c, &o), TSREC_OK);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Percentile bounds of the positive values, as in the definition. */
static void bounds(const int64_t *v, int64_t n, double qlo, double qhi, double *lo, double *hi)
{
    static int64_t tmp[MAXN];
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
        if (v[i] > 0)
            tmp[k++] = v[i];
    *lo = 1.0;
    *hi = 0.0;
    if (k == 0)
        return;
    qsort(tmp, (size_t)k, sizeof(int64_t), cmp_i64);
    *lo = tsrec__percentile_sorted(tmp, k, qlo);
    *hi = tsrec__percentile_sorted(tmp, k, qhi);
}

typedef struct ref_cand {
    double score;
    int32_t item;
} ref_cand;

static int cmp_ref(const void *a, const void *b)
{
    const ref_cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->item > y->item) - (x->item < y->item);
}

/* Naive SIMS from the definition on the store: dense B and B'B. */
static void check_naive(const tsrec__sims_model *m, const tsrec__interactions *s,
                        const tsrec__sims_params *p)
{
    static uint8_t B[MAXN][MAXI];
    static int32_t C[MAXI][MAXI];
    static int64_t ulen[MAXN], ci[MAXI];
    static uint8_t keep_u[MAXN], keep_i[MAXI];
    static ref_cand cands[MAXI];
    int64_t nu = s->n_users, ni = s->n_items;
    assert_true(nu <= MAXN && ni <= MAXI);
    double lo, hi;
    for (int64_t u = 0; u < nu; u++)
        ulen[u] = s->user_off[u + 1] - s->user_off[u];
    bounds(ulen, nu, p->min_user_history_length_percentile,
           p->max_user_history_length_percentile, &lo, &hi);
    for (int64_t u = 0; u < nu; u++)
        keep_u[u] = ulen[u] > 0 && (double)ulen[u] >= lo && (double)ulen[u] <= hi;
    memset(B, 0, sizeof(B));
    memset(ci, 0, sizeof(ci));
    for (int64_t u = 0; u < nu; u++)
        for (int64_t k = s->user_off[u]; k < s->user_off[u + 1] && keep_u[u]; k++)
            B[u][s->item[k]] = 1;
    for (int64_t u = 0; u < nu; u++)
        for (int64_t i = 0; i < ni; i++)
            ci[i] += B[u][i];
    bounds(ci, ni, p->min_item_interaction_count_percentile,
           p->max_item_interaction_count_percentile, &lo, &hi);
    for (int64_t i = 0; i < ni; i++)
        keep_i[i] = ci[i] > 0 && (double)ci[i] >= lo && (double)ci[i] <= hi;
    /* window, newest first (the store keeps each user's rows in time order) */
    memset(B, 0, sizeof(B));
    for (int64_t u = 0; u < nu; u++) {
        int64_t taken = 0;
        for (int64_t k = s->user_off[u + 1] - 1; k >= s->user_off[u] && keep_u[u]; k--) {
            int32_t it = s->item[k];
            if (p->max_history > 0 && taken >= p->max_history)
                break;
            if (keep_i[it] && !B[u][it]) {
                B[u][it] = 1;
                taken++;
            }
        }
    }
    memset(ci, 0, sizeof(ci));
    memset(C, 0, sizeof(C));
    for (int64_t u = 0; u < nu; u++)
        for (int64_t i = 0; i < ni; i++) {
            if (!B[u][i])
                continue;
            ci[i]++;
            for (int64_t j = 0; j < ni; j++)
                C[i][j] += B[u][j] && j != i;
        }
    int32_t min_co = p->min_cointeraction_count > 1 ? p->min_cointeraction_count : 1;
    int64_t e = 0;
    for (int64_t i = 0; i < ni; i++) {
        int64_t nc = 0;
        double pi = ci[i] > 0 ? pow((double)ci[i], p->popularity_discount_factor) : 1.0;
        for (int64_t j = 0; j < ni; j++) {
            if (C[i][j] < min_co)
                continue;
            double pj = pow((double)ci[j], p->popularity_discount_factor);
            cands[nc].score = (double)C[i][j] / (pi * pj);
            cands[nc].item = (int32_t)j;
            nc++;
        }
        qsort(cands, (size_t)nc, sizeof(ref_cand), cmp_ref);
        int64_t keep = nc < p->max_neighbors ? nc : p->max_neighbors;
        assert_int_equal(m->nb_off[i], e);
        assert_int_equal(m->nb_off[i + 1] - m->nb_off[i], keep);
        for (int64_t k = 0; k < keep; k++) {
            assert_int_equal(m->nb_item[e + k], cands[k].item);
            float want = (float)cands[k].score;
            assert_memory_equal(&m->nb_score[e + k], &want, sizeof(float));
        }
        e += keep;
    }
}

static void assert_same_model(const tsrec__sims_model *a, const tsrec__sims_model *b)
{
    assert_int_equal(a->n_items, b->n_items);
    assert_int_equal(a->n_users_kept, b->n_users_kept);
    assert_int_equal(a->n_items_kept, b->n_items_kept);
    assert_memory_equal(a->nb_off, b->nb_off, (size_t)(a->n_items + 1) * sizeof(int64_t));
    int64_t e = a->nb_off[a->n_items];
    if (e > 0) {
        assert_memory_equal(a->nb_item, b->nb_item, (size_t)e * sizeof(int32_t));
        assert_memory_equal(a->nb_score, b->nb_score, (size_t)e * sizeof(float));
    }
}

/* Train with every budget (default, 0 = fallback at once, small ones =
 * fallback part way) and 1 and 3 threads; all must equal the naive
 * reference. Returns the number of neighbour entries. */
static int64_t all_paths_ex(const data *d, const tsrec__sims_params *p, int unsorted_postings)
{
    static const int64_t budgets[] = {-1, 0, 1, 7, 40};
    int64_t entries = -1;
    for (int32_t threads = 1; threads <= 3; threads += 2) {
        tsrec_ctx *ctx = tu_ctx_new();
        assert_int_equal(tsrec_ctx_set_threads(ctx, threads), TSREC_OK);
        tsrec__interactions s;
        build(&s, ctx, d);
        if (unsorted_postings) /* reverse each item's users: the row route */
            for (int64_t i = 0; i < s.n_items; i++)
                for (int64_t a = s.item_off[i], z = s.item_off[i + 1] - 1; a < z; a++, z--) {
                    int32_t t = s.post_user[a];
                    s.post_user[a] = s.post_user[z];
                    s.post_user[z] = t;
                }
        tsrec__sims_model first;
        assert_int_equal(tsrec__sims_train_budget(&first, ctx, NULL, &s, p, -1), TSREC_OK);
        check_naive(&first, &s, p);
        entries = first.nb_off[first.n_items];
        for (size_t k = 1; k < sizeof(budgets) / sizeof(budgets[0]); k++) {
            tsrec__sims_model m;
            assert_int_equal(tsrec__sims_train_budget(&m, ctx, NULL, &s, p, budgets[k]),
                             TSREC_OK);
            assert_same_model(&m, &first);
            tsrec__sims_free(&m);
        }
        tsrec__sims_free(&first);
        tsrec__interactions_free(&s);
        tu_ctx_free_checked(ctx);
    }
    return entries;
}

static int64_t all_paths(const data *d, const tsrec__sims_params *p)
{
    return all_paths_ex(d, p, 0);
}

static void no_filters(tsrec__sims_params *p)
{
    tsrec__sims_params_init(p);
    p->min_user_history_length_percentile = 0.0;
    p->max_user_history_length_percentile = 1.0;
    p->min_item_interaction_count_percentile = 0.0;
    p->max_item_interaction_count_percentile = 1.0;
}

static void test_paths_vs_naive(void **state)
{
    (void)state;
    static data d;
    static const double disc[] = {0.0, 0.5, 1.0};
    static const int32_t minc[] = {0, 1, 3};
    for (int c = 0; c < 9; c++) {
        make_data(&d, 10 + (uint64_t)c, 900, 60, 40, 0, 0);
        tsrec__sims_params p;
        no_filters(&p);
        p.popularity_discount_factor = disc[c % 3];
        p.min_cointeraction_count = minc[c / 3];
        p.max_neighbors = c % 2 ? 5 : 500;
        assert_true(all_paths(&d, &p) > 0);
    }
}

static void test_filters_and_window(void **state)
{
    (void)state;
    static data d;
    make_data(&d, 21, 2500, 120, 80, 0, 0);
    tsrec__sims_params p;
    tsrec__sims_params_init(&p); /* AWS default percentiles */
    assert_true(all_paths(&d, &p) > 0);
    p.max_history = 4; /* window shorter than most histories */
    p.min_cointeraction_count = 1;
    assert_true(all_paths(&d, &p) > 0);
    no_filters(&p);
    p.max_history = 1; /* single-item windows: no pairs at all */
    assert_int_equal(all_paths(&d, &p), 0);
}

/* Postings not sorted by user (not the store's layout, but not trusted
 * either): the matrix is built from the rows instead, same result. */
static void test_unsorted_postings(void **state)
{
    (void)state;
    static data d;
    make_data(&d, 61, 3000, 150, 90, 10, 120);
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    int64_t e = all_paths_ex(&d, &p, 1);
    assert_true(e > 0);
    assert_int_equal(all_paths_ex(&d, &p, 0), e);
    no_filters(&p);
    p.max_history = 20;
    p.min_cointeraction_count = 2;
    assert_true(all_paths_ex(&d, &p, 1) > 0);
}

/* tsrec__sims_best_k against qsort of the whole array, with many tied
 * scores (ties go by item code), every k. */
static int cmp_sims_cand(const void *a, const void *b)
{
    const tsrec__sims_cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->item > y->item) - (x->item < y->item);
}

static void test_best_k(void **state)
{
    (void)state;
    static tsrec__sims_cand a[700], b[700];
    rng_seed(71);
    for (int rep = 0; rep < 120; rep++) {
        int64_t n = rep < 40 ? rep : 1 + rng_int(700);
        int64_t levels = 1 + rng_int(rep % 3 == 0 ? 3 : 50);
        for (int64_t k = 0; k < n; k++) {
            a[k].score = (double)rng_int(levels) / 7.0;
            a[k].item = (int32_t)k;
        }
        for (int64_t k = n - 1; k > 0; k--) { /* shuffle the items */
            int64_t q = rng_int(k + 1);
            tsrec__sims_cand t = a[k];
            a[k] = a[q];
            a[q] = t;
        }
        if (rep % 5 == 1) /* already in order, and reversed */
            qsort(a, (size_t)n, sizeof(a[0]), cmp_sims_cand);
        if (rep % 5 == 2)
            for (int64_t k = 0; k < n / 2; k++) {
                tsrec__sims_cand t = a[k];
                a[k] = a[n - 1 - k];
                a[n - 1 - k] = t;
            }
        memcpy(b, a, (size_t)n * sizeof(a[0]));
        qsort(b, (size_t)n, sizeof(b[0]), cmp_sims_cand);
        int64_t ks[] = {0, 1, 5, n / 3, n - 1, n, n + 4, 500};
        for (size_t q = 0; q < sizeof(ks) / sizeof(ks[0]); q++) {
            static tsrec__sims_cand c[700];
            memcpy(c, a, (size_t)n * sizeof(a[0]));
            tsrec__sims_best_k(c, n, ks[q]);
            int64_t m = ks[q] < n ? ks[q] : n;
            for (int64_t k = 0; k < m; k++) {
                assert_int_equal(c[k].item, b[k].item);
                assert_true(c[k].score == b[k].score);
            }
        }
    }
}

static void test_long_histories(void **state)
{
    (void)state;
    static data d;
    /* 12 users with 400 rows over 300 items: windows of 100+ distinct
     * items take the Shell-sort branch of the per-user sort */
    make_data(&d, 31, 5800, 200, 300, 12, 400);
    tsrec__sims_params p;
    no_filters(&p);
    p.min_cointeraction_count = 2;
    assert_true(all_paths(&d, &p) > 0);
    p.max_history = 150;
    p.popularity_discount_factor = 1.0;
    assert_true(all_paths(&d, &p) > 0);
}

static void test_lengths_above_item_count(void **state)
{
    (void)state;
    static data d;
    /* 10 items, users with 30 rows: history lengths exceed the item
     * count, so the percentile sort takes its qsort branch */
    make_data(&d, 41, 1500, 50, 10, 30, 30);
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    p.min_user_history_length_percentile = 0.1;
    p.min_item_interaction_count_percentile = 0.2;
    assert_true(all_paths(&d, &p) > 0);
}

static void test_sparse_and_empty(void **state)
{
    (void)state;
    static data d;
    /* one row per user: no pairs; items never seen */
    make_data(&d, 51, 40, 40, 300, 40, 1);
    tsrec__sims_params p;
    no_filters(&p);
    p.min_cointeraction_count = 0;
    assert_int_equal(all_paths(&d, &p), 0);
    /* every user filtered out: lengths 1 and 2, and the user bounds both
     * the median 1.5, which no length equals */
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__interactions s;
    make_data(&d, 52, 3, 2, 300, 3, 1);
    d.user[2] = 1;
    build(&s, ctx, &d);
    p.min_user_history_length_percentile = 0.5;
    p.max_user_history_length_percentile = 0.5;
    tsrec__sims_model m;
    assert_int_equal(tsrec__sims_train_budget(&m, ctx, NULL, &s, &p, 0), TSREC_OK);
    assert_int_equal(m.nb_off[m.n_items], 0);
    assert_int_equal(m.n_users_kept, 0);
    assert_int_equal(m.n_items_kept, 0);
    tsrec__sims_free(&m);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_vs_naive),
        cmocka_unit_test(test_filters_and_window),
        cmocka_unit_test(test_long_histories),
        cmocka_unit_test(test_lengths_above_item_count),
        cmocka_unit_test(test_sparse_and_empty),
        cmocka_unit_test(test_unsorted_postings),
        cmocka_unit_test(test_best_k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
