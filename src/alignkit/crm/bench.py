"""Speed and memory of the scorecard on large exports: ``python -m alignkit.crm.bench``.

Writes synthetic HubSpot-layout exports (contacts and deals, CSV) of 10,000, 100,000 and
1,000,000 leads with one deal per ten leads into a temporary folder, runs
``python -m alignkit.cli scorecard`` on each in a subprocess, and prints the wall time and the
subprocess's peak memory (``ru_maxrss`` from ``os.wait4``, the per-child figure of
``getrusage(RUSAGE_CHILDREN)``). Budget: 1,000,000 leads in at most 15 s and 2 GB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

BUDGET_SECONDS, BUDGET_MB = 15.0, 2048.0
SIZES = (10_000, 100_000, 1_000_000)
SOURCES = np.array(["Paid Search", "Paid Social", "Organic Search", "Referrals", "Events", "Email Marketing",
                    "Direct Traffic"])
LIFECYCLE = np.array(["Lead", "Marketing Qualified Lead", "Sales Accepted Lead", "Sales Qualified Lead",
                      "Opportunity", "Customer"])


def _stamp(minutes: np.ndarray, reached: np.ndarray) -> np.ndarray:
    """Minutes since 2024-01-01 as 'YYYY-MM-DDTHH:MM', blank where the stage was not reached."""
    stamps = np.datetime64("2024-01-01T00:00") + minutes.astype("timedelta64[m]")
    return np.where(reached, np.datetime_as_string(stamps, unit="m"), "")


def write_export(folder: Path, n_leads: int, seed: int = 7) -> tuple[Path, Path]:
    """A contacts and a deals CSV in the HubSpot preset's layout (vectorised; a few seconds for 1M)."""
    rng = np.random.default_rng(seed)
    created = rng.integers(0, 700 * 24 * 60, n_leads)
    # furthest stage: 0 inquiry ... 5 won; about 10% reach opportunity (one deal each)
    furthest = np.searchsorted(np.cumsum([0.40, 0.30, 0.12, 0.08, 0.07, 0.03]), rng.random(n_leads), side="right")
    furthest = np.minimum(furthest, 5)
    gaps = rng.exponential([60 * 6, 60 * 48, 60 * 72, 60 * 24 * 3, 60 * 24 * 25], (n_leads, 5)).astype(np.int64)
    at = created[:, None] + np.cumsum(gaps, axis=1)  # mql, sal, sql, opportunity, won
    touched = (furthest >= 1) & (rng.random(n_leads) < 0.8)
    ids = np.arange(1_000_001, 1_000_001 + n_leads)
    contacts = pd.DataFrame({
        "Record ID": ids,
        "Create Date": _stamp(created, np.ones(n_leads, bool)),
        "Lifecycle Stage": LIFECYCLE[furthest],
        "Original Source": SOURCES[rng.integers(0, len(SOURCES), n_leads)],
        "Became a Marketing Qualified Lead Date": _stamp(at[:, 0], furthest >= 1),
        "Became a Sales Qualified Lead Date": _stamp(at[:, 2], furthest >= 3),
        "Became an Opportunity Date": _stamp(at[:, 3], furthest >= 4),
        "Became a Customer Date": _stamp(at[:, 4], furthest >= 5),
        "Date of first engagement": _stamp(at[:, 0] + rng.exponential(60 * 20, n_leads).astype(np.int64), touched),
    })
    leads_path = folder / f"contacts_{n_leads}.csv"
    contacts.to_csv(leads_path, index=False)
    with_deal = np.flatnonzero(furthest >= 4)
    won = furthest[with_deal] == 5
    deals = pd.DataFrame({
        "Record ID": np.arange(5_000_001, 5_000_001 + len(with_deal)),
        "Deal Stage": np.where(won, "Closed Won", np.where(rng.random(len(with_deal)) < 0.8, "Closed Lost",
                                                           "Contract Sent")),
        "Amount": np.round(rng.lognormal(7.5, 0.8, len(with_deal)), 2),
        "Create Date": _stamp(at[with_deal, 3], np.ones(len(with_deal), bool)),
        "Close Date": _stamp(at[with_deal, 4], np.ones(len(with_deal), bool)),
        "Associated Contact IDs": ids[with_deal],
    })
    deals_path = folder / f"deals_{n_leads}.csv"
    deals.to_csv(deals_path, index=False)
    return leads_path, deals_path


def measure(leads: Path, deals: Path, out: Path) -> tuple[float, float, float, int]:
    """Run the scorecard CLI in a subprocess: (wall seconds, CPU seconds, peak MB, exit status).

    CPU seconds (user + system) show what the run costs when other work shares the machine."""
    cmd = [sys.executable, "-m", "alignkit.cli", "scorecard", "--leads", str(leads), "--deals", str(deals),
           "--preset", "hubspot", "--change-date", "2025-01-01", "--out", str(out), "--format", "json"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        print(err, file=sys.stderr)
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss is in KiB on Linux


def main(sizes: tuple[int, ...] = SIZES) -> int:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'leads':>10} {'deals':>8} {'seconds':>8} {'CPU s':>6} {'peak MB':>8}  budget (1M: {BUDGET_SECONDS:g} s, "
          f"{BUDGET_MB:g} MB)", flush=True)
    worst = 0
    with tempfile.TemporaryDirectory(prefix="alignkit-bench-") as tmp:
        folder = Path(tmp)
        for n in sizes:
            leads, deals = write_export(folder, n)
            n_deals = sum(1 for _ in open(deals, "rb")) - 1
            seconds, cpu, peak, status = measure(leads, deals, folder / f"report_{n}.html")
            over = n >= 1_000_000 and (seconds > BUDGET_SECONDS or peak > BUDGET_MB)
            mark = "FAILED" if status else ("OVER" if over else "ok")
            print(f"{n:>10,} {n_deals:>8,} {seconds:>8.2f} {cpu:>6.2f} {peak:>8.0f}  {mark}", flush=True)
            worst = max(worst, 1 if (status or over) else 0)
    return worst


if __name__ == "__main__":
    sys.exit(main())
