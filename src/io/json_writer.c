/* JSON writer for AWS-shaped outputs: see json_internal.h. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"
#include "utf8_internal.h"

void tsrec__jw_init(tsrec__json_writer *w, tsrec_ctx *ctx)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
}

void tsrec__jw_free(tsrec__json_writer *w)
{
    if (w == NULL)
        return;
    tsrec__free(w->ctx, w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

static int set_error(tsrec__json_writer *w, int status, const char *why)
{
    if (w->status == TSREC_OK) {
        w->status = status;
        snprintf(w->why, sizeof w->why, "%s", why);
    }
    return w->status;
}

/* Room for n more bytes plus the final NUL. */
static int reserve(tsrec__json_writer *w, size_t n)
{
    if (w->status != TSREC_OK)
        return w->status;
    if (n > SIZE_MAX - w->len - 1)
        return set_error(w, TSREC_E_NOMEM, "JSON text too large");
    size_t need = w->len + n + 1;
    if (need <= w->cap)
        return TSREC_OK;
    size_t ncap = w->cap < 256 ? 256 : w->cap;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    char *nb = tsrec__realloc(w->ctx, w->buf, ncap);
    if (nb == NULL)
        return set_error(w, TSREC_E_NOMEM, "out of memory writing JSON");
    w->buf = nb;
    w->cap = ncap;
    return TSREC_OK;
}

static void put(tsrec__json_writer *w, const char *s, size_t n)
{
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

/* Before any value: a comma if the container already has one, and a
 * check that object members come as key then value. */
static int before_value(tsrec__json_writer *w)
{
    if (w->status != TSREC_OK)
        return w->status;
    if (w->depth == 0) {
        if (w->has_items[0])
            return set_error(w, TSREC_E_MISUSE, "JSON writer: a second top-level value");
        w->has_items[0] = 1;
        return TSREC_OK;
    }
    if (w->is_object[w->depth]) {
        if (!w->after_key)
            return set_error(w, TSREC_E_MISUSE, "JSON writer: object value without a key");
        w->after_key = 0;
        return TSREC_OK;
    }
    if (w->has_items[w->depth]) {
        if (reserve(w, 1) != TSREC_OK)
            return w->status;
        put(w, ",", 1);
    }
    w->has_items[w->depth] = 1;
    return TSREC_OK;
}

static int open_container(tsrec__json_writer *w, int is_obj)
{
    if (before_value(w) != TSREC_OK)
        return w->status;
    if (w->depth >= TSREC__JW_MAX_DEPTH)
        return set_error(w, TSREC_E_INVALID_ARG, "JSON writer: nesting too deep");
    if (reserve(w, 1) != TSREC_OK)
        return w->status;
    put(w, is_obj ? "{" : "[", 1);
    w->depth++;
    w->is_object[w->depth] = (uint8_t)is_obj;
    w->has_items[w->depth] = 0;
    return TSREC_OK;
}

static int close_container(tsrec__json_writer *w, int is_obj)
{
    if (w->status != TSREC_OK)
        return w->status;
    if (w->depth == 0 || w->is_object[w->depth] != is_obj || w->after_key)
        return set_error(w, TSREC_E_MISUSE, "JSON writer: unbalanced end of container");
    if (reserve(w, 1) != TSREC_OK)
        return w->status;
    put(w, is_obj ? "}" : "]", 1);
    w->depth--;
    return TSREC_OK;
}

int tsrec__jw_object_begin(tsrec__json_writer *w) { return open_container(w, 1); }
int tsrec__jw_object_end(tsrec__json_writer *w) { return close_container(w, 1); }
int tsrec__jw_array_begin(tsrec__json_writer *w) { return open_container(w, 0); }
int tsrec__jw_array_end(tsrec__json_writer *w) { return close_container(w, 0); }

/* Quoted, escaped string: '"' and '\' escaped, control characters as \n,
 * \t... or \u00XX; everything else (UTF-8 included) copied as is. */
static int put_string(tsrec__json_writer *w, const char *s, size_t len)
{
    if (s == NULL && len > 0)
        return set_error(w, TSREC_E_INVALID_ARG, "JSON writer: NULL string");
    /* Worst case 6 bytes per input byte (\u00XX) + quotes. */
    if (len > (SIZE_MAX - 2) / 6)
        return set_error(w, TSREC_E_NOMEM, "JSON text too large");
    if (reserve(w, len * 6 + 2) != TSREC_OK)
        return w->status;
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *e = p + len;
    char *o = w->buf + w->len;
    *o++ = '"';
    while (p < e) {
        unsigned char c = *p;
        if (c >= 0x80) {
            int n = tsrec__utf8_seq(p, (size_t)(e - p));
            if (n <= 0)
                return set_error(w, TSREC_E_INVALID_ARG, "JSON writer: invalid UTF-8 in string");
            memcpy(o, p, (size_t)n);
            o += n;
            p += n;
            continue;
        }
        p++;
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c >= 0x20) {
            *o++ = (char)c;
        } else if (c == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        } else if (c == '\t') {
            *o++ = '\\';
            *o++ = 't';
        } else if (c == '\r') {
            *o++ = '\\';
            *o++ = 'r';
        } else if (c == '\b') {
            *o++ = '\\';
            *o++ = 'b';
        } else if (c == '\f') {
            *o++ = '\\';
            *o++ = 'f';
        } else {
            memcpy(o, "\\u00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o += 6;
        }
    }
    *o++ = '"';
    *o = '\0';
    w->len = (size_t)(o - w->buf);
    return TSREC_OK;
}

int tsrec__jw_key(tsrec__json_writer *w, const char *s, size_t len)
{
    if (w->status != TSREC_OK)
        return w->status;
    if (w->depth == 0 || !w->is_object[w->depth] || w->after_key)
        return set_error(w, TSREC_E_MISUSE, "JSON writer: key outside an object");
    if (w->has_items[w->depth]) {
        if (reserve(w, 1) != TSREC_OK)
            return w->status;
        put(w, ",", 1);
    }
    if (put_string(w, s, len) != TSREC_OK || reserve(w, 1) != TSREC_OK)
        return w->status;
    put(w, ":", 1);
    w->has_items[w->depth] = 1;
    w->after_key = 1;
    return TSREC_OK;
}

int tsrec__jw_string(tsrec__json_writer *w, const char *s, size_t len)
{
    if (before_value(w) != TSREC_OK)
        return w->status;
    return put_string(w, s, len);
}

static int put_raw(tsrec__json_writer *w, const char *s)
{
    size_t n = strlen(s);
    if (reserve(w, n) != TSREC_OK)
        return w->status;
    put(w, s, n);
    return TSREC_OK;
}

int tsrec__jw_int64(tsrec__json_writer *w, int64_t v)
{
    if (before_value(w) != TSREC_OK)
        return w->status;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    return put_raw(w, tmp);
}

static char locale_point(void)
{
    const struct lconv *lc = localeconv();
    if (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0] != '\0' &&
        lc->decimal_point[1] == '\0')
        return lc->decimal_point[0];
    return '.';
}

