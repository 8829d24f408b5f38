/* CSV reader and byte sources: RFC 4180 cases, line numbers, limits,
 * UTF-8 and NUL checks, recovery after bad records, gzip (single and
 * multi-member, truncated, corrupt), files and folders. Every text case is
 * read three ways (default buffer; 16-byte buffer; 16-byte buffer fed one
 * byte per read) and must give the same result each time, which exercises
 * the resumable parser across every possible split point. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "core_internal.h"
#include "csv_internal.h"

/* ---- helpers ----------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t ncap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, ncap);
        assert_non_null(b->p);
        b->cap = ncap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void sb_fmt(sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_put(b, tmp, (size_t)n);
}

/* Read everything; describe it as text: "L:f1|f2\n" per record (L = start
 * line), "!L,C reason\n" per bad record, "#STATUS\n" on a fatal error. */
static char *describe(tsrec_ctx *ctx, tsrec__source *src, const tsrec__csv_options *opt)
{
    tsrec__csv_reader *r = NULL;
    assert_int_equal(tsrec__csv_reader_new(ctx, NULL, src, opt, &r), TSREC_OK);
    sbuf b = {0};
    sb_put(&b, "", 0);
    for (int guard = 0; guard < 1000000; guard++) {
        tsrec__csv_record rec;
        int rc = tsrec__csv_next(r, NULL, &rec);
        if (rc == TSREC_E_PARSE) {
            const tsrec__csv_error *e = tsrec__csv_last_error(r);
            sb_fmt(&b, "!%lld,%lld %s\n", (long long)e->line, (long long)e->column, e->reason);
            continue;
        }
        if (rc != TSREC_OK) {
            sb_fmt(&b, "#%s\n", tsrec_status_str(rc));
            /* fatal errors are sticky */
            assert_int_equal(tsrec__csv_next(r, NULL, &rec), rc);
            break;
        }
        if (rec.n_fields == 0)
            break;
        sb_fmt(&b, "%lld:", (long long)rec.line);
        for (int64_t i = 0; i < rec.n_fields; i++) {
            if (i > 0)
                sb_put(&b, "|", 1);
            sb_put(&b, rec.fields[i].ptr, rec.fields[i].len);
        }
        sb_put(&b, "\n", 1);
    }
    tsrec__csv_reader_free(r);
    return b.p;
}

/* Describe `data` read three ways; all must agree. Returns the text. */
static char *read_all(const char *data, size_t len, const tsrec__csv_options *base_opt)
{
    tsrec_ctx *ctx = tu_ctx_new();
    char *first = NULL;
    for (int way = 0; way < 3; way++) {
        tsrec__csv_options o = {0, 0, 0, 0};
        if (base_opt != NULL)
            o = *base_opt;
        if (way > 0)
            o.buffer_bytes = 16;
        tsrec__source *src = NULL;
        assert_int_equal(tsrec__source_memory(ctx, NULL, data, len, way == 2 ? 1 : 0, &src),
                         TSREC_OK);
        char *d = describe(ctx, src, &o);
        if (first == NULL) {
            first = d;
        } else {
            assert_string_equal(d, first);
            free(d);
        }
    }
    tu_ctx_free_checked(ctx);
    return first;
}

static void expect(const char *data, const char *want)
{
    char *got = read_all(data, strlen(data), NULL);
    assert_string_equal(got, want);
    free(got);
}

static void expect_n(const char *data, size_t len, const char *want)
{
    char *got = read_all(data, len, NULL);
    assert_string_equal(got, want);
    free(got);
}

/* ---- RFC 4180 -------------------------------------------------------------- */

