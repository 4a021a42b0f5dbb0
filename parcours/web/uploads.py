"""Files sent to the server: kept under cleaned names in a private folder.

A browser sends a file's name as the user's machine has it (``C:\\Users\\…\\mars.csv``,
``../../x``, control and bidirectional characters). :func:`clean_name` keeps what is safe
to create and to quote in a message (the readers' messages name the user's file);
:func:`save_upload` copies an upload (Starlette has spooled it to disk past 1 MB) into a
folder of its own inside a private temporary folder the caller removes once read.
:func:`reading_turn` lets one request at a time read its files in a server process.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import UploadFile

#: The longest file name kept (its endings included).
NAME_CHARS = 100


def clean_name(filename: str | None, fallback: str) -> str:
    """A file name safe to create and to quote: the last part of what the browser sent,
    printable, at most :data:`NAME_CHARS` characters (its endings kept: the readers tell
    the format by them, else by the first bytes)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c.isprintable())
    name = re.sub(r"\s+", " ", name).strip(" .") or fallback
    if len(name) > NAME_CHARS:
        stem, dot, endings = name.partition(".")
        endings = (dot + endings)[-(NAME_CHARS // 2) :]
        name = stem[: NAME_CHARS - len(endings)] + endings
    return name


def save_upload(upload: UploadFile | None, folder: Path, fallback: str) -> Path | None:
    """The uploaded file copied into ``folder`` under its cleaned name; ``None`` when the
    field was left empty."""
    if upload is None or not (upload.filename or "").strip():
        return None
    target = folder / fallback / clean_name(upload.filename, fallback)
    target.parent.mkdir()
    upload.file.seek(0)
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
    return target


#: One request reads its files at a time in a server process (a measurement may take its
#: memory limit); the next ones wait without holding a thread, and past this many waiting
#: the server answers 429.
MAX_WAITING = 4
_running = threading.Lock()
_queue = threading.Lock()
_waiting = 0


class Busy(Exception):
    """Too many requests are waiting for their turn (answered 429); ``args[0]``: how many."""


@asynccontextmanager
async def reading_turn() -> AsyncIterator[None]:
    """Wait, in the event loop, until no other request reads its files."""
    global _waiting
    with _queue:
        if _waiting >= MAX_WAITING:
            raise Busy(MAX_WAITING)
        _waiting += 1
    try:
        while not _running.acquire(blocking=False):
            await asyncio.sleep(0.05)
    finally:
        with _queue:
            _waiting -= 1
    try:
        yield
    finally:
        _running.release()
