"""The built-in templates and the demo workspace shipped inside the package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from parcours.errors import NotFound
from parcours.model.atlas import Atlas

LANGS = ("fr", "en")


@dataclass(frozen=True)
class Template:
    id: str
    lang: str
    title: str
    description: str
    path: Path
    linear: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "lang": self.lang,
            "title": self.title,
            "description": self.description,
            "linear": self.linear,
        }


def _folder() -> Path:
    return Path(str(resources.files("parcours") / "templates"))


def demo_path() -> Path:
    """The folder of the demo workspace (French)."""
    return Path(str(resources.files("parcours") / "examples" / "demo"))


def load_demo() -> Atlas:
    from parcours.files import load_atlas

    return load_atlas(demo_path())


@cache
def templates() -> tuple[Template, ...]:
    """Every built-in template, in both languages, sorted by id then language."""
    from parcours.files import load_atlas

    out = []
    for path in sorted(_folder().glob("*.yaml")):
        stem, _, lang = path.stem.rpartition(".")
        if lang not in LANGS:
            continue
        atlas = load_atlas(path)
        journey = atlas.journeys[0]
        out.append(
            Template(
                stem,
                lang,
                journey.title,
                atlas.description or journey.description or "",
                path,
                journey.is_linear(),
            )
        )
    return tuple(sorted(out, key=lambda t: (t.id, LANGS.index(t.lang))))


def template(template_id: str, lang: str = "fr") -> Template:
    for t in templates():
        if t.id == template_id and t.lang == lang:
            return t
    ids = sorted({t.id for t in templates()})
    if template_id in ids:
        langs = [t.lang for t in templates() if t.id == template_id]
        raise NotFound(
            f"template '{template_id}' has no '{lang}' version; expected one of: {', '.join(langs)}"
        )
    raise NotFound(
        f"no template '{template_id}'; expected one of: {', '.join(ids)} (see 'parcours templates')"
    )


def new_from_template(template_id: str, lang: str = "fr") -> Atlas:
    """A fresh workspace from a template: its personas, library and journey (as a draft)."""
    from parcours.files import load_atlas

    atlas = load_atlas(template(template_id, lang).path)
    from parcours.model.journey import Status

    journeys = [j.model_copy(update={"status": Status.draft}) for j in atlas.journeys]
    return atlas.model_copy(update={"journeys": journeys})
