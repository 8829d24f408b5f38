/* tsrec CLI: `tsrec personalize ...` -- the Amazon Personalize control
 * plane over the local workspace (dataset groups, schemas, datasets,
 * imports, solutions and versions, campaigns, event trackers, filters). */
#define _POSIX_C_SOURCE 200809L
#include "cli_personalize.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tsrec/io.h>

#include "cli_forecast.h"
#include "cli_import_job.h"
#include "cli_personalize_internal.h"
#include "cli_store.h"
#include "tsrec_config.h"

#define SVC "personalize"

/* ---- shared loaders (cli_personalize_internal.h) ----------------------- */

int cli_pz_load_solution(cli_call *call, const char *group, const char *name,
                         tsrec_dataset_group *g, tsrec_solution **out)
{
    char path[CLI_PATH_MAX];
    *out = NULL;
    int rc = cli_obj_path(call, SVC, group, "solutions", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_solution_load(g, path, out) != TSREC_OK)
        rc = cli_io_error("cannot load solution '%s': %s", name, tsrec_errmsg(g));
    return rc;
}

int cli_pz_load_campaign(cli_call *call, const char *group, const char *name,
                         tsrec_dataset_group *g, tsrec_solution **out_solution,
                         tsrec_campaign **out_campaign)
{
    *out_solution = NULL;
    *out_campaign = NULL;
    char *meta = NULL, *sol = NULL;
    size_t len = 0;
    int rc = cli_read_meta(call, SVC, group, "campaigns", name, &meta, &len);
    if (rc == CLI_EXIT_OK && (sol = cli_json_get_str(meta, len, "solutionName")) == NULL)
        rc = cli_io_error("description of campaign '%s' is damaged", name);
    if (rc == CLI_EXIT_OK)
        rc = cli_pz_load_solution(call, group, sol, g, out_solution);
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "campaigns", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_campaign_load(*out_solution, path, out_campaign) != TSREC_OK)
        rc = cli_io_error("cannot load campaign '%s': %s", name, tsrec_errmsg(*out_solution));
    free(sol);
    free(meta);
    return rc;
}

/* Write a description built as {"<k>":"<v>",...} of string pairs (NULL
 * values skipped) plus status and time; with `cm` set, staged into that
 * commit (cli_commit.h) instead. */
static int write_desc_to(cli_call *call, cli_commit *cm, const char *group, const char *kind,
                         const char *name, const char *const *kv, const char *extra_raw)
{
    cli_sb m = {0};
    cli_sb_add(&m, "{", 1);
    int n = 0;
    for (int i = 0; kv[i]; i += 2) {
        if (kv[i + 1] == NULL)
            continue;
        if (n++)
            cli_sb_add(&m, ",", 1);
        cli_sb_str(&m, kv[i]);
        cli_sb_add(&m, ":", 1);
        cli_sb_str(&m, kv[i + 1]);
    }
    if (extra_raw)
        cli_sb_printf(&m, ",%s", extra_raw);
    cli_sb_printf(&m, ",\"status\":\"ACTIVE\",\"creationDateTime\":%.3f}", cli_now());
    int rc = cm ? cli_stage_meta(call, cm, SVC, group, kind, name, &m)
                : cli_write_meta(call, SVC, group, kind, name, &m);
    cli_sb_free(&m);
    return rc;
}

static int write_desc(cli_call *call, const char *group, const char *kind, const char *name,
                      const char *const *kv, const char *extra_raw)
{
    return write_desc_to(call, NULL, group, kind, name, kv, extra_raw);
}

static const char *group_opt(cli_call *call)
{
    return cli_arn_or_name(call, "dataset-group");
}

/* ---- dataset groups ---------------------------------------------------- */

static int create_dataset_group(cli_call *call)
{
    const char *name = cli_need(call, "name");
    if (name == NULL)
        return CLI_EXIT_USAGE;
    const char *domain = cli_opt(call, "domain");
    int rc = cli_create_group(call, SVC, TSREC_SERVICE_PERSONALIZE, name, domain);
    char arn[512];
    cli_arn(arn, sizeof arn, SVC, "dataset-group", name);
    if (rc == CLI_EXIT_OK) {
        const char *kv[] = {"name", name, "datasetGroupArn", arn, "domain", domain, NULL};
        rc = write_desc(call, name, NULL, NULL, kv, NULL);
    }
    return rc == CLI_EXIT_OK ? cli_respond_arn("datasetGroupArn", arn) : rc;
}

static int describe_dataset_group(cli_call *call)
{
    const char *g = group_opt(call);
    return g ? cli_describe(call, SVC, NULL, "dataset group", g) : CLI_EXIT_USAGE;
}

static int list_dataset_groups(cli_call *call)
{
    return cli_list(call, SVC, NULL, "datasetGroups", NULL);
}

