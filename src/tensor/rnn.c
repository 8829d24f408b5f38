/* GRU and LSTM cells: one step forward/backward and sequences (BPTT).
 *
 * Each step does the matrix work as whole-gate GEMMs (all gates of a batch
 * in one [B x in] * [in x G*H] product and one [B x H] * [H x G*H]) and the
 * element-wise gate math in one fused pass per row, writing the
 * activations backward needs over the GEMM outputs in place. Backward
 * overwrites that cache with the pre-activation gradients, which are then
 * the left operands of the weight and input gradient GEMMs. */
/* Let GCC assume FP operations do not trap, so the fused gate loops
 * vectorise (see nn_math_internal.h). Must precede every function. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <cblas.h>
#include <string.h>

#include "nn_internal.h"
#include "nn_math_internal.h"

/* ---- argument checks ------------------------------------------------------ */

int64_t tsrec__rnn_param_count(int64_t gates, int64_t in, int64_t hidden)
{
    if (gates < 1 || in < 1 || hidden < 1 || in > INT64_MAX / 4 || hidden > INT64_MAX / 4)
        return -1;
    int64_t gh = nn_mul(gates, hidden);
    if (gh < 0)
        return -1;
    int64_t per = in + hidden + 2;
    return nn_mul(gh, per);
}

void tsrec__rnn_params_view(tsrec__rnn_params *p, float *flat, int64_t gates,
                            int64_t in, int64_t hidden)
{
    int64_t gh = gates * hidden;
    p->in = in;
    p->hidden = hidden;
    p->w_ih = flat;
    p->w_hh = p->w_ih + gh * in;
    p->b_ih = p->w_hh + gh * hidden;
    p->b_hh = p->b_ih + gh;
}

/* Validate a parameter view and batch size for a cell with `gates` gates:
 * every GEMM dimension must fit in an int and every buffer size in size_t. */
static int check_cell(tsrec__handle *eh, const tsrec__rnn_params *p, int64_t gates,
                      int64_t batch, const char *fn)
{
    if (p == NULL || p->w_ih == NULL || p->w_hh == NULL || p->b_ih == NULL ||
        p->b_hh == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL parameter view", fn);
    if (!nn_dim_ok(p->in) || !nn_dim_ok(p->hidden) || !nn_dim_ok(batch))
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "%s: sizes must be in [1, INT_MAX] (batch %lld, in %lld, hidden %lld)",
                           fn, (long long)batch, (long long)p->in, (long long)p->hidden);
    int64_t gh = nn_mul(gates, p->hidden);
    if (gh < 0 || gh > INT_MAX || nn_mul(batch, gh + 3 * p->hidden) < 0 ||
        nn_mul(batch, p->in) < 0 || tsrec__rnn_param_count(gates, p->in, p->hidden) < 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: sizes overflow", fn);
    return TSREC_OK;
}

static int check_grad(tsrec__handle *eh, const tsrec__rnn_params *p,
                      const tsrec__rnn_params *g, const char *fn)
{
    if (g == NULL || g->w_ih == NULL || g->w_hh == NULL || g->b_ih == NULL ||
        g->b_hh == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL gradient view", fn);
    if (g->in != p->in || g->hidden != p->hidden)
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "%s: gradient view is %lldx%lld, parameters %lldx%lld", fn,
                           (long long)g->in, (long long)g->hidden, (long long)p->in,
                           (long long)p->hidden);
    return TSREC_OK;
}

/* ---- GRU ------------------------------------------------------------------ */

int64_t tsrec__gru_cache_floats(int64_t batch, int64_t hidden)
{
    if (batch < 1 || hidden < 1)
        return -1;
    int64_t bh = nn_mul(batch, hidden);
    return bh < 0 ? -1 : nn_mul(bh, 6);
}

/* Gate math of one batch row. gi/gh hold x W_ih^T and h W_hh^T for this row
 * (r, z, n blocks of H); afterwards gi holds r, z, n and gh's n block holds
 * W_hn h + b_hn, the four values backward needs. hp and ho may alias. */
NN_VECTOR_CLONES static void gru_fwd_row(float *restrict gi, float *restrict gh, const float *restrict bi,
                        const float *restrict bh, const float *hp, float *ho, int64_t H)
{
    for (int64_t j = 0; j < H; j++) {
        float r = nn_sigmoidf(gi[j] + bi[j] + gh[j] + bh[j]);
        float z = nn_sigmoidf(gi[H + j] + bi[H + j] + gh[H + j] + bh[H + j]);
        float hn = gh[2 * H + j] + bh[2 * H + j];
        float n = nn_tanhf(gi[2 * H + j] + bi[2 * H + j] + r * hn);
        float hprev = hp[j];
        ho[j] = n + z * (hprev - n);
        gi[j] = r;
        gi[H + j] = z;
        gi[2 * H + j] = n;
        gh[2 * H + j] = hn;
    }
}

static void gru_forward(const tsrec__rnn_params *p, int64_t batch, const float *x,
                        const float *h_prev, float *h_out, float *cache)
{
    const int B = (int)batch, NI = (int)p->in, H = (int)p->hidden, G = 3 * H;
    float *gi = cache;
    float *gh = cache + (size_t)batch * (size_t)G;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, G, NI, 1.0f, x, NI, p->w_ih, NI,
                0.0f, gi, G);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, G, H, 1.0f, h_prev, H, p->w_hh,
                H, 0.0f, gh, G);
    for (int64_t b = 0; b < batch; b++)
        gru_fwd_row(gi + b * G, gh + b * G, p->b_ih, p->b_hh, h_prev + b * H,
                    h_out + b * H, H);
}

