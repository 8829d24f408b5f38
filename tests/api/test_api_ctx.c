/* Public API misuse and contract tests: ctx, errors, version. */
#include "test_util.h"
#include "tsrec_config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* An allocator that never returns memory to the system until the test
 * ends, so a freed handle can be passed back safely (even under ASan) to
 * check that the library recognises it as freed. */
typedef struct {
    void *blocks[64];
    int n;
} keep_alloc;

static void *ka_alloc(void *ud, size_t size, size_t align)
{
    keep_alloc *k = ud;
    void *p = NULL;
    if (posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align, size) != 0)
        return NULL;
    if (k->n < 64)
        k->blocks[k->n++] = p;
    return p;
}
static void *ka_realloc(void *ud, void *ptr, size_t old, size_t size, size_t align)
{
    void *p = ka_alloc(ud, size, align);
    if (p)
        memcpy(p, ptr, old < size ? old : size);
    return p;
}
static void ka_free(void *ud, void *ptr, size_t size)
{
    (void)ud;
    (void)ptr;
    (void)size; /* kept until the test releases everything */
}
static void ka_release(keep_alloc *k)
{
    for (int i = 0; i < k->n; i++)
        free(k->blocks[i]);
    k->n = 0;
}

static void test_status_strings(void **state)
{
    (void)state;
    assert_string_equal(tsrec_status_str(TSREC_OK), "TSREC_OK");
    assert_string_equal(tsrec_status_str(TSREC_E_NOMEM), "TSREC_E_NOMEM");
    assert_string_equal(tsrec_status_str(TSREC_E_MISUSE), "TSREC_E_MISUSE");
    assert_string_equal(tsrec_status_str(-5), "TSREC_E_UNKNOWN");
    assert_string_equal(tsrec_status_str(99999), "TSREC_E_UNKNOWN");
    /* pinned values: never renumbered */
    assert_int_equal(TSREC_E_MISUSE, 1);
    assert_int_equal(TSREC_E_NOMEM, 100);
    assert_int_equal(TSREC_E_SHAPE, 200);
    assert_int_equal(TSREC_E_NOT_CONVERGED, 300);
    assert_int_equal(TSREC_E_FORMAT, 400);
    assert_int_equal(TSREC_E_PLUGIN, 500);
    /* every known code has a distinct name */
    const int codes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 101, 102, 200, 201, 202, 203,
                         204, 205, 300, 301, 302, 400, 401, 500};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_string_not_equal(tsrec_status_str(codes[i]), "TSREC_E_UNKNOWN");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(tsrec_status_str(codes[i]), tsrec_status_str(codes[j]));
    }
}

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(tsrec_version_string(), TSREC_VERSION_STRING);
    assert_int_equal(tsrec_version_number(), TSREC_VERSION_NUMBER);
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%d.%d", TSREC_VERSION_MAJOR, TSREC_VERSION_MINOR,
             TSREC_VERSION_PATCH);
    assert_string_equal(buf, tsrec_version_string());
    assert_true(TSREC_AT_LEAST_VERSION(0, 1, 0));
    const char *info = tsrec_build_info();
    assert_non_null(info);
    assert_int_equal(info[0], '{');
    assert_int_equal(info[strlen(info) - 1], '}');
    assert_non_null(strstr(info, "\"blas\""));
    assert_non_null(strstr(info, "\"lapacke\""));
    assert_non_null(strstr(info, "\"zlib\""));
    assert_non_null(strstr(info, "\"threading\""));
#if TSREC_WITH_FORECAST
    /* The registry's algorithms, in registry order. */
    assert_non_null(strstr(info, "\"forecast\":true"));
    assert_non_null(strstr(info, "\"algorithms\":[\"ETS\",\"NPTS\",\"Naive\","
                                 "\"SeasonalNaive\",\"Theta\"]}"));
#else
    assert_non_null(strstr(info, "\"algorithms\":[]}"));
#endif
    assert_ptr_equal(info, tsrec_build_info()); /* stable storage */
}

static void test_options_init(void **state)
{
    (void)state;
    tsrec_ctx_options o;
    memset(&o, 0xAB, sizeof o);
    assert_int_equal(tsrec_ctx_options_init(&o), TSREC_OK);
    assert_int_equal(o.struct_size, sizeof o);
    assert_int_equal(o.n_threads, 1);
    assert_null(o.allocator.alloc);
    assert_int_equal(o.memory_limit, 0);
    assert_int_equal(tsrec_ctx_options_init(NULL), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "NULL"));
}

static void test_ctx_new_bad_args(void **state)
{
    (void)state;
    assert_int_equal(tsrec_ctx_new(NULL, NULL), TSREC_E_MISUSE);
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    tsrec_ctx *ctx = (tsrec_ctx *)0x1;
    o.n_threads = 0;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_E_OUT_OF_RANGE);
    assert_null(ctx);
    assert_non_null(strstr(tsrec_last_error(), "n_threads"));
    o.n_threads = -3;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_E_OUT_OF_RANGE);
    tsrec_ctx_options_init(&o);
    o.allocator.alloc = ka_alloc; /* incomplete hook set */
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_E_INVALID_ARG);
    assert_non_null(strstr(tsrec_last_error(), "allocator"));
    tsrec_ctx_options_init(&o);
    o.struct_size = 4; /* uninitialised options */
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "tsrec_ctx_options_init"));
}

