/* Saving and loading a solution with every solution version
 * (include/tsrec/io.h).
 *
 * Payload (TSREC__SOLUTION_STATE_VERSION 1):
 *   str  CreateSolution request JSON rebuilt from the configuration (name,
 *        recipeArn, eventType, solutionConfig with eventValueThreshold,
 *        minimumsCheck and the explicitly set algorithmHyperParameters);
 *        a load re-parses it, so it is checked like a new request
 *   f64  eventValueThreshold exactly (NaN = none; the JSON holds it as text)
 *   i64  number of versions, then per version:
 *        i64 number, i32 trainingMode, str ARN, str recipe name,
 *        metrics (8 x f64, i64 test users),
 *        item ids of the model's codes, user ids and event type names of
 *        the store's codes (checked against the group on load: codes are
 *        group codes, so the group must be the one trained on, or that
 *        group grown by later imports and events),
 *        the interaction store (store_save.c), the recipe model (the
 *        recipe vtable's save / load).
 * A loaded solution answers like the original: same versions, ARNs,
 * metrics (bit for bit), models and stores; training it again continues
 * the version numbers. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pz_save_internal.h"

/* ---- the request JSON ------------------------------------------------------ */

static void write_hyper(tsrec__json_writer *w, const tsrec__params *p)
{
    int64_t n = p != NULL ? tsrec__params_count(p) : 0, n_set = 0;
    for (int64_t i = 0; i < n; i++)
        n_set += tsrec__params_is_set(p, i) != 0;
    if (n_set == 0)
        return;
    tsrec__jw_key(w, "algorithmHyperParameters", 24);
    tsrec__jw_object_begin(w);
    for (int64_t i = 0; i < n; i++) {
        char val[256];
        size_t len = 0;
        if (!tsrec__params_is_set(p, i))
            continue;
        /* a value that does not fit is written cut and refused on load */
        (void)tsrec__params_format(p, NULL, i, val, sizeof val, &len);
        const char *name = tsrec__params_name(p, i);
        tsrec__jw_key(w, name, strlen(name));
        tsrec__jw_string(w, val, TSREC__MIN(len, sizeof val - 1));
    }
    tsrec__jw_object_end(w);
}

static int request_json(const tsrec_solution *s, tsrec__handle *eh, char **out)
{
    const tsrec__solution_config *cfg = &s->cfg;
    tsrec__json_writer w;
    tsrec__jw_init(&w, s->hdr.ctx);
    tsrec__jw_object_begin(&w);
    tsrec__jw_key(&w, "name", 4);
    tsrec__jw_string(&w, s->name, strlen(s->name));
    char arn[160];
    int an = snprintf(arn, sizeof arn, "%s%s", TSREC__RECIPE_ARN_PREFIX, cfg->recipe->name);
    tsrec__jw_key(&w, "recipeArn", 9);
    tsrec__jw_string(&w, arn, (size_t)an);
    if (cfg->event_type != NULL) {
        tsrec__jw_key(&w, "eventType", 9);
        tsrec__jw_string(&w, cfg->event_type, strlen(cfg->event_type));
    }
    tsrec__jw_key(&w, "solutionConfig", 14);
    tsrec__jw_object_begin(&w);
    if (!isnan(cfg->threshold)) {
        /* informative: the exact value follows the JSON in binary */
        char num[64];
        snprintf(num, sizeof num, "%.17g", cfg->threshold);
        for (char *c = num; *c != '\0'; c++)
            if (*c == ',')
                *c = '.'; /* a locale's decimal comma */
        tsrec__jw_key(&w, "eventValueThreshold", 19);
        tsrec__jw_string(&w, num, strlen(num));
    }
    tsrec__jw_key(&w, "minimumsCheck", 13);
    tsrec__jw_string(&w, cfg->minimums_check ? "on" : "off", cfg->minimums_check ? 2 : 3);
    write_hyper(&w, cfg->params);
    tsrec__jw_object_end(&w);
    tsrec__jw_object_end(&w);
    int rc = tsrec__pz_jw_text(&w, eh, out);
    tsrec__jw_free(&w);
    return rc;
}

/* ---- save -------------------------------------------------------------- */

