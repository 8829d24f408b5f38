/* Does a schema suit a dataset type of a domain? The rules of
 * aws-surface.md A2.1/A2.2 (Forecast) and B2.1/B2.2 (Personalize), each
 * refusal naming the field and the rule. Also decides every field's role. */
#include <string.h>

#include "domains_internal.h"
#include "schema_internal.h"

#define MAX_DOMAIN_FIELDS 16

static const char *ftype(int32_t service, int32_t t)
{
    return tsrec__field_type_name(service, t);
}

/* ---- Forecast ------------------------------------------------------------ */

static int forecast_quota(int32_t ds_type)
{
    return ds_type == TSREC__DS_TARGET_TIME_SERIES    ? TSREC__TTS_MAX_FIELDS
           : ds_type == TSREC__DS_RELATED_TIME_SERIES ? TSREC__RTS_MAX_FIELDS
                                                      : TSREC__IM_MAX_FIELDS;
}

/* A field the domain does not name: its role, or a refusal. */
static int forecast_extra_field(int32_t domain, int32_t ds_type, const tsrec__field *f,
                                tsrec__handle *eh, int32_t *role)
{
    const char *dsn = tsrec__dataset_type_name(ds_type);
    const char *tn = ftype(TSREC_SERVICE_FORECAST, f->type);
    if (tsrec__forecast_reserved_name(f->name))
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "field \"%s\": \"%s\" is a reserved field name in Amazon Forecast; "
                           "rename it", f->name, f->name);
    switch (ds_type) {
    case TSREC__DS_TARGET_TIME_SERIES:
        if (f->type == TSREC_FIELD_STRING || f->type == TSREC_FIELD_GEOLOCATION) {
            *role = TSREC__ROLE_DIMENSION;
            return TSREC_OK;
        }
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "field \"%s\" (%s): extra TARGET_TIME_SERIES fields are forecast "
                           "dimensions and must be string; put numeric features in a "
                           "RELATED_TIME_SERIES dataset", f->name, tn);
    case TSREC__DS_RELATED_TIME_SERIES: {
        tsrec__domain_field tf[MAX_DOMAIN_FIELDS];
        int64_t n = tsrec__domain_fields(domain, TSREC__DS_TARGET_TIME_SERIES, tf,
                                         MAX_DOMAIN_FIELDS);
        for (int64_t i = 0; i < n && i < MAX_DOMAIN_FIELDS; i++)
            if (tf[i].role == TSREC__ROLE_TARGET && strcmp(tf[i].name, f->name) == 0)
                return tsrec__fail(eh, TSREC_E_SCHEMA,
                                   "field \"%s\": a RELATED_TIME_SERIES dataset may not contain "
                                   "the target field of the %s domain", f->name,
                                   tsrec__domain_name(domain));
        if (f->type == TSREC_FIELD_STRING || f->type == TSREC_FIELD_GEOLOCATION) {
            *role = TSREC__ROLE_DIMENSION;
            return TSREC_OK;
        }
        if (f->type == TSREC_FIELD_INTEGER || f->type == TSREC_FIELD_FLOAT) {
            *role = TSREC__ROLE_OTHER;
            return TSREC_OK;
        }
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "field \"%s\" (%s): RELATED_TIME_SERIES features must be numeric "
                           "(integer or float); only the timestamp field may be a timestamp",
                           f->name, tn);
    }
    default:
        if (f->type == TSREC_FIELD_STRING) {
            *role = TSREC__ROLE_OTHER;
            return TSREC_OK;
        }
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "field \"%s\" (%s): %s features must be string", f->name, tn, dsn);
    }
}

