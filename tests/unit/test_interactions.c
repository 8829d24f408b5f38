/* Interaction store: per-user CSR, item postings and counts against a
 * naive reference (filter, sort by (user, time, input order), quadratic
 * dedup) on random data; filters, deduplication cases, bad input, and
 * incremental append against a full build on the union. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hash_internal.h"
#include "interactions_internal.h"
#include "meta_encode_internal.h"

/* ---- local PRNG (xorshift64*), so the data never depends on the library */

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

/* ---- random rows --------------------------------------------------------- */

typedef struct data {
    int64_t n;
    int32_t *user, *item, *et;
    int64_t *ts;
    float *val;
} data;

static const char *const NAMES[] = {"click", "buy", "rate"};

static void data_alloc(data *d, int64_t n)
{
    d->n = n;
    d->user = calloc((size_t)n + 1, sizeof(int32_t));
    d->item = calloc((size_t)n + 1, sizeof(int32_t));
    d->et = calloc((size_t)n + 1, sizeof(int32_t));
    d->ts = calloc((size_t)n + 1, sizeof(int64_t));
    d->val = calloc((size_t)n + 1, sizeof(float));
    assert_non_null(d->user);
    assert_non_null(d->item);
    assert_non_null(d->et);
    assert_non_null(d->ts);
    assert_non_null(d->val);
}

static void data_free(data *d)
{
    free(d->user);
    free(d->item);
    free(d->et);
    free(d->ts);
    free(d->val);
    memset(d, 0, sizeof(*d));
}

/* User 0 is heavy (about a third of the rows, to reach the radix sort and
 * the long-run dedup path); timestamps mix a narrow range (ties), far
 * values (several radix bytes) and negatives. */
static void data_random(data *d, int64_t n, int64_t n_users, int64_t n_items)
{
    static const float vals[] = {0.0f, -0.0f, 1.0f, 2.5f, 3.0f};
    data_alloc(d, n);
    for (int64_t i = 0; i < n; i++) {
        d->user[i] = rng_int(3) == 0 ? 0 : (int32_t)rng_int(n_users);
        d->item[i] = (int32_t)rng_int(n_items);
        int64_t r = rng_int(10);
        if (r < 6)
            d->ts[i] = 1600000000 + rng_int(20);
        else if (r < 9)
            d->ts[i] = rng_int(INT64_C(1) << 40);
        else
            d->ts[i] = -rng_int(1000);
        d->et[i] = (int32_t)rng_int(4) - 1;
        d->val[i] = rng_int(5) == 0 ? NAN : vals[rng_int(5)];
    }
}

static tsrec__interaction_rows rows_of(const data *d, int with_types, int with_values)
{
    tsrec__interaction_rows r = {d->n, d->user, d->item, d->ts,
                                 with_types ? d->et : NULL, with_values ? d->val : NULL};
    return r;
}

/* ---- naive reference ------------------------------------------------------ */

typedef struct ref_row {
    int32_t user, item, et;
    int64_t ts;
    float val;
    int64_t order;
} ref_row;

static int cmp_ref(const void *a, const void *b)
{
    const ref_row *x = a, *y = b;
    if (x->user != y->user)
        return x->user < y->user ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->order < y->order ? -1 : (x->order > y->order);
}

static int same_val(float a, float b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return a == b;
}

