/* Likelihoods for probabilistic forecasting (src/tensor/distributions.c,
 * distributions_special.c, distributions_sample.c).
 *
 * Three families, in double precision, as the output layers of DeepAR-style
 * models use them:
 *   Gaussian      N(mu, sigma), sigma > 0;
 *   Student-t     location mu, scale sigma > 0, degrees of freedom nu > 0;
 *   neg. binomial mean mu > 0 and dispersion alpha > 0 with variance
 *                 mu + alpha*mu^2 (DeepAR / NB2 parameterisation), i.e.
 *                 r = 1/alpha trials and success probability r/(r+mu).
 *
 * Scalar functions never fail: out-of-domain parameters give NaN. The
 * vectorised entry points validate their inputs and return a status. */
#ifndef TSREC_DISTRIBUTIONS_INTERNAL_H
#define TSREC_DISTRIBUTIONS_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"
#include "rng_internal.h"

/* Family codes for the vectorised functions (passed as int32_t). */
enum {
    TSREC__DIST_GAUSSIAN = 0,
    TSREC__DIST_STUDENT_T = 1,
    TSREC__DIST_NEGBIN = 2
};

/* Number of parameters of a family (2 or 3), 0 for an unknown code. */
int tsrec__dist_n_params(int32_t family);

/* ---- special functions ------------------------------------------------ */

/* Digamma psi(x) = d/dx lgamma(x). NaN at 0 and the negative integers. */
double tsrec__digamma(double x);
/* Standard normal CDF and its inverse (Acklam's rational approximation
 * refined by one Halley step on erfc: relative error near 1e-15).
 * tsrec__norm_ppf(0) = -inf, (1) = +inf, outside [0, 1] NaN. */
double tsrec__norm_cdf(double z);
double tsrec__norm_ppf(double p);
/* Regularised incomplete beta I_x(a, b) for a, b > 0, 0 <= x <= 1. `xc` must
 * be 1 - x, passed separately so callers that know it exactly (Student-t
 * tails) keep full precision. NaN for invalid arguments. */
double tsrec__incbeta(double a, double b, double x, double xc);

/* softplus(x) = log(1 + e^x) without overflow, its inverse (for y > 0) and
 * its derivative, the logistic sigmoid. Used for positive parameters
 * (sigma, alpha, nu) produced by an unconstrained network output. */
double tsrec__softplus(double x);
double tsrec__softplus_inv(double y);
double tsrec__sigmoid(double x);

/* ---- Gaussian ---------------------------------------------------------- */

double tsrec__gauss_logpdf(double x, double mu, double sigma);
/* d log p / d mu and d log p / d sigma; either output may be NULL. */
void tsrec__gauss_grad(double x, double mu, double sigma, double *d_mu,
                       double *d_sigma);
double tsrec__gauss_cdf(double x, double mu, double sigma);
double tsrec__gauss_quantile(double p, double mu, double sigma);

/* ---- Student-t --------------------------------------------------------- */

double tsrec__student_logpdf(double x, double mu, double sigma, double nu);
void tsrec__student_grad(double x, double mu, double sigma, double nu,
                         double *d_mu, double *d_sigma, double *d_nu);
double tsrec__student_cdf(double x, double mu, double sigma, double nu);
/* Closed form for nu = 1 and 2, otherwise Newton on the CDF inside a
 * bracket (bisection fallback), to about 1e-13 relative. */
double tsrec__student_quantile(double p, double mu, double sigma, double nu);

/* ---- negative binomial (mean mu, dispersion alpha) --------------------- */

/* y must be a non-negative integer value (NaN/-inf otherwise: -inf for a
 * non-integer or negative y, as its probability is 0). */
double tsrec__negbin_logpmf(double y, double mu, double alpha);
void tsrec__negbin_grad(double y, double mu, double alpha, double *d_mu,
                        double *d_alpha);
/* P(Y <= y) for real y (floor is taken). */
double tsrec__negbin_cdf(double y, double mu, double alpha);
/* Smallest integer k with P(Y <= k) >= p (p in [0, 1); p = 1 gives +inf). */
double tsrec__negbin_quantile(double p, double mu, double alpha);

/* ---- vectorised --------------------------------------------------------- */

/* Log-likelihood of n observations y[i] under parameters p0[i], p1[i] (and
 * p2[i] for the Student-t's nu; pass NULL otherwise):
 *   Gaussian (mu, sigma), Student-t (mu, sigma, nu), negbin (mu, alpha).
 * Any output may be NULL: out_ll gets per-element log-likelihoods, out_sum
 * their sum, g0/g1/g2 the per-element gradients w.r.t. p0/p1/p2.
 * Returns TSREC_OK, TSREC_E_INVALID_ARG (NULL inputs, unknown family, n < 0,
 * a parameter out of its domain), or TSREC_E_NAN (non-finite y or
 * parameter). On failure the outputs may be partly filled. */
int tsrec__dist_loglik(tsrec__handle *eh, int32_t family, int64_t n,
                       const double *y, const double *p0, const double *p1,
                       const double *p2, double *out_ll, double *out_sum,
                       double *g0, double *g1, double *g2);

/* Chain rule for a parameter given as p = offset + softplus(raw): turns
 * n gradients w.r.t. p into gradients w.r.t. raw, in place. */
void tsrec__softplus_chain(int64_t n, const double *raw, double *grad);

/* Quantile and CDF of n elements (same parameter layout as above). */
int tsrec__dist_quantile(tsrec__handle *eh, int32_t family, int64_t n,
                         const double *prob, const double *p0,
                         const double *p1, const double *p2, double *out);
int tsrec__dist_cdf(tsrec__handle *eh, int32_t family, int64_t n,
                    const double *x, const double *p0, const double *p1,
                    const double *p2, double *out);

/* ---- sampling (distributions_sample.c) ---------------------------------- */

/* One draw from the family (NaN for invalid parameters). */
double tsrec__dist_sample1(tsrec__rng *r, int32_t family, double p0, double p1,
                           double p2);
/* n draws, one per parameter set; statuses as tsrec__dist_loglik. */
int tsrec__dist_sample(tsrec__handle *eh, tsrec__rng *r, int32_t family,
                       int64_t n, const double *p0, const double *p1,
                       const double *p2, double *out);

#endif /* TSREC_DISTRIBUTIONS_INTERNAL_H */
