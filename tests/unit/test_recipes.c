/* Recipe cores: Popularity-Count against naive distinct-user counting and
 * SIMS against a naive dense co-occurrence reference (filters, window,
 * min_cointeraction_count, discount factor) on small random data; the
 * popular-item fallback, exclusion, parameter checks and thread-count
 * independence. */
#include "test_util.h"

#include <math.h>
#include <string.h>

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

static const char *const NAMES[] = {"click", "buy"};

enum { MAXN = 2000 };
typedef struct data {
    int64_t n, nu, ni;
    int32_t user[MAXN], item[MAXN], et[MAXN];
    int64_t ts[MAXN];
} data;

/* Random rows; item popularity skewed (min of two draws) so counts differ.
 * Timestamps are distinct, so time order is unambiguous. */
static void make_data(data *d, uint64_t seed, int64_t n, int64_t nu, int64_t ni)
{
    rng_seed(seed);
    d->n = n;
    d->nu = nu;
    d->ni = ni;
    for (int64_t k = 0; k < n; k++) {
        d->user[k] = (int32_t)rng_int(nu);
        int64_t a = rng_int(ni), b = rng_int(ni);
        d->item[k] = (int32_t)(a < b ? a : b);
        d->et[k] = (int32_t)rng_int(2);
        d->ts[k] = (int64_t)(rng_next() % 1000000) * 4096 + k; /* distinct */
    }
}

static void build(tsrec__interactions *s, tsrec_ctx *ctx, const data *d)
{
    tsrec__interaction_rows r = {d->n, d->user, d->item, d->ts, d->et, NULL};
    tsrec__interaction_codes c = {d->nu, d->ni, 2, NAMES};
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    assert_int_equal(tsrec__interactions_build(s, ctx, NULL, &r, &c, &o), TSREC_OK);
}

/* ---- Popularity-Count ---------------------------------------------------- */

static void naive_pop(const data *d, int32_t type, int64_t *count)
{
    static uint8_t seen[64][64];
    memset(seen, 0, sizeof(seen));
    for (int64_t i = 0; i < d->ni; i++)
        count[i] = 0;
    for (int64_t k = 0; k < d->n; k++) {
        if (type >= 0 && d->et[k] != type)
            continue;
        if (!seen[d->user[k]][d->item[k]]) {
            seen[d->user[k]][d->item[k]] = 1;
            count[d->item[k]]++;
        }
    }
}

static void test_popularity_vs_naive(void **state)
{
    (void)state;
    for (int32_t type = -1; type <= 1; type++) {
        for (uint64_t seed = 1; seed <= 5; seed++) {
            tsrec_ctx *ctx = tu_ctx_new();
            data d;
            make_data(&d, seed, 600, 40, 50);
            tsrec__interactions s;
            build(&s, ctx, &d);
            tsrec__pop_model m;
            assert_int_equal(tsrec__pop_train(&m, ctx, NULL, &s, type), TSREC_OK);
            int64_t want[64];
            naive_pop(&d, type, want);
            int64_t n_pos = 0;
            for (int64_t i = 0; i < d.ni; i++) {
                assert_int_equal(m.count[i], want[i]);
                n_pos += want[i] > 0;
            }
            assert_int_equal(m.n_ranked, n_pos);
            /* full ranking: count desc, code asc; scores = counts */
            int32_t out[64];
            double sc[64];
            int64_t w = tsrec__pop_recommend(&m, NULL, 0, 64, out, sc);
            assert_int_equal(w, n_pos);
            for (int64_t k = 0; k < w; k++) {
                assert_true(sc[k] == (double)want[out[k]]);
                if (k > 0)
                    assert_true(want[out[k - 1]] > want[out[k]] ||
                                (want[out[k - 1]] == want[out[k]] && out[k - 1] < out[k]));
            }
            /* exclusion: drop the items of user 3 */
            int32_t ex[MAXN];
            int64_t ne = 0;
            for (int64_t k = s.user_off[3]; k < s.user_off[4]; k++)
                ex[ne++] = s.item[k];
            ne = tsrec__items_sort_unique(ex, ne);
            int32_t top[10];
            int64_t nt = tsrec__pop_recommend(&m, ex, ne, 10, top, NULL);
            int64_t q = 0;
            for (int64_t k = 0; k < w && q < nt; k++) {
                int hit = 0;
                for (int64_t e = 0; e < ne; e++)
                    hit |= ex[e] == out[k];
                if (!hit)
                    assert_int_equal(top[q++], out[k]);
            }
            assert_int_equal(q, nt);
            assert_int_equal(tsrec__pop_recommend(&m, NULL, 0, 0, top, NULL), 0);
            tsrec__pop_free(&m);
            tsrec__interactions_free(&s);
            tu_ctx_free_checked(ctx);
        }
    }
}

