/* OOM: the dataset-group adapters (interaction store, Users / Items
 * metadata). The group is filled with allocations allowed, then the Nth
 * allocation of the adapter fails for every N until it succeeds: each
 * failure returns TSREC_E_NOMEM with a zeroed output, the group is
 * untouched (a later call still succeeds) and nothing leaks. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "data_internal.h"
#include "interactions_dataset_internal.h"

static const char *INTERACTIONS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]}]}";
static const char *ITEMS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Items\",\"fields\":["
    "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
    "{\"name\":\"PRICE\",\"type\":[\"null\",\"double\"]},"
    "{\"name\":\"DESCRIPTION\",\"type\":[\"null\",\"string\"],\"textual\":true}]}";

enum { N_EVENTS = 60, N_ITEMS = 9 };

static tsrec_dataset_group *make_group(tsrec_ctx *ctx)
{
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", TSREC_SERVICE_PERSONALIZE, NULL, &g),
                     TSREC_OK);
    static char cells[N_EVENTS * 5][16];
    const char *ptr[N_EVENTS * 5];
    for (int r = 0; r < N_EVENTS; r++) {
        snprintf(cells[r * 5], 16, "u%d", r % 7);
        snprintf(cells[r * 5 + 1], 16, "i%d", (r * 5) % 8);
        snprintf(cells[r * 5 + 2], 16, "%d", 1000 - (r % 4) * 10);
        snprintf(cells[r * 5 + 3], 16, "%s", r % 3 == 0 ? "buy" : "click");
        snprintf(cells[r * 5 + 4], 16, "%d", r % 5);
        for (int k = 0; k < 5; k++)
            ptr[r * 5 + k] = cells[r * 5 + k];
        if (r % 6 == 0)
            ptr[r * 5 + 4] = NULL;
    }
    tsrec_schema *s = NULL;
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, INTERACTIONS_SCHEMA,
                                        strlen(INTERACTIONS_SCHEMA), &s),
                     TSREC_OK);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "ev", "Interactions", s, NULL, &ds),
                     TSREC_OK);
    tsrec_schema_free(s);
    assert_int_equal(tsrec_dataset_import_rows(ds, ptr, N_EVENTS, 5, NULL, NULL), TSREC_OK);
    /* Items i0..i8 (i8 has no events). */
    static char icells[N_ITEMS * 4][24];
    const char *iptr[N_ITEMS * 4];
    for (int r = 0; r < N_ITEMS; r++) {
        snprintf(icells[r * 4], 24, "i%d", r);
        snprintf(icells[r * 4 + 1], 24, "g%d|g%d", r % 3, r % 4);
        snprintf(icells[r * 4 + 2], 24, "%d.5", r);
        snprintf(icells[r * 4 + 3], 24, "text %d", r);
        for (int k = 0; k < 4; k++)
            iptr[r * 4 + k] = icells[r * 4 + k];
        if (r == 4)
            iptr[r * 4 + 2] = NULL;
    }
    assert_int_equal(tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, ITEMS_SCHEMA,
                                        strlen(ITEMS_SCHEMA), &s),
                     TSREC_OK);
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "items", "Items", s, NULL, &ds),
                     TSREC_OK);
    tsrec_schema_free(s);
    assert_int_equal(tsrec_dataset_import_rows(ds, iptr, N_ITEMS, 4, NULL, NULL), TSREC_OK);
    return g;
}

static void test_interactions_every_n(void **state)
{
    (void)state;
    int failures = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec_dataset_group *g = make_group(ctx);
        tsrec__interactions s;
        fa.calls = 0;
        fa.fail_at = n;
        int rc = tsrec__interactions_from_group(&s, g, &g->hdr, "click", 1.0);
        fa.fail_at = 0;
        if (rc == TSREC_OK) {
            assert_true(s.n > 0);
            assert_int_equal(s.n_items, N_ITEMS);
            tsrec__interactions_free(&s);
            tsrec_dataset_group_free(g);
            tu_ctx_free_checked(ctx);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_null(s.user_off);
        assert_null(s.item);
        /* The group is intact: the same call now succeeds. */
        assert_int_equal(tsrec__interactions_from_group(&s, g, NULL, "click", 1.0), TSREC_OK);
        tsrec__interactions_free(&s);
        tsrec_dataset_group_free(g);
        tu_ctx_free_checked(ctx);
        failures++;
    }
    assert_true(failures >= 8);
}

static void test_meta_every_n(void **state)
{
    (void)state;
    for (int hashed = 0; hashed <= 1; hashed++) {
        int failures = 0;
        for (int64_t n = 1;; n++) {
            tu_failing_alloc fa = {0, 0, 0, 0};
            tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
            tsrec_dataset_group *g = make_group(ctx);
            tsrec__meta_matrix m;
            fa.calls = 0;
            fa.fail_at = n;
            int rc = tsrec__meta_from_dataset(&m, g, &g->hdr, TSREC__DS_ITEMS, hashed ? 5 : 0,
                                              NULL);
            fa.fail_at = 0;
            if (rc == TSREC_OK) {
                assert_int_equal(m.n_rows, N_ITEMS);
                assert_int_equal(m.n_cols, hashed ? 5 + 2 : 4 + 2);
                tsrec__meta_matrix_free(&m);
                tsrec_dataset_group_free(g);
                tu_ctx_free_checked(ctx);
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(m.row_off);
            assert_null(m.col);
            tsrec_dataset_group_free(g);
            tu_ctx_free_checked(ctx);
            failures++;
        }
        assert_true(failures >= 6);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interactions_every_n),
        cmocka_unit_test(test_meta_every_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