static void test_basic(void **state)
{
    (void)state;
    expect("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
    expect("a,b\n1,2", "1:a|b\n2:1|2\n");             /* no final newline */
    expect("a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n");       /* CRLF */
    expect("a,b\r\n1,2\r", "1:a|b\n2:1|2\n");         /* CR as the very last byte */
    expect("x", "1:x\n");
    expect(",,\n", "1:||\n");                           /* empty fields */
    expect("a,\n", "1:a|\n");
    expect("a,", "1:a|\n");
    expect("\"\"\n", "1:\n");                           /* one empty quoted field */
    expect("\"\",\"\"", "1:|\n");
    expect("", "");                                     /* empty input: no records */
    expect("\n\n", "");                                 /* blank lines are not records */
    expect("a\n\n\r\nb\n", "1:a\n4:b\n");
    expect(" a , b \n", "1: a | b \n");                 /* spaces are data */
}

static void test_quoted(void **state)
{
    (void)state;
    expect("\"a,b\",\"c\"\"d\",\"e\nf\"\nx,y\n", "1:a,b|c\"d|e\nf\n3:x|y\n");
    expect("\"\"\"\"\n", "1:\"\n");                    /* a field that is one quote */
    expect("\"a\"\"\",b\n", "1:a\"|b\n");
    expect("\"a\rb\"\n", "1:a\rb\n");                   /* lone CR inside quotes is data */
    expect("a\rb\n", "1:a\rb\n");                       /* and outside a lone CR is data too */
    expect("\"x\"\r\n\"y\"", "1:x\n2:y\n");
    expect("\"a\r\nb\"\r\nc\r\n", "1:a\r\nb\n3:c\n");   /* CRLF inside quotes kept */
    /* line numbers after multi-line fields */
    expect("x,\"1\n2\n3\"\ny,z\n\"\n\"\nw\n", "1:x|1\n2\n3\n4:y|z\n5:\n\n7:w\n");
}

static void test_bom_and_utf8(void **state)
{
    (void)state;
    expect("\xEF\xBB\xBF" "a,b\n", "1:a|b\n");
    expect("\xEF\xBB\xBF", "");
    expect("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n", "1:\xEF\xBB\xBF" "a\n"); /* only the first is a BOM */
    expect("x\n\xEF\xBB\xBF" "a\n", "1:x\n2:\xEF\xBB\xBF" "a\n");
    expect("\xC3\xA9,\xE6\x97\xA5\xE6\x9C\xAC,\xF0\x9F\x98\x80\n\"\xC3\xA9\"\n",
           "1:\xC3\xA9|\xE6\x97\xA5\xE6\x9C\xAC|\xF0\x9F\x98\x80\n2:\xC3\xA9\n");
    expect("\xF4\x8F\xBF\xBF\n", "1:\xF4\x8F\xBF\xBF\n"); /* U+10FFFF is fine */
}

static void test_bad_utf8(void **state)
{
    (void)state;
    static const char *bad[] = {
        "\xC0\x80",         /* overlong NUL */
        "\xC1\xBF",         /* overlong */
        "\xE0\x80\x80",     /* overlong 3-byte */
        "\xE0\x9F\xBF",     /* overlong 3-byte */
        "\xF0\x80\x80\x80", /* overlong 4-byte */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xED\xBF\xBF",     /* surrogate U+DFFF */
        "\xF4\x90\x80\x80", /* above U+10FFFF */
        "\xF5\x80\x80\x80", /* byte > F4 */
        "\xFF",
        "\x80",             /* lone continuation */
        "\xC3",             /* truncated, then a comma */
        "\xE6\x97",
    };
    for (size_t i = 0; i < TSREC__ARRAY_LEN(bad); i++) {
        char in[64], want[128];
        /* good line, bad field in column 2 of line 2, good line */
        snprintf(in, sizeof in, "ok\na,b%s,c\nz\n", bad[i]);
        expect(in, "1:ok\n!2,2 invalid UTF-8\n3:z\n");
        /* and inside quotes */
        snprintf(in, sizeof in, "ok\na,\"b%s\"\nz\n", bad[i]);
        expect(in, "1:ok\n!2,2 invalid UTF-8\n3:z\n");
        /* truncated sequence at the very end of input */
        snprintf(in, sizeof in, "a,%s", bad[i]);
        snprintf(want, sizeof want, "!1,2 invalid UTF-8\n");
        expect(in, want);
    }
    /* the message names line and column */
    tsrec_ctx *ctx = tu_ctx_new();
    static const char txt[] = "a,b\nc,d,\xFF\n";
    tsrec__source *src = NULL;
    assert_int_equal(tsrec__source_memory(ctx, NULL, txt, sizeof txt - 1, 0, &src), TSREC_OK);
    tsrec__csv_reader *r = NULL;
    assert_int_equal(tsrec__csv_reader_new(ctx, NULL, src, NULL, &r), TSREC_OK);
    tsrec__csv_record rec;
    assert_int_equal(tsrec__csv_next(r, NULL, &rec), TSREC_OK);
    assert_int_equal(tsrec__csv_next(r, NULL, &rec), TSREC_E_PARSE);
    assert_non_null(strstr(tsrec_last_error(), "invalid UTF-8 at line 2 column 3"));
    assert_int_equal(tsrec__csv_next(r, NULL, &rec), TSREC_OK);
    assert_int_equal(rec.n_fields, 0);
    tsrec__csv_reader_free(r);
    tu_ctx_free_checked(ctx);
}

static void test_bad_records_and_recovery(void **state)
{
    (void)state;
    expect("a,\"bc\n", "!1,2 unterminated quoted field at end of input\n");
    expect("x\ny,\"b\nc\nd", "1:x\n!2,2 unterminated quoted field at end of input\n");
    expect("ab\"c,d\ne,f\n", "!1,1 quote inside an unquoted field\n2:e|f\n");
    expect("\"a\"b,c\nd\n", "!1,1 characters after a closing quote\n2:d\n");
    expect("\"a\" ,c\nd\n", "!1,1 characters after a closing quote\n2:d\n");
    expect("\"a\"\rb\nd\n", "!1,1 characters after a closing quote\n2:d\n");
    expect_n("a\0b\nc,\"\0\"\nd\n", 12, "!1,1 NUL byte\n!2,2 NUL byte\n3:d\n");
    /* a bad field inside a quoted multi-line field: recovery skips the
     * whole quoted field, not just a line */
    expect("\"\xFF\n,still,quoted\"\nnext\n", "!1,1 invalid UTF-8\n3:next\n");
    /* several bad rows, each reported, every good row kept */
    sbuf in = {0}, want = {0};
    for (int i = 1; i <= 200; i++) {
        if (i % 3 == 0) {
            sb_fmt(&in, "bad%d\"x,1\n", i);
            sb_fmt(&want, "!%d,1 quote inside an unquoted field\n", i);
        } else {
            sb_fmt(&in, "row%d,%d\n", i, i * 7);
            sb_fmt(&want, "%d:row%d|%d\n", i, i, i * 7);
        }
    }
    expect(in.p, want.p);
    free(in.p);
    free(want.p);
}

static void test_offsets(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    static const char txt[] = "\xEF\xBB\xBF" "ab,c\r\n\n\"x\ny\"\nlast";
    tsrec__source *src = NULL;
    assert_int_equal(tsrec__source_memory(ctx, NULL, txt, sizeof txt - 1, 1, &src), TSREC_OK);
    tsrec__csv_options o = {0, 0, 0, 16};
    tsrec__csv_reader *r = NULL;
    assert_int_equal(tsrec__csv_reader_new(ctx, NULL, src, &o, &r), TSREC_OK);
    tsrec__csv_record rec;
    static const uint64_t off[] = {3, 10, 16};
    static const int64_t line[] = {1, 3, 5};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(tsrec__csv_next(r, NULL, &rec), TSREC_OK);
        assert_int_equal(rec.offset, off[i]);
        assert_int_equal(rec.line, line[i]);
    }
    assert_int_equal(tsrec__csv_next(r, NULL, &rec), TSREC_OK);
    assert_int_equal(rec.n_fields, 0);
    assert_int_equal(tsrec__csv_bytes_read(r), sizeof txt - 1);
    tsrec__csv_reader_free(r);
    tu_ctx_free_checked(ctx);
}

