/* OOM: every allocating params call, failing the Nth allocation for every
 * N until the call succeeds. Each failure must report TSREC_E_NOMEM, leave
 * the values exactly as they were (the calls are all-or-nothing) and leak
 * nothing. */
#include "test_util.h"

#include <string.h>

#include "core_internal.h"
#include "params_internal.h"

static const tsrec__param_def defs[] = {
    TSREC__PARAM_DEF_INT("epochs", "100", 1, 1000, "Training epochs."),
    TSREC__PARAM_DEF_STRING("name", "first", "A string."),
    TSREC__PARAM_DEF_ENUM("mode", "fast", "fast|slow", "An enum."),
    TSREC__PARAM_DEF_DOUBLE("rate", "0.5", 0.0, 1.0, "A double."),
    TSREC__PARAM_DEF_STRING("tag", "t0", "Another string."),
};
#define NDEFS ((int64_t)(sizeof(defs) / sizeof(defs[0])))

/* The current values as one string, for before/after comparison. */
static void snapshot(const tsrec__params *p, char *buf, size_t cap)
{
    size_t len = 0;
    assert_int_equal(tsrec__params_to_string(p, NULL, buf, cap, &len), TSREC_OK);
    assert_true(len < cap);
}

static void test_new_nomem(void **state)
{
    (void)state;
    int64_t failed = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        fa.fail_at = n;
        tsrec__params *p = (tsrec__params *)0x1;
        int rc = tsrec__params_new(ctx, &ctx->hdr, defs, NDEFS, &p);
        if (fa.failures == 0) {
            assert_int_equal(rc, TSREC_OK);
            tsrec__params_free(p);
            tu_ctx_free_checked(ctx);
            break;
        }
        failed++;
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_non_null(strstr(tsrec_errmsg(ctx), "out of memory"));
        assert_null(p);
        tu_ctx_free_checked(ctx);
    }
    assert_true(failed >= 5); /* struct, two arrays, three strings */
}

/* Runs op on a fresh params object with its Nth allocation failing, for
 * every N until op succeeds. want_after is the snapshot after success. */
typedef int (*params_op)(tsrec__params *p, tsrec__handle *eh);

static void every_n(params_op op, const char *want_after)
{
    int64_t failed = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec__params *p = NULL;
        assert_int_equal(tsrec__params_new(ctx, NULL, defs, NDEFS, &p), TSREC_OK);
        assert_int_equal(tsrec__params_set_many(p, NULL, "epochs=7 name=second tag=x"),
                         TSREC_OK);
        char before[256], after[256];
        snapshot(p, before, sizeof before);
        fa.calls = 0;
        fa.fail_at = n;
        int rc = op(p, &ctx->hdr);
        int done = fa.failures == 0;
        fa.fail_at = 0;
        snapshot(p, after, sizeof after);
        if (done) {
            assert_int_equal(rc, TSREC_OK);
            assert_string_equal(after, want_after);
        } else {
            failed++;
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_non_null(strstr(tsrec_errmsg(ctx), "out of memory"));
            assert_string_equal(after, before);
        }
        tsrec__params_free(p);
        tu_ctx_free_checked(ctx);
        if (done)
            break;
    }
    assert_true(failed >= 1);
}

static int op_set_string(tsrec__params *p, tsrec__handle *eh)
{
    return tsrec__params_set(p, eh, "name", "third");
}

static int op_set_enum(tsrec__params *p, tsrec__handle *eh)
{
    return tsrec__params_set(p, eh, "mode", "slow");
}

static int op_set_many(tsrec__params *p, tsrec__handle *eh)
{
    return tsrec__params_set_many(p, eh, "name=n2 epochs=9 mode=slow tag=y rate=0.25");
}

static int op_reset(tsrec__params *p, tsrec__handle *eh)
{
    return tsrec__params_reset(p, eh);
}

static void test_set_nomem(void **state)
{
    (void)state;
    every_n(op_set_string, "epochs=7 name=third mode=fast rate=0.5 tag=x");
    every_n(op_set_enum, "epochs=7 name=second mode=slow rate=0.5 tag=x");
}

static void test_set_many_nomem(void **state)
{
    (void)state;
    every_n(op_set_many, "epochs=9 name=n2 mode=slow rate=0.25 tag=y");
}

static void test_reset_nomem(void **state)
{
    (void)state;
    every_n(op_reset, "epochs=100 name=first mode=fast rate=0.5 tag=t0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_nomem),
        cmocka_unit_test(test_set_nomem),
        cmocka_unit_test(test_set_many_nomem),
        cmocka_unit_test(test_reset_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
