/* Gaussian, Student-t and negative binomial likelihoods: log densities,
 * their parameter gradients, CDFs and quantiles, scalar and vectorised.
 * Special functions live in distributions_special.c. */
#include <float.h>
#include <math.h>

#include "distributions_internal.h"

#define LOG_SQRT_2PI 0.91893853320467274178 /* 0.5 * log(2 pi) */
#define LOG_PI 1.14472988584940017414

int tsrec__dist_n_params(int32_t family)
{
    switch (family) {
    case TSREC__DIST_GAUSSIAN: return 2;
    case TSREC__DIST_STUDENT_T: return 3;
    case TSREC__DIST_NEGBIN: return 2;
    default: return 0;
    }
}

/* ---- Gaussian ---------------------------------------------------------- */

static int gauss_ok(double mu, double sigma)
{
    return isfinite(mu) && isfinite(sigma) && sigma > 0.0;
}

double tsrec__gauss_logpdf(double x, double mu, double sigma)
{
    if (!gauss_ok(mu, sigma) || isnan(x))
        return NAN;
    double z = (x - mu) / sigma;
    return -0.5 * z * z - log(sigma) - LOG_SQRT_2PI;
}

void tsrec__gauss_grad(double x, double mu, double sigma, double *d_mu,
                       double *d_sigma)
{
    int ok = gauss_ok(mu, sigma) && isfinite(x);
    double z = (x - mu) / sigma;
    if (d_mu)
        *d_mu = ok ? z / sigma : NAN;
    if (d_sigma)
        *d_sigma = ok ? (z * z - 1.0) / sigma : NAN;
}

double tsrec__gauss_cdf(double x, double mu, double sigma)
{
    if (!gauss_ok(mu, sigma) || isnan(x))
        return NAN;
    return tsrec__norm_cdf((x - mu) / sigma);
}

double tsrec__gauss_quantile(double p, double mu, double sigma)
{
    if (!gauss_ok(mu, sigma))
        return NAN;
    return mu + sigma * tsrec__norm_ppf(p);
}

/* ---- Student-t --------------------------------------------------------- */

static int student_ok(double mu, double sigma, double nu)
{
    return isfinite(mu) && isfinite(sigma) && sigma > 0.0 && nu > 0.0 &&
           !isnan(nu);
}

/* log of the normalising constant of the standard t density. */
static double student_log_norm(double nu)
{
    return lgamma(0.5 * (nu + 1.0)) - lgamma(0.5 * nu) - 0.5 * (log(nu) + LOG_PI);
}

double tsrec__student_logpdf(double x, double mu, double sigma, double nu)
{
    if (!student_ok(mu, sigma, nu) || isnan(x))
        return NAN;
    if (isinf(nu))
        return tsrec__gauss_logpdf(x, mu, sigma);
    double z = (x - mu) / sigma;
    return student_log_norm(nu) - log(sigma) -
           0.5 * (nu + 1.0) * log1p(z * z / nu);
}

void tsrec__student_grad(double x, double mu, double sigma, double nu,
                         double *d_mu, double *d_sigma, double *d_nu)
{
    double gm = NAN, gs = NAN, gn = NAN;
    if (student_ok(mu, sigma, nu) && isfinite(x) && isfinite(nu)) {
        double z = (x - mu) / sigma;
        double z2 = z * z;
        double q = 1.0 + z2 / nu; /* log p = ... - (nu+1)/2 log q */
        /* w = (nu+1) / (nu q): the weight a t residual gets relative to a
         * Gaussian one, which is what makes the t robust to outliers. */
        double w = (nu + 1.0) / (nu * q);
        gm = w * z / sigma;
        gs = (w * z2 - 1.0) / sigma;
        gn = 0.5 * (tsrec__digamma(0.5 * (nu + 1.0)) - tsrec__digamma(0.5 * nu)) -
             0.5 / nu - 0.5 * log1p(z2 / nu) + 0.5 * w * z2 / nu;
    }
    if (d_mu)
        *d_mu = gm;
    if (d_sigma)
        *d_sigma = gs;
    if (d_nu)
        *d_nu = gn;
}