static int delete_dataset_group(cli_call *call)
{
    const char *g = group_opt(call);
    if (g == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_need_group(call, SVC, g);
    if (rc != CLI_EXIT_OK)
        return rc;
    int busy = 0;
    const char *kinds[] = {"solutions", "campaigns", "event-trackers", "filters"};
    for (int i = 0; i < 4; i++)
        cli_ws_each(&call->ws, SVC, g, kinds[i], cli_ws_visit_any, &busy);
    if (busy)
        return cli_fail_ex(call, "ResourceInUseException",
                           "dataset group '%s' still has solutions, campaigns, event trackers "
                           "or filters",
                           g);
    if (cli_ws_delete_group(&call->ws, SVC, g) != 0)
        return cli_io_error("cannot delete dataset group '%s': %s", g, strerror(errno));
    return CLI_EXIT_OK;
}

/* ---- schemas (account-wide: personalize/_schemas/NAME.json) ---------- */

static int schema_path(const cli_call *call, const char *name, char *buf, size_t cap)
{
    if (cli_ws_path(&call->ws, buf, cap, "%s/_schemas/%s.json", SVC, name) != 0)
        return cli_io_error("workspace path too long");
    return CLI_EXIT_OK;
}

static int create_schema(cli_call *call)
{
    const char *name = cli_need(call, "name");
    const char *arg = name ? cli_need(call, "schema") : NULL;
    if (arg == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_check_name(call, SVC, "schema name", name);
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = schema_path(call, name, path, sizeof path);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (access(path, F_OK) == 0)
        return cli_fail_ex(call, "ResourceAlreadyExistsException", "schema '%s' already exists",
                           name);
    size_t len = 0;
    char *json = cli_json_arg(arg, &len, &rc);
    if (json == NULL)
        return rc;
    tsrec_ctx *ctx = cli_ctx(call, 0);
    tsrec_schema *schema = NULL;
    if (ctx == NULL) {
        rc = CLI_EXIT_IO;
    } else {
        int st = tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, json, len, &schema);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(ctx));
    }
    tsrec_schema_free(schema);
    char arn[512];
    cli_arn(arn, sizeof arn, SVC, "schema", name);
    if (rc == CLI_EXIT_OK) {
        /* DescribeSchema returns the Avro text as a JSON string. */
        cli_sb m = {0};
        cli_sb_printf(&m, "{\"name\":");
        cli_sb_str(&m, name);
        cli_sb_printf(&m, ",\"schemaArn\":");
        cli_sb_str(&m, arn);
        cli_sb_printf(&m, ",\"schema\":");
        cli_sb_str(&m, json);
        const char *domain = cli_opt(call, "domain");
        if (domain) {
            cli_sb_printf(&m, ",\"domain\":");
            cli_sb_str(&m, domain);
        }
        cli_sb_printf(&m, ",\"creationDateTime\":%.3f}", cli_now());
        if (m.oom)
            rc = cli_io_error("out of memory");
        else if (cli_ws_write_atomic(path, m.p, m.len) != 0)
            rc = cli_io_error("cannot write '%s': %s", path, strerror(errno));
        cli_sb_free(&m);
    }
    free(json);
    return rc == CLI_EXIT_OK ? cli_respond_arn("schemaArn", arn) : rc;
}

static const char *schema_name_opt(cli_call *call)
{
    return cli_arn_or_name(call, "schema");
}

/* The Avro text of a schema, malloc'd. */
static int read_schema(cli_call *call, const char *name, char **out)
{
    char path[CLI_PATH_MAX];
    *out = NULL;
    int rc = cli_check_name(call, SVC, "schema name", name);
    if (rc == CLI_EXIT_OK)
        rc = schema_path(call, name, path, sizeof path);
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t len = 0;
    char *meta = cli_read_file(path, &len);
    if (meta == NULL)
        return errno == ENOENT
                   ? cli_fail_ex(call, "ResourceNotFoundException", "schema '%s' does not exist",
                                 name)
                   : cli_io_error("cannot read '%s': %s", path, strerror(errno));
    *out = cli_json_get_str(meta, len, "schema");
    free(meta);
    return *out ? CLI_EXIT_OK : cli_io_error("description of schema '%s' is damaged", name);
}

static int describe_schema(cli_call *call)
{
    const char *name = schema_name_opt(call);
    if (name == NULL)
        return CLI_EXIT_USAGE;
    char *avro = NULL;
    int rc = read_schema(call, name, &avro);
    free(avro);
    if (rc != CLI_EXIT_OK)
        return rc;
    char path[CLI_PATH_MAX];
    if ((rc = schema_path(call, name, path, sizeof path)) != CLI_EXIT_OK)
        return rc;
    size_t len = 0;
    char *meta = cli_read_file(path, &len);
    if (meta == NULL)
        return cli_io_error("cannot read '%s'", path);
    rc = cli_respond_wrapped("schema", meta, len);
    free(meta);
    return rc;
}

typedef struct schema_list {
    cli_call *call;
    cli_sb *sb;
    int n;
} schema_list;

