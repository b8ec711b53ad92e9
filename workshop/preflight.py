#!/usr/bin/env python3
"""Check your set-up for the Sales & Marketing Alignment workshop.

Run it in the workshop kit's folder with the Python you will use for the course:

    python preflight.py

It checks the Python version, every package at the version in requirements.txt, the course's
package, the data files (present, unchanged and loadable), the JupyterLab extensions the lessons need
(MyST text, widgets, charts) and a notebook kernel. It also turns off JupyterLab's question, at its
first start, whether to fetch news from the internet, and has it draw each lesson whole when it
opens (alignkit.build.labsetup). For anything
wrong it says what is missing and the command that fixes it. It ends with "All set" when you are
ready, and exits with status 1 when something needs fixing.

It uses only Python's standard library, so it runs even when nothing else is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from importlib import metadata
from pathlib import Path

OK, FIX = "[ok] ", "[FIX]"


class Report:
    def __init__(self) -> None:
        self.problems = 0

    def ok(self, text: str) -> None:
        print(f"{OK} {text}")

    def fix(self, text: str, how: str) -> None:
        self.problems += 1
        print(f"{FIX} {text}\n      Fix: {how}")


def _pins(requirements: Path) -> dict[str, str]:
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if m:
            pins[m.group(1)] = m.group(2)
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def check_python(report: Report, want: str) -> None:
    have = f"{sys.version_info.major}.{sys.version_info.minor}"
    if have == want:
        report.ok(f"Python {sys.version.split()[0]} ({sys.executable})")
    else:
        report.fix(f"This is Python {have}; the course's packages are pinned for Python {want}.",
                   f"install Python {want} and make the course environment with it: "
                   f"python{want} -m venv .venv, then run preflight.py with .venv's Python.")


def check_packages(report: Report, root: Path) -> bool:
    requirements = root / "requirements.txt"
    if not requirements.exists():
        report.fix("requirements.txt is missing.", "unzip the workshop kit again into this folder.")
        return False
    pins = _pins(requirements)
    missing, wrong = [], []
    for name, version in pins.items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if have != version:
            wrong.append(f"{name} (need {version}, have {have})")
    if not missing and not wrong:
        report.ok(f"all {len(pins)} packages at the versions in requirements.txt")
        return True
    parts = []
    if missing:
        parts.append(f"{len(missing)} missing: {', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}")
    if wrong:
        parts.append(f"{len(wrong)} at another version: {', '.join(wrong[:8])}{' …' if len(wrong) > 8 else ''}")
    report.fix("Packages are not as pinned. " + "; ".join(parts) + ".",
               f"{Path(sys.executable).name} -m pip install -r requirements.txt")
    return not missing


def check_alignkit(report: Report, root: Path) -> bool:
    try:
        import alignkit
    except ImportError as exc:
        report.fix(f"The course's package cannot be imported ({exc}).",
                   "python -m pip install --no-deps -e .   (in this folder, after the requirements)")
        return False
    where = Path(alignkit.__file__).resolve()
    mine = (root / "src" / "alignkit").resolve()
    if where.parent != mine:
        report.fix(f"Python imports the course's package from {where.parent}, not from this kit.",
                   "python -m pip install --no-deps -e .   (in this folder)")
        return False
    report.ok(f"the course's package, from {mine}")
    return True


def check_data(report: Report, root: Path, manifest: dict, can_load: bool) -> None:
    missing, changed = [], []
    for rel, digest in manifest.get("data", {}).items():
        path = root / rel
        if not path.exists():
            missing.append(rel)
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            changed.append(rel)
    for rel in missing:
        report.fix(f"{rel} is missing.", "unzip the workshop kit again into this folder (it restores the data files).")
    for rel in changed:
        report.fix(f"{rel} is not the file the kit came with (it was edited or damaged).",
                   "unzip the workshop kit again into this folder, or copy that one file from the archive.")
    if missing or changed:
        return
    report.ok(f"{len(manifest.get('data', {}))} data files present and unchanged")
    if not can_load:
        return
    try:
        from alignkit.casedata.dataset import load_company
    except Exception as exc:  # noqa: BLE001  (any import failure is worth reporting)
        report.fix(f"The data loader cannot be imported ({exc}).", "python -m pip install -r requirements.txt")
        return
    for company in manifest.get("companies", []):
        try:
            data = load_company(company, data_dir=root / "data")
        except Exception as exc:  # noqa: BLE001
            report.fix(f"The {company} data does not load: {exc}",
                       "unzip the workshop kit again; if that does not help, send this message to your facilitator.")
            continue
        report.ok(f"{company}: {len(data.leads):,} leads and every other table load and pass their checks")


def check_notebooks(report: Report, root: Path, manifest: dict) -> None:
    missing = [rel for rel in manifest.get("notebooks", []) if not (root / rel).exists()]
    if missing:
        report.fix(f"Lessons missing: {', '.join(missing)}.", "unzip the workshop kit again into this folder.")
    else:
        report.ok(f"{len(manifest.get('notebooks', []))} lessons in notebooks/")


def check_kernel(report: Report, root: Path, timeout: float) -> None:
    try:
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import start_new_kernel
    except ImportError:
        report.fix("Jupyter is not installed, so the lessons cannot run.", "python -m pip install -r requirements.txt")
        return
    if "python3" not in KernelSpecManager().find_kernel_specs():
        report.fix("No Python notebook kernel is installed.", "python -m ipykernel install --user")
        return
    try:
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(root / "notebooks"), startup_timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        report.fix(f"A notebook kernel does not start ({exc}).", "python -m pip install -r requirements.txt")
        return
    try:
        reply = kc.execute_interactive("import alignkit, sys; print(sys.executable)", timeout=timeout,
                                       output_hook=lambda msg: None)
        if reply["content"]["status"] == "ok":
            report.ok("a notebook kernel starts and imports the course's package")
        else:
            c = reply["content"]
            report.fix(f"In a notebook kernel, the course's package fails: {c.get('ename')}: {c.get('evalue')}",
                       "python -m pip install --no-deps -e .   (in this folder)")
    except Exception as exc:  # noqa: BLE001
        report.fix(f"The notebook kernel did not answer ({exc}).", "restart your computer and run preflight.py again.")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# The JupyterLab extensions the lessons need to read as on the website (installed by requirements.txt):
# MyST prose with its figures, widgets (exercises, quizzes, explorers) and charts with their controls.
LAB_EXTENSIONS = {
    "jupyterlab-myst": "the lessons' text (MyST: glossary terms, boxes, the figures in the prose)",
    "@jupyter-widgets/jupyterlab-manager": "the exercises, quizzes and explorers (ipywidgets)",
    "anywidget": "the charts and their controls",
}
SERVER_EXTENSIONS = {"jupyterlab_myst": "jupyterlab-myst"}


def check_lab(report: Report) -> None:
    """The JupyterLab extensions are installed and enabled, and the charts' offline script is ready."""
    prefix = Path(sys.prefix)
    missing = [name for name in LAB_EXTENSIONS
               if not (prefix / "share" / "jupyter" / "labextensions" / name / "package.json").exists()]
    disabled = []
    for module in SERVER_EXTENSIONS:
        config = prefix / "etc" / "jupyter" / "jupyter_server_config.d" / f"{module}.json"
        try:
            enabled = json.loads(config.read_text(encoding="utf-8"))["ServerApp"]["jpserver_extensions"].get(module)
        except (OSError, ValueError, KeyError):
            enabled = False
        if not enabled:
            disabled.append(SERVER_EXTENSIONS[module])
    labconfig = prefix / "etc" / "jupyter" / "labconfig" / "page_config.json"
    if labconfig.exists():
        try:
            off = json.loads(labconfig.read_text(encoding="utf-8")).get("disabledExtensions", {})
        except ValueError:
            off = {}
        disabled += [name for name in LAB_EXTENSIONS if off.get(name) or any(off.get(k) for k in off if k.startswith(name + ":"))]
    if missing or disabled:
        what = "; ".join([*(f"{n} missing ({LAB_EXTENSIONS[n]})" for n in missing),
                          *(f"{n} disabled" for n in sorted(set(disabled)))])
        report.fix(f"JupyterLab will not show the lessons as on the website: {what}.",
                   f"{Path(sys.executable).name} -m pip install -r requirements.txt, then "
                   f"jupyter labextension enable jupyterlab-myst")
        return
    report.ok(f"JupyterLab extensions: {', '.join(LAB_EXTENSIONS)}")
    try:  # JupyterLab's first start asks to fetch news from the internet: not in the workshop
        from alignkit.build.labsetup import set_up
        set_up()  # and each lesson is drawn whole when it opens
    except Exception as exc:  # noqa: BLE001
        report.fix(f"JupyterLab would ask to fetch news from the internet when it starts, or draw a lesson "
                   f"only as you scroll ({exc}).",
                   f"{Path(sys.executable).name} -m alignkit.build.labsetup")
    else:
        report.ok("JupyterLab starts without asking to fetch news, and draws each lesson whole when it opens")
    try:
        from alignkit.ui.labchart import offline_esm
        offline_esm()  # bundled once (a few seconds), then kept beside the environment
    except Exception as exc:  # noqa: BLE001
        report.fix(f"The charts' offline script for JupyterLab could not be prepared ({exc}).",
                   f"{Path(sys.executable).name} -m pip install -r requirements.txt")
        return
    report.ok("charts draw offline in JupyterLab")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check your set-up for the workshop.")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent,
                        help="the kit's folder (default: where this script is)")
    parser.add_argument("--no-kernel", action="store_true", help="skip starting a notebook kernel")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the kernel")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    print(f"Checking your set-up for the Sales & Marketing Alignment workshop in {root}\n")
    report = Report()
    manifest_path = root / "kit-manifest.json"
    if not manifest_path.exists():
        report.fix("kit-manifest.json is missing: this does not look like the workshop kit's folder.",
                   "run preflight.py from the folder you unzipped the kit into.")
        return 1
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    check_python(report, manifest.get("python", "3.11"))
    packages = check_packages(report, root)
    package = check_alignkit(report, root) if packages else False
    check_data(report, root, manifest, can_load=package)
    check_notebooks(report, root, manifest)
    if package:
        check_lab(report)
    if package and not args.no_kernel:
        check_kernel(report, root, args.timeout)
    if report.problems:
        print(f"\n{report.problems} thing{'s' if report.problems > 1 else ''} to fix before the workshop "
              f"(see [FIX] above). Run preflight.py again after fixing.")
        return 1
    print("\nAll set. Open the lessons with: jupyter lab notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
