/* String dictionary: see strdict_internal.h for the layout. */
#include <string.h>

#include "hash_internal.h"
#include "strdict_internal.h"

#define HASH_SEED TSREC__STRDICT_HASH_SEED

#define MIN_TABLE ((size_t)16)
#define MAX_TABLE ((size_t)1 << (sizeof(size_t) >= 8 ? 34 : 26))

/* Arena chunks grow from 4 KiB to 1 MiB. A position is (chunk << 20) |
 * offset, so offsets must stay below 1 MiB; a record is at most 65538
 * bytes, so one always fits in a fresh chunk. */
#define CHUNK_BITS 20
#define CHUNK_MAX ((size_t)1 << CHUNK_BITS)
#define CHUNK_FIRST ((size_t)4096)

/* Positions: pages of PAGE_SIZE codes. Consecutive strings start at most
 * CHUNK_MAX apart in position space, so within a page offsets from the
 * page base stay below 1024 * 2^20 = 2^30 and fit 32 bits. */
#define PAGE_BITS 10
#define PAGE_SIZE ((int64_t)1 << PAGE_BITS)

struct tsrec__strdict_slot {
    uint32_t tag;   /* high 32 bits of the hash */
    uint32_t code1; /* code + 1; 0 = free */
};

struct tsrec__strdict_page {
    uint64_t base;
    uint32_t rel[PAGE_SIZE];
};

typedef struct tsrec__strdict_slot slot_t;
typedef struct tsrec__strdict_page page_t;

/* ---- records: varint length + bytes --------------------------------- */

static size_t varint_size(size_t len)
{
    return len < 128 ? 1 : len < 16384 ? 2 : 3;
}

static void varint_put(unsigned char *p, size_t len)
{
    while (len >= 128) {
        *p++ = (unsigned char)(len | 128);
        len >>= 7;
    }
    *p = (unsigned char)len;
}

/* Start of the record of `code`. */
static const unsigned char *record_of(const tsrec__strdict *d, int64_t code)
{
    const page_t *pg = d->pages[code >> PAGE_BITS];
    uint64_t pos = pg->base + pg->rel[code & (PAGE_SIZE - 1)];
    return d->chunks[pos >> CHUNK_BITS] + (pos & (CHUNK_MAX - 1));
}

/* Decode a record: returns its bytes, length in *out_len. */
static const unsigned char *record_bytes(const unsigned char *r, size_t *out_len)
{
    size_t len = 0;
    unsigned shift = 0;
    while (*r & 128) {
        len |= (size_t)(*r & 127) << shift;
        shift += 7;
        r++;
    }
    len |= (size_t)*r << shift;
    *out_len = len;
    return r + 1;
}

/* ---- table ------------------------------------------------------------- */

static int64_t limit_for(size_t cap)
{
    return (int64_t)(cap / 4 * 3);
}

/* Equal bytes. Ids are short, so 4..16 bytes are compared inline with two
 * overlapping word loads per side (both inside the strings) instead of a
 * memcmp call. */
