"""Render a journey map: one layout, several painters.

>>> from parcours.render import layout, to_svg, save_png, save_pdf, render
>>> svg = to_svg(journey)                # the reference picture, byte-stable
>>> render(journey, "map.png")           # .svg, .png or .pdf, chosen by the suffix

:func:`layout` computes the geometry as plain numbers (:class:`Layout`); :mod:`.svg`
paints it to SVG, :mod:`.raster` turns the SVG into PNG (resvg) and PDF (WeasyPrint).
Exporters (PowerPoint, Excel…) read the same :class:`Layout` and :class:`Theme`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcours.atomic import write_atomic
from parcours.render.layout import Layout, layout
from parcours.render.theme import Theme, get_theme

if TYPE_CHECKING:
    from parcours.model.journey import Journey
    from parcours.model.library import Library
    from parcours.model.persona import Persona

__all__ = [
    "Layout",
    "Theme",
    "get_theme",
    "layout",
    "render",
    "save_pdf",
    "save_png",
    "save_svg",
    "to_pdf",
    "to_png",
    "to_svg",
]

SUFFIXES = (".svg", ".png", ".pdf")


def to_svg(
    journey: Journey,
    *,
    library: Library | None = None,
    theme: Theme | None = None,
    personas: Sequence[Persona] | None = None,
    embed_font: bool = True,
    text_as_paths: bool = False,
    width: float | None = None,
    observed: Mapping[str, Any] | None = None,
) -> str:
    """The map as an SVG document (a string), byte-identical for identical input.

    By default the subset of the shipped font the map uses is embedded, so the SVG looks
    the same without Noto Sans; ``text_as_paths`` draws text as outlines instead (for
    tools that ignore ``@font-face``); ``width`` is the displayed width in px;
    ``observed`` (the dict of :func:`parcours.analytics.compare.compare`) draws the
    observed figures under the steps.
    """
    from parcours.render.svg import paint

    return paint(
        layout(journey, theme, library, personas=personas, observed=observed),
        embed_font=embed_font,
        text_as_paths=text_as_paths,
        width=width,
    )


def save_svg(
    journey: Journey,
    path: str | Path,
    *,
    library: Library | None = None,
    theme: Theme | None = None,
    personas: Sequence[Persona] | None = None,
) -> Path:
    """Write the map as SVG (UTF-8) and return the path."""
    return write_atomic(path, to_svg(journey, library=library, theme=theme, personas=personas))


def to_png(
    journey: Journey,
    *,
    scale: float = 1.0,
    max_width: int | None = None,
    library: Library | None = None,
    theme: Theme | None = None,
    personas: Sequence[Persona] | None = None,
    observed: Mapping[str, Any] | None = None,
) -> bytes:
    """The map as PNG bytes; ``scale`` 2 doubles the resolution, up to ``max_width`` px."""
    from parcours.render.raster import MAX_PNG_WIDTH, png_bytes

    lay = layout(journey, theme, library, personas=personas, observed=observed)
    return png_bytes(lay, scale=scale, max_width=max_width or MAX_PNG_WIDTH)


def save_png(
    journey: Journey,
    path: str | Path,
    *,
    scale: float = 1.0,
    max_width: int | None = None,
    library: Library | None = None,
    theme: Theme | None = None,
    personas: Sequence[Persona] | None = None,
) -> Path:
    """Write the map as PNG and return the path (see :func:`to_png`)."""
    data = to_png(
        journey,
        scale=scale,
        max_width=max_width,
        library=library,
        theme=theme,
        personas=personas,
    )
    return write_atomic(path, data)


def to_pdf(
    journey: Journey,
    *,
    steps_per_page: int | None = None,
    library: Library | None = None,
    theme: Theme | None = None,
    personas: Sequence[Persona] | None = None,
    observed: Mapping[str, Any] | None = None,
) -> bytes:
    """The map as a vector PDF: one page, or pages of ``steps_per_page`` steps for long maps."""
    from parcours.render.raster import pdf_bytes

    lay = layout(journey, theme, library, personas=personas, observed=observed)
    return pdf_bytes(lay, steps_per_page=steps_per_page)


def save_pdf(
    journey: Journey,
    path: str | Path,
    *,
    steps_per_page: int | None = None,
    library: Library | None = None,
    theme: Theme | None = None,
    personas: Sequence[Persona] | None = None,
) -> Path:
    """Write the map as PDF and return the path (see :func:`to_pdf`)."""
    data = to_pdf(
        journey,
        steps_per_page=steps_per_page,
        library=library,
        theme=theme,
        personas=personas,
    )
    return write_atomic(path, data)


def render(
    journey: Journey,
    path: str | Path,
    *,
    library: Library | None = None,
    theme: Theme | None = None,
    personas: Sequence[Persona] | None = None,
    scale: float = 1.0,
) -> Path:
    """Write the map to ``path`` as SVG, PNG or PDF, chosen by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    common = {"library": library, "theme": theme, "personas": personas}
    if suffix == ".svg":
        return save_svg(journey, path, **common)  # type: ignore[arg-type]
    if suffix == ".png":
        return save_png(journey, path, scale=scale, **common)  # type: ignore[arg-type]
    if suffix == ".pdf":
        return save_pdf(journey, path, **common)  # type: ignore[arg-type]
    from parcours.errors import InvalidJourney

    raise InvalidJourney(
        f"cannot render to '{suffix or path.name}'; expected one of: {', '.join(SUFFIXES)} "
        "(for xlsx, pptx, md or csv use 'parcours export')"
    )
