"""The twins of a journey: the same map as JSON, YAML, SVG, PNG, PDF, XLSX, PPTX, MD, CSV.

One function turns a stored journey into the bytes of a format; the routes add the content
type and an RFC 6266 ``Content-Disposition``. SVG is answered with
``Content-Security-Policy: sandbox`` so that opening it runs nothing.
"""

from __future__ import annotations

import threading
import unicodedata
from urllib.parse import quote

from starlette.responses import Response

from parcours.model.atlas import Atlas
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


def _workspace(stored: StoredJourney) -> Atlas:
    """The journey inside (what the server knows of) its workspace, unvalidated again."""
    return Atlas.model_construct(
        id=f"workspace-{stored.info.workspace}",
        name=f"workspace {stored.info.workspace}",
        description=None,
        lang=stored.info.lang,
        personas=list(stored.personas),
        library=stored.library,
        journeys=[stored.journey],
    )


def render(stored: StoredJourney, fmt: str) -> bytes:
    """The bytes of ``fmt`` for a stored journey (blocking: call it from a worker thread).

    Through the one export seam (:func:`parcours.export.export`), with the workspace's
    library and personas, so that the journey stands alone.
    """
    from parcours.export import export

    if fmt not in CONTENT_TYPES:
        raise ApiError(404, f"unknown format '.{fmt}'; expected one of: {', '.join(FORMATS)}")
    heavy = fmt in HEAVY
    if heavy and not _heavy.acquire(blocking=False):
        raise ApiError(
            429,
            f"{MAX_HEAVY_AT_ONCE} exports are being made already; try again in a few seconds",
            headers={"Retry-After": "2"},
        )
    try:
        data = export(_workspace(stored), fmt, journey=stored.journey.id)
    finally:
        if heavy:
            _heavy.release()
    return data.encode("utf-8") if isinstance(data, str) else data


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
            # the map's embedded font subset is a data: URL; nothing else loads
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; font-src data:"
        )
    return Response(data, media_type=CONTENT_TYPES[fmt], headers=headers)
