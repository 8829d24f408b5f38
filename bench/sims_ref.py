#!/usr/bin/env python3
"""numpy/scipy sparse SIMS training, the peer of bench_sims_train.

usage: sims_ref.py <out_dir> [--check]

Reads out_dir/data.bin (written by bench_sims_train) and trains SIMS with
the AWS defaults exactly as src/personalize/recipes/recipes_internal.h
defines it, vectorised with numpy and scipy.sparse:
  1. users whose history length lies outside the [0.5 %, 99.5 %]
     linear-interpolation percentiles of the lengths are dropped;
  2. items whose distinct kept-user count c_i lies outside the
     [1 %, 90 %] percentiles of the positive counts are dropped;
  3. each kept user keeps the 1000 newest distinct kept items (equal
     timestamps: the later row first, as libtsrec walks its stable order
     backwards) -> CSR binary user x item matrix X;
  4. C = X^T X without its diagonal; entries with C_ij >=
     max(1, min_cointeraction_count = 3) score C_ij / (c_i^d c_j^d),
     d = popularity_discount_factor = 0.5, c = column sums of X;
  5. per item the best 500 by score desc, item code asc.
Only steps 1-5 are timed (reading the file is not). --check compares the
neighbour lists with out_dir/nb.bin (libtsrec's model) entry by entry.
Prints "bench: sims_train ..." with ratio = numpy time / libtsrec time
(out_dir/c_seconds.txt).
"""
import math
import sys
import time

import numpy as np
import scipy.sparse as sp

D = 0.5          # popularity_discount_factor
MIN_CO = 3       # min_cointeraction_count
USER_Q = (0.005, 0.995)
ITEM_Q = (0.01, 0.9)
MAX_NB = 500
MAX_HIST = 1000


def pct(sorted_v, q):
    """Linear-interpolation percentile, q in [0, 1] (numpy's default method,
    written out so the floating-point steps are libtsrec's)."""
    n = len(sorted_v)
    pos = q * (n - 1)
    lo = int(math.floor(pos))
    if lo >= n - 1:
        return float(sorted_v[n - 1])
    frac = pos - lo
    return float(sorted_v[lo]) + frac * float(sorted_v[lo + 1] - sorted_v[lo])


def load(path):
    with open(path, "rb") as f:
        n, n_users, n_items = np.fromfile(f, dtype=np.int64, count=3)
        user = np.fromfile(f, dtype=np.int32, count=n)
        item = np.fromfile(f, dtype=np.int32, count=n)
        ts = np.fromfile(f, dtype=np.int64, count=n)
    return int(n_users), int(n_items), user, item, ts


