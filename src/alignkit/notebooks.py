"""Run the lessons: execute each notebook and save its outputs, or time it for ``make bench``.

``python -m alignkit.notebooks`` executes every notebook in ``notebooks/`` in place, so the
``.ipynb`` files in the repository carry current outputs: a learner who downloads one sees the
results, and nbval compares a fresh run against them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"


def lesson_paths() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))


def execute(path: Path, save: bool = False, timeout: int = 120) -> float:
    """Execute one notebook with a fresh kernel in its own folder; return the seconds it took."""
    from .labready import LabReadyClient  # also saves the prose's figures for JupyterLab

    nb = nbformat.read(path, as_version=4)
    client = LabReadyClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if save:
        nb.metadata.pop("widgets", None)  # widget state is rebuilt by every run; not worth keeping in git
        nbformat.write(nb, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute the lessons and save their outputs.")
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every lesson)")
    args = parser.parse_args(argv)
    for path in args.paths or lesson_paths():
        print(f"{path.name}: {execute(path, save=True):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
