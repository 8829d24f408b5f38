/* tsrec CLI: `tsrec forecast ...` -- the Amazon Forecast verbs over the
 * local workspace (dataset groups, datasets, imports, predictors, forecasts,
 * queries and exports). */
#define _POSIX_C_SOURCE 200809L
#include "cli_forecast.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <tsrec/io.h>

#include "cli_import_job.h"
#include "cli_store.h"
#include "plot_svg.h"

#define SVC "forecast"

/* ---- dataset groups --------------------------------------------------- */

static int create_dataset_group(cli_call *call)
{
    const char *name = cli_need(call, "dataset-group-name");
    const char *domain = name ? cli_need(call, "domain") : NULL;
    if (domain == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_create_group(call, SVC, TSREC_SERVICE_FORECAST, name, domain);
    char arn[512];
    cli_arn(arn, sizeof arn, SVC, "dataset-group", name);
    if (rc == CLI_EXIT_OK) {
        cli_sb m = {0};
        cli_sb_printf(&m, "{\"DatasetGroupName\":");
        cli_sb_str(&m, name);
        cli_sb_printf(&m, ",\"DatasetGroupArn\":");
        cli_sb_str(&m, arn);
        cli_sb_printf(&m, ",\"Domain\":");
        cli_sb_str(&m, domain);
        cli_sb_printf(&m, ",\"Status\":\"ACTIVE\",\"CreationTime\":%.3f}", cli_now());
        rc = cli_write_meta(call, SVC, name, NULL, NULL, &m);
        cli_sb_free(&m);
    }
    return rc == CLI_EXIT_OK ? cli_respond_arn("DatasetGroupArn", arn) : rc;
}

static int describe_dataset_group(cli_call *call)
{
    const char *name = cli_opt(call, "dataset-group-arn");
    name = name ? cli_arn_name(name) : cli_need(call, "dataset-group-name");
    return name ? cli_describe(call, SVC, NULL, "dataset group", name) : CLI_EXIT_USAGE;
}

static int list_dataset_groups(cli_call *call)
{
    return cli_list(call, SVC, NULL, "DatasetGroups", NULL);
}

static int delete_dataset_group(cli_call *call)
{
    const char *name = cli_opt(call, "dataset-group-arn");
    name = name ? cli_arn_name(name) : cli_need(call, "dataset-group-name");
    if (name == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_need_group(call, SVC, name);
    if (rc != CLI_EXIT_OK)
        return rc;
    int busy = 0;
    cli_ws_each(&call->ws, SVC, name, "predictors", cli_ws_visit_any, &busy);
    cli_ws_each(&call->ws, SVC, name, "forecasts", cli_ws_visit_any, &busy);
    if (busy)
        return cli_fail_ex(call, "ResourceInUseException",
                           "dataset group '%s' still has predictors or forecasts", name);
    if (cli_ws_delete_group(&call->ws, SVC, name) != 0)
        return cli_io_error("cannot delete dataset group '%s': %s", name, strerror(errno));
    return CLI_EXIT_OK;
}

/* ---- datasets ------------------------------------------------------------- */

static int create_dataset(cli_call *call)
{
    const char *group = cli_opt(call, "dataset-group-arn");
    group = group ? cli_arn_name(group) : cli_need(call, "dataset-group-name");
    const char *name = group ? cli_need(call, "dataset-name") : NULL;
    const char *type = name ? cli_need(call, "dataset-type") : NULL;
    const char *schema_arg = type ? cli_need(call, "schema") : NULL;
    if (schema_arg == NULL)
        return CLI_EXIT_USAGE;
    const char *freq = cli_opt(call, "data-frequency");
    int rc = cli_need_group(call, SVC, group);
    if (rc == CLI_EXIT_OK)
        rc = cli_absent(call, SVC, "datasets", "dataset", name);
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t slen = 0;
    char *schema_json = cli_json_arg(schema_arg, &slen, &rc);
    if (schema_json == NULL)
        return rc;
    tsrec_dataset_group *g = NULL;
    tsrec_schema *schema = NULL;
    rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_schema_parse(call->ctx, TSREC_SERVICE_FORECAST, schema_json, slen, &schema);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(call->ctx));
    }
    if (rc == CLI_EXIT_OK) {
        tsrec_dataset *ds = NULL;
        int st = tsrec_dataset_group_create_dataset(g, name, type, schema, freq, &ds);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(g));
    }
    /* The group (now holding the dataset) and the description in one
     * commit: a group with a dataset nobody can see would refuse every
     * retry (one dataset per type) and there is no delete-dataset. */
    cli_commit cm;
    cli_commit_init(&cm, &call->ws);
    if (rc == CLI_EXIT_OK)
        rc = cli_stage_group(call, &cm, SVC, group, g);
    char arn[512];
    cli_arn(arn, sizeof arn, SVC, "dataset", name);
    if (rc == CLI_EXIT_OK) {
        cli_sb m = {0};
        cli_sb_printf(&m, "{\"DatasetName\":");
        cli_sb_str(&m, name);
        cli_sb_printf(&m, ",\"DatasetArn\":");
        cli_sb_str(&m, arn);
        cli_sb_printf(&m, ",\"DatasetType\":");
        cli_sb_str(&m, type);
        if (freq) {
            cli_sb_printf(&m, ",\"DataFrequency\":");
            cli_sb_str(&m, freq);
        }
        cli_sb_printf(&m, ",\"DatasetGroupName\":");
        cli_sb_str(&m, group);
        /* Keep the schema as given when it is valid JSON (it parsed). */
        cli_sb_printf(&m, ",\"Schema\":");
        cli_sb_add(&m, schema_json, slen);
        cli_sb_printf(&m, ",\"Status\":\"ACTIVE\",\"CreationTime\":%.3f}", cli_now());
        rc = cli_stage_meta(call, &cm, SVC, group, "datasets", name, &m);
        cli_sb_free(&m);
    }
    rc = cli_commit_finish(&cm, rc);
    tsrec_schema_free(schema);
    tsrec_dataset_group_free(g);
    free(schema_json);
    return rc == CLI_EXIT_OK ? cli_respond_arn("DatasetArn", arn) : rc;
}

