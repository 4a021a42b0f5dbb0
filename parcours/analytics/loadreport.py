"""What reading an event log found: :class:`LoadReport`, and the error for bad rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parcours.errors import BadData, Problem


@dataclass
class LoadReport:
    """What reading a source found: rows read, bad rows skipped, the first problems."""

    source: str
    format: str
    n_rows: int = 0  # data rows seen, bad ones included
    n_skipped: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first ones, in file order
    columns: dict[str, str] = field(default_factory=dict)  # role → source column
    encoding: str | None = None  # text files: the encoding read (utf-8, cp1252…)
    delimiter: str | None = None  # delimited text: the separator
    timestamps: str | None = None  # how text timestamps were read, and why
    notes: list[str] = field(default_factory=list)  # what a reader decided, in sentences

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "n_rows": self.n_rows,
            "n_skipped": self.n_skipped,
            "problems": [p.to_dict() for p in self.problems],
            "columns": dict(self.columns),
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "timestamps": self.timestamps,
            "notes": list(self.notes),
        }


def bad_data_error(report: LoadReport, n_bad: int) -> BadData:
    shown = "\n".join(str(p) for p in report.problems)
    more = n_bad - len(report.problems)
    tail = f"\n… and {more} more" if more > 0 else ""
    if report.n_rows and n_bad >= report.n_rows:
        head = (
            f"every row is bad ({n_bad:,} of {n_bad:,}), so there is nothing to analyse; "
            "check the column mapping (--case, --activity, --timestamp) and the timestamp "
            "format (--timestamp-format, --dayfirst)"
        )
    else:
        head = (
            f"{n_bad:,} bad row{'s' if n_bad != 1 else ''} of {report.n_rows:,} "
            "(use on_error='skip' / --on-error skip to leave them out)"
        )
    return BadData(f"{report.source}: {head}:\n{shown}{tail}")
