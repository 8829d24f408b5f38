/* Loading predictors (include/tsrec/io.h): the reader of the payload
 * predictor_save.c writes (its comment describes the layout). Nothing in
 * the file is trusted: every count is checked against its limit and the
 * bytes left, names against the registry and the group, enum values and
 * windows against the configuration, and the group's data against the
 * saved fingerprint (TSREC_E_SCHEMA when they differ). Any other failure is
 * TSREC_E_FORMAT; everything is freed and the error recorded on the
 * group. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "container_internal.h"
#include "data_internal.h"
#include "params_internal.h"
#include "predictor_internal.h"
#include "time_internal.h"

typedef struct loader {
    tsrec_ctx *ctx;
    tsrec__handle *eh;
    tsrec_dataset_group *g;
    tsrec__rbuf r;
} loader;

static int corrupt(loader *L, const char *what)
{
    return tsrec__fail(L->eh, TSREC_E_FORMAT, "predictor file: %s", what);
}

/* Record `status` with `prefix` and the message a checker just left on the
 * group (copied first: the message buffer is also the destination). */
static int refail(loader *L, int status, const char *prefix)
{
    char msg[TSREC__ERRMSG_MAX];
    memcpy(msg, L->eh->errmsg, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    return tsrec__fail(L->eh, status, "%s: %s", prefix, msg);
}

/* Read a string into *out (NULL is a format error unless allow_null). */
static int get_str(loader *L, char **out, int allow_null, const char *what)
{
    int rc = tsrec__rbuf_str(&L->r, L->ctx, out);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(L->eh, rc, "out of memory loading a predictor");
    if (rc != TSREC_OK || (*out == NULL && !allow_null)) {
        return corrupt(L, what);
    }
    return TSREC_OK;
}

/* A string into a fixed buffer (NUL included in cap). */
static int get_fixed(loader *L, char *buf, size_t cap, const char *what)
{
    if (tsrec__rbuf_str_into(&L->r, buf, cap) != TSREC_OK)
        return corrupt(L, what);
    return TSREC_OK;
}

static int get_fill(loader *L, tsrec__fill_config *c, int32_t related, const char *attr)
{
    c->related = tsrec__rbuf_i32(&L->r);
    c->aggregation = tsrec__rbuf_i32(&L->r);
    for (int r = 0; r < TSREC__N_REGIONS; r++)
        c->method[r] = tsrec__rbuf_i32(&L->r);
    for (int r = 0; r < TSREC__N_REGIONS; r++)
        c->value[r] = tsrec__rbuf_f64(&L->r);
    if (L->r.failed || c->related != related)
        return corrupt(L, "bad filling configuration");
    if (tsrec__fill_config_check(c, L->eh, attr) != TSREC_OK)
        return refail(L, TSREC_E_FORMAT, "predictor file");
    return TSREC_OK;
}

/* An algorithm by its registered name. */
static const tsrec__forecast_algo *get_algo(loader *L, int *rc)
{
    char name[64];
    if ((*rc = get_fixed(L, name, sizeof name, "bad algorithm name")) != TSREC_OK)
        return NULL;
    const tsrec__forecast_algo *a = tsrec__forecast_algo_find(name);
    if (a == NULL)
        *rc = tsrec__fail(L->eh, TSREC_E_FORMAT,
                          "predictor file: algorithm '%s' is not available in this build", name);
    return a;
}

static const tsrec_dataset *group_dataset(const tsrec_dataset_group *g, int32_t type)
{
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++)
        if (g->datasets[i] != NULL && g->datasets[i]->type == type)
            return g->datasets[i];
    return NULL;
}

/* Is `name` a field of ds with the given role? */
static int has_field(const tsrec_dataset *ds, const char *name, int32_t role)
{
    int64_t f = ds != NULL ? tsrec__schema_find(ds->schema, name) : -1;
    return f >= 0 && ds->roles[f] == role;
}

