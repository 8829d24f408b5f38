/* Domains and dataset types: names, parsing, and the table of the fields
 * each domain names per dataset type (aws-surface.md A2.1 for Forecast;
 * Personalize's reserved fields from B2.2 live in dataset_rules.c since
 * they are the same for every domain). */
#include <string.h>

#include "domains_internal.h"
#include "schema_internal.h"

static const struct {
    int32_t code;
    int32_t service;
    const char *name;
} domains[] = {
    {TSREC__DOMAIN_RETAIL, TSREC_SERVICE_FORECAST, "RETAIL"},
    {TSREC__DOMAIN_CUSTOM, TSREC_SERVICE_FORECAST, "CUSTOM"},
    {TSREC__DOMAIN_INVENTORY_PLANNING, TSREC_SERVICE_FORECAST, "INVENTORY_PLANNING"},
    {TSREC__DOMAIN_EC2_CAPACITY, TSREC_SERVICE_FORECAST, "EC2_CAPACITY"},
    {TSREC__DOMAIN_WORK_FORCE, TSREC_SERVICE_FORECAST, "WORK_FORCE"},
    {TSREC__DOMAIN_WEB_TRAFFIC, TSREC_SERVICE_FORECAST, "WEB_TRAFFIC"},
    {TSREC__DOMAIN_METRICS, TSREC_SERVICE_FORECAST, "METRICS"},
    {TSREC__DOMAIN_ECOMMERCE, TSREC_SERVICE_PERSONALIZE, "ECOMMERCE"},
    {TSREC__DOMAIN_VIDEO_ON_DEMAND, TSREC_SERVICE_PERSONALIZE, "VIDEO_ON_DEMAND"},
};

static const struct {
    int32_t code;
    int32_t service;
    const char *name;
} ds_types[] = {
    {TSREC__DS_TARGET_TIME_SERIES, TSREC_SERVICE_FORECAST, "TARGET_TIME_SERIES"},
    {TSREC__DS_RELATED_TIME_SERIES, TSREC_SERVICE_FORECAST, "RELATED_TIME_SERIES"},
    {TSREC__DS_ITEM_METADATA, TSREC_SERVICE_FORECAST, "ITEM_METADATA"},
    {TSREC__DS_INTERACTIONS, TSREC_SERVICE_PERSONALIZE, "Interactions"},
    {TSREC__DS_USERS, TSREC_SERVICE_PERSONALIZE, "Users"},
    {TSREC__DS_ITEMS, TSREC_SERVICE_PERSONALIZE, "Items"},
};

int tsrec__domain_parse(int32_t service, const char *name, int32_t *out, tsrec__handle *eh)
{
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "domain: NULL output");
    *out = TSREC__DOMAIN_NONE;
    if (service == TSREC_SERVICE_PERSONALIZE && name == NULL)
        return TSREC_OK;
    if (service == TSREC_SERVICE_FORECAST && name == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "domain: Forecast dataset groups need a domain (RETAIL, CUSTOM, "
                           "INVENTORY_PLANNING, EC2_CAPACITY, WORK_FORCE, WEB_TRAFFIC, METRICS)");
    if (service != TSREC_SERVICE_FORECAST && service != TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "domain: unknown service %d", (int)service);
    for (size_t i = 0; i < TSREC__ARRAY_LEN(domains); i++)
        if (domains[i].service == service && strcmp(domains[i].name, name) == 0) {
            *out = domains[i].code;
            return TSREC_OK;
        }
    if (service == TSREC_SERVICE_FORECAST)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "domain: unknown Forecast domain \"%.64s\" (valid: RETAIL, CUSTOM, "
                           "INVENTORY_PLANNING, EC2_CAPACITY, WORK_FORCE, WEB_TRAFFIC, METRICS)",
                           name);
    return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                       "domain: unknown Personalize domain \"%.64s\" (valid: ECOMMERCE, "
                       "VIDEO_ON_DEMAND, or NULL for a custom dataset group)", name);
}

const char *tsrec__domain_name(int32_t domain)
{
    for (size_t i = 0; i < TSREC__ARRAY_LEN(domains); i++)
        if (domains[i].code == domain)
            return domains[i].name;
    return NULL;
}

