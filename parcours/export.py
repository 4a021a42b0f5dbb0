"""Every output of a map in one table: a format or a file suffix → its writer.

>>> from parcours.export import export, save
>>> svg = export(journey, "svg")                      # text formats give str
>>> png = export(journey, "png", scale=2)             # binary formats give bytes
>>> save(atlas, "map.xlsx", journey="onboarding")     # the suffix picks the format

The command line (``parcours export``, ``parcours render``), the Python API
(``journey.to_svg()``, ``journey.save_png()``…) and the server's twins all go through
:func:`export` and :func:`save`: a new format is one row of :data:`WRITERS`.

A workspace (:class:`~parcours.model.atlas.Atlas`) is exported as itself in YAML and
JSON; for a map format its journey is taken standing alone (``journey=`` picks it when
there are several), and the workspace's library and personas come with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from parcours.atomic import write_made
from parcours.limits import current_limits, env_name
from parcours.model.atlas import Atlas
from parcours.model.errors import InvalidArgument, NotFound, TooLarge
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.persona import Persona

if TYPE_CHECKING:
    from parcours.render.theme import Theme


class Format(StrEnum):
    """Every format a map (or a workspace's books) can be written in."""

    svg = "svg"
    png = "png"
    pdf = "pdf"
    xlsx = "xlsx"
    pptx = "pptx"
    md = "md"
    csv = "csv"
    json = "json"
    yaml = "yaml"
    personas = "personas"  # the persona cards of a workspace, as PDF
    atlas = "atlas"  # the whole atlas of a workspace, as PDF


@dataclass(frozen=True)
class Subject:
    """What a writer draws: a journey standing alone, with its workspace when it has one
    (the books of a workspace have no journey of their own: ``journey`` is None)."""

    journey: Journey | None
    atlas: Atlas | None
    library: Library | None
    personas: Sequence[Persona] | None

    @property
    def map(self) -> Journey:
        assert self.journey is not None, "a map format needs a journey"
        return self.journey


@dataclass(frozen=True)
class Options:
    """The options of every writer; each writer reads the ones it knows."""

    theme: Theme | str | None = None
    scale: float = 1.0
    max_width: int | None = None
    steps_per_page: int | None = None
    text_as_paths: bool = False
    width: float | None = None
    paper: str = "a3"  # the atlas' map pages: a3 or a4, landscape
    observed: Mapping[str, Any] | None = None  # compare's figures, drawn as badges


@dataclass(frozen=True)
class Writer:
    """One row of the table: a format, its suffixes, and the function that writes it."""

    format: Format
    suffixes: tuple[str, ...]
    binary: bool
    write: Callable[[Subject, Options], bytes | str]
    description: str
    whole_workspace: bool = False  # written from the workspace itself (books)


def _theme(options: Options) -> Theme | None:
    from parcours.render.theme import Theme, get_theme

    if options.theme is None or isinstance(options.theme, Theme):
        return options.theme
    return get_theme(options.theme)


def _svg(s: Subject, o: Options) -> str:
    from parcours.render import to_svg

    return to_svg(
        s.map,
        library=s.library,
        theme=_theme(o),
        personas=s.personas,
        text_as_paths=o.text_as_paths,
        width=o.width,
        observed=o.observed,
    )


def _png(s: Subject, o: Options) -> bytes:
    from parcours.render import to_png

    return to_png(
        s.map,
        scale=o.scale,
        max_width=o.max_width,
        library=s.library,
        theme=_theme(o),
        personas=s.personas,
        observed=o.observed,
    )


def _pdf(s: Subject, o: Options) -> bytes:
    from parcours.render import to_pdf

    return to_pdf(
        s.map,
        steps_per_page=o.steps_per_page,
        library=s.library,
        theme=_theme(o),
        personas=s.personas,
        observed=o.observed,
    )


def _xlsx(s: Subject, o: Options) -> bytes:
    from parcours.render.office.writer import xlsx_bytes

    return xlsx_bytes(s.map, library=s.library, atlas=s.atlas)


def _pptx(s: Subject, o: Options) -> bytes:
    from parcours.render.pptx import pptx_bytes

    return pptx_bytes(s.map, library=s.library, atlas=s.atlas)


def _md(s: Subject, o: Options) -> str:
    from parcours.render.markdown import to_markdown

    return to_markdown(s.map, s.library, s.personas)


def _csv(s: Subject, o: Options) -> str:
    from parcours.render.csvexport import to_csv

    return to_csv(s.map, s.library)


def _document(fmt: str) -> Callable[[Subject, Options], str]:
    def write(s: Subject, o: Options) -> str:
        from parcours.files import dumps

        journey = s.map
        if s.library is not None:  # a journey file that stands alone: the library comes along
            journey = journey.model_copy(update={"library": s.library.merged(journey.library)})
        return dumps(journey, fmt)

    return write


def _personas(s: Subject, o: Options) -> bytes:
    from parcours.render.pdf.personas import personas_pdf

    assert s.atlas is not None
    return personas_pdf(s.atlas)


def _atlas(s: Subject, o: Options) -> bytes:
    from parcours.render.pdf.atlas import atlas_pdf

    assert s.atlas is not None
    return atlas_pdf(s.atlas, paper=o.paper)


#: The one table of outputs.
WRITERS: dict[Format, Writer] = {
    w.format: w
    for w in (
        Writer(Format.svg, (".svg",), False, _svg, "the map as SVG (byte-stable)"),
        Writer(Format.png, (".png",), True, _png, "the map as PNG"),
        Writer(Format.pdf, (".pdf",), True, _pdf, "the map as vector PDF"),
        Writer(Format.xlsx, (".xlsx",), True, _xlsx, "an Excel workbook laid out like the map"),
        Writer(Format.pptx, (".pptx",), True, _pptx, "an editable PowerPoint deck"),
        Writer(Format.md, (".md", ".markdown"), False, _md, "a Markdown page"),
        Writer(Format.csv, (".csv",), False, _csv, "one CSV row per item"),
        Writer(Format.json, (".json",), False, _document("json"), "the map file as JSON"),
        Writer(Format.yaml, (".yaml", ".yml"), False, _document("yaml"), "the map file as YAML"),
        Writer(Format.personas, (), True, _personas, "persona cards as PDF", True),
        Writer(Format.atlas, (), True, _atlas, "the whole atlas as PDF", True),
    )
}

#: File suffix → format (books have no suffix of their own: a .pdf is a map).
SUFFIXES: dict[str, Format] = {suffix: w.format for w in WRITERS.values() for suffix in w.suffixes}


def format_of(path: str | Path, format: Format | str | None = None) -> Format:
    """The format named, or the one the file's suffix stands for; a clear error otherwise."""
    if format is not None:
        try:
            return Format(str(format).lower())
        except ValueError:
            raise InvalidArgument(
                f"unknown format '{format}'; expected one of: {', '.join(Format)}"
            ) from None
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidArgument(
            f"cannot tell the format of '{Path(path).name}'; give a file ending in "
            f"{', '.join(SUFFIXES)} (or name the format)"
        )
    return SUFFIXES[suffix]


def subject(
    obj: Journey | Atlas | Subject, journey: str | None = None, display: str | None = None
) -> Subject:
    """The journey to draw from a journey or a workspace (``journey`` picks one; ``display``
    names the source in the message when the workspace holds several)."""
    if isinstance(obj, Subject):
        return obj
    if isinstance(obj, Journey):
        return Subject(obj, None, None, None)
    from parcours.files import pick_journey

    if display is None and journey is None and len(obj.journeys) != 1:
        raise NotFound(
            f"workspace '{obj.id}' holds {len(obj.journeys)} journeys; choose one with "
            f"journey=: {', '.join(j.id for j in obj.journeys) or '(none)'}"
        )
    alone = pick_journey(obj, journey, display or f"workspace '{obj.id}'")
    return Subject(alone, obj, obj.library, obj.personas)


class ExportOptions(TypedDict, total=False):
    """The options of :func:`export` and :func:`save`; each writer reads the ones it knows."""

    journey: str | None  # the journey of a workspace to draw (when it holds several)
    library: Library | None  # a journey's workspace library, when it is passed alone
    personas: Sequence[Persona] | None  # and its workspace's personas
    atlas: Atlas | None  # and its workspace (the Personas sheet, the deck's personas)
    theme: Theme | str | None  # a Theme, a theme name or a theme file
    scale: float  # PNG resolution
    max_width: int | None  # PNG width cap
    steps_per_page: int | None  # PDF pages of long maps
    text_as_paths: bool  # SVG: text drawn as outlines (default: embedded font subset)
    width: float | None  # SVG: displayed width in px (the drawing scales)
    paper: str  # atlas: the size of its map pages, a3 (default) or a4
    observed: Mapping[str, Any] | None  # SVG/PNG/PDF: compare's figures drawn as badges


def export(
    obj: Journey | Atlas | Subject, format: Format | str, **options: Unpack[ExportOptions]
) -> bytes | str:
    """``obj`` in ``format``: text (str) or binary (bytes), see :data:`WRITERS`.

    ``library``, ``personas`` and ``atlas`` give a journey its workspace's names, faces and
    persona sheet when it is passed alone; a workspace brings its own.
    """
    journey = options.get("journey")
    library, personas, atlas = options.get("library"), options.get("personas"), options.get("atlas")
    settings = Options(
        options.get("theme"),
        options.get("scale", 1.0),
        options.get("max_width"),
        options.get("steps_per_page"),
        options.get("text_as_paths", False),
        options.get("width"),
        options.get("paper", "a3"),
        options.get("observed"),
    )
    fmt = format_of("", format)
    writer = WRITERS[fmt]
    if isinstance(obj, Atlas) and fmt in (Format.json, Format.yaml) and journey is None:
        from parcours.files import dumps

        return dumps(obj, fmt.value)
    if writer.whole_workspace:
        whole = obj.atlas if isinstance(obj, Subject) else obj
        if not isinstance(whole, Atlas):
            raise InvalidArgument(
                f"'{fmt}' is drawn from a workspace (its personas and journeys), not from one "
                "journey; load the workspace file or folder"
            )
        return writer.write(Subject(None, whole, whole.library, whole.personas), settings)
    found = subject(obj, journey)
    if isinstance(obj, Journey) and (library or personas or atlas):
        found = Subject(
            obj,
            atlas,
            library if library is not None else (atlas.library if atlas else None),
            personas if personas is not None else (atlas.personas if atlas else None),
        )
    drawn = fmt in (Format.svg, Format.png, Format.pdf, Format.pptx, Format.xlsx)
    limits = current_limits()
    steps = len(found.map.steps()) if drawn else 0
    if steps > limits.max_rendered_steps:
        raise TooLarge(
            f"the journey '{found.map.id}' has {steps:,} steps, over the "
            f"{limits.max_rendered_steps:,} a picture or document draws (max_rendered_steps); "
            "split it into several journeys (one per phase or path) and draw each, or raise "
            f"it with {env_name('max_rendered_steps')}=… (see docs/limits.md)"
        )
    return writer.write(found, settings)


def save(
    obj: Journey | Atlas | Subject,
    path: str | Path,
    *,
    format: Format | str | None = None,
    **options: Unpack[ExportOptions],
) -> Path:
    """Write ``obj`` to ``path`` in ``format`` (default: from the suffix); return the path.

    The file is replaced whole or not at all (written beside it, then renamed).
    """
    fmt = format_of(Path(path), format)
    return write_made(path, lambda: export(obj, fmt, **options))
