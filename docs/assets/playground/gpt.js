// The site's character GPT in JavaScript: aieng/models/gpt.py again, for the completion playground.
//
// It reads the file aieng/models/export.py writes (a JSON header, then float16 weights) and
// computes exactly what GPT.forward computes in eval mode, in float64 from the same weights:
//
//   x = tok_emb[id] + pos_emb[position]
//   per block: x += attn(LayerNorm(x)); x += mlp(LayerNorm(x))   (pre-norm)
//     attn: qkv = Linear(C, 3C); heads of C / n_head; causal softmax(q k / sqrt(head size)) v,
//           as F.scaled_dot_product_attention(is_causal=True); then Linear(C, C)
//     mlp:  Linear(C, 4C), GELU with the exact erf (F.gelu's default), Linear(4C, C)
//   logits = head(LayerNorm(x))      LayerNorm: biased variance, epsilon from the header (1e-5)
//
// Biases are read where the file has them (bias=True models); the site's models have none.
// Keys and values of every position are kept (a KV cache), so each new character costs one
// position's work, as long as the text fits the context. Past it, GPT.generate looks at the
// last block_size characters only, at positions 0 .. block_size - 1, so every step has to run
// the whole window again: this file does the same, and it is slower there.

export const FORMAT = "aieng-gpt/1";

/** A text holds characters the model has never seen; `unknown` lists them (by code point). */
export class UnknownCharactersError extends Error {
  constructor(unknown, alphabetSize) {
    const shown = unknown.map((c) => JSON.stringify(c)).join(", ");
    super(`the model knows only the ${alphabetSize} characters of its corpus; not ${shown}`);
    this.name = "UnknownCharactersError";
    this.unknown = unknown;
  }
}

