"""Cutting a map's SVG into page parts without drawing what is off the part."""

from __future__ import annotations

import re
from typing import Any

from parcours.render import fonts

_TRANSFORM = re.compile(r"\s*(translate|scale)\(\s*([-0-9.e]+)(?:[\s,]+([-0-9.e]+))?\s*\)")
Box = tuple[float, float, float, float]


def inherited(node: Any, name: str, default: str) -> str:
    while node is not None:
        value = node.get(name)
        if value is not None:
            return str(value)
        node = node.getparent()
    return default


def simple_transform(transform: str | None) -> tuple[float, float, float] | None:
    """``translate(a b) scale(s)`` as (dx, dy, s); None when the transform is anything else."""
    dx, dy, scale = 0.0, 0.0, 1.0
    rest = transform or ""
    ops = []
    while rest.strip():
        match = _TRANSFORM.match(rest)
        if not match:
            return None
        ops.append(match)
        rest = rest[match.end() :]
    for match in reversed(ops):
        a = float(match[2])
        b = float(match[3]) if match[3] is not None else None
        if match[1] == "translate":
            dx, dy = dx + a, dy + (b or 0.0)
        else:
            if b is not None and b != a:
                return None
            dx, dy, scale = dx * a, dy * a, scale * a
    return dx, dy, scale


_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_ARGS = {"M": 2, "L": 2, "T": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "A": 7, "Z": 0}


def path_box(d: str) -> Box | None:
    """A box around a path (control points included, so never too small), or None."""
    tokens = _PATH_TOKEN.findall(d)
    xs: list[float] = []
    ys: list[float] = []
    x = y = start_x = start_y = 0.0
    command = ""
    i = 0
    try:
        while i < len(tokens):
            if tokens[i].isalpha():
                command = tokens[i]
                i += 1
                if command in "Zz":
                    x, y = start_x, start_y
                    continue
            upper = command.upper()
            if upper not in _PATH_ARGS or upper == "Z":
                return None
            n = _PATH_ARGS[upper]
            args = [float(t) for t in tokens[i : i + n]]
            if len(args) < n:
                return None
            i += n
            rel = command.islower()
            if upper == "H":
                x = x + args[0] if rel else args[0]
            elif upper == "V":
                y = y + args[0] if rel else args[0]
            elif upper == "A":
                rx, ry = abs(args[0]), abs(args[1])
                nx, ny = (x + args[5], y + args[6]) if rel else (args[5], args[6])
                xs.extend((x - rx, x + rx, nx - rx, nx + rx))
                ys.extend((y - ry, y + ry, ny - ry, ny + ry))
                x, y = nx, ny
            else:
                for k in range(0, n, 2):
                    px, py = (x + args[k], y + args[k + 1]) if rel else (args[k], args[k + 1])
                    xs.append(px)
                    ys.append(py)
                x, y = xs[-1], ys[-1]
                if upper == "M":
                    start_x, start_y = x, y
                    command = "l" if rel else "L"  # more pairs after M are lines
            xs.append(x)
            ys.append(y)
    except ValueError:
        return None
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _leaf_box(node: Any, tag: str) -> Box | None:
    def num(name: str) -> float:
        return float(node.get(name, "0"))

    try:
        if tag in ("rect", "image", "use", "foreignObject"):
            if node.get("width") is None or node.get("height") is None:
                return None
            return num("x"), num("y"), num("x") + num("width"), num("y") + num("height")
        if tag == "circle":
            r = num("r")
            return num("cx") - r, num("cy") - r, num("cx") + r, num("cy") + r
        if tag == "ellipse":
            rx, ry = num("rx"), num("ry")
            return num("cx") - rx, num("cy") - ry, num("cx") + rx, num("cy") + ry
        if tag == "line":
            x1, y1, x2, y2 = num("x1"), num("y1"), num("x2"), num("y2")
            return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
        if tag == "path":
            return path_box(node.get("d", ""))
        if tag in ("polyline", "polygon"):
            values = [
                float(v) for v in re.findall(r"[-+]?[0-9.]+(?:e[-+]?\d+)?", node.get("points", ""))
            ]
            if len(values) < 2:
                return None
            return min(values[0::2]), min(values[1::2]), max(values[0::2]), max(values[1::2])
        if tag == "text":
            size = float(inherited(node, "font-size", "16").removesuffix("px"))
            x, y = num("x"), num("y")
            if any(child.get("x") is not None or child.get("dx") is not None for child in node):
                return x - 100 * size, y - 2 * size, x + 100 * size, y + size
            # measured with the shipped font, a fifth wider for the fonts of emoji
            w = fonts.text_width("".join(node.itertext()), size, 700) * 1.2 + size
            anchor = inherited(node, "text-anchor", "start")
            left = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
            return left, y - 2 * size, left + w, y + size
    except ValueError:
        return None
    return None


