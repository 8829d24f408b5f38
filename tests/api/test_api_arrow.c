/* Public Arrow import API: tsrec_dataset_import_arrow (one borrowed record
 * batch) and tsrec_dataset_import_arrow_stream (a borrowed stream), into
 * Forecast TARGET_TIME_SERIES and Personalize Interactions datasets.
 *
 * The reference for every good import is the same data imported as text
 * rows (tsrec_dataset_import_rows): the datasets must hold identical
 * values, missing values and dictionaries. Bad inputs must give their
 * status and message, leave the dataset exactly as it was (FULL and
 * INCREMENTAL), and the release callbacks must be called exactly as the
 * specification says: once per batch taken from a stream, once for the
 * stream's schema, never for the stream itself or for a borrowed array. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow_fixture.h"
#include "column_internal.h"
#include "data_internal.h"
#include "test_util.h"

static const char *FORECAST_SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}";

static const char *INTERACTIONS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]}],\"version\":\"1.0\"}";

/* 2014-01-01 00:00:00 UTC */
#define T2014 INT64_C(1388534400)

/* ---- fixtures ------------------------------------------------------------ */

typedef struct fixture {
    tsrec_ctx *ctx;
    tsrec_schema *schema;
    tsrec_dataset_group *group;
    tsrec_dataset *ds;
} fixture;

static void fx_open(fixture *fx, int personalize)
{
    const char *text = personalize ? INTERACTIONS_SCHEMA : FORECAST_SCHEMA;
    int32_t service = personalize ? TSREC_SERVICE_PERSONALIZE : TSREC_SERVICE_FORECAST;
    fx->ctx = tu_ctx_new();
    assert_int_equal(tsrec_schema_parse(fx->ctx, service, text, strlen(text), &fx->schema),
                     TSREC_OK);
    assert_int_equal(
        tsrec_dataset_group_new(fx->ctx, "g", service, personalize ? NULL : "CUSTOM", &fx->group),
        TSREC_OK);
    assert_int_equal(tsrec_dataset_group_create_dataset(
                         fx->group, "d", personalize ? "Interactions" : "TARGET_TIME_SERIES",
                         fx->schema, personalize ? NULL : "H", &fx->ds),
                     TSREC_OK);
}

static void fx_close(fixture *fx)
{
    tsrec_dataset_group_free(fx->group);
    tsrec_schema_free(fx->schema);
    tu_ctx_free_checked(fx->ctx);
}

