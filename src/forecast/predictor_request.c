/* CreatePredictor request parsing (aws-surface A4.1): every AWS rule that
 * does not need the data; the length rules are tsrec__config_check_len.
 *
 * Accepted keys: PredictorName, AlgorithmArn, ForecastHorizon,
 * ForecastTypes, PerformAutoML, PerformHPO (false only: HPO is for the
 * neural algorithms), TrainingParameters, EvaluationParameters,
 * InputDataConfig (DatasetGroupArn is not checked: the group is the
 * handle), FeaturizationConfig, OptimizationMetric (AutoML picks by it),
 * AutoMLOverrideStrategy (AutoML only; no effect), EncryptionConfig and
 * Tags (accepted, no effect), and the libtsrec extension AutoMLCandidates
 * (AutoML only: the algorithm names AutoML evaluates, e.g.
 * ["ETS","NPTS","Theta","SeasonalNaive"], instead of the default ETS and
 * NPTS). Anything else is TSREC_E_INVALID_ARG naming the key. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "data_internal.h"
#include "json_internal.h"
#include "predictor_internal.h"
#include "time_internal.h"

int tsrec__check_resource_name(tsrec__handle *eh, const char *what, const char *s, size_t len)
{
    int ok = len >= 1 && len <= TSREC__NAME_MAX &&
             ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'));
    for (size_t i = 1; ok && i < len; i++) {
        char c = s[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_';
    }
    if (!ok)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "%s '%.*s' must match ^[a-zA-Z][a-zA-Z0-9_]*$ (1-63 characters)",
                           what, (int)(len > 80 ? 80 : len), s);
    return TSREC_OK;
}

int tsrec__ftype_parse(tsrec__handle *eh, const char *s, size_t len, tsrec__ftype *t)
{
    memset(t, 0, sizeof(*t));
    if (len == 4 && memcmp(s, "mean", 4) == 0) {
        t->q = NAN;
        memcpy(t->name, "mean", 5);
        memcpy(t->text, "mean", 5);
        return TSREC_OK;
    }
    /* ^0?\.\d\d?$ */
    size_t i = 0;
    if (i < len && s[i] == '0')
        i++;
    int ok = i < len && s[i] == '.';
    i++;
    int digits = 0, hundredths = 0;
    while (ok && i < len && digits < 3) {
        if (s[i] < '0' || s[i] > '9')
            ok = 0;
        else
            hundredths = hundredths * 10 + (s[i] - '0');
        digits++;
        i++;
    }
    ok = ok && i == len && (digits == 1 || digits == 2);
    if (ok && digits == 1)
        hundredths *= 10;
    if (!ok || hundredths < 1 || hundredths > 99)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "ForecastTypes entry '%.*s' must be \"mean\" or a quantile "
                           "0.01..0.99 matching ^0?\\.\\d\\d?$",
                           (int)(len > 40 ? 40 : len), s);
    t->q = hundredths / 100.0;
    snprintf(t->name, sizeof t->name, "p%d", hundredths);
    memcpy(t->text, s, len);
    t->text[len] = '\0';
    return TSREC_OK;
}

/* ---- helpers ------------------------------------------------------------ */

static const tsrec_dataset *target_dataset(const tsrec_dataset_group *g)
{
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++)
        if (g->datasets[i] != NULL && g->datasets[i]->type == TSREC__DS_TARGET_TIME_SERIES)
            return g->datasets[i];
    return NULL;
}

static const tsrec_dataset *related_dataset(const tsrec_dataset_group *g)
{
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++)
        if (g->datasets[i] != NULL && g->datasets[i]->type == TSREC__DS_RELATED_TIME_SERIES)
            return g->datasets[i];
    return NULL;
}

static int64_t field_with_role(const tsrec_dataset *ds, int32_t role)
{
    for (int64_t i = 0; i < ds->schema->n_fields; i++)
        if (ds->roles[i] == role)
            return i;
    return -1;
}

