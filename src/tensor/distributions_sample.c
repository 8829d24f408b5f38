/* Sampling from the likelihood families on top of the core samplers
 * (src/core/sample.c), kept apart from the density code so the densities
 * have no RNG dependency. */
#include <math.h>

#include "distributions_internal.h"

double tsrec__dist_sample1(tsrec__rng *r, int32_t family, double p0, double p1,
                           double p2)
{
    switch (family) {
    case TSREC__DIST_GAUSSIAN:
        if (!(p1 > 0.0))
            return NAN;
        return tsrec__rng_normal(r, p0, p1);
    case TSREC__DIST_STUDENT_T:
        if (!(p1 > 0.0))
            return NAN;
        if (p2 == INFINITY) /* the Gaussian limit */
            return tsrec__rng_normal(r, p0, p1);
        return tsrec__rng_student_t(r, p2, p0, p1);
    case TSREC__DIST_NEGBIN: {
        if (!(p0 > 0.0) || !(p1 > 0.0))
            return NAN;
        int64_t k = tsrec__rng_negbin(r, p0, p1);
        return k < 0 ? NAN : (double)k;
    }
    default:
        return NAN;
    }
}

int tsrec__dist_sample(tsrec__handle *eh, tsrec__rng *r, int32_t family,
                       int64_t n, const double *p0, const double *p1,
                       const double *p2, double *out)
{
    int np = tsrec__dist_n_params(family);
    if (np == 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "dist_sample: unknown family %d", (int)family);
    if (n < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dist_sample: n < 0");
    if (n > 0 && (!r || !p0 || !p1 || (np == 3 && !p2) || !out))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dist_sample: NULL argument");
    for (int64_t i = 0; i < n; i++) {
        double c = np == 3 ? p2[i] : 0.0;
        if (!isfinite(p0[i]) || !isfinite(p1[i]) || (np == 3 && isnan(c)))
            return tsrec__fail(eh, TSREC_E_NAN,
                               "dist_sample: non-finite parameter at %lld",
                               (long long)i);
        double v = tsrec__dist_sample1(r, family, p0[i], p1[i], c);
        if (isnan(v))
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "dist_sample: parameter out of domain at %lld",
                               (long long)i);
        out[i] = v;
    }
    return TSREC_OK;
}
