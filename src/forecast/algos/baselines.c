/* Naive and seasonal naive forecasts with R forecast's lagwalk intervals. */
#include <math.h>

#include "baselines_internal.h"
#include "distributions_internal.h"

int tsrec__snaive_forecast(tsrec__handle *eh, const double *y, int64_t n, int32_t m,
                           int64_t h, const double *q, int32_t nq, double *mean,
                           double *quant)
{
    if (!y || !mean || (nq > 0 && (!q || !quant)) || nq < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "snaive: NULL argument");
    if (m < 1 || n <= m || h < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "snaive: need period m >= 1, n > m and h >= 1");
    for (int32_t k = 0; k < nq; k++)
        if (!(q[k] > 0.0 && q[k] < 1.0))
            return tsrec__fail(eh, TSREC_E_INVALID_ARG, "snaive: quantile outside (0, 1)");
    double ss = 0.0;
    for (int64_t t = 0; t < n; t++) {
        if (!isfinite(y[t]))
            return tsrec__fail(eh, TSREC_E_NAN, "snaive: y[%lld] is not finite",
                               (long long)t);
        if (t >= m) {
            double d = y[t] - y[t - m];
            ss += d * d;
        }
    }
    const double sigma = sqrt(ss / (double)(n - m));
    for (int64_t i = 0; i < h; i++)
        mean[i] = y[n - m + (i % m)];
    for (int32_t k = 0; k < nq; k++) {
        double z = q[k] == 0.5 ? 0.0 : tsrec__norm_ppf(q[k]);
        for (int64_t i = 0; i < h; i++)
            quant[(int64_t)k * h + i] = mean[i] + z * sigma * sqrt((double)(i / m + 1));
    }
    return TSREC_OK;
}
