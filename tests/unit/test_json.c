/* Strict JSON parser and writer: every value kind, escapes and surrogate
 * pairs, number edge cases, every syntax error class with its position,
 * duplicate keys, depth limit, truncation at every byte, and writer output
 * read back by the parser. */
#include "test_util.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "json_internal.h"

static tsrec__json_doc *parse_ok(tsrec_ctx *ctx, const char *text)
{
    tsrec__json_doc *d = NULL;
    int rc = tsrec__json_parse(ctx, NULL, text, strlen(text), 0, &d);
    if (rc != TSREC_OK)
        fail_msg("parse of <%s> failed: %s", text, tsrec_last_error());
    return d;
}

/* Parse must fail with `status`; the message must contain `msg` if given. */
static void parse_bad_n(const char *text, size_t len, int status, const char *msg)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__json_doc *d = (tsrec__json_doc *)0x1;
    int rc = tsrec__json_parse(ctx, NULL, text, len, 0, &d);
    if (rc != status)
        fail_msg("<%.*s>: got %s (%s), want %s", (int)len, text, tsrec_status_str(rc),
                 tsrec_last_error(), tsrec_status_str(status));
    assert_null(d);
    if (msg != NULL && strstr(tsrec_last_error(), msg) == NULL)
        fail_msg("<%.*s>: message '%s' lacks '%s'", (int)len, text, tsrec_last_error(), msg);
    tu_ctx_free_checked(ctx);
}

static void parse_bad(const char *text, int status, const char *msg)
{
    parse_bad_n(text, strlen(text), status, msg);
}

static void test_value_kinds(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__json_doc *d = parse_ok(ctx, " {\"z\":null,\"b\":true,\"c\":false,\"d\":12,\"e\":-2.5,"
                                       "\"f\":\"s\",\"g\":[1,[2,[]],{}],\"h\":{\"x\":\"y\"},\"\":0}\n");
    const tsrec__json *r = tsrec__json_root(d);
    assert_int_equal(tsrec__json_type(r), TSREC__JSON_OBJECT);
    assert_int_equal(tsrec__json_len(r), 9);
    /* key order kept */
    static const char *keys[] = {"z", "b", "c", "d", "e", "f", "g", "h", ""};
    for (int i = 0; i < 9; i++)
        assert_string_equal(r->u.obj.items[i].key, keys[i]);
    assert_int_equal(tsrec__json_type(tsrec__json_get(r, "z")), TSREC__JSON_NULL);
    int32_t b = -1;
    assert_int_equal(tsrec__json_as_bool(tsrec__json_get(r, "b"), NULL, "b", &b), TSREC_OK);
    assert_int_equal(b, 1);
    assert_int_equal(tsrec__json_as_bool(tsrec__json_get(r, "c"), NULL, "c", &b), TSREC_OK);
    assert_int_equal(b, 0);
    int64_t iv = 0;
    assert_int_equal(tsrec__json_as_int64(tsrec__json_get(r, "d"), NULL, "d", &iv), TSREC_OK);
    assert_int_equal(iv, 12);
    double dv = 0;
    assert_int_equal(tsrec__json_as_double(tsrec__json_get(r, "e"), NULL, "e", &dv), TSREC_OK);
    assert_true(dv == -2.5);
    assert_int_equal(tsrec__json_as_int64(tsrec__json_get(r, "e"), NULL, "e", &iv),
                     TSREC_E_OUT_OF_RANGE);
    const char *s = NULL;
    size_t sl = 0;
    assert_int_equal(tsrec__json_as_string(tsrec__json_get(r, "f"), NULL, "f", &s, &sl), TSREC_OK);
    assert_int_equal(sl, 1);
    assert_string_equal(s, "s");
    const tsrec__json *g = tsrec__json_get(r, "g");
    assert_int_equal(tsrec__json_len(g), 3);
    assert_int_equal(tsrec__json_len(tsrec__json_at(g, 1)), 2);
    assert_int_equal(tsrec__json_len(tsrec__json_at(tsrec__json_at(g, 1), 1)), 0);
    assert_int_equal(tsrec__json_type(tsrec__json_at(g, 2)), TSREC__JSON_OBJECT);
    assert_null(tsrec__json_at(g, 3));
    assert_null(tsrec__json_at(g, -1));
    assert_string_equal(tsrec__json_get(tsrec__json_get(r, "h"), "x")->u.str.ptr, "y");
    /* wrong types, missing keys, NULL safety */
    assert_null(tsrec__json_get(r, "missing"));
    assert_null(tsrec__json_get(g, "x"));
    assert_int_equal(tsrec__json_as_string(tsrec__json_get(r, "d"), NULL, "AttributeName", &s,
                                           &sl), TSREC_E_BAD_TYPE);
    assert_non_null(strstr(tsrec_last_error(), "AttributeName: expected a string, got number"));
    assert_int_equal(tsrec__json_as_string(NULL, NULL, "Name", &s, &sl), TSREC_E_BAD_TYPE);
    assert_non_null(strstr(tsrec_last_error(), "Name: missing"));
    assert_int_equal(tsrec__json_as_double(tsrec__json_get(r, "f"), NULL, "x", &dv),
                     TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__json_as_bool(tsrec__json_get(r, "d"), NULL, "x", &b), TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__json_as_int64(tsrec__json_get(r, "f"), NULL, "x", &iv),
                     TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__json_len(tsrec__json_get(r, "d")), -1);
    assert_int_equal(tsrec__json_len(NULL), -1);
    assert_int_equal(tsrec__json_type(NULL), -1);
    assert_string_equal(tsrec__json_type_name(TSREC__JSON_ARRAY), "array");
    tsrec__json_free(d);
    tsrec__json_free(NULL);
    /* scalars at top level */
    static const char *tops[] = {"null", " true ", "\"x\"", "-1", "[]", "{}"};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(tops); i++)
        tsrec__json_free(parse_ok(ctx, tops[i]));
    tu_ctx_free_checked(ctx);
}

