/* The CSV reader's record fast path (plain ASCII records classified 16
 * bytes at a time) against two references: an independent whole-string
 * RFC 4180 parser written here for valid input, and the reader's own state
 * machine (a 16-byte buffer fed one byte per read, where the fast path
 * never has a full block to look at) for every input, bad records and
 * limits included. Records are long enough that fields start, end and
 * hold special bytes at every offset within a 16-byte block. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "csv_internal.h"

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void puts_(text *t, const char *s)
{
    put(t, s, strlen(s));
}

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

/* Everything the reader returns, as text: "L:f1|f2\n" per record, "!L,C
 * reason\n" per bad record, "#status\n" for a fatal error. */
static char *describe(tsrec__csv_reader *r)
{
    text t = {0};
    put(&t, "", 0);
    for (int guard = 0; guard < 1000000; guard++) {
        tsrec__csv_record rec;
        int rc = tsrec__csv_next(r, NULL, &rec);
        char head[128];
        if (rc == TSREC_E_PARSE) {
            const tsrec__csv_error *e = tsrec__csv_last_error(r);
            snprintf(head, sizeof head, "!%lld,%lld ", (long long)e->line, (long long)e->column);
            puts_(&t, head);
            puts_(&t, e->reason);
            puts_(&t, "\n");
            continue;
        }
        if (rc != TSREC_OK) {
            snprintf(head, sizeof head, "#%s\n", tsrec_status_str(rc));
            puts_(&t, head);
            break;
        }
        if (rec.n_fields == 0)
            break;
        snprintf(head, sizeof head, "%lld:", (long long)rec.line);
        puts_(&t, head);
        for (int64_t i = 0; i < rec.n_fields; i++) {
            if (i > 0)
                puts_(&t, "|");
            put(&t, rec.fields[i].ptr, rec.fields[i].len);
        }
        puts_(&t, "\n");
    }
    return t.p;
}

/* Read `data` with the given limits; tiny = 16-byte buffer, one byte per
 * read (the state machine alone). */
static char *read_with(const char *data, size_t len, const tsrec__csv_options *lim, int tiny)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__csv_options o = {0, 0, 0, 0};
    if (lim != NULL)
        o = *lim;
    if (tiny)
        o.buffer_bytes = 16;
    tsrec__source *src = NULL;
    assert_int_equal(tsrec__source_memory(ctx, NULL, data, len, tiny ? 1 : 0, &src), TSREC_OK);
    tsrec__csv_reader *r = NULL;
    assert_int_equal(tsrec__csv_reader_new(ctx, NULL, src, &o, &r), TSREC_OK);
    char *d = describe(r);
    tsrec__csv_reader_free(r);
    tu_ctx_free_checked(ctx);
    return d;
}

/* Independent reference for valid input (no errors, no limits): quotes
 * with "" escapes, CRLF or LF endings, CR before LF dropped from an
 * unquoted last field, blank lines skipped, last record without LF. */
