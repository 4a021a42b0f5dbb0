"""Keystroke-commit → co-editor's screen latency in the journey editor, 10 editors on one map.

One Chromium (Debian's, never downloaded) holds two editor windows: the writer types in a
cell and presses Enter; the watcher shows the journey. Eight more editors are scripted
clients on the same journey: each holds the live event stream open, sends a presence
heartbeat, and edits a cell of its own about once a second (rebased over the others). For
each of N edits we time from the writer's Enter to the text being in the watcher's grid
(Playwright waits for the selector), and from the same Enter to the operations event on
each scripted client's stream. The watcher's own steps come from the editor's User Timing
entries: Enter → event received (*event*), event → cells fetched (*fetched*), fetched → drawn
(*drawn*), for the edits whose cells were redrawn alone.

    PYTHONPATH=. python bench/web_latency.py --edits 40 --runs 3 [--server process|thread]

``--server process`` (the default) serves the world's database with ``parcours serve`` in its
own process, as people run it; ``thread`` serves it in a thread of this process, which then
shares one interpreter with the scripted editors and the browser driver.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.web.browser.conftest import ARGS
from tests.web.conftest import PASSWORD, make_world, serving

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_bench import wait_ready  # bench/ is not a package: found through sys.path

LANES = ["actions", "thoughts", "backstage", "notes"]
STOPPED = threading.Event()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Scripted(threading.Thread):
    """A co-editor: the event stream open, heartbeats, an edit of its own cell every second."""

    def __init__(self, url: str, token: str, journey: str, cell: tuple[str, str]) -> None:
        super().__init__(daemon=True)
        self.url, self.journey, self.cell = url, journey, cell
        self.headers = {"Authorization": f"Bearer {token}"}
        self.arrivals: dict[str, float] = {}  # text of the writer's edit → when it arrived
        self.stop = threading.Event()

    def run(self) -> None:
        threading.Thread(target=self.edit, daemon=True).start()
        with (
            httpx.Client(base_url=self.url, headers=self.headers, timeout=None) as c,
            c.stream("GET", f"/api/journeys/{self.journey}/events") as r,
        ):
            event = ""
            for line in r.iter_lines():
                if self.stop.is_set():
                    return
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "operations":
                    now = time.perf_counter()
                    data = json.loads(line[5:])
                    for op in data["operations"]:
                        for item in op.get("items") or []:
                            text = item.get("text", "")
                            if text.startswith("bench-"):
                                self.arrivals.setdefault(text, now)

    def edit(self) -> None:
        lane, step = self.cell
        n = 0
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=30) as c:
            while not self.stop.wait(1.0) and not STOPPED.is_set():
                n += 1
                version = c.get(f"/api/journeys/{self.journey}").headers["etag"]
                c.post(f"/api/journeys/{self.journey}/presence", json={"cell": f"{lane}/{step}"})
                c.post(
                    f"/api/journeys/{self.journey}/operations",
                    headers={"If-Match": version},
                    json=[
                        {
                            "op": "set_cell",
                            "lane": lane,
                            "step": step,
                            "items": [{"type": "card", "text": f"load {n}"}],
                        }
                    ],
                )


def run_once(browser, url: str, world, edits: int, seed: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    journey = world.journey_a
    pages = []
    for name in ("editor", "owner"):
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        page = ctx.new_page()
        page.errors = []
        page.on("console", lambda m, page=page: page.errors.append(m.text))
        page.goto(url + "/")
        page.fill("#email", f"{name}@example.org")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{url}/journeys/{journey}")
        page.wait_for_selector("#presence li")
        pages.append(page)
    writer, watcher = pages
    j = httpx.get(
        f"{url}/api/journeys/{journey}",
        headers={"Authorization": f"Bearer {world.tokens['owner']}"},
    ).json()
    steps = [s["id"] for st in j["stages"] for s in st["steps"]]
    scripted = [
        Scripted(url, world.tokens["editor"], journey, ("notes", steps[i % len(steps)]))
        for i in range(8)
    ]
    for s in scripted:
        s.start()
    time.sleep(2.0)
    screen: list[float] = []
    sent: dict[str, float] = {}
    sent_epoch: dict[str, float] = {}  # the same instant on the clock the browser's marks use
    for i in range(edits):
        lane = LANES[i % 3]
        step = steps[(i * 7 + seed) % len(steps)]
        text = f"bench-{seed}-{i}"
        cell = writer.locator(f'td.cell[data-lane="{lane}"][data-step="{step}"]')
        cell.focus()
        cell.press("Enter")
        box = writer.locator("td.cell.editing .cell-editor")
        box.press("Control+A")
        box.type(text)
        sent_epoch[text] = time.time() * 1000
        t0 = time.perf_counter()
        box.press("Enter")
        sent[text] = t0
        try:
            watcher.wait_for_selector(f"#grid td.cell >> text={text}", timeout=10_000)
        except Exception:
            print("writer:", writer.locator("#status").inner_text(), writer.errors, watcher.errors)
            print("box:", writer.locator("td.cell.editing").count(), file=sys.stderr)
            print(
                "versions:",
                writer.locator("#grid").get_attribute("data-version"),
                watcher.locator("#grid").get_attribute("data-version"),
                httpx.get(
                    f"{url}/api/journeys/{journey}",
                    headers={"Authorization": f"Bearer {world.tokens['owner']}"},
                ).headers["etag"],
                file=sys.stderr,
            )
            print(
                "cell:",
                writer.locator(f'td.cell[data-lane="{lane}"][data-step="{step}"]').inner_text(),
                file=sys.stderr,
            )
            raise
        screen.append((time.perf_counter() - t0) * 1000)
        writer.wait_for_selector("td.cell.editing, td.cell.saving", state="detached")
        time.sleep(0.2)
    time.sleep(1.0)
    steps = watcher_steps(writer, watcher, url, world, sent_epoch)
    stream: list[float] = []
    for s in scripted:
        s.stop.set()
        for text, at in s.arrivals.items():
            if text in sent:
                stream.append((at - sent[text]) * 1000)
    for page in pages:
        page.context.close()
    return {"screen": screen, "stream": stream, **steps}


TIMING = """() => ({origin: performance.timeOrigin, entries: performance.getEntries()
    .filter((e) => e.name.startsWith("parcours:"))
    .map((e) => [e.name, e.startTime, e.duration, e.detail])})"""


def watcher_steps(
    writer, watcher, url: str, world, sent_epoch: dict[str, float]
) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Each edit's steps, from the editor's User Timing entries ("parcours:…"), on the
    browser's clock: the writer's Enter → its save answered (*saved*) → the event received by
    the watcher (*event*) → the cells there (*fetched*: asked for, or came with the event) →
    drawn (*drawn*); *shown* is Enter → drawn, the keystroke to the co-editor's screen without
    the time Playwright takes to notice it. Edits whose cells were redrawn alone only."""
    timing = watcher.evaluate(TIMING)
    mine = writer.evaluate(TIMING)
    enters = [mine["origin"] + e[1] for e in mine["entries"] if e[0] == "parcours:enter"]
    saves = [e[2] for e in mine["entries"] if e[0] == "parcours:saved"]
    if len(enters) == len(sent_epoch):  # the editor marks each Enter: its own clock then
        sent_epoch = dict(zip(sent_epoch, enters, strict=True))
    revisions = httpx.get(
        f"{url}/api/journeys/{world.journey_a}/revisions?limit=500",
        headers={"Authorization": f"Bearer {world.tokens['owner']}"},
    ).json()
    version_of = {}
    for envelope in revisions:
        for op in envelope["operations"]:
            for item in op.get("items") or []:
                if item.get("text", "") in sent_epoch:
                    version_of[item["text"]] = envelope["version"]
    marks: dict[int, float] = {}  # version → when its event arrived
    fetched: dict[int, float] = {}  # version → when the cells it changed were fetched
    drawn: dict[int, float] = {}  # version → how long drawing them took
    for name, start, duration, detail in timing["entries"]:
        if name == "parcours:event":
            marks[detail] = start
        elif name == "parcours:cells-fetched":
            for v in detail:
                fetched[v] = start + duration
        elif name == "parcours:cells-drawn":
            for v in detail:
                drawn[v] = duration
    out: dict[str, list[float]] = {"saved": saves, "event": [], "fetched": [], "drawn": []}
    out["shown"] = []
    for text, at in sent_epoch.items():
        v = version_of.get(text)
        if v in marks:
            out["event"].append(timing["origin"] + marks[v] - at)
        if v in marks and v in fetched:
            out["fetched"].append(fetched[v] - marks[v])
            out["drawn"].append(drawn[v])
            out["shown"].append(timing["origin"] + fetched[v] + drawn[v] - at)
    return out


