#!/usr/bin/env python3
"""Independent numpy reference for bench_personalize (MovieLens-100k).

usage: personalize_metrics_ref.py <u.data> <out_dir>

What is checked independently of libtsrec:
  * the per-user time order and the 90/10 input/relevant cut of each test
    user (floor(9 L / 10) input rows, clamped to 1..L-1; relevant = distinct
    items of the rest), from the raw file;
  * the split's shape: test users have >= 2 interactions and there are
    floor(0.1 * eligible) of them. The random choice itself is NOT re-drawn
    here (libtsrec's xoshiro256** shuffle); the test users are read from
    split.txt;
  * the recommendation lists of Popularity-Count (both variants) and SIMS
    (AWS defaults: numpy percentiles, dense co-occurrence, top 500, popular
    padding), recomputed from the training users and compared item by item;
  * every metric, recomputed from the lists libtsrec wrote, against the
    values libtsrec reported, to 1e-9.
Exit status 1 on any mismatch.
"""
import sys
import numpy as np

KS = (5, 10, 25)


def list_metrics(recs, rel):
    out = {}
    hits = [1.0 if r in rel else 0.0 for r in recs[:25]]
    first = next((p for p, h in enumerate(hits) if h), None)
    out["mean_reciprocal_rank_at_25"] = 0.0 if first is None else 1.0 / (first + 1)
    for k in KS:
        dcg = sum(h / np.log2(p + 2.0) for p, h in enumerate(hits[:k]))
        idcg = sum(1.0 / np.log2(p + 2.0) for p in range(min(len(rel), k)))
        out["normalized_discounted_cumulative_gain_at_%d" % k] = dcg / idcg
        out["precision_at_%d" % k] = sum(hits[:k]) / k
    return out


def main():
    data, out_dir = sys.argv[1], sys.argv[2]
    raw = np.loadtxt(data, dtype=np.int64)
    user, item, ts = raw[:, 0], raw[:, 1], raw[:, 3]
    n_items = int(item.max())
    order = np.lexsort((np.arange(len(user)), ts, user))  # stable by time per user
    hist = {}
    for k in order:
        hist.setdefault(int(user[k]), []).append(int(item[k]))
    test = [int(x) for x in open(out_dir + "/split.txt").read().split()]
    eligible = sum(1 for h in hist.values() if len(h) >= 2)
    ok = True
    if len(test) != max(1, eligible // 10) or any(len(hist[u]) < 2 for u in test):
        print("split shape mismatch"); ok = False
    test_set = set(test)
    cut = {}
    for u in test:
        L = len(hist[u]); n_in = min(max(9 * L // 10, 1), L - 1)
        cut[u] = (hist[u][:n_in], set(hist[u][n_in:]))

    # training users: distinct-user popularity, ranked count desc, id asc
    train_users = [u for u in hist if u not in test_set]
    B = np.zeros((max(hist) + 1, n_items + 1), dtype=np.int64)
    for u in train_users:
        B[u, hist[u]] = 1
    pop = B.sum(axis=0)
    ranked = [int(i) for i in np.lexsort((np.arange(n_items + 1), -pop)) if pop[i] > 0]

    # SIMS with AWS defaults on the training users (definition in
    # src/personalize/recipes/recipes_internal.h; window 1000 > any history)
    lens = np.array([len(hist[u]) for u in train_users])
    lo, hi = np.percentile(lens, 0.5), np.percentile(lens, 99.5)
    Bk = B.copy()
    for u in train_users:
        if not (lo <= len(hist[u]) <= hi):
            Bk[u, :] = 0
    ci = Bk.sum(axis=0)
    pos = ci[ci > 0]
    ilo, ihi = np.percentile(pos, 1.0), np.percentile(pos, 90.0)
    keep = (ci > 0) & (ci >= ilo) & (ci <= ihi)
    Bk[:, ~keep] = 0
    c = Bk.sum(axis=0).astype(np.float64)
    C = Bk.T.astype(np.float64) @ Bk.astype(np.float64)
    np.fill_diagonal(C, 0)
    pw = np.where(c > 0, c ** 0.5, 1.0)

    def sims_list(q, excl):
        row = C[q]
        cand = np.nonzero(row >= 3)[0]
        sc = row[cand] / (pw[q] * pw[cand])
        nb = [int(cand[k]) for k in np.lexsort((cand, -sc))][:500]
        outl = [j for j in nb if j not in excl][:25]
        for j in ranked:
            if len(outl) >= 25:
                break
            if j != q and j not in excl and j not in outl:
                outl.append(j)
        return outl

    for recipe in ("popularity", "popularity_same", "sims"):
        lists = {}
        for line in open("%s/recs_%s.txt" % (out_dir, recipe)):
            f = [int(x) for x in line.split()]
            lists[f[0]] = f[1:]
        if sorted(lists) != sorted(test):
            print(recipe, "users differ"); ok = False; continue
        n_list_bad = 0
        for u in test:
            inp, _ = cut[u]
            excl = set(inp) if recipe != "popularity_same" else set()
            if recipe == "sims":
                want = sims_list(inp[-1], excl)
            else:
                want = [i for i in ranked if i not in excl][:25]
            n_list_bad += want != lists[u]
        if n_list_bad:
            print("%s: %d of %d recommendation lists differ from the numpy recipe" %
                  (recipe, n_list_bad, len(test))); ok = False
        sums = {}
        for u in sorted(test):
            for k, v in list_metrics(lists[u], cut[u][1]).items():
                sums[k] = sums.get(k, 0.0) + v
        ref = {k: v / len(test) for k, v in sums.items()}
        ref["coverage"] = len({i for u in test for i in lists[u]}) / n_items
        got = dict((l.split()[0], float(l.split()[1]))
                   for l in open("%s/metrics_%s.txt" % (out_dir, recipe)))
        worst = max(abs(got[k] - ref[k]) for k in ref)
        print("ref: recipe=%s lists_equal=%s max_abs_diff=%.3g %s" %
              (recipe, "yes" if n_list_bad == 0 else "NO", worst,
               "OK" if worst <= 1e-9 else "MISMATCH"))
        ok = ok and worst <= 1e-9
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
