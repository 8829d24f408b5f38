/* Schemas: the public entry points, the parts shared by both services
 * (allocation, names, clone, lookup) and the dispatch to the Forecast and
 * Avro readers (schema_forecast.c, schema_personalize.c). */
#include <string.h>

#include "data_internal.h"
#include "json_internal.h"
#include "schema_internal.h"

/* Deep enough for an Avro record with unions inside fields; anything deeper
 * is a nested type that a flat schema refuses anyway. */
#define SCHEMA_JSON_DEPTH 16

tsrec_schema *tsrec__schema_alloc(tsrec_ctx *ctx, int32_t service, int64_t n)
{
    if (n < 0)
        return NULL;
    tsrec_schema *s = tsrec__calloc(ctx, 1, sizeof *s);
    if (s == NULL)
        return NULL;
    if (n > 0) {
        s->fields = tsrec__calloc(ctx, (size_t)n, sizeof *s->fields);
        if (s->fields == NULL) {
            tsrec__free(ctx, s);
            return NULL;
        }
    }
    tsrec__handle_init(&s->hdr, TSREC__MAGIC_SCHEMA, ctx);
    s->service = service;
    s->n_fields = n;
    return s;
}

void tsrec__schema_destroy(tsrec_schema *s)
{
    if (s == NULL)
        return;
    tsrec_ctx *ctx = s->hdr.ctx;
    if (s->fields != NULL)
        for (int64_t i = 0; i < s->n_fields; i++)
            tsrec__free(ctx, s->fields[i].name);
    tsrec__free(ctx, s->fields);
    tsrec__handle_retire(&s->hdr);
    tsrec__free(ctx, s);
}

int tsrec__aws_name_ok(const char *name, size_t len)
{
    if (name == NULL || len == 0 || len > TSREC__SCHEMA_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int digit = c >= '0' && c <= '9';
        if (i == 0 ? !alpha : !(alpha || digit || c == '_'))
            return 0;
    }
    return 1;
}

int tsrec__name_eq_nocase(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb)
            return 0;
        if (ca == 0)
            return 1;
    }
}

const char *tsrec__field_type_name(int32_t service, int32_t type)
{
    int avro = service == TSREC_SERVICE_PERSONALIZE;
    switch (type) {
    case TSREC_FIELD_STRING: return "string";
    case TSREC_FIELD_INTEGER: return avro ? "int" : "integer";
    case TSREC_FIELD_LONG: return "long";
    case TSREC_FIELD_FLOAT: return "float";
    case TSREC_FIELD_DOUBLE: return "double";
    case TSREC_FIELD_BOOLEAN: return "boolean";
    case TSREC_FIELD_TIMESTAMP: return "timestamp";
    case TSREC_FIELD_GEOLOCATION: return "geolocation";
    default: return "?";
    }
}

int tsrec__schema_clone(const tsrec_schema *src, tsrec_ctx *ctx, tsrec__handle *eh,
                        tsrec_schema **out)
{
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "schema clone: NULL output");
    *out = NULL;
    if (src == NULL || ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "schema clone: NULL schema or ctx");
    tsrec_schema *s = tsrec__schema_alloc(ctx, src->service, src->n_fields);
    if (s == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "schema clone: out of memory");
    for (int64_t i = 0; i < src->n_fields; i++) {
        s->fields[i].type = src->fields[i].type;
        s->fields[i].flags = src->fields[i].flags;
        s->fields[i].name = tsrec__strdup(ctx, src->fields[i].name);
        if (s->fields[i].name == NULL) {
            tsrec__schema_destroy(s);
            return tsrec__fail(eh, TSREC_E_NOMEM, "schema clone: out of memory");
        }
    }
    *out = s;
    return TSREC_OK;
}

int64_t tsrec__schema_find(const tsrec_schema *s, const char *name)
{
    if (s == NULL || name == NULL)
        return -1;
    for (int64_t i = 0; i < s->n_fields; i++)
        if (s->fields[i].name != NULL && strcmp(s->fields[i].name, name) == 0)
            return i;
    return -1;
}

/* ---- public ------------------------------------------------------------ */

int tsrec_schema_parse(tsrec_ctx *ctx, int32_t service, const char *json, size_t len,
                       tsrec_schema **out_schema)
{
    if (out_schema != NULL)
        *out_schema = NULL;
    TSREC__CHECK(ctx, TSREC__MAGIC_CTX, "tsrec_schema_parse", "tsrec_ctx");
    if (out_schema == NULL)
        return tsrec__fail(&ctx->hdr, TSREC_E_MISUSE, "tsrec_schema_parse: out_schema is NULL");
    if (service != TSREC_SERVICE_FORECAST && service != TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(&ctx->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_schema_parse: unknown service %d (use TSREC_SERVICE_FORECAST "
                           "or TSREC_SERVICE_PERSONALIZE)", (int)service);
    if (json == NULL)
        return tsrec__fail(&ctx->hdr, TSREC_E_INVALID_ARG, "tsrec_schema_parse: json is NULL");
    if (len == 0)
        return tsrec__fail(&ctx->hdr, TSREC_E_EMPTY, "tsrec_schema_parse: schema text is empty");
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(ctx, &ctx->hdr, json, len, SCHEMA_JSON_DEPTH, &doc);
    if (rc != TSREC_OK)
        return rc; /* the JSON parser named line and column */
    const tsrec__json *root = tsrec__json_root(doc);
    tsrec_schema *s = NULL;
    if (service == TSREC_SERVICE_FORECAST)
        rc = tsrec__schema_from_forecast_json(root, ctx, &ctx->hdr, &s);
    else
        rc = tsrec__schema_from_avro_json(root, ctx, &ctx->hdr, &s);
    tsrec__json_free(doc);
    if (rc != TSREC_OK)
        return rc;
    *out_schema = s;
    return tsrec__ok(&ctx->hdr);
}

void tsrec_schema_free(tsrec_schema *schema)
{
    if (!tsrec__handle_is(schema, TSREC__MAGIC_SCHEMA))
        return;
    tsrec__schema_destroy(schema);
}

int tsrec_schema_field_count(const tsrec_schema *schema, int64_t *out_count)
{
    TSREC__CHECK(schema, TSREC__MAGIC_SCHEMA, "tsrec_schema_field_count", "tsrec_schema");
    if (out_count == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE, "tsrec_schema_field_count: out_count is NULL");
    *out_count = schema->n_fields;
    return TSREC_OK;
}

int tsrec_schema_field(const tsrec_schema *schema, int64_t i, const char **out_name,
                       int32_t *out_type, uint32_t *out_flags)
{
    TSREC__CHECK(schema, TSREC__MAGIC_SCHEMA, "tsrec_schema_field", "tsrec_schema");
    if (out_name == NULL && out_type == NULL && out_flags == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE,
                               "tsrec_schema_field: out_name, out_type and out_flags are all NULL");
    if (i < 0 || i >= schema->n_fields)
        return tsrec__fail_tls(TSREC_E_OUT_OF_RANGE,
                               "tsrec_schema_field: index %lld is outside 0..%lld", (long long)i,
                               (long long)schema->n_fields - 1);
    if (out_name != NULL)
        *out_name = schema->fields[i].name;
    if (out_type != NULL)
        *out_type = schema->fields[i].type;
    if (out_flags != NULL)
        *out_flags = schema->fields[i].flags;
    return TSREC_OK;
}