/* Backward gate math of one row: turns the cached activations into the
 * pre-activation gradients (gi: d[x-side] r,z,n; gh: d[h-side] r,z,n),
 * writes the direct part of dh_prev (dh * z) and adds the bias gradients.
 * dh and dhp may alias. */
NN_VECTOR_CLONES static void gru_bwd_row(float *restrict gi, float *restrict gh, const float *restrict hp,
                        const float *dh, float *dhp, float *restrict dbi,
                        float *restrict dbh, int64_t H)
{
    for (int64_t j = 0; j < H; j++) {
        float r = gi[j], z = gi[H + j], n = gi[2 * H + j], hn = gh[2 * H + j];
        float d = dh[j];
        float dan = d * (1.0f - z) * (1.0f - n * n);
        float dar = dan * hn * r * (1.0f - r);
        float daz = d * (hp[j] - n) * z * (1.0f - z);
        float dhn = dan * r;
        gi[j] = dar;
        gi[H + j] = daz;
        gi[2 * H + j] = dan;
        gh[j] = dar;
        gh[H + j] = daz;
        gh[2 * H + j] = dhn;
        dhp[j] = d * z;
        dbi[j] += dar;
        dbi[H + j] += daz;
        dbi[2 * H + j] += dan;
        dbh[j] += dar;
        dbh[H + j] += daz;
        dbh[2 * H + j] += dhn;
    }
}

static void gru_backward(const tsrec__rnn_params *p, int64_t batch, const float *x,
                         const float *h_prev, float *cache, const float *dh_out, float *dx,
                         float *dh_prev, tsrec__rnn_params *g)
{
    const int B = (int)batch, NI = (int)p->in, H = (int)p->hidden, G = 3 * H;
    float *gi = cache;
    float *gh = cache + (size_t)batch * (size_t)G;
    for (int64_t b = 0; b < batch; b++)
        gru_bwd_row(gi + b * G, gh + b * G, h_prev + b * H, dh_out + b * H,
                    dh_prev + b * H, g->b_ih, g->b_hh, H);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, G, NI, B, 1.0f, gi, G, x, NI, 1.0f,
                g->w_ih, NI);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, G, H, B, 1.0f, gh, G, h_prev, H,
                1.0f, g->w_hh, H);
    if (dx != NULL)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, NI, G, 1.0f, gi, G, p->w_ih,
                    NI, 0.0f, dx, NI);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, G, 1.0f, gh, G, p->w_hh, H,
                1.0f, dh_prev, H);
}

