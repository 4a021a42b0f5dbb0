// The atlas: the backlog filters work at once in the page (without JavaScript, the form
// sends them to the server, which answers with the filtered table).
import { t } from "/static/app.js";

for (const form of document.querySelectorAll("form[data-backlog-filter]")) {
  const table = form.parentElement.querySelector("table");
  const count = form.querySelector("[data-count]");
  const apply = () => {
    const wanted = {};
    for (const select of form.querySelectorAll("select")) wanted[select.name] = select.value;
    let shown = 0;
    const rows = [...table.tBodies[0].rows].filter((row) => "status" in row.dataset);
    for (const row of rows) {
      const keep = Object.entries(wanted).every(([key, value]) => !value || row.dataset[key] === value);
      row.hidden = !keep;
      if (keep) shown += 1;
    }
    count.textContent = t("atlas.filter.count", { n: shown, total: rows.length });
    const url = new URL(location.href);
    for (const [key, value] of Object.entries(wanted)) {
      if (value) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    }
    history.replaceState(null, "", url);
  };
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
}
