/* Campaigns: an immutable view of a solution version plus live event
 * state, and the GetRecommendations / GetPersonalizedRanking cores.
 *
 * Behaviour (AWS facts in aws-surface.md B3, B6, B7; the choices where AWS
 * is silent are marked):
 *  - Popularity-Count: the most popular items, leaving out the items the
 *    requesting user already interacted with (in the training data or in
 *    events streamed since). The AWS recipe page says it returns "the same
 *    popular items for all users"; excluding the user's items is what
 *    issue 6 asks for and what AWS does for users with a history in the
 *    campaign console, so libtsrec does it (choice). itemId is ignored.
 *  - SIMS needs itemId (a RELATED_ITEMS recipe): items similar to it, never
 *    the item itself, and not the requesting user's items when userId is
 *    given too.
 *  - an unknown userId has no history: popular items; an unknown itemId
 *    gets popular items (cold start as AWS).
 *  - events streamed by an attached event tracker are added to the user's
 *    live history at once, so the items just interacted with are excluded
 *    and filters over Interactions see them; they change no model (AWS:
 *    SIMS and Popularity-Count need retraining).
 *  - numResults 1..500 (default 25); a filter is applied after the recipe:
 *    more candidates are fetched until numResults pass or the catalogue is
 *    exhausted.
 *  - ranking: see tsrec__campaign_rank_core. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "column_internal.h"
#include "personalize_internal.h"
#include "recipes_internal.h"

/* ---- row indexes ---------------------------------------------------------- */

int tsrec__row_index_reserve(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__row_index *ix, int64_t n)
{
    if (n <= ix->cap)
        return TSREC_OK;
    int64_t cap = TSREC__MAX(n, ix->cap * 2);
    size_t bytes;
    if (tsrec__mul_size((size_t)cap, sizeof(int64_t), &bytes) != 0)
        return tsrec__fail(eh, TSREC_E_NOMEM, "campaign index too large");
    int64_t *p = tsrec__realloc(ctx, ix->row, bytes);
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "campaign: out of memory for a row index");
    ix->row = p;
    ix->cap = cap;
    return TSREC_OK;
}

void tsrec__row_index_set(tsrec__row_index *ix, int64_t code, int64_t row)
{
    if (code < 0 || code >= ix->cap)
        return;
    while (ix->n <= code)
        ix->row[ix->n++] = -1;
    ix->row[code] = row;
}

int tsrec__campaign_index_rebuild(tsrec_campaign *c, tsrec__handle *eh, int32_t which,
                                  int64_t extra)
{
    tsrec__row_index *ix = which == TSREC__DS_ITEMS ? &c->items_idx : &c->users_idx;
    const tsrec__strdict *d = which == TSREC__DS_ITEMS ? &c->group->items : &c->group->users;
    int rc = tsrec__row_index_reserve(c->hdr.ctx, eh, ix, tsrec__strdict_count(d) + extra);
    if (rc != TSREC_OK)
        return rc;
    ix->n = 0;
    const tsrec_dataset *ds = tsrec__pz_dataset(c->group, which);
    if (ds == NULL)
        return TSREC_OK;
    int64_t f = tsrec__pz_field_role(ds, which == TSREC__DS_ITEMS ? TSREC__ROLE_ITEM_ID
                                                                  : TSREC__ROLE_USER_ID);
    if (f < 0)
        return TSREC_OK;
    for (int64_t r = 0; r < ds->n_rows; r++)
        tsrec__row_index_set(ix, tsrec__column_get_code(&ds->cols[f], r), r);
    return TSREC_OK;
}

/* ---- live state ----------------------------------------------------------- */

