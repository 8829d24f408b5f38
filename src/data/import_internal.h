/* The import pipeline (import.c, import_csv.c, import_rows.c,
 * import_report.c, field_parse.c). Never installed.
 *
 * An import is a session: begin (choose target columns and remember how
 * to undo), one row at a time (parse every field, append while no row has
 * failed), then commit or roll back. Atomicity:
 *  - FULL builds into fresh columns and swaps them in on success;
 *  - INCREMENTAL appends to the dataset's columns and, on failure, cuts
 *    them back to their saved length, width and validity;
 *  - in both, dictionary entries interned by a failed import are removed
 *    (tsrec__strdict_truncate), including in the group's shared item and
 *    user dictionaries.
 * Any bad row fails the whole import; the rows after it are still parsed
 * (without storing) so the report lists up to max_errors of them. */
#ifndef TSREC_IMPORT_INTERNAL_H
#define TSREC_IMPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "column_internal.h"
#include "data_internal.h"

/* ---- field parsing (field_parse.c) -------------------------------------- */

#define TSREC__PARSE_OK 0
#define TSREC__PARSE_SYNTAX 1 /* not of the expected form */
#define TSREC__PARSE_RANGE 2  /* well formed but out of range */

/* [+-]digits, no blanks, full int64 range. */
int tsrec__parse_i64(const char *s, size_t len, int64_t *out);
/* [+-]digits[.digits][(e|E)[+-]digits] or [+-].digits...; "NaN", "inf",
 * hex and blanks are SYNTAX; values that overflow a double are RANGE.
 * Correctly rounded (exact fast path, strtod otherwise). */
int tsrec__parse_f64(const char *s, size_t len, double *out);
/* "true" / "false" exactly (lower case, as Personalize). */
int tsrec__parse_bool(const char *s, size_t len, int *out);
/* Unicode code points in valid UTF-8. */
int64_t tsrec__utf8_chars(const char *s, size_t len);
/* Forecast geolocation: "lat_long" in decimal degrees ("47.61_-122.33",
 * |lat| <= 90, |long| <= 180) or "US_" + 5-digit ZIP ("US_98121"). */
int tsrec__parse_geolocation(const char *s, size_t len);
/* Text handed over from memory (rows, Arrow strings) meets what the CSV
 * reader demands of a field: valid UTF-8, no NUL byte, at most
 * TSREC__CSV_DEFAULT_MAX_FIELD bytes. TSREC_OK, or TSREC_E_PARSE with the
 * reason written to why. */
int tsrec__text_check(const char *s, size_t len, char *why, size_t why_cap);
/* Fixed UTC offset "+HH:MM", "+HHMM" (or '-'), "UTC" or "Z" in seconds
 * (local = UTC + offset); NULL gives 0. At most 14 hours. */
int tsrec__parse_tz_offset(const char *tz, int64_t *out_seconds);

/* AWS limits on string values (characters = code points). */
#define TSREC__MAX_ID_CHARS 256           /* USER_ID, ITEM_ID, Forecast item_id */
#define TSREC__MAX_CATEGORICAL_CHARS 1000 /* categorical value, pipes included */

/* ---- report (import_report.c) ------------------------------------------- */

typedef struct tsrec__import_error {
    char *file;    /* NULL for in-memory rows */
    int64_t line;  /* 1-based; 0 when not applicable */
    int64_t column;
    char *message;
} tsrec__import_error;

struct tsrec_import_report {
    tsrec__handle hdr;
    int64_t rows_imported;
    int64_t rows_rejected;
    double seconds;
    int64_t n_errors, errors_cap;
    tsrec__import_error *errors;
};

int tsrec__report_new(tsrec_ctx *ctx, tsrec__handle *eh, tsrec_import_report **out);
/* Copy one error into the report. TSREC_E_NOMEM on failure. */
int tsrec__report_add(tsrec_import_report *r, tsrec__handle *eh, const char *file, int64_t line,
                      int64_t column, const char *message);