int tsrec__gru_step_forward(tsrec__handle *eh, const tsrec__rnn_params *p, int64_t batch,
                            const float *x, const float *h_prev, float *h_out, float *cache)
{
    int st = check_cell(eh, p, TSREC__GRU_GATES, batch, "gru_step_forward");
    if (st != TSREC_OK)
        return st;
    if (x == NULL || h_prev == NULL || h_out == NULL || cache == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "gru_step_forward: NULL buffer");
    gru_forward(p, batch, x, h_prev, h_out, cache);
    return TSREC_OK;
}

int tsrec__gru_step_backward(tsrec__handle *eh, const tsrec__rnn_params *p, int64_t batch,
                             const float *x, const float *h_prev, float *cache,
                             const float *dh_out, float *dx, float *dh_prev,
                             tsrec__rnn_params *grad)
{
    int st = check_cell(eh, p, TSREC__GRU_GATES, batch, "gru_step_backward");
    if (st == TSREC_OK)
        st = check_grad(eh, p, grad, "gru_step_backward");
    if (st != TSREC_OK)
        return st;
    if (x == NULL || h_prev == NULL || cache == NULL || dh_out == NULL || dh_prev == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "gru_step_backward: NULL buffer");
    gru_backward(p, batch, x, h_prev, cache, dh_out, dx, dh_prev, grad);
    return TSREC_OK;
}

/* ---- LSTM ----------------------------------------------------------------- */

int64_t tsrec__lstm_cache_floats(int64_t batch, int64_t hidden)
{
    if (batch < 1 || hidden < 1)
        return -1;
    int64_t bh = nn_mul(batch, hidden);
    return bh < 0 ? -1 : nn_mul(bh, 5);
}

/* a holds the summed gate pre-activations (without biases) of one row and
 * is overwritten by i, f, g, o; tc receives tanh(c'). */
NN_VECTOR_CLONES static void lstm_fwd_row(float *restrict a, float *restrict tc, const float *restrict bi,
                         const float *restrict bh, const float *cp, float *co, float *ho,
                         int64_t H)
{
    for (int64_t j = 0; j < H; j++) {
        float ig = nn_sigmoidf(a[j] + bi[j] + bh[j]);
        float fg = nn_sigmoidf(a[H + j] + bi[H + j] + bh[H + j]);
        float gg = nn_tanhf(a[2 * H + j] + bi[2 * H + j] + bh[2 * H + j]);
        float og = nn_sigmoidf(a[3 * H + j] + bi[3 * H + j] + bh[3 * H + j]);
        float c = fg * cp[j] + ig * gg;
        float t = nn_tanhf(c);
        a[j] = ig;
        a[H + j] = fg;
        a[2 * H + j] = gg;
        a[3 * H + j] = og;
        tc[j] = t;
        co[j] = c;
        ho[j] = og * t;
    }
}

static void lstm_forward(const tsrec__rnn_params *p, int64_t batch, const float *x,
                         const float *h_prev, const float *c_prev, float *h_out,
                         float *c_out, float *cache)
{
    const int B = (int)batch, NI = (int)p->in, H = (int)p->hidden, G = 4 * H;
    float *a = cache;
    float *tc = cache + (size_t)batch * (size_t)G;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, G, NI, 1.0f, x, NI, p->w_ih, NI,
                0.0f, a, G);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, G, H, 1.0f, h_prev, H, p->w_hh,
                H, 1.0f, a, G);
    for (int64_t b = 0; b < batch; b++)
        lstm_fwd_row(a + b * G, tc + b * H, p->b_ih, p->b_hh, c_prev + b * H, c_out + b * H,
                     h_out + b * H, H);
}

