/* Personalize filter expressions: the documented examples parsed and
 * evaluated on a small catalogue whose expected results are worked out by
 * hand, INCLUDE/EXCLUDE combination across '|', placeholders, CurrentItem,
 * IF CurrentUser, case rules, and a table of malformed expressions with the
 * expected status and error position. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_internal.h"

/* ---- catalogue -------------------------------------------------------------
 * item  GENRE           PRICE        CATEGORY_L1  CATEGORY_L2
 *  0    comedy          5            shoe         boot
 *  1    drama|comedy    10           shoe         sandal
 *  2    horror          20           hat          -
 *  3    Comedy          15           shoe         -
 *  4    -               -            -            -
 *  5    drama           "7.5" (text) -            -
 * user  AGE  MEMBERSHIP_STATUS   interactions (item: event type)
 *  0    30   gold                0: click, 2: Stream
 *  1    17   silver              1: purchase
 *  2    -    -                   none                                      */
enum { N_ITEMS = 6, N_USERS = 3 };

static const char *const GENRE[N_ITEMS] = {"comedy", "drama|comedy", "horror", "Comedy", NULL,
                                           "drama"};
static const double PRICE[N_ITEMS] = {5, 10, 20, 15, -1, -1};
static const char *const CAT1[N_ITEMS] = {"shoe", "shoe", "hat", "shoe", NULL, NULL};
static const char *const CAT2[N_ITEMS] = {"boot", "sandal", NULL, NULL, NULL, NULL};
static const double AGE[N_USERS] = {30, 17, -1};
static const char *const MEMBER[N_USERS] = {"gold", "silver", NULL};

typedef struct ix {
    int64_t user, item;
    const char *type;
} ix;
static const ix IX[] = {{0, 0, "click"}, {0, 2, "Stream"}, {1, 1, "purchase"}};

static const tsrec__filter *cur_filter; /* to name fields in callbacks */
static int n_interaction_calls;

static void set_str(tsrec__filter_fieldval *out, const char *s)
{
    if (s) {
        out->kind = TSREC__FFV_STRING;
        out->str = s;
        out->len = strlen(s);
    }
}

static void item_field(void *ud, int64_t item, int32_t field, tsrec__filter_fieldval *out)
{
    (void)ud;
    out->kind = TSREC__FFV_MISSING;
    assert_true(item >= 0 && item < N_ITEMS);
    const char *name = cur_filter->fields[field].name;
    assert_int_equal(cur_filter->fields[field].dataset, TSREC__FDS_ITEMS);
    if (strcmp(name, "GENRE") == 0) {
        set_str(out, GENRE[item]);
    } else if (strcmp(name, "PRICE") == 0) {
        if (item == 5) {
            set_str(out, "7.5");
        } else if (PRICE[item] >= 0) {
            out->kind = TSREC__FFV_NUMBER;
            out->num = PRICE[item];
        }
    } else if (strcmp(name, "CATEGORY_L1") == 0) {
        set_str(out, CAT1[item]);
    } else if (strcmp(name, "CATEGORY_L2") == 0) {
        set_str(out, CAT2[item]);
    }
}

static void user_field(void *ud, int64_t user, int32_t field, tsrec__filter_fieldval *out)
{
    (void)ud;
    out->kind = TSREC__FFV_MISSING;
    assert_true(user >= 0 && user < N_USERS);
    const char *name = cur_filter->fields[field].name;
    assert_int_equal(cur_filter->fields[field].dataset, TSREC__FDS_USERS);
    if (strcmp(name, "AGE") == 0 && AGE[user] >= 0) {
        out->kind = TSREC__FFV_NUMBER;
        out->num = AGE[user];
    } else if (strcmp(name, "MEMBERSHIP_STATUS") == 0) {
        set_str(out, MEMBER[user]);
    }
}

static int user_interacted(void *ud, int64_t user, int64_t item,
                           const tsrec__filter_event_set *set)
{
    (void)ud;
    n_interaction_calls++;
    for (size_t i = 0; i < TSREC__ARRAY_LEN(IX); i++)
        if (IX[i].user == user && (item < 0 || IX[i].item == item) &&
            tsrec__filter_event_set_has(set, IX[i].type, strlen(IX[i].type)))
            return 1;
    return 0;
}

static const tsrec__filter_callbacks CB = {item_field, user_field, user_interacted};

/* Bitmask of kept candidates (items for ItemID filters, users for UserID
 * ones), checked against the batch form too. Returns -1 if the filter or
 * the binding failed, with the status in *rc_out. */
