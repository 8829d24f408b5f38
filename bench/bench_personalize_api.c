/* Personalize through the public API (include/tsrec/personalize.h):
 * offline metrics, GetRecommendations latency and PutEvents throughput.
 *
 * usage:
 *   bench_personalize_api quality <ml100k|mlsmall> <file> <out_dir> [seed]
 *       Import u.data (tab-separated, no header) or ratings.csv (header,
 *       comma-separated) as Interactions (EVENT_VALUE = rating), train
 *       aws-popularity-count and aws-sims with tsrec_solution_train and
 *       print tsrec_solution_version_metric for both (split seed = the ctx
 *       seed, default 42). Writes to out_dir,
 *       for bench/personalize_metrics_ref.py --public:
 *         items.txt           item ids in the group's code order (the
 *                             order ties are broken in)
 *         split.txt           test user ids of the Personalize split
 *                             (the same tsrec__eval_split_users call, on
 *                             the version's store with the ctx seed, that
 *                             tsrec_solution_train makes)
 *         metrics_<r>.txt     "name value" lines (%.17g)
 *   bench_personalize_api latency <gen N_ITEMS | ml100k FILE | mlsmall FILE> [queries]
 *       p50 / p99 per call of tsrec_campaign_recommend and
 *       tsrec_campaign_recommend_json (25 results) for a popularity
 *       campaign (userId) and a SIMS campaign (itemId; and itemId plus
 *       userId), single thread, after a warm-up. Query ids are the user
 *       / item of uniformly drawn interaction rows (traffic weighted by
 *       activity and popularity, the harder case for history exclusion).
 *   bench_personalize_api putevents [calls]
 *       tsrec_event_tracker_put_events with pre-built AWS request bodies
 *       of 1 and 10 events, one attached popularity campaign; then the
 *       JSON-free parts: the JSON parse alone and
 *       tsrec_dataset_import_rows (INCREMENTAL) of 1 and 10 rows.
 *
 * Generated data (deterministic, seed 7): 100000 users, N_ITEMS items
 * with Zipf(1.0) popularity over a shuffled item order, user history
 * lengths 1 + geometric with mean 25 (about 2.5M interactions), event
 * types click (80 %) / buy, timestamps increasing per user.
 * Every comparison ends with a "bench: ..." line. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_internal.h"
#include "personalize_internal.h"
#include "tsrec/tsrec.h"

/* ---- small utilities ------------------------------------------------------ */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* splitmix64: a tiny deterministic generator for the bench data. */
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

static void die(const char *what)
{
    fprintf(stderr, "bench_personalize_api: %s: %s\n", what, tsrec_last_error());
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "bench_personalize_api: out of memory\n");
        exit(1);
    }
    return p;
}

/* ---- interaction data as text cells ------------------------------------- */

/* Rows of USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE, EVENT_VALUE cells
 * pointing into text (EVENT_TYPE NULL when has_type is 0). */
typedef struct rows {
    int64_t n;
    const char **cells; /* n x 5 */
    char *text;
    int has_type;
} rows;

static void rows_free(rows *r)
{
    free(r->cells);
    free(r->text);
    memset(r, 0, sizeof(*r));
}

