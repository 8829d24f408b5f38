/* The payload buffers and the object container (src/io/serial.c,
 * container.c, membuf.c): exact byte layout and bit-exact round trips of
 * every field type, bounds-checked reading, stream and file round trips,
 * writer failures at every byte, atomic saves surviving kill -9, and
 * truncated, bit-flipped and foreign inputs all refused with a status. */
#include "test_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "container_internal.h"
#include "core_internal.h"

/* ---- helpers ---------------------------------------------------------------- */

static uint64_t bits64(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static double from_bits64(uint64_t u)
{
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static float from_bits32(uint32_t u)
{
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Small deterministic generator for test data. */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* A payload of n bytes: half pseudo-random, half repeating, so it is
 * neither trivial nor incompressible. */
static void fill_payload(tsrec__wbuf *b, uint64_t seed, size_t n)
{
    uint64_t s = seed;
    tsrec__wbuf_i64(b, (int64_t)seed);
    for (size_t i = 8; i < n; i++)
        tsrec__wbuf_u8(b, (uint8_t)(i % 2 ? lcg(&s) : i % 7));
}

/* Serialize payload b to memory: size query first, then the real write. */
static unsigned char *to_memory(tsrec_ctx *ctx, uint32_t type, uint32_t state, const tsrec__wbuf *b,
                                size_t *out_len)
{
    tsrec_membuf q = {NULL, 0, 0, 0};
    assert_int_equal(tsrec__container_write(NULL, type, state, b, tsrec_membuf_write, &q), TSREC_OK);
    assert_true(q.len >= TSREC__CONTAINER_HEADER + 8);
    unsigned char *mem = malloc(q.len);
    assert_non_null(mem);
    tsrec_membuf m = {mem, q.len, 0, 0};
    assert_int_equal(tsrec__container_write(NULL, type, state, b, tsrec_membuf_write, &m), TSREC_OK);
    assert_int_equal(m.len, q.len);
    (void)ctx;
    *out_len = m.len;
    return mem;
}

static int read_memory(tsrec_ctx *ctx, uint32_t type, uint32_t max_state, const void *data, size_t len,
                       tsrec__payload *out)
{
    tsrec_membuf m = {(void *)(uintptr_t)data, len, len, 0};
    return tsrec__container_read(NULL, ctx, type, max_state, tsrec_membuf_read, &m, out);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Rewrite a header field and fix the header CRC, as a newer or foreign
 * writer would have produced it. */
static void patch_header(unsigned char *file, size_t off, uint32_t v)
{
    put32(file + off, v);
    put32(file + 44, (uint32_t)crc32(0L, file, 44));
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len > 0)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* A fresh folder for file tests. */
static void make_dir(char *buf, size_t cap)
{
    snprintf(buf, cap, "/tmp/tsrec_container_XXXXXX");
    assert_non_null(mkdtemp(buf));
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (unlink(p) != 0)
            remove_dir(p);
    }
    closedir(d);
    rmdir(dir);
}

static int count_entries(const char *dir, const char *containing)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && strstr(e->d_name, containing) != NULL)
            n++;
    closedir(d);
    return n;
}

/* ---- payload buffers ----------------------------------------------------------- */

static void test_scalars_layout_and_roundtrip(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    const double nan_payload = from_bits64(0x7ff8dead0000beefull);
    const double doubles[] = {0.0, -0.0, 1.5, -2.25e300, INFINITY, -INFINITY, nan_payload,
                              from_bits64(0xfff0000000000001ull) /* signalling NaN */,
                              from_bits64(1) /* smallest subnormal */};
    tsrec__wbuf_u8(&b, 0xab);
    tsrec__wbuf_u32(&b, 0x01020304u);
    tsrec__wbuf_i32(&b, INT32_MIN);
    tsrec__wbuf_i32(&b, -1);
    tsrec__wbuf_i32(&b, INT32_MAX);
    tsrec__wbuf_i64(&b, INT64_MIN);
    tsrec__wbuf_i64(&b, -2);
    tsrec__wbuf_i64(&b, INT64_MAX);
    for (size_t i = 0; i < TSREC__ARRAY_LEN(doubles); i++)
        tsrec__wbuf_f64(&b, doubles[i]);
    assert_int_equal(b.status, TSREC_OK);
    assert_int_equal(b.len, 1 + 4 * 4 + 3 * 8 + 8 * TSREC__ARRAY_LEN(doubles));

    /* Little-endian, whatever the host. */
    const unsigned char *p = b.data;
    assert_int_equal(p[0], 0xab);
    assert_int_equal(p[1], 0x04);
    assert_int_equal(p[2], 0x03);
    assert_int_equal(p[3], 0x02);
    assert_int_equal(p[4], 0x01);
    const unsigned char min32[4] = {0x00, 0x00, 0x00, 0x80};
    assert_memory_equal(p + 5, min32, 4);
    const unsigned char minus2[8] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    assert_memory_equal(p + 17 + 8, minus2, 8);
    const unsigned char one_five[8] = {0, 0, 0, 0, 0, 0, 0xf8, 0x3f}; /* 1.5 */
    assert_memory_equal(p + 41 + 16, one_five, 8);

    tsrec__rbuf r;
    tsrec__rbuf_init(&r, b.data, b.len);
    assert_int_equal(tsrec__rbuf_u8(&r), 0xab);
    assert_int_equal(tsrec__rbuf_u32(&r), 0x01020304u);
    assert_int_equal(tsrec__rbuf_i32(&r), INT32_MIN);
    assert_int_equal(tsrec__rbuf_i32(&r), -1);
    assert_int_equal(tsrec__rbuf_i32(&r), INT32_MAX);
    assert_true(tsrec__rbuf_i64(&r) == INT64_MIN);
    assert_true(tsrec__rbuf_i64(&r) == -2);
    assert_true(tsrec__rbuf_i64(&r) == INT64_MAX);
    for (size_t i = 0; i < TSREC__ARRAY_LEN(doubles); i++)
        assert_true(bits64(tsrec__rbuf_f64(&r)) == bits64(doubles[i]));
    assert_int_equal(r.failed, 0);
    assert_int_equal(r.pos, r.len);
    tsrec__wbuf_free(&b);
    tu_ctx_free_checked(ctx);
}

static void test_strings_and_arrays_roundtrip(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    const int32_t i32[] = {0, -1, INT32_MIN, INT32_MAX, 7};
    const int64_t i64[] = {INT64_MIN, -1, 0, INT64_MAX};
    const float f32[] = {-0.0f, INFINITY, -INFINITY, from_bits32(0x7fc01234u), 3.25f, from_bits32(1)};
    const double f64[] = {-0.0, NAN, from_bits64(0x7ff4000000000abcull), 1e-310, -INFINITY};
    const uint8_t u8[] = {0, 255, 1, 128};
    tsrec__wbuf_str(&b, "");
    tsrec__wbuf_str(&b, NULL);
    tsrec__wbuf_str(&b, "h\xc3\xa9llo");
    tsrec__wbuf_i32s(&b, i32, 5);
    tsrec__wbuf_i64s(&b, i64, 4);
    tsrec__wbuf_f32s(&b, f32, 6);
    tsrec__wbuf_f64s(&b, f64, 5);
    tsrec__wbuf_u8s(&b, u8, 4);
    /* Empty arrays, with and without a pointer. */
    tsrec__wbuf_i32s(&b, NULL, 0);
    tsrec__wbuf_i64s(&b, i64, 0);
    tsrec__wbuf_f32s(&b, NULL, 0);
    tsrec__wbuf_f64s(&b, NULL, 0);
    tsrec__wbuf_u8s(&b, NULL, 0);
    tsrec__wbuf_bytes(&b, NULL, 0);
    assert_int_equal(b.status, TSREC_OK);

    tsrec__rbuf r;
    tsrec__rbuf_init(&r, b.data, b.len);
    char *s = (char *)1;
    assert_int_equal(tsrec__rbuf_str(&r, ctx, &s), TSREC_OK);
    assert_string_equal(s, "");
    tsrec__free(ctx, s);
    assert_int_equal(tsrec__rbuf_str(&r, ctx, &s), TSREC_OK);
    assert_null(s);
    char fixed[7];
    assert_int_equal(tsrec__rbuf_str_into(&r, fixed, sizeof fixed), TSREC_OK); /* 6 bytes + NUL */
    assert_string_equal(fixed, "h\xc3\xa9llo");

    int32_t *a32 = NULL;
    int64_t *a64 = NULL;
    float *af = NULL;
    double *ad = NULL;
    uint8_t *au = NULL;
    int64_t n = -1;
    assert_int_equal(tsrec__rbuf_i32s(&r, ctx, &a32, &n), TSREC_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(a32, i32, sizeof i32);
    tsrec__free(ctx, a32);
    assert_int_equal(tsrec__rbuf_i64s(&r, ctx, &a64, &n), TSREC_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(a64, i64, sizeof i64);
    tsrec__free(ctx, a64);
    assert_int_equal(tsrec__rbuf_f32s(&r, ctx, &af, &n), TSREC_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(af, f32, sizeof f32); /* bit patterns, NaN payload included */
    tsrec__free(ctx, af);
    assert_int_equal(tsrec__rbuf_f64s(&r, ctx, &ad, &n), TSREC_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(ad, f64, sizeof f64);
    tsrec__free(ctx, ad);
    assert_int_equal(tsrec__rbuf_u8s(&r, ctx, &au, &n), TSREC_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(au, u8, sizeof u8);
    tsrec__free(ctx, au);

    a32 = (int32_t *)&n;
    assert_int_equal(tsrec__rbuf_i32s(&r, ctx, &a32, &n), TSREC_OK);
    assert_null(a32);
    assert_int_equal(n, 0);
    assert_int_equal(tsrec__rbuf_i64s(&r, ctx, &a64, &n), TSREC_OK);
    assert_null(a64);
    assert_int_equal(tsrec__rbuf_f32s(&r, ctx, &af, &n), TSREC_OK);
    assert_null(af);
    assert_int_equal(tsrec__rbuf_f64s(&r, ctx, &ad, &n), TSREC_OK);
    assert_null(ad);
    assert_int_equal(tsrec__rbuf_u8s(&r, ctx, &au, &n), TSREC_OK);
    assert_null(au);
    assert_int_equal(r.failed, 0);
    assert_int_equal(r.pos, r.len);
    tsrec__wbuf_free(&b);
    tu_ctx_free_checked(ctx);
}

static void test_reader_overread_is_sticky(void **state)
{
    (void)state;
    const unsigned char bytes[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, bytes, 3);
    assert_int_equal(tsrec__rbuf_u32(&r), 0);
    assert_int_equal(r.failed, 1);
    /* Sticky: later reads that would fit still return zeros. */
    assert_int_equal(tsrec__rbuf_u8(&r), 0);
    assert_null(tsrec__rbuf_span(&r, 1));
    assert_true(tsrec__rbuf_f64(&r) == 0.0);

    tsrec__rbuf_init(&r, bytes, sizeof bytes);
    assert_true(tsrec__rbuf_i64(&r) == (int64_t)0x0807060504030201ll);
    assert_int_equal(tsrec__rbuf_i32(&r), 0);
    assert_int_equal(r.failed, 1);
    assert_true(tsrec__rbuf_i64(&r) == 0);

    tsrec__rbuf_init(&r, bytes, sizeof bytes);
    const unsigned char *p = tsrec__rbuf_span(&r, sizeof bytes);
    assert_ptr_equal(p, bytes);
    assert_non_null(tsrec__rbuf_span(&r, 0));
    assert_null(tsrec__rbuf_span(&r, 1));
    assert_int_equal(r.failed, 1);

    tsrec__rbuf_init(&r, bytes, sizeof bytes);
    assert_null(tsrec__rbuf_span(&r, SIZE_MAX));
    assert_int_equal(r.failed, 1);

    /* A NULL buffer reads as empty. */
    tsrec__rbuf_init(&r, NULL, 100);
    assert_int_equal(tsrec__rbuf_u8(&r), 0);
    assert_int_equal(r.failed, 1);
}

/* A buffer holding an i64 count followed by `tail` zero bytes. */
static void count_buf(tsrec__wbuf *b, int64_t count, size_t tail)
{
    b->len = 0;
    b->status = TSREC_OK;
    tsrec__wbuf_i64(b, count);
    for (size_t i = 0; i < tail; i++)
        tsrec__wbuf_u8(b, 0);
}

static void test_counts_and_corrupt_strings_refused(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__rbuf r;

    count_buf(&b, 3, 24);
    tsrec__rbuf_init(&r, b.data, b.len);
    assert_int_equal(tsrec__rbuf_count(&r, 8), 3);
    assert_int_equal(r.failed, 0);
    tsrec__rbuf_init(&r, b.data, b.len);
    assert_int_equal(tsrec__rbuf_count(&r, 9), -1);
    assert_int_equal(r.failed, 1);

    const int64_t bad[] = {-1, -5, INT64_MIN, INT64_MAX, 25, (int64_t)1 << 62};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(bad); i++) {
        count_buf(&b, bad[i], 24);
        tsrec__rbuf_init(&r, b.data, b.len);
        assert_int_equal(tsrec__rbuf_count(&r, 1), -1);
        assert_int_equal(r.failed, 1);
        /* A zero element size counts as one byte. */
        tsrec__rbuf_init(&r, b.data, b.len);
        assert_int_equal(tsrec__rbuf_count(&r, 0), -1);
        /* The typed readers refuse the same counts, leaving nothing. */
        tsrec__rbuf_init(&r, b.data, b.len);
        double *d = (double *)&r;
        int64_t n = 99;
        assert_int_equal(tsrec__rbuf_f64s(&r, ctx, &d, &n), TSREC_E_FORMAT);
        assert_null(d);
        assert_int_equal(n, 0);
        tsrec__rbuf_init(&r, b.data, b.len);
        uint8_t *u = NULL;
        assert_int_equal(tsrec__rbuf_u8s(&r, ctx, &u, &n), TSREC_E_FORMAT);
        assert_null(u);
        /* and so do the string readers (-1 aside, which is NULL). */
        if (bad[i] != -1) {
            tsrec__rbuf_init(&r, b.data, b.len);
            char *s = (char *)&r;
            assert_int_equal(tsrec__rbuf_str(&r, ctx, &s), TSREC_E_FORMAT);
            assert_null(s);
            assert_int_equal(r.failed, 1);
        }
    }

    /* A string holding a NUL cannot have come from a C string. */
    count_buf(&b, 3, 0);
    tsrec__wbuf_bytes(&b, "a\0b", 3);
    tsrec__rbuf_init(&r, b.data, b.len);
    char *s = NULL;
    assert_int_equal(tsrec__rbuf_str(&r, ctx, &s), TSREC_E_FORMAT);
    assert_null(s);

    /* Fixed buffers: exact fit, one too small, NULL string, no buffer. */
    count_buf(&b, 0, 0);
    tsrec__wbuf_str(&b, "abc");
    tsrec__wbuf_str(&b, "abc");
    tsrec__wbuf_str(&b, NULL);
    char fixed[4];
    tsrec__rbuf_init(&r, b.data, b.len);
    assert_int_equal(tsrec__rbuf_i64(&r), 0);
    assert_int_equal(tsrec__rbuf_str_into(&r, fixed, 4), TSREC_OK);
    assert_string_equal(fixed, "abc");
    assert_int_equal(tsrec__rbuf_str_into(&r, fixed, 3), TSREC_E_FORMAT);
    assert_string_equal(fixed, "");
    assert_int_equal(r.failed, 1);
    tsrec__rbuf_init(&r, b.data, b.len);
    tsrec__rbuf_span(&r, 8 + 11 + 11);
    assert_int_equal(tsrec__rbuf_str_into(&r, fixed, sizeof fixed), TSREC_E_FORMAT);
    tsrec__rbuf_init(&r, b.data, b.len);
    tsrec__rbuf_span(&r, 8);
    assert_int_equal(tsrec__rbuf_str_into(&r, NULL, 0), TSREC_E_FORMAT);

    tsrec__wbuf_free(&b);
    tu_ctx_free_checked(ctx);
}

static void test_writer_misuse_is_sticky(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_u32(&b, 1);
    tsrec__wbuf_f64s(&b, NULL, 3); /* elements missing */
    assert_int_equal(b.status, TSREC_E_INVALID_ARG);
    size_t len = b.len;
    tsrec__wbuf_u32(&b, 2);
    assert_int_equal(b.len, len);
    tsrec_membuf m = {NULL, 0, 0, 0};
    assert_int_equal(tsrec__container_write(NULL, TSREC_OBJECT_FILTER, 1, &b, tsrec_membuf_write, &m),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(m.len, 0);
    tsrec__wbuf_free(&b);

    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_i64s(&b, NULL, -1);
    assert_int_equal(b.status, TSREC_E_INVALID_ARG);
    tsrec__wbuf_free(&b);
    tsrec__wbuf_free(NULL);

    /* A failed growth under the memory limit is NOMEM and sticky. */
    assert_int_equal(tsrec_ctx_set_memory_limit(ctx, 4096), TSREC_OK);
    tsrec__wbuf_init(&b, ctx);
    static const unsigned char big[8192];
    tsrec__wbuf_bytes(&b, big, sizeof big);
    assert_int_equal(b.status, TSREC_E_NOMEM);
    tsrec__wbuf_u8(&b, 1);
    assert_int_equal(b.status, TSREC_E_NOMEM);
    tsrec__wbuf_free(&b);
    assert_int_equal(tsrec_ctx_set_memory_limit(ctx, 0), TSREC_OK);
    tu_ctx_free_checked(ctx);
}

/* ---- the container over streams ------------------------------------------------ */

static void test_membuf_roundtrip_and_header(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    fill_payload(&b, 11, 300000); /* several 64 KiB chunks */
    size_t len = 0;
    unsigned char *file = to_memory(ctx, TSREC_OBJECT_PREDICTOR, 3, &b, &len);

    const unsigned char magic[8] = {'T', 'S', 'R', 'E', 'C', 0, 'O', 'B'};
    assert_memory_equal(file, magic, 8);
    assert_int_equal(get32(file + 8), TSREC__CONTAINER_FORMAT);
    assert_int_equal(get32(file + 12), TSREC_OBJECT_PREDICTOR);
    assert_int_equal(get32(file + 16), 3);
    assert_int_equal(get32(file + 20), 0);
    assert_int_equal(get32(file + 24), 300000);
    assert_int_equal(get32(file + 28), 0);
    assert_int_equal(get32(file + 32), len - TSREC__CONTAINER_HEADER);
    assert_int_equal(get32(file + 40), (uint32_t)crc32(0L, b.data, (uInt)b.len));
    assert_int_equal(get32(file + 44), (uint32_t)crc32(0L, file, 44));
    assert_int_equal(file[48] & 0x0f, 8); /* zlib stream: deflate method */

    tsrec__payload p;
    assert_int_equal(read_memory(ctx, TSREC_OBJECT_PREDICTOR, 3, file, len, &p), TSREC_OK);
    assert_int_equal(p.len, b.len);
    assert_int_equal(p.state_version, 3);
    assert_memory_equal(p.data, b.data, b.len);
    tsrec__payload_free(&p);
    tsrec__payload_free(&p); /* twice is harmless */
    tsrec__payload_free(NULL);

    /* An older state version than the reader's maximum loads too. */
    assert_int_equal(read_memory(ctx, TSREC_OBJECT_PREDICTOR, 9, file, len, &p), TSREC_OK);
    assert_int_equal(p.state_version, 3);
    tsrec__payload_free(&p);

    /* Saving is deterministic. */
    size_t len2 = 0;
    unsigned char *again = to_memory(ctx, TSREC_OBJECT_PREDICTOR, 3, &b, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(again, file, len);
    free(again);

    /* A buffer one byte short fails the save with IO. */
    unsigned char *small = malloc(len - 1);
    assert_non_null(small);
    tsrec_membuf m = {small, len - 1, 0, 0};
    assert_int_equal(tsrec__container_write(NULL, TSREC_OBJECT_PREDICTOR, 3, &b, tsrec_membuf_write, &m),
                     TSREC_E_IO);
    free(small);

    /* The handle gets the message. */
    tsrec__handle h;
    tsrec__handle_init(&h, 0, ctx);
    tsrec_membuf tiny = {file, 10, 0, 0};
    assert_int_equal(tsrec__container_write(&h, TSREC_OBJECT_PREDICTOR, 3, &b, tsrec_membuf_write, &tiny),
                     TSREC_E_IO);
    assert_non_null(strstr(h.errmsg, "write callback failed"));
    assert_int_equal(h.status, TSREC_E_IO);

    free(file);
    tsrec__wbuf_free(&b);
    tu_ctx_free_checked(ctx);
}

static void test_empty_payload(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    size_t len = 0;
    unsigned char *file = to_memory(ctx, TSREC_OBJECT_CAMPAIGN, 1, &b, &len);
    tsrec__payload p;
    assert_int_equal(read_memory(ctx, TSREC_OBJECT_CAMPAIGN, 1, file, len, &p), TSREC_OK);
    assert_int_equal(p.len, 0);
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, p.data, p.len);
    assert_int_equal(tsrec__rbuf_u8(&r), 0);
    assert_int_equal(r.failed, 1);
    tsrec__payload_free(&p);
    free(file);
    tu_ctx_free_checked(ctx);
}

/* A reader that hands out one byte per call. */
static int read_one_byte(void *user, void *buf, size_t cap, size_t *out_len)
{
    return tsrec_membuf_read(user, buf, cap < 1 ? cap : 1, out_len);
}

static void test_byte_at_a_time_reader(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    fill_payload(&b, 5, 20000);
    size_t len = 0;
    unsigned char *file = to_memory(ctx, TSREC_OBJECT_SOLUTION, 2, &b, &len);
    tsrec_membuf m = {file, len, len, 0};
    tsrec__payload p;
    assert_int_equal(tsrec__container_read(NULL, ctx, TSREC_OBJECT_SOLUTION, 2, read_one_byte, &m, &p),
                     TSREC_OK);
    assert_int_equal(p.len, b.len);
    assert_memory_equal(p.data, b.data, b.len);
    assert_int_equal(m.pos, len);
    tsrec__payload_free(&p);
    free(file);
    tsrec__wbuf_free(&b);
    tu_ctx_free_checked(ctx);
}

typedef struct limited_writer {
    size_t limit, written;
} limited_writer;

/* Accepts `limit` bytes in total, then fails. */
static int write_limited(void *user, const void *data, size_t len)
{
    limited_writer *w = user;
    (void)data;
    if (len > w->limit - w->written)
        return 1;
    w->written += len;
    return 0;
}

static void test_writer_failing_after_every_byte(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    fill_payload(&b, 3, 1500);
    size_t len = 0;
    unsigned char *file = to_memory(ctx, TSREC_OBJECT_FILTER, 1, &b, &len);
    free(file);
    size_t live_before = 0, live = 1;
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live_before, NULL, NULL), TSREC_OK);
    for (size_t n = 0; n < len; n++) {
        limited_writer w = {n, 0};
        assert_int_equal(tsrec__container_write(NULL, TSREC_OBJECT_FILTER, 1, &b, write_limited, &w),
                         TSREC_E_IO);
        assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, NULL, NULL), TSREC_OK);
        assert_int_equal(live, live_before);
    }
    limited_writer w = {len, 0};
    assert_int_equal(tsrec__container_write(NULL, TSREC_OBJECT_FILTER, 1, &b, write_limited, &w), TSREC_OK);
    assert_int_equal(w.written, len);
    tsrec__wbuf_free(&b);
    tu_ctx_free_checked(ctx);
}

static int read_fails(void *user, void *buf, size_t cap, size_t *out_len)
{
    (void)user;
    (void)buf;
    (void)cap;
    *out_len = 0;
    return 1;
}

/* Claims to have read more than it was given room for. */
static int read_lies(void *user, void *buf, size_t cap, size_t *out_len)
{
    (void)user;
    memset(buf, 0, cap);
    *out_len = cap + 1;
    return 0;
}

static void test_truncation_bitflips_and_trailing_data(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_str(&b, "a small object");
    tsrec__wbuf_f64(&b, 2.5);
    tsrec__wbuf_i64(&b, 77);
    size_t len = 0;
    unsigned char *file = to_memory(ctx, TSREC_OBJECT_FORECAST, 1, &b, &len);
    tsrec__payload p;

    /* Every prefix (the whole file aside) fails cleanly. */
    for (size_t n = 0; n < len; n++) {
        int rc = read_memory(ctx, TSREC_OBJECT_FORECAST, 1, file, n, &p);
        assert_int_equal(rc, TSREC_E_FORMAT);
        assert_null(p.data);
    }
    /* Every single flipped bit is caught by a CRC or by zlib, except the
     * padding bits that end the last deflate byte (just before zlib's
     * 4-byte Adler-32): inflate ignores them, so the payload is intact. */
    unsigned char *copy = malloc(len + 1);
    assert_non_null(copy);
    int harmless = 0;
    for (size_t i = 0; i < len * 8; i++) {
        memcpy(copy, file, len);
        copy[i / 8] ^= (unsigned char)(1u << (i % 8));
        int rc = read_memory(ctx, TSREC_OBJECT_FORECAST, 1, copy, len, &p);
        if (rc == TSREC_OK) {
            if (i / 8 != len - 5 || p.len != b.len || memcmp(p.data, b.data, b.len) != 0)
                fail_msg("bit %zu flipped but the file loaded", i);
            harmless++;
            tsrec__payload_free(&p);
            continue;
        }
        assert_true(rc == TSREC_E_FORMAT || rc == TSREC_E_VERSION || rc == TSREC_E_NOMEM);
        assert_null(p.data);
    }
    assert_true(harmless < 8);
    /* Anything after the zlib stream is refused. */
    memcpy(copy, file, len);
    copy[len] = 0;
    tsrec__handle h;
    tsrec__handle_init(&h, 0, ctx);
    tsrec_membuf m = {copy, len + 1, len + 1, 0};
    assert_int_equal(tsrec__container_read(&h, ctx, TSREC_OBJECT_FORECAST, 1, tsrec_membuf_read, &m, &p),
                     TSREC_E_FORMAT);
    assert_non_null(strstr(h.errmsg, "trailing"));
    /* Reader failures are IO. */
    assert_int_equal(tsrec__container_read(&h, ctx, TSREC_OBJECT_FORECAST, 1, read_fails, NULL, &p),
                     TSREC_E_IO);
    assert_int_equal(tsrec__container_read(&h, ctx, TSREC_OBJECT_FORECAST, 1, read_lies, NULL, &p),
                     TSREC_E_IO);
    /* The good file still loads. */
    assert_int_equal(read_memory(ctx, TSREC_OBJECT_FORECAST, 1, file, len, &p), TSREC_OK);
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, p.data, p.len);
    char *s = NULL;
    assert_int_equal(tsrec__rbuf_str(&r, ctx, &s), TSREC_OK);
    assert_string_equal(s, "a small object");
    tsrec__free(ctx, s);
    assert_true(tsrec__rbuf_f64(&r) == 2.5);
    assert_true(tsrec__rbuf_i64(&r) == 77);
    tsrec__payload_free(&p);
    free(copy);
    free(file);
    tsrec__wbuf_free(&b);
    tu_ctx_free_checked(ctx);
}

/* Read `data` expecting status `want` and a message containing `text`. */
static void expect_refused(tsrec_ctx *ctx, uint32_t type, uint32_t max_state, const void *data,
                           size_t len, int want, const char *text)
{
    tsrec__handle h;
    tsrec__handle_init(&h, 0, ctx);
    tsrec_membuf m = {(void *)(uintptr_t)data, len, len, 0};
    tsrec__payload p;
    int rc = tsrec__container_read(&h, ctx, type, max_state, tsrec_membuf_read, &m, &p);
    if (rc != want || strstr(h.errmsg, text) == NULL)
        fail_msg("got %s \"%s\", want %s with \"%s\"", tsrec_status_str(rc), h.errmsg,
                 tsrec_status_str(want), text);
    assert_null(p.data);
}

static void test_foreign_and_newer_inputs(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    expect_refused(ctx, TSREC_OBJECT_FILTER, 1, "", 0, TSREC_E_FORMAT, "empty");
    const char *text = "item_id,user_id,timestamp\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n13,14,15\n";
    expect_refused(ctx, TSREC_OBJECT_FILTER, 1, text, strlen(text), TSREC_E_FORMAT, "not a libtsrec file");
    expect_refused(ctx, TSREC_OBJECT_FILTER, 1, "TSREC", 5, TSREC_E_FORMAT, "not a libtsrec file");

    /* A real gzip file. */
    unsigned char gz[256];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)text;
    zs.avail_in = (uInt)strlen(text);
    zs.next_out = gz;
    zs.avail_out = sizeof gz;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t gz_len = sizeof gz - zs.avail_out;
    deflateEnd(&zs);
    expect_refused(ctx, TSREC_OBJECT_FILTER, 1, gz, gz_len, TSREC_E_FORMAT, "gzip");

    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_str(&b, "payload");
    size_t len = 0;
    unsigned char *file = to_memory(ctx, TSREC_OBJECT_DATASET_GROUP, 2, &b, &len);
    unsigned char *copy = malloc(len);
    assert_non_null(copy);

    expect_refused(ctx, TSREC_OBJECT_PREDICTOR, 2, file, len, TSREC_E_FORMAT,
                   "file holds a dataset group, not a predictor");
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 1, file, len, TSREC_E_VERSION, "state version 2");
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 1, file, 30, TSREC_E_FORMAT, "truncated");

    memcpy(copy, file, len);
    patch_header(copy, 8, TSREC__CONTAINER_FORMAT + 1);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_VERSION, "container format 2");
    memcpy(copy, file, len);
    patch_header(copy, 8, 0);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "format version");
    memcpy(copy, file, len);
    patch_header(copy, 12, 99);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "unknown type");
    memcpy(copy, file, len);
    patch_header(copy, 16, 0);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "state version 0");
    memcpy(copy, file, len);
    patch_header(copy, 20, 1);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "flags");
    memcpy(copy, file, len);
    put32(copy + 44, get32(copy + 44) ^ 1);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "header CRC");
    /* Declared sizes that the stream cannot hold. */
    memcpy(copy, file, len);
    patch_header(copy, 28, 1); /* 4 GiB + a bit, from a few compressed bytes */
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "cannot hold");
    memcpy(copy, file, len);
    patch_header(copy, 28, 0x10000); /* 2^48 bytes: over the sanity cap */
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "declared payload");
    memcpy(copy, file, len);
    patch_header(copy, 24, get32(file + 24) + 1);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "header declares");
    memcpy(copy, file, len);
    patch_header(copy, 24, get32(file + 24) - 1);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "longer than");
    memcpy(copy, file, len);
    patch_header(copy, 32, get32(file + 32) + 1);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "shorter than the declared");
    memcpy(copy, file, len);
    patch_header(copy, 32, get32(file + 32) - 1);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "");
    memcpy(copy, file, len);
    patch_header(copy, 40, get32(file + 40) ^ 0x100);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, copy, len, TSREC_E_FORMAT, "payload CRC");

    /* A payload over the ctx memory limit is refused before inflating. */
    assert_int_equal(tsrec_ctx_set_memory_limit(ctx, 10), TSREC_OK);
    expect_refused(ctx, TSREC_OBJECT_DATASET_GROUP, 2, file, len, TSREC_E_NOMEM, "memory limit");
    assert_int_equal(tsrec_ctx_set_memory_limit(ctx, 0), TSREC_OK);

    /* Misuse. */
    tsrec__payload p;
    tsrec_membuf m = {file, len, len, 0};
    assert_int_equal(tsrec__container_read(NULL, NULL, 1, 1, tsrec_membuf_read, &m, &p), TSREC_E_MISUSE);
    assert_int_equal(tsrec__container_read(NULL, ctx, 1, 1, NULL, &m, &p), TSREC_E_MISUSE);
    assert_int_equal(tsrec__container_read(NULL, ctx, 1, 1, tsrec_membuf_read, &m, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec__container_write(NULL, 1, 1, NULL, tsrec_membuf_write, &m), TSREC_E_MISUSE);
    assert_int_equal(tsrec__container_write(NULL, 1, 1, &b, NULL, &m), TSREC_E_MISUSE);

    free(copy);
    free(file);
    tsrec__wbuf_free(&b);
    tu_ctx_free_checked(ctx);
}

