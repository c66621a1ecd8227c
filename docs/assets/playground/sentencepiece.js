// Mixtral 8x7B's tokenizer in the browser: its SentencePiece model file (tokenizer.model.v1, the
// protobuf that mistral-common ships) read here, and encoded as sentencepiece's C++ does it for a
// BPE model (normalizer.cc, bpe_model.cc, sentencepiece_processor.cc):
//
// 1. normalise: the model's normaliser is "identity" with no character map, so text is kept as
//    it is; a "▁" is put in front (add_dummy_prefix) and every space becomes "▁"
//    (escape_whitespaces); remove_extra_whitespaces is off, so runs of spaces stay;
// 2. split into characters, then merge the adjacent pair that is a piece with the highest score,
//    the leftmost on a tie, until no pair is a piece;
// 3. a symbol that is no piece becomes its UTF-8 bytes, each the byte piece <0xNN> (byte_fallback).
//
// A model that needs more than this (a character map, user-defined symbols, another model type)
// is refused with an error rather than encoded differently from sentencepiece.

const NORMAL = 1;
const UNKNOWN = 2;
const USER_DEFINED = 4;
const UNUSED = 5;
const BYTE = 6;
const BPE = 2;
const SPACE = "\u2581"; // ▁

// --- protobuf, the little of it that a model file uses

function* fields(bytes, start = 0, end = bytes.length) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[at++];
      value += (b & 0x7f) * scale; // no bitwise shift: values above 2^31 stay exact
      if (b < 0x80) return value;
      scale *= 128;
    }
  };
  while (at < end) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) yield [field, varint()];
    else if (wire === 1) { yield [field, view.getFloat64(at, true)]; at += 8; }
    else if (wire === 5) { yield [field, view.getFloat32(at, true)]; at += 4; }
    else if (wire === 2) {
      const length = varint();
      yield [field, bytes.subarray(at, at + length)];
      at += length;
    } else throw new Error(`unsupported protobuf wire type ${wire} in the SentencePiece model`);
    if (at > end) throw new Error("the SentencePiece model file is truncated");
  }
}

const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // a piece may be U+FEFF itself

/** ModelProto: pieces (1), trainer_spec (2), normalizer_spec (3), with the defaults of the .proto. */
export function parseModel(bytes) {
  const model = {
    pieces: [],
    trainer: { modelType: 1, byteFallback: false, treatWhitespaceAsSuffix: false },
    normalizer: { name: "", charsmap: 0, addDummyPrefix: true, removeExtraWhitespaces: true, escapeWhitespaces: true },
  };
  for (const [field, value] of fields(bytes)) {
    if (field === 1) {
      const piece = { piece: "", score: 0, type: NORMAL };
      for (const [f, v] of fields(value)) {
        if (f === 1) piece.piece = text.decode(v);
        else if (f === 2) piece.score = v;
        else if (f === 3) piece.type = v;
      }
      model.pieces.push(piece);
    } else if (field === 2) {
      for (const [f, v] of fields(value)) {
        if (f === 3) model.trainer.modelType = v;
        else if (f === 24) model.trainer.treatWhitespaceAsSuffix = v === 1;
        else if (f === 35) model.trainer.byteFallback = v === 1;
      }
    } else if (field === 3) {
      const spec = model.normalizer;
      for (const [f, v] of fields(value)) {
        if (f === 1) spec.name = text.decode(v);
        else if (f === 2) spec.charsmap = v.length;
        else if (f === 3) spec.addDummyPrefix = v === 1;
        else if (f === 4) spec.removeExtraWhitespaces = v === 1;
        else if (f === 5) spec.escapeWhitespaces = v === 1;
      }
    }
  }
  return model;
}

// --- a binary heap of merge candidates: highest score first, then the leftmost

const before = (a, b) => a.score > b.score || (a.score === b.score && a.left < b.left);

class Agenda {
  constructor() {
    this.items = [];
  }
  push(item) {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && before(items[l], items[best])) best = l;
        if (r < items.length && before(items[r], items[best])) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
  get size() {
    return this.items.length;
  }
}

