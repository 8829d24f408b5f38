/* Import of Arrow record batches (C Data Interface) and streams (C Stream
 * Interface) through the shared import session: columns are matched to
 * schema fields by name, every value becomes a cell (text for strings,
 * typed otherwise) and goes through the same per-field rules as CSV text.
 *
 * Arrow memory is borrowed: nothing is kept past the call. The C Data
 * Interface carries no buffer sizes, so buffer sizes are trusted to match
 * what the array header declares; everything the header says is checked
 * (counts, lengths, offsets, NULL buffers, dictionary indices, string
 * offsets) before a byte is read through it. */
#include <stdio.h>
#include <string.h>

#include "import_internal.h"
#include "tsrec/arrow.h"

/* Physical types of the columns we read. */
enum atype {
    A_NULL = 1,
    A_BOOL,
    A_INT,    /* width 1/2/4/8, signed or not */
    A_F32,
    A_F64,
    A_UTF8,   /* 32-bit offsets */
    A_LUTF8,  /* 64-bit offsets */
    A_TS,     /* int64 ticks of 1/ticks_per_s second */
    A_DATE32, /* int32 days */
    A_DATE64  /* int64 milliseconds */
};

/* Largest slot count we address: byte offsets (x8, +1) stay in range. */
#define MAX_SLOTS (INT64_MAX / 16)
/* Room for an integer written as decimal text. */
#define NUM_TEXT 24

typedef struct acol {
    int32_t type;        /* A_*; for a dictionary column, the value type */
    int32_t dict;        /* dictionary-encoded: indices of width/is_signed */
    int32_t width;       /* A_INT or dictionary index: bytes */
    int32_t is_signed;
    int64_t ticks_per_s; /* A_TS */
    int32_t cell_kind;   /* TSREC__CELL_* handed to the session */
    int32_t as_text;     /* integers written as decimal text (string fields) */
    int64_t field;       /* schema field */
    const char *name;
    const char *format;
} acol;

typedef struct arrow_map {
    int64_t n_cols;      /* Arrow children */
    acol *cols;
    int64_t n_fields;
    int64_t *field_col;  /* per schema field: Arrow child, -1 = absent */
    int64_t *report_col; /* per schema field: 1-based child index, 0 = absent */
    tsrec__cell *cells;  /* per schema field */
    char *num_text;      /* per Arrow child: NUM_TEXT bytes */
} arrow_map;

static void map_free(arrow_map *m, tsrec_ctx *ctx)
{
    tsrec__free(ctx, m->cols);
    tsrec__free(ctx, m->field_col);
    tsrec__free(ctx, m->report_col);
    tsrec__free(ctx, m->cells);
    tsrec__free(ctx, m->num_text);
    memset(m, 0, sizeof(*m));
}

/* ---- formats ------------------------------------------------------------- */

/* Integer formats: width and signedness, 0 if fmt is not one. */
static int int_format(const char *fmt, int32_t *width, int32_t *is_signed)
{
    static const char codes[] = "cCsSiIlL";
    if (fmt[0] == '\0' || fmt[1] != '\0')
        return 0;
    const char *p = strchr(codes, fmt[0]);
    if (p == NULL)
        return 0;
    int k = (int)(p - codes);
    *width = (int32_t)1 << (k / 2);
    *is_signed = (k % 2) == 0;
    return 1;
}

