/* Numerical optimisers (src/tensor/optim_*.c).
 *
 * Deterministic minimisers over double vectors for classical models
 * (Nelder-Mead as R's optim, L-BFGS-B with box bounds), and in-place
 * first-order updaters over float parameter arrays for neural models
 * (Adam/AdamW, SGD with momentum, Adagrad) with gradient clipping and
 * learning-rate schedules.
 *
 * Objective callbacks return a status: anything other than TSREC_OK stops
 * the optimiser, which returns that status unchanged (the callback records
 * its own message, e.g. on the same handle). Every optimiser checks
 * tsrec__cancelled(ctx) once per iteration and returns TSREC_E_CANCELLED. */
#ifndef TSREC_OPTIM_INTERNAL_H
#define TSREC_OPTIM_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"

/* f(x) into *out_f; if out_grad is non-NULL also the gradient (n values).
 * A non-finite *out_f is allowed (the optimisers treat it as "very bad").
 * Nelder-Mead always passes out_grad = NULL. */
typedef int (*tsrec__objective_fn)(void *ud, const double *x, double *out_f,
                                   double *out_grad);

/* Outcome of a minimisation, in R optim's terms. */
typedef struct tsrec__optim_result {
    double value;          /* f at the returned x */
    int64_t fn_count;      /* objective evaluations (R's counts["function"]) */
    int64_t gr_count;      /* gradient evaluations (0 for Nelder-Mead) */
    int64_t iterations;
    /* 0 converged; 1 iteration/evaluation limit reached; 10 Nelder-Mead
     * simplex degenerated (shrink did not reduce it); 52 L-BFGS-B line
     * search failed to make progress (x is the best point found). These are
     * R's codes: reported here, not as an error status. */
    int32_t convergence;
} tsrec__optim_result;

/* ---- Nelder-Mead (optim_neldermead.c) ---------------------------------- */

typedef struct tsrec__nm_opts {
    double alpha;   /* reflection, 1 */
    double beta;    /* contraction and shrink, 0.5 */
    double gamma;   /* expansion, 2 */
    double reltol;  /* sqrt(DBL_EPSILON) */
    double abstol;  /* -inf: stop once the best value is <= abstol */
    int64_t maxit;  /* 500: limit on function evaluations, as in R */
} tsrec__nm_opts;

void tsrec__nm_opts_init(tsrec__nm_opts *o);

/* Minimise fn over n >= 1 variables from x (updated to the best vertex),
 * following R's optim(method = "Nelder-Mead") step by step, so the same
 * objective gives the same points, values and counts as R (fnscale and
 * parscale 1). opts NULL = defaults.
 * Returns TSREC_OK (see out->convergence), TSREC_E_INVALID_ARG, TSREC_E_NAN
 * (non-finite x or f(x0)), TSREC_E_NOMEM, TSREC_E_CANCELLED or the
 * callback's status; on those errors x holds the best vertex so far. */
int tsrec__nelder_mead(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n, double *x,
                       tsrec__objective_fn fn, void *ud,
                       const tsrec__nm_opts *opts, tsrec__optim_result *out);

/* ---- L-BFGS-B (optim_lbfgsb.c) ------------------------------------------ */

typedef struct tsrec__lbfgsb_opts {
    int32_t m;      /* memory (pairs kept), 5 as R's lmm */
    double factr;   /* stop when the relative reduction of f is below
                       factr * DBL_EPSILON; 1e7 as R */
    double pgtol;   /* stop when max |projected gradient| <= pgtol; 0 as R */
    int64_t maxit;  /* iterations, 100 as R */
} tsrec__lbfgsb_opts;

void tsrec__lbfgsb_opts_init(tsrec__lbfgsb_opts *o);

/* Minimise fn subject to lower <= x <= upper (either array may be NULL for
 * no bound; entries may be +-inf). x is projected into the box first, as R
 * does, and holds the solution on return. fn must fill the gradient.
 * Returns TSREC_OK (see out->convergence), TSREC_E_INVALID_ARG (lower >
 * upper, NULL arguments), TSREC_E_NAN (NaN in x0 or bounds, non-finite f or
 * gradient at x0), TSREC_E_NOMEM, TSREC_E_CANCELLED or the callback's
 * status. */
int tsrec__lbfgsb(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n, double *x,
                  const double *lower, const double *upper,
                  tsrec__objective_fn fn, void *ud,
                  const tsrec__lbfgsb_opts *opts, tsrec__optim_result *out);

/* ---- first-order updaters (optim_adam.c) --------------------------------- */

/* Gradient clipping and the L2 penalty shared by every updater. Gradients
 * are read-only: clipping is applied as a scale factor on the fly. */
typedef struct tsrec__grad_opts {
    double clip_norm;    /* > 0: rescale so the global L2 norm is <= this */
    double clip_value;   /* > 0: clamp each element to [-v, v] (MXNet's
                            clip_gradient, used by GluonTS), after clip_norm */
    double weight_decay; /* L2 coefficient, added to the gradient as
                            wd * param (PyTorch's weight_decay) */
} tsrec__grad_opts;

/* Global L2 norm of a gradient split over n_seg segments (accumulated in
 * double). Returns TSREC_E_NAN if any element is non-finite. */
