"""Every write is all or nothing: disk full, file-size limit, kill -9, exceptions, devices."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parcours.atomic import SUFFIX, atomic_file, write_atomic
from parcours.errors import CannotWrite

MAP = "parcours: 1\njourney: X\nstages:\n  - A: [b, c]\n  - D: [e]\n"
BIG = MAP + "".join(
    f"  - Stage {n}:\n      - Step {n}:\n          actions: [Does something rather long {n}]\n"
    for n in range(120)
)
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith((SUFFIX, ".tmp"))]


def cli(*args: str, preexec: object = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parcours", *args],
        capture_output=True,
        text=True,
        env=ENV,
        preexec_fn=preexec,  # type: ignore[arg-type]
        timeout=120,
    )


def test_write_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new é")
    assert path.read_text(encoding="utf-8") == "new é"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_symlink_to_a_file_keeps_its_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_an_exception_while_producing_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(path) as handle:
        handle.write(b"half")
        raise RuntimeError("boom")
    assert path.read_bytes() == b"old" and leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_only_regular_files_are_written(tmp_path: Path, kind: str) -> None:
    if kind == "device":
        target = Path("/dev/full")
    elif kind == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    else:
        target = tmp_path / "folder"
        target.mkdir()
    before = os.stat(target).st_mode
    with pytest.raises(CannotWrite, match="not a regular file"):
        write_atomic(target, "x")
    assert os.stat(target).st_mode == before


def test_dev_full_is_never_replaced_by_any_command(tmp_path: Path) -> None:
    source = tmp_path / "map.yaml"
    source.write_text(MAP)
    for args in (
        ["export", str(source), "--format", "md", "-o", "/dev/full"],
        ["export", str(source), "--format", "xlsx", "-o", "/dev/full"],
        ["schema", "-o", "/dev/full"],
        ["convert", str(source), "-o", "/dev/full"],
    ):
        result = cli(*args)
        assert result.returncode == 1, (args, result.stderr)
        assert "/dev/full" in result.stderr and "Traceback" not in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def _limit_file_size() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("map.svg", ["render"]),
        ("map.png", ["render"]),
        ("map.md", ["export", "--format", "md"]),
        ("map.csv", ["export", "--format", "csv"]),
        ("map.xlsx", ["export", "--format", "xlsx"]),
        ("map.pptx", ["export", "--format", "pptx"]),
        ("map.json", ["convert"]),
    ],
)
def test_file_size_limit_keeps_the_previous_output(
    tmp_path: Path, name: str, args: list[str]
) -> None:
    source = tmp_path / "map.yaml"
    source.write_text(BIG)
    out = tmp_path / name
    out.write_bytes(b"previous")
    result = cli(args[0], str(source), *args[1:], "-o", str(out), preexec=_limit_file_size)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "larger than this process may write" in result.stderr
    assert f"{name} is unchanged" in result.stderr and "Traceback" not in result.stderr
    assert out.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    assert mounted.returncode == 0, "a 64 KiB tmpfs is needed: run the tests as root"
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_disk_full_keeps_the_previous_output(tmp_path: Path, small_disk: Path) -> None:
    source = tmp_path / "map.yaml"
    source.write_text(BIG)
    out = small_disk / "map.svg"
    out.write_bytes(b"previous")
    result = cli("render", str(source), "-o", str(out))
    assert result.returncode == 1
    assert (
        "cannot write" in result.stderr
        and "the disk is full; map.svg is unchanged" in result.stderr
    )
    assert out.read_bytes() == b"previous" and leftovers(small_disk) == []
    assert sorted(p.name for p in small_disk.iterdir()) == ["map.svg"]


SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from parcours.atomic import atomic_file
    with atomic_file(sys.argv[1]) as handle:
        for _ in range(1000):
            handle.write(b"new" * 10000)
            handle.flush()
            print("writing", flush=True)
            time.sleep(0.01)
    """
)


def test_kill_9_mid_write_keeps_the_previous_file(tmp_path: Path) -> None:
    out = tmp_path / "out.bin"
    out.write_bytes(b"previous")
    for _ in range(3):
        child = subprocess.Popen(
            [sys.executable, "-c", SLOW_WRITER, str(out)], stdout=subprocess.PIPE, env=ENV
        )
        assert child.stdout is not None
        child.stdout.readline()
        time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        assert out.read_bytes() == b"previous"
        assert leftovers(tmp_path) == []


def test_temp_files_of_killed_writers_are_swept(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".out.txt.{int(dead.stdout)}.abcd{SUFFIX}"
    stale.write_text("half")
    mine = tmp_path / f".out.txt.{os.getpid()}.abcd{SUFFIX}"
    mine.write_text("in progress")
    write_atomic(out, "new")
    assert not stale.exists() and mine.exists()


def test_convert_refuses_to_rewrite_its_source_without_force(tmp_path: Path) -> None:
    source = tmp_path / "map.yaml"
    source.write_text("# my notes\n" + MAP)
    result = cli("convert", str(source), "-o", str(source))
    assert result.returncode == 1
    assert "drops its comments" in result.stderr and "--force" in result.stderr
    assert source.read_text().startswith("# my notes")
    assert cli("convert", str(source), "-o", str(source), "--force").returncode == 0
    assert not source.read_text().startswith("# my notes")
