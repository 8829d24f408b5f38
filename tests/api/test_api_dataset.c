/* Public API contract of schemas, dataset groups and datasets: misuse
 * (NULL, freed and wrong-type handles, NULL outputs), names, services,
 * domains, dataset types, and every schema rule of Amazon Forecast and
 * Amazon Personalize (aws-surface.md A2, B2), each refusal checked for its
 * status and a keyword of its message. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "data_internal.h"
#include "domains_internal.h"
#include "time_internal.h"
#include "tsrec/dataset.h"

#define F TSREC_SERVICE_FORECAST
#define P TSREC_SERVICE_PERSONALIZE

/* ---- an allocator that keeps freed blocks until the test ends, so freed
 * handles can be passed back (even under ASan) ---------------------------- */

typedef struct {
    void **blocks;
    size_t n, cap;
} keep_alloc;

static void *keep_alloc_fn(void *ud, size_t size, size_t align)
{
    keep_alloc *k = ud;
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 256;
        void **b = realloc(k->blocks, cap * sizeof *b);
        if (b == NULL)
            return NULL;
        k->blocks = b;
        k->cap = cap;
    }
    void *p = NULL;
    if (posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align, size ? size : 1))
        return NULL;
    k->blocks[k->n++] = p;
    return p;
}
static void *keep_realloc_fn(void *ud, void *ptr, size_t old, size_t size, size_t align)
{
    void *p = keep_alloc_fn(ud, size, align);
    if (p != NULL && ptr != NULL)
        memcpy(p, ptr, old < size ? old : size);
    return p;
}
static void keep_free_fn(void *ud, void *ptr, size_t size)
{
    (void)ud;
    (void)ptr;
    (void)size;
}
static tsrec_ctx *keep_ctx_new(keep_alloc *k)
{
    memset(k, 0, sizeof *k);
    tsrec_ctx_options o;
    assert_int_equal(tsrec_ctx_options_init(&o), TSREC_OK);
    o.allocator.alloc = keep_alloc_fn;
    o.allocator.realloc = keep_realloc_fn;
    o.allocator.free = keep_free_fn;
    o.allocator.user_data = k;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    return ctx;
}
static void keep_release(keep_alloc *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->blocks[i]);
    free(k->blocks);
    memset(k, 0, sizeof *k);
}

/* ---- helpers ---------------------------------------------------------- */

static void assert_has(const char *msg, const char *kw)
{
    if (strstr(msg, kw) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", msg, kw);
}

static tsrec_schema *parse_ok(tsrec_ctx *ctx, int32_t service, const char *json)
{
    tsrec_schema *s = NULL;
    int rc = tsrec_schema_parse(ctx, service, json, strlen(json), &s);
    if (rc != TSREC_OK)
        fail_msg("schema refused (%s): %s\n%s", tsrec_status_str(rc), tsrec_errmsg(ctx), json);
    assert_non_null(s);
    return s;
}

static void expect_parse_fail(tsrec_ctx *ctx, int32_t service, const char *json, int status,
                              const char *kw)
{
    tsrec_schema *s = (tsrec_schema *)(uintptr_t)1;
    int rc = tsrec_schema_parse(ctx, service, json, strlen(json), &s);
    if (rc != status)
        fail_msg("expected %s, got %s (%s) for\n%s", tsrec_status_str(status),
                 tsrec_status_str(rc), tsrec_errmsg(ctx), json);
    assert_null(s);
    assert_has(tsrec_errmsg(ctx), kw);
    assert_int_equal(tsrec_errcode(ctx), status);
}

/* Create a dataset of `type` with `json` in a fresh group of (service,
 * domain); check the status and a keyword of the message. */
static void expect_dataset(tsrec_ctx *ctx, int32_t service, const char *domain, const char *type,
                           const char *json, const char *freq, int status, const char *kw)
{
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", service, domain, &g), TSREC_OK);
    tsrec_schema *s = parse_ok(ctx, service, json);
    tsrec_dataset *ds = NULL;
    int rc = tsrec_dataset_group_create_dataset(g, "ds", type, s, freq, &ds);
    if (rc != status)
        fail_msg("%s %s: expected %s, got %s (%s) for\n%s", domain ? domain : "custom", type,
                 tsrec_status_str(status), tsrec_status_str(rc), tsrec_errmsg(g), json);
    if (status == TSREC_OK) {
        assert_non_null(ds);
        assert_string_equal(tsrec_errmsg(g), "");
    } else {
        assert_null(ds);
        if (kw != NULL)
            assert_has(tsrec_errmsg(g), kw);
        tsrec_dataset *none = NULL;
        assert_int_equal(tsrec_dataset_group_dataset(g, type, &none), TSREC_E_UNKNOWN_NAME);
    }
    tsrec_schema_free(s);
    tsrec_dataset_group_free(g);
}

/* A Forecast schema from "name:type" pairs separated by spaces. */
static char *forecast_json(char *buf, size_t cap, const char *spec)
{
    size_t n = (size_t)snprintf(buf, cap, "{\"Attributes\":[");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", spec);
    int first = 1;
    for (char *tok = strtok(tmp, " "); tok != NULL; tok = strtok(NULL, " ")) {
        char *colon = strchr(tok, ':');
        assert_non_null(colon);
        *colon = 0;
        n += (size_t)snprintf(buf + n, cap - n, "%s{\"AttributeName\":\"%s\",\"AttributeType\":\"%s\"}",
                              first ? "" : ",", tok, colon + 1);
        first = 0;
        assert_true(n < cap);
    }
    snprintf(buf + n, cap - n, "]}");
    return buf;
}

/* An Avro record from field specs separated by spaces: NAME:type,
 * NAME:?type (nullable), suffix +c categorical, +t textual. */
static char *avro_json(char *buf, size_t cap, const char *spec)
{
    size_t n = (size_t)snprintf(buf, cap,
                                "{\"type\":\"record\",\"name\":\"R\",\"namespace\":"
                                "\"com.amazonaws.personalize.schema\",\"fields\":[");
    char tmp[8192];
    snprintf(tmp, sizeof tmp, "%s", spec);
    int first = 1;
    for (char *tok = strtok(tmp, " "); tok != NULL; tok = strtok(NULL, " ")) {
        char *colon = strchr(tok, ':');
        assert_non_null(colon);
        *colon = 0;
        char *type = colon + 1;
        const char *extra = "";
        char *plus = strchr(type, '+');
        if (plus != NULL) {
            extra = plus[1] == 'c' ? ",\"categorical\":true" : ",\"textual\":true";
            *plus = 0;
        }
        if (type[0] == '?')
            n += (size_t)snprintf(buf + n, cap - n, "%s{\"name\":\"%s\",\"type\":[\"null\",\"%s\"]%s}",
                                  first ? "" : ",", tok, type + 1, extra);
        else
            n += (size_t)snprintf(buf + n, cap - n, "%s{\"name\":\"%s\",\"type\":\"%s\"%s}",
                                  first ? "" : ",", tok, type, extra);
        first = 0;
        assert_true(n < cap);
    }
    snprintf(buf + n, cap - n, "],\"version\":\"1.0\"}");
    return buf;
}

static const char retail_tts[] =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"demand\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"}]}";

static const char interactions_b21[] =
    "{\"type\":\"record\",\"name\":\"Interactions\",\"namespace\":"
    "\"com.amazonaws.personalize.schema\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},"
    "{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}],"
    "\"version\":\"1.0\"}";

/* ---- schema parsing ------------------------------------------------------ */

