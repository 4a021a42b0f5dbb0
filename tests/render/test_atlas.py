"""The whole-atlas PDF: real PDFs read back by pypdf and rasterised by pdftoppm."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

import parcours
from parcours.files import load_atlas, loads
from parcours.model.atlas import Atlas
from parcours.render.pdf.atlas import atlas_html, save_atlas_pdf
from parcours.render.pdf.crop import Cropper, crop_svg, path_box
from parcours.render.pdf.facts import atlas_date, backlog, touchpoint_rows
from parcours.render.pdf.maptext import split_svg_text, text_blocks
from tests.render.pdfs import pdf_text, rasterise

WORKSPACE = """\
parcours: 1
workspace: Atlas « Été 2026 » 🌞
lang: fr
description: Deux parcours qui partagent le site et l'application.
personas:
  - {id: ines, name: Inès Benali, emoji: 👩‍🎓, quote: "Tout depuis mon téléphone.",
     goals: [Aller vite]}
  - {id: jp, name: Jean-Pierre Morel, market: b2b, company_size: 10–49, sector: Négoce}
channels:
  - {id: web, name: Site web, kind: digital}
  - {id: app, name: Application, kind: digital}
touchpoints:
  - {id: site, name: Site marchand, channel: web}
  - {id: appli, name: Appli mobile, channel: app}
  - {id: agence, name: Agence de Besançon, channel: web}