static int forecast_check(int32_t domain, int32_t ds_type, const tsrec_schema *s,
                          tsrec__handle *eh, int32_t *roles)
{
    const char *dsn = tsrec__dataset_type_name(ds_type);
    const char *dn = tsrec__domain_name(domain);
    int quota = forecast_quota(ds_type);
    if (s->n_fields > quota)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "schema has %lld fields; a dataset of type %s allows at most %d columns",
                           (long long)s->n_fields, dsn, quota);
    tsrec__domain_field df[MAX_DOMAIN_FIELDS];
    int64_t n_df = tsrec__domain_fields(domain, ds_type, df, MAX_DOMAIN_FIELDS);
    if (n_df > MAX_DOMAIN_FIELDS)
        n_df = MAX_DOMAIN_FIELDS;
    for (int64_t i = 0; i < s->n_fields; i++)
        roles[i] = -1;
    for (int64_t k = 0; k < n_df; k++) {
        int64_t i = tsrec__schema_find(s, df[k].name);
        if (i < 0) {
            if (df[k].required)
                return tsrec__fail(eh, TSREC_E_SCHEMA,
                                   "missing required field \"%s\" (%s) for a dataset of type %s in the "
                                   "%s domain", df[k].name,
                                   ftype(TSREC_SERVICE_FORECAST, df[k].type), dsn, dn);
            continue;
        }
        int32_t t = s->fields[i].type;
        if (t != df[k].type && (df[k].alt_type == 0 || t != df[k].alt_type)) {
            if (df[k].alt_type != 0)
                return tsrec__fail(eh, TSREC_E_SCHEMA,
                                   "field \"%s\" must be of type %s or %s in a dataset of type %s in the "
                                   "%s domain, not %s", df[k].name,
                                   ftype(TSREC_SERVICE_FORECAST, df[k].type),
                                   ftype(TSREC_SERVICE_FORECAST, df[k].alt_type), dsn, dn,
                                   ftype(TSREC_SERVICE_FORECAST, t));
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "field \"%s\" must be of type %s in a dataset of type %s in the %s "
                               "domain, not %s", df[k].name,
                               ftype(TSREC_SERVICE_FORECAST, df[k].type), dsn, dn,
                               ftype(TSREC_SERVICE_FORECAST, t));
        }
        roles[i] = df[k].role;
    }
    int64_t n_dims = 0;
    for (int64_t i = 0; i < s->n_fields; i++) {
        if (roles[i] < 0) {
            int rc = forecast_extra_field(domain, ds_type, &s->fields[i], eh, &roles[i]);
            if (rc != TSREC_OK)
                return rc;
        }
        if (roles[i] == TSREC__ROLE_DIMENSION && ++n_dims > TSREC__MAX_DIMENSIONS)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "field \"%s\": a dataset of type %s allows at most %d string dimension "
                               "fields", s->fields[i].name, dsn, TSREC__MAX_DIMENSIONS);
    }
    return TSREC_OK;
}

/* ---- Personalize ----------------------------------------------------------- */

/* Reserved fields of a Personalize dataset type; may_be_null: the field
 * may be a ["null", type] union. */
typedef struct {
    const char *name;
    int32_t type;
    int32_t role;
    int32_t required;
    int32_t may_be_null;
} p_field;

static const p_field interactions_fields[] = {
    {"USER_ID", TSREC_FIELD_STRING, TSREC__ROLE_USER_ID, 1, 0},
    {"ITEM_ID", TSREC_FIELD_STRING, TSREC__ROLE_ITEM_ID, 1, 0},
    {"TIMESTAMP", TSREC_FIELD_LONG, TSREC__ROLE_TIMESTAMP, 1, 0},
    {"EVENT_TYPE", TSREC_FIELD_STRING, TSREC__ROLE_EVENT_TYPE, 0, 0},
    {"EVENT_VALUE", TSREC_FIELD_FLOAT, TSREC__ROLE_EVENT_VALUE, 0, 1},
    {"IMPRESSION", TSREC_FIELD_STRING, TSREC__ROLE_IMPRESSION, 0, 1},
    {"RECOMMENDATION_ID", TSREC_FIELD_STRING, TSREC__ROLE_RECOMMENDATION_ID, 0, 1},
    {"EVENT_ATTRIBUTION_SOURCE", TSREC_FIELD_STRING, TSREC__ROLE_EVENT_ATTRIBUTION_SOURCE, 0, 1},
};
static const p_field users_fields[] = {
    {"USER_ID", TSREC_FIELD_STRING, TSREC__ROLE_USER_ID, 1, 0},
};
static const p_field items_fields[] = {
    {"ITEM_ID", TSREC_FIELD_STRING, TSREC__ROLE_ITEM_ID, 1, 0},
    {"CREATION_TIMESTAMP", TSREC_FIELD_LONG, TSREC__ROLE_CREATION_TIMESTAMP, 0, 0},
};

