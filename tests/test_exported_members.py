"""The public API is curated: ``__all__`` is sorted, complete and importable."""

from __future__ import annotations

import parcours


def test_all_is_sorted_and_unique() -> None:
    assert list(parcours.__all__) == sorted(parcours.__all__)
    assert len(set(parcours.__all__)) == len(parcours.__all__)


def test_every_exported_name_exists() -> None:
    for name in parcours.__all__:
        assert getattr(parcours, name) is not None, name


def test_public_names_of_the_module_are_all_exported() -> None:
    public = {
        n
        for n in dir(parcours)
        if not n.startswith("_") and n not in ("annotations", "importlib", "Any")
    }
    submodules = {
        "catalog",
        "errors",
        "files",
        "model",
        "fileformat",
        "cli",
        "render",
        "analytics",
        "security",
    }
    assert public - submodules == set(parcours.__all__) - {"__version__"}


def test_render_and_analytics_load_lazily() -> None:
    assert parcours.render.to_svg is not None
    assert parcours.analytics.read_events is not None
    assert parcours.__version__ == "0.1.0"