static int schema_visit(void *user, const char *dir, const char *name)
{
    schema_list *sl = user;
    char path[CLI_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    size_t len = 0;
    char *meta = cli_read_file(path, &len);
    if (meta != NULL && cli_json_valid(meta, len)) {
        if (sl->n++)
            cli_sb_add(sl->sb, ",", 1);
        cli_sb_add(sl->sb, meta, len);
    }
    free(meta);
    return 0;
}

static int list_schemas(cli_call *call)
{
    char dir[CLI_PATH_MAX];
    if (cli_ws_path(&call->ws, dir, sizeof dir, "%s/_schemas", SVC) != 0)
        return cli_io_error("workspace path too long");
    cli_sb sb = {0};
    cli_sb_printf(&sb, "{\"schemas\":[");
    schema_list sl = {call, &sb, 0};
    cli_ws_each_file(dir, "json", schema_visit, &sl);
    cli_sb_add(&sb, "]}", 2);
    int rc = cli_respond(&sb);
    cli_sb_free(&sb);
    return rc;
}

static int delete_schema(cli_call *call)
{
    const char *name = schema_name_opt(call);
    if (name == NULL)
        return CLI_EXIT_USAGE;
    char *avro = NULL;
    int rc = read_schema(call, name, &avro);
    free(avro);
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = schema_path(call, name, path, sizeof path);
    if (rc == CLI_EXIT_OK && unlink(path) != 0)
        rc = cli_io_error("cannot delete schema '%s': %s", name, strerror(errno));
    return rc;
}

/* ---- datasets and imports ---------------------------------------------- */

static int create_dataset(cli_call *call)
{
    const char *name = cli_need(call, "name");
    const char *group = name ? group_opt(call) : NULL;
    const char *type = group ? cli_need(call, "dataset-type") : NULL;
    const char *sname = type ? schema_name_opt(call) : NULL;
    if (sname == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_need_group(call, SVC, group);
    if (rc == CLI_EXIT_OK)
        rc = cli_absent(call, SVC, "datasets", "dataset", name);
    char *avro = NULL;
    if (rc == CLI_EXIT_OK)
        rc = read_schema(call, sname, &avro);
    tsrec_dataset_group *g = NULL;
    tsrec_schema *schema = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_schema_parse(call->ctx, TSREC_SERVICE_PERSONALIZE, avro, strlen(avro),
                                    &schema);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(call->ctx));
    }
    if (rc == CLI_EXIT_OK) {
        tsrec_dataset *ds = NULL;
        int st = tsrec_dataset_group_create_dataset(g, name, type, schema, NULL, &ds);
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
    char arn[512], sarn[512], garn[512];
    cli_arn(arn, sizeof arn, SVC, "dataset", name);
    cli_arn(sarn, sizeof sarn, SVC, "schema", sname);
    cli_arn(garn, sizeof garn, SVC, "dataset-group", group);
    if (rc == CLI_EXIT_OK) {
        const char *kv[] = {"name", name, "datasetArn", arn, "datasetType", type,
                            "datasetGroupArn", garn, "datasetGroupName", group,
                            "schemaArn", sarn, NULL};
        rc = write_desc_to(call, &cm, group, "datasets", name, kv, NULL);
    }
    rc = cli_commit_finish(&cm, rc);
    tsrec_schema_free(schema);
    tsrec_dataset_group_free(g);
    free(avro);
    return rc == CLI_EXIT_OK ? cli_respond_arn("datasetArn", arn) : rc;
}

static const char *dataset_name_opt(cli_call *call)
{
    return cli_arn_or_name(call, "dataset");
}

static int describe_dataset(cli_call *call)
{
    const char *name = dataset_name_opt(call);
    return name ? cli_describe(call, SVC, "datasets", "dataset", name) : CLI_EXIT_USAGE;
}

static int list_datasets(cli_call *call)
{
    const char *g = cli_opt(call, "dataset-group-arn");
    if (g == NULL)
        g = cli_opt(call, "dataset-group-name");
    return cli_list(call, SVC, "datasets", "datasets", g ? cli_arn_name(g) : NULL);
}

static int create_dataset_import_job(cli_call *call)
{
    const char *ds = dataset_name_opt(call);
    const char *src = ds ? cli_need(call, "data-source") : NULL;
    if (src == NULL)
        return CLI_EXIT_USAGE;
    const char *job = cli_opt(call, "job-name");
    if (job) {
        int rc = cli_check_name(call, SVC, "job name", job);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    return cli_import(call, SVC, ds, src, job, NULL, NULL, cli_opt(call, "import-mode"));
}

/* ---- solutions and versions ------------------------------------------ */

static int create_solution(cli_call *call)
{
    const char *name = cli_need(call, "name");
    const char *group = name ? group_opt(call) : NULL;
    const char *recipe = group ? cli_need(call, "recipe-arn") : NULL;
    if (recipe == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_need_group(call, SVC, group);
    if (rc == CLI_EXIT_OK)
        rc = cli_absent(call, SVC, "solutions", "solution", name);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_sb req = {0};
    cli_sb_printf(&req, "{\"name\":");
    cli_sb_str(&req, name);
    cli_sb_printf(&req, ",\"recipeArn\":");
    cli_sb_str(&req, recipe);
    const char *et = cli_opt(call, "event-type");
    if (et) {
        cli_sb_printf(&req, ",\"eventType\":");
        cli_sb_str(&req, et);
    }
    const char *cfg = cli_opt(call, "solution-config");
    if (cfg) {
        size_t len = 0;
        char *cj = cli_json_arg(cfg, &len, &rc);
        if (cj == NULL) {
            cli_sb_free(&req);
            return rc;
        }
        cli_sb_printf(&req, ",\"solutionConfig\":");
        cli_sb_add(&req, cj, len);
        free(cj);
    }
    cli_sb_add(&req, "}", 1);
    tsrec_dataset_group *g = NULL;
    tsrec_solution *sol = NULL;
    rc = req.oom ? cli_io_error("out of memory") : cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_solution_create(g, req.p, req.len, &sol);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(g));
    }
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "solutions", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_solution_save(sol, path) != TSREC_OK)
        rc = cli_io_error("cannot save solution '%s': %s", name, tsrec_errmsg(sol));
    char arn[512], garn[512];
    cli_arn(arn, sizeof arn, SVC, "solution", name);
    cli_arn(garn, sizeof garn, SVC, "dataset-group", group);
    if (rc == CLI_EXIT_OK) {
        const char *kv[] = {"name", name, "solutionArn", arn, "recipeArn", recipe,
                            "datasetGroupArn", garn, "eventType", et, NULL};
        rc = write_desc(call, group, "solutions", name, kv, "\"versions\":0");
    }
    tsrec_solution_free(sol);
    tsrec_dataset_group_free(g);
    cli_sb_free(&req);
    return rc == CLI_EXIT_OK ? cli_respond_arn("solutionArn", arn) : rc;
}

