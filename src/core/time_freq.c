/* Forecast frequencies and period arithmetic on UTC timestamps.
 *
 * Fixed-length frequencies (W, D, H, minute buckets) are plain multiples of
 * seconds; their period starts are aligned to the epoch, which is a
 * midnight, so hour and minute buckets line up with the hour and days with
 * midnight. Weeks are the exception: the epoch is a Thursday and AWS weeks
 * start on Monday, so week starts are shifted by three days. M and Y go
 * through civil dates, since months and years vary in length. */
#include "time_internal.h"

#include <inttypes.h>
#include <string.h>

typedef struct {
    const char *name;
    int32_t season;  /* Amazon Forecast's default seasonal period */
    int64_t seconds; /* fixed length; 0 for calendar frequencies */
} freq_info;

/* Indexed by code - 1; order matches enum tsrec__freq. */
static const freq_info freq_table[] = {
    {"Y", 1, 0},          {"M", 12, 0},         {"W", 52, 7 * 86400},
    {"D", 7, 86400},      {"H", 24, 3600},      {"30min", 2, 30 * 60},
    {"15min", 4, 15 * 60}, {"10min", 6, 10 * 60}, {"5min", 12, 5 * 60},
    {"1min", 60, 60},
};

#define VALID_NAMES "Y, M, W, D, H, 30min, 15min, 10min, 5min, 1min"

int tsrec__freq_valid(int32_t f)
{
    return f >= TSREC__FREQ_FIRST && f <= TSREC__FREQ_LAST;
}

int tsrec__freq_parse(const char *s, size_t len, int32_t *out, tsrec__handle *eh)
{
    if ((s == NULL && len > 0) || out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "freq_parse: NULL %s",
                           out == NULL ? "output" : "name");
    for (int32_t f = TSREC__FREQ_FIRST; f <= TSREC__FREQ_LAST; f++) {
        const char *name = freq_table[f - 1].name;
        if (strlen(name) == len && memcmp(name, s, len) == 0) {
            *out = f;
            return TSREC_OK;
        }
    }
    /* Quote at most 32 bytes of the unknown name, control and non-ASCII
     * bytes shown as '?' so the message stays printable. */
    char shown[36];
    size_t n = len > 32 ? 32 : len;
    for (size_t i = 0; i < n; i++)
        shown[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    shown[n] = '\0';
    return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                       "unknown frequency '%s%s'; valid frequencies are " VALID_NAMES, shown,
                       len > 32 ? "..." : "");
}

const char *tsrec__freq_name(int32_t f)
{
    return tsrec__freq_valid(f) ? freq_table[f - 1].name : "?";
}

int32_t tsrec__freq_season(int32_t f)
{
    return tsrec__freq_valid(f) ? freq_table[f - 1].season : 0;
}

int64_t tsrec__freq_seconds(int32_t f)
{
    return tsrec__freq_valid(f) ? freq_table[f - 1].seconds : 0;
}

/* ---- helpers ---------------------------------------------------------- */

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return (a - floor_mod(a, b)) / b;
}

static int in_range(int64_t t)
{
    return t >= TSREC__TIME_MIN && t <= TSREC__TIME_MAX;
}

/* Common argument checks; `fn` names the caller in the message. */
static int check_args(const char *fn, int64_t t, int32_t freq, tsrec__handle *eh)
{
    if (!tsrec__freq_valid(freq))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: unknown frequency code %d", fn,
                           (int)freq);
    if (!in_range(t))
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "%s: timestamp %" PRId64 " is outside years 1..9999", fn, t);
    return TSREC_OK;
}

/* Start of t's period; t in range and freq valid. Never leaves the range:
 * 0001-01-01, the lowest timestamp, is a Monday and starts every period. */
static int64_t truncate_unchecked(int64_t t, int32_t freq)
{
    int64_t len = tsrec__freq_seconds(freq);
    if (freq == TSREC__FREQ_W) {
        int64_t days = tsrec__time_days(t);
        return (days - tsrec__time_weekday(t)) * TSREC__SECONDS_PER_DAY;
    }
    if (len > 0)
        return t - floor_mod(t, len);
    int64_t year;
    int32_t month;
    tsrec__civil_from_days(tsrec__time_days(t), &year, &month, NULL);
    if (freq == TSREC__FREQ_Y)
        month = 1;
    return tsrec__days_from_civil(year, month, 1) * TSREC__SECONDS_PER_DAY;
}

