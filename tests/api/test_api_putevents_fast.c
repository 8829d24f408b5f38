/* PutEvents' direct append path (src/data/append.c via event_tracker.c)
 * and the import's slack policy for small appends:
 *  - a PutEvents stores exactly what importing the same rows does (the
 *    saved group bytes are equal), through the direct path;
 *  - a bad event in the middle of a batch appends nothing and leaves the
 *    group's id dictionaries as they were (parse-time errors and errors
 *    only the import's field rules catch);
 *  - attached campaigns see the events at once;
 *  - thousands of one-event calls keep memory bounded, large appends trim
 *    the slack, a saved and loaded group holds none;
 *  - tsrec__dataset_append_fits / _append_cells on their own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "append_internal.h"
#include "personalize_internal.h"
#include "time_internal.h"
#include "test_util.h"

#define N_USERS 60
#define N_ITEMS 30

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

/* Users u0..u59; user u interacted with items j < 30 - u % 20 ("buy" when
 * j % 4 == 0): item popularity falls with j. */
static tsrec_dataset_group *make_group(tsrec_ctx *ctx, tsrec_dataset **out_ds)
{
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", TSREC_SERVICE_PERSONALIZE, NULL, &g),
                     TSREC_OK);
    tsrec_schema *s = NULL;
    assert_int_equal(
        tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, SCHEMA, strlen(SCHEMA), &s), TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "i", "Interactions", s, NULL, &ds),
                     TSREC_OK);
    tsrec_schema_free(s);
    const char **cells = calloc((size_t)N_USERS * N_ITEMS * NF, sizeof(char *));
    char(*text)[3][24] = calloc((size_t)N_USERS * N_ITEMS, sizeof(*text));
    assert_non_null(cells);
    assert_non_null(text);
    int64_t r = 0;
    for (int u = 0; u < N_USERS; u++)
        for (int j = 0; j < N_ITEMS - u % 20; j++, r++) {
            snprintf(text[r][0], 24, "u%d", u);
            snprintf(text[r][1], 24, "i%d", j);
            snprintf(text[r][2], 24, "%d", 1600000000 + u * 100 + j);
            cells[r * NF + 0] = text[r][0];
            cells[r * NF + 1] = text[r][1];
            cells[r * NF + 2] = text[r][2];
            cells[r * NF + 3] = j % 4 == 0 ? "buy" : "click";
            cells[r * NF + 4] = "1";
        }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, r, NF, NULL, NULL), TSREC_OK);
    free(cells);
    free(text);
    *out_ds = ds;
    return g;
}

static tsrec_event_tracker *make_tracker(tsrec_dataset_group *g)
{
    tsrec_event_tracker *t = NULL;
    const char *req = "{\"name\":\"t1\"}";
    assert_int_equal(tsrec_event_tracker_create(g, req, strlen(req), &t), TSREC_OK);
    return t;
}

static int put(tsrec_event_tracker *t, const char *req)
{
    return tsrec_event_tracker_put_events(t, req, strlen(req));
}

/* The group saved into a malloc'd buffer. */
static unsigned char *save_bytes(const tsrec_dataset_group *g, size_t *out_len)
{
    tsrec_membuf m = {NULL, 0, 0, 0};
    assert_int_equal(tsrec_dataset_group_save_to(g, tsrec_membuf_write, &m), TSREC_OK);
    m.data = malloc(m.len);
    assert_non_null(m.data);
    m.cap = m.len;
    m.len = 0;
    assert_int_equal(tsrec_dataset_group_save_to(g, tsrec_membuf_write, &m), TSREC_OK);
    *out_len = m.len;
    return m.data;
}

/* Everything a rollback must restore. */
typedef struct snapshot {
    int64_t rows, imports, users, items;
    int64_t len[NF], dict[NF];
    int32_t width[NF];
    int has_valid[NF];
} snapshot;

