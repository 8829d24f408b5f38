/* Column value operations used by the import pipeline: append, reserve,
 * read back, truncate, swap (struct in data_internal.h, allocation in
 * column_alloc.c).
 *
 * Every failing operation leaves the column exactly as it was, so an
 * import can always roll a column back to a saved length. */
#include <string.h>

#include "column_internal.h"

/* Smallest capacity step: small columns do not realloc on every row. */
#define MIN_CAP ((int64_t)1024)

static size_t bitmap_words(int64_t n)
{
    return (size_t)((n + 63) / 64);
}

static int nomem(tsrec__handle *eh, const char *what, int64_t n)
{
    return tsrec__fail(eh, TSREC_E_NOMEM, "column: out of memory %s (%lld values)", what,
                       (long long)n);
}

/* ---- capacity --------------------------------------------------------- */

/* Grow to hold `cap` values at the current width. The validity bitmap (if
 * any) grows first: should the data realloc then fail, a larger bitmap is
 * harmless and len/cap/values are unchanged. */
static int grow_to(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int64_t cap)
{
    size_t bytes;
    if (cap <= 0 || c->width <= 0 ||
        tsrec__mul_size((size_t)cap, (size_t)c->width, &bytes) != 0)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE, "column: %lld values do not fit in memory",
                           (long long)cap);
    if (c->valid != NULL) {
        size_t old_w = bitmap_words(c->cap), new_w = bitmap_words(cap);
        uint64_t *v = tsrec__realloc(ctx, c->valid, new_w * sizeof(uint64_t));
        if (v == NULL)
            return nomem(eh, "growing a validity bitmap", cap);
        memset(v + old_w, 0, (new_w - old_w) * sizeof(uint64_t));
        c->valid = v;
    }
    void *d = tsrec__realloc(ctx, c->data, bytes);
    if (d == NULL)
        return nomem(eh, "growing a column", cap);
    c->data = d;
    c->cap = cap;
    return TSREC_OK;
}

int tsrec__column_reserve(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int64_t n_more)
{
    if (c == NULL || n_more < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "column reserve: NULL column or negative count");
    if (n_more > INT64_MAX / 2 - c->len)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE, "column reserve: %lld more values overflow",
                           (long long)n_more);
    int64_t need = c->len + n_more;
    if (need <= c->cap)
        return TSREC_OK;
    /* 1.5x growth: fewer copies than +constant, less slack than 2x (the
     * import trims the slack afterwards anyway). */
    int64_t cap = c->cap + c->cap / 2;
    if (cap < MIN_CAP)
        cap = MIN_CAP;
    if (cap < need)
        cap = need;
    return grow_to(c, ctx, eh, cap);
}

void tsrec__column_shrink_to_fit(tsrec__column *c, tsrec_ctx *ctx)
{
    if (c == NULL || c->cap <= c->len || c->width <= 0)
        return;
    if (c->len == 0) {
        tsrec__free(ctx, c->data);
        tsrec__free(ctx, c->valid);
        c->data = NULL;
        c->valid = NULL;
        c->cap = 0;
        return;
    }
    /* Data first: a bitmap longer than needed is harmless, so a failed
     * bitmap shrink just keeps the slack, as does a failed data shrink. */
    void *d = tsrec__realloc(ctx, c->data, (size_t)c->len * (size_t)c->width);
    if (d == NULL)
        return;
    c->data = d;
    c->cap = c->len;
    if (c->valid != NULL) {
        uint64_t *v = tsrec__realloc(ctx, c->valid, bitmap_words(c->len) * sizeof(uint64_t));
        if (v != NULL)
            c->valid = v;
    }
}

/* ---- code width ------------------------------------------------------- */

static int32_t width_for(int64_t code)
{
    return code <= 0xFF ? 1 : code <= 0xFFFF ? 2 : 4;
}

static uint32_t code_at(const void *data, int32_t width, int64_t i)
{
    switch (width) {
    case 1:
        return ((const uint8_t *)data)[i];
    case 2:
        return ((const uint16_t *)data)[i];
    default:
        return ((const uint32_t *)data)[i];
    }
}

