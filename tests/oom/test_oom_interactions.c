/* OOM: interaction store build and append. The Nth allocation fails for
 * every N until the call succeeds: each failure returns TSREC_E_NOMEM, a
 * failed build leaves a zeroed store, a failed append leaves the store
 * exactly as it was, and nothing leaks. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "interactions_internal.h"
#include "meta_encode_internal.h"

static const char *const NAMES[] = {"click", "buy"};

/* 200 rows, 7 users, 5 items; user 0 gets 90 unsorted rows with long
 * equal-time runs, so the radix scratch and the dedup scratch are used. */
enum { N = 200 };
static int32_t user[N], item[N], et[N];
static int64_t ts[N];
static float val[N];

static void make_rows(void)
{
    for (int i = 0; i < N; i++) {
        user[i] = i < 90 ? 0 : 1 + i % 6;
        item[i] = (i * 7) % 5;
        ts[i] = i < 90 ? 1000 - (i % 3) * 100000 : 50 + (i % 4);
        et[i] = i % 3 - 1;
        val[i] = i % 5 == 0 ? NAN : (float)(i % 2);
    }
}

static void test_build_every_n(void **state)
{
    (void)state;
    make_rows();
    tsrec__interaction_rows r = {N, user, item, ts, et, val};
    tsrec__interaction_codes c = {7, 5, 2, NAMES};
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    o.event_type = "buy";
    int failures = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        fa.fail_at = n;
        tsrec__interactions s;
        int rc = tsrec__interactions_build(&s, ctx, NULL, &r, &c, &o);
        if (rc == TSREC_OK) {
            assert_true(s.n > 0);
            tsrec__interactions_free(&s);
            tu_ctx_free_checked(ctx);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_null(s.user_off);
        assert_null(s.item);
        tu_ctx_free_checked(ctx);
        failures++;
    }
    assert_true(failures >= 8);
}

static void test_append_every_n(void **state)
{
    (void)state;
    make_rows();
    tsrec__interaction_rows r = {N, user, item, ts, et, val};
    tsrec__interaction_codes c = {7, 5, 2, NAMES};
    /* batch: a duplicate, a new user and a new item */
    int32_t bu[3] = {0, 7, 2}, bi[3] = {0, 5, 1}, be[3] = {-1, 0, 1};
    int64_t bt[3] = {1000, 7, 8};
    float bv[3] = {NAN, 1.0f, 2.0f};
    tsrec__interaction_rows b = {3, bu, bi, bt, be, bv};
    tsrec__interaction_codes bc = {8, 6, 2, NAMES};
    int failures = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec__interactions s;
        assert_int_equal(tsrec__interactions_build(&s, ctx, NULL, &r, &c, NULL), TSREC_OK);
        int64_t before_n = s.n;
        int64_t *before_items = malloc((size_t)s.n * sizeof(int64_t));
        assert_non_null(before_items);
        for (int64_t k = 0; k < s.n; k++)
            before_items[k] = s.item[k];
        fa.calls = 0;
        fa.fail_at = n;
        int rc = tsrec__interactions_append(&s, NULL, &b, &bc);
        fa.fail_at = 0;
        if (rc == TSREC_OK) {
            assert_int_equal(s.n, before_n + 2);
            assert_int_equal(s.n_users, 8);
            free(before_items);
            tsrec__interactions_free(&s);
            tu_ctx_free_checked(ctx);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_int_equal(s.n, before_n);
        assert_int_equal(s.n_users, 7);
        for (int64_t k = 0; k < s.n; k++)
            assert_int_equal(s.item[k], before_items[k]);
        free(before_items);
        tsrec__interactions_free(&s);
        tu_ctx_free_checked(ctx);
        failures++;
    }
    assert_true(failures >= 5);
}

static void test_meta_encode_every_n(void **state)
{
    (void)state;
    const int32_t row_of[] = {2, 0, 1, 2, 3};
    const char *genre[] = {"horror|comedy", "comedy", "drama|horror", "action", "x|y|z"};
    const double price[] = {10.0, NAN, 20.0, 30.0, 1.0};
    tsrec__meta_field f[3] = {
        {TSREC__META_ONEHOT, 0, genre, NULL},
        {TSREC__META_NUMERIC, 0, NULL, price},
        {TSREC__META_HASHED, 4, genre, NULL},
    };
    int failures = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        fa.fail_at = n;
        tsrec__meta_matrix m;
        int rc = tsrec__meta_encode(&m, ctx, NULL, 5, 5, row_of, f, 3);
        if (rc == TSREC_OK) {
            assert_int_equal(m.n_cols, 7 + 2 + 4); /* comedy drama horror action x y z */
            tsrec__meta_matrix_free(&m);
            tu_ctx_free_checked(ctx);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_null(m.row_off);
        tu_ctx_free_checked(ctx);
        failures++;
    }
    assert_true(failures >= 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_every_n),
        cmocka_unit_test(test_append_every_n),
        cmocka_unit_test(test_meta_encode_every_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