/* Reference rows kept, in store order; returns their count. */
static int64_t reference(const tsrec__interaction_rows *r, const char *type_name,
                         int has_thr, double thr, int dedup, ref_row *out)
{
    int32_t code = -1;
    if (type_name != NULL) {
        code = -2;
        for (int t = 0; t < 3; t++)
            if (strcmp(NAMES[t], type_name) == 0)
                code = t;
    }
    int64_t m = 0;
    for (int64_t i = 0; i < r->n; i++) {
        int32_t et = r->event_type ? r->event_type[i] : -1;
        float v = r->value ? r->value[i] : NAN;
        if (code != -1 && et != code)
            continue;
        if (has_thr && !(isfinite(v) && (double)v >= thr))
            continue;
        ref_row x = {r->user[i], r->item[i], et, r->ts[i], v, i};
        out[m++] = x;
    }
    qsort(out, (size_t)m, sizeof(ref_row), cmp_ref);
    if (!dedup)
        return m;
    int64_t w = 0;
    for (int64_t k = 0; k < m; k++) {
        int dup = 0;
        for (int64_t j = 0; j < w && !dup; j++)
            dup = out[j].user == out[k].user && out[j].item == out[k].item &&
                  out[j].ts == out[k].ts && out[j].et == out[k].et &&
                  same_val(out[j].val, out[k].val);
        if (!dup)
            out[w++] = out[k];
    }
    return w;
}

typedef struct post {
    int32_t item, user;
    int64_t ts, pos;
} post;

static int cmp_post(const void *a, const void *b)
{
    const post *x = a, *y = b;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    if (x->user != y->user)
        return x->user < y->user ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->pos < y->pos ? -1 : (x->pos > y->pos);
}

/* Every array and count of s against the reference rows ref[0..m). */
static void check_store(const tsrec__interactions *s, const ref_row *ref, int64_t m,
                        int64_t n_users, int64_t n_items, int64_t n_types)
{
    assert_int_equal(s->n, m);
    assert_int_equal(s->n_users, n_users);
    assert_int_equal(s->n_items, n_items);
    int64_t k = 0;
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    for (int64_t u = 0; u < n_users; u++) {
        assert_int_equal(s->user_off[u], k);
        while (k < m && ref[k].user == u) {
            assert_int_equal(s->item[k], ref[k].item);
            assert_int_equal(s->ts[k], ref[k].ts);
            if (s->event_type != NULL)
                assert_int_equal(s->event_type[k], ref[k].et);
            if (s->value != NULL)
                assert_true(same_val(s->value[k], ref[k].val));
            tmin = ref[k].ts < tmin ? ref[k].ts : tmin;
            tmax = ref[k].ts > tmax ? ref[k].ts : tmax;
            k++;
        }
        assert_int_equal(s->user_off[u + 1], k);
    }
    assert_int_equal(k, m);
    assert_int_equal(s->ts_min, tmin);
    assert_int_equal(s->ts_max, tmax);
    /* postings: sort by (item, user, time, position) */
    post *p = calloc((size_t)m + 1, sizeof(post));
    assert_non_null(p);
    for (int64_t j = 0; j < m; j++) {
        post x = {ref[j].item, ref[j].user, ref[j].ts, j};
        p[j] = x;
    }
    qsort(p, (size_t)m, sizeof(post), cmp_post);
    int64_t q = 0;
    for (int64_t i = 0; i < n_items; i++) {
        assert_int_equal(s->item_off[i], q);
        int64_t per_type[3] = {0, 0, 0};
        while (q < m && p[q].item == i) {
            assert_int_equal(s->post_user[q], p[q].user);
            int32_t et = ref[p[q].pos].et;
            if (et >= 0)
                per_type[et]++;
            q++;
        }
        assert_int_equal(tsrec__interactions_item_count(s, i), q - s->item_off[i]);
        if (s->item_type_count != NULL)
            for (int t = 0; t < n_types; t++)
                assert_int_equal(s->item_type_count[i * n_types + t], per_type[t]);
    }
    assert_int_equal(s->item_off[n_items], m);
    free(p);
}

static tsrec__interaction_codes codes_of(int64_t n_users, int64_t n_items)
{
    tsrec__interaction_codes c = {n_users, n_items, 3, NAMES};
    return c;
}

/* ---- tests ----------------------------------------------------------------- */

