/* Saving and loading event trackers and filters (include/tsrec/io.h).
 * Both are configuration only, so their payload is their request JSON and
 * a load is a CreateEventTracker / CreateFilter on the group: the request
 * is checked again (a filter's expression is recompiled and its fields
 * resolved against the group's schemas), and any refusal is
 * TSREC_E_FORMAT recorded on the group.
 *
 * Event tracker payload (TSREC__TRACKER_STATE_VERSION 1): str request JSON
 * (name). Campaigns are separate objects: after loading, attach them again with
 * tsrec_event_tracker_attach, then PutEvents / PutUsers / PutItems work as
 * before. The trackingId is not stored by libtsrec (it checks its length
 * only), so nothing else is needed.
 *
 * Filter payload (TSREC__FILTER_STATE_VERSION 1): str request JSON (name,
 * filterExpression). */
#include <string.h>

#include "pz_save_internal.h"

/* Save a payload of one request JSON. */
static int save_json(tsrec__handle *eh, tsrec_ctx *ctx, uint32_t type, uint32_t version,
                     tsrec__json_writer *w, const char *path, tsrec_write_fn write, void *user)
{
    char *json = NULL;
    int rc = tsrec__pz_jw_text(w, eh, &json);
    if (rc != TSREC_OK)
        return rc;
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_str(&b, json);
    tsrec__free(ctx, json);
    rc = tsrec__container_save_any(eh, type, version, &b, path, write, user);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

/* Read the request JSON of a payload. */
static int read_json(tsrec__handle *eh, tsrec_ctx *ctx, const tsrec__payload *p,
                     const char *what, char **out)
{
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, p->data, p->len);
    *out = NULL;
    int rc = tsrec__rbuf_str(&r, ctx, out);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(eh, rc, "loading a saved %s: out of memory", what);
    if (rc != TSREC_OK || *out == NULL || r.failed || r.pos != r.len) {
        tsrec__free(ctx, *out);
        *out = NULL;
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved %s: bad payload", what);
    }
    return TSREC_OK;
}

/* Common entry of the loads onto a group. */
static int load_entry(tsrec_dataset_group *group, const char *fn, const char *path,
                      tsrec_read_fn read, const void *out)
{
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, fn, "tsrec_dataset_group");
    if (out == NULL || (path == NULL && read == NULL))
        return tsrec__fail(&group->hdr, TSREC_E_INVALID_ARG, "%s: NULL argument", fn);
    return TSREC_OK;
}

/* A create call refused the saved request: bring its message (recorded on
 * the ctx) over to the group. */
static int create_failed(tsrec_dataset_group *group, int rc, const char *what)
{
    (void)tsrec__fail(&group->hdr, rc, "%s", group->hdr.ctx->hdr.errmsg);
    return tsrec__pz_load_fail(&group->hdr, rc, what);
}

/* ---- event trackers ------------------------------------------------------- */

static int tracker_save_any(const tsrec_event_tracker *tracker, const char *fn, const char *path,
                            tsrec_write_fn write, void *user)
{
    TSREC__CHECK(tracker, TSREC__MAGIC_TRACKER, fn, "tsrec_event_tracker");
    tsrec_event_tracker *t = (tsrec_event_tracker *)tracker; /* error record only */
    int rc = tsrec__pz_bad_dest(&t->hdr, fn, path, write);
    if (rc != TSREC_OK)
        return rc;
    tsrec__json_writer w;
    tsrec__jw_init(&w, t->hdr.ctx);
    tsrec__jw_object_begin(&w);
    tsrec__jw_key(&w, "name", 4);
    tsrec__jw_string(&w, t->name, strlen(t->name));
    tsrec__jw_object_end(&w);
    rc = save_json(&t->hdr, t->hdr.ctx, TSREC_OBJECT_EVENT_TRACKER, TSREC__TRACKER_STATE_VERSION,
                   &w, path, write, user);
    tsrec__jw_free(&w);
    return rc;
}

int tsrec_event_tracker_save(const tsrec_event_tracker *tracker, const char *path)
{
    return tracker_save_any(tracker, "tsrec_event_tracker_save", path != NULL ? path : "", NULL,
                            NULL);
}

int tsrec_event_tracker_save_to(const tsrec_event_tracker *tracker, tsrec_write_fn write,
                                void *user)
{
    return tracker_save_any(tracker, "tsrec_event_tracker_save_to", NULL, write, user);
}

/* The request JSON a tracker or filter file holds (a copy allocated with
 * the group's ctx). */
