/* libtsrec: status codes and error messages.
 *
 * Every fallible call returns an int status: TSREC_OK (0) or a positive code
 * from the pinned list below. Codes are grouped in ranges and never
 * renumbered; callers must treat unknown codes as failure. */
#ifndef TSREC_ERROR_H
#define TSREC_ERROR_H

#include <tsrec/export.h>

TSREC_BEGIN_DECLS

enum tsrec_status_code {
    TSREC_OK = 0,
    /* 1-99: usage and arguments */
    TSREC_E_MISUSE = 1,      /* NULL, freed or wrong-type handle; call out of order */
    TSREC_E_INVALID_ARG = 2, /* an argument is out of its domain */
    TSREC_E_UNKNOWN_NAME = 3,/* unknown parameter, algorithm or resource name */
    TSREC_E_BAD_TYPE = 4,    /* a value does not parse as the expected type */
    TSREC_E_OUT_OF_RANGE = 5,/* a value is outside its documented bounds */
    TSREC_E_UNSUPPORTED = 6, /* feature not built in, or not offered by a plugin */
    TSREC_E_CANCELLED = 7,   /* the ctx cancel callback asked to stop */
    TSREC_E_EXISTS = 8,      /* a resource with that name already exists */
    /* 100-199: resources */
    TSREC_E_NOMEM = 100,     /* allocation failed or the ctx memory limit was hit */
    TSREC_E_IO = 101,        /* read, write or open failed */
    TSREC_E_THREAD = 102,    /* a thread could not be created */
    /* 200-299: data */
    TSREC_E_SHAPE = 200,     /* dimensions or sizes do not match */
    TSREC_E_NAN = 201,       /* NaN or infinity where a finite value is required */
    TSREC_E_EMPTY = 202,     /* no data where some is required */
    TSREC_E_PARSE = 203,     /* text could not be parsed (timestamps, CSV, JSON) */
    TSREC_E_DUPLICATE = 204, /* a key that must be unique appears twice */
    TSREC_E_SCHEMA = 205,    /* data does not satisfy its schema */
    /* 300-399: numerics */
    TSREC_E_NOT_CONVERGED = 300, /* an iterative method hit its limit */
    TSREC_E_SINGULAR = 301,      /* a matrix is singular or not positive definite */
    TSREC_E_NUMERIC = 302,       /* a numeric routine failed (LAPACK info < 0, overflow) */
    /* 400-499: model format and version */
    TSREC_E_FORMAT = 400,    /* not a libtsrec file, or corrupt */
    TSREC_E_VERSION = 401,   /* written by a newer, unknown format version */
    /* 500+: plugins */
    TSREC_E_PLUGIN = 500     /* a plugin returned an error or broke the ABI */
};

/* Name of a status code, e.g. "TSREC_E_NOMEM"; "TSREC_E_UNKNOWN" for codes
 * this version does not know. Never NULL; static storage. Thread-safe. */
TSREC_API const char *tsrec_status_str(int status);

/* Message of the last failure on a handle (any tsrec handle type), or of the
 * last constructor failure recorded on a tsrec_ctx. "" after a success.
 * Owned by the library; valid until the next call on that handle. A NULL or
 * invalid handle gives a static text saying so. */
TSREC_API const char *tsrec_errmsg(const void *handle);

/* Status of the last failure on a handle, 0 if the last call succeeded. */
TSREC_API int tsrec_errcode(const void *handle);

/* Message of the calling thread's most recent failure in any libtsrec call,
 * "" if none. Thread-local; prefer tsrec_errmsg() where goroutines or green
 * threads may migrate between OS threads. */
TSREC_API const char *tsrec_last_error(void);

TSREC_END_DECLS

#endif /* TSREC_ERROR_H */