/* P(T > t) for t >= 0, T standard t with nu degrees of freedom, computed
 * from the incomplete beta without subtracting from 1 (tail precision). */
static double student_upper_tail(double t, double nu)
{
    if (isinf(t))
        return 0.0;
    double t2 = t * t;
    double xb = nu / (nu + t2);
    double xc = t2 / (nu + t2);
    return 0.5 * tsrec__incbeta(0.5 * nu, 0.5, xb, xc);
}

double tsrec__student_cdf(double x, double mu, double sigma, double nu)
{
    if (!student_ok(mu, sigma, nu) || isnan(x))
        return NAN;
    if (isinf(nu))
        return tsrec__gauss_cdf(x, mu, sigma);
    double z = (x - mu) / sigma;
    double tail = student_upper_tail(fabs(z), nu);
    return z > 0.0 ? 1.0 - tail : tail;
}

/* t >= 0 with P(T > t) = q for q in (0, 0.5]. */
static double student_upper_quantile(double q, double nu)
{
    if (q >= 0.5)
        return 0.0;
    if (nu == 1.0) /* Cauchy */
        return 1.0 / tan(3.14159265358979323846 * q);
    if (nu == 2.0)
        return (1.0 - 2.0 * q) / sqrt(2.0 * q * (1.0 - q));
    /* Bracket [lo, hi] with tail(lo) > q >= tail(hi), then Newton steps that
     * stay inside it, bisection otherwise. The tail is decreasing and convex
     * for t >= 0, so Newton from the left end converges monotonically. */
    double lo = 0.0;
    double hi = fabs(tsrec__norm_ppf(q)) + 1.0;
    while (student_upper_tail(hi, nu) > q) {
        lo = hi;
        hi *= 2.0;
        if (hi > 1e300)
            return INFINITY;
    }
    double log_c = student_log_norm(nu);
    double t = lo;
    for (int it = 0; it < 200; it++) {
        double f = student_upper_tail(t, nu) - q;
        if (f == 0.0)
            return t;
        if (f > 0.0)
            lo = t;
        else
            hi = t;
        double pdf = exp(log_c - 0.5 * (nu + 1.0) * log1p(t * t / nu));
        double next = pdf > 0.0 ? t + f / pdf : 0.5 * (lo + hi);
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        if (fabs(next - t) <= 1e-15 * (fabs(next) + 1e-300) || hi - lo <= 1e-15 * hi)
            return next;
        t = next;
    }
    return t;
}

