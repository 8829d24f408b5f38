/* Typed parameter tables (src/core/params.c).
 *
 * Each algorithm declares its parameters once, as a const array of
 * tsrec__param_def. A tsrec__params object (allocated from a ctx) holds the
 * current typed value of every parameter of one table, starts at the
 * defaults, and is changed by name from strings, the way AWS hyperparameter
 * maps arrive ("epochs" -> "100"), or in bulk from "k1=v1 k2=v2".
 *
 * Parsing is strict: numbers must be the whole string ("12abc", "", " ",
 * "nan", "inf", "0x10", "1e999" are TSREC_E_BAD_TYPE), bounds give
 * TSREC_E_OUT_OF_RANGE, unknown names TSREC_E_UNKNOWN_NAME with a
 * "did you mean" hint. Names and ENUM values are case-sensitive; BOOL takes
 * true/false/1/0 in any case. Number parsing and formatting do not depend
 * on the C locale ("." is always the decimal point).
 *
 * Not thread-safe: one params object per handle, used by one thread at a
 * time, like the handle that owns it. */
#ifndef TSREC_PARAMS_INTERNAL_H
#define TSREC_PARAMS_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

/* Parameter types (stored as int32_t in the table). */
enum {
    TSREC__PARAM_INT = 1,
    TSREC__PARAM_DOUBLE = 2,
    TSREC__PARAM_BOOL = 3,
    TSREC__PARAM_STRING = 4,
    TSREC__PARAM_ENUM = 5
};

/* Bound flags for DOUBLE parameters: bounds are inclusive unless flagged
 * exclusive. An infinite or NaN bound means "no bound on that side". INT
 * bounds are always inclusive; INT64_MIN / INT64_MAX mean unbounded. */
#define TSREC__PARAM_LO_EXCL 1u
#define TSREC__PARAM_HI_EXCL 2u

typedef struct tsrec__param_def {
    const char *name;    /* case-sensitive, unique in its table */
    int32_t type;        /* TSREC__PARAM_* */
    uint32_t flags;      /* TSREC__PARAM_LO_EXCL | TSREC__PARAM_HI_EXCL */
    const char *def;     /* default value, in the string form users write */
    int64_t ilo, ihi;    /* INT bounds (inclusive) */
    double lo, hi;       /* DOUBLE bounds */
    const char *choices; /* ENUM: allowed values separated by '|' */
    const char *doc;     /* one-line description */
} tsrec__param_def;

/* Table-entry helpers, e.g.
 *   static const tsrec__param_def defs[] = {
 *       TSREC__PARAM_DEF_INT("epochs", "100", 1, 1000, "Training epochs."),
 *       TSREC__PARAM_DEF_DOUBLE_X("learning_rate", "0.001", 0.0, 1.0,
 *                                 TSREC__PARAM_LO_EXCL, "Step size."),
 *       TSREC__PARAM_DEF_ENUM("likelihood", "gaussian",
 *                             "gaussian|beta|negative-binomial", "..."),
 *   }; */
#define TSREC__PARAM_DEF_INT(name_, def_, lo_, hi_, doc_)                      \
    {.name = (name_), .type = TSREC__PARAM_INT, .flags = 0, .def = (def_),     \
     .ilo = (lo_), .ihi = (hi_), .lo = 0.0, .hi = 0.0, .choices = NULL,        \
     .doc = (doc_)}
#define TSREC__PARAM_DEF_DOUBLE_X(name_, def_, lo_, hi_, flags_, doc_)         \
    {.name = (name_), .type = TSREC__PARAM_DOUBLE, .flags = (flags_),          \
     .def = (def_), .ilo = 0, .ihi = 0, .lo = (lo_), .hi = (hi_),              \
     .choices = NULL, .doc = (doc_)}
#define TSREC__PARAM_DEF_DOUBLE(name_, def_, lo_, hi_, doc_)                   \
    TSREC__PARAM_DEF_DOUBLE_X(name_, def_, lo_, hi_, 0u, doc_)
