/* GRU cell: forward against a naive double reference, every gradient
 * against central finite differences of that reference (one step and a
 * 3-step sequence), saturation, initialisation and bad arguments. */
#include "test_util.h"

#include <float.h>

#include "nn_internal.h"
#include "nn_test_ref.h"
#include "rng_internal.h"

static const ref_dims SMALL = {REF_GRU, 3, 4, 5, 1};

static float *cache_for(int64_t B, int64_t H)
{
    int64_t n = tsrec__gru_cache_floats(B, H);
    assert_true(n > 0);
    return ref_zalloc(n, sizeof(float));
}

static void check_step_forward(ref_dims d, uint64_t seed)
{
    ref_case c;
    ref_case_init(&c, d, seed, 0.6, 0);
    int64_t bh = d.B * d.H;
    float *h = ref_zalloc(bh, sizeof(float)), *cache = cache_for(d.B, d.H);
    double *want = ref_zalloc(bh, sizeof(double));
    assert_int_equal(tsrec__gru_step_forward(NULL, &c.prm, d.B, c.xf, c.h0f, h, cache),
                     TSREC_OK);
    ref_gru_step(&c.p.d, c.p.th, c.p.x, c.p.h0, want);
    assert_close_f(h, want, bh, 2e-6, "h'");
    /* In place: the state buffer is also the output. */
    float *hs = ref_zalloc(bh, sizeof(float));
    memcpy(hs, c.h0f, (size_t)bh * sizeof(float));
    assert_int_equal(tsrec__gru_step_forward(NULL, &c.prm, d.B, c.xf, hs, hs, cache), TSREC_OK);
    assert_close_f(hs, want, bh, 2e-6, "h' in place");
    free(hs);
    free(want);
    free(h);
    free(cache);
    ref_case_free(&c);
}

static void test_step_forward(void **state)
{
    (void)state;
    check_step_forward(SMALL, 1);
    check_step_forward((ref_dims){REF_GRU, 7, 13, 17, 1}, 2);
    check_step_forward((ref_dims){REF_GRU, 1, 1, 1, 1}, 3);
    check_step_forward((ref_dims){REF_GRU, 33, 40, 40, 1}, 4);
}

static void test_step_backward(void **state)
{
    (void)state;
    ref_case c;
    ref_dims d = SMALL;
    ref_case_init(&c, d, 11, 0.7, 0);
    int64_t bh = d.B * d.H, np = ref_nparams(&d);
    float *h = ref_zalloc(bh, sizeof(float)), *cache = cache_for(d.B, d.H);
    assert_int_equal(tsrec__gru_step_forward(NULL, &c.prm, d.B, c.xf, c.h0f, h, cache),
                     TSREC_OK);
    assert_int_equal(tsrec__gru_step_backward(NULL, &c.prm, d.B, c.xf, c.h0f, cache, c.clf,
                                              c.gx, c.gh0, &c.grad),
                     TSREC_OK);
    ref_case_check(&c);

    /* A second step accumulates into the parameter gradients, and dh_prev
     * may share dh_out's buffer. */
    float *first = ref_zalloc(np, sizeof(float));
    memcpy(first, c.gth, (size_t)np * sizeof(float));
    float *dh = ref_zalloc(bh, sizeof(float));
    memcpy(dh, c.clf, (size_t)bh * sizeof(float));
    assert_int_equal(tsrec__gru_step_forward(NULL, &c.prm, d.B, c.xf, c.h0f, h, cache),
                     TSREC_OK);
    assert_int_equal(tsrec__gru_step_backward(NULL, &c.prm, d.B, c.xf, c.h0f, cache, dh, NULL,
                                              dh, &c.grad),
                     TSREC_OK);
    for (int64_t k = 0; k < np; k++)
        assert_float_equal(c.gth[k], 2.0f * first[k], 1e-5);
    for (int64_t k = 0; k < bh; k++)
        assert_float_equal(dh[k], c.gh0[k], 1e-6);
    free(dh);
    free(first);
    free(h);
    free(cache);
    ref_case_free(&c);
}

