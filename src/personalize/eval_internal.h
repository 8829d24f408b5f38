/* Offline evaluation of a recipe the way Amazon Personalize computes its
 * solution version metrics (aws-surface.md B5, working-with-training-
 * metrics): users split 90 / 10, the recipe trained on the training users,
 * each test user's oldest 90 % of interactions given as input and the
 * newest 10 % scored as relevant items against the top 25 recommended.
 *
 * Procedure (the parts AWS leaves open are fixed here and documented):
 *  - split (tsrec__eval_split_users): eligible users are those with >= 2
 *    kept interactions (one for input, one to score); their codes in
 *    ascending order are shuffled by Fisher-Yates with tsrec__rng seeded
 *    with `seed` (for k = n-1 down to 1: swap k with rng_below(k + 1)) and
 *    the first n_test = floor(n_eligible * test_fraction) of the shuffled
 *    order (at least 1) are the test users, then stored ascending. Every
 *    other user (test users removed) trains the recipe;
 *  - a test user with L time-ordered interactions gives the first
 *    n_in = floor(9 L / 10) (clamped to 1 .. L-1) as input history and
 *    the distinct items of the remaining L - n_in as relevant items;
 *  - every recipe is asked for 25 items; lists must not repeat an item;
 *  - metrics, averaged over test users in ascending user order:
 *      precision_at_K = |relevant in top K| / K (K even when fewer items
 *        were returned),
 *      mean_reciprocal_rank_at_25 = 1 / rank of the first relevant item
 *        in the top 25, 0 if none,
 *      normalized_discounted_cumulative_gain_at_K = DCG / IDCG with DCG =
 *        sum over relevant items at rank p <= K of 1 / log2(1 + p) and
 *        IDCG = sum_{p=1}^{min(|relevant|, K)} 1 / log2(1 + p),
 *      coverage = distinct items recommended over all test requests /
 *        n_catalog (the items in the Interactions and Items datasets; the
 *        caller passes it, 0 = the store's item code space). */
#ifndef TSREC_EVAL_INTERNAL_H
#define TSREC_EVAL_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"
#include "interactions_internal.h"

#define TSREC__EVAL_TOP 25

typedef struct tsrec__eval_split {
    tsrec_ctx *ctx;
    int64_t n_users;
    int64_t n_test;
    int32_t *test_users; /* n_test ascending user codes */
    uint8_t *is_test;    /* n_users flags */
} tsrec__eval_split;

/* test_fraction in (0, 1). TSREC_E_INVALID_ARG (NULL, bad fraction),
 * TSREC_E_EMPTY (no user with >= 2 interactions), TSREC_E_NOMEM. On
 * failure *sp is zeroed. */
int tsrec__eval_split_users(tsrec__eval_split *sp, tsrec_ctx *ctx, tsrec__handle *eh,
                            const tsrec__interactions *s, uint64_t seed, double test_fraction);
void tsrec__eval_split_free(tsrec__eval_split *sp); /* zeroes; safe on zeroed */

/* Input length for a test user with L >= 2 interactions. */
int64_t tsrec__eval_input_len(int64_t len);

/* Store with the rows of non-test users only (same code spaces, no
 * re-sorting: rows are copied user by user). TSREC_E_EMPTY when no row is
 * left. On failure *out is zeroed. */
int tsrec__eval_train_store(tsrec__interactions *out, tsrec__handle *eh,
                            const tsrec__interactions *s, const tsrec__eval_split *sp);

/* A recipe as the evaluation sees it. */
typedef struct tsrec__eval_recipe {
    void *user;
    /* Train on the training users' store; *model is opaque. */
    int (*train)(void *user, const tsrec__interactions *train, tsrec__handle *eh, void **model);
    /* Up to k items for a user whose history, oldest first, is
     * hist_items[0..n_hist) (hist_ts alongside); *out_n = count written.
     * May be called only from the evaluating thread. */
    int (*recommend)(void *user, void *model, const int32_t *hist_items, const int64_t *hist_ts,
                     int64_t n_hist, int64_t k, int32_t *out_items, int64_t *out_n);
    void (*free_model)(void *user, void *model);
} tsrec__eval_recipe;

/* Metric order in tsrec__eval_score_list's out[] */
enum {
    TSREC__EVAL_MRR25 = 0,
    TSREC__EVAL_NDCG5,
    TSREC__EVAL_NDCG10,
    TSREC__EVAL_NDCG25,
    TSREC__EVAL_P5,
    TSREC__EVAL_P10,
    TSREC__EVAL_P25,
    TSREC__EVAL_N_LIST_METRICS
};

typedef struct tsrec__eval_metrics {
    double coverage;
    double mean_reciprocal_rank_at_25;
    double normalized_discounted_cumulative_gain_at_5;
    double normalized_discounted_cumulative_gain_at_10;
    double normalized_discounted_cumulative_gain_at_25;
    double precision_at_5;
    double precision_at_10;
    double precision_at_25;
    int64_t n_test_users;
} tsrec__eval_metrics;

/* The per-request metrics of one list (recs distinct, best first) against
 * relevant (ascending, distinct, n_rel >= 1). */
void tsrec__eval_score_list(const int32_t *recs, int64_t n_recs, const int32_t *relevant,
                            int64_t n_rel, double out[TSREC__EVAL_N_LIST_METRICS]);

/* What each test request returned (optional output of tsrec__eval_run,
 * used by the bench to check the metric math from outside). */
typedef struct tsrec__eval_detail {
    tsrec_ctx *ctx;
    int64_t n_test;
    int32_t *user;    /* n_test, ascending */
    int64_t *rec_off; /* n_test + 1 */
    int32_t *rec;     /* recommended items */
} tsrec__eval_detail;

void tsrec__eval_detail_free(tsrec__eval_detail *d); /* zeroes; safe on zeroed */

/* Train r on the training users of sp and score it on its test users.
 * n_catalog: coverage denominator (0 = s->n_items). detail may be NULL.
 * Returns the recipe's status, TSREC_E_INVALID_ARG (a recommendation list
 * with a repeated or out-of-range item, more than 25 items), TSREC_E_NOMEM. */
int tsrec__eval_run(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__interactions *s,
                    const tsrec__eval_split *sp, const tsrec__eval_recipe *r, int64_t n_catalog,
                    tsrec__eval_metrics *out, tsrec__eval_detail *detail);

#endif /* TSREC_EVAL_INTERNAL_H */