static char *reference(const char *s, size_t n)
{
    text t = {0}, field = {0};
    put(&t, "", 0);
    put(&field, "", 0);
    size_t i = 0;
    long long line = 1;
    while (i < n) {
        long long rec_line = line;
        size_t save = t.len;
        char head[32];
        snprintf(head, sizeof head, "%lld:", rec_line);
        puts_(&t, head);
        int n_fields = 0, ended = 0;
        while (!ended) {
            field.len = 0;
            int quoted = 0;
            if (i < n && s[i] == '"') {
                quoted = 1;
                for (i++; i < n; i++) {
                    if (s[i] == '"' && i + 1 < n && s[i + 1] == '"') {
                        put(&field, "\"", 1);
                        i++;
                    } else if (s[i] == '"') {
                        i++;
                        break;
                    } else {
                        if (s[i] == '\n')
                            line++;
                        put(&field, &s[i], 1);
                    }
                }
            } else {
                while (i < n && s[i] != ',' && s[i] != '\n')
                    put(&field, &s[i++], 1);
            }
            if (quoted && i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
                i++;
            size_t flen = field.len;
            if (!quoted && flen > 0 && field.p[flen - 1] == '\r' && i < n && s[i] == '\n')
                flen--;
            if (!quoted && flen > 0 && field.p[flen - 1] == '\r' && i == n)
                flen--;
            if (i >= n || s[i] == '\n') {
                ended = 1;
                if (n_fields == 0 && flen == 0 && !quoted) {
                    /* blank line */
                    t.len = save;
                    t.p[t.len] = '\0';
                    if (i < n)
                        i++;
                    line++;
                    n_fields = -1;
                    break;
                }
                if (i < n)
                    i++;
                line++;
            } else {
                i++; /* ',' */
            }
            if (n_fields > 0)
                puts_(&t, "|");
            put(&t, field.p, flen);
            n_fields++;
        }
        if (n_fields >= 0)
            puts_(&t, "\n");
    }
    free(field.p);
    return t.p;
}

/* A random field: plain most of the time, sometimes quoted with commas,
 * quotes and newlines inside, sometimes with a CR or UTF-8 inside. */
static void random_field(text *in, int allow_special)
{
    static const char plain[] = "abcdefghij0123456789._-: ";
    int kind = allow_special ? (int)(rnd() % 10) : 0;
    size_t len = rnd() % 4 == 0 ? rnd() % 40 : rnd() % 12;
    if (kind == 9) { /* quoted */
        put(in, "\"", 1);
        for (size_t k = 0; k < len; k++) {
            uint32_t c = rnd() % 12;
            if (c == 0)
                put(in, "\"\"", 2);
            else if (c == 1)
                put(in, ",", 1);
            else if (c == 2)
                put(in, "\n", 1);
            else
                put(in, &plain[rnd() % (sizeof plain - 1)], 1);
        }
        put(in, "\"", 1);
        return;
    }
    for (size_t k = 0; k < len; k++) {
        if (kind == 8 && k == len / 2)
            put(in, "\xC3\xA9", 2); /* é */
        else if (kind == 7 && k == len / 2)
            put(in, "\r", 1); /* a CR inside a field is data */
        else
            put(in, &plain[rnd() % (sizeof plain - 1)], 1);
    }
}

static text random_csv(int n_rec, int allow_special)
{
    text in = {0};
    put(&in, "", 0);
    for (int r = 0; r < n_rec; r++) {
        if (allow_special && rnd() % 25 == 0) { /* blank line */
            if (rnd() % 2)
                put(&in, "\n", 1);
            else
                put(&in, "\r\n", 2);
        }
        int n_f = 1 + (int)(rnd() % 9);
        for (int f = 0; f < n_f; f++) {
            if (f > 0)
                put(&in, ",", 1);
            random_field(&in, allow_special);
        }
        /* a lone empty field would be a blank line: add a second one */
        if (n_f == 1)
            put(&in, ",z", 2);
        if (r == n_rec - 1 && rnd() % 3 == 0)
            break; /* last record without a newline */
        if (rnd() % 3 == 0)
            put(&in, "\r\n", 2);
        else
            put(&in, "\n", 1);
    }
    return in;
}

static void test_plain_records_match_reference(void **state)
{
    (void)state;
    for (int trial = 0; trial < 200; trial++) {
        text in = random_csv(1 + (int)(rnd() % 60), 0);
        char *want = reference(in.p, in.len);
        char *fast = read_with(in.p, in.len, NULL, 0);
        char *slow = read_with(in.p, in.len, NULL, 1);
        assert_string_equal(fast, want);
        assert_string_equal(slow, want);
        free(want);
        free(fast);
        free(slow);
        free(in.p);
    }
}

static void test_mixed_records_match_reference(void **state)
{
    (void)state;
    for (int trial = 0; trial < 200; trial++) {
        text in = random_csv(1 + (int)(rnd() % 60), 1);
        char *want = reference(in.p, in.len);
        char *fast = read_with(in.p, in.len, NULL, 0);
        char *slow = read_with(in.p, in.len, NULL, 1);
        assert_string_equal(fast, want);
        assert_string_equal(slow, want);
        free(want);
        free(fast);
        free(slow);
        free(in.p);
    }
}

/* Bad records (stray quotes, NUL, invalid UTF-8, text after a closing
 * quote) anywhere in long records: same errors, lines, columns and
 * recovery as the state machine. */
static void test_bad_records_match_state_machine(void **state)
{
    (void)state;
    static const char *bad[] = {"a\"b", "\"x\"y", "\xFF", "\xC3", "\x80zz"};
    for (int trial = 0; trial < 300; trial++) {
        text in = random_csv(1 + (int)(rnd() % 20), 1);
        /* splice a bad token at a random place */
        size_t at = in.len > 0 ? rnd() % in.len : 0;
        text out = {0};
        put(&out, in.p, at);
        if (rnd() % 5 == 0)
            put(&out, "x\0y", 3); /* NUL byte */
        else
            puts_(&out, bad[rnd() % (sizeof bad / sizeof bad[0])]);
        put(&out, in.p + at, in.len - at);
        char *fast = read_with(out.p, out.len, NULL, 0);
        char *slow = read_with(out.p, out.len, NULL, 1);
        assert_string_equal(fast, slow);
        free(fast);
        free(slow);
        free(in.p);
        free(out.p);
    }
}

/* Small field, field-count and record limits: records at, just under and
 * just over each limit give the same result both ways. */
static void test_limits_match_state_machine(void **state)
{
    (void)state;
    for (int trial = 0; trial < 300; trial++) {
        tsrec__csv_options lim = {0, 0, 0, 0};
        lim.max_field_bytes = 4 + rnd() % 30;
        lim.max_fields = 1 + (int64_t)(rnd() % 8);
        lim.max_record_bytes = 8 + rnd() % 120;
        text in = random_csv(1 + (int)(rnd() % 30), (int)(rnd() % 2));
        char *fast = read_with(in.p, in.len, &lim, 0);
        char *slow = read_with(in.p, in.len, &lim, 1);
        assert_string_equal(fast, slow);
        free(fast);
        free(slow);
        free(in.p);
    }
}

/* Fixed cases at block boundaries: separators and the newline at offsets
 * 15, 16 and 17 of a record, CRLF split across blocks, a long plain
 * record spanning many blocks, and a record reaching the buffer end. */
static void test_block_boundaries(void **state)
{
    (void)state;
    text in = {0};
    put(&in, "", 0);
    for (int w = 12; w <= 40; w++) {
        for (int k = 0; k < w; k++)
            put(&in, "p", 1);
        puts_(&in, w % 2 ? ",q\r\n" : ",q\n");
        for (int k = 0; k < w; k++)
            put(&in, k % 16 == 15 ? "," : "r", 1);
        puts_(&in, "\n");
    }
    char *want = reference(in.p, in.len);
    char *fast = read_with(in.p, in.len, NULL, 0);
    char *slow = read_with(in.p, in.len, NULL, 1);
    assert_string_equal(fast, want);
    assert_string_equal(slow, want);
    free(want);
    free(fast);
    free(slow);
    /* many records with a small buffer: records cross every refill point */
    tsrec__csv_options small = {0, 0, 0, 64};
    char *fast_small = read_with(in.p, in.len, &small, 0);
    want = reference(in.p, in.len);
    assert_string_equal(fast_small, want);
    free(fast_small);
    free(want);
    free(in.p);
    /* known answer */
    const char *s = "item_001,store_001,2017-10-01,305.824943\r\n\n"
                    "item_002,,2017-11-01,\n";
    char *got = read_with(s, strlen(s), NULL, 0);
    assert_string_equal(got, "1:item_001|store_001|2017-10-01|305.824943\n"
                             "3:item_002||2017-11-01|\n");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_records_match_reference),
        cmocka_unit_test(test_mixed_records_match_reference),
        cmocka_unit_test(test_bad_records_match_state_machine),
        cmocka_unit_test(test_limits_match_state_machine),
        cmocka_unit_test(test_block_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