static void test_schema_parse_misuse(void **state)
{
    (void)state;
    keep_alloc k;
    tsrec_ctx *ctx = keep_ctx_new(&k);
    tsrec_schema *s = NULL;
    size_t len = strlen(retail_tts);
    assert_int_equal(tsrec_schema_parse(NULL, F, retail_tts, len, &s), TSREC_E_MISUSE);
    assert_null(s);
    assert_has(tsrec_last_error(), "tsrec_schema_parse");
    assert_int_equal(tsrec_schema_parse(ctx, F, retail_tts, len, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_schema_parse(ctx, F, NULL, len, &s), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_schema_parse(ctx, F, retail_tts, 0, &s), TSREC_E_EMPTY);
    assert_int_equal(tsrec_schema_parse(ctx, 0, retail_tts, len, &s), TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(ctx), "service");
    assert_int_equal(tsrec_schema_parse(ctx, 3, retail_tts, len, &s), TSREC_E_INVALID_ARG);
    /* a wrong-type handle in place of the ctx */
    tsrec_schema *good = parse_ok(ctx, F, retail_tts);
    assert_int_equal(tsrec_schema_parse((tsrec_ctx *)good, F, retail_tts, len, &s),
                     TSREC_E_MISUSE);
    assert_has(tsrec_last_error(), "tsrec_ctx");
    /* accessors */
    int64_t n = -1;
    assert_int_equal(tsrec_schema_field_count(NULL, &n), TSREC_E_MISUSE);
    assert_int_equal(tsrec_schema_field_count(good, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_schema_field_count((const tsrec_schema *)ctx, &n), TSREC_E_MISUSE);
    assert_int_equal(tsrec_schema_field_count(good, &n), TSREC_OK);
    assert_int_equal(n, 4);
    const char *name = NULL;
    int32_t type = 0;
    uint32_t flags = 99;
    assert_int_equal(tsrec_schema_field(NULL, 0, &name, &type, &flags), TSREC_E_MISUSE);
    assert_int_equal(tsrec_schema_field(good, 0, NULL, NULL, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_schema_field(good, -1, &name, &type, &flags), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec_schema_field(good, 4, &name, &type, &flags), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec_schema_field(good, 3, &name, NULL, NULL), TSREC_OK);
    assert_string_equal(name, "location");
    assert_int_equal(tsrec_schema_field(good, 2, NULL, &type, &flags), TSREC_OK);
    assert_int_equal(type, TSREC_FIELD_FLOAT);
    assert_int_equal(flags, 0);
    /* freed schema: recognised, and a second free is a no-op */
    tsrec_schema_free(good);
    assert_int_equal(tsrec_schema_field_count(good, &n), TSREC_E_MISUSE);
    assert_int_equal(tsrec_schema_field(good, 0, &name, &type, &flags), TSREC_E_MISUSE);
    tsrec_schema_free(good);
    tsrec_schema_free(NULL);
    tsrec_schema_free((tsrec_schema *)ctx); /* wrong type: ignored */
    /* freed ctx */
    tsrec_ctx_free(ctx);
    assert_int_equal(tsrec_schema_parse(ctx, F, retail_tts, len, &s), TSREC_E_MISUSE);
    keep_release(&k);
}

static void test_schema_forecast_valid(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    /* the text need not be NUL-terminated: parse a prefix of a longer buffer */
    char buf[1024];
    snprintf(buf, sizeof buf, "%sGARBAGE", retail_tts);
    tsrec_schema *s = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, F, buf, strlen(retail_tts), &s), TSREC_OK);
    assert_string_equal(tsrec_errmsg(ctx), "");
    const char *names[] = {"item_id", "timestamp", "demand", "location"};
    const int32_t types[] = {TSREC_FIELD_STRING, TSREC_FIELD_TIMESTAMP, TSREC_FIELD_FLOAT,
                             TSREC_FIELD_STRING};
    for (int64_t i = 0; i < 4; i++) {
        const char *name;
        int32_t type;
        uint32_t flags;
        assert_int_equal(tsrec_schema_field(s, i, &name, &type, &flags), TSREC_OK);
        assert_string_equal(name, names[i]);
        assert_int_equal(type, types[i]);
        assert_int_equal(flags, 0u);
    }
    tsrec_schema_free(s);
    /* every type, whitespace, 63-character name, exactly 100 attributes */
    s = parse_ok(ctx, F,
                 " { \"Attributes\" : [ {\"AttributeType\":\"geolocation\",\"AttributeName\":\"g\"},"
                 "{\"AttributeName\":\"i\",\"AttributeType\":\"integer\"},"
                 "{\"AttributeName\":\"A23456789012345678901234567890123456789012345678901234567890123\","
                 "\"AttributeType\":\"string\"}]}\n");
    int32_t type;
    assert_int_equal(tsrec_schema_field(s, 0, NULL, &type, NULL), TSREC_OK);
    assert_int_equal(type, TSREC_FIELD_GEOLOCATION);
    assert_int_equal(tsrec_schema_field(s, 1, NULL, &type, NULL), TSREC_OK);
    assert_int_equal(type, TSREC_FIELD_INTEGER);
    tsrec_schema_free(s);
    static char big[16384];
    char spec[4096] = "";
    for (int i = 0; i < 100; i++)
        snprintf(spec + strlen(spec), sizeof spec - strlen(spec), "f%d:float ", i);
    s = parse_ok(ctx, F, forecast_json(big, sizeof big, spec));
    int64_t n;
    assert_int_equal(tsrec_schema_field_count(s, &n), TSREC_OK);
    assert_int_equal(n, 100);
    tsrec_schema_free(s);
    strcat(spec, "f100:float");
    expect_parse_fail(ctx, F, forecast_json(big, sizeof big, spec), TSREC_E_SCHEMA, "1 to 100");
    tu_ctx_free_checked(ctx);
}

static void test_schema_forecast_rules(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    static const struct {
        const char *json;
        int status;
        const char *kw;
    } cases[] = {
        {"[]", TSREC_E_SCHEMA, "expected an object"},
        {"{}", TSREC_E_SCHEMA, "\"Attributes\" is missing"},
        {"{\"Attributes\":{}}", TSREC_E_SCHEMA, "must be an array"},
        {"{\"Attributes\":[]}", TSREC_E_SCHEMA, "1 to 100"},
        {"{\"Attributes\":[{\"AttributeName\":\"a\",\"AttributeType\":\"string\"}],\"Extra\":1}",
         TSREC_E_SCHEMA, "unknown key \"Extra\""},
        {"{\"Attributes\":[\"a\"]}", TSREC_E_SCHEMA, "must be an object"},
        {"{\"Attributes\":[{\"AttributeName\":\"a\",\"AttributeType\":\"string\",\"Format\":\"x\"}]}",
         TSREC_E_SCHEMA, "unknown key \"Format\""},
        {"{\"Attributes\":[{\"AttributeType\":\"string\"}]}", TSREC_E_SCHEMA, "no AttributeName"},
        {"{\"Attributes\":[{\"AttributeName\":\"a\"}]}", TSREC_E_SCHEMA, "no AttributeType"},
        {"{\"Attributes\":[{\"AttributeName\":7,\"AttributeType\":\"string\"}]}", TSREC_E_BAD_TYPE,
         "AttributeName"},
        {"{\"Attributes\":[{\"AttributeName\":\"a\",\"AttributeType\":\"double\"}]}", TSREC_E_SCHEMA,
         "\"a\" has unknown AttributeType \"double\""},
        {"{\"Attributes\":[{\"AttributeName\":\"a\",\"AttributeType\":\"String\"}]}", TSREC_E_SCHEMA,
         "string, integer, float, timestamp, geolocation"},
        {"{\"Attributes\":[{\"AttributeName\":\"\",\"AttributeType\":\"string\"}]}", TSREC_E_SCHEMA,
         "^[a-zA-Z][a-zA-Z0-9_]*$"},
        {"{\"Attributes\":[{\"AttributeName\":\"1abc\",\"AttributeType\":\"string\"}]}",
         TSREC_E_SCHEMA, "\"1abc\" is invalid"},
        {"{\"Attributes\":[{\"AttributeName\":\"a-b\",\"AttributeType\":\"string\"}]}",
         TSREC_E_SCHEMA, "\"a-b\" is invalid"},
        {"{\"Attributes\":[{\"AttributeName\":\"_ab\",\"AttributeType\":\"string\"}]}",
         TSREC_E_SCHEMA, "\"_ab\" is invalid"},
        {"{\"Attributes\":[{\"AttributeName\":\"A234567890123456789012345678901234567890123456789"
         "012345678901234\",\"AttributeType\":\"string\"}]}",
         TSREC_E_SCHEMA, "1 to 63"},
        {"{\"Attributes\":[{\"AttributeName\":\"a\",\"AttributeType\":\"string\"},"
         "{\"AttributeName\":\"a\",\"AttributeType\":\"float\"}]}",
         TSREC_E_DUPLICATE, "\"a\" appears twice"},
        {"{\"Attributes\":[{\"AttributeName\":\"Price\",\"AttributeType\":\"float\"},"
         "{\"AttributeName\":\"price\",\"AttributeType\":\"float\"}]}",
         TSREC_E_DUPLICATE, "ignoring case"},
        {"{\"Attributes\":[{\"AttributeName\":\"a\",\"AttributeType\":\"string\"},]}",
         TSREC_E_PARSE, "line 1"},
        {"{\"Attributes\":[{\"AttributeName\":\"a\",\"AttributeName\":\"b\",\"AttributeType\":\"string\"}]}",
         TSREC_E_DUPLICATE, "AttributeName"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_parse_fail(ctx, F, cases[i].json, cases[i].status, cases[i].kw);
    /* Personalize text is not a Forecast schema, and the reverse */
    expect_parse_fail(ctx, F, interactions_b21, TSREC_E_SCHEMA, "unknown key");
    expect_parse_fail(ctx, P, retail_tts, TSREC_E_SCHEMA, "unknown key \"Attributes\"");
    tu_ctx_free_checked(ctx);
}

static void test_schema_avro_valid(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_schema *s = parse_ok(ctx, P, interactions_b21);
    int64_t n;
    assert_int_equal(tsrec_schema_field_count(s, &n), TSREC_OK);
    assert_int_equal(n, 3);
    const char *name;
    int32_t type;
    uint32_t flags;
    assert_int_equal(tsrec_schema_field(s, 2, &name, &type, &flags), TSREC_OK);
    assert_string_equal(name, "TIMESTAMP");
    assert_int_equal(type, TSREC_FIELD_LONG);
    assert_int_equal(flags, 0u);
    tsrec_schema_free(s);
    s = parse_ok(ctx, P,
                 "{\"type\":\"record\",\"name\":\"Items\",\"doc\":\"items\",\"fields\":["
                 "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                 "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
                 "{\"name\":\"DESCRIPTION\",\"type\":[\"string\",\"null\"],\"textual\":true},"
                 "{\"name\":\"PRICE\",\"type\":\"double\",\"doc\":\"USD\"},"
                 "{\"name\":\"RATING\",\"type\":\"float\",\"default\":0},"
                 "{\"name\":\"N\",\"type\":{\"type\":\"int\"}},"
                 "{\"name\":\"ADULT\",\"type\":\"boolean\",\"categorical\":false},"
                 "{\"name\":\"_X1\",\"type\":\"long\"}]}");
    static const struct {
        int32_t type;
        uint32_t flags;
    } want[] = {
        {TSREC_FIELD_STRING, 0},
        {TSREC_FIELD_STRING, TSREC_FIELD_NULLABLE | TSREC_FIELD_CATEGORICAL},
        {TSREC_FIELD_STRING, TSREC_FIELD_NULLABLE | TSREC_FIELD_TEXTUAL},
        {TSREC_FIELD_DOUBLE, 0},
        {TSREC_FIELD_FLOAT, 0},
        {TSREC_FIELD_INTEGER, 0},
        {TSREC_FIELD_BOOLEAN, 0},
        {TSREC_FIELD_LONG, 0},
    };
    assert_int_equal(tsrec_schema_field_count(s, &n), TSREC_OK);
    assert_int_equal(n, 8);
    for (int64_t i = 0; i < n; i++) {
        assert_int_equal(tsrec_schema_field(s, i, NULL, &type, &flags), TSREC_OK);
        assert_int_equal(type, want[i].type);
        assert_int_equal(flags, want[i].flags);
    }
    tsrec_schema_free(s);
    tu_ctx_free_checked(ctx);
}

static void test_schema_avro_rules(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
#define REC(fields) "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" fields "]}"
    static const struct {
        const char *json;
        int status;
        const char *kw;
    } cases[] = {
        {"[1]", TSREC_E_SCHEMA, "Avro record"},
        {"{\"type\":\"enum\",\"name\":\"R\",\"fields\":[]}", TSREC_E_SCHEMA, "must be \"record\""},
        {"{\"type\":\"record\",\"fields\":[{\"name\":\"A\",\"type\":\"string\"}]}", TSREC_E_SCHEMA,
         "needs a \"name\""},
        {"{\"type\":\"record\",\"name\":\"R\"}", TSREC_E_SCHEMA, "\"fields\" is missing"},
        {"{\"type\":\"record\",\"name\":\"R\",\"fields\":{}}", TSREC_E_SCHEMA, "must be an array"},
        {REC(""), TSREC_E_SCHEMA, "1 to 1000"},
        {"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"A\",\"type\":\"string\"}],"
         "\"aliases\":[]}", TSREC_E_SCHEMA, "unknown key \"aliases\""},
        {"{\"type\":\"record\",\"name\":\"R\",\"version\":1,\"fields\":[{\"name\":\"A\","
         "\"type\":\"string\"}]}", TSREC_E_SCHEMA, "\"version\" must be a string"},
        {REC("\"A\""), TSREC_E_SCHEMA, "must be an object"},
        {REC("{\"name\":\"A\",\"type\":\"string\",\"order\":\"x\"}"), TSREC_E_SCHEMA,
         "unknown key \"order\""},
        {REC("{\"type\":\"string\"}"), TSREC_E_SCHEMA, "has no \"name\""},
        {REC("{\"name\":\"A\"}"), TSREC_E_SCHEMA, "\"A\" has no \"type\""},
        {REC("{\"name\":\"1A\",\"type\":\"string\"}"), TSREC_E_SCHEMA, "\"1A\" is invalid"},
        {REC("{\"name\":\"A-B\",\"type\":\"string\"}"), TSREC_E_SCHEMA, "\"A-B\" is invalid"},
        {REC("{\"name\":\"\",\"type\":\"string\"}"), TSREC_E_SCHEMA, "is invalid"},
        {REC("{\"name\":\"A\",\"type\":\"bytes\"}"), TSREC_E_SCHEMA, "unknown type \"bytes\""},
        {REC("{\"name\":\"A\",\"type\":\"String\"}"), TSREC_E_SCHEMA,
         "string, int, long, float, double, boolean"},
        {REC("{\"name\":\"A\",\"type\":\"null\"}"), TSREC_E_SCHEMA, "\"null\" alone"},
        {REC("{\"name\":\"A\",\"type\":\"array\"}"), TSREC_E_SCHEMA, "flat"},
        {REC("{\"name\":\"A\",\"type\":\"map\"}"), TSREC_E_SCHEMA, "flat"},
        {REC("{\"name\":\"A\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}"), TSREC_E_SCHEMA,
         "flat"},
        {REC("{\"name\":\"A\",\"type\":{\"type\":\"map\",\"values\":\"long\"}}"), TSREC_E_SCHEMA,
         "flat"},
        {REC("{\"name\":\"A\",\"type\":{\"type\":\"record\",\"name\":\"B\",\"fields\":[]}}"),
         TSREC_E_SCHEMA, "flat"},
        {REC("{\"name\":\"A\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"string\"}]}"),
         TSREC_E_SCHEMA, "flat"},
        {REC("{\"name\":\"A\",\"type\":[\"null\",\"string\",\"long\"]}"), TSREC_E_SCHEMA,
         "exactly one other type"},
        {REC("{\"name\":\"A\",\"type\":[\"string\",\"long\"]}"), TSREC_E_SCHEMA,
         "exactly one other type"},
        {REC("{\"name\":\"A\",\"type\":[\"null\",\"null\"]}"), TSREC_E_SCHEMA,
         "exactly one other type"},
        {REC("{\"name\":\"A\",\"type\":[\"null\"]}"), TSREC_E_SCHEMA, "exactly one other type"},
        {REC("{\"name\":\"A\",\"type\":7}"), TSREC_E_SCHEMA, "number as its type"},
        {REC("{\"name\":\"A\",\"type\":\"int\",\"categorical\":true}"), TSREC_E_SCHEMA,
         "only string fields can be categorical"},
        {REC("{\"name\":\"A\",\"type\":[\"null\",\"long\"],\"textual\":true}"), TSREC_E_SCHEMA,
         "is textual but of type long"},
        {REC("{\"name\":\"A\",\"type\":\"string\",\"categorical\":true,\"textual\":true}"),
         TSREC_E_SCHEMA, "both categorical and textual"},
        {REC("{\"name\":\"A\",\"type\":\"string\",\"categorical\":\"yes\"}"), TSREC_E_SCHEMA,
         "must be true or false"},
        {REC("{\"name\":\"A\",\"type\":\"string\"},{\"name\":\"A\",\"type\":\"long\"}"),
         TSREC_E_DUPLICATE, "\"A\" appears twice"},
        {REC("{\"name\":\"GENRES_FIELD_1\",\"type\":\"string\"},"
             "{\"name\":\"GENRESFIELD1\",\"type\":\"string\"}"),
         TSREC_E_DUPLICATE, "non-alphanumeric"},
        {REC("{\"name\":\"A\",\"type\":\"string\"}") " x", TSREC_E_PARSE, "JSON"},
    };
#undef REC
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_parse_fail(ctx, P, cases[i].json, cases[i].status, cases[i].kw);
    /* names differing only in case are distinct for Personalize */
    tsrec_schema *s = parse_ok(ctx, P,
                               "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                               "{\"name\":\"ab\",\"type\":\"string\"},{\"name\":\"AB\",\"type\":\"string\"}]}");
    tsrec_schema_free(s);
    tu_ctx_free_checked(ctx);
}

/* ---- dataset groups ------------------------------------------------------ */

static void test_group_new(void **state)
{
    (void)state;
    keep_alloc k;
    tsrec_ctx *ctx = keep_ctx_new(&k);
    tsrec_dataset_group *g = (tsrec_dataset_group *)(uintptr_t)1;
    assert_int_equal(tsrec_dataset_group_new(NULL, "g", F, "RETAIL", &g), TSREC_E_MISUSE);
    assert_null(g);
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", F, "RETAIL", NULL), TSREC_E_MISUSE);
    static const char *const bad_names[] = {
        "", "1group", "my-group", "_g", "a b", "g!",
        "A234567890123456789012345678901234567890123456789012345678901234", /* 64 */
    };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        g = (tsrec_dataset_group *)(uintptr_t)1;
        assert_int_equal(tsrec_dataset_group_new(ctx, bad_names[i], F, "RETAIL", &g),
                         TSREC_E_INVALID_ARG);
        assert_null(g);
        assert_has(tsrec_errmsg(ctx), "^[a-zA-Z][a-zA-Z0-9_]*$");
    }
    assert_int_equal(tsrec_dataset_group_new(ctx, NULL, F, "RETAIL", &g), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", 0, NULL, &g), TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(ctx), "unknown service");
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", 7, "RETAIL", &g), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", F, NULL, &g), TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(ctx), "need a domain");
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", F, "retail", &g), TSREC_E_UNKNOWN_NAME);
    assert_has(tsrec_errmsg(ctx), "INVENTORY_PLANNING");
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", F, "ECOMMERCE", &g), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", P, "RETAIL", &g), TSREC_E_UNKNOWN_NAME);
    assert_has(tsrec_errmsg(ctx), "VIDEO_ON_DEMAND");
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", P, "", &g), TSREC_E_UNKNOWN_NAME);
    /* every valid domain, and a 63-character name */
    static const struct {
        int32_t service;
        const char *domain;
        int32_t code;
    } ok[] = {
        {F, "RETAIL", TSREC__DOMAIN_RETAIL},
        {F, "CUSTOM", TSREC__DOMAIN_CUSTOM},
        {F, "INVENTORY_PLANNING", TSREC__DOMAIN_INVENTORY_PLANNING},
        {F, "EC2_CAPACITY", TSREC__DOMAIN_EC2_CAPACITY},
        {F, "WORK_FORCE", TSREC__DOMAIN_WORK_FORCE},
        {F, "WEB_TRAFFIC", TSREC__DOMAIN_WEB_TRAFFIC},
        {F, "METRICS", TSREC__DOMAIN_METRICS},
        {P, NULL, TSREC__DOMAIN_NONE},
        {P, "ECOMMERCE", TSREC__DOMAIN_ECOMMERCE},
        {P, "VIDEO_ON_DEMAND", TSREC__DOMAIN_VIDEO_ON_DEMAND},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        g = NULL;
        assert_int_equal(tsrec_dataset_group_new(ctx,
                             "A23456789012345678901234567890123456789012345678901234567890123",
                             ok[i].service, ok[i].domain, &g),
                         TSREC_OK);
        assert_non_null(g);
        assert_int_equal(g->domain, ok[i].code);
        assert_int_equal(g->service, ok[i].service);
        if (ok[i].domain != NULL)
            assert_string_equal(tsrec__domain_name(ok[i].code), ok[i].domain);
        assert_int_equal(tsrec__strdict_count(&g->items), 0);
        assert_int_equal(tsrec__strdict_count(&g->users), 0);
        tsrec_dataset_group_free(g);
    }
    /* freed group: recognised by every entry point; free twice is a no-op */
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", F, "CUSTOM", &g), TSREC_OK);
    tsrec_dataset_group_free(g);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_dataset(g, "TARGET_TIME_SERIES", &ds), TSREC_E_MISUSE);
    assert_has(tsrec_last_error(), "tsrec_dataset_group");
    tsrec_dataset_group_free(g);
    tsrec_dataset_group_free(NULL);
    tsrec_dataset_group_free((tsrec_dataset_group *)ctx); /* wrong type: ignored */
    tsrec_ctx_free(ctx);
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", F, "RETAIL", &g), TSREC_E_MISUSE);
    keep_release(&k);
}

