"""The public API is curated: ``__all__`` is sorted, complete, importable and loads lazily."""

from __future__ import annotations

import subprocess
import sys

import parcours


def test_all_is_sorted_and_unique() -> None:
    assert list(parcours.__all__) == sorted(parcours.__all__)
    assert len(set(parcours.__all__)) == len(parcours.__all__)


def test_every_exported_name_exists_and_comes_from_its_module() -> None:
    for name in parcours.__all__:
        assert getattr(parcours, name) is not None, name
    assert set(parcours._WHERE) == set(parcours.__all__) - {"__version__"}


def test_dir_lists_the_public_names() -> None:
    listed = {n for n in dir(parcours) if not n.startswith("_")}
    assert set(parcours.__all__) - {"__version__"} <= listed
    assert {"analytics", "render"} <= listed


def test_import_parcours_stays_light() -> None:
    code = "import sys, parcours; print(sorted(m for m in ('pydantic', 'yaml', 'ibis', 'duckdb') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_command_line_starts_light() -> None:
    """Building the CLI (every command registered) imports neither the model's classes nor
    a data or office library: each command imports what it uses when it runs."""
    heavy = ("pydantic", "ibis", "duckdb", "pptx", "openpyxl", "parcours.model.journey")
    code = f"import sys, parcours.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_render_and_analytics_load_lazily() -> None:
    assert parcours.render.to_svg is not None
    assert parcours.analytics.read_events is not None
    assert parcours.__version__ == "0.1.0"