/* An options struct from an older header (only the fields up to seed) must
 * work, with defaults for the rest. */
static void test_ctx_new_old_struct(void **state)
{
    (void)state;
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.seed = 7;
    o.n_threads = 2;
    o.struct_size = (uint32_t)(offsetof(tsrec_ctx_options, seed) + sizeof o.seed);
    o.log_level = 99; /* beyond struct_size: must be ignored */
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    uint64_t seed = 0;
    int32_t threads = 0;
    assert_int_equal(tsrec_ctx_get_seed(ctx, &seed), TSREC_OK);
    assert_int_equal(tsrec_ctx_get_threads(ctx, &threads), TSREC_OK);
    assert_int_equal(seed, 7);
    assert_int_equal(threads, 2);
    tu_ctx_free_checked(ctx);
}

static void test_null_handles(void **state)
{
    (void)state;
    int32_t t;
    uint64_t s;
    assert_int_equal(tsrec_ctx_set_threads(NULL, 2), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "NULL"));
    assert_int_equal(tsrec_ctx_set_seed(NULL, 2), TSREC_E_MISUSE);
    assert_int_equal(tsrec_ctx_set_memory_limit(NULL, 2), TSREC_E_MISUSE);
    assert_int_equal(tsrec_ctx_get_threads(NULL, &t), TSREC_E_MISUSE);
    assert_int_equal(tsrec_ctx_get_seed(NULL, &s), TSREC_E_MISUSE);
    assert_int_equal(tsrec_ctx_memory_stats(NULL, NULL, NULL, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_ctx_reset_peak(NULL), TSREC_E_MISUSE);
    tsrec_ctx_free(NULL); /* no-op */
    assert_non_null(strstr(tsrec_errmsg(NULL), "NULL"));
    assert_int_equal(tsrec_errcode(NULL), TSREC_E_MISUSE);

    tsrec_ctx *ctx = tu_ctx_new();
    assert_int_equal(tsrec_ctx_get_threads(ctx, NULL), TSREC_E_MISUSE);
    assert_int_equal(tsrec_ctx_get_seed(ctx, NULL), TSREC_E_MISUSE);
    tu_ctx_free_checked(ctx);
}

static void test_wrong_type_handle(void **state)
{
    (void)state;
    /* Something that is not a libtsrec handle at all. */
    uint64_t junk[80] = {0x1234567812345678ull};
    tsrec_ctx *fake = (tsrec_ctx *)junk;
    assert_int_equal(tsrec_ctx_set_seed(fake, 1), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "not a tsrec_ctx"));
    assert_non_null(strstr(tsrec_errmsg(junk), "not a libtsrec handle"));
    tsrec_ctx_free(fake); /* ignored, no crash */
}

static void test_freed_handle(void **state)
{
    (void)state;
    keep_alloc k = {{0}, 0};
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.allocator.alloc = ka_alloc;
    o.allocator.realloc = ka_realloc;
    o.allocator.free = ka_free;
    o.allocator.user_data = &k;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    tsrec_ctx_free(ctx);
    /* the memory is still there (ka_free keeps it); the magic says freed */
    assert_int_equal(tsrec_ctx_set_seed(ctx, 3), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "already freed"));
    assert_non_null(strstr(tsrec_errmsg(ctx), "freed"));
    tsrec_ctx_free(ctx); /* double free is ignored */
    ka_release(&k);
}

static void test_per_handle_errmsg(void **state)
{
    (void)state;
    tsrec_ctx *a = tu_ctx_new(), *b = tu_ctx_new();
    assert_int_equal(tsrec_ctx_set_threads(a, 5000), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec_errcode(a), TSREC_E_OUT_OF_RANGE);
    assert_non_null(strstr(tsrec_errmsg(a), "5000"));
    assert_string_equal(tsrec_errmsg(b), "");
    assert_non_null(strstr(tsrec_last_error(), "5000"));
    /* a later success clears the handle's message */
    assert_int_equal(tsrec_ctx_set_threads(a, 2), TSREC_OK);
    assert_string_equal(tsrec_errmsg(a), "");
    assert_int_equal(tsrec_errcode(a), TSREC_OK);
    tu_ctx_free_checked(a);
    tu_ctx_free_checked(b);
}

static void test_settings_roundtrip(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    int32_t t = 0;
    uint64_t s = 0;
    assert_int_equal(tsrec_ctx_set_threads(ctx, 3), TSREC_OK);
    assert_int_equal(tsrec_ctx_get_threads(ctx, &t), TSREC_OK);
    assert_int_equal(t, 3);
    assert_int_equal(tsrec_ctx_set_threads(ctx, 0), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec_ctx_get_threads(ctx, &t), TSREC_OK);
    assert_int_equal(t, 3); /* unchanged by the failed call */
    assert_int_equal(tsrec_ctx_set_seed(ctx, UINT64_MAX), TSREC_OK);
    assert_int_equal(tsrec_ctx_get_seed(ctx, &s), TSREC_OK);
    assert_true(s == UINT64_MAX);
    tu_ctx_free_checked(ctx);
}

