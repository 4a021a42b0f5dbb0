"""Themes of customer comments: seeded keyword lists, and suggestions from what none match.

:class:`ThemeSet` holds themes read from a YAML file (the shipped
``parcours/voice/data/themes.yaml`` or the user's): a key, a label per language and
keywords per language. :meth:`ThemeSet.match` tags a text with every theme one of whose
keywords it contains, compared on words and on their simplemma lemmas, so « livrée »
finds « livrer » and "parcels" finds "parcel".

:func:`suggest_themes` looks at the texts no theme matched and proposes new themes: TF-IDF
over their lemmas (stop words left out), factorised by NMF (scikit-learn, fixed seed, so
the same texts give the same suggestions), each with its top words and how many texts it
gathers. Both libraries are imported only there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parcours.errors import BadData
from parcours.voice.lexicon import DATA, LANGUAGES, read_yaml_file, tokenize
from parcours.voice.sentiment import lemma_function

Keyword = tuple[str, ...]  # words; the last may end with "*" (a prefix)


@dataclass(frozen=True)
class Theme:
    key: str
    labels: dict[str, str]
    keywords: dict[str, tuple[Keyword, ...]]  # per language

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or next(iter(self.labels.values()), self.key)


@dataclass
class ThemeSet:
    """Themes and their keyword index per language."""

    themes: list[Theme]
    source: str = "themes.yaml"
    _single: dict[str, dict[str, list[int]]] = field(default_factory=dict, repr=False)
    _multi: dict[str, dict[str, list[tuple[Keyword, int]]]] = field(
        default_factory=dict, repr=False
    )
    _prefixed: dict[str, list[tuple[Keyword, int]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for lang in LANGUAGES:
            single: dict[str, list[int]] = {}
            multi: dict[str, list[tuple[Keyword, int]]] = {}
            prefixed: list[tuple[Keyword, int]] = []
            for index, theme in enumerate(self.themes):
                for keyword in theme.keywords.get(lang, ()):
                    if keyword[0].endswith("*"):
                        prefixed.append((keyword, index))
                    elif len(keyword) == 1:
                        single.setdefault(keyword[0], []).append(index)
                    else:
                        multi.setdefault(keyword[0], []).append((keyword, index))
            self._single[lang] = single
            self._multi[lang] = multi
            self._prefixed[lang] = prefixed

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.themes]

    def match_tokens(self, tokens: Sequence[str], lemmas: Sequence[str], lang: str) -> list[str]:
        """Keys of the themes found in a tokenised text, in the order of the theme list."""
        found: set[int] = set()
        single = self._single.get(lang, {})
        multi = self._multi.get(lang, {})
        for i, (token, lemma) in enumerate(zip(tokens, lemmas, strict=True)):
            for word in (token, lemma) if lemma != token else (token,):
                hit = single.get(word)
                if hit:
                    found.update(hit)
                for keyword, index in multi.get(word, ()):
                    if index not in found and _at(keyword, tokens, lemmas, i):
                        found.add(index)
        for keyword, index in self._prefixed.get(lang, ()):
            if index not in found and any(
                _at(keyword, tokens, lemmas, i) for i in range(len(tokens))
            ):
                found.add(index)
        return [self.themes[i].key for i in sorted(found)]

    def match(self, text: str, lang: str) -> list[str]:
        """Keys of the themes ``text`` (in ``lang``) is about."""
        tokens = tokenize(text, lang)
        lemma = lemma_function(lang)
        return self.match_tokens(tokens, [lemma(t) for t in tokens], lang)


def _at(keyword: Keyword, tokens: Sequence[str], lemmas: Sequence[str], start: int) -> bool:
    """Whether ``keyword`` matches the tokens from ``start`` on (words or lemmas)."""
    if start + len(keyword) > len(tokens):
        return False
    for k, word in enumerate(keyword):
        token, lemma = tokens[start + k], lemmas[start + k]
        if word.endswith("*"):
            if not token.startswith(word[:-1]):
                return False
        elif word != token and word != lemma:
            return False
    return True


def _keyword(text: str, lang: str) -> Keyword:
    star = text.strip().endswith("*")
    words = tokenize(text, lang)
    if not words:
        return ()
    if star:
        return (*words[:-1], words[-1] + "*")
    return tuple(words)


def parse_themes(data: Any, source: str) -> ThemeSet:
    """A :class:`ThemeSet` from parsed YAML; :class:`BadData` names the theme and field."""
    if not isinstance(data, dict) or not isinstance(data.get("themes"), dict):
        raise BadData(
            f"{source}: expected a mapping 'themes:' of theme keys, each with 'label' and "
            "keyword lists 'fr' and/or 'en' (see docs/voice.md)"
        )
    themes: list[Theme] = []
    for key, spec in data["themes"].items():
        where = f"{source}: theme {key!r}"
        if not isinstance(spec, dict):
            raise BadData(f"{where}: expected a mapping with 'label', 'fr' and/or 'en'")
        unknown = set(spec) - {"label", *LANGUAGES}
        if unknown:
            raise BadData(
                f"{where}: unknown field {sorted(unknown)[0]!r}; expected one of: label, fr, en"
            )
        label = spec.get("label", key)
        labels = (
            {str(k): str(v) for k, v in label.items()}
            if isinstance(label, dict)
            else dict.fromkeys(LANGUAGES, str(label))
        )
        keywords: dict[str, tuple[Keyword, ...]] = {}
        for lang in LANGUAGES:
            words = spec.get(lang) or []
            if not isinstance(words, list) or not all(
                isinstance(w, str | int | float) for w in words
            ):
                raise BadData(f"{where}: '{lang}' must be a list of keywords")
            parsed = [_keyword(str(w), lang) for w in words]
            keywords[lang] = tuple(k for k in parsed if k)
        if not any(keywords.values()):
            raise BadData(f"{where}: no keywords; give a list under 'fr' or 'en'")
        themes.append(Theme(str(key), labels, keywords))
    if not themes:
        raise BadData(f"{source}: no themes")
    return ThemeSet(themes, source)


def load_themes(path: str | Path | None = None) -> ThemeSet:
    """The shipped themes, or those of the YAML file at ``path`` (which replace them)."""
    if path is None:
        return _shipped()
    file, data = read_yaml_file(path, "themes")
    return parse_themes(data, file.name)


@cache
def _shipped() -> ThemeSet:
    data = yaml.safe_load((DATA / "themes.yaml").read_text(encoding="utf-8"))
    return parse_themes(data, "themes.yaml")


@cache
def stopwords(lang: str) -> frozenset[str]:
    data = yaml.safe_load((DATA / "stopwords.yaml").read_text(encoding="utf-8"))
    return frozenset(str(w) for w in data.get(lang, []))


@dataclass(frozen=True)
class SuggestedTheme:
    """A group of unthemed texts that share words: a candidate new theme."""

    lang: str
    words: tuple[str, ...]  # the top words (lemmas), strongest first
    n_texts: int  # texts for which it is the strongest suggestion
    examples: tuple[int, ...]  # indexes of up to 3 of those texts, in input order

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "words": list(self.words),
            "n_texts": self.n_texts,
            "examples": list(self.examples),
        }


def suggest_themes(
    texts: Sequence[str],
    langs: Sequence[str],
    *,
    n_themes: int = 5,
    top_words: int = 6,
    min_texts: int = 20,
    seed: int = 0,
) -> list[SuggestedTheme]:
    """Candidate themes among ``texts`` (usually those no theme matched), per language.

    A language with fewer than ``min_texts`` texts gets none. The same inputs give the same
    suggestions (fixed ``seed``); ``examples`` are indexes into ``texts``.
    """
    out: list[SuggestedTheme] = []
    for lang in LANGUAGES:
        indexes = [i for i, lg in enumerate(langs) if lg == lang]
        if len(indexes) < min_texts:
            continue
        out.extend(
            _suggest_one(lang, [texts[i] for i in indexes], indexes, n_themes, top_words, seed)
        )
    return out


def _suggest_one(
    lang: str,
    texts: list[str],
    indexes: list[int],
    n_themes: int,
    top_words: int,
    seed: int,
) -> list[SuggestedTheme]:
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    lemma = lemma_function(lang)
    stop = stopwords(lang)
    docs = [
        " ".join(
            lm
            for t in tokenize(text, lang)
            if len(t) > 2 and (lm := lemma(t)) not in stop and t not in stop
        )
        for text in texts
    ]
    vectorizer = TfidfVectorizer(min_df=2, token_pattern=r"\S+", sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no word left after the document-frequency limits
        return []
    vocabulary = np.array(vectorizer.get_feature_names_out())
    k = min(n_themes, matrix.shape[0] - 1, matrix.shape[1] - 1)
    if k < 1:
        return []
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=400)
    with warnings.catch_warnings():
        # near-identical texts leave NMF short of its tolerance; the top words are still
        # the right ones, and the result is deterministic
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    strongest = weights.argmax(axis=1)
    has_weight = weights.max(axis=1) > 0
    suggestions: list[SuggestedTheme] = []
    for component in range(k):
        order = np.argsort(-model.components_[component], kind="stable")[:top_words]
        words = tuple(str(vocabulary[j]) for j in order if model.components_[component][j] > 0)
        members = [i for i in range(len(texts)) if has_weight[i] and strongest[i] == component]
        if not words or not members:
            continue
        suggestions.append(
            SuggestedTheme(lang, words, len(members), tuple(indexes[i] for i in members[:3]))
        )
    suggestions.sort(key=lambda s: (-s.n_texts, s.words))
    return suggestions
