/* Streaming CSV reader (RFC 4180) and the byte sources it reads from.
 *
 * Sources (csv_source.c) hide where bytes come from: a memory buffer, a
 * file, or a gzip stream decoded on the fly with fixed-size buffers
 * (multi-member files as `cat a.gz b.gz` makes them). Opening a path or a
 * buffer with auto-detection looks at the first two bytes (1f 8b = gzip).
 *
 * The reader (csv.c) yields one record at a time as (pointer, length)
 * views into its own buffer, unescaped in place, valid until the next call.
 * Rules: ',' separates fields; LF or CRLF ends a record (a lone CR is data;
 * inside quotes CR and LF are data); "..." quotes a field and "" inside it
 * is one quote; a UTF-8 BOM at the very start is skipped; the last record
 * may lack its newline; lines with no bytes at all are skipped (a blank
 * line is never a record). Every field must be valid UTF-8 without NUL.
 *
 * Errors. A record-level error (TSREC_E_PARSE: bad quoting, invalid UTF-8,
 * NUL, field or record too long, too many fields) is returned after the bad
 * record has been consumed, so calling tsrec__csv_next again continues with
 * the next record; the reader's `err` says where and why. Source errors
 * (TSREC_E_IO, TSREC_E_FORMAT for gzip) and TSREC_E_NOMEM are fatal: every
 * later call returns the same status. Not thread-safe; one reader per
 * thread. */
#ifndef TSREC_CSV_INTERNAL_H
#define TSREC_CSV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

/* ---- byte sources ------------------------------------------------------ */

typedef struct tsrec__source tsrec__source;

/* A source: `read` fills buf with up to cap bytes (cap > 0) and stores the
 * count in *out_n, 0 meaning end of input; it returns TSREC_OK or a fatal
 * status recorded on eh. `destroy` releases the source (and any source it
 * wraps). Implementations embed this struct first. */
struct tsrec__source {
    int (*read)(tsrec__source *s, tsrec__handle *eh, unsigned char *buf, size_t cap,
                size_t *out_n);
    void (*destroy)(tsrec__source *s);
    tsrec_ctx *ctx;
};

/* Bytes of a caller buffer (borrowed; must outlive the source). max_read
 * > 0 caps the bytes per read call (tests use 1 to split every token across
 * reads); 0 = no cap. Not gzip-aware: see tsrec__source_auto. */
int tsrec__source_memory(tsrec_ctx *ctx, tsrec__handle *eh, const void *data, size_t len,
                         size_t max_read, tsrec__source **out);
/* A plain file (no decompression). TSREC_E_IO names the path and the
 * system's reason when it cannot be opened or read. */
int tsrec__source_file(tsrec_ctx *ctx, tsrec__handle *eh, const char *path,
                       tsrec__source **out);
/* Wrap `inner`, taking ownership of it even on failure: if its first bytes
 * are the gzip magic 1f 8b the stream is inflated (every member, in order),
 * else the bytes pass through unchanged. `name` (copied; may be NULL) is
 * used in messages. Truncated data gives TSREC_E_FORMAT "truncated gzip
 * stream", bad data "corrupt gzip data at byte N" (N = offset in the
 * compressed input). */
int tsrec__source_auto(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__source *inner,
                       const char *name, tsrec__source **out);
/* tsrec__source_file + tsrec__source_auto. */
int tsrec__source_open_path(tsrec_ctx *ctx, tsrec__handle *eh, const char *path,
                            tsrec__source **out);
/* NULL is a no-op. */
void tsrec__source_free(tsrec__source *s);

/* ---- folders -------------------------------------------------------------- */

/* Regular files (symlinks followed) directly inside `dir`, names starting
 * with '.' left out, as "dir/name" paths sorted by name (byte order). An
 * empty folder gives *out_n = 0 and *out_paths = NULL. Free the list with
 * tsrec__dir_list_free. */
int tsrec__dir_list(tsrec_ctx *ctx, tsrec__handle *eh, const char *dir, char ***out_paths,
                    int64_t *out_n);
void tsrec__dir_list_free(tsrec_ctx *ctx, char **paths, int64_t n);

/* ---- reader ------------------------------------------------------------- */

#define TSREC__CSV_DEFAULT_MAX_FIELD ((size_t)1 << 20)     /* 1 MiB */
#define TSREC__CSV_DEFAULT_MAX_FIELDS ((int64_t)4096)
#define TSREC__CSV_DEFAULT_MAX_RECORD ((size_t)64 << 20)   /* 64 MiB */
#define TSREC__CSV_DEFAULT_BUFFER ((size_t)256 << 10)

typedef struct tsrec__csv_options {
    size_t max_field_bytes;  /* longer field -> TSREC_E_PARSE; 0 = default */
    int64_t max_fields;      /* more fields in a record -> TSREC_E_PARSE; 0 = default */
    size_t max_record_bytes; /* raw bytes of one record; 0 = default */
    size_t buffer_bytes;     /* initial buffer (grows for long records); 0 = default */
} tsrec__csv_options;

typedef struct tsrec__csv_field {
    const char *ptr; /* not NUL-terminated */
    size_t len;
} tsrec__csv_field;

typedef struct tsrec__csv_record {
    const tsrec__csv_field *fields; /* valid until the next call on the reader */
    int64_t n_fields;               /* 0 = end of input */
    int64_t line;                   /* 1-based line where the record starts */
    uint64_t offset;                /* byte offset of its start in the (decoded) input */
} tsrec__csv_record;

/* Where and why the last record-level error happened. */
typedef struct tsrec__csv_error {
    int64_t line;        /* 1-based physical line of the offending byte */
    int64_t column;      /* 1-based field index */
    int64_t record_line; /* line where the bad record starts */
    uint64_t offset;     /* byte offset of the offending byte */
    char reason[96];     /* e.g. "quote inside an unquoted field" */
} tsrec__csv_error;

typedef struct tsrec__csv_reader tsrec__csv_reader;

/* Create a reader over `src`, taking ownership of it (it is freed with the
 * reader, or at once if creation fails). opts may be NULL. */
int tsrec__csv_reader_new(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__source *src,
                          const tsrec__csv_options *opts, tsrec__csv_reader **out);
void tsrec__csv_reader_free(tsrec__csv_reader *r); /* NULL is a no-op */

/* Next record into *out. TSREC_OK with out->n_fields == 0 at end of input.
 * TSREC_E_PARSE: the record was bad and has been skipped (details in
 * tsrec__csv_last_error and the message on eh, "... at line L column C");
 * call again for the next one. Any other status is fatal and sticky. */
int tsrec__csv_next(tsrec__csv_reader *r, tsrec__handle *eh, tsrec__csv_record *out);
const tsrec__csv_error *tsrec__csv_last_error(const tsrec__csv_reader *r);
/* Decoded bytes consumed so far (records returned or skipped). */
uint64_t tsrec__csv_bytes_read(const tsrec__csv_reader *r);

#endif /* TSREC_CSV_INTERNAL_H */
