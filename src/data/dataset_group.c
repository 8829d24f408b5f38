/* Dataset groups: creation and teardown, and the datasets they own (at
 * most one per dataset type, as in AWS). A group holds the item and user
 * id dictionaries its datasets share, so an item code means the same item
 * in every dataset of the group. */
#include <string.h>

#include "column_internal.h"
#include "data_internal.h"
#include "dataset_internal.h"
#include "domains_internal.h"
#include "schema_internal.h"
#include "time_internal.h"

#define NAME_RULE "^[a-zA-Z][a-zA-Z0-9_]*$ with 1 to 63 characters"

static int name_ok(const char *name)
{
    if (name == NULL)
        return 0;
    size_t len = strlen(name);
    return len <= TSREC__SCHEMA_NAME_MAX && tsrec__aws_name_ok(name, len);
}

int tsrec_dataset_group_new(tsrec_ctx *ctx, const char *name, int32_t service,
                            const char *domain, tsrec_dataset_group **out_group)
{
    if (out_group != NULL)
        *out_group = NULL;
    TSREC__CHECK(ctx, TSREC__MAGIC_CTX, "tsrec_dataset_group_new", "tsrec_ctx");
    if (out_group == NULL)
        return tsrec__fail(&ctx->hdr, TSREC_E_MISUSE, "tsrec_dataset_group_new: out_group is NULL");
    if (!name_ok(name))
        return tsrec__fail(&ctx->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_dataset_group_new: name \"%.80s\" is invalid: it must match "
                           NAME_RULE, name ? name : "(null)");
    if (service != TSREC_SERVICE_FORECAST && service != TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(&ctx->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_dataset_group_new: unknown service %d (use "
                           "TSREC_SERVICE_FORECAST or TSREC_SERVICE_PERSONALIZE)", (int)service);
    int32_t dom = 0;
    int rc = tsrec__domain_parse(service, domain, &dom, &ctx->hdr);
    if (rc != TSREC_OK)
        return rc;
    tsrec_dataset_group *g = tsrec__calloc(ctx, 1, sizeof *g);
    if (g == NULL)
        return tsrec__fail(&ctx->hdr, TSREC_E_NOMEM, "tsrec_dataset_group_new: out of memory");
    g->name = tsrec__strdup(ctx, name);
    if (g->name == NULL) {
        tsrec__free(ctx, g);
        return tsrec__fail(&ctx->hdr, TSREC_E_NOMEM, "tsrec_dataset_group_new: out of memory");
    }
    /* Empty dictionaries allocate nothing until the first id arrives. */
    if ((rc = tsrec__strdict_init(&g->items, ctx, &ctx->hdr, 0)) != TSREC_OK ||
        (rc = tsrec__strdict_init(&g->users, ctx, &ctx->hdr, 0)) != TSREC_OK) {
        tsrec__strdict_free(&g->items);
        tsrec__free(ctx, g->name);
        tsrec__free(ctx, g);
        return rc;
    }
    if (pthread_rwlock_init(&g->live_lock, NULL) != 0) {
        tsrec__strdict_free(&g->users);
        tsrec__strdict_free(&g->items);
        tsrec__free(ctx, g->name);
        tsrec__free(ctx, g);
        return tsrec__fail(&ctx->hdr, TSREC_E_THREAD,
                           "tsrec_dataset_group_new: cannot create a lock");
    }
    g->service = service;
    g->domain = dom;
    tsrec__handle_init(&g->hdr, TSREC__MAGIC_GROUP, ctx);
    *out_group = g;
    return tsrec__ok(&ctx->hdr);
}

void tsrec_dataset_group_free(tsrec_dataset_group *group)
{
    if (!tsrec__handle_is(group, TSREC__MAGIC_GROUP))
        return;
    tsrec_ctx *ctx = group->hdr.ctx;
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++) {
        tsrec__dataset_destroy(group->datasets[i]);
        group->datasets[i] = NULL;
    }
    tsrec__strdict_free(&group->items);
    tsrec__strdict_free(&group->users);
    pthread_rwlock_destroy(&group->live_lock);
    tsrec__free(ctx, group->name);
    tsrec__handle_retire(&group->hdr);
    tsrec__free(ctx, group);
}

/* DataFrequency rules: required for RTS, optional for TTS (0 = decided at
 * featurization), refused elsewhere. */
static int read_frequency(tsrec_dataset_group *g, int32_t ds_type, const char *freq,
                          int32_t *out)
{
    *out = 0;
    const char *dsn = tsrec__dataset_type_name(ds_type);
    if (ds_type == TSREC__DS_TARGET_TIME_SERIES || ds_type == TSREC__DS_RELATED_TIME_SERIES) {
        if (freq == NULL) {
            if (ds_type == TSREC__DS_RELATED_TIME_SERIES)
                return tsrec__fail(&g->hdr, TSREC_E_INVALID_ARG,
                                   "tsrec_dataset_group_create_dataset: a RELATED_TIME_SERIES "
                                   "dataset needs a data_frequency (\"D\", \"H\", \"15min\", ...)");
            return TSREC_OK;
        }
        return tsrec__freq_parse(freq, strlen(freq), out, &g->hdr);
    }
    if (freq != NULL)
        return tsrec__fail(&g->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_dataset_group_create_dataset: a dataset of type %s takes no "
                           "data_frequency (pass NULL)", dsn);
    return TSREC_OK;
}

/* Empty columns for every field of ds, item/user ids on the group's
 * shared dictionaries. */
static int make_columns(tsrec_dataset_group *g, tsrec_dataset *ds)
{
    tsrec_ctx *ctx = g->hdr.ctx;
    const tsrec_schema *s = ds->schema;
    ds->cols = tsrec__calloc(ctx, (size_t)s->n_fields, sizeof *ds->cols);
    if (ds->cols == NULL)
        return tsrec__fail(&g->hdr, TSREC_E_NOMEM,
                           "tsrec_dataset_group_create_dataset: out of memory");
    for (int64_t i = 0; i < s->n_fields; i++) {
        int32_t kind = tsrec__column_kind_for(s->service, s->fields[i].type);
        tsrec__strdict *shared = NULL;
        if (kind == TSREC__COL_CODE && s->fields[i].type == TSREC_FIELD_STRING) {
            if (ds->roles[i] == TSREC__ROLE_ITEM_ID)
                shared = &g->items;
            else if (ds->roles[i] == TSREC__ROLE_USER_ID)
                shared = &g->users;
        }
        int rc = tsrec__column_init(&ds->cols[i], ctx, &g->hdr, kind, shared);
        if (rc != TSREC_OK)
            return rc;
    }
    return TSREC_OK;
}

int tsrec_dataset_group_create_dataset(tsrec_dataset_group *group, const char *name,
                                       const char *dataset_type, const tsrec_schema *schema,
                                       const char *data_frequency, tsrec_dataset **out_dataset)
{
    if (out_dataset != NULL)
        *out_dataset = NULL;
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, "tsrec_dataset_group_create_dataset",
                 "tsrec_dataset_group");
    static const char fn[] = "tsrec_dataset_group_create_dataset";
    if (out_dataset == NULL)
        return tsrec__fail(&group->hdr, TSREC_E_MISUSE, "%s: out_dataset is NULL", fn);
    if (!tsrec__handle_is(schema, TSREC__MAGIC_SCHEMA))
        return tsrec__fail(&group->hdr, TSREC_E_MISUSE,
                           "%s: schema is NULL, freed or not a tsrec_schema", fn);
    if (!name_ok(name))
        return tsrec__fail(&group->hdr, TSREC_E_INVALID_ARG,
                           "%s: dataset name \"%.80s\" is invalid: it must match " NAME_RULE, fn,
                           name ? name : "(null)");
    if (dataset_type == NULL)
        return tsrec__fail(&group->hdr, TSREC_E_INVALID_ARG, "%s: dataset_type is NULL", fn);
    int32_t ds_type = 0;
    int rc = tsrec__dataset_type_parse(group->service, dataset_type, &ds_type, &group->hdr);
    if (rc != TSREC_OK)
        return rc;
    int slot = tsrec__dataset_type_slot(ds_type);
    if (group->datasets[slot] != NULL)
        return tsrec__fail(&group->hdr, TSREC_E_EXISTS,
                           "%s: dataset group \"%s\" already has a %s dataset (\"%s\"); a group "
                           "holds at most one dataset of each type", fn, group->name,
                           tsrec__dataset_type_name(ds_type), group->datasets[slot]->name);
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++)
        if (group->datasets[i] != NULL && strcmp(group->datasets[i]->name, name) == 0)
            return tsrec__fail(&group->hdr, TSREC_E_EXISTS,
                               "%s: dataset group \"%s\" already has a dataset named \"%s\"", fn,
                               group->name, name);
    int32_t freq = 0;
    if ((rc = read_frequency(group, ds_type, data_frequency, &freq)) != TSREC_OK)
        return rc;

    tsrec_ctx *ctx = group->hdr.ctx;
    tsrec_dataset *ds = tsrec__calloc(ctx, 1, sizeof *ds);
    if (ds == NULL)
        return tsrec__fail(&group->hdr, TSREC_E_NOMEM, "%s: out of memory", fn);
    tsrec__handle_init(&ds->hdr, TSREC__MAGIC_DATASET, ctx);
    ds->group = group;
    ds->type = ds_type;
    ds->data_frequency = freq;
    ds->name = tsrec__strdup(ctx, name);
    if (ds->name == NULL) {
        rc = tsrec__fail(&group->hdr, TSREC_E_NOMEM, "%s: out of memory", fn);
        goto fail;
    }
    if ((rc = tsrec__schema_clone(schema, ctx, &group->hdr, &ds->schema)) != TSREC_OK)
        goto fail;
    ds->roles = tsrec__calloc(ctx, (size_t)schema->n_fields, sizeof *ds->roles);
    if (ds->roles == NULL) {
        rc = tsrec__fail(&group->hdr, TSREC_E_NOMEM, "%s: out of memory", fn);
        goto fail;
    }
    rc = tsrec__dataset_schema_check(group->service, group->domain, ds_type, ds->schema,
                                     &group->hdr, ds->roles);
    if (rc != TSREC_OK)
        goto fail;
    if ((rc = make_columns(group, ds)) != TSREC_OK)
        goto fail;
    group->datasets[slot] = ds;
    *out_dataset = ds;
    return tsrec__ok(&group->hdr);
