/* Saving and loading the Personalize objects (include/tsrec/io.h):
 * solutions with their versions, campaigns with their live event state,
 * event trackers and filters.
 *
 * A loaded object must behave exactly like the original, so every check
 * compares the two: metrics JSON byte for byte, GetRecommendations and
 * GetPersonalizedRanking (C arrays compared bit for bit, JSON responses
 * byte for byte, recommendationIds included) for every user and item of
 * the generated group (tests/common/pz_save_fixture.c), before and after
 * PutEvents. Saving a loaded object gives the same bytes as saving the
 * original. Misuse, wrong parents, truncated, corrupt and foreign files
 * must fail with a status and a message, never crash. The v1 fixtures
 * (tests/fixtures/v1) are loaded and checked against pinned values so
 * files of format v1 keep loading; TSREC_WRITE_FIXTURES=1 rewrites them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container_internal.h"
#include "personalize_internal.h"
#include "recipes_internal.h"
#include "pz_save_fixture.h"
#include "test_util.h"

#define N_USERS 70
#define N_ITEMS 45

/* ---- helpers -------------------------------------------------------------- */

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
    static char path[160];
    if (tmpdir[0] == '\0') {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/tsrec_pzsave_XXXXXX");
        assert_non_null(mkdtemp(tmpdir));
    }
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

/* Save through tsrec_membuf: a size query first, then the bytes. */
#define SAVE_MEM(fn, obj, m)                                                        \
    do {                                                                            \
        memset(&(m), 0, sizeof(m));                                                 \
        assert_int_equal(fn((obj), tsrec_membuf_write, &(m)), TSREC_OK);            \
        size_t n_ = (m).len;                                                        \
        assert_true(n_ > 48);                                                       \
        (m).data = malloc(n_);                                                      \
        assert_non_null((m).data);                                                  \
        (m).cap = n_;                                                               \
        (m).len = 0;                                                                \
        assert_int_equal(fn((obj), tsrec_membuf_write, &(m)), TSREC_OK);            \
        assert_int_equal((m).len, n_);                                              \
    } while (0)

static tsrec_membuf reader(const tsrec_membuf *m)
{
    tsrec_membuf r = *m;
    r.pos = 0;
    return r;
}

static void assert_same_bytes(const tsrec_membuf *a, const tsrec_membuf *b)
{
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->data, b->data, a->len);
}

static tsrec_solution *make_solution(tsrec_dataset_group *g, const char *json)
{
    tsrec_solution *s = NULL;
    int rc = tsrec_solution_create(g, json, strlen(json), &s);
    if (rc != TSREC_OK)
        fail_msg("solution: %s", tsrec_last_error());
    return s;
}

static tsrec_solution_version *train(tsrec_solution *s, int32_t mode)
{
    tsrec_solution_version *v = NULL;
    int rc = tsrec_solution_train(s, mode, &v);
    if (rc != TSREC_OK)
        fail_msg("train: %s", tsrec_errmsg(s));
    return v;
}

static tsrec_campaign *make_campaign(tsrec_solution_version *v, const char *name)
{
    char req[128];
    snprintf(req, sizeof req, "{\"name\":\"%s\",\"minProvisionedTPS\":1}", name);
    tsrec_campaign *c = NULL;
    assert_int_equal(tsrec_campaign_create(v, req, strlen(req), &c), TSREC_OK);
    return c;
}

static tsrec_filter *make_filter(tsrec_dataset_group *g, const char *name, const char *expr)
{
    char req[512];
    snprintf(req, sizeof req, "{\"name\":\"%s\",\"filterExpression\":\"%s\"}", name, expr);
    tsrec_filter *f = NULL;
    if (tsrec_filter_create(g, req, strlen(req), &f) != TSREC_OK)
        fail_msg("filter: %s", tsrec_last_error());
    return f;
}

static tsrec_event_tracker *make_tracker(tsrec_dataset_group *g)
{
    const char *req = "{\"name\":\"t1\"}";
    tsrec_event_tracker *t = NULL;
    assert_int_equal(tsrec_event_tracker_create(g, req, strlen(req), &t), TSREC_OK);
    return t;
}

static void metrics_equal(const tsrec_solution_version *a, const tsrec_solution_version *b)
{
    char ja[2048], jb[2048];
    size_t la = 0, lb = 0;
    assert_int_equal(tsrec_solution_version_metrics_json(a, ja, sizeof ja, &la), TSREC_OK);
    assert_int_equal(tsrec_solution_version_metrics_json(b, jb, sizeof jb, &lb), TSREC_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(ja, jb, la);
    assert_non_null(strstr(ja, "precision_at_25")); /* there are metrics to compare */
}

/* GetRecommendations C arrays: same ids, scores equal bit for bit. */
static void same_recs(const tsrec_campaign *a, const tsrec_campaign *b, const char *user,
                      const char *item, int64_t k)
{
    const char *ia[100], *ib[100];
    double sa[100], sb[100];
    int64_t na = -1, nb = -2;
    int ra = tsrec_campaign_recommend(a, user, item, k, ia, sa, &na);
    int rb = tsrec_campaign_recommend(b, user, item, k, ib, sb, &nb);
    assert_int_equal(ra, rb);
    if (ra != TSREC_OK)
        return;
    assert_int_equal(na, nb);
    for (int64_t i = 0; i < na; i++) {
        assert_string_equal(ia[i], ib[i]);
        assert_memory_equal(&sa[i], &sb[i], sizeof(double));
    }
}

/* The same JSON request to both campaigns gives the same bytes. */
static void same_json(const tsrec_campaign *a, const tsrec_campaign *b, const char *req,
                      int rank)
{
    static char ba[65536], bb[65536];
    size_t la = 0, lb = 0;
    int ra = rank ? tsrec_campaign_rank_json(a, req, strlen(req), ba, sizeof ba, &la)
                  : tsrec_campaign_recommend_json(a, req, strlen(req), ba, sizeof ba, &la);
    int rb = rank ? tsrec_campaign_rank_json(b, req, strlen(req), bb, sizeof bb, &lb)
                  : tsrec_campaign_recommend_json(b, req, strlen(req), bb, sizeof bb, &lb);
    assert_int_equal(ra, rb);
    if (ra != TSREC_OK)
        return;
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);
}

