/* The Personalize interaction store on plain arrays: what every recipe
 * (Popularity-Count, SIMS, HRNN, Personalized-Ranking) reads its histories
 * from. Built from rows of (user code, item code, timestamp, event type
 * code, event value) after the solution-config filters (aws-surface.md B4)
 * and the deduplication of identical events (B6).
 *
 * Files: interactions.c (build, item index, counts, free, memory),
 * interactions_sort.c (filtering, grouping by user, stable time sort,
 * deduplication: the passes shared by build and append),
 * interactions_append.c (incremental append for streamed events).
 *
 * Rules implemented (AWS facts from the Personalize API and guide):
 *  - event type filter (CreateSolution eventType): only rows whose event
 *    type name equals the wanted name byte for byte are kept; rows without
 *    an event type are dropped when a name is given. NULL keeps all rows.
 *  - event value threshold (SolutionConfig.eventValueThreshold): "only
 *    events with a value greater than or equal to this threshold are used";
 *    a row without a value (NaN) is not >= anything, so it is dropped when
 *    a threshold is set. Both filters combine (AND).
 *  - deduplication: AWS keeps one of "two events with exactly the same
 *    timestamp and identical properties" (recording-item-interaction-
 *    events). Here, when opts.dedup is set, rows equal in (user, item,
 *    timestamp, event type code, event value) collapse to the first one in
 *    input order. Values compare as numbers (0.0 == -0.0), and two absent
 *    values (NaN) are equal; a present value never equals an absent one.
 *    Filtering runs before deduplication, so a duplicate of a dropped row
 *    is dropped too, and counts below are of unique kept rows.
 *
 * Layout after a build, for m kept unique interactions:
 *  - per user u, rows user_off[u] .. user_off[u+1]-1 of item[], ts[],
 *    event_type[] and value[] in time order; equal timestamps keep input
 *    order (a stable sort). event_type is NULL when the input had no
 *    event types, value NULL when it had no values;
 *  - per item i, post_user[item_off[i] .. item_off[i+1]-1]: the users who
 *    interacted with i, sorted by user then time (one entry per
 *    interaction, so a user appears once per event on that item);
 *  - item_type_count[i * n_event_types + t]: kept interactions of item i
 *    with event type t (NULL without event types). Item and user totals
 *    are the offset differences (tsrec__interactions_item_count, ..._user).
 * Building is O(n + n_users + n_items) plus radix passes over each user's
 * timestamps (skipped when a user's rows already arrive in time order). */
#ifndef TSREC_INTERACTIONS_INTERNAL_H
#define TSREC_INTERACTIONS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

/* Input rows (borrowed for the call). event_type may be NULL (no event
 * types: every row counts as absent, -1) and so may value (no values:
 * every row counts as absent, NaN). */
typedef struct tsrec__interaction_rows {
    int64_t n;
    const int32_t *user;       /* 0 .. n_users-1 */
    const int32_t *item;       /* 0 .. n_items-1 */
    const int64_t *ts;         /* epoch seconds */
    const int32_t *event_type; /* -1 (absent) or 0 .. n_event_types-1 */
    const float *value;        /* NaN = absent; +-Inf refused */
} tsrec__interaction_rows;

/* Code spaces of the rows: users, items and the event type names (names
 * may be NULL when n_event_types is 0). Borrowed for the call. */
typedef struct tsrec__interaction_codes {
    int64_t n_users;
    int64_t n_items;
    int64_t n_event_types;
    const char *const *event_type_names;
} tsrec__interaction_codes;

typedef struct tsrec__interaction_opts {
    const char *event_type;  /* keep only this event type; NULL = all */
    int32_t has_threshold;   /* 1: apply value_threshold */
    int32_t dedup;           /* 1: collapse identical rows (AWS behaviour) */
    double value_threshold;  /* keep value >= threshold */
} tsrec__interaction_opts;

/* Defaults: all event types, no threshold, dedup on. */
void tsrec__interaction_opts_init(tsrec__interaction_opts *o);

typedef struct tsrec__interactions {
    tsrec_ctx *ctx;
    int64_t n_users, n_items, n_event_types;
    int64_t n;              /* kept unique interactions */
    int64_t *user_off;      /* n_users + 1 */
    int32_t *item;          /* n */
    int64_t *ts;            /* n */
    int32_t *event_type;    /* n, or NULL */
    float *value;           /* n, or NULL */
    int64_t *item_off;      /* n_items + 1 */
    int32_t *post_user;     /* n */
    int64_t *item_type_count; /* n_items * n_event_types, or NULL */
    int64_t ts_min, ts_max; /* over kept rows */
    /* what happened to the input rows (cumulative over appends) */
    int64_t n_input, n_filtered, n_duplicates;
    /* options, kept to filter appended rows the same way */
    char *filter_event_type; /* owned copy, NULL = all */
    int32_t has_threshold, dedup;
    double value_threshold;
} tsrec__interactions;

