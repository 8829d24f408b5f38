/* Streaming RFC 4180 CSV reader: see csv_internal.h for the rules.
 *
 * The reader keeps one buffer holding the record being parsed. A record is
 * parsed by a resumable state machine: when the buffer runs out in the
 * middle of a record, the partial record is moved to the front, the buffer
 * grows if the record fills it, and parsing resumes where it stopped (all
 * positions are offsets, so moving the bytes is enough). Quoted fields are
 * unescaped in place (the write position never passes the read position),
 * so no field is ever copied elsewhere or allocated.
 *
 * The hot loop skips ordinary bytes with a 256-entry class table; only
 * separators, quotes, newlines, NUL and non-ASCII bytes stop it. */
#include <stdio.h>
#include <string.h>

#include "csv_internal.h"
#include "utf8_internal.h"

enum state {
    ST_FIELD_START, /* before the first byte of a field */
    ST_UNQUOTED,    /* inside an unquoted field */
    ST_QUOTED,      /* inside "..." */
    ST_QUOTE_SEEN,  /* a quote inside "...": "" escape or closing quote */
    ST_AFTER_QUOTE  /* after the closing quote: expect ',', LF or CRLF */
};

/* Byte classes: non-zero stops the fast scan. Both stop at NUL, LF, '"'
 * and every non-ASCII byte (UTF-8 is checked there); outside quotes ','
 * stops too. */
#define Z16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define O16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define ROW00 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 /* NUL, LF */
#define ROW20_UNQUOTED 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 /* '"', ',' */
#define ROW20_QUOTED 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0  /* '"' */
static const unsigned char stop_unquoted[256] = {
    ROW00, Z16, ROW20_UNQUOTED, Z16, Z16, Z16, Z16, Z16,
    O16, O16, O16, O16, O16, O16, O16, O16};
static const unsigned char stop_quoted[256] = {
    ROW00, Z16, ROW20_QUOTED, Z16, Z16, Z16, Z16, Z16,
    O16, O16, O16, O16, O16, O16, O16, O16};
_Static_assert(sizeof stop_unquoted == 256 && sizeof stop_quoted == 256, "byte tables");

/* First byte in [s, lim) whose class in `tbl` is non-zero, or lim. With
 * SSE2 (every x86-64) 16 bytes are classified per step: most fields end
 * within the first block. The `quoted` flag leaves ',' out, as the table
 * does. */
#if defined(__SSE2__)
#include <emmintrin.h>
static inline size_t skip_plain(const unsigned char *b, size_t s, size_t lim,
                                const unsigned char *tbl, int quoted)
{
    const __m128i comma = _mm_set1_epi8(quoted ? '"' : ','), lf = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    while (s < lim && lim - s >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + s));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, zero)));
        /* movemask of v itself flags bytes >= 0x80 */
        unsigned mask = (unsigned)_mm_movemask_epi8(hit) | (unsigned)_mm_movemask_epi8(v);
        if (mask != 0)
            return s + (size_t)__builtin_ctz(mask);
        s += 16;
    }
    while (s < lim && !tbl[b[s]])
        s++;
    return s;
}
#else
static inline size_t skip_plain(const unsigned char *b, size_t s, size_t lim,
                                const unsigned char *tbl, int quoted)
{
    (void)quoted;
    while (s < lim && !tbl[b[s]])
        s++;
    return s;
}
#endif

typedef struct field_pos {
    size_t off, len;
} field_pos;

struct tsrec__csv_reader {
    tsrec_ctx *ctx;
    tsrec__source *src;
    tsrec__csv_options opt;

    unsigned char *buf;
    size_t cap;
    size_t beg;   /* start of the current record */
    size_t scan;  /* next byte to examine */
    size_t end;   /* end of valid bytes */
    uint64_t base; /* input offset of buf[0] */
    int src_eof;
    int bom_checked;

    /* current record */
    int st;
    size_t fbeg;  /* first output byte of the current field */
    size_t wr;    /* write position inside a quoted field */
    int64_t n_fields;
    int64_t line;       /* physical line of buf[scan] */
    int64_t rec_line;
    int64_t quote_line; /* line where the current quoted field opened */
    int skipping;       /* a record-level error was found: consume the rest */
    field_pos *pos;     /* max_fields */
    tsrec__csv_field *views;

