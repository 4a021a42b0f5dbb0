"""Next best action: which touchpoint, after a partial path, best raises conversion.

Under the Markov chain fitted by :mod:`parcours.analytics.attribution` (order ``k``),
a partial path ``A > B`` leads to a current state (its last ``k``-tuple, repeats merged
as when fitting). Each candidate touchpoint ``X`` leads to the state of ``A > B > X``;
its score is that state's probability of eventually converting, and its **uplift** is
that probability minus the current state's. Candidates whose state never occurs in the
data are left out (the model knows nothing of them), and so are candidates that do not
change the state (``B`` after ``A > B`` at order 1).

Two kinds of candidates are not actions and are set aside in ``excluded`` with their
reason: the conversion event itself (``exclude``, e.g. ``checkout`` when touchpoints are
activities and ``checkout`` is the event that converts) and, on request (``absorbing``,
for touchpoints that are events), *absorbing* states, where every observed journey
converts at once and nothing ever follows (their probability is 1 because they are where
conversion is recorded, not a step towards it).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from parcours.analytics.markov import MarkovChain, path_states
from parcours.errors import BadData


@dataclass(frozen=True)
class Candidate:
    touchpoint: str
    p_conversion: float
    uplift: float
    transition_probability: float | None  # observed share of moves from the current state


@dataclass(frozen=True)
class NextBestAction:
    after: tuple[str, ...]
    order: int
    state: tuple[str, ...] | None
    p_conversion: float
    candidates: tuple[Candidate, ...]
    excluded: tuple[tuple[str, str], ...] = ()  # (touchpoint, "conversion" | "absorbing")

    def to_dict(self) -> dict[str, object]:
        return {
            "after": list(self.after),
            "order": self.order,
            "state": list(self.state) if self.state is not None else None,
            "p_conversion": self.p_conversion,
            "actions": [
                {
                    "touchpoint": c.touchpoint,
                    "p_conversion": c.p_conversion,
                    "uplift": c.uplift,
                    "transition_probability": c.transition_probability,
                }
                for c in self.candidates
            ],
            "excluded": [{"touchpoint": t, "reason": r} for t, r in self.excluded],
        }

    def table(self) -> ir.Table:
        """The ranked candidates as an Ibis table."""
        data = pa.table(
            {
                "rank": list(range(1, len(self.candidates) + 1)),
                "touchpoint": [c.touchpoint for c in self.candidates],
                "p_conversion": [c.p_conversion for c in self.candidates],
                "uplift": [c.uplift for c in self.candidates],
                "transition_probability": [c.transition_probability for c in self.candidates],
            },
            schema=pa.schema(
                [
                    ("rank", pa.int64()),
                    ("touchpoint", pa.string()),
                    ("p_conversion", pa.float64()),
                    ("uplift", pa.float64()),
                    ("transition_probability", pa.float64()),
                ]
            ),
        )
        return ibis.memtable(data)


def parse_path(text: str, sep: str = ">") -> list[str]:
    """``"A > B"`` → ``["A", "B"]`` (split on ``>``, spaces trimmed, empty parts dropped)."""
    return [p.strip() for p in text.split(sep) if p.strip()]


def next_best_action(
    chain: MarkovChain,
    after: Sequence[str],
    *,
    top: int | None = None,
    exclude: Collection[str] = (),
    absorbing: bool = False,
) -> NextBestAction:
    """Rank the next touchpoints after the partial path ``after``; ``exclude``: the
    touchpoints that are the conversion itself (never proposed); ``absorbing``: leave
    out the states where every journey converts at once (when touchpoints are events,
    that is where conversion is recorded)."""
    after = tuple(after)
    known = chain.channels
    unknown = [ch for ch in after if ch not in known]
    if unknown:
        raise BadData(
            f"touchpoint {unknown[0]!r} never appears in the data; known touchpoints: {', '.join(sorted(known))}"
        )
    p_now = chain.probability_after(after)
    states = path_states(after, chain.order)
    state = states[-1] if states else None
    if p_now is None:
        raise BadData(
            f"the path {' > '.join(after)!r} ends in state {' > '.join(state or ())!r}, never seen in the data; "
            f"try a shorter path or a lower --order than {chain.order}"
        )
    q, _ = chain._matrices()
    short = len(after) < chain.order  # the current state is not known yet
    i_now = None if short else chain.index.get(state) if state is not None else 0
    w_now = chain.prefix_weight(after) if short else 0.0
    candidates = []
    excluded: list[tuple[str, str]] = []
    # states where every journey converts at once: the conversion itself, not a step
    converts_at_once = (
        (chain.counts.sum(axis=1) == 0) & (chain.to_null == 0) & (chain.to_conversion > 0)
    )
    for ch in known:
        nxt = path_states((*after, ch), chain.order)
        if state is not None and nxt[-1] == state:
            continue
        p = chain.probability_after((*after, ch))
        if p is None:
            continue
        j_next = chain.index.get(nxt[-1]) if len(after) + 1 >= chain.order else None
        if ch in exclude:
            excluded.append((ch, "conversion"))
            continue
        if absorbing and j_next is not None and converts_at_once[j_next]:
            excluded.append((ch, "absorbing"))
            continue
        trans: float | None = None
        if short:
            trans = chain.prefix_weight((*after, ch)) / w_now if w_now > 0 else None
        else:
            j = chain.index.get(nxt[-1])
            if i_now is not None and j is not None:
                trans = float(q[i_now, j])
        candidates.append(Candidate(ch, p, p - p_now, trans))
    candidates.sort(
        key=lambda c: (-c.p_conversion, -(c.transition_probability or 0.0), c.touchpoint)
    )
    if top is not None:
        candidates = candidates[:top]
    return NextBestAction(
        after, chain.order, state, p_now, tuple(candidates), tuple(sorted(excluded))
    )
