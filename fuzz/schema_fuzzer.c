/* Fuzz target for the schema parsers (Forecast JSON and Personalize Avro)
 * through the public API. The first byte picks the service (0 Forecast,
 * 1 Personalize, 2 an unknown service that must be refused), the rest is
 * the schema text.
 *
 * A schema that parses must have sane fields (names non-empty and unique,
 * types and flags of its service); it is written back as JSON from the
 * field accessors alone, and that text must parse to the same fields.
 * It is then offered to every dataset type of its service, which either
 * accepts it or refuses it with a message. A schema that does not parse
 * leaves *out NULL and explains why. Nothing may leak. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A growable text buffer (malloc is fine here: this is the harness). */
typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *p = realloc(t->p, cap);
        if (p == NULL)
            abort();
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void puts_(text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* A JSON string literal (names are validated identifiers, but escape
 * anyway so the harness never builds invalid JSON). */
static void put_json_string(text *t, const char *s)
{
    puts_(t, "\"");
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\' || c < 0x20) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_(t, esc);
        } else {
            put(t, s, 1);
        }
    }
    puts_(t, "\"");
}

static const char *forecast_type(int32_t type)
{
    switch (type) {
    case TSREC_FIELD_STRING: return "string";
    case TSREC_FIELD_INTEGER: return "integer";
    case TSREC_FIELD_FLOAT: return "float";
    case TSREC_FIELD_TIMESTAMP: return "timestamp";
    case TSREC_FIELD_GEOLOCATION: return "geolocation";
    default: return NULL;
    }
}

static const char *avro_type(int32_t type)
{
    switch (type) {
    case TSREC_FIELD_STRING: return "string";
    case TSREC_FIELD_INTEGER: return "int";
    case TSREC_FIELD_LONG: return "long";
    case TSREC_FIELD_FLOAT: return "float";
    case TSREC_FIELD_DOUBLE: return "double";
    case TSREC_FIELD_BOOLEAN: return "boolean";
    default: return NULL;
    }
}

/* The schema written back from its accessors. */
static void write_schema(const tsrec_schema *s, int32_t service, text *t)
{
    int64_t n = 0;
    if (tsrec_schema_field_count(s, &n) != TSREC_OK || n < 1)
        abort();
    puts_(t, service == TSREC_SERVICE_FORECAST ? "{\"Attributes\":["
                                               : "{\"type\":\"record\",\"name\":\"R\",\"fields\":[");
    for (int64_t i = 0; i < n; i++) {
        const char *name = NULL;
        int32_t type = 0;
        uint32_t flags = 0;
        if (tsrec_schema_field(s, i, &name, &type, &flags) != TSREC_OK || name == NULL)
            abort();
        if (i > 0)
            puts_(t, ",");
        if (service == TSREC_SERVICE_FORECAST) {
            const char *tn = forecast_type(type);
            if (tn == NULL || flags != 0)
                abort();
            puts_(t, "{\"AttributeName\":");
            put_json_string(t, name);
            puts_(t, ",\"AttributeType\":\"");
            puts_(t, tn);
            puts_(t, "\"}");
        } else {
            const char *tn = avro_type(type);
            if (tn == NULL || (flags & ~(uint32_t)(TSREC_FIELD_NULLABLE | TSREC_FIELD_CATEGORICAL |
                                                   TSREC_FIELD_TEXTUAL)) != 0)
                abort();
            puts_(t, "{\"name\":");
            put_json_string(t, name);
            puts_(t, ",\"type\":");
            if (flags & TSREC_FIELD_NULLABLE) {
                puts_(t, "[\"null\",\"");
                puts_(t, tn);
                puts_(t, "\"]");
            } else {
                puts_(t, "\"");
                puts_(t, tn);
                puts_(t, "\"");
            }
            if (flags & TSREC_FIELD_CATEGORICAL)
                puts_(t, ",\"categorical\":true");
            if (flags & TSREC_FIELD_TEXTUAL)
                puts_(t, ",\"textual\":true");
            puts_(t, "}");
        }
    }
    puts_(t, "]}");
}

