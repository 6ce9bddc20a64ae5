#!/usr/bin/env python3
"""Shortcut audit of a compiled axiomc corpus: can direction-blind features predict the label?

Causal questions are about edge directions. Anything a reader can compute while ignoring them -- the
undirected skeleton of ``graph.edges`` around the query nodes -- or from the text's surface (sentence
positions, lengths, the question's template) should not predict the label. This script measures how
well such features do, independently of the cues ``axiomc`` itself controls.

Usage::

    python3 scripts/skeleton_audit.py out/default [--max-records 60000] [--json audit.json]

Shards are ``DIR/*/*.jsonl``; the first ``--max-records`` lines of each split (file order) are read.
Layouts ``records``, ``completion``, ``chat`` (fields at the top) and ``rl`` (fields in ``extra_info``,
label in ``reward_model.ground_truth``) are read. Training splits are those whose manifest role is
``train`` (``manifest.json`` ``splits``), else those whose name starts with ``train``.

Per task (the record's ``axiom``), fitted on the training splits: a logistic regression on
standardized features, a HistGradientBoostingClassifier (200 iterations), and a decision stump (the
best single feature and threshold on train). Training rows report 5-fold out-of-fold accuracy
(folds keep a premise, its other queries and its twin together); the stump's train accuracy is
in-sample. A second table gives the share of "Yes" by skeleton distance x-y. Accuracy well above
the larger label share means a shortcut a model can learn without reading directions.

Features (``FEATURES``, plus one-hots of the 30 commonest hypothesis templates on train, names
replaced by X/Y/Z/S/N): skeleton size, components and degree histogram; x-y distance (one-hot,
capped at 6, or disconnected), shortest-path count, adjacency, common neighbours, components,
degrees (one-hot), eccentricities, leaves; z's degree, distances, adjacency to x and y, and whether
it lies on a shortest or any simple x-y path; the set's (``set`` or ``given``) size, members on
shortest paths, whether it separates x from y, adjacency and distances to x and y; and the surface:
sentence count, lengths, name lengths, first/last sentence naming x and y, x named before y.
Deterministic (fixed seeds, one thread).
"""
import argparse
import glob
import hashlib
import json
import os
import re
import sys
from collections import Counter, defaultdict, deque

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

SEED = 0
CAP = 6  # skeleton distances are capped at CAP; CAP + 1 means "disconnected"
DEG_ONEHOT = 6  # degree one-hots: 0 .. DEG_ONEHOT-1 and ">= DEG_ONEHOT"
TOP_TEMPLATES = 30
BUCKETS = ["d=1", "d=2", "d=3", "d=4", "d>=5", "disc"]

BASE = ["n_nodes", "n_edges", "n_components", "deg_max", "deg_mean", "n_deg0", "n_deg1", "n_deg2",
        "n_deg3plus",
        "has_y", "dist_xy", "n_shortest_xy", "adj_xy", "common_nbrs_xy", "same_comp", "comp_x", "comp_y",
        "deg_x", "deg_y", "ecc_x", "ecc_y", "leaf_x", "leaf_y",
        "has_z", "deg_z", "dist_xz", "dist_yz", "z_adj_x", "z_adj_y", "z_adj_both", "z_on_shortest",
        "z_on_simple_path",
        "has_set", "set_size", "set_on_shortest", "set_separates", "set_adj_x", "set_adj_y",
        "set_min_dist_x", "set_min_dist_y", "set_dist2_x", "set_far_x", "nbrs_x_not_in_set",
        "set_covers_nbrs_x",
        "n_sent", "premise_chars", "hyp_words", "name_len_x", "name_len_y", "name_len_z",
        "first_x", "last_x", "first_y", "last_y", "sents_x", "sents_y", "x_before_y"]
FEATURES = (BASE + [f"dist_xy={d}" for d in range(1, CAP + 1)] + ["dist_xy=disc"]
            + [f"deg_{r}={d}" for r in "xyz" for d in range(DEG_ONEHOT)]
            + [f"deg_{r}>={DEG_ONEHOT}" for r in "xyz"])