static int import_rows(tsrec_dataset *ds, const char *const *cells, int64_t n_rows,
                       int32_t mode)
{
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = mode;
    return tsrec_dataset_import_rows(ds, cells, n_rows, ds->schema->n_fields, &o, NULL);
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

/* Every value (strings through their dictionary), presence, dictionary
 * sizes and the row count. */
static uint64_t fingerprint(const tsrec_dataset *ds)
{
    uint64_t h = 1469598103934665603ULL;
    h = mix(h, &ds->n_rows, sizeof(ds->n_rows));
    for (int64_t f = 0; f < ds->schema->n_fields; f++) {
        const tsrec__column *c = &ds->cols[f];
        assert_int_equal(c->len, ds->n_rows);
        int64_t dn = c->dict != NULL ? tsrec__strdict_count(c->dict) : -1;
        h = mix(h, &dn, sizeof(dn));
        for (int64_t i = 0; i < c->len; i++) {
            int present = tsrec__column_is_present(c, i);
            h = mix(h, &present, sizeof(present));
            if (!present)
                continue;
            if (c->kind == TSREC__COL_CODE) {
                size_t len;
                const char *s = tsrec__strdict_get(c->dict, tsrec__column_get_code(c, i), &len);
                assert_non_null(s);
                h = mix(h, s, len);
            } else if (c->kind == TSREC__COL_F32 || c->kind == TSREC__COL_F64) {
                double v = tsrec__column_get_f64(c, i);
                h = mix(h, &v, sizeof(v));
            } else {
                int64_t v = tsrec__column_get_i64(c, i);
                h = mix(h, &v, sizeof(v));
            }
        }
    }
    return h;
}

/* Fingerprint of `cells` imported as rows into a fresh dataset. */
static uint64_t rows_fingerprint(int personalize, const char *const *cells, int64_t n_rows)
{
    fixture fx;
    fx_open(&fx, personalize);
    assert_int_equal(import_rows(fx.ds, cells, n_rows, TSREC_IMPORT_FULL), TSREC_OK);
    uint64_t h = fingerprint(fx.ds);
    fx_close(&fx);
    return h;
}

static size_t memory_of(const tsrec_dataset *ds)
{
    size_t m = 0;
    assert_int_equal(tsrec_dataset_memory(ds, &m), TSREC_OK);
    return m;
}

static int contains(const char *s, const char *kw)
{
    return s != NULL && strstr(s, kw) != NULL;
}

/* Import one borrowed batch: it must not be released. */
static int import_batch(tsrec_dataset *ds, struct ArrowSchema *s, struct ArrowArray *a,
                        int32_t mode, const char *tz, tsrec_import_report **rep)
{
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = mode;
    o.time_zone = tz;
    af_counts before = af_count;
    int st = tsrec_dataset_import_arrow(ds, s, a, &o, rep);
    assert_int_equal(af_count.batch_releases, before.batch_releases);
    assert_int_equal(af_count.child_releases, before.child_releases);
    assert_int_equal(af_count.schema_releases, before.schema_releases);
    assert_non_null(a->release);
    assert_non_null(s->release);
    return st;
}

/* ---- reference data ------------------------------------------------------- */

/* Forecast rows in schema order (timestamp, target_value, item_id). */
static const char *const FC_ROWS[] = {
    "2014-01-01 01:00:00", "1.5",  "client_1", /**/
    "2014-01-01 02:00:00", NULL,   "client_1", /**/
    "2014-01-01",          "3.25", "client_2", /**/
    "2014-01-02 05:00:00", "-7",   "client_3",
};
static const int64_t FC_SECONDS[] = {T2014 + 3600, T2014 + 7200, T2014, T2014 + 86400 + 18000};
static const double FC_TARGET[] = {1.5, 0, 3.25, -7};
static const int FC_TARGET_VALID[] = {1, 0, 1, 1};
static const char *const FC_ITEMS[] = {"client_1", "client_1", "client_2", "client_3"};
static const char *const FC_TEXT_TS[] = {"2014-01-01 01:00:00", "2014-01-01 02:00:00",
                                         "2014-01-01", "2014-01-02 05:00:00"};

/* Variant A: every column as text or float64, in another order. */
static void fc_text(struct ArrowSchema **s, struct ArrowArray **a)
{
    static const char *const names[] = {"item_id", "target_value", "timestamp"};
    static const char *const formats[] = {"u", "g", "u"};
    struct ArrowArray *cols[3] = {af_utf8(FC_ITEMS, 4), af_fixed(FC_TARGET, 8, 4, FC_TARGET_VALID),
                                  af_utf8(FC_TEXT_TS, 4)};
    *s = af_schema(3, names, formats, NULL);
    *a = af_batch(3, cols);
}

/* Interactions rows in schema order (USER_ID, ITEM_ID, TIMESTAMP,
 * EVENT_TYPE, EVENT_VALUE). */
static const char *const PI_ROWS[] = {
    "u1", "i1", "1600000000", "click", NULL,   /**/
    "u2", "i2", "1600000100", "buy",   "2.5",  /**/
    "u1", "i3", "1600000200", "click", "1",    /**/
    "42", "i1", "1600000300", "view",  "0.25",
};
static const char *const PI_USERS_DICT[] = {"u1", "u2", "42"};
static const int32_t PI_USER_IDX[] = {0, 1, 0, 2};
static const char *const PI_ITEMS[] = {"i1", "i2", "i3", "i1"};
static const int64_t PI_TS[] = {1600000000, 1600000100, 1600000200, 1600000300};
static const char *const PI_EVENTS[] = {"click", "buy", "click", "view"};
static const float PI_VALUES[] = {0.0f, 2.5f, 1.0f, 0.25f};
static const int PI_VALUES_VALID[] = {0, 1, 1, 1};

/* Dictionary user ids, large utf8 items, int64 timestamps, float32 values,
 * in another order than the schema. */
static void pi_mixed(struct ArrowSchema **s, struct ArrowArray **a)
{
    static const char *const names[] = {"EVENT_VALUE", "ITEM_ID", "USER_ID", "EVENT_TYPE",
                                        "TIMESTAMP"};
    static const char *const formats[] = {"f", "U", "i", "u", "l"};
    static const char *const dicts[] = {NULL, NULL, "u", NULL, NULL};
    struct ArrowArray *cols[5] = {af_fixed(PI_VALUES, 4, 4, PI_VALUES_VALID),
                                  af_large_utf8(PI_ITEMS, 4),
                                  af_dict(PI_USER_IDX, 4, NULL, 4, PI_USERS_DICT, 3),
                                  af_utf8(PI_EVENTS, 4), af_fixed(PI_TS, 8, 4, NULL)};
    *s = af_schema(5, names, formats, dicts);
    *a = af_batch(5, cols);
}

/* ---- good imports ------------------------------------------------------------ */

static void expect_same_as_rows(int personalize, struct ArrowSchema *s, struct ArrowArray *a,
                                const char *const *rows, int64_t n_rows)
{
    fixture fx;
    fx_open(&fx, personalize);
    tsrec_import_report *rep = NULL;
    int st = import_batch(fx.ds, s, a, TSREC_IMPORT_FULL, NULL, &rep);
    if (st != TSREC_OK)
        fail_msg("arrow import: %d %s", st, tsrec_errmsg(fx.ds));
    int64_t imported = -1, rejected = -1;
    assert_int_equal(tsrec_import_report_rows(rep, &imported, &rejected), TSREC_OK);
    assert_int_equal(imported, n_rows);
    assert_int_equal(rejected, 0);
    tsrec_import_report_free(rep);
    assert_true(fingerprint(fx.ds) == rows_fingerprint(personalize, rows, n_rows));
    fx_close(&fx);
    af_array_free(a);
    af_schema_free(s);
}

static void test_forecast_matches_rows(void **state)
{
    (void)state;
    af_reset_counts();
    struct ArrowSchema *s;
    struct ArrowArray *a;
    fc_text(&s, &a);
    expect_same_as_rows(0, s, a, FC_ROWS, 4);

    /* Typed: timestamp seconds, float32 target, large utf8 ids. */
    static const char *const names[] = {"timestamp", "item_id", "target_value"};
    static const char *const formats[] = {"tss:", "U", "f"};
    const float t32[] = {1.5f, 0.0f, 3.25f, -7.0f};
    struct ArrowArray *cols[3] = {af_fixed(FC_SECONDS, 8, 4, NULL), af_large_utf8(FC_ITEMS, 4),
                                  af_fixed(t32, 4, 4, FC_TARGET_VALID)};
    expect_same_as_rows(0, af_schema(3, names, formats, NULL), af_batch(3, cols), FC_ROWS, 4);

    /* Nanoseconds with sub-second parts (dropped), dictionary ids, int64
     * target values (integers fill a float field). */
    static const char *const names3[] = {"target_value", "timestamp", "item_id"};
    static const char *const formats3[] = {"l", "tsn:UTC", "s"};
    static const char *const dicts3[] = {NULL, NULL, "u"};
    static const char *const rows3[] = {
        "2014-01-01 01:00:00", "2",  "client_1", /**/
        "2014-01-01 02:00:00", NULL, "client_1", /**/
        "2014-01-01",          "3",  "client_2", /**/
        "2014-01-02 05:00:00", "-7", "client_3",
    };
    int64_t ns[4];
    for (int i = 0; i < 4; i++)
        ns[i] = FC_SECONDS[i] * 1000000000 + 999999999;
    const int64_t tv[] = {2, 0, 3, -7};
    const int16_t idx[] = {1, 1, 2, 0};
    static const char *const dict[] = {"client_3", "client_1", "client_2"};
    struct ArrowArray *cols3[3] = {af_fixed(tv, 8, 4, FC_TARGET_VALID), af_fixed(ns, 8, 4, NULL),
                                   af_dict(idx, 2, NULL, 4, dict, 3)};
    struct ArrowSchema *s3 = af_schema(3, names3, formats3, dicts3);
    expect_same_as_rows(0, s3, af_batch(3, cols3), rows3, 4);
    assert_int_equal(af_count.batch_releases, 3); /* by the test itself */
    assert_int_equal(af_count.schema_releases, 3);
    assert_int_equal(af_count.stream_releases, 0);
}

static void test_interactions_matches_rows(void **state)
{
    (void)state;
    af_reset_counts();
    struct ArrowSchema *s;
    struct ArrowArray *a;
    pi_mixed(&s, &a);
    expect_same_as_rows(1, s, a, PI_ROWS, 4);

    /* Integer user ids become their decimal text; millisecond instants;
     * the nullable EVENT_VALUE column left out entirely. */
    static const char *const names[] = {"TIMESTAMP", "USER_ID", "EVENT_TYPE", "ITEM_ID"};
    static const char *const formats[] = {"tsm:UTC", "l", "u", "u"};
    static const char *const rows[] = {
        "7",   "i1", "1600000000", "click", NULL, /**/
        "-12", "i2", "1600000100", "buy",   NULL, /**/
        "7",   "i3", "1600000200", "click", NULL, /**/
        "0",   "i1", "1600000300", "view",  NULL,
    };
    const int64_t users[] = {7, -12, 7, 0};
    int64_t ms[4];
    for (int i = 0; i < 4; i++)
        ms[i] = PI_TS[i] * 1000 + 999;
    struct ArrowArray *cols[4] = {af_fixed(ms, 8, 4, NULL), af_fixed(users, 8, 4, NULL),
                                  af_utf8(PI_EVENTS, 4), af_utf8(PI_ITEMS, 4)};
    expect_same_as_rows(1, af_schema(4, names, formats, NULL), af_batch(4, cols), rows, 4);

    /* A null-typed EVENT_VALUE column: every value missing. */
    static const char *const names2[] = {"USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE",
                                         "EVENT_VALUE"};
    static const char *const formats2[] = {"u", "u", "I", "u", "n"};
    static const char *const rows2[] = {
        "u1", "i1", "1600000000", "click", NULL, /**/
        "u2", "i2", "1600000100", "buy",   NULL,
    };
    static const char *const u2[] = {"u1", "u2"};
    const uint32_t ts32[] = {1600000000u, 1600000100u};
    struct ArrowArray *cols2[5] = {af_utf8(u2, 2), af_utf8(PI_ITEMS, 2), af_fixed(ts32, 4, 2, NULL),
                                   af_utf8(PI_EVENTS, 2), af_null(2)};
    expect_same_as_rows(1, af_schema(5, names2, formats2, NULL), af_batch(5, cols2), rows2, 2);
    assert_int_equal(af_count.schema_releases, 3);
    assert_int_equal(af_count.batch_releases, 3); /* by the test itself */
}

/* Offsets on the batch and on its columns select the same rows. */
static void test_slices(void **state)
{
    (void)state;
    af_reset_counts();
    static const char *const ts[] = {"x", "2014-01-03 00:00:00", "2014-01-01 01:00:00",
                                     "2014-01-01 02:00:00", "2014-01-01", "bad", "bad"};
    static const char *const items[] = {"p", "q", "r", "client_1", "client_1", "client_2", "z"};
    const double target[] = {9, 8, 1.5, 0, 3.25, 1, 2};
    const int target_valid[] = {1, 1, 1, 0, 1, 1, 1};
    struct ArrowArray *c_ts = af_utf8(ts, 7);
    af_shift(c_ts, 1); /* child offset 1: struct slot j is ts[j + 1] */
    struct ArrowArray *c_items = af_utf8(items, 7);
    af_shift(c_items, 2); /* struct slot j is items[j + 2] */
    struct ArrowArray *c_target = af_fixed(target, 8, 7, target_valid);
    /* columns of 6, 5 and 7 values; the struct reads slots 1..3 */
    struct ArrowArray *cols[3] = {c_ts, c_target, c_items};
    struct ArrowArray *a = af_batch(3, cols);
    a->offset = 1;
    a->length = 3;
    static const char *const names[] = {"timestamp", "target_value", "item_id"};
    static const char *const formats[] = {"u", "g", "u"};
    struct ArrowSchema *s = af_schema(3, names, formats, NULL);
    /* slot 1..3: ts[2..4], target[1..3], items[3..5] */
    static const char *const rows[] = {
        "2014-01-01 01:00:00", "8",    "client_1", /**/
        "2014-01-01 02:00:00", "1.5",  "client_1", /**/
        "2014-01-01",          NULL,   "client_2",
    };
    expect_same_as_rows(0, s, a, rows, 3);
}

/* Nulls: column bitmaps, dictionary null entries and null indices, a null
 * struct row (all its fields missing: a required one makes it bad). */
static void test_nulls(void **state)
{
    (void)state;
    af_reset_counts();
    static const char *const names[] = {"USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE",
                                        "EVENT_VALUE"};
    static const char *const formats[] = {"u", "u", "l", "i", "g"};
    static const char *const dicts[] = {NULL, NULL, NULL, "u", NULL};
    static const char *const users[] = {"a", "b", "c", "d"};
    static const char *const items[] = {"i", "j", "k", "l"};
    const int64_t ts[] = {10, 20, 30, 40};
    static const char *const events[] = {"click", NULL, "buy"};
    const int32_t ev_idx[] = {0, 2, 0, 2};
    const double vals[] = {1, 2, 3, 4};
    const int vals_valid[] = {0, 1, 0, 1};
    struct ArrowArray *cols[5] = {af_utf8(users, 4), af_utf8(items, 4), af_fixed(ts, 8, 4, NULL),
                                  af_dict(ev_idx, 4, NULL, 4, events, 3),
                                  af_fixed(vals, 8, 4, vals_valid)};
    static const char *const rows[] = {
        "a", "i", "10", "click", NULL, /**/
        "b", "j", "20", "buy",   "2",  /**/
        "c", "k", "30", "click", NULL, /**/
        "d", "l", "40", "buy",   "4",
    };
    expect_same_as_rows(1, af_schema(5, names, formats, dicts), af_batch(5, cols), rows, 4);

    /* EVENT_TYPE through a null dictionary entry (index 1) and a null
     * index: required, so rows 2 and 3 are bad. */
    const int32_t ev_idx2[] = {0, 1, 2, 0};
    const int ev_valid2[] = {1, 1, 1, 0};
    struct ArrowArray *cols2[5] = {af_utf8(users, 4), af_utf8(items, 4),
                                   af_fixed(ts, 8, 4, NULL),
                                   af_dict(ev_idx2, 4, ev_valid2, 4, events, 3),
                                   af_fixed(vals, 8, 4, vals_valid)};
    struct ArrowSchema *s2 = af_schema(5, names, formats, dicts);
    struct ArrowArray *a2 = af_batch(5, cols2);
    fixture fx;
    fx_open(&fx, 1);
    tsrec_import_report *rep = NULL;
    assert_int_equal(import_batch(fx.ds, s2, a2, TSREC_IMPORT_FULL, NULL, &rep), TSREC_E_SCHEMA);
    int64_t n_err = 0;
    assert_int_equal(tsrec_import_report_error_count(rep, &n_err), TSREC_OK);
    assert_int_equal(n_err, 2);
    const char *file, *msg;
    int64_t line, col;
    assert_int_equal(tsrec_import_report_error(rep, 0, &file, &line, &col, &msg), TSREC_OK);
    assert_null(file);
    assert_int_equal(line, 2);
    assert_int_equal(col, 4); /* EVENT_TYPE is Arrow column 4 */
    assert_true(contains(msg, "required"));
    assert_int_equal(tsrec_import_report_error(rep, 1, &file, &line, &col, &msg), TSREC_OK);
    assert_int_equal(line, 4);
    tsrec_import_report_free(rep);
    assert_int_equal(fx.ds->n_rows, 0);

    af_array_free(a2);

    /* A null struct row (rows 0, 1, 3 valid; row 2 null): its fields are
     * missing, USER_ID first. */
    struct ArrowArray *cols3[5] = {af_utf8(users, 4), af_utf8(items, 4),
                                   af_fixed(ts, 8, 4, NULL),
                                   af_dict(ev_idx, 4, NULL, 4, events, 3),
                                   af_fixed(vals, 8, 4, vals_valid)};
    struct ArrowArray *a3 = af_batch(5, cols3);
    unsigned char bits3 = 0x0B;
    a3->null_count = 1;
    a3->buffers[0] = &bits3;
    rep = NULL;
    assert_int_equal(import_batch(fx.ds, s2, a3, TSREC_IMPORT_FULL, NULL, &rep), TSREC_E_SCHEMA);
    assert_int_equal(tsrec_import_report_error(rep, 0, &file, &line, &col, &msg), TSREC_OK);
    assert_int_equal(line, 3);
    assert_int_equal(col, 1);
    assert_true(contains(msg, "USER_ID"));
    tsrec_import_report_free(rep);
    a3->buffers[0] = NULL;
    af_array_free(a3);
    af_schema_free(s2);
    fx_close(&fx);
}

/* Every timestamp unit, with and without a zone, dates, sub-second parts
 * before and after 1970, and the import's time_zone on wall-clock times. */
static void test_timestamp_units(void **state)
{
    (void)state;
    af_reset_counts();
    typedef struct unit_case {
        const char *format;
        int64_t ticks; /* per second; 0 = date32 (days), -1 = date64 (ms) */
        int zoned;
    } unit_case;
    static const unit_case cases[] = {
        {"tss:", 1, 0},           {"tsm:", 1000, 0},   {"tsu:", 1000000, 0},
        {"tsn:", 1000000000, 0},  {"tss:UTC", 1, 1},   {"tsm:+07:00", 1000, 1},
        {"tsu:Europe/Paris", 1000000, 1}, {"tsn:UTC", 1000000000, 1},
        {"tdD", 0, 0},            {"tdm", -1, 0},
    };
    /* seconds and sub-second fraction (in ticks of the finest unit, ns) */
    const int64_t secs[] = {T2014 + 3600, T2014 + 86400 * 3, -1, -86400 * 2};
    const int64_t frac_ns[] = {999999999, 0, 500000000, 0};
    static const char *const items[] = {"a", "b", "c", "d"};
    static const char *const names[] = {"timestamp", "item_id"};
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const unit_case *uc = &cases[k];
        int64_t v[4], want[4];
        int32_t days[4];
        for (int i = 0; i < 4; i++) {
            if (uc->ticks > 0) {
                /* value = secs + frac, floored to whole seconds on import */
                v[i] = secs[i] * uc->ticks + frac_ns[i] / (1000000000 / uc->ticks);
                want[i] = secs[i];
            } else {
                int64_t d = secs[i] >= 0 ? secs[i] / 86400 : -((-secs[i] + 86399) / 86400);
                days[i] = (int32_t)d;
                v[i] = d * 86400000;
                want[i] = d * 86400;
            }
            /* wall-clock values are local at +02:00: UTC is two hours less */
            if (!uc->zoned)
                want[i] -= 7200;
        }
        const char *formats[] = {uc->format, "u"};
        struct ArrowArray *cols[2] = {uc->ticks == 0 ? af_fixed(days, 4, 4, NULL)
                                                     : af_fixed(v, 8, 4, NULL),
                                      af_utf8(items, 4)};
        struct ArrowSchema *s = af_schema(2, names, formats, NULL);
        struct ArrowArray *a = af_batch(2, cols);
        /* the Forecast schema has a target field: add it as nulls */
        fixture fx;
        fx_open(&fx, 0);
        static const char *const names3[] = {"timestamp", "item_id", "target_value"};
        const char *formats3[] = {uc->format, "u", "n"};
        struct ArrowArray *cols3[3] = {uc->ticks == 0 ? af_fixed(days, 4, 4, NULL)
                                                      : af_fixed(v, 8, 4, NULL),
                                       af_utf8(items, 4), af_null(4)};
        struct ArrowSchema *s3 = af_schema(3, names3, formats3, NULL);
        struct ArrowArray *a3 = af_batch(3, cols3);
        /* without the target column: every Forecast field is required */
        assert_int_equal(import_batch(fx.ds, s, a, TSREC_IMPORT_FULL, "+02:00", NULL),
                         TSREC_E_SCHEMA);
        assert_true(contains(tsrec_errmsg(fx.ds), "'target_value' is missing"));
        int st = import_batch(fx.ds, s3, a3, TSREC_IMPORT_FULL, "+02:00", NULL);
        if (st != TSREC_OK)
            fail_msg("format %s: %d %s", uc->format, st, tsrec_errmsg(fx.ds));
        const tsrec__column *c = &fx.ds->cols[0];
        for (int i = 0; i < 4; i++)
            if (tsrec__column_get_i64(c, i) != want[i])
                fail_msg("format %s value %d: %lld, want %lld", uc->format, i,
                         (long long)tsrec__column_get_i64(c, i), (long long)want[i]);
        fx_close(&fx);
        af_array_free(a);
        af_schema_free(s);
        af_array_free(a3);
        af_schema_free(s3);
    }
}

