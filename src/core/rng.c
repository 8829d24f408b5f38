/* The uniform generator: xoshiro256** (Blackman & Vigna) seeded through
 * splitmix64, with the 2^128 jump and seed/stream derivation. Distribution
 * samplers built on it live in sample.c, the alias method in alias.c.
 *
 * Everything here is pure integer arithmetic on a caller-owned state, so a
 * given seed gives the same sequence on every platform and thread count. */
#include "rng_internal.h"

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* One splitmix64 step: advances *x by the golden-ratio increment and
 * returns a well-mixed output. Used only for seeding. */
static uint64_t splitmix64_next(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* xoshiro256** must never sit in the all-zero state (it would stay there).
 * splitmix64 outputs four zeros for no seed in practice, but the guard is
 * cheap and keeps the invariant unconditional. */
static void fix_zero_state(tsrec__rng *r)
{
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = UINT64_C(0x9e3779b97f4a7c15);
}

void tsrec__rng_seed(tsrec__rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64_next(&x);
    fix_zero_state(r);
}

uint64_t tsrec__rng_u64(tsrec__rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

void tsrec__rng_jump(tsrec__rng *r)
{
    /* Jump polynomial for 2^128 steps, published with the generator. */
    static const uint64_t jump[4] = {
        UINT64_C(0x180ec6d33cfd0aba), UINT64_C(0xd5a61266f0c9392c),
        UINT64_C(0xa9582618e03fc9aa), UINT64_C(0x39abdc4529b1661c)};
    uint64_t acc[4] = {0, 0, 0, 0};
    for (int w = 0; w < 4; w++) {
        for (int b = 0; b < 64; b++) {
            if (jump[w] & (UINT64_C(1) << b)) {
                for (int i = 0; i < 4; i++)
                    acc[i] ^= r->s[i];
            }
            (void)tsrec__rng_u64(r);
        }
    }
    for (int i = 0; i < 4; i++)
        r->s[i] = acc[i];
}

/* Streams hash (seed, stream) into the whole 256-bit state: the seed is
 * expanded by one splitmix64 sequence and the stream index by another,
 * started from a different constant, and the two are xored word by word.
 * Stream k does not depend on how many streams exist (unlike repeated
 * jumps), so per-item streams are identical for any thread count, and
 * deriving one costs O(1). Overlap between two streams would need two
 * 256-bit states within a few billion steps of each other on a 2^256
 * cycle, which is negligible. */
void tsrec__rng_stream(tsrec__rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t xs = seed;
    uint64_t xk = stream ^ UINT64_C(0x6a09e667f3bcc909); /* sqrt(2) bits */
    /* Pre-mix the stream index so that nearby indices start far apart. */
    (void)splitmix64_next(&xk);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64_next(&xs) ^ splitmix64_next(&xk);
    fix_zero_state(r);
}

double tsrec__rng_uniform(tsrec__rng *r)
{
    /* Top 53 bits scaled by 2^-53: every value is a multiple of 2^-53 in
     * [0, 1), all equally likely. */
    return (double)(tsrec__rng_u64(r) >> 11) * 0x1.0p-53;
}

uint64_t tsrec__rng_below(tsrec__rng *r, uint64_t n)
{
    if (n <= 1)
        return 0; /* n == 0 is invalid; 0 is the only safe answer */
    /* Reject the lowest 2^64 mod n values so that the accepted range is a
     * whole number of copies of [0, n): x % n is then exactly uniform.
     * At most half the draws are rejected (n > 2^63 worst case). */
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t x = tsrec__rng_u64(r);
        if (x >= threshold)
            return x % n;
    }
}
