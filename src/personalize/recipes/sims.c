/* SIMS: item-to-item co-occurrence in user histories (the definition and
 * the AWS rules are in recipes_internal.h): the model's life cycle and the
 * related-item queries. Training is split by step: sims_matrix.c builds
 * the binary user x item matrix B (steps 1-3), sims_pairs.c counts the
 * co-occurrences and keeps the best neighbours (steps 4-5); the result is
 * the same for any thread count. */
#include <inttypes.h>
#include <string.h>

#include "sims_internal.h"

void tsrec__sims_free(tsrec__sims_model *m)
{
    if (m == NULL)
        return;
    if (m->ctx != NULL) {
        tsrec__free(m->ctx, m->nb_off);
        tsrec__free(m->ctx, m->nb_item);
        tsrec__free(m->ctx, m->nb_score);
    }
    tsrec__pop_free(&m->pop);
    memset(m, 0, sizeof(*m));
}

size_t tsrec__sims_bytes(const tsrec__sims_model *m)
{
    int64_t e = m->nb_off != NULL ? m->nb_off[m->n_items] : 0;
    return (size_t)(m->n_items + 1) * sizeof(int64_t) +
           (size_t)e * (sizeof(int32_t) + sizeof(float)) + tsrec__pop_bytes(&m->pop);
}

int tsrec__sims_train_budget(tsrec__sims_model *m, tsrec_ctx *ctx, tsrec__handle *eh,
                             const tsrec__interactions *s, const tsrec__sims_params *p,
                             int64_t pair_budget)
{
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "sims: NULL model");
    memset(m, 0, sizeof(*m));
    if (ctx == NULL || s == NULL || s->item_off == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "sims: NULL ctx or store");
    int rc = tsrec__sims_params_check(p, eh);
    if (rc != TSREC_OK)
        return rc;
    m->ctx = ctx;
    m->params = *p;
    m->n_items = s->n_items;
    rc = tsrec__pop_train(&m->pop, ctx, eh, s, -1);
    tsrec__sims_matrix b;
    memset(&b, 0, sizeof(b));
    if (rc == TSREC_OK)
        rc = tsrec__sims_matrix_build(ctx, eh, s, p, &b, &m->n_users_kept, &m->n_items_kept);
    if (rc == TSREC_OK)
        rc = tsrec__sims_pairs_run(m, eh, &b, pair_budget);
    tsrec__sims_matrix_free(ctx, &b);
    if (rc != TSREC_OK)
        tsrec__sims_free(m);
    return rc;
}

int tsrec__sims_train(tsrec__sims_model *m, tsrec_ctx *ctx, tsrec__handle *eh,
                      const tsrec__interactions *s, const tsrec__sims_params *p)
{
    return tsrec__sims_train_budget(m, ctx, eh, s, p, -1);
}

int64_t tsrec__sims_recommend(const tsrec__sims_model *m, int64_t item, const int32_t *exclude,
                              int64_t n_exclude, int64_t n, int32_t *out_items,
                              double *out_scores, int64_t *out_n_similar)
{
    int64_t w = 0;
    if (exclude == NULL)
        n_exclude = 0;
    if (item >= 0 && item < m->n_items) {
        for (int64_t k = m->nb_off[item]; k < m->nb_off[item + 1] && w < n; k++) {
            int32_t it = m->nb_item[k];
            if (n_exclude > 0 && tsrec__sorted_has(exclude, n_exclude, it))
                continue;
            out_items[w] = it;
            if (out_scores != NULL)
                out_scores[w] = (double)m->nb_score[k];
            w++;
        }
    }
    if (out_n_similar != NULL)
        *out_n_similar = w;
    int64_t n_sim = w;
    /* Pad with popular items; the written neighbours are few (<= n), so a
     * linear look-up keeps this allocation-free. */
    for (int64_t k = 0; k < m->pop.n_ranked && w < n; k++) {
        int32_t it = m->pop.ranked[k];
        if (it == item || (n_exclude > 0 && tsrec__sorted_has(exclude, n_exclude, it)))
            continue;
        int dup = 0;
        for (int64_t q = 0; q < n_sim && !dup; q++)
            dup = out_items[q] == it;
        if (dup)
            continue;
        out_items[w] = it;
        if (out_scores != NULL)
            out_scores[w] = 0.0;
        w++;
    }
    return w;
}
