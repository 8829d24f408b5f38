/* Thread pool with deterministic work partitioning (src/core/pool.c).
 *
 * Work over an index range [0, n) is cut into chunks whose boundaries depend
 * only on n and the grain (never on timing), and chunk c always goes to
 * worker c % n_workers, so the same seed and thread count give bit-identical
 * results as long as each chunk's work depends only on its indices (and on
 * per-worker RNG streams split from the ctx seed by worker id). */
#ifndef TSREC_POOL_INTERNAL_H
#define TSREC_POOL_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"

typedef struct tsrec__pool tsrec__pool;

/* Work on items [begin, end) as worker `worker` (0 .. n_workers-1).
 * Returns TSREC_OK or a status; a failure stops the remaining chunks. */
typedef int (*tsrec__range_fn)(void *arg, int64_t begin, int64_t end,
                               int32_t worker);

/* Create n_threads - 1 worker threads (the caller's thread is worker 0). */
int tsrec__pool_new(tsrec_ctx *ctx, int32_t n_threads, tsrec__pool **out);
void tsrec__pool_free(tsrec__pool *pool);
int32_t tsrec__pool_size(const tsrec__pool *pool);

/* Run fn over [0, n) in chunks of `grain` items (grain <= 0: n / (4 *
 * threads), at least 1) on the ctx pool (created on first use from
 * ctx->n_threads). The ctx cancel callback is polled before each chunk:
 * TSREC_E_CANCELLED is returned once it fires. When chunks fail, the status
 * of the lowest-numbered failing chunk is returned (deterministic). With one
 * thread everything runs on the caller's thread, in order. */
int tsrec__parallel_for(tsrec_ctx *ctx, int64_t n, int64_t grain,
                        tsrec__range_fn fn, void *arg);

/* Number of workers tsrec__parallel_for will use for this ctx. */
int32_t tsrec__ctx_workers(const tsrec_ctx *ctx);

#endif /* TSREC_POOL_INTERNAL_H */