static void test_random_matches_reference(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    for (int seed = 1; seed <= 12; seed++) {
        rng_seed((uint64_t)seed);
        int64_t n = 500 + rng_int(3000);
        int64_t n_users = 1 + rng_int(60), n_items = 1 + rng_int(40);
        data d;
        data_random(&d, n, n_users, n_items);
        int with_types = seed % 3 != 0, with_values = seed % 4 != 0;
        int dedup = seed % 5 != 0;
        const char *type_name = (seed % 2 == 0 && with_types) ? NAMES[seed % 3] : NULL;
        int has_thr = seed % 3 == 1 && with_values;
        double thr = 1.0;
        tsrec__interaction_rows r = rows_of(&d, with_types, with_values);
        tsrec__interaction_codes c = codes_of(n_users, n_items);
        tsrec__interaction_opts o;
        tsrec__interaction_opts_init(&o);
        o.event_type = type_name;
        o.has_threshold = has_thr;
        o.value_threshold = thr;
        o.dedup = dedup;
        ref_row *ref = calloc((size_t)n, sizeof(ref_row));
        assert_non_null(ref);
        int64_t m = reference(&r, type_name, has_thr, thr, dedup, ref);
        tsrec__interactions s;
        int rc = tsrec__interactions_build(&s, ctx, NULL, &r, &c, &o);
        if (m == 0) {
            assert_int_equal(rc, TSREC_E_EMPTY);
        } else {
            assert_int_equal(rc, TSREC_OK);
            check_store(&s, ref, m, n_users, n_items, 3);
            assert_int_equal(s.n_input, n);
            assert_int_equal(s.n_filtered + s.n_duplicates + s.n, n);
            assert_true(tsrec__interactions_bytes(&s) > 0);
        }
        tsrec__interactions_free(&s);
        free(ref);
        data_free(&d);
    }
    tu_ctx_free_checked(ctx);
}

/* A small hand-written table: user, item, ts, type, value. */
typedef struct hand {
    int32_t user, item;
    int64_t ts;
    int32_t et;
    float val;
} hand;

static int build_hand(tsrec_ctx *ctx, tsrec__interactions *s, const hand *h, int64_t n,
                      const tsrec__interaction_opts *o, data *d)
{
    data_alloc(d, n);
    for (int64_t i = 0; i < n; i++) {
        d->user[i] = h[i].user;
        d->item[i] = h[i].item;
        d->ts[i] = h[i].ts;
        d->et[i] = h[i].et;
        d->val[i] = h[i].val;
    }
    tsrec__interaction_rows r = rows_of(d, 1, 1);
    tsrec__interaction_codes c = codes_of(3, 4);
    return tsrec__interactions_build(s, ctx, NULL, &r, &c, o);
}

static void test_event_type_filter(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const hand h[] = {
        {0, 1, 10, 0, NAN}, {0, 2, 11, 1, NAN}, {1, 3, 5, 1, 2.0f},
        {1, 0, 6, -1, NAN}, {2, 2, 1, 2, 1.0f}, {2, 1, 0, 1, 0.5f},
    };
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    o.event_type = "buy";
    tsrec__interactions s;
    data d;
    assert_int_equal(build_hand(ctx, &s, h, 6, &o, &d), TSREC_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.n_filtered, 3);
    const int64_t off[] = {0, 1, 2, 3};
    const int32_t items[] = {2, 3, 1};
    for (int k = 0; k < 4; k++)
        assert_int_equal(s.user_off[k], off[k]);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(s.item[k], items[k]);
        assert_int_equal(s.event_type[k], 1);
    }
    assert_int_equal(s.item_type_count[2 * 3 + 1], 1);
    assert_int_equal(s.item_type_count[2 * 3 + 0], 0);
    assert_int_equal(s.ts_min, 0);
    assert_int_equal(s.ts_max, 11);
    tsrec__interactions_free(&s);
    data_free(&d);

    /* exact, case-sensitive names; an unknown name keeps nothing */
    o.event_type = "Buy";
    assert_int_equal(build_hand(ctx, &s, h, 6, &o, &d), TSREC_E_EMPTY);
    tsrec__interactions_free(&s);
    data_free(&d);
    o.event_type = NULL;
    assert_int_equal(build_hand(ctx, &s, h, 6, &o, &d), TSREC_OK);
    assert_int_equal(s.n, 6);
    tsrec__interactions_free(&s);
    data_free(&d);
    tu_ctx_free_checked(ctx);
}