static void test_strings(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__json_doc *d =
        parse_ok(ctx, "\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u4E2D\\ud83d\\ude00\\u0000z\"");
    const tsrec__json *r = tsrec__json_root(d);
    static const char want[] = "q\"b\\s/\b\f\n\r\tA\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\0z";
    assert_int_equal(r->u.str.len, sizeof want - 1);
    assert_memory_equal(r->u.str.ptr, want, sizeof want - 1);
    tsrec__json_free(d);
    /* raw UTF-8 kept as is */
    d = parse_ok(ctx, "[\"\xC3\xA9\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"]");
    assert_string_equal(tsrec__json_at(tsrec__json_root(d), 0)->u.str.ptr,
                        "\xC3\xA9\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
    tsrec__json_free(d);
    tu_ctx_free_checked(ctx);

    parse_bad("\"\\ud800\"", TSREC_E_PARSE, "lone high surrogate");
    parse_bad("\"\\ud800\\u0041\"", TSREC_E_PARSE, "lone high surrogate");
    parse_bad("\"\\ud800x\"", TSREC_E_PARSE, "lone high surrogate");
    parse_bad("\"\\udc00\"", TSREC_E_PARSE, "lone low surrogate");
    parse_bad("\"\\ud800\\ud800\"", TSREC_E_PARSE, "surrogate");
    parse_bad("\"\\u12\"", TSREC_E_PARSE, "hex digits");
    parse_bad("\"\\u12G4\"", TSREC_E_PARSE, "hex digits");
    parse_bad("\"\\x\"", TSREC_E_PARSE, "invalid escape");
    parse_bad("\"\\'\"", TSREC_E_PARSE, "invalid escape");
    parse_bad("\"a\nb\"", TSREC_E_PARSE, "control character");
    parse_bad("\"a\tb\"", TSREC_E_PARSE, "control character");
    parse_bad("\"abc", TSREC_E_PARSE, "unterminated string");
    parse_bad("\"abc\\\"", TSREC_E_PARSE, "unterminated string");
    parse_bad("'abc'", TSREC_E_PARSE, "expected a value");
    static const char *bad_utf8[] = {"\"\xC0\x80\"", "\"\xE0\x80\x80\"", "\"\xED\xA0\x80\"",
                                     "\"\xF4\x90\x80\x80\"", "\"\xF5\x80\x80\x80\"", "\"\x80\"",
                                     "\"\xC3\"", "\"\xFF\""};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(bad_utf8); i++)
        parse_bad(bad_utf8[i], TSREC_E_PARSE, "invalid UTF-8");
    parse_bad_n("\"a\0b\"", 5, TSREC_E_PARSE, "control character");
}