static int want_type(tsrec__handle *eh, const tsrec__json *v, int32_t type, const char *what)
{
    if (tsrec__json_type(v) != type)
        return tsrec__fail(eh, TSREC_E_BAD_TYPE, "%s must be a JSON %s", what,
                           tsrec__json_type_name(type));
    return TSREC_OK;
}

/* Request state while parsing. */
typedef struct req {
    tsrec_ctx *ctx;
    tsrec__handle *eh;
    const tsrec_dataset_group *g;
    const tsrec_dataset *tts;
    tsrec__predictor_config *cfg;
    const tsrec__json *algorithm, *automl, *horizon, *types, *train, *eval, *feat, *hpo;
    const tsrec__json *metric, *override, *candidates;
    /* related filling configs, for featurization (names borrowed from the doc) */
} req;

static int parse_types(req *r)
{
    tsrec__predictor_config *c = r->cfg;
    if (r->types == NULL) {
        static const char *const def[] = {"0.1", "0.5", "0.9"};
        for (int i = 0; i < 3; i++)
            (void)tsrec__ftype_parse(r->eh, def[i], 3, &c->types[i]);
        c->n_types = 3;
    } else {
        int rc = want_type(r->eh, r->types, TSREC__JSON_ARRAY, "ForecastTypes");
        if (rc != TSREC_OK)
            return rc;
        int64_t n = tsrec__json_len(r->types);
        if (n < 1 || n > TSREC__MAX_FORECAST_TYPES)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "ForecastTypes must hold 1 to 5 entries, not %lld", (long long)n);
        for (int64_t i = 0; i < n; i++) {
            const char *s;
            size_t len;
            rc = tsrec__json_as_string(tsrec__json_at(r->types, i), r->eh, "ForecastTypes entry",
                                       &s, &len);
            if (rc == TSREC_OK)
                rc = tsrec__ftype_parse(r->eh, s, len, &c->types[i]);
            if (rc != TSREC_OK)
                return rc;
            for (int64_t j = 0; j < i; j++)
                if (strcmp(c->types[j].name, c->types[i].name) == 0)
                    return tsrec__fail(r->eh, TSREC_E_DUPLICATE,
                                       "ForecastTypes lists '%s' twice", c->types[i].text);
        }
        c->n_types = (int32_t)n;
    }
    c->nq = 0;
    for (int32_t i = 0; i < c->n_types; i++)
        if (!isnan(c->types[i].q))
            c->q[c->nq++] = c->types[i].q;
    return TSREC_OK;
}

static int parse_eval(req *r)
{
    tsrec__predictor_config *c = r->cfg;
    c->n_windows = 1;
    c->offset = c->horizon;
    if (r->eval == NULL)
        return TSREC_OK;
    int rc = want_type(r->eh, r->eval, TSREC__JSON_OBJECT, "EvaluationParameters");
    if (rc != TSREC_OK)
        return rc;
    for (int64_t i = 0; i < r->eval->u.obj.n; i++) {
        const tsrec__json_member *m = &r->eval->u.obj.items[i];
        int64_t v = 0;
        if (strcmp(m->key, "NumberOfBacktestWindows") == 0) {
            if ((rc = tsrec__json_as_int64(&m->value, r->eh, m->key, &v)) != TSREC_OK)
                return rc;
            if (v < 1 || v > TSREC__MAX_BACKTEST_WINDOWS)
                return tsrec__fail(r->eh, TSREC_E_OUT_OF_RANGE,
                                   "NumberOfBacktestWindows must be 1 to 5, not %lld",
                                   (long long)v);
            c->n_windows = (int32_t)v;
        } else if (strcmp(m->key, "BackTestWindowOffset") == 0) {
            if ((rc = tsrec__json_as_int64(&m->value, r->eh, m->key, &v)) != TSREC_OK)
                return rc;
            if (v < c->horizon)
                return tsrec__fail(r->eh, TSREC_E_OUT_OF_RANGE,
                                   "BackTestWindowOffset %lld must be at least the "
                                   "ForecastHorizon %lld",
                                   (long long)v, (long long)c->horizon);
            c->offset = v;
        } else {
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "unknown key 'EvaluationParameters.%s'", m->key);
        }
    }
    return TSREC_OK;
}

