"""The demo dataset: a deterministic generator of Maison Lumière's events, surveys and
customer comments (seeded, pure Python and pyarrow, nothing downloaded).

:func:`generate` makes about 50,000 events (``n_events`` scales it: the 1M-event benchmark
log is the same generator) over the channels ``web``, ``app``, ``email``, ``phone``,
``chat`` and ``shop`` (empty for the carrier), using the ``observed_as`` event names of the
four demo journeys. Each case belongs to one journey; its id says which (``A…`` online
purchase, ``L…`` delivery problem, ``M…`` shop visit, ``P…`` professional quote) and the
``journey`` column names it. The data tells one story:

- **payment failures at checkout**: one online payment in five fails; some customers
  retry, others call the service or leave;
- **the promised callback that never comes**: in the delivery problem, customers chat,
  then call, are promised a callback that does not come, and chat then call again
  (``support_chat_started`` → ``support_call_started``, a chat → phone repeat contact);
- **a step customers skip**: most shop visitors walk in without booking an appointment
  (``appointment_booked``), most online buyers never check the shop stock;
- **an unplanned detour**: after a failed payment, online buyers read the help pages and
  call (``help_page_viewed``, ``support_call_started`` observe no step of the purchase).

:func:`generate_voice` makes the survey answers (CSAT, NPS, CES per step) and about 2,000
French comments of the same customers, written from templates (see
:mod:`parcours.analytics.demo_comments`). :func:`write_demo_data` writes
``events.parquet``, ``events.csv``, ``surveys.csv`` and ``verbatims.csv`` into a folder.
``python -m parcours.analytics.demo_data --events 1000000 -o DIR`` writes a larger log.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parcours.analytics.examples import arrives_and_browses, reaches_checkout
from parcours.atomic import write_atomic

# the surveys and comments have the columns of the voice-of-the-customer examples
from parcours.voice.examples import SURVEY_COLUMNS, VERBATIM_COLUMNS

SEED = 2026
N_EVENTS = 50_000
COLUMNS = (
    "case_id",
    "customer_id",
    "journey",
    "activity",
    "timestamp",
    "channel",
    "outcome",
    "value",
)

FILES = ("events.parquet", "events.csv", "surveys.csv", "verbatims.csv")
# plus journeys/<journey>.parquet: the events of the cases of one journey
# share of the cases of each journey, and its prefix
JOURNEYS = (
    ("achat-en-ligne", "A", 0.62),
    ("probleme-livraison", "L", 0.14),
    ("visite-magasin", "M", 0.19),
    ("compte-pro-devis", "P", 0.05),
)
EVENTS_PER_CASE = 11.2  # about, over the mix above: sizes the number of cases
MIN = 60.0
HOUR = 3600.0
DAY = 86400.0
START = datetime(2026, 9, 1, tzinfo=UTC)
DAYS = 91
EPOCH = int(START.timestamp())


@dataclass
class Touch:
    """A step a case went through, and how it went (for the surveys and the comments)."""

    journey: str
    step: str
    at: datetime
    channel: str
    mood: str  # neg, neu, pos
    theme: str


@dataclass
class Case:
    rng: random.Random
    case_id: str
    customer_id: str
    journey: str
    at: int  # seconds since the epoch (UTC)
    device: str = "web"
    rows: list[tuple[str, int, str]] = field(default_factory=list)
    outcome: dict[int, tuple[str, float | None]] = field(default_factory=dict)
    touches: list[Touch] = field(default_factory=list)

    def add(self, activity: str, channel: str, wait: tuple[float, float] = (20, 400)) -> None:
        if self.rows:
            self.at += round(self.rng.uniform(*wait))
        self.rows.append((activity, self.at, channel))

    def end(self, outcome: str, value: float | None = None) -> None:
        self.outcome[len(self.rows) - 1] = (outcome, value)

    def touch(self, step: str, mood: str, theme: str) -> None:
        channel = self.rows[-1][2] if self.rows else ""
        at = datetime.fromtimestamp(self.at, UTC)
        self.touches.append(Touch(self.journey, step, at, channel, mood, theme))


# ------------------------------------------------------------------ the four journeys
def _purchase(c: Case) -> None:
    rng = c.rng
    c.device = "app" if rng.random() < 0.4 else "web"
    arrives_and_browses(c)
    if rng.random() < 0.3:
        c.touch("views-product", rng.choice(("pos", "pos", "neu", "neg")), "produit")
    if rng.random() < 0.08:  # a question before buying: a contact the map does not plan
        c.add("support_chat_started", "chat", (30, 900))
        c.add("product_viewed", c.device, (60, 3 * HOUR))
    if rng.random() < 0.18:  # the step most customers skip
        c.add("stock_checked", c.device)
        if rng.random() < 0.3:
            c.touch("checks-stock", "neg", "stock")
    if rng.random() < 0.25:
        c.end("abandoned")
        return
    if not reaches_checkout(c, leaves=0.35, gives_up=0.6):
        return
    if rng.random() < 0.15:
        c.touch("chooses-fulfilment", rng.choice(("pos", "pos", "neg")), "livraison")
    failures = 0
    while True:
        c.add("payment_submitted", c.device, (30, 400))
        if rng.random() >= (0.2 if failures == 0 else 0.35):
            break
        failures += 1
        c.add("payment_failed", c.device, (2, 20))
        if failures == 1 and rng.random() < 0.35:  # the detour: help pages, then a call
            c.add("help_page_viewed", c.device, (30, 600))
            if rng.random() < 0.7:
                c.add("support_call_started", "phone", (300, 4 * HOUR))
        if rng.random() < 0.3 or failures >= 3:
            c.touch("pays", "neg", "paiement")
            c.end("abandoned")
            return
    c.add("order_placed", c.device, (2, 15))
    price = rng.choice((39.9, 59.0, 89.0, 129.0, 189.0, 249.0, 459.0))
    c.end("converted", round(price * rng.choice((1, 1, 2)) + rng.uniform(0, 30), 2))
    if failures:
        c.touch("pays", "neg", "paiement")
    elif rng.random() < 0.12:
        c.touch("pays", rng.choice(("pos", "neu")), "paiement")
    c.add("order_confirmation_sent", "email", (5, 60))
    if rng.random() < 0.4:  # click & collect
        c.add("order_ready_for_pickup", "email", (4 * HOUR, 2 * DAY))
        c.add("pickup_completed", "shop", (2 * HOUR, 4 * DAY))
        if rng.random() < 0.25:
            c.touch("picks-up", rng.choice(("pos", "pos", "pos", "neg")), "retrait")
    else:
        c.add("order_shipped", "email", (HOUR, 2 * DAY))
        if rng.random() < 0.5:
            c.add("tracking_viewed", c.device, (HOUR, 2 * DAY))
        c.add("order_delivered", "", (DAY, 4 * DAY))
        if rng.random() < 0.2:
            c.touch("receives-delivery", rng.choice(("pos", "pos", "neg")), "livraison")
        if rng.random() < 0.25:
            c.add("installation_guide_viewed", c.device, (HOUR, 3 * DAY))
    if rng.random() < 0.3:
        c.add("survey_answered", "email", (DAY, 3 * DAY))
        if rng.random() < 0.15:
            c.add("review_submitted", "web", (60, 600))
    if rng.random() < 0.12:
        c.add("loyalty_enrolled", c.device, (DAY, 10 * DAY))


def _delivery_problem(c: Case) -> None:
    rng = c.rng
    c.device = "app" if rng.random() < 0.35 else "web"
    c.add("order_shipped", "email")
    c.add("tracking_viewed", c.device, (HOUR, 2 * DAY))
    if rng.random() < 0.55:
        c.add("delivery_delayed", "email", (DAY, 2 * DAY))
        if rng.random() < 0.3:
            c.touch("delivery-delayed", "neg", "retard")
    c.add("order_delivered", "", (DAY, 4 * DAY))
    if rng.random() < 0.3:
        c.touch("receives-damaged", "neg", "casse")
    c.add("help_page_viewed", c.device, (HOUR, DAY))
    c.add("support_chat_started", "chat", (60, 900))
    if rng.random() < 0.3:
        c.touch("looks-for-help", "neg", "chat")
    c.add("support_call_started", "phone", (30 * MIN, 6 * HOUR))
    if rng.random() < 0.25:
        c.touch("calls-service", rng.choice(("neg", "neg", "neg", "pos")), "attente")
    c.add("ticket_created", "phone", (60, 600))
    c.add("photos_uploaded", "email", (60, 1200))  # sent during the call
    c.add("callback_promised", "phone", (60, 1200))
    # the promised callback that never comes: chat, then call, again and again
    rounds = 0
    while rng.random() < (0.55 if rounds == 0 else 0.4) and rounds < 4:
        rounds += 1
        c.add("support_chat_started", "chat", (2 * DAY, 3 * DAY))
        c.add("support_call_started", "phone", (20 * MIN, 5 * HOUR))
        c.add("callback_promised", "phone", (60, 1200))
    if rounds or rng.random() < 0.2:
        c.touch("waits-callback", "neg", "rappel")
    if rounds >= 2 and rng.random() < 0.6:
        c.add("complaint_filed", "email", (DAY, 3 * DAY))
        c.add("complaint_answered", "email", (3 * DAY, 10 * DAY))
        if rng.random() < 0.5:
            c.add("compensation_granted", "email", (60, DAY))
        if rng.random() < 0.3:
            c.touch("complaint-answer", rng.choice(("neg", "neu", "pos")), "reclamation")
    c.add("return_requested", c.device, (DAY, 3 * DAY))
    c.add("return_received", "", (2 * DAY, 6 * DAY))
    if rng.random() < 0.65:
        c.add("replacement_shipped", "email", (DAY, 3 * DAY))
        c.add("replacement_delivered", "", (DAY, 4 * DAY))
        if rng.random() < 0.2:
            c.touch("gets-replacement", rng.choice(("pos", "pos", "neg")), "remplacement")
    else:
        c.add("refund_issued", "email", (2 * DAY, 10 * DAY))
        if rng.random() < 0.3:
            c.touch("gets-refund", rng.choice(("pos", "neg", "neg")), "remboursement")
    if rng.random() < 0.45:
        c.add("survey_answered", "email", (DAY, 3 * DAY))
        if rounds >= 2 and rng.random() < 0.35:
            c.add("account_closed", "web", (HOUR, 5 * DAY))
            c.end("churned")
        elif rng.random() < 0.5:
            c.add("loyalty_offer_used", c.device, (5 * DAY, 30 * DAY))


def _shop_visit(c: Case) -> None:
    rng = c.rng
    if rng.random() < 0.6:
        c.add("newsletter_clicked", "email")
    c.add("product_viewed", "app" if rng.random() < 0.5 else "web")
    c.add("stock_checked", "web", (30, 600))
    if rng.random() < 0.28:  # the appointment most visitors never book: they walk in
        c.add("appointment_booked", "web", (60, HOUR))
        c.add("appointment_checked_in", "shop", (DAY, 5 * DAY))
    else:
        c.at += round(rng.uniform(DAY, 5 * DAY))
    c.add("advisor_consultation", "shop", (5 * MIN, 30 * MIN))
    if rng.random() < 0.4:
        c.touch("gets-advice", rng.choice(("pos", "pos", "pos", "neg", "neu")), "conseil")
    if rng.random() < 0.15:
        c.end("abandoned")
        return
    if rng.random() < 0.2:
        c.add("endless_aisle_order_placed", "shop", (5 * MIN, 20 * MIN))
    c.add("pos_transaction", "shop", (5 * MIN, 20 * MIN))
    c.end("converted", round(rng.uniform(35, 900), 2))
    if rng.random() < 0.6:
        c.add("loyalty_card_scanned", "shop", (10, 60))
    elif rng.random() < 0.3:
        c.add("loyalty_enrolled", "shop", (60, 300))
    if rng.random() < 0.15:
        c.touch("pays-till", rng.choice(("pos", "neg", "neu")), "caisse")
    if rng.random() < 0.3:
        c.add("home_delivery_scheduled", "shop", (60, 600))
        c.add("order_delivered", "", (2 * DAY, 7 * DAY))
        if rng.random() < 0.4:
            c.add("installation_booked", "phone", (HOUR, 3 * DAY))
    if rng.random() < 0.1:
        c.add("exchange_in_store", "shop", (3 * DAY, 20 * DAY))
    if rng.random() < 0.35:
        c.add("survey_answered", "email", (DAY, 3 * DAY))
        if rng.random() < 0.25:
            c.add("review_submitted", "web", (60, DAY))
    if rng.random() < 0.08:
        c.add("event_attended", "shop", (10 * DAY, 40 * DAY))


def _pro_quote(c: Case) -> None:
    rng = c.rng
    c.add("pro_lead_captured", "shop")
    if rng.random() < 0.5:
        c.add("showroom_visit", "shop", (DAY, 10 * DAY))
    c.add("pro_account_requested", "web", (HOUR, 3 * DAY))
    c.add("pro_account_approved", "email", (DAY, 5 * DAY))
    c.add("pro_login", "web", (HOUR, 2 * DAY))
    if rng.random() < 0.4:
        c.add("lighting_study_requested", "web", (HOUR, 5 * DAY))
    c.add("quote_requested", "web", (HOUR, 3 * DAY))
    c.add("quote_sent", "email", (DAY, 8 * DAY))
    if rng.random() < 0.3:
        c.touch("receives-quote", "neg", "devis")
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        c.add("quote_revised", "email", (DAY, 5 * DAY))
    if rng.random() < 0.25:
        c.end("abandoned")
        return
    c.add("quote_accepted", "web", (DAY, 5 * DAY))
    c.add("pro_order_placed", "web", (60, HOUR))
    c.end("converted", round(rng.uniform(1500, 25000), 2))
    c.add("order_shipped", "email", (DAY, 5 * DAY))
    c.add("order_delivered", "", (DAY, 4 * DAY))
    c.add("invoice_issued", "email", (HOUR, DAY))
    c.add("payment_received", "", (10 * DAY, 45 * DAY))
    if rng.random() < 0.2:
        c.add("pro_ticket_created", "phone", (DAY, 10 * DAY))
    if rng.random() < 0.5:
        c.add("pro_reorder_placed", "web", (20 * DAY, 60 * DAY))
    if rng.random() < 0.15:
        c.add("referral_shared", "email", (DAY, 20 * DAY))


BUILDERS: dict[str, Callable[[Case], None]] = {
    "achat-en-ligne": _purchase,
    "probleme-livraison": _delivery_problem,
    "visite-magasin": _shop_visit,
    "compte-pro-devis": _pro_quote,
}


# ------------------------------------------------------------------ generation
@dataclass
class DemoData:
    """The generated cases: the event columns (in file order: by case, then time) and the
    touches the surveys and the comments are made from."""

    columns: dict[str, list[Any]]
    touches: list[tuple[str, str, Touch]]  # (customer, case, touch)

    @property
    def n_events(self) -> int:
        return len(self.columns["case_id"])

    def table(self) -> Any:
        """The events as a pyarrow table (``timestamp`` in UTC)."""
        import pyarrow as pa

        cols = self.columns
        return pa.table(
            {
                "case_id": pa.array(cols["case_id"], pa.string()),
                "customer_id": pa.array(cols["customer_id"], pa.string()),
                "journey": pa.array(cols["journey"], pa.string()),
                "activity": pa.array(cols["activity"], pa.string()),
                "timestamp": pa.array(cols["timestamp"], pa.timestamp("s", tz="UTC")),
                "channel": pa.array(cols["channel"], pa.string()),
                "outcome": pa.array(cols["outcome"], pa.string()),
                "value": pa.array(cols["value"], pa.float64()),
            }
        )


def generate(n_events: int = N_EVENTS, seed: int = SEED) -> DemoData:
    """About ``n_events`` events of the four demo journeys (the same ones for a seed)."""
    rng = random.Random(seed)
    n_cases = max(4, round(n_events / EVENTS_PER_CASE))
    customers = max(1, int(n_cases * 0.8))
    cols: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    touches: list[tuple[str, str, Touch]] = []
    counters = dict.fromkeys(BUILDERS, 0)
    width = len(str(n_cases))
    kinds = [j for j, _, _ in JOURNEYS]
    weights = [w for _, _, w in JOURNEYS]
    prefixes = {j: p for j, p, _ in JOURNEYS}
    for _ in range(n_cases):
        journey = rng.choices(kinds, weights)[0]
        counters[journey] += 1
        case_id = f"{prefixes[journey]}{counters[journey]:0{width}d}"
        customer = f"K{rng.randrange(1, customers + 1):0{width}d}"
        start = EPOCH + rng.randrange(DAYS) * 86400 + rng.randrange(7 * 3600, 21 * 3600)
        case = Case(rng, case_id, customer, journey, start)
        BUILDERS[journey](case)
        for i, (activity, at, channel) in enumerate(case.rows):
            outcome, value = case.outcome.get(i, ("", None))
            cols["case_id"].append(case_id)
            cols["customer_id"].append(customer)
            cols["journey"].append(journey)
            cols["activity"].append(activity)
            cols["timestamp"].append(at)
            cols["channel"].append(channel)
            cols["outcome"].append(outcome)
            cols["value"].append(value)
        touches.extend((customer, case_id, t) for t in case.touches)
    return DemoData(cols, touches)


WINTER = int(datetime(2026, 10, 25, 1, tzinfo=UTC).timestamp())


def _paris(at: int) -> str:
    """Paris local time with its offset (summer time ends on 25 October 2026, 01:00 UTC)."""
    hours = 2 if at < WINTER else 1
    local = datetime.fromtimestamp(at + hours * 3600, UTC).replace(tzinfo=None)
    return f"{local.isoformat(timespec='seconds')}+0{hours}:00"


def events_csv(data: DemoData) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    c = data.columns
    for i in range(data.n_events):
        value = c["value"][i]
        w.writerow(
            (
                c["case_id"][i],
                c["customer_id"][i],
                c["journey"][i],
                c["activity"][i],
                _paris(c["timestamp"][i]),
                c["channel"][i],
                c["outcome"][i],
                f"{value:.2f}" if value is not None else "",
            )
        )
    return out.getvalue()


# ------------------------------------------------------------------ surveys and comments
def generate_voice(
    data: DemoData, seed: int = SEED
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The survey rows and the comment rows of the touches of ``data``
    (:func:`parcours.analytics.demo_voice.voice_rows`)."""
    from parcours.analytics.demo_voice import voice_rows

    return voice_rows(data, seed)