static int run_full(const char *expr, const char *const *keys, const char *const *vals,
                    int64_t n, int64_t user, int64_t current_item, int *rc_out)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__filter *f = NULL;
    int64_t pos = -1;
    int rc = tsrec__filter_compile(ctx, NULL, expr, &f, &pos);
    if (rc != TSREC_OK)
        fprintf(stderr, "# compile '%s': %s\n", expr, tsrec_last_error());
    assert_int_equal(rc, TSREC_OK);
    assert_int_equal(pos, 0);
    cur_filter = f;
    tsrec__filter_binding *b = NULL;
    rc = tsrec__filter_bind(f, NULL, keys, vals, n, &b);
    if (rc_out)
        *rc_out = rc;
    int mask = -1;
    if (rc == TSREC_OK) {
        tsrec__filter_env env = {&CB, NULL, user, current_item};
        int64_t n_cand = f->target == TSREC__FILTER_ITEMS ? N_ITEMS : N_USERS;
        int64_t cand[N_ITEMS], kept[N_ITEMS], n_kept = -1;
        mask = 0;
        for (int64_t c = 0; c < n_cand; c++) {
            cand[c] = c;
            if (tsrec__filter_keep(f, b, &env, c))
                mask |= 1 << c;
        }
        tsrec__filter_keep_batch(f, b, &env, cand, n_cand, kept, &n_kept);
        int batch_mask = 0;
        for (int64_t i = 0; i < n_kept; i++) {
            if (i > 0)
                assert_true(kept[i] > kept[i - 1]); /* order kept */
            batch_mask |= 1 << kept[i];
        }
        assert_int_equal(batch_mask, mask);
        /* in place */
        tsrec__filter_keep_batch(f, b, &env, cand, n_cand, cand, &n_kept);
        for (int64_t i = 0; i < n_kept; i++)
            assert_int_equal(cand[i], kept[i]);
    }
    tsrec__filter_binding_free(b);
    tsrec__filter_free(f);
    cur_filter = NULL;
    tu_ctx_free_checked(ctx);
    return mask;
}

static int run(const char *expr, int64_t user)
{
    return run_full(expr, NULL, NULL, 0, user, -1, NULL);
}

static int run1(const char *expr, const char *key, const char *val, int64_t user)
{
    const char *k[1] = {key}, *v[1] = {val};
    return run_full(expr, k, v, 1, user, -1, NULL);
}

#define M(...) mask_of((const int[]){__VA_ARGS__, -1})
static int mask_of(const int *ids)
{
    int m = 0;
    for (; *ids >= 0; ids++)
        m |= 1 << *ids;
    return m;
}
#define ALL_ITEMS ((1 << N_ITEMS) - 1)

/* ---- documented examples -------------------------------------------------- */