def train(n_users, n_items, user, item, ts):
    n = len(user)
    # 1. users by history length
    ln = np.bincount(user, minlength=n_users)
    pos = np.sort(ln[ln > 0])
    lo, hi = pct(pos, USER_Q[0]), pct(pos, USER_Q[1])
    keep_u = (ln > 0) & (ln >= lo) & (ln <= hi)
    # 2. items by distinct kept users
    m = keep_u[user]
    pairs = np.unique(user[m].astype(np.int64) * n_items + item[m])
    ci = np.bincount(pairs % n_items, minlength=n_items)
    pos = np.sort(ci[ci > 0])
    lo, hi = pct(pos, ITEM_Q[0]), pct(pos, ITEM_Q[1])
    keep_i = (ci > 0) & (ci >= lo) & (ci <= hi)
    # 3. window: newest MAX_HIST distinct kept items per user
    rows = np.nonzero(keep_u[user] & keep_i[item])[0]
    order = rows[np.lexsort((-rows, -ts[rows], user[rows]))]  # newest first per user
    u, it = user[order].astype(np.int64), item[order].astype(np.int64)
    _, first = np.unique(u * n_items + it, return_index=True)
    first.sort()                                  # keep the newest-first order
    u, it = u[first], it[first]
    start = np.searchsorted(u, u, side="left")    # u is ascending
    rank = np.arange(len(u)) - start
    w = rank < MAX_HIST
    u, it = u[w], it[w]
    X = sp.csr_matrix((np.ones(len(u), dtype=np.int32), (u, it)), shape=(n_users, n_items))
    c = np.asarray(X.sum(axis=0)).ravel()
    # libm pow, as libtsrec: numpy's power takes a sqrt path for 0.5 that
    # can differ from pow by an ulp and flip near-tied neighbours
    powc = np.array([math.pow(float(x), D) if x > 0 else 1.0 for x in c])
    # 4. co-occurrence counts
    C = (X.T.tocsr() @ X).tocsr()
    r = np.repeat(np.arange(n_items, dtype=np.int64), np.diff(C.indptr))
    k = (C.data >= max(1, MIN_CO)) & (r != C.indices)  # diagonal removed
    r, col, cnt = r[k], C.indices[k].astype(np.int64), C.data[k]
    score = cnt.astype(np.float64) / (powc[r] * powc[col])
    # 5. best MAX_NB per item: score desc, item asc
    o = np.lexsort((col, -score, r))
    r, col, score = r[o], col[o], score[o]
    rstart = np.searchsorted(r, r, side="left")
    keep = (np.arange(len(r)) - rstart) < MAX_NB
    r, col, score = r[keep], col[keep], score[keep]
    nb_off = np.zeros(n_items + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n_items), out=nb_off[1:])
    return nb_off, col.astype(np.int32), score, int(keep_u.sum()), int(keep_i.sum())


def read_model(path):
    with open(path, "rb") as f:
        n_items = int(np.fromfile(f, dtype=np.int64, count=1)[0])
        off = np.fromfile(f, dtype=np.int64, count=n_items + 1)
        e = int(off[-1])
        it = np.fromfile(f, dtype=np.int32, count=e)
        sc = np.fromfile(f, dtype=np.float32, count=e)
    return off, it, sc


def main():
    out_dir = sys.argv[1]
    check = "--check" in sys.argv[2:]
    n_users, n_items, user, item, ts = load(out_dir + "/data.bin")
    best = None
    reps = 1 if check else 2
    for _ in range(reps):
        t0 = time.perf_counter()
        nb_off, nb_item, nb_score, ku, ki = train(n_users, n_items, user, item, ts)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    print("numpy/scipy: %d interactions, %d users and %d items kept, %d neighbour entries, "
          "best of %d: %.3f s" % (len(user), ku, ki, len(nb_item), reps, best))
    ok = True
    if check:
        off, it, sc = read_model(out_dir + "/nb.bin")
        same_off = np.array_equal(off, nb_off)
        same_items = same_off and np.array_equal(it, nb_item)
        same_scores = same_items and np.array_equal(sc, nb_score.astype(np.float32))
        lists_bad = 0
        if not same_items:
            for i in range(n_items):
                a = it[off[i]:off[i + 1]]
                b = nb_item[nb_off[i]:nb_off[i + 1]]
                lists_bad += not np.array_equal(a, b)
        print("check: top-k lists %s (%d items, %d entries), float32 scores %s, "
              "lists differing %d" % ("EQUAL" if same_items else "DIFFER", n_items, len(it),
                                      "equal" if same_scores else "differ", lists_bad))
        ok = same_items and same_scores
    c_secs, threads = open(out_dir + "/c_seconds.txt").read().split()
    c_secs = float(c_secs)
    print("bench: sims_train interactions=%d users=%d items=%d tsrec_s=%.4f tsrec_threads=%s "
          "numpy_scipy_s=%.4f ratio=%.2f goal_ratio=10 meets_goal=%s%s" %
          (len(user), n_users, n_items, c_secs, threads, best, best / c_secs,
           "yes" if best / c_secs >= 10 else "no",
           (" lists_equal=%s" % ("yes" if ok else "no")) if check else ""))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
