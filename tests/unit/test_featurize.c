/* Forecast featurization on plain arrays: aggregation to the forecast
 * frequency, alignment, and AWS filling (aws-surface.md A2.4, A3.1, A3.2),
 * checked against hand-computed values and a naive aggregation reference. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "featurize_internal.h"
#include "time_internal.h"

/* ---- helpers ------------------------------------------------------------- */

static int64_t ts(int64_t y, int32_t mo, int32_t d, int32_t h, int32_t mi, int32_t s)
{
    tsrec__civil c;
    memset(&c, 0, sizeof c);
    c.year = y;
    c.month = mo;
    c.day = d;
    c.hour = h;
    c.minute = mi;
    c.second = s;
    return tsrec__time_from_civil(&c);
}

#define DAY(d) ts(2024, 1, (d), 0, 0, 0) /* 2024-01-01 is a Monday */

/* Rows held in fixed arrays for the tests. */
typedef struct rowbuf {
    int64_t series[512];
    int64_t time[512];
    double value[512];
    tsrec__ts_rows r;
} rowbuf;

static void rb_init(rowbuf *b)
{
    memset(b, 0, sizeof *b);
    b->r.series = b->series;
    b->r.time = b->time;
    b->r.value = b->value;
}

static void rb_add(rowbuf *b, int64_t s, int64_t t, double v)
{
    assert_true(b->r.n < 512);
    b->series[b->r.n] = s;
    b->time[b->r.n] = t;
    b->value[b->r.n] = v;
    b->r.n++;
}

static void target_cfg(tsrec__fill_config *c, int32_t agg, int32_t middle, int32_t back)
{
    tsrec__fill_config_target(c);
    c->aggregation = agg;
    c->method[TSREC__REGION_MIDDLE] = middle;
    c->method[TSREC__REGION_BACK] = back;
}

static void assert_cell(const tsrec__series_batch *b, int64_t s, int64_t t, double want,
                        int obs)
{
    double got = tsrec__series_batch_y(b, s)[t];
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("series %lld period %lld: got %g, want NaN", (long long)s,
                     (long long)t, got);
    } else if (fabs(got - want) > 1e-9 * (1.0 + fabs(want))) {
        fail_msg("series %lld period %lld: got %.17g, want %.17g", (long long)s, (long long)t,
                 got, want);
    }
    assert_int_equal(b->observed[s * b->n_time + t], obs);
}

static void assert_msg_has(tsrec_ctx *ctx, const char *a, const char *b2, const char *c)
{
    const char *m = tsrec_errmsg(ctx);
    if (a != NULL && strstr(m, a) == NULL)
        fail_msg("message '%s' lacks '%s'", m, a);
    if (b2 != NULL && strstr(m, b2) == NULL)
        fail_msg("message '%s' lacks '%s'", m, b2);
    if (c != NULL && strstr(m, c) == NULL)
        fail_msg("message '%s' lacks '%s'", m, c);
}

/* ---- aggregation ---------------------------------------------------------- */

/* aws-surface A3.1: H: 01:00 -> 100; 02:20 (50) + 02:45 (20) -> 02:00;
 * 03:00 empty; 04:00 -> 120. */
static void build_aws_example(rowbuf *b)
{
    rb_init(b);
    rb_add(b, 0, ts(2024, 3, 5, 2, 45, 0), 20.0); /* out of order on purpose */
    rb_add(b, 0, ts(2024, 3, 5, 1, 0, 0), 100.0);
    rb_add(b, 0, ts(2024, 3, 5, 2, 20, 0), 50.0);
    rb_add(b, 0, ts(2024, 3, 5, 4, 0, 0), 120.0);
}

static void test_aws_example_every_aggregation(void **state)
{
    (void)state;
    static const struct {
        int32_t agg;
        double want;
    } cases[] = {{TSREC__AGG_SUM, 70.0}, {TSREC__AGG_AVG, 35.0}, {TSREC__AGG_FIRST, 50.0},
                 {TSREC__AGG_MIN, 20.0}, {TSREC__AGG_MAX, 50.0}};
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    build_aws_example(&b);
    for (size_t i = 0; i < TSREC__ARRAY_LEN(cases); i++) {
        tsrec__fill_config c;
        target_cfg(&c, cases[i].agg, TSREC__FILL_NAN, TSREC__FILL_ZERO);
        tsrec__series_batch sb;
        assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, 0,
                                                 TSREC__FREQ_H, "demand", &c, 0),
                         TSREC_OK);
        assert_int_equal(sb.t0, ts(2024, 3, 5, 1, 0, 0));
        assert_int_equal(sb.n_time, 4);
        assert_cell(&sb, 0, 0, 100.0, 1);
        assert_cell(&sb, 0, 1, cases[i].want, 1);
        assert_cell(&sb, 0, 2, NAN, 0); /* empty bucket, nan middlefill */
        assert_cell(&sb, 0, 3, 120.0, 1);
        assert_int_equal(sb.start[0], 0);
        assert_int_equal(sb.end[0], 4);
        tsrec__series_batch_free(&sb);
    }
    /* Default config: sum, and the empty 03:00 bucket is zero-filled. */
    tsrec__fill_config c;
    tsrec__fill_config_target(&c);
    tsrec__series_batch sb;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, TSREC__FREQ_1MIN,
                                             TSREC__FREQ_H, "demand", &c, 0),
                     TSREC_OK);
    assert_cell(&sb, 0, 1, 70.0, 1);
    assert_cell(&sb, 0, 2, 0.0, 0);
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

/* first: the earliest timestamp wins whatever the input order; equal
 * timestamps keep the row seen first. */
