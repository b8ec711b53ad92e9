"""``python -m alignkit.build.sitecheck``: the published site's speed and accessibility, page by page.

The built site (``_build/html``, or ``$ALIGNKIT_SITE``) is served from 127.0.0.1 the way a static
host serves it: text files gzip-compressed (``Content-Encoding: gzip``, ``Vary: Accept-Encoding``),
the theme's and the course's fingerprinted files under ``_static`` cached for a year, pages
revalidated. Then, for each lesson page (or every page with ``--all``):

* Lighthouse 12 (npm, ``node_modules/.bin/lighthouse``) in its default mobile preset runs Debian's
  chromium and gives the **performance** and **accessibility** scores (budgets 0.95 and 1.0, performance on an
  otherwise idle machine). Performance varies from run to run: each page is measured ``--runs``
  times (3 by default) and the median run counts (the run with the median performance score, whose
  metrics are printed); every run's score is printed too;
* the page is opened in chromium with Playwright, scrolled to the end so that everything loaded
  lazily (Vega, the widget manager) loads too, and the bytes it transferred are added up
  (compressed sizes as sent on the wire; budget 1.5 MB for a lesson).

It prints one line per page and exits with status 1 when a budget is missed (``--no-fail`` always
exits 0). ``--json FILE`` also writes the figures, with Lighthouse's main metrics.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import http.server
import json
import mimetypes
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .. import paths

ROOT = paths.root()
SITE = Path(os.environ.get("ALIGNKIT_SITE", ROOT / "_build" / "html"))
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

PERFORMANCE_BUDGET = 0.95
ACCESSIBILITY_BUDGET = 1.0
WEIGHT_BUDGET = 1.5 * 1024 * 1024  # bytes transferred by a lesson page

COMPRESSIBLE = {
    ".html",
    ".js",
    ".css",
    ".json",
    ".svg",
    ".txt",
    ".ipynb",
    ".map",
    ".eot",
    ".ttf",
    ".md",
    ".inv",
    ".xml",
    ".py",
}
mimetypes.add_type("application/x-ipynb+json", ".ipynb")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("font/woff", ".woff")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A static host: gzip for text (compressed once per file version), cache headers, no logging."""

    _cache: dict[tuple[str, float], bytes] = {}
    _lock = threading.Lock()

    def log_message(self, *args):  # quiet
        """Log no requests (the host is quiet)."""
        pass

    def do_GET(self):
        """Answer a GET: the file (gzipped when it is text) with its cache headers."""
        self._serve(body=True)

    def do_HEAD(self):
        """Answer a HEAD: the headers a GET would send, without the body."""
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        url = urlsplit(self.path)
        rel = unquote(url.path).lstrip("/")
        root = Path(self.directory).resolve()
        path = (root / rel).resolve()
        if root not in path.parents and path != root:
            return self.send_error(404)
        if path.is_dir():
            if not url.path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url.path + "/")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            path = path / "index.html"
        if not path.is_file():
            return self.send_error(404, "Not found")
        stat = path.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            return self.end_headers()
        data = path.read_bytes()
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        gz = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if gz:
            key = (str(path), stat.st_mtime)
            with self._lock:
                packed = self._cache.get(key)
            if packed is None:
                packed = gzip.compress(data, compresslevel=9, mtime=0)
                with self._lock:
                    self._cache[key] = packed
            data = packed
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if gz:
            self.send_header("Content-Encoding", "gzip")
        if path.suffix in COMPRESSIBLE:
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        rel_parts = path.relative_to(root).parts
        if rel_parts and rel_parts[0] == "_static":
            self.send_header("Cache-Control", "public, max-age=31536000")
        else:
            self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if body:
            self.wfile.write(data)


