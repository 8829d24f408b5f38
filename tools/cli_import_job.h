/* tsrec CLI: dataset import job records, for both services.
 *
 * CreateDatasetImportJob runs the import synchronously; what it leaves
 * behind for DescribeDatasetImportJob / ListDatasetImportJobs is one small
 * JSON description per job, written atomically once the job has finished
 * (ACTIVE: in one commit with the imported rows, cli_commit.h) or failed
 * (Forecast CREATE_FAILED, Personalize CREATE FAILED, with the error as
 * Message / failureReason):
 *   SERVICE/GROUP/dataset-import-jobs/DATASET/JOB.json
 * The job ARN names both, arn:tsrec:SERVICE:local:dataset-import-job/
 * DATASET/JOB, so job names are unique per dataset (as Forecast's ARNs
 * are). The record holds the service's own key spelling, so describe and
 * list print it as it is. */
#ifndef TSREC_CLI_IMPORT_JOB_H
#define TSREC_CLI_IMPORT_JOB_H

#include "cli_commit.h"
#include "cli_util.h"

/* What a finished (or failed) import leaves in its record. */
typedef struct cli_import_job {
    const char *service, *group, *dataset, *name;
    const char *source;    /* the data location as given (path or file://path) */
    const char *mode;      /* "FULL" or "INCREMENTAL" */
    const char *ts_format; /* Forecast TimestampFormat, NULL = the default */
    const char *tz;        /* Forecast TimeZone or NULL */
    double created;        /* when the job started (epoch seconds) */
    int64_t rows, rejected; /* rows imported / rejected (ACTIVE only) */
    int64_t bytes;          /* size of the source file(s) */
    const char *failure;    /* NULL: ACTIVE; else the failure message */
} cli_import_job;

/* The job name to use: `requested` when given and free in the dataset
 * (ResourceAlreadyExistsException otherwise), else the first free of
 * import, import_2, import_3, ... Returns the exit code. */
int cli_job_pick_name(const cli_call *call, const char *service, const char *group,
                      const char *dataset, const char *requested, char *out, size_t cap);

/* arn:tsrec:SERVICE:local:dataset-import-job/DATASET/JOB */
void cli_job_arn(char *buf, size_t cap, const char *service, const char *dataset,
                 const char *job);

/* Bytes of the regular file at path, or of the regular files directly in
 * the folder at path (what the import reads); -1 when it cannot be read. */
int64_t cli_job_source_bytes(const char *path);

/* Write the job's record atomically, or with `commit` set stage it into
 * that commit (cli_commit.h: it then appears with the imported rows);
 * exit code (a workspace error is reported here). */
int cli_job_record(const cli_call *call, const cli_import_job *job, cli_commit *commit);

/* DescribeDatasetImportJob (--dataset-import-job-arn) and
 * ListDatasetImportJobs (optional --dataset-arn / --dataset-name) handlers,
 * for cli_command tables of either service (call->service names it). */
int cli_job_describe(cli_call *call);
int cli_job_list(cli_call *call);

#endif /* TSREC_CLI_IMPORT_JOB_H */