static void test_membuf_callbacks(void **state)
{
    (void)state;
    unsigned char store[8];
    tsrec_membuf m = {store, sizeof store, 0, 0};
    assert_int_equal(tsrec_membuf_write(&m, "abcde", 5), 0);
    assert_int_equal(tsrec_membuf_write(&m, "fgh", 3), 0);
    assert_int_not_equal(tsrec_membuf_write(&m, "i", 1), 0);
    assert_int_equal(tsrec_membuf_write(&m, NULL, 0), 0);
    assert_int_equal(m.len, 8);
    assert_memory_equal(store, "abcdefgh", 8);
    assert_int_not_equal(tsrec_membuf_write(NULL, "a", 1), 0);
    assert_int_not_equal(tsrec_membuf_write(&m, NULL, 1), 0);
    tsrec_membuf q = {NULL, 0, 0, 0};
    assert_int_equal(tsrec_membuf_write(&q, "abc", 3), 0);
    assert_int_equal(tsrec_membuf_write(&q, NULL, 0), 0);
    assert_int_equal(q.len, 3);

    char out[5];
    size_t got = 99;
    assert_int_equal(tsrec_membuf_read(&m, out, 5, &got), 0);
    assert_int_equal(got, 5);
    assert_memory_equal(out, "abcde", 5);
    assert_int_equal(tsrec_membuf_read(&m, out, 5, &got), 0);
    assert_int_equal(got, 3);
    assert_int_equal(tsrec_membuf_read(&m, out, 5, &got), 0);
    assert_int_equal(got, 0);
    assert_int_not_equal(tsrec_membuf_read(NULL, out, 5, &got), 0);
    assert_int_equal(got, 0);
    assert_int_not_equal(tsrec_membuf_read(&m, out, 5, NULL), 0);
    m.pos = 0;
    assert_int_not_equal(tsrec_membuf_read(&m, NULL, 5, &got), 0);
    m.pos = 9; /* past len: corrupt */
    assert_int_not_equal(tsrec_membuf_read(&m, out, 5, &got), 0);
}