/* ---- limits ---------------------------------------------------------------- */

static void test_field_limit(void **state)
{
    (void)state;
    size_t mib = (size_t)1 << 20;
    char *buf = malloc(2 * mib + 64);
    assert_non_null(buf);
    for (int quoted = 0; quoted < 2; quoted++) {
        for (size_t extra = 0; extra < 2; extra++) {
            size_t n = 0;
            buf[n++] = 'a';
            buf[n++] = ',';
            if (quoted)
                buf[n++] = '"';
            for (size_t i = 0; i < mib + extra; i++)
                buf[n++] = (char)('a' + i % 26);
            if (quoted)
                buf[n++] = '"';
            memcpy(buf + n, ",z\r\nnext\n", 9);
            n += 9;
            char *got = read_all(buf, n, NULL);
            if (extra == 0) {
                assert_int_equal(strncmp(got, "1:a|abcdefg", 11), 0);
                assert_int_equal(strlen(got), 2 + 2 + mib + 3 + 7);
                assert_string_equal(got + strlen(got) - 10, "|z\n2:next\n");
            } else {
                assert_string_equal(got, "!1,2 field longer than 1048576 bytes\n2:next\n");
            }
            free(got);
        }
    }
    free(buf);
    /* a smaller limit from the options, and the field-count limit */
    tsrec__csv_options o = {4, 3, 0, 0};
    char *got = read_all("abcd,1\nabcde,1\n\"ab\"\"c\"\na,b,c\na,b,c,d\nok\n", 40, &o);
    assert_string_equal(got, "1:abcd|1\n!2,1 field longer than 4 bytes\n3:ab\"c\n4:a|b|c\n"
                             "!5,4 more than 3 fields\n6:ok\n");
    free(got);
    /* record limit */
    tsrec__csv_options o2 = {0, 0, 64, 16};
    char rec[200];
    memset(rec, 'x', sizeof rec);
    memcpy(rec + 100, ",\n", 2);
    memcpy(rec + 180, "\nok\n", 4);
    got = read_all(rec, 184, &o2);
    assert_non_null(strstr(got, "record longer than 64 bytes"));
    free(got);
}