/* u.data ("u<TAB>i<TAB>r<TAB>t") or ratings.csv (header, "u,i,r,t"). */
static int rows_read(rows *r, const char *path, int csv)
{
    memset(r, 0, sizeof(*r));
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    r->text = xmalloc((size_t)sz + 1);
    size_t got = fread(r->text, 1, (size_t)sz, f);
    fclose(f);
    r->text[got] = '\0';
    int64_t lines = 0;
    for (size_t k = 0; k < got; k++)
        lines += r->text[k] == '\n';
    r->cells = xmalloc((size_t)(lines + 1) * 5 * sizeof(char *));
    char *p = r->text;
    if (csv) { /* skip the header line */
        p = strchr(p, '\n');
        p = p != NULL ? p + 1 : r->text + got;
    }
    while (*p != '\0') {
        char *eol = strchr(p, '\n');
        char *next = eol != NULL ? eol + 1 : p + strlen(p);
        if (eol != NULL)
            *eol = '\0';
        if (eol != NULL && eol > p && eol[-1] == '\r')
            eol[-1] = '\0';
        char *field[4];
        int nf = 0;
        char *q = p;
        while (nf < 4) {
            field[nf++] = q;
            q += strcspn(q, csv ? "," : "\t ");
            if (*q == '\0')
                break;
            *q++ = '\0';
        }
        if (nf == 4) {
            const char **c = r->cells + r->n * 5;
            c[0] = field[0];
            c[1] = field[1];
            c[2] = field[3];
            c[3] = NULL;
            c[4] = field[2];
            r->n++;
        }
        p = next;
    }
    return 0;
}

/* Generated data (see the file comment). */
static void rows_generate(rows *r, int64_t n_users, int64_t n_items, double mean_len,
                          uint64_t seed)
{
    memset(r, 0, sizeof(*r));
    r->has_type = 1;
    uint64_t s = seed;
    double *cdf = xmalloc((size_t)n_items * sizeof(double));
    int64_t *perm = xmalloc((size_t)n_items * sizeof(int64_t));
    double acc = 0.0;
    for (int64_t k = 0; k < n_items; k++) {
        acc += 1.0 / (double)(k + 1);
        cdf[k] = acc;
        perm[k] = k;
    }
    for (int64_t k = n_items - 1; k > 0; k--) {
        int64_t j = (int64_t)(rng_next(&s) % (uint64_t)(k + 1));
        int64_t t = perm[k];
        perm[k] = perm[j];
        perm[j] = t;
    }
    int64_t *len = xmalloc((size_t)n_users * sizeof(int64_t));
    int64_t total = 0;
    double pgeo = 1.0 / mean_len;
    for (int64_t u = 0; u < n_users; u++) {
        double x = rng_unif(&s);
        len[u] = 1 + (int64_t)floor(log1p(-x) / log1p(-pgeo));
        if (len[u] > 2000)
            len[u] = 2000;
        total += len[u];
    }
    r->n = total;
    r->cells = xmalloc((size_t)total * 5 * sizeof(char *));
    r->text = xmalloc((size_t)total * 40);
    char *w = r->text;
    int64_t row = 0;
    for (int64_t u = 0; u < n_users; u++) {
        int64_t t0 = 1600000000 + (int64_t)(rng_next(&s) % 10000000u);
        for (int64_t k = 0; k < len[u]; k++, row++) {
            double x = rng_unif(&s) * acc;
            int64_t lo = 0, hi = n_items - 1;
            while (lo < hi) {
                int64_t mid = (lo + hi) / 2;
                if (cdf[mid] < x)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            const char **c = r->cells + row * 5;
            c[0] = w;
            w += sprintf(w, "u%" PRId64, u) + 1;
            c[1] = w;
            w += sprintf(w, "i%" PRId64, perm[lo]) + 1;
            c[2] = w;
            w += sprintf(w, "%" PRId64, t0 + k * 60) + 1;
            c[3] = rng_unif(&s) < 0.8 ? "click" : "buy";
            c[4] = "1";
        }
    }
    free(cdf);
    free(perm);
    free(len);
}

static const char *SCHEMA_PLAIN =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]}],\"version\":\"1.0\"}";

static const char *SCHEMA_TYPED =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]}],\"version\":\"1.0\"}";

