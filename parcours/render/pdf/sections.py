"""The atlas' sections in HTML: cover, journeys × touchpoints, pain points, backlog."""

from __future__ import annotations

from parcours.model.atlas import Atlas
from parcours.model.items import Opportunity
from parcours.render.pdf.document import title_div
from parcours.render.pdf.facts import (
    SEVERITIES,
    BacklogItem,
    TouchpointRow,
    atlas_date,
    backlog,
    count_pains,
    opportunities_at,
    pains_at,
    worst_of,
)
from parcours.render.pdf.text import (
    PRIORITY_COLOURS,
    SEVERITY_COLOURS,
    esc,
    format_date,
    format_money,
    short_date,
)


def cover(
    atlas: Atlas, lang: str, words: dict[str, str], contents: list[tuple[str, str]], title: str
) -> str:
    day = atlas_date(atlas)
    date = f"{words['reviewed_on']} {format_date(day, lang)}" if day else words["not_reviewed"]
    pains = count_pains(atlas)
    opportunities = sum(len(opportunities_at(j, s)) for j in atlas.journeys for s in j.steps())
    figures = [
        (len(atlas.journeys), words["journeys"], False),
        (len(atlas.personas), words["personas"], False),
        (sum(len(j.steps()) for j in atlas.journeys), words["steps"], False),
        (sum(pains.values()), words["pain_points"], False),
        (pains["rupture"], words["ruptures"], pains["rupture"] > 0),
        (opportunities, words["opportunities"], False),
    ]
    cells = "".join(
        f'<td><div class="figure{" alert" if alert else ""}">{value}</div>'
        f'<div class="figlabel">{label}</div></td>'
        for value, label, alert in figures
    )
    toc = "".join(
        f'<li><span>{i:02d}</span><a href="#{esc(anchor)}">{esc(label)}</a></li>'
        for i, (label, anchor) in enumerate(contents, 1)
    )
    description = f'<p class="desc">{esc(atlas.description)}</p>' if atlas.description else ""
    return (
        f'<section class="cover">{title_div(title)}<div class="band"></div>'
        '<div class="inner" style="right: 108mm">'
        f'<div class="kicker">{words["atlas"]}</div><h1>{esc(atlas.name)}</h1>{description}'
        f'<p class="date">{esc(date)}</p></div>'
        f'<div class="contents"><div class="kicker">{words["contents"]}</div><ul>{toc}</ul></div>'
        f'<div class="figures"><table><tr>{cells}</tr></table></div></section>\n'
    )


def journey_label(index: int) -> str:
    return f'<span class="jnum">{index + 1}</span>'


