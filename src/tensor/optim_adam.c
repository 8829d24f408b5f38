/* First-order updaters over float parameter arrays: Adam (and AdamW), SGD
 * with (Nesterov) momentum, and Adagrad, sharing one state object and one
 * gradient pre-processing path (global-norm clipping, element clipping,
 * L2 weight decay). Update rules follow PyTorch's torch.optim definitions:
 *   Adam:    g' = g + wd*p (wd*p applied to p directly, scaled by lr, for
 *            AdamW), m = b1 m + (1-b1) g', v = b2 v + (1-b2) g'^2,
 *            p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 *   SGD:     buf = mu buf + g' (buf = g' on the first step),
 *            p -= lr * (nesterov ? g' + mu buf : buf)
 *   Adagrad: s += g'^2, p -= lr * g' / (sqrt(s) + eps)
 * State is kept in float like the parameters; scalars in double. */
#include <math.h>
#include <string.h>

#include "optim_internal.h"

void tsrec__adam_opts_init(tsrec__adam_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->lr = 1e-3;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
}

void tsrec__sgd_opts_init(tsrec__sgd_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->lr = 1e-2;
}

void tsrec__adagrad_opts_init(tsrec__adagrad_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->lr = 1e-2;
    o->eps = 1e-10;
}

int tsrec__grad_norm(tsrec__handle *eh, int64_t n_seg, const float *const *grads,
                     const int64_t *lens, double *out_norm)
{
    double ss = 0.0;
    for (int64_t k = 0; k < n_seg; k++) {
        const float *g = grads[k];
        for (int64_t i = 0; i < lens[k]; i++) {
            double v = g[i];
            if (!isfinite(v))
                return tsrec__fail(eh, TSREC_E_NAN,
                                   "optimizer: non-finite gradient (segment %lld, "
                                   "element %lld)", (long long)k, (long long)i);
            ss += v * v;
        }
    }
    *out_norm = sqrt(ss);
    return TSREC_OK;
}

static int check_grad_opts(tsrec__handle *eh, const tsrec__grad_opts *g)
{
    if (!(g->clip_norm >= 0.0) || !(g->clip_value >= 0.0) ||
        !(g->weight_decay >= 0.0) || isinf(g->weight_decay))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "optimizer: clip_norm, clip_value and weight_decay "
                           "must be >= 0");
    return TSREC_OK;
}

static int check_lr(tsrec__handle *eh, double lr)
{
    if (!(lr > 0.0) || isinf(lr))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "optimizer: learning rate must be finite and > 0");
    return TSREC_OK;
}

/* Allocate an updater with `n_bufs` zeroed float buffers of n. */
static int updater_new(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n, int n_bufs,
                       int32_t kind, tsrec__updater **out)
{
    if (!ctx || !out || n < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "optimizer: NULL argument or n < 1");
    *out = NULL;
    tsrec__updater *u = tsrec__calloc(ctx, 1, sizeof(*u));
    if (!u)
        return tsrec__fail(eh, TSREC_E_NOMEM, "optimizer: out of memory");
    u->ctx = ctx;
    u->kind = kind;
    u->n = n;
    if ((uint64_t)n > SIZE_MAX / sizeof(float))
        goto nomem;
    u->m = tsrec__calloc(ctx, (size_t)n, sizeof(float));
    if (!u->m)
        goto nomem;
    if (n_bufs > 1) {
        u->v = tsrec__calloc(ctx, (size_t)n, sizeof(float));
        if (!u->v)
            goto nomem;
    }
    *out = u;
    return TSREC_OK;
nomem:
    tsrec__updater_free(u);
    return tsrec__fail(eh, TSREC_E_NOMEM, "optimizer: out of memory");
}

