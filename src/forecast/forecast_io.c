/* Small output helpers for the forecast workflow: a growable text buffer
 * for CSV, shortest round-trip doubles (locale-independent, through the
 * params formatter) and whole-file writes. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "params_internal.h"
#include "predictor_internal.h"

void tsrec__tb_init(tsrec__textbuf *t, tsrec_ctx *ctx)
{
    memset(t, 0, sizeof(*t));
    t->ctx = ctx;
}

void tsrec__tb_free(tsrec__textbuf *t)
{
    tsrec__free(t->ctx, t->p);
    t->p = NULL;
    t->len = t->cap = 0;
}

static int reserve(tsrec__textbuf *t, size_t extra)
{
    if (t->status != TSREC_OK)
        return 0;
    if (t->len + extra + 1 <= t->cap)
        return 1;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            t->status = TSREC_E_NOMEM;
            return 0;
        }
        cap *= 2;
    }
    char *p = tsrec__realloc(t->ctx, t->p, cap);
    if (p == NULL) {
        t->status = TSREC_E_NOMEM;
        return 0;
    }
    t->p = p;
    t->cap = cap;
    return 1;
}

static void put(tsrec__textbuf *t, const char *s, size_t n)
{
    if (!reserve(t, n))
        return;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

void tsrec__tb_puts(tsrec__textbuf *t, const char *s)
{
    put(t, s, strlen(s));
}

void tsrec__tb_printf(tsrec__textbuf *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf) {
        t->status = t->status != TSREC_OK ? t->status : TSREC_E_INVALID_ARG;
        return;
    }
    put(t, buf, (size_t)n);
}

void tsrec__tb_csv_field(tsrec__textbuf *t, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        tsrec__tb_puts(t, s);
        return;
    }
    put(t, "\"", 1);
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            put(t, "\"", 1);
        put(t, c, 1);
    }
    put(t, "\"", 1);
}

static const tsrec__param_def DOUBLE_DEF =
    TSREC__PARAM_DEF_DOUBLE("value", "0", -HUGE_VAL, HUGE_VAL, "a value");

void tsrec__tb_double(tsrec__textbuf *t, double v)
{
    if (!isfinite(v))
        return;
    char buf[64];
    tsrec__param_value pv;
    memset(&pv, 0, sizeof pv);
    pv.d = v;
    size_t n = tsrec__param_format_value(&DOUBLE_DEF, &pv, buf, sizeof buf);
    if (n >= sizeof buf) {
        t->status = t->status != TSREC_OK ? t->status : TSREC_E_INVALID_ARG;
        return;
    }
    put(t, buf, n);
}

int tsrec__write_file(tsrec__handle *eh, const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return tsrec__fail(eh, TSREC_E_IO, "cannot create '%s': %s", path, strerror(errno));
    size_t w = len > 0 ? fwrite(text, 1, len, f) : 0;
    int bad = w != len;
    if (fclose(f) != 0)
        bad = 1;
    if (bad) {
        remove(path);
        return tsrec__fail(eh, TSREC_E_IO, "cannot write '%s'", path);
    }
    return TSREC_OK;
}
