"""Measuring a journey with data in the web app: uploads read as the command line reads
them, the measures applied as one revision, bad files refused with the reader's message and
nothing stored (in-process, on a real SQLite file)."""

from __future__ import annotations

import re
from typing import Any

from parcours.web.settings import Settings
from parcours.web.uploads import clean_name
from tests.web.conftest import World, bearer, make_world, sign_in

# the events the first steps of the bank template observe (observed_as)
STEPS = ("ad_clicked", "offer_page_viewed", "appointment_booked", "application_started")


def _log(n_cases: int = 40, bad_line: str | None = None) -> bytes:
    """A CSV log: every case clicks the ad; those whose number is not a multiple of 3
    compare offers; those whose number is 1 or 4 modulo 9 also book an appointment and
    start an application; every case then opens a newsletter, which no step observes."""
    lines = ["case_id,activity,timestamp"]
    for c in range(n_cases):
        minute = 0
        walk = ["ad_clicked"]
        if c % 3:
            walk.append("offer_page_viewed")
            if c % 9 in (1, 4):
                walk += ["appointment_booked", "application_started"]
        walk.append("newsletter_opened")
        for activity in walk:
            lines.append(f"c{c},{activity},2026-03-0{1 + c % 9}T10:{minute:02d}:00Z")
            minute += 7
    if bad_line is not None:
        lines.insert(5, bad_line)
    return ("\n".join(lines) + "\n").encode()


def _journey(world: World, who: str = "owner") -> dict[str, Any]:
    r = world.request("GET", f"/api/journeys/{world.journey_a}", headers=bearer(world, who))
    assert r.status_code == 200, r.text
    return dict(r.json())