static void test_first_ties(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    rb_init(&b);
    rb_add(&b, 0, DAY(1) + 600, 5.0);
    rb_add(&b, 0, DAY(1) + 60, 7.0);
    rb_add(&b, 0, DAY(1) + 60, 8.0);
    rb_add(&b, 0, DAY(1) + 7200, 9.0);
    rb_add(&b, 1, DAY(1) + 30, NAN); /* missing: skipped even though earliest */
    rb_add(&b, 1, DAY(1) + 40, 3.0);
    rb_add(&b, 1, DAY(1) + 40, 4.0);
    tsrec__fill_config c;
    target_cfg(&c, TSREC__AGG_FIRST, TSREC__FILL_ZERO, TSREC__FILL_ZERO);
    tsrec__series_batch sb;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_OK);
    assert_int_equal(sb.n_time, 1);
    assert_cell(&sb, 0, 0, 7.0, 1);
    assert_cell(&sb, 1, 0, 3.0, 1);
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

static void test_weekly_buckets_start_monday(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    rb_init(&b);
    rb_add(&b, 0, ts(2023, 12, 31, 23, 59, 59), 1.0); /* Sunday: week of Mon 12-25 */
    rb_add(&b, 0, ts(2024, 1, 1, 0, 0, 0), 2.0);      /* Monday: new week */
    rb_add(&b, 0, ts(2024, 1, 3, 12, 0, 0), 3.0);     /* Wednesday */
    rb_add(&b, 0, ts(2024, 1, 7, 23, 0, 0), 4.0);     /* Sunday */
    rb_add(&b, 0, ts(2024, 1, 8, 0, 0, 0), 5.0);      /* Monday */
    tsrec__fill_config c;
    tsrec__fill_config_target(&c);
    tsrec__series_batch sb;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, TSREC__FREQ_D,
                                             TSREC__FREQ_W, "y", &c, 0),
                     TSREC_OK);
    assert_int_equal(sb.t0, ts(2023, 12, 25, 0, 0, 0));
    assert_int_equal(tsrec__time_weekday(sb.t0), 0);
    assert_int_equal(sb.n_time, 3);
    assert_cell(&sb, 0, 0, 1.0, 1);
    assert_cell(&sb, 0, 1, 9.0, 1);
    assert_cell(&sb, 0, 2, 5.0, 1);
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

static void test_monthly_buckets(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    rb_init(&b);
    rb_add(&b, 0, ts(2024, 1, 31, 23, 0, 0), 1.0);
    rb_add(&b, 0, ts(2024, 2, 1, 0, 0, 0), 2.0);
    rb_add(&b, 0, ts(2024, 2, 29, 12, 0, 0), 4.0); /* leap day */
    rb_add(&b, 0, ts(2024, 4, 15, 0, 0, 0), 8.0);
    rb_add(&b, 1, ts(2024, 3, 1, 0, 0, 0), 16.0);
    tsrec__fill_config c;
    target_cfg(&c, TSREC__AGG_MAX, TSREC__FILL_NAN, TSREC__FILL_NAN);
    tsrec__series_batch sb;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, TSREC__FREQ_D,
                                             TSREC__FREQ_M, "y", &c, 0),
                     TSREC_OK);
    assert_int_equal(sb.t0, ts(2024, 1, 1, 0, 0, 0));
    assert_int_equal(sb.n_time, 4);
    assert_cell(&sb, 0, 0, 1.0, 1);
    assert_cell(&sb, 0, 1, 4.0, 1);
    assert_cell(&sb, 0, 2, NAN, 0);
    assert_cell(&sb, 0, 3, 8.0, 1);
    /* Series 1: one point in March; Jan/Feb are before its start. */
    assert_cell(&sb, 1, 0, NAN, 0);
    assert_cell(&sb, 1, 1, NAN, 0);
    assert_cell(&sb, 1, 2, 16.0, 1);
    assert_cell(&sb, 1, 3, NAN, 0); /* nan backfill */
    assert_int_equal(sb.start[1], 2);
    assert_int_equal(sb.end[1], 3);
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

static void test_15min_buckets(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    rb_init(&b);
    rb_add(&b, 0, ts(2024, 5, 1, 10, 7, 0), 1.0);
    rb_add(&b, 0, ts(2024, 5, 1, 10, 14, 59), 2.0);
    rb_add(&b, 0, ts(2024, 5, 1, 10, 15, 0), 4.0);
    rb_add(&b, 0, ts(2024, 5, 1, 10, 44, 0), 8.0);
    rb_add(&b, 0, ts(2024, 5, 1, 10, 59, 59), 16.0);
    tsrec__fill_config c;
    target_cfg(&c, TSREC__AGG_AVG, TSREC__FILL_ZERO, TSREC__FILL_ZERO);
    tsrec__series_batch sb;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, TSREC__FREQ_1MIN,
                                             TSREC__FREQ_15MIN, "y", &c, 0),
                     TSREC_OK);
    assert_int_equal(sb.t0, ts(2024, 5, 1, 10, 0, 0));
    assert_int_equal(sb.n_time, 4);
    assert_cell(&sb, 0, 0, 1.5, 1);
    assert_cell(&sb, 0, 1, 4.0, 1);
    assert_cell(&sb, 0, 2, 8.0, 1);
    assert_cell(&sb, 0, 3, 16.0, 1);
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

