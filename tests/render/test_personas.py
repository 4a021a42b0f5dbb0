"""Persona cards: a real PDF, read back by pypdf and rasterised by pdftoppm, with no fetch."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pypdf import PdfReader

from parcours.files import loads
from parcours.model.atlas import Atlas
from parcours.render.pdf.document import Resources, write_pdf
from parcours.render.pdf.personas import personas_html, save_personas_pdf
from parcours.render.pdf.text import age_text, esc, initials, quoted
from tests.render.pdfs import pdf_text, rasterise

WORKSPACE = """\
parcours: 1
workspace: Banque de détail — été 2026
lang: fr
personas:
  - id: ines
    name: Inès Benali
    emoji: 👩‍🎓
    segment: Jeunes actifs digitaux
    summary: Premier CDI, veut tout faire depuis son téléphone.
    age_range: 25-34
    occupation: Infirmière
    location: Bordeaux (33)
    education: Diplôme d'État infirmier
    hobbies: [Course à pied, Podcasts]
    channels: [Application mobile, Instagram]
    devices: [iPhone]
    goals: [Ouvrir un compte en moins de 15 minutes]
    needs: [Des frais clairs]
    frustrations: [Les justificatifs refusés sans explication]
    motivations: [Économiser les frais]
    objections: ["« Et si j'ai un problème un dimanche ? »"]
    search_behaviour: Compare sur un comparateur, lit les avis.
    quote: "Si ça ne se fait pas depuis mon téléphone, ça ne se fera pas."
    sources: [Entretiens clients (n = 9)]
  - id: francois
    name: François Lefèvre-Dubœuf
    market: b2b
    segment: Dirigeants de TPE
    role: Gérant
    company_size: 1–9 salariés
    sector: Bâtiment
    goals: [Payer ses fournisseurs à l'heure]
    frustrations: [Les virements bloqués le vendredi soir]
    quote: "Mon temps, c'est mes chantiers."
"""


def _atlas(text: str = WORKSPACE) -> Atlas:
    atlas = loads(text, "workspace.yaml")
    assert isinstance(atlas, Atlas)
    return atlas


def _text(pdf: Path) -> str:
    return pdf_text(pdf)


def _rasterise(pdf: Path, out: Path) -> list[Path]:
    return rasterise(pdf, out, dpi=40, min_bytes=2000)


def test_cards_pdf_has_one_page_per_persona_with_accents(tmp_path: Path) -> None:
    pdf = save_personas_pdf(_atlas(), tmp_path / "personas.pdf")
    assert PdfReader(pdf).get_num_pages() == 2
    text = _text(pdf)
    for expected in (
        "Inès Benali",
        "François Lefèvre-Dubœuf",
        "Infirmière",
        "Bâtiment",
        "25–34 ans",
        "B2B",
        "Diplôme d'État infirmier",
    ):
        assert expected in text
    for heading in ("Objectifs", "Frustrations", "Canaux utilisés", "Objections et freins"):
        assert heading.upper() in text
    assert len(_rasterise(pdf, tmp_path)) == 2


def test_emoji_avatar_uses_an_emoji_font_and_initials_otherwise(tmp_path: Path) -> None:
    html = personas_html(_atlas())
    assert '<div class="avatar">👩‍🎓</div>' in html
    assert '<div class="avatar initials">FL</div>' in html
    if not Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf").exists():
        pytest.fail("fonts-noto-color-emoji is missing: apt-get install fonts-noto-color-emoji")
    pdf = save_personas_pdf(_atlas(), tmp_path / "personas.pdf")
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(pdf).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Emoji" in f for f in fonts), fonts
    assert any("NotoSans" in f.replace("-", "").replace(" ", "") for f in fonts), fonts


def test_user_text_is_escaped_and_shown_as_text(tmp_path: Path) -> None:
    hostile = WORKSPACE + (
        "  - name: <img src=x onerror=alert(1)>\n"
        '    quote: "</style><script>alert(1)</script>"\n'
        '    segment: "<b>gras</b> & co"\n'
        '    goals: ["</td></tr></table><h1>cassé</h1>"]\n'
        '    attributes: {"<i>clé</i>": "<u>valeur</u>"}\n'
    )
    atlas = _atlas(hostile)
    html = personas_html(atlas)
    assert "<img" not in html and "<script" not in html and "<h1>" not in html
    assert "<b>gras" not in html and "<i>clé" not in html and "<u>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    pdf = save_personas_pdf(atlas, tmp_path / "hostile.pdf")
    text = _text(pdf)
    assert "<img src=x onerror=alert(1)>" in text
    assert "</style><script>alert(1)</script>" in text
    assert "</td></tr></table><h1>cassé</h1>" in text
    _rasterise(pdf, tmp_path)


class Listener:
    """A local TCP server that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> object:
    server = Listener()
    yield server
    server.close()


def test_pictures_and_urls_in_user_text_are_never_fetched(
    tmp_path: Path, listener: Listener
) -> None:
    url = f"http://127.0.0.1:{listener.port}"
    text = WORKSPACE + (
        f"  - name: Loïc Réseau\n"
        f"    picture: {url}/x.png\n"
        f'    quote: "<img src={url}/quote.png><link rel=stylesheet href={url}/s.css>"\n'
        f'    summary: "</style><style>@import url({url}/i.css); body {{ background: url({url}/b.png) }}"\n'
    )
    atlas = _atlas(text)
    assert atlas.personas[-1].picture == f"{url}/x.png"
    pdf = save_personas_pdf(atlas, tmp_path / "personas.pdf")
    assert PdfReader(pdf).get_num_pages() == 3
    assert "Loïc Réseau" in _text(pdf)
    _rasterise(pdf, tmp_path)
    assert listener.connections() == 0


def test_the_fetcher_refuses_every_url_but_its_own(tmp_path: Path, listener: Listener) -> None:
    """Even markup that asks for them (not user text: that is escaped) loads nothing."""
    url = f"http://127.0.0.1:{listener.port}"
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    document = (
        f'<html><head><link rel="stylesheet" href="{url}/a.css">'
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
        f"<style>@import url({url}/b.css); p {{ background: url({url}/c.png) }}</style></head>"
        f'<body><p>Été 🙂</p><img src="{url}/d.png"><img src="{secret.as_uri()}">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        f'<img src="ftp://127.0.0.1:{listener.port}/e.png"></body></html>'
    )
    resources = Resources()
    pdf = write_pdf(document, tmp_path / "fetch.pdf", resources)
    assert "Été" in _text(pdf)
    assert listener.connections() == 0
    refused = " ".join(resources.refused)
    for name in ("a.css", "b.css", "c.png", "d.png", "secret.css", "data:image/svg", "e.png"):
        assert name in refused
    with pytest.raises(ValueError, match="refused"):
        resources.get("file:///etc/passwd")


def test_an_empty_workspace_still_renders(tmp_path: Path) -> None:
    atlas = _atlas("workspace: Vide\nlang: fr\n")
    pdf = save_personas_pdf(atlas, tmp_path / "empty.pdf")
    assert "pas encore de persona" in _text(pdf)


def test_english_workspace_uses_english_words() -> None:
    html = personas_html(_atlas(WORKSPACE.replace("lang: fr", "lang: en")))
    assert "Goals" in html and "Objectifs" not in html
    assert "“Mon temps, c&#x27;est mes chantiers.”" in html


def test_small_helpers() -> None:
    assert initials("Jean-Pierre Morel") == "JM"
    assert initials("élodie") == "É"
    assert age_text("25-34", "fr") == "25–34 ans"
    assert age_text("65+", "en") == "65+ years"
    assert age_text("la trentaine", "fr") == "la trentaine"
    assert quoted("Bonjour", "fr") == "«\u00a0Bonjour\u00a0»"
    assert quoted("« Déjà »", "fr") == "« Déjà »"
    assert esc('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
