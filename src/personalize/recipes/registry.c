/* The recipe registry: Popularity-Count and SIMS behind the vtable of
 * recipe_internal.h, with their algorithmHyperParameters tables.
 *
 * Ranking (GetPersonalizedRanking) scores, documented choices since AWS
 * publishes none for these recipes:
 *  - Popularity-Count: the item's distinct-user count;
 *  - SIMS: the sum of the item's similarity to each of the user's
 *    TSREC__RANK_HISTORY most recent items (0 when none is related). */
#include <math.h>
#include <string.h>

#include "recipe_internal.h"
#include "recipes_internal.h"

#define TSREC__RANK_HISTORY 100

/* ---- Popularity-Count --------------------------------------------------- */

static int pop_train(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                     const tsrec__interactions *s, void **out_model)
{
    (void)params;
    tsrec__pop_model *m = tsrec__calloc(ctx, 1, sizeof(*m));
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "aws-popularity-count: out of memory");
    int rc = tsrec__pop_train(m, ctx, eh, s, -1);
    if (rc != TSREC_OK) {
        tsrec__free(ctx, m);
        return rc;
    }
    *out_model = m;
    return TSREC_OK;
}

static int64_t pop_recommend(const void *model, int64_t item, const int32_t *exclude,
                             int64_t n_exclude, int64_t n, int32_t *out_items,
                             double *out_scores)
{
    (void)item;
    return tsrec__pop_recommend(model, exclude, n_exclude, n, out_items, out_scores);
}

static void pop_rank(const void *model, const int32_t *hist, int64_t n_hist, const int64_t *cand,
                     int64_t n, double *out_scores)
{
    const tsrec__pop_model *m = model;
    (void)hist;
    (void)n_hist;
    for (int64_t k = 0; k < n; k++)
        out_scores[k] = cand[k] >= 0 && cand[k] < m->n_items ? (double)m->count[cand[k]] : NAN;
}

static void pop_free(void *model)
{
    tsrec__pop_model *m = model;
    if (m == NULL)
        return;
    tsrec_ctx *ctx = m->ctx;
    tsrec__pop_free(m);
    tsrec__free(ctx, m);
}

static size_t pop_bytes(const void *model)
{
    return sizeof(tsrec__pop_model) + tsrec__pop_bytes(model);
}

static int64_t pop_n_items(const void *model)
{
    return ((const tsrec__pop_model *)model)->n_items;
}

static const tsrec__recipe POPULARITY = {
    .abi_version = TSREC__RECIPE_ABI_VERSION,
    .struct_size = sizeof(tsrec__recipe),
    .name = "aws-popularity-count",
    .type = TSREC__RECIPE_POPULAR_ITEMS,
    .params = NULL,
    .n_params = 0,
    .train = pop_train,
    .recommend = pop_recommend,
    .rank = pop_rank,
    .free_model = pop_free,
    .bytes = pop_bytes,
    .n_items = pop_n_items,
    .save = tsrec__pop_vt_save,
    .load = tsrec__pop_vt_load,
};

/* ---- SIMS ----------------------------------------------------------------- */

/* AWS names, defaults and ranges (aws-surface.md B3). */
static const tsrec__param_def SIMS_PARAMS[] = {
    TSREC__PARAM_DEF_DOUBLE("popularity_discount_factor", "0.5", 0.0, 1.0,
                            "0 ranks co-occurring items by popularity, 1 by co-interaction only."),
    TSREC__PARAM_DEF_INT("min_cointeraction_count", "3", 0, 10,
                         "Users who interacted with both items before a similarity counts."),
    TSREC__PARAM_DEF_DOUBLE("min_user_history_length_percentile", "0.005", 0.0, 1.0,
                            "Drop users with shorter histories than this percentile."),
    TSREC__PARAM_DEF_DOUBLE("max_user_history_length_percentile", "0.995", 0.0, 1.0,
                            "Drop users with longer histories than this percentile."),
    TSREC__PARAM_DEF_DOUBLE("min_item_interaction_count_percentile", "0.01", 0.0, 1.0,
                            "Drop items with fewer interactions than this percentile."),
    TSREC__PARAM_DEF_DOUBLE("max_item_interaction_count_percentile", "0.9", 0.0, 1.0,
                            "Drop items with more interactions than this percentile."),
};