/* A Personalize group with an Interactions dataset holding r. */
static tsrec_dataset_group *group_from_rows(tsrec_ctx *ctx, const rows *r, tsrec_dataset **out_ds)
{
    tsrec_dataset_group *g = NULL;
    if (tsrec_dataset_group_new(ctx, "bench", TSREC_SERVICE_PERSONALIZE, NULL, &g) != TSREC_OK)
        die("group");
    const char *sj = r->has_type ? SCHEMA_TYPED : SCHEMA_PLAIN;
    tsrec_schema *sc = NULL;
    if (tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, sj, strlen(sj), &sc) != TSREC_OK)
        die("schema");
    tsrec_dataset *ds = NULL;
    if (tsrec_dataset_group_create_dataset(g, "interactions", "Interactions", sc, NULL, &ds) !=
        TSREC_OK)
        die("dataset");
    tsrec_schema_free(sc);
    /* the cells are 5 wide; without EVENT_TYPE the dataset has 4 columns */
    int64_t nc = r->has_type ? 5 : 4;
    const char **cells = (const char **)r->cells;
    const char **packed = NULL;
    if (!r->has_type) {
        packed = xmalloc((size_t)r->n * 4 * sizeof(char *));
        for (int64_t i = 0; i < r->n; i++) {
            packed[i * 4 + 0] = r->cells[i * 5 + 0];
            packed[i * 4 + 1] = r->cells[i * 5 + 1];
            packed[i * 4 + 2] = r->cells[i * 5 + 2];
            packed[i * 4 + 3] = r->cells[i * 5 + 4];
        }
        cells = packed;
    }
    double t0 = now_s();
    if (tsrec_dataset_import_rows(ds, cells, r->n, nc, NULL, NULL) != TSREC_OK)
        die("import");
    printf("import: %" PRId64 " rows in %.2f s\n", r->n, now_s() - t0);
    free(packed);
    if (out_ds != NULL)
        *out_ds = ds;
    return g;
}

static tsrec_solution_version *train(tsrec_dataset_group *g, const char *recipe,
                                     tsrec_solution **out_s, double *out_secs)
{
    char req[256];
    snprintf(req, sizeof req, "{\"name\":\"%s\",\"recipeArn\":\"arn:aws:personalize:::recipe/%s\"}",
             strcmp(recipe, "aws-sims") == 0 ? "sims" : "pop", recipe);
    if (tsrec_solution_create(g, req, strlen(req), out_s) != TSREC_OK)
        die("solution_create");
    tsrec_solution_version *v = NULL;
    double t0 = now_s();
    if (tsrec_solution_train(*out_s, TSREC_TRAINING_FULL, &v) != TSREC_OK)
        die("solution_train");
    *out_secs = now_s() - t0;
    return v;
}

/* ---- quality ----------------------------------------------------------------- */

static const char *const METRIC[8] = {
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5",
    "precision_at_10",
    "precision_at_25",
};

static int write_dict(const char *path, const tsrec__strdict *d, const int32_t *codes, int64_t n)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    int64_t m = codes != NULL ? n : tsrec__strdict_count(d);
    for (int64_t k = 0; k < m; k++) {
        size_t l = 0;
        const char *s = tsrec__strdict_get(d, codes != NULL ? codes[k] : k, &l);
        fprintf(f, "%.*s\n", (int)l, s);
    }
    fclose(f);
    return 0;
}

