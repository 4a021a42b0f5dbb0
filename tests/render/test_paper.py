"""The atlas and the map PDFs on paper, measured from the PDFs' own text.

What a printed page must keep: no text under 7 pt on the chosen page size (A3 or A4),
no word outside its page, "continued" marks where a map goes on to another page, and a
priority matrix whose bubbles never cover one another.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest

from parcours import export
from parcours.catalog import load_demo, new_from_template, templates
from parcours.files import loads
from parcours.model.atlas import Atlas
from parcours.render import to_pdf
from parcours.render.pdf.atlas import atlas_html, save_atlas_pdf
from parcours.render.pdf.mappages import (
    MIN_TEXT_PT,
    PAPERS,
    MapPicture,
    Part,
    plan_pages,
    readable_scale,
)
from parcours.render.pdf.maptext import TextBlock
from parcours.render.pdf.matrix import PAD, PLOT, TOP, bubbles, labels, priority_svg
from parcours.render.pdf.text import LABELS
from tests.render.pdfs import min_text_pt, outside_words, pdf_text

from .test_layout import generated

#: The floor of the map PDFs' text. A map PDF is drawn at 1 CSS px = 0.75 pt and the
#: default theme's smallest text is 10 px (tags, sources of a KPI): 7.5 pt. The floor is
#: the atlas' 7 pt, the usual minimum for printed reference text, so that a theme may
#: still shrink its small text a little but never into the 4–6 pt the atlas once printed.
MAP_FLOOR_PT = 7.0


# -- the atlas on A3 and A4 ---------------------------------------------------------------
@pytest.fixture(scope="module", params=["a3", "a4"])
def demo_atlas(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("paper") / f"atlas-{request.param}.pdf"
    return save_atlas_pdf(load_demo(), out, paper=request.param)


def test_no_text_of_the_demo_atlas_is_under_7_pt(demo_atlas: Path) -> None:
    sizes = min_text_pt(demo_atlas)
    print(f"{demo_atlas.name}: {len(sizes)} pages, smallest text {min(sizes):.2f} pt")
    small = [(page, size) for page, size in enumerate(sizes, 1) if 0 < size < MIN_TEXT_PT]
    assert not small, f"pages with text under {MIN_TEXT_PT} pt: {small}"


def test_no_word_of_the_demo_atlas_leaves_its_page(demo_atlas: Path) -> None:
    assert outside_words(demo_atlas) == []


def test_split_maps_say_where_they_go_on(demo_atlas: Path) -> None:
    text = pdf_text(demo_atlas)
    on = len(re.findall(r"suite : partie \d+/\d+", text))
    back = len(re.findall(r"suite de la partie \d+/\d+", text))
    assert on >= 4 and back >= 4  # every demo map is cut on both sizes
    assert on == back  # each part but the last says where its map goes on, and back
    for title in ("Points de contact", "Émotions", "Découverte"):  # lanes and stages repeated
        assert text.count(title) > 4, title


def test_the_map_pages_take_the_paper_asked_for(demo_atlas: Path) -> None:
    from pypdf import PdfReader

    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(demo_atlas).pages
    }
    a3, a4 = (1191, 842), (842, 595)
    assert sizes == ({a3, a4} if "a3" in demo_atlas.name else {a4})


def test_an_unknown_paper_is_refused() -> None:
    from parcours.model.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="a3, a4"):
        atlas_html(load_demo(), paper="letter")


# -- cutting a map into pages -------------------------------------------------------------
def _picture(columns: int, lanes: int, lane_height: float, text: float = 10.0) -> MapPicture:
    slots = [(200 + 216 * i, 200 + 216 * (i + 1)) for i in range(columns)]
    band = (150.0, 350.0)
    rows = [(350 + lane_height * k, 350 + lane_height * (k + 1)) for k in range(lanes)]
    block = TextBlock(210, 400, text, "400", "#000000", "start", ("x",), 0.0)
    return MapPicture(
        svg="",
        blocks=[block],
        width=200 + 216 * columns + 30,
        height=rows[-1][1] + 60,
        grid=(150, rows[-1][1]),
        gutter=(0, 200),
        slots=slots,
        band=band,
        rows=rows,
    )


def test_a_small_map_is_drawn_whole() -> None:
    plan = plan_pages(_picture(5, 2, 100))
    assert plan.scale == 1.0 and plan.parts == [Part((0, 5), (0, 2), True)]
    plan = plan_pages(_picture(6, 2, 100))  # a little wide: shrunk, still readable
    assert plan.whole and readable_scale(_picture(6, 2, 100)) <= plan.scale < 1


def test_the_scale_keeps_the_smallest_text_at_7_pt() -> None:
    for text in (9.0, 10.0, 13.0):
        plan = plan_pages(_picture(40, 6, 150, text))
        assert text * 0.75 * plan.scale == pytest.approx(MIN_TEXT_PT)


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_long_and_tall_maps_are_cut_into_whole_columns_and_whole_lanes(paper: str) -> None:
    sheet = PAPERS[paper]
    picture = _picture(60, 9, 220)
    plan = plan_pages(picture, sheet)
    assert plan.column_groups > 1 and plan.lane_groups > 1
    assert len(plan.parts) == plan.column_groups * plan.lane_groups
    columns = list(dict.fromkeys(p.columns for p in plan.parts))
    assert columns[0][0] == 0 and columns[-1][1] == 60
    assert all(a[1] == b[0] for a, b in itertools.pairwise(columns))
    sizes = [b - a for a, b in columns]
    assert max(sizes) - min(sizes) <= 1  # balanced: the last page is no stub
    band = picture.band_range[1] - picture.band_range[0]
    for part in plan.parts:
        (c0, c1), (l0, l1) = part.columns, part.lanes
        width = (200 + picture.slots[c1 - 1][1] - picture.slots[c0][0]) * plan.scale
        lanes = sum(b - a for a, b in picture.rows[l0:l1])
        legend = picture.height - picture.grid[1] if part.legend else 0
        assert width <= sheet.map_width + 0.5
        assert (band + lanes + legend) * plan.scale <= sheet.map_height + 0.5
    assert sum(p.legend for p in plan.parts) == plan.column_groups  # under the last lanes
    # every lane once in each set of columns, in order
    lanes = [p.lanes for p in plan.parts if p.columns == columns[0]]
    assert lanes[0][0] == 0 and lanes[-1][1] == 9


# -- the priority matrix ------------------------------------------------------------------
def _crowded(n: int = 12, *, future: bool = False) -> Atlas:
    journeys = []
    for i in range(n):
        value = f"{{customer: {80 + i % 3}, business: {85 - i % 2}, effort: {1 + i}}}"
        state = "\n    state: future" if future and i % 2 else ""
        journeys.append(
            f"  - journey: Parcours numéro {i + 1} au titre assez long\n    id: j{i}\n"
            f"    value: {value}{state}\n    stages: [{{A: [{{Étape: {{}}}}]}}]"
        )
    text = "workspace: Serré\nlang: fr\njourneys:\n" + "\n".join(journeys) + "\n"
    atlas = loads(text, "workspace.yaml")
    assert isinstance(atlas, Atlas)
    return atlas


@pytest.mark.parametrize("n", [2, 4, 12, 20])
def test_no_bubble_covers_another(n: int) -> None:
    drawn = bubbles(_crowded(n))
    assert len(drawn) == n
    for i, a in enumerate(drawn):
        assert PAD + a.r - 0.01 <= a.x <= PAD + PLOT - a.r + 0.01
        assert TOP + a.r - 0.01 <= a.y <= TOP + PLOT - a.r + 0.01
        for b in drawn[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r, (a.index, b.index)


def test_the_drawn_matrix_has_no_overlapping_bubble_nor_label() -> None:
    atlas = _crowded(12)
    svg = priority_svg(atlas, LABELS["fr"], "fr")
    circles = [
        (float(x), float(y), float(r))
        for x, y, r in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)" fill="#', svg)
        if float(r) > 5
    ]
    assert len(circles) == 12
    for i, (x1, y1, r1) in enumerate(circles):
        for x2, y2, r2 in circles[i + 1 :]:
            assert math.hypot(x1 - x2, y1 - y2) >= r1 + r2 - 0.2  # drawn at 0.1 px
    placed = labels(atlas, bubbles(atlas))
    for k, (box, _, _) in enumerate(placed):
        for other, _, _ in placed[k + 1 :]:
            assert box[2] < other[0] or other[2] < box[0] or box[3] < other[1] or other[3] < box[1]


def test_the_matrix_names_its_quadrants_and_keys_in_the_atlas_language() -> None:
    fr = priority_svg(_crowded(3), LABELS["fr"], "fr")
    for word in (
        "Priorité",
        "Levier business",
        "Attente client",
        "À surveiller",
        "Taille : effort",
    ):
        assert word in fr
    en = priority_svg(_crowded(3), LABELS["en"], "en")
    for word in ("Priority", "Business lever", "Customer expectation", "Watch", "Size: effort"):
        assert word in en


def test_the_legend_lists_only_the_states_drawn() -> None:
    def section(atlas: Atlas) -> str:
        html = atlas_html(atlas)
        return html[html.index('id="sec-priority"') : html.index('class="journey-page"')]

    current = section(_crowded(3))
    assert "État actuel" in current and "État cible" not in current
    both = section(_crowded(3, future=True))
    assert "État actuel" in both and "État cible" in both


# -- map PDFs -----------------------------------------------------------------------------
@pytest.mark.parametrize("t", templates(), ids=lambda t: f"{t.id}.{t.lang}")
def test_every_template_map_pdf_is_readable_and_inside_its_pages(t: object, tmp_path: Path) -> None:
    atlas = new_from_template(t.id, t.lang)  # type: ignore[attr-defined]
    out = export.save(atlas, tmp_path / "map.pdf")
    sizes = min_text_pt(out)
    print(f"{t.id}.{t.lang}: smallest text {min(sizes):.2f} pt")  # type: ignore[attr-defined]
    assert min(sizes) >= MAP_FLOOR_PT
    assert outside_words(out) == []


@pytest.mark.parametrize("steps", [30, 200])
def test_long_map_pdfs_say_where_they_go_on_and_cut_nothing(steps: int, tmp_path: Path) -> None:
    out = tmp_path / "long.pdf"
    out.write_bytes(to_pdf(generated(steps, 6)))
    pages = min_text_pt(out)
    assert len(pages) > 1 and min(pages) >= MAP_FLOOR_PT
    assert outside_words(out) == []
    text = pdf_text(out)
    assert text.count("suite page") == len(pages) - 1
    assert text.count("suite de la page") == len(pages) - 1
    assert text.count("Points de contact") == len(pages)  # the lane titles on every page


@pytest.mark.parametrize(
    ("lang", "currency", "money", "day"),
    [
        ("fr", "EUR", "300\u202f000\u00a0€", "3\u00a0déc.\u00a02026"),
        ("en", "USD", "$300,000", "3\u00a0Dec\u00a02026"),
        ("fr", "CHF", "300\u202f000\u00a0CHF", "3\u00a0déc.\u00a02026"),
    ],
)
def test_values_and_dates_are_written_in_the_atlas_language_with_its_currency(
    lang: str, currency: str, money: str, day: str
) -> None:
    text = (
        f"workspace: Valeurs\nlang: {lang}\ncurrency: {currency}\njourneys:\n"
        "  - journey: Souscription\n    id: s\n    lanes: [opportunities]\n"
        "    stages:\n      - A:\n          - Étape:\n              opportunities:\n"
        "                - {text: Relance, owner: CRM, priority: high, value: 300000, "
        "due: 2026-12-03}\n"
    )
    atlas = loads(text, "workspace.yaml")
    assert isinstance(atlas, Atlas)
    html = atlas_html(atlas)
    backlog = html[html.index('id="sec-backlog"') :]
    assert backlog.count(money) == 2  # the owner's total and the opportunity
    assert day in backlog and "2026-12-03" not in backlog
