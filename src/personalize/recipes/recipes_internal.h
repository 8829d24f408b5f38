/* Recipe cores on the interaction store (src/data/interactions_internal.h):
 * training and per-request recommendation for Popularity-Count and SIMS,
 * with no handles, no names and no string parameters (the solution and
 * campaign layers map those onto these structs).
 *
 * Files: popularity.c (Popularity-Count), sims.c (SIMS training and
 * related-item queries; the training steps are in sims_matrix.c and
 * sims_pairs.c, see sims_internal.h), sims_params.c (SIMS hyperparameter
 * defaults and checks).
 *
 * Common rules:
 *  - item lists come out best first; equal scores are ordered by item code
 *    ascending, so every result is deterministic;
 *  - the caller passes the items to leave out of a result as a sorted
 *    array of unique item codes (`exclude`, may be NULL when n_exclude is
 *    0): a user's history for "exclude what the user already interacted
 *    with", or nothing;
 *  - scores are returned for internal use (ranking, tests); AWS returns no
 *    scores for Popularity-Count and SIMS (aws-surface.md B3), so the public
 *    layer may drop them. */
#ifndef TSREC_RECIPES_INTERNAL_H
#define TSREC_RECIPES_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"
#include "interactions_internal.h"

/* Is x in the ascending array a[0..n)? Binary search. */
static inline int tsrec__sorted_has(const int32_t *a, int64_t n, int32_t x)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == x;
}

/* Sort items[0..n) ascending and drop repeats in place; returns the new
 * length. For turning a history into an `exclude` array. */
int64_t tsrec__items_sort_unique(int32_t *items, int64_t n);

/* ---- Popularity-Count (popularity.c) ----------------------------------

 * AWS (native-recipe-popularity): "the most popular items are the items
 * with the most interactions data from unique users. The recipe returns
 * the same popular items for all users." So an item's score is the number
 * of distinct users with at least one kept interaction on it (repeat
 * events of one user count once); the eventType / eventValueThreshold of
 * the solution config are applied when the store is built (B4), and
 * `event_type` below narrows the count to one event type code of the store
 * in addition. Scores are these raw counts (AWS documents no normalisation
 * and returns no scores). Items nobody interacted with are never
 * recommended. Excluding the user's own items is the caller's choice
 * (pass them as `exclude`): AWS documents one list for all users. */
typedef struct tsrec__pop_model {
    tsrec_ctx *ctx;
    int64_t n_items;   /* item code space of the training store */
    int64_t n_ranked;  /* items with a count > 0 */
    int32_t *ranked;   /* n_ranked item codes, count desc then code asc */
    int64_t *count;    /* n_items distinct-user counts */
} tsrec__pop_model;

/* Count and rank. event_type: -1 = every kept row, else a code in
 * 0 .. s->n_event_types-1 (TSREC_E_OUT_OF_RANGE otherwise; rows of a store
 * without event types never match a code). TSREC_E_INVALID_ARG for NULL
 * pointers, TSREC_E_NOMEM. On failure *m is zeroed (safe to free). */
int tsrec__pop_train(tsrec__pop_model *m, tsrec_ctx *ctx, tsrec__handle *eh,
                     const tsrec__interactions *s, int32_t event_type);
void tsrec__pop_free(tsrec__pop_model *m); /* zeroes; safe on zeroed */
size_t tsrec__pop_bytes(const tsrec__pop_model *m);

/* Up to n most popular items not in exclude, written to out_items (and
 * their counts to out_scores when not NULL); returns how many were
 * written. Never fails; n <= 0 writes nothing. O(n + n_exclude-hits *
 * log n_exclude). Read-only: any number of threads may call it at once. */
int64_t tsrec__pop_recommend(const tsrec__pop_model *m, const int32_t *exclude,
                             int64_t n_exclude, int64_t n, int32_t *out_items,
                             double *out_scores);