/* ---- import session (import.c) ------------------------------------------ */

/* What a cell holds. TEXT (0, so zeroed cells are text) is parsed by the
 * field's rule exactly as a CSV field; the others are values a producer
 * already typed (Arrow columns), checked by the same rules: 32-bit range,
 * finiteness, float range, timestamp range. */
#define TSREC__CELL_TEXT 0       /* ptr, len */
#define TSREC__CELL_INT 1        /* i: an integer */
#define TSREC__CELL_REAL 2       /* d: a number (NaN and infinities are refused) */
#define TSREC__CELL_BOOL 3       /* i: 0 or 1 */
#define TSREC__CELL_TIME 4       /* i: an instant, epoch seconds (UTC) */
#define TSREC__CELL_LOCAL_TIME 5 /* i: a wall-clock time as seconds since 1970-01-01
                                  * 00:00; the import's time_zone applies (Forecast) */

/* A field's value for one row; present = 0 for a missing cell (a NULL cell
 * of the row API, a Personalize column absent from the header, an Arrow
 * null). A present TEXT cell of length 0 is missing too, as in CSV. */
typedef struct tsrec__cell {
    const char *ptr;
    size_t len;
    int present;
    int32_t kind; /* TSREC__CELL_* */
    int64_t i;
    double d;
} tsrec__cell;

typedef struct tsrec__import tsrec__import;

/* Start an import into ds. opts may be NULL (defaults). */
int tsrec__import_begin(tsrec_dataset *ds, const tsrec_import_options *opts,
                        int32_t default_mode, tsrec__import **out);
/* One row: cells[f] for every schema field f, in schema order; `cols`
 * (may be NULL) gives the 1-based file column of each field for error
 * reports. file/line locate the row. Returns TSREC_OK for a good or a bad
 * row (bad rows are recorded), or a fatal status (NOMEM, CANCELLED). */
int tsrec__import_row(tsrec__import *im, const tsrec__cell *cells, const int64_t *cols,
                      const char *file, int64_t line);
/* 1 if field f accepts cells of `kind` (TSREC__CELL_*): TEXT always;
 * INT for integer, long, float and timestamp fields; REAL for float and
 * double; BOOL for boolean; TIME and LOCAL_TIME for timestamps (Forecast
 * timestamp, Personalize TIMESTAMP / CREATION_TIMESTAMP). */
int tsrec__import_accepts(const tsrec__import *im, int64_t f, int32_t kind);
/* Record a bad row found before field parsing (CSV syntax, column count,
 * header): status TSREC_E_PARSE or TSREC_E_SCHEMA. Returns TSREC_OK or
 * TSREC_E_NOMEM. */
int tsrec__import_bad_row(tsrec__import *im, int status, const char *file, int64_t line,
                          int64_t column, const char *message);
/* 1 once max_errors bad rows were recorded: stop reading. */
int tsrec__import_full_of_errors(const tsrec__import *im);
/* Rows parsed so far (good ones) and bad rows. */
int64_t tsrec__import_rows(const tsrec__import *im);
/* Finish: `status` is the caller's verdict (TSREC_OK if reading went
 * well). Commits when status is OK, rows were imported and no row was
 * bad; otherwise rolls back. Frees the session, fills the report (handed
 * to *out_report when not NULL, else freed) and returns the final status
 * with the message recorded on the dataset. */
int tsrec__import_end(tsrec__import *im, int status, const char *what,
                      tsrec_import_report **out_report);
/* The schema and service of the dataset being imported. */
const tsrec_schema *tsrec__import_schema(const tsrec__import *im);
tsrec_import_report *tsrec__import_report(tsrec__import *im);
/* Where messages go (the dataset's handle) and the ctx. */
tsrec__handle *tsrec__import_eh(tsrec__import *im);
tsrec_ctx *tsrec__import_ctx(tsrec__import *im);

#endif /* TSREC_IMPORT_INTERNAL_H */