def _metrics(journey: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Step id → {metric key: value} of the journey's metrics lane."""
    return {
        step: {m["key"]: m["value"] for m in items if m.get("type") == "metric"}
        for step, items in journey["cells"]["metrics"].items()
    }


def _upload(
    world: World,
    who: str | tuple[dict[str, str], str],
    files: dict[str, tuple[str, bytes]],
    **data: str,
) -> Any:
    """Post the measure form as ``who`` (a name, or the cookies and token of a session)."""
    cookies, csrf = sign_in(world, who) if isinstance(who, str) else who
    return world.request(
        "POST",
        f"/journeys/{world.journey_a}/measure",
        cookies=cookies,
        data={**data, "csrf_token": csrf},
        files={k: (name, body, "application/octet-stream") for k, (name, body) in files.items()},
    )


def test_an_editor_measures_the_journey_from_the_page(world: World) -> None:
    before = _journey(world)
    r = _upload(world, "editor", {"log": ("événements mars.csv", _log())})
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    assert location.startswith(f"/journeys/{world.journey_a}/measure?version=2&")
    after = _journey(world)
    measured = _metrics(after)
    # 40 cases click the ad; 26 compare offers (c % 3 != 0); 9 book (c % 9 in 1, 4)
    volumes = {step: values.get("volume") for step, values in measured.items()}
    assert volumes["sees-ad"] == 40
    assert volumes["compares-offers"] == 26
    assert volumes["books-appointment"] == 9
    # to the designed next step: 26 of 40 compare offers, 9 of 26 book
    assert measured["sees-ad"]["conversion"] == 65.0
    assert measured["compares-offers"]["conversion"] == round(100 * 9 / 26, 1)
    assert "walks-past-branch" not in measured  # observes no event: stays as designed
    assert after["title"] == before["title"]  # the design is kept
    cookies, _ = sign_in(world, "viewer")
    page = world.request("GET", location, cookies=cookies).text
    assert "Measured 4 steps on 40 cases of événements mars.csv: version 2." in page
    assert "<code>newsletter_opened</code> (40)" in page
    history = world.request(
        "GET", f"/api/journeys/{world.journey_a}/revisions", headers=bearer(world, "owner")
    ).json()
    assert [r["version"] for r in history] == [2, 1]  # one revision over the creation


def test_the_api_answers_what_was_measured(world: World) -> None:
    r = world.request(
        "POST",
        f"/api/journeys/{world.journey_a}/measure",
        headers=bearer(world, "editor"),
        files={"log": ("log.csv", _log(30), "text/csv")},
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "version": 2,
        "steps_measured": 4,
        "cases": 30,
        "events": 30 + 20 + 7 * 2 + 30,  # ads, offers, 7 bookings and applications, newsletters
        "skipped_rows": 0,
        "source": "log.csv",
        # what the log has that no step observes, to give to a step
        "unobserved_events": [{"event": "newsletter_opened", "count": 30}],
    }


def test_a_bad_file_is_refused_with_its_line_and_nothing_is_stored(world: World) -> None:
    session = sign_in(world, "editor")
    digest = world.digest()
    bad = _log(bad_line="c1,ad_clicked,hier")
    r = _upload(world, session, {"log": ("mars.csv", bad)})
    assert r.status_code == 422
    message = re.search(r'<p class="error problems" role="alert">(.*?)</p>', r.text, re.S)
    assert message is not None, r.text
    said = message.group(1)
    assert said.startswith("mars.csv: 1 bad row of 125 (tick “Leave out bad rows”")
    french = world.request(
        "POST",
        f"/journeys/{world.journey_a}/measure",
        cookies={**session[0], "parcours_lang": "fr"},
        data={"csrf_token": session[1]},
        files={"log": ("mars.csv", bad, "text/csv")},
    ).text
    assert "(tick “Écarter les lignes invalides” to measure without them)" in french
    assert "mars.csv:6: timestamp &#39;hier&#39; is not a date" in said
    assert "--on-error" not in said
    assert world.digest() == digest
    # the same file with its bad row left out: measured, the row counted
    r = _upload(world, session, {"log": ("mars.csv", bad)}, skip_bad_rows="true")
    assert r.status_code == 303 and "skipped=1" in r.headers["location"], r.text


def test_columns_and_day_order_given_in_the_form(world: World) -> None:
    log = (
        b"Dossier;Quoi;Quand\n"
        b"k1;ad_clicked;03/02/2026 10:00\n"
        b"k1;offer_page_viewed;03/02/2026 10:05\n"
    )
    session = sign_in(world, "editor")
    r = _upload(world, session, {"log": ("export.csv", log)})
    assert r.status_code == 422
    assert "name it in the field “Activity column”" in r.text
    fields = {"case": "Dossier", "activity": "Quoi", "timestamp": "Quand"}
    r = _upload(world, session, {"log": ("export.csv", log)}, **fields)
    assert r.status_code == 422 and "say which in the field “Day order”" in r.text  # 03/02?
    assert 'value="Quoi"' in r.text  # what was typed is kept
    r = _upload(world, session, {"log": ("export.csv", log)}, **fields, day_order="day")
    assert r.status_code == 303, r.text
    measured = _metrics(_journey(world))
    assert measured["sees-ad"]["volume"] == 1


def test_a_log_of_other_events_says_which_it_has(world: World) -> None:
    digest = world.digest()
    log = b"case_id,activity,timestamp\nk1,login,2026-03-01T10:00:00Z\n"
    r = world.request(
        "POST",
        f"/api/journeys/{world.journey_a}/measure",
        headers=bearer(world, "editor"),
        files={"log": ("other.csv", log, "text/csv")},
    )
    assert r.status_code == 422
    assert "no event of the log is one a step of this journey observes" in r.text
    assert "login" in r.text
    assert world.digest() == digest


def test_viewers_read_the_bindings_but_cannot_measure(world: World) -> None:
    cookies, _ = sign_in(world, "viewer")
    page = world.request("GET", f"/journeys/{world.journey_a}/measure", cookies=cookies).text
    assert "<code>ad_clicked</code>" in page and 'name="log"' not in page
    session = sign_in(world, "viewer")
    digest = world.digest()
    r = _upload(world, session, {"log": ("log.csv", _log())})
    assert r.status_code == 403
    r = world.request(
        "POST",
        f"/api/journeys/{world.journey_a}/measure",
        headers=bearer(world, "viewer"),
        files={"log": ("log.csv", _log(), "text/csv")},
    )
    assert r.status_code == 403
    assert world.digest() == digest


def test_uploads_have_their_own_size_cap(tmp_path: Any) -> None:
    world = make_world(
        tmp_path,
        Settings(
            db=f"sqlite:///{tmp_path / 'parcours.db'}",
            max_body_bytes=2048,
            max_upload_bytes=64 * 1024,
        ),
    )
    try:
        big = _log(400)  # about 26 kB: over the body cap, under the upload cap
        assert 2048 < len(big) < 64 * 1024
        r = world.request(
            "POST",
            f"/api/journeys/{world.journey_a}/measure",
            headers=bearer(world, "editor"),
            files={"log": ("log.csv", big, "text/csv")},
        )
        assert r.status_code == 200, r.text
        digest = world.digest()
        r = world.request(
            "POST",
            f"/api/journeys/{world.journey_a}/measure",
            headers=bearer(world, "editor"),
            files={"log": ("log.csv", big * 3, "text/csv")},
        )
        assert r.status_code == 413 and "larger than 65536 bytes" in r.text
        # elsewhere the body cap holds
        r = world.request(
            "POST",
            f"/api/journeys/{world.journey_a}/comments",
            headers=bearer(world, "editor"),
            json={"text": "x" * 4000},
        )
        assert r.status_code == 413
        assert world.digest() == digest
    finally:
        world.app.state.backend.close()
        world.store.close()


def test_uploaded_names_are_cleaned() -> None:
    assert clean_name("../../etc/passwd", "log") == "passwd"
    assert clean_name("C:\\Users\\a\\events.XES.gz", "log") == "events.XES.gz"
    assert clean_name("", "log") == clean_name("..", "log") == "log"
    assert clean_name("a\x00b\u202e.parquet", "log") == "ab.parquet"
    long = clean_name("x" * 300 + ".xlsx", "log")
    assert len(long) == 100 and long.endswith("x.xlsx")
    assert clean_name("journal mars.csv.gz", "log") == "journal mars.csv.gz"


def test_a_log_under_another_name_is_read_by_its_content(world: World) -> None:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    table = pa.table(
        {
            "case_id": ["k1", "k1", "k2"],
            "activity": ["ad_clicked", "offer_page_viewed", "ad_clicked"],
            "timestamp": pa.array([1, 2, 3], pa.timestamp("s", tz="UTC")),
        }
    )
    pq.write_table(table, buffer)
    r = world.request(
        "POST",
        f"/api/journeys/{world.journey_a}/measure",
        headers=bearer(world, "editor"),
        files={"log": ("export (3)", buffer.getvalue(), "application/octet-stream")},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["cases"], r.json()["source"]) == (2, "export (3)")


def test_editors_give_steps_their_events_on_the_page(world: World) -> None:
    url = f"/journeys/{world.journey_a}/measure/events"
    session = sign_in(world, "editor")
    cookies, csrf = session
    page = world.request("GET", f"/journeys/{world.journey_a}/measure", cookies=cookies).text
    assert 'name="events-walks-past-branch" value=""' in page
    assert (
        'name="events-fills-form" value="application_started, application_form_completed"' in page
    )
    digest = world.digest()
    # an event observes one step only: taken by "sees-ad" already
    taken = {"csrf_token": csrf, "events-walks-past-branch": "branch_visited, ad_clicked"}
    r = world.request("POST", url, cookies=cookies, data=taken)
    assert r.status_code == 422 and "ad_clicked" in r.text
    assert 'name="events-walks-past-branch" value="branch_visited, ad_clicked"' in r.text
    assert world.digest() == digest
    given = {"csrf_token": csrf, "events-walks-past-branch": " branch_visited,\nbranch_visited "}
    r = world.request("POST", url, cookies=cookies, data=given)
    assert r.status_code == 303, r.text
    steps = {s["id"]: s for stage in _journey(world)["stages"] for s in stage["steps"]}
    assert steps["walks-past-branch"]["observed_as"] == ["branch_visited"]
    assert steps["sees-ad"]["observed_as"] == ["ad_clicked"]  # left as it was
    log = _log().replace(b"c3,newsletter_opened", b"c3,branch_visited")
    r = _upload(world, session, {"log": ("log.csv", log)})
    assert r.status_code == 303, r.text
    assert _metrics(_journey(world))["walks-past-branch"]["volume"] == 1
    # no step with events: said before any file is read
    every = {f"events-{sid}": "" for sid in steps}
    r = world.request("POST", url, cookies=cookies, data={"csrf_token": csrf, **every})
    assert r.status_code == 303
    r = _upload(world, session, {"log": ("log.csv", log)})
    assert r.status_code == 422 and "no step of this journey names the events" in r.text
