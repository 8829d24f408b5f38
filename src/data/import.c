/* Import sessions: per-field rules, row parsing into columns, commit and
 * rollback (see import_internal.h for the atomicity contract). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "import_internal.h"
#include "time_internal.h"

/* How a field's text is read. */
enum rule {
    RULE_STRING = 1,
    RULE_INT32,
    RULE_INT64,
    RULE_FLOAT,
    RULE_BOOL,
    RULE_TS_FORECAST, /* yyyy-MM-dd[ HH:mm:ss] plus the time-zone offset */
    RULE_TS_EPOCH,    /* Personalize: epoch seconds */
    RULE_GEO
};

typedef struct field_rule {
    int32_t rule;
    int32_t required;   /* empty text is an error (else it is a missing value) */
    int32_t reserved;
    int64_t max_chars;  /* strings: AWS length limit in characters, 0 = none */
} field_rule;

#define MONTH_SLOTS 64

struct tsrec__import {
    tsrec_dataset *ds;
    tsrec_ctx *ctx;
    tsrec__handle *eh;
    int32_t mode;
    int32_t service;
    int ts_formats;
    int64_t tz_offset;
    int32_t max_errors;
    int64_t n_fields;
    field_rule *rules;
    tsrec__column *cols;  /* where rows go */
    tsrec__column *fresh; /* FULL: the new columns (== cols) */
    /* undo information, per column */
    int64_t *saved_len;
    int64_t *saved_dict;
    int32_t *saved_width;
    uint8_t *saved_valid;
    int64_t rows;         /* good rows parsed */
    int64_t rows_bad;
    int first_status;     /* status of the first bad row */
    tsrec_import_report *rep;
    struct timespec t0;
    /* Dictionary values wait in a batch so they can be interned together
     * (tsrec__strdict_intern_many prefetches table slots: big dictionaries
     * are cache-miss bound). Text is copied into batch_buf because CSV
     * field views die with the next record. */
    int64_t batch_rows;           /* entries per column held */
    size_t batch_used;
    char *batch_buf;              /* BATCH_BYTES */
    const void **batch_ptr;       /* [n_fields][BATCH_ROWS]; NULL = missing */
    size_t *batch_len;
    int64_t *batch_n;             /* per field */
    int64_t *batch_codes;         /* BATCH_ROWS scratch */
    const void **batch_keys;      /* BATCH_ROWS scratch */
    size_t *batch_klen;           /* BATCH_ROWS scratch */
    /* Last calendar month read by quick_time (rows of one month repeat it). */
    uint64_t date_word;           /* its text "yyyy-MM-", 8 bytes as a word */
    int date_valid;
    int32_t date_month_len;       /* days in that month */
    int64_t date_days;            /* day count of its 1st */
    /* Months seen before, direct-mapped by year * 12 + month: monthly data
     * changes month on every row but cycles through few of them. */
    struct month_entry {
        int32_t key1;             /* year * 12 + month - 1, plus 1; 0 = empty */
        int32_t len;              /* days in the month */
        int64_t days;             /* day count of its 1st */
    } months[MONTH_SLOTS];
};

#define BATCH_ROWS 512
#define BATCH_BYTES ((size_t)256 << 10) /* > TSREC__STRDICT_MAX_LEN */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

const tsrec_schema *tsrec__import_schema(const tsrec__import *im)
{
    return im->ds->schema;
}

tsrec_import_report *tsrec__import_report(tsrec__import *im)
{
    return im->rep;
}

tsrec__handle *tsrec__import_eh(tsrec__import *im)
{
    return im->eh;
}

tsrec_ctx *tsrec__import_ctx(tsrec__import *im)
{
    return im->ctx;
}

int tsrec__import_full_of_errors(const tsrec__import *im)
{
    return im->rows_bad >= im->max_errors;
}

int64_t tsrec__import_rows(const tsrec__import *im)
{
    return im->rows;
}

/* ---- begin ---------------------------------------------------------------- */

