"""The one limits module: defaults, raising a limit from the environment, refusal messages."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from parcours import limits as L
from parcours.analytics.limits import Limits as AnalyticsLimits
from parcours.errors import BadData, InvalidArgument, NotFound, TooLarge, no_such
from parcours.limits import DEFAULT_LIMITS, Limits, current_limits, refusal
from parcours.security import DEFAULT_CAPS, ZipCaps, read_capped


def test_one_type_for_every_budget() -> None:
    assert ZipCaps is Limits and AnalyticsLimits is Limits and DEFAULT_CAPS is DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_file_bytes == 20 * L.MiB
    with pytest.raises(Exception, match="cannot assign"):
        DEFAULT_LIMITS.max_steps = 1  # type: ignore[misc]


def test_environment_raises_a_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_LIMIT_FILE_BYTES", "64MiB")
    monkeypatch.setenv("PARCOURS_LIMIT_STEPS", "20_000")
    monkeypatch.setenv("PARCOURS_LIMIT_RATIO", "50")
    monkeypatch.setenv("PARCOURS_LIMIT_REFUSE_DTD", "true")
    monkeypatch.setenv("PARCOURS_LIMIT_BYTES", "unlimited")
    limits = current_limits()
    assert limits.max_file_bytes == 64 * L.MiB
    assert limits.max_steps == 20_000
    assert limits.max_ratio == 50.0
    assert limits.max_bytes is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("PARCOURS_LIMIT_STEPZ", "1", "unknown limit PARCOURS_LIMIT_STEPZ; the variables are"),
        ("PARCOURS_LIMIT_STEPS", "many", "is not a number; write e.g."),
        ("PARCOURS_LIMIT_STEPS", "0", "should be a positive number"),
        ("PARCOURS_LIMIT_REFUSE_DTD", "maybe", "should be true or false"),
    ],
)
def test_bad_environment_values_are_named(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str, message: str
) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(InvalidArgument, match=message):
        current_limits()


def test_every_field_has_a_doc_comment() -> None:
    lines = Path(L.__file__).read_text(encoding="utf-8").splitlines()
    for name in L.limit_names():
        at = next(n for n, line in enumerate(lines) if line.startswith(f"    {name}:"))
        assert lines[at - 1].strip().startswith("#:"), name


def test_refusal_names_the_limit_the_value_and_the_way_to_raise_it() -> None:
    text = refusal("max_steps", 12_000, "journey 'x'")
    assert text == (
        "journey 'x' has 12,000 steps, over the limit of 10,000 (max_steps); raise it with "
        "PARCOURS_LIMIT_STEPS=… if the input is genuine (see docs/limits.md)"
    )
    assert "is 25.0 MiB, over the limit of 20.0 MiB" in refusal("max_file_bytes", 25 * L.MiB, "f")


def test_replace_refuses_unknown_names() -> None:
    assert DEFAULT_LIMITS.replace(max_steps=5).max_steps == 5
    with pytest.raises(InvalidArgument, match="unknown limit max_stepz"):
        DEFAULT_LIMITS.replace(max_stepz=5)


def test_quote_cuts_long_texts() -> None:
    assert L.quote("x" * 10_000) == "'" + "x" * 79 + "…'"
    assert L.quote("a\nb") == "'a\\nb'"


def test_no_such_lists_the_ids() -> None:
    error = no_such("persona", "bobb", ["ana", "bob", "leo"])
    assert isinstance(error, NotFound)
    assert str(error) == "no persona with id 'bobb'; did you mean 'bob'? the ids are: ana, bob, leo"
    assert str(no_such("stage", "x", [])) == "no stage with id 'x'; there are none"
    many = str(no_such("step", "zz", [f"s{n}" for n in range(50)]))
    assert many.endswith("s19, … (50 in all)")


def test_invalid_argument_is_a_value_error() -> None:
    assert issubclass(InvalidArgument, ValueError)


def test_read_capped_counts_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_bytes(b"x" * 2048)
    assert read_capped(path, Limits(max_file_bytes=4096)) == b"x" * 2048
    with pytest.raises(
        TooLarge, match=r"is 2\.0 KiB, over the limit of 1\.0 KiB \(max_file_bytes\)"
    ):
        read_capped(path, Limits(max_file_bytes=1024))


def test_read_capped_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(BadData, match=r"pipe.yaml is a named pipe \(FIFO\), not a regular file"):
        read_capped(fifo)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    with pytest.raises(BadData, match="is a device, not a regular file"):
        read_capped(zero)
    with pytest.raises(BadData, match="is a folder"):
        read_capped(tmp_path)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_the_docs_list_every_limit_with_its_default() -> None:
    page = (Path(__file__).parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")
    for field, variable, default, meaning in L.described():
        assert f"| `{variable}` | {default} | `{field}` | {meaning} |" in page, field