    tsrec__csv_error err;
    int fatal;          /* sticky fatal status, 0 = none */
    char fatal_msg[TSREC__ERRMSG_MAX];
};

int tsrec__csv_reader_new(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__source *src,
                          const tsrec__csv_options *opts, tsrec__csv_reader **out)
{
    *out = NULL;
    if (src == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "CSV reader: NULL source");
    tsrec__csv_options o = {0, 0, 0, 0};
    if (opts != NULL)
        o = *opts;
    if (o.max_field_bytes == 0)
        o.max_field_bytes = TSREC__CSV_DEFAULT_MAX_FIELD;
    if (o.max_fields <= 0)
        o.max_fields = TSREC__CSV_DEFAULT_MAX_FIELDS;
    if (o.max_record_bytes == 0)
        o.max_record_bytes = TSREC__CSV_DEFAULT_MAX_RECORD;
    if (o.buffer_bytes == 0)
        o.buffer_bytes = TSREC__CSV_DEFAULT_BUFFER;
    if (o.buffer_bytes < 16)
        o.buffer_bytes = 16;
    if (o.max_fields > ((int64_t)1 << 24)) {
        tsrec__source_free(src);
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "CSV reader: max_fields %lld above %lld",
                           (long long)o.max_fields, (long long)1 << 24);
    }
    tsrec__csv_reader *r = tsrec__calloc(ctx, 1, sizeof *r);
    unsigned char *buf = tsrec__alloc(ctx, o.buffer_bytes);
    field_pos *pos = tsrec__calloc(ctx, (size_t)o.max_fields, sizeof *pos);
    tsrec__csv_field *views = tsrec__calloc(ctx, (size_t)o.max_fields, sizeof *views);
    if (r == NULL || buf == NULL || pos == NULL || views == NULL) {
        tsrec__free(ctx, r);
        tsrec__free(ctx, buf);
        tsrec__free(ctx, pos);
        tsrec__free(ctx, views);
        tsrec__source_free(src);
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory creating a CSV reader");
    }
    r->ctx = ctx;
    r->src = src;
    r->opt = o;
    r->buf = buf;
    r->cap = o.buffer_bytes;
    r->pos = pos;
    r->views = views;
    r->line = 1;
    *out = r;
    return TSREC_OK;
}

void tsrec__csv_reader_free(tsrec__csv_reader *r)
{
    if (r == NULL)
        return;
    tsrec_ctx *ctx = r->ctx;
    tsrec__source_free(r->src);
    tsrec__free(ctx, r->buf);
    tsrec__free(ctx, r->pos);
    tsrec__free(ctx, r->views);
    tsrec__free(ctx, r);
}

const tsrec__csv_error *tsrec__csv_last_error(const tsrec__csv_reader *r)
{
    return &r->err;
}

uint64_t tsrec__csv_bytes_read(const tsrec__csv_reader *r)
{
    return r->base + r->scan;
}

/* ---- errors -------------------------------------------------------------- */

/* First record-level error of the current record: remember it and consume
 * the rest of the record without storing anything. */
static void bad_record(tsrec__csv_reader *r, const char *reason, int64_t line)
{
    if (r->skipping)
        return;
    r->skipping = 1;
    r->err.line = line;
    r->err.column = r->n_fields + 1;
    r->err.record_line = r->rec_line;
    r->err.offset = r->base + r->scan;
    snprintf(r->err.reason, sizeof r->err.reason, "%s", reason);
}

static int fatal(tsrec__csv_reader *r, int status)
{
    r->fatal = status;
    snprintf(r->fatal_msg, sizeof r->fatal_msg, "%s", tsrec_last_error());
    return status;
}

/* ---- buffer --------------------------------------------------------------- */

/* Make room and read more input. Keeps [beg, end) (just [scan, end) when
 * skipping a bad record). Returns TSREC_OK (r->src_eof set at end of
 * input) or a fatal status. */