/* Backward gate math of one row: a (i, f, g, o) becomes the pre-activation
 * gradients; dcp receives dL/dc_prev (NULL to skip). dco NULL = zero. */
NN_VECTOR_CLONES static void lstm_bwd_row(float *restrict a, const float *restrict tc, const float *restrict cp,
                         const float *dh, const float *dco, float *dcp, float *restrict dbi,
                         float *restrict dbh, int64_t H)
{
    for (int64_t j = 0; j < H; j++) {
        float ig = a[j], fg = a[H + j], gg = a[2 * H + j], og = a[3 * H + j];
        float t = tc[j];
        float d = dh[j];
        float dc = d * og * (1.0f - t * t);
        if (dco != NULL)
            dc += dco[j];
        float dai = dc * gg * ig * (1.0f - ig);
        float daf = dc * cp[j] * fg * (1.0f - fg);
        float dag = dc * ig * (1.0f - gg * gg);
        float dao = d * t * og * (1.0f - og);
        if (dcp != NULL)
            dcp[j] = dc * fg;
        a[j] = dai;
        a[H + j] = daf;
        a[2 * H + j] = dag;
        a[3 * H + j] = dao;
        dbi[j] += dai;
        dbi[H + j] += daf;
        dbi[2 * H + j] += dag;
        dbi[3 * H + j] += dao;
        dbh[j] += dai;
        dbh[H + j] += daf;
        dbh[2 * H + j] += dag;
        dbh[3 * H + j] += dao;
    }
}

static void lstm_backward(const tsrec__rnn_params *p, int64_t batch, const float *x,
                          const float *h_prev, const float *c_prev, float *cache,
                          const float *dh_out, const float *dc_out, float *dx,
                          float *dh_prev, float *dc_prev, tsrec__rnn_params *g)
{
    const int B = (int)batch, NI = (int)p->in, H = (int)p->hidden, G = 4 * H;
    float *a = cache;
    const float *tc = cache + (size_t)batch * (size_t)G;
    for (int64_t b = 0; b < batch; b++)
        lstm_bwd_row(a + b * G, tc + b * H, c_prev + b * H, dh_out + b * H,
                     dc_out ? dc_out + b * H : NULL, dc_prev ? dc_prev + b * H : NULL,
                     g->b_ih, g->b_hh, H);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, G, NI, B, 1.0f, a, G, x, NI, 1.0f,
                g->w_ih, NI);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, G, H, B, 1.0f, a, G, h_prev, H,
                1.0f, g->w_hh, H);
    if (dx != NULL)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, NI, G, 1.0f, a, G, p->w_ih,
                    NI, 0.0f, dx, NI);
    /* dh_out has been read in full above, so dh_prev may alias it. */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, G, 1.0f, a, G, p->w_hh, H,
                0.0f, dh_prev, H);
}

int tsrec__lstm_step_forward(tsrec__handle *eh, const tsrec__rnn_params *p, int64_t batch,
                             const float *x, const float *h_prev, const float *c_prev,
                             float *h_out, float *c_out, float *cache)
{
    int st = check_cell(eh, p, TSREC__LSTM_GATES, batch, "lstm_step_forward");
    if (st != TSREC_OK)
        return st;
    if (x == NULL || h_prev == NULL || c_prev == NULL || h_out == NULL || c_out == NULL ||
        cache == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "lstm_step_forward: NULL buffer");
    lstm_forward(p, batch, x, h_prev, c_prev, h_out, c_out, cache);
    return TSREC_OK;
}

