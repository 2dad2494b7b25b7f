#!/usr/bin/python3
"""bench/markov_reference.py: an independent exact Markov attribution, to check
mixmodel.markov_attribution against (bench/markov.sql; doc/attribution.md).

Written from formulas.md §6.3 alone, sharing no code with the extension: its own
state building (Python tuples and dicts), a sparse LU solve (scipy's SuperLU,
not LAPACK's dense LU or Gauss-Seidel sweeps), and removal by restricting the
system to the kept states.  Uses Debian's python3-numpy and python3-scipy.

    markov_reference.py PATHS.csv ORDER USE_NULL [SEP]    -> channel;re;re_value;conversions;revenue
    markov_reference.py --compare OURS.csv PATHS.csv ORDER USE_NULL
        prints the largest differences from the extension's output (OURS.csv, same columns)

PATHS.csv: ';'-separated with a header: path;conversions;value;nulls
(ChannelAttribution's PathData.csv has exactly that layout).
"""
import csv
import sys

import numpy as np
from scipy.sparse import csr_matrix, identity
from scipy.sparse.linalg import spsolve


def read_paths(name, sep=" > "):
    rows = []
    with open(name, newline="") as f:
        r = csv.reader(f, delimiter=";")
        next(r)
        for rec in r:
            tokens = [t.strip() for t in rec[0].split(sep)]
            rows.append((tokens, float(rec[1]), float(rec[2]), float(rec[3])))
    return rows


def states_of(tokens, order):
    if len(tokens) < order:
        wins = [tuple(tokens)]
    else:
        wins = [tuple(tokens[i:i + order]) for i in range(len(tokens) - order + 1)]
    out = []
    for w in wins:
        if not out or out[-1] != w:
            out.append(w)
    return out


def attribute(rows, order, use_null):
    index = {("(start)",): 0}
    trans = {}
    conv_end, value_end, null_end, out = {}, {}, {}, {}
    channels = set()
    total_conv = total_value = 0.0
    for tokens, c, v, u in rows:
        channels.update(tokens)
        total_conv += c
        total_value += v
        u = u if use_null else 0.0
        w = c + u
        if w <= 0:
            continue
        seq = states_of(tokens, order)
        prev = 0
        for s in seq:
            j = index.setdefault(s, len(index))
            trans[(prev, j)] = trans.get((prev, j), 0.0) + w
            out[prev] = out.get(prev, 0.0) + w
            prev = j
        conv_end[prev] = conv_end.get(prev, 0.0) + c
        value_end[prev] = value_end.get(prev, 0.0) + v
        null_end[prev] = null_end.get(prev, 0.0) + u
        out[prev] = out.get(prev, 0.0) + c + u
    n = len(index)
    keys = list(trans)
    rowsi = np.array([k[0] for k in keys])
    colsi = np.array([k[1] for k in keys])
    prob = np.array([trans[k] / out[k[0]] for k in keys])
    q = csr_matrix((prob, (rowsi, colsi)), shape=(n, n))
    r = np.zeros(n)
    rv = np.zeros(n)
    for s, tot in out.items():
        r[s] = conv_end.get(s, 0.0) / tot
        rv[s] = value_end.get(s, 0.0) / tot
    state_of = {i: s for s, i in index.items()}

    def solve(kept):
        idx = np.flatnonzero(kept)
        sub = q[idx][:, idx]
        a = (identity(len(idx), format="csc") - sub).tocsc()
        h = spsolve(a, np.column_stack([r[idx], rv[idx]]))
        pos = int(np.flatnonzero(idx == 0)[0])
        return h[pos, 0], h[pos, 1]

    full = solve(np.ones(n, dtype=bool))
    res = {}
    for ch in sorted(channels):
        kept = np.array([i == 0 or ch not in state_of[i] for i in range(n)])
        h = solve(kept)
        re = 1 - h[0] / full[0] if full[0] > 0 else 0.0
        rev = 1 - h[1] / full[1] if full[1] > 0 else 0.0
        res[ch] = (re, rev)
    sre = sum(x[0] for x in res.values())
    srev = sum(x[1] for x in res.values())
    return {ch: (re, rev, re / sre * total_conv if sre > 0 else 0.0,
                 rev / srev * total_value if srev > 0 else 0.0)
            for ch, (re, rev) in res.items()}


def main(argv):
    if argv[1] == "--compare":
        ours = {}
        with open(argv[2], newline="") as f:
            for rec in csv.reader(f, delimiter=";"):
                ours[rec[0]] = tuple(float(x) for x in rec[1:5])
        ref = attribute(read_paths(argv[3]), int(argv[4]), argv[5] in ("t", "true", "1"))
        if set(ours) != set(ref):
            print("channels differ: %s vs %s" % (sorted(ours), sorted(ref)))
            return 1
        d_re = max(max(abs(ours[c][0] - ref[c][0]), abs(ours[c][1] - ref[c][1])) for c in ref)
        d_conv = max(abs(ours[c][2] - ref[c][2]) / max(1.0, abs(ref[c][2])) for c in ref)
        d_rev = max(abs(ours[c][3] - ref[c][3]) / max(1.0, abs(ref[c][3])) for c in ref)
        print("%d channels, max |removal effect diff| %.1e, max relative conversions diff %.1e, revenue %.1e"
              % (len(ref), d_re, d_conv, d_rev))
        return 0 if max(d_re, d_conv, d_rev) < 1e-9 else 1
    res = attribute(read_paths(argv[1], argv[4] if len(argv) > 4 else " > "), int(argv[2]),
                    argv[3] in ("t", "true", "1"))
    w = csv.writer(sys.stdout, delimiter=";")
    for ch, vals in res.items():
        w.writerow([ch] + ["%.17g" % x for x in vals])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