static int cmd_quality(const char *kind, const char *path, const char *out_dir, uint64_t seed)
{
    int csv = strcmp(kind, "mlsmall") == 0;
    rows r;
    if (rows_read(&r, path, csv) != 0) {
        perror(path);
        return 1;
    }
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.seed = seed; /* tsrec_solution_train splits with the ctx seed */
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(&o, &ctx) != TSREC_OK)
        die("ctx");
    tsrec_dataset_group *g = group_from_rows(ctx, &r, NULL);
    static const char *const RECIPES[2] = {"aws-popularity-count", "aws-sims"};
    static const char *const SHORT[2] = {"popularity", "sims"};
    tsrec_solution *sol[2];
    tsrec_solution_version *ver[2];
    double secs[2];
    for (int k = 0; k < 2; k++)
        ver[k] = train(g, RECIPES[k], &sol[k], &secs[k]);
    printf("%s (public API): %" PRId64 " interactions, %" PRId64 " users, %" PRId64
           " items, split seed %" PRIu64 "\n",
           kind, ver[0]->store.n, ver[0]->store.n_users, ver[0]->store.n_items, seed);
    printf("%-12s %8s %8s %8s %8s %8s %8s %8s %8s %9s\n", "recipe", "cov", "mrr@25", "ndcg@5",
           "ndcg@10", "ndcg@25", "p@5", "p@10", "p@25", "train_s");
    double val[2][8];
    for (int k = 0; k < 2; k++) {
        for (int m = 0; m < 8; m++)
            if (tsrec_solution_version_metric(ver[k], METRIC[m], &val[k][m]) != TSREC_OK)
                die("metric");
        printf("%-12s %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %9.3f\n", SHORT[k],
               val[k][0], val[k][1], val[k][2], val[k][3], val[k][4], val[k][5], val[k][6],
               val[k][7], secs[k]);
        char fp[4096];
        snprintf(fp, sizeof fp, "%s/metrics_%s.txt", out_dir, SHORT[k]);
        FILE *f = fopen(fp, "w");
        if (f == NULL) {
            perror(fp);
            return 1;
        }
        for (int m = 0; m < 8; m++)
            fprintf(f, "%s %.17g\n", METRIC[m], val[k][m]);
        fclose(f);
    }
    /* the split tsrec_solution_train used (same store, same seed) */
    tsrec__eval_split sp;
    if (tsrec__eval_split_users(&sp, ctx, NULL, &ver[0]->store, seed, 0.1) != TSREC_OK)
        die("split");
    char fp[4096];
    snprintf(fp, sizeof fp, "%s/split.txt", out_dir);
    if (write_dict(fp, &g->users, sp.test_users, sp.n_test) != 0) {
        perror(fp);
        return 1;
    }
    snprintf(fp, sizeof fp, "%s/items.txt", out_dir);
    if (write_dict(fp, &g->items, NULL, 0) != 0) {
        perror(fp);
        return 1;
    }
    for (int k = 0; k < 2; k++)
        printf("bench: personalize_quality data=%s recipe=%s coverage=%.6f mrr_at_25=%.6f "
               "ndcg_at_5=%.6f ndcg_at_10=%.6f ndcg_at_25=%.6f precision_at_5=%.6f "
               "precision_at_10=%.6f precision_at_25=%.6f\n",
               kind, SHORT[k], val[k][0], val[k][1], val[k][2], val[k][3], val[k][4], val[k][5],
               val[k][6], val[k][7]);
    tsrec__eval_split_free(&sp);
    tsrec_solution_free(sol[0]);
    tsrec_solution_free(sol[1]);
    tsrec_dataset_group_free(g);
    tsrec_ctx_free(ctx);
    rows_free(&r);
    return 0;
}

/* ---- latency ----------------------------------------------------------------- */

typedef struct lat_stats {
    double p50_us, p99_us, mean_us, max_us;
} lat_stats;

static lat_stats summarize(double *t, int64_t n)
{
    lat_stats s;
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++)
        sum += t[i];
    qsort(t, (size_t)n, sizeof(double), cmp_dbl);
    s.p50_us = t[(n - 1) / 2] * 1e6;
    s.p99_us = t[(int64_t)((double)(n - 1) * 0.99)] * 1e6;
    s.mean_us = sum / (double)n * 1e6;
    s.max_us = t[n - 1] * 1e6;
    return s;
}

/* Query kinds. */
enum { Q_POP_USER, Q_SIMS_ITEM, Q_SIMS_ITEM_USER };

