/* Public import API: CSV / CSV.gz / folders / in-memory rows into Forecast
 * and Personalize datasets, through tsrec_schema_parse ->
 * tsrec_dataset_group_new -> create_dataset -> import.
 *
 * Every bad input gives its status, a message keyword and the line/column
 * in the report, and the dataset keeps exactly its previous rows, values,
 * dictionaries and memory, for FULL and INCREMENTAL imports alike. The
 * internal column structs are read only to fingerprint the contents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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

static const char GOOD_FORECAST[] = "2014-01-01 01:00:00,1.5,client_1\n"
                                    "2014-01-01 02:00:00,,client_1\n"
                                    "2014-01-01,3.25,client_2\n";
static const char GOOD_INTERACTIONS[] = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
                                        "u1,i1,1600000000,click,\n"
                                        "u2,i2,1600000100,buy,2.5\n"
                                        "u1,i3,1600000200,click,1\n";

static char g_tmp[256];

static int setup(void **state)
{
    (void)state;
    snprintf(g_tmp, sizeof(g_tmp), "/tmp/tsrec_import_XXXXXX");
    return mkdtemp(g_tmp) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", g_tmp, name);
    return buf[k];
}

static char *read_all(const char *path, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *out_len = (size_t)n;
    return b;
}

static void gzip_file(const char *src, const char *dst)
{
    size_t n;
    char *b = read_all(src, &n);
    assert_non_null(b);
    gzFile g = gzopen(dst, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, b, (unsigned)n), (int)n);
    assert_int_equal(gzclose(g), Z_OK);
    free(b);
}

static const char *shared_dir(void)
{
    const char *d = getenv("TSREC_SHARED_DATA");
    struct stat sb;
    if (d == NULL || stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return NULL;
    return d;
}

/* ---- fixtures ------------------------------------------------------------ */

typedef struct fixture {
    tsrec_ctx *ctx;
    tsrec_schema *schema;
    tsrec_dataset_group *group;
    tsrec_dataset *ds;
} fixture;

static void fx_open(fixture *fx, int32_t service, const char *schema, const char *domain,
                    const char *type, const char *freq)
{
    fx->ctx = tu_ctx_new();
    assert_int_equal(tsrec_schema_parse(fx->ctx, service, schema, strlen(schema), &fx->schema),
                     TSREC_OK);
    assert_int_equal(tsrec_dataset_group_new(fx->ctx, "g", service, domain, &fx->group),
                     TSREC_OK);
    assert_int_equal(
        tsrec_dataset_group_create_dataset(fx->group, "d", type, fx->schema, freq, &fx->ds),
        TSREC_OK);
}

static void fx_forecast(fixture *fx)
{
    fx_open(fx, TSREC_SERVICE_FORECAST, FORECAST_SCHEMA, "CUSTOM", "TARGET_TIME_SERIES", "H");
}

static void fx_interactions(fixture *fx)
{
    fx_open(fx, TSREC_SERVICE_PERSONALIZE, INTERACTIONS_SCHEMA, NULL, "Interactions", NULL);
}

static void fx_close(fixture *fx)
{
    tsrec_dataset_group_free(fx->group);
    tsrec_schema_free(fx->schema);
    tu_ctx_free_checked(fx->ctx);
}

static int import_file(tsrec_dataset *ds, const char *path, int32_t mode,
                       tsrec_import_report **rep)
{
    tsrec_import_options o;
    assert_int_equal(tsrec_import_options_init(&o), TSREC_OK);
    o.mode = mode;
    return tsrec_dataset_import_csv(ds, path, &o, rep);
}

static int64_t rows_of(const tsrec_dataset *ds)
{
    int64_t n = -1;
    assert_int_equal(tsrec_dataset_row_count(ds, &n), TSREC_OK);
    return n;
}

/* Hash of every value (strings through their dictionary), every
 * dictionary size and the row count. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

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

static size_t memory_of(const tsrec_dataset *ds)
{
    size_t m = 0;
    assert_int_equal(tsrec_dataset_memory(ds, &m), TSREC_OK);
    return m;
}

/* ---- bad inputs ------------------------------------------------------------ */

typedef struct bad_case {
    const char *name;
    int personalize;
    const char *content; /* NULL: built by the case's name */
    int status;
    const char *keyword; /* in the dataset's message and (if line > 0) the report */
    int64_t line, column; /* expected in report error 0; line -1 = no check */
    const char *time_zone;
} bad_case;

