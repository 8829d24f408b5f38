/* The fast paths of the ETS fit must give what the reference paths give,
 * bit for bit where the optimiser's path depends on it:
 *   - tsrec__ets_lik_lanes (specialised loops, 1-4 lanes) against
 *     tsrec__ets_calc, for all 18 model types, damped or not, including
 *     undefined multiplicative growth (NaN);
 *   - tsrec__ets_admissible (Schur-Cohn with the eigenvalue solver near the
 *     limit) against an independent root finder (Durand-Kerner) on random
 *     parameters, away from the limit where either could round;
 *   - tsrec__ets_nelder_mead (batched or not) against tsrec__nelder_mead:
 *     same point, value and evaluation count. */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "test_util.h"

#include "ets_internal.h"
#include "ets_nm_internal.h"
#include "optim_internal.h"

/* Small deterministic generator (tests only). */
static uint64_t rs = 88172645463325252ULL;
static double unif(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) * (1.0 / 9007199254740992.0);
}

static int same_bits(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return memcmp(&a, &b, sizeof a) == 0;
}

static void test_lik_lanes_bitwise(void **state)
{
    (void)state;
    enum { N = 97, M = 7 };
    double y[N], e[N], f[N], work[4 * (N + M)];
    for (int t = 0; t < N; t++)
        y[t] = 40.0 + 0.3 * t + 6.0 * sin(6.283185307179586 * t / M) + 3.0 * unif();
    int cases = 0;
    for (int et = 1; et <= 2; et++)
        for (int tt = 0; tt <= 2; tt++)
            for (int st = 0; st <= 2; st++)
                for (int variant = 0; variant < 3; variant++) {
                    int m = st ? M : 1;
                    double x0[4][2 + M];
                    tsrec__ets_lane ln[4];
                    double ref[4];
                    for (int k = 0; k < 4; k++) {
                        int j = 0;
                        x0[k][j++] = 40.0 + 2.0 * unif();
                        if (tt) /* variant 2 lane 1: negative M growth -> NaN */
                            x0[k][j++] = tt == 1 ? 0.3 * unif()
                                         : (variant == 2 && k == 1) ? -0.5
                                                                    : 1.0 + 0.01 * unif();
                        for (int s = 0; st && s < m; s++)
                            x0[k][j++] = st == 1 ? 4.0 * (unif() - 0.5)
                                                 : 1.0 + 0.1 * (unif() - 0.5);
                        /* variant 1: damped; variant 0 lane 3: phi within
                         * 1e-10 of 1 (the M growth update uses b itself). */
                        double phi = variant == 1 ? 0.8 + 0.18 * unif()
                                     : (variant == 0 && k == 3) ? 1.0 + 1e-12 : 1.0;
                        double alpha = 0.05 + 0.9 * unif();
                        ln[k] = (tsrec__ets_lane){alpha, alpha * unif(),
                                                  (1.0 - alpha) * unif(), phi, x0[k]};
                        ref[k] = tsrec__ets_calc(y, N, x0[k], m, et, tt, st, ln[k].alpha,
                                                 ln[k].beta, ln[k].gamma, ln[k].phi, e, f,
                                                 NULL);
                    }
                    for (int k = 1; k <= 4; k++) {
                        double out[4];
                        tsrec__ets_lik_lanes(y, N, m, et, tt, st, ln, k, work, out);
                        for (int i = 0; i < k; i++)
                            assert_true(same_bits(out[i], ref[i]));
                    }
                    double one = tsrec__ets_lik(y, N, x0[0], m, et, tt, st, ln[0].alpha,
                                                ln[0].beta, ln[0].gamma, ln[0].phi, work);
                    assert_true(same_bits(one, ref[0]));
                    if (variant == 2 && tt == 2)
                        assert_true(isnan(ref[1]));
                    cases++;
                }
    assert_int_equal(cases, 54);
    double out[2];
    tsrec__ets_lik_lanes(y, N, 1, 3, 0, 0, NULL, 2, work, out);
    assert_true(isnan(out[0]) && isnan(out[1]));
}

