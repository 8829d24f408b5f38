/* Calendar and time services for the Forecast and Personalize halves.
 *
 * A timestamp is an int64_t count of seconds since 1970-01-01T00:00:00Z,
 * always UTC: the library never looks at the process time zone or locale.
 * Civil dates use the proleptic Gregorian calendar, converted with our own
 * day-count arithmetic (no timegm/mktime/strptime).
 *
 * Three kinds of function live here:
 *  - total functions (calendar fields, civil conversion) that accept any
 *    int64_t and never fail;
 *  - parsing and formatting (time_parse.c), strict about the text;
 *  - frequencies and period arithmetic (time_freq.c), which keep results
 *    inside the supported range [TSREC__TIME_MIN, TSREC__TIME_MAX], i.e.
 *    years 1..9999, and report TSREC_E_OUT_OF_RANGE otherwise. */
#ifndef TSREC_TIME_INTERNAL_H
#define TSREC_TIME_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

/* ---- range ------------------------------------------------------------ */

#define TSREC__SECONDS_PER_DAY INT64_C(86400)
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define TSREC__TIME_MIN INT64_C(-62135596800)
#define TSREC__TIME_MAX INT64_C(253402300799)

/* ---- civil dates (time.c) ---------------------------------------------- */

/* A broken-down UTC time. */
typedef struct tsrec__civil {
    int64_t year;    /* proleptic Gregorian; year 0 is 1 BC */
    int32_t month;   /* 1..12 */
    int32_t day;     /* 1..31 */
    int32_t hour;    /* 0..23 */
    int32_t minute;  /* 0..59 */
    int32_t second;  /* 0..59 */
    int32_t weekday; /* 0 = Monday .. 6 = Sunday */
    int32_t yday;    /* day of year, 1..366 */
} tsrec__civil;

/* 1 if `year` is a Gregorian leap year. */
int tsrec__is_leap_year(int64_t year);
/* Days in month 1..12 of `year`; 0 for a month outside 1..12. */
int32_t tsrec__days_in_month(int64_t year, int32_t month);
/* Days since 1970-01-01 of a civil date. The caller keeps month in 1..12 and
 * day in 1..31 and |year| below 2^50; a day past the month's end simply
 * rolls over into the next month. */
int64_t tsrec__days_from_civil(int64_t year, int32_t month, int32_t day);
/* Inverse of tsrec__days_from_civil, for any day count with |days| < 2^60. */
void tsrec__civil_from_days(int64_t days, int64_t *out_year, int32_t *out_month,
                            int32_t *out_day);
/* Full breakdown of any timestamp (negative ones round toward the past). */
void tsrec__time_to_civil(int64_t t, tsrec__civil *out);
/* Timestamp of a civil date and time (fields as in tsrec__days_from_civil,
 * hour/minute/second in their ranges, |year| below 10^11 so the result
 * fits; weekday and yday are ignored). */
int64_t tsrec__time_from_civil(const tsrec__civil *c);

/* ---- calendar features (time.c) --------------------------------------- */

/* Days since the epoch, rounded toward the past. */
int64_t tsrec__time_days(int64_t t);
int32_t tsrec__time_weekday(int64_t t);      /* 0 = Monday .. 6 = Sunday */
int32_t tsrec__time_day_of_month(int64_t t); /* 1..31 */
int32_t tsrec__time_day_of_year(int64_t t);  /* 1..366 */
int32_t tsrec__time_month(int64_t t);        /* 1..12 */
int64_t tsrec__time_year(int64_t t);
int32_t tsrec__time_hour(int64_t t);         /* 0..23 */
int32_t tsrec__time_minute(int64_t t);       /* 0..59 */
/* 1 on Saturday and Sunday. */
int tsrec__time_is_weekend(int64_t t);
/* ISO 8601 week (1..53) and the ISO week-numbering year it belongs to, which
 * differs from the calendar year around New Year (2021-01-03 is week 53 of
 * 2020). Either output may be NULL. */
void tsrec__time_iso_week(int64_t t, int32_t *out_week, int64_t *out_iso_year);

/* ---- parsing and formatting (time_parse.c) ---------------------------- */

/* Text formats, combined as a bit set for parsing. */
enum tsrec__time_format {
    TSREC__TIME_FMT_DATETIME = 1, /* yyyy-MM-dd HH:mm:ss */
    TSREC__TIME_FMT_DATE = 2,     /* yyyy-MM-dd (midnight) */
    TSREC__TIME_FMT_ISO = 4,      /* yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z|+HH:mm|-HH:mm|+HHmm|-HHmm] */
    TSREC__TIME_FMT_EPOCH = 8,    /* [-]digits: seconds since the epoch */
    /* What Forecast accepts in its timestamp columns. */
    TSREC__TIME_FMT_FORECAST = 1 | 2 | 4,
    /* What Personalize accepts (its TIMESTAMP fields are epoch seconds). */
    TSREC__TIME_FMT_PERSONALIZE = 8,
    TSREC__TIME_FMT_ALL = 1 | 2 | 4 | 8
};

/* Longest text tsrec__time_parse looks at; longer input is refused. */
#define TSREC__TIME_TEXT_MAX 64
/* Buffer size that holds any formatted timestamp with its NUL. */
#define TSREC__TIME_STR_MAX 32