/* Calendar months since year 0 for M, years for Y: the period number of a
 * period start of a calendar frequency. */
static int64_t calendar_period(int64_t t, int32_t freq)
{
    int64_t year;
    int32_t month;
    tsrec__civil_from_days(tsrec__time_days(t), &year, &month, NULL);
    return freq == TSREC__FREQ_Y ? year : year * 12 + (month - 1);
}

/* ---- public functions ------------------------------------------------- */

int tsrec__time_truncate(int64_t t, int32_t freq, int64_t *out, tsrec__handle *eh)
{
    int rc = check_args("time_truncate", t, freq, eh);
    if (rc != TSREC_OK)
        return rc;
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "time_truncate: NULL output");
    *out = truncate_unchecked(t, freq);
    return TSREC_OK;
}

int tsrec__time_is_period_start(int64_t t, int32_t freq)
{
    return tsrec__freq_valid(freq) && in_range(t) && truncate_unchecked(t, freq) == t;
}

int tsrec__time_add_periods(int64_t t, int32_t freq, int64_t k, int64_t *out,
                            tsrec__handle *eh)
{
    int rc = check_args("time_add_periods", t, freq, eh);
    if (rc != TSREC_OK)
        return rc;
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "time_add_periods: NULL output");
    int64_t len = tsrec__freq_seconds(freq);
    int64_t span = TSREC__TIME_MAX - TSREC__TIME_MIN;
    int64_t r;
    if (len > 0) {
        /* Bound k first so k * len cannot overflow. */
        if (k > span / len || k < -(span / len))
            goto out_of_range;
        r = t + k * len;
        if (!in_range(r))
            goto out_of_range;
    } else {
        if (k > 12 * 10000 || k < -12 * 10000)
            goto out_of_range;
        tsrec__civil c;
        tsrec__time_to_civil(t, &c);
        int64_t months = c.year * 12 + (c.month - 1) + (freq == TSREC__FREQ_Y ? k * 12 : k);
        int64_t year = floor_div(months, 12);
        int32_t month = (int32_t)(months - year * 12) + 1;
        if (year < 1 || year > 9999)
            goto out_of_range;
        /* Clamp to the month's last day: Jan 31 + 1 M is Feb 28/29, not Mar. */
        int32_t dim = tsrec__days_in_month(year, month);
        c.year = year;
        c.month = month;
        if (c.day > dim)
            c.day = dim;
        r = tsrec__time_from_civil(&c);
    }
    *out = r;
    return TSREC_OK;

out_of_range:
    return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                       "time_add_periods: %" PRId64 " + %" PRId64
                       " periods of %s leaves years 1..9999",
                       t, k, tsrec__freq_name(freq));
}

int tsrec__time_periods_between(int64_t a, int32_t freq, int64_t b, int64_t *out,
                                tsrec__handle *eh)
{
    int rc;
    if ((rc = check_args("time_periods_between", a, freq, eh)) != TSREC_OK ||
        (rc = check_args("time_periods_between", b, freq, eh)) != TSREC_OK)
        return rc;
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "time_periods_between: NULL output");
    if (!tsrec__time_is_period_start(a, freq) || !tsrec__time_is_period_start(b, freq))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "time_periods_between: %" PRId64
                           " is not the start of a %s period",
                           tsrec__time_is_period_start(a, freq) ? b : a,
                           tsrec__freq_name(freq));
    int64_t len = tsrec__freq_seconds(freq);
    if (len > 0)
        *out = (b - a) / len; /* exact: both are aligned period starts */
    else
        *out = calendar_period(b, freq) - calendar_period(a, freq);
    return TSREC_OK;
}

int tsrec__time_period_index(int64_t origin, int32_t freq, int64_t t, int64_t *out,
                             tsrec__handle *eh)
{
    int rc;
    if ((rc = check_args("time_period_index", origin, freq, eh)) != TSREC_OK ||
        (rc = check_args("time_period_index", t, freq, eh)) != TSREC_OK)
        return rc;
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "time_period_index: NULL output");
    return tsrec__time_periods_between(truncate_unchecked(origin, freq), freq,
                                       truncate_unchecked(t, freq), out, eh);
}