static void check_num(tsrec_ctx *ctx, const char *text, double d, int is_int, int64_t i)
{
    tsrec__json_doc *doc = parse_ok(ctx, text);
    const tsrec__json *r = tsrec__json_root(doc);
    assert_int_equal(r->type, TSREC__JSON_NUMBER);
    if (r->u.num.d != d || signbit(r->u.num.d) != signbit(d))
        fail_msg("%s: %.17g != %.17g", text, r->u.num.d, d);
    if (r->is_int != is_int)
        fail_msg("%s: is_int %d, want %d", text, r->is_int, is_int);
    if (is_int)
        assert_int_equal(r->u.num.i, i);
    assert_string_equal(r->u.num.text, text);
    tsrec__json_free(doc);
}

static void test_numbers(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    check_num(ctx, "0", 0.0, 1, 0);
    check_num(ctx, "-0", -0.0, 1, 0);
    check_num(ctx, "-0.0", -0.0, 1, 0);
    check_num(ctx, "1.50", 1.5, 0, 0);
    check_num(ctx, "1.0", 1.0, 1, 1);
    check_num(ctx, "1e2", 100.0, 1, 100);
    check_num(ctx, "1E+2", 100.0, 1, 100);
    check_num(ctx, "0.1e1", 1.0, 1, 1);
    check_num(ctx, "12.5e-1", 1.25, 0, 0);
    check_num(ctx, "1e-2", 0.01, 0, 0);
    check_num(ctx, "1e308", 1e308, 0, 0);
    check_num(ctx, "-1.7976931348623157e308", -1.7976931348623157e308, 0, 0);
    check_num(ctx, "5e-324", 5e-324, 0, 0);
    check_num(ctx, "1e-400", 0.0, 0, 0); /* underflow to zero is fine */
    check_num(ctx, "9223372036854775807", 9223372036854775807.0, 1, INT64_MAX);
    check_num(ctx, "-9223372036854775808", -9223372036854775808.0, 1, INT64_MIN);
    check_num(ctx, "9223372036854775808", 9223372036854775808.0, 0, 0);
    check_num(ctx, "-9223372036854775809", -9223372036854775809.0, 0, 0);
    check_num(ctx, "9007199254740993", 9007199254740992.0, 1, 9007199254740993LL);
    check_num(ctx, "1.00000000000000001", 1.0, 0, 0);
    check_num(ctx, "922337203685477580.7e1", 9223372036854775807.0, 1, INT64_MAX);
    check_num(ctx, "100000000000000000000e-2", 1e18, 1, 1000000000000000000LL);
    check_num(ctx, "0e999999999999", 0.0, 1, 0);
    tu_ctx_free_checked(ctx);

    parse_bad("1e309", TSREC_E_PARSE, "out of range");
    parse_bad("-1e309", TSREC_E_PARSE, "out of range");
    parse_bad("[1e99999999999999999999]", TSREC_E_PARSE, "out of range");
    parse_bad("01", TSREC_E_PARSE, "leading zero");
    parse_bad("-01", TSREC_E_PARSE, "leading zero");
    parse_bad("1.", TSREC_E_PARSE, "after '.'");
    parse_bad("1.e5", TSREC_E_PARSE, "after '.'");
    parse_bad("-", TSREC_E_PARSE, "expected a digit");
    parse_bad("- 1", TSREC_E_PARSE, "expected a digit");
    parse_bad(".5", TSREC_E_PARSE, "expected a value");
    parse_bad("+1", TSREC_E_PARSE, "expected a value");
    parse_bad("1e", TSREC_E_PARSE, "exponent");
    parse_bad("1e+", TSREC_E_PARSE, "exponent");
    parse_bad("0x10", TSREC_E_PARSE, "expected end of input");
    parse_bad("NaN", TSREC_E_PARSE, "expected a value");
    parse_bad("Infinity", TSREC_E_PARSE, "expected a value");
    parse_bad("-Infinity", TSREC_E_PARSE, "expected a digit");

    /* a host locale with a decimal comma must not change parsing */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL || setlocale(LC_NUMERIC, "fr_FR.UTF-8") != NULL) {
        ctx = tu_ctx_new();
        check_num(ctx, "2.25", 2.25, 0, 0);
        check_num(ctx, "-1234567.125e-3", -1234.567125, 0, 0);
        tu_ctx_free_checked(ctx);
        setlocale(LC_NUMERIC, "C");
    }
}

