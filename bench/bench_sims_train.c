/* SIMS training speed (the recipe core, src/personalize/recipes/sims.c)
 * on generated interactions, for the comparison with the numpy/scipy
 * sparse implementation of the same definition in bench/sims_ref.py.
 *
 * usage: bench_sims_train <out_dir> [n_users n_items n_interactions [threads [reps]]]
 *   defaults 200000 users, 50000 items, 10000000 interactions, 1 thread,
 *   best of 3 repetitions.
 * Writes to out_dir:
 *   data.bin        header int64 n, n_users, n_items; then int32 user[n],
 *                   int32 item[n], int64 ts[n] (the rows, in input order)
 *   nb.bin          int64 n_items; int64 nb_off[n_items + 1];
 *                   int32 nb_item[e]; float nb_score[e] (the model)
 *   c_seconds.txt   the best training time in seconds
 * Timed: tsrec__sims_train only (AWS default hyperparameters), on a store
 * built beforehand with tsrec__interactions_build (not timed, reported).
 *
 * Data (deterministic, seed 5): items drawn from Zipf(0.9) over a shuffled
 * item order; user history lengths 1 + geometric with the mean that gives
 * about n_interactions rows (capped at 5000); timestamps strictly
 * increasing per user, so no row is a duplicate. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interactions_internal.h"
#include "recipes_internal.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* splitmix64 */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rng_unif(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "bench_sims_train: out of memory\n");
        exit(1);
    }
    return p;
}

typedef struct gen {
    int64_t n, n_users, n_items;
    int32_t *user, *item;
    int64_t *ts;
} gen;

static void generate(gen *g, int64_t n_users, int64_t n_items, int64_t target, uint64_t seed)
{
    uint64_t s = seed;
    double *cdf = xmalloc((size_t)n_items * sizeof(double));
    int32_t *perm = xmalloc((size_t)n_items * sizeof(int32_t));
    double acc = 0.0;
    for (int64_t k = 0; k < n_items; k++) {
        acc += pow((double)(k + 1), -0.9);
        cdf[k] = acc;
        perm[k] = (int32_t)k;
    }
    for (int64_t k = n_items - 1; k > 0; k--) {
        int64_t j = (int64_t)(rng_next(&s) % (uint64_t)(k + 1));
        int32_t t = perm[k];
        perm[k] = perm[j];
        perm[j] = t;
    }
    double mean = (double)target / (double)n_users;
    double p = mean > 1.0 ? 1.0 / mean : 0.999999;
    int64_t *len = xmalloc((size_t)n_users * sizeof(int64_t));
    int64_t total = 0;
    for (int64_t u = 0; u < n_users; u++) {
        double x = rng_unif(&s);
        len[u] = 1 + (int64_t)floor(log1p(-x) / log1p(-p));
        if (len[u] > 5000)
            len[u] = 5000;
        total += len[u];
    }
    g->n = total;
    g->n_users = n_users;
    g->n_items = n_items;
    g->user = xmalloc((size_t)total * sizeof(int32_t));
    g->item = xmalloc((size_t)total * sizeof(int32_t));
    g->ts = xmalloc((size_t)total * sizeof(int64_t));
    int64_t r = 0;
    for (int64_t u = 0; u < n_users; u++) {
        int64_t t0 = 1500000000 + (int64_t)(rng_next(&s) % 100000000u);
        for (int64_t k = 0; k < len[u]; k++, r++) {
            double x = rng_unif(&s) * acc;
            int64_t lo = 0, hi = n_items - 1;
            while (lo < hi) {
                int64_t mid = (lo + hi) / 2;
                if (cdf[mid] < x)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            g->user[r] = (int32_t)u;
            g->item[r] = perm[lo];
            g->ts[r] = t0 + k * 17;
        }
    }
    free(cdf);
    free(perm);
    free(len);
}

static int write_all(FILE *f, const void *p, size_t size, size_t n)
{
    return fwrite(p, size, n, f) == n ? 0 : -1;
}

static int write_data(const char *dir, const gen *g)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data.bin", dir);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    int64_t hdr[3] = {g->n, g->n_users, g->n_items};
    int rc = write_all(f, hdr, sizeof(int64_t), 3);
    rc |= write_all(f, g->user, sizeof(int32_t), (size_t)g->n);
    rc |= write_all(f, g->item, sizeof(int32_t), (size_t)g->n);
    rc |= write_all(f, g->ts, sizeof(int64_t), (size_t)g->n);
    return fclose(f) != 0 ? -1 : rc;
}

