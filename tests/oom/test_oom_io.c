/* OOM: every allocating call of the input layer (CSV reader creation and
 * buffer growth, gzip source, file source, folder listing, JSON parse and
 * writer) fails cleanly with TSREC_E_NOMEM at every allocation, leaking
 * nothing, and succeeds once memory is available. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "core_internal.h"
#include "csv_internal.h"
#include "json_internal.h"

typedef int (*op_fn)(tsrec_ctx *ctx, void *arg);

/* Run op failing the Nth allocation for N = 1, 2, ... until it succeeds. */
static void every_n(op_fn op, void *arg)
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
            break;
        }
        if (rc != TSREC_E_NOMEM)
            fail_msg("allocation %lld failed: got %s (%s)", (long long)n, tsrec_status_str(rc),
                     tsrec_last_error());
        tu_ctx_free_checked(ctx);
        assert_true(n < 10000);
    }
}

/* Read every record; count them into *arg. */
static int drain(tsrec__csv_reader *r, int64_t *count)
{
    tsrec__csv_record rec;
    int rc;
    *count = 0;
    while ((rc = tsrec__csv_next(r, NULL, &rec)) == TSREC_OK && rec.n_fields > 0)
        (*count)++;
    return rc;
}

typedef struct csv_case {
    const unsigned char *data;
    size_t len;
    int64_t want;
} csv_case;

static int op_csv_memory(tsrec_ctx *ctx, void *arg)
{
    csv_case *c = arg;
    tsrec__source *src = NULL, *mem = NULL;
    int rc = tsrec__source_memory(ctx, NULL, c->data, c->len, 0, &mem);
    if (rc != TSREC_OK)
        return rc;
    rc = tsrec__source_auto(ctx, NULL, mem, "mem.gz", &src); /* owns mem */
    if (rc != TSREC_OK)
        return rc;
    tsrec__csv_reader *r = NULL;
    tsrec__csv_options o = {0, 0, 0, 16}; /* tiny buffer: growth allocates */
    rc = tsrec__csv_reader_new(ctx, NULL, src, &o, &r); /* owns src */
    if (rc != TSREC_OK)
        return rc;
    int64_t n = 0;
    rc = drain(r, &n);
    tsrec__csv_reader_free(r);
    if (rc == TSREC_OK)
        assert_int_equal(n, c->want);
    return rc;
}

static unsigned char *gzip_bytes(const char *data, size_t len, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)len) + 64;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

static void test_csv_reader_and_gzip(void **state)
{
    (void)state;
    static const char text[] =
        "a,\"a long quoted field, with a comma and \"\" quotes, to force growth\"\n"
        "b,2\nc,3\n";
    csv_case plain = {(const unsigned char *)text, sizeof text - 1, 3};
    every_n(op_csv_memory, &plain);
    size_t zlen;
    unsigned char *z = gzip_bytes(text, sizeof text - 1, &zlen);
    csv_case gz = {z, zlen, 3};
    every_n(op_csv_memory, &gz);
    free(z);
}

typedef struct path_case {
    const char *path;
    const char *dir;
} path_case;

static int op_file(tsrec_ctx *ctx, void *arg)
{
    path_case *c = arg;
    tsrec__source *src = NULL;
    int rc = tsrec__source_open_path(ctx, NULL, c->path, &src);
    if (rc != TSREC_OK)
        return rc;
    tsrec__csv_reader *r = NULL;
    rc = tsrec__csv_reader_new(ctx, NULL, src, NULL, &r);
    if (rc != TSREC_OK)
        return rc;
    int64_t n = 0;
    rc = drain(r, &n);
    tsrec__csv_reader_free(r);
    if (rc == TSREC_OK)
        assert_int_equal(n, 2);
    return rc;
}

static int op_dir(tsrec_ctx *ctx, void *arg)
{
    path_case *c = arg;
    char **list = NULL;
    int64_t n = 0;
    int rc = tsrec__dir_list(ctx, NULL, c->dir, &list, &n);
    if (rc == TSREC_OK) {
        assert_int_equal(n, 20);
        tsrec__dir_list_free(ctx, list, n);
    }
    return rc;
}

static void test_file_and_folder(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsrec_oom_io_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char paths[20][64];
    for (int i = 0; i < 20; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/f%02d.csv", dir, 19 - i);
        FILE *f = fopen(paths[i], "wb");
        assert_non_null(f);
        fputs("x,1\ny,2\n", f);
        fclose(f);
    }
    path_case c = {paths[0], dir};
    every_n(op_file, &c);
    every_n(op_dir, &c);
    for (int i = 0; i < 20; i++)
        unlink(paths[i]);
    rmdir(dir);
}

static int op_json(tsrec_ctx *ctx, void *arg)
{
    const char *text = arg;
    tsrec__json_doc *d = NULL;
    int rc = tsrec__json_parse(ctx, NULL, text, strlen(text), 0, &d);
    if (rc == TSREC_OK) {
        assert_int_equal(tsrec__json_len(tsrec__json_root(d)), 3);
        tsrec__json_free(d);
    } else {
        assert_null(d);
    }
    return rc;
}

static void test_json_parse(void **state)
{
    (void)state;
    /* > 32 array items and > 16 keys: scratch growth and the sorted
     * duplicate check both allocate; long strings force new arena chunks */
    char text[16384];
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof text - n, "{\"arr\":[");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s[%d,\"s%d\",1.5]", i ? "," : "", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "],\"obj\":{");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\"k%d\":%d", i ? "," : "", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "},\"long\":\"");
    for (int i = 0; i < 5000; i++)
        text[n++] = 'a' + (char)(i % 26);
    n += (size_t)snprintf(text + n, sizeof text - n, "\"}");
    every_n(op_json, text);
}

static int op_writer(tsrec_ctx *ctx, void *arg)
{
    (void)arg;
    tsrec__json_writer w;
    tsrec__jw_init(&w, ctx);
    tsrec__jw_array_begin(&w);
    for (int i = 0; i < 500; i++) {
        tsrec__jw_string(&w, "item", 4);
        tsrec__jw_double(&w, i * 0.5);
    }
    tsrec__jw_array_end(&w);
    const char *out = NULL;
    size_t len = 0;
    int rc = tsrec__jw_finish(&w, NULL, &out, &len);
    if (rc == TSREC_OK)
        assert_true(len > 4000);
    tsrec__jw_free(&w);
    return rc;
}

static void test_json_writer(void **state)
{
    (void)state;
    every_n(op_writer, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_reader_and_gzip),
        cmocka_unit_test(test_file_and_folder),
        cmocka_unit_test(test_json_parse),
        cmocka_unit_test(test_json_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