/* ---- random round trip against the writer rules -------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* Random records of random fields drawn from an alphabet rich in CSV
 * special characters; each field quoted when it needs it (or at random),
 * the parse must return the fields exactly. */
static void test_random_round_trip(void **state)
{
    (void)state;
    static const char *atoms[] = {"a", "b", ",", "\"", "\n", "\r\n", "\r", " ", "\xC3\xA9",
                                  "\xF0\x9F\x98\x80", "x"};
    for (int trial = 0; trial < 60; trial++) {
        sbuf in = {0}, want = {0};
        sb_put(&in, "", 0);
        int64_t line = 1;
        int n_rec = 1 + (int)(rnd() % 20);
        for (int r = 0; r < n_rec; r++) {
            int n_f = 1 + (int)(rnd() % 5);
            sb_fmt(&want, "%lld:", (long long)line);
            for (int f = 0; f < n_f; f++) {
                char field[64];
                size_t fl = 0;
                int len = (int)(rnd() % 6);
                for (int k = 0; k < len; k++) {
                    const char *a = atoms[rnd() % TSREC__ARRAY_LEN(atoms)];
                    memcpy(field + fl, a, strlen(a));
                    fl += strlen(a);
                }
                int special = 0;
                for (size_t k = 0; k < fl; k++)
                    special |= field[k] == ',' || field[k] == '"' || field[k] == '\n' ||
                               field[k] == '\r';
                /* a lone empty unquoted field would be a blank line */
                int quote = special || (rnd() % 4 == 0) || (n_f == 1 && fl == 0);
                if (f > 0) {
                    sb_put(&in, ",", 1);
                    sb_put(&want, "|", 1);
                }
                if (quote)
                    sb_put(&in, "\"", 1);
                for (size_t k = 0; k < fl; k++) {
                    if (field[k] == '"')
                        sb_put(&in, "\"", 1);
                    sb_put(&in, &field[k], 1);
                    if (field[k] == '\n')
                        line++;
                }
                if (quote)
                    sb_put(&in, "\"", 1);
                sb_put(&want, field, fl);
            }
            if (rnd() % 2)
                sb_put(&in, "\n", 1);
            else
                sb_put(&in, "\r\n", 2);
            sb_put(&want, "\n", 1);
            line++;
        }
        char *got = read_all(in.p, in.len, NULL);
        assert_string_equal(got, want.p);
        free(got);
        free(in.p);
        free(want.p);
    }
}

/* ---- gzip -------------------------------------------------------------------- */

static unsigned char *gzip_bytes(const char *data, size_t len, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)len) + 64;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

/* Describe gzip (or any) bytes read from memory through auto-detection. */
static char *read_auto(const unsigned char *data, size_t len, size_t max_read)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__source *mem = NULL, *src = NULL;
    assert_int_equal(tsrec__source_memory(ctx, NULL, data, len, max_read, &mem), TSREC_OK);
    assert_int_equal(tsrec__source_auto(ctx, NULL, mem, "test.gz", &src), TSREC_OK);
    tsrec__csv_options o = {0, 0, 0, max_read ? 16 : 0};
    char *d = describe(ctx, src, &o);
    tu_ctx_free_checked(ctx);
    return d;
}

static char *sample_csv(int rows, size_t *len)
{
    sbuf b = {0};
    for (int i = 0; i < rows; i++)
        sb_fmt(&b, "user_%d,item_%d,%d,\"click, \"\"x\"\"\",1.5\n", i, (i * 37) % 1000,
               1577836800 + i);
    *len = b.len;
    return b.p;
}

