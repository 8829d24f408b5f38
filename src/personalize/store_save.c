/* Saving and loading the interaction store a solution version was trained
 * on (campaigns read user histories from it, so it is part of the version:
 * the group may have grown since training).
 *
 * Only the per-user side is written: user_off, item, ts, event_type and
 * value, the row counters and the filter options. The item side
 * (item_off, post_user, item_type_count, ts_min / ts_max) is derived data
 * and is rebuilt on load with tsrec__interactions_index_items, so a file
 * cannot make it inconsistent. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "pz_save_internal.h"

void tsrec__pz_store_write(tsrec__wbuf *b, const tsrec__interactions *s)
{
    tsrec__wbuf_i64(b, s->n_users);
    tsrec__wbuf_i64(b, s->n_items);
    tsrec__wbuf_i64(b, s->n_event_types);
    tsrec__wbuf_i64(b, s->n);
    tsrec__wbuf_i64s(b, s->user_off, s->n_users + 1);
    tsrec__wbuf_i32s(b, s->item, s->n);
    tsrec__wbuf_i64s(b, s->ts, s->n);
    tsrec__wbuf_u8(b, s->event_type != NULL);
    if (s->event_type != NULL)
        tsrec__wbuf_i32s(b, s->event_type, s->n);
    tsrec__wbuf_u8(b, s->value != NULL);
    if (s->value != NULL)
        tsrec__wbuf_f32s(b, s->value, s->n);
    tsrec__wbuf_i64(b, s->n_input);
    tsrec__wbuf_i64(b, s->n_filtered);
    tsrec__wbuf_i64(b, s->n_duplicates);
    tsrec__wbuf_str(b, s->filter_event_type);
    tsrec__wbuf_i32(b, s->has_threshold);
    tsrec__wbuf_i32(b, s->dedup);
    tsrec__wbuf_f64(b, s->value_threshold);
}

static int bad(tsrec__handle *eh, const char *what)
{
    return tsrec__fail(eh, TSREC_E_FORMAT, "saved interaction store is corrupt: %s", what);
}

/* Every count and code of a read store. */
static int check_rows(const tsrec__interactions *s, int64_t n_off, tsrec__handle *eh)
{
    if (n_off != s->n_users + 1 || s->user_off[0] != 0 || s->user_off[s->n_users] != s->n)
        return bad(eh, "user offsets");
    for (int64_t u = 0; u < s->n_users; u++)
        if (s->user_off[u + 1] < s->user_off[u])
            return bad(eh, "user offsets decrease");
    for (int64_t k = 0; k < s->n; k++) {
        if (s->item[k] < 0 || s->item[k] >= s->n_items)
            return bad(eh, "item code out of range");
        if (s->event_type != NULL &&
            (s->event_type[k] < -1 || s->event_type[k] >= s->n_event_types))
            return bad(eh, "event type code out of range");
        if (s->value != NULL && isinf(s->value[k]))
            return bad(eh, "infinite event value");
    }
    if (s->n_input < s->n || s->n_filtered < 0 || s->n_duplicates < 0)
        return bad(eh, "row counters");
    if ((s->has_threshold != 0 && s->has_threshold != 1) || (s->dedup != 0 && s->dedup != 1) ||
        isinf(s->value_threshold))
        return bad(eh, "options");
    return TSREC_OK;
}

/* Read an optional array: a u8 flag, then the array of n elements. */
static int read_opt_i32s(tsrec__rbuf *r, tsrec_ctx *ctx, int64_t n, int32_t **out)
{
    uint8_t has = tsrec__rbuf_u8(r);
    if (r->failed || has > 1)
        return TSREC_E_FORMAT;
    if (!has)
        return TSREC_OK;
    int64_t got = 0;
    int rc = tsrec__rbuf_i32s(r, ctx, out, &got);
    return rc != TSREC_OK ? rc : got != n ? TSREC_E_FORMAT : TSREC_OK;
}

static int read_opt_f32s(tsrec__rbuf *r, tsrec_ctx *ctx, int64_t n, float **out)
{
    uint8_t has = tsrec__rbuf_u8(r);
    if (r->failed || has > 1)
        return TSREC_E_FORMAT;
    if (!has)
        return TSREC_OK;
    int64_t got = 0;
    int rc = tsrec__rbuf_f32s(r, ctx, out, &got);
    return rc != TSREC_OK ? rc : got != n ? TSREC_E_FORMAT : TSREC_OK;
}

static int read_rows(tsrec__rbuf *r, tsrec_ctx *ctx, tsrec__handle *eh, tsrec__interactions *s)
{
    s->n_users = tsrec__rbuf_i64(r);
    s->n_items = tsrec__rbuf_i64(r);
    s->n_event_types = tsrec__rbuf_i64(r);
    s->n = tsrec__rbuf_i64(r);
    if (r->failed || s->n_users < 1 || s->n_users > INT32_MAX || s->n_items < 1 ||
        s->n_items > INT32_MAX || s->n_event_types < 0 || s->n_event_types > INT32_MAX ||
        s->n < 1 || s->n >= (int64_t)UINT32_MAX)
        return bad(eh, "sizes");
    int64_t n_off = 0, n_item = 0, n_ts = 0;
    int rc = tsrec__rbuf_i64s(r, ctx, &s->user_off, &n_off);
    if (rc == TSREC_OK)
        rc = tsrec__rbuf_i32s(r, ctx, &s->item, &n_item);
    if (rc == TSREC_OK)
        rc = tsrec__rbuf_i64s(r, ctx, &s->ts, &n_ts);
    if (rc == TSREC_OK && (n_item != s->n || n_ts != s->n || s->user_off == NULL))
        rc = TSREC_E_FORMAT;
    if (rc == TSREC_OK)
        rc = read_opt_i32s(r, ctx, s->n, &s->event_type);
    if (rc == TSREC_OK)
        rc = read_opt_f32s(r, ctx, s->n, &s->value);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(eh, rc, "loading an interaction store: out of memory");
    if (rc != TSREC_OK)
        return bad(eh, "arrays");
    s->n_input = tsrec__rbuf_i64(r);
    s->n_filtered = tsrec__rbuf_i64(r);
    s->n_duplicates = tsrec__rbuf_i64(r);
    rc = tsrec__rbuf_str(r, ctx, &s->filter_event_type);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(eh, rc, "loading an interaction store: out of memory");
    s->has_threshold = tsrec__rbuf_i32(r);
    s->dedup = tsrec__rbuf_i32(r);
    s->value_threshold = tsrec__rbuf_f64(r);
    if (rc != TSREC_OK || r->failed)
        return bad(eh, "options");
    return check_rows(s, n_off, eh);
}

int tsrec__pz_store_read(tsrec__rbuf *r, tsrec_ctx *ctx, tsrec__handle *eh,
                         tsrec__interactions *s)
{
    memset(s, 0, sizeof(*s));
    s->ctx = ctx;
    int rc = read_rows(r, ctx, eh, s);
    if (rc == TSREC_OK)
        rc = tsrec__interactions_index_items(s, eh);
    if (rc != TSREC_OK)
        tsrec__interactions_free(s);
    return rc;
}
