/* tsrec CLI: `tsrec personalize-runtime` (GetRecommendations,
 * GetPersonalizedRanking) and `tsrec personalize-events` (PutEvents) over
 * the campaigns, filters and event trackers of the workspace; the events
 * table also lists PutUsers / PutItems (cli_put_records.c). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tsrec/io.h>

#include "cli_personalize.h"
#include "cli_personalize_internal.h"
#include "cli_store.h"

#define SVC "personalize"

/* Append ,"key":<json> where the option is inline JSON or a file. */
static int add_json_opt(cli_call *call, cli_sb *req, const char *opt, const char *key)
{
    const char *v = cli_opt(call, opt);
    if (v == NULL)
        return CLI_EXIT_OK;
    int rc = CLI_EXIT_OK;
    size_t len = 0;
    char *j = cli_json_arg(v, &len, &rc);
    if (j == NULL)
        return rc;
    if (!cli_json_valid(j, len)) {
        free(j);
        return cli_fail_ex(call, "InvalidInputException", "--%s is not valid JSON", opt);
    }
    cli_sb_printf(req, ",\"%s\":", key);
    cli_sb_add(req, j, len);
    free(j);
    return CLI_EXIT_OK;
}

/* Shared body of both runtime verbs: build the request, load the campaign
 * (and filter), call the library, print its response. */
static int runtime_call(cli_call *call, int ranking)
{
    const char *cname = cli_opt(call, "campaign-arn");
    cname = cname ? cli_arn_name(cname) : cli_need(call, "campaign-name");
    if (cname == NULL)
        return CLI_EXIT_USAGE;
    const char *user = cli_opt(call, "user-id");
    const char *item = cli_opt(call, "item-id");
    const char *list = NULL;
    if (ranking && (user == NULL || (list = cli_opt(call, "input-list")) == NULL))
        return cli_usage_error(call, "--user-id and --input-list are required");
    if (!ranking && user == NULL && item == NULL)
        return cli_usage_error(call, "--user-id or --item-id is required");
    int64_t k = 0;
    if (!ranking && cli_opt_int(call, "num-results", 1, 500, &k) != 0)
        return CLI_EXIT_USAGE;
    const char *fname = cli_opt(call, "filter-arn");
    fname = fname ? cli_arn_name(fname) : cli_opt(call, "filter-name");

    cli_sb req = {0};
    cli_sb_add(&req, "{", 1);
    int n = 0;
    if (user) {
        cli_sb_printf(&req, "\"userId\":");
        cli_sb_str(&req, user);
        n++;
    }
    if (item) {
        cli_sb_printf(&req, "%s\"itemId\":", n++ ? "," : "");
        cli_sb_str(&req, item);
    }
    if (k > 0)
        cli_sb_printf(&req, ",\"numResults\":%lld", (long long)k);
    if (list) {
        /* a,b,c or a JSON array */
        cli_sb_printf(&req, ",\"inputList\":");
        if (list[0] == '[') {
            cli_sb_add(&req, list, strlen(list));
        } else {
            cli_sb_add(&req, "[", 1);
            const char *p = list;
            int m = 0;
            while (*p) {
                const char *e = strchr(p, ',');
                size_t l = e ? (size_t)(e - p) : strlen(p);
                char id[512];
                if (l > 0 && l < sizeof id) {
                    memcpy(id, p, l);
                    id[l] = '\0';
                    if (m++)
                        cli_sb_add(&req, ",", 1);
                    cli_sb_str(&req, id);
                }
                p += l;
                if (*p == ',')
                    p++;
            }
            cli_sb_add(&req, "]", 1);
        }
    }
    if (fname) {
        cli_sb_printf(&req, ",\"filterArn\":");
        cli_sb_str(&req, fname);
    }
    int rc = add_json_opt(call, &req, "filter-values", "filterValues");
    if (rc == CLI_EXIT_OK)
        rc = add_json_opt(call, &req, "context", "context");
    cli_sb_add(&req, "}", 1);
    if (rc == CLI_EXIT_OK && req.oom)
        rc = cli_io_error("out of memory");

    char group[CLI_NAME_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_find(call, SVC, "campaigns", "campaign", cname, group);
    char fgroup[CLI_NAME_MAX];
    if (rc == CLI_EXIT_OK && fname) {
        rc = cli_find(call, SVC, "filters", "filter", fname, fgroup);
        if (rc == CLI_EXIT_OK && strcmp(fgroup, group) != 0)
            rc = cli_fail_ex(call, "InvalidInputException",
                             "filter '%s' belongs to another dataset group", fname);
    }
    tsrec_dataset_group *g = NULL;
    tsrec_solution *sol = NULL;
    tsrec_campaign *camp = NULL;
    tsrec_filter *filt = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK)
        rc = cli_pz_load_campaign(call, group, cname, g, &sol, &camp);
    if (rc == CLI_EXIT_OK && fname) {
        char path[CLI_PATH_MAX];
        rc = cli_obj_path(call, SVC, group, "filters", fname, path, sizeof path);
        if (rc == CLI_EXIT_OK && tsrec_filter_load(g, path, &filt) != TSREC_OK)
            rc = cli_io_error("cannot load filter '%s': %s", fname, tsrec_errmsg(g));
        if (rc == CLI_EXIT_OK) {
            int st = tsrec_campaign_attach_filter(camp, filt);
            if (st != TSREC_OK)
                rc = cli_fail(call, st, tsrec_errmsg(camp));
        }
    }
    if (rc == CLI_EXIT_OK) {
        size_t len = 0;
        int st = ranking ? tsrec_campaign_rank_json(camp, req.p, req.len, NULL, 0, &len)
                         : tsrec_campaign_recommend_json(camp, req.p, req.len, NULL, 0, &len);
        char *buf = st == TSREC_OK ? malloc(len + 1) : NULL;
        if (st == TSREC_OK && buf == NULL)
            rc = cli_io_error("out of memory");
        else if (st == TSREC_OK)
            st = ranking ? tsrec_campaign_rank_json(camp, req.p, req.len, buf, len + 1, &len)
                         : tsrec_campaign_recommend_json(camp, req.p, req.len, buf, len + 1,
                                                         &len);
        if (rc == CLI_EXIT_OK && st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(camp));
        if (rc == CLI_EXIT_OK)
            cli_print_json(stdout, buf, len);
        free(buf);
    }
    tsrec_campaign_free(camp);
    tsrec_filter_free(filt);
    tsrec_solution_free(sol);
    tsrec_dataset_group_free(g);
    cli_sb_free(&req);
    return rc;
}