static const bad_case BAD[] = {
    {"quoting", 0, "2014-01-01 01:00:00,1,a\n2014-01-01 02:00:00,1,cl\"x\n", TSREC_E_PARSE,
     "quote", 2, 3, NULL},
    {"unterminated_quote", 0, "2014-01-01 01:00:00,1,\"abc\n", TSREC_E_PARSE, "CSV", -1, 0,
     NULL},
    {"column_count", 0, "2014-01-01 01:00:00,1.5,a\n2014-01-01 01:00:00,1.5\n", TSREC_E_SCHEMA,
     "expected 3", 2, 3, NULL},
    {"too_many_columns", 0, "2014-01-01 01:00:00,1.5,a,b\n", TSREC_E_SCHEMA, "expected 3", 1, 4,
     NULL},
    {"bad_timestamp", 0, "2014-13-01 00:00:00,1,a\n", TSREC_E_PARSE, "timestamp", 1, 1, NULL},
    {"timestamp_text", 0, "yesterday,1,a\n", TSREC_E_PARSE, "timestamp", 1, 1, NULL},
    {"timestamp_tz_out_of_range", 0, "9999-12-31 23:00:00,1,a\n", TSREC_E_PARSE, "years", 1, 1,
     "-05:00"},
    {"text_in_float", 0, "2014-01-01 01:00:00,abc,a\n", TSREC_E_PARSE, "not a number", 1, 2,
     NULL},
    {"nan_text", 0, "2014-01-01 01:00:00,NaN,a\n", TSREC_E_PARSE, "NaN", 1, 2, NULL},
    {"inf_text", 0, "2014-01-01 01:00:00,1,a\n2014-01-01 02:00:00,-inf,a\n", TSREC_E_PARSE,
     "not a number", 2, 2, NULL},
    {"float_overflow", 0, "2014-01-01 01:00:00,1e999,a\n", TSREC_E_PARSE, "out of range", 1, 2,
     NULL},
    {"empty_file", 0, "", TSREC_E_EMPTY, "no data", -1, 0, NULL},
    {"blank_lines_only", 0, "\n\n\n", TSREC_E_EMPTY, "no data", -1, 0, NULL},
    {"invalid_utf8", 0, "2014-01-01 01:00:00,1,a\n2014-01-01 01:00:00,1,cl\xff\n", TSREC_E_PARSE,
     "UTF-8", 2, 3, NULL},
    {"empty_item_id", 0, "2014-01-01 01:00:00,1,\n", TSREC_E_SCHEMA, "required", 1, 3, NULL},
    {"long_forecast_item_id", 0, NULL, TSREC_E_SCHEMA, "limit of 256", 1, 3, NULL},
    {"field_over_1mb", 0, NULL, TSREC_E_PARSE, "longer than", 1, 3, NULL},
    {"truncated_gzip", 0, NULL, TSREC_E_FORMAT, "truncated gzip", -1, 0, NULL},
    {"corrupt_gzip", 0, NULL, TSREC_E_FORMAT, "corrupt gzip", -1, 0, NULL},
    {"duplicate_header", 1, "USER_ID,ITEM_ID,TIMESTAMP,ITEM_ID\nu,i,1,j\n", TSREC_E_SCHEMA,
     "duplicate header", 1, 4, NULL},
    {"missing_required_field", 1, "USER_ID,ITEM_ID\nu,i\n", TSREC_E_SCHEMA,
     "'TIMESTAMP' is missing", 1, 0, NULL},
    {"unknown_header", 1, "USER_ID,ITEM_ID,TIMESTAMP,COLOR\nu,i,1,red\n", TSREC_E_SCHEMA,
     "not a field", 1, 4, NULL},
    {"epoch_out_of_range", 1, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu,i,1,a\nu,i,99999999999999,a\n",
     TSREC_E_PARSE, "out of range", 3, 3, NULL},
    {"epoch_not_integer", 1, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu,i,2020-01-01,a\n", TSREC_E_PARSE,
     "epoch", 2, 3, NULL},
    {"event_value_inf", 1, "ITEM_ID,USER_ID,TIMESTAMP,EVENT_VALUE,EVENT_TYPE\ni,u,5,inf,a\n", TSREC_E_PARSE,
     "not a number", 2, 4, NULL},
    {"long_user_id", 1, NULL, TSREC_E_SCHEMA, "limit of 256", 2, 1, NULL},
    {"personalize_column_count", 1, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu,i,1\n", TSREC_E_SCHEMA,
     "expected 4", 2, 4, NULL},
    {"header_only", 1, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n", TSREC_E_EMPTY, "no data", -1, 0, NULL},
    {"empty_user_id", 1, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n,i,5,a\n", TSREC_E_SCHEMA, "required", 2, 1,
     NULL},
};

/* Write the case's file; returns its path. */
static const char *make_bad_file(const bad_case *bc)
{
    const char *path = tmp_path(bc->name);
    if (bc->content != NULL) {
        write_bytes(path, bc->content, strlen(bc->content));
        return path;
    }
    if (strcmp(bc->name, "long_forecast_item_id") == 0) {
        char line[400];
        int k = snprintf(line, sizeof(line), "2014-01-01 01:00:00,1,");
        memset(line + k, 'x', 257);
        line[k + 257] = '\n';
        write_bytes(path, line, (size_t)k + 258);
    } else if (strcmp(bc->name, "long_user_id") == 0) {
        char line[600];
        int k = snprintf(line, sizeof(line), "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n");
        /* 257 two-byte characters: 514 bytes, 257 characters. */
        for (int i = 0; i < 257; i++) {
            line[k++] = (char)0xC3;
            line[k++] = (char)0xA9;
        }
        k += snprintf(line + k, sizeof(line) - (size_t)k, ",i,5,a\n");
        write_bytes(path, line, (size_t)k);
    } else if (strcmp(bc->name, "field_over_1mb") == 0) {
        size_t n = ((size_t)1 << 20) + 100;
        char *b = malloc(n + 64);
        assert_non_null(b);
        int k = snprintf(b, 64, "2014-01-01 01:00:00,1,");
        memset(b + k, 'y', n);
        b[(size_t)k + n] = '\n';
        write_bytes(path, b, (size_t)k + n + 1);
        free(b);
    } else if (strstr(bc->name, "gzip") != NULL) {
        /* A real gzip of many good rows, then damaged. */
        const char *plain = tmp_path("gz_plain.csv");
        FILE *f = fopen(plain, "wb");
        assert_non_null(f);
        for (int i = 0; i < 5000; i++)
            fprintf(f, "2014-01-%02d %02d:00:00,%d.5,item_%d\n", 1 + i % 28, i % 24, i, i % 97);
        fclose(f);
        const char *gz = tmp_path("gz_full.gz");
        gzip_file(plain, gz);
        size_t n;
        char *b = read_all(gz, &n);
        assert_non_null(b);
        if (strcmp(bc->name, "truncated_gzip") == 0) {
            write_bytes(path, b, n / 2);
        } else {
            for (size_t i = 20; i < 60 && i < n; i++)
                b[i] = (char)(b[i] ^ 0x5A);
            write_bytes(path, b, n);
        }
        free(b);
    } else {
        fail_msg("no content for case %s", bc->name);
    }
    return path;
}

static int contains(const char *s, const char *kw)
{
    return s != NULL && strstr(s, kw) != NULL;
}

static void run_bad_case(const bad_case *bc, int32_t mode)
{
    fixture fx;
    if (bc->personalize)
        fx_interactions(&fx);
    else
        fx_forecast(&fx);
    const char *good = tmp_path("good.csv");
    const char *gtext = bc->personalize ? GOOD_INTERACTIONS : GOOD_FORECAST;
    write_bytes(good, gtext, strlen(gtext));
    assert_int_equal(import_file(fx.ds, good, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 3);
    uint64_t fp = fingerprint(fx.ds);
    size_t mem = memory_of(fx.ds);

    const char *path = make_bad_file(bc);
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = mode;
    o.time_zone = bc->time_zone;
    tsrec_import_report *rep = NULL;
    int st = tsrec_dataset_import_csv(fx.ds, path, &o, &rep);
    if (st != bc->status || !contains(tsrec_errmsg(fx.ds), bc->keyword))
        fail_msg("case %s mode %d: status %d (want %d), message '%s' (want '%s')", bc->name,
                 (int)mode, st, bc->status, tsrec_errmsg(fx.ds), bc->keyword);
    assert_non_null(rep);
    int64_t imported = -1, rejected = -1, n_err = -1;
    assert_int_equal(tsrec_import_report_rows(rep, &imported, &rejected), TSREC_OK);
    assert_int_equal(imported, 0);
    assert_int_equal(tsrec_import_report_error_count(rep, &n_err), TSREC_OK);
    if (bc->line >= 0) {
        assert_true(n_err >= 1);
        const char *file, *msg;
        int64_t line, col;
        assert_int_equal(tsrec_import_report_error(rep, 0, &file, &line, &col, &msg), TSREC_OK);
        if (line != bc->line || col != bc->column || !contains(msg, bc->keyword) ||
            !contains(file, bc->name))
            fail_msg("case %s: report %s:%lld:%lld '%s', want line %lld column %lld '%s'",
                     bc->name, file, (long long)line, (long long)col, msg,
                     (long long)bc->line, (long long)bc->column, bc->keyword);
    }
    double secs = -1;
    assert_int_equal(tsrec_import_report_seconds(rep, &secs), TSREC_OK);
    assert_true(secs >= 0.0);
    tsrec_import_report_free(rep);

    /* Nothing stored before is lost, nothing new is kept. */
    assert_int_equal(rows_of(fx.ds), 3);
    assert_true(fingerprint(fx.ds) == fp);
    assert_int_equal(memory_of(fx.ds), mem);
    /* And the dataset still imports normally afterwards. */
    assert_int_equal(import_file(fx.ds, good, TSREC_IMPORT_INCREMENTAL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 6);
    fx_close(&fx);
}

static void test_bad_inputs_full(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++)
        run_bad_case(&BAD[i], TSREC_IMPORT_FULL);
}

static void test_bad_inputs_incremental(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++)
        run_bad_case(&BAD[i], TSREC_IMPORT_INCREMENTAL);
}

/* New ids interned by a failed import are gone from the group's shared
 * dictionary, and widened code columns are narrowed back. */
static void test_rollback_dictionary_and_width(void **state)
{
    (void)state;
    fixture fx;
    fx_forecast(&fx);
    const char *good = tmp_path("good.csv");
    write_bytes(good, GOOD_FORECAST, strlen(GOOD_FORECAST));
    assert_int_equal(import_file(fx.ds, good, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    int64_t item_f = 2;
    int64_t dict_before = tsrec__strdict_count(fx.ds->cols[item_f].dict);
    int32_t width_before = fx.ds->cols[item_f].width;
    uint64_t fp = fingerprint(fx.ds);
    /* 1000 new items (codes past 255), then one bad row at the end. */
    const char *path = tmp_path("many.csv");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 1000; i++)
        fprintf(f, "2014-02-01 00:00:00,%d,new_item_%d\n", i, i);
    fprintf(f, "2014-02-01 00:00:00,oops,new_item_x\n");
    fclose(f);
    for (int mode = TSREC_IMPORT_FULL; mode <= TSREC_IMPORT_INCREMENTAL; mode++) {
        tsrec_import_report *rep = NULL;
        assert_int_equal(import_file(fx.ds, path, mode, &rep), TSREC_E_PARSE);
        const char *file, *msg;
        int64_t line, col;
        assert_int_equal(tsrec_import_report_error(rep, 0, &file, &line, &col, &msg), TSREC_OK);
        assert_int_equal(line, 1001);
        assert_int_equal(col, 2);
        tsrec_import_report_free(rep);
        assert_int_equal(tsrec__strdict_count(fx.ds->cols[item_f].dict), dict_before);
        assert_int_equal(fx.ds->cols[item_f].width, width_before);
        assert_int_equal(tsrec__strdict_lookup(fx.ds->cols[item_f].dict, "new_item_5", 10), -1);
        assert_true(fingerprint(fx.ds) == fp);
    }
    fx_close(&fx);
}

/* max_errors caps what is reported and stops reading. */
static void test_max_errors(void **state)
{
    (void)state;
    fixture fx;
    fx_forecast(&fx);
    const char *path = tmp_path("errs.csv");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 40; i++)
        fprintf(f, "2014-02-01 00:00:00,%s,a\n", i % 2 ? "1" : "x");
    fclose(f);
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.max_errors = 5;
    tsrec_import_report *rep = NULL;
    assert_int_equal(tsrec_dataset_import_csv(fx.ds, path, &o, &rep), TSREC_E_PARSE);
    int64_t n_err, imported, rejected;
    assert_int_equal(tsrec_import_report_error_count(rep, &n_err), TSREC_OK);
    assert_int_equal(n_err, 5);
    assert_int_equal(tsrec_import_report_rows(rep, &imported, &rejected), TSREC_OK);
    assert_int_equal(rejected, 5);
    int64_t line;
    assert_int_equal(tsrec_import_report_error(rep, 4, NULL, &line, NULL, NULL), TSREC_OK);
    assert_int_equal(line, 9);
    assert_int_equal(tsrec_import_report_error(rep, 5, NULL, &line, NULL, NULL),
                     TSREC_E_OUT_OF_RANGE);
    tsrec_import_report_free(rep);
    /* Bad options. */
    o.max_errors = 0;
    assert_int_equal(tsrec_dataset_import_csv(fx.ds, path, &o, NULL), TSREC_E_INVALID_ARG);
    tsrec_import_options_init(&o);
    o.timestamp_format = "dd/MM/yyyy";
    assert_int_equal(tsrec_dataset_import_csv(fx.ds, path, &o, NULL), TSREC_E_INVALID_ARG);
    tsrec_import_options_init(&o);
    o.time_zone = "Europe/Paris";
    assert_int_equal(tsrec_dataset_import_csv(fx.ds, path, &o, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_dataset_import_csv(fx.ds, tmp_path("does_not_exist.csv"), NULL, NULL),
                     TSREC_E_IO);
    assert_int_equal(tsrec_dataset_import_csv(NULL, path, NULL, NULL), TSREC_E_MISUSE);
    assert_int_equal(rows_of(fx.ds), 0);
    fx_close(&fx);
}

static int cancel_now(void *user_data)
{
    int *calls = user_data;
    (*calls)++;
    return 1;
}

static void count_progress(void *user_data, const char *what, int64_t done, int64_t total)
{
    (void)total;
    int64_t *last = user_data;
    assert_string_equal(what, "import");
    *last = done;
}

/* The ctx cancel callback stops a long import (polled every 65536 rows):
 * TSREC_E_CANCELLED and the dataset keeps its rows. */
static void test_cancel_and_progress(void **state)
{
    (void)state;
    int calls = 0;
    int64_t last = 0;
    tsrec_ctx_options co;
    tsrec_ctx_options_init(&co);
    co.cancel = cancel_now;
    co.cancel_user_data = &calls;
    co.progress = count_progress;
    co.progress_user_data = &last;
    fixture fx;
    assert_int_equal(tsrec_ctx_new(&co, &fx.ctx), TSREC_OK);
    assert_int_equal(tsrec_schema_parse(fx.ctx, TSREC_SERVICE_FORECAST, FORECAST_SCHEMA,
                                        strlen(FORECAST_SCHEMA), &fx.schema),
                     TSREC_OK);
    assert_int_equal(
        tsrec_dataset_group_new(fx.ctx, "g", TSREC_SERVICE_FORECAST, "CUSTOM", &fx.group),
        TSREC_OK);
    assert_int_equal(tsrec_dataset_group_create_dataset(fx.group, "d", "TARGET_TIME_SERIES",
                                                        fx.schema, "H", &fx.ds),
                     TSREC_OK);
    const char *small = tmp_path("small.csv");
    write_bytes(small, GOOD_FORECAST, strlen(GOOD_FORECAST));
    assert_int_equal(import_file(fx.ds, small, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    assert_int_equal(calls, 0);
    uint64_t fp = fingerprint(fx.ds);
    const char *big = tmp_path("big.csv");
    FILE *f = fopen(big, "wb");
    assert_non_null(f);
    for (int i = 0; i < 70000; i++)
        fprintf(f, "2014-03-01 00:00:00,%d,it_%d\n", i, i % 1000);
    fclose(f);
    for (int mode = TSREC_IMPORT_FULL; mode <= TSREC_IMPORT_INCREMENTAL; mode++) {
        assert_int_equal(import_file(fx.ds, big, mode, NULL), TSREC_E_CANCELLED);
        assert_true(contains(tsrec_errmsg(fx.ds), "cancelled"));
        assert_true(fingerprint(fx.ds) == fp);
    }
    assert_int_equal(calls, 2);
    assert_int_equal(last, 65536);
    fx_close(&fx);
}

/* ---- good inputs ---------------------------------------------------------- */

static void test_values_formats_and_time_zone(void **state)
{
    (void)state;
    fixture fx;
    fx_forecast(&fx);
    const char *path = tmp_path("vals.csv");
    const char text[] = "\xEF\xBB\xBF"
                        "2014-01-01 01:00:00,1.5,\"client,1\"\r\n"
                        "2014-01-02,,client_2\n"
                        "\"2014-01-03 00:00:00\",-2e3,\"cl\"\"q\"\n";
    write_bytes(path, text, strlen(text));
    tsrec_import_report *rep = NULL;
    assert_int_equal(import_file(fx.ds, path, TSREC_IMPORT_FULL, &rep), TSREC_OK);
    int64_t imported, rejected;
    tsrec_import_report_rows(rep, &imported, &rejected);
    assert_int_equal(imported, 3);
    assert_int_equal(rejected, 0);
    tsrec_import_report_free(rep);
    const tsrec__column *ts = &fx.ds->cols[0], *val = &fx.ds->cols[1], *id = &fx.ds->cols[2];
    assert_int_equal(tsrec__column_get_i64(ts, 0), 1388538000); /* 2014-01-01T01:00:00Z */
    assert_int_equal(tsrec__column_get_i64(ts, 1), 1388620800);
    assert_true(tsrec__column_get_f64(val, 0) == 1.5);
    assert_int_equal(tsrec__column_is_present(val, 1), 0);
    assert_true(tsrec__column_get_f64(val, 2) == -2000.0);
    size_t len;
    const char *s = tsrec__strdict_get(id->dict, tsrec__column_get_code(id, 0), &len);
    assert_int_equal(len, 8);
    assert_memory_equal(s, "client,1", 8);
    s = tsrec__strdict_get(id->dict, tsrec__column_get_code(id, 2), &len);
    assert_memory_equal(s, "cl\"q", 4);

    /* A fixed offset converts local time to UTC. */
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.time_zone = "+01:00";
    assert_int_equal(tsrec_dataset_import_csv(fx.ds, path, &o, NULL), TSREC_OK);
    assert_int_equal(tsrec__column_get_i64(&fx.ds->cols[0], 0), 1388538000 - 3600);
    /* yyyy-MM-dd only refuses a time of day. */
    tsrec_import_options_init(&o);
    o.timestamp_format = "yyyy-MM-dd";
    assert_int_equal(tsrec_dataset_import_csv(fx.ds, path, &o, NULL), TSREC_E_PARSE);
    assert_int_equal(rows_of(fx.ds), 3);
    fx_close(&fx);
}

static void test_rows_api(void **state)
{
    (void)state;
    fixture fx;
    fx_interactions(&fx);
    const char *cells[] = {"u1", "i1", "100", "click", NULL,  /* missing value */
                           "u2", "i1", "200", "buy",   "3.5", /* */
                           "u1", "i2", "300", "click", ""};
    tsrec_import_report *rep = NULL;
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, cells, 3, 5, NULL, &rep), TSREC_OK);
    int64_t imported;
    tsrec_import_report_rows(rep, &imported, NULL);
    assert_int_equal(imported, 3);
    tsrec_import_report_free(rep);
    /* Without options rows are appended. */
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, cells, 2, 5, NULL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 5);
    const tsrec__column *ev = &fx.ds->cols[4];
    assert_int_equal(tsrec__column_is_present(ev, 0), 0);
    assert_true(tsrec__column_get_f64(ev, 1) == 3.5);
    assert_int_equal(tsrec__column_is_present(ev, 2), 0);
    assert_int_equal(tsrec__column_get_code(&fx.ds->cols[1], 3), 0); /* i1 again */
    uint64_t fp = fingerprint(fx.ds);
    /* Bad cells: same errors as CSV, atomic. */
    const char *bad_utf8[] = {"u3", "i9", "1", "x", NULL, "u\xC3", "i1", "2", "x", NULL};
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, bad_utf8, 2, 5, NULL, &rep),
                     TSREC_E_PARSE);
    const char *msg;
    int64_t line, col;
    assert_int_equal(tsrec_import_report_error(rep, 0, NULL, &line, &col, &msg), TSREC_OK);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    assert_true(contains(msg, "UTF-8"));
    tsrec_import_report_free(rep);
    const char *bad_ts[] = {"u3", "i9", "abc", "x", NULL};
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, bad_ts, 1, 5, NULL, NULL), TSREC_E_PARSE);
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, cells, 1, 4, NULL, NULL), TSREC_E_SHAPE);
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, cells, 0, 5, NULL, NULL), TSREC_E_EMPTY);
    assert_true(fingerprint(fx.ds) == fp);
    /* FULL through options replaces. */
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, cells, 1, 5, &o, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 1);
    fx_close(&fx);
}