int tsrec__jw_double(tsrec__json_writer *w, double v)
{
    if (w->status != TSREC_OK)
        return w->status;
    if (!isfinite(v))
        return set_error(w, TSREC_E_NAN, "JSON writer: NaN or infinity has no JSON form");
    if (before_value(w) != TSREC_OK)
        return w->status;
    /* Fewest digits (15, 16 or 17) that read back to the same double. The
     * round trip happens in the current locale, then '.' is restored. */
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    char point = locale_point();
    for (char *c = tmp; *c != '\0'; c++)
        if (*c == point)
            *c = '.';
    return put_raw(w, tmp);
}

int tsrec__jw_bool(tsrec__json_writer *w, int32_t v)
{
    if (before_value(w) != TSREC_OK)
        return w->status;
    return put_raw(w, v ? "true" : "false");
}

int tsrec__jw_null(tsrec__json_writer *w)
{
    if (before_value(w) != TSREC_OK)
        return w->status;
    return put_raw(w, "null");
}

int tsrec__jw_finish(tsrec__json_writer *w, tsrec__handle *eh, const char **out,
                     size_t *out_len)
{
    *out = NULL;
    if (out_len != NULL)
        *out_len = 0;
    if (w->status == TSREC_OK && (w->depth != 0 || !w->has_items[0]))
        set_error(w, TSREC_E_MISUSE, "JSON writer: document not complete");
    if (w->status != TSREC_OK)
        return tsrec__fail(eh, w->status, "%s", w->why);
    *out = w->buf;
    if (out_len != NULL)
        *out_len = w->len;
    return TSREC_OK;
}
