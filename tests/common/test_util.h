/* Helpers shared by the cmocka suites. */
#ifndef TSREC_TEST_UTIL_H
#define TSREC_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tsrec/tsrec.h"

/* A ctx with default options and one thread; fails the test on error. */
tsrec_ctx *tu_ctx_new(void);
/* Free a ctx after asserting that no allocation is still live. */
/* (Drops the worker pool first: it is ctx-owned, not leaked.) */
void tu_ctx_free_checked(tsrec_ctx *ctx);

/* Failing allocator for OOM tests: fails the Nth allocation (1-based)
 * counting from arming; persistent = every allocation after it fails too. */
typedef struct tu_failing_alloc {
    int64_t calls;      /* allocations (alloc + growing realloc) seen since arming */
    int64_t fail_at;    /* 0 = never fail */
    int persistent;
    int64_t failures;   /* how many were failed */
} tu_failing_alloc;

/* A ctx whose allocator is driven by *fa. */
tsrec_ctx *tu_ctx_new_failing(tu_failing_alloc *fa);

#endif
