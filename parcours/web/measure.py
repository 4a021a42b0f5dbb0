"""Measure a journey with data, in the web app: what ``parcours overlay`` does, on a stored
journey.

An editor uploads an event log (CSV, Parquet, Excel, XES, optionally gzipped) and, if they
have them, survey answers and customer comments with a step column. The server reads them
as the command line does (same readers, same limits, same messages), binds the journey's
steps to the events they observe (``observed_as``) and applies the measures — a metrics
lane, KPI values, the measured emotion, the most negative comments — as **one revision**,
which the history shows and can undo like any other edit.

- ``GET /journeys/ID/measure``: which events each step observes, and the upload form;
- ``POST /journeys/ID/measure``: the form (multipart, with the CSRF token); a bad file is
  answered on the same page with the reader's message (file, line, fix) and nothing is
  stored;
- ``POST /journeys/ID/measure/events``: the events each step observes, one field a step;
- ``POST /api/journeys/ID/measure``: the same measurement for API clients (multipart fields
  ``log``, ``surveys``, ``verbatims``, ``case``, ``activity``, ``timestamp``, ``dayfirst``,
  ``skip_bad_rows``), answered with the new version and what was measured.

Uploads go to a private temporary folder under their own (cleaned) names — the readers'
messages name the user's file — and are removed once read. Bodies up to
``max_upload_bytes`` are accepted on these addresses only. The files are read in a child
process (:mod:`parcours.web.measuring` through :mod:`parcours.sandbox`) capped in memory,
CPU and wall time (``measure_memory_bytes``, ``measure_cpu_seconds``,
``measure_wall_seconds``): a file that would exhaust the server, or crash a reader, costs
that process and is answered 413 or 422. One measurement reads files at a time in a server
process; the others wait without holding a thread
(:func:`parcours.web.uploads.reading_turn`; past four waiting: 429).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from parcours import sandbox
from parcours.errors import BadData, ParcoursError, TooLarge
from parcours.model.journey import Journey
from parcours.sandbox import Limits
from parcours.web import i18n
from parcours.web.api_journeys import read_operations
from parcours.web.atlas_pages import with_form_token
from parcours.web.backend import Role, StaleVersion, StoredJourney, User
from parcours.web.context import backend, call, journey_for, settings
from parcours.web.measuring import UNOBSERVED_SHOWN
from parcours.web.pages import render
from parcours.web.problems import ApiError
from parcours.web.uploads import NAME_CHARS, Busy, reading_turn, save_upload

router = APIRouter()

#: What the fork server of the measurements loads once (see :mod:`parcours.sandbox`).
PRELOAD = ("parcours.web.measure_preload",)


@dataclass(frozen=True)
class LogChoices:
    """How to read the log, as the form and the API take it: the columns of the case, the
    activity and the timestamp (empty: recognised by their usual names), the day order of
    numeric dates (``None``: decided from the data) and whether bad rows are left out."""

    case: str = ""
    activity: str = ""
    timestamp: str = ""
    dayfirst: bool | None = None
    skip_bad_rows: bool = False


#: The command line's hints in reader messages (which are in English), and the word of the
#: form's field each names: the field is quoted as the page shows it, in its language.
FORM_HINTS = (
    (
        "(use on_error='skip' / --on-error skip to leave them out)",
        "(tick “{}” to measure without them)",
        "measure.skip_short",
    ),
    ("--on-error skip", "“{}”", "measure.skip_short"),
    (
        "say which with --dayfirst or --monthfirst (dayfirst=True/False), or give the format "
        "with --timestamp-format (e.g. '%d/%m/%Y %H:%M')",
        "say which in the field “{}”",
        "measure.day_order",
    ),
    ("(--dayfirst/--monthfirst)", "(the field “{}”)", "measure.day_order"),
    ("(--timestamp-format, --dayfirst)", "(the field “{}”)", "measure.day_order"),
    ("(--case, --activity, --timestamp)", "(the fields of “{}”)", "measure.columns"),
    (
        "name it with --case COLUMN (or ColumnMapping(case=...))",
        "name it in the field “{}”",
        "measure.case",
    ),
    (
        "name it with --activity COLUMN (or ColumnMapping(activity=...))",
        "name it in the field “{}”",
        "measure.activity",
    ),
    (
        "name it with --timestamp COLUMN (or ColumnMapping(timestamp=...))",
        "name it in the field “{}”",
        "measure.timestamp",
    ),
)


def for_the_form(message: str, t: Callable[..., str]) -> str:
    """A reader's message with the command line's options named as the form's fields
    (``t``: the page's translator)."""
    for cli, form, field in FORM_HINTS:
        message = message.replace(cli, form.format(t(field)))
    return message


@dataclass(frozen=True)
class Measured:
    """What one measurement did: the new version and what it measured."""

    version: int
    steps: int  # steps that got measures
    cases: int  # cases of the journey found in the log
    events: int  # events read
    skipped: int  # bad rows left out
    source: str  # the log's file name
    unobserved: tuple[tuple[str, int], ...] = ()  # events no step observes, most first

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "steps_measured": self.steps,
            "cases": self.cases,
            "events": self.events,
            "skipped_rows": self.skipped,
            "source": self.source,
            "unobserved_events": [{"event": e, "count": n} for e, n in self.unobserved],
        }