double tsrec__student_quantile(double p, double mu, double sigma, double nu)
{
    if (!student_ok(mu, sigma, nu) || isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (isinf(nu))
        return tsrec__gauss_quantile(p, mu, sigma);
    if (p == 0.0)
        return -INFINITY;
    if (p == 1.0)
        return INFINITY;
    double t = p > 0.5 ? student_upper_quantile(1.0 - p, nu)
                       : -student_upper_quantile(p, nu);
    return mu + sigma * t;
}

/* ---- negative binomial --------------------------------------------------- */

static int negbin_ok(double mu, double alpha)
{
    return isfinite(mu) && isfinite(alpha) && mu > 0.0 && alpha > 0.0;
}

/* y >= 0 may be real-valued: lgamma(y + 1) extends the pmf continuously,
 * as GluonTS/DeepAR do for scaled targets. */
double tsrec__negbin_logpmf(double y, double mu, double alpha)
{
    if (!negbin_ok(mu, alpha) || isnan(y))
        return NAN;
    if (y < 0.0 || isinf(y))
        return -INFINITY;
    double r = 1.0 / alpha;
    double am = alpha * mu;
    return lgamma(y + r) - lgamma(y + 1.0) - lgamma(r) + y * log(am) -
           (y + r) * log1p(am);
}

void tsrec__negbin_grad(double y, double mu, double alpha, double *d_mu,
                        double *d_alpha)
{
    double gm = NAN, ga = NAN;
    if (negbin_ok(mu, alpha) && isfinite(y) && y >= 0.0) {
        double r = 1.0 / alpha;
        double am = alpha * mu;
        gm = (y - mu) / (mu * (1.0 + am));
        /* d/d alpha through r = 1/alpha (dr/dalpha = -r^2) and directly. */
        ga = -r * r * (tsrec__digamma(y + r) - tsrec__digamma(r)) + y / alpha +
             r * r * log1p(am) - (y + r) * mu / (1.0 + am);
    }
    if (d_mu)
        *d_mu = gm;
    if (d_alpha)
        *d_alpha = ga;
}

/* P(Y <= k) for an integer k >= 0 via I_p(r, k + 1), p = r / (r + mu). */
static double negbin_cdf_int(double k, double mu, double alpha)
{
    double r = 1.0 / alpha;
    double p = r / (r + mu);
    double pc = mu / (r + mu);
    return tsrec__incbeta(r, k + 1.0, p, pc);
}

double tsrec__negbin_cdf(double y, double mu, double alpha)
{
    if (!negbin_ok(mu, alpha) || isnan(y))
        return NAN;
    if (y < 0.0)
        return 0.0;
    if (isinf(y))
        return 1.0;
    return negbin_cdf_int(floor(y), mu, alpha);
}

double tsrec__negbin_quantile(double p, double mu, double alpha)
{
    if (!negbin_ok(mu, alpha) || isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 1.0)
        return INFINITY;
    /* Smallest k with cdf(k) >= p: grow hi from a normal guess until it
     * qualifies, then bisect over the integers in (lo, hi]. lo = -1 stands
     * for cdf = 0. O(log k) CDF evaluations, no pmf summation that could
     * underflow at p^r for large means. */
    double sd = sqrt(mu + alpha * mu * mu);
    double guess = floor(mu + sd * tsrec__norm_ppf(p));
    double hi = guess > 0.0 ? guess : 0.0;
    double lo = -1.0;
    while (negbin_cdf_int(hi, mu, alpha) < p) {
        lo = hi;
        hi = 2.0 * hi + 1.0;
        if (hi > 9007199254740992.0) /* 2^53: no longer exact integers */
            return INFINITY;
    }
    while (hi - lo > 1.0) {
        double mid = floor(0.5 * (lo + hi));
        if (negbin_cdf_int(mid, mu, alpha) >= p)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* ---- vectorised ---------------------------------------------------------- */

/* Validate the parameters of element i; returns a status. */
static int check_params(tsrec__handle *eh, int32_t family, int64_t i, double a,
                        double b, double c)
{
    int np = tsrec__dist_n_params(family);
    if (!isfinite(a) || !isfinite(b) || (np == 3 && isnan(c)))
        return tsrec__fail(eh, TSREC_E_NAN,
                           "distribution: non-finite parameter at element %lld",
                           (long long)i);
    switch (family) {
    case TSREC__DIST_GAUSSIAN:
        if (b > 0.0)
            return TSREC_OK;
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "gaussian: sigma must be > 0 (element %lld)",
                           (long long)i);
    case TSREC__DIST_STUDENT_T:
        if (b > 0.0 && c > 0.0)
            return TSREC_OK;
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "student-t: sigma and nu must be > 0 (element %lld)",
                           (long long)i);
    default:
        if (a > 0.0 && b > 0.0)
            return TSREC_OK;
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "negbin: mu and alpha must be > 0 (element %lld)",
                           (long long)i);
    }
}

