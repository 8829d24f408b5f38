/* Exponential smoothing state space models (ETS), an exact reimplementation
 * of R forecast::ets and forecast.ets (package version 8.20) on plain double
 * arrays. Files:
 *   ets_calc.c       the state recursions (R's etscalc / etssimulate /
 *                    etsforecast), likelihood
 *   ets_lik.c        the likelihood alone, specialised per model type
 *                    (ets_lik_models.h, ets_lik_template.h), up to 4
 *                    parameter sets per pass, for the optimiser
 *   ets_nm.c         R's Nelder-Mead with batched evaluations
 *   ets_admissible.c parameter bounds "usual", "admissible", "both"
 *   ets_init.c       starting values (initparam, initstate, decompose)
 *   ets_fit.c        one model (etsmodel), model search by AICc (ets)
 *   ets_hw.c         tiny-data and constant-series fallbacks
 *                    (HoltWintersZZ)
 *   ets_forecast.c   point forecasts and quantiles (class 1-3 analytic
 *                    variances, simulation otherwise)
 * Seasonal periods above 24 are not seasonal (as R with season "Z"). */
#ifndef TSREC_ETS_INTERNAL_H
#define TSREC_ETS_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"

/* Component codes, R's integer codes for N/A/M; Z = choose automatically. */
enum { TSREC__ETS_N = 0, TSREC__ETS_A = 1, TSREC__ETS_M = 2, TSREC__ETS_Z = 3 };

#define TSREC__ETS_MAX_M 24
#define TSREC__ETS_MAX_STATES (2 + TSREC__ETS_MAX_M)

/* What to fit: R's ets() arguments that matter. Defaults (spec_init) are
 * model = "ZZZ", damped = NULL, additive.only = FALSE,
 * allow.multiplicative.trend = FALSE, opt.crit "lik", ic "aicc", bounds
 * "both", restrict = TRUE, lower/upper c(1e-4 x3, 0.8) / c(0.9999 x3,
 * 0.98), maxit 2000. */
typedef struct tsrec__ets_spec {
    int32_t error;       /* A, M or Z */
    int32_t trend;       /* N, A, M or Z */
    int32_t season;      /* N, A, M or Z */
    int32_t damped;      /* -1 = NULL (try both), 0 or 1 */
    int32_t additive_only;
    int32_t allow_mult_trend;
    int64_t maxit;       /* Nelder-Mead function evaluations */
    int32_t opt_mse;     /* 1: opt.crit "mse" (as ses() uses), 0: "lik" */
} tsrec__ets_spec;

void tsrec__ets_spec_init(tsrec__ets_spec *s);
/* Parse a 3-letter R model string ("ZZZ", "MAN", ...). TSREC_E_INVALID_ARG
 * on anything else. */
int tsrec__ets_spec_parse(tsrec__ets_spec *s, tsrec__handle *eh, const char *model);

/* How a model was obtained. */
enum {
    TSREC__ETS_FIT_OPTIMISED = 0, /* etsmodel: likelihood by Nelder-Mead */
    TSREC__ETS_FIT_HW = 1,        /* tiny data: HoltWintersZZ (SSE, L-BFGS-B) */
    TSREC__ETS_FIT_CONSTANT = 2   /* constant series: ses(alpha = 0.99999) */
};

/* A fitted model. States are laid out as R's: l, b (if trend), then
 * s1..sm (s1 the most recent season). */
typedef struct tsrec__ets_model {
    int32_t error, trend, season, damped;
    int32_t m;          /* period of the seasonal states (1 if none) */
    int32_t kind;       /* TSREC__ETS_FIT_* */
    char name[16];      /* "ETS(M,Ad,N)" */
    double alpha, beta, gamma, phi; /* beta/gamma 0 and phi 1 when absent */
    int32_t nstates;
    double init_state[TSREC__ETS_MAX_STATES];
    double last_state[TSREC__ETS_MAX_STATES];
    int32_t npar;       /* estimated parameters, R's length(par) */
    double loglik, aic, aicc, bic; /* NaN for the fallbacks (R has none) */
    double sigma2, mse;
    int64_t n;
    double *fitted;     /* n one-step fitted values (ctx-allocated) */
    double *residuals;  /* n: y - fitted (A error) or e / fitted - 1 (M) */
    int64_t nm_evals;   /* objective evaluations over every candidate */
} tsrec__ets_model;

/* Fit as R's ets(y, model, damped, ...) with a ts of frequency m.
 * y: n >= 1 finite values (TSREC_E_NAN otherwise: R refuses NAs in the
 * middle). Errors as R's stop(): TSREC_E_INVALID_ARG for forbidden model
 * combinations, a multiplicative model on non-positive data, an explicit
 * season with m > 24 or m == 1; TSREC_E_NUMERIC when no model could be
 * fitted. On success *out owns fitted/residuals: release with
 * tsrec__ets_model_free. On failure *out holds nothing to free. */
