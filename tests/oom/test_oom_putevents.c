/* OOM: PutEvents through the direct append path and through the import
 * fallback (an int property), with an attached campaign, and JSON
 * documents that outgrow the parser's inline stacks. The Nth allocation
 * fails for every N until the call succeeds (odd N keep failing every
 * allocation after it): each failure returns TSREC_E_NOMEM and leaves the
 * dataset, its columns and the group's dictionaries exactly as they were;
 * the success appends every event; nothing leaks (tu_ctx_free_checked). */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "personalize_internal.h"

static const char *SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]},"
    "{\"name\":\"RECOMMENDATION_ID\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"IMPRESSION\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"DEVICE\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
    "{\"name\":\"AGE\",\"type\":[\"null\",\"int\"]}],"
    "\"version\":\"1.0\"}";
#define NF 9

typedef struct fixture {
    tu_failing_alloc fa;
    tsrec_ctx *ctx;
    tsrec_dataset_group *g;
    tsrec_dataset *ds;
    tsrec_solution *s;
    tsrec_campaign *c;
    tsrec_event_tracker *t;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->ctx = tu_ctx_new_failing(&fx->fa);
    assert_int_equal(
        tsrec_dataset_group_new(fx->ctx, "g", TSREC_SERVICE_PERSONALIZE, NULL, &fx->g), TSREC_OK);
    tsrec_schema *sc = NULL;
    assert_int_equal(tsrec_schema_parse(fx->ctx, TSREC_SERVICE_PERSONALIZE, SCHEMA,
                                        strlen(SCHEMA), &sc),
                     TSREC_OK);
    assert_int_equal(
        tsrec_dataset_group_create_dataset(fx->g, "i", "Interactions", sc, NULL, &fx->ds),
        TSREC_OK);
    tsrec_schema_free(sc);
    /* 8 users x 6 items */
    const char *cells[48 * NF];
    char text[48][3][16];
    memset(cells, 0, sizeof cells);
    for (int r = 0; r < 48; r++) {
        snprintf(text[r][0], 16, "u%d", r / 6);
        snprintf(text[r][1], 16, "i%d", r % 6);
        snprintf(text[r][2], 16, "%d", 1600000000 + r);
        cells[r * NF + 0] = text[r][0];
        cells[r * NF + 1] = text[r][1];
        cells[r * NF + 2] = text[r][2];
        cells[r * NF + 3] = "click";
    }
    assert_int_equal(tsrec_dataset_import_rows(fx->ds, cells, 48, NF, NULL, NULL), TSREC_OK);
    const char *sr = "{\"name\":\"s\",\"recipeArn\":\"aws-popularity-count\","
                     "\"solutionConfig\":{\"minimumsCheck\":\"off\"}}";
    assert_int_equal(tsrec_solution_create(fx->g, sr, strlen(sr), &fx->s), TSREC_OK);
    tsrec_solution_version *v = NULL;
    assert_int_equal(tsrec_solution_train(fx->s, TSREC_TRAINING_FULL, &v), TSREC_OK);
    const char *cr = "{\"name\":\"c\"}";
    assert_int_equal(tsrec_campaign_create(v, cr, strlen(cr), &fx->c), TSREC_OK);
    const char *tr = "{\"name\":\"t\"}";
    assert_int_equal(tsrec_event_tracker_create(fx->g, tr, strlen(tr), &fx->t), TSREC_OK);
    assert_int_equal(tsrec_event_tracker_attach(fx->t, fx->c), TSREC_OK);
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

/* What a failed call must leave as it was. */
typedef struct snapshot {
    int64_t rows, imports, users, items;
    int64_t len[NF], dict[NF];
    int32_t width[NF];
    int has_valid[NF];
} snapshot;

static void snap(const fixture *fx, snapshot *s)
{
    memset(s, 0, sizeof(*s));
    s->rows = fx->ds->n_rows;
    s->imports = fx->ds->n_imports;
    s->users = tsrec__strdict_count(&fx->g->users);
    s->items = tsrec__strdict_count(&fx->g->items);
    for (int f = 0; f < NF; f++) {
        const tsrec__column *c = &fx->ds->cols[f];
        s->len[f] = c->len;
        s->dict[f] = c->dict != NULL ? tsrec__strdict_count(c->dict) : -1;
        s->width[f] = c->width;
        s->has_valid[f] = c->valid != NULL;
    }
}

/* Fail every N until `req` goes in; it appends n_events rows then. */
static void put_every_n(fixture *fx, const char *req, int64_t n_events)
{
    snapshot before, after;
    snap(fx, &before);
    int64_t failures = 0;
    for (int64_t n = 1;; n++) {
        arm(fx, n);
        int rc = tsrec_event_tracker_put_events(fx->t, req, strlen(req));
        int failed = fx->fa.failures > 0;
        disarm(fx);
        snap(fx, &after);
        if (!failed) {
            assert_int_equal(rc, TSREC_OK);
            break;
        }
        if (rc != TSREC_E_NOMEM)
            fail_msg("allocation %lld: status %d (%s)", (long long)n, rc, tsrec_last_error());
        assert_memory_equal(&before, &after, sizeof(before));
        failures++;
    }
    assert_true(failures > 0);
    assert_int_equal(after.rows, before.rows + n_events);
    assert_int_equal(after.imports, before.imports + 1);
}

static void test_direct_path(void **state)
{
    fixture *fx = *state;
    /* a new user, new items, a new event type, impressions, a string
     * property (a new DEVICE value), a missing value first in its column */
    char req[4096];
    int w = snprintf(req, sizeof req,
                     "{\"trackingId\":\"t\",\"sessionId\":\"s\",\"userId\":\"new-user\","
                     "\"eventList\":[");
    for (int k = 0; k < 10; k++)
        w += snprintf(req + w, sizeof req - (size_t)w,
                      "%s{\"eventType\":\"%s\",\"sentAt\":%d,\"itemId\":\"new-%d\","
                      "\"eventValue\":%d.5,\"recommendationId\":\"RID-%d\","
                      "\"impression\":[\"i1\",\"new-%d\"],"
                      "\"properties\":\"{\\\"device\\\":\\\"dev-%d\\\"}\"}",
                      k ? "," : "", k % 3 ? "click" : "fresh", 1700000000 + k, k, k, k / 4, k,
                      k % 2);
    snprintf(req + w, sizeof req - (size_t)w, "]}");
    put_every_n(fx, req, 10);
    /* the campaign saw them: new-user's events are live */
    const char *ids[3];
    double sc[3];
    int64_t n = 0;
    assert_int_equal(tsrec_campaign_recommend(fx->c, "new-user", NULL, 3, ids, sc, &n), TSREC_OK);
    assert_true(n > 0);
}

static void test_import_path(void **state)
{
    fixture *fx = *state;
    const char *req = "{\"trackingId\":\"t\",\"sessionId\":\"s2\",\"userId\":\"other-user\","
                      "\"eventList\":[{\"eventType\":\"click\",\"sentAt\":5,\"itemId\":\"i2\"},"
                      "{\"eventType\":\"other-type\",\"sentAt\":6,\"itemId\":\"other-item\","
                      "\"properties\":\"{\\\"age\\\":41,\\\"device\\\":\\\"dev-x\\\"}\"}]}";
    put_every_n(fx, req, 2);
}

/* Documents with more than the parser's 16 inline values and members. */
static void test_json_stacks(void **state)
{
    fixture *fx = *state;
    char doc[4096];
    int w = snprintf(doc, sizeof doc, "{");
    for (int k = 0; k < 40; k++)
        w += snprintf(doc + w, sizeof doc - (size_t)w, "%s\"k%d\":[%d,\"v\",[%d,%d.25]]",
                      k ? "," : "", k, k, k, k);
    w += snprintf(doc + w, sizeof doc - (size_t)w, ",\"arr\":[");
    for (int k = 0; k < 40; k++)
        w += snprintf(doc + w, sizeof doc - (size_t)w, "%s%d", k ? "," : "", k);
    snprintf(doc + w, sizeof doc - (size_t)w, "]}");
    int64_t failures = 0;
    for (int64_t n = 1;; n++) {
        long long live = atomic_load(&fx->ctx->live_count);
        arm(fx, n);
        tsrec__json_doc *d = NULL;
        int rc = tsrec__json_parse(fx->ctx, NULL, doc, strlen(doc), 0, &d);
        int failed = fx->fa.failures > 0;
        disarm(fx);
        if (!failed) {
            assert_int_equal(rc, TSREC_OK);
            const tsrec__json *r = tsrec__json_root(d);
            assert_int_equal(tsrec__json_len(r), 41);
            assert_int_equal(tsrec__json_len(tsrec__json_get(r, "arr")), 40);
            assert_int_equal(tsrec__json_at(tsrec__json_get(r, "arr"), 39)->u.num.i, 39);
            const tsrec__json *a = tsrec__json_get(r, "k39");
            assert_int_equal(tsrec__json_len(a), 3);
            double x = 0;
            assert_int_equal(tsrec__json_as_double(tsrec__json_at(tsrec__json_at(a, 2), 1), NULL,
                                                   "x", &x),
                             TSREC_OK);
            assert_true(x == 39.25);
            tsrec__json_free(d);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_null(d);
        assert_int_equal(atomic_load(&fx->ctx->live_count), live);
        failures++;
    }
    assert_true(failures > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direct_path),
        cmocka_unit_test(test_import_path),
        cmocka_unit_test(test_json_stacks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