/* ---- files ---------------------------------------------------------------------- */

static void test_file_roundtrip_and_info(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/model.tsrec", dir);
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    fill_payload(&b, 21, 100000);
    tsrec__handle h;
    tsrec__handle_init(&h, 0, ctx);
    assert_int_equal(tsrec__container_save(&h, TSREC_OBJECT_EVENT_TRACKER, 4, &b, path), TSREC_OK);
    assert_string_equal(h.errmsg, "");
    assert_int_equal(count_entries(dir, ".tmp-"), 0);

    tsrec__payload p;
    assert_int_equal(tsrec__container_load(&h, ctx, TSREC_OBJECT_EVENT_TRACKER, 4, path, &p), TSREC_OK);
    assert_int_equal(p.len, b.len);
    assert_memory_equal(p.data, b.data, b.len);
    assert_int_equal(p.state_version, 4);
    tsrec__payload_free(&p);

    int32_t type = 0, format = 0, st = 0;
    assert_int_equal(tsrec_file_info(ctx, path, &type, &format, &st), TSREC_OK);
    assert_int_equal(type, TSREC_OBJECT_EVENT_TRACKER);
    assert_int_equal(format, (int32_t)TSREC__CONTAINER_FORMAT);
    assert_int_equal(st, 4);
    assert_string_equal(tsrec_errmsg(ctx), "");

    /* Load errors name the path. */
    assert_int_equal(tsrec__container_load(&h, ctx, TSREC_OBJECT_FILTER, 4, path, &p), TSREC_E_FORMAT);
    assert_non_null(strstr(h.errmsg, path));
    assert_non_null(strstr(h.errmsg, "file holds an event tracker, not a filter"));

    /* A save over the file replaces it; a relative-looking dir works. */
    tsrec__wbuf b2;
    tsrec__wbuf_init(&b2, ctx);
    fill_payload(&b2, 22, 500);
    assert_int_equal(tsrec__container_save(NULL, TSREC_OBJECT_EVENT_TRACKER, 4, &b2, path), TSREC_OK);
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_EVENT_TRACKER, 4, path, &p), TSREC_OK);
    assert_int_equal(p.len, b2.len);
    assert_memory_equal(p.data, b2.data, b2.len);
    tsrec__payload_free(&p);
    assert_int_equal(count_entries(dir, ".tmp-"), 0);

    /* A stale temp file of our own pid (a crashed earlier process with the
     * same pid) does not block the next save. */
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    write_file(tmp, "junk", 4);
    assert_int_equal(tsrec__container_save(NULL, TSREC_OBJECT_EVENT_TRACKER, 4, &b, path), TSREC_OK);
    assert_int_equal(count_entries(dir, ".tmp-"), 0);
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_EVENT_TRACKER, 4, path, &p), TSREC_OK);
    assert_int_equal(p.len, b.len);
    tsrec__payload_free(&p);

    /* A file in the current folder (no slash in the path). */
    char cwd[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(tsrec__container_save(NULL, TSREC_OBJECT_FILTER, 1, &b2, "here.tsrec"), TSREC_OK);
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_FILTER, 1, "here.tsrec", &p), TSREC_OK);
    tsrec__payload_free(&p);
    assert_int_equal(chdir(cwd), 0);

    tsrec__wbuf_free(&b);
    tsrec__wbuf_free(&b2);
    remove_dir(dir);
    tu_ctx_free_checked(ctx);
}

