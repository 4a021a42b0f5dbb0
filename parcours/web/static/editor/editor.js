// The journey editor: inline cells, moves by drag and drop and by keyboard, emotions, links,
// undo / redo with the stored inverse, live updates and presence over the event stream.
// Every edit is a small batch of typed operations sent with If-Match and an Idempotency-Key.
// User text is only ever set with textContent / attributes (never innerHTML).

import { t, pageData, api, announce, el, newId } from "../app.js";
import { openDialog, dialogOpen, dialogClosed } from "./dialog.js";
import { setupComments } from "./comments.js";

const data = pageData();
const JID = data.journey;
const canEdit = !!data.canEdit;
const base = `/api/journeys/${encodeURIComponent(JID)}`;

const state = {
  version: data.version,
  journey: null,
  touchpoints: [],
  kpis: [],
  editing: null, // the open cell editor: {td, shown, box, theirs, version}
  undo: [], // {version, ops}
  redo: [],
  busy: false,
};

const wrap = document.getElementById("grid-wrap");
const versionLabel = document.getElementById("editor-version");

function readGridData(root) {
  const node = root.querySelector("script.grid-data");
  const g = JSON.parse(node.textContent);
  state.journey = g.journey;
  state.touchpoints = g.touchpoints;
  state.kpis = g.kpis;
  return g;
}
readGridData(document);

const cellKey = (td) => `${td.dataset.lane}/${td.dataset.step}`;
const findCell = (lane, step) => wrap.querySelector(cellSelector(lane, step));
const steps = () => state.journey.stages.flatMap((s) => s.steps);
const stepName = (id) => steps().find((s) => s.id === id)?.name ?? id;
const laneOf = (id) => state.journey.lanes.find((l) => l.id === id);

function setVersion(v) {
  if (v > state.version) state.version = v;
  versionLabel.textContent = t("common.version", { version: state.version });
}

// -- refreshing the grid from the server, keeping the cells being edited or saved ------------

// Cells whose typed text is on its way to the server, or was refused and is kept (same shape
// as state.editing, plus `saving`): a redraw never replaces them, nor the cell being edited;
// what the server has for them meanwhile is kept as `theirs` (shown again on Escape).
const held = new Map(); // "lane/step" → {td, shown, box, theirs, version, saving}
const keptCells = () => [state.editing, ...held.values()].filter(Boolean);
const cellSelector = (lane, step) => `td.cell[data-lane="${CSS.escape(lane)}"][data-step="${CSS.escape(step)}"]`;

let refreshing = null;
let refreshAgain = false;
async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      await dialogClosed(); // nothing is redrawn under an open menu or form
      const response = await fetch(`/journeys/${encodeURIComponent(JID)}/grid`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const grid = doc.getElementById("grid");
      if (!grid) return;
      if (dialogOpen()) {
        refreshAgain = true; // a dialog opened meanwhile: once it closes, with fresh data
        continue;
      }
      const focused = document.activeElement;
      const focusKey = focusIdentity(focused);
      const g = readGridData(doc);
      const editing = state.editing;
      // taken before the cell being edited leaves the old grid (which blurs it)
      const caret = editing && document.activeElement === editing.box ? caretOffset(editing.box) : null;
      for (const kept of keptCells()) {
        const twin = grid.querySelector(cellSelector(kept.td.dataset.lane, kept.td.dataset.step));
        if (twin) {
          kept.theirs = twin; // what the server has now, shown again on Escape
          twin.replaceWith(kept.td);
        }
      }
      const old = document.getElementById("grid");
      const scroll = [wrap.scrollLeft, wrap.scrollTop];
      old.replaceWith(grid);
      wrap.querySelectorAll("script.grid-data").forEach((n) => n.remove());
      wrap.append(doc.querySelector("script.grid-data"));
      [wrap.scrollLeft, wrap.scrollTop] = scroll;
      setVersion(g.version);
      markPresence();
      // moving the cell being edited into the new grid blurs it: give focus and caret back
      if (caret !== null) {
        editing.box.focus({ preventScroll: true });
        setCaret(editing.box, caret);
      } else restoreFocus(focusKey);
    } while (refreshAgain);
  })();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
}

// operations that change one cell (lane, step) and nothing else of the grid
// the most cells one /cells request may ask for (MAX_CELLS of parcours/web/editor.py)
const MAX_CELLS = 200;
const CELL_OPS = new Set(["set_cell", "add_card", "edit_card", "remove_card", "set_emotion"]);

/** The cells ("lane:step") the operations change, or null when one changes more than cells. */
function cellsOf(operations) {
  if (!Array.isArray(operations) || !operations.length) return null;
  const keys = new Set();
  for (const op of operations) {
    if (!CELL_OPS.has(op.op) || typeof op.lane !== "string" || typeof op.step !== "string") return null;
    keys.add(`${op.lane}:${op.step}`);
  }
  return keys.size <= MAX_CELLS ? [...keys] : null;
}