static int describe_dataset(cli_call *call)
{
    const char *name = cli_opt(call, "dataset-arn");
    name = name ? cli_arn_name(name) : cli_need(call, "dataset-name");
    return name ? cli_describe(call, SVC, "datasets", "dataset", name) : CLI_EXIT_USAGE;
}

static int list_datasets(cli_call *call)
{
    return cli_list(call, SVC, "datasets", "Datasets", cli_opt(call, "dataset-group-name"));
}

/* ---- imports (shared with personalize) --------------------------------- */

int cli_import(cli_call *call, const char *service, const char *dataset, const char *source,
               const char *job_name, const char *ts_format, const char *tz, const char *mode)
{
    char group[CLI_NAME_MAX];
    int rc = cli_find(call, service, "datasets", "dataset", dataset, group);
    if (rc != CLI_EXIT_OK)
        return rc;
    int32_t imode = TSREC_IMPORT_FULL;
    if (mode != NULL) {
        if (strcmp(mode, "FULL") == 0)
            imode = TSREC_IMPORT_FULL;
        else if (strcmp(mode, "INCREMENTAL") == 0)
            imode = TSREC_IMPORT_INCREMENTAL;
        else
            return cli_usage_error(call, "--import-mode must be FULL or INCREMENTAL");
    }
    /* The AWS data source objects name the path inside; plain paths too. */
    char *path = NULL;
    if (source[0] == '{') {
        size_t n = strlen(source);
        path = cli_json_get_str(source, n, "S3Config.Path");
        if (path == NULL)
            path = cli_json_get_str(source, n, "dataLocation");
        if (path == NULL)
            return cli_fail_ex(call, "InvalidInputException",
                               "data source JSON needs S3Config.Path or dataLocation");
    }
    /* From here on the request is valid and the job runs: whatever
     * happens, it leaves a record (cli_import_job.h). */
    char jn[CLI_NAME_MAX];
    rc = cli_job_pick_name(call, service, group, dataset, job_name, jn, sizeof jn);
    if (rc != CLI_EXIT_OK) {
        free(path);
        return rc;
    }
    cli_import_job job = {.service = service, .group = group, .dataset = dataset, .name = jn,
                          .source = path ? path : source,
                          .mode = imode == TSREC_IMPORT_FULL ? "FULL" : "INCREMENTAL",
                          .ts_format = ts_format, .tz = tz, .created = cli_now(), .bytes = -1};
    char why[1024] = "";
    const char *p = job.source;
    if (strncmp(p, "file://", 7) == 0)
        p += 7;
    struct stat st_src;
    if (stat(p, &st_src) != 0) {
        snprintf(why, sizeof why, "cannot read data source '%s': %s", p, strerror(errno));
        rc = cli_io_error("%s", why);
    }
    job.bytes = rc == CLI_EXIT_OK ? cli_job_source_bytes(p) : -1;
    char *meta = NULL;
    size_t mlen = 0;
    char *type = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_read_meta(call, service, group, "datasets", dataset, &meta, &mlen);
    if (rc == CLI_EXIT_OK) {
        type = cli_json_get_str(meta, mlen,
                                strcmp(service, "forecast") == 0 ? "DatasetType" : "datasetType");
        if (type == NULL)
            rc = cli_io_error("description of dataset '%s' is damaged", dataset);
    }
    tsrec_dataset_group *g = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, service, group, &g);
    if (rc != CLI_EXIT_OK && why[0] == '\0')
        snprintf(why, sizeof why, "cannot load dataset '%s' from the workspace", dataset);
    tsrec_dataset *ds = NULL;
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_dataset_group_dataset(g, type, &ds);
        if (st != TSREC_OK) {
            snprintf(why, sizeof why, "%s", tsrec_errmsg(g));
            rc = cli_fail(call, st, why);
        }
    }
    tsrec_import_report *rep = NULL;
    if (rc == CLI_EXIT_OK) {
        tsrec_import_options o;
        tsrec_import_options_init(&o);
        o.mode = imode;
        o.timestamp_format = ts_format;
        o.time_zone = tz;
        int st = tsrec_dataset_import_csv(ds, p, &o, &rep);
        if (st != TSREC_OK) {
            int64_t ne = 0;
            tsrec_import_report_error_count(rep, &ne);
            for (int64_t i = 0; i < ne && i < 10; i++) {
                const char *file = NULL, *msg = NULL;
                int64_t line = 0, col = 0;
                if (tsrec_import_report_error(rep, i, &file, &line, &col, &msg) == TSREC_OK)
                    fprintf(stderr, "%s:%lld:%lld: %s\n", file ? file : "-", (long long)line,
                            (long long)col, msg ? msg : "");
            }
            snprintf(why, sizeof why, "%s", tsrec_errmsg(ds));
            rc = cli_fail(call, st, why);
        }
    }
    /* The imported rows and the ACTIVE record go in one commit: a command
     * killed on the way leaves neither (an INCREMENTAL retry would
     * otherwise add the rows twice), and a retry may use the same name. */
    cli_commit cm;
    cli_commit_init(&cm, &call->ws);
    if (rc == CLI_EXIT_OK) {
        rc = cli_stage_group(call, &cm, service, group, g);
        if (rc != CLI_EXIT_OK)
            snprintf(why, sizeof why, "cannot save dataset group '%s'", group);
    }
    int committed = 0;
    if (rc == CLI_EXIT_OK) {
        tsrec_import_report_rows(rep, &job.rows, &job.rejected);
        rc = cli_job_record(call, &job, &cm);
        if (rc == CLI_EXIT_OK) {
            rc = cli_commit_finish(&cm, rc);
            /* Past its journal the commit stands even if it failed later:
             * the next command finishes it, ACTIVE record included. */
            committed = rc == CLI_EXIT_OK || cli_commit_journal_exists(&call->ws);
        }
        if (rc != CLI_EXIT_OK)
            snprintf(why, sizeof why, "cannot save the import into the workspace");
    }
    cli_commit_free(&cm);
    /* A failed job leaves only its record, written on its own. */
    if (rc != CLI_EXIT_OK && !committed) {
        job.failure = why;
        cli_job_record(call, &job, NULL);
    }
    char arn[1024];
    cli_job_arn(arn, sizeof arn, service, dataset, jn);
    if (rc == CLI_EXIT_OK) {
        cli_sb sb = {0};
        cli_sb_printf(&sb, "{\"%s\":", strcmp(service, "forecast") == 0 ? "DatasetImportJobArn"
                                                                          : "datasetImportJobArn");
        cli_sb_str(&sb, arn);
        cli_sb_printf(&sb, ",\"RowsImported\":%lld}", (long long)job.rows);
        rc = cli_respond(&sb);
        cli_sb_free(&sb);
    }
    tsrec_import_report_free(rep);
    tsrec_dataset_group_free(g);
    free(type);
    free(meta);
    free(path);
    return rc;
}

