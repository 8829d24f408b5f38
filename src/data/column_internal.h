/* Column storage helpers for the data layer (struct in data_internal.h).
 * Allocation/free/size are in column_alloc.c; value push/truncate helpers
 * used by the import pipeline live in column.c. Never installed. */
#ifndef TSREC_COLUMN_INTERNAL_H
#define TSREC_COLUMN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "data_internal.h"

/* Initialise an EMPTY column of the given kind (TSREC__COL_*): len = cap = 0,
 * no data, no validity bitmap. CODE columns use shared_dict when it is not
 * NULL (dict_shared = 1, not freed with the column); otherwise they get a
 * new dictionary owned by the column. shared_dict must be NULL for the
 * other kinds. On failure the column is left zeroed (safe to free). */
int tsrec__column_init(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int32_t kind,
                       tsrec__strdict *shared_dict);
/* Free data, validity and an owned dictionary; the column is zeroed.
 * Safe on a zeroed column. */
void tsrec__column_free(tsrec__column *c, tsrec_ctx *ctx);
/* Bytes held: allocated data + validity + owned dictionary. */
size_t tsrec__column_bytes(const tsrec__column *c);


/* ---- value operations (column.c; import helper) -------------------------
 * All take the ctx that owns the column's memory. A failing call leaves the
 * column's length, capacity and values as they were (TSREC_E_NOMEM on
 * allocation failure, recorded on eh). */

/* Room for n_more values past len (1.5x geometric growth, at least 1024). */
int tsrec__column_reserve(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int64_t n_more);
/* Release the slack past len (a failed shrink keeps it). */
void tsrec__column_shrink_to_fit(tsrec__column *c, tsrec_ctx *ctx);
/* CODE columns: rewrite codes in place at a larger width (1, 2, 4). */
int tsrec__column_widen(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int32_t width);
/* CODE columns: back to a smaller width whose range holds every code
 * (rollback only; never allocates). */
void tsrec__column_narrow(tsrec__column *c, int32_t width);

/* Append one value. push_code widens the column when the code needs it
 * (> 255 -> 2 bytes, > 65535 -> 4). push_bytes interns into c->dict first
 * (a code interned but not stored is for the caller's dictionary rollback).
 * push_i64 fits I64/F32/F64/BOOL columns, push_f64 F32/F64, push_bool BOOL.
 * push_missing allocates the validity bitmap on first use. */
int tsrec__column_push_code(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int64_t code);
int tsrec__column_push_bytes(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh,
                             const char *bytes, size_t len);
int tsrec__column_push_i64(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int64_t v);
int tsrec__column_push_f64(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, double v);
int tsrec__column_push_bool(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int v);
int tsrec__column_push_missing(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh);

/* Value i (0 <= i < len): 1 if present; the code (-1 if not a CODE column
 * or out of range); as int64 (I64, BOOL, CODE); as double (F32, F64, I64,
 * BOOL). Missing values read as 0. */
int tsrec__column_is_present(const tsrec__column *c, int64_t i);
int64_t tsrec__column_get_code(const tsrec__column *c, int64_t i);
int64_t tsrec__column_get_i64(const tsrec__column *c, int64_t i);
double tsrec__column_get_f64(const tsrec__column *c, int64_t i);

/* Keep the first len values (no-op if len >= c->len); never allocates. */
void tsrec__column_truncate(tsrec__column *c, int64_t len);
/* Exchange the whole contents of two columns. */
void tsrec__column_swap(tsrec__column *a, tsrec__column *b);

#endif /* TSREC_COLUMN_INTERNAL_H */
