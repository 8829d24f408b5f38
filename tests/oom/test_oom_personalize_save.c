/* OOM: saving and loading solutions (Popularity-Count and SIMS), campaigns
 * with live events, event trackers and filters. The Nth allocation fails
 * for every N until the call succeeds (every other N keeps failing every
 * allocation after it): each failure returns TSREC_E_NOMEM, leaves the out
 * handle NULL and frees everything it allocated (the ctx's live
 * allocation count is back where it was). Tiny data, so every N is cheap. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "personalize_internal.h"
#include "pz_save_fixture.h"

typedef struct fixture {
    tu_failing_alloc fa;
    tsrec_ctx *ctx;
    tsrec_dataset_group *g;
    tsrec_solution *pop, *sims;
    tsrec_campaign *c;
    tsrec_event_tracker *t;
    tsrec_filter *f;
    tsrec_membuf pop_m, sims_m, c_m, t_m, f_m; /* saved bytes */
} fixture;

static tsrec_solution *solution(tsrec_dataset_group *g, const char *recipe)
{
    char req[512];
    snprintf(req, sizeof req,
             "{\"name\":\"s\",\"recipeArn\":\"%s\",\"solutionConfig\":{\"minimumsCheck\":\"off\""
             "%s}}",
             recipe,
             strcmp(recipe, "aws-sims") == 0
                 ? ",\"algorithmHyperParameters\":{\"min_cointeraction_count\":\"1\"}"
                 : "");
    tsrec_solution *s = NULL;
    assert_int_equal(tsrec_solution_create(g, req, strlen(req), &s), TSREC_OK);
    tsrec_solution_version *v = NULL;
    assert_int_equal(tsrec_solution_train(s, TSREC_TRAINING_FULL, &v), TSREC_OK);
    return s;
}

/* Save into a malloc'd membuf (outside the ctx allocator). */
#define SAVE(fn, obj, m)                                                        \
    do {                                                                        \
        memset(&(m), 0, sizeof(m));                                             \
        assert_int_equal(fn((obj), tsrec_membuf_write, &(m)), TSREC_OK);        \
        (m).cap = (m).len;                                                      \
        (m).data = malloc((m).cap);                                             \
        (m).len = 0;                                                            \
        assert_int_equal(fn((obj), tsrec_membuf_write, &(m)), TSREC_OK);        \
    } while (0)

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->ctx = tu_ctx_new_failing(&fx->fa);
    fx->g = pzf_make_group(fx->ctx, 8, 6, 1);
    assert_non_null(fx->g);
    fx->pop = solution(fx->g, "aws-popularity-count");
    fx->sims = solution(fx->g, "aws-sims");
    const char *cr = "{\"name\":\"c\"}";
    assert_int_equal(tsrec_campaign_create(fx->pop->versions[0], cr, strlen(cr), &fx->c),
                     TSREC_OK);
    const char *tr = "{\"name\":\"t\"}";
    assert_int_equal(tsrec_event_tracker_create(fx->g, tr, strlen(tr), &fx->t), TSREC_OK);
    assert_int_equal(tsrec_event_tracker_attach(fx->t, fx->c), TSREC_OK);
    const char *ev = "{\"trackingId\":\"x\",\"sessionId\":\"s\",\"userId\":\"u1\",\"eventList\":["
                     "{\"eventType\":\"buy\",\"sentAt\":1700000000,\"itemId\":\"i3\"}]}";
    assert_int_equal(tsrec_event_tracker_put_events(fx->t, ev, strlen(ev)), TSREC_OK);
    const char *fr = "{\"name\":\"f\",\"filterExpression\":\"INCLUDE ItemID WHERE "
                     "Items.GENRE IN ($G)\"}";
    assert_int_equal(tsrec_filter_create(fx->g, fr, strlen(fr), &fx->f), TSREC_OK);
    SAVE(tsrec_solution_save_to, fx->pop, fx->pop_m);
    SAVE(tsrec_solution_save_to, fx->sims, fx->sims_m);
    SAVE(tsrec_campaign_save_to, fx->c, fx->c_m);
    SAVE(tsrec_event_tracker_save_to, fx->t, fx->t_m);
    SAVE(tsrec_filter_save_to, fx->f, fx->f_m);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    tsrec_filter_free(fx->f);
    tsrec_event_tracker_free(fx->t);
    tsrec_campaign_free(fx->c);
    tsrec_solution_free(fx->pop);
    tsrec_solution_free(fx->sims);
    tsrec_dataset_group_free(fx->g);
    tu_ctx_free_checked(fx->ctx);
    free(fx->pop_m.data);
    free(fx->sims_m.data);
    free(fx->c_m.data);
    free(fx->t_m.data);
    free(fx->f_m.data);
    free(fx);
    return 0;
}

