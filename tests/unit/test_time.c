/* Calendar and time services: civil conversion against a naive day counter,
 * strict parsing (every error case), formatting, frequencies, truncation,
 * period arithmetic and calendar features (ISO weeks included). */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "time_internal.h"

/* ---- naive references ---------------------------------------------------
 * Deliberately simple and slow: count days by walking whole years and
 * months from 1970, with the leap rule written out directly. */

static int naive_leap(int64_t y)
{
    if (y % 400 == 0)
        return 1;
    if (y % 100 == 0)
        return 0;
    return y % 4 == 0;
}

static int naive_month_len(int64_t y, int m)
{
    static const int len[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && naive_leap(y) ? 29 : len[m];
}

static int64_t naive_days(int64_t y, int m, int d)
{
    int64_t days = 0;
    for (int64_t yy = 1970; yy < y; yy++)
        days += naive_leap(yy) ? 366 : 365;
    for (int64_t yy = y; yy < 1970; yy++)
        days -= naive_leap(yy) ? 366 : 365;
    for (int mm = 1; mm < m; mm++)
        days += naive_month_len(y, mm);
    return days + d - 1;
}

typedef struct {
    int64_t y;
    int m, d, hh, mi, ss;
} naive_civil;

static void naive_from_days(int64_t days, naive_civil *c)
{
    int64_t y = 1970;
    while (days < 0) {
        y--;
        days += naive_leap(y) ? 366 : 365;
    }
    while (days >= (naive_leap(y) ? 366 : 365)) {
        days -= naive_leap(y) ? 366 : 365;
        y++;
    }
    int m = 1;
    while (days >= naive_month_len(y, m)) {
        days -= naive_month_len(y, m);
        m++;
    }
    c->y = y;
    c->m = m;
    c->d = (int)days + 1;
}

static void naive_from_time(int64_t t, naive_civil *c)
{
    int64_t days = t / 86400, sod = t % 86400;
    if (sod < 0) {
        sod += 86400;
        days--;
    }
    naive_from_days(days, c);
    c->hh = (int)(sod / 3600);
    c->mi = (int)(sod / 60 % 60);
    c->ss = (int)(sod % 60);
}

/* Monday = 0; 1970-01-01 was a Thursday. */
static int naive_weekday(int64_t days)
{
    return (int)(((days + 3) % 7 + 7) % 7);
}

/* Fixed-seed generator local to the test (splitmix64). */
static uint64_t rng_state = 0x5eed1234abcdULL;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int64_t rnd_range(int64_t lo, int64_t hi) /* inclusive */
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static const int32_t all_freqs[] = {
    TSREC__FREQ_Y,     TSREC__FREQ_M,     TSREC__FREQ_W,     TSREC__FREQ_D,
    TSREC__FREQ_H,     TSREC__FREQ_30MIN, TSREC__FREQ_15MIN, TSREC__FREQ_10MIN,
    TSREC__FREQ_5MIN,  TSREC__FREQ_1MIN,
};

/* Parse a NUL-terminated string, asserting success. */
static int64_t P(const char *s, int formats)
{
    int64_t t = -777;
    int rc = tsrec__time_parse(s, strlen(s), formats, &t, NULL);
    if (rc != TSREC_OK)
        fail_msg("parse '%s' failed: %s", s, tsrec_last_error());
    return t;
}

static int64_t dt(const char *s)
{
    return P(s, TSREC__TIME_FMT_ALL);
}

static void assert_formats_as(int64_t t, int fmt, const char *want)
{
    char buf[TSREC__TIME_STR_MAX];
    assert_int_equal(tsrec__time_format(t, fmt, buf, sizeof buf, NULL), TSREC_OK);
    assert_string_equal(buf, want);
}

/* ---- civil conversion -------------------------------------------------- */

static void test_known_timestamps(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t t;
        int weekday, yday;
    } known[] = {
        {"1970-01-01 00:00:00", 0, 3, 1},
        {"2000-02-29 00:00:00", INT64_C(951782400), 1, 60},
        {"1999-12-31 23:59:59", INT64_C(946684799), 4, 365},
        {"2038-01-19 03:14:08", INT64_C(2147483648), 1, 19},
        {"1969-12-31 23:59:59", -1, 2, 365},
        {"1969-07-20 20:17:40", INT64_C(-14182940), 6, 201},
        {"1900-01-01 00:00:00", INT64_C(-2208988800), 0, 1},
        {"1600-02-29 12:00:00", INT64_C(-11670955200), 1, 60},
        {"1000-01-01 00:00:00", INT64_C(-30610224000), 2, 1},
        {"9999-12-31 23:59:59", TSREC__TIME_MAX, 4, 365},
    };
    for (size_t i = 0; i < TSREC__ARRAY_LEN(known); i++) {
        assert_int_equal(P(known[i].text, TSREC__TIME_FMT_DATETIME), known[i].t);
        assert_formats_as(known[i].t, TSREC__TIME_FMT_DATETIME, known[i].text);
        assert_int_equal(tsrec__time_weekday(known[i].t), known[i].weekday);
        assert_int_equal(tsrec__time_day_of_year(known[i].t), known[i].yday);
    }
    assert_formats_as(TSREC__TIME_MIN, TSREC__TIME_FMT_DATETIME, "0001-01-01 00:00:00");
    assert_int_equal(tsrec__days_from_civil(1, 1, 1) * 86400, TSREC__TIME_MIN);
    assert_int_equal(tsrec__time_weekday(TSREC__TIME_MIN), 0); /* a Monday */

    tsrec__civil c;
    tsrec__time_to_civil(-1, &c);
    assert_int_equal(c.year, 1969);
    assert_int_equal(c.month, 12);
    assert_int_equal(c.day, 31);
    assert_int_equal(c.hour, 23);
    assert_int_equal(c.minute, 59);
    assert_int_equal(c.second, 59);
    assert_int_equal(tsrec__time_from_civil(&c), -1);

    assert_true(tsrec__is_leap_year(2000));
    assert_false(tsrec__is_leap_year(1900));
    assert_true(tsrec__is_leap_year(2024));
    assert_false(tsrec__is_leap_year(2023));
    assert_int_equal(tsrec__days_in_month(1900, 2), 28);
    assert_int_equal(tsrec__days_in_month(2000, 2), 29);
    assert_int_equal(tsrec__days_in_month(2021, 13), 0);
}

/* Walk every day of years 1..9999 in order and check each against a running
 * counter: day numbers, weekday cycling and day of year. */
