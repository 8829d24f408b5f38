/* Dense and embedding layers, activations, the fast exp/sigmoid/tanh, and
 * the losses (softmax cross-entropy, GRU4Rec BPR and TOP1): values against
 * naive double formulas, gradients against central finite differences. */
#include "test_util.h"

#include "nn_internal.h"
#include "nn_math_internal.h"
#include "nn_test_ref.h"

/* ---- dense ---------------------------------------------------------------- */

/* L = sum_{b,o} c[b,o] * (x W^T + bias)[b,o] in double. */
static double dense_loss(const double *w, const double *bias, const double *x, const double *c,
                         int64_t B, int64_t I, int64_t O)
{
    double l = 0.0;
    for (int64_t b = 0; b < B; b++)
        for (int64_t o = 0; o < O; o++)
            l += c[b * O + o] * (ref_dot(w + o * I, x + b * I, I) + (bias ? bias[o] : 0.0));
    return l;
}

static void test_dense(void **state)
{
    (void)state;
    const int64_t B = 3, I = 4, O = 5;
    uint64_t s = 77;
    double w[20], bias[5], x[12], c[15];
    float wf[20], bf[5], xf[12], cf[15], y[15], dx[12], dw[20], db[5];
    ref_fill(&s, w, wf, 20, -1, 1);
    ref_fill(&s, bias, bf, 5, -1, 1);
    ref_fill(&s, x, xf, 12, -1, 1);
    ref_fill(&s, c, cf, 15, -1, 1);
    for (int with_bias = 0; with_bias < 2; with_bias++) {
        const float *bp = with_bias ? bf : NULL;
        assert_int_equal(tsrec__dense_forward(NULL, wf, bp, B, I, O, xf, y), TSREC_OK);
        for (int64_t b = 0; b < B; b++)
            for (int64_t o = 0; o < O; o++)
                assert_float_equal(y[b * O + o],
                                   ref_dot(w + o * I, x + b * I, I) + (with_bias ? bias[o] : 0),
                                   1e-5);
    }
    memset(dw, 0, sizeof dw);
    memset(db, 0, sizeof db);
    assert_int_equal(tsrec__dense_backward(NULL, wf, B, I, O, xf, cf, dx, dw, db), TSREC_OK);
    /* Gradients of L by central differences (L is linear: exact up to
     * rounding). */
    const double eps = 1e-3;
    double *vs[3] = {w, bias, x};
    const float *gs[3] = {dw, db, dx};
    const int64_t ns[3] = {20, 5, 12};
    for (int v = 0; v < 3; v++)
        for (int64_t k = 0; k < ns[v]; k++) {
            double keep = vs[v][k];
            vs[v][k] = keep + eps;
            double lp = dense_loss(w, bias, x, c, B, I, O);
            vs[v][k] = keep - eps;
            double lm = dense_loss(w, bias, x, c, B, I, O);
            vs[v][k] = keep;
            assert_float_equal(gs[v][k], (lp - lm) / (2 * eps), 1e-5);
        }
    /* Parameter gradients accumulate; dx is overwritten; NULL skips. */
    float dw1 = dw[7], db1 = db[2], dx1 = dx[3];
    assert_int_equal(tsrec__dense_backward(NULL, wf, B, I, O, xf, cf, dx, dw, db), TSREC_OK);
    assert_float_equal(dw[7], 2 * dw1, 1e-6);
    assert_float_equal(db[2], 2 * db1, 1e-6);
    assert_float_equal(dx[3], dx1, 1e-7);
    assert_int_equal(tsrec__dense_backward(NULL, NULL, B, I, O, NULL, cf, NULL, NULL, db),
                     TSREC_OK);
    assert_float_equal(db[2], 3 * db1, 1e-6);

    assert_int_equal(tsrec__dense_forward(NULL, wf, bf, 0, I, O, xf, y), TSREC_E_SHAPE);
    assert_int_equal(tsrec__dense_forward(NULL, wf, bf, B, I, (int64_t)1 << 33, xf, y),
                     TSREC_E_SHAPE);
    assert_int_equal(tsrec__dense_forward(NULL, NULL, bf, B, I, O, xf, y), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__dense_backward(NULL, NULL, B, I, O, xf, cf, dx, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__dense_backward(NULL, wf, B, I, O, xf, NULL, dx, NULL, NULL),
                     TSREC_E_INVALID_ARG);
}

/* ---- embedding ------------------------------------------------------------ */

static void test_embedding(void **state)
{
    (void)state;
    const int64_t V = 6, D = 3;
    float table[18], out[15], dy[15], dt[18];
    for (int k = 0; k < 18; k++)
        table[k] = (float)k * 0.5f - 3.0f;
    const int64_t idx[5] = {4, 0, 4, 5, 4};
    assert_int_equal(tsrec__embedding_forward(NULL, table, V, D, idx, 5, out), TSREC_OK);
    for (int64_t k = 0; k < 5; k++)
        for (int64_t j = 0; j < D; j++)
            assert_true(out[k * D + j] == table[idx[k] * D + j]);
    for (int k = 0; k < 15; k++)
        dy[k] = (float)(k + 1);
    memset(dt, 0, sizeof dt);
    dt[1] = 100.0f; /* backward adds onto what is there */
    assert_int_equal(tsrec__embedding_backward(NULL, dt, V, D, idx, 5, dy), TSREC_OK);
    float want[18] = {0};
    want[1] = 100.0f;
    for (int64_t k = 0; k < 5; k++)
        for (int64_t j = 0; j < D; j++)
            want[idx[k] * D + j] += dy[k * D + j];
    for (int k = 0; k < 18; k++)
        assert_float_equal(dt[k], want[k], 0.0);
    /* Row 4 got three contributions: 1+7+13, 2+8+14, 3+9+15. */
    assert_float_equal(dt[12], 21.0f, 0.0);
    assert_float_equal(dt[14], 27.0f, 0.0);

    const int64_t bad_hi[3] = {0, 6, 1}, bad_lo[2] = {2, -1};
    assert_int_equal(tsrec__embedding_forward(NULL, table, V, D, bad_hi, 3, out),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__embedding_forward(NULL, table, V, D, bad_lo, 2, out),
                     TSREC_E_OUT_OF_RANGE);
    memcpy(want, dt, sizeof dt);
    assert_int_equal(tsrec__embedding_backward(NULL, dt, V, D, bad_hi, 3, dy),
                     TSREC_E_OUT_OF_RANGE);
    assert_memory_equal(dt, want, sizeof dt); /* nothing written */
    assert_int_equal(tsrec__embedding_forward(NULL, table, V, D, idx, 0, out), TSREC_OK);
    assert_int_equal(tsrec__embedding_forward(NULL, table, 0, D, idx, 1, out), TSREC_E_SHAPE);
    assert_int_equal(tsrec__embedding_forward(NULL, table, V, 0, idx, 1, out), TSREC_E_SHAPE);
    assert_int_equal(tsrec__embedding_forward(NULL, table, V, D, idx, -1, out), TSREC_E_SHAPE);
    assert_int_equal(tsrec__embedding_forward(NULL, NULL, V, D, idx, 1, out),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__embedding_backward(NULL, dt, V, D, NULL, 2, dy),
                     TSREC_E_INVALID_ARG);
}

/* ---- activations and fast math -------------------------------------------- */

static double act_ref(int32_t act, double x)
{
    switch (act) {
    case TSREC__ACT_SIGMOID: return ref_sig(x);
    case TSREC__ACT_TANH: return tanh(x);
    case TSREC__ACT_RELU: return x > 0 ? x : 0;
    case TSREC__ACT_SOFTPLUS: return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
    default: return x;
    }
}

static void test_activations(void **state)
{
    (void)state;
    enum { N = 41 };
    float x[N], y[N], dy[N], dx[N];
    for (int k = 0; k < N; k++) {
        x[k] = (float)(k - 20) * 0.37f + 0.011f; /* avoids 0 for relu's kink */
        dy[k] = 1.0f + 0.1f * (float)(k % 5);
    }
    x[0] = -90.0f;
    x[N - 1] = 95.0f;
    for (int32_t act = TSREC__ACT_IDENTITY; act <= TSREC__ACT_SOFTPLUS; act++) {
        assert_int_equal(tsrec__act_forward(NULL, act, N, x, y), TSREC_OK);
        for (int k = 0; k < N; k++) {
            double want = act_ref(act, x[k]);
            assert_true(fabs(y[k] - want) <= 1e-6 * (1 + fabs(want)));
        }
        assert_int_equal(tsrec__act_backward(NULL, act, N, x, y, dy, dx), TSREC_OK);
        for (int k = 1; k < N - 1; k++) {
            double h = 1e-6;
            double fd = (act_ref(act, x[k] + h) - act_ref(act, x[k] - h)) / (2 * h);
            assert_true(fabs(dx[k] - dy[k] * fd) <= 1e-5);
        }
    }
    /* In place. */
    memcpy(y, x, sizeof x);
    assert_int_equal(tsrec__act_forward(NULL, TSREC__ACT_TANH, N, y, y), TSREC_OK);
    assert_float_equal(y[25], tanh(x[25]), 1e-6);
    assert_int_equal(tsrec__act_forward(NULL, 9, N, x, y), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__act_forward(NULL, TSREC__ACT_TANH, -1, x, y), TSREC_E_SHAPE);
    assert_int_equal(tsrec__act_forward(NULL, TSREC__ACT_TANH, N, NULL, y), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__act_forward(NULL, TSREC__ACT_TANH, 0, NULL, NULL), TSREC_OK);
    assert_int_equal(tsrec__act_backward(NULL, TSREC__ACT_SIGMOID, N, x, NULL, dy, dx),
                     TSREC_E_INVALID_ARG);
}

static void test_fast_math(void **state)
{
    (void)state;
    double worst_exp = 0, worst_sig = 0, worst_tanh = 0;
    for (int k = 0; k <= 200000; k++) {
        float x = -87.0f + 175.0f * (float)k / 200000.0f;
        double e = exp((double)x);
        worst_exp = fmax(worst_exp, fabs(nn_expf(x) - e) / e);
        float xs = -30.0f + 60.0f * (float)k / 200000.0f;
        worst_sig = fmax(worst_sig, fabs(nn_sigmoidf(xs) - ref_sig(xs)));
        worst_tanh = fmax(worst_tanh, fabs(nn_tanhf(xs) - tanh(xs)));
    }
    assert_true(worst_exp < 3e-7);
    assert_true(worst_sig < 3e-7);
    assert_true(worst_tanh < 5e-7);
    /* Saturation and special values. */
    assert_true(nn_sigmoidf(-1000.0f) >= 0.0f && nn_sigmoidf(-1000.0f) < 1e-30f);
    assert_true(nn_sigmoidf(1000.0f) == 1.0f);
    assert_true(nn_tanhf(1000.0f) == 1.0f && nn_tanhf(-1000.0f) == -1.0f);
    assert_true(nn_tanhf(0.0f) == 0.0f);
    assert_true(isnan(nn_expf(NAN)) && isnan(nn_sigmoidf(NAN)) && isnan(nn_tanhf(NAN)));
}

/* ---- losses --------------------------------------------------------------- */

static double xent_ref(const double *l, const int64_t *t, int64_t B, int64_t C)
{
    double tot = 0;
    for (int64_t b = 0; b < B; b++) {
        double z = 0;
        for (int64_t k = 0; k < C; k++)
            z += exp(l[b * C + k]);
        tot += log(z) - l[b * C + t[b]];
    }
    return tot / (double)B;
}

static double bpr_ref(const double *s, int64_t B, int64_t M)
{
    double tot = 0;
    for (int64_t b = 0; b < B; b++)
        for (int64_t j = 0; j < M; j++)
            tot += -log(ref_sig(s[b * M + b] - s[b * M + j]));
    return tot / (double)(B * M);
}

static double top1_ref(const double *s, int64_t B, int64_t M)
{
    double tot = 0;
    for (int64_t b = 0; b < B; b++) {
        double pos = s[b * M + b], row = 0;
        for (int64_t j = 0; j < M; j++) {
            double v = s[b * M + j];
            row += ref_sig(v - pos) + ref_sig(v * v);
        }
        tot += row / (double)M - ref_sig(pos * pos) / (double)M;
    }
    return tot / (double)B;
}

enum { LOSS_XENT, LOSS_BPR, LOSS_TOP1 };

static double loss_ref(int which, const double *s, const int64_t *t, int64_t B, int64_t M)
{
    return which == LOSS_XENT ? xent_ref(s, t, B, M)
                              : which == LOSS_BPR ? bpr_ref(s, B, M) : top1_ref(s, B, M);
}

static int loss_lib(int which, const float *s, const int64_t *t, int64_t B, int64_t M,
                    double *out, float *d)
{
    switch (which) {
    case LOSS_XENT: return tsrec__loss_softmax_xent(NULL, B, M, s, t, out, d);
    case LOSS_BPR: return tsrec__loss_bpr(NULL, B, M, s, out, d);
    default: return tsrec__loss_top1(NULL, B, M, s, out, d);
    }
}

static void check_loss(int which, int64_t B, int64_t M, uint64_t seed, double scale)
{
    uint64_t s = seed;
    int64_t n = B * M;
    double *sd = ref_zalloc(n, sizeof(double));
    float *sf = ref_zalloc(n, sizeof(float)), *g = ref_zalloc(n, sizeof(float));
    int64_t *t = ref_zalloc(B, sizeof(int64_t));
    ref_fill(&s, sd, sf, n, -scale, scale);
    for (int64_t b = 0; b < B; b++)
        t[b] = (b * 7 + 3) % M;
    double loss = -1;
    assert_int_equal(loss_lib(which, sf, t, B, M, &loss, g), TSREC_OK);
    double want = loss_ref(which, sd, t, B, M);
    assert_true(fabs(loss - want) <= 1e-6 * (1 + fabs(want)));
    /* Without a gradient buffer the value is the same. */
    double loss2 = -1;
    assert_int_equal(loss_lib(which, sf, t, B, M, &loss2, NULL), TSREC_OK);
    assert_true(loss2 == loss);
    const double eps = 1e-5;
    for (int64_t k = 0; k < n; k++) {
        double keep = sd[k];
        sd[k] = keep + eps;
        double lp = loss_ref(which, sd, t, B, M);
        sd[k] = keep - eps;
        double lm = loss_ref(which, sd, t, B, M);
        sd[k] = keep;
        double fd = (lp - lm) / (2 * eps);
        if (fabs(g[k] - fd) > 1e-6 + 1e-4 * fabs(fd))
            fail_msg("loss %d grad[%lld]: analytic %.8g, fd %.8g", which, (long long)k,
                     (double)g[k], fd);
    }
    free(sd);
    free(sf);
    free(g);
    free(t);
}

static void test_loss_values_and_gradients(void **state)
{
    (void)state;
    for (int which = LOSS_XENT; which <= LOSS_TOP1; which++) {
        check_loss(which, 4, 4, 101 + (uint64_t)which, 2.0);
        check_loss(which, 3, 7, 201 + (uint64_t)which, 2.0); /* extra negatives */
        check_loss(which, 1, 1, 301 + (uint64_t)which, 1.0);
        check_loss(which, 5, 5, 401 + (uint64_t)which, 6.0);
    }
}

/* Known values: all-zero scores. xent = log C; BPR = log 2; TOP1 =
 * (M*(0.5+0.5) - 0.5)/M. */
static void test_loss_known_values(void **state)
{
    (void)state;
    float z[9] = {0};
    int64_t t[3] = {0, 1, 2};
    double l;
    assert_int_equal(tsrec__loss_softmax_xent(NULL, 3, 3, z, t, &l, NULL), TSREC_OK);
    assert_float_equal(l, log(3.0), 1e-12);
    assert_int_equal(tsrec__loss_bpr(NULL, 3, 3, z, &l, NULL), TSREC_OK);
    assert_float_equal(l, log(2.0), 1e-7);
    assert_int_equal(tsrec__loss_top1(NULL, 3, 3, z, &l, NULL), TSREC_OK);
    assert_float_equal(l, (3.0 - 0.5) / 3.0, 1e-7);
    /* Stability: huge logits give finite values and gradients. */
    float big[4] = {1e4f, -1e4f, 3e4f, 2e4f};
    float g[4];
    int64_t t2[2] = {1, 0};
    assert_int_equal(tsrec__loss_softmax_xent(NULL, 2, 2, big, t2, &l, g), TSREC_OK);
    assert_float_equal(l, (2e4 + 0.0) / 2.0, 1e-3); /* rows: 1e4+1e4, ~0 */
    for (int k = 0; k < 4; k++)
        assert_true(isfinite(g[k]));
    assert_int_equal(tsrec__loss_bpr(NULL, 2, 2, big, &l, g), TSREC_OK);
    assert_true(isfinite(l));
    assert_int_equal(tsrec__loss_top1(NULL, 2, 2, big, &l, g), TSREC_OK);
    assert_true(isfinite(l));
}

static void test_loss_bad_args(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__handle *eh = &ctx->hdr;
    float s[6] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
    int64_t t[2] = {0, 3};
    double l;
    assert_int_equal(tsrec__loss_softmax_xent(eh, 2, 3, s, t, &l, NULL), TSREC_E_OUT_OF_RANGE);
    assert_true(strstr(ctx->hdr.errmsg, "target") != NULL);
    t[1] = -1;
    assert_int_equal(tsrec__loss_softmax_xent(eh, 2, 3, s, t, &l, NULL), TSREC_E_OUT_OF_RANGE);
    t[1] = 2;
    assert_int_equal(tsrec__loss_softmax_xent(eh, 2, 3, s, NULL, &l, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__loss_softmax_xent(eh, 0, 3, s, t, &l, NULL), TSREC_E_SHAPE);
    assert_int_equal(tsrec__loss_softmax_xent(eh, 2, 3, s, t, NULL, NULL), TSREC_E_INVALID_ARG);
    /* Ranking losses need the diagonal: cols >= batch. */
    assert_int_equal(tsrec__loss_bpr(eh, 3, 2, s, &l, NULL), TSREC_E_SHAPE);
    assert_int_equal(tsrec__loss_top1(eh, 3, 2, s, &l, NULL), TSREC_E_SHAPE);
    assert_int_equal(tsrec__loss_bpr(eh, 2, 3, NULL, &l, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__loss_top1(eh, -1, 3, s, &l, NULL), TSREC_E_SHAPE);
    s[4] = NAN;
    assert_int_equal(tsrec__loss_softmax_xent(eh, 2, 3, s, t, &l, NULL), TSREC_E_NAN);
    assert_int_equal(tsrec__loss_bpr(eh, 2, 3, s, &l, NULL), TSREC_E_NAN);
    assert_int_equal(tsrec__loss_top1(eh, 2, 3, s, &l, NULL), TSREC_E_NAN);
    s[4] = INFINITY;
    assert_int_equal(tsrec__loss_softmax_xent(eh, 2, 3, s, t, &l, NULL), TSREC_E_NAN);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense),
        cmocka_unit_test(test_embedding),
        cmocka_unit_test(test_activations),
        cmocka_unit_test(test_fast_math),
        cmocka_unit_test(test_loss_values_and_gradients),
        cmocka_unit_test(test_loss_known_values),
        cmocka_unit_test(test_loss_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