static int get_candidates(loader *L, tsrec__predictor_config *c)
{
    int64_t n_all = 0;
    const tsrec__forecast_algo *const *all = tsrec__forecast_algos(&n_all);
    int64_t n = tsrec__rbuf_i64(&L->r);
    if (n < 0 || n > TSREC__MAX_AUTOML_CANDIDATES || (c->automl ? n < 1 : n != 0))
        return corrupt(L, "bad AutoML candidate count");
    int64_t last = -1;
    for (int64_t i = 0; i < n; i++) {
        int rc;
        const tsrec__forecast_algo *a = get_algo(L, &rc);
        if (a == NULL)
            return rc;
        int64_t k = 0;
        while (k < n_all && all[k] != a)
            k++;
        /* The parser keeps candidates in registry order, once each. */
        if (k <= last)
            return corrupt(L, "AutoML candidates out of order");
        last = k;
        c->candidates[c->n_candidates++] = a;
    }
    return TSREC_OK;
}

static int get_types(loader *L, tsrec__predictor_config *c)
{
    int64_t n = tsrec__rbuf_i64(&L->r);
    if (n < 1 || n > TSREC__MAX_FORECAST_TYPES)
        return corrupt(L, "bad forecast type count");
    for (int64_t i = 0; i < n; i++) {
        char text[8];
        int rc = get_fixed(L, text, sizeof text, "bad forecast type");
        if (rc == TSREC_OK && tsrec__ftype_parse(L->eh, text, strlen(text), &c->types[i]) !=
                                  TSREC_OK)
            rc = corrupt(L, "bad forecast type");
        for (int64_t j = 0; rc == TSREC_OK && j < i; j++)
            if (strcmp(c->types[j].name, c->types[i].name) == 0)
                rc = corrupt(L, "a forecast type is listed twice");
        if (rc != TSREC_OK)
            return rc;
    }
    c->n_types = (int32_t)n;
    c->nq = 0;
    for (int32_t i = 0; i < c->n_types; i++)
        if (!isnan(c->types[i].q))
            c->q[c->nq++] = c->types[i].q;
    return TSREC_OK;
}

