/* Personalize offline metrics (definitions in eval_internal.h). */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "eval_internal.h"
#include "recipes_internal.h"

void tsrec__eval_score_list(const int32_t *recs, int64_t n_recs, const int32_t *relevant,
                            int64_t n_rel, double out[TSREC__EVAL_N_LIST_METRICS])
{
    static const int64_t ks[3] = {5, 10, 25};
    double dcg[3] = {0, 0, 0}, hits[3] = {0, 0, 0}, mrr = 0.0;
    int64_t n = TSREC__MIN(n_recs, (int64_t)TSREC__EVAL_TOP);
    for (int64_t p = 1; p <= n; p++) {
        if (!tsrec__sorted_has(relevant, n_rel, recs[p - 1]))
            continue;
        if (mrr == 0.0)
            mrr = 1.0 / (double)p;
        double g = 1.0 / log2(1.0 + (double)p);
        for (int c = 0; c < 3; c++)
            if (p <= ks[c]) {
                dcg[c] += g;
                hits[c] += 1.0;
            }
    }
    out[TSREC__EVAL_MRR25] = mrr;
    for (int c = 0; c < 3; c++) {
        double idcg = 0.0;
        int64_t m = TSREC__MIN(n_rel, ks[c]);
        for (int64_t p = 1; p <= m; p++)
            idcg += 1.0 / log2(1.0 + (double)p);
        out[TSREC__EVAL_NDCG5 + c] = idcg > 0.0 ? dcg[c] / idcg : 0.0;
        out[TSREC__EVAL_P5 + c] = hits[c] / (double)ks[c];
    }
}

void tsrec__eval_detail_free(tsrec__eval_detail *d)
{
    if (d == NULL)
        return;
    if (d->ctx != NULL) {
        tsrec__free(d->ctx, d->user);
        tsrec__free(d->ctx, d->rec_off);
        tsrec__free(d->ctx, d->rec);
    }
    memset(d, 0, sizeof(*d));
}

static int detail_alloc(tsrec__eval_detail *d, tsrec_ctx *ctx, int64_t n_test)
{
    d->ctx = ctx;
    d->user = tsrec__alloc(ctx, (size_t)n_test * sizeof(int32_t));
    d->rec_off = tsrec__calloc(ctx, (size_t)n_test + 1, sizeof(int64_t));
    d->rec = tsrec__alloc(ctx, (size_t)n_test * TSREC__EVAL_TOP * sizeof(int32_t));
    return d->user != NULL && d->rec_off != NULL && d->rec != NULL ? TSREC_OK : TSREC_E_NOMEM;
}

/* Score every test user with a trained model; sums[] gets the list metric
 * sums and *n_covered the distinct recommended items. */
static int score_users(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__interactions *s,
                       const tsrec__eval_split *sp, const tsrec__eval_recipe *r, void *model,
                       double *sums, int64_t *n_covered, tsrec__eval_detail *detail)
{
    int64_t max_len = 1;
    for (int64_t t = 0; t < sp->n_test; t++)
        max_len = TSREC__MAX(max_len, tsrec__interactions_user_count(s, sp->test_users[t]));
    int32_t *rel = tsrec__alloc(ctx, (size_t)max_len * sizeof(int32_t));
    int64_t *stamp = tsrec__calloc(ctx, (size_t)TSREC__MAX(s->n_items, 1), sizeof(int64_t));
    uint8_t *covered = tsrec__calloc(ctx, (size_t)TSREC__MAX(s->n_items, 1), 1);
    int rc = TSREC_OK;
    if (rel == NULL || stamp == NULL || covered == NULL) {
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "eval: out of memory (scoring)");
        goto done;
    }
    int32_t recs[TSREC__EVAL_TOP];
    for (int64_t t = 0; t < sp->n_test; t++) {
        int32_t u = sp->test_users[t];
        int64_t off = s->user_off[u], len = tsrec__interactions_user_count(s, u);
        int64_t n_in = tsrec__eval_input_len(len);
        memcpy(rel, s->item + off + n_in, (size_t)(len - n_in) * sizeof(int32_t));
        int64_t n_rel = tsrec__items_sort_unique(rel, len - n_in);
        int64_t n_out = 0;
        rc = r->recommend(r->user, model, s->item + off, s->ts + off, n_in, TSREC__EVAL_TOP,
                          recs, &n_out);
        if (rc != TSREC_OK)
            goto done;
        if (n_out < 0 || n_out > TSREC__EVAL_TOP) {
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                             "eval: recipe returned %" PRId64 " items for user %" PRId32
                             " (0..%d allowed)",
                             n_out, u, TSREC__EVAL_TOP);
            goto done;
        }
        for (int64_t p = 0; p < n_out; p++) {
            int32_t it = recs[p];
            if (it < 0 || it >= s->n_items || stamp[it] == t + 1) {
                rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                 "eval: recipe returned item %" PRId32 " for user %" PRId32
                                 " out of range or twice",
                                 it, u);
                goto done;
            }
            stamp[it] = t + 1;
            if (!covered[it]) {
                covered[it] = 1;
                (*n_covered)++;
            }
        }
        double m[TSREC__EVAL_N_LIST_METRICS];
        tsrec__eval_score_list(recs, n_out, rel, n_rel, m);
        for (int c = 0; c < TSREC__EVAL_N_LIST_METRICS; c++)
            sums[c] += m[c];
        if (detail != NULL) {
            detail->user[t] = u;
            memcpy(detail->rec + detail->rec_off[t], recs, (size_t)n_out * sizeof(int32_t));
            detail->rec_off[t + 1] = detail->rec_off[t] + n_out;
        }
    }
