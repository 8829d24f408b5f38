/* The object container (include/tsrec/io.h) and the byte buffers objects
 * serialize themselves into. Never installed.
 *
 * File layout (little-endian):
 *   0  magic "TSREC\0OB" (8 bytes)
 *   8  u32 format version (TSREC__CONTAINER_FORMAT)
 *  12  u32 object type (TSREC_OBJECT_*)
 *  16  u32 state version of that object type
 *  20  u32 flags (0)
 *  24  u64 payload length, uncompressed
 *  32  u64 payload length, compressed
 *  40  u32 CRC32 of the uncompressed payload
 *  44  u32 CRC32 of bytes 0..43
 *  48  zlib stream of the payload
 *
 * An object's payload is written with tsrec__wbuf and read back with
 * tsrec__rbuf. The reader is bounds-checked: any read past the end, or a
 * count that cannot fit in the remaining bytes, sets `failed` and returns
 * zeros, so deserializers check `failed` once per section instead of after
 * every field, and a corrupt payload can never make them over-read or
 * allocate more than the file could describe. */
#ifndef TSREC_CONTAINER_INTERNAL_H
#define TSREC_CONTAINER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"
#include "tsrec/io.h"

#define TSREC__CONTAINER_FORMAT 1u
#define TSREC__CONTAINER_HEADER 48

/* ---- writing a payload --------------------------------------------------- */

typedef struct tsrec__wbuf {
    tsrec_ctx *ctx;
    unsigned char *data;
    size_t len, cap;
    int status; /* TSREC_OK, or TSREC_E_NOMEM after a failed growth */
} tsrec__wbuf;

void tsrec__wbuf_init(tsrec__wbuf *b, tsrec_ctx *ctx);
void tsrec__wbuf_free(tsrec__wbuf *b);
void tsrec__wbuf_bytes(tsrec__wbuf *b, const void *p, size_t n);
void tsrec__wbuf_u8(tsrec__wbuf *b, uint8_t v);
void tsrec__wbuf_u32(tsrec__wbuf *b, uint32_t v);
void tsrec__wbuf_i32(tsrec__wbuf *b, int32_t v);
void tsrec__wbuf_i64(tsrec__wbuf *b, int64_t v);
void tsrec__wbuf_f64(tsrec__wbuf *b, double v);
/* A string as i64 length + bytes; NULL is written as length -1. */
void tsrec__wbuf_str(tsrec__wbuf *b, const char *s);
/* Arrays as i64 count + elements (the reader's *_array check the count). */
void tsrec__wbuf_i32s(tsrec__wbuf *b, const int32_t *v, int64_t n);
void tsrec__wbuf_i64s(tsrec__wbuf *b, const int64_t *v, int64_t n);
void tsrec__wbuf_f32s(tsrec__wbuf *b, const float *v, int64_t n);
void tsrec__wbuf_f64s(tsrec__wbuf *b, const double *v, int64_t n);
void tsrec__wbuf_u8s(tsrec__wbuf *b, const uint8_t *v, int64_t n);

/* ---- reading a payload ---------------------------------------------------- */

typedef struct tsrec__rbuf {
    const unsigned char *data;
    size_t len, pos;
    int failed; /* set by any out-of-bounds read; sticky */
} tsrec__rbuf;

void tsrec__rbuf_init(tsrec__rbuf *r, const void *data, size_t len);
/* Pointer to the next n bytes (and skip them), NULL + failed if fewer. */
const void *tsrec__rbuf_span(tsrec__rbuf *r, size_t n);
uint8_t tsrec__rbuf_u8(tsrec__rbuf *r);
uint32_t tsrec__rbuf_u32(tsrec__rbuf *r);
int32_t tsrec__rbuf_i32(tsrec__rbuf *r);
int64_t tsrec__rbuf_i64(tsrec__rbuf *r);
double tsrec__rbuf_f64(tsrec__rbuf *r);
/* A count written by a *s writer: fails (returns -1, sets failed) when
 * negative or when count * elem_size exceeds the bytes left. */