static int get_recommendations(cli_call *call)
{
    return runtime_call(call, 0);
}

static int get_personalized_ranking(cli_call *call)
{
    return runtime_call(call, 1);
}

/* ---- put-events --------------------------------------------------------- */

typedef struct tracker_search {
    cli_call *call;
    const char *tracking_id;
    char group[CLI_NAME_MAX];
    char name[CLI_NAME_MAX];
} tracker_search;

static int tracker_visit(void *user, const char *group, const char *name)
{
    tracker_search *ts = user;
    char *meta = NULL;
    size_t len = 0;
    if (cli_read_meta(ts->call, SVC, group, "event-trackers", name, &meta, &len) != CLI_EXIT_OK)
        return 0;
    char *id = cli_json_get_str(meta, len, "trackingId");
    int hit = id && strcmp(id, ts->tracking_id) == 0;
    free(id);
    free(meta);
    if (hit) {
        snprintf(ts->group, sizeof ts->group, "%s", group);
        snprintf(ts->name, sizeof ts->name, "%s", name);
    }
    return hit;
}

/* Campaigns of the group, loaded with their solutions, to receive the
 * events live and be saved with them. */
#define MAX_CAMPAIGNS 64
typedef struct live_set {
    cli_call *call;
    tsrec_dataset_group *g;
    int n;
    char names[MAX_CAMPAIGNS][CLI_NAME_MAX];
    tsrec_solution *sol[MAX_CAMPAIGNS];
    tsrec_campaign *camp[MAX_CAMPAIGNS];
    int rc;
} live_set;