int tsrec__dataset_type_parse(int32_t service, const char *name, int32_t *out,
                              tsrec__handle *eh)
{
    if (out == NULL || name == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dataset type: NULL %s",
                           out == NULL ? "output" : "dataset type");
    *out = 0;
    for (size_t i = 0; i < TSREC__ARRAY_LEN(ds_types); i++) {
        if (ds_types[i].service != service)
            continue;
        int match = service == TSREC_SERVICE_FORECAST
                        ? strcmp(ds_types[i].name, name) == 0
                        : tsrec__name_eq_nocase(ds_types[i].name, name);
        if (match) {
            *out = ds_types[i].code;
            return TSREC_OK;
        }
    }
    if (service == TSREC_SERVICE_FORECAST)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "dataset type: unknown Forecast dataset type \"%.64s\" (valid: "
                           "TARGET_TIME_SERIES, RELATED_TIME_SERIES, ITEM_METADATA)", name);
    if (service == TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "dataset type: unknown Personalize dataset type \"%.64s\" (valid: "
                           "Interactions, Users, Items)", name);
    return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dataset type: unknown service %d", (int)service);
}

const char *tsrec__dataset_type_name(int32_t ds_type)
{
    for (size_t i = 0; i < TSREC__ARRAY_LEN(ds_types); i++)
        if (ds_types[i].code == ds_type)
            return ds_types[i].name;
    return "?";
}

int tsrec__dataset_type_slot(int32_t ds_type)
{
    switch (ds_type) {
    case TSREC__DS_TARGET_TIME_SERIES:
    case TSREC__DS_INTERACTIONS:
        return 0;
    case TSREC__DS_RELATED_TIME_SERIES:
    case TSREC__DS_USERS:
        return 1;
    case TSREC__DS_ITEM_METADATA:
    case TSREC__DS_ITEMS:
        return 2;
    default:
        return -1;
    }
}

/* ---- Forecast domain table (aws-surface.md A2.1) ------------------------ */

/* A suggested (optional) field with its type. */
typedef struct {
    const char *name;
    int32_t type;
} suggested;

#define MAX_SUGGESTED 5

typedef struct {
    int32_t domain;
    const char *id;          /* the item identifier field (string) */
    const char *target;      /* the TTS target */
    int32_t target_type;     /* TSREC_FIELD_FLOAT or _INTEGER */
    int32_t has_location;    /* optional "location" dimension in TTS/RTS */
    suggested rts[MAX_SUGGESTED];
    suggested im[MAX_SUGGESTED];
} forecast_domain;

static const forecast_domain forecast_domains[] = {
    {TSREC__DOMAIN_RETAIL, "item_id", "demand", TSREC_FIELD_FLOAT, 1,
     {{"price", TSREC_FIELD_FLOAT}, {"promotion_applied", TSREC_FIELD_INTEGER}},
     {{"category", TSREC_FIELD_STRING}, {"brand", TSREC_FIELD_STRING},
      {"color", TSREC_FIELD_STRING}, {"genre", TSREC_FIELD_STRING}}},
    {TSREC__DOMAIN_CUSTOM, "item_id", "target_value", TSREC_FIELD_FLOAT, 0,
     {{NULL, 0}},
     {{"category", TSREC_FIELD_STRING}}},
    {TSREC__DOMAIN_INVENTORY_PLANNING, "item_id", "demand", TSREC_FIELD_FLOAT, 1,
     {{"price", TSREC_FIELD_FLOAT}},
     {{"category", TSREC_FIELD_STRING}, {"brand", TSREC_FIELD_STRING},
      {"lead_time", TSREC_FIELD_STRING}, {"order_cycle", TSREC_FIELD_STRING},
      {"safety_stock", TSREC_FIELD_STRING}}},
    {TSREC__DOMAIN_EC2_CAPACITY, "instance_type", "number_of_instances", TSREC_FIELD_INTEGER, 1,
     {{NULL, 0}},
     {{NULL, 0}}},
    {TSREC__DOMAIN_WORK_FORCE, "workforce_type", "workforce_demand", TSREC_FIELD_FLOAT, 1,
     {{NULL, 0}},
     {{"wages", TSREC_FIELD_FLOAT}, {"shift_length", TSREC_FIELD_STRING},
      {"location", TSREC_FIELD_STRING}}},
    {TSREC__DOMAIN_WEB_TRAFFIC, "item_id", "value", TSREC_FIELD_FLOAT, 0,
     {{NULL, 0}},
     {{"category", TSREC_FIELD_STRING}}},
    {TSREC__DOMAIN_METRICS, "metric_name", "metric_value", TSREC_FIELD_FLOAT, 0,
     {{NULL, 0}},
     {{"category", TSREC_FIELD_STRING}}},
};

