"""Where the links of the step band run: where each link leaves and enters its steps,
entry ports spread along a step's side, corridors above and below the tracks for links
that other steps block, and the clean-up of their points (used by :mod:`parcours.render.flow`).
"""

from __future__ import annotations

from parcours.model.journey import Edge
from parcours.render.geometry import Column, StepNode


def link_ends(
    edges: list[Edge], nodes: dict[str, StepNode], spans_all: set[str], tracks: bool
) -> dict[int, tuple[float, float]]:
    """Where each link leaves its source and, before ports are spread, enters its target."""
    out: dict[int, tuple[float, float]] = {}
    for e in edges:
        s, t = nodes[e.source], nodes[e.target]
        port = next((p for p in s.ports if p.target == e.target), None)
        t_is_span = tracks and e.target in spans_all
        s_is_span = tracks and e.source in spans_all
        if port is not None:
            y1 = port.y
        elif s_is_span and not t_is_span:
            y1 = t.anchor_y
        else:
            y1 = s.anchor_y
        y2 = t.anchor_y
        if t_is_span:
            y2 = min(max(y1, t.rect.y + 14), t.rect.bottom - 10)
        out[id(e)] = (y1, y2)
    return out


ENTRY_GAP = 8.0  # px between two links entering the same step


def entry_ports(
    edges: list[Edge],
    nodes: dict[str, StepNode],
    col_of: dict[str, Column],
    ends: dict[int, tuple[float, float]],
    gap: float,
) -> tuple[dict[int, float], dict[int, float]]:
    """Give every forward link into a step its own entry port and its own descent track.

    Ports are spread along the target's left side, ordered by the height the link leaves
    its source (barycentric order: the higher source enters higher), at least
    ``ENTRY_GAP`` apart. The link entering lowest turns down furthest from the target, so
    the last vertical stretches nest instead of crossing or running on top of each other.
    """
    by_target: dict[str, list[Edge]] = {}
    for e in edges:
        if e.kind != "loop":
            by_target.setdefault(e.target, []).append(e)
    entry: dict[int, float] = {}
    descent: dict[int, float] = {}
    for target, inc in by_target.items():
        if len(inc) < 2:
            continue
        t = nodes[target]
        inc.sort(key=lambda e: (ends[id(e)][0], -col_of[e.source].index))
        ys = [ends[id(e)][1] for e in inc]
        for i in range(1, len(ys)):
            ys[i] = max(ys[i], ys[i - 1] + ENTRY_GAP)
        lo, hi = t.rect.y + 10, t.rect.bottom - 6
        if ys[-1] > hi:
            shift = ys[-1] - hi
            ys = [y - shift for y in ys]
        if ys[0] < lo:
            ys = [min(lo + i * ENTRY_GAP, hi) for i in range(len(ys))]
        # only links from a column further back may turn down in the gap before the target
        far = [e for e in inc if col_of[target].index - col_of[e.source].index > 1]
        step = min(6.0, gap / (len(far) + 2))
        for e, y in zip(inc, ys, strict=True):
            entry[id(e)] = round(y, 2)
        for i, e in enumerate(far):
            descent[id(e)] = -i * step
    return entry, descent


def blocked(
    nodes: dict[str, StepNode], col_of: dict[str, Column], a: int, b: int, y: float, target: str
) -> bool:
    """True when a node in a column strictly between ``a`` and ``b`` covers height ``y``."""
    for sid, node in nodes.items():
        index = col_of[sid].index
        if a < index < b and node.rect.y - 4 <= y <= node.rect.bottom + 4:
            return True
    return False


def corridor(corridors: list[list[tuple[float, float]]], x1: float, x2: float) -> int:
    """The first corridor whose segments do not overlap ``[x1, x2]``; a new one if none."""
    lo, hi = min(x1, x2) - 6, max(x1, x2) + 6
    for i, used in enumerate(corridors):
        if all(hi < a or lo > b for a, b in used):
            used.append((lo, hi))
            return i
    corridors.append([(lo, hi)])
    return len(corridors) - 1


def simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points of a link without repeats."""
    out: list[tuple[float, float]] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 0.01 and abs(out[-1][1] - p[1]) < 0.01:
            continue
        out.append(p)
    return out
