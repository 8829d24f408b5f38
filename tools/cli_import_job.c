/* tsrec CLI: dataset import job records (see cli_import_job.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_import_job.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_store.h"

#define JOB_ARN_TYPE "dataset-import-job/"

static int is_forecast(const char *service)
{
    return strcmp(service, "forecast") == 0;
}

/* The workspace KIND of a dataset's jobs: its own folder, so job names
 * only have to be unique per dataset. */
static int jobs_kind(char *buf, size_t cap, const char *dataset)
{
    int n = snprintf(buf, cap, "dataset-import-jobs/%s", dataset);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int job_exists(const cli_call *call, const char *service, const char *group,
                      const char *dataset, const char *job)
{
    char kind[CLI_NAME_MAX + 32], p[CLI_PATH_MAX];
    struct stat st;
    return jobs_kind(kind, sizeof kind, dataset) == 0 &&
           cli_ws_res_path(&call->ws, p, sizeof p, service, group, kind, job, "json") == 0 &&
           stat(p, &st) == 0;
}

int cli_job_pick_name(const cli_call *call, const char *service, const char *group,
                      const char *dataset, const char *requested, char *out, size_t cap)
{
    if (requested != NULL) {
        if (job_exists(call, service, group, dataset, requested))
            return cli_fail_ex(call, "ResourceAlreadyExistsException",
                               "dataset import job '%s' already exists for dataset '%s'",
                               requested, dataset);
        snprintf(out, cap, "%s", requested);
        return CLI_EXIT_OK;
    }
    /* The CLI makes the AWS-required name optional: number the defaults
     * so each import keeps its own record. */
    for (long i = 1; i < 1000000; i++) {
        if (i == 1)
            snprintf(out, cap, "import");
        else
            snprintf(out, cap, "import_%ld", i);
        if (!job_exists(call, service, group, dataset, out))
            return CLI_EXIT_OK;
    }
    return cli_fail_ex(call, "LimitExceededException",
                       "dataset '%s' has too many unnamed import jobs; pass a job name", dataset);
}

void cli_job_arn(char *buf, size_t cap, const char *service, const char *dataset,
                 const char *job)
{
    char jn[2 * CLI_NAME_MAX + 2];
    snprintf(jn, sizeof jn, "%s/%s", dataset, job);
    cli_arn(buf, cap, service, "dataset-import-job", jn);
}

int64_t cli_job_source_bytes(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return (int64_t)st.st_size;
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char sub[CLI_PATH_MAX];
        if (e->d_name[0] == '.' ||
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub)
            continue;
        if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
            total += (int64_t)st.st_size;
    }
    closedir(d);
    return total;
}

/* The record in Forecast's DescribeDatasetImportJob shape (DataSize in
 * GB as AWS gives it; RowsImported, RowsRejected and DataSizeBytes are
 * tsrec's additions: the per-field FieldStatistics are not computed). */
static void forecast_record(cli_sb *m, const cli_import_job *job, const char *arn,
                            const char *ds_arn, double now)
{
    cli_sb_printf(m, "{\"DatasetImportJobName\":");
    cli_sb_str(m, job->name);
    cli_sb_printf(m, ",\"DatasetImportJobArn\":");
    cli_sb_str(m, arn);
    cli_sb_printf(m, ",\"DatasetArn\":");
    cli_sb_str(m, ds_arn);
    cli_sb_printf(m, ",\"TimestampFormat\":");
    cli_sb_str(m, job->ts_format ? job->ts_format : "yyyy-MM-dd HH:mm:ss");
    if (job->tz) {
        cli_sb_printf(m, ",\"TimeZone\":");
        cli_sb_str(m, job->tz);
    }
    cli_sb_printf(m, ",\"DataSource\":{\"S3Config\":{\"Path\":");
    cli_sb_str(m, job->source);
    cli_sb_printf(m, "}},\"ImportMode\":");
    cli_sb_str(m, job->mode);
    cli_sb_printf(m, ",\"Format\":\"CSV\"");
    if (job->bytes >= 0)
        cli_sb_printf(m, ",\"DataSize\":%.9g,\"DataSizeBytes\":%lld",
                      (double)job->bytes / 1073741824.0, (long long)job->bytes);
    if (job->failure == NULL) {
        cli_sb_printf(m, ",\"RowsImported\":%lld,\"RowsRejected\":%lld,\"Status\":\"ACTIVE\"",
                      (long long)job->rows, (long long)job->rejected);
    } else {
        cli_sb_printf(m, ",\"Status\":\"CREATE_FAILED\",\"Message\":");
        cli_sb_str(m, job->failure);
    }
    cli_sb_printf(m, ",\"CreationTime\":%.3f,\"LastModificationTime\":%.3f}", job->created, now);
}