static const char *solution_name_opt(cli_call *call)
{
    return cli_arn_or_name(call, "solution");
}

#if TSREC_WITH_PERSONALIZE
/* Stage a solution's description with its version count into cm. */
static int update_solution_desc(cli_call *call, cli_commit *cm, const char *group,
                                const char *name, int64_t versions)
{
    char *meta = NULL;
    size_t len = 0;
    int rc = cli_read_meta(call, SVC, group, "solutions", name, &meta, &len);
    if (rc != CLI_EXIT_OK)
        return rc;
    char *recipe = cli_json_get_str(meta, len, "recipeArn");
    char *et = cli_json_get_str(meta, len, "eventType");
    char arn[512], garn[512], extra[64], last[600];
    cli_arn(arn, sizeof arn, SVC, "solution", name);
    cli_arn(garn, sizeof garn, SVC, "dataset-group", group);
    snprintf(extra, sizeof extra, "\"versions\":%lld", (long long)versions);
    snprintf(last, sizeof last, "%s/%lld", arn, (long long)versions);
    const char *kv[] = {"name", name, "solutionArn", arn, "recipeArn", recipe,
                        "datasetGroupArn", garn, "eventType", et,
                        "latestSolutionVersionArn", last, NULL};
    rc = write_desc_to(call, cm, group, "solutions", name, kv, extra);
    free(recipe);
    free(et);
    free(meta);
    return rc;
}
#endif

static int create_solution_version(cli_call *call)
{
    const char *name = solution_name_opt(call);
    if (name == NULL)
        return CLI_EXIT_USAGE;
#if !TSREC_WITH_PERSONALIZE
    return cli_fail(call, TSREC_E_UNSUPPORTED, "libtsrec was built without Personalize");
#else
    const char *mode = cli_opt(call, "training-mode");
    int32_t tm = TSREC_TRAINING_FULL;
    if (mode && strcmp(mode, "UPDATE") == 0)
        tm = TSREC_TRAINING_UPDATE;
    else if (mode && strcmp(mode, "FULL") != 0)
        return cli_usage_error(call, "--training-mode must be FULL or UPDATE");
    char group[CLI_NAME_MAX];
    int rc = cli_find(call, SVC, "solutions", "solution", name, group);
    tsrec_dataset_group *g = NULL;
    tsrec_solution *sol = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK)
        rc = cli_pz_load_solution(call, group, name, g, &sol);
    int64_t nv = 0;
    if (rc == CLI_EXIT_OK) {
        tsrec_solution_version *v = NULL;
        int st = tsrec_solution_train(sol, tm, &v);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(sol));
        else
            tsrec_solution_version_count(sol, &nv);
    }
    /* The solution (every version) and its description (the count and
     * latest version) in one commit, so they never disagree. */
    cli_commit cm;
    cli_commit_init(&cm, &call->ws);
    char path[CLI_PATH_MAX], pending[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "solutions", name, path, sizeof path);
    if (rc == CLI_EXIT_OK)
        rc = cli_stage(&cm, path, pending, sizeof pending);
    if (rc == CLI_EXIT_OK && tsrec_solution_save(sol, pending) != TSREC_OK)
        rc = cli_io_error("cannot save solution '%s': %s", name, tsrec_errmsg(sol));
    if (rc == CLI_EXIT_OK)
        rc = update_solution_desc(call, &cm, group, name, nv);
    rc = cli_commit_finish(&cm, rc);
    tsrec_solution_free(sol);
    tsrec_dataset_group_free(g);
    char arn[600], sarn[512];
    cli_arn(sarn, sizeof sarn, SVC, "solution", name);
    snprintf(arn, sizeof arn, "%s/%lld", sarn, (long long)nv);
    return rc == CLI_EXIT_OK ? cli_respond_arn("solutionVersionArn", arn) : rc;
#endif
}

/* --solution-version-arn arn:...:solution/NAME/N, or --solution-name for
 * the latest version: the solution name and version number (0 = latest). */
