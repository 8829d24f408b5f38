/* Naive double-precision references for the neural cell tests: scalar loops
 * straight from the cell equations, a sequence loss, and central finite
 * differences over it. Parameters use the library's flat layout
 * (w_ih [G*H x in], w_hh [G*H x H], b_ih [G*H], b_hh [G*H]). */
#ifndef TSREC_NN_TEST_REF_H
#define TSREC_NN_TEST_REF_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "nn_internal.h"

#define REF_GRU 1
#define REF_LSTM 2

typedef struct ref_dims {
    int cell;
    int64_t B, I, H, T;
} ref_dims;

static inline int64_t ref_gates(const ref_dims *d)
{
    return d->cell == REF_GRU ? 3 : 4;
}

static inline int64_t ref_nparams(const ref_dims *d)
{
    return ref_gates(d) * d->H * (d->I + d->H + 2);
}

/* Deterministic uniform numbers in [lo, hi) (xorshift64*), rounded to float
 * so the float and double computations see identical values. */
static inline double ref_uniform(uint64_t *s, double lo, double hi)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    uint64_t v = *s * 2685821657736338717ull;
    double u = (double)(v >> 11) * (1.0 / 9007199254740992.0);
    return (double)(float)(lo + (hi - lo) * u);
}

static inline void ref_fill(uint64_t *s, double *d, float *f, int64_t n, double lo, double hi)
{
    for (int64_t k = 0; k < n; k++) {
        d[k] = ref_uniform(s, lo, hi);
        if (f != NULL)
            f[k] = (float)d[k];
    }
}

