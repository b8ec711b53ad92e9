"""Speed and memory of the scorecard on large and hostile exports: ``python -m alignkit.teamtools.crm.bench``.

Three budgets, each measured by running ``python -m alignkit.cli scorecard`` in a subprocess and
reading its wall time, CPU time and peak memory (the child's VmHWM, polled while it runs):

1. synthetic HubSpot-layout exports (contacts and deals, CSV) of 10,000, 100,000 and 1,000,000
   leads with one deal per ten leads: **1,000,000 leads and ~100,000 deals in at most 15 s and 2 GB**
   (10k and 100k show how time grows);
2. a deals-only Pipedrive export of 100,000 rows: **at most 3 s**;
3. hostile inputs, each under 10 MB (a workbook whose parts unpack thousands of times, one that
   declares a million-row sheet, a 2,300-column header, a free-text source in every row, an
   unclosed quote, a million tiny rows, a legitimate 9 MB workbook ...): **none may take more than
   30 s or 1 GB**, and each must end with exit status 0 or 2 (never 1).

The machine's load is printed first: on a shared machine the wall time grows with it, the CPU time
much less.
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
DEALS_ONLY_ROWS, DEALS_ONLY_SECONDS = 100_000, 3.0
HOSTILE_SECONDS, HOSTILE_MB, HOSTILE_MAX_BYTES = 30.0, 1024.0, 10 * 1024 * 1024
SIZES = (10_000, 100_000, 1_000_000)
SOURCES = np.array(
    ["Paid Search", "Paid Social", "Organic Search", "Referrals", "Events", "Email Marketing", "Direct Traffic"]
)
LIFECYCLE = np.array(
    ["Lead", "Marketing Qualified Lead", "Sales Accepted Lead", "Sales Qualified Lead", "Opportunity", "Customer"]
)


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
    contacts = pd.DataFrame(
        {
            "Record ID": ids,
            "Create Date": _stamp(created, np.ones(n_leads, bool)),
            "Lifecycle Stage": LIFECYCLE[furthest],
            "Original Source": SOURCES[rng.integers(0, len(SOURCES), n_leads)],
            "Became a Marketing Qualified Lead Date": _stamp(at[:, 0], furthest >= 1),
            "Became a Sales Qualified Lead Date": _stamp(at[:, 2], furthest >= 3),
            "Became an Opportunity Date": _stamp(at[:, 3], furthest >= 4),
            "Became a Customer Date": _stamp(at[:, 4], furthest >= 5),
            "Date of first engagement": _stamp(at[:, 0] + rng.exponential(60 * 20, n_leads).astype(np.int64), touched),
        }
    )
    leads_path = folder / f"contacts_{n_leads}.csv"
    contacts.to_csv(leads_path, index=False)
    with_deal = np.flatnonzero(furthest >= 4)
    won = furthest[with_deal] == 5
    deals = pd.DataFrame(
        {
            "Record ID": np.arange(5_000_001, 5_000_001 + len(with_deal)),
            "Deal Stage": np.where(
                won, "Closed Won", np.where(rng.random(len(with_deal)) < 0.8, "Closed Lost", "Contract Sent")
            ),
            "Amount": np.round(rng.lognormal(7.5, 0.8, len(with_deal)), 2),
            "Create Date": _stamp(at[with_deal, 3], np.ones(len(with_deal), bool)),
            "Close Date": _stamp(at[with_deal, 4], np.ones(len(with_deal), bool)),
            "Associated Contact IDs": ids[with_deal],
        }
    )
    deals_path = folder / f"deals_{n_leads}.csv"
    deals.to_csv(deals_path, index=False)
    return leads_path, deals_path


def _peak_mb(pid: int) -> float | None:
    """The process's peak resident memory since it started the command (VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def measure_argv(argv: list[str]) -> tuple[float, float, float, int]:
    """Run ``python -m alignkit.cli *argv`` in a subprocess: (wall seconds, CPU seconds, peak MB, exit).

    Peak memory is the child's VmHWM, read every 20 ms while it runs (it starts afresh when the child
    starts the command, unlike ``ru_maxrss``, which on Linux also counts the forking parent's memory)."""
    cmd = [sys.executable, "-m", "alignkit.cli", *argv]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        now = _peak_mb(proc.pid)
        peak = max(peak, now or 0.0)
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    assert proc.stderr is not None  # stderr=PIPE above
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if code not in (0, 2):
        print(err, file=sys.stderr)
    return elapsed, usage.ru_utime + usage.ru_stime, peak, code


