"""The mapping file: which column of the export is which, and how its stage names map to the course's.

A mapping is a TOML file. It may start from a preset (``extends = "hubspot"``) or from another
mapping file in its folder (``extends = "shared.toml"``) and override any part of it. A ``file``
setting names a file inside the mapping's own folder (or a subfolder): a mapping cannot make the
command read a file elsewhere; paths given on the command line are not limited. See
``src/alignkit/teamtools/crm/README.md`` for the reference; the presets are in ``src/alignkit/teamtools/crm/presets/``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ... import paths
from ...metrics.funnel import STAGES
from ...outputs import did_you_mean
from .read import CrmError

PRESET_DIR = paths.package_path("alignkit.teamtools.crm", "presets")
DEAL_OUTCOMES = ("open", "won", "lost", "closed")
# a lead stage name may also map to "rejected": an MQL sales turned down (it reached MQL, not SAL)
LEAD_OUTCOMES = (*STAGES, "rejected")

# Allowed keys of each section; a value is a column name unless said otherwise.
SECTIONS: dict[str, tuple[str, ...]] = {
    "leads": (
        "file",
        "sheet",
        "id",
        "created",
        "stage",
        "channel",
        "campaign",
        "first_touch",
        "stage_dates",
        "stages",
        "every_row",
    ),
    "deals": (
        "file",
        "sheet",
        "id",
        "stage",
        "status",
        "amount",
        "created",
        "closed",
        "won_date",
        "lost_date",
        "won",
        "channel",
        "stages",
        "every_row",
    ),
    "join": ("leads", "deals", "multi_value_separator"),
    "spend": ("file", "sheet", "channel", "month", "amount"),
    "revenue": ("file", "sheet", "deal", "start", "mrr", "churned", "margin", "default_gross_margin"),
}
TOP_LEVEL = ("extends", "date_order", "separator", "decimal", *SECTIONS)
# Settings that are not column names.
NOT_COLUMNS = {"file", "sheet", "stage_dates", "stages", "multi_value_separator", "default_gross_margin", "every_row"}
REQUIRED_COLUMNS = {
    "leads": {"id", "created"},
    "deals": set(),  # without an id column, the join column (or the row number) names each deal
    "spend": {"channel", "month", "amount"},
    "revenue": {"start", "mrr"},
}


def presets() -> list[str]:
    """Names of the shipped presets (files in presets/, except the shared base)."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml") if p.stem != "base")


def _load_toml(path: Path, label: str) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CrmError(f"{label}: the mapping file does not exist.") from None
    except IsADirectoryError:
        raise CrmError(f"{label}: the mapping is a folder, not a TOML file.") from None
    except UnicodeDecodeError:
        raise CrmError(f"{label}: the mapping file is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise CrmError(
            f'{label}: not valid TOML ({exc}). Column names with spaces need quotes: id = "Record ID".'
        ) from None
    except RecursionError:
        raise CrmError(f"{label}: not a mapping: its tables or lists are nested too deeply.") from None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _flatten(d: dict, prefix: tuple = ()) -> set[tuple]:
    keys = set()
    for k, v in d.items():
        if isinstance(v, dict) and k not in ("stages",):
            keys |= _flatten(v, prefix + (k,))
        else:
            keys.add(prefix + (k,))
    return keys


