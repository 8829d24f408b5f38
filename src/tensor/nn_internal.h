/* Neural building blocks for DeepAR+ and HRNN (GRU4Rec): GRU and LSTM cells
 * (one step and whole sequences, forward and backward), dense and embedding
 * layers, element-wise activations, losses and weight initialisation.
 *
 * Conventions shared by every function here:
 * - float32, contiguous row-major buffers, batch-major: a [B x K] buffer
 *   holds one row of K values per batch row.
 * - Weights use PyTorch's layout so they can be compared with (or loaded
 *   from) torch.nn.GRU/LSTM/Linear: a [rows x cols] matrix W is applied as
 *   y = x * W^T. Recurrent weights stack the gates as rows: GRU r,z,n and
 *   LSTM i,f,g,o, each block H rows.
 * - Gradient outputs named d<param> ACCUMULATE (+=) so several steps or
 *   minibatch pieces add up; the caller zeroes them. Input gradients
 *   (dx, dh_prev, ...) are overwritten.
 * - Hot paths do no allocation: step functions take caller buffers, the
 *   sequence workspace allocates once at init.
 * - Inputs are not scanned for NaN (that would cost a pass per step); NaN
 *   propagates to the outputs. Losses report a non-finite result as
 *   TSREC_E_NAN.
 * - Sizes must be positive and every matrix dimension fit in an int (CBLAS
 *   takes int); otherwise TSREC_E_INVALID_ARG / TSREC_E_SHAPE.
 * - eh may be NULL; failures are recorded on it with tsrec__fail. */
#ifndef TSREC_NN_INTERNAL_H
#define TSREC_NN_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"

/* ---- recurrent cells --------------------------------------------------- */

#define TSREC__GRU_GATES 3  /* r, z, n */
#define TSREC__LSTM_GATES 4 /* i, f, g, o */

/* Views of the parameters (or of their gradients) of one recurrent layer
 * with G gates. Not owned. */
typedef struct tsrec__rnn_params {
    int64_t in;     /* input features */
    int64_t hidden; /* H */
    float *w_ih;    /* [G*H x in] */
    float *w_hh;    /* [G*H x H] */
    float *b_ih;    /* [G*H] */
    float *b_hh;    /* [G*H] */
} tsrec__rnn_params;

/* Number of floats of a layer's parameters: G*H*(in + H + 2); -1 when the
 * sizes are not positive or overflow. */
int64_t tsrec__rnn_param_count(int64_t gates, int64_t in, int64_t hidden);
/* Point p at consecutive slices of `flat` (w_ih, w_hh, b_ih, b_hh), which
 * must hold tsrec__rnn_param_count() floats. Lets an optimizer see all
 * parameters (or gradients) as one vector. */
void tsrec__rnn_params_view(tsrec__rnn_params *p, float *flat, int64_t gates,
                            int64_t in, int64_t hidden);

/* GRU (PyTorch/GRU4Rec form):
 *   r = sig(x W_ir^T + b_ir + h W_hr^T + b_hr)
 *   z = sig(x W_iz^T + b_iz + h W_hz^T + b_hz)
 *   n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))
 *   h' = (1 - z) * n + z * h
 * The per-step cache holds the activations backward needs:
 * tsrec__gru_cache_floats(B, H) = 6*B*H floats (-1 on overflow). */
int64_t tsrec__gru_cache_floats(int64_t batch, int64_t hidden);

/* x [B x in], h_prev [B x H] -> h_out [B x H]; fills cache. h_out may be
 * h_prev (in-place state update) when no backward will follow. */
int tsrec__gru_step_forward(tsrec__handle *eh, const tsrec__rnn_params *p,
                            int64_t batch, const float *x, const float *h_prev,
                            float *h_out, float *cache);

/* Backward of one step given dh_out = dL/dh' [B x H]. Consumes the cache
 * (it is overwritten with the gate gradients). Writes dx [B x in] (NULL to
 * skip) and dh_prev [B x H] (may be the same buffer as dh_out), and
 * accumulates into grad. x and h_prev must be the forward inputs. */
int tsrec__gru_step_backward(tsrec__handle *eh, const tsrec__rnn_params *p,
                             int64_t batch, const float *x, const float *h_prev,
                             float *cache, const float *dh_out, float *dx,
                             float *dh_prev, tsrec__rnn_params *grad);

/* LSTM (PyTorch form, gates i, f, g, o):
 *   c' = f * c + i * g,  h' = o * tanh(c')
 * tsrec__lstm_cache_floats(B, H) = 5*B*H floats (-1 on overflow). */
int64_t tsrec__lstm_cache_floats(int64_t batch, int64_t hidden);

/* x [B x in], h_prev, c_prev [B x H] -> h_out, c_out [B x H]; fills cache.
 * c_out may be c_prev and h_out may be h_prev when no backward follows. */