/* Booleans, small and 32-bit-checked integers and doubles (a Personalize
 * Items dataset). */
static const char *ITEMS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Items\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"IS_NEW\",\"type\":\"boolean\"},"
    "{\"name\":\"STOCK\",\"type\":\"int\"},{\"name\":\"PRICE\",\"type\":[\"null\",\"double\"]}],"
    "\"version\":\"1.0\"}";

static void items_open(fixture *fx)
{
    fx->ctx = tu_ctx_new();
    assert_int_equal(tsrec_schema_parse(fx->ctx, TSREC_SERVICE_PERSONALIZE, ITEMS_SCHEMA,
                                        strlen(ITEMS_SCHEMA), &fx->schema),
                     TSREC_OK);
    assert_int_equal(
        tsrec_dataset_group_new(fx->ctx, "g", TSREC_SERVICE_PERSONALIZE, NULL, &fx->group),
        TSREC_OK);
    int st = tsrec_dataset_group_create_dataset(fx->group, "d", "Items", fx->schema, NULL,
                                                &fx->ds);
    if (st != TSREC_OK)
        fail_msg("Items dataset: %s", tsrec_errmsg(fx->group));
}

static void test_booleans_and_ints(void **state)
{
    (void)state;
    af_reset_counts();
    static const char *const names[] = {"PRICE", "STOCK", "IS_NEW", "ITEM_ID"};
    static const char *const formats[] = {"g", "c", "b", "u"};
    static const char *const ids[] = {"i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9"};
    const double price[] = {1.5, 0, 2.25, 3, 4, 5, 6, 7, 8};
    const int price_valid[] = {1, 0, 1, 1, 1, 1, 1, 1, 1};
    const int8_t stock[] = {5, -128, 127, 0, 1, 2, 3, 4, 5};
    const int is_new[] = {1, 0, 0, 1, 1, 0, 1, 0, 1};
    struct ArrowArray *cols[4] = {af_fixed(price, 8, 9, price_valid), af_fixed(stock, 1, 9, NULL),
                                  af_bool(is_new, NULL, 9), af_utf8(ids, 9)};
    struct ArrowSchema *s = af_schema(4, names, formats, NULL);
    struct ArrowArray *a = af_batch(4, cols);
    af_shift(a, 2); /* a batch offset inside a bitmap byte: rows 2..8 */
    static const char *const rows[] = {
        "i3", "false", "127", "2.25", /**/
        "i4", "true",  "0",   "3",    /**/
        "i5", "true",  "1",   "4",    /**/
        "i6", "false", "2",   "5",    /**/
        "i7", "true",  "3",   "6",    /**/
        "i8", "false", "4",   "7",    /**/
        "i9", "true",  "5",   "8",
    };
    fixture fx, ref;
    items_open(&fx);
    items_open(&ref);
    assert_int_equal(import_batch(fx.ds, s, a, TSREC_IMPORT_FULL, NULL, NULL), TSREC_OK);
    assert_int_equal(import_rows(ref.ds, rows, 7, TSREC_IMPORT_FULL), TSREC_OK);
    assert_true(fingerprint(fx.ds) == fingerprint(ref.ds));
    uint64_t fp = fingerprint(fx.ds);

    /* int64 STOCK past the 32-bit range of an Avro int: a bad row. */
    static const char *const formats2[] = {"g", "l", "b", "u"};
    const int64_t stock64[] = {1, INT64_C(3000000000), 2, 3, 4, 5, 6, 7, 8};
    struct ArrowArray *cols2[4] = {af_fixed(price, 8, 9, price_valid),
                                   af_fixed(stock64, 8, 9, NULL), af_bool(is_new, NULL, 9),
                                   af_utf8(ids, 9)};
    struct ArrowSchema *s2 = af_schema(4, names, formats2, NULL);
    struct ArrowArray *a2 = af_batch(4, cols2);
    tsrec_import_report *rep = NULL;
    assert_int_equal(import_batch(fx.ds, s2, a2, TSREC_IMPORT_INCREMENTAL, NULL, &rep),
                     TSREC_E_PARSE);
    assert_true(contains(tsrec_errmsg(fx.ds), "3000000000 is out of range for an int (32-bit)"));
    const char *file, *msg;
    int64_t line, col;
    assert_int_equal(tsrec_import_report_error(rep, 0, &file, &line, &col, &msg), TSREC_OK);
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    tsrec_import_report_free(rep);
    assert_true(fingerprint(fx.ds) == fp);

    /* A boolean column cannot fill the int field. */
    static const char *const formats3[] = {"g", "b", "b", "u"};
    struct ArrowArray *cols3[4] = {af_fixed(price, 8, 9, price_valid), af_bool(is_new, NULL, 9),
                                   af_bool(is_new, NULL, 9), af_utf8(ids, 9)};
    struct ArrowSchema *s3 = af_schema(4, names, formats3, NULL);
    struct ArrowArray *a3 = af_batch(4, cols3);
    assert_int_equal(import_batch(fx.ds, s3, a3, TSREC_IMPORT_FULL, NULL, NULL), TSREC_E_SCHEMA);
    assert_true(contains(tsrec_errmsg(fx.ds), "cannot hold the schema's integer field"));
    assert_true(fingerprint(fx.ds) == fp);
    fx_close(&fx);
    fx_close(&ref);
    af_array_free(a);
    af_schema_free(s);
    af_array_free(a2);
    af_schema_free(s2);
    af_array_free(a3);
    af_schema_free(s3);
}

