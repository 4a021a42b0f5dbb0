"""Sentiment of a customer comment: ``positive`` / ``neutral`` / ``negative`` and a score.

A rule-based scorer in the manner of VADER (Hutto & Gilbert, 2014), written here so that
French and English follow the same rules, run on the same lexicon format and stay fast:

1. the text is cut into clauses at punctuation and into lower-case word tokens;
2. phrases of the lexicon are matched first, on tokens or their lemmas (« toujours rien »,
   « raccroché au nez », "charged twice", "no complaints"); a phrase's valence replaces the
   words it covers, negation included (« rien à redire » is positive);
3. every other word gets its valence from the lexicon, looked up as written then by its
   simplemma lemma; a negator up to three words before it *in the same clause* flips and
   softens it (× −0.74); in French « ne » / « n' » negates the verb it frames
   (« ne fonctionne pas »). Words of an expected service (« répondre », "arrive") count
   only when negated (« personne ne m'a répondu », "never arrived");
4. boosters (très, vraiment, very…) and dampeners (un peu, slightly…) before a word raise
   or lower it; after « mais » / "but", words weigh 1.5×, before it 0.5×; each "!" (up to
   four) pushes the sum away from zero; a question ("?") weighs half, and its politeness
   words (merci, please…) none, as customers' questions and requests mostly carry no
   judgement;
5. the sum ``s`` becomes ``score = s / sqrt(s² + 15)`` in −1…+1; ``score >= THRESHOLD``
   is positive, ``<= -THRESHOLD`` negative, neutral between.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from parcours.voice.lexicon import Element, Lexicon, load_lexicon

THRESHOLD = 0.05
NEGATION = -0.74
BOOST = 0.293
EXCLAMATION = 0.292
ALPHA = 15.0
QUESTION = 0.5
LABELS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class Sentiment:
    """The sentiment of one text."""

    label: str  # positive | neutral | negative
    score: float  # −1 … +1


def label_of(score: float, threshold: float = THRESHOLD) -> str:
    if score >= threshold:
        return "positive"
    if score <= -threshold:
        return "negative"
    return "neutral"


_lemma_cache: dict[str, dict[str, str]] = {"fr": {}, "en": {}}


def lemma_function(lang: str) -> Callable[[str], str]:
    """A memoised simplemma lemmatiser for ``lang`` (imported on first use)."""
    import simplemma

    cache = _lemma_cache.setdefault(lang, {})

    def lemma(token: str) -> str:
        found = cache.get(token)
        if found is None:
            found = simplemma.lemmatize(token, lang).lower()
            if len(cache) < 500_000:
                cache[token] = found
        return found

    return lemma


def _match(
    phrase: tuple[Element, ...], tokens: list[str], lemmas: list[str], start: int, plain: bool
) -> int | None:
    """End index (exclusive) of ``phrase`` matched at ``start``, or None."""
    if plain:  # words only: no gap, no prefix
        end = start + len(phrase)
        if end > len(tokens):
            return None
        for k, element in enumerate(phrase, start):
            if tokens[k] != element and lemmas[k] != element:
                return None
        return end

    def walk(e: int, i: int) -> int | None:
        if e == len(phrase):
            return i
        element = phrase[e]
        if element == "*":
            for skip in range(0, 4):
                if i + skip > len(tokens):
                    break
                end = walk(e + 1, i + skip)
                if end is not None:
                    return end
            return None
        if i >= len(tokens):
            return None
        if element.endswith("*"):
            ok = tokens[i].startswith(element[:-1])
        else:
            ok = tokens[i] == element or lemmas[i] == element
        return walk(e + 1, i + 1) if ok else None

    return walk(0, start)


def _clause_valences(
    tokens: list[str], lemmas: list[str], lex: Lexicon, question: bool = False
) -> list[tuple[int, float]]:
    """(token index, valence) of the sentiment-bearing items of one clause."""
    n = len(tokens)
    out: list[tuple[int, float]] = []
    covered = [False] * n
    i = 0
    by_first, by_prefix = lex.by_first, lex.by_prefix
    while i < n:
        candidates = by_first.get(tokens[i])
        if lemmas[i] != tokens[i] and lemmas[i] in by_first:
            candidates = (candidates or []) + by_first[lemmas[i]]
        if by_prefix:
            candidates = (candidates or []) + by_prefix
        if not candidates:
            i += 1
            continue
        found = False
        for phrase, phrase_value, plain in candidates:
            end = _match(phrase, tokens, lemmas, i, plain)
            if end is not None and end > i:
                out.append((i, phrase_value))
                for k in range(i, end):
                    covered[k] = True
                i = end
                found = True
                break
        if not found:
            i += 1
    for i in range(n):
        if covered[i] or (question and tokens[i] in lex.politeness):
            continue
        token, lemma = tokens[i], lemmas[i]
        value: float | None = lex.words.get(token)
        if value is None:
            value = lex.lemmas.get(lemma)
        when_negated = lex.negated.get(token)
        if when_negated is None:
            when_negated = lex.negated.get(lemma)
        if value is None and when_negated is None:
            continue
        window = range(max(0, i - 3), i)
        negated = any(tokens[j] in lex.negators and not covered[j] for j in window)
        if negated:
            value = when_negated if when_negated is not None else (value or 0.0) * NEGATION
        elif value is None:
            continue
        if value == 0:
            continue
        for distance, j in enumerate(range(i - 1, max(-1, i - 4), -1)):
            scalar = BOOST * (1.0, 0.95, 0.9)[distance]
            if tokens[j] in lex.boosters:
                value += math.copysign(scalar, value)
            elif tokens[j] in lex.dampeners:
                value -= math.copysign(scalar, value)
        out.append((i, value))
    return out


_PIECES = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[.,;:!?…()\[\]\n\r\"«»]")
_NOT = re.compile(r"n['’]t\b")


def analyse_text(
    text: str, lex: Lexicon, lemma: Callable[[str], str]
) -> tuple[float, list[str], list[str]]:
    """The compound score of ``text`` in −1 … +1 under ``lex``, with its word tokens and
    their lemmas (for the themes, so that a text is cut and lemmatised once)."""
    lowered = text.lower()
    if lex.lang == "en" and ("n't" in lowered or "n’t" in lowered or "cannot" in lowered):
        lowered = _NOT.sub(" not", lowered).replace("cannot", "can not")
    items: list[tuple[int, float]] = []
    question = "?" in text
    contrast_at: int | None = None
    all_tokens: list[str] = []
    all_lemmas: list[str] = []
    clause: list[str] = []
    for piece in (*_PIECES.findall(lowered), "."):
        if piece[0].isalpha():
            clause.append(piece)
            continue
        if not clause:
            continue
        offset = len(all_tokens)
        if contrast_at is None:
            for k, token in enumerate(clause):
                if token in lex.contrast:
                    contrast_at = offset + k
                    break
        lemmas = [lemma(t) for t in clause]
        valences = _clause_valences(clause, lemmas, lex, question)
        items.extend((offset + i, v) for i, v in valences)
        all_tokens.extend(clause)
        all_lemmas.extend(lemmas)
        clause = []
    if lex.emoji and not text.isascii():
        for char, value in lex.emoji.items():
            if char in text:
                items.append((len(all_tokens), value * text.count(char)))
    if not items:
        return 0.0, all_tokens, all_lemmas
    total = 0.0
    for position, value in items:
        if contrast_at is not None:
            value *= 1.5 if position > contrast_at else 0.5
        total += value
    if question:  # a question or a request: its words weigh half
        total *= QUESTION
    if total and "!" in text:
        total += math.copysign(EXCLAMATION * min(text.count("!"), 4), total)
    return max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA))), all_tokens, all_lemmas


def score_text(text: str, lex: Lexicon, lemma: Callable[[str], str]) -> float:
    """The compound score of ``text`` in −1 … +1 under ``lex``."""
    return analyse_text(text, lex, lemma)[0]


class SentimentAnalyzer:
    """Scores texts in French and English with the shipped (or given) lexicons."""

    def __init__(self, lexicons: dict[str, Lexicon] | None = None) -> None:
        self._lexicons = dict(lexicons or {})
        self._lemmas: dict[str, Callable[[str], str]] = {}

    def lexicon(self, lang: str) -> Lexicon:
        if lang not in self._lexicons:
            self._lexicons[lang] = load_lexicon(lang)
        return self._lexicons[lang]

    def __call__(self, text: str, lang: str) -> Sentiment:
        return self.analyse(text, lang)[0]

    def analyse(self, text: str, lang: str) -> tuple[Sentiment, list[str], list[str]]:
        """The sentiment of ``text``, its word tokens and their lemmas."""
        lemma = self._lemmas.get(lang)
        if lemma is None:
            lemma = self._lemmas[lang] = lemma_function(lang)
        score, tokens, lemmas = analyse_text(text, self.lexicon(lang), lemma)
        score = round(score, 4)
        return Sentiment(label_of(score), score), tokens, lemmas


def sentiment(text: str, lang: str) -> Sentiment:
    """The sentiment of one ``text`` written in ``lang`` (``fr`` or ``en``)."""
    return _default()(text, lang)


_analyzer: SentimentAnalyzer | None = None


def _default() -> SentimentAnalyzer:
    global _analyzer
    if _analyzer is None:
        _analyzer = SentimentAnalyzer()
    return _analyzer
