/* Civil-date arithmetic and calendar features on UTC timestamps.
 *
 * Day counts use the "shifted year" idea (Hinnant's days_from_civil): count
 * years from March so the leap day is the last day of the year, and group
 * years in 400-year eras of exactly 146097 days. Then the day of an era is a
 * closed formula and no loop or table is needed, for any year and for dates
 * before 1970 alike. */
#include "time_internal.h"

/* Days in a 400-year Gregorian cycle, and the day number of 1970-01-01
 * counted from 0000-03-01 (the start of the era holding the epoch). */
#define DAYS_PER_ERA INT64_C(146097)
#define EPOCH_SHIFT INT64_C(719468)

/* Division and remainder rounding toward minus infinity, so that times
 * before 1970 fall into the right day. b > 0. Never overflows. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b < 0)
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

int tsrec__is_leap_year(int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int32_t tsrec__days_in_month(int64_t year, int32_t month)
{
    static const int32_t len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && tsrec__is_leap_year(year))
        return 29;
    return len[month - 1];
}

int64_t tsrec__days_from_civil(int64_t year, int32_t month, int32_t day)
{
    /* Years start in March: January and February belong to the year before. */
    int64_t y = month <= 2 ? year - 1 : year;
    int64_t era = floor_div(y, 400);
    int64_t year_of_era = y - era * 400;                   /* 0..399 */
    int64_t month_from_march = (month + 9) % 12;           /* Mar 0 .. Feb 11 */
    /* Month lengths from March run 31 30 31 30 31 31 30 31 30 31 31 (28/29):
     * (153 * m + 2) / 5 gives the first day of month m exactly. */
    int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 +
                         day_of_year;
    return era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT;
}

void tsrec__civil_from_days(int64_t days, int64_t *out_year, int32_t *out_month,
                            int32_t *out_day)
{
    int64_t z = days + EPOCH_SHIFT;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t day_of_era = z - era * DAYS_PER_ERA; /* 0..146096 */
    /* Remove the leap days seen so far (one per 4 years, minus one per
     * century, plus one at the very last day of the era) so that plain
     * division by 365 gives the year of the era. */
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
                           day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era -
                          (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_from_march = (5 * day_of_year + 2) / 153;
    int32_t day = (int32_t)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    int32_t month = (int32_t)(month_from_march < 10 ? month_from_march + 3
                                                    : month_from_march - 9);
    int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    if (out_year)
        *out_year = year;
    if (out_month)
        *out_month = month;
    if (out_day)
        *out_day = day;
}

int64_t tsrec__time_days(int64_t t)
{
    return floor_div(t, TSREC__SECONDS_PER_DAY);
}

/* 1970-01-01 was a Thursday (3 with Monday = 0). */
static int32_t weekday_of_days(int64_t days)
{
    return (int32_t)floor_mod(days + 3, 7);
}

void tsrec__time_to_civil(int64_t t, tsrec__civil *out)
{
    int64_t days = tsrec__time_days(t);
    int64_t sec_of_day = floor_mod(t, TSREC__SECONDS_PER_DAY);
    tsrec__civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int32_t)(sec_of_day / 3600);
    out->minute = (int32_t)(sec_of_day / 60 % 60);
    out->second = (int32_t)(sec_of_day % 60);
    out->weekday = weekday_of_days(days);
    out->yday = (int32_t)(days - tsrec__days_from_civil(out->year, 1, 1) + 1);
}

int64_t tsrec__time_from_civil(const tsrec__civil *c)
{
    return tsrec__days_from_civil(c->year, c->month, c->day) * TSREC__SECONDS_PER_DAY +
           (int64_t)c->hour * 3600 + (int64_t)c->minute * 60 + c->second;
}

/* ---- calendar features ------------------------------------------------ */

int32_t tsrec__time_weekday(int64_t t)
{
    return weekday_of_days(tsrec__time_days(t));
}

int32_t tsrec__time_day_of_month(int64_t t)
{
    int32_t d;
    tsrec__civil_from_days(tsrec__time_days(t), NULL, NULL, &d);
    return d;
}

int32_t tsrec__time_day_of_year(int64_t t)
{
    int64_t days = tsrec__time_days(t), y;
    tsrec__civil_from_days(days, &y, NULL, NULL);
    return (int32_t)(days - tsrec__days_from_civil(y, 1, 1) + 1);
}

int32_t tsrec__time_month(int64_t t)
{
    int32_t m;
    tsrec__civil_from_days(tsrec__time_days(t), NULL, &m, NULL);
    return m;
}

int64_t tsrec__time_year(int64_t t)
{
    int64_t y;
    tsrec__civil_from_days(tsrec__time_days(t), &y, NULL, NULL);
    return y;
}

int32_t tsrec__time_hour(int64_t t)
{
    return (int32_t)(floor_mod(t, TSREC__SECONDS_PER_DAY) / 3600);
}

int32_t tsrec__time_minute(int64_t t)
{
    return (int32_t)(floor_mod(t, 3600) / 60);
}

int tsrec__time_is_weekend(int64_t t)
{
    return tsrec__time_weekday(t) >= 5;
}

void tsrec__time_iso_week(int64_t t, int32_t *out_week, int64_t *out_iso_year)
{
    /* An ISO week belongs to the year holding its Thursday, and week 1 is
     * the week with the year's first Thursday. So find this week's Thursday:
     * its calendar year is the ISO year, and its day of year counts whole
     * weeks from that first Thursday. */
    int64_t days = tsrec__time_days(t);
    int64_t thursday = days - weekday_of_days(days) + 3;
    int64_t y;
    tsrec__civil_from_days(thursday, &y, NULL, NULL);
    int64_t yday0 = thursday - tsrec__days_from_civil(y, 1, 1); /* 0-based */
    if (out_week)
        *out_week = (int32_t)(yday0 / 7 + 1);
    if (out_iso_year)
        *out_iso_year = y;
}
