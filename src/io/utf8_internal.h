/* UTF-8 validation shared by the CSV reader and the JSON parser.
 *
 * Well-formed UTF-8 as Unicode 15 table 3-7 defines it: no overlong forms
 * (C0, C1, E0 80-9F, F0 80-8F), no surrogates (ED A0-BF), nothing above
 * U+10FFFF (F4 90-BF, F5-FF). Header-only so the hot loops can inline it. */
#ifndef TSREC_UTF8_INTERNAL_H
#define TSREC_UTF8_INTERNAL_H

#include <stddef.h>

/* Length of the multi-byte sequence starting at p (p[0] >= 0x80), looking
 * at no more than `avail` bytes: 2-4 when well-formed, 0 when invalid, -1
 * when the bytes available are a valid but incomplete prefix (the caller
 * needs more input, or has an invalid sequence at end of input). */
static inline int tsrec__utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    int n;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates U+D800-DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, or F5-FF */
    }
    for (int i = 1; i < n; i++) {
        if ((size_t)i >= avail)
            return -1;
        unsigned b = p[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            return 0;
    }
    return n;
}

#endif /* TSREC_UTF8_INTERNAL_H */