static void test_value_threshold(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const hand h[] = {
        {0, 0, 1, 0, NAN}, {0, 1, 2, 0, 1.99f}, {0, 2, 3, 0, 2.0f},
        {1, 3, 4, 1, 7.0f}, {1, 0, 5, 1, NAN}, {2, 1, 6, 0, -3.0f},
    };
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    o.has_threshold = 1;
    o.value_threshold = 2.0;
    tsrec__interactions s;
    data d;
    assert_int_equal(build_hand(ctx, &s, h, 6, &o, &d), TSREC_OK);
    /* kept: value 2.0 (equal counts) and 7.0; NaN rows dropped */
    assert_int_equal(s.n, 2);
    assert_int_equal(s.item[0], 2);
    assert_int_equal(s.item[1], 3);
    assert_true(s.value[0] == 2.0f);
    assert_int_equal(s.user_off[3], 2);
    tsrec__interactions_free(&s);
    data_free(&d);

    /* with an event type: both filters apply */
    o.event_type = "click";
    assert_int_equal(build_hand(ctx, &s, h, 6, &o, &d), TSREC_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.item[0], 2);
    tsrec__interactions_free(&s);
    data_free(&d);

    /* negative threshold keeps negatives, still not NaN */
    o.event_type = NULL;
    o.value_threshold = -5.0;
    assert_int_equal(build_hand(ctx, &s, h, 6, &o, &d), TSREC_OK);
    assert_int_equal(s.n, 4);
    tsrec__interactions_free(&s);
    data_free(&d);

    /* no value column at all: nothing passes a threshold */
    data_alloc(&d, 2);
    tsrec__interaction_rows r = rows_of(&d, 0, 0);
    tsrec__interaction_codes c = codes_of(1, 1);
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, &o), TSREC_E_EMPTY);
    /* non-finite threshold */
    o.value_threshold = NAN;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, &o), TSREC_E_NAN);
    data_free(&d);
    tu_ctx_free_checked(ctx);
}

static void test_dedup_cases(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const hand h[] = {
        {0, 1, 10, 0, 1.0f},  /* kept */
        {0, 2, 10, 0, 1.0f},  /* kept: other item, same time */
        {0, 1, 10, 0, 1.0f},  /* duplicate of row 0, not adjacent */
        {0, 1, 10, 1, 1.0f},  /* kept: other event type */
        {0, 1, 10, 0, 2.0f},  /* kept: other value */
        {0, 1, 11, 0, 1.0f},  /* kept: other time */
        {1, 1, 10, 0, 1.0f},  /* kept: other user */
        {1, 3, 5, -1, NAN},   /* kept */
        {1, 3, 5, -1, NAN},   /* duplicate: both values absent */
        {1, 3, 5, -1, 0.0f},  /* kept: present vs absent */
        {1, 3, 5, -1, -0.0f}, /* duplicate: -0 == 0 */
    };
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    tsrec__interactions s;
    data d;
    assert_int_equal(build_hand(ctx, &s, h, 11, &o, &d), TSREC_OK);
    assert_int_equal(s.n, 8);
    assert_int_equal(s.n_duplicates, 3);
    const int32_t items[] = {1, 2, 1, 1, 1, 3, 3, 1};
    const int64_t ts[] = {10, 10, 10, 10, 11, 5, 5, 10};
    for (int k = 0; k < 8; k++) {
        assert_int_equal(s.item[k], items[k]);
        assert_int_equal(s.ts[k], ts[k]);
    }
    assert_int_equal(s.event_type[2], 1);
    assert_true(s.value[3] == 2.0f);
    assert_true(isnan(s.value[5]));
    assert_true(s.value[6] == 0.0f);
    assert_int_equal(tsrec__interactions_user_count(&s, 0), 5);
    assert_int_equal(tsrec__interactions_user_count(&s, 1), 3);
    tsrec__interactions_free(&s);
    data_free(&d);

    /* dedup off keeps all */
    o.dedup = 0;
    assert_int_equal(build_hand(ctx, &s, h, 11, &o, &d), TSREC_OK);
    assert_int_equal(s.n, 11);
    assert_int_equal(s.n_duplicates, 0);
    tsrec__interactions_free(&s);
    data_free(&d);

    /* a long equal-time run (sorted path): 60 rows over 7 items, one user */
    data_alloc(&d, 60);
    for (int i = 0; i < 60; i++) {
        d.user[i] = 0;
        d.item[i] = (i * 5) % 7;
        d.ts[i] = 42;
        d.val[i] = (float)(i % 2);
    }
    tsrec__interaction_rows r = rows_of(&d, 0, 1);
    tsrec__interaction_codes c = codes_of(1, 7);
    o.dedup = 1;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, &o), TSREC_OK);
    assert_int_equal(s.n, 14); /* 7 items x 2 values */
    /* first occurrences in input order: i = 0..13 */
    for (int k = 0; k < 14; k++) {
        assert_int_equal(s.item[k], (k * 5) % 7);
        assert_true(s.value[k] == (float)(k % 2));
    }
    assert_null(s.event_type);
    assert_null(s.item_type_count);
    tsrec__interactions_free(&s);
    data_free(&d);
    tu_ctx_free_checked(ctx);
}