static inline int bytes_equal(const unsigned char *a, const unsigned char *b,
                              size_t len)
{
    if (len >= 8 && len <= 16) {
        uint64_t a0, a1, b0, b1;
        memcpy(&a0, a, 8);
        memcpy(&b0, b, 8);
        memcpy(&a1, a + len - 8, 8);
        memcpy(&b1, b + len - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (len >= 4 && len < 8) {
        uint32_t a0, a1, b0, b1;
        memcpy(&a0, a, 4);
        memcpy(&b0, b, 4);
        memcpy(&a1, a + len - 4, 4);
        memcpy(&b1, b + len - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (len < 4) {
        for (size_t i = 0; i < len; i++)
            if (a[i] != b[i])
                return 0;
        return 1;
    }
    return memcmp(a, b, len) == 0;
}

static int same_string(const tsrec__strdict *d, int64_t code,
                       const void *bytes, size_t len)
{
    size_t n;
    const unsigned char *s = record_bytes(record_of(d, code), &n);
    return n == len && bytes_equal(s, bytes, len);
}

/* Probe for the string with hash h: returns its code, or -1 with *out_slot
 * the free slot where it would go. */
static int64_t probe(const tsrec__strdict *d, uint64_t h, const void *bytes,
                     size_t len, size_t *out_slot)
{
    size_t mask = d->mask;
    size_t i = (size_t)h & mask;
    uint32_t tag = (uint32_t)(h >> 32);
    for (;;) {
        slot_t s = d->slots[i];
        if (s.code1 == 0) {
            *out_slot = i;
            return -1;
        }
        if (s.tag == tag && same_string(d, (int64_t)s.code1 - 1, bytes, len))
            return (int64_t)s.code1 - 1;
        i = (i + 1) & mask;
    }
}

/* Fill an empty table of mask+1 slots with codes 0..n-1, rehashing their
 * strings (read in arena order, so this streams through memory). Keys go
 * in groups: hash and prefetch a group's slots, then place them, so the
 * random writes overlap. */
static void fill_table(const tsrec__strdict *d, slot_t *slots, size_t mask,
                       int64_t n)
{
    enum { GROUP = 8 };
    uint64_t hs[GROUP];
    for (int64_t c0 = 0; c0 < n; c0 += GROUP) {
        int64_t m = TSREC__MIN((int64_t)GROUP, n - c0);
        for (int64_t k = 0; k < m; k++) {
            size_t len;
            const unsigned char *s = record_bytes(record_of(d, c0 + k), &len);
            hs[k] = tsrec__hash_bytes(s, len, HASH_SEED);
#if defined(__GNUC__)
            __builtin_prefetch(&slots[(size_t)hs[k] & mask], 1);
#endif
        }
        for (int64_t k = 0; k < m; k++) {
            size_t i = (size_t)hs[k] & mask;
            while (slots[i].code1 != 0)
                i = (i + 1) & mask;
            slots[i].tag = (uint32_t)(hs[k] >> 32);
            slots[i].code1 = (uint32_t)(c0 + k + 1);
        }
    }
}

static size_t table_for(int64_t n)
{
    size_t cap = MIN_TABLE;
    while (limit_for(cap) < n) {
        if (cap >= MAX_TABLE)
            return 0;
        cap *= 2;
    }
    return cap;
}

/* ---- lifecycle ----------------------------------------------------------- */

int tsrec__strdict_init(tsrec__strdict *d, tsrec_ctx *ctx, tsrec__handle *eh,
                        int64_t capacity_hint)
{
    if (d == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "string dictionary: NULL");
    memset(d, 0, sizeof(*d));
    if (ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "string dictionary: NULL ctx");
    d->ctx = ctx;
    if (capacity_hint < 0 || capacity_hint > TSREC__STRDICT_MAX_COUNT)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "string dictionary: capacity hint %lld outside "
                           "0..%lld", (long long)capacity_hint,
                           (long long)TSREC__STRDICT_MAX_COUNT);
    if (capacity_hint == 0)
        return TSREC_OK;
    size_t cap = table_for(capacity_hint);
    slot_t *slots = cap ? tsrec__calloc(ctx, cap, sizeof(slot_t)) : NULL;
    if (slots == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "string dictionary: out of memory for a table of "
                           "%lld strings", (long long)capacity_hint);
    d->slots = slots;
    d->mask = cap - 1;
    d->grow_at = limit_for(cap);
    return TSREC_OK;
}

void tsrec__strdict_free(tsrec__strdict *d)
{
    if (d == NULL)
        return;
    tsrec_ctx *ctx = d->ctx;
    for (int64_t i = 0; i < d->n_chunks; i++)
        tsrec__free(ctx, d->chunks[i]);
    for (int64_t i = 0; i < d->n_pages; i++)
        tsrec__free(ctx, d->pages[i]);
    tsrec__free(ctx, d->chunks);
    tsrec__free(ctx, d->pages);
    tsrec__free(ctx, d->slots);
    memset(d, 0, sizeof(*d));
    d->ctx = ctx;
}

/* ---- intern ---------------------------------------------------------------- */

/* Everything one new string may need, allocated up front so a failure can
 * be undone by freeing these alone. */
typedef struct pending {
    slot_t *slots;          /* new, larger table */
    size_t slots_cap;
    unsigned char *chunk;   /* new arena chunk */
    size_t chunk_size;
    unsigned char **chunks; /* larger chunk pointer array */
    int64_t chunks_cap;
    page_t *page;           /* new positions page */
    page_t **pages;         /* larger page pointer array */
    int64_t pages_cap;
} pending;

static void pending_free(tsrec_ctx *ctx, pending *p)
{
    tsrec__free(ctx, p->slots);
    tsrec__free(ctx, p->chunk);
    tsrec__free(ctx, p->chunks);
    tsrec__free(ctx, p->page);
    tsrec__free(ctx, p->pages);
}

/* A pointer array of cap * 2 (at least 16) entries holding the first n of
 * old; NULL on failure or overflow. */
static void *grow_ptrs(tsrec_ctx *ctx, void *old, int64_t n, int64_t cap,
                       int64_t *out_cap)
{
    int64_t nc = cap < 8 ? 16 : cap * 2;
    size_t bytes;
    if (tsrec__mul_size((size_t)nc, sizeof(void *), &bytes) != 0)
        return NULL;
    void *p = tsrec__alloc(ctx, bytes);
    if (p != NULL && n > 0)
        memcpy(p, old, (size_t)n * sizeof(void *));
    *out_cap = nc;
    return p;
}

static int prepare(tsrec__strdict *d, size_t rec, pending *p)
{
    tsrec_ctx *ctx = d->ctx;
    memset(p, 0, sizeof(*p));
    if (d->slots == NULL || d->count + 1 > d->grow_at) {
        size_t cap = d->slots == NULL ? MIN_TABLE : 2 * (d->mask + 1);
        if (cap > MAX_TABLE)
            return -1;
        p->slots = tsrec__calloc(ctx, cap, sizeof(slot_t));
        if (p->slots == NULL)
            return -1;
        p->slots_cap = cap;
    }
    if (d->n_chunks == 0 || d->last_used + rec > d->last_size) {
        size_t size = d->n_chunks == 0 ? CHUNK_FIRST
                      : TSREC__MIN(2 * d->last_size, CHUNK_MAX);
        while (size < rec)
            size *= 2;
        p->chunk = tsrec__alloc(ctx, size);
        if (p->chunk == NULL)
            return -1;
        p->chunk_size = size;
        if (d->n_chunks == d->chunks_cap) {
            p->chunks = grow_ptrs(ctx, d->chunks, d->n_chunks, d->chunks_cap,
                                  &p->chunks_cap);
            if (p->chunks == NULL)
                return -1;
        }
    }
    if (d->count == d->n_pages * PAGE_SIZE) {
        p->page = tsrec__alloc(ctx, sizeof(page_t));
        if (p->page == NULL)
            return -1;
        if (d->n_pages == d->pages_cap) {
            p->pages = grow_ptrs(ctx, d->pages, d->n_pages, d->pages_cap,
                                 &p->pages_cap);
            if (p->pages == NULL)
                return -1;
        }
    }
    return 0;
}

/* Append the string as code d->count, using what prepare() allocated. */
static void commit(tsrec__strdict *d, pending *p, const void *bytes,
                   size_t len, uint64_t h, size_t slot)
{
    tsrec_ctx *ctx = d->ctx;
    if (p->chunk != NULL) {
        if (p->chunks != NULL) {
            tsrec__free(ctx, d->chunks);
            d->chunks = p->chunks;
            d->chunks_cap = p->chunks_cap;
        }
        d->chunks[d->n_chunks++] = p->chunk;
        d->last_size = p->chunk_size;
        d->last_used = 0;
        d->arena_bytes += p->chunk_size;
    }
    uint64_t pos = ((uint64_t)(d->n_chunks - 1) << CHUNK_BITS) | d->last_used;
    unsigned char *r = d->chunks[d->n_chunks - 1] + d->last_used;
    varint_put(r, len);
    if (len > 0)
        memcpy(r + varint_size(len), bytes, len);
    d->last_used += varint_size(len) + len;

    if (p->page != NULL) {
        if (p->pages != NULL) {
            tsrec__free(ctx, d->pages);
            d->pages = p->pages;
            d->pages_cap = p->pages_cap;
        }
        p->page->base = pos;
        d->pages[d->n_pages++] = p->page;
    }
    int64_t code = d->count;
    page_t *pg = d->pages[code >> PAGE_BITS];
    pg->rel[code & (PAGE_SIZE - 1)] = (uint32_t)(pos - pg->base);
    d->count++;

    if (p->slots != NULL) {
        /* Rebuild from the arena, the new string included. */
        tsrec__free(ctx, d->slots);
        d->slots = p->slots;
        d->mask = p->slots_cap - 1;
        d->grow_at = limit_for(p->slots_cap);
        fill_table(d, d->slots, d->mask, d->count);
    } else {
        d->slots[slot].tag = (uint32_t)(h >> 32);
        d->slots[slot].code1 = (uint32_t)(code + 1);
    }
}

/* Argument checks shared by the single and batch forms. */
static int check_key(tsrec__handle *eh, const void *bytes, size_t len)
{
    if (bytes == NULL && len > 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "string dictionary: NULL bytes with length %zu",
                           len);
    if (len > TSREC__STRDICT_MAX_LEN)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "string dictionary: key of %zu bytes is longer "
                           "than the limit of %zu",
                           len, TSREC__STRDICT_MAX_LEN);
    return TSREC_OK;
}

/* Intern a checked key whose hash h is known. */
static int intern_hashed(tsrec__strdict *d, tsrec__handle *eh,
                         const void *bytes, size_t len, uint64_t h,
                         int64_t *out_code, int *out_is_new)
{
    size_t slot = 0;
    if (d->slots != NULL) {
        int64_t code = probe(d, h, bytes, len, &slot);
        if (code >= 0) {
            *out_code = code;
            *out_is_new = 0;
            return TSREC_OK;
        }
    }
    if (d->count >= TSREC__STRDICT_MAX_COUNT)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "string dictionary: full at %lld strings",
                           (long long)d->count);
    pending p;
    if (prepare(d, varint_size(len) + len, &p) != 0) {
        pending_free(d->ctx, &p);
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "string dictionary: out of memory adding string "
                           "%lld", (long long)d->count);
    }
    *out_code = d->count;
    *out_is_new = 1;
    commit(d, &p, bytes, len, h, slot);
    return TSREC_OK;
}