/* ---- streams ------------------------------------------------------------------ */

static const char *const PI_NAMES[] = {"EVENT_VALUE", "ITEM_ID", "USER_ID", "EVENT_TYPE",
                                       "TIMESTAMP"};
static const char *const PI_FORMATS[] = {"f", "U", "i", "u", "l"};
static const char *const PI_DICTS[] = {NULL, NULL, "u", NULL, NULL};

/* Rows [from, to) of the reference interactions as a batch. */
static struct ArrowArray *pi_rows_batch(int from, int to)
{
    int n = to - from;
    struct ArrowArray *cols[5] = {
        af_fixed(PI_VALUES + from, 4, n, PI_VALUES_VALID + from),
        af_large_utf8(PI_ITEMS + from, n),
        af_dict(PI_USER_IDX + from, 4, NULL, n, PI_USERS_DICT, 3),
        af_utf8(PI_EVENTS + from, n), af_fixed(PI_TS + from, 8, n, NULL)};
    return af_batch(5, cols);
}

static int import_stream(tsrec_dataset *ds, struct ArrowArrayStream *st, int32_t mode,
                         tsrec_import_report **rep)
{
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = mode;
    return tsrec_dataset_import_arrow_stream(ds, st, &o, rep);
}

static void test_stream_batches(void **state)
{
    (void)state;
    af_reset_counts();
    /* 1 + 0 + 3 rows: an empty batch in the middle is fine. */
    struct ArrowArray *b[3] = {pi_rows_batch(0, 1), pi_rows_batch(1, 1), pi_rows_batch(1, 4)};
    struct ArrowArrayStream *st = af_stream(5, PI_NAMES, PI_FORMATS, PI_DICTS, b, 3, 0, 0);
    fixture fx;
    fx_open(&fx, 1);
    tsrec_import_report *rep = NULL;
    int rc = import_stream(fx.ds, st, TSREC_IMPORT_FULL, &rep);
    if (rc != TSREC_OK)
        fail_msg("stream: %d %s", rc, tsrec_errmsg(fx.ds));
    int64_t imported = 0, rejected = -1;
    assert_int_equal(tsrec_import_report_rows(rep, &imported, &rejected), TSREC_OK);
    assert_int_equal(imported, 4);
    tsrec_import_report_free(rep);
    assert_true(fingerprint(fx.ds) == rows_fingerprint(1, PI_ROWS, 4));
    assert_int_equal(af_count.batch_releases, 3);
    assert_int_equal(af_count.child_releases, 3 * (5 + 1)); /* 5 columns + 1 dictionary */
    assert_int_equal(af_count.schema_releases, 1);
    assert_int_equal(af_count.stream_releases, 0);
    assert_non_null(st->release); /* still the caller's */
    af_stream_free(st);
    assert_int_equal(af_count.stream_releases, 1);

    /* INCREMENTAL appends a second stream: 8 rows, as rows imported twice. */
    af_reset_counts();
    struct ArrowArray *b2[2] = {pi_rows_batch(0, 2), pi_rows_batch(2, 4)};
    st = af_stream(5, PI_NAMES, PI_FORMATS, PI_DICTS, b2, 2, 0, 0);
    assert_int_equal(import_stream(fx.ds, st, TSREC_IMPORT_INCREMENTAL, NULL), TSREC_OK);
    assert_int_equal(af_count.batch_releases, 2);
    assert_int_equal(af_count.stream_releases, 0);
    af_stream_free(st);
    fixture ref;
    fx_open(&ref, 1);
    assert_int_equal(import_rows(ref.ds, PI_ROWS, 4, TSREC_IMPORT_FULL), TSREC_OK);
    assert_int_equal(import_rows(ref.ds, PI_ROWS, 4, TSREC_IMPORT_INCREMENTAL), TSREC_OK);
    assert_true(fingerprint(fx.ds) == fingerprint(ref.ds));
    fx_close(&ref);

    /* An empty stream: no rows, TSREC_E_EMPTY, nothing lost. */
    uint64_t fp = fingerprint(fx.ds);
    st = af_stream(5, PI_NAMES, PI_FORMATS, PI_DICTS, NULL, 0, 0, 0);
    assert_int_equal(import_stream(fx.ds, st, TSREC_IMPORT_FULL, NULL), TSREC_E_EMPTY);
    assert_true(fingerprint(fx.ds) == fp);
    af_stream_free(st);
    fx_close(&fx);
}