static void test_bad_input(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__interactions s;
    data d;
    data_alloc(&d, 3);
    tsrec__interaction_rows r = rows_of(&d, 1, 1);
    tsrec__interaction_codes c = codes_of(2, 2);
    r.n = 0;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL), TSREC_E_EMPTY);
    assert_null(s.user_off);
    r.n = 3;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL), TSREC_OK);
    tsrec__interactions_free(&s);
    d.user[1] = 2;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL),
                     TSREC_E_OUT_OF_RANGE);
    d.user[1] = -1;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL),
                     TSREC_E_OUT_OF_RANGE);
    d.user[1] = 0;
    d.item[2] = 5;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL),
                     TSREC_E_OUT_OF_RANGE);
    d.item[2] = 1;
    d.et[0] = 3;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL),
                     TSREC_E_OUT_OF_RANGE);
    d.et[0] = -2;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL),
                     TSREC_E_OUT_OF_RANGE);
    d.et[0] = -1;
    d.val[0] = INFINITY;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL), TSREC_E_NAN);
    d.val[0] = NAN; /* NaN is "absent", fine */
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL), TSREC_OK);
    tsrec__interactions_free(&s);
    assert_int_equal(tsrec__interactions_build(NULL, ctx, NULL, &r, &c, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, NULL, &c, NULL),
                     TSREC_E_INVALID_ARG);
    r.ts = NULL;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL),
                     TSREC_E_INVALID_ARG);
    r.ts = d.ts;
    c.n_users = -1;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL),
                     TSREC_E_INVALID_ARG);
    /* errors carry a message */
    tsrec__fail(NULL, TSREC_OK, "%s", "");
    c = codes_of(2, 2);
    d.user[0] = 7;
    assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_non_null(strstr(tsrec_last_error(), "user code 7"));
    tsrec__interactions_free(&s);
    data_free(&d);
    tu_ctx_free_checked(ctx);
}

/* Concatenate a then b. */
static void data_concat(data *out, const data *a, const data *b)
{
    data_alloc(out, a->n + b->n);
    memcpy(out->user, a->user, (size_t)a->n * sizeof(int32_t));
    memcpy(out->user + a->n, b->user, (size_t)b->n * sizeof(int32_t));
    memcpy(out->item, a->item, (size_t)a->n * sizeof(int32_t));
    memcpy(out->item + a->n, b->item, (size_t)b->n * sizeof(int32_t));
    memcpy(out->et, a->et, (size_t)a->n * sizeof(int32_t));
    memcpy(out->et + a->n, b->et, (size_t)b->n * sizeof(int32_t));
    memcpy(out->ts, a->ts, (size_t)a->n * sizeof(int64_t));
    memcpy(out->ts + a->n, b->ts, (size_t)b->n * sizeof(int64_t));
    memcpy(out->val, a->val, (size_t)a->n * sizeof(float));
    memcpy(out->val + a->n, b->val, (size_t)b->n * sizeof(float));
}

