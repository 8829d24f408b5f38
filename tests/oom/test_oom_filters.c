/* OOM: filter compile and bind. The Nth allocation fails for every N until
 * the call succeeds: each failure returns TSREC_E_NOMEM with a NULL result,
 * and nothing leaks. */
#include "test_util.h"

#include <string.h>

#include "filter_internal.h"

static const char *const EXPRS[] = {
    "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE | INCLUDE ItemID "
    "WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE OR "
    "(Items.A IN (\"x\", \"y\\\"z\", 3) AND Items.B NOT IN (\"q\"))",
    "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\", \"*\") | EXCLUDE ItemID WHERE "
    "Items.C1 IN ($P1) | EXCLUDE ItemID WHERE Items.C2 IN ($P2) | EXCLUDE ItemID WHERE Items.C3 "
    "IN ($P3) | EXCLUDE ItemID WHERE Items.C4 IN ($P4) | EXCLUDE ItemID WHERE Items.C5 IN ($P5) "
    "| EXCLUDE ItemID WHERE Items.C6 IN ($P6) | EXCLUDE ItemID WHERE Items.C7 > $P7",
    "INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($M)",
};

static void test_compile_every_n(void **state)
{
    (void)state;
    for (size_t e = 0; e < TSREC__ARRAY_LEN(EXPRS); e++) {
        int failures = 0;
        for (int64_t n = 1;; n++) {
            tu_failing_alloc fa = {0, 0, 0, 0};
            tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
            fa.fail_at = n;
            fa.persistent = (int)(n & 1);
            tsrec__filter *f = (tsrec__filter *)&fa;
            int rc = tsrec__filter_compile(ctx, NULL, EXPRS[e], &f, NULL);
            if (rc == TSREC_OK) {
                assert_non_null(f);
                tsrec__filter_free(f);
                tu_ctx_free_checked(ctx);
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(f);
            tu_ctx_free_checked(ctx);
            failures++;
        }
        assert_true(failures >= 5);
    }
}

static void test_bind_every_n(void **state)
{
    (void)state;
    const char *keys[] = {"GENRE", "AGE", "P1", "P3", "P7", "M", "UNUSED"};
    const char *vals[] = {"\"a\",\"b\"", "3", "\"x\"", "\"y\", \"z\"", "4.5", "\"gold\"", "1"};
    for (size_t e = 0; e < TSREC__ARRAY_LEN(EXPRS); e++) {
        int failures = 0;
        for (int64_t n = 1;; n++) {
            tu_failing_alloc fa = {0, 0, 0, 0};
            tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
            tsrec__filter *f = NULL;
            assert_int_equal(tsrec__filter_compile(ctx, NULL, EXPRS[e], &f, NULL), TSREC_OK);
            fa.calls = 0;
            fa.fail_at = n;
            tsrec__filter_binding *b = (tsrec__filter_binding *)&fa;
            int rc = tsrec__filter_bind(f, NULL, keys, vals, 7, &b);
            fa.fail_at = 0;
            if (rc == TSREC_OK) {
                assert_non_null(b);
                tsrec__filter_binding_free(b);
                tsrec__filter_free(f);
                tu_ctx_free_checked(ctx);
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(b);
            tsrec__filter_free(f);
            tu_ctx_free_checked(ctx);
            failures++;
        }
        assert_true(failures >= 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compile_every_n),
        cmocka_unit_test(test_bind_every_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