/* A producer error: the status names get_last_error's message, the
 * dataset keeps its rows, batches taken so far were released once. */
static void test_stream_errors(void **state)
{
    (void)state;
    for (int mode = TSREC_IMPORT_FULL; mode <= TSREC_IMPORT_INCREMENTAL; mode++) {
        af_reset_counts();
        fixture fx;
        fx_open(&fx, 1);
        assert_int_equal(import_rows(fx.ds, PI_ROWS, 4, TSREC_IMPORT_FULL), TSREC_OK);
        uint64_t fp = fingerprint(fx.ds);
        size_t mem = memory_of(fx.ds);
        struct ArrowArray *b[3] = {pi_rows_batch(0, 2), pi_rows_batch(2, 3), pi_rows_batch(3, 4)};
        struct ArrowArrayStream *st = af_stream(5, PI_NAMES, PI_FORMATS, PI_DICTS, b, 3, 3, 0);
        tsrec_import_report *rep = NULL;
        assert_int_equal(import_stream(fx.ds, st, mode, &rep), TSREC_E_IO);
        assert_true(contains(tsrec_errmsg(fx.ds), "disk on fire"));
        assert_true(contains(tsrec_errmsg(fx.ds), "get_next"));
        assert_true(contains(tsrec_errmsg(fx.ds), "dataset unchanged"));
        int64_t n_err = 0;
        assert_int_equal(tsrec_import_report_error_count(rep, &n_err), TSREC_OK);
        assert_int_equal(n_err, 1);
        tsrec_import_report_free(rep);
        assert_true(fingerprint(fx.ds) == fp);
        assert_int_equal(memory_of(fx.ds), mem);
        assert_int_equal(af_count.batch_releases, 2);
        assert_int_equal(af_count.schema_releases, 1);
        assert_int_equal(af_count.stream_releases, 0);
        af_stream_free(st); /* releases the batch never taken */
        assert_int_equal(af_count.batch_releases, 3);

        /* get_schema failing: no get_next, nothing to release but the stream */
        af_reset_counts();
        struct ArrowArray *b1[1] = {pi_rows_batch(0, 2)};
        st = af_stream(5, PI_NAMES, PI_FORMATS, PI_DICTS, b1, 1, 0, 1);
        assert_int_equal(import_stream(fx.ds, st, mode, NULL), TSREC_E_IO);
        assert_true(contains(tsrec_errmsg(fx.ds), "schema lost"));
        assert_true(fingerprint(fx.ds) == fp);
        assert_int_equal(af_count.batch_releases + af_count.schema_releases, 0);
        af_stream_free(st);
        assert_int_equal(af_count.batch_releases, 1);

        /* A bad value in the second batch: its row number counts across
         * batches; the stream is read to the end to list bad rows. */
        af_reset_counts();
        struct ArrowArray *b3[2] = {pi_rows_batch(0, 2), pi_rows_batch(2, 4)};
        float nan_value = NAN;
        struct ArrowArray *ev = b3[1]->children[0];
        memcpy((void *)(uintptr_t)ev->buffers[1], &nan_value, sizeof(nan_value));
        st = af_stream(5, PI_NAMES, PI_FORMATS, PI_DICTS, b3, 2, 0, 0);
        rep = NULL;
        assert_int_equal(import_stream(fx.ds, st, mode, &rep), TSREC_E_PARSE);
        assert_true(contains(tsrec_errmsg(fx.ds), "not a number"));
        const char *file, *msg;
        int64_t line, col;
        assert_int_equal(tsrec_import_report_error(rep, 0, &file, &line, &col, &msg), TSREC_OK);
        assert_int_equal(line, 3);
        assert_int_equal(col, 1);
        tsrec_import_report_free(rep);
        assert_true(fingerprint(fx.ds) == fp);
        assert_int_equal(memory_of(fx.ds), mem);
        assert_int_equal(af_count.batch_releases, 2);
        af_stream_free(st);
        fx_close(&fx);
    }
}