int tsrec__lstm_step_forward(tsrec__handle *eh, const tsrec__rnn_params *p,
                             int64_t batch, const float *x, const float *h_prev,
                             const float *c_prev, float *h_out, float *c_out,
                             float *cache);

/* Backward of one step: dh_out [B x H] and dc_out [B x H] (NULL = zero:
 * the cell state feeds nothing later). Consumes the cache. Writes dx (NULL
 * to skip), dh_prev and dc_prev (each may alias dh_out / dc_out; dc_prev
 * may be NULL) and accumulates into grad. */
int tsrec__lstm_step_backward(tsrec__handle *eh, const tsrec__rnn_params *p,
                              int64_t batch, const float *x, const float *h_prev,
                              const float *c_prev, float *cache,
                              const float *dh_out, const float *dc_out, float *dx,
                              float *dh_prev, float *dc_prev,
                              tsrec__rnn_params *grad);

/* ---- sequences (backpropagation through time) ------------------------- */

#define TSREC__CELL_GRU 1
#define TSREC__CELL_LSTM 2

/* Workspace for T steps of one layer: per-step caches and the states h_0..h_T
 * (and c_0..c_T for LSTM). Allocated once by init, reused across batches
 * of at most batch_cap rows and steps_cap steps. */
typedef struct tsrec__rnn_seq {
    int32_t cell;
    int32_t ready;      /* a forward ran and its caches are unconsumed */
    int64_t in, hidden, batch_cap, steps_cap;
    int64_t batch, steps; /* of the last forward */
    float *cache;       /* steps_cap x cache floats */
    float *h;           /* (steps_cap + 1) x B x H */
    float *c;           /* LSTM: (steps_cap + 1) x B x H, else NULL */
    float *dh;          /* B x H carried gradient */
    float *dc;          /* LSTM: B x H carried gradient */
} tsrec__rnn_seq;

/* TSREC_OK, TSREC_E_INVALID_ARG or TSREC_E_NOMEM. On failure *s is empty
 * and safe to free. */
int tsrec__rnn_seq_init(tsrec__rnn_seq *s, tsrec_ctx *ctx, tsrec__handle *eh,
                        int32_t cell, int64_t in, int64_t hidden,
                        int64_t batch_cap, int64_t steps_cap);
void tsrec__rnn_seq_free(tsrec__rnn_seq *s, tsrec_ctx *ctx);
/* Hidden state h_t of the last forward (t = 0 is the initial state, t = T
 * the last output); rows are `batch` long. NULL when t is out of range. */
const float *tsrec__rnn_seq_hidden(const tsrec__rnn_seq *s, int64_t t);
/* Cell state c_t (LSTM only). */
const float *tsrec__rnn_seq_cell(const tsrec__rnn_seq *s, int64_t t);

/* x is [T x B x in] (time-major). h0/c0 [B x H], NULL = zeros. */
int tsrec__gru_seq_forward(tsrec__rnn_seq *s, tsrec__handle *eh,
                           const tsrec__rnn_params *p, int64_t batch,
                           int64_t steps, const float *x, const float *h0);
int tsrec__lstm_seq_forward(tsrec__rnn_seq *s, tsrec__handle *eh,
                            const tsrec__rnn_params *p, int64_t batch,
                            int64_t steps, const float *x, const float *h0,
                            const float *c0);

/* BPTT over the last forward (which it consumes: a second backward without
 * a new forward is TSREC_E_MISUSE). dy [T x B x H] = dL/dh_t for t = 1..T
 * (NULL = zero), dh_last/dc_last [B x H] extra gradient on the final state
 * (NULL = zero). Writes dx [T x B x in] and dh0/dc0 [B x H] (each NULL to
 * skip); accumulates into grad. */
int tsrec__gru_seq_backward(tsrec__rnn_seq *s, tsrec__handle *eh,
                            const tsrec__rnn_params *p, const float *x,
                            const float *dy, const float *dh_last, float *dx,
                            float *dh0, tsrec__rnn_params *grad);
int tsrec__lstm_seq_backward(tsrec__rnn_seq *s, tsrec__handle *eh,
                             const tsrec__rnn_params *p, const float *x,
                             const float *dy, const float *dh_last,
                             const float *dc_last, float *dx, float *dh0,
                             float *dc0, tsrec__rnn_params *grad);

/* ---- dense and embedding layers ---------------------------------------- */

/* y [B x out] = x [B x in] * w^T + b, w [out x in], b [out] or NULL. */
int tsrec__dense_forward(tsrec__handle *eh, const float *w, const float *b,
                         int64_t batch, int64_t in, int64_t out, const float *x,
                         float *y);
