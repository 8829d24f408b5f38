/* Status names, per-handle error messages and the thread-local last error. */
#include <stdio.h>
#include <string.h>

#include "core_internal.h"

static _Thread_local char tls_errmsg[TSREC__ERRMSG_MAX];

const char *tsrec_status_str(int status)
{
    switch (status) {
    case TSREC_OK: return "TSREC_OK";
    case TSREC_E_MISUSE: return "TSREC_E_MISUSE";
    case TSREC_E_INVALID_ARG: return "TSREC_E_INVALID_ARG";
    case TSREC_E_UNKNOWN_NAME: return "TSREC_E_UNKNOWN_NAME";
    case TSREC_E_BAD_TYPE: return "TSREC_E_BAD_TYPE";
    case TSREC_E_OUT_OF_RANGE: return "TSREC_E_OUT_OF_RANGE";
    case TSREC_E_UNSUPPORTED: return "TSREC_E_UNSUPPORTED";
    case TSREC_E_CANCELLED: return "TSREC_E_CANCELLED";
    case TSREC_E_EXISTS: return "TSREC_E_EXISTS";
    case TSREC_E_NOMEM: return "TSREC_E_NOMEM";
    case TSREC_E_IO: return "TSREC_E_IO";
    case TSREC_E_THREAD: return "TSREC_E_THREAD";
    case TSREC_E_SHAPE: return "TSREC_E_SHAPE";
    case TSREC_E_NAN: return "TSREC_E_NAN";
    case TSREC_E_EMPTY: return "TSREC_E_EMPTY";
    case TSREC_E_PARSE: return "TSREC_E_PARSE";
    case TSREC_E_DUPLICATE: return "TSREC_E_DUPLICATE";
    case TSREC_E_SCHEMA: return "TSREC_E_SCHEMA";
    case TSREC_E_NOT_CONVERGED: return "TSREC_E_NOT_CONVERGED";
    case TSREC_E_SINGULAR: return "TSREC_E_SINGULAR";
    case TSREC_E_NUMERIC: return "TSREC_E_NUMERIC";
    case TSREC_E_FORMAT: return "TSREC_E_FORMAT";
    case TSREC_E_VERSION: return "TSREC_E_VERSION";
    case TSREC_E_PLUGIN: return "TSREC_E_PLUGIN";
    default: return "TSREC_E_UNKNOWN";
    }
}

void tsrec__handle_init(tsrec__handle *h, uint32_t magic, struct tsrec_ctx *ctx)
{
    h->magic = magic;
    h->status = TSREC_OK;
    h->ctx = ctx;
    h->errmsg[0] = '\0';
}

void tsrec__handle_retire(tsrec__handle *h)
{
    h->magic = TSREC__MAGIC_FREED;
}

int tsrec__handle_is(const void *h, uint32_t magic)
{
    return h != NULL && ((const tsrec__handle *)h)->magic == magic;
}

int tsrec__vfail(tsrec__handle *h, int status, const char *fmt, va_list ap)
{
    char buf[TSREC__ERRMSG_MAX];
    vsnprintf(buf, sizeof buf, fmt, ap);
    memcpy(tls_errmsg, buf, sizeof buf);
    if (h != NULL) {
        memcpy(h->errmsg, buf, sizeof buf);
        h->status = status;
    }
    return status;
}

int tsrec__fail(tsrec__handle *h, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tsrec__vfail(h, status, fmt, ap);
    va_end(ap);
    return status;
}

int tsrec__fail_tls(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tsrec__vfail(NULL, status, fmt, ap);
    va_end(ap);
    return status;
}

int tsrec__ok(tsrec__handle *h)
{
    if (h != NULL) {
        h->status = TSREC_OK;
        h->errmsg[0] = '\0';
    }
    return TSREC_OK;
}

int tsrec__check_handle(const void *h, uint32_t magic, const char *fn,
                        const char *type)
{
    if (h == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE, "%s: %s handle is NULL", fn, type);
    uint32_t m = ((const tsrec__handle *)h)->magic;
    if (m == magic)
        return TSREC_OK;
    if (m == TSREC__MAGIC_FREED)
        return tsrec__fail_tls(TSREC_E_MISUSE, "%s: %s handle was already freed", fn, type);
    return tsrec__fail_tls(TSREC_E_MISUSE, "%s: not a %s handle", fn, type);
}

/* A handle is recognised by its magic: any of the live tsrec magics share
 * the "TS" prefix in the two high bytes. */
static int looks_like_handle(const tsrec__handle *h)
{
    return (h->magic >> 16) == 0x5453u;
}

const char *tsrec_errmsg(const void *handle)
{
    if (handle == NULL)
        return "tsrec_errmsg: handle is NULL";
    const tsrec__handle *h = handle;
    if (h->magic == TSREC__MAGIC_FREED)
        return "tsrec_errmsg: handle was already freed";
    if (!looks_like_handle(h))
        return "tsrec_errmsg: not a libtsrec handle";
    return h->errmsg;
}

int tsrec_errcode(const void *handle)
{
    if (handle == NULL)
        return TSREC_E_MISUSE;
    const tsrec__handle *h = handle;
    if (!looks_like_handle(h))
        return TSREC_E_MISUSE;
    return h->status;
}

const char *tsrec_last_error(void)
{
    return tls_errmsg;
}
