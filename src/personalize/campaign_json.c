/* GetRecommendations and GetPersonalizedRanking with the AWS request and
 * response bodies (aws-surface.md B7).
 *
 * Request keys: campaignArn (not checked: the campaign is the handle),
 * userId, itemId, numResults (1..500, default 25), inputList (ranking),
 * filterArn (an attached filter's name or ARN), filterValues (map of at
 * most 25 strings), context (map of strings; accepted without effect:
 * these recipes use no contextual metadata). promotions and
 * metadataColumns are refused as unsupported; other keys as unknown.
 * Responses carry the scores libtsrec computes (AWS returns none for
 * Popularity-Count and SIMS) and a recommendationId "RID-<campaign>-<n>".
 * GetRecommendations scores are float-origin (SIMS similarities are kept
 * as float32, popularity counts are integers): they are written as the
 * shortest text that reads back as that float ("0.1", not the widened
 * double's "0.10000000149011612"; integers as before), so parsing a score
 * as a float gives the C form's score exactly. Ranking scores (sums in
 * double) keep the shortest round-trip double text. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "personalize_internal.h"

typedef struct parsed {
    tsrec__rec_request req;
    const tsrec__json *input_list;
    tsrec__filter_binding *binding;
    const char **keys, **vals;
} parsed;

static int bind_values(const tsrec_campaign *c, parsed *p, const tsrec__json *fv)
{
    tsrec_ctx *ctx = c->hdr.ctx;
    int64_t n = fv != NULL ? fv->u.obj.n : 0;
    if (n > TSREC__FILTER_MAX_VALUES)
        return tsrec__fail(NULL, TSREC_E_OUT_OF_RANGE, "filterValues holds at most %d entries",
                           TSREC__FILTER_MAX_VALUES);
    if (n > 0) {
        p->keys = tsrec__alloc(ctx, (size_t)n * sizeof(char *));
        p->vals = tsrec__alloc(ctx, (size_t)n * sizeof(char *));
        if (p->keys == NULL || p->vals == NULL)
            return tsrec__fail(NULL, TSREC_E_NOMEM, "filterValues: out of memory");
        for (int64_t i = 0; i < n; i++) {
            const tsrec__json_member *m = &fv->u.obj.items[i];
            size_t len;
            int rc = tsrec__json_as_string(&m->value, NULL, m->key, &p->vals[i], &len);
            if (rc != TSREC_OK)
                return rc;
            p->keys[i] = m->key;
        }
    }
    return tsrec__filter_bind(p->req.filter->compiled, NULL, p->keys, p->vals, n, &p->binding);
}

static int parse_request(const tsrec_campaign *c, const char *json, size_t len,
                         tsrec__json_doc **doc, parsed *p, int ranking)
{
    memset(p, 0, sizeof(*p));
    p->req.num_results = TSREC__NUM_RESULTS_DEFAULT;
    int rc = tsrec__json_parse(c->hdr.ctx, NULL, json, len, 0, doc);
    if (rc != TSREC_OK)
        return rc;
    const tsrec__json *root = tsrec__json_root(*doc);
    if ((rc = tsrec__pz_want_object(NULL, root, "request")) != TSREC_OK)
        return rc;
    const tsrec__json *fv = NULL, *farn = NULL;
    for (int64_t i = 0; i < root->u.obj.n; i++) {
        const tsrec__json_member *m = &root->u.obj.items[i];
        const char *k = m->key;
        const char *s;
        size_t l;
        if (strcmp(k, "campaignArn") == 0) {
            rc = tsrec__json_as_string(&m->value, NULL, k, &s, &l);
        } else if (strcmp(k, "userId") == 0) {
            rc = tsrec__json_as_string(&m->value, NULL, k, &p->req.user_id, &p->req.user_len);
        } else if (strcmp(k, "itemId") == 0 && !ranking) {
            rc = tsrec__json_as_string(&m->value, NULL, k, &p->req.item_id, &p->req.item_len);
        } else if (strcmp(k, "numResults") == 0 && !ranking) {
            rc = tsrec__json_as_int64(&m->value, NULL, k, &p->req.num_results);
            if (rc == TSREC_OK && (p->req.num_results < 1 ||
                                   p->req.num_results > TSREC__NUM_RESULTS_MAX))
                rc = tsrec__fail(NULL, TSREC_E_OUT_OF_RANGE,
                                 "numResults must be 1 to %d, not %" PRId64,
                                 TSREC__NUM_RESULTS_MAX, p->req.num_results);
        } else if (strcmp(k, "inputList") == 0 && ranking) {
            p->input_list = &m->value;
            if (tsrec__json_type(&m->value) != TSREC__JSON_ARRAY)
                rc = tsrec__fail(NULL, TSREC_E_BAD_TYPE, "inputList must be a JSON array");
        } else if (strcmp(k, "filterArn") == 0) {
            farn = &m->value;
            rc = tsrec__json_as_string(&m->value, NULL, k, &s, &l);
        } else if (strcmp(k, "filterValues") == 0) {
            fv = &m->value;
            rc = tsrec__pz_want_object(NULL, fv, "filterValues");
        } else if (strcmp(k, "context") == 0) {
            rc = tsrec__pz_want_object(NULL, &m->value, "context");
            for (int64_t j = 0; rc == TSREC_OK && j < m->value.u.obj.n; j++)
                rc = tsrec__json_as_string(&m->value.u.obj.items[j].value, NULL, "context value",
                                           &s, &l);
        } else if (strcmp(k, "promotions") == 0 || strcmp(k, "metadataColumns") == 0) {
            rc = tsrec__fail(NULL, TSREC_E_UNSUPPORTED, "'%s' is not supported by libtsrec", k);
        } else {
            rc = tsrec__fail(NULL, TSREC_E_INVALID_ARG, "unknown or unsupported key '%s'", k);
        }
        if (rc != TSREC_OK)
            return rc;
    }
    if (fv != NULL && farn == NULL)
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG, "filterValues given without filterArn");
    if (farn != NULL) {
        p->req.filter = tsrec__campaign_find_filter(c, farn->u.str.ptr, farn->u.str.len);
        if (p->req.filter == NULL)
            return tsrec__fail(NULL, TSREC_E_UNKNOWN_NAME,
                               "filterArn '%.*s' names no filter attached to campaign '%s'",
                               (int)(farn->u.str.len > 100 ? 100 : farn->u.str.len),
                               farn->u.str.ptr, c->name);
        if ((rc = bind_values(c, p, fv)) != TSREC_OK)
            return rc;
        p->req.binding = p->binding;
    }
    return TSREC_OK;
}

static void parsed_free(const tsrec_campaign *c, parsed *p)
{
    tsrec__filter_binding_free(p->binding);
    tsrec__free(c->hdr.ctx, p->keys);
    tsrec__free(c->hdr.ctx, p->vals);
}

/* as_float: the score is float-origin (GetRecommendations: SIMS keeps its
 * similarities as float32, popularity counts are integers) and is written
 * as the shortest text that reads back as that float, when it is exactly
 * one; else (ranking sums, counts beyond 2^24) as the shortest double. */
