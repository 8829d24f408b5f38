/* Event trackers: CreateEventTracker, PutEvents, PutUsers, PutItems
 * (aws-surface.md B6).
 *
 * PutEvents checks the whole request against the AWS limits first
 * (trackingId 1-256, sessionId 1-256, userId 1-256, eventList 1-10 events;
 * per event eventType 1-256, sentAt a number of epoch seconds (fractions
 * truncated), itemId 1-256, eventValue a finite number, eventId 1-256,
 * properties a JSON object text of 1-1024 characters whose camelCase keys
 * name UPPER_SNAKE schema fields (numberOfRatings -> NUMBER_OF_RATINGS;
 * userId, sessionId, eventType, timestamp, recommendationId and impression
 * are forbidden there), impression 1-25 item ids, recommendationId 1-40,
 * metricAttribution.eventAttributionSource 1-1024), then appends the events
 * to the group's Interactions dataset (atomic: all or none) and to the live
 * state of every attached campaign. The append goes straight to the columns
 * as typed cells (src/data/append.c: no import session, ids interned once
 * per distinct value) whenever every value fits its column as it is; a
 * request that needs the import's text rules (a numeric property, a value
 * over a limit, a missing required field) runs one INCREMENTAL import of
 * the same cells instead, which checks and words errors as any import. The
 * live state is reserved before the append so that once the dataset has
 * the events nothing can fail. Choices:
 *  - an event needs an itemId: the Interactions dataset requires ITEM_ID;
 *  - without userId the sessionId is the USER_ID (AWS keys anonymous
 *    events by session and lets GetRecommendations pass it as userId);
 *  - trackingId is checked for its length only (libtsrec has no account
 *    registry to match it against);
 *  - item ids never seen before are stored (AWS accepts them); models
 *    ignore them until retrained.
 * PutUsers / PutItems (1-10 records, properties up to 24,000 / 32,000
 * characters) append to the Users / Items dataset the same way; the last
 * record of an id is the one filters read. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "append_internal.h"
#include "personalize_internal.h"

#define MAX_EVENTS 10
#define MAX_RECORDS 10
#define MAX_IMPRESSIONS 25
#define MAX_PROPERTIES 1024
#define MAX_USER_PROPERTIES 24000
#define MAX_ITEM_PROPERTIES 32000
#define MAX_RECOMMENDATION_ID 40

/* ---- create / attach ------------------------------------------------------ */

int tsrec_event_tracker_create(tsrec_dataset_group *group, const char *request_json, size_t len,
                               tsrec_event_tracker **out_tracker)
{
    if (out_tracker != NULL)
        *out_tracker = NULL;
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, "tsrec_event_tracker_create", "tsrec_dataset_group");
    tsrec_ctx *ctx = group->hdr.ctx;
    tsrec__handle *eh = &ctx->hdr;
    if (out_tracker == NULL || request_json == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_event_tracker_create: NULL argument");
    if (group->service != TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_event_tracker_create: group '%s' is not a Personalize group",
                           group->name);
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(ctx, eh, request_json, len, 0, &doc);
    const tsrec__json *root = tsrec__json_root(doc);
    const char *s = NULL;
    size_t sl = 0;
    if (rc == TSREC_OK)
        rc = tsrec__pz_want_object(eh, root, "CreateEventTracker request");
    for (int64_t i = 0; rc == TSREC_OK && i < root->u.obj.n; i++) {
        const char *k = root->u.obj.items[i].key;
        if (strcmp(k, "name") != 0 && strcmp(k, "datasetGroupArn") != 0 &&
            strcmp(k, "tags") != 0)
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "unknown or unsupported key '%s'", k);
    }
    if (rc == TSREC_OK && tsrec__json_get(root, "name") == NULL)
        rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "CreateEventTracker: 'name' is required");
    if (rc == TSREC_OK)
        rc = tsrec__json_as_string(tsrec__json_get(root, "name"), eh, "name", &s, &sl);
    if (rc == TSREC_OK)
        rc = tsrec__pz_check_name(eh, "event tracker name", s, sl);
    tsrec_event_tracker *t = NULL;
    if (rc == TSREC_OK) {
        t = tsrec__calloc(ctx, 1, sizeof(*t));
        if (t == NULL || (t->name = tsrec__pz_strndup(ctx, s, sl)) == NULL)
            rc = tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_event_tracker_create: out of memory");
    }
    tsrec__json_free(doc);
    if (rc != TSREC_OK) {
        tsrec__free(ctx, t);
        return rc;
    }
    tsrec__handle_init(&t->hdr, TSREC__MAGIC_TRACKER, ctx);
    t->group = group;
    *out_tracker = t;
    return tsrec__ok(eh);
}