/* Random rows against a naive per-cell reference, every aggregation. */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void test_aggregation_matches_naive(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    uint64_t seed = 12345;
    rowbuf b;
    rb_init(&b);
    const int64_t base = ts(2024, 2, 1, 0, 0, 0);
    for (int i = 0; i < 400; i++) {
        int64_t s = (int64_t)(lcg(&seed) % 5);
        int64_t t = base + (int64_t)(lcg(&seed) % (3 * 86400)); /* 3 days, any second */
        double v = (lcg(&seed) % 10 == 0) ? NAN : (double)(lcg(&seed) % 1000) / 10.0 - 20.0;
        rb_add(&b, s, t, v);
    }
    for (int32_t agg = TSREC__AGG_SUM; agg <= TSREC__AGG_MAX; agg++) {
        tsrec__fill_config c;
        target_cfg(&c, agg, TSREC__FILL_NAN, TSREC__FILL_NAN);
        tsrec__series_batch sb;
        assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 5, 0,
                                                 TSREC__FREQ_H, "y", &c, 0),
                         TSREC_OK);
        for (int64_t s = 0; s < 5; s++) {
            for (int64_t p = 0; p < sb.n_time; p++) {
                int64_t lo = sb.t0 + p * 3600, hi = lo + 3600;
                double acc = 0.0, best_t = 0.0;
                int64_t n = 0;
                for (int64_t i = 0; i < b.r.n; i++) {
                    if (b.series[i] != s || b.time[i] < lo || b.time[i] >= hi ||
                        isnan(b.value[i]))
                        continue;
                    double v = b.value[i];
                    if (n == 0) {
                        acc = v;
                        best_t = (double)b.time[i];
                    } else if (agg == TSREC__AGG_SUM || agg == TSREC__AGG_AVG) {
                        acc += v;
                    } else if (agg == TSREC__AGG_MIN) {
                        acc = fmin(acc, v);
                    } else if (agg == TSREC__AGG_MAX) {
                        acc = fmax(acc, v);
                    } else if ((double)b.time[i] < best_t) {
                        acc = v;
                        best_t = (double)b.time[i];
                    }
                    n++;
                }
                if (agg == TSREC__AGG_AVG && n > 0)
                    acc /= (double)n;
                int64_t start = sb.start[s], end = sb.end[s];
                if (n > 0)
                    assert_cell(&sb, s, p, acc, 1);
                else
                    assert_cell(&sb, s, p, NAN, 0);
                if (n > 0)
                    assert_true(p >= start && p < end);
            }
        }
        tsrec__series_batch_free(&sb);
    }
    tu_ctx_free_checked(ctx);
}

/* ---- filling of the target ---------------------------------------------- */

/* Daily, global days 0..7 (2024-01-01..08):
 *   s0: day1 = 1, day2 = 8, day3 = 3, day4 missing, day5 = 20, days 6-7 missing
 *   s1: day0 = 10, day7 = 30 (defines the global start and end)
 * Middle gap of s0 (day 4) sees {1, 8, 3}: mean 4, median 3, min 1, max 8.
 * Back gap of s0 (days 6-7) sees {1, 8, 3, 20}: mean 8, median 5.5,
 * min 1, max 20. s1's middle gap (days 1..6) sees {10}. */
static void build_fill_rows(rowbuf *b)
{
    rb_init(b);
    rb_add(b, 0, DAY(2), 1.0);
    rb_add(b, 0, DAY(3), 8.0);
    rb_add(b, 0, DAY(4), 3.0);
    rb_add(b, 0, DAY(6), 20.0);
    rb_add(b, 1, DAY(1), 10.0);
    rb_add(b, 1, DAY(8), 30.0);
}

static void test_target_fill_methods(void **state)
{
    (void)state;
    static const struct {
        int32_t method;
        double middle, back, s1_middle;
    } cases[] = {
        {TSREC__FILL_ZERO, 0.0, 0.0, 0.0},     {TSREC__FILL_NAN, NAN, NAN, NAN},
        {TSREC__FILL_VALUE, 2.5, -7.0, 2.5},   {TSREC__FILL_MEAN, 4.0, 8.0, 10.0},
        {TSREC__FILL_MEDIAN, 3.0, 5.5, 10.0},  {TSREC__FILL_MIN, 1.0, 1.0, 10.0},
        {TSREC__FILL_MAX, 8.0, 20.0, 10.0},
    };
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    build_fill_rows(&b);
    for (size_t i = 0; i < TSREC__ARRAY_LEN(cases); i++) {
        tsrec__fill_config c;
        target_cfg(&c, TSREC__AGG_SUM, cases[i].method, cases[i].method);
        c.value[TSREC__REGION_MIDDLE] = 2.5;
        c.value[TSREC__REGION_BACK] = -7.0;
        tsrec__series_batch sb;
        assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2,
                                                 TSREC__FREQ_D, TSREC__FREQ_D, "demand", &c,
                                                 0),
                         TSREC_OK);
        assert_int_equal(sb.n_time, 8);
        assert_cell(&sb, 0, 0, NAN, 0); /* frontfill none */
        assert_cell(&sb, 0, 1, 1.0, 1);
        assert_cell(&sb, 0, 2, 8.0, 1);
        assert_cell(&sb, 0, 3, 3.0, 1);
        assert_cell(&sb, 0, 4, cases[i].middle, 0);
        assert_cell(&sb, 0, 5, 20.0, 1);
        assert_cell(&sb, 0, 6, cases[i].back, 0);
        assert_cell(&sb, 0, 7, cases[i].back, 0); /* backfill up to the global end */
        assert_int_equal(sb.start[0], 1);
        assert_int_equal(sb.end[0], 6);
        for (int64_t t = 1; t < 7; t++)
            assert_cell(&sb, 1, t, cases[i].s1_middle, 0);
        assert_cell(&sb, 1, 0, 10.0, 1);
        assert_cell(&sb, 1, 7, 30.0, 1);
        tsrec__series_batch_free(&sb);
    }
    tu_ctx_free_checked(ctx);
}

