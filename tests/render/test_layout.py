"""Layout invariants: measured text fits its box, boxes sit in their lanes and columns,
curves stay in their lane, branched maps draw every edge, loop, label and entry."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours import files
from parcours.errors import InvalidArgument
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.render import Layout, Theme, fonts, get_theme, labels, layout
from parcours.render.geometry import Rect, TextBlock, TextLine
from parcours.render.theme import theme_from_dict

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
TEMPLATES = sorted((Path(files.__file__).parent / "templates").glob("*.yaml"))
TOL = 0.05


def load(name: str) -> Journey:
    journey = files.load(GOLDEN / name)
    assert isinstance(journey, Journey)
    return journey


def template_maps() -> list[tuple[str, Journey, Atlas | None]]:
    out = []
    for path in TEMPLATES:
        loaded = files.load(path)
        if isinstance(loaded, Atlas):
            out += [(f"{path.stem}:{j.id}", j, loaded) for j in loaded.journeys]
        else:
            out.append((path.stem, loaded, None))
    return out


def generated(steps: int, lanes: int = 10, *, branched: bool = False) -> Journey:
    """A map of ``steps`` steps and up to ``lanes`` lanes, with long and short texts."""
    kinds = [
        "touchpoints",
        "actions",
        "thoughts",
        "emotions",
        "pain_points",
        "opportunities",
        "kpis",
        "backstage",
        "notes",
        "metrics",
    ][:lanes]
    stages = []
    per_stage = 6
    for s in range(0, steps, per_stage):
        stage_steps = []
        for i in range(s, min(s + per_stage, steps)):
            step: dict[str, object] = {
                "id": f"s{i}",
                "name": f"Étape {i} : le client fait quelque chose d'important",
                "touchpoints": ["web"] if i % 2 else ["phone", "web"],
                "moment_of_truth": i % 7 == 3,
            }
            cells = {
                "actions": [f"Action {i} " + "très longue " * (i % 9), "Deuxième action"],
                "thoughts": [f"« Pourquoi {i} ? » 🤔"],
                "emotion": (i % 5) - 2,
                "pain_points": [
                    {
                        "text": f"Irritant {i} " + "mot " * (i % 30),
                        "severity": ["irritant", "blocker", "rupture"][i % 3],
                    }
                ],
                "opportunities": [
                    {
                        "text": f"Améliorer {i}",
                        "owner": "Équipe produit",
                        "priority": ["low", "medium", "high", "critical"][i % 4],
                    }
                ],
                "kpis": [{"kpi": "conv", "target": 50, "measured": 30 + i % 40}],
                "backstage": ["Système central"],
                "notes": ["x" * (i * 7 % 120 + 1)],
                "metrics": [{"name": "Volume", "value": 1000 + i, "unit": "clients"}],
            }
            for kind, value in cells.items():
                key = "emotion" if kind == "emotion" else kind
                lane_kind = "emotions" if kind == "emotion" else kind
                if lane_kind in kinds:
                    step[key] = value
            if branched and i % 6 == 2 and i + 3 < steps:
                step["next"] = [
                    {"to": f"s{i + 1}", "label": "Continue", "share": 0.7},
                    {"to": f"s{i + 3}", "label": "Saute deux étapes", "share": 0.2},
                    {"to": f"s{max(i - 2, 0)}", "label": "Revient", "share": 0.1},
                ]
            stage_steps.append({step.pop("name"): step})
        stages.append({f"Phase {s // per_stage + 1}": stage_steps})
    doc = {
        "parcours": 1,
        "journey": f"Carte générée de {steps} étapes",
        "id": "generated",
        "lang": "fr",
        "lanes": kinds,
        "channels": [
            {"id": "w", "name": "Site web", "kind": "digital"},
            {"id": "p", "name": "Téléphone", "kind": "human"},
        ],
        "touchpoints": [
            {"id": "web", "name": "Site", "channel": "w"},
            {"id": "phone", "name": "Centre d'appels", "channel": "p"},
        ],
        "kpis": [{"id": "conv", "name": "Conversion", "unit": "%"}],
        "stages": stages,
    }
    journey = files.loads(json.dumps(doc, ensure_ascii=False), "generated.json")
    assert isinstance(journey, Journey)
    return journey


# ------------------------------------------------------------------------ invariants
def lines_of(block: TextBlock | None) -> tuple[TextLine, ...]:
    return block.lines if block is not None else ()


def assert_measured(line: TextLine) -> None:
    """The width a line claims is the width the font gives it."""
    assert line.width == pytest.approx(
        fonts.text_width(line.text, line.size, line.weight), abs=0.02
    )


def assert_inside(line: TextLine, box: Rect, what: str) -> None:
    assert_measured(line)
    assert line.left >= box.x - TOL, f"{what}: {line.text!r} starts left of its box"
    assert line.left + line.width <= box.right + TOL, f"{what}: {line.text!r} overflows its box"
    assert box.y - TOL <= line.y - line.size * 0.8, f"{what}: {line.text!r} above its box"
    assert line.y <= box.bottom + TOL, f"{what}: {line.text!r} below its box"


def check_invariants(lay: Layout) -> None:
    th = lay.theme
    # columns ordered left to right, not overlapping
    for a, b in zip(lay.columns, lay.columns[1:], strict=False):
        assert a.x + a.w < b.x, f"columns {a.step_id} and {b.step_id} overlap"
        assert a.index + 1 == b.index
    # lanes stacked, inside the grid
    for a, b in zip(lay.lanes, lay.lanes[1:], strict=False):
        assert a.rect.bottom <= b.rect.y + TOL
    for lane in lay.lanes:
        assert lay.grid.contains(lane.rect), lane.lane_id
        for line in lane.title.lines:
            assert_inside(line, lane.title_rect, f"title of lane {lane.lane_id}")
    # cards: inside their lane band and their column; every text line fits its card
    lanes = {lane.lane_id: lane for lane in lay.lanes}
    cols = {c.step_id: c for c in lay.columns}
    for card in lay.cards:
        lane, col = lanes[card.lane_id], cols[card.step_id]
        assert lane.rect.contains(card.rect), f"{card.id} leaves lane {card.lane_id}"
        assert col.x - TOL <= card.rect.x and card.rect.right <= col.x + col.w + TOL, card.id
        inner = Rect(card.rect.x + 2, card.rect.y, card.rect.w - 4, card.rect.h)
        for line in lines_of(card.text) + lines_of(card.meta):
            assert_inside(line, inner, card.id)
        if card.badge is not None:
            assert card.rect.contains(card.badge.rect), card.id
            assert_inside(card.badge.text, card.badge.rect, f"badge of {card.id}")
        if card.icon is not None:
            icon = Rect(card.icon.x, card.icon.y, card.icon.size, card.icon.size)
            assert card.rect.contains(icon), card.id
        if card.truncated:
            assert card.tooltip, card.id
    # step nodes: inside their column and the step band; titles, tags and ports fit
    for node in lay.flow.nodes:
        col = cols[node.step_id]
        assert lay.flow.rect.contains(node.rect), node.step_id
        assert col.x - TOL <= node.rect.x and node.rect.right <= col.x + col.w + TOL
        for line in node.title.lines:
            assert_inside(line, node.rect, f"step {node.step_id}")
        for tag in node.tags:
            assert node.rect.contains(tag.rect)
            assert_inside(tag.text, tag.rect, f"tag of {node.step_id}")
        for port in node.ports:
            for line in port.text.lines:
                assert_inside(line, node.rect, f"port of {node.step_id}")
    # stage bands over their columns, names fit
    for stage in lay.stages:
        assert stage.lines and stage.lines[0] == stage.name
        for line in stage.lines:
            assert_inside(line, stage.rect, f"stage {stage.stage_id}")
    # emotion curves and faces inside their lane, between +2 and −2
    for curve in lay.curves:
        lane = lanes[curve.lane_id]
        assert lane.rect.y < curve.top < curve.neutral_y < curve.bottom < lane.rect.bottom
        xs = [p.x for p in curve.points]
        assert xs == sorted(xs), curve.id
        for p in curve.points:
            assert curve.top - TOL <= p.y <= curve.bottom + TOL
            assert (
                lane.rect.y <= p.y - curve.face_radius
                and p.y + curve.face_radius <= lane.rect.bottom
            )
            expected = curve.neutral_y - p.score * (curve.neutral_y - curve.top) / 2
            assert p.y == pytest.approx(expected, abs=0.02)
            if p.label is not None:
                for line in p.label.lines:
                    assert_measured(line)
                    assert line.y <= lane.rect.bottom
                    col = cols[p.step_id]
                    assert (
                        col.x - TOL <= line.left and line.left + line.width <= col.x + col.w + TOL
                    )
    # header lines within the header, everything within the picture
    for line in lay.header.title.lines + lines_of(lay.header.subtitle):
        assert_inside(line, lay.header.rect, "header")
    for chip in lay.header.chips:
        assert_inside(chip.text, chip.rect, "chip")
        assert chip.rect.right <= lay.width - th.margin + TOL
    assert lay.grid.right <= lay.width + TOL and lay.grid.bottom <= lay.height + TOL
    if lay.legend is not None:
        assert lay.legend.rect.bottom <= lay.height
        for item in lay.legend.items:
            assert_measured(item.label)
            assert item.label.left + item.label.width <= lay.width


MAPS = ["linear.yaml", "branched.yaml"]


@pytest.mark.parametrize("name", MAPS)
def test_golden_maps_keep_every_invariant(name: str) -> None:
    check_invariants(layout(load(name)))


@pytest.mark.parametrize("case", template_maps(), ids=lambda c: c[0])
def test_every_template_keeps_every_invariant(case: tuple[str, Journey, Atlas | None]) -> None:
    _, journey, atlas = case
    lay = layout(
        journey,
        library=atlas.library if atlas else None,
        personas=atlas.personas if atlas else None,
    )
    check_invariants(lay)
    if not journey.is_linear():
        check_flow(journey, lay)


def test_generated_maps_keep_every_invariant() -> None:
    check_invariants(layout(generated(30, 10)))
    branched = generated(24, 6, branched=True)
    lay = layout(branched)
    check_invariants(lay)
    check_flow(branched, lay)


def test_layout_is_pure_numbers_and_deterministic() -> None:
    journey = load("branched.yaml")
    assert layout(journey) == layout(journey)
    lay = layout(journey)
    assert dataclasses.is_dataclass(lay)
    assert isinstance(lay.width, float) and isinstance(lay.columns[0].x, float)


# --------------------------------------------------------------------- branched maps
def check_flow(journey: Journey, lay: Layout) -> None:
    flow = lay.flow
    assert not flow.linear
    drawn = {(c.source, c.target, c.kind) for c in flow.connectors}
    for edge in journey.edges():
        assert (edge.source, edge.target, edge.kind) in drawn, f"edge {edge} not drawn"
    assert len(flow.connectors) == len(journey.edges())
    nodes = {n.step_id: n for n in flow.nodes}
    for c in flow.connectors:
        assert len(c.points) >= 2
        src, dst = nodes[c.source], nodes[c.target]
        assert c.points[0][0] == pytest.approx(src.rect.right)  # leaves its source…
        last = c.points[-1]
        if c.kind == "loop":  # …a loop comes back from below
            assert last[1] == pytest.approx(dst.rect.bottom)
            assert dst.rect.x <= last[0] <= dst.rect.right
            assert max(y for _, y in c.points) > max(n.rect.bottom for n in flow.nodes)
        else:  # …and arrives on the left edge of its target
            assert last[0] == pytest.approx(dst.rect.x)
            assert dst.rect.y <= last[1] <= dst.rect.bottom
        for x, y in c.points:
            assert (
                flow.rect.x <= x <= lay.width and flow.rect.y - TOL <= y <= flow.rect.bottom + TOL
            )
    # labels and shares are shown on the source's ports
    for edge in journey.edges():
        if edge.label is None and edge.share is None:
            continue
        port = next(p for p in nodes[edge.source].ports if p.target == edge.target)
        shown = " ".join(line.text for line in port.text.lines)
        if edge.label:
            assert edge.label.split()[0] in shown
        if edge.share is not None:
            assert labels.share(edge.share, lay.lang) in shown
    # entries and ends are marked
    entries = {m.step_id for m in flow.markers if m.kind == "entry"}
    assert entries == set(journey.entry_steps())
    ends = {m.step_id for m in flow.markers if m.kind == "end"}
    assert ends == {s.id for s in journey.steps() if s.end}
    for sid in entries:
        assert nodes[sid].entry and any(t.icon == "dot" for t in nodes[sid].tags)


def test_branched_map_structure() -> None:
    journey = load("branched.yaml")
    lay = layout(journey)
    check_flow(journey, lay)
    flow = lay.flow
    # one track per path, trunk steps span them all
    assert [t.path_id for t in flow.tracks] == ["web", "agence"]
    nodes = {n.step_id: n for n in flow.nodes}
    web, agence = flow.tracks
    assert web.rect.y <= nodes["simule"].rect.y and nodes["simule"].rect.bottom <= web.rect.bottom
    assert agence.rect.y <= nodes["rdv"].rect.y
    assert nodes["etude"].rect.y == web.rect.y and nodes["etude"].rect.bottom == agence.rect.bottom
    # the loop back from a refused document, with its label on the corridor
    loops = [c for c in flow.connectors if c.kind == "loop"]
    assert [(c.source, c.target) for c in loops] == [("refus", "depose")]
    assert loops[0].label_line is not None and "Renvoie" in loops[0].label_line.text
    assert "80" in loops[0].label_line.text
    # one emotion curve per path, following the path's own steps and the trunk
    curves = {c.path_id: [p.step_id for p in c.points] for c in lay.curves}
    assert curves["web"] == ["simule", "depose", "refus", "abandon", "etude", "signe"]
    assert curves["agence"] == ["rdv", "rencontre", "etude", "signe"]
    assert [p.path_id for p in lay.paths] == ["web", "agence"]


def test_linear_map_stays_a_simple_grid() -> None:
    lay = layout(load("linear.yaml"))
    assert lay.linear and lay.flow.linear
    assert lay.flow.connectors == () and lay.flow.markers == ()
    assert len(lay.flow.tracks) == 1
    assert len({n.rect.y for n in lay.flow.nodes}) == 1
    assert [c.path_id for c in lay.curves] == [None]


# ------------------------------------------------------------------------ text boxes
def test_long_text_grows_the_lane_and_is_cut_beyond_the_maximum() -> None:
    journey = load("linear.yaml")
    lay = layout(journey)
    pain = lay.cards_in("pain_points", "appelle-le-service-client")[0]
    short = lay.cards_in("pain_points", "cherche-comment-resilier")[0]
    assert pain.rect.h > short.rect.h
    assert lay.lane("pain_points").rect.bottom >= pain.rect.bottom
    tight = dataclasses.replace(Theme(), max_card_lines=3)
    cut = layout(journey, tight).cards_in("pain_points", "appelle-le-service-client")[0]
    assert cut.truncated and cut.text.truncated
    assert len(cut.text.lines) == 3 and cut.text.lines[-1].text.endswith("…")
    assert "musique d'attente en boucle" in cut.tooltip  # the full text is kept
    assert "texte coupé" in cut.tooltip  # and says it was cut
    assert any("appelle-le-service-client" in note for note in layout(journey, tight).notes)


def test_a_word_longer_than_the_column_is_broken_not_overflowing() -> None:
    lay = layout(load("linear.yaml"))
    note = lay.cards_in("notes")[0]
    assert note.text.lines[0].text.startswith("Anticonstitutionnellement")
    assert len(note.text.lines) >= 3
    check_invariants(lay)


@settings(max_examples=150, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            [*"abcdefghijklmnopqrstuvwxyzéèàçôÉ ’«»…-–Wm\u00a0中", "😤", "👩‍🎓", "🇫🇷", "\n"]
        ),
        max_size=300,
    ).map("".join),
    width=st.floats(min_value=8, max_value=400),
    size=st.sampled_from([9.0, 11.0, 13.0, 17.5]),
    weight=st.sampled_from([400, 600, 700]),
    max_lines=st.one_of(st.none(), st.integers(min_value=1, max_value=6)),
)
def test_wrap_never_overflows(
    text: str, width: float, size: float, weight: int, max_lines: int | None
) -> None:
    wrapped = fonts.wrap(text, width, size, weight, max_lines)
    for line, measured in zip(wrapped.lines, wrapped.widths, strict=True):
        assert measured == fonts.text_width(line, size, weight)
        assert measured <= max(width, 1.0) + 1e-9 or line == ""
    if max_lines is not None:
        assert len(wrapped.lines) <= max_lines
    if not wrapped.truncated:  # nothing lost but breakable spaces
        assert "".join(wrapped.lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_no_break_spaces_hold_together() -> None:
    text = "Taux d'abandon 38\u202f% « vraiment\u00a0? » 12\u00a0jours"
    for width in range(100, 260, 7):  # wide enough for the widest unbreakable group
        for line in fonts.wrap(text, width, 13).lines:
            assert not line.startswith(("%", "?", "jours")), (width, line)


def test_font_metrics_come_from_the_shipped_font() -> None:
    assert fonts.font_file().name == "NotoSans[wdth,wght].ttf"
    assert fonts.text_width("Vérification", 13, 700) > fonts.text_width("Vérification", 13, 400)
    assert fonts.text_width("iiii", 13) < fonts.text_width("WWWW", 13)
    assert fonts.segments("Hé 👩‍🎓 ok") == [("Hé ", False), ("👩\u200d🎓", True), (" ok", False)]
    assert fonts.emoji_clusters("👩‍🎓🇫🇷😤") == 3


# ------------------------------------------------------------------------ themes
def test_themes_by_name_and_file(tmp_path: Path) -> None:
    assert get_theme(None) == Theme()
    assert get_theme("print").name == "print"
    assert get_theme("contrast").font_size > Theme().font_size
    theme_file = tmp_path / "theme.yaml"
    theme_file.write_text("base: print\ncolumn_width: 240\ngood: '#00aa00'\n", encoding="utf-8")
    custom = get_theme(str(theme_file))
    assert custom.column_width == 240.0 and custom.good == "#00aa00" and custom.name == "print"
    assert layout(load("linear.yaml"), custom).columns[0].w == 240.0
    with pytest.raises(InvalidArgument, match="unknown theme 'neon'"):
        get_theme("neon")
    with pytest.raises(InvalidArgument, match="unknown theme field 'colour'"):
        theme_from_dict({"colour": "#fff"})


def test_a_60_step_map_keeps_its_columns_readable() -> None:
    lay = layout(generated(60, 10))
    assert len(lay.columns) == 60
    assert all(c.w == Theme().column_width for c in lay.columns)
    check_invariants(lay)


# ------------------------------------------------------------------ random maps
from hypothesis import HealthCheck  # noqa: E402

from tests.strategies import journeys  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journey=journeys(max_steps=8))
def test_random_maps_keep_every_invariant_and_give_safe_svg(journey: Journey) -> None:
    from .test_svg import assert_safe

    lay = layout(journey)
    check_invariants(lay)
    if not journey.is_linear():
        check_flow(journey, lay)
    from parcours.render import to_svg

    assert_safe(to_svg(journey))
