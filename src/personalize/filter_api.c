/* CreateFilter and the data access of filter evaluation on a campaign.
 *
 * A filter is compiled once (filter_internal.h) and its Items / Users
 * fields are resolved against the group's dataset schemas at creation, as
 * AWS checks them: a field missing from its dataset is refused. At request
 * time the callbacks read:
 *  - Items / Users fields from the last record of the item / user in the
 *    dataset (PutItems / PutUsers records included); string fields are
 *    handed over raw and the evaluator splits multi-valued ones at '|';
 *    numbers and booleans (0 / 1) as numbers;
 *  - Interactions: the user's interactions the campaign knows -- the
 *    training store (eventType / eventValueThreshold filters applied) and
 *    the events streamed since -- keeping, as AWS, only the 100 most recent
 *    per event type. */
#include <string.h>

#include "column_internal.h"
#include "personalize_internal.h"

/* ---- CreateFilter --------------------------------------------------------- */

static int resolve_fields(tsrec_filter *flt, tsrec__handle *eh)
{
    const tsrec__filter *f = flt->compiled;
    int64_t n = f->n_fields > 0 ? f->n_fields : 1;
    flt->schema_field = tsrec__alloc(flt->hdr.ctx, (size_t)n * sizeof(int64_t));
    if (flt->schema_field == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "CreateFilter: out of memory");
    for (int64_t i = 0; i < f->n_fields; i++) {
        const tsrec__filter_field *fd = &f->fields[i];
        flt->schema_field[i] = -1;
        if (fd->dataset == TSREC__FDS_INTERACTIONS)
            continue;
        int32_t type = fd->dataset == TSREC__FDS_ITEMS ? TSREC__DS_ITEMS : TSREC__DS_USERS;
        const char *dsname = type == TSREC__DS_ITEMS ? "Items" : "Users";
        const tsrec_dataset *ds = tsrec__pz_dataset(flt->group, type);
        if (ds == NULL)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "filter uses %s.%s but the dataset group has no %s dataset",
                               dsname, fd->name, dsname);
        int64_t k = tsrec__schema_find(ds->schema, fd->name);
        if (k < 0)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "filter field %s.%s is not in the %s dataset's schema", dsname,
                               fd->name, dsname);
        if (ds->schema->fields[k].flags & TSREC_FIELD_TEXTUAL)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "filter field %s.%s is textual: AWS filters cannot use textual "
                               "fields",
                               dsname, fd->name);
        flt->schema_field[i] = k;
    }
    return TSREC_OK;
}

static int parse_filter(tsrec_filter *flt, tsrec__handle *eh, const tsrec__json *root)
{
    tsrec_ctx *ctx = flt->hdr.ctx;
    int rc = tsrec__pz_want_object(eh, root, "CreateFilter request");
    if (rc != TSREC_OK)
        return rc;
    const char *s;
    size_t len;
    const tsrec__json *name = tsrec__json_get(root, "name");
    const tsrec__json *expr = tsrec__json_get(root, "filterExpression");
    if (name == NULL || expr == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "CreateFilter: 'name' and 'filterExpression' are required");
    for (int64_t i = 0; i < root->u.obj.n; i++) {
        const char *k = root->u.obj.items[i].key;
        if (strcmp(k, "name") != 0 && strcmp(k, "filterExpression") != 0 &&
            strcmp(k, "datasetGroupArn") != 0 && strcmp(k, "tags") != 0)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG, "unknown or unsupported key '%s'", k);
    }
    if ((rc = tsrec__json_as_string(name, eh, "name", &s, &len)) != TSREC_OK)
        return rc;
    if ((rc = tsrec__pz_check_name(eh, "filter name", s, len)) != TSREC_OK)
        return rc;
    if ((flt->name = tsrec__pz_strndup(ctx, s, len)) == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "CreateFilter: out of memory");
    if ((rc = tsrec__json_as_string(expr, eh, "filterExpression", &s, &len)) != TSREC_OK)
        return rc;
    if (strlen(s) != len)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filterExpression contains a NUL character");
    if ((flt->expression = tsrec__pz_strndup(ctx, s, len)) == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "CreateFilter: out of memory");
    rc = tsrec__filter_compile(ctx, eh, s, &flt->compiled, NULL);
    if (rc != TSREC_OK)
        return rc;
    return resolve_fields(flt, eh);
}

