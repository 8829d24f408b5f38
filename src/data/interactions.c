/* The interaction store: build from rows (filter, group by user, time
 * sort, deduplicate, compact), the item-side index and counts, memory
 * accounting and release. The passes themselves are in
 * interactions_sort.c. */
#include "interactions_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void tsrec__interaction_opts_init(tsrec__interaction_opts *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof(*o));
    o->event_type = NULL;
    o->has_threshold = 0;
    o->value_threshold = 0.0;
    o->dedup = 1;
}

void tsrec__interactions_free(tsrec__interactions *s)
{
    if (s == NULL)
        return;
    tsrec_ctx *ctx = s->ctx;
    if (ctx != NULL) {
        tsrec__free(ctx, s->user_off);
        tsrec__free(ctx, s->item);
        tsrec__free(ctx, s->ts);
        tsrec__free(ctx, s->event_type);
        tsrec__free(ctx, s->value);
        tsrec__free(ctx, s->item_off);
        tsrec__free(ctx, s->post_user);
        tsrec__free(ctx, s->item_type_count);
        tsrec__free(ctx, s->filter_event_type);
    }
    memset(s, 0, sizeof(*s));
}

static size_t held(const void *p)
{
    return p != NULL ? tsrec__alloc_size(p) : 0;
}

size_t tsrec__interactions_bytes(const tsrec__interactions *s)
{
    if (s == NULL)
        return 0;
    return held(s->user_off) + held(s->item) + held(s->ts) + held(s->event_type) +
           held(s->value) + held(s->item_off) + held(s->post_user) +
           held(s->item_type_count) + held(s->filter_event_type);
}

static void free_item_side(tsrec__interactions *s)
{
    tsrec__free(s->ctx, s->item_off);
    tsrec__free(s->ctx, s->post_user);
    tsrec__free(s->ctx, s->item_type_count);
    s->item_off = NULL;
    s->post_user = NULL;
    s->item_type_count = NULL;
}

int tsrec__interactions_index_items(tsrec__interactions *s, tsrec__handle *eh)
{
    tsrec_ctx *ctx = s->ctx;
    int64_t n = s->n, n_items = s->n_items;
    s->item_off = tsrec__calloc(ctx, (size_t)n_items + 1, sizeof(int64_t));
    s->post_user = tsrec__alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof(int32_t));
    int with_types = s->event_type != NULL && s->n_event_types > 0;
    if (with_types) {
        size_t cells;
        if (tsrec__mul_size((size_t)n_items, (size_t)s->n_event_types, &cells) != 0) {
            free_item_side(s);
            return tsrec__fail(eh, TSREC_E_NOMEM,
                               "interactions: items x event types is too large");
        }
        s->item_type_count = tsrec__calloc(ctx, cells > 0 ? cells : 1, sizeof(int64_t));
    }
    if (s->item_off == NULL || s->post_user == NULL ||
        (with_types && s->item_type_count == NULL)) {
        free_item_side(s);
        return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory (item index)");
    }
    int64_t *off = s->item_off;
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    for (int64_t j = 0; j < n; j++) {
        int32_t it = s->item[j];
        off[it + 1]++;
        if (with_types && s->event_type[j] >= 0)
            s->item_type_count[(int64_t)it * s->n_event_types + s->event_type[j]]++;
        tmin = TSREC__MIN(tmin, s->ts[j]);
        tmax = TSREC__MAX(tmax, s->ts[j]);
    }
    /* same start/advance/shift trick as the user grouping: walking rows in
     * (user, time) order makes every posting list sorted by user then time */
    for (int64_t i = 0; i < n_items; i++)
        off[i + 1] += off[i];
    for (int64_t i = n_items; i > 0; i--)
        off[i] = off[i - 1];
    off[0] = 0;
    for (int64_t u = 0; u < s->n_users; u++)
        for (int64_t j = s->user_off[u]; j < s->user_off[u + 1]; j++)
            s->post_user[off[s->item[j] + 1]++] = (int32_t)u;
    s->ts_min = n > 0 ? tmin : 0;
    s->ts_max = n > 0 ? tmax : 0;
    return TSREC_OK;
}

/* Allocate the per-user arrays for n rows (event types / values only when
 * the input has them). */
int tsrec__interactions_alloc_rows(tsrec__interactions *s, tsrec__handle *eh, int64_t n,
                                   int with_types, int with_values)
{
    size_t m = (size_t)(n > 0 ? n : 1);
    s->item = tsrec__alloc(s->ctx, m * sizeof(int32_t));
    s->ts = tsrec__alloc(s->ctx, m * sizeof(int64_t));
    if (with_types)
        s->event_type = tsrec__alloc(s->ctx, m * sizeof(int32_t));
    if (with_values)
        s->value = tsrec__alloc(s->ctx, m * sizeof(float));
    if (s->item == NULL || s->ts == NULL || (with_types && s->event_type == NULL) ||
        (with_values && s->value == NULL))
        return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory (%" PRId64 " rows)",
                           n);
    return TSREC_OK;
}