/* Every user (and an unknown one) for a POPULAR_ITEMS campaign, every item
 * with and without a user for a RELATED_ITEMS one, rankings of the whole
 * catalogue, and JSON requests. */
static void same_campaign(const tsrec_campaign *a, const tsrec_campaign *b, int related)
{
    char user[16], item[16], req[4096];
    for (int u = -1; u < N_USERS + 2; u++) {
        snprintf(user, sizeof user, "u%d", u);
        if (!related) {
            same_recs(a, b, user, NULL, 25);
        } else if (u % 7 == 0) {
            for (int j = 0; j < N_ITEMS + 1; j++) {
                snprintf(item, sizeof item, "i%d", j);
                same_recs(a, b, u < 0 ? NULL : user, item, 30);
            }
        }
        if (u % 5 == 0) {
            int n = snprintf(req, sizeof req, "{\"userId\":\"%s\",\"inputList\":[", user);
            for (int j = N_ITEMS + 1; j >= 0; j--)
                n += snprintf(req + n, sizeof req - (size_t)n, "%s\"i%d\"",
                              j == N_ITEMS + 1 ? "" : ",", j);
            snprintf(req + n, sizeof req - (size_t)n, "]}");
            same_json(a, b, req, 1);
            snprintf(req, sizeof req, "{\"userId\":\"%s\",\"itemId\":\"i%d\",\"numResults\":12}",
                     user, (u + 3) % N_ITEMS);
            same_json(a, b, req, 0);
        }
    }
}

static int put(tsrec_event_tracker *t, const char *user, const char *item, int ts)
{
    char req[512];
    snprintf(req, sizeof req,
             "{\"trackingId\":\"tid\",\"sessionId\":\"s1\",\"userId\":\"%s\",\"eventList\":["
             "{\"eventType\":\"buy\",\"sentAt\":%d,\"itemId\":\"%s\",\"eventValue\":4},"
             "{\"eventType\":\"click\",\"sentAt\":%d,\"itemId\":\"i2\"}]}",
             user, ts, item, ts + 1);
    return tsrec_event_tracker_put_events(t, req, strlen(req));
}

static const char *POP_REQ =
    "{\"name\":\"pop\",\"recipeArn\":\"arn:aws:personalize:::recipe/aws-popularity-count\"}";
static const char *SIMS_REQ =
    "{\"name\":\"sims\",\"recipeArn\":\"aws-sims\",\"eventType\":\"click\","
    "\"solutionConfig\":{\"eventValueThreshold\":\"1.75\",\"minimumsCheck\":\"off\","
    "\"algorithmHyperParameters\":{\"popularity_discount_factor\":\"0.3\","
    "\"min_cointeraction_count\":\"1\",\"max_item_interaction_count_percentile\":\"1\"}}}";

/* ---- solutions --------------------------------------------------------------- */

static void test_popularity_path(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = pzf_make_group(ctx, N_USERS, N_ITEMS, 1);
    assert_non_null(g);
    tsrec_solution *s = make_solution(g, POP_REQ);
    tsrec_solution_version *v1 = train(s, TSREC_TRAINING_FULL);
    tsrec_solution_version *v2 = train(s, TSREC_TRAINING_UPDATE);
    const char *path = tmp_path("pop.tsrec");
    assert_int_equal(tsrec_solution_save(s, path), TSREC_OK);
    int32_t type = 0, fmt = 0, sv = 0;
    assert_int_equal(tsrec_file_info(ctx, path, &type, &fmt, &sv), TSREC_OK);
    assert_int_equal(type, TSREC_OBJECT_SOLUTION);
    assert_int_equal(sv, 1);
    tsrec_solution *l = NULL;
    assert_int_equal(tsrec_solution_load(g, path, &l), TSREC_OK);
    assert_int_equal(l->n_versions, 2);
    assert_string_equal(l->name, "pop");
    assert_int_equal(l->versions[1]->training_mode, TSREC_TRAINING_UPDATE);
    assert_string_equal(l->versions[1]->arn, v2->arn);
    metrics_equal(v1, l->versions[0]);
    metrics_equal(v2, l->versions[1]);
    double a = 0, b = 1;
    assert_int_equal(tsrec_solution_version_metric(v2, "coverage", &a), TSREC_OK);
    assert_int_equal(tsrec_solution_version_metric(l->versions[1], "coverage", &b), TSREC_OK);
    assert_memory_equal(&a, &b, sizeof a);
    tsrec_campaign *ca = make_campaign(v2, "c1");
    tsrec_campaign *cb = make_campaign(l->versions[1], "c1");
    same_campaign(ca, cb, 0);
    /* saving the loaded solution gives the original's bytes */
    tsrec_membuf ma, mb;
    SAVE_MEM(tsrec_solution_save_to, s, ma);
    SAVE_MEM(tsrec_solution_save_to, l, mb);
    assert_same_bytes(&ma, &mb);
    /* training the loaded solution continues the numbering */
    tsrec_solution_version *v3 = train(l, TSREC_TRAINING_FULL);
    assert_int_equal(v3->number, 3);
    assert_string_equal(v3->arn, "arn:aws:personalize:::solution/pop/3");
    free(ma.data);
    free(mb.data);
    tsrec_campaign_free(ca);
    tsrec_campaign_free(cb);
    tsrec_solution_free(l);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    remove(path);
    tu_ctx_free_checked(ctx);
}