enum { OBJ_POP, OBJ_SIMS, OBJ_CAMPAIGN, OBJ_TRACKER, OBJ_FILTER };

/* Save handle h of kind `which` through m. */
static int save_obj(int which, const void *h, tsrec_membuf *m)
{
    switch (which) {
    case OBJ_POP:
    case OBJ_SIMS:
        return tsrec_solution_save_to(h, tsrec_membuf_write, m);
    case OBJ_CAMPAIGN:
        return tsrec_campaign_save_to(h, tsrec_membuf_write, m);
    case OBJ_TRACKER:
        return tsrec_event_tracker_save_to(h, tsrec_membuf_write, m);
    default:
        return tsrec_filter_save_to(h, tsrec_membuf_write, m);
    }
}

static const void *obj(const fixture *fx, int which)
{
    const void *h[] = {fx->pop, fx->sims, fx->c, fx->t, fx->f};
    return h[which];
}

static const tsrec_membuf *saved(const fixture *fx, int which)
{
    const tsrec_membuf *m[] = {&fx->pop_m, &fx->sims_m, &fx->c_m, &fx->t_m, &fx->f_m};
    return m[which];
}

/* One load of object `which`; *out gets the handle (freed by free_one). */
static int load_one(fixture *fx, int which, tsrec_solution *onto, void **out)
{
    tsrec_membuf m;
    switch (which) {
    case OBJ_POP:
    case OBJ_SIMS:
        m = which == OBJ_POP ? fx->pop_m : fx->sims_m;
        m.pos = 0;
        return tsrec_solution_load_from(fx->g, tsrec_membuf_read, &m, (tsrec_solution **)out);
    case OBJ_CAMPAIGN:
        m = fx->c_m;
        m.pos = 0;
        return tsrec_campaign_load_from(onto, tsrec_membuf_read, &m, (tsrec_campaign **)out);
    case OBJ_TRACKER:
        m = fx->t_m;
        m.pos = 0;
        return tsrec_event_tracker_load_from(fx->g, tsrec_membuf_read, &m,
                                             (tsrec_event_tracker **)out);
    default:
        m = fx->f_m;
        m.pos = 0;
        return tsrec_filter_load_from(fx->g, tsrec_membuf_read, &m, (tsrec_filter **)out);
    }
}

static void free_one(int which, void *h)
{
    if (which == OBJ_POP || which == OBJ_SIMS)
        tsrec_solution_free(h);
    else if (which == OBJ_CAMPAIGN)
        tsrec_campaign_free(h);
    else if (which == OBJ_TRACKER)
        tsrec_event_tracker_free(h);
    else
        tsrec_filter_free(h);
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

static void test_save_every_n(void **state)
{
    fixture *fx = *state;
    for (int which = OBJ_POP; which <= OBJ_FILTER; which++) {
        int64_t failures = 0;
        for (int64_t n = 1;; n++) {
            tsrec_membuf m = {NULL, 0, 0, 0}; /* size query: the bytes are not kept */
            long long live = atomic_load(&fx->ctx->live_count);
            arm(fx, n);
            int rc = save_obj(which, obj(fx, which), &m);
            int failed = fx->fa.failures > 0;
            disarm(fx);
            assert_int_equal(atomic_load(&fx->ctx->live_count), live);
            if (!failed) {
                assert_int_equal(rc, TSREC_OK);
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            failures++;
        }
        assert_true(failures >= 2);
        printf("# save of object %d: %lld failing allocation points\n", which,
               (long long)failures);
    }
}

static void test_load_every_n(void **state)
{
    fixture *fx = *state;
    for (int which = OBJ_POP; which <= OBJ_FILTER; which++) {
        int64_t failures = 0;
        for (int64_t n = 1;; n++) {
            long long live = atomic_load(&fx->ctx->live_count);
            void *h = (void *)fx;
            arm(fx, n);
            int rc = load_one(fx, which, fx->pop, &h);
            int failed = fx->fa.failures > 0;
            disarm(fx);
            if (!failed) {
                assert_int_equal(rc, TSREC_OK);
                assert_non_null(h);
                /* the loaded object saves to the same bytes */
                const tsrec_membuf *want = saved(fx, which);
                tsrec_membuf m = {malloc(want->len), want->len, 0, 0};
                assert_int_equal(save_obj(which, h, &m), TSREC_OK);
                assert_int_equal(m.len, want->len);
                assert_memory_equal(m.data, want->data, m.len);
                free(m.data);
                free_one(which, h);
                assert_int_equal(atomic_load(&fx->ctx->live_count), live);
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(h);
            assert_int_equal(atomic_load(&fx->ctx->live_count), live);
            failures++;
        }
        assert_true(failures >= 2);
        printf("# load of object %d: %lld failing allocation points\n", which,
               (long long)failures);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_every_n),
        cmocka_unit_test(test_load_every_n),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
