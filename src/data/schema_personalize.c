/* Amazon Personalize schemas: an Avro record,
 *   {"type":"record","name":"Interactions","namespace":"...","fields":[
 *     {"name":"USER_ID","type":"string"},
 *     {"name":"GENRES","type":["null","string"],"categorical":true}, ...],
 *    "version":"1.0"}
 * Personalize accepts only flat records: primitive field types, or a union
 * of "null" with one primitive (a nullable field). */
#include <string.h>

#include "data_internal.h"
#include "json_internal.h"
#include "schema_internal.h"

#define ALLOWED_TYPES "string, int, long, float, double, boolean, or a union [\"null\", type]"

/* Primitive Avro type by name: 1 and *out set, 0 if not a supported
 * primitive. */
static int primitive(const char *t, size_t len, int32_t *out)
{
    static const struct {
        const char *name;
        int32_t type;
    } types[] = {
        {"string", TSREC_FIELD_STRING}, {"int", TSREC_FIELD_INTEGER},
        {"long", TSREC_FIELD_LONG},     {"float", TSREC_FIELD_FLOAT},
        {"double", TSREC_FIELD_DOUBLE}, {"boolean", TSREC_FIELD_BOOLEAN},
    };
    if (strlen(t) != len)
        return 0;
    for (size_t i = 0; i < TSREC__ARRAY_LEN(types); i++)
        if (strcmp(t, types[i].name) == 0) {
            *out = types[i].type;
            return 1;
        }
    return 0;
}

static int is_complex_name(const char *t)
{
    return strcmp(t, "record") == 0 || strcmp(t, "array") == 0 || strcmp(t, "map") == 0 ||
           strcmp(t, "enum") == 0 || strcmp(t, "fixed") == 0;
}

/* A type written as a JSON string, for field `name`. */
static int type_from_string(const tsrec__json *t, const char *name, tsrec__handle *eh,
                            int32_t *out)
{
    const char *tn = t->u.str.ptr;
    if (primitive(tn, t->u.str.len, out))
        return TSREC_OK;
    if (is_complex_name(tn))
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: field \"%s\" has type \"%s\": nested types "
                           "(record, array, map, enum, fixed) are not supported, schemas are flat",
                           name, tn);
    if (strcmp(tn, "null") == 0)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: field \"%s\" has type \"null\" alone; use a union "
                           "[\"null\", type] for a nullable field", name);
    return tsrec__fail(eh, TSREC_E_SCHEMA,
                       "Personalize schema: field \"%s\" has unknown type \"%.40s\" (allowed: "
                       ALLOWED_TYPES ")", name, tn);
}

/* The "type" of field `name`: a primitive name, a ["null", primitive]
 * union in either order, or {"type": primitive}. */
static int read_type(const tsrec__json *t, const char *name, tsrec__handle *eh, int32_t *out_type,
                     uint32_t *out_flags)
{
    *out_flags = 0;
    switch (tsrec__json_type(t)) {
    case TSREC__JSON_STRING:
        return type_from_string(t, name, eh, out_type);
    case TSREC__JSON_ARRAY: {
        int64_t n = t->u.arr.n, n_null = 0, n_other = 0;
        const tsrec__json *other = NULL;
        for (int64_t i = 0; i < n; i++) {
            const tsrec__json *m = &t->u.arr.items[i];
            if (tsrec__json_type(m) == TSREC__JSON_STRING && strcmp(m->u.str.ptr, "null") == 0) {
                n_null++;
            } else {
                n_other++;
                other = m;
            }
        }
        if (n != 2 || n_null != 1 || n_other != 1)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "Personalize schema: field \"%s\" has a union of %lld types; only "
                               "a union of \"null\" and exactly one other type is allowed",
                               name, (long long)n);
        if (tsrec__json_type(other) != TSREC__JSON_STRING)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "Personalize schema: field \"%s\" has a nested type in its union; "
                               "schemas are flat (allowed: " ALLOWED_TYPES ")", name);
        *out_flags = TSREC_FIELD_NULLABLE;
        return type_from_string(other, name, eh, out_type);
    }
    case TSREC__JSON_OBJECT: {
        const tsrec__json *inner = tsrec__json_get(t, "type");
        if (tsrec__json_len(t) == 1 && tsrec__json_type(inner) == TSREC__JSON_STRING &&
            primitive(inner->u.str.ptr, inner->u.str.len, out_type))
            return TSREC_OK;
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: field \"%s\" has a nested type (record, array or "
                           "map): schemas are flat (allowed: " ALLOWED_TYPES ")", name);
    }
    default:
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: field \"%s\" has a %s as its type (allowed: "
                           ALLOWED_TYPES ")", name, tsrec__json_type_name(tsrec__json_type(t)));
    }
}

