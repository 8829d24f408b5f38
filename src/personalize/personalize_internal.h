/* The Personalize workflow handles (include/tsrec/personalize.h): solutions
 * and their versions, campaigns with live event state, filters and event
 * trackers. Never installed.
 *
 * Save / load (include/tsrec/io.h): solution_save.c, store_save.c,
 * campaign_save.c, tracker_filter_save.c and pz_save_util.c, sharing
 * pz_save_internal.h; trained models through the recipe vtable's save /
 * load hooks (recipes/model_save.c).
 *
 * Files: solution_request.c (CreateSolution parsing), solution.c
 * (versions, training, metrics), campaign.c (model view, live state,
 * GetRecommendations / GetPersonalizedRanking cores), campaign_json.c (the
 * JSON forms), filter_api.c (CreateFilter and the filter callbacks over the
 * group's datasets), event_tracker.c (PutEvents / PutUsers / PutItems),
 * personalize_util.c (names, JSON helpers).
 *
 * Locking. A campaign's live state (per-user recent events, the Items /
 * Users row indexes used by filters) and the group's id dictionaries and
 * columns are guarded by the group's live_lock: queries hold it shared, an
 * event tracker holds it exclusively for the whole PutEvents / PutUsers /
 * PutItems call. Any campaign of the group may be queried while any tracker
 * of the group ingests; only attached campaigns see the events in their
 * live state (tsrec_event_tracker_attach). Query functions
 * take a const campaign and record failures in the thread-local error only
 * (tsrec_last_error), never on the shared handle. */
#ifndef TSREC_PERSONALIZE_INTERNAL_H
#define TSREC_PERSONALIZE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"
#include "data_internal.h"
#include "eval_internal.h"
#include "filter_internal.h"
#include "interactions_internal.h"
#include "json_internal.h"
#include "params_internal.h"
#include "recipe_internal.h"
#include "tsrec/personalize.h"

#define TSREC__MAGIC_SOLUTION 0x5453534Fu  /* "TSSO" */
#define TSREC__MAGIC_SOLVER 0x54535356u    /* "TSSV" */
#define TSREC__MAGIC_CAMPAIGN 0x54534341u  /* "TSCA" */
#define TSREC__MAGIC_TRACKER 0x54534554u   /* "TSET" */
#define TSREC__MAGIC_FILTER 0x54534649u    /* "TSFI" */

/* AWS training minimums (aws-surface.md B2.3), after the eventType and
 * eventValueThreshold filters. */
#define TSREC__MIN_TRAIN_INTERACTIONS 1000
#define TSREC__MIN_TRAIN_USERS 25 /* users with >= 2 interactions */

/* GetRecommendations / GetPersonalizedRanking limits. */
#define TSREC__NUM_RESULTS_DEFAULT 25
#define TSREC__NUM_RESULTS_MAX 500
#define TSREC__INPUT_LIST_MAX 500
#define TSREC__MAX_ID 256
/* Filters see this many most recent interactions per event type. */
#define TSREC__FILTER_RECENT_PER_TYPE 100

/* ---- solutions ---------------------------------------------------------- */

typedef struct tsrec__solution_config {
    const tsrec__recipe *recipe;
    char *event_type;           /* NULL = all events */
    double threshold;           /* NaN = none */
    int32_t minimums_check;     /* 1 (AWS) unless solutionConfig.minimumsCheck "off" */
    int32_t reserved;
    tsrec__params *params;      /* over recipe->params */
} tsrec__solution_config;

struct tsrec_solution {
    tsrec__handle hdr;
    tsrec_dataset_group *group;
    char *name;
    tsrec__solution_config cfg;
    int64_t n_versions, cap_versions;
    tsrec_solution_version **versions;
};

struct tsrec_solution_version {
    tsrec__handle hdr;
    tsrec_solution *solution;
    int64_t number;              /* 1, 2, ... */
    int32_t training_mode;
    int32_t reserved;
    char *arn;                   /* arn:aws:personalize:::solution/NAME/N */
    tsrec__interactions store;   /* what the model was trained on */
    void *model;
    const tsrec__recipe *recipe;
    tsrec__eval_metrics metrics;
    /* NUL-terminated item ids of the model's item codes (0 .. n_items-1) */
    int64_t n_items;
    char *id_blob;
    int64_t *id_off;             /* n_items + 1 */
};

int tsrec__solution_config_parse(tsrec_ctx *ctx, tsrec__handle *eh, const char *json, size_t len,
                                 char **out_name, tsrec__solution_config *cfg);
void tsrec__solution_config_free(tsrec_ctx *ctx, tsrec__solution_config *cfg);

/* ---- filters ------------------------------------------------------------ */

struct tsrec_filter {
    tsrec__handle hdr;
    tsrec_dataset_group *group;
    char *name;
    tsrec__filter *compiled;
    int64_t *schema_field; /* per compiled field: index in its dataset's schema */
    char *expression;      /* the filterExpression text, kept for tsrec_filter_save */
};

/* ---- campaigns ---------------------------------------------------------- */

typedef struct tsrec__live_user {
    int32_t *item;  /* group item codes, oldest first */
    int32_t *etype; /* EVENT_TYPE codes (-1 absent) */
    int64_t n, cap;
} tsrec__live_user;

/* Index from an id code to the last row of the Items or Users dataset. */
typedef struct tsrec__row_index {
    int64_t *row; /* -1: no record */
    int64_t n, cap;
} tsrec__row_index;

