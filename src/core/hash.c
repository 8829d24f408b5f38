/* A wyhash-style byte-string hash.
 *
 * The core step multiplies two 64-bit words into a 128-bit product and folds
 * the halves together with xor ("mum"): one multiply spreads every input bit
 * over the whole output, which is why so few rounds give full avalanche.
 * Inputs are read as little-endian words whatever the host byte order, so
 * hashes (and anything derived from them, such as iteration orders) match
 * across platforms. */
#include <string.h>

#include "hash_internal.h"

/* Odd 64-bit constants with balanced bit counts (the wyhash secrets). */
#define K0 0xa0761d6478bd642fULL
#define K1 0xe7037ed1a0b428dbULL
#define K2 0x8ebc6af09c88c6e3ULL
#define K3 0x589965cc75374cc3ULL

/* 64x64 -> 128 multiply; returns low half, high half through *hi. */
static uint64_t mul128(uint64_t a, uint64_t b, uint64_t *hi)
{
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    u128 p = (u128)a * b;
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
#else
    /* Schoolbook on 32-bit halves. */
    uint64_t al = a & 0xffffffffu, ah = a >> 32;
    uint64_t bl = b & 0xffffffffu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return (mid << 32) | (ll & 0xffffffffu);
#endif
}

/* Multiply and fold the two halves. */
static uint64_t fold(uint64_t a, uint64_t b)
{
    uint64_t hi;
    uint64_t lo = mul128(a, b, &hi);
    return lo ^ hi;
}

static uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static uint64_t load32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

/* 1..3 bytes: first, middle and last byte cover every length. */
static uint64_t load_small(const unsigned char *p, size_t len)
{
    return ((uint64_t)p[0] << 16) | ((uint64_t)p[len >> 1] << 8) | p[len - 1];
}

uint64_t tsrec__hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t a, b;
    seed ^= fold(seed ^ K0, K1);
    if (len <= 16) {
        if (len >= 4) {
            /* Two overlapping pairs of 4-byte reads cover 4..16 bytes. */
            size_t step = (len >> 3) << 2; /* 0 for 4..7 bytes, 4 for 8..16 */
            a = (load32(p) << 32) | load32(p + step);
            b = (load32(p + len - 4) << 32) | load32(p + len - 4 - step);
        } else if (len > 0) {
            a = load_small(p, len);
            b = 0;
        } else {
            a = 0;
            b = 0;
        }
    } else {
        size_t left = len;
        if (left > 48) {
            /* Three independent lanes keep the multipliers busy. */
            uint64_t s1 = seed, s2 = seed;
            do {
                seed = fold(load64(p) ^ K1, load64(p + 8) ^ seed);
                s1 = fold(load64(p + 16) ^ K2, load64(p + 24) ^ s1);
                s2 = fold(load64(p + 32) ^ K3, load64(p + 40) ^ s2);
                p += 48;
                left -= 48;
            } while (left > 48);
            seed ^= s1 ^ s2;
        }
        while (left > 16) {
            seed = fold(load64(p) ^ K1, load64(p + 8) ^ seed);
            p += 16;
            left -= 16;
        }
        /* The last 16 bytes, overlapping what came before when needed. */
        a = load64(p + left - 16);
        b = load64(p + left - 8);
    }
    a ^= K1;
    b ^= seed;
    uint64_t hi;
    uint64_t lo = mul128(a, b, &hi);
    return fold(lo ^ K0 ^ (uint64_t)len, hi ^ K1);
}

uint64_t tsrec__hash_combine(uint64_t a, uint64_t b)
{
    /* For a fixed a this is a bijection of b and vice versa, so combining
     * never merges distinct inputs on one side. */
    return tsrec__hash_u64(tsrec__hash_u64(a ^ K0) + b);
}