static void test_every_day_sequential(void **state)
{
    (void)state;
    int64_t days = naive_days(1, 1, 1);
    int weekday = naive_weekday(days);
    assert_int_equal(weekday, 0);
    for (int64_t y = 1; y <= 9999; y++) {
        int yday = 1;
        for (int m = 1; m <= 12; m++) {
            int len = naive_month_len(y, m);
            for (int d = 1; d <= len; d++, days++, yday++) {
                if (tsrec__days_from_civil(y, m, d) != days)
                    fail_msg("days_from_civil(%lld-%d-%d)", (long long)y, m, d);
                int64_t yy;
                int32_t mm, dd;
                tsrec__civil_from_days(days, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("civil_from_days(%lld)", (long long)days);
                int64_t t = days * 86400 + 43210;
                if (tsrec__time_weekday(t) != weekday ||
                    tsrec__time_day_of_year(t) != yday)
                    fail_msg("weekday/yday of %lld-%d-%d", (long long)y, m, d);
                weekday = (weekday + 1) % 7;
            }
        }
    }
    assert_int_equal(days - 1, tsrec__time_days(TSREC__TIME_MAX));
}

static void test_random_civil_vs_naive(void **state)
{
    (void)state;
    for (int i = 0; i < 3000; i++) {
        /* Spread over the whole range, including far outside 1..9999, where
         * the conversion must stay consistent too. */
        int64_t t = i < 2500 ? rnd_range(TSREC__TIME_MIN, TSREC__TIME_MAX)
                             : rnd_range(INT64_C(-400000000000), INT64_C(400000000000));
        naive_civil n;
        naive_from_time(t, &n);
        tsrec__civil c;
        tsrec__time_to_civil(t, &c);
        assert_int_equal(c.year, n.y);
        assert_int_equal(c.month, n.m);
        assert_int_equal(c.day, n.d);
        assert_int_equal(c.hour, n.hh);
        assert_int_equal(c.minute, n.mi);
        assert_int_equal(c.second, n.ss);
        assert_int_equal(tsrec__time_from_civil(&c), t);
        assert_int_equal(tsrec__time_year(t), n.y);
        assert_int_equal(tsrec__time_month(t), n.m);
        assert_int_equal(tsrec__time_day_of_month(t), n.d);
        assert_int_equal(tsrec__time_hour(t), n.hh);
        assert_int_equal(tsrec__time_minute(t), n.mi);
        int64_t days = naive_days(n.y, n.m, n.d);
        assert_int_equal(c.weekday, naive_weekday(days));
        assert_int_equal(c.yday, days - naive_days(n.y, 1, 1) + 1);
    }
    /* Extremes of int64 must not crash (UBSan checks overflow). */
    tsrec__civil c;
    tsrec__time_to_civil(INT64_MIN, &c);
    tsrec__time_to_civil(INT64_MAX, &c);
    assert_true(c.month >= 1 && c.month <= 12);
    (void)tsrec__time_weekday(INT64_MIN);
    int32_t w;
    tsrec__time_iso_week(INT64_MAX, &w, NULL);
    assert_true(w >= 1 && w <= 53);
}

/* ---- parsing and formatting ------------------------------------------- */

static void test_roundtrip_random(void **state)
{
    (void)state;
    int64_t lo = P("1000-01-01", TSREC__TIME_FMT_DATE);
    char buf[TSREC__TIME_STR_MAX], want[64];
    for (int i = 0; i < 3000; i++) {
        int64_t t = rnd_range(lo, TSREC__TIME_MAX);
        naive_civil n;
        naive_from_time(t, &n);
        int64_t back;

        snprintf(want, sizeof want, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)n.y, n.m,
                 n.d, n.hh, n.mi, n.ss);
        assert_int_equal(tsrec__time_format(t, TSREC__TIME_FMT_DATETIME, buf, sizeof buf,
                                            NULL), TSREC_OK);
        assert_string_equal(buf, want);
        assert_int_equal(tsrec__time_parse(buf, strlen(buf), TSREC__TIME_FMT_DATETIME,
                                           &back, NULL), TSREC_OK);
        assert_int_equal(back, t);

        snprintf(want, sizeof want, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)n.y, n.m,
                 n.d, n.hh, n.mi, n.ss);
        assert_int_equal(tsrec__time_format(t, TSREC__TIME_FMT_ISO, buf, sizeof buf, NULL),
                         TSREC_OK);
        assert_string_equal(buf, want);
        assert_int_equal(tsrec__time_parse(buf, strlen(buf), TSREC__TIME_FMT_ISO, &back,
                                           NULL), TSREC_OK);
        assert_int_equal(back, t);

        snprintf(want, sizeof want, "%04lld-%02d-%02d", (long long)n.y, n.m, n.d);
        assert_int_equal(tsrec__time_format(t, TSREC__TIME_FMT_DATE, buf, sizeof buf, NULL),
                         TSREC_OK);
        assert_string_equal(buf, want);
        assert_int_equal(tsrec__time_parse(buf, strlen(buf), TSREC__TIME_FMT_DATE, &back,
                                           NULL), TSREC_OK);
        assert_int_equal(back, naive_days(n.y, n.m, n.d) * 86400);

        /* Epoch seconds over the full range (years 1..9999). */
        int64_t e = rnd_range(TSREC__TIME_MIN, TSREC__TIME_MAX);
        snprintf(want, sizeof want, "%lld", (long long)e);
        assert_int_equal(tsrec__time_format(e, TSREC__TIME_FMT_EPOCH, buf, sizeof buf, NULL),
                         TSREC_OK);
        assert_string_equal(buf, want);
        assert_int_equal(tsrec__time_parse(buf, strlen(buf), TSREC__TIME_FMT_PERSONALIZE,
                                           &back, NULL), TSREC_OK);
        assert_int_equal(back, e);
    }
}

static void test_parse_iso_variants(void **state)
{
    (void)state;
    int64_t base = P("2021-06-15 12:30:45", TSREC__TIME_FMT_DATETIME);
    const int iso = TSREC__TIME_FMT_ISO;
    assert_int_equal(P("2021-06-15T12:30:45", iso), base);
    assert_int_equal(P("2021-06-15T12:30:45Z", iso), base);
    assert_int_equal(P("2021-06-15T12:30:45.999Z", iso), base);
    assert_int_equal(P("2021-06-15T12:30:45.1", iso), base);
    assert_int_equal(P("2021-06-15T12:30:45.123456789+00:00", iso), base);
    assert_int_equal(P("2021-06-15T12:30:45+00:00", iso), base);
    assert_int_equal(P("2021-06-15T12:30:45-00:00", iso), base);
    assert_int_equal(P("2021-06-15T18:00:45+05:30", iso), base);
    assert_int_equal(P("2021-06-15T18:00:45+0530", iso), base);
    assert_int_equal(P("2021-06-15T04:30:45-08:00", iso), base);
    assert_int_equal(P("2021-06-15T04:30:45-0800", iso), base);
    assert_int_equal(P("2021-06-16T02:30:45+14:00", iso), base);
    assert_int_equal(P("2021-06-14T22:30:45-14:00", iso), base);
    /* Offsets cross day, month and year boundaries. */
    assert_int_equal(P("2020-01-01T01:00:00+02:00", iso), dt("2019-12-31 23:00:00"));
    assert_int_equal(P("2020-02-28T23:30:00-01:00", iso), dt("2020-02-29 00:30:00"));
    /* Fractions are truncated, also before 1970. */
    assert_int_equal(P("1969-12-31T23:59:59.999999Z", iso), -1);
    /* Plain dates are midnight UTC. */
    assert_int_equal(P("2021-06-15", TSREC__TIME_FMT_DATE), base - 12 * 3600 - 30 * 60 - 45);
    /* Forecast accepts all three calendar formats. */
    assert_int_equal(P("2021-06-15 12:30:45", TSREC__TIME_FMT_FORECAST), base);
    assert_int_equal(P("2021-06-15T12:30:45Z", TSREC__TIME_FMT_FORECAST), base);
    assert_int_equal(P("2000-02-29", TSREC__TIME_FMT_FORECAST), INT64_C(951782400));
    assert_int_equal(P("1600-02-29", TSREC__TIME_FMT_FORECAST),
                     INT64_C(-11670955200) - 12 * 3600);
}

