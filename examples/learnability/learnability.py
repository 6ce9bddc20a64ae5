"""Does the corpus teach? Compiles the learnability recipes, trains a small transformer in several
arms at one budget (optimizer steps) and several seeds, and reports per arm: held-out accuracy on
the training distribution (eval_4_6), accuracy by size on every eval split with 95% intervals,
the skeleton probes beside them, and McNemar between arms. Writes results.json, results.md and
accuracy.svg under --out.

  python3 examples/learnability/learnability.py                    # CPU, 2,500 steps per run
  python3 examples/learnability/learnability.py --device cuda --steps 20000
  python3 examples/learnability/learnability.py --smoke            # a minute: the pipeline only

Arms (corpus, layout, order): see ARMS. torch is the one dependency beyond the standard library.
"""
import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

ARMS = {
    # answer only (+ next-token loss on the prompt)
    "answer": ("search", "answer", "shuffled"),
    # the answer, then the label-neutral derivation as an auxiliary target (the seeds' "soft" objective)
    "answer-then-search": ("search", "answer-explain", "shuffled"),
    # the label-neutral search derivation, then the answer
    "search-then-answer": ("search", "explain-answer", "shuffled"),
    # the rule engine's proof (its opening tells the label), then the answer
    "proof-then-answer": ("proof", "explain-answer", "shuffled"),
    # answer only, trained on the uncontrolled recipe, scored on the controlled evals
    "uncontrolled-answer": ("uncontrolled", "answer", "shuffled"),
    # trained where a surface cue (x-first) is the label, scored where it is balanced: answer only,
    # and with the label-neutral derivation first (do explanations lead past the confound?)
    "confounded-answer": ("confounded", "answer", "shuffled"),
    "confounded-search-then-answer": ("confounded", "explain-answer", "shuffled"),
    # answer only, 4-node rows first, then 5, then 6 (each until held-out accuracy passes
    # --curriculum-target or its share of the budget is spent), then the mixture: node_curriculum.py
    "curriculum-answer": ("search", "answer", "nodes"),
}
# The recipes (recipe-NAME.yaml); the first one's eval splits score every arm.
CORPORA = ("search", "proof", "uncontrolled", "confounded")
EVALS = ["eval_4_6", "eval_7_9", "eval_10_12", "eval_13_15"]


def axiomc_binary():
    for candidate in [os.environ.get("AXIOMC_BIN"), ROOT / ".build/release/axiomc", shutil.which("axiomc")]:
        if candidate and Path(candidate).is_file():
            return str(candidate)
    subprocess.run(["swift", "build", "-c", "release", "--product", "axiomc"], cwd=ROOT, check=True)
    return str(ROOT / ".build/release/axiomc")


def compile_corpora(out: Path, scale):
    axiomc = axiomc_binary()
    corpora = {}
    for name in CORPORA:
        dest = out / f"corpus-{name}"
        cmd = [axiomc, "compile", str(HERE / f"recipe-{name}.yaml"), "--out", str(dest), "--force"]
        if scale < 1:
            cmd += ["--scale", str(scale)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        corpora[name] = dest
    # The arms are scored on the same questions: eval splits equal in premise, question and label.
    from tiny_lm import read_split
    for split in EVALS:
        base = [(r["premise"], r["hypothesis"], r["label"]) for r in read_split(corpora["search"], split)]
        for name in CORPORA[1:]:
            other = [(r["premise"], r["hypothesis"], r["label"]) for r in read_split(corpora[name], split)]
            if other != base:
                sys.exit(f"learnability: {split} differs between the search and {name} corpora")
    return corpora


def wilson(k, n, z=1.96):
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (round(c - h, 4), round(c + h, 4))


def mcnemar(a_right, b_right):
    """Exact two-sided McNemar test on paired outcomes: (a right b wrong, a wrong b right, p)."""
    b = sum(1 for x, y in zip(a_right, b_right) if x and not y)
    c = sum(1 for x, y in zip(a_right, b_right) if y and not x)
    n = b + c
    if n == 0:
        return b, c, 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1))
    return b, c, min(1.0, 2 * tail / 2 ** n)


