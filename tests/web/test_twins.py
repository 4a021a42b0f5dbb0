"""Every twin of a journey: content type, RFC 6266 disposition, sandboxed SVG, real files."""

from __future__ import annotations

import io
import zipfile

from parcours import files
from tests.web.conftest import World, bearer, sign_in

MAGIC = {
    "png": b"\x89PNG\r\n\x1a\n",
    "pdf": b"%PDF-",
    "xlsx": b"PK\x03\x04",
    "pptx": b"PK\x03\x04",
}


def test_every_map_format_of_the_export_seam_is_a_twin() -> None:
    from parcours.export import WRITERS
    from parcours.web.twins import CONTENT_TYPES

    maps = {f.value for f, w in WRITERS.items() if not w.whole_workspace}
    assert set(CONTENT_TYPES) == maps


def test_every_twin_has_its_type_and_a_download_name(world: World) -> None:
    from parcours.web.twins import CONTENT_TYPES

    for fmt, media in CONTENT_TYPES.items():
        r = world.request(
            "GET", f"/journeys/{world.journey_a}.{fmt}", headers=bearer(world, "viewer")
        )
        assert r.status_code == 200, (fmt, r.text[:300])
        assert r.headers["content-type"].split(";")[0] == media.split(";")[0], fmt
        disposition = r.headers["content-disposition"]
        assert f'filename="bank-account-opening.{fmt}"' in disposition
        assert f"filename*=UTF-8''bank-account-opening.{fmt}" in disposition
        assert r.headers["etag"] == '"1"'
        if fmt in MAGIC:
            assert r.content.startswith(MAGIC[fmt]), fmt
        if fmt in ("xlsx", "pptx"):
            assert disposition.startswith("attachment")
            zipfile.ZipFile(io.BytesIO(r.content)).testzip()


def test_the_json_and_yaml_twins_are_documents_parcours_validate_accepts(world: World) -> None:
    for fmt in ("json", "yaml"):
        r = world.request(
            "GET", f"/journeys/{world.journey_a}.{fmt}", headers=bearer(world, "viewer")
        )
        journey, problems = files.reads(r.text, f"twin.{fmt}")
        assert journey is not None, [str(p) for p in problems]
        assert [p for p in problems if p.severity == "error"] == []


def test_the_svg_twin_is_sandboxed_and_the_cookie_works_too(world: World) -> None:
    cookies, _ = sign_in(world, "viewer")
    r = world.request("GET", f"/journeys/{world.journey_a}.svg", cookies=cookies)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert csp.startswith("sandbox") and "script-src" not in csp
    assert "<script" not in r.text


def test_an_unknown_format_names_the_ones_there_are(world: World) -> None:
    r = world.request("GET", f"/journeys/{world.journey_a}.docx", headers=bearer(world, "viewer"))
    assert r.status_code == 404  # no journey is called "<id>.docx"
    anon = world.request("GET", f"/journeys/{world.journey_a}.svg")
    assert anon.status_code == 401