/* Middle and back use their own methods. */
static void test_target_mixed_regions(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    build_fill_rows(&b);
    tsrec__fill_config c;
    target_cfg(&c, TSREC__AGG_SUM, TSREC__FILL_MAX, TSREC__FILL_NAN);
    tsrec__series_batch sb;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, TSREC__FREQ_D,
                                             TSREC__FREQ_D, "demand", &c, 0),
                     TSREC_OK);
    assert_cell(&sb, 0, 4, 8.0, 0);
    assert_cell(&sb, 0, 6, NAN, 0);
    assert_cell(&sb, 0, 7, NAN, 0);
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

/* 100 observations v_i = i*i, a middle gap, one more observation, then a
 * second gap (back). Statistics must use only the last 64 observations
 * before each gap, never the filled values. */
static void test_fill_window_64(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    rb_init(&b);
    for (int64_t i = 0; i < 100; i++)
        rb_add(&b, 0, DAY(1) + i * 86400, (double)(i * i));
    rb_add(&b, 0, DAY(1) + 103 * 86400, 5.0);  /* days 100..102 missing */
    rb_add(&b, 1, DAY(1) + 105 * 86400, 1.0);  /* global end: day 105 */
    /* Window before the middle gap: i = 36..99. */
    double sum = 0.0;
    for (int64_t i = 36; i < 100; i++)
        sum += (double)(i * i);
    double mean_mid = sum / 64.0;
    double median_mid = (67.0 * 67.0 + 68.0 * 68.0) / 2.0;
    /* Window before the back gap: i = 37..99 and the 5. */
    double sum_back = 5.0;
    for (int64_t i = 37; i < 100; i++)
        sum_back += (double)(i * i);
    double mean_back = sum_back / 64.0;
    double median_back = (67.0 * 67.0 + 68.0 * 68.0) / 2.0; /* 5 shifts the order by one */
    static const int32_t methods[] = {TSREC__FILL_MEAN, TSREC__FILL_MEDIAN, TSREC__FILL_MIN,
                                      TSREC__FILL_MAX};
    const double want_mid[] = {mean_mid, median_mid, 36.0 * 36.0, 99.0 * 99.0};
    const double want_back[] = {mean_back, median_back, 5.0, 99.0 * 99.0};
    for (size_t k = 0; k < TSREC__ARRAY_LEN(methods); k++) {
        tsrec__fill_config c;
        target_cfg(&c, TSREC__AGG_SUM, methods[k], methods[k]);
        tsrec__series_batch sb;
        assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, 0,
                                                 TSREC__FREQ_D, "y", &c, 0),
                         TSREC_OK);
        assert_int_equal(sb.n_time, 106);
        for (int64_t t = 100; t < 103; t++)
            assert_cell(&sb, 0, t, want_mid[k], 0);
        assert_cell(&sb, 0, 103, 5.0, 1);
        assert_cell(&sb, 0, 104, want_back[k], 0);
        assert_cell(&sb, 0, 105, want_back[k], 0);
        tsrec__series_batch_free(&sb);
    }
    /* The whole-history mean would differ: the test can tell. */
    assert_true(fabs(mean_mid - 3283.5) > 100.0);
    tu_ctx_free_checked(ctx);
}

/* Filled values never enter the window: [1, gap, 3, gap] with mean gives
 * 1 for the first gap and mean{1, 3} = 2 (not 5/3) for the second. */
static void test_filled_values_not_in_window(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    rb_init(&b);
    rb_add(&b, 0, DAY(1), 1.0);
    rb_add(&b, 0, DAY(3), 3.0);
    rb_add(&b, 1, DAY(4), 0.0);
    tsrec__fill_config c;
    target_cfg(&c, TSREC__AGG_SUM, TSREC__FILL_MEAN, TSREC__FILL_MEAN);
    tsrec__series_batch sb;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_OK);
    assert_cell(&sb, 0, 1, 1.0, 0);
    assert_cell(&sb, 0, 3, 2.0, 0);
    /* Series 1: single point on the last day; everything before is front. */
    for (int64_t t = 0; t < 3; t++)
        assert_cell(&sb, 1, t, NAN, 0);
    assert_int_equal(sb.start[1], 3);
    assert_int_equal(sb.end[1], 4);
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

/* NaN input values are missing: skipped in buckets that have values, a
 * bucket of only NaN is filled like an empty one, an all-NaN series stays
 * missing with start = end = 0. */
static void test_nan_inputs(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    rowbuf b;
    rb_init(&b);
    rb_add(&b, 0, DAY(1), 4.0);
    rb_add(&b, 0, DAY(1) + 60, NAN);
    rb_add(&b, 0, DAY(2), NAN);
    rb_add(&b, 0, DAY(3), 6.0);
    rb_add(&b, 1, DAY(2), NAN);
    tsrec__fill_config c;
    target_cfg(&c, TSREC__AGG_AVG, TSREC__FILL_VALUE, TSREC__FILL_ZERO);
    c.value[TSREC__REGION_MIDDLE] = -1.0;
    tsrec__series_batch sb;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 3, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_OK);
    assert_int_equal(sb.n_time, 3);
    assert_cell(&sb, 0, 0, 4.0, 1);
    assert_cell(&sb, 0, 1, -1.0, 0);
    assert_cell(&sb, 0, 2, 6.0, 1);
    for (int64_t s = 1; s < 3; s++) { /* all-NaN series, and one with no rows */
        for (int64_t t = 0; t < 3; t++)
            assert_cell(&sb, s, t, NAN, 0);
        assert_int_equal(sb.start[s], 0);
        assert_int_equal(sb.end[s], 0);
        assert_int_equal(sb.item[s], -1);
    }
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