def bindings(journey: Journey) -> list[dict[str, Any]]:
    """Each step and the events it observes, in the journey's order."""
    return [{"id": s.id, "name": s.name, "events": list(s.observed_as)} for s in journey.steps()]


def measure(
    request: Request,
    stored: StoredJourney,
    by: User,
    log: Path,
    surveys: Path | None,
    verbatims: Path | None,
    choices: LogChoices,
    work: Path,
) -> Measured:
    """Read the files in a child process under the server's limits, then apply the
    measures to the stored journey as one revision (runs in a worker thread)."""
    if not any(s.observed_as for s in stored.journey.steps()):
        raise BadData(
            "no step of this journey names the events that observe it; give the steps "
            "their events (observed_as: “Steps and their events” on the measure page), "
            "then measure"
        )
    config = settings(request)
    limits = Limits(
        memory_bytes=config.measure_memory_bytes,
        cpu_seconds=config.measure_cpu_seconds,
        wall_seconds=config.measure_wall_seconds,
    )
    args = {
        "journey": stored.journey.model_dump_json(),
        "log": str(log),
        "surveys": str(surveys) if surveys is not None else None,
        "verbatims": str(verbatims) if verbatims is not None else None,
        "case": choices.case,
        "activity": choices.activity,
        "timestamp": choices.timestamp,
        "dayfirst": choices.dayfirst,
        "skip_bad_rows": choices.skip_bad_rows,
        "memory_bytes": limits.memory_bytes,
        "memory_setting": limits.memory_setting,
    }
    done = sandbox.run(
        "parcours.web.measuring:measure_files",
        args,
        limits,
        work,
        preload=PRELOAD,
    )
    operations = [_as_json(text) for text in done["operations"]]
    applied = backend(request).apply(
        stored.info.id, secrets.token_hex(16), stored.info.version, operations, by
    )
    return Measured(
        version=applied.version,
        steps=int(done["steps"]),
        cases=int(done["cases"]),
        events=int(done["events"]),
        skipped=int(done["skipped"]),
        source=log.name,
        unobserved=tuple((str(name), int(n)) for name, n in done["unobserved"]),
    )


def _as_json(text: str) -> dict[str, Any]:
    item: dict[str, Any] = json.loads(text)
    return item