fail:
    tsrec__dataset_destroy(ds);
    return rc;
}

int tsrec_dataset_group_dataset(tsrec_dataset_group *group, const char *dataset_type,
                                tsrec_dataset **out_dataset)
{
    if (out_dataset != NULL)
        *out_dataset = NULL;
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, "tsrec_dataset_group_dataset", "tsrec_dataset_group");
    if (out_dataset == NULL)
        return tsrec__fail(&group->hdr, TSREC_E_MISUSE,
                           "tsrec_dataset_group_dataset: out_dataset is NULL");
    if (dataset_type == NULL)
        return tsrec__fail(&group->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_dataset_group_dataset: dataset_type is NULL");
    int32_t ds_type = 0;
    int rc = tsrec__dataset_type_parse(group->service, dataset_type, &ds_type, &group->hdr);
    if (rc != TSREC_OK)
        return rc;
    tsrec_dataset *ds = group->datasets[tsrec__dataset_type_slot(ds_type)];
    if (ds == NULL)
        return tsrec__fail(&group->hdr, TSREC_E_UNKNOWN_NAME,
                           "tsrec_dataset_group_dataset: dataset group \"%s\" has no %s dataset",
                           group->name, tsrec__dataset_type_name(ds_type));
    *out_dataset = ds;
    return tsrec__ok(&group->hdr);
}