/* Value type of a (non-dictionary) format; 0 if unsupported. */
static int value_format(const char *fmt, acol *ac)
{
    if (int_format(fmt, &ac->width, &ac->is_signed)) {
        ac->type = A_INT;
        ac->cell_kind = TSREC__CELL_INT;
        return 1;
    }
    if (strcmp(fmt, "n") == 0) {
        ac->type = A_NULL;
        ac->cell_kind = TSREC__CELL_TEXT;
    } else if (strcmp(fmt, "b") == 0) {
        ac->type = A_BOOL;
        ac->cell_kind = TSREC__CELL_BOOL;
    } else if (strcmp(fmt, "f") == 0 || strcmp(fmt, "g") == 0) {
        ac->type = fmt[0] == 'f' ? A_F32 : A_F64;
        ac->cell_kind = TSREC__CELL_REAL;
    } else if (strcmp(fmt, "u") == 0 || strcmp(fmt, "U") == 0) {
        ac->type = fmt[0] == 'u' ? A_UTF8 : A_LUTF8;
        ac->cell_kind = TSREC__CELL_TEXT;
    } else if (strcmp(fmt, "tdD") == 0 || strcmp(fmt, "tdm") == 0) {
        ac->type = fmt[2] == 'D' ? A_DATE32 : A_DATE64;
        ac->cell_kind = TSREC__CELL_LOCAL_TIME; /* a calendar date: wall clock */
    } else if (fmt[0] == 't' && fmt[1] == 's' && fmt[2] != '\0' && fmt[3] == ':') {
        static const char units[] = "smun";
        static const int64_t ticks[] = {1, 1000, 1000000, 1000000000};
        const char *u = strchr(units, fmt[2]);
        if (u == NULL)
            return 0;
        ac->type = A_TS;
        ac->ticks_per_s = ticks[u - units];
        /* "tsu:" (no zone) is a wall-clock time; "tsu:UTC" an instant. */
        ac->cell_kind = fmt[4] == '\0' ? TSREC__CELL_LOCAL_TIME : TSREC__CELL_TIME;
    } else {
        return 0;
    }
    return 1;
}

static const char *FIELD_TYPE_NAMES[] = {"?",     "string", "integer", "long",     "float",
                                         "double", "boolean", "timestamp", "geolocation"};

static const char *field_type_name(int32_t t)
{
    return t >= 1 && t <= 8 ? FIELD_TYPE_NAMES[t] : "?";
}

/* ---- schema mapping ----------------------------------------------------- */

/* Check the batch schema and match its columns to the dataset's fields.
 * Structural problems are fatal (TSREC_E_FORMAT, TSREC_E_UNSUPPORTED);
 * name and type mismatches are recorded as bad rows (line 0), as CSV
 * header problems are. */