@contextlib.contextmanager
def serve_process(world) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``parcours serve`` on the world's SQLite file, in its own process; yields its URL."""
    world.app.state.backend.close()
    world.store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "parcours", "serve", "--port", str(port), "--db",
         f"sqlite:///{world.path}"],
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server", choices=("process", "thread"), default="process")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for run in range(args.runs):
            world = make_world(Path(tempfile.mkdtemp()))
            if args.server == "process":
                with serve_process(world) as url:
                    r = run_once(browser, url, world, args.edits, run)
            else:
                with serving(world.app) as url:
                    r = run_once(browser, url, world, args.edits, run)
                world.app.state.backend.close()
                world.store.close()
            row = {
                "run": run + 1,
                "screen_p50": statistics.median(r["screen"]),
                "screen_p99": pct(r["screen"], 99),
                "stream_p50": statistics.median(r["stream"]) if r["stream"] else float("nan"),
                "stream_p99": pct(r["stream"], 99) if r["stream"] else float("nan"),
                "n_screen": len(r["screen"]),
                "n_stream": len(r["stream"]),
            }
            # the watcher's steps (absent from editors that do not time them)
            for step in ("saved", "event", "fetched", "drawn", "shown"):
                if r.get(step):
                    row[f"{step}_p50"] = statistics.median(r[step])
                    row[f"{step}_p99"] = pct(r[step], 99)
            row["cells_alone"] = len(r.get("fetched") or [])
            row["load"] = os.getloadavg()[0]
            row["server"] = args.server
            results.append(row)
            print(json.dumps(row), flush=True)
        browser.close()
    keys = ["screen_p50", "screen_p99", "stream_p50", "stream_p99"]
    steps = ("saved", "event", "fetched", "drawn", "shown")
    keys += [f"{s}_{p}" for s in steps for p in ("p50", "p99")]
    summary = {
        k: round(statistics.median(r[k] for r in results), 1)
        for k in keys
        if all(k in r for r in results)
    }
    print("median of runs:", json.dumps(summary))
    print("load average:", os.getloadavg())


if __name__ == "__main__":
    main()