static int refill(tsrec__csv_reader *r, tsrec__handle *eh)
{
    if (r->skipping) {
        r->beg = r->scan;
        r->fbeg = r->wr = r->scan;
    }
    size_t shift = r->beg;
    if (shift > 0) {
        memmove(r->buf, r->buf + shift, r->end - shift);
        r->beg -= shift;
        r->scan -= shift;
        r->end -= shift;
        r->fbeg -= shift;
        r->wr -= shift;
        r->base += shift;
        for (int64_t i = 0; i < r->n_fields; i++)
            r->pos[i].off -= shift;
    }
    if (r->end == r->cap) {
        /* The record fills the buffer: grow it, within the record limit. */
        size_t limit = r->opt.max_record_bytes + 4; /* + CRLF and slack */
        size_t ncap = r->cap > limit / 2 ? limit : r->cap * 2;
        if (ncap <= r->cap)
            return TSREC_OK; /* caller reports the record as too long */
        unsigned char *nb = tsrec__realloc(r->ctx, r->buf, ncap);
        if (nb == NULL)
            return fatal(r, tsrec__fail(eh, TSREC_E_NOMEM,
                                        "out of memory growing the CSV buffer to %zu bytes", ncap));
        r->buf = nb;
        r->cap = ncap;
    }
    size_t n = 0;
    int rc = r->src->read(r->src, eh, r->buf + r->end, r->cap - r->end, &n);
    if (rc != TSREC_OK)
        return fatal(r, rc);
    if (n == 0)
        r->src_eof = 1;
    r->end += n;
    return TSREC_OK;
}

/* ---- fields --------------------------------------------------------------- */

static void too_long(tsrec__csv_reader *r, int field);

/* A field ended: store it, or report why it cannot be stored. */
static void end_field_slow(tsrec__csv_reader *r, size_t off, size_t len)
{
    if (r->skipping)
        return;
    if (len > r->opt.max_field_bytes) {
        too_long(r, 1);
        return;
    }
    if (r->scan - r->beg > r->opt.max_record_bytes) {
        too_long(r, 0);
        return;
    }
    if (r->n_fields == r->opt.max_fields) {
        char why[96];
        snprintf(why, sizeof why, "more than %lld fields", (long long)r->opt.max_fields);
        bad_record(r, why, r->line);
        return;
    }
    r->pos[r->n_fields].off = off;
    r->pos[r->n_fields].len = len;
    r->n_fields++;
}

/* The common case inline: called for every field. */
static inline void end_field(tsrec__csv_reader *r, size_t off, size_t len)
{
    if (!r->skipping && len <= r->opt.max_field_bytes && r->n_fields < r->opt.max_fields &&
        r->scan - r->beg <= r->opt.max_record_bytes) {
        r->pos[r->n_fields].off = off;
        r->pos[r->n_fields].len = len;
        r->n_fields++;
        return;
    }
    end_field_slow(r, off, len);
}

/* Length limits are checked at fixed byte positions (never at buffer
 * refills), so the first error of a record is the same whatever the
 * buffer size: the scan loops stop at the byte that makes the field or the
 * record too long. */
static void too_long(tsrec__csv_reader *r, int field)
{
    char why[96];
    if (field)
        snprintf(why, sizeof why, "field longer than %zu bytes", r->opt.max_field_bytes);
    else
        snprintf(why, sizeof why, "record longer than %zu bytes", r->opt.max_record_bytes);
    bad_record(r, why, r->line);
}

/* Where the fast scan must stop: the buffer end, or (when not skipping)
 * the byte that would exceed a limit. `field_room` = field bytes still
 * allowed before the field is too long. */
static size_t scan_limit(const tsrec__csv_reader *r, size_t e, size_t field_room)
{
    if (r->skipping)
        return e;
    size_t lim = e;
    size_t rlim = r->beg + r->opt.max_record_bytes + 1;
    if (rlim < r->scan)
        rlim = r->scan; /* already past it (special bytes): stop at once */
    if (rlim < lim)
        lim = rlim;
    if (field_room < lim - r->scan)
        lim = r->scan + field_room;
    return lim;
}

/* The scan stopped at lim before the buffer end: which limit was hit. */
static void limit_hit(tsrec__csv_reader *r, size_t s)
{
    too_long(r, s - r->beg <= r->opt.max_record_bytes);
}

/* A non-ASCII byte at scan: 1 = valid sequence of *len bytes, 0 = invalid,
 * -1 = need more input. */
