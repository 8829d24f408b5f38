/* LSTM cell: forward against a naive double reference, every gradient
 * (parameters, input, initial h and c) against central finite differences
 * for one step and a sequence, forget-bias initialisation, bad arguments. */
#include "test_util.h"

#include "nn_internal.h"
#include "nn_test_ref.h"
#include "rng_internal.h"

static float *cache_for(int64_t B, int64_t H)
{
    int64_t n = tsrec__lstm_cache_floats(B, H);
    assert_true(n > 0);
    return ref_zalloc(n, sizeof(float));
}

static void check_step_forward(ref_dims d, uint64_t seed)
{
    ref_case c;
    ref_case_init(&c, d, seed, 0.6, 0);
    int64_t bh = d.B * d.H;
    float *h = ref_zalloc(bh, sizeof(float)), *cc = ref_zalloc(bh, sizeof(float));
    float *cache = cache_for(d.B, d.H);
    double *wh = ref_zalloc(bh, sizeof(double)), *wc = ref_zalloc(bh, sizeof(double));
    assert_int_equal(
        tsrec__lstm_step_forward(NULL, &c.prm, d.B, c.xf, c.h0f, c.c0f, h, cc, cache),
        TSREC_OK);
    ref_lstm_step(&c.p.d, c.p.th, c.p.x, c.p.h0, c.p.c0, wh, wc);
    assert_close_f(h, wh, bh, 2e-6, "h'");
    assert_close_f(cc, wc, bh, 2e-6, "c'");
    free(wh);
    free(wc);
    free(h);
    free(cc);
    free(cache);
    ref_case_free(&c);
}

static void test_step_forward(void **state)
{
    (void)state;
    check_step_forward((ref_dims){REF_LSTM, 3, 4, 5, 1}, 1);
    check_step_forward((ref_dims){REF_LSTM, 7, 13, 17, 1}, 2);
    check_step_forward((ref_dims){REF_LSTM, 1, 1, 1, 1}, 3);
}

static void test_step_backward(void **state)
{
    (void)state;
    ref_case c;
    ref_dims d = {REF_LSTM, 3, 4, 5, 1};
    ref_case_init(&c, d, 11, 0.7, 0);
    int64_t bh = d.B * d.H;
    float *h = ref_zalloc(bh, sizeof(float)), *cc = ref_zalloc(bh, sizeof(float));
    float *cache = cache_for(d.B, d.H);
    assert_int_equal(
        tsrec__lstm_step_forward(NULL, &c.prm, d.B, c.xf, c.h0f, c.c0f, h, cc, cache),
        TSREC_OK);
    assert_int_equal(tsrec__lstm_step_backward(NULL, &c.prm, d.B, c.xf, c.h0f, c.c0f, cache,
                                               c.clf, c.cclf, c.gx, c.gh0, c.gc0, &c.grad),
                     TSREC_OK);
    ref_case_check(&c);

    /* dc_out NULL means the cell state feeds nothing: compare with a zero
     * c-loss, and with dh_prev sharing dh_out's buffer. */
    memset(c.p.ccl, 0, (size_t)bh * sizeof(double));
    memset(c.gth, 0, (size_t)ref_nparams(&d) * sizeof(float));
    memcpy(c.gh0, c.clf, (size_t)bh * sizeof(float));
    assert_int_equal(
        tsrec__lstm_step_forward(NULL, &c.prm, d.B, c.xf, c.h0f, c.c0f, h, cc, cache),
        TSREC_OK);
    assert_int_equal(tsrec__lstm_step_backward(NULL, &c.prm, d.B, c.xf, c.h0f, c.c0f, cache,
                                               c.gh0, NULL, c.gx, c.gh0, c.gc0, &c.grad),
                     TSREC_OK);
    ref_case_check(&c);
    free(h);
    free(cc);
    free(cache);
    ref_case_free(&c);
}

static void check_sequence(ref_dims d, uint64_t seed)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rnn_seq s;
    assert_int_equal(tsrec__rnn_seq_init(&s, ctx, NULL, TSREC__CELL_LSTM, d.I, d.H, d.B, d.T),
                     TSREC_OK);
    ref_case c;
    ref_case_init(&c, d, seed, 0.6, 1);
    int64_t bh = d.B * d.H;
    assert_int_equal(tsrec__lstm_seq_forward(&s, NULL, &c.prm, d.B, d.T, c.xf, c.h0f, c.c0f),
                     TSREC_OK);
    double *hs = ref_zalloc(d.T * bh, sizeof(double)), *cs = ref_zalloc(d.T * bh, sizeof(double));
    ref_seq_loss(&c.p.d, c.p.th, c.p.x, c.p.h0, c.p.c0, NULL, NULL, NULL, hs, cs);
    for (int64_t t = 1; t <= d.T; t++) {
        assert_close_f(tsrec__rnn_seq_hidden(&s, t), hs + (t - 1) * bh, bh, 5e-6, "h_t");
        assert_close_f(tsrec__rnn_seq_cell(&s, t), cs + (t - 1) * bh, bh, 5e-6, "c_t");
    }
    assert_int_equal(tsrec__lstm_seq_backward(&s, NULL, &c.prm, c.xf, c.cyf, c.clf, c.cclf,
                                              c.gx, c.gh0, c.gc0, &c.grad),
                     TSREC_OK);
    ref_case_check(&c);
    assert_int_equal(tsrec__lstm_seq_backward(&s, NULL, &c.prm, c.xf, c.cyf, c.clf, c.cclf,
                                              c.gx, c.gh0, c.gc0, &c.grad),
                     TSREC_E_MISUSE);
    free(hs);
    free(cs);
    ref_case_free(&c);
    tsrec__rnn_seq_free(&s, ctx);
    tu_ctx_free_checked(ctx);
}

