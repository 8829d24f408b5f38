/* Fuzz target for the request bodies a Personalize server takes from the
 * network: PutEvents, PutUsers and PutItems on an event tracker attached to
 * a live campaign, and GetRecommendations / GetPersonalizedRanking on that
 * campaign with an attached filter. The first byte picks the call, the rest
 * is its JSON body. Properties checked:
 *   - the status is a documented one and a failure leaves every dataset
 *     with exactly its previous row count (calls are atomic);
 *   - a successful put adds rows, and the campaign still answers a query
 *     for a known user afterwards (with and without the filter);
 *   - nothing leaks (the ctx's live allocation count is zero at the end).
 * Each input gets a fresh group, so inputs do not depend on each other. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { N_USERS = 30, N_ITEMS = 20, NF = 8 };

static const char *INTERACTIONS =
    "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]},"
    "{\"name\":\"IMPRESSION\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"RECOMMENDATION_ID\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"DEVICE\",\"type\":[\"null\",\"string\"],\"categorical\":true}]}";
static const char *USERS =
    "{\"type\":\"record\",\"name\":\"Users\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"AGE\",\"type\":[\"null\",\"int\"]},"
    "{\"name\":\"TIER\",\"type\":[\"null\",\"string\"],\"categorical\":true}]}";
static const char *ITEMS =
    "{\"type\":\"record\",\"name\":\"Items\",\"fields\":["
    "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"GENRE\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
    "{\"name\":\"PRICE\",\"type\":[\"null\",\"double\"]},"
    "{\"name\":\"CREATION_TIMESTAMP\",\"type\":\"long\"}]}";

static tsrec_dataset *dataset(tsrec_ctx *ctx, tsrec_dataset_group *g, const char *type,
                              const char *schema)
{
    tsrec_schema *s = NULL;
    tsrec_dataset *ds = NULL;
    if (tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, schema, strlen(schema), &s) !=
            TSREC_OK ||
        tsrec_dataset_group_create_dataset(g, type, type, s, NULL, &ds) != TSREC_OK)
        abort();
    tsrec_schema_free(s);
    return ds;
}

/* N_USERS users with 40 events each over N_ITEMS items (enough for the
 * training minimums), and a record for every item and every other user. */
static void fill(tsrec_dataset *inter, tsrec_dataset *users, tsrec_dataset *items)
{
    static char text[N_USERS * 40][3][24];
    static const char *cells[N_USERS * 40 * NF];
    int64_t r = 0;
    for (int u = 0; u < N_USERS; u++)
        for (int k = 0; k < 40; k++, r++) {
            snprintf(text[r][0], 24, "u%d", u);
            snprintf(text[r][1], 24, "i%d", (u * 7 + k * k) % N_ITEMS);
            snprintf(text[r][2], 24, "%d", 1600000000 + u * 100 + k);
            const char *row[NF] = {text[r][0], text[r][1], text[r][2], k % 3 ? "click" : "buy",
                                   "1.5", NULL, NULL, k % 2 ? "phone" : NULL};
            memcpy(&cells[r * NF], row, sizeof row);
        }
    if (tsrec_dataset_import_rows(inter, cells, r, NF, NULL, NULL) != TSREC_OK)
        abort();
    r = 0;
    for (int u = 0; u < N_USERS; u += 2, r++) {
        const char *row[3] = {text[u * 40][0], u % 4 ? "30" : NULL, u % 3 ? "gold" : "basic"};
        memcpy(&cells[r * 3], row, sizeof row);
    }
    if (tsrec_dataset_import_rows(users, cells, r, 3, NULL, NULL) != TSREC_OK)
        abort();
    static char ids[N_ITEMS][16];
    for (int j = 0; j < N_ITEMS; j++) {
        snprintf(ids[j], sizeof ids[j], "i%d", j);
        const char *row[4] = {ids[j], j % 2 ? "comedy" : "drama|comedy", "9.99", "1500000000"};
        memcpy(&cells[j * 4], row, sizeof row);
    }
    if (tsrec_dataset_import_rows(items, cells, N_ITEMS, 4, NULL, NULL) != TSREC_OK)
        abort();
}

static int known_status(int rc)
{
    switch (rc) {
    case TSREC_OK:
    case TSREC_E_INVALID_ARG:
    case TSREC_E_PARSE:
    case TSREC_E_BAD_TYPE:
    case TSREC_E_OUT_OF_RANGE:
    case TSREC_E_UNKNOWN_NAME:
    case TSREC_E_DUPLICATE:
    case TSREC_E_SCHEMA:
    case TSREC_E_EMPTY:
    case TSREC_E_NAN:
    case TSREC_E_SHAPE:
    case TSREC_E_UNSUPPORTED:
        return 1;
    default:
        return 0;
    }
}

