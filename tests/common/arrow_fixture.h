/* A tiny Arrow C Data / C Stream Interface producer for tests: builds
 * arrays and schemas by hand (buffers copied to the heap), with release
 * callbacks that count their calls, and a stream over prepared batches.
 *
 * Arrays and schemas are heap shells; af_array_free / af_schema_free call
 * the release callback (if still set) and free the shell. A batch owns its
 * children: its release releases them. The buffer and child pointer arrays
 * the structs point to are views the tests may damage (set a buffer to
 * NULL, change n_buffers...): release frees from private copies. */
#ifndef TSREC_ARROW_FIXTURE_H
#define TSREC_ARROW_FIXTURE_H

#include <stdint.h>

#include "tsrec/arrow.h"

typedef struct af_counts {
    int64_t batch_releases;  /* top-level (record batch) arrays */
    int64_t child_releases;  /* columns and dictionaries */
    int64_t schema_releases; /* top-level schemas */
    int64_t stream_releases;
} af_counts;

extern af_counts af_count;
void af_reset_counts(void);

/* Columns. valid: NULL = no validity bitmap, else valid[i] != 0 means
 * present. Strings: NULL entries are nulls (a bitmap is made when any). */
struct ArrowArray *af_utf8(const char *const *vals, int64_t n);
struct ArrowArray *af_large_utf8(const char *const *vals, int64_t n);
/* Strings with explicit byte lengths (embedded NUL, invalid UTF-8). */
struct ArrowArray *af_utf8_bytes(const char *const *vals, const size_t *lens, int64_t n);
/* Fixed-width values (width bytes each). */
struct ArrowArray *af_fixed(const void *data, int width, int64_t n, const int *valid);
struct ArrowArray *af_bool(const int *vals, const int *valid, int64_t n);
/* Indices of `width` bytes into a utf8 dictionary of n_dict entries (NULL
 * = null entry). */
struct ArrowArray *af_dict(const void *idx, int width, const int *valid, int64_t n,
                           const char *const *dict, int64_t n_dict);
struct ArrowArray *af_null(int64_t n);
/* A record batch (struct) of n_cols columns, taking them over; its length
 * is the first column's (0 without columns). */
struct ArrowArray *af_batch(int64_t n_cols, struct ArrowArray **cols);
/* Drop the first k values of an array (offset += k, length -= k). */
void af_shift(struct ArrowArray *a, int64_t k);
void af_array_free(struct ArrowArray *a);

/* A "+s" schema; dict_formats may be NULL or hold, per column, the value
 * format of a dictionary-encoded column (formats[k] is then its index
 * format). */
struct ArrowSchema *af_schema(int64_t n, const char *const *names, const char *const *formats,
                              const char *const *dict_formats);
void af_schema_free(struct ArrowSchema *s);

/* A stream over batches (taken over) with the schema af_schema would
 * build. fail_next: the get_next call (1-based) that fails with EIO and
 * "disk on fire" (0 = never); fail_schema: get_schema fails. */
struct ArrowArrayStream *af_stream(int64_t n, const char *const *names,
                                   const char *const *formats, const char *const *dict_formats,
                                   struct ArrowArray **batches, int64_t n_batches, int fail_next,
                                   int fail_schema);
/* Release (if still set) and free the stream shell. */
void af_stream_free(struct ArrowArrayStream *s);

#endif
