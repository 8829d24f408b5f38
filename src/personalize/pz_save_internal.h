/* Shared plumbing of the Personalize save / load files (solution_save.c,
 * campaign_save.c, tracker_filter_save.c): payload to container and back,
 * group-match checks, and the error mapping of loads. Never installed.
 *
 * State versions: each object's payload layout is versioned on its own;
 * a file with a newer state version is refused (TSREC_E_VERSION) by the
 * container. */
#ifndef TSREC_PZ_SAVE_INTERNAL_H
#define TSREC_PZ_SAVE_INTERNAL_H

#include "container_internal.h"
#include "personalize_internal.h"

#define TSREC__SOLUTION_STATE_VERSION 1
#define TSREC__CAMPAIGN_STATE_VERSION 1
#define TSREC__TRACKER_STATE_VERSION 1
#define TSREC__FILTER_STATE_VERSION 1

/* TSREC_E_INVALID_ARG naming fn when a save has no destination: both path
 * and write NULL, or an empty path. */
int tsrec__pz_bad_dest(tsrec__handle *eh, const char *fn, const char *path, tsrec_write_fn write);
/* A load step failed with rc (its message already on eh): resource errors
 * (TSREC_E_NOMEM, _THREAD, _IO) and TSREC_E_FORMAT stay, anything else
 * becomes TSREC_E_FORMAT prefixed with `what`. */
int tsrec__pz_load_fail(tsrec__handle *eh, int rc, const char *what);
/* The finished text of a JSON writer into a new ctx string. */
int tsrec__pz_jw_text(tsrec__json_writer *w, tsrec__handle *eh, char **out);
/* EVENT_TYPE dictionary of the group's Interactions dataset, or NULL. */
const tsrec__strdict *tsrec__pz_event_types(const tsrec_dataset_group *g);

/* ---- ids: checking that a load's group is the one saved against ------- */

/* Codes 0..n-1 of d as i64 n, then each id as u8s. */
void tsrec__pz_write_dict_ids(tsrec__wbuf *b, const tsrec__strdict *d, int64_t n);
/* Read ids written by tsrec__pz_write_dict_ids (or the same layout) and
 * check that codes 0..n-1 of d (NULL: an empty dictionary) hold them, so
 * stored codes mean the same ids in this group; TSREC_E_FORMAT naming the
 * first mismatch. *out_n gets n. When out_blob is not NULL the ids are
 * also copied as NUL-terminated strings (blob + n + 1 offsets, the layout
 * of tsrec_solution_version). */
int tsrec__pz_read_check_ids(tsrec__rbuf *r, tsrec_ctx *ctx, tsrec__handle *eh,
                             const tsrec__strdict *d, const char *what, int64_t *out_n,
                             char **out_blob, int64_t **out_off);

/* ---- the interaction store of a solution version (store_save.c) -------- */

/* The per-user arrays and options; the item side is rebuilt on load. */
void tsrec__pz_store_write(tsrec__wbuf *b, const tsrec__interactions *s);
/* Read into *s (zeroed on entry and on failure), checking every count and
 * code. TSREC_E_FORMAT or TSREC_E_NOMEM on eh. */
int tsrec__pz_store_read(tsrec__rbuf *r, tsrec_ctx *ctx, tsrec__handle *eh,
                         tsrec__interactions *s);

#endif /* TSREC_PZ_SAVE_INTERNAL_H */