static int version_opts(cli_call *call, char *sol, size_t cap, int64_t *number)
{
    const char *arn = cli_opt(call, "solution-version-arn");
    *number = 0;
    if (arn == NULL) {
        const char *n = solution_name_opt(call);
        if (n == NULL)
            return CLI_EXIT_USAGE;
        snprintf(sol, cap, "%s", n);
        return CLI_EXIT_OK;
    }
    const char *last = strrchr(arn, '/');
    const char *prev = NULL;
    for (const char *p = arn; p < last; p++)
        if (*p == '/')
            prev = p;
    char *end = NULL;
    long long v = last ? strtoll(last + 1, &end, 10) : 0;
    if (last == NULL || prev == NULL || end == last + 1 || *end != '\0' || v < 1 ||
        (size_t)(last - prev - 1) >= cap)
        return cli_fail_ex(call, "InvalidInputException",
                           "'%s' is not a solution version ARN (.../solution/NAME/N)", arn);
    memcpy(sol, prev + 1, (size_t)(last - prev - 1));
    sol[last - prev - 1] = '\0';
    *number = v;
    return CLI_EXIT_OK;
}

#if TSREC_WITH_PERSONALIZE
static int get_version(cli_call *call, tsrec_solution *sol, const char *name, int64_t *number,
                       tsrec_solution_version **v)
{
    if (*number == 0) {
        tsrec_solution_version_count(sol, number);
        if (*number == 0)
            return cli_fail_ex(call, "ResourceNotFoundException",
                               "solution '%s' has no solution version yet", name);
    }
    int st = tsrec_solution_version_get(sol, *number, v);
    if (st == TSREC_E_UNKNOWN_NAME)
        return cli_fail_ex(call, "ResourceNotFoundException", "%s", tsrec_errmsg(sol));
    return st == TSREC_OK ? CLI_EXIT_OK : cli_fail(call, st, tsrec_errmsg(sol));
}
#endif

static int get_solution_metrics(cli_call *call)
{
    char name[CLI_NAME_MAX];
    int64_t number = 0;
    int rc = version_opts(call, name, sizeof name, &number);
    if (rc != CLI_EXIT_OK)
        return rc;
#if !TSREC_WITH_PERSONALIZE
    return cli_fail(call, TSREC_E_UNSUPPORTED, "libtsrec was built without Personalize");
#else
    char group[CLI_NAME_MAX];
    rc = cli_find(call, SVC, "solutions", "solution", name, group);
    tsrec_dataset_group *g = NULL;
    tsrec_solution *sol = NULL;
    tsrec_solution_version *v = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK)
        rc = cli_pz_load_solution(call, group, name, g, &sol);
    if (rc == CLI_EXIT_OK)
        rc = get_version(call, sol, name, &number, &v);
    if (rc == CLI_EXIT_OK) {
        size_t len = 0;
        int st = tsrec_solution_version_metrics_json(v, NULL, 0, &len);
        char *buf = st == TSREC_OK ? malloc(len + 1) : NULL;
        if (st == TSREC_OK && buf == NULL)
            rc = cli_io_error("out of memory");
        else if (st == TSREC_OK)
            st = tsrec_solution_version_metrics_json(v, buf, len + 1, &len);
        if (rc == CLI_EXIT_OK && st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(v));
        /* The library names versions arn:aws:personalize:::solution/NAME/N;
         * answer with the workspace's ARN form, as every other verb does. */
        const char *metrics = NULL;
        size_t ml = 0;
        if (rc == CLI_EXIT_OK && cli_json_find(buf, len, "metrics", &metrics, &ml) != 1)
            rc = cli_io_error("solution version metrics of '%s' are malformed", name);
        if (rc == CLI_EXIT_OK) {
            char sarn[512];
            cli_arn(sarn, sizeof sarn, SVC, "solution", name);
            cli_sb sb = {0};
            cli_sb_printf(&sb, "{\"solutionVersionArn\":\"%s/%lld\",\"metrics\":", sarn,
                          (long long)number);
            cli_sb_add(&sb, metrics, ml);
            cli_sb_add(&sb, "}", 1);
            rc = cli_respond(&sb);
            cli_sb_free(&sb);
        }
        free(buf);
    }
    tsrec_solution_free(sol);
    tsrec_dataset_group_free(g);
    return rc;
#endif
}

static int describe_solution(cli_call *call)
{
    const char *name = solution_name_opt(call);
    return name ? cli_describe(call, SVC, "solutions", "solution", name) : CLI_EXIT_USAGE;
}

static int list_solutions(cli_call *call)
{
    const char *g = cli_opt(call, "dataset-group-arn");
    if (g == NULL)
        g = cli_opt(call, "dataset-group-name");
    return cli_list(call, SVC, "solutions", "solutions", g ? cli_arn_name(g) : NULL);
}

static int delete_solution(cli_call *call)
{
    return cli_delete(call, SVC, "solutions", "solution", solution_name_opt(call), "campaigns",
                      "solutionName");
}

/* ---- campaigns -------------------------------------------------------- */

