"""The example event logs shipped with parcours, and the generator that made them.

``parcours/examples/events/`` holds three files, written by :func:`generate` with a fixed
seed and committed (a test checks they are what the generator writes):

- ``events.csv``: 300 online purchase journeys of Maison Lumière, the lighting retailer
  of the demo workspace, in October and November 2026: one row per event with
  ``case_id``, ``customer_id``, ``activity`` (the ``observed_as`` names of the demo's
  journey "Achat en ligne"), ``timestamp`` (Paris time with its UTC offset), ``channel``
  (web, app, email, phone, chat, shop; empty for the carrier), ``outcome``
  (``converted`` on the order, ``abandoned`` on the last event of a lost journey) and
  ``value`` (the order amount in euros, on the order);
- ``events.xes``: the same events as an XES log (trace attribute ``customer_id``);
- ``paths.csv``: the channel paths of those journeys up to their conversion, aggregated
  in ChannelAttribution's layout (``path;total_conversions;total_conversion_value;total_null``).

:func:`write_example_logs` copies them into a folder (``parcours demo`` does).
Regenerate with ``python -m parcours.analytics.examples``.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Protocol
from xml.sax.saxutils import quoteattr

from parcours.atomic import write_atomic

FILES = ("events.csv", "events.xes", "paths.csv")
SEED = 2026
N_CASES = 300
COLUMNS = ("case_id", "customer_id", "activity", "timestamp", "channel", "outcome", "value")


def example_logs_folder() -> Path:
    """The folder of the shipped example logs."""
    return Path(str(resources.files("parcours") / "examples" / "events"))


def write_example_logs(folder: str | Path) -> list[Path]:
    """Copy the example logs (``events.csv``, ``events.xes``, ``paths.csv``) into
    ``folder`` (created if needed); return the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        target = out / name
        write_atomic(target, (example_logs_folder() / name).read_bytes())
        written.append(target)
    return written


# --------------------------------------------------------------------------- generator
@dataclass(frozen=True)
class Event:
    case_id: str
    customer_id: str
    activity: str
    at: datetime  # UTC
    channel: str = ""
    outcome: str = ""
    value: float | None = None


def _paris(at: datetime) -> str:
    """Paris local time with its offset (summer time ends on 25 October 2026, 01:00 UTC)."""
    offset = timedelta(hours=2 if at < datetime(2026, 10, 25, 1, tzinfo=UTC) else 1)
    local = (at + offset).replace(tzinfo=None)
    return f"{local.isoformat(timespec='seconds')}+0{offset.seconds // 3600}:00"


class _Journey:
    def __init__(self, rng: random.Random, case_id: str, customer_id: str, start: datetime):
        self.rng = rng
        self.case_id = case_id
        self.customer_id = customer_id
        self.at = start
        self.events: list[Event] = []
        self.device = "app" if rng.random() < 0.4 else "web"

    def add(self, activity: str, channel: str, wait: tuple[float, float] = (20, 400)) -> None:
        if self.events:
            self.at += timedelta(seconds=round(self.rng.uniform(*wait)))
        self.events.append(Event(self.case_id, self.customer_id, activity, self.at, channel))

    def end(self, outcome: str, value: float | None = None) -> None:
        last = self.events[-1]
        self.events[-1] = Event(
            last.case_id, last.customer_id, last.activity, last.at, last.channel, outcome, value
        )


HOUR = 3600.0
DAY = 86400.0


class Shopper(Protocol):
    """A case being written, event by event: the example logs' and the demo workspace's."""

    rng: random.Random
    device: str

    def add(self, activity: str, channel: str, wait: tuple[float, float] = ...) -> None: ...

    def end(self, outcome: str, value: float | None = None) -> None: ...


def arrives_and_browses(j: Shopper) -> None:
    """How an online purchase starts: an ad, a search (on the web), the newsletter or
    straight in; then the product list and one to three products."""
    rng = j.rng
    r = rng.random()
    if r < 0.3:
        j.add("ad_clicked", j.device)
    elif r < 0.6:
        j.add("search_clicked", "web")
        j.device = "web"
    elif r < 0.8:
        j.add("newsletter_clicked", "email")
    j.add("product_list_viewed", j.device)
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        j.add("product_viewed", j.device)


def reaches_checkout(j: Shopper, *, leaves: float, gives_up: float) -> bool:
    """The cart, then the checkout up to the delivery method. A share ``leaves`` of shoppers
    leave the cart and get a reminder; a share ``gives_up`` of those abandon (False); the
    others come back, maybe on another device."""
    rng = j.rng
    j.add("product_added_to_cart", j.device)
    j.add("cart_viewed", j.device, (10, 600))
    if rng.random() < leaves:
        j.add("cart_reminder_sent", "email", (20 * HOUR, 30 * HOUR))
        if rng.random() < gives_up:
            j.end("abandoned")
            return False
        j.device = "app" if rng.random() < 0.3 else "web"
        j.add("cart_viewed", j.device, (HOUR, 2 * DAY))
    j.add("checkout_started", j.device, (10, 300))
    if rng.random() < 0.5:
        j.add("account_login", j.device, (10, 120))
    j.add("delivery_method_selected", j.device, (20, 300))
    return True


