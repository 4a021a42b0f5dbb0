// The comments side panel: comments on the journey, a step, a lane or a cell, read again when
// the journey's event stream says they changed.

import { t, api, announce, el, uiLang } from "../app.js";

export function setupComments({ base, canEdit, state, stepName }) {
  const panel = document.getElementById("comments");
  const toggle = document.getElementById("comments-toggle");
  const list = document.getElementById("comment-list");
  const form = document.getElementById("comment-form");
  const target = document.getElementById("comment-target");
  let focusedCell = null;

  document.getElementById("grid-wrap").addEventListener("focusin", (event) => {
    const td = event.target.closest("td.cell:not(.empty)");
    if (!td) return;
    focusedCell = { lane: td.dataset.lane, step: td.dataset.step, label: td.getAttribute("aria-label") };
    if (!panel.hidden) targets();
  });

  const laneLabel = (id) => document.querySelector(`th.lane-head[data-lane="${CSS.escape(id)}"] .lane-name`)?.textContent ?? id;

  function targets() {
    const options = [el("option", { value: "" }, t("editor.comment_journey"))];
    if (focusedCell) {
      options.push(el("option", { value: `${focusedCell.lane}/${focusedCell.step}` }, focusedCell.label));
      options.push(el("option", { value: `/${focusedCell.step}` }, stepName(focusedCell.step)));
      options.push(el("option", { value: `${focusedCell.lane}/` }, laneLabel(focusedCell.lane)));
    }
    target?.replaceChildren(...options);
  }

  function where(c) {
    if (c.step && c.lane) return t("editor.on_cell", { lane: laneLabel(c.lane), step: stepName(c.step) });
    if (c.step) return stepName(c.step);
    if (c.lane) return laneLabel(c.lane);
    return t("editor.comment_journey");
  }

  async function load() {
    try {
      const { data } = await api("GET", `${base}/comments`);
      const items = Array.isArray(data) ? data : data.comments || [];
      if (!items.length) return list.replaceChildren(el("li", { class: "muted" }, t("editor.no_comment")));
      list.replaceChildren(
        ...items.map((c) =>
          el(
            "li",
            { class: "comment" },
            el("p", { class: "comment-where" }, where(c)),
            el("p", { class: "comment-text" }, c.text),
            el("p", { class: "comment-by" }, [c.author || "", c.at ? new Date(c.at).toLocaleString(uiLang) : ""].filter(Boolean).join(" · ")),
          ),
        ),
      );
    } catch (error) {
      announce(t("common.error", { message: error.message }), "error");
    }
  }

  toggle.addEventListener("click", () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      targets();
      load();
    }
  });

  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = document.getElementById("comment-text").value.trim();
    if (!text) return;
    const [lane, step] = (target.value || "/").split("/");
    const body = { text };
    if (step) body.step = step;
    if (lane) body.lane = lane;
    try {
      await api("POST", `${base}/comments`, { body });
      document.getElementById("comment-text").value = "";
      await load();
    } catch (error) {
      announce(t("common.error", { message: error.message }), "error");
    }
  });
  void canEdit;
  void state;
  // a comment added or removed by someone (a `comments` event): read them again if shown
  return { changed: () => (panel.hidden ? undefined : load()) };
}