static int utf8_at(tsrec__csv_reader *r, size_t *len)
{
    int n = tsrec__utf8_seq(r->buf + r->scan, r->end - r->scan);
    if (n > 0) {
        *len = (size_t)n;
        return 1;
    }
    if (n < 0 && !r->src_eof)
        return -1;
    return 0;
}

static void bad_byte(tsrec__csv_reader *r, unsigned char c)
{
    if (c == 0)
        bad_record(r, "NUL byte", r->line);
    else
        bad_record(r, "invalid UTF-8", r->line);
}

/* ---- the state machine ---------------------------------------------------- */

static void start_record(tsrec__csv_reader *r)
{
    r->beg = r->scan;
    r->st = ST_FIELD_START;
    r->n_fields = 0;
    r->skipping = 0;
    r->rec_line = r->line;
    r->fbeg = r->wr = r->scan;
}

/* Record finished: 1 = a record (or a bad one) is complete, 0 = it was a
 * blank line, start over. */
static int blank_line(const tsrec__csv_reader *r, size_t len)
{
    return r->n_fields == 0 && len == 0 && !r->skipping;
}

/* Fast path for the common record: unquoted ASCII fields, all within the
 * limits, ending in LF (or CRLF) inside the buffer. 16 bytes are
 * classified per step and every ',' before the first special byte ends a
 * field, so a short field costs a few instructions instead of a pass
 * through the state machine. Anything else (a quote, NUL, non-ASCII byte,
 * a limit that might be reached, the buffer end) returns 0 with the
 * fields found so far stored and the reader at the start of the current
 * field in ST_FIELD_START, exactly where the state machine would be, so it
 * carries on from there and words any error itself. The checks here are
 * at least as strict as the state machine's: a record accepted here is
 * one it accepts with the same fields. 1 = a record is complete. */
#if defined(__SSE2__)
static int fast_record(tsrec__csv_reader *r)
{
    const unsigned char *b = r->buf;
    const size_t e = r->end;
    const size_t max_field = r->opt.max_field_bytes, max_record = r->opt.max_record_bytes;
    const int64_t max_fields = r->opt.max_fields;
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    size_t fs = r->scan, s = r->scan; /* field start, block start */
    int64_t nf = r->n_fields;
    for (;;) {
        if (e - s < 16)
            break;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + s));
        unsigned mc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
        __m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, quote)),
                                  _mm_cmpeq_epi8(v, zero));
        /* movemask of v itself flags bytes >= 0x80 */
        unsigned ms = (unsigned)_mm_movemask_epi8(sp) | (unsigned)_mm_movemask_epi8(v);
        if (ms != 0)
            mc &= (ms & (0u - ms)) - 1; /* commas before the first special byte */
        while (mc != 0) {
            size_t pos = s + (size_t)__builtin_ctz(mc);
            if (pos - fs > max_field || nf >= max_fields || pos + 1 - r->beg > max_record)
                goto slow;
            r->pos[nf].off = fs;
            r->pos[nf].len = pos - fs;
            nf++;
            fs = pos + 1;
            mc &= mc - 1;
        }
        if (ms != 0) {
            size_t pos = s + (size_t)__builtin_ctz(ms);
            if (b[pos] != '\n')
                goto slow;
            size_t len = pos - fs;
            if (len > 0 && b[pos - 1] == '\r')
                len--;
            if (nf == 0 && len == 0) { /* blank line: not a record */
                r->line++;
                r->scan = pos + 1;
                start_record(r);
                fs = s = pos + 1;
                continue;
            }
            if (len > max_field || nf >= max_fields || pos + 1 - r->beg > max_record)
                goto slow;
            r->pos[nf].off = fs;
            r->pos[nf].len = len;
            r->n_fields = nf + 1;
            r->scan = pos + 1;
            r->line++;
            return 1;
        }
        s += 16;
    }
slow:
    r->n_fields = nf;
    r->scan = r->fbeg = r->wr = fs;
    r->st = ST_FIELD_START;
    return 0;
}
#else
static int fast_record(tsrec__csv_reader *r)
{
    (void)r;
    return 0;
}
#endif

/* Parse until a record is complete. Returns TSREC_OK with *done = 1 for a
 * record, *done = 0 at end of input; or a fatal status. */
