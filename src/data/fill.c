/* Filling of missing values as Amazon Forecast does it: the configuration
 * (AWS FeaturizationMethodParameters string maps and their rules) and the
 * per-row filling of target and related series. Region and window rules are
 * described in featurize_internal.h. */
#include "featurize_internal.h"

#include <math.h>
#include <string.h>

#include "params_internal.h"

static const char *const agg_names[] = {"?", "sum", "avg", "first", "min", "max"};
static const char *const fill_names[] = {"unset", "none", "zero",  "nan", "value",
                                         "median", "mean", "min", "max"};
static const char *const region_names[] = {"frontfill", "middlefill", "backfill",
                                           "futurefill"};

const char *tsrec__agg_name(int32_t agg)
{
    return agg >= TSREC__AGG_SUM && agg <= TSREC__AGG_MAX ? agg_names[agg] : "?";
}

const char *tsrec__fill_name(int32_t method)
{
    return method >= TSREC__FILL_UNSET && method <= TSREC__FILL_MAX ? fill_names[method]
                                                                    : "?";
}

const char *tsrec__region_name(int32_t region)
{
    return region >= 0 && region < TSREC__N_REGIONS ? region_names[region] : "?";
}

void tsrec__fill_config_target(tsrec__fill_config *c)
{
    memset(c, 0, sizeof(*c));
    c->related = 0;
    c->aggregation = TSREC__AGG_SUM;
    c->method[TSREC__REGION_FRONT] = TSREC__FILL_NONE;
    c->method[TSREC__REGION_MIDDLE] = TSREC__FILL_ZERO;
    c->method[TSREC__REGION_BACK] = TSREC__FILL_ZERO;
    c->method[TSREC__REGION_FUTURE] = TSREC__FILL_UNSET;
}

void tsrec__fill_config_related(tsrec__fill_config *c)
{
    memset(c, 0, sizeof(*c));
    c->related = 1;
}

/* ---- checking -------------------------------------------------------- */

#define TARGET_FILLS "zero, nan, value, median, mean, min, max"
#define RELATED_FILLS "zero, value, median, mean, min, max"

static const char *attr_or(const char *attr)
{
    return attr != NULL ? attr : "?";
}

int tsrec__fill_config_check(const tsrec__fill_config *c, tsrec__handle *eh,
                             const char *attr)
{
    if (c == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filling config: NULL config");
    const char *a = attr_or(attr);
    const char *kind = c->related ? "related time series" : "target time series";
    if (c->related) {
        if (c->aggregation != 0)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': aggregation '%s' is not accepted for a "
                               "related time series attribute (related series are never "
                               "aggregated)",
                               a, tsrec__agg_name(c->aggregation));
        if (c->method[TSREC__REGION_FRONT] != TSREC__FILL_UNSET)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': frontfill '%s' is not accepted for a related "
                               "time series attribute (only middlefill, backfill and "
                               "futurefill)",
                               a, tsrec__fill_name(c->method[TSREC__REGION_FRONT]));
    } else {
        if (c->aggregation < TSREC__AGG_SUM || c->aggregation > TSREC__AGG_MAX)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': aggregation must be one of sum, avg, first, "
                               "min, max",
                               a);
        int32_t front = c->method[TSREC__REGION_FRONT];
        if (front != TSREC__FILL_NONE && front != TSREC__FILL_UNSET)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': frontfill '%s' is not allowed for a target "
                               "time series attribute (allowed: none)",
                               a, tsrec__fill_name(front));
        if (c->method[TSREC__REGION_FUTURE] != TSREC__FILL_UNSET)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': futurefill '%s' is not allowed for a target "
                               "time series attribute (futurefill is for related time "
                               "series only)",
                               a, tsrec__fill_name(c->method[TSREC__REGION_FUTURE]));
    }
    for (int32_t r = TSREC__REGION_MIDDLE; r < TSREC__N_REGIONS; r++) {
        if (!c->related && r == TSREC__REGION_FUTURE)
            continue;
        int32_t m = c->method[r];
        int ok;
        if (c->related)
            ok = m == TSREC__FILL_UNSET || (m >= TSREC__FILL_ZERO && m <= TSREC__FILL_MAX &&
                                            m != TSREC__FILL_NAN);
        else
            ok = m >= TSREC__FILL_ZERO && m <= TSREC__FILL_MAX;
        if (!ok)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': %s '%s' is not allowed for a %s attribute "
                               "(allowed: %s)",
                               a, tsrec__region_name(r), tsrec__fill_name(m), kind,
                               c->related ? RELATED_FILLS : TARGET_FILLS);
        if (m == TSREC__FILL_VALUE && !isfinite(c->value[r]))
            return tsrec__fail(eh, TSREC_E_NAN,
                               "attribute '%s': %s_value must be a finite number", a,
                               tsrec__region_name(r));
    }
    return TSREC_OK;
}