static void rule_for(const tsrec__import *im, int64_t f, field_rule *r)
{
    const tsrec__field *fd = &im->ds->schema->fields[f];
    int32_t role = im->ds->roles != NULL ? im->ds->roles[f] : TSREC__ROLE_OTHER;
    memset(r, 0, sizeof(*r));
    switch (fd->type) {
    case TSREC_FIELD_STRING:
        r->rule = RULE_STRING;
        break;
    case TSREC_FIELD_INTEGER:
        /* Avro int is 32-bit; Forecast integer columns hold int64. */
        r->rule = im->service == TSREC_SERVICE_PERSONALIZE ? RULE_INT32 : RULE_INT64;
        break;
    case TSREC_FIELD_LONG:
        r->rule = RULE_INT64;
        break;
    case TSREC_FIELD_FLOAT:
    case TSREC_FIELD_DOUBLE:
        r->rule = RULE_FLOAT;
        break;
    case TSREC_FIELD_BOOLEAN:
        r->rule = RULE_BOOL;
        break;
    case TSREC_FIELD_TIMESTAMP:
        r->rule = RULE_TS_FORECAST;
        break;
    case TSREC_FIELD_GEOLOCATION:
        r->rule = RULE_GEO;
        break;
    default:
        r->rule = RULE_STRING;
        break;
    }
    if (im->service == TSREC_SERVICE_PERSONALIZE) {
        if (role == TSREC__ROLE_TIMESTAMP || role == TSREC__ROLE_CREATION_TIMESTAMP)
            r->rule = RULE_TS_EPOCH;
        r->required = (fd->flags & TSREC_FIELD_NULLABLE) == 0;
        if (role == TSREC__ROLE_USER_ID || role == TSREC__ROLE_ITEM_ID ||
            role == TSREC__ROLE_EVENT_TYPE)
            r->max_chars = TSREC__MAX_ID_CHARS;
        else if (r->rule == RULE_STRING && (fd->flags & TSREC_FIELD_CATEGORICAL) != 0)
            r->max_chars = TSREC__MAX_CATEGORICAL_CHARS;
    } else {
        /* Forecast: keys must be there; any other value may be missing
         * (an empty target is a missing value, filled later). */
        r->required = role == TSREC__ROLE_ITEM_ID || role == TSREC__ROLE_TIMESTAMP ||
                      role == TSREC__ROLE_DIMENSION;
        if (role == TSREC__ROLE_ITEM_ID)
            r->max_chars = TSREC__MAX_ID_CHARS;
    }
}

static void session_free(tsrec__import *im)
{
    tsrec_ctx *ctx = im->ctx;
    if (im->fresh != NULL) {
        for (int64_t f = 0; f < im->n_fields; f++)
            tsrec__column_free(&im->fresh[f], ctx);
        tsrec__free(ctx, im->fresh);
    }
    tsrec__free(ctx, im->rules);
    tsrec__free(ctx, im->saved_len);
    tsrec__free(ctx, im->saved_dict);
    tsrec__free(ctx, im->saved_width);
    tsrec__free(ctx, im->saved_valid);
    tsrec__free(ctx, im->batch_buf);
    tsrec__free(ctx, im->batch_ptr);
    tsrec__free(ctx, im->batch_len);
    tsrec__free(ctx, im->batch_n);
    tsrec__free(ctx, im->batch_codes);
    tsrec__free(ctx, im->batch_keys);
    tsrec__free(ctx, im->batch_klen);
    tsrec_import_report_free(im->rep);
    tsrec__free(ctx, im);
}

/* Size of tsrec_import_options as first released (through reserved0):
 * fields added later go after it and older callers get their defaults. */
#define IMPORT_OPTIONS_V1_SIZE (offsetof(tsrec_import_options, reserved0) + sizeof(int32_t))

static int check_options(tsrec__handle *eh, const tsrec_import_options *o, int *out_formats,
                         int64_t *out_tz)
{
    if (o->mode != TSREC_IMPORT_FULL && o->mode != TSREC_IMPORT_INCREMENTAL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "import: mode %d is neither TSREC_IMPORT_FULL nor "
                           "TSREC_IMPORT_INCREMENTAL", (int)o->mode);
    if (o->max_errors <= 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "import: max_errors %d must be positive",
                           (int)o->max_errors);
    if (o->timestamp_format == NULL || strcmp(o->timestamp_format, "yyyy-MM-dd HH:mm:ss") == 0)
        *out_formats = TSREC__TIME_FMT_DATETIME | TSREC__TIME_FMT_DATE;
    else if (strcmp(o->timestamp_format, "yyyy-MM-dd") == 0)
        *out_formats = TSREC__TIME_FMT_DATE;
    else
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "import: timestamp_format '%.64s' is not supported (use "
                           "'yyyy-MM-dd HH:mm:ss' or 'yyyy-MM-dd')", o->timestamp_format);
    if (tsrec__parse_tz_offset(o->time_zone, out_tz) != TSREC__PARSE_OK)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "import: time_zone '%.64s' is not a fixed offset like '+05:30', "
                           "'-08:00' or 'UTC' (named zones are not supported)", o->time_zone);
    return TSREC_OK;
}

int tsrec_import_options_init(tsrec_import_options *opts)
{
    if (opts == NULL)
        return tsrec__fail_tls(TSREC_E_INVALID_ARG, "tsrec_import_options_init: NULL options");
    memset(opts, 0, sizeof(*opts));
    opts->struct_size = (uint32_t)sizeof(*opts);
    opts->mode = TSREC_IMPORT_FULL;
    opts->timestamp_format = NULL; /* "yyyy-MM-dd HH:mm:ss" */
    opts->time_zone = NULL;
    opts->max_errors = 10;
    return TSREC_OK;
}