/* Given dy [B x out]: dx = dy * w (NULL to skip), dw += dy^T x, db +=
 * column sums of dy (dw, db NULL to skip). */
int tsrec__dense_backward(tsrec__handle *eh, const float *w, int64_t batch,
                          int64_t in, int64_t out, const float *x,
                          const float *dy, float *dx, float *dw, float *db);

/* out[k] = table[idx[k]] for k < n (rows of `dim` floats). Any index
 * outside [0, rows) gives TSREC_E_OUT_OF_RANGE and leaves out unspecified. */
int tsrec__embedding_forward(tsrec__handle *eh, const float *table,
                             int64_t rows, int64_t dim, const int64_t *idx,
                             int64_t n, float *out);
/* dtable[idx[k]] += dy[k]; indices may repeat (their rows add up). All
 * indices are checked before anything is written. */
int tsrec__embedding_backward(tsrec__handle *eh, float *dtable, int64_t rows,
                              int64_t dim, const int64_t *idx, int64_t n,
                              const float *dy);

/* ---- activations -------------------------------------------------------- */

#define TSREC__ACT_IDENTITY 0
#define TSREC__ACT_SIGMOID 1
#define TSREC__ACT_TANH 2
#define TSREC__ACT_RELU 3
#define TSREC__ACT_SOFTPLUS 4 /* log(1 + e^x), DeepAR's positive outputs */

/* y = act(x) element-wise over n floats; y may be x. */
int tsrec__act_forward(tsrec__handle *eh, int32_t act, int64_t n,
                       const float *x, float *y);
/* dx = dy * act'(x), from the forward input x and output y; dx may be dy. */
int tsrec__act_backward(tsrec__handle *eh, int32_t act, int64_t n,
                        const float *x, const float *y, const float *dy,
                        float *dx);

/* ---- losses (mean over the batch) ---------------------------------------- */

/* Softmax cross-entropy of logits [B x C] against target classes [B]:
 * mean_b (logsumexp(logits_b) - logits_b[target_b]). dlogits (NULL to skip)
 * is overwritten with the gradient (softmax - onehot) / B. */
int tsrec__loss_softmax_xent(tsrec__handle *eh, int64_t batch, int64_t classes,
                             const float *logits, const int64_t *target,
                             double *out_loss, float *dlogits);

/* GRU4Rec session-parallel ranking losses over a score matrix [B x M]
 * (M >= B): row b scores M items for session b, its positive item is
 * column b, the other columns (the other sessions' targets plus any extra
 * sampled items) are negatives. As in GRU4Rec every column, diagonal
 * included, enters the means:
 *   BPR  = mean_{b,j} -log sig(s_bb - s_bj)
 *   TOP1 = mean_b [ mean_j (sig(s_bj - s_bb) + sig(s_bj^2)) - sig(s_bb^2) / M ]
 * (the last TOP1 term removes the positive's own regulariser). dscores
 * (NULL to skip) is overwritten with the gradient. */
int tsrec__loss_bpr(tsrec__handle *eh, int64_t batch, int64_t cols,
                    const float *scores, double *out_loss, float *dscores);
int tsrec__loss_top1(tsrec__handle *eh, int64_t batch, int64_t cols,
                     const float *scores, double *out_loss, float *dscores);

/* ---- weight initialisation (layers_init.c) ------------------------------- */

struct tsrec__rng;

#define TSREC__INIT_UNIFORM 0 /* U(-1/sqrt(H), 1/sqrt(H)) on everything, as PyTorch */
#define TSREC__INIT_XAVIER 1  /* Xavier-uniform weights per gate block, zero biases */

/* w[i] ~ U(-bound, bound) for i < n. */
void tsrec__nn_init_uniform(float *w, int64_t n, float bound,
                            struct tsrec__rng *rng);
/* Xavier/Glorot uniform for a [fan_out x fan_in] matrix. */
void tsrec__nn_init_xavier(float *w, int64_t fan_out, int64_t fan_in,
                           struct tsrec__rng *rng);
/* Initialise a recurrent layer with `gates` gates. forget_bias (LSTM only,
 * ignored for GRU) is added to b_ih of the f gate after the draw, with the
 * matching b_hh slice zeroed, so the f pre-activation starts near it. */
int tsrec__rnn_init(tsrec__handle *eh, tsrec__rnn_params *p, int64_t gates,
                    int32_t scheme, float forget_bias, struct tsrec__rng *rng);
/* Dense layer w [out x in], b [out] (may be NULL); PyTorch's Linear default
 * is U(+-1/sqrt(in)) for both. */
int tsrec__dense_init(tsrec__handle *eh, float *w, float *b, int64_t in,
                      int64_t out, int32_t scheme, struct tsrec__rng *rng);

#endif /* TSREC_NN_INTERNAL_H */
