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

/* Room for n more bytes plus the final NUL: the growing part. */
static int grow(tsrec__json_writer *w, size_t n)
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

/* Room for n more bytes plus the final NUL. Every token comes through
 * here, so the common case (room already there) is one inlined test. */
static inline int reserve(tsrec__json_writer *w, size_t n)
{
    if (w->status == TSREC_OK && n < w->cap && w->len < w->cap - n)
        return TSREC_OK;
    return grow(w, n);
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
    /* digits by hand: snprintf costs more than the rest of the token */
    char tmp[24];
    char *e = tmp + sizeof tmp, *p = e;
    uint64_t u = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        *--p = '-';
    if (reserve(w, (size_t)(e - p)) != TSREC_OK)
        return w->status;
    put(w, p, (size_t)(e - p));
    return TSREC_OK;
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

/* ---- shortest float text ---------------------------------------------------- */

/* 10^0 .. 10^39 (exact up to 10^22; the rest only steer candidate digits,
 * which are then verified). */
static const double POW10[40] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
    1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27,
    1e28, 1e29, 1e30, 1e31, 1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39};

/* x * 10^t for |t| <= 2 * 39 (a float times any power it needs here). */
static inline double scale10(double x, int t)
{
    while (t > 39) {
        x *= POW10[39];
        t -= 39;
    }
    while (t < -39) {
        x /= POW10[39];
        t += 39;
    }
    return t >= 0 ? x * POW10[t] : x / POW10[-t];
}

/* The float next to v > 0 towards zero (dir -1) or away from it (+1). */
static float float_step(float v, int dir)
{
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    b = dir > 0 ? b + 1u : b - 1u;
    memcpy(&v, &b, sizeof v);
    return v;
}

/* Does the decimal m * 10^q read back as the positive float v, whose
 * rounding interval is (lo, hi) (ends: midpoints to the neighbours, exact
 * doubles)? Decided in the scaled domain m vs lo * 10^-q, hi * 10^-q: for
 * |q| <= 22 the power is exact, so each scaled bound is rounded once, off
 * by at most 2^-53 of itself; an m farther than 2^-50 * hi from both
 * bounds is decided exactly. Only an m (almost) on a bound, or |q| > 22
 * (tiny or huge floats), goes to strtof, on text without a decimal point
 * so that the locale does not matter. */
static int reads_back(uint64_t m, int q, float v, double lo, double hi)
{
    if (q >= -22 && q <= 22) {
        double l = q <= 0 ? lo * POW10[-q] : lo / POW10[q];
        double h = q <= 0 ? hi * POW10[-q] : hi / POW10[q];
        double delta = h * 0x1p-50;
        double dm = (double)m;
        if (dm > l + delta && dm < h - delta)
            return 1;
        if (dm < l - delta || dm > h + delta)
            return 0;
    }
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%llue%d", (unsigned long long)m, q);
    return strtof(tmp, NULL) == v;
}

/* floor(log10(x)) for a positive float x. The binary exponent gives it
 * to within one (log10(2) < 0.30103); one scaled comparison settles it. */
static int float_exp10(float v, double x)
{
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    int e2 = (int)((b >> 23) & 0xFFu) - 127; /* x in [2^e2, 2^(e2+1)) */
    if (e2 == -127)                          /* subnormal: rare, take libm's word */
        return (int)floor(log10(x));
    int e10 = (int)floor((double)e2 * 0.30102999566398120); /* 10^e10 <= 2^e2 */
    if (scale10(x, -(e10 + 1)) >= 1.0)
        e10++;
    return e10;
}

/* The nearest decimal of k significant digits to x = (double)v, as
 * m * 10^*q; does it read back as v? */
static inline int try_digits(float v, double x, int e10, int k, double lo, double hi,
                             uint64_t *m, int *q)
{
    *q = e10 - (k - 1);
    *m = (uint64_t)(scale10(x, -*q) + 0.5); /* < 2^31: the + 0.5 is exact */
    return reads_back(*m, *q, v, lo, hi);
}

