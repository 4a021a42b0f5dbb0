"""The persona: a fictional typical customer, built from real customers and data."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from parcours.model.base import Id, Model, Name


class Market(StrEnum):
    b2c = "b2c"
    b2b = "b2b"


class Persona(Model):
    """A "fiche persona": identity, situation, channels, goals, needs and frustrations."""

    id: Id
    name: Name
    emoji: str | None = None
    picture: str | None = None
    market: Market = Market.b2c
    segment: str | None = None
    summary: str | None = None
    gender: str | None = None
    age_range: str | None = None
    occupation: str | None = None
    role: str | None = None
    company_size: str | None = None
    sector: str | None = None
    location: str | None = None
    family: str | None = None
    income: str | None = None
    education: str | None = None
    hobbies: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
    devices: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list)
    frustrations: list[str] = Field(default_factory=list)
    motivations: list[str] = Field(default_factory=list)
    objections: list[str] = Field(default_factory=list)
    search_behaviour: str | None = None
    quote: str | None = None
    sources: list[str] = Field(default_factory=list)
    attributes: dict[str, str] = Field(default_factory=dict)  # anything the team adds
