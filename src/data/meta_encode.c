/* Users / Items metadata to a CSR feature matrix: one-hot and hashed
 * categoricals (with '|' multi-values), standardised numerics with a
 * missing indicator. Rules in meta_encode_internal.h. */
#include "meta_encode_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "hash_internal.h"

/* At most this many parts in one value: 1000 characters, every other one
 * a pipe. */
#define MAX_PARTS (TSREC__META_MAX_VALUE_LEN / 2 + 1)

void tsrec__meta_matrix_free(tsrec__meta_matrix *m)
{
    if (m == NULL)
        return;
    tsrec_ctx *ctx = m->ctx;
    if (ctx != NULL) {
        if (m->vocab != NULL)
            for (int64_t f = 0; f < m->n_fields; f++)
                tsrec__strdict_free(&m->vocab[f]);
        tsrec__free(ctx, m->vocab);
        tsrec__free(ctx, m->row_off);
        tsrec__free(ctx, m->col);
        tsrec__free(ctx, m->val);
        tsrec__free(ctx, m->field_col0);
        tsrec__free(ctx, m->mean);
        tsrec__free(ctx, m->sd);
    }
    memset(m, 0, sizeof(*m));
}

static size_t held(const void *p)
{
    return p != NULL ? tsrec__alloc_size(p) : 0;
}

size_t tsrec__meta_matrix_bytes(const tsrec__meta_matrix *m)
{
    if (m == NULL)
        return 0;
    size_t b = held(m->row_off) + held(m->col) + held(m->val) + held(m->field_col0) +
               held(m->mean) + held(m->sd) + held(m->vocab);
    if (m->vocab != NULL)
        for (int64_t f = 0; f < m->n_fields; f++)
            b += tsrec__strdict_bytes(&m->vocab[f]);
    return b;
}

/* UTF-8 characters in s (continuation bytes are not counted). */
static size_t utf8_chars(const char *s, size_t *out_bytes)
{
    size_t chars = 0, k = 0;
    for (; s[k] != '\0'; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80)
            chars++;
    *out_bytes = k;
    return chars;
}

/* Split s on '|' into non-empty parts (start offsets and lengths). */
static int split_parts(const char *s, size_t len, size_t *start, size_t *plen)
{
    int n = 0;
    size_t a = 0;
    for (size_t k = 0; k <= len; k++) {
        if (k == len || s[k] == '|') {
            if (k > a && n < MAX_PARTS) {
                start[n] = a;
                plen[n] = k - a;
                n++;
            }
            a = k + 1;
        }
    }
    return n;
}

static int check_inputs(tsrec__handle *eh, int64_t n_rows, int64_t n_records,
                        const int32_t *row_of_record, const tsrec__meta_field *fields,
                        int64_t n_fields)
{
    if (n_rows < 0 || n_records < 0 || n_fields < 0 || n_rows > (int64_t)INT32_MAX)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "meta_encode: bad sizes");
    if ((n_records > 0 && row_of_record == NULL) || (n_fields > 0 && fields == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "meta_encode: NULL argument");
    for (int64_t r = 0; r < n_records; r++)
        if (row_of_record[r] < 0 || row_of_record[r] >= n_rows)
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                               "meta_encode: record %" PRId64 ": row code %" PRId32
                               " outside 0..%" PRId64,
                               r, row_of_record[r], n_rows - 1);
    for (int64_t f = 0; f < n_fields; f++) {
        const tsrec__meta_field *fd = &fields[f];
        if (fd->kind == TSREC__META_NUMERIC) {
            if (n_records > 0 && fd->num == NULL)
                return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                   "meta_encode: field %" PRId64 ": no numbers", f);
            for (int64_t r = 0; r < n_records; r++)
                if (isinf(fd->num[r]))
                    return tsrec__fail(eh, TSREC_E_NAN,
                                       "meta_encode: field %" PRId64 ", record %" PRId64
                                       ": infinite value",
                                       f, r);
            continue;
        }
        if (fd->kind != TSREC__META_ONEHOT && fd->kind != TSREC__META_HASHED)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "meta_encode: field %" PRId64 ": unknown kind %" PRId32, f,
                               fd->kind);
        if (fd->kind == TSREC__META_HASHED && fd->n_buckets < 1)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "meta_encode: field %" PRId64 ": n_buckets must be >= 1", f);
        if (n_records > 0 && fd->str == NULL)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "meta_encode: field %" PRId64 ": no strings", f);
        for (int64_t r = 0; r < n_records; r++) {
            if (fd->str[r] == NULL)
                continue;
            size_t bytes;
            if (utf8_chars(fd->str[r], &bytes) > TSREC__META_MAX_VALUE_LEN)
                return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                                   "meta_encode: field %" PRId64 ", record %" PRId64
                                   ": categorical value longer than %d characters",
                                   f, r, TSREC__META_MAX_VALUE_LEN);
        }
    }
    return TSREC_OK;
}