int tsrec__lstm_step_backward(tsrec__handle *eh, const tsrec__rnn_params *p, int64_t batch,
                              const float *x, const float *h_prev, const float *c_prev,
                              float *cache, const float *dh_out, const float *dc_out,
                              float *dx, float *dh_prev, float *dc_prev,
                              tsrec__rnn_params *grad)
{
    int st = check_cell(eh, p, TSREC__LSTM_GATES, batch, "lstm_step_backward");
    if (st == TSREC_OK)
        st = check_grad(eh, p, grad, "lstm_step_backward");
    if (st != TSREC_OK)
        return st;
    if (x == NULL || h_prev == NULL || c_prev == NULL || cache == NULL || dh_out == NULL ||
        dh_prev == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "lstm_step_backward: NULL buffer");
    lstm_backward(p, batch, x, h_prev, c_prev, cache, dh_out, dc_out, dx, dh_prev, dc_prev,
                  grad);
    return TSREC_OK;
}

/* ---- sequences ------------------------------------------------------------ */

int tsrec__rnn_seq_init(tsrec__rnn_seq *s, tsrec_ctx *ctx, tsrec__handle *eh, int32_t cell,
                        int64_t in, int64_t hidden, int64_t batch_cap, int64_t steps_cap)
{
    if (s == NULL || ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "rnn_seq_init: NULL argument");
    memset(s, 0, sizeof *s);
    if (cell != TSREC__CELL_GRU && cell != TSREC__CELL_LSTM)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "rnn_seq_init: unknown cell type %d",
                           (int)cell);
    if (!nn_dim_ok(in) || !nn_dim_ok(hidden) || !nn_dim_ok(batch_cap) || steps_cap < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "rnn_seq_init: sizes must be positive (in %lld, hidden %lld, "
                           "batch %lld, steps %lld)",
                           (long long)in, (long long)hidden, (long long)batch_cap,
                           (long long)steps_cap);
    int64_t per = cell == TSREC__CELL_GRU ? tsrec__gru_cache_floats(batch_cap, hidden)
                                          : tsrec__lstm_cache_floats(batch_cap, hidden);
    int64_t bh = nn_mul(batch_cap, hidden);
    int64_t n_cache = per < 0 ? -1 : nn_mul(per, steps_cap);
    int64_t n_state = (bh < 0 || steps_cap == INT64_MAX) ? -1 : nn_mul(bh, steps_cap + 1);
    if (n_cache < 0 || n_state < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "rnn_seq_init: workspace size overflows");
    s->cell = cell;
    s->in = in;
    s->hidden = hidden;
    s->batch_cap = batch_cap;
    s->steps_cap = steps_cap;
    int lstm = cell == TSREC__CELL_LSTM;
    s->cache = tsrec__alloc_aligned(ctx, (size_t)n_cache * sizeof(float), 64);
    s->h = tsrec__alloc_aligned(ctx, (size_t)n_state * sizeof(float), 64);
    s->dh = tsrec__alloc_aligned(ctx, (size_t)bh * sizeof(float), 64);
    if (lstm) {
        s->c = tsrec__alloc_aligned(ctx, (size_t)n_state * sizeof(float), 64);
        s->dc = tsrec__alloc_aligned(ctx, (size_t)bh * sizeof(float), 64);
    }
    if (s->cache == NULL || s->h == NULL || s->dh == NULL ||
        (lstm && (s->c == NULL || s->dc == NULL))) {
        tsrec__rnn_seq_free(s, ctx);
        return tsrec__fail(eh, TSREC_E_NOMEM, "rnn_seq_init: out of memory");
    }
    return TSREC_OK;
}

void tsrec__rnn_seq_free(tsrec__rnn_seq *s, tsrec_ctx *ctx)
{
    if (s == NULL)
        return;
    tsrec__free(ctx, s->cache);
    tsrec__free(ctx, s->h);
    tsrec__free(ctx, s->c);
    tsrec__free(ctx, s->dh);
    tsrec__free(ctx, s->dc);
    memset(s, 0, sizeof *s);
}

const float *tsrec__rnn_seq_hidden(const tsrec__rnn_seq *s, int64_t t)
{
    if (s == NULL || s->h == NULL || s->steps < 1 || t < 0 || t > s->steps)
        return NULL;
    return s->h + t * s->batch * s->hidden;
}

