/* The best k of an item's SIMS candidates, in order (score desc, item code
 * asc). On dense data (many items co-occurring with each item) sorting the
 * candidates is most of training: qsort's call per comparison and sorting
 * the tail that is thrown away both cost. This is a partial introsort
 * with the comparison inlined: partitions that lie wholly at or after
 * position k are left unsorted; a heap sort takes over a range when the
 * partitioning goes too deep (no quadratic worst case). The order is total
 * (items are distinct), so the result equals a full sort's first k. */
#include "sims_internal.h"

/* x goes before y */
static inline int before(const tsrec__sims_cand *x, const tsrec__sims_cand *y)
{
    return x->score > y->score || (x->score == y->score && x->item < y->item);
}

static inline void swap_cand(tsrec__sims_cand *a, tsrec__sims_cand *b)
{
    tsrec__sims_cand t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(tsrec__sims_cand *c, int64_t n)
{
    for (int64_t k = 1; k < n; k++) {
        tsrec__sims_cand x = c[k];
        int64_t q = k;
        for (; q > 0 && before(&x, &c[q - 1]); q--)
            c[q] = c[q - 1];
        c[q] = x;
    }
}

/* Heap whose root is the candidate that goes last. */
static void sift_down(tsrec__sims_cand *c, int64_t n, int64_t r)
{
    for (;;) {
        int64_t ch = 2 * r + 1;
        if (ch >= n)
            return;
        if (ch + 1 < n && before(&c[ch], &c[ch + 1]))
            ch++;
        if (!before(&c[r], &c[ch]))
            return;
        swap_cand(&c[r], &c[ch]);
        r = ch;
    }
}

static void heap_sort(tsrec__sims_cand *c, int64_t n)
{
    for (int64_t r = n / 2 - 1; r >= 0; r--)
        sift_down(c, n, r);
    for (int64_t end = n - 1; end > 0; end--) {
        swap_cand(&c[0], &c[end]);
        sift_down(c, end, 0);
    }
}

/* Sorts c[lo..hi] (inclusive) as far as positions < k need it. */
static void partial_sort(tsrec__sims_cand *c, int64_t lo, int64_t hi, int64_t k, int depth)
{
    while (hi - lo > 16) {
        if (lo >= k)
            return;
        if (depth-- == 0) {
            heap_sort(c + lo, hi - lo + 1);
            return;
        }
        /* median of three at mid, then Hoare's partition around it:
         * [lo..j] go before or tie the pivot, [j+1..hi] after or tie */
        int64_t mid = lo + (hi - lo) / 2;
        if (before(&c[mid], &c[lo]))
            swap_cand(&c[mid], &c[lo]);
        if (before(&c[hi], &c[lo]))
            swap_cand(&c[hi], &c[lo]);
        if (before(&c[hi], &c[mid]))
            swap_cand(&c[hi], &c[mid]);
        tsrec__sims_cand p = c[mid];
        int64_t i = lo - 1, j = hi + 1;
        for (;;) {
            do
                i++;
            while (before(&c[i], &p));
            do
                j--;
            while (before(&p, &c[j]));
            if (i >= j)
                break;
            swap_cand(&c[i], &c[j]);
        }
        partial_sort(c, lo, j, k, depth);
        lo = j + 1;
    }
    if (lo < k && hi > lo)
        insertion_sort(c + lo, hi - lo + 1);
}

void tsrec__sims_best_k(tsrec__sims_cand *c, int64_t n, int64_t k)
{
    if (n < 2 || k < 1)
        return;
    int depth = 0;
    for (int64_t m = n; m > 1; m >>= 1)
        depth += 2;
    partial_sort(c, 0, n - 1, TSREC__MIN(k, n), depth);
}
