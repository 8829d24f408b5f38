/* The Personalize adapters: interaction store and Users / Items metadata
 * built from a dataset group filled through the public API (rows and CSV
 * files), compared with stores worked out by hand, and on the MovieLens
 * events sample against counts made naively here. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data_internal.h"
#include "interactions_dataset_internal.h"

static const char *INTERACTIONS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\",\"namespace\":"
    "\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]}],\"version\":\"1.0\"}";
static const char *PLAIN_INTERACTIONS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}]}";
static const char *ITEMS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Items\",\"fields\":["
    "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
    "{\"name\":\"PRICE\",\"type\":[\"null\",\"double\"]},"
    "{\"name\":\"DESCRIPTION\",\"type\":[\"null\",\"string\"],\"textual\":true},"
    "{\"name\":\"CREATION_TIMESTAMP\",\"type\":\"long\"}]}";
static const char *USERS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Users\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"AGE\",\"type\":\"int\"},"
    "{\"name\":\"TIER\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
    "{\"name\":\"NOTE\",\"type\":\"string\"}]}";

/* Codes: users u1=0 u2=1 u3=2, items a=0 b=1, event types click=0 buy=1.
 * Row 3 repeats row 0 (dropped by dedup); row 2 has no value. */
static const char *const ROWS[] = {
    "u1", "a", "100", "click", "1",   "u2", "b", "50", "buy",   "5",
    "u1", "b", "90",  "click", NULL,  "u1", "a", "100", "click", "1",
    "u3", "a", "70",  "buy",   "2",   "u2", "a", "60", "click", "0.5",
};
/* Item z appears only here: it gets code 2. */
static const char *const ITEM_ROWS[] = {
    "a", "horror|comedy", "9.5",  "a nice film", "1",
    "b", "comedy",        NULL,   NULL,          "2",
    "z", NULL,            "20.5", "new",         "3",
};
/* User u4 appears only here: code 3. */
static const char *const USER_ROWS[] = {
    "u1", "30", "gold",        "x",
    "u3", "40", "silver|gold", "y",
    "u4", "50", NULL,          "z",
};

typedef struct fixture {
    tsrec_ctx *ctx;
    tsrec_dataset_group *g;
} fixture;

static void fx_open(fixture *fx)
{
    fx->ctx = tu_ctx_new();
    assert_int_equal(tsrec_dataset_group_new(fx->ctx, "g", TSREC_SERVICE_PERSONALIZE, NULL, &fx->g),
                     TSREC_OK);
}

static void fx_close(fixture *fx)
{
    tsrec_dataset_group_free(fx->g);
    tu_ctx_free_checked(fx->ctx);
}

static tsrec_dataset *make_ds(fixture *fx, const char *name, const char *type, const char *json)
{
    tsrec_schema *s = NULL;
    if (tsrec_schema_parse(fx->ctx, TSREC_SERVICE_PERSONALIZE, json, strlen(json), &s) != TSREC_OK)
        fail_msg("schema: %s", tsrec_errmsg(fx->ctx));
    tsrec_dataset *ds = NULL;
    if (tsrec_dataset_group_create_dataset(fx->g, name, type, s, NULL, &ds) != TSREC_OK)
        fail_msg("dataset: %s", tsrec_errmsg(fx->g));
    tsrec_schema_free(s);
    return ds;
}

static void import_rows(tsrec_dataset *ds, const char *const *cells, int64_t rows, int64_t cols)
{
    if (tsrec_dataset_import_rows(ds, cells, rows, cols, NULL, NULL) != TSREC_OK)
        fail_msg("import: %s", tsrec_errmsg(ds));
}

static void expect_i64(const int64_t *got, const int64_t *want, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
}

static void expect_i32(const int32_t *got, const int32_t *want, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
}