/* ---- parsing ----------------------------------------------------------- */

/* Which key: a region's method (kind 1), its "_value" (kind 2), or the
 * aggregation (kind 3). */
enum { KEY_NONE = 0, KEY_METHOD = 1, KEY_VALUE = 2, KEY_AGG = 3 };

static int classify_key(const char *key, int32_t *out_region)
{
    *out_region = -1;
    if (strcmp(key, "aggregation") == 0)
        return KEY_AGG;
    for (int32_t r = 0; r < TSREC__N_REGIONS; r++) {
        size_t len = strlen(region_names[r]);
        if (strncmp(key, region_names[r], len) != 0)
            continue;
        if (key[len] == '\0') {
            *out_region = r;
            return KEY_METHOD;
        }
        /* frontfill only takes "none", so it has no companion value. */
        if (r != TSREC__REGION_FRONT && strcmp(key + len, "_value") == 0) {
            *out_region = r;
            return KEY_VALUE;
        }
    }
    return KEY_NONE;
}

static int32_t method_code(const char *s)
{
    for (int32_t m = TSREC__FILL_NONE; m <= TSREC__FILL_MAX; m++)
        if (strcmp(s, fill_names[m]) == 0)
            return m;
    return TSREC__FILL_UNSET;
}

static int32_t agg_code(const char *s)
{
    for (int32_t g = TSREC__AGG_SUM; g <= TSREC__AGG_MAX; g++)
        if (strcmp(s, agg_names[g]) == 0)
            return g;
    return 0;
}

static int parse_one(tsrec__fill_config *t, uint32_t *seen_methods, uint32_t *seen_values,
                     int *seen_agg, tsrec__handle *eh, const char *a, const char *key,
                     const char *val)
{
    int32_t r;
    int kind = classify_key(key, &r);
    switch (kind) {
    case KEY_AGG: {
        if (*seen_agg)
            return tsrec__fail(eh, TSREC_E_DUPLICATE,
                               "attribute '%s': key 'aggregation' is given twice", a);
        *seen_agg = 1;
        if (t->related)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': aggregation is not accepted for a related "
                               "time series attribute (related series are never "
                               "aggregated)",
                               a);
        int32_t g = agg_code(val);
        if (g == 0)
            return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                               "attribute '%s': unknown aggregation '%.64s' (valid: sum, "
                               "avg, first, min, max)",
                               a, val);
        t->aggregation = g;
        return TSREC_OK;
    }
    case KEY_METHOD: {
        if (*seen_methods & (1u << r))
            return tsrec__fail(eh, TSREC_E_DUPLICATE, "attribute '%s': key '%s' is given twice",
                               a, region_names[r]);
        *seen_methods |= 1u << r;
        int32_t m = method_code(val);
        if (m == TSREC__FILL_UNSET)
            return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                               "attribute '%s': unknown %s method '%.64s' (valid: none, "
                               "zero, nan, value, median, mean, min, max)",
                               a, region_names[r], val);
        t->method[r] = m;
        return TSREC_OK;
    }
    case KEY_VALUE: {
        if (*seen_values & (1u << r))
            return tsrec__fail(eh, TSREC_E_DUPLICATE,
                               "attribute '%s': key '%s_value' is given twice", a,
                               region_names[r]);
        *seen_values |= 1u << r;
        char name[32];
        memcpy(name, region_names[r], strlen(region_names[r]));
        memcpy(name + strlen(region_names[r]), "_value", sizeof("_value"));
        /* The params number parser is strict and locale-independent and
         * refuses NaN, infinities and overflow, as AWS wants a number. */
        tsrec__param_def def =
            TSREC__PARAM_DEF_DOUBLE(name, "0", -INFINITY, INFINITY, "fill value");
        tsrec__param_value v;
        int rc = tsrec__param_parse(&def, NULL, NULL, val, strlen(val), &v);
        if (rc != TSREC_OK)
            return tsrec__fail(eh, rc,
                               "attribute '%s': %s '%.64s' is not a finite decimal number",
                               a, name, val);
        t->value[r] = v.d;
        return TSREC_OK;
    }
    default:
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "attribute '%s': unknown filling parameter '%.64s' (valid: "
                           "aggregation, frontfill, middlefill, backfill, futurefill, "
                           "middlefill_value, backfill_value, futurefill_value)",
                           a, key);
    }
}

