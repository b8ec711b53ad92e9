"""The workshop's command line: the participants' kit, a JupyterHub for a room, the lessons in one edition.

* ``python -m alignkit.build.workshop kit`` writes ``_build/workshop-kit.zip`` (:mod:`alignkit.build.kit`);
* ``python -m alignkit.build.workshop hub`` starts JupyterHub on 127.0.0.1 (:mod:`alignkit.build.hub`);
* ``python -m alignkit.build.workshop notebooks --edition facilitator --out DIR`` writes the lessons with
  solutions and facilitator notes, for the facilitator's own JupyterLab (:mod:`alignkit.build.editions`).

The agendas are in :mod:`alignkit.build.agendas`, the lessons' activities in :mod:`alignkit.build.activities`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import paths
from . import editions, hub, kit


def main(argv: list[str] | None = None) -> int:
    """The command line: ``kit``, ``hub`` or ``notebooks``."""
    parser = argparse.ArgumentParser(prog="python -m alignkit.build.workshop", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    kit_args = sub.add_parser("kit", help="write the participants' kit (a zip archive)")
    kit_args.add_argument("--out", type=Path, default=kit.KIT_PATH)
    hub_args = sub.add_parser("hub", help="start JupyterHub on 127.0.0.1 for a trial or a small room")
    hub_args.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    hub_args.add_argument(
        "--password",
        help="the shared workshop password (8 characters or more); default: $WORKSHOP_PASSWORD or a new random one",
    )
    hub_args.add_argument(
        "--dir",
        type=Path,
        default=paths.build_dir() / "hub",
        help="where the hub keeps its database and each user's copy of the lessons",
    )
    nbs = sub.add_parser("notebooks", help="write the lessons in one edition")
    nbs.add_argument("--edition", choices=("learner", "facilitator"), default="facilitator")
    nbs.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "kit":
        path = kit.build_kit(args.out)
        print(f"{path} ({path.stat().st_size / 1e6:.1f} MB): send it to participants with the pre-work.")
    elif args.command == "hub":
        return hub.run_hub(args.port, args.password, args.dir.resolve())
    else:
        for path in editions.write_notebooks(args.out, args.edition):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
