// The completion playground of the language models page (aieng/website/completion.py prints its
// HTML): the reader's prompt, continued in this browser by the site's own GPT, one character at
// a time, with the odds of the next character beside it.
//
// This module is imported by the page's inline loader on the first focus, click or submit in the
// playground, or on the first call of window.aieng.complete / window.aieng.nextChars. The model
// runs in a Web Worker (gpt-worker.js, which imports gpt.js and sampling.js); its weights are
// downloaded by the worker with the first job, once. Plain ES modules, no framework and no
// bundler, for the reasons playground.js gives.

import { softmax } from "./sampling.js";

const DEFAULTS = { temperature: 0, seed: 0, length: 60 }; // as aieng.book.sampled.sampled_complete
const ROWS = 10; // characters shown in the table
const CONTEXT = 24; // characters of the text quoted in the table's caption
const VISIBLE = { " ": "\u2423", "\n": "\u21B5", "\t": "\u21E5" }; // ␣ ↵ ⇥, as the token view

const fill = (template, fields) => template.replace(/\{(\w+)\}/g, (all, key) => fields[key] ?? all);
// the words `key` of `w` with `fields`; KEY_one where n is 1 and the language has it
const say = (w, key, fields) => fill(fields.n === 1 && w[`${key}_one`] ? w[`${key}_one`] : w[key], fields);

function root() {
  return document.querySelector("[data-aieng-completion]");
}

function words() {
  const element = root();
  return element ? JSON.parse(element.dataset.words) : {};
}

let worker;
let lastId = 0;
const pending = new Map(); // job id -> { resolve, reject, onStep }

function post(job, onStep) {
  const element = root();
  if (!element) throw new Error("this page has no completion playground ([data-aieng-completion])");
  if (!worker) {
    worker = new Worker(new URL("./gpt-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      const entry = pending.get(data.id);
      if (!entry) return;
      if (data.kind === "step") return entry.onStep?.(data);
      pending.delete(data.id);
      if (data.kind === "done") entry.resolve(data);
      else if (data.kind === "cancelled") entry.resolve(null);
      else entry.reject(rebuild(data));
    };
    worker.onerror = (event) => {
      const error = new Error(event.message || "the model's worker failed");
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
    };
  }
  const id = ++lastId;
  const url = new URL(`data/${element.dataset.asset}`, import.meta.url).href;
  const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject, onStep }));
  worker.postMessage({ ...job, id, url });
  return { id, promise };
}

const cancel = (id) => worker?.postMessage({ op: "cancel", id });

// An error from the worker, in the reader's language where the page has the words for it.
function rebuild({ name, message, unknown }) {
  const w = words();
  if (unknown) {
    const error = new Error(fill(w.unknown, { n: root().dataset.alphabet, chars: unknown.join(" ") }));
    return Object.assign(error, { name, unknown });
  }
  if (/prompt is empty/.test(message) && w.empty_prompt) {
    return Object.assign(new Error(w.empty_prompt), { name });
  }
  return Object.assign(new Error(message), { name });
}

function checkPrompt(prompt) {
  if (typeof prompt !== "string") throw new TypeError(`prompt must be a string, got ${typeof prompt}`);
}

/** The prompt and the model's continuation, as Python's aieng.book.sampled.sampled_complete
 * (temperature 0: aieng.book.queries.complete's greedy text). */
export async function complete(prompt, options = {}) {
  checkPrompt(prompt);
  const { temperature, seed, length } = { ...DEFAULTS, ...options };
  const job = { op: "complete", prompt, temperature, seed, length, stream: false };
  return (await post(job).promise).text;
}

function pairs(alphabet, probs) {
  return alphabet.map((c, i) => [c, probs[i]]).sort((a, b) => b[1] - a[1]); // stable: ties by id
}

/** Every character with its probability of coming next after `prompt`, most likely first, as
 * aieng.book.queries.next_char_distribution. */
export async function nextChars(prompt) {
  checkPrompt(prompt);
  const { logits } = await post({ op: "next", prompt }).promise;
  return pairs(alphabetOf(), softmax(logits, 1));
}

const alphabetOf = () => Array.from(JSON.parse(root().dataset.chars));

// --- the reader's playground

function shown(c, w) {
  const label = { " ": w.space, "\n": w.newline, "\t": w.tab }[c] ?? null;
  return { text: VISIBLE[c] ?? c, label };
}