static int map_schema(tsrec__import *im, const struct ArrowSchema *sch, arrow_map *m)
{
    const tsrec_schema *s = tsrec__import_schema(im);
    tsrec__handle *eh = tsrec__import_eh(im);
    tsrec_ctx *ctx = tsrec__import_ctx(im);
    char msg[TSREC__ERRMSG_MAX];
    if (sch->format == NULL || strcmp(sch->format, "+s") != 0)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "Arrow schema format '%.32s' is not a record batch (a struct, '+s')",
                           sch->format != NULL ? sch->format : "(null)");
    if (sch->n_children < 0 || sch->n_children > 65536 ||
        (sch->n_children > 0 && sch->children == NULL))
        return tsrec__fail(eh, TSREC_E_FORMAT, "Arrow schema: %lld children%s",
                           (long long)sch->n_children,
                           sch->n_children > 0 ? " but no children array" : "");
    int64_t n = sch->n_children;
    size_t nf = (size_t)s->n_fields;
    m->n_cols = n;
    m->n_fields = s->n_fields;
    m->cols = tsrec__calloc(ctx, n > 0 ? (size_t)n : 1, sizeof(acol));
    m->num_text = tsrec__calloc(ctx, n > 0 ? (size_t)n : 1, NUM_TEXT);
    m->field_col = tsrec__calloc(ctx, nf, sizeof(int64_t));
    m->report_col = tsrec__calloc(ctx, nf, sizeof(int64_t));
    m->cells = tsrec__calloc(ctx, nf, sizeof(tsrec__cell));
    if (m->cols == NULL || m->num_text == NULL || m->field_col == NULL ||
        m->report_col == NULL || m->cells == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "Arrow import: out of memory");
    for (int64_t f = 0; f < s->n_fields; f++)
        m->field_col[f] = -1;
    int st = TSREC_OK;
    for (int64_t k = 0; k < n && st == TSREC_OK; k++) {
        const struct ArrowSchema *c = sch->children[k];
        acol *ac = &m->cols[k];
        if (c == NULL || c->format == NULL || c->name == NULL)
            return tsrec__fail(eh, TSREC_E_FORMAT, "Arrow schema: column %lld has no %s",
                               (long long)k + 1,
                               c == NULL ? "schema" : c->format == NULL ? "format" : "name");
        ac->name = c->name;
        ac->format = c->format;
        int ok;
        if (c->dictionary != NULL) {
            const struct ArrowSchema *d = c->dictionary;
            ac->dict = 1;
            ok = int_format(c->format, &ac->width, &ac->is_signed) && d->format != NULL &&
                 d->dictionary == NULL && d->n_children == 0 &&
                 (strcmp(d->format, "u") == 0 || strcmp(d->format, "U") == 0) &&
                 value_format(d->format, ac);
        } else {
            ok = c->n_children == 0 && value_format(c->format, ac);
        }
        if (!ok)
            return tsrec__fail(eh, TSREC_E_UNSUPPORTED,
                               "Arrow column '%.64s': format '%.32s'%s%.32s%s is not supported "
                               "(use utf8, dictionary-encoded utf8, integers, float32/64, "
                               "boolean, timestamps or dates)",
                               c->name, c->format, c->dictionary != NULL ? " (dictionary of '" : "",
                               c->dictionary != NULL && c->dictionary->format != NULL
                                   ? c->dictionary->format
                                   : "",
                               c->dictionary != NULL ? "')" : "");
        int64_t f = tsrec__schema_find(s, c->name);
        ac->field = f;
        if (f < 0) {
            snprintf(msg, sizeof(msg), "Arrow column '%.64s' is not a field of the schema",
                     c->name);
        } else if (m->field_col[f] >= 0) {
            snprintf(msg, sizeof(msg),
                     "duplicate Arrow column name '%.64s' (columns %lld and %lld)", c->name,
                     (long long)m->field_col[f] + 1, (long long)k + 1);
        } else {
            m->field_col[f] = k;
            if (ac->type == A_NULL || tsrec__import_accepts(im, f, ac->cell_kind))
                continue;
            if (ac->type == A_INT && s->fields[f].type == TSREC_FIELD_STRING) {
                ac->as_text = 1; /* integer ids are common: their decimal text */
                ac->cell_kind = TSREC__CELL_TEXT;
                continue;
            }
            snprintf(msg, sizeof(msg),
                     "Arrow column '%.64s' of format '%.32s' cannot hold the schema's %s field",
                     c->name, c->format, field_type_name(s->fields[f].type));
        }
        st = tsrec__import_bad_row(im, TSREC_E_SCHEMA, NULL, 0, k + 1, msg);
    }
    for (int64_t f = 0; f < s->n_fields && st == TSREC_OK; f++) {
        m->report_col[f] = m->field_col[f] + 1;
        int optional = s->service == TSREC_SERVICE_PERSONALIZE &&
                       (s->fields[f].flags & TSREC_FIELD_NULLABLE) != 0;
        if (m->field_col[f] >= 0 || optional)
            continue;
        snprintf(msg, sizeof(msg), "required field '%.64s' is missing from the Arrow columns",
                 s->fields[f].name);
        st = tsrec__import_bad_row(im, TSREC_E_SCHEMA, NULL, 0, 0, msg);
    }
    return st;
}

/* ---- array checks -------------------------------------------------------- */

/* Header checks common to every array: `slots` values from `offset` are
 * read (slots may be 0: nothing is read). */
