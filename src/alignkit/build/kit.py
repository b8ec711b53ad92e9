"""The participants' workshop kit: one zip archive with the lessons (learner edition), the data, the
pinned requirements, the package source and ``preflight.py``, the check a participant runs on their
own laptop before the session (``python -m alignkit.build.workshop kit``).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from .. import paths
from ..casedata.companies import COMPANIES
from ..outputs import write_atomically
from .editions import learner_notebook

KIT_NAME = "alignment-workshop"
KIT_PATH = paths.build_dir() / "workshop-kit.zip"
PREFLIGHT = paths.workshop_dir() / "preflight.py"
PYTHON_VERSION = "3.11"  # the version requirements.txt is pinned for

KIT_README = """# Sales & Marketing Alignment workshop: your set-up

This folder has everything you need for the workshop: the lessons (`notebooks/`), Brightline's data
(`data/`), the course's Python package (`src/alignkit/`) and the exact versions of every package it
needs (`requirements.txt`). Set it up once, before the session; it takes about ten minutes.

1. Install **Python {python}** (python.org, or your company's software centre).
2. Open a terminal in this folder and create an environment for the course:

   ```
   python{python} -m venv .venv
   .venv/bin/python -m pip install -r requirements.txt          (Windows: .venv\\Scripts\\python ...)
   .venv/bin/python -m pip install --no-deps -e .
   ```

3. Check your set-up: `.venv/bin/python preflight.py`. It says what is missing and how to fix it.
   Run it again until it ends with "All set".
4. Open the lessons: `.venv/bin/jupyter lab notebooks`, then `00-start-here.ipynb`.

If your facilitator runs a JupyterHub for the room, you need none of this: open the address they
give you in a browser and log in with any user name and the workshop password.
"""


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kit_files(root: Path | None = None) -> dict[str, bytes]:
    """Every file of the kit, by its path inside the archive (below the kit's top folder)."""
    root = Path(root) if root is not None else paths.root()
    files: dict[str, bytes] = {}
    lessons = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if not lessons:
        raise FileNotFoundError(f"no lessons in {root / 'notebooks'}")
    for path in lessons:
        nb = learner_notebook(json.loads(path.read_text(encoding="utf-8")))
        files[f"notebooks/{path.name}"] = (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()
    data = sorted(p for p in (root / "data").rglob("*") if p.is_file())
    for path in data:
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    for path in sorted((root / "src" / "alignkit").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    files["requirements.txt"] = (root / "requirements.txt").read_bytes()
    files["pyproject.toml"] = (root / "pyproject.toml").read_bytes()
    files["preflight.py"] = PREFLIGHT.read_bytes()
    files["README.md"] = KIT_README.format(python=PYTHON_VERSION).encode()
    manifest = {
        "python": PYTHON_VERSION,
        "companies": sorted(c for c in COMPANIES if (root / "data" / c).is_dir()),  # the loadable companies
        "data": {p.relative_to(root).as_posix(): _file_hash(p) for p in data if p.suffix == ".csv"},
        "notebooks": [f"notebooks/{p.name}" for p in lessons],
    }
    files["kit-manifest.json"] = (json.dumps(manifest, indent=1) + "\n").encode()
    return files


def build_kit(out: Path = KIT_PATH, root: Path | None = None) -> Path:
    """Write the kit as one zip archive, byte for byte the same for the same sources."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, content in sorted(kit_files(root).items()):
            info = zipfile.ZipInfo(f"{KIT_NAME}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name == "preflight.py" else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)
    write_atomically(out, buffer.getvalue())
    return out