const float *tsrec__rnn_seq_cell(const tsrec__rnn_seq *s, int64_t t)
{
    if (s == NULL || s->c == NULL || s->steps < 1 || t < 0 || t > s->steps)
        return NULL;
    return s->c + t * s->batch * s->hidden;
}

static int check_seq(tsrec__rnn_seq *s, tsrec__handle *eh, const tsrec__rnn_params *p,
                     int32_t cell, int64_t batch, int64_t steps, const char *fn)
{
    if (s == NULL || s->h == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: workspace not initialised", fn);
    if (s->cell != cell)
        return tsrec__fail(eh, TSREC_E_MISUSE, "%s: workspace is for another cell type", fn);
    int st = check_cell(eh, p, cell == TSREC__CELL_GRU ? TSREC__GRU_GATES : TSREC__LSTM_GATES,
                        batch, fn);
    if (st != TSREC_OK)
        return st;
    if (p->in != s->in || p->hidden != s->hidden)
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "%s: parameters are %lldx%lld, workspace %lldx%lld", fn,
                           (long long)p->in, (long long)p->hidden, (long long)s->in,
                           (long long)s->hidden);
    if (batch > s->batch_cap || steps < 1 || steps > s->steps_cap)
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "%s: batch %lld / steps %lld outside the workspace (%lld / %lld)",
                           fn, (long long)batch, (long long)steps, (long long)s->batch_cap,
                           (long long)s->steps_cap);
    return TSREC_OK;
}

int tsrec__gru_seq_forward(tsrec__rnn_seq *s, tsrec__handle *eh, const tsrec__rnn_params *p,
                           int64_t batch, int64_t steps, const float *x, const float *h0)
{
    int st = check_seq(s, eh, p, TSREC__CELL_GRU, batch, steps, "gru_seq_forward");
    if (st != TSREC_OK)
        return st;
    if (x == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "gru_seq_forward: NULL input");
    size_t bh = (size_t)batch * (size_t)p->hidden;
    size_t bi = (size_t)batch * (size_t)p->in;
    size_t per = (size_t)tsrec__gru_cache_floats(batch, p->hidden);
    if (h0 != NULL)
        memcpy(s->h, h0, bh * sizeof(float));
    else
        memset(s->h, 0, bh * sizeof(float));
    for (int64_t t = 0; t < steps; t++)
        gru_forward(p, batch, x + (size_t)t * bi, s->h + (size_t)t * bh,
                    s->h + (size_t)(t + 1) * bh, s->cache + (size_t)t * per);
    s->batch = batch;
    s->steps = steps;
    s->ready = 1;
    return TSREC_OK;
}

/* dh = dh_last (or 0), the gradient carried backwards through h. */
static void seed_grad(float *d, const float *init, size_t n)
{
    if (init != NULL)
        memcpy(d, init, n * sizeof(float));
    else
        memset(d, 0, n * sizeof(float));
}

static void add_into(float *restrict d, const float *restrict a, size_t n)
{
    for (size_t k = 0; k < n; k++)
        d[k] += a[k];
}

int tsrec__gru_seq_backward(tsrec__rnn_seq *s, tsrec__handle *eh, const tsrec__rnn_params *p,
                            const float *x, const float *dy, const float *dh_last,
                            float *dx, float *dh0, tsrec__rnn_params *grad)
{
    if (s == NULL || !s->ready)
        return tsrec__fail(eh, TSREC_E_MISUSE,
                           "gru_seq_backward: no forward pass to differentiate");
    int st = check_seq(s, eh, p, TSREC__CELL_GRU, s->batch, s->steps, "gru_seq_backward");
    if (st == TSREC_OK)
        st = check_grad(eh, p, grad, "gru_seq_backward");
    if (st != TSREC_OK)
        return st;
    if (x == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "gru_seq_backward: NULL input");
    const int64_t batch = s->batch;
    size_t bh = (size_t)batch * (size_t)p->hidden;
    size_t bi = (size_t)batch * (size_t)p->in;
    size_t per = (size_t)tsrec__gru_cache_floats(batch, p->hidden);
    seed_grad(s->dh, dh_last, bh);
    for (int64_t t = s->steps - 1; t >= 0; t--) {
        if (dy != NULL)
            add_into(s->dh, dy + (size_t)t * bh, bh);
        gru_backward(p, batch, x + (size_t)t * bi, s->h + (size_t)t * bh,
                     s->cache + (size_t)t * per, s->dh, dx ? dx + (size_t)t * bi : NULL,
                     s->dh, grad);
    }
    if (dh0 != NULL)
        memcpy(dh0, s->dh, bh * sizeof(float));
    s->ready = 0;
    return TSREC_OK;
}

