/* Incremental append of streamed events to an interaction store: the batch
 * is grouped and time-sorted on its own, then merged user by user into a
 * fresh copy of the arrays (stored rows first on equal timestamps, as in a
 * build over old rows followed by the batch), deduplicated and indexed.
 * The store is only replaced once everything succeeded. */
#include "interactions_internal.h"

#include <inttypes.h>
#include <string.h>

/* Merge stored rows [a0, a1) of s and batch rows perm[b0 .. b1) into t
 * from row w on; returns the new write position. */
static int64_t merge_user(tsrec__interactions *t, const tsrec__interactions *s, int64_t a0,
                          int64_t a1, const tsrec__interaction_rows *batch,
                          const uint32_t *perm, int64_t b0, int64_t b1, int64_t w)
{
    int64_t a = a0, b = b0;
    while (a < a1 || b < b1) {
        /* stored rows win ties: they came first in input order */
        int take_old = b >= b1 || (a < a1 && s->ts[a] <= batch->ts[perm[b]]);
        if (take_old) {
            t->item[w] = s->item[a];
            t->ts[w] = s->ts[a];
            if (t->event_type != NULL)
                t->event_type[w] = s->event_type[a];
            if (t->value != NULL)
                t->value[w] = s->value[a];
            a++;
        } else {
            uint32_t i = perm[b];
            t->item[w] = batch->item[i];
            t->ts[w] = batch->ts[i];
            if (t->event_type != NULL)
                t->event_type[w] = batch->event_type[i];
            if (t->value != NULL)
                t->value[w] = batch->value[i];
            b++;
        }
        w++;
    }
    return w;
}

/* Copy the stored rows [a0, a1) to t at w (an untouched user). */
static void copy_block(tsrec__interactions *t, const tsrec__interactions *s, int64_t a0,
                       int64_t a1, int64_t w)
{
    size_t len = (size_t)(a1 - a0);
    if (len == 0)
        return;
    memcpy(t->item + w, s->item + a0, len * sizeof(int32_t));
    memcpy(t->ts + w, s->ts + a0, len * sizeof(int64_t));
    if (t->event_type != NULL)
        memcpy(t->event_type + w, s->event_type + a0, len * sizeof(int32_t));
    if (t->value != NULL)
        memcpy(t->value + w, s->value + a0, len * sizeof(float));
}

int tsrec__interactions_append(tsrec__interactions *s, tsrec__handle *eh,
                               const tsrec__interaction_rows *batch,
                               const tsrec__interaction_codes *codes)
{
    if (s == NULL || s->ctx == NULL || batch == NULL || codes == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "interactions_append: NULL argument");
    if (codes->n_users < s->n_users || codes->n_items < s->n_items ||
        codes->n_event_types < s->n_event_types)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "interactions_append: user, item and event type codes can only grow");
    if (batch->n > 0 && ((batch->event_type != NULL) != (s->event_type != NULL) ||
                         (batch->value != NULL) != (s->value != NULL)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "interactions_append: the batch must have event types and values "
                           "exactly when the store has them");
    int32_t type_code;
    int rc = tsrec__interactions_check(batch, codes, s->filter_event_type, eh, &type_code);
    if (rc != TSREC_OK)
        return rc;
    if ((uint64_t)s->n + (uint64_t)batch->n >= UINT32_MAX)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "interactions_append: more than %" PRIu32 " interactions",
                           UINT32_MAX - 1);
    tsrec_ctx *ctx = s->ctx;
    uint32_t *perm = NULL;
    int64_t *boff = NULL;
    int64_t bkept = 0;
    rc = tsrec__interactions_group(ctx, eh, batch, codes->n_users, type_code, s->has_threshold,
                                   s->value_threshold, &perm, &boff, &bkept);
    if (rc != TSREC_OK)
        return rc;
    if (bkept == 0 && codes->n_users == s->n_users && codes->n_items == s->n_items &&
        codes->n_event_types == s->n_event_types) {
        /* nothing to merge and no code space to extend */
        tsrec__free(ctx, perm);
        tsrec__free(ctx, boff);
        s->n_input += batch->n;
        s->n_filtered += batch->n;
        return TSREC_OK;
    }

    tsrec__interactions t = *s;
    t.user_off = NULL;
    t.item = NULL;
    t.ts = NULL;
    t.event_type = NULL;
    t.value = NULL;
    t.item_off = NULL;
    t.post_user = NULL;
    t.item_type_count = NULL;
    t.filter_event_type = NULL; /* stays with s until the swap */
    t.n_users = codes->n_users;
    t.n_items = codes->n_items;
    t.n_event_types = codes->n_event_types;
    int64_t total = s->n + bkept;
    t.user_off = tsrec__alloc(ctx, ((size_t)t.n_users + 1) * sizeof(int64_t));
    if (t.user_off == NULL) {
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "interactions_append: out of memory");
        goto fail;
    }
    rc = tsrec__interactions_alloc_rows(&t, eh, total, s->event_type != NULL, s->value != NULL);
    if (rc != TSREC_OK)
        goto fail;
    tsrec__dedup_scratch sc = {ctx, 0, NULL, NULL};
    int64_t w = 0;
    for (int64_t u = 0; u < t.n_users; u++) {
        int64_t a0 = 0, a1 = 0;
        if (u < s->n_users) {
            a0 = s->user_off[u];
            a1 = s->user_off[u + 1];
        }
        t.user_off[u] = w;
        if (boff[u + 1] == boff[u]) {
            copy_block(&t, s, a0, a1, w);
            w += a1 - a0;
        } else {
            /* only touched users can gain duplicates: stored rows are unique */
            int64_t w0 = w;
            w = merge_user(&t, s, a0, a1, batch, perm, boff[u], boff[u + 1], w);
            rc = tsrec__interactions_dedup_range(&sc, eh, t.dedup, t.item, t.ts, t.event_type,
                                                 t.value, w0, w, w0, &w);
            if (rc != TSREC_OK) {
                tsrec__dedup_scratch_free(&sc);
                goto fail;
            }
        }
    }
    tsrec__dedup_scratch_free(&sc);
    t.user_off[t.n_users] = w;
    tsrec__free(ctx, perm);
    tsrec__free(ctx, boff);
    perm = NULL;
    boff = NULL;
    t.n_input = s->n_input + batch->n;
    t.n_filtered = s->n_filtered + (batch->n - bkept);
    t.n = w;
    t.n_duplicates = s->n_duplicates + (total - w);
    /* the slack of dropped duplicates (at most the batch size) is kept */
    rc = tsrec__interactions_index_items(&t, eh);
    if (rc != TSREC_OK)
        goto fail;
    t.filter_event_type = s->filter_event_type;
    s->filter_event_type = NULL;
    tsrec__interactions_free(s);
    *s = t;
    return TSREC_OK;

fail:
    tsrec__free(ctx, perm);
    tsrec__free(ctx, boff);
    tsrec__interactions_free(&t);
    return rc;
}