/* Items: categorical values up to 1000 characters (pipes included), Avro
 * int is 32-bit, booleans are lower-case true/false. */
static void test_items_limits_int_bool(void **state)
{
    (void)state;
    const char *items_schema =
        "{\"type\":\"record\",\"name\":\"Items\","
        "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
        "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
        "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
        "{\"name\":\"YEAR\",\"type\":[\"null\",\"int\"]},"
        "{\"name\":\"ADULT\",\"type\":[\"null\",\"boolean\"]}],\"version\":\"1.0\"}";
    fixture fx;
    fx_open(&fx, TSREC_SERVICE_PERSONALIZE, items_schema, NULL, "Items", NULL);
    char g1000[1001], g1001[1002];
    for (int i = 0; i < 1000; i++)
        g1000[i] = i % 10 == 9 ? '|' : (char)('a' + i % 26);
    g1000[1000] = '\0';
    memcpy(g1001, g1000, 1000);
    g1001[1000] = 'z';
    g1001[1001] = '\0';
    const char *good[] = {"i1", "comedy|horror", "1999", "true", /* */
                          "i2", NULL,            NULL,   NULL,   /* */
                          "i3", g1000,           "-2147483648", "false"};
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, good, 3, 4, NULL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 3);
    assert_int_equal(tsrec__column_get_i64(&fx.ds->cols[2], 0), 1999);
    assert_int_equal(tsrec__column_get_i64(&fx.ds->cols[2], 2), INT32_MIN);
    assert_int_equal(tsrec__column_is_present(&fx.ds->cols[2], 1), 0);
    assert_int_equal(tsrec__column_get_i64(&fx.ds->cols[3], 0), 1);
    assert_int_equal(tsrec__column_get_i64(&fx.ds->cols[3], 2), 0);
    size_t len;
    const char *s = tsrec__strdict_get(fx.ds->cols[1].dict,
                                       tsrec__column_get_code(&fx.ds->cols[1], 0), &len);
    assert_int_equal(len, 13);
    assert_memory_equal(s, "comedy|horror", 13); /* raw string kept */
    uint64_t fp = fingerprint(fx.ds);
    struct {
        const char *cells[4];
        int status;
        const char *kw;
        int64_t col;
    } bad[] = {
        {{"i4", g1001, NULL, NULL}, TSREC_E_SCHEMA, "limit of 1000", 2},
        {{"i4", NULL, "2147483648", NULL}, TSREC_E_PARSE, "out of range for an int", 3},
        {{"i4", NULL, "12.5", NULL}, TSREC_E_PARSE, "not an integer", 3},
        {{"i4", NULL, NULL, "TRUE"}, TSREC_E_PARSE, "boolean", 4},
        {{"", NULL, NULL, NULL}, TSREC_E_SCHEMA, "required", 1},
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        for (int mode = TSREC_IMPORT_FULL; mode <= TSREC_IMPORT_INCREMENTAL; mode++) {
            tsrec_import_options o;
            tsrec_import_options_init(&o);
            o.mode = mode;
            tsrec_import_report *rep = NULL;
            assert_int_equal(tsrec_dataset_import_rows(fx.ds, bad[k].cells, 1, 4, &o, &rep),
                             bad[k].status);
            const char *file, *msg;
            int64_t line, col;
            assert_int_equal(tsrec_import_report_error(rep, 0, &file, &line, &col, &msg),
                             TSREC_OK);
            assert_null(file);
            assert_int_equal(line, 1);
            assert_int_equal(col, bad[k].col);
            if (!contains(msg, bad[k].kw) || !contains(tsrec_errmsg(fx.ds), bad[k].kw))
                fail_msg("items case %zu: '%s' lacks '%s'", k, msg, bad[k].kw);
            tsrec_import_report_free(rep);
            assert_true(fingerprint(fx.ds) == fp);
        }
    }
    fx_close(&fx);
}

