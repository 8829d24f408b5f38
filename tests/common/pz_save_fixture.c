/* The generated Personalize group of pz_save_fixture.h. */
#include "pz_save_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *INTERACTIONS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]}],\"version\":\"1.0\"}";

static const char *ITEMS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Items\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"GENRE\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
    "{\"name\":\"PRICE\",\"type\":[\"null\",\"double\"]}],\"version\":\"1.0\"}";

static tsrec_dataset *add_dataset(tsrec_ctx *ctx, tsrec_dataset_group *g, const char *type,
                                  const char *schema)
{
    tsrec_schema *s = NULL;
    if (tsrec_schema_parse(ctx, TSREC_SERVICE_PERSONALIZE, schema, strlen(schema), &s) !=
        TSREC_OK)
        return NULL;
    tsrec_dataset *ds = NULL;
    int rc = tsrec_dataset_group_create_dataset(g, type, type, s, NULL, &ds);
    tsrec_schema_free(s);
    return rc == TSREC_OK ? ds : NULL;
}

static uint32_t next(uint64_t *st)
{
    *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*st >> 33);
}

static int add_interactions(tsrec_dataset *ds, int n_users, int n_items)
{
    int64_t cap = (int64_t)n_users * 30;
    const char **cells = calloc((size_t)cap * 5, sizeof(char *));
    char (*text)[4][24] = calloc((size_t)cap, sizeof(*text));
    int rc = TSREC_E_NOMEM;
    if (cells != NULL && text != NULL) {
        uint64_t st = 12345;
        int64_t r = 0;
        for (int u = 0; u < n_users; u++) {
            int n = 10 + (int)(next(&st) % 20);
            for (int k = 0; k < n; k++, r++) {
                uint32_t a = next(&st) % (uint32_t)n_items, b = next(&st) % (uint32_t)n_items;
                int item = (int)((a * b) / (uint32_t)n_items); /* skewed to low numbers */
                snprintf(text[r][0], 24, "u%d", u);
                snprintf(text[r][1], 24, "i%d", item);
                snprintf(text[r][2], 24, "%d", 1600000000 + u * 1000 + k);
                snprintf(text[r][3], 24, "%u", 1 + next(&st) % 5);
                cells[r * 5 + 0] = text[r][0];
                cells[r * 5 + 1] = text[r][1];
                cells[r * 5 + 2] = text[r][2];
                cells[r * 5 + 3] = next(&st) % 3 == 0 ? "buy" : "click";
                cells[r * 5 + 4] = text[r][3];
            }
        }
        rc = tsrec_dataset_import_rows(ds, cells, r, 5, NULL, NULL);
    }
    free(cells);
    free(text);
    return rc;
}

static int add_items(tsrec_dataset *ds, int n_items)
{
    const char **cells = calloc((size_t)n_items * 3, sizeof(char *));
    char (*text)[2][16] = calloc((size_t)n_items, sizeof(*text));
    int rc = TSREC_E_NOMEM;
    if (cells != NULL && text != NULL) {
        for (int j = 0; j < n_items; j++) {
            snprintf(text[j][0], 16, "i%d", j);
            snprintf(text[j][1], 16, "%d", j);
            cells[j * 3 + 0] = text[j][0];
            cells[j * 3 + 1] = j % 2 == 0 ? "even" : "odd";
            cells[j * 3 + 2] = text[j][1];
        }
        rc = tsrec_dataset_import_rows(ds, cells, n_items, 3, NULL, NULL);
    }
    free(cells);
    free(text);
    return rc;
}

tsrec_dataset_group *pzf_make_group(tsrec_ctx *ctx, int n_users, int n_items, int with_items)
{
    tsrec_dataset_group *g = NULL;
    if (tsrec_dataset_group_new(ctx, "pzg", TSREC_SERVICE_PERSONALIZE, NULL, &g) != TSREC_OK)
        return NULL;
    tsrec_dataset *ds = add_dataset(ctx, g, "Interactions", INTERACTIONS_SCHEMA);
    int ok = ds != NULL && add_interactions(ds, n_users, n_items) == TSREC_OK;
    if (ok && with_items) {
        tsrec_dataset *items = add_dataset(ctx, g, "Items", ITEMS_SCHEMA);
        ok = items != NULL && add_items(items, n_items) == TSREC_OK;
    }
    if (!ok) {
        tsrec_dataset_group_free(g);
        return NULL;
    }
    return g;
}
