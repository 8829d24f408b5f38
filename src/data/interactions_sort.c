/* Passes shared by the interaction store's build and append: input checks,
 * the solution-config filters, grouping rows by user with a counting sort,
 * the stable per-user time sort (LSD radix on each user's timestamps) and
 * the deduplication of identical events. */
#include "interactions_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Segments up to this length are insertion-sorted (cheaper than clearing
 * radix histograms); longer ones go through byte-wise LSD radix passes. */
#define INSERTION_MAX 48
/* Equal-timestamp runs up to this length are deduplicated by pairwise
 * comparison; longer ones are sorted by key in scratch memory. */
#define PAIRWISE_MAX 16

int tsrec__interactions_check(const tsrec__interaction_rows *rows,
                              const tsrec__interaction_codes *codes,
                              const char *filter_event_type, tsrec__handle *eh,
                              int32_t *out_type_code)
{
    if (rows == NULL || codes == NULL || out_type_code == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "interactions: NULL argument");
    if (rows->n < 0 || codes->n_users < 0 || codes->n_items < 0 || codes->n_event_types < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "interactions: negative size");
    /* codes are int32 and row indexes are kept in uint32 permutations */
    if (codes->n_users > (int64_t)INT32_MAX + 1 || codes->n_items > (int64_t)INT32_MAX + 1 ||
        codes->n_event_types > (int64_t)INT32_MAX)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "interactions: code space too large");
    if ((uint64_t)rows->n >= UINT32_MAX)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "interactions: %" PRId64 " rows exceed the limit of %" PRIu32,
                           rows->n, UINT32_MAX - 1);
    if (rows->n > 0 && (rows->user == NULL || rows->item == NULL || rows->ts == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "interactions: user, item and timestamp arrays are required");
    if (codes->n_event_types > 0 && codes->event_type_names == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "interactions: event type names missing");
    int32_t type_code = -1;
    if (filter_event_type != NULL) {
        type_code = -2;
        for (int64_t t = 0; t < codes->n_event_types; t++) {
            const char *name = codes->event_type_names[t];
            if (name == NULL)
                return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                   "interactions: event type name %" PRId64 " is NULL", t);
            if (strcmp(name, filter_event_type) == 0) {
                type_code = (int32_t)t;
                break;
            }
        }
    }
    for (int64_t i = 0; i < rows->n; i++) {
        int32_t u = rows->user[i], it = rows->item[i];
        if (u < 0 || u >= codes->n_users)
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                               "interactions: row %" PRId64 ": user code %" PRId32
                               " outside 0..%" PRId64,
                               i, u, codes->n_users - 1);
        if (it < 0 || it >= codes->n_items)
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                               "interactions: row %" PRId64 ": item code %" PRId32
                               " outside 0..%" PRId64,
                               i, it, codes->n_items - 1);
        if (rows->event_type != NULL) {
            int32_t t = rows->event_type[i];
            if (t < -1 || t >= codes->n_event_types)
                return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                                   "interactions: row %" PRId64 ": event type code %" PRId32
                                   " outside -1..%" PRId64,
                                   i, t, codes->n_event_types - 1);
        }
        if (rows->value != NULL && isinf(rows->value[i]))
            return tsrec__fail(eh, TSREC_E_NAN,
                               "interactions: row %" PRId64 ": infinite event value", i);
    }
    *out_type_code = type_code;
    return TSREC_OK;
}

static int row_kept(const tsrec__interaction_rows *rows, int64_t i, int32_t type_code,
                    int32_t has_threshold, double threshold)
{
    if (type_code != -1) {
        int32_t t = rows->event_type != NULL ? rows->event_type[i] : -1;
        if (t != type_code) /* -2 (unknown name) matches no row */
            return 0;
    }
    if (has_threshold) {
        /* an absent value (NaN, or no value column) is not >= threshold */
        if (rows->value == NULL)
            return 0;
        float v = rows->value[i];
        if (!((double)v >= threshold))
            return 0;
    }
    return 1;
}

/* Stable insertion sort of perm[0..len) by ts[perm[k]]. */
static void insertion_sort(uint32_t *perm, int64_t len, const int64_t *ts)
{
    for (int64_t k = 1; k < len; k++) {
        uint32_t p = perm[k];
        int64_t t = ts[p];
        int64_t j = k - 1;
        while (j >= 0 && ts[perm[j]] > t) {
            perm[j + 1] = perm[j];
            j--;
        }
        perm[j + 1] = p;
    }
}

/* Stable LSD radix sort of perm[0..len) by ts[perm[k]] - tmin, one byte
 * per pass over the bytes the range needs. key/key2/perm2 hold len each. */