static int create_campaign(cli_call *call)
{
    const char *name = cli_need(call, "name");
    if (name == NULL)
        return CLI_EXIT_USAGE;
    char sname[CLI_NAME_MAX];
    int64_t number = 0;
    int rc = version_opts(call, sname, sizeof sname, &number);
    if (rc != CLI_EXIT_OK)
        return rc;
#if !TSREC_WITH_PERSONALIZE
    return cli_fail(call, TSREC_E_UNSUPPORTED, "libtsrec was built without Personalize");
#else
    rc = cli_absent(call, SVC, "campaigns", "campaign", name);
    char group[CLI_NAME_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_find(call, SVC, "solutions", "solution", sname, group);
    tsrec_dataset_group *g = NULL;
    tsrec_solution *sol = NULL;
    tsrec_solution_version *v = NULL;
    tsrec_campaign *camp = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK)
        rc = cli_pz_load_solution(call, group, sname, g, &sol);
    if (rc == CLI_EXIT_OK)
        rc = get_version(call, sol, sname, &number, &v);
    char varn[600], sarn[512], arn[512];
    cli_arn(sarn, sizeof sarn, SVC, "solution", sname);
    snprintf(varn, sizeof varn, "%s/%lld", sarn, (long long)number);
    cli_arn(arn, sizeof arn, SVC, "campaign", name);
    if (rc == CLI_EXIT_OK) {
        cli_sb req = {0};
        cli_sb_printf(&req, "{\"name\":");
        cli_sb_str(&req, name);
        cli_sb_printf(&req, ",\"solutionVersionArn\":");
        cli_sb_str(&req, varn);
        int64_t tps = 0;
        if (cli_opt_int(call, "min-provisioned-tps", 1, 1000000, &tps) != 0)
            rc = CLI_EXIT_USAGE;
        else if (tps > 0)
            cli_sb_printf(&req, ",\"minProvisionedTPS\":%lld", (long long)tps);
        cli_sb_add(&req, "}", 1);
        if (rc == CLI_EXIT_OK) {
            int st = req.oom ? TSREC_E_NOMEM : tsrec_campaign_create(v, req.p, req.len, &camp);
            if (st != TSREC_OK)
                rc = cli_fail(call, st, tsrec_errmsg(sol));
        }
        cli_sb_free(&req);
    }
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "campaigns", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_campaign_save(camp, path) != TSREC_OK)
        rc = cli_io_error("cannot save campaign '%s': %s", name, tsrec_errmsg(camp));
    if (rc == CLI_EXIT_OK) {
        const char *kv[] = {"name", name, "campaignArn", arn, "solutionVersionArn", varn,
                            "solutionName", sname, "datasetGroupName", group, NULL};
        rc = write_desc(call, group, "campaigns", name, kv, NULL);
    }
    tsrec_campaign_free(camp);
    tsrec_solution_free(sol);
    tsrec_dataset_group_free(g);
    return rc == CLI_EXIT_OK ? cli_respond_arn("campaignArn", arn) : rc;
#endif
}

static const char *campaign_name_opt(cli_call *call)
{
    return cli_arn_or_name(call, "campaign");
}

static int describe_campaign(cli_call *call)
{
    const char *name = campaign_name_opt(call);
    return name ? cli_describe(call, SVC, "campaigns", "campaign", name) : CLI_EXIT_USAGE;
}

static int list_campaigns(cli_call *call)
{
    return cli_list(call, SVC, "campaigns", "campaigns", NULL);
}

static int delete_campaign(cli_call *call)
{
    return cli_delete(call, SVC, "campaigns", "campaign", campaign_name_opt(call), NULL, NULL);
}

/* ---- event trackers and filters ----------------------------------------- */

/* A tracking id in the AWS shape (8-4-4-4-12 hex), from /dev/urandom
 * with a time/pid fallback; it only has to be unique in the workspace. */
static void make_tracking_id(char *out, size_t cap)
{
    unsigned char b[16];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(b, 1, sizeof b, f) : 0;
    if (f)
        fclose(f);
    if (got != sizeof b) {
        unsigned long long x = (unsigned long long)(cli_now() * 1e6) ^
                               ((unsigned long long)getpid() << 40);
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            b[i] = (unsigned char)(x >> 56);
        }
    }
    snprintf(out, cap,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static int create_event_tracker(cli_call *call)
{
    const char *name = cli_need(call, "name");
    const char *group = name ? group_opt(call) : NULL;
    if (group == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_need_group(call, SVC, group);
    if (rc == CLI_EXIT_OK)
        rc = cli_absent(call, SVC, "event-trackers", "event tracker", name);
    int other = 0;
    if (rc == CLI_EXIT_OK)
        cli_ws_each(&call->ws, SVC, group, "event-trackers", cli_ws_visit_any, &other);
    if (rc == CLI_EXIT_OK && other)
        rc = cli_fail_ex(call, "LimitExceededException",
                         "dataset group '%s' already has an event tracker", group);
    cli_sb req = {0};
    cli_sb_printf(&req, "{\"name\":");
    cli_sb_str(&req, name);
    cli_sb_add(&req, "}", 1);
    tsrec_dataset_group *g = NULL;
    tsrec_event_tracker *tr = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_event_tracker_create(g, req.p, req.len, &tr);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(g));
    }
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "event-trackers", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_event_tracker_save(tr, path) != TSREC_OK)
        rc = cli_io_error("cannot save event tracker '%s': %s", name, tsrec_errmsg(tr));
    char arn[512], tid[64];
    cli_arn(arn, sizeof arn, SVC, "event-tracker", name);
    make_tracking_id(tid, sizeof tid);
    if (rc == CLI_EXIT_OK) {
        const char *kv[] = {"name", name, "eventTrackerArn", arn, "trackingId", tid,
                            "datasetGroupName", group, NULL};
        rc = write_desc(call, group, "event-trackers", name, kv, NULL);
    }
    tsrec_event_tracker_free(tr);
    tsrec_dataset_group_free(g);
    cli_sb_free(&req);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_sb sb = {0};
    cli_sb_printf(&sb, "{\"eventTrackerArn\":");
    cli_sb_str(&sb, arn);
    cli_sb_printf(&sb, ",\"trackingId\":");
    cli_sb_str(&sb, tid);
    cli_sb_add(&sb, "}", 1);
    rc = cli_respond(&sb);
    cli_sb_free(&sb);
    return rc;
}

