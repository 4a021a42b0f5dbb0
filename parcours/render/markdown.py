"""The map as a Markdown page for wikis: header, one table per stage, paths and branches.

Tables are GitHub-flavoured (lanes as rows, the stage's steps as columns). Texts are
escaped: ``|`` and line breaks cannot break a table, ``<``, ``>`` and ``&`` cannot become
HTML, and a text cannot start a Markdown construct inside a cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from parcours.escape.markdown import cell as escape
from parcours.escape.markdown import code
from parcours.model.items import (
    Card,
    Emotion,
    Image,
    KpiValue,
    LaneKind,
    Metric,
    Opportunity,
    PainPoint,
)
from parcours.model.journey import Journey, Lane, Step
from parcours.model.library import Library
from parcours.model.persona import Persona
from parcours.render.labels import label, share, with_unit
from parcours.render.pdf.text import format_money, short_date

SEVERITY_MARK = {"irritant": "⚠️", "blocker": "⛔", "rupture": "💥"}


def to_markdown(
    journey: Journey, library: Library | None = None, personas: Sequence[Persona] | None = None
) -> str:
    """A wiki page for ``journey``; ``library`` and ``personas`` are its workspace's (the
    names of touchpoints, KPIs and personas)."""
    lang = journey.language()
    lib = journey.library_in(library)
    touchpoints = {t.id: t.name for t in lib.touchpoints}
    kpis = {k.id: k for k in lib.kpis}
    out = [f"# {escape(journey.title)}", ""]
    facts = [
        (label("state." + journey.state.value, lang), None),
        (label("evidence." + journey.evidence.value, lang), None),
        (label("status." + journey.status.value, lang), None),
    ]
    line = " · ".join(escape(k) for k, _ in facts)
    names = {p.id: p.name for p in personas or ()}
    if journey.personas:
        line += (
            " · "
            + ("Personas" if len(journey.personas) > 1 else "Persona")
            + ": "
            + ", ".join(escape(names.get(p, p)) for p in journey.personas)
        )
    out.append(line)
    if journey.owner:
        out.append(f"\n{label('owner', lang)}: {escape(journey.owner)}")
    if journey.reviewed:
        out.append(f"\n{label('reviewed', lang)}: {journey.reviewed.isoformat()}")
    for text in (journey.scope, journey.description):
        if text:
            out += ["", escape(text)]
    if journey.tags:
        out += ["", " ".join(code(t) for t in journey.tags)]
    lanes = [lane for lane in journey.lanes if lane.visible]
    for stage in journey.stages:
        out += ["", f"## {escape(stage.name)}", ""]
        if stage.description:
            out += [escape(stage.description), ""]
        if not stage.steps:
            continue
        heads = [_step_head(journey, step, lang) for step in stage.steps]
        out.append("| | " + " | ".join(heads) + " |")
        out.append("|---|" + "---|" * len(heads))
        for lane in lanes:
            cells = [_cell(journey, lane, step, touchpoints, kpis, lang) for step in stage.steps]
            if not any(cells):
                continue
            out.append(
                f"| **{escape(lane.title or label(lane.kind.value, lang))}** | "
                + " | ".join(cells)
                + " |"
            )
    out += _flow(journey, lang)
    return "\n".join(out).rstrip() + "\n"


def _step_head(journey: Journey, step: Step, lang: str) -> str:
    head = f"**{escape(step.name)}**"
    if step.moment_of_truth:
        head += " ⭐"
    if step.path:
        name = next((p.name for p in journey.paths if p.id == step.path), step.path)
        head += f"<br>_{escape(name)}_"
    return head


def _cell(
    journey: Journey, lane: Lane, step: Step, touchpoints: dict[str, str], kpis: dict, lang: str
) -> str:
    if lane.kind == LaneKind.touchpoints:
        return "<br>".join(escape(touchpoints.get(t, t)) for t in step.touchpoints)
    parts = []
    for item in journey.cell(lane.id, step.id):
        if isinstance(item, Emotion):
            parts.append(
                f"{item.shown_emoji} {item.score:+d}".replace("+0", "0")
                + (f" {escape(item.label)}" if item.label else "")
            )
        elif isinstance(item, PainPoint):
            parts.append(f"{SEVERITY_MARK[item.severity.value]} {escape(item.text)}")
        elif isinstance(item, Opportunity):
            extra = [label("priority." + item.priority.value, lang)]
            if item.owner:
                extra.append(item.owner)
            if item.due is not None:
                extra.append(f"{label('due', lang)} {short_date(item.due, lang)}")
            if item.value is not None:
                extra.append(format_money(item.value, lang, journey.currency))
            parts.append(f"💡 {escape(item.text)} ({escape(', '.join(extra))})")
        elif isinstance(item, KpiValue):
            definition = kpis.get(item.kpi)
            unit = definition.unit if definition else None
            name = definition.name if definition else item.kpi
            text = f"{name}: {with_unit(item.measured, unit, lang)}"
            if item.target is not None:
                text += f" ({label('target', lang)} {with_unit(item.target, unit, lang)})"
            parts.append(escape(text))
        elif isinstance(item, Metric):
            parts.append(escape(f"{item.name}: {with_unit(item.value, item.unit, lang)}"))
        elif isinstance(item, Image):
            parts.append(escape(item.alt or item.src))
        elif isinstance(item, Card):
            parts.append(escape(item.text))
    return "<br>".join(parts)


def _flow(journey: Journey, lang: str) -> list[str]:
    if journey.is_linear():
        return []
    names = {s.id: s.name for s in journey.steps()}
    fr = lang == "fr"
    out = ["", "## " + ("Parcours et embranchements" if fr else "Paths and branches"), ""]
    for path in journey.paths:
        steps = " → ".join(escape(s.name) for s in journey.path_steps(path.id))
        out.append(
            f"- **{escape(path.name)}**"
            + (f" — {escape(path.description)}" if path.description else "")
        )
        out.append(f"  - {steps}")
    entries = ", ".join(escape(names.get(e, e)) for e in journey.entry_steps())
    out += ["", f"- {label('entry', lang)}: {entries}"]
    for edge in journey.edges():
        if edge.kind == "next" and not edge.explicit:
            continue
        arrow = "↺" if edge.kind == "loop" else "→"
        text = f"- {escape(names[edge.source])} {arrow} {escape(names[edge.target])}"
        extra = [escape(edge.label)] if edge.label else []
        if edge.share is not None:
            extra.append(share(edge.share, lang))
        if edge.kind == "loop":
            extra.append(label("loop", lang).lower())
        if extra:
            text += f" ({', '.join(extra)})"
        out.append(text)
    ends = [escape(s.name) for s in journey.steps() if s.end]
    if ends:
        out.append(f"- {label('end', lang)}: {', '.join(ends)}")
    return out
