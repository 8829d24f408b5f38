/* Fuzz target for the timestamp parser and formatter. The first byte is a
 * format mask (its low 4 bits, 0 = no format), the rest is the text.
 *  - Each single format: if the text parses, writing the value back in
 *    that format and parsing the result gives the same value (when the
 *    value's year is in the range the format parses: an ISO offset can
 *    move a year-1000 time into year 999, which formats but, as
 *    documented, does not parse back).
 *  - The mask: parses exactly when one of its single formats parses, to
 *    a value one of them gives; a mask without a known bit is
 *    TSREC_E_INVALID_ARG. Failures are TSREC_E_PARSE and leave *out alone. */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "time_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int FORMATS[] = {TSREC__TIME_FMT_DATETIME, TSREC__TIME_FMT_DATE,
                              TSREC__TIME_FMT_ISO, TSREC__TIME_FMT_EPOCH};
#define N_FORMATS 4
#define SENTINEL INT64_C(0x5a5a5a5a5a5a5a5a)

/* 0001-01-01 .. 0999-12-31: formats in every format, parses only as epoch. */
#define YEAR_1000 INT64_C(-30610224000)

static int parse(tsrec_ctx *ctx, const char *s, size_t len, int fmt, int64_t *out)
{
    *out = SENTINEL;
    int rc = tsrec__time_parse(s, len, fmt, out, &ctx->hdr);
    if (rc != TSREC_OK) {
        if (*out != SENTINEL)
            abort(); /* written on failure */
        if (rc != TSREC_E_PARSE && rc != TSREC_E_INVALID_ARG)
            abort();
        if (tsrec_errmsg(ctx)[0] == '\0')
            abort(); /* failures explain themselves */
    } else if (*out < TSREC__TIME_MIN || *out > TSREC__TIME_MAX) {
        abort(); /* outside the supported years */
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    tsrec_ctx *ctx = fuzz_ctx_new();
    int mask = data[0] & 15;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    int64_t got[N_FORMATS];
    int ok[N_FORMATS];
    for (int k = 0; k < N_FORMATS; k++) {
        int fmt = FORMATS[k];
        ok[k] = parse(ctx, text, len, fmt, &got[k]) == TSREC_OK;
        if (!ok[k])
            continue;
        char buf[TSREC__TIME_STR_MAX];
        int rc = tsrec__time_format(got[k], fmt, buf, sizeof buf, &ctx->hdr);
        if (rc != TSREC_OK)
            abort(); /* parsed values are in range, so they format */
        size_t blen = strlen(buf);
        int64_t back;
        rc = parse(ctx, buf, blen, fmt, &back);
        int parsable = fmt == TSREC__TIME_FMT_EPOCH || got[k] >= YEAR_1000;
        if (parsable && (rc != TSREC_OK || back != got[k]))
            abort();
        /* A formatted value is canonical: formatting it again is a no-op. */
        if (rc == TSREC_OK) {
            char buf2[TSREC__TIME_STR_MAX];
            if (tsrec__time_format(back, fmt, buf2, sizeof buf2, NULL) != TSREC_OK ||
                strcmp(buf, buf2) != 0)
                abort();
        }
        /* A buffer one byte short is refused and left empty. */
        if (tsrec__time_format(got[k], fmt, buf, blen, NULL) != TSREC_E_INVALID_ARG ||
            (blen > 0 && buf[0] != '\0'))
            abort();
    }
    int64_t t;
    int rc = parse(ctx, text, len, mask, &t);
    if (mask == 0) {
        if (rc != TSREC_E_INVALID_ARG)
            abort();
    } else {
        int any_single = 0, same_value = 0;
        for (int k = 0; k < N_FORMATS; k++) {
            if (!(mask & FORMATS[k]) || !ok[k])
                continue;
            any_single = 1;
            same_value |= rc == TSREC_OK && t == got[k];
        }
        if ((rc == TSREC_OK) != any_single || (rc == TSREC_OK && !same_value))
            abort();
    }
    fuzz_ctx_free(ctx);
    return 0;
}