/* Parse `len` bytes of `s` (no NUL needed, none expected inside) as a
 * timestamp in one of the `formats` (a bit set of tsrec__time_format).
 * Strict: exact field widths, ranges checked, no surrounding blanks, no
 * trailing text. Fractional seconds are truncated; an ISO offset is applied
 * to give UTC. Date formats take years 1000..9999; epoch seconds must fall in
 * years 1..9999. Returns TSREC_OK, TSREC_E_PARSE (message quotes the text and
 * says what is wrong and where; positions are 0-based) or TSREC_E_INVALID_ARG
 * (NULL pointers, no known format bit). `*out` is written only on success. */
int tsrec__time_parse(const char *s, size_t len, int formats, int64_t *out,
                      tsrec__handle *eh);

/* Write `t` as text in ONE format into buf (capacity `cap` bytes, NUL
 * included): DATETIME gives 19 characters, DATE 10, ISO 20 (with a trailing
 * 'Z'), EPOCH the decimal seconds. Years 1..999 are zero-padded to four
 * digits. TSREC_E_OUT_OF_RANGE if t is outside [TSREC__TIME_MIN,
 * TSREC__TIME_MAX] (date formats), TSREC_E_INVALID_ARG for a NULL buffer, an
 * unknown format or a buffer too small (buf then holds "" if cap > 0). */
int tsrec__time_format(int64_t t, int fmt, char *buf, size_t cap, tsrec__handle *eh);

/* ---- frequencies and periods (time_freq.c) ---------------------------- */

/* Forecast data frequencies. 0 is deliberately not a frequency, so a zeroed
 * config is caught as unset. */
enum tsrec__freq {
    TSREC__FREQ_Y = 1,
    TSREC__FREQ_M = 2,
    TSREC__FREQ_W = 3,
    TSREC__FREQ_D = 4,
    TSREC__FREQ_H = 5,
    TSREC__FREQ_30MIN = 6,
    TSREC__FREQ_15MIN = 7,
    TSREC__FREQ_10MIN = 8,
    TSREC__FREQ_5MIN = 9,
    TSREC__FREQ_1MIN = 10
};
#define TSREC__FREQ_FIRST TSREC__FREQ_Y
#define TSREC__FREQ_LAST TSREC__FREQ_1MIN

/* 1 if f is one of the codes above. */
int tsrec__freq_valid(int32_t f);
/* Parse an AWS frequency string ("Y","M","W","D","H","30min","15min",
 * "10min","5min","1min"; exact, case-sensitive). TSREC_E_UNKNOWN_NAME with
 * the list of valid names otherwise; TSREC_E_INVALID_ARG for NULL pointers. */
int tsrec__freq_parse(const char *s, size_t len, int32_t *out, tsrec__handle *eh);
/* The AWS name of a frequency, "?" for an invalid code. Static storage. */
const char *tsrec__freq_name(int32_t f);
/* The default seasonal period Amazon Forecast uses for the frequency
 * (Y 1, M 12, W 52, D 7, H 24, 30min 2, 15min 4, 10min 6, 5min 12,
 * 1min 60); 0 for an invalid code. */
int32_t tsrec__freq_season(int32_t f);
/* Length in seconds of a fixed-length frequency (W, D, H, minutes); 0 for M,
 * Y and invalid codes. */
int64_t tsrec__freq_seconds(int32_t f);

/* Start of the period containing t: Y -> Jan 1 00:00, M -> the 1st 00:00,
 * W -> Monday 00:00 (AWS weeks start on Monday), D -> midnight, H -> the hour,
 * N-minute buckets aligned to the hour (:00, :15, :30, :45 for 15min).
 * t must be in [TSREC__TIME_MIN, TSREC__TIME_MAX]. */
int tsrec__time_truncate(int64_t t, int32_t freq, int64_t *out, tsrec__handle *eh);
/* 1 if t is the start of its period. */
int tsrec__time_is_period_start(int64_t t, int32_t freq);
/* t plus k periods (k may be negative). Fixed-length frequencies add
 * k * length. M and Y move the calendar month/year and keep the time of day;
 * a day past the end of the target month is clamped to its last day
 * (Jan 31 + 1 M = Feb 28 or 29), so on period starts the result is exact and
 * tsrec__time_periods_between inverts it. TSREC_E_OUT_OF_RANGE if t or the
 * result leaves years 1..9999. */
int tsrec__time_add_periods(int64_t t, int32_t freq, int64_t k, int64_t *out,
                            tsrec__handle *eh);
/* Number n of periods from period start a to period start b, so that
 * tsrec__time_add_periods(a, freq, n) == b (n < 0 if b is before a).
 * TSREC_E_INVALID_ARG if a or b is not a period start of freq. */
int tsrec__time_periods_between(int64_t a, int32_t freq, int64_t b, int64_t *out,
                                tsrec__handle *eh);
/* Index of the period containing t, counted from the period containing
 * `origin` (0 for the same period, negative before it). Any t and origin
 * in range, not only period starts. */
int tsrec__time_period_index(int64_t origin, int32_t freq, int64_t t, int64_t *out,
                             tsrec__handle *eh);

#endif /* TSREC_TIME_INTERNAL_H */