static void check_sequence(ref_dims d, uint64_t seed)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rnn_seq s;
    assert_int_equal(tsrec__rnn_seq_init(&s, ctx, NULL, TSREC__CELL_GRU, d.I, d.H, d.B + 2, 5),
                     TSREC_OK);
    ref_case c;
    ref_case_init(&c, d, seed, 0.6, 1);
    int64_t bh = d.B * d.H;
    assert_int_equal(tsrec__gru_seq_forward(&s, NULL, &c.prm, d.B, d.T, c.xf, c.h0f), TSREC_OK);
    double *hs = ref_zalloc(d.T * bh, sizeof(double));
    ref_seq_loss(&c.p.d, c.p.th, c.p.x, c.p.h0, NULL, NULL, NULL, NULL, hs, NULL);
    assert_close_f(tsrec__rnn_seq_hidden(&s, 0), c.p.h0, bh, 0.0, "h0");
    for (int64_t t = 1; t <= d.T; t++)
        assert_close_f(tsrec__rnn_seq_hidden(&s, t), hs + (t - 1) * bh, bh, 5e-6, "h_t");
    assert_null(tsrec__rnn_seq_hidden(&s, d.T + 1));
    assert_int_equal(tsrec__gru_seq_backward(&s, NULL, &c.prm, c.xf, c.cyf, c.clf, c.gx, c.gh0,
                                             &c.grad),
                     TSREC_OK);
    ref_case_check(&c);
    /* The caches are consumed: a second backward needs a new forward. */
    assert_int_equal(tsrec__gru_seq_backward(&s, NULL, &c.prm, c.xf, c.cyf, c.clf, c.gx, c.gh0,
                                             &c.grad),
                     TSREC_E_MISUSE);
    free(hs);
    ref_case_free(&c);
    tsrec__rnn_seq_free(&s, ctx);
    tu_ctx_free_checked(ctx);
}

static void test_sequence(void **state)
{
    (void)state;
    check_sequence((ref_dims){REF_GRU, 3, 4, 5, 3}, 21);
    check_sequence((ref_dims){REF_GRU, 2, 3, 6, 5}, 22);
}

/* Huge pre-activations saturate the gates instead of overflowing; NaN
 * propagates without a crash. */
static void test_saturation(void **state)
{
    (void)state;
    ref_case c;
    ref_dims d = {REF_GRU, 2, 3, 4, 1};
    ref_case_init(&c, d, 5, 0.5, 0);
    int64_t np = ref_nparams(&d), bh = d.B * d.H;
    for (int64_t k = 0; k < np; k++)
        c.thf[k] *= 1000.0f;
    float *h = ref_zalloc(bh, sizeof(float)), *cache = cache_for(d.B, d.H);
    assert_int_equal(tsrec__gru_step_forward(NULL, &c.prm, d.B, c.xf, c.h0f, h, cache),
                     TSREC_OK);
    for (int64_t k = 0; k < bh; k++) {
        assert_true(isfinite(h[k]));
        assert_true(fabsf(h[k]) <= 1.0f + 1e-6f);
    }
    assert_int_equal(tsrec__gru_step_backward(NULL, &c.prm, d.B, c.xf, c.h0f, cache, c.clf,
                                              c.gx, c.gh0, &c.grad),
                     TSREC_OK);
    for (int64_t k = 0; k < np; k++)
        assert_true(isfinite(c.gth[k]));
    c.xf[0] = NAN;
    assert_int_equal(tsrec__gru_step_forward(NULL, &c.prm, d.B, c.xf, c.h0f, h, cache),
                     TSREC_OK);
    assert_true(isnan(h[0]));
    free(h);
    free(cache);
    ref_case_free(&c);
}

