/* Fallback fits of R forecast::ets that bypass the likelihood optimiser
 * (src/forecast/algos/ets_hw.c): HoltWintersZZ for tiny series (SSE
 * minimised by L-BFGS-B with R's finite-difference gradient) and the
 * constant-series shortcut ses(y, alpha = 0.99999, initial = "simple").
 * Only the non-seasonal forms are implemented: an explicitly seasonal
 * model on a tiny series falls back to Holt / SES. */
#ifndef TSREC_ETS_HW_INTERNAL_H
#define TSREC_ETS_HW_INTERNAL_H

#include "ets_internal.h"

enum {
    TSREC__ETS_HW_CONSTANT = 0, /* alpha = 0.99999, no optimisation */
    TSREC__ETS_HW_SES = 1,
    TSREC__ETS_HW_HOLT = 2,     /* additive trend; SES if it fails */
    TSREC__ETS_HW_HOLT_EXP = 3, /* exponential trend; SES if it fails */
    TSREC__ETS_HW_BEST = 4      /* Holt or SES, the smaller sigma2 */
};

int tsrec__ets_hw_fit(tsrec_ctx *ctx, tsrec__handle *eh, const double *y, int64_t n,
                      int32_t m, int which, tsrec__ets_model *out);

#endif /* TSREC_ETS_HW_INTERNAL_H */
