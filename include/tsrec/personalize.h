/* libtsrec: solutions, solution versions, campaigns, event trackers and
 * filters -- the Amazon Personalize CreateSolution / CreateSolutionVersion /
 * GetSolutionMetrics / CreateCampaign / GetRecommendations /
 * GetPersonalizedRanking / PutEvents / CreateFilter workflow.
 *
 * Requests are the AWS JSON request bodies; responses are AWS-shaped JSON
 * (two-call pattern: buf NULL / cap 0 gives the length) or plain C arrays.
 *
 * Thread-safety: solutions, trackers and filters are per-handle. A campaign
 * is an immutable view of a solution version plus live event state: any
 * number of threads may call tsrec_campaign_recommend*, tsrec_campaign_rank*
 * and the JSON forms on one campaign at once, while event trackers of the
 * same dataset group ingest (one group-wide read-write lock orders them). */
#ifndef TSREC_PERSONALIZE_H
#define TSREC_PERSONALIZE_H

#include <stddef.h>
#include <stdint.h>

#include <tsrec/dataset.h>
#include <tsrec/export.h>

TSREC_BEGIN_DECLS

typedef struct tsrec_solution tsrec_solution;
typedef struct tsrec_solution_version tsrec_solution_version;
typedef struct tsrec_campaign tsrec_campaign;
typedef struct tsrec_event_tracker tsrec_event_tracker;
typedef struct tsrec_filter tsrec_filter;

/* Training modes of CreateSolutionVersion. */
#define TSREC_TRAINING_FULL 1
#define TSREC_TRAINING_UPDATE 2

/* ---- solutions and versions ------------------------------------------- */

/* CreateSolution on a Personalize dataset group: request_json like
 *   {"name":"s1","recipeArn":"arn:aws:personalize:::recipe/aws-sims",
 *    "solutionConfig":{"eventValueThreshold":"3.5",
 *      "algorithmHyperParameters":{"popularity_discount_factor":"0.5"}},
 *    "eventType":"click"}
 * recipeArn may be the bare recipe name ("aws-sims"). The group must
 * outlive the solution. */
TSREC_API int tsrec_solution_create(tsrec_dataset_group *group, const char *request_json,
                                    size_t len, tsrec_solution **out_solution);
TSREC_API void tsrec_solution_free(tsrec_solution *solution);

/* CreateSolutionVersion: train on the group's current data (FULL) or
 * update the latest version with new items and events (UPDATE), then run
 * the offline evaluation. The version belongs to the solution. */
TSREC_API int tsrec_solution_train(tsrec_solution *solution, int32_t training_mode,
                                   tsrec_solution_version **out_version);
/* The versions a solution holds, numbered 1..n in training order and owned
 * by the solution (e.g. to create a campaign on a version of a solution
 * loaded from a file). A number out of range is TSREC_E_UNKNOWN_NAME. */
TSREC_API int tsrec_solution_version_count(const tsrec_solution *solution, int64_t *out_count);
TSREC_API int tsrec_solution_version_get(tsrec_solution *solution, int64_t number,
                                         tsrec_solution_version **out_version);
/* GetSolutionMetrics response: {"solutionVersionArn":...,"metrics":{...}}
 * with coverage, mean_reciprocal_rank_at_25,
 * normalized_discounted_cumulative_gain_at_5/10/25, precision_at_5/10/25. */
TSREC_API int tsrec_solution_version_metrics_json(const tsrec_solution_version *version,
                                                  char *buf, size_t cap, size_t *out_len);
/* One metric by its AWS name. */
TSREC_API int tsrec_solution_version_metric(const tsrec_solution_version *version,
                                            const char *name, double *out_value);

/* ---- filters ------------------------------------------------------------ */

/* CreateFilter: {"name":"f1","filterExpression":"EXCLUDE ItemID WHERE ..."}.
 * Syntax errors give TSREC_E_PARSE with the position in the message. */