def run_arm(arm, seed, corpora, args, out: Path):
    """Trains one arm with one seed in this process; writes its predictions and returns them."""
    import torch
    from node_curriculum import NodeCurriculum
    from tiny_lm import accuracy, answer_logits, decode, read_split, train_arm

    corpus, layout, order = ARMS[arm]
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else
                          ("cpu" if args.device == "auto" else args.device))
    train = read_split(corpora[corpus], "train")
    evals = {s: read_split(corpora["search"], s)[:args.eval_rows] for s in EVALS}
    seen = {(r["premise"], r["hypothesis"]) for r in train}
    logfile = (out / f"{arm}-seed{seed}.log").open("w")

    def log(line):
        logfile.write(line + "\n")
        logfile.flush()

    curriculum = None
    if order == "nodes":
        curriculum = NodeCurriculum(train, args.steps, random.Random(seed), target=args.curriculum_target,
                                    every=args.curriculum_every, share=args.curriculum_share,
                                    held_out=args.curriculum_held_out, log=log)
    model, tok, facts = train_arm(
        train, layout, args.steps, seed, device, args.threads, lm_weight=args.lm_weight, batch=args.batch,
        lr=args.lr, width=args.width, layers=args.layers, heads=args.heads,
        extra_rows=[r for rows in evals.values() for r in rows], log=log, minutes=args.max_minutes,
        order=curriculum)
    if curriculum:
        facts["curriculum"] = curriculum.facts(lambda rows: accuracy(model, tok, rows, device))
    predictions = {}
    start = time.time()
    for split, rows in evals.items():
        if layout == "explain-answer":
            decoded = decode(model, tok, rows, device)
            predictions[split] = [{"id": r["id"], "prediction": a or "none", "derivation": d,
                                   "derivation_exact": d == " ".join(tok_words(r["explanation"]))}
                                  for r, (a, d) in zip(rows, decoded)]
        else:
            margins = answer_logits(model, tok, rows, device)
            predictions[split] = [{"id": r["id"], "prediction": "Yes" if m > 0 else "No"} for r, m in zip(rows, margins)]
        for r, p in zip(rows, predictions[split]):
            p["in_training"] = (r["premise"], r["hypothesis"]) in seen
    facts["score_seconds"] = round(time.time() - start, 1)
    facts["device"] = str(device)
    with (out / f"{arm}-seed{seed}.predictions.jsonl").open("w") as h:
        for split in EVALS:
            for p in predictions[split]:
                h.write(json.dumps(dict(p, split=split)) + "\n")
    (out / f"{arm}-seed{seed}.run.json").write_text(json.dumps(facts, indent=2) + "\n")
    return facts


def tok_words(text):
    from tiny_lm import WORD
    return WORD.findall(text)


