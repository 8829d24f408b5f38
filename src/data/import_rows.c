/* Import of in-memory rows: text cells in schema order, parsed exactly as
 * CSV fields are (the CSV reader's UTF-8 and field-size checks included). */
#include <stdio.h>
#include <string.h>

#include "import_internal.h"

int tsrec_dataset_import_rows(tsrec_dataset *dataset, const char *const *cells, int64_t n_rows,
                              int64_t n_cols, const tsrec_import_options *opts,
                              tsrec_import_report **out_report)
{
    if (out_report != NULL)
        *out_report = NULL;
    TSREC__CHECK(dataset, TSREC__MAGIC_DATASET, "tsrec_dataset_import_rows", "tsrec_dataset");
    tsrec__handle *eh = &dataset->hdr;
    tsrec_ctx *ctx = dataset->hdr.ctx;
    int64_t n_fields = dataset->schema->n_fields;
    if (n_rows < 0 || (n_rows > 0 && cells == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_dataset_import_rows: %lld rows with %s cells", (long long)n_rows,
                           cells == NULL ? "NULL" : "non-NULL");
    if (n_cols != n_fields)
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "tsrec_dataset_import_rows: %lld columns given, the schema has %lld",
                           (long long)n_cols, (long long)n_fields);
    tsrec__cell *row = tsrec__calloc(ctx, (size_t)n_fields, sizeof(tsrec__cell));
    if (row == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_dataset_import_rows: out of memory");
    tsrec__import *im = NULL;
    /* Without options the rows are appended, as the API promises. */
    int st = tsrec__import_begin(dataset, opts, TSREC_IMPORT_INCREMENTAL, &im);
    if (st != TSREC_OK) {
        tsrec__free(ctx, row);
        return st;
    }
    char msg[TSREC__ERRMSG_MAX];
    for (int64_t i = 0; i < n_rows && st == TSREC_OK; i++) {
        if (tsrec__import_full_of_errors(im))
            break;
        int bad = 0;
        for (int64_t f = 0; f < n_fields && !bad; f++) {
            const char *s = cells[i * n_cols + f];
            tsrec__cell *c = &row[f];
            c->ptr = s;
            c->present = s != NULL;
            c->len = s != NULL ? strlen(s) : 0;
            if (s == NULL)
                continue;
            if (tsrec__text_check(s, c->len, msg, sizeof(msg)) != TSREC_OK) {
                bad = 1;
                st = tsrec__import_bad_row(im, TSREC_E_PARSE, NULL, i + 1, f + 1, msg);
            }
        }
        if (!bad && st == TSREC_OK)
            st = tsrec__import_row(im, row, NULL, NULL, i + 1);
    }
    tsrec__free(ctx, row);
    return tsrec__import_end(im, st, "rows", out_report);
}