/* The full store of ROWS with items a, b, z (n_items 3). */
static void check_full_store(const tsrec__interactions *s, int64_t n_users)
{
    assert_int_equal(s->n_users, n_users);
    assert_int_equal(s->n_items, 3);
    assert_int_equal(s->n_event_types, 2);
    assert_int_equal(s->n, 5);
    assert_int_equal(s->n_input, 6);
    assert_int_equal(s->n_filtered, 0);
    assert_int_equal(s->n_duplicates, 1);
    const int64_t user_off[] = {0, 2, 4, 5, 5};
    expect_i64(s->user_off, user_off, n_users + 1);
    const int32_t item[] = {1, 0, 1, 0, 0};
    const int64_t ts[] = {90, 100, 50, 60, 70};
    const int32_t et[] = {0, 0, 1, 0, 1};
    expect_i32(s->item, item, 5);
    expect_i64(s->ts, ts, 5);
    assert_non_null(s->event_type);
    expect_i32(s->event_type, et, 5);
    assert_non_null(s->value);
    assert_true(isnan(s->value[0]));
    const float val[] = {NAN, 1.0f, 5.0f, 0.5f, 2.0f};
    for (int i = 1; i < 5; i++)
        assert_true(s->value[i] == val[i]);
    const int64_t item_off[] = {0, 3, 5, 5};
    expect_i64(s->item_off, item_off, 4);
    const int32_t post[] = {0, 1, 2, 0, 1};
    expect_i32(s->post_user, post, 5);
    const int64_t itc[] = {2, 1, 1, 1, 0, 0};
    expect_i64(s->item_type_count, itc, 6);
    assert_int_equal(s->ts_min, 50);
    assert_int_equal(s->ts_max, 100);
}

static void test_store_by_hand(void **state)
{
    (void)state;
    fixture fx;
    fx_open(&fx);
    tsrec_dataset *in = make_ds(&fx, "events", "Interactions", INTERACTIONS_SCHEMA);
    import_rows(in, ROWS, 6, 5);
    tsrec_dataset *items = make_ds(&fx, "items", "Items", ITEMS_SCHEMA);
    import_rows(items, ITEM_ROWS, 3, 5);
    tsrec__interactions s;
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, NULL, NAN), TSREC_OK);
    check_full_store(&s, 3);
    tsrec__interactions_free(&s);
    /* A user known only from the Users dataset gets an empty history. */
    tsrec_dataset *users = make_ds(&fx, "users", "Users", USERS_SCHEMA);
    import_rows(users, USER_ROWS, 3, 4);
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, NULL, NAN), TSREC_OK);
    check_full_store(&s, 4);
    assert_int_equal(tsrec__interactions_user_count(&s, 3), 0);
    tsrec__interactions_free(&s);
    fx_close(&fx);
}

static void test_filters(void **state)
{
    (void)state;
    fixture fx;
    fx_open(&fx);
    tsrec_dataset *in = make_ds(&fx, "events", "Interactions", INTERACTIONS_SCHEMA);
    import_rows(in, ROWS, 6, 5);
    tsrec__interactions s;
    /* buy: u2 b 50, u3 a 70. */
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, "buy", NAN), TSREC_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.n_filtered, 4);
    const int64_t off_buy[] = {0, 0, 1, 2};
    expect_i64(s.user_off, off_buy, 4);
    assert_int_equal(s.item[0], 1);
    assert_int_equal(s.item[1], 0);
    assert_int_equal(s.n_items, 2);
    tsrec__interactions_free(&s);
    /* value >= 1: u1 a 100, u2 b 50, u3 a 70 (the NaN and 0.5 go). */
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, NULL, 1.0), TSREC_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.n_filtered, 2);
    assert_int_equal(s.n_duplicates, 1);
    const int64_t off_thr[] = {0, 1, 2, 3};
    expect_i64(s.user_off, off_thr, 4);
    const int64_t ts_thr[] = {100, 50, 70};
    expect_i64(s.ts, ts_thr, 3);
    tsrec__interactions_free(&s);
    /* Both: click and >= 1 leaves u1 a 100 only. */
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, "click", 1.0), TSREC_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.item[0], 0);
    assert_int_equal(s.ts[0], 100);
    tsrec__interactions_free(&s);
    /* Names match byte for byte; an unknown one keeps nothing. */
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, &fx.g->hdr, "Click", NAN),
                     TSREC_E_EMPTY);
    assert_null(s.user_off);
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, &fx.g->hdr, NULL, 6.0),
                     TSREC_E_EMPTY);
    fx_close(&fx);
}

