/* Personalize recipes on MovieLens-100k: offline metrics with the
 * Personalize split (src/personalize/eval_internal.h) for Popularity-Count
 * and SIMS, and GetRecommendations latency of the recipe cores.
 *
 * usage: bench_personalize <u.data> <out_dir> [seed]
 * Writes to out_dir, for bench/personalize_metrics_ref.py:
 *   split.txt            test user ids, one per line
 *   recs_<recipe>.txt    "user_id item_id ..." per test user (rank order)
 *   metrics_<recipe>.txt "name value" lines (%.17g)
 * Codes: user code = user id - 1, item code = item id - 1 (ml-100k ids are
 * dense from 1), so code order is id order for tie-breaking.
 * Recipes evaluated:
 *   popularity       Popularity-Count, the user's input items excluded
 *   popularity_same  Popularity-Count, one list for all users (AWS docs)
 *   sims             SIMS (AWS defaults) queried with the user's newest
 *                    input item, the user's input items excluded */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eval_internal.h"
#include "interactions_internal.h"
#include "recipes_internal.h"

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct adapter {
    tsrec_ctx *ctx;
    int kind; /* 0 popularity, 1 popularity_same, 2 sims */
    tsrec__sims_params sp;
} adapter;

static int a_train(void *user, const tsrec__interactions *train, tsrec__handle *eh, void **model)
{
    adapter *a = user;
    if (a->kind < 2) {
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
    tsrec__sims_model *m = tsrec__alloc(a->ctx, sizeof(*m));
    if (m == NULL)
        return TSREC_E_NOMEM;
    int rc = tsrec__sims_train(m, a->ctx, eh, train, &a->sp);
    if (rc != TSREC_OK) {
        tsrec__free(a->ctx, m);
        return rc;
    }
    *model = m;
    return TSREC_OK;
}

static int a_rec(void *user, void *model, const int32_t *hist, const int64_t *hist_ts,
                 int64_t n_hist, int64_t k, int32_t *out, int64_t *out_n)
{
    (void)hist_ts;
    adapter *a = user;
    static int32_t ex[4096];
    int64_t ne = 0;
    if (a->kind != 1) {
        ne = n_hist < 4096 ? n_hist : 4096;
        memcpy(ex, hist + (n_hist - ne), (size_t)ne * sizeof(int32_t));
        ne = tsrec__items_sort_unique(ex, ne);
    }
    if (a->kind < 2)
        *out_n = tsrec__pop_recommend(model, ex, ne, k, out, NULL);
    else
        *out_n = tsrec__sims_recommend(model, hist[n_hist - 1], ex, ne, k, out, NULL, NULL);
    return TSREC_OK;
}

static void a_free(void *user, void *model)
{
    adapter *a = user;
    if (a->kind < 2)
        tsrec__pop_free(model);
    else
        tsrec__sims_free(model);
    tsrec__free(a->ctx, model);
}

static const char *const RECIPE[3] = {"popularity", "popularity_same", "sims"};

static int write_outputs(const char *dir, int kind, const tsrec__eval_detail *d,
                         const tsrec__eval_metrics *m)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/recs_%s.txt", dir, RECIPE[kind]);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    for (int64_t t = 0; t < d->n_test; t++) {
        fprintf(f, "%" PRId32, d->user[t] + 1);
        for (int64_t k = d->rec_off[t]; k < d->rec_off[t + 1]; k++)
            fprintf(f, " %" PRId32, d->rec[k] + 1);
        fprintf(f, "\n");
    }
    fclose(f);
    snprintf(path, sizeof(path), "%s/metrics_%s.txt", dir, RECIPE[kind]);
    f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "coverage %.17g\n", m->coverage);
    fprintf(f, "mean_reciprocal_rank_at_25 %.17g\n", m->mean_reciprocal_rank_at_25);
    fprintf(f, "normalized_discounted_cumulative_gain_at_5 %.17g\n",
            m->normalized_discounted_cumulative_gain_at_5);
    fprintf(f, "normalized_discounted_cumulative_gain_at_10 %.17g\n",
            m->normalized_discounted_cumulative_gain_at_10);
    fprintf(f, "normalized_discounted_cumulative_gain_at_25 %.17g\n",
            m->normalized_discounted_cumulative_gain_at_25);
    fprintf(f, "precision_at_5 %.17g\n", m->precision_at_5);
    fprintf(f, "precision_at_10 %.17g\n", m->precision_at_10);
    fprintf(f, "precision_at_25 %.17g\n", m->precision_at_25);
    fclose(f);
    return 0;
}