/* Build the store from rows. Returns TSREC_OK, TSREC_E_INVALID_ARG (NULL
 * pointers, negative sizes, more than UINT32_MAX - 1 rows),
 * TSREC_E_EMPTY (no rows, or none left after filtering),
 * TSREC_E_OUT_OF_RANGE (a code outside its space), TSREC_E_NAN (an
 * infinite value), TSREC_E_NOMEM. On failure *s is zeroed (safe to free). */
int tsrec__interactions_build(tsrec__interactions *s, tsrec_ctx *ctx, tsrec__handle *eh,
                              const tsrec__interaction_rows *rows,
                              const tsrec__interaction_codes *codes,
                              const tsrec__interaction_opts *opts);

/* Append a batch of new events (streamed PutEvents data) with the
 * store's options. codes may grow (new users, items or event types,
 * same existing codes and names). The result equals a build over the old
 * rows followed by the batch: batch rows sort after older rows with the
 * same timestamp, and a batch row identical to a stored one is dropped
 * when dedup is on. A batch whose rows are all filtered out is fine.
 * Cost: the batch is sorted on its own (O(k + n_users)); then every array
 * is rewritten once with untouched users copied in blocks and touched
 * users merged, and the item index rebuilt: O(n + k + n_users + n_items)
 * sequential work and a second copy of the arrays at the peak, no sort of
 * stored rows. On failure the store is unchanged. Returns as build, except
 * that an empty batch is TSREC_OK. Event type matching of the filter is
 * redone against the new names. */
int tsrec__interactions_append(tsrec__interactions *s, tsrec__handle *eh,
                               const tsrec__interaction_rows *batch,
                               const tsrec__interaction_codes *codes);

void tsrec__interactions_free(tsrec__interactions *s); /* zeroes; safe on zeroed */
/* Bytes held by the arrays and the option copy. */
size_t tsrec__interactions_bytes(const tsrec__interactions *s);

static inline int64_t tsrec__interactions_user_count(const tsrec__interactions *s, int64_t u)
{
    return s->user_off[u + 1] - s->user_off[u];
}
static inline int64_t tsrec__interactions_item_count(const tsrec__interactions *s, int64_t i)
{
    return s->item_off[i + 1] - s->item_off[i];
}

/* ---- passes shared by build and append (interactions_sort.c) ---------- */

/* Check codes and values of rows against codes; resolve the filter name
 * (*out_type_code = its code, -1 when no name is wanted, -2 when the name
 * is not among the event types so every row is dropped). */
int tsrec__interactions_check(const tsrec__interaction_rows *rows,
                              const tsrec__interaction_codes *codes,
                              const char *filter_event_type, tsrec__handle *eh,
                              int32_t *out_type_code);

/* Rows kept by the filters, grouped by user and time-ordered (stable):
 * perm[user_off[u] .. user_off[u+1]-1] are row indexes of user u. perm
 * and user_off (n_users + 1) are allocated here; *out_kept is their count. */
int tsrec__interactions_group(tsrec_ctx *ctx, tsrec__handle *eh,
                              const tsrec__interaction_rows *rows, int64_t n_users,
                              int32_t type_code, int32_t has_threshold, double threshold,
                              uint32_t **out_perm, int64_t **out_user_off,
                              int64_t *out_kept);

/* Scratch for deduplication of long equal-timestamp runs. */
typedef struct tsrec__dedup_scratch {
    tsrec_ctx *ctx;
    int64_t cap;
    void *keys;
    uint8_t *dup;
} tsrec__dedup_scratch;

void tsrec__dedup_scratch_free(tsrec__dedup_scratch *d);

/* Deduplicate the time-ordered rows [begin, end) of the given arrays
 * (event_type / value may be NULL), keeping the first of each identical
 * group in order, and write the kept rows from dst on (dst <= begin, so
 * the arrays can be compacted in one sweep); *out_end is one past the
 * last row written. dedup 0 only moves the rows. TSREC_E_NOMEM only when
 * a long run needs scratch that cannot grow (rows then partly moved). */
int tsrec__interactions_dedup_range(tsrec__dedup_scratch *sc, tsrec__handle *eh, int dedup,
                                    int32_t *item, int64_t *ts, int32_t *event_type,
                                    float *value, int64_t begin, int64_t end, int64_t dst,
                                    int64_t *out_end);

/* Fill item_off, post_user, item_type_count, ts_min / ts_max from the
 * per-user arrays. The item-side pointers must be NULL on entry; on
 * failure they are NULL again. */
int tsrec__interactions_index_items(tsrec__interactions *s, tsrec__handle *eh);

/* Allocate item / ts (and event_type / value when asked) for n rows of
 * s (s->ctx set). On failure some may be allocated: free the store. */
int tsrec__interactions_alloc_rows(tsrec__interactions *s, tsrec__handle *eh, int64_t n,
                                   int with_types, int with_values);

/* Rows [0, kept) of s hold every user's grouped, time-ordered rows and
 * user_off their ranges: deduplicate (when s->dedup) in one compacting
 * sweep, fix user_off and s->n, add to s->n_duplicates, give back the
 * slack and index the items (interactions.c). */
int tsrec__interactions_finish_rows(tsrec__interactions *s, tsrec__handle *eh, int64_t kept);

#endif /* TSREC_INTERACTIONS_INTERNAL_H */