static void test_create_dataset_misuse(void **state)
{
    (void)state;
    keep_alloc k;
    tsrec_ctx *ctx = keep_ctx_new(&k);
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "shop", F, "RETAIL", &g), TSREC_OK);
    tsrec_schema *s = parse_ok(ctx, F, retail_tts);
    tsrec_schema *ps = parse_ok(ctx, P, interactions_b21);
    tsrec_dataset *ds = (tsrec_dataset *)(uintptr_t)1;
    const char *tts = "TARGET_TIME_SERIES";
    assert_int_equal(tsrec_dataset_group_create_dataset(NULL, "d", tts, s, "D", &ds), TSREC_E_MISUSE);
    assert_null(ds);
    assert_int_equal(tsrec_dataset_group_create_dataset((tsrec_dataset_group *)s, "d", tts, s, "D",
                                                        &ds),
                     TSREC_E_MISUSE);
    assert_has(tsrec_last_error(), "tsrec_dataset_group");
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", tts, s, "D", NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", tts, NULL, "D", &ds), TSREC_E_MISUSE);
    assert_has(tsrec_errmsg(g), "schema");
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", tts, (tsrec_schema *)g, "D", &ds),
                     TSREC_E_MISUSE);
    static const char *const bad_names[] = {
        "", "9lives", "a-b", "a.b",
        "A234567890123456789012345678901234567890123456789012345678901234", /* 64 */
    };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        assert_int_equal(tsrec_dataset_group_create_dataset(g, bad_names[i], tts, s, "D", &ds),
                         TSREC_E_INVALID_ARG);
        assert_has(tsrec_errmsg(g), "dataset name");
    }
    assert_int_equal(tsrec_dataset_group_create_dataset(g, NULL, tts, s, "D", &ds),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", NULL, s, "D", &ds),
                     TSREC_E_INVALID_ARG);
    static const char *const bad_types[] = {"target_time_series", "Interactions", "TTS", ""};
    for (size_t i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++) {
        assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", bad_types[i], s, "D", &ds),
                         TSREC_E_UNKNOWN_NAME);
        assert_has(tsrec_errmsg(g), "RELATED_TIME_SERIES");
    }
    /* a Personalize schema in a Forecast group */
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", tts, ps, "D", &ds),
                     TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(g), "Personalize schema");
    /* frequencies */
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", tts, s, "2D", &ds),
                     TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", tts, s, "d", &ds),
                     TSREC_E_UNKNOWN_NAME);
    assert_null(ds);
    /* a good one */
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "sales", tts, s, "H", &ds), TSREC_OK);
    assert_non_null(ds);
    assert_string_equal(tsrec_errmsg(g), "");
    assert_int_equal(ds->data_frequency, TSREC__FREQ_H);
    assert_int_equal(ds->type, TSREC__DS_TARGET_TIME_SERIES);
    tsrec_dataset *tts_ds = ds;
    /* the group copied the schema: freeing ours changes nothing */
    tsrec_schema_free(s);
    assert_int_equal(tts_ds->schema->n_fields, 4);
    assert_string_equal(tts_ds->schema->fields[3].name, "location");
    s = parse_ok(ctx, F, retail_tts);
    /* at most one dataset per type; names unique in the group */
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "other", tts, s, "H", &ds),
                     TSREC_E_EXISTS);
    assert_has(tsrec_errmsg(g), "at most one dataset of each type");
    assert_null(ds);
    tsrec_schema *rts = parse_ok(ctx, F,
                                 "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
                                 "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
                                 "{\"AttributeName\":\"price\",\"AttributeType\":\"float\"}]}");
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "sales", "RELATED_TIME_SERIES", rts, "H",
                                                        &ds),
                     TSREC_E_EXISTS);
    assert_has(tsrec_errmsg(g), "named \"sales\"");
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "prices", "RELATED_TIME_SERIES", rts,
                                                        NULL, &ds),
                     TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(g), "data_frequency");
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "prices", "RELATED_TIME_SERIES", rts,
                                                        "D", &ds),
                     TSREC_OK);
    assert_int_equal(ds->data_frequency, TSREC__FREQ_D);
    tsrec_schema *im = parse_ok(ctx, F,
                                "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
                                "{\"AttributeName\":\"brand\",\"AttributeType\":\"string\"}]}");
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "meta", "ITEM_METADATA", im, "D", &ds),
                     TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(g), "takes no data_frequency");
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "meta", "ITEM_METADATA", im, NULL, &ds),
                     TSREC_OK);
    assert_int_equal(ds->data_frequency, 0);
    /* lookups */
    tsrec_dataset *got = NULL;
    assert_int_equal(tsrec_dataset_group_dataset(g, tts, &got), TSREC_OK);
    assert_ptr_equal(got, tts_ds);
    assert_int_equal(tsrec_dataset_group_dataset(g, "ITEM_METADATA", &got), TSREC_OK);
    assert_ptr_equal(got, ds);
    assert_int_equal(tsrec_dataset_group_dataset(g, "Items", &got), TSREC_E_UNKNOWN_NAME);
    assert_null(got);
    assert_int_equal(tsrec_dataset_group_dataset(g, NULL, &got), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_dataset_group_dataset(g, tts, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_group_dataset(NULL, tts, &got), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_group_dataset((tsrec_dataset_group *)ds, tts, &got),
                     TSREC_E_MISUSE);
    /* row count and memory */
    int64_t rows = -1;
    size_t bytes = 1;
    assert_int_equal(tsrec_dataset_row_count(ds, &rows), TSREC_OK);
    assert_int_equal(rows, 0);
    assert_int_equal(tsrec_dataset_row_count(NULL, &rows), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_row_count(ds, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_row_count((tsrec_dataset *)g, &rows), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_memory(ds, &bytes), TSREC_OK);
    assert_int_equal(tsrec_dataset_memory(NULL, &bytes), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_memory(ds, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_memory((tsrec_dataset *)s, &bytes), TSREC_E_MISUSE);
    /* datasets die with their group */
    tsrec_dataset_group_free(g);
    assert_int_equal(tsrec_dataset_row_count(ds, &rows), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_memory(tts_ds, &bytes), TSREC_E_MISUSE);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "d", tts, s, "D", &ds), TSREC_E_MISUSE);
    tsrec_schema_free(s);
    tsrec_schema_free(rts);
    tsrec_schema_free(im);
    tsrec_schema_free(ps);
    tsrec_ctx_free(ctx);
    keep_release(&k);
}