static void expect_msg(const void *h, const char *part)
{
    const char *m = tsrec_errmsg(h);
    if (strstr(m, part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", m, part);
}

static void test_errors(void **state)
{
    (void)state;
    fixture fx;
    fx_open(&fx);
    tsrec__interactions s;
    tsrec__meta_matrix m;
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, &fx.g->hdr, NULL, NAN),
                     TSREC_E_EMPTY);
    expect_msg(fx.g, "has no Interactions dataset");
    assert_null(s.user_off);
    assert_int_equal(tsrec__meta_from_dataset(&m, fx.g, &fx.g->hdr, TSREC__DS_USERS, 0, NULL),
                     TSREC_E_EMPTY);
    expect_msg(fx.g, "has no Users dataset");
    tsrec_dataset *in = make_ds(&fx, "events", "Interactions", PLAIN_INTERACTIONS_SCHEMA);
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, &fx.g->hdr, NULL, NAN),
                     TSREC_E_EMPTY);
    expect_msg(fx.g, "has no rows");
    const char *const rows[] = {"u1", "a", "5", "u1", "b", "6"};
    import_rows(in, rows, 2, 3);
    /* No EVENT_TYPE field: a wanted type keeps nothing; no types at all. */
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, &fx.g->hdr, "click", NAN),
                     TSREC_E_EMPTY);
    expect_msg(fx.g, "no EVENT_TYPE field");
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, NULL, NAN), TSREC_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.n_event_types, 0);
    assert_null(s.event_type);
    assert_null(s.value);
    tsrec__interactions_free(&s);
    /* A threshold without EVENT_VALUE: no row has a value, none is kept. */
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, NULL, 0.0), TSREC_E_EMPTY);
    /* Bad arguments. */
    assert_int_equal(tsrec__interactions_from_group(NULL, fx.g, NULL, NULL, NAN),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__interactions_from_group(&s, NULL, NULL, NULL, NAN),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, &fx.g->hdr, NULL, INFINITY),
                     TSREC_E_INVALID_ARG);
    expect_msg(fx.g, "finite");
    assert_int_equal(tsrec__meta_from_dataset(&m, fx.g, &fx.g->hdr, TSREC__DS_INTERACTIONS, 0,
                                              NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__meta_from_dataset(&m, fx.g, NULL, TSREC__DS_ITEMS, -1, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__meta_from_dataset(NULL, fx.g, NULL, TSREC__DS_ITEMS, 0, NULL),
                     TSREC_E_INVALID_ARG);
    /* A Forecast group is refused. */
    tsrec_dataset_group *fg = NULL;
    assert_int_equal(tsrec_dataset_group_new(fx.ctx, "f", TSREC_SERVICE_FORECAST, "RETAIL", &fg),
                     TSREC_OK);
    assert_int_equal(tsrec__interactions_from_group(&s, fg, &fg->hdr, NULL, NAN),
                     TSREC_E_INVALID_ARG);
    expect_msg(fg, "not a Personalize");
    assert_int_equal(tsrec__meta_from_dataset(&m, fg, NULL, TSREC__DS_ITEMS, 0, NULL),
                     TSREC_E_INVALID_ARG);
    tsrec_dataset_group_free(fg);
    fx_close(&fx);
}

/* Entry (row, col) of a CSR matrix, 0 when absent. */
static float entry(const tsrec__meta_matrix *m, int64_t row, int32_t col)
{
    for (int64_t k = m->row_off[row]; k < m->row_off[row + 1]; k++)
        if (m->col[k] == col)
            return m->val[k];
    return 0.0f;
}

static void expect_row(const tsrec__meta_matrix *m, int64_t row, const float *want)
{
    for (int32_t c = 0; c < (int32_t)m->n_cols; c++)
        if (fabsf(entry(m, row, c) - want[c]) > 1e-6f)
            fail_msg("row %d col %d: %g, want %g", (int)row, (int)c, (double)entry(m, row, c),
                     (double)want[c]);
}

static void test_items_meta_by_hand(void **state)
{
    (void)state;
    fixture fx;
    fx_open(&fx);
    tsrec_dataset *in = make_ds(&fx, "events", "Interactions", INTERACTIONS_SCHEMA);
    import_rows(in, ROWS, 6, 5);
    tsrec_dataset *items = make_ds(&fx, "items", "Items", ITEMS_SCHEMA);
    import_rows(items, ITEM_ROWS, 3, 5);
    tsrec__meta_matrix m;
    int64_t src[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
    assert_int_equal(tsrec__meta_from_dataset(&m, fx.g, NULL, TSREC__DS_ITEMS, 0, src), TSREC_OK);
    /* GENRES one-hot (horror 0, comedy 1), PRICE (value, missing);
     * DESCRIPTION (textual) and CREATION_TIMESTAMP are not encoded.
     * PRICE: mean 15, population sd 5.5 -> a -1, z +1, b missing. */
    assert_int_equal(m.n_rows, 3);
    assert_int_equal(m.n_fields, 2);
    assert_int_equal(m.n_cols, 4);
    assert_int_equal(src[0], 1);
    assert_int_equal(src[1], 2);
    assert_int_equal(src[2], -1);
    assert_int_equal(m.field_col0[1], 2);
    const float a[] = {1, 1, -1, 0}, b[] = {0, 1, 0, 1}, z[] = {0, 0, 1, 0};
    expect_row(&m, 0, a);
    expect_row(&m, 1, b);
    expect_row(&m, 2, z);
    assert_int_equal(m.nnz, 6);
    tsrec__meta_matrix_free(&m);
    /* Hashed into one bucket: every genre lands in column 0. */
    assert_int_equal(tsrec__meta_from_dataset(&m, fx.g, NULL, TSREC__DS_ITEMS, 1, NULL), TSREC_OK);
    assert_int_equal(m.n_cols, 3);
    const float ha[] = {1, -1, 0}, hb[] = {1, 0, 1}, hz[] = {0, 1, 0};
    expect_row(&m, 0, ha);
    expect_row(&m, 1, hb);
    expect_row(&m, 2, hz);
    tsrec__meta_matrix_free(&m);
    fx_close(&fx);
}

static void test_users_meta_by_hand(void **state)
{
    (void)state;
    fixture fx;
    fx_open(&fx);
    tsrec_dataset *in = make_ds(&fx, "events", "Interactions", INTERACTIONS_SCHEMA);
    import_rows(in, ROWS, 6, 5);
    tsrec_dataset *users = make_ds(&fx, "users", "Users", USERS_SCHEMA);
    import_rows(users, USER_ROWS, 3, 4);
    /* A later record of u1 replaces the first (age 30 -> 60, no tier). */
    const char *const again[] = {"u1", "60", NULL, "w"};
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = TSREC_IMPORT_INCREMENTAL;
    assert_int_equal(tsrec_dataset_import_rows(users, again, 1, 4, &o, NULL), TSREC_OK);
    tsrec__meta_matrix m;
    int64_t src[4];
    assert_int_equal(tsrec__meta_from_dataset(&m, fx.g, NULL, TSREC__DS_USERS, 0, src), TSREC_OK);
    /* Rows: u1 u2 u3 u4. AGE (u1 60, u3 40, u4 50: mean 50, sd
     * sqrt(200/3)), then TIER one-hot: silver 0, gold 1 (u1's first
     * record no longer counts). NOTE is a plain string: skipped. */
    assert_int_equal(m.n_rows, 4);
    assert_int_equal(m.n_fields, 2);
    assert_int_equal(src[0], 1);
    assert_int_equal(src[1], 2);
    assert_int_equal(m.n_cols, 4);
    float sd = sqrtf(200.0f / 3.0f);
    const float u1[] = {10 / sd, 0, 0, 0}, u2[] = {0, 1, 0, 0}, u3[] = {-10 / sd, 0, 1, 1},
                u4[] = {0, 0, 0, 0};
    expect_row(&m, 0, u1);
    expect_row(&m, 1, u2);
    expect_row(&m, 2, u3);
    expect_row(&m, 3, u4);
    /* u4 standardises to exactly 0 but is present: the entry is stored. */
    assert_int_equal(m.row_off[4] - m.row_off[3], 1);
    tsrec__meta_matrix_free(&m);
    fx_close(&fx);
}

/* ---- CSV files ------------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static void test_from_csv_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsrec_ig_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char pi[64], pm[64];
    snprintf(pi, sizeof pi, "%s/interactions.csv", dir);
    snprintf(pm, sizeof pm, "%s/items.csv", dir);
    /* The ROWS of the hand-made store, columns in another order. */
    write_file(pi, "EVENT_VALUE,TIMESTAMP,USER_ID,ITEM_ID,EVENT_TYPE\n"
                   "1,100,u1,a,click\n5,50,u2,b,buy\n,90,u1,b,click\n1,100,u1,a,click\n"
                   "2,70,u3,a,buy\n0.5,60,u2,a,click\n");
    write_file(pm, "ITEM_ID,GENRES,PRICE,DESCRIPTION,CREATION_TIMESTAMP\n"
                   "a,horror|comedy,9.5,\"a nice film\",1\nb,comedy,,,2\nz,,20.5,new,3\n");
    fixture fx;
    fx_open(&fx);
    tsrec_dataset *in = make_ds(&fx, "events", "Interactions", INTERACTIONS_SCHEMA);
    tsrec_dataset *items = make_ds(&fx, "items", "Items", ITEMS_SCHEMA);
    if (tsrec_dataset_import_csv(in, pi, NULL, NULL) != TSREC_OK)
        fail_msg("import: %s", tsrec_errmsg(in));
    if (tsrec_dataset_import_csv(items, pm, NULL, NULL) != TSREC_OK)
        fail_msg("import: %s", tsrec_errmsg(items));
    tsrec__interactions s;
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, NULL, NAN), TSREC_OK);
    check_full_store(&s, 3);
    tsrec__interactions_free(&s);
    tsrec__meta_matrix m;
    assert_int_equal(tsrec__meta_from_dataset(&m, fx.g, NULL, TSREC__DS_ITEMS, 0, NULL), TSREC_OK);
    const float a[] = {1, 1, -1, 0}, b[] = {0, 1, 0, 1}, z[] = {0, 0, 1, 0};
    expect_row(&m, 0, a);
    expect_row(&m, 1, b);
    expect_row(&m, 2, z);
    tsrec__meta_matrix_free(&m);
    fx_close(&fx);
    assert_int_equal(unlink(pi), 0);
    assert_int_equal(unlink(pm), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* ---- the MovieLens events sample ---------------------------------------- */

typedef struct event {
    int64_t user, item, ts, type;
} event;

static int cmp_event(const void *pa, const void *pb)
{
    const event *a = pa, *b = pb;
    if (a->user != b->user)
        return a->user < b->user ? -1 : 1;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    return (a->type > b->type) - (a->type < b->type);
}

/* The file read naively: every line split on commas (the sample has no
 * quotes), ids turned into the group's codes by dictionary lookup. */
static int64_t read_events(const char *path, const tsrec_dataset_group *g,
                           const tsrec__strdict *types, event **out)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char line[256];
    int64_t n = 0, cap = 1024;
    event *ev = malloc((size_t)cap * sizeof *ev);
    assert_non_null(ev);
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) != NULL) {
        char *fld[4];
        char *p = line;
        for (int k = 0; k < 4; k++) {
            fld[k] = p;
            p += strcspn(p, k < 3 ? "," : "\r\n");
            *p++ = '\0';
        }
        if (n == cap) {
            cap *= 2;
            ev = realloc(ev, (size_t)cap * sizeof *ev);
            assert_non_null(ev);
        }
        ev[n].user = tsrec__strdict_lookup(&g->users, fld[0], strlen(fld[0]));
        ev[n].item = tsrec__strdict_lookup(&g->items, fld[1], strlen(fld[1]));
        ev[n].ts = strtoll(fld[2], NULL, 10);
        ev[n].type = tsrec__strdict_lookup(types, fld[3], strlen(fld[3]));
        assert_true(ev[n].user >= 0 && ev[n].item >= 0 && ev[n].type >= 0);
        n++;
    }
    fclose(f);
    *out = ev;
    return n;
}

