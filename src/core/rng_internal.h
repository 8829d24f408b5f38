/* Random numbers (src/core/rng.c, src/core/sample.c).
 *
 * xoshiro256** seeded through splitmix64, with jump() for independent
 * per-thread streams. Every stream is a plain value type: no allocation, no
 * global state. Deterministic across platforms for a given seed. */
#ifndef TSREC_RNG_INTERNAL_H
#define TSREC_RNG_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"

typedef struct tsrec__rng {
    uint64_t s[4];
} tsrec__rng;

/* Seed from a 64-bit value (splitmix64 expansion; never all-zero state). */
void tsrec__rng_seed(tsrec__rng *r, uint64_t seed);
/* Advance by 2^128 draws: successive jumps give non-overlapping streams. */
void tsrec__rng_jump(tsrec__rng *r);
/* Stream `stream` (e.g. a worker or item index) derived from `seed`:
 * independent of how many other streams exist, so per-item streams are
 * the same whatever the thread count. */
void tsrec__rng_stream(tsrec__rng *r, uint64_t seed, uint64_t stream);

uint64_t tsrec__rng_u64(tsrec__rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double tsrec__rng_uniform(tsrec__rng *r);
/* Uniform integer in [0, n) without modulo bias; n >= 1. */
uint64_t tsrec__rng_below(tsrec__rng *r, uint64_t n);

/* Samplers. Parameters are assumed valid (callers validate); invalid ones
 * return NaN (or -1 for the integer samplers). */
double tsrec__rng_normal(tsrec__rng *r, double mean, double sd);
double tsrec__rng_gamma(tsrec__rng *r, double shape, double scale);
double tsrec__rng_beta(tsrec__rng *r, double a, double b);
double tsrec__rng_student_t(tsrec__rng *r, double nu, double mu, double sigma);
int64_t tsrec__rng_poisson(tsrec__rng *r, double lambda);
/* Negative binomial with mean mu and dispersion alpha (variance
 * mu + alpha*mu^2), the DeepAR parameterisation: Poisson(Gamma(1/alpha,
 * alpha*mu)). alpha == 0 gives Poisson(mu). */
int64_t tsrec__rng_negbin(tsrec__rng *r, double mu, double alpha);

/* Categorical sampling by Walker/Vose alias tables: O(n) build, O(1) draw. */
typedef struct tsrec__alias {
    int64_t n;
    double *prob;    /* n acceptance probabilities */
    int64_t *alias;  /* n alias indices */
} tsrec__alias;

/* Build from n >= 1 non-negative finite weights with a positive sum.
 * Returns TSREC_OK, TSREC_E_INVALID_ARG (bad weights; message on eh),
 * or TSREC_E_NOMEM. */
int tsrec__alias_init(tsrec__alias *a, tsrec_ctx *ctx, tsrec__handle *eh,
                      const double *weights, int64_t n);
void tsrec__alias_free(tsrec__alias *a, tsrec_ctx *ctx);
int64_t tsrec__alias_draw(const tsrec__alias *a, tsrec__rng *r);

#endif /* TSREC_RNG_INTERNAL_H */