static void test_syntax_errors(void **state)
{
    (void)state;
    parse_bad("", TSREC_E_PARSE, "expected a value at line 1 column 1 (end of input)");
    parse_bad("  \n ", TSREC_E_PARSE, "expected a value at line 2 column 2");
    parse_bad("[1,]", TSREC_E_PARSE, "expected a value at line 1 column 4");
    parse_bad("{\"a\":1,}", TSREC_E_PARSE, "expected a string key at line 1 column 8");
    parse_bad("[1 2]", TSREC_E_PARSE, "expected ',' or ']'");
    parse_bad("{\n  \"a\": 1\n  \"b\": 2}", TSREC_E_PARSE, "expected ',' or '}' at line 3 column 3");
    parse_bad("{\"a\" 1}", TSREC_E_PARSE, "expected ':'");
    parse_bad("{a:1}", TSREC_E_PARSE, "expected a string key");
    parse_bad("{1:1}", TSREC_E_PARSE, "expected a string key");
    parse_bad("// c\n{}", TSREC_E_PARSE, "expected a value");
    parse_bad("{} // c", TSREC_E_PARSE, "expected end of input");
    parse_bad("[1 /* c */]", TSREC_E_PARSE, "expected ',' or ']'");
    parse_bad("{}{}", TSREC_E_PARSE, "expected end of input");
    parse_bad("[,1]", TSREC_E_PARSE, "expected a value");
    parse_bad("[1,,2]", TSREC_E_PARSE, "expected a value");
    parse_bad("tru", TSREC_E_PARSE, "expected a value");
    parse_bad("True", TSREC_E_PARSE, "expected a value");
    parse_bad("nul", TSREC_E_PARSE, "expected a value");
    parse_bad("truex", TSREC_E_PARSE, "expected end of input");
    parse_bad("\xEF\xBB\xBF{}", TSREC_E_PARSE, "expected a value"); /* no BOM in RFC 8259 */
    parse_bad("[\f]", TSREC_E_PARSE, "expected a value");          /* form feed is not space */
    parse_bad_n("[1]\0", 4, TSREC_E_PARSE, "expected end of input");
    parse_bad_n(NULL, 3, TSREC_E_INVALID_ARG, NULL);
}

static void test_duplicates_and_depth(void **state)
{
    (void)state;
    parse_bad("{\"a\":1,\"a\":2}", TSREC_E_DUPLICATE, "duplicate key \"a\"");
    parse_bad("{\"x\":{\"k\":1,\"j\":2,\"k\":3}}", TSREC_E_DUPLICATE, "\"k\"");
    /* a large object goes through the sorted check */
    char big[8192];
    size_t n = 0;
    n += (size_t)snprintf(big + n, sizeof big - n, "{");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "%s\"key%d\":%d", i ? "," : "", i, i);
    big[n] = '\0';
    char with_dup[8300];
    snprintf(with_dup, sizeof with_dup, "%s,\"key123\":0,\n\"key7\":1}", big);
    parse_bad(with_dup, TSREC_E_DUPLICATE, "duplicate key \"key123\"");
    snprintf(with_dup, sizeof with_dup, "%s}", big);
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__json_doc *d = parse_ok(ctx, with_dup);
    assert_int_equal(tsrec__json_len(tsrec__json_root(d)), 300);
    int64_t v = -1;
    assert_int_equal(tsrec__json_as_int64(tsrec__json_get(tsrec__json_root(d), "key299"), NULL,
                                          "v", &v), TSREC_OK);
    assert_int_equal(v, 299);
    tsrec__json_free(d);
    /* same key in different objects is fine; keys differing only after a
     * \u0000 are different */
    tsrec__json_free(parse_ok(ctx, "[{\"a\":1},{\"a\":2},{\"a\\u0000\":1,\"a\":2}]"));

    /* depth: 128 levels parse, 129 do not */
    char deep[400];
    for (int lv = 127; lv <= 129; lv++) {
        memset(deep, '[', (size_t)lv);
        memset(deep + lv, ']', (size_t)lv);
        deep[2 * lv] = '\0';
        tsrec__json_doc *dd = NULL;
        int rc = tsrec__json_parse(ctx, NULL, deep, strlen(deep), 0, &dd);
        assert_int_equal(rc, lv <= 128 ? TSREC_OK : TSREC_E_PARSE);
        if (rc != TSREC_OK)
            assert_non_null(strstr(tsrec_last_error(), "nesting deeper than 128"));
        tsrec__json_free(dd);
    }
    tsrec__json_doc *dd = NULL;
    assert_int_equal(tsrec__json_parse(ctx, NULL, "{\"a\":{\"b\":[1]}}", 15, 2, &dd), TSREC_E_PARSE);
    assert_int_equal(tsrec__json_parse(ctx, NULL, "{\"a\":{\"b\":1}}", 13, 2, &dd), TSREC_OK);
    tsrec__json_free(dd);
    /* a very deep document is refused without deep recursion */
    static char very[200000];
    memset(very, '[', sizeof very);
    assert_int_equal(tsrec__json_parse(ctx, NULL, very, sizeof very, 0, &dd), TSREC_E_PARSE);
    tu_ctx_free_checked(ctx);
}