int tsrec__campaign_reserve(tsrec_campaign *c, tsrec__handle *eh, int64_t user, int64_t n)
{
    tsrec_ctx *ctx = c->hdr.ctx;
    if (user < 0 || user >= INT32_MAX || n < 0 || n > INT32_MAX)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE, "campaign: user code out of range");
    if (user >= c->cap_live) {
        int64_t cap = TSREC__MAX(user + 1, c->cap_live * 2);
        tsrec__live_user *p = tsrec__realloc(ctx, c->live, (size_t)cap * sizeof(*p));
        if (p == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "campaign: out of memory for live events");
        memset(p + c->cap_live, 0, (size_t)(cap - c->cap_live) * sizeof(*p));
        c->live = p;
        c->cap_live = cap;
    }
    tsrec__live_user *lu = &c->live[user];
    if (lu->n + n > lu->cap) {
        int64_t cap = TSREC__MAX(lu->n + n, TSREC__MAX(lu->cap * 2, 8));
        int32_t *it = tsrec__realloc(ctx, lu->item, (size_t)cap * sizeof(int32_t));
        if (it == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "campaign: out of memory for live events");
        lu->item = it;
        int32_t *et = tsrec__realloc(ctx, lu->etype, (size_t)cap * sizeof(int32_t));
        if (et == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "campaign: out of memory for live events");
        lu->etype = et;
        lu->cap = cap;
    }
    return TSREC_OK;
}

void tsrec__campaign_add_event(tsrec_campaign *c, int64_t user, int32_t item, int32_t etype)
{
    if (user < 0 || user >= c->cap_live)
        return;
    tsrec__live_user *lu = &c->live[user];
    if (lu->n >= lu->cap)
        return; /* not reserved: cannot happen after tsrec__campaign_reserve */
    lu->item[lu->n] = item;
    lu->etype[lu->n] = etype;
    lu->n++;
    if (user >= c->n_live)
        c->n_live = user + 1;
}

/* ---- per-user sorted histories --------------------------------------------- */

/* Build c->hist_off / hist_item: every store user's items sorted and
 * unique. The version's store is immutable, so this is done once here (and
 * again when a saved campaign is loaded, which goes through
 * tsrec_campaign_create) instead of on every query. */
static int build_histories(tsrec_campaign *c, tsrec__handle *eh)
{
    tsrec_ctx *ctx = c->hdr.ctx;
    const tsrec__interactions *s = &c->version->store;
    int64_t nu = s->n_users > 0 ? s->n_users : 0;
    size_t off_bytes, item_bytes;
    if (tsrec__mul_size((size_t)nu + 1, sizeof(int64_t), &off_bytes) != 0 ||
        tsrec__mul_size((size_t)TSREC__MAX(s->n, 1), sizeof(int32_t), &item_bytes) != 0)
        return tsrec__fail(eh, TSREC_E_NOMEM, "campaign: history index too large");
    c->hist_off = tsrec__alloc(ctx, off_bytes);
    c->hist_item = tsrec__alloc(ctx, item_bytes);
    if (c->hist_off == NULL || c->hist_item == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "campaign: out of memory for user histories");
    int64_t w = 0;
    c->hist_off[0] = 0;
    for (int64_t u = 0; u < nu; u++) {
        int64_t n = s->user_off[u + 1] - s->user_off[u];
        if (n > 0) {
            memcpy(c->hist_item + w, s->item + s->user_off[u], (size_t)n * sizeof(int32_t));
            w += tsrec__items_sort_unique(c->hist_item + w, n);
        }
        c->hist_off[u + 1] = w;
    }
    c->n_hist_users = nu;
    return TSREC_OK;
}

/* ---- create / free -------------------------------------------------------- */

static int parse_campaign(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__json *root,
                          char **out_name)
{
    int rc = tsrec__pz_want_object(eh, root, "CreateCampaign request");
    if (rc != TSREC_OK)
        return rc;
    const tsrec__json *name = tsrec__json_get(root, "name");
    const char *s;
    size_t len;
    if (name == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "CreateCampaign: 'name' is required");
    if ((rc = tsrec__json_as_string(name, eh, "name", &s, &len)) != TSREC_OK)
        return rc;
    if ((rc = tsrec__pz_check_name(eh, "campaign name", s, len)) != TSREC_OK)
        return rc;
    for (int64_t i = 0; i < root->u.obj.n; i++) {
        const tsrec__json_member *m = &root->u.obj.items[i];
        const char *k = m->key;
        if (strcmp(k, "name") == 0)
            continue;
        if (strcmp(k, "solutionVersionArn") == 0) {
            rc = tsrec__json_as_string(&m->value, eh, k, &s, &len);
        } else if (strcmp(k, "minProvisionedTPS") == 0) {
            int64_t tps = 0;
            rc = tsrec__json_as_int64(&m->value, eh, k, &tps);
            if (rc == TSREC_OK && tps < 1)
                rc = tsrec__fail(eh, TSREC_E_OUT_OF_RANGE, "minProvisionedTPS must be >= 1");
        } else if (strcmp(k, "campaignConfig") == 0) {
            rc = tsrec__pz_want_object(eh, &m->value, "campaignConfig"); /* no effect */
        } else if (strcmp(k, "tags") == 0) {
            if (tsrec__json_type(&m->value) != TSREC__JSON_ARRAY)
                rc = tsrec__fail(eh, TSREC_E_BAD_TYPE, "tags must be a JSON array");
        } else {
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "unknown or unsupported key '%s'", k);
        }
        if (rc != TSREC_OK)
            return rc;
    }
    const tsrec__json *nm = tsrec__json_get(root, "name");
    if ((*out_name = tsrec__pz_strndup(ctx, nm->u.str.ptr, nm->u.str.len)) == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "CreateCampaign: out of memory");
    return TSREC_OK;
}

