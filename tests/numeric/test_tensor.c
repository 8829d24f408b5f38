/* Tensor core: creation, validation, views, element access, copy. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "tensor_internal.h"

static void test_alloc_contiguous(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__tensor t;
    const int64_t shape[4] = {2, 3, 5, 7};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 4, shape), TSREC_OK);
    assert_int_equal(t.ndim, 4);
    assert_int_equal(tsrec__tensor_numel(&t), 210);
    assert_int_equal(tsrec__tensor_nbytes(&t), 210 * sizeof(double));
    assert_int_equal(t.strides[3], 8);
    assert_int_equal(t.strides[2], 56);
    assert_int_equal(t.strides[1], 280);
    assert_int_equal(t.strides[0], 840);
    assert_int_equal((uintptr_t)t.data % 64, 0);
    assert_true(tsrec__tensor_is_contiguous(&t));
    const double *d = t.data;
    for (int i = 0; i < 210; i++)
        assert_true(d[i] == 0.0);
    tsrec__tensor_free(&t);
    assert_null(t.data);
    tsrec__tensor_free(&t); /* twice is harmless */
    tsrec__tensor_free(NULL);

    /* scalar and empty tensors */
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F32, 0, NULL), TSREC_OK);
    assert_int_equal(tsrec__tensor_numel(&t), 1);
    double v = -1;
    assert_int_equal(tsrec__tensor_set(&t, NULL, NULL, 2.5), TSREC_OK);
    assert_int_equal(tsrec__tensor_get(&t, NULL, NULL, &v), TSREC_OK);
    assert_true(v == 2.5);
    tsrec__tensor_free(&t);
    const int64_t empty[2] = {0, 9};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 2, empty), TSREC_OK);
    assert_int_equal(tsrec__tensor_numel(&t), 0);
    assert_true(tsrec__tensor_is_contiguous(&t));
    tsrec__tensor_free(&t);
    tu_ctx_free_checked(ctx);
}

static void test_alloc_misuse(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__tensor t;
    const int64_t shape[5] = {1, 2, 3, 4, 5};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 5, shape), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "ndim 5"));
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, -1, shape), TSREC_E_SHAPE);
    const int64_t neg[2] = {3, -2};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 2, neg), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "negative"));
    const int64_t huge[3] = {INT64_C(1) << 31, INT64_C(1) << 31, 4};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 3, huge), TSREC_E_SHAPE);
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, 7, 2, shape), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__tensor_alloc(&t, NULL, NULL, TSREC__F64, 2, shape), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__tensor_alloc(NULL, ctx, NULL, TSREC__F64, 2, shape), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 2, NULL), TSREC_E_INVALID_ARG);
    tsrec__tensor_free(&t); /* failed alloc leaves a freeable tensor */
    tu_ctx_free_checked(ctx);
}

static void test_view_validation(void **state)
{
    (void)state;
    double buf[24];
    for (int i = 0; i < 24; i++)
        buf[i] = i;
    tsrec__tensor t;
    const int64_t shape[2] = {4, 6};
    int64_t strides[2] = {48, 8};
    assert_int_equal(tsrec__tensor_view(&t, NULL, NULL, TSREC__F64, buf, 2, shape, strides), TSREC_OK);
    assert_true(tsrec__tensor_is_contiguous(&t));
    assert_int_equal(t.owns_data, 0);
    double v;
    const int64_t idx[2] = {2, 5};
    assert_int_equal(tsrec__tensor_get(&t, NULL, idx, &v), TSREC_OK);
    assert_true(v == 17.0);
    tsrec__tensor_free(&t); /* a view: buf untouched */
    assert_true(buf[23] == 23.0);

    strides[1] = 4; /* not a multiple of 8 */
    assert_int_equal(tsrec__tensor_view(&t, NULL, NULL, TSREC__F64, buf, 2, shape, strides),
                     TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "multiple"));
    /* extent overflow */
    const int64_t big[2] = {INT64_C(1) << 40, 2};
    const int64_t bigs[2] = {INT64_C(1) << 30, 8};
    assert_int_equal(tsrec__tensor_view(&t, NULL, NULL, TSREC__F64, buf, 2, big, bigs),
                     TSREC_E_SHAPE);
    const int64_t mins[2] = {INT64_MIN, 8};
    assert_int_equal(tsrec__tensor_view(&t, NULL, NULL, TSREC__F64, buf, 2, shape, mins),
                     TSREC_E_SHAPE);
    assert_int_equal(tsrec__tensor_view(&t, NULL, NULL, TSREC__F64, NULL, 2, shape, NULL),
                     TSREC_E_INVALID_ARG);
    const int64_t five[5] = {1, 1, 1, 1, 1};
    assert_int_equal(tsrec__tensor_view(&t, NULL, NULL, TSREC__F64, buf, 5, five, NULL),
                     TSREC_E_SHAPE);
    /* an empty view may have a NULL pointer */
    const int64_t e[1] = {0};
    assert_int_equal(tsrec__tensor_view(&t, NULL, NULL, TSREC__F64, NULL, 1, e, NULL), TSREC_OK);
    /* a reversed view (negative stride) */
    const int64_t rs[1] = {-8}, rn[1] = {24};
    assert_int_equal(tsrec__tensor_view(&t, NULL, NULL, TSREC__F64, buf + 23, 1, rn, rs), TSREC_OK);
    const int64_t i0[1] = {0}, i23[1] = {23};
    assert_int_equal(tsrec__tensor_get(&t, NULL, i0, &v), TSREC_OK);
    assert_true(v == 23.0);
    assert_int_equal(tsrec__tensor_get(&t, NULL, i23, &v), TSREC_OK);
    assert_true(v == 0.0);
    const int64_t i24[1] = {24};
    assert_int_equal(tsrec__tensor_get(&t, NULL, i24, &v), TSREC_E_OUT_OF_RANGE);
}