export class SentencePiece {
  /** @param {Uint8Array} bytes the model file */
  constructor(bytes) {
    const model = parseModel(bytes);
    const { trainer, normalizer } = model;
    const unsupported = [];
    if (trainer.modelType !== BPE) unsupported.push(`model type ${trainer.modelType} (only BPE, 2)`);
    if (normalizer.charsmap > 0) unsupported.push(`a normalisation character map ("${normalizer.name}")`);
    if (normalizer.removeExtraWhitespaces) unsupported.push("remove_extra_whitespaces");
    if (!normalizer.escapeWhitespaces) unsupported.push("escape_whitespaces off");
    if (trainer.treatWhitespaceAsSuffix) unsupported.push("treat_whitespace_as_suffix");
    if (model.pieces.some((p) => p.type === USER_DEFINED)) unsupported.push("user-defined symbols");
    if (unsupported.length) {
      throw new Error(`this SentencePiece model needs what the browser encoder lacks: ${unsupported.join(", ")}`);
    }
    this.pieces = model.pieces;
    this.addDummyPrefix = normalizer.addDummyPrefix;
    this.merges = new Map(); // pieces a merge may make: NORMAL, USER_DEFINED, UNUSED
    this.reserved = new Map(); // the others: <unk>, <s>, </s>, <0xNN>
    this.byteIds = new Array(256).fill(-1);
    this.unk = -1;
    model.pieces.forEach(({ piece, type }, id) => {
      const normal = type === NORMAL || type === USER_DEFINED || type === UNUSED;
      (normal ? this.merges : this.reserved).set(piece, id);
      if (type === UNKNOWN) this.unk = id;
      if (type === BYTE) this.byteIds[parseInt(piece.slice(3, 5), 16)] = id;
    });
    this.byteFallback = trainer.byteFallback;
  }

  pieceToId(piece) {
    return this.reserved.get(piece) ?? this.merges.get(piece) ?? this.unk;
  }

  normalize(input) {
    if (input === "") return "";
    // a lone surrogate is not UTF-8; sentencepiece would read U+FFFD in its place
    const s = input.replace(/[\uD800-\uDFFF]/gu, "\uFFFD");
    return (this.addDummyPrefix ? SPACE : "") + s.replaceAll(" ", SPACE);
  }

  /** Token ids of `text` (no <s> or </s> added), as SentencePieceProcessor.encode gives them. */
  encode(input) {
    const chars = Array.from(this.normalize(input)); // code points, as sentencepiece's UTF-8 characters
    const symbols = chars.map((piece, i) => ({ piece, prev: i - 1, next: i + 1 < chars.length ? i + 1 : -1 }));
    const agenda = new Agenda();
    const unmerge = new Map(); // UNUSED piece -> the two pieces it was made of
    const consider = (left, right) => {
      if (left === -1 || right === -1) return;
      const piece = symbols[left].piece + symbols[right].piece;
      const id = this.merges.get(piece);
      if (id === undefined) return;
      agenda.push({ score: this.pieces[id].score, left, right, size: piece.length });
      if (this.pieces[id].type === UNUSED) unmerge.set(piece, [symbols[left].piece, symbols[right].piece]);
    };
    for (let i = 1; i < symbols.length; i++) consider(i - 1, i);
    while (agenda.size > 0) {
      const top = agenda.pop();
      const left = symbols[top.left];
      const right = symbols[top.right];
      // stale: one side has merged with something else since this pair was queued
      if (!left.piece || !right.piece || left.piece.length + right.piece.length !== top.size) continue;
      left.piece += right.piece;
      left.next = right.next;
      if (right.next >= 0) symbols[right.next].prev = top.left;
      right.piece = "";
      consider(left.prev, top.left);
      consider(top.left, left.next);
    }
    const ids = [];
    const emit = (piece) => {
      const id = this.pieceToId(piece);
      const parts = this.pieces[id]?.type === UNUSED ? unmerge.get(piece) : undefined;
      if (parts) {
        emit(parts[0]);
        emit(parts[1]);
      } else if (id === this.unk && this.byteFallback) {
        for (const b of new TextEncoder().encode(piece)) ids.push(this.byteIds[b] >= 0 ? this.byteIds[b] : this.unk);
      } else ids.push(id);
    };
    for (let i = symbols.length ? 0 : -1; i !== -1; i = symbols[i].next) emit(symbols[i].piece);
    return ids;
  }

  /** One token as text, as aieng's pieces() shows it: "▁" as a space, byte pieces as <0xNN>. */
  piece(id) {
    return this.pieces[id].piece.replaceAll(SPACE, " ");
  }
}
