"""The observed figures of ``parcours render MAP --data LOG``: badges under the steps.

From the dict of :func:`parcours.analytics.compare.compare`, a band between the step band
and the lanes (so no card is covered) shows under each step, in the map's language:

- **skipped**: the share of the journey's cases that jump over the step;
- **loop**: the moves back from the step to an earlier one (or a step already visited),
  with their share of cases;
- **branch**: at a step with several designed ways out, the observed share of each next
  to the designed one;
- **unplanned**: events that observe no step, under the step most of them follow (the
  first step when most come before any), with their volume.

Every badge keeps the number it shows (``value``) and where it is in the comparison's JSON
(``key``, a JSON pointer such as ``/skipped_steps/0/share``): the picture and
``parcours compare --format json`` show the same numbers. The band's title in the left
gutter says how many cases were compared and the share that follows the map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parcours.model.journey import Journey
from parcours.render import fonts
from parcours.render.flow import text_block
from parcours.render.geometry import Column, DataBadge, DataBand, Rect
from parcours.render.labels import label, number, share
from parcours.render.theme import Theme, shade, tint

PAD = 6.0
GAP = 5.0
ICON = 14.0
MAX_LINES = 3
MAX_PER_STEP = 7
ACCENT = "#0e7490"
#: colour and icon of each kind of badge
STYLE = {
    "skipped": ("#b45309", "skip"),
    "loop": ("#9333ea", "loop"),
    "branch": ("#2563eb", "branch"),
    "unplanned": ("#be123c", "warning"),
}


def _wanted(
    data: Mapping[str, Any], names: Mapping[str, str], lang: str
) -> dict[str, list[tuple[str, str, float, str]]]:
    """Per step: ``(kind, text, value, key)`` of its badges, most telling first."""
    per: dict[str, list[tuple[str, str, float, str]]] = {}

    def add(step: str, kind: str, text: str, value: float, key: str) -> None:
        per.setdefault(step, []).append((kind, text, value, key))

    for i, b in enumerate(data.get("branches") or ()):
        if b["observed_share"] is None:
            continue
        to = names.get(b["to"], b["to"])
        if b["designed_share"] is not None:
            text = label("observed.branch", lang).format(
                step=to,
                observed=share(b["observed_share"], lang),
                designed=share(b["designed_share"], lang),
            )
        else:
            text = label("observed.branch_free", lang).format(
                step=to, observed=share(b["observed_share"], lang)
            )
        add(b["step"], "branch", text, b["observed_share"], f"/branches/{i}/observed_share")
    for i, r in enumerate(data.get("skipped_steps") or ()):
        text = label("observed.skipped", lang).format(share=share(r["share"], lang))
        add(r["step"], "skipped", text, r["share"], f"/skipped_steps/{i}/share")
    for i, r in enumerate(data.get("loops") or ()):
        key = "observed.loop" if r["designed"] else "observed.back"
        text = label(key, lang).format(
            step=names.get(r["to"], r["to"]), share=share(r["share"], lang)
        )
        add(r["from"], "loop", text, r["share"], f"/loops/{i}/share")
    first = next(iter(names), None)
    for i, r in enumerate(data.get("unplanned_events") or ()):
        where = r.get("after") or first
        if where is None:
            continue
        key = "observed.unplanned" if r.get("after") else "observed.unplanned_start"
        text = label(key, lang).format(event=r["event"], events=number(r["events"], lang))
        add(where, "unplanned", text, r["events"], f"/unplanned_events/{i}/events")
    return per


def data_band(
    journey: Journey,
    data: Mapping[str, Any],
    columns: Sequence[Column],
    th: Theme,
    lang: str,
    top: float,
    gutter_x: float,
    right: float,
) -> DataBand:
    """The band of observed figures at ``top``, over the columns."""
    names = {s.id: s.name for s in journey.steps()}
    per = _wanted(data, names, lang)
    size = th.small_size
    badges: list[DataBadge] = []
    bottom = top + 40.0
    for col in columns:
        y = top + PAD
        wanted = per.get(col.step_id, [])
        shown = wanted[:MAX_PER_STEP] if len(wanted) <= MAX_PER_STEP else wanted[: MAX_PER_STEP - 1]
        for kind, text, value, key in shown:
            color, _ = STYLE[kind]
            inner = col.w - 2 * PAD - ICON - 4
            wrapped = fonts.wrap(text, inner, size, 600, MAX_LINES)
            block = text_block(
                wrapped, text, round(col.x + PAD + ICON + 4, 2), y + 3, size, weight=600,
                color=shade(color, 0.35),
            )  # fmt: skip
            h = round(block.height + 6, 2)
            badges.append(
                DataBadge(
                    col.step_id,
                    kind,
                    Rect(round(col.x, 2), round(y, 2), round(col.w, 2), h),
                    block,
                    tint(color, 0.1),
                    tint(color, 0.45),
                    value,
                    key,
                    text,
                )
            )
            y += h + GAP
        if len(wanted) > len(shown):
            rest = len(wanted) - len(shown)
            text = label("observed.more", lang).format(n=rest)
            wrapped = fonts.wrap(text, col.w - 2 * PAD, size, 400, 1)
            block = text_block(wrapped, text, round(col.x + PAD, 2), y, size, color=th.muted)
            badges.append(
                DataBadge(col.step_id, "more", Rect(round(col.x, 2), round(y, 2), round(col.w, 2),
                          round(block.height, 2)), block, th.background, th.background, rest, "",
                          "\n".join(w[1] for w in wanted[len(shown):]))
            )  # fmt: skip
            y += block.height + GAP
        bottom = max(bottom, y - GAP + PAD)
    cases = data.get("n_cases") or 0
    title_text = label("observed", lang)
    summary = label("observed.summary", lang).format(
        cases=number(cases, lang), share=share(data.get("share_following") or 0.0, lang)
    )
    w = th.lane_title_width - 24
    wrapped = fonts.wrap(title_text, w, th.lane_title_size, 700, 2)
    title = text_block(
        wrapped, title_text, gutter_x + 14, top + PAD + 2, th.lane_title_size, weight=700,
        color=shade(ACCENT, 0.25),
    )  # fmt: skip
    sub = fonts.wrap(summary, w, size, 400, 4)
    sub_block = text_block(
        sub, summary, gutter_x + 14, top + PAD + 6 + title.height, size, color=th.muted
    )
    bottom = max(bottom, top + 2 * PAD + 6 + title.height + sub_block.height)
    title = type(title)(title.lines + sub_block.lines, f"{title_text}\n{summary}")
    h = round(bottom - top, 2)
    return DataBand(
        Rect(gutter_x, round(top, 2), round(right - gutter_x, 2), h),
        Rect(gutter_x, round(top, 2), th.lane_title_width, h),
        title,
        ACCENT,
        tuple(badges),
    )


def legend_entries(band: DataBand | None, lang: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The legend's entries for the kinds of badges the band shows."""
    if band is None:
        return []
    kinds = {b.kind for b in band.badges}
    return [
        ("badge", label(f"legend.observed.{k}", lang), STYLE[k][0], {"icon": STYLE[k][1]})
        for k in STYLE
        if k in kinds
    ]