static int avro_name_ok(const char *name, size_t len)
{
    if (len == 0 || len > TSREC__SCHEMA_AVRO_NAME_MAX || strlen(name) != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!(alpha || (i > 0 && c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}

/* Optional boolean flag `key` of a field object. */
static int read_flag(const tsrec__json *fo, const char *key, const char *name, tsrec__handle *eh,
                     int32_t *out)
{
    *out = 0;
    const tsrec__json *v = tsrec__json_get(fo, key);
    if (v == NULL)
        return TSREC_OK;
    if (tsrec__json_type(v) != TSREC__JSON_BOOL)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: field \"%s\": \"%s\" must be true or false, not %s",
                           name, key, tsrec__json_type_name(tsrec__json_type(v)));
    *out = v->u.boolean != 0;
    return TSREC_OK;
}

static int read_field(const tsrec__json *fo, int64_t i, tsrec_ctx *ctx, tsrec__handle *eh,
                      tsrec__field *f)
{
    static const char *const known[] = {"name", "type", "categorical", "textual", "doc",
                                        "default"};
    if (tsrec__json_type(fo) != TSREC__JSON_OBJECT)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: fields[%lld] must be an object, not %s",
                           (long long)i, tsrec__json_type_name(tsrec__json_type(fo)));
    for (int64_t k = 0; k < fo->u.obj.n; k++) {
        const char *key = fo->u.obj.items[k].key;
        size_t j = 0;
        while (j < TSREC__ARRAY_LEN(known) && strcmp(key, known[j]) != 0)
            j++;
        if (j == TSREC__ARRAY_LEN(known))
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "Personalize schema: fields[%lld] has unknown key \"%s\" (allowed: "
                               "name, type, categorical, textual, doc, default)",
                               (long long)i, key);
    }
    const tsrec__json *jn = tsrec__json_get(fo, "name");
    if (jn == NULL)
        return tsrec__fail(eh, TSREC_E_SCHEMA, "Personalize schema: fields[%lld] has no \"name\"",
                           (long long)i);
    const char *name = NULL;
    size_t len = 0;
    int rc = tsrec__json_as_string(jn, eh, "field name", &name, &len);
    if (rc != TSREC_OK)
        return rc;
    if (!avro_name_ok(name, len))
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: field name \"%.80s\" is invalid: it must match "
                           "^[A-Za-z_][A-Za-z0-9_]*$ with 1 to %d characters",
                           name, TSREC__SCHEMA_AVRO_NAME_MAX);
    const tsrec__json *jt = tsrec__json_get(fo, "type");
    if (jt == NULL)
        return tsrec__fail(eh, TSREC_E_SCHEMA, "Personalize schema: field \"%s\" has no \"type\"",
                           name);
    rc = read_type(jt, name, eh, &f->type, &f->flags);
    if (rc != TSREC_OK)
        return rc;
    int32_t categorical = 0, textual = 0;
    if ((rc = read_flag(fo, "categorical", name, eh, &categorical)) != TSREC_OK ||
        (rc = read_flag(fo, "textual", name, eh, &textual)) != TSREC_OK)
        return rc;
    if (categorical && textual)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: field \"%s\" is both categorical and textual; "
                           "choose one", name);
    if ((categorical || textual) && f->type != TSREC_FIELD_STRING)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: field \"%s\" is %s but of type %s; only string "
                           "fields can be categorical or textual",
                           name, categorical ? "categorical" : "textual",
                           tsrec__field_type_name(TSREC_SERVICE_PERSONALIZE, f->type));
    if (categorical)
        f->flags |= TSREC_FIELD_CATEGORICAL;
    if (textual)
        f->flags |= TSREC_FIELD_TEXTUAL;
    f->name = tsrec__strdup(ctx, name);
    if (f->name == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "Personalize schema: out of memory");
    return TSREC_OK;
}

/* Personalize requires names to stay unique once everything but letters
 * and digits is dropped (GENRES_FIELD_1 and GENRESFIELD1 clash). */
