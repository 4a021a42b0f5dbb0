"""The look of a map: colours, fonts and sizes, as one frozen dataclass.

Every painter (SVG, PNG, PDF, PowerPoint, Excel) reads the same :class:`Theme`, so a map
looks the same in every format. ``Theme()`` is the default; :func:`get_theme` gives a
named one (``default``, ``print``, ``contrast``) or reads overrides from a YAML/JSON file::

    theme = dataclasses.replace(Theme(), column_width=240)

Colours are ``#rrggbb`` strings. Sizes are px at 96 dpi (1 px = 0.75 pt).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

THEME_NAMES = ("default", "print", "contrast")


def _d(**values: str) -> dict[str, str]:
    return dict(values)


@dataclass(frozen=True)
class Theme:
    """Colours, fonts and sizes of the rendered map (px at 96 dpi)."""

    name: str = "default"
    # -- fonts ---------------------------------------------------------------------------
    font_family: str = "Noto Sans"
    emoji_font_family: str = "Noto Color Emoji"
    # -- general colours -----------------------------------------------------------------
    background: str = "#ffffff"
    ink: str = "#1e293b"  # main text
    muted: str = "#64748b"  # secondary text
    faint: str = "#94a3b8"
    grid: str = "#e2e8f0"  # lane separators, column guides
    header_fill: str = "#f8fafc"
    lane_title_fill: str = "#f1f5f9"
    lane_fill_alt: str = "#fbfcfe"  # every other lane band
    # -- stages, paths -------------------------------------------------------------------
    stage_colors: tuple[str, ...] = (
        "#2563eb",
        "#7c3aed",
        "#c026d3",
        "#db2777",
        "#ea580c",
        "#ca8a04",
        "#16a34a",
        "#0d9488",
        "#0891b2",
        "#4f46e5",
    )
    path_colors: tuple[str, ...] = (
        "#0f766e",
        "#b45309",
        "#7c3aed",
        "#be123c",
        "#1d4ed8",
        "#4d7c0f",
    )
    trunk_color: str = "#334155"
    # -- cards by lane kind (fill, border) -----------------------------------------------
    card_fills: Mapping[str, str] = field(
        default_factory=lambda: _d(
            actions="#eff6ff",
            thoughts="#f5f3ff",
            backstage="#f1f5f9",
            notes="#fefce8",
            pain_points="#fef2f2",
            opportunities="#f0fdf4",
            kpis="#ffffff",
            metrics="#ecfeff",
            images="#f8fafc",
            touchpoints="#ffffff",
        )
    )
    card_strokes: Mapping[str, str] = field(
        default_factory=lambda: _d(
            actions="#bfdbfe",
            thoughts="#ddd6fe",
            backstage="#cbd5e1",
            notes="#fde68a",
            pain_points="#fecaca",
            opportunities="#bbf7d0",
            kpis="#cbd5e1",
            metrics="#a5f3fc",
            images="#cbd5e1",
            touchpoints="#cbd5e1",
        )
    )
    lane_accents: Mapping[str, str] = field(
        default_factory=lambda: _d(
            touchpoints="#0891b2",
            actions="#2563eb",
            thoughts="#7c3aed",
            emotions="#eab308",
            pain_points="#dc2626",
            opportunities="#16a34a",
            kpis="#0f172a",
            backstage="#475569",
            notes="#ca8a04",
            metrics="#0e7490",
            images="#64748b",
        )
    )
    # -- meanings ------------------------------------------------------------------------
    severity_colors: Mapping[str, str] = field(
        default_factory=lambda: _d(irritant="#f59e0b", blocker="#ea580c", rupture="#dc2626")
    )
    priority_colors: Mapping[str, str] = field(
        default_factory=lambda: _d(
            low="#94a3b8", medium="#3b82f6", high="#f97316", critical="#dc2626"
        )
    )
    status_colors: Mapping[str, str] = field(
        default_factory=lambda: _d(
            idea="#94a3b8",
            planned="#3b82f6",
            in_progress="#f59e0b",
            done="#16a34a",
            dropped="#64748b",
        )
    )
    emotion_colors: tuple[str, ...] = ("#dc2626", "#f97316", "#eab308", "#84cc16", "#16a34a")
    """Face colours for scores −2, −1, 0, +1, +2."""
    good: str = "#15803d"
    bad: str = "#dc2626"
    no_target: str = "#475569"
    moment_of_truth: str = "#f59e0b"
    moment_of_truth_fill: str = "#fffbeb"
    entry_color: str = "#16a34a"
    end_color: str = "#dc2626"
    loop_color: str = "#9333ea"
    # -- sizes (px) ----------------------------------------------------------------------
    margin: float = 32.0
    font_size: float = 13.0  # card text
    small_size: float = 11.0  # secondary text: owners, evidence, targets
    title_size: float = 30.0
    subtitle_size: float = 15.0
    stage_size: float = 15.0
    step_size: float = 13.5
    lane_title_size: float = 13.5
    line_height: float = 1.32  # × font size
    column_width: float = 200.0
    column_gap: float = 16.0
    flow_column_gap: float = 40.0  # between columns of branched maps: room for connectors
    lane_title_width: float = 172.0
    stage_height: float = 40.0
    lane_padding: float = 10.0
    lane_min_height: float = 56.0
    lane_gap: float = 0.0
    card_padding: float = 8.0
    card_gap: float = 6.0
    card_radius: float = 6.0
    max_card_lines: int = 9  # beyond: cut with "…", the full text is in the tooltip
    emotion_lane_height: float = 196.0
    face_radius: float = 14.0
    chip_height: float = 26.0
    icon_size: float = 16.0
    flow_track_gap: float = 22.0
    connector_corridor: float = 18.0

    # -- helpers -------------------------------------------------------------------------
    def stage_color(self, index: int) -> str:
        return self.stage_colors[index % len(self.stage_colors)]

    def path_color(self, index: int) -> str:
        return self.path_colors[index % len(self.path_colors)]

    def emotion_color(self, score: int) -> str:
        return self.emotion_colors[max(-2, min(2, score)) + 2]

    def card_fill(self, kind: str) -> str:
        return self.card_fills.get(kind, "#ffffff")

    def card_stroke(self, kind: str) -> str:
        return self.card_strokes.get(kind, self.grid)

    def lane_accent(self, kind: str) -> str:
        return self.lane_accents.get(kind, self.muted)

    @property
    def line(self) -> float:
        """Height of one line of card text."""
        return round(self.font_size * self.line_height, 2)

    @property
    def small_line(self) -> float:
        return round(self.small_size * self.line_height, 2)


def tint(color: str, amount: float) -> str:
    """``color`` mixed with white: ``amount`` 0 is white, 1 is the colour itself."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * amount) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def shade(color: str, amount: float) -> str:
    """``color`` mixed with black: ``amount`` 0 is the colour, 1 is black."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c * (1 - amount)) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


BUILTIN_THEMES: dict[str, dict[str, Any]] = {
    "default": {},
    "print": {
        "name": "print",
        "header_fill": "#ffffff",
        "lane_title_fill": "#f8fafc",
        "lane_fill_alt": "#ffffff",
        "stage_colors": ("#334155", "#475569"),
    },
    "contrast": {
        "name": "contrast",
        "ink": "#000000",
        "muted": "#1f2937",
        "faint": "#374151",
        "grid": "#9ca3af",
        "font_size": 14.0,
        "small_size": 12.0,
    },
}


def get_theme(name_or_path: str | Path | None = None) -> Theme:
    """A named theme (``default``, ``print``, ``contrast``) or one read from a file.

    A theme file is YAML or JSON: ``{base: print, column_width: 240, good: "#0a0"}``; every
    value is checked (:mod:`parcours.render.theme_file`), every problem located.
    """
    from parcours.errors import InvalidArgument
    from parcours.render.theme_file import load_theme_file

    if name_or_path is None:
        return Theme()
    if str(name_or_path) in BUILTIN_THEMES:
        return Theme(**BUILTIN_THEMES[str(name_or_path)])
    path = Path(name_or_path)
    if not os.path.lexists(path):  # a FIFO or a device is refused by the reader, by name
        from parcours.limits import quote

        raise InvalidArgument(
            f"unknown theme {quote(name_or_path, 300)}; expected one of: {', '.join(THEME_NAMES)}, "
            "or the path of a YAML or JSON theme file"
        )
    builtin = {name: get_theme(name) for name in BUILTIN_THEMES}
    theme: Theme = load_theme_file(path, builtin, get_theme)
    return theme


def theme_from_dict(data: Mapping[str, Any], where: str = "theme") -> Theme:
    """A theme from overrides; ``base`` names the theme they start from (checked values)."""
    from parcours.render.theme_file import check_overrides

    data = dict(data)
    base = get_theme(str(data.pop("base", "default")))
    return dataclasses.replace(base, **check_overrides(data, base, where))
