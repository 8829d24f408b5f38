/* SIMS steps 1-3 (recipes_internal.h): user and item filters and the
 * per-user window, giving the binary user x item matrix B in the layout
 * sims_internal.h describes (sorted user lists between sentinels, and per
 * item the positions of its entries in them).
 *
 * The store's item postings (users ascending per item) give B without
 * sorting anything: the distinct users of each item are its runs, and
 * walking the kept items in order appends each to its users' lists, which
 * thus come out sorted, with each entry's position known when placed. Only
 * users with more distinct kept items than max_history (rare) walk their
 * rows to find the newest ones. Stores whose postings are not sorted (not
 * expected, but checked) take the row route: every kept user's window
 * from its rows, sorted, then transposed. Both give the same B. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sims_internal.h"

void tsrec__sims_matrix_free(tsrec_ctx *ctx, tsrec__sims_matrix *b)
{
    tsrec__free(ctx, b->lst);
    tsrec__free(ctx, b->i_off);
    tsrec__free(ctx, b->i_pos);
    tsrec__free(ctx, b->powc);
    memset(b, 0, sizeof(*b));
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Ascending sort of the positive values v[0..k). Counting sort through
 * hist (cap entries, zeroed, left zeroed) when the largest value is below
 * cap, the usual case for history lengths and item counts (linear time,
 * where qsort was a noticeable part of training); qsort otherwise. */
static void sort_counts(int64_t *v, int64_t k, int64_t *hist, int64_t cap)
{
    int64_t max = 0;
    for (int64_t i = 0; i < k; i++)
        max = TSREC__MAX(max, v[i]);
    if (max >= cap) {
        qsort(v, (size_t)k, sizeof(int64_t), cmp_i64);
        return;
    }
    for (int64_t i = 0; i < k; i++)
        hist[v[i]]++;
    int64_t w = 0;
    for (int64_t x = 1; x <= max; x++) {
        for (int64_t c = hist[x]; c > 0; c--)
            v[w++] = x;
        hist[x] = 0;
    }
}

/* [lo, hi] bounds of the q_lo / q_hi percentiles of the positive values
 * of v[0..n) (sorted in scratch, hist as for sort_counts). No positive
 * value: an empty range. */
static void percentile_range(const int64_t *v, int64_t n, int64_t *scratch, int64_t *hist,
                             int64_t cap, double q_lo, double q_hi, double *lo, double *hi)
{
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
        if (v[i] > 0)
            scratch[k++] = v[i];
    if (k == 0) {
        *lo = 1.0;
        *hi = 0.0;
        return;
    }
    sort_counts(scratch, k, hist, cap);
    *lo = tsrec__percentile_sorted(scratch, k, q_lo);
    *hi = tsrec__percentile_sorted(scratch, k, q_hi);
}

/* Ascending sort of one user's window (distinct item codes): insertion
 * sort up to 64 items (most histories; fewer mispredicted branches than
 * Shell sort's passes there), Shell sort (Ciura's gaps, then
 * x2.25) beyond; both in place, without recursion or a quadratic worst
 * case on long histories. */
static void sort_run(int32_t *v, int64_t n)
{
    static const int64_t ciura[] = {1, 4, 10, 23, 57, 132, 301, 701, 1750};
    int64_t gaps[48], ng = 0;
    if (n > 64) {
        for (; ng < 9 && ciura[ng] < n; ng++)
            gaps[ng] = ciura[ng];
        for (double g = 1750.0 * 2.25; ng < 48 && g < (double)n; g *= 2.25)
            gaps[ng++] = (int64_t)g;
    } else {
        gaps[ng++] = 1;
    }
    while (ng-- > 0) {
        int64_t g = gaps[ng];
        for (int64_t k = g; k < n; k++) {
            int32_t x = v[k];
            int64_t q = k;
            for (; q >= g && v[q - g] > x; q -= g)
                v[q] = v[q - g];
            v[q] = x;
        }
    }
}

/* Work space shared by the steps below. */
typedef struct build_ws {
    int64_t *len;     /* max(n_users, n_items): history lengths, then c_i */
    int64_t *scratch; /* max(n_users, n_items) */
    int64_t *hist;    /* n_items, zero between uses */
    uint32_t *mark;   /* n_items: stamps, then see steps_1_2 */
    uint8_t *keep_u;  /* n_users: 0 dropped, 1 kept, 2 kept with a capped window */
} build_ws;

