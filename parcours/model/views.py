"""The model's one seam to its views (maps, office files, text): installed from above.

The model draws nothing and writes no file: :mod:`parcours.export` does. A journey's
``to_svg()``, ``save_png()``… are kept for convenience and call the exporter that the top
of the package installs here (:func:`install`), so the model imports nothing outside itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from parcours.model.errors import MissingExtra


class Exporter(Protocol):
    """What the model asks of the exporter: text or bytes of a format, or a written file."""

    def export(self, obj: Any, format: str, /, **options: Any) -> bytes | str: ...

    def save(self, obj: Any, path: str | Path, /, **options: Any) -> Path: ...


_installed: Callable[[], Exporter] | None = None


def install(exporter: Callable[[], Exporter]) -> None:
    """Install the function that returns the exporter (called once by ``parcours``)."""
    global _installed
    _installed = exporter


def exporter() -> Exporter:
    """The installed exporter; a clear error when the model is used without ``parcours``."""
    if _installed is None:
        raise MissingExtra(
            "no exporter is installed; import parcours (which installs parcours.export) "
            "before drawing or saving a journey"
        )
    return _installed()


class Drawable:
    """The views of a journey or a workspace, drawn by the installed exporter.

    On a workspace they draw its journey (``journey="id"`` picks one when it holds several)
    with the workspace's library and personas.
    """

    def _text(self, format: str, **options: Any) -> str:
        out = exporter().export(self, format, **options)
        assert isinstance(out, str)
        return out

    def to_yaml(self, **options: Any) -> str:
        """The map-as-code document as YAML."""
        return self._text("yaml", **options)

    def to_json(self, **options: Any) -> str:
        """The map-as-code document as JSON."""
        return self._text("json", **options)

    def to_markdown(self, **options: Any) -> str:
        """The map as Markdown (options: journey, library)."""
        return self._text("md", **options)

    def to_csv(self, **options: Any) -> str:
        """The map as CSV, one row per item (options: journey, library)."""
        return self._text("csv", **options)

    def to_svg(self, **options: Any) -> str:
        """The map as SVG (options: journey, library, theme, personas)."""
        return self._text("svg", **options)

    def save_svg(self, path: str | Path, **options: Any) -> Path:
        """Write the map as SVG (options: journey, library, theme, personas)."""
        return exporter().save(self, path, format="svg", **options)

    def save_png(self, path: str | Path, **options: Any) -> Path:
        """Write the map as PNG (options: journey, scale, max_width, library, theme, personas)."""
        return exporter().save(self, path, format="png", **options)

    def save_pdf(self, path: str | Path, **options: Any) -> Path:
        """Write the map as PDF (options: journey, steps_per_page, library, theme, personas)."""
        return exporter().save(self, path, format="pdf", **options)

    def save_xlsx(self, path: str | Path, **options: Any) -> Path:
        """Write the map as an Excel workbook (options: journey, library, atlas)."""
        return exporter().save(self, path, format="xlsx", **options)

    def save_pptx(self, path: str | Path, **options: Any) -> Path:
        """Write the map as a PowerPoint deck (options: journey, library, atlas)."""
        return exporter().save(self, path, format="pptx", **options)

    def _repr_svg_(self) -> str | None:  # Jupyter shows a journey (a workspace: its map)
        try:
            return self.to_svg()
        except ImportError:
            return None
        except KeyError:  # a workspace of several journeys has no one picture
            return None