void tsrec_event_tracker_free(tsrec_event_tracker *tracker)
{
    if (!tsrec__handle_is(tracker, TSREC__MAGIC_TRACKER))
        return;
    tsrec_ctx *ctx = tracker->hdr.ctx;
    tsrec__free(ctx, tracker->campaigns);
    tsrec__free(ctx, tracker->name);
    tsrec__handle_retire(&tracker->hdr);
    tsrec__free(ctx, tracker);
}

int tsrec_event_tracker_attach(tsrec_event_tracker *tracker, tsrec_campaign *campaign)
{
    TSREC__CHECK(tracker, TSREC__MAGIC_TRACKER, "tsrec_event_tracker_attach",
                 "tsrec_event_tracker");
    tsrec__handle *eh = &tracker->hdr;
    if (!tsrec__handle_is(campaign, TSREC__MAGIC_CAMPAIGN))
        return tsrec__fail(eh, TSREC_E_MISUSE,
                           "tsrec_event_tracker_attach: not a live tsrec_campaign");
    if (campaign->group != tracker->group)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "campaign '%s' belongs to another dataset group", campaign->name);
    for (int64_t i = 0; i < tracker->n_campaigns; i++)
        if (tracker->campaigns[i] == campaign)
            return tsrec__ok(eh);
    tsrec_campaign **p = tsrec__realloc(tracker->hdr.ctx, tracker->campaigns,
                                        (size_t)(tracker->n_campaigns + 1) * sizeof(*p));
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_event_tracker_attach: out of memory");
    p[tracker->n_campaigns++] = campaign;
    tracker->campaigns = p;
    return tsrec__ok(eh);
}

/* ---- request building ----------------------------------------------------- */

/* strcmp(m->key, lit) == 0 without the library call (keys are compared on
 * every event): the key's first strlen(lit) + 1 bytes, NUL included, equal
 * the literal's; a key shorter than the literal cannot match. */
#define KEY_IS(m, lit) \
    ((m)->key_len >= sizeof(lit) - 1 && memcmp((m)->key, lit, sizeof(lit)) == 0)

/* Text storage for the cells of one call: an arena sized up front. */
typedef struct arena {
    char *buf;
    size_t len, cap;
} arena;

static char *arena_put(arena *a, const char *s, size_t len)
{
    if (a->cap - a->len < len + 1)
        return NULL;
    char *p = a->buf + a->len;
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    a->len += len + 1;
    return p;
}

/* The rows of one call as typed cells (n x nf, schema order; zeroed =
 * missing). Strings point into the request's JSON document or the arena,
 * both alive until the rows are stored. */
typedef struct build {
    tsrec_ctx *ctx;
    tsrec__handle *eh;
    const tsrec_dataset *ds;
    int64_t nf;
    int64_t role_field[TSREC__ROLE_EVENT_ATTRIBUTION_SOURCE + 1]; /* field of each role, -1 */
    tsrec__cell *cells;
    arena ar;
    tsrec__json_doc *props[MAX_RECORDS];
    int n_props;
} build;

static int str_field(tsrec__handle *eh, const tsrec__json *v, const char *what, size_t lo,
                     size_t hi, const char **s, size_t *len)
{
    int rc = tsrec__json_as_string(v, eh, what, s, len);
    if (rc != TSREC_OK)
        return rc;
    if (*len < lo || *len > hi || strlen(*s) != *len)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s must be %zu-%zu characters", what, lo, hi);
    return TSREC_OK;
}

/* numberOfRatings -> NUMBER_OF_RATINGS */
static size_t upper_snake(const char *k, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 2 < cap; i++) {
        char ch = k[i];
        int up = ch >= 'A' && ch <= 'Z';
        if (up && i > 0 && ((k[i - 1] >= 'a' && k[i - 1] <= 'z') || (k[i - 1] >= '0' && k[i - 1] <= '9')))
            out[o++] = '_';
        out[o++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
    }
    out[o] = '\0';
    return o;
}

