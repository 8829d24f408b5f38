/* libtsrec: schemas, dataset groups, datasets and imports -- the data layer
 * of Amazon Forecast and Amazon Personalize.
 *
 * Lifecycle (as in AWS): create a dataset group for a service and domain,
 * parse a schema, create a dataset of a type with that schema inside the
 * group, then import data (CSV / CSV.gz files or folders, Arrow C Data
 * Interface streams, or in-memory rows). Datasets are owned by their group
 * and freed with it. Thread-safety: per-handle (a group and its datasets are
 * one unit: use them from one thread at a time). */
#ifndef TSREC_DATASET_H
#define TSREC_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include <tsrec/ctx.h>
#include <tsrec/export.h>

TSREC_BEGIN_DECLS

typedef struct tsrec_schema tsrec_schema;
typedef struct tsrec_dataset_group tsrec_dataset_group;
typedef struct tsrec_dataset tsrec_dataset;
typedef struct tsrec_import_report tsrec_import_report;

/* Services. */
#define TSREC_SERVICE_FORECAST 1
#define TSREC_SERVICE_PERSONALIZE 2

/* Field types: Forecast's string/integer/float/timestamp/geolocation and
 * Personalize's Avro string/int/long/float/double/boolean. */
#define TSREC_FIELD_STRING 1
#define TSREC_FIELD_INTEGER 2     /* Forecast integer, Avro int */
#define TSREC_FIELD_LONG 3        /* Avro long */
#define TSREC_FIELD_FLOAT 4       /* Forecast float (held as double), Avro float */
#define TSREC_FIELD_DOUBLE 5      /* Avro double */
#define TSREC_FIELD_BOOLEAN 6     /* Avro boolean */
#define TSREC_FIELD_TIMESTAMP 7   /* Forecast timestamp */
#define TSREC_FIELD_GEOLOCATION 8 /* Forecast geolocation */

/* Field flags. */
#define TSREC_FIELD_NULLABLE 1u    /* Avro union with "null" */
#define TSREC_FIELD_CATEGORICAL 2u /* "categorical": true */
#define TSREC_FIELD_TEXTUAL 4u     /* "textual": true */

/* Import modes. */
#define TSREC_IMPORT_FULL 1        /* replace the dataset's contents */
#define TSREC_IMPORT_INCREMENTAL 2 /* append */

/* ---- schemas ---------------------------------------------------------- */

/* Parse a schema: for TSREC_SERVICE_FORECAST the AWS JSON form
 * {"Attributes":[{"AttributeName":"item_id","AttributeType":"string"},...]},
 * for TSREC_SERVICE_PERSONALIZE the Avro record JSON. The text need not be
 * NUL-terminated. Errors name the field and the rule. */
TSREC_API int tsrec_schema_parse(tsrec_ctx *ctx, int32_t service, const char *json,
                                 size_t len, tsrec_schema **out_schema);
TSREC_API void tsrec_schema_free(tsrec_schema *schema);
TSREC_API int tsrec_schema_field_count(const tsrec_schema *schema, int64_t *out_count);
/* Name (owned by the schema), type and flags of field i. */
TSREC_API int tsrec_schema_field(const tsrec_schema *schema, int64_t i, const char **out_name,
                                 int32_t *out_type, uint32_t *out_flags);

/* ---- dataset groups ------------------------------------------------- */

/* Create a dataset group. name follows the AWS pattern
 * ^[a-zA-Z][a-zA-Z0-9_]*$ (1-63). domain: Forecast RETAIL, CUSTOM,
 * INVENTORY_PLANNING, EC2_CAPACITY, WORK_FORCE, WEB_TRAFFIC, METRICS;
 * Personalize NULL (custom), ECOMMERCE or VIDEO_ON_DEMAND. */
TSREC_API int tsrec_dataset_group_new(tsrec_ctx *ctx, const char *name, int32_t service,
                                      const char *domain, tsrec_dataset_group **out_group);
