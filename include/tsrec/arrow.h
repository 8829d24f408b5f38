/* libtsrec: dataset imports through the Arrow C Data Interface and the
 * Arrow C Stream Interface (https://arrow.apache.org/docs/format/
 * CDataInterface.html and CStreamInterface.html).
 *
 * The three ABI structs below are defined exactly as the specification
 * defines them, inside the specification's canonical guards, so this
 * header coexists with arrow/c/abi.h, nanoarrow.h or any other project's
 * copy: whichever header comes first defines them. They are the only
 * identifiers of the public headers without the tsrec_ prefix.
 *
 * Ownership: libtsrec BORROWS what it is given, for the duration of the
 * call only, and copies the values into the dataset. It never keeps a
 * pointer into Arrow memory after returning. */
#ifndef TSREC_ARROW_H
#define TSREC_ARROW_H

#include <stdint.h>

#include <tsrec/dataset.h>
#include <tsrec/export.h>

TSREC_BEGIN_DECLS

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    /* type description */
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    /* producer's release callback (NULL once released) */
    void (*release)(struct ArrowSchema *);
    /* producer's opaque data */
    void *private_data;
};

struct ArrowArray {
    /* data description */
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    /* producer's release callback (NULL once released) */
    void (*release)(struct ArrowArray *);
    /* producer's opaque data */
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    /* errno-style callbacks: 0 on success */
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    /* producer's release callback (NULL once released) */
    void (*release)(struct ArrowArrayStream *);
    /* producer's opaque data */
    void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

/* Columns and types.
 *
 * A record batch is a struct-typed array (format "+s") whose children are
 * the columns. Columns are matched to the dataset schema's fields by exact
 * name, in any order, for both services. As with a Personalize CSV header:
 * a column that is not a schema field, two columns with the same name, or
 * a missing field (Forecast: any field; Personalize: any field that is not
 * nullable) fail the import with TSREC_E_SCHEMA.
 *
 * Column formats accepted:
 *   "u", "U"              utf8 / large utf8: text parsed exactly as a CSV
 *                         field (any field type)
 *   dictionary of "u"/"U" with integer indices: as utf8
 *   "c" "s" "i" "l", "C" "S" "I" "L"
 *                         integers: integer, long and float fields, epoch
 *                         seconds for timestamps, decimal text for strings
 *   "f", "g"              float32 / float64: float and double fields
 *   "b"                   boolean: boolean fields
 *   "tss:", "tsm:", "tsu:", "tsn:" (optionally followed by a time zone)
 *                         timestamps, converted to whole seconds (sub-second
 *                         parts are dropped, rounding toward the past)
 *   "tdD", "tdm"          date32 / date64: timestamp fields
 *   "n"                   null: every value missing
 * Timestamps without a time zone and dates are wall-clock times: the import
 * options' time_zone applies to them as to CSV text; timestamps with a time
 * zone are instants and are taken as they are. Other formats give
 * TSREC_E_UNSUPPORTED naming the column and the format.
 *
 * Values are checked as CSV values are (required fields, AWS id lengths,
 * valid UTF-8 without NUL, 32-bit int range, NaN and infinity refused,
 * timestamp range); an Arrow null or an empty string is a missing value.
 * Bad values are reported per row (line = 1-based row number across all
 * batches, column = 1-based child index). A malformed array (wrong buffer
 * or child counts, negative length or offset, a NULL buffer where values
 * are needed, a dictionary index out of range, decreasing string offsets)
 * gives TSREC_E_FORMAT and is never read past what its header declares.
 *
 * Both imports are atomic and reported exactly like
 * tsrec_dataset_import_csv: on any error the dataset keeps its previous
 * contents, out_report (may be NULL) lists the bad rows. opts may be NULL:
 * a FULL import with default options. */

/* Import every record batch of a stream. The stream is borrowed: its
 * schema is read with get_schema (and that schema released), then
 * get_next is called until it returns the released end marker; each batch
 * is released right after it was copied (also when it fails). The stream
 * itself is NOT released: the caller still owns it and must release it.
 * A non-zero get_schema/get_next result fails the import with TSREC_E_IO
 * and the message of get_last_error. */
TSREC_API int tsrec_dataset_import_arrow_stream(tsrec_dataset *dataset,
                                                struct ArrowArrayStream *stream,
                                                const tsrec_import_options *opts,
                                                tsrec_import_report **out_report);

/* Import one record batch (schema "+s" and its array). Both are borrowed
 * and neither is released: the caller keeps ownership. */
TSREC_API int tsrec_dataset_import_arrow(tsrec_dataset *dataset, const struct ArrowSchema *schema,
                                         const struct ArrowArray *array,
                                         const tsrec_import_options *opts,
                                         tsrec_import_report **out_report);

TSREC_END_DECLS

#endif /* TSREC_ARROW_H */
