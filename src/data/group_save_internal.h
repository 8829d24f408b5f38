/* Saving and loading dataset groups (include/tsrec/io.h): the payload
 * layout shared by the writer (group_save.c) and the reader
 * (group_load.c). Never installed.
 *
 * Payload, in order (integers little-endian, as container_internal.h):
 *   str  group name, i32 service, str domain name (NULL for none)
 *   dict group item ids, dict group user ids
 *   i32  number of datasets (0..TSREC__DS_MAX_TYPES), in slot order; each:
 *     str name, str dataset type name, str data frequency (NULL for none),
 *     str schema as JSON (the canonical text of the parsed schema, so a
 *         load re-parses and re-validates it like tsrec_schema_parse),
 *     i64 rows, i64 successful imports, i64 fields; then per field, in
 *     schema order, a column:
 *       i32 kind (TSREC__COL_*), i32 width, i64 length, u8 shared dict,
 *       dict (only for a code column with its own dictionary),
 *       values: CODE as u8s of length*width bytes, I64 i64s, F32 f32s,
 *               F64 f64s, BOOL u8s,
 *       u8 has validity; if 1, i64 word count then the bitmap words
 *          (bits past the length are zero).
 *   dict: i64 count, then per string u32 length + bytes, in code order,
 *   so every code (and every code stored in a column) is kept as is. */
#ifndef TSREC_GROUP_SAVE_INTERNAL_H
#define TSREC_GROUP_SAVE_INTERNAL_H

#include <stdint.h>

/* Bump when the payload changes; loads refuse newer states. */
#define TSREC__GROUP_STATE_VERSION 1u

/* Upper bound on the schema JSON a file may carry: a schema of the
 * largest field count with the longest names fits well inside. */
#define TSREC__GROUP_SCHEMA_JSON_MAX ((int64_t)1 << 20)

#endif /* TSREC_GROUP_SAVE_INTERNAL_H */