static int check_header(tsrec__handle *eh, const struct ArrowArray *a, const char *what,
                        int64_t slots, int64_t n_buffers, int64_t n_children)
{
    if (a->length < 0 || a->offset < 0 || a->null_count < -1 || a->null_count > a->length)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "Arrow %s: invalid length %lld, offset %lld or null_count %lld", what,
                           (long long)a->length, (long long)a->offset, (long long)a->null_count);
    if (a->length > MAX_SLOTS || a->offset > MAX_SLOTS - a->length)
        return tsrec__fail(eh, TSREC_E_FORMAT, "Arrow %s: offset %lld + length %lld is too large",
                           what, (long long)a->offset, (long long)a->length);
    if (a->length < slots)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "Arrow %s: length %lld is shorter than the %lld values of the batch",
                           what, (long long)a->length, (long long)slots);
    if (a->n_buffers != n_buffers || (n_buffers > 0 && a->buffers == NULL))
        return tsrec__fail(eh, TSREC_E_FORMAT, "Arrow %s: %lld buffers%s, expected %lld", what,
                           (long long)a->n_buffers,
                           n_buffers > 0 && a->buffers == NULL ? " (NULL array)" : "",
                           (long long)n_buffers);
    if (a->n_children != n_children || (n_children > 0 && a->children == NULL))
        return tsrec__fail(eh, TSREC_E_FORMAT, "Arrow %s: %lld children, expected %lld", what,
                           (long long)a->n_children, (long long)n_children);
    if (n_buffers > 0 && a->buffers[0] == NULL && a->null_count > 0)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "Arrow %s: null_count %lld but no validity bitmap", what,
                           (long long)a->null_count);
    /* The values (or string offsets) buffer must be there when values are
     * read; a strings' data buffer may be NULL while every string is empty
     * (checked per value). */
    if (n_buffers > 1 && slots > 0 && a->buffers[1] == NULL)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "Arrow %s: buffer 1 is NULL with %lld values to read", what,
                           (long long)slots);
    return TSREC_OK;
}

/* Check one column of a batch whose struct holds `slots` values. */
static int check_column(tsrec__handle *eh, const acol *ac, const struct ArrowArray *c,
                        int64_t slots)
{
    char what[120];
    snprintf(what, sizeof(what), "column '%.64s'", ac->name);
    if (c == NULL)
        return tsrec__fail(eh, TSREC_E_FORMAT, "Arrow %s: NULL child array", what);
    int64_t nb = ac->dict ? 2
                 : ac->type == A_NULL ? 0
                 : ac->type == A_UTF8 || ac->type == A_LUTF8 ? 3
                                                             : 2;
    int st = check_header(eh, c, what, slots, nb, 0);
    if (st != TSREC_OK)
        return st;
    if (!ac->dict) {
        if (c->dictionary != NULL)
            return tsrec__fail(eh, TSREC_E_FORMAT,
                               "Arrow %s: a dictionary array for a plain column", what);
        return TSREC_OK;
    }
    const struct ArrowArray *d = c->dictionary;
    if (d == NULL)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "Arrow %s: dictionary-encoded but no dictionary array", what);
    snprintf(what, sizeof(what), "column '%.64s' dictionary", ac->name);
    /* Any entry may be referenced: all of them must be readable. */
    st = check_header(eh, d, what, d->length, 3, 0);
    if (st == TSREC_OK && d->dictionary != NULL)
        st = tsrec__fail(eh, TSREC_E_FORMAT, "Arrow %s: nested dictionary", what);
    return st;
}

/* ---- value reading -------------------------------------------------------- */

static int bit_at(const void *bitmap, int64_t i)
{
    return (((const unsigned char *)bitmap)[i >> 3] >> (i & 7)) & 1;
}

/* Is value i (an index including the array's offset) present? */
static int valid_at(const struct ArrowArray *a, int64_t i)
{
    return a->n_buffers == 0 || a->buffers[0] == NULL || a->null_count == 0 ||
           bit_at(a->buffers[0], i);
}

/* Integer i of a buffer of `width`-byte integers (memcpy: Arrow buffers
 * need not be aligned for us). *big is set when an unsigned 64-bit value
 * exceeds INT64_MAX. */