static void snap(const tsrec_dataset_group *g, const tsrec_dataset *ds, snapshot *s)
{
    memset(s, 0, sizeof(*s));
    s->rows = ds->n_rows;
    s->imports = ds->n_imports;
    s->users = tsrec__strdict_count(&g->users);
    s->items = tsrec__strdict_count(&g->items);
    for (int f = 0; f < NF; f++) {
        const tsrec__column *c = &ds->cols[f];
        s->len[f] = c->len;
        s->dict[f] = c->dict != NULL ? tsrec__strdict_count(c->dict) : -1;
        s->width[f] = c->width;
        s->has_valid[f] = c->valid != NULL;
    }
}

static void assert_same_snapshot(const snapshot *a, const snapshot *b)
{
    assert_memory_equal(a, b, sizeof(*a));
}

/* ---- same bytes as an import ------------------------------------------------ */

static void test_same_as_import(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset *da = NULL, *db = NULL;
    tsrec_dataset_group *ga = make_group(ctx, &da);
    tsrec_dataset_group *gb = make_group(ctx, &db);
    tsrec_event_tracker *t = make_tracker(ga);
    /* new and known users / items, fractional sentAt, every optional field,
     * a string property (direct path) */
    const char *req =
        "{\"trackingId\":\"tid\",\"sessionId\":\"s1\",\"userId\":\"u3\",\"eventList\":["
        "{\"eventType\":\"click\",\"sentAt\":1700000000.75,\"itemId\":\"i4\","
        "\"eventValue\":2.5,\"recommendationId\":\"RID-1\",\"impression\":[\"i4\",\"i5\"],"
        "\"eventId\":\"e1\",\"properties\":\"{\\\"device\\\":\\\"phone\\\"}\"},"
        "{\"eventType\":\"watch\",\"sentAt\":1700000001,\"itemId\":\"new-item\","
        "\"eventValue\":0.1},"
        "{\"eventType\":\"buy\",\"sentAt\":1700000002,\"itemId\":\"i0\"}]}";
    assert_true(tsrec__dataset_append_fits(da, NULL, 1) == 0);
    assert_int_equal(put(t, req), TSREC_OK);
    const char *rows[3 * NF] = {
        "u3", "i4",       "1700000000", "click", "2.5", "RID-1", "i4|i5", "phone", NULL,
        "u3", "new-item", "1700000001", "watch", "0.1", NULL,    NULL,    NULL,    NULL,
        "u3", "i0",       "1700000002", "buy",   NULL,  NULL,    NULL,    NULL,    NULL};
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = TSREC_IMPORT_INCREMENTAL;
    assert_int_equal(tsrec_dataset_import_rows(db, rows, 3, NF, &o, NULL), TSREC_OK);
    /* an anonymous event (sessionId is the user) and an int property
     * (the import path) */
    const char *req2 = "{\"trackingId\":\"tid\",\"sessionId\":\"anon-7\",\"eventList\":["
                       "{\"eventType\":\"click\",\"sentAt\":5,\"itemId\":\"i9\","
                       "\"properties\":\"{\\\"age\\\":33,\\\"device\\\":\\\"tv\\\"}\"}]}";
    assert_int_equal(put(t, req2), TSREC_OK);
    const char *rows2[NF] = {"anon-7", "i9", "5", "click", NULL, NULL, NULL, "tv", "33"};
    assert_int_equal(tsrec_dataset_import_rows(db, rows2, 1, NF, &o, NULL), TSREC_OK);
    assert_int_equal(da->n_rows, db->n_rows);
    assert_int_equal(da->n_imports, db->n_imports);
    size_t la = 0, lb = 0;
    unsigned char *ba = save_bytes(ga, &la);
    unsigned char *bb = save_bytes(gb, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);
    free(ba);
    free(bb);
    tsrec_event_tracker_free(t);
    tsrec_dataset_group_free(ga);
    tsrec_dataset_group_free(gb);
    tu_ctx_free_checked(ctx);
}

/* ---- atomicity ---------------------------------------------------------------- */