static void test_personalize_group_types(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "recs", P, NULL, &g), TSREC_OK);
    tsrec_schema *s = parse_ok(ctx, P, interactions_b21);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "i", "TARGET_TIME_SERIES", s, NULL, &ds),
                     TSREC_E_UNKNOWN_NAME);
    assert_has(tsrec_errmsg(g), "Interactions, Users, Items");
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "i", "Interactions", s, "D", &ds),
                     TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(g), "data_frequency");
    /* Personalize accepts the type in any case, like its API */
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "i", "INTERACTIONS", s, NULL, &ds),
                     TSREC_OK);
    tsrec_dataset *got = NULL;
    assert_int_equal(tsrec_dataset_group_dataset(g, "interactions", &got), TSREC_OK);
    assert_ptr_equal(got, ds);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "j", "Interactions", s, NULL, &ds),
                     TSREC_E_EXISTS);
    assert_int_equal(tsrec_dataset_group_dataset(g, "Users", &got), TSREC_E_UNKNOWN_NAME);
    assert_has(tsrec_errmsg(g), "has no Users dataset");
    tsrec_schema *fs = parse_ok(ctx, F, retail_tts);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "u", "Users", fs, NULL, &ds),
                     TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(g), "Forecast schema");
    tsrec_schema_free(fs);
    tsrec_schema_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- Forecast domain rules ------------------------------------------------- */

