"""Reading and writing a workspace (atlas): one file, or a folder of files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parcours.errors import BadData, Problem
from parcours.fileformat import fields as F
from parcours.fileformat.header import document_keys, read_library_entries
from parcours.fileformat.journey_reader import JourneyReader
from parcours.fileformat.journey_writer import journey_to_doc, library_doc
from parcours.fileformat.source import Node, Problems, parse
from parcours.limits import quote, refusal
from parcours.model.atlas import Atlas
from parcours.model.base import slugify
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.persona import Market, Persona
from parcours.model.validation import atlas_problems
from parcours.security import read_capped

WORKSPACE_KEYS = ("parcours", "workspace", "id", "lang", "currency", "description", "personas", "channels",
                  "touchpoints", "kpis", "journeys")  # fmt: skip
PERSONA_SPEC: dict[str, F.Reader] = {
    name: (F.TEXTS if field.annotation == list[str] else F.TEXT)
    for name, field in Persona.model_fields.items()
}
PERSONA_SPEC["market"] = F.choice(Market)
PERSONA_SPEC["attributes"] = F.TEXT_MAP


def read_persona(node: Node, problems: Problems) -> Persona | None:
    values, nodes = F.read_mapping(node, problems, PERSONA_SPEC, "a persona", required=("name",))
    if "name" not in values:
        return None
    values.setdefault("id", slugify(values["name"], fallback="persona"))
    return F.build(Persona, values, nodes, node, problems, f"persona '{values['name']}'")


def persona_to_doc(persona: Persona) -> dict[str, Any]:
    data = persona.model_dump(mode="json", exclude_defaults=True)
    if data.get("id") == slugify(persona.name, fallback="persona"):
        data.pop("id")
        return {"name": data.pop("name"), **data}
    return {"id": data.pop("id"), "name": data.pop("name"), **data}


class WorkspaceReader:
    """Reads a workspace file or folder; problems carry the file and line of each journey."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.journey_readers: dict[str, JourneyReader] = {}
        self.where: dict[tuple[str, ...], Node] = {}

    def read(self, root: Node, *, folder: Path | None = None, display: str = "") -> Atlas | None:
        p = self.problems
        keys = document_keys(root, p, WORKSPACE_KEYS, "workspace", "name")
        if keys is None:
            return None
        data: dict[str, Any] = {}
        for key, reader in (
            ("workspace", F.TEXT),
            ("id", F.TEXT),
            ("lang", F.TEXT),
            ("currency", F.CURRENCY),
            ("description", F.TEXT),
        ):
            if key in keys:
                value = reader(keys[key][1], p, f"'{key}'")
                if value is not None:
                    data["name" if key == "workspace" else key] = value
        data.setdefault("name", "Workspace")
        data.setdefault("id", slugify(data["name"], fallback="workspace"))
        personas = []
        if "personas" in keys:
            node = keys["personas"][1]
            items = node.items() if node.is_seq else []
            if not node.is_seq and not node.is_null:
                p.add(node, f"'personas' should be a list, not {node.kind()}")
            for item in items:
                persona = read_persona(item, p)
                if persona is not None:
                    personas.append(persona)
                    self.where[("persona", persona.id)] = item
        library: dict[str, list[Any]] = {"channels": [], "touchpoints": [], "kpis": []}
        for kind in library:
            if kind in keys:
                entries, where = read_library_entries(keys[kind][1], p, kind)
                library[kind] = entries
                singular = {"channels": "channel", "touchpoints": "touchpoint", "kpis": "kpi"}[kind]
                for entry_id, entry_node in where.items():
                    self.where[(singular, entry_id)] = entry_node
        shared = Library(**library)
        persona_ids = {persona.id for persona in personas}
        journeys: list[Journey] = []
        for journey_node, problems in self._journey_nodes(keys.get("journeys"), folder):
            journey_reader = JourneyReader(problems, workspace_library=shared, personas=persona_ids)
            journey = journey_reader.read(journey_node, top_level=folder is not None)
            if problems is not p:
                p.found.extend(problems.found)
            if journey is not None:
                journeys.append(journey)
                self.journey_readers[journey.id] = journey_reader
        if p.errors:
            return None
        atlas = Atlas.model_validate(
            {**data, "personas": personas, "library": shared, "journeys": journeys},
            context={"defer_checks": True},
        )
        self._report(atlas_problems(atlas))
        return atlas

    def _journey_nodes(
        self, node_pair: tuple[Node, Node] | None, folder: Path | None
    ) -> list[tuple[Node, Problems]]:
        p = self.problems
        out: list[tuple[Node, Problems]] = []
        if folder is not None:
            names: list[tuple[str, Node | None]] = []
            if node_pair is not None and not node_pair[1].is_null:
                node = node_pair[1]
                if not node.is_seq:
                    p.add(node, "'journeys' of a workspace folder lists file names under journeys/")
                    return out
                for item in node.items():
                    if item.is_scalar:
                        names.append((item.text(), item))
                    else:
                        p.add(
                            item,
                            "'journeys' of a workspace folder lists file names under journeys/",
                        )
            else:
                names = [
                    (f.name, None)
                    for f in sorted((folder / "journeys").glob("*"))
                    if f.suffix in (".yaml", ".yml", ".json")
                ]
            if len(names) > p.limits.max_journeys:
                p.add(
                    node_pair[1] if node_pair is not None else None,
                    refusal("max_journeys", len(names), "the workspace", p.limits),
                )
                return out
            for name, name_node in names:
                read = self._read_journey_file(folder, name, name_node)
                if read is not None:
                    out.append(read)
            return out
        if node_pair is None:
            return out
        node = node_pair[1]
        if node.is_null:
            return out
        if not node.is_seq:
            p.add(node, f"'journeys' should be a list of journeys, not {node.kind()}")
            return out
        if len(node.items()) > p.limits.max_journeys:
            p.add(node, refusal("max_journeys", len(node.items()), "the workspace", p.limits))
            return out
        return [(item, p) for item in node.items()]

    def _read_journey_file(
        self, folder: Path, name: str, name_node: Node | None
    ) -> tuple[Node, Problems] | None:
        """Parse one journey file of a folder: inside the folder, a regular file, under the
        size cap, UTF-8; any other case is a problem located at its name."""
        p = self.problems
        path = jailed(folder, Path("journeys") / name, name_node, p, "journey file", name)
        if path is None:
            return None
        display = str(folder / "journeys" / name)
        try:
            missing = not path.exists()
        except (OSError, ValueError):  # a name too long for the file system, a NUL
            missing = True
        if missing:
            p.add(name_node, f"journey file {quote(name)} does not exist in {folder / 'journeys'}")
            return None
        try:
            raw = read_capped(path, p.limits, what="journey file", display=display)
        except BadData as exc:
            if name_node is None:
                p.found.append(Problem(str(exc), file=display))
            else:
                p.add(name_node, str(exc))
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            p.found.append(Problem("the file is not UTF-8 text; save it as UTF-8", display, line))
            return None
        root, found = parse(text, display, p.limits)
        problems = Problems(display, list(found), p.limits)
        if root is None or any(f.severity == "error" for f in found):
            p.found.extend(problems.found)
            return None
        return root, problems

    def _report(self, problems: list[Problem]) -> None:
        for problem in problems:
            where = problem.where
            if len(where) >= 2 and where[0] == "journey" and where[1] in self.journey_readers:
                reader = self.journey_readers[where[1]]
                reader.problems.add_problem(reader.locate(where[2:]), problem)
                if reader.problems is not self.problems:
                    self.problems.found.append(reader.problems.found.pop())
            else:
                node = None
                for n in range(len(where), 0, -1):
                    node = self.where.get(where[:n])
                    if node is not None:
                        break
                self.problems.add_problem(node, problem)


