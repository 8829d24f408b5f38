/* Direct appends of already-typed rows to a dataset (append.c), for small
 * frequent writers such as an event tracker's PutEvents: no import session,
 * no report, no text parsing. Never installed.
 *
 * The caller builds one tsrec__cell per field and row (import_internal.h),
 * schema order, cells[r * n_fields + f]. tsrec__dataset_append_fits says
 * whether every cell can go in without the import's text rules; when it
 * cannot (a TEXT cell for a numeric column, a missing required value, a
 * string over an AWS limit...) the caller runs the general import session
 * with the same cells, which parses, checks and words the error exactly as
 * any import does. */
#ifndef TSREC_APPEND_INTERNAL_H
#define TSREC_APPEND_INTERNAL_H

#include <stdint.h>

#include "import_internal.h"

/* 1 if every cell can be appended directly:
 *  - CODE columns: a present TEXT cell within the field's AWS length limit
 *    (TSREC__MAX_ID_CHARS for USER_ID / ITEM_ID / EVENT_TYPE,
 *    TSREC__MAX_CATEGORICAL_CHARS for categorical strings; judged on
 *    bytes, so a longer text goes to the import, which counts characters)
 *    and under TSREC__STRDICT_MAX_LEN; not a GEOLOCATION field;
 *  - I64 columns: a TIME cell in TIMESTAMP / CREATION_TIMESTAMP fields,
 *    inside [TSREC__TIME_MIN, TSREC__TIME_MAX];
 *  - F32 / F64 columns: a finite REAL cell (within the float range for F32);
 *  - missing cells (present = 0, or TEXT of length 0) in nullable fields.
 * 0 otherwise, or for n_rows < 1 or NULL arguments. Never changes anything. */
int tsrec__dataset_append_fits(const tsrec_dataset *ds, const tsrec__cell *cells, int64_t n_rows);

/* Append n_rows rows if tsrec__dataset_append_fits accepts them, else
 * return TSREC_E_INVALID_ARG with nothing changed (the caller then runs
 * the import, which words the error). All or nothing: on failure
 * (TSREC_E_NOMEM, TSREC_E_OUT_OF_RANGE for a full dictionary) the columns
 * are cut back to their length, width and validity before the call and
 * the dictionaries, the group's shared ones included, truncated to their
 * old counts, exactly as an import's rollback. Counts as one import
 * (n_imports), like the INCREMENTAL import it replaces. Never shrinks the
 * columns: their geometric growth slack serves the next appends. */
int tsrec__dataset_append_cells(tsrec_dataset *ds, tsrec__handle *eh, const tsrec__cell *cells,
                                int64_t n_rows);

#endif /* TSREC_APPEND_INTERNAL_H */