int tsrec__import_begin(tsrec_dataset *ds, const tsrec_import_options *opts,
                        int32_t default_mode, tsrec__import **out)
{
    *out = NULL;
    tsrec_ctx *ctx = ds->hdr.ctx;
    tsrec__handle *eh = &ds->hdr;
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = default_mode;
    if (opts != NULL) {
        /* A program built against an older header passes a smaller struct:
         * read only its fields and keep the defaults for the rest. Smaller
         * than the first version's is a caller bug. */
        if (opts->struct_size < IMPORT_OPTIONS_V1_SIZE)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "import: options struct_size %u is smaller than %zu "
                               "(call tsrec_import_options_init)",
                               (unsigned)opts->struct_size, (size_t)IMPORT_OPTIONS_V1_SIZE);
        size_t n_copy = opts->struct_size < sizeof(o) ? opts->struct_size : sizeof(o);
        memcpy(&o, opts, n_copy);
        o.struct_size = (uint32_t)sizeof(o);
    }
    int formats = 0;
    int64_t tz = 0;
    int st = check_options(eh, &o, &formats, &tz);
    if (st != TSREC_OK)
        return st;
    int64_t n = ds->schema->n_fields;
    tsrec__import *im = tsrec__calloc(ctx, 1, sizeof(*im));
    if (im == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "import: out of memory starting an import");
    clock_gettime(CLOCK_MONOTONIC, &im->t0);
    im->ds = ds;
    im->ctx = ctx;
    im->eh = eh;
    im->mode = o.mode;
    im->service = ds->schema->service;
    im->ts_formats = formats;
    im->tz_offset = tz;
    im->max_errors = o.max_errors;
    im->n_fields = n;
    size_t un = (size_t)n;
    im->rules = tsrec__calloc(ctx, un, sizeof(field_rule));
    im->saved_len = tsrec__calloc(ctx, un, sizeof(int64_t));
    im->saved_dict = tsrec__calloc(ctx, un, sizeof(int64_t));
    im->saved_width = tsrec__calloc(ctx, un, sizeof(int32_t));
    im->saved_valid = tsrec__calloc(ctx, un, 1);
    im->batch_buf = tsrec__alloc(ctx, BATCH_BYTES);
    im->batch_ptr = tsrec__calloc(ctx, un * BATCH_ROWS, sizeof(void *));
    im->batch_len = tsrec__calloc(ctx, un * BATCH_ROWS, sizeof(size_t));
    im->batch_n = tsrec__calloc(ctx, un, sizeof(int64_t));
    im->batch_codes = tsrec__calloc(ctx, BATCH_ROWS, sizeof(int64_t));
    im->batch_keys = tsrec__calloc(ctx, BATCH_ROWS, sizeof(void *));
    im->batch_klen = tsrec__calloc(ctx, BATCH_ROWS, sizeof(size_t));
    if (im->rules == NULL || im->saved_len == NULL || im->saved_dict == NULL ||
        im->saved_width == NULL || im->saved_valid == NULL || im->batch_buf == NULL ||
        im->batch_ptr == NULL || im->batch_len == NULL || im->batch_n == NULL ||
        im->batch_codes == NULL || im->batch_keys == NULL || im->batch_klen == NULL) {
        session_free(im);
        return tsrec__fail(eh, TSREC_E_NOMEM, "import: out of memory starting an import");
    }
    st = tsrec__report_new(ctx, eh, &im->rep);
    if (st != TSREC_OK) {
        session_free(im);
        return st;
    }
    for (int64_t f = 0; f < n; f++) {
        const tsrec__column *c = &ds->cols[f];
        rule_for(im, f, &im->rules[f]);
        im->saved_len[f] = c->len;
        im->saved_width[f] = c->width;
        im->saved_valid[f] = c->valid != NULL;
        im->saved_dict[f] = c->dict != NULL ? tsrec__strdict_count(c->dict) : 0;
    }
    if (im->mode == TSREC_IMPORT_FULL) {
        im->fresh = tsrec__calloc(ctx, un, sizeof(tsrec__column));
        if (im->fresh == NULL) {
            session_free(im);
            return tsrec__fail(eh, TSREC_E_NOMEM, "import: out of memory starting an import");
        }
        for (int64_t f = 0; f < n; f++) {
            const tsrec__column *c = &ds->cols[f];
            st = tsrec__column_init(&im->fresh[f], ctx, eh, c->kind,
                                    c->dict_shared ? c->dict : NULL);
            if (st != TSREC_OK) {
                session_free(im);
                return st;
            }
        }
        im->cols = im->fresh;
    } else {
        im->cols = ds->cols;
    }
    *out = im;
    return TSREC_OK;
}