int tsrec__adam_new(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n,
                    const tsrec__adam_opts *opts, tsrec__updater **out)
{
    tsrec__adam_opts o;
    if (out)
        *out = NULL;
    if (opts)
        o = *opts;
    else
        tsrec__adam_opts_init(&o);
    int st = check_lr(eh, o.lr);
    if (st == TSREC_OK)
        st = check_grad_opts(eh, &o.grad);
    if (st != TSREC_OK)
        return st;
    if (!(o.beta1 >= 0.0 && o.beta1 < 1.0) || !(o.beta2 >= 0.0 && o.beta2 < 1.0) ||
        !(o.eps >= 0.0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "adam: betas must be in [0, 1) and eps >= 0");
    st = updater_new(ctx, eh, n, 2, TSREC__UPD_ADAM, out);
    if (st == TSREC_OK)
        (*out)->adam = o;
    return st;
}

int tsrec__sgd_new(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n,
                   const tsrec__sgd_opts *opts, tsrec__updater **out)
{
    tsrec__sgd_opts o;
    if (out)
        *out = NULL;
    if (opts)
        o = *opts;
    else
        tsrec__sgd_opts_init(&o);
    int st = check_lr(eh, o.lr);
    if (st == TSREC_OK)
        st = check_grad_opts(eh, &o.grad);
    if (st != TSREC_OK)
        return st;
    if (!(o.momentum >= 0.0 && o.momentum < 1.0) || (o.nesterov && o.momentum == 0.0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "sgd: momentum must be in [0, 1), > 0 for Nesterov");
    st = updater_new(ctx, eh, n, 1, TSREC__UPD_SGD, out);
    if (st == TSREC_OK)
        (*out)->sgd = o;
    return st;
}

int tsrec__adagrad_new(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n,
                       const tsrec__adagrad_opts *opts, tsrec__updater **out)
{
    tsrec__adagrad_opts o;
    if (out)
        *out = NULL;
    if (opts)
        o = *opts;
    else
        tsrec__adagrad_opts_init(&o);
    int st = check_lr(eh, o.lr);
    if (st == TSREC_OK)
        st = check_grad_opts(eh, &o.grad);
    if (st != TSREC_OK)
        return st;
    if (!(o.eps >= 0.0) || !(o.initial_accumulator >= 0.0) ||
        isinf(o.initial_accumulator))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "adagrad: eps and initial_accumulator must be >= 0");
    st = updater_new(ctx, eh, n, 1, TSREC__UPD_ADAGRAD, out);
    if (st == TSREC_OK) {
        (*out)->adagrad = o;
        tsrec__updater_reset(*out);
    }
    return st;
}

void tsrec__updater_free(tsrec__updater *u)
{
    if (!u)
        return;
    tsrec_ctx *ctx = u->ctx;
    tsrec__free(ctx, u->m);
    tsrec__free(ctx, u->v);
    tsrec__free(ctx, u);
}

void tsrec__updater_reset(tsrec__updater *u)
{
    float init = u->kind == TSREC__UPD_ADAGRAD ? (float)u->adagrad.initial_accumulator
                                               : 0.0f;
    for (int64_t i = 0; i < u->n; i++)
        u->m[i] = init;
    if (u->v)
        memset(u->v, 0, (size_t)u->n * sizeof(float));
    u->t = 0;
    u->last_grad_norm = 0.0;
}

/* Processed gradient of one element: global-norm scale, element clip, then
 * the L2 term (PyTorch adds weight decay after clipping). */
static double prep(const tsrec__grad_opts *go, double scale, float g, float p,
                   int add_wd)
{
    double v = scale * (double)g;
    if (go->clip_value > 0.0) {
        if (v > go->clip_value)
            v = go->clip_value;
        else if (v < -go->clip_value)
            v = -go->clip_value;
    }
    if (add_wd)
        v += go->weight_decay * (double)p;
    return v;
}

int tsrec__updater_step_multi(tsrec__updater *u, tsrec__handle *eh,
                              int64_t n_seg, float *const *params,
                              const float *const *grads, const int64_t *lens)
{
    if (!u || n_seg < 1 || !params || !grads || !lens)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "optimizer step: NULL argument");
    int64_t total = 0;
    for (int64_t k = 0; k < n_seg; k++) {
        if (lens[k] < 0 || (lens[k] > 0 && (!params[k] || !grads[k])))
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "optimizer step: bad segment %lld", (long long)k);
        total += lens[k];
    }
    if (total != u->n)
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "optimizer step: segments hold %lld values, state has %lld",
                           (long long)total, (long long)u->n);
    const tsrec__grad_opts *go = u->kind == TSREC__UPD_ADAM ? &u->adam.grad
                                 : u->kind == TSREC__UPD_SGD ? &u->sgd.grad
                                                             : &u->adagrad.grad;
    double norm = 0.0;
    int st = tsrec__grad_norm(eh, n_seg, grads, lens, &norm);
    if (st != TSREC_OK)
        return st;
    u->last_grad_norm = norm;
    double scale = 1.0;
    if (go->clip_norm > 0.0 && norm > go->clip_norm)
        scale = go->clip_norm / (norm + 1e-6); /* PyTorch's clip_grad_norm_ */
    u->t++;

    int64_t off = 0;
    if (u->kind == TSREC__UPD_ADAM) {
        const tsrec__adam_opts *o = &u->adam;
        double bc1 = 1.0 - pow(o->beta1, (double)u->t);
        double bc2 = 1.0 - pow(o->beta2, (double)u->t);
        double step = o->lr / bc1;
        double sqrt_bc2 = sqrt(bc2);
        double decay = o->decoupled ? 1.0 - o->lr * go->weight_decay : 1.0;
        for (int64_t k = 0; k < n_seg; k++) {
            float *p = params[k];
            const float *g = grads[k];
            for (int64_t i = 0; i < lens[k]; i++, off++) {
                double gi = prep(go, scale, g[i], p[i], !o->decoupled);
                double m = o->beta1 * u->m[off] + (1.0 - o->beta1) * gi;
                double v = o->beta2 * u->v[off] + (1.0 - o->beta2) * gi * gi;
                u->m[off] = (float)m;
                u->v[off] = (float)v;
                double pi = (double)p[i] * decay;
                p[i] = (float)(pi - step * m / (sqrt(v) / sqrt_bc2 + o->eps));
            }
        }
    } else if (u->kind == TSREC__UPD_SGD) {
        const tsrec__sgd_opts *o = &u->sgd;
        for (int64_t k = 0; k < n_seg; k++) {
            float *p = params[k];
            const float *g = grads[k];
            for (int64_t i = 0; i < lens[k]; i++, off++) {
                double gi = prep(go, scale, g[i], p[i], 1);
                double d = gi;
                if (o->momentum > 0.0) {
                    double buf = u->t == 1 ? gi : o->momentum * u->m[off] + gi;
                    u->m[off] = (float)buf;
                    d = o->nesterov ? gi + o->momentum * buf : buf;
                }
                p[i] = (float)((double)p[i] - o->lr * d);
            }
        }
    } else {
        const tsrec__adagrad_opts *o = &u->adagrad;
        for (int64_t k = 0; k < n_seg; k++) {
            float *p = params[k];
            const float *g = grads[k];
            for (int64_t i = 0; i < lens[k]; i++, off++) {
                double gi = prep(go, scale, g[i], p[i], 1);
                double s = (double)u->m[off] + gi * gi;
                u->m[off] = (float)s;
                p[i] = (float)((double)p[i] - o->lr * gi / (sqrt(s) + o->eps));
            }
        }
    }
    return TSREC_OK;
}

int tsrec__updater_step(tsrec__updater *u, tsrec__handle *eh, float *params,
                        const float *grads)
{
    if (!u)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "optimizer step: NULL state");
    float *const ps[1] = {params};
    const float *const gs[1] = {grads};
    const int64_t lens[1] = {u->n};
    return tsrec__updater_step_multi(u, eh, 1, ps, gs, lens);
}
