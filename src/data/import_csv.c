/* CSV / CSV.gz import of a file or a folder of files.
 *
 * Forecast files have no header and follow the schema's column order (a
 * first record that spells the schema's field names, as in some AWS
 * sample files, is taken as a header and skipped). Personalize files
 * start with a header naming schema fields in any order. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csv_internal.h"
#include "import_internal.h"

typedef struct file_map {
    int64_t n_expected; /* fields per record */
    int64_t *field_col; /* per schema field: 0-based record index, -1 = absent */
    int64_t *report_col; /* per schema field: 1-based file column (0 if absent) */
    tsrec__cell *cells;  /* per schema field */
} file_map;

static int name_is(const tsrec__field *fd, const tsrec__csv_field *cf, int nocase)
{
    size_t n = strlen(fd->name);
    if (n != cf->len)
        return 0;
    return nocase ? strncasecmp(fd->name, cf->ptr, n) == 0 : memcmp(fd->name, cf->ptr, n) == 0;
}

/* Forecast: is this first record the schema's own column names? */
static int is_forecast_header(const tsrec_schema *s, const tsrec__csv_record *rec)
{
    if (rec->n_fields != s->n_fields)
        return 0;
    for (int64_t f = 0; f < s->n_fields; f++)
        if (!name_is(&s->fields[f], &rec->fields[f], 1))
            return 0;
    return 1;
}

/* Personalize header: map every schema field to its file column. Errors
 * are recorded as bad rows (line 1) and make *out_ok 0. */
static int map_header(tsrec__import *im, const char *path, const tsrec__csv_record *rec,
                      file_map *m, int *out_ok)
{
    const tsrec_schema *s = tsrec__import_schema(im);
    char msg[TSREC__ERRMSG_MAX];
    int st = TSREC_OK;
    *out_ok = 1;
    m->n_expected = rec->n_fields;
    for (int64_t f = 0; f < s->n_fields; f++)
        m->field_col[f] = -1;
    for (int64_t k = 0; k < rec->n_fields && st == TSREC_OK; k++) {
        const tsrec__csv_field *cf = &rec->fields[k];
        int64_t hit = -1;
        for (int64_t f = 0; f < s->n_fields; f++)
            if (name_is(&s->fields[f], cf, 0)) {
                hit = f;
                break;
            }
        int len = cf->len < 64 ? (int)cf->len : 64;
        if (hit < 0) {
            snprintf(msg, sizeof(msg), "header column '%.*s' is not a field of the schema", len,
                     cf->ptr);
        } else if (m->field_col[hit] >= 0) {
            snprintf(msg, sizeof(msg), "duplicate header name '%.*s' (columns %lld and %lld)",
                     len, cf->ptr, (long long)m->field_col[hit] + 1, (long long)k + 1);
        } else {
            m->field_col[hit] = k;
            continue;
        }
        *out_ok = 0;
        st = tsrec__import_bad_row(im, TSREC_E_SCHEMA, path, rec->line, k + 1, msg);
    }
    for (int64_t f = 0; f < s->n_fields && st == TSREC_OK && *out_ok; f++) {
        if (m->field_col[f] >= 0 || (s->fields[f].flags & TSREC_FIELD_NULLABLE) != 0)
            continue;
        snprintf(msg, sizeof(msg), "required field '%s' is missing from the header",
                 s->fields[f].name);
        *out_ok = 0;
        st = tsrec__import_bad_row(im, TSREC_E_SCHEMA, path, rec->line, 0, msg);
    }
    for (int64_t f = 0; f < s->n_fields; f++)
        m->report_col[f] = m->field_col[f] + 1;
    return st;
}

/* Read every record of one file into the import. Returns TSREC_OK (bad
 * rows are in the report) or a fatal status (I/O, gzip, NOMEM). */