static const char *tracker_name_opt(cli_call *call)
{
    return cli_arn_or_name(call, "event-tracker");
}

static int describe_event_tracker(cli_call *call)
{
    const char *name = tracker_name_opt(call);
    return name ? cli_describe(call, SVC, "event-trackers", "event tracker", name)
                : CLI_EXIT_USAGE;
}

static int list_event_trackers(cli_call *call)
{
    return cli_list(call, SVC, "event-trackers", "eventTrackers", NULL);
}

static int delete_event_tracker(cli_call *call)
{
    return cli_delete(call, SVC, "event-trackers", "event tracker", tracker_name_opt(call), NULL, NULL);
}

static int create_filter(cli_call *call)
{
    const char *name = cli_need(call, "name");
    const char *group = name ? group_opt(call) : NULL;
    const char *expr = group ? cli_need(call, "filter-expression") : NULL;
    if (expr == NULL)
        return CLI_EXIT_USAGE;
    int rc = cli_need_group(call, SVC, group);
    if (rc == CLI_EXIT_OK)
        rc = cli_absent(call, SVC, "filters", "filter", name);
    cli_sb req = {0};
    cli_sb_printf(&req, "{\"name\":");
    cli_sb_str(&req, name);
    cli_sb_printf(&req, ",\"filterExpression\":");
    cli_sb_str(&req, expr);
    cli_sb_add(&req, "}", 1);
    tsrec_dataset_group *g = NULL;
    tsrec_filter *f = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_filter_create(g, req.p, req.len, &f);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(g));
    }
    char path[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, group, "filters", name, path, sizeof path);
    if (rc == CLI_EXIT_OK && tsrec_filter_save(f, path) != TSREC_OK)
        rc = cli_io_error("cannot save filter '%s': %s", name, tsrec_errmsg(f));
    char arn[512];
    cli_arn(arn, sizeof arn, SVC, "filter", name);
    if (rc == CLI_EXIT_OK) {
        const char *kv[] = {"name", name, "filterArn", arn, "filterExpression", expr,
                            "datasetGroupName", group, NULL};
        rc = write_desc(call, group, "filters", name, kv, NULL);
    }
    tsrec_filter_free(f);
    tsrec_dataset_group_free(g);
    cli_sb_free(&req);
    return rc == CLI_EXIT_OK ? cli_respond_arn("filterArn", arn) : rc;
}

static const char *filter_name_opt(cli_call *call)
{
    return cli_arn_or_name(call, "filter");
}

static int describe_filter(cli_call *call)
{
    const char *name = filter_name_opt(call);
    return name ? cli_describe(call, SVC, "filters", "filter", name) : CLI_EXIT_USAGE;
}

static int list_filters(cli_call *call)
{
    return cli_list(call, SVC, "filters", "Filters", NULL);
}

static int delete_filter(cli_call *call)
{
    return cli_delete(call, SVC, "filters", "filter", filter_name_opt(call), NULL, NULL);
}

/* ---- table ------------------------------------------------------------- */

#define GROUP_OPTS "dataset-group-name= dataset-group-arn= "