/* p50 / p99 of n timings (sorted in place). */
static void pct(double *t, int64_t n, double *p50, double *p99)
{
    qsort(t, (size_t)n, sizeof(double), cmp_dbl);
    *p50 = t[(n - 1) / 2];
    *p99 = t[(int64_t)((double)(n - 1) * 0.99)];
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s <u.data> <out_dir> [seed]\n", argv[0]);
        return 2;
    }
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    enum { MAXR = 200000 };
    static int32_t uu[MAXR], ii[MAXR];
    static int64_t tt[MAXR];
    int64_t n = 0, nu = 0, ni = 0;
    long a, b, r, t;
    while (n < MAXR && fscanf(f, "%ld %ld %ld %ld", &a, &b, &r, &t) == 4) {
        uu[n] = (int32_t)(a - 1);
        ii[n] = (int32_t)(b - 1);
        tt[n] = t;
        nu = a > nu ? a : nu;
        ni = b > ni ? b : ni;
        n++;
    }
    fclose(f);
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK)
        return 1;
    tsrec__interaction_rows rows = {n, uu, ii, tt, NULL, NULL};
    tsrec__interaction_codes codes = {nu, ni, 0, NULL};
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    tsrec__interactions s;
    if (tsrec__interactions_build(&s, ctx, NULL, &rows, &codes, &o) != TSREC_OK) {
        fprintf(stderr, "build: %s\n", tsrec_last_error());
        return 1;
    }
    printf("ml-100k: %" PRId64 " interactions, %" PRId64 " users, %" PRId64 " items, seed %" PRIu64
           "\n", s.n, nu, ni, seed);
    tsrec__eval_split sp;
    if (tsrec__eval_split_users(&sp, ctx, NULL, &s, seed, 0.1) != TSREC_OK)
        return 1;
    char path[4096];
    snprintf(path, sizeof(path), "%s/split.txt", argv[2]);
    f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    for (int64_t k = 0; k < sp.n_test; k++)
        fprintf(f, "%" PRId32 "\n", sp.test_users[k] + 1);
    fclose(f);
    printf("%-16s %8s %8s %8s %8s %8s %8s %8s %8s\n", "recipe", "cov", "mrr@25", "ndcg@5",
           "ndcg@10", "ndcg@25", "p@5", "p@10", "p@25");
    double ndcg10[3];
    for (int kind = 0; kind < 3; kind++) {
        adapter ad;
        memset(&ad, 0, sizeof ad);
        ad.ctx = ctx;
        ad.kind = kind;
        tsrec__sims_params_init(&ad.sp);
        tsrec__eval_recipe rc = {&ad, a_train, a_rec, a_free};
        tsrec__eval_metrics m;
        tsrec__eval_detail d;
        if (tsrec__eval_run(ctx, NULL, &s, &sp, &rc, 0, &m, &d) != TSREC_OK) {
            fprintf(stderr, "eval: %s\n", tsrec_last_error());
            return 1;
        }
        printf("%-16s %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f\n", RECIPE[kind], m.coverage,
               m.mean_reciprocal_rank_at_25, m.normalized_discounted_cumulative_gain_at_5,
               m.normalized_discounted_cumulative_gain_at_10,
               m.normalized_discounted_cumulative_gain_at_25, m.precision_at_5,
               m.precision_at_10, m.precision_at_25);
        ndcg10[kind] = m.normalized_discounted_cumulative_gain_at_10;
        if (write_outputs(argv[2], kind, &d, &m) != 0) {
            perror("write");
            return 1;
        }
        tsrec__eval_detail_free(&d);
    }
    /* Latency on models trained on all data: popularity per user with the
     * user's items excluded (sorted list precomputed, as a campaign holds
     * it), SIMS per item. 25 results, 20 rounds over all users / items. */
    tsrec__pop_model pm;
    tsrec__sims_model sm;
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    double t0 = now_us();
    if (tsrec__pop_train(&pm, ctx, NULL, &s, -1) != TSREC_OK)
        return 1;
    double t1 = now_us();
    if (tsrec__sims_train(&sm, ctx, NULL, &s, &p) != TSREC_OK)
        return 1;
    double t2 = now_us();
    printf("train: popularity %.1f ms, sims %.1f ms (%" PRId64 " neighbour entries)\n",
           (t1 - t0) / 1e3, (t2 - t1) / 1e3, sm.nb_off[sm.n_items]);
    int32_t *excl = malloc((size_t)s.n * sizeof(int32_t));
    int64_t *eoff = calloc((size_t)nu + 1, sizeof(int64_t));
    for (int64_t u = 0; u < nu; u++) {
        int64_t c = tsrec__interactions_user_count(&s, u);
        memcpy(excl + eoff[u], s.item + s.user_off[u], (size_t)c * sizeof(int32_t));
        eoff[u + 1] = eoff[u] + tsrec__items_sort_unique(excl + eoff[u], c);
    }
    enum { ROUNDS = 20 };
    int64_t nq = (nu > ni ? nu : ni) * ROUNDS;
    double *lat = malloc((size_t)nq * sizeof(double));
    int32_t out[25];
    double sc[25];
    double sink = 0;
    for (int kind = 0; kind < 2; kind++) {
        int64_t q = 0, span = kind == 0 ? nu : ni;
        for (int rd = 0; rd < ROUNDS; rd++)
            for (int64_t x = 0; x < span; x++) {
                double a0 = now_us();
                int64_t w = kind == 0 ? tsrec__pop_recommend(&pm, excl + eoff[x], eoff[x + 1] - eoff[x],
                                                             25, out, sc)
                                      : tsrec__sims_recommend(&sm, x, NULL, 0, 25, out, sc, NULL);
                lat[q++] = now_us() - a0;
                sink += (double)w + sc[0];
            }
        double p50, p99;
        pct(lat, q, &p50, &p99);
        printf("bench: personalize recipe=%s ndcg_at_10=%.4f p50_us=%.2f p99_us=%.2f\n",
               kind == 0 ? "popularity" : "sims", kind == 0 ? ndcg10[0] : ndcg10[2], p50, p99);
    }
    if (sink < 0)
        printf("%g\n", sink);
    free(lat);
    free(excl);
    free(eoff);
    tsrec__pop_free(&pm);
    tsrec__sims_free(&sm);
    tsrec__eval_split_free(&sp);
    tsrec__interactions_free(&s);
    tsrec_ctx_free(ctx);
    return 0;
}
