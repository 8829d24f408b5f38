/* Saving and loading a campaign (include/tsrec/io.h).
 *
 * Payload (TSREC__CAMPAIGN_STATE_VERSION 1):
 *   str  CreateCampaign request JSON (name, solutionVersionArn)
 *   i64  solution version number, str its ARN
 *   i64  requests served so far (recommendationIds continue from there)
 *   i64  number of attached filters, str each name
 *   i64  users with live state, then per user code: i32s items, i32s
 *        event type codes (events streamed by trackers since creation)
 * Loading goes onto the solution that holds the version (checked by
 * number and ARN), recreates the campaign from the request JSON (its Items
 * / Users row indexes are rebuilt from the group, as CreateCampaign does)
 * and refills the live state, checking every code against the group.
 * Filters and event trackers are separate objects: the filter names are
 * kept for reference only, so the caller attaches the filters again
 * (tsrec_campaign_attach_filter) and the campaign to its event trackers
 * (tsrec_event_tracker_attach). The group must hold the events streamed
 * before the save (save the group after them, or load both together). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pz_save_internal.h"

/* ---- save ------------------------------------------------------------------ */

static int request_json(const tsrec_campaign *c, tsrec__handle *eh, char **out)
{
    tsrec__json_writer w;
    tsrec__jw_init(&w, c->hdr.ctx);
    tsrec__jw_object_begin(&w);
    tsrec__jw_key(&w, "name", 4);
    tsrec__jw_string(&w, c->name, strlen(c->name));
    tsrec__jw_key(&w, "solutionVersionArn", 18);
    tsrec__jw_string(&w, c->version->arn, strlen(c->version->arn));
    tsrec__jw_object_end(&w);
    int rc = tsrec__pz_jw_text(&w, eh, out);
    tsrec__jw_free(&w);
    return rc;
}

static void write_state(tsrec__wbuf *b, tsrec_campaign *c)
{
    tsrec__wbuf_i64(b, c->version->number);
    tsrec__wbuf_str(b, c->version->arn);
    tsrec__wbuf_i64(b, (int64_t)atomic_load(&c->n_requests));
    tsrec__wbuf_i64(b, c->n_filters);
    for (int64_t i = 0; i < c->n_filters; i++)
        tsrec__wbuf_str(b, c->filters[i]->name);
    tsrec__wbuf_i64(b, c->n_live);
    for (int64_t u = 0; u < c->n_live; u++) {
        tsrec__wbuf_i32s(b, c->live[u].item, c->live[u].n);
        tsrec__wbuf_i32s(b, c->live[u].etype, c->live[u].n);
    }
}

static int campaign_save_any(const tsrec_campaign *campaign, const char *fn, const char *path,
                             tsrec_write_fn write, void *user)
{
    TSREC__CHECK(campaign, TSREC__MAGIC_CAMPAIGN, fn, "tsrec_campaign");
    tsrec_campaign *c = (tsrec_campaign *)campaign; /* lock and error record only */
    tsrec__handle *eh = &c->hdr;
    int rc = tsrec__pz_bad_dest(eh, fn, path, write);
    if (rc != TSREC_OK)
        return rc;
    char *json = NULL;
    rc = request_json(c, eh, &json);
    if (rc != TSREC_OK)
        return rc;
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, c->hdr.ctx);
    tsrec__wbuf_str(&b, json);
    tsrec__free(c->hdr.ctx, json);
    /* the live state is consistent only under the lock (trackers write it) */
    pthread_rwlock_rdlock(c->lock);
    write_state(&b, c);
    pthread_rwlock_unlock(c->lock);
    rc = tsrec__container_save_any(eh, TSREC_OBJECT_CAMPAIGN, TSREC__CAMPAIGN_STATE_VERSION, &b,
                                   path, write, user);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec_campaign_save(const tsrec_campaign *campaign, const char *path)
{
    return campaign_save_any(campaign, "tsrec_campaign_save", path != NULL ? path : "", NULL,
                             NULL);
}

int tsrec_campaign_save_to(const tsrec_campaign *campaign, tsrec_write_fn write, void *user)
{
    return campaign_save_any(campaign, "tsrec_campaign_save_to", NULL, write, user);
}

/* ---- load ------------------------------------------------------------------ */

static int find_version(tsrec_solution *s, tsrec__rbuf *r, tsrec__handle *eh,
                        tsrec_solution_version **out)
{
    char arn[256];
    int64_t number = tsrec__rbuf_i64(r);
    if (r->failed || tsrec__rbuf_str_into(r, arn, sizeof arn) != TSREC_OK)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved campaign: bad solution version reference");
    for (int64_t i = 0; i < s->n_versions; i++)
        if (s->versions[i]->number == number && strcmp(s->versions[i]->arn, arn) == 0) {
            *out = s->versions[i];
            return TSREC_OK;
        }
    return tsrec__fail(eh, TSREC_E_FORMAT,
                       "the campaign was saved on solution version %s, which solution '%s' does "
                       "not hold (load the campaign onto the solution it was created from)",
                       arn, s->name);
}

/* Filter names: checked, then dropped (the caller attaches the filters). */
static int skip_filters(tsrec__rbuf *r, tsrec__handle *eh)
{
    int64_t n = tsrec__rbuf_count(r, sizeof(int64_t));
    for (int64_t i = 0; !r->failed && i < n; i++) {
        char name[64];
        if (tsrec__rbuf_str_into(r, name, sizeof name) != TSREC_OK)
            break;
    }
    if (r->failed)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved campaign: bad filter names");
    return TSREC_OK;
}

/* Live events of user u: item / event type codes checked against the
 * group, then added as a tracker would. */