static void write_metrics(tsrec__wbuf *b, const tsrec__eval_metrics *m)
{
    tsrec__wbuf_f64(b, m->coverage);
    tsrec__wbuf_f64(b, m->mean_reciprocal_rank_at_25);
    tsrec__wbuf_f64(b, m->normalized_discounted_cumulative_gain_at_5);
    tsrec__wbuf_f64(b, m->normalized_discounted_cumulative_gain_at_10);
    tsrec__wbuf_f64(b, m->normalized_discounted_cumulative_gain_at_25);
    tsrec__wbuf_f64(b, m->precision_at_5);
    tsrec__wbuf_f64(b, m->precision_at_10);
    tsrec__wbuf_f64(b, m->precision_at_25);
    tsrec__wbuf_i64(b, m->n_test_users);
}

static int write_version(tsrec__wbuf *b, const tsrec_solution_version *v, tsrec__handle *eh)
{
    const tsrec_dataset_group *g = v->solution->group;
    tsrec__wbuf_i64(b, v->number);
    tsrec__wbuf_i32(b, v->training_mode);
    tsrec__wbuf_str(b, v->arn);
    tsrec__wbuf_str(b, v->recipe->name);
    write_metrics(b, &v->metrics);
    tsrec__wbuf_i64(b, v->n_items);
    for (int64_t c = 0; c < v->n_items; c++)
        tsrec__wbuf_u8s(b, (const uint8_t *)(v->id_blob + v->id_off[c]),
                        v->id_off[c + 1] - v->id_off[c] - 1);
    tsrec__pz_write_dict_ids(b, &g->users, v->store.n_users);
    tsrec__pz_write_dict_ids(b, tsrec__pz_event_types(g), v->store.n_event_types);
    tsrec__pz_store_write(b, &v->store);
    if (!TSREC__RECIPE_HAS(v->recipe, save))
        return tsrec__fail(eh, TSREC_E_UNSUPPORTED, "recipe %s cannot save its models",
                           v->recipe->name);
    return v->recipe->save(v->model, b);
}

static int solution_save_any(const tsrec_solution *solution, const char *fn, const char *path,
                             tsrec_write_fn write, void *user)
{
    TSREC__CHECK(solution, TSREC__MAGIC_SOLUTION, fn, "tsrec_solution");
    tsrec_solution *s = (tsrec_solution *)solution; /* errors are recorded on it */
    tsrec__handle *eh = &s->hdr;
    int rc = tsrec__pz_bad_dest(eh, fn, path, write);
    if (rc != TSREC_OK)
        return rc;
    char *json = NULL;
    rc = request_json(s, eh, &json);
    if (rc != TSREC_OK)
        return rc;
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, s->hdr.ctx);
    tsrec__wbuf_str(&b, json);
    tsrec__free(s->hdr.ctx, json);
    tsrec__wbuf_f64(&b, s->cfg.threshold);
    tsrec__wbuf_i64(&b, s->n_versions);
    for (int64_t i = 0; rc == TSREC_OK && i < s->n_versions; i++)
        rc = write_version(&b, s->versions[i], eh);
    if (rc != TSREC_OK) {
        tsrec__wbuf_free(&b);
        return rc;
    }
    rc = tsrec__container_save_any(eh, TSREC_OBJECT_SOLUTION, TSREC__SOLUTION_STATE_VERSION, &b,
                                   path, write, user);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec_solution_save(const tsrec_solution *solution, const char *path)
{
    return solution_save_any(solution, "tsrec_solution_save", path != NULL ? path : "", NULL,
                             NULL);
}

int tsrec_solution_save_to(const tsrec_solution *solution, tsrec_write_fn write, void *user)
{
    return solution_save_any(solution, "tsrec_solution_save_to", NULL, write, user);
}

/* ---- load -------------------------------------------------------------- */

