/* Schema parsing internals shared by schema.c (common parts and public
 * entry points), schema_forecast.c and schema_personalize.c. Never
 * installed. The schema struct itself is in data_internal.h. */
#ifndef TSREC_SCHEMA_INTERNAL_H
#define TSREC_SCHEMA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "data_internal.h"
#include "json_internal.h"

/* Schema size limits at parse time. Forecast's CreateDataset allows 1..100
 * attributes; Avro records get a generous sanity cap, the per-dataset-type
 * quotas (Items <= 100 metadata fields, ...) are checked at dataset
 * creation. */
#define TSREC__SCHEMA_FORECAST_MAX_FIELDS 100
#define TSREC__SCHEMA_AVRO_MAX_FIELDS 1000
#define TSREC__SCHEMA_NAME_MAX 63        /* Forecast AttributeName, resource names */
#define TSREC__SCHEMA_AVRO_NAME_MAX 255

/* A new schema with room for n fields (all zeroed), or NULL (no message). */
tsrec_schema *tsrec__schema_alloc(tsrec_ctx *ctx, int32_t service, int64_t n);
/* Free a schema's memory whatever its state (no handle check). NULL-safe. */
void tsrec__schema_destroy(tsrec_schema *s);

/* 1 if name matches the AWS resource/attribute pattern
 * ^[a-zA-Z][a-zA-Z0-9_]*$ with 1..TSREC__SCHEMA_NAME_MAX characters. */
int tsrec__aws_name_ok(const char *name, size_t len);

/* 1 if a and b are equal ignoring ASCII case. */
int tsrec__name_eq_nocase(const char *a, const char *b);

/* Lower-case name of a TSREC_FIELD_* type for messages ("string", "long",
 * ...); service picks the Forecast or Avro spelling. "?" if unknown. */
const char *tsrec__field_type_name(int32_t service, int32_t type);

/* Fill a parsed schema from the root of its JSON document. On failure the
 * fields filled so far stay in s (freed by tsrec__schema_destroy). */
int tsrec__schema_from_forecast_json(const tsrec__json *root, tsrec_ctx *ctx,
                                     tsrec__handle *eh, tsrec_schema **out);
int tsrec__schema_from_avro_json(const tsrec__json *root, tsrec_ctx *ctx, tsrec__handle *eh,
                                 tsrec_schema **out);

#endif /* TSREC_SCHEMA_INTERNAL_H */