static void test_failed_saves_keep_the_old_file(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    char dir[64], path[128], tmp[160], sub[160];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/old.tsrec", dir);
    tsrec__wbuf old, big;
    tsrec__wbuf_init(&old, ctx);
    tsrec__wbuf_init(&big, ctx);
    fill_payload(&old, 1, 200);
    /* Incompressible: its compressed size is about its size. */
    uint64_t s = 9;
    for (int i = 0; i < 50000; i++)
        tsrec__wbuf_u8(&big, (uint8_t)lcg(&s));
    assert_int_equal(tsrec__container_save(NULL, TSREC_OBJECT_FILTER, 1, &old, path), TSREC_OK);

    tsrec__handle h;
    tsrec__handle_init(&h, 0, ctx);
    tsrec__payload p;

    /* 1. Writes fail half-way (file size limit: EFBIG). */
    struct rlimit saved, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = saved;
    lim.rlim_cur = 10000;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = tsrec__container_save(&h, TSREC_OBJECT_FILTER, 1, &big, path);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(rc, TSREC_E_IO);
    assert_non_null(strstr(h.errmsg, "cannot write"));
    assert_non_null(strstr(h.errmsg, path));
    assert_non_null(strstr(h.errmsg, strerror(EFBIG)));
    assert_int_equal(count_entries(dir, ".tmp-"), 0);
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_FILTER, 1, path, &p), TSREC_OK);
    assert_int_equal(p.len, old.len);
    assert_memory_equal(p.data, old.data, old.len);
    tsrec__payload_free(&p);

    /* 2. The temp file cannot be created (a folder is in its way). */
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    assert_int_equal(mkdir(tmp, 0755), 0);
    assert_int_equal(tsrec__container_save(&h, TSREC_OBJECT_FILTER, 1, &big, path), TSREC_E_IO);
    assert_non_null(strstr(h.errmsg, "cannot create"));
    assert_int_equal(rmdir(tmp), 0);
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_FILTER, 1, path, &p), TSREC_OK);
    assert_memory_equal(p.data, old.data, old.len);
    tsrec__payload_free(&p);

    /* 3. The target is a folder: the rename fails, the folder stays. */
    snprintf(sub, sizeof sub, "%s/folder", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(tsrec__container_save(&h, TSREC_OBJECT_FILTER, 1, &old, sub), TSREC_E_IO);
    assert_non_null(strstr(h.errmsg, sub));
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(count_entries(dir, ".tmp-"), 0);
    /* Loading a folder is IO too. */
    assert_int_equal(tsrec__container_load(&h, ctx, TSREC_OBJECT_FILTER, 1, sub, &p), TSREC_E_IO);
    assert_non_null(strstr(h.errmsg, sub));

    /* 4. The folder does not exist. */
    char missing[200];
    snprintf(missing, sizeof missing, "%s/no/such/x.tsrec", dir);
    assert_int_equal(tsrec__container_save(&h, TSREC_OBJECT_FILTER, 1, &old, missing), TSREC_E_IO);
    assert_non_null(strstr(h.errmsg, strerror(ENOENT)));
    assert_int_equal(tsrec__container_load(&h, ctx, TSREC_OBJECT_FILTER, 1, missing, &p), TSREC_E_IO);
    assert_non_null(strstr(h.errmsg, missing));

    /* 5. A failed payload, NULL and empty paths. */
    assert_int_equal(tsrec__container_save(&h, TSREC_OBJECT_FILTER, 1, &old, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec__container_save(&h, TSREC_OBJECT_FILTER, 1, &old, ""), TSREC_E_MISUSE);
    assert_int_equal(tsrec__container_save(&h, TSREC_OBJECT_FILTER, 1, NULL, path), TSREC_E_MISUSE);
    assert_int_equal(tsrec__container_load(&h, ctx, TSREC_OBJECT_FILTER, 1, NULL, &p), TSREC_E_MISUSE);
    assert_int_equal(tsrec__container_load(&h, NULL, TSREC_OBJECT_FILTER, 1, path, &p), TSREC_E_MISUSE);
    old.status = TSREC_E_NOMEM;
    assert_int_equal(tsrec__container_save(&h, TSREC_OBJECT_FILTER, 1, &old, path), TSREC_E_NOMEM);
    old.status = TSREC_OK;
    assert_int_equal(count_entries(dir, ".tmp-"), 0);

    /* Still the old file. */
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_FILTER, 1, path, &p), TSREC_OK);
    assert_memory_equal(p.data, old.data, old.len);
    tsrec__payload_free(&p);
    tsrec__wbuf_free(&old);
    tsrec__wbuf_free(&big);
    remove_dir(dir);
    tu_ctx_free_checked(ctx);
}