static const char *const FORBIDDEN[] = {"userId", "sessionId", "eventType", "timestamp",
                                        "recommendationId", "impression"};

/* Parse a properties JSON string into row `row` of the cells. */
static int put_properties(build *b, const tsrec__json *v, const char *what, size_t max_chars,
                          int64_t row, int events)
{
    const char *s;
    size_t len;
    int rc = str_field(b->eh, v, what, 1, max_chars, &s, &len);
    if (rc != TSREC_OK)
        return rc;
    tsrec__json_doc *doc = NULL;
    if ((rc = tsrec__json_parse(b->ctx, b->eh, s, len, 8, &doc)) != TSREC_OK) {
        char why[TSREC__ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", b->eh->errmsg);
        return tsrec__fail(b->eh, rc, "%s is not valid JSON: %s", what, why);
    }
    b->props[b->n_props++] = doc;
    const tsrec__json *o = tsrec__json_root(doc);
    if ((rc = tsrec__pz_want_object(b->eh, o, what)) != TSREC_OK)
        return rc;
    for (int64_t i = 0; i < o->u.obj.n; i++) {
        const tsrec__json_member *m = &o->u.obj.items[i];
        if (events)
            for (size_t k = 0; k < TSREC__ARRAY_LEN(FORBIDDEN); k++)
                if (strcmp(m->key, FORBIDDEN[k]) == 0)
                    return tsrec__fail(b->eh, TSREC_E_INVALID_ARG,
                                       "%s may not hold '%s' (it is a request field)", what,
                                       m->key);
        char name[160];
        upper_snake(m->key, m->key_len, name, sizeof name);
        int64_t f = tsrec__schema_find(b->ds->schema, name);
        if (f < 0)
            return tsrec__fail(b->eh, TSREC_E_INVALID_ARG,
                               "%s key '%s' maps to field %s, which the %s dataset's schema "
                               "does not have",
                               what, m->key, name, b->ds->name);
        /* Reserved fields come from the request (itemId, eventValue, ...),
         * except an item's creationTimestamp, which only properties carry
         * (an Items schema may require it). */
        if (b->ds->roles[f] != TSREC__ROLE_OTHER &&
            b->ds->roles[f] != TSREC__ROLE_CREATION_TIMESTAMP)
            return tsrec__fail(b->eh, TSREC_E_INVALID_ARG,
                               "%s key '%s' names the reserved field %s", what, m->key, name);
        /* Properties are text parsed by the field's rule, as in a CSV. */
        const char *text = NULL;
        switch (tsrec__json_type(&m->value)) {
        case TSREC__JSON_STRING:
            text = arena_put(&b->ar, m->value.u.str.ptr, m->value.u.str.len);
            break;
        case TSREC__JSON_NUMBER:
            text = arena_put(&b->ar, m->value.u.num.text, m->value.u.num.len);
            break;
        case TSREC__JSON_BOOL:
            text = m->value.u.boolean ? "true" : "false";
            break;
        case TSREC__JSON_NULL:
            text = NULL;
            break;
        default:
            return tsrec__fail(b->eh, TSREC_E_BAD_TYPE,
                               "%s key '%s' must be a string, number, boolean or null", what,
                               m->key);
        }
        if (text == NULL && tsrec__json_type(&m->value) != TSREC__JSON_NULL)
            return tsrec__fail(b->eh, TSREC_E_NOMEM, "%s: out of scratch space", what);
        tsrec__cell *c = &b->cells[row * b->nf + f];
        memset(c, 0, sizeof(*c));
        if (text != NULL) {
            /* strlen: a string holding \u0000 ends there, as the row
             * import of this text always did */
            c->ptr = text;
            c->len = strlen(text);
            c->present = 1;
        }
    }
    return TSREC_OK;
}

/* The cell of the field with `role` in row `row`, or NULL when the schema
 * has no such field. */
static tsrec__cell *role_cell(build *b, int64_t row, int32_t role)
{
    int64_t f = b->role_field[role];
    return f >= 0 ? &b->cells[row * b->nf + f] : NULL;
}

static void set_text(build *b, int64_t row, int32_t role, const char *s, size_t len)
{
    tsrec__cell *c = role_cell(b, row, role);
    if (c == NULL || s == NULL)
        return;
    memset(c, 0, sizeof(*c));
    c->kind = TSREC__CELL_TEXT;
    c->ptr = s;
    c->len = len;
    c->present = 1;
}

/* sentAt, already checked to lie in years 1970..9999: typed, so the append
 * needs no text round trip (the import accepts TIME cells the same way). */
static void set_time(build *b, int64_t row, int64_t t)
{
    tsrec__cell *c = role_cell(b, row, TSREC__ROLE_TIMESTAMP);
    if (c == NULL)
        return;
    memset(c, 0, sizeof(*c));
    c->kind = TSREC__CELL_TIME;
    c->i = t;
    c->present = 1;
}

/* eventValue: a REAL cell for a float column, read from the number's text
 * with the import's own parser (the same double a CSV field gives); text
 * for any other column type or a value it refuses, so the import parses
 * and words the error as before. */
static void set_value(build *b, int64_t row, const tsrec__json *v)
{
    int64_t f = b->role_field[TSREC__ROLE_EVENT_VALUE];
    if (f < 0)
        return;
    tsrec__cell *c = &b->cells[row * b->nf + f];
    int32_t kind = b->ds->cols[f].kind;
    double d = 0.0;
    memset(c, 0, sizeof(*c));
    c->present = 1;
    if ((kind == TSREC__COL_F32 || kind == TSREC__COL_F64) &&
        tsrec__parse_f64(v->u.num.text, v->u.num.len, &d) == TSREC__PARSE_OK) {
        c->kind = TSREC__CELL_REAL;
        c->d = d;
    } else {
        c->kind = TSREC__CELL_TEXT;
        c->ptr = v->u.num.text;
        c->len = v->u.num.len;
    }
}

static int parse_event(build *b, const tsrec__json *ev, int64_t row, const char *user,
                       size_t user_len)
{
    tsrec__handle *eh = b->eh;
    int rc = tsrec__pz_want_object(eh, ev, "eventList entry");
    if (rc != TSREC_OK)
        return rc;
    const char *s;
    size_t len;
    const char *etype = NULL, *item = NULL, *rid = NULL, *impr = NULL;
    size_t etype_len = 0, item_len = 0, rid_len = 0, impr_len = 0;
    const tsrec__json *value = NULL;
    int64_t ts = 0;
    int has_ts = 0;
    for (int64_t i = 0; i < ev->u.obj.n; i++) {
        const tsrec__json_member *m = &ev->u.obj.items[i];
        const char *k = m->key;
        const tsrec__json *v = &m->value;
        if (KEY_IS(m, "eventType")) {
            if ((rc = str_field(eh, v, "eventType", 1, TSREC__MAX_ID, &s, &len)) == TSREC_OK) {
                etype = s;
                etype_len = len;
            }
        } else if (KEY_IS(m, "sentAt")) {
            double d = 0.0;
            rc = tsrec__json_type(v) == TSREC__JSON_NUMBER
                     ? tsrec__json_as_double(v, eh, k, &d)
                     : tsrec__fail(eh, TSREC_E_BAD_TYPE,
                                   "sentAt must be a number of epoch seconds");
            if (rc == TSREC_OK && (d < 0.0 || d > 253402300799.0))
                rc = tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                                 "sentAt must be epoch seconds from 1970 to 9999");
            if (rc == TSREC_OK) {
                ts = (int64_t)d; /* fractions of a second truncated */
                has_ts = 1;
            }
        } else if (KEY_IS(m, "itemId")) {
            if ((rc = str_field(eh, v, "itemId", 1, TSREC__MAX_ID, &s, &len)) == TSREC_OK) {
                item = s;
                item_len = len;
            }
        } else if (KEY_IS(m, "eventValue")) {
            double d;
            if ((rc = tsrec__json_as_double(v, eh, k, &d)) == TSREC_OK)
                value = v;
        } else if (KEY_IS(m, "eventId")) {
            rc = str_field(eh, v, "eventId", 1, TSREC__MAX_ID, &s, &len);
        } else if (KEY_IS(m, "properties")) {
            rc = put_properties(b, v, "properties", MAX_PROPERTIES, row, 1);
        } else if (KEY_IS(m, "recommendationId")) {
            if ((rc = str_field(eh, v, "recommendationId", 1, MAX_RECOMMENDATION_ID, &s, &len)) ==
                TSREC_OK) {
                rid = s;
                rid_len = len;
            }
        } else if (KEY_IS(m, "impression")) {
            int64_t n = tsrec__json_len(v);
            if (tsrec__json_type(v) != TSREC__JSON_ARRAY || n < 1 || n > MAX_IMPRESSIONS)
                rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                 "impression must be an array of 1 to %d item ids",
                                 MAX_IMPRESSIONS);
            char *start = b->ar.buf + b->ar.len;
            for (int64_t j = 0; rc == TSREC_OK && j < n; j++) {
                rc = str_field(eh, tsrec__json_at(v, j), "impression entry", 1, TSREC__MAX_ID, &s,
                               &len);
                if (rc == TSREC_OK && memchr(s, '|', len) != NULL)
                    rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                     "impression entries may not contain '|'");
                if (rc == TSREC_OK) {
                    if (b->ar.cap - b->ar.len < len + 2)
                        rc = tsrec__fail(eh, TSREC_E_NOMEM, "PutEvents: out of scratch space");
                    else {
                        if (j > 0)
                            b->ar.buf[b->ar.len - 1] = '|'; /* replace the NUL */
                        else
                            start = b->ar.buf + b->ar.len;
                        memcpy(b->ar.buf + b->ar.len, s, len);
                        b->ar.len += len;
                        b->ar.buf[b->ar.len++] = '\0';
                    }
                }
            }
            if (rc == TSREC_OK) {
                impr = start;
                impr_len = strlen(start);
            }
        } else if (KEY_IS(m, "metricAttribution")) {
            rc = tsrec__pz_want_object(eh, v, "metricAttribution");
            const tsrec__json *src = tsrec__json_get(v, "eventAttributionSource");
            if (rc == TSREC_OK && (src == NULL || v->u.obj.n != 1))
                rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                 "metricAttribution holds exactly eventAttributionSource");
            if (rc == TSREC_OK)
                rc = str_field(eh, src, "eventAttributionSource", 1, 1024, &s, &len);
        } else {
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "unknown key 'eventList[].%s'", k);
        }
        if (rc != TSREC_OK)
            return rc;
    }
    if (etype == NULL || !has_ts)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "every event needs eventType and sentAt");
    if (item == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "every event needs an itemId (the Interactions dataset requires "
                           "ITEM_ID)");
    set_text(b, row, TSREC__ROLE_USER_ID, user, user_len);
    set_text(b, row, TSREC__ROLE_ITEM_ID, item, item_len);
    set_time(b, row, ts);
    set_text(b, row, TSREC__ROLE_EVENT_TYPE, etype, etype_len);
    if (value != NULL)
        set_value(b, row, value);
    set_text(b, row, TSREC__ROLE_RECOMMENDATION_ID, rid, rid_len);
    set_text(b, row, TSREC__ROLE_IMPRESSION, impr, impr_len);
    return TSREC_OK;
}

