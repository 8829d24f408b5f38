/* Thread pool with deterministic, static work partitioning.
 *
 * Chunk c of a job always runs on worker c % n_workers, so which thread does
 * which items never depends on timing. Failures are resolved to the
 * lowest-numbered failing chunk: chunks after a known failure are skipped,
 * chunks before it still run, so the reported status is the same on every
 * run. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "pool_internal.h"

typedef struct job {
    tsrec__range_fn fn;
    void *arg;
    int64_t n, grain, n_chunks;
    atomic_llong first_fail;  /* lowest failing chunk index, or n_chunks */
    int status_at_fail;       /* guarded by the pool mutex */
    tsrec_ctx *ctx;
} job;

typedef struct worker_slot {
    struct tsrec__pool *pool;
    int32_t id;
    pthread_t thread;
} worker_slot;

struct tsrec__pool {
    tsrec_ctx *ctx;
    int32_t n_workers;        /* including the caller (worker 0) */
    worker_slot *slots;       /* n_workers - 1 threads, ids 1.. */
    pthread_mutex_t mu;
    pthread_cond_t wake;      /* a new job or shutdown */
    pthread_cond_t done;      /* a worker finished its share */
    uint64_t generation;      /* bumped per job */
    int32_t pending;          /* workers still running the current job */
    int shutdown;
    job *current;
};

static void record_fail(tsrec__pool *p, job *j, int64_t chunk, int status)
{
    pthread_mutex_lock(&p->mu);
    if (chunk < atomic_load(&j->first_fail)) {
        atomic_store(&j->first_fail, chunk);
        j->status_at_fail = status;
    }
    pthread_mutex_unlock(&p->mu);
}

static void run_share(tsrec__pool *p, job *j, int32_t worker)
{
    for (int64_t c = worker; c < j->n_chunks; c += p->n_workers) {
        if (c > atomic_load(&j->first_fail))
            return; /* a lower chunk failed: the rest is moot */
        if (tsrec__cancelled(j->ctx)) {
            record_fail(p, j, c, TSREC_E_CANCELLED);
            return;
        }
        int64_t begin = c * j->grain;
        int64_t end = begin + j->grain < j->n ? begin + j->grain : j->n;
        int rc = j->fn(j->arg, begin, end, worker);
        if (rc != TSREC_OK) {
            record_fail(p, j, c, rc);
            return;
        }
    }
}

static void *worker_main(void *arg)
{
    worker_slot *slot = arg;
    tsrec__pool *p = slot->pool;
    uint64_t seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->shutdown && p->generation == seen)
            pthread_cond_wait(&p->wake, &p->mu);
        if (p->shutdown)
            break;
        seen = p->generation;
        job *j = p->current;
        pthread_mutex_unlock(&p->mu);
        run_share(p, j, slot->id);
        pthread_mutex_lock(&p->mu);
        if (--p->pending == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int tsrec__pool_new(tsrec_ctx *ctx, int32_t n_threads, tsrec__pool **out)
{
    *out = NULL;
    if (n_threads < 1)
        n_threads = 1;
    tsrec__pool *p = tsrec__calloc(ctx, 1, sizeof *p);
    if (p == NULL)
        return TSREC_E_NOMEM;
    p->ctx = ctx;
    p->n_workers = n_threads;
    if (n_threads > 1) {
        p->slots = tsrec__calloc(ctx, (size_t)n_threads - 1, sizeof *p->slots);
        if (p->slots == NULL) {
            tsrec__free(ctx, p);
            return TSREC_E_NOMEM;
        }
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int32_t i = 0; i < n_threads - 1; i++) {
        p->slots[i].pool = p;
        p->slots[i].id = i + 1;
        if (pthread_create(&p->slots[i].thread, NULL, worker_main, &p->slots[i]) != 0) {
            p->n_workers = i + 1; /* join only the threads that started */
            tsrec__pool_free(p);
            return TSREC_E_THREAD;
        }
    }
    *out = p;
    return TSREC_OK;
}

void tsrec__pool_free(tsrec__pool *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->shutdown = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    for (int32_t i = 0; i < p->n_workers - 1; i++)
        pthread_join(p->slots[i].thread, NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->done);
    tsrec__free(p->ctx, p->slots);
    tsrec__free(p->ctx, p);
}

int32_t tsrec__pool_size(const tsrec__pool *p)
{
    return p ? p->n_workers : 1;
}

int32_t tsrec__ctx_workers(const tsrec_ctx *ctx)
{
    return ctx->n_threads;
}

static int run_serial(tsrec_ctx *ctx, int64_t n, int64_t grain, tsrec__range_fn fn, void *arg)
{
    for (int64_t begin = 0; begin < n; begin += grain) {
        if (tsrec__cancelled(ctx))
            return TSREC_E_CANCELLED;
        int64_t end = begin + grain < n ? begin + grain : n;
        int rc = fn(arg, begin, end, 0);
        if (rc != TSREC_OK)
            return rc;
    }
    return TSREC_OK;
}

int tsrec__parallel_for(tsrec_ctx *ctx, int64_t n, int64_t grain, tsrec__range_fn fn, void *arg)
{
    if (n <= 0)
        return TSREC_OK;
    int32_t threads = ctx->n_threads;
    if (grain <= 0) {
        grain = n / (4 * (int64_t)threads);
        if (grain < 1)
            grain = 1;
    }
    int64_t n_chunks = (n + grain - 1) / grain;
    if (threads <= 1 || n_chunks == 1)
        return run_serial(ctx, n, grain, fn, arg);
    if (ctx->pool == NULL) {
        int rc = tsrec__pool_new(ctx, threads, &ctx->pool);
        if (rc != TSREC_OK)
            return rc;
    }
    tsrec__pool *p = ctx->pool;
    job j = {.fn = fn, .arg = arg, .n = n, .grain = grain, .n_chunks = n_chunks,
             .status_at_fail = TSREC_OK, .ctx = ctx};
    atomic_init(&j.first_fail, n_chunks);
    pthread_mutex_lock(&p->mu);
    p->current = &j;
    p->pending = p->n_workers - 1;
    p->generation++;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    run_share(p, &j, 0);
    pthread_mutex_lock(&p->mu);
    while (p->pending > 0)
        pthread_cond_wait(&p->done, &p->mu);
    p->current = NULL;
    int status = j.status_at_fail;
    pthread_mutex_unlock(&p->mu);
    return status;
}