static int parse_train(req *r)
{
    tsrec__predictor_config *c = r->cfg;
    if (c->automl) {
        if (r->train != NULL)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "TrainingParameters are not allowed with PerformAutoML");
        return TSREC_OK;
    }
    int rc = tsrec__params_new(r->ctx, r->eh, c->algo->params, tsrec__algo_param_count(c->algo),
                               &c->params);
    if (rc != TSREC_OK || r->train == NULL)
        return rc;
    if ((rc = want_type(r->eh, r->train, TSREC__JSON_OBJECT, "TrainingParameters")) != TSREC_OK)
        return rc;
    for (int64_t i = 0; i < r->train->u.obj.n; i++) {
        const tsrec__json_member *m = &r->train->u.obj.items[i];
        const char *s;
        size_t len;
        if ((rc = tsrec__json_as_string(&m->value, r->eh, m->key, &s, &len)) != TSREC_OK)
            return rc;
        if (tsrec__params_find(c->params, m->key) < 0) {
            const char *hint = tsrec__param_closest(c->algo->params,
                                                    tsrec__algo_param_count(c->algo), m->key,
                                                    strlen(m->key));
            if (hint != NULL)
                return tsrec__fail(r->eh, TSREC_E_UNKNOWN_NAME,
                                   "TrainingParameters: %s has no hyperparameter '%s' (did you "
                                   "mean '%s'?)",
                                   c->algo->name, m->key, hint);
            return tsrec__fail(r->eh, TSREC_E_UNKNOWN_NAME,
                               "TrainingParameters: %s has no hyperparameter '%s'%s",
                               c->algo->name, m->key,
                               c->algo->params == NULL ? " (it takes none)" : "");
        }
        if ((rc = tsrec__params_set(c->params, r->eh, m->key, s)) != TSREC_OK)
            return rc;
    }
    return TSREC_OK;
}

/* One FeaturizationMethodParameters map as key/value arrays. */
static int fill_params(req *r, const tsrec__json *pars, tsrec__fill_config *fc, const char *attr)
{
    const char *keys[16], *vals[16];
    int64_t n = 0;
    if (pars != NULL) {
        int rc = want_type(r->eh, pars, TSREC__JSON_OBJECT, "FeaturizationMethodParameters");
        if (rc != TSREC_OK)
            return rc;
        if (pars->u.obj.n > 16)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "FeaturizationMethodParameters of '%s' has too many keys", attr);
        for (int64_t i = 0; i < pars->u.obj.n; i++) {
            size_t len;
            keys[i] = pars->u.obj.items[i].key;
            rc = tsrec__json_as_string(&pars->u.obj.items[i].value, r->eh, keys[i], &vals[i],
                                       &len);
            if (rc != TSREC_OK)
                return rc;
        }
        n = pars->u.obj.n;
    }
    return tsrec__fill_config_parse(fc, r->eh, attr, keys, vals, n);
}