/* One request body per query for the JSON form. */
static char **build_json_requests(const rows *r, const int64_t *pick, int64_t nq, int kind)
{
    char **req = xmalloc((size_t)nq * sizeof(char *));
    for (int64_t q = 0; q < nq; q++) {
        const char *const *c = r->cells + pick[q] * 5;
        char buf[600];
        if (kind == Q_POP_USER)
            snprintf(buf, sizeof buf, "{\"userId\":\"%s\",\"numResults\":25}", c[0]);
        else if (kind == Q_SIMS_ITEM)
            snprintf(buf, sizeof buf, "{\"itemId\":\"%s\",\"numResults\":25}", c[1]);
        else
            snprintf(buf, sizeof buf, "{\"userId\":\"%s\",\"itemId\":\"%s\",\"numResults\":25}",
                     c[0], c[1]);
        size_t l = strlen(buf) + 1;
        req[q] = xmalloc(l);
        memcpy(req[q], buf, l);
    }
    return req;
}

static void run_latency(const char *data, const rows *r, const tsrec_campaign *c, int kind,
                        int64_t nq, uint64_t seed)
{
    uint64_t s = seed;
    int64_t *pick = xmalloc((size_t)nq * sizeof(int64_t));
    for (int64_t q = 0; q < nq; q++)
        pick[q] = (int64_t)(rng_next(&s) % (uint64_t)r->n);
    char **req = build_json_requests(r, pick, nq, kind);
    size_t *req_len = xmalloc((size_t)nq * sizeof(size_t));
    for (int64_t q = 0; q < nq; q++)
        req_len[q] = strlen(req[q]);
    double *t = xmalloc((size_t)nq * sizeof(double));
    const char *items[25];
    double scores[25];
    enum { CAP = 1 << 16 };
    char *out = xmalloc(CAP);
    static const char *const KIND[3] = {"popularity_user", "sims_item", "sims_item_user"};
    const char *recipe = kind == Q_POP_USER ? "popularity" : "sims";
    double sink = 0.0;
    for (int form = 0; form < 2; form++) {
        /* warm-up: the first 10 % of the queries, not timed */
        for (int pass = 0; pass < 2; pass++) {
            int64_t hi = pass == 0 ? nq / 10 : nq;
            for (int64_t q = 0; q < hi; q++) {
                const char *const *cell = r->cells + pick[q] * 5;
                const char *uid = kind == Q_SIMS_ITEM ? NULL : cell[0];
                const char *iid = kind == Q_POP_USER ? NULL : cell[1];
                double a = now_s();
                int rc;
                if (form == 0) {
                    int64_t n = 0;
                    rc = tsrec_campaign_recommend(c, uid, iid, 25, items, scores, &n);
                    sink += (double)n;
                } else {
                    size_t ol = 0;
                    rc = tsrec_campaign_recommend_json(c, req[q], req_len[q], out, CAP, &ol);
                    sink += (double)ol;
                }
                double b = now_s();
                if (rc != TSREC_OK)
                    die("recommend");
                if (pass == 1)
                    t[q] = b - a;
            }
        }
        lat_stats st = summarize(t, nq);
        printf("%-10s %-16s %-5s %9" PRId64 " %9.2f %9.2f %9.2f %9.1f\n", data, KIND[kind],
               form == 0 ? "C" : "JSON", nq, st.p50_us, st.p99_us, st.mean_us, st.max_us);
        printf("bench: personalize_latency data=%s recipe=%s query=%s form=%s p50_us=%.2f "
               "p99_us=%.2f mean_us=%.2f goal_p99_us=50 meets_goal=%s\n",
               data, recipe, KIND[kind], form == 0 ? "c" : "json", st.p50_us, st.p99_us,
               st.mean_us, st.p99_us < 50.0 ? "yes" : "no");
    }
    if (sink < 0)
        printf("%g\n", sink);
    for (int64_t q = 0; q < nq; q++)
        free(req[q]);
    free(req);
    free(req_len);
    free(pick);
    free(t);
    free(out);
}

static tsrec_campaign *make_campaign(tsrec_solution_version *v, const char *name)
{
    char req[128];
    snprintf(req, sizeof req, "{\"name\":\"%s\",\"minProvisionedTPS\":1}", name);
    tsrec_campaign *c = NULL;
    if (tsrec_campaign_create(v, req, strlen(req), &c) != TSREC_OK)
        die("campaign_create");
    return c;
}