static void code_put(void *data, int32_t width, int64_t i, uint32_t v)
{
    switch (width) {
    case 1:
        ((uint8_t *)data)[i] = (uint8_t)v;
        break;
    case 2:
        ((uint16_t *)data)[i] = (uint16_t)v;
        break;
    default:
        ((uint32_t *)data)[i] = v;
        break;
    }
}

int tsrec__column_widen(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int32_t width)
{
    if (c == NULL || c->kind != TSREC__COL_CODE || (width != 1 && width != 2 && width != 4))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "column widen: not a code column or bad width");
    if (width <= c->width)
        return TSREC_OK;
    int32_t old = c->width;
    if (c->cap > 0) {
        size_t bytes;
        if (tsrec__mul_size((size_t)c->cap, (size_t)width, &bytes) != 0)
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE, "column widen: size overflow");
        void *d = tsrec__realloc(ctx, c->data, bytes);
        if (d == NULL)
            return nomem(eh, "widening dictionary codes", c->cap);
        /* In place, last value first, so no source is overwritten before
         * it is read. */
        for (int64_t i = c->len - 1; i >= 0; i--)
            code_put(d, width, i, code_at(d, old, i));
        c->data = d;
    }
    c->width = width;
    return TSREC_OK;
}

void tsrec__column_narrow(tsrec__column *c, int32_t width)
{
    if (c == NULL || c->kind != TSREC__COL_CODE || width >= c->width ||
        (width != 1 && width != 2))
        return;
    /* Forward, so nothing unread is overwritten; the buffer keeps its size
     * (with slack). Codes must fit (the caller truncated the dictionary
     * first). */
    for (int64_t i = 0; i < c->len; i++)
        code_put(c->data, width, i, code_at(c->data, c->width, i));
    c->width = width; /* cap stays: the validity bitmap is sized by it */
}

/* ---- appends ------------------------------------------------------------ */

/* Make room for one value and mark it present or missing. */
static int room_for_one(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh)
{
    if (c->len < c->cap)
        return TSREC_OK;
    return tsrec__column_reserve(c, ctx, eh, 1);
}

static void set_present(tsrec__column *c, int64_t i)
{
    if (c->valid != NULL)
        c->valid[i >> 6] |= (uint64_t)1 << (i & 63);
}

int tsrec__column_push_code(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int64_t code)
{
    if (code < 0 || code > (int64_t)UINT32_MAX)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE, "column: code %lld out of range",
                           (long long)code);
    int32_t w = width_for(code);
    if (w > c->width) {
        int st = tsrec__column_widen(c, ctx, eh, w);
        if (st != TSREC_OK)
            return st;
    }
    int st = room_for_one(c, ctx, eh);
    if (st != TSREC_OK)
        return st;
    code_put(c->data, c->width, c->len, (uint32_t)code);
    set_present(c, c->len);
    c->len++;
    return TSREC_OK;
}

int tsrec__column_push_bytes(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh,
                             const char *bytes, size_t len)
{
    if (c->kind != TSREC__COL_CODE || c->dict == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "column: text pushed to a non-code column");
    int64_t code;
    int st = tsrec__strdict_intern(c->dict, eh, bytes, len, &code, NULL);
    if (st != TSREC_OK)
        return st;
    /* A code interned here but not stored (push failure) is removed by the
     * import's dictionary rollback. */
    return tsrec__column_push_code(c, ctx, eh, code);
}

int tsrec__column_push_i64(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int64_t v)
{
    int st = room_for_one(c, ctx, eh);
    if (st != TSREC_OK)
        return st;
    switch (c->kind) {
    case TSREC__COL_I64:
        ((int64_t *)c->data)[c->len] = v;
        break;
    case TSREC__COL_F32:
        ((float *)c->data)[c->len] = (float)v;
        break;
    case TSREC__COL_F64:
        ((double *)c->data)[c->len] = (double)v;
        break;
    case TSREC__COL_BOOL:
        ((uint8_t *)c->data)[c->len] = (uint8_t)(v != 0);
        break;
    default:
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "column: integer pushed to a code column");
    }
    set_present(c, c->len);
    c->len++;
    return TSREC_OK;
}