static void campaign_release(tsrec_campaign *c)
{
    tsrec_ctx *ctx = c->hdr.ctx;
    for (int64_t u = 0; u < c->cap_live; u++) {
        tsrec__free(ctx, c->live[u].item);
        tsrec__free(ctx, c->live[u].etype);
    }
    tsrec__free(ctx, c->live);
    tsrec__free(ctx, c->hist_off);
    tsrec__free(ctx, c->hist_item);
    tsrec__free(ctx, c->items_idx.row);
    tsrec__free(ctx, c->users_idx.row);
    tsrec__free(ctx, c->filters);
    tsrec__free(ctx, c->name);
}

int tsrec_campaign_create(tsrec_solution_version *version, const char *request_json, size_t len,
                          tsrec_campaign **out_campaign)
{
    if (out_campaign != NULL)
        *out_campaign = NULL;
    TSREC__CHECK(version, TSREC__MAGIC_SOLVER, "tsrec_campaign_create", "tsrec_solution_version");
    tsrec_ctx *ctx = version->hdr.ctx;
    tsrec__handle *eh = &version->hdr;
    if (out_campaign == NULL || request_json == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_campaign_create: NULL argument");
    tsrec_campaign *c = tsrec__calloc(ctx, 1, sizeof(*c));
    if (c == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_campaign_create: out of memory");
    tsrec__handle_init(&c->hdr, TSREC__MAGIC_CAMPAIGN, ctx);
    c->version = version;
    c->group = version->solution->group;
    atomic_init(&c->n_requests, 0);
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(ctx, eh, request_json, len, 0, &doc);
    if (rc == TSREC_OK)
        rc = parse_campaign(ctx, eh, tsrec__json_root(doc), &c->name);
    tsrec__json_free(doc);
    if (rc == TSREC_OK)
        rc = tsrec__campaign_index_rebuild(c, eh, TSREC__DS_ITEMS, 0);
    if (rc == TSREC_OK)
        rc = tsrec__campaign_index_rebuild(c, eh, TSREC__DS_USERS, 0);
    if (rc == TSREC_OK)
        rc = build_histories(c, eh);
    c->lock = &c->group->live_lock;
    if (rc != TSREC_OK) {
        campaign_release(c);
        tsrec__handle_retire(&c->hdr);
        tsrec__free(ctx, c);
        return rc;
    }
    *out_campaign = c;
    return tsrec__ok(eh);
}

void tsrec_campaign_free(tsrec_campaign *campaign)
{
    if (!tsrec__handle_is(campaign, TSREC__MAGIC_CAMPAIGN))
        return;
    tsrec_ctx *ctx = campaign->hdr.ctx;
    campaign_release(campaign);
    tsrec__handle_retire(&campaign->hdr);
    tsrec__free(ctx, campaign);
}

int tsrec_campaign_attach_filter(tsrec_campaign *campaign, tsrec_filter *filter)
{
    TSREC__CHECK(campaign, TSREC__MAGIC_CAMPAIGN, "tsrec_campaign_attach_filter",
                 "tsrec_campaign");
    tsrec__handle *eh = &campaign->hdr;
    if (!tsrec__handle_is(filter, TSREC__MAGIC_FILTER))
        return tsrec__fail(eh, TSREC_E_MISUSE,
                           "tsrec_campaign_attach_filter: not a live tsrec_filter");
    if (filter->group != campaign->group)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "filter '%s' belongs to another dataset group", filter->name);
    for (int64_t i = 0; i < campaign->n_filters; i++) {
        if (campaign->filters[i] == filter)
            return tsrec__ok(eh);
        if (strcmp(campaign->filters[i]->name, filter->name) == 0)
            return tsrec__fail(eh, TSREC_E_EXISTS,
                               "a different filter named '%s' is already attached", filter->name);
    }
    tsrec_filter **p = tsrec__realloc(campaign->hdr.ctx, campaign->filters,
                                      (size_t)(campaign->n_filters + 1) * sizeof(*p));
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_campaign_attach_filter: out of memory");
    p[campaign->n_filters] = filter;
    campaign->filters = p;
    campaign->n_filters++;
    return tsrec__ok(eh);
}

const tsrec_filter *tsrec__campaign_find_filter(const tsrec_campaign *c, const char *s, size_t len)
{
    const char *slash = NULL;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '/')
            slash = s + i;
    if (slash != NULL) { /* an ARN: the name follows the last '/' */
        len -= (size_t)(slash + 1 - s);
        s = slash + 1;
    }
    for (int64_t i = 0; i < c->n_filters; i++)
        if (strlen(c->filters[i]->name) == len && memcmp(c->filters[i]->name, s, len) == 0)
            return c->filters[i];
    return NULL;
}

