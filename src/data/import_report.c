/* Import reports: what an import did (rows, time) and the bad rows it
 * found, each with its own copies of file name and message. */
#include <string.h>

#include "import_internal.h"

int tsrec__report_new(tsrec_ctx *ctx, tsrec__handle *eh, tsrec_import_report **out)
{
    *out = NULL;
    tsrec_import_report *r = tsrec__calloc(ctx, 1, sizeof(*r));
    if (r == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "import: out of memory for the report");
    tsrec__handle_init(&r->hdr, TSREC__MAGIC_REPORT, ctx);
    *out = r;
    return TSREC_OK;
}

int tsrec__report_add(tsrec_import_report *r, tsrec__handle *eh, const char *file, int64_t line,
                      int64_t column, const char *message)
{
    tsrec_ctx *ctx = r->hdr.ctx;
    if (r->n_errors == r->errors_cap) {
        int64_t cap = r->errors_cap < 4 ? 8 : r->errors_cap * 2;
        size_t bytes;
        if (tsrec__mul_size((size_t)cap, sizeof(tsrec__import_error), &bytes) != 0)
            return tsrec__fail(eh, TSREC_E_NOMEM, "import: too many errors to record");
        tsrec__import_error *e = tsrec__realloc(ctx, r->errors, bytes);
        if (e == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "import: out of memory recording an error");
        r->errors = e;
        r->errors_cap = cap;
    }
    char *f = NULL;
    if (file != NULL && (f = tsrec__strdup(ctx, file)) == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "import: out of memory recording an error");
    char *m = tsrec__strdup(ctx, message != NULL ? message : "");
    if (m == NULL) {
        tsrec__free(ctx, f);
        return tsrec__fail(eh, TSREC_E_NOMEM, "import: out of memory recording an error");
    }
    tsrec__import_error *e = &r->errors[r->n_errors++];
    e->file = f;
    e->line = line;
    e->column = column;
    e->message = m;
    return TSREC_OK;
}

void tsrec_import_report_free(tsrec_import_report *report)
{
    if (report == NULL || !tsrec__handle_is(report, TSREC__MAGIC_REPORT))
        return;
    tsrec_ctx *ctx = report->hdr.ctx;
    for (int64_t i = 0; i < report->n_errors; i++) {
        tsrec__free(ctx, report->errors[i].file);
        tsrec__free(ctx, report->errors[i].message);
    }
    tsrec__free(ctx, report->errors);
    tsrec__handle_retire(&report->hdr);
    tsrec__free(ctx, report);
}

int tsrec_import_report_rows(const tsrec_import_report *report, int64_t *out_rows_imported,
                             int64_t *out_rows_rejected)
{
    TSREC__CHECK(report, TSREC__MAGIC_REPORT, "tsrec_import_report_rows", "tsrec_import_report");
    if (out_rows_imported != NULL)
        *out_rows_imported = report->rows_imported;
    if (out_rows_rejected != NULL)
        *out_rows_rejected = report->rows_rejected;
    return TSREC_OK;
}

int tsrec_import_report_seconds(const tsrec_import_report *report, double *out_seconds)
{
    TSREC__CHECK(report, TSREC__MAGIC_REPORT, "tsrec_import_report_seconds",
                 "tsrec_import_report");
    if (out_seconds == NULL)
        return tsrec__fail_tls(TSREC_E_INVALID_ARG, "tsrec_import_report_seconds: NULL output");
    *out_seconds = report->seconds;
    return TSREC_OK;
}

int tsrec_import_report_error_count(const tsrec_import_report *report, int64_t *out_count)
{
    TSREC__CHECK(report, TSREC__MAGIC_REPORT, "tsrec_import_report_error_count",
                 "tsrec_import_report");
    if (out_count == NULL)
        return tsrec__fail_tls(TSREC_E_INVALID_ARG,
                               "tsrec_import_report_error_count: NULL output");
    *out_count = report->n_errors;
    return TSREC_OK;
}

int tsrec_import_report_error(const tsrec_import_report *report, int64_t i,
                              const char **out_file, int64_t *out_line, int64_t *out_column,
                              const char **out_message)
{
    TSREC__CHECK(report, TSREC__MAGIC_REPORT, "tsrec_import_report_error",
                 "tsrec_import_report");
    if (i < 0 || i >= report->n_errors)
        return tsrec__fail_tls(TSREC_E_OUT_OF_RANGE,
                               "tsrec_import_report_error: index %lld outside 0..%lld",
                               (long long)i, (long long)report->n_errors - 1);
    const tsrec__import_error *e = &report->errors[i];
    if (out_file != NULL)
        *out_file = e->file;
    if (out_line != NULL)
        *out_line = e->line;
    if (out_column != NULL)
        *out_column = e->column;
    if (out_message != NULL)
        *out_message = e->message;
    return TSREC_OK;
}