static void filter_release(tsrec_filter *flt)
{
    tsrec_ctx *ctx = flt->hdr.ctx;
    tsrec__filter_free(flt->compiled);
    tsrec__free(ctx, flt->schema_field);
    tsrec__free(ctx, flt->expression);
    tsrec__free(ctx, flt->name);
}

int tsrec_filter_create(tsrec_dataset_group *group, const char *request_json, size_t len,
                        tsrec_filter **out_filter)
{
    if (out_filter != NULL)
        *out_filter = NULL;
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, "tsrec_filter_create", "tsrec_dataset_group");
    tsrec_ctx *ctx = group->hdr.ctx;
    tsrec__handle *eh = &ctx->hdr;
    if (out_filter == NULL || request_json == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_filter_create: NULL argument");
    if (group->service != TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_filter_create: group '%s' is not a Personalize group",
                           group->name);
    tsrec_filter *flt = tsrec__calloc(ctx, 1, sizeof(*flt));
    if (flt == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "tsrec_filter_create: out of memory");
    tsrec__handle_init(&flt->hdr, TSREC__MAGIC_FILTER, ctx);
    flt->group = group;
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(ctx, eh, request_json, len, 0, &doc);
    if (rc == TSREC_OK)
        rc = parse_filter(flt, eh, tsrec__json_root(doc));
    tsrec__json_free(doc);
    if (rc != TSREC_OK) {
        filter_release(flt);
        tsrec__handle_retire(&flt->hdr);
        tsrec__free(ctx, flt);
        return rc;
    }
    *out_filter = flt;
    return tsrec__ok(eh);
}

void tsrec_filter_free(tsrec_filter *filter)
{
    if (!tsrec__handle_is(filter, TSREC__MAGIC_FILTER))
        return;
    tsrec_ctx *ctx = filter->hdr.ctx;
    filter_release(filter);
    tsrec__handle_retire(&filter->hdr);
    tsrec__free(ctx, filter);
}

/* ---- request-time data ---------------------------------------------------- */

static const tsrec__strdict *event_type_dict(const tsrec_campaign *c)
{
    const tsrec_dataset *ds = tsrec__pz_dataset(c->group, TSREC__DS_INTERACTIONS);
    if (ds == NULL)
        return NULL;
    int64_t f = tsrec__pz_field_role(ds, TSREC__ROLE_EVENT_TYPE);
    return f < 0 ? NULL : ds->cols[f].dict;
}

int tsrec__filter_ud_init(tsrec__filter_ud *ud, const tsrec_campaign *c, const tsrec_filter *f,
                          int64_t user)
{
    memset(ud, 0, sizeof(*ud));
    ud->c = c;
    ud->f = f;
    if (user < 0 || !f->compiled->uses_interactions)
        return TSREC_OK;
    tsrec_ctx *ctx = c->hdr.ctx;
    const tsrec__interactions *s = &c->version->store;
    const tsrec__strdict *d = event_type_dict(c);
    int64_t n_types = d != NULL ? tsrec__strdict_count(d) : 0;
    int64_t ns = user < s->n_users ? tsrec__interactions_user_count(s, user) : 0;
    int64_t nl = user < c->n_live ? c->live[user].n : 0;
    int64_t total = ns + nl;
    if (total == 0)
        return TSREC_OK;
    int64_t *per_type = tsrec__calloc(ctx, (size_t)(n_types + 1), sizeof(int64_t));
    ud->recent_item = tsrec__alloc(ctx, (size_t)total * sizeof(int32_t));
    ud->recent_type = tsrec__alloc(ctx, (size_t)total * sizeof(int32_t));
    if (per_type == NULL || ud->recent_item == NULL || ud->recent_type == NULL) {
        tsrec__free(ctx, per_type);
        tsrec__filter_ud_free(ud);
        return tsrec__fail(NULL, TSREC_E_NOMEM, "filter: out of memory");
    }
    /* newest first: live events, then the store's time-ordered history */
    for (int64_t i = total - 1; i >= 0; i--) {
        int32_t item, type;
        if (i >= ns) {
            item = c->live[user].item[i - ns];
            type = c->live[user].etype[i - ns];
        } else {
            int64_t row = s->user_off[user] + i;
            item = s->item[row];
            type = s->event_type != NULL ? s->event_type[row] : -1;
        }
        int64_t slot = type >= 0 && type < n_types ? type + 1 : 0;
        if (per_type[slot] >= TSREC__FILTER_RECENT_PER_TYPE)
            continue;
        per_type[slot]++;
        ud->recent_item[ud->n_recent] = item;
        ud->recent_type[ud->n_recent] = type;
        ud->n_recent++;
    }
    tsrec__free(ctx, per_type);
    return TSREC_OK;
}