int tsrec__lstm_seq_forward(tsrec__rnn_seq *s, tsrec__handle *eh, const tsrec__rnn_params *p,
                            int64_t batch, int64_t steps, const float *x, const float *h0,
                            const float *c0)
{
    int st = check_seq(s, eh, p, TSREC__CELL_LSTM, batch, steps, "lstm_seq_forward");
    if (st != TSREC_OK)
        return st;
    if (x == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "lstm_seq_forward: NULL input");
    size_t bh = (size_t)batch * (size_t)p->hidden;
    size_t bi = (size_t)batch * (size_t)p->in;
    size_t per = (size_t)tsrec__lstm_cache_floats(batch, p->hidden);
    seed_grad(s->h, h0, bh);
    seed_grad(s->c, c0, bh);
    for (int64_t t = 0; t < steps; t++)
        lstm_forward(p, batch, x + (size_t)t * bi, s->h + (size_t)t * bh,
                     s->c + (size_t)t * bh, s->h + (size_t)(t + 1) * bh,
                     s->c + (size_t)(t + 1) * bh, s->cache + (size_t)t * per);
    s->batch = batch;
    s->steps = steps;
    s->ready = 1;
    return TSREC_OK;
}

int tsrec__lstm_seq_backward(tsrec__rnn_seq *s, tsrec__handle *eh, const tsrec__rnn_params *p,
                             const float *x, const float *dy, const float *dh_last,
                             const float *dc_last, float *dx, float *dh0, float *dc0,
                             tsrec__rnn_params *grad)
{
    if (s == NULL || !s->ready)
        return tsrec__fail(eh, TSREC_E_MISUSE,
                           "lstm_seq_backward: no forward pass to differentiate");
    int st = check_seq(s, eh, p, TSREC__CELL_LSTM, s->batch, s->steps, "lstm_seq_backward");
    if (st == TSREC_OK)
        st = check_grad(eh, p, grad, "lstm_seq_backward");
    if (st != TSREC_OK)
        return st;
    if (x == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "lstm_seq_backward: NULL input");
    const int64_t batch = s->batch;
    size_t bh = (size_t)batch * (size_t)p->hidden;
    size_t bi = (size_t)batch * (size_t)p->in;
    size_t per = (size_t)tsrec__lstm_cache_floats(batch, p->hidden);
    seed_grad(s->dh, dh_last, bh);
    seed_grad(s->dc, dc_last, bh);
    for (int64_t t = s->steps - 1; t >= 0; t--) {
        if (dy != NULL)
            add_into(s->dh, dy + (size_t)t * bh, bh);
        lstm_backward(p, batch, x + (size_t)t * bi, s->h + (size_t)t * bh,
                      s->c + (size_t)t * bh, s->cache + (size_t)t * per, s->dh, s->dc,
                      dx ? dx + (size_t)t * bi : NULL, s->dh, s->dc, grad);
    }
    if (dh0 != NULL)
        memcpy(dh0, s->dh, bh * sizeof(float));
    if (dc0 != NULL)
        memcpy(dc0, s->dc, bh * sizeof(float));
    s->ready = 0;
    return TSREC_OK;
}