static void test_bad_target_input(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__fill_config c;
    tsrec__fill_config_target(&c);
    tsrec__series_batch sb;
    rowbuf b;
    rb_init(&b);
    /* empty input */
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_E_EMPTY);
    assert_null(sb.y);
    rb_add(&b, 0, DAY(1), 1.0);
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 0, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_E_EMPTY);
    /* forecast frequency finer than the data */
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, TSREC__FREQ_D,
                                             TSREC__FREQ_H, "y", &c, 0),
                     TSREC_E_INVALID_ARG);
    assert_msg_has(ctx, "'H'", "'D'", "finer");
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, TSREC__FREQ_W,
                                             TSREC__FREQ_D, "y", &c, 0),
                     TSREC_E_INVALID_ARG);
    /* equal or coarser is fine (weekly data to monthly too) */
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, TSREC__FREQ_W,
                                             TSREC__FREQ_M, "y", &c, 0),
                     TSREC_OK);
    tsrec__series_batch_free(&sb);
    /* bad frequency codes */
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, 0, 0, "y", &c, 0),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 1, 99, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_E_INVALID_ARG);
    /* series index out of range */
    rb_add(&b, 3, DAY(2), 1.0);
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_E_INVALID_ARG);
    assert_null(sb.y);
    /* infinite value */
    b.series[1] = 0;
    b.value[1] = INFINITY;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_E_NAN);
    /* timestamp outside years 1..9999 */
    b.value[1] = 1.0;
    b.time[1] = TSREC__TIME_MAX + 1;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_E_OUT_OF_RANGE);
    /* a target config that breaks the rules */
    b.time[1] = DAY(2);
    c.method[TSREC__REGION_FUTURE] = TSREC__FILL_ZERO;
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_E_INVALID_ARG);
    assert_msg_has(ctx, "'y'", "futurefill", "zero");
    /* NULL arguments */
    assert_int_equal(tsrec__featurize_target(NULL, ctx, &ctx->hdr, &b.r, 2, 0, TSREC__FREQ_D,
                                             "y", &c, 0),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &b.r, 2, 0, TSREC__FREQ_D,
                                             "y", NULL, 0),
                     TSREC_E_INVALID_ARG);
    tu_ctx_free_checked(ctx);
}

/* ---- related series --------------------------------------------------- */

/* Target: 2 series over days 0..3. Related "price", horizon 2 (days 4, 5):
 *   s0: 1, 2, -, 4 | 5, -    middle (day 2) value 9; future (day 5) mean of
 *                            {1, 2, 4, 5} = 3
 *   s1: 6, 8, -, - | -, -    back (days 2-3) max = 8; future (days 4-5)
 *                            mean {6, 8} = 7 */
static void build_related_case(tsrec_ctx *ctx, tsrec__series_batch *sb, rowbuf *rel)
{
    rowbuf b;
    rb_init(&b);
    rb_add(&b, 0, DAY(1), 10.0);
    rb_add(&b, 0, DAY(4), 11.0);
    rb_add(&b, 1, DAY(2), 12.0);
    rb_add(&b, 1, DAY(3), 13.0);
    tsrec__fill_config c;
    tsrec__fill_config_target(&c);
    assert_int_equal(tsrec__featurize_target(sb, ctx, &ctx->hdr, &b.r, 2, TSREC__FREQ_D,
                                             TSREC__FREQ_D, "demand", &c, 0),
                     TSREC_OK);
    assert_int_equal(sb->n_time, 4);
    rb_init(rel);
    rb_add(rel, 0, DAY(1), 1.0);
    rb_add(rel, 0, DAY(2), 2.0);
    rb_add(rel, 0, DAY(4), 4.0);
    rb_add(rel, 0, DAY(5), 5.0);
    rb_add(rel, 0, DAY(3), NAN); /* explicitly missing */
    rb_add(rel, 1, DAY(1), 6.0);
    rb_add(rel, 1, DAY(2), 8.0);
    rb_add(rel, 0, DAY(20), 99.0); /* beyond the horizon: ignored */
}

static void related_cfg(tsrec__fill_config *c)
{
    tsrec__fill_config_related(c);
    c->method[TSREC__REGION_MIDDLE] = TSREC__FILL_VALUE;
    c->value[TSREC__REGION_MIDDLE] = 9.0;
    c->method[TSREC__REGION_BACK] = TSREC__FILL_MAX;
    c->method[TSREC__REGION_FUTURE] = TSREC__FILL_MEAN;
}

static void assert_rel(const tsrec__series_batch *b, int64_t f, int64_t s, int64_t t,
                       double want, int obs)
{
    double got = tsrec__series_batch_related(b, f, s)[t];
    if (fabs(got - want) > 1e-12)
        fail_msg("related %lld series %lld period %lld: got %g, want %g", (long long)f,
                 (long long)s, (long long)t, got, want);
    assert_int_equal(b->related_observed[(f * b->n_series + s) * b->n_time_related + t], obs);
}

