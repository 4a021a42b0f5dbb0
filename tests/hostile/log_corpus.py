"""The hostile corpus of event logs: CSV, XES, Parquet and Excel inputs that attack or
confuse the readers, with what each must give.

``python -m tests.hostile.log_corpus`` (re)writes the small inputs under
``tests/hostile/corpus/{csv,xes,parquet,xlsx-log}/`` with an ``expect.json`` per folder:
``{file: fragment}`` where the fragment must appear in the message of a refusal (it names
the place: a line, a row, a part of the archive), or ``"ok"`` for an input that must be
read. Large inputs (bombs) are never committed: :func:`build_large` writes them at test
time. Everything is deterministic: the same bytes on every run.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
HEADER = b"case,activity,timestamp\n"
GOOD = b"c1,Visit,2026-01-31T10:00:00Z\nc1,Buy,2026-01-31T11:00:00Z\n"
XES_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
Case = tuple[str, bytes, str]  # file name, content, expected fragment (or "ok")


def _rows(n: int, ts: Callable[[int], str]) -> bytes:
    return "".join(f"c{i // 3},A{i % 4},{ts(i)}\n" for i in range(n)).encode()


def csv_cases() -> Iterator[Case]:
    yield "empty.csv", b"", "empty.csv: the file is empty"
    yield "blank.csv", b"\n\n   \n", "blank.csv: the file is empty"
    yield "header-only.csv", HEADER, "header-only.csv: no events"
    yield "nul.csv", b"case\x00activity\x00\x00\x00" * 20, "nul.csv: binary data"
    yield "bom-only.csv", b"\xef\xbb\xbf", "bom-only.csv"
    yield "no-case.csv", b"who,activity,timestamp\nx,A,2026-01-01\n", "no case column"
    yield "no-activity.csv", b"case,what,timestamp\nx,A,2026-01-01\n", "no activity column"
    yield "no-time.csv", b"case,activity,when\nx,A,2026-01-01\n", "no timestamp column"
    yield "one-column.csv", b"case\nx\ny\n", "one-column.csv: no activity column"
    for name, ts in [
        ("yesterday", "yesterday"),
        ("nan", "NaN"),
        ("inf", "Infinity"),
        ("1e999", "1e999"),
        ("1e300", "1e300"),
        ("month13", "2026-13-45T10:00:00Z"),
        ("year0", "0000-01-01T00:00:00Z"),
        ("feb30", "2026-02-30"),
        ("digits", "9" * 5000),
        ("negative", "-99999999999999999999"),
        ("tz-garbage", "2026-01-01T10:00:00+99:99"),
        ("spaces", "   "),
        ("escape", "\x1b]0;pwned\x07\x1b[2J"),
        ("long", "2026-01-01" + "x" * 100_000),
    ]:
        yield f"ts-{name}.csv", HEADER + f"c1,A,{ts}\n".encode(), f"ts-{name}.csv:2:"
    yield "all-blank-case.csv", HEADER + b",A,2026-01-01\n,B,2026-01-02\n", "every row is bad"
    yield "wrong-width.csv", HEADER + b"c1,A\nc2\n", "every row is bad"
    yield "ambiguous.csv", HEADER + b"c1,A,03/04/2026\nc1,B,05/06/2026\n", "(line 2)"
    yield "disagree.csv", HEADER + b"c1,A,13/04/2026\nc1,B,04/13/2026\n", "(line 3)"
    yield "unclosed-quote.csv", HEADER + b'c1,"A,2026-01-01\nc2,B,2026-01-02\n', "unclosed"
    yield "bad-format-late.csv", HEADER + GOOD * 10 + b"c1,A,not a date\n", ":22:"
    yield "wide-header.csv", b",".join(b"c%d" % i for i in range(20_000)) + b"\n", "no case"
    yield "dup-header.csv", b"case,case,activity,activity\n1,2,A,B\n", "no timestamp"
    yield "only-delims.csv", b";;;;\n;;;;\n", "only-delims.csv"
    yield "utf16-nobom.csv", HEADER.decode().encode("utf-16-le"), "utf16-nobom.csv"
    yield "late-cp1252.csv", HEADER + GOOD * 1200 + b"c9,Caf\xe9,2026-02-01T00:00:00Z\n", "ok"
    yield "late-undefined.csv", HEADER + GOOD * 1200 + b"c9,\x81\x8d,2026-02-01\n", "ok"
    yield "cut-utf8.csv", HEADER + GOOD + b"c9,Caf\xc3", ":4:"
    yield "formula.csv", HEADER + b'c1,"=HYPERLINK(""http://x"")",2026-01-01\nc1,B,x\n', ":3:"
    yield "cr-only.csv", HEADER.replace(b"\n", b"\r") + b"c1,A,zz\r", "cr-only.csv:2:"
    yield "crlf-bad.csv", HEADER.replace(b"\n", b"\r\n") + b"c1,A,zz\r\n", "crlf-bad.csv:2:"
    yield "bad-value.csv", b"case,activity,timestamp,value\nc1,A,2026-01-01,12 apples\n", ":2:"
    yield "nan-value.csv", b"case,activity,timestamp,value\nc1,A,2026-01-01,1e999\n", ":2:"
    yield "not-gzip.csv.gz", HEADER + GOOD, "ok"
    gz = gzip.compress(HEADER + _rows(20_000, lambda i: f"2026-01-31T10:{i % 60:02d}:00Z"), mtime=0)
    yield "truncated.csv.gz", gz[: len(gz) // 2], "truncated or corrupt"
    yield "gz-header-only.csv.gz", gz[:10], "truncated or corrupt"
    yield "gz-garbage.csv.gz", b"\x1f\x8b" + b"\xff" * 200, "truncated or corrupt"
    yield "gz-bad-crc.csv.gz", gz[:-8] + b"\0" * 8, "truncated or corrupt"
    # found by the fuzzer: Python's gzip skips zero padding, Arrow's does not
    padded = gzip.compress(HEADER + GOOD, mtime=0) + b"\0" * 32
    yield "gz-zero-padding.csv.gz", padded, "gz-zero-padding.csv.gz: the gzip stream cannot be read"
    yield "gz-of-binary.csv.gz", gzip.compress(bytes(range(256)) * 64, mtime=0), "binary data"
    yield "xml-named-csv.csv", XES_HEAD + b"<log/>", "xml-named-csv.csv"
    yield "parquet-magic.csv", b"PAR1" + b"\0" * 100 + b"PAR1", "parquet-magic.csv"
    yield "zip-named-csv.csv", b"PK\x03\x04" + b"\0" * 100, "zip-named-csv.csv"


def _xes(body: str) -> bytes:
    return XES_HEAD + body.encode()


EVENT = (
    '<event><string key="concept:name" value="{a}"/>'
    '<date key="time:timestamp" value="{t}"/></event>'
)


def _trace(case: str, events: list[tuple[str, str]]) -> str:
    inner = "".join(EVENT.format(a=a, t=t) for a, t in events)
    return f'<trace><string key="concept:name" value="{case}"/>{inner}</trace>'


def xes_cases() -> Iterator[Case]:
    ok = _trace("c1", [("A", "2026-01-01T00:00:00Z")])
    bomb = '<!DOCTYPE log [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{i} "{"&a;" * 10 if i == 0 else f"&a{i - 1};" * 10}">' for i in range(9)
    )
    yield "lol.xes", _xes(bomb + "]>\n<log>" + ok + "</log>"), "DOCTYPE or entities"
    yield (
        "xxe.xes",
        _xes('<!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<log/>'),
        "DOCTYPE",
    )
    yield (
        "xxe-param.xes",
        _xes('<!DOCTYPE log [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]><log/>'),
        "DOCTYPE",
    )
    yield "dtd-ext.xes", _xes('<!DOCTYPE log SYSTEM "http://127.0.0.1:9/log.dtd"><log/>'), "DOCTYPE"
    yield "doctype-lower.xes", _xes("<!doctype log><log/>"), "DOCTYPE"
    yield "doctype-late.xes", _xes("<!--" + "x" * 70_000 + "-->" + "<!DOCTYPE log><log/>"), "64 KiB"
    yield "doctype-in-body.xes", _xes("<log>" + ok + '<!DOCTYPE x [<!ENTITY a "b">]></log>'), ":2:"
    yield (
        "entity-ref.xes",
        _xes("<log>" + ok.replace('value="c1"', 'value="&undefined;"') + "</log>"),
        "entity-ref.xes:2: not well-formed XML: Entity",
    )
    yield (
        "deep.xes",
        _xes("<log>\n<trace>\n" + '<list key="l">' * 5000 + "</list>" * 5000 + "</trace></log>"),
        ":4:",
    )
    yield (
        "deep-events.xes",
        _xes("<log>\n" + "<trace>" * 300 + "</trace>" * 300 + "</log>"),
        "deep-events.xes:3:",
    )
    yield "big-name.xes", _xes("<log>\n<" + "t" * 100_000 + "/></log>"), "big-name.xes"
    yield "not-xml.xes", b"this is not xml at all\n", "not-xml.xes"
    yield "empty.xes", b"", "empty.xes"
    yield "truncated.xes", _xes("<log>\n" + ok + ok[:40]), "truncated.xes:"
    yield "unclosed.xes", _xes("<log>\n<trace>\n<event>\n</log>"), "unclosed.xes:"
    yield "no-trace.xes", _xes("<log></log>"), "no <trace>"
    yield (
        "events-outside.xes",
        _xes("<log>" + EVENT.format(a="A", t="2026-01-01") + "</log>"),
        "no <trace>",
    )
    yield "trace-no-events.xes", _xes("<log><trace/></log>"), "no-events.xes"
    yield (
        "no-timestamp.xes",
        _xes(
            '<log><trace><string key="concept:name" value="c"/><event><string key="concept:name" value="A"/></event></trace></log>'
        ),
        "no timestamp",
    )
    yield (
        "bad-date.xes",
        _xes("<log>\n" + _trace("c", [("A", "yesterday")]) + "</log>"),
        "bad-date.xes:3:",
    )
    yield (
        "nan-date.xes",
        _xes("<log>\n" + _trace("c", [("A", "NaN")]) + "</log>"),
        "nan-date.xes:3:",
    )
    yield (
        "year0.xes",
        _xes("<log>\n" + _trace("c", [("A", "0000-00-00T00:00:00")]) + "</log>"),
        "year0.xes:3:",
    )
    yield (
        "month13.xes",
        _xes("<log>\n" + _trace("c", [("A", "2026-13-45T10:00:00Z")]) + "</log>"),
        "month13.xes:3:",
    )
    yield (
        "bad-utf8.xes",
        _xes("<log>\n") + b'<trace><string key="concept:name" value="\xff\xfe"/></trace></log>',
        "bad-utf8.xes:",
    )
    yield (
        "utf16.xes",
        ("<?xml version='1.0' encoding='UTF-16'?><log>" + ok + "</log>").encode("utf-16"),
        "ok",
    )
    yield (
        "pi-stylesheet.xes",
        _xes('<?xml-stylesheet href="http://127.0.0.1:9/x.xsl"?><log>' + ok + "</log>"),
        "ok",
    )
    yield (
        "xinclude.xes",
        _xes(
            '<log xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"/>'
            + ok
            + "</log>"
        ),
        "ok",
    )
    yield (
        "many-attrs.xes",
        _xes("<log>\n<trace " + " ".join(f'a{i}="x"' for i in range(20_000)) + "/></log>"),
        "many-attrs.xes",
    )
    yield "cdata.xes", _xes("<log>\n<![CDATA[" + "x" * 200_000 + "]]>" + "</log>"), "no <trace>"
    yield (
        "empty-case.xes",
        _xes("<log>\n" + _trace("", [("A", "2026-01-01T00:00:00Z")]) + "</log>"),
        "empty-case.xes:3: case id",
    )
    gz = gzip.compress(_xes("<log>\n" + ok * 2000 + "</log>"), mtime=0)
    yield "truncated.xes.gz", gz[: len(gz) // 2], "truncated or corrupt"


def _parquet(table: object, **kwargs: object) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink, **kwargs)  # type: ignore[arg-type]
    return sink.getvalue()


def parquet_cases() -> Iterator[Case]:
    import pyarrow as pa

    def log(ts: object, n: int = 3) -> object:
        return pa.table(
            {"case_id": ["c"] * n, "activity": [f"A{i}" for i in range(n)], "timestamp": ts}
        )

    good = _parquet(log([1.7e9, 1.7e9 + 1, 1.7e9 + 2]))
    yield "magic.parquet", b"PAR1", "not a readable Parquet file"
    yield "magic2.parquet", b"PAR1PAR1", "not a readable Parquet file"
    yield "zero-footer.parquet", b"PAR1\0\0\0\0PAR1", "not a readable Parquet file"
    yield "huge-footer.parquet", b"PAR1" + b"\0" * 32 + b"\xff\xff\xff\x7fPAR1", "not a readable"
    yield "torn-footer.parquet", good[:20] + good[-12:], "not a readable Parquet file"
    yield (
        "garbage-middle.parquet",
        b"PAR1" + bytes(range(256)) * 8 + b"\x10\0\0\0PAR1",
        "not a readable",
    )
    yield "head-only.parquet", good[: len(good) // 2], "head-only.parquet"
    yield "no-tail.parquet", good[:-4], "no-tail.parquet"
    yield "csv-named-parquet.parquet", HEADER + GOOD, "not a parquet file"
    yield "nan-ts.parquet", _parquet(log([math.nan, math.nan, math.nan])), "row 1: timestamp 'nan'"
    yield "inf-ts.parquet", _parquet(log([math.inf, -math.inf, math.inf])), "row 1: timestamp 'inf'"
    yield "huge-ts.parquet", _parquet(log([1e300, 1e300, 1e300])), "row 1: timestamp"
    yield "int-max-ts.parquet", _parquet(log(pa.array([2**63 - 1] * 3, pa.int64()))), "ok"
    # found by the fuzzer: typed instants Python's datetime cannot hold
    far = pa.array([2**62, 1_769_853_600_000_000, -(2**62)], pa.timestamp("us"))
    yield "far-ts.parquet", _parquet(log(far)), "far-ts.parquet: 2 bad rows of 3"
    yield (
        "text-ts.parquet",
        _parquet(log(["yesterday", "soon", "never"])),
        "row 1: timestamp 'yesterday'",
    )
    yield "null-ts.parquet", _parquet(log(pa.array([None, None, None], pa.float64()))), "row 1"
    yield "no-columns.parquet", _parquet(pa.table({"x": [1, 2]})), "no case column"
    yield (
        "empty-case.parquet",
        _parquet(
            pa.table({"case_id": ["", " "], "activity": ["A", "B"], "timestamp": [1.7e9, 1.7e9]})
        ),
        "row 1: case id",
    )
    pickled = log([1.7e9] * 3).replace_schema_metadata(  # type: ignore[attr-defined]
        {
            b"ARROW:extension:name": b"arrow.py_extension_type",
            b"evil": b"cos\nsystem\n(S'touch /tmp/pwned'\ntR.",
        }
    )
    yield "pickle-meta.parquet", _parquet(pickled), "ok"


def _xlsx(rows: list[list[object]], patch: Callable[[str, bytes], bytes] | None = None) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":  # the same bytes on every run
                data = re.sub(rb">\d{4}-\d\d-\d\dT[\d:.]+Z?<", b">2026-01-01T00:00:00Z<", data)
            zout.writestr(info, patch(item.filename, data) if patch else data)
    return out.getvalue()


def xlsx_cases() -> Iterator[Case]:
    head = ["case", "activity", "timestamp"]
    rows: list[list[object]] = [head, ["c1", "A", "2026-01-31T10:00:00Z"], ["c1", "B", "soon"]]
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'

    def inject(part: str) -> Callable[[str, bytes], bytes]:
        def patch(name: str, data: bytes) -> bytes:
            if name == part:
                return data.replace(b"?>", b"?>" + doctype, 1) if b"?>" in data else doctype + data
            return data

        return patch

    for part in (
        "xl/worksheets/sheet1.xml",
        "xl/workbook.xml",
        "[Content_Types].xml",
        "xl/styles.xml",
    ):
        short = part.rsplit("/", 1)[-1].split(".")[0].strip("[]").lower()
        yield f"dtd-{short}.xlsx", _xlsx(rows, inject(part)), "declares a DTD"

    def dimension(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFE1048577"', data)
        return data

    yield "dimension.xlsx", _xlsx(rows, dimension), "beyond Excel's grid"
    yield "bad-ts.xlsx", _xlsx(rows), "bad-ts.xlsx:3:"
    yield "header-only.xlsx", _xlsx([head]), "no events"
    yield "empty.xlsx", _xlsx([]), "the sheet is empty"
    yield "no-columns.xlsx", _xlsx([["x", "y"], [1, 2]]), "no case column"
    yield "huge-number-ts.xlsx", _xlsx([head, ["c", "A", 1e300]]), "huge-number-ts.xlsx:2:"
    yield "nan-text.xlsx", _xlsx([head, ["c", "A", "NaN"]]), "nan-text.xlsx:2:"
    yield (
        "ambiguous.xlsx",
        _xlsx([head, ["c", "A", "03/04/2026"], ["c", "B", "05/06/2026"]]),
        "(line 2)",
    )
    # found by the fuzzer: a zip directory asking for a version zipfile does not know
    exotic = bytearray(_xlsx(rows))
    at = exotic.find(b"PK\x01\x02")
    exotic[at + 6 : at + 8] = (129).to_bytes(2, "little")
    yield "zip-version.xlsx", bytes(exotic), "zip-version.xlsx: not a valid zip archive"
    yield "not-zip.xlsx", b"PK\x03\x04" + b"\0" * 200, "not a valid zip"
    yield "ole.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "the name says xlsx"
    yield "text.xlsx", HEADER + GOOD, "the name says xlsx"

    def drop(part: str) -> Callable[[str, bytes], bytes]:
        def patch(name: str, data: bytes) -> bytes:
            return b"" if name == part else data

        return patch

    yield "no-workbook.xlsx", _xlsx(rows, drop("xl/workbook.xml")), "no-workbook.xlsx"
    yield "no-sheet.xlsx", _xlsx(rows, drop("xl/worksheets/sheet1.xml")), "no-sheet.xlsx"
    yield "no-styles.xlsx", _xlsx(rows, drop("xl/styles.xml")), "no-styles.xlsx"

    def garble(name: str, data: bytes) -> bytes:
        return data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data

    yield "torn-sheet.xlsx", _xlsx(rows, garble), "torn-sheet.xlsx"

    def shared_out_of_range(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(
                b'<c r="A2" t="inlineStr"><is><t>c1</t></is></c>',
                b'<c r="A2" t="s"><v>99999</v></c>',
            )
        return data

    yield "shared-index.xlsx", _xlsx(rows, shared_out_of_range), "shared-index.xlsx"
    import datetime as dt

    yield (
        "date-cells.xlsx",
        _xlsx([head, ["c", "A", dt.datetime(2026, 1, 1)], ["c", "B", dt.datetime(2026, 1, 2)]]),
        "ok",
    )


KINDS: dict[str, Callable[[], Iterator[Case]]] = {
    "csv": csv_cases,
    "xes": xes_cases,
    "parquet": parquet_cases,
    "xlsx-log": xlsx_cases,
}


def build_large(folder: Path) -> dict[str, str]:
    """Write the inputs too large to commit (bombs, special files) into ``folder``;
    return their expectations."""
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}
    member = gzip.compress(b"c1,A,2026-01-31T10:00:00Z\n" * 40_000, compresslevel=9, mtime=0)
    with (folder / "bomb.csv.gz").open("wb") as f:  # 1 GiB of rows in ~1 MiB
        f.write(gzip.compress(HEADER, mtime=0))
        for _ in range(1000):
            f.write(member)
    expect["bomb.csv.gz"] = "compression ratio over 200:1"
    event = b'<event><string key="concept:name" value="A"/></event>' * 20_000
    member = gzip.compress(event, compresslevel=9, mtime=0)
    with (folder / "bomb.xes.gz").open("wb") as f:
        f.write(
            gzip.compress(XES_HEAD + b'<log><trace><string key="concept:name" value="c"/>', mtime=0)
        )
        for _ in range(1000):
            f.write(member)
    expect["bomb.xes.gz"] = "compression ratio over 200:1"
    ok = _trace("c1", [("A", "2026-01-01T00:00:00Z")])
    big = _xes("<log>\n" + ok.replace('value="c1"', f'value="{"c" * 2_000_000}"') + "</log>")
    (folder / "big-attr.xes").write_bytes(big)
    expect["big-attr.xes"] = "big-attr.xes:3: attribute 'concept:name' holds 2,000,000"
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 20_000_000
    index = pa.array([0] * n, pa.int32())
    pq.write_table(
        pa.table(
            {
                "case_id": pa.DictionaryArray.from_arrays(index, pa.array(["c"])),
                "activity": pa.DictionaryArray.from_arrays(index, pa.array(["A"])),
                "timestamp": pa.array([1.7e9]).take(index),
            }
        ),
        folder / "rows.parquet",
        row_group_size=n,
    )
    expect["rows.parquet"] = "the footer promises 20,000,000 rows"
    with zipfile.ZipFile(folder / "zipbomb.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(256):
                part.write(b" " * (1 << 20))
    expect["zipbomb.xlsx"] = "zip bomb"
    (folder / "fifo.csv").unlink(missing_ok=True)
    import os

    os.mkfifo(folder / "fifo.csv")
    expect["fifo.csv"] = "fifo.csv: not a regular file"
    (folder / "zero.csv").unlink(missing_ok=True)
    (folder / "zero.csv").symlink_to("/dev/zero")
    expect["zero.csv"] = "zero.csv: not a regular file"
    return expect


def write_corpus(root: Path = CORPUS) -> int:
    """Write every small input and its ``expect.json``; return how many."""
    total = 0
    for kind, cases in KINDS.items():
        folder = root / kind
        folder.mkdir(parents=True, exist_ok=True)
        expect: dict[str, str] = {}
        for name, content, fragment in cases():
            assert name not in expect, name
            (folder / name).write_bytes(content)
            expect[name] = fragment
        (folder / "expect.json").write_text(json.dumps(expect, indent=1, ensure_ascii=False) + "\n")
        total += len(expect)
    return total


if __name__ == "__main__":
    print(write_corpus(), "inputs written under", CORPUS)
