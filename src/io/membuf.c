/* tsrec_membuf: the stream callbacks of io.h over caller memory, so any
 * object can be saved to or loaded from a byte buffer. */
#include <string.h>

#include "tsrec/io.h"

int tsrec_membuf_write(void *membuf, const void *data, size_t len)
{
    tsrec_membuf *m = membuf;
    if (m == NULL || (len > 0 && data == NULL) || len > SIZE_MAX - m->len)
        return -1;
    /* Size query: count only. */
    if (m->data == NULL) {
        m->len += len;
        return 0;
    }
    if (m->len > m->cap || len > m->cap - m->len)
        return -1;
    if (len > 0)
        memcpy((unsigned char *)m->data + m->len, data, len);
    m->len += len;
    return 0;
}

int tsrec_membuf_read(void *membuf, void *buf, size_t cap, size_t *out_len)
{
    if (out_len != NULL)
        *out_len = 0;
    tsrec_membuf *m = membuf;
    if (m == NULL || out_len == NULL || (cap > 0 && buf == NULL) || m->pos > m->len ||
        (m->data == NULL && m->len > 0))
        return -1;
    size_t n = m->len - m->pos;
    if (n > cap)
        n = cap;
    if (n > 0)
        memcpy(buf, (const unsigned char *)m->data + m->pos, n);
    m->pos += n;
    *out_len = n;
    return 0;
}