int tsrec__fill_config_parse(tsrec__fill_config *c, tsrec__handle *eh, const char *attr,
                             const char *const *keys, const char *const *values, int64_t n)
{
    if (c == NULL || n < 0 || (n > 0 && (keys == NULL || values == NULL)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filling config: NULL argument");
    const char *a = attr_or(attr);
    tsrec__fill_config t = *c;
    uint32_t seen_methods = 0, seen_values = 0;
    int seen_agg = 0;
    for (int64_t i = 0; i < n; i++) {
        if (keys[i] == NULL || values[i] == NULL)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': filling parameter %lld has a NULL %s", a,
                               (long long)i, keys[i] == NULL ? "key" : "value");
        int rc = parse_one(&t, &seen_methods, &seen_values, &seen_agg, eh, a, keys[i],
                           values[i]);
        if (rc != TSREC_OK)
            return rc;
    }
    /* "value" and "<fill>_value" come as a pair: both or neither. A
     * "value" method inherited from *c keeps its value. */
    for (int32_t r = TSREC__REGION_MIDDLE; r < TSREC__N_REGIONS; r++) {
        int given = (seen_methods >> r) & 1u;
        int has_value = (seen_values >> r) & 1u;
        if (given && t.method[r] == TSREC__FILL_VALUE && !has_value)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': %s is 'value' but %s_value is missing", a,
                               region_names[r], region_names[r]);
        if (has_value && t.method[r] != TSREC__FILL_VALUE)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "attribute '%s': %s_value is given but %s is '%s', not "
                               "'value'",
                               a, region_names[r], region_names[r],
                               tsrec__fill_name(t.method[r]));
    }
    int rc = tsrec__fill_config_check(&t, eh, attr);
    if (rc != TSREC_OK)
        return rc;
    *c = t;
    return TSREC_OK;
}

/* ---- filling ------------------------------------------------------------ */

void tsrec__series_span(const uint8_t *observed, int64_t n, int64_t *out_start,
                        int64_t *out_end)
{
    int64_t s = 0, e = n;
    while (s < n && !observed[s])
        s++;
    while (e > s && !observed[e - 1])
        e--;
    if (s == n)
        s = e = 0;
    *out_start = s;
    *out_end = e;
}

/* The last TSREC__FILL_WINDOW observed values, oldest overwritten first. */
typedef struct window {
    double v[TSREC__FILL_WINDOW];
    int32_t count, next;
} window;

static void window_push(window *w, double x)
{
    w->v[w->next] = x;
    w->next = (w->next + 1) % TSREC__FILL_WINDOW;
    if (w->count < TSREC__FILL_WINDOW)
        w->count++;
}