enum { DROPPED = 0, KEPT = 1, CAPPED = 2 };

/* Are the users of every item's postings ascending (the store's layout,
 * interactions_internal.h)? Checked rather than trusted: if not, the
 * matrix is built from the per-user rows instead. */
static int postings_sorted(const tsrec__interactions *s)
{
    if (s->post_user == NULL)
        return 0;
    for (int64_t i = 0; i < s->n_items; i++)
        for (int64_t a = s->item_off[i] + 1; a < s->item_off[i + 1]; a++)
            if (s->post_user[a] < s->post_user[a - 1])
                return 0;
    return 1;
}

/* Steps 1-2: keep_u (KEPT / DROPPED), len[i] = c_i (distinct kept users of
 * i; 0 for dropped items), and mark[i] = 0 for kept items, UINT32_MAX
 * for dropped ones (step 3's stamps on kept items stay below it). c_i
 * comes from the postings when `sorted` (users ascending per item, so a
 * user's repeats are adjacent), else from each kept user's rows with mark
 * as a "last user seen + 1" stamp. */
static void steps_1_2(const tsrec__interactions *s, const tsrec__sims_params *p, int sorted,
                      build_ws *ws)
{
    int64_t nu = s->n_users, ni = s->n_items;
    size_t big = (size_t)TSREC__MAX(TSREC__MAX(nu, ni), 1);
    int64_t *len = ws->len;
    uint8_t *keep_u = ws->keep_u;
    /* 1. users by history length */
    double lo, hi;
    for (int64_t u = 0; u < nu; u++)
        len[u] = tsrec__interactions_user_count(s, u);
    percentile_range(len, nu, ws->scratch, ws->hist, ni, p->min_user_history_length_percentile,
                     p->max_user_history_length_percentile, &lo, &hi);
    for (int64_t u = 0; u < nu; u++)
        keep_u[u] = len[u] > 0 && (double)len[u] >= lo && (double)len[u] <= hi ? KEPT : DROPPED;
    /* 2. items by distinct kept users */
    memset(len, 0, big * sizeof(int64_t));
    if (sorted) {
        for (int64_t i = 0; i < ni; i++) {
            int64_t c = 0;
            int32_t prev = -1;
            for (int64_t a = s->item_off[i]; a < s->item_off[i + 1]; a++) {
                int32_t u = s->post_user[a];
                if (u != prev) {
                    prev = u;
                    c += keep_u[u];
                }
            }
            len[i] = c;
        }
    } else {
        for (int64_t u = 0; u < nu; u++) {
            if (!keep_u[u])
                continue;
            for (int64_t k = s->user_off[u]; k < s->user_off[u + 1]; k++) {
                int32_t it = s->item[k];
                if (ws->mark[it] != (uint32_t)(u + 1)) {
                    ws->mark[it] = (uint32_t)(u + 1);
                    len[it]++;
                }
            }
        }
    }
    percentile_range(len, ni, ws->scratch, ws->hist, ni,
                     p->min_item_interaction_count_percentile,
                     p->max_item_interaction_count_percentile, &lo, &hi);
    for (int64_t i = 0; i < ni; i++) {
        int keep = len[i] > 0 && (double)len[i] >= lo && (double)len[i] <= hi;
        ws->mark[i] = keep ? 0 : UINT32_MAX;
        len[i] = keep ? len[i] : 0;
    }
}

/* Newest-first walk over user u's rows: its first `cap` distinct kept
 * items go to out (returns how many); with `beyond`, each further distinct
 * kept item has its len decremented (it is outside u's window). mark[i] <
 * u + 1 means "kept and not yet seen for u": stamps only grow, as users
 * are walked ascending. */
static int64_t user_window(const tsrec__interactions *s, int64_t u, int64_t cap, uint32_t *mark,
                           int32_t *out, int64_t *beyond)
{
    int64_t taken = 0;
    for (int64_t k = s->user_off[u + 1] - 1; k >= s->user_off[u]; k--) {
        int32_t it = s->item[k];
        if (mark[it] >= (uint32_t)(u + 1))
            continue;
        mark[it] = (uint32_t)(u + 1);
        if (taken < cap)
            out[taken++] = it;
        else if (beyond != NULL)
            beyond[it]--;
        else
            break;
    }
    return taken;
}