/* Child of the kill test: save versions A and B alternately forever. */
static void saver_child(const char *path, size_t size)
{
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK)
        _exit(2);
    tsrec__wbuf v[2];
    for (int k = 0; k < 2; k++) {
        tsrec__wbuf_init(&v[k], ctx);
        fill_payload(&v[k], 100 + (uint64_t)k, size);
    }
    for (unsigned i = 0;; i++)
        if (tsrec__container_save(NULL, TSREC_OBJECT_SOLUTION, 1, &v[i % 2], path) != TSREC_OK)
            _exit(3);
}

static void test_kill9_during_saves(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/live.tsrec", dir);
    const size_t size = 1u << 20;
    tsrec__wbuf v[2];
    for (int k = 0; k < 2; k++) {
        tsrec__wbuf_init(&v[k], ctx);
        fill_payload(&v[k], 100 + (uint64_t)k, size);
    }
    /* Kill within a few save durations, measured here (slower under
     * sanitizers), so rounds hit before, during and after renames. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(tsrec__container_save(NULL, TSREC_OBJECT_SOLUTION, 1, &v[0], path), TSREC_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long save_ns = (long)(t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
    long window_ns = 4 * save_ns + 20000000L;
    if (window_ns > 900000000L)
        window_ns = 900000000L;
    uint64_t seed = 12345;
    int seen[2] = {0, 0};
    for (int round = 0; round < 10; round++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            saver_child(path, size);
        struct timespec ts = {0, (long)(lcg(&seed) % (uint64_t)window_ns)};
        nanosleep(&ts, NULL);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status)); /* it was still saving, not failed */
        tsrec__payload p;
        assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_SOLUTION, 1, path, &p), TSREC_OK);
        assert_int_equal(p.len, size);
        int which = memcmp(p.data, v[0].data, size) == 0 ? 0 : memcmp(p.data, v[1].data, size) == 0 ? 1 : -1;
        assert_true(which >= 0);
        seen[which]++;
        tsrec__payload_free(&p);
    }
    print_message("# kill -9 rounds: one save %.1f ms; version A %d times, version B %d times, "
                  "%d stale temp files\n",
                  save_ns / 1e6, seen[0], seen[1], count_entries(dir, ".tmp-"));
    /* Killed children may leave temp files under their own pids; saving
     * and loading still work. */
    assert_int_equal(tsrec__container_save(NULL, TSREC_OBJECT_SOLUTION, 1, &v[1], path), TSREC_OK);
    tsrec__payload p;
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_SOLUTION, 1, path, &p), TSREC_OK);
    assert_memory_equal(p.data, v[1].data, size);
    tsrec__payload_free(&p);
    for (int k = 0; k < 2; k++)
        tsrec__wbuf_free(&v[k]);
    remove_dir(dir);
    tu_ctx_free_checked(ctx);
}