static int create_dataset_import_job(cli_call *call)
{
    const char *ds = cli_opt(call, "dataset-arn");
    ds = ds ? cli_arn_name(ds) : cli_need(call, "dataset-name");
    const char *src = ds ? cli_need(call, "data-source") : NULL;
    if (src == NULL)
        return CLI_EXIT_USAGE;
    const char *job = cli_opt(call, "dataset-import-job-name");
    if (job) {
        int rc = cli_check_name(call, SVC, "import job name", job);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    return cli_import(call, SVC, ds, src, job, cli_opt(call, "timestamp-format"),
                      cli_opt(call, "time-zone"), cli_opt(call, "import-mode"));
}

/* ---- predictors ------------------------------------------------------------ */

/* Append `"Key":["a","b"]` from a comma list. */
static void add_str_list(cli_sb *sb, const char *key, const char *list)
{
    cli_sb_printf(sb, ",\"%s\":[", key);
    const char *p = list;
    int n = 0;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        char item[128];
        if (l > 0 && l < sizeof item) {
            memcpy(item, p, l);
            item[l] = '\0';
            if (n++)
                cli_sb_add(sb, ",", 1);
            cli_sb_str(sb, item);
        }
        p += l;
        if (*p == ',')
            p++;
    }
    cli_sb_add(sb, "]", 1);
}

/* Build the CreatePredictor body from --cli-input-json or the flags; the
 * group comes from --dataset-group-name or InputDataConfig/DataConfig. */
static int predictor_request(cli_call *call, int auto_ml, cli_sb *req, char **out_name,
                             char **out_group)
{
    const char *input = cli_opt(call, "cli-input-json");
    int rc = CLI_EXIT_OK;
    *out_name = NULL;
    *out_group = NULL;
    const char *g = cli_opt(call, "dataset-group-name");
    if (input != NULL) {
        size_t len = 0;
        char *body = cli_json_arg(input, &len, &rc);
        if (body == NULL)
            return rc;
        if (!cli_json_valid(body, len)) {
            free(body);
            return cli_fail_ex(call, "InvalidInputException",
                               "--cli-input-json is not valid JSON");
        }
        *out_name = cli_json_get_str(body, len, "PredictorName");
        char *garn = cli_json_get_str(body, len, "InputDataConfig.DatasetGroupArn");
        if (garn == NULL)
            garn = cli_json_get_str(body, len, "DataConfig.DatasetGroupArn");
        if (g == NULL && garn != NULL)
            g = cli_arn_name(garn);
        if (g != NULL) {
            *out_group = malloc(strlen(g) + 1);
            if (*out_group)
                strcpy(*out_group, g);
        }
        free(garn);
        const char *v = NULL;
        size_t vl = 0;
        if (!auto_ml && cli_json_find(body, len, "DataConfig", &v, &vl) != 1) {
            cli_sb_add(req, body, len);
        } else {
            /* CreateAutoPredictor body: carry over the keys the legacy
             * request shares and turn on AutoML. */
            cli_sb_printf(req, "{\"PredictorName\":");
            cli_sb_str(req, *out_name ? *out_name : "");
            cli_sb_printf(req, ",\"PerformAutoML\":true");
            if (cli_json_find(body, len, "ForecastHorizon", &v, &vl) == 1) {
                cli_sb_printf(req, ",\"ForecastHorizon\":");
                cli_sb_add(req, v, vl);
            }
            if (cli_json_find(body, len, "ForecastTypes", &v, &vl) == 1) {
                cli_sb_printf(req, ",\"ForecastTypes\":");
                cli_sb_add(req, v, vl);
            }
            cli_sb_printf(req, ",\"FeaturizationConfig\":{");
            int n = 0;
            if (cli_json_find(body, len, "ForecastFrequency", &v, &vl) == 1) {
                cli_sb_printf(req, "\"ForecastFrequency\":");
                cli_sb_add(req, v, vl);
                n++;
            }
            if (cli_json_find(body, len, "ForecastDimensions", &v, &vl) == 1) {
                cli_sb_printf(req, "%s\"ForecastDimensions\":", n ? "," : "");
                cli_sb_add(req, v, vl);
            }
            cli_sb_add(req, "}}", 2);
        }
        free(body);
    } else {
        const char *name = cli_need(call, "predictor-name");
        const char *fh = name ? cli_need(call, "forecast-horizon") : NULL;
        const char *ff = fh ? cli_need(call, "forecast-frequency") : NULL;
        if (ff == NULL)
            return CLI_EXIT_USAGE;
        int64_t h = 0;
        if (cli_opt_int(call, "forecast-horizon", 1, 100000, &h) != 0)
            return CLI_EXIT_USAGE;
        const char *algo = cli_opt(call, "algorithm-arn");
        int automl = auto_ml || cli_flag(call, "perform-auto-ml");
        if (!automl && algo == NULL)
            return cli_usage_error(call, "--algorithm-arn or --perform-auto-ml is required");
        cli_sb_printf(req, "{\"PredictorName\":");
        cli_sb_str(req, name);
        if (algo) {
            cli_sb_printf(req, ",\"AlgorithmArn\":");
            cli_sb_str(req, algo);
        }
        cli_sb_printf(req, ",\"ForecastHorizon\":%lld,\"PerformAutoML\":%s", (long long)h,
                      automl ? "true" : "false");
        const char *types = cli_opt(call, "forecast-types");
        if (types)
            add_str_list(req, "ForecastTypes", types);
        const char *ev = cli_opt(call, "evaluation-parameters");
        if (ev) {
            size_t len = 0;
            char *evj = cli_json_arg(ev, &len, &rc);
            if (evj == NULL)
                return rc;
            cli_sb_printf(req, ",\"EvaluationParameters\":");
            cli_sb_add(req, evj, len);
            free(evj);
        }
        const char *tp = cli_opt(call, "training-parameters");
        if (tp) {
            size_t len = 0;
            char *tpj = cli_json_arg(tp, &len, &rc);
            if (tpj == NULL)
                return rc;
            cli_sb_printf(req, ",\"TrainingParameters\":");
            cli_sb_add(req, tpj, len);
            free(tpj);
        }
        cli_sb_printf(req, ",\"FeaturizationConfig\":{\"ForecastFrequency\":");
        cli_sb_str(req, ff);
        const char *dims = cli_opt(call, "forecast-dimensions");
        if (dims)
            add_str_list(req, "ForecastDimensions", dims);
        cli_sb_add(req, "}}", 2);
        *out_name = malloc(strlen(name) + 1);
        if (*out_name)
            strcpy(*out_name, name);
        if (g) {
            *out_group = malloc(strlen(g) + 1);
            if (*out_group)
                strcpy(*out_group, g);
        }
    }
    if (*out_name == NULL)
        return cli_fail_ex(call, "InvalidInputException", "PredictorName is required");
    if (*out_group == NULL)
        return cli_usage_error(call, "--dataset-group-name (or InputDataConfig.DatasetGroupArn) "
                                     "is required");
    if (req->oom)
        return cli_io_error("out of memory");
    return CLI_EXIT_OK;
}