static void test_gzip(void **state)
{
    (void)state;
    size_t plen;
    char *plain = sample_csv(300, &plen);
    char *want = read_all(plain, plen, NULL);
    size_t zlen;
    unsigned char *z = gzip_bytes(plain, plen, &zlen);
    for (size_t mr = 0; mr < 3; mr++) {
        char *got = read_auto(z, zlen, mr == 0 ? 0 : (mr == 1 ? 1 : 7));
        assert_string_equal(got, want);
        free(got);
    }
    /* plain bytes pass through the auto source unchanged */
    char *got = read_auto((const unsigned char *)plain, plen, 1);
    assert_string_equal(got, want);
    free(got);
    got = read_auto((const unsigned char *)"", 0, 0);
    assert_string_equal(got, "");
    free(got);
    /* gzip of an empty file: zero records */
    size_t elen;
    unsigned char *ez = gzip_bytes("", 0, &elen);
    got = read_auto(ez, elen, 0);
    assert_string_equal(got, "");
    free(got);
    free(ez);

    /* multi-member: cat a.gz b.gz */
    size_t split = plen / 3;
    while (plain[split - 1] != '\n')
        split++;
    size_t l1, l2;
    unsigned char *z1 = gzip_bytes(plain, split, &l1);
    unsigned char *z2 = gzip_bytes(plain + split, plen - split, &l2);
    unsigned char *cat = malloc(l1 + l2);
    memcpy(cat, z1, l1);
    memcpy(cat + l1, z2, l2);
    got = read_auto(cat, l1 + l2, 0);
    assert_string_equal(got, want);
    free(got);
    got = read_auto(cat, l1 + l2, 3);
    assert_string_equal(got, want);
    free(got);
    /* garbage after the last member is corrupt data, not silently ignored */
    unsigned char *tail = malloc(l1 + 3);
    memcpy(tail, z1, l1);
    memcpy(tail + l1, "abc", 3);
    got = read_auto(tail, l1 + 3, 0);
    assert_non_null(strstr(got, "#TSREC_E_FORMAT"));
    free(got);
    free(tail);
    free(cat);
    free(z1);
    free(z2);
    free(want);
    free(plain);
    free(z);
}

static void test_gzip_truncated_and_corrupt(void **state)
{
    (void)state;
    size_t plen;
    char *plain = sample_csv(40, &plen);
    size_t zlen;
    unsigned char *z = gzip_bytes(plain, plen, &zlen);
    char *want = read_all(plain, plen, NULL);
    tsrec_ctx *ctx = tu_ctx_new();
    /* every cut from 2 bytes (magic seen) to one byte short */
    for (size_t cut = 2; cut < zlen; cut++) {
        tsrec__source *mem = NULL, *src = NULL;
        assert_int_equal(tsrec__source_memory(ctx, NULL, z, cut, 0, &mem), TSREC_OK);
        assert_int_equal(tsrec__source_auto(ctx, NULL, mem, "cut.gz", &src), TSREC_OK);
        tsrec__csv_reader *r = NULL;
        assert_int_equal(tsrec__csv_reader_new(ctx, NULL, src, NULL, &r), TSREC_OK);
        tsrec__csv_record rec;
        int rc;
        while ((rc = tsrec__csv_next(r, NULL, &rec)) == TSREC_OK && rec.n_fields > 0) {
        }
        assert_int_equal(rc, TSREC_E_FORMAT);
        assert_non_null(strstr(tsrec_last_error(), "truncated gzip stream"));
        assert_non_null(strstr(tsrec_last_error(), "cut.gz"));
        tsrec__csv_reader_free(r);
    }
    /* every byte flipped: an error or (header fields such as mtime) the
     * same records, never anything else and never a crash */
    unsigned char *bad = malloc(zlen);
    int errors = 0;
    for (size_t i = 2; i < zlen; i++) {
        memcpy(bad, z, zlen);
        bad[i] ^= 0x5A;
        char *got = read_auto(bad, zlen, 0);
        if (strstr(got, "#TSREC_E_FORMAT") != NULL)
            errors++;
        else
            assert_string_equal(got, want);
        if (i >= zlen - 8) /* CRC32 and length trailer */
            assert_non_null(strstr(got, "#TSREC_E_FORMAT"));
        free(got);
    }
    assert_true(errors > (int)(zlen * 3 / 4));
    /* the corrupt message gives the byte offset */
    memcpy(bad, z, zlen);
    bad[2] = 7; /* compression method */
    tsrec__source *mem = NULL, *src = NULL;
    assert_int_equal(tsrec__source_memory(ctx, NULL, bad, zlen, 0, &mem), TSREC_OK);
    assert_int_equal(tsrec__source_auto(ctx, NULL, mem, "bad.gz", &src), TSREC_OK);
    unsigned char out[64];
    size_t n;
    assert_int_equal(src->read(src, NULL, out, sizeof out, &n), TSREC_E_FORMAT);
    assert_non_null(strstr(tsrec_last_error(), "corrupt gzip data at byte"));
    tsrec__source_free(src);
    free(bad);
    free(want);
    free(plain);
    free(z);
    tu_ctx_free_checked(ctx);
}

