/* Internal core services shared by every module: handle headers, the ctx,
 * allocation through the ctx allocator, error recording, log, progress and
 * cancel. Never installed. Every non-static symbol is tsrec__-prefixed. */
#ifndef TSREC_CORE_INTERNAL_H
#define TSREC_CORE_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "tsrec/ctx.h"
#include "tsrec/error.h"

/* ---- handles ---------------------------------------------------------- */

/* Magic numbers, one per handle type. A freed handle has its magic set to
 * TSREC__MAGIC_FREED so a use after free is caught while the memory has not
 * been reused. */
#define TSREC__MAGIC_CTX 0x54534331u   /* "TSC1" */
#define TSREC__MAGIC_FREED 0xDEADF4EEu

#define TSREC__ERRMSG_MAX 512

/* Every handle struct starts with this header. */
typedef struct tsrec__handle {
    uint32_t magic;
    int32_t status;                 /* last status on this handle */
    struct tsrec_ctx *ctx;          /* owning ctx (self for a ctx) */
    char errmsg[TSREC__ERRMSG_MAX]; /* last failure message, "" after success */
} tsrec__handle;

/* Is h a live handle of the given type? NULL-safe. */
int tsrec__handle_is(const void *h, uint32_t magic);
/* Initialise / retire a header. */
void tsrec__handle_init(tsrec__handle *h, uint32_t magic, struct tsrec_ctx *ctx);
void tsrec__handle_retire(tsrec__handle *h);

/* Record a failure on a handle (and in the thread-local last error) and
 * return `status`, so callers can write `return tsrec__fail(h, ...)`.
 * h may be NULL: only the thread-local error is set. Never allocates. */
int tsrec__fail(tsrec__handle *h, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int tsrec__vfail(tsrec__handle *h, int status, const char *fmt, va_list ap);
/* Mark success on a handle: clears its message. Returns TSREC_OK. */
int tsrec__ok(tsrec__handle *h);
/* Set only the thread-local error (used for NULL/invalid handles). */
int tsrec__fail_tls(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Check a handle on entry of a public function: returns TSREC_OK or records
 * TSREC_E_MISUSE in the thread-local error naming `fn` and `type`. */
int tsrec__check_handle(const void *h, uint32_t magic, const char *fn,
                        const char *type);

/* Entry check for public functions: returns TSREC_E_MISUSE from the
 * calling function when h is NULL, freed or of another type. */
#define TSREC__CHECK(h, magic, fn, type)                                   \
    do {                                                                   \
        int rc_check_ = tsrec__check_handle((h), (magic), (fn), (type));   \
        if (rc_check_ != TSREC_OK)                                         \
            return rc_check_;                                              \
    } while (0)

/* ---- ctx -------------------------------------------------------------- */

struct tsrec__pool; /* thread pool, src/core/pool.c */

struct tsrec_ctx {
    tsrec__handle hdr;
    tsrec_allocator alloc;
    size_t memory_limit;          /* 0 = none */
    atomic_size_t live_bytes;
    atomic_size_t peak_bytes;
    atomic_llong live_count;
    atomic_llong total_count;     /* allocations ever made */
    int32_t n_threads;
    uint64_t seed;
    tsrec_log_fn log;
    void *log_user_data;
    int32_t log_level;
    tsrec_progress_fn progress;
    void *progress_user_data;
    tsrec_cancel_fn cancel;
    void *cancel_user_data;
    struct tsrec__pool *pool;     /* created lazily for n_threads > 1 */
};

/* ---- allocation -------------------------------------------------------- */

/* All internal allocations go through these. Memory from tsrec__alloc is
 * 16-byte aligned, from tsrec__alloc_aligned `align`-aligned (power of two,
 * >= 16, <= 4096). A small header before the block records its size, so
 * tsrec__free needs no size. They return NULL when the allocator fails or
 * the ctx memory limit would be exceeded; they never record an error (the
 * caller does, with TSREC_E_NOMEM). Thread-safe. */
void *tsrec__alloc(tsrec_ctx *ctx, size_t size);
void *tsrec__calloc(tsrec_ctx *ctx, size_t n, size_t size); /* zeroed; overflow-checked */
void *tsrec__alloc_aligned(tsrec_ctx *ctx, size_t size, size_t align);
/* Like C realloc; on failure the old block is untouched and NULL returned.
 * ptr NULL behaves as tsrec__alloc. Keeps the block's alignment. */
void *tsrec__realloc(tsrec_ctx *ctx, void *ptr, size_t new_size);
void tsrec__free(tsrec_ctx *ctx, void *ptr); /* NULL is a no-op */
/* Size requested for a live block. */
size_t tsrec__alloc_size(const void *ptr);
/* Copy a NUL-terminated string (NULL on failure). */
char *tsrec__strdup(tsrec_ctx *ctx, const char *s);
/* n*size with overflow check: returns 0 and sets *out on success, -1 on
 * overflow. */
int tsrec__mul_size(size_t n, size_t size, size_t *out);

/* ---- log, progress, cancel ------------------------------------------- */

void tsrec__log(tsrec_ctx *ctx, int32_t level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void tsrec__progress(tsrec_ctx *ctx, const char *what, int64_t done, int64_t total);
/* Non-zero if the ctx cancel callback asks to stop. Thread-safe. */
int tsrec__cancelled(tsrec_ctx *ctx);

/* ---- misc ------------------------------------------------------------- */

#define TSREC__MIN(a, b) ((a) < (b) ? (a) : (b))
#define TSREC__MAX(a, b) ((a) > (b) ? (a) : (b))
#define TSREC__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* TSREC_CORE_INTERNAL_H */
