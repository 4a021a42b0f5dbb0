// One <dialog> for every menu and small form of the editor: a list of actions (buttons) or
// fields (text, number, select). Resolves to {action} or the fields' values, or null (cancel).

import { el } from "../app.js";

const dialog = document.getElementById("editor-dialog");

export function openDialog(title, entries) {
  if (!dialog) return Promise.resolve(null);
  const fields = document.getElementById("editor-dialog-fields");
  const ok = document.getElementById("editor-dialog-ok");
  document.getElementById("editor-dialog-title").textContent = title;
  const isMenu = entries.every((e) => e.action);
  ok.hidden = isMenu;
  let chosen = null;
  const inputs = {};
  const nodes = entries.map((entry, i) => {
    if (entry.action) {
      return el(
        "button",
        {
          type: "button",
          class: `menu-item${entry.danger ? " danger" : ""}`,
          dataset: { action: entry.action },
          on: {
            click: () => {
              chosen = { action: entry.action };
              dialog.close("ok");
            },
          },
        },
        entry.label,
      );
    }
    const id = `editor-field-${i}`;
    let input;
    if (entry.options) {
      input = el("select", { id, name: entry.name }, entry.options.map((o) => el("option", { value: o.value }, o.label)));
      if (entry.value != null) input.value = entry.value;
    } else {
      input = el("input", { id, name: entry.name, type: entry.type || "text", autocomplete: "off" });
      if (entry.type === "number") input.setAttribute("step", "any");
      input.value = entry.value ?? "";
    }
    inputs[entry.name] = input;
    return el("p", { class: "field" }, el("label", { for: id }, entry.label), input);
  });
  fields.replaceChildren(...nodes);
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        if (isMenu) return resolve(chosen);
        if (dialog.returnValue !== "ok") return resolve(null);
        resolve(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value.trim()])));
      },
      { once: true },
    );
    dialog.returnValue = "";
    dialog.showModal();
    (fields.querySelector("input, select, button") || ok).focus();
  });
}

/** Whether a menu or form of the editor is open (the grid is not redrawn under it). */
export const dialogOpen = () => !!dialog?.open;

/** Resolves once no dialog is open (at once when none is). */
export async function dialogClosed() {
  while (dialog?.open) await new Promise((resolve) => dialog.addEventListener("close", resolve, { once: true }));
}