static int get_config(loader *L, tsrec__predictor_config *c)
{
    static const char *const metrics[] = {"AverageWeightedQuantileLoss", "WAPE", "RMSE", "MAPE",
                                          "MASE"};
    const tsrec_dataset *tts = group_dataset(L->g, TSREC__DS_TARGET_TIME_SERIES);
    const tsrec_dataset *rts = group_dataset(L->g, TSREC__DS_RELATED_TIME_SERIES);
    if (tts == NULL)
        return tsrec__fail(L->eh, TSREC_E_SCHEMA,
                           "dataset group '%s' has no TARGET_TIME_SERIES dataset: it is not "
                           "the predictor's group",
                           L->g->name);
    int rc = get_fixed(L, c->name, sizeof c->name, "bad predictor name");
    if (rc != TSREC_OK)
        return rc;
    if (tsrec__check_resource_name(L->eh, "PredictorName", c->name, strlen(c->name)) != TSREC_OK)
        return corrupt(L, "bad predictor name");
    c->automl = tsrec__rbuf_i32(&L->r);
    c->freq = tsrec__rbuf_i32(&L->r);
    if (L->r.failed || (c->automl != 0 && c->automl != 1) || !tsrec__freq_valid(c->freq))
        return corrupt(L, "bad AutoML flag or forecast frequency");
    char *algo = NULL;
    if ((rc = get_str(L, &algo, 1, "bad algorithm name")) != TSREC_OK)
        return rc;
    if (algo != NULL) {
        c->algo = tsrec__forecast_algo_find(algo);
        if (c->algo == NULL)
            rc = tsrec__fail(L->eh, TSREC_E_FORMAT,
                             "predictor file: algorithm '%s' is not available in this build",
                             algo);
        tsrec__free(L->ctx, algo);
        if (rc != TSREC_OK)
            return rc;
    }
    if ((c->algo == NULL) != (c->automl == 1))
        return corrupt(L, "an algorithm must be given unless AutoML is used");
    if ((rc = get_candidates(L, c)) != TSREC_OK)
        return rc;
    c->horizon = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || c->horizon < 1 || c->horizon > TSREC__MAX_HORIZON)
        return corrupt(L, "bad forecast horizon");
    if ((rc = get_types(L, c)) != TSREC_OK)
        return rc;
    c->n_windows = tsrec__rbuf_i32(&L->r);
    c->offset = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || c->n_windows < 1 || c->n_windows > TSREC__MAX_BACKTEST_WINDOWS ||
        c->offset < c->horizon || c->offset > INT32_MAX)
        return corrupt(L, "bad backtest windows or offset");
    if ((rc = get_fill(L, &c->fill, 0, "target")) != TSREC_OK)
        return rc;
    if ((rc = get_fixed(L, c->opt_metric, sizeof c->opt_metric, "bad optimization metric")) !=
        TSREC_OK)
        return rc;
    int known = 0;
    for (int i = 0; i < 5; i++)
        known |= strcmp(c->opt_metric, metrics[i]) == 0;
    if (!known)
        return corrupt(L, "bad optimization metric");
    int64_t n_related = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || n_related < 0 || n_related > 50)
        return corrupt(L, "bad featurization count");
    for (int64_t i = 0; i < n_related; i++) {
        char *name = NULL;
        if ((rc = get_str(L, &name, 0, "bad featurization attribute")) != TSREC_OK)
            return rc;
        c->related_names[c->n_related++] = name;
        for (int32_t j = 0; j + 1 < c->n_related; j++)
            if (strcmp(c->related_names[j], name) == 0)
                return corrupt(L, "a featurization attribute is listed twice");
        if (!has_field(rts, name, TSREC__ROLE_OTHER))
            return tsrec__fail(L->eh, TSREC_E_SCHEMA,
                               "the predictor fills related feature '%s', which dataset group "
                               "'%s' does not have",
                               name, L->g->name);
        if ((rc = get_fill(L, &c->related[i], 1, name)) != TSREC_OK)
            return rc;
    }
    int64_t n_fdims = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || n_fdims < 0 || n_fdims > TSREC__MAX_FORECAST_DIMS)
        return corrupt(L, "bad ForecastDimensions count");
    for (int64_t i = 0; i < n_fdims; i++) {
        char *name = NULL;
        if ((rc = get_str(L, &name, 0, "bad ForecastDimensions entry")) != TSREC_OK)
            return rc;
        c->fdims[c->n_fdims++] = name;
        for (int32_t j = 0; j + 1 < c->n_fdims; j++)
            if (strcmp(c->fdims[j], name) == 0)
                return corrupt(L, "a ForecastDimension is listed twice");
        if (!has_field(tts, name, TSREC__ROLE_DIMENSION))
            return tsrec__fail(L->eh, TSREC_E_SCHEMA,
                               "the predictor forecasts by dimension '%s', which dataset '%s' "
                               "of group '%s' does not have",
                               name, tts->name, L->g->name);
    }
    return TSREC_OK;
}

/* Featurize the group with the loaded configuration and check it against
 * the saved fingerprint. */
