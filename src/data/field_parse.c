/* Strict text-to-value parsing of one CSV field, per schema type.
 *
 * Written by hand rather than with strtoll/strtod because those accept
 * blanks, "inf", "nan", hex floats and locale-specific decimal points,
 * all of which Amazon Forecast and Personalize refuse. */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_internal.h"
#include "import_internal.h"
#include "utf8_internal.h"

int tsrec__parse_i64(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return TSREC__PARSE_SYNTAX;
    if (len - i <= 18) {
        /* Up to 18 digits cannot overflow: no range check per digit. */
        uint64_t u = 0;
        for (; i < len; i++) {
            unsigned d = (unsigned)(unsigned char)s[i] - '0';
            if (d > 9)
                return TSREC__PARSE_SYNTAX;
            u = u * 10 + d;
        }
        *out = neg ? -(int64_t)u : (int64_t)u;
        return TSREC__PARSE_OK;
    }
    /* Accumulate as a negative number: its range is one larger. */
    int64_t v = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return TSREC__PARSE_SYNTAX;
        if (v < (INT64_MIN + (int64_t)d) / 10)
            return TSREC__PARSE_RANGE;
        v = v * 10 - (int64_t)d;
    }
    if (!neg) {
        if (v == INT64_MIN)
            return TSREC__PARSE_RANGE;
        v = -v;
    }
    *out = v;
    return TSREC__PARSE_OK;
}

/* Exact powers of ten for the fast path (all exactly representable). */
static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#if LDBL_MANT_DIG == 64
/* x87 extended precision: 64-bit significands hold every m < 2^64 and
 * every 10^k up to 10^27 exactly, so m * 10^e or m / 10^e rounds once to
 * 64 bits. Rounding that to double is exact unless the 64-bit result sits
 * exactly on a midpoint between two doubles (its 11 extra bits are
 * 10000000000): only then could the true value lie on the other side, so
 * that case goes to strtod. Covers the 16-19 digit values that exporters
 * write (e.g. 275.94062189999994). */
static const long double pow10_ext[] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* The 64-bit significand of a normal, non-zero extended value r, as an
 * integer with its top bit set. On x86 the significand (integer bit
 * included) is simply the low 8 bytes of the 80-bit format, so it is read
 * directly: the portable frexpl/ldexpl pair costs two libm calls per value
 * and was a visible share of CSV import time. */
static uint64_t ext_significand(long double r)
{
#if (defined(__x86_64__) || defined(__i386__)) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t bits;
    memcpy(&bits, &r, sizeof bits);
    return bits;
#else
    int ex;
    return (uint64_t)ldexpl(frexpl(r, &ex), 64);
#endif
}

static int extended_path(uint64_t m, int64_t e10, double *out)
{
    if (e10 < -27 || e10 > 27)
        return 0;
    long double r = e10 < 0 ? (long double)m / pow10_ext[-e10] : (long double)m * pow10_ext[e10];
    uint64_t bits = ext_significand(r);
    if ((bits & 0x7FF) == 0x400)
        return 0;
    *out = (double)r;
    return 1;
}
#else
static int extended_path(uint64_t m, int64_t e10, double *out)
{
    (void)m;
    (void)e10;
    (void)out;
    return 0;
}
#endif

/* Longest number text handed to strtod on the slow path. */
#define SLOW_MAX 511

/* strtod on a NUL-terminated copy, with the locale's decimal point put in
 * place of '.' so a program that called setlocale() parses the same. */
static int slow_parse(const char *s, size_t len, double *out)
{
    char buf[SLOW_MAX + 1];
    if (len > SLOW_MAX)
        return TSREC__PARSE_SYNTAX;
    memcpy(buf, s, len);
    buf[len] = '\0';
    const struct lconv *lc = localeconv();
    char dp = (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0] != '\0')
                  ? lc->decimal_point[0]
                  : '.';
    if (dp != '.') {
        char *p = memchr(buf, '.', len);
        if (p != NULL)
            *p = dp;
    }
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end != buf + len)
        return TSREC__PARSE_SYNTAX;
    *out = v;
    return TSREC__PARSE_OK;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* If the 8 bytes at p are all ASCII digits, their value into *out (one
 * word at a time: long fractions such as 38.34991708126038 are common). */