static int cmd_latency(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "latency: <gen N_ITEMS | ml100k FILE | mlsmall FILE> [queries]\n");
        return 2;
    }
    rows r;
    char data[64];
    if (strcmp(argv[0], "gen") == 0) {
        int64_t ni = strtoll(argv[1], NULL, 10);
        rows_generate(&r, 100000, ni, 25.0, 7);
        snprintf(data, sizeof data, "gen%" PRId64 "k", ni / 1000);
    } else {
        if (rows_read(&r, argv[1], strcmp(argv[0], "mlsmall") == 0) != 0) {
            perror(argv[1]);
            return 1;
        }
        snprintf(data, sizeof data, "%s", argv[0]);
    }
    int64_t nq = argc > 2 ? strtoll(argv[2], NULL, 10) : 200000;
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.n_threads = 1;
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(&o, &ctx) != TSREC_OK)
        die("ctx");
    size_t live0 = 0;
    tsrec_ctx_memory_stats(ctx, &live0, NULL, NULL);
    tsrec_dataset *ds = NULL;
    tsrec_dataset_group *g = group_from_rows(ctx, &r, &ds);
    size_t live1 = 0, ds_bytes = 0;
    tsrec_ctx_memory_stats(ctx, &live1, NULL, NULL);
    tsrec_dataset_memory(ds, &ds_bytes);
    tsrec_solution *sp = NULL, *ss = NULL;
    double tp = 0, ts = 0;
    tsrec_solution_version *vp = train(g, "aws-popularity-count", &sp, &tp);
    size_t live2 = 0;
    tsrec_ctx_memory_stats(ctx, &live2, NULL, NULL);
    tsrec_solution_version *vs = train(g, "aws-sims", &ss, &ts);
    size_t live3 = 0;
    tsrec_ctx_memory_stats(ctx, &live3, NULL, NULL);
    tsrec_campaign *cp = make_campaign(vp, "cpop");
    tsrec_campaign *cs = make_campaign(vs, "csims");
    int64_t n = vp->store.n;
    printf("%s: %" PRId64 " interactions (%" PRId64 " rows), %" PRId64 " users, %" PRId64
           " items; train (with offline evaluation) popularity %.2f s, sims %.2f s\n",
           data, n, r.n, vp->store.n_users, vp->store.n_items, tp, ts);
    printf("memory per interaction: dataset %.1f B (ctx delta %.1f B), popularity version "
           "%.1f B, sims version %.1f B\n",
           (double)ds_bytes / (double)r.n, (double)(live1 - live0) / (double)r.n,
           (double)(live2 - live1) / (double)n, (double)(live3 - live2) / (double)n);
    printf("bench: personalize_memory data=%s dataset_bytes_per_interaction=%.1f "
           "popularity_version_bytes_per_interaction=%.1f sims_version_bytes_per_interaction=%.1f "
           "total_bytes_per_interaction=%.1f\n",
           data, (double)(live1 - live0) / (double)r.n, (double)(live2 - live1) / (double)n,
           (double)(live3 - live2) / (double)n, (double)(live3 - live0) / (double)r.n);
    printf("%-10s %-16s %-5s %9s %9s %9s %9s %9s\n", "data", "query", "form", "calls", "p50_us",
           "p99_us", "mean_us", "max_us");
    run_latency(data, &r, cp, Q_POP_USER, nq, 11);
    run_latency(data, &r, cs, Q_SIMS_ITEM, nq, 12);
    run_latency(data, &r, cs, Q_SIMS_ITEM_USER, nq, 13);
    tsrec_campaign_free(cp);
    tsrec_campaign_free(cs);
    tsrec_solution_free(sp);
    tsrec_solution_free(ss);
    tsrec_dataset_group_free(g);
    tsrec_ctx_free(ctx);
    rows_free(&r);
    return 0;
}

/* ---- PutEvents --------------------------------------------------------------- */