def atlas_to_doc(atlas: Atlas, *, inline_journeys: bool = True) -> dict[str, Any]:
    doc: dict[str, Any] = {"parcours": 1, "workspace": atlas.name}
    if atlas.id != slugify(atlas.name, fallback="workspace"):
        doc["id"] = atlas.id
    if atlas.lang:
        doc["lang"] = atlas.lang
    if atlas.currency:
        doc["currency"] = atlas.currency
    if atlas.description:
        doc["description"] = atlas.description
    if atlas.personas:
        doc["personas"] = [persona_to_doc(p) for p in atlas.personas]
    doc.update(library_doc(atlas.library))
    if inline_journeys and atlas.journeys:
        doc["journeys"] = [
            journey_to_doc(j, top_level=False, workspace=atlas.library) for j in atlas.journeys
        ]
    return doc


def jailed(
    folder: Path,
    relative: Path,
    node: Node | None,
    problems: Problems,
    what: str,
    shown: str | None = None,
) -> Path | None:
    """``folder / relative`` when it stays inside ``folder`` once symlinks are resolved.

    Absolute names, ``..`` and symbolic links that lead out of the folder are refused with
    a problem at ``node`` (a workspace never reads a file outside its folder).
    """
    name = shown if shown is not None else relative.as_posix()
    if relative.is_absolute() or "\\" in name or any(part == ".." for part in relative.parts):
        problems.add(
            node,
            f"{what} {quote(name)} leaves the workspace folder; name a file inside it "
            "(no absolute path, no '..')",
        )
        return None
    root = folder.resolve()
    try:
        target = (folder / relative).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        problems.add(node, f"{what} {quote(name)} is a symbolic link that loops; replace it")
        return None
    if not target.is_relative_to(root):
        problems.add(
            node,
            f"{what} {quote(name)} is a symbolic link that leads out of the workspace folder; "
            "copy the file into the folder instead",
        )
        return None
    return target
