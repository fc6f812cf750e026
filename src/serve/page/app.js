// parafind's search page: asks the server's own API (/search, /show) with fetch and builds
// the results with DOM nodes only (document text is never parsed as HTML).
"use strict";

const PAGE_SIZE = 10;
/** The largest `offset` the server takes (docs/http.md). */
const MAX_OFFSET = 100000;
const SNIPPET_CHARS = 300;
const DEBOUNCE_MS = 150;
const NEIGHBOURS = 2;
const OPTIONS = ["exact", "any", "literal"];

const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("parafind-token") || "";
let offset = 0;
let timer = 0;
let latest = 0;
let controller = null;

function requestHeaders() {
  return token ? { Authorization: "Bearer " + token } : {};
}

/** Fetches `url` and reads its JSON Lines. */
async function records(url, signal) {
  const response = await fetch(url, { headers: requestHeaders(), signal });
  const text = await response.text();
  const parsed = text.split("\n").filter((line) => line).map((line) => JSON.parse(line));
  return { status: response.status, records: parsed };
}

/** The state the page shows: what is in the form, and the page of hits. */
function formState() {
  const state = new URLSearchParams();
  state.set("q", $("q").value);
  for (const name of OPTIONS) if ($(name).checked) state.set(name, "1");
  const glob = $("path").value.trim();
  if (glob) state.set("path", glob);
  if (offset) state.set("offset", String(offset));
  return state;
}

function schedule() {
  offset = 0;
  clearTimeout(timer);
  timer = setTimeout(search, DEBOUNCE_MS);
}

async function search() {
  const state = formState();
  history.replaceState(null, "", $("q").value.trim() ? "?" + state : location.pathname);
  if (controller) controller.abort();
  if (!$("q").value.trim()) {
    latest++;
    showResults([], null);
    return;
  }
  controller = new AbortController();
  const mine = ++latest;
  const request = new URLSearchParams(state);
  request.set("n", String(PAGE_SIZE));
  request.set("max_chars", String(SNIPPET_CHARS));
  let answer;
  try {
    answer = await records("search?" + request, controller.signal);
  } catch (err) {
    if (err.name !== "AbortError") showError("The server cannot be reached (" + err.message + ").");
    return;
  }
  if (mine !== latest) return;
  if (answer.status === 401) return askForToken();
  const failure = answer.records.find((r) => r.type === "error");
  if (failure) return queryFailed(failure.message);
  const summary = answer.records.find((r) => r.type === "summary");
  if (summary && summary.total > 0 && offset >= summary.total) {
    // A page past the last (a link kept while the index changed): the last page instead.
    offset = lastPage(summary.total);
    return search();
  }
  showResults(answer.records, summary);
}

/** The offset of the last page of `total` hits that the server pages to. */
function lastPage(total) {
  return Math.min(Math.floor((total - 1) / PAGE_SIZE) * PAGE_SIZE, MAX_OFFSET);
}

/** The query in the box has an error: said, and the hits still listed (of the last query that
 * was answered) are said to be that query's; its suggestion and pages go. */
function queryFailed(message) {
  showError(message);
  const listed = $("hits").children.length > 0;
  $("status").replaceChildren(listed ? "The hits below are those of the last query answered." : "");
  $("pager").hidden = true;
}

function showError(message) {
  const box = $("error");
  box.textContent = visible(message);
  box.hidden = false;
}

/** Shows a page of hits and its summary; earlier results stay until a query succeeds. */
function showResults(found, summary) {
  $("error").hidden = true;
  const list = $("hits");
  list.replaceChildren(...found.filter((r) => r.type === "hit").map(hitElement));
  const status = $("status");
  status.replaceChildren();
  const warnings = found.filter((r) => r.type === "warning").map((r) => r.message);
  if (!summary) {
    $("pager").hidden = true;
    return;
  }
  const total = summary.total;
  if (total === 0) {
    status.append("No paragraph matches.");
    if (summary.suggestion) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "suggestion";
      button.textContent = visible(summary.suggestion);
      button.addEventListener("click", () => {
        $("q").value = summary.suggestion;
        schedule();
      });
      status.append(" Did you mean ", button, "?");
    }
  } else {
    const first = offset + 1;
    const last = offset + summary.hits;
    status.append(`${total} paragraph${total === 1 ? "" : "s"} match · hits ${first}–${last} · ${summary.elapsed_ms} ms`);
  }
  for (const warning of warnings) status.append(" · " + visible(warning));
  $("pager").hidden = total <= PAGE_SIZE;
  $("prev").disabled = offset === 0;
  // The server pages no further than MAX_OFFSET: past it, the page says why Next is off.
  const capped = offset + summary.hits < total && offset + PAGE_SIZE > MAX_OFFSET;
  $("next").disabled = offset + summary.hits >= total || capped;
  $("page").textContent = `page ${Math.floor(offset / PAGE_SIZE) + 1} of ${Math.ceil(total / PAGE_SIZE)}` +
    (capped ? ` · paging stops at hit ${offset + summary.hits}: narrow the query for the rest` : "");
}

