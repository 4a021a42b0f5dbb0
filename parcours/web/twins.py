"""The twins of a journey: the same map as JSON, YAML, SVG, PNG, PDF, XLSX, PPTX, MD, CSV.

One function turns a stored journey into the bytes of a format; the routes add the content
type and an RFC 6266 ``Content-Disposition``. SVG is answered with
``Content-Security-Policy: sandbox`` so that opening it runs nothing.
"""

from __future__ import annotations

import tempfile
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from starlette.responses import Response

from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.web.backend import StoredJourney
from parcours.web.problems import ApiError

CONTENT_TYPES = {
    "json": "application/json",
    "yaml": "application/yaml; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
FORMATS = tuple(CONTENT_TYPES)
INLINE = frozenset({"json", "yaml", "svg", "png", "pdf", "md"})
HEAVY = frozenset({"png", "pdf", "xlsx", "pptx"})
MAX_HEAVY_AT_ONCE = 2
_heavy = threading.BoundedSemaphore(MAX_HEAVY_AT_ONCE)


def standalone(stored: StoredJourney) -> Journey:
    """The journey with the workspace library entries it uses, so that it stands alone."""
    journey = stored.journey
    atlas = Atlas.model_construct(
        id=stored.info.workspace,
        name=stored.info.workspace,
        description=None,
        lang=stored.info.lang,
        personas=list(stored.personas),
        library=stored.library,
        journeys=[journey],
    )
    try:
        return atlas.standalone(journey.id)
    except Exception:  # a journey that does not fit its workspace any more: keep what it holds
        return journey.model_copy(update={"library": stored.library.merged(journey.library)})


def _file(writer: Callable[[Path], object], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="parcours-twin-") as folder:
        path = Path(folder) / f"map{suffix}"
        writer(path)
        return path.read_bytes()


def render(stored: StoredJourney, fmt: str) -> bytes:
    """The bytes of ``fmt`` for a stored journey (blocking: call it from a worker thread)."""
    from parcours import files

    if fmt not in CONTENT_TYPES:
        raise ApiError(404, f"unknown format '.{fmt}'; expected one of: {', '.join(FORMATS)}")
    journey = standalone(stored)
    library = journey.library
    personas = [p for p in stored.personas if p.id in set(journey.personas)]
    if fmt in ("json", "yaml"):
        return files.dumps(journey, fmt).encode("utf-8")
    if fmt == "md":
        from parcours.render.markdown import to_markdown

        return to_markdown(journey, library).encode("utf-8")
    if fmt == "csv":
        from parcours.render.csvexport import to_csv

        return to_csv(journey, library).encode("utf-8")
    if fmt == "svg":
        from parcours.render import to_svg

        return to_svg(journey, library=library, personas=personas).encode("utf-8")
    if not _heavy.acquire(blocking=False):
        raise ApiError(
            429,
            f"{MAX_HEAVY_AT_ONCE} exports are being made already; try again in a few seconds",
            headers={"Retry-After": "2"},
        )
    try:
        atlas = Atlas.model_construct(
            id=stored.info.workspace,
            name=stored.info.workspace,
            description=None,
            lang=stored.info.lang,
            personas=list(stored.personas),
            library=library,
            journeys=[journey],
        )
        if fmt == "png":
            from parcours.render import to_png

            return to_png(journey, library=library, personas=personas)
        if fmt == "pdf":
            from parcours.render import to_pdf

            return to_pdf(journey, library=library, personas=personas)
        if fmt == "xlsx":
            from parcours.render.xlsx import save_xlsx

            return _file(lambda p: save_xlsx(journey, p, library=library, atlas=atlas), ".xlsx")
        from parcours.render.pptx import save_pptx

        return _file(lambda p: save_pptx(journey, p, library=library, atlas=atlas), ".pptx")
    finally:
        _heavy.release()


def disposition(kind: str, filename: str) -> str:
    """An RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if (c.isalnum() or c in "-_.") else "_" for c in ascii_name) or "map"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def response(stored: StoredJourney, fmt: str, data: bytes, version: int) -> Response:
    name = f"{stored.info.slug}.{fmt}"
    headers = {
        "Content-Disposition": disposition("inline" if fmt in INLINE else "attachment", name),
        "ETag": f'"{version}"',
    }
    if fmt == "svg":
        headers["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'"
        )
    return Response(data, media_type=CONTENT_TYPES[fmt], headers=headers)