static void test_init(void **state)
{
    (void)state;
    ref_case a, b;
    ref_dims d = {REF_GRU, 1, 6, 9, 1};
    ref_case_init(&a, d, 1, 1.0, 0);
    ref_case_init(&b, d, 2, 1.0, 0);
    int64_t np = ref_nparams(&d);
    tsrec__rng r1, r2;
    tsrec__rng_seed(&r1, 42);
    tsrec__rng_seed(&r2, 42);
    assert_int_equal(tsrec__rnn_init(NULL, &a.prm, 3, TSREC__INIT_UNIFORM, 0.0f, &r1), TSREC_OK);
    assert_int_equal(tsrec__rnn_init(NULL, &b.prm, 3, TSREC__INIT_UNIFORM, 0.0f, &r2), TSREC_OK);
    float bound = 1.0f / sqrtf(9.0f);
    double sum = 0.0, sumsq = 0.0;
    for (int64_t k = 0; k < np; k++) {
        assert_true(fabsf(a.thf[k]) <= bound);
        assert_true(a.thf[k] == b.thf[k]); /* same seed, same weights */
        sum += a.thf[k];
        sumsq += (double)a.thf[k] * a.thf[k];
    }
    /* U(-b, b): mean 0, variance b^2 / 3 (np = 459 draws). */
    assert_true(fabs(sum / (double)np) < 0.03);
    assert_true(fabs(sumsq / (double)np - bound * bound / 3.0) < 0.01);

    assert_int_equal(tsrec__rnn_init(NULL, &a.prm, 3, TSREC__INIT_XAVIER, 0.0f, &r1), TSREC_OK);
    float xb = sqrtf(6.0f / (6.0f + 9.0f));
    float mx = 0.0f;
    for (int64_t k = 0; k < 3 * 9 * 6; k++) {
        assert_true(fabsf(a.prm.w_ih[k]) <= xb);
        mx = fmaxf(mx, fabsf(a.prm.w_ih[k]));
    }
    assert_true(mx > 0.5f * xb);
    for (int64_t k = 0; k < 27; k++)
        assert_true(a.prm.b_ih[k] == 0.0f && a.prm.b_hh[k] == 0.0f);
    assert_int_equal(tsrec__rnn_init(NULL, &a.prm, 3, 7, 0.0f, &r1), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__rnn_init(NULL, &a.prm, 5, TSREC__INIT_UNIFORM, 0.0f, &r1),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__rnn_init(NULL, NULL, 3, TSREC__INIT_UNIFORM, 0.0f, &r1),
                     TSREC_E_INVALID_ARG);
    ref_case_free(&a);
    ref_case_free(&b);
}