/* ---- bad batches ------------------------------------------------------------ */

typedef struct bad_case {
    const char *name;
    int personalize;
    void (*damage)(struct ArrowSchema *s, struct ArrowArray *a);
    int status;
    const char *keyword;
} bad_case;

static struct ArrowArray *col(struct ArrowArray *a, int k)
{
    return a->children[k];
}

/* Forecast batch (fc_text): columns item_id (u), target_value (g), timestamp (u). */
static void dmg_utf8_n_buffers(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 0)->n_buffers = 2;
}
static void dmg_null_data(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 1)->buffers[1] = NULL;
}
static void dmg_null_offsets(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 2)->buffers[1] = NULL;
}
static void dmg_null_chars(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 2)->buffers[2] = NULL;
}
static void dmg_negative_length(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    a->length = -1;
}
static void dmg_negative_child_length(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 1)->length = -4;
}
static void dmg_negative_offset(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 0)->offset = -1;
}
static void dmg_short_child(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 0)->length = 3;
}
static void dmg_struct_buffers(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    a->n_buffers = 0;
}
static void dmg_struct_children(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    a->n_children = 2;
}
static void dmg_null_child(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    a->children[1] = NULL;
}
static void dmg_null_count(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 0)->null_count = 2; /* no bitmap */
}
static void dmg_decreasing_offsets(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    int32_t zero = 0;
    /* offsets 0 8 0 24 32: value 1 would end before it starts */
    memcpy((char *)(uintptr_t)col(a, 0)->buffers[1] + 4 * 2, &zero, 4);
}
static void dmg_top_format(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->format = "+l";
}
static void dmg_unnamed(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->children[1]->name = NULL;
}
static void dmg_huge_length(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    a->length = INT64_MAX;
    a->offset = 1;
}
/* Interactions batch (pi_mixed): EVENT_VALUE f, ITEM_ID U, USER_ID
 * dictionary, EVENT_TYPE u, TIMESTAMP l. */
