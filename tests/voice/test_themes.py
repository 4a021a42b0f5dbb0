"""Themes: shipped keyword lists matched on lemmas, user files, suggested themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcours.errors import BadData
from parcours.voice.themes import load_themes, suggest_themes


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Les colis livrés en retard", "fr", ["delivery", "waiting"]),
        ("Mon remboursement n'est jamais arrivé", "fr", ["refund"]),
        ("La conseillère m'a raccroché au nez", "fr", ["staff", "contact"]),
        ("L'appli plante à la connexion", "fr", ["digital"]),
        ("Résiliation impossible, facturé deux fois", "fr", ["billing", "cancellation"]),
        ("The parcels were delivered late", "en", ["delivery", "waiting"]),
        ("Charged twice on my bill", "en", ["price", "billing"]),
        ("Nobody called me back", "en", ["contact"]),
        ("The staff were lovely", "en", ["staff"]),
        ("Bonjour, merci", "fr", []),
    ],
)
def test_shipped_themes(text: str, lang: str, expected: list[str]) -> None:
    assert load_themes().match(text, lang) == expected


def test_a_user_file_replaces_the_list(tmp_path: Path) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text(
        "themes:\n"
        "  fidelite:\n"
        "    label: {fr: Fidélité, en: Loyalty}\n"
        "    fr: [carte de fidélité, point*]\n"
        "    en: [loyalty card, reward*]\n",
        encoding="utf-8",
    )
    themes = load_themes(path)
    assert themes.keys == ["fidelite"]
    assert themes.match("Mes points de la carte de fidélité ont disparu", "fr") == ["fidelite"]
    assert themes.match("Where are my rewards?", "en") == ["fidelite"]
    assert themes.match("Colis en retard", "fr") == []
    assert themes.themes[0].label("en") == "Loyalty"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("themes:\n  a: [x\n", r"themes.yaml:3:1: .*; fix the YAML syntax"),
        ("- a\n", r"themes.yaml: expected a mapping 'themes:'"),
        (
            "themes:\n  a:\n    de: [x]\n",
            r"theme 'a': unknown field 'de'; expected one of: label, fr, en",
        ),
        ("themes:\n  a:\n    fr: x\n", r"theme 'a': 'fr' must be a list of keywords"),
        (
            "themes:\n  a:\n    label: A\n",
            r"theme 'a': no keywords; give a list under 'fr' or 'en'",
        ),
    ],
)
def test_bad_theme_files_say_where_and_how_to_fix(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadData, match=message):
        load_themes(path)


def test_a_missing_theme_file() -> None:
    with pytest.raises(BadData, match=r"no such themes file; check the path"):
        load_themes("/nonexistent/themes.yaml")


def test_suggested_themes_group_shared_words_and_are_deterministic() -> None:
    hours = [f"Les horaires d'ouverture de l'agence {k} sont trop courts" for k in range(12)]
    parking = [f"Impossible de trouver une place de parking près du magasin {k}" for k in range(12)]
    texts = [t for pair in zip(hours, parking, strict=True) for t in pair]
    langs = ["fr"] * len(texts)
    first = suggest_themes(texts, langs, n_themes=2)
    assert first == suggest_themes(texts, langs, n_themes=2)
    assert len(first) == 2
    words = [set(s.words) for s in first]
    assert any({"horaire", "ouverture", "agence"} <= w for w in words)
    assert any({"parking", "place", "magasin"} <= w for w in words)
    assert sorted(s.n_texts for s in first) == [12, 12]
    assert all(s.lang == "fr" for s in first)


def test_too_few_texts_suggest_nothing() -> None:
    assert suggest_themes(["Un seul texte"], ["fr"]) == []