static void test_interaction_examples(void **state)
{
    (void)state;
    /* "Stream" was recorded in another case: event types ignore case. */
    assert_int_equal(run("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\", \"stream\")", 0),
                     M(1, 3, 4, 5));
    assert_int_equal(run("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")", 0), M(0));
    assert_int_equal(run("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"CLICK\")", 0), M(0));
    assert_int_equal(run("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\")", 0), M(0, 2));
    assert_int_equal(run("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)", 1), M(1));
    assert_int_equal(run("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\")", 2), ALL_ITEMS);
    /* NOT IN: interacted with an event type outside the list. */
    assert_int_equal(run("INCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN (\"click\")", 0),
                     M(2));
    assert_int_equal(run1("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)",
                          "EVENT_TYPE", "\"click\"", 0),
                     M(1, 2, 3, 4, 5));
    /* No requesting user: nobody has interactions. */
    assert_int_equal(run("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")", -1), 0);
}

static void test_item_examples(void **state)
{
    (void)state;
    assert_int_equal(run1("INCLUDE ItemID WHERE Items.PRICE <= $PRICE", "PRICE", "10", 0),
                     M(0, 1, 5));
    assert_int_equal(run1("INCLUDE ItemID WHERE Items.PRICE <= $PRICE", "PRICE", "\"10\"", 0),
                     M(0, 1, 5));
    assert_int_equal(run1("EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)", "CATEGORY",
                          "\"x\"", 0),
                     ALL_ITEMS); /* no item has CATEGORY */
    assert_int_equal(run("EXCLUDE ItemID WHERE Items.CATEGORY_L1 IN (\"shoe\") AND "
                         "Items.CATEGORY_L2 NOT IN (\"boot\")",
                         0),
                     M(0, 2, 4, 5));
    assert_int_equal(run1("INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)", "GENRE",
                          "\"horror\",\"drama\"", 0),
                     M(1, 2, 5));
    /* multi-valued: drama|comedy matches comedy; case-sensitive */
    assert_int_equal(run("INCLUDE ItemID WHERE Items.GENRE IN (\"comedy\")", 0), M(0, 1));
    assert_int_equal(run("INCLUDE ItemID WHERE Items.GENRE IN (\"COMEDY\")", 0), 0);
    assert_int_equal(run("INCLUDE ItemID WHERE Items.GENRE NOT IN (\"comedy\")", 0),
                     M(2, 3, 4, 5));
    assert_int_equal(run("INCLUDE ItemID WHERE Items.PRICE != 10", 0), M(0, 2, 3, 5));
    assert_int_equal(run("INCLUDE ItemID WHERE Items.PRICE = 20", 0), M(2));
    assert_int_equal(run("INCLUDE ItemID WHERE Items.PRICE > 7.5", 0), M(1, 2, 3));
    assert_int_equal(run("INCLUDE ItemID WHERE Items.PRICE >= 7.5", 0), M(1, 2, 3, 5));
    assert_int_equal(run("INCLUDE ItemID WHERE Items.PRICE < 1e1", 0), M(0, 5));
    /* numbers in IN lists: numeric match on numbers, source text on text */
    assert_int_equal(run("INCLUDE ItemID WHERE Items.PRICE IN (10, 7.5)", 0), M(1, 5));
    /* escapes */
    assert_int_equal(run("INCLUDE ItemID WHERE Items.GENRE IN (\"dra\\\"ma\", \"horror\")", 0),
                     M(2));
}

static void test_user_examples(void **state)
{
    (void)state;
    /* IF CurrentUser: user 0 is 30, user 1 is 17. */
    const char *k[2] = {"GENRE", "AGE"}, *v[2] = {"\"comedy\"", "30"};
    const char *e = "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE";
    assert_int_equal(run_full(e, k, v, 2, 0, -1, NULL), M(2, 3, 4, 5));
    assert_int_equal(run_full(e, k, v, 2, 1, -1, NULL), ALL_ITEMS);
    assert_int_equal(run_full(e, k, v, 2, -1, -1, NULL), ALL_ITEMS);
    const char *e2 = "INCLUDE ItemID WHERE Items.GENRE IN (\"horror\") IF CurrentUser.AGE >= 18 "
                     "AND CurrentUser.MEMBERSHIP_STATUS IN (\"gold\")";
    assert_int_equal(run(e2, 0), M(2));
    assert_int_equal(run(e2, 1), ALL_ITEMS); /* IF false: the expression does not apply */
    /* user segments */
    int users = run1("INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($M)", "M", "\"gold\"", -1);
    assert_int_equal(users, M(0));
    assert_int_equal(run1("INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($MEMBERSHIP)",
                          "MEMBERSHIP", "\"gold\", \"silver\"", -1),
                     M(0, 1));
    assert_int_equal(run1("EXCLUDE UserID WHERE Users.AGE < $AGE", "AGE", "18", -1), M(0, 2));
    assert_int_equal(run("INCLUDE UserID WHERE Interactions.EVENT_TYPE IN (\"click\", \"rating\")",
                         -1),
                     M(0));
    assert_int_equal(run1("EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)",
                          "EVENT_TYPE", "\"PURCHASE\"", -1),
                     M(0, 2));
}

static void test_current_item(void **state)
{
    (void)state;
    const char *e = "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN "
                    "CurrentItem.GENRE";
    /* current item 1: drama|comedy at 10 */
    assert_int_equal(run_full(e, NULL, NULL, 0, 0, 1, NULL), M(0, 5));
    /* current item 2: horror at 20: nothing else is horror */
    assert_int_equal(run_full(e, NULL, NULL, 0, 0, 2, NULL), 0);
    /* no current item: CurrentItem conditions fail */
    assert_int_equal(run_full(e, NULL, NULL, 0, 0, -1, NULL), 0);
    const char *e2 = "EXCLUDE ItemID WHERE Items.GENRE IN (CurrentItem.GENRE)";
    assert_int_equal(run_full(e2, NULL, NULL, 0, 0, 0, NULL), M(2, 3, 4, 5));
    const char *k[1] = {"DATE"}, *v[1] = {"12"};
    const char *e3 = "INCLUDE ItemID WHERE Items.PRICE > CurrentItem.PRICE AND Items.PRICE > $DATE";
    assert_int_equal(run_full(e3, k, v, 1, 0, 0, NULL), M(2, 3));
}

/* ---- combination across '|' ---------------------------------------------- */

static void test_combination(void **state)
{
    (void)state;
    const char *inc = "INCLUDE ItemID WHERE Items.GENRE IN (\"comedy\")";
    const char *exc = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")";
    char buf[512];
    snprintf(buf, sizeof buf, "%s | %s", inc, exc);
    assert_int_equal(run(buf, 0), M(1)); /* {0,1} - {0} */
    snprintf(buf, sizeof buf, "%s|%s", exc, inc);
    assert_int_equal(run(buf, 0), M(1)); /* order irrelevant */
    assert_int_equal(run("INCLUDE ItemID WHERE Items.GENRE IN (\"horror\") | INCLUDE ItemID WHERE "
                         "Items.PRICE >= 15",
                         0),
                     M(2, 3));
    assert_int_equal(run("EXCLUDE ItemID WHERE Items.GENRE IN (\"horror\") | EXCLUDE ItemID WHERE "
                         "Items.PRICE < 6",
                         0),
                     M(1, 3, 4, 5));
    /* union of INCLUDEs minus union of EXCLUDEs */
    assert_int_equal(run("INCLUDE ItemID WHERE Items.GENRE IN (\"horror\") | EXCLUDE ItemID WHERE "
                         "Items.PRICE > 18 | INCLUDE ItemID WHERE Items.PRICE < 11 | EXCLUDE "
                         "ItemID WHERE Items.GENRE IN (\"drama\")",
                         0),
                     M(0));
    /* AND binds tighter than OR; parentheses group */
    assert_int_equal(run("INCLUDE ItemID WHERE Items.PRICE < 6 OR Items.GENRE IN (\"drama\") AND "
                         "Items.PRICE > 8",
                         0),
                     M(0, 1));
    assert_int_equal(run("INCLUDE ItemID WHERE (Items.PRICE < 6 OR Items.GENRE IN (\"drama\")) "
                         "AND Items.PRICE > 8",
                         0),
                     M(1));
    /* interactions and items in two expressions of one filter */
    assert_int_equal(run("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"stream\") | INCLUDE "
                         "ItemID WHERE Items.PRICE >= 15",
                         0),
                     M(3));
}

/* ---- placeholders ----------------------------------------------------------- */

static void test_placeholders(void **state)
{
    (void)state;
    int rc = 0;
    /* missing INCLUDE parameter: error naming it */
    int m = run_full("INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)", NULL, NULL, 0, 0, -1, &rc);
    assert_int_equal(m, -1);
    assert_int_equal(rc, TSREC_E_INVALID_ARG);
    assert_non_null(strstr(tsrec_last_error(), "$GENRE"));
    /* missing EXCLUDE parameter: that expression is off, the rest applies */
    const char *e = "EXCLUDE ItemID WHERE Items.GENRE IN ($G) | EXCLUDE ItemID WHERE Items.PRICE "
                    "> $P";
    const char *kp[1] = {"P"}, *vp[1] = {"12"};
    assert_int_equal(run_full(e, kp, vp, 1, 0, -1, NULL), M(0, 1, 4, 5));
    assert_int_equal(run_full(e, NULL, NULL, 0, 0, -1, NULL), ALL_ITEMS);
    /* a parameter used by both kinds is required */
    rc = 0;
    m = run_full("INCLUDE ItemID WHERE Items.GENRE IN ($G) | EXCLUDE ItemID WHERE "
                 "Items.CATEGORY_L1 IN ($G)",
                 NULL, NULL, 0, 0, -1, &rc);
    assert_int_equal(rc, TSREC_E_INVALID_ARG);
    /* names are case-sensitive; unknown keys are ignored */
    const char *k2[2] = {"genre", "OTHER"}, *v2[2] = {"\"comedy\"", "1"};
    m = run_full("INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)", k2, v2, 2, 0, -1, &rc);
    assert_int_equal(rc, TSREC_E_INVALID_ARG);
    /* malformed values */
    static const char *const bad[] = {"", "\"open", "\"a\" \"b\"", "\"a\",", "a\"b", ",",
                                      "\"x\\q\""};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(bad); i++) {
        const char *k[1] = {"G"}, *v[1] = {bad[i]};
        rc = 0;
        m = run_full("INCLUDE ItemID WHERE Items.GENRE IN ($G)", k, v, 1, 0, -1, &rc);
        assert_int_equal(m, -1);
        assert_int_equal(rc, TSREC_E_INVALID_ARG);
    }
    /* comparison parameter must be one number */
    static const char *const badnum[] = {"\"ten\"", "1,2", "abc"};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(badnum); i++) {
        const char *k[1] = {"P"}, *v[1] = {badnum[i]};
        rc = 0;
        m = run_full("INCLUDE ItemID WHERE Items.PRICE < $P", k, v, 1, 0, -1, &rc);
        assert_int_equal(rc, TSREC_E_INVALID_ARG);
    }
    /* duplicate keys, too many entries, overlong value */
    const char *kd[2] = {"G", "G"}, *vd[2] = {"\"a\"", "\"b\""};
    run_full("INCLUDE ItemID WHERE Items.GENRE IN ($G)", kd, vd, 2, 0, -1, &rc);
    assert_int_equal(rc, TSREC_E_INVALID_ARG);
    const char *k26[26], *v26[26];
    char names[26][4];
    for (int i = 0; i < 26; i++) {
        snprintf(names[i], sizeof names[i], "K%d", i);
        k26[i] = names[i];
        v26[i] = "1";
    }
    run_full("INCLUDE ItemID WHERE Items.GENRE IN ($K0)", k26, v26, 26, 0, -1, &rc);
    assert_int_equal(rc, TSREC_E_INVALID_ARG);
    assert_int_equal(run_full("INCLUDE ItemID WHERE Items.GENRE IN ($K0)", k26, v26, 25, 0, -1,
                              &rc),
                     0);
    char *longv = malloc(1002);
    assert_non_null(longv);
    memset(longv, 'a', 1001);
    longv[1001] = '\0';
    const char *kl[1] = {"G"}, *vl[1] = {longv};
    run_full("INCLUDE ItemID WHERE Items.GENRE IN ($G)", kl, vl, 1, 0, -1, &rc);
    assert_int_equal(rc, TSREC_E_INVALID_ARG);
    longv[1000] = '\0';
    run_full("INCLUDE ItemID WHERE Items.GENRE IN ($G)", kl, vl, 1, 0, -1, &rc);
    assert_int_equal(rc, TSREC_OK);
    free(longv);
}