journeys:
  - journey: Ouverture de compte ✨
    id: ouverture
    personas: [ines]
    owner: Direction de l'expérience
    reviewed: 2026-06-02
    value: {customer: 80, business: 70, effort: 3}
    lanes: [touchpoints, actions, emotions, pain_points, opportunities]
    stages:
      - Découverte:
          - Voit l'offre:
              touchpoints: [site]
              emotion: +1
              opportunities:
                - {text: Simplifier la page d'offre, owner: Équipe marketing, priority: low, value: 5000}
      - Souscription:
          - Vérifie son identité:
              touchpoints: [site, appli]
              emotion: {score: -2, label: Exaspérée, emoji: 😡}
              pain_points:
                - {text: Le selfie échoue, severity: rupture}
                - {text: Trop de champs, severity: irritant}
              opportunities:
                - {text: Appel vidéo avec un conseiller, owner: Équipe onboarding, priority: critical, value: 120000}
                - {text: Relance par SMS, owner: Équipe CRM, priority: critical, value: 300000}
  - journey: Réclamation après-vente
    id: reclamation
    personas: [jp]
    owner: Service client
    reviewed: 2026-09-15
    state: future
    value: {customer: 40, business: 90}
    lanes: [touchpoints, pain_points, opportunities]
    stages:
      - Contact:
          - Écrit au service client:
              touchpoints: [site]
              pain_points: [{text: Formulaire introuvable, severity: blocker}]
              opportunities:
                - {text: Formulaire en un clic, owner: Pôle relation client Besançon, priority: high}
          - Appelle:
              pain_points: [{text: Attente de 20 minutes, severity: irritant}]
              opportunities:
                - {text: Rappel automatique, priority: medium}
"""

OWNERS = ("Équipe marketing", "Équipe onboarding", "Équipe CRM", "Pôle relation client Besançon")


def _atlas(text: str = WORKSPACE) -> Atlas:
    atlas = loads(text, "workspace.yaml")
    assert isinstance(atlas, Atlas)
    return atlas


def _text(pdf: Path) -> str:
    return pdf_text(pdf)


def _rasterise(pdf: Path, out: Path) -> list[Path]:
    return rasterise(pdf, out, dpi=30, min_bytes=1500)


@pytest.fixture(scope="module")
def atlas_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_atlas_pdf(_atlas(), tmp_path_factory.mktemp("atlas") / "atlas.pdf")


def test_atlas_pdf_holds_every_section_and_rasterises(atlas_pdf: Path, tmp_path: Path) -> None:
    text = _text(atlas_pdf)
    for expected in (
        "Atlas « Été 2026 »",
        "Ouverture de compte",
        "Réclamation après-vente",
        "Inès Benali",
        "Jean-Pierre Morel",
        "Parcours × points de contact",
        "Matrice de priorité",
        "Points de douleur par point de contact",
        "Backlog des opportunités",
        "Site marchand",
        "Appli mobile",
        "Le selfie échoue",
        "Formulaire introuvable",
        "Sans responsable",
    ):
        assert expected in text, expected
    for owner in OWNERS:
        assert owner in text, owner
    # the touchpoint nobody uses is not in the overview
    assert "Agence de Besançon" not in text
    _rasterise(atlas_pdf, tmp_path)


def test_bookmarks_and_contents_lead_to_their_sections(atlas_pdf: Path) -> None:
    """Each section (the Typst-set tables and the maps too) has one bookmark, on the page
    where its title is printed, and the cover's contents link to that same page."""
    from pypdf import PdfReader

    reader = PdfReader(atlas_pdf)
    marks = {
        o.title: reader.get_destination_page_number(o)
        for o in reader.outline
        if not isinstance(o, list)
    }
    titles = [
        "Parcours × points de contact",
        "Matrice de priorité",
        "Points de douleur par point de contact",
        "Backlog des opportunités",
    ]
    for title in titles:
        assert title in marks, (title, list(marks))
        assert title in (reader.pages[marks[title]].extract_text() or "").replace("\n", " ")
    assert [t for t in marks if t[0].isdigit()] == [
        "1. Ouverture de compte ✨",
        "2. Réclamation après-vente",
    ]
    assert list(marks.values()) == sorted(marks.values())  # in the order of the pages
    cover = reader.pages[0]
    linked = set()
    for annot in cover.get("/Annots", []):
        name = annot.get_object().get("/Dest")
        if name is not None:
            linked.add(reader.get_destination_page_number(reader.named_destinations[name]))
    assert {marks[t] for t in titles} <= linked


def test_the_atlas_is_dated_by_its_newest_review_not_today(atlas_pdf: Path) -> None:
    assert atlas_date(_atlas()) == dt.date(2026, 9, 15)
    text = _text(atlas_pdf)
    assert "Revu le 15 septembre 2026" in text
    today = dt.date.today()
    if today != dt.date(2026, 9, 15):
        assert today.isoformat() not in text


def test_the_same_workspace_gives_the_same_document(tmp_path: Path) -> None:
    """Same HTML and same text; the PDF bytes differ only by the font subsets' timestamps
    (fontTools stamps ``head.modified`` when WeasyPrint subsets the fonts)."""
    assert atlas_html(_atlas()) == atlas_html(_atlas())
    first = save_atlas_pdf(_atlas(), tmp_path / "a.pdf")
    second = save_atlas_pdf(_atlas(), tmp_path / "b.pdf")
    assert _text(first) == _text(second)


def test_backlog_is_sorted_by_priority_then_value() -> None:
    items = [it.opportunity.text for it in backlog(_atlas())]
    assert items == [
        "Relance par SMS",  # critical, 300 000
        "Appel vidéo avec un conseiller",  # critical, 120 000
        "Formulaire en un clic",  # high
        "Rappel automatique",  # medium
        "Simplifier la page d'offre",  # low
    ]


def test_touchpoint_overview_counts_overlaps_and_pains() -> None:
    rows = {row.id: row for row in touchpoint_rows(_atlas())}
    assert set(rows) == {"site", "appli", ""}  # "" gathers the steps without a touchpoint
    assert rows["site"].steps == {0: 2, 1: 1}  # shared by both journeys
    assert rows["site"].severity_counts == {"rupture": 1, "blocker": 1, "irritant": 1}
    assert rows["appli"].steps == {0: 1}
    assert rows[""].severity_counts == {"rupture": 0, "blocker": 0, "irritant": 1}


def test_user_text_is_escaped_everywhere(tmp_path: Path) -> None:
    hostile = (
        WORKSPACE.replace("Réclamation après-vente", '"<script>alert(1)</script>"')
        .replace("Formulaire introuvable", '"</td></tr></table><img src=x onerror=alert(1)>"')
        .replace("Service client", """'"><svg onload=alert(1)>'""")
        .replace("Appli mobile", '"</style><style>*{display:none}</style>"')
    )
    atlas = _atlas(hostile)
    html = atlas_html(atlas)
    assert "<script" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "</style><style>*" not in html
    pdf = save_atlas_pdf(atlas, tmp_path / "hostile.pdf")
    text = _text(pdf)
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "</style><style>*{display:none}</style>" in text


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    yield server
    server.close()


def _connections(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def test_no_network_fetch(tmp_path: Path, listener: socket.socket) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    text = WORKSPACE.replace(
        "{id: jp, name: Jean-Pierre Morel,",
        f"{{id: jp, name: Jean-Pierre Morel, picture: '{url}/x.png',",
    ).replace("Trop de champs", f"<img src='{url}/pain.png'>")
    atlas = _atlas(text)
    assert atlas.persona("jp").picture == f"{url}/x.png"
    pdf = save_atlas_pdf(atlas, tmp_path / "atlas.pdf")
    _rasterise(pdf, tmp_path)
    assert _connections(listener) == 0


def test_english_workspace_uses_english_words(tmp_path: Path) -> None:
    html = atlas_html(_atlas(WORKSPACE.replace("lang: fr", "lang: en")))
    assert "Opportunity backlog" in html and "Reviewed on 15 September 2026" in html
    assert "Backlog des opportunités" not in html


def test_a_workspace_without_anything_still_renders(tmp_path: Path) -> None:
    pdf = save_atlas_pdf(_atlas("workspace: Vide\nlang: fr\n"), tmp_path / "empty.pdf")
    text = _text(pdf)
    assert "Date de revue non renseignée" in text
    assert "Aucune opportunité" in text
    _rasterise(pdf, tmp_path)


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">
<title>t</title>
<rect x="0" y="0" width="50" height="50" fill="#fff"/>
<rect x="300" y="0" width="50" height="50" fill="#fff"/>
<g transform="translate(310 100) scale(0.5)"><path d="M12 3l2.7 5.8h4v2z"/><text x="0" y="20" font-size="20" fill="#123456" font-weight="700">Émoji 🙂</text></g>
<text x="20" y="30" font-size="12" fill="#000">Étape &lt;b&gt;</text>
<text x="20" y="45" font-size="12" fill="#000">suite</text>
<text x="200" y="100" font-size="12" text-anchor="middle" fill="red; background: url(x)">centre</text>
</svg>"""


def test_map_text_comes_out_of_the_svg_at_its_baselines() -> None:
    shapes, runs = split_svg_text(SVG)
    assert "<text" not in shapes and "Étape" not in shapes
    by_text = {r.text: r for r in runs}
    assert by_text["Étape <b>"].x == 20 and by_text["Étape <b>"].y == 30
    inner = by_text["Émoji 🙂"]  # under translate(310 100) scale(0.5)
    assert (inner.x, inner.y, inner.size, inner.weight) == (310, 110, 10, "700")
    assert by_text["centre"].anchor == "middle"
    assert by_text["centre"].fill == "#000000"  # an unsafe colour never reaches the CSS
    blocks = text_blocks(runs)
    assert ("Étape <b>", "suite") in [b.lines for b in blocks]  # lines of one card merged


def test_a_part_of_a_map_keeps_only_its_shapes() -> None:
    shapes, _ = split_svg_text(SVG)
    left = crop_svg(shapes, (0, 0, 100, 200), margin=0)
    assert 'x="0"' in left and 'x="300"' not in left and "<path" not in left
    assert "<title" not in left
    right = crop_svg(shapes, (280, 0, 400, 200), margin=0)
    assert 'x="300"' in right and "<path" in right and 'x="0" y="0" width="50"' not in right
    assert path_box("M12 3l2.7 5.8h4v2z") == (12, 3, 18.7, 10.8)


def test_one_cropper_cuts_every_part_as_a_fresh_parse_would() -> None:
    """The cropper puts back what a part left out: each part equals a crop of the whole."""
    from parcours.catalog import load_demo

    demo = load_demo()
    from parcours.render.pdf.mappages import journey_map

    picture = journey_map(demo.journeys[0], demo)
    assert picture is not None
    cropper = Cropper(picture.svg)
    w, h = picture.width, picture.height
    regions = [(0, 0, w / 3, h), (w / 3, 0, 2 * w / 3, h / 2), (0, 0, w, h), (w / 2, h / 2, w, h)]
    parts = [cropper.crop(region) for region in regions]
    assert parts == [crop_svg(picture.svg, region) for region in regions]
    assert len(parts[0]) < len(parts[2]) and len(parts[1]) < len(parts[2])


def _workspaces() -> list[Path]:
    root = Path(parcours.__file__).parent
    found = sorted((root / "templates").glob("*.yaml"))
    demo = root / "examples" / "demo"
    if (demo / "workspace.yaml").exists():
        found.append(demo)
    return found


@pytest.mark.parametrize("path", _workspaces(), ids=lambda p: p.stem if p.suffix else p.name)
def test_every_shipped_workspace_renders(path: Path, tmp_path: Path) -> None:
    atlas = load_atlas(path)
    pdf = save_atlas_pdf(atlas, tmp_path / "atlas.pdf")
    text = _text(pdf)
    for journey in atlas.journeys:
        assert journey.title in text
    for persona in atlas.personas:
        assert persona.name in text
    _rasterise(pdf, tmp_path)


def test_maps_take_the_workspace_language_when_journeys_have_none() -> None:
    atlas = _atlas()
    assert atlas.lang == "fr" and all(j.lang is None for j in atlas.journeys)
    html = atlas_html(atlas)
    # the lane titles of the maps are the workspace's words, not English
    assert "Points de contact" in html and "Irritants" in html
    assert "Touchpoints" not in html and "Customer actions" not in html
    from parcours.render.layout import layout

    journey = atlas.journeys[0]
    assert layout(journey, lang="fr").lang == "fr"
    assert layout(journey).lang == "fr"  # no language given: the one its text is written in
    assert layout(journey.model_copy(update={"stages": [], "cells": {}, "title": "X"})).lang == "en"
    english = journey.model_copy(update={"lang": "en"})
    assert layout(english, lang="fr").lang == "en"  # the journey's own language wins


def test_backlog_dates_are_in_the_language_of_the_atlas() -> None:
    from parcours.catalog import load_demo

    atlas = load_demo()
    due = next(
        item.due
        for journey in atlas.journeys
        for row in journey.cells.values()
        for items in row.values()
        for item in items
        if getattr(item, "due", None)
    )
    html = atlas_html(atlas)
    backlog = html[html.index('id="sec-backlog"') :]
    months = [
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ]
    assert f"{due.day}\u00a0{months[due.month - 1]}\u00a0{due.year}" in backlog
    assert due.isoformat() not in backlog
