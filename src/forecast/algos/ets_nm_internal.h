/* Nelder-Mead for the ETS fit (ets_nm.c): the search of tsrec__nelder_mead
 * (R's optim "Nelder-Mead", every rule and every evaluated point the same,
 * so the same path, result and evaluation count), with the candidate
 * points of each step handed to the objective in batches so that it can
 * evaluate them side by side (see ets_lik.c). */
#ifndef TSREC_ETS_NM_INTERNAL_H
#define TSREC_ETS_NM_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"
#include "optim_internal.h"

/* f(x[i]) into f[i] for i < k, 1 <= k <= 4; non-finite values allowed.
 * Any status other than TSREC_OK stops the search with that status. */
typedef int (*tsrec__ets_batch_fn)(void *ud, int k, const double *const *x, double *f);
/* The costly part of the feasibility test, split off so that it runs only
 * for the points the search uses: the objective's value at x is f(x) when
 * admit(x) is true and +inf otherwise. NULL: always true. */
typedef int (*tsrec__ets_admit_fn)(void *ud, const double *x);

/* Minimise fn over n >= 1 variables from x (updated to the best vertex)
 * with R's defaults (alpha 1, beta 0.5, gamma 2, reltol sqrt(eps),
 * abstol -inf) and maxit evaluations. With batch set, each iteration
 * evaluates its reflection together with the three points that can follow
 * it (expansion, contraction of the reflected or of the worst vertex) and
 * uses (and counts) only the one R goes on to: worth it when evaluating
 * four points together costs about as much as one (latency-bound
 * objectives); otherwise they are evaluated one by one. Statuses as
 * tsrec__nelder_mead. */
int tsrec__ets_nelder_mead(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n, double *x,
                           tsrec__ets_batch_fn fn, tsrec__ets_admit_fn admit, void *ud,
                           int64_t maxit, int batch, tsrec__optim_result *out);

#endif /* TSREC_ETS_NM_INTERNAL_H */