static int parse_record(tsrec__csv_reader *r, tsrec__handle *eh, int *done)
{
    const unsigned char *uq = stop_unquoted, *qt = stop_quoted;
    start_record(r);
    if (fast_record(r)) {
        *done = 1;
        return TSREC_OK;
    }
    for (;;) {
        unsigned char *b = r->buf;
        size_t e = r->end;
        size_t s = r->scan;
        int need = 0;
        switch (r->st) {
        case ST_FIELD_START:
            if (s == e) {
                need = 1;
                break;
            }
            r->fbeg = r->wr = s;
            if (b[s] == '"') {
                r->scan = s + 1;
                r->fbeg = r->wr = s + 1;
                r->quote_line = r->line;
                r->st = ST_QUOTED;
                break;
            }
            r->st = ST_UNQUOTED;
            /* fall through */
        case ST_UNQUOTED: {
            /* max + 2 raw bytes are too many even if the last is a CR
             * that a following LF would strip */
            size_t used = s - r->fbeg, room = r->opt.max_field_bytes + 2;
            size_t lim = scan_limit(r, e, room > used ? room - used : 0);
            s = skip_plain(b, s, lim, uq, 0);
            r->scan = s;
            if (s == lim && lim < e) {
                limit_hit(r, s);
                break;
            }
            if (s == e) {
                need = 1;
                break;
            }
            unsigned char c = b[s];
            if (c == ',') {
                end_field(r, r->fbeg, s - r->fbeg);
                r->scan = s + 1;
                r->st = ST_FIELD_START;
            } else if (c == '\n') {
                size_t len = s - r->fbeg;
                if (len > 0 && b[s - 1] == '\r')
                    len--;
                r->scan = s + 1;
                if (blank_line(r, len)) {
                    r->line++;
                    start_record(r);
                    break;
                }
                end_field(r, r->fbeg, len);
                r->line++;
                *done = 1;
                return TSREC_OK;
            } else if (c == '"') {
                bad_record(r, "quote inside an unquoted field", r->line);
                r->scan = s + 1;
            } else if (c == 0) {
                bad_byte(r, c);
                r->scan = s + 1;
            } else {
                size_t n = 1;
                int v = utf8_at(r, &n);
                if (v < 0) {
                    need = 1;
                    break;
                }
                if (v == 0)
                    bad_byte(r, c);
                r->scan = s + n;
            }
            break;
        }
        case ST_QUOTED: {
            size_t from = s;
            size_t used = r->wr - r->fbeg, room = r->opt.max_field_bytes + 1;
            size_t lim = scan_limit(r, e, room > used ? room - used : 0);
            s = skip_plain(b, s, lim, qt, 1);
            if (r->wr != from && !r->skipping)
                memmove(b + r->wr, b + from, s - from);
            r->wr += s - from;
            r->scan = s;
            if (s == lim && lim < e) {
                limit_hit(r, s);
                break;
            }
            if (s == e) {
                need = 1;
                break;
            }
            unsigned char c = b[s];
            size_t n = 1;
            if (c == '"') {
                r->scan = s + 1;
                r->st = ST_QUOTE_SEEN;
                break;
            }
            if (c == '\n') {
                r->line++;
            } else if (c == 0) {
                bad_byte(r, c);
            } else {
                int v = utf8_at(r, &n);
                if (v < 0) {
                    need = 1;
                    break;
                }
                if (v == 0)
                    bad_byte(r, c);
            }
            if (!r->skipping)
                memmove(b + r->wr, b + s, n);
            r->wr += n;
            r->scan = s + n;
            if (!r->skipping && r->wr - r->fbeg > r->opt.max_field_bytes)
                too_long(r, 1);
            break;
        }
        case ST_QUOTE_SEEN:
            if (s == e) {
                need = 1;
                break;
            }
            if (b[s] == '"') { /* "" = one quote */
                if (!r->skipping)
                    b[r->wr] = '"';
                r->wr++;
                r->scan = s + 1;
                r->st = ST_QUOTED;
                if (!r->skipping && r->wr - r->fbeg > r->opt.max_field_bytes)
                    too_long(r, 1);
                break;
            }
            end_field(r, r->fbeg, r->wr - r->fbeg);
            r->st = ST_AFTER_QUOTE;
            /* fall through */
        case ST_AFTER_QUOTE:
            if (s == e) {
                need = 1;
                break;
            }
            if (b[s] == ',') {
                r->scan = s + 1;
                r->st = ST_FIELD_START;
            } else if (b[s] == '\n') {
                r->scan = s + 1;
                r->line++;
                *done = 1;
                return TSREC_OK;
            } else if (b[s] == '\r' && s + 1 < e && b[s + 1] == '\n') {
                r->scan = s + 2;
                r->line++;
                *done = 1;
                return TSREC_OK;
            } else if (b[s] == '\r' && s + 1 == e) {
                if (!r->src_eof) {
                    need = 1; /* CR at the buffer end: is LF next? */
                } else { /* CR as the last byte of the input ends the record */
                    r->scan = e;
                    *done = 1;
                    return TSREC_OK;
                }
            } else {
                /* Keep reading the rest as unquoted bytes to find the end
                 * of the record. */
                bad_record(r, "characters after a closing quote", r->line);
                if (r->err.column > 1 && r->err.column == r->n_fields + 1)
                    r->err.column--; /* the quoted field was already stored */
                r->st = ST_UNQUOTED;
            }
            break;
        }
        if (!need)
            continue;

        /* Out of bytes in the middle of a record. */
        if (!r->src_eof) {
            size_t before = r->end - r->beg;
            int rc = refill(r, eh);
            if (rc != TSREC_OK)
                return rc;
            if (!r->src_eof && r->end - r->beg == before && !r->skipping) {
                /* Full buffer at its limit: the record is too long. */
                char why[96];
                snprintf(why, sizeof why, "record longer than %zu bytes",
                         r->opt.max_record_bytes);
                bad_record(r, why, r->line);
            }
            continue;
        }
        /* End of input: close the record as it stands. */
        switch (r->st) {
        case ST_FIELD_START:
            if (r->n_fields == 0 && !r->skipping) {
                *done = 0; /* nothing left */
                return TSREC_OK;
            }
            end_field(r, r->scan, 0); /* "a,b," ends with an empty field */
            break;
        case ST_UNQUOTED: {
            size_t len = r->scan - r->fbeg;
            if (len > 0 && r->buf[r->scan - 1] == '\r')
                len--;
            end_field(r, r->fbeg, len);
            break;
        }
        case ST_QUOTED:
            bad_record(r, "unterminated quoted field at end of input", r->quote_line);
            break;
        case ST_QUOTE_SEEN:
            end_field(r, r->fbeg, r->wr - r->fbeg);
            break;
        default: /* ST_AFTER_QUOTE: the field is already stored */
            break;
        }
        *done = 1;
        return TSREC_OK;
    }
}

