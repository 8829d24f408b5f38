/* Parameter values as text: strict parsing, bounds checks, round-trip
 * formatting, and the "did you mean" name suggestion. The object side
 * (create, set, get) is in params.c. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params_internal.h"

/* How much of a bad value or name to quote in a message. */
#define SHOW_MAX 64
/* Longest accepted number text; no sensible number needs more. */
#define NUM_MAX 128
/* Names longer than this get no suggestion (keeps the DP on the stack). */
#define SUGGEST_MAX 64

static int show_len(size_t len)
{
    return (int)(len < SHOW_MAX ? len : SHOW_MAX);
}

static const char *show_more(size_t len)
{
    return len > SHOW_MAX ? "..." : "";
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ---- numbers ---------------------------------------------------------- */

enum { NUM_OK = 0, NUM_SYNTAX = 1, NUM_OVERFLOW = 2 };

/* Decimal integer: optional sign, then digits only. Hand-written rather
 * than strtoll, which skips leading blanks and is locale-aware. */
static int parse_int(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return NUM_SYNTAX;
    /* Accumulate the magnitude as unsigned so INT64_MIN fits. */
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    uint64_t mag = 0;
    int overflow = 0;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return NUM_SYNTAX;
        uint64_t digit = (uint64_t)(s[i] - '0');
        if (mag > (limit - digit) / 10u)
            overflow = 1; /* keep scanning: "99...9x" is a syntax error */
        else
            mag = mag * 10u + digit;
    }
    if (overflow)
        return NUM_OVERFLOW;
    *out = neg ? (mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag)
               : (int64_t)mag;
    return NUM_OK;
}

/* The C library's number conversions follow LC_NUMERIC, which a host
 * program may have changed (a "," decimal point breaks "0.5"). Parameter
 * text always uses ".", so translate to and from the current locale's
 * single-character decimal point around strtod/snprintf. */
static char locale_point(void)
{
    const struct lconv *lc = localeconv();
    if (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0] != '\0' &&
        lc->decimal_point[1] == '\0')
        return lc->decimal_point[0];
    return '.';
}

/* Decimal floating point: [sign] digits [. digits] [e [sign] digits]. The
 * character filter refuses what strtod would otherwise accept but
 * parameters must not: blanks, "nan", "inf", hexadecimal. */
static int parse_double(const char *s, size_t len, double *out)
{
    char buf[NUM_MAX];
    if (len == 0 || len >= sizeof buf)
        return NUM_SYNTAX;
    int has_digit = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        has_digit |= is_digit(c);
        if (!is_digit(c) && c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E')
            return NUM_SYNTAX;
    }
    if (!has_digit || !(is_digit(s[0]) || s[0] == '+' || s[0] == '-' || s[0] == '.'))
        return NUM_SYNTAX;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char point = locale_point();
    if (point != '.') {
        for (size_t i = 0; i < len; i++)
            if (buf[i] == '.')
                buf[i] = point;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + len)
        return NUM_SYNTAX;
    if (!isfinite(v))
        return NUM_OVERFLOW; /* "1e999"; an underflow to 0 or a subnormal is fine */
    *out = v;
    return NUM_OK;
}

static int is_word(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (n != len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != word[i])
            return 0;
    return 1;
}

/* ---- bounds messages -------------------------------------------------- */

static void format_double(double v, char *buf, size_t cap);

static void bound_text(char *buf, size_t cap, double v, int is_lo)
{
    if (isnan(v) || isinf(v)) {
        snprintf(buf, cap, "%s", is_lo ? "-inf" : "+inf");
        return;
    }
    format_double(v, buf, cap);
}

static int out_of_range_double(const tsrec__param_def *d, tsrec__handle *eh,
                               const char *s, size_t len)
{
    char lo[40], hi[40];
    bound_text(lo, sizeof lo, d->lo, 1);
    bound_text(hi, sizeof hi, d->hi, 0);
    int lo_open = (d->flags & TSREC__PARAM_LO_EXCL) || isnan(d->lo) || isinf(d->lo);
    int hi_open = (d->flags & TSREC__PARAM_HI_EXCL) || isnan(d->hi) || isinf(d->hi);
    return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                       "parameter '%s': value %.*s%s is out of range %c%s, %s%c",
                       d->name, show_len(len), s, show_more(len), lo_open ? '(' : '[', lo,
                       hi, hi_open ? ')' : ']');
}

