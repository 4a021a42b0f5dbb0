"""The legend under the map: what faces, colours and markers mean.

Sections flow left to right and wrap to the map's width; only the sections the map uses
are shown (no pain-point swatches on a map without a pain-point lane).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parcours.render import fonts
from parcours.render.geometry import Legend, LegendItem, Rect, TextLine
from parcours.render.labels import label
from parcours.render.measured import MEASURED_COLOR
from parcours.render.theme import Theme

SYMBOL = 16.0
ROW = 24.0


def build_legend(
    th: Theme,
    lang: str,
    x: float,
    y: float,
    w: float,
    *,
    kinds: set[str],
    moments: bool,
    paths: Sequence[Any],
    linear: bool,
    loops: bool,
    ends: bool,
    measured: str | None = None,
    observed: Sequence[tuple[str, str, str, dict[str, Any]]] = (),
) -> Legend:
    """The legend at (``x``, ``y``), at most ``w`` wide; ``measured`` is the entry of the
    measured emotion curve, ``observed`` the entries of the observed figures."""
    sections: list[tuple[str, list[tuple[str, str, str, dict[str, Any]]]]] = []
    # (heading, [(kind, label, colour, extra)])
    if "emotions" in kinds:
        sections.append(
            (
                label("legend.emotions", lang),
                [
                    ("face", label(f"emotion.{s}", lang), th.emotion_color(s), {"score": s})
                    for s in (2, 1, 0, -1, -2)
                ]
                + (
                    [("line", measured, MEASURED_COLOR, {"dashed": True})]
                    if measured is not None
                    else []
                ),
            )
        )
    if "pain_points" in kinds:
        icons = {"irritant": "warning", "blocker": "bolt", "rupture": "break"}
        sections.append(
            (
                label("legend.pain", lang),
                [
                    (
                        "badge",
                        label(f"severity.{s}", lang),
                        th.severity_colors[s],
                        {"icon": icons[s]},
                    )
                    for s in ("irritant", "blocker", "rupture")
                ],
            )
        )
    if "opportunities" in kinds:
        sections.append(
            (
                label("legend.priority", lang),
                [
                    ("swatch", label(f"priority.{p}", lang), th.priority_colors[p], {})
                    for p in ("critical", "high", "medium", "low")
                ],
            )
        )
    if "kpis" in kinds:
        sections.append(
            (
                label("legend.kpi", lang),
                [
                    ("badge", label("kpi.good", lang), th.good, {"icon": "check"}),
                    ("badge", label("kpi.bad", lang), th.bad, {"icon": "cross"}),
                ],
            )
        )
    flow: list[tuple[str, str, str, dict[str, Any]]] = []
    if moments:
        flow.append(("badge", label("moment_of_truth", lang), th.moment_of_truth, {"icon": "star"}))
    if not linear:
        flow.append(("marker", label("entry", lang), th.entry_color, {"icon": "entry"}))
        if ends:
            flow.append(("marker", label("end", lang), th.end_color, {"icon": "end"}))
        if loops:
            flow.append(("line", label("loop", lang), th.loop_color, {"icon": "loop"}))
    if flow:
        sections.append((label("legend.flow", lang), flow))
    if observed:
        sections.append((label("legend.observed", lang), list(observed)))
    if paths:
        sections.append(
            (label("legend.paths", lang), [("line", p.name, p.color, {}) for p in paths])
        )
    items: list[LegendItem] = []
    headings: list[TextLine] = []
    cx, cy = x, y + 4
    size = th.small_size + 0.5
    for heading, entries in sections:
        widths = [
            SYMBOL + 6 + fonts.text_width(fonts.fit(text, 220, size), size) + 16
            for _, text, _, _ in entries
        ]
        head_w = fonts.text_width(heading, size, 700) + 12
        total = head_w + sum(widths) + 24
        if cx > x and cx + total > x + w:
            cx = x
            cy += ROW + 6
        head = fonts.fit(heading, w, size, 700)
        headings.append(
            TextLine(
                head,
                round(cx, 2),
                round(cy + ROW / 2 + size * 0.36, 2),
                size,
                round(fonts.text_width(head, size, 700), 2),
                700,
                th.ink,
            )
        )
        cx += min(head_w, w)
        for (kind, text, color, extra), item_w in zip(entries, widths, strict=True):
            if cx > x and cx + item_w > x + w:
                cx = x
                cy += ROW + 6
            fitted = fonts.fit(text, 220, size)
            symbol = Rect(round(cx, 2), round(cy + (ROW - SYMBOL) / 2, 2), SYMBOL, SYMBOL)
            line = TextLine(
                fitted,
                round(cx + SYMBOL + 6, 2),
                round(cy + ROW / 2 + size * 0.36, 2),
                size,
                round(fonts.text_width(fitted, size), 2),
                400,
                th.muted,
            )
            items.append(
                LegendItem(
                    kind,
                    symbol,
                    line,
                    color,
                    extra.get("score"),
                    dashed=extra.get("dashed", False),
                    icon=extra.get("icon"),
                )
            )
            cx += item_w
        cx += 24
    bottom = cy + ROW + 4
    return Legend(Rect(x, y, w, round(bottom - y, 2)), None, tuple(items), tuple(headings))
