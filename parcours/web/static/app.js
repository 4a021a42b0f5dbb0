// The shared part of every page: words, page data, the API client, announcements, DOM building.
// Native ES module, no dependency. Text from users is only ever set as textContent or as an
// attribute value: never through innerHTML.

const readJson = (id) => {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : {};
};

const WORDS = readJson("ui-words");

/** The interface word `key`, with `{name}` fields filled from `values`. */
export function t(key, values = {}) {
  const text = WORDS[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The JSON the server handed to this page (`page_data`). */
export function pageData() {
  return readJson("page-data");
}

/** The interface language (`<html lang>`). */
export const uiLang = document.documentElement.lang || "en";

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "";
    this.body = body;
  }
}

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

/**
 * Call the server's JSON API. Unsafe methods carry the session's CSRF token; `ifMatch` sends a
 * version as `If-Match: "N"`. Resolves to {status, data, etag}; rejects with ApiError.
 */
export async function api(method, url, { body, ifMatch, key, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (ifMatch !== undefined && ifMatch !== null) headers["If-Match"] = `"${ifMatch}"`;
  if (key) headers["Idempotency-Key"] = key;
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  const etag = response.headers.get("etag");
  return { status: response.status, data, etag: etag ? etag.replaceAll('"', "") : null };
}

/** Say something in the page's live region (read by screen readers, shown as a toast). */
export function announce(text, kind = "info") {
  const region = document.getElementById("status");
  if (!region) return;
  const item = el("p", { class: `toast ${kind}` }, text);
  region.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 9000 : 4000);
}

/**
 * Build an element: `el("button", {class: "x", dataset: {id: 1}, on: {click: f}}, "text", child)`.
 * Strings become text nodes; attributes are set with setAttribute.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "on") for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A random id for operations and comments (the server applies a retried id once). */
export function newId(prefix = "") {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Selects marked data-autosubmit submit their form when changed (the language switch).
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