static int eight_digits(const char *p, uint32_t *out)
{
    uint64_t v;
    memcpy(&v, p, 8);
    /* each byte: high nibble 3, and still 3 after adding 6 (low nibble <= 9) */
    const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL;
    if (((v & hi) | (((v + 0x0606060606060606ULL) & hi) >> 4)) != 0x3333333333333333ULL)
        return 0;
    v -= 0x3030303030303030ULL;
    v = v * 10 + (v >> 8); /* pairs of digits in every other byte */
    v = ((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
         ((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >> 32;
    *out = (uint32_t)v;
    return 1;
}
#else
static int eight_digits(const char *p, uint32_t *out)
{
    (void)p;
    (void)out;
    return 0;
}
#endif

/* Decimal digits of v < 10^8, 0 for 0. */
static int digit_count(uint32_t v)
{
    int k = 0;
    for (uint32_t p = 1; k < 8 && v >= p; p *= 10)
        k++;
    return k;
}

/* The plain decimals that CSV exporters write, "[-]digits[.digits]" with
 * at most 19 digits in all: every digit goes into m (no significance
 * bookkeeping needed, 19 digits cannot overflow 64 bits) and the value is
 * m / 10^frac. 1 with *out set when the text has that form and one of the
 * exact paths applies; 0 sends the text to the general parser, which gives
 * the same result for these texts, only slower. */
static int plain_decimal(const char *s, size_t len, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    uint64_t m = 0; /* wraps past 19 digits: then unused */
    size_t start = i;
    for (; i < len && (unsigned)(unsigned char)s[i] - '0' <= 9; i++)
        m = m * 10 + ((unsigned)(unsigned char)s[i] - '0');
    size_t nint = i - start, nfrac = 0;
    if (i < len && s[i] == '.') {
        size_t fstart = ++i;
        uint32_t v8;
        while (nint + (i - fstart) + 8 <= 19 && len - i >= 8 && eight_digits(s + i, &v8)) {
            m = m * 100000000u + v8;
            i += 8;
        }
        for (; i < len && (unsigned)(unsigned char)s[i] - '0' <= 9; i++)
            m = m * 10 + ((unsigned)(unsigned char)s[i] - '0');
        nfrac = i - fstart;
    }
    if (i != len || nint + nfrac == 0 || nint + nfrac > 19)
        return 0;
    double v;
    if (m == 0)
        v = 0.0;
    else if (m <= ((uint64_t)1 << 53) && nfrac <= 22)
        v = (double)m / pow10_exact[nfrac]; /* Clinger's fast path */
    else if (!extended_path(m, -(int64_t)nfrac, &v))
        return 0;
    *out = neg ? -v : v;
    return 1;
}

int tsrec__parse_f64(const char *s, size_t len, double *out)
{
    if (plain_decimal(s, len, out))
        return TSREC__PARSE_OK;
    size_t i = 0;
    int neg = 0;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    uint64_t m = 0;
    int ndig = 0;   /* digits seen */
    int nsig = 0;   /* significant digits kept in m */
    int exact = 1;  /* no non-zero digit was dropped */
    int64_t e10 = 0;
    uint32_t v8;
    /* Whole words of 8 digits while all of them are kept (nsig + 8 <= 19):
     * the same m, nsig and e10 as the digit loops below would give. */
    while (nsig <= 11 && len - i >= 8 && eight_digits(s + i, &v8)) {
        nsig = m == 0 ? digit_count(v8) : nsig + 8;
        m = m * 100000000u + v8;
        i += 8;
        ndig += 8;
    }
    for (; i < len && (unsigned)(unsigned char)s[i] - '0' <= 9; i++, ndig++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (nsig < 19) {
            m = m * 10 + d;
            nsig += m != 0;
        } else {
            e10++;
            exact &= d == 0;
        }
    }
    if (i < len && s[i] == '.') {
        i++;
        while (nsig <= 11 && len - i >= 8 && eight_digits(s + i, &v8)) {
            nsig = m == 0 ? digit_count(v8) : nsig + 8;
            m = m * 100000000u + v8;
            e10 -= 8;
            i += 8;
            ndig += 8;
        }
        for (; i < len && (unsigned)(unsigned char)s[i] - '0' <= 9; i++, ndig++) {
            unsigned d = (unsigned)(unsigned char)s[i] - '0';
            if (nsig < 19) {
                m = m * 10 + d;
                nsig += m != 0;
                e10--;
            } else {
                exact &= d == 0;
            }
        }
    }
    if (ndig == 0)
        return TSREC__PARSE_SYNTAX;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < len && (s[i] == '-' || s[i] == '+')) {
            eneg = s[i] == '-';
            i++;
        }
        if (i == len)
            return TSREC__PARSE_SYNTAX;
        int64_t ev = 0;
        for (; i < len; i++) {
            unsigned d = (unsigned)(unsigned char)s[i] - '0';
            if (d > 9)
                return TSREC__PARSE_SYNTAX;
            if (ev < 100000) /* saturate: far past any double's range */
                ev = ev * 10 + d;
        }
        e10 += eneg ? -ev : ev;
    }
    if (i != len)
        return TSREC__PARSE_SYNTAX;
    double v;
    if (m == 0) {
        v = 0.0;
    } else if (exact && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
        /* Clinger's fast path: both operands exact, one rounding. */
        v = e10 < 0 ? (double)m / pow10_exact[-e10] : (double)m * pow10_exact[e10];
    } else if (!exact || !extended_path(m, e10, &v)) {
        int st = slow_parse(s + (neg || s[0] == '+'), len - (size_t)(neg || s[0] == '+'), &v);
        if (st != TSREC__PARSE_OK)
            return st;
    }
    if (!isfinite(v))
        return TSREC__PARSE_RANGE;
    *out = neg ? -v : v;
    return TSREC__PARSE_OK;
}

int tsrec__parse_bool(const char *s, size_t len, int *out)
{
    if (len == 4 && memcmp(s, "true", 4) == 0) {
        *out = 1;
        return TSREC__PARSE_OK;
    }
    if (len == 5 && memcmp(s, "false", 5) == 0) {
        *out = 0;
        return TSREC__PARSE_OK;
    }
    return TSREC__PARSE_SYNTAX;
}

int64_t tsrec__utf8_chars(const char *s, size_t len)
{
    int64_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* A decimal degree: [-]digits[.digits], |value| <= limit. */
static int degree(const char *s, size_t len, double limit)
{
    if (len == 0 || len > 32)
        return 0;
    size_t i = s[0] == '-' ? 1 : 0;
    size_t int_digits = 0;
    while (i < len && (unsigned)(unsigned char)s[i] - '0' <= 9) {
        i++;
        int_digits++;
    }
    if (int_digits == 0 || int_digits > 3)
        return 0;
    if (i < len) {
        if (s[i] != '.' || i + 1 == len)
            return 0;
        for (i++; i < len; i++)
            if ((unsigned)(unsigned char)s[i] - '0' > 9)
                return 0;
    }
    double v;
    if (tsrec__parse_f64(s, len, &v) != TSREC__PARSE_OK)
        return 0;
    return fabs(v) <= limit;
}

int tsrec__parse_geolocation(const char *s, size_t len)
{
    const char *us = memchr(s, '_', len);
    if (us == NULL || memchr(us + 1, '_', len - (size_t)(us - s) - 1) != NULL)
        return TSREC__PARSE_SYNTAX;
    size_t a = (size_t)(us - s), b = len - a - 1;
    /* Postal form: Forecast supports US ZIP codes only ("US_98121"). */
    if (a == 2 && s[0] == 'U' && s[1] == 'S') {
        if (b != 5)
            return TSREC__PARSE_SYNTAX;
        for (size_t i = 0; i < 5; i++)
            if ((unsigned)(unsigned char)us[1 + i] - '0' > 9)
                return TSREC__PARSE_SYNTAX;
        return TSREC__PARSE_OK;
    }
    /* Latitude_longitude form ("47.61_-122.33"). */
    if (!degree(s, a, 90.0) || !degree(us + 1, b, 180.0))
        return TSREC__PARSE_SYNTAX;
    return TSREC__PARSE_OK;
}

int tsrec__text_check(const char *s, size_t len, char *why, size_t why_cap)
{
    if (len > TSREC__CSV_DEFAULT_MAX_FIELD) {
        snprintf(why, why_cap, "field of %zu bytes is longer than the limit of %zu", len,
                 TSREC__CSV_DEFAULT_MAX_FIELD);
        return TSREC_E_PARSE;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] == 0) {
            snprintf(why, why_cap, "NUL byte at byte %zu of the field", i);
            return TSREC_E_PARSE;
        }
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int n = tsrec__utf8_seq(p + i, len - i);
        if (n <= 0) {
            snprintf(why, why_cap, "invalid UTF-8 at byte %zu of the field", i);
            return TSREC_E_PARSE;
        }
        i += (size_t)n;
    }
    return TSREC_OK;
}

int tsrec__parse_tz_offset(const char *tz, int64_t *out_seconds)
{
    if (tz == NULL) {
        *out_seconds = 0;
        return TSREC__PARSE_OK;
    }
    size_t n = strlen(tz);
    if ((n == 3 && strcmp(tz, "UTC") == 0) || (n == 1 && tz[0] == 'Z')) {
        *out_seconds = 0;
        return TSREC__PARSE_OK;
    }
    /* +HH:MM or +HHMM (also with '-'). */
    if ((n != 6 && n != 5) || (tz[0] != '+' && tz[0] != '-'))
        return TSREC__PARSE_SYNTAX;
    const char *mm = n == 6 ? tz + 4 : tz + 3;
    if (n == 6 && tz[3] != ':')
        return TSREC__PARSE_SYNTAX;
    const char *dig[4] = {tz + 1, tz + 2, mm, mm + 1};
    int v[4];
    for (int k = 0; k < 4; k++) {
        v[k] = *dig[k] - '0';
        if (v[k] < 0 || v[k] > 9)
            return TSREC__PARSE_SYNTAX;
    }
    int hh = v[0] * 10 + v[1], mi = v[2] * 10 + v[3];
    if (hh > 14 || mi > 59 || (hh == 14 && mi != 0))
        return TSREC__PARSE_RANGE;
    int64_t sec = (int64_t)hh * 3600 + (int64_t)mi * 60;
    *out_seconds = tz[0] == '-' ? -sec : sec;
    return TSREC__PARSE_OK;
}