def _journey(rng: random.Random, case_id: str, customer_id: str, start: datetime) -> list[Event]:
    j = _Journey(rng, case_id, customer_id, start)
    arrives_and_browses(j)
    if rng.random() < 0.15:  # a question before buying
        if rng.random() < 0.6:
            j.add("support_chat_started", "chat", (30, 900))
        else:
            j.add("support_call_started", "phone", (HOUR, 2 * DAY))
        j.add("product_viewed", j.device, (60, 3 * HOUR))
    if rng.random() < 0.2:
        j.add("stock_checked", "web")
        if rng.random() < 0.4:  # buys in the shop
            j.add("shop_visit", "shop", (3 * HOUR, 3 * DAY))
            if rng.random() < 0.75:
                j.add("pos_transaction", "shop", (300, 1800))
                j.end("converted", round(rng.uniform(45, 650), 2))
            else:
                j.end("abandoned")
            return j.events
    if rng.random() < 0.3:
        j.end("abandoned")
        return j.events
    if not reaches_checkout(j, leaves=0.38, gives_up=0.55):
        return j.events
    j.add("payment_submitted", j.device, (30, 400))
    if rng.random() < 0.1:
        j.add("payment_failed", j.device, (2, 20))
        if rng.random() < 0.4:
            j.add("support_call_started", "phone", (300, 4 * HOUR))
            j.end("abandoned")
            return j.events
        j.add("payment_submitted", j.device, (30, 600))
    j.add("order_placed", j.device, (2, 15))
    price = rng.choice((39.9, 59.0, 89.0, 129.0, 189.0, 249.0, 459.0))
    basket = round(price * rng.choice((1, 1, 2)) + rng.uniform(0, 30), 2)
    j.end("converted", basket)
    j.add("order_confirmation_sent", "email", (5, 60))
    if rng.random() < 0.45:  # click & collect
        j.add("order_ready_for_pickup", "email", (4 * HOUR, 2 * DAY))
        j.add("pickup_completed", "shop", (2 * HOUR, 4 * DAY))
    else:
        j.add("order_shipped", "email", (HOUR, 2 * DAY))
        if rng.random() < 0.4:
            j.add("tracking_viewed", j.device, (HOUR, 2 * DAY))
        if rng.random() < 0.12:  # where is my order?
            if rng.random() < 0.5:
                j.add("support_chat_started", "chat", (HOUR, DAY))
            else:
                j.add("support_call_started", "phone", (HOUR, DAY))
        j.add("order_delivered", "", (DAY, 4 * DAY))
    if rng.random() < 0.3:
        j.add("survey_answered", "email", (DAY, 3 * DAY))
    return j.events


def generate(seed: int = SEED, n_cases: int = N_CASES) -> list[Event]:
    """The example events, in file order (by case, then time)."""
    rng = random.Random(seed)
    customers = [f"K{n:04d}" for n in range(1, int(n_cases * 0.85) + 1)]
    first = datetime(2026, 10, 1, tzinfo=UTC)
    events: list[Event] = []
    for n in range(1, n_cases + 1):
        day = first + timedelta(days=rng.randrange(61))
        start = day + timedelta(seconds=rng.randrange(7 * 3600, 21 * 3600))  # 9:00-23:00
        events.extend(_journey(rng, f"J{n:04d}", rng.choice(customers), start))
    return events


def to_csv(events: list[Event]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for e in events:
        value = f"{e.value:.2f}" if e.value is not None else ""
        w.writerow(
            (e.case_id, e.customer_id, e.activity, _paris(e.at), e.channel, e.outcome, value)
        )
    return out.getvalue()


def to_xes(events: list[Event]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<log xes.version="1849.2016" xmlns="http://www.xes-standard.org/">',
        '  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
        '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>',
    ]
    case = None
    for e in events:
        if e.case_id != case:
            if case is not None:
                lines.append("  </trace>")
            case = e.case_id
            lines.append("  <trace>")
            lines.append(f'    <string key="concept:name" value={quoteattr(e.case_id)}/>')
            lines.append(f'    <string key="customer_id" value={quoteattr(e.customer_id)}/>')
        attrs = [
            f'<string key="concept:name" value={quoteattr(e.activity)}/>',
            f'<date key="time:timestamp" value="{_paris(e.at)}"/>',
        ]
        if e.channel:
            attrs.append(f'<string key="channel" value={quoteattr(e.channel)}/>')
        if e.outcome:
            attrs.append(f'<string key="outcome" value={quoteattr(e.outcome)}/>')
        if e.value is not None:
            attrs.append(f'<float key="value" value="{e.value:.2f}"/>')
        lines.append(f"    <event>{''.join(attrs)}</event>")
    if case is not None:
        lines.append("  </trace>")
    lines.append("</log>")
    return "\n".join(lines) + "\n"


def to_paths(events: list[Event]) -> str:
    """Channel paths up to and including the converting event (``parcours attribution``'s
    outcome rule), aggregated; events without a channel are left out."""
    cases: dict[str, list[Event]] = {}
    for e in events:
        cases.setdefault(e.case_id, []).append(e)
    paths: dict[str, list[float]] = {}
    for evs in cases.values():
        ordered = sorted(evs, key=lambda e: e.at)
        converted = [i for i, e in enumerate(ordered) if e.outcome == "converted"]
        upto = ordered[: converted[-1] + 1] if converted else ordered
        path = " > ".join(e.channel for e in upto if e.channel)
        if not path:
            continue
        acc = paths.setdefault(path, [0.0, 0.0, 0.0])
        if converted:
            acc[0] += 1
            acc[1] += sum(e.value or 0.0 for e in upto)
        else:
            acc[2] += 1
    out = ["path;total_conversions;total_conversion_value;total_null"]
    for path in sorted(paths):
        c, v, n = paths[path]
        out.append(f"{path};{c:.0f};{v:.2f};{n:.0f}")
    return "\n".join(out) + "\n"


def render_files(seed: int = SEED, n_cases: int = N_CASES) -> dict[str, str]:
    """The text of each example file."""
    events = generate(seed, n_cases)
    return {
        "events.csv": to_csv(events),
        "events.xes": to_xes(events),
        "paths.csv": to_paths(events),
    }


if __name__ == "__main__":  # regenerate the shipped files
    folder = example_logs_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in render_files().items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {folder / name}")
