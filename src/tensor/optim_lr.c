/* Learning-rate schedules for the first-order updaters: step and
 * exponential decay as PyTorch's StepLR / ExponentialLR, and reduction on a
 * plateau of the epoch loss as GluonTS's trainer and PyTorch's
 * ReduceLROnPlateau (mode "min", relative threshold). Every schedule is
 * floored at min_lr. The caller copies the returned rate into the updater's
 * options before the next epoch. */
#include <math.h>

#include "optim_internal.h"

int tsrec__lr_sched_init(tsrec__lr_sched *s, tsrec__handle *eh, int32_t kind,
                         double base_lr, double gamma, int64_t step_size,
                         double min_lr, int64_t patience, double threshold)
{
    if (!s)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "lr schedule: NULL");
    if (kind < TSREC__LR_CONSTANT || kind > TSREC__LR_PLATEAU)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "lr schedule: unknown kind %d", (int)kind);
    if (!(base_lr > 0.0) || isinf(base_lr) || !(min_lr >= 0.0) ||
        !(gamma > 0.0 && gamma <= 1.0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "lr schedule: need base_lr > 0, min_lr >= 0, "
                           "0 < gamma <= 1");
    if ((kind == TSREC__LR_STEP && step_size < 1) ||
        (kind == TSREC__LR_PLATEAU && (patience < 0 || !(threshold >= 0.0))))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "lr schedule: need step_size >= 1, patience >= 0, "
                           "threshold >= 0");
    s->kind = kind;
    s->base_lr = base_lr;
    s->gamma = gamma;
    s->step_size = step_size;
    s->min_lr = min_lr;
    s->patience = patience;
    s->threshold = threshold;
    s->epoch = 0;
    s->lr = base_lr > min_lr ? base_lr : min_lr;
    s->best = INFINITY;
    s->bad_epochs = 0;
    return TSREC_OK;
}

double tsrec__lr_sched_epoch_end(tsrec__lr_sched *s, double loss)
{
    s->epoch++;
    double lr = s->lr;
    switch (s->kind) {
    case TSREC__LR_STEP:
        lr = s->base_lr * pow(s->gamma, (double)(s->epoch / s->step_size));
        break;
    case TSREC__LR_EXPONENTIAL:
        lr = s->base_lr * pow(s->gamma, (double)s->epoch);
        break;
    case TSREC__LR_PLATEAU:
        if (loss < s->best * (1.0 - s->threshold) ||
            (isinf(s->best) && !isnan(loss))) {
            s->best = loss;
            s->bad_epochs = 0;
        } else if (++s->bad_epochs > s->patience) {
            lr = s->lr * s->gamma;
            s->bad_epochs = 0;
        }
        break;
    default:
        break;
    }
    s->lr = lr > s->min_lr ? lr : s->min_lr;
    return s->lr;
}