typedef struct {
    int calls;
    int32_t last_level;
    char last[256];
} log_sink;

static void sink_log(void *ud, int32_t level, const char *msg)
{
    log_sink *s = ud;
    s->calls++;
    s->last_level = level;
    snprintf(s->last, sizeof s->last, "%s", msg);
}

/* Freeing a ctx with live allocations warns through the log callback. */
#include "core_internal.h"
static void test_leak_warning_logged(void **state)
{
    (void)state;
    log_sink sink = {0, 0, ""};
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.log = sink_log;
    o.log_user_data = &sink;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    void *p = tsrec__alloc(ctx, 100);
    assert_non_null(p);
    tsrec__log(ctx, TSREC_LOG_DEBUG, "dropped: above level");
    assert_int_equal(sink.calls, 0);
    tsrec__free(ctx, p);
    tsrec_ctx_free(ctx);
    assert_int_equal(sink.calls, 0); /* nothing leaked, nothing said */

    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    p = tsrec__alloc(ctx, 100);
    void *q = p; /* deliberately leaked into the ctx, then freed by hand */
    tsrec_ctx_free(ctx);
    assert_int_equal(sink.calls, 1);
    assert_int_equal(sink.last_level, TSREC_LOG_WARN);
    assert_non_null(strstr(sink.last, "1 allocations"));
    free((char *)q - 16); /* default allocator: header of 16 bytes */
}

static void test_memory_accounting(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    size_t live, peak;
    int64_t count;
    void *a = tsrec__alloc(ctx, 1000);
    void *b = tsrec__alloc_aligned(ctx, 3000, 64);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal((uintptr_t)b % 64, 0);
    assert_int_equal((uintptr_t)a % 16, 0);
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, &peak, &count), TSREC_OK);
    assert_int_equal(live, 4000);
    assert_int_equal(peak, 4000);
    assert_int_equal(count, 2);
    b = tsrec__realloc(ctx, b, 5000);
    assert_non_null(b);
    assert_int_equal((uintptr_t)b % 64, 0);
    assert_int_equal(tsrec__alloc_size(b), 5000);
    tsrec__free(ctx, a);
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, &peak, &count), TSREC_OK);
    assert_int_equal(live, 5000);
    assert_int_equal(peak, 6000);
    assert_int_equal(count, 1);
    assert_int_equal(tsrec_ctx_reset_peak(ctx), TSREC_OK);
    assert_int_equal(tsrec_ctx_memory_stats(ctx, NULL, &peak, NULL), TSREC_OK);
    assert_int_equal(peak, 5000);
    tsrec__free(ctx, b);
    /* calloc overflow is refused */
    assert_null(tsrec__calloc(ctx, SIZE_MAX / 2, 4));
    assert_null(tsrec__alloc(ctx, SIZE_MAX - 8));
    assert_null(tsrec__alloc_aligned(ctx, 10, 48)); /* not a power of two */
    tu_ctx_free_checked(ctx);
}

static void test_memory_limit(void **state)
{
    (void)state;
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.memory_limit = 10000;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    void *a = tsrec__alloc(ctx, 6000);
    assert_non_null(a);
    assert_null(tsrec__alloc(ctx, 6000)); /* would exceed the limit */
    assert_null(tsrec__realloc(ctx, a, 12000));
    assert_int_equal(tsrec__alloc_size(a), 6000); /* untouched */
    void *b = tsrec__alloc(ctx, 4000);
    assert_non_null(b);
    size_t live;
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, NULL, NULL), TSREC_OK);
    assert_int_equal(live, 10000);
    tsrec__free(ctx, b);
    assert_int_equal(tsrec_ctx_set_memory_limit(ctx, 0), TSREC_OK); /* lift it */
    a = tsrec__realloc(ctx, a, 12000);
    assert_non_null(a);
    tsrec__free(ctx, a);
    tu_ctx_free_checked(ctx);
}

static void test_string_dup(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    char *s = tsrec__strdup(ctx, "item_42");
    assert_string_equal(s, "item_42");
    tsrec__free(ctx, s);
    tsrec__free(ctx, NULL);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_options_init),
        cmocka_unit_test(test_ctx_new_bad_args),
        cmocka_unit_test(test_ctx_new_old_struct),
        cmocka_unit_test(test_null_handles),
        cmocka_unit_test(test_wrong_type_handle),
        cmocka_unit_test(test_freed_handle),
        cmocka_unit_test(test_per_handle_errmsg),
        cmocka_unit_test(test_settings_roundtrip),
        cmocka_unit_test(test_leak_warning_logged),
        cmocka_unit_test(test_memory_accounting),
        cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_string_dup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