static void test_sequence(void **state)
{
    (void)state;
    check_sequence((ref_dims){REF_LSTM, 3, 4, 5, 3}, 31);
    check_sequence((ref_dims){REF_LSTM, 2, 3, 6, 4}, 32);
}

static void test_forget_bias(void **state)
{
    (void)state;
    ref_case c;
    ref_dims d = {REF_LSTM, 1, 3, 8, 1};
    ref_case_init(&c, d, 4, 1.0, 0);
    tsrec__rng r;
    tsrec__rng_seed(&r, 7);
    assert_int_equal(tsrec__rnn_init(NULL, &c.prm, 4, TSREC__INIT_UNIFORM, 1.0f, &r), TSREC_OK);
    float bound = 1.0f / sqrtf(8.0f);
    for (int64_t j = 0; j < 8; j++) {
        assert_true(c.prm.b_ih[8 + j] >= 1.0f - bound && c.prm.b_ih[8 + j] <= 1.0f + bound);
        assert_true(c.prm.b_hh[8 + j] == 0.0f);
        assert_true(fabsf(c.prm.b_ih[j]) <= bound);     /* i gate untouched */
        assert_true(fabsf(c.prm.b_ih[24 + j]) <= bound); /* o gate untouched */
    }
    assert_int_equal(tsrec__rnn_init(NULL, &c.prm, 4, TSREC__INIT_XAVIER, 1.0f, &r), TSREC_OK);
    for (int64_t j = 0; j < 8; j++) {
        assert_true(c.prm.b_ih[8 + j] == 1.0f);
        assert_true(c.prm.b_ih[j] == 0.0f);
    }
    assert_int_equal(tsrec__rnn_init(NULL, &c.prm, 4, TSREC__INIT_UNIFORM, NAN, &r),
                     TSREC_E_NAN);
    ref_case_free(&c);
}

static void test_bad_args(void **state)
{
    (void)state;
    ref_case c;
    ref_dims d = {REF_LSTM, 3, 4, 5, 1};
    ref_case_init(&c, d, 9, 0.5, 0);
    int64_t bh = d.B * d.H;
    float *h = ref_zalloc(bh, sizeof(float)), *cc = ref_zalloc(bh, sizeof(float));
    float *cache = cache_for(d.B, d.H);
    assert_int_equal(
        tsrec__lstm_step_forward(NULL, &c.prm, 3, c.xf, c.h0f, NULL, h, cc, cache),
        TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__lstm_step_forward(NULL, &c.prm, 0, c.xf, c.h0f, c.c0f, h, cc, cache),
                     TSREC_E_SHAPE);
    tsrec__rnn_params bad = c.prm;
    bad.w_ih = NULL;
    assert_int_equal(tsrec__lstm_step_forward(NULL, &bad, 3, c.xf, c.h0f, c.c0f, h, cc, cache),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(
        tsrec__lstm_step_forward(NULL, &c.prm, 3, c.xf, c.h0f, c.c0f, h, cc, cache), TSREC_OK);
    assert_int_equal(tsrec__lstm_step_backward(NULL, &c.prm, 3, c.xf, c.h0f, c.c0f, cache,
                                               c.clf, NULL, NULL, NULL, NULL, &c.grad),
                     TSREC_E_INVALID_ARG);
    tsrec__rnn_params g = c.grad;
    g.in = 3;
    assert_int_equal(tsrec__lstm_step_backward(NULL, &c.prm, 3, c.xf, c.h0f, c.c0f, cache,
                                               c.clf, NULL, NULL, c.gh0, NULL, &g),
                     TSREC_E_SHAPE);
    assert_int_equal(tsrec__lstm_cache_floats(3, -1), -1);

    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rnn_seq s;
    assert_int_equal(tsrec__rnn_seq_init(&s, ctx, NULL, TSREC__CELL_LSTM, 4, 5, 3, 2), TSREC_OK);
    assert_int_equal(tsrec__gru_seq_forward(&s, NULL, &c.prm, 3, 1, c.xf, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec__lstm_seq_forward(&s, NULL, &c.prm, 3, 1, NULL, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__lstm_seq_backward(&s, NULL, &c.prm, c.xf, NULL, NULL, NULL, NULL,
                                              NULL, NULL, &c.grad),
                     TSREC_E_MISUSE);
    /* NULL initial states are zeros; the last state is readable. */
    assert_int_equal(tsrec__lstm_seq_forward(&s, NULL, &c.prm, 3, 1, c.xf, NULL, NULL),
                     TSREC_OK);
    const float *c0 = tsrec__rnn_seq_cell(&s, 0);
    for (int64_t k = 0; k < bh; k++)
        assert_true(c0[k] == 0.0f);
    assert_non_null(tsrec__rnn_seq_cell(&s, 1));
    assert_null(tsrec__rnn_seq_cell(&s, 2));
    tsrec__rnn_seq_free(&s, ctx);
    tu_ctx_free_checked(ctx);
    free(h);
    free(cc);
    free(cache);
    ref_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_forward), cmocka_unit_test(test_step_backward),
        cmocka_unit_test(test_sequence),     cmocka_unit_test(test_forget_bias),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
