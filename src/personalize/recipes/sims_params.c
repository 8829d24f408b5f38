/* SIMS hyperparameters: AWS defaults and ranges (aws-surface.md B3) and
 * the percentile helper shared by the SIMS filters. */
#include <inttypes.h>
#include <math.h>

#include "recipes_internal.h"

void tsrec__sims_params_init(tsrec__sims_params *p)
{
    p->popularity_discount_factor = 0.5;
    p->min_cointeraction_count = 3;
    p->min_user_history_length_percentile = 0.005;
    p->max_user_history_length_percentile = 0.995;
    p->min_item_interaction_count_percentile = 0.01;
    p->max_item_interaction_count_percentile = 0.9;
    p->max_neighbors = 500;
    p->max_history = 1000;
}

static int check_unit(double v, const char *name, tsrec__handle *eh)
{
    if (!(v >= 0.0 && v <= 1.0)) /* NaN fails too */
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE, "sims: %s = %g is outside [0, 1]", name, v);
    return TSREC_OK;
}

int tsrec__sims_params_check(const tsrec__sims_params *p, tsrec__handle *eh)
{
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "sims: NULL parameters");
    int rc;
    if ((rc = check_unit(p->popularity_discount_factor, "popularity_discount_factor", eh)) ||
        (rc = check_unit(p->min_user_history_length_percentile,
                         "min_user_history_length_percentile", eh)) ||
        (rc = check_unit(p->max_user_history_length_percentile,
                         "max_user_history_length_percentile", eh)) ||
        (rc = check_unit(p->min_item_interaction_count_percentile,
                         "min_item_interaction_count_percentile", eh)) ||
        (rc = check_unit(p->max_item_interaction_count_percentile,
                         "max_item_interaction_count_percentile", eh)))
        return rc;
    if (p->min_cointeraction_count < 0 || p->min_cointeraction_count > 10)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "sims: min_cointeraction_count = %" PRId32 " is outside [0, 10]",
                           p->min_cointeraction_count);
    if (p->min_user_history_length_percentile > p->max_user_history_length_percentile)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "sims: min_user_history_length_percentile exceeds the max");
    if (p->min_item_interaction_count_percentile > p->max_item_interaction_count_percentile)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "sims: min_item_interaction_count_percentile exceeds the max");
    if (p->max_neighbors < 1 || p->max_neighbors > INT32_MAX)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "sims: max_neighbors = %" PRId64 " must be in 1..%" PRId32,
                           p->max_neighbors, INT32_MAX);
    if (p->max_history < 0)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "sims: max_history = %" PRId64 " is negative", p->max_history);
    return TSREC_OK;
}

double tsrec__percentile_sorted(const int64_t *sorted, int64_t n, double q)
{
    double pos = q * (double)(n - 1);
    int64_t lo = (int64_t)floor(pos);
    if (lo >= n - 1)
        return (double)sorted[n - 1];
    if (lo < 0)
        return (double)sorted[0];
    double frac = pos - (double)lo;
    return (double)sorted[lo] + frac * (double)(sorted[lo + 1] - sorted[lo]);
}