#define TSREC__PARAM_DEF_BOOL(name_, def_, doc_)                               \
    {.name = (name_), .type = TSREC__PARAM_BOOL, .flags = 0, .def = (def_),    \
     .ilo = 0, .ihi = 1, .lo = 0.0, .hi = 0.0, .choices = NULL, .doc = (doc_)}
#define TSREC__PARAM_DEF_STRING(name_, def_, doc_)                             \
    {.name = (name_), .type = TSREC__PARAM_STRING, .flags = 0, .def = (def_),  \
     .ilo = 0, .ihi = 0, .lo = 0.0, .hi = 0.0, .choices = NULL, .doc = (doc_)}
#define TSREC__PARAM_DEF_ENUM(name_, def_, choices_, doc_)                     \
    {.name = (name_), .type = TSREC__PARAM_ENUM, .flags = 0, .def = (def_),    \
     .ilo = 0, .ihi = 0, .lo = 0.0, .hi = 0.0, .choices = (choices_),          \
     .doc = (doc_)}

/* Current value of one parameter. */
typedef struct tsrec__param_value {
    int64_t i; /* INT value; BOOL 0/1; ENUM index into the choices */
    double d;  /* DOUBLE value */
    char *s;   /* STRING value, ENUM value text (owned copies); else NULL */
} tsrec__param_value;

typedef struct tsrec__params {
    tsrec_ctx *ctx;
    const tsrec__param_def *defs; /* borrowed: tables are static const */
    int64_t n;
    tsrec__param_value *v; /* n values */
    uint8_t *set;          /* n flags: set explicitly since create/reset */
} tsrec__params;

/* Create a values object for table defs[0..n) initialised from the
 * defaults. The table is checked (names present and unique, types known,
 * ENUM lists present, every default valid and in bounds): a broken table is
 * TSREC_E_INVALID_ARG naming the entry. NOMEM on allocation failure. n may
 * be 0 (an algorithm without parameters). *out is NULL on failure. */
int tsrec__params_new(tsrec_ctx *ctx, tsrec__handle *eh,
                      const tsrec__param_def *defs, int64_t n,
                      tsrec__params **out);
void tsrec__params_free(tsrec__params *p); /* NULL is a no-op */

/* Set one parameter from its string form. On any error nothing changes. */
int tsrec__params_set(tsrec__params *p, tsrec__handle *eh, const char *name,
                      const char *value);
/* Set several from "k1=v1 k2=v2": pairs separated by spaces, tabs,
 * newlines or commas; no spaces around '='; values cannot contain
 * separators. All or nothing: on any error (syntax TSREC_E_PARSE, a name
 * given twice TSREC_E_DUPLICATE, or any per-parameter error) no value
 * changes. An empty string is a no-op. */
int tsrec__params_set_many(tsrec__params *p, tsrec__handle *eh,
                           const char *text);
/* Back to the defaults (all or nothing). */
int tsrec__params_reset(tsrec__params *p, tsrec__handle *eh);

/* Index of a parameter by name, or -1 (no error recorded). */
int64_t tsrec__params_find(const tsrec__params *p, const char *name);

/* Typed getters by name: TSREC_E_UNKNOWN_NAME for a bad name,
 * TSREC_E_BAD_TYPE if the parameter has another type. get_str works for
 * STRING and ENUM parameters; the pointer is owned by p and valid until the
 * parameter is next set or reset. get_enum gives the ENUM index in its
 * choice list. */
int tsrec__params_get_int(const tsrec__params *p, tsrec__handle *eh,
                          const char *name, int64_t *out);
int tsrec__params_get_double(const tsrec__params *p, tsrec__handle *eh,
                             const char *name, double *out);
int tsrec__params_get_bool(const tsrec__params *p, tsrec__handle *eh,
                           const char *name, int *out);
int tsrec__params_get_str(const tsrec__params *p, tsrec__handle *eh,
                          const char *name, const char **out);