int tsrec__ets_fit(tsrec_ctx *ctx, tsrec__handle *eh, const double *y, int64_t n,
                   int32_t m, const tsrec__ets_spec *spec, tsrec__ets_model *out);
void tsrec__ets_model_free(tsrec_ctx *ctx, tsrec__ets_model *mod);
/* Fill mod->name from its components ("ETS(M,Ad,N)"). */
void tsrec__ets_model_name(tsrec__ets_model *mod);

/* Forecast h >= 1 steps: mean[h] (R's forecast(fit)$mean) and, for each of
 * nq quantile levels q in (0, 1), quant[k * h + i] = the bound R gives for
 * level 100 * |2q - 1| (lower for q < 0.5, upper above, the mean at 0.5):
 * analytic (classes 1-3) where R is, else from npaths simulated paths
 * (R's default 5000 when npaths <= 0) with the given seed, type-8
 * quantiles. quant may be NULL when nq == 0. */
int tsrec__ets_forecast(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__ets_model *mod,
                        int64_t h, const double *q, int32_t nq, int64_t npaths,
                        uint64_t seed, double *mean, double *quant);
/* Whether forecast intervals for this model are analytic (1) or simulated. */
int tsrec__ets_analytic(const tsrec__ets_model *mod);

/* ---- building blocks, exposed for tests -------------------------------- */

/* The recursion over y[n] from initial states x0 (R's layout, all m
 * seasonal states) with R's etscalc semantics. Fills e[n] (errors), f[n]
 * (one-step forecasts), states[(n + 1) * nstates] when non-NULL, and
 * returns the lik criterion (n log sum e^2 [+ 2 sum log|f|]); NaN when a
 * forecast is undefined (multiplicative trend with negative growth). */
double tsrec__ets_calc(const double *y, int64_t n, const double *x0, int32_t m,
                       int32_t error, int32_t trend, int32_t season, double alpha,
                       double beta, double gamma, double phi, double *e, double *f,
                       double *states);
/* One parameter set of a model: smoothing parameters (beta, gamma 0 and
 * phi 1 when absent) and the full initial state in R's layout. */
typedef struct tsrec__ets_lane {
    double alpha, beta, gamma, phi;
    const double *x0;
} tsrec__ets_lane;
/* tsrec__ets_calc's return value alone (bit-identical), for the optimiser:
 * one branch-free loop per model type (ets_lik.c), for k (1..4) parameter
 * sets of the same model at once into out[k]. work: 4 * (n + m) doubles.
 * NaN for invalid component codes. */
void tsrec__ets_lik_lanes(const double *y, int64_t n, int32_t m, int32_t error,
                          int32_t trend, int32_t season, const tsrec__ets_lane *lanes,
                          int k, double *work, double *out);
/* One parameter set; work: n + m doubles. */
double tsrec__ets_lik(const double *y, int64_t n, const double *x0, int32_t m,
                      int32_t error, int32_t trend, int32_t season, double alpha,
                      double beta, double gamma, double phi, double *work);
/* One simulated path of h values from state x with innovations e[h] (R's
 * etssimulate). Returns -1 when a forecast is undefined (M trend, b < 0). */
int tsrec__ets_simulate(const double *x, int32_t m, int32_t error, int32_t trend,
                        int32_t season, double alpha, double beta, double gamma,
                        double phi, int64_t h, const double *e, double *yout);
/* Point forecasts from a state (R's etsforecast); NaN for an undefined
 * multiplicative trend. */
void tsrec__ets_point(const double *x, int32_t m, int32_t trend, int32_t season,
                      double phi, int64_t h, double *f);

/* R's admissible(): the characteristic-root test for the state space
 * parameters (has_beta / has_gamma say which are in the model). */
int tsrec__ets_admissible(double alpha, double beta, double gamma, double phi, int32_t m,
                          int has_beta, int has_gamma);
/* R's check.param with bounds "both" and default lower/upper, for the
 * parameters present (opt_beta/opt_gamma/opt_phi). 1 = acceptable. */
int tsrec__ets_params_ok(double alpha, double beta, double gamma, double phi, int32_t m,
                         int opt_beta, int opt_gamma, int opt_phi);
/* The box part of tsrec__ets_params_ok alone (no root test). */
int tsrec__ets_params_box(double alpha, double beta, double gamma, double phi, int opt_beta,
                          int opt_gamma, int opt_phi);

/* R's initstate(): l0, b0 and m-1 free seasonal states into x (returns how
 * many). Needs n >= 4 for a seasonal model (else TSREC_E_INVALID_ARG). */
int tsrec__ets_initstate(tsrec_ctx *ctx, tsrec__handle *eh, const double *y, int64_t n,
                         int32_t m, int32_t trend, int32_t season, double *x,
                         int32_t *out_count);

/* R's mean(): long double sum with a correction pass. */
double tsrec__r_mean(const double *x, int64_t n);

#endif /* TSREC_ETS_INTERNAL_H */