static int build_init(build *b, tsrec__handle *eh, tsrec_ctx *ctx, const tsrec_dataset *ds,
                      int64_t n, size_t text_len)
{
    memset(b, 0, sizeof(*b));
    b->ctx = ctx;
    b->eh = eh;
    b->ds = ds;
    b->nf = ds->schema->n_fields;
    for (int32_t r = 0; r < (int32_t)TSREC__ARRAY_LEN(b->role_field); r++)
        b->role_field[r] = tsrec__pz_field_role(ds, r);
    b->cells = tsrec__calloc(ctx, (size_t)(n * b->nf), sizeof(tsrec__cell));
    /* every text comes from the request (plus NULs, separators, numbers) */
    b->ar.cap = 2 * text_len + (size_t)n * 128 + 64;
    b->ar.buf = tsrec__alloc(ctx, b->ar.cap);
    if (b->cells == NULL || b->ar.buf == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory");
    return TSREC_OK;
}

static void build_free(build *b)
{
    tsrec__free(b->ctx, b->cells);
    tsrec__free(b->ctx, b->ar.buf);
    for (int i = 0; i < b->n_props; i++)
        tsrec__json_free(b->props[i]);
}

/* ---- locking and import --------------------------------------------------- */

/* The group's live lock: the append changes its dictionaries and columns,
 * which every campaign of the group reads, and attached campaigns' live
 * state. */
static void lock_all(tsrec_event_tracker *t)
{
    pthread_rwlock_wrlock(&t->group->live_lock);
}

static void unlock_all(tsrec_event_tracker *t)
{
    pthread_rwlock_unlock(&t->group->live_lock);
}

/* Store the rows: directly when every cell fits its column as it is (the
 * usual PutEvents), else through an INCREMENTAL import session, which
 * parses text cells by the fields' rules and reports a bad value the way
 * tsrec_dataset_import_rows does. Both are all or nothing. */
static int store_cells(tsrec__handle *eh, tsrec_dataset *ds, const tsrec__cell *cells, int64_t n,
                       const char *what)
{
    char msg[TSREC__ERRMSG_MAX];
    /* TSREC_E_INVALID_ARG: the rows do not fit as they are (nothing changed) */
    int rc = tsrec__dataset_append_cells(ds, &ds->hdr, cells, n);
    if (rc == TSREC_E_INVALID_ARG) {
        tsrec_import_options opts;
        tsrec_import_options_init(&opts);
        opts.mode = TSREC_IMPORT_INCREMENTAL;
        tsrec__import *im = NULL;
        rc = tsrec__import_begin(ds, &opts, TSREC_IMPORT_INCREMENTAL, &im);
        if (rc != TSREC_OK)
            return tsrec__fail(eh, rc, "%s: %s", what, ds->hdr.errmsg);
        int64_t nf = ds->schema->n_fields;
        for (int64_t i = 0; i < n && rc == TSREC_OK; i++) {
            if (tsrec__import_full_of_errors(im))
                break;
            int bad = 0;
            /* the row import's text checks (UTF-8, no NUL, field size) */
            for (int64_t f = 0; f < nf && !bad; f++) {
                const tsrec__cell *c = &cells[i * nf + f];
                if (c->present && c->kind == TSREC__CELL_TEXT &&
                    tsrec__text_check(c->ptr, c->len, msg, sizeof(msg)) != TSREC_OK) {
                    bad = 1;
                    rc = tsrec__import_bad_row(im, TSREC_E_PARSE, NULL, i + 1, f + 1, msg);
                }
            }
            if (!bad && rc == TSREC_OK)
                rc = tsrec__import_row(im, &cells[i * nf], NULL, NULL, i + 1);
        }
        rc = tsrec__import_end(im, rc, "rows", NULL);
    }
    if (rc != TSREC_OK) {
        memcpy(msg, ds->hdr.errmsg, sizeof(msg));
        msg[sizeof(msg) - 1] = '\0';
        return tsrec__fail(eh, rc, "%s: %s", what, msg);
    }
    return TSREC_OK;
}

/* ---- PutEvents ------------------------------------------------------------ */

static int put_events(tsrec_event_tracker *t, tsrec__handle *eh, const tsrec__json *root,
                      size_t len)
{
    tsrec_ctx *ctx = t->hdr.ctx;
    int rc = tsrec__pz_want_object(eh, root, "PutEvents request");
    if (rc != TSREC_OK)
        return rc;
    tsrec_dataset *ds = tsrec__pz_dataset(t->group, TSREC__DS_INTERACTIONS);
    if (ds == NULL)
        return tsrec__fail(eh, TSREC_E_EMPTY, "PutEvents: the group has no Interactions dataset");
    const char *s, *user = NULL, *session = NULL;
    size_t l, user_len = 0, session_len = 0;
    const tsrec__json *list = NULL;
    for (int64_t i = 0; i < root->u.obj.n; i++) {
        const tsrec__json_member *m = &root->u.obj.items[i];
        if (KEY_IS(m, "trackingId"))
            rc = str_field(eh, &m->value, "trackingId", 1, TSREC__MAX_ID, &s, &l);
        else if (KEY_IS(m, "sessionId"))
            rc = str_field(eh, &m->value, "sessionId", 1, TSREC__MAX_ID, &session, &session_len);
        else if (KEY_IS(m, "userId"))
            rc = str_field(eh, &m->value, "userId", 1, TSREC__MAX_ID, &user, &user_len);
        else if (KEY_IS(m, "eventList"))
            list = &m->value;
        else
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "unknown key '%s'", m->key);
        if (rc != TSREC_OK)
            return rc;
    }
    if (tsrec__json_get(root, "trackingId") == NULL || session == NULL || list == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "PutEvents needs trackingId, sessionId and eventList");
    int64_t n = tsrec__json_len(list);
    if (tsrec__json_type(list) != TSREC__JSON_ARRAY || n < 1 || n > MAX_EVENTS)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "eventList must be an array of 1 to %d events, not %" PRId64,
                           MAX_EVENTS, n);
    if (user == NULL) {
        user = session;
        user_len = session_len;
    }
    build b;
    rc = build_init(&b, eh, ctx, ds, n, len);
    for (int64_t i = 0; rc == TSREC_OK && i < n; i++)
        rc = parse_event(&b, tsrec__json_at(list, i), i, user, user_len);
    if (rc == TSREC_OK) {
        lock_all(t);
        int64_t ucode = tsrec__strdict_lookup(&t->group->users, user, user_len);
        if (ucode < 0)
            ucode = tsrec__strdict_count(&t->group->users);
        for (int64_t i = 0; rc == TSREC_OK && i < t->n_campaigns; i++)
            rc = tsrec__campaign_reserve(t->campaigns[i], eh, ucode, n);
        int64_t first = ds->n_rows;
        if (rc == TSREC_OK)
            rc = store_cells(eh, ds, b.cells, n, "PutEvents");
        if (rc == TSREC_OK) {
            int64_t fu = tsrec__pz_field_role(ds, TSREC__ROLE_USER_ID);
            int64_t fi = tsrec__pz_field_role(ds, TSREC__ROLE_ITEM_ID);
            int64_t fe = tsrec__pz_field_role(ds, TSREC__ROLE_EVENT_TYPE);
            for (int64_t r = first; r < ds->n_rows; r++) {
                int64_t uc = tsrec__column_get_code(&ds->cols[fu], r);
                int32_t ic = (int32_t)tsrec__column_get_code(&ds->cols[fi], r);
                int32_t ec = fe >= 0 && tsrec__column_is_present(&ds->cols[fe], r)
                                 ? (int32_t)tsrec__column_get_code(&ds->cols[fe], r)
                                 : -1;
                for (int64_t i = 0; i < t->n_campaigns; i++)
                    tsrec__campaign_add_event(t->campaigns[i], uc, ic, ec);
            }
        }
        unlock_all(t);
    }
    build_free(&b);
    return rc;
}