typedef struct {
    const char *domain;
    const char *type;
    const char *spec; /* forecast_json spec */
    int status;
    const char *kw;
} rule_case;

static void test_forecast_rules(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    static const rule_case cases[] = {
        /* every domain's TTS as aws-surface.md A2.1 lists it */
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:float location:string", TSREC_OK, NULL},
        {"CUSTOM", "TARGET_TIME_SERIES", "timestamp:timestamp target_value:float item_id:string", TSREC_OK, NULL},
        {"INVENTORY_PLANNING", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:float location:string", TSREC_OK, NULL},
        {"EC2_CAPACITY", "TARGET_TIME_SERIES", "instance_type:string timestamp:timestamp number_of_instances:integer location:string", TSREC_OK, NULL},
        {"WORK_FORCE", "TARGET_TIME_SERIES", "workforce_type:string timestamp:timestamp workforce_demand:float location:string", TSREC_OK, NULL},
        {"WEB_TRAFFIC", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp value:float", TSREC_OK, NULL},
        {"METRICS", "TARGET_TIME_SERIES", "metric_name:string timestamp:timestamp metric_value:float", TSREC_OK, NULL},
        /* required fields */
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp", TSREC_E_SCHEMA, "missing required field \"demand\""},
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string demand:float", TSREC_E_SCHEMA, "missing required field \"timestamp\""},
        {"RETAIL", "TARGET_TIME_SERIES", "timestamp:timestamp demand:float", TSREC_E_SCHEMA, "missing required field \"item_id\""},
        {"CUSTOM", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:float", TSREC_E_SCHEMA, "\"target_value\""},
        {"EC2_CAPACITY", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp number_of_instances:integer", TSREC_E_SCHEMA, "\"instance_type\""},
        {"METRICS", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp x:float", TSREC_E_SCHEMA, "\"metric_name\""},
        {"WORK_FORCE", "ITEM_METADATA", "item_id:string", TSREC_E_SCHEMA, "\"workforce_type\""},
        /* types of required fields */
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:string", TSREC_E_SCHEMA, "\"demand\" must be of type float or integer"},
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:integer", TSREC_OK, NULL},
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:integer timestamp:timestamp demand:float", TSREC_E_SCHEMA, "\"item_id\" must be of type string"},
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:string demand:float", TSREC_E_SCHEMA, "\"timestamp\" must be of type timestamp"},
        {"EC2_CAPACITY", "TARGET_TIME_SERIES", "instance_type:string timestamp:timestamp number_of_instances:float", TSREC_E_SCHEMA, "\"number_of_instances\" must be of type integer"},
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:float location:integer", TSREC_E_SCHEMA, "\"location\""},
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:float location:geolocation", TSREC_OK, NULL},
        /* TTS extras are string dimensions; quota 13 */
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:float store:string region:string", TSREC_OK, NULL},
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:float price:float", TSREC_E_SCHEMA, "dimensions and must be string"},
        {"RETAIL", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp demand:float t2:timestamp", TSREC_E_SCHEMA, "\"t2\""},
        {"CUSTOM", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp target_value:float d1:string d2:string d3:string d4:string d5:string d6:string d7:string d8:string d9:string d10:string", TSREC_OK, NULL},
        {"CUSTOM", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp target_value:float d1:string d2:string d3:string d4:string d5:string d6:string d7:string d8:string d9:string d10:string d11:string", TSREC_E_SCHEMA, "at most 13"},
        /* RTS: numeric features, string dimensions (<= 10), no target, quota 25 */
        {"RETAIL", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp price:float promotion_applied:integer location:string", TSREC_OK, NULL},
        {"RETAIL", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp price:string", TSREC_E_SCHEMA, "\"price\""},
        {"RETAIL", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp promo_end:timestamp", TSREC_E_SCHEMA, "must be numeric"},
        {"RETAIL", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp demand:float", TSREC_E_SCHEMA, "may not contain the target"},
        {"RETAIL", "RELATED_TIME_SERIES", "timestamp:timestamp price:float", TSREC_E_SCHEMA, "missing required field \"item_id\""},
        {"CUSTOM", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp d1:string d2:string d3:string d4:string d5:string d6:string d7:string d8:string d9:string d10:string d11:string", TSREC_E_SCHEMA, "at most 10 string dimension"},
        {"CUSTOM", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp d1:string d2:string d3:string d4:string d5:string d6:string d7:string d8:string d9:string d10:string f1:float f2:float f3:float f4:float f5:float f6:float f7:float f8:float f9:float f10:float f11:float f12:float f13:integer", TSREC_OK, NULL},
        {"CUSTOM", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp d1:string d2:string d3:string d4:string d5:string d6:string d7:string d8:string d9:string d10:string f1:float f2:float f3:float f4:float f5:float f6:float f7:float f8:float f9:float f10:float f11:float f12:float f13:integer f14:float", TSREC_E_SCHEMA, "at most 25"},
        /* IM: string features, quota 10; typed domain suggestions keep their type */
        {"RETAIL", "ITEM_METADATA", "item_id:string category:string brand:string color:string genre:string", TSREC_OK, NULL},
        {"RETAIL", "ITEM_METADATA", "item_id:string weight:float", TSREC_E_SCHEMA, "ITEM_METADATA features must be string"},
        {"RETAIL", "ITEM_METADATA", "item_id:string brand:integer", TSREC_E_SCHEMA, "\"brand\" must be of type string"},
        {"RETAIL", "ITEM_METADATA", "item_id:string a1:string a2:string a3:string a4:string a5:string a6:string a7:string a8:string a9:string", TSREC_OK, NULL},
        {"RETAIL", "ITEM_METADATA", "item_id:string a1:string a2:string a3:string a4:string a5:string a6:string a7:string a8:string a9:string a10:string", TSREC_E_SCHEMA, "at most 10"},
        {"WORK_FORCE", "ITEM_METADATA", "workforce_type:string wages:float shift_length:string location:string", TSREC_OK, NULL},
        {"WORK_FORCE", "ITEM_METADATA", "workforce_type:string wages:string", TSREC_E_SCHEMA, "\"wages\" must be of type float"},
        {"EC2_CAPACITY", "ITEM_METADATA", "instance_type:string family:string", TSREC_OK, NULL},
        /* reserved names, domain fields exempt */
        {"CUSTOM", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp target_value:float count:string", TSREC_E_SCHEMA, "reserved field name"},
        {"CUSTOM", "ITEM_METADATA", "item_id:string Name:string", TSREC_E_SCHEMA, "\"Name\" is a reserved"},
        {"CUSTOM", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp value:float", TSREC_E_SCHEMA, "reserved"},
        {"CUSTOM", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp abs:float", TSREC_E_SCHEMA, "reserved"},
        {"CUSTOM", "ITEM_METADATA", "item_id:string zone:string", TSREC_E_SCHEMA, "reserved"},
        {"CUSTOM", "ITEM_METADATA", "item_id:string date:string", TSREC_OK, NULL},
        /* names from the whole table, not only its A..C start */
        {"CUSTOM", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp temp:float", TSREC_E_SCHEMA, "\"temp\" is a reserved"},
        {"CUSTOM", "RELATED_TIME_SERIES", "item_id:string timestamp:timestamp Hour:integer", TSREC_E_SCHEMA, "reserved"},
        {"CUSTOM", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp target_value:float region:string Type:string", TSREC_E_SCHEMA, "\"Type\" is a reserved"},
        {"CUSTOM", "ITEM_METADATA", "item_id:string zerofill:string", TSREC_E_SCHEMA, "reserved"},
        /* the developer guide's own CUSTOM schemas: Weather Index geolocation
         * attribute "location", related-series dimensions "store"/"location" */
        {"CUSTOM", "TARGET_TIME_SERIES", "timestamp:timestamp target_value:float item_id:string location:geolocation", TSREC_OK, NULL},
        {"CUSTOM", "RELATED_TIME_SERIES", "timestamp:timestamp item_id:string store:string price:float", TSREC_OK, NULL},
        {"WEB_TRAFFIC", "TARGET_TIME_SERIES", "item_id:string timestamp:timestamp value:float", TSREC_OK, NULL},
    };
    char buf[8192];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const rule_case *c = &cases[i];
        const char *freq = strcmp(c->type, "ITEM_METADATA") == 0 ? NULL : "D";
        expect_dataset(ctx, F, c->domain, c->type, forecast_json(buf, sizeof buf, c->spec), freq,
                       c->status, c->kw);
    }
    tu_ctx_free_checked(ctx);
}

/* Roles and columns of a Forecast TTS and RTS. */
static void test_forecast_roles_columns(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", F, "RETAIL", &g), TSREC_OK);
    char buf[2048];
    tsrec_schema *s = parse_ok(ctx, F, forecast_json(buf, sizeof buf,
                                                     "timestamp:timestamp item_id:string demand:float location:string geo:geolocation"));
    tsrec_dataset *tts = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "t", "TARGET_TIME_SERIES", s, NULL, &tts),
                     TSREC_OK);
    assert_int_equal(tts->data_frequency, 0);
    static const int32_t roles[] = {TSREC__ROLE_TIMESTAMP, TSREC__ROLE_ITEM_ID, TSREC__ROLE_TARGET,
                                    TSREC__ROLE_DIMENSION, TSREC__ROLE_DIMENSION};
    static const int32_t kinds[] = {TSREC__COL_I64, TSREC__COL_CODE, TSREC__COL_F64, TSREC__COL_CODE,
                                    TSREC__COL_CODE};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(tts->roles[i], roles[i]);
        assert_int_equal(tts->cols[i].kind, kinds[i]);
        assert_int_equal(tts->cols[i].len, 0);
        assert_null(tts->cols[i].valid);
    }
    assert_int_equal(tts->cols[0].width, 8);
    assert_int_equal(tts->cols[1].width, 1);
    assert_ptr_equal(tts->cols[1].dict, &g->items);
    assert_int_equal(tts->cols[1].dict_shared, 1);
    assert_non_null(tts->cols[3].dict);
    assert_ptr_not_equal(tts->cols[3].dict, &g->items);
    assert_int_equal(tts->cols[3].dict_shared, 0);
    assert_ptr_not_equal(tts->cols[3].dict, tts->cols[4].dict);
    tsrec_schema_free(s);
    s = parse_ok(ctx, F, forecast_json(buf, sizeof buf,
                                       "item_id:string timestamp:timestamp price:float promotion_applied:integer location:string"));
    tsrec_dataset *rts = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "r", "RELATED_TIME_SERIES", s, "W", &rts),
                     TSREC_OK);
    assert_int_equal(rts->data_frequency, TSREC__FREQ_W);
    assert_ptr_equal(rts->cols[0].dict, &g->items);
    assert_int_equal(rts->roles[2], TSREC__ROLE_OTHER);
    assert_int_equal(rts->cols[2].kind, TSREC__COL_F64);
    assert_int_equal(rts->cols[3].kind, TSREC__COL_I64);
    assert_int_equal(rts->roles[4], TSREC__ROLE_DIMENSION);
    /* memory: what the columns hold (owned dictionaries' bookkeeping) */
    size_t bytes = 0, want = 0;
    assert_int_equal(tsrec_dataset_memory(rts, &bytes), TSREC_OK);
    want = tsrec__strdict_bytes(rts->cols[4].dict);
    assert_int_equal(bytes, want);
    tsrec_schema_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- Personalize rules ----------------------------------------------------- */

static void test_personalize_rules(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    static const rule_case cases[] = {
        /* Interactions */
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long", TSREC_OK, NULL},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string EVENT_VALUE:?float IMPRESSION:?string RECOMMENDATION_ID:?string EVENT_ATTRIBUTION_SOURCE:?string DEVICE:string+c", TSREC_OK, NULL},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string", TSREC_E_SCHEMA, "missing required field \"TIMESTAMP\" (long)"},
        {NULL, "Interactions", "ITEM_ID:string TIMESTAMP:long", TSREC_E_SCHEMA, "missing required field \"USER_ID\""},
        {NULL, "Interactions", "USER_ID:string TIMESTAMP:long", TSREC_E_SCHEMA, "missing required field \"ITEM_ID\""},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:int", TSREC_E_SCHEMA, "\"TIMESTAMP\" must be of type long"},
        {NULL, "Interactions", "USER_ID:long ITEM_ID:string TIMESTAMP:long", TSREC_E_SCHEMA, "\"USER_ID\" must be of type string"},
        {NULL, "Interactions", "USER_ID:?string ITEM_ID:string TIMESTAMP:long", TSREC_E_SCHEMA, "must not be nullable"},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string+c", TSREC_E_SCHEMA, "\"EVENT_TYPE\" is a reserved field and must not be categorical"},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:long", TSREC_E_SCHEMA, "\"EVENT_TYPE\" must be of type string"},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_VALUE:string", TSREC_E_SCHEMA, "\"EVENT_VALUE\" must be of type float"},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_VALUE:float", TSREC_OK, NULL},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long IMPRESSION:?long", TSREC_E_SCHEMA, "\"IMPRESSION\" must be of type string"},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long IMPRESSION:?string+c", TSREC_E_SCHEMA, "reserved"},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long RECOMMENDATION_ID:long", TSREC_E_SCHEMA, "\"RECOMMENDATION_ID\""},
        {NULL, "Interactions", "USER_ID:string+c ITEM_ID:string TIMESTAMP:long", TSREC_E_SCHEMA, "\"USER_ID\" is a reserved field"},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long M1:string+c M2:string+c M3:float M4:int M5:boolean", TSREC_OK, NULL},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long M1:string+c M2:string+c M3:float M4:int M5:boolean M6:long", TSREC_E_SCHEMA, "at most 5 metadata"},
        {NULL, "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long NOTE:string+t", TSREC_E_SCHEMA, "only in Items"},
        /* domain groups need EVENT_TYPE */
        {"ECOMMERCE", "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long", TSREC_E_SCHEMA, "\"EVENT_TYPE\""},
        {"VIDEO_ON_DEMAND", "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long", TSREC_E_SCHEMA, "needs event types"},
        {"VIDEO_ON_DEMAND", "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string", TSREC_OK, NULL},
        {"ECOMMERCE", "Interactions", "USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string", TSREC_OK, NULL},
        /* Users */
        {NULL, "Users", "USER_ID:string AGE:int", TSREC_OK, NULL},
        {NULL, "Users", "USER_ID:string", TSREC_E_SCHEMA, "at least 1 metadata field besides USER_ID"},
        {NULL, "Users", "AGE:int GENDER:string+c", TSREC_E_SCHEMA, "missing required field \"USER_ID\""},
        {NULL, "Users", "USER_ID:string BIO:string+t", TSREC_E_SCHEMA, "textual"},
        /* Items */
        {NULL, "Items", "ITEM_ID:string GENRES:?string+c DESCRIPTION:?string+t CREATION_TIMESTAMP:long PRICE:double", TSREC_OK, NULL},
        {NULL, "Items", "ITEM_ID:string CREATION_TIMESTAMP:long", TSREC_E_SCHEMA, "at least 1 metadata field besides ITEM_ID"},
        {NULL, "Items", "ITEM_ID:string CREATION_TIMESTAMP:int PRICE:float", TSREC_E_SCHEMA, "\"CREATION_TIMESTAMP\" must be of type long"},
        {NULL, "Items", "ITEM_ID:string A:string+t B:string+t", TSREC_E_SCHEMA, "at most 1 textual"},
        {NULL, "Items", "ITEM_ID:string+c PRICE:float", TSREC_E_SCHEMA, "reserved"},
        {NULL, "Items", "ITEM_ID:?string PRICE:float", TSREC_E_SCHEMA, "nullable"},
        {NULL, "Items", "PRICE:float", TSREC_E_SCHEMA, "\"ITEM_ID\""},
    };
    char buf[8192];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const rule_case *c = &cases[i];
        expect_dataset(ctx, P, c->domain, c->type, avro_json(buf, sizeof buf, c->spec), NULL,
                       c->status, c->kw);
    }
    /* metadata quotas: Users <= 25, Items <= 100 */
    char spec[4096];
    for (int quota = 0; quota < 2; quota++) {
        int max = quota == 0 ? 25 : 100;
        const char *type = quota == 0 ? "Users" : "Items";
        snprintf(spec, sizeof spec, "%s", quota == 0 ? "USER_ID:string" : "ITEM_ID:string");
        for (int i = 0; i < max; i++)
            snprintf(spec + strlen(spec), sizeof spec - strlen(spec), " M%d:string+c", i);
        expect_dataset(ctx, P, NULL, type, avro_json(buf, sizeof buf, spec), NULL, TSREC_OK, NULL);
        strcat(spec, " EXTRA:float");
        expect_dataset(ctx, P, NULL, type, avro_json(buf, sizeof buf, spec), NULL, TSREC_E_SCHEMA,
                       max == 25 ? "at most 25 metadata" : "at most 100 metadata");
    }
    tu_ctx_free_checked(ctx);
}

