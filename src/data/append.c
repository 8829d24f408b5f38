/* Direct, atomic appends of typed rows (append_internal.h). An INCREMENTAL
 * import costs a session (batch buffers, a report, per-field rules) that
 * dwarfs a PutEvents call of one to ten rows; this path checks the cells
 * once, pushes them and undoes everything on failure the way the import's
 * rollback does. */
#include <string.h>

#include "append_internal.h"
#include "time_internal.h"

/* Largest finite float, as the import's range check (import.c). */
#define F32_MAX_VALUE 3.4028234663852886e38

/* A present TEXT cell of length 0 is a missing value, as in CSV. */
static int cell_missing(const tsrec__cell *c)
{
    return !c->present || (c->kind == TSREC__CELL_TEXT && c->len == 0);
}

static int text_fits(const tsrec_dataset *ds, int64_t f, const tsrec__cell *c)
{
    const tsrec__field *fd = &ds->schema->fields[f];
    int32_t role = ds->roles[f];
    if (c->kind != TSREC__CELL_TEXT || c->ptr == NULL || fd->type == TSREC_FIELD_GEOLOCATION ||
        c->len > TSREC__STRDICT_MAX_LEN)
        return 0;
    /* Bytes >= characters: within the limit in bytes is within it in
     * characters; anything longer is for the import to count. */
    if (ds->schema->service == TSREC_SERVICE_PERSONALIZE) {
        if (role == TSREC__ROLE_USER_ID || role == TSREC__ROLE_ITEM_ID ||
            role == TSREC__ROLE_EVENT_TYPE)
            return c->len <= TSREC__MAX_ID_CHARS;
        if ((fd->flags & TSREC_FIELD_CATEGORICAL) != 0)
            return c->len <= TSREC__MAX_CATEGORICAL_CHARS;
        return 1;
    }
    return role != TSREC__ROLE_ITEM_ID || c->len <= TSREC__MAX_ID_CHARS;
}

static int cell_fits(const tsrec_dataset *ds, int64_t f, const tsrec__cell *c)
{
    const tsrec__column *col = &ds->cols[f];
    if (cell_missing(c))
        return (ds->schema->fields[f].flags & TSREC_FIELD_NULLABLE) != 0;
    switch (col->kind) {
    case TSREC__COL_CODE:
        return text_fits(ds, f, c);
    case TSREC__COL_I64:
        return c->kind == TSREC__CELL_TIME &&
               (ds->roles[f] == TSREC__ROLE_TIMESTAMP ||
                ds->roles[f] == TSREC__ROLE_CREATION_TIMESTAMP) &&
               c->i >= TSREC__TIME_MIN && c->i <= TSREC__TIME_MAX;
    case TSREC__COL_F32:
        return c->kind == TSREC__CELL_REAL && c->d - c->d == 0.0 && c->d <= F32_MAX_VALUE &&
               c->d >= -F32_MAX_VALUE;
    case TSREC__COL_F64:
        return c->kind == TSREC__CELL_REAL && c->d - c->d == 0.0; /* finite */
    default:
        return 0;
    }
}

int tsrec__dataset_append_fits(const tsrec_dataset *ds, const tsrec__cell *cells, int64_t n_rows)
{
    if (ds == NULL || cells == NULL || n_rows < 1 || ds->roles == NULL)
        return 0;
    int64_t nf = ds->schema->n_fields;
    for (int64_t r = 0; r < n_rows; r++)
        for (int64_t f = 0; f < nf; f++)
            if (!cell_fits(ds, f, &cells[r * nf + f]))
                return 0;
    return 1;
}

/* What a column was before the append, to undo it. */
typedef struct saved_col {
    int64_t len;
    int64_t dict_count;
    int32_t width;
    int32_t had_valid;
} saved_col;