/* The DatasetImportJob object of Personalize's DescribeDatasetImportJob
 * (rowsImported and dataSizeBytes are tsrec's additions). */
static void personalize_record(cli_sb *m, const cli_import_job *job, const char *arn,
                               const char *ds_arn, double now)
{
    cli_sb_printf(m, "{\"jobName\":");
    cli_sb_str(m, job->name);
    cli_sb_printf(m, ",\"datasetImportJobArn\":");
    cli_sb_str(m, arn);
    cli_sb_printf(m, ",\"datasetArn\":");
    cli_sb_str(m, ds_arn);
    cli_sb_printf(m, ",\"dataSource\":{\"dataLocation\":");
    cli_sb_str(m, job->source);
    cli_sb_printf(m, "},\"importMode\":");
    cli_sb_str(m, job->mode);
    if (job->bytes >= 0)
        cli_sb_printf(m, ",\"dataSizeBytes\":%lld", (long long)job->bytes);
    if (job->failure == NULL) {
        cli_sb_printf(m, ",\"rowsImported\":%lld,\"status\":\"ACTIVE\"", (long long)job->rows);
    } else {
        cli_sb_printf(m, ",\"status\":\"CREATE FAILED\",\"failureReason\":");
        cli_sb_str(m, job->failure);
    }
    cli_sb_printf(m, ",\"creationDateTime\":%.3f,\"lastUpdatedDateTime\":%.3f}", job->created,
                  now);
}

int cli_job_record(const cli_call *call, const cli_import_job *job, cli_commit *commit)
{
    char arn[1024], ds_arn[512], kind[CLI_NAME_MAX + 32];
    cli_job_arn(arn, sizeof arn, job->service, job->dataset, job->name);
    cli_arn(ds_arn, sizeof ds_arn, job->service, "dataset", job->dataset);
    if (jobs_kind(kind, sizeof kind, job->dataset) != 0)
        return cli_io_error("workspace path too long");
    cli_sb m = {0};
    if (is_forecast(job->service))
        forecast_record(&m, job, arn, ds_arn, cli_now());
    else
        personalize_record(&m, job, arn, ds_arn, cli_now());
    int rc = commit ? cli_stage_meta(call, commit, job->service, job->group, kind, job->name, &m)
                    : cli_write_meta(call, job->service, job->group, kind, job->name, &m);
    cli_sb_free(&m);
    return rc;
}

/* ---- describe ------------------------------------------------------------ */

/* Split ...:dataset-import-job/DATASET/JOB into its two names (copied
 * into dataset and job, CLI_NAME_MAX each). 0 or -1 when malformed. */
static int parse_job_arn(const char *arn, char *dataset, char *job)
{
    const char *t = strncmp(arn, "arn:", 4) == 0 ? strstr(arn, ":" JOB_ARN_TYPE) : NULL;
    if (t == NULL)
        return -1;
    const char *d = t + 1 + strlen(JOB_ARN_TYPE);
    const char *slash = strchr(d, '/');
    if (slash == NULL || slash == d || slash[1] == '\0' || strchr(slash + 1, '/') != NULL)
        return -1;
    size_t dl = (size_t)(slash - d), jl = strlen(slash + 1);
    if (dl >= CLI_NAME_MAX || jl >= CLI_NAME_MAX)
        return -1;
    memcpy(dataset, d, dl);
    dataset[dl] = '\0';
    memcpy(job, slash + 1, jl + 1);
    return 0;
}

