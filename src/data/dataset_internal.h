/* Dataset and dataset-group internals (dataset_group.c, dataset.c). The
 * structs are in data_internal.h. Never installed. */
#ifndef TSREC_DATASET_INTERNAL_H
#define TSREC_DATASET_INTERNAL_H

#include <stdint.h>

#include "data_internal.h"

/* Column kind (TSREC__COL_*) that holds a field of `type` for `service`:
 * strings and geolocations as dictionary codes, integer/long/timestamp as
 * int64, Forecast float and Avro double as f64, Avro float as f32, boolean
 * as u8. 0 for an unknown type. */
int32_t tsrec__column_kind_for(int32_t service, int32_t type);

/* Free a dataset and everything it owns (columns, owned dictionaries,
 * schema copy, roles, name); the shared item/user dictionaries stay with
 * the group. Works on a partly built dataset. NULL-safe. */
void tsrec__dataset_destroy(tsrec_dataset *ds);

#endif /* TSREC_DATASET_INTERNAL_H */