static int check_data(loader *L, tsrec_predictor *p)
{
    tsrec__series_batch *b = &p->batch;
    tsrec__featurize_spec spec;
    tsrec__predictor_featurize_spec(&p->cfg, &spec);
    int rc = tsrec__featurize_group(b, L->g, L->eh, &spec);
    if (rc == TSREC_OK)
        rc = tsrec__config_check_len(&p->cfg, L->eh, b->n_time);
    if (rc == TSREC_E_NOMEM)
        return rc;
    if (rc != TSREC_OK) {
        char prefix[160];
        snprintf(prefix, sizeof prefix, "predictor '%s' does not fit dataset group '%s'",
                 p->cfg.name, L->g->name);
        return refail(L, TSREC_E_SCHEMA, prefix);
    }
    int32_t freq = tsrec__rbuf_i32(&L->r);
    int64_t t0 = tsrec__rbuf_i64(&L->r);
    int64_t n_time = tsrec__rbuf_i64(&L->r);
    int64_t n_series = tsrec__rbuf_count(&L->r, 8);
    int64_t n_dims = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || n_dims < 0 || n_dims > TSREC__MAX_FORECAST_DIMS)
        return corrupt(L, "bad data fingerprint");
    if (freq != b->freq || t0 != b->t0 || n_time != b->n_time || n_series != b->n_series ||
        n_dims != p->cfg.n_fdims)
        return tsrec__fail(L->eh, TSREC_E_SCHEMA,
                           "dataset group '%s' does not hold the data predictor '%s' was "
                           "trained on: the file has %lld series x %lld periods, the group "
                           "%lld x %lld (or another start or frequency)",
                           L->g->name, p->cfg.name, (long long)n_series, (long long)n_time,
                           (long long)b->n_series, (long long)b->n_time);
    tsrec__series_keys keys;
    if ((rc = tsrec__series_keys_build(L->ctx, L->eh, L->g, &p->cfg, b, &keys)) != TSREC_OK)
        return rc;
    for (int64_t s = 0; s < n_series && rc == TSREC_OK; s++) {
        for (int32_t d = -1; d < keys.n_dims && rc == TSREC_OK; d++) {
            char *v = NULL;
            rc = get_str(L, &v, 0, "bad series key");
            const char *want = d < 0 ? keys.items[s] : keys.dims[s * keys.n_dims + d];
            if (rc == TSREC_OK && strcmp(v, want) != 0)
                rc = tsrec__fail(L->eh, TSREC_E_SCHEMA,
                                 "dataset group '%s' does not hold the series predictor '%s' "
                                 "was trained on: series %lld is '%s' in the file, '%s' in "
                                 "the group",
                                 L->g->name, p->cfg.name, (long long)s, v, want);
            tsrec__free(L->ctx, v);
        }
    }
    tsrec__series_keys_free(L->ctx, &keys);
    if (rc != TSREC_OK)
        return rc;
    uint64_t h = (uint64_t)tsrec__rbuf_i64(&L->r);
    if (L->r.failed)
        return corrupt(L, "bad data fingerprint");
    if (h != tsrec__predictor_data_hash(b))
        return tsrec__fail(L->eh, TSREC_E_SCHEMA,
                           "the target values of dataset group '%s' differ from those "
                           "predictor '%s' was trained on (data changed since the save)",
                           L->g->name, p->cfg.name);
    return TSREC_OK;
}

static int get_metrics(loader *L, tsrec__metrics *m, int32_t nq, int64_t n_series)
{
    double *wql = NULL;
    int64_t n = 0;
    int rc = tsrec__rbuf_f64s(&L->r, L->ctx, &wql, &n);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(L->eh, rc, "out of memory loading a predictor");
    if (rc == TSREC_OK && n == nq)
        memcpy(m->wql, wql, (size_t)n * sizeof(double));
    tsrec__free(L->ctx, wql);
    if (rc != TSREC_OK || n != nq)
        return corrupt(L, "bad quantile loss count");
    m->nq = nq;
    m->avg_wql = tsrec__rbuf_f64(&L->r);
    m->wape = tsrec__rbuf_f64(&L->r);
    m->rmse = tsrec__rbuf_f64(&L->r);
    m->mape = tsrec__rbuf_f64(&L->r);
    m->mase = tsrec__rbuf_f64(&L->r);
    m->item_count = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || m->item_count < 0 || m->item_count > n_series)
        return corrupt(L, "bad metrics");
    /* Losses are never negative (NaN = undefined). */
    const double v[5] = {m->avg_wql, m->wape, m->rmse, m->mape, m->mase};
    for (int i = 0; i < 5; i++)
        if (v[i] < 0)
            return corrupt(L, "negative metric");
    for (int32_t k = 0; k < nq; k++)
        if (m->wql[k] < 0)
            return corrupt(L, "negative metric");
    return TSREC_OK;
}