int cli_job_describe(cli_call *call)
{
    const char *arn = cli_need(call, "dataset-import-job-arn");
    if (arn == NULL)
        return CLI_EXIT_USAGE;
    const char *svc = call->service;
    char dataset[CLI_NAME_MAX], job[CLI_NAME_MAX], group[CLI_NAME_MAX];
    if (parse_job_arn(arn, dataset, job) != 0)
        return cli_fail_ex(call, "InvalidInputException",
                           "'%s' is not a dataset import job ARN "
                           "(arn:tsrec:%s:local:dataset-import-job/DATASET/JOB)",
                           arn, svc);
    int rc = cli_check_name(call, svc, "dataset name", dataset);
    if (rc == CLI_EXIT_OK)
        rc = cli_check_name(call, svc, "import job name", job);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (!cli_ws_find(&call->ws, svc, "datasets", dataset, group, sizeof group) ||
        !job_exists(call, svc, group, dataset, job))
        return cli_fail_ex(call, "ResourceNotFoundException",
                           "dataset import job '%s' does not exist", arn);
    char kind[CLI_NAME_MAX + 32];
    char *meta = NULL;
    size_t len = 0;
    if (jobs_kind(kind, sizeof kind, dataset) != 0)
        return cli_io_error("workspace path too long");
    if ((rc = cli_read_meta(call, svc, group, kind, job, &meta, &len)) != CLI_EXIT_OK)
        return rc;
    if (!cli_json_valid(meta, len)) {
        free(meta);
        return cli_io_error("description of dataset import job '%s' is damaged", arn);
    }
    if (is_forecast(svc)) {
        cli_sb sb = {0};
        cli_sb_add(&sb, meta, len);
        rc = cli_respond(&sb);
        cli_sb_free(&sb);
    } else { /* Personalize wraps the job: {"datasetImportJob":{...}} */
        rc = cli_respond_wrapped("datasetImportJob", meta, len);
    }
    free(meta);
    return rc;
}

/* ---- list ---------------------------------------------------------------- */

typedef struct job_list {
    cli_call *call;
    cli_sb *sb;
    char kind[CLI_NAME_MAX + 32];
    int n;
} job_list;

static int job_visit(void *user, const char *group, const char *name)
{
    job_list *jl = user;
    char *meta = NULL;
    size_t len = 0;
    if (cli_read_meta(jl->call, jl->call->service, group, jl->kind, name, &meta, &len) !=
        CLI_EXIT_OK)
        return 0; /* unreadable: reported, skipped */
    if (cli_json_valid(meta, len)) {
        if (jl->n++ > 0)
            cli_sb_add(jl->sb, ",", 1);
        cli_sb_add(jl->sb, meta, len);
    }
    free(meta);
    return 0;
}

static int dataset_visit(void *user, const char *group, const char *name)
{
    job_list *jl = user;
    if (jobs_kind(jl->kind, sizeof jl->kind, name) != 0)
        return 0;
    cli_ws_each(&jl->call->ws, jl->call->service, group, jl->kind, job_visit, jl);
    return 0;
}

int cli_job_list(cli_call *call)
{
    const char *svc = call->service;
    const char *ds = cli_opt(call, "dataset-arn");
    if (ds == NULL)
        ds = cli_opt(call, "dataset-name");
    if (ds != NULL)
        ds = cli_arn_name(ds);
    char group[CLI_NAME_MAX];
    if (ds != NULL) {
        int rc = cli_find(call, svc, "datasets", "dataset", ds, group);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    cli_sb sb = {0};
    cli_sb_printf(&sb, "{\"%s\":[", is_forecast(svc) ? "DatasetImportJobs" : "datasetImportJobs");
    job_list jl;
    memset(&jl, 0, sizeof jl);
    jl.call = call;
    jl.sb = &sb;
    if (ds != NULL)
        dataset_visit(&jl, group, ds);
    else
        cli_ws_each(&call->ws, svc, NULL, "datasets", dataset_visit, &jl);
    cli_sb_add(&sb, "]}", 2);
    int rc = cli_respond(&sb);
    cli_sb_free(&sb);
    return rc;
}