static const char sample[] =
    "{\n"
    "  \"Attributes\": [\n"
    "    {\"AttributeName\": \"item_id\", \"AttributeType\": \"string\"},\n"
    "    {\"AttributeName\": \"timestamp\", \"AttributeType\": \"timestamp\"},\n"
    "    {\"AttributeName\": \"demand\", \"AttributeType\": \"float\", \"x\": [1.5e3, -0, true, null]}\n"
    "  ],\n"
    "  \"name\": \"caf\\u00e9 \\ud83d\\ude00 \xC3\xA9\"\n"
    "}";

/* Every proper prefix of an object document is invalid: each must fail
 * cleanly (PARSE, no leak); the full document parses. */
static void test_truncated_everywhere(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    size_t len = sizeof sample - 1;
    for (size_t cut = 0; cut < len; cut++) {
        tsrec__json_doc *d = (tsrec__json_doc *)0x1;
        int rc = tsrec__json_parse(ctx, NULL, sample, cut, 0, &d);
        if (rc != TSREC_E_PARSE)
            fail_msg("prefix %zu: %s", cut, tsrec_status_str(rc));
        assert_null(d);
    }
    tsrec__json_doc *d = parse_ok(ctx, sample);
    const tsrec__json *attrs = tsrec__json_get(tsrec__json_root(d), "Attributes");
    assert_int_equal(tsrec__json_len(attrs), 3);
    const tsrec__json *x = tsrec__json_get(tsrec__json_at(attrs, 2), "x");
    assert_int_equal(x->line, 5);
    assert_true(tsrec__json_at(x, 0)->u.num.d == 1500.0);
    assert_string_equal(tsrec__json_get(tsrec__json_root(d), "name")->u.str.ptr,
                        "caf\xC3\xA9 \xF0\x9F\x98\x80 \xC3\xA9");
    tsrec__json_free(d);
    tu_ctx_free_checked(ctx);
}

/* ---- writer ----------------------------------------------------------------- */