static int64_t put(tsrec__domain_field *out, int64_t cap, int64_t n, const char *name,
                   int32_t type, int32_t alt_type, int32_t role, int32_t required)
{
    if (n < cap) {
        out[n].name = name;
        out[n].type = type;
        out[n].alt_type = alt_type;
        out[n].role = role;
        out[n].required = required;
    }
    return n + 1;
}

int64_t tsrec__domain_fields(int32_t domain, int32_t ds_type, tsrec__domain_field *out,
                             int64_t cap)
{
    const forecast_domain *d = NULL;
    for (size_t i = 0; i < TSREC__ARRAY_LEN(forecast_domains); i++)
        if (forecast_domains[i].domain == domain)
            d = &forecast_domains[i];
    if (d == NULL || (out == NULL && cap > 0))
        return 0;
    int64_t n = 0;
    /* location may be a plain string dimension or, for the weather index,
     * a geolocation attribute. */
    switch (ds_type) {
    case TSREC__DS_TARGET_TIME_SERIES:
        n = put(out, cap, n, d->id, TSREC_FIELD_STRING, 0, TSREC__ROLE_ITEM_ID, 1);
        n = put(out, cap, n, "timestamp", TSREC_FIELD_TIMESTAMP, 0, TSREC__ROLE_TIMESTAMP, 1);
        /* A float target also takes integer data, as Forecast does. */
        n = put(out, cap, n, d->target, d->target_type,
                d->target_type == TSREC_FIELD_FLOAT ? TSREC_FIELD_INTEGER : 0,
                TSREC__ROLE_TARGET, 1);
        if (d->has_location)
            n = put(out, cap, n, "location", TSREC_FIELD_STRING, TSREC_FIELD_GEOLOCATION,
                    TSREC__ROLE_DIMENSION, 0);
        break;
    case TSREC__DS_RELATED_TIME_SERIES:
        n = put(out, cap, n, d->id, TSREC_FIELD_STRING, 0, TSREC__ROLE_ITEM_ID, 1);
        n = put(out, cap, n, "timestamp", TSREC_FIELD_TIMESTAMP, 0, TSREC__ROLE_TIMESTAMP, 1);
        if (d->has_location)
            n = put(out, cap, n, "location", TSREC_FIELD_STRING, TSREC_FIELD_GEOLOCATION,
                    TSREC__ROLE_DIMENSION, 0);
        for (int i = 0; i < MAX_SUGGESTED && d->rts[i].name != NULL; i++)
            n = put(out, cap, n, d->rts[i].name, d->rts[i].type,
                    d->rts[i].type == TSREC_FIELD_FLOAT ? TSREC_FIELD_INTEGER : 0,
                    TSREC__ROLE_OTHER, 0);
        break;
    case TSREC__DS_ITEM_METADATA:
        n = put(out, cap, n, d->id, TSREC_FIELD_STRING, 0, TSREC__ROLE_ITEM_ID, 1);
        for (int i = 0; i < MAX_SUGGESTED && d->im[i].name != NULL; i++)
            n = put(out, cap, n, d->im[i].name, d->im[i].type,
                    d->im[i].type == TSREC_FIELD_FLOAT ? TSREC_FIELD_INTEGER : 0,
                    TSREC__ROLE_OTHER, 0);
        break;
    default:
        break;
    }
    return n;
}
