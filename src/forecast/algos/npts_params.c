/* NPTS hyperparameters: the table with Amazon Forecast's names and the
 * resolved configuration the forecaster reads. */
#include "npts_internal.h"

/* Bounds keep every log-weight finite: alpha * (1 + feature_scale) stays far
 * below DBL_MAX, so the max-shift before exp never sees -inf - -inf. */
#define NPTS_MAX_ALPHA 1e6
#define NPTS_MAX_FEATURE_SCALE 1e9
#define NPTS_MAX_SAMPLES INT64_C(1000000)
#define NPTS_MAX_CONTEXT INT64_C(1000000000)

const tsrec__param_def tsrec__npts_param_defs[] = {
    TSREC__PARAM_DEF_ENUM("kernel_type", "exponential", "exponential|uniform",
                          "Sampling kernel: exponential (NPTS) or uniform "
                          "(climatological)."),
    TSREC__PARAM_DEF_DOUBLE_X("exp_kernel_weights", "1.0", 0.0, NPTS_MAX_ALPHA,
                              TSREC__PARAM_LO_EXCL,
                              "Weight alpha of the exponential kernel "
                              "exp(-alpha * sum |f(t) - f(T)|)."),
    TSREC__PARAM_DEF_BOOL("use_seasonal_model", "true",
                          "Add the frequency's seasonal feature to the kernel."),
    TSREC__PARAM_DEF_BOOL("use_default_time_features", "true",
                          "Use the frequency's default time feature (only "
                          "custom features could replace it)."),
    TSREC__PARAM_DEF_INT("context_length", "0", 0, NPTS_MAX_CONTEXT,
                         "Most recent points sampled from; 0 = all points."),
    TSREC__PARAM_DEF_INT("num_samples", "100", 1, NPTS_MAX_SAMPLES,
                         "Sample paths drawn per series."),
    TSREC__PARAM_DEF_DOUBLE("feature_scale", "1000", 0.0, NPTS_MAX_FEATURE_SCALE,
                            "Multiplier of the seasonal feature, so points of "
                            "the same season dominate."),
};

const int64_t tsrec__npts_param_count =
    (int64_t)TSREC__ARRAY_LEN(tsrec__npts_param_defs);

int tsrec__npts_params_new(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__params **out)
{
    return tsrec__params_new(ctx, eh, tsrec__npts_param_defs,
                             tsrec__npts_param_count, out);
}

void tsrec__npts_config_init(tsrec__npts_config *c)
{
    c->kernel_type = TSREC__NPTS_KERNEL_EXPONENTIAL;
    c->use_seasonal_model = 1;
    c->use_default_time_features = 1;
    c->exp_kernel_weights = 1.0;
    c->feature_scale = 1000.0;
    c->context_length = 0;
    c->num_samples = 100;
}

int tsrec__npts_config_from_params(tsrec__npts_config *c, tsrec__handle *eh,
                                   const tsrec__params *p)
{
    if (c == NULL || p == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "npts: NULL config or params");
    if (p->defs != tsrec__npts_param_defs)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: the params object was not made from the NPTS "
                           "parameter table");
    int64_t kernel = 0;
    int seasonal = 0, default_features = 0;
    int rc = tsrec__params_get_enum(p, eh, "kernel_type", &kernel);
    if (rc == TSREC_OK)
        rc = tsrec__params_get_double(p, eh, "exp_kernel_weights", &c->exp_kernel_weights);
    if (rc == TSREC_OK)
        rc = tsrec__params_get_bool(p, eh, "use_seasonal_model", &seasonal);
    if (rc == TSREC_OK)
        rc = tsrec__params_get_bool(p, eh, "use_default_time_features", &default_features);
    if (rc == TSREC_OK)
        rc = tsrec__params_get_int(p, eh, "context_length", &c->context_length);
    if (rc == TSREC_OK)
        rc = tsrec__params_get_int(p, eh, "num_samples", &c->num_samples);
    if (rc == TSREC_OK)
        rc = tsrec__params_get_double(p, eh, "feature_scale", &c->feature_scale);
    if (rc != TSREC_OK)
        return rc;
    /* Choice order in the table: "exponential|uniform". */
    c->kernel_type = kernel == 0 ? TSREC__NPTS_KERNEL_EXPONENTIAL : TSREC__NPTS_KERNEL_UNIFORM;
    c->use_seasonal_model = seasonal != 0;
    c->use_default_time_features = default_features != 0;
    return TSREC_OK;
}
