#!/usr/bin/env python3
"""Independent numpy reference for the Personalize offline metrics.

usage:
  personalize_metrics_ref.py <u.data> <out_dir>
      check bench_personalize (recipe cores on MovieLens-100k, codes =
      ids - 1): the lists it wrote and the metrics it reported;
  personalize_metrics_ref.py --public <ml100k|mlsmall> <file> <out_dir>
      check bench_personalize_api quality (the public API path:
      tsrec_solution_train + tsrec_solution_version_metric) on u.data or
      ratings.csv (header, comma-separated). Item codes are the group's
      dictionary order (out_dir/items.txt), the order ties are broken in;
      the test users are out_dir/split.txt. The public API does not expose
      its evaluation lists, so the lists are recomputed here and only the
      metrics are compared.

What is checked independently of libtsrec:
  * the per-user time order (stable: equal timestamps keep file order) and
    the 90/10 input/relevant cut of each test user (floor(9 L / 10) input
    rows, clamped to 1..L-1; relevant = distinct items of the rest);
  * the split's shape: test users have >= 2 interactions and there are
    floor(0.1 * eligible) of them. The random choice itself is NOT re-drawn
    here (libtsrec's xoshiro256** shuffle); the test users are read from
    split.txt;
  * the recommendation lists of Popularity-Count (both variants) and SIMS
    (AWS defaults: numpy percentiles, co-occurrence counts, top 500,
    popular padding), recomputed from the training users;
  * every metric against the values libtsrec reported, to 1e-9.
Exit status 1 on any mismatch.
"""
import sys
import numpy as np

KS = (5, 10, 25)
MAX_HISTORY = 1000  # SIMS max_history (tsrec__sims_params_init)


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


class Recipes:
    """Popularity-Count and SIMS (AWS defaults) trained on the non-test users.

    hist: user -> item codes in time order; n_cols: item code space."""

    def __init__(self, hist, test_set, n_cols):
        train_users = [u for u in hist if u not in test_set]
        rows = {u: r for r, u in enumerate(train_users)}
        B = np.zeros((len(train_users), n_cols), dtype=np.int32)
        for u in train_users:
            B[rows[u], hist[u]] = 1
        pop = B.sum(axis=0)
        self.ranked = [int(i) for i in np.lexsort((np.arange(n_cols), -pop)) if pop[i] > 0]
        # SIMS (definition in src/personalize/recipes/recipes_internal.h)
        lens = np.array([len(hist[u]) for u in train_users])
        lo, hi = np.percentile(lens, 0.5), np.percentile(lens, 99.5)
        Bk = B.copy()
        kept_u = (lens >= lo) & (lens <= hi)
        Bk[~kept_u, :] = 0
        ci = Bk.sum(axis=0)
        pos = ci[ci > 0]
        ilo, ihi = np.percentile(pos, 1.0), np.percentile(pos, 90.0)
        keep = (ci > 0) & (ci >= ilo) & (ci <= ihi)
        Bk[:, ~keep] = 0
        # window: a kept user keeps only the MAX_HISTORY newest distinct
        # kept items (matters on ml-latest-small: histories up to 2698)
        for r, u in enumerate(train_users):
            if kept_u[r] and Bk[r].sum() > MAX_HISTORY:
                newest = []
                for i in reversed(hist[u]):
                    if keep[i] and i not in newest:
                        newest.append(i)
                        if len(newest) == MAX_HISTORY:
                            break
                Bk[r, :] = 0
                Bk[r, newest] = 1
        self.Bk = Bk
        c = Bk.sum(axis=0).astype(np.float64)
        self.pw = np.where(c > 0, c ** 0.5, 1.0)
        self.rows = {}

    def cooc_row(self, q):
        # row q of C = Bk' Bk without the diagonal, computed on demand
        if q not in self.rows:
            r = self.Bk[self.Bk[:, q] > 0].sum(axis=0).astype(np.float64)
            r[q] = 0
            self.rows[q] = r
        return self.rows[q]

    def popularity(self, excl):
        return [i for i in self.ranked if i not in excl][:25]

    def sims(self, q, excl):
        row = self.cooc_row(q)
        cand = np.nonzero(row >= 3)[0]
        sc = row[cand] / (self.pw[q] * self.pw[cand])
        nb = [int(cand[k]) for k in np.lexsort((cand, -sc))][:500]
        outl = [j for j in nb if j not in excl][:25]
        for j in self.ranked:
            if len(outl) >= 25:
                break
            if j != q and j not in excl and j not in outl:
                outl.append(j)
        return outl