/** Where a paragraph is, as the command line says it. */
function place(record) {
  if (record.page) return `p. ${record.page}, ¶${record.page_paragraph}`;
  if (record.line) return `¶${record.paragraph}, line ${record.line}`;
  return `¶${record.paragraph}`;
}

/** Appends the characters `from..to` of `chars` to `parent`, highlights in <mark>. */
function appendMarked(parent, chars, from, to, highlights) {
  let at = from;
  for (const h of highlights) {
    const start = Math.max(h.char_start, from);
    const end = Math.min(h.char_end, to);
    if (end <= start) continue;
    if (start > at) parent.append(visible(chars.slice(at, start).join("")));
    const mark = document.createElement("mark");
    mark.textContent = visible(chars.slice(start, end).join(""));
    mark.title = h.term;
    parent.append(mark);
    at = end;
  }
  if (to > at) parent.append(visible(chars.slice(at, to).join("")));
}

/**
 * Characters shown as escapes: the command line's list (its `is_unsafe`: controls, the
 * invisible format characters the analyzer drops from words, line and paragraph separators,
 * the Hangul fillers), but the joiners U+200C and U+200D, which emoji and Persian need.
 */
const HIDDEN =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{110bd}\u{110cd}\u{13430}-\u{1343f}\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0001}\u{e0020}-\u{e007f}]/gu;

/** A flag written with tag characters (🏴 then tag letters and a cancel tag), kept whole. */
const FLAG = /\u{1f3f4}[\u{e0020}-\u{e007e}]+\u{e007f}/gu;

/**
 * Text as shown: a control character, a bidi control that would reorder what follows it (a
 * file named `evil\u{202e}txt.exe` shown as `evilexe.txt`), a line separator or an invisible
 * character (a soft hyphen, a word joiner, tag characters), as a visible `\u{..}` escape, as
 * the command line shows them. (Offsets are counted before: applied to each piece.)
 */