static void test_related_futurefill(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__series_batch sb;
    rowbuf rel;
    build_related_case(ctx, &sb, &rel);
    tsrec__fill_config cfgs[2];
    related_cfg(&cfgs[0]);
    tsrec__fill_config_related(&cfgs[1]);
    cfgs[1].method[TSREC__REGION_MIDDLE] = TSREC__FILL_ZERO;
    cfgs[1].method[TSREC__REGION_BACK] = TSREC__FILL_ZERO;
    cfgs[1].method[TSREC__REGION_FUTURE] = TSREC__FILL_MIN;
    tsrec__ts_rows rows[2] = {rel.r, rel.r};
    const char *names[2] = {"price", "promo"};
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 2, 2, rows, names, cfgs,
                                              TSREC__FREQ_D),
                     TSREC_OK);
    assert_int_equal(sb.n_related, 2);
    assert_int_equal(sb.n_time_related, 6);
    const double s0[] = {1, 2, 9, 4, 5, 3};
    const int o0[] = {1, 1, 0, 1, 1, 0};
    const double s1[] = {6, 8, 8, 8, 7, 7};
    const int o1[] = {1, 1, 0, 0, 0, 0};
    for (int64_t t = 0; t < 6; t++) {
        assert_rel(&sb, 0, 0, t, s0[t], o0[t]);
        assert_rel(&sb, 0, 1, t, s1[t], o1[t]);
    }
    /* promo: zero middle/back, min future */
    const double p0[] = {1, 2, 0, 4, 5, 1};
    const double p1[] = {6, 8, 0, 0, 6, 6};
    for (int64_t t = 0; t < 6; t++) {
        assert_rel(&sb, 1, 0, t, p0[t], o0[t]);
        assert_rel(&sb, 1, 1, t, p1[t], o1[t]);
    }
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

static void test_related_errors(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__series_batch sb;
    rowbuf rel;
    build_related_case(ctx, &sb, &rel);
    const char *names[1] = {"price"};
    tsrec__fill_config cfg;
    /* a needed fill left unset: error names attribute and region */
    related_cfg(&cfg);
    cfg.method[TSREC__REGION_FUTURE] = TSREC__FILL_UNSET;
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 2, 1, &rel.r, names, &cfg, 0),
                     TSREC_E_INVALID_ARG);
    assert_msg_has(ctx, "'price'", "futurefill", "no futurefill method");
    assert_null(sb.related);
    assert_int_equal(sb.n_related, 0);
    related_cfg(&cfg);
    cfg.method[TSREC__REGION_BACK] = TSREC__FILL_UNSET;
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 2, 1, &rel.r, names, &cfg, 0),
                     TSREC_E_INVALID_ARG);
    assert_msg_has(ctx, "'price'", "backfill", NULL);
    /* unset regions that hold no missing value are fine: horizon 0 and a
     * complete series need no futurefill */
    related_cfg(&cfg);
    cfg.method[TSREC__REGION_FUTURE] = TSREC__FILL_UNSET;
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 0, 1, &rel.r, names, &cfg, 0),
                     TSREC_OK);
    assert_int_equal(sb.n_time_related, 4);
    assert_rel(&sb, 0, 0, 2, 9.0, 0);
    tsrec__series_batch_free(&sb);

    build_related_case(ctx, &sb, &rel);
    related_cfg(&cfg);
    /* nan is refused for related series */
    cfg.method[TSREC__REGION_MIDDLE] = TSREC__FILL_NAN;
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 2, 1, &rel.r, names, &cfg, 0),
                     TSREC_E_INVALID_ARG);
    assert_msg_has(ctx, "'price'", "middlefill", "'nan'");
    /* aggregation refused for related series */
    related_cfg(&cfg);
    cfg.aggregation = TSREC__AGG_SUM;
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 2, 1, &rel.r, names, &cfg, 0),
                     TSREC_E_INVALID_ARG);
    assert_msg_has(ctx, "'price'", "aggregation", "sum");
    /* a target config is not a related one */
    tsrec__fill_config_target(&cfg);
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 2, 1, &rel.r, names, &cfg, 0),
                     TSREC_E_INVALID_ARG);
    /* RTS frequency must equal the forecast frequency */
    related_cfg(&cfg);
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 2, 1, &rel.r, names, &cfg,
                                              TSREC__FREQ_H),
                     TSREC_E_INVALID_ARG);
    assert_msg_has(ctx, "'H'", "'D'", "frequency");
    /* duplicate (series, period): related series are never aggregated */
    rowbuf dup = rel;
    dup.r.series = dup.series;
    dup.r.time = dup.time;
    dup.r.value = dup.value;
    rb_add(&dup, 1, DAY(2) + 3600, 7.0);
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 2, 1, &dup.r, names, &cfg, 0),
                     TSREC_E_DUPLICATE);
    assert_msg_has(ctx, "'price'", "series 1", "2024-01-02");
    /* related series starting after its target: series 1's target starts
     * on day 1 (index 1); drop its day-0 and day-1 values */
    rowbuf late;
    rb_init(&late);
    rb_add(&late, 0, DAY(1), 1.0);
    rb_add(&late, 0, DAY(4), 4.0);
    rb_add(&late, 1, DAY(3), 8.0);
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 0, 1, &late.r, names, &cfg, 0),
                     TSREC_E_SCHEMA);
    assert_msg_has(ctx, "'price'", "series 1", "after its target");
    /* a related series with no value at all for a target series */
    rb_init(&late);
    rb_add(&late, 0, DAY(1), 1.0);
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 0, 1, &late.r, names, &cfg, 0),
                     TSREC_E_SCHEMA);
    assert_msg_has(ctx, "'price'", "series 1", "no value");
    /* infinite value */
    rb_init(&late);
    rb_add(&late, 0, DAY(1), INFINITY);
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, 0, 1, &late.r, names, &cfg, 0),
                     TSREC_E_NAN);
    assert_null(sb.related);
    /* negative horizon */
    assert_int_equal(tsrec__featurize_related(&sb, &ctx->hdr, -1, 1, &rel.r, names, &cfg, 0),
                     TSREC_E_INVALID_ARG);
    tsrec__series_batch_free(&sb);
    tu_ctx_free_checked(ctx);
}

