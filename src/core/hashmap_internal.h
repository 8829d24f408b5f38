/* Hash map from uint64_t keys to int64_t values (src/core/hashmap.c).
 *
 * Open addressing with Robin Hood linear probing: an entry closer to its
 * home slot yields to one farther from home, which keeps probe sequences
 * short at high load and lets a lookup stop early. Removal shifts the
 * following entries back (no tombstones), so a map that sees many
 * removals stays as fast as a fresh one. The table doubles when it would
 * pass 80% load; a failed growth leaves the map unchanged.
 *
 * Every key is allowed: the key value used to mark empty slots
 * (TSREC__HASHMAP_EMPTY_KEY) is kept in a spare field outside the table.
 * Not thread-safe for writers; concurrent readers of an unchanging map are
 * fine. All memory comes from the ctx allocator. */
#ifndef TSREC_HASHMAP_INTERNAL_H
#define TSREC_HASHMAP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

#define TSREC__HASHMAP_EMPTY_KEY UINT64_MAX

typedef struct tsrec__hashmap_slot {
    uint64_t key;  /* TSREC__HASHMAP_EMPTY_KEY = free slot */
    int64_t value;
} tsrec__hashmap_slot;

typedef struct tsrec__hashmap {
    tsrec_ctx *ctx;
    tsrec__hashmap_slot *slots; /* capacity slots; NULL until first needed */
    size_t mask;                /* capacity - 1 (capacity a power of two) */
    int64_t in_table;           /* entries stored in slots */
    int64_t grow_at;            /* in_table limit before doubling */
    int32_t has_spare;          /* TSREC__HASHMAP_EMPTY_KEY is present */
    int64_t spare_value;        /* its value */
} tsrec__hashmap;

/* Prepare an empty map. capacity_hint > 0 sizes the table so that many
 * entries fit without growth (0 allocates nothing yet). On failure the map
 * is left empty and valid (tsrec__hashmap_free is still safe). Returns
 * TSREC_OK, TSREC_E_INVALID_ARG or TSREC_E_NOMEM (message on eh). */
int tsrec__hashmap_init(tsrec__hashmap *m, tsrec_ctx *ctx, tsrec__handle *eh,
                        int64_t capacity_hint);
/* Release the table; the map becomes empty (init again before reuse).
 * NULL-safe. */
void tsrec__hashmap_free(tsrec__hashmap *m);

/* 1 and *out_value (may be NULL) if key is present, else 0. */
int tsrec__hashmap_get(const tsrec__hashmap *m, uint64_t key,
                       int64_t *out_value);
/* Pointer to key's value for in-place update, or NULL if absent. Valid
 * until the next insertion or removal. */
int64_t *tsrec__hashmap_get_ptr(tsrec__hashmap *m, uint64_t key);

/* Insert key -> value, overwriting an existing value. Returns TSREC_OK or
 * TSREC_E_NOMEM (map unchanged). Overwriting never allocates. */
int tsrec__hashmap_put(tsrec__hashmap *m, tsrec__handle *eh, uint64_t key,
                       int64_t value);
/* If key is present, return its value in *out_value and 0 in *out_inserted;
 * otherwise insert key -> value_if_new and return that with 1. Either out
 * pointer may be NULL. Returns TSREC_OK or TSREC_E_NOMEM (map unchanged). */
int tsrec__hashmap_get_or_insert(tsrec__hashmap *m, tsrec__handle *eh,
                                 uint64_t key, int64_t value_if_new,
                                 int64_t *out_value, int *out_inserted);
/* Remove key; 1 (and its value in *out_value, may be NULL) if it was
 * present, else 0. Never allocates. */
int tsrec__hashmap_remove(tsrec__hashmap *m, uint64_t key, int64_t *out_value);

/* Make room for n entries in total without further growth. Returns TSREC_OK
 * or TSREC_E_NOMEM (map unchanged). */
int tsrec__hashmap_reserve(tsrec__hashmap *m, tsrec__handle *eh, int64_t n);

int64_t tsrec__hashmap_count(const tsrec__hashmap *m);
/* Remove every entry, keeping the table's capacity. */
void tsrec__hashmap_clear(tsrec__hashmap *m);
/* Bytes of table memory held. */
size_t tsrec__hashmap_bytes(const tsrec__hashmap *m);

/* Iterate: set *cursor = 0, then call until it returns 0. Each call yields
 * one entry. The order is unspecified (but deterministic for the same
 * history of operations). The map must not be modified while iterating,
 * except through values returned by tsrec__hashmap_get_ptr. */
int tsrec__hashmap_next(const tsrec__hashmap *m, int64_t *cursor,
                        uint64_t *out_key, int64_t *out_value);

#endif /* TSREC_HASHMAP_INTERNAL_H */