static void assert_same_store(const tsrec__interactions *a, const tsrec__interactions *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->n_users, b->n_users);
    assert_int_equal(a->n_items, b->n_items);
    assert_int_equal(a->n_input, b->n_input);
    assert_int_equal(a->n_filtered, b->n_filtered);
    assert_int_equal(a->n_duplicates, b->n_duplicates);
    assert_int_equal(a->ts_min, b->ts_min);
    assert_int_equal(a->ts_max, b->ts_max);
    size_t n = (size_t)a->n;
    assert_memory_equal(a->user_off, b->user_off, ((size_t)a->n_users + 1) * sizeof(int64_t));
    assert_memory_equal(a->item, b->item, n * sizeof(int32_t));
    assert_memory_equal(a->ts, b->ts, n * sizeof(int64_t));
    assert_memory_equal(a->event_type, b->event_type, n * sizeof(int32_t));
    for (size_t k = 0; k < n; k++)
        assert_true(same_val(a->value[k], b->value[k]));
    assert_memory_equal(a->item_off, b->item_off, ((size_t)a->n_items + 1) * sizeof(int64_t));
    assert_memory_equal(a->post_user, b->post_user, n * sizeof(int32_t));
    assert_memory_equal(a->item_type_count, b->item_type_count,
                        (size_t)a->n_items * 3 * sizeof(int64_t));
}

static void test_append_equals_rebuild(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    for (int seed = 1; seed <= 8; seed++) {
        rng_seed(100u + (uint64_t)seed);
        int64_t n_users = 20, n_items = 15;
        data all;
        data_random(&all, 800, n_users, n_items);
        tsrec__interaction_opts o;
        tsrec__interaction_opts_init(&o);
        if (seed % 2 == 0)
            o.event_type = "click";
        if (seed % 3 == 0) {
            o.has_threshold = 1;
            o.value_threshold = 1.0;
        }
        tsrec__interaction_rows r = rows_of(&all, 1, 1);
        tsrec__interaction_codes c = codes_of(n_users, n_items);
        tsrec__interactions s;
        assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, &o), TSREC_OK);
        for (int step = 0; step < 6; step++) {
            /* a batch with repeats of stored rows, new users and items */
            int64_t k = 1 + rng_int(12);
            data b;
            data_alloc(&b, k);
            int64_t nu2 = n_users + rng_int(3), ni2 = n_items + rng_int(3);
            for (int64_t i = 0; i < k; i++) {
                if (rng_int(3) == 0) {
                    int64_t j = rng_int(all.n);
                    b.user[i] = all.user[j];
                    b.item[i] = all.item[j];
                    b.ts[i] = all.ts[j];
                    b.et[i] = all.et[j];
                    b.val[i] = all.val[j];
                } else {
                    b.user[i] = (int32_t)rng_int(nu2);
                    b.item[i] = (int32_t)rng_int(ni2);
                    b.ts[i] = 1600000000 + rng_int(30);
                    b.et[i] = (int32_t)rng_int(4) - 1;
                    b.val[i] = rng_int(4) == 0 ? NAN : (float)rng_int(3);
                }
            }
            tsrec__interaction_rows br = rows_of(&b, 1, 1);
            tsrec__interaction_codes bc = codes_of(nu2, ni2);
            assert_int_equal(tsrec__interactions_append(&s, NULL, &br, &bc), TSREC_OK);
            n_users = nu2;
            n_items = ni2;
            data u;
            data_concat(&u, &all, &b);
            data_free(&all);
            data_free(&b);
            all = u;
            tsrec__interaction_rows ur = rows_of(&all, 1, 1);
            tsrec__interaction_codes uc = codes_of(n_users, n_items);
            tsrec__interactions full;
            assert_int_equal(tsrec__interactions_build(&full, ctx, NULL, &ur, &uc, &o),
                             TSREC_OK);
            assert_same_store(&s, &full);
            tsrec__interactions_free(&full);
        }
        /* an empty batch and a batch whose rows all fail the filter */
        data e;
        data_alloc(&e, 1);
        tsrec__interaction_rows er = rows_of(&e, 1, 1);
        er.n = 0;
        tsrec__interaction_codes ec = codes_of(n_users, n_items);
        int64_t before = s.n;
        assert_int_equal(tsrec__interactions_append(&s, NULL, &er, &ec), TSREC_OK);
        assert_int_equal(s.n, before);
        /* shrinking code spaces and out-of-range codes are refused */
        ec.n_users = n_users - 1;
        assert_int_equal(tsrec__interactions_append(&s, NULL, &er, &ec), TSREC_E_INVALID_ARG);
        ec.n_users = n_users;
        er.n = 1;
        e.user[0] = (int32_t)n_users;
        assert_int_equal(tsrec__interactions_append(&s, NULL, &er, &ec), TSREC_E_OUT_OF_RANGE);
        assert_int_equal(s.n, before);
        data_free(&e);
        tsrec__interactions_free(&s);
        data_free(&all);
    }
    tu_ctx_free_checked(ctx);
}

