"""Throughput of the verbatim chain: masking, language, sentiment, themes (texts per second).

A deterministic corpus is made from the labelled comments of ``tests/data/voice`` (French
and English, each copy varied by a customer number and, one time in five, a phone number
or an e-mail address to mask), then timed in one process:

- each stage alone (mask, language, sentiment, themes) and the whole chain
  (:func:`parcours.voice.verbatims.analyze_texts`, suggestions off), in wall time and in
  CPU time of the process (steadier on a shared machine);
- suggested themes (TF-IDF + NMF) on the unthemed texts, separately;
- for reference, VADER's own ``SentimentIntensityAnalyzer`` on the English texts.

Usage: ``python bench/voice_bench.py [--n 50000] [--repeat 3] [--csv bench/data/verbatims.csv]``
(``--csv`` also writes the corpus for a whole-process run of ``parcours sentiment``).
Prints JSON; ``--out bench/results/voice.json`` keeps it. The load average is recorded.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "voice"


def corpus(n: int, seed: int = 42) -> list[str]:
    base: list[str] = []
    for name in ("heldout_fr", "heldout_en", "dev_fr", "dev_en"):
        with (DATA / f"{name}.csv").open(encoding="utf-8") as f:
            base += [row["text"] for row in csv.DictReader(f)]
    rng = random.Random(seed)
    texts = []
    for k in range(n):
        text = rng.choice(base)
        extra = rng.random()
        if extra < 0.1:
            text += f" Tél : 06 {rng.randint(10, 99)} {rng.randint(10, 99)} 45 67"
        elif extra < 0.2:
            text += f" Mail : client{k}@example.fr"
        else:
            text += f" (client {100000 + k})"
        texts.append(text)
    return texts


CPU: dict[str, float] = {}


def best_of(repeat: int, fn, name: str = "") -> float:  # type: ignore[no-untyped-def]
    """Best wall time of ``repeat`` runs; the best CPU time is kept in ``CPU[name]``."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if name:
        CPU[name] = min(cpu)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from parcours.voice.language import detect_language
    from parcours.voice.pii import mask_text
    from parcours.voice.sentiment import sentiment
    from parcours.voice.themes import load_themes, suggest_themes
    from parcours.voice.verbatims import analyze_texts

    load_before = os.getloadavg()
    texts = corpus(args.n)
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        with args.csv.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["id", "text"])
            writer.writerows((k, t) for k, t in enumerate(texts))
    # warm the lexicons, lemma caches and the language detector
    analyze_texts(texts[:2000], suggest=0)
    langs = [detect_language(t) for t in texts]
    themes = load_themes()
    n = len(texts)
    stages = {
        "mask": best_of(args.repeat, lambda: [mask_text(t) for t in texts], "mask"),
        "language": best_of(args.repeat, lambda: [detect_language(t) for t in texts], "language"),
        "sentiment": best_of(
            args.repeat,
            lambda: [sentiment(t, lg) for t, lg in zip(texts, langs, strict=True)],
            "sentiment",
        ),
        "themes": best_of(
            args.repeat,
            lambda: [themes.match(t, lg) for t, lg in zip(texts, langs, strict=True)],
            "themes",
        ),
        "whole chain": best_of(args.repeat, lambda: analyze_texts(texts, suggest=0), "whole chain"),
    }
    report = analyze_texts(texts, suggest=0)
    unthemed = [r for r in report.rows if not r.themes]
    start = time.perf_counter()
    suggest_themes([r.text for r in unthemed], [str(r.lang) for r in unthemed])
    suggest_seconds = time.perf_counter() - start

    english = [t for t, lg in zip(texts, langs, strict=True) if lg == "en"]
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    vader_seconds = best_of(args.repeat, lambda: [vader.polarity_scores(t) for t in english])
    ours_en = best_of(args.repeat, lambda: [sentiment(t, "en") for t in english])

    result = {
        "texts": n,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "seconds": {k: round(v, 3) for k, v in stages.items()},
        "texts_per_second": {k: round(n / v) for k, v in stages.items()},
        "cpu_seconds": {k: round(v, 3) for k, v in CPU.items()},
        "texts_per_cpu_second": {k: round(n / v) for k, v in CPU.items()},
        "suggest_themes": {"texts": len(unthemed), "seconds": round(suggest_seconds, 3)},
        "english_sentiment_vs_vader": {
            "texts": len(english),
            "parcours_per_second": round(len(english) / ours_en),
            "vader_per_second": round(len(english) / vader_seconds),
        },
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
