"""Personal data is masked in every string that has some, and ordinary numbers are kept."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from parcours.voice.pii import iban_valid, luhn_valid, mask, mask_text, nir_valid

DATA = Path(__file__).parent.parent / "data" / "voice"
PERSONAL = list(
    csv.DictReader((DATA / "pii_personal.csv").read_text(encoding="utf-8").splitlines())
)
ORDINARY = [
    line for line in (DATA / "pii_ordinary.txt").read_text(encoding="utf-8").splitlines() if line
]


def test_the_sets_are_large_enough_in_both_languages() -> None:
    assert len(PERSONAL) >= 100
    assert {row["lang"] for row in PERSONAL} == {"fr", "en"}
    assert min(sum(r["lang"] == lang for r in PERSONAL) for lang in ("fr", "en")) >= 50
    assert len(ORDINARY) >= 100


def test_every_personal_value_is_masked() -> None:
    missed = []
    for row in PERSONAL:
        masked = mask_text(row["text"], row["lang"])
        for value in row["personal"].split("|"):
            digits = re.sub(r"\D", "", value)
            if value in masked or (len(digits) >= 8 and digits in re.sub(r"\D", "", masked)):
                missed.append((row["text"], masked))
    assert missed == []


def test_no_ordinary_string_is_changed() -> None:
    changed = [(line, mask_text(line)) for line in ORDINARY if mask_text(line) != line]
    assert changed == []


@pytest.mark.parametrize(
    ("text", "lang", "expected", "kinds"),
    [
        ("Rappelez-moi au 06 12 34 56 78", "fr", "Rappelez-moi au [téléphone]", ("phone",)),
        ("Call me on +44 20 7946 0958", "en", "Call me on [phone]", ("phone",)),
        ("écrire à a.b@example.fr.", "fr", "écrire à [email].", ("email",)),
        ("carte 4111 1111 1111 1111 débitée", "fr", "carte [carte] débitée", ("card",)),
        ("card 4111-1111-1111-1111!", "en", "card [card]!", ("card",)),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 svp", "fr", "IBAN [IBAN] svp", ("iban",)),
        ("NIR 2 91 11 69 123 045 10", "fr", "NIR [NIR]", ("nir",)),
    ],
)
def test_placeholders_follow_the_language(
    text: str, lang: str, expected: str, kinds: tuple[str, ...]
) -> None:
    assert nir_valid("2", "91", "11", "69", "123", "045", "10")
    result = mask(text, lang)
    assert result.text == expected
    assert result.found == kinds


def test_checks_reject_numbers_of_the_right_shape_with_a_wrong_check() -> None:
    assert not luhn_valid("4111111111111112")
    assert mask_text("carte 4111 1111 1111 1112") == "carte 4111 1111 1111 1112"
    assert not iban_valid("FR76 3000 6000 0112 3456 7890 188")
    assert mask_text("FR76 3000 6000 0112 3456 7890 188") == "FR76 3000 6000 0112 3456 7890 188"
    assert mask_text("1 85 05 75 056 004 14") == "1 85 05 75 056 004 14"  # key 13 expected
    assert mask_text("1 85 05 75 056 004 13") == "[NIR]"
    # Corsica: 2A counts as 19, 2B as 18
    assert nir_valid("1", "72", "03", "2A", "004", "117", f"{97 - 1720319004117 % 97:02d}")