static void test_sims_membuf(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = pzf_make_group(ctx, N_USERS, N_ITEMS, 1);
    assert_non_null(g);
    tsrec_solution *s = make_solution(g, SIMS_REQ);
    tsrec_solution_version *v = train(s, TSREC_TRAINING_FULL);
    tsrec__sims_model *m = v->model;
    assert_true(m->nb_off[m->n_items] > 50); /* a model with real neighbour lists */
    tsrec_membuf mem;
    SAVE_MEM(tsrec_solution_save_to, s, mem);
    tsrec_membuf rd = reader(&mem);
    tsrec_solution *l = NULL;
    assert_int_equal(tsrec_solution_load_from(g, tsrec_membuf_read, &rd, &l), TSREC_OK);
    assert_int_equal(l->n_versions, 1);
    /* the configuration came back: event type, exact threshold, parameters */
    assert_string_equal(l->cfg.event_type, "click");
    assert_true(l->cfg.threshold == 1.75);
    assert_int_equal(l->cfg.minimums_check, 0);
    double d = 0;
    assert_int_equal(tsrec__params_get_double(l->cfg.params, NULL, "popularity_discount_factor",
                                              &d),
                     TSREC_OK);
    assert_true(d == 0.3);
    tsrec__sims_model *lm = l->versions[0]->model;
    assert_int_equal(lm->nb_off[lm->n_items], m->nb_off[m->n_items]);
    assert_memory_equal(lm->nb_score, m->nb_score, (size_t)m->nb_off[m->n_items] * sizeof(float));
    metrics_equal(v, l->versions[0]);
    tsrec_campaign *ca = make_campaign(v, "c2");
    tsrec_campaign *cb = make_campaign(l->versions[0], "c2");
    same_campaign(ca, cb, 1);
    tsrec_membuf m2;
    SAVE_MEM(tsrec_solution_save_to, l, m2);
    assert_same_bytes(&mem, &m2);
    free(mem.data);
    free(m2.data);
    tsrec_campaign_free(ca);
    tsrec_campaign_free(cb);
    tsrec_solution_free(l);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- campaigns, trackers, filters ---------------------------------------------- */

static void test_campaign_live_state(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = pzf_make_group(ctx, N_USERS, N_ITEMS, 1);
    assert_non_null(g);
    tsrec_solution *s = make_solution(g, POP_REQ);
    tsrec_solution_version *v = train(s, TSREC_TRAINING_FULL);
    tsrec_campaign *ca = make_campaign(v, "live");
    tsrec_event_tracker *t = make_tracker(g);
    assert_int_equal(tsrec_event_tracker_attach(t, ca), TSREC_OK);
    /* events of known users, a new user and a new item before the save */
    assert_int_equal(put(t, "u3", "i0", 1700000000), TSREC_OK);
    assert_int_equal(put(t, "u9", "i1", 1700000010), TSREC_OK);
    assert_int_equal(put(t, "newbie", "brand-new", 1700000020), TSREC_OK);
    assert_true(ca->n_live > 0);
    char out[8192];
    size_t olen = 0; /* one request moves the counter of recommendationIds */
    const char *rq = "{\"userId\":\"u3\"}";
    assert_int_equal(tsrec_campaign_recommend_json(ca, rq, strlen(rq), out, sizeof out, &olen),
                     TSREC_OK);
    tsrec_membuf sm, cm, tm;
    SAVE_MEM(tsrec_solution_save_to, s, sm);
    SAVE_MEM(tsrec_campaign_save_to, ca, cm);
    SAVE_MEM(tsrec_event_tracker_save_to, t, tm);
    tsrec_membuf rd = reader(&sm);
    tsrec_solution *l = NULL;
    assert_int_equal(tsrec_solution_load_from(g, tsrec_membuf_read, &rd, &l), TSREC_OK);
    rd = reader(&cm);
    tsrec_campaign *cb = NULL;
    assert_int_equal(tsrec_campaign_load_from(l, tsrec_membuf_read, &rd, &cb), TSREC_OK);
    assert_string_equal(cb->name, "live");
    assert_ptr_equal(cb->version, l->versions[0]);
    /* the live events are kept: u3 no longer gets i0 */
    same_campaign(ca, cb, 0);
    const char *items[25];
    double sc[25];
    int64_t n = 0;
    assert_int_equal(tsrec_campaign_recommend(cb, "u3", NULL, 25, items, sc, &n), TSREC_OK);
    for (int64_t i = 0; i < n; i++)
        assert_string_not_equal(items[i], "i0");
    /* more events through a loaded tracker feeding both campaigns */
    rd = reader(&tm);
    tsrec_event_tracker *tl = NULL;
    assert_int_equal(tsrec_event_tracker_load_from(g, tsrec_membuf_read, &rd, &tl), TSREC_OK);
    assert_string_equal(tl->name, "t1");
    tsrec_membuf tm2;
    SAVE_MEM(tsrec_event_tracker_save_to, tl, tm2);
    assert_same_bytes(&tm, &tm2);
    free(tm2.data);
    assert_int_equal(tsrec_event_tracker_attach(tl, ca), TSREC_OK);
    assert_int_equal(tsrec_event_tracker_attach(tl, cb), TSREC_OK);
    assert_int_equal(put(tl, "u4", "i3", 1700000030), TSREC_OK);
    assert_int_equal(put(tl, "newbie", "i5", 1700000040), TSREC_OK);
    assert_int_equal(put(tl, "other-new", "i6", 1700000050), TSREC_OK);
    same_campaign(ca, cb, 0);
    /* a save of the loaded campaign equals a save of the original */
    tsrec_membuf c1, c2;
    SAVE_MEM(tsrec_campaign_save_to, ca, c1);
    SAVE_MEM(tsrec_campaign_save_to, cb, c2);
    assert_same_bytes(&c1, &c2);
    free(c1.data);
    free(c2.data);
    free(sm.data);
    free(cm.data);
    free(tm.data);
    tsrec_event_tracker_free(tl);
    tsrec_event_tracker_free(t);
    tsrec_campaign_free(ca);
    tsrec_campaign_free(cb);
    tsrec_solution_free(l);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

static void test_filters(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = pzf_make_group(ctx, N_USERS, N_ITEMS, 1);
    assert_non_null(g);
    tsrec_solution *s = make_solution(g, POP_REQ);
    tsrec_solution_version *v = train(s, TSREC_TRAINING_FULL);
    tsrec_filter *fg = make_filter(g, "genre", "INCLUDE ItemID WHERE Items.GENRE IN ($G)");
    tsrec_filter *fp = make_filter(
        g, "cheapnobuy",
        "INCLUDE ItemID WHERE Items.PRICE < $P | EXCLUDE ItemID WHERE "
        "Interactions.EVENT_TYPE IN (\\\"buy\\\")");
    const char *path = tmp_path("genre.tsrec");
    assert_int_equal(tsrec_filter_save(fg, path), TSREC_OK);
    tsrec_membuf fm;
    SAVE_MEM(tsrec_filter_save_to, fp, fm);
    tsrec_filter *lg = NULL, *lp = NULL;
    assert_int_equal(tsrec_filter_load(g, path, &lg), TSREC_OK);
    tsrec_membuf rd = reader(&fm);
    assert_int_equal(tsrec_filter_load_from(g, tsrec_membuf_read, &rd, &lp), TSREC_OK);
    assert_string_equal(lg->name, "genre");
    assert_string_equal(lp->expression, fp->expression);
    tsrec_membuf fm2;
    SAVE_MEM(tsrec_filter_save_to, lp, fm2);
    assert_same_bytes(&fm, &fm2);
    free(fm2.data);
    tsrec_campaign *ca = make_campaign(v, "cf");
    tsrec_campaign *cb = make_campaign(v, "cf");
    assert_int_equal(tsrec_campaign_attach_filter(ca, fg), TSREC_OK);
    assert_int_equal(tsrec_campaign_attach_filter(ca, fp), TSREC_OK);
    assert_int_equal(tsrec_campaign_attach_filter(cb, lg), TSREC_OK);
    assert_int_equal(tsrec_campaign_attach_filter(cb, lp), TSREC_OK);
    char req[256];
    for (int u = 0; u < N_USERS; u += 3) {
        snprintf(req, sizeof req,
                 "{\"userId\":\"u%d\",\"numResults\":7,\"filterArn\":\"genre\","
                 "\"filterValues\":{\"G\":\"\\\"%s\\\"\"}}",
                 u, u % 2 ? "odd" : "even");
        same_json(ca, cb, req, 0);
        snprintf(req, sizeof req,
                 "{\"userId\":\"u%d\",\"filterArn\":\"cheapnobuy\",\"filterValues\":{\"P\":"
                 "\"%d\"}}",
                 u, 5 + u % 20);
        same_json(ca, cb, req, 0);
    }
    /* a missing INCLUDE placeholder fails the same way on both */
    same_json(ca, cb, "{\"userId\":\"u1\",\"filterArn\":\"genre\",\"filterValues\":{}}", 0);
    /* the campaign remembers attached filter names, but filters are attached by the caller */
    tsrec_membuf cm, sm;
    SAVE_MEM(tsrec_solution_save_to, s, sm);
    SAVE_MEM(tsrec_campaign_save_to, ca, cm);
    rd = reader(&sm);
    tsrec_solution *l = NULL;
    assert_int_equal(tsrec_solution_load_from(g, tsrec_membuf_read, &rd, &l), TSREC_OK);
    rd = reader(&cm);
    tsrec_campaign *cl = NULL;
    assert_int_equal(tsrec_campaign_load_from(l, tsrec_membuf_read, &rd, &cl), TSREC_OK);
    assert_int_equal(cl->n_filters, 0);
    assert_int_equal(tsrec_campaign_attach_filter(cl, lg), TSREC_OK);
    snprintf(req, sizeof req,
             "{\"userId\":\"u2\",\"filterArn\":\"genre\","
             "\"filterValues\":{\"G\":\"\\\"odd\\\"\"}}");
    same_json(ca, cl, req, 0);
    free(fm.data);
    free(cm.data);
    free(sm.data);
    tsrec_campaign_free(cl);
    tsrec_solution_free(l);
    tsrec_campaign_free(ca);
    tsrec_campaign_free(cb);
    tsrec_filter_free(fg);
    tsrec_filter_free(fp);
    tsrec_filter_free(lg);
    tsrec_filter_free(lp);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    remove(path);
    tu_ctx_free_checked(ctx);
}

/* ---- misuse and bad files ------------------------------------------------------ */

static void test_misuse(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = pzf_make_group(ctx, N_USERS, N_ITEMS, 1);
    assert_non_null(g);
    tsrec_solution *s = make_solution(g, POP_REQ);
    tsrec_solution_version *v = train(s, TSREC_TRAINING_FULL);
    tsrec_campaign *c = make_campaign(v, "cm");
    tsrec_event_tracker *t = make_tracker(g);
    tsrec_filter *f = make_filter(g, "genre", "INCLUDE ItemID WHERE Items.GENRE IN ($G)");
    tsrec_membuf mb = {0};
    tsrec_solution *so = (tsrec_solution *)1;
    tsrec_campaign *co = (tsrec_campaign *)1;
    tsrec_event_tracker *to = (tsrec_event_tracker *)1;
    tsrec_filter *fo = (tsrec_filter *)1;
    /* NULL handles and arguments */
    assert_int_equal(tsrec_solution_save(NULL, "x"), TSREC_E_MISUSE);
    assert_int_equal(tsrec_solution_save(s, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_solution_save(s, ""), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_solution_save_to(s, NULL, &mb), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_solution_load(NULL, "x", &so), TSREC_E_MISUSE);
    assert_null(so);
    assert_int_equal(tsrec_solution_load(g, NULL, &so), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_solution_load(g, "x", NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_solution_load_from(g, NULL, &mb, &so), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_campaign_save(NULL, "x"), TSREC_E_MISUSE);
    assert_int_equal(tsrec_campaign_save_to(c, NULL, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_campaign_load(NULL, "x", &co), TSREC_E_MISUSE);
    assert_null(co);
    assert_int_equal(tsrec_campaign_load_from(s, NULL, &mb, &co), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_event_tracker_save(NULL, "x"), TSREC_E_MISUSE);
    assert_int_equal(tsrec_event_tracker_save_to(t, NULL, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_event_tracker_load(NULL, "x", &to), TSREC_E_MISUSE);
    assert_null(to);
    assert_int_equal(tsrec_event_tracker_load_from(g, NULL, NULL, &to), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_filter_save(NULL, "x"), TSREC_E_MISUSE);
    assert_int_equal(tsrec_filter_save(f, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_filter_load(NULL, "x", &fo), TSREC_E_MISUSE);
    assert_null(fo);
    assert_int_equal(tsrec_filter_load_from(g, tsrec_membuf_read, &mb, NULL), TSREC_E_INVALID_ARG);
    /* wrong handle types */
    assert_int_equal(tsrec_solution_save((const tsrec_solution *)(void *)c, "x"), TSREC_E_MISUSE);
    assert_int_equal(tsrec_campaign_load((tsrec_solution *)(void *)g, "x", &co), TSREC_E_MISUSE);
    assert_int_equal(tsrec_filter_load((tsrec_dataset_group *)(void *)s, "x", &fo),
                     TSREC_E_MISUSE);
    /* files that do not exist or cannot be written */
    assert_int_equal(tsrec_solution_load(g, "/nonexistent/dir/s.tsrec", &so), TSREC_E_IO);
    assert_non_null(strstr(tsrec_errmsg(g), "/nonexistent/dir/s.tsrec"));
    assert_int_equal(tsrec_solution_save(s, "/nonexistent/dir/s.tsrec"), TSREC_E_IO);
    assert_int_equal(tsrec_filter_save(f, "/nonexistent/dir/f.tsrec"), TSREC_E_IO);
    /* a membuf too small for the save */
    unsigned char small[64];
    tsrec_membuf sm = {small, sizeof small, 0, 0};
    assert_int_equal(tsrec_campaign_save_to(c, tsrec_membuf_write, &sm), TSREC_E_IO);
    /* foreign type: a campaign file is not a solution, filter or tracker */
    tsrec_membuf cm;
    SAVE_MEM(tsrec_campaign_save_to, c, cm);
    tsrec_membuf rd = reader(&cm);
    assert_int_equal(tsrec_solution_load_from(g, tsrec_membuf_read, &rd, &so), TSREC_E_FORMAT);
    assert_null(so);
    rd = reader(&cm);
    assert_int_equal(tsrec_filter_load_from(g, tsrec_membuf_read, &rd, &fo), TSREC_E_FORMAT);
    rd = reader(&cm);
    assert_int_equal(tsrec_event_tracker_load_from(g, tsrec_membuf_read, &rd, &to),
                     TSREC_E_FORMAT);
    /* wrong parent: a solution without the campaign's version */
    tsrec_solution *other = make_solution(g, SIMS_REQ);
    rd = reader(&cm);
    assert_int_equal(tsrec_campaign_load_from(other, tsrec_membuf_read, &rd, &co),
                     TSREC_E_FORMAT);
    assert_null(co);
    assert_non_null(strstr(tsrec_errmsg(other), "solution/pop/1"));
    /* a solution without versions round-trips too */
    tsrec_membuf om;
    SAVE_MEM(tsrec_solution_save_to, other, om);
    rd = reader(&om);
    assert_int_equal(tsrec_solution_load_from(g, tsrec_membuf_read, &rd, &so), TSREC_OK);
    assert_int_equal(so->n_versions, 0);
    assert_string_equal(so->name, "sims");
    tsrec_solution_free(so);
    so = NULL;
    free(om.data);
    /* wrong group: a solution loaded onto a group with other ids */
    tsrec_membuf smem;
    SAVE_MEM(tsrec_solution_save_to, s, smem);
    tsrec_dataset_group *g2 = pzf_make_group(ctx, 40, 30, 0);
    assert_non_null(g2);
    rd = reader(&smem);
    assert_int_equal(tsrec_solution_load_from(g2, tsrec_membuf_read, &rd, &so), TSREC_E_FORMAT);
    assert_null(so);
    assert_non_null(strstr(tsrec_errmsg(g2), "does not match"));
    /* a filter whose fields the group lacks */
    tsrec_membuf fm;
    SAVE_MEM(tsrec_filter_save_to, f, fm);
    rd = reader(&fm);
    assert_int_equal(tsrec_filter_load_from(g2, tsrec_membuf_read, &rd, &fo), TSREC_E_FORMAT);
    assert_non_null(strstr(tsrec_errmsg(g2), "Items"));
    /* every truncation of every file fails cleanly */
    tsrec_membuf *files[] = {&smem, &cm, &fm};
    for (size_t k = 0; k < 3; k++)
        for (size_t cut = 0; cut < files[k]->len; cut += 1 + cut / 16) {
            tsrec_membuf tr = reader(files[k]);
            tr.len = cut;
            int rc = k == 0   ? tsrec_solution_load_from(g, tsrec_membuf_read, &tr, &so)
                     : k == 1 ? tsrec_campaign_load_from(s, tsrec_membuf_read, &tr, &co)
                              : tsrec_filter_load_from(g, tsrec_membuf_read, &tr, &fo);
            assert_true(rc == TSREC_E_FORMAT || rc == TSREC_E_IO);
            assert_true(so == NULL && co == NULL && fo == NULL);
        }
    /* flipped bytes: caught by the CRCs */
    for (size_t pos = 0; pos < smem.len; pos += 1 + smem.len / 97) {
        ((unsigned char *)smem.data)[pos] ^= 0x5A;
        rd = reader(&smem);
        int rc = tsrec_solution_load_from(g, tsrec_membuf_read, &rd, &so);
        assert_true(rc == TSREC_E_FORMAT || rc == TSREC_E_VERSION);
        assert_null(so);
        ((unsigned char *)smem.data)[pos] ^= 0x5A;
    }
    tsrec_solution_free(other);
    tsrec_filter_free(f);
    tsrec_event_tracker_free(t);
    tsrec_campaign_free(c);
    free(cm.data);
    free(smem.data);
    free(fm.data);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g2);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- freed handles: an allocator that keeps freed blocks until the test
 * ends, so freed handles can be passed back (even under ASan) ------------- */

typedef struct keep_alloc {
    void **blocks;
    size_t n, cap;
} keep_alloc;

static void *keep_alloc_fn(void *ud, size_t size, size_t align)
{
    keep_alloc *k = ud;
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 256;
        void **b = realloc(k->blocks, cap * sizeof *b);
        if (b == NULL)
            return NULL;
        k->blocks = b;
        k->cap = cap;
    }
    void *p = NULL;
    if (posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align, size ? size : 1))
        return NULL;
    k->blocks[k->n++] = p;
    return p;
}

static void *keep_realloc_fn(void *ud, void *ptr, size_t old, size_t size, size_t align)
{
    void *p = keep_alloc_fn(ud, size, align);
    if (p != NULL && ptr != NULL)
        memcpy(p, ptr, old < size ? old : size);
    return p;
}

static void keep_free_fn(void *ud, void *ptr, size_t size)
{
    (void)ud;
    (void)ptr;
    (void)size;
}

static void test_freed_handles(void **state)
{
    (void)state;
    keep_alloc k;
    memset(&k, 0, sizeof k);
    tsrec_ctx_options o;
    assert_int_equal(tsrec_ctx_options_init(&o), TSREC_OK);
    o.allocator.alloc = keep_alloc_fn;
    o.allocator.realloc = keep_realloc_fn;
    o.allocator.free = keep_free_fn;
    o.allocator.user_data = &k;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    tsrec_dataset_group *g = pzf_make_group(ctx, 30, 20, 1);
    assert_non_null(g);
    tsrec_solution *s = make_solution(g, SIMS_REQ);
    tsrec_solution_version *v = train(s, TSREC_TRAINING_FULL);
    tsrec_campaign *c = make_campaign(v, "fc");
    tsrec_event_tracker *t = make_tracker(g);
    tsrec_filter *f = make_filter(g, "genre", "INCLUDE ItemID WHERE Items.GENRE IN ($G)");
    tsrec_membuf cm, sm;
    SAVE_MEM(tsrec_campaign_save_to, c, cm);
    SAVE_MEM(tsrec_solution_save_to, s, sm);
    tsrec_membuf mb = {NULL, 0, 0, 0};
    tsrec_campaign_free(c);
    assert_int_equal(tsrec_campaign_save(c, tmp_path("freed")), TSREC_E_MISUSE);
    assert_non_null(strstr(tsrec_last_error(), "freed"));
    assert_int_equal(tsrec_campaign_save_to(c, tsrec_membuf_write, &mb), TSREC_E_MISUSE);
    tsrec_filter_free(f);
    assert_int_equal(tsrec_filter_save_to(f, tsrec_membuf_write, &mb), TSREC_E_MISUSE);
    tsrec_event_tracker_free(t);
    assert_int_equal(tsrec_event_tracker_save(t, tmp_path("freed")), TSREC_E_MISUSE);
    tsrec_solution_free(s);
    assert_int_equal(tsrec_solution_save(s, tmp_path("freed")), TSREC_E_MISUSE);
    tsrec_membuf rd = reader(&cm);
    tsrec_campaign *co = NULL;
    assert_int_equal(tsrec_campaign_load_from(s, tsrec_membuf_read, &rd, &co), TSREC_E_MISUSE);
    assert_null(co);
    tsrec_dataset_group_free(g);
    rd = reader(&sm);
    tsrec_solution *so = NULL;
    assert_int_equal(tsrec_solution_load_from(g, tsrec_membuf_read, &rd, &so), TSREC_E_MISUSE);
    tsrec_filter *fo = NULL;
    assert_int_equal(tsrec_filter_load(g, tmp_path("x"), &fo), TSREC_E_MISUSE);
    tsrec_event_tracker *to = NULL;
    assert_int_equal(tsrec_event_tracker_load(g, tmp_path("x"), &to), TSREC_E_MISUSE);
    assert_true(so == NULL && fo == NULL && to == NULL);
    free(cm.data);
    free(sm.data);
    tsrec_ctx_free(ctx);
    for (size_t i = 0; i < k.n; i++)
        free(k.blocks[i]);
    free(k.blocks);
}

/* A hand-made corrupt payload inside a valid container: counts and codes
 * are checked by the deserializer itself, not only by the CRC. */
static void test_corrupt_payload(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = pzf_make_group(ctx, N_USERS, N_ITEMS, 0);
    assert_non_null(g);
    tsrec_solution *s = make_solution(g, POP_REQ);
    tsrec_solution_version *v = train(s, TSREC_TRAINING_FULL);
    tsrec_campaign *c = make_campaign(v, "cc");
    /* a campaign payload naming version 1 with a live item code far out of range */
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_str(&b, "{\"name\":\"cc\"}");
    tsrec__wbuf_i64(&b, 1);
    tsrec__wbuf_str(&b, v->arn);
    tsrec__wbuf_i64(&b, 0);
    tsrec__wbuf_i64(&b, 0);
    tsrec__wbuf_i64(&b, 1);
    int32_t items[2] = {0, 99999}, types[2] = {0, 0};
    tsrec__wbuf_i32s(&b, items, 2);
    tsrec__wbuf_i32s(&b, types, 2);
    tsrec_membuf m = {0};
    m.data = malloc(4096);
    m.cap = 4096;
    assert_int_equal(tsrec__container_write(NULL, TSREC_OBJECT_CAMPAIGN, 1, &b, tsrec_membuf_write,
                                            &m),
                     TSREC_OK);
    tsrec__wbuf_free(&b);
    tsrec_membuf rd = reader(&m);
    tsrec_campaign *co = NULL;
    assert_int_equal(tsrec_campaign_load_from(s, tsrec_membuf_read, &rd, &co), TSREC_E_FORMAT);
    assert_null(co);
    assert_non_null(strstr(tsrec_errmsg(s), "live event"));
    /* a newer state version is refused */
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_str(&b, "{\"name\":\"t\"}");
    m.len = 0;
    assert_int_equal(tsrec__container_write(NULL, TSREC_OBJECT_EVENT_TRACKER, 2, &b,
                                            tsrec_membuf_write, &m),
                     TSREC_OK);
    tsrec__wbuf_free(&b);
    rd = reader(&m);
    tsrec_event_tracker *to = NULL;
    assert_int_equal(tsrec_event_tracker_load_from(g, tsrec_membuf_read, &rd, &to),
                     TSREC_E_VERSION);
    /* a tracker request that CreateEventTracker refuses */
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_str(&b, "{\"name\":\"bad name!\"}");
    m.len = 0;
    assert_int_equal(tsrec__container_write(NULL, TSREC_OBJECT_EVENT_TRACKER, 1, &b,
                                            tsrec_membuf_write, &m),
                     TSREC_OK);
    tsrec__wbuf_free(&b);
    rd = reader(&m);
    assert_int_equal(tsrec_event_tracker_load_from(g, tsrec_membuf_read, &rd, &to),
                     TSREC_E_FORMAT);
    assert_null(to);
    assert_non_null(strstr(tsrec_errmsg(g), "saved event tracker"));
    /* a solution whose model ranking holds an item code out of range */
    tsrec_membuf sm;
    SAVE_MEM(tsrec_solution_save_to, s, sm);
    tsrec__pop_model *pm = v->model;
    int32_t keep = pm->ranked[0];
    pm->ranked[0] = (int32_t)pm->n_items; /* corrupt the original, save, restore */
    tsrec_membuf bad;
    SAVE_MEM(tsrec_solution_save_to, s, bad);
    pm->ranked[0] = keep;
    rd = reader(&bad);
    tsrec_solution *so = NULL;
    assert_int_equal(tsrec_solution_load_from(g, tsrec_membuf_read, &rd, &so), TSREC_E_FORMAT);
    assert_non_null(strstr(tsrec_errmsg(g), "popularity"));
    free(bad.data);
    free(sm.data);
    free(m.data);
    tsrec_campaign_free(c);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- v1 fixtures ------------------------------------------------------------------- */

static const char *fixture_path(const char *name)
{
    static char path[1024];
    const char *data = getenv("TSREC_TEST_DATA"); /* tests/numeric/data */
    if (data == NULL)
        return NULL;
    snprintf(path, sizeof path, "%s/../../fixtures/v1/%s", data, name);
    return path;
}

#define FX_USERS 30
#define FX_ITEMS 20

static void write_fixtures(tsrec_ctx *ctx)
{
    tsrec_dataset_group *g = pzf_make_group(ctx, FX_USERS, FX_ITEMS, 1);
    assert_non_null(g);
    tsrec_solution *s = make_solution(
        g, "{\"name\":\"fx\",\"recipeArn\":\"aws-sims\",\"solutionConfig\":{\"minimumsCheck\":"
           "\"off\",\"algorithmHyperParameters\":{\"min_cointeraction_count\":\"1\"}}}");
    tsrec_solution_version *v = train(s, TSREC_TRAINING_FULL);
    tsrec_campaign *c = make_campaign(v, "fxc");
    tsrec_event_tracker *t = make_tracker(g);
    assert_int_equal(tsrec_event_tracker_attach(t, c), TSREC_OK);
    assert_int_equal(put(t, "u3", "i1", 1700000000), TSREC_OK);
    tsrec_filter *f = make_filter(g, "fxf", "EXCLUDE ItemID WHERE Items.GENRE IN ($G)");
    assert_int_equal(tsrec_solution_save(s, fixture_path("solution.tsrec")), TSREC_OK);
    assert_int_equal(tsrec_campaign_save(c, fixture_path("campaign.tsrec")), TSREC_OK);
    assert_int_equal(tsrec_filter_save(f, fixture_path("filter.tsrec")), TSREC_OK);
    assert_int_equal(tsrec_event_tracker_save(t, fixture_path("tracker.tsrec")), TSREC_OK);
    /* the group after the streamed event, in the dataset group format */
    assert_int_equal(tsrec_dataset_group_save(g, fixture_path("pz_save_group.tsrec")), TSREC_OK);
    tsrec_filter_free(f);
    tsrec_event_tracker_free(t);
    tsrec_campaign_free(c);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
}

static void test_fixtures_v1(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const char *env = getenv("TSREC_WRITE_FIXTURES");
    if (fixture_path("solution.tsrec") != NULL && env != NULL && env[0] == '1')
        write_fixtures(ctx);
    char p[1024]; /* fixture_path's buffer is reused by the next call */
    const char *fp = fixture_path("solution.tsrec");
    snprintf(p, sizeof p, "%s", fp != NULL ? fp : "");
    if (p[0] == '\0' || access(p, R_OK) != 0) {
        printf("# fixture tests/fixtures/v1/solution.tsrec not found\n");
        tu_ctx_free_checked(ctx);
        return;
    }
    /* the group the fixtures were made on, rebuilt from its rows (the
     * streamed event is only in the campaign's live state) */
    tsrec_dataset_group *g = pzf_make_group(ctx, FX_USERS, FX_ITEMS, 1);
    assert_non_null(g);
    tsrec_solution *s = NULL;
    assert_int_equal(tsrec_solution_load(g, p, &s), TSREC_OK);
    assert_int_equal(s->n_versions, 1);
    char json[1024];
    size_t len = 0;
    assert_int_equal(
        tsrec_solution_version_metrics_json(s->versions[0], json, sizeof json, &len), TSREC_OK);
    tsrec_campaign *c = NULL;
    assert_int_equal(tsrec_campaign_load(s, fixture_path("campaign.tsrec"), &c), TSREC_OK);
    tsrec_filter *f = NULL;
    assert_int_equal(tsrec_filter_load(g, fixture_path("filter.tsrec"), &f), TSREC_OK);
    tsrec_event_tracker *t = NULL;
    assert_int_equal(tsrec_event_tracker_load(g, fixture_path("tracker.tsrec"), &t), TSREC_OK);
    assert_string_equal(f->expression, "EXCLUDE ItemID WHERE Items.GENRE IN ($G)");
    assert_string_equal(t->name, "t1");
    assert_int_equal(c->n_live, 4); /* u3's streamed events */
    assert_int_equal(tsrec_campaign_attach_filter(c, f), TSREC_OK);
    const char *items[10];
    double sc[10];
    int64_t n = 0;
    /* pinned when the fixtures were written: SIMS neighbours of i2 for u3
     * (whose live events exclude i1 and i2) and the offline metrics */
    static const char *const want[] = {"i4", "i6", "i7", "i11", "i15", "i13", "i14", "i17",
                                       "i16"};
    assert_int_equal(tsrec_campaign_recommend(c, "u3", "i2", 10, items, sc, &n), TSREC_OK);
    assert_int_equal(n, 9);
    for (int64_t i = 0; i < n; i++)
        assert_string_equal(items[i], want[i]);
    assert_true(sc[0] == 0.83405762910842896 && sc[8] == 0.29488390684127808);
    assert_string_equal(
        json, "{\"solutionVersionArn\":\"arn:aws:personalize:::solution/fx/1\",\"metrics\":{"
              "\"coverage\":0.7,\"mean_reciprocal_rank_at_25\":0.4444444444444444,"
              "\"normalized_discounted_cumulative_gain_at_10\":0.3065735963827292,"
              "\"normalized_discounted_cumulative_gain_at_25\":0.3065735963827292,"
              "\"normalized_discounted_cumulative_gain_at_5\":0.3065735963827292,"
              "\"precision_at_10\":0.06666666666666667,\"precision_at_25\":0.02666666666666667,"
              "\"precision_at_5\":0.13333333333333333}}");
    /* the filter came back with its placeholder */
    char req[160];
    snprintf(req, sizeof req,
             "{\"userId\":\"u3\",\"itemId\":\"i2\",\"filterArn\":\"fxf\",\"filterValues\":"
             "{\"G\":\"\\\"even\\\"\"}}");
    char out[4096];
    size_t olen = 0;
    assert_int_equal(tsrec_campaign_recommend_json(c, req, strlen(req), out, sizeof out, &olen),
                     TSREC_OK);
    assert_non_null(strstr(out, "\"i7\""));
    assert_null(strstr(out, "\"i4\""));
    /* a fresh training on the same rows gives the same model and metrics */
    tsrec_solution *fresh = make_solution(
        g, "{\"name\":\"fx\",\"recipeArn\":\"aws-sims\",\"solutionConfig\":{\"minimumsCheck\":"
           "\"off\",\"algorithmHyperParameters\":{\"min_cointeraction_count\":\"1\"}}}");
    tsrec_solution_version *fv = train(fresh, TSREC_TRAINING_FULL);
    metrics_equal(fv, s->versions[0]);
    tsrec_campaign *fc = make_campaign(fv, "fxc");
    for (int j = 0; j < FX_ITEMS; j++) {
        char item[16];
        snprintf(item, sizeof item, "i%d", j);
        same_recs(fc, c, "u0", item, 10);
    }
    tsrec_campaign_free(fc);
    tsrec_solution_free(fresh);
    /* the same objects on the saved group (which holds the streamed event) */
    const char *gp = fixture_path("pz_save_group.tsrec");
    if (access(gp, R_OK) == 0) {
        tsrec_dataset_group *lg = NULL;
        assert_int_equal(tsrec_dataset_group_load(ctx, gp, &lg), TSREC_OK);
        tsrec_solution *ls = NULL;
        if (tsrec_solution_load(lg, p, &ls) != TSREC_OK)
            fail_msg("solution on the saved group: %s", tsrec_errmsg(lg));
        tsrec_campaign *lc = NULL;
        assert_int_equal(tsrec_campaign_load(ls, fixture_path("campaign.tsrec"), &lc), TSREC_OK);
        for (int j = 0; j < FX_ITEMS; j++) {
            char item[16];
            snprintf(item, sizeof item, "i%d", j);
            same_recs(c, lc, "u3", item, 10);
            same_recs(c, lc, "u7", item, 10);
        }
        tsrec_campaign_free(lc);
        tsrec_solution_free(ls);
        tsrec_dataset_group_free(lg);
    } else {
        printf("# fixture tests/fixtures/v1/pz_save_group.tsrec not found\n");
    }
    tsrec_event_tracker_free(t);
    tsrec_campaign_free(c);
    tsrec_filter_free(f);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

static int teardown_all(void **state)
{
    (void)state;
    if (tmpdir[0] != '\0')
        rmdir(tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_popularity_path),
        cmocka_unit_test(test_sims_membuf),
        cmocka_unit_test(test_campaign_live_state),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_freed_handles),
        cmocka_unit_test(test_corrupt_payload),
        cmocka_unit_test(test_fixtures_v1),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
