/* Datasets: teardown and the read-only accessors (creation is in
 * dataset_group.c, which owns them). */
#include "column_internal.h"
#include "data_internal.h"
#include "dataset_internal.h"
#include "schema_internal.h"

int32_t tsrec__column_kind_for(int32_t service, int32_t type)
{
    switch (type) {
    case TSREC_FIELD_STRING:
    case TSREC_FIELD_GEOLOCATION: /* kept as its text */
        return TSREC__COL_CODE;
    case TSREC_FIELD_INTEGER:
    case TSREC_FIELD_LONG:
    case TSREC_FIELD_TIMESTAMP:
        return TSREC__COL_I64;
    case TSREC_FIELD_FLOAT:
        /* Forecast floats are doubles in AWS; an Avro float is 32 bits. */
        return service == TSREC_SERVICE_PERSONALIZE ? TSREC__COL_F32 : TSREC__COL_F64;
    case TSREC_FIELD_DOUBLE:
        return TSREC__COL_F64;
    case TSREC_FIELD_BOOLEAN:
        return TSREC__COL_BOOL;
    default:
        return 0;
    }
}

void tsrec__dataset_destroy(tsrec_dataset *ds)
{
    if (ds == NULL)
        return;
    tsrec_ctx *ctx = ds->hdr.ctx;
    if (ds->cols != NULL && ds->schema != NULL)
        for (int64_t i = 0; i < ds->schema->n_fields; i++)
            tsrec__column_free(&ds->cols[i], ctx);
    tsrec__free(ctx, ds->cols);
    tsrec__free(ctx, ds->roles);
    tsrec__schema_destroy(ds->schema);
    tsrec__free(ctx, ds->name);
    tsrec__handle_retire(&ds->hdr);
    tsrec__free(ctx, ds);
}

int tsrec_dataset_row_count(const tsrec_dataset *dataset, int64_t *out_rows)
{
    TSREC__CHECK(dataset, TSREC__MAGIC_DATASET, "tsrec_dataset_row_count", "tsrec_dataset");
    if (out_rows == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE, "tsrec_dataset_row_count: out_rows is NULL");
    *out_rows = dataset->n_rows;
    return TSREC_OK;
}

int tsrec_dataset_memory(const tsrec_dataset *dataset, size_t *out_bytes)
{
    TSREC__CHECK(dataset, TSREC__MAGIC_DATASET, "tsrec_dataset_memory", "tsrec_dataset");
    if (out_bytes == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE, "tsrec_dataset_memory: out_bytes is NULL");
    size_t total = 0;
    for (int64_t i = 0; i < dataset->schema->n_fields; i++)
        total += tsrec__column_bytes(&dataset->cols[i]);
    *out_bytes = total;
    return TSREC_OK;
}