int tsrec__column_push_f64(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, double v)
{
    if (c->kind != TSREC__COL_F32 && c->kind != TSREC__COL_F64)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "column: float pushed to a non-float column");
    int st = room_for_one(c, ctx, eh);
    if (st != TSREC_OK)
        return st;
    if (c->kind == TSREC__COL_F32)
        ((float *)c->data)[c->len] = (float)v;
    else
        ((double *)c->data)[c->len] = v;
    set_present(c, c->len);
    c->len++;
    return TSREC_OK;
}

int tsrec__column_push_bool(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int v)
{
    if (c->kind != TSREC__COL_BOOL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "column: boolean pushed to a non-bool column");
    return tsrec__column_push_i64(c, ctx, eh, v != 0);
}

int tsrec__column_push_missing(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh)
{
    int st = room_for_one(c, ctx, eh);
    if (st != TSREC_OK)
        return st;
    if (c->valid == NULL) {
        /* First missing value: every earlier value was present. A failure
         * here leaves only extra capacity behind. */
        uint64_t *v = tsrec__calloc(ctx, bitmap_words(c->cap), sizeof(uint64_t));
        if (v == NULL)
            return nomem(eh, "allocating a validity bitmap", c->cap);
        int64_t full = c->len / 64;
        if (full > 0)
            memset(v, 0xFF, (size_t)full * sizeof(uint64_t));
        if (c->len % 64 != 0)
            v[full] = ((uint64_t)1 << (c->len % 64)) - 1;
        c->valid = v;
    }
    /* A defined placeholder keeps the data deterministic. */
    memset((char *)c->data + (size_t)c->len * (size_t)c->width, 0, (size_t)c->width);
    c->valid[c->len >> 6] &= ~((uint64_t)1 << (c->len & 63));
    c->len++;
    return TSREC_OK;
}

/* ---- reads ------------------------------------------------------------ */

int tsrec__column_is_present(const tsrec__column *c, int64_t i)
{
    if (c == NULL || i < 0 || i >= c->len)
        return 0;
    return c->valid == NULL || ((c->valid[i >> 6] >> (i & 63)) & 1u) != 0;
}

int64_t tsrec__column_get_code(const tsrec__column *c, int64_t i)
{
    if (c == NULL || c->kind != TSREC__COL_CODE || i < 0 || i >= c->len)
        return -1;
    return (int64_t)code_at(c->data, c->width, i);
}

int64_t tsrec__column_get_i64(const tsrec__column *c, int64_t i)
{
    if (c == NULL || i < 0 || i >= c->len)
        return 0;
    switch (c->kind) {
    case TSREC__COL_I64:
        return ((const int64_t *)c->data)[i];
    case TSREC__COL_BOOL:
        return ((const uint8_t *)c->data)[i];
    case TSREC__COL_CODE:
        return (int64_t)code_at(c->data, c->width, i);
    default:
        return 0;
    }
}

double tsrec__column_get_f64(const tsrec__column *c, int64_t i)
{
    if (c == NULL || i < 0 || i >= c->len)
        return 0.0;
    switch (c->kind) {
    case TSREC__COL_F32:
        return (double)((const float *)c->data)[i];
    case TSREC__COL_F64:
        return ((const double *)c->data)[i];
    case TSREC__COL_I64:
        return (double)((const int64_t *)c->data)[i];
    case TSREC__COL_BOOL:
        return (double)((const uint8_t *)c->data)[i];
    default:
        return 0.0;
    }
}

/* ---- truncate and swap -------------------------------------------------- */

void tsrec__column_truncate(tsrec__column *c, int64_t len)
{
    if (c == NULL || len < 0 || len >= c->len)
        return;
    c->len = len;
}

void tsrec__column_swap(tsrec__column *a, tsrec__column *b)
{
    if (a == NULL || b == NULL || a == b)
        return;
    tsrec__column t = *a;
    *a = *b;
    *b = t;
}