/* Shared argument checks of the vectorised entry points. */
static int check_call(tsrec__handle *eh, const char *fn, int32_t family,
                      int64_t n, const void *in, const double *p0,
                      const double *p1, const double *p2)
{
    int np = tsrec__dist_n_params(family);
    if (np == 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: unknown family %d", fn,
                           (int)family);
    if (n < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: n < 0", fn);
    if (n > 0 && (!in || !p0 || !p1 || (np == 3 && !p2)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL input array", fn);
    return TSREC_OK;
}

int tsrec__dist_loglik(tsrec__handle *eh, int32_t family, int64_t n,
                       const double *y, const double *p0, const double *p1,
                       const double *p2, double *out_ll, double *out_sum,
                       double *g0, double *g1, double *g2)
{
    int st = check_call(eh, "dist_loglik", family, n, y, p0, p1, p2);
    if (st != TSREC_OK)
        return st;
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double c = family == TSREC__DIST_STUDENT_T ? p2[i] : 0.0;
        st = check_params(eh, family, i, p0[i], p1[i], c);
        if (st != TSREC_OK)
            return st;
        if (!isfinite(y[i]))
            return tsrec__fail(eh, TSREC_E_NAN,
                               "dist_loglik: non-finite observation at %lld",
                               (long long)i);
        double ll, d0, d1, d2 = 0.0;
        switch (family) {
        case TSREC__DIST_GAUSSIAN:
            ll = tsrec__gauss_logpdf(y[i], p0[i], p1[i]);
            tsrec__gauss_grad(y[i], p0[i], p1[i], &d0, &d1);
            break;
        case TSREC__DIST_STUDENT_T:
            ll = tsrec__student_logpdf(y[i], p0[i], p1[i], c);
            tsrec__student_grad(y[i], p0[i], p1[i], c, &d0, &d1, &d2);
            break;
        default:
            if (y[i] < 0.0)
                return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                   "negbin: observation %lld is negative",
                                   (long long)i);
            ll = tsrec__negbin_logpmf(y[i], p0[i], p1[i]);
            tsrec__negbin_grad(y[i], p0[i], p1[i], &d0, &d1);
            break;
        }
        sum += ll;
        if (out_ll)
            out_ll[i] = ll;
        if (g0)
            g0[i] = d0;
        if (g1)
            g1[i] = d1;
        if (g2)
            g2[i] = d2;
    }
    if (out_sum)
        *out_sum = sum;
    return TSREC_OK;
}

void tsrec__softplus_chain(int64_t n, const double *raw, double *grad)
{
    for (int64_t i = 0; i < n; i++)
        grad[i] *= tsrec__sigmoid(raw[i]);
}

int tsrec__dist_quantile(tsrec__handle *eh, int32_t family, int64_t n,
                         const double *prob, const double *p0,
                         const double *p1, const double *p2, double *out)
{
    int st = check_call(eh, "dist_quantile", family, n, prob, p0, p1, p2);
    if (st != TSREC_OK)
        return st;
    if (n > 0 && !out)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dist_quantile: NULL out");
    for (int64_t i = 0; i < n; i++) {
        double c = family == TSREC__DIST_STUDENT_T ? p2[i] : 0.0;
        st = check_params(eh, family, i, p0[i], p1[i], c);
        if (st != TSREC_OK)
            return st;
        if (!(prob[i] >= 0.0 && prob[i] <= 1.0))
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                               "dist_quantile: probability %lld not in [0, 1]",
                               (long long)i);
        switch (family) {
        case TSREC__DIST_GAUSSIAN:
            out[i] = tsrec__gauss_quantile(prob[i], p0[i], p1[i]);
            break;
        case TSREC__DIST_STUDENT_T:
            out[i] = tsrec__student_quantile(prob[i], p0[i], p1[i], c);
            break;
        default:
            out[i] = tsrec__negbin_quantile(prob[i], p0[i], p1[i]);
            break;
        }
    }
    return TSREC_OK;
}

int tsrec__dist_cdf(tsrec__handle *eh, int32_t family, int64_t n,
                    const double *x, const double *p0, const double *p1,
                    const double *p2, double *out)
{
    int st = check_call(eh, "dist_cdf", family, n, x, p0, p1, p2);
    if (st != TSREC_OK)
        return st;
    if (n > 0 && !out)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dist_cdf: NULL out");
    for (int64_t i = 0; i < n; i++) {
        double c = family == TSREC__DIST_STUDENT_T ? p2[i] : 0.0;
        st = check_params(eh, family, i, p0[i], p1[i], c);
        if (st != TSREC_OK)
            return st;
        if (isnan(x[i]))
            return tsrec__fail(eh, TSREC_E_NAN, "dist_cdf: NaN at %lld",
                               (long long)i);
        switch (family) {
        case TSREC__DIST_GAUSSIAN:
            out[i] = tsrec__gauss_cdf(x[i], p0[i], p1[i]);
            break;
        case TSREC__DIST_STUDENT_T:
            out[i] = tsrec__student_cdf(x[i], p0[i], p1[i], c);
            break;
        default:
            out[i] = tsrec__negbin_cdf(x[i], p0[i], p1[i]);
            break;
        }
    }
    return TSREC_OK;
}