static void write_item(tsrec__json_writer *w, const char *id, size_t len, double score,
                       int as_float)
{
    tsrec__jw_object_begin(w);
    tsrec__jw_key(w, "itemId", 6);
    tsrec__jw_string(w, id, len);
    if (!isnan(score)) {
        tsrec__jw_key(w, "score", 5);
        if (as_float && isfinite(score) && (double)(float)score == score)
            tsrec__jw_float(w, (float)score);
        else
            tsrec__jw_double(w, score);
    }
    tsrec__jw_object_end(w);
}

static void write_rid(tsrec__json_writer *w, const tsrec_campaign *c)
{
    tsrec_campaign *mc = (tsrec_campaign *)c;
    unsigned long long n = atomic_fetch_add(&mc->n_requests, 1ULL) + 1ULL;
    /* "RID-<name>-<n>" assembled by hand (snprintf was a tenth of a small
     * response's cost); names are at most 63 characters */
    char rid[96];
    size_t nl = strlen(c->name);
    if (nl > 63)
        nl = 63;
    memcpy(rid, "RID-", 4);
    memcpy(rid + 4, c->name, nl);
    size_t l = 4 + nl;
    rid[l++] = '-';
    char dig[24];
    int nd = 0;
    do {
        dig[nd++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    while (nd > 0)
        rid[l++] = dig[--nd];
    tsrec__jw_key(w, "recommendationId", 16);
    tsrec__jw_string(w, rid, l);
}

int tsrec_campaign_recommend_json(const tsrec_campaign *campaign, const char *request_json,
                                  size_t len, char *buf, size_t cap, size_t *out_len)
{
    TSREC__CHECK(campaign, TSREC__MAGIC_CAMPAIGN, "tsrec_campaign_recommend_json",
                 "tsrec_campaign");
    if (request_json == NULL || out_len == NULL || (buf == NULL && cap > 0))
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG,
                           "tsrec_campaign_recommend_json: NULL argument or bad buffer");
    tsrec_ctx *ctx = campaign->hdr.ctx;
    tsrec__json_doc *doc = NULL;
    parsed p;
    /* numResults <= 500: the results fit on the stack (6 KiB), sparing two
     * allocations per request */
    int32_t items[TSREC__NUM_RESULTS_MAX];
    double scores[TSREC__NUM_RESULTS_MAX];
    int64_t n = 0;
    int rc = parse_request(campaign, request_json, len, &doc, &p, 0);
    if (rc == TSREC_OK)
        rc = tsrec__campaign_recommend_core(campaign, &p.req, items, scores, &n);
    if (rc == TSREC_OK) {
        tsrec__json_writer w;
        tsrec__jw_init(&w, ctx);
        /* one allocation for the whole response: per item at most
         * {"itemId":"ID","score":-1.23456789e-45}, plus the envelope and
         * the recommendationId; escapes in ids only make it grow */
        size_t need = 160 + strlen(campaign->name);
        for (int64_t i = 0; i < n; i++)
            need += 48 + strlen(tsrec__version_item_id(campaign->version, items[i]));
        tsrec__jw_reserve(&w, need);
        tsrec__jw_object_begin(&w);
        tsrec__jw_key(&w, "itemList", 8);
        tsrec__jw_array_begin(&w);
        for (int64_t i = 0; i < n; i++) {
            const char *id = tsrec__version_item_id(campaign->version, items[i]);
            write_item(&w, id, strlen(id), scores[i], 1);
        }
        tsrec__jw_array_end(&w);
        write_rid(&w, campaign);
        tsrec__jw_object_end(&w);
        rc = tsrec__pz_emit(&w, NULL, buf, cap, out_len);
        tsrec__jw_free(&w);
    }
    parsed_free(campaign, &p);
    tsrec__json_free(doc);
    return rc;
}

int tsrec_campaign_rank_json(const tsrec_campaign *campaign, const char *request_json, size_t len,
                             char *buf, size_t cap, size_t *out_len)
{
    TSREC__CHECK(campaign, TSREC__MAGIC_CAMPAIGN, "tsrec_campaign_rank_json", "tsrec_campaign");
    if (request_json == NULL || out_len == NULL || (buf == NULL && cap > 0))
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG,
                           "tsrec_campaign_rank_json: NULL argument or bad buffer");
    tsrec_ctx *ctx = campaign->hdr.ctx;
    tsrec__json_doc *doc = NULL;
    parsed p;
    const char **ids = NULL;
    size_t *lens = NULL;
    int64_t *order = NULL;
    double *scores = NULL;
    int64_t n = 0, k = 0;
    int rc = parse_request(campaign, request_json, len, &doc, &p, 1);
    if (rc == TSREC_OK && p.req.user_id == NULL)
        rc = tsrec__fail(NULL, TSREC_E_INVALID_ARG, "GetPersonalizedRanking: userId is required");
    if (rc == TSREC_OK && p.req.user_len > TSREC__MAX_ID)
        rc = tsrec__fail(NULL, TSREC_E_INVALID_ARG, "userId must be 1-256 characters");
    if (rc == TSREC_OK && p.input_list == NULL)
        rc = tsrec__fail(NULL, TSREC_E_INVALID_ARG,
                         "GetPersonalizedRanking: inputList is required");
    if (rc == TSREC_OK) {
        n = tsrec__json_len(p.input_list);
        if (n < 1 || n > TSREC__INPUT_LIST_MAX)
            rc = tsrec__fail(NULL, TSREC_E_OUT_OF_RANGE,
                             "inputList must hold 1 to %d items, not %" PRId64,
                             TSREC__INPUT_LIST_MAX, n);
    }
    if (rc == TSREC_OK) {
        ids = tsrec__alloc(ctx, (size_t)n * sizeof(char *));
        lens = tsrec__alloc(ctx, (size_t)n * sizeof(size_t));
        order = tsrec__alloc(ctx, (size_t)n * sizeof(int64_t));
        scores = tsrec__alloc(ctx, (size_t)n * sizeof(double));
        if (ids == NULL || lens == NULL || order == NULL || scores == NULL)
            rc = tsrec__fail(NULL, TSREC_E_NOMEM, "GetPersonalizedRanking: out of memory");
        for (int64_t i = 0; rc == TSREC_OK && i < n; i++) {
            rc = tsrec__json_as_string(tsrec__json_at(p.input_list, i), NULL, "inputList entry",
                                       &ids[i], &lens[i]);
            if (rc == TSREC_OK && (lens[i] < 1 || lens[i] > TSREC__MAX_ID))
                rc = tsrec__fail(NULL, TSREC_E_INVALID_ARG,
                                 "inputList entries must be 1-256 characters");
        }
    }
    if (rc == TSREC_OK)
        rc = tsrec__campaign_rank_core(campaign, p.req.user_id, p.req.user_len, ids, lens, n,
                                       p.req.filter, p.req.binding, order, scores, &k);
    if (rc == TSREC_OK) {
        tsrec__json_writer w;
        tsrec__jw_init(&w, ctx);
        tsrec__jw_object_begin(&w);
        tsrec__jw_key(&w, "personalizedRanking", 19);
        tsrec__jw_array_begin(&w);
        for (int64_t i = 0; i < k; i++)
            write_item(&w, ids[order[i]], lens[order[i]], scores[i], 0);
        tsrec__jw_array_end(&w);
        write_rid(&w, campaign);
        tsrec__jw_object_end(&w);
        rc = tsrec__pz_emit(&w, NULL, buf, cap, out_len);
        tsrec__jw_free(&w);
    }
    tsrec__free(ctx, ids);
    tsrec__free(ctx, lens);
    tsrec__free(ctx, order);
    tsrec__free(ctx, scores);
    parsed_free(campaign, &p);
    tsrec__json_free(doc);
    return rc;
}