def report(corpora, args, out: Path, arms, seeds):
    from tiny_lm import read_split
    manifest = json.loads((corpora["search"] / "manifest.json").read_text())
    gold = {s: {r["id"]: r for r in read_split(corpora["search"], s)[:args.eval_rows]} for s in EVALS}
    runs, right = {}, {}
    # Each arm with the seeds it has run (--report-only may find some missing).
    have = {arm: [s for s in seeds if (out / f"{arm}-seed{s}.run.json").exists()] for arm in arms}
    for arm in arms:
        if not have[arm]:
            sys.exit(f"learnability: no finished run of arm {arm} under {out}")
        for seed in have[arm]:
            facts = json.loads((out / f"{arm}-seed{seed}.run.json").read_text())
            preds = [json.loads(line) for line in (out / f"{arm}-seed{seed}.predictions.jsonl").open()]
            runs[(arm, seed)] = facts
            for p in preds:
                g = gold[p["split"]][p["id"]]
                right.setdefault((arm, p["split"]), {}).setdefault(seed, []).append(
                    (p["id"], p["prediction"] == g["label"], g["meta"]["nodes"], p.get("derivation_exact"),
                     p["in_training"]))
    result = {"budget": {"steps": args.steps, "batch": args.batch, "lr": args.lr, "lm_weight": args.lm_weight,
                         "model": f"{args.layers} layers x {args.width}, {args.heads} heads, NoPE",
                         "eval_rows": args.eval_rows, "seeds": seeds},
              "probes": {s: {"cues": manifest["splits"][s]["probe"].get("crossValidated"),
                             "skeleton": manifest["splits"][s]["interactions"].get("crossValidated")}
                         for s in EVALS},
              "arms": {}}
    for arm in arms:
        entry = {"corpus": ARMS[arm][0], "layout": ARMS[arm][1], "order": ARMS[arm][2], "runs": {}, "splits": {}}
        seeds = have[arm]
        for seed in seeds:
            entry["runs"][str(seed)] = runs[(arm, seed)]
        for split in EVALS:
            per_seed = right[(arm, split)]
            outcomes = [x for seed in seeds for x in per_seed[seed] if not x[4]]
            k, n = sum(x[1] for x in outcomes), len(outcomes)
            split_entry = {
                "accuracy": round(k / n, 4) if n else None, "ci95": wilson(k, n), "n": n,
                "by_seed": {str(seed): round(sum(x[1] for x in per_seed[seed] if not x[4]) /
                                             max(1, sum(1 for x in per_seed[seed] if not x[4])), 4) for seed in seeds},
                "left_out_seen_in_training": sum(1 for seed in seeds for x in per_seed[seed] if x[4]),
                "by_nodes": {},
            }
            for nodes in sorted({x[2] for x in outcomes}):
                sub = [x[1] for x in outcomes if x[2] == nodes]
                split_entry["by_nodes"][str(nodes)] = {"accuracy": round(sum(sub) / len(sub), 4), "n": len(sub)}
            exact = [x[3] for x in outcomes if x[3] is not None]
            if exact:
                split_entry["derivation_exact"] = round(sum(exact) / len(exact), 4)
            entry["splits"][split] = split_entry
        result["arms"][arm] = entry
    # McNemar between every pair of arms, per split, pairing the same seed on the same records.
    result["mcnemar"] = []
    for i, a in enumerate(arms):
        for b in arms[i + 1:]:
            both = [s for s in have[a] if s in have[b]]
            for split in EVALS:
                xa = [x[1] for seed in both for x in right[(a, split)][seed]]
                xb = [x[1] for seed in both for x in right[(b, split)][seed]]
                nb, nc, p = mcnemar(xa, xb)
                result["mcnemar"].append({"a": a, "b": b, "split": split, "seeds": both, "a_only": nb,
                                          "b_only": nc, "p": float(f"{p:.3g}")})
    (out / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "results.md").write_text(markdown(result, arms))
    (out / "accuracy.svg").write_text(svg(result, arms))
    return result


def markdown(result, arms):
    b = result["budget"]
    lines = [f"Budget: {b['steps']} steps x batch {b['batch']}, {b['model']}, seeds {b['seeds']}; "
             f"{b['eval_rows']} records per eval split (records whose text is in an arm's training split left out).", "",
             "| arm | " + " | ".join(EVALS) + " |", "|---|" + "---|" * len(EVALS)]
    for arm in arms:
        cells = []
        for split in EVALS:
            s = result["arms"][arm]["splits"][split]
            seeds = " / ".join(f"{v:.3f}" for v in s["by_seed"].values())
            cell = f"{s['accuracy']:.3f} [{s['ci95'][0]:.3f}, {s['ci95'][1]:.3f}] ({seeds})"
            if "derivation_exact" in s:
                cell += f", derivation exact {s['derivation_exact']:.2f}"
            cells.append(cell)
        lines.append(f"| {arm} | " + " | ".join(cells) + " |")
    lines.append("| skeleton probe / cue probe | " + " | ".join(
        f"{result['probes'][s]['skeleton']} / {result['probes'][s]['cues']}" for s in EVALS) + " |")
    lines += curriculum_lines(result, arms)
    lines += ["", "McNemar (pooled over the seeds both arms ran; p < 0.05):", ""]
    for m in result["mcnemar"]:
        if m["p"] < 0.05:
            lines.append(f"- {m['split']}: {m['a']} vs {m['b']}: {m['a_only']} / {m['b_only']} right only, p = {m['p']}")
    return "\n".join(lines) + "\n"


