"""The application factory: ``create_app(backend, settings)`` builds the whole server.

>>> app = create_app(backend, Settings(https=True))   # an ASGI app for uvicorn

Middleware (outermost first): security headers → catch-all 500 → body cap → same-origin
check for unsafe requests → strict reading of JSON bodies. Routes: the JSON API under ``/api`` (OpenAPI at
``/openapi.json``), the event streams, the pages and the journey twins.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from parcours import __version__
from parcours.errors import ParcoursError
from parcours.web import (
    api_journeys,
    api_workspaces,
    atlas_pages,
    editor,
    events,
    measure,
    pages,
    template_pages,
)
from parcours.web.backend import Backend
from parcours.web.bodies import StrictJson
from parcours.web.middleware import BodyLimit, CatchAll, SameOrigin, SecurityHeaders
from parcours.web.problems import (
    ApiError,
    api_error_handler,
    http_error_handler,
    parcours_error_handler,
    validation_error_handler,
)
from parcours.web.settings import Settings

log = logging.getLogger("parcours.web")
STATIC = Path(__file__).parent / "static"

DESCRIPTION = """The parcours workspace server: journeys, operations with revisions, live updates.

Authenticate with the session cookie (sign in with `POST /api/session`; send the
`X-CSRF-Token` it returns with every unsafe request) or with `Authorization: Bearer <token>`
(`parcours token create EMAIL`). Every refusal has one shape:
`{"error": {"status", "code", "message", "problems"?}}`.
"""


def create_app(backend: Backend, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        close = getattr(backend, "close", None)
        if callable(close):
            close()

    app = FastAPI(
        lifespan=lifespan,
        title="parcours",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.backend = backend
    app.state.settings = settings
    app.state.broker = events.Broker()
    listen = getattr(backend, "listen", None)
    if callable(listen):  # a store that relays commits of other processes (LISTEN/NOTIFY)
        listen(app.state.broker.notify)
    on_signal = getattr(backend, "on_signal", None)
    if callable(on_signal):  # and their presence and comments
        on_signal(editor.relay(app))

    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(ParcoursError, parcours_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)

    app.include_router(api_workspaces.router)
    app.include_router(api_journeys.router)
    app.include_router(events.router)
    app.include_router(pages.shared_api)
    app.include_router(atlas_pages.router)
    app.include_router(template_pages.router)
    app.include_router(editor.router)
    app.include_router(measure.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")

    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]

    # added innermost first: the last one added runs first
    app.add_middleware(StrictJson)
    app.add_middleware(SameOrigin, https=settings.https, trusted=settings.trusted_origins)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_upload_bytes
    )
    app.add_middleware(CatchAll)
    app.add_middleware(SecurityHeaders, https=settings.https)
    return app


PUBLIC = {
    ("/api/templates", "get"),
    ("/api/session", "post"),
    ("/api/session", "delete"),  # signing out twice is not an error
    ("/api/shared/{token}", "get"),
}


def openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the two ways to authenticate and the error shape."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {})
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from 'parcours token create EMAIL'",
        },
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": "parcours",
            "description": "The session cookie set by POST /api/session (__Host-parcours "
            "under https); unsafe requests also need the X-CSRF-Token header",
        },
    }
    components.setdefault("schemas", {})["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "code", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "problems": {"type": "array", "items": {"type": "object"}},
                },
            }
        },
    }
    schema["security"] = [{"bearer": []}, {"session": []}]
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if (path, method) in PUBLIC:
                operation["security"] = []
    app.openapi_schema = schema
    return schema
