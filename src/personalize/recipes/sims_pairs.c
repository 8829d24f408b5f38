/* SIMS steps 4-5 (recipes_internal.h): co-occurrence counts c_ij = (B'B)_ij
 * and the best max_neighbors items per item.
 *
 * Fast path (three passes):
 *  1. for each item i in parallel, walk its users' sorted lists from just
 *     after i (sims_internal.h) and count the j > i in a dense per-worker
 *     array (touched cells remembered, so the reset costs what the count
 *     cost); keep the pairs with c_ij >= min count. Each unordered pair is
 *     counted once, half the work of counting every row in full, and on
 *     sparse data almost all pairs fail the min count, so few are kept;
 *  2. mirror: the kept (i, j) pairs, transposed, give every j its partners
 *     i < j;
 *  3. for each item in parallel, score its partners from both sides, sort,
 *     and write the best k straight into the model (the list lengths are
 *     known from the pair counts, so the offsets are set beforehand).
 * The kept pairs are held in memory; when they exceed the pair budget
 * (dense data with a min count of 0 or 1), the counting stops and the
 * fallback counts each item's full row with its own top-k, holding only
 * the k best per item.
 *
 * Both ways give the same lists: a candidate's count and score do not
 * depend on the order it is found in (score(i, j) is always computed as
 * c / (c_i^d * c_j^d) from i's side), and the final order (score desc,
 * code asc) is total. Every item's work depends only on B, so the result
 * is the same for any thread count. */
#include <inttypes.h>
#include <stdatomic.h>
#include <string.h>

#include "pool_internal.h"
#include "sims_internal.h"

/* The counting is bound by fetching the users' lists (scattered over a
 * large array); asking for the list a few users ahead overlaps those
 * fetches. Only a hint: compilers without the builtin skip it. */
#if defined(__GNUC__) || defined(__clang__)
#define SIMS_PREFETCH(p) __builtin_prefetch(p)
#else
#define SIMS_PREFETCH(p) ((void)(p))
#endif
enum { SIMS_PREFETCH_AHEAD = 8 };

typedef tsrec__sims_cand cand;

/* Per-worker scratch and output. */
typedef struct pair_worker {
    int32_t *cnt;       /* n_items, zero between items */
    int32_t *touched;   /* n_items */
    cand *cands;        /* candidates of one item */
    int32_t *out_item;  /* fast path: partners j > i; fallback: neighbours */
    int32_t *out_cnt;   /* fast path: c_ij */
    float *out_score;   /* fallback: scores */
    int64_t out_len, out_cap;
} pair_worker;

typedef struct pair_job {
    const tsrec__sims_matrix *b;
    tsrec_ctx *ctx;
    int32_t min_co;
    int64_t k_max;
    pair_worker *workers;
    int32_t *owner;  /* per item: worker that holds its output */
    int64_t *start;  /* per item: offset in that worker's output */
    int64_t *count;  /* per item: output length */
    int64_t worker_budget; /* fast path: pairs one worker may hold */
    atomic_int over;       /* a worker went over its budget */
    /* mirrored pairs (fast path pass 2): partners i < j of each j */
    int64_t *rev_off;
    int32_t *rev_item;
    int32_t *rev_cnt;
    tsrec__sims_model *m;
} pair_job;

/* Make room for `need` output entries; out_cnt / out_score only when
 * asked for. */
static int grow_output(tsrec_ctx *ctx, pair_worker *w, int64_t need, int with_cnt,
                       int with_score)
{
    if (need <= w->out_cap)
        return TSREC_OK;
    int64_t cap = TSREC__MAX(TSREC__MAX(need, w->out_cap * 2), 1024);
    int32_t *it = tsrec__realloc(ctx, w->out_item, (size_t)cap * sizeof(int32_t));
    if (it == NULL)
        return TSREC_E_NOMEM;
    w->out_item = it;
    if (with_cnt) {
        int32_t *c = tsrec__realloc(ctx, w->out_cnt, (size_t)cap * sizeof(int32_t));
        if (c == NULL)
            return TSREC_E_NOMEM;
        w->out_cnt = c;
    }
    if (with_score) {
        float *sc = tsrec__realloc(ctx, w->out_score, (size_t)cap * sizeof(float));
        if (sc == NULL)
            return TSREC_E_NOMEM;
        w->out_score = sc;
    }
    w->out_cap = cap;
    return TSREC_OK;
}

/* Fast path pass 1 for items [begin, end). Runs on worker threads: no
 * error recording here, only a status (the caller records the message). */