int64_t tsrec__rbuf_count(tsrec__rbuf *r, size_t elem_size);
/* A string written by tsrec__wbuf_str: a copy allocated with ctx (NUL
 * terminated) into *out, NULL for a NULL string. TSREC_OK, TSREC_E_NOMEM,
 * or TSREC_E_FORMAT (failed set) when it does not fit. */
int tsrec__rbuf_str(tsrec__rbuf *r, tsrec_ctx *ctx, char **out);
/* The same into a fixed buffer of cap bytes (including the NUL); a longer
 * string is a format error. */
int tsrec__rbuf_str_into(tsrec__rbuf *r, char *buf, size_t cap);
/* Arrays written by the matching tsrec__wbuf_*s: *out allocated with ctx
 * (NULL when n == 0), *out_n the count. TSREC_OK, TSREC_E_NOMEM or
 * TSREC_E_FORMAT. Free with tsrec__free(ctx, p). */
int tsrec__rbuf_i32s(tsrec__rbuf *r, tsrec_ctx *ctx, int32_t **out, int64_t *out_n);
int tsrec__rbuf_i64s(tsrec__rbuf *r, tsrec_ctx *ctx, int64_t **out, int64_t *out_n);
int tsrec__rbuf_f32s(tsrec__rbuf *r, tsrec_ctx *ctx, float **out, int64_t *out_n);
int tsrec__rbuf_f64s(tsrec__rbuf *r, tsrec_ctx *ctx, double **out, int64_t *out_n);
int tsrec__rbuf_u8s(tsrec__rbuf *r, tsrec_ctx *ctx, uint8_t **out, int64_t *out_n);

/* ---- the container ------------------------------------------------------- */

/* Compress payload b and write header + stream through write(user). Errors
 * (TSREC_E_NOMEM, TSREC_E_IO when write fails, b->status) are recorded on
 * eh. */
int tsrec__container_write(tsrec__handle *eh, uint32_t object_type, uint32_t state_version,
                           const tsrec__wbuf *b, tsrec_write_fn write, void *user);
/* The same to a file, atomically (temp file, fsync, rename, fsync folder). */
int tsrec__container_save(tsrec__handle *eh, uint32_t object_type, uint32_t state_version,
                          const tsrec__wbuf *b, const char *path);

/* A loaded payload: data owned (allocated with ctx), free with
 * tsrec__payload_free. */
typedef struct tsrec__payload {
    tsrec_ctx *ctx;
    unsigned char *data;
    size_t len;
    uint32_t state_version;
} tsrec__payload;

/* Read a container through read(user): checks magic, header CRC, format
 * version (newer: TSREC_E_VERSION), object type (another type:
 * TSREC_E_FORMAT naming both), state version <= max_state_version (newer:
 * TSREC_E_VERSION), inflates with the declared sizes bounded by what the
 * stream holds and the ctx memory limit, and checks the payload CRC.
 * Errors are recorded on eh. */
int tsrec__container_read(tsrec__handle *eh, tsrec_ctx *ctx, uint32_t object_type,
                          uint32_t max_state_version, tsrec_read_fn read, void *user,
                          tsrec__payload *out);
/* The same from a file (TSREC_E_IO naming the path when it cannot be
 * opened or read). */
int tsrec__container_load(tsrec__handle *eh, tsrec_ctx *ctx, uint32_t object_type,
                          uint32_t max_state_version, const char *path, tsrec__payload *out);
void tsrec__payload_free(tsrec__payload *p);

/* Save or load through whichever destination / source a public function
 * was given: path when it is not NULL (tsrec__container_save / _load), else
 * write(user) / read(user). save_any first refuses a payload whose building
 * failed (b->status) and frees b in every case. Errors on eh. */
int tsrec__container_save_any(tsrec__handle *eh, uint32_t object_type, uint32_t state_version,
                              tsrec__wbuf *b, const char *path, tsrec_write_fn write,
                              void *user);
int tsrec__container_load_any(tsrec__handle *eh, tsrec_ctx *ctx, uint32_t object_type,
                              uint32_t max_state_version, const char *path, tsrec_read_fn read,
                              void *user, tsrec__payload *out);

#endif /* TSREC_CONTAINER_INTERNAL_H */
