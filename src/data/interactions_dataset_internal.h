/* Adapters from a Personalize dataset group to the recipes' inputs: the
 * interaction store (interactions_internal.h) from the Interactions
 * dataset, and the Users / Items metadata matrix (meta_encode_internal.h)
 * from the Users or Items dataset (interactions_dataset.c).
 *
 * Codes: user and item codes are those of the group's shared
 * dictionaries, and the code spaces are the whole dictionaries. So an item
 * that appears only in the Items dataset (a cold item), or a user only in
 * Users, has a code, an empty interaction history and a metadata row, and
 * the store and the metadata matrices of one group line up row for row.
 * Never installed. */
#ifndef TSREC_INTERACTIONS_DATASET_INTERNAL_H
#define TSREC_INTERACTIONS_DATASET_INTERNAL_H

#include <stdint.h>

#include "data_internal.h"
#include "interactions_internal.h"
#include "meta_encode_internal.h"

/* Build the interaction store from the group's Interactions dataset
 * (fields USER_ID, ITEM_ID, TIMESTAMP and the optional EVENT_TYPE and
 * EVENT_VALUE; other fields are not read). event_type: keep only events of
 * this type (NULL = all); event_value_threshold: keep events whose value is
 * >= it (NaN = no threshold). Identical events are deduplicated as AWS
 * does. Event type codes are those of the EVENT_TYPE column's dictionary
 * (first-seen order); without an EVENT_TYPE field the store has no event
 * types. Returns TSREC_OK, TSREC_E_INVALID_ARG (NULL, not a Personalize
 * group, infinite threshold), TSREC_E_EMPTY (no Interactions dataset, no
 * rows, or no row left after the filters), TSREC_E_OUT_OF_RANGE (more than
 * INT32_MAX users or items), TSREC_E_NAN (an infinite event value) or
 * TSREC_E_NOMEM; errors are recorded on eh. On failure *out is zeroed. */
int tsrec__interactions_from_group(tsrec__interactions *out, tsrec_dataset_group *g,
                                   tsrec__handle *eh, const char *event_type,
                                   double event_value_threshold);

/* Encode the group's Users (which = TSREC__DS_USERS) or Items
 * (TSREC__DS_ITEMS) dataset as a metadata matrix with one row per user or
 * item code of the group (n_rows = the group's user / item dictionary
 * size). Fields, in schema order:
 *  - categorical strings: one-hot (values split on '|'), or hashed into
 *    hash_buckets columns when hash_buckets > 0 (for huge vocabularies);
 *  - int, long, float, double and boolean (as 0/1): numeric, standardised,
 *    with a missing indicator column;
 *  - skipped: textual strings (they need a text model, not a one-hot),
 *    strings that are neither categorical nor textual (AWS ignores them in
 *    training), the id field and CREATION_TIMESTAMP (used for item age,
 *    not as a feature).
 * m->n_fields counts the encoded fields only; out_schema_field (may be
 * NULL; else room for the schema's field count) receives for each encoded
 * field its index in the dataset's schema. A dataset with no encodable
 * field gives a matrix with 0 columns. When a user or item has several
 * records the last one wins (a later import replaces it). Returns TSREC_OK,
 * TSREC_E_INVALID_ARG (NULL, not a Personalize group, bad which,
 * hash_buckets < 0), TSREC_E_EMPTY (no such dataset or no rows),
 * TSREC_E_OUT_OF_RANGE (more than INT32_MAX users or items), TSREC_E_NAN
 * (an infinite number) or TSREC_E_NOMEM. On failure *out is zeroed. */
int tsrec__meta_from_dataset(tsrec__meta_matrix *out, tsrec_dataset_group *g,
                             tsrec__handle *eh, int32_t which, int32_t hash_buckets,
                             int64_t *out_schema_field);

#endif /* TSREC_INTERACTIONS_DATASET_INTERNAL_H */
