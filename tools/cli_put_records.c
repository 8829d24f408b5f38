/* tsrec CLI: `tsrec personalize-events put-users` and `put-items`
 * (PutUsers / PutItems): add or update rows of a group's Users or Items
 * dataset by --dataset-arn, as AWS does; no tracking id is involved. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_personalize_internal.h"
#include "cli_store.h"

#define SVC "personalize"

/* Shared body: users = 1 for PutUsers, 0 for PutItems. */
static int put_records(cli_call *call, int users)
{
    const char *opt = users ? "users" : "items";
    const char *type = users ? "Users" : "Items";
    const char *ds_arg = cli_need(call, "dataset-arn");
    const char *list = ds_arg ? cli_need(call, opt) : NULL;
    if (list == NULL)
        return CLI_EXIT_USAGE;
    const char *dataset = cli_arn_name(ds_arg);
    int rc = CLI_EXIT_OK;
    size_t llen = 0;
    char *lj = cli_json_arg(list, &llen, &rc);
    if (lj == NULL)
        return rc;
    if (!cli_json_valid(lj, llen))
        rc = cli_fail_ex(call, "InvalidInputException", "--%s is not valid JSON", opt);
    char group[CLI_NAME_MAX];
    if (rc == CLI_EXIT_OK)
        rc = cli_find(call, SVC, "datasets", "dataset", dataset, group);
    char *meta = NULL, *dtype = NULL;
    size_t mlen = 0;
    if (rc == CLI_EXIT_OK)
        rc = cli_read_meta(call, SVC, group, "datasets", dataset, &meta, &mlen);
    if (rc == CLI_EXIT_OK && (dtype = cli_json_get_str(meta, mlen, "datasetType")) == NULL)
        rc = cli_io_error("description of dataset '%s' is damaged", dataset);
    /* Personalize dataset types are case-insensitive (the library's rule). */
    if (rc == CLI_EXIT_OK && strcasecmp(dtype, type) != 0)
        rc = cli_fail_ex(call, "InvalidInputException",
                         "dataset '%s' has type %s; %s needs the group's %s dataset", dataset,
                         dtype, call->cmd->operation, type);
    /* The request as AWS has it, with the dataset's canonical ARN. */
    char arn[512];
    cli_arn(arn, sizeof arn, SVC, "dataset", dataset);
    cli_sb req = {0};
    cli_sb_printf(&req, "{\"datasetArn\":");
    cli_sb_str(&req, arn);
    cli_sb_printf(&req, ",\"%s\":", opt);
    cli_sb_add(&req, lj, llen);
    cli_sb_add(&req, "}", 1);
    if (rc == CLI_EXIT_OK && req.oom)
        rc = cli_io_error("out of memory");
    /* The library takes the records through an event tracker; a tracker
     * holds no state of its own (campaigns rebuild their metadata indexes
     * from the group when loaded), so a transient one serves, and the
     * group needs none in the workspace. */
    tsrec_dataset_group *g = NULL;
    tsrec_event_tracker *tr = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_load_group(call, SVC, group, &g);
    if (rc == CLI_EXIT_OK) {
        static const char treq[] = "{\"name\":\"cli-put-records\"}";
        int st = tsrec_event_tracker_create(g, treq, sizeof treq - 1, &tr);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(g));
    }
    if (rc == CLI_EXIT_OK) {
        int st = users ? tsrec_event_tracker_put_users(tr, req.p, req.len)
                       : tsrec_event_tracker_put_items(tr, req.p, req.len);
        if (st != TSREC_OK)
            rc = cli_fail(call, st, tsrec_errmsg(tr));
    }
    /* The rows live in the group file, replaced atomically. */
    if (rc == CLI_EXIT_OK)
        rc = cli_save_group(call, SVC, group, g);
    tsrec_event_tracker_free(tr);
    tsrec_dataset_group_free(g);
    cli_sb_free(&req);
    free(dtype);
    free(meta);
    free(lj);
    return rc;
}

int cli_pz_put_users(cli_call *call)
{
    return put_records(call, 1);
}

int cli_pz_put_items(cli_call *call)
{
    return put_records(call, 0);
}