/* Column kinds of every Avro type, and the shared id dictionaries. */
static void test_personalize_columns(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", P, "ECOMMERCE", &g), TSREC_OK);
    char buf[4096];
    tsrec_schema *si = parse_ok(ctx, P, avro_json(buf, sizeof buf,
                                                  "ITEM_ID:string USER_ID:string TIMESTAMP:long EVENT_TYPE:string EVENT_VALUE:?float DEVICE:string+c"));
    tsrec_schema *su = parse_ok(ctx, P, avro_json(buf, sizeof buf, "USER_ID:string AGE:int MEMBER:boolean"));
    tsrec_schema *sit = parse_ok(ctx, P, avro_json(buf, sizeof buf,
                                                   "ITEM_ID:string PRICE:double RATING:float CREATION_TIMESTAMP:long"));
    tsrec_dataset *di = NULL, *du = NULL, *dit = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "inter", "Interactions", si, NULL, &di), TSREC_OK);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "users", "Users", su, NULL, &du), TSREC_OK);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "items", "Items", sit, NULL, &dit), TSREC_OK);
    static const int32_t iroles[] = {TSREC__ROLE_ITEM_ID, TSREC__ROLE_USER_ID, TSREC__ROLE_TIMESTAMP,
                                     TSREC__ROLE_EVENT_TYPE, TSREC__ROLE_EVENT_VALUE, TSREC__ROLE_OTHER};
    static const int32_t ikinds[] = {TSREC__COL_CODE, TSREC__COL_CODE, TSREC__COL_I64,
                                     TSREC__COL_CODE, TSREC__COL_F32, TSREC__COL_CODE};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(di->roles[i], iroles[i]);
        assert_int_equal(di->cols[i].kind, ikinds[i]);
    }
    assert_int_equal(di->cols[4].width, 4);
    assert_ptr_equal(di->cols[0].dict, &g->items);
    assert_ptr_equal(di->cols[1].dict, &g->users);
    assert_ptr_equal(du->cols[0].dict, &g->users);
    assert_ptr_equal(dit->cols[0].dict, &g->items);
    assert_int_equal(di->cols[3].dict_shared, 0);
    assert_int_equal(du->cols[1].kind, TSREC__COL_I64);
    assert_int_equal(du->cols[2].kind, TSREC__COL_BOOL);
    assert_int_equal(du->cols[2].width, 1);
    assert_int_equal(dit->cols[1].kind, TSREC__COL_F64);
    assert_int_equal(dit->cols[2].kind, TSREC__COL_F32);
    assert_int_equal(dit->roles[3], TSREC__ROLE_CREATION_TIMESTAMP);
    assert_int_equal(dit->cols[3].kind, TSREC__COL_I64);
    size_t bytes = 1;
    assert_int_equal(tsrec_dataset_memory(du, &bytes), TSREC_OK);
    assert_int_equal(bytes, 0); /* no owned dictionary, no data yet */
    tsrec_schema_free(si);
    tsrec_schema_free(su);
    tsrec_schema_free(sit);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* Schemas for the sample data in ../shared/data (which ships CSVs only)
 * and the examples of aws-surface.md. */
