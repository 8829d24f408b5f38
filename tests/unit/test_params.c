/* Unit tests of the typed parameter tables (src/core/params*.c). */
#include "test_util.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "params_internal.h"
#include "rng_internal.h"

static const tsrec__param_def defs[] = {
    TSREC__PARAM_DEF_INT("epochs", "100", 1, 1000, "Training epochs."),
    TSREC__PARAM_DEF_INT("seed", "-5", INT64_MIN, INT64_MAX, "Any integer."),
    TSREC__PARAM_DEF_DOUBLE_X("learning_rate", "0.001", 0.0, 1.0, TSREC__PARAM_LO_EXCL,
                              "Step size, (0, 1]."),
    TSREC__PARAM_DEF_DOUBLE("dropout_rate", "0.1", 0.0, 1.0, "[0, 1]."),
    TSREC__PARAM_DEF_DOUBLE("offset", "0", -INFINITY, INFINITY, "Unbounded."),
    TSREC__PARAM_DEF_DOUBLE("scale", "2.5", NAN, NAN, "Unbounded through NaN."),
    TSREC__PARAM_DEF_DOUBLE_X("alpha", "0.5", 0.0, 1.0,
                              TSREC__PARAM_LO_EXCL | TSREC__PARAM_HI_EXCL, "(0, 1)."),
    TSREC__PARAM_DEF_BOOL("use_feat_dynamic_real", "false", "A flag."),
    TSREC__PARAM_DEF_STRING("cardinality", "auto", "Free text."),
    TSREC__PARAM_DEF_ENUM("likelihood", "student-T",
                          "gaussian|beta|negative-binomial|student-T|deterministic-L1",
                          "Output distribution."),
    TSREC__PARAM_DEF_INT("num_layers", "2", 1, 8, "RNN layers."),
    TSREC__PARAM_DEF_INT("num_cells", "40", 1, 200, "Cells per layer."),
};
#define NDEFS ((int64_t)(sizeof(defs) / sizeof(defs[0])))

enum { P_EPOCHS, P_SEED, P_LR, P_DROPOUT, P_OFFSET, P_SCALE, P_ALPHA, P_FLAG, P_CARD, P_LIK };

typedef struct fixture {
    tsrec_ctx *ctx;
    tsrec__params *p;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->ctx = tu_ctx_new();
    assert_int_equal(tsrec__params_new(f->ctx, &f->ctx->hdr, defs, NDEFS, &f->p), TSREC_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tsrec__params_free(f->p);
    tu_ctx_free_checked(f->ctx);
    free(f);
    return 0;
}

static int64_t get_i(fixture *f, const char *name)
{
    int64_t v = -999;
    assert_int_equal(tsrec__params_get_int(f->p, &f->ctx->hdr, name, &v), TSREC_OK);
    return v;
}

static double get_d(fixture *f, const char *name)
{
    double v = -999;
    assert_int_equal(tsrec__params_get_double(f->p, &f->ctx->hdr, name, &v), TSREC_OK);
    return v;
}

static int set(fixture *f, const char *name, const char *value)
{
    return tsrec__params_set(f->p, &f->ctx->hdr, name, value);
}

static void assert_msg_has(fixture *f, const char *part)
{
    const char *msg = tsrec_errmsg(f->ctx);
    if (strstr(msg, part) == NULL) {
        print_error("message '%s' lacks '%s'\n", msg, part);
        fail();
    }
}

/* ---- defaults ----------------------------------------------------------- */

static void test_defaults(void **state)
{
    fixture *f = *state;
    assert_int_equal(get_i(f, "epochs"), 100);
    assert_int_equal(get_i(f, "seed"), -5);
    assert_true(get_d(f, "learning_rate") == 0.001);
    assert_true(get_d(f, "dropout_rate") == 0.1);
    assert_true(get_d(f, "offset") == 0.0);
    assert_true(get_d(f, "scale") == 2.5);
    int b = -1;
    assert_int_equal(tsrec__params_get_bool(f->p, NULL, "use_feat_dynamic_real", &b), TSREC_OK);
    assert_int_equal(b, 0);
    const char *s = NULL;
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "cardinality", &s), TSREC_OK);
    assert_string_equal(s, "auto");
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "likelihood", &s), TSREC_OK);
    assert_string_equal(s, "student-T");
    int64_t e = -1;
    assert_int_equal(tsrec__params_get_enum(f->p, NULL, "likelihood", &e), TSREC_OK);
    assert_int_equal(e, 3);
    for (int64_t i = 0; i < NDEFS; i++)
        assert_false(tsrec__params_is_set(f->p, i));
}

/* ---- INT ---------------------------------------------------------------- */