static int parse_featurization(req *r, const tsrec__json *f)
{
    tsrec__predictor_config *c = r->cfg;
    const tsrec__json *name = NULL, *pipe = NULL;
    int rc = want_type(r->eh, f, TSREC__JSON_OBJECT, "Featurizations entry");
    for (int64_t i = 0; rc == TSREC_OK && i < f->u.obj.n; i++) {
        const tsrec__json_member *m = &f->u.obj.items[i];
        if (strcmp(m->key, "AttributeName") == 0)
            name = &m->value;
        else if (strcmp(m->key, "FeaturizationPipeline") == 0)
            pipe = &m->value;
        else
            rc = tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                             "unknown key 'FeaturizationConfig.Featurizations.%s'", m->key);
    }
    const char *attr = NULL;
    size_t len = 0;
    if (rc == TSREC_OK)
        rc = tsrec__json_as_string(name, r->eh, "Featurizations.AttributeName", &attr, &len);
    if (rc != TSREC_OK)
        return rc;
    int64_t target = field_with_role(r->tts, TSREC__ROLE_TARGET);
    int is_target = target >= 0 && strcmp(r->tts->schema->fields[target].name, attr) == 0;
    const tsrec_dataset *rts = related_dataset(r->g);
    int is_related = !is_target && rts != NULL && tsrec__schema_find(rts->schema, attr) >= 0 &&
                     rts->roles[tsrec__schema_find(rts->schema, attr)] == TSREC__ROLE_OTHER;
    if (!is_target && !is_related)
        return tsrec__fail(r->eh, TSREC_E_UNKNOWN_NAME,
                           "Featurizations: '%s' is neither the target field nor a related "
                           "time series feature",
                           attr);
    const tsrec__json *params = NULL;
    if (pipe != NULL) {
        if ((rc = want_type(r->eh, pipe, TSREC__JSON_ARRAY, "FeaturizationPipeline")) != TSREC_OK)
            return rc;
        if (tsrec__json_len(pipe) != 1)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "FeaturizationPipeline of '%s' must hold exactly one method",
                               attr);
        const tsrec__json *meth = tsrec__json_at(pipe, 0);
        if ((rc = want_type(r->eh, meth, TSREC__JSON_OBJECT, "FeaturizationPipeline entry")) !=
            TSREC_OK)
            return rc;
        for (int64_t i = 0; i < meth->u.obj.n; i++) {
            const tsrec__json_member *m = &meth->u.obj.items[i];
            if (strcmp(m->key, "FeaturizationMethodName") == 0) {
                const char *s;
                size_t l;
                if ((rc = tsrec__json_as_string(&m->value, r->eh, m->key, &s, &l)) != TSREC_OK)
                    return rc;
                if (strcmp(s, "filling") != 0)
                    return tsrec__fail(r->eh, TSREC_E_UNKNOWN_NAME,
                                       "FeaturizationMethodName '%s' is unknown (AWS has "
                                       "\"filling\")",
                                       s);
            } else if (strcmp(m->key, "FeaturizationMethodParameters") == 0) {
                params = &m->value;
            } else {
                return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                                   "unknown key 'FeaturizationPipeline.%s'", m->key);
            }
        }
    }
    if (is_target)
        return fill_params(r, params, &c->fill, attr);
    /* Related features are not used by ETS/NPTS, but featurization fills
     * them (AWS requires their filling when data is missing). */
    if (c->n_related >= 50)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG, "too many Featurizations");
    for (int32_t i = 0; i < c->n_related; i++)
        if (strcmp(c->related_names[i], attr) == 0)
            return tsrec__fail(r->eh, TSREC_E_DUPLICATE, "Featurizations: '%s' given twice",
                               attr);
    tsrec__fill_config_related(&c->related[c->n_related]);
    rc = fill_params(r, params, &c->related[c->n_related], attr);
    if (rc != TSREC_OK)
        return rc;
    if ((c->related_names[c->n_related] = tsrec__strdup(r->ctx, attr)) == NULL)
        return tsrec__fail(r->eh, TSREC_E_NOMEM, "out of memory for Featurizations");
    c->n_related++;
    return TSREC_OK;
}

