/* Special functions behind the likelihoods: digamma, the normal CDF and its
 * inverse, the regularised incomplete beta, and softplus.
 *
 * lgamma comes from libm; everything else here is written out because C11
 * has no digamma, no inverse normal and no incomplete beta. */
#include <float.h>
#include <math.h>

#include "distributions_internal.h"

#define SQRT_2PI 2.50662827463100050242
#define SQRT_HALF 0.70710678118654752440
#define PI 3.14159265358979323846

double tsrec__digamma(double x)
{
    if (isnan(x) || x == -INFINITY)
        return NAN;
    if (x == INFINITY)
        return INFINITY;
    double acc = 0.0;
    if (x <= 0.0) {
        if (x == floor(x))
            return NAN; /* poles at 0, -1, -2, ... */
        /* Reflection: psi(1 - x) - psi(x) = pi / tan(pi x). */
        return tsrec__digamma(1.0 - x) - PI / tan(PI * x);
    }
    /* Recurrence psi(x) = psi(x + 1) - 1/x until the asymptotic series is
     * accurate to double precision (from x >= 10 the first omitted term,
     * B_14 / (14 x^14), is below 1e-15). */
    while (x < 10.0) {
        acc -= 1.0 / x;
        x += 1.0;
    }
    double inv = 1.0 / x;
    double inv2 = inv * inv;
    /* ln x - 1/(2x) - sum B_2k / (2k x^2k), Bernoulli numbers B_2..B_12. */
    double series = inv2 * (1.0 / 12.0 -
                    inv2 * (1.0 / 120.0 -
                    inv2 * (1.0 / 252.0 -
                    inv2 * (1.0 / 240.0 -
                    inv2 * (1.0 / 132.0 -
                    inv2 * (691.0 / 32760.0))))));
    return acc + log(x) - 0.5 * inv - series;
}

double tsrec__norm_cdf(double z)
{
    if (isnan(z))
        return NAN;
    /* erfc keeps full relative precision in the lower tail. */
    return 0.5 * erfc(-z * SQRT_HALF);
}

/* Acklam's rational approximation of the standard normal quantile for the
 * lower half p in (0, 0.5]; relative error below 1.2e-9 before refinement. */
static double ppf_lower_acklam(double p)
{
    static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                -2.759285104469687e+02, 1.383577518672690e+02,
                                -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                -1.556989798598866e+02, 6.680131188771972e+01,
                                -1.328068155288572e+01};
    static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                -2.400758277161838e+00, -2.549732539343734e+00,
                                4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01,
                                2.445134137142996e+00, 3.754408661907416e+00};
    const double p_low = 0.02425;
    if (p < p_low) {
        double q = sqrt(-2.0 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

double tsrec__norm_ppf(double p)
{
    if (isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.0)
        return -INFINITY;
    if (p == 1.0)
        return INFINITY;
    /* Work in the lower tail, where p carries full relative precision
     * (1 - p is exact for p >= 0.5), and mirror. */
    int upper = p > 0.5;
    double pl = upper ? 1.0 - p : p;
    double x = ppf_lower_acklam(pl);
    /* One Halley step on F(x) - p = 0 with F from erfc: squares the error
     * of the rational approximation, down to rounding. */
    double e = 0.5 * erfc(-x * SQRT_HALF) - pl;
    double u = e * SQRT_2PI * exp(0.5 * x * x);
    x = x - u / (1.0 + 0.5 * x * u);
    return upper ? -x : x;
}

/* Continued fraction for I_x(a, b) (Lentz's method), valid and quickly
 * convergent for x < (a + 1) / (a + b + 2). */
static double incbeta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    const double eps = 1e-16;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    /* The number of terms needed grows like sqrt(max(a, b)). */
    double big = a > b ? a : b;
    int max_iter = 200 + (int)(20.0 * sqrt(big > 1e12 ? 1e12 : big));
    for (int m = 1; m <= max_iter; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) < eps)
            break;
    }
    return h;
}

double tsrec__incbeta(double a, double b, double x, double xc)
{
    if (!(a > 0.0) || !(b > 0.0) || isnan(x) || isnan(xc) || x < 0.0 ||
        x > 1.0 || xc < 0.0 || xc > 1.0 || isinf(a) || isinf(b))
        return NAN;
    if (x == 0.0)
        return 0.0;
    if (xc == 0.0)
        return 1.0;
    /* log of x^a (1-x)^b / B(a, b) */
    double log_front = a * log(x) + b * log(xc) + lgamma(a + b) - lgamma(a) -
                       lgamma(b);
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(log_front) * incbeta_cf(a, b, x) / a;
    /* Symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction for the
     * swapped arguments converges. */
    return 1.0 - exp(log_front) * incbeta_cf(b, a, xc) / b;
}

double tsrec__softplus(double x)
{
    /* log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow either way. */
    return (x > 0.0 ? x : 0.0) + log1p(exp(-fabs(x)));
}

double tsrec__softplus_inv(double y)
{
    if (!(y > 0.0))
        return NAN;
    /* x = log(e^y - 1) = y + log(1 - e^-y) = y + log(-expm1(-y)). */
    return y + log(-expm1(-y));
}

double tsrec__sigmoid(double x)
{
    if (x >= 0.0)
        return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}
