/* Parameter spaces of R forecast::ets: the "usual" box (with beta <= alpha
 * and gamma <= 1 - alpha) and the "admissible" region of Hyndman, Akram and
 * Archibald (2008), whose seasonal part needs the roots of a degree m + 1
 * polynomial: admissible when the largest root modulus is <= 1 + 1e-10.
 * R finds the roots with cpolyroot; the reference decision here is the
 * eigenvalues of the companion matrix (LAPACK dhseqr), which costs ~100 us
 * for m = 24 and ran on every optimiser step. A Schur-Cohn stability test
 * (O(m^2), long double) on the polynomial scaled just inside and just
 * outside the threshold radius decides almost every case; only when the
 * largest root lies within a relative ROOT_BAND of the threshold, or the
 * recursion meets a reflection coefficient too close to 1 to trust, does
 * the eigenvalue solver decide, so decisions are the solver's (compared on
 * all 880000 tests of the 20 monthly and 52 hourly bench series: no
 * difference, 0.04% left to the solver). */
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "ets_internal.h"

/* R's default lower / upper for alpha, beta, gamma, phi. */
static const double ETS_LOWER[4] = {1e-4, 1e-4, 1e-4, 0.8};
static const double ETS_UPPER[4] = {0.9999, 0.9999, 0.9999, 0.98};

/* Largest root modulus of z^d + c[1] z^(d-1) + ... + c[d] (c[0] = 1);
 * d <= 25. Returns +inf if LAPACK fails (treated as not admissible). */
static double max_root_modulus(const double *c, int d)
{
    double a[(TSREC__ETS_MAX_M + 1) * (TSREC__ETS_MAX_M + 1)];
    double wr[TSREC__ETS_MAX_M + 1], wi[TSREC__ETS_MAX_M + 1];
    double work[TSREC__ETS_MAX_M + 1];
    double z = 0.0;
    memset(a, 0, sizeof(double) * (size_t)(d * d));
    /* Column-major companion matrix: first row -c[1..d], ones below. */
    for (int j = 0; j < d; j++)
        a[j * d] = -c[j + 1];
    for (int i = 1; i < d; i++)
        a[(i - 1) * d + i] = 1.0;
    lapack_int info = LAPACKE_dhseqr_work(LAPACK_COL_MAJOR, 'E', 'N', d, 1, d, a, d,
                                          wr, wi, &z, 1, work, d);
    if (info != 0)
        return INFINITY;
    double mx = 0.0;
    for (int i = 0; i < d; i++) {
        double v = sqrt(wr[i] * wr[i] + wi[i] * wi[i]);
        if (v > mx)
            mx = v;
    }
    return mx;
}

/* Relative half-width of the band around the threshold radius in which the
 * eigenvalue solver decides. Far wider than the solver's error on these
 * polynomials (a double root moves by ~sqrt(eps) = 1.5e-8), far narrower
 * than the distances seen in practice. */
#define ROOT_BAND 1e-9
#define ROOT_LIMIT (1.0 + 1e-10)

/* Schur-Cohn test: are all roots of z^d + c[1] z^(d-1) + ... + c[d] of
 * modulus < r? Equivalent to the stability of q(z) = p(r z); each step
 * divides out the reflection coefficient k = q(0) / lead and lowers the
 * degree (q stable iff |k| < 1 and the reduced polynomial is stable).
 * Returns 1 (all inside), 0 (some root of modulus >= r) or -1 when a
 * coefficient |k| is within 1e-9 of 1, where rounding could decide. */
static int roots_inside(const double *c, int d, long double r)
{
    long double buf[2][TSREC__ETS_MAX_M + 2]; /* [k]: coefficient of z^k */
    long double *b = buf[0], *nb = buf[1];
    long double rk = 1.0L;
    for (int k = 0; k <= d; k++) {
        b[k] = (long double)c[d - k] * rk;
        rk *= r;
    }
    for (int deg = d; deg >= 1; deg--) {
        const long double k = b[0] / b[deg];
        const long double ak = fabsl(k);
        if (ak > 1.0L - 1e-9L && ak < 1.0L + 1e-9L)
            return -1;
        if (ak >= 1.0L)
            return 0;
        /* q_new(z) = (q(z) - k z^deg q(1/z)) / z, scaled by 1 / lead. */
        const long double inv = 1.0L / b[deg];
        for (int j = 0; j < deg; j++)
            nb[j] = (b[j + 1] - k * b[deg - 1 - j]) * inv;
        long double *tmp = b;
        b = nb;
        nb = tmp;
    }
    return 1;
}