static int forward_range(void *arg, int64_t begin, int64_t end, int32_t worker)
{
    pair_job *j = arg;
    const tsrec__sims_matrix *b = j->b;
    const int32_t *lst = b->lst;
    const int64_t *i_pos = b->i_pos;
    pair_worker *w = &j->workers[worker];
    int32_t *cnt = w->cnt, *touched = w->touched;
    const int32_t min_co = j->min_co;
    for (int64_t i = begin; i < end; i++) {
        if (atomic_load_explicit(&j->over, memory_order_relaxed))
            return TSREC_OK; /* the fallback redoes everything */
        int64_t nt = 0;
        for (int64_t a = b->i_off[i]; a < b->i_off[i + 1]; a++) {
            if (a + SIMS_PREFETCH_AHEAD < b->nnz)
                SIMS_PREFETCH(lst + i_pos[a + SIMS_PREFETCH_AHEAD] + 1);
            for (const int32_t *q = lst + i_pos[a] + 1; *q >= 0; q++)
                if (cnt[*q]++ == 0)
                    touched[nt++] = *q;
        }
        /* keep the passing partners at the front of touched (their counts
         * stay in cnt until copied), reset the others */
        int64_t np = 0;
        for (int64_t t = 0; t < nt; t++) {
            int32_t it = touched[t];
            if (cnt[it] >= min_co)
                touched[np++] = it;
            else
                cnt[it] = 0;
        }
        /* over the budget: raise the flag, stop; out of memory: fail */
        int st = TSREC_OK, store = 1;
        if (w->out_len + np > j->worker_budget) {
            atomic_store_explicit(&j->over, 1, memory_order_relaxed);
            store = 0;
        } else if (grow_output(j->ctx, w, w->out_len + np, 1, 0) != TSREC_OK) {
            st = TSREC_E_NOMEM;
            store = 0;
        }
        for (int64_t t = 0; t < np; t++) {
            int32_t it = touched[t];
            if (store) {
                w->out_item[w->out_len + t] = it;
                w->out_cnt[w->out_len + t] = cnt[it];
            }
            cnt[it] = 0;
        }
        if (!store)
            return st;
        j->owner[i] = worker;
        j->start[i] = w->out_len;
        j->count[i] = np;
        w->out_len += np;
    }
    return TSREC_OK;
}

/* Fast path pass 3 for items [begin, end): score both sides' partners,
 * sort, write the best into the model. */
static int select_range(void *arg, int64_t begin, int64_t end, int32_t worker)
{
    pair_job *j = arg;
    const double *powc = j->b->powc;
    tsrec__sims_model *m = j->m;
    cand *cands = j->workers[worker].cands;
    for (int64_t i = begin; i < end; i++) {
        int64_t nc = 0;
        double pi = powc[i];
        const pair_worker *w = &j->workers[j->owner[i]];
        for (int64_t k = j->start[i]; k < j->start[i] + j->count[i]; k++) {
            int32_t it = w->out_item[k];
            cands[nc].score = (double)w->out_cnt[k] / (pi * powc[it]);
            cands[nc].item = it;
            nc++;
        }
        for (int64_t k = j->rev_off[i]; k < j->rev_off[i + 1]; k++) {
            int32_t it = j->rev_item[k];
            cands[nc].score = (double)j->rev_cnt[k] / (pi * powc[it]);
            cands[nc].item = it;
            nc++;
        }
        int64_t o = m->nb_off[i], keep = m->nb_off[i + 1] - o;
        tsrec__sims_best_k(cands, nc, keep);
        for (int64_t k = 0; k < keep; k++) {
            m->nb_item[o + k] = cands[k].item;
            m->nb_score[o + k] = (float)cands[k].score;
        }
    }
    return TSREC_OK;
}

/* Fallback for items [begin, end): each item's full row (users' lists
 * walked both ways from the item's entry), scored, sorted, best k kept in
 * the worker's output. */
