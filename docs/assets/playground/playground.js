// The tokenizer playground of the language models page (aieng/website/playground.py prints its
// HTML): what the reader types, split into chips by GPT-4's and Mixtral 8x7B's tokenizers, in
// this browser, from the same tokenizer files the build reads.
//
// Plain ES modules, loaded as they are: no framework and no bundler. Three small files that the
// browser imports directly need no build step, no npm tree and no lock file beside the Python
// one, and what is shipped is what is in the repository, readable in the browser's tools. A
// bundler would save one request (two modules are imported in parallel) and minify some 10 KB,
// which is nothing beside the 0.7 MB of tokenizer files.
//
// This module is imported by the page's inline loader on the first focus or input in the box, or
// on the first call of window.aieng.tokenize; only then are the tokenizer files downloaded.

import { Cl100k } from "./cl100k.js";
import { SentencePiece } from "./sentencepiece.js";

const NAMES = { "gpt-4": "gpt-4", cl100k_base: "gpt-4", mixtral: "mixtral", "mixtral-8x7b": "mixtral" };
const BUILD = { "gpt-4": (bytes) => new Cl100k(bytes), mixtral: (bytes) => new SentencePiece(bytes) };
const MAX_CHIPS = 1000; // per row; the count is always the whole text's
const STYLES = 4; // chips cycle through the token view's four tint/border pairs (tokens.css)
const VISIBLE = { " ": "\u2423", "\t": "\u21E5", "\n": "\u21B5" }; // ␣ ⇥ ↵, as aieng.book.tokenview

const loaded = {};

function canonical(name) {
  const key = NAMES[typeof name === "string" ? name.toLowerCase() : ""];
  if (!key) throw new Error(`unknown tokenizer ${JSON.stringify(name)}: use "gpt-4" or "mixtral"`);
  return key;
}

function assetURL(key) {
  const root = document.querySelector("[data-aieng-playground]");
  if (!root) throw new Error("this page has no tokenizer playground ([data-aieng-playground])");
  return new URL(`data/${JSON.parse(root.dataset.assets)[key]}`, import.meta.url);
}

// The assets are gzipped at build, so that they are small on any host; unpacked here.
async function fetchAsset(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  const unpacked = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unpacked).arrayBuffer());
}

/** The tokenizer called `name` ("gpt-4" or "mixtral"), loaded once. */
export function load(name) {
  const key = canonical(name);
  loaded[key] ??= fetchAsset(assetURL(key))
    .then(BUILD[key])
    .catch((error) => {
      delete loaded[key]; // a later call tries again
      throw error;
    });
  return loaded[key];
}

/** Token ids of `text`, exactly as aieng.text.tokens.tokenizer(name).encode(text) in Python. */
export async function tokenize(name, text) {
  if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
  return (await load(name)).encode(text);
}

/** The tokens of `text` shown as text, as Python's tokenizer(name).pieces(text). */
export async function pieces(name, text) {
  const tokenizer = await load(name);
  return tokenizer.encode(text).map((id) => tokenizer.piece(id));
}

const fill = (template, fields) => template.replace(/\{(\w+)\}/g, (all, key) => fields[key] ?? all);
const show = (piece) => piece.replace(/[ \t\n]/g, (c) => VISIBLE[c]);

function chip(tokenizer, id, k) {
  const li = document.createElement("li");
  li.className = `aieng-tok aieng-tok--${k % STYLES}`;
  li.title = `id ${id}`;
  const text = li.appendChild(document.createElement("span"));
  text.className = "aieng-tok__text";
  text.textContent = show(tokenizer.piece(id));
  const number = li.appendChild(document.createElement("span"));
  number.className = "aieng-tok__id";
  number.textContent = String(id);
  return li;
}

function renderRow(root, figure, tokenizer, text) {
  const ids = tokenizer.encode(text);
  const { stats, statsOne, empty } = figure.dataset;
  const caption =
    text === ""
      ? empty
      : fill(ids.length === 1 ? statsOne : stats, {
          n: ids.length.toLocaleString("en-US"), // as Python's {n:,}
          ratio: (Array.from(text).length / ids.length).toFixed(2),
        });
  const chips = ids.slice(0, MAX_CHIPS).map((id, k) => chip(tokenizer, id, k));
  if (ids.length > MAX_CHIPS) {
    const more = document.createElement("li");
    more.className = "aieng-tokens__more";
    more.textContent = fill(root.dataset.more, { n: (ids.length - MAX_CHIPS).toLocaleString("en-US") });
    chips.push(more);
  }
  const list = figure.querySelector("ol");
  list.replaceChildren(...chips);
  list.setAttribute("aria-label", caption);
  const label = figure.querySelector("figcaption");
  if (label.textContent !== caption) label.textContent = caption; // the live region speaks on change
}

const attached = new WeakSet();

/** Make one playground live: load both tokenizers, then split the box's text as it changes. */
export async function attach(root) {
  if (attached.has(root)) return;
  attached.add(root);
  const box = root.querySelector("textarea");
  const status = root.querySelector("[data-status]");
  const figures = [...root.querySelectorAll("figure[data-tokenizer]")];
  status.textContent = root.dataset.loading;
  let tokenizers;
  try {
    tokenizers = await Promise.all(figures.map((f) => load(f.dataset.tokenizer)));
  } catch (error) {
    status.textContent = fill(root.dataset.failed, { error: error.message });
    throw error;
  }
  status.textContent = "";
  let queued = false;
  const render = () => {
    queued = false;
    figures.forEach((figure, i) => renderRow(root, figure, tokenizers[i], box.value));
  };
  const update = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(render);
    }
  };
  // A Korean IME composes a syllable in several input events; the chips follow once it is
  // committed (compositionend), as they do for each key of other input.
  box.addEventListener("input", (event) => {
    if (!event.isComposing) update();
  });
  box.addEventListener("compositionend", update);
  render();
}