def measure(leads: Path, deals: Path, out: Path) -> tuple[float, float, float, int]:
    """Run the scorecard CLI in a subprocess: (wall seconds, CPU seconds, peak MB, exit status).

    CPU seconds (user + system) show what the run costs when other work shares the machine."""
    return measure_argv(
        [
            "scorecard",
            "--leads",
            str(leads),
            "--deals",
            str(deals),
            "--preset",
            "hubspot",
            "--change-date",
            "2025-01-01",
            "--out",
            str(out),
            "--format",
            "json",
        ]
    )


def write_pipedrive(folder: Path, n: int = DEALS_ONLY_ROWS, seed: int = 11) -> Path:
    """A Pipedrive deals export of ``n`` rows in the preset's layout."""
    rng = np.random.default_rng(seed)
    created = rng.integers(0, 700 * 24 * 3600, n)
    status = np.array(["open", "won", "lost"])[rng.choice(3, n, p=[0.3, 0.2, 0.5])]
    closed = created + rng.exponential(30 * 24 * 3600, n).astype(np.int64)
    stamp = np.datetime64("2024-01-01T00:00:00") + created.astype("timedelta64[s]")
    shut = np.datetime_as_string(np.datetime64("2024-01-01T00:00:00") + closed.astype("timedelta64[s]"), unit="s")
    frame = pd.DataFrame(
        {
            "Deal - ID": np.arange(1, n + 1),
            "Deal - Title": [f"Deal {i}" for i in range(n)],
            "Deal - Value": np.round(rng.lognormal(7.5, 0.8, n), 2),
            "Deal - Stage": np.array(
                ["Qualified", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started"]
            )[rng.integers(0, 5, n)],
            "Deal - Status": status,
            "Deal - Deal created": np.char.replace(np.datetime_as_string(stamp, unit="s"), "T", " "),
            "Deal - Won time": np.where(status == "won", np.char.replace(shut, "T", " "), ""),
            "Deal - Lost time": np.where(status == "lost", np.char.replace(shut, "T", " "), ""),
            "Deal - Source channel": SOURCES[rng.integers(0, len(SOURCES), n)],
            "Deal - Owner": "Sales",
        }
    )
    path = folder / "pipedrive_deals.csv"
    frame.to_csv(path, index=False)
    return path


def _workbook(path: Path, rows: list[list]) -> Path:
    """A one-sheet workbook of text cells (inline strings), written directly: openpyxl takes minutes
    for the 400,000 rows of the largest case."""
    import zipfile
    from xml.sax.saxutils import escape

    def col(i: int) -> str:
        name = ""
        i += 1
        while i:
            i, rem = divmod(i - 1, 26)
            name = chr(65 + rem) + name
        return name

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    body = ['<?xml version="1.0" encoding="UTF-8"?>', f'<worksheet xmlns="{ns}"><sheetData>']
    for r, values in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{col(i)}{r}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
            for i, v in enumerate(values)
            if v not in (None, "")
        )
        body.append(f'<row r="{r}">{cells}</row>')
    body.append("</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" '
            f'xmlns:r="{rel}"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            f'"{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", "".join(body))
    return path


