/* Dataset domains, dataset types and the per-(domain, type) field rules of
 * Amazon Forecast and Amazon Personalize (aws-surface.md A2.1, A2.2, B2.1,
 * B2.2). Never installed. */
#ifndef TSREC_DOMAINS_INTERNAL_H
#define TSREC_DOMAINS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "data_internal.h"

/* Domains. 0 is a Personalize custom dataset group (no domain). */
#define TSREC__DOMAIN_NONE 0
#define TSREC__DOMAIN_RETAIL 1
#define TSREC__DOMAIN_CUSTOM 2
#define TSREC__DOMAIN_INVENTORY_PLANNING 3
#define TSREC__DOMAIN_EC2_CAPACITY 4
#define TSREC__DOMAIN_WORK_FORCE 5
#define TSREC__DOMAIN_WEB_TRAFFIC 6
#define TSREC__DOMAIN_METRICS 7
#define TSREC__DOMAIN_ECOMMERCE 8
#define TSREC__DOMAIN_VIDEO_ON_DEMAND 9

/* Column quotas (aws-surface.md A2.2, B2.2). */
#define TSREC__TTS_MAX_FIELDS 13
#define TSREC__RTS_MAX_FIELDS 25
#define TSREC__IM_MAX_FIELDS 10
#define TSREC__MAX_DIMENSIONS 10
#define TSREC__INTERACTIONS_MAX_METADATA 5
#define TSREC__USERS_MAX_METADATA 25
#define TSREC__ITEMS_MAX_METADATA 100
#define TSREC__ITEMS_MAX_TEXTUAL 1

/* Parse a domain name for a service: Forecast needs one of RETAIL, CUSTOM,
 * INVENTORY_PLANNING, EC2_CAPACITY, WORK_FORCE, WEB_TRAFFIC, METRICS;
 * Personalize takes NULL (custom, TSREC__DOMAIN_NONE), ECOMMERCE or
 * VIDEO_ON_DEMAND. Exact, case-sensitive (AWS enum values).
 * TSREC_E_UNKNOWN_NAME listing the valid names, TSREC_E_INVALID_ARG for a
 * NULL Forecast domain or an unknown service. */
int tsrec__domain_parse(int32_t service, const char *name, int32_t *out, tsrec__handle *eh);
/* AWS name of a domain; NULL for TSREC__DOMAIN_NONE and unknown codes. */
const char *tsrec__domain_name(int32_t domain);

/* Parse a dataset type for a service: TARGET_TIME_SERIES,
 * RELATED_TIME_SERIES, ITEM_METADATA (Forecast, exact) or Interactions,
 * Users, Items (Personalize, any case, as its API accepts).
 * TSREC_E_UNKNOWN_NAME listing the service's types otherwise. */
int tsrec__dataset_type_parse(int32_t service, const char *name, int32_t *out,
                              tsrec__handle *eh);
/* AWS name of a dataset type ("TARGET_TIME_SERIES", "Interactions", ...);
 * "?" if unknown. */
const char *tsrec__dataset_type_name(int32_t ds_type);
/* Index of a type in tsrec_dataset_group.datasets (0..2), -1 if unknown. */
int tsrec__dataset_type_slot(int32_t ds_type);

/* A field the domain names for a dataset type. */
typedef struct tsrec__domain_field {
    const char *name;
    int32_t type;     /* TSREC_FIELD_* it must have */
    int32_t alt_type; /* another accepted type, 0 if none */
    int32_t role;     /* TSREC__ROLE_* */
    int32_t required; /* 1 required, 0 optional/suggested */
} tsrec__domain_field;

/* The named fields of (domain, ds_type), written to out[0..cap); returns
 * how many there are (the table never has more than 16). */
int64_t tsrec__domain_fields(int32_t domain, int32_t ds_type, tsrec__domain_field *out,
                             int64_t cap);

/* 1 if name is one of Amazon Forecast's reserved field names (compared
 * ignoring case). Domain fields are exempt by the caller. */
int tsrec__forecast_reserved_name(const char *name);

/* The i-th reserved name in table order (upper case), NULL past the end;
 * lets tests check the table is sorted and complete. */
const char *tsrec__forecast_reserved_nth(size_t i);

/* Check that a schema suits a dataset of type ds_type in a group of
 * (service, domain), and fill out_roles[0..n_fields) with each field's
 * TSREC__ROLE_*. On failure returns TSREC_E_SCHEMA (or TSREC_E_INVALID_ARG
 * for mismatched service/type) with a message naming the field and the
 * rule; out_roles is then unspecified. */
int tsrec__dataset_schema_check(int32_t service, int32_t domain, int32_t ds_type,
                                const tsrec_schema *schema, tsrec__handle *eh,
                                int32_t *out_roles);

#endif /* TSREC_DOMAINS_INTERNAL_H */