static void undo(tsrec_dataset *ds, const saved_col *saved)
{
    tsrec_ctx *ctx = ds->hdr.ctx;
    int64_t nf = ds->schema->n_fields;
    /* Dictionaries first: narrowing needs every code to fit again. A
     * shared dictionary is truncated once per column using it, to the same
     * count. */
    for (int64_t f = 0; f < nf; f++)
        if (ds->cols[f].dict != NULL)
            tsrec__strdict_truncate(ds->cols[f].dict, saved[f].dict_count);
    for (int64_t f = 0; f < nf; f++) {
        tsrec__column *c = &ds->cols[f];
        tsrec__column_truncate(c, saved[f].len);
        if (c->kind == TSREC__COL_CODE)
            tsrec__column_narrow(c, saved[f].width);
        if (!saved[f].had_valid && c->valid != NULL) {
            tsrec__free(ctx, c->valid);
            c->valid = NULL;
        }
    }
}

static int push_cell(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__cell *v)
{
    if (cell_missing(v))
        return tsrec__column_push_missing(c, ctx, eh);
    switch (c->kind) {
    case TSREC__COL_CODE:
        return tsrec__column_push_bytes(c, ctx, eh, v->ptr, v->len);
    case TSREC__COL_I64:
        return tsrec__column_push_i64(c, ctx, eh, v->i);
    default: /* F32, F64 (append_fits let nothing else through) */
        return tsrec__column_push_f64(c, ctx, eh, v->d);
    }
}

/* The n values of one field (cells[r * stride]). A text equal to the one
 * before it takes its code without a dictionary lookup: a request's events
 * share the user, and often the event type or recommendation id. */
static int push_field(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh,
                      const tsrec__cell *cells, int64_t stride, int64_t n)
{
    const tsrec__cell *prev = NULL; /* the last text pushed */
    int64_t prev_code = -1;
    for (int64_t r = 0; r < n; r++) {
        const tsrec__cell *v = &cells[r * stride];
        int st;
        if (c->kind == TSREC__COL_CODE && prev != NULL && !cell_missing(v) &&
            v->len == prev->len && memcmp(v->ptr, prev->ptr, v->len) == 0) {
            st = tsrec__column_push_code(c, ctx, eh, prev_code);
        } else {
            st = push_cell(c, ctx, eh, v);
            if (st == TSREC_OK && c->kind == TSREC__COL_CODE && !cell_missing(v)) {
                prev = v;
                prev_code = tsrec__column_get_code(c, c->len - 1);
            }
        }
        if (st != TSREC_OK)
            return st;
    }
    return TSREC_OK;
}

int tsrec__dataset_append_cells(tsrec_dataset *ds, tsrec__handle *eh, const tsrec__cell *cells,
                                int64_t n_rows)
{
    if (!tsrec__dataset_append_fits(ds, cells, n_rows))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "append: rows that need the import's parsing and checks");
    tsrec_ctx *ctx = ds->hdr.ctx;
    int64_t nf = ds->schema->n_fields;
    saved_col *saved = tsrec__calloc(ctx, (size_t)nf, sizeof(*saved));
    if (saved == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "append: out of memory");
    int st = TSREC_OK;
    for (int64_t f = 0; f < nf; f++) {
        const tsrec__column *c = &ds->cols[f];
        saved[f].len = c->len;
        saved[f].width = c->width;
        saved[f].had_valid = c->valid != NULL;
        saved[f].dict_count = c->dict != NULL ? tsrec__strdict_count(c->dict) : 0;
        /* Room for every row up front: one growth step at most per call. */
        if (st == TSREC_OK)
            st = tsrec__column_reserve(&ds->cols[f], ctx, eh, n_rows);
    }
    /* Field by field, rows in order: the import interns a batch the same
     * way, so every dictionary hands out the same codes on either path. */
    for (int64_t f = 0; st == TSREC_OK && f < nf; f++)
        st = push_field(&ds->cols[f], ctx, eh, cells + f, nf, n_rows);
    if (st != TSREC_OK) {
        undo(ds, saved);
    } else {
        ds->n_rows += n_rows;
        ds->n_imports++;
        tsrec__ok(&ds->hdr); /* as a successful import leaves it */
    }
    tsrec__free(ctx, saved);
    return st;
}