/* ---- the config parser -------------------------------------------------- */

static int parse_map(tsrec_ctx *ctx, tsrec__fill_config *c, int related, const char *attr,
                     const char *const *kv, int64_t n)
{
    const char *keys[16], *vals[16];
    for (int64_t i = 0; i < n; i++) {
        keys[i] = kv[2 * i];
        vals[i] = kv[2 * i + 1];
    }
    if (related)
        tsrec__fill_config_related(c);
    else
        tsrec__fill_config_target(c);
    return tsrec__fill_config_parse(c, &ctx->hdr, attr, keys, vals, n);
}

static void test_parse_valid(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__fill_config c;
    const char *aws[] = {"aggregation", "sum", "frontfill", "none", "middlefill", "zero",
                         "backfill", "value", "backfill_value", "2"};
    assert_int_equal(parse_map(ctx, &c, 0, "target_value", aws, 5), TSREC_OK);
    assert_int_equal(c.aggregation, TSREC__AGG_SUM);
    assert_int_equal(c.method[TSREC__REGION_FRONT], TSREC__FILL_NONE);
    assert_int_equal(c.method[TSREC__REGION_MIDDLE], TSREC__FILL_ZERO);
    assert_int_equal(c.method[TSREC__REGION_BACK], TSREC__FILL_VALUE);
    assert_true(c.value[TSREC__REGION_BACK] == 2.0);
    /* empty map: the AWS target defaults */
    assert_int_equal(parse_map(ctx, &c, 0, "t", NULL, 0), TSREC_OK);
    assert_int_equal(c.aggregation, TSREC__AGG_SUM);
    assert_int_equal(c.method[TSREC__REGION_MIDDLE], TSREC__FILL_ZERO);
    assert_int_equal(c.method[TSREC__REGION_BACK], TSREC__FILL_ZERO);
    /* every aggregation and target method name */
    const char *aggs[] = {"sum", "avg", "first", "min", "max"};
    for (int32_t g = 0; g < 5; g++) {
        const char *kv[] = {"aggregation", aggs[g]};
        assert_int_equal(parse_map(ctx, &c, 0, "t", kv, 1), TSREC_OK);
        assert_int_equal(c.aggregation, g + 1);
        assert_string_equal(tsrec__agg_name(c.aggregation), aggs[g]);
    }
    const char *fills[] = {"zero", "nan", "median", "mean", "min", "max"};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(fills); i++) {
        const char *kv[] = {"middlefill", fills[i], "backfill", fills[i]};
        assert_int_equal(parse_map(ctx, &c, 0, "t", kv, 2), TSREC_OK);
        assert_string_equal(tsrec__fill_name(c.method[TSREC__REGION_MIDDLE]), fills[i]);
        assert_string_equal(tsrec__fill_name(c.method[TSREC__REGION_BACK]), fills[i]);
    }
    /* the AWS related example, value key before its method */
    const char *price[] = {"backfill_value", "-2.5e1", "middlefill", "median", "backfill",
                           "value", "futurefill", "max"};
    assert_int_equal(parse_map(ctx, &c, 1, "price", price, 4), TSREC_OK);
    assert_int_equal(c.related, 1);
    assert_int_equal(c.aggregation, 0);
    assert_int_equal(c.method[TSREC__REGION_MIDDLE], TSREC__FILL_MEDIAN);
    assert_int_equal(c.method[TSREC__REGION_BACK], TSREC__FILL_VALUE);
    assert_true(c.value[TSREC__REGION_BACK] == -25.0);
    assert_int_equal(c.method[TSREC__REGION_FUTURE], TSREC__FILL_MAX);
    assert_int_equal(c.method[TSREC__REGION_FRONT], TSREC__FILL_UNSET);
    tu_ctx_free_checked(ctx);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        int related;
        const char *kv[6];
        int64_t n;
        int want;
        const char *m1, *m2, *m3;
    } cases[] = {
        /* missing companion value */
        {0, {"backfill", "value"}, 1, TSREC_E_INVALID_ARG, "'a'", "backfill_value",
         "missing"},
        {1, {"futurefill", "value"}, 1, TSREC_E_INVALID_ARG, "'a'", "futurefill_value",
         NULL},
        /* companion value without "value" */
        {0, {"middlefill_value", "3"}, 1, TSREC_E_INVALID_ARG, "middlefill_value", "zero",
         NULL},
        /* non-numeric, non-finite values */
        {0, {"middlefill", "value", "middlefill_value", "abc"}, 2, TSREC_E_BAD_TYPE,
         "middlefill_value", "abc", NULL},
        {0, {"middlefill", "value", "middlefill_value", "nan"}, 2, TSREC_E_BAD_TYPE, NULL,
         NULL, NULL},
        {0, {"middlefill", "value", "middlefill_value", "inf"}, 2, TSREC_E_BAD_TYPE, NULL,
         NULL, NULL},
        {0, {"middlefill", "value", "middlefill_value", "2 "}, 2, TSREC_E_BAD_TYPE, NULL,
         NULL, NULL},
        {0, {"middlefill", "value", "middlefill_value", ""}, 2, TSREC_E_BAD_TYPE, NULL, NULL,
         NULL},
        /* unknown keys and names */
        {0, {"fill", "zero"}, 1, TSREC_E_UNKNOWN_NAME, "'fill'", NULL, NULL},
        {0, {"frontfill_value", "1"}, 1, TSREC_E_UNKNOWN_NAME, "frontfill_value", NULL,
         NULL},
        {0, {"middlefill", "Zero"}, 1, TSREC_E_UNKNOWN_NAME, "middlefill", "'Zero'", NULL},
        {0, {"aggregation", "mean"}, 1, TSREC_E_UNKNOWN_NAME, "aggregation", "'mean'",
         NULL},
        /* duplicates */
        {0, {"backfill", "zero", "backfill", "nan"}, 2, TSREC_E_DUPLICATE, "backfill", NULL,
         NULL},
        /* forbidden combinations */
        {0, {"frontfill", "zero"}, 1, TSREC_E_INVALID_ARG, "frontfill", "'zero'", "none"},
        {0, {"futurefill", "zero"}, 1, TSREC_E_INVALID_ARG, "futurefill", "'zero'",
         "related"},
        {0, {"middlefill", "none"}, 1, TSREC_E_INVALID_ARG, "middlefill", "'none'", NULL},
        {1, {"middlefill", "nan"}, 1, TSREC_E_INVALID_ARG, "middlefill", "'nan'",
         "related"},
        {1, {"futurefill", "nan"}, 1, TSREC_E_INVALID_ARG, "futurefill", "'nan'", NULL},
        {1, {"aggregation", "sum"}, 1, TSREC_E_INVALID_ARG, "aggregation", "related", NULL},
        {1, {"frontfill", "none"}, 1, TSREC_E_INVALID_ARG, "frontfill", "'none'", NULL},
    };
    tsrec_ctx *ctx = tu_ctx_new();
    for (size_t i = 0; i < TSREC__ARRAY_LEN(cases); i++) {
        tsrec__fill_config c, before;
        int rc = parse_map(ctx, &c, cases[i].related, "a", cases[i].kv, 0);
        assert_int_equal(rc, TSREC_OK);
        before = c;
        const char *keys[3], *vals[3];
        for (int64_t k = 0; k < cases[i].n; k++) {
            keys[k] = cases[i].kv[2 * k];
            vals[k] = cases[i].kv[2 * k + 1];
        }
        rc = tsrec__fill_config_parse(&c, &ctx->hdr, "a", keys, vals, cases[i].n);
        if (rc != cases[i].want)
            fail_msg("case %zu: got %s, want %s (%s)", i, tsrec_status_str(rc),
                     tsrec_status_str(cases[i].want), tsrec_errmsg(ctx));
        assert_msg_has(ctx, cases[i].m1, cases[i].m2, cases[i].m3);
        assert_memory_equal(&c, &before, sizeof c); /* all or nothing */
    }
    /* NULL key */
    tsrec__fill_config c;
    tsrec__fill_config_target(&c);
    const char *keys[1] = {NULL}, *vals[1] = {"zero"};
    assert_int_equal(tsrec__fill_config_parse(&c, &ctx->hdr, "a", keys, vals, 1),
                     TSREC_E_INVALID_ARG);
    /* a config built in code with a non-finite value */
    target_cfg(&c, TSREC__AGG_SUM, TSREC__FILL_VALUE, TSREC__FILL_ZERO);
    c.value[TSREC__REGION_MIDDLE] = NAN;
    assert_int_equal(tsrec__fill_config_check(&c, &ctx->hdr, "a"), TSREC_E_NAN);
    tu_ctx_free_checked(ctx);
}

