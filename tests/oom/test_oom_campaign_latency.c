/* OOM on the GetRecommendations fast paths: campaign creation (which now
 * builds the per-user sorted histories), a query whose history plus live
 * events overflow the merge's stack buffer (one heap buffer), and the JSON
 * form (request parse, response writer reserved in one piece). The Nth
 * allocation fails for every N until the call succeeds (odd N: every
 * allocation after it fails too): each failure is TSREC_E_NOMEM with
 * nothing leaked (the ctx's live allocation count is unchanged). */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "personalize_internal.h"

typedef struct fixture {
    tu_failing_alloc fa;
    tsrec_ctx *ctx;
    tsrec_dataset_group *g;
    tsrec_solution *s;
    tsrec_campaign *c;
    tsrec_event_tracker *t;
} fixture;

static const char *SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}],\"version\":\"1.0\"}";

/* u0 interacted with i0..i599 (more than the 512-item stack buffer),
 * u1..u9 with 20 items each among i560..i699 (what u0 gets recommended). */
static tsrec_dataset_group *make_group(tsrec_ctx *ctx)
{
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", TSREC_SERVICE_PERSONALIZE, NULL, &g),
                     TSREC_OK);
    tsrec_schema *sc = NULL;
    assert_int_equal(
        tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, SCHEMA, strlen(SCHEMA), &sc),
        TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(
        tsrec_dataset_group_create_dataset(g, "Interactions", "Interactions", sc, NULL, &ds),
        TSREC_OK);
    tsrec_schema_free(sc);
    enum { N = 600 + 9 * 20 };
    static const char *cells[N * 3];
    static char text[N][3][24];
    int r = 0;
    for (int u = 0; u < 10; u++)
        for (int k = 0; k < (u == 0 ? 600 : 20); k++, r++) {
            snprintf(text[r][0], 24, "u%d", u);
            snprintf(text[r][1], 24, "i%d", u == 0 ? k : 560 + (k * 7 + u) % 140);
            snprintf(text[r][2], 24, "%d", 1600000000 + r);
            for (int f = 0; f < 3; f++)
                cells[r * 3 + f] = text[r][f];
        }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, N, 3, NULL, NULL), TSREC_OK);
    return g;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->ctx = tu_ctx_new_failing(&fx->fa);
    fx->g = make_group(fx->ctx);
    const char *sr = "{\"name\":\"s\",\"recipeArn\":\"aws-popularity-count\","
                     "\"solutionConfig\":{\"minimumsCheck\":\"off\"}}";
    assert_int_equal(tsrec_solution_create(fx->g, sr, strlen(sr), &fx->s), TSREC_OK);
    tsrec_solution_version *v = NULL;
    assert_int_equal(tsrec_solution_train(fx->s, TSREC_TRAINING_FULL, &v), TSREC_OK);
    const char *cr = "{\"name\":\"c\"}";
    assert_int_equal(tsrec_campaign_create(v, cr, strlen(cr), &fx->c), TSREC_OK);
    assert_int_equal(tsrec_event_tracker_create(fx->g, "{\"name\":\"t\"}", 12, &fx->t), TSREC_OK);
    assert_int_equal(tsrec_event_tracker_attach(fx->t, fx->c), TSREC_OK);
    /* a live event for u0: its next query merges 600 + 1 items on the heap */
    const char *ev = "{\"trackingId\":\"x\",\"sessionId\":\"s\",\"userId\":\"u0\",\"eventList\":["
                     "{\"eventType\":\"click\",\"sentAt\":1700000000,\"itemId\":\"i650\"}]}";
    assert_int_equal(tsrec_event_tracker_put_events(fx->t, ev, strlen(ev)), TSREC_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    tsrec_event_tracker_free(fx->t);
    tsrec_campaign_free(fx->c);
    tsrec_solution_free(fx->s);
    tsrec_dataset_group_free(fx->g);
    tu_ctx_free_checked(fx->ctx);
    free(fx);
    return 0;
}