/* ---- compiled form ------------------------------------------------------------ */

static void test_compiled_form(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__filter *f = NULL;
    assert_int_equal(tsrec__filter_compile(ctx, NULL,
                                           "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF "
                                           "CurrentUser.AGE = $AGE | INCLUDE ItemID WHERE "
                                           "Items.GENRE IN (\"a\", \"b\") OR Items.PRICE < 3",
                                           &f, NULL),
                     TSREC_OK);
    assert_int_equal(f->target, TSREC__FILTER_ITEMS);
    assert_int_equal(f->n_exprs, 2);
    assert_int_equal(f->exprs[0].kind, TSREC__FEXPR_EXCLUDE);
    assert_int_equal(f->exprs[1].kind, TSREC__FEXPR_INCLUDE);
    assert_true(f->exprs[0].if_root >= 0);
    assert_int_equal(f->exprs[1].if_root, -1);
    assert_int_equal(f->n_fields, 3); /* Items.GENRE, Users.AGE, Items.PRICE */
    assert_int_equal(tsrec__filter_find_field(f, TSREC__FDS_USERS, "AGE"), 1);
    assert_int_equal(tsrec__filter_find_field(f, TSREC__FDS_ITEMS, "AGE"), -1);
    assert_int_equal(f->n_params, 2);
    assert_string_equal(f->params[0].name, "GENRE");
    assert_true(f->params[0].in_exclude && !f->params[0].in_include && !f->params[0].numeric);
    assert_string_equal(f->params[1].name, "AGE");
    assert_true(f->params[1].numeric);
    assert_true(f->uses_current_user);
    assert_false(f->uses_current_item);
    const tsrec__filter_node *root = &f->nodes[f->exprs[1].root];
    assert_int_equal(root->kind, TSREC__FNODE_OR);
    const tsrec__filter_node *in = &f->nodes[root->left];
    assert_int_equal(in->op, TSREC__FOP_IN);
    assert_int_equal(in->rhs_count, 2);
    assert_memory_equal(f->vals[in->rhs_index + 1].str, "b", 1);
    tsrec__filter_free(f);
    tsrec__filter_free(NULL);
    tsrec__filter_binding_free(NULL);
    tu_ctx_free_checked(ctx);
}

