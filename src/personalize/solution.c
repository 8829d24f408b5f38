/* Solutions and solution versions: CreateSolution, CreateSolutionVersion
 * (training plus the offline evaluation of eval_internal.h) and
 * GetSolutionMetrics.
 *
 * Training (FULL): the interaction store is built from the group's
 * Interactions dataset with the solution's eventType and
 * eventValueThreshold (bulk and streamed events alike: PutEvents appends to
 * the same dataset), the AWS minimums are checked (B2.3: >= 1000
 * interactions after filtering and >= 25 users with >= 2 interactions,
 * unless solutionConfig.minimumsCheck is "off"), the recipe trains on the
 * whole store, and the offline evaluation trains a second model on 90 % of
 * the eligible users (split seed = the ctx seed) and scores the rest.
 * The version keeps the store (campaigns read user histories from it) and
 * the model.
 *
 * UPDATE: AWS offers it only for User-Personalization and HRNN-Coldstart
 * (new items without full retraining). Popularity-Count and SIMS have no
 * incremental form, so libtsrec retrains on the group's current data with
 * the same configuration, as a FULL version would, and records the mode;
 * it needs an earlier version, as AWS does. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "interactions_dataset_internal.h"
#include "personalize_internal.h"
#include "recipes_internal.h"

int tsrec_solution_create(tsrec_dataset_group *group, const char *request_json, size_t len,
                          tsrec_solution **out_solution)
{
    if (out_solution != NULL)
        *out_solution = NULL;
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, "tsrec_solution_create", "tsrec_dataset_group");
    tsrec_ctx *ctx = group->hdr.ctx;
    tsrec__handle *eh = &ctx->hdr;
    if (out_solution == NULL || request_json == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_solution_create: NULL argument");
    if (group->service != TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_solution_create: group '%s' is not a Personalize group",
                           group->name);
    tsrec_solution *s = tsrec__calloc(ctx, 1, sizeof(*s));
    if (s == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_solution_create: out of memory");
    int rc = tsrec__solution_config_parse(ctx, eh, request_json, len, &s->name, &s->cfg);
    if (rc != TSREC_OK) {
        tsrec__free(ctx, s);
        return rc;
    }
    tsrec__handle_init(&s->hdr, TSREC__MAGIC_SOLUTION, ctx);
    s->group = group;
    *out_solution = s;
    return tsrec__ok(eh);
}

static void version_free(tsrec_solution_version *v)
{
    if (v == NULL)
        return;
    tsrec_ctx *ctx = v->hdr.ctx;
    if (v->model != NULL)
        v->recipe->free_model(v->model);
    tsrec__interactions_free(&v->store);
    tsrec__free(ctx, v->arn);
    tsrec__free(ctx, v->id_blob);
    tsrec__free(ctx, v->id_off);
    tsrec__handle_retire(&v->hdr);
    tsrec__free(ctx, v);
}

void tsrec_solution_free(tsrec_solution *solution)
{
    if (!tsrec__handle_is(solution, TSREC__MAGIC_SOLUTION))
        return;
    tsrec_ctx *ctx = solution->hdr.ctx;
    for (int64_t i = 0; i < solution->n_versions; i++)
        version_free(solution->versions[i]);
    tsrec__free(ctx, solution->versions);
    tsrec__free(ctx, solution->name);
    tsrec__solution_config_free(ctx, &solution->cfg);
    tsrec__handle_retire(&solution->hdr);
    tsrec__free(ctx, solution);
}

/* ---- offline evaluation adapter ----------------------------------------- */

typedef struct eval_user {
    tsrec_ctx *ctx;
    const tsrec__solution_config *cfg;
} eval_user;

static int ev_train(void *user, const tsrec__interactions *train, tsrec__handle *eh, void **model)
{
    eval_user *u = user;
    return u->cfg->recipe->train(u->ctx, eh, u->cfg->params, train, model);
}