/* ---- the batch itself ---------------------------------------------------- */

static void test_batch_init_meta(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__series_batch sb;
    assert_int_equal(tsrec__series_batch_init(&sb, ctx, &ctx->hdr, TSREC__FREQ_D, DAY(1), 3,
                                              5, 2),
                     TSREC_OK);
    for (int64_t k = 0; k < 15; k++) {
        assert_true(isnan(sb.y[k]));
        assert_int_equal(sb.observed[k], 0);
    }
    for (int64_t k = 0; k < 6; k++)
        assert_int_equal(sb.dims[k], -1);
    assert_int_equal(tsrec__series_batch_add_meta(&sb, &ctx->hdr, 4), TSREC_OK);
    for (int64_t k = 0; k < 12; k++)
        assert_int_equal(sb.meta[k], -1);
    assert_int_equal(tsrec__series_batch_add_meta(&sb, &ctx->hdr, 4), TSREC_E_INVALID_ARG);
    tsrec__series_batch_free(&sb);
    tsrec__series_batch_free(&sb); /* zeroed: no-op */
    tsrec__series_batch_free(NULL);
    assert_int_equal(tsrec__series_batch_init(&sb, ctx, &ctx->hdr, TSREC__FREQ_D, 0,
                                              INT64_MAX / 2, 4, 0),
                     TSREC_E_NOMEM);
    assert_null(sb.y);
    assert_int_equal(tsrec__series_batch_init(&sb, ctx, &ctx->hdr, 0, 0, 1, 1, 0),
                     TSREC_E_INVALID_ARG);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_example_every_aggregation),
        cmocka_unit_test(test_first_ties),
        cmocka_unit_test(test_weekly_buckets_start_monday),
        cmocka_unit_test(test_monthly_buckets),
        cmocka_unit_test(test_15min_buckets),
        cmocka_unit_test(test_aggregation_matches_naive),
        cmocka_unit_test(test_target_fill_methods),
        cmocka_unit_test(test_target_mixed_regions),
        cmocka_unit_test(test_fill_window_64),
        cmocka_unit_test(test_filled_values_not_in_window),
        cmocka_unit_test(test_nan_inputs),
        cmocka_unit_test(test_bad_target_input),
        cmocka_unit_test(test_related_futurefill),
        cmocka_unit_test(test_related_errors),
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_batch_init_meta),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