static void test_event_set(void **state)
{
    (void)state;
    tsrec__filter_val v[2] = {{TSREC__FVAL_STRING, 0, 0, "Click", 5},
                              {TSREC__FVAL_STRING, 0, 0, "buy", 3}};
    tsrec__filter_event_set s = {v, 2, 0};
    assert_true(tsrec__filter_event_set_has(&s, "click", 5));
    assert_true(tsrec__filter_event_set_has(&s, "BUY", 3));
    assert_false(tsrec__filter_event_set_has(&s, "clic", 4));
    s.negate = 1;
    assert_false(tsrec__filter_event_set_has(&s, "CLICK", 5));
    assert_true(tsrec__filter_event_set_has(&s, "view", 4));
    tsrec__filter_val star = {TSREC__FVAL_STAR, 0, 0, "*", 1};
    tsrec__filter_event_set all = {&star, 1, 0};
    assert_true(tsrec__filter_event_set_has(&all, "anything", 8));
}

/* ---- malformed expressions ---------------------------------------------------- */

typedef struct bad_case {
    const char *expr;
    int status;
    const char *at; /* error position = first occurrence of this text; "" = end */
} bad_case;

#define P8 "(((((((("
#define P32 P8 P8 P8 P8
#define Q8 "))))))))"
#define Q32 Q8 Q8 Q8 Q8