static int create_predictor_common(cli_call *call, int auto_ml)
{
    cli_sb req = {0};
    char *name = NULL, *group = NULL;
    int rc = predictor_request(call, auto_ml, &req, &name, &group);
    if (rc == CLI_EXIT_OK)
        rc = cli_need_group(call, SVC, group);
    if (rc == CLI_EXIT_OK)
        rc = cli_absent(call, SVC, "predictors", "predictor", name);
    tsrec_dataset_group *g = NULL;
    tsrec_predictor *pr = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_predictor_create(g, req.p, req.len, &pr);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(g));
    }
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "predictors", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_predictor_save(pr, path) != TSREC_OK)
        rc = cli_io_error("cannot save predictor '%s': %s", name, tsrec_errmsg(pr));
    char arn[512];
    cli_arn(arn, sizeof arn, SVC, "predictor", name ? name : "");
    if (rc == CLI_EXIT_OK) {
        const char *algo = "";
        tsrec_predictor_algorithm(pr, &algo);
        char aarn[256];
        snprintf(aarn, sizeof aarn, "arn:aws:forecast:::algorithm/%s", algo);
        cli_sb m = {0};
        cli_sb_printf(&m, "{\"PredictorName\":");
        cli_sb_str(&m, name);
        cli_sb_printf(&m, ",\"PredictorArn\":");
        cli_sb_str(&m, arn);
        cli_sb_printf(&m, ",\"AlgorithmArn\":");
        cli_sb_str(&m, aarn);
        cli_sb_printf(&m, ",\"DatasetGroupName\":");
        cli_sb_str(&m, group);
        cli_sb_printf(&m, ",\"AutoML\":%s,\"Request\":", auto_ml ? "true" : "false");
        cli_sb_add(&m, req.p, req.len);
        cli_sb_printf(&m, ",\"Status\":\"ACTIVE\",\"CreationTime\":%.3f}", cli_now());
        rc = cli_write_meta(call, SVC, group, "predictors", name, &m);
        cli_sb_free(&m);
    }
    tsrec_predictor_free(pr);
    tsrec_dataset_group_free(g);
    cli_sb_free(&req);
    free(name);
    free(group);
    return rc == CLI_EXIT_OK ? cli_respond_arn("PredictorArn", arn) : rc;
}

static int create_predictor(cli_call *call)
{
    return create_predictor_common(call, 0);
}

static int create_auto_predictor(cli_call *call)
{
    return create_predictor_common(call, 1);
}

static const char *predictor_name_opt(cli_call *call)
{
    return cli_arn_or_name(call, "predictor");
}

/* Load a predictor by name with its group (both freed by the caller). */
static int load_predictor(cli_call *call, const char *name, char *group,
                          tsrec_dataset_group **g, tsrec_predictor **pr)
{
    *g = NULL;
    *pr = NULL;
    int rc = cli_find(call, SVC, "predictors", "predictor", name, group);
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, g);
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "predictors", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_predictor_load(*g, path, pr) != TSREC_OK)
        rc = cli_io_error("cannot load predictor '%s': %s", name, tsrec_errmsg(*g));
    return rc;
}

static int get_accuracy_metrics(cli_call *call)
{
    const char *name = predictor_name_opt(call);
    if (name == NULL)
        return CLI_EXIT_USAGE;
    char group[CLI_NAME_MAX];
    tsrec_dataset_group *g = NULL;
    tsrec_predictor *pr = NULL;
    int rc = load_predictor(call, name, group, &g, &pr);
    if (rc == CLI_EXIT_OK) {
        size_t len = 0;
        int st = tsrec_predictor_accuracy_json(pr, NULL, 0, &len);
        char *buf = st == TSREC_OK ? malloc(len + 1) : NULL;
        if (st == TSREC_OK && buf == NULL)
            rc = cli_io_error("out of memory");
        else if (st == TSREC_OK)
            st = tsrec_predictor_accuracy_json(pr, buf, len + 1, &len);
        if (rc == CLI_EXIT_OK && st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(pr));
        if (rc == CLI_EXIT_OK)
            cli_print_json(stdout, buf, len);
        free(buf);
    }
    tsrec_predictor_free(pr);
    tsrec_dataset_group_free(g);
    return rc;
}