static int campaign_visit(void *user, const char *group, const char *name)
{
    live_set *ls = user;
    if (ls->n == MAX_CAMPAIGNS) {
        ls->rc = cli_fail_ex(ls->call, "LimitExceededException",
                             "more than %d campaigns in dataset group '%s'", MAX_CAMPAIGNS,
                             group);
        return 1;
    }
    int i = ls->n;
    snprintf(ls->names[i], CLI_NAME_MAX, "%s", name);
    ls->rc = cli_pz_load_campaign(ls->call, group, name, ls->g, &ls->sol[i], &ls->camp[i]);
    if (ls->rc != CLI_EXIT_OK) {
        tsrec_campaign_free(ls->camp[i]);
        tsrec_solution_free(ls->sol[i]);
        return 1;
    }
    ls->n++;
    return 0;
}

static int put_events(cli_call *call)
{
    const char *tid = cli_need(call, "tracking-id");
    const char *sid = tid ? cli_need(call, "session-id") : NULL;
    const char *events = sid ? cli_need(call, "event-list") : NULL;
    if (events == NULL)
        return CLI_EXIT_USAGE;
    const char *user = cli_opt(call, "user-id");
    int rc = CLI_EXIT_OK;
    size_t elen = 0;
    char *ej = cli_json_arg(events, &elen, &rc);
    if (ej == NULL)
        return rc;
    cli_sb req = {0};
    cli_sb_printf(&req, "{\"trackingId\":");
    cli_sb_str(&req, tid);
    cli_sb_printf(&req, ",\"sessionId\":");
    cli_sb_str(&req, sid);
    if (user) {
        cli_sb_printf(&req, ",\"userId\":");
        cli_sb_str(&req, user);
    }
    cli_sb_printf(&req, ",\"eventList\":");
    cli_sb_add(&req, ej, elen);
    cli_sb_add(&req, "}", 1);
    free(ej);
    if (!cli_json_valid(req.p ? req.p : "", req.len))
        rc = cli_fail_ex(call, "InvalidInputException", "--event-list is not valid JSON");

    tracker_search ts;
    memset(&ts, 0, sizeof ts);
    ts.call = call;
    ts.tracking_id = tid;
    if (rc == CLI_EXIT_OK && cli_ws_each(&call->ws, SVC, NULL, "event-trackers", tracker_visit,
                                         &ts) != 1)
        rc = cli_fail_ex(call, "ResourceNotFoundException",
                         "no event tracker has tracking id '%s'", tid);
    live_set *ls = calloc(1, sizeof *ls);
    if (ls == NULL && rc == CLI_EXIT_OK)
        rc = cli_io_error("out of memory");
    tsrec_dataset_group *g = NULL;
    tsrec_event_tracker *tr = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, ts.group, &g);
    char tpath[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_obj_path(call, SVC, ts.group, "event-trackers", ts.name, tpath, sizeof tpath);
    if (rc == CLI_EXIT_OK && tsrec_event_tracker_load(g, tpath, &tr) != TSREC_OK)
        rc = cli_io_error("cannot load event tracker '%s': %s", ts.name, tsrec_errmsg(g));
    if (rc == CLI_EXIT_OK) {
        ls->call = call;
        ls->g = g;
        cli_ws_each(&call->ws, SVC, ts.group, "campaigns", campaign_visit, ls);
        rc = ls->rc;
    }
    for (int i = 0; rc == CLI_EXIT_OK && i < ls->n; i++) {
        int st = tsrec_event_tracker_attach(tr, ls->camp[i]);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(tr));
    }
    if (rc == CLI_EXIT_OK && req.oom)
        rc = cli_io_error("out of memory");
    if (rc == CLI_EXIT_OK) {
        int st = tsrec_event_tracker_put_events(tr, req.p, req.len);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(tr));
    }
    /* The events are in the Interactions dataset (group), in each
     * campaign's live state and in the tracker: all of them are replaced
     * in one commit, so a command killed on the way leaves the old files
     * or the new ones, never campaigns that miss events the group has. */
    cli_commit cm;
    cli_commit_init(&cm, &call->ws);
    if (rc == CLI_EXIT_OK)
        rc = cli_stage_group(call, &cm, SVC, ts.group, g);
    for (int i = 0; rc == CLI_EXIT_OK && i < ls->n; i++) {
        char path[CLI_PATH_MAX], pending[CLI_PATH_MAX];
        rc = cli_obj_path(call, SVC, ts.group, "campaigns", ls->names[i], path, sizeof path);
        if (rc == CLI_EXIT_OK)
            rc = cli_stage(&cm, path, pending, sizeof pending);
        if (rc == CLI_EXIT_OK && tsrec_campaign_save(ls->camp[i], pending) != TSREC_OK)
            rc = cli_io_error("cannot save campaign '%s': %s", ls->names[i],
                              tsrec_errmsg(ls->camp[i]));
    }
    char tpending[CLI_PATH_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_stage(&cm, tpath, tpending, sizeof tpending);
    if (rc == CLI_EXIT_OK && tsrec_event_tracker_save(tr, tpending) != TSREC_OK)
        rc = cli_io_error("cannot save event tracker '%s': %s", ts.name, tsrec_errmsg(tr));
    rc = cli_commit_finish(&cm, rc);
    tsrec_event_tracker_free(tr);
    for (int i = 0; ls && i < ls->n; i++) {
        tsrec_campaign_free(ls->camp[i]);
        tsrec_solution_free(ls->sol[i]);
    }
    free(ls);
    tsrec_dataset_group_free(g);
    cli_sb_free(&req);
    return rc;
}

