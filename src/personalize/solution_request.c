/* CreateSolution request parsing (aws-surface.md B1, B4).
 *
 * Accepted keys: name (required), recipeArn (required; the ARN
 * arn:aws:personalize:::recipe/NAME or the bare NAME), datasetGroupArn
 * (not checked: the group is the handle), eventType, performHPO and
 * performAutoML (false only: HPO and AutoML are not offered),
 * performAutoTraining and performIncrementalUpdate (accepted, no effect:
 * there is no scheduler), tags (accepted) and solutionConfig with
 *  - eventValueThreshold: a string holding a number (AWS takes a string);
 *  - algorithmHyperParameters: string -> string map checked against the
 *    recipe's parameter table (unknown names refused with a hint);
 *  - minimumsCheck: "on" (default) or "off" -- a libtsrec extension, not
 *    an AWS key: "off" skips the AWS training minimums (1000 interactions,
 *    25 users with >= 2 interactions) so tests and demos can train on
 *    small data. AWS itself always applies them.
 * Anything else is TSREC_E_INVALID_ARG naming the key. */
#include <math.h>
#include <string.h>

#include "import_internal.h"
#include "personalize_internal.h"

void tsrec__solution_config_free(tsrec_ctx *ctx, tsrec__solution_config *cfg)
{
    tsrec__free(ctx, cfg->event_type);
    tsrec__params_free(cfg->params);
    memset(cfg, 0, sizeof(*cfg));
}

static int want_false(tsrec__handle *eh, const tsrec__json *v, const char *key)
{
    int32_t b = 0;
    int rc = tsrec__json_as_bool(v, eh, key, &b);
    if (rc != TSREC_OK)
        return rc;
    if (b)
        return tsrec__fail(eh, TSREC_E_UNSUPPORTED, "%s true is not supported by libtsrec", key);
    return TSREC_OK;
}

static int parse_hyper(tsrec__handle *eh, const tsrec__json *hp, tsrec__solution_config *cfg)
{
    int rc = tsrec__pz_want_object(eh, hp, "solutionConfig.algorithmHyperParameters");
    if (rc != TSREC_OK)
        return rc;
    for (int64_t i = 0; i < hp->u.obj.n; i++) {
        const tsrec__json_member *m = &hp->u.obj.items[i];
        const char *s;
        size_t len;
        if (tsrec__params_find(cfg->params, m->key) < 0) {
            const char *hint = tsrec__param_closest(cfg->recipe->params, cfg->recipe->n_params,
                                                    m->key, m->key_len);
            return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                               "unknown hyperparameter '%s' for recipe %s%s%s%s", m->key,
                               cfg->recipe->name, hint ? " (did you mean '" : "",
                               hint ? hint : "", hint ? "'?)" : "");
        }
        rc = tsrec__json_as_string(&m->value, eh, m->key, &s, &len);
        if (rc != TSREC_OK)
            return tsrec__fail(eh, TSREC_E_BAD_TYPE,
                               "algorithmHyperParameters.%s must be a string (AWS maps "
                               "strings to strings)",
                               m->key);
        rc = tsrec__params_set(cfg->params, eh, m->key, s);
        if (rc != TSREC_OK)
            return rc;
    }
    return TSREC_OK;
}

static int parse_config(tsrec__handle *eh, const tsrec__json *sc, tsrec__solution_config *cfg)
{
    int rc = tsrec__pz_want_object(eh, sc, "solutionConfig");
    if (rc != TSREC_OK)
        return rc;
    for (int64_t i = 0; i < sc->u.obj.n; i++) {
        const tsrec__json_member *m = &sc->u.obj.items[i];
        const char *s;
        size_t len;
        if (strcmp(m->key, "eventValueThreshold") == 0) {
            rc = tsrec__json_as_string(&m->value, eh, "solutionConfig.eventValueThreshold", &s,
                                       &len);
            if (rc != TSREC_OK)
                return rc;
            double t = 0.0;
            if (len > 256 || tsrec__parse_f64(s, len, &t) != TSREC__PARSE_OK || !isfinite(t))
                return tsrec__fail(eh, TSREC_E_BAD_TYPE,
                                   "solutionConfig.eventValueThreshold '%.*s' is not a number",
                                   (int)(len > 40 ? 40 : len), s);
            cfg->threshold = t;
        } else if (strcmp(m->key, "algorithmHyperParameters") == 0) {
            rc = parse_hyper(eh, &m->value, cfg);
            if (rc != TSREC_OK)
                return rc;
        } else if (strcmp(m->key, "minimumsCheck") == 0) {
            rc = tsrec__json_as_string(&m->value, eh, "solutionConfig.minimumsCheck", &s, &len);
            if (rc != TSREC_OK)
                return rc;
            if (len == 2 && memcmp(s, "on", 2) == 0)
                cfg->minimums_check = 1;
            else if (len == 3 && memcmp(s, "off", 3) == 0)
                cfg->minimums_check = 0;
            else
                return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                   "solutionConfig.minimumsCheck must be \"on\" or \"off\"");
        } else {
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "unknown or unsupported key 'solutionConfig.%s'", m->key);
        }
    }
    return TSREC_OK;
}