struct tsrec_campaign {
    tsrec__handle hdr;
    tsrec_solution_version *version;
    tsrec_dataset_group *group;
    char *name;
    pthread_rwlock_t *lock; /* the group's live_lock (data_internal.h) */
    /* live state, under lock */
    tsrec__live_user *live; /* by group user code */
    int64_t n_live, cap_live;
    tsrec__row_index items_idx, users_idx;
    /* Derived at creation (campaign.c), never saved: each store user's
     * items sorted and unique (CSR over the version's store), so that a
     * query does not copy and sort the user's whole history. */
    int64_t *hist_off; /* n_hist_users + 1 */
    int32_t *hist_item;
    int64_t n_hist_users;
    /* attached filters (not under lock: attach before querying) */
    tsrec_filter **filters;
    int64_t n_filters;
    atomic_ullong n_requests; /* for recommendationId */
};

/* Rebuild a row index from the group's dataset (TSREC__DS_ITEMS / _USERS);
 * capacity for `extra` more codes is reserved so that later appends need no
 * allocation. Caller holds the write lock (or owns the campaign). */
int tsrec__campaign_index_rebuild(tsrec_campaign *c, tsrec__handle *eh, int32_t which,
                                  int64_t extra);
/* Reserve room for a PutEvents of n events by user code `user` (may be a
 * code not interned yet) and for `extra_items` / `extra_users` more codes
 * in the row indexes. Write lock held. */
int tsrec__campaign_reserve(tsrec_campaign *c, tsrec__handle *eh, int64_t user, int64_t n);
/* Record one live event (cannot fail after tsrec__campaign_reserve). */
void tsrec__campaign_add_event(tsrec_campaign *c, int64_t user, int32_t item, int32_t etype);
/* Point code -> row (cannot fail when capacity was reserved). */
void tsrec__row_index_set(tsrec__row_index *ix, int64_t code, int64_t row);
int tsrec__row_index_reserve(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__row_index *ix, int64_t n);

/* One request, as both the C and the JSON forms see it. */
typedef struct tsrec__rec_request {
    const char *user_id;  /* NULL = none */
    size_t user_len;
    const char *item_id;
    size_t item_len;
    int64_t num_results;
    const tsrec_filter *filter;            /* NULL = none */
    const tsrec__filter_binding *binding;  /* with filter */
} tsrec__rec_request;

/* GetRecommendations core; takes the read lock. out_items / out_scores
 * hold num_results. Errors: thread-local only. */
int tsrec__campaign_recommend_core(const tsrec_campaign *c, const tsrec__rec_request *req,
                                   int32_t *out_items, double *out_scores, int64_t *out_n);
/* GetPersonalizedRanking core: orders the candidate ids; out_order gets
 * the indexes into ids best first, out_scores their score (NaN = unknown
 * item, ranked last in input order). */
int tsrec__campaign_rank_core(const tsrec_campaign *c, const char *user_id, size_t user_len,
                              const char *const *ids, const size_t *lens, int64_t n,
                              const tsrec_filter *filter, const tsrec__filter_binding *binding,
                              int64_t *out_order, double *out_scores, int64_t *out_n);
/* Attached filter by name or ARN (…/NAME), or NULL. */
const tsrec_filter *tsrec__campaign_find_filter(const tsrec_campaign *c, const char *s,
                                                size_t len);
/* Item id string of a model item code. */
const char *tsrec__version_item_id(const tsrec_solution_version *v, int64_t code);

/* ---- filter evaluation over a campaign (filter_api.c) ------------------- */

/* Request-time view for the filter callbacks. Built under the read lock. */
typedef struct tsrec__filter_ud {
    const tsrec_campaign *c;
    const tsrec_filter *f;
    int64_t n_recent;
    int32_t *recent_item;  /* the user's recent interactions, newest first */
    int32_t *recent_type;
} tsrec__filter_ud;

int tsrec__filter_ud_init(tsrec__filter_ud *ud, const tsrec_campaign *c, const tsrec_filter *f,
                          int64_t user);
void tsrec__filter_ud_free(tsrec__filter_ud *ud);
extern const tsrec__filter_callbacks tsrec__campaign_filter_callbacks;

/* ---- event trackers ----------------------------------------------------- */

struct tsrec_event_tracker {
    tsrec__handle hdr;
    tsrec_dataset_group *group;
    char *name;
    tsrec_campaign **campaigns;
    int64_t n_campaigns;
};

/* ---- shared helpers (personalize_util.c) -------------------------------- */

/* AWS resource name ^[a-zA-Z0-9][a-zA-Z0-9\-_]* of 1..63 characters. */
int tsrec__pz_check_name(tsrec__handle *eh, const char *what, const char *s, size_t len);
/* Copy len bytes as a NUL-terminated string. */
char *tsrec__pz_strndup(tsrec_ctx *ctx, const char *s, size_t len);
/* The group's dataset of a type (TSREC__DS_*), or NULL. */
tsrec_dataset *tsrec__pz_dataset(const tsrec_dataset_group *g, int32_t type);
/* Index of the first field with a role, or -1. */
int64_t tsrec__pz_field_role(const tsrec_dataset *ds, int32_t role);
/* Two-call output of a finished writer's text. */
int tsrec__pz_emit(tsrec__json_writer *w, tsrec__handle *eh, char *buf, size_t cap,
                   size_t *out_len);
/* Is the request a JSON object? Records BAD_TYPE otherwise. */
int tsrec__pz_want_object(tsrec__handle *eh, const tsrec__json *v, const char *what);

#endif /* TSREC_PERSONALIZE_INTERNAL_H */
