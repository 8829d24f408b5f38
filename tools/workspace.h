/* tsrec CLI: the workspace folder that plays the AWS account.
 *
 * Layout (GROUP = dataset group name, NAME = resource name):
 *   forecast/GROUP/group.tsrec            the dataset group with its data
 *   forecast/GROUP/group.json             its description (DescribeDatasetGroup)
 *   forecast/GROUP/datasets/NAME.json     dataset descriptions (data is in group.tsrec)
 *   forecast/GROUP/predictors/NAME.tsrec  + NAME.json
 *   forecast/GROUP/forecasts/NAME.tsrec   + NAME.json
 *   personalize/_schemas/NAME.json        schemas (account-wide, as in AWS)
 *   personalize/GROUP/group.tsrec, group.json, datasets/NAME.json
 *   personalize/GROUP/solutions/NAME.tsrec (every version inside) + NAME.json
 *   personalize/GROUP/campaigns/, event-trackers/, filters/  (NAME.tsrec + NAME.json)
 *   SERVICE/GROUP/dataset-import-jobs/DATASET/JOB.json   import job records
 *                                         (cli_import_job.h; no object file)
 *
 * A resource exists when its NAME.json exists. Creation writes the object
 * file first (the library's atomic save) and the description last (atomic
 * rename here), so a command killed at any point leaves either the old
 * workspace or the new one, never a half-written file; a retry simply
 * overwrites a leftover object file. Names are unique per resource type
 * across groups, so resources are found by name alone. A change that
 * rewrites an existing file together with others (put-events: group,
 * campaigns, tracker; create-dataset and imports: group + description or
 * job record; create-solution-version: solution + description) goes
 * through a redo journal instead, WORKSPACE/.commit-journal, with the new
 * files saved as FINAL.pending first (cli_commit.h); cli_ws_open finishes
 * a journal a killed command left. A flock on WORKSPACE/.lock
 * serialises commands: exclusive for commands that write, shared for
 * reads. */
#ifndef TSREC_CLI_WORKSPACE_H
#define TSREC_CLI_WORKSPACE_H

#include <stddef.h>

#define CLI_PATH_MAX 4096
#define CLI_NAME_MAX 256

typedef struct cli_ws {
    char root[CLI_PATH_MAX];
    int lock_fd;
} cli_ws;

/* Open (creating it if needed) the workspace: dir, else $TSREC_WORKSPACE,
 * else ./tsrec-data; take the lock (exclusive when `writes`). 0 or -1 with
 * a message on stderr. */
int cli_ws_open(cli_ws *ws, const char *dir, int writes);
void cli_ws_close(cli_ws *ws);

/* snprintf a path under the workspace root; -1 if it does not fit. */
int cli_ws_path(const cli_ws *ws, char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Path of a resource file: SERVICE/GROUP/KIND/NAME.EXT (KIND NULL: the
 * group's own file GROUP/group.EXT). */
int cli_ws_res_path(const cli_ws *ws, char *buf, size_t cap, const char *service,
                    const char *group, const char *kind, const char *name, const char *ext);

/* Create every missing folder on the way to the file `path`. 0 or -1. */
int cli_ws_mkdirs_for(const char *path);

/* fsync the folder holding `path` (so a rename or unlink in it is on
 * disk). 0 or -1. */
int cli_ws_fsync_dir_of(const char *path);

/* Write a file atomically: temp file, fsync, rename over path, fsync the
 * folder. 0 or -1 (errno set). */
int cli_ws_write_atomic(const char *path, const char *data, size_t len);

/* 1 when the dataset group SERVICE/GROUP exists (group.json present). */
int cli_ws_group_exists(const cli_ws *ws, const char *service, const char *group);

/* Find the group holding resource KIND/NAME (by its .json): 1 with the
 * group name in group_out, 0 when none. */
int cli_ws_find(const cli_ws *ws, const char *service, const char *kind, const char *name,
                char *group_out, size_t cap);

/* Call fn for every existing resource (by .json) of KIND in GROUP (or in
 * every group when GROUP is NULL; KIND NULL lists the groups themselves),
 * in name order. fn gets the group and resource name; a non-zero return
 * stops the walk and is returned. */
typedef int (*cli_ws_visit_fn)(void *user, const char *group, const char *name);
int cli_ws_each(const cli_ws *ws, const char *service, const char *group, const char *kind,
                cli_ws_visit_fn fn, void *user);
/* A visitor for cli_ws_each that sets *(int *)user = 1 and stops at the
 * first resource: "is there any?". */
int cli_ws_visit_any(void *user, const char *group, const char *name);

/* Remove a resource's .json then its .tsrec (missing files are fine). */
int cli_ws_remove(const cli_ws *ws, const char *service, const char *group, const char *kind,
                  const char *name);

/* Call fn(user, dir, NAME) for each file NAME.EXT of a folder (any
 * folder, e.g. the account-wide schemas), in name order. */
int cli_ws_each_file(const char *dir, const char *ext,
                     int (*fn)(void *user, const char *dir, const char *name), void *user);

/* Delete a whole group: its folder is first renamed to a hidden name (one
 * atomic step after which the group and everything in it are gone), then
 * removed. 0 or -1. */
int cli_ws_delete_group(const cli_ws *ws, const char *service, const char *group);

#endif /* TSREC_CLI_WORKSPACE_H */
