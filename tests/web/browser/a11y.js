// Accessibility rules run in the page by the browser tests (written here; no third-party code):
// the main rules of axe-core, checked on the page as the browser computed it.
// Returns a list of violations: {rule, where, detail}.
() => {
  const found = [];
  const where = (node) => {
    if (!node || node.nodeType !== 1) return String(node);
    let s = node.tagName.toLowerCase();
    if (node.id) s += `#${node.id}`;
    for (const c of [...node.classList].slice(0, 2)) s += `.${c}`;
    for (const a of ["data-lane", "data-step", "name", "href", "type"]) {
      if (node.hasAttribute(a)) s += `[${a}="${node.getAttribute(a).slice(0, 40)}"]`;
    }
    return s;
  };
  const fail = (rule, node, detail = "") => found.push({ rule, where: where(node), detail });

  // -- what is shown -------------------------------------------------------------------------
  const hiddenByStyle = (node) => {
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.display === "none" || cs.visibility === "hidden" || cs.visibility === "collapse") return true;
      if (n.hidden || n.getAttribute("aria-hidden") === "true") return true;
    }
    return false;
  };
  // shown on screen (not clipped to nothing as the visually hidden texts of screen readers)
  const onScreen = (node) => {
    if (hiddenByStyle(node)) return false;
    const r = node.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.clip === "rect(0px, 0px, 0px, 0px)" || cs.clipPath === "inset(50%)") return false;
      if (Number(cs.opacity) === 0) return false;
    }
    return !(r.right < 0 || r.bottom < 0 || r.left > 1e5);
  };
  const inClosedDialog = (node) => {
    const d = node.closest("dialog");
    return d && !d.open;
  };

  // -- accessible names (the parts of the W3C computation the pages use) ---------------------
  const textOf = (node) => {
    let out = "";
    for (const child of node.childNodes) {
      if (child.nodeType === 3) out += child.textContent;
      else if (child.nodeType === 1) {
        if (child.getAttribute("aria-hidden") === "true" || child.hidden) continue;
        const tag = child.tagName.toLowerCase();
        if (tag === "img") out += child.getAttribute("alt") || "";
        else if (tag === "svg") out += child.querySelector("title")?.textContent || child.getAttribute("aria-label") || "";
        else if (tag === "script" || tag === "style" || tag === "template") continue;
        else out += child.getAttribute("aria-label") || textOf(child);
      }
    }
    return out;
  };
  const labelled = (node) => {
    const ids = node.getAttribute("aria-labelledby");
    if (ids) {
      const text = ids
        .split(/\s+/)
        .map((id) => document.getElementById(id))
        .filter(Boolean)
        .map((n) => textOf(n))
        .join(" ");
      if (text.trim()) return text.trim();
    }
    const aria = node.getAttribute("aria-label");
    if (aria && aria.trim()) return aria.trim();
    return "";
  };
  const controlLabel = (node) => {
    const by = labelled(node);
    if (by) return by;
    if (node.id) {
      const label = document.querySelector(`label[for="${CSS.escape(node.id)}"]`);
      if (label && textOf(label).trim()) return textOf(label).trim();
    }
    const wrapping = node.closest("label");
    if (wrapping && textOf(wrapping).trim()) return textOf(wrapping).trim();
    return (node.getAttribute("title") || "").trim();
  };
  const nameOf = (node) => {
    const tag = node.tagName.toLowerCase();
    if (["input", "select", "textarea"].includes(tag)) {
      const type = (node.getAttribute("type") || "").toLowerCase();
      if (["submit", "reset", "button"].includes(type)) return labelled(node) || node.value || (type === "submit" ? "submit" : "");
      if (type === "image") return labelled(node) || node.getAttribute("alt") || "";
      return controlLabel(node);
    }
    return labelled(node) || textOf(node).replace(/\s+/g, " ").trim() || (node.getAttribute("title") || "").trim();
  };

  const all = [...document.querySelectorAll("body *")];

  // html has a language; the page a title
  if (!document.documentElement.getAttribute("lang")) fail("html-has-lang", document.documentElement);
  if (!document.title.trim()) fail("document-title", document.documentElement);

  // ids are unique
  const seen = new Map();
  for (const node of document.querySelectorAll("[id]")) {
    const id = node.id;
    if (seen.has(id)) fail("duplicate-id", node, `id "${id}" also on ${where(seen.get(id))}`);
    else seen.set(id, node);
  }

  // no positive tabindex
  for (const node of document.querySelectorAll("[tabindex]")) {
    if (Number(node.getAttribute("tabindex")) > 0) fail("tabindex", node, node.getAttribute("tabindex"));
  }

  // one h1; a main landmark; a navigation when signed in; no text outside landmarks
  const h1s = all.filter((n) => n.tagName === "H1" && !hiddenByStyle(n));
  if (h1s.length !== 1) fail("page-has-heading-one", document.body, `${h1s.length} h1`);
  const mains = document.querySelectorAll("main, [role=main]");
  if (mains.length !== 1) fail("landmark-one-main", document.body, `${mains.length} main`);
  if (document.querySelector("form.signout") && !document.querySelector("nav, [role=navigation]")) fail("landmark-nav", document.body);
  const landmarks = "main, nav, header, footer, aside, [role=banner], [role=main], [role=navigation], [role=contentinfo], [role=complementary], [role=region][aria-label], [role=region][aria-labelledby], [role=status], [role=alert], [aria-live], dialog";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const parent = t.parentElement;
    if (!t.textContent.trim() || !parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(parent.tagName)) continue;
    if (parent.closest(landmarks) || parent.closest("a.skip")) continue;
    if (onScreen(parent)) fail("region", parent, t.textContent.trim().slice(0, 60));
  }

  // images have a text alternative
  for (const img of document.querySelectorAll("img, [role=img], svg")) {
    if (hiddenByStyle(img) || img.closest("[aria-hidden=true]")) continue;
    if (img.tagName === "IMG" && !img.hasAttribute("alt")) fail("image-alt", img);
    else if (img.tagName !== "IMG" && img.getAttribute("role") === "img" && !nameOf(img) && !img.querySelector("title")) fail("image-alt", img);
  }
  for (const input of document.querySelectorAll("input[type=image]")) {
    if (!nameOf(input)) fail("input-image-alt", input);
  }

  // every form control has a label
  for (const node of document.querySelectorAll("input, select, textarea")) {
    const type = (node.getAttribute("type") || "").toLowerCase();
    if (type === "hidden" || hiddenByStyle(node) || inClosedDialog(node)) continue;
    if (["submit", "reset", "button", "image"].includes(type)) continue;
    if (!controlLabel(node)) fail("label", node);
  }

  // every interactive element has an accessible name
  const interactive = "a[href], button, summary, input[type=submit], input[type=button], input[type=reset], [role=button], [role=link], [role=menuitem], [role=tab], [role=checkbox], [role=switch], [role=textbox], [contenteditable=true], [contenteditable=plaintext-only], [tabindex]:not([tabindex='-1'])";
  for (const node of document.querySelectorAll(interactive)) {
    if (hiddenByStyle(node) || inClosedDialog(node)) continue;
    if (node.matches("main, dialog")) continue;
    const rule = node.matches("a[href], [role=link]") ? "link-name" : node.matches("button, [role=button], input, summary") ? "button-name" : "name";
    if (!nameOf(node)) fail(rule, node);
  }

  // nothing focusable inside aria-hidden
  for (const node of document.querySelectorAll("[aria-hidden=true] a[href], [aria-hidden=true] button, [aria-hidden=true] input, [aria-hidden=true] select, [aria-hidden=true] textarea, [aria-hidden=true] [tabindex]:not([tabindex='-1'])")) {
    if (!node.disabled) fail("aria-hidden-focus", node);
  }

  // the editor's cells are named "<lane> — <step>"
  for (const td of document.querySelectorAll("td.cell:not(.empty)")) {
    const lane = document.querySelector(`th.lane-head[data-lane="${CSS.escape(td.dataset.lane)}"] .lane-name`);
    const step = document.querySelector(`th.step[data-step="${CSS.escape(td.dataset.step)}"] .step-name`);
    const want = `${lane?.textContent.trim()} — ${step?.textContent.trim()}`;
    if (td.getAttribute("aria-label") !== want) fail("cell-name", td, `"${td.getAttribute("aria-label")}", expected "${want}"`);
  }

  // -- contrast of text: its colour over the first opaque background below it -----------------
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const luminance = ([r, g, b]) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  /** The background under `node`: its own and its ancestors' colours, blended down to the
   * first opaque one (white under the page); null when an image or gradient is in the way. */
  const backgroundOf = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.backgroundImage && cs.backgroundImage !== "none") return null;
      const c = parse(cs.backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const opacityOf = (node) => {
    let o = 1;
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) o *= Number(getComputedStyle(n).opacity);
    return o;
  };
  const checked = new Set();
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = texts.nextNode(); t; t = texts.nextNode()) {
    const node = t.parentElement;
    if (!t.textContent.trim() || !node || checked.has(node)) continue;
    if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION"].includes(node.tagName)) continue;
    checked.add(node);
    if (!onScreen(node) || inClosedDialog(node)) continue;
    if (node.closest("button[disabled], input[disabled], select[disabled], [aria-disabled=true]")) continue; // exempt, as in WCAG
    const cs = getComputedStyle(node);
    const bg = backgroundOf(node);
    if (!bg) continue; // text over a picture or a gradient: not told by colours alone
    const fg = parse(cs.color);
    if (!fg) continue;
    const alpha = fg[3] * opacityOf(node);
    const shown = over([fg[0], fg[1], fg[2], alpha], bg);
    const size = parseFloat(cs.fontSize);
    const bold = Number(cs.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const need = large ? 3 : 4.5;
    const r = ratio(shown, bg);
    if (r < need - 0.005) {
      fail("color-contrast", node, `${r.toFixed(2)}:1 < ${need}:1 (${cs.color} on rgb(${bg.slice(0, 3).map(Math.round).join(", ")}), ${size}px): "${t.textContent.trim().slice(0, 40)}"`);
    }
  }
  return found;
};