/** Redraw only the cells `keys` ("lane:step"); any doubt (a cell missing, a grid redraw on
 * the way) redraws the whole grid. The cell being edited keeps its text, caret and focus.
 * A co-editor's event brings its cells drawn (`drawn`, the HTML /cells answers); one's own
 * save asks for them. One redraw at a time (an answer never overwrites a later one); the
 * changes that come meanwhile are redrawn together by the next one, so a busy journey never
 * piles up requests. `since`: when the event arrived (the steps are timed, User Timing
 * "parcours:…", read by bench/web_latency.py). */
let nextCells = null; // {keys, version, versions, since, drawn: [{html, count}], ask, promise, done}
let drawingCells = false;
function refreshCells(keys, version, since = null, drawn = null) {
  if (!nextCells) {
    let done;
    const promise = new Promise((resolve) => (done = resolve));
    nextCells = { keys: new Set(), version, versions: [], since, drawn: [], ask: false, promise, done };
  }
  const job = nextCells;
  keys.forEach((k) => job.keys.add(k));
  job.version = Math.max(job.version, version);
  job.versions.push(version);
  if (job.since === null) job.since = since;
  if (typeof drawn === "string") job.drawn.push({ html: drawn, count: keys.length });
  else job.ask = true;
  if (!drawingCells) drainCells();
  return job.promise;
}
async function drainCells() {
  drawingCells = true;
  while (nextCells) {
    const job = nextCells;
    nextCells = null;
    try {
      await redrawCells([...job.keys], job);
    } catch {
      /* the next event, or the next save, redraws */
    } finally {
      job.done();
    }
  }
  drawingCells = false;
}
const parseHtml = (html) => new DOMParser().parseFromString(html, "text/html");
async function redrawCells(keys, job) {
  const { version, since } = job;
  await dialogClosed(); // nothing is redrawn under an open menu or form
  if (refreshing || keys.length > MAX_CELLS) return refresh();
  let answers; // [{doc, count}], in the order of the changes
  if (!job.ask) answers = job.drawn.map(({ html, count }) => ({ doc: parseHtml(html), count }));
  else {
    const query = keys.map((k) => `c=${encodeURIComponent(k)}`).join("&");
    let response;
    try {
      response = await fetch(`/journeys/${encodeURIComponent(JID)}/cells?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
    } catch {
      return refresh();
    }
    if (!response.ok) return refresh();
    answers = [{ doc: parseHtml(await response.text()), count: keys.length }];
  }
  if (dialogOpen()) return redrawCells(keys, job); // opened meanwhile: after it, afresh
  const fetched = performance.now();
  const focusKey = focusIdentity(document.activeElement);
  for (const { doc, count } of answers) {
    // a grid redraw started meanwhile, or a cell is not where it was: the whole grid then
    if (refreshing || !placeCells(doc, count)) return refresh();
  }
  // the version of the event, not of the answer: later events may change other cells
  document.getElementById("grid").dataset.version = String(version);
  markPresence();
  if (!state.editing) restoreFocus(focusKey);
  if (since !== null) {
    performance.measure("parcours:cells-fetched", { start: since, end: fetched, detail: job.versions });
    performance.measure("parcours:cells-drawn", { start: fetched, detail: job.versions });
  }
}

/** Put the `count` cells of `doc` (a /cells answer) in the grid; false when one is not there. */
function placeCells(doc, count) {
  const fresh = [...doc.querySelectorAll("#cells td.cell")];
  const olds = fresh.map((td) => findCell(td.dataset.lane, td.dataset.step));
  if (fresh.length !== count || olds.some((td) => !td)) return false;
  readGridData(doc);
  const kept = new Map(keptCells().map((k) => [k.td, k]));
  fresh.forEach((td, i) => {
    if (kept.has(olds[i])) kept.get(olds[i]).theirs = td; // shown again on Escape
    else olds[i].replaceWith(td);
  });
  const data = wrap.querySelector("script.grid-data");
  if (data) data.replaceWith(doc.querySelector("script.grid-data"));
  return true;
}

/** The selection inside `box` as text offsets [start, end] (the caret when they are equal). */
function caretOffset(box) {
  const sel = window.getSelection();
  if (!sel.rangeCount) return [box.textContent.length, box.textContent.length];
  const current = sel.getRangeAt(0);
  const upTo = (node, offset) => {
    const range = document.createRange();
    range.selectNodeContents(box);
    range.setEnd(node, offset);
    return range.toString().length;
  };
  return [upTo(current.startContainer, current.startOffset), upTo(current.endContainer, current.endOffset)];
}

function pointAt(box, offset) {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  let left = offset;
  while (node && left > node.textContent.length) {
    left -= node.textContent.length;
    node = walker.nextNode();
  }
  return node ? [node, left] : [box, box.childNodes.length];
}

function setCaret(box, [start, end]) {
  const range = document.createRange();
  range.setStart(...pointAt(box, start));
  range.setEnd(...pointAt(box, end));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

/** Focus `node` unless a cell is being edited (a later edit keeps its focus). */
function focusIfIdle(node) {
  if (node && !state.editing) node.focus();
}

function focusIdentity(node) {
  if (!node || !wrap.contains(node)) return null;
  if (node.matches("td.cell")) return `td.cell[data-lane="${CSS.escape(node.dataset.lane)}"][data-step="${CSS.escape(node.dataset.step)}"]`;
  if (node.matches("th.step")) return `th.step[data-step="${CSS.escape(node.dataset.step)}"]`;
  if (node.matches("th.lane-head")) return `th.lane-head[data-lane="${CSS.escape(node.dataset.lane)}"]`;
  if (node.matches("th.stage")) return `th.stage[data-stage="${CSS.escape(node.dataset.stage)}"]`;
  return null;
}
function restoreFocus(selector) {
  if (!selector) return;
  const node = wrap.querySelector(selector);
  if (node && document.activeElement !== node) node.focus({ preventScroll: true });
}

// -- sending operations ---------------------------------------------------------------------

/** Send a batch; resolves to the answer, or rejects with ApiError (412 = conflict).
 * `saved` runs once the server has it, before the redraw. */
async function send(ops, { record = true, ifMatch = state.version, saved = null } = {}) {
  const key = newId("e");
  const before = state.version;
  const answer = await api("POST", `${base}/operations`, { body: ops, ifMatch, key });
  setVersion(answer.data.version);
  if (record) {
    state.undo.push({ version: answer.data.version, ops });
    state.redo = [];
  }
  updateUndoButtons();
  saved?.();
  // the change follows the version held, and changes cells only: those cells alone
  const cells = answer.data.version === before + 1 ? cellsOf(ops) : null;
  if (cells) await refreshCells(cells, answer.data.version);
  else await refresh();
  return answer;
}

async function edit(ops, message) {
  try {
    await send(ops);
    if (message) announce(message);
    return true;
  } catch (error) {
    if (error.status === 412) {
      announce(t("editor.conflict"), "error");
      await refresh();
    } else announce(t("common.error", { message: error.message }), "error");
    return false;
  }
}

// -- undo / redo ------------------------------------------------------------------------------

const undoButton = document.getElementById("undo");
const redoButton = document.getElementById("redo");
function updateUndoButtons() {
  if (undoButton) undoButton.disabled = !state.undo.length;
  if (redoButton) redoButton.disabled = !state.redo.length;
}

async function undo() {
  const last = state.undo.at(-1);
  if (!last) return;
  try {
    const { data: inv } = await api("GET", `${base}/revisions/${last.version}/inverse`);
    const answer = await api("POST", `${base}/operations`, {
      body: inv.inverse,
      ifMatch: state.version,
      key: newId("u"),
    });
    state.undo.pop();
    state.redo.push({ version: answer.data.version, ops: last.ops });
    setVersion(answer.data.version);
    updateUndoButtons();
    await refresh();
    announce(t("editor.undone"));
  } catch (error) {
    if (error.status === 412) announce(t("editor.undo_refused"), "error");
    else announce(t("common.error", { message: error.message }), "error");
    await refresh();
  }
}

async function redo() {
  const last = state.redo.at(-1);
  if (!last) return;
  try {
    const answer = await api("POST", `${base}/operations`, {
      body: last.ops,
      ifMatch: state.version,
      key: newId("r"),
    });
    state.redo.pop();
    state.undo.push({ version: answer.data.version, ops: last.ops });
    setVersion(answer.data.version);
    updateUndoButtons();
    await refresh();
    announce(t("editor.redone"));
  } catch (error) {
    if (error.status === 412) announce(t("editor.redo_refused"), "error");
    else announce(t("common.error", { message: error.message }), "error");
    await refresh();
  }
}

undoButton?.addEventListener("click", undo);
redoButton?.addEventListener("click", redo);
document.addEventListener("keydown", (event) => {
  if (!canEdit || state.editing || !(event.ctrlKey || event.metaKey)) return;
  const k = event.key.toLowerCase();
  if (k === "z" && !event.shiftKey) {
    event.preventDefault();
    undo();
  } else if ((k === "z" && event.shiftKey) || k === "y") {
    event.preventDefault();
    redo();
  }
});

// -- inline cell editing --------------------------------------------------------------------

const itemsOf = (lane, step) => state.journey.cells?.[lane]?.[step] ?? [];

function cellText(td) {
  const { lane, step, kind } = td.dataset;
  if (kind === "touchpoints") {
    const s = steps().find((x) => x.id === step);
    const names = Object.fromEntries(state.touchpoints.map((x) => [x.id, x.name]));
    return (s?.touchpoints ?? []).map((id) => names[id] ?? id).join("\n");
  }
  return itemsOf(lane, step)
    .map((it) => {
      if (it.type === "kpi") return `${it.kpi} ${it.target ?? ""} / ${it.measured ?? ""}`.trimEnd();
      if (it.type === "metric") return `${it.name}${it.value != null ? " " + it.value : ""}${it.unit ? " " + it.unit : ""}`;
      if (it.type === "image") return it.alt || it.src;
      return it.text ?? "";
    })
    .join("\n");
}

const num = (s) => (s === "" || s === undefined ? null : Number(String(s).replace(",", ".")));

/** The operations that make the cell hold the typed lines (kept fields of existing items). */
function cellOps(td, text) {
  const { lane, step, kind } = td.dataset;
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (kind === "touchpoints") {
    const byName = Object.fromEntries(state.touchpoints.map((x) => [x.name.toLowerCase(), x.id]));
    const ids = new Set(state.touchpoints.map((x) => x.id));
    const ops = [];
    const chosen = [];
    for (const line of lines) {
      let id = byName[line.toLowerCase()] ?? (ids.has(line) ? line : null);
      if (!id) {
        id = slug(line) || newId("tp");
        while (ids.has(id)) id += "-2";
        ids.add(id);
        ops.push({ op: "add_library_entry", kind: "touchpoints", entry: { id, name: line, channel: null } });
      }
      chosen.push(id);
    }
    ops.push({ op: "set_step", step, field: "touchpoints", value: chosen });
    return ops;
  }
  const old = itemsOf(lane, step);
  const items = lines.map((line, i) => {
    const before = old[i] ?? {};
    if (kind === "kpis") {
      const m = line.match(/^(\S+)\s*([^/]*)\/?\s*(.*)$/);
      return { ...before, type: "kpi", kpi: m[1], target: num(m[2].trim()), measured: num(m[3].trim()) };
    }
    if (kind === "metrics") {
      const m = line.match(/^(.*?)(?:\s+(-?[\d.,]+)(?:\s+(\S+))?)?$/);
      return { ...before, type: "metric", name: m[1], value: num(m[2]), unit: m[3] ?? before.unit ?? null };
    }
    if (kind === "images") return { ...before, type: "image", src: before.src ?? line, alt: line };
    const type = { pain_points: "pain_point", opportunities: "opportunity" }[kind] ?? "card";
    return { ...before, type, text: line };
  });
  return [{ op: "set_cell", lane, step, items }];
}

function slug(text) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

function beginEdit(td, initial) {
  if (!canEdit || state.editing || td.dataset.kind === "emotions") return;
  const kept = held.get(cellKey(td));
  if (kept) {
    if (!kept.saving) resume(kept); // a refused text: back to it
    return;
  }
  const box = el("div", { class: "cell-editor", contenteditable: "plaintext-only", role: "textbox", "aria-multiline": "true", "aria-label": td.getAttribute("aria-label") });
  box.textContent = initial ?? cellText(td);
  const shown = Array.from(td.childNodes);
  // the version the typed text is based on: a co-editor's change of this cell since is a conflict
  state.editing = { td, shown, box, theirs: null, version: state.version };
  td.classList.add("editing");
  td.replaceChildren(box);
  box.focus();
  placeCaretAtEnd(box);
  heartbeat(cellKey(td));
}

/** Open again a cell whose text was refused (kept in `held`), to apply it over their version. */
function resume(kept) {
  const { td, box } = kept;
  held.delete(cellKey(td));
  delete kept.saving;
  box.contentEditable = "plaintext-only";
  box.setAttribute("role", "textbox");
  state.editing = kept;
  td.classList.add("editing");
  box.focus();
  placeCaretAtEnd(box);
  heartbeat(cellKey(td));
}

function placeCaretAtEnd(node) {
  const range = document.createRange();
  range.selectNodeContents(node);
  range.collapse(false);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

function endEdit() {
  const editing = state.editing;
  if (!editing) return;
  state.editing = null;
  const { td } = editing;
  td.classList.remove("editing", "conflict");
  heartbeat(null);
  return td;
}

function cancelEdit() {
  const editing = state.editing;
  if (!editing) return;
  const { td, shown, theirs } = editing;
  endEdit();
  // what the server has now when a change came meanwhile, else what was shown
  if (theirs) td.replaceWith(theirs);
  else td.replaceChildren(...shown);
  markPresence();
  focusIfIdle(theirs ?? td);
}

/** Enter: the cell is let go at once (another one can be opened while it is saved); its text
 * is shown until the server's answer redraws it. Refused (a co-editor saved the same cell),
 * the text is kept: the cell opens again, or on Enter when another cell is being edited. */
async function commitEdit() {
  const editing = state.editing;
  if (!editing) return;
  const { td, box } = editing;
  const key = cellKey(td);
  const text = box.innerText.replace(/\u00a0/g, " ");
  const ops = cellOps(td, text);
  const hadFocus = document.activeElement === box;
  const entered = performance.now();
  timed("parcours:enter", entered, null);
  endEdit();
  editing.saving = true;
  held.set(key, editing);
  box.contentEditable = "false";
  box.removeAttribute("role");
  td.classList.add("saving");
  if (hadFocus) td.focus({ preventScroll: true });
  try {
    await send(ops, {
      ifMatch: editing.version,
      saved: () => {
        held.delete(key);
        td.classList.remove("saving");
        performance.measure("parcours:saved", { start: entered });
      },
    });
    announce(t("editor.saved", { version: state.version }));
  } catch (error) {
    if (held.get(key) !== editing) return; // saved, the redraw failed: nothing is kept
    td.classList.remove("saving");
    editing.saving = false;
    if (error.status === 412) {
      td.classList.add("conflict");
      announce(t("editor.conflict"), "error");
      await refresh(); // the new version under the kept text; Enter applies it over that
      editing.version = state.version;
    } else {
      announce(t("common.error", { message: error.message }), "error");
    }
    if (!state.editing && held.get(key) === editing) resume(editing);
  }
}

// -- details of pain points and opportunities (Alt+Enter, or a click on an item's details) ----

const SEVERITIES = ["irritant", "blocker", "rupture"];
const PRIORITIES = ["low", "medium", "high", "critical"];
const STATUSES = ["idea", "planned", "in_progress", "done", "dropped"];
const choices = (values) => values.map((v) => ({ value: v, label: v }));

async function itemDetails(td) {
  const { lane, step, kind } = td.dataset;
  const items = itemsOf(lane, step);
  if (!items.length || !["pain_points", "opportunities"].includes(kind)) return;
  const fields = [];
  items.forEach((it, i) => {
    const n = items.length > 1 ? `${i + 1} · ` : "";
    if (kind === "pain_points") {
      fields.push({ name: `severity${i}`, label: `${n}${t("editor.severity")}`, options: choices(SEVERITIES), value: it.severity });
    } else {
      fields.push({ name: `owner${i}`, label: `${n}${t("editor.owner")}`, value: it.owner ?? "" });
      fields.push({ name: `priority${i}`, label: `${n}${t("editor.priority")}`, options: choices(PRIORITIES), value: it.priority });
      fields.push({ name: `status${i}`, label: `${n}${t("editor.status")}`, options: choices(STATUSES), value: it.status });
      fields.push({ name: `due${i}`, label: `${n}${t("editor.due")}`, value: it.due ?? "", type: "date" });
      fields.push({ name: `value${i}`, label: `${n}${t("editor.value")}`, value: it.value ?? "", type: "number" });
    }
  });
  const r = await openDialog(`${t("editor.details")} — ${td.getAttribute("aria-label")}`, fields);
  if (!r) return td.focus();
  const next = items.map((it, i) =>
    kind === "pain_points"
      ? { ...it, severity: r[`severity${i}`] }
      : {
          ...it,
          owner: r[`owner${i}`] || null,
          priority: r[`priority${i}`],
          status: r[`status${i}`],
          due: r[`due${i}`] || null,
          value: r[`value${i}`] === "" ? null : Number(r[`value${i}`]),
        },
  );
  await edit([{ op: "set_cell", lane, step, items: next }]);
  focusIfIdle(findCell(lane, step));
}

// -- emotions ----------------------------------------------------------------------------------

async function setEmotion(td, score) {
  score = Math.max(-2, Math.min(2, score));
  const { lane, step } = td.dataset;
  const old = itemsOf(lane, step)[0];
  if (old && old.score === score) return;
  const ops = [{ op: "set_emotion", lane, step, score, label: old?.label ?? null }];
  await edit(ops, t("editor.emotion_set", { score: score > 0 ? `+${score}` : score, step: stepName(step) }));
  focusIfIdle(findCell(lane, step));
}

let dragScore = null;
wrap.addEventListener("pointerdown", (event) => {
  const dot = event.target.closest("[data-set-score]");
  if (!dot || !canEdit) return;
  event.preventDefault();
  dragScore = { td: dot.closest("td.cell"), score: Number(dot.dataset.setScore) };
  dot.closest(".emotion").dataset.preview = dragScore.score;
});
wrap.addEventListener("pointermove", (event) => {
  if (!dragScore) return;
  const over = document.elementFromPoint(event.clientX, event.clientY)?.closest("[data-set-score]");
  if (over && over.closest("td.cell") === dragScore.td) dragScore.score = Number(over.dataset.setScore);
});
document.addEventListener("pointerup", () => {
  if (!dragScore) return;
  const { td, score } = dragScore;
  dragScore = null;
  setEmotion(td, score);
});

// -- moving steps, stages and lanes ----------------------------------------------------------

function stepPlace(id) {
  for (const stage of state.journey.stages) {
    const index = stage.steps.findIndex((s) => s.id === id);
    if (index >= 0) return { stage: stage.id, index, count: stage.steps.length };
  }
  return null;
}

async function moveStep(id, delta) {
  const place = stepPlace(id);
  if (!place) return;
  const stages = state.journey.stages;
  const si = stages.findIndex((s) => s.id === place.stage);
  let target = { stage: place.stage, index: place.index + delta };
  if (target.index < 0) {
    if (si === 0) return;
    target = { stage: stages[si - 1].id, index: stages[si - 1].steps.length };
  } else if (target.index >= place.count) {
    if (si === stages.length - 1) return;
    target = { stage: stages[si + 1].id, index: 0 };
  }
  await edit([{ op: "move_step", step: id, stage: target.stage, index: target.index }], t("editor.moved", { name: stepName(id) }));
  focusIfIdle(wrap.querySelector(`th.step[data-step="${CSS.escape(id)}"]`));
}

async function moveLane(id, delta) {
  const lanes = state.journey.lanes;
  const index = lanes.findIndex((l) => l.id === id) + delta;
  if (index < 0 || index >= lanes.length) return;
  await edit([{ op: "move_lane", lane: id, index }]);
  focusIfIdle(wrap.querySelector(`th.lane-head[data-lane="${CSS.escape(id)}"]`));
}

async function moveStage(id, delta) {
  const stages = state.journey.stages;
  const index = stages.findIndex((s) => s.id === id) + delta;
  if (index < 0 || index >= stages.length) return;
  await edit([{ op: "move_stage", stage: id, index }]);
  focusIfIdle(wrap.querySelector(`th.stage[data-stage="${CSS.escape(id)}"]`));
}

// drag and drop of step columns (a step dropped on another takes its place)
let dragged = null;
wrap.addEventListener("dragstart", (event) => {
  const th = event.target.closest?.("th.step[draggable]");
  if (!th) return;
  dragged = th.dataset.step;
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", dragged);
  th.classList.add("dragging");
});
wrap.addEventListener("dragover", (event) => {
  const th = event.target.closest?.("th.step");
  if (!dragged || !th) return;
  event.preventDefault();
  wrap.querySelectorAll("th.drop-target").forEach((n) => n.classList.remove("drop-target"));
  th.classList.add("drop-target");
});
wrap.addEventListener("dragend", () => {
  dragged = null;
  wrap.querySelectorAll(".dragging, .drop-target").forEach((n) => n.classList.remove("dragging", "drop-target"));
});
wrap.addEventListener("drop", async (event) => {
  const th = event.target.closest?.("th.step");
  const id = dragged || event.dataTransfer.getData("text/plain");
  dragged = null;
  if (!th || !id || th.dataset.step === id) return;
  event.preventDefault();
  const stage = th.dataset.stage;
  let index = th.dataset.step ? stepPlace(th.dataset.step).index : 0;
  await edit([{ op: "move_step", step: id, stage, index }], t("editor.moved", { name: stepName(id) }));
});

// -- menus of stages, steps and lanes ----------------------------------------------------------

function freeId(base, taken) {
  let id = slug(base) || "x";
  let n = 2;
  const root = id;
  while (taken.has(id)) id = `${root}-${n++}`;
  return id;
}
const allIds = () => new Set([...state.journey.stages.map((s) => s.id), ...steps().map((s) => s.id), ...state.journey.lanes.map((l) => l.id)]);

async function stepMenu(id) {
  const step = steps().find((s) => s.id === id);
  const place = stepPlace(id);
  const choice = await openDialog(t("editor.step_menu", { name: step.name }), [
    { action: "rename", label: t("editor.rename") },
    { action: "link", label: t("editor.add_link") },
    { action: "mot", label: t("editor.toggle_mot") },
    { action: "add", label: t("editor.add_step") },
    { action: "left", label: t("editor.move_left") },
    { action: "right", label: t("editor.move_right") },
    { action: "remove", label: t("editor.remove"), danger: true },
  ]);
  if (!choice) return;
  if (choice.action === "rename") {
    const r = await openDialog(t("editor.rename"), [{ name: "name", label: t("editor.name"), value: step.name }]);
    if (r?.name) await edit([{ op: "set_step", step: id, field: "name", value: r.name }]);
  } else if (choice.action === "link") {
    await addLinkDialog(id);
  } else if (choice.action === "mot") {
    await edit([{ op: "set_step", step: id, field: "moment_of_truth", value: !step.moment_of_truth }]);
  } else if (choice.action === "add") {
    const r = await openDialog(t("editor.add_step"), [{ name: "name", label: t("editor.name"), value: t("editor.new_step") }]);
    if (r?.name) await edit([{ op: "add_step", stage: place.stage, step: { id: freeId(r.name, allIds()), name: r.name }, index: place.index + 1 }]);
  } else if (choice.action === "left") await moveStep(id, -1);
  else if (choice.action === "right") await moveStep(id, 1);
  else if (choice.action === "remove") await edit([{ op: "remove_step", step: id }]);
}

async function addLinkDialog(id) {
  const options = steps().filter((s) => s.id !== id).map((s) => ({ value: s.id, label: s.name }));
  const r = await openDialog(t("editor.add_link"), [
    { name: "to", label: t("editor.link_to"), options },
    { name: "label", label: t("editor.link_label"), value: "" },
    { name: "share", label: t("editor.link_share"), value: "", type: "number" },
  ]);
  if (!r?.to) return;
  const link = { to: r.to };
  if (r.label) link.label = r.label;
  if (r.share !== "" && r.share != null) link.share = Math.max(0, Math.min(100, Number(r.share))) / 100;
  await edit([{ op: "add_link", step: id, link }]);
}

async function stageMenu(id) {
  const stage = state.journey.stages.find((s) => s.id === id);
  const index = state.journey.stages.indexOf(stage);
  const choice = await openDialog(t("editor.stage_menu", { name: stage.name }), [
    { action: "rename", label: t("editor.rename") },
    { action: "add", label: t("editor.add_stage") },
    { action: "left", label: t("editor.move_left") },
    { action: "right", label: t("editor.move_right") },
    { action: "remove", label: t("editor.remove"), danger: true },
  ]);
  if (!choice) return;
  if (choice.action === "rename") {
    const r = await openDialog(t("editor.rename"), [{ name: "name", label: t("editor.name"), value: stage.name }]);
    if (r?.name) await edit([{ op: "set_stage", stage: id, field: "name", value: r.name }]);
  } else if (choice.action === "add") {
    const r = await openDialog(t("editor.add_stage"), [{ name: "name", label: t("editor.name"), value: t("editor.new_stage") }]);
    if (r?.name) {
      const sid = freeId(r.name, allIds());
      const taken = allIds();
      taken.add(sid);
      const first = freeId(t("editor.new_step"), taken);
      await edit([{ op: "add_stage", stage: { id: sid, name: r.name, steps: [{ id: first, name: t("editor.new_step") }] }, index: index + 1 }]);
    }
  } else if (choice.action === "left") await moveStage(id, -1);
  else if (choice.action === "right") await moveStage(id, 1);
  else if (choice.action === "remove") await edit([{ op: "remove_stage", stage: id }]);
}

const LANE_KINDS = ["actions", "thoughts", "emotions", "pain_points", "opportunities", "touchpoints", "backstage", "kpis", "metrics", "notes"];

async function laneMenu(id) {
  const lane = laneOf(id);
  const row = wrap.querySelector(`th.lane-head[data-lane="${CSS.escape(id)}"] .lane-name`);
  const label = row?.textContent ?? id;
  const choice = await openDialog(t("editor.lane_menu", { name: label }), [
    { action: "rename", label: t("editor.rename") },
    { action: "up", label: t("editor.move_up") },
    { action: "down", label: t("editor.move_down") },
    { action: "remove", label: t("editor.remove"), danger: true },
  ]);
  if (!choice) return;
  if (choice.action === "rename") {
    const r = await openDialog(t("editor.rename"), [{ name: "name", label: t("editor.name"), value: label }]);
    if (r?.name) await edit([{ op: "set_lane", lane: id, field: "title", value: r.name }]);
  } else if (choice.action === "up") await moveLane(id, -1);
  else if (choice.action === "down") await moveLane(id, 1);
  else if (choice.action === "remove") await edit([{ op: "remove_lane", lane: id }]);
  void lane;
}

async function addLane() {
  const r = await openDialog(t("editor.add_lane"), [
    { name: "kind", label: t("editor.lane_kind"), options: LANE_KINDS.map((k) => ({ value: k, label: k })) },
    { name: "name", label: t("editor.name"), value: "" },
  ]);
  if (!r?.kind) return;
  const lane = { id: freeId(r.name || r.kind, allIds()), kind: r.kind };
  if (r.name) lane.title = r.name;
  await edit([{ op: "add_lane", lane }]);
}

// -- events on the grid -------------------------------------------------------------------------

wrap.addEventListener("click", (event) => {
  if (!canEdit) return;
  const menu = event.target.closest("[data-menu]");
  if (menu) {
    event.stopPropagation();
    if (menu.dataset.menu === "step") stepMenu(menu.dataset.step);
    else if (menu.dataset.menu === "stage") stageMenu(menu.dataset.stage);
    else if (menu.dataset.menu === "lane") laneMenu(menu.dataset.lane);
    return;
  }
  if (event.target.closest("[data-action=add-lane]")) return void addLane();
  const dot = event.target.closest("[data-set-score]");
  if (dot) return;
  const meta = event.target.closest(".item .meta");
  if (meta) return void itemDetails(meta.closest("td.cell"));
  const td = event.target.closest("td.cell");
  if (td && !td.classList.contains("empty") && !td.classList.contains("editing") && td.dataset.kind === "emotions") {
    // a click in the emotion cell: its height picks the score (top +2 … bottom −2)
    const box = td.getBoundingClientRect();
    const score = 2 - Math.round(((event.clientY - box.top) / box.height) * 4);
    setEmotion(td, score);
  }
});

wrap.addEventListener("dblclick", (event) => {
  const td = event.target.closest("td.cell");
  if (td && !td.classList.contains("empty")) beginEdit(td);
});

wrap.addEventListener("keydown", (event) => {
  const target = event.target;
  if (state.editing && target === state.editing.box) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      commitEdit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      cancelEdit();
    }
    return;
  }
  if (!canEdit) return;
  if (target.matches("td.cell") && !target.classList.contains("empty")) {
    if (target.dataset.kind === "emotions") {
      const score = Number(target.querySelector(".emotion")?.dataset.score || 0);
      if (event.key === "ArrowUp" || event.key === "+") {
        event.preventDefault();
        setEmotion(target, score + 1);
      } else if (event.key === "ArrowDown" || event.key === "-") {
        event.preventDefault();
        setEmotion(target, score - 1);
      } else if (/^[0-4]$/.test(event.key)) setEmotion(target, Number(event.key) - 2);
      return;
    }
    if (event.key === "Enter" && event.altKey) {
      event.preventDefault();
      itemDetails(target);
    } else if (event.key === "Enter" || event.key === "F2") {
      event.preventDefault();
      beginEdit(target);
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      beginEdit(target, cellText(target) ? `${cellText(target)}\n${event.key}` : event.key);
    }
    return;
  }
  if (target.matches("th.step")) {
    if (event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      event.preventDefault();
      moveStep(target.dataset.step, event.key === "ArrowLeft" ? -1 : 1);
    } else if (event.key === "Enter" || event.key === "ContextMenu") {
      event.preventDefault();
      stepMenu(target.dataset.step);
    }
  } else if (target.matches("th.lane-head")) {
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      moveLane(target.dataset.lane, event.key === "ArrowUp" ? -1 : 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      laneMenu(target.dataset.lane);
    }
  } else if (target.matches("th.stage")) {
    if (event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      event.preventDefault();
      moveStage(target.dataset.stage, event.key === "ArrowLeft" ? -1 : 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      stageMenu(target.dataset.stage);
    }
  }
});

// arrow keys move between cells (a grid: same lane left / right, same step up / down)
wrap.addEventListener("keydown", (event) => {
  const td = event.target;
  if (state.editing || event.altKey || !td.matches?.("td.cell")) return;
  if (td.dataset.kind === "emotions" && (event.key === "ArrowUp" || event.key === "ArrowDown") && canEdit) return;
  const row = td.parentElement;
  let next = null;
  if (event.key === "ArrowRight") next = td.nextElementSibling;
  else if (event.key === "ArrowLeft") next = td.previousElementSibling;
  else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    const index = Array.from(row.children).indexOf(td);
    const other = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
    next = other?.children[index];
  }
  if (next?.matches("td.cell")) {
    event.preventDefault();
    next.focus();
  }
});

// -- live updates and presence -------------------------------------------------------------------

let people = [];
const presenceList = document.getElementById("presence");

function markPresence() {
  wrap.querySelectorAll("td.cell.taken").forEach((td) => {
    td.classList.remove("taken");
    td.removeAttribute("data-taken-by");
  });
  presenceList.replaceChildren(
    ...people.map((p) => {
      const initials = p.email.slice(0, 2).toUpperCase();
      return el("li", { class: p.email === data.me ? "me" : "", title: p.email }, el("span", { class: "avatar", "aria-hidden": "true" }, initials), el("span", { class: "visually-hidden" }, p.email));
    }),
  );
  for (const p of people) {
    if (!p.cell || p.email === data.me) continue;
    const [lane, step] = p.cell.split("/");
    const td = findCell(lane, step);
    if (td) {
      td.classList.add("taken");
      td.dataset.takenBy = t("editor.editing", { email: p.email, cell: td.getAttribute("aria-label") });
      td.title = td.dataset.takenBy;
    }
  }
}

let lastCell = null;
async function heartbeat(cell = lastCell) {
  lastCell = cell;
  try {
    await api("POST", `${base}/presence`, { body: { cell } });
  } catch {
    /* presence is best effort */
  }
}

/** A User Timing mark of the live updates (read by bench/web_latency.py); the last few only. */
let marks = 0;
function timed(name, startTime, detail) {
  if (++marks % 1000 === 0) {
    performance.clearMarks();
    performance.clearMeasures();
  }
  performance.mark(name, { startTime, detail });
}

function listen() {
  // cells=1: a change of cells comes with those cells drawn (no request to redraw them)
  const source = new EventSource(`${base}/events?since=${state.version}&cells=1`);
  source.addEventListener("operations", (event) => {
    const received = performance.now();
    const envelope = JSON.parse(event.data);
    timed("parcours:event", received, envelope.version);
    if (envelope.version > state.version) {
      // a change of cells only, the next version after the one held (a rebased write keeps
      // the base its author had, so the sequence is checked on the version): those cells alone
      const next = envelope.version === state.version + 1 || envelope.base_version === state.version;
      const cells = next ? cellsOf(envelope.operations) : null;
      setVersion(envelope.version);
      if (cells) refreshCells(cells, envelope.version, received, envelope.cells);
      else refresh();
    }
  });
  source.addEventListener("presence", (event) => {
    people = JSON.parse(event.data).people;
    markPresence();
  });
  source.addEventListener("comments", () => comments.changed());
  source.addEventListener("revoked", () => source.close());
  source.addEventListener("deleted", () => source.close());
  return source;
}

const comments = setupComments({ base, canEdit, state, stepName });
listen();
heartbeat(null);
setInterval(() => heartbeat(), 10000);

updateUndoButtons();
