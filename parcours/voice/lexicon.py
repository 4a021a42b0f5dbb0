"""The sentiment lexicon of one language: word valences, phrases and the rules' word lists.

A :class:`Lexicon` is built from a base lexicon that a dependency ships in its wheel
(English: VADER's ``vader_lexicon.txt``, MIT; French: textblob-fr's ``fr-sentiment.xml``,
public domain) and our customer-service extension ``parcours/voice/data/sentiment-LANG.yaml``,
which wins over the base. Both are read from the installed packages' files, never
downloaded; the dependencies' Python modules are not imported.

Words are keys in lower case; a phrase is a tuple of *elements*: a word (matched on the
token or on its lemma), ``word*`` (a prefix) or ``*`` (a gap of 0 to 3 tokens).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parcours.errors import BadData, MissingExtra

LANGUAGES = ("fr", "en")
DATA = Path(__file__).parent / "data"
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_NOT = re.compile(r"n['’]t\b")
_CANNOT = re.compile(r"\bcannot\b")


def tokenize(text: str, lang: str) -> list[str]:
    """Lower-case word tokens; apostrophes split (``n'est`` → ``n``, ``est``), hyphenated
    words stay whole, and English ``n't`` becomes ``not``."""
    text = text.lower()
    if lang == "en":
        text = _CANNOT.sub("can not", _NOT.sub(" not", text))
    return _TOKEN.findall(text)


Element = str  # "word", "prefix*" or "*"


@dataclass
class Lexicon:
    """Everything the scorer needs for one language."""

    lang: str
    words: dict[str, float]
    negated: dict[str, float]  # valence of an expected action when negated
    phrases: dict[tuple[Element, ...], float]
    negators: frozenset[str]
    boosters: frozenset[str]
    dampeners: frozenset[str]
    contrast: frozenset[str]
    emoji: dict[str, float] = field(default_factory=dict)
    # phrases indexed by their first element (a word), and those starting with a prefix;
    # each entry says whether the phrase is plain words (no gap, no prefix)
    by_first: dict[str, list[tuple[tuple[Element, ...], float, bool]]] = field(default_factory=dict)
    by_prefix: list[tuple[tuple[Element, ...], float, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for phrase, value in self.phrases.items():
            plain = not any(e.endswith("*") for e in phrase)
            if phrase[0].endswith("*"):
                self.by_prefix.append((phrase, value, plain))
            else:
                self.by_first.setdefault(phrase[0], []).append((phrase, value, plain))
        for entries in self.by_first.values():  # longest first
            entries.sort(key=lambda e: -len(e[0]))


def _package_file(package: str, relative: str, extra_hint: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtra(
            f"the {package} package is not installed; it ships the base sentiment lexicon. "
            f"Install it with: pip install {extra_hint}"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise MissingExtra(f"{path}: the base lexicon file is missing; reinstall {extra_hint}")
    return path


def _vader_base() -> dict[str, float]:
    path = _package_file("vaderSentiment", "vader_lexicon.txt", "vadersentiment")
    words: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and _TOKEN.fullmatch(parts[0]):
            words[parts[0]] = float(parts[1])
    return words


_XML_WORD = re.compile(r'<word form="([^"]+)"[^>]*? polarity="(-?[\d.]+)"')


def _textblob_fr_base() -> dict[str, float]:
    path = _package_file("textblob_fr", "fr-sentiment.xml", "textblob-fr")
    words: dict[str, float] = {}
    for form, polarity in _XML_WORD.findall(path.read_text(encoding="utf-8")):
        value = float(polarity)
        if abs(value) >= 0.1 and " " not in form:
            # polarity −1…+1 onto the valence scale; the first entry of a form wins
            words.setdefault(form.lower(), round(value * 2.5, 3))
    return words


def _elements(phrase: str, lang: str) -> tuple[Element, ...]:
    out: list[Element] = []
    for part in phrase.split():
        if part == "*":
            out.append("*")
        elif part.endswith("*"):
            out.extend(tokenize(part[:-1], lang)[:-1])
            out.append(tokenize(part[:-1], lang)[-1] + "*")
        else:
            out.extend(tokenize(part, lang))
    return tuple(out)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadData(f"{where}: valence {value!r} is not a number; expected one in -4 … 4")
    if not -4 <= value <= 4:
        raise BadData(f"{where}: valence {value} is outside -4 … 4")
    return float(value)


def build_lexicon(lang: str, extension: dict[str, Any], base: dict[str, float]) -> Lexicon:
    """A :class:`Lexicon` from a base word list and an extension mapping (parsed YAML)."""
    words = dict(base)
    phrases: dict[tuple[Element, ...], float] = {}
    for key, value in (extension.get("words") or {}).items():
        tokens = tokenize(str(key), lang)
        number = _number(value, f"words: {key}")
        if len(tokens) == 1:
            words[tokens[0]] = number
        elif tokens:
            phrases[_elements(str(key), lang)] = number
    for key, value in (extension.get("phrases") or {}).items():
        elements = _elements(str(key), lang)
        if elements:
            phrases[elements] = _number(value, f"phrases: {key}")
    negated = {
        str(k).lower(): _number(v, f"negated: {k}")
        for k, v in (extension.get("negated") or {}).items()
    }

    def words_of(name: str) -> frozenset[str]:
        return frozenset(t for w in extension.get(name) or [] for t in tokenize(str(w), lang))

    emoji = {str(k): _number(v, f"emoji: {k}") for k, v in (extension.get("emoji") or {}).items()}
    return Lexicon(
        lang=lang,
        words=words,
        negated=negated,
        phrases=phrases,
        negators=words_of("negators"),
        boosters=words_of("boosters"),
        dampeners=words_of("dampeners"),
        contrast=words_of("contrast"),
        emoji=emoji,
    )


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The shipped lexicon of ``lang`` (``fr`` or ``en``), built once per process."""
    if lang not in LANGUAGES:
        raise BadData(f"unknown language {lang!r}; expected one of: {', '.join(LANGUAGES)}")
    extension = yaml.safe_load((DATA / f"sentiment-{lang}.yaml").read_text(encoding="utf-8"))
    shared = yaml.safe_load((DATA / "emoji.yaml").read_text(encoding="utf-8"))
    extension = {**extension, "emoji": shared.get("emoji", {})}
    base = _vader_base() if lang == "en" else _textblob_fr_base()
    return build_lexicon(lang, extension, base)