/* A 4-D tensor holding value(i) = i0*1000 + i1*100 + i2*10 + i3. */
static double val4(int64_t a, int64_t b, int64_t c, int64_t d)
{
    return (double)(a * 1000 + b * 100 + c * 10 + d);
}

static void fill4(tsrec__tensor *t)
{
    int64_t idx[4];
    for (idx[0] = 0; idx[0] < t->shape[0]; idx[0]++)
        for (idx[1] = 0; idx[1] < t->shape[1]; idx[1]++)
            for (idx[2] = 0; idx[2] < t->shape[2]; idx[2]++)
                for (idx[3] = 0; idx[3] < t->shape[3]; idx[3]++)
                    assert_int_equal(tsrec__tensor_set(t, NULL, idx,
                                                       val4(idx[0], idx[1], idx[2], idx[3])),
                                     TSREC_OK);
}

static void test_subviews(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__tensor t, s, u;
    const int64_t shape[4] = {3, 4, 5, 6};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F32, 4, shape), TSREC_OK);
    fill4(&t);
    double v;

    /* slice dim 2 [1:5:2] -> indices 1, 3 */
    assert_int_equal(tsrec__tensor_slice(&s, &t, NULL, 2, 1, 5, 2), TSREC_OK);
    assert_int_equal(s.shape[2], 2);
    assert_false(tsrec__tensor_is_contiguous(&s));
    const int64_t i1[4] = {2, 3, 1, 4};
    assert_int_equal(tsrec__tensor_get(&s, NULL, i1, &v), TSREC_OK);
    assert_true(v == val4(2, 3, 3, 4));
    assert_int_equal(tsrec__tensor_slice(&s, &t, NULL, 2, 4, 6, 1), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__tensor_slice(&s, &t, NULL, 2, 3, 2, 1), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__tensor_slice(&s, &t, NULL, 4, 0, 1, 1), TSREC_E_SHAPE);
    assert_int_equal(tsrec__tensor_slice(&s, &t, NULL, 0, 0, 1, 0), TSREC_E_OUT_OF_RANGE);

    /* select dim 1 = 2 -> 3 x 5 x 6 */
    assert_int_equal(tsrec__tensor_select(&s, &t, NULL, 1, 2), TSREC_OK);
    assert_int_equal(s.ndim, 3);
    assert_int_equal(s.shape[0], 3);
    assert_int_equal(s.shape[1], 5);
    assert_int_equal(s.shape[2], 6);
    const int64_t i2[3] = {1, 4, 5};
    assert_int_equal(tsrec__tensor_get(&s, NULL, i2, &v), TSREC_OK);
    assert_true(v == val4(1, 2, 4, 5));
    assert_int_equal(tsrec__tensor_select(&s, &t, NULL, 1, 4), TSREC_E_OUT_OF_RANGE);

    /* transpose dims 0 and 3 */
    assert_int_equal(tsrec__tensor_transpose(&s, &t, NULL, 0, 3), TSREC_OK);
    const int64_t i3[4] = {5, 1, 2, 0};
    assert_int_equal(tsrec__tensor_get(&s, NULL, i3, &v), TSREC_OK);
    assert_true(v == val4(0, 1, 2, 5));
    /* a transposed view cannot be reshaped */
    const int64_t flat[1] = {360};
    assert_int_equal(tsrec__tensor_reshape(&u, &s, NULL, 1, flat), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "contiguous"));

    /* reshape the original to 12 x 30 */
    const int64_t rs[2] = {12, 30};
    assert_int_equal(tsrec__tensor_reshape(&u, &t, NULL, 2, rs), TSREC_OK);
    const int64_t i4[2] = {7, 29}; /* flat 239 = (1,3,4,5) */
    assert_int_equal(tsrec__tensor_get(&u, NULL, i4, &v), TSREC_OK);
    assert_true(v == val4(1, 3, 4, 5));
    const int64_t bad[2] = {12, 31};
    assert_int_equal(tsrec__tensor_reshape(&u, &t, NULL, 2, bad), TSREC_E_SHAPE);
    /* select of a select reaches 1-D, then 0-D */
    assert_int_equal(tsrec__tensor_select(&s, &t, NULL, 0, 1), TSREC_OK);
    assert_int_equal(tsrec__tensor_select(&s, &s, NULL, 0, 2), TSREC_OK);
    assert_int_equal(tsrec__tensor_select(&s, &s, NULL, 0, 3), TSREC_OK);
    assert_int_equal(tsrec__tensor_select(&s, &s, NULL, 0, 4), TSREC_OK);
    assert_int_equal(s.ndim, 0);
    assert_int_equal(tsrec__tensor_get(&s, NULL, NULL, &v), TSREC_OK);
    assert_true(v == val4(1, 2, 3, 4));
    tsrec__tensor_free(&t);
    tu_ctx_free_checked(ctx);
}

