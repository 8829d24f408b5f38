/* Robin Hood hash map from uint64_t to int64_t: see hashmap_internal.h. */
#include <string.h>

#include "hash_internal.h"
#include "hashmap_internal.h"

#define EMPTY TSREC__HASHMAP_EMPTY_KEY
#define MIN_CAPACITY ((size_t)8)
/* Largest table: keeps capacity * sizeof(slot) and the load arithmetic far
 * from overflow on every platform. */
#define MAX_CAPACITY ((size_t)1 << (sizeof(size_t) >= 8 ? 58 : 26))

/* Entries a table of `cap` slots may hold: 80% load. */
static int64_t limit_for(size_t cap)
{
    return (int64_t)(cap / 5 * 4 + (cap % 5) * 4 / 5);
}

static size_t home_of(uint64_t key, size_t mask)
{
    return (size_t)tsrec__hash_u64(key) & mask;
}

/* How far slot i is from the home slot of `key`. */
static size_t dist_of(uint64_t key, size_t i, size_t mask)
{
    return (i - home_of(key, mask)) & mask;
}

/* Smallest capacity that holds n entries, 0 if none is small enough. */
static size_t capacity_for(int64_t n)
{
    size_t cap = MIN_CAPACITY;
    while (limit_for(cap) < n) {
        if (cap >= MAX_CAPACITY)
            return 0;
        cap *= 2;
    }
    return cap;
}

static tsrec__hashmap_slot *alloc_slots(tsrec_ctx *ctx, size_t cap)
{
    tsrec__hashmap_slot *s = tsrec__alloc(ctx, cap * sizeof(*s));
    if (s != NULL) {
        /* All-ones bytes make every key EMPTY (UINT64_MAX). */
        memset(s, 0xff, cap * sizeof(*s));
    }
    return s;
}

/* Place an entry known to be absent, starting at slot i at distance d from
 * its home: richer entries (closer to home) give way to poorer ones. */
static void place(tsrec__hashmap_slot *slots, size_t mask, size_t i, size_t d,
                  uint64_t key, int64_t value)
{
    tsrec__hashmap_slot cur = {key, value};
    for (;;) {
        tsrec__hashmap_slot *s = &slots[i];
        if (s->key == EMPTY) {
            *s = cur;
            return;
        }
        size_t sd = dist_of(s->key, i, mask);
        if (sd < d) {
            tsrec__hashmap_slot t = *s;
            *s = cur;
            cur = t;
            d = sd;
        }
        i = (i + 1) & mask;
        d++;
    }
}

/* Look key up in the table. Returns 1 with *out_i its slot if present;
 * otherwise 0 with *out_i, *out_d where an insertion would start. */
static int find(const tsrec__hashmap *m, uint64_t key, size_t *out_i,
                size_t *out_d)
{
    size_t mask = m->mask;
    size_t i = home_of(key, mask);
    size_t d = 0;
    for (;;) {
        uint64_t k = m->slots[i].key;
        if (k == key) {
            *out_i = i;
            return 1;
        }
        /* An empty slot, or an entry nearer its home than key would be
         * here, means key is absent (Robin Hood invariant). */
        if (k == EMPTY || dist_of(k, i, mask) < d) {
            *out_i = i;
            *out_d = d;
            return 0;
        }
        i = (i + 1) & mask;
        d++;
    }
}

/* Move everything into a table of new_cap slots. On failure nothing
 * changes. */
static int rehash(tsrec__hashmap *m, tsrec__handle *eh, size_t new_cap)
{
    tsrec__hashmap_slot *ns = alloc_slots(m->ctx, new_cap);
    if (ns == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "hash map: out of memory growing to %zu slots",
                           new_cap);
    size_t nmask = new_cap - 1;
    if (m->slots != NULL) {
        for (size_t i = 0; i <= m->mask; i++) {
            uint64_t k = m->slots[i].key;
            if (k != EMPTY)
                place(ns, nmask, home_of(k, nmask), 0, k, m->slots[i].value);
        }
    }
    tsrec__free(m->ctx, m->slots);
    m->slots = ns;
    m->mask = nmask;
    m->grow_at = limit_for(new_cap);
    return TSREC_OK;
}

int tsrec__hashmap_init(tsrec__hashmap *m, tsrec_ctx *ctx, tsrec__handle *eh,
                        int64_t capacity_hint)
{
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "hash map: NULL map");
    memset(m, 0, sizeof(*m));
    if (ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "hash map: NULL ctx");
    m->ctx = ctx;
    if (capacity_hint < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "hash map: negative capacity hint %lld",
                           (long long)capacity_hint);
    if (capacity_hint == 0)
        return TSREC_OK;
    return tsrec__hashmap_reserve(m, eh, capacity_hint);
}

void tsrec__hashmap_free(tsrec__hashmap *m)
{
    if (m == NULL)
        return;
    tsrec__free(m->ctx, m->slots);
    tsrec_ctx *ctx = m->ctx;
    memset(m, 0, sizeof(*m));
    m->ctx = ctx; /* so a freed map still reports itself empty cleanly */
}

int tsrec__hashmap_reserve(tsrec__hashmap *m, tsrec__handle *eh, int64_t n)
{
    if (m == NULL || m->ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "hash map: NULL or uninitialised map");
    if (n <= 0 || (n <= m->grow_at && m->slots != NULL))
        return TSREC_OK;
    size_t cap = capacity_for(n);
    if (cap == 0)
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "hash map: %lld entries exceed the largest table",
                           (long long)n);
    if (m->slots != NULL && cap <= m->mask + 1)
        return TSREC_OK;
    return rehash(m, eh, cap);
}

