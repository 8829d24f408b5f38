/* SIMS training internals shared by sims.c (entry point), sims_matrix.c
 * (steps 1-3 of the definition in recipes_internal.h: the binary user x
 * item matrix B), sims_pairs.c (steps 4-5: co-occurrence counts and
 * the neighbour lists) and sims_topk.c (ordering one item's candidates).
 *
 * Layout of B, chosen for the pair counting:
 *  - every kept user's window (step 3), ascending by item code, lies in
 *    `lst`, each user's list enclosed by -1 sentinels
 *    (-1, items of u0, -1, items of u1, -1, ...), so a walk from any entry
 *    forward (or backward) stops at the end of that user's list without
 *    looking up the user's offsets;
 *  - for each item i, `i_pos[i_off[i] .. i_off[i+1])` are the positions in
 *    `lst` of its entries, one per kept user with i in its window (in no
 *    particular order: the counts below are sums).
 * With the lists sorted, the items after i's own entry are exactly the
 * co-occurring j > i, which lets the counting visit each unordered pair
 * once (sims_pairs.c). */
#ifndef TSREC_SIMS_INTERNAL_H
#define TSREC_SIMS_INTERNAL_H

#include <stdint.h>

#include "recipes_internal.h"

typedef struct tsrec__sims_matrix {
    int64_t n_items;
    int64_t nnz;     /* entries of B */
    int32_t *lst;    /* items and -1 sentinels: nnz + kept users + 1 used */
    int64_t *i_off;  /* n_items + 1 */
    int64_t *i_pos;  /* nnz: positions in lst, per item */
    double *powc;    /* n_items: c_i ^ d (1.0 when c_i = 0) */
} tsrec__sims_matrix;

/* Steps 1-3: filters and window, giving B; *n_users_kept / *n_items_kept
 * get the users and items with at least one entry. TSREC_E_NOMEM (message
 * on eh); on failure *b is freed and zeroed. */
int tsrec__sims_matrix_build(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__interactions *s,
                             const tsrec__sims_params *p, tsrec__sims_matrix *b,
                             int64_t *n_users_kept, int64_t *n_items_kept);
void tsrec__sims_matrix_free(tsrec_ctx *ctx, tsrec__sims_matrix *b); /* zeroes */

/* Steps 4-5: fills m->nb_off / nb_item / nb_score from B (m->ctx,
 * m->params and m->n_items set). Counts each unordered pair once and keeps
 * the pairs with c_ij >= max(1, min_cointeraction_count) for both items;
 * when more than `pair_budget` such pairs would have to be held (< 0: the
 * default, max(2 * nnz, 2^21)), falls back to counting every item's full
 * row with a running top-k, which needs no pair storage. Both ways give
 * the same lists. TSREC_E_NOMEM, TSREC_E_CANCELLED (message on eh). */
int tsrec__sims_pairs_run(tsrec__sims_model *m, tsrec__handle *eh, const tsrec__sims_matrix *b,
                          int64_t pair_budget);

/* A neighbour candidate of one item (sims_topk.c). */
typedef struct tsrec__sims_cand {
    double score;
    int32_t item;
} tsrec__sims_cand;

/* Moves the best min(k, n) of c[0..n) (score desc, item code asc; items
 * distinct) to the front in that order; the rest are left in some order.
 * No allocation, O(n + k log k) on average, O(n log n) at worst. */
void tsrec__sims_best_k(tsrec__sims_cand *c, int64_t n, int64_t k);

/* tsrec__sims_train with an explicit pair budget (see above); tests use a
 * tiny budget to exercise the fallback. */
int tsrec__sims_train_budget(tsrec__sims_model *m, tsrec_ctx *ctx, tsrec__handle *eh,
                             const tsrec__interactions *s, const tsrec__sims_params *p,
                             int64_t pair_budget);

#endif /* TSREC_SIMS_INTERNAL_H */
