"""Markov-chain attribution solved exactly as an absorbing chain.

The chain follows ChannelAttribution's construction (see ``docs/attribution.md``):

* a path is a sequence of channels (touchpoints); with order ``k`` its states are the
  sliding windows of ``k`` consecutive channels, or the whole path when it is shorter
  than ``k``; identical consecutive states are merged (``A > A > B`` is ``A > B`` at
  order 1), as ChannelAttribution does;
* every path adds its weight (conversions + nulls) to ``(start) -> s1 -> … -> sn`` and
  its conversions to ``sn -> (conversion)`` and its nulls to ``sn -> (null)``;
* transition probabilities are the row-normalised counts.

Conversion probabilities are solved with the fundamental matrix (a linear solve of
``(I - Q) x = r``), not by simulation. Removing a channel sends every state that
contains it to ``(null)``.

This module is linear algebra on a small, already aggregated table of paths: it runs
in numpy, not in Ibis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from parcours.errors import BadData

START = "(start)"
CONVERSION = "(conversion)"
NULL = "(null)"

State = tuple[str, ...]

#: The most states (observed k-tuples) a chain may have: its matrices are dense.
MAX_STATES = 5_000


def path_states(path: Sequence[str], order: int) -> list[State]:
    """The states a path visits under a Markov chain of ``order``.

    Windows of ``order`` consecutive channels (the whole path when shorter), with
    identical consecutive states merged.
    """
    if order < 1:
        raise BadData(f"Markov order must be >= 1, got {order}; use --order 1 or more")
    channels = list(path)
    if not channels:
        return []
    if len(channels) < order:
        windows: list[State] = [tuple(channels)]
    else:
        windows = [tuple(channels[i : i + order]) for i in range(len(channels) - order + 1)]
    states: list[State] = []
    for state in windows:
        if not states or states[-1] != state:
            states.append(state)
    return states


@dataclass(frozen=True)
class MarkovResult:
    """What a fitted chain says about each channel.

    ``removal_effects`` is ``1 - p(conversion without the channel) / p(conversion)``;
    ``conversions`` and ``value`` share the total conversions and value in proportion
    to the removal effects (conversion-based and value-based respectively).
    """

    order: int
    p_conversion: float
    total_conversions: float
    total_value: float | None
    removal_effects: dict[str, float]
    conversions: dict[str, float]
    removal_effects_value: dict[str, float] | None = None
    value: dict[str, float] | None = None
    max_steps: int | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "order": self.order,
            "max_steps": self.max_steps,
            "p_conversion": self.p_conversion,
            "removal_effects": self.removal_effects,
            "conversions": self.conversions,
            "value": self.value if self.value is not None else {},
        }
        if self.removal_effects_value is not None:
            out["removal_effects_value"] = self.removal_effects_value
        return out


@dataclass
class MarkovChain:
    """An absorbing Markov chain fitted on aggregated paths.

    Transient states are ``(start)`` (index 0) and the observed k-tuples; the two
    absorbing states are ``(conversion)`` and ``(null)``.
    """

    order: int
    states: list[State]  # transient states; states[0] == (START,)
    counts: np.ndarray  # (n, n) transient -> transient transition counts
    to_conversion: np.ndarray  # (n,) transient -> (conversion) counts
    to_null: np.ndarray  # (n,) transient -> (null) counts
    conversion_value: np.ndarray  # (n,) value of conversions whose last state is i
    total_conversions: float
    total_value: float | None
    index: dict[State, int] = field(default_factory=dict)
    longest: int = 0  # states in the longest path

    # ----------------------------------------------------------------- building
    @classmethod
    def fit(
        cls,
        paths: Iterable[Sequence[str]],
        conversions: Iterable[float],
        nulls: Iterable[float],
        values: Iterable[float] | None = None,
        *,
        order: int = 1,
    ) -> MarkovChain:
        """Count transitions of the paths (each weighted by its conversions + nulls)."""
        index: dict[State, int] = {(START,): 0}
        states: list[State] = [(START,)]
        edges: dict[tuple[int, int], float] = {}
        conv: dict[int, float] = {}
        null: dict[int, float] = {}
        value: dict[int, float] = {}
        conv_terms: list[float] = []
        value_terms: list[float] = []
        longest = 0
        value_iter = iter(values) if values is not None else None
        for path, c, n in zip(paths, conversions, nulls, strict=True):
            v = float(next(value_iter)) if value_iter is not None else 0.0
            c = float(c)
            n = float(n)
            if c < 0 or n < 0:
                raise BadData(
                    f"path {' > '.join(path)!r} has negative counts (conversions {c}, nulls {n}); counts must be >= 0"
                )
            conv_terms.append(c)
            value_terms.append(v)
            weight = c + n
            visited = path_states(path, order)
            # ChannelAttribution counts steps as states + 1 (+ 2 for a path of weight 0)
            longest = max(longest, len(visited) + (1 if weight == 0 else 0))
            if weight == 0:
                continue
            prev = 0
            for state in visited:
                i = index.get(state)
                if i is None:
                    i = index[state] = len(states)
                    states.append(state)
                edges[(prev, i)] = edges.get((prev, i), 0.0) + weight
                prev = i
            if c > 0:
                conv[prev] = conv.get(prev, 0.0) + c
                value[prev] = value.get(prev, 0.0) + v
            if n > 0:
                null[prev] = null.get(prev, 0.0) + n
        size = len(states)
        if size - 1 > MAX_STATES:
            raise BadData(
                f"the Markov chain of order {order} has {size - 1:,} states, over the "
                f"{MAX_STATES:,} an exact solution can hold (dense {size:,} × {size:,} "
                "matrices); lower --order, or choose fewer touchpoints (--by channel)"
            )
        counts = np.zeros((size, size))
        for (i, j), w in edges.items():
            counts[i, j] = w
        to_conv = np.zeros(size)
        to_null = np.zeros(size)
        conv_value = np.zeros(size)
        for i, w in conv.items():
            to_conv[i] = w
        for i, w in null.items():
            to_null[i] = w
        for i, w in value.items():
            conv_value[i] = w
        total_conv = math.fsum(conv_terms)
        total_value = math.fsum(value_terms)
        if total_conv <= 0:
            raise BadData(
                "no path converts (all conversions are 0); attribution needs at least one converting path"
            )
        return cls(
            order=order,
            states=states,
            counts=counts,
            to_conversion=to_conv,
            to_null=to_null,
            conversion_value=conv_value,
            total_conversions=total_conv,
            total_value=total_value if values is not None else None,
            index=index,
            longest=longest,
        )

    # ------------------------------------------------------------------ algebra
    @property
    def channels(self) -> list[str]:
        """Every channel that appears in a state, in order of first appearance."""
        seen: dict[str, None] = {}
        for state in self.states[1:]:
            for ch in state:
                seen.setdefault(ch, None)
        return list(seen)

    def _matrices(self) -> tuple[np.ndarray, np.ndarray]:
        """Row-normalised ``Q`` (transient -> transient) and ``r`` (-> conversion)."""
        totals = self.counts.sum(axis=1) + self.to_conversion + self.to_null
        safe = np.where(totals > 0, totals, 1.0)
        q = self.counts / safe[:, None]
        r = self.to_conversion / safe
        return q, r

    def _removed_mask(self, channel: str | None) -> np.ndarray:
        mask = np.zeros(len(self.states), dtype=bool)
        if channel is not None:
            for i, state in enumerate(self.states[1:], start=1):
                if channel in state:
                    mask[i] = True
        return mask

    def conversion_probabilities(self, removed: str | None = None) -> np.ndarray:
        """Probability of absorbing in ``(conversion)`` from every transient state.

        With ``removed``, every state containing that channel goes to ``(null)``.
        Solves ``(I - Q) x = r`` exactly (LU factorisation).
        """
        q, r = self._matrices()
        mask = self._removed_mask(removed)
        if mask.any():
            q = q.copy()
            r = r.copy()
            q[mask, :] = 0.0
            r[mask] = 0.0
        a = np.eye(len(self.states)) - q
        return np.asarray(np.linalg.solve(a, r))

    def p_start(
        self,
        removed: str | None = None,
        *,
        max_steps: int | None = None,
        weights: np.ndarray | None = None,
    ) -> float:
        """Probability of converting from ``(start)`` (value-weighted with ``weights``).

        ``max_steps=None``: the absorbing chain, solved exactly. ``max_steps=M``: walks that
        have not converted after visiting ``M`` states count as null (ChannelAttribution's
        truncation of simulated paths), solved exactly by ``h_0 = r``,
        ``h_m = r + Q h_(m-1)``, ``p = h_M[start]``.
        """
        _, r = self._matrices()
        rhs = r if weights is None else r * weights
        return float(self._solve_start(removed, max_steps, rhs[:, None])[0])

    def _solve_start(
        self, removed: str | None, max_steps: int | None, rhs: np.ndarray
    ) -> np.ndarray:
        """Absorption values from ``(start)`` for each column of ``rhs`` (rewards of the
        transitions to ``(conversion)``), with the states containing ``removed`` sent to
        ``(null)``: they are dropped from the system, their value being 0."""
        q, _ = self._matrices()
        keep = ~self._removed_mask(removed)
        qk = q[np.ix_(keep, keep)]
        bk = rhs[keep]
        if max_steps is None:
            x = np.linalg.solve(np.eye(qk.shape[0]) - qk, bk)
        else:
            x = bk.copy()
            for _ in range(max_steps):
                nxt = bk + qk @ x
                if np.array_equal(nxt, x):  # a fixed point: further steps change nothing
                    break
                x = nxt
        return np.asarray(x[0])  # (start) is never removed and stays first

    @property
    def mean_conversion_value(self) -> np.ndarray:
        """Mean value per conversion of the observed paths that convert from each state.

        A simulated conversion from state ``s`` is worth a value drawn from those paths
        (ChannelAttribution); its expectation is this mean.
        """
        return np.divide(
            self.conversion_value,
            self.to_conversion,
            out=np.zeros_like(self.conversion_value),
            where=self.to_conversion > 0,
        )

    def auto_max_steps(self) -> int:
        """ChannelAttribution's default ``max_step``: the longest path, in states, plus one."""
        return self.longest + 1

    def attribution(self, *, max_steps: int | None = None) -> MarkovResult:
        """Removal effects and attributed conversions / value for every channel.

        ``max_steps`` truncates walks as ChannelAttribution's simulation does (see
        :meth:`p_start`); the default is the exact absorbing chain.
        """
        _, r = self._matrices()
        with_value = self.total_value is not None
        rhs = np.column_stack([r, r * self.mean_conversion_value]) if with_value else r[:, None]
        base = self._solve_start(None, max_steps, rhs)
        p = float(base[0])
        channels = self.channels
        removal: dict[str, float] = {}
        removal_value: dict[str, float] | None = {} if with_value else None
        for ch in channels:
            without = self._solve_start(ch, max_steps, rhs)
            removal[ch] = 1.0 - float(without[0]) / p if p > 0 else 0.0
            if removal_value is not None:
                v0 = float(base[1])
                removal_value[ch] = 1.0 - float(without[1]) / v0 if v0 > 0 else 0.0
        conversions = _share(removal, self.total_conversions)
        value = (
            _share(removal_value, self.total_value)
            if removal_value is not None and self.total_value is not None
            else None
        )
        return MarkovResult(
            order=self.order,
            p_conversion=p,
            total_conversions=self.total_conversions,
            total_value=self.total_value,
            removal_effects=removal,
            conversions=conversions,
            removal_effects_value=removal_value,
            value=value,
            max_steps=max_steps,
        )

    # ---------------------------------------------------------- next best action
    @cached_property
    def base_probabilities(self) -> np.ndarray:
        """Conversion probability from every transient state, nothing removed (cached)."""
        return self.conversion_probabilities()

    def _start_distribution(self, prefix: Sequence[str]) -> list[tuple[int, float]]:
        """States reachable from ``(start)`` whose channels begin with ``prefix``."""
        q, _ = self._matrices()
        out = []
        k = len(prefix)
        for j in np.nonzero(q[0])[0]:
            state = self.states[int(j)]
            if tuple(state[:k]) == tuple(prefix):
                out.append((int(j), float(q[0, j])))
        return out

    def prefix_weight(self, prefix: Sequence[str]) -> float:
        """Probability that the first state from ``(start)`` begins with ``prefix``."""
        return sum(w for _, w in self._start_distribution(prefix))

    def probability_after(self, path: Sequence[str]) -> float | None:
        """Conversion probability once ``path`` has been walked, ``None`` if unseen.

        When the path is shorter than the order, the current state is not yet known:
        the probability is averaged over the observed first states that extend it,
        weighted by their probability from ``(start)``.
        """
        x = self.base_probabilities
        if not path:
            return float(x[0])
        if len(path) >= self.order:
            states = path_states(path, self.order)
            i = self.index.get(states[-1])
            return None if i is None else float(x[i])
        options = self._start_distribution(path)
        weight = sum(w for _, w in options)
        if weight == 0:
            return None
        return sum(w * float(x[j]) for j, w in options) / weight

    def current_state(self, path: Sequence[str]) -> State | None:
        states = path_states(path, self.order)
        return states[-1] if states else None


def _share(effects: dict[str, float], total: float) -> dict[str, float]:
    """Total shared in proportion to the effects (ChannelAttribution's normalisation)."""
    s = sum(effects.values())
    if s <= 0:
        return dict.fromkeys(effects, 0.0)
    return {ch: e / s * total for ch, e in effects.items()}