/* solution.c's version_free for a version not (yet) in a solution. */
static void version_discard(tsrec_solution_version *v)
{
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

static int read_metrics(tsrec__rbuf *r, tsrec__eval_metrics *m)
{
    m->coverage = tsrec__rbuf_f64(r);
    m->mean_reciprocal_rank_at_25 = tsrec__rbuf_f64(r);
    m->normalized_discounted_cumulative_gain_at_5 = tsrec__rbuf_f64(r);
    m->normalized_discounted_cumulative_gain_at_10 = tsrec__rbuf_f64(r);
    m->normalized_discounted_cumulative_gain_at_25 = tsrec__rbuf_f64(r);
    m->precision_at_5 = tsrec__rbuf_f64(r);
    m->precision_at_10 = tsrec__rbuf_f64(r);
    m->precision_at_25 = tsrec__rbuf_f64(r);
    m->n_test_users = tsrec__rbuf_i64(r);
    return r->failed || m->n_test_users < 0 ? TSREC_E_FORMAT : TSREC_OK;
}

/* Header fields of version `number` (1-based position in the file). */
static int read_version_head(tsrec_solution_version *v, tsrec__rbuf *r, tsrec__handle *eh,
                             int64_t number)
{
    tsrec_ctx *ctx = v->hdr.ctx;
    const tsrec_solution *s = v->solution;
    v->number = tsrec__rbuf_i64(r);
    v->training_mode = tsrec__rbuf_i32(r);
    int rc = tsrec__rbuf_str(r, ctx, &v->arn);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(eh, rc, "loading a solution version: out of memory");
    char recipe[64];
    if (rc != TSREC_OK || tsrec__rbuf_str_into(r, recipe, sizeof recipe) != TSREC_OK ||
        read_metrics(r, &v->metrics) != TSREC_OK)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved solution version %" PRId64 " is truncated",
                           number);
    char want[160];
    snprintf(want, sizeof want, "arn:aws:personalize:::solution/%s/%" PRId64, s->name, number);
    if (v->number != number || v->arn == NULL || strcmp(v->arn, want) != 0)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "saved solution version %" PRId64 " has a bad number or ARN", number);
    if (v->training_mode != TSREC_TRAINING_FULL && v->training_mode != TSREC_TRAINING_UPDATE)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "saved solution version %" PRId64 " has an unknown trainingMode %d",
                           number, (int)v->training_mode);
    if (strcmp(recipe, v->recipe->name) != 0)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "saved solution version %" PRId64 " was trained by recipe '%s', the "
                           "solution names '%s'",
                           number, recipe, v->recipe->name);
    return TSREC_OK;
}

static int read_version_body(tsrec_solution_version *v, tsrec__rbuf *r, tsrec__handle *eh)
{
    tsrec_ctx *ctx = v->hdr.ctx;
    const tsrec_dataset_group *g = v->solution->group;
    int64_t n_users = 0, n_types = 0;
    int rc = tsrec__pz_read_check_ids(r, ctx, eh, &g->items, "item", &v->n_items, &v->id_blob,
                                      &v->id_off);
    if (rc == TSREC_OK)
        rc = tsrec__pz_read_check_ids(r, ctx, eh, &g->users, "user", &n_users, NULL, NULL);
    if (rc == TSREC_OK)
        rc = tsrec__pz_read_check_ids(r, ctx, eh, tsrec__pz_event_types(g), "event type",
                                      &n_types, NULL, NULL);
    if (rc == TSREC_OK)
        rc = tsrec__pz_store_read(r, ctx, eh, &v->store);
    if (rc != TSREC_OK)
        return rc;
    if (v->store.n_users != n_users || v->store.n_items != v->n_items ||
        v->store.n_event_types != n_types)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "saved solution version %" PRId64 ": store sizes disagree with its ids",
                           v->number);
    if (!TSREC__RECIPE_HAS(v->recipe, load))
        return tsrec__fail(eh, TSREC_E_FORMAT, "recipe %s cannot load models", v->recipe->name);
    if ((rc = v->recipe->load(ctx, eh, r, &v->model)) != TSREC_OK)
        return rc;
    if (v->recipe->n_items(v->model) != v->n_items)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "saved solution version %" PRId64 ": the model covers %" PRId64
                           " items, its ids %" PRId64,
                           v->number, v->recipe->n_items(v->model), v->n_items);
    return TSREC_OK;
}