/* Users as AWS evaluates them: Popularity-Count recommends to the user
 * (history excluded); SIMS is queried with the user's newest input item,
 * the history excluded (as bench/personalize_metrics_ref.py). */
static int ev_recommend(void *user, void *model, const int32_t *hist_items,
                        const int64_t *hist_ts, int64_t n_hist, int64_t k, int32_t *out_items,
                        int64_t *out_n)
{
    eval_user *u = user;
    (void)hist_ts;
    int32_t *ex = tsrec__alloc(u->ctx, (size_t)(n_hist > 0 ? n_hist : 1) * sizeof(int32_t));
    if (ex == NULL)
        return tsrec__fail(NULL, TSREC_E_NOMEM, "evaluation: out of memory");
    if (n_hist > 0)
        memcpy(ex, hist_items, (size_t)n_hist * sizeof(int32_t));
    int64_t ne = tsrec__items_sort_unique(ex, n_hist);
    int64_t item = u->cfg->recipe->type == TSREC__RECIPE_RELATED_ITEMS && n_hist > 0
                       ? hist_items[n_hist - 1]
                       : -1;
    *out_n = u->cfg->recipe->recommend(model, item, ex, ne, k, out_items, NULL);
    tsrec__free(u->ctx, ex);
    return TSREC_OK;
}

static void ev_free(void *user, void *model)
{
    eval_user *u = user;
    if (model != NULL)
        u->cfg->recipe->free_model(model);
}

/* ---- training ------------------------------------------------------------- */

static int check_minimums(tsrec__handle *eh, const tsrec__interactions *st)
{
    if (st->n < TSREC__MIN_TRAIN_INTERACTIONS)
        return tsrec__fail(eh, TSREC_E_EMPTY,
                           "training needs at least %d interactions after the eventType / "
                           "eventValueThreshold filters (AWS minimum); the data has %" PRId64,
                           TSREC__MIN_TRAIN_INTERACTIONS, st->n);
    int64_t users2 = 0;
    for (int64_t u = 0; u < st->n_users; u++)
        users2 += tsrec__interactions_user_count(st, u) >= 2;
    if (users2 < TSREC__MIN_TRAIN_USERS)
        return tsrec__fail(eh, TSREC_E_EMPTY,
                           "training needs at least %d users with 2 or more interactions (AWS "
                           "minimum); the data has %" PRId64,
                           TSREC__MIN_TRAIN_USERS, users2);
    return TSREC_OK;
}

/* NUL-terminated copies of the item ids of codes 0 .. n-1. */
static int copy_ids(tsrec_solution_version *v, tsrec__handle *eh, const tsrec__strdict *d,
                    int64_t n)
{
    tsrec_ctx *ctx = v->hdr.ctx;
    size_t total = 0;
    for (int64_t c = 0; c < n; c++) {
        size_t l = 0;
        (void)tsrec__strdict_get(d, c, &l);
        total += l + 1;
    }
    v->id_off = tsrec__alloc(ctx, (size_t)(n + 1) * sizeof(int64_t));
    v->id_blob = tsrec__alloc(ctx, total > 0 ? total : 1);
    if (v->id_off == NULL || v->id_blob == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "solution version: out of memory copying item ids");
    size_t pos = 0;
    for (int64_t c = 0; c < n; c++) {
        size_t l = 0;
        const char *s = tsrec__strdict_get(d, c, &l);
        v->id_off[c] = (int64_t)pos;
        if (l > 0)
            memcpy(v->id_blob + pos, s, l);
        v->id_blob[pos + l] = '\0';
        pos += l + 1;
    }
    v->id_off[n] = (int64_t)pos;
    v->n_items = n;
    return TSREC_OK;
}

const char *tsrec__version_item_id(const tsrec_solution_version *v, int64_t code)
{
    if (code < 0 || code >= v->n_items)
        return NULL;
    return v->id_blob + v->id_off[code];
}