static void test_bad_event_in_the_middle(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset *ds = NULL;
    tsrec_dataset_group *g = make_group(ctx, &ds);
    tsrec_event_tracker *t = make_tracker(g);
    snapshot before, after;
    snap(g, ds, &before);
    /* each batch: a first event with a new user and a new item (interned
     * if anything were stored), a bad second one, a good third */
    static const struct {
        const char *second;
        int status;
    } bad[] = {
        {"{\"eventType\":\"click\",\"sentAt\":1}", TSREC_E_INVALID_ARG},           /* no item */
        {"{\"eventType\":\"click\",\"sentAt\":-1,\"itemId\":\"i1\"}", TSREC_E_OUT_OF_RANGE},
        {"{\"eventType\":\"c\",\"sentAt\":1,\"itemId\":\"i1\",\"eventValue\":\"x\"}",
         TSREC_E_BAD_TYPE},
        /* only the import's rules refuse these two */
        {"{\"eventType\":\"c\",\"sentAt\":1,\"itemId\":\"i1\","
         "\"properties\":\"{\\\"age\\\":\\\"old\\\"}\"}",
         TSREC_E_PARSE},
        {"{\"eventType\":\"c\",\"sentAt\":1,\"itemId\":\"i1\","
         "\"properties\":\"{\\\"age\\\":3000000000}\"}",
         TSREC_E_PARSE},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char req[1024];
        snprintf(req, sizeof req,
                 "{\"trackingId\":\"t\",\"sessionId\":\"s\",\"userId\":\"brand-new-user\","
                 "\"eventList\":[{\"eventType\":\"fresh-type\",\"sentAt\":1,"
                 "\"itemId\":\"brand-new-item\",\"properties\":\"{\\\"device\\\":\\\"new-dev\\\"}\"},"
                 "%s,{\"eventType\":\"click\",\"sentAt\":2,\"itemId\":\"i2\"}]}",
                 bad[i].second);
        int rc = put(t, req);
        if (rc != bad[i].status)
            fail_msg("case %zu: status %d (%s)", i, rc, tsrec_last_error());
        snap(g, ds, &after);
        assert_same_snapshot(&before, &after);
        assert_int_equal(tsrec__strdict_lookup(&g->users, "brand-new-user", 14), -1);
        assert_int_equal(tsrec__strdict_lookup(&g->items, "brand-new-item", 14), -1);
        assert_int_equal(tsrec__strdict_lookup(ds->cols[3].dict, "fresh-type", 10), -1);
    }
    /* the same batch without the bad event goes in whole */
    const char *ok = "{\"trackingId\":\"t\",\"sessionId\":\"s\",\"userId\":\"brand-new-user\","
                     "\"eventList\":[{\"eventType\":\"fresh-type\",\"sentAt\":1,"
                     "\"itemId\":\"brand-new-item\"},"
                     "{\"eventType\":\"click\",\"sentAt\":2,\"itemId\":\"i2\"}]}";
    assert_int_equal(put(t, ok), TSREC_OK);
    assert_int_equal(ds->n_rows, before.rows + 2);
    assert_int_equal(tsrec__strdict_count(&g->users), before.users + 1);
    assert_int_equal(tsrec__strdict_count(&g->items), before.items + 1);
    tsrec_event_tracker_free(t);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- campaigns ------------------------------------------------------------------- */

static void test_visible_to_campaigns(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset *ds = NULL;
    tsrec_dataset_group *g = make_group(ctx, &ds);
    const char *sreq = "{\"name\":\"s1\",\"recipeArn\":\"aws-popularity-count\"}";
    tsrec_solution *s = NULL;
    assert_int_equal(tsrec_solution_create(g, sreq, strlen(sreq), &s), TSREC_OK);
    tsrec_solution_version *v = NULL;
    assert_int_equal(tsrec_solution_train(s, TSREC_TRAINING_FULL, &v), TSREC_OK);
    tsrec_campaign *c[2] = {NULL, NULL};
    const char *creq[2] = {"{\"name\":\"c1\"}", "{\"name\":\"c2\"}"};
    tsrec_event_tracker *t = make_tracker(g);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(tsrec_campaign_create(v, creq[k], strlen(creq[k]), &c[k]), TSREC_OK);
        assert_int_equal(tsrec_event_tracker_attach(t, c[k]), TSREC_OK);
    }
    /* u39 (i0..i10 seen) is recommended i11 first; after events on
     * i11 and i12 (one through the import path) both campaigns skip them */
    const char *ids[3];
    double sc[3];
    int64_t n = 0;
    assert_int_equal(tsrec_campaign_recommend(c[0], "u39", NULL, 3, ids, sc, &n), TSREC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(ids[0], "i11");
    assert_int_equal(put(t, "{\"trackingId\":\"t\",\"sessionId\":\"s\",\"userId\":\"u39\","
                            "\"eventList\":[{\"eventType\":\"click\",\"sentAt\":9,"
                            "\"itemId\":\"i11\"}]}"),
                     TSREC_OK);
    assert_int_equal(put(t, "{\"trackingId\":\"t\",\"sessionId\":\"s\",\"userId\":\"u39\","
                            "\"eventList\":[{\"eventType\":\"click\",\"sentAt\":9,"
                            "\"itemId\":\"i12\",\"properties\":\"{\\\"age\\\":7}\"}]}"),
                     TSREC_OK);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(tsrec_campaign_recommend(c[k], "u39", NULL, 3, ids, sc, &n), TSREC_OK);
        assert_int_equal(n, 3);
        assert_string_equal(ids[0], "i13");
        assert_string_equal(ids[1], "i14");
    }
    /* a user first seen through the tracker */
    assert_int_equal(put(t, "{\"trackingId\":\"t\",\"sessionId\":\"s-new\",\"eventList\":["
                            "{\"eventType\":\"click\",\"sentAt\":9,\"itemId\":\"i0\"},"
                            "{\"eventType\":\"click\",\"sentAt\":9,\"itemId\":\"i1\"}]}"),
                     TSREC_OK);
    assert_int_equal(tsrec_campaign_recommend(c[1], "s-new", NULL, 3, ids, sc, &n), TSREC_OK);
    assert_int_equal(n, 3);
    for (int k = 0; k < 3; k++)
        assert_true(strcmp(ids[k], "i0") != 0 && strcmp(ids[k], "i1") != 0);
    tsrec_event_tracker_free(t);
    tsrec_campaign_free(c[0]);
    tsrec_campaign_free(c[1]);
    tsrec_solution_free(s);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- memory ---------------------------------------------------------------------- */

static void assert_bounded(const tsrec_dataset *ds)
{
    for (int f = 0; f < NF; f++) {
        const tsrec__column *c = &ds->cols[f];
        /* 1.5x growth past the 1024-value minimum step */
        assert_true(c->cap <= c->len + c->len / 2 + 1024);
        assert_true(c->cap >= c->len);
    }
}

static void test_memory_bounded(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset *ds = NULL;
    tsrec_dataset_group *g = make_group(ctx, &ds);
    tsrec_event_tracker *t = make_tracker(g);
    int64_t rows0 = ds->n_rows;
    int grows = 0;
    int64_t cap_prev = ds->cols[0].cap;
    for (int k = 0; k < 5000; k++) {
        char req[512];
        snprintf(req, sizeof req,
                 "{\"trackingId\":\"t\",\"sessionId\":\"s\",\"userId\":\"u%d\","
                 "\"eventList\":[{\"eventType\":\"click\",\"sentAt\":%d,\"itemId\":\"i%d\","
                 "\"eventValue\":%d.5}]}",
                 k % 50, 1700000000 + k, k % 37, k % 9);
        assert_int_equal(put(t, req), TSREC_OK);
        if (ds->cols[0].cap != cap_prev)
            grows++;
        cap_prev = ds->cols[0].cap;
        assert_bounded(ds);
    }
    assert_int_equal(ds->n_rows, rows0 + 5000);
    /* geometric growth: a handful of reallocations, not one per call */
    assert_true(grows <= 8);
    /* tsrec_dataset_memory reports what is held, slack included */
    size_t mem = 0, held = 0;
    assert_int_equal(tsrec_dataset_memory(ds, &mem), TSREC_OK);
    for (int f = 0; f < NF; f++)
        held += tsrec__column_bytes(&ds->cols[f]);
    assert_int_equal(mem, held);
    assert_true(mem >= (size_t)(ds->cols[2].cap * 8));
    /* a saved and loaded group holds no slack */
    size_t len = 0;
    unsigned char *bytes = save_bytes(g, &len);
    tsrec_membuf m = {bytes, len, len, 0};
    tsrec_dataset_group *h = NULL;
    assert_int_equal(tsrec_dataset_group_load_from(ctx, tsrec_membuf_read, &m, &h), TSREC_OK);
    tsrec_dataset *dh = NULL;
    assert_int_equal(tsrec_dataset_group_dataset(h, "Interactions", &dh), TSREC_OK);
    size_t mem_h = 0;
    assert_int_equal(tsrec_dataset_memory(dh, &mem_h), TSREC_OK);
    assert_true(mem_h <= mem);
    for (int f = 0; f < NF; f++)
        assert_int_equal(dh->cols[f].cap, dh->cols[f].len);
    free(bytes);
    tsrec_dataset_group_free(h);
    /* a large append (>= 1/8 of the rows) trims the slack */
    int64_t nbig = ds->n_rows / 4;
    const char **cells = calloc((size_t)nbig * NF, sizeof(char *));
    assert_non_null(cells);
    for (int64_t r = 0; r < nbig; r++) {
        cells[r * NF + 0] = "u1";
        cells[r * NF + 1] = "i1";
        cells[r * NF + 2] = "1700000000";
        cells[r * NF + 3] = "click";
    }
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = TSREC_IMPORT_INCREMENTAL;
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, nbig, NF, &o, NULL), TSREC_OK);
    free(cells);
    for (int f = 0; f < NF; f++)
        assert_int_equal(ds->cols[f].cap, ds->cols[f].len);
    /* a small import keeps its slack */
    const char *one[NF] = {"u1", "i1", "1700000000", "click", NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(tsrec_dataset_import_rows(ds, one, 1, NF, &o, NULL), TSREC_OK);
    assert_true(ds->cols[0].cap > ds->cols[0].len);
    assert_bounded(ds);
    tsrec_event_tracker_free(t);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- the append functions on their own ------------------------------------------ */

static void text(tsrec__cell *c, const char *s)
{
    memset(c, 0, sizeof(*c));
    c->ptr = s;
    c->len = strlen(s);
    c->present = 1;
}

static void test_append_direct(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset *ds = NULL;
    tsrec_dataset_group *g = make_group(ctx, &ds);
    tsrec__cell row[NF];
    memset(row, 0, sizeof row);
    text(&row[0], "u1");
    text(&row[1], "i1");
    row[2].present = 1;
    row[2].kind = TSREC__CELL_TIME;
    row[2].i = 1700000000;
    text(&row[3], "click");
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 1);
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 0), 0);
    /* what needs the import: text for a number, a missing required value,
     * an id over 256 bytes, a categorical value over 1000, a non-finite
     * float, a time out of range */
    tsrec__cell bad = row[2];
    text(&row[2], "1700000000");
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 0);
    row[2] = bad;
    row[0].present = 0;
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 0);
    text(&row[0], "");
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 0);
    char longid[1100];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    text(&row[0], "u1");
    row[1].len = 257;
    row[1].ptr = longid;
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 0);
    text(&row[1], "i1");
    row[7].ptr = longid;
    row[7].len = 1001;
    row[7].present = 1;
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 0);
    row[7].len = 1000;
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 1);
    memset(&row[7], 0, sizeof row[7]);
    row[4].present = 1;
    row[4].kind = TSREC__CELL_REAL;
    row[4].d = 1e300; /* beyond a float */
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 0);
    row[4].d = 0.25;
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 1);
    row[2].i = TSREC__TIME_MAX + 1;
    assert_int_equal(tsrec__dataset_append_fits(ds, row, 1), 0);
    /* append_cells refuses what does not fit and changes nothing */
    snapshot before, after;
    snap(g, ds, &before);
    assert_int_equal(tsrec__dataset_append_cells(ds, &ds->hdr, row, 1), TSREC_E_INVALID_ARG);
    snap(g, ds, &after);
    assert_same_snapshot(&before, &after);
    row[2].i = 1700000001;
    text(&row[0], "direct-user");
    assert_int_equal(tsrec__dataset_append_cells(ds, &ds->hdr, row, 1), TSREC_OK);
    assert_int_equal(ds->n_rows, before.rows + 1);
    assert_int_equal(ds->n_imports, before.imports + 1);
    int64_t r = ds->n_rows - 1;
    size_t l = 0;
    const char *u = tsrec__strdict_get(&g->users, tsrec__column_get_code(&ds->cols[0], r), &l);
    assert_true(l == 11 && memcmp(u, "direct-user", 11) == 0);
    assert_int_equal(tsrec__column_get_i64(&ds->cols[2], r), 1700000001);
    assert_true(tsrec__column_get_f64(&ds->cols[4], r) == 0.25);
    assert_false(tsrec__column_is_present(&ds->cols[5], r));
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- JSON numbers: the strtod-free fast path is bit-exact --------------------- */