/* ---- the AWS sample files ------------------------------------------------- */

static void test_forecast_samples(void **state)
{
    (void)state;
    const char *shared = shared_dir();
    if (shared == NULL) {
        printf("# skipped: TSREC_SHARED_DATA not found\n");
        return;
    }
    char p[600];
    fixture fx;
    fx_forecast(&fx);
    /* Electricity: timestamp,target_value,item_id, hourly, 3 items. */
    snprintf(p, sizeof(p), "%s/amazon-forecast-samples/electricity/item-demand-time.csv", shared);
    tsrec_import_report *rep = NULL;
    assert_int_equal(import_file(fx.ds, p, TSREC_IMPORT_FULL, &rep), TSREC_OK);
    int64_t imported;
    tsrec_import_report_rows(rep, &imported, NULL);
    assert_int_equal(imported, 23973);
    tsrec_import_report_free(rep);
    assert_int_equal(rows_of(fx.ds), 23973);
    assert_int_equal(tsrec__strdict_count(fx.ds->cols[2].dict), 3);
    /* First row: 2014-01-01 01:00:00,38.34991708126038,client_12 */
    assert_int_equal(tsrec__column_get_i64(&fx.ds->cols[0], 0), 1388538000);
    assert_true(tsrec__column_get_f64(&fx.ds->cols[1], 0) == 38.34991708126038);
    size_t len;
    const char *s =
        tsrec__strdict_get(fx.ds->cols[2].dict, tsrec__column_get_code(&fx.ds->cols[2], 0), &len);
    assert_memory_equal(s, "client_12", len);
    /* INCREMENTAL appends, FULL replaces. */
    snprintf(p, sizeof(p), "%s/amazon-forecast-samples/electricity/elec_data_small_first.csv",
             shared);
    assert_int_equal(import_file(fx.ds, p, TSREC_IMPORT_INCREMENTAL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 23973 + 960);
    snprintf(p, sizeof(p), "%s/amazon-forecast-samples/electricity/elec_data_small_new.csv",
             shared);
    assert_int_equal(import_file(fx.ds, p, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 984);
    fx_close(&fx);

    /* Consumer electronics: header line (skipped: it names the schema's
     * fields), a store dimension, monthly dates without time. */
    const char *ce_schema =
        "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
        "{\"AttributeName\":\"store_id\",\"AttributeType\":\"string\"},"
        "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
        "{\"AttributeName\":\"demand\",\"AttributeType\":\"float\"}]}";
    fx_open(&fx, TSREC_SERVICE_FORECAST, ce_schema, "RETAIL", "TARGET_TIME_SERIES", "M");
    snprintf(p, sizeof(p), "%s/amazon-forecast-samples/whatif/consumer_electronics_TTS.csv",
             shared);
    assert_int_equal(import_file(fx.ds, p, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 36000);
    assert_int_equal(tsrec__strdict_count(fx.ds->cols[0].dict), 300);
    assert_int_equal(tsrec__strdict_count(fx.ds->cols[1].dict), 5);
    fx_close(&fx);
}

static void test_personalize_samples_gzip_folder(void **state)
{
    (void)state;
    const char *shared = shared_dir();
    if (shared == NULL) {
        printf("# skipped: TSREC_SHARED_DATA not found\n");
        return;
    }
    char p[600];
    snprintf(p, sizeof(p), "%s/amazon-personalize-samples/movielens-events/interactions.csv",
             shared);
    fixture fx;
    fx_interactions(&fx);
    assert_int_equal(import_file(fx.ds, p, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    const int64_t n = 158371;
    assert_int_equal(rows_of(fx.ds), n);
    assert_int_equal(tsrec__strdict_count(fx.ds->cols[0].dict), 610);
    assert_int_equal(tsrec__strdict_count(fx.ds->cols[1].dict), 9477);
    assert_int_equal(tsrec__strdict_count(fx.ds->cols[3].dict), 2);
    size_t mem = memory_of(fx.ds);
    double per_row = (double)mem / (double)n;
    printf("# movielens interactions: %.2f bytes per row held\n", per_row);
    assert_true(per_row <= 24.0);
    uint64_t fp = fingerprint(fx.ds);

    /* The same file gzipped (made here) gives the same contents. */
    const char *gz = tmp_path("interactions.csv.gz");
    gzip_file(p, gz);
    assert_int_equal(import_file(fx.ds, gz, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    assert_true(fingerprint(fx.ds) == fp);

    /* A folder of two files (each with its header), read in name order. */
    size_t len;
    char *all = read_all(p, &len);
    assert_non_null(all);
    char *hdr_end = memchr(all, '\n', len);
    size_t hdr = (size_t)(hdr_end - all) + 1;
    char *mid = memchr(all + len / 2, '\n', len - len / 2);
    size_t cut = (size_t)(mid - all) + 1;
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/folder", g_tmp);
    assert_int_equal(mkdir(dir, 0700), 0);
    char f1[600], f2[600];
    snprintf(f1, sizeof(f1), "%s/part-1.csv", dir);
    snprintf(f2, sizeof(f2), "%s/part-2.csv", dir);
    write_bytes(f1, all, cut);
    FILE *f = fopen(f2, "wb");
    assert_non_null(f);
    fwrite(all, 1, hdr, f);
    fwrite(all + cut, 1, len - cut, f);
    fclose(f);
    free(all);
    assert_int_equal(import_file(fx.ds, dir, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    assert_true(fingerprint(fx.ds) == fp);
    /* INCREMENTAL of the folder doubles the rows. */
    assert_int_equal(import_file(fx.ds, dir, TSREC_IMPORT_INCREMENTAL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 2 * n);
    fx_close(&fx);

    /* Travel sample: header in another order, contextual CABIN_TYPE, an
     * EVENT_VALUE column. */
    const char *travel_schema =
        "{\"type\":\"record\",\"name\":\"Interactions\","
        "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
        "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
        "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},"
        "{\"name\":\"CABIN_TYPE\",\"type\":\"string\",\"categorical\":true},"
        "{\"name\":\"EVENT_VALUE\",\"type\":\"float\"},"
        "{\"name\":\"EVENT_TYPE\",\"type\":\"string\"}],\"version\":\"1.0\"}";
    fx_open(&fx, TSREC_SERVICE_PERSONALIZE, travel_schema, NULL, "Interactions", NULL);
    snprintf(p, sizeof(p), "%s/amazon-personalize-samples/travel-marketing/df_interactions.csv",
             shared);
    assert_int_equal(import_file(fx.ds, p, TSREC_IMPORT_FULL, NULL), TSREC_OK);
    assert_int_equal(rows_of(fx.ds), 34853);
    fx_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_inputs_full),
        cmocka_unit_test(test_bad_inputs_incremental),
        cmocka_unit_test(test_rollback_dictionary_and_width),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_cancel_and_progress),
        cmocka_unit_test(test_values_formats_and_time_zone),
        cmocka_unit_test(test_rows_api),
        cmocka_unit_test(test_items_limits_int_bool),
        cmocka_unit_test(test_forecast_samples),
        cmocka_unit_test(test_personalize_samples_gzip_folder),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