static int parse_featurization_config(req *r)
{
    tsrec__predictor_config *c = r->cfg;
    if (r->feat == NULL)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                           "FeaturizationConfig (with ForecastFrequency) is required");
    int rc = want_type(r->eh, r->feat, TSREC__JSON_OBJECT, "FeaturizationConfig");
    if (rc != TSREC_OK)
        return rc;
    const tsrec__json *freq = NULL, *dims = NULL, *feats = NULL;
    for (int64_t i = 0; i < r->feat->u.obj.n; i++) {
        const tsrec__json_member *m = &r->feat->u.obj.items[i];
        if (strcmp(m->key, "ForecastFrequency") == 0)
            freq = &m->value;
        else if (strcmp(m->key, "ForecastDimensions") == 0)
            dims = &m->value;
        else if (strcmp(m->key, "Featurizations") == 0)
            feats = &m->value;
        else
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "unknown key 'FeaturizationConfig.%s'", m->key);
    }
    if (freq == NULL)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                           "FeaturizationConfig.ForecastFrequency is required");
    const char *s;
    size_t len;
    if ((rc = tsrec__json_as_string(freq, r->eh, "ForecastFrequency", &s, &len)) != TSREC_OK ||
        (rc = tsrec__freq_parse(s, len, &c->freq, r->eh)) != TSREC_OK)
        return rc;
    /* ForecastFrequency >= DataFrequency (a higher code is finer). */
    if (r->tts->data_frequency != 0 && c->freq > r->tts->data_frequency)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                           "ForecastFrequency %s is finer than the data frequency %s",
                           tsrec__freq_name(c->freq), tsrec__freq_name(r->tts->data_frequency));
    /* Dimensions: a series is an item id plus the listed dimension fields;
     * the target is aggregated over the unlisted ones (featurize.c). */
    if (dims != NULL) {
        if ((rc = want_type(r->eh, dims, TSREC__JSON_ARRAY, "ForecastDimensions")) != TSREC_OK)
            return rc;
        int64_t n = tsrec__json_len(dims);
        if (n > TSREC__MAX_FORECAST_DIMS)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "ForecastDimensions may list at most 10 fields");
        for (int64_t i = 0; i < n; i++) {
            if ((rc = tsrec__json_as_string(tsrec__json_at(dims, i), r->eh,
                                            "ForecastDimensions entry", &s, &len)) != TSREC_OK)
                return rc;
            int64_t f = tsrec__schema_find(r->tts->schema, s);
            if (f < 0 || r->tts->roles[f] != TSREC__ROLE_DIMENSION)
                return tsrec__fail(r->eh, TSREC_E_UNKNOWN_NAME,
                                   "ForecastDimensions: '%s' is not a string dimension of "
                                   "dataset '%s'",
                                   s, r->tts->name);
            for (int32_t j = 0; j < c->n_fdims; j++)
                if (strcmp(c->fdims[j], s) == 0)
                    return tsrec__fail(r->eh, TSREC_E_DUPLICATE,
                                       "ForecastDimensions lists '%s' twice", s);
            c->fdims[c->n_fdims] = tsrec__strdup(r->ctx, s);
            if (c->fdims[c->n_fdims] == NULL)
                return tsrec__fail(r->eh, TSREC_E_NOMEM, "out of memory for ForecastDimensions");
            c->n_fdims++;
        }
    }
    if (feats != NULL) {
        if ((rc = want_type(r->eh, feats, TSREC__JSON_ARRAY, "Featurizations")) != TSREC_OK)
            return rc;
        if (tsrec__json_len(feats) > 50)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "Featurizations may hold at most 50 entries");
        for (int64_t i = 0; i < tsrec__json_len(feats); i++)
            if ((rc = parse_featurization(r, tsrec__json_at(feats, i))) != TSREC_OK)
                return rc;
    }
    return TSREC_OK;
}

/* AutoML's candidates: AutoMLCandidates (libtsrec extension) validated
 * against the registry, or every TSREC__ALGO_AUTOML algorithm. Kept in
 * registry order so the evaluation (and a tie's winner) does not depend on
 * the order the request lists them. */
