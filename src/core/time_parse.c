/* Strict timestamp parsing and formatting.
 *
 * Hand-written instead of strptime/sscanf: those depend on the locale, skip
 * blanks, accept variable widths and leave range checks to the caller. Data
 * import wants every malformed row named precisely, so each failure says
 * which field or character is wrong and at which 0-based position. */
#include "time_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

/* ---- error messages --------------------------------------------------- */

/* Quote at most TSREC__TIME_TEXT_MAX bytes of the input for a message,
 * replacing control and non-ASCII bytes by '?' so the message stays
 * printable, with "..." when the text was cut. */
static void quote_text(const char *s, size_t len, char out[TSREC__TIME_TEXT_MAX + 4])
{
    size_t n = len < TSREC__TIME_TEXT_MAX ? len : TSREC__TIME_TEXT_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (len > n) {
        out[n++] = '.';
        out[n++] = '.';
        out[n++] = '.';
    }
    out[n] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int parse_fail(const char *s, size_t len, tsrec__handle *eh, const char *fmt, ...)
{
    char what[200];
    char quoted[TSREC__TIME_TEXT_MAX + 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    quote_text(s, len, quoted);
    return tsrec__fail(eh, TSREC_E_PARSE, "invalid timestamp '%s': %s", quoted, what);
}

/* "'x'", "end of text" or "byte 0xNN": what sits at position i. */
static void describe_at(const char *s, size_t len, size_t i, char out[24])
{
    if (i >= len) {
        snprintf(out, 24, "end of text");
        return;
    }
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f)
        snprintf(out, 24, "'%c'", (char)c);
    else
        snprintf(out, 24, "byte 0x%02X", (unsigned)c);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ---- field readers ---------------------------------------------------- */

typedef struct {
    const char *s;
    size_t len;
    tsrec__handle *eh;
} text;

/* Exactly `width` digits at `pos` into *out. */
static int read_digits(const text *t, size_t pos, int width, const char *field,
                       int32_t *out)
{
    int32_t v = 0;
    for (int j = 0; j < width; j++) {
        size_t i = pos + (size_t)j;
        if (i >= t->len || !is_digit(t->s[i])) {
            char found[24];
            describe_at(t->s, t->len, i, found);
            return parse_fail(t->s, t->len, t->eh,
                              "expected a digit at position %zu (%s), found %s", i, field,
                              found);
        }
        v = v * 10 + (t->s[i] - '0');
    }
    *out = v;
    return TSREC_OK;
}

static int expect_char(const text *t, size_t pos, char c)
{
    if (pos < t->len && t->s[pos] == c)
        return TSREC_OK;
    char found[24];
    describe_at(t->s, t->len, pos, found);
    return parse_fail(t->s, t->len, t->eh, "expected '%c' at position %zu, found %s", c,
                      pos, found);
}

static int check_range(const text *t, int32_t v, int32_t lo, int32_t hi, const char *field)
{
    if (v >= lo && v <= hi)
        return TSREC_OK;
    return parse_fail(t->s, t->len, t->eh, "%s %d is out of range %d..%d", field, (int)v,
                      (int)lo, (int)hi);
}

static int trailing_text(const text *t, size_t pos)
{
    return parse_fail(t->s, t->len, t->eh, "unexpected text at position %zu", pos);
}

/* ---- epoch seconds ---------------------------------------------------- */

static int looks_like_epoch(const char *s, size_t len)
{
    size_t i = (len > 0 && s[0] == '-') ? 1 : 0;
    if (i >= len)
        return 0;
    for (; i < len; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

static int parse_epoch(const text *t, int64_t *out)
{
    size_t i = (t->s[0] == '-') ? 1 : 0;
    int neg = (int)i;
    if (i >= t->len || !is_digit(t->s[i])) {
        char found[24];
        describe_at(t->s, t->len, i, found);
        return parse_fail(t->s, t->len, t->eh,
                          "expected epoch seconds (digits with an optional leading '-'), "
                          "found %s at position %zu", found, i);
    }
    for (size_t j = i; j < t->len; j++) {
        if (!is_digit(t->s[j])) {
            char found[24];
            describe_at(t->s, t->len, j, found);
            return parse_fail(t->s, t->len, t->eh,
                              "expected a digit at position %zu (epoch seconds), found %s", j,
                              found);
        }
    }
    /* Accumulate as a magnitude and stop once it is surely out of range, so
     * an arbitrarily long digit string cannot overflow. */
    const int64_t stop = INT64_C(1000000000000000); /* far beyond any valid value */
    int64_t mag = 0;
    for (; i < t->len && mag < stop; i++)
        mag = mag * 10 + (t->s[i] - '0');
    int64_t v = neg ? -mag : mag;
    if (i < t->len || v < TSREC__TIME_MIN || v > TSREC__TIME_MAX) {
        /* A common mistake is exporting milliseconds: say so when it fits. */
        int millis = i == t->len && v / 1000 >= TSREC__TIME_MIN && v / 1000 <= TSREC__TIME_MAX;
        return parse_fail(t->s, t->len, t->eh,
                          "epoch seconds out of range (years 1..9999 are %" PRId64
                          "..%" PRId64 ")%s",
                          TSREC__TIME_MIN, TSREC__TIME_MAX,
                          millis ? "; the value looks like milliseconds" : "");
    }
    *out = v;
    return TSREC_OK;
}

/* ---- calendar formats ------------------------------------------------- */

/* Fraction and zone suffix of an ISO timestamp from position pos; the zone
 * offset in seconds east of UTC goes to *offset. */
static int parse_iso_suffix(const text *t, size_t pos, int64_t *offset)
{
    int rc;
    *offset = 0;
    int had_fraction = 0;
    if (pos < t->len && t->s[pos] == '.') {
        size_t first = ++pos;
        while (pos < t->len && is_digit(t->s[pos]))
            pos++;
        if (pos == first) {
            char found[24];
            describe_at(t->s, t->len, pos, found);
            return parse_fail(t->s, t->len, t->eh,
                              "expected a digit at position %zu (fraction of a second), "
                              "found %s", pos, found);
        }
        if (pos - first > 9)
            return parse_fail(t->s, t->len, t->eh,
                              "more than 9 fraction digits at position %zu", first);
        had_fraction = 1; /* truncated: the library works in whole seconds */
    }
    if (pos == t->len)
        return TSREC_OK; /* no zone: the time is taken as UTC */
    char c = t->s[pos];
    if (c == 'Z') {
        pos++;
    } else if (c == '+' || c == '-') {
        int32_t oh = 0, om = 0;
        size_t sign_pos = pos;
        if ((rc = read_digits(t, pos + 1, 2, "offset hours", &oh)) != TSREC_OK)
            return rc;
        pos += 3;
        if (pos < t->len && t->s[pos] == ':')
            pos++;
        if ((rc = read_digits(t, pos, 2, "offset minutes", &om)) != TSREC_OK)
            return rc;
        pos += 2;
        if ((rc = check_range(t, om, 0, 59, "offset minute")) != TSREC_OK)
            return rc;
        if (oh * 60 + om > 14 * 60)
            return parse_fail(t->s, t->len, t->eh,
                              "offset %c%02d:%02d at position %zu is out of range "
                              "-14:00..+14:00", c, (int)oh, (int)om, sign_pos);
        *offset = (c == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
    } else {
        char found[24];
        describe_at(t->s, t->len, pos, found);
        return parse_fail(t->s, t->len, t->eh,
                          "expected %s'Z', '+' or '-' at position %zu, found %s",
                          had_fraction ? "" : "'.', ", pos, found);
    }
    if (pos != t->len)
        return trailing_text(t, pos);
    return TSREC_OK;
}

static int parse_calendar(const text *t, int formats, int64_t *out)
{
    int rc;
    int32_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    int64_t offset = 0;

    if ((rc = read_digits(t, 0, 4, "year", &year)) != TSREC_OK ||
        (rc = expect_char(t, 4, '-')) != TSREC_OK ||
        (rc = read_digits(t, 5, 2, "month", &month)) != TSREC_OK ||
        (rc = expect_char(t, 7, '-')) != TSREC_OK ||
        (rc = read_digits(t, 8, 2, "day", &day)) != TSREC_OK ||
        (rc = check_range(t, year, 1000, 9999, "year")) != TSREC_OK ||
        (rc = check_range(t, month, 1, 12, "month")) != TSREC_OK)
        return rc;
    int32_t dim = tsrec__days_in_month(year, month);
    if (day < 1 || day > dim) {
        if (month == 2 && day == 29)
            return parse_fail(t->s, t->len, t->eh,
                              "day 29 is out of range for month 2 (%d is not a leap year)",
                              (int)year);
        return parse_fail(t->s, t->len, t->eh, "day %d is out of range for month %d",
                          (int)day, (int)month);
    }

    if (t->len == 10) {
        if (!(formats & TSREC__TIME_FMT_DATE))
            return parse_fail(t->s, t->len, t->eh,
                              "a date without a time of day is not accepted here, "
                              "expected %s at position 10",
                              (formats & TSREC__TIME_FMT_DATETIME) ? "' '" : "'T'");
    } else {
        char sep = t->s[10];
        int datetime = sep == ' ' && (formats & TSREC__TIME_FMT_DATETIME);
        int iso = sep == 'T' && (formats & TSREC__TIME_FMT_ISO);
        if (!datetime && !iso) {
            if (!(formats & (TSREC__TIME_FMT_DATETIME | TSREC__TIME_FMT_ISO)))
                return trailing_text(t, 10); /* only plain dates are accepted */
            char found[24];
            describe_at(t->s, t->len, 10, found);
            const char *want = (formats & TSREC__TIME_FMT_DATETIME)
                                   ? ((formats & TSREC__TIME_FMT_ISO) ? "' ' or 'T'" : "' '")
                                   : "'T'";
            return parse_fail(t->s, t->len, t->eh, "expected %s at position 10, found %s",
                              want, found);
        }
        if ((rc = read_digits(t, 11, 2, "hour", &hour)) != TSREC_OK ||
            (rc = expect_char(t, 13, ':')) != TSREC_OK ||
            (rc = read_digits(t, 14, 2, "minute", &minute)) != TSREC_OK ||
            (rc = expect_char(t, 16, ':')) != TSREC_OK ||
            (rc = read_digits(t, 17, 2, "second", &second)) != TSREC_OK ||
            (rc = check_range(t, hour, 0, 23, "hour")) != TSREC_OK ||
            (rc = check_range(t, minute, 0, 59, "minute")) != TSREC_OK ||
            (rc = check_range(t, second, 0, 59, "second")) != TSREC_OK)
            return rc;
        if (datetime) {
            if (t->len != 19)
                return trailing_text(t, 19);
        } else if ((rc = parse_iso_suffix(t, 19, &offset)) != TSREC_OK) {
            return rc;
        }
    }

    int64_t v = tsrec__days_from_civil(year, month, day) * TSREC__SECONDS_PER_DAY +
                (int64_t)hour * 3600 + (int64_t)minute * 60 + second - offset;
    /* Only reachable through an offset on 9999-12-31; keep every parsed
     * value formattable. */
    if (v > TSREC__TIME_MAX)
        return parse_fail(t->s, t->len, t->eh, "converted to UTC the time is after year 9999");
    *out = v;
    return TSREC_OK;
}

int tsrec__time_parse(const char *s, size_t len, int formats, int64_t *out,
                      tsrec__handle *eh)
{
    if ((s == NULL && len > 0) || out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "time_parse: NULL %s",
                           out == NULL ? "output" : "text");
    if ((formats & TSREC__TIME_FMT_ALL) == 0 || (formats & ~TSREC__TIME_FMT_ALL) != 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "time_parse: invalid format set 0x%x",
                           (unsigned)formats);
    if (len == 0)
        return tsrec__fail(eh, TSREC_E_PARSE, "invalid timestamp '': empty text");
    if (len > TSREC__TIME_TEXT_MAX)
        return parse_fail(s, len, eh, "text is %zu characters long, more than the %d a "
                                      "timestamp can have", len, TSREC__TIME_TEXT_MAX);
    text t = {s, len, eh};
    int calendar = formats & (TSREC__TIME_FMT_DATETIME | TSREC__TIME_FMT_DATE |
                              TSREC__TIME_FMT_ISO);
    /* All digits can only be epoch seconds; otherwise prefer the calendar
     * reader, whose messages point at the faulty field. */
    if ((formats & TSREC__TIME_FMT_EPOCH) && (!calendar || looks_like_epoch(s, len)))
        return parse_epoch(&t, out);
    return parse_calendar(&t, formats, out);
}

/* ---- formatting ------------------------------------------------------- */

/* Write v (0 <= v < 10^width) as exactly `width` digits. */
static char *put_digits(char *p, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static size_t format_epoch(int64_t t, char *tmp)
{
    /* Work on the unsigned magnitude so INT64_MIN needs no special case. */
    uint64_t mag = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    char rev[24];
    size_t n = 0;
    do {
        rev[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag > 0);
    size_t k = 0;
    if (t < 0)
        tmp[k++] = '-';
    while (n > 0)
        tmp[k++] = rev[--n];
    return k;
}

int tsrec__time_format(int64_t t, int fmt, char *buf, size_t cap, tsrec__handle *eh)
{
    if (buf == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "time_format: NULL buffer");
    if (cap > 0)
        buf[0] = '\0';
    if (fmt != TSREC__TIME_FMT_DATETIME && fmt != TSREC__TIME_FMT_DATE &&
        fmt != TSREC__TIME_FMT_ISO && fmt != TSREC__TIME_FMT_EPOCH)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "time_format: format %d is not exactly one known format", fmt);
    char tmp[TSREC__TIME_STR_MAX];
    size_t n;
    if (fmt == TSREC__TIME_FMT_EPOCH) {
        n = format_epoch(t, tmp);
    } else {
        if (t < TSREC__TIME_MIN || t > TSREC__TIME_MAX)
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                               "time_format: timestamp %" PRId64
                               " is outside years 1..9999", t);
        tsrec__civil c;
        tsrec__time_to_civil(t, &c);
        char *p = put_digits(tmp, c.year, 4);
        *p++ = '-';
        p = put_digits(p, c.month, 2);
        *p++ = '-';
        p = put_digits(p, c.day, 2);
        if (fmt != TSREC__TIME_FMT_DATE) {
            *p++ = fmt == TSREC__TIME_FMT_ISO ? 'T' : ' ';
            p = put_digits(p, c.hour, 2);
            *p++ = ':';
            p = put_digits(p, c.minute, 2);
            *p++ = ':';
            p = put_digits(p, c.second, 2);
            if (fmt == TSREC__TIME_FMT_ISO)
                *p++ = 'Z';
        }
        n = (size_t)(p - tmp);
    }
    if (cap < n + 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "time_format: buffer of %zu bytes is too small, %zu needed", cap,
                           n + 1);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[i];
    buf[n] = '\0';
    return TSREC_OK;
}
