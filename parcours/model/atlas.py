"""The atlas: a workspace's personas, journeys and shared library."""

from __future__ import annotations

from pydantic import ConfigDict, Field, ValidationInfo, model_validator

from parcours.model import words
from parcours.model.base import Currency, Id, Model, Name
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.persona import Persona
from parcours.model.views import Drawable


class Atlas(Drawable, Model):
    """All the journeys of a workspace, with their personas and the shared library."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    id: Id = "workspace"
    name: Name = "Workspace"
    description: str | None = None
    lang: str | None = None
    currency: Currency | None = None
    personas: list[Persona] = Field(default_factory=list)
    library: Library = Field(default_factory=Library)
    journeys: list[Journey] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_invariants(self, info: ValidationInfo) -> Atlas:
        if info.context and info.context.get("defer_checks"):
            return self
        from parcours.model.errors import InvalidJourney
        from parcours.model.validation import atlas_problems

        errors = [p for p in atlas_problems(self) if p.severity == "error"]
        if errors:
            raise InvalidJourney(errors)
        return self

    def language(self) -> str:
        """The language of the workspace's words: its ``lang``, else the first one its
        journeys give, else the one its first journey's text is written in."""
        given = [self.lang, *(j.lang for j in self.journeys)]
        if any(given) or not self.journeys:
            return words.language(*given)
        return self.journeys[0].language()

    def journey(self, journey_id: str) -> Journey:
        for journey in self.journeys:
            if journey.id == journey_id:
                return journey
        from parcours.model.errors import NotFound, noun

        ids = ", ".join(j.id for j in self.journeys)
        raise NotFound.of("no_such.expected", kind=noun("journey"), wanted=journey_id, ids=ids)

    def standalone(self, journey_id: str) -> Journey:
        """A journey that stands alone: it carries the workspace's channels, touchpoints and
        KPI definitions it uses (its own definitions win), and the workspace's language and
        currency when it has none, so it can be saved, edited, rendered and validated as a single file."""
        journey = self.journey(journey_id)
        if journey.lang is None and self.lang is not None:
            journey = journey.model_copy(update={"lang": self.lang})
        if journey.currency is None and self.currency is not None:
            journey = journey.model_copy(update={"currency": self.currency})
        library = journey.library.completed_from(self.library, journey)
        if library is journey.library:
            return journey
        return journey.model_copy(update={"library": library})

    def persona(self, persona_id: str) -> Persona:
        for persona in self.personas:
            if persona.id == persona_id:
                return persona
        from parcours.model.errors import NotFound, noun

        ids = ", ".join(p.id for p in self.personas)
        raise NotFound.of("no_such.expected", kind=noun("persona"), wanted=persona_id, ids=ids)

    def touchpoint_names(self, journey: Journey | None = None) -> dict[str, str]:
        """Touchpoint id → name, from the workspace library and a journey's own."""
        names = {t.id: t.name for t in self.library.touchpoints}
        if journey is not None:
            names.update({t.id: t.name for t in journey.library.touchpoints})
        return names
