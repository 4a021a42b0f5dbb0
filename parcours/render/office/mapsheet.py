"""Reading the Map sheet back: stages and steps from its header rows, lanes from its first
column, and each cell compared with what was exported (mixed into the workbook reader)."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from parcours.errors import BadData
from parcours.limits import Limits, too_large
from parcours.model.base import slugify, unique_id
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
from parcours.model.journey import Journey, Lane, Stage, Step
from parcours.render.office import sheets as X
from parcours.render.office import values as V
from parcours.render.office.sparse import Sparse
from parcours.render.office.tables import Key


class MapSheet:
    """Reading the Map sheet (mixed into the workbook reader)."""

    name: str
    base: Journey
    lang: str
    names: X.Names
    origin: dict[Key, tuple[str, str, int]]
    map_changed: set[Key]
    limits: Limits

    def warn(self, sheet: str, row: int, column: int, message: str) -> None:
        raise NotImplementedError

    def _map(
        self, ws: Worksheet
    ) -> tuple[list[Stage], list[Lane], dict[str, dict[str, list[Any]]], dict[str, dict[str, Any]]]:
        header: dict[str, int] = {}
        stage_words = {w["stage"] for w in X.WORDS.values()}
        step_words = {w["step"] for w in X.WORDS.values()}
        path_words = {w["path"] for w in X.WORDS.values()}
        flow_words = {w["flow"] for w in X.WORDS.values()}
        for row in range(1, min(ws.max_row, 15) + 1):
            label = V.as_text(ws.cell(row, 1).value)
            for key, words in (
                ("step_id", {X.STEP_ID_LABEL}),
                ("stage_id", {X.STAGE_ID_LABEL}),
                ("stage", stage_words),
                ("step", step_words),
                ("path", path_words),
                ("flow", flow_words),
            ):
                if label in words and key not in header:
                    header[key] = row
        if "step" not in header:
            raise BadData(
                f"{self.name}: the Map sheet has no '{X.WORDS[self.lang]['step']}' row "
                "(step names); export the map again or restore that row"
            )
        first_lane_row = max(header.values()) + 1
        base = self.base
        base_steps = {s.id: s for s in base.steps()}
        base_stages = {s.id: s for s in base.stages}
        # columns → stages and steps
        stages: list[Stage] = []
        columns: list[tuple[int, Step]] = []
        used_steps: set[str] = set()
        used_stages: set[str] = set()
        map_steps: dict[str, dict[str, Any]] = {}  # step id → {"path": name or None}
        sheet = Sparse(ws)
        max_col = ws.max_column
        for col in range(2, max_col + 1):

            def cell(key: str, col: int = col) -> str | None:
                return V.as_text(ws.cell(header[key], col).value) if key in header else None

            stage_id, stage_name = cell("stage_id"), cell("stage")
            step_id, step_name = cell("step_id"), cell("step")
            has_content = any(V.as_text(v) for r, v in sheet.column(col) if r >= first_lane_row)
            if stage_id or stage_name:
                sid = stage_id if stage_id in base_stages and stage_id not in used_stages else None
                if sid is None and stage_name:
                    sid = next(
                        (
                            s.id
                            for s in base.stages
                            if s.name == stage_name and s.id not in used_stages
                        ),
                        None,
                    )
                if sid is None:
                    sid = unique_id(
                        slugify(stage_name or "stage", fallback="stage"),
                        used_stages | set(base_stages),
                    )
                used_stages.add(sid)
                template = base_stages.get(sid)
                name = stage_name or (template.name if template else sid)
                stage = (
                    template.model_copy(update={"name": name, "steps": []})
                    if template
                    else Stage(id=sid, name=name)
                )
                stages.append(stage)
            if not step_name and not step_id and not has_content:
                continue
            if not stages:
                self.warn(
                    "Map",
                    header.get("stage", header["step"]),
                    col,
                    "the first step column has no stage; give it a stage name",
                )
                stages.append(Stage(id=unique_id("stage", used_stages), name="Stage"))
                used_stages.add(stages[-1].id)
            known = step_id if step_id in base_steps and step_id not in used_steps else None
            if not step_name:
                if known is None:
                    self.warn(
                        "Map",
                        header["step"],
                        col,
                        "this column has content but no step name; "
                        "it is ignored: type the step's name in this cell",
                    )
                    continue
                self.warn(
                    "Map",
                    header["step"],
                    col,
                    f"the step name is empty; kept '{base_steps[known].name}'",
                )
                step_name = base_steps[known].name
            if known is not None:
                step = base_steps[known].model_copy(update={"name": step_name})
            else:
                new_id = unique_id(
                    slugify(step_name, fallback="step"), used_steps | set(base_steps)
                )
                step = Step(id=new_id, name=step_name)
            used_steps.add(step.id)
            stages[-1].steps.append(step)
            columns.append((col, step))
            map_steps[step.id] = {"path": cell("path") if "path" in header else ...}
        lanes, sections = self._lanes(sheet, first_lane_row)
        cells = self._cells(ws, sheet, columns, lanes, sections, map_steps, base_steps)
        return stages, lanes, cells, map_steps

    def _lanes(
        self, sheet: Sparse, first_row: int
    ) -> tuple[list[Lane], dict[str, dict[str, list[int]]]]:
        """The lane blocks of the Map sheet: each lane with its rows (and label rows)."""
        blocks: list[tuple[str, list[int]]] = []
        for row in range(first_row, sheet.max_row + 1):
            label = V.as_text(sheet.value(row, 1))
            if label is not None:
                blocks.append((label.strip(), [row]))
            elif blocks:
                blocks[-1][1].append(row)
            elif any(V.as_text(v) for c, v in sheet.row(row).items() if c >= 2):
                self.warn("Map", row, 1, "this row is above every lane; it is ignored")
        if len(blocks) > self.limits.max_lanes:  # each would be read across every step column
            raise too_large("max_lanes", len(blocks), f"{self.name} (Map sheet)", self.limits)
        base_lanes = list(self.base.lanes)
        label_words = {w["label"] for w in X.WORDS.values()}
        matched: list[int | None] = []  # the baseline lane of each block
        used: set[int] = set()
        is_label: list[bool] = []
        for label, _rows in blocks:
            prefix, _, suffix = label.rpartition(" · ")
            previous = matched[-1] if matched else None
            if (
                suffix in label_words
                and previous is not None
                and base_lanes[previous].kind == LaneKind.emotions
                and prefix == X.lane_label(base_lanes[previous], self.lang)
            ):
                is_label.append(True)
                matched.append(previous)
                continue
            is_label.append(False)
            index = next(
                (
                    i
                    for i, lane in enumerate(base_lanes)
                    if i not in used and X.lane_label(lane, self.lang) == label
                ),
                None,
            )
            matched.append(index)
            if index is not None:
                used.add(index)
        # a block that matches nothing: a renamed lane (the unused one at its place) or a new one
        lanes_out: list[Lane] = []
        sections: dict[str, dict[str, list[int]]] = {}
        taken = {lane.id for lane in base_lanes}
        last_lane: Lane | None = None
        for n, (label, rows) in enumerate(blocks):
            if is_label[n]:
                if last_lane is not None:
                    sections[last_lane.id]["label"] = rows
                continue
            index = matched[n]
            if index is not None:
                lane = base_lanes[index]
            else:
                before = max([m for m in matched[:n] if m is not None] + [-1])
                after = min([m for m in matched[n + 1 :] if m is not None] + [len(base_lanes)])
                spare = [i for i in range(before + 1, after) if i not in used]
                if spare:
                    used.add(spare[0])
                    matched[n] = spare[0]
                    lane = base_lanes[spare[0]].model_copy(update={"title": label})
                else:
                    kind = self._kind(label)
                    if kind is None:
                        self.warn(
                            "Map",
                            rows[0],
                            1,
                            f"unknown lane '{label}'; its rows are ignored: "
                            "name a new lane after its kind: "
                            + ", ".join(k.value for k in LaneKind),
                        )
                        continue
                    lane_id = unique_id(kind.value, taken)
                    taken.add(lane_id)
                    default = X.LANE_TITLES[self.lang][kind.value]
                    lane = Lane(id=lane_id, kind=kind, title=None if label == default else label)
            lanes_out.append(lane)
            sections[lane.id] = {"rows": rows}
            last_lane = lane
        return lanes_out, sections

    @staticmethod
    def _kind(label: str) -> LaneKind | None:
        lowered = label.strip().lower()
        for kind in LaneKind:
            if lowered in {kind.value, kind.value.replace("_", " ")} | {
                t[kind.value].lower() for t in X.LANE_TITLES.values()
            }:
                return kind
        return None

    def _cells(
        self,
        ws: Worksheet,
        sheet: Sparse,
        columns: list[tuple[int, Step]],
        lanes: list[Lane],
        sections: dict[str, dict[str, list[int]]],
        map_steps: dict[str, dict[str, Any]],
        base_steps: dict[str, Step],
    ) -> dict[str, dict[str, list[Any]]]:
        base = self.base
        base_lane_ids = {lane.id for lane in base.lanes}
        cells: dict[str, dict[str, list[Any]]] = {}
        # the non-empty cells of each (lane, column), visited once (not rows × columns)
        lane_of = {r: lane.id for lane in lanes for r in sections[lane.id]["rows"]}
        present: dict[tuple[str, int], list[tuple[int, Any]]] = {}
        for (r, col), cell in sorted(sheet.cells.items()):
            if r in lane_of and V.as_text(cell.value) is not None:
                present.setdefault((lane_of[r], col), []).append((r, cell.value))
        for lane in lanes:
            known_lane = lane.id in base_lane_ids
            for col, step in columns:
                known = known_lane and step.id in base_steps
                values = present.get((lane.id, col), [])
                for r, _v in values:
                    if sheet.cell(r, col).data_type == "f":
                        self.warn(
                            "Map", r, col, "formulas are not evaluated; the formula's text is kept"
                        )
                if lane.kind == LaneKind.touchpoints:
                    map_steps[step.id]["touchpoints"] = [
                        (V.as_text(v) or "").strip() for _, v in values
                    ]
                    continue
                old = base.cell(lane.id, step.id) if known else []
                if lane.kind == LaneKind.emotions:
                    items = self._emotion(
                        ws, lane, step, col, values, old, sections[lane.id].get("label")
                    )
                else:
                    items = self._items(lane, step, col, values, old)
                if items:
                    cells.setdefault(lane.id, {})[step.id] = items
        return cells

    def _items(
        self, lane: Lane, step: Step, col: int, values: list[tuple[int, Any]], old: list[Any]
    ) -> list[Any]:
        exported = [V.norm(X.item_text(i, self.names, self.lang)) for i in old]
        texts = [V.as_text(v) or "" for _, v in values]
        if [V.norm(v) for _, v in values] == exported or texts == [V.as_text(e) for e in exported]:
            for index, _item in enumerate(old):
                self.origin[(lane.id, step.id, index)] = (lane.id, step.id, index)
            return list(old)
        unused = set(range(len(old)))
        out: list[Any] = []
        pending: list[tuple[int, int, str]] = []
        for k, (row, _value) in enumerate(values):  # unchanged texts keep their item
            text = texts[k]
            j = next((j for j in sorted(unused) if V.as_text(exported[j]) == text), None)
            if j is not None:
                unused.discard(j)
                self.origin[(lane.id, step.id, j)] = (lane.id, step.id, len(out))
                out.append(old[j])
            else:
                pending.append((len(out), row, text))
                out.append(None)
        for position, row, text in pending:  # changed ones: the item at the same place, or new
            j = position if position in unused else None
            if j is not None:
                unused.discard(j)
            item = self._parse(lane, text, old[j] if j is not None else None, row, col)
            if item is not None and j is not None:
                self.origin[(lane.id, step.id, j)] = (lane.id, step.id, position)
                self.map_changed.add((lane.id, step.id, j))
            out[position] = item
        return [i for i in out if i is not None]

    def _parse(self, lane: Lane, text: str, old: Any, row: int, col: int) -> Any:
        kind = lane.kind
        try:
            if kind in (LaneKind.actions, LaneKind.thoughts, LaneKind.backstage, LaneKind.notes):
                return (
                    old.model_copy(update={"text": text})
                    if isinstance(old, Card)
                    else Card(text=text)
                )
            if kind == LaneKind.pain_points:
                return (
                    old.model_copy(update={"text": text})
                    if isinstance(old, PainPoint)
                    else PainPoint(text=text)
                )
            if kind == LaneKind.opportunities:
                return (
                    old.model_copy(update={"text": text})
                    if isinstance(old, Opportunity)
                    else Opportunity(text=text)
                )
            if kind == LaneKind.kpis:
                return self._kpi(text, old)
            if kind == LaneKind.metrics:
                match = re.match(r"^(.+?):\s*(\S+)\s*(.*)$", text, re.S)
                if not match:
                    return Metric(name=text)
                value = None if match.group(2) == "–" else V.number(match.group(2))
                unit = match.group(3).strip() or None
                update = {"name": match.group(1).strip(), "value": value, "unit": unit}
                return (
                    old.model_copy(update=update) if isinstance(old, Metric) else Metric(**update)
                )
            if kind == LaneKind.images:
                match = re.match(r"^(.*?)\s*<([^<>]+)>\s*$", text, re.S)
                alt, src = (match.group(1) or None, match.group(2)) if match else (None, text)
                return Image(src=src, alt=alt)
        except (ValueError, ValidationError) as exc:
            message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            self.warn(
                "Map",
                row,
                col,
                f"'{V.short(text)}' cannot be read as {kind.value}: {message}; "
                + ("the old value is kept" if old is not None else "it is ignored"),
            )
            return old
        return old  # pragma: no cover

    def _kpi(self, text: str, old: Any) -> KpiValue:
        target_words = "|".join(w["target"] for w in X.WORDS.values())
        match = re.match(
            rf"^(?P<name>.+?)\s*:\s*(?P<measured>[^()]*?)\s*(?:\((?:{target_words})\s+(?P<target>[^()]*)\))?\s*$",
            text,
            re.S,
        )
        if not match:
            raise ValueError("expected 'KPI name: measured (target N)'")
        name = match.group("name").strip()
        by_name = {n.lower(): kid for kid, (n, _u) in self.names.kpis.items()}
        kpi = name if name in self.names.kpis else by_name.get(name.lower())
        if kpi is None:
            kpi = slugify(name, fallback="kpi")
            if kpi not in self.names.kpis:
                raise ValueError(f"no KPI named '{name}' in the library")
        unit = self.names.kpis.get(kpi, ("", None))[1] or ""

        def value(raw: str | None) -> float | None:
            raw = (raw or "").strip()
            if unit and raw.endswith(unit):
                raw = raw[: -len(unit)].strip()
            return None if raw in ("", "–", "-") else V.number(raw)

        update = {
            "kpi": kpi,
            "measured": value(match.group("measured")),
            "target": value(match.group("target")),
        }
        return old.model_copy(update=update) if isinstance(old, KpiValue) else KpiValue(**update)

    def _emotion(
        self,
        ws: Worksheet,
        lane: Lane,
        step: Step,
        col: int,
        values: list[tuple[int, Any]],
        old: list[Any],
        label_rows: list[int] | None,
    ) -> list[Any]:
        previous = next((i for i in old if isinstance(i, Emotion)), None)
        score: int | None = previous.score if previous else None
        if len(values) > 1:
            for row, _v in values[1:]:
                self.warn("Map", row, col, "an emotion cell holds one score; this one is ignored")
        if values:
            row, raw = values[0]
            try:
                number = V.number(raw)
                if number is None or not number.is_integer() or not -2 <= number <= 2:
                    raise ValueError
                score = int(number)
            except ValueError:
                self.warn(
                    "Map",
                    row,
                    col,
                    f"emotion '{V.short(V.as_text(raw) or '')}' is not a number from "
                    "-2 to +2; " + ("the old score is kept" if previous else "it is ignored"),
                )
        else:
            score = None
        label_text = None
        if label_rows:
            label_text = next(
                (
                    V.as_text(ws.cell(r, col).value)
                    for r in label_rows
                    if V.as_text(ws.cell(r, col).value) is not None
                ),
                None,
            )
        if score is None:
            if label_text and not values:
                self.warn(
                    "Map",
                    label_rows[0] if label_rows else 1,
                    col,
                    "an emotion label without a score is ignored; type a score from -2 to +2",
                )
            return []
        exported = X.emotion_label_text(previous) if previous else None
        if previous is not None and (label_text or None) == exported:
            return [previous.model_copy(update={"score": score})]
        emoji, label = None, label_text
        if label_text:
            first, _, rest = label_text.strip().partition(" ")
            if first and not any(ch.isalnum() for ch in first):
                emoji, label = first, rest.strip() or None
        return [Emotion(score=score, label=label, emoji=emoji)]