TSREC_API int tsrec_filter_create(tsrec_dataset_group *group, const char *request_json,
                                  size_t len, tsrec_filter **out_filter);
TSREC_API void tsrec_filter_free(tsrec_filter *filter);

/* ---- campaigns ---------------------------------------------------------- */

/* CreateCampaign over a solution version (the version must outlive it). */
TSREC_API int tsrec_campaign_create(tsrec_solution_version *version, const char *request_json,
                                    size_t len, tsrec_campaign **out_campaign);
TSREC_API void tsrec_campaign_free(tsrec_campaign *campaign);

/* GetRecommendations: request_json like
 *   {"userId":"u1","itemId":"i9","numResults":25,"filterArn":"f1",
 *    "filterValues":{"GENRE":"\"comedy\""},"context":{"DEVICE":"phone"}}
 * (filterArn = the filter's name; filters are attached with
 * tsrec_campaign_attach_filter). Response {"itemList":[{"itemId":...,
 * "score":...}],"recommendationId":...}; float scores (SIMS) are printed
 * as the shortest text that reads back as the same float, so parse them
 * as float to get tsrec_campaign_recommend's value. Thread-safe. */
TSREC_API int tsrec_campaign_recommend_json(const tsrec_campaign *campaign, const char *request_json,
                                            size_t len, char *buf, size_t cap, size_t *out_len);
/* GetPersonalizedRanking: {"userId":"u1","inputList":["i1",...],...};
 * response {"personalizedRanking":[{"itemId":...,"score":...}]}. */
TSREC_API int tsrec_campaign_rank_json(const tsrec_campaign *campaign, const char *request_json,
                                       size_t len, char *buf, size_t cap, size_t *out_len);
/* Make a filter usable by name in requests to this campaign (the filter
 * must outlive the campaign). Not thread-safe with concurrent queries. */
TSREC_API int tsrec_campaign_attach_filter(tsrec_campaign *campaign, tsrec_filter *filter);

/* C array form of GetRecommendations: user_id and/or item_id (NULL when
 * absent), no filter; up to num_results items into out_items (item id
 * strings owned by the campaign's dictionary, valid for its lifetime) and
 * out_scores; *out_n = count returned. Thread-safe. */
TSREC_API int tsrec_campaign_recommend(const tsrec_campaign *campaign, const char *user_id,
                                       const char *item_id, int64_t num_results,
                                       const char **out_items, double *out_scores,
                                       int64_t *out_n);

/* ---- event trackers ----------------------------------------------------- */

/* CreateEventTracker bound to a campaign's group; live events reach the
 * campaigns given to tsrec_event_tracker_attach. */
TSREC_API int tsrec_event_tracker_create(tsrec_dataset_group *group, const char *request_json,
                                         size_t len, tsrec_event_tracker **out_tracker);
TSREC_API void tsrec_event_tracker_free(tsrec_event_tracker *tracker);
TSREC_API int tsrec_event_tracker_attach(tsrec_event_tracker *tracker, tsrec_campaign *campaign);
/* PutEvents with the AWS request body (trackingId, sessionId, userId,
 * eventList[1..10]{eventType, sentAt, itemId, eventValue, eventId,
 * properties, impression, recommendationId}). Atomic: all events or none.
 * Once it returns TSREC_OK the events are in the Interactions dataset and
 * visible to attached campaigns. */
TSREC_API int tsrec_event_tracker_put_events(tsrec_event_tracker *tracker, const char *request_json,
                                             size_t len);
/* PutUsers / PutItems: {"datasetArn":..., "users":[{"userId":...,
 * "properties":"{...}"}]} / {"items":[{"itemId":...,"properties":"{...}"}]}. */
TSREC_API int tsrec_event_tracker_put_users(tsrec_event_tracker *tracker, const char *request_json,
                                            size_t len);
TSREC_API int tsrec_event_tracker_put_items(tsrec_event_tracker *tracker, const char *request_json,
                                            size_t len);

TSREC_END_DECLS

#endif /* TSREC_PERSONALIZE_H */