TOKEN = re.compile(r"[^\s.,;:!?{}()\[\]\"]+|[.,;:!?{}()\[\]\"]")
SET_LIST = re.compile(r"S(?: , S| and S)+")


def bfs(adj, src, banned=()):
    """Distances (-1: unreachable) and shortest-path counts from src, never entering banned nodes."""
    dist = [-1] * len(adj)
    count = [0] * len(adj)
    dist[src], count[src] = 0, 1
    queue = deque([src])
    while queue:
        u = queue.popleft()
        for v in adj[u]:
            if v in banned:
                continue
            if dist[v] < 0:
                dist[v], count[v] = dist[u] + 1, count[u]
                queue.append(v)
            elif dist[v] == dist[u] + 1:
                count[v] += count[u]
    return dist, count


def on_simple_path(adj, x, y, z):
    """Whether z lies on a simple x-y path: two internally disjoint paths z-x and z-y (vertex flow)."""
    if z in (x, y):
        return True
    n = len(adj)
    sink = 2 * n  # node v: in = v, out = n + v
    cap = defaultdict(int)
    nbr = defaultdict(set)

    def arc(a, b):
        cap[a, b] += 1
        nbr[a].add(b)
        nbr[b].add(a)

    for v in range(n):
        if v != z:
            arc(v, n + v)
        for w in adj[v]:
            arc(n + v, w)
    arc(n + x, sink)
    arc(n + y, sink)
    for _ in range(2):
        prev = {n + z: None}
        queue = deque([n + z])
        while queue and sink not in prev:
            u = queue.popleft()
            for v in nbr[u]:
                if v not in prev and cap[u, v] > 0:
                    prev[v] = u
                    queue.append(v)
        if sink not in prev:
            return False
        v = sink
        while prev[v] is not None:
            cap[prev[v], v] -= 1
            cap[v, prev[v]] += 1
            v = prev[v]
    return True


def fields(rec):
    """(fields dict, label 0/1 or None) for any layout."""
    extra = rec.get("extra_info")
    body = extra if isinstance(extra, dict) and "graph" in extra else rec
    label = rec.get("label", body.get("label"))
    if label is None and isinstance(rec.get("reward_model"), dict):
        label = rec["reward_model"].get("ground_truth")
    if label is None:  # no label field: the last line of the answer ("Answer: Yes")
        msgs = rec.get("messages") or [{}]
        text = str(rec.get("completion") or msgs[-1].get("content") or "").strip()
        label = text.splitlines()[-1].replace("Answer:", "") if text else None
    word = re.sub(r"[^a-z]", "", str(label).lower())
    return body, {"yes": 1, "no": 0}.get(word)