static void test_bad_args(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    ref_case c;
    ref_dims d = SMALL;
    ref_case_init(&c, d, 9, 0.5, 0);
    float *h = ref_zalloc(d.B * d.H, sizeof(float)), *cache = cache_for(d.B, d.H);
    tsrec__handle *eh = &ctx->hdr;

    assert_int_equal(tsrec__gru_step_forward(eh, NULL, 3, c.xf, c.h0f, h, cache),
                     TSREC_E_INVALID_ARG);
    assert_true(strstr(ctx->hdr.errmsg, "gru_step_forward") != NULL);
    assert_int_equal(tsrec__gru_step_forward(eh, &c.prm, 0, c.xf, c.h0f, h, cache),
                     TSREC_E_SHAPE);
    assert_int_equal(tsrec__gru_step_forward(eh, &c.prm, -4, c.xf, c.h0f, h, cache),
                     TSREC_E_SHAPE);
    assert_int_equal(tsrec__gru_step_forward(eh, &c.prm, (int64_t)1 << 40, c.xf, c.h0f, h,
                                             cache),
                     TSREC_E_SHAPE);
    assert_int_equal(tsrec__gru_step_forward(eh, &c.prm, 3, NULL, c.h0f, h, cache),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__gru_step_forward(eh, &c.prm, 3, c.xf, c.h0f, h, NULL),
                     TSREC_E_INVALID_ARG);
    tsrec__rnn_params bad = c.prm;
    bad.hidden = 0;
    assert_int_equal(tsrec__gru_step_forward(eh, &bad, 3, c.xf, c.h0f, h, cache), TSREC_E_SHAPE);
    bad = c.prm;
    bad.b_hh = NULL;
    assert_int_equal(tsrec__gru_step_forward(eh, &bad, 3, c.xf, c.h0f, h, cache),
                     TSREC_E_INVALID_ARG);

    assert_int_equal(tsrec__gru_step_forward(eh, &c.prm, 3, c.xf, c.h0f, h, cache), TSREC_OK);
    tsrec__rnn_params g = c.grad;
    g.hidden = 4;
    assert_int_equal(tsrec__gru_step_backward(eh, &c.prm, 3, c.xf, c.h0f, cache, c.clf, c.gx,
                                              c.gh0, &g),
                     TSREC_E_SHAPE);
    assert_int_equal(tsrec__gru_step_backward(eh, &c.prm, 3, c.xf, c.h0f, cache, c.clf, c.gx,
                                              c.gh0, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__gru_step_backward(eh, &c.prm, 3, c.xf, c.h0f, cache, NULL, c.gx,
                                              c.gh0, &c.grad),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__gru_cache_floats(0, 5), -1);
    assert_int_equal(tsrec__gru_cache_floats(INT64_MAX / 2, 5), -1);
    assert_int_equal(tsrec__rnn_param_count(3, 0, 5), -1);

    /* Sequence workspace. */
    tsrec__rnn_seq s;
    assert_int_equal(tsrec__rnn_seq_init(&s, ctx, eh, 9, 4, 5, 3, 2), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__rnn_seq_init(&s, ctx, eh, TSREC__CELL_GRU, 4, 5, 0, 2),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__rnn_seq_init(&s, ctx, eh, TSREC__CELL_GRU, 4, 5, INT32_MAX,
                                         INT64_MAX / 4),
                     TSREC_E_INVALID_ARG);
    tsrec__rnn_seq_free(&s, ctx);
    assert_int_equal(tsrec__rnn_seq_init(&s, ctx, eh, TSREC__CELL_GRU, 4, 5, 3, 2), TSREC_OK);
    assert_int_equal(tsrec__gru_seq_backward(&s, eh, &c.prm, c.xf, NULL, c.clf, NULL, NULL,
                                             &c.grad),
                     TSREC_E_MISUSE);
    assert_int_equal(tsrec__gru_seq_forward(&s, eh, &c.prm, 4, 1, c.xf, NULL), TSREC_E_SHAPE);
    assert_int_equal(tsrec__gru_seq_forward(&s, eh, &c.prm, 3, 3, c.xf, NULL), TSREC_E_SHAPE);
    assert_int_equal(tsrec__gru_seq_forward(&s, eh, &c.prm, 3, 0, c.xf, NULL), TSREC_E_SHAPE);
    assert_int_equal(tsrec__lstm_seq_forward(&s, eh, &c.prm, 3, 1, c.xf, NULL, NULL),
                     TSREC_E_MISUSE);
    bad = c.prm;
    bad.in = 5;
    assert_int_equal(tsrec__gru_seq_forward(&s, eh, &bad, 3, 1, c.xf, NULL), TSREC_E_SHAPE);
    /* h0 NULL = zeros. */
    assert_int_equal(tsrec__gru_seq_forward(&s, eh, &c.prm, 3, 1, c.xf, NULL), TSREC_OK);
    const float *h0 = tsrec__rnn_seq_hidden(&s, 0);
    for (int64_t k = 0; k < 15; k++)
        assert_true(h0[k] == 0.0f);
    assert_null(tsrec__rnn_seq_cell(&s, 0));
    tsrec__rnn_seq_free(&s, ctx);
    tsrec__rnn_seq_free(&s, ctx); /* idempotent */

    free(h);
    free(cache);
    ref_case_free(&c);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_forward), cmocka_unit_test(test_step_backward),
        cmocka_unit_test(test_sequence),     cmocka_unit_test(test_saturation),
        cmocka_unit_test(test_init),         cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