static int parse_candidates(req *r)
{
    tsrec__predictor_config *c = r->cfg;
    int64_t n_all = 0;
    const tsrec__forecast_algo *const *all = tsrec__forecast_algos(&n_all);
    uint8_t want[TSREC__MAX_AUTOML_CANDIDATES];
    if (n_all > TSREC__MAX_AUTOML_CANDIDATES)
        return tsrec__fail(r->eh, TSREC_E_UNSUPPORTED, "AutoML: more than %d registered algorithms",
                           TSREC__MAX_AUTOML_CANDIDATES);
    for (int64_t i = 0; i < n_all; i++)
        want[i] = r->candidates == NULL && (all[i]->flags & TSREC__ALGO_AUTOML) != 0;
    if (r->candidates != NULL) {
        int rc = want_type(r->eh, r->candidates, TSREC__JSON_ARRAY, "AutoMLCandidates");
        if (rc != TSREC_OK)
            return rc;
        int64_t n = tsrec__json_len(r->candidates);
        if (n < 1 || n > n_all)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "AutoMLCandidates must list 1 to %lld algorithms, not %lld",
                               (long long)n_all, (long long)n);
        for (int64_t i = 0; i < n; i++) {
            const char *s;
            size_t len;
            if ((rc = tsrec__json_as_string(tsrec__json_at(r->candidates, i), r->eh,
                                            "AutoMLCandidates entry", &s, &len)) != TSREC_OK)
                return rc;
            const tsrec__forecast_algo *a = tsrec__forecast_algo_find(s);
            int64_t k = 0;
            while (a != NULL && all[k] != a)
                k++;
            if (a == NULL)
                return tsrec__fail(r->eh, TSREC_E_UNKNOWN_NAME,
                                   "AutoMLCandidates: '%s' is not an available algorithm (ETS, "
                                   "NPTS, Naive, SeasonalNaive, Theta)",
                                   s);
            if (want[k])
                return tsrec__fail(r->eh, TSREC_E_DUPLICATE,
                                   "AutoMLCandidates lists '%s' twice", a->name);
            want[k] = 1;
        }
    }
    c->n_candidates = 0;
    for (int64_t i = 0; i < n_all; i++)
        if (want[i])
            c->candidates[c->n_candidates++] = all[i];
    return TSREC_OK;
}

static int parse_flag(req *r, const tsrec__json *v, const char *what, int32_t *out)
{
    *out = 0;
    return v == NULL ? TSREC_OK : tsrec__json_as_bool(v, r->eh, what, out);
}