static int out_of_range_int(const tsrec__param_def *d, tsrec__handle *eh,
                            const char *s, size_t len)
{
    char lo[32], hi[32];
    if (d->ilo == INT64_MIN)
        snprintf(lo, sizeof lo, "-inf");
    else
        snprintf(lo, sizeof lo, "%lld", (long long)d->ilo);
    if (d->ihi == INT64_MAX)
        snprintf(hi, sizeof hi, "+inf");
    else
        snprintf(hi, sizeof hi, "%lld", (long long)d->ihi);
    return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                       "parameter '%s': value %.*s%s is out of range %c%s, %s%c", d->name,
                       show_len(len), s, show_more(len), d->ilo == INT64_MIN ? '(' : '[',
                       lo, hi, d->ihi == INT64_MAX ? ')' : ']');
}

/* ---- parse ------------------------------------------------------------- */

static int bad_number(const tsrec__param_def *d, tsrec__handle *eh, const char *s,
                      size_t len, int why, const char *kind)
{
    if (why == NUM_OVERFLOW)
        return tsrec__fail(eh, TSREC_E_BAD_TYPE,
                           "parameter '%s': '%.*s%s' overflows %s", d->name,
                           show_len(len), s, show_more(len),
                           d->type == TSREC__PARAM_INT ? "a 64-bit integer" : "a double");
    return tsrec__fail(eh, TSREC_E_BAD_TYPE, "parameter '%s': '%.*s%s' is not %s",
                       d->name, show_len(len), s, show_more(len), kind);
}

/* Index of s[0..len) in the '|'-separated list, or -1. */
static int64_t choice_index(const char *choices, const char *s, size_t len)
{
    int64_t idx = 0;
    const char *c = choices;
    for (;;) {
        const char *bar = strchr(c, '|');
        size_t clen = bar ? (size_t)(bar - c) : strlen(c);
        if (clen == len && memcmp(c, s, len) == 0)
            return idx;
        if (bar == NULL)
            return -1;
        c = bar + 1;
        idx++;
    }
}

static char *copy_text(tsrec_ctx *ctx, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *t = tsrec__alloc(ctx, len + 1);
    if (t != NULL) {
        memcpy(t, s, len);
        t[len] = '\0';
    }
    return t;
}

int tsrec__param_parse(const tsrec__param_def *d, tsrec_ctx *ctx, tsrec__handle *eh,
                       const char *s, size_t len, tsrec__param_value *out)
{
    memset(out, 0, sizeof(*out));
    switch (d->type) {
    case TSREC__PARAM_INT: {
        int64_t v = 0;
        int why = parse_int(s, len, &v);
        if (why != NUM_OK)
            return bad_number(d, eh, s, len, why, "an integer");
        if (v < d->ilo || v > d->ihi)
            return out_of_range_int(d, eh, s, len);
        out->i = v;
        return TSREC_OK;
    }
    case TSREC__PARAM_DOUBLE: {
        double v = 0.0;
        int why = parse_double(s, len, &v);
        if (why != NUM_OK)
            return bad_number(d, eh, s, len, why, "a finite decimal number");
        /* NaN bounds compare false and infinite ones never bind, so both
         * mean "open on that side" without special cases. */
        int below = (d->flags & TSREC__PARAM_LO_EXCL) ? v <= d->lo : v < d->lo;
        int above = (d->flags & TSREC__PARAM_HI_EXCL) ? v >= d->hi : v > d->hi;
        if (below || above)
            return out_of_range_double(d, eh, s, len);
        out->d = v;
        return TSREC_OK;
    }
    case TSREC__PARAM_BOOL:
        if (is_word(s, len, "true") || is_word(s, len, "1")) {
            out->i = 1;
            return TSREC_OK;
        }
        if (is_word(s, len, "false") || is_word(s, len, "0")) {
            out->i = 0;
            return TSREC_OK;
        }
        return tsrec__fail(eh, TSREC_E_BAD_TYPE,
                           "parameter '%s': '%.*s%s' is not a boolean "
                           "(true, false, 1 or 0)",
                           d->name, show_len(len), s, show_more(len));
    case TSREC__PARAM_ENUM: {
        int64_t idx = choice_index(d->choices, s, len);
        if (idx < 0)
            return tsrec__fail(eh, TSREC_E_BAD_TYPE,
                               "parameter '%s': '%.*s%s' is not one of %s", d->name,
                               show_len(len), s, show_more(len), d->choices);
        char *t = copy_text(ctx, s, len);
        if (t == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM,
                               "parameter '%s': out of memory", d->name);
        out->i = idx;
        out->s = t;
        return TSREC_OK;
    }
    case TSREC__PARAM_STRING: {
        char *t = copy_text(ctx, s, len);
        if (t == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM,
                               "parameter '%s': out of memory for a %zu-byte string",
                               d->name, len);
        out->s = t;
        return TSREC_OK;
    }
    default:
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "parameter '%s': unknown type %d", d->name, (int)d->type);
    }
}