static void test_int(void **state)
{
    fixture *f = *state;
    assert_int_equal(set(f, "epochs", "1"), TSREC_OK);
    assert_int_equal(get_i(f, "epochs"), 1);
    assert_true(tsrec__params_is_set(f->p, P_EPOCHS));
    assert_int_equal(set(f, "epochs", "1000"), TSREC_OK);
    assert_int_equal(get_i(f, "epochs"), 1000);
    assert_int_equal(set(f, "epochs", "+7"), TSREC_OK);
    assert_int_equal(get_i(f, "epochs"), 7);
    assert_int_equal(set(f, "epochs", "007"), TSREC_OK);
    assert_int_equal(get_i(f, "epochs"), 7);

    assert_int_equal(set(f, "epochs", "0"), TSREC_E_OUT_OF_RANGE);
    assert_msg_has(f, "epochs");
    assert_msg_has(f, "value 0 ");
    assert_msg_has(f, "[1, 1000]");
    assert_int_equal(set(f, "epochs", "1001"), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(set(f, "epochs", "-3"), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(get_i(f, "epochs"), 7); /* unchanged */

    assert_int_equal(set(f, "seed", "9223372036854775807"), TSREC_OK);
    assert_true(get_i(f, "seed") == INT64_MAX);
    assert_int_equal(set(f, "seed", "-9223372036854775808"), TSREC_OK);
    assert_true(get_i(f, "seed") == INT64_MIN);
    assert_int_equal(set(f, "seed", "-0"), TSREC_OK);
    assert_int_equal(get_i(f, "seed"), 0);
    assert_int_equal(set(f, "seed", "9223372036854775808"), TSREC_E_BAD_TYPE);
    assert_msg_has(f, "overflows");
    assert_int_equal(set(f, "seed", "-9223372036854775809"), TSREC_E_BAD_TYPE);
    assert_int_equal(set(f, "seed", "99999999999999999999999"), TSREC_E_BAD_TYPE);
    assert_int_equal(get_i(f, "seed"), 0);
}

static void test_int_strict(void **state)
{
    fixture *f = *state;
    const char *bad[] = {"12abc", "", " ", " 12", "12 ", "1.5", "1e3", "0x10", "nan",
                         "inf", "+", "-", "--1", "+-1", "1_000", "1,000", "12\n", "abc",
                         "99999999999999999999x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = set(f, "epochs", bad[i]);
        if (rc != TSREC_E_BAD_TYPE) {
            print_error("'%s' gave %d\n", bad[i], rc);
            fail();
        }
        assert_msg_has(f, "epochs");
        assert_msg_has(f, "not an integer");
    }
    assert_int_equal(get_i(f, "epochs"), 100);
    assert_false(tsrec__params_is_set(f->p, P_EPOCHS));
}

/* ---- DOUBLE ------------------------------------------------------------- */

static void test_double(void **state)
{
    fixture *f = *state;
    struct {
        const char *text;
        double want;
    } ok[] = {{"0.5", 0.5}, {"1", 1.0}, {"1e-3", 1e-3}, {".5", 0.5}, {"1.", 1.0},
              {"+0.25", 0.25}, {"2.5E-1", 0.25}, {"1e+0", 1.0}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(set(f, "learning_rate", ok[i].text), TSREC_OK);
        assert_true(get_d(f, "learning_rate") == ok[i].want);
    }
    /* Exclusive lower bound, inclusive upper. */
    assert_int_equal(set(f, "learning_rate", "0"), TSREC_E_OUT_OF_RANGE);
    assert_msg_has(f, "learning_rate");
    assert_msg_has(f, "(0, 1]");
    assert_int_equal(set(f, "learning_rate", "1.0000001"), TSREC_E_OUT_OF_RANGE);
    assert_int_equal(set(f, "learning_rate", "-0.5"), TSREC_E_OUT_OF_RANGE);
    assert_true(get_d(f, "learning_rate") == 1.0);
    /* Inclusive both ends. */
    assert_int_equal(set(f, "dropout_rate", "0"), TSREC_OK);
    assert_int_equal(set(f, "dropout_rate", "1"), TSREC_OK);
    assert_int_equal(set(f, "dropout_rate", "1.5"), TSREC_E_OUT_OF_RANGE);
    assert_msg_has(f, "[0, 1]");
    assert_msg_has(f, "1.5");
    /* Exclusive both ends. */
    assert_int_equal(set(f, "alpha", "1"), TSREC_E_OUT_OF_RANGE);
    assert_msg_has(f, "(0, 1)");
    assert_int_equal(set(f, "alpha", "0.999"), TSREC_OK);
    /* Open bounds, by infinity and by NaN. */
    assert_int_equal(set(f, "offset", "-1e300"), TSREC_OK);
    assert_true(get_d(f, "offset") == -1e300);
    assert_int_equal(set(f, "scale", "1.7e308"), TSREC_OK);
    assert_int_equal(set(f, "scale", "-1.7e308"), TSREC_OK);
    assert_true(get_d(f, "scale") == -1.7e308);
    /* Underflow is not an error: the nearest double is 0 or subnormal. */
    assert_int_equal(set(f, "offset", "1e-400"), TSREC_OK);
    assert_true(get_d(f, "offset") == 0.0);
    assert_int_equal(set(f, "offset", "4e-320"), TSREC_OK);
    assert_true(get_d(f, "offset") > 0.0);
}

static void test_double_strict(void **state)
{
    fixture *f = *state;
    const char *bad[] = {"nan", "NaN", "-nan", "inf", "-inf", "Infinity", "0x1p-3", "1,5",
                         "", " ", " 1", "1 ", "1e", "e5", ".", "-", "--1", "1.2.3",
                         "12abc", "1e5.5", "1d3", "0.5\t"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = set(f, "offset", bad[i]);
        if (rc != TSREC_E_BAD_TYPE) {
            print_error("'%s' gave %d\n", bad[i], rc);
            fail();
        }
        assert_msg_has(f, "offset");
    }
    assert_int_equal(set(f, "offset", "1e999"), TSREC_E_BAD_TYPE);
    assert_msg_has(f, "overflows");
    assert_int_equal(set(f, "offset", "-1e999"), TSREC_E_BAD_TYPE);
    /* A long but valid number is fine; an absurdly long one is refused. */
    char num[200];
    memset(num, '0', sizeof num);
    num[0] = '1';
    num[1] = '.';
    num[100] = '\0';
    assert_int_equal(set(f, "offset", num), TSREC_OK);
    assert_true(get_d(f, "offset") == 1.0);
    num[199] = '\0';
    num[100] = '0';
    assert_int_equal(set(f, "offset", num), TSREC_E_BAD_TYPE);
    assert_true(get_d(f, "offset") == 1.0);
}

/* ---- BOOL, STRING, ENUM -------------------------------------------------- */

static int get_b(fixture *f)
{
    int b = -1;
    assert_int_equal(tsrec__params_get_bool(f->p, NULL, "use_feat_dynamic_real", &b), TSREC_OK);
    return b;
}

static void test_bool(void **state)
{
    fixture *f = *state;
    const char *yes[] = {"true", "TRUE", "True", "tRuE", "1"};
    const char *no[] = {"false", "FALSE", "False", "0"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        assert_int_equal(set(f, "use_feat_dynamic_real", "0"), TSREC_OK);
        assert_int_equal(set(f, "use_feat_dynamic_real", yes[i]), TSREC_OK);
        assert_int_equal(get_b(f), 1);
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        assert_int_equal(set(f, "use_feat_dynamic_real", "1"), TSREC_OK);
        assert_int_equal(set(f, "use_feat_dynamic_real", no[i]), TSREC_OK);
        assert_int_equal(get_b(f), 0);
    }
    const char *bad[] = {"yes", "no", "2", "", "t", " true", "true ", "truee", "01", "-1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(set(f, "use_feat_dynamic_real", bad[i]), TSREC_E_BAD_TYPE);
        assert_msg_has(f, "use_feat_dynamic_real");
        assert_msg_has(f, "boolean");
    }
    assert_int_equal(get_b(f), 0);
}

static void test_string(void **state)
{
    fixture *f = *state;
    char buf[32];
    strcpy(buf, "1,2,3");
    assert_int_equal(set(f, "cardinality", buf), TSREC_OK);
    strcpy(buf, "overwritten");
    const char *s = NULL;
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "cardinality", &s), TSREC_OK);
    assert_string_equal(s, "1,2,3"); /* copied, not borrowed */
    assert_int_equal(set(f, "cardinality", ""), TSREC_OK);
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "cardinality", &s), TSREC_OK);
    assert_string_equal(s, "");
    char *big = malloc(5001);
    assert_non_null(big);
    memset(big, 'x', 5000);
    big[5000] = '\0';
    assert_int_equal(set(f, "cardinality", big), TSREC_OK);
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "cardinality", &s), TSREC_OK);
    assert_int_equal(strlen(s), 5000);
    free(big);
}

