/* tsrec CLI: loading and saving library objects in the workspace, and the
 * resource descriptions (NAME.json) that make them exist. Every function
 * reports its own failure (AWS-style exception or workspace error) and
 * returns the exit code, CLI_EXIT_OK on success. */
#ifndef TSREC_CLI_STORE_H
#define TSREC_CLI_STORE_H

#include "cli_commit.h"
#include "cli_util.h"

/* Check a resource name before it becomes part of a path: Forecast
 * ^[a-zA-Z][a-zA-Z0-9_]*$, Personalize ^[a-zA-Z0-9][a-zA-Z0-9_-]*$,
 * 1-63 characters. Prints InvalidInputException and returns 1 when bad. */
int cli_check_name(const cli_call *call, const char *service, const char *what, const char *name);

/* Find resource KIND/NAME in any group (group_out gets the group name):
 * ResourceNotFoundException when absent. */
int cli_find(const cli_call *call, const char *service, const char *kind, const char *what,
             const char *name, char *group_out);
/* ResourceAlreadyExistsException when KIND/NAME exists in some group. */
int cli_absent(const cli_call *call, const char *service, const char *kind, const char *what,
               const char *name);
/* ResourceNotFoundException unless the group exists. */
int cli_need_group(const cli_call *call, const char *service, const char *group);

/* Read a resource description (malloc'd JSON text). */
int cli_read_meta(const cli_call *call, const char *service, const char *group, const char *kind,
                  const char *name, char **out_json, size_t *out_len);
/* Write a description atomically (the resource then exists). */
int cli_write_meta(const cli_call *call, const char *service, const char *group,
                   const char *kind, const char *name, const cli_sb *json);

/* Path of the object file of a resource (KIND NULL: the group file), with
 * its folders created. */
int cli_obj_path(const cli_call *call, const char *service, const char *group, const char *kind,
                 const char *name, char *buf, size_t cap);

/* Load / save the dataset group GROUP of a service. */
int cli_load_group(cli_call *call, const char *service, const char *group,
                   tsrec_dataset_group **out);
int cli_save_group(cli_call *call, const char *service, const char *group,
                   const tsrec_dataset_group *g);

/* Several files changed as one step (cli_commit.h), errors reported:
 * cli_stage adds the file FINAL and gives the path to save it to;
 * cli_stage_group saves a group, cli_stage_meta writes a description into
 * the commit; cli_commit_finish applies the commit when rc is CLI_EXIT_OK
 * (else drops the staged files), frees it and returns the exit code. */
int cli_stage(cli_commit *c, const char *final_path, char *pending, size_t cap);
int cli_stage_group(cli_call *call, cli_commit *c, const char *service, const char *group,
                    const tsrec_dataset_group *g);
int cli_stage_meta(const cli_call *call, cli_commit *c, const char *service, const char *group,
                   const char *kind, const char *name, const cli_sb *json);
int cli_commit_finish(cli_commit *c, int rc);

/* Print a response JSON (pretty) on stdout; exit code. */
int cli_respond(const cli_sb *sb);
/* Print {"<key>":<json>}, json being a stored description; exit code. */
int cli_respond_wrapped(const char *key, const char *json, size_t len);

/* Shared verb bodies: describe (prints NAME.json), list (an AWS list
 * response {"<key>":[<each description>]}), and a response holding one
 * ARN {"<key>":"<arn>"}. */
int cli_describe(cli_call *call, const char *service, const char *kind, const char *what,
                 const char *name);
int cli_list(cli_call *call, const char *service, const char *kind, const char *key,
             const char *group);
int cli_respond_arn(const char *key, const char *arn);
/* CreateDatasetGroup's work: check the name, refuse an existing group,
 * create the group (the library checks the domain) and save it. The caller
 * writes the description, which makes the group exist. */
int cli_create_group(cli_call *call, const char *service, int32_t service_id, const char *name,
                     const char *domain);
/* Delete resource NAME of KIND (WHAT names it in messages). With
 * CHILD_KIND set, refuse (ResourceInUseException) while a resource of that
 * kind in the same group names it in its description's REF_KEY. */
int cli_delete(cli_call *call, const char *service, const char *kind, const char *what,
               const char *name, const char *child_kind, const char *ref_key);

/* ARN of a resource: arn:tsrec:SERVICE:local:TYPE/NAME. */
void cli_arn(char *buf, size_t cap, const char *service, const char *type, const char *name);

#endif /* TSREC_CLI_STORE_H */
