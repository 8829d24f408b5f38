/* SIMS: item-to-item co-occurrence in user histories (the definition and
 * the AWS rules are in recipes_internal.h).
 *
 * Training builds the binary user x item matrix B (filters and window
 * applied) twice, as per-user item lists and per-item user lists; then,
 * for each item i in parallel, walks the users of i and their items to
 * count c_ij in a dense per-worker array (touched cells remembered so the
 * reset costs what the count cost). Total work is sum over users of
 * (window length)^2, and each item's list depends only on B, so the
 * result is the same for any thread count. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pool_internal.h"
#include "recipes_internal.h"

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

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The binary matrix B, both ways. */
typedef struct sims_matrix {
    int64_t *u_off;  /* n_users + 1 */
    int32_t *u_item; /* distinct items of each kept user, newest first */
    int64_t *i_off;  /* n_items + 1 */
    int32_t *i_user; /* kept users of each item, ascending */
    double *powc;    /* c_i ^ d */
} sims_matrix;

static void matrix_free(tsrec_ctx *ctx, sims_matrix *b)
{
    tsrec__free(ctx, b->u_off);
    tsrec__free(ctx, b->u_item);
    tsrec__free(ctx, b->i_off);
    tsrec__free(ctx, b->i_user);
    tsrec__free(ctx, b->powc);
}

/* [lo, hi] bounds of the q_lo / q_hi percentiles of the positive values
 * of v[0..n) (sorted in scratch). No positive value: an empty range. */
static void percentile_range(const int64_t *v, int64_t n, int64_t *scratch, double q_lo,
                             double q_hi, double *lo, double *hi)
{
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
        if (v[i] > 0)
            scratch[k++] = v[i];
    if (k == 0) {
        *lo = 1.0;
        *hi = 0.0;
        return;
    }
    qsort(scratch, (size_t)k, sizeof(int64_t), cmp_i64);
    *lo = tsrec__percentile_sorted(scratch, k, q_lo);
    *hi = tsrec__percentile_sorted(scratch, k, q_hi);
}

/* Steps 1-3 of the definition: filters and window, giving B. */
static int build_matrix(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__interactions *s,
                        const tsrec__sims_params *p, sims_matrix *b, int64_t *n_users_kept,
                        int64_t *n_items_kept)
{
    int64_t nu = s->n_users, ni = s->n_items;
    size_t big = (size_t)TSREC__MAX(TSREC__MAX(nu, ni), 1);
    int64_t *len = tsrec__calloc(ctx, big, sizeof(int64_t));     /* per user, then per item */
    int64_t *scratch = tsrec__alloc(ctx, big * sizeof(int64_t));
    int64_t *last = tsrec__calloc(ctx, (size_t)TSREC__MAX(ni, 1), sizeof(int64_t));
    uint8_t *keep_u = tsrec__calloc(ctx, (size_t)TSREC__MAX(nu, 1), 1);
    uint8_t *keep_i = tsrec__calloc(ctx, (size_t)TSREC__MAX(ni, 1), 1);
    b->u_off = tsrec__calloc(ctx, (size_t)nu + 1, sizeof(int64_t));
    b->u_item = tsrec__alloc(ctx, (size_t)TSREC__MAX(s->n, 1) * sizeof(int32_t));
    b->i_off = tsrec__calloc(ctx, (size_t)ni + 1, sizeof(int64_t));
    b->powc = tsrec__alloc(ctx, (size_t)TSREC__MAX(ni, 1) * sizeof(double));
    int rc = TSREC_OK;
    if (len == NULL || scratch == NULL || last == NULL || keep_u == NULL || keep_i == NULL ||
        b->u_off == NULL || b->u_item == NULL || b->i_off == NULL || b->powc == NULL) {
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "sims: out of memory (%" PRId64 " interactions)",
                         s->n);
        goto done;
    }
    /* 1. users by history length */
    double lo, hi;
    for (int64_t u = 0; u < nu; u++)
        len[u] = tsrec__interactions_user_count(s, u);
    percentile_range(len, nu, scratch, p->min_user_history_length_percentile,
                     p->max_user_history_length_percentile, &lo, &hi);
    for (int64_t u = 0; u < nu; u++)
        keep_u[u] = len[u] > 0 && (double)len[u] >= lo && (double)len[u] <= hi;
    /* 2. items by distinct kept users */
    memset(len, 0, big * sizeof(int64_t));
    for (int64_t u = 0; u < nu; u++) {
        if (!keep_u[u])
            continue;
        for (int64_t k = s->user_off[u]; k < s->user_off[u + 1]; k++) {
            int32_t it = s->item[k];
            if (last[it] != u + 1) {
                last[it] = u + 1;
                len[it]++;
            }
        }
    }
    percentile_range(len, ni, scratch, p->min_item_interaction_count_percentile,
                     p->max_item_interaction_count_percentile, &lo, &hi);
    for (int64_t i = 0; i < ni; i++)
        keep_i[i] = len[i] > 0 && (double)len[i] >= lo && (double)len[i] <= hi;
    /* 3. window: newest max_history distinct kept items per kept user */
    memset(last, 0, (size_t)TSREC__MAX(ni, 1) * sizeof(int64_t));
    memset(len, 0, big * sizeof(int64_t));
    int64_t cap = p->max_history > 0 ? p->max_history : INT64_MAX, w = 0, users = 0;
    for (int64_t u = 0; u < nu; u++) {
        int64_t start = w;
        if (keep_u[u]) {
            for (int64_t k = s->user_off[u + 1] - 1; k >= s->user_off[u] && w - start < cap; k--) {
                int32_t it = s->item[k];
                if (keep_i[it] && last[it] != u + 1) {
                    last[it] = u + 1;
                    b->u_item[w++] = it;
                    len[it]++;
                }
            }
        }
        users += w > start;
        b->u_off[u + 1] = w;
    }
    int64_t items = 0;
    for (int64_t i = 0; i < ni; i++) {
        b->i_off[i + 1] = b->i_off[i] + len[i];
        items += len[i] > 0;
        b->powc[i] = len[i] > 0 ? pow((double)len[i], p->popularity_discount_factor) : 1.0;
    }
    *n_users_kept = users;
    *n_items_kept = items;
    b->i_user = tsrec__alloc(ctx, (size_t)TSREC__MAX(w, 1) * sizeof(int32_t));
    if (b->i_user == NULL) {
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "sims: out of memory (item lists)");
        goto done;
    }
    /* users in ascending order, so each item's list is ascending */
    memcpy(scratch, b->i_off, (size_t)ni * sizeof(int64_t));
    for (int64_t u = 0; u < nu; u++)
        for (int64_t k = b->u_off[u]; k < b->u_off[u + 1]; k++)
            b->i_user[scratch[b->u_item[k]]++] = (int32_t)u;
