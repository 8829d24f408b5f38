/* Amazon Forecast schemas: {"Attributes":[{"AttributeName":"item_id",
 * "AttributeType":"string"}, ...]} as CreateDataset takes them. The
 * attribute order is the CSV column order, so it is kept as written. */
#include <string.h>

#include "data_internal.h"
#include "json_internal.h"
#include "schema_internal.h"

#define ALLOWED_TYPES "string, integer, float, timestamp, geolocation"

static int parse_type(const char *t, int32_t *out)
{
    static const struct {
        const char *name;
        int32_t type;
    } types[] = {
        {"string", TSREC_FIELD_STRING},       {"integer", TSREC_FIELD_INTEGER},
        {"float", TSREC_FIELD_FLOAT},         {"timestamp", TSREC_FIELD_TIMESTAMP},
        {"geolocation", TSREC_FIELD_GEOLOCATION},
    };
    for (size_t i = 0; i < TSREC__ARRAY_LEN(types); i++)
        if (strcmp(t, types[i].name) == 0) {
            *out = types[i].type;
            return 1;
        }
    return 0;
}

/* One element of "Attributes" into field f. */
static int read_attribute(const tsrec__json *a, int64_t i, tsrec_ctx *ctx, tsrec__handle *eh,
                          tsrec__field *f)
{
    if (tsrec__json_type(a) != TSREC__JSON_OBJECT)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Forecast schema: Attributes[%lld] must be an object with "
                           "AttributeName and AttributeType, not %s",
                           (long long)i, tsrec__json_type_name(tsrec__json_type(a)));
    for (int64_t k = 0; k < a->u.obj.n; k++) {
        const char *key = a->u.obj.items[k].key;
        if (strcmp(key, "AttributeName") != 0 && strcmp(key, "AttributeType") != 0)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "Forecast schema: Attributes[%lld] has unknown key \"%s\" "
                               "(allowed: AttributeName, AttributeType)",
                               (long long)i, key);
    }
    const tsrec__json *jn = tsrec__json_get(a, "AttributeName");
    const tsrec__json *jt = tsrec__json_get(a, "AttributeType");
    if (jn == NULL)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Forecast schema: Attributes[%lld] has no AttributeName", (long long)i);
    const char *name = NULL;
    size_t name_len = 0;
    int rc = tsrec__json_as_string(jn, eh, "AttributeName", &name, &name_len);
    if (rc != TSREC_OK)
        return rc;
    if (strlen(name) != name_len || !tsrec__aws_name_ok(name, name_len))
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Forecast schema: AttributeName \"%.80s\" is invalid: it must match "
                           "^[a-zA-Z][a-zA-Z0-9_]*$ with 1 to %d characters",
                           name, TSREC__SCHEMA_NAME_MAX);
    if (jt == NULL)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Forecast schema: attribute \"%s\" has no AttributeType (one of "
                           ALLOWED_TYPES ")", name);
    const char *type = NULL;
    size_t type_len = 0;
    rc = tsrec__json_as_string(jt, eh, "AttributeType", &type, &type_len);
    if (rc != TSREC_OK)
        return rc;
    if (strlen(type) != type_len || !parse_type(type, &f->type))
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Forecast schema: attribute \"%s\" has unknown AttributeType \"%.40s\" "
                           "(allowed: " ALLOWED_TYPES ")", name, type);
    f->flags = 0;
    f->name = tsrec__strdup(ctx, name);
    if (f->name == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "Forecast schema: out of memory");
    return TSREC_OK;
}

int tsrec__schema_from_forecast_json(const tsrec__json *root, tsrec_ctx *ctx,
                                     tsrec__handle *eh, tsrec_schema **out)
{
    *out = NULL;
    if (tsrec__json_type(root) != TSREC__JSON_OBJECT)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Forecast schema: expected an object {\"Attributes\": [...]}, not %s",
                           tsrec__json_type_name(tsrec__json_type(root)));
    for (int64_t k = 0; k < root->u.obj.n; k++)
        if (strcmp(root->u.obj.items[k].key, "Attributes") != 0)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "Forecast schema: unknown key \"%s\" (only \"Attributes\" is allowed)",
                               root->u.obj.items[k].key);
    const tsrec__json *attrs = tsrec__json_get(root, "Attributes");
    if (attrs == NULL)
        return tsrec__fail(eh, TSREC_E_SCHEMA, "Forecast schema: \"Attributes\" is missing");
    if (tsrec__json_type(attrs) != TSREC__JSON_ARRAY)
        return tsrec__fail(eh, TSREC_E_SCHEMA, "Forecast schema: \"Attributes\" must be an array, not %s",
                           tsrec__json_type_name(tsrec__json_type(attrs)));
    int64_t n = attrs->u.arr.n;
    if (n < 1 || n > TSREC__SCHEMA_FORECAST_MAX_FIELDS)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Forecast schema: \"Attributes\" has %lld attributes; 1 to %d are allowed",
                           (long long)n, TSREC__SCHEMA_FORECAST_MAX_FIELDS);
    tsrec_schema *s = tsrec__schema_alloc(ctx, TSREC_SERVICE_FORECAST, n);
    if (s == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "Forecast schema: out of memory");
    for (int64_t i = 0; i < n; i++) {
        int rc = read_attribute(&attrs->u.arr.items[i], i, ctx, eh, &s->fields[i]);
        if (rc != TSREC_OK) {
            tsrec__schema_destroy(s);
            return rc;
        }
        /* Forecast treats field names without regard to case (they become
         * SQL-like columns), so "Price" and "price" collide. */
        for (int64_t j = 0; j < i; j++)
            if (tsrec__name_eq_nocase(s->fields[j].name, s->fields[i].name)) {
                int r = tsrec__fail(eh, TSREC_E_DUPLICATE,
                                    "Forecast schema: attribute \"%s\" appears twice "
                                    "(Attributes[%lld] and [%lld]; names are compared "
                                    "ignoring case)",
                                    s->fields[i].name, (long long)j, (long long)i);
                tsrec__schema_destroy(s);
                return r;
            }
    }
    *out = s;
    return TSREC_OK;
}