static void radix_sort(uint32_t *perm, int64_t len, const int64_t *ts, int64_t tmin,
                       uint64_t range, uint64_t *key, uint64_t *key2, uint32_t *perm2)
{
    for (int64_t k = 0; k < len; k++)
        key[k] = (uint64_t)ts[perm[k]] - (uint64_t)tmin;
    uint32_t *src_p = perm, *dst_p = perm2;
    uint64_t *src_k = key, *dst_k = key2;
    for (int shift = 0; shift < 64 && (range >> shift) != 0; shift += 8) {
        int64_t count[257];
        memset(count, 0, sizeof(count));
        for (int64_t k = 0; k < len; k++)
            count[((src_k[k] >> shift) & 0xFF) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (int64_t k = 0; k < len; k++) {
            int64_t d = count[(src_k[k] >> shift) & 0xFF]++;
            dst_k[d] = src_k[k];
            dst_p[d] = src_p[k];
        }
        uint32_t *tp = src_p;
        src_p = dst_p;
        dst_p = tp;
        uint64_t *tk = src_k;
        src_k = dst_k;
        dst_k = tk;
    }
    if (src_p != perm)
        memcpy(perm, src_p, (size_t)len * sizeof(uint32_t));
}

int tsrec__interactions_group(tsrec_ctx *ctx, tsrec__handle *eh,
                              const tsrec__interaction_rows *rows, int64_t n_users,
                              int32_t type_code, int32_t has_threshold, double threshold,
                              uint32_t **out_perm, int64_t **out_user_off,
                              int64_t *out_kept)
{
    *out_perm = NULL;
    *out_user_off = NULL;
    *out_kept = 0;
    int64_t n = rows->n;
    int64_t *off = tsrec__calloc(ctx, (size_t)n_users + 1, sizeof(int64_t));
    if (off == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory (user offsets)");
    /* counts in off[u + 1] */
    int64_t kept = 0;
    for (int64_t i = 0; i < n; i++) {
        if (row_kept(rows, i, type_code, has_threshold, threshold)) {
            off[rows->user[i] + 1]++;
            kept++;
        }
    }
    uint32_t *perm = tsrec__alloc(ctx, (size_t)(kept > 0 ? kept : 1) * sizeof(uint32_t));
    if (perm == NULL) {
        tsrec__free(ctx, off);
        return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory (row order)");
    }
    /* off[u] = start of u; scatter advances off[u] to the start of u+1,
     * then everything shifts back by one slot (no cursor array needed). */
    for (int64_t u = 0; u < n_users; u++)
        off[u + 1] += off[u];
    for (int64_t u = n_users; u > 0; u--)
        off[u] = off[u - 1];
    off[0] = 0;
    for (int64_t i = 0; i < n; i++)
        if (row_kept(rows, i, type_code, has_threshold, threshold))
            perm[off[rows->user[i] + 1]++] = (uint32_t)i;
    /* now off[u + 1] = end of u, off[0] = 0 */

    /* per-user stable time sort */
    int64_t max_len = 0;
    for (int64_t u = 0; u < n_users; u++)
        max_len = TSREC__MAX(max_len, off[u + 1] - off[u]);
    void *scratch = NULL;
    const int64_t *ts = rows->ts;
    for (int64_t u = 0; u < n_users; u++) {
        uint32_t *seg = perm + off[u];
        int64_t len = off[u + 1] - off[u];
        int64_t tmin = INT64_MAX, tmax = INT64_MIN;
        int sorted = 1;
        for (int64_t k = 0; k < len; k++) {
            int64_t t = ts[seg[k]];
            if (k > 0 && t < ts[seg[k - 1]])
                sorted = 0;
            tmin = TSREC__MIN(tmin, t);
            tmax = TSREC__MAX(tmax, t);
        }
        if (sorted)
            continue;
        if (len <= INSERTION_MAX) {
            insertion_sort(seg, len, ts);
            continue;
        }
        if (scratch == NULL) {
            /* max_len < 2^32, so this product cannot overflow size_t */
            scratch = tsrec__alloc(ctx, (size_t)max_len * (2 * sizeof(uint64_t) + sizeof(uint32_t)));
            if (scratch == NULL) {
                tsrec__free(ctx, perm);
                tsrec__free(ctx, off);
                return tsrec__fail(eh, TSREC_E_NOMEM,
                                   "interactions: out of memory (sort scratch)");
            }
        }
        uint64_t *key = scratch;
        uint64_t *key2 = key + max_len;
        uint32_t *perm2 = (uint32_t *)(void *)(key2 + max_len);
        radix_sort(seg, len, ts, tmin, (uint64_t)tmax - (uint64_t)tmin, key, key2, perm2);
    }
    tsrec__free(ctx, scratch);
    *out_perm = perm;
    *out_user_off = off;
    *out_kept = kept;
    return TSREC_OK;
}

/* ---- deduplication ------------------------------------------------------ */

typedef struct dedup_key {
    int32_t item;
    int32_t type;
    uint32_t vkey;
    uint32_t pos; /* offset in the run */
} dedup_key;

/* Canonical bits of a value: every NaN alike (absent), 0.0 == -0.0. */
static uint32_t value_key(const float *value, int64_t k)
{
    if (value == NULL || isnan(value[k]))
        return 0x7FC00000u;
    float v = value[k];
    if (v == 0.0f)
        return 0;
    uint32_t b;
    memcpy(&b, &v, sizeof(b));
    return b;
}

static int cmp_key(const void *a, const void *b)
{
    const dedup_key *x = a, *y = b;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->vkey != y->vkey)
        return x->vkey < y->vkey ? -1 : 1;
    return x->pos < y->pos ? -1 : (x->pos > y->pos);
}

void tsrec__dedup_scratch_free(tsrec__dedup_scratch *d)
{
    if (d == NULL || d->ctx == NULL)
        return;
    tsrec__free(d->ctx, d->keys);
    tsrec__free(d->ctx, d->dup);
    d->keys = NULL;
    d->dup = NULL;
    d->cap = 0;
}

static int scratch_reserve(tsrec__dedup_scratch *d, tsrec__handle *eh, int64_t len)
{
    if (len <= d->cap)
        return TSREC_OK;
    /* len < 2^32, so the sizes below cannot overflow size_t */
    void *keys = tsrec__alloc(d->ctx, (size_t)len * sizeof(dedup_key));
    uint8_t *dup = tsrec__alloc(d->ctx, (size_t)len);
    if (keys == NULL || dup == NULL) {
        tsrec__free(d->ctx, keys);
        tsrec__free(d->ctx, dup);
        return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory (dedup scratch)");
    }
    tsrec__free(d->ctx, d->keys);
    tsrec__free(d->ctx, d->dup);
    d->keys = keys;
    d->dup = dup;
    d->cap = len;
    return TSREC_OK;
}

static void move_row(int32_t *item, int64_t *ts, int32_t *event_type, float *value,
                     int64_t dst, int64_t src)
{
    if (dst == src)
        return;
    item[dst] = item[src];
    ts[dst] = ts[src];
    if (event_type != NULL)
        event_type[dst] = event_type[src];
    if (value != NULL)
        value[dst] = value[src];
}

static int same_event(const int32_t *item, const int32_t *event_type, const float *value,
                      int64_t a, int64_t b)
{
    return item[a] == item[b] &&
           (event_type == NULL || event_type[a] == event_type[b]) &&
           value_key(value, a) == value_key(value, b);
}

int tsrec__interactions_dedup_range(tsrec__dedup_scratch *sc, tsrec__handle *eh, int dedup,
                                    int32_t *item, int64_t *ts, int32_t *event_type,
                                    float *value, int64_t begin, int64_t end, int64_t dst,
                                    int64_t *out_end)
{
    int64_t w = dst;
    int64_t r = begin;
    if (!dedup) {
        for (; r < end; r++)
            move_row(item, ts, event_type, value, w++, r);
        *out_end = w;
        return TSREC_OK;
    }
    while (r < end) {
        int64_t run_end = r + 1;
        while (run_end < end && ts[run_end] == ts[r])
            run_end++;
        int64_t len = run_end - r;
        int64_t w0 = w;
        if (len <= PAIRWISE_MAX) {
            for (int64_t k = r; k < run_end; k++) {
                int dup = 0;
                for (int64_t j = w0; j < w && !dup; j++)
                    dup = same_event(item, event_type, value, j, k);
                if (!dup)
                    move_row(item, ts, event_type, value, w++, k);
            }
        } else {
            int rc = scratch_reserve(sc, eh, len);
            if (rc != TSREC_OK)
                return rc;
            dedup_key *keys = sc->keys;
            for (int64_t k = 0; k < len; k++) {
                keys[k].item = item[r + k];
                keys[k].type = event_type != NULL ? event_type[r + k] : -1;
                keys[k].vkey = value_key(value, r + k);
                keys[k].pos = (uint32_t)k;
                sc->dup[k] = 0;
            }
            qsort(keys, (size_t)len, sizeof(dedup_key), cmp_key);
            for (int64_t k = 1; k < len; k++)
                if (keys[k].item == keys[k - 1].item && keys[k].type == keys[k - 1].type &&
                    keys[k].vkey == keys[k - 1].vkey)
                    sc->dup[keys[k].pos] = 1;
            for (int64_t k = 0; k < len; k++)
                if (!sc->dup[k])
                    move_row(item, ts, event_type, value, w++, r + k);
        }
        r = run_end;
    }
    *out_end = w;
    return TSREC_OK;
}
