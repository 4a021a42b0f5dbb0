"""The map importer refuses workbooks that would cost minutes or gigabytes before openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from parcours.errors import TooLarge
from parcours.limits import Limits
from parcours.render.office.reader import import_xlsx
from parcours.render.office.writer import save_xlsx
from parcours.security import check_sheets, column_number
from tests.render.test_xlsx import linear


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_xlsx(linear(), tmp_path_factory.mktemp("x") / "map.xlsx")


def with_cell(source: Path, target: Path, ref: str, value: object = "x") -> Path:
    workbook = openpyxl.load_workbook(source)
    workbook["Map"][ref] = value
    workbook.save(target)
    return target


def test_column_numbers() -> None:
    assert (column_number("A"), column_number("Z"), column_number("AA"), column_number("XFD")) == (
        1,
        26,
        27,
        16384,
    )


@pytest.mark.parametrize(
    ("ref", "message"),
    [("A1048576", "row 1,048,576, over the limit of 100,000 rows"), ("XFD1", "column 16,384")],
)
def test_a_far_cell_is_refused_fast(exported: Path, tmp_path: Path, ref: str, message: str) -> None:
    bad = with_cell(exported, tmp_path / "far.xlsx", ref)
    assert bad.stat().st_size < 64 * 1024
    start = time.perf_counter()
    with pytest.raises(TooLarge, match=message) as info:
        import_xlsx(bad)
    assert time.perf_counter() - start < 2
    assert "PARCOURS_LIMIT_SHEET_" in str(info.value) and "far.xlsx (sheet1.xml)" in str(info.value)


def test_cells_and_shared_strings_are_counted(exported: Path) -> None:
    data = exported.read_bytes()
    check_sheets(data, "map.xlsx")
    with pytest.raises(TooLarge, match="max_sheet_cells"):
        check_sheets(data, "map.xlsx", Limits(max_sheet_cells=5))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        strings = "".join(f"<si><t>s{n}</t></si>" for n in range(10))
        target.writestr("xl/sharedStrings.xml", f"<sst>{strings}</sst>")
    check_sheets(buffer.getvalue(), "map.xlsx", Limits(max_shared_strings=10))
    with pytest.raises(TooLarge, match="max_shared_strings"):
        check_sheets(buffer.getvalue(), "map.xlsx", Limits(max_shared_strings=9))


def test_dates_where_numbers_are_expected_are_warnings(exported: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(exported)
    for sheet in ("KPIs", "Pain points"):
        for row in workbook[sheet].iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.value = dt.datetime(2026, 1, 1)
    workbook.save(tmp_path / "dates.xlsx")
    result = import_xlsx(tmp_path / "dates.xlsx")
    assert result.problems and all(p.severity == "warning" for p in result.problems)