int tsrec__grad_norm(tsrec__handle *eh, int64_t n_seg, const float *const *grads,
                     const int64_t *lens, double *out_norm);

typedef struct tsrec__adam_opts {
    double lr;          /* 1e-3 */
    double beta1;       /* 0.9 */
    double beta2;       /* 0.999 */
    double eps;         /* 1e-8 */
    int32_t decoupled;  /* 1 = AdamW: weight decay lr*wd*param applied to the
                           parameter, not through the moments */
    tsrec__grad_opts grad;
} tsrec__adam_opts;

typedef struct tsrec__sgd_opts {
    double lr;          /* 1e-2 */
    double momentum;    /* 0 = plain SGD */
    int32_t nesterov;
    tsrec__grad_opts grad;
} tsrec__sgd_opts;

typedef struct tsrec__adagrad_opts {
    double lr;          /* 1e-2 */
    double eps;         /* 1e-10 (PyTorch); GRU4Rec uses 1e-6 */
    double initial_accumulator; /* 0 */
    tsrec__grad_opts grad;
} tsrec__adagrad_opts;

void tsrec__adam_opts_init(tsrec__adam_opts *o);
void tsrec__sgd_opts_init(tsrec__sgd_opts *o);
void tsrec__adagrad_opts_init(tsrec__adagrad_opts *o);

/* Optimiser state over n parameters. opts may be changed between steps
 * (e.g. opts.lr from a schedule). Allocated through the ctx. */
typedef struct tsrec__updater {
    tsrec_ctx *ctx;
    int32_t kind;        /* TSREC__UPD_ADAM / _SGD / _ADAGRAD */
    int64_t n;
    int64_t t;           /* steps taken */
    float *m;            /* Adam first moment / SGD velocity / Adagrad sum */
    float *v;            /* Adam second moment (NULL otherwise) */
    tsrec__adam_opts adam;
    tsrec__sgd_opts sgd;
    tsrec__adagrad_opts adagrad;
    double last_grad_norm; /* global norm before clipping, last step */
} tsrec__updater;

enum { TSREC__UPD_ADAM = 1, TSREC__UPD_SGD = 2, TSREC__UPD_ADAGRAD = 3 };

/* Constructors: opts NULL = defaults. TSREC_E_INVALID_ARG for n < 1 or bad
 * options (lr <= 0, betas outside [0, 1), ...), TSREC_E_NOMEM. */
int tsrec__adam_new(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n,
                    const tsrec__adam_opts *opts, tsrec__updater **out);
int tsrec__sgd_new(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n,
                   const tsrec__sgd_opts *opts, tsrec__updater **out);
int tsrec__adagrad_new(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n,
                       const tsrec__adagrad_opts *opts, tsrec__updater **out);
void tsrec__updater_free(tsrec__updater *u); /* NULL is a no-op */
/* Forget moments and the step count (keeps options). */
void tsrec__updater_reset(tsrec__updater *u);

/* One update of params -= step(grads). The parameters may be split over
 * n_seg segments (e.g. one per layer tensor) whose lengths sum to u->n;
 * clipping uses the norm over all of them. A non-finite gradient gives
 * TSREC_E_NAN and leaves parameters and state untouched. */
int tsrec__updater_step_multi(tsrec__updater *u, tsrec__handle *eh,
                              int64_t n_seg, float *const *params,
                              const float *const *grads, const int64_t *lens);
/* Single flat array of u->n parameters. */
int tsrec__updater_step(tsrec__updater *u, tsrec__handle *eh, float *params,
                        const float *grads);

/* ---- learning-rate schedules (optim_lr.c) -------------------------------- */

enum {
    TSREC__LR_CONSTANT = 0,
    TSREC__LR_STEP = 1,        /* lr0 * gamma^floor(epoch / step_size) */
    TSREC__LR_EXPONENTIAL = 2, /* lr0 * gamma^epoch */
    TSREC__LR_PLATEAU = 3      /* lr *= gamma after `patience` epochs without
                                  a relative improvement > threshold
                                  (GluonTS/PyTorch ReduceLROnPlateau) */
};

typedef struct tsrec__lr_sched {
    int32_t kind;
    double base_lr;
    double gamma;       /* decay factor in (0, 1] */
    int64_t step_size;  /* STEP: epochs per decay */
    double min_lr;      /* floor for every kind */
    int64_t patience;   /* PLATEAU */
    double threshold;   /* PLATEAU: relative improvement needed, e.g. 1e-4 */
    /* state */
    int64_t epoch;
    double lr;
    double best;
    int64_t bad_epochs;
} tsrec__lr_sched;

/* Validates the settings: TSREC_E_INVALID_ARG on an unknown kind,
 * base_lr <= 0, gamma outside (0, 1], step_size < 1 (STEP), patience < 0. */
int tsrec__lr_sched_init(tsrec__lr_sched *s, tsrec__handle *eh, int32_t kind,
                         double base_lr, double gamma, int64_t step_size,
                         double min_lr, int64_t patience, double threshold);
/* End of an epoch with its loss (used by PLATEAU only; NaN counts as no
 * improvement). Returns the learning rate for the next epoch. */
double tsrec__lr_sched_epoch_end(tsrec__lr_sched *s, double loss);

#endif /* TSREC_OPTIM_INTERNAL_H */
