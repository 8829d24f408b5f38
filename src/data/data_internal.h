/* The data layer's internal model: schemas, columns, datasets and dataset
 * groups (public handles from include/tsrec/dataset.h). Never installed.
 *
 * Storage is columnar. String fields are dictionary-encoded: each column
 * holds codes of adaptive width (1, 2 or 4 bytes, widened as the dictionary
 * grows) into a tsrec__strdict. Item and user ids share one dictionary per
 * dataset group, so a code means the same item in every dataset of the
 * group. Timestamps and integers are int64, floats f32 (Avro float) or f64
 * (Avro double, Forecast float), booleans u8. A validity bitmap exists only
 * once a column holds a missing value. */
#ifndef TSREC_DATA_INTERNAL_H
#define TSREC_DATA_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"
#include "strdict_internal.h"
#include "tsrec/dataset.h"

#define TSREC__MAGIC_SCHEMA 0x54535343u  /* "TSSC" */
#define TSREC__MAGIC_GROUP 0x54534447u   /* "TSDG" */
#define TSREC__MAGIC_DATASET 0x54534453u /* "TSDS" */
#define TSREC__MAGIC_REPORT 0x54534952u  /* "TSIR" */

/* ---- schema ----------------------------------------------------------- */

typedef struct tsrec__field {
    char *name;     /* as written in the schema */
    int32_t type;   /* TSREC_FIELD_* */
    uint32_t flags; /* TSREC_FIELD_NULLABLE | _CATEGORICAL | _TEXTUAL */
} tsrec__field;

struct tsrec_schema {
    tsrec__handle hdr;
    int32_t service;    /* TSREC_SERVICE_* */
    int64_t n_fields;
    tsrec__field *fields;
};

/* Deep copy (for datasets, which own their schema). */
int tsrec__schema_clone(const tsrec_schema *src, tsrec_ctx *ctx, tsrec__handle *eh,
                        tsrec_schema **out);
/* Index of a field by exact name, or -1. */
int64_t tsrec__schema_find(const tsrec_schema *s, const char *name);

/* ---- dataset types, domains, roles ------------------------------------ */

#define TSREC__DS_TARGET_TIME_SERIES 1
#define TSREC__DS_RELATED_TIME_SERIES 2
#define TSREC__DS_ITEM_METADATA 3
#define TSREC__DS_INTERACTIONS 4
#define TSREC__DS_USERS 5
#define TSREC__DS_ITEMS 6
#define TSREC__DS_MAX_TYPES 3 /* per group (one of each of its service's types) */

/* What a column means for the algorithms, fixed when the dataset is
 * created from its type, domain and schema. */
#define TSREC__ROLE_OTHER 0          /* RTS feature, metadata, contextual field */
#define TSREC__ROLE_ITEM_ID 1        /* Forecast item id (or the domain's id field) / Personalize ITEM_ID */
#define TSREC__ROLE_TIMESTAMP 2      /* Forecast timestamp / Personalize TIMESTAMP */
#define TSREC__ROLE_TARGET 3         /* Forecast target field */
#define TSREC__ROLE_DIMENSION 4      /* Forecast string dimension (location, ...) */
#define TSREC__ROLE_USER_ID 5
#define TSREC__ROLE_EVENT_TYPE 6
#define TSREC__ROLE_EVENT_VALUE 7
#define TSREC__ROLE_IMPRESSION 8
#define TSREC__ROLE_RECOMMENDATION_ID 9
#define TSREC__ROLE_CREATION_TIMESTAMP 10
#define TSREC__ROLE_EVENT_ATTRIBUTION_SOURCE 11

/* ---- columns ---------------------------------------------------------- */

#define TSREC__COL_CODE 1 /* dictionary codes */
#define TSREC__COL_I64 2
#define TSREC__COL_F32 3
#define TSREC__COL_F64 4
#define TSREC__COL_BOOL 5

typedef struct tsrec__column {
    int32_t kind;          /* TSREC__COL_* */
    int32_t width;         /* bytes per value: CODE 1/2/4, I64 8, F32 4, F64 8, BOOL 1 */
    int64_t len, cap;      /* values held / allocated */
    void *data;
    uint64_t *valid;       /* NULL: every value present; else bit i = present */
    tsrec__strdict *dict;  /* CODE: the dictionary (owned unless dict_shared) */
    int32_t dict_shared;   /* dict belongs to the dataset group */
    int32_t reserved;
} tsrec__column;

/* ---- datasets and groups --------------------------------------------- */

struct tsrec_dataset {
    tsrec__handle hdr;
    struct tsrec_dataset_group *group;
    char *name;
    int32_t type;           /* TSREC__DS_* */
    int32_t data_frequency; /* tsrec__freq code for Forecast TTS/RTS, 0 otherwise */
    tsrec_schema *schema;   /* owned copy */
    int32_t *roles;         /* per field, TSREC__ROLE_* */
    tsrec__column *cols;    /* per field, same order as the schema */
    int64_t n_rows;
    int64_t n_imports;      /* successful imports so far */
};

struct tsrec_dataset_group {
    tsrec__handle hdr;
    char *name;
    int32_t service;        /* TSREC_SERVICE_* */
    int32_t domain;         /* TSREC__DOMAIN_* (data/domains) */
    tsrec_dataset *datasets[TSREC__DS_MAX_TYPES];
    tsrec__strdict items;   /* item ids (Forecast item_id or its domain twin; Personalize ITEM_ID) */
    tsrec__strdict users;   /* Personalize USER_ID */
    /* Guards what real-time ingest changes while campaigns read it: the
     * id dictionaries, the datasets' columns and every campaign's live
     * state. Campaign queries hold it shared, an event tracker exclusively
     * for a whole PutEvents / PutUsers / PutItems call. One lock per group
     * (not per campaign): campaigns a tracker is not attached to read the
     * same dictionaries, and one lock cannot be taken in two orders. */
    pthread_rwlock_t live_lock;
};

#endif /* TSREC_DATA_INTERNAL_H */