static int parse_doc(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__json *root, char **out_name,
                     tsrec__solution_config *cfg)
{
    int rc = tsrec__pz_want_object(eh, root, "CreateSolution request");
    if (rc != TSREC_OK)
        return rc;
    const tsrec__json *name = tsrec__json_get(root, "name");
    const tsrec__json *recipe = tsrec__json_get(root, "recipeArn");
    const char *s;
    size_t len;
    if (name == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "CreateSolution: 'name' is required");
    if ((rc = tsrec__json_as_string(name, eh, "name", &s, &len)) != TSREC_OK)
        return rc;
    if ((rc = tsrec__pz_check_name(eh, "solution name", s, len)) != TSREC_OK)
        return rc;
    if ((*out_name = tsrec__pz_strndup(ctx, s, len)) == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "CreateSolution: out of memory");
    if (recipe == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "CreateSolution: 'recipeArn' is required (performAutoML is not "
                           "supported)");
    if ((rc = tsrec__json_as_string(recipe, eh, "recipeArn", &s, &len)) != TSREC_OK)
        return rc;
    cfg->recipe = tsrec__recipe_find(s, len);
    if (cfg->recipe == NULL)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "unknown recipe '%.*s' (libtsrec has aws-popularity-count and "
                           "aws-sims)",
                           (int)(len > 100 ? 100 : len), s);
    rc = tsrec__params_new(ctx, eh, cfg->recipe->params, cfg->recipe->n_params, &cfg->params);
    if (rc != TSREC_OK)
        return rc;
    for (int64_t i = 0; i < root->u.obj.n; i++) {
        const tsrec__json_member *m = &root->u.obj.items[i];
        const char *k = m->key;
        if (strcmp(k, "name") == 0 || strcmp(k, "recipeArn") == 0)
            continue;
        if (strcmp(k, "datasetGroupArn") == 0) {
            rc = tsrec__json_as_string(&m->value, eh, k, &s, &len);
        } else if (strcmp(k, "eventType") == 0) {
            rc = tsrec__json_as_string(&m->value, eh, k, &s, &len);
            if (rc == TSREC_OK && (len < 1 || len > TSREC__MAX_ID))
                rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "eventType must be 1-256 characters");
            if (rc == TSREC_OK && (cfg->event_type = tsrec__pz_strndup(ctx, s, len)) == NULL)
                rc = tsrec__fail(eh, TSREC_E_NOMEM, "CreateSolution: out of memory");
        } else if (strcmp(k, "performHPO") == 0 || strcmp(k, "performAutoML") == 0) {
            rc = want_false(eh, &m->value, k);
        } else if (strcmp(k, "performAutoTraining") == 0 ||
                   strcmp(k, "performIncrementalUpdate") == 0) {
            int32_t b;
            rc = tsrec__json_as_bool(&m->value, eh, k, &b);
        } else if (strcmp(k, "tags") == 0) {
            if (tsrec__json_type(&m->value) != TSREC__JSON_ARRAY)
                rc = tsrec__fail(eh, TSREC_E_BAD_TYPE, "tags must be a JSON array");
        } else if (strcmp(k, "solutionConfig") == 0) {
            rc = parse_config(eh, &m->value, cfg);
        } else {
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "unknown or unsupported key '%s'", k);
        }
        if (rc != TSREC_OK)
            return rc;
    }
    return TSREC_OK;
}

int tsrec__solution_config_parse(tsrec_ctx *ctx, tsrec__handle *eh, const char *json, size_t len,
                                 char **out_name, tsrec__solution_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->threshold = NAN;
    cfg->minimums_check = 1;
    *out_name = NULL;
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(ctx, eh, json, len, 0, &doc);
    if (rc == TSREC_OK)
        rc = parse_doc(ctx, eh, tsrec__json_root(doc), out_name, cfg);
    tsrec__json_free(doc);
    if (rc != TSREC_OK) {
        tsrec__free(ctx, *out_name);
        *out_name = NULL;
        tsrec__solution_config_free(ctx, cfg);
    }
    return rc;
}
