/* tsrec CLI: workspace objects and descriptions (see cli_store.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tsrec/io.h>

int cli_check_name(const cli_call *call, const char *service, const char *what, const char *name)
{
    int pz = strcmp(service, "personalize") == 0;
    size_t n = strlen(name);
    int ok = n >= 1 && n <= 63;
    for (size_t i = 0; ok && i < n; i++) {
        char c = name[i];
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int digit = c >= '0' && c <= '9';
        if (i == 0)
            ok = alpha || (pz && digit);
        else
            ok = alpha || digit || c == '_' || (pz && c == '-');
    }
    if (ok)
        return CLI_EXIT_OK;
    return cli_fail_ex(call, "InvalidInputException",
                       "%s '%s' must match %s and have 1-63 characters", what, name,
                       pz ? "^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$" : "^[a-zA-Z][a-zA-Z0-9_]*$");
}

int cli_find(const cli_call *call, const char *service, const char *kind, const char *what,
             const char *name, char *group_out)
{
    int rc = cli_check_name(call, service, what, name);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (cli_ws_find(&call->ws, service, kind, name, group_out, CLI_NAME_MAX))
        return CLI_EXIT_OK;
    return cli_fail_ex(call, "ResourceNotFoundException", "%s '%s' does not exist", what, name);
}

int cli_absent(const cli_call *call, const char *service, const char *kind, const char *what,
               const char *name)
{
    char g[CLI_NAME_MAX];
    int rc = cli_check_name(call, service, what, name);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (!cli_ws_find(&call->ws, service, kind, name, g, sizeof g))
        return CLI_EXIT_OK;
    return cli_fail_ex(call, "ResourceAlreadyExistsException",
                       "%s '%s' already exists (in dataset group '%s')", what, name, g);
}

int cli_need_group(const cli_call *call, const char *service, const char *group)
{
    int rc = cli_check_name(call, service, "dataset group name", group);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (cli_ws_group_exists(&call->ws, service, group))
        return CLI_EXIT_OK;
    return cli_fail_ex(call, "ResourceNotFoundException", "dataset group '%s' does not exist",
                       group);
}

int cli_read_meta(const cli_call *call, const char *service, const char *group, const char *kind,
                  const char *name, char **out_json, size_t *out_len)
{
    char p[CLI_PATH_MAX];
    if (cli_ws_res_path(&call->ws, p, sizeof p, service, group, kind, name, "json") != 0)
        return cli_io_error("workspace path too long");
    *out_json = cli_read_file(p, out_len);
    if (*out_json == NULL)
        return cli_io_error("cannot read '%s': %s", p, strerror(errno));
    return CLI_EXIT_OK;
}

int cli_write_meta(const cli_call *call, const char *service, const char *group,
                   const char *kind, const char *name, const cli_sb *json)
{
    char p[CLI_PATH_MAX];
    if (json->oom)
        return cli_io_error("out of memory");
    if (cli_ws_res_path(&call->ws, p, sizeof p, service, group, kind, name, "json") != 0)
        return cli_io_error("workspace path too long");
    if (cli_ws_write_atomic(p, json->p, json->len) != 0)
        return cli_io_error("cannot write '%s': %s", p, strerror(errno));
    return CLI_EXIT_OK;
}

int cli_obj_path(const cli_call *call, const char *service, const char *group, const char *kind,
                 const char *name, char *buf, size_t cap)
{
    if (cli_ws_res_path(&call->ws, buf, cap, service, group, kind, name, "tsrec") != 0)
        return cli_io_error("workspace path too long");
    if (cli_ws_mkdirs_for(buf) != 0)
        return cli_io_error("cannot create the folder of '%s': %s", buf, strerror(errno));
    return CLI_EXIT_OK;
}

int cli_load_group(cli_call *call, const char *service, const char *group,
                   tsrec_dataset_group **out)
{
    char p[CLI_PATH_MAX];
    *out = NULL;
    int rc = cli_obj_path(call, service, group, NULL, NULL, p, sizeof p);
    if (rc != CLI_EXIT_OK)
        return rc;
    tsrec_ctx *ctx = cli_ctx(call, 1);
    if (ctx == NULL)
        return CLI_EXIT_IO;
    int st = tsrec_dataset_group_load(ctx, p, out);
    if (st != TSREC_OK)
        return cli_io_error("cannot load dataset group '%s' from '%s': %s", group, p,
                            tsrec_errmsg(ctx));
    return CLI_EXIT_OK;
}

int cli_save_group(cli_call *call, const char *service, const char *group,
                   const tsrec_dataset_group *g)
{
    char p[CLI_PATH_MAX];
    int rc = cli_obj_path(call, service, group, NULL, NULL, p, sizeof p);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (tsrec_dataset_group_save(g, p) != TSREC_OK)
        return cli_io_error("cannot save dataset group '%s': %s", group, tsrec_errmsg(g));
    return CLI_EXIT_OK;
}

int cli_stage(cli_commit *c, const char *final_path, char *pending, size_t cap)
{
    if (cli_commit_add(c, final_path, pending, cap) != 0)
        return cli_io_error("cannot stage '%s': %s", final_path, strerror(errno));
    return CLI_EXIT_OK;
}

int cli_stage_group(cli_call *call, cli_commit *c, const char *service, const char *group,
                    const tsrec_dataset_group *g)
{
    char p[CLI_PATH_MAX], pending[CLI_PATH_MAX];
    int rc = cli_obj_path(call, service, group, NULL, NULL, p, sizeof p);
    if (rc == CLI_EXIT_OK)
        rc = cli_stage(c, p, pending, sizeof pending);
    if (rc == CLI_EXIT_OK && tsrec_dataset_group_save(g, pending) != TSREC_OK)
        rc = cli_io_error("cannot save dataset group '%s': %s", group, tsrec_errmsg(g));
    return rc;
}

int cli_stage_meta(const cli_call *call, cli_commit *c, const char *service, const char *group,
                   const char *kind, const char *name, const cli_sb *json)
{
    char p[CLI_PATH_MAX], pending[CLI_PATH_MAX];
    if (json->oom)
        return cli_io_error("out of memory");
    if (cli_ws_res_path(&call->ws, p, sizeof p, service, group, kind, name, "json") != 0)
        return cli_io_error("workspace path too long");
    int rc = cli_stage(c, p, pending, sizeof pending);
    if (rc == CLI_EXIT_OK && cli_ws_write_atomic(pending, json->p, json->len) != 0)
        rc = cli_io_error("cannot write '%s': %s", pending, strerror(errno));
    return rc;
}

int cli_commit_finish(cli_commit *c, int rc)
{
    if (rc == CLI_EXIT_OK && cli_commit_apply(c) != 0) {
        int e = errno;
        /* Past the journal the change is made: the next command ends it. */
        rc = cli_io_error("cannot commit the changes to workspace '%s': %s%s", c->ws->root,
                          strerror(e),
                          cli_commit_journal_exists(c->ws)
                              ? " (recorded: the next command on the workspace finishes it)"
                              : "");
    }
    cli_commit_free(c);
    return rc;
}