static void test_file_truncated_at_every_offset(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    char dir[64], path[128], cut[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/small.tsrec", dir);
    snprintf(cut, sizeof cut, "%s/cut.tsrec", dir);
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_str(&b, "truncate me");
    tsrec__wbuf_i64(&b, 5);
    assert_int_equal(tsrec__container_save(NULL, TSREC_OBJECT_CAMPAIGN, 1, &b, path), TSREC_OK);
    size_t len = 0;
    unsigned char *file = to_memory(ctx, TSREC_OBJECT_CAMPAIGN, 1, &b, &len);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal((size_t)st.st_size, len);
    for (size_t n = 0; n < len; n++) {
        write_file(cut, file, n);
        tsrec__payload p;
        int rc = tsrec__container_load(NULL, ctx, TSREC_OBJECT_CAMPAIGN, 1, cut, &p);
        assert_true(rc == TSREC_E_FORMAT || rc == TSREC_E_IO);
        assert_null(p.data);
        int32_t t, f, sv;
        rc = tsrec_file_info(ctx, cut, &t, &f, &sv);
        if (n < TSREC__CONTAINER_HEADER)
            assert_int_equal(rc, TSREC_E_FORMAT);
        else
            assert_int_equal(rc, TSREC_OK); /* only the header is read */
    }
    free(file);
    tsrec__wbuf_free(&b);
    remove_dir(dir);
    tu_ctx_free_checked(ctx);
}

static void test_file_info_misuse_and_foreign(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/text.csv", dir);
    write_file(path, "a,b,c\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n13,14,15\n16,17,18\n", 49);
    int32_t t = 9, f = 9, sv = 9;
    assert_int_equal(tsrec_file_info(NULL, path, &t, &f, &sv), TSREC_E_MISUSE);
    struct tsrec_ctx freed;
    memset(&freed, 0, sizeof freed);
    freed.hdr.magic = TSREC__MAGIC_FREED;
    assert_int_equal(tsrec_file_info(&freed, path, &t, &f, &sv), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "freed"));
    freed.hdr.magic = 0x54535858u; /* some other handle type */
    assert_int_equal(tsrec_file_info(&freed, path, &t, &f, &sv), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "not a ctx"));
    assert_int_equal(tsrec_file_info(ctx, NULL, &t, &f, &sv), TSREC_E_MISUSE);
    assert_int_equal(tsrec_file_info(ctx, path, NULL, &f, &sv), TSREC_E_MISUSE);
    assert_int_equal(tsrec_file_info(ctx, path, &t, NULL, &sv), TSREC_E_MISUSE);
    assert_int_equal(tsrec_file_info(ctx, path, &t, &f, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_errcode(ctx), TSREC_E_MISUSE);

    assert_int_equal(tsrec_file_info(ctx, path, &t, &f, &sv), TSREC_E_FORMAT);
    assert_non_null(strstr(tsrec_errmsg(ctx), "not a libtsrec file"));
    assert_non_null(strstr(tsrec_errmsg(ctx), path));
    assert_int_equal(t, 0);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.tsrec", dir);
    assert_int_equal(tsrec_file_info(ctx, missing, &t, &f, &sv), TSREC_E_IO);
    assert_non_null(strstr(tsrec_errmsg(ctx), missing));
    assert_int_equal(tsrec_file_info(ctx, dir, &t, &f, &sv), TSREC_E_IO);

    /* A newer format: VERSION, reported by both info and load. */
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_u32(&b, 1);
    size_t len = 0;
    unsigned char *file = to_memory(ctx, TSREC_OBJECT_FORECAST, 1, &b, &len);
    patch_header(file, 8, 7);
    snprintf(path, sizeof path, "%s/future.tsrec", dir);
    write_file(path, file, len);
    assert_int_equal(tsrec_file_info(ctx, path, &t, &f, &sv), TSREC_E_VERSION);
    tsrec__payload p;
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_FORECAST, 1, path, &p), TSREC_E_VERSION);
    /* A newer state version: info reports it, load refuses it. */
    patch_header(file, 8, TSREC__CONTAINER_FORMAT);
    patch_header(file, 16, 5);
    write_file(path, file, len);
    assert_int_equal(tsrec_file_info(ctx, path, &t, &f, &sv), TSREC_OK);
    assert_int_equal(sv, 5);
    assert_int_equal(t, TSREC_OBJECT_FORECAST);
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_FORECAST, 4, path, &p), TSREC_E_VERSION);
    assert_int_equal(tsrec__container_load(NULL, ctx, TSREC_OBJECT_FORECAST, 5, path, &p), TSREC_OK);
    tsrec__payload_free(&p);
    free(file);
    tsrec__wbuf_free(&b);
    remove_dir(dir);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars_layout_and_roundtrip),
        cmocka_unit_test(test_strings_and_arrays_roundtrip),
        cmocka_unit_test(test_reader_overread_is_sticky),
        cmocka_unit_test(test_counts_and_corrupt_strings_refused),
        cmocka_unit_test(test_writer_misuse_is_sticky),
        cmocka_unit_test(test_membuf_roundtrip_and_header),
        cmocka_unit_test(test_empty_payload),
        cmocka_unit_test(test_byte_at_a_time_reader),
        cmocka_unit_test(test_writer_failing_after_every_byte),
        cmocka_unit_test(test_truncation_bitflips_and_trailing_data),
        cmocka_unit_test(test_foreign_and_newer_inputs),
        cmocka_unit_test(test_membuf_callbacks),
        cmocka_unit_test(test_file_roundtrip_and_info),
        cmocka_unit_test(test_failed_saves_keep_the_old_file),
        cmocka_unit_test(test_kill9_during_saves),
        cmocka_unit_test(test_file_truncated_at_every_offset),
        cmocka_unit_test(test_file_info_misuse_and_foreign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