_DROP = {"title", "desc", "metadata"}
_KEEP = {
    "defs",
    "style",
    "clipPath",
    "mask",
    "linearGradient",
    "radialGradient",
    "pattern",
    "marker",
    "symbol",
    "filter",
}


class Cropper:
    """One map SVG cut into many regions: parsed once, each shape's box measured once.

    :meth:`crop` takes out what lies wholly outside a region, writes the rest, and puts
    back what it took out, so the next region starts from the whole picture again.
    """

    def __init__(self, svg: str) -> None:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        self._root = etree.fromstring(svg.encode("utf-8"), parser)
        self._boxes: dict[Any, Box | None] = {}  # holding the nodes keeps their proxies
        for node in list(self._root.iter(*(f"{{*}}{tag}" for tag in _DROP))):
            if node.getparent() is not None:
                node.getparent().remove(node)

    def _box(self, child: Any, tag: str, dx: float, dy: float, scale: float) -> Box | None:
        if child not in self._boxes:
            box = _leaf_box(child, tag)
            self._boxes[child] = (
                None
                if box is None
                else (box[0] * scale + dx, box[1] * scale + dy, box[2] * scale + dx,
                      box[3] * scale + dy)
            )  # fmt: skip
        return self._boxes[child]

    def crop(self, region: Box, margin: float = 24.0) -> str:
        """The SVG without the shapes that lie wholly outside ``region`` (root coordinates).

        Only drops what it can place for sure; the picture of the region is unchanged.
        """
        from lxml import etree

        rx0, ry0 = region[0] - margin, region[1] - margin
        rx1, ry1 = region[2] + margin, region[3] + margin
        taken: list[tuple[Any, int, Any]] = []

        def take(node: Any, child: Any) -> None:
            taken.append((node, node.index(child), child))
            node.remove(child)

        def prune(node: Any, dx: float, dy: float, scale: float) -> None:
            for child in list(node):
                if not isinstance(child.tag, str):
                    continue
                tag = etree.QName(child).localname
                if tag in _KEEP or tag == "svg":
                    continue
                own = simple_transform(child.get("transform"))
                if own is None:
                    continue
                cdx, cdy, cs = own
                ndx, ndy, ns = dx + cdx * scale, dy + cdy * scale, scale * cs
                if tag in ("g", "a"):
                    prune(child, ndx, ndy, ns)
                    if len(child) == 0:
                        take(node, child)
                    continue
                box = self._box(child, tag, ndx, ndy, ns)
                if box is not None and (
                    box[2] < rx0 or box[0] > rx1 or box[3] < ry0 or box[1] > ry1
                ):
                    take(node, child)

        prune(self._root, 0.0, 0.0, 1.0)
        out = etree.tostring(self._root, encoding="unicode")
        for node, index, child in reversed(taken):
            node.insert(index, child)
        return out


def crop_svg(svg: str, region: Box, margin: float = 24.0) -> str:
    """The SVG without the shapes that lie wholly outside ``region`` (see :class:`Cropper`)."""
    return Cropper(svg).crop(region, margin)
