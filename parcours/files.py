"""Loading and saving journeys and workspaces: ``parcours.load`` and ``parcours.save``.

A file holds one journey (``journey: <title>`` at the top) or a whole workspace
(``workspace: <name>``); a folder with a ``workspace.yaml`` holds a workspace whose journeys
are files under ``journeys/``. YAML and JSON have the same structure.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from parcours.atomic import write_atomic
from parcours.errors import BadData, FormatError, InvalidArgument, InvalidJourney, Problem
from parcours.fileformat.journey_reader import JourneyReader
from parcours.fileformat.journey_writer import Signed, journey_to_doc
from parcours.fileformat.source import Node, Problems, parse
from parcours.fileformat.workspace import WorkspaceReader, atlas_to_doc
from parcours.limits import DEFAULT_LIMITS, Limits, quote, resolve
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.model.validation import journey_problems
from parcours.security import read_capped

#: What a value that slipped past the field readers may raise (pydantic's ValidationError
#: is a ValueError).
_INPUT_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)
MAX_FILE_BYTES = DEFAULT_LIMITS.max_file_bytes  # the built-in cap; see parcours.limits
SUFFIXES = (".yaml", ".yml", ".json")


def read(path: str | Path) -> tuple[Journey | Atlas | None, list[Problem]]:
    """Read a file or folder; return what it holds (None on errors) and every problem."""
    path = Path(path)
    display = str(path)
    if path.is_dir():
        manifest = next((path / n for n in ("workspace.yaml", "workspace.yml", "workspace.json")
                         if (path / n).is_file()), None)  # fmt: skip
        if manifest is None:
            return None, [Problem(f"folder {display} has no workspace.yaml; a workspace folder "
                                  "holds workspace.yaml and journeys/*.yaml", file=display)]  # fmt: skip
        if not manifest.resolve().is_relative_to(path.resolve()):
            message = (
                f"{manifest.name} is a symbolic link that leads out of the workspace folder; "
                "copy the file into the folder"
            )
            return None, [Problem(message, file=str(manifest))]
        return _read_text(manifest, str(manifest), folder=path)
    if not path.exists():
        return None, [Problem(f"no such file: {display}", file=display)]
    if path.suffix.lower() not in SUFFIXES:
        return None, [Problem(f"'{path.suffix or path.name}' is not a map file; expected .yaml, .yml "
                              "or .json (Excel maps are read by 'parcours import')", file=display)]  # fmt: skip
    folder = workspace_folder_of(path)
    if folder is not None:
        return _read_in_workspace(path, folder)
    return _read_text(path, display)


def workspace_folder_of(path: Path) -> Path | None:
    """The workspace folder a journey file lives in (``FOLDER/journeys/NAME.yaml`` beside
    ``FOLDER/workspace.yaml``), or None."""
    folder = path.resolve().parent.parent
    if path.resolve().parent.name != "journeys":
        return None
    manifest = ("workspace.yaml", "workspace.yml", "workspace.json")
    return folder if any((folder / name).is_file() for name in manifest) else None


def _read_in_workspace(path: Path, folder: Path) -> tuple[Journey | Atlas | None, list[Problem]]:
    """A journey file of a workspace folder names the workspace's touchpoints and KPIs by
    name: it is read with its workspace, and comes back standing alone (with the ids,
    units and directions of the workspace's definitions)."""
    result, problems = read(folder)
    if not isinstance(result, Atlas):
        note = Problem(
            f"{path} is a journey of the workspace {folder}, which has errors; a journey "
            "file of a workspace folder is read with its workspace (fix them, or validate "
            "the folder)",
            file=str(path),
        )
        return None, [*problems, note]
    alone, _ = _read_text(path, str(path))
    ids = [j.id for j in result.journeys]
    journey_id = alone.id if isinstance(alone, Journey) and alone.id in ids else None
    if journey_id is None:
        return None, [
            Problem(
                f"{path} is in the workspace folder {folder} but the workspace does not list "
                f"it; add '{path.name}' to 'journeys' of its workspace.yaml",
                file=str(path),
            )
        ]
    return result.standalone(journey_id), problems


def _read_text(
    path: Path, display: str, folder: Path | None = None, limits: Limits | None = None
) -> tuple[Journey | Atlas | None, list[Problem]]:
    try:
        raw = read_capped(path, resolve(limits), what="map file", display=display)
    except BadData as exc:
        return None, [Problem(str(exc), file=display)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem("the file is not UTF-8 text; save it as UTF-8", display, line)]
    return reads(text, display, folder=folder)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """CPython's cyclic garbage collector rescans every live object again and again while a
    large map's nodes pile up, which made reading superlinear (8,000 steps took 7.5 times
    as long as 2,000); reading makes no garbage worth collecting midway, so the collector
    waits until the document is read (and runs as usual after)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def reads(
    text: str, name: str = "<text>", *, folder: Path | None = None
) -> tuple[Journey | Atlas | None, list[Problem]]:
    """Read a document from text; return what it holds (None on errors) and every problem."""
    with _collector_paused():
        return _reads(text, name, folder)


def _reads(
    text: str, name: str, folder: Path | None
) -> tuple[Journey | Atlas | None, list[Problem]]:
    root, found = parse(text, name)
    problems = Problems(name, list(found))
    if root is None or problems.errors:
        return None, _sorted(problems.found)
    result: Journey | Atlas | None
    try:
        if folder is not None or _is_workspace(root):
            result = WorkspaceReader(problems).read(root, folder=folder)
        else:
            result = JourneyReader(problems).read(root)
    except _INPUT_ERRORS as exc:  # a value no field reader caught: still a problem, not a crash
        problems.add(root, f"this map cannot be read: {quote(exc, 200)}")
        return None, _sorted(problems.found)
    if problems.errors:
        return None, _sorted(problems.found)
    return result, _sorted(problems.found)


def _is_workspace(root: Node) -> bool:
    if not root.is_map:
        return False
    keys = {key for key, _, _ in root.pairs()}
    return "workspace" in keys or ("journeys" in keys and "journey" not in keys)


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file or "", p.line or 0, p.column or 0))


def load(path: str | Path) -> Journey | Atlas:
    """Load a journey or a workspace; raise :class:`FormatError` listing every problem."""
    result, problems = read(path)
    if result is None:
        raise FormatError([p for p in problems if p.severity == "error"] or problems)
    return result


def loads(text: str, name: str = "<text>") -> Journey | Atlas:
    result, problems = reads(text, name)
    if result is None:
        raise FormatError([p for p in problems if p.severity == "error"] or problems)
    return result


def load_journey(path: str | Path, journey_id: str | None = None) -> Journey:
    """A journey from a journey file, or from a workspace (the only one, or ``journey_id``)."""
    result = load(path)
    return pick_journey(result, journey_id, str(path))


def pick_journey(result: Journey | Atlas, journey_id: str | None, display: str) -> Journey:
    """The journey of a file: a journey file's, or one of a workspace's, standing alone."""
    if isinstance(result, Journey):
        return result
    if journey_id is not None:
        return result.standalone(journey_id)
    if len(result.journeys) == 1:
        return result.standalone(result.journeys[0].id)
    from parcours.errors import NotFound

    raise NotFound(f"{display} holds {len(result.journeys)} journeys; choose one with --journey: "
                   + ", ".join(j.id for j in result.journeys))  # fmt: skip


def load_atlas(path: str | Path) -> Atlas:
    """A workspace; a journey file becomes a workspace of one journey."""
    result = load(path)
    if isinstance(result, Atlas):
        return result
    return Atlas(id=result.id, name=result.title, lang=result.lang, journeys=[result])


# -- writing ----------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)  # indent lists under their key


def _signed(dumper: yaml.SafeDumper, value: Signed) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:int", f"{int(value):+d}" if value else "0")


def _short(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | dt.date) and len(str(value)) <= 60


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = bool(value) and all((_short(v) and not isinstance(v, str)) or (isinstance(v, str) and "\n" not in v) for v in value) \
        and all(_short(v) for v in value) and sum(len(str(v)) + 2 for v in value) <= 90  # fmt: skip
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.Node:
    flow = (
        bool(value)
        and len(value) <= 6
        and all(_short(v) for v in value.values())
        and sum(len(str(k)) + len(str(v)) + 4 for k, v in value.items()) <= 80
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)


def _float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    if value.is_integer() and abs(value) < 1e15:
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # YAML folds U+2028, U+2029 and U+0085 into spaces unless they are escaped, which only
    # a double-quoted scalar does (\L, \P, \N)
    if any(ch in value for ch in "\u2028\u2029\x85"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Signed, _signed)
_Dumper.add_representer(float, _float)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(dict, _dict)


def to_doc(obj: Journey | Atlas) -> dict[str, Any]:
    """The document of a journey or a workspace, as plain data.

    A journey written alone must stand alone: one that names touchpoints, channels or KPIs
    of its workspace is refused (take it with ``atlas.standalone(journey_id)``).
    """
    if isinstance(obj, Journey):
        dangling = [p for p in journey_problems(obj) if p.severity == "error"]
        if dangling:
            raise InvalidJourney(
                [Problem(f"journey '{obj.id}' cannot be written alone: {p.message}; write its "
                         "workspace, or take it with atlas.standalone(journey_id)") for p in dangling[:5]]
            )  # fmt: skip
        return journey_to_doc(obj)
    return atlas_to_doc(obj)


def dumps(obj: Journey | Atlas, format: str = "yaml") -> str:
    """A journey or a workspace as YAML or JSON text."""
    doc = to_doc(obj)
    if format == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if format not in ("yaml", "yml"):
        raise InvalidArgument(f"unknown format '{format}'; expected one of: yaml, json")
    text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return _space_stages(text)


def _space_stages(text: str) -> str:
    """A blank line before 'stages:' and each stage, so the file reads in blocks."""
    lines = text.splitlines()
    out: list[str] = []
    in_stages = False
    for line in lines:
        if (
            line.startswith("stages:")
            or line.startswith("journeys:")
            or line.startswith("  stages:")
        ):
            out.append("")
            in_stages = True
        elif in_stages and (line.startswith("  - ") or line.startswith("    - ")) and out and out[-1] != "" \
                and not out[-1].lstrip().startswith("stages:") \
                and _indent(line) == _stage_indent(out):  # fmt: skip
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _stage_indent(out: list[str]) -> int:
    for line in reversed(out):
        if line.lstrip().startswith("stages:"):
            return _indent(line) + 2
    return -1


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def save(obj: Journey | Atlas, path: str | Path) -> Path:
    """Write a journey or a workspace; the suffix picks YAML or JSON.

    A workspace saved to a path without suffix (or an existing folder) becomes a folder:
    ``workspace.yaml`` and one file per journey under ``journeys/``.
    """
    path = Path(path)
    if isinstance(obj, Atlas) and (path.suffix == "" or path.is_dir()):
        return _save_folder(obj, path)
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidArgument(f"cannot save to '{path}': expected a .yaml, .yml or .json file")
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, dumps(obj, fmt))
    return path


def _save_folder(atlas: Atlas, folder: Path) -> Path:
    (folder / "journeys").mkdir(parents=True, exist_ok=True)
    doc = atlas_to_doc(atlas, inline_journeys=False)
    names = []
    for journey in atlas.journeys:
        name = f"{journey.id}.yaml"
        names.append(name)
        text = yaml.dump(journey_to_doc(journey, workspace=atlas.library), Dumper=_Dumper,
                         allow_unicode=True, sort_keys=False, width=100)  # fmt: skip
        _atomic_write(folder / "journeys" / name, _space_stages(text))
    doc["journeys"] = names
    text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    _atomic_write(folder / "workspace.yaml", _space_stages(text))
    return folder


def _atomic_write(path: Path, text: str) -> None:
    write_atomic(path, text)