int cli_respond(const cli_sb *sb)
{
    if (sb->oom)
        return cli_io_error("out of memory");
    cli_print_json(stdout, sb->p, sb->len);
    return CLI_EXIT_OK;
}

int cli_respond_wrapped(const char *key, const char *json, size_t len)
{
    cli_sb sb = {0};
    cli_sb_printf(&sb, "{\"%s\":", key);
    cli_sb_add(&sb, json, len);
    cli_sb_add(&sb, "}", 1);
    int rc = cli_respond(&sb);
    cli_sb_free(&sb);
    return rc;
}

int cli_create_group(cli_call *call, const char *service, int32_t service_id, const char *name,
                     const char *domain)
{
    int rc = cli_check_name(call, service, "dataset group name", name);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (cli_ws_group_exists(&call->ws, service, name))
        return cli_fail_ex(call, "ResourceAlreadyExistsException",
                           "dataset group '%s' already exists", name);
    tsrec_ctx *ctx = cli_ctx(call, 0);
    if (ctx == NULL)
        return CLI_EXIT_IO;
    tsrec_dataset_group *g = NULL;
    int st = tsrec_dataset_group_new(ctx, name, service_id, domain, &g);
    if (st != TSREC_OK)
        return cli_fail(call, st, tsrec_errmsg(ctx));
    rc = cli_save_group(call, service, name, g);
    tsrec_dataset_group_free(g);
    return rc;
}

