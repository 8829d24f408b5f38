/* OOM: every allocating tensor-core function fails the Nth allocation for
 * every N until it succeeds, returning TSREC_E_NOMEM and leaking nothing;
 * transient and persistent failure modes. */
#include "test_util.h"

#include <string.h>

#include "lapack_internal.h"
#include "tensor_internal.h"

enum { N = 6 };

typedef struct fixture {
    tu_failing_alloc fa;
    tsrec_ctx *ctx;
    tsrec__tensor A, B, X, L, w, s, U, Vt, Inv;
} fixture;

static tsrec__tensor mat(tsrec_ctx *ctx, int64_t r, int64_t c)
{
    tsrec__tensor t;
    const int64_t sh[2] = {r, c};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 2, sh), TSREC_OK);
    return t;
}

static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof(*f));
    f->ctx = tu_ctx_new_failing(&f->fa);
    f->A = mat(f->ctx, N, N);
    f->B = mat(f->ctx, N, 2);
    f->X = mat(f->ctx, N, 2);
    f->L = mat(f->ctx, N, N);
    f->Inv = mat(f->ctx, N, N);
    f->U = mat(f->ctx, N, N);
    f->Vt = mat(f->ctx, N, N);
    const int64_t n = N;
    assert_int_equal(tsrec__tensor_alloc(&f->w, f->ctx, NULL, TSREC__F64, 1, &n), TSREC_OK);
    assert_int_equal(tsrec__tensor_alloc(&f->s, f->ctx, NULL, TSREC__F64, 1, &n), TSREC_OK);
    /* A: diagonally dominant SPD; B: anything */
    double *a = f->A.data, *b = f->B.data;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            a[i * N + j] = i == j ? 10.0 + i : 1.0 / (1.0 + i + j);
    for (int i = 0; i < 2 * N; i++)
        b[i] = (double)(i % 5) - 2.0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    f->fa.fail_at = 0;
    tsrec__tensor *all[] = {&f->A, &f->B, &f->X, &f->L, &f->w, &f->s, &f->U, &f->Vt, &f->Inv};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(all); i++)
        tsrec__tensor_free(all[i]);
    tu_ctx_free_checked(f->ctx);
    test_free(f);
    return 0;
}

typedef int (*op_fn)(fixture *f);

/* Fail allocation n (then every later one when persistent) for n = 1, 2,
 * ... until op succeeds; each failure is NOMEM with no net allocation. */
static void every_n(fixture *f, op_fn op, int persistent)
{
    size_t live0 = 0;
    int64_t count0 = 0;
    assert_int_equal(tsrec_ctx_memory_stats(f->ctx, &live0, NULL, &count0), TSREC_OK);
    for (int64_t n = 1;; n++) {
        assert_true(n < 100);
        f->fa.calls = 0;
        f->fa.failures = 0;
        f->fa.persistent = persistent;
        f->fa.fail_at = n;
        int rc = op(f);
        f->fa.fail_at = 0;
        size_t live = 0;
        int64_t count = 0;
        assert_int_equal(tsrec_ctx_memory_stats(f->ctx, &live, NULL, &count), TSREC_OK);
        if (rc == TSREC_OK) {
            assert_int_equal(f->fa.failures, 0);
            assert_true(n > 1); /* the op did allocate, so n = 1 failed */
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_true(f->fa.failures > 0);
        assert_int_equal(count, count0);
        assert_int_equal(live, live0);
    }
}

static int op_alloc(fixture *f)
{
    tsrec__tensor t;
    const int64_t sh[3] = {2, 3, 4};
    int rc = tsrec__tensor_alloc(&t, f->ctx, NULL, TSREC__F32, 3, sh);
    tsrec__tensor_free(&t);
    return rc;
}

static int op_clone(fixture *f)
{
    tsrec__tensor t, tr;
    assert_int_equal(tsrec__tensor_transpose(&tr, &f->A, NULL, 0, 1), TSREC_OK);
    int rc = tsrec__tensor_clone(&t, &tr, f->ctx, NULL, TSREC__F32);
    tsrec__tensor_free(&t);
    return rc;
}

static int op_chol(fixture *f) { return tsrec__chol(f->ctx, NULL, &f->A, &f->L); }
static int op_chol_solve(fixture *f)
{
    int rc = tsrec__chol(f->ctx, NULL, &f->A, &f->L);
    return rc != TSREC_OK ? rc : tsrec__chol_solve(f->ctx, NULL, &f->L, &f->B, &f->X);
}
static int op_spd_solve(fixture *f) { return tsrec__spd_solve(f->ctx, NULL, &f->A, &f->B, &f->X); }
static int op_spd_inverse(fixture *f) { return tsrec__spd_inverse(f->ctx, NULL, &f->A, &f->Inv); }
static int op_solve(fixture *f) { return tsrec__solve(f->ctx, NULL, &f->A, &f->B, &f->X); }
static int op_lstsq_qr(fixture *f) { return tsrec__lstsq_qr(f->ctx, NULL, &f->A, &f->B, &f->X); }
static int op_lstsq_svd(fixture *f)
{
    return tsrec__lstsq_svd(f->ctx, NULL, &f->A, &f->B, -1.0, &f->X, NULL);
}
static int op_sym_eig(fixture *f) { return tsrec__sym_eig(f->ctx, NULL, &f->A, &f->w, &f->U); }
static int op_svd(fixture *f) { return tsrec__svd(f->ctx, NULL, &f->A, &f->s, &f->U, &f->Vt); }

static const op_fn ops[] = {op_alloc,       op_clone, op_chol,     op_chol_solve,
                            op_spd_solve,   op_spd_inverse, op_solve, op_lstsq_qr,
                            op_lstsq_svd,   op_sym_eig, op_svd};

static void test_transient(void **state)
{
    for (size_t i = 0; i < TSREC__ARRAY_LEN(ops); i++)
        every_n(*state, ops[i], 0);
}

static void test_persistent(void **state)
{
    for (size_t i = 0; i < TSREC__ARRAY_LEN(ops); i++)
        every_n(*state, ops[i], 1);
}

/* The NOMEM message names the function. */
static void test_message(void **state)
{
    fixture *f = *state;
    f->fa.calls = 0;
    f->fa.fail_at = 1;
    assert_int_equal(tsrec__svd(f->ctx, NULL, &f->A, &f->s, &f->U, &f->Vt), TSREC_E_NOMEM);
    f->fa.fail_at = 0;
    assert_non_null(strstr(tsrec_last_error(), "svd: out of memory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_transient, setup, teardown),
        cmocka_unit_test_setup_teardown(test_persistent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_message, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
