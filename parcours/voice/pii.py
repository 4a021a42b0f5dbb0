"""Mask personal data in free text before it is stored or shown.

What is masked, in this order (each kind is checked, not just shaped):

========================  ====================================  ============================
kind                      recognised when                       placeholder (fr / en)
========================  ====================================  ============================
e-mail address            ``name@domain.tld``                   ``[email]``
French social security    13 digits + 2-digit key (spaces ok),  ``[NIR]``
number (NIR)              sex 1/2, month 01–12 or 20–99, key
                          = 97 − (number mod 97), Corsica 2A/2B
IBAN                      2 letters, 2 check digits, 11–30      ``[IBAN]``
                          letters/digits (spaces ok), ISO 13616
                          mod-97 check = 1
payment card              13–19 digits in groups of 4 (or       ``[carte]`` / ``[card]``
                          Amex 4-6-5, or unbroken), first digit
                          2–6, Luhn check
phone number              French ``06 12 34 56 78``, ``+33 6…``,  ``[téléphone]`` / ``[phone]``
                          ``0033 6…``; international ``+`` and
                          8–15 digits (E.164); US ``(555) 123-4567``,
                          ``555-123-4567``, ``+1 …``; UK ``07700 900123``
========================  ====================================  ============================

Prices (``1 299,00 €``), dates (``03/12/2026``), times, order numbers
(``CMD-2026-000123``), postcodes and quantities are left as they are: the patterns need
the separators of phone numbers, and the long digit runs must pass their check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

PLACEHOLDERS = {
    "fr": {
        "email": "[email]",
        "nir": "[NIR]",
        "iban": "[IBAN]",
        "card": "[carte]",
        "phone": "[téléphone]",
    },
    "en": {
        "email": "[email]",
        "nir": "[NIR]",
        "iban": "[IBAN]",
        "card": "[card]",
        "phone": "[phone]",
    },
}

#: Every placeholder, to leave them out of what is scored or themed.
PLACEHOLDER = re.compile(
    "|".join(re.escape(v) for v in sorted({v for m in PLACEHOLDERS.values() for v in m.values()}))
)

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])"
)
# sex, year, month, department (2 digits or 2A/2B), commune, order, key
_NIR = re.compile(
    r"(?<![\w])([12])[ .]?(\d{2})[ .]?(\d{2})[ .]?(\d{2}|2[AaBb])[ .]?(\d{3})[ .]?(\d{3})"
    r"[ .]?(\d{2})(?![\w])"
)
_IBAN = re.compile(r"(?<![\w])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30})")
_CARD = re.compile(
    r"(?<![\w.,/-])([2-6]\d{3}(?:[ -]?\d{4}){2}[ -]?\d{1,7}|3[47]\d{2}[ -]?\d{6}[ -]?\d{5})"
    r"(?![\w/-]|[.,]\d)"
)
_PHONE = re.compile(
    "|".join(
        (
            # French, national or with +33 / 0033 (the trunk 0 may appear in brackets)
            # (one separator throughout, so that digit groups of other numbers do not match)
            r"(?:(?:\+|00)33[ .-]?(?:\(0\)[ .-]?)?[1-9]|(?<![\d.,/-])\b0[1-9])"
            r"(?P<sep>[ .-]?)\d{2}(?:(?P=sep)\d{2}){3}(?![\d])",
            # international E.164: + country code and 7-14 more digits, spaced or not
            r"\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\d])",
            # North American: (555) 123-4567, 555-123-4567, 555.123.4567
            r"(?:\+?1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}",
            r"(?<![\w.,/+-])(?:\+?1[ .-])?\d{3}[.-]\d{3}[.-]\d{4}(?![\d])",
            # UK national: 07700 900123, 020 7946 0958
            r"\b0\d{4} \d{6}\b",
            r"\b0\d{2} \d{4} \d{4}\b",
        )
    )
)
_NON_DIGITS = re.compile(r"\D+")
_IBAN_LENGTHS = {
    "FR": 27, "DE": 22, "GB": 22, "ES": 24, "IT": 27, "BE": 16, "NL": 18, "CH": 21,
    "LU": 20, "PT": 25, "IE": 22, "AT": 20, "MC": 27, "PL": 28, "SE": 24, "DK": 18,
    "NO": 15, "FI": 18,
}  # fmt: off


def nir_valid(
    sex: str, year: str, month: str, dept: str, commune: str, order: str, key: str
) -> bool:
    """The key of a French social security number (NIR) matches its 13 digits."""
    if not (1 <= int(month) <= 12 or 20 <= int(month) <= 99):
        return False
    # Corsica: 2A counts as 19 and 2B as 18 in the key
    dept_number = {"2A": "19", "2B": "18"}.get(dept.upper(), dept)
    number = int(sex + year + month + dept_number + commune + order)
    return 97 - number % 97 == int(key)


def iban_valid(text: str) -> bool:
    """ISO 13616 check: letters to numbers, mod 97 == 1, and the country's length."""
    iban = text.replace(" ", "").upper()
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    if not 15 <= len(iban) <= 34 or not iban[2:4].isdigit():
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def _iban_in(match: str) -> int:
    """Length of the valid IBAN that starts ``match`` (which may run into the next
    word), or 0."""
    compact = match.replace(" ", "")
    expected = _IBAN_LENGTHS.get(compact[:2])
    lengths = [expected] if expected is not None else range(len(compact), 14, -1)
    for length in lengths:
        if length <= len(compact) and iban_valid(compact[:length]):
            seen = 0
            for end, char in enumerate(match, start=1):
                seen += char != " "
                if seen == length:
                    if end < len(match) and match[end] != " ":
                        break  # the IBAN would end inside a word
                    return end
    return 0


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _phone_digits_ok(match: str) -> bool:
    digits = re.sub(r"\D", "", match)
    return 8 <= len(digits) <= 15