done:
    tsrec__free(ctx, rel);
    tsrec__free(ctx, stamp);
    tsrec__free(ctx, covered);
    return rc;
}

int tsrec__eval_run(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__interactions *s,
                    const tsrec__eval_split *sp, const tsrec__eval_recipe *r, int64_t n_catalog,
                    tsrec__eval_metrics *out, tsrec__eval_detail *detail)
{
    if (detail != NULL)
        memset(detail, 0, sizeof(*detail));
    if (ctx == NULL || s == NULL || sp == NULL || r == NULL || out == NULL ||
        r->train == NULL || r->recommend == NULL || r->free_model == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "eval: NULL argument");
    memset(out, 0, sizeof(*out));
    if (sp->n_test < 1 || sp->test_users == NULL || sp->n_users != s->n_users)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "eval: split is empty or of another store");
    if (n_catalog < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "eval: negative catalog size");
    if (n_catalog == 0)
        n_catalog = s->n_items;
    if (n_catalog < s->n_items)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "eval: catalog of %" PRId64 " items is smaller than the %" PRId64
                           " interaction items",
                           n_catalog, s->n_items);
    if (detail != NULL && detail_alloc(detail, ctx, sp->n_test) != TSREC_OK) {
        tsrec__eval_detail_free(detail);
        return tsrec__fail(eh, TSREC_E_NOMEM, "eval: out of memory (detail)");
    }
    tsrec__interactions train;
    int rc = tsrec__eval_train_store(&train, eh, s, sp);
    void *model = NULL;
    if (rc == TSREC_OK)
        rc = r->train(r->user, &train, eh, &model);
    double sums[TSREC__EVAL_N_LIST_METRICS] = {0};
    int64_t n_covered = 0;
    if (rc == TSREC_OK)
        rc = score_users(ctx, eh, s, sp, r, model, sums, &n_covered, detail);
    if (model != NULL)
        r->free_model(r->user, model);
    tsrec__interactions_free(&train);
    if (rc != TSREC_OK) {
        tsrec__eval_detail_free(detail);
        return rc;
    }
    double n = (double)sp->n_test;
    out->n_test_users = sp->n_test;
    out->coverage = (double)n_covered / (double)n_catalog;
    out->mean_reciprocal_rank_at_25 = sums[TSREC__EVAL_MRR25] / n;
    out->normalized_discounted_cumulative_gain_at_5 = sums[TSREC__EVAL_NDCG5] / n;
    out->normalized_discounted_cumulative_gain_at_10 = sums[TSREC__EVAL_NDCG10] / n;
    out->normalized_discounted_cumulative_gain_at_25 = sums[TSREC__EVAL_NDCG25] / n;
    out->precision_at_5 = sums[TSREC__EVAL_P5] / n;
    out->precision_at_10 = sums[TSREC__EVAL_P10] / n;
    out->precision_at_25 = sums[TSREC__EVAL_P25] / n;
    if (detail != NULL)
        detail->n_test = sp->n_test;
    return TSREC_OK;
}