static void check_fields(const tsrec_schema *s)
{
    int64_t n = 0;
    if (tsrec_schema_field_count(s, &n) != TSREC_OK || n < 1)
        abort();
    for (int64_t i = 0; i < n; i++) {
        const char *a = NULL;
        if (tsrec_schema_field(s, i, &a, NULL, NULL) != TSREC_OK || a == NULL || a[0] == '\0')
            abort();
        for (int64_t j = 0; j < i; j++) {
            const char *b = NULL;
            if (tsrec_schema_field(s, j, &b, NULL, NULL) != TSREC_OK || strcmp(a, b) == 0)
                abort();
        }
    }
    const char *name = NULL;
    if (tsrec_schema_field(s, n, &name, NULL, NULL) == TSREC_OK ||
        tsrec_schema_field(s, -1, &name, NULL, NULL) == TSREC_OK)
        abort();
}

static void same_fields(const tsrec_schema *a, const tsrec_schema *b)
{
    int64_t na = 0, nb = 0;
    if (tsrec_schema_field_count(a, &na) != TSREC_OK ||
        tsrec_schema_field_count(b, &nb) != TSREC_OK || na != nb)
        abort();
    for (int64_t i = 0; i < na; i++) {
        const char *x = NULL, *y = NULL;
        int32_t tx = 0, ty = 0;
        uint32_t fx = 0, fy = 0;
        if (tsrec_schema_field(a, i, &x, &tx, &fx) != TSREC_OK ||
            tsrec_schema_field(b, i, &y, &ty, &fy) != TSREC_OK || strcmp(x, y) != 0 ||
            tx != ty || fx != fy)
            abort();
    }
}

/* Offer the schema to every dataset type of its service. */
static void try_datasets(tsrec_ctx *ctx, int32_t service, const tsrec_schema *s)
{
    static const char *const forecast[] = {"TARGET_TIME_SERIES", "RELATED_TIME_SERIES",
                                           "ITEM_METADATA"};
    static const char *const personalize[] = {"Interactions", "Users", "Items"};
    tsrec_dataset_group *g = NULL;
    int p = service == TSREC_SERVICE_PERSONALIZE;
    if (tsrec_dataset_group_new(ctx, "fuzz", service, p ? NULL : "CUSTOM", &g) != TSREC_OK)
        abort();
    for (int k = 0; k < 3; k++) {
        const char *type = p ? personalize[k] : forecast[k];
        const char *freq = !p && k < 2 ? "D" : NULL;
        char name[16];
        snprintf(name, sizeof name, "ds%d", k);
        tsrec_dataset *ds = NULL;
        int rc = tsrec_dataset_group_create_dataset(g, name, type, s, freq, &ds);
        if (rc == TSREC_OK) {
            int64_t rows = -1;
            if (ds == NULL || tsrec_dataset_row_count(ds, &rows) != TSREC_OK || rows != 0)
                abort();
        } else if (ds != NULL || rc == TSREC_E_NOMEM || tsrec_errmsg(g)[0] == '\0') {
            abort();
        }
    }
    tsrec_dataset_group_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    tsrec_ctx *ctx = fuzz_ctx_new();
    int32_t service = data[0] % 3 == 0   ? TSREC_SERVICE_FORECAST
                      : data[0] % 3 == 1 ? TSREC_SERVICE_PERSONALIZE
                                         : 3 + data[0];
    const char *json = (const char *)data + 1;
    size_t len = size - 1;
    tsrec_schema *s = (tsrec_schema *)&s; /* must be overwritten */
    int rc = tsrec_schema_parse(ctx, service, json, len, &s);
    if (service != TSREC_SERVICE_FORECAST && service != TSREC_SERVICE_PERSONALIZE) {
        if (rc == TSREC_OK || s != NULL)
            abort();
    } else if (rc == TSREC_OK) {
        if (s == NULL)
            abort();
        check_fields(s);
        text t = {NULL, 0, 0};
        write_schema(s, service, &t);
        tsrec_schema *s2 = NULL;
        if (tsrec_schema_parse(ctx, service, t.p, t.len, &s2) != TSREC_OK)
            abort();
        same_fields(s, s2);
        tsrec_schema_free(s2);
        free(t.p);
        try_datasets(ctx, service, s);
        tsrec_schema_free(s);
    } else if (s != NULL || rc == TSREC_E_NOMEM || tsrec_errmsg(ctx)[0] == '\0') {
        abort();
    }
    fuzz_ctx_free(ctx);
    return 0;
}
