"""Personal data is masked in every string that has some, and ordinary numbers are kept."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Property tests: ordinary numbers of every usual shape stay; checked numbers always go.


@st.composite
def ordinary_numbers(draw: st.DrawFn) -> str:
    day, month, year = (
        draw(st.integers(1, 28)),
        draw(st.integers(1, 12)),
        draw(st.integers(1990, 2030)),
    )
    euros = draw(st.integers(0, 999_999))
    thousands = f"{euros:,}".replace(",", " ")
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    order = draw(st.integers(0, 999_999))
    choices = [
        f"le {day:02d}/{month:02d}/{year}",
        f"on {year}-{month:02d}-{day:02d}",
        f"{thousands},{draw(st.integers(0, 99)):02d} €",
        f"${euros:,}.{draw(st.integers(0, 99)):02d}",
        f"à {hour:02d}:{minute:02d}",
        f"à {hour}h{minute:02d}",
        f"commande CMD-{year}-{order:06d}",
        f"order #{order}",
        f"{draw(st.integers(1000, 99999)):05d} Lyon",
        f"{draw(st.integers(1, 500))} x {draw(st.integers(1, 999))} g",
    ]
    return " ".join(draw(st.lists(st.sampled_from(choices), min_size=1, max_size=4)))


@settings(max_examples=300, deadline=None)
@given(ordinary_numbers())
def test_ordinary_numbers_are_never_masked(text: str) -> None:
    assert mask_text(text) == text


def _luhn_complete(prefix: str, length: int, body: str) -> str:
    partial = (prefix + body)[: length - 1]
    for check in "0123456789":
        if luhn_valid(partial + check):
            return partial + check
    raise AssertionError


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["4", "51", "55", "2221", "6011"]),
    st.text("0123456789", min_size=20, max_size=20),
    st.sampled_from([" ", "-", ""]),
)
def test_every_valid_card_number_is_masked(prefix: str, body: str, sep: str) -> None:
    number = _luhn_complete(prefix, 16, body)
    written = sep.join(number[i : i + 4] for i in range(0, 16, 4))
    assert mask_text(f"Ma carte {written} a été débitée.") == "Ma carte [carte] a été débitée."


@settings(max_examples=200, deadline=None)
@given(st.text("0123456789", min_size=23, max_size=23))
def test_every_valid_french_iban_is_masked(bban: str) -> None:
    check = 98 - int("".join(str(int(c, 36)) for c in bban + "FR00")) % 97
    iban = f"FR{check:02d}{bban}"
    assert iban_valid(iban)
    spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    assert mask_text(f"IBAN {spaced} merci", "en") == "IBAN [IBAN] merci"
    assert mask_text(f"IBAN {iban}.", "en") == "IBAN [IBAN]."