static int import_records(tsrec__import *im, tsrec__csv_reader *r, const char *path,
                          file_map *m)
{
    const tsrec_schema *s = tsrec__import_schema(im);
    tsrec__handle *eh = tsrec__import_eh(im);
    int personalize = s->service == TSREC_SERVICE_PERSONALIZE;
    int first = 1;
    char msg[TSREC__ERRMSG_MAX];
    tsrec__csv_record rec;
    for (;;) {
        if (tsrec__import_full_of_errors(im))
            return TSREC_OK;
        int st = tsrec__csv_next(r, eh, &rec);
        if (st == TSREC_E_PARSE) {
            const tsrec__csv_error *e = tsrec__csv_last_error(r);
            snprintf(msg, sizeof(msg), "invalid CSV: %s", e->reason);
            st = tsrec__import_bad_row(im, TSREC_E_PARSE, path, e->line, e->column, msg);
            if (st != TSREC_OK)
                return st;
            if (first && personalize)
                return TSREC_OK; /* no usable header: nothing more to check */
            first = 0;
            continue;
        }
        if (st != TSREC_OK) {
            /* Fatal (I/O, corrupt gzip, NOMEM): keep the reader's message. */
            if (st != TSREC_E_NOMEM)
                (void)tsrec__report_add(tsrec__import_report(im), eh, path, 0, 0, eh->errmsg);
            return st;
        }
        if (rec.n_fields == 0)
            return TSREC_OK;
        if (first) {
            first = 0;
            if (personalize) {
                int ok;
                st = map_header(im, path, &rec, m, &ok);
                if (st != TSREC_OK || !ok)
                    return st;
                continue;
            }
            if (is_forecast_header(s, &rec))
                continue;
        }
        if (rec.n_fields != m->n_expected) {
            snprintf(msg, sizeof(msg), "row has %lld field%s, expected %lld", (long long)rec.n_fields,
                     rec.n_fields == 1 ? "" : "s", (long long)m->n_expected);
            st = tsrec__import_bad_row(im, TSREC_E_SCHEMA, path, rec.line,
                                       TSREC__MIN(rec.n_fields, m->n_expected) + 1, msg);
            if (st != TSREC_OK)
                return st;
            continue;
        }
        for (int64_t f = 0; f < s->n_fields; f++) {
            int64_t k = m->field_col[f];
            tsrec__cell *c = &m->cells[f];
            if (k < 0) {
                c->ptr = NULL;
                c->len = 0;
                c->present = 0;
            } else {
                c->ptr = rec.fields[k].ptr;
                c->len = rec.fields[k].len;
                c->present = 1;
            }
        }
        st = tsrec__import_row(im, m->cells, m->report_col, path, rec.line);
        if (st != TSREC_OK)
            return st;
    }
}

static int import_file(tsrec__import *im, const char *path)
{
    const tsrec_schema *s = tsrec__import_schema(im);
    tsrec_ctx *ctx = tsrec__import_ctx(im);
    tsrec__handle *eh = tsrec__import_eh(im);
    size_t n = (size_t)s->n_fields;
    file_map m;
    memset(&m, 0, sizeof(m));
    m.field_col = tsrec__calloc(ctx, n, sizeof(int64_t));
    m.report_col = tsrec__calloc(ctx, n, sizeof(int64_t));
    m.cells = tsrec__calloc(ctx, n, sizeof(tsrec__cell));
    int st = TSREC_OK;
    if (m.field_col == NULL || m.report_col == NULL || m.cells == NULL) {
        st = tsrec__fail(eh, TSREC_E_NOMEM, "import: out of memory reading '%s'", path);
        goto out;
    }
    m.n_expected = s->n_fields;
    for (int64_t f = 0; f < s->n_fields; f++) {
        m.field_col[f] = f;
        m.report_col[f] = f + 1;
    }
    tsrec__source *src = NULL;
    st = tsrec__source_open_path(ctx, eh, path, &src);
    if (st != TSREC_OK) {
        if (st != TSREC_E_NOMEM)
            (void)tsrec__report_add(tsrec__import_report(im), eh, path, 0, 0, eh->errmsg);
        goto out;
    }
    tsrec__csv_reader *r = NULL;
    st = tsrec__csv_reader_new(ctx, eh, src, NULL, &r);
    if (st == TSREC_OK)
        st = import_records(im, r, path, &m);
    tsrec__csv_reader_free(r);
out:
    tsrec__free(ctx, m.field_col);
    tsrec__free(ctx, m.report_col);
    tsrec__free(ctx, m.cells);
    return st;
}

int tsrec_dataset_import_csv(tsrec_dataset *dataset, const char *path,
                             const tsrec_import_options *opts, tsrec_import_report **out_report)
{
    if (out_report != NULL)
        *out_report = NULL;
    TSREC__CHECK(dataset, TSREC__MAGIC_DATASET, "tsrec_dataset_import_csv", "tsrec_dataset");
    tsrec__handle *eh = &dataset->hdr;
    tsrec_ctx *ctx = dataset->hdr.ctx;
    if (path == NULL || path[0] == '\0')
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_dataset_import_csv: no path");
    struct stat sb;
    if (stat(path, &sb) != 0)
        return tsrec__fail(eh, TSREC_E_IO, "tsrec_dataset_import_csv: cannot open '%s'", path);
    char **paths = NULL;
    int64_t n_paths = 0;
    const char *one = path;
    int st;
    if (S_ISDIR(sb.st_mode)) {
        st = tsrec__dir_list(ctx, eh, path, &paths, &n_paths);
        if (st != TSREC_OK)
            return st;
    }
    tsrec__import *im = NULL;
    st = tsrec__import_begin(dataset, opts, TSREC_IMPORT_FULL, &im);
    if (st != TSREC_OK) {
        tsrec__dir_list_free(ctx, paths, n_paths);
        return st;
    }
    if (paths == NULL && S_ISDIR(sb.st_mode)) {
        st = TSREC_OK; /* empty folder: no rows -> TSREC_E_EMPTY */
    } else if (paths == NULL) {
        st = import_file(im, one);
    } else {
        for (int64_t i = 0; i < n_paths && st == TSREC_OK; i++) {
            st = import_file(im, paths[i]);
            if (tsrec__import_full_of_errors(im))
                break;
        }
    }
    char what[300];
    snprintf(what, sizeof(what), "'%.280s'", path);
    tsrec__dir_list_free(ctx, paths, n_paths);
    return tsrec__import_end(im, st, what, out_report);
}
