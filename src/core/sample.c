/* Non-uniform samplers on top of the xoshiro256** stream (rng.c).
 *
 * Every sampler validates its parameters and returns NaN (real-valued) or
 * -1 (integer-valued) when they are out of domain, so a bad parameter shows
 * up in the output instead of looping forever or crashing. The methods are
 * exact (no approximation beyond floating point):
 *   normal       Marsaglia polar method (one of the pair is used, so the
 *                state stays a plain value with no cached spare);
 *   gamma        Marsaglia & Tsang (2000) squeeze/rejection, with the
 *                U^(1/a) boost for shape < 1;
 *   beta         ratio of gammas (in log space when a shape is < 1, so tiny
 *                shapes do not underflow both gammas to 0);
 *   Student-t    normal / sqrt(chi2(nu) / nu);
 *   Poisson      sequential inversion for lambda < 10, Hormann's (1993)
 *                transformed rejection with squeeze (PTRS) above;
 *   neg. binom.  Poisson with a gamma-distributed mean. */
#include <math.h>

#include "rng_internal.h"

/* Below this mean Poisson uses inversion; PTRS is valid from 10 upwards. */
#define POISSON_INVERSION_MAX 10.0
/* Means above this are refused: the int64 result and the double arithmetic
 * in PTRS would lose integer precision long before 2^63. */
#define POISSON_LAMBDA_MAX 4.0e15

/* Uniform in the open interval (0, 1): safe for log() and pow(u, 1/a). */
static double uniform_open(tsrec__rng *r)
{
    return ((double)(tsrec__rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double std_normal(tsrec__rng *r)
{
    for (;;) {
        double u = 2.0 * tsrec__rng_uniform(r) - 1.0;
        double v = 2.0 * tsrec__rng_uniform(r) - 1.0;
        double s = u * u + v * v;
        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * log(s) / s);
    }
}

double tsrec__rng_normal(tsrec__rng *r, double mean, double sd)
{
    if (!isfinite(mean) || !isfinite(sd) || sd < 0.0)
        return NAN;
    return mean + sd * std_normal(r);
}

/* Gamma(shape, 1) for shape >= 1 by Marsaglia & Tsang: squeeze test first,
 * the exact log test only when the squeeze fails (rarely). */
static double gamma_mt(tsrec__rng *r, double shape)
{
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = std_normal(r);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = uniform_open(r);
        double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2)
            return d * v;
        if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v)))
            return d * v;
    }
}

/* log of a Gamma(shape, 1) variate; for shape < 1 it uses
 * Gamma(a) = Gamma(a + 1) * U^(1/a) in log form, which stays finite even
 * when the variate itself would underflow to 0. */
static double log_gamma_variate(tsrec__rng *r, double shape)
{
    if (shape >= 1.0)
        return log(gamma_mt(r, shape));
    return log(gamma_mt(r, shape + 1.0)) + log(uniform_open(r)) / shape;
}

static double std_gamma(tsrec__rng *r, double shape)
{
    if (shape >= 1.0)
        return gamma_mt(r, shape);
    return gamma_mt(r, shape + 1.0) * pow(uniform_open(r), 1.0 / shape);
}

double tsrec__rng_gamma(tsrec__rng *r, double shape, double scale)
{
    if (!isfinite(shape) || !isfinite(scale) || shape <= 0.0 || scale <= 0.0)
        return NAN;
    return scale * std_gamma(r, shape);
}

double tsrec__rng_beta(tsrec__rng *r, double a, double b)
{
    if (!isfinite(a) || !isfinite(b) || a <= 0.0 || b <= 0.0)
        return NAN;
    if (a >= 1.0 && b >= 1.0) {
        double x = gamma_mt(r, a);
        double y = gamma_mt(r, b);
        return x / (x + y);
    }
    /* X / (X + Y) = 1 / (1 + exp(log Y - log X)). */
    double lx = log_gamma_variate(r, a);
    double ly = log_gamma_variate(r, b);
    return 1.0 / (1.0 + exp(ly - lx));
}