static int describe_predictor(cli_call *call)
{
    const char *name = predictor_name_opt(call);
    return name ? cli_describe(call, SVC, "predictors", "predictor", name) : CLI_EXIT_USAGE;
}

static int list_predictors(cli_call *call)
{
    return cli_list(call, SVC, "predictors", "Predictors", cli_opt(call, "dataset-group-name"));
}

static int delete_predictor(cli_call *call)
{
    return cli_delete(call, SVC, "predictors", "predictor", predictor_name_opt(call), "forecasts",
                      "PredictorName");
}

static int create_predictor_backtest_export_job(cli_call *call)
{
    const char *name = predictor_name_opt(call);
    const char *dest = name ? cli_need(call, "destination") : NULL;
    if (dest == NULL)
        return CLI_EXIT_USAGE;
    const char *job = cli_opt(call, "predictor-backtest-export-job-name");
    if (job == NULL)
        job = name;
    int rc = cli_check_name(call, SVC, "export job name", job);
    if (rc != CLI_EXIT_OK)
        return rc;
    char group[CLI_NAME_MAX];
    tsrec_dataset_group *g = NULL;
    tsrec_predictor *pr = NULL;
    rc = load_predictor(call, name, group, &g, &pr);
    if (rc == CLI_EXIT_OK) {
        if (strncmp(dest, "file://", 7) == 0)
            dest += 7;
        int st = tsrec_predictor_export_backtest(pr, dest, job);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(pr));
    }
    tsrec_predictor_free(pr);
    tsrec_dataset_group_free(g);
    char arn[512], jn[CLI_NAME_MAX];
    snprintf(jn, sizeof jn, "%s/%s", name, job);
    cli_arn(arn, sizeof arn, SVC, "predictor-backtest-export-job", jn);
    return rc == CLI_EXIT_OK ? cli_respond_arn("PredictorBacktestExportJobArn", arn) : rc;
}

/* ---- forecasts -------------------------------------------------------- */

static int create_forecast(cli_call *call)
{
    const char *name = cli_need(call, "forecast-name");
    const char *pname = name ? predictor_name_opt(call) : NULL;
    if (pname == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_absent(call, SVC, "forecasts", "forecast", name);
    if (rc != CLI_EXIT_OK)
        return rc;
    char group[CLI_NAME_MAX];
    tsrec_dataset_group *g = NULL;
    tsrec_predictor *pr = NULL;
    tsrec_forecast *fc = NULL;
    rc = load_predictor(call, pname, group, &g, &pr);
    cli_sb req = {0};
    cli_sb_printf(&req, "{\"ForecastName\":");
    cli_sb_str(&req, name);
    const char *types = cli_opt(call, "forecast-types");
    if (types)
        add_str_list(&req, "ForecastTypes", types);
    /* Passed through as JSON: the library checks it (Path is a local file
     * or folder). */
    const char *selector = cli_opt(call, "time-series-selector");
    if (rc == CLI_EXIT_OK && selector) {
        size_t len = 0;
        char *sj = cli_json_arg(selector, &len, &rc);
        if (sj != NULL) {
            cli_sb_printf(&req, ",\"TimeSeriesSelector\":");
            cli_sb_add(&req, sj, len);
            free(sj);
        }
    }
    cli_sb_add(&req, "}", 1);
    if (rc == CLI_EXIT_OK && req.oom)
        rc = cli_io_error("out of memory");
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_forecast_create(pr, req.p, req.len, &fc);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(pr));
    }
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "forecasts", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_forecast_save(fc, path) != TSREC_OK)
        rc = cli_io_error("cannot save forecast '%s': %s", name, tsrec_errmsg(fc));
    char arn[512];
    cli_arn(arn, sizeof arn, SVC, "forecast", name);
    if (rc == CLI_EXIT_OK) {
        int64_t ns = 0, h = 0, nt = 0;
        tsrec_forecast_dims(fc, &ns, &h, &nt);
        cli_sb m = {0};
        cli_sb_printf(&m, "{\"ForecastName\":");
        cli_sb_str(&m, name);
        cli_sb_printf(&m, ",\"ForecastArn\":");
        cli_sb_str(&m, arn);
        cli_sb_printf(&m, ",\"PredictorName\":");
        cli_sb_str(&m, pname);
        cli_sb_printf(&m, ",\"DatasetGroupName\":");
        cli_sb_str(&m, group);
        cli_sb_printf(&m, ",\"ForecastTypes\":[");
        for (int64_t i = 0; i < nt; i++) {
            const char *tn = "";
            tsrec_forecast_type_name(fc, i, &tn);
            if (i)
                cli_sb_add(&m, ",", 1);
            cli_sb_str(&m, tn);
        }
        cli_sb_printf(&m, "],\"Series\":%lld,\"ForecastHorizon\":%lld", (long long)ns,
                      (long long)h);
        cli_sb_printf(&m, ",\"Status\":\"ACTIVE\",\"CreationTime\":%.3f}", cli_now());
        rc = cli_write_meta(call, SVC, group, "forecasts", name, &m);
        cli_sb_free(&m);
    }
    cli_sb_free(&req);
    tsrec_forecast_free(fc);
    tsrec_predictor_free(pr);
    tsrec_dataset_group_free(g);
    return rc == CLI_EXIT_OK ? cli_respond_arn("ForecastArn", arn) : rc;
}

static const char *forecast_name_opt(cli_call *call)
{
    return cli_arn_or_name(call, "forecast");
}

/* Forecasts stand alone: only the ctx is needed to load one. */
static int load_forecast(cli_call *call, const char *name, tsrec_forecast **fc)
{
    char group[CLI_NAME_MAX];
    *fc = NULL;
    int rc = cli_find(call, SVC, "forecasts", "forecast", name, group);
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "forecasts", name, path, sizeof path);
    tsrec_ctx *ctx = rc == CLI_EXIT_OK ? cli_ctx(call, 0) : NULL;
    if (rc == CLI_EXIT_OK && ctx == NULL)
        rc = CLI_EXIT_IO;
    if (rc == CLI_EXIT_OK && tsrec_forecast_load(ctx, path, fc) != TSREC_OK)
        rc = cli_io_error("cannot load forecast '%s': %s", name, tsrec_errmsg(ctx));
    return rc;
}