static double window_median(const window *w)
{
    double s[TSREC__FILL_WINDOW];
    int32_t n = w->count;
    /* At most 64 values: insertion sort is simple and fast enough. */
    for (int32_t i = 0; i < n; i++) {
        double x = w->v[i];
        int32_t j = i;
        while (j > 0 && s[j - 1] > x) {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = x;
    }
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/* The value a gap gets; the window is never empty here because every
 * filled region starts after the series' first observation. */
static double fill_value(const tsrec__fill_config *c, int32_t region, const window *w)
{
    switch (c->method[region]) {
    case TSREC__FILL_ZERO:
        return 0.0;
    case TSREC__FILL_VALUE:
        return c->value[region];
    case TSREC__FILL_MEDIAN:
        return window_median(w);
    case TSREC__FILL_MEAN: {
        double s = 0.0;
        for (int32_t i = 0; i < w->count; i++)
            s += w->v[i];
        return s / (double)w->count;
    }
    case TSREC__FILL_MIN: {
        double m = w->v[0];
        for (int32_t i = 1; i < w->count; i++)
            m = w->v[i] < m ? w->v[i] : m;
        return m;
    }
    case TSREC__FILL_MAX: {
        double m = w->v[0];
        for (int32_t i = 1; i < w->count; i++)
            m = w->v[i] > m ? w->v[i] : m;
        return m;
    }
    default: /* nan (target) */
        return NAN;
    }
}

/* Region of missing cell i of a series spanning [start, end). */
static int32_t region_of(int64_t i, int64_t end, int64_t n_time)
{
    if (i >= n_time)
        return TSREC__REGION_FUTURE;
    return i < end ? TSREC__REGION_MIDDLE : TSREC__REGION_BACK;
}

/* Fill cells [start, n) of x; a gap's value is computed once, when the
 * gap (or a new region inside it) begins. */
static void fill_from(double *x, const uint8_t *observed, int64_t start, int64_t end,
                      int64_t n_time, int64_t n, const tsrec__fill_config *c)
{
    window w;
    w.count = 0;
    w.next = 0;
    int32_t cur = -1; /* region of the gap being filled, -1 outside gaps */
    double v = 0.0;
    for (int64_t i = start; i < n; i++) {
        if (observed[i]) {
            window_push(&w, x[i]);
            cur = -1;
            continue;
        }
        int32_t r = region_of(i, end, n_time);
        if (r != cur) {
            v = fill_value(c, r, &w);
            cur = r;
        }
        x[i] = v;
    }
}

void tsrec__fill_target_row(double *y, const uint8_t *observed, int64_t n_time,
                            const tsrec__fill_config *c)
{
    int64_t start, end;
    tsrec__series_span(observed, n_time, &start, &end);
    if (start == end)
        return; /* no observation: nothing to fill from */
    for (int64_t i = 0; i < start; i++)
        y[i] = NAN; /* frontfill none */
    fill_from(y, observed, start, end, n_time, n_time, c);
}

int tsrec__fill_related_row(double *x, const uint8_t *observed, int64_t n_time,
                            int64_t n_cols, const tsrec__fill_config *c,
                            tsrec__handle *eh, const char *attr, int64_t series)
{
    int64_t start, end;
    tsrec__series_span(observed, n_cols, &start, &end);
    if (start == end)
        return TSREC_OK;
    /* Refuse before touching x: every region holding a missing cell needs
     * a method, since related series have no default filling. */
    for (int64_t i = start; i < n_cols; i++) {
        if (observed[i])
            continue;
        int32_t r = region_of(i, end, n_time);
        if (c->method[r] == TSREC__FILL_UNSET)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "related attribute '%s': series %lld has missing values in the "
                               "%s region (from period %lld) but no %s method is set "
                               "(related time series have no default filling)",
                               attr_or(attr), (long long)series, region_names[r],
                               (long long)i, region_names[r]);
    }
    fill_from(x, observed, start, end, n_time, n_cols, c);
    return TSREC_OK;
}