static void test_parse_epoch(void **state)
{
    (void)state;
    const int e = TSREC__TIME_FMT_PERSONALIZE;
    assert_int_equal(P("0", e), 0);
    assert_int_equal(P("-1", e), -1);
    assert_int_equal(P("-0", e), 0);
    assert_int_equal(P("0001600000000", e), INT64_C(1600000000));
    assert_int_equal(P("1600000000", e), INT64_C(1600000000));
    assert_int_equal(P("-62135596800", e), TSREC__TIME_MIN);
    assert_int_equal(P("253402300799", e), TSREC__TIME_MAX);
    /* With every format on, digits are epoch seconds. */
    assert_int_equal(P("20210101", TSREC__TIME_FMT_ALL), 20210101);
    assert_int_equal(P("2021-01-01", TSREC__TIME_FMT_ALL), dt("2021-01-01 00:00:00"));
}

typedef struct {
    const char *text;
    size_t len; /* 0 = strlen(text) */
    int formats;
    const char *msg; /* expected substring of the error message */
} parse_err_case;

#define F_DT TSREC__TIME_FMT_DATETIME
#define F_D TSREC__TIME_FMT_DATE
#define F_ISO TSREC__TIME_FMT_ISO
#define F_FC TSREC__TIME_FMT_FORECAST
#define F_EP TSREC__TIME_FMT_EPOCH
#define F_ALL TSREC__TIME_FMT_ALL

static const parse_err_case parse_errors[] = {
    /* ranges */
    {"2021-13-01", 0, F_FC, "month 13 is out of range 1..12"},
    {"2021-00-10", 0, F_FC, "month 0 is out of range 1..12"},
    {"2021-01-00", 0, F_FC, "day 0 is out of range for month 1"},
    {"2021-01-32", 0, F_FC, "day 32 is out of range for month 1"},
    {"2021-04-31", 0, F_FC, "day 31 is out of range for month 4"},
    {"2021-02-31", 0, F_FC, "day 31 is out of range for month 2"},
    {"2021-02-30", 0, F_FC, "day 30 is out of range for month 2"},
    {"2021-02-29", 0, F_FC, "(2021 is not a leap year)"},
    {"1900-02-29 00:00:00", 0, F_FC, "(1900 is not a leap year)"},
    {"2100-02-29", 0, F_FC, "(2100 is not a leap year)"},
    {"0999-12-31", 0, F_FC, "year 999 is out of range 1000..9999"},
    {"0000-01-01", 0, F_FC, "year 0 is out of range 1000..9999"},
    {"2021-01-01 24:00:00", 0, F_FC, "hour 24 is out of range 0..23"},
    {"2021-01-01 99:00:00", 0, F_FC, "hour 99 is out of range 0..23"},
    {"2021-01-01 12:60:00", 0, F_FC, "minute 60 is out of range 0..59"},
    {"2021-01-01 12:00:60", 0, F_FC, "second 60 is out of range 0..59"},
    {"2021-01-01T23:59:60Z", 0, F_FC, "second 60 is out of range 0..59"},
    /* missing fields */
    {"2021", 0, F_FC, "expected '-' at position 4, found end of text"},
    {"2021-01", 0, F_FC, "expected '-' at position 7, found end of text"},
    {"2021-01-0", 0, F_FC, "expected a digit at position 9 (day), found end of text"},
    {"2021-1-01", 0, F_FC, "expected a digit at position 6 (month), found '-'"},
    {"21-01-01", 0, F_FC, "expected a digit at position 2 (year), found '-'"},
    {"2021-01-01 12", 0, F_FC, "expected ':' at position 13, found end of text"},
    {"2021-01-01 12:00", 0, F_FC, "expected ':' at position 16, found end of text"},
    {"2021-01-01 12:00:0", 0, F_FC, "expected a digit at position 18 (second)"},
    {"2021-01-01 1:00:00", 0, F_FC, "expected a digit at position 12 (hour), found ':'"},
    {"2021-01-01T", 0, F_FC, "expected a digit at position 11 (hour), found end of text"},
    {"2021-01-01 ", 0, F_FC, "expected a digit at position 11 (hour)"},
    /* trailing garbage, blanks */
    {"2021-01-01 00:00:00x", 0, F_FC, "unexpected text at position 19"},
    {"2021-01-01 00:00:00 ", 0, F_FC, "unexpected text at position 19"},
    {"2021-01-01 00:00:00Z", 0, F_FC, "unexpected text at position 19"},
    {"2021-01-01 00:00:00.5", 0, F_FC, "unexpected text at position 19"},
    {"2021-01-01T00:00:00Zx", 0, F_FC, "unexpected text at position 20"},
    {"2021-01-01T00:00:00+01:00:00", 0, F_FC, "unexpected text at position 25"},
    {"2021-01-01T00:00:00x", 0, F_FC, "expected '.', 'Z', '+' or '-' at position 19, found 'x'"},
    {"2021-01-01T00:00:00.5x", 0, F_FC, "expected 'Z', '+' or '-' at position 21, found 'x'"},
    {"2021-01-01T00:00:00z", 0, F_FC, "found 'z'"},
    {"2021-01-01x", 0, F_FC, "expected ' ' or 'T' at position 10, found 'x'"},
    {"2021-01-01t00:00:00", 0, F_FC, "expected ' ' or 'T' at position 10, found 't'"},
    {" 2021-01-01", 0, F_FC, "expected a digit at position 0 (year), found ' '"},
    {"20210-01-01", 0, F_FC, "expected '-' at position 4, found '0'"},
    /* wrong separators */
    {"2021/01/01", 0, F_FC, "expected '-' at position 4, found '/'"},
    {"2021-01/01", 0, F_FC, "expected '-' at position 7, found '/'"},
    {"2021-01-01 12-00-00", 0, F_FC, "expected ':' at position 13, found '-'"},
    {"2021-01-01 12:00-00", 0, F_FC, "expected ':' at position 16, found '-'"},
    {"2021-01-01_12:00:00", 0, F_FC, "expected ' ' or 'T' at position 10, found '_'"},
    {"2021-01-01\t12:00:00", 0, F_FC, "found byte 0x09"},
    /* format restrictions */
    {"2021-01-01T00:00:00", 0, F_DT, "expected ' ' at position 10, found 'T'"},
    {"2021-01-01 00:00:00", 0, F_ISO, "expected 'T' at position 10, found ' '"},
    {"2021-01-01", 0, F_DT, "a date without a time of day is not accepted here"},
    {"2021-01-01 00:00:00", 0, F_D, "unexpected text at position 10"},
    {"1600000000", 0, F_FC, "expected '-' at position 4, found '0'"},
    {"2021-01-01", 0, F_EP, "expected a digit at position 4 (epoch seconds), found '-'"},
    {"abc", 0, F_EP, "expected epoch seconds"},
    {"-", 0, F_EP, "expected epoch seconds"},
    {"+5", 0, F_EP, "expected epoch seconds"},
    {"12 ", 0, F_EP, "expected a digit at position 2 (epoch seconds), found ' '"},
    {"1.5", 0, F_EP, "expected a digit at position 1 (epoch seconds), found '.'"},
    /* epoch range */
    {"253402300800", 0, F_EP, "epoch seconds out of range"},
    {"-62135596801", 0, F_EP, "epoch seconds out of range"},
    {"1600000000000", 0, F_EP, "looks like milliseconds"},
    {"99999999999999999999999999999", 0, F_EP, "epoch seconds out of range"},
    {"-99999999999999999999999999999", 0, F_EP, "epoch seconds out of range"},
    /* offsets and fractions */
    {"2021-01-01T00:00:00+14:01", 0, F_ISO, "offset +14:01 at position 19 is out of range"},
    {"2021-01-01T00:00:00-15:00", 0, F_ISO, "offset -15:00 at position 19 is out of range"},
    {"2021-01-01T00:00:00+99:00", 0, F_ISO, "is out of range -14:00..+14:00"},
    {"2021-01-01T00:00:00+05:60", 0, F_ISO, "offset minute 60 is out of range 0..59"},
    {"2021-01-01T00:00:00+05", 0, F_ISO, "expected a digit at position 22 (offset minutes)"},
    {"2021-01-01T00:00:00+05:", 0, F_ISO, "expected a digit at position 23 (offset minutes)"},
    {"2021-01-01T00:00:00+5:00", 0, F_ISO, "expected a digit at position 21 (offset hours)"},
    {"2021-01-01T00:00:00+", 0, F_ISO, "expected a digit at position 20 (offset hours)"},
    {"2021-01-01T00:00:00.", 0, F_ISO, "expected a digit at position 20 (fraction of a second)"},
    {"2021-01-01T00:00:00.Z", 0, F_ISO, "position 20 (fraction of a second), found 'Z'"},
    {"2021-01-01T00:00:00.1234567890Z", 0, F_ISO, "more than 9 fraction digits"},
    {"9999-12-31T23:00:00-01:00", 0, F_ISO, "after year 9999"},
    /* embedded NUL, non-ASCII */
    {"2021-01-01\0 00:00:00", 20, F_FC, "found byte 0x00"},
    {"2021-01-01 00:00:00\0", 20, F_FC, "unexpected text at position 19"},
    {"2021-\xc3\xa9-01", 0, F_FC, "found byte 0xC3"},
    /* overlong */
    {"2021-01-01 00:00:00000000000000000000000000000000000000000000000", 0, F_FC,
     "unexpected text at position 19"},
    {"2021-01-01 00:00:0000000000000000000000000000000000000000000000000000", 0, F_FC,
     "more than the 64 a timestamp can have"},
    {"00000000000000000000000000000000000000000000000000000000000000001", 0, F_ALL,
     "more than the 64 a timestamp can have"},
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < TSREC__ARRAY_LEN(parse_errors); i++) {
        const parse_err_case *c = &parse_errors[i];
        size_t len = c->len ? c->len : strlen(c->text);
        int64_t out = 12345;
        int rc = tsrec__time_parse(c->text, len, c->formats, &out, NULL);
        const char *msg = tsrec_last_error();
        if (rc != TSREC_E_PARSE)
            fail_msg("case %zu '%s': status %d, want TSREC_E_PARSE", i, c->text, rc);
        if (strstr(msg, c->msg) == NULL)
            fail_msg("case %zu '%s': message \"%s\" lacks \"%s\"", i, c->text, msg, c->msg);
        if (strncmp(msg, "invalid timestamp '", 19) != 0)
            fail_msg("case %zu: message \"%s\" does not quote the text", i, msg);
        assert_int_equal(out, 12345); /* untouched on failure */
    }

    /* The quote shows the text, cut to 64 characters with "...". */
    char longtext[200];
    memset(longtext, '7', sizeof longtext);
    int64_t out;
    assert_int_equal(tsrec__time_parse(longtext, sizeof longtext, F_ALL, &out, NULL),
                     TSREC_E_PARSE);
    const char *msg = tsrec_last_error();
    char want[100];
    snprintf(want, sizeof want, "'%.64s...'", longtext);
    assert_non_null(strstr(msg, want));
    assert_non_null(strstr(msg, "200 characters"));
    assert_int_equal(tsrec__time_parse("2021-02-29", 10, F_FC, &out, NULL), TSREC_E_PARSE);
    assert_string_equal(tsrec_last_error(),
                        "invalid timestamp '2021-02-29': day 29 is out of range for month 2 "
                        "(2021 is not a leap year)");
    /* Control bytes never reach the message. */
    assert_int_equal(tsrec__time_parse("2021\n01-01", 10, F_FC, &out, NULL), TSREC_E_PARSE);
    assert_null(strchr(tsrec_last_error(), '\n'));
    assert_non_null(strstr(tsrec_last_error(), "'2021?01-01'"));

    /* Empty text. */
    assert_int_equal(tsrec__time_parse("", 0, F_ALL, &out, NULL), TSREC_E_PARSE);
    assert_non_null(strstr(tsrec_last_error(), "empty"));
    assert_int_equal(tsrec__time_parse(NULL, 0, F_ALL, &out, NULL), TSREC_E_PARSE);
    /* Leap days that do exist. */
    assert_int_equal(P("2000-02-29", F_D), INT64_C(951782400));
    assert_int_equal(P("2024-02-29 23:59:59", F_DT), dt("2024-03-01 00:00:00") - 1);
}