function visible(text) {
  const escaped = (piece) =>
    piece.replace(HIDDEN, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  let shown = "";
  let at = 0;
  for (const flag of text.matchAll(FLAG)) {
    shown += escaped(text.slice(at, flag.index)) + flag[0];
    at = flag.index + flag[0].length;
  }
  return shown + escaped(text.slice(at));
}

/**
 * A name (a file's path) as shown: as `visible` shows text, and a line break or tab as an
 * escape too (`docs/a\u{a}b.txt`), as the command line shows names: a path cannot pass for
 * another with a space.
 */
function visibleName(name) {
  return visible(name).replace(/[\t\n]/g, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
}

function cut(parent) {
  const span = document.createElement("span");
  span.className = "cut";
  span.textContent = " … ";
  parent.append(span);
}

/**
 * A text's characters (Unicode scalar values, as its offsets count them), its line ends as
 * the command line shows them: a `\r` before `\n` dropped, one alone (a classic Mac OS
 * text's) a line break; each kept in its place, so that offsets still count.
 */
function characters(text) {
  const chars = [...text];
  chars.forEach((c, i) => {
    if (c === "\r") chars[i] = chars[i + 1] === "\n" ? "" : "\n";
  });
  return chars;
}

/** The hit's snippets (or its whole text), highlights marked. */
function snippetElement(hit) {
  const text = document.createElement("p");
  text.className = "text";
  const chars = characters(hit.text);
  const windows = hit.snippets || [{ char_start: 0, char_end: chars.length }];
  windows.forEach((w, i) => {
    if (i > 0 || w.char_start > 0) cut(text);
    appendMarked(text, chars, w.char_start, w.char_end, hit.highlights);
  });
  const lastWindow = windows[windows.length - 1];
  if (lastWindow && lastWindow.char_end < chars.length) cut(text);
  return text;
}

function hitElement(hit) {
  const item = document.createElement("li");
  item.className = "hit";
  item.tabIndex = 0;
  item.setAttribute("aria-expanded", "false");
  const where = document.createElement("div");
  where.className = "where";
  const path = document.createElement("span");
  path.className = "path";
  path.textContent = visibleName(hit.path);
  const at = document.createElement("span");
  at.textContent = place(hit);
  where.append(path, at);
  // (A Markdown file's paragraph under its title heading has the title as its section, or
  // as the section's first part: shown once.)
  const titled = hit.title && hit.section && (hit.section === hit.title || hit.section.startsWith(hit.title + " > "));
  // The title's matched words are marked when the text lacks one of them (a first paragraph
  // found through its title has them there only); in the section when it starts with the title.
  const inText = new Set(hit.highlights.map((h) => h.term));
  const titleTellsMore = (hit.title_highlights || []).some((h) => !inText.has(h.term));
  const titleMarks = titleTellsMore ? hit.title_highlights : [];
  for (const [extra, marks] of [[titled ? null : hit.title, titleMarks], [hit.section, titled ? titleMarks : []]]) {
    if (!extra) continue;
    const span = document.createElement("span");
    const chars = [...extra];
    appendMarked(span, chars, 0, chars.length, marks);
    where.append(span);
  }
  item.append(where, snippetElement(hit));
  item.addEventListener("click", () => toggleNeighbours(item, hit));
  return item;
}

/** Shows the hit's whole paragraph with its neighbours (from /show), or hides them again. */
async function toggleNeighbours(item, hit) {
  const open = item.querySelector(".neighbours");
  if (open) {
    open.remove();
    item.querySelector(".text").hidden = false;
    item.setAttribute("aria-expanded", "false");
    return;
  }
  const request = new URLSearchParams();
  if (hit.path_bytes) request.set("path_bytes", hit.path_bytes);
  else request.set("path", hit.path);
  request.set("paragraph", String(hit.paragraph));
  request.set("context", String(NEIGHBOURS));
  let answer;
  try {
    answer = await records("show?" + request);
  } catch (err) {
    return showError("The server cannot be reached (" + err.message + ").");
  }
  if (answer.status === 401) return askForToken();
  const failure = answer.records.find((r) => r.type === "error");
  if (failure) return showError(failure.message);
  const box = document.createElement("div");
  box.className = "neighbours";
  for (const paragraph of answer.records) {
    if (paragraph.type === "warning") {
      // The file changed or is gone since it was indexed: said before its paragraphs.
      const note = document.createElement("p");
      note.className = "neighbour stale";
      note.textContent = visible(paragraph.message);
      box.append(note);
      continue;
    }
    if (paragraph.type !== "paragraph" && paragraph.type !== "context") continue;
    const focus = paragraph.type === "paragraph";
    const line = document.createElement("p");
    line.className = focus ? "neighbour focus" : "neighbour";
    const number = document.createElement("span");
    number.className = "num";
    number.textContent = place(paragraph);
    line.append(number);
    const chars = characters(paragraph.text);
    appendMarked(line, chars, 0, chars.length, focus ? hit.highlights : []);
    box.append(line);
  }
  item.querySelector(".text").hidden = true;
  item.append(box);
  item.setAttribute("aria-expanded", "true");
}

function askForToken() {
  $("token-box").hidden = false;
  $("token").focus();
  showError(token ? "The server did not accept this token; enter its token." : "This server needs its token.");
}

function moveFocus(from, step) {
  const hits = [...document.querySelectorAll(".hit")];
  const next = hits[hits.indexOf(from) + step];
  if (next) next.focus();
  else if (step < 0) $("q").focus();
}

function onKey(event) {
  const target = event.target;
  // (A checkbox has the focus after a click on it; `/` still goes to the query.)
  const typing = target instanceof HTMLInputElement && target.type !== "checkbox";
  if (event.key === "/" && !typing) {
    event.preventDefault();
    $("q").focus();
  } else if (target === $("q") && event.key === "ArrowDown") {
    event.preventDefault();
    const first = document.querySelector(".hit");
    if (first) first.focus();
  } else if (target.classList && target.classList.contains("hit")) {
    if (event.key === "ArrowDown" || event.key === "j") {
      event.preventDefault();
      moveFocus(target, 1);
    } else if (event.key === "ArrowUp" || event.key === "k") {
      event.preventDefault();
      moveFocus(target, -1);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      target.click();
    } else if (event.key === "Escape") {
      $("q").focus();
    }
  }
}

function turnPage(step) {
  offset = Math.max(0, offset + step * PAGE_SIZE);
  search().then(() => {
    const first = document.querySelector(".hit");
    if (first) first.focus();
  });
}

function start() {
  const given = new URLSearchParams(location.search);
  $("q").value = given.get("q") || "";
  for (const name of OPTIONS) $(name).checked = given.get(name) === "1";
  $("path").value = given.get("path") || "";
  const asked = Math.max(0, parseInt(given.get("offset") || "0", 10) || 0);
  offset = Math.floor(Math.min(asked, MAX_OFFSET) / PAGE_SIZE) * PAGE_SIZE;
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    offset = 0;
    search();
  });
  $("q").addEventListener("input", schedule);
  $("path").addEventListener("input", schedule);
  for (const name of OPTIONS) $(name).addEventListener("change", schedule);
  $("prev").addEventListener("click", () => turnPage(-1));
  $("next").addEventListener("click", () => turnPage(1));
  $("syntax-toggle").addEventListener("click", () => {
    const box = $("syntax");
    box.hidden = !box.hidden;
    $("syntax-toggle").setAttribute("aria-expanded", String(!box.hidden));
  });
  $("token").addEventListener("keydown", (event) => {
    if (event.key === "Enter") $("token-save").click();
  });
  $("token-save").addEventListener("click", () => {
    token = $("token").value;
    sessionStorage.setItem("parafind-token", token);
    $("token-box").hidden = true;
    search();
  });
  document.addEventListener("keydown", onKey);
  if ($("q").value.trim()) search();
}

start();