static void sort_unique_cols(int32_t *c, int *n)
{
    for (int k = 1; k < *n; k++) {
        int32_t v = c[k];
        int j = k - 1;
        while (j >= 0 && c[j] > v) {
            c[j + 1] = c[j];
            j--;
        }
        c[j + 1] = v;
    }
    int w = 0;
    for (int k = 0; k < *n; k++)
        if (w == 0 || c[w - 1] != c[k])
            c[w++] = c[k];
    *n = w;
}

/* Entries of one row (record rec, -1 for none); written at col/val when
 * they are not NULL. Returns how many. */
static int64_t encode_row(const tsrec__meta_matrix *m, const tsrec__meta_field *fields,
                          int64_t rec, int32_t *col, float *val)
{
    int64_t k = 0;
    size_t start[MAX_PARTS], plen[MAX_PARTS];
    int32_t cols[MAX_PARTS];
    for (int64_t f = 0; f < m->n_fields; f++) {
        const tsrec__meta_field *fd = &fields[f];
        int32_t col0 = (int32_t)m->field_col0[f];
        if (fd->kind == TSREC__META_NUMERIC) {
            double x = rec >= 0 ? fd->num[rec] : NAN;
            if (col != NULL) {
                int present = !isnan(x);
                col[k] = present ? col0 : col0 + 1;
                val[k] = present ? (float)((x - m->mean[f]) / m->sd[f]) : 1.0f;
            }
            k++;
            continue;
        }
        if (rec < 0 || fd->str[rec] == NULL)
            continue;
        const char *s = fd->str[rec];
        int np = split_parts(s, strlen(s), start, plen);
        for (int p = 0; p < np; p++) {
            if (fd->kind == TSREC__META_ONEHOT)
                cols[p] = col0 + (int32_t)tsrec__strdict_lookup(&m->vocab[f], s + start[p],
                                                                plen[p]);
            else
                cols[p] = col0 + (int32_t)(tsrec__hash_bytes(s + start[p], plen[p], 0) %
                                           (uint64_t)fd->n_buckets);
        }
        sort_unique_cols(cols, &np);
        for (int p = 0; p < np; p++) {
            if (col != NULL) {
                col[k] = cols[p];
                val[k] = 1.0f;
            }
            k++;
        }
    }
    return k;
}