static int read_live_user(tsrec_campaign *c, tsrec__rbuf *r, tsrec__handle *eh, int64_t u,
                          int64_t n_items, int64_t n_types)
{
    int64_t n = tsrec__rbuf_count(r, sizeof(int32_t));
    const void *item = n > 0 ? tsrec__rbuf_span(r, (size_t)n * sizeof(int32_t)) : NULL;
    int64_t n2 = tsrec__rbuf_count(r, sizeof(int32_t));
    const void *et = n2 > 0 ? tsrec__rbuf_span(r, (size_t)n2 * sizeof(int32_t)) : NULL;
    if (r->failed || n2 != n)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved campaign: bad live events");
    if (n == 0)
        return TSREC_OK;
    int rc = tsrec__campaign_reserve(c, eh, u, n);
    if (rc != TSREC_OK)
        return rc;
    /* the spans are little-endian and unaligned: decode them with readers */
    tsrec__rbuf ri, rt;
    tsrec__rbuf_init(&ri, item, (size_t)n * sizeof(int32_t));
    tsrec__rbuf_init(&rt, et, (size_t)n * sizeof(int32_t));
    for (int64_t k = 0; k < n; k++) {
        int32_t it = tsrec__rbuf_i32(&ri), ty = tsrec__rbuf_i32(&rt);
        if (it < 0 || it >= n_items || ty < -1 || ty >= n_types)
            return tsrec__fail(eh, TSREC_E_FORMAT,
                               "saved campaign: a live event refers to an item or event type "
                               "the dataset group does not have (load the group saved after "
                               "the events)");
        tsrec__campaign_add_event(c, u, it, ty);
    }
    return TSREC_OK;
}

static int read_state(tsrec_campaign *c, tsrec__rbuf *r, tsrec__handle *eh)
{
    int64_t served = tsrec__rbuf_i64(r);
    if (r->failed || served < 0)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved campaign: bad request count");
    atomic_store(&c->n_requests, (unsigned long long)served);
    int rc = skip_filters(r, eh);
    if (rc != TSREC_OK)
        return rc;
    int64_t n_live = tsrec__rbuf_count(r, 2 * sizeof(int64_t));
    int64_t n_users = tsrec__strdict_count(&c->group->users);
    int64_t n_items = tsrec__strdict_count(&c->group->items);
    const tsrec__strdict *types = tsrec__pz_event_types(c->group);
    int64_t n_types = types != NULL ? tsrec__strdict_count(types) : 0;
    if (r->failed)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved campaign: bad live user count");
    if (n_live > n_users)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "saved campaign: live events of %" PRId64 " users but the dataset "
                           "group has %" PRId64 " (load the group saved after the events)",
                           n_live, n_users);
    for (int64_t u = 0; u < n_live; u++)
        if ((rc = read_live_user(c, r, eh, u, n_items, n_types)) != TSREC_OK)
            return rc;
    if (r->pos != r->len)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved campaign: %zu bytes after the end",
                           r->len - r->pos);
    return TSREC_OK;
}

static int parse_payload(tsrec_solution *s, const tsrec__payload *p, tsrec__handle *eh,
                         tsrec_campaign **out)
{
    tsrec_ctx *ctx = s->hdr.ctx;
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, p->data, p->len);
    char *json = NULL;
    int rc = tsrec__rbuf_str(&r, ctx, &json);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(eh, rc, "loading a campaign: out of memory");
    if (rc != TSREC_OK || json == NULL) {
        tsrec__free(ctx, json);
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved campaign: missing request JSON");
    }
    tsrec_solution_version *v = NULL;
    rc = find_version(s, &r, eh, &v);
    tsrec_campaign *c = NULL;
    if (rc == TSREC_OK) {
        rc = tsrec_campaign_create(v, json, strlen(json), &c);
        if (rc != TSREC_OK) { /* the message is on the version: bring it over */
            (void)tsrec__fail(eh, rc, "%s", v->hdr.errmsg);
            rc = tsrec__pz_load_fail(eh, rc, "saved campaign request");
        }
    }
    tsrec__free(ctx, json);
    if (rc == TSREC_OK)
        rc = read_state(c, &r, eh);
    if (rc != TSREC_OK) {
        tsrec_campaign_free(c);
        return rc;
    }
    *out = c;
    return TSREC_OK;
}

static int campaign_load_any(tsrec_solution *solution, const char *fn, const char *path,
                             tsrec_read_fn read, void *user, tsrec_campaign **out_campaign)
{
    if (out_campaign != NULL)
        *out_campaign = NULL;
    TSREC__CHECK(solution, TSREC__MAGIC_SOLUTION, fn, "tsrec_solution");
    tsrec__handle *eh = &solution->hdr;
    if (out_campaign == NULL || (path == NULL && read == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL argument", fn);
    tsrec__payload p;
    int rc = tsrec__container_load_any(eh, solution->hdr.ctx, TSREC_OBJECT_CAMPAIGN,
                                       TSREC__CAMPAIGN_STATE_VERSION, path, read, user, &p);
    if (rc != TSREC_OK)
        return rc;
    rc = parse_payload(solution, &p, eh, out_campaign);
    tsrec__payload_free(&p);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec_campaign_load(tsrec_solution *solution, const char *path,
                        tsrec_campaign **out_campaign)
{
    return campaign_load_any(solution, "tsrec_campaign_load", path, NULL, NULL, out_campaign);
}

int tsrec_campaign_load_from(tsrec_solution *solution, tsrec_read_fn read, void *user,
                             tsrec_campaign **out_campaign)
{
    return campaign_load_any(solution, "tsrec_campaign_load_from", NULL, read, user,
                             out_campaign);
}
