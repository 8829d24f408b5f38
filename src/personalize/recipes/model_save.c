/* Saving and loading trained Popularity-Count and SIMS models: the recipe
 * vtable's save / load hooks (recipe_internal.h).
 *
 * The arrays are written exactly as training left them (no recomputation
 * on load), so a loaded model answers bit for bit like the original. A
 * load never trusts the bytes: every count is checked against what is left
 * in the payload, every item code against the model's item space and the
 * neighbour offsets for monotonicity, so a corrupt payload gives
 * TSREC_E_FORMAT and never an out-of-bounds access later on.
 *
 * Layouts (inside the solution payload, versioned with it):
 *   popularity: i64 n_items, i64s count[n_items], i32s ranked[n_ranked]
 *   sims: params (f64 discount, i32 min_cointeraction, 4 x f64
 *         percentiles, i64 max_neighbors, i64 max_history), i64 n_items,
 *         i64 n_users_kept, i64 n_items_kept, i64s nb_off[n_items + 1],
 *         i32s nb_item, f32s nb_score, then a popularity model. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "container_internal.h"
#include "recipes_internal.h"

/* Largest item space a model may claim: item codes are int32. */
#define MAX_MODEL_ITEMS ((int64_t)INT32_MAX)

static int bad(tsrec__handle *eh, const char *what)
{
    return tsrec__fail(eh, TSREC_E_FORMAT, "saved model is corrupt: %s", what);
}

/* ---- Popularity-Count ----------------------------------------------------- */

static void pop_write(const tsrec__pop_model *m, tsrec__wbuf *b)
{
    tsrec__wbuf_i64(b, m->n_items);
    tsrec__wbuf_i64s(b, m->count, m->n_items);
    tsrec__wbuf_i32s(b, m->ranked, m->n_ranked);
}

int tsrec__pop_vt_save(const void *model, tsrec__wbuf *b)
{
    pop_write(model, b);
    return b->status;
}

/* Read into a zeroed *m; on failure *m is freed and zeroed. */
static int pop_read(tsrec__pop_model *m, tsrec_ctx *ctx, tsrec__handle *eh, tsrec__rbuf *r)
{
    memset(m, 0, sizeof(*m));
    m->ctx = ctx;
    int64_t n_items = tsrec__rbuf_i64(r), n_count = 0, n_ranked = 0;
    if (r->failed || n_items < 0 || n_items > MAX_MODEL_ITEMS)
        return bad(eh, "popularity item count");
    m->n_items = n_items;
    int rc = tsrec__rbuf_i64s(r, ctx, &m->count, &n_count);
    if (rc == TSREC_OK)
        rc = tsrec__rbuf_i32s(r, ctx, &m->ranked, &n_ranked);
    if (rc == TSREC_E_NOMEM) {
        tsrec__pop_free(m);
        return tsrec__fail(eh, rc, "loading a popularity model: out of memory");
    }
    m->n_ranked = n_ranked;
    if (rc != TSREC_OK || n_count != n_items || n_ranked > n_items) {
        tsrec__pop_free(m);
        return bad(eh, "popularity array sizes");
    }
    for (int64_t i = 0; i < n_items; i++)
        if (m->count[i] < 0 || m->count[i] >= (int64_t)UINT32_MAX) {
            tsrec__pop_free(m);
            return bad(eh, "popularity count out of range");
        }
    for (int64_t k = 0; k < n_ranked; k++)
        if (m->ranked[k] < 0 || m->ranked[k] >= n_items || m->count[m->ranked[k]] <= 0) {
            tsrec__pop_free(m);
            return bad(eh, "popularity ranking holds an unknown item");
        }
    return TSREC_OK;
}

int tsrec__pop_vt_load(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__rbuf *r, void **out_model)
{
    *out_model = NULL;
    tsrec__pop_model *m = tsrec__calloc(ctx, 1, sizeof(*m));
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "loading a popularity model: out of memory");
    int rc = pop_read(m, ctx, eh, r);
    if (rc != TSREC_OK) {
        tsrec__free(ctx, m);
        return rc;
    }
    *out_model = m;
    return TSREC_OK;
}

/* ---- SIMS ------------------------------------------------------------------ */