/* ---- request helpers (read lock held) ------------------------------------- */

/* Sort a[0..n) ascending and drop repeats; returns the new length. Live
 * event lists are usually a handful of items, where insertion sort beats
 * qsort's call overhead. */
static int64_t sort_unique_small(int32_t *a, int64_t n)
{
    if (n > 32)
        return tsrec__items_sort_unique(a, n);
    for (int64_t i = 1; i < n; i++) {
        int32_t x = a[i];
        int64_t j = i;
        for (; j > 0 && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
    int64_t w = n > 0 ? 1 : 0;
    for (int64_t i = 1; i < n; i++)
        if (a[i] != a[w - 1])
            a[w++] = a[i];
    return w;
}

/* Items of user u (store history and live events), sorted and unique:
 * *out points into the campaign's prebuilt history when the user has no
 * live events (no copy), else into scratch[0..cap) or, when that is too
 * small, into a new array handed back in *heap for the caller to free.
 * *out NULL and *n 0 for a user without history. */
static int user_items(const tsrec_campaign *c, int64_t u, int32_t *scratch, int64_t cap,
                      int32_t **heap, const int32_t **out, int64_t *n)
{
    *out = NULL;
    *n = 0;
    *heap = NULL;
    if (u < 0)
        return TSREC_OK;
    const int32_t *hs = NULL;
    int64_t ns = 0;
    if (u < c->n_hist_users) {
        hs = c->hist_item + c->hist_off[u];
        ns = c->hist_off[u + 1] - c->hist_off[u];
    }
    int64_t nl = u < c->n_live ? c->live[u].n : 0;
    if (nl == 0) {
        *out = ns > 0 ? hs : NULL;
        *n = ns;
        return TSREC_OK;
    }
    int32_t *a = scratch;
    if (ns + nl > cap) {
        a = tsrec__alloc(c->hdr.ctx, (size_t)(ns + nl) * sizeof(int32_t));
        if (a == NULL)
            return tsrec__fail(NULL, TSREC_E_NOMEM, "GetRecommendations: out of memory");
        *heap = a;
    }
    /* live items sorted at the front, then merged with the history from the
     * back: the write position k stays above the unread live items (k >=
     * i + j + 1), so the merge needs no second buffer. */
    memcpy(a, c->live[u].item, (size_t)nl * sizeof(int32_t));
    int64_t i = sort_unique_small(a, nl) - 1, j = ns - 1, k = ns + nl - 1;
    while (i >= 0 || j >= 0) {
        int32_t x;
        if (j < 0 || (i >= 0 && a[i] > hs[j])) {
            x = a[i--];
        } else if (i < 0 || hs[j] > a[i]) {
            x = hs[j--];
        } else { /* in both: keep once */
            x = hs[j--];
            i--;
        }
        a[k--] = x;
    }
    *out = a + k + 1;
    *n = ns + nl - 1 - k;
    return TSREC_OK;
}

/* Up to cap most recent items of user u, newest first. */
static int64_t recent_items(const tsrec_campaign *c, int64_t u, int32_t *out, int64_t cap)
{
    int64_t k = 0;
    if (u < 0)
        return 0;
    if (u < c->n_live)
        for (int64_t i = c->live[u].n - 1; i >= 0 && k < cap; i--)
            out[k++] = c->live[u].item[i];
    const tsrec__interactions *s = &c->version->store;
    if (u < s->n_users)
        for (int64_t i = s->user_off[u + 1] - 1; i >= s->user_off[u] && k < cap; i--)
            out[k++] = s->item[i];
    return k;
}

static int64_t lookup(const tsrec__strdict *d, const char *s, size_t len)
{
    return s == NULL ? -1 : tsrec__strdict_lookup(d, s, len);
}

/* Recommend with a filter: fetch growing candidate lists until num pass. */
static int recommend_filtered(const tsrec_campaign *c, const tsrec__rec_request *req, int64_t u,
                              int64_t it, const int32_t *ex, int64_t ne, int32_t *out_items,
                              double *out_scores, int64_t *out_n)
{
    tsrec_ctx *ctx = c->hdr.ctx;
    const tsrec__recipe *r = c->version->recipe;
    tsrec__filter_ud ud;
    int rc = tsrec__filter_ud_init(&ud, c, req->filter, u);
    if (rc != TSREC_OK)
        return rc;
    tsrec__filter_env env = {&tsrec__campaign_filter_callbacks, &ud, u, it};
    int64_t n_items = r->n_items(c->version->model);
    int64_t k = TSREC__MIN(TSREC__MAX(2 * req->num_results, 64), TSREC__MAX(n_items, 1));
    int32_t *items = NULL;
    double *scores = NULL;
    int64_t *cand = NULL;
    for (;;) {
        items = tsrec__alloc(ctx, (size_t)k * sizeof(int32_t));
        scores = tsrec__alloc(ctx, (size_t)k * sizeof(double));
        cand = tsrec__alloc(ctx, (size_t)k * sizeof(int64_t));
        if (items == NULL || scores == NULL || cand == NULL) {
            rc = tsrec__fail(NULL, TSREC_E_NOMEM, "GetRecommendations: out of memory");
            break;
        }
        int64_t got = r->recommend(c->version->model, it, ex, ne, k, items, scores);
        for (int64_t i = 0; i < got; i++)
            cand[i] = items[i];
        int64_t kept = 0;
        tsrec__filter_keep_batch(req->filter->compiled, req->binding, &env, cand, got, cand,
                                 &kept);
        if (kept >= req->num_results || got < k || k >= n_items) {
            /* map kept candidates back to their scores (order is kept) */
            int64_t m = TSREC__MIN(kept, req->num_results), j = 0;
            for (int64_t i = 0; i < m; i++) {
                while (items[j] != cand[i])
                    j++;
                out_items[i] = items[j];
                out_scores[i] = scores[j];
            }
            *out_n = m;
            break;
        }
        tsrec__free(ctx, items);
        tsrec__free(ctx, scores);
        tsrec__free(ctx, cand);
        items = NULL;
        scores = NULL;
        cand = NULL;
        k = TSREC__MIN(k * 4, n_items);
    }
    tsrec__free(ctx, items);
    tsrec__free(ctx, scores);
    tsrec__free(ctx, cand);
    tsrec__filter_ud_free(&ud);
    return rc;
}

int tsrec__campaign_recommend_core(const tsrec_campaign *c, const tsrec__rec_request *req,
                                   int32_t *out_items, double *out_scores, int64_t *out_n)
{
    const tsrec__recipe *r = c->version->recipe;
    *out_n = 0;
    if (req->num_results < 1 || req->num_results > TSREC__NUM_RESULTS_MAX)
        return tsrec__fail(NULL, TSREC_E_OUT_OF_RANGE, "numResults must be 1 to %d, not %" PRId64,
                           TSREC__NUM_RESULTS_MAX, req->num_results);
    if (req->user_id != NULL && (req->user_len < 1 || req->user_len > TSREC__MAX_ID))
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG, "userId must be 1-256 characters");
    if (req->item_id != NULL && (req->item_len < 1 || req->item_len > TSREC__MAX_ID))
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG, "itemId must be 1-256 characters");
    if (r->type == TSREC__RECIPE_RELATED_ITEMS && req->item_id == NULL)
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG,
                           "GetRecommendations: itemId is required for a %s (RELATED_ITEMS) "
                           "campaign",
                           r->name);
    tsrec_campaign *mc = (tsrec_campaign *)c; /* the lock and counter are not logical state */
    pthread_rwlock_rdlock(mc->lock);
    int64_t u = lookup(&c->group->users, req->user_id, req->user_len);
    int64_t it = -1;
    if (r->type == TSREC__RECIPE_RELATED_ITEMS)
        it = lookup(&c->group->items, req->item_id, req->item_len);
    /* 2 KiB of stack covers most histories with live events; longer ones
     * take one allocation */
    int32_t scratch[512];
    int32_t *heap = NULL;
    const int32_t *ex = NULL;
    int64_t ne = 0;
    int rc = user_items(c, u, scratch, (int64_t)(sizeof scratch / sizeof scratch[0]), &heap, &ex,
                        &ne);
    if (rc == TSREC_OK) {
        if (req->filter == NULL)
            *out_n = r->recommend(c->version->model, it, ex, ne, req->num_results, out_items,
                                  out_scores);
        else
            rc = recommend_filtered(c, req, u, it, ex, ne, out_items, out_scores, out_n);
    }
    pthread_rwlock_unlock(mc->lock);
    tsrec__free(c->hdr.ctx, heap);
    return rc;
}