@dataclass
class Mapping:
    """A checked mapping: ``settings`` after presets are applied; ``own`` the keys the user's file set."""

    settings: dict
    label: str
    base_dir: Path
    own: set[tuple] = field(default_factory=set)
    sources: list[Path] = field(default_factory=list)  # the mapping files read (the user's, then what it extends)

    @property
    def date_order(self) -> str | None:
        """The order of day and month in the export's dates (such as 'MDY'), or None when the mapping sets none."""
        return self.settings.get("date_order")

    @property
    def separator(self) -> str | None:
        """The CSV separator the mapping sets, or None to detect it from the header."""
        return self.settings.get("separator")

    @property
    def decimal(self) -> str:
        """The decimal mark of the export's numbers ('.' unless the mapping says otherwise)."""
        return self.settings.get("decimal", ".")

    def section(self, name: str) -> dict:
        """One section of the settings (such as ``leads``), empty when the mapping has none."""
        return self.settings.get(name, {})

    def columns(self, name: str) -> dict[str, str]:
        """field -> column name for one section (stage date columns as 'stage_date:<stage>')."""
        sec = self.section(name)
        out = {k: v for k, v in sec.items() if k not in NOT_COLUMNS and v != ""}
        if name == "leads":
            out.update({f"stage_date:{s}": c for s, c in sec.get("stage_dates", {}).items() if c != ""})
        return out

    def required(self, name: str) -> set[str]:
        """Fields whose column must be in the file: the essentials, and every column the user named."""
        need = set(REQUIRED_COLUMNS.get(name, set()))
        for key in self.own:
            if key[0] == name and len(key) == 2 and key[1] not in NOT_COLUMNS:
                need.add(key[1])
            if key[0] == name and len(key) == 3 and key[1] == "stage_dates":
                need.add(f"stage_date:{key[2]}")
        return need

    def file(self, name: str) -> Path | None:
        """The file a section names (a relative path is taken from the mapping's folder); None when it names none."""
        value = self.section(name).get("file")
        if not value:
            return None
        path = Path(value)
        return path if path.is_absolute() else self.base_dir / path

    def every_row(self, name: str) -> str | None:
        """The stage (leads) or outcome (deals) every row of the export is at, if the mapping says so."""
        return self.section(name).get("every_row") or None

    def stage_map(self, name: str) -> dict[str, str]:
        """Export stage name (folded: lower case, single spaces) -> course stage or deal outcome."""
        return {" ".join(k.split()).lower(): v for k, v in self.section(name).get("stages", {}).items()}


def _check(settings: dict, label: str) -> None:
    for key, value in settings.items():
        if key not in TOP_LEVEL:
            raise CrmError(
                f"{label}: unknown setting '{key}'." + did_you_mean(key, TOP_LEVEL, known="The settings are")
            )
        if key in SECTIONS and not isinstance(value, dict):
            raise CrmError(f"{label}: '{key}' must be a table ([{key}]) of settings, not a single value.")
    for name, allowed in SECTIONS.items():
        for key, value in settings.get(name, {}).items():
            if key not in allowed:
                raise CrmError(
                    f"{label}: unknown setting '{key}' in [{name}]."
                    + did_you_mean(key, allowed, known="The settings are")
                )
            if key in ("stage_dates", "stages"):
                if not isinstance(value, dict):
                    raise CrmError(f'{label}: [{name}.{key}] must be a table of "name" = "value" lines.')
                for k, v in value.items():
                    if not isinstance(v, str):
                        raise CrmError(f"{label}: [{name}.{key}] '{k}' must be a text value in quotes.")
            elif key == "default_gross_margin":
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                    raise CrmError(
                        f"{label}: [revenue] default_gross_margin must be a fraction from 0 to 1 "
                        f"such as 0.8 (got {value!r})."
                    )
            elif not isinstance(value, str):
                raise CrmError(f"{label}: [{name}] {key} must be a column name in quotes (got {value!r}).")
    for stage in settings.get("leads", {}).get("stage_dates", {}):
        if stage not in STAGES or stage == "inquiry":
            raise CrmError(
                f"{label}: [leads.stage_dates] '{stage}' is not a stage after inquiry (the inquiry date is "
                f"leads.created); the stages are {', '.join(STAGES[1:])}."
                + did_you_mean(stage, STAGES[1:], known="Known")
            )
    for export_name, stage in settings.get("leads", {}).get("stages", {}).items():
        if stage not in LEAD_OUTCOMES:
            raise CrmError(
                f'{label}: [leads.stages] "{export_name}" = "{stage}": \'{stage}\' is not a course stage; '
                f"use one of {', '.join(LEAD_OUTCOMES)} (rejected: an MQL sales turned down)."
            )
    for export_name, outcome in settings.get("deals", {}).get("stages", {}).items():
        if outcome not in DEAL_OUTCOMES:
            raise CrmError(
                f'{label}: [deals.stages] "{export_name}" = "{outcome}": use one of '
                f"{', '.join(DEAL_OUTCOMES)} ('closed' = closed, the won column says won or lost)."
            )
    every = settings.get("leads", {}).get("every_row")
    if every not in (None, "") and every not in STAGES:
        raise CrmError(
            f'{label}: [leads] every_row = "{every}": say the stage every lead in the export entered '
            f'at, one of {", ".join(STAGES)} (for an export of MQLs only: every_row = "mql").'
        )
    every = settings.get("deals", {}).get("every_row")
    if every not in (None, "") and every not in ("open", "won", "lost"):
        raise CrmError(
            f'{label}: [deals] every_row = "{every}": use "won" (an export of won deals only), "lost" or "open".'
        )
    order = settings.get("date_order")
    if order is not None and order not in ("DMY", "MDY"):
        raise CrmError(
            f'{label}: date_order must be "DMY" (day first, 03/04 = 3 April) or "MDY" '
            f"(month first, 03/04 = 4 March); got {order!r}."
        )
    sep = settings.get("separator")
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
        raise CrmError(f'{label}: separator must be one character such as "," or ";" (got {sep!r}).')
    dec = settings.get("decimal")
    if dec is not None and dec not in (".", ","):
        raise CrmError(f'{label}: decimal must be "." or "," (got {dec!r}).')