/* ---- metadata encoding ------------------------------------------------------ */

static void test_meta_encode_by_hand(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    /* record 3 replaces record 0 (same row 2); row 3 has no record */
    const int32_t row_of[] = {2, 0, 1, 2};
    const char *genre[] = {"horror|comedy", "comedy", "drama||horror|drama", "action"};
    const double price[] = {10.0, NAN, 20.0, 30.0};
    const char *color[] = {"red", NULL, "blue", "red|blue"};
    tsrec__meta_field f[3] = {
        {TSREC__META_ONEHOT, 0, genre, NULL},
        {TSREC__META_NUMERIC, 0, NULL, price},
        {TSREC__META_HASHED, 8, color, NULL},
    };
    tsrec__meta_matrix m;
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 4, 4, row_of, f, 3), TSREC_OK);
    /* columns: genre 0..3 (comedy, drama, horror, action: first appearance
     * over winning records 1, 2, 3), price 4 (value) 5 (missing), color 6..13 */
    assert_int_equal(m.n_cols, 14);
    assert_int_equal(m.field_col0[1], 4);
    assert_int_equal(m.field_col0[2], 6);
    /* price over winners 20, 30: mean 25, population sd 5 */
    assert_true(fabs(m.mean[1] - 25.0) < 1e-12);
    assert_true(fabs(m.sd[1] - 5.0) < 1e-12);
    int32_t hb = (int32_t)(tsrec__hash_bytes("blue", 4, 0) % 8) + 6;
    int32_t hr = (int32_t)(tsrec__hash_bytes("red", 3, 0) % 8) + 6;
    int32_t lo = hb < hr ? hb : hr, hi = hb < hr ? hr : hb;
    /* row 0: comedy, price missing */
    assert_int_equal(m.row_off[1] - m.row_off[0], 2);
    assert_int_equal(m.col[0], 0);
    assert_int_equal(m.col[1], 5);
    assert_true(m.val[1] == 1.0f);
    /* row 1: drama, horror (repeat and empty part ignored), -1.0, blue */
    int64_t k = m.row_off[1];
    assert_int_equal(m.row_off[2] - k, 4);
    assert_int_equal(m.col[k], 1);
    assert_int_equal(m.col[k + 1], 2);
    assert_int_equal(m.col[k + 2], 4);
    assert_true(fabsf(m.val[k + 2] + 1.0f) < 1e-6f);
    assert_int_equal(m.col[k + 3], hb);
    /* row 2 (record 3): action, +1.0, red and blue (merged if they collide) */
    k = m.row_off[2];
    assert_int_equal(m.col[k], 3);
    assert_int_equal(m.col[k + 1], 4);
    assert_true(fabsf(m.val[k + 1] - 1.0f) < 1e-6f);
    assert_int_equal(m.col[k + 2], lo);
    if (hb != hr) {
        assert_int_equal(m.row_off[3] - k, 4);
        assert_int_equal(m.col[k + 3], hi);
    } else {
        assert_int_equal(m.row_off[3] - k, 3);
    }
    /* row 3: only the missing indicator */
    k = m.row_off[3];
    assert_int_equal(m.row_off[4] - k, 1);
    assert_int_equal(m.col[k], 5);
    assert_true(m.val[k] == 1.0f);
    assert_int_equal(m.nnz, m.row_off[4]);
    assert_int_equal(tsrec__strdict_lookup(&m.vocab[0], "horror", 6), 2);
    assert_int_equal(tsrec__strdict_lookup(&m.vocab[0], "drama", 5), 1);
    assert_true(tsrec__meta_matrix_bytes(&m) > 0);
    tsrec__meta_matrix_free(&m);

    /* a constant numeric field standardises to 0 with sd 1 */
    const double same[] = {4.0, 4.0, 4.0, 4.0};
    tsrec__meta_field g = {TSREC__META_NUMERIC, 0, NULL, same};
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 4, 4, row_of, &g, 1), TSREC_OK);
    assert_true(m.sd[0] == 1.0);
    assert_true(m.val[0] == 0.0f && m.col[0] == 0);
    tsrec__meta_matrix_free(&m);
    tu_ctx_free_checked(ctx);
}