/* --filters item_id=X,location=Y or the JSON map {"item_id":"X"}. */
static char *filters_json(const char *arg, size_t *out_len)
{
    cli_sb sb = {0};
    const char *p = arg;
    while (*p == ' ')
        p++;
    if (*p == '{') {
        cli_sb_add(&sb, arg, strlen(arg));
    } else {
        cli_sb_add(&sb, "{", 1);
        int n = 0;
        while (*p) {
            const char *e = strchr(p, ',');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            const char *eq = memchr(p, '=', l);
            if (eq == NULL || eq == p) {
                cli_sb_free(&sb);
                return NULL;
            }
            char key[256], val[1024];
            size_t kl = (size_t)(eq - p), vl = l - kl - 1;
            if (kl >= sizeof key || vl >= sizeof val) {
                cli_sb_free(&sb);
                return NULL;
            }
            memcpy(key, p, kl);
            key[kl] = '\0';
            memcpy(val, eq + 1, vl);
            val[vl] = '\0';
            if (n++)
                cli_sb_add(&sb, ",", 1);
            cli_sb_str(&sb, key);
            cli_sb_add(&sb, ":", 1);
            cli_sb_str(&sb, val);
            p += l;
            if (*p == ',')
                p++;
        }
        cli_sb_add(&sb, "}", 1);
    }
    if (sb.oom) {
        cli_sb_free(&sb);
        return NULL;
    }
    *out_len = sb.len;
    return sb.p;
}

static int query_forecast(cli_call *call)
{
    const char *name = forecast_name_opt(call);
    const char *filt = name ? cli_need(call, "filters") : NULL;
    if (filt == NULL)
        return CLI_EXIT_USAGE;
    size_t flen = 0;
    char *fj = filters_json(filt, &flen);
    if (fj == NULL)
        return cli_usage_error(call, "--filters must be key=value[,key=value] or a JSON map");
    tsrec_forecast *fc = NULL;
    int rc = load_forecast(call, name, &fc);
    if (rc == CLI_EXIT_OK) {
        size_t len = 0;
        int st = tsrec_forecast_query_json(fc, fj, flen, NULL, 0, &len);
        char *buf = st == TSREC_OK ? malloc(len + 1) : NULL;
        if (st == TSREC_OK && buf == NULL)
            rc = cli_io_error("out of memory");
        else if (st == TSREC_OK)
            st = tsrec_forecast_query_json(fc, fj, flen, buf, len + 1, &len);
        if (rc == CLI_EXIT_OK && st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(fc));
        if (rc == CLI_EXIT_OK)
            cli_print_json(stdout, buf, len);
        free(buf);
    }
    tsrec_forecast_free(fc);
    free(fj);
    return rc;
}

static int create_forecast_export_job(cli_call *call)
{
    const char *name = forecast_name_opt(call);
    const char *dest = name ? cli_need(call, "destination") : NULL;
    if (dest == NULL)
        return CLI_EXIT_USAGE;
    const char *job = cli_opt(call, "forecast-export-job-name");
    if (job == NULL)
        job = name;
    int rc = cli_check_name(call, SVC, "export job name", job);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (strncmp(dest, "file://", 7) == 0)
        dest += 7;
    /* A folder destination gets JOB_part0.csv inside, as AWS names parts. */
    char path[CLI_PATH_MAX];
    struct stat st_d;
    size_t dl = strlen(dest);
    if ((dl > 0 && dest[dl - 1] == '/') || (stat(dest, &st_d) == 0 && S_ISDIR(st_d.st_mode)))
        snprintf(path, sizeof path, "%s%s%s_part0.csv", dest,
                 dl > 0 && dest[dl - 1] == '/' ? "" : "/", job);
    else
        snprintf(path, sizeof path, "%s", dest);
    tsrec_forecast *fc = NULL;
    rc = load_forecast(call, name, &fc);
    if (rc == CLI_EXIT_OK && cli_ws_mkdirs_for(path) != 0)
        rc = cli_io_error("cannot create the folder of '%s': %s", path, strerror(errno));
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_forecast_export_csv(fc, path);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(fc));
    }
    tsrec_forecast_free(fc);
    char arn[512], jn[CLI_NAME_MAX];
    snprintf(jn, sizeof jn, "%s/%s", name, job);
    cli_arn(arn, sizeof arn, SVC, "forecast-export-job", jn);
    return rc == CLI_EXIT_OK ? cli_respond_arn("ForecastExportJobArn", arn) : rc;
}

static int describe_forecast(cli_call *call)
{
    const char *name = forecast_name_opt(call);
    return name ? cli_describe(call, SVC, "forecasts", "forecast", name) : CLI_EXIT_USAGE;
}

static int list_forecasts(cli_call *call)
{
    return cli_list(call, SVC, "forecasts", "Forecasts", cli_opt(call, "dataset-group-name"));
}

static int delete_forecast(cli_call *call)
{
    return cli_delete(call, SVC, "forecasts", "forecast", forecast_name_opt(call), NULL, NULL);
}

/* The history tail (up to 4 horizons) and backtest splits of `item` from
 * the predictor the forecast was made with, for the plot. Best effort: a
 * predictor deleted or whose group changed since gives a chart without
 * history (said on stderr), not a failure. */
typedef struct plot_history {
    int64_t *t, *splits;
    double *y;
    int64_t n;
    int32_t n_splits;
} plot_history;