static int read_versions(tsrec_solution *s, tsrec__rbuf *r, tsrec__handle *eh)
{
    tsrec_ctx *ctx = s->hdr.ctx;
    int64_t n = tsrec__rbuf_i64(r);
    /* a version takes far more than 64 bytes: bound the count by the payload */
    if (r->failed || n < 0 || n > (int64_t)((r->len - r->pos) / 64))
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved solution: bad version count");
    if (n > 0) {
        s->versions = tsrec__alloc(ctx, (size_t)n * sizeof(void *));
        if (s->versions == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "loading a solution: out of memory");
        s->cap_versions = n;
    }
    for (int64_t i = 0; i < n; i++) {
        tsrec_solution_version *v = tsrec__calloc(ctx, 1, sizeof(*v));
        if (v == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "loading a solution: out of memory");
        tsrec__handle_init(&v->hdr, TSREC__MAGIC_SOLVER, ctx);
        v->solution = s;
        v->recipe = s->cfg.recipe;
        int rc = read_version_head(v, r, eh, i + 1);
        if (rc == TSREC_OK)
            rc = read_version_body(v, r, eh);
        if (rc != TSREC_OK) {
            version_discard(v);
            return rc;
        }
        s->versions[s->n_versions++] = v;
    }
    return TSREC_OK;
}

static int parse_payload(tsrec_solution *s, const tsrec__payload *p, tsrec__handle *eh)
{
    tsrec_ctx *ctx = s->hdr.ctx;
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, p->data, p->len);
    char *json = NULL;
    int rc = tsrec__rbuf_str(&r, ctx, &json);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(eh, rc, "loading a solution: out of memory");
    if (rc != TSREC_OK || json == NULL) {
        tsrec__free(ctx, json);
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved solution: missing request JSON");
    }
    rc = tsrec__solution_config_parse(ctx, eh, json, strlen(json), &s->name, &s->cfg);
    tsrec__free(ctx, json);
    if (rc != TSREC_OK)
        return tsrec__pz_load_fail(eh, rc, "saved solution request");
    double t = tsrec__rbuf_f64(&r);
    if (r.failed || isinf(t) || isnan(t) != isnan(s->cfg.threshold))
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved solution: bad eventValueThreshold");
    s->cfg.threshold = t;
    if ((rc = read_versions(s, &r, eh)) != TSREC_OK)
        return rc;
    if (r.pos != r.len)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved solution: %zu bytes after the end",
                           r.len - r.pos);
    return TSREC_OK;
}

static int solution_load_any(tsrec_dataset_group *group, const char *fn, const char *path,
                             tsrec_read_fn read, void *user, tsrec_solution **out_solution)
{
    if (out_solution != NULL)
        *out_solution = NULL;
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, fn, "tsrec_dataset_group");
    tsrec_ctx *ctx = group->hdr.ctx;
    tsrec__handle *eh = &group->hdr;
    if (out_solution == NULL || (path == NULL && read == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL argument", fn);
    if (group->service != TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: group '%s' is not a Personalize group",
                           fn, group->name);
    tsrec__payload p;
    int rc = tsrec__container_load_any(eh, ctx, TSREC_OBJECT_SOLUTION,
                                       TSREC__SOLUTION_STATE_VERSION, path, read, user, &p);
    if (rc != TSREC_OK)
        return rc;
    tsrec_solution *s = tsrec__calloc(ctx, 1, sizeof(*s));
    if (s == NULL) {
        tsrec__payload_free(&p);
        return tsrec__fail(eh, TSREC_E_NOMEM, "%s: out of memory", fn);
    }
    tsrec__handle_init(&s->hdr, TSREC__MAGIC_SOLUTION, ctx);
    s->group = group;
    rc = parse_payload(s, &p, eh);
    tsrec__payload_free(&p);
    if (rc != TSREC_OK) {
        tsrec_solution_free(s); /* frees the versions read so far */
        return rc;
    }
    *out_solution = s;
    return tsrec__ok(eh);
}

int tsrec_solution_load(tsrec_dataset_group *group, const char *path,
                        tsrec_solution **out_solution)
{
    /* path NULL: no source at all, refused as a NULL argument */
    return solution_load_any(group, "tsrec_solution_load", path, NULL, NULL, out_solution);
}

int tsrec_solution_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user,
                             tsrec_solution **out_solution)
{
    return solution_load_any(group, "tsrec_solution_load_from", NULL, read, user, out_solution);
}
