"""The voice of the demo's customers: survey answers (CSAT, NPS, CES) and French comments
for the touches of a generated :class:`~parcours.analytics.demo_data.DemoData`, drawn with
their own seed from the mood and theme of each touch (texts from
:mod:`parcours.analytics.demo_comments`)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from parcours.analytics.demo_comments import TOUCHPOINTS, comment

if TYPE_CHECKING:
    from parcours.analytics.demo_data import DemoData

SURVEY_SCORES = {  # mood → weights of CSAT 1..5, NPS 0..10, CES 1..7
    "neg": (
        (40, 30, 18, 8, 4),
        (14, 10, 12, 12, 12, 12, 10, 6, 6, 3, 3),
        (3, 4, 8, 12, 20, 25, 28),
    ),
    "neu": ((5, 12, 40, 30, 13), (2, 2, 3, 5, 6, 12, 14, 20, 18, 10, 8), (8, 14, 22, 26, 16, 9, 5)),
    "pos": ((2, 3, 8, 30, 57), (1, 1, 1, 1, 2, 3, 5, 12, 20, 26, 28), (35, 30, 17, 9, 5, 3, 1)),
}


VERBATIM_SHARE = 0.5  # of the touches: a comment (about 2,000 in the 50k-event demo)


def voice_rows(data: DemoData, seed: int) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The survey rows and the comment rows of the touches of ``data``."""
    rng = random.Random(seed + 1)
    surveys: list[tuple[str, ...]] = []
    verbatims: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for customer, case_id, t in data.touches:
        csat_w, nps_w, ces_w = SURVEY_SCORES[t.mood]
        at = t.at + timedelta(hours=rng.uniform(2, 30))
        csat = rng.choices(range(1, 6), csat_w)[0]
        nps = str(rng.choices(range(11), nps_w)[0]) if rng.random() < 0.5 else ""
        ces = str(rng.choices(range(1, 8), ces_w)[0]) if rng.random() < 0.4 else ""
        touchpoint = TOUCHPOINTS.get(t.step, "")
        surveys.append(
            (customer, case_id, t.step, touchpoint, f"{at:%Y-%m-%dT%H:%M:%SZ}", str(csat), nps, ces)
        )
        if rng.random() >= VERBATIM_SHARE:
            continue
        for _ in range(8):  # a new text when the combination was already drawn
            text = comment(rng, t.theme, t.mood)
            if text not in seen:
                break
        seen.add(text)
        verbatims.append(
            (customer, case_id, f"{at:%Y-%m-%d}", t.journey, t.step, t.channel, text, "fr")
        )
    return surveys, verbatims
