/* Payload buffers for saved objects (container_internal.h).
 *
 * Every value is written little-endian byte by byte, whatever the host, so a
 * file saved on one machine loads on any other. The writer's status and the
 * reader's `failed` flag are sticky: after the first error every further
 * call is a no-op (writer) or returns zeros (reader), so serializers check
 * once per section rather than after every field. */
#include <string.h>

#include "container_internal.h"

/* Smallest capacity of a growing write buffer. */
#define WBUF_MIN_CAP ((size_t)256)

/* ---- little-endian encoding ------------------------------------------------ */

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void put_u64(unsigned char *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p)
{
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

/* Two's complement conversions without implementation-defined casts. */
static uint32_t i32_bits(int32_t v)
{
    return v < 0 ? (uint32_t)(-(v + 1)) ^ UINT32_MAX : (uint32_t)v;
}

static int32_t bits_i32(uint32_t u)
{
    return u > (uint32_t)INT32_MAX ? -(int32_t)(u ^ UINT32_MAX) - 1 : (int32_t)u;
}

static uint64_t i64_bits(int64_t v)
{
    return v < 0 ? (uint64_t)(-(v + 1)) ^ UINT64_MAX : (uint64_t)v;
}

static int64_t bits_i64(uint64_t u)
{
    return u > (uint64_t)INT64_MAX ? -(int64_t)(u ^ UINT64_MAX) - 1 : (int64_t)u;
}

/* Floats travel as their IEEE-754 bit patterns, so NaN payloads, -0.0 and
 * infinities come back bit-identical. */
static uint64_t f64_bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static double bits_f64(uint64_t u)
{
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static uint32_t f32_bits(float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static float bits_f32(uint32_t u)
{
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* ---- writing ------------------------------------------------------------- */

void tsrec__wbuf_init(tsrec__wbuf *b, tsrec_ctx *ctx)
{
    b->ctx = ctx;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->status = TSREC_OK;
}

void tsrec__wbuf_free(tsrec__wbuf *b)
{
    if (b == NULL)
        return;
    tsrec__free(b->ctx, b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

/* Make room for n more bytes and return where they go, or NULL (status set)
 * when the buffer is already failed or cannot grow. Capacity doubles, so
 * appending a payload field by field costs amortised O(1) per byte. */
static unsigned char *reserve(tsrec__wbuf *b, size_t n)
{
    if (b->status != TSREC_OK)
        return NULL;
    if (n > SIZE_MAX - b->len) {
        b->status = TSREC_E_NOMEM;
        return NULL;
    }
    size_t need = b->len + n;
    if (need > b->cap) {
        size_t cap = b->cap < WBUF_MIN_CAP ? WBUF_MIN_CAP : b->cap;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        unsigned char *p = tsrec__realloc(b->ctx, b->data, cap);
        if (p == NULL) {
            b->status = TSREC_E_NOMEM;
            return NULL;
        }
        b->data = p;
        b->cap = cap;
    }
    unsigned char *at = b->data + b->len;
    b->len = need;
    return at;
}

void tsrec__wbuf_bytes(tsrec__wbuf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (p == NULL) {
        if (b->status == TSREC_OK)
            b->status = TSREC_E_INVALID_ARG;
        return;
    }
    unsigned char *at = reserve(b, n);
    if (at != NULL)
        memcpy(at, p, n);
}

void tsrec__wbuf_u8(tsrec__wbuf *b, uint8_t v)
{
    unsigned char *at = reserve(b, 1);
    if (at != NULL)
        at[0] = v;
}

void tsrec__wbuf_u32(tsrec__wbuf *b, uint32_t v)
{
    unsigned char *at = reserve(b, 4);
    if (at != NULL)
        put_u32(at, v);
}

void tsrec__wbuf_i32(tsrec__wbuf *b, int32_t v)
{
    tsrec__wbuf_u32(b, i32_bits(v));
}

void tsrec__wbuf_i64(tsrec__wbuf *b, int64_t v)
{
    unsigned char *at = reserve(b, 8);
    if (at != NULL)
        put_u64(at, i64_bits(v));
}

void tsrec__wbuf_f64(tsrec__wbuf *b, double v)
{
    unsigned char *at = reserve(b, 8);
    if (at != NULL)
        put_u64(at, f64_bits(v));
}

void tsrec__wbuf_str(tsrec__wbuf *b, const char *s)
{
    if (s == NULL) {
        tsrec__wbuf_i64(b, -1);
        return;
    }
    size_t n = strlen(s);
    tsrec__wbuf_i64(b, (int64_t)n);
    tsrec__wbuf_bytes(b, s, n);
}

/* Writes the count of an array and reserves its elements' bytes: NULL when
 * there is nothing to fill (n == 0) or on error. A negative count, or
 * elements missing for a positive one, is a caller bug: INVALID_ARG. */
static unsigned char *begin_array(tsrec__wbuf *b, const void *v, int64_t n, size_t elem)
{
    if (b->status != TSREC_OK)
        return NULL;
    if (n < 0 || (n > 0 && v == NULL)) {
        b->status = TSREC_E_INVALID_ARG;
        return NULL;
    }
    size_t bytes;
    if ((uint64_t)n > SIZE_MAX || tsrec__mul_size((size_t)n, elem, &bytes) != 0) {
        b->status = TSREC_E_NOMEM;
        return NULL;
    }
    tsrec__wbuf_i64(b, n);
    return n == 0 ? NULL : reserve(b, bytes);
}

void tsrec__wbuf_i32s(tsrec__wbuf *b, const int32_t *v, int64_t n)
{
    unsigned char *at = begin_array(b, v, n, 4);
    if (at != NULL)
        for (int64_t i = 0; i < n; i++)
            put_u32(at + 4 * i, i32_bits(v[i]));
}

void tsrec__wbuf_i64s(tsrec__wbuf *b, const int64_t *v, int64_t n)
{
    unsigned char *at = begin_array(b, v, n, 8);
    if (at != NULL)
        for (int64_t i = 0; i < n; i++)
            put_u64(at + 8 * i, i64_bits(v[i]));
}

void tsrec__wbuf_f32s(tsrec__wbuf *b, const float *v, int64_t n)
{
    unsigned char *at = begin_array(b, v, n, 4);
    if (at != NULL)
        for (int64_t i = 0; i < n; i++)
            put_u32(at + 4 * i, f32_bits(v[i]));
}

void tsrec__wbuf_f64s(tsrec__wbuf *b, const double *v, int64_t n)
{
    unsigned char *at = begin_array(b, v, n, 8);
    if (at != NULL)
        for (int64_t i = 0; i < n; i++)
            put_u64(at + 8 * i, f64_bits(v[i]));
}

void tsrec__wbuf_u8s(tsrec__wbuf *b, const uint8_t *v, int64_t n)
{
    unsigned char *at = begin_array(b, v, n, 1);
    if (at != NULL)
        memcpy(at, v, (size_t)n);
}

/* ---- reading ------------------------------------------------------------- */

void tsrec__rbuf_init(tsrec__rbuf *r, const void *data, size_t len)
{
    r->data = data;
    r->len = data != NULL ? len : 0;
    r->pos = 0;
    r->failed = 0;
}

const void *tsrec__rbuf_span(tsrec__rbuf *r, size_t n)
{
    if (r->failed || n > r->len - r->pos) {
        r->failed = 1;
        return NULL;
    }
    const unsigned char *p = r->data + r->pos;
    r->pos += n;
    return p;
}

uint8_t tsrec__rbuf_u8(tsrec__rbuf *r)
{
    const unsigned char *p = tsrec__rbuf_span(r, 1);
    return p != NULL ? p[0] : 0;
}

uint32_t tsrec__rbuf_u32(tsrec__rbuf *r)
{
    const unsigned char *p = tsrec__rbuf_span(r, 4);
    return p != NULL ? get_u32(p) : 0;
}

int32_t tsrec__rbuf_i32(tsrec__rbuf *r)
{
    return bits_i32(tsrec__rbuf_u32(r));
}

int64_t tsrec__rbuf_i64(tsrec__rbuf *r)
{
    const unsigned char *p = tsrec__rbuf_span(r, 8);
    return p != NULL ? bits_i64(get_u64(p)) : 0;
}

double tsrec__rbuf_f64(tsrec__rbuf *r)
{
    const unsigned char *p = tsrec__rbuf_span(r, 8);
    return p != NULL ? bits_f64(get_u64(p)) : 0.0;
}

int64_t tsrec__rbuf_count(tsrec__rbuf *r, size_t elem_size)
{
    int64_t n = tsrec__rbuf_i64(r);
    /* An element of "zero bytes" still counts as one: otherwise a corrupt
     * count could drive a loop of 2^63 iterations over nothing. */
    size_t elem = elem_size == 0 ? 1 : elem_size;
    if (r->failed || n < 0 || (uint64_t)n > (uint64_t)((r->len - r->pos) / elem)) {
        r->failed = 1;
        return -1;
    }
    return n;
}

/* Length of a string written by tsrec__wbuf_str: -1 for NULL, -2 (failed
 * set) when corrupt: below -1, longer than what is left, or holding a NUL
 * (a C string cannot, and accepting one would silently truncate). */
static int64_t str_len(tsrec__rbuf *r, const unsigned char **out_bytes)
{
    *out_bytes = NULL;
    int64_t n = tsrec__rbuf_i64(r);
    if (r->failed)
        return -2;
    if (n == -1)
        return -1;
    if (n < 0 || (uint64_t)n > (uint64_t)(r->len - r->pos)) {
        r->failed = 1;
        return -2;
    }
    const unsigned char *p = tsrec__rbuf_span(r, (size_t)n);
    if (p == NULL || memchr(p, '\0', (size_t)n) != NULL) {
        r->failed = 1;
        return -2;
    }
    *out_bytes = p;
    return n;
}

int tsrec__rbuf_str(tsrec__rbuf *r, tsrec_ctx *ctx, char **out)
{
    *out = NULL;
    const unsigned char *p;
    int64_t n = str_len(r, &p);
    if (n == -2)
        return TSREC_E_FORMAT;
    if (n == -1)
        return TSREC_OK;
    char *s = tsrec__alloc(ctx, (size_t)n + 1);
    if (s == NULL)
        return TSREC_E_NOMEM;
    if (n > 0)
        memcpy(s, p, (size_t)n);
    s[n] = '\0';
    *out = s;
    return TSREC_OK;
}

/* A NULL string cannot be represented in a fixed buffer, so it is a format
 * error here: fixed-buffer fields are never written as NULL. */
int tsrec__rbuf_str_into(tsrec__rbuf *r, char *buf, size_t cap)
{
    const unsigned char *p;
    int64_t n = str_len(r, &p);
    if (buf != NULL && cap > 0)
        buf[0] = '\0';
    if (n == -2)
        return TSREC_E_FORMAT;
    if (n == -1 || buf == NULL || (uint64_t)n >= (uint64_t)cap) {
        r->failed = 1;
        return TSREC_E_FORMAT;
    }
    if (n > 0)
        memcpy(buf, p, (size_t)n);
    buf[n] = '\0';
    return TSREC_OK;
}

/* Reads an array's count and returns its elements' bytes (NULL for an empty
 * array) and a block of n * elem bytes allocated for the decoded values. */
static int begin_read_array(tsrec__rbuf *r, tsrec_ctx *ctx, size_t elem, int64_t *out_n,
                            const unsigned char **out_src, void **out_dst)
{
    *out_n = 0;
    *out_src = NULL;
    *out_dst = NULL;
    int64_t n = tsrec__rbuf_count(r, elem);
    if (n < 0)
        return TSREC_E_FORMAT;
    if (n == 0)
        return TSREC_OK;
    /* rbuf_count bounded n * elem by the bytes left, so no overflow. */
    void *dst = tsrec__alloc(ctx, (size_t)n * elem);
    if (dst == NULL)
        return TSREC_E_NOMEM;
    *out_src = tsrec__rbuf_span(r, (size_t)n * elem);
    *out_dst = dst;
    *out_n = n;
    return TSREC_OK;
}

int tsrec__rbuf_i32s(tsrec__rbuf *r, tsrec_ctx *ctx, int32_t **out, int64_t *out_n)
{
    const unsigned char *src;
    void *dst;
    int rc = begin_read_array(r, ctx, 4, out_n, &src, &dst);
    int32_t *v = dst;
    for (int64_t i = 0; i < *out_n; i++)
        v[i] = bits_i32(get_u32(src + 4 * i));
    *out = v;
    return rc;
}

int tsrec__rbuf_i64s(tsrec__rbuf *r, tsrec_ctx *ctx, int64_t **out, int64_t *out_n)
{
    const unsigned char *src;
    void *dst;
    int rc = begin_read_array(r, ctx, 8, out_n, &src, &dst);
    int64_t *v = dst;
    for (int64_t i = 0; i < *out_n; i++)
        v[i] = bits_i64(get_u64(src + 8 * i));
    *out = v;
    return rc;
}

int tsrec__rbuf_f32s(tsrec__rbuf *r, tsrec_ctx *ctx, float **out, int64_t *out_n)
{
    const unsigned char *src;
    void *dst;
    int rc = begin_read_array(r, ctx, 4, out_n, &src, &dst);
    float *v = dst;
    for (int64_t i = 0; i < *out_n; i++)
        v[i] = bits_f32(get_u32(src + 4 * i));
    *out = v;
    return rc;
}

int tsrec__rbuf_f64s(tsrec__rbuf *r, tsrec_ctx *ctx, double **out, int64_t *out_n)
{
    const unsigned char *src;
    void *dst;
    int rc = begin_read_array(r, ctx, 8, out_n, &src, &dst);
    double *v = dst;
    for (int64_t i = 0; i < *out_n; i++)
        v[i] = bits_f64(get_u64(src + 8 * i));
    *out = v;
    return rc;
}

int tsrec__rbuf_u8s(tsrec__rbuf *r, tsrec_ctx *ctx, uint8_t **out, int64_t *out_n)
{
    const unsigned char *src;
    void *dst;
    int rc = begin_read_array(r, ctx, 1, out_n, &src, &dst);
    if (*out_n > 0)
        memcpy(dst, src, (size_t)*out_n);
    *out = dst;
    return rc;
}