int tsrec__meta_encode(tsrec__meta_matrix *m, tsrec_ctx *ctx, tsrec__handle *eh,
                       int64_t n_rows, int64_t n_records, const int32_t *row_of_record,
                       const tsrec__meta_field *fields, int64_t n_fields)
{
    if (m == NULL || ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "meta_encode: NULL argument");
    memset(m, 0, sizeof(*m));
    int rc = check_inputs(eh, n_rows, n_records, row_of_record, fields, n_fields);
    if (rc != TSREC_OK)
        return rc;
    m->ctx = ctx;
    m->n_rows = n_rows;
    m->n_fields = n_fields;
    size_t nf = (size_t)n_fields;
    int64_t *winner = tsrec__alloc(ctx, ((size_t)n_rows + 1) * sizeof(int64_t));
    m->row_off = tsrec__alloc(ctx, ((size_t)n_rows + 1) * sizeof(int64_t));
    m->field_col0 = tsrec__calloc(ctx, nf + 1, sizeof(int64_t));
    m->mean = tsrec__calloc(ctx, nf + 1, sizeof(double));
    m->sd = tsrec__calloc(ctx, nf + 1, sizeof(double));
    m->vocab = tsrec__calloc(ctx, nf + 1, sizeof(tsrec__strdict));
    if (winner == NULL || m->row_off == NULL || m->field_col0 == NULL || m->mean == NULL ||
        m->sd == NULL || m->vocab == NULL) {
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "meta_encode: out of memory");
        goto fail;
    }
    /* zeroed dictionaries are not valid until init: init them all first so
     * the free path can treat every one alike */
    for (int64_t f = 0; f < n_fields; f++) {
        rc = tsrec__strdict_init(&m->vocab[f], ctx, eh, 0);
        if (rc != TSREC_OK) {
            for (int64_t g = 0; g < f; g++)
                tsrec__strdict_free(&m->vocab[g]);
            tsrec__free(ctx, m->vocab);
            m->vocab = NULL;
            goto fail;
        }
    }
    for (int64_t i = 0; i < n_rows; i++)
        winner[i] = -1;
    for (int64_t r = 0; r < n_records; r++)
        winner[row_of_record[r]] = r;

    /* vocabularies and statistics over the winning records */
    int64_t col = 0;
    for (int64_t f = 0; f < n_fields; f++) {
        const tsrec__meta_field *fd = &fields[f];
        m->field_col0[f] = col;
        m->mean[f] = 0.0;
        m->sd[f] = 1.0;
        if (fd->kind == TSREC__META_NUMERIC) {
            double sum = 0.0;
            int64_t cnt = 0;
            for (int64_t r = 0; r < n_records; r++)
                if (winner[row_of_record[r]] == r && !isnan(fd->num[r])) {
                    sum += fd->num[r];
                    cnt++;
                }
            if (cnt > 0) {
                double mean = sum / (double)cnt, ss = 0.0;
                for (int64_t r = 0; r < n_records; r++)
                    if (winner[row_of_record[r]] == r && !isnan(fd->num[r]))
                        ss += (fd->num[r] - mean) * (fd->num[r] - mean);
                double sd = sqrt(ss / (double)cnt);
                m->mean[f] = mean;
                m->sd[f] = sd > 0.0 && isfinite(sd) ? sd : 1.0;
            }
            col += 2;
        } else if (fd->kind == TSREC__META_HASHED) {
            col += fd->n_buckets;
        } else {
            size_t start[MAX_PARTS], plen[MAX_PARTS];
            for (int64_t r = 0; r < n_records; r++) {
                if (winner[row_of_record[r]] != r || fd->str[r] == NULL)
                    continue;
                const char *s = fd->str[r];
                int np = split_parts(s, strlen(s), start, plen);
                for (int p = 0; p < np; p++) {
                    rc = tsrec__strdict_intern(&m->vocab[f], eh, s + start[p], plen[p], NULL,
                                               NULL);
                    if (rc != TSREC_OK)
                        goto fail;
                }
            }
            col += tsrec__strdict_count(&m->vocab[f]);
        }
        if (col > (int64_t)INT32_MAX) {
            rc = tsrec__fail(eh, TSREC_E_OUT_OF_RANGE, "meta_encode: too many feature columns");
            goto fail;
        }
    }
    m->field_col0[n_fields] = col;
    m->n_cols = col;

    /* count, then fill */
    int64_t nnz = 0;
    m->row_off[0] = 0;
    for (int64_t i = 0; i < n_rows; i++) {
        nnz += encode_row(m, fields, winner[i], NULL, NULL);
        m->row_off[i + 1] = nnz;
    }
    m->col = tsrec__alloc(ctx, (size_t)(nnz > 0 ? nnz : 1) * sizeof(int32_t));
    m->val = tsrec__alloc(ctx, (size_t)(nnz > 0 ? nnz : 1) * sizeof(float));
    if (m->col == NULL || m->val == NULL) {
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "meta_encode: out of memory (%" PRId64 " entries)",
                         nnz);
        goto fail;
    }
    for (int64_t i = 0; i < n_rows; i++)
        encode_row(m, fields, winner[i], m->col + m->row_off[i], m->val + m->row_off[i]);
    m->nnz = nnz;
    tsrec__free(ctx, winner);
    return TSREC_OK;

fail:
    tsrec__free(ctx, winner);
    tsrec__meta_matrix_free(m);
    return rc;
}