static int64_t int_at(const void *buf, int64_t i, int32_t width, int32_t is_signed, int *big)
{
    const unsigned char *p = (const unsigned char *)buf + (size_t)i * (size_t)width;
    *big = 0;
    if (width == 1) {
        int8_t s8;
        uint8_t u8;
        memcpy(&s8, p, 1);
        memcpy(&u8, p, 1);
        return is_signed ? s8 : u8;
    }
    if (width == 2) {
        int16_t s16;
        uint16_t u16;
        memcpy(&s16, p, 2);
        memcpy(&u16, p, 2);
        return is_signed ? s16 : u16;
    }
    if (width == 4) {
        int32_t s32;
        uint32_t u32;
        memcpy(&s32, p, 4);
        memcpy(&u32, p, 4);
        return is_signed ? (int64_t)s32 : (int64_t)u32;
    }
    int64_t s64;
    uint64_t u64;
    memcpy(&s64, p, 8);
    memcpy(&u64, p, 8);
    if (is_signed)
        return s64;
    if (u64 > (uint64_t)INT64_MAX) {
        *big = 1;
        return 0;
    }
    return (int64_t)u64;
}

/* Floor division (b > 0): sub-second parts go toward the past. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* String i (offset included) of a utf8 / large utf8 array. */
static int string_at(tsrec__handle *eh, const acol *ac, const struct ArrowArray *a, int64_t i,
                     int large, const char **out, size_t *out_len)
{
    int64_t start, end;
    int big;
    start = int_at(a->buffers[1], i, large ? 8 : 4, 1, &big);
    end = int_at(a->buffers[1], i + 1, large ? 8 : 4, 1, &big);
    if (start < 0 || end < start)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "Arrow column '%.64s': string offsets %lld..%lld of value %lld are "
                           "invalid", ac->name, (long long)start, (long long)end,
                           (long long)(i - a->offset));
    if (end > start && a->buffers[2] == NULL)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "Arrow column '%.64s': NULL data buffer with non-empty strings",
                           ac->name);
    *out = end > start ? (const char *)a->buffers[2] + start : "";
    *out_len = (size_t)(end - start);
    return TSREC_OK;
}

/* Fill `cell` with value `slot` (struct-relative) of column ac. Returns
 * TSREC_OK; a bad value (reason in why, status returned); or a fatal
 * status with why left empty. */
static int read_cell(tsrec__handle *eh, arrow_map *m, int64_t k, const struct ArrowArray *c,
                     int64_t slot, tsrec__cell *cell, char *why, size_t why_cap)
{
    const acol *ac = &m->cols[k];
    int64_t i = c->offset + slot;
    memset(cell, 0, sizeof(*cell));
    cell->kind = ac->cell_kind;
    if (ac->type == A_NULL || !valid_at(c, i))
        return TSREC_OK; /* missing */
    int big = 0;
    const struct ArrowArray *txt = c;
    if (ac->dict) {
        const struct ArrowArray *d = c->dictionary;
        int64_t j = int_at(c->buffers[1], i, ac->width, ac->is_signed, &big);
        if (big || j < 0 || j >= d->length)
            return tsrec__fail(eh, TSREC_E_FORMAT,
                               "Arrow column '%.64s': dictionary index %lld of value %lld is "
                               "outside the dictionary's %lld entries",
                               ac->name, big ? -1LL : (long long)j, (long long)slot,
                               (long long)d->length);
        i = d->offset + j;
        if (!valid_at(d, i))
            return TSREC_OK;
        txt = d;
    }
    cell->present = 1;
    int st;
    switch (ac->type) {
    case A_BOOL:
        cell->i = bit_at(c->buffers[1], i);
        return TSREC_OK;
    case A_INT:
        cell->i = int_at(c->buffers[1], i, ac->width, ac->is_signed, &big);
        if (big) {
            uint64_t v;
            memcpy(&v, (const unsigned char *)c->buffers[1] + (size_t)i * 8, 8);
            snprintf(why, why_cap, "column '%.64s': %llu is out of range for a long (64-bit)",
                     ac->name, (unsigned long long)v);
            return TSREC_E_PARSE;
        }
        if (ac->as_text) {
            char *t = m->num_text + (size_t)k * NUM_TEXT;
            int n = snprintf(t, NUM_TEXT, "%lld", (long long)cell->i);
            cell->ptr = t;
            cell->len = (size_t)n;
        }
        return TSREC_OK;
    case A_F32: {
        float v;
        memcpy(&v, (const unsigned char *)c->buffers[1] + (size_t)i * 4, 4);
        cell->d = v;
        return TSREC_OK;
    }
    case A_F64:
        memcpy(&cell->d, (const unsigned char *)c->buffers[1] + (size_t)i * 8, 8);
        return TSREC_OK;
    case A_TS:
        cell->i = floor_div(int_at(c->buffers[1], i, 8, 1, &big), ac->ticks_per_s);
        return TSREC_OK;
    case A_DATE32:
        cell->i = int_at(c->buffers[1], i, 4, 1, &big) * (int64_t)86400;
        return TSREC_OK;
    case A_DATE64:
        cell->i = floor_div(int_at(c->buffers[1], i, 8, 1, &big), 1000);
        return TSREC_OK;
    case A_UTF8:
    case A_LUTF8:
        st = string_at(eh, ac, txt, i, ac->type == A_LUTF8, &cell->ptr, &cell->len);
        if (st != TSREC_OK)
            return st;
        st = tsrec__text_check(cell->ptr, cell->len, why, why_cap);
        return st;
    default:
        return tsrec__fail(eh, TSREC_E_FORMAT, "Arrow column '%.64s': unknown type", ac->name);
    }
}