def features(body):
    """The direction-blind feature vector (BASE order, then one-hots) and the hypothesis template."""
    nodes, edges, q = body["graph"]["nodes"], body["graph"]["edges"], body["query"]
    n = len(nodes)
    adj = [set() for _ in range(n)]
    for a, b in edges:
        if a != b:
            adj[a].add(b)
            adj[b].add(a)
    deg = [len(a) for a in adj]
    x, y, z = q.get("x"), q.get("y"), q.get("z")
    members = q.get("set") or q.get("given") or []
    has_set = q.get("set") is not None or q.get("given") is not None
    has_y, has_z = y is not None, z is not None
    parent = list(range(n))

    def find(u):
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for a, b in edges:
        parent[find(a)] = find(b)
    dx, cx = bfs(adj, x)
    dy, _ = bfs(adj, y) if has_y else ([-1] * n, None)
    dz, _ = bfs(adj, z) if has_z else ([-1] * n, None)
    capd = lambda d: CAP + 1 if d < 0 else min(d, CAP)  # noqa: E731
    dxy = dx[y] if has_y else -1
    conn = dxy >= 0
    on_short = lambda v: conn and dx[v] >= 0 and dy[v] >= 0 and dx[v] + dy[v] == dxy  # noqa: E731
    f = [n, len(edges), len({find(v) for v in range(n)}), max(deg), sum(deg) / n, deg.count(0),
         deg.count(1), deg.count(2), sum(d >= 3 for d in deg)]
    f += [has_y, capd(dxy) if has_y else 0, min(cx[y], 100) if conn else 0, has_y and y in adj[x],
          len(adj[x] & adj[y]) if has_y else 0, conn, sum(d >= 0 for d in dx),
          sum(d >= 0 for d in dy), deg[x], deg[y] if has_y else 0, max(dx),
          max(dy), deg[x] == 1, has_y and deg[y] == 1]
    if has_z:
        f += [1, deg[z], capd(dx[z]), capd(dy[z]), z in adj[x], has_y and z in adj[y],
              has_y and z in adj[x] and z in adj[y], has_y and on_short(z),
              has_y and conn and on_simple_path(adj, x, y, z)]
    else:
        f += [0] * 9
    s = set(members)
    if members and has_y and x not in s and y not in s and conn:
        separates = bfs(adj, x, banned=s)[0][y] < 0
    else:
        separates = False
    nx = adj[x]
    f += [has_set, len(s), sum(on_short(v) for v in s) if has_y else 0, separates, len(s & nx),
          len(s & adj[y]) if has_y else 0, min([capd(dx[v]) for v in s], default=CAP + 2),
          min([capd(dy[v]) for v in s], default=CAP + 2), sum(dx[v] == 2 for v in s),
          sum(dx[v] < 0 or dx[v] >= 3 for v in s), len(nx - s), bool(s) and nx <= s]
    # surface
    premise, hyp = body.get("premise", ""), body.get("hypothesis", "")
    sents = [set(TOKEN.findall(t)) for t in premise.split(". ")]
    names = {name: i for i, name in enumerate(nodes)}
    hits = {r: [i for i, t in enumerate(sents) if nodes[v] in t]
            for r, v in (("x", x), ("y", y)) if v is not None}
    hx, hy = hits.get("x", []), hits.get("y", [])
    f += [len(sents), len(premise), len(hyp.split()), len(nodes[x]),
          len(nodes[y]) if has_y else 0, len(nodes[z]) if has_z else 0,
          hx[0] if hx else -1, hx[-1] if hx else -1, hy[0] if hy else -1, hy[-1] if hy else -1,
          len(hx), len(hy), bool(hx and hy and hx[0] < hy[0])]
    d = capd(dxy) if has_y else 0
    f += [d == k for k in range(1, CAP + 2)]
    for v, present in ((x, True), (y, has_y), (z, has_z)):
        f += [present and deg[v] == k for k in range(DEG_ONEHOT)]
    f += [deg[x] >= DEG_ONEHOT, has_y and deg[y] >= DEG_ONEHOT, has_z and deg[z] >= DEG_ONEHOT]
    role = {x: "X", y: "Y", z: "Z"}
    words = []
    for t in TOKEN.findall(hyp):
        i = names.get(t)
        words.append(t if i is None else role.get(i) or ("S" if i in s else "N"))
    template = SET_LIST.sub("S", " ".join(words))
    bucket = "n/a" if not has_y or dxy == 0 else "disc" if dxy < 0 else BUCKETS[min(dxy, 5) - 1]
    return np.array(f, dtype=float), template, bucket


def train_split_names(directory, seen):
    path = os.path.join(directory, "manifest.json")
    roles = {}
    if os.path.exists(path):
        splits = json.load(open(path)).get("splits", {})
        items = splits.items() if isinstance(splits, dict) else [(s.get("name"), s) for s in splits]
        roles = {name: s.get("role") for name, s in items if isinstance(s, dict)}
    if any(r == "train" for r in roles.values()):
        return {name for name, r in roles.items() if r == "train"}
    return {name for name in seen if name.startswith("train")}