int tsrec__sims_vt_save(const void *model, tsrec__wbuf *b)
{
    const tsrec__sims_model *m = model;
    const tsrec__sims_params *p = &m->params;
    tsrec__wbuf_f64(b, p->popularity_discount_factor);
    tsrec__wbuf_i32(b, p->min_cointeraction_count);
    tsrec__wbuf_f64(b, p->min_user_history_length_percentile);
    tsrec__wbuf_f64(b, p->max_user_history_length_percentile);
    tsrec__wbuf_f64(b, p->min_item_interaction_count_percentile);
    tsrec__wbuf_f64(b, p->max_item_interaction_count_percentile);
    tsrec__wbuf_i64(b, p->max_neighbors);
    tsrec__wbuf_i64(b, p->max_history);
    tsrec__wbuf_i64(b, m->n_items);
    tsrec__wbuf_i64(b, m->n_users_kept);
    tsrec__wbuf_i64(b, m->n_items_kept);
    tsrec__wbuf_i64s(b, m->nb_off, m->n_items + 1);
    int64_t e = m->nb_off[m->n_items];
    tsrec__wbuf_i32s(b, m->nb_item, e);
    tsrec__wbuf_f32s(b, m->nb_score, e);
    pop_write(&m->pop, b);
    return b->status;
}

/* Offsets, neighbour codes and scores of a loaded model. */
static int sims_check(const tsrec__sims_model *m, int64_t n_off, int64_t n_nb, int64_t n_sc,
                      tsrec__handle *eh)
{
    if (n_off != m->n_items + 1 || n_nb != n_sc || m->nb_off[0] != 0 ||
        m->nb_off[m->n_items] != n_nb)
        return bad(eh, "SIMS neighbour array sizes");
    for (int64_t i = 0; i < m->n_items; i++)
        if (m->nb_off[i + 1] < m->nb_off[i])
            return bad(eh, "SIMS neighbour offsets decrease");
    for (int64_t e = 0; e < n_nb; e++)
        if (m->nb_item[e] < 0 || m->nb_item[e] >= m->n_items || !isfinite(m->nb_score[e]))
            return bad(eh, "SIMS neighbour out of range");
    if (m->pop.n_items != m->n_items)
        return bad(eh, "SIMS fallback covers another item space");
    if (m->n_users_kept < 0 || m->n_items_kept < 0 || m->n_items_kept > m->n_items)
        return bad(eh, "SIMS kept counts");
    return TSREC_OK;
}

static int sims_read(tsrec__sims_model *m, tsrec_ctx *ctx, tsrec__handle *eh, tsrec__rbuf *r)
{
    tsrec__sims_params *p = &m->params;
    p->popularity_discount_factor = tsrec__rbuf_f64(r);
    p->min_cointeraction_count = tsrec__rbuf_i32(r);
    p->min_user_history_length_percentile = tsrec__rbuf_f64(r);
    p->max_user_history_length_percentile = tsrec__rbuf_f64(r);
    p->min_item_interaction_count_percentile = tsrec__rbuf_f64(r);
    p->max_item_interaction_count_percentile = tsrec__rbuf_f64(r);
    p->max_neighbors = tsrec__rbuf_i64(r);
    p->max_history = tsrec__rbuf_i64(r);
    m->n_items = tsrec__rbuf_i64(r);
    m->n_users_kept = tsrec__rbuf_i64(r);
    m->n_items_kept = tsrec__rbuf_i64(r);
    if (r->failed || tsrec__sims_params_check(p, NULL) != TSREC_OK)
        return bad(eh, "SIMS hyperparameters");
    if (m->n_items < 0 || m->n_items > MAX_MODEL_ITEMS)
        return bad(eh, "SIMS item count");
    int64_t n_off = 0, n_nb = 0, n_sc = 0;
    int rc = tsrec__rbuf_i64s(r, ctx, &m->nb_off, &n_off);
    if (rc == TSREC_OK)
        rc = tsrec__rbuf_i32s(r, ctx, &m->nb_item, &n_nb);
    if (rc == TSREC_OK)
        rc = tsrec__rbuf_f32s(r, ctx, &m->nb_score, &n_sc);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(eh, rc, "loading a SIMS model: out of memory");
    if (rc != TSREC_OK || m->nb_off == NULL)
        return bad(eh, "SIMS neighbour arrays");
    if ((rc = pop_read(&m->pop, ctx, eh, r)) != TSREC_OK)
        return rc;
    return sims_check(m, n_off, n_nb, n_sc, eh);
}

int tsrec__sims_vt_load(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__rbuf *r, void **out_model)
{
    *out_model = NULL;
    tsrec__sims_model *m = tsrec__calloc(ctx, 1, sizeof(*m));
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "loading a SIMS model: out of memory");
    m->ctx = ctx;
    int rc = sims_read(m, ctx, eh, r);
    if (rc != TSREC_OK) {
        tsrec__sims_free(m);
        tsrec__free(ctx, m);
        return rc;
    }
    *out_model = m;
    return TSREC_OK;
}
