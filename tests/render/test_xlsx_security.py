"""Malicious workbooks are refused fast, in bounded memory, before openpyxl parses them.

Every file here is a real one, built in the test: a zip bomb, a zip that lies about its
sizes, a zip of too many entries, an XML entity bomb and an external entity (XXE) in
sharedStrings.xml and in a worksheet, each checked with the DTD scan and with defusedxml
alone. RELIABILITY S7 and S8.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest

from parcours.errors import BadData, TooLarge
from parcours.render.office.reader import import_workbook, import_xlsx
from parcours.render.office.writer import save_xlsx
from parcours.security import ZipCaps, check_zip
from tests.render.test_xlsx import linear

BOMB_BYTES = 320 * 1024 * 1024  # 320 MiB of zeros, about 320 KiB compressed


def exported(tmp_path: Path) -> Path:
    return save_xlsx(linear(), tmp_path / "map.xlsx")


def rebuild(
    source: Path,
    target: Path,
    replace: dict[str, bytes] | None = None,
    extra: list[tuple[str, bytes | int]] | None = None,
) -> Path:
    """A copy of ``source`` with entries replaced, and extra entries (bytes, or N zeros)."""
    replace = replace or {}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, content in extra or []:
            if isinstance(content, int):
                with zout.open(name, "w", force_zip64=True) as stream:
                    block = bytes(16 * 1024 * 1024)
                    for _ in range(content // len(block)):
                        stream.write(block)
            else:
                zout.writestr(name, content)
    return target


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bomb")
    return rebuild(
        exported(folder), folder / "bomb.xlsx", extra=[("xl/media/image1.png", BOMB_BYTES)]
    )


def test_defusedxml_protects_openpyxl() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def test_zip_bomb_is_refused_fast_by_its_central_directory(bomb: Path) -> None:
    assert bomb.stat().st_size < 5 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(TooLarge, match=r"zip bomb|over the"):
        import_xlsx(bomb)
    assert time.perf_counter() - start < 3


def lie_about_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """Patch the central directory so that entry ``name`` declares ``size`` bytes."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) != -1:
        name_len = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", out, at + 20, size // 4 or 1)  # compressed size is kept below
            struct.pack_into("<I", out, at + 24, size)
            extra_len = struct.unpack_from("<H", out, at + 30)[0]
            out[at + 46 + name_len : at + 46 + name_len + extra_len] = bytes(
                extra_len
            )  # drop zip64 sizes
        at += 4
    return bytes(out)


def test_a_zip_that_lies_about_its_sizes_is_stopped_by_counting(tmp_path: Path) -> None:
    source = rebuild(
        exported(tmp_path), tmp_path / "big.xlsx", extra=[("xl/media/image1.png", 96 * 1024 * 1024)]
    )
    data = lie_about_sizes(source.read_bytes(), b"xl/media/image1.png", 1000)
    caps = ZipCaps(max_entry_bytes=8 * 1024 * 1024, max_total_bytes=16 * 1024 * 1024)
    start = time.perf_counter()
    with pytest.raises(BadData):
        import_workbook(data, "liar.xlsx", caps=caps)
    assert time.perf_counter() - start < 3


def test_counting_stops_an_entry_over_the_cap_even_when_declared_right(tmp_path: Path) -> None:
    source = rebuild(
        exported(tmp_path), tmp_path / "big.xlsx", extra=[("xl/media/a.bin", 32 * 1024 * 1024)]
    )
    # declared sizes pass (ratio cap off, entry cap high), the running total does not
    caps = ZipCaps(
        max_entry_bytes=64 * 1024 * 1024, max_total_bytes=64 * 1024 * 1024, max_ratio=1e9
    )
    check_zip(source.read_bytes(), "ok.xlsx", caps)
    caps = ZipCaps(
        max_entry_bytes=64 * 1024 * 1024, max_total_bytes=16 * 1024 * 1024, max_ratio=1e9
    )
    with pytest.raises(TooLarge):
        check_zip(source.read_bytes(), "big.xlsx", caps)


def test_too_many_entries(tmp_path: Path) -> None:
    many = rebuild(
        exported(tmp_path),
        tmp_path / "many.xlsx",
        extra=[(f"xl/media/e{n}.bin", b"") for n in range(2_100)],
    )
    with pytest.raises(TooLarge, match="entries"):
        import_xlsx(many)


def test_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    big.write_bytes(bytes(21 * 1024 * 1024))
    with pytest.raises(TooLarge, match="MiB"):
        import_xlsx(big)


def test_zip_bomb_memory_stays_bounded(bomb: Path) -> None:
    """In a fresh process: the peak RSS grows by at most 128 MiB while refusing the bomb."""
    code = f"""
import json, time
from parcours.render.office.reader import import_xlsx
from parcours.errors import TooLarge

def hwm():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) * 1024
before = hwm()
start = time.perf_counter()
try:
    import_xlsx({str(bomb)!r})
    refused = False
except TooLarge:
    refused = True
print(json.dumps({{"refused": refused, "grew": hwm() - before, "seconds": time.perf_counter() - start}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["refused"]
    assert result["grew"] <= 128 * 1024 * 1024
    assert result["seconds"] < 3


LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lollollollollollollollollollol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


SHEET = "xl/worksheets/sheet1.xml"  # the Map sheet; openpyxl writes its texts inline


def poisoned_strings(source: Path, doctype: bytes, entity: bytes) -> bytes:
    """The Map sheet's XML with a DTD, and its first text (the title) an entity reference."""
    with zipfile.ZipFile(source) as archive:
        xml = archive.read(SHEET)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    start = body.index(b"<t>") + 3
    end = body.index(b"</t>", start)
    return doctype + body[:start] + entity + body[end:]