def curriculum_lines(result, arms):
    """Per curriculum run: each level change (step, the held-out accuracy that moved it, why)."""
    lines = []
    for arm in arms:
        for seed, facts in result["arms"][arm]["runs"].items():
            c = facts.get("curriculum")
            if c:
                moves = "; ".join(f"{h['from']} -> {h['to']} at step {h['step']} ({h['why']}, {h['accuracy']:.3f})"
                                  for h in c["history"]) or "no change"
                final = ", ".join(f"{n}: {a:.3f}" for n, a in c["final_held_out"].items())
                lines.append(f"- {arm} seed {seed} (target {c['target']}, a check every {c['every']} steps, "
                             f"at most {c['cap_steps']} steps a level): {moves}; held-out slices at the end: {final}")
    return ["", "Curriculum (level changes: step, why, held-out accuracy of the level):", ""] + lines if lines else []


def svg(result, arms):
    """Accuracy against graph size per arm (mean nodes of each split), with 95% intervals."""
    w, h, left, top, right, bottom = 640, 360, 60, 20, 170, 40
    xs = {"eval_4_6": 5, "eval_7_9": 8, "eval_10_12": 11, "eval_13_15": 14}
    colors = ["#1b6ca8", "#d1495b", "#66a182", "#edae49", "#8d6a9f", "#444444"]

    def px(n):
        return left + (n - 4) / 11 * (w - left - right)

    def py(a):
        return top + (1 - (a - 0.3) / 0.7) * (h - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
           f'<rect width="{w}" height="{h}" fill="white"/>']
    for a in (0.3, 0.5, 0.7, 0.9, 1.0):
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{py(a):.1f}" y2="{py(a):.1f}" stroke="#ddd"'
                   + (' stroke-dasharray="4 3"' if a == 0.5 else "") + "/>")
        out.append(f'<text x="{left - 6}" y="{py(a) + 4:.1f}" text-anchor="end">{a:.1f}</text>')
    for s, n in xs.items():
        out.append(f'<text x="{px(n):.1f}" y="{h - bottom + 16}" text-anchor="middle">{s[5:].replace("_", "-")}</text>')
    out.append(f'<text x="{(left + w - right) / 2:.1f}" y="{h - 6}" text-anchor="middle">nodes (held out: 4-6)</text>')
    for i, arm in enumerate(arms):
        c = colors[i % len(colors)]
        pts = []
        for s, n in xs.items():
            e = result["arms"][arm]["splits"][s]
            x = px(n) + (i - len(arms) / 2) * 3
            pts.append(f"{x:.1f},{py(e['accuracy']):.1f}")
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{py(e["ci95"][0]):.1f}" y2="{py(e["ci95"][1]):.1f}" stroke="{c}"/>')
        out.append(f'<polyline fill="none" stroke="{c}" stroke-width="2" points="{" ".join(pts)}"/>')
        out.append(f'<text x="{w - right + 8}" y="{top + 14 * i + 10}" fill="{c}">{arm}</text>')
    pts = " ".join(f"{px(n):.1f},{py(result['probes'][s]['skeleton']):.1f}" for s, n in xs.items())
    out.append(f'<polyline fill="none" stroke="#999" stroke-dasharray="2 2" points="{pts}"/>')
    out.append(f'<text x="{w - right + 8}" y="{top + 14 * len(arms) + 10}" fill="#999">skeleton probe</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "out/learnability"))
    ap.add_argument("--arms", default=",".join(ARMS), help="comma-separated, from: " + ", ".join(ARMS))
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--steps", type=int, default=2500, help="optimizer steps per run (the budget)")
    ap.add_argument("--max-minutes", type=float, default=None, help="stop a run early after this many minutes")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--lm-weight", type=float, default=1.0, help="weight of next-token loss on the prompt")
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--eval-rows", type=int, default=500, help="records scored per eval split")
    ap.add_argument("--scale", type=float, default=1.0, help="compile the recipes at this scale")
    ap.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    ap.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)),
                    help="runs at once (one CPU thread each; 1 on a GPU)")
    ap.add_argument("--threads", type=int, default=1, help="CPU threads per run")
    ap.add_argument("--curriculum-target", type=float, default=0.8,
                    help="curriculum arms: held-out accuracy that raises the node count")
    ap.add_argument("--curriculum-every", type=int, default=100, help="curriculum arms: steps between checks")
    ap.add_argument("--curriculum-share", type=float, default=0.25,
                    help="curriculum arms: most of the budget one node count may take before the next starts")
    ap.add_argument("--curriculum-held-out", type=int, default=200,
                    help="curriculum arms: training rows per node count held out to check it (twin pairs)")
    ap.add_argument("--smoke", action="store_true", help="tiny corpora and budget: checks the pipeline, not the model")
    ap.add_argument("--resume", action="store_true",
                    help="keep the runs already finished under --out (same options) and train the others")
    ap.add_argument("--report-only", action="store_true",
                    help="report the runs already under --out (same arms, seeds and options) without training")
    ap.add_argument("--run", nargs=2, metavar=("ARM", "SEED"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.smoke:
        args.steps, args.eval_rows, args.scale, args.width, args.layers = 20, 24, 0.01, 32, 1
        args.curriculum_every, args.curriculum_held_out = 5, 8
    arms = [a for a in args.arms.split(",") if a]
    for a in arms:
        if a not in ARMS:
            sys.exit(f"learnability: unknown arm '{a}' (arms: {', '.join(ARMS)})")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    corpora = {name: out / f"corpus-{name}" for name in CORPORA}
    if args.run:  # a worker: one arm, one seed
        run_arm(args.run[0], int(args.run[1]), corpora, args, out)
        return
    start = time.time()
    if not args.report_only:
        compile_corpora(out, args.scale)
    jobs = [] if args.report_only else [(a, s) for s in args.seeds for a in arms]
    if args.resume:
        jobs = [(a, s) for a, s in jobs if not (out / f"{a}-seed{s}.run.json").exists()]
    forwarded = [x for x in sys.argv[1:]]
    running = []
    while jobs or running:
        while jobs and len(running) < args.jobs:
            a, s = jobs.pop(0)
            cmd = [sys.executable, __file__, *forwarded, "--run", a, str(s)]
            running.append(((a, s), subprocess.Popen(cmd)))
        time.sleep(0.5)
        for item in list(running):
            if item[1].poll() is not None:
                running.remove(item)
                if item[1].returncode != 0:
                    sys.exit(f"learnability: arm {item[0][0]} seed {item[0][1]} failed "
                             f"(log: {out}/{item[0][0]}-seed{item[0][1]}.log)")
    result = report(corpora, args, out, arms, args.seeds)
    result["seconds"] = round(time.time() - start)
    (out / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    print((out / "results.md").read_text(), end="")
    print(f"learnability: {len(arms)} arms x {len(args.seeds)} seeds in {result['seconds']} s; "
          f"{out}/results.json, results.md, accuracy.svg")


if __name__ == "__main__":
    main()