static void test_sample_schemas(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    char buf[4096];
    /* electricity: timestamp,target_value,item_id hourly, + item-meta */
    expect_dataset(ctx, F, "CUSTOM", "TARGET_TIME_SERIES",
                   forecast_json(buf, sizeof buf, "timestamp:timestamp target_value:float item_id:string"),
                   "H", TSREC_OK, NULL);
    expect_dataset(ctx, F, "CUSTOM", "ITEM_METADATA",
                   forecast_json(buf, sizeof buf, "item_id:string category:string"), NULL, TSREC_OK, NULL);
    /* bike-kaggle RTS (hourly weather features) */
    expect_dataset(ctx, F, "CUSTOM", "RELATED_TIME_SERIES",
                   forecast_json(buf, sizeof buf,
                                 "timestamp:timestamp item_id:string season:integer holiday:integer "
                                 "workingday:integer weather:integer temperature:float atemp:float "
                                 "humidity:float windspeed:float"),
                   "H", TSREC_OK, NULL);
    /* whatif consumer electronics: store_id dimension, monthly */
    expect_dataset(ctx, F, "RETAIL", "TARGET_TIME_SERIES",
                   forecast_json(buf, sizeof buf, "item_id:string store_id:string timestamp:timestamp demand:float"),
                   "M", TSREC_OK, NULL);
    expect_dataset(ctx, F, "RETAIL", "RELATED_TIME_SERIES",
                   forecast_json(buf, sizeof buf, "item_id:string store_id:string timestamp:timestamp price:float"),
                   "M", TSREC_OK, NULL);
    /* movielens events (watch events) and item metadata */
    expect_dataset(ctx, P, "VIDEO_ON_DEMAND", "Interactions",
                   avro_json(buf, sizeof buf, "USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string"),
                   NULL, TSREC_OK, NULL);
    expect_dataset(ctx, P, NULL, "Items",
                   avro_json(buf, sizeof buf, "ITEM_ID:string GENRE:?string+c YEAR:int"), NULL, TSREC_OK, NULL);
    /* travel-marketing */
    expect_dataset(ctx, P, NULL, "Interactions",
                   avro_json(buf, sizeof buf,
                             "ITEM_ID:string USER_ID:string TIMESTAMP:long CABIN_TYPE:string+c EVENT_VALUE:float EVENT_TYPE:string"),
                   NULL, TSREC_OK, NULL);
    expect_dataset(ctx, P, NULL, "Items",
                   avro_json(buf, sizeof buf,
                             "ITEM_ID:string DSTCity:string+c SRCCity:string+c Airline:string+c DurationDays:int "
                             "Season:string+c numberOfSearchByUser:int Promotion:string+c DynamicPrice:int "
                             "DiscountForMember:float Expired:string+c"),
                   NULL, TSREC_OK, NULL);
    expect_dataset(ctx, P, NULL, "Users", avro_json(buf, sizeof buf, "USER_ID:string memberClass:string+c"),
                   NULL, TSREC_OK, NULL);
    /* aws-surface.md B2.1 example */
    expect_dataset(ctx, P, NULL, "Interactions", interactions_b21, NULL, TSREC_OK, NULL);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_parse_misuse),
        cmocka_unit_test(test_schema_forecast_valid),
        cmocka_unit_test(test_schema_forecast_rules),
        cmocka_unit_test(test_schema_avro_valid),
        cmocka_unit_test(test_schema_avro_rules),
        cmocka_unit_test(test_group_new),
        cmocka_unit_test(test_create_dataset_misuse),
        cmocka_unit_test(test_personalize_group_types),
        cmocka_unit_test(test_forecast_rules),
        cmocka_unit_test(test_forecast_roles_columns),
        cmocka_unit_test(test_personalize_rules),
        cmocka_unit_test(test_personalize_columns),
        cmocka_unit_test(test_sample_schemas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