int tsrec__csv_next(tsrec__csv_reader *r, tsrec__handle *eh, tsrec__csv_record *out)
{
    out->fields = NULL;
    out->n_fields = 0;
    out->line = 0;
    out->offset = 0;
    if (r->fatal)
        return tsrec__fail(eh, r->fatal, "%s", r->fatal_msg);
    if (!r->bom_checked) {
        /* A UTF-8 BOM (EF BB BF) at the very start is not data. */
        while (r->end - r->scan < 3 && !r->src_eof) {
            int rc = refill(r, eh);
            if (rc != TSREC_OK)
                return rc;
        }
        if (r->end - r->scan >= 3 && r->buf[r->scan] == 0xEF && r->buf[r->scan + 1] == 0xBB &&
            r->buf[r->scan + 2] == 0xBF)
            r->scan += 3;
        r->bom_checked = 1;
    }
    int done = 0;
    int rc = parse_record(r, eh, &done);
    if (rc != TSREC_OK)
        return rc;
    if (!done)
        return TSREC_OK;
    if (r->skipping)
        return tsrec__fail(eh, TSREC_E_PARSE, "CSV: %s at line %lld column %lld",
                           r->err.reason, (long long)r->err.line, (long long)r->err.column);
    for (int64_t i = 0; i < r->n_fields; i++) {
        r->views[i].ptr = (const char *)r->buf + r->pos[i].off;
        r->views[i].len = r->pos[i].len;
    }
    out->fields = r->views;
    out->n_fields = r->n_fields;
    out->line = r->rec_line;
    out->offset = r->base + r->beg;
    return TSREC_OK;
}
