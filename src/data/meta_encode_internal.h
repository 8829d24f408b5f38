/* Encoding of Personalize Users / Items metadata for the recipes: a CSR
 * feature matrix with one row per user or item code and float values.
 *
 * Per field, in field order, a block of columns:
 *  - ONEHOT (categorical string): one column per distinct value, numbered
 *    in order of first appearance (records in input order). Multi-valued
 *    categoricals are split on '|' as AWS does ("horror|comedy" sets both
 *    columns to 1); empty parts are ignored, a part repeated in one value
 *    counts once. AWS limits a categorical value to 1000 characters
 *    including the pipes: longer values are refused (TSREC_E_OUT_OF_RANGE).
 *  - HASHED (categorical string): n_buckets columns; each part sets column
 *    tsrec__hash_bytes(part, len, 0) mod n_buckets to 1 (collisions merge).
 *  - NUMERIC: two columns: the value standardised with the mean and the
 *    population standard deviation (divide by the count) of the present
 *    values, then a missing indicator. A present value sets the first
 *    column (even when it standardises to 0); a missing one (NaN, or a
 *    row without a record) sets the indicator to 1, which stands for 0
 *    in the value column. A constant field (sd 0) uses sd 1.
 * When several records carry the same row (a later PutUsers / PutItems
 * replaces a user or item), the last record wins and earlier ones are
 * ignored, also for the statistics and the one-hot vocabulary. Rows
 * without a record have only their numeric missing indicators set.
 * Within a row, columns are strictly increasing. */
#ifndef TSREC_META_ENCODE_INTERNAL_H
#define TSREC_META_ENCODE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"
#include "strdict_internal.h"

#define TSREC__META_ONEHOT 1
#define TSREC__META_HASHED 2
#define TSREC__META_NUMERIC 3
#define TSREC__META_MAX_VALUE_LEN 1000 /* chars of one categorical value, pipes included */

typedef struct tsrec__meta_field {
    int32_t kind;            /* TSREC__META_* */
    int32_t n_buckets;       /* HASHED: >= 1 */
    const char *const *str;  /* ONEHOT / HASHED: per record, NULL = missing */
    const double *num;       /* NUMERIC: per record, NaN = missing, +-Inf refused */
} tsrec__meta_field;

typedef struct tsrec__meta_matrix {
    tsrec_ctx *ctx;
    int64_t n_rows, n_cols, nnz;
    int64_t *row_off;       /* n_rows + 1 */
    int32_t *col;           /* nnz */
    float *val;             /* nnz */
    int64_t n_fields;
    int64_t *field_col0;    /* n_fields + 1: field f has columns [col0[f], col0[f+1]) */
    double *mean, *sd;      /* per field; NUMERIC only (others 0 / 1) */
    tsrec__strdict *vocab;  /* per field; ONEHOT: value -> column - col0 (others empty) */
} tsrec__meta_matrix;

/* Encode n_records records (record r describes row row_of_record[r], in
 * 0..n_rows-1) with the given fields. Returns TSREC_OK, TSREC_E_INVALID_ARG
 * (NULL arrays, bad kind, n_buckets < 1, negative sizes),
 * TSREC_E_OUT_OF_RANGE (row code outside 0..n_rows-1, value longer than
 * 1000 characters), TSREC_E_NAN (an infinite number) or TSREC_E_NOMEM.
 * On failure *m is zeroed (safe to free). */
int tsrec__meta_encode(tsrec__meta_matrix *m, tsrec_ctx *ctx, tsrec__handle *eh,
                       int64_t n_rows, int64_t n_records, const int32_t *row_of_record,
                       const tsrec__meta_field *fields, int64_t n_fields);

void tsrec__meta_matrix_free(tsrec__meta_matrix *m); /* zeroes; safe on zeroed */
size_t tsrec__meta_matrix_bytes(const tsrec__meta_matrix *m);

#endif /* TSREC_META_ENCODE_INTERNAL_H */