def load(directory, max_records):
    rows = []  # (split, task, label, features, template, bucket, group keys)
    counts = Counter()
    for folder in sorted(glob.glob(os.path.join(directory, "*", ""))):
        for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
            with open(path) as fh:
                for line in fh:
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    body, label = fields(rec)
                    split = body.get("split") or rec.get("split") or os.path.basename(folder[:-1])
                    if counts[split] >= max_records:
                        break
                    if label is None:
                        sys.exit(f"{path}: no Yes/No label in record {body.get('id')}")
                    counts[split] += 1
                    f, template, bucket = features(body)
                    twin = (body.get("meta") or {}).get("twin")
                    rows.append((split, body.get("axiom", "?"), label, f, template, bucket,
                                 (body.get("premise", ""), body.get("id"), twin)))
    return rows


def groups_of(keys):
    """Union-find over records sharing a premise or a twin link: one group id per record."""
    parent = {}

    def find(a):
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for premise, rid, twin in keys:
        parent[find(("p", premise))] = find(("i", rid))
        if twin:
            parent[find(("i", twin))] = find(("i", rid))
    ids = {}
    return np.array([ids.setdefault(find(("i", rid)), len(ids)) for _, rid, _ in keys])


def stump(X, y):
    """Best (feature, threshold, sign) on (X, y): predict Yes iff sign * (x - threshold) > 0."""
    best = (0.0, 0, 0.0, 1)
    n, pos = len(y), y.sum()
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        v, cum = X[order, j], np.concatenate([[0], np.cumsum(y[order])])
        cuts = np.concatenate([[0], np.nonzero(v[1:] != v[:-1])[0] + 1, [n]])
        acc = ((cuts - cum[cuts]) + (pos - cum[cuts])) / n  # No below the cut, Yes above
        for sign, a in ((1, acc), (-1, 1 - acc)):
            k = int(np.argmax(a))
            if a[k] > best[0]:
                c = cuts[k]
                t = v[0] - 1 if c == 0 else v[-1] + 1 if c == n else (v[c - 1] + v[c]) / 2
                best = (float(a[k]), j, float(t), sign)
    return best


def audit_task(task, rows, train_names):
    templates = Counter(r[4] for r in rows if r[0] in train_names)
    top = [t for t, _ in templates.most_common(TOP_TEMPLATES)]
    names = FEATURES + ["tmpl_" + hashlib.md5(t.encode()).hexdigest()[:8] for t in top] + ["tmpl_other"]
    index = {t: i for i, t in enumerate(top)}
    onehot = np.zeros((len(rows), len(top) + 1))
    for k, r in enumerate(rows):
        onehot[k, index.get(r[4], len(top))] = 1
    X = np.hstack([np.vstack([r[3] for r in rows]), onehot])
    y = np.array([r[2] for r in rows])
    split = np.array([r[0] for r in rows])
    bucket = np.array([r[5] for r in rows])
    train = np.isin(split, list(train_names))
    keep = np.ptp(X[train], axis=0) > 0 if train.any() else np.zeros(X.shape[1], bool)
    X, names = X[:, keep], [nm for nm, k in zip(names, keep) if k]
    out = {"features_used": names, "templates": {"tmpl_" + hashlib.md5(t.encode()).hexdigest()[:8]: t
                                                for t in top}, "splits": {}}
    fitted = train.sum() >= 10 and len(set(y[train])) == 2 and X.shape[1] > 0
    pred = {}
    if fitted:
        Xt, yt = X[train], y[train]
        groups = groups_of([r[6] for r, t in zip(rows, train) if t])
        folds = PredefinedSplit(np.random.default_rng(SEED).permutation(groups.max() + 1)[groups] % 5)
        lr = LogisticRegression(solver="newton-cholesky", max_iter=200)
        models = {"lr": make_pipeline(StandardScaler(), lr),
                  "hgb": HistGradientBoostingClassifier(max_iter=200, random_state=SEED)}
        for key, model in models.items():
            p = np.empty(len(y), dtype=int)
            p[train] = cross_val_predict(model, Xt, yt, cv=folds)
            model.fit(Xt, yt)
            if (~train).any():
                p[~train] = model.predict(X[~train])
            pred[key] = p
        coef = models["lr"][-1].coef_[0]
        out["lr_top"] = [[names[j], round(float(coef[j]), 3)] for j in np.argsort(-abs(coef))[:8]]
        acc, j, thr, sign = stump(Xt, yt)
        pred["stump"] = (sign * (X[:, j] - thr) > 0).astype(int)
        out["stump"] = {"feature": names[j], "threshold": thr, "yes_if": ">" if sign > 0 else "<="}
    for name in sorted(map(str, set(split)), key=lambda s: (s not in train_names, s)):
        m = split == name
        cell = {"n": int(m.sum()), "yes_share": float(y[m].mean()), "train": name in train_names}
        for key, p in pred.items():
            cell[key] = float((p[m] == y[m]).mean())
        dist = {}
        for b in BUCKETS + ["n/a"]:
            mb = m & (bucket == b)
            if mb.any():
                dist[b] = {"n": int(mb.sum()), "yes_share": float(y[mb].mean())}
        cell["distance"] = dist
        out["splits"][name] = cell
    return out


