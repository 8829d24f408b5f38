/* OOM: the recurrent sequence workspace (the only neural-layer function
 * that allocates). Fail the Nth allocation for every N until init succeeds;
 * each failure must report TSREC_E_NOMEM and leak nothing. */
#include "test_util.h"

#include "nn_internal.h"

static void run_cell(int32_t cell)
{
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        fa.fail_at = n;
        tsrec__rnn_seq s;
        int st = tsrec__rnn_seq_init(&s, ctx, &ctx->hdr, cell, 4, 5, 3, 2);
        if (st == TSREC_OK) {
            assert_int_equal(fa.failures, 0);
            assert_true(n > 3); /* cache, states and gradient at least */
            tsrec__rnn_seq_free(&s, ctx);
            tu_ctx_free_checked(ctx);
            break;
        }
        assert_int_equal(st, TSREC_E_NOMEM);
        assert_null(s.cache);
        assert_null(s.h);
        tsrec__rnn_seq_free(&s, ctx); /* safe after a failed init */
        tu_ctx_free_checked(ctx);
        assert_true(n < 100);
    }
}

static void test_gru_seq_init(void **state)
{
    (void)state;
    run_cell(TSREC__CELL_GRU);
}

static void test_lstm_seq_init(void **state)
{
    (void)state;
    run_cell(TSREC__CELL_LSTM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gru_seq_init),
        cmocka_unit_test(test_lstm_seq_init),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