static int train_version(tsrec_solution *s, tsrec_solution_version *v, tsrec__handle *eh)
{
    tsrec_ctx *ctx = s->hdr.ctx;
    const tsrec__solution_config *cfg = &s->cfg;
    int rc = tsrec__interactions_from_group(&v->store, s->group, eh, cfg->event_type,
                                            cfg->threshold);
    if (rc != TSREC_OK)
        return rc;
    if (cfg->minimums_check && (rc = check_minimums(eh, &v->store)) != TSREC_OK)
        return rc;
    if ((rc = cfg->recipe->train(ctx, eh, cfg->params, &v->store, &v->model)) != TSREC_OK)
        return rc;
    if ((rc = copy_ids(v, eh, &s->group->items, cfg->recipe->n_items(v->model))) != TSREC_OK)
        return rc;
    /* offline evaluation */
    tsrec__eval_split sp;
    rc = tsrec__eval_split_users(&sp, ctx, NULL, &v->store, ctx->seed, 0.1);
    if (rc == TSREC_E_EMPTY) {
        /* no user with 2 interactions (possible only with minimumsCheck off) */
        memset(&v->metrics, 0, sizeof(v->metrics));
        v->metrics.coverage = NAN;
        return TSREC_OK;
    }
    if (rc != TSREC_OK)
        return tsrec__fail(eh, rc, "offline evaluation: %s", tsrec_status_str(rc));
    eval_user u = {ctx, cfg};
    tsrec__eval_recipe r = {&u, ev_train, ev_recommend, ev_free};
    rc = tsrec__eval_run(ctx, eh, &v->store, &sp, &r, 0, &v->metrics, NULL);
    tsrec__eval_split_free(&sp);
    return rc;
}