def show(report):
    fmt = lambda v: "   -  " if v is None else f"{v:6.3f}"  # noqa: E731
    print(f"\n{'task':<20} {'split':<20} {'n':>7} {'yes':>6} {'LR':>6} {'HGB':>6} {'stump':>6}  "
          "stump rule (* train: 5-fold CV)")
    for task, t in report["tasks"].items():
        st = t.get("stump")
        for name, c in t["splits"].items():
            mark = "*" if c["train"] else " "
            print(f"{task[:20]:<20} {(name[:19] + mark):<20} {c['n']:>7} {c['yes_share']:6.3f} "
                  f"{fmt(c.get('lr'))} {fmt(c.get('hgb'))} {fmt(c.get('stump'))}  "
                  + (f"{st['feature'][:16]} {st['yes_if']} {st['threshold']:.4g}" if st else ""))
    print(f"\nshare of Yes / count by skeleton distance x-y\n{'task':<18} {'split':<18}"
          + "".join(f"{b:>12}" for b in BUCKETS))
    for task, t in report["tasks"].items():
        for name, c in t["splits"].items():
            cells = [c["distance"].get(b) for b in BUCKETS]
            if not any(cells):
                continue
            print(f"{task[:18]:<18} {name[:18]:<18}" + "".join(
                f"{'-':>7}{'':5}" if d is None else f"{d['yes_share']:>6.2f}/{d['n']:<5}" for d in cells))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--max-records", type=int, default=60000, help="per split, in file order")
    ap.add_argument("--json", help="write every number to this file")
    args = ap.parse_args()
    rows = load(args.corpus, args.max_records)
    if not rows:
        sys.exit(f"{args.corpus}: no records in */*.jsonl")
    seen = sorted({r[0] for r in rows})
    train_names = train_split_names(args.corpus, seen)
    if not train_names & set(seen):
        sys.exit(f"no training split among {seen}")
    by_task = defaultdict(list)
    for r in rows:
        by_task[r[1]].append(r)
    report = {"corpus": args.corpus, "records": len(rows), "max_records": args.max_records,
              "train_splits": sorted(train_names & set(seen)), "features": FEATURES, "tasks": {}}
    with threadpool_limits(1):  # small problems: on a shared machine threads mostly contend
        for task in sorted(by_task):
            report["tasks"][task] = audit_task(task, by_task[task], train_names)
    print(f"{args.corpus}: {len(rows)} records, splits {', '.join(seen)}; "
          f"train (*): {', '.join(report['train_splits'])}; {len(FEATURES)} features + templates")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)
    show(report)


if __name__ == "__main__":
    main()