done:
    tsrec__free(ctx, len);
    tsrec__free(ctx, scratch);
    tsrec__free(ctx, last);
    tsrec__free(ctx, keep_u);
    tsrec__free(ctx, keep_i);
    return rc;
}

typedef struct cand {
    double score;
    int32_t item;
} cand;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->item > y->item) - (x->item < y->item);
}

/* Per-worker scratch and output. */
typedef struct sims_worker {
    int32_t *cnt;     /* n_items, zero between items */
    int32_t *touched; /* n_items */
    cand *cands;      /* n_items */
    int32_t *out_item;
    float *out_score;
    int64_t out_len, out_cap;
} sims_worker;

typedef struct sims_job {
    const sims_matrix *b;
    const tsrec__sims_params *p;
    tsrec_ctx *ctx;
    int64_t n_items;
    sims_worker *workers;
    int32_t *owner;   /* per item: worker that holds its list */
    int64_t *start;   /* per item: offset in that worker's output */
    int64_t *count;   /* per item: list length */
} sims_job;

static int grow_output(tsrec_ctx *ctx, sims_worker *w, int64_t need)
{
    if (need <= w->out_cap)
        return TSREC_OK;
    int64_t cap = TSREC__MAX(need, w->out_cap * 2);
    cap = TSREC__MAX(cap, 1024);
    int32_t *it = tsrec__realloc(ctx, w->out_item, (size_t)cap * sizeof(int32_t));
    if (it == NULL)
        return TSREC_E_NOMEM;
    w->out_item = it;
    float *sc = tsrec__realloc(ctx, w->out_score, (size_t)cap * sizeof(float));
    if (sc == NULL)
        return TSREC_E_NOMEM;
    w->out_score = sc;
    w->out_cap = cap;
    return TSREC_OK;
}

/* Steps 4-5 for items [begin, end). Runs on worker threads: no error
 * recording here, only a status (the caller records the message). */
static int neighbours_range(void *arg, int64_t begin, int64_t end, int32_t worker)
{
    sims_job *j = arg;
    const sims_matrix *b = j->b;
    sims_worker *w = &j->workers[worker];
    int32_t min_co = TSREC__MAX(1, j->p->min_cointeraction_count);
    int64_t k_max = j->p->max_neighbors;
    for (int64_t i = begin; i < end; i++) {
        int64_t nt = 0;
        for (int64_t a = b->i_off[i]; a < b->i_off[i + 1]; a++) {
            int32_t u = b->i_user[a];
            for (int64_t c = b->u_off[u]; c < b->u_off[u + 1]; c++) {
                int32_t it = b->u_item[c];
                if (it != i && w->cnt[it]++ == 0)
                    w->touched[nt++] = it;
            }
        }
        int64_t nc = 0;
        double pi = b->powc[i];
        for (int64_t t = 0; t < nt; t++) {
            int32_t it = w->touched[t];
            int32_t c = w->cnt[it];
            w->cnt[it] = 0;
            if (c >= min_co) {
                w->cands[nc].score = (double)c / (pi * b->powc[it]);
                w->cands[nc].item = it;
                nc++;
            }
        }
        qsort(w->cands, (size_t)nc, sizeof(cand), cmp_cand);
        int64_t keep = TSREC__MIN(nc, k_max);
        if (grow_output(j->ctx, w, w->out_len + keep) != TSREC_OK)
            return TSREC_E_NOMEM;
        j->owner[i] = worker;
        j->start[i] = w->out_len;
        j->count[i] = keep;
        for (int64_t k = 0; k < keep; k++) {
            w->out_item[w->out_len + k] = w->cands[k].item;
            w->out_score[w->out_len + k] = (float)w->cands[k].score;
        }
        w->out_len += keep;
    }
    return TSREC_OK;
}