function renderTable(ui, text, logits, picked) {
  const { w, table, temperature } = ui;
  const t = Number(temperature.value);
  const model = softmax(logits, 1);
  const sampled = t > 0 ? softmax(logits, t) : model.map((_, i) => (i === argmax(logits) ? 1 : 0));
  const chars = Array.from(text);
  const tail = chars.slice(-CONTEXT).map((c) => (c === "\n" || c === "\t" ? VISIBLE[c] : c));
  const context = (chars.length > CONTEXT ? "…" : "") + tail.join("");
  table.caption.textContent = fill(w.dist_caption, { context });
  table.tHead.rows[0].cells[2].textContent = fill(w.col_temperature, { t: t.toFixed(2) });
  const rows = pairs(ui.alphabet, model).slice(0, ROWS).map(([c, p]) => {
    const tr = document.createElement("tr");
    const i = ui.alphabet.indexOf(c);
    const cell = tr.insertCell();
    const code = cell.appendChild(document.createElement("code"));
    const { text: glyph, label } = shown(c, w);
    code.textContent = glyph;
    if (label) code.setAttribute("aria-label", label), (code.title = label);
    if (c === picked) {
      tr.className = "aieng-completion__picked";
      cell.append(" ", Object.assign(document.createElement("strong"), { textContent: w.picked }));
    }
    for (const q of [p, sampled[i]]) {
      const td = tr.insertCell();
      td.style.setProperty("--p", q.toFixed(4));
      td.textContent = `${(100 * q).toFixed(1)}%`;
    }
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
}

function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

// The live status: `kind` "prompt" for what the prompt box's text brings (loading, a refusal),
// cleared when a distribution arrives; "run" for what a run says, kept until the next run.
function setStatus(ui, text, kind = "prompt") {
  ui.statusKind = kind;
  if (ui.status.textContent !== text) ui.status.textContent = text;
}

const controllers = new WeakMap();

/** Make one playground live; returns its controller ({ run() }; the loader calls it on submit). */
export function attach(element) {
  if (controllers.has(element)) return controllers.get(element);
  const q = (selector) => element.querySelector(selector);
  const ui = {
    w: JSON.parse(element.dataset.words),
    alphabet: alphabetOf(),
    prompt: q("textarea"),
    temperature: q("input[type=range]"),
    temperatureShown: q("output"),
    seed: q("input[name=seed]"),
    length: q("input[name=length]"),
    button: q("button[type=submit]"),
    status: q("[data-status]"),
    promptText: q("[data-prompt]"),
    newText: q("[data-new]"),
    table: q("table"),
    job: null, // the completion running now
    next: null, // the distribution asked for last
  };
  const showTemperature = () => (ui.temperatureShown.textContent = Number(ui.temperature.value).toFixed(2));

  const failed = (error) => {
    const ours = error.unknown || error.name === "RangeError"; // a refusal, already in words
    setStatus(ui, ours ? error.message : fill(ui.w.failed, { error: error.message }));
    ui.table.tBodies[0].replaceChildren();
  };

  // the odds after the prompt as it is now (the latest request wins)
  let frame = 0;
  const refresh = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (ui.next) cancel(ui.next.id);
      const text = ui.prompt.value;
      if (!text) return setStatus(ui, ui.w.empty_prompt), ui.table.tBodies[0].replaceChildren();
      const job = (ui.next = post({ op: "next", prompt: text }));
      job.promise.then(
        (data) => {
          if (data && ui.next === job) {
            ui.last = { text, logits: data.logits };
            renderTable(ui, text, data.logits, null);
            if (!ui.job && ui.statusKind === "prompt") setStatus(ui, "");
          }
        },
        (error) => ui.next === job && failed(error),
      );
    });
  };

  const stop = () => {
    if (ui.job) cancel(ui.job.id);
  };

  const run = async () => {
    if (ui.job) return stop();
    const prompt = ui.prompt.value;
    const options = {
      temperature: Number(ui.temperature.value),
      seed: Number(ui.seed.value),
      length: Number(ui.length.value),
    };
    for (const [input, key] of [[ui.seed, "seed_invalid"], [ui.length, "length_invalid"]]) {
      if (!input.checkValidity() || input.value === "") {
        setStatus(ui, fill(ui.w[key], { max: input.max }), "run");
        return input.focus();
      }
    }
    cancelAnimationFrame(frame); // the run shows the odds from now on
    if (ui.next) cancel(ui.next.id);
    ui.next = null;
    ui.promptText.textContent = prompt;
    ui.newText.textContent = "";
    ui.button.textContent = ui.w.stop;
    setStatus(ui, say(ui.w, "running", { n: options.length }), "run");
    let written = "";
    let shownStep = null; // the latest step, drawn at the next frame
    const job = (ui.job = post({ op: "complete", prompt, ...options, stream: true }, (step) => {
      if (!shownStep) requestAnimationFrame(() => {
        if (ui.job !== job) return;
        const { context, logits, char } = shownStep;
        shownStep = null;
        ui.newText.textContent = written;
        renderTable(ui, context, logits, char);
      }); // prettier-ignore
      shownStep = { context: prompt + written, logits: step.logits, char: step.char };
      written += step.char;
    }));
    try {
      const data = await job.promise;
      ui.newText.textContent = written;
      if (data) {
        ui.last = { text: data.text, logits: data.logits };
        renderTable(ui, data.text, data.logits, null);
        const rate = options.length / Math.max(data.seconds, 1e-3);
        setStatus(ui, say(ui.w, "done", { n: options.length, rate: rate.toFixed(0) }), "run");
      } else {
        setStatus(ui, say(ui.w, "stopped", { n: Array.from(written).length }), "run");
      }
    } catch (error) {
      failed(error);
    } finally {
      ui.job = null;
      ui.button.textContent = ui.w.run;
    }
  };

  ui.temperature.addEventListener("input", () => {
    showTemperature();
    if (ui.last && !ui.job) renderTable(ui, ui.last.text, ui.last.logits, null);
  });
  ui.prompt.addEventListener("input", (event) => {
    if (event.isComposing) return; // a Korean IME: once the syllable is committed
    stop();
    ui.statusKind = "prompt"; // a new prompt: what the last run said may go
    refresh();
  });
  ui.prompt.addEventListener("compositionend", refresh);
  ui.prompt.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      element.querySelector("form").requestSubmit();
    }
  });
  showTemperature();
  setStatus(ui, ui.w.loading);
  refresh();
  const controller = { run, stop };
  controllers.set(element, controller);
  return controller;
}