double tsrec__rng_student_t(tsrec__rng *r, double nu, double mu, double sigma)
{
    if (!isfinite(nu) || !isfinite(mu) || !isfinite(sigma) || nu <= 0.0 ||
        sigma < 0.0)
        return NAN;
    double z = std_normal(r);
    double chi2 = 2.0 * std_gamma(r, 0.5 * nu); /* chi-square with nu dof */
    if (chi2 <= 0.0)
        chi2 = 0x1.0p-1074; /* underflow for tiny nu: heavy tail, not NaN */
    return mu + sigma * z / sqrt(chi2 / nu);
}

/* log(k!) exactly from a table for small k, from Stirling's series (error
 * below 1e-11 from k = 16) above. Avoids lgamma(), which writes the global
 * signgam in glibc and so is not thread-safe. */
static double log_factorial(int64_t k)
{
    static const double table[16] = {
        0.0,
        0.0,
        0.69314718055994495,
        1.7917594692280554,
        3.1780538303479449,
        4.7874917427820467,
        6.5792512120101021,
        8.5251613610654147,
        10.604602902745249,
        12.801827480081467,
        15.104412573075514,
        17.502307845873887,
        19.987214495661885,
        22.552163853123421,
        25.191221182738683,
        27.89927138384089,
    };
    if (k < 16)
        return table[k];
    const double n = (double)k;
    const double inv = 1.0 / n;
    const double inv2 = inv * inv;
    const double half_log_2pi = 0.91893853320467274178;
    return n * log(n) - n + 0.5 * log(n) + half_log_2pi +
           inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0));
}

/* Inversion by sequential search from 0: E[steps] = lambda + 1. */
static int64_t poisson_inversion(tsrec__rng *r, double lambda)
{
    double u = tsrec__rng_uniform(r);
    double p = exp(-lambda);
    double cdf = p;
    int64_t k = 0;
    /* The cap only matters when rounding keeps cdf just below u; beyond it
     * the remaining mass is far below double precision for lambda < 10. */
    while (u > cdf && k < 1000) {
        k++;
        p *= lambda / (double)k;
        cdf += p;
    }
    return k;
}

/* Hormann's PTRS: transformed rejection with a hat built from a scaled
 * Cauchy-like transform; about 1.1 uniform pairs per variate for all
 * lambda >= 10. */
static int64_t poisson_ptrs(tsrec__rng *r, double lambda)
{
    const double slam = sqrt(lambda);
    const double loglam = log(lambda);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double v_r = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double u = tsrec__rng_uniform(r) - 0.5;
        double v = uniform_open(r);
        double us = 0.5 - fabs(u);
        if (us <= 0.0)
            continue; /* u == -0.5 exactly: outside the transform's domain */
        double kd = floor((2.0 * a / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= v_r)
            return (int64_t)kd;
        if (kd < 0.0 || (us < 0.013 && v > us))
            continue;
        if (kd > 2.0 * POISSON_LAMBDA_MAX)
            continue; /* far tail, probability ~0; keeps the cast defined */
        int64_t k = (int64_t)kd;
        double lhs = log(v * inv_alpha / (a / (us * us) + b));
        double rhs = -lambda + kd * loglam - log_factorial(k);
        if (lhs <= rhs)
            return k;
    }
}

int64_t tsrec__rng_poisson(tsrec__rng *r, double lambda)
{
    if (!(lambda >= 0.0) || lambda > POISSON_LAMBDA_MAX)
        return -1; /* also catches NaN */
    if (lambda == 0.0)
        return 0;
    if (lambda < POISSON_INVERSION_MAX)
        return poisson_inversion(r, lambda);
    return poisson_ptrs(r, lambda);
}

int64_t tsrec__rng_negbin(tsrec__rng *r, double mu, double alpha)
{
    if (!isfinite(mu) || !isfinite(alpha) || mu < 0.0 || alpha < 0.0)
        return -1;
    if (mu == 0.0)
        return 0;
    if (alpha == 0.0)
        return tsrec__rng_poisson(r, mu);
    /* Gamma(shape 1/alpha, scale alpha*mu) has mean mu and variance
     * alpha*mu^2; mixing a Poisson over it adds mu. */
    double shape = 1.0 / alpha;
    if (!isfinite(shape))
        return tsrec__rng_poisson(r, mu); /* alpha subnormal: Poisson limit */
    double lambda = alpha * mu * std_gamma(r, shape);
    if (lambda > POISSON_LAMBDA_MAX)
        lambda = POISSON_LAMBDA_MAX; /* astronomically rare heavy tail */
    return tsrec__rng_poisson(r, lambda);
}