static int get_params(loader *L, const tsrec__forecast_algo *a, tsrec__params **out)
{
    int rc = tsrec__params_new(L->ctx, L->eh, a->params, tsrec__algo_param_count(a), out);
    if (rc != TSREC_OK)
        return rc;
    int64_t n = tsrec__rbuf_count(&L->r, 17); /* name, flag, value: 17 bytes at least */
    if (L->r.failed)
        return corrupt(L, "bad hyperparameter count");
    for (int64_t i = 0; i < n && rc == TSREC_OK; i++) {
        char *name = NULL, *value = NULL;
        rc = get_str(L, &name, 0, "bad hyperparameter name");
        uint8_t set = tsrec__rbuf_u8(&L->r);
        if (rc == TSREC_OK)
            rc = get_str(L, &value, 0, "bad hyperparameter value");
        int64_t k = rc == TSREC_OK ? tsrec__params_find(*out, name) : -1;
        if (rc == TSREC_OK && (k < 0 || set > 1))
            rc = tsrec__fail(L->eh, TSREC_E_FORMAT,
                             "predictor file: %s has no hyperparameter '%s'", a->name, name);
        if (rc == TSREC_OK) {
            /* Set what was set, and anything whose default has changed
             * since the save, so results stay those of the saved run. */
            char cur[128];
            size_t len = 0;
            int same = tsrec__params_format(*out, L->eh, k, cur, sizeof cur, &len) == TSREC_OK &&
                       len < sizeof cur && strcmp(cur, value) == 0;
            int st = set || !same ? tsrec__params_set(*out, L->eh, name, value) : TSREC_OK;
            if (st == TSREC_E_NOMEM)
                rc = st;
            else if (st != TSREC_OK)
                rc = refail(L, TSREC_E_FORMAT, "predictor file");
        }
        tsrec__free(L->ctx, name);
        tsrec__free(L->ctx, value);
    }
    return rc;
}

/* A loaded array of exactly `want` elements, at least one allocated (the
 * backtest code indexes from these pointers even when nq is 0). */
static int get_f64s(loader *L, double **out, int64_t want, const char *what)
{
    int64_t n = 0;
    int rc = tsrec__rbuf_f64s(&L->r, L->ctx, out, &n);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(L->eh, rc, "out of memory loading a predictor");
    if (rc != TSREC_OK || n != want)
        return corrupt(L, what);
    if (*out == NULL && (*out = tsrec__calloc(L->ctx, 1, sizeof(double))) == NULL)
        return tsrec__fail(L->eh, TSREC_E_NOMEM, "out of memory loading a predictor");
    return TSREC_OK;
}

static int get_eval(loader *L, const tsrec_predictor *p, int32_t i, tsrec__algo_eval *e)
{
    const tsrec__predictor_config *c = &p->cfg;
    const int64_t n = p->batch.n_series, h = c->horizon, W = c->n_windows;
    int rc;
    e->algo = get_algo(L, &rc);
    if (e->algo == NULL)
        return rc;
    if (e->algo != (c->automl ? c->candidates[i] : c->algo))
        return corrupt(L, "the evaluated algorithms do not match the configuration");
    if ((rc = get_params(L, e->algo, &e->params)) != TSREC_OK)
        return rc;
    int64_t *split = NULL, n_split = 0;
    rc = tsrec__rbuf_i64s(&L->r, L->ctx, &split, &n_split);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(L->eh, rc, "out of memory loading a predictor");
    int ok = rc == TSREC_OK && n_split == W;
    for (int64_t w = 0; ok && w < W; w++) {
        e->split[w] = split[w];
        ok = split[w] == p->batch.n_time - c->offset - (W - 1 - w) * h;
    }
    tsrec__free(L->ctx, split);
    if (!ok)
        return corrupt(L, "bad backtest windows");
    e->n_windows = (int32_t)W;
    for (int64_t w = 0; w < W; w++)
        if ((rc = get_metrics(L, &e->win[w], c->nq, n)) != TSREC_OK)
            return rc;
    if ((rc = get_metrics(L, &e->summary, c->nq, n)) != TSREC_OK)
        return rc;
    int64_t n_inc = 0;
    rc = tsrec__rbuf_u8s(&L->r, L->ctx, &e->included, &n_inc);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(L->eh, rc, "out of memory loading a predictor");
    if (rc != TSREC_OK || n_inc != W * n)
        return corrupt(L, "bad backtest inclusion flags");
    for (int64_t w = 0; w < W; w++) {
        int64_t count = 0;
        for (int64_t s = 0; s < n; s++) {
            if (e->included[w * n + s] > 1)
                return corrupt(L, "bad backtest inclusion flags");
            count += e->included[w * n + s];
        }
        if (count != e->win[w].item_count)
            return corrupt(L, "backtest inclusion flags do not match the item count");
    }
    if ((rc = get_f64s(L, &e->mean, W * n * h, "bad backtest forecasts")) != TSREC_OK ||
        (rc = get_f64s(L, &e->qv, W * n * c->nq * h, "bad backtest forecasts")) != TSREC_OK)
        return rc;
    e->n_fell_back = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || e->n_fell_back < 0 || e->n_fell_back > W * n)
        return corrupt(L, "bad fallback count");
    return TSREC_OK;
}