/* The fewest significant digits (1..9) that read back as v, v finite and
 * positive: digits into dig (no trailing zeros), value 0.DIGITS * 10^*n.
 * Returns the digit count. If k digits read back, so do k + 1 (the k-digit
 * decimals are among the (k+1)-digit ones, so the nearest of those is no
 * farther), and 9 always do: a binary search over k finds the fewest in at
 * most 4 tries (a 5th when only 9 digits do). */
static int float_digits(float v, char dig[12], int *n)
{
    double x = (double)v;
    double lo = (x + (double)float_step(v, -1)) / 2.0;
    double hi = (x + (double)float_step(v, +1)) / 2.0; /* FLT_MAX: inf, harmless */
    int e10 = float_exp10(v, x);
    uint64_t m = 0, mt;
    int q = 0, qt, have = 0; /* m, q: the fewest digits known to work so far */
    int klo = 1, khi = 9;
    while (klo < khi) {
        int mid = (klo + khi) / 2;
        if (try_digits(v, x, e10, mid, lo, hi, &mt, &qt)) {
            khi = mid;
            m = mt;
            q = qt;
            have = 1;
        } else {
            klo = mid + 1;
        }
    }
    if (!have && !try_digits(v, x, e10, 9, lo, hi, &m, &q)) {
        /* unreachable in exact arithmetic; print what %.9g gives */
        char tmp[40];
        snprintf(tmp, sizeof tmp, "%.8e", x);
        m = 0;
        for (const char *c = tmp; *c != 'e' && *c != '\0'; c++)
            if (*c >= '0' && *c <= '9')
                m = m * 10 + (uint64_t)(*c - '0');
        const char *e = strchr(tmp, 'e');
        q = (e != NULL ? atoi(e + 1) : 0) - 8;
    }
    while (m > 0 && m % 10 == 0) {
        m /= 10;
        q++;
    }
    char rev[24];
    int nd = 0;
    for (; m > 0; m /= 10)
        rev[nd++] = (char)('0' + m % 10);
    for (int i = 0; i < nd; i++)
        dig[i] = rev[nd - 1 - i];
    *n = nd + q;
    return nd;
}

int tsrec__jw_float(tsrec__json_writer *w, float v)
{
    if (w->status != TSREC_OK)
        return w->status;
    if (!isfinite(v))
        return set_error(w, TSREC_E_NAN, "JSON writer: NaN or infinity has no JSON form");
    if (before_value(w) != TSREC_OK)
        return w->status;
    if (reserve(w, 32) != TSREC_OK)
        return w->status;
    char *o = w->buf + w->len;
    if (signbit(v)) {
        *o++ = '-';
        v = -v;
    }
    if (v == 0.0f) {
        *o++ = '0';
    } else {
        /* Layout as ECMAScript Number::toString: plain decimals for
         * 1e-6 <= |v| < 1e21, else d.ddde+X / d.ddde-X. */
        char dig[12] = {0};
        int n = 0;
        int nd = float_digits(v, dig, &n);
        if (n >= nd && n <= 21) { /* integer */
            memcpy(o, dig, (size_t)nd);
            o += nd;
            for (int i = nd; i < n; i++)
                *o++ = '0';
        } else if (n > 0 && n <= 21) {
            memcpy(o, dig, (size_t)n);
            o += n;
            *o++ = '.';
            memcpy(o, dig + n, (size_t)(nd - n));
            o += nd - n;
        } else if (n > -6 && n <= 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = n; i < 0; i++)
                *o++ = '0';
            memcpy(o, dig, (size_t)nd);
            o += nd;
        } else {
            *o++ = dig[0];
            if (nd > 1) {
                *o++ = '.';
                memcpy(o, dig + 1, (size_t)(nd - 1));
                o += nd - 1;
            }
            o += snprintf(o, 8, "e%+d", n - 1);
        }
    }
    *o = '\0';
    w->len = (size_t)(o - w->buf);
    return TSREC_OK;
}

int tsrec__jw_reserve(tsrec__json_writer *w, size_t n)
{
    return reserve(w, n);
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