/* An AWS PutEvents body of n events by one user, as an SDK sends it. */
static char *put_events_body(uint64_t *s, int n, int64_t n_users, int64_t n_items, int64_t seq)
{
    char buf[8192];
    int64_t u = (int64_t)(rng_next(s) % (uint64_t)n_users);
    int w = snprintf(buf, sizeof buf,
                     "{\"trackingId\":\"6e1f0c3a-52b3-4d5e-9d8a-3c2b1a0f9e87\","
                     "\"userId\":\"u%" PRId64 "\",\"sessionId\":\"sess-%" PRId64 "\","
                     "\"eventList\":[",
                     u, u * 7 + 3);
    for (int k = 0; k < n; k++) {
        int64_t it = (int64_t)(rng_next(s) % (uint64_t)n_items);
        w += snprintf(buf + w, sizeof buf - (size_t)w,
                      "%s{\"eventId\":\"ev-%" PRId64 "-%d\",\"eventType\":\"%s\","
                      "\"sentAt\":%" PRId64 ",\"itemId\":\"i%" PRId64 "\","
                      "\"eventValue\":1.0,\"recommendationId\":\"RID-%" PRId64 "\"}",
                      k > 0 ? "," : "", seq, k, k % 5 == 4 ? "buy" : "click",
                      (int64_t)1700000000 + seq, it, seq % 9973);
    }
    w += snprintf(buf + w, sizeof buf - (size_t)w, "]}");
    char *p = xmalloc((size_t)w + 1);
    memcpy(p, buf, (size_t)w + 1);
    return p;
}