static void test_copy_strided_convert(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__tensor a, tr, b, c;
    const int64_t shape[4] = {2, 3, 4, 5};
    assert_int_equal(tsrec__tensor_alloc(&a, ctx, NULL, TSREC__F64, 4, shape), TSREC_OK);
    fill4(&a);
    /* copy a transposed (1<->3) view into a contiguous f32 tensor */
    assert_int_equal(tsrec__tensor_transpose(&tr, &a, NULL, 1, 3), TSREC_OK);
    assert_int_equal(tsrec__tensor_alloc(&b, ctx, NULL, TSREC__F32, 4, tr.shape), TSREC_OK);
    assert_int_equal(tsrec__tensor_copy(&b, &tr, NULL), TSREC_OK);
    const float *bf = b.data;
    int64_t k = 0;
    for (int64_t i0 = 0; i0 < 2; i0++)
        for (int64_t i1 = 0; i1 < 5; i1++)
            for (int64_t i2 = 0; i2 < 4; i2++)
                for (int64_t i3 = 0; i3 < 3; i3++)
                    assert_true(bf[k++] == (float)val4(i0, i3, i2, i1));
    /* back into a transposed view of a fresh f64 tensor: round trip */
    assert_int_equal(tsrec__tensor_alloc(&c, ctx, NULL, TSREC__F64, 4, shape), TSREC_OK);
    assert_int_equal(tsrec__tensor_transpose(&tr, &c, NULL, 1, 3), TSREC_OK);
    assert_int_equal(tsrec__tensor_copy(&tr, &b, NULL), TSREC_OK);
    assert_memory_equal(a.data, c.data, tsrec__tensor_nbytes(&a));
    /* clone of a strided view is contiguous and equal */
    tsrec__tensor cl;
    assert_int_equal(tsrec__tensor_clone(&cl, &tr, ctx, NULL, TSREC__F32), TSREC_OK);
    assert_true(tsrec__tensor_is_contiguous(&cl));
    assert_memory_equal(cl.data, b.data, tsrec__tensor_nbytes(&b));
    tsrec__tensor_free(&cl);
    /* mismatched shapes */
    assert_int_equal(tsrec__tensor_copy(&b, &a, NULL), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "shapes differ"));
    /* fill through a strided slice touches only the slice */
    tsrec__tensor s;
    assert_int_equal(tsrec__tensor_slice(&s, &c, NULL, 3, 0, 5, 2), TSREC_OK);
    assert_int_equal(tsrec__tensor_fill(&s, NULL, -1.0), TSREC_OK);
    const double *cd = c.data;
    for (int64_t i = 0; i < 120; i++)
        assert_true(cd[i] == ((i % 5) % 2 == 0 ? -1.0 : val4(i / 60, (i / 20) % 3, (i / 5) % 4, i % 5)));
    assert_int_equal(tsrec__tensor_check_finite(&c, NULL, "c"), TSREC_OK);
    cd = NULL;
    ((double *)c.data)[77] = NAN;
    assert_int_equal(tsrec__tensor_check_finite(&c, NULL, "c"), TSREC_E_NAN);
    ((double *)c.data)[77] = -INFINITY;
    assert_int_equal(tsrec__tensor_check_finite(&c, NULL, "c"), TSREC_E_NAN);
    tsrec__tensor_free(&a);
    tsrec__tensor_free(&b);
    tsrec__tensor_free(&c);
    tu_ctx_free_checked(ctx);
}

static void test_get_set_misuse(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__tensor t;
    const int64_t shape[2] = {2, 3};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 2, shape), TSREC_OK);
    double v;
    const int64_t bad[2] = {2, 0}, neg[2] = {0, -1};
    assert_int_equal(tsrec__tensor_get(&t, NULL, bad, &v), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__tensor_set(&t, NULL, neg, 1.0), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__tensor_get(&t, NULL, NULL, &v), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__tensor_transpose(&t, &t, NULL, 0, 2), TSREC_E_SHAPE);
    tsrec__tensor_free(&t);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_contiguous),
        cmocka_unit_test(test_alloc_misuse),
        cmocka_unit_test(test_view_validation),
        cmocka_unit_test(test_subviews),
        cmocka_unit_test(test_copy_strided_convert),
        cmocka_unit_test(test_get_set_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
