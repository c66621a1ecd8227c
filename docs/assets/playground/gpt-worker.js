// The completion playground's Web Worker: the GPT runs here, off the page's thread, so typing and
// scrolling stay smooth while it computes. completion.js sends jobs and reads the answers:
//
//   { id, op: "complete", url, prompt, temperature, seed, length, stream }
//       -> { id, kind: "step", index, char, logits }  for each new character when `stream`
//          (logits: what the model gave for the text before that character)
//       -> { id, kind: "done", text, logits, seconds }  (text: the prompt and its continuation,
//          as aieng.book.sampled.sampled_complete; logits: after the whole text)
//   { id, op: "next", url, prompt }  -> { id, kind: "done", logits }
//   { id, op: "cancel" }             -> the job `id` ends with { id, kind: "cancelled" }
//   any failure                      -> { id, kind: "error", name, message, unknown }
//
// Jobs run one at a time, in order. Between two characters the worker lets its message queue
// run, so that a cancel arrives while a long completion is computed.

import { GPT } from "./gpt.js";
import { Mulberry32, checkOptions, pick } from "./sampling.js";

let model; // a promise of the GPT, made on the first job
const jobs = [];
const cancelled = new Set();
let busy = false;

async function load(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${new URL(url).pathname}: HTTP ${response.status}`);
  const unpacked = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new GPT(new Uint8Array(await new Response(unpacked).arrayBuffer()));
}

// Let queued messages (a cancel) in: a message to ourselves, not setTimeout (clamped to 4 ms)
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()();
const pause = () => new Promise((resolve) => (waiting.push(resolve), channel.port2.postMessage(0)));

class Cancelled extends Error {}

async function complete(gpt, job) {
  const { id, prompt, temperature, seed, length, stream } = job;
  checkOptions({ temperature, seed, length });
  const ids = gpt.encode(prompt);
  const rng = new Mulberry32(seed);
  const started = performance.now();
  for (let k = 0; k < length; k++) {
    const logits = gpt.logits(ids);
    const next = pick(logits, temperature, rng);
    ids.push(next);
    if (stream) {
      postMessage({ id, kind: "step", index: k, char: gpt.alphabet[next], logits }, [logits.buffer]);
    }
    await pause();
    if (cancelled.has(id)) throw new Cancelled();
  }
  const seconds = (performance.now() - started) / 1000;
  const text = prompt + gpt.decode(ids.slice(ids.length - length));
  return { text, logits: gpt.logits(ids), seconds };
}

function loaded(url) {
  model ??= load(url).catch((error) => {
    model = undefined; // the next job tries again
    throw error;
  });
  return model;
}

async function run(job) {
  const gpt = await loaded(job.url);
  if (job.op === "next") return { logits: gpt.logits(gpt.encode(job.prompt)) };
  if (job.op === "complete") return complete(gpt, job);
  throw new Error(`unknown job ${job.op}`);
}

async function drain() {
  if (busy) return;
  busy = true;
  while (jobs.length) {
    const job = jobs.shift();
    try {
      if (cancelled.has(job.id)) throw new Cancelled();
      const result = await run(job);
      postMessage({ id: job.id, kind: "done", ...result }, result.logits ? [result.logits.buffer] : []);
    } catch (error) {
      if (error instanceof Cancelled) postMessage({ id: job.id, kind: "cancelled" });
      else {
        const { name, message, unknown } = error;
        postMessage({ id: job.id, kind: "error", name, message, unknown });
      }
    }
    cancelled.delete(job.id);
  }
  busy = false;
}

self.onmessage = ({ data }) => {
  if (data.op === "cancel") cancelled.add(data.id);
  else {
    jobs.push(data);
    drain();
  }
};