int tsrec_solution_train(tsrec_solution *solution, int32_t training_mode,
                         tsrec_solution_version **out_version)
{
    if (out_version != NULL)
        *out_version = NULL;
    TSREC__CHECK(solution, TSREC__MAGIC_SOLUTION, "tsrec_solution_train", "tsrec_solution");
    tsrec__handle *eh = &solution->hdr;
    tsrec_ctx *ctx = solution->hdr.ctx;
    if (out_version == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_solution_train: NULL out_version");
    if (training_mode != TSREC_TRAINING_FULL && training_mode != TSREC_TRAINING_UPDATE)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "trainingMode must be TSREC_TRAINING_FULL or TSREC_TRAINING_UPDATE");
    if (training_mode == TSREC_TRAINING_UPDATE && solution->n_versions == 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "trainingMode UPDATE needs an existing solution version of '%s'",
                           solution->name);
    if (solution->n_versions == solution->cap_versions) {
        int64_t cap = solution->cap_versions ? solution->cap_versions * 2 : 4;
        void *p = tsrec__realloc(ctx, solution->versions, (size_t)cap * sizeof(void *));
        if (p == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_solution_train: out of memory");
        solution->versions = p;
        solution->cap_versions = cap;
    }
    tsrec_solution_version *v = tsrec__calloc(ctx, 1, sizeof(*v));
    if (v == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_solution_train: out of memory");
    tsrec__handle_init(&v->hdr, TSREC__MAGIC_SOLVER, ctx);
    v->solution = solution;
    v->recipe = solution->cfg.recipe;
    v->training_mode = training_mode;
    v->number = solution->n_versions + 1;
    char arn[160];
    snprintf(arn, sizeof arn, "arn:aws:personalize:::solution/%s/%" PRId64, solution->name,
             v->number);
    v->arn = tsrec__strdup(ctx, arn);
    int rc = v->arn == NULL ? tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_solution_train: out of memory")
                            : train_version(solution, v, eh);
    if (rc != TSREC_OK) {
        version_free(v);
        return rc;
    }
    solution->versions[solution->n_versions++] = v;
    *out_version = v;
    return tsrec__ok(eh);
}

/* ---- metrics -------------------------------------------------------------- */

typedef struct metric_ref {
    const char *name;
    size_t offset;
} metric_ref;

static const metric_ref METRICS[] = {
    {"coverage", offsetof(tsrec__eval_metrics, coverage)},
    {"mean_reciprocal_rank_at_25", offsetof(tsrec__eval_metrics, mean_reciprocal_rank_at_25)},
    {"normalized_discounted_cumulative_gain_at_10",
     offsetof(tsrec__eval_metrics, normalized_discounted_cumulative_gain_at_10)},
    {"normalized_discounted_cumulative_gain_at_25",
     offsetof(tsrec__eval_metrics, normalized_discounted_cumulative_gain_at_25)},
    {"normalized_discounted_cumulative_gain_at_5",
     offsetof(tsrec__eval_metrics, normalized_discounted_cumulative_gain_at_5)},
    {"precision_at_10", offsetof(tsrec__eval_metrics, precision_at_10)},
    {"precision_at_25", offsetof(tsrec__eval_metrics, precision_at_25)},
    {"precision_at_5", offsetof(tsrec__eval_metrics, precision_at_5)},
};

static double metric_at(const tsrec__eval_metrics *m, size_t i)
{
    double v;
    memcpy(&v, (const char *)m + METRICS[i].offset, sizeof v);
    return v;
}

int tsrec_solution_version_metric(const tsrec_solution_version *version, const char *name,
                                  double *out_value)
{
    TSREC__CHECK(version, TSREC__MAGIC_SOLVER, "tsrec_solution_version_metric",
                 "tsrec_solution_version");
    tsrec_solution_version *v = (tsrec_solution_version *)version;
    if (name == NULL || out_value == NULL)
        return tsrec__fail(&v->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_solution_version_metric: NULL argument");
    for (size_t i = 0; i < TSREC__ARRAY_LEN(METRICS); i++)
        if (strcmp(METRICS[i].name, name) == 0) {
            if (v->metrics.n_test_users == 0)
                return tsrec__fail(&v->hdr, TSREC_E_EMPTY,
                                   "no metrics: no user has 2 interactions to evaluate");
            *out_value = metric_at(&v->metrics, i);
            return tsrec__ok(&v->hdr);
        }
    return tsrec__fail(&v->hdr, TSREC_E_UNKNOWN_NAME, "unknown metric '%s'", name);
}

int tsrec_solution_version_metrics_json(const tsrec_solution_version *version, char *buf,
                                        size_t cap, size_t *out_len)
{
    TSREC__CHECK(version, TSREC__MAGIC_SOLVER, "tsrec_solution_version_metrics_json",
                 "tsrec_solution_version");
    tsrec_solution_version *v = (tsrec_solution_version *)version;
    tsrec__handle *eh = &v->hdr;
    if (out_len == NULL || (buf == NULL && cap > 0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_solution_version_metrics_json: bad buffer");
    tsrec__json_writer w;
    tsrec__jw_init(&w, v->hdr.ctx);
    tsrec__jw_object_begin(&w);
    tsrec__jw_key(&w, "solutionVersionArn", 18);
    tsrec__jw_string(&w, v->arn, strlen(v->arn));
    tsrec__jw_key(&w, "metrics", 7);
    tsrec__jw_object_begin(&w);
    if (v->metrics.n_test_users > 0)
        for (size_t i = 0; i < TSREC__ARRAY_LEN(METRICS); i++) {
            tsrec__jw_key(&w, METRICS[i].name, strlen(METRICS[i].name));
            tsrec__jw_double(&w, metric_at(&v->metrics, i));
        }
    tsrec__jw_object_end(&w);
    tsrec__jw_object_end(&w);
    int rc = tsrec__pz_emit(&w, eh, buf, cap, out_len);
    tsrec__jw_free(&w);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}
