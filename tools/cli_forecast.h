/* tsrec CLI: the Forecast, Personalize and runtime command families. Each
 * *_main gets argv starting at the subcommand and returns the exit code. */
#ifndef TSREC_CLI_FORECAST_H
#define TSREC_CLI_FORECAST_H

#include "cli_util.h"

int cli_forecast_main(int argc, char **argv);
int cli_forecastquery_main(int argc, char **argv);

/* CreateDatasetImportJob for either service: import `source` (a path,
 * file://path, or the AWS data source JSON) into the named dataset, save
 * its group and record the job, ACTIVE or failed (cli_import_job.h).
 * mode "FULL"/"INCREMENTAL" or NULL; job_name NULL picks import, import_2... */
int cli_import(cli_call *call, const char *service, const char *dataset, const char *source,
               const char *job_name, const char *ts_format, const char *tz, const char *mode);

#endif /* TSREC_CLI_FORECAST_H */