static int full_range(void *arg, int64_t begin, int64_t end, int32_t worker)
{
    pair_job *j = arg;
    const tsrec__sims_matrix *b = j->b;
    pair_worker *w = &j->workers[worker];
    int32_t *cnt = w->cnt, *touched = w->touched;
    for (int64_t i = begin; i < end; i++) {
        int64_t nt = 0;
        for (int64_t a = b->i_off[i]; a < b->i_off[i + 1]; a++) {
            if (a + SIMS_PREFETCH_AHEAD < b->nnz)
                SIMS_PREFETCH(b->lst + b->i_pos[a + SIMS_PREFETCH_AHEAD]);
            const int32_t *self = b->lst + b->i_pos[a];
            for (const int32_t *q = self + 1; *q >= 0; q++)
                if (cnt[*q]++ == 0)
                    touched[nt++] = *q;
            for (const int32_t *q = self - 1; *q >= 0; q--)
                if (cnt[*q]++ == 0)
                    touched[nt++] = *q;
        }
        int64_t nc = 0;
        double pi = b->powc[i];
        for (int64_t t = 0; t < nt; t++) {
            int32_t it = touched[t];
            int32_t c = cnt[it];
            cnt[it] = 0;
            if (c >= j->min_co) {
                w->cands[nc].score = (double)c / (pi * b->powc[it]);
                w->cands[nc].item = it;
                nc++;
            }
        }
        int64_t keep = TSREC__MIN(nc, j->k_max);
        tsrec__sims_best_k(w->cands, nc, keep);
        if (grow_output(j->ctx, w, w->out_len + keep, 0, 1) != TSREC_OK)
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

static int run_status(tsrec__handle *eh, int rc)
{
    if (rc == TSREC_E_NOMEM)
        return rc; /* the caller records it */
    return tsrec__fail(eh, rc, "sims: neighbour computation stopped (%s)",
                       rc == TSREC_E_CANCELLED ? "cancelled" : "error");
}

/* Fast path passes 2-3 after pass 1 succeeded within the budget. */
static int mirror_and_select(pair_job *j, tsrec__handle *eh)
{
    tsrec__sims_model *m = j->m;
    tsrec_ctx *ctx = j->ctx;
    int64_t ni = m->n_items, kept = 0;
    int32_t nw = TSREC__MAX(tsrec__ctx_workers(ctx), 1);
    for (int32_t k = 0; k < nw; k++)
        kept += j->workers[k].out_len;
    j->rev_off = tsrec__calloc(ctx, (size_t)ni + 1, sizeof(int64_t));
    j->rev_item = tsrec__alloc(ctx, (size_t)TSREC__MAX(kept, 1) * sizeof(int32_t));
    j->rev_cnt = tsrec__alloc(ctx, (size_t)TSREC__MAX(kept, 1) * sizeof(int32_t));
    if (j->rev_off == NULL || j->rev_item == NULL || j->rev_cnt == NULL)
        return TSREC_E_NOMEM;
    /* 2. transpose the kept pairs; nb_off serves as the fill cursor */
    for (int64_t i = 0; i < ni; i++) {
        const pair_worker *w = &j->workers[j->owner[i]];
        for (int64_t k = j->start[i]; k < j->start[i] + j->count[i]; k++)
            j->rev_off[w->out_item[k] + 1]++;
    }
    for (int64_t i = 0; i < ni; i++)
        j->rev_off[i + 1] += j->rev_off[i];
    memcpy(m->nb_off, j->rev_off, (size_t)ni * sizeof(int64_t));
    for (int64_t i = 0; i < ni; i++) {
        const pair_worker *w = &j->workers[j->owner[i]];
        for (int64_t k = j->start[i]; k < j->start[i] + j->count[i]; k++) {
            int64_t at = m->nb_off[w->out_item[k]]++;
            j->rev_item[at] = (int32_t)i;
            j->rev_cnt[at] = w->out_cnt[k];
        }
    }
    /* list lengths, hence offsets, from the candidate counts */
    int64_t most = 0;
    m->nb_off[0] = 0;
    for (int64_t i = 0; i < ni; i++) {
        int64_t nc = j->count[i] + j->rev_off[i + 1] - j->rev_off[i];
        most = TSREC__MAX(most, nc);
        m->nb_off[i + 1] = m->nb_off[i] + TSREC__MIN(nc, j->k_max);
    }
    int64_t e = m->nb_off[ni];
    m->nb_item = tsrec__alloc(ctx, (size_t)TSREC__MAX(e, 1) * sizeof(int32_t));
    m->nb_score = tsrec__alloc(ctx, (size_t)TSREC__MAX(e, 1) * sizeof(float));
    if (m->nb_item == NULL || m->nb_score == NULL)
        return TSREC_E_NOMEM;
    for (int32_t k = 0; k < nw; k++) {
        j->workers[k].cands = tsrec__alloc(ctx, (size_t)TSREC__MAX(most, 1) * sizeof(cand));
        if (j->workers[k].cands == NULL)
            return TSREC_E_NOMEM;
    }
    int rc = tsrec__parallel_for(ctx, ni, 64, select_range, j);
    return rc == TSREC_OK ? TSREC_OK : run_status(eh, rc);
}

/* The fallback over all items, then its per-worker lists into the model. */
static int full_and_gather(pair_job *j, tsrec__handle *eh)
{
    tsrec__sims_model *m = j->m;
    tsrec_ctx *ctx = j->ctx;
    int64_t ni = m->n_items;
    int32_t nw = TSREC__MAX(tsrec__ctx_workers(ctx), 1);
    for (int32_t k = 0; k < nw; k++) {
        pair_worker *w = &j->workers[k];
        /* the partial pair output is dropped */
        tsrec__free(ctx, w->out_item);
        tsrec__free(ctx, w->out_cnt);
        w->out_item = NULL;
        w->out_cnt = NULL;
        w->out_len = w->out_cap = 0;
        w->cands = tsrec__alloc(ctx, (size_t)TSREC__MAX(ni, 1) * sizeof(cand));
        if (w->cands == NULL)
            return TSREC_E_NOMEM;
    }
    int rc = tsrec__parallel_for(ctx, ni, 64, full_range, j);
    if (rc != TSREC_OK)
        return run_status(eh, rc);
    m->nb_off[0] = 0;
    for (int64_t i = 0; i < ni; i++)
        m->nb_off[i + 1] = m->nb_off[i] + j->count[i];
    int64_t e = m->nb_off[ni];
    m->nb_item = tsrec__alloc(ctx, (size_t)TSREC__MAX(e, 1) * sizeof(int32_t));
    m->nb_score = tsrec__alloc(ctx, (size_t)TSREC__MAX(e, 1) * sizeof(float));
    if (m->nb_item == NULL || m->nb_score == NULL)
        return TSREC_E_NOMEM;
    for (int64_t i = 0; i < ni; i++) {
        const pair_worker *w = &j->workers[j->owner[i]];
        if (j->count[i] == 0)
            continue;
        memcpy(m->nb_item + m->nb_off[i], w->out_item + j->start[i],
               (size_t)j->count[i] * sizeof(int32_t));
        memcpy(m->nb_score + m->nb_off[i], w->out_score + j->start[i],
               (size_t)j->count[i] * sizeof(float));
    }
    return TSREC_OK;
}

static void job_free(tsrec_ctx *ctx, pair_job *j, int32_t nw)
{
    if (j->workers != NULL)
        for (int32_t k = 0; k < nw; k++) {
            pair_worker *w = &j->workers[k];
            tsrec__free(ctx, w->cnt);
            tsrec__free(ctx, w->touched);
            tsrec__free(ctx, w->cands);
            tsrec__free(ctx, w->out_item);
            tsrec__free(ctx, w->out_cnt);
            tsrec__free(ctx, w->out_score);
        }
    tsrec__free(ctx, j->workers);
    tsrec__free(ctx, j->owner);
    tsrec__free(ctx, j->start);
    tsrec__free(ctx, j->count);
    tsrec__free(ctx, j->rev_off);
    tsrec__free(ctx, j->rev_item);
    tsrec__free(ctx, j->rev_cnt);
}

int tsrec__sims_pairs_run(tsrec__sims_model *m, tsrec__handle *eh, const tsrec__sims_matrix *b,
                          int64_t pair_budget)
{
    tsrec_ctx *ctx = m->ctx;
    int64_t ni = m->n_items;
    int32_t nw = TSREC__MAX(tsrec__ctx_workers(ctx), 1);
    size_t cells = (size_t)TSREC__MAX(ni, 1);
    if (pair_budget < 0) /* default: max(2 * nnz, 2^21), see sims_internal.h */
        pair_budget = TSREC__MAX(b->nnz > INT64_MAX / 2 ? INT64_MAX : 2 * b->nnz,
                                 (int64_t)1 << 21);
    pair_job j;
    memset(&j, 0, sizeof(j));
    j.b = b;
    j.ctx = ctx;
    j.m = m;
    j.min_co = TSREC__MAX(1, m->params.min_cointeraction_count);
    j.k_max = m->params.max_neighbors;
    j.worker_budget = pair_budget / nw;
    atomic_init(&j.over, 0);
    j.workers = tsrec__calloc(ctx, (size_t)nw, sizeof(pair_worker));
    j.owner = tsrec__calloc(ctx, cells, sizeof(int32_t));
    j.start = tsrec__calloc(ctx, cells, sizeof(int64_t));
    j.count = tsrec__calloc(ctx, cells, sizeof(int64_t));
    m->nb_off = tsrec__calloc(ctx, cells + 1, sizeof(int64_t));
    int rc = TSREC_E_NOMEM;
    if (j.workers == NULL || j.owner == NULL || j.start == NULL || j.count == NULL ||
        m->nb_off == NULL)
        goto done;
    for (int32_t k = 0; k < nw; k++) {
        j.workers[k].cnt = tsrec__calloc(ctx, cells, sizeof(int32_t));
        j.workers[k].touched = tsrec__alloc(ctx, cells * sizeof(int32_t));
        if (j.workers[k].cnt == NULL || j.workers[k].touched == NULL)
            goto done;
    }
    rc = tsrec__parallel_for(ctx, ni, 64, forward_range, &j);
    if (rc != TSREC_OK)
        rc = run_status(eh, rc);
    else if (!atomic_load(&j.over))
        rc = mirror_and_select(&j, eh);
    else
        rc = full_and_gather(&j, eh);
done:
    if (rc == TSREC_E_NOMEM)
        rc = tsrec__fail(eh, TSREC_E_NOMEM,
                         "sims: out of memory (neighbour lists, %" PRId64 " items)", ni);
    job_free(ctx, &j, nw);
    return rc;
}