/* Step 3 from the rows (postings not sorted): each kept user's window
 * into lst, sorted, lists between -1 sentinels; len[i] becomes the window
 * column sums. Returns the used length of lst. */
static int64_t step_3_rows(const tsrec__interactions *s, int64_t cap, build_ws *ws, int32_t *lst,
                           int64_t *n_users_kept)
{
    int64_t w = 1, users = 0;
    memset(ws->len, 0, (size_t)TSREC__MAX(s->n_items, 1) * sizeof(int64_t));
    lst[0] = -1;
    for (int64_t u = 0; u < s->n_users; u++) {
        if (!ws->keep_u[u])
            continue;
        int64_t n = user_window(s, u, cap, ws->mark, lst + w, NULL);
        for (int64_t k = 0; k < n; k++)
            ws->len[lst[w + k]]++;
        if (n > 0) {
            sort_run(lst + w, n);
            w += n;
            lst[w++] = -1;
            users++;
        }
    }
    *n_users_kept = users;
    return w;
}

/* Step 3 from the sorted postings, first part: d[u] = distinct kept items
 * of each kept user (scratch), and the length lst will need. */
static int64_t postings_user_counts(const tsrec__interactions *s, int64_t cap, build_ws *ws)
{
    int64_t nu = s->n_users, ni = s->n_items, *d = ws->scratch, need = 1;
    memset(d, 0, (size_t)TSREC__MAX(nu, 1) * sizeof(int64_t));
    for (int64_t i = 0; i < ni; i++) {
        if (ws->mark[i] == UINT32_MAX)
            continue; /* dropped item */
        int32_t prev = -1;
        for (int64_t a = s->item_off[i]; a < s->item_off[i + 1]; a++) {
            int32_t u = s->post_user[a];
            if (u != prev) {
                prev = u;
                d[u] += ws->keep_u[u] != DROPPED;
            }
        }
    }
    for (int64_t u = 0; u < nu; u++)
        need += d[u] > 0 ? TSREC__MIN(d[u], cap) + 1 : 0;
    return need;
}

/* Step 3 from the sorted postings, second part: the lst layout. A kept
 * user's window is all its distinct kept items unless there are more than
 * `cap`; only such (rare) CAPPED users walk their rows for the newest
 * `cap`, written and sorted here, and the items left outside their window
 * lose that user from len. scratch[u] goes from d[u] to the start of u's
 * list in lst; the other lists are filled by postings_fill. Returns the
 * used length of lst. */
static int64_t postings_layout(const tsrec__interactions *s, int64_t cap, build_ws *ws,
                               int32_t *lst, int64_t *n_users_kept)
{
    int64_t *d = ws->scratch, w = 1, users = 0;
    lst[0] = -1;
    for (int64_t u = 0; u < s->n_users; u++) {
        int64_t n = TSREC__MIN(d[u], cap);
        if (n == 0)
            continue;
        if (d[u] > cap) {
            ws->keep_u[u] = CAPPED;
            user_window(s, u, cap, ws->mark, lst + w, ws->len);
            sort_run(lst + w, n);
        }
        d[u] = w;
        w += n;
        lst[w++] = -1;
        users++;
    }
    *n_users_kept = users;
    return w;
}

/* Step 3 from the sorted postings, second half: walking kept items
 * ascending appends each to its users' lists, so those come out sorted
 * and each entry's position is known as it is placed (users ascending per
 * item); the CAPPED users' entries, already in lst, are added after. */
static void postings_fill(const tsrec__interactions *s, build_ws *ws, tsrec__sims_matrix *b)
{
    int64_t nu = s->n_users, ni = s->n_items, *next = ws->scratch, *item_end = ws->hist;
    for (int64_t i = 0; i < ni; i++) {
        int64_t o = b->i_off[i];
        if (ws->mark[i] == UINT32_MAX) {
            item_end[i] = o;
            continue;
        }
        int32_t prev = -1;
        for (int64_t a = s->item_off[i]; a < s->item_off[i + 1]; a++) {
            int32_t u = s->post_user[a];
            if (u == prev)
                continue;
            prev = u;
            if (ws->keep_u[u] != KEPT)
                continue;
            int64_t pos = next[u]++;
            b->lst[pos] = (int32_t)i;
            b->i_pos[o++] = pos;
        }
        item_end[i] = o;
    }
    for (int64_t u = 0; u < nu; u++) {
        if (ws->keep_u[u] != CAPPED)
            continue;
        for (int64_t pos = next[u]; b->lst[pos] >= 0; pos++)
            b->i_pos[item_end[b->lst[pos]]++] = pos;
    }
    memset(item_end, 0, (size_t)TSREC__MAX(ni, 1) * sizeof(int64_t));
}