/* Frees the group and every dataset in it. NULL is a no-op. */
TSREC_API void tsrec_dataset_group_free(tsrec_dataset_group *group);

/* Create a dataset in the group (at most one per type, as AWS).
 * dataset_type: TARGET_TIME_SERIES, RELATED_TIME_SERIES, ITEM_METADATA
 * (Forecast); Interactions, Users, Items (Personalize). data_frequency is
 * the Forecast DataFrequency ("D", "H", "15min", ...), NULL for
 * Personalize and for ITEM_METADATA. The schema is copied. The dataset is
 * owned by the group. */
TSREC_API int tsrec_dataset_group_create_dataset(tsrec_dataset_group *group, const char *name,
                                                 const char *dataset_type,
                                                 const tsrec_schema *schema,
                                                 const char *data_frequency,
                                                 tsrec_dataset **out_dataset);
/* The group's dataset of a type, or TSREC_E_UNKNOWN_NAME if it has none. */
TSREC_API int tsrec_dataset_group_dataset(tsrec_dataset_group *group, const char *dataset_type,
                                          tsrec_dataset **out_dataset);

/* Number of rows held. */
TSREC_API int tsrec_dataset_row_count(const tsrec_dataset *dataset, int64_t *out_rows);
/* Bytes held by the dataset's columns and dictionaries. */
TSREC_API int tsrec_dataset_memory(const tsrec_dataset *dataset, size_t *out_bytes);

/* ---- imports ---------------------------------------------------------- */

typedef struct tsrec_import_options {
    uint32_t struct_size;
    int32_t mode;              /* TSREC_IMPORT_FULL (default) or _INCREMENTAL */
    const char *timestamp_format; /* Forecast: "yyyy-MM-dd HH:mm:ss" (default) or "yyyy-MM-dd" */
    const char *time_zone;     /* Forecast: NULL = none, or a fixed offset "+05:30" */
    int32_t max_errors;        /* bad rows reported before giving up; default 10 */
    int32_t reserved0;
} tsrec_import_options;

TSREC_API int tsrec_import_options_init(tsrec_import_options *opts);

/* Import a CSV or CSV.gz file (gzip detected by content), or every regular
 * file of a folder in name order. Forecast files have no header and follow
 * the schema's column order; Personalize files have a header matched to
 * the schema's field names. Atomic: on any error the dataset keeps exactly
 * its previous contents and the report lists the bad rows (file, line,
 * column, reason). out_report may be NULL; free it with
 * tsrec_import_report_free. */
TSREC_API int tsrec_dataset_import_csv(tsrec_dataset *dataset, const char *path,
                                       const tsrec_import_options *opts,
                                       tsrec_import_report **out_report);

/* Append rows from memory: n_rows x n_cols text cells in schema order
 * (row-major; NULL cell = missing value for nullable fields), parsed
 * exactly as CSV fields are. Atomic like the CSV import. */
TSREC_API int tsrec_dataset_import_rows(tsrec_dataset *dataset, const char *const *cells,
                                        int64_t n_rows, int64_t n_cols,
                                        const tsrec_import_options *opts,
                                        tsrec_import_report **out_report);

/* Import report accessors. */
TSREC_API void tsrec_import_report_free(tsrec_import_report *report);
TSREC_API int tsrec_import_report_rows(const tsrec_import_report *report, int64_t *out_rows_imported,
                                       int64_t *out_rows_rejected);
TSREC_API int tsrec_import_report_seconds(const tsrec_import_report *report, double *out_seconds);
TSREC_API int tsrec_import_report_error_count(const tsrec_import_report *report, int64_t *out_count);
/* Error i: file (NULL for in-memory rows), 1-based line and column (0 if
 * not applicable) and message; strings owned by the report. */
TSREC_API int tsrec_import_report_error(const tsrec_import_report *report, int64_t i,
                                        const char **out_file, int64_t *out_line,
                                        int64_t *out_column, const char **out_message);

TSREC_END_DECLS

#endif /* TSREC_DATASET_H */