def cut_users(hist, test):
    cut = {}
    for u in test:
        L = len(hist[u])
        n_in = min(max(9 * L // 10, 1), L - 1)
        cut[u] = (hist[u][:n_in], set(hist[u][n_in:]))
    return cut


def split_ok(hist, test):
    eligible = sum(1 for h in hist.values() if len(h) >= 2)
    if len(test) != max(1, eligible // 10) or any(len(hist[u]) < 2 for u in test):
        print("split shape mismatch")
        return False
    return True


def compare(label, lists, test, cut, n_catalog, metrics_path):
    sums = {}
    for u in test:
        for k, v in list_metrics(lists[u], cut[u][1]).items():
            sums[k] = sums.get(k, 0.0) + v
    ref = {k: v / len(test) for k, v in sums.items()}
    ref["coverage"] = len({i for u in test for i in lists[u]}) / n_catalog
    got = dict((l.split()[0], float(l.split()[1])) for l in open(metrics_path))
    worst = max(abs(got[k] - ref[k]) for k in ref)
    return ref, worst


def main_core(data, out_dir):
    raw = np.loadtxt(data, dtype=np.int64)
    user, item, ts = raw[:, 0], raw[:, 1], raw[:, 3]
    n_items = int(item.max())
    order = np.lexsort((np.arange(len(user)), ts, user))  # stable by time per user
    hist = {}
    for k in order:
        hist.setdefault(int(user[k]), []).append(int(item[k]))
    test = [int(x) for x in open(out_dir + "/split.txt").read().split()]
    ok = split_ok(hist, test)
    cut = cut_users(hist, test)
    rec = Recipes(hist, set(test), n_items + 1)  # column 0 unused (ids from 1)
    for recipe in ("popularity", "popularity_same", "sims"):
        lists = {}
        for line in open("%s/recs_%s.txt" % (out_dir, recipe)):
            f = [int(x) for x in line.split()]
            lists[f[0]] = f[1:]
        if sorted(lists) != sorted(test):
            print(recipe, "users differ")
            ok = False
            continue
        n_list_bad = 0
        for u in test:
            inp, _ = cut[u]
            if recipe == "sims":
                want = rec.sims(inp[-1], set(inp))
            else:
                want = rec.popularity(set(inp) if recipe == "popularity" else set())
            n_list_bad += want != lists[u]
        if n_list_bad:
            print("%s: %d of %d recommendation lists differ from the numpy recipe" %
                  (recipe, n_list_bad, len(test)))
            ok = False
        _, worst = compare(recipe, lists, sorted(test), cut, n_items,
                           "%s/metrics_%s.txt" % (out_dir, recipe))
        print("ref: recipe=%s lists_equal=%s max_abs_diff=%.3g %s" %
              (recipe, "yes" if n_list_bad == 0 else "NO", worst,
               "OK" if worst <= 1e-9 else "MISMATCH"))
        ok = ok and worst <= 1e-9
    return ok


def read_public(kind, path):
    """(user id, item id, timestamp, rating text) rows in file order."""
    out = []
    with open(path) as f:
        if kind == "mlsmall":
            next(f)
        for line in f:
            p = line.strip().split("," if kind == "mlsmall" else None)
            if len(p) == 4:
                out.append((p[0], p[1], int(p[3]), float(p[2])))
    return out


def main_public(kind, path, out_dir):
    items = open(out_dir + "/items.txt").read().split("\n")[:-1]
    code = {s: k for k, s in enumerate(items)}
    raw = read_public(kind, path)
    # libtsrec drops identical events (user, item, timestamp, value), first kept
    seen, rows = set(), []
    for r in raw:
        if r not in seen:
            seen.add(r)
            rows.append(r)
    user = [r[0] for r in rows]
    ts = np.array([r[2] for r in rows], dtype=np.int64)
    uidx = {}
    ucode = np.array([uidx.setdefault(u, len(uidx)) for u in user], dtype=np.int64)
    order = np.lexsort((np.arange(len(rows)), ts, ucode))
    hist = {}
    for k in order:
        hist.setdefault(user[k], []).append(code[rows[k][1]])
    test = open(out_dir + "/split.txt").read().split("\n")[:-1]
    ok = split_ok(hist, test)
    cut = cut_users(hist, test)
    rec = Recipes(hist, set(test), len(items))
    print("ref: data=%s interactions=%d users=%d items=%d test_users=%d" %
          (kind, len(rows), len(hist), len(items), len(test)))
    for recipe in ("popularity", "sims"):
        lists = {}
        for u in test:
            inp, _ = cut[u]
            lists[u] = (rec.sims(inp[-1], set(inp)) if recipe == "sims"
                        else rec.popularity(set(inp)))
        ref, worst = compare(recipe, lists, test, cut, len(items),
                             "%s/metrics_%s.txt" % (out_dir, recipe))
        print("ref: data=%s recipe=%s path=public ndcg_at_10=%.6f max_abs_diff=%.3g %s" %
              (kind, recipe, ref["normalized_discounted_cumulative_gain_at_10"], worst,
               "OK" if worst <= 1e-9 else "MISMATCH"))
        ok = ok and worst <= 1e-9
    return ok


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--public":
        ok = main_public(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 3:
        ok = main_core(sys.argv[1], sys.argv[2])
    else:
        print(__doc__)
        sys.exit(2)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