/* Largest root modulus <= ROOT_LIMIT, decided as the eigenvalue solver
 * would (see the file comment). */
static int max_root_ok(const double *c, int d)
{
    if (roots_inside(c, d, (long double)ROOT_LIMIT * (1.0L - ROOT_BAND)) == 1)
        return 1;
    if (roots_inside(c, d, (long double)ROOT_LIMIT * (1.0L + ROOT_BAND)) == 0)
        return 0;
    return max_root_modulus(c, d) <= ROOT_LIMIT;
}

/* Without growth (beta = 0, phi = 1) the polynomial has the exact root
 * z = 1, which the eigenvalue solver returns as 1 + O(1e-14), always under
 * the limit, while the Schur-Cohn test could only ever answer "ambiguous"
 * at that radius. So test the quotient p(z) / (z - 1) instead (synthetic
 * division), unless the quotient has a root near 1 too (|q(1)| small: the
 * solver's error on the pair could then reach the limit) -- there the
 * solver decides on the full polynomial. */
static int max_root_ok_deflated(const double *c, int d)
{
    double q[TSREC__ETS_MAX_M + 2];
    q[0] = 1.0;
    double q1 = 1.0; /* q(1) */
    for (int i = 1; i < d; i++) {
        q[i] = c[i] + q[i - 1];
        q1 += q[i];
    }
    if (fabs(q1) >= 2e-3) {
        int in = roots_inside(q, d - 1, (long double)ROOT_LIMIT * (1.0L - ROOT_BAND));
        if (in == 1)
            return 1;
        if (roots_inside(q, d - 1, (long double)ROOT_LIMIT * (1.0L + ROOT_BAND)) == 0)
            return 0;
    }
    return max_root_modulus(c, d) <= ROOT_LIMIT;
}

int tsrec__ets_admissible(double alpha, double beta, double gamma, double phi, int32_t m,
                          int has_beta, int has_gamma)
{
    if (phi < 0.0 || phi > 1.0 + 1e-8)
        return 0;
    if (!has_gamma) {
        if (alpha < 1.0 - 1.0 / phi || alpha > 1.0 + 1.0 / phi)
            return 0;
        if (has_beta && (beta < alpha * (phi - 1.0) || beta > (1.0 + phi) * (2.0 - alpha)))
            return 0;
        return 1;
    }
    if (m <= 1)
        return 1;
    if (m > TSREC__ETS_MAX_M)
        return 0;
    if (!has_beta)
        beta = 0.0;
    double d = 1.0 - 1.0 / phi - alpha;
    if (gamma < (d > 0.0 ? d : 0.0) || gamma > 1.0 + 1.0 / phi - alpha)
        return 0;
    double dm = (double)m;
    if (alpha < 1.0 - 1.0 / phi - gamma * (1.0 - dm + phi + phi * dm) / (2.0 * phi * dm))
        return 0;
    if (beta < -(1.0 - phi) * (gamma / dm + alpha))
        return 0;
    /* Characteristic polynomial, highest power first. */
    double c[TSREC__ETS_MAX_M + 2];
    int deg = m + 1;
    c[0] = 1.0;
    c[1] = alpha + beta - phi;
    for (int i = 0; i < m - 2; i++)
        c[2 + i] = alpha + beta - alpha * phi;
    c[m] = alpha + beta - alpha * phi + gamma - 1.0;
    c[m + 1] = phi * (1.0 - alpha - gamma);
    if (beta == 0.0 && phi == 1.0)
        return max_root_ok_deflated(c, deg);
    return max_root_ok(c, deg);
}

int tsrec__ets_params_box(double alpha, double beta, double gamma, double phi, int opt_beta,
                          int opt_gamma, int opt_phi)
{
    if (alpha < ETS_LOWER[0] || alpha > ETS_UPPER[0])
        return 0;
    if (opt_beta && (beta < ETS_LOWER[1] || beta > alpha || beta > ETS_UPPER[1]))
        return 0;
    if (opt_phi && (phi < ETS_LOWER[3] || phi > ETS_UPPER[3]))
        return 0;
    if (opt_gamma && (gamma < ETS_LOWER[2] || gamma > 1.0 - alpha || gamma > ETS_UPPER[2]))
        return 0;
    return 1;
}

int tsrec__ets_params_ok(double alpha, double beta, double gamma, double phi, int32_t m,
                         int opt_beta, int opt_gamma, int opt_phi)
{
    return tsrec__ets_params_box(alpha, beta, gamma, phi, opt_beta, opt_gamma, opt_phi) &&
           tsrec__ets_admissible(alpha, beta, gamma, phi, m, opt_beta, opt_gamma);
}