static int sims_train(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                      const tsrec__interactions *s, void **out_model)
{
    tsrec__sims_params p;
    tsrec__sims_params_init(&p);
    int64_t mcc = 0;
    int rc = TSREC_OK;
    if (params != NULL) {
        rc = tsrec__params_get_double(params, eh, "popularity_discount_factor",
                                      &p.popularity_discount_factor);
        if (rc == TSREC_OK)
            rc = tsrec__params_get_int(params, eh, "min_cointeraction_count", &mcc);
        if (rc == TSREC_OK)
            rc = tsrec__params_get_double(params, eh, "min_user_history_length_percentile",
                                          &p.min_user_history_length_percentile);
        if (rc == TSREC_OK)
            rc = tsrec__params_get_double(params, eh, "max_user_history_length_percentile",
                                          &p.max_user_history_length_percentile);
        if (rc == TSREC_OK)
            rc = tsrec__params_get_double(params, eh, "min_item_interaction_count_percentile",
                                          &p.min_item_interaction_count_percentile);
        if (rc == TSREC_OK)
            rc = tsrec__params_get_double(params, eh, "max_item_interaction_count_percentile",
                                          &p.max_item_interaction_count_percentile);
        if (rc != TSREC_OK)
            return rc;
        p.min_cointeraction_count = (int32_t)mcc;
    }
    tsrec__sims_model *m = tsrec__calloc(ctx, 1, sizeof(*m));
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "aws-sims: out of memory");
    rc = tsrec__sims_train(m, ctx, eh, s, &p);
    if (rc != TSREC_OK) {
        tsrec__free(ctx, m);
        return rc;
    }
    *out_model = m;
    return TSREC_OK;
}

static int64_t sims_recommend(const void *model, int64_t item, const int32_t *exclude,
                              int64_t n_exclude, int64_t n, int32_t *out_items,
                              double *out_scores)
{
    return tsrec__sims_recommend(model, item, exclude, n_exclude, n, out_items, out_scores, NULL);
}

/* Position of x in the ascending cand[0..n), or -1. */
static int64_t find_sorted64(const int64_t *cand, int64_t n, int64_t x)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cand[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && cand[lo] == x ? lo : -1;
}

/* cand must be ascending and distinct (the campaign sorts it). */
static void sims_rank(const void *model, const int32_t *hist, int64_t n_hist, const int64_t *cand,
                      int64_t n, double *out_scores)
{
    const tsrec__sims_model *m = model;
    for (int64_t k = 0; k < n; k++)
        out_scores[k] = cand[k] >= 0 && cand[k] < m->n_items ? 0.0 : NAN;
    int64_t nh = TSREC__MIN(n_hist, (int64_t)TSREC__RANK_HISTORY);
    for (int64_t h = 0; h < nh; h++) {
        int32_t it = hist[h];
        if (it < 0 || it >= m->n_items)
            continue;
        for (int64_t e = m->nb_off[it]; e < m->nb_off[it + 1]; e++) {
            int64_t k = find_sorted64(cand, n, m->nb_item[e]);
            if (k >= 0)
                out_scores[k] += (double)m->nb_score[e];
        }
    }
}

static void sims_free(void *model)
{
    tsrec__sims_model *m = model;
    if (m == NULL)
        return;
    tsrec_ctx *ctx = m->ctx;
    tsrec__sims_free(m);
    tsrec__free(ctx, m);
}

static size_t sims_bytes(const void *model)
{
    return sizeof(tsrec__sims_model) + tsrec__sims_bytes(model);
}

static int64_t sims_n_items(const void *model)
{
    return ((const tsrec__sims_model *)model)->n_items;
}

static const tsrec__recipe SIMS = {
    .abi_version = TSREC__RECIPE_ABI_VERSION,
    .struct_size = sizeof(tsrec__recipe),
    .name = "aws-sims",
    .type = TSREC__RECIPE_RELATED_ITEMS,
    .params = SIMS_PARAMS,
    .n_params = (int64_t)TSREC__ARRAY_LEN(SIMS_PARAMS),
    .train = sims_train,
    .recommend = sims_recommend,
    .rank = sims_rank,
    .free_model = sims_free,
    .bytes = sims_bytes,
    .n_items = sims_n_items,
    .save = tsrec__sims_vt_save,
    .load = tsrec__sims_vt_load,
};

/* ---- registry ------------------------------------------------------------- */

static const tsrec__recipe *const RECIPES[] = {&POPULARITY, &SIMS};

const tsrec__recipe *const *tsrec__recipes(int64_t *out_count)
{
    if (out_count != NULL)
        *out_count = (int64_t)TSREC__ARRAY_LEN(RECIPES);
    return RECIPES;
}

const tsrec__recipe *tsrec__recipe_find(const char *s, size_t len)
{
    if (s == NULL)
        return NULL;
    size_t plen = strlen(TSREC__RECIPE_ARN_PREFIX);
    if (len > plen && memcmp(s, TSREC__RECIPE_ARN_PREFIX, plen) == 0) {
        s += plen;
        len -= plen;
    }
    for (size_t i = 0; i < TSREC__ARRAY_LEN(RECIPES); i++)
        if (strlen(RECIPES[i]->name) == len && memcmp(RECIPES[i]->name, s, len) == 0)
            return RECIPES[i];
    return NULL;
}
