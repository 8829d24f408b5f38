/* The personalize.h entry points when the library is built with
 * -Dpersonalize=false: the symbols exist (the map file lists them) and
 * answer TSREC_E_UNSUPPORTED, so a caller learns the feature is not built
 * in. */
#include "core_internal.h"
#include "tsrec/io.h"
#include "tsrec/personalize.h"

static int not_built(const char *fn)
{
    return tsrec__fail_tls(TSREC_E_UNSUPPORTED,
                           "%s: libtsrec was built without the Personalize half "
                           "(-Dpersonalize=false)",
                           fn);
}

int tsrec_solution_create(tsrec_dataset_group *group, const char *request_json, size_t len, tsrec_solution **out_solution)
{
    (void)group;
    (void)request_json;
    (void)len;
    if (out_solution != NULL)
        *out_solution = NULL;
    return not_built("tsrec_solution_create");
}

void tsrec_solution_free(tsrec_solution *solution)
{
    (void)solution;
}

int tsrec_solution_train(tsrec_solution *solution, int32_t training_mode, tsrec_solution_version **out_version)
{
    (void)solution;
    (void)training_mode;
    if (out_version != NULL)
        *out_version = NULL;
    return not_built("tsrec_solution_train");
}

int tsrec_solution_version_metrics_json(const tsrec_solution_version *version, char *buf, size_t cap, size_t *out_len)
{
    (void)version;
    (void)buf;
    (void)cap;
    (void)out_len;
    return not_built("tsrec_solution_version_metrics_json");
}

int tsrec_solution_version_metric(const tsrec_solution_version *version, const char *name, double *out_value)
{
    (void)version;
    (void)name;
    (void)out_value;
    return not_built("tsrec_solution_version_metric");
}

int tsrec_filter_create(tsrec_dataset_group *group, const char *request_json, size_t len, tsrec_filter **out_filter)
{
    (void)group;
    (void)request_json;
    (void)len;
    if (out_filter != NULL)
        *out_filter = NULL;
    return not_built("tsrec_filter_create");
}

void tsrec_filter_free(tsrec_filter *filter)
{
    (void)filter;
}

int tsrec_campaign_create(tsrec_solution_version *version, const char *request_json, size_t len, tsrec_campaign **out_campaign)
{
    (void)version;
    (void)request_json;
    (void)len;
    if (out_campaign != NULL)
        *out_campaign = NULL;
    return not_built("tsrec_campaign_create");
}

void tsrec_campaign_free(tsrec_campaign *campaign)
{
    (void)campaign;
}

int tsrec_campaign_recommend_json(const tsrec_campaign *campaign, const char *request_json, size_t len, char *buf, size_t cap, size_t *out_len)
{
    (void)campaign;
    (void)request_json;
    (void)len;
    (void)buf;
    (void)cap;
    (void)out_len;
    return not_built("tsrec_campaign_recommend_json");
}

int tsrec_campaign_rank_json(const tsrec_campaign *campaign, const char *request_json, size_t len, char *buf, size_t cap, size_t *out_len)
{
    (void)campaign;
    (void)request_json;
    (void)len;
    (void)buf;
    (void)cap;
    (void)out_len;
    return not_built("tsrec_campaign_rank_json");
}

int tsrec_campaign_attach_filter(tsrec_campaign *campaign, tsrec_filter *filter)
{
    (void)campaign;
    (void)filter;
    return not_built("tsrec_campaign_attach_filter");
}

int tsrec_campaign_recommend(const tsrec_campaign *campaign, const char *user_id, const char *item_id, int64_t num_results, const char **out_items, double *out_scores, int64_t *out_n)
{
    (void)campaign;
    (void)user_id;
    (void)item_id;
    (void)num_results;
    if (out_items != NULL)
        *out_items = NULL;
    (void)out_scores;
    (void)out_n;
    return not_built("tsrec_campaign_recommend");
}

int tsrec_event_tracker_create(tsrec_dataset_group *group, const char *request_json, size_t len, tsrec_event_tracker **out_tracker)
{
    (void)group;
    (void)request_json;
    (void)len;
    if (out_tracker != NULL)
        *out_tracker = NULL;
    return not_built("tsrec_event_tracker_create");
}

void tsrec_event_tracker_free(tsrec_event_tracker *tracker)
{
    (void)tracker;
}

int tsrec_event_tracker_attach(tsrec_event_tracker *tracker, tsrec_campaign *campaign)
{
    (void)tracker;
    (void)campaign;
    return not_built("tsrec_event_tracker_attach");
}

int tsrec_event_tracker_put_events(tsrec_event_tracker *tracker, const char *request_json, size_t len)
{
    (void)tracker;
    (void)request_json;
    (void)len;
    return not_built("tsrec_event_tracker_put_events");
}