int tsrec__hashmap_get(const tsrec__hashmap *m, uint64_t key,
                       int64_t *out_value)
{
    if (m == NULL)
        return 0;
    if (key == EMPTY) {
        if (m->has_spare && out_value != NULL)
            *out_value = m->spare_value;
        return m->has_spare != 0;
    }
    size_t i, d;
    if (m->slots == NULL || !find(m, key, &i, &d))
        return 0;
    if (out_value != NULL)
        *out_value = m->slots[i].value;
    return 1;
}

int64_t *tsrec__hashmap_get_ptr(tsrec__hashmap *m, uint64_t key)
{
    if (m == NULL)
        return NULL;
    if (key == EMPTY)
        return m->has_spare ? &m->spare_value : NULL;
    size_t i, d;
    if (m->slots == NULL || !find(m, key, &i, &d))
        return NULL;
    return &m->slots[i].value;
}

int tsrec__hashmap_get_or_insert(tsrec__hashmap *m, tsrec__handle *eh,
                                 uint64_t key, int64_t value_if_new,
                                 int64_t *out_value, int *out_inserted)
{
    if (m == NULL || m->ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "hash map: NULL or uninitialised map");
    int inserted = 0;
    int64_t value;
    if (key == EMPTY) {
        if (!m->has_spare) {
            m->has_spare = 1;
            m->spare_value = value_if_new;
            inserted = 1;
        }
        value = m->spare_value;
    } else {
        size_t i = 0, d = 0;
        if (m->slots != NULL && find(m, key, &i, &d)) {
            value = m->slots[i].value;
        } else {
            if (m->slots == NULL || m->in_table >= m->grow_at) {
                size_t cap = m->slots == NULL ? MIN_CAPACITY : 2 * (m->mask + 1);
                if (m->slots != NULL && cap > MAX_CAPACITY)
                    return tsrec__fail(eh, TSREC_E_NOMEM,
                                       "hash map: table at its largest size");
                int st = rehash(m, eh, cap);
                if (st != TSREC_OK)
                    return st;
                /* The insertion point moved with the new table. */
                find(m, key, &i, &d);
            }
            place(m->slots, m->mask, i, d, key, value_if_new);
            m->in_table++;
            value = value_if_new;
            inserted = 1;
        }
    }
    if (out_value != NULL)
        *out_value = value;
    if (out_inserted != NULL)
        *out_inserted = inserted;
    return TSREC_OK;
}

int tsrec__hashmap_put(tsrec__hashmap *m, tsrec__handle *eh, uint64_t key,
                       int64_t value)
{
    int64_t *p = tsrec__hashmap_get_ptr(m, key);
    if (p != NULL) {
        *p = value;
        return TSREC_OK;
    }
    return tsrec__hashmap_get_or_insert(m, eh, key, value, NULL, NULL);
}

int tsrec__hashmap_remove(tsrec__hashmap *m, uint64_t key, int64_t *out_value)
{
    if (m == NULL)
        return 0;
    if (key == EMPTY) {
        if (!m->has_spare)
            return 0;
        if (out_value != NULL)
            *out_value = m->spare_value;
        m->has_spare = 0;
        return 1;
    }
    size_t i, d;
    if (m->slots == NULL || !find(m, key, &i, &d))
        return 0;
    if (out_value != NULL)
        *out_value = m->slots[i].value;
    /* Backward shift: pull each following entry that is away from home one
     * slot closer, until an empty slot or an entry already at home. */
    size_t mask = m->mask;
    size_t j = (i + 1) & mask;
    while (m->slots[j].key != EMPTY && dist_of(m->slots[j].key, j, mask) > 0) {
        m->slots[i] = m->slots[j];
        i = j;
        j = (j + 1) & mask;
    }
    m->slots[i].key = EMPTY;
    m->slots[i].value = -1;
    m->in_table--;
    return 1;
}

int64_t tsrec__hashmap_count(const tsrec__hashmap *m)
{
    return m == NULL ? 0 : m->in_table + (m->has_spare ? 1 : 0);
}

void tsrec__hashmap_clear(tsrec__hashmap *m)
{
    if (m == NULL)
        return;
    if (m->slots != NULL)
        memset(m->slots, 0xff, (m->mask + 1) * sizeof(*m->slots));
    m->in_table = 0;
    m->has_spare = 0;
    m->spare_value = 0;
}

size_t tsrec__hashmap_bytes(const tsrec__hashmap *m)
{
    if (m == NULL || m->slots == NULL)
        return 0;
    return (m->mask + 1) * sizeof(*m->slots);
}

int tsrec__hashmap_next(const tsrec__hashmap *m, int64_t *cursor,
                        uint64_t *out_key, int64_t *out_value)
{
    if (m == NULL || cursor == NULL || *cursor < 0)
        return 0;
    /* Cursor positions 0 .. capacity-1 are slots; capacity is the spare. */
    size_t cap = m->slots == NULL ? 0 : m->mask + 1;
    size_t i = (size_t)*cursor;
    for (; i < cap; i++) {
        if (m->slots[i].key != EMPTY) {
            if (out_key != NULL)
                *out_key = m->slots[i].key;
            if (out_value != NULL)
                *out_value = m->slots[i].value;
            *cursor = (int64_t)i + 1;
            return 1;
        }
    }
    if (i == cap && m->has_spare) {
        if (out_key != NULL)
            *out_key = EMPTY;
        if (out_value != NULL)
            *out_value = m->spare_value;
        *cursor = (int64_t)cap + 1;
        return 1;
    }
    *cursor = (int64_t)cap + 2;
    return 0;
}