static void load_plot_history(cli_call *call, const char *forecast, const char *item,
                              int64_t horizon, plot_history *ph)
{
    memset(ph, 0, sizeof *ph);
    char group[CLI_NAME_MAX], pgroup[CLI_NAME_MAX];
    char *meta = NULL, *pname = NULL;
    size_t len = 0;
    tsrec_dataset_group *g = NULL;
    tsrec_predictor *pr = NULL;
    if (cli_find(call, SVC, "forecasts", "forecast", forecast, group) != CLI_EXIT_OK ||
        cli_read_meta(call, SVC, group, "forecasts", forecast, &meta, &len) != CLI_EXIT_OK)
        goto done;
    pname = cli_json_get_str(meta, len, "PredictorName");
    if (pname == NULL || load_predictor(call, pname, pgroup, &g, &pr) != CLI_EXIT_OK) {
        fprintf(stderr, "tsrec: predictor of '%s' not loadable; plotting without history\n",
                forecast);
        goto done;
    }
    int64_t n = 0, ns = 0;
    if (tsrec_predictor_history(pr, item, NULL, NULL, 0, &n) != TSREC_OK || n < 1)
        goto done;
    int64_t *t = malloc((size_t)n * sizeof *t);
    double *y = malloc((size_t)n * sizeof *y);
    if (t != NULL && y != NULL && tsrec_predictor_history(pr, item, t, y, n, &n) == TSREC_OK) {
        int64_t keep = n < 4 * horizon ? n : 4 * horizon;
        memmove(t, t + (n - keep), (size_t)keep * sizeof *t);
        memmove(y, y + (n - keep), (size_t)keep * sizeof *y);
        ph->t = t;
        ph->y = y;
        ph->n = keep;
        t = NULL;
        y = NULL;
    }
    free(t);
    free(y);
    if (ph->n > 0 && tsrec_predictor_backtest_splits(pr, NULL, 0, &ns) == TSREC_OK && ns > 0 &&
        ns < 64) {
        ph->splits = malloc((size_t)ns * sizeof *ph->splits);
        if (ph->splits != NULL &&
            tsrec_predictor_backtest_splits(pr, ph->splits, ns, &ns) == TSREC_OK)
            ph->n_splits = (int32_t)ns;
    }
done:
    tsrec_predictor_free(pr);
    tsrec_dataset_group_free(g);
    free(pname);
    free(meta);
}

/* tsrec forecast plot: the forecast of one item as an SVG chart (P10-P90
 * band and P50 line, or the first/middle/last forecast types) after the
 * item's recent history and the backtest split marks. */
static int plot(cli_call *call)
{
    const char *name = forecast_name_opt(call);
    const char *item = name ? cli_need(call, "item-id") : NULL;
    const char *out = item ? cli_need(call, "output") : NULL;
    if (out == NULL)
        return CLI_EXIT_USAGE;
    tsrec_forecast *fc = NULL;
    int rc = load_forecast(call, name, &fc);
    int64_t ns = 0, h = 0, nt = 0;
    if (rc == CLI_EXIT_OK)
        tsrec_forecast_dims(fc, &ns, &h, &nt);
    int64_t *ts = NULL;
    double *vals = NULL;
    if (rc == CLI_EXIT_OK && (h < 1 || nt < 1))
        rc = cli_fail_ex(call, "InvalidInputException", "forecast '%s' is empty", name);
    if (rc == CLI_EXIT_OK) {
        ts = malloc((size_t)h * sizeof *ts);
        vals = malloc((size_t)h * (size_t)nt * sizeof *vals);
        if (ts == NULL || vals == NULL)
            rc = cli_io_error("out of memory");
    }
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_forecast_query(fc, item, NULL, 0, ts, vals);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(fc));
    }
    if (rc == CLI_EXIT_OK) {
        /* Quantile types are sorted p10 < p50 < p90 by the library; pick
         * the lowest, a middle one and the highest "pXX" for the band. */
        int64_t lo = -1, mid = -1, hi = -1, np = 0;
        int64_t pidx[64];
        for (int64_t t = 0; t < nt; t++) {
            const char *tn = "";
            tsrec_forecast_type_name(fc, t, &tn);
            if (tn[0] == 'p' && np < 64)
                pidx[np++] = t;
        }
        if (np > 0) {
            lo = pidx[0];
            hi = pidx[np - 1];
            mid = pidx[np / 2];
        } else {
            mid = 0;
        }
        const char *lon = NULL, *midn = NULL, *hin = NULL;
        if (lo >= 0)
            tsrec_forecast_type_name(fc, lo, &lon);
        tsrec_forecast_type_name(fc, mid, &midn);
        if (hi >= 0)
            tsrec_forecast_type_name(fc, hi, &hin);
        FILE *f = fopen(out, "w");
        if (f == NULL) {
            rc = cli_io_error("cannot write '%s': %s", out, strerror(errno));
        } else {
            char title[512];
            snprintf(title, sizeof title, "%s: %s", name, item);
            plot_history ph;
            load_plot_history(call, name, item, h, &ph);
            int bad = plot_forecast_svg(f, title, ph.t, ph.y, ph.n, ts,
                                        np > 1 ? vals + lo * h : NULL, vals + mid * h,
                                        np > 1 ? vals + hi * h : NULL, h, lon, midn, hin,
                                        ph.splits, ph.n_splits);
            free(ph.t);
            free(ph.y);
            free(ph.splits);
            if (fclose(f) != 0 || bad != 0)
                rc = cli_io_error("cannot write the plot to '%s'", out);
        }
    }
    free(ts);
    free(vals);
    tsrec_forecast_free(fc);
    return rc;
}

/* ---- table ------------------------------------------------------------------ */