// float16 bit pattern -> its value (all 65,536 of them, exact in float32 and float64)
let HALF;
function halfTable() {
  if (HALF) return HALF;
  HALF = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 31;
    const frac = h & 1023;
    if (exp === 0) HALF[h] = sign * frac * 2 ** -24;
    else if (exp === 31) HALF[h] = frac ? NaN : sign * Infinity;
    else HALF[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return HALF;
}

const SQRT_PI_HALF = 2 / Math.sqrt(Math.PI);

/** erf(x) to about 1e-15: 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1 3 5 ... (2n+1)), whose
 * terms are all positive (Abramowitz and Stegun 7.1.6); |erf| is 1 in float64 from 6 on. */
export function erf(x) {
  const ax = Math.abs(x);
  if (ax >= 6) return x > 0 ? 1 : -1;
  const x2 = ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  const r = SQRT_PI_HALF * Math.exp(-x2) * sum;
  return x < 0 ? -r : r;
}

/** GELU with the exact erf, as F.gelu(x) (approximate="none"). */
export function gelu(x) {
  return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
}

// out[t, o] = sum_j X[t, j] W[o, j] (+ b[o]): nn.Linear on n rows. Each weight row is read once
// for eight rows of X at a time (1.5 times faster than one by one in V8); every sum runs over j
// in order, so a row gives the same bits whether it is run alone (one new character) or with
// others (a prompt, a sliding window), and a result never depends on what the cache held.
function linear(out, X, W, b, n, nIn, nOut) {
  for (let o = 0; o < nOut; o++) {
    const row = o * nIn;
    const bias = b ? b[o] : 0;
    let t = 0;
    for (; t + 8 <= n; t += 8) {
      const x0 = t * nIn;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0; // prettier-ignore
      for (let j = 0; j < nIn; j++) {
        const wj = W[row + j];
        const x = x0 + j;
        s0 += wj * X[x];
        s1 += wj * X[x + nIn];
        s2 += wj * X[x + 2 * nIn];
        s3 += wj * X[x + 3 * nIn];
        s4 += wj * X[x + 4 * nIn];
        s5 += wj * X[x + 5 * nIn];
        s6 += wj * X[x + 6 * nIn];
        s7 += wj * X[x + 7 * nIn];
      }
      const y = t * nOut + o;
      out[y] = s0 + bias;
      out[y + nOut] = s1 + bias;
      out[y + 2 * nOut] = s2 + bias;
      out[y + 3 * nOut] = s3 + bias;
      out[y + 4 * nOut] = s4 + bias;
      out[y + 5 * nOut] = s5 + bias;
      out[y + 6 * nOut] = s6 + bias;
      out[y + 7 * nOut] = s7 + bias;
    }
    for (; t < n; t++) {
      const x0 = t * nIn;
      let sum = 0;
      for (let j = 0; j < nIn; j++) sum += W[row + j] * X[x0 + j];
      out[t * nOut + o] = sum + bias;
    }
  }
}

// nn.LayerNorm over the last dimension of n rows of C: (x - mean) / sqrt(var + eps) * w + b
function layerNorm(out, X, w, b, n, C, eps) {
  for (let t = 0; t < n; t++) {
    const x0 = t * C;
    let mean = 0;
    for (let c = 0; c < C; c++) mean += X[x0 + c];
    mean /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (X[x0 + c] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / C + eps);
    for (let c = 0; c < C; c++) out[x0 + c] = (X[x0 + c] - mean) * inv * w[c] + (b ? b[c] : 0);
  }
}

export class GPT {
  /** The model in `bytes`, the unpacked file aieng/models/export.py wrote. */
  constructor(bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = view.getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)));
    if (header.format !== FORMAT || header.dtype !== "float16" || header.gelu !== "erf") {
      throw new Error(`not a model this page can run: ${header.format}, ${header.dtype}`);
    }
    this.header = header;
    this.cfg = header.config;
    this.eps = header.layer_norm_eps;
    this.alphabet = Array.from(header.alphabet); // by code point, as Python's str
    this.ids = new Map(this.alphabet.map((c, i) => [c, i]));
    const half = halfTable();
    const w = {};
    let at = 4 + n;
    for (const [name, shape] of header.tensors) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      for (let i = 0; i < size; i++) values[i] = half[view.getUint16(at + 2 * i, true)];
      w[name] = values;
      at += 2 * size;
    }
    if (at !== bytes.byteLength) throw new Error(`${bytes.byteLength - at} bytes after the weights`);
    this.w = w;
    const { n_layer: L, block_size: T, n_embd: C } = this.cfg;
    this.keys = Array.from({ length: L }, () => new Float64Array(T * C));
    this.values = Array.from({ length: L }, () => new Float64Array(T * C));
    this.cached = []; // the ids whose keys and values are in the cache, at positions 0, 1, ...
    this.last = null; // the logits after `cached`
  }

  /** Character ids of `text`, as aieng.text.corpus.encode; throws UnknownCharactersError. */
  encode(text) {
    const ids = [];
    const unknown = new Set();
    for (const c of text) {
      const id = this.ids.get(c);
      if (id === undefined) unknown.add(c);
      else ids.push(id);
    }
    if (unknown.size) {
      const sorted = [...unknown].sort((a, b) => a.codePointAt(0) - b.codePointAt(0));
      throw new UnknownCharactersError(sorted, this.alphabet.length);
    }
    return ids;
  }

  decode(ids) {
    return ids.map((i) => this.alphabet[i]).join("");
  }

  /** The logits of the character after `ids` (Float64Array of vocab_size), from its last
   * block_size ids, reusing the cache for the part of them it has already seen. */
  logits(ids) {
    const T = this.cfg.block_size;
    const window = ids.length > T ? ids.slice(ids.length - T) : ids;
    if (window.length === 0) throw new RangeError("the prompt is empty: give at least one character");
    const cached = this.cached;
    let p = 0;
    while (p < cached.length && p < window.length && cached[p] === window[p]) p++;
    if (p === window.length && p === cached.length && this.last) return this.last.slice();
    if (p === window.length) p--; // seen, but its output was not kept: run the last one again
    this.cached = window.slice(0, p);
    const out = this.forward(window.slice(p), p);
    this.cached = window.slice();
    this.last = out;
    return out.slice();
  }

  // Run `ids` at positions start, start + 1, ... after the cached ones; the last one's logits.
  forward(ids, start) {
    const { n_layer: L, n_head: H, n_embd: C, vocab_size: V } = this.cfg;
    const w = this.w;
    const n = ids.length;
    const hs = C / H;
    const scale = 1 / Math.sqrt(hs);
    const x = new Float64Array(n * C);
    for (let t = 0; t < n; t++) {
      const tok = ids[t] * C;
      const pos = (start + t) * C;
      for (let c = 0; c < C; c++) x[t * C + c] = w["tok_emb.weight"][tok + c] + w["pos_emb.weight"][pos + c];
    }
    const h = new Float64Array(n * C);
    const qkv = new Float64Array(n * 3 * C);
    const att = new Float64Array(n * C);
    const tmp = new Float64Array(n * C);
    const hidden = new Float64Array(n * 4 * C);
    const scores = new Float64Array(start + n);
    for (let l = 0; l < L; l++) {
      const p = `blocks.${l}.`;
      const K = this.keys[l];
      const Vc = this.values[l];
      layerNorm(h, x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], n, C, this.eps);
      linear(qkv, h, w[p + "attn.qkv.weight"], w[p + "attn.qkv.bias"], n, C, 3 * C);
      for (let t = 0; t < n; t++) {
        for (let c = 0; c < C; c++) {
          K[(start + t) * C + c] = qkv[t * 3 * C + C + c];
          Vc[(start + t) * C + c] = qkv[t * 3 * C + 2 * C + c];
        }
      }
      for (let t = 0; t < n; t++) {
        const last = start + t; // this position sees positions 0 .. last
        for (let head = 0; head < H; head++) {
          const q0 = t * 3 * C + head * hs;
          let top = -Infinity;
          for (let j = 0; j <= last; j++) {
            let s = 0;
            for (let d = 0; d < hs; d++) s += qkv[q0 + d] * K[j * C + head * hs + d];
            scores[j] = s * scale;
            if (scores[j] > top) top = scores[j];
          }
          let total = 0;
          for (let j = 0; j <= last; j++) total += scores[j] = Math.exp(scores[j] - top);
          const y0 = t * C + head * hs;
          for (let d = 0; d < hs; d++) att[y0 + d] = 0;
          for (let j = 0; j <= last; j++) {
            const a = scores[j] / total;
            for (let d = 0; d < hs; d++) att[y0 + d] += a * Vc[j * C + head * hs + d];
          }
        }
      }
      linear(tmp, att, w[p + "attn.proj.weight"], w[p + "attn.proj.bias"], n, C, C);
      for (let i = 0; i < n * C; i++) x[i] += tmp[i];
      layerNorm(h, x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], n, C, this.eps);
      linear(hidden, h, w[p + "mlp.fc.weight"], w[p + "mlp.fc.bias"], n, C, 4 * C);
      for (let i = 0; i < n * 4 * C; i++) hidden[i] = gelu(hidden[i]);
      linear(tmp, hidden, w[p + "mlp.proj.weight"], w[p + "mlp.proj.bias"], n, 4 * C, C);
      for (let i = 0; i < n * C; i++) x[i] += tmp[i];
    }
    const final = new Float64Array(C);
    layerNorm(final, x.subarray((n - 1) * C), w["ln_f.weight"], w["ln_f.bias"], 1, C, this.eps);
    const logits = new Float64Array(V);
    linear(logits, final, w["head.weight"], null, 1, C, V);
    return logits;
  }
}
