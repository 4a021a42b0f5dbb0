"""The CLI reference (docs/cli.md), generated from the commands' own help.

``python -m parcours.cli.reference > docs/cli.md`` rewrites it; a test fails when it is stale.
"""

from __future__ import annotations

import re
from typing import Any

import typer

from parcours.cli import app


def _default(param: Any) -> str:
    if param.required:
        return "required"
    default = param.default
    if default is None or default is False or default == () or callable(default):
        return ""
    return f"`{default}`"


def cli_reference() -> str:
    group: Any = typer.main.get_command(app)
    ctx = group.make_context("parcours", [], resilient_parsing=True)
    out = [
        "# CLI reference",
        "",
        "Generated from the commands' own help by `python -m parcours.cli.reference`;",
        "`parcours COMMAND --help` says the same. Every command prints one clear sentence",
        "on stderr and exits 1 on bad input.",
        "",
    ]
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        assert command is not None
        sub = command.make_context(name, [], parent=ctx, resilient_parsing=True)
        pieces = [re.sub(r"\{([\w-]+)\}", lambda m: m.group(1).upper(), piece)
                  for piece in command.collect_usage_pieces(sub)]  # fmt: skip
        out += [f"## `parcours {name}`", "", (command.help or "").strip(), "", "```",
                f"parcours {name} {' '.join(pieces)}".rstrip(), "```", ""]  # fmt: skip
        rows = []
        for param in command.params:
            if param.name == "help":
                continue
            if param.param_type_name == "option":
                names = ", ".join(f"`{o}`" for o in param.opts)
            else:
                names = f"`{(param.name or '').upper()}`"
            help_text = (getattr(param, "help", None) or "").replace("|", "\\|").replace("\n", " ")
            rows.append(f"| {names} | {help_text} | {_default(param)} |")
        if rows:
            out += ["| argument / option | meaning | default |", "| --- | --- | --- |", *rows, ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(cli_reference())