def overview(atlas: Atlas, rows: list[TouchpointRow], words: dict[str, str]) -> str:
    n = len(atlas.journeys)
    head = (
        f'<h1 class="section">{words["overview"]}</h1><p class="lead">{words["overview_lead"]}</p>'
    )
    if not rows:
        return f'<section class="section-page" id="sec-overview">{head}</section>'
    wide = n <= 8
    key = ""
    if not wide:
        key = (
            '<ul class="key">'
            + "".join(
                f"<li>{journey_label(i)} {esc(j.title)}</li>" for i, j in enumerate(atlas.journeys)
            )
            + "</ul>"
        )
    col_width = min(26.0, 150.0 / max(n, 1))
    heads = "".join(
        f'<th class="j" style="width: {col_width:.1f}mm">{journey_label(i)}'
        + (f"<br>{esc(j.title)}" if wide else "")
        + "</th>"
        for i, j in enumerate(atlas.journeys)
    )
    ordered = sorted(rows, key=lambda r: (r.id == "", -len(r.steps), r.order, r.name))
    body = []
    for row in ordered:
        name = esc(row.name) if row.id else f'<span class="muted">{words["no_touchpoint"]}</span>'
        channel = f'<br><span class="sub">{esc(row.channel)}</span>' if row.channel else ""
        cells = []
        for i in range(n):
            count = row.steps.get(i, 0)
            if not count:
                cells.append('<td class="dotcell"></td>')
                continue
            worst = worst_of(row.pains.get(i, []))
            colour = SEVERITY_COLOURS[worst] if worst else "#334155"
            label = str(count) if count > 1 else ""
            cells.append(
                f'<td class="dotcell"><span class="dot" style="background: {colour}">{label}</span></td>'
            )
        share = len(row.steps)
        bar = f'<span class="share" style="width: {share / max(n, 1) * 14:.1f}mm"></span>'
        body.append(
            f"<tr><td>{name}{channel}</td>{''.join(cells)}"
            f'<td class="num nowrap">{bar}{share}</td></tr>'
        )
    legend = (
        f'<p class="legend"><span class="dot" style="background: #334155"></span>{words["none"]}'
        + "".join(
            f'<span class="dot" style="background: {SEVERITY_COLOURS[s]}"></span>{words[s]}'
            for s in reversed(SEVERITIES)
        )
        + "</p>"
    )
    table = (
        f'<table class="grid matrix"><thead><tr><th>{words["touchpoint"]}</th>{heads}'
        f'<th class="num" style="width: 24mm">{words["used_by"]}</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    return f'<section class="section-page" id="sec-overview">{head}{key}{legend}{table}</section>\n'


def pain_section(atlas: Atlas, rows: list[TouchpointRow], words: dict[str, str]) -> str:
    head = (
        f'<h1 class="section">{words["pain_summary"]}</h1><p class="lead">{words["pain_lead"]}</p>'
    )
    counted = [r for r in rows if sum(r.severity_counts.values())]
    if not counted:
        return f'<section class="section-page" id="sec-pains">{head}<p>{words["no_pains"]}</p></section>\n'
    counted.sort(key=lambda r: (tuple(-r.severity_counts[s] for s in SEVERITIES), r.order, r.name))
    top = max(sum(r.severity_counts.values()) for r in counted)
    body = []
    for r in counted:
        name = esc(r.name) if r.id else f'<span class="muted">{words["no_touchpoint"]}</span>'
        journeys = sum(1 for sev in r.pains.values() if sev)
        total = sum(r.severity_counts.values())
        nums = "".join(
            f'<td class="num{" count0" if not r.severity_counts[s] else ""}">{r.severity_counts[s]}</td>'
            for s in SEVERITIES
        )
        bar = "".join(
            f'<span style="width: {r.severity_counts[s] / top * 60:.1f}mm; '
            f'background: {SEVERITY_COLOURS[s]}"></span>'
            for s in SEVERITIES
            if r.severity_counts[s]
        )
        body.append(
            f"<tr><td>{name}</td><td class='num'>{journeys}</td>{nums}"
            f'<td class="num"><b>{total}</b></td><td><div class="bar">{bar}</div></td></tr>'
        )
    heads = "".join(
        f'<th class="num" style="width: 20mm"><span class="sev" style="background: {SEVERITY_COLOURS[s]}">{words[s]}</span></th>'
        for s in SEVERITIES
    )
    table = (
        f'<table class="grid"><thead><tr><th>{words["touchpoint"]}</th>'
        f'<th class="num" style="width: 20mm">{words["journeys"]}</th>{heads}'
        f'<th class="num" style="width: 16mm">{words["total"]}</th>'
        f'<th style="width: 64mm"></th></tr></thead><tbody>{"".join(body)}</tbody></table>'
    )
    # The worst pain points themselves: every rupture and blocker, worst first.
    worst = []
    for i, journey in enumerate(atlas.journeys):
        for step in journey.steps():
            for pain in pains_at(journey, step):
                if pain.severity.value in ("rupture", "blocker"):
                    worst.append((SEVERITIES.index(pain.severity.value), i, journey, step, pain))
    worst.sort(key=lambda w: (w[0], w[1]))
    limit = 60
    lines = []
    for _, i, _journey, step, pain in worst[:limit]:
        sev = pain.severity.value
        evidence = f'<br><span class="sub">{esc(pain.evidence)}</span>' if pain.evidence else ""
        lines.append(
            f'<tr><td><span class="sev" style="background: {SEVERITY_COLOURS[sev]}">{words[sev]}</span></td>'
            f"<td>{esc(pain.text)}{evidence}</td>"
            f"<td>{journey_label(i)} {esc(step.name)}</td></tr>"
        )
    more = ""
    if len(worst) > limit:
        more = f'<p class="more">… {words["more"].format(n=len(worst) - limit)}</p>'
    details = ""
    if lines:
        details = (
            f'<h2 class="sub-title">{words["worst_pains"]}</h2><table class="grid"><thead><tr>'
            f'<th style="width: 22mm"></th><th>{words["pain_points"]}</th>'
            f'<th style="width: 75mm">{words["where"]}</th></tr></thead><tbody>{"".join(lines)}</tbody></table>{more}'
        )
    return f'<section class="section-page" id="sec-pains">{head}{table}{details}</section>\n'


def _currency(atlas: Atlas, item: BacklogItem) -> str | None:
    """The currency of an opportunity's value: its journey's, else the workspace's."""
    return item.journey.currency or atlas.currency


def backlog_section(atlas: Atlas, words: dict[str, str], lang: str) -> str:
    head = f'<h1 class="section">{words["backlog"]}</h1><p class="lead">{words["backlog_lead"]}</p>'
    items = backlog(atlas)
    if not items:
        return f'<section class="section-page" id="sec-backlog">{head}<p>{words["no_opportunities"]}</p></section>\n'
    owners: dict[str | None, list[Opportunity]] = {}
    for it in items:
        owners.setdefault(it.opportunity.owner, []).append(it.opportunity)
    owner_rows = []
    for owner, opportunities in sorted(
        owners.items(), key=lambda kv: (kv[0] is not None, -len(kv[1]), kv[0] or "")
    ):
        urgent = sum(1 for o in opportunities if o.priority.value in ("critical", "high"))
        values = [o.value for o in opportunities if o.value is not None]
        currencies = {_currency(atlas, it) for it in items if it.opportunity in opportunities}
        total = sum(values) if values else None
        shown = format_money(total, lang, currencies.pop() if len(currencies) == 1 else None)
        name = esc(owner) if owner else f'<span class="owner-none">{words["no_owner"]}</span>'
        owner_rows.append(
            f'<tr><td>{name}</td><td class="num">{len(opportunities)}</td>'
            f'<td class="num">{urgent}</td>'
            f'<td class="num">{esc(shown)}</td></tr>'
        )
    by_owner = (
        f'<h2 class="sub-title" style="margin-top: 0">{words["by_owner"]}</h2>'
        '<table class="grid" style="width: 170mm; margin-bottom: 6mm">'
        f'<thead><tr><th>{words["owner"]}</th><th class="num" style="width: 22mm">{words["count"]}</th>'
        f'<th class="num" style="width: 32mm">{words["high_or_more"]}</th>'
        f'<th class="num" style="width: 30mm">{words["total_value"]}</th>'
        f"</tr></thead><tbody>{''.join(owner_rows)}</tbody></table>"
    )
    rows = []
    for it in items:
        o = it.opportunity
        prio = o.priority.value
        owner = esc(o.owner) if o.owner else f'<span class="owner-none">{words["no_owner"]}</span>'
        rows.append(
            f'<tr><td><span class="prio-badge" style="background: {PRIORITY_COLOURS[prio]}">'
            f"{words['prio_' + prio]}</span></td>"
            f"<td>{esc(o.text)}</td>"
            f"<td>{journey_label(it.journey_index)} {esc(it.step.name)}</td>"
            f"<td>{owner}</td>"
            f'<td class="nowrap">{words["ost_" + o.status.value]}</td>'
            f'<td class="nowrap">{short_date(o.due, lang) if o.due else ""}</td>'
            f'<td class="num nowrap">{esc(format_money(o.value, lang, _currency(atlas, it)))}</td></tr>'
        )
    table = (
        f'<table class="grid"><thead><tr><th style="width: 19mm">{words["priority"]}</th>'
        f'<th>{words["opportunity"]}</th><th style="width: 62mm">{words["where"]}</th>'
        f'<th style="width: 45mm">{words["owner"]}</th><th style="width: 18mm">{words["status"]}</th>'
        f'<th style="width: 19mm">{words["due"]}</th><th class="num" style="width: 17mm">{words["value"]}</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    # the owners first: who has what to do is the question an executive asks
    return f'<section class="section-page" id="sec-backlog">{head}{by_owner}{table}</section>\n'
