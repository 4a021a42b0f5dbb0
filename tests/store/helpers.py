"""Small journeys and workloads shared by the store tests and the store benchmark."""

from __future__ import annotations

from parcours.model.items import LaneKind
from parcours.model.journey import Journey, Lane, Stage, Step


def small_journey(steps: int = 20, journey_id: str = "charge") -> Journey:
    """A journey with one stage of ``steps`` steps and an emotions lane (cheap to edit)."""
    return Journey(
        id=journey_id,
        title="0",
        stages=[
            Stage(
                id="s",
                name="Étape",
                steps=[Step(id=f"p{i}", name="0") for i in range(steps)],
            )
        ],
        lanes=[Lane(id="emotions", kind=LaneKind.emotions), Lane(id="notes", kind=LaneKind.notes)],
    )