int tsrec_event_tracker_put_users(tsrec_event_tracker *tracker, const char *request_json, size_t len)
{
    (void)tracker;
    (void)request_json;
    (void)len;
    return not_built("tsrec_event_tracker_put_users");
}

int tsrec_event_tracker_put_items(tsrec_event_tracker *tracker, const char *request_json, size_t len)
{
    (void)tracker;
    (void)request_json;
    (void)len;
    return not_built("tsrec_event_tracker_put_items");
}

/* ---- io.h: saving and loading the Personalize objects ---------------- */

int tsrec_solution_save(const tsrec_solution *solution, const char *path)
{
    (void)solution;
    (void)path;
    return not_built("tsrec_solution_save");
}

int tsrec_solution_save_to(const tsrec_solution *solution, tsrec_write_fn write, void *user)
{
    (void)solution;
    (void)write;
    (void)user;
    return not_built("tsrec_solution_save_to");
}

int tsrec_solution_load(tsrec_dataset_group *group, const char *path, tsrec_solution **out)
{
    (void)group;
    (void)path;
    if (out != NULL)
        *out = NULL;
    return not_built("tsrec_solution_load");
}

int tsrec_solution_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user, tsrec_solution **out)
{
    (void)group;
    (void)read;
    (void)user;
    if (out != NULL)
        *out = NULL;
    return not_built("tsrec_solution_load_from");
}

int tsrec_campaign_save(const tsrec_campaign *campaign, const char *path)
{
    (void)campaign;
    (void)path;
    return not_built("tsrec_campaign_save");
}

int tsrec_campaign_save_to(const tsrec_campaign *campaign, tsrec_write_fn write, void *user)
{
    (void)campaign;
    (void)write;
    (void)user;
    return not_built("tsrec_campaign_save_to");
}

int tsrec_campaign_load(tsrec_solution *solution, const char *path, tsrec_campaign **out)
{
    (void)solution;
    (void)path;
    if (out != NULL)
        *out = NULL;
    return not_built("tsrec_campaign_load");
}

int tsrec_campaign_load_from(tsrec_solution *solution, tsrec_read_fn read, void *user, tsrec_campaign **out)
{
    (void)solution;
    (void)read;
    (void)user;
    if (out != NULL)
        *out = NULL;
    return not_built("tsrec_campaign_load_from");
}

int tsrec_event_tracker_save(const tsrec_event_tracker *tracker, const char *path)
{
    (void)tracker;
    (void)path;
    return not_built("tsrec_event_tracker_save");
}

int tsrec_event_tracker_save_to(const tsrec_event_tracker *tracker, tsrec_write_fn write, void *user)
{
    (void)tracker;
    (void)write;
    (void)user;
    return not_built("tsrec_event_tracker_save_to");
}

int tsrec_event_tracker_load(tsrec_dataset_group *group, const char *path, tsrec_event_tracker **out)
{
    (void)group;
    (void)path;
    if (out != NULL)
        *out = NULL;
    return not_built("tsrec_event_tracker_load");
}

int tsrec_event_tracker_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user, tsrec_event_tracker **out)
{
    (void)group;
    (void)read;
    (void)user;
    if (out != NULL)
        *out = NULL;
    return not_built("tsrec_event_tracker_load_from");
}

int tsrec_filter_save(const tsrec_filter *filter, const char *path)
{
    (void)filter;
    (void)path;
    return not_built("tsrec_filter_save");
}

int tsrec_filter_save_to(const tsrec_filter *filter, tsrec_write_fn write, void *user)
{
    (void)filter;
    (void)write;
    (void)user;
    return not_built("tsrec_filter_save_to");
}

int tsrec_filter_load(tsrec_dataset_group *group, const char *path, tsrec_filter **out)
{
    (void)group;
    (void)path;
    if (out != NULL)
        *out = NULL;
    return not_built("tsrec_filter_load");
}

int tsrec_filter_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user, tsrec_filter **out)
{
    (void)group;
    (void)read;
    (void)user;
    if (out != NULL)
        *out = NULL;
    return not_built("tsrec_filter_load_from");
}

int tsrec_solution_version_count(const tsrec_solution *solution, int64_t *out_count)
{
    (void)solution;
    (void)out_count;
    return tsrec__fail_tls(TSREC_E_UNSUPPORTED,
                           "tsrec_solution_version_count: libtsrec was built without the "
                           "Personalize half (-Dpersonalize=false)");
}

int tsrec_solution_version_get(tsrec_solution *solution, int64_t number,
                               tsrec_solution_version **out_version)
{
    (void)solution;
    (void)number;
    if (out_version != NULL)
        *out_version = NULL;
    return tsrec__fail_tls(TSREC_E_UNSUPPORTED,
                           "tsrec_solution_version_get: libtsrec was built without the "
                           "Personalize half (-Dpersonalize=false)");
}