/* Largest root modulus of z^d + c[1] z^(d-1) + ... + c[d] by Durand-Kerner
 * iterations (independent of the code under test). */
static double dk_max_modulus(const double *c, int d)
{
    double complex z[32], zn[32];
    for (int i = 0; i < d; i++)
        z[i] = cpow(0.4 + 0.9 * I, i);
    for (int it = 0; it < 2000; it++) {
        double moved = 0.0;
        for (int i = 0; i < d; i++) {
            double complex p = 1.0;
            for (int k = 1; k <= d; k++)
                p = p * z[i] + c[k];
            double complex den = 1.0;
            for (int j = 0; j < d; j++)
                if (j != i)
                    den *= z[i] - z[j];
            zn[i] = z[i] - p / den;
            moved = fmax(moved, cabs(zn[i] - z[i]));
        }
        memcpy(z, zn, sizeof(double complex) * (size_t)d);
        if (moved < 1e-15)
            break;
    }
    double mx = 0.0;
    for (int i = 0; i < d; i++)
        mx = fmax(mx, cabs(z[i]));
    return mx;
}

static void test_admissible_vs_roots(void **state)
{
    (void)state;
    const int ms[4] = {4, 7, 12, 24};
    int checked = 0, inside = 0, outside = 0;
    for (int trial = 0; trial < 1600; trial++) {
        int m = ms[trial % 4];
        int has_beta = (trial / 4) % 2, damped = (trial / 8) % 2;
        double phi = damped ? 0.8 + 0.2 * unif() : 1.0;
        /* Spread over and beyond the linear constraints so both answers
         * occur; the linear tests are exact, the root test is what varies. */
        double alpha = 1.6 * unif(), gamma = 1.2 * unif();
        double beta = has_beta ? (unif() - 0.2) * alpha : 0.0;
        int got = tsrec__ets_admissible(alpha, beta, gamma, phi, m, has_beta, 1);
        /* Reference: same linear conditions, roots by Durand-Kerner. */
        double d = 1.0 - 1.0 / phi - alpha;
        if (gamma < (d > 0.0 ? d : 0.0) || gamma > 1.0 + 1.0 / phi - alpha ||
            alpha < 1.0 - 1.0 / phi -
                        gamma * (1.0 - m + phi + phi * m) / (2.0 * phi * m) ||
            beta < -(1.0 - phi) * (gamma / m + alpha)) {
            assert_false(got);
            continue;
        }
        double c[32];
        c[0] = 1.0;
        c[1] = alpha + beta - phi;
        for (int i = 0; i < m - 2; i++)
            c[2 + i] = alpha + beta - alpha * phi;
        c[m] = alpha + beta - alpha * phi + gamma - 1.0;
        c[m + 1] = phi * (1.0 - alpha - gamma);
        double mx = dk_max_modulus(c, m + 1);
        if (fabs(mx - (1.0 + 1e-10)) < 1e-7)
            continue; /* either method may round either way here */
        assert_int_equal(got, mx <= 1.0 + 1e-10);
        checked++;
        inside += got;
        outside += !got;
    }
    assert_true(checked > 300);
    assert_true(inside > 50 && outside > 50);
    /* No growth, phi = 1: exact root at 1 (deflated path), small
     * smoothing parameters are admissible. */
    assert_true(tsrec__ets_admissible(1e-4, 0.0, 1e-4, 1.0, 24, 0, 1));
    assert_true(tsrec__ets_admissible(0.3, 0.0, 0.2, 1.0, 12, 0, 1));
    assert_false(tsrec__ets_admissible(1.5, 0.0, 0.6, 1.0, 4, 0, 1));
}

/* A bumpy bowl with an infinite region, evaluated one point at a time for
 * tsrec__nelder_mead and in batches for tsrec__ets_nelder_mead. */