def _iban_sub(label: str, found: list[str]) -> Callable[[re.Match[str]], str]:
    def sub(m: re.Match[str]) -> str:
        text = m.group(0)
        end = _iban_in(text)
        if not end:
            return text
        found.append("iban")
        return label + text[end:]

    return sub


@dataclass(frozen=True)
class Masked:
    """A text with its personal data replaced, and what kinds were found."""

    text: str
    found: tuple[str, ...]


def mask(text: str, lang: str = "fr") -> Masked:
    """``text`` with e-mail addresses, NIRs, IBANs, card and phone numbers replaced."""
    labels = PLACEHOLDERS.get(lang, PLACEHOLDERS["en"])
    found: list[str] = []

    def replace(
        kind: str, check: Callable[[re.Match[str]], bool]
    ) -> Callable[[re.Match[str]], str]:
        def sub(m: re.Match[str]) -> str:
            if not check(m):
                return m.group(0)
            found.append(kind)
            return labels[kind]

        return sub

    if "@" in text:
        text = _EMAIL.sub(replace("email", lambda m: True), text)
    if len(_NON_DIGITS.sub("", text)) < 8:  # every kind below has at least 8 digits
        return Masked(text, tuple(found))
    text = _NIR.sub(replace("nir", lambda m: nir_valid(*m.groups())), text)
    text = _IBAN.sub(_iban_sub(labels["iban"], found), text)
    text = _CARD.sub(
        replace(
            "card", lambda m: 13 <= len(d := re.sub(r"\D", "", m.group(1))) <= 19 and luhn_valid(d)
        ),
        text,
    )
    text = _PHONE.sub(replace("phone", lambda m: _phone_digits_ok(m.group(0))), text)
    return Masked(text, tuple(found))


def mask_text(text: str, lang: str = "fr") -> str:
    """``text`` with its personal data replaced by placeholders."""
    return mask(text, lang).text
