"""SVG: byte-stable against golden files, well-formed, and safe whatever users type.

Regenerate the golden files after an intended change of the picture with
``PARCOURS_UPDATE_GOLDEN=1 pytest tests/render/test_svg.py`` and look at them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from parcours import files
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.render import save_svg, to_svg
from parcours.render.svg import esc, num

GOLDEN = Path(__file__).parent / "golden"
TEMPLATES = sorted((Path(files.__file__).parent / "templates").glob("*.yaml"))
NS = "{http://www.w3.org/2000/svg}"
UPDATE = os.environ.get("PARCOURS_UPDATE_GOLDEN") == "1"

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(2)>',
    "javascript:alert(3)",
    "<img src=x onerror=alert(4)>",
    "]]><foreignObject><body onload=alert(5)/></foreignObject>",
    "<a href='http://127.0.0.1:9/canary' xlink:href='file:///etc/passwd'>x</a>",
    "&amp; &lt;tag&gt; &#x3C;script&#x3E; ' \" ` ${7*7}",
    "<?xml-stylesheet href='http://evil/x.css'?><!ENTITY x SYSTEM 'file:///etc/passwd'>",
    "<style>@import url(http://evil/)</style>",
    "<use href='data:image/svg+xml;base64,PHN2Zz4=#x'/>",
]


def load(name: str) -> Journey:
    journey = files.load(GOLDEN / name)
    assert isinstance(journey, Journey)
    return journey


@pytest.mark.parametrize("name", ["linear", "branched"])
def test_svg_matches_the_golden_file(name: str) -> None:
    svg = to_svg(load(f"{name}.yaml"))
    golden = GOLDEN / f"{name}.svg"
    if UPDATE or not golden.exists():
        golden.write_text(svg, encoding="utf-8", newline="\n")
    expected = golden.read_text(encoding="utf-8")
    assert svg == expected, (
        f"{golden.name} changed; if the new picture is intended, rerun with "
        "PARCOURS_UPDATE_GOLDEN=1 and look at the result"
    )


def test_svg_is_byte_stable() -> None:
    journey = load("branched.yaml")
    first = to_svg(journey)
    again = files.load(GOLDEN / "branched.yaml")
    assert isinstance(again, Journey)
    assert to_svg(again) == first
    assert to_svg(journey).encode("utf-8") == first.encode("utf-8")


def test_ids_come_from_model_ids() -> None:
    root = SafeET.fromstring(to_svg(load("branched.yaml")).encode("utf-8"))
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"
    for expected in (
        "step-depose",
        "stage-dossier",
        "lane-emotions",
        "edge-refus--depose",
        "card-pain_points--refus--0",
        "curve-emotions-web",
    ):
        assert expected in ids


def test_numbers_are_printed_deterministically() -> None:
    assert [num(v) for v in (1.0, 2.5, 3.14159, -0.001, 0.0, 1e-9, 12.346, -7.5)] == [
        "1",
        "2.5",
        "3.14",
        "0",
        "0",
        "0",
        "12.35",
        "-7.5",
    ]
    assert esc('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    assert esc("nul\x00bell\x07ok") == "nulbellok"


def _map_with(payloads: list[str]) -> Journey:
    texts = iter(payloads * 3)

    def t() -> str:
        return next(texts)

    doc = {
        "parcours": 1,
        "journey": t(),
        "id": "evil",
        "scope": t(),
        "owner": t(),
        "lanes": [
            "touchpoints",
            "actions",
            "thoughts",
            "emotions",
            "pain_points",
            "opportunities",
            "kpis",
            "notes",
            "images",
        ],
        "paths": [{"id": "a", "name": t()}, {"id": "b", "name": t()}],
        "entries": ["s1", "s2"],
        "channels": [{"id": "c", "name": t(), "kind": "digital", "icon": t()}],
        "touchpoints": [{"id": "tp", "name": t(), "channel": "c"}],
        "kpis": [{"id": "k", "name": t(), "unit": t()}],
        "stages": [
            {
                t(): [
                    {
                        t(): {
                            "id": "s1",
                            "path": "a",
                            "touchpoints": ["tp"],
                            "actions": [t(), t()],
                            "thoughts": [t()],
                            "emotion": {"score": -2, "label": t(), "emoji": t()[:16]},
                            "next": [
                                {"to": "s3", "label": t(), "share": 0.5},
                                {"to": "s1", "label": t(), "share": 0.5},
                            ],
                        }
                    },
                    {
                        t(): {
                            "id": "s2",
                            "path": "b",
                            "pain_points": [{"text": t(), "evidence": t()}],
                            "opportunities": [{"text": t(), "owner": t()}],
                            "kpis": [
                                {
                                    "kpi": "k",
                                    "target": 1,
                                    "measured": 2,
                                    "period": t(),
                                    "source": t(),
                                }
                            ],
                            "notes": [t()],
                            "images": [
                                {"src": "http://127.0.0.1:9/canary.png", "alt": t()},
                                {"src": "file:///etc/passwd"},
                            ],
                        }
                    },
                ]
            },
            {t(): [{t(): {"id": "s3"}}]},
        ],
    }
    import json

    journey = files.loads(json.dumps(doc), "evil.json")
    assert isinstance(journey, Journey)
    return journey


#: The one ``<style>`` allowed: the embedded font subset, nothing but ``data:`` fonts.
FONT_FACE = re.compile(
    r"@font-face\{font-family:'parcours-noto';font-weight:\d{3};font-style:(normal|italic);"
    r"src:url\(data:font/(woff2|ttf);base64,[A-Za-z0-9+/]+=*\) format\('(woff2|truetype)'\)\}"
)


def assert_safe(svg: str) -> None:
    root = SafeET.fromstring(svg.encode("utf-8"))  # well-formed, no DTD, no entities
    for defs in root.iter(f"{NS}defs"):  # the embedded font: checked, then left out below
        for style in list(defs.iter(f"{NS}style")):
            assert not style.attrib and len(style) == 0
            for rule in (style.text or "").split("\n"):
                assert FONT_FACE.fullmatch(rule), f"unexpected style rule {rule[:120]!r}"
            defs.remove(style)
    forbidden = {
        "script",
        "foreignObject",
        "iframe",
        "object",
        "embed",
        "image",
        "use",
        "a",
        "style",
        "animate",
        "set",
        "handler",
        "link",
        "feImage",
    }
    for el in root.iter():
        tag = el.tag.replace(NS, "")
        assert tag not in forbidden, f"<{tag}> in the SVG"
        assert el.tag.startswith(NS), f"foreign element {el.tag}"
        for attr, value in el.attrib.items():
            name = attr.split("}")[-1].lower()
            assert not name.startswith("on"), f"event attribute {attr}"
            assert name not in ("href", "src", "style"), f"{attr}={value!r}"
            assert "javascript:" not in value.lower() and "url(" not in value.lower()
    assert "<!ENTITY" not in svg and "<!DOCTYPE" not in svg and "<?xml-stylesheet" not in svg


def test_user_text_cannot_inject_markup() -> None:
    journey = _map_with(PAYLOADS)
    svg = to_svg(journey)
    assert_safe(svg)
    root = SafeET.fromstring(svg.encode("utf-8"))
    shown = " ".join("".join(el.itertext()) for el in root.iter(f"{NS}text"))
    titles = " ".join("".join(el.itertext()) for el in root.iter(f"{NS}title"))
    # the payloads are there, as text (whole in tooltips, possibly wrapped on the map)
    assert "<script>alert(1)</script>" in titles
    assert '"><svg onload=alert(2)>' in titles
    assert "alert(1)" in shown


def test_every_template_gives_a_safe_well_formed_svg() -> None:
    for path in TEMPLATES:
        loaded = files.load(path)
        journeys = loaded.journeys if isinstance(loaded, Atlas) else [loaded]
        for journey in journeys:
            kwargs = {}
            if isinstance(loaded, Atlas):
                kwargs = {"library": loaded.library, "personas": loaded.personas}
            svg = to_svg(journey, **kwargs)  # type: ignore[arg-type]
            assert_safe(svg)
            assert journey.title.split()[0] in svg


def test_faces_are_shapes_and_user_emoji_are_text() -> None:
    svg = to_svg(load("linear.yaml"))
    root = SafeET.fromstring(svg.encode("utf-8"))
    emotions = next(el for el in root.iter(f"{NS}g") if el.get("id") == "emotions")
    faces = [g for g in emotions.iter(f"{NS}g") if g.get("class") == "emotion"]
    assert len(faces) == 4
    for g in faces:
        assert len(list(g.iter(f"{NS}circle"))) >= 3  # a disc and two eyes
        assert len(list(g.iter(f"{NS}path"))) >= 1  # a mouth
    # the user's own 😤 is kept as text, in a tspan asking for the emoji font
    spans = [el for el in root.iter(f"{NS}tspan") if "Emoji" in (el.get("font-family") or "")]
    assert "😤" in {el.text for el in spans}
    for el in root.iter(f"{NS}text"):
        assert not any(ch in (el.text or "") for ch in "😡🙁😐🙂😄"), "faces are never emoji glyphs"


def test_accents_and_typography_survive() -> None:
    svg = to_svg(load("linear.yaml"))
    for text in (
        "Résiliation d&#39;un abonnement « mobile »",
        "Exaspérée",
        "Décision",
        "Vingt minutes d&#39;attente… sérieusement ?",
    ):
        assert text in svg


def test_save_svg_writes_utf8(tmp_path: Path) -> None:
    out = save_svg(load("linear.yaml"), tmp_path / "map.svg")
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    assert "Résiliation".encode() in out.read_bytes()


def test_journey_shows_itself_in_jupyter() -> None:
    journey = load("linear.yaml")
    assert journey._repr_svg_() == to_svg(journey)