int tsrec__params_get_enum(const tsrec__params *p, tsrec__handle *eh,
                           const char *name, int64_t *out);
/* The same by index (TSREC_E_INVALID_ARG for an index out of [0, n)). */
int tsrec__params_get_int_at(const tsrec__params *p, tsrec__handle *eh,
                             int64_t i, int64_t *out);
int tsrec__params_get_double_at(const tsrec__params *p, tsrec__handle *eh,
                                int64_t i, double *out);
int tsrec__params_get_bool_at(const tsrec__params *p, tsrec__handle *eh,
                              int64_t i, int *out);
int tsrec__params_get_str_at(const tsrec__params *p, tsrec__handle *eh,
                             int64_t i, const char **out);
int tsrec__params_get_enum_at(const tsrec__params *p, tsrec__handle *eh,
                              int64_t i, int64_t *out);

/* ---- introspection ---------------------------------------------------- */

int64_t tsrec__params_count(const tsrec__params *p);
/* Definition i (NULL if out of range): name, default, doc, choices. */
const tsrec__param_def *tsrec__params_def(const tsrec__params *p, int64_t i);
const char *tsrec__params_name(const tsrec__params *p, int64_t i); /* NULL if out of range */
/* "int", "double", "bool", "string", "enum"; "unknown" otherwise. */
const char *tsrec__param_type_name(int32_t type);
/* Numeric bounds as doubles (-inf/+inf when open on that side) and the
 * TSREC__PARAM_*_EXCL flags; TSREC_E_BAD_TYPE for non-numeric
 * parameters. Any out pointer may be NULL. */
int tsrec__params_bounds(const tsrec__params *p, tsrec__handle *eh, int64_t i,
                         double *out_lo, double *out_hi, uint32_t *out_flags);
/* Non-zero if parameter i was set explicitly since create/reset. */
int tsrec__params_is_set(const tsrec__params *p, int64_t i);

/* Current value of parameter i in its string form (which parses back to
 * the same value; doubles use the shortest round-trip form). Two-call
 * pattern: *out_len receives the length without the NUL; up to cap - 1
 * characters and a NUL are written when buf is non-NULL and cap > 0, so a
 * result was complete iff *out_len < cap. */
int tsrec__params_format(const tsrec__params *p, tsrec__handle *eh, int64_t i,
                         char *buf, size_t cap, size_t *out_len);
/* Every parameter as "k1=v1 k2=v2 ..." in table order, same two-call
 * pattern; feeding it to set_many restores the values (as long as no
 * STRING value contains a separator). */
int tsrec__params_to_string(const tsrec__params *p, tsrec__handle *eh,
                            char *buf, size_t cap, size_t *out_len);

/* ---- shared by params.c and params_value.c ----------------------------- */

/* Parse s[0..len) (not necessarily NUL-terminated) as a value of def d into
 * *out, copying STRING/ENUM text through ctx. On failure *out is left
 * zeroed, nothing is allocated and a message naming the parameter is
 * recorded: TSREC_E_BAD_TYPE, TSREC_E_OUT_OF_RANGE or TSREC_E_NOMEM. */
int tsrec__param_parse(const tsrec__param_def *d, tsrec_ctx *ctx,
                       tsrec__handle *eh, const char *s, size_t len,
                       tsrec__param_value *out);
/* Write the string form of v into buf (snprintf-like: returns the full
 * length, writes at most cap - 1 characters plus a NUL when cap > 0). */
size_t tsrec__param_format_value(const tsrec__param_def *d,
                                 const tsrec__param_value *v, char *buf,
                                 size_t cap);
/* Name in defs closest to key[0..len) by edit distance (case-insensitive,
 * adjacent transpositions count 1), or NULL when nothing is close enough
 * to be a plausible typo. */
const char *tsrec__param_closest(const tsrec__param_def *defs, int64_t n,
                                 const char *key, size_t len);

#endif /* TSREC_PARAMS_INTERNAL_H */