static const cli_command runtime_cmds[] = {
    {"get-recommendations", "GetRecommendations",
     "campaign-name= campaign-arn= user-id= item-id= num-results= filter-name= filter-arn= "
     "filter-values= context=",
     "Recommend items for --user-id (or items like --item-id) from a campaign.\n"
     "--filter-values is the JSON map, e.g. '{\"GENRE\":\"\\\"comedy\\\"\"}'.",
     0, get_recommendations},
    {"get-personalized-ranking", "GetPersonalizedRanking",
     "campaign-name= campaign-arn= user-id= input-list= filter-name= filter-arn= "
     "filter-values= context=",
     "Rank --input-list a,b,c (or a JSON array) for --user-id.", 0, get_personalized_ranking},
    {NULL, NULL, NULL, NULL, 0, NULL},
};

static const cli_command events_cmds[] = {
    {"put-events", "PutEvents", "tracking-id= session-id= user-id= event-list=",
     "Record events: --event-list is the JSON array (inline, file or file://file) of\n"
     "{\"eventType\",\"sentAt\",\"itemId\",...}. They reach the group's Interactions dataset\n"
     "and every campaign of the group at once.",
     1, put_events},
    {"put-users", "PutUsers", "dataset-arn= users=",
     "Add or update users of a Users dataset: --users is the JSON array (inline, file or\n"
     "file://file) of 1 to 10 {\"userId\":...,\"properties\":\"{\\\"AGE\\\":30}\"}; the\n"
     "properties keys (camelCase) name the schema's fields.",
     1, cli_pz_put_users},
    {"put-items", "PutItems", "dataset-arn= items=",
     "Add or update items of an Items dataset: --items is the JSON array of 1 to 10\n"
     "{\"itemId\":...,\"properties\":\"{\\\"GENRE\\\":\\\"comedy\\\"}\"}. Filters and campaigns\n"
     "see the new metadata in the next command.",
     1, cli_pz_put_items},
    {NULL, NULL, NULL, NULL, 0, NULL},
};

int cli_personalize_runtime_main(int argc, char **argv)
{
    return cli_dispatch("personalize-runtime", "Amazon Personalize Runtime.", runtime_cmds, argc,
                        argv);
}

int cli_personalize_events_main(int argc, char **argv)
{
    return cli_dispatch("personalize-events", "Amazon Personalize Events.", events_cmds, argc,
                        argv);
}