int tsrec__strdict_intern(tsrec__strdict *d, tsrec__handle *eh,
                          const void *bytes, size_t len, int64_t *out_code,
                          int *out_is_new)
{
    if (d == NULL || d->ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "string dictionary: NULL or uninitialised");
    int st = check_key(eh, bytes, len);
    if (st != TSREC_OK)
        return st;
    int64_t code;
    int is_new;
    st = intern_hashed(d, eh, bytes, len,
                       tsrec__hash_bytes(bytes, len, HASH_SEED), &code, &is_new);
    if (st != TSREC_OK)
        return st;
    if (out_code != NULL)
        *out_code = code;
    if (out_is_new != NULL)
        *out_is_new = is_new;
    return TSREC_OK;
}

/* The batch form is a software pipeline over the keys, because on large
 * dictionaries every step of a lookup is a cache miss, and each step needs
 * the previous one's data: the table slot, then the code's position in its
 * page, then the stored bytes to compare. Key k goes through
 *   stage 1 (STAGE * 3 keys ahead): hash, prefetch the home slot;
 *   stage 2 (STAGE * 2 ahead): read the slots (now cached) up to the first
 *          tag match or free slot, prefetch that code's position entry;
 *   stage 3 (STAGE ahead): read the position, prefetch the stored bytes;
 *   stage 4: the real probe and insert, which now mostly hits the cache.
 * Stages 2 and 3 only issue prefetches: a guess made stale by keys
 * inserted in between (or a table rebuild) costs a miss, never a wrong
 * code, because stage 4 probes from scratch. */
