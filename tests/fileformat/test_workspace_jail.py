"""A workspace folder is a jail: no file outside it is read, none of its content is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcours.files import read
from parcours.limits import MiB

CANARY = "CANARY-7f3a-outside-the-workspace"
JOURNEY = "parcours: 1\njourney: A\nstages:\n  - S: [one, two]\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"parcours: 1\njourney: {CANARY}\nstages:\n  - {CANARY}: [x]\n")
    return secret


def workspace(tmp_path: Path, journeys: str | None = None) -> Path:
    folder = tmp_path / "ws"
    (folder / "journeys").mkdir(parents=True)
    manifest = "parcours: 1\nworkspace: W\n"
    if journeys is not None:
        manifest += f"journeys: {journeys}\n"
    (folder / "workspace.yaml").write_text(manifest)
    return folder


def messages(folder: Path) -> str:
    result, problems = read(folder)
    assert result is None
    return "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("name", ["ABS", "../secret.yaml", "../../ws/../secret.yaml"])
def test_names_leaving_the_folder_are_refused(tmp_path: Path, outside: Path, name: str) -> None:
    name = str(outside) if name == "ABS" else name
    folder = workspace(tmp_path, f"['{name}']")
    text = messages(folder)
    assert "workspace.yaml:3:" in text and "leaves the workspace folder" in text
    assert CANARY not in text


def test_symlinks_leading_out_are_refused(tmp_path: Path, outside: Path) -> None:
    folder = workspace(tmp_path)
    (folder / "journeys" / "a.yaml").symlink_to(outside)
    text = messages(folder)
    assert "leads out of the workspace folder" in text and CANARY not in text
    folder2 = workspace(tmp_path / "two", "[a.yaml]")
    (folder2 / "journeys" / "a.yaml").symlink_to(outside)
    assert "workspace.yaml:3:12: journey file 'a.yaml' is a symbolic link" in messages(folder2)


def test_a_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    (folder / "real.yaml").write_text(JOURNEY)
    (folder / "journeys" / "a.yaml").symlink_to(folder / "real.yaml")
    result, problems = read(folder)
    assert result is not None, problems


def test_manifest_symlink_leading_out_is_refused(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "workspace.yaml").symlink_to(outside)
    assert "leads out of the workspace folder" in messages(folder)


def test_size_cap_applies_inside_folders(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    big = folder / "journeys" / "big.yaml"
    big.write_text(JOURNEY + "# " + "x" * (21 * MiB) + "\n")
    text = messages(folder)
    assert "big.yaml is 21.0 MiB, over the limit of 20.0 MiB (max_file_bytes)" in text


def test_invalid_utf8_in_a_journey_file_is_located(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    (folder / "journeys" / "a.yaml").write_bytes(b"parcours: 1\njourney: \xff bad\n")
    assert "journeys/a.yaml:2: the file is not UTF-8 text; save it as UTF-8" in messages(folder)


def test_a_fifo_in_journeys_does_not_block(tmp_path: Path) -> None:
    import os

    folder = workspace(tmp_path)
    os.mkfifo(folder / "journeys" / "a.yaml")
    assert "is a named pipe (FIFO), not a regular file" in messages(folder)