static int get_predictor(loader *L, tsrec_predictor *p)
{
    int rc = get_config(L, &p->cfg);
    if (rc == TSREC_OK)
        rc = check_data(L, p);
    if (rc != TSREC_OK)
        return rc;
    int64_t n_evals = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || n_evals != (p->cfg.automl ? p->cfg.n_candidates : 1))
        return corrupt(L, "bad evaluated algorithm count");
    p->evals = tsrec__calloc(L->ctx, (size_t)n_evals, sizeof(tsrec__algo_eval));
    if (p->evals == NULL)
        return tsrec__fail(L->eh, TSREC_E_NOMEM, "out of memory loading a predictor");
    p->n_evals = (int32_t)n_evals; /* zeroed evals free cleanly */
    for (int32_t i = 0; i < p->n_evals && rc == TSREC_OK; i++)
        rc = get_eval(L, p, i, &p->evals[i]);
    if (rc != TSREC_OK)
        return rc;
    p->chosen = tsrec__rbuf_i32(&L->r);
    if (L->r.failed || p->chosen < 0 || p->chosen >= p->n_evals)
        return corrupt(L, "bad chosen algorithm");
    if (L->r.pos != L->r.len)
        return corrupt(L, "unexpected bytes after the predictor");
    return TSREC_OK;
}

static int load_payload(tsrec_dataset_group *group, tsrec__payload *pl,
                        tsrec_predictor **out_predictor)
{
    tsrec_ctx *ctx = group->hdr.ctx;
    tsrec__handle *eh = &group->hdr;
    tsrec_predictor *p = tsrec__calloc(ctx, 1, sizeof(*p));
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for a predictor");
    tsrec__handle_init(&p->hdr, TSREC__MAGIC_PREDICTOR, ctx);
    p->group = group;
    loader L = {.ctx = ctx, .eh = eh, .g = group};
    tsrec__rbuf_init(&L.r, pl->data, pl->len);
    int rc = get_predictor(&L, p);
    if (rc != TSREC_OK) {
        tsrec_predictor_free(p);
        return rc;
    }
    *out_predictor = p;
    return tsrec__ok(eh);
}

/* Checks shared by both loaders; TSREC_OK when loading may go on. */
static int load_check(tsrec_dataset_group *group, int have_src,
                      tsrec_predictor **out_predictor, const char *fn)
{
    if (out_predictor != NULL)
        *out_predictor = NULL;
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, fn, "tsrec_dataset_group");
    if (out_predictor == NULL || !have_src)
        return tsrec__fail(&group->hdr, TSREC_E_INVALID_ARG, "%s: NULL argument", fn);
    if (group->service != TSREC_SERVICE_FORECAST)
        return tsrec__fail(&group->hdr, TSREC_E_INVALID_ARG,
                           "dataset group '%s' is not a Forecast dataset group", group->name);
    return TSREC_OK;
}

/* From path, or through read(user) when path is NULL. */
static int load_any(tsrec_dataset_group *group, const char *path, tsrec_read_fn read,
                    void *user, tsrec_predictor **out_predictor)
{
    tsrec__payload pl;
    memset(&pl, 0, sizeof pl);
    int rc = tsrec__container_load_any(&group->hdr, group->hdr.ctx, TSREC_OBJECT_PREDICTOR,
                                       TSREC__PREDICTOR_STATE_VERSION, path, read, user, &pl);
    if (rc == TSREC_OK)
        rc = load_payload(group, &pl, out_predictor);
    tsrec__payload_free(&pl);
    return rc;
}

int tsrec_predictor_load(tsrec_dataset_group *group, const char *path,
                         tsrec_predictor **out_predictor)
{
    int rc = load_check(group, path != NULL, out_predictor, "tsrec_predictor_load");
    return rc == TSREC_OK ? load_any(group, path, NULL, NULL, out_predictor) : rc;
}

int tsrec_predictor_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user,
                              tsrec_predictor **out_predictor)
{
    int rc = load_check(group, read != NULL, out_predictor, "tsrec_predictor_load_from");
    return rc == TSREC_OK ? load_any(group, NULL, read, user, out_predictor) : rc;
}
