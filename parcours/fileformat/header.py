"""The top of every document: its format version, its keys, and the library entries
(channels, touchpoints, KPIs) a journey or a workspace declares."""

from __future__ import annotations

from typing import Any

from parcours.fileformat import fields as F
from parcours.fileformat.source import Node, Problems, suggest
from parcours.limits import quote
from parcours.model.base import slugify
from parcours.model.library import Channel, ChannelKind, KpiDefinition, Touchpoint

FORMAT_VERSION = 1
CHANNEL_SPEC = {"id": F.TEXT, "name": F.TEXT, "kind": F.choice(ChannelKind), "icon": F.TEXT}
TOUCHPOINT_SPEC = {"id": F.TEXT, "name": F.TEXT, "channel": F.TEXT, "description": F.TEXT,
                   "owner": F.TEXT}  # fmt: skip
KPI_SPEC = {"id": F.TEXT, "name": F.TEXT, "unit": F.TEXT, "higher_is_better": F.BOOL,
            "description": F.TEXT, "target": F.NUMBER}  # fmt: skip


def check_version(node: Node, problems: Problems) -> None:
    if node.is_null:
        return
    value = node.value() if node.is_scalar else None
    if value == FORMAT_VERSION:
        return
    if isinstance(value, int) and value > FORMAT_VERSION:
        problems.add(node, f"this file is in format version {value}, newer than this parcours "
                           f"reads ({FORMAT_VERSION}); upgrade parcours")  # fmt: skip
    else:
        problems.add(
            node, f"unknown format version {node.kind()}; write 'parcours: {FORMAT_VERSION}'"
        )


def top_keys(
    root: Node, problems: Problems, allowed: tuple[str, ...], what: str
) -> dict[str, tuple[Node, Node]]:
    """The keys of a document's top mapping; unknown ones and a bad version are reported."""
    keys = {key: (key_node, value) for key, key_node, value in root.pairs()}
    for key, (key_node, _) in keys.items():
        if key not in allowed:
            problems.add(
                key_node,
                f"unknown key {quote(key)} in {what}; expected one of: "
                f"{', '.join(allowed)}{suggest(key, allowed)}",
            )
    if "parcours" in keys:
        check_version(keys["parcours"][1], problems)
    return keys


def document_keys(
    root: Node, problems: Problems, allowed: tuple[str, ...], kind: str, name: str
) -> dict[str, tuple[Node, Node]] | None:
    """The top keys of a ``kind`` document (``journey: <title>``, ``workspace: <name>``),
    or None when it is not a mapping at all (and that is reported)."""
    if not root.is_map:
        problems.add(
            root,
            f"a {kind} should be a mapping starting with '{kind}: <{name}>', not {root.kind()}",
        )
        return None
    return top_keys(root, problems, allowed, f"the {kind}")


def read_library_entries(
    node: Node, problems: Problems, kind: str
) -> tuple[list[Any], dict[str, Node]]:
    """``channels:``, ``touchpoints:`` or ``kpis:``: names alone or mappings."""
    model: Any
    model, spec = {
        "channels": (Channel, CHANNEL_SPEC),
        "touchpoints": (Touchpoint, TOUCHPOINT_SPEC),
        "kpis": (KpiDefinition, KPI_SPEC),
    }[kind]
    entries: list[Any] = []
    where: dict[str, Node] = {}
    if node.is_null:
        return entries, where
    if not node.is_seq:
        problems.add(node, f"'{kind}' should be a list, not {node.kind()}")
        return entries, where
    singular = {"channels": "channel", "touchpoints": "touchpoint", "kpis": "KPI"}[kind]
    for item in node.items():
        if item.is_scalar:
            name = item.text()
            values: dict[str, Any] = {"id": slugify(name), "name": name}
            nodes: dict[str, Node] = {}
        else:
            values, nodes = F.read_mapping(
                item, problems, spec, f"a {singular}", required=("name",)
            )
            if "name" in values and "id" not in values:
                values["id"] = slugify(values["name"])
        entry = F.build(
            model, values, nodes, item, problems, f"{singular} '{values.get('name', '?')}'"
        )
        if entry is not None:
            entries.append(entry)
            where[entry.id] = item
    return entries, where
