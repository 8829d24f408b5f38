/* libtsrec: saving and loading objects.
 *
 * Every object is saved in one container format: magic "TSREC\0OB", format
 * version, object type, the object's state version, CRC32 of the payload and
 * a zlib-compressed payload. Files written by this version keep loading in
 * later versions; a file from a newer format gives TSREC_E_VERSION; a
 * truncated, corrupt or foreign file gives TSREC_E_FORMAT and never crashes.
 *
 * Three ways to save and load each object:
 *  - tsrec_X_save(x, path) / tsrec_X_load(parent, path, &x): files. A save
 *    is atomic: it writes "path.tmp-<pid>", fsyncs it, renames it over path
 *    and fsyncs the folder, so path always holds the old or the new object.
 *  - tsrec_X_save_to(x, write, user) / tsrec_X_load_from(parent, read, user,
 *    &x): caller-supplied byte streams.
 *  - memory: the same with tsrec_membuf_write / tsrec_membuf_read.
 *
 * Loading needs the object's parent where the object refers to one: a
 * predictor, solution, event tracker or filter is loaded onto a dataset
 * group (the group saved and loaded first), a campaign onto the solution
 * that holds its solution version. Dataset groups and forecasts stand
 * alone. Load errors are recorded on the parent handle (tsrec_errmsg). */
#ifndef TSREC_IO_H
#define TSREC_IO_H

#include <stddef.h>
#include <stdint.h>

#include <tsrec/ctx.h>
#include <tsrec/dataset.h>
#include <tsrec/export.h>
#include <tsrec/forecast.h>
#include <tsrec/personalize.h>

TSREC_BEGIN_DECLS

/* Stream callbacks. A writer receives consecutive chunks and returns 0, or
 * non-zero to make the save fail with TSREC_E_IO. A reader fills up to cap
 * bytes of buf, sets *out_len (0 only at the end of the input) and returns
 * 0, or non-zero to make the load fail with TSREC_E_IO. */
typedef int (*tsrec_write_fn)(void *user, const void *data, size_t len);
typedef int (*tsrec_read_fn)(void *user, void *buf, size_t cap, size_t *out_len);

/* A caller-owned memory buffer for the stream callbacks (pass its address
 * as user). Writing: with data == NULL nothing is copied and len counts the
 * bytes a save needs (size query); otherwise bytes are appended at len and a
 * save that does not fit in cap fails. Reading: bytes data[pos..len). */
typedef struct tsrec_membuf {
    void *data;
    size_t cap;
    size_t len;
    size_t pos;
} tsrec_membuf;
TSREC_API int tsrec_membuf_write(void *membuf, const void *data, size_t len);
TSREC_API int tsrec_membuf_read(void *membuf, void *buf, size_t cap, size_t *out_len);

/* Object type stored in a file's header (tsrec_file_info). */
#define TSREC_OBJECT_DATASET_GROUP 1
#define TSREC_OBJECT_PREDICTOR 2
#define TSREC_OBJECT_FORECAST 3
#define TSREC_OBJECT_SOLUTION 4
#define TSREC_OBJECT_CAMPAIGN 5
#define TSREC_OBJECT_EVENT_TRACKER 6
#define TSREC_OBJECT_FILTER 7

/* Read only the header of a saved file: its object type, format version and
 * state version, checking magic and header CRC (not the payload). */
TSREC_API int tsrec_file_info(tsrec_ctx *ctx, const char *path, int32_t *out_object_type,
                              int32_t *out_format_version, int32_t *out_state_version);

/* ---- dataset groups (with schemas, datasets and their data) ------------ */
TSREC_API int tsrec_dataset_group_save(const tsrec_dataset_group *group, const char *path);
TSREC_API int tsrec_dataset_group_save_to(const tsrec_dataset_group *group, tsrec_write_fn write,
                                          void *user);
TSREC_API int tsrec_dataset_group_load(tsrec_ctx *ctx, const char *path,
                                       tsrec_dataset_group **out_group);
TSREC_API int tsrec_dataset_group_load_from(tsrec_ctx *ctx, tsrec_read_fn read, void *user,
                                            tsrec_dataset_group **out_group);

/* ---- predictors (configuration, backtest results, metrics) ------------- */
TSREC_API int tsrec_predictor_save(const tsrec_predictor *predictor, const char *path);
TSREC_API int tsrec_predictor_save_to(const tsrec_predictor *predictor, tsrec_write_fn write,
                                      void *user);
TSREC_API int tsrec_predictor_load(tsrec_dataset_group *group, const char *path,
                                   tsrec_predictor **out_predictor);
TSREC_API int tsrec_predictor_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user,
                                        tsrec_predictor **out_predictor);

/* ---- forecasts ----------------------------------------------------------- */
TSREC_API int tsrec_forecast_save(const tsrec_forecast *forecast, const char *path);
TSREC_API int tsrec_forecast_save_to(const tsrec_forecast *forecast, tsrec_write_fn write,
                                     void *user);
TSREC_API int tsrec_forecast_load(tsrec_ctx *ctx, const char *path, tsrec_forecast **out_forecast);
TSREC_API int tsrec_forecast_load_from(tsrec_ctx *ctx, tsrec_read_fn read, void *user,
                                       tsrec_forecast **out_forecast);

/* ---- solutions (with every solution version and its trained state) ----- */
TSREC_API int tsrec_solution_save(const tsrec_solution *solution, const char *path);
TSREC_API int tsrec_solution_save_to(const tsrec_solution *solution, tsrec_write_fn write,
                                     void *user);
TSREC_API int tsrec_solution_load(tsrec_dataset_group *group, const char *path,
                                  tsrec_solution **out_solution);
TSREC_API int tsrec_solution_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user,
                                       tsrec_solution **out_solution);

/* ---- campaigns (configuration and live event state) --------------------- */
TSREC_API int tsrec_campaign_save(const tsrec_campaign *campaign, const char *path);
TSREC_API int tsrec_campaign_save_to(const tsrec_campaign *campaign, tsrec_write_fn write,
                                     void *user);
TSREC_API int tsrec_campaign_load(tsrec_solution *solution, const char *path,
                                  tsrec_campaign **out_campaign);
TSREC_API int tsrec_campaign_load_from(tsrec_solution *solution, tsrec_read_fn read, void *user,
                                       tsrec_campaign **out_campaign);

/* ---- event trackers ------------------------------------------------------ */
TSREC_API int tsrec_event_tracker_save(const tsrec_event_tracker *tracker, const char *path);
TSREC_API int tsrec_event_tracker_save_to(const tsrec_event_tracker *tracker, tsrec_write_fn write,
                                          void *user);
TSREC_API int tsrec_event_tracker_load(tsrec_dataset_group *group, const char *path,
                                       tsrec_event_tracker **out_tracker);
TSREC_API int tsrec_event_tracker_load_from(tsrec_dataset_group *group, tsrec_read_fn read,
                                            void *user, tsrec_event_tracker **out_tracker);

/* ---- filters ------------------------------------------------------------- */
TSREC_API int tsrec_filter_save(const tsrec_filter *filter, const char *path);
TSREC_API int tsrec_filter_save_to(const tsrec_filter *filter, tsrec_write_fn write, void *user);
TSREC_API int tsrec_filter_load(tsrec_dataset_group *group, const char *path,
                                tsrec_filter **out_filter);
TSREC_API int tsrec_filter_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user,
                                     tsrec_filter **out_filter);

TSREC_END_DECLS

#endif /* TSREC_IO_H */
