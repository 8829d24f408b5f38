/* The GetRecommendations fast paths of campaign.c / campaign_json.c:
 *  - the per-user sorted histories built at campaign creation, used as is
 *    for users without live events, merged with the live events otherwise
 *    (few events: insertion sort; > 32: qsort; history + events > 512:
 *    a heap buffer instead of the stack one);
 *  - results on the stack in tsrec_campaign_recommend(_json);
 *  - float-origin scores in the JSON form written by tsrec__jw_float.
 * Reference: the recipe's recommend called with the exclusion list built
 * the naive way (history and live events copied, sorted, deduplicated),
 * which is what every query did before; items and scores must be
 * bit-identical. Plus save / load (histories rebuilt, not stored) and
 * readers racing a tracker on the merge paths. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"
#include "personalize_internal.h"
#include "test_util.h"

#define N_USERS 90
#define N_ITEMS 700
#define N_FRESH 5

static const char *SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}],\"version\":\"1.0\"}";

static uint64_t next_u64(uint64_t *s)
{
    *s += 0x9E3779B97F4A7C15ull;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Skewed item draw (low numbers popular), repeats allowed. */
static int draw_item(uint64_t *s)
{
    uint64_t a = next_u64(s) % N_ITEMS, b = next_u64(s) % N_ITEMS;
    return (int)(a < b ? a : b);
}

/* History length of user u: 0..9 heavy (1200 uniform draws: about 570
 * distinct items, more than the 512-item stack buffer of the merge),
 * 80..89 one interaction, the rest 5..64. */
static int history_len(int u, uint64_t *s)
{
    if (u < 10)
        return 1200;
    if (u >= 80)
        return 1;
    return 5 + (int)(next_u64(s) % 60);
}

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
    uint64_t s = 99;
    int len[N_USERS];
    int64_t n = 0;
    for (int u = 0; u < N_USERS; u++)
        n += len[u] = history_len(u, &s);
    const char **cells = calloc((size_t)n * 3, sizeof(char *));
    char (*text)[3][24] = calloc((size_t)n, sizeof(*text));
    assert_non_null(cells);
    assert_non_null(text);
    int64_t r = 0;
    for (int u = 0; u < N_USERS; u++)
        for (int k = 0; k < len[u]; k++, r++) {
            snprintf(text[r][0], 24, "u%d", u);
            snprintf(text[r][1], 24, "i%d",
                     u < 10 ? (int)(next_u64(&s) % N_ITEMS) : draw_item(&s));
            snprintf(text[r][2], 24, "%lld", 1600000000LL + r);
            for (int f = 0; f < 3; f++)
                cells[r * 3 + f] = text[r][f];
        }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, n, 3, NULL, NULL), TSREC_OK);
    free(cells);
    free(text);
    return g;
}

static tsrec_solution_version *train(tsrec_dataset_group *g, const char *recipe,
                                     tsrec_solution **out)
{
    char req[512];
    snprintf(req, sizeof req,
             "{\"name\":\"s\",\"recipeArn\":\"%s\"%s}", recipe,
             strcmp(recipe, "aws-sims") == 0
                 ? ",\"solutionConfig\":{\"algorithmHyperParameters\":"
                   "{\"min_cointeraction_count\":\"1\"}}"
                 : "");
    assert_int_equal(tsrec_solution_create(g, req, strlen(req), out), TSREC_OK);
    tsrec_solution_version *v = NULL;
    assert_int_equal(tsrec_solution_train(*out, TSREC_TRAINING_FULL, &v), TSREC_OK);
    return v;
}