static const bad_case BAD[] = {
    /* syntax */
    {"INCLUDE", TSREC_E_PARSE, ""},
    {"include ItemID WHERE Items.A IN (\"x\")", TSREC_E_PARSE, "include"},
    {"INCLUDE ItemId WHERE Items.A IN (\"x\")", TSREC_E_PARSE, "ItemId"},
    {"INCLUDE ItemID Items.A IN (\"x\")", TSREC_E_PARSE, "Items"},
    {"INCLUDE ItemID WHERE Item.A IN (\"x\")", TSREC_E_PARSE, "Item."},
    {"INCLUDE ItemID WHERE Items A IN (\"x\")", TSREC_E_PARSE, "A IN"},
    {"INCLUDE ItemID WHERE Items. IN (\"x\")", TSREC_E_PARSE, "IN (\""},
    {"INCLUDE ItemID WHERE Items.GENRE LIKE (\"x\")", TSREC_E_PARSE, "LIKE"},
    {"INCLUDE ItemID WHERE Items.GENRE NOT (\"x\")", TSREC_E_PARSE, "(\""},
    {"INCLUDE ItemID WHERE Items.GENRE IN \"x\"", TSREC_E_PARSE, "\"x\""},
    {"INCLUDE ItemID WHERE Items.GENRE IN ()", TSREC_E_PARSE, ")"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\" \"y\")", TSREC_E_PARSE, "\"y\""},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\",)", TSREC_E_PARSE, ")"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\"", TSREC_E_PARSE, ""},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x)", TSREC_E_PARSE, "\"x)"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"a\\nb\")", TSREC_E_PARSE, "\\n"},
    {"INCLUDE ItemID WHERE Items.PRICE < 1.2.3", TSREC_E_PARSE, "1.2.3"},
    {"INCLUDE ItemID WHERE Items.PRICE < 10abc", TSREC_E_PARSE, "10abc"},
    {"INCLUDE ItemID WHERE Items.PRICE < 1e999", TSREC_E_PARSE, "1e999"},
    {"INCLUDE ItemID WHERE Items.PRICE ! 3", TSREC_E_PARSE, "!"},
    {"INCLUDE ItemID WHERE Items.PRICE < ", TSREC_E_PARSE, ""},
    {"INCLUDE ItemID WHERE Items.PRICE < 3 AND", TSREC_E_PARSE, ""},
    {"INCLUDE ItemID WHERE Items.PRICE < 3 XOR Items.PRICE > 1", TSREC_E_PARSE, "XOR"},
    {"INCLUDE ItemID WHERE Items.PRICE < 3 |", TSREC_E_PARSE, ""},
    {"INCLUDE ItemID WHERE Items.PRICE < 3 || INCLUDE ItemID WHERE Items.PRICE < 3",
     TSREC_E_PARSE, "| INCLUDE"},
    {"INCLUDE ItemID WHERE (Items.PRICE < 3", TSREC_E_PARSE, ""},
    {"INCLUDE ItemID WHERE Items.PRICE < 3)", TSREC_E_PARSE, ")"},
    {"INCLUDE ItemID WHERE Items.GENRE IN ($)", TSREC_E_PARSE, "$"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\") IF CurrentUser.AGE > 3 IF CurrentUser.AGE < 9",
     TSREC_E_PARSE, "IF CurrentUser.AGE <"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\") IF CurrentUser.AGE > 3 OR CurrentUser.AGE < 9",
     TSREC_E_PARSE, "OR"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\") IF Users.AGE > 3", TSREC_E_PARSE, "Users"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\") # comment", TSREC_E_PARSE, "#"},
    {"INCLUDE ItemID WHERE Items.PRICE < CurrentItem", TSREC_E_PARSE, ""},
    {"INCLUDE ItemID WHERE Items.PRICE < Items.COST", TSREC_E_PARSE, "Items.COST"},
    /* rules */
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\") AND Interactions.EVENT_TYPE IN (\"click\")",
     TSREC_E_INVALID_ARG, "Interactions"},
    {"INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\") OR Items.GENRE IN (\"x\")",
     TSREC_E_INVALID_ARG, "Items"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (*)", TSREC_E_INVALID_ARG, "*"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"*\")", TSREC_E_INVALID_ARG, "\"*\""},
    {"INCLUDE ItemID WHERE Items.PRICE < \"10\"", TSREC_E_INVALID_ARG, "\"10\""},
    {"INCLUDE ItemID WHERE Items.PRICE >= *", TSREC_E_INVALID_ARG, "*"},
    {"INCLUDE ItemID WHERE Interactions.EVENT_TYPE = 3", TSREC_E_INVALID_ARG, "="},
    {"INCLUDE ItemID WHERE Interactions.EVENT_VALUE IN (\"3\")", TSREC_E_INVALID_ARG,
     "EVENT_VALUE"},
    {"INCLUDE UserID WHERE Users.AGE > 3 IF CurrentUser.AGE > 3", TSREC_E_INVALID_ARG, "IF"},
    {"INCLUDE UserID WHERE Items.GENRE IN (\"x\")", TSREC_E_INVALID_ARG, "Items"},
    {"INCLUDE ItemID WHERE Users.AGE > 3", TSREC_E_INVALID_ARG, "Users"},
    {"INCLUDE ItemID WHERE CurrentUser.AGE > 3", TSREC_E_INVALID_ARG, "CurrentUser"},
    {"INCLUDE ItemID WHERE CurrentItem.AGE > 3", TSREC_E_INVALID_ARG, "CurrentItem"},
    {"INCLUDE UserID WHERE Users.AGE > CurrentItem.AGE", TSREC_E_INVALID_ARG, "CurrentItem"},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\") IF CurrentUser.AGE > CurrentItem.PRICE",
     TSREC_E_INVALID_ARG, "CurrentItem"},
    {"INCLUDE ItemID WHERE Items.GENRE IN ($A, \"x\")", TSREC_E_INVALID_ARG, ", \"x\""},
    {"INCLUDE ItemID WHERE Items.GENRE IN (\"x\", $A)", TSREC_E_INVALID_ARG, "$A"},
    {"EXCLUDE ItemID WHERE Items.GENRE NOT IN ($A)", TSREC_E_INVALID_ARG, "$A"},
    {"INCLUDE ItemID WHERE Items.A IN (1) | INCLUDE UserID WHERE Users.A IN (1)",
     TSREC_E_INVALID_ARG, "UserID"},
    {"INCLUDE ItemID WHERE Items.F1 IN (1) AND Items.F2 IN (1) AND Items.F3 IN (1) AND Items.F4 "
     "IN (1) AND Items.F5 IN (1) | INCLUDE ItemID WHERE Items.F6 IN (1) AND Items.F7 IN (1) AND "
     "Items.F8 IN (1) AND Items.F9 IN (1) AND Items.F10 IN (1) AND Items.F11 IN (1)",
     TSREC_E_INVALID_ARG, "F11"},
    {"INCLUDE ItemID WHERE " P32 "(Items.A IN (1)" Q32 ")", /* 33 levels */
     TSREC_E_INVALID_ARG, "(Items"},
    {"EXCLUDE ActionID WHERE Actions.A IN (1)", TSREC_E_UNSUPPORTED, "ActionID"},
};