int tsrec_event_tracker_put_events(tsrec_event_tracker *tracker, const char *request_json,
                                   size_t len)
{
    TSREC__CHECK(tracker, TSREC__MAGIC_TRACKER, "tsrec_event_tracker_put_events",
                 "tsrec_event_tracker");
    tsrec__handle *eh = &tracker->hdr;
    if (request_json == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "PutEvents: NULL request");
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(tracker->hdr.ctx, eh, request_json, len, 16, &doc);
    if (rc == TSREC_OK)
        rc = put_events(tracker, eh, tsrec__json_root(doc), len);
    tsrec__json_free(doc);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

/* ---- PutUsers / PutItems -------------------------------------------------- */

static int put_records(tsrec_event_tracker *t, tsrec__handle *eh, const tsrec__json *root,
                       size_t len, int32_t which)
{
    int users = which == TSREC__DS_USERS;
    const char *op = users ? "PutUsers" : "PutItems";
    const char *list_key = users ? "users" : "items";
    const char *id_key = users ? "userId" : "itemId";
    int rc = tsrec__pz_want_object(eh, root, op);
    if (rc != TSREC_OK)
        return rc;
    tsrec_dataset *ds = tsrec__pz_dataset(t->group, which);
    if (ds == NULL)
        return tsrec__fail(eh, TSREC_E_EMPTY, "%s: the group has no %s dataset", op,
                           users ? "Users" : "Items");
    const tsrec__json *list = NULL;
    const char *s;
    size_t l;
    for (int64_t i = 0; i < root->u.obj.n; i++) {
        const tsrec__json_member *m = &root->u.obj.items[i];
        if (strcmp(m->key, "datasetArn") == 0)
            rc = tsrec__json_as_string(&m->value, eh, "datasetArn", &s, &l);
        else if (strcmp(m->key, list_key) == 0)
            list = &m->value;
        else
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "unknown key '%s'", m->key);
        if (rc != TSREC_OK)
            return rc;
    }
    int64_t n = tsrec__json_len(list);
    if (tsrec__json_type(list) != TSREC__JSON_ARRAY || n < 1 || n > MAX_RECORDS)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s.%s must be an array of 1 to %d records",
                           op, list_key, MAX_RECORDS);
    build b;
    rc = build_init(&b, eh, t->hdr.ctx, ds, n, len);
    int64_t fid = tsrec__pz_field_role(ds, users ? TSREC__ROLE_USER_ID : TSREC__ROLE_ITEM_ID);
    for (int64_t i = 0; rc == TSREC_OK && i < n; i++) {
        const tsrec__json *rec = tsrec__json_at(list, i);
        rc = tsrec__pz_want_object(eh, rec, list_key);
        for (int64_t j = 0; rc == TSREC_OK && j < rec->u.obj.n; j++) {
            const tsrec__json_member *m = &rec->u.obj.items[j];
            if (strcmp(m->key, id_key) == 0) {
                rc = str_field(eh, &m->value, id_key, 1, TSREC__MAX_ID, &s, &l);
                if (rc == TSREC_OK && fid >= 0) {
                    tsrec__cell *c = &b.cells[i * b.nf + fid];
                    c->kind = TSREC__CELL_TEXT;
                    c->ptr = s;
                    c->len = l;
                    c->present = 1;
                }
            } else if (strcmp(m->key, "properties") == 0) {
                rc = put_properties(&b, &m->value, "properties",
                                    users ? MAX_USER_PROPERTIES : MAX_ITEM_PROPERTIES, i, 0);
            } else {
                rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "unknown key '%s[].%s'", list_key,
                                 m->key);
            }
        }
        if (rc == TSREC_OK && tsrec__json_get(rec, id_key) == NULL)
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "every record of %s needs %s", op, id_key);
    }
    if (rc == TSREC_OK) {
        lock_all(t);
        const tsrec__strdict *d = users ? &t->group->users : &t->group->items;
        int64_t need = tsrec__strdict_count(d) + n;
        for (int64_t i = 0; rc == TSREC_OK && i < t->n_campaigns; i++) {
            tsrec_campaign *c = t->campaigns[i];
            rc = tsrec__row_index_reserve(c->hdr.ctx, eh, users ? &c->users_idx : &c->items_idx,
                                          need);
        }
        int64_t first = ds->n_rows;
        if (rc == TSREC_OK)
            rc = store_cells(eh, ds, b.cells, n, op);
        if (rc == TSREC_OK && fid >= 0)
            for (int64_t r = first; r < ds->n_rows; r++)
                for (int64_t i = 0; i < t->n_campaigns; i++) {
                    tsrec_campaign *c = t->campaigns[i];
                    tsrec__row_index_set(users ? &c->users_idx : &c->items_idx,
                                         tsrec__column_get_code(&ds->cols[fid], r), r);
                }
        unlock_all(t);
    }
    build_free(&b);
    return rc;
}

static int put_any(tsrec_event_tracker *tracker, const char *request_json, size_t len,
                   int32_t which)
{
    tsrec__handle *eh = &tracker->hdr;
    if (request_json == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "NULL request");
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(tracker->hdr.ctx, eh, request_json, len, 16, &doc);
    if (rc == TSREC_OK)
        rc = put_records(tracker, eh, tsrec__json_root(doc), len, which);
    tsrec__json_free(doc);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec_event_tracker_put_users(tsrec_event_tracker *tracker, const char *request_json,
                                  size_t len)
{
    TSREC__CHECK(tracker, TSREC__MAGIC_TRACKER, "tsrec_event_tracker_put_users",
                 "tsrec_event_tracker");
    return put_any(tracker, request_json, len, TSREC__DS_USERS);
}

int tsrec_event_tracker_put_items(tsrec_event_tracker *tracker, const char *request_json,
                                  size_t len)
{
    TSREC__CHECK(tracker, TSREC__MAGIC_TRACKER, "tsrec_event_tracker_put_items",
                 "tsrec_event_tracker");
    return put_any(tracker, request_json, len, TSREC__DS_ITEMS);
}