static int write_model(const char *dir, const tsrec__sims_model *m)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/nb.bin", dir);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    int64_t e = m->nb_off[m->n_items];
    int rc = write_all(f, &m->n_items, sizeof(int64_t), 1);
    rc |= write_all(f, m->nb_off, sizeof(int64_t), (size_t)m->n_items + 1);
    rc |= write_all(f, m->nb_item, sizeof(int32_t), (size_t)e);
    rc |= write_all(f, m->nb_score, sizeof(float), (size_t)e);
    return fclose(f) != 0 ? -1 : rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr,
                "usage: %s <out_dir> [n_users n_items n_interactions [threads [reps]]]\n",
                argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int64_t nu = argc > 4 ? strtoll(argv[2], NULL, 10) : 200000;
    int64_t ni = argc > 4 ? strtoll(argv[3], NULL, 10) : 50000;
    int64_t nt = argc > 4 ? strtoll(argv[4], NULL, 10) : 10000000;
    int32_t threads = argc > 5 ? (int32_t)atoi(argv[5]) : 1;
    int reps = argc > 6 ? atoi(argv[6]) : 3;
    if (nu < 1 || ni < 1 || nt < 1 || threads < 1 || reps < 1) {
        fprintf(stderr, "bench_sims_train: sizes, threads and reps must be >= 1\n");
        return 2;
    }
    gen g;
    double t0 = now_s();
    generate(&g, nu, ni, nt, 5);
    printf("generated %" PRId64 " interactions, %" PRId64 " users, %" PRId64
           " items in %.2f s\n",
           g.n, nu, ni, now_s() - t0);
    if (write_data(dir, &g) != 0) {
        perror("data.bin");
        return 1;
    }
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.n_threads = threads;
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(&o, &ctx) != TSREC_OK)
        return 1;
    tsrec__interaction_rows rows = {g.n, g.user, g.item, g.ts, NULL, NULL};
    tsrec__interaction_codes codes = {nu, ni, 0, NULL};
    tsrec__interaction_opts io;
    tsrec__interaction_opts_init(&io);
    tsrec__interactions s;
    t0 = now_s();
    if (tsrec__interactions_build(&s, ctx, NULL, &rows, &codes, &io) != TSREC_OK) {
        fprintf(stderr, "build: %s\n", tsrec_last_error());
        return 1;
    }
    double t_store = now_s() - t0;
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    tsrec__sims_model m;
    memset(&m, 0, sizeof m);
    double best = 1e30;
    size_t peak_delta = 0;
    for (int rep = 0; rep < reps; rep++) {
        if (rep > 0)
            tsrec__sims_free(&m);
        size_t live0 = 0, peak = 0;
        tsrec_ctx_reset_peak(ctx);
        tsrec_ctx_memory_stats(ctx, &live0, NULL, NULL);
        t0 = now_s();
        if (tsrec__sims_train(&m, ctx, NULL, &s, &p) != TSREC_OK) {
            fprintf(stderr, "sims: %s\n", tsrec_last_error());
            return 1;
        }
        double dt = now_s() - t0;
        tsrec_ctx_memory_stats(ctx, NULL, &peak, NULL);
        peak_delta = peak - live0;
        printf("  rep %d: sims train %.3f s\n", rep + 1, dt);
        best = dt < best ? dt : best;
    }
    size_t store_b = tsrec__interactions_bytes(&s), model_b = tsrec__sims_bytes(&m);
    printf("store build %.2f s (not timed); sims: %" PRId64 " users and %" PRId64
           " items kept, %" PRId64 " neighbour entries\n",
           t_store, m.n_users_kept, m.n_items_kept, m.nb_off[m.n_items]);
    printf("bench: sims_train_c interactions=%" PRId64 " users=%" PRId64 " items=%" PRId64
           " threads=%d seconds=%.4f store_bytes_per_interaction=%.1f "
           "model_bytes_per_interaction=%.1f train_peak_extra_bytes_per_interaction=%.1f\n",
           s.n, nu, ni, threads, best, (double)store_b / (double)s.n,
           (double)model_b / (double)s.n, (double)peak_delta / (double)s.n);
    char path[4096];
    snprintf(path, sizeof path, "%s/c_seconds.txt", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    fprintf(f, "%.6f %d\n", best, threads);
    fclose(f);
    if (write_model(dir, &m) != 0) {
        perror("nb.bin");
        return 1;
    }
    tsrec__sims_free(&m);
    tsrec__interactions_free(&s);
    tsrec_ctx_free(ctx);
    free(g.user);
    free(g.item);
    free(g.ts);
    return 0;
}
