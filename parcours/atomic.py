"""Writing a file all at once or not at all: :func:`write_atomic` and :func:`atomic_file`.

Every command that writes a file goes through here. The content is written to a temporary
file in the same folder (an unnamed ``O_TMPFILE`` where the file system has it), flushed
to disk with ``fsync``, then renamed over the target: a reader sees the old file or the
new one, never half of it. On any failure — a full disk, the file-size limit
(``ulimit -f``), an exception while producing the content — the temporary file is removed
and the previous file is left as it was; a process killed with ``kill -9`` leaves at most a
``.NAME.PID.….parcours-tmp`` file, which the next write to that target removes.

Only regular files are written: a target that exists and is a device, a FIFO, a socket
or a folder (``-o /dev/full``) is refused, never replaced. A symbolic link to a file is
followed (the link stays, its target gets the new content).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from parcours.errors import CannotWrite

SUFFIX = ".parcours-tmp"
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is larger than this process may write (see ulimit -f)",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "its folder does not exist",
    errno.ENOTDIR: "part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
}


def write_atomic(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text is encoded as ``encoding``) to ``path`` atomically."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    with atomic_file(path) as handle:
        handle.write(payload)
    return Path(path)


def write_made(path: str | Path, make: Callable[[], str | bytes]) -> Path:
    """Write what ``make()`` returns to ``path`` atomically: a target that is not a regular
    file is refused before the work, and a write error met while making it (libraries
    write temporary files of their own) is a :class:`CannotWrite`; ``path`` is untouched."""
    path = Path(path)
    target_of(path)
    with producing(path):
        data = make()
    return write_atomic(path, data)


@contextmanager
def producing(path: str | Path) -> Iterator[None]:
    """Turn a write error met while an output is produced (libraries such as openpyxl
    write temporary files of their own) into :class:`CannotWrite`; ``path`` is untouched."""
    shown = Path(path)
    try:
        yield
    except OSError as exc:
        raise CannotWrite(f"cannot write {shown}: {_reason(exc)}; {_unchanged(shown)}") from None
    except Exception as exc:
        code = str(exc).strip()  # lxml reports write errors as IO_<ERRNO>
        number = getattr(errno, code.removeprefix("IO_"), None) if code.startswith("IO_") else None
        if not isinstance(number, int):
            raise
        reason = _REASONS.get(number, code)
        raise CannotWrite(f"cannot write {shown}: {reason}; {_unchanged(shown)}") from None


def target_of(path: str | Path) -> Path:
    """The file a write to ``path`` replaces; refuse anything that is not a regular file."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise CannotWrite(f"cannot write {path}: {_reason(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise CannotWrite(
            f"cannot write {path}: it is {file_kind(info.st_mode)}, not a regular file; "
            "give the path of a file to write"
        )
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces ``path`` when the block ends without error.

    ``with atomic_file("map.xlsx") as f: workbook.save(f)``.
    """
    shown = Path(path)
    target = target_of(path)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotWrite(f"cannot write {shown}: {_reason(exc)}") from None
    _sweep(folder, target.name)
    mode = _mode_for(target)
    fd, named = _open_temp(folder, target.name, mode)
    handle = os.fdopen(fd, "wb")
    done = False
    try:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
        if named is None:  # O_TMPFILE: give it a name only now, for the rename
            named = folder / _temp_name(target.name)
            _link(handle.fileno(), named)
        os.chmod(named, mode)
        os.replace(named, target)
        done = True
        _fsync_folder(folder)
    except OSError as exc:
        raise CannotWrite(f"cannot write {shown}: {_reason(exc)}; {_unchanged(target)}") from None
    finally:
        with suppress(OSError):
            handle.close()
        if not done and named is not None:
            with suppress(OSError):
                os.unlink(named)


def _link(fd: int, name: Path) -> None:
    """Give the unnamed file ``fd`` a name (``linkat`` with ``AT_SYMLINK_FOLLOW`` on its
    ``/proc/self/fd`` entry, which ``os.link`` does not do)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, at_symlink_follow = -100, 0x400
    source = f"/proc/self/fd/{fd}".encode()
    if libc.linkat(at_fdcwd, source, at_fdcwd, os.fsencode(name), at_symlink_follow) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(name))


def _open_temp(folder: Path, name: str, mode: int) -> tuple[int, Path | None]:
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and sys.platform == "linux" and os.path.exists("/proc/self/fd"):
        try:
            return os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), mode), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise CannotWrite(f"cannot write {folder / name}: {_reason(exc)}") from None
    named = folder / _temp_name(name)
    try:
        fd = os.open(
            named, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600
        )
    except OSError as exc:
        raise CannotWrite(f"cannot write {folder / name}: {_reason(exc)}") from None
    return fd, named


def _temp_name(name: str) -> str:
    return f".{name}.{os.getpid()}.{secrets.token_hex(4)}{SUFFIX}"


def _sweep(folder: Path, name: str) -> None:
    """Remove temporary files of ``name`` left by writers that were killed."""
    prefix = f".{name}."
    try:
        entries = [e for e in os.listdir(folder) if e.startswith(prefix) and e.endswith(SUFFIX)]
    except OSError:
        return
    for entry in entries:
        pid_text = entry[len(prefix) :].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with suppress(OSError):
            os.unlink(folder / entry)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _unchanged(target: Path) -> str:
    return f"{target.name} is unchanged" if target.exists() else f"{target.name} was not created"


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, for a sentence: ``a folder``, ``a device``…"""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