static int parse_top(req *r, const tsrec__json *root)
{
    tsrec__predictor_config *c = r->cfg;
    int rc = want_type(r->eh, root, TSREC__JSON_OBJECT, "the CreatePredictor request");
    if (rc != TSREC_OK)
        return rc;
    const tsrec__json *name = NULL, *input = NULL;
    for (int64_t i = 0; i < root->u.obj.n; i++) {
        const tsrec__json_member *m = &root->u.obj.items[i];
        const tsrec__json *v = &m->value;
        if (strcmp(m->key, "PredictorName") == 0)
            name = v;
        else if (strcmp(m->key, "AlgorithmArn") == 0)
            r->algorithm = v;
        else if (strcmp(m->key, "ForecastHorizon") == 0)
            r->horizon = v;
        else if (strcmp(m->key, "ForecastTypes") == 0)
            r->types = v;
        else if (strcmp(m->key, "PerformAutoML") == 0)
            r->automl = v;
        else if (strcmp(m->key, "PerformHPO") == 0)
            r->hpo = v;
        else if (strcmp(m->key, "TrainingParameters") == 0)
            r->train = v;
        else if (strcmp(m->key, "EvaluationParameters") == 0)
            r->eval = v;
        else if (strcmp(m->key, "FeaturizationConfig") == 0)
            r->feat = v;
        else if (strcmp(m->key, "InputDataConfig") == 0)
            input = v;
        else if (strcmp(m->key, "OptimizationMetric") == 0)
            r->metric = v;
        else if (strcmp(m->key, "AutoMLOverrideStrategy") == 0)
            r->override = v;
        else if (strcmp(m->key, "AutoMLCandidates") == 0)
            r->candidates = v;
        else if (strcmp(m->key, "EncryptionConfig") != 0 && strcmp(m->key, "Tags") != 0)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "unknown key '%s' in the CreatePredictor request", m->key);
    }
    const char *s;
    size_t len;
    if (name == NULL)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG, "PredictorName is required");
    if ((rc = tsrec__json_as_string(name, r->eh, "PredictorName", &s, &len)) != TSREC_OK ||
        (rc = tsrec__check_resource_name(r->eh, "PredictorName", s, len)) != TSREC_OK)
        return rc;
    memcpy(c->name, s, len);
    c->name[len] = '\0';
    if ((rc = parse_flag(r, r->automl, "PerformAutoML", &c->automl)) != TSREC_OK)
        return rc;
    int32_t hpo = 0;
    if ((rc = parse_flag(r, r->hpo, "PerformHPO", &hpo)) != TSREC_OK)
        return rc;
    if (hpo)
        return tsrec__fail(r->eh, TSREC_E_UNSUPPORTED,
                           "PerformHPO: AWS offers HPO only for Deep_AR_Plus and CNN-QR");
    if (c->automl && r->algorithm != NULL)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                           "AlgorithmArn and PerformAutoML are mutually exclusive");
    if (!c->automl && r->algorithm == NULL)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                           "AlgorithmArn is required unless PerformAutoML is true");
    if (!c->automl && r->override != NULL)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                           "AutoMLOverrideStrategy requires PerformAutoML");
    if (!c->automl && r->candidates != NULL)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG, "AutoMLCandidates requires PerformAutoML");
    if (c->automl && (rc = parse_candidates(r)) != TSREC_OK)
        return rc;
    if (r->override != NULL) {
        if ((rc = tsrec__json_as_string(r->override, r->eh, "AutoMLOverrideStrategy", &s,
                                        &len)) != TSREC_OK)
            return rc;
        if (strcmp(s, "LatencyOptimized") != 0 && strcmp(s, "AccuracyOptimized") != 0)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "AutoMLOverrideStrategy must be LatencyOptimized or "
                               "AccuracyOptimized");
    }
    if (r->algorithm != NULL) {
        if ((rc = tsrec__json_as_string(r->algorithm, r->eh, "AlgorithmArn", &s, &len)) !=
            TSREC_OK)
            return rc;
        c->algo = tsrec__forecast_algo_find(s);
        if (c->algo == NULL)
            return tsrec__fail(r->eh, TSREC_E_UNKNOWN_NAME,
                               "AlgorithmArn '%s' is not an available algorithm (ETS, NPTS, "
                               "or the baselines Naive, SeasonalNaive, Theta)",
                               s);
    }
    if (r->metric != NULL) {
        if ((rc = tsrec__json_as_string(r->metric, r->eh, "OptimizationMetric", &s, &len)) !=
            TSREC_OK)
            return rc;
        static const char *const metrics[] = {"AverageWeightedQuantileLoss", "WAPE", "RMSE",
                                              "MAPE", "MASE"};
        int found = 0;
        for (int i = 0; i < 5; i++)
            if (strcmp(s, metrics[i]) == 0)
                found = 1;
        if (!found)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG,
                               "OptimizationMetric '%s' must be AverageWeightedQuantileLoss, "
                               "WAPE, RMSE, MAPE or MASE",
                               s);
        snprintf(c->opt_metric, sizeof c->opt_metric, "%s", s);
    }
    if (r->horizon == NULL)
        return tsrec__fail(r->eh, TSREC_E_INVALID_ARG, "ForecastHorizon is required");
    if ((rc = tsrec__json_as_int64(r->horizon, r->eh, "ForecastHorizon", &c->horizon)) !=
        TSREC_OK)
        return rc;
    if (c->horizon < 1 || c->horizon > TSREC__MAX_HORIZON)
        return tsrec__fail(r->eh, TSREC_E_OUT_OF_RANGE,
                           "ForecastHorizon must be 1 to 500, not %lld", (long long)c->horizon);
    if (input != NULL && (rc = want_type(r->eh, input, TSREC__JSON_OBJECT,
                                         "InputDataConfig")) != TSREC_OK)
        return rc;
    for (int64_t i = 0; input != NULL && i < input->u.obj.n; i++) {
        const char *k = input->u.obj.items[i].key;
        if (strcmp(k, "SupplementaryFeatures") == 0)
            return tsrec__fail(r->eh, TSREC_E_UNSUPPORTED,
                               "InputDataConfig.SupplementaryFeatures (holidays, weather) are "
                               "not used by ETS or NPTS and not implemented");
        if (strcmp(k, "DatasetGroupArn") != 0)
            return tsrec__fail(r->eh, TSREC_E_INVALID_ARG, "unknown key 'InputDataConfig.%s'",
                               k);
    }
    if ((rc = parse_types(r)) != TSREC_OK || (rc = parse_eval(r)) != TSREC_OK ||
        (rc = parse_featurization_config(r)) != TSREC_OK || (rc = parse_train(r)) != TSREC_OK)
        return rc;
    return TSREC_OK;
}