/* ---- batches ---------------------------------------------------------------- */

/* Import one record batch; *row_base counts rows across batches (report
 * lines are 1-based row numbers). */
static int import_batch(tsrec__import *im, arrow_map *m, const struct ArrowArray *a,
                        int64_t batch, int64_t *row_base)
{
    tsrec__handle *eh = tsrec__import_eh(im);
    char what[64];
    snprintf(what, sizeof(what), "record batch %lld", (long long)batch);
    int st = check_header(eh, a, what, 0, 1, m->n_cols);
    if (st != TSREC_OK)
        return st;
    /* Child values the struct addresses (none when it has no rows). */
    int64_t slots = a->length > 0 ? a->offset + a->length : 0;
    for (int64_t k = 0; k < m->n_cols; k++) {
        st = check_column(eh, &m->cols[k], a->children[k], slots);
        if (st != TSREC_OK)
            return st;
    }
    char why[TSREC__ERRMSG_MAX];
    for (int64_t r = 0; r < a->length; r++) {
        if (tsrec__import_full_of_errors(im))
            break;
        int64_t slot = a->offset + r;
        int row_null = !valid_at(a, slot);
        int bad = 0;
        for (int64_t f = 0; f < m->n_fields && !bad; f++) {
            int64_t k = m->field_col[f];
            tsrec__cell *cell = &m->cells[f];
            if (k < 0 || row_null) {
                memset(cell, 0, sizeof(*cell));
                continue;
            }
            why[0] = '\0';
            st = read_cell(eh, m, k, a->children[k], slot, cell, why, sizeof(why));
            if (st == TSREC_OK)
                continue;
            if (why[0] == '\0')
                return st; /* malformed array */
            bad = 1;
            st = tsrec__import_bad_row(im, st, NULL, *row_base + r + 1, k + 1, why);
            if (st != TSREC_OK)
                return st;
        }
        if (!bad) {
            st = tsrec__import_row(im, m->cells, m->report_col, NULL, *row_base + r + 1);
            if (st != TSREC_OK)
                return st;
        }
    }
    *row_base += a->length;
    return TSREC_OK;
}

/* A fatal error also goes into the report, as CSV I/O errors do. */
static int fatal(tsrec__import *im, int st)
{
    tsrec__handle *eh = tsrec__import_eh(im);
    if (st != TSREC_OK && st != TSREC_E_NOMEM && st != TSREC_E_CANCELLED)
        (void)tsrec__report_add(tsrec__import_report(im), eh, NULL, 0, 0, eh->errmsg);
    return st;
}

/* ---- public entry points ---------------------------------------------------- */