static void test_popularity_bad_input(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    data d;
    make_data(&d, 9, 50, 5, 5);
    tsrec__interactions s;
    build(&s, ctx, &d);
    tsrec__pop_model m;
    assert_int_equal(tsrec__pop_train(&m, ctx, NULL, &s, 2), TSREC_E_OUT_OF_RANGE);
    assert_null(m.count);
    assert_int_equal(tsrec__pop_train(&m, ctx, NULL, &s, -2), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__pop_train(&m, ctx, NULL, NULL, -1), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__pop_train(NULL, ctx, NULL, &s, -1), TSREC_E_INVALID_ARG);
    tsrec__pop_free(&m);
    tsrec__pop_free(NULL);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
}

/* ---- SIMS naive reference ------------------------------------------------ */

enum { NU = 64, NI = 64 };

static double pctl(int64_t *v, int64_t n, double q)
{
    for (int64_t i = 1; i < n; i++) /* insertion sort */
        for (int64_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return tsrec__percentile_sorted(v, n, q);
}

/* Dense reference of the definition in recipes_internal.h. */
static void naive_sims(const data *d, const tsrec__sims_params *p, double score[NI][NI],
                       int64_t cooc[NI][NI])
{
    static uint8_t b0[NU][NI], b[NU][NI];
    memset(b0, 0, sizeof(b0));
    memset(b, 0, sizeof(b));
    int64_t len[NU] = {0}, v[NU > NI ? NU : NI];
    for (int64_t k = 0; k < d->n; k++)
        len[d->user[k]]++;
    int64_t nv = 0;
    for (int64_t u = 0; u < d->nu; u++)
        if (len[u] > 0)
            v[nv++] = len[u];
    double lo = pctl(v, nv, p->min_user_history_length_percentile);
    nv = 0;
    for (int64_t u = 0; u < d->nu; u++)
        if (len[u] > 0)
            v[nv++] = len[u];
    double hi = pctl(v, nv, p->max_user_history_length_percentile);
    int keep_u[NU];
    for (int64_t u = 0; u < d->nu; u++)
        keep_u[u] = len[u] > 0 && len[u] >= lo && len[u] <= hi;
    for (int64_t k = 0; k < d->n; k++)
        if (keep_u[d->user[k]])
            b0[d->user[k]][d->item[k]] = 1;
    int64_t ci[NI] = {0};
    for (int64_t u = 0; u < d->nu; u++)
        for (int64_t i = 0; i < d->ni; i++)
            ci[i] += b0[u][i];
    nv = 0;
    for (int64_t i = 0; i < d->ni; i++)
        if (ci[i] > 0)
            v[nv++] = ci[i];
    lo = pctl(v, nv, p->min_item_interaction_count_percentile);
    nv = 0;
    for (int64_t i = 0; i < d->ni; i++)
        if (ci[i] > 0)
            v[nv++] = ci[i];
    hi = pctl(v, nv, p->max_item_interaction_count_percentile);
    int keep_i[NI];
    for (int64_t i = 0; i < d->ni; i++)
        keep_i[i] = ci[i] > 0 && ci[i] >= lo && ci[i] <= hi;
    /* window: newest distinct kept items, by scanning rows by time */
    for (int64_t u = 0; u < d->nu; u++) {
        if (!keep_u[u])
            continue;
        int64_t taken = 0, prev = INT64_MAX;
        for (;;) { /* next older row of u */
            int64_t best = -1;
            for (int64_t k = 0; k < d->n; k++)
                if (d->user[k] == u && d->ts[k] < prev && (best < 0 || d->ts[k] > d->ts[best]))
                    best = k;
            if (best < 0 || (p->max_history > 0 && taken >= p->max_history))
                break;
            prev = d->ts[best];
            int32_t it = d->item[best];
            if (keep_i[it] && !b[u][it]) {
                b[u][it] = 1;
                taken++;
            }
        }
    }
    int64_t c[NI] = {0};
    for (int64_t u = 0; u < d->nu; u++)
        for (int64_t i = 0; i < d->ni; i++)
            c[i] += b[u][i];
    for (int64_t i = 0; i < d->ni; i++)
        for (int64_t j = 0; j < d->ni; j++) {
            int64_t x = 0;
            for (int64_t u = 0; u < d->nu; u++)
                x += b[u][i] && b[u][j];
            cooc[i][j] = i == j ? 0 : x;
            int64_t mc = p->min_cointeraction_count > 1 ? p->min_cointeraction_count : 1;
            double dd = p->popularity_discount_factor;
            score[i][j] = i != j && x >= mc
                              ? (double)x / (pow((double)c[i], dd) * pow((double)c[j], dd))
                              : -1.0;
        }
}

/* Check the model's neighbour lists against the reference. */
static void check_sims(const tsrec__sims_model *m, const data *d, const tsrec__sims_params *p)
{
    static double score[NI][NI];
    static int64_t cooc[NI][NI];
    naive_sims(d, p, score, cooc);
    for (int64_t i = 0; i < d->ni; i++) {
        int64_t n_valid = 0;
        for (int64_t j = 0; j < d->ni; j++)
            n_valid += score[i][j] >= 0.0;
        int64_t len = m->nb_off[i + 1] - m->nb_off[i];
        assert_int_equal(len, n_valid < p->max_neighbors ? n_valid : p->max_neighbors);
        for (int64_t k = 0; k < len; k++) {
            int32_t j = m->nb_item[m->nb_off[i] + k];
            double sj = score[i][j];
            assert_true(sj >= 0.0);
            assert_true(fabs((double)m->nb_score[m->nb_off[i] + k] - sj) <= 1e-6 * sj);
            /* every better-ranked valid item appears before: count them */
            int64_t better = 0;
            for (int64_t q = 0; q < d->ni; q++)
                if (score[i][q] >= 0.0 &&
                    (score[i][q] > sj || (score[i][q] == sj && q < j)))
                    better++;
            assert_int_equal(better, k);
        }
    }
}

static void sims_case(uint64_t seed, const tsrec__sims_params *p, int32_t threads)
{
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.n_threads = threads;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    data d;
    make_data(&d, seed, 500, 40, 40);
    tsrec__interactions s;
    build(&s, ctx, &d);
    tsrec__sims_model m;
    assert_int_equal(tsrec__sims_train(&m, ctx, NULL, &s, p), TSREC_OK);
    check_sims(&m, &d, p);
    tsrec__sims_free(&m);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
}

static void test_sims_vs_naive_plain(void **state)
{
    (void)state;
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    p.min_user_history_length_percentile = 0.0;
    p.max_user_history_length_percentile = 1.0;
    p.min_item_interaction_count_percentile = 0.0;
    p.max_item_interaction_count_percentile = 1.0;
    p.max_history = 0;
    const int32_t mcs[] = {0, 1, 3, 6};
    const double ds[] = {0.0, 0.5, 1.0, 0.3};
    for (int c = 0; c < 4; c++) {
        p.min_cointeraction_count = mcs[c];
        p.popularity_discount_factor = ds[c];
        p.max_neighbors = c == 2 ? 5 : 500;
        sims_case(100 + (uint64_t)c, &p, 1);
    }
}

static void test_sims_vs_naive_filters_window(void **state)
{
    (void)state;
    tsrec__sims_params p;
    tsrec__sims_params_init(&p); /* AWS default percentiles */
    p.max_history = 6;
    sims_case(7, &p, 1);
    p.min_user_history_length_percentile = 0.2;
    p.max_user_history_length_percentile = 0.7;
    p.min_item_interaction_count_percentile = 0.3;
    p.max_item_interaction_count_percentile = 0.8;
    p.max_history = 4;
    p.min_cointeraction_count = 1;
    sims_case(8, &p, 1);
    p.max_history = 0;
    sims_case(9, &p, 3); /* with a pool */
}

/* The same model for 1 and 4 threads, bit for bit. */
static void test_sims_thread_independent(void **state)
{
    (void)state;
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    p.min_cointeraction_count = 1;
    data d;
    make_data(&d, 55, 1500, 60, 60);
    tsrec__sims_model m[2];
    tsrec_ctx *ctx[2];
    tsrec__interactions s[2];
    for (int t = 0; t < 2; t++) {
        tsrec_ctx_options o;
        tsrec_ctx_options_init(&o);
        o.n_threads = t == 0 ? 1 : 4;
        assert_int_equal(tsrec_ctx_new(&o, &ctx[t]), TSREC_OK);
        build(&s[t], ctx[t], &d);
        assert_int_equal(tsrec__sims_train(&m[t], ctx[t], NULL, &s[t], &p), TSREC_OK);
    }
    int64_t e = m[0].nb_off[d.ni];
    assert_true(e > 100);
    assert_memory_equal(m[0].nb_off, m[1].nb_off, (size_t)(d.ni + 1) * sizeof(int64_t));
    assert_memory_equal(m[0].nb_item, m[1].nb_item, (size_t)e * sizeof(int32_t));
    assert_memory_equal(m[0].nb_score, m[1].nb_score, (size_t)e * sizeof(float));
    for (int t = 0; t < 2; t++) {
        tsrec__sims_free(&m[t]);
        tsrec__interactions_free(&s[t]);
        tu_ctx_free_checked(ctx[t]);
    }
}

/* Hand-made: item 0 co-occurs with 3 users of the popular item 1 (30
 * users) and with the 2 users of the niche item 2. d = 0 ranks 1 first,
 * d = 1 ranks 2 first; min_cointeraction_count 3 leaves only item 1. */
static void test_sims_discount_and_min_count(void **state)
{
    (void)state;
    data d;
    memset(&d, 0, sizeof(d));
    d.nu = 40;
    d.ni = 3;
    int64_t n = 0;
    for (int32_t u = 0; u < 30; u++)
        d.user[n] = u, d.item[n] = 1, d.ts[n] = n, n++;
    for (int32_t u = 0; u < 3; u++)
        d.user[n] = u, d.item[n] = 0, d.ts[n] = n, n++;
    for (int32_t u = 30; u < 32; u++) {
        d.user[n] = u, d.item[n] = 0, d.ts[n] = n, n++;
        d.user[n] = u, d.item[n] = 2, d.ts[n] = n, n++;
    }
    d.n = n;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__interactions s;
    build(&s, ctx, &d);
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    p.min_user_history_length_percentile = 0.0;
    p.max_user_history_length_percentile = 1.0;
    p.min_item_interaction_count_percentile = 0.0;
    p.max_item_interaction_count_percentile = 1.0;
    p.min_cointeraction_count = 0;
    int32_t out[3];
    double sc[3];
    int64_t n_sim;
    const double ds[2] = {0.0, 1.0};
    const int32_t first[2] = {1, 2};
    for (int c = 0; c < 2; c++) {
        p.popularity_discount_factor = ds[c];
        tsrec__sims_model m;
        assert_int_equal(tsrec__sims_train(&m, ctx, NULL, &s, &p), TSREC_OK);
        assert_int_equal(tsrec__sims_recommend(&m, 0, NULL, 0, 3, out, sc, &n_sim), 2);
        assert_int_equal(n_sim, 2);
        assert_int_equal(out[0], first[c]);
        if (c == 0)
            assert_true(sc[0] == 3.0 && sc[1] == 2.0);
        else /* 3/(5*30) vs 2/(5*2) */
            assert_true(fabs(sc[0] - 0.2) < 1e-7 && fabs(sc[1] - 0.02) < 1e-7);
        tsrec__sims_free(&m);
    }
    p.popularity_discount_factor = 1.0;
    p.min_cointeraction_count = 3;
    tsrec__sims_model m;
    assert_int_equal(tsrec__sims_train(&m, ctx, NULL, &s, &p), TSREC_OK);
    assert_int_equal(m.nb_off[1] - m.nb_off[0], 1);
    assert_int_equal(m.nb_item[0], 1);
    /* item 2 has no neighbour with 3 co-users: popularity fallback,
     * 1 (30 users) then 0 (5 users), never 2 itself */
    assert_int_equal(tsrec__sims_recommend(&m, 2, NULL, 0, 3, out, sc, &n_sim), 2);
    assert_int_equal(n_sim, 0);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 0);
    assert_true(sc[0] == 0.0);
    /* item 0: neighbour 1, then padding with 2 (0 is the query) */
    assert_int_equal(tsrec__sims_recommend(&m, 0, NULL, 0, 3, out, NULL, &n_sim), 2);
    assert_int_equal(n_sim, 1);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 2);
    /* unknown items: popular items */
    assert_int_equal(tsrec__sims_recommend(&m, -1, NULL, 0, 3, out, NULL, &n_sim), 3);
    assert_int_equal(n_sim, 0);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 0);
    assert_int_equal(out[2], 2);
    assert_int_equal(tsrec__sims_recommend(&m, 99, NULL, 0, 1, out, NULL, NULL), 1);
    /* exclusion of a user's items applies to neighbours and padding */
    int32_t ex[1] = {1};
    assert_int_equal(tsrec__sims_recommend(&m, 0, ex, 1, 3, out, NULL, &n_sim), 1);
    assert_int_equal(n_sim, 0);
    assert_int_equal(out[0], 2);
    tsrec__sims_free(&m);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
}