static void test_meta_encode_bad_input(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__meta_matrix m;
    static char long_value[1102];
    /* 1000 characters is the limit, pipes included; multi-byte UTF-8
     * characters count once */
    memset(long_value, 'a', 1000);
    long_value[1000] = '\0';
    const int32_t row_of[] = {0};
    const char *v[] = {long_value};
    tsrec__meta_field f = {TSREC__META_ONEHOT, 0, v, NULL};
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 1, 1, row_of, &f, 1), TSREC_OK);
    tsrec__meta_matrix_free(&m);
    long_value[1000] = 'b';
    long_value[1001] = '\0';
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 1, 1, row_of, &f, 1),
                     TSREC_E_OUT_OF_RANGE);
    assert_null(m.row_off);
    /* 999 ASCII + one 2-byte character = 1000 characters */
    long_value[999] = (char)0xC3;
    long_value[1000] = (char)0xA9;
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 1, 1, row_of, &f, 1), TSREC_OK);
    tsrec__meta_matrix_free(&m);
    const double inf[] = {INFINITY};
    tsrec__meta_field g = {TSREC__META_NUMERIC, 0, NULL, inf};
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 1, 1, row_of, &g, 1), TSREC_E_NAN);
    const int32_t bad_row[] = {1};
    const double one[] = {1.0};
    g.num = one;
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 1, 1, bad_row, &g, 1),
                     TSREC_E_OUT_OF_RANGE);
    tsrec__meta_field h = {TSREC__META_HASHED, 0, v, NULL};
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 1, 1, row_of, &h, 1),
                     TSREC_E_INVALID_ARG);
    h.kind = 99;
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 1, 1, row_of, &h, 1),
                     TSREC_E_INVALID_ARG);
    /* no records: every row has only its numeric missing indicator */
    assert_int_equal(tsrec__meta_encode(&m, ctx, NULL, 3, 0, NULL, &g, 1), TSREC_OK);
    assert_int_equal(m.nnz, 3);
    assert_int_equal(m.col[2], 1);
    tsrec__meta_matrix_free(&m);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_matches_reference),
        cmocka_unit_test(test_event_type_filter),
        cmocka_unit_test(test_value_threshold),
        cmocka_unit_test(test_dedup_cases),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_append_equals_rebuild),
        cmocka_unit_test(test_meta_encode_by_hand),
        cmocka_unit_test(test_meta_encode_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