static int load_request_json(tsrec_dataset_group *group, uint32_t type, uint32_t version,
                             const char *what, const char *path, tsrec_read_fn read, void *user,
                             char **out_json)
{
    tsrec__payload p;
    int rc = tsrec__container_load_any(&group->hdr, group->hdr.ctx, type, version, path, read,
                                       user, &p);
    if (rc != TSREC_OK)
        return rc;
    rc = read_json(&group->hdr, group->hdr.ctx, &p, what, out_json);
    tsrec__payload_free(&p);
    return rc;
}

static int tracker_load_any(tsrec_dataset_group *group, const char *fn, const char *path,
                            tsrec_read_fn read, void *user, tsrec_event_tracker **out)
{
    if (out != NULL)
        *out = NULL;
    int rc = load_entry(group, fn, path, read, out);
    if (rc != TSREC_OK)
        return rc;
    char *json = NULL;
    rc = load_request_json(group, TSREC_OBJECT_EVENT_TRACKER, TSREC__TRACKER_STATE_VERSION,
                           "event tracker", path, read, user, &json);
    if (rc != TSREC_OK)
        return rc;
    tsrec_ctx *ctx = group->hdr.ctx;
    rc = tsrec_event_tracker_create(group, json, strlen(json), out);
    tsrec__free(ctx, json);
    if (rc != TSREC_OK)
        return create_failed(group, rc, "saved event tracker request");
    return tsrec__ok(&group->hdr);
}

int tsrec_event_tracker_load(tsrec_dataset_group *group, const char *path,
                             tsrec_event_tracker **out_tracker)
{
    return tracker_load_any(group, "tsrec_event_tracker_load", path, NULL, NULL, out_tracker);
}

int tsrec_event_tracker_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user,
                                  tsrec_event_tracker **out_tracker)
{
    return tracker_load_any(group, "tsrec_event_tracker_load_from", NULL, read, user,
                            out_tracker);
}

/* ---- filters -------------------------------------------------------------- */

static int filter_save_any(const tsrec_filter *filter, const char *fn, const char *path,
                           tsrec_write_fn write, void *user)
{
    TSREC__CHECK(filter, TSREC__MAGIC_FILTER, fn, "tsrec_filter");
    tsrec_filter *f = (tsrec_filter *)filter; /* error record only */
    int rc = tsrec__pz_bad_dest(&f->hdr, fn, path, write);
    if (rc != TSREC_OK)
        return rc;
    if (f->expression == NULL)
        return tsrec__fail(&f->hdr, TSREC_E_INVALID_ARG, "%s: the filter has no expression", fn);
    tsrec__json_writer w;
    tsrec__jw_init(&w, f->hdr.ctx);
    tsrec__jw_object_begin(&w);
    tsrec__jw_key(&w, "name", 4);
    tsrec__jw_string(&w, f->name, strlen(f->name));
    tsrec__jw_key(&w, "filterExpression", 16);
    tsrec__jw_string(&w, f->expression, strlen(f->expression));
    tsrec__jw_object_end(&w);
    rc = save_json(&f->hdr, f->hdr.ctx, TSREC_OBJECT_FILTER, TSREC__FILTER_STATE_VERSION, &w,
                   path, write, user);
    tsrec__jw_free(&w);
    return rc;
}

int tsrec_filter_save(const tsrec_filter *filter, const char *path)
{
    return filter_save_any(filter, "tsrec_filter_save", path != NULL ? path : "", NULL, NULL);
}

int tsrec_filter_save_to(const tsrec_filter *filter, tsrec_write_fn write, void *user)
{
    return filter_save_any(filter, "tsrec_filter_save_to", NULL, write, user);
}

static int filter_load_any(tsrec_dataset_group *group, const char *fn, const char *path,
                           tsrec_read_fn read, void *user, tsrec_filter **out)
{
    if (out != NULL)
        *out = NULL;
    int rc = load_entry(group, fn, path, read, out);
    if (rc != TSREC_OK)
        return rc;
    char *json = NULL;
    rc = load_request_json(group, TSREC_OBJECT_FILTER, TSREC__FILTER_STATE_VERSION, "filter",
                           path, read, user, &json);
    if (rc != TSREC_OK)
        return rc;
    tsrec_ctx *ctx = group->hdr.ctx;
    rc = tsrec_filter_create(group, json, strlen(json), out);
    tsrec__free(ctx, json);
    if (rc != TSREC_OK)
        return create_failed(group, rc, "saved filter request");
    return tsrec__ok(&group->hdr);
}

int tsrec_filter_load(tsrec_dataset_group *group, const char *path, tsrec_filter **out_filter)
{
    return filter_load_any(group, "tsrec_filter_load", path, NULL, NULL, out_filter);
}

int tsrec_filter_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user,
                           tsrec_filter **out_filter)
{
    return filter_load_any(group, "tsrec_filter_load_from", NULL, read, user, out_filter);
}
