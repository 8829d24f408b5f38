/* String dictionary: interns byte strings (user ids, item ids, category
 * values) to dense codes 0..n-1 in first-seen order, and maps codes back to
 * the bytes (src/core/strdict.c).
 *
 * Built for tens of millions of short ids:
 * - string bytes live in large arena chunks, each preceded by a 1-3 byte
 *   length, so there is no allocation per string;
 * - code -> string goes through pages of 1024 positions, each a 64-bit base
 *   plus 32-bit offsets (4 bytes per id instead of 8);
 * - string -> code is an open-addressing table (linear probing, at most 75%
 *   full) of 8-byte slots: the code and 32 bits of the hash, so a probe
 *   compares strings only when 32 hash bits already match.
 * About 32 bytes per 14-byte id in total. Keys are arbitrary bytes with an
 * explicit length (NUL allowed), at most TSREC__STRDICT_MAX_LEN bytes.
 *
 * A failed intern (TSREC_E_NOMEM) leaves the dictionary exactly as it was:
 * everything it needs is allocated before anything is changed. Not
 * thread-safe for writers; concurrent readers of an unchanging dictionary
 * are fine. */
#ifndef TSREC_STRDICT_INTERNAL_H
#define TSREC_STRDICT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

#define TSREC__STRDICT_MAX_LEN ((size_t)65535)
/* Codes must fit the table's 32-bit slots (0 marks a free slot). */
#define TSREC__STRDICT_MAX_COUNT ((int64_t)UINT32_MAX - 1)

/* Fixed hash seed: codes never depend on it (they follow first-seen
 * order), only table placement does. Exposed for tests. */
#define TSREC__STRDICT_HASH_SEED 0x7473726563646963ULL /* "tsrecdic" */

struct tsrec__strdict_slot;
struct tsrec__strdict_page;

typedef struct tsrec__strdict {
    tsrec_ctx *ctx;
    int64_t count;                      /* strings interned */
    /* string -> code */
    struct tsrec__strdict_slot *slots;  /* capacity slots, NULL when empty */
    size_t mask;                        /* capacity - 1 */
    int64_t grow_at;                    /* count limit before doubling */
    /* bytes */
    unsigned char **chunks;
    int64_t n_chunks, chunks_cap;
    size_t last_size;                   /* size of chunks[n_chunks - 1] */
    size_t last_used;                   /* bytes used in it */
    size_t arena_bytes;                 /* sum of chunk sizes */
    /* code -> position */
    struct tsrec__strdict_page **pages;
    int64_t n_pages, pages_cap;
} tsrec__strdict;

/* Prepare an empty dictionary; capacity_hint > 0 sizes the lookup table
 * for that many strings. On failure the dictionary is empty and valid.
 * Returns TSREC_OK, TSREC_E_INVALID_ARG or TSREC_E_NOMEM. */
int tsrec__strdict_init(tsrec__strdict *d, tsrec_ctx *ctx, tsrec__handle *eh,
                        int64_t capacity_hint);
/* Release everything; NULL-safe. The dictionary is empty afterwards. */
void tsrec__strdict_free(tsrec__strdict *d);

/* Code of the `len` bytes at `bytes` (bytes may be NULL when len is 0),
 * adding them with the next code if new. *out_is_new (may be NULL) is 1 if
 * added. Returns TSREC_OK, TSREC_E_INVALID_ARG (NULL bytes, len >
 * TSREC__STRDICT_MAX_LEN), TSREC_E_OUT_OF_RANGE (dictionary full) or
 * TSREC_E_NOMEM; on failure nothing changes. */
int tsrec__strdict_intern(tsrec__strdict *d, tsrec__handle *eh,
                          const void *bytes, size_t len, int64_t *out_code,
                          int *out_is_new);
/* Intern n keys (bytes[i], lens[i]) into out_codes[i], in order: the
 * same codes as n single calls, but faster on large dictionaries because
 * each key's table slot is prefetched a few keys ahead. Every key is
 * checked first (TSREC_E_INVALID_ARG changes nothing). On TSREC_E_NOMEM or
 * TSREC_E_OUT_OF_RANGE at key j, keys 0..j-1 are interned and key j is
 * not. *out_done (may be NULL) receives how many keys were interned. */
int tsrec__strdict_intern_many(tsrec__strdict *d, tsrec__handle *eh,
                               int64_t n, const void *const *bytes,
                               const size_t *lens, int64_t *out_codes,
                               int64_t *out_done);
/* Code of the bytes, or -1 if they were never interned (or are invalid). */
int64_t tsrec__strdict_lookup(const tsrec__strdict *d, const void *bytes,
                              size_t len);
/* Bytes of `code` (not NUL-terminated) and their length in *out_len, or
 * NULL if code is not in 0..count-1. Valid until the dictionary is freed. */
const char *tsrec__strdict_get(const tsrec__strdict *d, int64_t code,
                               size_t *out_len);

/* Forget every string with code >= count (count 0..tsrec__strdict_count;
 * other values are ignored), as if they had never been interned: used to
 * roll back a failed import. Never allocates, so it cannot fail. */
void tsrec__strdict_truncate(tsrec__strdict *d, int64_t count);

int64_t tsrec__strdict_count(const tsrec__strdict *d);
/* Bytes of memory held (arena chunks, positions, table, bookkeeping). */
size_t tsrec__strdict_bytes(const tsrec__strdict *d);
/* tsrec__strdict_bytes / count, 0 when empty. */
double tsrec__strdict_bytes_per_id(const tsrec__strdict *d);

#endif /* TSREC_STRDICT_INTERNAL_H */