/* ---- rows ------------------------------------------------------------------ */

/* Text quoted in messages: at most 40 bytes, cut on a character start. */
static int quote_len(const char *s, size_t len)
{
    size_t n = len < 40 ? len : 40;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

int tsrec__import_bad_row(tsrec__import *im, int status, const char *file, int64_t line,
                          int64_t column, const char *message)
{
    if (im->rows_bad == 0)
        im->first_status = status;
    im->rows_bad++;
    return tsrec__report_add(im->rep, im->eh, file, line, column, message);
}

/* Intern and store every waiting dictionary value, column by column. */
static int batch_flush(tsrec__import *im)
{
    for (int64_t f = 0; f < im->n_fields; f++) {
        int64_t n = im->batch_n[f];
        if (n == 0)
            continue;
        tsrec__column *c = &im->cols[f];
        const void **ptr = im->batch_ptr + f * BATCH_ROWS;
        const size_t *len = im->batch_len + f * BATCH_ROWS;
        /* Entry j repeats entry j - 1 (batch_add shared its bytes) when
         * both point at the same text: only the first of a run is interned. */
        int64_t k = 0;
        for (int64_t j = 0; j < n; j++)
            if (ptr[j] != NULL && !(j > 0 && ptr[j] == ptr[j - 1] && len[j] == len[j - 1])) {
                im->batch_keys[k] = ptr[j];
                im->batch_klen[k] = len[j];
                k++;
            }
        int st = tsrec__strdict_intern_many(c->dict, im->eh, k, im->batch_keys, im->batch_klen,
                                            im->batch_codes, NULL);
        if (st != TSREC_OK)
            return st;
        k = 0;
        for (int64_t j = 0; j < n; j++) {
            if (ptr[j] == NULL) {
                st = tsrec__column_push_missing(c, im->ctx, im->eh);
            } else {
                if (!(j > 0 && ptr[j] == ptr[j - 1] && len[j] == len[j - 1]))
                    k++;
                st = tsrec__column_push_code(c, im->ctx, im->eh, im->batch_codes[k - 1]);
            }
            if (st != TSREC_OK)
                return st;
        }
        im->batch_n[f] = 0;
    }
    im->batch_used = 0;
    return TSREC_OK;
}

/* Equal bytes; ids of up to 16 bytes are compared with two overlapping
 * word loads per side instead of a memcmp call (once per text field). */
static inline int same_text(const void *a, const void *b, size_t len)
{
    const unsigned char *p = a, *q = b;
    if (len >= 8 && len <= 16) {
        uint64_t p0, p1, q0, q1;
        memcpy(&p0, p, 8);
        memcpy(&q0, q, 8);
        memcpy(&p1, p + len - 8, 8);
        memcpy(&q1, q + len - 8, 8);
        return ((p0 ^ q0) | (p1 ^ q1)) == 0;
    }
    return memcmp(p, q, len) == 0;
}

/* Queue value (s, len) of field f, or a missing value when s is NULL. */
static int batch_add(tsrec__import *im, int64_t f, const char *s, size_t len)
{
    if (im->batch_n[f] == BATCH_ROWS || im->batch_used + len > BATCH_BYTES) {
        int st = batch_flush(im);
        if (st != TSREC_OK)
            return st;
    }
    int64_t j = f * BATCH_ROWS + im->batch_n[f]++;
    if (s == NULL) {
        im->batch_ptr[j] = NULL;
        im->batch_len[j] = 0;
        return TSREC_OK;
    }
    /* The same text as the field's previous value (ids of sorted files
     * come in runs): share its bytes, which marks it for batch_flush. */
    if (im->batch_n[f] > 1) {
        const void *prev = im->batch_ptr[j - 1];
        if (prev != NULL && im->batch_len[j - 1] == len && same_text(prev, s, len)) {
            im->batch_ptr[j] = prev;
            im->batch_len[j] = len;
            return TSREC_OK;
        }
    }
    char *dst = im->batch_buf + im->batch_used;
    if (len > 0)
        memcpy(dst, s, len);
    im->batch_used += len;
    im->batch_ptr[j] = dst;
    im->batch_len[j] = len;
    return TSREC_OK;
}

/* Range checks shared by text and typed values. */
#define F32_MAX_VALUE 3.4028234663852886e38

static int outside_int32(int64_t v)
{
    return v < INT32_MIN || v > INT32_MAX;
}

static int outside_f32(double v)
{
    return v > F32_MAX_VALUE || v < -F32_MAX_VALUE;
}

static int outside_time(int64_t t)
{
    return t < TSREC__TIME_MIN || t > TSREC__TIME_MAX;
}

int tsrec__import_accepts(const tsrec__import *im, int64_t f, int32_t kind)
{
    int32_t rule = im->rules[f].rule;
    switch (kind) {
    case TSREC__CELL_TEXT:
        return 1;
    case TSREC__CELL_INT:
        return rule == RULE_INT32 || rule == RULE_INT64 || rule == RULE_FLOAT ||
               rule == RULE_TS_EPOCH || rule == RULE_TS_FORECAST;
    case TSREC__CELL_REAL:
        return rule == RULE_FLOAT;
    case TSREC__CELL_BOOL:
        return rule == RULE_BOOL;
    case TSREC__CELL_TIME:
    case TSREC__CELL_LOCAL_TIME:
        return rule == RULE_TS_EPOCH || rule == RULE_TS_FORECAST;
    default:
        return 0;
    }
}

/* Check a typed cell against field f's rule: *i (integers, booleans,
 * timestamps) or *d (floats) receive the value to store. On a bad value
 * write the reason and return its status. */
static int typed_value(const tsrec__import *im, int64_t f, const tsrec__cell *cell, int64_t *i,
                       double *d, char *why, size_t why_cap)
{
    const field_rule *r = &im->rules[f];
    const char *name = im->ds->schema->fields[f].name;
    const tsrec__column *c = &im->cols[f];
    if (!tsrec__import_accepts(im, f, cell->kind) || cell->kind == TSREC__CELL_TEXT) {
        snprintf(why, why_cap, "column '%s': value of kind %d does not fit the field's type",
                 name, (int)cell->kind);
        return TSREC_E_SCHEMA;
    }
    *i = cell->i;
    switch (r->rule) {
    case RULE_INT32:
        if (outside_int32(*i)) {
            snprintf(why, why_cap, "column '%s': %lld is out of range for an int (32-bit)", name,
                     (long long)*i);
            return TSREC_E_PARSE;
        }
        return TSREC_OK;
    case RULE_INT64:
    case RULE_BOOL:
        return TSREC_OK;
    case RULE_FLOAT:
        *d = cell->kind == TSREC__CELL_INT ? (double)cell->i : cell->d;
        if (*d != *d || *d - *d != 0.0) {
            snprintf(why, why_cap,
                     "column '%s': %s is not a number (NaN, infinity and text are refused)", name,
                     *d != *d ? "NaN" : (*d > 0 ? "inf" : "-inf"));
            return TSREC_E_PARSE;
        }
        if (c->kind == TSREC__COL_F32 && outside_f32(*d)) {
            snprintf(why, why_cap, "column '%s': %g is out of range for a float", name, *d);
            return TSREC_E_PARSE;
        }
        return TSREC_OK;
    case RULE_TS_FORECAST:
    case RULE_TS_EPOCH:
        /* Wall-clock Forecast times are local: to UTC as CSV text is. */
        if (r->rule == RULE_TS_FORECAST && cell->kind == TSREC__CELL_LOCAL_TIME &&
            !outside_time(*i))
            *i -= im->tz_offset;
        if (outside_time(*i)) {
            snprintf(why, why_cap,
                     "column '%s': timestamp %lld is out of range (epoch seconds within years "
                     "1..9999 in UTC)", name, (long long)cell->i);
            return TSREC_E_PARSE;
        }
        return TSREC_OK;
    default:
        snprintf(why, why_cap, "column '%s': unsupported field type", name);
        return TSREC_E_SCHEMA;
    }
}

/* Two ASCII digits at p into *v; 0 if either is not a digit. */
static int two_digits(const char *p, int32_t *v)
{
    unsigned a = (unsigned)(unsigned char)p[0] - '0', b = (unsigned)(unsigned char)p[1] - '0';
    *v = (int32_t)(a * 10 + b);
    return a <= 9 && b <= 9;
}

/* The layouts nearly every Forecast file uses, "yyyy-MM-dd HH:mm:ss" and
 * "yyyy-MM-dd", read in one pass with the date's day count cached (hourly
 * data repeats each date 24 times). 1 with *out = what tsrec__time_parse
 * gives for that text; 0 when the text is anything else (including every
 * invalid timestamp), so tsrec__time_parse decides and words the error. */
static int quick_time(tsrec__import *im, const char *s, size_t len, int64_t *out)
{
    int formats = im->ts_formats;
    if (formats & TSREC__TIME_FMT_EPOCH)
        return 0;
    if (len == 19) {
        if (s[10] != ' ' || !(formats & TSREC__TIME_FMT_DATETIME))
            return 0;
    } else if (len != 10 || !(formats & TSREC__TIME_FMT_DATE)) {
        return 0;
    }
    /* The cache holds the last "yyyy-MM-" with the day count of its 1st
     * and its length: hourly and daily data repeat the month, monthly data
     * of one item rarely does but costs only the month check then. */
    int32_t day;
    if (!two_digits(s + 8, &day) || day < 1)
        return 0;
    uint64_t ym; /* "yyyy-MM-" as one word */
    memcpy(&ym, s, 8);
    if (!im->date_valid || ym != im->date_word) {
        int32_t y1, y2, month;
        if (!two_digits(s, &y1) || !two_digits(s + 2, &y2) || s[4] != '-' ||
            !two_digits(s + 5, &month) || s[7] != '-')
            return 0;
        int32_t year = y1 * 100 + y2;
        if (year < 1000 || month < 1 || month > 12)
            return 0;
        int32_t key = year * 12 + month - 1;
        struct month_entry *me = &im->months[key & (MONTH_SLOTS - 1)];
        if (me->key1 != key + 1) {
            me->key1 = key + 1;
            me->days = tsrec__days_from_civil(year, month, 1);
            me->len = tsrec__days_in_month(year, month);
        }
        im->date_word = ym;
        im->date_days = me->days;
        im->date_month_len = me->len;
        im->date_valid = 1;
    }
    if (day > im->date_month_len)
        return 0;
    int64_t days = im->date_days + day - 1;
    int64_t secs = 0;
    if (len == 19) {
        int32_t hh, mi, ss;
        if (!two_digits(s + 11, &hh) || s[13] != ':' || !two_digits(s + 14, &mi) ||
            s[16] != ':' || !two_digits(s + 17, &ss) || hh > 23 || mi > 59 || ss > 59)
            return 0;
        secs = (int64_t)hh * 3600 + (int64_t)mi * 60 + ss;
    }
    *out = days * TSREC__SECONDS_PER_DAY + secs;
    return 1;
}

/* Parse cell f; on a bad value write the reason and return its status.
 * On success, store it (unless storing has stopped). */
static int field_value(tsrec__import *im, int64_t f, const tsrec__cell *cell, int store,
                       char *why, size_t why_cap)
{
    const field_rule *r = &im->rules[f];
    const char *name = im->ds->schema->fields[f].name;
    tsrec__column *c = &im->cols[f];
    const char *s = cell->ptr;
    size_t len = cell->len;
    int st;
    if (!cell->present || (cell->kind == TSREC__CELL_TEXT && len == 0)) {
        if (r->required) {
            snprintf(why, why_cap, "column '%s': empty value in a required field", name);
            return TSREC_E_SCHEMA;
        }
        if (!store)
            return TSREC_OK;
        if (c->kind == TSREC__COL_CODE)
            return batch_add(im, f, NULL, 0);
        return tsrec__column_push_missing(c, im->ctx, im->eh);
    }
    int64_t i = 0;
    double d = 0.0;
    int b = 0;
    if (cell->kind != TSREC__CELL_TEXT) {
        st = typed_value(im, f, cell, &i, &d, why, why_cap);
        if (st != TSREC_OK)
            return st;
    } else {
        /* Text: parsed as a CSV field. */
        switch (r->rule) {
        case RULE_STRING:
        case RULE_GEO:
            if (r->rule == RULE_GEO && tsrec__parse_geolocation(s, len) != TSREC__PARSE_OK) {
                snprintf(why, why_cap,
                         "column '%s': '%.*s' is not a geolocation (lat_long like "
                         "'47.61_-122.33' or 'US_' and a 5-digit ZIP code)",
                         name, quote_len(s, len), s);
                return TSREC_E_PARSE;
            }
            if (r->max_chars > 0 && (int64_t)len > r->max_chars) {
                int64_t chars = tsrec__utf8_chars(s, len);
                if (chars > r->max_chars) {
                    snprintf(why, why_cap,
                             "column '%s': value of %lld characters is longer than the AWS "
                             "limit of %lld ('%.*s...')",
                             name, (long long)chars, (long long)r->max_chars, quote_len(s, len), s);
                    return TSREC_E_SCHEMA;
                }
            }
            if (len > TSREC__STRDICT_MAX_LEN) {
                snprintf(why, why_cap,
                         "column '%s': value of %zu bytes is longer than the %zu-byte limit "
                         "for stored strings", name, len, TSREC__STRDICT_MAX_LEN);
                return TSREC_E_SCHEMA;
            }
            if (!store)
                return TSREC_OK;
            if (c->kind != TSREC__COL_CODE) {
                snprintf(why, why_cap, "column '%s': text field stored in a non-text column", name);
                return TSREC_E_SCHEMA;
            }
            return batch_add(im, f, s, len);
        case RULE_INT32:
        case RULE_INT64:
            st = tsrec__parse_i64(s, len, &i);
            if (st == TSREC__PARSE_OK && r->rule == RULE_INT32 && outside_int32(i))
                st = TSREC__PARSE_RANGE;
            if (st != TSREC__PARSE_OK) {
                snprintf(why, why_cap, "column '%s': '%.*s' %s", name, quote_len(s, len), s,
                         st == TSREC__PARSE_RANGE
                             ? (r->rule == RULE_INT32 ? "is out of range for an int (32-bit)"
                                                      : "is out of range for a long (64-bit)")
                             : "is not an integer");
                return TSREC_E_PARSE;
            }
            break;
        case RULE_FLOAT:
            st = tsrec__parse_f64(s, len, &d);
            if (st == TSREC__PARSE_OK && c->kind == TSREC__COL_F32 && outside_f32(d))
                st = TSREC__PARSE_RANGE;
            if (st != TSREC__PARSE_OK) {
                snprintf(why, why_cap, "column '%s': '%.*s' %s", name, quote_len(s, len), s,
                         st == TSREC__PARSE_RANGE
                             ? "is out of range for a float"
                             : "is not a number (NaN, infinity and text are refused)");
                return TSREC_E_PARSE;
            }
            break;
        case RULE_BOOL:
            if (tsrec__parse_bool(s, len, &b) != TSREC__PARSE_OK) {
                snprintf(why, why_cap, "column '%s': '%.*s' is not a boolean (true or false)", name,
                         quote_len(s, len), s);
                return TSREC_E_PARSE;
            }
            i = b;
            break;
        case RULE_TS_EPOCH:
            st = tsrec__parse_i64(s, len, &i);
            if (st == TSREC__PARSE_OK && outside_time(i))
                st = TSREC__PARSE_RANGE;
            if (st != TSREC__PARSE_OK) {
                snprintf(why, why_cap, "column '%s': timestamp '%.*s' %s", name,
                         quote_len(s, len), s,
                         st == TSREC__PARSE_RANGE
                             ? "is out of range (epoch seconds within years 1..9999)"
                             : "is not epoch seconds (an integer)");
                return TSREC_E_PARSE;
            }
            break;
        case RULE_TS_FORECAST: {
            tsrec__handle scratch;
            scratch.errmsg[0] = '\0';
            st = quick_time(im, s, len, &i) ? TSREC_OK
                                            : tsrec__time_parse(s, len, im->ts_formats, &i,
                                                                &scratch);
            if (st == TSREC_OK && im->tz_offset != 0) {
                i -= im->tz_offset; /* local time to UTC */
                if (outside_time(i)) {
                    st = TSREC_E_PARSE;
                    snprintf(scratch.errmsg, sizeof(scratch.errmsg),
                             "timestamp '%.*s' leaves years 1..9999 in UTC", quote_len(s, len), s);
                }
            }
            if (st != TSREC_OK) {
                snprintf(why, why_cap, "column '%.64s': %.400s", name, scratch.errmsg);
                return TSREC_E_PARSE;
            }
            break;
        }
        default:
            snprintf(why, why_cap, "column '%s': unsupported field type", name);
            return TSREC_E_SCHEMA;
        }
    }
    if (!store)
        return TSREC_OK;
    if (r->rule == RULE_FLOAT) {
        if (c->kind == TSREC__COL_F32 || c->kind == TSREC__COL_F64)
            return tsrec__column_push_f64(c, im->ctx, im->eh, d);
        snprintf(why, why_cap, "column '%s': float field stored in a non-float column", name);
        return TSREC_E_SCHEMA;
    }
    if (c->kind == TSREC__COL_CODE) {
        snprintf(why, why_cap, "column '%s': numeric field stored in a text column", name);
        return TSREC_E_SCHEMA;
    }
    return tsrec__column_push_i64(c, im->ctx, im->eh, i);
}

int tsrec__import_row(tsrec__import *im, const tsrec__cell *cells, const int64_t *cols,
                      const char *file, int64_t line)
{
    char why[TSREC__ERRMSG_MAX];
    /* Once a row was bad nothing more is stored: the import will fail, and
     * later rows are only checked so the report can list them. */
    int store = im->rows_bad == 0;
    for (int64_t f = 0; f < im->n_fields; f++) {
        why[0] = '\0';
        int st = field_value(im, f, &cells[f], store, why, sizeof(why));
        if (st == TSREC_OK)
            continue;
        if (why[0] == '\0') /* a storage failure (NOMEM, dictionary full) */
            return st;
        return tsrec__import_bad_row(im, st, file, line, cols != NULL ? cols[f] : f + 1, why);
    }
    im->rows++;
    if ((im->rows & 0xFFFF) == 0) {
        tsrec__progress(im->ctx, "import", im->rows, -1); /* total unknown while streaming */
        if (tsrec__cancelled(im->ctx))
            return tsrec__fail(im->eh, TSREC_E_CANCELLED, "import: cancelled after %lld rows",
                               (long long)im->rows);
    }
    return TSREC_OK;
}

/* ---- end -------------------------------------------------------------------- */

static void rollback(tsrec__import *im)
{
    tsrec__column *cols = im->ds->cols;
    /* Dictionaries first (FULL's fresh columns may share the group's). */
    for (int64_t f = 0; f < im->n_fields; f++) {
        const tsrec__column *c = &cols[f];
        if (c->dict != NULL && (im->mode == TSREC_IMPORT_INCREMENTAL || c->dict_shared))
            tsrec__strdict_truncate(c->dict, im->saved_dict[f]);
    }
    if (im->mode != TSREC_IMPORT_INCREMENTAL)
        return; /* the fresh columns are freed with the session */
    for (int64_t f = 0; f < im->n_fields; f++) {
        tsrec__column *c = &cols[f];
        tsrec__column_truncate(c, im->saved_len[f]);
        if (c->kind == TSREC__COL_CODE)
            tsrec__column_narrow(c, im->saved_width[f]);
        if (!im->saved_valid[f] && c->valid != NULL) {
            tsrec__free(im->ctx, c->valid);
            c->valid = NULL;
        }
        tsrec__column_shrink_to_fit(c, im->ctx);
    }
}

/* An INCREMENTAL import adding at least 1/8 of a dataset's rows is large. */
#define LARGE_APPEND_FRACTION 8

static void commit(tsrec__import *im)
{
    tsrec_dataset *ds = im->ds;
    if (im->mode == TSREC_IMPORT_FULL) {
        for (int64_t f = 0; f < im->n_fields; f++)
            tsrec__column_swap(&ds->cols[f], &im->fresh[f]);
        ds->n_rows = im->rows;
    } else {
        ds->n_rows += im->rows;
    }
    /* Trim the growth slack only where the copy pays for itself: after a
     * FULL import (the columns were just built) and after a large append
     * (at least 1/LARGE_APPEND_FRACTION of the rows now held, so the copy
     * costs no more than the rows added did). Small appends (PutEvents,
     * short row batches) keep the slack of tsrec__column_reserve's 1.5x
     * growth for the next ones: trimming after each made every one-row
     * append a realloc of whole columns. That slack is bounded (capacity
     * <= 1.5x the length plus the 1024-value minimum step) and
     * tsrec_dataset_memory reports it, as it reports all memory held. */
    int trim = im->mode == TSREC_IMPORT_FULL || im->rows * LARGE_APPEND_FRACTION >= ds->n_rows;
    for (int64_t f = 0; trim && f < im->n_fields; f++)
        tsrec__column_shrink_to_fit(&ds->cols[f], im->ctx);
    ds->n_imports++;
}

int tsrec__import_end(tsrec__import *im, int status, const char *what,
                      tsrec_import_report **out_report)
{
    if (out_report != NULL)
        *out_report = NULL;
    tsrec__handle *eh = im->eh;
    char first[TSREC__ERRMSG_MAX] = "";
    tsrec_import_report *rep = im->rep;
    if (rep->n_errors > 0) {
        const tsrec__import_error *e = &rep->errors[0];
        snprintf(first, sizeof(first), "%s%sline %lld column %lld: %s",
                 e->file != NULL ? e->file : "", e->file != NULL ? " " : "",
                 (long long)e->line, (long long)e->column, e->message);
    }
    if (status == TSREC_OK && im->rows_bad == 0)
        status = batch_flush(im);
    if (status == TSREC_OK && im->rows_bad > 0)
        status = im->first_status;
    if (status == TSREC_OK && im->rows == 0)
        status = tsrec__fail(eh, TSREC_E_EMPTY, "import of %s: no data rows", what);
    if (status == TSREC_OK) {
        commit(im);
    } else {
        rollback(im);
        if (im->rows_bad > 0 && status == im->first_status)
            tsrec__fail(eh, status,
                        "import of %s failed: %lld bad row%s%s (dataset unchanged); first at %s",
                        what, (long long)im->rows_bad, im->rows_bad == 1 ? "" : "s",
                        tsrec__import_full_of_errors(im) ? ", reading stopped" : "", first);
        else if (status != TSREC_E_EMPTY) {
            /* Keep the cause recorded by whoever failed, with context. */
            char cause[TSREC__ERRMSG_MAX];
            memcpy(cause, eh->errmsg, sizeof(cause));
            cause[sizeof(cause) - 1] = '\0';
            tsrec__fail(eh, status, "import of %s failed (dataset unchanged): %s", what,
                        cause);
        }
    }
    rep->rows_imported = status == TSREC_OK ? im->rows : 0;
    rep->rows_rejected = im->rows_bad;
    rep->seconds = seconds_since(&im->t0);
    if (out_report != NULL) {
        *out_report = rep;
        im->rep = NULL;
    }
    session_free(im);
    if (status == TSREC_OK)
        return tsrec__ok(eh);
    return status;
}