static void test_movielens_events(void **state)
{
    (void)state;
    const char *shared = getenv("TSREC_SHARED_DATA");
    char pi[600], pm[600];
    struct stat sb;
    snprintf(pi, sizeof pi, "%s/amazon-personalize-samples/movielens-events/interactions.csv",
             shared != NULL ? shared : ".");
    snprintf(pm, sizeof pm, "%s/amazon-personalize-samples/movielens-events/item-meta.csv",
             shared != NULL ? shared : ".");
    if (shared == NULL || stat(pi, &sb) != 0 || stat(pm, &sb) != 0) {
        printf("# skipped: movielens-events sample not found under TSREC_SHARED_DATA\n");
        return;
    }
    fixture fx;
    fx_open(&fx);
    const char *ev_schema =
        "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":["
        "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
        "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"}]}";
    const char *meta_schema =
        "{\"type\":\"record\",\"name\":\"Items\",\"fields\":["
        "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
        "{\"name\":\"GENRE\",\"type\":\"string\",\"categorical\":true},"
        "{\"name\":\"YEAR\",\"type\":[\"null\",\"string\"]}]}";
    tsrec_dataset *in = make_ds(&fx, "events", "Interactions", ev_schema);
    tsrec_dataset *items = make_ds(&fx, "items", "Items", meta_schema);
    if (tsrec_dataset_import_csv(in, pi, NULL, NULL) != TSREC_OK)
        fail_msg("import: %s", tsrec_errmsg(in));
    if (tsrec_dataset_import_csv(items, pm, NULL, NULL) != TSREC_OK)
        fail_msg("import: %s", tsrec_errmsg(items));

    event *ev = NULL;
    int64_t n = read_events(pi, fx.g, in->cols[3].dict, &ev);
    int64_t n_users = tsrec__strdict_count(&fx.g->users);
    int64_t n_items = tsrec__strdict_count(&fx.g->items);
    int64_t n_types = tsrec__strdict_count(in->cols[3].dict);
    int64_t *per_user = calloc((size_t)n_users, sizeof(int64_t));
    int64_t *per_item_type = calloc((size_t)(n_items * n_types), sizeof(int64_t));
    assert_non_null(per_user);
    assert_non_null(per_item_type);
    int64_t watch = tsrec__strdict_lookup(in->cols[3].dict, "watch", 5), n_watch = 0;
    assert_true(watch >= 0);
    for (int64_t r = 0; r < n; r++) {
        per_user[ev[r].user]++;
        per_item_type[ev[r].item * n_types + ev[r].type]++;
        n_watch += ev[r].type == watch;
    }
    qsort(ev, (size_t)n, sizeof *ev, cmp_event);
    int64_t unique = n > 0;
    for (int64_t r = 1; r < n; r++)
        unique += cmp_event(&ev[r - 1], &ev[r]) != 0;
    int64_t untouched = 0;
    for (int64_t i = 0; i < n_items; i++) {
        int64_t t = 0;
        for (int64_t k = 0; k < n_types; k++)
            t += per_item_type[i * n_types + k];
        untouched += t == 0;
    }
    printf("# movielens events: %lld rows, %lld unique, %lld users, %lld items (%lld without "
           "events), %lld event types\n", (long long)n, (long long)unique, (long long)n_users,
           (long long)n_items, (long long)untouched, (long long)n_types);

    tsrec__interactions s;
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, NULL, NAN), TSREC_OK);
    assert_int_equal(s.n_input, n);
    assert_int_equal(s.n, unique);
    assert_int_equal(s.n_duplicates, n - unique);
    assert_int_equal(s.n_users, n_users);
    assert_int_equal(s.n_items, n_items);
    assert_int_equal(s.n_event_types, n_types);
    assert_true(untouched > 0); /* items only in item-meta.csv */
    /* The sample has no duplicates, so every per-user and per-item count
     * matches the naive count exactly. */
    assert_int_equal(unique, n);
    for (int64_t u = 0; u < n_users; u++) {
        assert_int_equal(tsrec__interactions_user_count(&s, u), per_user[u]);
        for (int64_t k = s.user_off[u] + 1; k < s.user_off[u + 1]; k++)
            assert_true(s.ts[k - 1] <= s.ts[k]);
    }
    for (int64_t i = 0; i < n_items * n_types; i++)
        assert_int_equal(s.item_type_count[i], per_item_type[i]);
    tsrec__interactions_free(&s);
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, "watch", NAN), TSREC_OK);
    assert_int_equal(s.n, n_watch);
    tsrec__interactions_free(&s);
    /* The file's first event once more: deduplicated away. */
    const char *const first[] = {"429", "222", "828124615", "watch"};
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.mode = TSREC_IMPORT_INCREMENTAL;
    assert_int_equal(tsrec_dataset_import_rows(in, first, 1, 4, &o, NULL), TSREC_OK);
    assert_int_equal(tsrec__interactions_from_group(&s, fx.g, NULL, NULL, NAN), TSREC_OK);
    assert_int_equal(s.n_input, n + 1);
    assert_int_equal(s.n, n);
    assert_int_equal(s.n_duplicates, 1);
    tsrec__interactions_free(&s);

    /* Item metadata: distinct genre parts counted naively; YEAR is a
     * plain string (a few rows hold year ranges), so it is not encoded. */
    FILE *f = fopen(pm, "rb");
    assert_non_null(f);
    char line[512], genres[64][64];
    int n_genres = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f) != NULL) {
        char *g = strchr(line, ',') + 1;
        g[strcspn(g, ",")] = '\0';
        for (char *part = strtok(g, "|"); part != NULL; part = strtok(NULL, "|")) {
            int k = 0;
            while (k < n_genres && strcmp(genres[k], part) != 0)
                k++;
            if (k == n_genres) {
                assert_true(n_genres < 64 && strlen(part) < 64);
                strcpy(genres[n_genres++], part);
            }
        }
    }
    fclose(f);
    tsrec__meta_matrix m;
    assert_int_equal(tsrec__meta_from_dataset(&m, fx.g, NULL, TSREC__DS_ITEMS, 0, NULL), TSREC_OK);
    assert_int_equal(m.n_rows, n_items);
    assert_int_equal(m.n_cols, n_genres);
    printf("# item-meta: %lld rows, %d genres, %lld non-zeros\n", (long long)m.n_rows, n_genres,
           (long long)m.nnz);
    tsrec__meta_matrix_free(&m);
    free(per_user);
    free(per_item_type);
    free(ev);
    fx_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_by_hand),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_items_meta_by_hand),
        cmocka_unit_test(test_users_meta_by_hand),
        cmocka_unit_test(test_from_csv_files),
        cmocka_unit_test(test_movielens_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