@contextmanager
def serve(site: Path = SITE, port: int = 0):
    """Serve ``site`` on 127.0.0.1 (a free port unless given); yields the base URL."""
    if not (site / "index.html").exists():
        raise SystemExit(f"{site} has no built site: run 'make book' first.")
    handler = lambda *a, **k: StaticHost(*a, directory=str(site), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def pages(site: Path = SITE, everything: bool = False) -> list[str]:
    """The lesson pages (``notebooks/*.html``), or every page of the site."""
    if everything:
        found = [p.relative_to(site) for p in site.rglob("*.html")]
        return sorted(
            str(p) for p in found if p.parts[0] != "_static" and str(p) not in ("index.html", "genindex.html")
        )
    return sorted(str(p.relative_to(site)) for p in (site / "notebooks").glob("*.html"))


def lighthouse(url: str) -> dict:
    """Lighthouse's mobile run of one page: scores and main metrics."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run 'npm ci' ('make book' does).")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance,accessibility",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--max-wait-for-load=30000",
        "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=240)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    audits = report["audits"]
    metric = lambda name: audits.get(name, {}).get("numericValue")  # noqa: E731
    failing = [
        a
        for a in report["categories"]["accessibility"]["auditRefs"]
        if a.get("weight") and audits[a["id"]].get("score") not in (None, 1)
    ]
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "fcp_ms": metric("first-contentful-paint"),
        "lcp_ms": metric("largest-contentful-paint"),
        "tbt_ms": metric("total-blocking-time"),
        "cls": metric("cumulative-layout-shift"),
        "speed_index_ms": metric("speed-index"),
        "lighthouse_bytes": metric("total-byte-weight"),
        "accessibility_failures": [a["id"] for a in failing],
        "runtime_error": report.get("runtimeError", {}).get("message"),
    }


def transferred(browser, url: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes a page transfers (headers and compressed bodies), after scrolling to its end so that
    whatever loads lazily is counted too; and the requests, largest first."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, device_scale_factor=1.75)
    page = context.new_page()
    requests: list[Any] = []
    pending: set[Any] = set()

    def finished(r) -> None:
        pending.discard(r)
        requests.append(r)

    page.on("request", lambda r: pending.add(r))
    page.on("requestfinished", finished)
    page.on("requestfailed", lambda r: pending.discard(r))

    def settle(quiet_ms: int = 600, limit_ms: int = 20000) -> None:
        quiet = waited = 0
        while quiet < quiet_ms and waited < limit_ms:
            page.wait_for_timeout(100)
            waited += 100
            quiet = 0 if pending else quiet + 100

    page.goto(url, wait_until="load")
    settle()
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 800, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)
        height = max(height, page.evaluate("document.documentElement.scrollHeight"))
    settle()
    sizes = []
    for r in requests:
        s = r.sizes()
        sizes.append((r.url, s["responseBodySize"] + s["responseHeadersSize"]))
    context.close()
    sizes.sort(key=lambda x: -x[1])
    return sum(n for _, n in sizes), sizes


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (the lower middle one for an even count), with
    every run's performance score under ``performance_runs``."""
    ordered = sorted(runs, key=lambda r: r["performance"])
    return {**ordered[(len(ordered) - 1) // 2], "performance_runs": [r["performance"] for r in runs]}


def check(
    site: Path = SITE,
    everything: bool = False,
    run_lighthouse: bool = True,
    verbose: bool = False,
    runs: int = 3,
    only: list[str] | None = None,
) -> list[dict]:
    """Measure the built site's pages (speed, weight, accessibility); one row per page."""
    from playwright.sync_api import sync_playwright

    rows = []
    print(
        f"{'page':<46} {'perf':>5} {'a11y':>5} {'weight':>9}   budgets: perf ≥ {PERFORMANCE_BUDGET} "
        f"(median of {runs} Lighthouse mobile runs), "
        f"a11y ≥ {ACCESSIBILITY_BUDGET}, lesson ≤ {WEIGHT_BUDGET / 2**20:.1f} MB",
        flush=True,
    )
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for path in only or pages(site, everything):
            url = f"{base}/{path}"
            row: dict[str, Any] = {"page": path}
            row["bytes"], sizes = transferred(browser, url)
            if run_lighthouse:
                row.update(median_run([lighthouse(url) for _ in range(runs)]))
            lesson = path.startswith("notebooks/")
            ok = (
                not run_lighthouse
                or (row["performance"] >= PERFORMANCE_BUDGET and row["accessibility"] >= ACCESSIBILITY_BUDGET)
            ) and (not lesson or row["bytes"] <= WEIGHT_BUDGET)
            row["ok"] = ok
            perf = f"{row['performance']:.2f}" if run_lighthouse else "-"
            a11y = f"{row['accessibility']:.2f}" if run_lighthouse else "-"
            each = (
                " (runs: " + ", ".join(f"{p:.2f}" for p in row["performance_runs"]) + ")"
                if run_lighthouse and runs > 1
                else ""
            )
            print(
                f"{path:<46} {perf:>5} {a11y:>5} {row['bytes'] / 2**20:>6.2f} MB   {'ok' if ok else 'OVER'}{each}",
                flush=True,
            )
            if verbose or not ok:
                if run_lighthouse:
                    print(
                        f"    FCP {row['fcp_ms']:.0f} ms, LCP {row['lcp_ms']:.0f} ms, TBT {row['tbt_ms']:.0f} ms, "
                        f"CLS {row['cls']:.3f}, SI {row['speed_index_ms']:.0f} ms; "
                        f"accessibility audits failing: {', '.join(row['accessibility_failures']) or 'none'}"
                    )
                for u, n in sizes[:6]:
                    print(f"    {n / 1024:8.1f} KB  {u.replace(base, '')}")
            rows.append(row)
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    """The command line: check the built site, or serve it (``--serve``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: %(default)s)")
    parser.add_argument("--all", action="store_true", help="every page, not only the lessons")
    parser.add_argument(
        "--page", action="append", default=[], help="only this page (e.g. notebooks/00-start-here.html); repeatable"
    )
    parser.add_argument("--no-lighthouse", action="store_true", help="page weights only")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median counts (default 3)")
    parser.add_argument("--verbose", "-v", action="store_true", help="metrics and the largest requests")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when a budget is missed")
    parser.add_argument("--serve", action="store_true", help="only serve the site (PORT, default 8000)")
    args = parser.parse_args(argv)
    if args.serve:
        port = int(os.environ.get("PORT", "8000"))
        with serve(args.site, port) as base:
            print(f"Serving {args.site} at {base}/ (gzip, cache headers); Ctrl-C stops.", flush=True)
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                pass
        return 0
    rows = check(args.site, args.all, not args.no_lighthouse, args.verbose, max(1, args.runs), args.page)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0 if args.no_fail or all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