static void test_malformed(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    assert_true(TSREC__ARRAY_LEN(BAD) >= 30);
    for (size_t i = 0; i < TSREC__ARRAY_LEN(BAD); i++) {
        const bad_case *c = &BAD[i];
        int64_t want = (int64_t)strlen(c->expr) + 1;
        if (c->at[0]) {
            const char *hit = strstr(c->expr, c->at);
            assert_non_null(hit);
            want = (int64_t)(hit - c->expr) + 1;
        }
        tsrec__filter *f = (tsrec__filter *)&want; /* must be reset to NULL */
        int64_t pos = -1;
        int rc = tsrec__filter_compile(ctx, NULL, c->expr, &f, &pos);
        if (rc != c->status || pos != want)
            fprintf(stderr, "# case %zu '%s': rc %d pos %lld (want %d, %lld): %s\n", i, c->expr,
                    rc, (long long)pos, c->status, (long long)want, tsrec_last_error());
        assert_int_equal(rc, c->status);
        assert_int_equal(pos, want);
        assert_null(f);
        char needle[48];
        snprintf(needle, sizeof needle, "position %lld", (long long)want);
        assert_non_null(strstr(tsrec_last_error(), needle));
    }
    tu_ctx_free_checked(ctx);
}

static void test_messages_and_limits(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__filter *f = NULL;
    int64_t pos = 0;
    /* the brief's example message */
    assert_int_equal(tsrec__filter_compile(ctx, NULL, "INCLUDE ItemID WHERE Items.GENRE 5", &f,
                                           &pos),
                     TSREC_E_PARSE);
    assert_non_null(strstr(tsrec_last_error(), "expected IN, NOT IN or a comparison at position 34"));
    assert_int_equal(tsrec__filter_compile(ctx, NULL, "", &f, &pos), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__filter_compile(ctx, NULL, NULL, &f, &pos), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__filter_compile(ctx, NULL, "x", NULL, &pos), TSREC_E_INVALID_ARG);
    /* 2500 characters pass, 2501 fail */
    static char big[2502]; /* static: no NULL path for -Warray-bounds to trip on */
    const char *head = "INCLUDE ItemID WHERE Items.GENRE IN (\"";
    size_t hl = strlen(head);
    memcpy(big, head, hl);
    memset(big + hl, 'a', 2500 - hl - 2);
    memcpy(big + 2500 - 2, "\")", 3);
    assert_int_equal(strlen(big), 2500);
    assert_int_equal(tsrec__filter_compile(ctx, NULL, big, &f, &pos), TSREC_OK);
    tsrec__filter_free(f);
    memcpy(big + 2500 - 2, "a\")", 4);
    assert_int_equal(tsrec__filter_compile(ctx, NULL, big, &f, &pos), TSREC_E_INVALID_ARG);
    assert_null(f);
    /* exactly 10 distinct fields pass; CurrentUser.X counts as Users.X */
    assert_int_equal(
        tsrec__filter_compile(ctx, NULL,
                              "INCLUDE ItemID WHERE Items.F1 IN (1) AND Items.F2 IN (1) AND "
                              "Items.F3 IN (1) AND Items.F4 IN (1) AND Items.F5 IN (1) AND "
                              "Items.F1 IN (2) | EXCLUDE ItemID WHERE Items.F6 IN (1) AND "
                              "Items.F7 IN (1) AND Items.F8 IN (1) IF CurrentUser.F9 > 1 AND "
                              "CurrentUser.F10 < 3 AND CurrentUser.F9 < 4",
                              &f, &pos),
        TSREC_OK);
    assert_int_equal(f->n_fields, 10);
    tsrec__filter_free(f);
    /* 32 levels of parentheses are allowed */
    assert_int_equal(tsrec__filter_compile(ctx, NULL, "INCLUDE ItemID WHERE " P32 "Items.A IN (1)" Q32,
                                           &f, &pos),
                     TSREC_OK);
    tsrec__filter_free(f);
    /* deep but allowed nesting and long OR chains */
    assert_int_equal(tsrec__filter_compile(ctx, NULL,
                                           "INCLUDE ItemID WHERE ((((Items.A IN (1)) OR "
                                           "(Items.A IN (2) AND Items.B < 3))))",
                                           &f, &pos),
                     TSREC_OK);
    tsrec__filter_free(f);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interaction_examples),
        cmocka_unit_test(test_item_examples),
        cmocka_unit_test(test_user_examples),
        cmocka_unit_test(test_current_item),
        cmocka_unit_test(test_combination),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_compiled_form),
        cmocka_unit_test(test_event_set),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_messages_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