static void rows_of(tsrec_dataset *const *ds, int64_t *n)
{
    for (int i = 0; i < 3; i++)
        if (tsrec_dataset_row_count(ds[i], &n[i]) != TSREC_OK)
            abort();
}

/* A query that must work whatever the input did. */
static void query_known_user(const tsrec_campaign *c, int with_filter)
{
    const char *req = with_filter ? "{\"userId\":\"u3\",\"numResults\":5,\"filterArn\":\"f\","
                                    "\"filterValues\":{\"G\":\"\\\"comedy\\\"\"}}"
                                  : "{\"userId\":\"u3\",\"numResults\":5}";
    char buf[4096];
    size_t len = 0;
    if (tsrec_campaign_recommend_json(c, req, strlen(req), buf, sizeof buf, &len) != TSREC_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    tsrec_ctx *ctx = fuzz_ctx_new();
    tsrec_dataset_group *g = NULL;
    if (tsrec_dataset_group_new(ctx, "g", TSREC_SERVICE_PERSONALIZE, NULL, &g) != TSREC_OK)
        abort();
    tsrec_dataset *ds[3] = {dataset(ctx, g, "Interactions", INTERACTIONS),
                            dataset(ctx, g, "Users", USERS), dataset(ctx, g, "Items", ITEMS)};
    fill(ds[0], ds[1], ds[2]);
    static const char *SOL = "{\"name\":\"s\",\"recipeArn\":\"aws-popularity-count\"}";
    static const char *CAMP = "{\"name\":\"c\"}";
    static const char *TRK = "{\"name\":\"t\"}";
    static const char *FIL =
        "{\"name\":\"f\",\"filterExpression\":\"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE "
        "IN (\\\"buy\\\") | INCLUDE ItemID WHERE Items.GENRE IN ($G)\"}";
    tsrec_solution *sol = NULL;
    tsrec_solution_version *v = NULL;
    tsrec_campaign *c = NULL;
    tsrec_event_tracker *t = NULL;
    tsrec_filter *f = NULL;
    if (tsrec_solution_create(g, SOL, strlen(SOL), &sol) != TSREC_OK ||
        tsrec_solution_train(sol, TSREC_TRAINING_FULL, &v) != TSREC_OK ||
        tsrec_campaign_create(v, CAMP, strlen(CAMP), &c) != TSREC_OK ||
        tsrec_event_tracker_create(g, TRK, strlen(TRK), &t) != TSREC_OK ||
        tsrec_event_tracker_attach(t, c) != TSREC_OK ||
        tsrec_filter_create(g, FIL, strlen(FIL), &f) != TSREC_OK ||
        tsrec_campaign_attach_filter(c, f) != TSREC_OK)
        abort();

    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    int64_t before[3], after[3];
    rows_of(ds, before);
    int op = data[0] % 5, rc = TSREC_OK;
    char out[16384];
    size_t out_len = 0;
    switch (op) {
    case 0:
        rc = tsrec_event_tracker_put_events(t, body, len);
        break;
    case 1:
        rc = tsrec_event_tracker_put_users(t, body, len);
        break;
    case 2:
        rc = tsrec_event_tracker_put_items(t, body, len);
        break;
    case 3:
        rc = tsrec_campaign_recommend_json(c, body, len, out, sizeof out, &out_len);
        break;
    default:
        rc = tsrec_campaign_rank_json(c, body, len, out, sizeof out, &out_len);
        break;
    }
    if (getenv("TSREC_FUZZ_VERBOSE") != NULL) /* what a corpus file exercises */
        fprintf(stderr, "op %d: %s %s\n", op, tsrec_status_str(rc),
                tsrec_errmsg(op < 3 ? (const void *)t : (const void *)c));
    if (!known_status(rc))
        abort();
    rows_of(ds, after);
    if (rc != TSREC_OK || op >= 3) {
        for (int i = 0; i < 3; i++)
            if (after[i] != before[i])
                abort(); /* a failed call (or a query) changed a dataset */
    } else if (after[op] <= before[op]) {
        abort(); /* a successful put added nothing */
    }
    query_known_user(c, 0);
    query_known_user(c, 1);

    tsrec_event_tracker_free(t);
    tsrec_campaign_free(c);
    tsrec_filter_free(f);
    tsrec_solution_free(sol);
    tsrec_dataset_group_free(g);
    fuzz_ctx_free(ctx);
    return 0;
}