static void test_json_numbers_exact(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    uint64_t x = 12345;
    char text[64];
    for (int k = 0; k < 200000; k++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t r = x >> 11;
        int ndig = 1 + (int)(r % 17);         /* 1..17 digits: in and out of the fast path */
        int point = (int)((r >> 5) % (uint64_t)(ndig + 1)); /* digits before the point */
        int e = (int)((r >> 10) % 61) - 30;    /* exponent -30..30 */
        int w = 0;
        if ((r >> 17) & 1)
            text[w++] = '-';
        uint64_t y = r >> 18;
        for (int d = 0; d < ndig; d++) {
            if (d == point && d > 0)
                text[w++] = '.';
            /* no leading zero before more digits (JSON) */
            int digit = (int)(y % 10);
            y = y / 10 + (uint64_t)d * 7919;
            if (d == 0 && digit == 0 && point != 1)
                digit = 1 + (int)(r % 9);
            text[w++] = (char)('0' + digit);
        }
        if (point == 0 && ndig > 0) {
            /* "0.ddd" form */
            memmove(text + (text[0] == '-') + 2, text + (text[0] == '-'),
                    (size_t)(w - (text[0] == '-')));
            text[(text[0] == '-')] = '0';
            text[(text[0] == '-') + 1] = '.';
            w += 2;
        }
        if ((r >> 40) & 1)
            w += snprintf(text + w, sizeof text - (size_t)w, "e%d", e);
        text[w] = '\0';
        tsrec__json_doc *d = NULL;
        int rc = tsrec__json_parse(ctx, NULL, text, (size_t)w, 0, &d);
        if (rc != TSREC_OK)
            fail_msg("'%s' did not parse: %s", text, tsrec_last_error());
        double want = strtod(text, NULL);
        double got = tsrec__json_root(d)->u.num.d;
        if (memcmp(&want, &got, sizeof want) != 0)
            fail_msg("'%s': %.17g, strtod gives %.17g", text, got, want);
        tsrec__json_free(d);
    }
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_import),
        cmocka_unit_test(test_bad_event_in_the_middle),
        cmocka_unit_test(test_visible_to_campaigns),
        cmocka_unit_test(test_memory_bounded),
        cmocka_unit_test(test_append_direct),
        cmocka_unit_test(test_json_numbers_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