def load_preset(name: str) -> dict:
    """The settings of a shipped preset, on top of the shared base."""
    if not isinstance(name, str) or name not in presets():
        raise CrmError(
            f"unknown preset '{name}'; the presets are {', '.join(presets())}."
            + did_you_mean(str(name), presets(), known=None)
        )
    base = _load_toml(PRESET_DIR / "base.toml", "preset base")
    return _merge(base, _load_toml(PRESET_DIR / f"{name}.toml", f"preset {name}"))


MAX_EXTENDS = 8


def _inside(folder: Path, value: str, label: str, key: str) -> str:
    """A path from a mapping, made absolute; refused if it leaves the mapping's folder."""
    path = (folder / value).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise CrmError(
            f'{label}: {key} = "{value}" points outside the mapping\'s folder ({folder}); a mapping '
            f"may only name files in its own folder or below. Give that file on the command line "
            f"instead (for example --leads FILE)."
        )
    return str(path)


def _load_own(path: Path, chain: list[Path], default_base: str | None = None) -> tuple[dict, list[Path], set]:
    """One mapping file and everything it extends, merged (file paths made absolute and checked),
    the files read, and the keys the mapping files (not the presets) set."""
    own = _load_toml(path, str(path))
    _check(own, path.name)
    folder = path.resolve().parent
    for name in SECTIONS:
        sec = own.get(name)
        if isinstance(sec, dict) and isinstance(sec.get("file"), str) and sec["file"]:
            sec["file"] = _inside(folder, sec["file"], path.name, f"[{name}] file")
    base = own.pop("extends", default_base)
    keys = _flatten(own)
    if base is None:
        return _merge(_load_toml(PRESET_DIR / "base.toml", "preset base"), own), [path], keys
    if not isinstance(base, str) or not base:
        raise CrmError(
            f"{path.name}: extends must be a preset name ({', '.join(presets())}) or a mapping file "
            f'such as "shared.toml" in quotes (got {base!r}).'
        )
    if not base.lower().endswith(".toml"):
        return _merge(load_preset(base), own), [path], keys
    parent = Path(_inside(folder, base, path.name, "extends"))
    if parent in chain or parent == path.resolve():
        raise CrmError(f'{path.name}: extends = "{base}" goes round in a circle (a mapping extends itself).')
    if len(chain) >= MAX_EXTENDS:
        raise CrmError(f"{path.name}: more than {MAX_EXTENDS} mappings extend one another; join some of them.")
    if not parent.exists():
        raise CrmError(f'{path.name}: extends = "{base}": the mapping file {parent.name} does not exist in {folder}.')
    inherited, sources, inherited_keys = _load_own(parent, [*chain, path.resolve()])
    return _merge(inherited, own), [path, *sources], keys | inherited_keys


def load_mapping(path: str | Path | None = None, preset: str | None = None) -> Mapping:
    """Load a mapping file (which may ``extends`` a preset or another mapping file) or a preset by
    name, and check it."""
    if path is None:
        if preset is None:
            raise CrmError("give a mapping file (--mapping FILE) or a preset (--preset NAME).")
        settings = load_preset(preset)
        _check(settings, f"preset {preset}")
        return Mapping(settings, f"preset {preset}", Path.cwd())
    path = Path(path)
    settings, sources, keys = _load_own(path, [], preset)
    _check(settings, path.name)
    return Mapping(settings, path.name, path.resolve().parent, own=keys, sources=sources)