static void arm(fixture *fx, int64_t n)
{
    fx->fa.calls = 0;
    fx->fa.failures = 0;
    fx->fa.fail_at = n;
    fx->fa.persistent = (int)(n & 1);
}

static void disarm(fixture *fx)
{
    fx->fa.fail_at = 0;
    fx->fa.persistent = 0;
}

static void test_create_every_n(void **state)
{
    fixture *fx = *state;
    tsrec_solution_version *v = fx->s->versions[0];
    int64_t failures = 0;
    for (int64_t n = 1;; n++) {
        long long live = atomic_load(&fx->ctx->live_count);
        tsrec_campaign *c = (tsrec_campaign *)fx;
        const char *cr = "{\"name\":\"c2\"}";
        arm(fx, n);
        int rc = tsrec_campaign_create(v, cr, strlen(cr), &c);
        int failed = fx->fa.failures > 0;
        disarm(fx);
        if (!failed) {
            assert_int_equal(rc, TSREC_OK);
            assert_true(c->n_hist_users == 10 && c->hist_off[1] == 600);
            tsrec_campaign_free(c);
            assert_int_equal(atomic_load(&fx->ctx->live_count), live);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_null(c);
        assert_int_equal(atomic_load(&fx->ctx->live_count), live);
        failures++;
    }
    assert_true(failures >= 3); /* the histories' two arrays among them */
    printf("# campaign create: %lld failing allocation points\n", (long long)failures);
}

static void test_recommend_heap_merge_every_n(void **state)
{
    fixture *fx = *state;
    const char *ids[25];
    double sc[25];
    int64_t failures = 0;
    for (int64_t n = 1;; n++) {
        long long live = atomic_load(&fx->ctx->live_count);
        int64_t got = -1;
        arm(fx, n);
        int rc = tsrec_campaign_recommend(fx->c, "u0", NULL, 25, ids, sc, &got);
        int failed = fx->fa.failures > 0;
        disarm(fx);
        assert_int_equal(atomic_load(&fx->ctx->live_count), live);
        if (!failed) {
            assert_int_equal(rc, TSREC_OK);
            assert_int_equal(got, 25);
            for (int64_t i = 0; i < got; i++) /* none of u0's items, live one included */
                assert_true(atoi(ids[i] + 1) >= 600 && strcmp(ids[i], "i650") != 0);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_int_equal(got, 0);
        failures++;
    }
    assert_int_equal(failures, 1); /* exactly the merge buffer */
    /* a user without live events allocates nothing at all */
    arm(fx, 1);
    int64_t got = 0;
    assert_int_equal(tsrec_campaign_recommend(fx->c, "u3", NULL, 25, ids, sc, &got), TSREC_OK);
    assert_int_equal(fx->fa.failures, 0);
    disarm(fx);
}

static void test_recommend_json_every_n(void **state)
{
    fixture *fx = *state;
    static const char *const reqs[2] = {"{\"userId\":\"u0\",\"numResults\":25}",
                                        "{\"userId\":\"u5\",\"numResults\":500}"};
    for (int q = 0; q < 2; q++) {
        int64_t failures = 0;
        char out[65536];
        for (int64_t n = 1;; n++) {
            long long live = atomic_load(&fx->ctx->live_count);
            size_t len = 0;
            arm(fx, n);
            int rc = tsrec_campaign_recommend_json(fx->c, reqs[q], strlen(reqs[q]), out,
                                                   sizeof out, &len);
            int failed = fx->fa.failures > 0;
            disarm(fx);
            assert_int_equal(atomic_load(&fx->ctx->live_count), live);
            if (!failed) {
                assert_int_equal(rc, TSREC_OK);
                assert_non_null(strstr(out, "\"itemList\":[{\"itemId\":\"i"));
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            failures++;
        }
        assert_true(failures >= 2); /* request document, response buffer */
        printf("# recommend_json %d: %lld failing allocation points\n", q, (long long)failures);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_every_n),
        cmocka_unit_test(test_recommend_heap_merge_every_n),
        cmocka_unit_test(test_recommend_json_every_n),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
