/* libtsrec: the context (allocator, limits, threads, seed, callbacks).
 *
 * A tsrec_ctx owns everything that would otherwise be process-global. Every
 * other handle is created from a ctx and must be freed before it. A ctx is
 * used by one thread at a time (thread-safety class: per-handle); its
 * allocator and callbacks may be called from the ctx's worker threads. */
#ifndef TSREC_CTX_H
#define TSREC_CTX_H

#include <stddef.h>
#include <stdint.h>

#include <tsrec/export.h>

TSREC_BEGIN_DECLS

typedef struct tsrec_ctx tsrec_ctx;

/* Allocator hooks. alloc/realloc return memory aligned to at least `align`
 * bytes (a power of two, <= 4096) or NULL. free gets the size that was
 * allocated. Every libtsrec allocation goes through these; OpenBLAS and
 * LAPACKE internal workspaces do not. All three must be thread-safe when the
 * ctx uses more than one thread. */
typedef struct tsrec_allocator {
    void *(*alloc)(void *user_data, size_t size, size_t align);
    void *(*realloc)(void *user_data, void *ptr, size_t old_size,
                     size_t new_size, size_t align);
    void (*free)(void *user_data, void *ptr, size_t size);
    void *user_data;
} tsrec_allocator;

/* Log levels passed to the log callback. */
#define TSREC_LOG_ERROR 1
#define TSREC_LOG_WARN 2
#define TSREC_LOG_INFO 3
#define TSREC_LOG_DEBUG 4

/* Called on the caller's thread with a NUL-terminated message. */
typedef void (*tsrec_log_fn)(void *user_data, int32_t level, const char *msg);
/* Progress of a long operation: `what` names it, done/total in its units. */
typedef void (*tsrec_progress_fn)(void *user_data, const char *what,
                                  int64_t done, int64_t total);
/* Return non-zero to ask the running operation to stop with
 * TSREC_E_CANCELLED. Polled between work items; may be called from worker
 * threads, so it must be thread-safe. */
typedef int (*tsrec_cancel_fn)(void *user_data);

/* Options for tsrec_ctx_new. Size-prefixed: always fill with
 * tsrec_ctx_options_init() first, then change fields. The library reads
 * only the fields that fit in struct_size, so programs built against older
 * headers keep working. */
typedef struct tsrec_ctx_options {
    uint32_t struct_size;
    uint32_t reserved0;
    tsrec_allocator allocator; /* all NULL: the C library's allocator */
    size_t memory_limit;       /* bytes of live allocations; 0 = none */
    int32_t n_threads;         /* worker threads for internal parallelism; default 1 */
    int32_t reserved1;
    uint64_t seed;             /* default 42 */
    tsrec_log_fn log;
    void *log_user_data;
    int32_t log_level;         /* messages above this level are dropped; default TSREC_LOG_WARN */
    int32_t reserved2;
    tsrec_progress_fn progress;
    void *progress_user_data;
    tsrec_cancel_fn cancel;
    void *cancel_user_data;
} tsrec_ctx_options;

/* Fill *opts with defaults and set struct_size. Returns TSREC_E_MISUSE on NULL. */
TSREC_API int tsrec_ctx_options_init(tsrec_ctx_options *opts);

/* Create a ctx. opts may be NULL for defaults. On failure *out_ctx is NULL
 * and the message is in tsrec_last_error(). */
TSREC_API int tsrec_ctx_new(const tsrec_ctx_options *opts, tsrec_ctx **out_ctx);

/* Free a ctx. NULL is a no-op. Objects created from it must be freed first;
 * live allocations still outstanding are reported through the log. */
TSREC_API void tsrec_ctx_free(tsrec_ctx *ctx);

/* Change settings after creation. */
TSREC_API int tsrec_ctx_set_threads(tsrec_ctx *ctx, int32_t n_threads);
TSREC_API int tsrec_ctx_set_seed(tsrec_ctx *ctx, uint64_t seed);
TSREC_API int tsrec_ctx_set_memory_limit(tsrec_ctx *ctx, size_t bytes);
TSREC_API int tsrec_ctx_get_threads(const tsrec_ctx *ctx, int32_t *out_n_threads);
TSREC_API int tsrec_ctx_get_seed(const tsrec_ctx *ctx, uint64_t *out_seed);

/* Allocation accounting: bytes currently live, the peak since creation (or
 * the last reset) and the number of live allocations. Any out pointer may
 * be NULL. */
TSREC_API int tsrec_ctx_memory_stats(const tsrec_ctx *ctx, size_t *out_live,
                                     size_t *out_peak, int64_t *out_count);
TSREC_API int tsrec_ctx_reset_peak(tsrec_ctx *ctx);

TSREC_END_DECLS

#endif /* TSREC_CTX_H */