static void test_enum(void **state)
{
    fixture *f = *state;
    const char *s = NULL;
    int64_t idx = -1;
    assert_int_equal(set(f, "likelihood", "gaussian"), TSREC_OK);
    assert_int_equal(tsrec__params_get_enum(f->p, NULL, "likelihood", &idx), TSREC_OK);
    assert_int_equal(idx, 0);
    assert_int_equal(set(f, "likelihood", "deterministic-L1"), TSREC_OK);
    assert_int_equal(tsrec__params_get_enum(f->p, NULL, "likelihood", &idx), TSREC_OK);
    assert_int_equal(idx, 4);
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "likelihood", &s), TSREC_OK);
    assert_string_equal(s, "deterministic-L1");
    const char *bad[] = {"Gaussian", "gauss", "", "beta|gaussian", "gaussian ", "|", "student"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(set(f, "likelihood", bad[i]), TSREC_E_BAD_TYPE);
        assert_msg_has(f, "likelihood");
        assert_msg_has(f, "gaussian|beta|negative-binomial");
    }
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "likelihood", &s), TSREC_OK);
    assert_string_equal(s, "deterministic-L1");
}

/* ---- names -------------------------------------------------------------- */

static void test_unknown_name(void **state)
{
    fixture *f = *state;
    struct {
        const char *typo, *hint;
    } cases[] = {{"epoch", "epochs"},          {"Epochs", "epochs"},
                 {"EPOCHS", "epochs"},         {"epcohs", "epochs"},
                 {"learnig_rate", "learning_rate"}, {"learning-rate", "learning_rate"},
                 {"num_layer", "num_layers"},  {"likelyhood", "likelihood"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(set(f, cases[i].typo, "1"), TSREC_E_UNKNOWN_NAME);
        char want[96];
        snprintf(want, sizeof want, "unknown parameter '%s' (did you mean '%s'?)",
                 cases[i].typo, cases[i].hint);
        assert_msg_has(f, want);
    }
    /* Nothing close: no suggestion. */
    assert_int_equal(set(f, "zzzzzzzz", "1"), TSREC_E_UNKNOWN_NAME);
    assert_msg_has(f, "'zzzzzzzz'");
    assert_null(strstr(tsrec_errmsg(f->ctx), "did you mean"));
    assert_int_equal(set(f, "", "1"), TSREC_E_UNKNOWN_NAME);
    assert_null(strstr(tsrec_errmsg(f->ctx), "did you mean"));
    /* A very long name is quoted truncated, still no crash. */
    char longname[300];
    memset(longname, 'q', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(set(f, longname, "1"), TSREC_E_UNKNOWN_NAME);
    assert_msg_has(f, "...");
    assert_int_equal(tsrec__params_find(f->p, "epochs"), P_EPOCHS);
    assert_int_equal(tsrec__params_find(f->p, "Epochs"), -1);
    assert_int_equal(tsrec__params_find(f->p, "epoch"), -1);
    assert_int_equal(tsrec__params_find(f->p, NULL), -1);
}

/* ---- set_many ------------------------------------------------------------ */

static void test_set_many(void **state)
{
    fixture *f = *state;
    assert_int_equal(tsrec__params_set_many(f->p, &f->ctx->hdr,
                                            "epochs=5 learning_rate=0.01,"
                                            "use_feat_dynamic_real=TRUE\nlikelihood=gaussian"
                                            "\r\n\tcardinality=a:b  ,, "),
                     TSREC_OK);
    assert_int_equal(get_i(f, "epochs"), 5);
    assert_true(get_d(f, "learning_rate") == 0.01);
    assert_int_equal(get_b(f), 1);
    const char *s = NULL;
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "likelihood", &s), TSREC_OK);
    assert_string_equal(s, "gaussian");
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "cardinality", &s), TSREC_OK);
    assert_string_equal(s, "a:b");
    assert_true(tsrec__params_is_set(f->p, P_EPOCHS));
    assert_true(tsrec__params_is_set(f->p, P_CARD));
    assert_false(tsrec__params_is_set(f->p, P_SEED));

    /* No-ops. */
    assert_int_equal(tsrec__params_set_many(f->p, NULL, ""), TSREC_OK);
    assert_int_equal(tsrec__params_set_many(f->p, NULL, " ,\n\t"), TSREC_OK);
    assert_int_equal(get_i(f, "epochs"), 5);
}