static void dmg_dict_index(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    int32_t bad = 3; /* the dictionary has 3 entries */
    memcpy((char *)(uintptr_t)col(a, 2)->buffers[1] + 4, &bad, 4);
}
static void dmg_dict_negative_index(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    int32_t bad = -1;
    memcpy((char *)(uintptr_t)col(a, 2)->buffers[1], &bad, 4);
}
static void dmg_dict_missing(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 2)->dictionary = NULL; /* the fixture still frees it */
}
static void dmg_dict_buffers(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    col(a, 2)->dictionary->n_buffers = 2;
}
static void dmg_unsupported_decimal(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->children[0]->format = "d:10,2";
}
static void dmg_unsupported_list(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->children[1]->format = "+l";
}
static void dmg_unsupported_dict_values(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->children[2]->dictionary->format = "l";
}
static void dmg_unknown_column(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->children[3]->name = "COLOR";
}
static void dmg_duplicate_column(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->children[3]->name = "ITEM_ID";
}
static void dmg_missing_timestamp(struct ArrowSchema *s, struct ArrowArray *a)
{
    s->n_children = 4; /* the last column, TIMESTAMP, left out */
    a->n_children = 4;
}
static void dmg_type_mismatch(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->children[4]->format = "g"; /* float64 cannot hold a long */
}
static void dmg_nan(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    float v = NAN;
    memcpy((char *)(uintptr_t)col(a, 0)->buffers[1] + 4, &v, 4);
}
static void dmg_inf(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    float v = -INFINITY;
    memcpy((char *)(uintptr_t)col(a, 0)->buffers[1] + 4 * 3, &v, 4);
}
static void dmg_epoch_range(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    int64_t v = INT64_C(99999999999999);
    memcpy((char *)(uintptr_t)col(a, 4)->buffers[1] + 8, &v, 8);
}
static void dmg_uint64_big(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)a;
    s->children[4]->format = "L";
    uint64_t v = UINT64_MAX;
    memcpy((char *)(uintptr_t)col(a, 4)->buffers[1], &v, 8);
}
static void dmg_invalid_utf8(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    ((char *)(uintptr_t)col(a, 3)->buffers[2])[1] = (char)0xFF; /* "c?ick" */
}
static void dmg_nul_byte(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    ((char *)(uintptr_t)col(a, 3)->buffers[2])[1] = '\0';
}
static void dmg_long_id(struct ArrowSchema *s, struct ArrowArray *a)
{
    (void)s;
    char id[300];
    memset(id, 'x', sizeof(id));
    const char *v[] = {id, "i2", "i3", "i1"};
    const size_t lens[] = {257, 2, 2, 2};
    struct ArrowArray *c = af_utf8_bytes(v, lens, 4);
    /* large utf8 column replaced by a utf8 one: schema says "U" -> use "u" */
    s->children[1]->format = "u";
    struct ArrowArray *old = a->children[1];
    /* swap contents so the fixture frees both correctly */
    struct ArrowArray tmp = *old;
    *old = *c;
    *c = tmp;
    af_array_free(c);
}
static const bad_case BAD[] = {
    {"utf8_n_buffers", 0, dmg_utf8_n_buffers, TSREC_E_FORMAT, "buffers"},
    {"null_data_buffer", 0, dmg_null_data, TSREC_E_FORMAT, "is NULL"},
    {"null_offsets_buffer", 0, dmg_null_offsets, TSREC_E_FORMAT, "is NULL"},
    {"null_chars_buffer", 0, dmg_null_chars, TSREC_E_FORMAT, "NULL data buffer"},
    {"negative_length", 0, dmg_negative_length, TSREC_E_FORMAT, "invalid length"},
    {"negative_child_length", 0, dmg_negative_child_length, TSREC_E_FORMAT, "invalid length"},
    {"negative_offset", 0, dmg_negative_offset, TSREC_E_FORMAT, "offset -1"},
    {"short_child", 0, dmg_short_child, TSREC_E_FORMAT, "shorter"},
    {"struct_n_buffers", 0, dmg_struct_buffers, TSREC_E_FORMAT, "buffers"},
    {"struct_n_children", 0, dmg_struct_children, TSREC_E_FORMAT, "children"},
    {"null_child", 0, dmg_null_child, TSREC_E_FORMAT, "NULL child"},
    {"null_count_without_bitmap", 0, dmg_null_count, TSREC_E_FORMAT, "validity"},
    {"decreasing_offsets", 0, dmg_decreasing_offsets, TSREC_E_FORMAT, "string offsets"},
    {"not_a_struct", 0, dmg_top_format, TSREC_E_FORMAT, "'+l' is not a record batch"},
    {"unnamed_column", 0, dmg_unnamed, TSREC_E_FORMAT, "no name"},
    {"huge_length", 0, dmg_huge_length, TSREC_E_FORMAT, "too large"},
    {"dict_index_too_big", 1, dmg_dict_index, TSREC_E_FORMAT, "dictionary index 3"},
    {"dict_index_negative", 1, dmg_dict_negative_index, TSREC_E_FORMAT, "dictionary index -1"},
    {"dict_missing", 1, dmg_dict_missing, TSREC_E_FORMAT, "no dictionary"},
    {"dict_n_buffers", 1, dmg_dict_buffers, TSREC_E_FORMAT, "dictionary: 2 buffers"},
    {"unsupported_decimal", 1, dmg_unsupported_decimal, TSREC_E_UNSUPPORTED,
     "'EVENT_VALUE': format 'd:10,2'"},
    {"unsupported_list", 1, dmg_unsupported_list, TSREC_E_UNSUPPORTED, "'ITEM_ID': format '+l'"},
    {"unsupported_dict_values", 1, dmg_unsupported_dict_values, TSREC_E_UNSUPPORTED,
     "dictionary of 'l'"},
    {"unknown_column", 1, dmg_unknown_column, TSREC_E_SCHEMA, "'COLOR' is not a field"},
    {"duplicate_column", 1, dmg_duplicate_column, TSREC_E_SCHEMA, "duplicate"},
    {"missing_required", 1, dmg_missing_timestamp, TSREC_E_SCHEMA, "'TIMESTAMP' is missing"},
    {"type_mismatch", 1, dmg_type_mismatch, TSREC_E_SCHEMA, "cannot hold the schema's long"},
    {"nan", 1, dmg_nan, TSREC_E_PARSE, "NaN is not a number"},
    {"inf", 1, dmg_inf, TSREC_E_PARSE, "-inf is not a number"},
    {"epoch_range", 1, dmg_epoch_range, TSREC_E_PARSE, "out of range"},
    {"uint64_big", 1, dmg_uint64_big, TSREC_E_PARSE, "18446744073709551615 is out of range"},
    {"invalid_utf8", 1, dmg_invalid_utf8, TSREC_E_PARSE, "UTF-8"},
    {"nul_byte", 1, dmg_nul_byte, TSREC_E_PARSE, "NUL byte"},
    {"long_id", 1, dmg_long_id, TSREC_E_SCHEMA, "limit of 256"},
};