int tsrec_dataset_import_arrow(tsrec_dataset *dataset, const struct ArrowSchema *schema,
                               const struct ArrowArray *array, const tsrec_import_options *opts,
                               tsrec_import_report **out_report)
{
    if (out_report != NULL)
        *out_report = NULL;
    TSREC__CHECK(dataset, TSREC__MAGIC_DATASET, "tsrec_dataset_import_arrow", "tsrec_dataset");
    tsrec__handle *eh = &dataset->hdr;
    if (schema == NULL || array == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_dataset_import_arrow: NULL %s",
                           schema == NULL ? "schema" : "array");
    if (schema->release == NULL || array->release == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_dataset_import_arrow: the %s was already released",
                           schema->release == NULL ? "schema" : "array");
    tsrec__import *im = NULL;
    int st = tsrec__import_begin(dataset, opts, TSREC_IMPORT_FULL, &im);
    if (st != TSREC_OK)
        return st;
    arrow_map m;
    memset(&m, 0, sizeof(m));
    st = map_schema(im, schema, &m);
    int64_t rows = 0;
    /* Columns that do not match the schema fail the import: no rows. */
    if (st == TSREC_OK && tsrec__import_report(im)->n_errors == 0)
        st = import_batch(im, &m, array, 1, &rows);
    map_free(&m, dataset->hdr.ctx);
    return tsrec__import_end(im, fatal(im, st), "an Arrow record batch", out_report);
}

/* Stream errors: errno and the producer's message, copied at once (it is
 * valid only until the next call on the stream). */
static int stream_fail(tsrec__handle *eh, struct ArrowArrayStream *stream, const char *call,
                       int rc)
{
    const char *e = stream->get_last_error != NULL ? stream->get_last_error(stream) : NULL;
    return tsrec__fail(eh, TSREC_E_IO, "Arrow stream %s failed (error %d): %.300s", call, rc,
                       e != NULL ? e : "no message");
}

int tsrec_dataset_import_arrow_stream(tsrec_dataset *dataset, struct ArrowArrayStream *stream,
                                      const tsrec_import_options *opts,
                                      tsrec_import_report **out_report)
{
    if (out_report != NULL)
        *out_report = NULL;
    TSREC__CHECK(dataset, TSREC__MAGIC_DATASET, "tsrec_dataset_import_arrow_stream",
                 "tsrec_dataset");
    tsrec__handle *eh = &dataset->hdr;
    if (stream == NULL || stream->release == NULL || stream->get_schema == NULL ||
        stream->get_next == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_dataset_import_arrow_stream: %s",
                           stream == NULL              ? "NULL stream"
                           : stream->release == NULL ? "the stream was already released"
                                                     : "the stream has no get_schema/get_next");
    tsrec__import *im = NULL;
    int st = tsrec__import_begin(dataset, opts, TSREC_IMPORT_FULL, &im);
    if (st != TSREC_OK)
        return st;
    arrow_map m;
    memset(&m, 0, sizeof(m));
    struct ArrowSchema sch;
    memset(&sch, 0, sizeof(sch));
    int rc = stream->get_schema(stream, &sch);
    if (rc != 0) {
        sch.release = NULL; /* not ours on failure */
        st = stream_fail(eh, stream, "get_schema", rc);
    } else if (sch.release == NULL) {
        st = tsrec__fail(eh, TSREC_E_FORMAT, "Arrow stream get_schema gave a released schema");
    } else {
        st = map_schema(im, &sch, &m);
    }
    /* Columns that do not match the schema fail the import: no batches. */
    int mapped = st == TSREC_OK && tsrec__import_report(im)->n_errors == 0;
    int64_t rows = 0;
    for (int64_t batch = 1; mapped && st == TSREC_OK; batch++) {
        if (tsrec__import_full_of_errors(im))
            break; /* enough bad rows listed: the import fails anyway */
        struct ArrowArray arr;
        memset(&arr, 0, sizeof(arr));
        rc = stream->get_next(stream, &arr);
        if (rc != 0) {
            st = stream_fail(eh, stream, "get_next", rc);
            break;
        }
        if (arr.release == NULL)
            break; /* end of stream */
        st = import_batch(im, &m, &arr, batch, &rows);
        /* Copied (or failed): the batch goes back to its producer. */
        arr.release(&arr);
    }
    if (sch.release != NULL)
        sch.release(&sch);
    map_free(&m, dataset->hdr.ctx);
    return tsrec__import_end(im, fatal(im, st), "an Arrow stream", out_report);
}
