"""The atlas' sections in HTML: cover, journeys × touchpoints, pain points, backlog."""

from __future__ import annotations

from parcours.model.atlas import Atlas
from parcours.render.pdf.document import title_div
from parcours.render.pdf.facts import (
    SEVERITIES,
    TouchpointRow,
    atlas_date,
    count_pains,
    opportunities_at,
)
from parcours.render.pdf.tables import (
    backlog_tables,
    overview_rows,
    pain_rows,
    worst_pains,
)
from parcours.render.pdf.text import SEVERITY_COLOURS, esc, format_date


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


def muted(text: str) -> str:
    return f'<span class="muted">{text}</span>'


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
    body = []
    for row in overview_rows(atlas, rows):
        name = esc(row.name) if row.name is not None else muted(words["no_touchpoint"])
        channel = f'<br><span class="sub">{esc(row.channel)}</span>' if row.channel else ""
        cells = "".join(
            '<td class="dotcell"></td>'
            if dot is None
            else f'<td class="dotcell"><span class="dot" style="background: {dot.colour}">'
            f"{dot.label}</span></td>"
            for dot in row.cells
        )
        bar = f'<span class="share" style="width: {row.share / max(n, 1) * 14:.1f}mm"></span>'
        body.append(
            f'<tr><td>{name}{channel}</td>{cells}<td class="num nowrap">{bar}{row.share}</td></tr>'
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
    counted = pain_rows(rows)
    if not counted:
        return f'<section class="section-page" id="sec-pains">{head}<p>{words["no_pains"]}</p></section>\n'
    body = []
    for r in counted:
        name = esc(r.name) if r.name is not None else muted(words["no_touchpoint"])
        nums = "".join(
            f'<td class="num{" count0" if not count else ""}">{count}</td>' for count in r.counts
        )
        bar = "".join(
            f'<span style="width: {share * 60:.1f}mm; background: {colour}"></span>'
            for share, colour in r.bars
        )
        body.append(
            f"<tr><td>{name}</td><td class='num'>{r.journeys}</td>{nums}"
            f'<td class="num"><b>{r.total}</b></td><td><div class="bar">{bar}</div></td></tr>'
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
    worst, left = worst_pains(atlas)
    lines = []
    for pain in worst:
        evidence = f'<br><span class="sub">{esc(pain.evidence)}</span>' if pain.evidence else ""
        lines.append(
            f'<tr><td><span class="sev" style="background: {SEVERITY_COLOURS[pain.severity]}">'
            f"{words[pain.severity]}</span></td><td>{esc(pain.text)}{evidence}</td>"
            f"<td>{journey_label(pain.journey)} {esc(pain.step)}</td></tr>"
        )
    more = f'<p class="more">… {words["more"].format(n=left)}</p>' if left else ""
    details = ""
    if lines:
        details = (
            f'<h2 class="sub-title">{words["worst_pains"]}</h2><table class="grid"><thead><tr>'
            f'<th style="width: 22mm"></th><th>{words["pain_points"]}</th>'
            f'<th style="width: 75mm">{words["where"]}</th></tr></thead><tbody>{"".join(lines)}</tbody></table>{more}'
        )
    return f'<section class="section-page" id="sec-pains">{head}{table}{details}</section>\n'


def backlog_section(atlas: Atlas, words: dict[str, str], lang: str) -> str:
    head = f'<h1 class="section">{words["backlog"]}</h1><p class="lead">{words["backlog_lead"]}</p>'
    owners, items = backlog_tables(atlas, lang)
    if not items:
        return f'<section class="section-page" id="sec-backlog">{head}<p>{words["no_opportunities"]}</p></section>\n'
    none = f'<span class="owner-none">{words["no_owner"]}</span>'
    owner_rows = [
        f"<tr><td>{esc(o.owner) if o.owner else none}</td>"
        f'<td class="num">{o.count}</td><td class="num">{o.urgent}</td>'
        f'<td class="num">{esc(o.total)}</td></tr>'
        for o in owners
    ]
    by_owner = (
        f'<h2 class="sub-title" style="margin-top: 0">{words["by_owner"]}</h2>'
        '<table class="grid" style="width: 170mm; margin-bottom: 6mm">'
        f'<thead><tr><th>{words["owner"]}</th><th class="num" style="width: 22mm">{words["count"]}</th>'
        f'<th class="num" style="width: 32mm">{words["high_or_more"]}</th>'
        f'<th class="num" style="width: 30mm">{words["total_value"]}</th>'
        f"</tr></thead><tbody>{''.join(owner_rows)}</tbody></table>"
    )
    rows = [
        f'<tr><td><span class="prio-badge" style="background: {it.colour}">'
        f"{words['prio_' + it.priority]}</span></td><td>{esc(it.text)}</td>"
        f"<td>{journey_label(it.journey)} {esc(it.step)}</td>"
        f"<td>{esc(it.owner) if it.owner else none}</td>"
        f'<td class="nowrap">{words["ost_" + it.status]}</td>'
        f'<td class="nowrap">{it.due}</td><td class="num nowrap">{esc(it.value)}</td></tr>'
        for it in items
    ]
    table = (
        f'<table class="grid"><thead><tr><th style="width: 19mm">{words["priority"]}</th>'
        f'<th>{words["opportunity"]}</th><th style="width: 62mm">{words["where"]}</th>'
        f'<th style="width: 45mm">{words["owner"]}</th><th style="width: 18mm">{words["status"]}</th>'
        f'<th style="width: 19mm">{words["due"]}</th><th class="num" style="width: 17mm">{words["value"]}</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    # the owners first: who has what to do is the question an executive asks
    return f'<section class="section-page" id="sec-backlog">{head}{by_owner}{table}</section>\n'
