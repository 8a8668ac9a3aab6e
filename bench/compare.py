#!/usr/bin/env python
"""Before and after, side by side: this checkout against an earlier commit, in one run.

    .venv/bin/python bench/compare.py 403895b            # after `make bench` made clinic_bench
    .venv/bin/python bench/compare.py 403895b --rounds 10

The machine is shared and its speed drifts between runs (the floor moved 2.6× between two
runs on 2026-11-27), so a before/after taken from two reports can mislead. This starts two
warm processes on the same bench database, one on a worktree of ``COMMIT`` (bench/work/
before/) and one on this checkout, and takes turns: a few requests of each page through
Django's test client with the bench clinician's session (second factor verified), then each
PDF render, alternating which goes first. It prints medians and after ÷ before.

In-process figures leave out gunicorn and the network, so a page's ratio to the floor is
larger here than under wrk; the after ÷ before column is the point. Both sides must share
the database schema (no migration between the commits).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
PAGES = ("floor", "evaluation editor", "plan editor", "patient chart", "evaluation page")
PDF_COUNTS = (2, 8, 16)


def worker(root: Path) -> None:
    """One code version: answers "pages N" and "pdf N" with per-call seconds, JSON lines."""
    sys.path[:0] = [str(root), str(root / "bench")]
    os.chdir(root)
    import django

    django.setup()
    import logging

    logging.disable(logging.CRITICAL)
    import run as bench
    from django.test import Client

    from plans import pdf

    fx = bench.fixtures()
    client = Client()
    client.cookies["sessionid"] = fx["cookies"]["clinician"]
    paths = {
        "floor": "/bench/floor/",
        "evaluation editor": f"/evaluations/{fx['draft'].pk}/edit/",
        "plan editor": f"/plans/{fx['plan'].pk}/",
        "patient chart": f"/patients/{fx['patient'].pk}/",
        "evaluation page": f"/evaluations/{fx['signed'].pk}/",
    }
    sizes = {}
    for name, path in paths.items():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{root}: {path} answered {response.status_code}")
        sizes[name] = len(response.content)
    documents = bench.pdf_documents(fx)
    for count in PDF_COUNTS:
        pdf.render_pdf(documents[count])
    print(json.dumps({"sizes": sizes}), flush=True)
    for line in sys.stdin:
        what, runs = line.split()
        out = {}
        jobs = (
            {name: (lambda p=path: client.get(p)) for name, path in paths.items()}
            if what == "pages"
            else {f"PDF {n}": (lambda d=documents[n]: pdf.render_pdf(d)) for n in PDF_COUNTS}
        )
        for name, job in jobs.items():
            times = []
            for _ in range(int(runs)):
                start = time.perf_counter()
                job()
                times.append(time.perf_counter() - start)
            out[name] = times
        print(json.dumps(out), flush=True)


def environment(args) -> dict:
    """bench/run.py's environment for its server, for the test client's host."""
    import secrets

    from run import bench_env

    env = bench_env(argparse.Namespace(port=8765, **vars(args)), secrets.token_urlsafe(50))
    env["ALLOWED_HOSTS"] = "testserver"
    return env


def checkout(commit: str) -> Path:
    before = WORK / "before"
    if before.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT)
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--force", str(before), commit],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    vendor = before / "static" / "vendor"
    if not vendor.exists():  # vendored by make setup, not in git
        vendor.symlink_to(ROOT / "static" / "vendor")
    return before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("commit", help="the earlier commit (before)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=5, help="per page and round")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/clinic_bench")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    sides = {"before": checkout(args.commit), "after": ROOT}
    env = environment(args)
    processes = {
        label: subprocess.Popen(
            [sys.executable, __file__, args.commit, "--worker", str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for label, root in sides.items()
    }
    try:
        sizes = {label: json.loads(p.stdout.readline())["sizes"] for label, p in processes.items()}
        times: dict[str, dict[str, list[float]]] = {label: {} for label in processes}
        for round_ in range(args.rounds):
            order = list(processes) if round_ % 2 == 0 else list(reversed(processes))
            for what, runs in (("pages", args.requests), ("pdf", 1)):
                for label in order:
                    process = processes[label]
                    process.stdin.write(f"{what} {runs}\n")
                    process.stdin.flush()
                    for name, values in json.loads(process.stdout.readline()).items():
                        times[label].setdefault(name, []).extend(values)
    finally:
        for process in processes.values():
            process.stdin.close()
            process.wait(timeout=60)
        subprocess.run(["git", "worktree", "remove", "--force", str(sides["before"])], cwd=ROOT)
    report(args, sizes, times)


def report(args, sizes, times) -> None:
    def median_ms(label, name):
        return statistics.median(times[label][name]) * 1000

    print(f"before = {args.commit}, after = this checkout; {args.rounds} alternating rounds")
    print("| figure | before ms | after ms | after ÷ before | before ÷ floor | after ÷ floor |")
    print("|---|---:|---:|---:|---:|---:|")
    floor = {label: median_ms(label, "floor") for label in times}
    for name in times["after"]:
        before, after = median_ms("before", name), median_ms("after", name)
        to_floor = (
            f"{before / floor['before']:.1f}× | {after / floor['after']:.1f}×"
            if not name.startswith("PDF")
            else "| "
        )
        size = ""
        if name in sizes["after"]:
            size = f" ({sizes['before'][name] // 1024} → {sizes['after'][name] // 1024} KiB)"
        print(f"| {name}{size} | {before:.1f} | {after:.1f} | ×{after / before:.2f} | {to_floor} |")


if __name__ == "__main__":
    main()
