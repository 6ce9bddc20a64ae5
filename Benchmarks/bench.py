"""Measures axiomc against the networkx reference and its own targets; prints a Markdown report.

    python3 Benchmarks/bench.py [--runs 3] [--quick]

Every number is a median over --runs runs on this machine. Rates count records (or predictions)
per wall-clock second of the whole command, including start-up and writing. See BENCHMARKS.md.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
AXIOMC = ROOT / ".build" / "release" / "axiomc"
REFERENCE = ROOT / "Benchmarks" / "reference" / "generate.py"


def run(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, **kw)
    return time.perf_counter() - start


def median_time(cmd, runs, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(run(cmd))
    return statistics.median(times)


def train_recipe(source, count, shards, tmp, name):
    recipe = yaml.safe_load((ROOT / source).read_text())
    train = next(s for s in recipe["splits"] if s["name"] == "train")
    train["count"] = count
    train["shard_size"] = -(-count // shards)
    recipe["splits"] = [train]
    recipe["name"] = name
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(recipe, sort_keys=False))
    return path


def size_recipe(nodes, count, tmp):
    recipe = {
        "name": f"size-{nodes}", "seed": 1, "grammar": "paper", "names": {"alphabet": "A-Za-z0-9", "length": [1, 3]},
        "splits": [{"name": "train", "role": "train", "axioms": "transitivity", "family": "flipped-chain",
                    "flip_probability": 0.5, "nodes": nodes, "count": count, "shard_size": count,
                    "queries_per_graph": 2, "prompt": True}],
    }
    path = tmp / f"size-{nodes}.yaml"
    path.write_text(yaml.safe_dump(recipe, sort_keys=False))
    return path


def du(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*.jsonl"))


def compile_vs_reference(args, scale, tmp, out, clean, results):
    """1–2. Compile vs the networkx reference, one job, training splits of the paper recipes."""
    for key, source, count, ref_count in [
        ("transitivity", "Corpora/paper-transitivity.yaml", int(1_000_000 * scale), int(50_000 * scale)),
        ("d-separation", "Corpora/paper-d-separation.yaml", int(1_000_000 * scale), int(20_000 * scale)),
    ]:
        recipe = train_recipe(source, count, 4, tmp, f"bench-{key}")
        t = median_time([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "1", "--force"], args.runs, clean)
        size = du(out)
        ref_out = tmp / "ref.jsonl"
        rt = median_time([sys.executable, str(REFERENCE), str(recipe), "--count", str(ref_count), "--out", str(ref_out)], args.runs)
        results[key] = {
            "axiomc_records_per_s": count / t, "axiomc_bytes_per_record": size / count,
            "axiomc_mb_per_s": size / t / 1e6,
            "reference_records_per_s": ref_count / rt, "reference_bytes_per_record": ref_out.stat().st_size / ref_count,
            "ratio": (count / t) / (ref_count / rt),
        }
        print(f"{key}: axiomc {count / t:,.0f} records/s, reference {ref_count / rt:,.0f} records/s", file=sys.stderr)


def per_byte(args, scale, tmp, out, clean, results):
    """3. Cost per output byte from 5- to 100- to 1,000-node graphs."""
    costs = {}
    for nodes, count in [(5, int(400_000 * scale)), (100, int(20_000 * scale)), (1000, int(1_000 * scale))]:
        recipe = size_recipe(nodes, count, tmp)
        t = median_time([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "1", "--force"], args.runs, clean)
        costs[nodes] = {"ns_per_byte": t / du(out) * 1e9, "records_per_s": count / t, "bytes_per_record": du(out) / count}
    results["per_byte"] = costs


def jobs(args, scale, tmp, out, clean, results):
    """4. --jobs 2 vs --jobs 1."""
    recipe = train_recipe("Corpora/paper-transitivity.yaml", int(2_000_000 * scale), 8, tmp, "bench-jobs")
    t1 = median_time([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "1", "--force"], args.runs, clean)
    t2 = median_time([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "2", "--force"], args.runs, clean)
    results["jobs"] = {"jobs1_s": t1, "jobs2_s": t2, "speedup": t1 / t2, "jobs2_mb_per_s": du(out) / t2 / 1e6}


def dd(args, scale, tmp, out, clean, results):
    """5. dd to the same disk, with a final fsync as axiomc does per shard."""
    dd_t = median_time(["dd", "if=/dev/zero", f"of={tmp}/dd.bin", "bs=1M", "count=2000", "conv=fsync"], args.runs)
    os.remove(tmp / "dd.bin")
    results["dd_mb_per_s"] = 2000 * 2**20 / dd_t / 1e6


def memory(args, scale, tmp, out, clean, results):
    """6. Peak memory of a 10M-record compile."""
    recipe = train_recipe("Corpora/paper-transitivity.yaml", int(10_000_000 * scale), 40, tmp, "bench-10m")
    clean()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "2"],
                          check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    results["peak_rss_mb_10m"] = int(proc.stderr.strip().splitlines()[-1]) / 1024
    clean()


def check(args, scale, tmp, out, clean, results):
    """7. check, one core."""
    count = int(200_000 * scale)
    recipe = train_recipe("Corpora/paper-transitivity.yaml", count, 1, tmp, "bench-check")
    run([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "1", "--force"])
    t = median_time([str(AXIOMC), "check", str(out)], args.runs)
    results["check_records_per_s"] = count / t
    clean()


def evaluate(args, scale, tmp, out, clean, results):
    """8. eval: 1M predictions against 1M gold, timed by `axiomc eval --timing` (scoring apart
    from loading the gold)."""
    count = int(1_000_000 * scale)
    recipe = train_recipe("Corpora/paper-transitivity.yaml", count, 4, tmp, "bench-eval")
    run([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "2", "--force"])
    preds = tmp / "preds.jsonl"
    with preds.open("w") as h:
        for f in sorted((out / "train").glob("*.jsonl")):
            for line in f.open():
                i = line.index('"id":"') + 6
                h.write('{"id":"%s","prediction":" Yes"}\n' % line[i:line.index('"', i)])
    gold_s, score_s = [], []
    for _ in range(args.runs):
        proc = subprocess.run([str(AXIOMC), "eval", "--gold", str(out), "--split", "train", "--json", "--timing",
                               "--predictions", str(preds)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        lines = [l for l in proc.stderr.splitlines() if l.startswith("timing:")]
        gold_s.append(float(lines[0].split(" in ")[1].split(" s")[0]))
        score_s.append(float(lines[1].split(" in ")[1].split(" s")[0]))
    results["eval"] = {"gold_load_s": statistics.median(gold_s), "scoring_s": statistics.median(score_s),
                       "predictions_per_s": count / statistics.median(score_s),
                       "gold_records_per_s": count / statistics.median(gold_s)}
    clean()


SECTIONS = {"compile": compile_vs_reference, "per_byte": per_byte, "jobs": jobs, "dd": dd, "memory": memory,
            "check": check, "eval": evaluate}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke test of this script")
    ap.add_argument("--only", nargs="*", choices=list(SECTIONS), help="run only these sections")
    args = ap.parse_args()
    scale = 0.1 if args.quick else 1.0
    subprocess.run(["swift", "build", "-c", "release", "--product", "axiomc"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    tmp = Path(tempfile.mkdtemp(prefix="axiomc-bench-", dir=os.environ.get("BENCH_DIR")))
    out = tmp / "out"
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "runs": args.runs}
    clean = lambda: shutil.rmtree(out, ignore_errors=True)
    try:
        for name, section in SECTIONS.items():
            if args.only is None or name in args.only:
                section(args, scale, tmp, out, clean, results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    (ROOT / "Benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "Benchmarks" / "results" / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
