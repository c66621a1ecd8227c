// The completion playground's sampler: the JavaScript twin of aieng/models/sampling.py, line for
// line, so that a seed gives the same characters in the browser as in Python (read the Python
// module's docstring for the why). Change one, change the other: the browser tests compare them.

export const SEED_LIMIT = 2 ** 32; // seeds are 0 .. 2**32 - 1: the generator's whole state

/** Mulberry32 (Tommy Ettinger, public domain): a 32-bit state, a Weyl step, then mixing. */
export class Mulberry32 {
  constructor(seed) {
    checkSeed(seed);
    this.state = seed >>> 0;
  }

  /** The next 32-bit output, 0 .. 2**32 - 1. */
  nextU32() {
    const a = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    let t = Math.imul(a ^ (a >>> 15), a | 1) >>> 0;
    t = (((t + Math.imul(t ^ (t >>> 7), t | 61)) >>> 0) ^ t) >>> 0;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** The next float64 in [0, 1): nextU32() / 2**32 (exact in both languages). */
  random() {
    return this.nextU32() / 4294967296;
  }
}

function checkSeed(seed) {
  if (!Number.isInteger(seed) || seed < 0 || seed >= SEED_LIMIT) {
    throw new RangeError(`seed must be an integer from 0 to ${SEED_LIMIT - 1}, got ${seed}`);
  }
}

/** Refuse what Python's check_options refuses, with the same words. */
export function checkOptions({ temperature, seed, length }) {
  if (typeof temperature !== "number" || !Number.isFinite(temperature) || temperature < 0) {
    throw new RangeError(`temperature must be a finite number >= 0, got ${temperature}`);
  }
  checkSeed(seed);
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`length must be an integer >= 0, got ${length}`);
  }
}

// exp(logit / T - max(logit / T)) for every id, in float64 (the largest is 1)
function weights(logits, temperature) {
  const scaled = Array.from(logits, (x) => x / temperature);
  let top = -Infinity;
  for (const z of scaled) if (z > top) top = z;
  return scaled.map((z) => Math.exp(z - top));
}

/** The probabilities pick() draws from at `temperature` (> 0), in float64. */
export function softmax(logits, temperature = 1) {
  const w = weights(logits, temperature);
  let total = 0;
  for (const x of w) total += x; // left to right, as in Python
  return w.map((x) => x / total);
}

/** The id drawn from `logits` at `temperature` with `rng`: greedy at 0, else inverse CDF. */
export function pick(logits, temperature, rng) {
  if (temperature === 0) {
    let best = 0;
    for (let i = 0; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }
  const w = weights(logits, temperature);
  let total = 0;
  for (const x of w) total += x;
  const target = rng.random() * total;
  let running = 0;
  let last = 0;
  for (let i = 0; i < w.length; i++) {
    running += w[i];
    if (w[i] > 0) last = i;
    if (target < running) return i;
  }
  return last; // rounding left `target` at the very end: the last id with any weight
}