static void test_sims_params(void **state)
{
    (void)state;
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    assert_true(p.popularity_discount_factor == 0.5 && p.min_cointeraction_count == 3);
    assert_int_equal(tsrec__sims_params_check(&p, NULL), TSREC_OK);
    tsrec__sims_params q = p;
    q.popularity_discount_factor = NAN;
    assert_int_equal(tsrec__sims_params_check(&q, NULL), TSREC_E_OUT_OF_RANGE);
    q = p;
    q.popularity_discount_factor = 1.5;
    assert_int_equal(tsrec__sims_params_check(&q, NULL), TSREC_E_OUT_OF_RANGE);
    q = p;
    q.min_cointeraction_count = 11;
    assert_int_equal(tsrec__sims_params_check(&q, NULL), TSREC_E_OUT_OF_RANGE);
    q = p;
    q.min_cointeraction_count = -1;
    assert_int_equal(tsrec__sims_params_check(&q, NULL), TSREC_E_OUT_OF_RANGE);
    q = p;
    q.min_user_history_length_percentile = 0.9;
    q.max_user_history_length_percentile = 0.5;
    assert_int_equal(tsrec__sims_params_check(&q, NULL), TSREC_E_OUT_OF_RANGE);
    q = p;
    q.max_neighbors = 0;
    assert_int_equal(tsrec__sims_params_check(&q, NULL), TSREC_E_OUT_OF_RANGE);
    q = p;
    q.max_history = -1;
    assert_int_equal(tsrec__sims_params_check(&q, NULL), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__sims_params_check(NULL, NULL), TSREC_E_INVALID_ARG);
    /* train refuses bad params and leaves a zeroed model */
    tsrec_ctx *ctx = tu_ctx_new();
    data d;
    make_data(&d, 3, 30, 5, 5);
    tsrec__interactions s;
    build(&s, ctx, &d);
    tsrec__sims_model m;
    q = p;
    q.max_item_interaction_count_percentile = -0.1;
    assert_int_equal(tsrec__sims_train(&m, ctx, NULL, &s, &q), TSREC_E_OUT_OF_RANGE);
    assert_null(m.nb_off);
    assert_int_equal(tsrec__sims_train(&m, ctx, NULL, NULL, &p), TSREC_E_INVALID_ARG);
    tsrec__sims_free(&m);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
    /* percentile helper: numpy linear interpolation */
    int64_t v[4] = {1, 2, 4, 10};
    assert_true(tsrec__percentile_sorted(v, 4, 0.0) == 1.0);
    assert_true(tsrec__percentile_sorted(v, 4, 1.0) == 10.0);
    assert_true(fabs(tsrec__percentile_sorted(v, 4, 0.5) - 3.0) < 1e-12);
    assert_true(fabs(tsrec__percentile_sorted(v, 4, 0.9) - 8.2) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_popularity_vs_naive),
        cmocka_unit_test(test_popularity_bad_input),
        cmocka_unit_test(test_sims_vs_naive_plain),
        cmocka_unit_test(test_sims_vs_naive_filters_window),
        cmocka_unit_test(test_sims_thread_independent),
        cmocka_unit_test(test_sims_discount_and_min_count),
        cmocka_unit_test(test_sims_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
