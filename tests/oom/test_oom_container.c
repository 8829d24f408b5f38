/* OOM: building a payload, writing a container to a stream and to a file,
 * reading it back from a stream and from a file, and decoding strings and
 * arrays fail with TSREC_E_NOMEM at every allocation, leak nothing, and
 * succeed once memory is available. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container_internal.h"
#include "core_internal.h"

typedef int (*op_fn)(tsrec_ctx *ctx, void *arg);

/* Run op failing the Nth allocation for N = 1, 2, ... until it succeeds;
 * returns how many allocations the successful run made. */
static int64_t every_n(op_fn op, void *arg)
{
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        fa.fail_at = n;
        int rc = op(ctx, arg);
        if (fa.failures == 0) {
            assert_int_equal(rc, TSREC_OK);
            tu_ctx_free_checked(ctx);
            assert_true(n > 1);
            return n - 1;
        }
        if (rc != TSREC_E_NOMEM)
            fail_msg("allocation %lld failed: got %s (%s)", (long long)n, tsrec_status_str(rc),
                     tsrec_last_error());
        tu_ctx_free_checked(ctx);
        assert_true(n < 10000);
    }
}

/* A payload with every field type; big enough to need several growths of
 * the buffer and more than one 64 KiB compressed block. */
static void build(tsrec__wbuf *b)
{
    static const int32_t i32[] = {1, -2, 3};
    static const int64_t i64[] = {INT64_MIN, 0};
    static const float f32[] = {1.5f, -0.0f};
    static const double f64[] = {2.5, -1e300, 0.0};
    tsrec__wbuf_str(b, "name");
    tsrec__wbuf_str(b, NULL);
    tsrec__wbuf_i32s(b, i32, 3);
    tsrec__wbuf_i64s(b, i64, 2);
    tsrec__wbuf_f32s(b, f32, 2);
    tsrec__wbuf_f64s(b, f64, 3);
    uint64_t s = 1;
    for (int i = 0; i < 100000; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        tsrec__wbuf_u8(b, (uint8_t)(s >> 56));
    }
}

/* Build and write to a caller buffer (memory grows through the ctx). */
static int op_write(tsrec_ctx *ctx, void *arg)
{
    tsrec_membuf *m = arg;
    m->len = 0;
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    build(&b);
    int rc = tsrec__container_write(NULL, TSREC_OBJECT_SOLUTION, 1, &b, tsrec_membuf_write, m);
    tsrec__wbuf_free(&b);
    return rc;
}

/* Read the container and decode every field. */
static int op_read(tsrec_ctx *ctx, void *arg)
{
    const tsrec_membuf *src = arg;
    tsrec_membuf m = *src;
    m.pos = 0;
    tsrec__payload p;
    int rc = tsrec__container_read(NULL, ctx, TSREC_OBJECT_SOLUTION, 1, tsrec_membuf_read, &m, &p);
    if (rc != TSREC_OK)
        return rc;
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, p.data, p.len);
    char *s1 = NULL, *s2 = NULL;
    int32_t *a = NULL;
    int64_t *b = NULL;
    float *c = NULL;
    double *d = NULL;
    int64_t n = 0;
    if ((rc = tsrec__rbuf_str(&r, ctx, &s1)) == TSREC_OK && (rc = tsrec__rbuf_str(&r, ctx, &s2)) == TSREC_OK &&
        (rc = tsrec__rbuf_i32s(&r, ctx, &a, &n)) == TSREC_OK &&
        (rc = tsrec__rbuf_i64s(&r, ctx, &b, &n)) == TSREC_OK &&
        (rc = tsrec__rbuf_f32s(&r, ctx, &c, &n)) == TSREC_OK &&
        (rc = tsrec__rbuf_f64s(&r, ctx, &d, &n)) == TSREC_OK) {
        if (strcmp(s1, "name") != 0 || s2 != NULL || a[1] != -2 || b[0] != INT64_MIN || c[0] != 1.5f ||
            d[2] != 0.0 || n != 3)
            rc = TSREC_E_FORMAT;
    }
    tsrec__free(ctx, s1);
    tsrec__free(ctx, a);
    tsrec__free(ctx, b);
    tsrec__free(ctx, c);
    tsrec__free(ctx, d);
    tsrec__payload_free(&p);
    return rc;
}

static int op_save(tsrec_ctx *ctx, void *arg)
{
    const char *path = arg;
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    build(&b);
    int rc = tsrec__container_save(NULL, TSREC_OBJECT_SOLUTION, 1, &b, path);
    tsrec__wbuf_free(&b);
    return rc;
}

static int op_load(tsrec_ctx *ctx, void *arg)
{
    const char *path = arg;
    tsrec__payload p;
    int rc = tsrec__container_load(NULL, ctx, TSREC_OBJECT_SOLUTION, 1, path, &p);
    if (rc == TSREC_OK && p.len < 100000)
        rc = TSREC_E_FORMAT;
    tsrec__payload_free(&p);
    return rc;
}

static void test_oom_write_and_read(void **state)
{
    (void)state;
    /* The size first, then the real buffer. */
    tsrec_membuf q = {NULL, 0, 0, 0};
    every_n(op_write, &q);
    tsrec_membuf m = {malloc(q.len), q.len, 0, 0};
    assert_non_null(m.data);
    int64_t allocs = every_n(op_write, &m);
    assert_int_equal(m.len, q.len);
    print_message("# write: %lld allocations\n", (long long)allocs);
    allocs = every_n(op_read, &m);
    print_message("# read: %lld allocations\n", (long long)allocs);
    free(m.data);
}

static void test_oom_save_and_load(void **state)
{
    (void)state;
    char dir[64], path[128];
    snprintf(dir, sizeof dir, "/tmp/tsrec_oom_container_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/x.tsrec", dir);
    every_n(op_save, path);
    every_n(op_load, path);
    /* No temp file left behind by any of the failed saves. */
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    assert_int_not_equal(access(tmp, F_OK), 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_write_and_read),
        cmocka_unit_test(test_oom_save_and_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