static const cli_command forecast_cmds[] = {
    {"create-dataset-group", "CreateDatasetGroup", "dataset-group-name= domain= tags=",
     "Create a Forecast dataset group (domain RETAIL, CUSTOM, INVENTORY_PLANNING,\n"
     "EC2_CAPACITY, WORK_FORCE, WEB_TRAFFIC or METRICS).",
     1, create_dataset_group},
    {"describe-dataset-group", "DescribeDatasetGroup", "dataset-group-name= dataset-group-arn=",
     "Print a dataset group's description.", 0, describe_dataset_group},
    {"list-dataset-groups", "ListDatasetGroups", "", "List the Forecast dataset groups.", 0,
     list_dataset_groups},
    {"delete-dataset-group", "DeleteDatasetGroup", "dataset-group-name= dataset-group-arn=",
     "Delete a dataset group and its datasets (it must have no predictors or forecasts).", 1,
     delete_dataset_group},
    {"create-dataset", "CreateDataset",
     "dataset-group-name= dataset-group-arn= dataset-name= dataset-type= schema= "
     "data-frequency= domain=",
     "Create a dataset of type TARGET_TIME_SERIES, RELATED_TIME_SERIES or ITEM_METADATA in a\n"
     "dataset group. --schema is a file (file://s.json also accepted) or inline JSON\n"
     "{\"Attributes\":[{\"AttributeName\":...,\"AttributeType\":...}]}.",
     1, create_dataset},
    {"describe-dataset", "DescribeDataset", "dataset-name= dataset-arn=",
     "Print a dataset's description.", 0, describe_dataset},
    {"list-datasets", "ListDatasets", "dataset-group-name=", "List the Forecast datasets.", 0,
     list_datasets},
    {"create-dataset-import-job", "CreateDatasetImportJob",
     "dataset-name= dataset-arn= data-source= dataset-import-job-name= timestamp-format= "
     "time-zone= import-mode=",
     "Import a CSV or CSV.gz file, or every file of a folder, into a dataset\n"
     "(--import-mode FULL replaces, INCREMENTAL appends). The job is recorded, ACTIVE\n"
     "or CREATE_FAILED; without --dataset-import-job-name it is named import, import_2...",
     1, create_dataset_import_job},
    {"describe-dataset-import-job", "DescribeDatasetImportJob", "dataset-import-job-arn=",
     "Print an import job: Status ACTIVE or CREATE_FAILED (with Message), DataSource,\n"
     "DataSize (GB), RowsImported, CreationTime and LastModificationTime.",
     0, cli_job_describe},
    {"list-dataset-import-jobs", "ListDatasetImportJobs", "dataset-arn= dataset-name=",
     "List the import jobs, of every dataset or of --dataset-arn / --dataset-name.", 0,
     cli_job_list},
    {"create-predictor", "CreatePredictor",
     "cli-input-json= predictor-name= algorithm-arn= forecast-horizon= forecast-frequency= "
     "forecast-types= forecast-dimensions= perform-auto-ml dataset-group-name= "
     "evaluation-parameters= training-parameters=",
     "Train and backtest a predictor. Either --cli-input-json FILE (the CreatePredictor\n"
     "request body) or the flags; the dataset group is --dataset-group-name or\n"
     "InputDataConfig.DatasetGroupArn.",
     1, create_predictor},
    {"create-auto-predictor", "CreateAutoPredictor",
     "cli-input-json= predictor-name= forecast-horizon= forecast-frequency= forecast-types= "
     "forecast-dimensions= dataset-group-name=",
     "Train a predictor with AutoML (every candidate algorithm is backtested and the best\n"
     "one kept).",
     1, create_auto_predictor},
    {"describe-predictor", "DescribePredictor", "predictor-name= predictor-arn=",
     "Print a predictor's description.", 0, describe_predictor},
    {"list-predictors", "ListPredictors", "dataset-group-name=", "List the predictors.", 0,
     list_predictors},
    {"delete-predictor", "DeletePredictor", "predictor-name= predictor-arn=",
     "Delete a predictor (it must have no forecasts).", 1, delete_predictor},
    {"get-accuracy-metrics", "GetAccuracyMetrics", "predictor-name= predictor-arn=",
     "Print the backtest accuracy metrics of a predictor.", 0, get_accuracy_metrics},
    {"create-predictor-backtest-export-job", "CreatePredictorBacktestExportJob",
     "predictor-name= predictor-arn= destination= predictor-backtest-export-job-name=",
     "Write the backtest forecasts and metrics as CSV files under the --destination folder.",
     0, create_predictor_backtest_export_job},
    {"create-forecast", "CreateForecast",
     "forecast-name= predictor-name= predictor-arn= forecast-types= time-series-selector=",
     "Forecast every series of the predictor's dataset group (--forecast-types p10,p50,...\n"
     "picks a subset of the predictor's types), or only those listed in the file or folder\n"
     "of --time-series-selector (the TimeSeriesSelector JSON, inline or file://).",
     1, create_forecast},
    {"describe-forecast", "DescribeForecast", "forecast-name= forecast-arn=",
     "Print a forecast's description.", 0, describe_forecast},
    {"list-forecasts", "ListForecasts", "dataset-group-name=", "List the forecasts.", 0,
     list_forecasts},
    {"delete-forecast", "DeleteForecast", "forecast-name= forecast-arn=", "Delete a forecast.",
     1, delete_forecast},
    {"query-forecast", "QueryForecast", "forecast-name= forecast-arn= filters=",
     "Print the forecast of one series: --filters item_id=X[,dimension=V] or a JSON map.", 0,
     query_forecast},
    {"create-forecast-export-job", "CreateForecastExportJob",
     "forecast-name= forecast-arn= destination= forecast-export-job-name=",
     "Write a forecast as CSV to --destination (a file, or a folder that gets\n"
     "JOBNAME_part0.csv).",
     0, create_forecast_export_job},
    {"plot", "Plot", "forecast-name= forecast-arn= item-id= output=",
     "Draw the forecast of one item as an SVG chart into --output.", 0, plot},
    {NULL, NULL, NULL, NULL, 0, NULL},
};

static const char forecast_help[] =
    "Amazon Forecast on the local workspace (default ./tsrec-data, --workspace DIR or\n"
    "$TSREC_WORKSPACE).";

int cli_forecast_main(int argc, char **argv)
{
    return cli_dispatch("forecast", forecast_help, forecast_cmds, argc, argv);
}

/* The forecastquery service of the AWS CLI has only query-forecast. */
int cli_forecastquery_main(int argc, char **argv)
{
    static const cli_command cmds[] = {
        {"query-forecast", "QueryForecast", "forecast-name= forecast-arn= filters=",
         "Print the forecast of one series: --filters item_id=X[,dimension=V] or a JSON map.",
         0, query_forecast},
        {NULL, NULL, NULL, NULL, 0, NULL},
    };
    return cli_dispatch("forecastquery", "Amazon Forecast Query.", cmds, argc, argv);
}