#define STAGE 8
#define RING 32 /* power of two > 3 * STAGE */

/* Stages 2 and 3 must be inlined early: GCC counts a prefetch as no side
 * effect, so as separate functions their calls would be deleted as dead. */
#if defined(__GNUC__)
#define STAGE_INLINE inline __attribute__((always_inline))
#else
#define STAGE_INLINE inline
#endif

/* Stage 1. */
static uint64_t hash_and_prefetch(const tsrec__strdict *d, const void *bytes,
                                  size_t len)
{
    uint64_t h = tsrec__hash_bytes(bytes, len, HASH_SEED);
#if defined(__GNUC__)
    if (d->slots != NULL)
        __builtin_prefetch(&d->slots[(size_t)h & d->mask]);
#else
    (void)d;
#endif
    return h;
}

/* Stage 2: code + 1 of the first slot whose tag matches h (0 = none seen
 * within a few slots), with its position entry prefetched. */
static STAGE_INLINE uint32_t candidate(const tsrec__strdict *d, uint64_t h)
{
    if (d->slots == NULL)
        return 0;
    size_t mask = d->mask, i = (size_t)h & mask;
    uint32_t tag = (uint32_t)(h >> 32);
    for (int k = 0; k < 4; k++, i = (i + 1) & mask) {
        slot_t s = d->slots[i];
        if (s.code1 == 0)
            return 0;
        if (s.tag == tag) {
#if defined(__GNUC__)
            int64_t code = (int64_t)s.code1 - 1;
            __builtin_prefetch(&d->pages[code >> PAGE_BITS]->rel[code & (PAGE_SIZE - 1)]);
#endif
            return s.code1;
        }
    }
    return 0;
}