static int personalize_check(int32_t domain, int32_t ds_type, const tsrec_schema *s,
                             tsrec__handle *eh, int32_t *roles)
{
    const p_field *pf;
    size_t n_pf;
    int max_meta, min_meta;
    if (ds_type == TSREC__DS_INTERACTIONS) {
        pf = interactions_fields;
        n_pf = TSREC__ARRAY_LEN(interactions_fields);
        max_meta = TSREC__INTERACTIONS_MAX_METADATA;
        min_meta = 0;
    } else if (ds_type == TSREC__DS_USERS) {
        pf = users_fields;
        n_pf = TSREC__ARRAY_LEN(users_fields);
        max_meta = TSREC__USERS_MAX_METADATA;
        min_meta = 1;
    } else {
        pf = items_fields;
        n_pf = TSREC__ARRAY_LEN(items_fields);
        max_meta = TSREC__ITEMS_MAX_METADATA;
        min_meta = 1;
    }
    const char *dsn = tsrec__dataset_type_name(ds_type);
    for (int64_t i = 0; i < s->n_fields; i++)
        roles[i] = TSREC__ROLE_OTHER;
    for (size_t k = 0; k < n_pf; k++) {
        int64_t i = tsrec__schema_find(s, pf[k].name);
        int required = pf[k].required;
        /* Domain dataset groups need event types for their use cases. */
        if (pf[k].role == TSREC__ROLE_EVENT_TYPE && domain != TSREC__DOMAIN_NONE)
            required = 1;
        if (i < 0) {
            if (required) {
                if (!pf[k].required)
                    return tsrec__fail(eh, TSREC_E_SCHEMA,
                                       "missing required field \"%s\" (string): a dataset of type %s "
                                       "in the %s domain needs event types",
                                       pf[k].name, dsn, tsrec__domain_name(domain));
                return tsrec__fail(eh, TSREC_E_SCHEMA,
                                   "missing required field \"%s\" (%s) for a dataset of type %s",
                                   pf[k].name, ftype(TSREC_SERVICE_PERSONALIZE, pf[k].type), dsn);
            }
            continue;
        }
        const tsrec__field *f = &s->fields[i];
        if (f->type != pf[k].type)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "field \"%s\" must be of type %s%s in a dataset of type %s, not %s",
                               f->name, ftype(TSREC_SERVICE_PERSONALIZE, pf[k].type),
                               pf[k].may_be_null ? " (or [\"null\", type])" : "", dsn,
                               ftype(TSREC_SERVICE_PERSONALIZE, f->type));
        if ((f->flags & TSREC_FIELD_NULLABLE) && !pf[k].may_be_null)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "field \"%s\" must not be nullable: it is a required field of an "
                               "%s dataset", f->name, dsn);
        if (f->flags & (TSREC_FIELD_CATEGORICAL | TSREC_FIELD_TEXTUAL))
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "field \"%s\" is a reserved field and must not be %s", f->name,
                               (f->flags & TSREC_FIELD_CATEGORICAL) ? "categorical" : "textual");
        roles[i] = pf[k].role;
    }
    int n_meta = 0, n_textual = 0;
    for (int64_t i = 0; i < s->n_fields; i++) {
        if (roles[i] != TSREC__ROLE_OTHER)
            continue;
        const tsrec__field *f = &s->fields[i];
        n_meta++;
        if (f->flags & TSREC_FIELD_TEXTUAL) {
            if (ds_type != TSREC__DS_ITEMS)
                return tsrec__fail(eh, TSREC_E_SCHEMA,
                                   "field \"%s\" is textual: textual fields are allowed only in "
                                   "Items datasets", f->name);
            if (++n_textual > TSREC__ITEMS_MAX_TEXTUAL)
                return tsrec__fail(eh, TSREC_E_SCHEMA,
                                   "field \"%s\" is textual: an Items dataset allows at most %d "
                                   "textual field", f->name, TSREC__ITEMS_MAX_TEXTUAL);
        }
        if (n_meta > max_meta)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "field \"%s\": a dataset of type %s allows at most %d metadata fields",
                               f->name, dsn, max_meta);
    }
    if (n_meta < min_meta)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "a dataset of type %s needs at least %d metadata field besides %s",
                           dsn, min_meta, ds_type == TSREC__DS_USERS ? "USER_ID" : "ITEM_ID");
    return TSREC_OK;
}

int tsrec__dataset_schema_check(int32_t service, int32_t domain, int32_t ds_type,
                                const tsrec_schema *schema, tsrec__handle *eh,
                                int32_t *out_roles)
{
    if (schema == NULL || out_roles == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "schema check: NULL schema or roles");
    if (schema->service != service)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "the schema is a %s schema but the dataset group is for %s",
                           schema->service == TSREC_SERVICE_FORECAST ? "Forecast" : "Personalize",
                           service == TSREC_SERVICE_FORECAST ? "Forecast" : "Personalize");
    int forecast_type = ds_type == TSREC__DS_TARGET_TIME_SERIES ||
                        ds_type == TSREC__DS_RELATED_TIME_SERIES ||
                        ds_type == TSREC__DS_ITEM_METADATA;
    int personalize_type = ds_type == TSREC__DS_INTERACTIONS || ds_type == TSREC__DS_USERS ||
                           ds_type == TSREC__DS_ITEMS;
    if (service == TSREC_SERVICE_FORECAST && forecast_type &&
        tsrec__domain_name(domain) != NULL && domain <= TSREC__DOMAIN_METRICS)
        return forecast_check(domain, ds_type, schema, eh, out_roles);
    if (service == TSREC_SERVICE_PERSONALIZE && personalize_type &&
        (domain == TSREC__DOMAIN_NONE || domain == TSREC__DOMAIN_ECOMMERCE ||
         domain == TSREC__DOMAIN_VIDEO_ON_DEMAND))
        return personalize_check(domain, ds_type, schema, eh, out_roles);
    return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                       "schema check: dataset type %d or domain %d does not belong to service %d",
                       (int)ds_type, (int)domain, (int)service);
}