/* ---- files and folders ---------------------------------------------------------- */

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsrec_csv_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p_plain[256], p_gz[256], p_sub[256], p_hidden[256], p_none[256];
    snprintf(p_plain, sizeof p_plain, "%s/b.csv", dir);
    snprintf(p_gz, sizeof p_gz, "%s/a.csv.gz", dir);
    snprintf(p_sub, sizeof p_sub, "%s/sub", dir);
    snprintf(p_hidden, sizeof p_hidden, "%s/.hidden", dir);
    snprintf(p_none, sizeof p_none, "%s/missing.csv", dir);
    size_t plen, zlen;
    char *plain = sample_csv(5000, &plen);
    unsigned char *z = gzip_bytes(plain, plen, &zlen);
    write_file(p_plain, plain, plen);
    write_file(p_gz, z, zlen);
    write_file(p_hidden, "x", 1);
    assert_int_equal(mkdir(p_sub, 0700), 0);
    char *want = read_all(plain, plen, NULL);

    tsrec_ctx *ctx = tu_ctx_new();
    const char *paths[2] = {p_plain, p_gz};
    for (int i = 0; i < 2; i++) {
        tsrec__source *src = NULL;
        assert_int_equal(tsrec__source_open_path(ctx, NULL, paths[i], &src), TSREC_OK);
        char *got = describe(ctx, src, NULL);
        assert_string_equal(got, want);
        free(got);
    }
    /* a path that does not exist */
    tsrec__source *src = (tsrec__source *)0x1;
    assert_int_equal(tsrec__source_open_path(ctx, NULL, p_none, &src), TSREC_E_IO);
    assert_null(src);
    assert_non_null(strstr(tsrec_last_error(), p_none));
    assert_non_null(strstr(tsrec_last_error(), "No such file"));
    /* a folder opened as a file fails when read */
    assert_int_equal(tsrec__source_open_path(ctx, NULL, p_sub, &src), TSREC_OK);
    char *got = describe(ctx, src, NULL);
    assert_string_equal(got, "#TSREC_E_IO\n");
    free(got);

    /* folder listing: regular files only, hidden ones left out, sorted */
    char **list = NULL;
    int64_t n = -1;
    assert_int_equal(tsrec__dir_list(ctx, NULL, dir, &list, &n), TSREC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0], p_gz);
    assert_string_equal(list[1], p_plain);
    tsrec__dir_list_free(ctx, list, n);
    assert_int_equal(tsrec__dir_list(ctx, NULL, p_sub, &list, &n), TSREC_OK);
    assert_int_equal(n, 0);
    assert_null(list);
    assert_int_equal(tsrec__dir_list(ctx, NULL, p_none, &list, &n), TSREC_E_IO);
    assert_non_null(strstr(tsrec_last_error(), p_none));
    tu_ctx_free_checked(ctx);

    unlink(p_plain);
    unlink(p_gz);
    unlink(p_hidden);
    rmdir(p_sub);
    rmdir(dir);
    free(want);
    free(plain);
    free(z);
}

static void test_bad_args(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__source *src = NULL;
    assert_int_equal(tsrec__source_memory(ctx, NULL, NULL, 5, 0, &src), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__source_file(ctx, NULL, NULL, &src), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__source_auto(ctx, NULL, NULL, "x", &src), TSREC_E_INVALID_ARG);
    tsrec__csv_reader *r = NULL;
    assert_int_equal(tsrec__csv_reader_new(ctx, NULL, NULL, NULL, &r), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__source_memory(ctx, NULL, NULL, 0, 0, &src), TSREC_OK);
    char *got = describe(ctx, src, NULL);
    assert_string_equal(got, "");
    free(got);
    tsrec__csv_reader_free(NULL);
    tsrec__source_free(NULL);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_bom_and_utf8),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_bad_records_and_recovery),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_random_round_trip),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gzip_truncated_and_corrupt),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
