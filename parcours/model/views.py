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
