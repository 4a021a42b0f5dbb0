"""Load Ibis' SQL compilers one dialect at a time.

Ibis' package ``ibis.backends.sql.compilers`` imports the compiler of every dialect it
ships (Athena, Snowflake, Trino, BigQuery… and the SQLGlot dialects behind them) as soon
as any backend is loaded: about 0.1 s of every command's start, for the one compiler an
engine uses. :func:`defer_sql_compilers` puts in its place the same package whose
compilers load on first use (``compilers.duckdb``, ``compilers.PostgresCompiler``, or
``from ibis.backends.sql.compilers import TrinoCompiler``), the way a PEP 562 module
does: every name the package offers stays available, only loaded when asked for.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

PACKAGE = "ibis.backends.sql.compilers"


def _submodule(attribute: str) -> str:
    """The module of a compiler name (``DuckDBCompiler`` → ``duckdb``) or a module name."""
    return (
        attribute.removesuffix("Compiler").lower() if attribute.endswith("Compiler") else attribute
    )


def _lazy_package(module: ModuleType) -> None:
    def __getattr__(attribute: str) -> object:
        if attribute.startswith("__"):
            raise AttributeError(f"module {PACKAGE!r} has no attribute {attribute!r}")
        name = f"{PACKAGE}.{_submodule(attribute)}"
        try:
            loaded = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the dialect's own dependency is missing: say so
                raise
            raise AttributeError(f"module {PACKAGE!r} has no attribute {attribute!r}") from None
        return (
            loaded
            if loaded.__name__.rpartition(".")[2] == attribute
            else getattr(loaded, attribute)
        )

    module.__getattr__ = __getattr__  # type: ignore[method-assign]


def defer_sql_compilers() -> bool:
    """Install the lazily loading compilers package unless Ibis' own is already loaded;
    returns whether it is now the lazy one."""
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None:
        return getattr(loaded, "__lazy__", False) is True
    spec = importlib.util.find_spec(PACKAGE)  # imports ibis.backends.sql, needed anyway
    if spec is None or not spec.submodule_search_locations:
        return False
    module = importlib.util.module_from_spec(spec)  # its __init__ is not run
    module.__lazy__ = True  # type: ignore[attr-defined]
    _lazy_package(module)
    sys.modules[PACKAGE] = module
    sys.modules["ibis.backends.sql"].compilers = module  # type: ignore[attr-defined]
    return True