/* ---- ranking -------------------------------------------------------------- */

typedef struct rank_entry {
    double score; /* NaN: unknown */
    int64_t pos;  /* input order */
} rank_entry;

static int cmp_rank(const void *a, const void *b)
{
    const rank_entry *x = a, *y = b;
    int xn = isnan(x->score), yn = isnan(y->score);
    if (xn != yn)
        return xn - yn; /* known first */
    if (!xn && x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* GetPersonalizedRanking: inputList items in the recipe's order for the
 * user (Popularity-Count: distinct-user counts; SIMS: summed similarity to
 * the user's 100 most recent items), ties in input order; items the model
 * does not know come last, unscored, in input order (AWS: "items unseen in
 * training appended at end without score"). Unlike GetRecommendations the
 * user's own items are not removed (AWS ranks the list it is given). A
 * filter removes the items it rejects. */
int tsrec__campaign_rank_core(const tsrec_campaign *c, const char *user_id, size_t user_len,
                              const char *const *ids, const size_t *lens, int64_t n,
                              const tsrec_filter *filter, const tsrec__filter_binding *binding,
                              int64_t *out_order, double *out_scores, int64_t *out_n)
{
    tsrec_ctx *ctx = c->hdr.ctx;
    const tsrec__recipe *r = c->version->recipe;
    *out_n = 0;
    if (n < 1 || n > TSREC__INPUT_LIST_MAX)
        return tsrec__fail(NULL, TSREC_E_OUT_OF_RANGE, "inputList must hold 1 to %d items",
                           TSREC__INPUT_LIST_MAX);
    int64_t *code = tsrec__alloc(ctx, (size_t)n * sizeof(int64_t));
    int64_t *sorted = tsrec__alloc(ctx, (size_t)n * sizeof(int64_t));
    double *sc = tsrec__alloc(ctx, (size_t)n * sizeof(double));
    rank_entry *e = tsrec__alloc(ctx, (size_t)n * sizeof(rank_entry));
    int32_t *hist = tsrec__alloc(ctx, 100 * sizeof(int32_t));
    int rc = TSREC_OK;
    if (code == NULL || sorted == NULL || sc == NULL || e == NULL || hist == NULL)
        rc = tsrec__fail(NULL, TSREC_E_NOMEM, "GetPersonalizedRanking: out of memory");
    tsrec_campaign *mc = (tsrec_campaign *)c;
    if (rc == TSREC_OK) {
        pthread_rwlock_rdlock(mc->lock);
        int64_t u = lookup(&c->group->users, user_id, user_len);
        int64_t n_model = r->n_items(c->version->model);
        for (int64_t i = 0; i < n; i++) {
            code[i] = tsrec__strdict_lookup(&c->group->items, ids[i], lens[i]);
            if (code[i] >= n_model)
                code[i] = -1;
        }
        memcpy(sorted, code, (size_t)n * sizeof(int64_t));
        qsort(sorted, (size_t)n, sizeof(int64_t), cmp_i64);
        int64_t m = 0;
        for (int64_t i = 0; i < n; i++)
            if (sorted[i] >= 0 && (m == 0 || sorted[m - 1] != sorted[i]))
                sorted[m++] = sorted[i];
        int64_t nh = recent_items(c, u, hist, 100);
        r->rank(c->version->model, hist, nh, sorted, m, sc);
        tsrec__filter_ud ud;
        int has_ud = 0;
        if (filter != NULL) {
            rc = tsrec__filter_ud_init(&ud, c, filter, u);
            has_ud = rc == TSREC_OK;
        }
        int64_t k = 0;
        for (int64_t i = 0; rc == TSREC_OK && i < n; i++) {
            if (filter != NULL) {
                tsrec__filter_env env = {&tsrec__campaign_filter_callbacks, &ud, u, -1};
                if (code[i] >= 0 && !tsrec__filter_keep(filter->compiled, binding, &env, code[i]))
                    continue;
            }
            double s = NAN;
            if (code[i] >= 0) {
                int64_t lo = 0, hi = m;
                while (lo < hi) {
                    int64_t mid = lo + (hi - lo) / 2;
                    if (sorted[mid] < code[i])
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                s = sc[lo];
            }
            e[k].score = s;
            e[k].pos = i;
            k++;
        }
        if (has_ud)
            tsrec__filter_ud_free(&ud);
        pthread_rwlock_unlock(mc->lock);
        if (rc == TSREC_OK) {
            qsort(e, (size_t)k, sizeof(rank_entry), cmp_rank);
            for (int64_t i = 0; i < k; i++) {
                out_order[i] = e[i].pos;
                out_scores[i] = e[i].score;
            }
            *out_n = k;
        }
    }
    tsrec__free(ctx, code);
    tsrec__free(ctx, sorted);
    tsrec__free(ctx, sc);
    tsrec__free(ctx, e);
    tsrec__free(ctx, hist);
    return rc;
}

/* ---- C array form ---------------------------------------------------------- */

int tsrec_campaign_recommend(const tsrec_campaign *campaign, const char *user_id,
                             const char *item_id, int64_t num_results, const char **out_items,
                             double *out_scores, int64_t *out_n)
{
    TSREC__CHECK(campaign, TSREC__MAGIC_CAMPAIGN, "tsrec_campaign_recommend", "tsrec_campaign");
    if (out_items == NULL || out_scores == NULL || out_n == NULL)
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG, "tsrec_campaign_recommend: NULL output");
    *out_n = 0;
    if (num_results < 1 || num_results > TSREC__NUM_RESULTS_MAX)
        return tsrec__fail(NULL, TSREC_E_OUT_OF_RANGE,
                           "numResults must be 1 to %d, not %" PRId64, TSREC__NUM_RESULTS_MAX,
                           num_results);
    tsrec__rec_request req;
    memset(&req, 0, sizeof req);
    req.user_id = user_id;
    req.user_len = user_id != NULL ? strlen(user_id) : 0;
    req.item_id = item_id;
    req.item_len = item_id != NULL ? strlen(item_id) : 0;
    req.num_results = num_results;
    /* numResults is at most 500: the codes fit on the stack (2 KiB), so a
     * query allocates nothing */
    int32_t codes[TSREC__NUM_RESULTS_MAX];
    int64_t n = 0;
    int rc = tsrec__campaign_recommend_core(campaign, &req, codes, out_scores, &n);
    if (rc == TSREC_OK) {
        for (int64_t i = 0; i < n; i++)
            out_items[i] = tsrec__version_item_id(campaign->version, codes[i]);
        *out_n = n;
    }
    return rc;
}
