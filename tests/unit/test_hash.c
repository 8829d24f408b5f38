/* Hashes: determinism, seeds, avalanche (every input bit flips each output
 * bit about half the time), no collisions on near-identical inputs, and
 * reads that stay inside the buffer (checked under ASan). */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "hash_internal.h"

static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int popcount64(uint64_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static void test_deterministic_and_seeded(void **state)
{
    (void)state;
    const char *s = "user_123456789";
    uint64_t a = tsrec__hash_bytes(s, strlen(s), 0);
    assert_true(a == tsrec__hash_bytes(s, strlen(s), 0));
    assert_true(a != tsrec__hash_bytes(s, strlen(s), 1));
    assert_true(a != tsrec__hash_bytes(s, strlen(s) - 1, 0));
    /* NULL with length 0 is the empty string. */
    assert_true(tsrec__hash_bytes(NULL, 0, 7) == tsrec__hash_bytes("", 0, 7));
    assert_true(tsrec__hash_bytes(NULL, 0, 7) != tsrec__hash_bytes(NULL, 0, 8));
    /* Pinned values: hashes must not change between platforms or byte
     * orders (they decide iteration orders that users may observe). */
    assert_true(tsrec__hash_bytes("", 0, 0) == 0x0409638ee2bde459ULL);
    assert_true(tsrec__hash_bytes("abc", 3, 0) == 0x02a4f1d7cb516c72ULL);
    assert_true(tsrec__hash_bytes("user_123456789", 14, 42) == 0xf47464597cfd8c0fULL);
    assert_true(tsrec__hash_bytes("The quick brown fox jumps over the lazy dog, "
                                  "twice: the quick brown fox jumps over",
                                  82, 1) == 0x2438963968117d3cULL);
    assert_true(tsrec__hash_u64(0) == 0); /* the finaliser fixes 0 */
    assert_true(tsrec__hash_u64(1) == 0x5692161d100b05e5ULL);
    /* combine is order-sensitive */
    assert_true(tsrec__hash_combine(1, 2) != tsrec__hash_combine(2, 1));
}

/* Every length 0..300 from an exactly sized heap buffer (ASan catches any
 * read past the end), and every 1-byte change, gives a distinct hash. */
static void test_lengths_and_bounds(void **state)
{
    (void)state;
    enum { MAXLEN = 300 };
    uint64_t seen[MAXLEN + 1 + MAXLEN];
    int n = 0;
    uint64_t s = 5;
    unsigned char src[MAXLEN];
    for (int i = 0; i < MAXLEN; i++)
        src[i] = (unsigned char)next_u64(&s);
    for (int len = 0; len <= MAXLEN; len++) {
        unsigned char *buf = malloc(len ? (size_t)len : 1);
        assert_non_null(buf);
        memcpy(buf, src, (size_t)len);
        uint64_t h = tsrec__hash_bytes(buf, (size_t)len, 3);
        seen[n++] = h;
        if (len > 0) {
            buf[len - 1] ^= 1; /* last byte changes the hash */
            seen[n++] = tsrec__hash_bytes(buf, (size_t)len, 3);
        }
        free(buf);
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            assert_true(seen[i] != seen[j]);
}

/* Flip each input bit of random inputs: each output bit must flip with
 * probability near 1/2 for every input bit (bias bound 0.2 with 300 trials
 * is > 6 standard deviations), and on average across output bits within
 * 0.04 (> 9 sd). */
static void avalanche_bytes(size_t len, uint64_t seed)
{
    enum { TRIALS = 300 };
    unsigned char buf[128];
    assert_true(len <= sizeof buf);
    int counts[64];
    uint64_t s = seed;
    for (size_t bit = 0; bit < len * 8; bit++) {
        memset(counts, 0, sizeof counts);
        int total = 0;
        for (int t = 0; t < TRIALS; t++) {
            for (size_t i = 0; i < len; i++)
                buf[i] = (unsigned char)next_u64(&s);
            uint64_t hs = next_u64(&s);
            uint64_t a = tsrec__hash_bytes(buf, len, hs);
            buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            uint64_t d = a ^ tsrec__hash_bytes(buf, len, hs);
            total += popcount64(d);
            for (int o = 0; o < 64; o++)
                counts[o] += (int)((d >> o) & 1);
        }
        for (int o = 0; o < 64; o++) {
            double p = (double)counts[o] / TRIALS;
            assert_true(p > 0.3 && p < 0.7);
        }
        double mean = (double)total / (TRIALS * 64.0);
        assert_true(mean > 0.46 && mean < 0.54);
    }
}

static void test_avalanche_bytes(void **state)
{
    (void)state;
    const size_t lens[] = {1, 2, 3, 4, 7, 8, 12, 15, 16, 17, 31, 48, 49, 100};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(lens); i++)
        avalanche_bytes(lens[i], 100 + i);
}

static void test_avalanche_seed_and_u64(void **state)
{
    (void)state;
    enum { TRIALS = 2000 };
    uint64_t s = 77;
    for (int bit = 0; bit < 64; bit++) {
        int cs[64] = {0}, cu[64] = {0};
        for (int t = 0; t < TRIALS; t++) {
            uint64_t x = next_u64(&s);
            uint64_t flip = (uint64_t)1 << bit;
            uint64_t ds = tsrec__hash_bytes("id_42", 5, x) ^
                          tsrec__hash_bytes("id_42", 5, x ^ flip);
            uint64_t du = tsrec__hash_u64(x) ^ tsrec__hash_u64(x ^ flip);
            for (int o = 0; o < 64; o++) {
                cs[o] += (int)((ds >> o) & 1);
                cu[o] += (int)((du >> o) & 1);
            }
        }
        for (int o = 0; o < 64; o++) {
            assert_true(cs[o] > TRIALS * 0.42 && cs[o] < TRIALS * 0.58);
            assert_true(cu[o] > TRIALS * 0.42 && cu[o] < TRIALS * 0.58);
        }
    }
}

/* Sequential ids (the common case) spread evenly over buckets: a
 * chi-square test on 1024 buckets of the low bits and of the high bits. */
static void test_bucket_uniformity(void **state)
{
    (void)state;
    enum { B = 1024, N = 200000 };
    static int low[B], high[B];
    memset(low, 0, sizeof low);
    memset(high, 0, sizeof high);
    char buf[32];
    for (int i = 0; i < N; i++) {
        int len = snprintf(buf, sizeof buf, "user_%d", i);
        uint64_t h = tsrec__hash_bytes(buf, (size_t)len, 0);
        low[h & (B - 1)]++;
        high[h >> 54]++;
    }
    double e = (double)N / B, c1 = 0, c2 = 0;
    for (int b = 0; b < B; b++) {
        c1 += (low[b] - e) * (low[b] - e) / e;
        c2 += (high[b] - e) * (high[b] - e) / e;
    }
    /* 1023 degrees of freedom: mean 1023, sd ~45; 1300 is > 6 sd. */
    assert_true(c1 < 1300.0);
    assert_true(c2 < 1300.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic_and_seeded),
        cmocka_unit_test(test_lengths_and_bounds),
        cmocka_unit_test(test_avalanche_bytes),
        cmocka_unit_test(test_avalanche_seed_and_u64),
        cmocka_unit_test(test_bucket_uniformity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
