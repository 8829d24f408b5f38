/* Strict JSON (RFC 8259): a parser to a read-only DOM and a small writer.
 *
 * Parser (json.c). Everything a document needs lives in one arena owned by
 * the tsrec__json_doc, freed with one tsrec__json_free call. Strict means:
 * no comments, no trailing commas, no NaN/Infinity, no leading zeros, no
 * raw control characters in strings, valid UTF-8 only, \u escapes with
 * surrogate pairs decoded to UTF-8 (lone surrogates refused), numbers that
 * overflow a double refused, duplicate object keys refused
 * (TSREC_E_DUPLICATE naming the key), nesting deeper than max_depth
 * refused. Syntax errors are TSREC_E_PARSE "JSON: expected ... at line L
 * column C" (column counts bytes from 1). Objects keep their key order.
 *
 * Writer (json_writer.c). Builds text into a growable buffer, inserting
 * commas itself and escaping strings; the first error sticks and is
 * reported by tsrec__jw_finish, so callers check once at the end. */
#ifndef TSREC_JSON_INTERNAL_H
#define TSREC_JSON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

#define TSREC__JSON_DEFAULT_DEPTH 128

enum tsrec__json_type {
    TSREC__JSON_NULL = 0,
    TSREC__JSON_BOOL = 1,
    TSREC__JSON_NUMBER = 2,
    TSREC__JSON_STRING = 3,
    TSREC__JSON_ARRAY = 4,
    TSREC__JSON_OBJECT = 5
};

typedef struct tsrec__json tsrec__json;
typedef struct tsrec__json_member tsrec__json_member;

struct tsrec__json {
    int32_t type;   /* enum tsrec__json_type */
    int32_t is_int; /* number: the value is an integer that fits int64 exactly */
    int32_t line;   /* where the value starts, for messages */
    int32_t column;
    union {
        int32_t boolean;
        struct {
            const char *text; /* as written, NUL-terminated */
            size_t len;
            double d;         /* finite */
            int64_t i;        /* valid when is_int */
        } num;
        struct {
            const char *ptr;  /* UTF-8, NUL-terminated (may contain \u0000) */
            size_t len;
        } str;
        struct {
            const tsrec__json *items;
            int64_t n;
        } arr;
        struct {
            const tsrec__json_member *items; /* in document order */
            int64_t n;
        } obj;
    } u;
};

struct tsrec__json_member {
    const char *key; /* NUL-terminated */
    size_t key_len;
    tsrec__json value;
};

typedef struct tsrec__json_doc tsrec__json_doc;

/* Parse text[0..len). max_depth <= 0 means TSREC__JSON_DEFAULT_DEPTH.
 * Returns TSREC_OK, TSREC_E_PARSE, TSREC_E_DUPLICATE, TSREC_E_NOMEM or
 * TSREC_E_INVALID_ARG; *out is NULL on failure. */
int tsrec__json_parse(tsrec_ctx *ctx, tsrec__handle *eh, const char *text, size_t len,
                      int32_t max_depth, tsrec__json_doc **out);
const tsrec__json *tsrec__json_root(const tsrec__json_doc *doc);
void tsrec__json_free(tsrec__json_doc *doc); /* NULL is a no-op */

/* ---- accessors (NULL-safe) ---------------------------------------------- */

/* Type of v, or -1 for NULL. */
int32_t tsrec__json_type(const tsrec__json *v);
/* "null", "boolean", "number", "string", "array", "object". */
const char *tsrec__json_type_name(int32_t type);
/* Member value by key (first match), NULL if v is not an object or has no
 * such key. */
const tsrec__json *tsrec__json_get(const tsrec__json *v, const char *key);
/* Element count of an array or member count of an object, else -1. */
int64_t tsrec__json_len(const tsrec__json *v);
/* Array element i, NULL when v is not an array or i is out of range. */
const tsrec__json *tsrec__json_at(const tsrec__json *v, int64_t i);

/* Checked conversions. `what` names the value in messages ("AttributeName").
 * TSREC_E_BAD_TYPE when v is NULL or of another type; as_int64 gives
 * TSREC_E_OUT_OF_RANGE for a number that is not an exact int64. */
int tsrec__json_as_string(const tsrec__json *v, tsrec__handle *eh, const char *what,
                          const char **out, size_t *out_len);
int tsrec__json_as_double(const tsrec__json *v, tsrec__handle *eh, const char *what,
                          double *out);
int tsrec__json_as_int64(const tsrec__json *v, tsrec__handle *eh, const char *what,
                         int64_t *out);
int tsrec__json_as_bool(const tsrec__json *v, tsrec__handle *eh, const char *what,
                        int32_t *out);

/* ---- writer -------------------------------------------------------------- */

#define TSREC__JW_MAX_DEPTH 128

typedef struct tsrec__json_writer {
    tsrec_ctx *ctx;
    char *buf;
    size_t len, cap;
    int status;            /* first error, TSREC_OK if none */
    char why[128];         /* its reason */
    int32_t depth;
    int32_t after_key;     /* a key was written, its value is next */
    uint8_t has_items[TSREC__JW_MAX_DEPTH + 1]; /* per level: a comma is due */
    uint8_t is_object[TSREC__JW_MAX_DEPTH + 1];
} tsrec__json_writer;

void tsrec__jw_init(tsrec__json_writer *w, tsrec_ctx *ctx);
void tsrec__jw_free(tsrec__json_writer *w); /* releases the buffer */

/* Each returns the writer's sticky status. Strings must be valid UTF-8;
 * doubles finite (TSREC_E_NAN otherwise); keys only inside objects. */
int tsrec__jw_object_begin(tsrec__json_writer *w);
int tsrec__jw_object_end(tsrec__json_writer *w);
int tsrec__jw_array_begin(tsrec__json_writer *w);
int tsrec__jw_array_end(tsrec__json_writer *w);
int tsrec__jw_key(tsrec__json_writer *w, const char *s, size_t len);
int tsrec__jw_string(tsrec__json_writer *w, const char *s, size_t len);
int tsrec__jw_int64(tsrec__json_writer *w, int64_t v);
int tsrec__jw_double(tsrec__json_writer *w, double v); /* shortest text that reads back exactly */
/* Shortest text (1 to 9 significant digits) that reads back as the same
 * float, e.g. 0.1f as "0.1" where tsrec__jw_double((double)0.1f) gives
 * "0.10000000149011612". For float-origin values (scores kept as float32):
 * exact as a float, and no snprintf/strtod round trips. Layout as
 * ECMAScript's Number::toString (exponent form below 1e-6 or from 1e21). */
int tsrec__jw_float(tsrec__json_writer *w, float v);
/* Make room for n more bytes at once (saves regrowing when the caller
 * knows the text's size roughly). Sticky status as the others. */
int tsrec__jw_reserve(tsrec__json_writer *w, size_t n);
int tsrec__jw_bool(tsrec__json_writer *w, int32_t v);
int tsrec__jw_null(tsrec__json_writer *w);

/* Check the document is complete and hand out the text (NUL-terminated,
 * owned by the writer until tsrec__jw_free). Records the first error on
 * eh and returns it. */
int tsrec__jw_finish(tsrec__json_writer *w, tsrec__handle *eh, const char **out,
                     size_t *out_len);

#endif /* TSREC_JSON_INTERNAL_H */
