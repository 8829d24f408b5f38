/* OOM: the alias table is the only RNG piece that allocates. Fail the Nth
 * allocation for every N until the build succeeds: each failure reports
 * TSREC_E_NOMEM with a message, leaves the table empty and leaks nothing. */
#include "test_util.h"

#include <string.h>

#include "core_internal.h"
#include "rng_internal.h"

static void test_alias_init_nomem_every_n(void **state)
{
    (void)state;
    const double w[] = {0.5, 0.0, 2.0, 1.0, 3.5};
    int64_t n_failed = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        fa.fail_at = n;
        tsrec__alias a;
        int rc = tsrec__alias_init(&a, ctx, &ctx->hdr, w, 5);
        if (fa.failures == 0) {
            assert_int_equal(rc, TSREC_OK);
            tsrec__rng r;
            tsrec__rng_seed(&r, 3);
            for (int i = 0; i < 100; i++)
                assert_int_not_equal(tsrec__alias_draw(&a, &r), 1);
            tsrec__alias_free(&a, ctx);
            tu_ctx_free_checked(ctx);
            break;
        }
        n_failed++;
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_non_null(strstr(tsrec_errmsg(ctx), "out of memory"));
        assert_null(a.prob);
        assert_null(a.alias);
        assert_int_equal(a.n, 0);
        tu_ctx_free_checked(ctx);
    }
    assert_true(n_failed >= 1);
}

/* Persistent failure (every allocation from the first) behaves the same. */
static void test_alias_init_nomem_persistent(void **state)
{
    (void)state;
    const double w[] = {1.0, 2.0};
    tu_failing_alloc fa = {0, 0, 0, 0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    fa.fail_at = 1;
    fa.persistent = 1;
    tsrec__alias a;
    assert_int_equal(tsrec__alias_init(&a, ctx, NULL, w, 2), TSREC_E_NOMEM);
    assert_null(a.prob);
    fa.fail_at = 0;
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alias_init_nomem_every_n),
        cmocka_unit_test(test_alias_init_nomem_persistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