static void workers_free(tsrec_ctx *ctx, sims_worker *ws, int32_t n)
{
    if (ws == NULL)
        return;
    for (int32_t k = 0; k < n; k++) {
        tsrec__free(ctx, ws[k].cnt);
        tsrec__free(ctx, ws[k].touched);
        tsrec__free(ctx, ws[k].cands);
        tsrec__free(ctx, ws[k].out_item);
        tsrec__free(ctx, ws[k].out_score);
    }
    tsrec__free(ctx, ws);
}

static int run_neighbours(tsrec__sims_model *m, tsrec__handle *eh, const sims_matrix *b)
{
    tsrec_ctx *ctx = m->ctx;
    int64_t ni = m->n_items;
    int32_t nw = TSREC__MAX(tsrec__ctx_workers(ctx), 1);
    size_t cells = (size_t)TSREC__MAX(ni, 1);
    sims_job j = {b, &m->params, ctx, ni, NULL, NULL, NULL, NULL};
    j.workers = tsrec__calloc(ctx, (size_t)nw, sizeof(sims_worker));
    j.owner = tsrec__calloc(ctx, cells, sizeof(int32_t));
    j.start = tsrec__calloc(ctx, cells, sizeof(int64_t));
    j.count = tsrec__calloc(ctx, cells, sizeof(int64_t));
    m->nb_off = tsrec__calloc(ctx, cells + 1, sizeof(int64_t));
    int rc = TSREC_OK;
    if (j.workers == NULL || j.owner == NULL || j.start == NULL || j.count == NULL ||
        m->nb_off == NULL)
        goto nomem;
    for (int32_t k = 0; k < nw; k++) {
        j.workers[k].cnt = tsrec__calloc(ctx, cells, sizeof(int32_t));
        j.workers[k].touched = tsrec__alloc(ctx, cells * sizeof(int32_t));
        j.workers[k].cands = tsrec__alloc(ctx, cells * sizeof(cand));
        if (j.workers[k].cnt == NULL || j.workers[k].touched == NULL ||
            j.workers[k].cands == NULL)
            goto nomem;
    }
    rc = tsrec__parallel_for(ctx, ni, 64, neighbours_range, &j);
    if (rc == TSREC_E_NOMEM)
        goto nomem;
    if (rc != TSREC_OK) {
        rc = tsrec__fail(eh, rc, "sims: neighbour computation stopped (%s)",
                         rc == TSREC_E_CANCELLED ? "cancelled" : "error");
        goto done;
    }
    for (int64_t i = 0; i < ni; i++)
        m->nb_off[i + 1] = m->nb_off[i] + j.count[i];
    int64_t e = m->nb_off[ni];
    m->nb_item = tsrec__alloc(ctx, (size_t)TSREC__MAX(e, 1) * sizeof(int32_t));
    m->nb_score = tsrec__alloc(ctx, (size_t)TSREC__MAX(e, 1) * sizeof(float));
    if (m->nb_item == NULL || m->nb_score == NULL)
        goto nomem;
    for (int64_t i = 0; i < ni; i++) {
        const sims_worker *w = &j.workers[j.owner[i]];
        if (j.count[i] == 0)
            continue;
        memcpy(m->nb_item + m->nb_off[i], w->out_item + j.start[i],
               (size_t)j.count[i] * sizeof(int32_t));
        memcpy(m->nb_score + m->nb_off[i], w->out_score + j.start[i],
               (size_t)j.count[i] * sizeof(float));
    }
    goto done;
nomem:
    rc = tsrec__fail(eh, TSREC_E_NOMEM, "sims: out of memory (neighbour lists, %" PRId64
                     " items)", ni);
done:
    workers_free(ctx, j.workers, nw);
    tsrec__free(ctx, j.owner);
    tsrec__free(ctx, j.start);
    tsrec__free(ctx, j.count);
    return rc;
}

int tsrec__sims_train(tsrec__sims_model *m, tsrec_ctx *ctx, tsrec__handle *eh,
                      const tsrec__interactions *s, const tsrec__sims_params *p)
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
    sims_matrix b = {NULL, NULL, NULL, NULL, NULL};
    if (rc == TSREC_OK)
        rc = build_matrix(ctx, eh, s, p, &b, &m->n_users_kept, &m->n_items_kept);
    if (rc == TSREC_OK)
        rc = run_neighbours(m, eh, &b);
    matrix_free(ctx, &b);
    if (rc != TSREC_OK)
        tsrec__sims_free(m);
    return rc;
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
