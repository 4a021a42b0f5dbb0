"""docs/operations.md lists every operation, and its examples run as written."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from parcours.model import operations as ops

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def _rows() -> dict[str, str]:
    """Operation tag → the JSON example of its row in the tables."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([a-z_]+)` \| `(\{.*?\})` \|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_the_page_lists_every_operation_with_an_example_that_reads_back() -> None:
    rows = _rows()
    assert sorted(rows) == sorted(ops.OPERATIONS)
    for tag, example in rows.items():
        op = ops.operation_from_json(example)
        assert op.op == tag
        assert json.loads(op.describe())["op"] == tag
        assert (tag in ops.WORKSPACE_OPERATIONS) == ("workspace" in type(op).target)


def test_the_json_schema_accepts_every_example_and_names_every_kind() -> None:
    import jsonschema

    schema = ops.operations_schema()
    examples = [json.loads(example) for example in _rows().values()]
    jsonschema.validate(examples, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"op": "set_emotion", "step": "a", "score": 7}], schema)
    assert set(ops.OPERATIONS) <= set(json.dumps(schema).split('"'))


def test_the_python_example_runs_as_written() -> None:
    text = DOC.read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    assert "cell/emotions/" in out.getvalue()