static int same_alnum(const char *a, const char *b)
{
    for (;;) {
        while (*a && !((*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z') ||
                       (*a >= '0' && *a <= '9')))
            a++;
        while (*b && !((*b >= 'a' && *b <= 'z') || (*b >= 'A' && *b <= 'Z') ||
                       (*b >= '0' && *b <= '9')))
            b++;
        if (*a != *b)
            return 0;
        if (*a == 0)
            return 1;
        a++;
        b++;
    }
}

static int check_record(const tsrec__json *root, tsrec__handle *eh)
{
    static const char *const known[] = {"type", "name", "namespace", "fields", "version", "doc"};
    if (tsrec__json_type(root) != TSREC__JSON_OBJECT)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: expected an Avro record object, not %s",
                           tsrec__json_type_name(tsrec__json_type(root)));
    for (int64_t k = 0; k < root->u.obj.n; k++) {
        const char *key = root->u.obj.items[k].key;
        size_t j = 0;
        while (j < TSREC__ARRAY_LEN(known) && strcmp(key, known[j]) != 0)
            j++;
        if (j == TSREC__ARRAY_LEN(known))
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "Personalize schema: unknown key \"%s\" (allowed: type, name, "
                               "namespace, fields, version, doc)", key);
    }
    const tsrec__json *t = tsrec__json_get(root, "type");
    if (tsrec__json_type(t) != TSREC__JSON_STRING || strcmp(t->u.str.ptr, "record") != 0)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: \"type\" must be \"record\"");
    const tsrec__json *nm = tsrec__json_get(root, "name");
    if (tsrec__json_type(nm) != TSREC__JSON_STRING || !avro_name_ok(nm->u.str.ptr, nm->u.str.len))
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: the record needs a \"name\" matching "
                           "^[A-Za-z_][A-Za-z0-9_]*$");
    const char *opt[] = {"namespace", "version", "doc"};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(opt); i++) {
        const tsrec__json *v = tsrec__json_get(root, opt[i]);
        if (v != NULL && tsrec__json_type(v) != TSREC__JSON_STRING)
            return tsrec__fail(eh, TSREC_E_SCHEMA, "Personalize schema: \"%s\" must be a string",
                               opt[i]);
    }
    const tsrec__json *fields = tsrec__json_get(root, "fields");
    if (fields == NULL)
        return tsrec__fail(eh, TSREC_E_SCHEMA, "Personalize schema: \"fields\" is missing");
    if (tsrec__json_type(fields) != TSREC__JSON_ARRAY)
        return tsrec__fail(eh, TSREC_E_SCHEMA, "Personalize schema: \"fields\" must be an array");
    if (fields->u.arr.n < 1 || fields->u.arr.n > TSREC__SCHEMA_AVRO_MAX_FIELDS)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Personalize schema: \"fields\" has %lld fields; 1 to %d are allowed",
                           (long long)fields->u.arr.n, TSREC__SCHEMA_AVRO_MAX_FIELDS);
    return TSREC_OK;
}

int tsrec__schema_from_avro_json(const tsrec__json *root, tsrec_ctx *ctx, tsrec__handle *eh,
                                 tsrec_schema **out)
{
    *out = NULL;
    int rc = check_record(root, eh);
    if (rc != TSREC_OK)
        return rc;
    const tsrec__json *fields = tsrec__json_get(root, "fields");
    int64_t n = fields->u.arr.n;
    tsrec_schema *s = tsrec__schema_alloc(ctx, TSREC_SERVICE_PERSONALIZE, n);
    if (s == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "Personalize schema: out of memory");
    for (int64_t i = 0; i < n; i++) {
        rc = read_field(&fields->u.arr.items[i], i, ctx, eh, &s->fields[i]);
        for (int64_t j = 0; rc == TSREC_OK && j < i; j++) {
            const char *a = s->fields[j].name, *b = s->fields[i].name;
            if (strcmp(a, b) == 0)
                rc = tsrec__fail(eh, TSREC_E_DUPLICATE,
                                 "Personalize schema: field \"%s\" appears twice", b);
            else if (same_alnum(a, b))
                rc = tsrec__fail(eh, TSREC_E_DUPLICATE,
                                 "Personalize schema: fields \"%s\" and \"%s\" clash: names must "
                                 "be unique after removing non-alphanumeric characters", a, b);
        }
        if (rc != TSREC_OK) {
            tsrec__schema_destroy(s);
            return rc;
        }
    }
    *out = s;
    return TSREC_OK;
}
