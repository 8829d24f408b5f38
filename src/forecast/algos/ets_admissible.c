/* Parameter spaces of R forecast::ets: the "usual" box (with beta <= alpha
 * and gamma <= 1 - alpha) and the "admissible" region of Hyndman, Akram and
 * Archibald (2008), whose seasonal part needs the roots of a degree m + 1
 * polynomial. R finds them with cpolyroot; here they are the eigenvalues
 * of the companion matrix (LAPACK dhseqr, the matrix is already upper
 * Hessenberg). Only the largest modulus against 1 + 1e-10 matters. */
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
    return max_root_modulus(c, deg) <= 1.0 + 1e-10;
}

int tsrec__ets_params_ok(double alpha, double beta, double gamma, double phi, int32_t m,
                         int opt_beta, int opt_gamma, int opt_phi)
{
    if (alpha < ETS_LOWER[0] || alpha > ETS_UPPER[0])
        return 0;
    if (opt_beta && (beta < ETS_LOWER[1] || beta > alpha || beta > ETS_UPPER[1]))
        return 0;
    if (opt_phi && (phi < ETS_LOWER[3] || phi > ETS_UPPER[3]))
        return 0;
    if (opt_gamma && (gamma < ETS_LOWER[2] || gamma > 1.0 - alpha || gamma > ETS_UPPER[2]))
        return 0;
    return tsrec__ets_admissible(alpha, beta, gamma, phi, m, opt_beta, opt_gamma);
}