SST = "xl/sharedStrings.xml"
SST_HEAD = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'


def with_shared_strings(source: Path, target: Path, doctype: bytes, title: bytes) -> Path:
    """``source`` with a step name moved to a sharedStrings.xml part (as Excel and Calc write
    it), that part starting with ``doctype`` and holding ``title`` (an entity reference)."""
    with zipfile.ZipFile(source) as archive:
        sheet = archive.read(SHEET)
        rels = archive.read("xl/_rels/workbook.xml.rels")
        types = archive.read("[Content_Types].xml")
    start = sheet.index(b't="inlineStr"><is><t>Voit une publicit&#233;</t>')  # a step name
    end = sheet.index(b"</t></is>", start) + len(b"</t></is>")
    sheet = sheet[:start] + b't="s"><v>0</v>' + sheet[end:]
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    sst = doctype + SST_HEAD + b"<si><t>" + title + b"</t></si></sst>"
    return rebuild(
        source,
        target,
        replace={SHEET: sheet, "xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types},
        extra=[(SST, sst)],
    )


def test_shared_strings_are_read(tmp_path: Path) -> None:
    """The poisoned files below are valid workbooks but for their DTD."""
    source = exported(tmp_path)
    clean = with_shared_strings(
        source,
        tmp_path / "sst.xlsx",
        b'<?xml version="1.0" encoding="UTF-8"?>\n',
        "Voit une publicité à la télé".encode(),
    )
    journey = import_workbook(clean.read_bytes()).journey
    assert journey.step("voit-une-publicite").name == "Voit une publicité à la télé"


def poisoned(tmp_path: Path, part: str, doctype: bytes, entity: bytes) -> Path:
    source = exported(tmp_path)
    if part == "sharedStrings":
        return with_shared_strings(source, tmp_path / "bad.xlsx", doctype, entity)
    return rebuild(
        source, tmp_path / "bad.xlsx", replace={SHEET: poisoned_strings(source, doctype, entity)}
    )


@pytest.mark.parametrize("part", ["sharedStrings", "worksheet"])
@pytest.mark.parametrize("scan", [True, False], ids=["dtd-scan", "defusedxml-only"])
def test_xml_entity_bomb_is_refused(tmp_path: Path, scan: bool, part: str) -> None:
    bad = poisoned(tmp_path, part, LAUGHS, b"&lol9;")
    start = time.perf_counter()
    with pytest.raises(BadData, match=r"DTD|entit|Entit|forbidden|Forbidden"):
        import_workbook(bad.read_bytes(), "lol.xlsx", caps=ZipCaps(refuse_dtd=scan))
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("part", ["sharedStrings", "worksheet"])
@pytest.mark.parametrize("scan", [True, False], ids=["dtd-scan", "defusedxml-only"])
def test_external_entity_is_refused_and_leaks_nothing(
    tmp_path: Path, scan: bool, part: str
) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-5f1e2d")
    doctype = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "'
        + canary.as_uri().encode()
        + b'">]>\n'
    )
    bad = poisoned(tmp_path, part, doctype, b"&xxe;")
    with pytest.raises(BadData) as caught:
        import_workbook(bad.read_bytes(), "xxe.xlsx", caps=ZipCaps(refuse_dtd=scan))
    assert "CANARY" not in str(caught.value)


def test_the_dtd_scan_sees_utf16(tmp_path: Path) -> None:
    source = exported(tmp_path)
    xml = (
        poisoned_strings(source, LAUGHS, b"&lol9;")
        .decode()
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
    )
    poisoned = rebuild(source, tmp_path / "u16.xlsx", replace={SHEET: xml.encode("utf-16")})
    with pytest.raises(BadData, match="DTD"):
        import_workbook(poisoned.read_bytes(), "u16.xlsx")


def test_a_clean_workbook_passes_the_checks(tmp_path: Path) -> None:
    data = exported(tmp_path).read_bytes()
    check_zip(data, "map.xlsx")
    assert import_workbook(data).journey == linear()
    assert io.BytesIO(data).getbuffer().nbytes == len(data)


@pytest.mark.parametrize("tear", ["version", "offset"])
def test_a_torn_central_directory_is_bad_data_not_a_crash(tmp_path: Path, tear: str) -> None:
    """A central directory that asks for an unknown zip version or points before the file
    start is refused like any broken archive (zipfile raises NotImplementedError and
    ValueError for these, not BadZipFile)."""
    data = bytearray(exported(tmp_path).read_bytes())
    if tear == "version":
        at = data.rfind(b"PK\x01\x02")
        data[at + 4] = 0x81  # "made by" and "needed to extract": version 12.7
        data[at + 6] = 0x7F
    else:
        at = data.rfind(b"PK\x05\x06")
        data[at + 16 : at + 20] = (0xFFFFFF00).to_bytes(4, "little")
    with pytest.raises(BadData, match=r"torn\.xlsx"):
        import_workbook(bytes(data), "torn.xlsx")