static int cmd_putevents(int argc, char **argv)
{
    int64_t calls = argc > 0 ? strtoll(argv[0], NULL, 10) : 200000;
    rows r;
    int64_t n_users = 20000, n_items = 10000;
    rows_generate(&r, n_users, n_items, 20.0, 9);
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.n_threads = 1;
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(&o, &ctx) != TSREC_OK)
        die("ctx");
    tsrec_dataset *ds = NULL;
    tsrec_dataset_group *g = group_from_rows(ctx, &r, &ds);
    tsrec_solution *sp = NULL;
    double tp = 0;
    tsrec_solution_version *vp = train(g, "aws-popularity-count", &sp, &tp);
    tsrec_campaign *cp = make_campaign(vp, "cpop");
    tsrec_event_tracker *tr = NULL;
    const char *treq = "{\"name\":\"tracker1\"}";
    if (tsrec_event_tracker_create(g, treq, strlen(treq), &tr) != TSREC_OK)
        die("tracker_create");
    if (tsrec_event_tracker_attach(tr, cp) != TSREC_OK)
        die("tracker_attach");
    enum { POOL = 4096 };
    uint64_t s = 99;
    printf("%-28s %10s %10s %12s %12s\n", "path", "calls", "events", "us_per_call",
           "events_per_s");
    for (int ev = 1; ev <= 10; ev += 9) {
        char **body = xmalloc(POOL * sizeof(char *));
        size_t *blen = xmalloc(POOL * sizeof(size_t));
        for (int k = 0; k < POOL; k++) {
            body[k] = put_events_body(&s, ev, n_users, n_items, k);
            blen[k] = strlen(body[k]);
        }
        int64_t nc = ev == 1 ? calls : calls / 5;
        /* full PutEvents */
        double best = 1e30;
        for (int rep = 0; rep < 3; rep++) {
            double t0 = now_s();
            for (int64_t q = 0; q < nc; q++)
                if (tsrec_event_tracker_put_events(tr, body[q % POOL], blen[q % POOL]) !=
                    TSREC_OK)
                    die("put_events");
            double dt = now_s() - t0;
            best = dt < best ? dt : best;
        }
        double eps = (double)(nc * ev) / best;
        printf("%-28s %10" PRId64 " %10" PRId64 " %12.3f %12.0f\n",
               ev == 1 ? "put_events(1 event)" : "put_events(10 events)", nc, nc * ev,
               best / (double)nc * 1e6, eps);
        printf("bench: personalize_put_events events_per_call=%d events_per_s=%.0f "
               "us_per_call=%.3f goal_events_per_s=1000000 meets_goal=%s\n",
               ev, eps, best / (double)nc * 1e6, eps >= 1e6 ? "yes" : "no");
        /* JSON parse alone (what PutEvents parses before validation) */
        double t0 = now_s();
        for (int64_t q = 0; q < nc; q++) {
            tsrec__json_doc *doc = NULL;
            if (tsrec__json_parse(ctx, NULL, body[q % POOL], blen[q % POOL], 16, &doc) !=
                TSREC_OK)
                die("json_parse");
            tsrec__json_free(doc);
        }
        double tj = now_s() - t0;
        printf("%-28s %10" PRId64 " %10" PRId64 " %12.3f %12.0f\n", "  json parse only", nc,
               nc * ev, tj / (double)nc * 1e6, (double)(nc * ev) / tj);
        /* JSON-free append: tsrec_dataset_import_rows of ev rows */
        tsrec_import_options io;
        tsrec_import_options_init(&io);
        io.mode = TSREC_IMPORT_INCREMENTAL;
        const char *cells[10 * 5];
        char text[10][3][32];
        int64_t nr = nc / 4;
        t0 = now_s();
        for (int64_t q = 0; q < nr; q++) {
            for (int k = 0; k < ev; k++) {
                snprintf(text[k][0], 32, "u%" PRId64, (q * 31 + k) % n_users);
                snprintf(text[k][1], 32, "i%" PRId64, (q * 17 + k * 3) % n_items);
                snprintf(text[k][2], 32, "%" PRId64, (int64_t)1700000000 + q);
                cells[k * 5 + 0] = text[k][0];
                cells[k * 5 + 1] = text[k][1];
                cells[k * 5 + 2] = text[k][2];
                cells[k * 5 + 3] = "click";
                cells[k * 5 + 4] = "1.0";
            }
            if (tsrec_dataset_import_rows(ds, cells, ev, 5, &io, NULL) != TSREC_OK)
                die("import_rows");
        }
        double ti = now_s() - t0;
        printf("%-28s %10" PRId64 " %10" PRId64 " %12.3f %12.0f\n", "  import_rows (no JSON)", nr,
               nr * ev, ti / (double)nr * 1e6, (double)(nr * ev) / ti);
        printf("bench: personalize_put_events_parts events_per_call=%d json_parse_us=%.3f "
               "import_rows_us=%.3f put_events_us=%.3f\n",
               ev, tj / (double)nc * 1e6, ti / (double)nr * 1e6, best / (double)nc * 1e6);
        for (int k = 0; k < POOL; k++)
            free(body[k]);
        free(body);
        free(blen);
    }
    int64_t rows_now = 0;
    tsrec_dataset_row_count(ds, &rows_now);
    printf("interactions dataset now holds %" PRId64 " rows\n", rows_now);
    tsrec_event_tracker_free(tr);
    tsrec_campaign_free(cp);
    tsrec_solution_free(sp);
    tsrec_dataset_group_free(g);
    tsrec_ctx_free(ctx);
    rows_free(&r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "quality") == 0)
        return cmd_quality(argv[2], argv[3], argv[4],
                           argc > 5 ? strtoull(argv[5], NULL, 10) : 42);
    if (argc >= 3 && strcmp(argv[1], "latency") == 0)
        return cmd_latency(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "putevents") == 0)
        return cmd_putevents(argc - 2, argv + 2);
    fprintf(stderr,
            "usage: %s quality <ml100k|mlsmall> <file> <out_dir> [seed]\n"
            "       %s latency <gen N_ITEMS | ml100k FILE | mlsmall FILE> [queries]\n"
            "       %s putevents [calls]\n",
            argv[0], argv[0], argv[0]);
    return 2;
}