int tsrec__sims_matrix_build(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__interactions *s,
                             const tsrec__sims_params *p, tsrec__sims_matrix *b,
                             int64_t *n_users_kept, int64_t *n_items_kept)
{
    memset(b, 0, sizeof(*b));
    int64_t nu = s->n_users, ni = s->n_items;
    size_t big = (size_t)TSREC__MAX(TSREC__MAX(nu, ni), 1);
    build_ws ws;
    ws.len = tsrec__calloc(ctx, big, sizeof(int64_t));
    ws.scratch = tsrec__alloc(ctx, big * sizeof(int64_t));
    ws.hist = tsrec__calloc(ctx, (size_t)TSREC__MAX(ni, 1), sizeof(int64_t));
    ws.mark = tsrec__calloc(ctx, (size_t)TSREC__MAX(ni, 1), sizeof(uint32_t));
    ws.keep_u = tsrec__calloc(ctx, (size_t)TSREC__MAX(nu, 1), 1);
    b->n_items = ni;
    b->i_off = tsrec__calloc(ctx, (size_t)ni + 1, sizeof(int64_t));
    b->powc = tsrec__alloc(ctx, (size_t)TSREC__MAX(ni, 1) * sizeof(double));
    int rc = TSREC_OK;
    if (ws.len == NULL || ws.scratch == NULL || ws.hist == NULL || ws.mark == NULL ||
        ws.keep_u == NULL || b->i_off == NULL || b->powc == NULL)
        goto nomem;
    int sorted = postings_sorted(s);
    int64_t cap = p->max_history > 0 ? p->max_history : INT64_MAX;
    steps_1_2(s, p, sorted, &ws);
    /* lst: its exact length from the postings, else the most it can need */
    int64_t need = sorted ? postings_user_counts(s, cap, &ws) : s->n + nu + 1;
    b->lst = tsrec__alloc(ctx, (size_t)need * sizeof(int32_t));
    if (b->lst == NULL)
        goto nomem;
    int64_t n_lst = sorted ? postings_layout(s, cap, &ws, b->lst, n_users_kept)
                           : step_3_rows(s, cap, &ws, b->lst, n_users_kept);
    int64_t items = 0;
    for (int64_t i = 0; i < ni; i++) {
        int64_t c = ws.len[i];
        b->i_off[i + 1] = b->i_off[i] + c;
        items += c > 0;
        b->powc[i] = c > 0 ? pow((double)c, p->popularity_discount_factor) : 1.0;
    }
    *n_items_kept = items;
    b->nnz = b->i_off[ni];
    b->i_pos = tsrec__alloc(ctx, (size_t)TSREC__MAX(b->nnz, 1) * sizeof(int64_t));
    if (b->i_pos == NULL)
        goto nomem;
    if (sorted) {
        postings_fill(s, &ws, b);
    } else {
        /* each item's entries by a walk over lst (users ascending) */
        memcpy(ws.scratch, b->i_off, (size_t)ni * sizeof(int64_t));
        for (int64_t pos = 1; pos < n_lst; pos++)
            if (b->lst[pos] >= 0)
                b->i_pos[ws.scratch[b->lst[pos]]++] = pos;
    }
    goto done;
nomem:
    rc = tsrec__fail(eh, TSREC_E_NOMEM, "sims: out of memory (%" PRId64 " interactions)", s->n);
    tsrec__sims_matrix_free(ctx, b);
done:
    tsrec__free(ctx, ws.len);
    tsrec__free(ctx, ws.scratch);
    tsrec__free(ctx, ws.hist);
    tsrec__free(ctx, ws.mark);
    tsrec__free(ctx, ws.keep_u);
    return rc;
}