static void run_bad(const bad_case *bc, int32_t mode)
{
    af_reset_counts();
    fixture fx;
    fx_open(&fx, bc->personalize);
    if (bc->personalize)
        assert_int_equal(import_rows(fx.ds, PI_ROWS, 4, TSREC_IMPORT_FULL), TSREC_OK);
    else
        assert_int_equal(import_rows(fx.ds, FC_ROWS, 4, TSREC_IMPORT_FULL), TSREC_OK);
    uint64_t fp = fingerprint(fx.ds);
    size_t mem = memory_of(fx.ds);
    struct ArrowSchema *s;
    struct ArrowArray *a;
    if (bc->personalize)
        pi_mixed(&s, &a);
    else
        fc_text(&s, &a);
    /* Saved so the fixture can free what the damage hid. */
    struct ArrowArray *saved_child1 = a->children[1];
    struct ArrowArray *saved_dict = a->n_children > 2 ? a->children[2]->dictionary : NULL;
    bc->damage(s, a);
    tsrec_import_report *rep = NULL;
    int st = import_batch(fx.ds, s, a, mode, NULL, &rep);
    if (st != bc->status || !contains(tsrec_errmsg(fx.ds), bc->keyword))
        fail_msg("case %s mode %d: status %d (want %d), message '%s' (want '%s')", bc->name,
                 (int)mode, st, bc->status, tsrec_errmsg(fx.ds), bc->keyword);
    assert_true(contains(tsrec_errmsg(fx.ds), "dataset unchanged"));
    assert_non_null(rep);
    int64_t imported = -1, rejected = -1, n_err = 0;
    assert_int_equal(tsrec_import_report_rows(rep, &imported, &rejected), TSREC_OK);
    assert_int_equal(imported, 0);
    assert_int_equal(tsrec_import_report_error_count(rep, &n_err), TSREC_OK);
    assert_true(n_err >= 1);
    tsrec_import_report_free(rep);
    assert_true(fingerprint(fx.ds) == fp);
    assert_int_equal(memory_of(fx.ds), mem);
    /* Still importable afterwards. */
    assert_int_equal(import_rows(fx.ds, bc->personalize ? PI_ROWS : FC_ROWS, 4,
                                 TSREC_IMPORT_INCREMENTAL),
                     TSREC_OK);
    assert_int_equal(fx.ds->n_rows, 8);
    fx_close(&fx);
    /* Undo what would break the fixture's own release. */
    a->length = 4;
    a->offset = 0;
    a->n_children = 3 + 2 * bc->personalize;
    a->children[1] = saved_child1;
    if (saved_dict != NULL)
        a->children[2]->dictionary = saved_dict;
    af_array_free(a);
    af_schema_free(s);
    assert_int_equal(af_count.batch_releases, 1); /* by the test, not the library */
}

static void test_bad_batches_full(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++)
        run_bad(&BAD[i], TSREC_IMPORT_FULL);
}

static void test_bad_batches_incremental(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++)
        run_bad(&BAD[i], TSREC_IMPORT_INCREMENTAL);
}

/* Released or missing inputs are refused before anything is read. */
static void test_bad_arguments(void **state)
{
    (void)state;
    af_reset_counts();
    fixture fx;
    fx_open(&fx, 0);
    struct ArrowSchema *s;
    struct ArrowArray *a;
    fc_text(&s, &a);
    assert_int_equal(tsrec_dataset_import_arrow(fx.ds, NULL, a, NULL, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_dataset_import_arrow(fx.ds, s, NULL, NULL, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_dataset_import_arrow(NULL, s, a, NULL, NULL), TSREC_E_MISUSE);
    void (*rel)(struct ArrowArray *) = a->release;
    a->release = NULL;
    assert_int_equal(tsrec_dataset_import_arrow(fx.ds, s, a, NULL, NULL), TSREC_E_INVALID_ARG);
    assert_true(contains(tsrec_errmsg(fx.ds), "released"));
    a->release = rel;
    /* Default options: a FULL import. */
    assert_int_equal(import_rows(fx.ds, FC_ROWS, 4, TSREC_IMPORT_FULL), TSREC_OK);
    assert_int_equal(tsrec_dataset_import_arrow(fx.ds, s, a, NULL, NULL), TSREC_OK);
    assert_int_equal(fx.ds->n_rows, 4);
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.struct_size = 4;
    assert_int_equal(tsrec_dataset_import_arrow(fx.ds, s, a, &o, NULL), TSREC_E_INVALID_ARG);

    assert_int_equal(tsrec_dataset_import_arrow_stream(fx.ds, NULL, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    struct ArrowArrayStream *st = af_stream(3, (const char *const[]){"a", "b", "c"},
                                            (const char *const[]){"u", "u", "u"}, NULL, NULL, 0,
                                            0, 0);
    void (*srel)(struct ArrowArrayStream *) = st->release;
    st->release = NULL;
    assert_int_equal(tsrec_dataset_import_arrow_stream(fx.ds, st, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    assert_true(contains(tsrec_errmsg(fx.ds), "released"));
    st->release = srel;
    af_stream_free(st);
    assert_int_equal(fx.ds->n_rows, 4);
    assert_int_equal(af_count.batch_releases + af_count.schema_releases, 0);
    af_array_free(a);
    af_schema_free(s);
    fx_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast_matches_rows),
        cmocka_unit_test(test_interactions_matches_rows),
        cmocka_unit_test(test_slices),
        cmocka_unit_test(test_nulls),
        cmocka_unit_test(test_timestamp_units),
        cmocka_unit_test(test_booleans_and_ints),
        cmocka_unit_test(test_stream_batches),
        cmocka_unit_test(test_stream_errors),
        cmocka_unit_test(test_bad_batches_full),
        cmocka_unit_test(test_bad_batches_incremental),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