/* Stage 3: prefetch the record of code1 - 1 (both ends: it may straddle a
 * cache line). */
static STAGE_INLINE void prefetch_record(const tsrec__strdict *d, uint32_t code1, size_t len)
{
#if defined(__GNUC__)
    if (code1 != 0) {
        const unsigned char *r = record_of(d, (int64_t)code1 - 1);
        __builtin_prefetch(r);
        /* as an integer: the guessed end may lie past the chunk */
        __builtin_prefetch((const void *)((uintptr_t)r + len + 2));
    }
#else
    (void)d;
    (void)code1;
    (void)len;
#endif
}

int tsrec__strdict_intern_many(tsrec__strdict *d, tsrec__handle *eh,
                               int64_t n, const void *const *bytes,
                               const size_t *lens, int64_t *out_codes,
                               int64_t *out_done)
{
    if (out_done != NULL)
        *out_done = 0;
    if (d == NULL || d->ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "string dictionary: NULL or uninitialised");
    if (n < 0 || (n > 0 && (bytes == NULL || lens == NULL || out_codes == NULL)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "string dictionary: batch of %lld keys with NULL "
                           "arrays or a negative count", (long long)n);
    /* Check every key first: a bad one fails the batch before any change. */
    for (int64_t i = 0; i < n; i++) {
        int st = check_key(eh, bytes[i], lens[i]);
        if (st != TSREC_OK)
            return st;
    }
    uint64_t hash[RING];
    uint32_t cand[RING];
    /* Fill the pipeline: keys 0..3*STAGE-1 in their first stages. */
    for (int64_t k = 0; k < n && k < 3 * STAGE; k++)
        hash[k & (RING - 1)] = hash_and_prefetch(d, bytes[k], lens[k]);
    for (int64_t k = 0; k < n && k < 2 * STAGE; k++)
        cand[k & (RING - 1)] = candidate(d, hash[k & (RING - 1)]);
    for (int64_t k = 0; k < n && k < STAGE; k++)
        prefetch_record(d, cand[k & (RING - 1)], lens[k]);
    for (int64_t j = 0; j < n; j++) {
        int64_t k1 = j + 3 * STAGE, k2 = j + 2 * STAGE, k3 = j + STAGE;
        if (k1 < n)
            hash[k1 & (RING - 1)] = hash_and_prefetch(d, bytes[k1], lens[k1]);
        if (k2 < n)
            cand[k2 & (RING - 1)] = candidate(d, hash[k2 & (RING - 1)]);
        if (k3 < n)
            prefetch_record(d, cand[k3 & (RING - 1)], lens[k3]);
        int is_new;
        int st = intern_hashed(d, eh, bytes[j], lens[j], hash[j & (RING - 1)],
                               &out_codes[j], &is_new);
        if (st != TSREC_OK) {
            if (out_done != NULL)
                *out_done = j;
            return st;
        }
    }
    if (out_done != NULL)
        *out_done = n;
    return TSREC_OK;
}

/* ---- queries ------------------------------------------------------------- */

int64_t tsrec__strdict_lookup(const tsrec__strdict *d, const void *bytes,
                              size_t len)
{
    if (d == NULL || d->slots == NULL || (bytes == NULL && len > 0) ||
        len > TSREC__STRDICT_MAX_LEN)
        return -1;
    size_t slot;
    return probe(d, tsrec__hash_bytes(bytes, len, HASH_SEED), bytes, len,
                 &slot);
}

const char *tsrec__strdict_get(const tsrec__strdict *d, int64_t code,
                               size_t *out_len)
{
    if (d == NULL || code < 0 || code >= d->count)
        return NULL;
    size_t len;
    const unsigned char *s = record_bytes(record_of(d, code), &len);
    if (out_len != NULL)
        *out_len = len;
    return (const char *)s;
}

int64_t tsrec__strdict_count(const tsrec__strdict *d)
{
    return d == NULL ? 0 : d->count;
}

size_t tsrec__strdict_bytes(const tsrec__strdict *d)
{
    if (d == NULL)
        return 0;
    size_t table = d->slots == NULL ? 0 : (d->mask + 1) * sizeof(slot_t);
    return d->arena_bytes + table + (size_t)d->n_pages * sizeof(page_t) +
           (size_t)(d->chunks_cap + d->pages_cap) * sizeof(void *);
}

double tsrec__strdict_bytes_per_id(const tsrec__strdict *d)
{
    if (d == NULL || d->count == 0)
        return 0.0;
    return (double)tsrec__strdict_bytes(d) / (double)d->count;
}

/* ---- rollback ------------------------------------------------------------ */

/* Drop codes count..n-1 so that a failed import leaves no trace of the ids
 * it interned. The arena and positions are cut back (chunks past the one
 * holding the first dropped string are freed) and the lookup table is
 * rebuilt from the strings that remain: O(count), never allocates. */
void tsrec__strdict_truncate(tsrec__strdict *d, int64_t count)
{
    if (d == NULL || count < 0 || count >= d->count)
        return;
    tsrec_ctx *ctx = d->ctx;
    if (count == 0) {
        tsrec__strdict_free(d);
        return;
    }
    const page_t *pg = d->pages[count >> PAGE_BITS];
    uint64_t pos = pg->base + pg->rel[count & (PAGE_SIZE - 1)];
    int64_t keep_chunk = (int64_t)(pos >> CHUNK_BITS);
    for (int64_t i = keep_chunk + 1; i < d->n_chunks; i++) {
        d->arena_bytes -= tsrec__alloc_size(d->chunks[i]);
        tsrec__free(ctx, d->chunks[i]);
        d->chunks[i] = NULL;
    }
    d->n_chunks = keep_chunk + 1;
    d->last_size = tsrec__alloc_size(d->chunks[keep_chunk]);
    d->last_used = (size_t)(pos & (CHUNK_MAX - 1));
    int64_t keep_pages = (count + PAGE_SIZE - 1) / PAGE_SIZE;
    for (int64_t i = keep_pages; i < d->n_pages; i++) {
        tsrec__free(ctx, d->pages[i]);
        d->pages[i] = NULL;
    }
    d->n_pages = keep_pages;
    d->count = count;
    memset(d->slots, 0, (d->mask + 1) * sizeof(slot_t));
    fill_table(d, d->slots, d->mask, count);
}