async def _measure_uploads(
    request: Request,
    stored: StoredJourney,
    by: User,
    uploads: dict[str, UploadFile | None],
    choices: LogChoices,
) -> Measured:
    folder = Path(tempfile.mkdtemp(prefix="parcours-upload-"))
    try:
        saved = {
            field: await call(request, save_upload, upload, folder, field)
            for field, upload in uploads.items()
        }
        log = saved["log"]
        if log is None:
            raise BadData("no event log was sent; choose a file (CSV, Parquet, Excel or XES)")
        work = folder / "work"
        work.mkdir()
        async with reading_turn():
            return await call(
                request,
                measure,
                request,
                stored,
                by,
                log,
                saved.get("surveys"),
                saved.get("verbatims"),
                choices,
                work,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _page(
    request: Request,
    stored: StoredJourney,
    principal: Any,
    can_edit: bool,
    status: int = 200,
    error: str | None = None,
    done: dict[str, Any] | None = None,
    choices: LogChoices | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "measure.html",
        status=status,
        user=principal.user,
        csrf_token=principal.csrf,
        journey=stored.info,
        title=stored.journey.title,
        content_lang=stored.info.lang or "en",
        steps=bindings(stored.journey),
        can_edit=can_edit,
        error=error,
        done=done,
        choices=choices or LogChoices(),
        typed=typed or {},
    )


async def _can_edit(request: Request, principal: Any, stored: StoredJourney) -> bool:
    role = await call(request, backend(request).role, principal.user, stored.info.workspace)
    return principal.user is not None and (role is None or role.allows(Role.editor))


@router.get("/journeys/{journey_id}/measure", include_in_schema=False)
async def measure_page(
    journey_id: str,
    request: Request,
    version: int | None = None,
    steps: int = 0,
    cases: int = 0,
    skipped: int = 0,
    source: str = "",
    unobserved: str = "",
) -> Response:
    principal, stored = await journey_for(request, journey_id, Role.viewer)
    done = None
    if version is not None:
        lang = i18n.ui_lang(request)
        left = []
        for item in unobserved.split("\n")[:UNOBSERVED_SHOWN]:
            name, _, count = item.rpartition("\t")
            if name and count.isdigit():
                left.append({"event": name[:200], "count": i18n.number(int(count), lang)})
        done = {
            "version": str(version),
            "steps": i18n.number(steps, lang),
            "cases": i18n.number(cases, lang),
            "skipped": i18n.number(skipped, lang) if skipped else "",
            "source": source[:NAME_CHARS],
            "unobserved": left,
        }
    can_edit = await _can_edit(request, principal, stored)
    if can_edit:  # an editor on this page may upload soon: have the reader process ready
        await call(request, sandbox.warm, PRELOAD)
    return _page(request, stored, principal, can_edit, done=done)


@router.post("/journeys/{journey_id}/measure", include_in_schema=False)
async def measure_form(
    journey_id: str,
    request: Request,
    log: UploadFile | None = File(None),
    surveys: UploadFile | None = File(None),
    verbatims: UploadFile | None = File(None),
    case: str = Form(""),
    activity: str = Form(""),
    timestamp: str = Form(""),
    day_order: str = Form("auto"),
    skip_bad_rows: bool = Form(False),
    csrf_token: str = Form(""),
) -> Response:
    request = with_form_token(request, csrf_token)
    principal, stored = await journey_for(request, journey_id, Role.editor)
    uploads = {"log": log, "surveys": surveys, "verbatims": verbatims}
    dayfirst = {"day": True, "month": False}.get(day_order)
    choices = LogChoices(case.strip(), activity.strip(), timestamp.strip(), dayfirst, skip_bad_rows)
    try:
        done = await _measure_uploads(request, stored, principal.user, uploads, choices)
    except (ParcoursError, StaleVersion, Busy) as exc:
        status = (
            413
            if isinstance(exc, TooLarge)
            else 409
            if isinstance(exc, StaleVersion)
            else 429
            if isinstance(exc, Busy)
            else 422
        )
        t = i18n.translator(i18n.ui_lang(request))
        if isinstance(exc, Busy):
            message = t("measure.busy", n=exc.args[0])
        else:
            message = (
                exc.sentence(i18n.ui_lang(request)) if isinstance(exc, ParcoursError) else str(exc)
            )
            message = for_the_form(message, t)
        if isinstance(exc, StaleVersion):
            message = "the journey changed while it was measured; send the files again"
        return _page(
            request, stored, principal, True, status=status, error=message, choices=choices
        )
    left = "\n".join(f"{name[:200]}\t{n}" for name, n in done.unobserved)
    query = (
        f"version={done.version}&steps={done.steps}&cases={done.cases}"
        f"&skipped={done.skipped}&source={quote(done.source)}&unobserved={quote(left)}"
    )
    return RedirectResponse(f"/journeys/{journey_id}/measure?{query}", status_code=303)


def binding_operations(journey: Journey, given: dict[str, str]) -> list[dict[str, Any]]:
    """``set_step`` operations for the steps whose events ``given`` changes (step id → the
    events, separated by commas or new lines; a step left out keeps its events)."""
    ops: list[dict[str, Any]] = []
    for step in journey.steps():
        if step.id not in given:
            continue
        names: list[str] = []
        for part in re.split(r"[,\n]", given[step.id]):
            name = part.strip()
            if name and name not in names:
                names.append(name)
        if names != list(step.observed_as):
            ops.append({"op": "set_step", "step": step.id, "field": "observed_as", "value": names})
    return ops


@router.post("/journeys/{journey_id}/measure/events", include_in_schema=False)
async def bindings_form(journey_id: str, request: Request) -> Response:
    """Save the events each step observes (one text field a step) as one revision."""
    form = await request.form(max_files=0, max_fields=2_000)
    token = form.get("csrf_token")
    request = with_form_token(request, token if isinstance(token, str) else "")
    principal, stored = await journey_for(request, journey_id, Role.editor)
    prefix = "events-"
    given = {
        key.removeprefix(prefix): value
        for key, value in form.items()
        if key.startswith(prefix) and isinstance(value, str)
    }
    ops = binding_operations(stored.journey, given)
    if ops:
        try:
            await call(
                request,
                backend(request).apply,
                stored.info.id,
                secrets.token_hex(16),
                stored.info.version,
                read_operations(json.dumps(ops).encode()),
                principal.user,
            )
        except (ParcoursError, StaleVersion) as exc:
            message = str(exc)
            if isinstance(exc, StaleVersion):
                message = "the journey changed meanwhile; look at its steps' events and save again"
            status = 409 if isinstance(exc, StaleVersion) else 422
            return _page(
                request, stored, principal, True, status=status, error=message, typed=given
            )
    return RedirectResponse(f"/journeys/{journey_id}/measure#events", status_code=303)


@router.post(
    "/api/journeys/{journey_id}/measure",
    tags=["journeys"],
    responses={
        401: {"description": "Not signed in"},
        403: {"description": "Role too small, or CSRF token missing"},
        404: {"description": "No such journey (or not a member of its workspace)"},
        409: {"description": "The journey changed while it was measured"},
        413: {"description": "A file over the limits (size, memory, time)"},
        422: {"description": "A file that cannot be read, or no step observed in the log"},
        429: {"description": "Too many measurements waiting; try again later"},
    },
)
async def measure_api(
    journey_id: str,
    request: Request,
    log: UploadFile = File(..., description="The event log (CSV, Parquet, Excel, XES)"),
    surveys: UploadFile | None = File(None, description="Survey answers with a step column"),
    verbatims: UploadFile | None = File(None, description="Customer comments with a step column"),
    case: str = Form("", description="Column of the case (default: recognised by name)"),
    activity: str = Form("", description="Column of the activity (default: by name)"),
    timestamp: str = Form("", description="Column of the timestamp (default: by name)"),
    dayfirst: bool | None = Form(None, description="Numeric dates are day first (31/01)"),
    skip_bad_rows: bool = Form(False, description="Leave out bad rows instead of refusing"),
) -> JSONResponse:
    """Measure the journey with an event log (and survey answers, comments): the measures
    are applied as one revision. Answers the new version and what was measured."""
    principal, stored = await journey_for(request, journey_id, Role.editor)
    uploads = {"log": log, "surveys": surveys, "verbatims": verbatims}
    choices = LogChoices(case.strip(), activity.strip(), timestamp.strip(), dayfirst, skip_bad_rows)
    try:
        done = await _measure_uploads(request, stored, principal.user, uploads, choices)
    except StaleVersion as exc:
        raise ApiError(
            409,
            "the journey changed while it was measured; send the files again",
            extra={"current_version": exc.current},
        ) from None
    except Busy as exc:
        waiting = exc.args[0]
        raise ApiError(
            429,
            i18n.translator("en")("measure.busy", n=waiting),
            say=lambda t: t("measure.busy", n=waiting),
            headers={"Retry-After": "30"},
        ) from None
    except TooLarge as exc:
        raise ApiError(413, str(exc), source=exc) from None
    return JSONResponse(done.to_json(), status_code=200)