/* ---- format ------------------------------------------------------------ */

static size_t put(char *buf, size_t cap, const char *s)
{
    size_t len = strlen(s);
    if (buf != NULL && cap > 0) {
        size_t n = len < cap - 1 ? len : cap - 1;
        memcpy(buf, s, n);
        buf[n] = '\0';
    }
    return len;
}

/* Shortest "%.*g" text that parses back to exactly v. */
static void format_double(double v, char *buf, size_t cap)
{
    char point = locale_point();
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (point != '.') {
            for (char *c = buf; *c; c++)
                if (*c == point)
                    *c = '.';
        }
        double back = 0.0;
        if (parse_double(buf, strlen(buf), &back) == NUM_OK && back == v)
            return;
    }
}

size_t tsrec__param_format_value(const tsrec__param_def *d, const tsrec__param_value *v,
                                 char *buf, size_t cap)
{
    char num[48];
    switch (d->type) {
    case TSREC__PARAM_INT:
        snprintf(num, sizeof num, "%lld", (long long)v->i);
        return put(buf, cap, num);
    case TSREC__PARAM_DOUBLE:
        format_double(v->d, num, sizeof num);
        return put(buf, cap, num);
    case TSREC__PARAM_BOOL:
        return put(buf, cap, v->i ? "true" : "false");
    case TSREC__PARAM_STRING:
    case TSREC__PARAM_ENUM:
        return put(buf, cap, v->s != NULL ? v->s : "");
    default:
        return put(buf, cap, "");
    }
}

/* ---- suggestions ------------------------------------------------------- */

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transposition), case-insensitive. Both lengths are <= SUGGEST_MAX. */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t rows[3][SUGGEST_MAX + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            best = TSREC__MIN(best, prev[j] + 1);
            best = TSREC__MIN(best, cur[j - 1] + 1);
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                best = TSREC__MIN(best, prev2[j - 2] + 1);
            cur[j] = best;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

const char *tsrec__param_closest(const tsrec__param_def *defs, int64_t n, const char *key,
                                 size_t len)
{
    if (len == 0 || len > SUGGEST_MAX)
        return NULL;
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (int64_t i = 0; i < n; i++) {
        size_t ln = strlen(defs[i].name);
        if (ln > SUGGEST_MAX)
            continue;
        size_t dist = osa_distance(key, len, defs[i].name, ln);
        if (dist < best_d) {
            best_d = dist;
            best = defs[i].name;
        }
    }
    /* A plausible typo: at most 2 edits, or a quarter of the longer name
     * for long names. */
    size_t allowed = 2;
    if (best != NULL) {
        size_t longest = TSREC__MAX(len, strlen(best));
        allowed = TSREC__MAX(allowed, longest / 4);
    }
    return best_d <= allowed ? best : NULL;
}