static const cli_command personalize_cmds[] = {
    {"create-dataset-group", "CreateDatasetGroup", "name= domain= tags=",
     "Create a Personalize dataset group (custom, or --domain ECOMMERCE|VIDEO_ON_DEMAND).", 1,
     create_dataset_group},
    {"describe-dataset-group", "DescribeDatasetGroup", GROUP_OPTS,
     "Print a dataset group's description.", 0, describe_dataset_group},
    {"list-dataset-groups", "ListDatasetGroups", "", "List the dataset groups.", 0,
     list_dataset_groups},
    {"delete-dataset-group", "DeleteDatasetGroup", GROUP_OPTS,
     "Delete a dataset group and its datasets (it must have no solutions, campaigns,\n"
     "event trackers or filters).",
     1, delete_dataset_group},
    {"create-schema", "CreateSchema", "name= schema= domain=",
     "Create a schema from Avro JSON (--schema file, file://file or inline JSON).", 1,
     create_schema},
    {"describe-schema", "DescribeSchema", "schema-name= schema-arn=", "Print a schema.", 0,
     describe_schema},
    {"list-schemas", "ListSchemas", "", "List the schemas.", 0, list_schemas},
    {"delete-schema", "DeleteSchema", "schema-name= schema-arn=", "Delete a schema.", 1,
     delete_schema},
    {"create-dataset", "CreateDataset",
     "name= " GROUP_OPTS "dataset-type= schema-name= schema-arn=",
     "Create a dataset (--dataset-type Interactions, Users or Items) with a schema.", 1,
     create_dataset},
    {"describe-dataset", "DescribeDataset", "dataset-name= dataset-arn=",
     "Print a dataset's description.", 0, describe_dataset},
    {"list-datasets", "ListDatasets", GROUP_OPTS, "List the datasets.", 0, list_datasets},
    {"create-dataset-import-job", "CreateDatasetImportJob",
     "job-name= dataset-name= dataset-arn= data-source= import-mode= role-arn=",
     "Import a CSV file (with a header) or a folder of them into a dataset\n"
     "(--import-mode FULL replaces, INCREMENTAL appends). The job is recorded, ACTIVE\n"
     "or CREATE FAILED; without --job-name it is named import, import_2, ...",
     1, create_dataset_import_job},
    {"describe-dataset-import-job", "DescribeDatasetImportJob", "dataset-import-job-arn=",
     "Print {\"datasetImportJob\":{...}}: status ACTIVE or CREATE FAILED (with\n"
     "failureReason), dataSource, rowsImported, creationDateTime, lastUpdatedDateTime.",
     0, cli_job_describe},
    {"list-dataset-import-jobs", "ListDatasetImportJobs", "dataset-arn= dataset-name=",
     "List the import jobs, of every dataset or of --dataset-arn / --dataset-name.", 0,
     cli_job_list},
    {"create-solution", "CreateSolution",
     "name= " GROUP_OPTS "recipe-arn= solution-config= event-type= perform-hpo",
     "Create a solution: --recipe-arn (aws-popularity-count, aws-sims, ... or the full\n"
     "ARN), optional --solution-config JSON.",
     1, create_solution},
    {"create-solution-version", "CreateSolutionVersion",
     "solution-name= solution-arn= training-mode= name=",
     "Train a new solution version (--training-mode FULL or UPDATE) and evaluate it.", 1,
     create_solution_version},
    {"get-solution-metrics", "GetSolutionMetrics",
     "solution-version-arn= solution-name= solution-arn=",
     "Print the offline metrics of a solution version (default: the latest).", 0,
     get_solution_metrics},
    {"describe-solution", "DescribeSolution", "solution-name= solution-arn=",
     "Print a solution's description.", 0, describe_solution},
    {"list-solutions", "ListSolutions", GROUP_OPTS, "List the solutions.", 0, list_solutions},
    {"delete-solution", "DeleteSolution", "solution-name= solution-arn=",
     "Delete a solution (it must have no campaigns).", 1, delete_solution},
    {"create-campaign", "CreateCampaign",
     "name= solution-version-arn= solution-name= solution-arn= min-provisioned-tps=",
     "Deploy a solution version (--solution-version-arn, or the latest of --solution-name).",
     1, create_campaign},
    {"describe-campaign", "DescribeCampaign", "campaign-name= campaign-arn=",
     "Print a campaign's description.", 0, describe_campaign},
    {"list-campaigns", "ListCampaigns", "solution-arn=", "List the campaigns.", 0,
     list_campaigns},
    {"delete-campaign", "DeleteCampaign", "campaign-name= campaign-arn=", "Delete a campaign.",
     1, delete_campaign},
    {"create-event-tracker", "CreateEventTracker", "name= " GROUP_OPTS,
     "Create the dataset group's event tracker; prints its trackingId for put-events.", 1,
     create_event_tracker},
    {"describe-event-tracker", "DescribeEventTracker", "event-tracker-name= event-tracker-arn=",
     "Print an event tracker's description.", 0, describe_event_tracker},
    {"list-event-trackers", "ListEventTrackers", GROUP_OPTS, "List the event trackers.", 0,
     list_event_trackers},
    {"delete-event-tracker", "DeleteEventTracker", "event-tracker-name= event-tracker-arn=",
     "Delete an event tracker.", 1, delete_event_tracker},
    {"create-filter", "CreateFilter", "name= " GROUP_OPTS "filter-expression=",
     "Create a filter, e.g. --filter-expression 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE "
     "IN (\"click\")'.",
     1, create_filter},
    {"describe-filter", "DescribeFilter", "filter-name= filter-arn=",
     "Print a filter's description.", 0, describe_filter},
    {"list-filters", "ListFilters", GROUP_OPTS, "List the filters.", 0, list_filters},
    {"delete-filter", "DeleteFilter", "filter-name= filter-arn=", "Delete a filter.", 1,
     delete_filter},
    {NULL, NULL, NULL, NULL, 0, NULL},
};

int cli_personalize_main(int argc, char **argv)
{
    return cli_dispatch("personalize",
                        "Amazon Personalize on the local workspace (default ./tsrec-data,\n"
                        "--workspace DIR or $TSREC_WORKSPACE).",
                        personalize_cmds, argc, argv);
}