/* Each failing text leaves every value as it was. */
static void test_set_many_atomic(void **state)
{
    fixture *f = *state;
    struct {
        const char *text;
        int status;
        const char *msg;
    } cases[] = {
        {"epochs=7 learning_rate=0", TSREC_E_OUT_OF_RANGE, "learning_rate"},
        {"cardinality=xyz epochs=7 bogus=1", TSREC_E_UNKNOWN_NAME, "bogus"},
        {"cardinality=xyz epochs=7 epoch=1", TSREC_E_UNKNOWN_NAME, "did you mean 'epochs'"},
        {"epochs=7 epochs=8", TSREC_E_DUPLICATE, "epochs"},
        {"cardinality=xyz epochs", TSREC_E_PARSE, "expected name=value"},
        {"epochs=7 =5", TSREC_E_PARSE, "missing name"},
        {"epochs = 7", TSREC_E_PARSE, "expected name=value"},
        {"cardinality=q epochs=", TSREC_E_BAD_TYPE, "epochs"},
        {"likelihood=beta use_feat_dynamic_real=maybe", TSREC_E_BAD_TYPE, "boolean"},
        {"epochs=7 seed=1e3", TSREC_E_BAD_TYPE, "seed"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = tsrec__params_set_many(f->p, &f->ctx->hdr, cases[i].text);
        if (rc != cases[i].status) {
            print_error("'%s' gave %d (%s)\n", cases[i].text, rc, tsrec_errmsg(f->ctx));
            fail();
        }
        assert_msg_has(f, cases[i].msg);
        assert_int_equal(get_i(f, "epochs"), 100);
        assert_true(get_d(f, "learning_rate") == 0.001);
        const char *s = NULL;
        assert_int_equal(tsrec__params_get_str(f->p, NULL, "cardinality", &s), TSREC_OK);
        assert_string_equal(s, "auto");
        assert_int_equal(tsrec__params_get_str(f->p, NULL, "likelihood", &s), TSREC_OK);
        assert_string_equal(s, "student-T");
        for (int64_t k = 0; k < NDEFS; k++)
            assert_false(tsrec__params_is_set(f->p, k));
    }
    /* An empty STRING value is allowed. */
    assert_int_equal(tsrec__params_set_many(f->p, NULL, "cardinality="), TSREC_OK);
}

/* ---- getters, reset, NULLs ---------------------------------------------- */

static void test_getters(void **state)
{
    fixture *f = *state;
    tsrec__handle *eh = &f->ctx->hdr;
    int64_t iv;
    double dv;
    int bv;
    const char *sv;
    assert_int_equal(tsrec__params_get_double(f->p, eh, "epochs", &dv), TSREC_E_BAD_TYPE);
    assert_msg_has(f, "parameter 'epochs' is int, not double");
    assert_int_equal(tsrec__params_get_int(f->p, eh, "learning_rate", &iv), TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_get_bool(f->p, eh, "epochs", &bv), TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_get_str(f->p, eh, "epochs", &sv), TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_get_enum(f->p, eh, "cardinality", &iv), TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_get_int(f->p, eh, "epoch", &iv), TSREC_E_UNKNOWN_NAME);
    assert_msg_has(f, "did you mean 'epochs'");
    assert_int_equal(tsrec__params_get_double(f->p, eh, "nope", &dv), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec__params_get_bool(f->p, eh, "nope", &bv), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec__params_get_str(f->p, eh, "nope", &sv), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec__params_get_enum(f->p, eh, "nope", &iv), TSREC_E_UNKNOWN_NAME);

    /* By index equals by name. */
    assert_int_equal(set(f, "epochs", "33"), TSREC_OK);
    assert_int_equal(tsrec__params_get_int_at(f->p, eh, P_EPOCHS, &iv), TSREC_OK);
    assert_int_equal(iv, 33);
    assert_int_equal(tsrec__params_get_double_at(f->p, eh, P_SCALE, &dv), TSREC_OK);
    assert_true(dv == 2.5);
    assert_int_equal(tsrec__params_get_bool_at(f->p, eh, P_FLAG, &bv), TSREC_OK);
    assert_int_equal(bv, 0);
    assert_int_equal(tsrec__params_get_str_at(f->p, eh, P_CARD, &sv), TSREC_OK);
    assert_string_equal(sv, "auto");
    assert_int_equal(tsrec__params_get_enum_at(f->p, eh, P_LIK, &iv), TSREC_OK);
    assert_int_equal(iv, 3);
    assert_int_equal(tsrec__params_get_int_at(f->p, eh, P_LR, &iv), TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_get_int_at(f->p, eh, -1, &iv), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_get_int_at(f->p, eh, NDEFS, &iv), TSREC_E_INVALID_ARG);
    assert_msg_has(f, "out of range");
    assert_int_equal(tsrec__params_get_double_at(f->p, eh, 99, &dv), TSREC_E_INVALID_ARG);

    /* NULLs. */
    assert_int_equal(tsrec__params_get_int(NULL, eh, "epochs", &iv), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_get_int(f->p, eh, NULL, &iv), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_get_int(f->p, eh, "epochs", NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_get_str_at(f->p, eh, P_CARD, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_set(NULL, eh, "epochs", "1"), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_set(f->p, eh, NULL, "1"), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_set(f->p, eh, "epochs", NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_set_many(NULL, eh, "epochs=1"), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_set_many(f->p, eh, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_reset(NULL, eh), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_count(NULL), 0);
    assert_null(tsrec__params_def(NULL, 0));
    assert_null(tsrec__params_name(f->p, NDEFS));
    assert_false(tsrec__params_is_set(NULL, 0));
    tsrec__params_free(NULL);
    /* Errors with a NULL eh still go to the thread-local message. */
    assert_int_equal(tsrec__params_set(f->p, NULL, "epochs", "0"), TSREC_E_OUT_OF_RANGE);
    assert_non_null(strstr(tsrec_last_error(), "epochs"));
    assert_int_equal(get_i(f, "epochs"), 33);
}

static void test_reset(void **state)
{
    fixture *f = *state;
    assert_int_equal(tsrec__params_set_many(f->p, NULL,
                                            "epochs=9 cardinality=zz likelihood=beta "
                                            "use_feat_dynamic_real=1 offset=-4"),
                     TSREC_OK);
    assert_int_equal(tsrec__params_reset(f->p, &f->ctx->hdr), TSREC_OK);
    assert_int_equal(get_i(f, "epochs"), 100);
    assert_true(get_d(f, "offset") == 0.0);
    assert_int_equal(get_b(f), 0);
    const char *s = NULL;
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "cardinality", &s), TSREC_OK);
    assert_string_equal(s, "auto");
    assert_int_equal(tsrec__params_get_str(f->p, NULL, "likelihood", &s), TSREC_OK);
    assert_string_equal(s, "student-T");
    for (int64_t i = 0; i < NDEFS; i++)
        assert_false(tsrec__params_is_set(f->p, i));
}

/* ---- introspection and formatting --------------------------------------- */

static void test_introspection(void **state)
{
    fixture *f = *state;
    tsrec__handle *eh = &f->ctx->hdr;
    assert_int_equal(tsrec__params_count(f->p), NDEFS);
    for (int64_t i = 0; i < NDEFS; i++) {
        assert_string_equal(tsrec__params_name(f->p, i), defs[i].name);
        const tsrec__param_def *d = tsrec__params_def(f->p, i);
        assert_ptr_equal(d, &defs[i]);
        assert_non_null(d->doc);
        assert_non_null(d->def);
    }
    assert_string_equal(tsrec__param_type_name(TSREC__PARAM_INT), "int");
    assert_string_equal(tsrec__param_type_name(TSREC__PARAM_DOUBLE), "double");
    assert_string_equal(tsrec__param_type_name(TSREC__PARAM_BOOL), "bool");
    assert_string_equal(tsrec__param_type_name(TSREC__PARAM_STRING), "string");
    assert_string_equal(tsrec__param_type_name(TSREC__PARAM_ENUM), "enum");
    assert_string_equal(tsrec__param_type_name(99), "unknown");

    double lo, hi;
    uint32_t fl;
    assert_int_equal(tsrec__params_bounds(f->p, eh, P_EPOCHS, &lo, &hi, &fl), TSREC_OK);
    assert_true(lo == 1.0 && hi == 1000.0 && fl == 0);
    assert_int_equal(tsrec__params_bounds(f->p, eh, P_SEED, &lo, &hi, NULL), TSREC_OK);
    assert_true(isinf(lo) && lo < 0 && isinf(hi) && hi > 0);
    assert_int_equal(tsrec__params_bounds(f->p, eh, P_LR, &lo, &hi, &fl), TSREC_OK);
    assert_true(lo == 0.0 && hi == 1.0 && fl == TSREC__PARAM_LO_EXCL);
    assert_int_equal(tsrec__params_bounds(f->p, eh, P_SCALE, &lo, &hi, &fl), TSREC_OK);
    assert_true(isinf(lo) && lo < 0 && isinf(hi) && hi > 0);
    assert_int_equal(tsrec__params_bounds(f->p, eh, P_FLAG, &lo, &hi, &fl), TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_bounds(f->p, eh, P_LIK, NULL, NULL, NULL), TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_bounds(f->p, eh, -1, NULL, NULL, NULL), TSREC_E_INVALID_ARG);
}

static void check_format(fixture *f, int64_t i, const char *want)
{
    size_t len = 0;
    assert_int_equal(tsrec__params_format(f->p, NULL, i, NULL, 0, &len), TSREC_OK);
    assert_int_equal(len, strlen(want));
    char buf[128];
    assert_int_equal(tsrec__params_format(f->p, NULL, i, buf, sizeof buf, &len), TSREC_OK);
    assert_string_equal(buf, want);
}

static void test_format(void **state)
{
    fixture *f = *state;
    check_format(f, P_EPOCHS, "100");
    check_format(f, P_SEED, "-5");
    check_format(f, P_LR, "0.001");
    check_format(f, P_FLAG, "false");
    check_format(f, P_CARD, "auto");
    check_format(f, P_LIK, "student-T");
    assert_int_equal(set(f, "offset", "0.30000000000000004"), TSREC_OK);
    check_format(f, P_OFFSET, "0.30000000000000004");
    assert_int_equal(set(f, "offset", "0.1"), TSREC_OK);
    check_format(f, P_OFFSET, "0.1");
    assert_int_equal(set(f, "offset", "-1e-300"), TSREC_OK);
    check_format(f, P_OFFSET, "-1e-300");
    assert_int_equal(set(f, "seed", "-9223372036854775808"), TSREC_OK);
    check_format(f, P_SEED, "-9223372036854775808");
    assert_int_equal(set(f, "use_feat_dynamic_real", "TRUE"), TSREC_OK);
    check_format(f, P_FLAG, "true");

    /* Truncation: always NUL-terminated, length still the full one. */
    char small[4];
    size_t len = 0;
    assert_int_equal(set(f, "cardinality", "abcdefgh"), TSREC_OK);
    assert_int_equal(tsrec__params_format(f->p, NULL, P_CARD, small, sizeof small, &len),
                     TSREC_OK);
    assert_int_equal(len, 8);
    assert_string_equal(small, "abc");
    small[0] = 'z';
    assert_int_equal(tsrec__params_format(f->p, NULL, P_CARD, small, 0, &len), TSREC_OK);
    assert_int_equal(small[0], 'z'); /* cap 0: nothing written */
    assert_int_equal(tsrec__params_format(f->p, NULL, P_CARD, small, 1, &len), TSREC_OK);
    assert_int_equal(small[0], '\0');
    assert_int_equal(tsrec__params_format(f->p, NULL, P_CARD, small, 4, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_format(f->p, NULL, NDEFS, small, 4, &len),
                     TSREC_E_INVALID_ARG);
}

/* Formatting a double and parsing it back gives the same bits, for values
 * spread over the whole exponent range. */
static void test_double_round_trip(void **state)
{
    fixture *f = *state;
    tsrec__rng r;
    tsrec__rng_seed(&r, 31);
    char buf[64];
    for (int k = 0; k < 20000; k++) {
        uint64_t bits = tsrec__rng_u64(&r);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        tsrec__param_value pv = {0, v, NULL};
        size_t len = tsrec__param_format_value(&defs[P_OFFSET], &pv, buf, sizeof buf);
        assert_true(len < sizeof buf);
        assert_int_equal(set(f, "offset", buf), TSREC_OK);
        double back = get_d(f, "offset");
        assert_memory_equal(&back, &v, sizeof v);
    }
}

static void test_to_string_round_trip(void **state)
{
    fixture *f = *state;
    assert_int_equal(tsrec__params_set_many(f->p, NULL,
                                            "epochs=12 seed=-77 learning_rate=0.3 "
                                            "offset=1e-7 use_feat_dynamic_real=true "
                                            "cardinality=4:5 likelihood=beta alpha=0.125"),
                     TSREC_OK);
    size_t len = 0;
    assert_int_equal(tsrec__params_to_string(f->p, NULL, NULL, 0, &len), TSREC_OK);
    char *text = malloc(len + 1);
    assert_non_null(text);
    size_t len2 = 0;
    assert_int_equal(tsrec__params_to_string(f->p, NULL, text, len + 1, &len2), TSREC_OK);
    assert_int_equal(len, len2);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "epochs=12 seed=-77 learning_rate=0.3 "));
    assert_non_null(strstr(text, "likelihood=beta"));

    tsrec__params *q = NULL;
    assert_int_equal(tsrec__params_new(f->ctx, NULL, defs, NDEFS, &q), TSREC_OK);
    assert_int_equal(tsrec__params_set_many(q, NULL, text), TSREC_OK);
    for (int64_t i = 0; i < NDEFS; i++) {
        char a[64], b[64];
        size_t la, lb;
        assert_int_equal(tsrec__params_format(f->p, NULL, i, a, sizeof a, &la), TSREC_OK);
        assert_int_equal(tsrec__params_format(q, NULL, i, b, sizeof b, &lb), TSREC_OK);
        assert_string_equal(a, b);
    }
    /* Truncated output is a prefix, NUL-terminated. */
    char shortbuf[10];
    assert_int_equal(tsrec__params_to_string(f->p, NULL, shortbuf, sizeof shortbuf, &len2),
                     TSREC_OK);
    assert_int_equal(len2, len);
    assert_int_equal(strlen(shortbuf), 9);
    assert_memory_equal(shortbuf, text, 9);
    assert_int_equal(tsrec__params_to_string(NULL, NULL, shortbuf, 1, &len2),
                     TSREC_E_INVALID_ARG);
    tsrec__params_free(q);
    free(text);
}

/* ---- table validation ---------------------------------------------------- */

static void expect_bad_table(tsrec_ctx *ctx, const tsrec__param_def *t, int64_t n,
                             const char *part)
{
    tsrec__params *p = (tsrec__params *)0x1;
    assert_int_equal(tsrec__params_new(ctx, &ctx->hdr, t, n, &p), TSREC_E_INVALID_ARG);
    assert_null(p);
    if (strstr(tsrec_errmsg(ctx), part) == NULL) {
        print_error("message '%s' lacks '%s'\n", tsrec_errmsg(ctx), part);
        fail();
    }
}

static void test_bad_tables(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const tsrec__param_def dup[] = {
        TSREC__PARAM_DEF_INT("a", "1", 0, 9, ""),
        TSREC__PARAM_DEF_INT("a", "2", 0, 9, ""),
    };
    expect_bad_table(ctx, dup, 2, "appears twice");
    const tsrec__param_def noname[] = {TSREC__PARAM_DEF_INT(NULL, "1", 0, 9, "")};
    expect_bad_table(ctx, noname, 1, "no name");
    const tsrec__param_def sepname[] = {TSREC__PARAM_DEF_INT("a=b", "1", 0, 9, "")};
    expect_bad_table(ctx, sepname, 1, "separator");
    const tsrec__param_def out_of_range[] = {TSREC__PARAM_DEF_INT("k", "10", 0, 9, "")};
    expect_bad_table(ctx, out_of_range, 1, "bad default for 'k'");
    const tsrec__param_def bad_double[] = {TSREC__PARAM_DEF_DOUBLE("x", "abc", 0, 1, "")};
    expect_bad_table(ctx, bad_double, 1, "bad default for 'x'");
    const tsrec__param_def bad_enum[] = {TSREC__PARAM_DEF_ENUM("e", "c", "a|b", "")};
    expect_bad_table(ctx, bad_enum, 1, "bad default for 'e'");
    const tsrec__param_def no_choices[] = {TSREC__PARAM_DEF_ENUM("e", "a", NULL, "")};
    expect_bad_table(ctx, no_choices, 1, "no choices");
    const tsrec__param_def no_default[] = {TSREC__PARAM_DEF_STRING("s", NULL, "")};
    expect_bad_table(ctx, no_default, 1, "no default");
    const tsrec__param_def swapped[] = {TSREC__PARAM_DEF_DOUBLE("x", "0.5", 1.0, 0.0, "")};
    expect_bad_table(ctx, swapped, 1, "lower bound above upper");
    const tsrec__param_def iswapped[] = {TSREC__PARAM_DEF_INT("i", "0", 5, -5, "")};
    expect_bad_table(ctx, iswapped, 1, "lower bound above upper");
    tsrec__param_def badtype[] = {TSREC__PARAM_DEF_INT("t", "0", 0, 1, "")};
    badtype[0].type = 42;
    expect_bad_table(ctx, badtype, 1, "type 42");
    expect_bad_table(ctx, NULL, 3, "NULL");
    expect_bad_table(ctx, defs, -1, "negative");

    tsrec__params *p = NULL;
    assert_int_equal(tsrec__params_new(NULL, NULL, defs, NDEFS, &p), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__params_new(ctx, NULL, defs, NDEFS, NULL), TSREC_E_INVALID_ARG);
    /* An empty table is fine. */
    assert_int_equal(tsrec__params_new(ctx, NULL, NULL, 0, &p), TSREC_OK);
    assert_int_equal(tsrec__params_count(p), 0);
    assert_int_equal(tsrec__params_set_many(p, NULL, ""), TSREC_OK);
    assert_int_equal(tsrec__params_set(p, NULL, "x", "1"), TSREC_E_UNKNOWN_NAME);
    assert_int_equal(tsrec__params_reset(p, NULL), TSREC_OK);
    size_t len = 7;
    char buf[4];
    assert_int_equal(tsrec__params_to_string(p, NULL, buf, sizeof buf, &len), TSREC_OK);
    assert_int_equal(len, 0);
    assert_string_equal(buf, "");
    tsrec__params_free(p);
    tu_ctx_free_checked(ctx);
}

/* ---- locale ------------------------------------------------------------- */

/* A host program with a "," decimal point must not change how parameters
 * parse or print. Needs a de_DE or fr_FR locale; without one the test only
 * notes it (cmocka's skip() reads as a failure in meson's TAP parser). To
 * run it anyway: localedef -i de_DE -f UTF-8 /tmp/loc/de_DE.UTF-8 and set
 * LOCPATH=/tmp/loc. */
static void test_locale_independent(void **state)
{
    fixture *f = *state;
    const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8"};
    const char *got = NULL;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && got == NULL; i++)
        got = setlocale(LC_NUMERIC, names[i]);
    if (got == NULL || localeconv()->decimal_point[0] == '.') {
        setlocale(LC_NUMERIC, "C");
        print_message("# no comma-decimal locale installed: locale check not run\n");
        return;
    }
    int rc1 = set(f, "offset", "0.25");
    int rc2 = set(f, "scale", "1,5");
    double off = get_d(f, "offset");
    char buf[32];
    size_t len;
    tsrec__params_format(f->p, NULL, P_OFFSET, buf, sizeof buf, &len);
    setlocale(LC_NUMERIC, "C");
    assert_int_equal(rc1, TSREC_OK);
    assert_int_equal(rc2, TSREC_E_BAD_TYPE);
    assert_true(off == 0.25);
    assert_string_equal(buf, "0.25");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int_strict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_double, setup, teardown),
        cmocka_unit_test_setup_teardown(test_double_strict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_many_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_getters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_introspection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_double_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_to_string_round_trip, setup, teardown),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test_setup_teardown(test_locale_independent, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
