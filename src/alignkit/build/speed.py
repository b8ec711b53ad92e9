"""``make bench``: measure the speed budgets and print each figure next to its budget.

* each lesson executes in a fresh kernel in at most 5 s;
* each widget or calculator update (the pure function behind it) takes at most 50 ms;
* a rebuild of the site with nothing changed takes at most 10 s;
* ``make test`` takes at most 5 minutes (skipped with BENCH_SKIP_TEST=1);
* every lesson page: Lighthouse mobile performance >= 0.95 (the median of 3 runs) and accessibility
  1.0, <= 1.5 MB transferred (:mod:`alignkit.build.sitecheck`);
* ``alignkit scorecard`` on a 1,000,000-lead export with 100,000 deals takes at most 15 s and 2 GB, a
  deals-only export of 100,000 rows at most 3 s, and no input under 10 MB more than 30 s or 1 GB
  (:mod:`alignkit.teamtools.crm.bench`, which also prints 10k and 100k to show how time grows).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from statistics import median

from .. import paths

ROOT = paths.root()
rows: list[tuple[str, float, float, str]] = []


def record(what: str, value: float, budget: float, unit: str) -> None:
    """Print one figure next to its budget and keep it for the summary."""
    rows.append((what, value, budget, unit))
    mark = "ok" if value <= budget else "OVER"
    print(f"{what:<58} {value:>9.3f} {unit:<3} budget {budget:>7.3f} {unit:<3} {mark}", flush=True)


def time_call(fn, repeat: int = 7) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def widget_updates() -> None:
    """Every lesson module may list, in ``BENCH``, the updates its widgets and calculators make:
    label -> a function of no arguments doing one update (the pure function behind the view)."""
    import importlib
    import pkgutil

    from .. import lessons

    for info in sorted(pkgutil.iter_modules(lessons.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{lessons.__name__}.{info.name}")
        for label, update in getattr(module, "BENCH", {}).items():
            record(f"{label} ({info.name})", time_call(update) * 1000, 50, "ms")


def notebooks() -> None:
    """Time each lesson's execution in a fresh kernel."""
    from .notebooks import execute, lesson_paths

    for path in lesson_paths():
        record(f"execute {path.name}", execute(path), 5, "s")


def run(cmd: list[str]) -> float:
    """Run a command in the course's root folder; return the seconds it took."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def rebuild() -> None:
    """Time a rebuild of the site with nothing changed."""
    cmd = ["jupyter-book", "build", ".", "-n", "-W", "--keep-going"]
    run(cmd)  # make sure the site and the execution cache are current
    record("rebuild of the site with nothing changed", run(cmd), 10, "s")


def full_test() -> None:
    """Time ``make test`` (skipped with BENCH_SKIP_TEST=1)."""
    if os.environ.get("BENCH_SKIP_TEST"):
        print("make test: skipped (BENCH_SKIP_TEST is set)")
        return
    record("make test (everything, site already set up)", run(["make", "test"]) / 60, 5, "min")


def scorecard() -> None:
    """The scorecard's speed and memory on large exports (:mod:`alignkit.teamtools.crm.bench`)."""
    from ..teamtools.crm import bench as crm_bench

    print()
    status = crm_bench.main()
    rows.append(("scorecard: 1M leads, deals only, hostile inputs", float(status), 0.0, ""))  # non-zero: over budget
    print()


def site() -> None:
    """Lighthouse (mobile) performance, the median of 3 runs, and accessibility, and the transferred
    weight of every lesson page (:mod:`alignkit.build.sitecheck`: performance >= 0.95, accessibility
    1.0, weight <= 1.5 MB)."""
    print()
    status = subprocess.run([sys.executable, "-m", "alignkit.build.sitecheck"], cwd=ROOT).returncode
    rows.append(("site: Lighthouse scores and page weights", float(status), 0.0, ""))
    print()


def main() -> int:
    """Measure every budget; exit 1 if one is over."""
    print(f"{'figure':<58} {'measured':>13} {'budget':>14}")
    widget_updates()
    notebooks()
    rebuild()
    scorecard()
    site()
    full_test()
    over = [r for r in rows if r[1] > r[2]]
    print(f"{len(rows) - len(over)} within budget, {len(over)} over")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
