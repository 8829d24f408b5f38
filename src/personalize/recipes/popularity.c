/* Popularity-Count: items ranked by the number of distinct users who
 * interacted with them (recipes_internal.h has the AWS rules). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "recipes_internal.h"

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int64_t tsrec__items_sort_unique(int32_t *items, int64_t n)
{
    if (n <= 1)
        return n < 0 ? 0 : n;
    qsort(items, (size_t)n, sizeof(int32_t), cmp_i32);
    int64_t w = 1;
    for (int64_t i = 1; i < n; i++)
        if (items[i] != items[w - 1])
            items[w++] = items[i];
    return w;
}

void tsrec__pop_free(tsrec__pop_model *m)
{
    if (m == NULL)
        return;
    if (m->ctx != NULL) {
        tsrec__free(m->ctx, m->ranked);
        tsrec__free(m->ctx, m->count);
    }
    memset(m, 0, sizeof(*m));
}

size_t tsrec__pop_bytes(const tsrec__pop_model *m)
{
    return (size_t)m->n_ranked * sizeof(int32_t) + (size_t)m->n_items * sizeof(int64_t);
}

/* Distinct users per item over every row: the postings are sorted by user,
 * so a user's run on an item counts once. */
static void count_all(const tsrec__interactions *s, int64_t *count)
{
    for (int64_t i = 0; i < s->n_items; i++) {
        int64_t c = 0;
        for (int64_t k = s->item_off[i]; k < s->item_off[i + 1]; k++)
            if (k == s->item_off[i] || s->post_user[k] != s->post_user[k - 1])
                c++;
        count[i] = c;
    }
}

/* Distinct users per item over rows of one event type; last[i] remembers
 * the last user (plus one) counted on item i. */
static void count_type(const tsrec__interactions *s, int32_t type, int64_t *count,
                       int64_t *last)
{
    if (s->event_type == NULL)
        return;
    for (int64_t u = 0; u < s->n_users; u++)
        for (int64_t k = s->user_off[u]; k < s->user_off[u + 1]; k++) {
            int32_t it = s->item[k];
            if (s->event_type[k] == type && last[it] != u + 1) {
                last[it] = u + 1;
                count[it]++;
            }
        }
}

int tsrec__pop_train(tsrec__pop_model *m, tsrec_ctx *ctx, tsrec__handle *eh,
                     const tsrec__interactions *s, int32_t event_type)
{
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "popularity: NULL model");
    memset(m, 0, sizeof(*m));
    if (ctx == NULL || s == NULL || s->item_off == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "popularity: NULL ctx or store");
    if (event_type < -1 || event_type >= s->n_event_types)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "popularity: event type code %" PRId32 " outside -1..%" PRId64,
                           event_type, s->n_event_types - 1);
    int64_t n_items = s->n_items;
    m->ctx = ctx;
    m->n_items = n_items;
    size_t cells = (size_t)(n_items > 0 ? n_items : 1);
    m->count = tsrec__calloc(ctx, cells, sizeof(int64_t));
    uint64_t *keys = tsrec__alloc(ctx, cells * sizeof(uint64_t));
    if (m->count == NULL || keys == NULL) {
        tsrec__free(ctx, keys);
        tsrec__pop_free(m);
        return tsrec__fail(eh, TSREC_E_NOMEM, "popularity: out of memory (%" PRId64 " items)",
                           n_items);
    }
    if (event_type < 0) {
        count_all(s, m->count);
    } else {
        /* keys doubles as the last-user scratch before it holds keys */
        int64_t *last = (int64_t *)(void *)keys;
        memset(last, 0, cells * sizeof(int64_t));
        count_type(s, event_type, m->count, last);
    }
    /* Key: (UINT32_MAX - count) in the high half, the code in the low half,
     * so an ascending sort gives count desc then code asc. Counts are at
     * most the row count, which the store keeps below UINT32_MAX. */
    int64_t r = 0;
    for (int64_t i = 0; i < n_items; i++)
        if (m->count[i] > 0)
            keys[r++] = ((uint64_t)(UINT32_MAX - (uint64_t)m->count[i]) << 32) | (uint64_t)i;
    qsort(keys, (size_t)r, sizeof(uint64_t), cmp_u64);
    m->ranked = tsrec__alloc(ctx, (size_t)(r > 0 ? r : 1) * sizeof(int32_t));
    if (m->ranked == NULL) {
        tsrec__free(ctx, keys);
        tsrec__pop_free(m);
        return tsrec__fail(eh, TSREC_E_NOMEM, "popularity: out of memory (ranking)");
    }
    for (int64_t k = 0; k < r; k++)
        m->ranked[k] = (int32_t)(keys[k] & 0xFFFFFFFFu);
    m->n_ranked = r;
    tsrec__free(ctx, keys);
    return TSREC_OK;
}

int64_t tsrec__pop_recommend(const tsrec__pop_model *m, const int32_t *exclude,
                             int64_t n_exclude, int64_t n, int32_t *out_items,
                             double *out_scores)
{
    int64_t w = 0;
    if (exclude == NULL)
        n_exclude = 0;
    for (int64_t k = 0; k < m->n_ranked && w < n; k++) {
        int32_t it = m->ranked[k];
        if (n_exclude > 0 && tsrec__sorted_has(exclude, n_exclude, it))
            continue;
        out_items[w] = it;
        if (out_scores != NULL)
            out_scores[w] = (double)m->count[it];
        w++;
    }
    return w;
}