static inline double ref_sig(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* Pre-activation a[g*H + j] = sum_k W[g*H+j][k] * v[k] (+ bias). */
static inline double ref_dot(const double *w, const double *v, int64_t n)
{
    double s = 0.0;
    for (int64_t k = 0; k < n; k++)
        s += w[k] * v[k];
    return s;
}

static inline void ref_gru_step(const ref_dims *d, const double *th, const double *x,
                                const double *h, double *hout)
{
    const int64_t I = d->I, H = d->H;
    const double *wih = th, *whh = th + 3 * H * I, *bih = whh + 3 * H * H, *bhh = bih + 3 * H;
    for (int64_t b = 0; b < d->B; b++) {
        const double *xb = x + b * I, *hb = h + b * H;
        for (int64_t j = 0; j < H; j++) {
            double r = ref_sig(ref_dot(wih + j * I, xb, I) + bih[j] +
                               ref_dot(whh + j * H, hb, H) + bhh[j]);
            double z = ref_sig(ref_dot(wih + (H + j) * I, xb, I) + bih[H + j] +
                               ref_dot(whh + (H + j) * H, hb, H) + bhh[H + j]);
            double n = tanh(ref_dot(wih + (2 * H + j) * I, xb, I) + bih[2 * H + j] +
                            r * (ref_dot(whh + (2 * H + j) * H, hb, H) + bhh[2 * H + j]));
            hout[b * H + j] = (1.0 - z) * n + z * hb[j];
        }
    }
}

static inline void ref_lstm_step(const ref_dims *d, const double *th, const double *x,
                                 const double *h, const double *c, double *hout, double *cout)
{
    const int64_t I = d->I, H = d->H;
    const double *wih = th, *whh = th + 4 * H * I, *bih = whh + 4 * H * H, *bhh = bih + 4 * H;
    for (int64_t b = 0; b < d->B; b++) {
        const double *xb = x + b * I, *hb = h + b * H;
        for (int64_t j = 0; j < H; j++) {
            double a[4];
            for (int g = 0; g < 4; g++) {
                int64_t row = g * H + j;
                a[g] = ref_dot(wih + row * I, xb, I) + bih[row] + ref_dot(whh + row * H, hb, H) +
                       bhh[row];
            }
            double ig = ref_sig(a[0]), fg = ref_sig(a[1]), gg = tanh(a[2]), og = ref_sig(a[3]);
            double cn = fg * c[b * H + j] + ig * gg;
            cout[b * H + j] = cn;
            hout[b * H + j] = og * tanh(cn);
        }
    }
}

/* Run T steps from h0 (and c0) and return
 *   L = sum_t <cy_t, h_t> + <cl, h_T> + <ccl, c_T>
 * (each weight array NULL = zero). If hs is not NULL it receives h_1..h_T
 * ([T x B x H]) and cs (LSTM) c_1..c_T. */
static inline double ref_seq_loss(const ref_dims *d, const double *th, const double *x,
                                  const double *h0, const double *c0, const double *cy,
                                  const double *cl, const double *ccl, double *hs, double *cs)
{
    const int64_t bh = d->B * d->H;
    double *h = malloc((size_t)bh * sizeof *h), *hn = malloc((size_t)bh * sizeof *hn);
    double *c = malloc((size_t)bh * sizeof *c), *cn = malloc((size_t)bh * sizeof *cn);
    memcpy(h, h0, (size_t)bh * sizeof *h);
    if (c0 != NULL)
        memcpy(c, c0, (size_t)bh * sizeof *c);
    else
        memset(c, 0, (size_t)bh * sizeof *c);
    double loss = 0.0;
    for (int64_t t = 0; t < d->T; t++) {
        const double *xt = x + t * d->B * d->I;
        if (d->cell == REF_GRU)
            ref_gru_step(d, th, xt, h, hn);
        else
            ref_lstm_step(d, th, xt, h, c, hn, cn);
        memcpy(h, hn, (size_t)bh * sizeof *h);
        if (d->cell == REF_LSTM)
            memcpy(c, cn, (size_t)bh * sizeof *c);
        if (hs != NULL)
            memcpy(hs + t * bh, h, (size_t)bh * sizeof *h);
        if (cs != NULL)
            memcpy(cs + t * bh, c, (size_t)bh * sizeof *c);
        if (cy != NULL)
            loss += ref_dot(cy + t * bh, h, bh);
    }
    if (cl != NULL)
        loss += ref_dot(cl, h, bh);
    if (ccl != NULL)
        loss += ref_dot(ccl, c, bh);
    free(h);
    free(hn);
    free(c);
    free(cn);
    return loss;
}

typedef struct ref_problem {
    ref_dims d;
    double *th, *x, *h0, *c0, *cy, *cl, *ccl;
} ref_problem;

static inline double ref_problem_loss(const ref_problem *p)
{
    return ref_seq_loss(&p->d, p->th, p->x, p->h0, p->c0, p->cy, p->cl, p->ccl, NULL, NULL);
}

/* Central differences of the problem's loss with respect to v[0..n) (v
 * points into one of the problem's arrays), compared with the analytic
 * float gradient g: |g - fd| <= atol + rtol * |fd| for every entry. */
static inline void ref_check_grad(const ref_problem *p, double *v, int64_t n, const float *g,
                                  const char *what)
{
    const double eps = 1e-5, atol = 2e-4, rtol = 2e-3;
    for (int64_t k = 0; k < n; k++) {
        double keep = v[k];
        v[k] = keep + eps;
        double lp = ref_problem_loss(p);
        v[k] = keep - eps;
        double lm = ref_problem_loss(p);
        v[k] = keep;
        double fd = (lp - lm) / (2.0 * eps);
        double err = fabs((double)g[k] - fd);
        if (err > atol + rtol * fabs(fd))
            fail_msg("%s[%lld]: analytic %.7g, finite difference %.7g", what, (long long)k,
                     (double)g[k], fd);
    }
}

/* A problem in double plus the same values in float for the library, and
 * buffers for the library's gradients. */
typedef struct ref_case {
    ref_problem p;
    float *thf, *xf, *h0f, *c0f, *cyf, *clf, *cclf;
    float *gth, *gx, *gh0, *gc0;
    tsrec__rnn_params prm, grad;
} ref_case;

static inline void *ref_zalloc(int64_t n, size_t size)
{
    void *p = calloc((size_t)(n > 0 ? n : 1), size);
    assert_non_null(p);
    return p;
}

/* Random problem: weights in [-wscale, wscale), inputs in [-1, 1), loss
 * weights in [-1, 1). with_cy adds per-step output losses. */
static inline void ref_case_init(ref_case *c, ref_dims d, uint64_t seed, double wscale,
                                 int with_cy)
{
    memset(c, 0, sizeof *c);
    c->p.d = d;
    int64_t np = ref_nparams(&d), nx = d.T * d.B * d.I, bh = d.B * d.H;
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    c->p.th = ref_zalloc(np, sizeof(double));
    c->p.x = ref_zalloc(nx, sizeof(double));
    c->p.h0 = ref_zalloc(bh, sizeof(double));
    c->p.cl = ref_zalloc(bh, sizeof(double));
    c->thf = ref_zalloc(np, sizeof(float));
    c->xf = ref_zalloc(nx, sizeof(float));
    c->h0f = ref_zalloc(bh, sizeof(float));
    c->clf = ref_zalloc(bh, sizeof(float));
    ref_fill(&s, c->p.th, c->thf, np, -wscale, wscale);
    ref_fill(&s, c->p.x, c->xf, nx, -1.0, 1.0);
    ref_fill(&s, c->p.h0, c->h0f, bh, -1.0, 1.0);
    ref_fill(&s, c->p.cl, c->clf, bh, -1.0, 1.0);
    if (d.cell == REF_LSTM) {
        c->p.c0 = ref_zalloc(bh, sizeof(double));
        c->p.ccl = ref_zalloc(bh, sizeof(double));
        c->c0f = ref_zalloc(bh, sizeof(float));
        c->cclf = ref_zalloc(bh, sizeof(float));
        ref_fill(&s, c->p.c0, c->c0f, bh, -1.0, 1.0);
        ref_fill(&s, c->p.ccl, c->cclf, bh, -1.0, 1.0);
    }
    if (with_cy) {
        c->p.cy = ref_zalloc(d.T * bh, sizeof(double));
        c->cyf = ref_zalloc(d.T * bh, sizeof(float));
        ref_fill(&s, c->p.cy, c->cyf, d.T * bh, -1.0, 1.0);
    }
    c->gth = ref_zalloc(np, sizeof(float));
    c->gx = ref_zalloc(nx, sizeof(float));
    c->gh0 = ref_zalloc(bh, sizeof(float));
    c->gc0 = ref_zalloc(bh, sizeof(float));
    tsrec__rnn_params_view(&c->prm, c->thf, ref_gates(&d), d.I, d.H);
    tsrec__rnn_params_view(&c->grad, c->gth, ref_gates(&d), d.I, d.H);
}

static inline void ref_case_free(ref_case *c)
{
    double *dd[] = {c->p.th, c->p.x, c->p.h0, c->p.c0, c->p.cy, c->p.cl, c->p.ccl};
    float *ff[] = {c->thf, c->xf, c->h0f, c->c0f, c->cyf, c->clf, c->cclf,
                   c->gth, c->gx, c->gh0, c->gc0};
    for (size_t k = 0; k < sizeof dd / sizeof dd[0]; k++)
        free(dd[k]);
    for (size_t k = 0; k < sizeof ff / sizeof ff[0]; k++)
        free(ff[k]);
    memset(c, 0, sizeof *c);
}

/* Check every gradient of the case against finite differences. */
static inline void ref_case_check(ref_case *c)
{
    const ref_dims *d = &c->p.d;
    ref_check_grad(&c->p, c->p.th, ref_nparams(d), c->gth, "dtheta");
    ref_check_grad(&c->p, c->p.x, d->T * d->B * d->I, c->gx, "dx");
    ref_check_grad(&c->p, c->p.h0, d->B * d->H, c->gh0, "dh0");
    if (d->cell == REF_LSTM)
        ref_check_grad(&c->p, c->p.c0, d->B * d->H, c->gc0, "dc0");
}

static inline void assert_close_f(const float *got, const double *want, int64_t n, double tol,
                                  const char *what)
{
    for (int64_t k = 0; k < n; k++)
        if (!(fabs((double)got[k] - want[k]) <= tol))
            fail_msg("%s[%lld]: got %.8g, want %.8g", what, (long long)k, (double)got[k],
                     want[k]);
}

#endif