static void test_parse_bad_args(void **state)
{
    (void)state;
    int64_t out;
    assert_int_equal(tsrec__time_parse("0", 1, F_ALL, NULL, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_parse(NULL, 3, F_ALL, &out, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_parse("0", 1, 0, &out, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_parse("0", 1, 16 | F_EP, &out, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_parse("0", 1, -1, &out, NULL), TSREC_E_INVALID_ARG);
    assert_non_null(strstr(tsrec_last_error(), "format set"));
}

/* Errors land on the handle passed in, and reach tsrec_errmsg. */
static void test_error_on_handle(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    int64_t out;
    assert_int_equal(tsrec__time_parse("2021-04-31", 10, F_FC, &out, &ctx->hdr),
                     TSREC_E_PARSE);
    assert_int_equal(tsrec_errcode(ctx), TSREC_E_PARSE);
    assert_non_null(strstr(tsrec_errmsg(ctx), "day 31 is out of range for month 4"));
    int32_t f;
    assert_int_equal(tsrec__freq_parse("2D", 2, &f, &ctx->hdr), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec_errcode(ctx), TSREC_E_UNKNOWN_NAME);
    tu_ctx_free_checked(ctx);
}

/* Random mutations of valid text: never a crash, failures are PARSE, and
 * whatever parses is in range and formats back to the same text. */
static void test_parse_mutations(void **state)
{
    (void)state;
    static const char *seeds[] = {
        "2021-06-15 12:30:45", "2000-02-29", "2021-06-15T12:30:45.123+05:30",
        "1999-12-31T23:59:59Z", "1600000000", "-86400",
    };
    static const char alphabet[] = "0123456789-: TZ+.x9\x01";
    char buf[40];
    int parsed = 0;
    for (int i = 0; i < 20000; i++) {
        const char *s = seeds[rnd() % TSREC__ARRAY_LEN(seeds)];
        size_t len = strlen(s);
        memcpy(buf, s, len);
        int edits = 1 + (int)(rnd() % 3);
        for (int e = 0; e < edits; e++) {
            int op = (int)(rnd() % 3);
            if (op == 0 && len > 0) {
                buf[rnd() % len] = alphabet[rnd() % (sizeof alphabet - 1)];
            } else if (op == 1 && len > 0) {
                len--; /* drop the tail */
            } else if (len < sizeof buf) {
                buf[len++] = alphabet[rnd() % (sizeof alphabet - 1)];
            }
        }
        int64_t t;
        int rc = tsrec__time_parse(buf, len, F_ALL, &t, NULL);
        if (rc != TSREC_OK) {
            assert_int_equal(rc, TSREC_E_PARSE);
            continue;
        }
        parsed++;
        assert_true(t >= TSREC__TIME_MIN && t <= TSREC__TIME_MAX);
        char out[TSREC__TIME_STR_MAX];
        if (len == 19 && buf[10] == ' ') {
            assert_int_equal(tsrec__time_format(t, F_DT, out, sizeof out, NULL), TSREC_OK);
            assert_memory_equal(out, buf, 19);
        } else if (len == 10 && buf[4] == '-') {
            assert_int_equal(tsrec__time_format(t, F_D, out, sizeof out, NULL), TSREC_OK);
            assert_memory_equal(out, buf, 10);
        }
    }
    assert_true(parsed > 100); /* the mutations do reach the success paths */
}

static void test_format(void **state)
{
    (void)state;
    char buf[TSREC__TIME_STR_MAX];
    int64_t t = dt("2021-03-07 04:05:06");
    assert_formats_as(t, F_DT, "2021-03-07 04:05:06");
    assert_formats_as(t, F_D, "2021-03-07");
    assert_formats_as(t, F_ISO, "2021-03-07T04:05:06Z");
    assert_formats_as(t, F_EP, "1615089906");
    assert_formats_as(-1, F_ISO, "1969-12-31T23:59:59Z");
    assert_formats_as(-1, F_EP, "-1");
    assert_formats_as(0, F_EP, "0");
    assert_formats_as(INT64_MIN, F_EP, "-9223372036854775808");
    assert_formats_as(INT64_MAX, F_EP, "9223372036854775807");
    assert_formats_as(tsrec__days_from_civil(500, 7, 4) * 86400 + 1, F_DT,
                      "0500-07-04 00:00:01");
    assert_formats_as(TSREC__TIME_MIN, F_ISO, "0001-01-01T00:00:00Z");

    /* Exact capacity works, one byte less does not and leaves "". */
    assert_int_equal(tsrec__time_format(t, F_DT, buf, 20, NULL), TSREC_OK);
    assert_int_equal(tsrec__time_format(t, F_DT, buf, 19, NULL), TSREC_E_INVALID_ARG);
    assert_string_equal(buf, "");
    assert_non_null(strstr(tsrec_last_error(), "20 needed"));
    assert_int_equal(tsrec__time_format(t, F_D, buf, 11, NULL), TSREC_OK);
    assert_int_equal(tsrec__time_format(t, F_D, buf, 10, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_format(t, F_ISO, buf, 21, NULL), TSREC_OK);
    assert_int_equal(tsrec__time_format(t, F_ISO, buf, 20, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_format(t, F_ISO, buf, 0, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_format(t, F_ISO, NULL, 32, NULL), TSREC_E_INVALID_ARG);
    /* Not exactly one format. */
    assert_int_equal(tsrec__time_format(t, F_DT | F_D, buf, sizeof buf, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_format(t, 0, buf, sizeof buf, NULL), TSREC_E_INVALID_ARG);
    /* Outside years 1..9999. */
    assert_int_equal(tsrec__time_format(TSREC__TIME_MAX + 1, F_DT, buf, sizeof buf, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__time_format(TSREC__TIME_MIN - 1, F_ISO, buf, sizeof buf, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__time_format(INT64_MIN, F_D, buf, sizeof buf, NULL),
                     TSREC_E_OUT_OF_RANGE);
}

/* ---- frequencies ------------------------------------------------------- */

static void test_freq_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int32_t code, season;
        int64_t seconds;
    } want[] = {
        {"Y", TSREC__FREQ_Y, 1, 0},
        {"M", TSREC__FREQ_M, 12, 0},
        {"W", TSREC__FREQ_W, 52, 604800},
        {"D", TSREC__FREQ_D, 7, 86400},
        {"H", TSREC__FREQ_H, 24, 3600},
        {"30min", TSREC__FREQ_30MIN, 2, 1800},
        {"15min", TSREC__FREQ_15MIN, 4, 900},
        {"10min", TSREC__FREQ_10MIN, 6, 600},
        {"5min", TSREC__FREQ_5MIN, 12, 300},
        {"1min", TSREC__FREQ_1MIN, 60, 60},
    };
    for (size_t i = 0; i < TSREC__ARRAY_LEN(want); i++) {
        int32_t f = -1;
        assert_int_equal(tsrec__freq_parse(want[i].name, strlen(want[i].name), &f, NULL),
                         TSREC_OK);
        assert_int_equal(f, want[i].code);
        assert_true(tsrec__freq_valid(f));
        assert_string_equal(tsrec__freq_name(f), want[i].name);
        assert_int_equal(tsrec__freq_season(f), want[i].season);
        assert_int_equal(tsrec__freq_seconds(f), want[i].seconds);
        /* Seasonal periods of sub-hourly data span one hour. */
        if (want[i].seconds > 0 && want[i].seconds < 3600)
            assert_int_equal(want[i].season * want[i].seconds, 3600);
    }
    static const char *bad[] = {"", "y", "m", "min", "60min", "2D", "1H", "d",
                                "15Min", "15 min", " D", "D ", "Week", "1min\n"};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(bad); i++) {
        int32_t f = 99;
        assert_int_equal(tsrec__freq_parse(bad[i], strlen(bad[i]), &f, NULL),
                         TSREC_E_UNKNOWN_NAME);
        assert_int_equal(f, 99);
        assert_non_null(strstr(tsrec_last_error(),
                               "valid frequencies are Y, M, W, D, H, 30min, 15min, 10min, "
                               "5min, 1min"));
    }
    int32_t f;
    assert_int_equal(tsrec__freq_parse("D\n\x01", 3, &f, NULL), TSREC_E_UNKNOWN_NAME);
    assert_non_null(strstr(tsrec_last_error(), "unknown frequency 'D?" "?'"));
    char longname[100];
    memset(longname, 'Q', sizeof longname);
    assert_int_equal(tsrec__freq_parse(longname, sizeof longname, &f, NULL),
                     TSREC_E_UNKNOWN_NAME);
    assert_non_null(strstr(tsrec_last_error(), "QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ...'"));
    /* A prefix of a valid name is not that name. */
    assert_int_equal(tsrec__freq_parse("15min", 2, &f, NULL), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec__freq_parse("Hx", 1, &f, NULL), TSREC_OK);
    assert_int_equal(f, TSREC__FREQ_H);
    assert_int_equal(tsrec__freq_parse(NULL, 1, &f, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__freq_parse("H", 1, NULL, NULL), TSREC_E_INVALID_ARG);
    for (int32_t code = -3; code <= 15; code++) {
        int ok = code >= 1 && code <= 10;
        assert_int_equal(tsrec__freq_valid(code), ok);
        if (!ok) {
            assert_string_equal(tsrec__freq_name(code), "?");
            assert_int_equal(tsrec__freq_season(code), 0);
            assert_int_equal(tsrec__freq_seconds(code), 0);
        }
    }
}

static int64_t trunc_ok(int64_t t, int32_t f)
{
    int64_t out = -1;
    assert_int_equal(tsrec__time_truncate(t, f, &out, NULL), TSREC_OK);
    return out;
}

static int64_t add_ok(int64_t t, int32_t f, int64_t k)
{
    int64_t out = -1;
    if (tsrec__time_add_periods(t, f, k, &out, NULL) != TSREC_OK)
        fail_msg("add_periods(%lld, %s, %lld): %s", (long long)t, tsrec__freq_name(f),
                 (long long)k, tsrec_last_error());
    return out;
}

static int64_t between_ok(int64_t a, int32_t f, int64_t b)
{
    int64_t out = -1;
    if (tsrec__time_periods_between(a, f, b, &out, NULL) != TSREC_OK)
        fail_msg("periods_between: %s", tsrec_last_error());
    return out;
}

static void test_truncate(void **state)
{
    (void)state;
    /* A Wednesday afternoon. */
    int64_t t = dt("2021-03-17 14:37:29");
    assert_int_equal(trunc_ok(t, TSREC__FREQ_Y), dt("2021-01-01 00:00:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_M), dt("2021-03-01 00:00:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_W), dt("2021-03-15 00:00:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_D), dt("2021-03-17 00:00:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_H), dt("2021-03-17 14:00:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_30MIN), dt("2021-03-17 14:30:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_15MIN), dt("2021-03-17 14:30:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_10MIN), dt("2021-03-17 14:30:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_5MIN), dt("2021-03-17 14:35:00"));
    assert_int_equal(trunc_ok(t, TSREC__FREQ_1MIN), dt("2021-03-17 14:37:00"));
    /* 15-minute buckets: :00 :15 :30 :45. */
    assert_int_equal(trunc_ok(dt("2021-03-17 14:14:59"), TSREC__FREQ_15MIN),
                     dt("2021-03-17 14:00:00"));
    assert_int_equal(trunc_ok(dt("2021-03-17 14:15:00"), TSREC__FREQ_15MIN),
                     dt("2021-03-17 14:15:00"));
    assert_int_equal(trunc_ok(dt("2021-03-17 14:59:59"), TSREC__FREQ_15MIN),
                     dt("2021-03-17 14:45:00"));
    /* Weeks start on Monday: a Sunday goes back six days, a Monday stays. */
    assert_int_equal(trunc_ok(dt("2021-03-21 23:59:59"), TSREC__FREQ_W),
                     dt("2021-03-15 00:00:00"));
    assert_int_equal(trunc_ok(dt("2021-03-22 00:00:00"), TSREC__FREQ_W),
                     dt("2021-03-22 00:00:00"));
    assert_int_equal(trunc_ok(dt("2021-01-01 10:00:00"), TSREC__FREQ_W),
                     dt("2020-12-28 00:00:00"));
    /* Before 1970. */
    assert_int_equal(trunc_ok(-1, TSREC__FREQ_W), dt("1969-12-29 00:00:00"));
    assert_int_equal(trunc_ok(-1, TSREC__FREQ_D), -86400);
    assert_int_equal(trunc_ok(-1, TSREC__FREQ_15MIN), -900);
    assert_int_equal(trunc_ok(-1, TSREC__FREQ_M), dt("1969-12-01 00:00:00"));
    assert_int_equal(trunc_ok(-1, TSREC__FREQ_Y), dt("1969-01-01 00:00:00"));
    /* Range ends. */
    for (size_t i = 0; i < TSREC__ARRAY_LEN(all_freqs); i++) {
        assert_int_equal(trunc_ok(TSREC__TIME_MIN, all_freqs[i]), TSREC__TIME_MIN);
        assert_true(tsrec__time_is_period_start(TSREC__TIME_MIN, all_freqs[i]));
        assert_true(trunc_ok(TSREC__TIME_MAX, all_freqs[i]) <= TSREC__TIME_MAX);
    }

    /* Random: the start is a period start at or before t, the next one is
     * after t, and it has the expected calendar fields. */
    for (int i = 0; i < 2000; i++) {
        int64_t x = rnd_range(TSREC__TIME_MIN, TSREC__TIME_MAX - 400 * 86400);
        for (size_t j = 0; j < TSREC__ARRAY_LEN(all_freqs); j++) {
            int32_t f = all_freqs[j];
            int64_t s = trunc_ok(x, f);
            assert_true(s <= x);
            assert_true(add_ok(s, f, 1) > x);
            assert_true(tsrec__time_is_period_start(s, f));
            assert_int_equal(trunc_ok(s, f), s);
            tsrec__civil c;
            tsrec__time_to_civil(s, &c);
            assert_int_equal(c.second, 0);
            if (tsrec__freq_seconds(f) > 0 && tsrec__freq_seconds(f) <= 3600)
                assert_int_equal(c.minute % (tsrec__freq_seconds(f) / 60), 0);
            if (f <= TSREC__FREQ_D)
                assert_int_equal(c.hour * 60 + c.minute, 0);
            if (f == TSREC__FREQ_W)
                assert_int_equal(c.weekday, 0);
            if (f == TSREC__FREQ_M || f == TSREC__FREQ_Y)
                assert_int_equal(c.day, 1);
            if (f == TSREC__FREQ_Y)
                assert_int_equal(c.month, 1);
        }
    }
    int64_t out;
    assert_int_equal(tsrec__time_truncate(t, 0, &out, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_truncate(t, 11, &out, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_truncate(t, TSREC__FREQ_D, NULL, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_truncate(TSREC__TIME_MAX + 1, TSREC__FREQ_D, &out, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__time_truncate(INT64_MIN, TSREC__FREQ_W, &out, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_false(tsrec__time_is_period_start(t, TSREC__FREQ_1MIN));
    assert_false(tsrec__time_is_period_start(0, 0));
    assert_false(tsrec__time_is_period_start(INT64_MIN, TSREC__FREQ_1MIN));
}

static void test_add_periods(void **state)
{
    (void)state;
    /* Month ends: on period starts Jan 31's month + 1 is February. */
    int64_t jan = trunc_ok(dt("2021-01-31 18:00:00"), TSREC__FREQ_M);
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, 1), dt("2021-02-01 00:00:00"));
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, 2), dt("2021-03-01 00:00:00"));
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, 11), dt("2021-12-01 00:00:00"));
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, 12), dt("2022-01-01 00:00:00"));
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, -1), dt("2020-12-01 00:00:00"));
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, -13), dt("2019-12-01 00:00:00"));
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, -24), dt("2019-01-01 00:00:00"));
    /* Off period starts the day is clamped to the month end. */
    assert_int_equal(add_ok(dt("2021-01-31 18:00:00"), TSREC__FREQ_M, 1),
                     dt("2021-02-28 18:00:00"));
    assert_int_equal(add_ok(dt("2020-01-31 18:00:00"), TSREC__FREQ_M, 1),
                     dt("2020-02-29 18:00:00"));
    assert_int_equal(add_ok(dt("2021-03-31 00:00:00"), TSREC__FREQ_M, -1),
                     dt("2021-02-28 00:00:00"));
    assert_int_equal(add_ok(dt("2021-05-31 00:00:00"), TSREC__FREQ_M, -1),
                     dt("2021-04-30 00:00:00"));
    assert_int_equal(add_ok(dt("2020-02-29 12:00:00"), TSREC__FREQ_Y, 1),
                     dt("2021-02-28 12:00:00"));
    assert_int_equal(add_ok(dt("2020-02-29 12:00:00"), TSREC__FREQ_Y, 4),
                     dt("2024-02-29 12:00:00"));
    assert_int_equal(add_ok(dt("2021-01-01 00:00:00"), TSREC__FREQ_Y, -51),
                     dt("1970-01-01 00:00:00"));
    assert_int_equal(add_ok(dt("1970-01-01 00:00:00"), TSREC__FREQ_Y, -1),
                     dt("1969-01-01 00:00:00"));
    /* Fixed lengths. */
    int64_t mon = dt("2020-12-28 00:00:00");
    assert_int_equal(add_ok(mon, TSREC__FREQ_W, 1), dt("2021-01-04 00:00:00"));
    assert_int_equal(add_ok(mon, TSREC__FREQ_W, -1), dt("2020-12-21 00:00:00"));
    assert_int_equal(add_ok(mon, TSREC__FREQ_D, 4), dt("2021-01-01 00:00:00"));
    assert_int_equal(add_ok(dt("2020-02-28 00:00:00"), TSREC__FREQ_D, 1),
                     dt("2020-02-29 00:00:00"));
    assert_int_equal(add_ok(dt("2021-12-31 23:00:00"), TSREC__FREQ_H, 1),
                     dt("2022-01-01 00:00:00"));
    assert_int_equal(add_ok(dt("2021-03-17 14:45:00"), TSREC__FREQ_15MIN, 1),
                     dt("2021-03-17 15:00:00"));
    assert_int_equal(add_ok(dt("2021-03-17 00:00:00"), TSREC__FREQ_15MIN, -1),
                     dt("2021-03-16 23:45:00"));
    assert_int_equal(add_ok(dt("2021-03-17 14:30:00"), TSREC__FREQ_30MIN, 3),
                     dt("2021-03-17 16:00:00"));
    assert_int_equal(add_ok(dt("2021-03-17 14:50:00"), TSREC__FREQ_10MIN, 2),
                     dt("2021-03-17 15:10:00"));
    assert_int_equal(add_ok(dt("2021-03-17 14:55:00"), TSREC__FREQ_5MIN, -12),
                     dt("2021-03-17 13:55:00"));
    assert_int_equal(add_ok(dt("2021-03-17 14:55:00"), TSREC__FREQ_1MIN, 1440),
                     dt("2021-03-18 14:55:00"));
    for (size_t i = 0; i < TSREC__ARRAY_LEN(all_freqs); i++) {
        int32_t f = all_freqs[i];
        assert_int_equal(add_ok(jan, f, 0), jan);
        /* Stepping back and forth returns to the start. */
        assert_int_equal(add_ok(add_ok(jan, f, -7), f, 7), jan);
        /* Leaving years 1..9999, including absurd k, is an error, not UB. */
        int64_t out = 42;
        static const int64_t big[] = {INT64_MAX, INT64_MIN, INT64_MAX / 2, INT64_MIN / 3,
                                     INT64_C(400000000000), INT64_C(-400000000000)};
        for (size_t j = 0; j < TSREC__ARRAY_LEN(big); j++)
            assert_int_equal(tsrec__time_add_periods(jan, f, big[j], &out, NULL),
                             TSREC_E_OUT_OF_RANGE);
        assert_int_equal(tsrec__time_add_periods(trunc_ok(TSREC__TIME_MAX, f), f, 1, &out,
                                                 NULL), TSREC_E_OUT_OF_RANGE);
        assert_int_equal(tsrec__time_add_periods(TSREC__TIME_MIN, f, -1, &out, NULL),
                         TSREC_E_OUT_OF_RANGE);
        assert_int_equal(out, 42);
        assert_non_null(strstr(tsrec_last_error(), "leaves years 1..9999"));
    }
    /* Calendar steps just past the last year. */
    int64_t o;
    assert_int_equal(tsrec__time_add_periods(jan, TSREC__FREQ_Y, 7979, &o, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(add_ok(jan, TSREC__FREQ_Y, 7978), dt("9999-01-01 00:00:00"));
    assert_int_equal(tsrec__time_add_periods(jan, TSREC__FREQ_M, 7979 * 12, &o, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, 7979 * 12 - 1), dt("9999-12-01 00:00:00"));
    assert_int_equal(tsrec__time_add_periods(jan, TSREC__FREQ_M, -2021 * 12, &o, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(add_ok(jan, TSREC__FREQ_M, -2020 * 12), TSREC__TIME_MIN);
    /* Whole range in one step. */
    assert_int_equal(add_ok(TSREC__TIME_MIN, TSREC__FREQ_Y, 9998),
                     dt("9999-01-01 00:00:00"));
    assert_int_equal(add_ok(TSREC__TIME_MIN, TSREC__FREQ_M, 9999 * 12 - 1),
                     dt("9999-12-01 00:00:00"));
    int64_t out;
    assert_int_equal(tsrec__time_add_periods(jan, 0, 1, &out, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_add_periods(jan, TSREC__FREQ_D, 1, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_add_periods(INT64_MAX, TSREC__FREQ_D, 1, &out, NULL),
                     TSREC_E_OUT_OF_RANGE);
}

/* Naive month count: step one month at a time. */
static int64_t naive_months_between(int64_t a, int64_t b)
{
    int64_t n = 0;
    naive_civil ca, cb;
    naive_from_time(a, &ca);
    naive_from_time(b, &cb);
    int64_t y = ca.y;
    int m = ca.m;
    int dir = b >= a ? 1 : -1;
    while (y != cb.y || m != cb.m) {
        m += dir;
        if (m == 13) {
            m = 1;
            y++;
        } else if (m == 0) {
            m = 12;
            y--;
        }
        n += dir;
    }
    return n;
}

static void test_periods_between(void **state)
{
    (void)state;
    assert_int_equal(between_ok(dt("2021-01-01 00:00:00"), TSREC__FREQ_M,
                                dt("2022-03-01 00:00:00")), 14);
    assert_int_equal(between_ok(dt("2022-03-01 00:00:00"), TSREC__FREQ_M,
                                dt("2021-01-01 00:00:00")), -14);
    assert_int_equal(between_ok(dt("1969-01-01 00:00:00"), TSREC__FREQ_Y,
                                dt("2021-01-01 00:00:00")), 52);
    assert_int_equal(between_ok(dt("2020-12-28 00:00:00"), TSREC__FREQ_W,
                                dt("2021-01-04 00:00:00")), 1);
    assert_int_equal(between_ok(dt("2021-03-17 14:00:00"), TSREC__FREQ_15MIN,
                                dt("2021-03-17 16:45:00")), 11);
    assert_int_equal(between_ok(TSREC__TIME_MIN, TSREC__FREQ_D,
                                trunc_ok(TSREC__TIME_MAX, TSREC__FREQ_D)),
                     tsrec__time_days(TSREC__TIME_MAX) - tsrec__time_days(TSREC__TIME_MIN));

    /* Consistency with add, for every frequency, on random period starts. */
    for (int i = 0; i < 3000; i++) {
        int32_t f = all_freqs[rnd() % TSREC__ARRAY_LEN(all_freqs)];
        int64_t a = trunc_ok(rnd_range(dt("1500-01-01 00:00:00"), dt("8000-01-01 00:00:00")),
                             f);
        int64_t k = rnd_range(-1000, 1000);
        int64_t b = add_ok(a, f, k);
        assert_true(tsrec__time_is_period_start(b, f));
        assert_int_equal(between_ok(a, f, b), k);
        assert_int_equal(between_ok(b, f, a), -k);
        if (f == TSREC__FREQ_M)
            assert_int_equal(naive_months_between(a, b), k);
        if (f == TSREC__FREQ_Y)
            assert_int_equal(tsrec__time_year(b) - tsrec__time_year(a), k);
        /* Any instant inside b's period has index k relative to any instant
         * inside a's period. */
        int64_t next = add_ok(b, f, 1);
        int64_t inside = rnd_range(b, next - 1);
        int64_t origin = rnd_range(a, add_ok(a, f, 1) - 1);
        int64_t idx = -1;
        assert_int_equal(tsrec__time_period_index(origin, f, inside, &idx, NULL), TSREC_OK);
        assert_int_equal(idx, k);
        assert_int_equal(tsrec__time_period_index(origin, f, next, &idx, NULL), TSREC_OK);
        assert_int_equal(idx, k + 1);
        assert_int_equal(tsrec__time_period_index(origin, f, b - 1, &idx, NULL), TSREC_OK);
        assert_int_equal(idx, k - 1);
    }

    int64_t out = 7;
    int64_t mon = dt("2021-03-15 00:00:00");
    assert_int_equal(tsrec__time_periods_between(mon, TSREC__FREQ_W, mon + 3600, &out, NULL),
                     TSREC_E_INVALID_ARG);
    assert_non_null(strstr(tsrec_last_error(), "is not the start of a W period"));
    assert_int_equal(tsrec__time_periods_between(mon + 86400, TSREC__FREQ_W, mon, &out, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_periods_between(mon, TSREC__FREQ_M, mon, &out, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_periods_between(mon, 0, mon, &out, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_periods_between(mon, TSREC__FREQ_D, INT64_MAX, &out, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__time_periods_between(mon, TSREC__FREQ_D, mon, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__time_period_index(mon, TSREC__FREQ_D, INT64_MIN, &out, NULL),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__time_period_index(mon, TSREC__FREQ_D, mon, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(out, 7);
    assert_int_equal(tsrec__time_periods_between(mon, TSREC__FREQ_W, mon, &out, NULL),
                     TSREC_OK);
    assert_int_equal(out, 0);
}

/* ---- calendar features ------------------------------------------------- */

static void test_calendar_features(void **state)
{
    (void)state;
    int64_t t = dt("2021-03-17 14:37:29"); /* Wednesday */
    assert_int_equal(tsrec__time_weekday(t), 2);
    assert_int_equal(tsrec__time_day_of_month(t), 17);
    assert_int_equal(tsrec__time_day_of_year(t), 76);
    assert_int_equal(tsrec__time_month(t), 3);
    assert_int_equal(tsrec__time_year(t), 2021);
    assert_int_equal(tsrec__time_hour(t), 14);
    assert_int_equal(tsrec__time_minute(t), 37);
    assert_false(tsrec__time_is_weekend(t));
    assert_true(tsrec__time_is_weekend(dt("2021-03-20 00:00:00")));  /* Saturday */
    assert_true(tsrec__time_is_weekend(dt("2021-03-21 23:59:59")));  /* Sunday */
    assert_false(tsrec__time_is_weekend(dt("2021-03-22 00:00:00"))); /* Monday */
    assert_false(tsrec__time_is_weekend(dt("2021-03-19 23:59:59"))); /* Friday */
    assert_int_equal(tsrec__time_day_of_year(dt("2020-12-31 12:00:00")), 366);
    assert_int_equal(tsrec__time_day_of_year(dt("2021-12-31 12:00:00")), 365);
    /* Before 1970 fields round toward the past. */
    assert_int_equal(tsrec__time_hour(-1), 23);
    assert_int_equal(tsrec__time_minute(-1), 59);
    assert_int_equal(tsrec__time_weekday(-1), 2);
    assert_int_equal(tsrec__time_day_of_month(-1), 31);
    assert_int_equal(tsrec__time_year(-1), 1969);
    assert_int_equal(tsrec__time_month(-1), 12);
    assert_int_equal(tsrec__time_days(-1), -1);
    assert_int_equal(tsrec__time_days(-86400), -1);
    assert_int_equal(tsrec__time_days(-86401), -2);
    /* Weekends in one random week each: exactly Saturday and Sunday. */
    for (int i = 0; i < 200; i++) {
        int64_t mon = trunc_ok(rnd_range(TSREC__TIME_MIN, TSREC__TIME_MAX - 8 * 86400),
                               TSREC__FREQ_W);
        for (int d = 0; d < 7; d++)
            assert_int_equal(tsrec__time_is_weekend(mon + d * 86400 + 7 * 3600), d >= 5);
    }
}

/* Naive ISO week: week 1 starts on the Monday on or before January 4. */
static int64_t naive_week1_monday(int64_t y)
{
    int64_t jan4 = naive_days(y, 1, 4);
    return jan4 - naive_weekday(jan4);
}

static void test_iso_week(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int32_t week;
        int64_t year;
    } known[] = {
        {"2020-12-31", 53, 2020}, {"2021-01-03", 53, 2020}, {"2021-01-04", 1, 2021},
        {"2026-01-01", 1, 2026},  {"2008-12-29", 1, 2009},  {"2010-01-03", 53, 2009},
        {"2005-01-01", 53, 2004}, {"2007-01-01", 1, 2007},  {"2026-12-31", 53, 2026},
        {"2027-01-01", 53, 2026}, {"1969-12-29", 1, 1970},  {"2021-03-17", 11, 2021},
        {"2000-02-29", 9, 2000},  {"1999-12-31", 52, 1999},
    };
    for (size_t i = 0; i < TSREC__ARRAY_LEN(known); i++) {
        int64_t t = P(known[i].date, TSREC__TIME_FMT_DATE) + 12345;
        int32_t w = -1;
        int64_t y = -1;
        tsrec__time_iso_week(t, &w, &y);
        if (w != known[i].week || y != known[i].year)
            fail_msg("%s: got week %d of %lld", known[i].date, (int)w, (long long)y);
    }
    /* Every day of 1890..2110 against the naive definition. */
    int64_t first = naive_days(1890, 1, 1), last = naive_days(2110, 12, 31);
    for (int64_t d = first; d <= last; d++) {
        naive_civil c;
        naive_from_days(d, &c);
        int64_t iso_year = c.y;
        if (d < naive_week1_monday(c.y))
            iso_year = c.y - 1;
        else if (d >= naive_week1_monday(c.y + 1))
            iso_year = c.y + 1;
        int64_t week = (d - naive_week1_monday(iso_year)) / 7 + 1;
        int32_t w;
        int64_t y;
        tsrec__time_iso_week(d * 86400 + 86399, &w, &y);
        if (w != week || y != iso_year)
            fail_msg("day %lld: got %d/%lld want %lld/%lld", (long long)d, (int)w,
                     (long long)y, (long long)week, (long long)iso_year);
    }
    /* Outputs are optional. */
    int32_t w;
    tsrec__time_iso_week(0, &w, NULL);
    assert_int_equal(w, 1);
    int64_t y;
    tsrec__time_iso_week(0, NULL, &y);
    assert_int_equal(y, 1970);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_timestamps),
        cmocka_unit_test(test_every_day_sequential),
        cmocka_unit_test(test_random_civil_vs_naive),
        cmocka_unit_test(test_roundtrip_random),
        cmocka_unit_test(test_parse_iso_variants),
        cmocka_unit_test(test_parse_epoch),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_bad_args),
        cmocka_unit_test(test_error_on_handle),
        cmocka_unit_test(test_parse_mutations),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_freq_names),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_add_periods),
        cmocka_unit_test(test_periods_between),
        cmocka_unit_test(test_calendar_features),
        cmocka_unit_test(test_iso_week),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