/* Give back the slack left by deduplication (a failed shrink keeps it). */
static void shrink_rows(tsrec__interactions *s, int64_t n)
{
    size_t m = (size_t)(n > 0 ? n : 1);
    void *p;
    if ((p = tsrec__realloc(s->ctx, s->item, m * sizeof(int32_t))) != NULL)
        s->item = p;
    if ((p = tsrec__realloc(s->ctx, s->ts, m * sizeof(int64_t))) != NULL)
        s->ts = p;
    if (s->event_type != NULL &&
        (p = tsrec__realloc(s->ctx, s->event_type, m * sizeof(int32_t))) != NULL)
        s->event_type = p;
    if (s->value != NULL && (p = tsrec__realloc(s->ctx, s->value, m * sizeof(float))) != NULL)
        s->value = p;
}

int tsrec__interactions_finish_rows(tsrec__interactions *s, tsrec__handle *eh, int64_t kept)
{
    tsrec__dedup_scratch sc = {s->ctx, 0, NULL, NULL};
    int64_t w = 0;
    for (int64_t u = 0; u < s->n_users; u++) {
        int64_t begin = s->user_off[u], end = s->user_off[u + 1];
        s->user_off[u] = w;
        int rc = tsrec__interactions_dedup_range(&sc, eh, s->dedup, s->item, s->ts,
                                                 s->event_type, s->value, begin, end, w, &w);
        if (rc != TSREC_OK) {
            tsrec__dedup_scratch_free(&sc);
            return rc;
        }
    }
    s->user_off[s->n_users] = w;
    tsrec__dedup_scratch_free(&sc);
    s->n_duplicates += kept - w;
    s->n = w;
    if (w < kept)
        shrink_rows(s, w);
    return tsrec__interactions_index_items(s, eh);
}

int tsrec__interactions_build(tsrec__interactions *s, tsrec_ctx *ctx, tsrec__handle *eh,
                              const tsrec__interaction_rows *rows,
                              const tsrec__interaction_codes *codes,
                              const tsrec__interaction_opts *opts)
{
    if (s == NULL || ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "interactions_build: NULL argument");
    memset(s, 0, sizeof(*s));
    tsrec__interaction_opts defaults;
    tsrec__interaction_opts_init(&defaults);
    if (opts == NULL)
        opts = &defaults;
    if (opts->has_threshold && !isfinite(opts->value_threshold))
        return tsrec__fail(eh, TSREC_E_NAN, "interactions_build: event value threshold is not finite");
    int32_t type_code;
    int rc = tsrec__interactions_check(rows, codes, opts->event_type, eh, &type_code);
    if (rc != TSREC_OK)
        return rc;
    if (rows->n == 0)
        return tsrec__fail(eh, TSREC_E_EMPTY, "interactions_build: no interactions");

    s->ctx = ctx;
    s->n_users = codes->n_users;
    s->n_items = codes->n_items;
    s->n_event_types = codes->n_event_types;
    s->has_threshold = opts->has_threshold;
    s->value_threshold = opts->value_threshold;
    s->dedup = opts->dedup ? 1 : 0;
    if (opts->event_type != NULL) {
        s->filter_event_type = tsrec__strdup(ctx, opts->event_type);
        if (s->filter_event_type == NULL) {
            tsrec__interactions_free(s);
            return tsrec__fail(eh, TSREC_E_NOMEM, "interactions_build: out of memory");
        }
    }

    uint32_t *perm;
    int64_t kept;
    rc = tsrec__interactions_group(ctx, eh, rows, codes->n_users, type_code,
                                   opts->has_threshold, opts->value_threshold, &perm,
                                   &s->user_off, &kept);
    if (rc != TSREC_OK) {
        tsrec__interactions_free(s);
        return rc;
    }
    if (kept == 0) {
        tsrec__free(ctx, perm);
        tsrec__interactions_free(s);
        return tsrec__fail(eh, TSREC_E_EMPTY,
                           "interactions_build: no interactions left after the event type "
                           "and event value filters");
    }
    rc = tsrec__interactions_alloc_rows(s, eh, kept, rows->event_type != NULL, rows->value != NULL);
    if (rc != TSREC_OK) {
        tsrec__free(ctx, perm);
        tsrec__interactions_free(s);
        return rc;
    }
    for (int64_t j = 0; j < kept; j++) {
        uint32_t i = perm[j];
        s->item[j] = rows->item[i];
        s->ts[j] = rows->ts[i];
    }
    if (s->event_type != NULL)
        for (int64_t j = 0; j < kept; j++)
            s->event_type[j] = rows->event_type[perm[j]];
    if (s->value != NULL)
        for (int64_t j = 0; j < kept; j++)
            s->value[j] = rows->value[perm[j]];
    tsrec__free(ctx, perm);
    s->n_input = rows->n;
    s->n_filtered = rows->n - kept;
    rc = tsrec__interactions_finish_rows(s, eh, kept);
    if (rc != TSREC_OK) {
        tsrec__interactions_free(s);
        return rc;
    }
    return TSREC_OK;
}