def _rezip(src: Path, dst: Path, change) -> Path:
    """Copy a workbook, passing each part through ``change(name, data) -> data``."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return dst


def _with_dimension(name: str, data: bytes) -> bytes:
    """The sheet part with a declared size of 1,048,576 rows x 16,384 columns."""
    if not name.endswith("sheet1.xml"):
        return data
    return data.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>', 1)


HEADER = ["Record ID", "Create Date", "Lifecycle Stage", "Original Source", "Became a Marketing Qualified Lead Date"]


def write_hostile(folder: Path) -> dict[str, tuple[list[str], set[int]]]:
    """Hostile inputs under 10 MB: name -> (scorecard arguments, acceptable exit statuses)."""
    import zipfile

    cases: dict[str, tuple[list[str], set[int]]] = {}

    def card(leads: Path, *extra: str, ok=frozenset({0, 2})):
        return (
            [
                "scorecard",
                "--leads",
                str(leads),
                "--preset",
                "hubspot",
                *extra,
                "--out",
                str(folder / f"{leads.stem}.html"),
            ],
            set(ok),
        )

    small = _workbook(
        folder / "small.xlsx", [HEADER] + [[str(i), "2025-01-02 10:00", "Lead", "Events", ""] for i in range(1, 61)]
    )
    # 1. shared strings that unpack ~3,000 times (a "zip bomb"): refused before reading
    bomb = folder / "bomb.xlsx"
    with zipfile.ZipFile(small) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            block = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            for _ in range(600_000):  # ~600 MB of XML in ~1 MB
                member.write(block)
            member.write(b"</sst>")
    cases["xlsx whose shared strings unpack 600 MB"] = card(bomb, ok={2})
    # 2. a sheet that declares 1,048,576 rows x 16,384 columns for 60 rows
    huge = _rezip(small, folder / "dimension.xlsx", _with_dimension)
    cases["xlsx declaring a 1M x 16k sheet (60 rows)"] = card(huge, ok={0})
    # 3. a legitimate workbook of about 9 MB
    n = 400_000
    rows = [HEADER] + [
        [str(i), f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00", "Lead", SOURCES[i % len(SOURCES)], ""]
        for i in range(n)
    ]
    big = _workbook(folder / "big.xlsx", rows)
    cases[f"xlsx of {n:,} leads ({big.stat().st_size / 2**20:.1f} MB)"] = card(big, ok={0})
    # 4. a 2,300-column "all properties" header and rows filling ~9 MB
    extra = [f"Custom property {i}" for i in range(2300)]
    line = ",".join([""] * 2300)
    with open(folder / "wide.csv", "w", encoding="utf-8") as fh:
        fh.write(",".join(extra + HEADER) + "\n")
        i = 0
        while fh.tell() < 9 * 2**20:
            fh.write(f"{line},{i},2025-01-02 10:00,Lead,Events,\n")
            i += 1
    cases["CSV with a 2,300-column header"] = card(folder / "wide.csv", ok={0})
    # 5. a free-text source: a different value in every row
    m = 120_000
    pd.DataFrame(
        {
            "Record ID": np.arange(m),
            "Create Date": "2025-01-02 10:00",
            "Lifecycle Stage": "Lead",
            "Original Source": [f"source {i}" for i in range(m)],
            "Became a Marketing Qualified Lead Date": "",
        }
    ).to_csv(folder / "sources.csv", index=False)
    cases["CSV with a different source in each of 120,000 rows"] = card(folder / "sources.csv", ok={0})
    # 6. a quote opened on row 2 and never closed
    with open(folder / "quote.csv", "w", encoding="utf-8") as fh:
        fh.write(",".join(HEADER) + '\n1,2025-01-02 10:00,Lead,"Events,\n')
        fh.write(("2,2025-01-02 10:00,Lead,Events,\n") * 300_000)
    cases["CSV with an unclosed quote on row 2"] = card(folder / "quote.csv", ok={2})
    # 7. half a million tiny rows (~9 MB)
    with open(folder / "tiny.csv", "w", encoding="utf-8") as fh:
        fh.write("Record ID,Create Date,Lifecycle Stage\n")
        fh.write("".join(f"{i},2025-01-0{1 + i % 9},Lead\n" for i in range(400_000)))
    cases["CSV of 400,000 tiny rows"] = card(folder / "tiny.csv", ok={0})
    # 8. quotes inside values on every row (the slower exact row count)
    with open(folder / "inches.csv", "w", encoding="utf-8") as fh:
        fh.write(",".join(HEADER) + "\n")
        fh.write("".join(f'{i},2025-01-02 10:00,Lead,12" screens,\n' for i in range(250_000)))
    cases['CSV with a quote inside a value on every row (12" screens)'] = card(folder / "inches.csv", ok={0})
    # 9. a mapping nested 100,000 deep
    (folder / "deep.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    cases["mapping nested 100,000 deep"] = (
        ["scorecard", "--leads", str(folder / "tiny.csv"), "--mapping", str(folder / "deep.toml")],
        {2},
    )
    # 10. a deals-only export whose stage is free text
    k = 150_000
    pd.DataFrame(
        {
            "Deal - ID": np.arange(k),
            "Deal - Stage": [f"stage {i}" for i in range(k)],
            "Deal - Status": "open",
            "Deal - Value": "10",
        }
    ).to_csv(folder / "stages.csv", index=False)
    cases["deals with a different stage name in each of 150,000 rows"] = (
        [
            "scorecard",
            "--deals",
            str(folder / "stages.csv"),
            "--preset",
            "pipedrive",
            "--out",
            str(folder / "stages.html"),
        ],
        {0},
    )
    for argv, _ in cases.values():
        for a in argv:
            if a.endswith((".csv", ".xlsx", ".toml")) and Path(a).exists():
                assert Path(a).stat().st_size < HOSTILE_MAX_BYTES, a
    return cases


def main(sizes: tuple[int, ...] = SIZES, deals_only: bool = True, hostile: bool = True) -> int:
    """Run the budgets and print each measure: 1 when any run failed or went over its budget, else 0."""
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'leads':>10} {'deals':>8} {'seconds':>8} {'CPU s':>6} {'peak MB':>8}  budget (1M: {BUDGET_SECONDS:g} s, "
        f"{BUDGET_MB:g} MB)",
        flush=True,
    )
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
            leads.unlink()
            deals.unlink()
        if deals_only:
            path = write_pipedrive(folder)
            seconds, cpu, peak, status = measure_argv(
                [
                    "scorecard",
                    "--deals",
                    str(path),
                    "--preset",
                    "pipedrive",
                    "--out",
                    str(folder / "pipedrive.html"),
                    "--format",
                    "json",
                ]
            )
            over = seconds > DEALS_ONLY_SECONDS
            mark = "FAILED" if status else ("OVER" if over else "ok")
            print(
                f"\ndeals only (Pipedrive), {DEALS_ONLY_ROWS:,} rows: {seconds:.2f} s, CPU {cpu:.2f} s, {peak:.0f} MB"
                f"  budget {DEALS_ONLY_SECONDS:g} s  {mark}",
                flush=True,
            )
            worst = max(worst, 1 if (status or over) else 0)
        if hostile:
            print(
                f"\nhostile inputs under 10 MB (budget {HOSTILE_SECONDS:g} s and {HOSTILE_MB:g} MB each; exit 0 or 2)"
            )
            print(f"{'input':<62} {'seconds':>8} {'CPU s':>6} {'peak MB':>8} {'exit':>4}", flush=True)
            for name, (argv, ok) in write_hostile(folder).items():
                seconds, cpu, peak, status = measure_argv(argv)
                bad = status not in ok or seconds > HOSTILE_SECONDS or peak > HOSTILE_MB
                print(
                    f"{name:<62} {seconds:>8.2f} {cpu:>6.2f} {peak:>8.0f} {status:>4}  {'OVER' if bad else 'ok'}",
                    flush=True,
                )
                worst = max(worst, 1 if bad else 0)
    return worst


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Speed and memory budgets of alignkit scorecard.")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES), help="lead counts to measure")
    parser.add_argument("--no-deals-only", action="store_true", help="skip the deals-only budget")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile inputs")
    args = parser.parse_args()
    sys.exit(main(tuple(args.sizes), not args.no_deals_only, not args.no_hostile))