/* ---- SIMS (sims.c, sims_params.c) --------------------------------------

 * AWS (native-recipe-sims, aws-surface.md B3, recsys-anchors.md §3.4):
 * item-to-item collaborative filtering on co-occurrence in user histories;
 * hyperparameters popularity_discount_factor (0.5, [0, 1]: 0 = most
 * popular co-occurring items, 1 = co-interaction regardless of
 * popularity), min_cointeraction_count (3, [0, 10]: users who interacted
 * with both items before a similarity is computed), and the four
 * percentile filters; unknown items or items without enough behaviour
 * data get popular items.
 *
 * What is computed (the exact formula is not documented by AWS; this one
 * reproduces the documented extremes, see recsys-anchors.md §3.3/§3.4):
 *  1. users whose history length (kept interactions) lies outside
 *     [P(min_user_history_length_percentile), P(max_..._percentile)] of
 *     the users with >= 1 interaction are dropped; P is the linear-
 *     interpolation percentile of the sorted lengths (numpy's default);
 *  2. every kept user's distinct items are counted (c_i = number of kept
 *     users with item i); items whose c_i lies outside
 *     [P(min_item_interaction_count_percentile), P(max_..._percentile)]
 *     of the items with c_i >= 1 are dropped;
 *  3. each kept user keeps the max_history most recent distinct kept
 *     items (a window bounding the per-user pair work at max_history^2;
 *     0 = no cap). This binary user x item matrix B defines everything
 *     below: c_i = column sums of B, c_ij = (B'B)_ij;
 *  4. for each item i and j != i with c_ij >= max(1, min_cointeraction_
 *     count): score(i, j) = c_ij / (c_i^d * c_j^d), d =
 *     popularity_discount_factor. For a fixed query i the ranking equals
 *     that of c_ij / c_j^d: d = 0 ranks by raw co-count (popular items
 *     win), d = 1 by c_ij / c_j (popularity removed), d = 0.5 is cosine;
 *  5. the best max_neighbors items per i (score desc, code asc) are kept.
 * A query returns the neighbours first, then pads with Popularity-Count
 * items of the whole training store (score 0) when there are fewer than
 * asked; an unknown item (code outside the store or with no neighbours)
 * gets popular items only. The query item itself is never returned. */
typedef struct tsrec__sims_params {
    double popularity_discount_factor;            /* 0.5, [0, 1] */
    int32_t min_cointeraction_count;              /* 3, [0, 10] */
    double min_user_history_length_percentile;    /* 0.005, [0, 1] */
    double max_user_history_length_percentile;    /* 0.995, [0, 1] */
    double min_item_interaction_count_percentile; /* 0.01, [0, 1] */
    double max_item_interaction_count_percentile; /* 0.9, [0, 1] */
    int64_t max_neighbors; /* 500 (AWS numResults maximum), >= 1 */
    int64_t max_history;   /* 1000 most recent distinct items; 0 = all */
} tsrec__sims_params;

void tsrec__sims_params_init(tsrec__sims_params *p);
/* TSREC_E_OUT_OF_RANGE (NaN included) with the parameter's name. */
int tsrec__sims_params_check(const tsrec__sims_params *p, tsrec__handle *eh);

/* Linear-interpolation percentile q in [0, 1] of sorted[0..n), n >= 1. */
double tsrec__percentile_sorted(const int64_t *sorted, int64_t n, double q);

typedef struct tsrec__sims_model {
    tsrec_ctx *ctx;
    tsrec__sims_params params;
    int64_t n_items;
    int64_t n_users_kept, n_items_kept; /* after the filters */
    int64_t *nb_off;   /* n_items + 1 */
    int32_t *nb_item;  /* neighbours of i: nb_off[i] .. nb_off[i+1]-1 */
    float *nb_score;
    tsrec__pop_model pop; /* fallback */
} tsrec__sims_model;

/* Train on s (all event types; filter the store for eventType). Runs in
 * parallel over items on the ctx pool; the result does not depend on the
 * thread count. TSREC_E_INVALID_ARG, TSREC_E_OUT_OF_RANGE (params),
 * TSREC_E_NOMEM, TSREC_E_CANCELLED. On failure *m is zeroed. */
int tsrec__sims_train(tsrec__sims_model *m, tsrec_ctx *ctx, tsrec__handle *eh,
                      const tsrec__interactions *s, const tsrec__sims_params *p);
void tsrec__sims_free(tsrec__sims_model *m); /* zeroes; safe on zeroed */
size_t tsrec__sims_bytes(const tsrec__sims_model *m);

/* Up to n items related to `item` (any int64: unknown codes fall back to
 * popular items), none equal to item or in exclude; returns the count
 * written; *out_n_similar (may be NULL) gets how many of them are
 * neighbours (the rest are popularity padding, score 0). Read-only,
 * thread-safe. */
int64_t tsrec__sims_recommend(const tsrec__sims_model *m, int64_t item, const int32_t *exclude,
                              int64_t n_exclude, int64_t n, int32_t *out_items,
                              double *out_scores, int64_t *out_n_similar);

/* ---- persistence (model_save.c) ----------------------------------------

 * The recipe vtable's save / load hooks (recipe_internal.h) for the two
 * models: the arrays as trained, so a loaded model answers bit for bit
 * like the original. Loads check every count, offset and item code. */
struct tsrec__wbuf;
struct tsrec__rbuf;
int tsrec__pop_vt_save(const void *model, struct tsrec__wbuf *b);
int tsrec__pop_vt_load(tsrec_ctx *ctx, tsrec__handle *eh, struct tsrec__rbuf *r,
                       void **out_model);
int tsrec__sims_vt_save(const void *model, struct tsrec__wbuf *b);
int tsrec__sims_vt_load(tsrec_ctx *ctx, tsrec__handle *eh, struct tsrec__rbuf *r,
                        void **out_model);

#endif /* TSREC_RECIPES_INTERNAL_H */
