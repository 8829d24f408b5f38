/* Hashing (src/core/hash.c).
 *
 * tsrec__hash_bytes is a seedable 64-bit hash for byte strings in the
 * wyhash family (multiply-fold mixing of 64-bit words, 48 bytes per round
 * on long inputs); tsrec__hash_u64 is a bijective integer finaliser (the
 * splitmix64 mix) for keys that are already integers. Neither allocates;
 * both are deterministic across platforms and byte orders. Not meant to
 * resist deliberate collision attacks. */
#ifndef TSREC_HASH_INTERNAL_H
#define TSREC_HASH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Hash `len` bytes at `data` (data may be NULL when len is 0). Different
 * seeds give unrelated hash functions. */
uint64_t tsrec__hash_bytes(const void *data, size_t len, uint64_t seed);

/* Bijective 64-bit mix: every output bit depends on every input bit, and
 * distinct inputs give distinct outputs. Inline because hash maps call it on
 * every operation. */
static inline uint64_t tsrec__hash_u64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Combine two 64-bit hashes (order-sensitive), e.g. for composite keys. */
uint64_t tsrec__hash_combine(uint64_t a, uint64_t b);

#endif /* TSREC_HASH_INTERNAL_H */
