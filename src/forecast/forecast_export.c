/* ForecastExportJob CSV (aws-surface A7): a header line, then one row per
 * series and period: item_id[,dims],date,p10,p50,p90[,mean] in the
 * forecast's type order, dates as yyyy-MM-ddTHH:mm:ssZ, the id and
 * dimension columns named as in the dataset. (AWS's samples put the
 * dimensions after the date; this follows the documented API order of
 * forecast.h.) NaN forecasts are empty cells. */
#include <string.h>

#include "predictor_internal.h"
#include "time_internal.h"

int tsrec_forecast_export_csv(const tsrec_forecast *forecast, const char *path)
{
    TSREC__CHECK(forecast, TSREC__MAGIC_FORECAST, "tsrec_forecast_export_csv", "tsrec_forecast");
    tsrec_forecast *f = (tsrec_forecast *)forecast;
    tsrec__handle *eh = NULL; /* a shared read: failures go to tsrec_last_error() only */
    if (path == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_forecast_export_csv: NULL path");
    const tsrec__series_keys *k = &f->keys;
    tsrec__textbuf t;
    tsrec__tb_init(&t, f->hdr.ctx);
    tsrec__tb_csv_field(&t, k->id_name);
    for (int32_t d = 0; d < k->n_dims; d++) {
        tsrec__tb_puts(&t, ",");
        tsrec__tb_csv_field(&t, k->dim_names[d]);
    }
    tsrec__tb_puts(&t, ",date");
    for (int32_t i = 0; i < f->n_types; i++)
        tsrec__tb_printf(&t, ",%s", f->types[i].name);
    tsrec__tb_puts(&t, "\n");
    int rc = TSREC_OK;
    for (int64_t s = 0; s < k->n_series && rc == TSREC_OK; s++) {
        for (int64_t j = 0; j < f->horizon && rc == TSREC_OK; j++) {
            char ts[TSREC__TIME_STR_MAX];
            rc = tsrec__time_format(f->timestamps[j], TSREC__TIME_FMT_ISO, ts, sizeof ts, eh);
            if (rc != TSREC_OK)
                break;
            tsrec__tb_csv_field(&t, k->items[s]);
            for (int32_t d = 0; d < k->n_dims; d++) {
                tsrec__tb_puts(&t, ",");
                tsrec__tb_csv_field(&t, k->dims[s * k->n_dims + d]);
            }
            tsrec__tb_printf(&t, ",%s", ts);
            for (int32_t i = 0; i < f->n_types; i++) {
                tsrec__tb_puts(&t, ",");
                tsrec__tb_double(&t, f->values[(s * f->n_types + i) * f->horizon + j]);
            }
            tsrec__tb_puts(&t, "\n");
        }
    }
    if (rc == TSREC_OK && t.status != TSREC_OK)
        rc = tsrec__fail(eh, t.status, "out of memory writing the forecast export");
    if (rc == TSREC_OK)
        rc = tsrec__write_file(eh, path, t.p != NULL ? t.p : "", t.len);
    tsrec__tb_free(&t);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}