void tsrec__predictor_featurize_spec(const tsrec__predictor_config *cfg,
                                     tsrec__featurize_spec *spec)
{
    memset(spec, 0, sizeof(*spec));
    spec->freq = cfg->freq;
    spec->horizon = cfg->horizon;
    spec->target = cfg->fill;
    spec->n_related_cfg = cfg->n_related;
    spec->related_names = (const char *const *)cfg->related_names;
    spec->related_cfgs = cfg->related;
    spec->dims_listed = 1;
    spec->n_dims = cfg->n_fdims;
    spec->dims = (const char *const *)cfg->fdims;
}

void tsrec__predictor_config_free(tsrec_ctx *ctx, tsrec__predictor_config *cfg)
{
    if (cfg == NULL)
        return;
    tsrec__params_free(cfg->params);
    for (int32_t i = 0; i < cfg->n_fdims; i++)
        tsrec__free(ctx, cfg->fdims[i]);
    for (int32_t i = 0; i < cfg->n_related; i++)
        tsrec__free(ctx, cfg->related_names[i]);
    memset(cfg, 0, sizeof(*cfg));
}

int tsrec__predictor_request_parse(tsrec_ctx *ctx, tsrec__handle *eh,
                                   const tsrec_dataset_group *g, const char *json, size_t len,
                                   tsrec__predictor_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->opt_metric, sizeof cfg->opt_metric, "%s", "AverageWeightedQuantileLoss");
    tsrec__fill_config_target(&cfg->fill);
    if (json == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "CreatePredictor: NULL request");
    const tsrec_dataset *tts = target_dataset(g);
    if (tts == NULL)
        return tsrec__fail(eh, TSREC_E_EMPTY, "dataset group '%s' has no TARGET_TIME_SERIES "
                                              "dataset",
                           g->name);
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(ctx, eh, json, len, 0, &doc);
    if (rc != TSREC_OK)
        return rc;
    req r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.eh = eh;
    r.g = g;
    r.tts = tts;
    r.cfg = cfg;
    rc = parse_top(&r, tsrec__json_root(doc));
    tsrec__json_free(doc);
    if (rc != TSREC_OK) {
        tsrec__predictor_config_free(ctx, cfg);
        return rc;
    }
    return TSREC_OK;
}

int tsrec__config_check_len(const tsrec__predictor_config *cfg, tsrec__handle *eh,
                            int64_t n_time)
{
    int64_t limit = cfg->automl ? n_time / 3 : n_time - 1;
    if (limit > TSREC__MAX_HORIZON)
        limit = TSREC__MAX_HORIZON;
    if (cfg->horizon > limit)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "ForecastHorizon %lld is too long for %lld periods of target data: "
                           "at most %lld (%s)",
                           (long long)cfg->horizon, (long long)n_time, (long long)limit,
                           cfg->automl ? "min(500, 1/3 of the length) with AutoML"
                                       : "min(500, length - 1)");
    /* ForecastHorizon <= offset < length / 2 (exact: 2 offset < length). */
    if (2 * cfg->offset >= n_time)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "BackTestWindowOffset %lld must be less than half the target "
                           "length (%lld periods)",
                           (long long)cfg->offset, (long long)n_time);
    int64_t first_split = n_time - cfg->offset - (int64_t)(cfg->n_windows - 1) * cfg->horizon;
    if (first_split < 1)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "%d backtest windows of %lld periods with offset %lld need more "
                           "than %lld periods of target data",
                           (int)cfg->n_windows, (long long)cfg->horizon, (long long)cfg->offset,
                           (long long)n_time);
    return TSREC_OK;
}