/* Does a CHILD_KIND resource of the group name `name` in its REF_KEY? */
typedef struct uses_state {
    cli_call *call;
    const char *service, *child_kind, *ref_key, *name;
    int found;
} uses_state;

static int uses_visit(void *user, const char *group, const char *child)
{
    uses_state *us = user;
    char *meta = NULL;
    size_t len = 0;
    if (cli_read_meta(us->call, us->service, group, us->child_kind, child, &meta, &len) !=
        CLI_EXIT_OK)
        return 0;
    char *ref = cli_json_get_str(meta, len, us->ref_key);
    us->found = ref != NULL && strcmp(ref, us->name) == 0;
    free(ref);
    free(meta);
    return us->found;
}

int cli_delete(cli_call *call, const char *service, const char *kind, const char *what,
               const char *name, const char *child_kind, const char *ref_key)
{
    if (name == NULL)
        return CLI_EXIT_USAGE;
    char group[CLI_NAME_MAX];
    int rc = cli_find(call, service, kind, what, name, group);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (child_kind != NULL) {
        uses_state us = {call, service, child_kind, ref_key, name, 0};
        cli_ws_each(&call->ws, service, group, child_kind, uses_visit, &us);
        if (us.found)
            return cli_fail_ex(call, "ResourceInUseException",
                               "%s '%s' has %s; delete them first", what, name, child_kind);
    }
    if (cli_ws_remove(&call->ws, service, group, kind, name) != 0)
        return cli_io_error("cannot delete %s '%s': %s", what, name, strerror(errno));
    return CLI_EXIT_OK;
}

int cli_describe(cli_call *call, const char *service, const char *kind, const char *what,
                 const char *name)
{
    char group[CLI_NAME_MAX];
    int rc;
    if (kind == NULL) { /* the group itself */
        if ((rc = cli_need_group(call, service, name)) != CLI_EXIT_OK)
            return rc;
        snprintf(group, sizeof group, "%s", name);
    } else if ((rc = cli_find(call, service, kind, what, name, group)) != CLI_EXIT_OK) {
        return rc;
    }
    char *meta = NULL;
    size_t len = 0;
    if ((rc = cli_read_meta(call, service, group, kind, name, &meta, &len)) != CLI_EXIT_OK)
        return rc;
    cli_print_json(stdout, meta, len);
    free(meta);
    return CLI_EXIT_OK;
}

typedef struct list_state {
    cli_call *call;
    const char *service, *kind;
    cli_sb *sb;
    int n;
} list_state;

static int list_visit(void *user, const char *group, const char *name)
{
    list_state *ls = user;
    char *meta = NULL;
    size_t len = 0;
    if (cli_read_meta(ls->call, ls->service, group, ls->kind, name, &meta, &len) != CLI_EXIT_OK)
        return 0; /* removed meanwhile: skip */
    if (cli_json_valid(meta, len)) {
        if (ls->n++ > 0)
            cli_sb_add(ls->sb, ",", 1);
        cli_sb_add(ls->sb, meta, len);
    }
    free(meta);
    return 0;
}

int cli_list(cli_call *call, const char *service, const char *kind, const char *key,
             const char *group)
{
    if (group != NULL) {
        int rc = cli_need_group(call, service, group);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    cli_sb sb = {0};
    cli_sb_printf(&sb, "{\"%s\":[", key);
    list_state ls = {call, service, kind, &sb, 0};
    cli_ws_each(&call->ws, service, group, kind, list_visit, &ls);
    cli_sb_add(&sb, "]}", 2);
    int rc = cli_respond(&sb);
    cli_sb_free(&sb);
    return rc;
}

int cli_respond_arn(const char *key, const char *arn)
{
    cli_sb sb = {0};
    cli_sb_printf(&sb, "{\"%s\":", key);
    cli_sb_str(&sb, arn);
    cli_sb_add(&sb, "}", 1);
    int rc = cli_respond(&sb);
    cli_sb_free(&sb);
    return rc;
}

void cli_arn(char *buf, size_t cap, const char *service, const char *type, const char *name)
{
    snprintf(buf, cap, "arn:tsrec:%s:local:%s/%s", service, type, name);
}
