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
    words: dict[str, float]  # forms: the base lexicon's and ours
    negated: dict[str, float]  # valence of an expected action when negated
    phrases: dict[tuple[Element, ...], float]
    negators: frozenset[str]
    boosters: frozenset[str]
    dampeners: frozenset[str]
    contrast: frozenset[str]
    emoji: dict[str, float] = field(default_factory=dict)
    # our entries (lemmas), for the look-up by lemma: the base lexicons list word forms, and
    # a lemma can hit an unrelated form there ("handed" → "hand")
    lemmas: dict[str, float] = field(default_factory=dict)
    politeness: frozenset[str] = frozenset()  # not counted in a question or a request
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


@cache
def _vader_base() -> dict[str, float]:
    path = _package_file("vaderSentiment", "vader_lexicon.txt", "vadersentiment")
    words: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and _TOKEN.fullmatch(parts[0]):
            words[parts[0]] = float(parts[1])
    return words


_XML_WORD = re.compile(r'<word form="([^"]+)"[^>]*? polarity="(-?[\d.]+)"')


@cache
def _textblob_fr_base() -> dict[str, float]:
    path = _package_file("textblob_fr", "fr-sentiment.xml", "textblob-fr")
    stop = set(yaml.safe_load((DATA / "stopwords.yaml").read_text(encoding="utf-8"))["fr"])
    words: dict[str, float] = {}
    for form, polarity in _XML_WORD.findall(path.read_text(encoding="utf-8")):
        value = float(polarity)
        # weak entries and function words (« si », « tout ») are noise in short comments
        if abs(value) >= 0.2 and " " not in form and form.lower() not in stop:
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
    ours: dict[str, float] = {}
    phrases: dict[tuple[Element, ...], float] = {}
    for key, value in (extension.get("words") or {}).items():
        tokens = tokenize(str(key), lang)
        number = _number(value, f"words: {key}")
        if len(tokens) == 1:
            words[tokens[0]] = ours[tokens[0]] = number
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
        lemmas=ours,
        politeness=words_of("politeness"),
    )


MAP_KEYS = ("words", "negated", "phrases")
LIST_KEYS = ("negators", "boosters", "dampeners", "contrast", "politeness")


@cache
def _shipped_extension(lang: str) -> dict[str, Any]:
    if lang not in LANGUAGES:
        raise BadData(f"unknown language {lang!r}; expected one of: {', '.join(LANGUAGES)}")
    extension = yaml.safe_load((DATA / f"sentiment-{lang}.yaml").read_text(encoding="utf-8"))
    shared = yaml.safe_load((DATA / "emoji.yaml").read_text(encoding="utf-8"))
    return {**extension, "emoji": shared.get("emoji", {})}


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The shipped lexicon of ``lang`` (``fr`` or ``en``), built once per process."""
    extension = _shipped_extension(lang)
    base = _vader_base() if lang == "en" else _textblob_fr_base()
    return build_lexicon(lang, extension, base)


def read_yaml_file(path: str | Path, what: str) -> tuple[Path, Any]:
    """The path and the data of a user's YAML file (a ``what`` file: lexicon, themes).

    Raises :class:`BadData` with the file (and line for YAML syntax) and the fix."""
    file = Path(path)
    if not file.is_file():
        raise BadData(f"{file}: no such {what} file; check the path")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{file.name}:{mark.line + 1}:{mark.column + 1}" if mark else file.name
        raise BadData(
            f"{where}: {getattr(exc, 'problem', None) or 'not valid YAML'}; fix the YAML syntax"
        ) from None
    except UnicodeDecodeError:
        raise BadData(f"{file.name}: not UTF-8 text; save it as UTF-8") from None
    return file, data


def read_lexicon_file(path: str | Path) -> tuple[str, dict[str, Any]]:
    """The language and entries of a user's lexicon file (the shipped files' format).

    Raises :class:`BadData` with the file (and line for YAML syntax) and the fix."""
    file, data = read_yaml_file(path, "lexicon")
    if not isinstance(data, dict) or data.get("language") not in LANGUAGES:
        raise BadData(
            f"{file.name}: expected a mapping with 'language: fr' or 'language: en' and "
            "entries under words, negated, phrases (see docs/voice.md)"
        )
    unknown = sorted(set(data) - {"language", *MAP_KEYS, *LIST_KEYS})
    if unknown:
        choices = ", ".join(["language", *MAP_KEYS, *LIST_KEYS])
        raise BadData(f"{file.name}: unknown field {unknown[0]!r}; expected one of: {choices}")
    for key in MAP_KEYS:
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise BadData(f"{file.name}: '{key}' must map words to valences (-4 … 4)")
        for word, value in (data.get(key) or {}).items():
            _number(value, f"{file.name}: {key}: {word}")
    for key in LIST_KEYS:
        if data.get(key) is not None and not isinstance(data[key], list):
            raise BadData(f"{file.name}: '{key}' must be a list of words")
    return str(data["language"]), data


def extended_lexicon(lang: str, additions: list[dict[str, Any]]) -> Lexicon:
    """The shipped lexicon of ``lang`` with a user's entries added (they win); a list
    (``negators``…) given by the user replaces the shipped one."""
    extension = dict(_shipped_extension(lang))
    for extra in additions:
        for key in MAP_KEYS:
            extension[key] = {**(extension.get(key) or {}), **(extra.get(key) or {})}
        for key in LIST_KEYS:
            if extra.get(key) is not None:
                extension[key] = list(extra[key])
    base = _vader_base() if lang == "en" else _textblob_fr_base()
    return build_lexicon(lang, extension, base)