static tsrec_campaign *campaign(tsrec_solution_version *v, const char *name)
{
    char req[128];
    snprintf(req, sizeof req, "{\"name\":\"%s\"}", name);
    tsrec_campaign *c = NULL;
    assert_int_equal(tsrec_campaign_create(v, req, strlen(req), &c), TSREC_OK);
    return c;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The naive exclusion list of user code u and the recipe's answer. */
static int64_t reference(const tsrec_campaign *c, const char *user, const char *item,
                         int64_t k, int32_t *items, double *scores)
{
    const tsrec__interactions *s = &c->version->store;
    int64_t u = user != NULL ? tsrec__strdict_lookup(&c->group->users, user, strlen(user)) : -1;
    int64_t it = -1;
    if (item != NULL && c->version->recipe->type == TSREC__RECIPE_RELATED_ITEMS)
        it = tsrec__strdict_lookup(&c->group->items, item, strlen(item));
    int64_t ns = u >= 0 && u < s->n_users ? s->user_off[u + 1] - s->user_off[u] : 0;
    int64_t nl = u >= 0 && u < c->n_live ? c->live[u].n : 0;
    int32_t *ex = malloc((size_t)(ns + nl + 1) * sizeof(int32_t));
    assert_non_null(ex);
    if (ns > 0)
        memcpy(ex, s->item + s->user_off[u], (size_t)ns * sizeof(int32_t));
    if (nl > 0)
        memcpy(ex + ns, c->live[u].item, (size_t)nl * sizeof(int32_t));
    qsort(ex, (size_t)(ns + nl), sizeof(int32_t), cmp_i32);
    int64_t ne = 0;
    for (int64_t i = 0; i < ns + nl; i++)
        if (ne == 0 || ex[ne - 1] != ex[i])
            ex[ne++] = ex[i];
    int64_t n = c->version->recipe->recommend(c->version->model, it, ex, ne, k, items, scores);
    free(ex);
    return n;
}

/* tsrec_campaign_recommend equals the reference, bit for bit. */
static void check_query(const tsrec_campaign *c, const char *user, const char *item, int64_t k)
{
    const char *ids[500];
    double sc[500], rs[500];
    int32_t ri[500];
    int64_t n = -1;
    assert_int_equal(tsrec_campaign_recommend(c, user, item, k, ids, sc, &n), TSREC_OK);
    int64_t rn = reference(c, user, item, k, ri, rs);
    if (n != rn)
        fail_msg("user %s item %s: %lld results, reference %lld", user ? user : "-",
                 item ? item : "-", (long long)n, (long long)rn);
    for (int64_t i = 0; i < n; i++) {
        assert_string_equal(ids[i], tsrec__version_item_id(c->version, ri[i]));
        assert_memory_equal(&sc[i], &rs[i], sizeof(double));
    }
}

static void check_all_users(const tsrec_campaign *pop, const tsrec_campaign *sims)
{
    char user[32], item[32];
    uint64_t s = 5;
    for (int u = 0; u < N_USERS + N_FRESH + 1; u++) {
        if (u < N_USERS)
            snprintf(user, sizeof user, "u%d", u);
        else if (u < N_USERS + N_FRESH)
            snprintf(user, sizeof user, "fresh%d", u - N_USERS);
        else
            snprintf(user, sizeof user, "nobody");
        check_query(pop, user, NULL, 500);
        check_query(pop, user, NULL, 1 + (int64_t)(next_u64(&s) % 30));
        snprintf(item, sizeof item, "i%d", draw_item(&s));
        check_query(sims, user, item, 500);
        check_query(sims, user, item, 25);
        check_query(sims, user, "unknown-item", 25);
    }
    check_query(pop, NULL, NULL, 500);
    check_query(sims, NULL, "i3", 500);
}

/* PutEvents of up to 10 items for one user. */
static void put_items(tsrec_event_tracker *t, const char *user, const int *items, int n)
{
    char req[4096];
    int w = snprintf(req, sizeof req,
                     "{\"trackingId\":\"t\",\"sessionId\":\"s\",\"userId\":\"%s\",\"eventList\":[",
                     user);
    for (int i = 0; i < n; i++)
        w += snprintf(req + w, sizeof req - (size_t)w,
                      "%s{\"eventType\":\"click\",\"sentAt\":%d,\"itemId\":\"%s%d\"}",
                      i > 0 ? "," : "", 1700000000 + i, items[i] < 0 ? "new" : "i",
                      items[i] < 0 ? -items[i] : items[i]);
    snprintf(req + w, sizeof req - (size_t)w, "]}");
    assert_int_equal(tsrec_event_tracker_put_events(t, req, strlen(req)), TSREC_OK);
}

typedef struct fixture {
    tsrec_ctx *ctx;
    tsrec_dataset_group *g;
    tsrec_solution *sp, *ss;
    tsrec_campaign *pop, *sims;
    tsrec_event_tracker *t;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->ctx = tu_ctx_new();
    fx->g = make_group(fx->ctx);
    fx->pop = campaign(train(fx->g, "aws-popularity-count", &fx->sp), "cpop");
    fx->sims = campaign(train(fx->g, "aws-sims", &fx->ss), "csims");
    assert_int_equal(tsrec_event_tracker_create(fx->g, "{\"name\":\"t\"}", 12, &fx->t), TSREC_OK);
    assert_int_equal(tsrec_event_tracker_attach(fx->t, fx->pop), TSREC_OK);
    assert_int_equal(tsrec_event_tracker_attach(fx->t, fx->sims), TSREC_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    tsrec_event_tracker_free(fx->t);
    tsrec_campaign_free(fx->pop);
    tsrec_campaign_free(fx->sims);
    tsrec_solution_free(fx->sp);
    tsrec_solution_free(fx->ss);
    tsrec_dataset_group_free(fx->g);
    tu_ctx_free_checked(fx->ctx);
    free(fx);
    return 0;
}

/* Built histories: sorted, unique, the store's items of each user. */
static void test_histories_built(void **state)
{
    fixture *fx = *state;
    const tsrec_campaign *c = fx->pop;
    const tsrec__interactions *s = &c->version->store;
    assert_int_equal(c->n_hist_users, s->n_users);
    assert_int_equal(c->hist_off[0], 0);
    for (int64_t u = 0; u < s->n_users; u++) {
        const int32_t *h = c->hist_item + c->hist_off[u];
        int64_t n = c->hist_off[u + 1] - c->hist_off[u];
        for (int64_t i = 1; i < n; i++)
            assert_true(h[i - 1] < h[i]);
        for (int64_t r = s->user_off[u]; r < s->user_off[u + 1]; r++) {
            int found = 0;
            for (int64_t i = 0; i < n && !found; i++)
                found = h[i] == s->item[r];
            assert_true(found);
        }
    }
    /* heavy users have long histories: with live events the merge exceeds
     * the 512-item stack buffer */
    printf("# unique history of u0: %lld items\n", (long long)(c->hist_off[1] - c->hist_off[0]));
    assert_true(c->hist_off[1] - c->hist_off[0] > 512);
}

static void test_no_live_events_match_reference(void **state)
{
    fixture *fx = *state;
    check_all_users(fx->pop, fx->sims);
}

static void test_live_events_match_reference(void **state)
{
    fixture *fx = *state;
    uint64_t s = 17;
    int items[10];
    char user[32];
    /* heavy users u0..u4: 60 events (> 32: qsort; history + events > 512:
     * heap buffer); u30..u34: 60 events on a short history (qsort, stack) */
    for (int u = 0; u < 35; u = u == 4 ? 30 : u + 1) {
        snprintf(user, sizeof user, "u%d", u);
        for (int call = 0; call < 6; call++) {
            for (int i = 0; i < 10; i++)
                items[i] = draw_item(&s);
            put_items(fx->t, user, items, 10);
        }
    }
    /* light users: a few events, repeats of each other and of the history,
     * and a new item */
    for (int u = 10; u < 30; u++) { /* insertion-sort path */
        snprintf(user, sizeof user, "u%d", u);
        items[0] = draw_item(&s);
        items[1] = items[0];
        items[2] = 0; /* the most popular item, almost surely in the history */
        items[3] = -(u + 1);
        put_items(fx->t, user, items, 1 + u % 4);
    }
    /* new users, beyond the prebuilt histories */
    for (int f = 0; f < N_FRESH; f++) {
        snprintf(user, sizeof user, "fresh%d", f);
        for (int i = 0; i < 10; i++)
            items[i] = i < 9 ? draw_item(&s) : -1;
        put_items(fx->t, user, items, 3 + f);
    }
    check_all_users(fx->pop, fx->sims);
    /* a live event of a heavy user's own most popular item removes it */
    const char *ids[500];
    double sc[500];
    int64_t n = 0;
    assert_int_equal(tsrec_campaign_recommend(fx->pop, "u85", NULL, 1, ids, sc, &n), TSREC_OK);
    assert_int_equal(n, 1);
    int top = atoi(ids[0] + 1);
    put_items(fx->t, "u85", &top, 1);
    assert_int_equal(tsrec_campaign_recommend(fx->pop, "u85", NULL, 500, ids, sc, &n), TSREC_OK);
    for (int64_t i = 0; i < n; i++)
        assert_true(atoi(ids[i] + 1) != top);
    check_query(fx->pop, "u85", NULL, 500);
}

/* Save into a malloc'd membuf (size query, then the bytes). */
static void save_campaign(const tsrec_campaign *c, tsrec_membuf *m)
{
    memset(m, 0, sizeof(*m));
    assert_int_equal(tsrec_campaign_save_to(c, tsrec_membuf_write, m), TSREC_OK);
    m->cap = m->len;
    m->data = malloc(m->cap);
    assert_non_null(m->data);
    m->len = 0;
    assert_int_equal(tsrec_campaign_save_to(c, tsrec_membuf_write, m), TSREC_OK);
}

/* The derived histories are not saved: a loaded campaign rebuilds them
 * identically, answers every user exactly as the original (live events
 * included), and saves back to the same bytes. */
static void test_save_load_rebuilds_histories(void **state)
{
    fixture *fx = *state;
    tsrec_membuf m;
    save_campaign(fx->pop, &m);
    m.pos = 0;
    tsrec_campaign *c = NULL;
    assert_int_equal(tsrec_campaign_load_from(fx->sp, tsrec_membuf_read, &m, &c), TSREC_OK);
    assert_int_equal(c->n_hist_users, fx->pop->n_hist_users);
    assert_memory_equal(c->hist_off, fx->pop->hist_off,
                        (size_t)(c->n_hist_users + 1) * sizeof(int64_t));
    assert_memory_equal(c->hist_item, fx->pop->hist_item,
                        (size_t)c->hist_off[c->n_hist_users] * sizeof(int32_t));
    char user[32];
    for (int u = 0; u < N_USERS + N_FRESH; u++) {
        if (u < N_USERS)
            snprintf(user, sizeof user, "u%d", u);
        else
            snprintf(user, sizeof user, "fresh%d", u - N_USERS);
        const char *a[500], *b[500];
        double sa[500], sb[500];
        int64_t na = 0, nb = 0;
        assert_int_equal(tsrec_campaign_recommend(fx->pop, user, NULL, 500, a, sa, &na),
                         TSREC_OK);
        assert_int_equal(tsrec_campaign_recommend(c, user, NULL, 500, b, sb, &nb), TSREC_OK);
        assert_int_equal(na, nb);
        for (int64_t i = 0; i < na; i++)
            assert_string_equal(a[i], b[i]);
        assert_memory_equal(sa, sb, (size_t)na * sizeof(double));
        check_query(c, user, NULL, 500);
    }
    tsrec_membuf m2;
    save_campaign(c, &m2);
    assert_int_equal(m2.len, m.len);
    assert_memory_equal(m2.data, m.data, m.len);
    tsrec_campaign_free(c);
    free(m.data);
    free(m2.data);
}

/* JSON form: same items as the C form; scores written as the shortest
 * float text, which reads back (as a float) to the C form's score. */
static void check_json(const tsrec_campaign *c, tsrec_ctx *ctx, const char *user,
                       const char *item, int64_t k, int *n_fraction)
{
    char req[256], out[65536];
    int w = snprintf(req, sizeof req, "{\"numResults\":%lld", (long long)k);
    if (user != NULL)
        w += snprintf(req + w, sizeof req - (size_t)w, ",\"userId\":\"%s\"", user);
    if (item != NULL)
        w += snprintf(req + w, sizeof req - (size_t)w, ",\"itemId\":\"%s\"", item);
    snprintf(req + w, sizeof req - (size_t)w, "}");
    size_t len = 0;
    assert_int_equal(tsrec_campaign_recommend_json(c, req, strlen(req), out, sizeof out, &len),
                     TSREC_OK);
    const char *ids[500];
    double sc[500];
    int64_t n = 0;
    assert_int_equal(tsrec_campaign_recommend(c, user, item, k, ids, sc, &n), TSREC_OK);
    tsrec__json_doc *doc = NULL;
    assert_int_equal(tsrec__json_parse(ctx, NULL, out, len, 0, &doc), TSREC_OK);
    const tsrec__json *list = tsrec__json_get(tsrec__json_root(doc), "itemList");
    assert_int_equal(tsrec__json_len(list), n);
    for (int64_t i = 0; i < n; i++) {
        const tsrec__json *e = tsrec__json_at(list, i);
        assert_string_equal(tsrec__json_get(e, "itemId")->u.str.ptr, ids[i]);
        const tsrec__json *score = tsrec__json_get(e, "score");
        assert_non_null(score);
        /* float-origin: exact as a float, and at most 9 digits */
        assert_true((double)(float)sc[i] == sc[i]);
        assert_true(strtof(score->u.num.text, NULL) == (float)sc[i]);
        assert_true(score->u.num.len <= 16);
        if (sc[i] != floor(sc[i])) {
            (*n_fraction)++;
        } else { /* integers (popularity counts, padding zeros): as before */
            char want[32];
            snprintf(want, sizeof want, "%.0f", sc[i]);
            assert_string_equal(score->u.num.text, want);
        }
    }
    tsrec__json_free(doc);
}

static void test_json_scores(void **state)
{
    fixture *fx = *state;
    int n_fraction = 0;
    char user[16], item[16];
    for (int u = 0; u < N_USERS; u += 7) {
        snprintf(user, sizeof user, "u%d", u);
        snprintf(item, sizeof item, "i%d", u % 50);
        check_json(fx->pop, fx->ctx, user, NULL, 50, &n_fraction);
        check_json(fx->sims, fx->ctx, user, item, 50, &n_fraction);
        check_json(fx->sims, fx->ctx, NULL, item, 500, &n_fraction);
    }
    assert_true(n_fraction > 100); /* SIMS similarities were really exercised */
    /* a pinned SIMS response: its scores are the %.9g-free shortest form */
    char out[65536];
    size_t len = 0;
    const char *req = "{\"itemId\":\"i1\",\"numResults\":3}";
    assert_int_equal(
        tsrec_campaign_recommend_json(fx->sims, req, strlen(req), out, sizeof out, &len),
        TSREC_OK);
    assert_null(strstr(out, "0000000")); /* no widened-float tails */
    /* recommendationId: RID-<campaign name>-<request number>, consecutive */
    unsigned long long rid[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(
            tsrec_campaign_recommend_json(fx->sims, req, strlen(req), out, sizeof out, &len),
            TSREC_OK);
        const char *p = strstr(out, "\"recommendationId\":\"RID-csims-");
        assert_non_null(p);
        char *end = NULL;
        rid[i] = strtoull(p + strlen("\"recommendationId\":\"RID-csims-"), &end, 10);
        assert_true(end != NULL && end[0] == '"' && end[1] == '}' && end[2] == '\0');
    }
    assert_true(rid[0] >= 2 && rid[1] == rid[0] + 1);
}

/* Misuse on the paths touched here. */
static void test_bad_input(void **state)
{
    fixture *fx = *state;
    const char *ids[500];
    double sc[500];
    int64_t n = 7;
    assert_int_equal(tsrec_campaign_recommend(fx->pop, "u1", NULL, 0, ids, sc, &n),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(n, 0);
    assert_int_equal(tsrec_campaign_recommend(fx->pop, "u1", NULL, 501, ids, sc, &n),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec_campaign_recommend(fx->pop, "u1", NULL, 5, NULL, sc, &n),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_campaign_recommend(NULL, "u1", NULL, 5, ids, sc, &n),
                     TSREC_E_MISUSE);
    assert_int_equal(tsrec_campaign_recommend(fx->sims, "u1", NULL, 5, ids, sc, &n),
                     TSREC_E_INVALID_ARG); /* SIMS needs itemId */
    char out[256];
    size_t len = 0;
    const char *req = "{\"userId\":\"u1\",\"numResults\":501}";
    assert_int_equal(
        tsrec_campaign_recommend_json(fx->pop, req, strlen(req), out, sizeof out, &len),
        TSREC_E_OUT_OF_RANGE);
    req = "{\"userId\":\"u1\",\"numResults\":1}";
    assert_int_equal(tsrec_campaign_recommend_json(fx->pop, req, strlen(req), NULL, 0, &len),
                     TSREC_OK); /* size query */
    assert_true(len > 20);
    size_t full = len;
    assert_int_equal(tsrec_campaign_recommend_json(fx->pop, req, strlen(req), out, 5, &len),
                     TSREC_OK); /* truncated copy, full length reported */
    assert_int_equal(len, full);
    assert_int_equal(strlen(out), 4);
}

/* Readers on the merge paths (heavy user: heap; light user: stack) while
 * a tracker appends to those same users. Every answer must leave out the
 * user's training items and be sorted by popularity. */
typedef struct reader_arg {
    const tsrec_campaign *c;
    const char *user;
    const int32_t *hist; /* sorted training items (group codes) */
    int64_t n_hist;
    atomic_int done;
    int bad;
    int64_t queries;
} reader_arg;

static void *reader(void *p)
{
    reader_arg *a = p;
    const char *ids[100];
    double sc[100];
    while (!atomic_load(&a->done) || a->queries < 20) {
        int64_t n = 0;
        if (tsrec_campaign_recommend(a->c, a->user, NULL, 100, ids, sc, &n) != TSREC_OK)
            a->bad = 1;
        for (int64_t i = 0; i < n; i++) {
            /* ids point into the version's immutable id table */
            for (int64_t j = 0; j < a->n_hist; j++)
                if (ids[i] == tsrec__version_item_id(a->c->version, a->hist[j]))
                    a->bad = 1;
            if (i > 0 && sc[i] > sc[i - 1])
                a->bad = 1;
        }
        a->queries++;
    }
    return NULL;
}

static void test_readers_race_tracker(void **state)
{
    fixture *fx = *state;
    static const char *const users[2] = {"u7", "u40"};
    reader_arg args[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        memset(&args[i], 0, sizeof args[i]);
        atomic_init(&args[i].done, 0);
        args[i].c = fx->pop;
        args[i].user = users[i];
        int64_t u = tsrec__strdict_lookup(&fx->g->users, users[i], strlen(users[i]));
        assert_true(u >= 0 && u < fx->pop->n_hist_users);
        args[i].hist = fx->pop->hist_item + fx->pop->hist_off[u];
        args[i].n_hist = fx->pop->hist_off[u + 1] - fx->pop->hist_off[u];
    }
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, reader, &args[i]), 0);
    uint64_t s = 23;
    int items[10];
    for (int call = 0; call < 60; call++) {
        for (int i = 0; i < 10; i++)
            items[i] = draw_item(&s);
        put_items(fx->t, users[call % 2], items, 10);
    }
    for (int i = 0; i < 2; i++)
        atomic_store(&args[i].done, 1);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].bad, 0);
        assert_true(args[i].queries >= 20);
    }
    check_query(fx->pop, "u7", NULL, 500);
    check_query(fx->pop, "u40", NULL, 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_histories_built),
        cmocka_unit_test(test_no_live_events_match_reference),
        cmocka_unit_test(test_live_events_match_reference),
        cmocka_unit_test(test_save_load_rebuilds_histories),
        cmocka_unit_test(test_json_scores),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_readers_race_tracker),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
