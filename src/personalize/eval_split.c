/* The Personalize evaluation split: test users and the training store
 * (procedure documented in eval_internal.h). */
#include <inttypes.h>
#include <string.h>

#include "eval_internal.h"
#include "rng_internal.h"

void tsrec__eval_split_free(tsrec__eval_split *sp)
{
    if (sp == NULL)
        return;
    if (sp->ctx != NULL) {
        tsrec__free(sp->ctx, sp->test_users);
        tsrec__free(sp->ctx, sp->is_test);
    }
    memset(sp, 0, sizeof(*sp));
}

int64_t tsrec__eval_input_len(int64_t len)
{
    int64_t n_in = (9 * len) / 10;
    if (n_in > len - 1)
        n_in = len - 1;
    if (n_in < 1)
        n_in = 1;
    return n_in;
}

int tsrec__eval_split_users(tsrec__eval_split *sp, tsrec_ctx *ctx, tsrec__handle *eh,
                            const tsrec__interactions *s, uint64_t seed, double test_fraction)
{
    if (sp == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "eval: NULL split");
    memset(sp, 0, sizeof(*sp));
    if (ctx == NULL || s == NULL || s->user_off == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "eval: NULL ctx or store");
    if (!(test_fraction > 0.0 && test_fraction < 1.0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "eval: test fraction %g is outside (0, 1)", test_fraction);
    int64_t nu = s->n_users, n_el = 0;
    for (int64_t u = 0; u < nu; u++)
        n_el += tsrec__interactions_user_count(s, u) >= 2;
    if (n_el == 0)
        return tsrec__fail(eh, TSREC_E_EMPTY,
                           "eval: no user has the 2 interactions a test user needs");
    int32_t *order = tsrec__alloc(ctx, (size_t)n_el * sizeof(int32_t));
    sp->is_test = tsrec__calloc(ctx, (size_t)TSREC__MAX(nu, 1), 1);
    if (order == NULL || sp->is_test == NULL) {
        tsrec__free(ctx, order);
        tsrec__free(ctx, sp->is_test);
        memset(sp, 0, sizeof(*sp));
        return tsrec__fail(eh, TSREC_E_NOMEM, "eval: out of memory (split of %" PRId64
                           " users)", nu);
    }
    int64_t k = 0;
    for (int64_t u = 0; u < nu; u++)
        if (tsrec__interactions_user_count(s, u) >= 2)
            order[k++] = (int32_t)u;
    tsrec__rng r;
    tsrec__rng_seed(&r, seed);
    for (int64_t i = n_el - 1; i >= 1; i--) {
        int64_t j = (int64_t)tsrec__rng_below(&r, (uint64_t)i + 1);
        int32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    int64_t n_test = (int64_t)((double)n_el * test_fraction);
    n_test = TSREC__MAX(n_test, 1);
    for (int64_t i = 0; i < n_test; i++)
        sp->is_test[order[i]] = 1;
    /* reuse order for the ascending list */
    k = 0;
    for (int64_t u = 0; u < nu; u++)
        if (sp->is_test[u])
            order[k++] = (int32_t)u;
    sp->ctx = ctx;
    sp->n_users = nu;
    sp->n_test = n_test;
    sp->test_users = order;
    return TSREC_OK;
}

int tsrec__eval_train_store(tsrec__interactions *out, tsrec__handle *eh,
                            const tsrec__interactions *s, const tsrec__eval_split *sp)
{
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "eval: NULL output store");
    memset(out, 0, sizeof(*out));
    if (s == NULL || sp == NULL || sp->is_test == NULL || sp->n_users != s->n_users)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "eval: split does not match the store");
    int64_t m = 0;
    for (int64_t u = 0; u < s->n_users; u++)
        if (!sp->is_test[u])
            m += tsrec__interactions_user_count(s, u);
    if (m == 0)
        return tsrec__fail(eh, TSREC_E_EMPTY, "eval: no interaction left for training");
    tsrec__interactions *t = out;
    t->ctx = s->ctx;
    t->n_users = s->n_users;
    t->n_items = s->n_items;
    t->n_event_types = s->n_event_types;
    t->user_off = tsrec__calloc(t->ctx, (size_t)s->n_users + 1, sizeof(int64_t));
    int rc = t->user_off == NULL
                 ? tsrec__fail(eh, TSREC_E_NOMEM, "eval: out of memory (training store)")
                 : tsrec__interactions_alloc_rows(t, eh, m, s->event_type != NULL,
                                                  s->value != NULL);
    if (rc != TSREC_OK) {
        tsrec__interactions_free(t);
        return rc;
    }
    int64_t w = 0;
    for (int64_t u = 0; u < s->n_users; u++) {
        if (!sp->is_test[u]) {
            int64_t b = s->user_off[u], c = tsrec__interactions_user_count(s, u);
            memcpy(t->item + w, s->item + b, (size_t)c * sizeof(int32_t));
            memcpy(t->ts + w, s->ts + b, (size_t)c * sizeof(int64_t));
            if (t->event_type != NULL)
                memcpy(t->event_type + w, s->event_type + b, (size_t)c * sizeof(int32_t));
            if (t->value != NULL)
                memcpy(t->value + w, s->value + b, (size_t)c * sizeof(float));
            w += c;
        }
        t->user_off[u + 1] = w;
    }
    t->n = m;
    t->n_input = m;
    t->dedup = s->dedup;
    t->has_threshold = s->has_threshold;
    t->value_threshold = s->value_threshold;
    rc = tsrec__interactions_index_items(t, eh);
    if (rc != TSREC_OK)
        tsrec__interactions_free(t);
    return rc;
}