void tsrec__filter_ud_free(tsrec__filter_ud *ud)
{
    if (ud->c != NULL) {
        tsrec__free(ud->c->hdr.ctx, ud->recent_item);
        tsrec__free(ud->c->hdr.ctx, ud->recent_type);
    }
    ud->recent_item = NULL;
    ud->recent_type = NULL;
    ud->n_recent = 0;
}

static void read_field(const tsrec_dataset *ds, const tsrec__row_index *ix, int64_t code,
                       int64_t f, tsrec__filter_fieldval *out)
{
    out->kind = TSREC__FFV_MISSING;
    if (ds == NULL || f < 0 || code < 0 || code >= ix->n)
        return;
    int64_t row = ix->row[code];
    const tsrec__column *col = &ds->cols[f];
    if (row < 0 || row >= col->len || !tsrec__column_is_present(col, row))
        return;
    if (col->kind == TSREC__COL_CODE) {
        size_t len = 0;
        const char *s = tsrec__strdict_get(col->dict, tsrec__column_get_code(col, row), &len);
        if (s == NULL)
            return;
        out->kind = TSREC__FFV_STRING;
        out->str = s;
        out->len = len;
    } else {
        out->kind = TSREC__FFV_NUMBER;
        out->num = tsrec__column_get_f64(col, row);
    }
}

static void cb_item_field(void *v, int64_t item, int32_t field, tsrec__filter_fieldval *out)
{
    const tsrec__filter_ud *ud = v;
    read_field(tsrec__pz_dataset(ud->c->group, TSREC__DS_ITEMS), &ud->c->items_idx, item,
               ud->f->schema_field[field], out);
}

static void cb_user_field(void *v, int64_t user, int32_t field, tsrec__filter_fieldval *out)
{
    const tsrec__filter_ud *ud = v;
    read_field(tsrec__pz_dataset(ud->c->group, TSREC__DS_USERS), &ud->c->users_idx, user,
               ud->f->schema_field[field], out);
}

static int cb_user_interacted(void *v, int64_t user, int64_t item,
                              const tsrec__filter_event_set *set)
{
    const tsrec__filter_ud *ud = v;
    (void)user; /* ud was built for the requesting user */
    const tsrec__strdict *d = event_type_dict(ud->c);
    for (int64_t i = 0; i < ud->n_recent; i++) {
        if (item >= 0 && ud->recent_item[i] != item)
            continue;
        size_t len = 0;
        const char *name = NULL;
        if (d != NULL && ud->recent_type[i] >= 0)
            name = tsrec__strdict_get(d, ud->recent_type[i], &len);
        if (tsrec__filter_event_set_has(set, name != NULL ? name : "", name != NULL ? len : 0))
            return 1;
    }
    return 0;
}

const tsrec__filter_callbacks tsrec__campaign_filter_callbacks = {
    cb_item_field,
    cb_user_field,
    cb_user_interacted,
};