static double bowl(const double *x, int n)
{
    if (x[0] > 3.0)
        return INFINITY;
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        double d = x[i] - 0.5 * (i + 1);
        s += d * d * (1.0 + 0.1 * i) + 0.05 * sin(7.0 * x[i]);
    }
    return s + (x[0] - x[n - 1]) * (x[0] - x[n - 1]);
}

typedef struct bowl_ud {
    int n;
    int64_t calls;
    int fence; /* x[n - 1] > 1.2 is infeasible */
} bowl_ud;

static int bowl_one(void *ud, const double *x, double *f, double *g)
{
    const bowl_ud *b = ud;
    (void)g;
    *f = b->fence && x[b->n - 1] > 1.2 ? INFINITY : bowl(x, b->n);
    return TSREC_OK;
}

/* The fence as a separate admissibility test (bowl_batch ignores it). */
static int bowl_admit(void *ud, const double *x)
{
    const bowl_ud *b = ud;
    return !(x[b->n - 1] > 1.2);
}

static int bowl_batch(void *ud, int k, const double *const *x, double *f)
{
    bowl_ud *b = ud;
    assert_true(k >= 1 && k <= 4);
    for (int i = 0; i < k; i++)
        f[i] = bowl(x[i], b->n);
    b->calls++;
    return TSREC_OK;
}

static void test_nm_same_path(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    for (int n = 1; n <= 9; n += 2)
        for (int64_t maxit = 50; maxit <= 3000; maxit *= 60)
            for (int fence = 0; fence <= 1; fence++) {
            double x0[9], xa[9], xb[9], xc[9];
            for (int i = 0; i < n; i++)
                x0[i] = i % 2 ? 2.5 : -1.0;
            memcpy(xa, x0, sizeof x0);
            memcpy(xb, x0, sizeof x0);
            memcpy(xc, x0, sizeof x0);
            bowl_ud ua = {n, 0, fence}, ub = {n, 0, fence}, uc = {n, 0, fence};
            tsrec__ets_admit_fn adm = fence ? bowl_admit : NULL;
            tsrec__nm_opts o;
            tsrec__nm_opts_init(&o);
            o.maxit = maxit;
            tsrec__optim_result ra, rb, rc;
            assert_int_equal(tsrec__nelder_mead(ctx, NULL, n, xa, bowl_one, &ua, &o, &ra),
                             TSREC_OK);
            assert_int_equal(tsrec__ets_nelder_mead(ctx, NULL, n, xb, bowl_batch, adm,
                                                    &ub, maxit, 1, &rb),
                             TSREC_OK);
            assert_int_equal(tsrec__ets_nelder_mead(ctx, NULL, n, xc, bowl_batch, adm,
                                                    &uc, maxit, 0, &rc),
                             TSREC_OK);
            for (int i = 0; i < n; i++) {
                assert_true(same_bits(xa[i], xb[i]));
                assert_true(same_bits(xa[i], xc[i]));
            }
            assert_true(same_bits(ra.value, rb.value) && same_bits(ra.value, rc.value));
            assert_int_equal(ra.fn_count, rb.fn_count);
            assert_int_equal(ra.fn_count, rc.fn_count);
            assert_int_equal(ra.convergence, rb.convergence);
            assert_int_equal(ra.iterations, rc.iterations);
            /* Batching saves calls: one per iteration instead of two. */
            assert_true(n == 1 || ub.calls < uc.calls);
        }
    /* Infinite start value: refused as tsrec__nelder_mead does. */
    double bad[2] = {4.0, 0.0};
    bowl_ud u = {2, 0, 0};
    tsrec__optim_result r;
    assert_int_equal(tsrec__ets_nelder_mead(ctx, NULL, 2, bad, bowl_batch, NULL, &u, 100, 1, &r),
                     TSREC_E_NAN);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lik_lanes_bitwise),
        cmocka_unit_test(test_admissible_vs_roots),
        cmocka_unit_test(test_nm_same_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