def _csv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def write_demo_data(
    folder: str | Path, n_events: int = N_EVENTS, seed: int = SEED, voice: bool = True
) -> list[Path]:
    """Write ``events.parquet`` and ``events.csv``, the events of each journey's cases in
    ``journeys/<journey>.parquet`` (and, with ``voice``, ``surveys.csv`` and
    ``verbatims.csv``) into ``folder`` (created if needed); return the paths written."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    data = generate(n_events, seed)
    buffer = io.BytesIO()
    pq.write_table(data.table(), buffer, compression="zstd")
    written = [out / "events.parquet", out / "events.csv"]
    write_atomic(written[0], buffer.getvalue())
    write_atomic(written[1], events_csv(data))
    table = data.table()
    (out / "journeys").mkdir(exist_ok=True)
    for journey, _, _ in JOURNEYS:
        part = table.filter(pc.equal(table.column("journey"), journey))
        buffer = io.BytesIO()
        pq.write_table(part, buffer, compression="zstd")
        written.append(write_atomic(out / "journeys" / f"{journey}.parquet", buffer.getvalue()))
    if voice:
        surveys, verbatims = generate_voice(data, seed)
        written.append(write_atomic(out / "surveys.csv", _csv(SURVEY_COLUMNS, surveys)))
        written.append(write_atomic(out / "verbatims.csv", _csv(VERBATIM_COLUMNS, verbatims)))
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=N_EVENTS, help="about how many events")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-o", "--output", type=Path, default=Path("demo-data"))
    parser.add_argument("--no-voice", action="store_true", help="events only")
    args = parser.parse_args(argv)
    for path in write_demo_data(args.output, args.events, args.seed, not args.no_voice):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