static void test_writer_text(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__json_writer w;
    tsrec__jw_init(&w, ctx);
    tsrec__jw_object_begin(&w);
    tsrec__jw_key(&w, "a", 1);
    tsrec__jw_array_begin(&w);
    tsrec__jw_int64(&w, 1);
    tsrec__jw_double(&w, 2.5);
    tsrec__jw_string(&w, "x\"\\\n\x01/\xC3\xA9", 8);
    tsrec__jw_array_end(&w);
    tsrec__jw_key(&w, "b", 1);
    tsrec__jw_null(&w);
    tsrec__jw_key(&w, "c", 1);
    tsrec__jw_bool(&w, 1);
    tsrec__jw_key(&w, "d", 1);
    tsrec__jw_object_begin(&w);
    tsrec__jw_object_end(&w);
    tsrec__jw_key(&w, "e", 1);
    tsrec__jw_double(&w, 0.1);
    tsrec__jw_key(&w, "f", 1);
    tsrec__jw_int64(&w, INT64_MIN);
    tsrec__jw_object_end(&w);
    const char *out = NULL;
    size_t len = 0;
    assert_int_equal(tsrec__jw_finish(&w, NULL, &out, &len), TSREC_OK);
    assert_string_equal(out, "{\"a\":[1,2.5,\"x\\\"\\\\\\n\\u0001/\xC3\xA9\"],\"b\":null,\"c\":true,"
                             "\"d\":{},\"e\":0.1,\"f\":-9223372036854775808}");
    assert_int_equal(len, strlen(out));
    tsrec__jw_free(&w);

    /* errors stick and are reported once at the end */
    tsrec__jw_init(&w, ctx);
    tsrec__jw_array_begin(&w);
    assert_int_equal(tsrec__jw_double(&w, NAN), TSREC_E_NAN);
    tsrec__jw_int64(&w, 1);
    tsrec__jw_array_end(&w);
    assert_int_equal(tsrec__jw_finish(&w, NULL, &out, &len), TSREC_E_NAN);
    assert_null(out);
    tsrec__jw_free(&w);
    tsrec__jw_init(&w, ctx);
    assert_int_equal(tsrec__jw_double(&w, INFINITY), TSREC_E_NAN);
    tsrec__jw_free(&w);
    tsrec__jw_init(&w, ctx);
    assert_int_equal(tsrec__jw_string(&w, "\xC0\x80", 2), TSREC_E_INVALID_ARG);
    tsrec__jw_free(&w);
    tsrec__jw_init(&w, ctx);
    tsrec__jw_object_begin(&w);
    assert_int_equal(tsrec__jw_int64(&w, 1), TSREC_E_MISUSE); /* value without key */
    tsrec__jw_free(&w);
    tsrec__jw_init(&w, ctx);
    tsrec__jw_array_begin(&w);
    assert_int_equal(tsrec__jw_key(&w, "k", 1), TSREC_E_MISUSE);
    tsrec__jw_free(&w);
    tsrec__jw_init(&w, ctx);
    tsrec__jw_array_begin(&w);
    assert_int_equal(tsrec__jw_object_end(&w), TSREC_E_MISUSE);
    tsrec__jw_free(&w);
    tsrec__jw_init(&w, ctx);
    tsrec__jw_array_begin(&w);
    assert_int_equal(tsrec__jw_finish(&w, NULL, &out, &len), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "not complete"));
    tsrec__jw_free(&w);
    tsrec__jw_init(&w, ctx);
    assert_int_equal(tsrec__jw_finish(&w, NULL, &out, &len), TSREC_E_MISUSE);
    tsrec__jw_free(&w);
    tsrec__jw_init(&w, ctx);
    tsrec__jw_null(&w);
    assert_int_equal(tsrec__jw_null(&w), TSREC_E_MISUSE);
    tsrec__jw_free(&w);
    tu_ctx_free_checked(ctx);
}

static uint64_t rng_state = 0x243F6A8885A308D3ULL;
static uint64_t rnd64(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Written documents read back exactly: every control character, doubles
 * of every magnitude (bit patterns at random), int64 extremes. */
static void test_writer_round_trip(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__json_writer w;
    tsrec__jw_init(&w, ctx);
    tsrec__jw_object_begin(&w);
    char all[128];
    for (int i = 0; i < 127; i++)
        all[i] = (char)(i + 1);
    tsrec__jw_key(&w, all, 127);
    tsrec__jw_array_begin(&w);
    double vals[2000];
    int nv = 0;
    while (nv < 2000) {
        uint64_t bits = rnd64();
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        vals[nv++] = v;
        tsrec__jw_double(&w, v);
    }
    tsrec__jw_int64(&w, INT64_MAX);
    tsrec__jw_double(&w, -0.0);
    tsrec__jw_array_end(&w);
    tsrec__jw_object_end(&w);
    const char *out = NULL;
    size_t len = 0;
    assert_int_equal(tsrec__jw_finish(&w, NULL, &out, &len), TSREC_OK);
    tsrec__json_doc *d = NULL;
    assert_int_equal(tsrec__json_parse(ctx, NULL, out, len, 0, &d), TSREC_OK);
    const tsrec__json *r = tsrec__json_root(d);
    assert_int_equal(r->u.obj.items[0].key_len, 127);
    assert_memory_equal(r->u.obj.items[0].key, all, 127);
    const tsrec__json *arr = &r->u.obj.items[0].value;
    assert_int_equal(tsrec__json_len(arr), 2002);
    for (int i = 0; i < nv; i++)
        if (tsrec__json_at(arr, i)->u.num.d != vals[i])
            fail_msg("double %d: %.17g read back as %.17g", i, vals[i],
                     tsrec__json_at(arr, i)->u.num.d);
    int64_t iv = 0;
    assert_int_equal(tsrec__json_as_int64(tsrec__json_at(arr, 2000), NULL, "v", &iv), TSREC_OK);
    assert_int_equal(iv, INT64_MAX);
    assert_true(signbit(tsrec__json_at(arr, 2001)->u.num.d));
    tsrec__json_free(d);
    tsrec__jw_free(&w);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_kinds),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_duplicates_and_depth),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_writer_text),
        cmocka_unit_test(test_writer_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
