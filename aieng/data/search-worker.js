/* Korean-aware front for Material for MkDocs' search worker (see aieng/website/search.py).
 *
 * Material lets a site name its own search worker. This one loads Material's worker unchanged
 * and rewrites the two messages it receives before Material sees them:
 *
 *   SETUP  keeps only the documents of the page's language (the i18n build writes one index
 *          for all languages) and learns the index's Korean vocabulary: the build marks each
 *          morpheme boundary inside a Korean word with U+200B (content morpheme follows) or
 *          U+200C (particle or ending follows);
 *   QUERY  splits each Korean run of the query into known morphemes (fewest pieces wins) and
 *          drops the particles and endings, so "자기지도학습은" searches "자기 지도 학습";
 *
 * and it ranks the pages that contain every term of a query before those that do not.
 *
 * The page passes its language in this script's URL: ?lang=ko&keep=... or &drop=... (location
 * prefixes, comma separated). The build fills in __MATERIAL_WORKER__.
 */
(function () {
  "use strict";

  var SETUP = 0;
  var QUERY = 2;
  var RESULT = 3;
  var CONTENT_MARK = "\u200b";
  var TAIL_MARK = "\u200c";
  var HANGUL_RUN = /[\uac00-\ud7a3]+/g;
  var PIECE = /([\u200b\u200c]?)([\uac00-\ud7a3]+)/g;

  var params = new URL(self.location.href).searchParams;
  var keep = (params.get("keep") || "").split(",").filter(Boolean);
  var drop = (params.get("drop") || "").split(",").filter(Boolean);

  var content = new Map(); // piece -> times it starts a word or follows U+200B
  var tails = new Map(); // piece -> times it follows U+200C
  var longest = 1;

  function startsWithAny(location, prefixes) {
    for (var i = 0; i < prefixes.length; i++)
      if (location.indexOf(prefixes[i]) === 0) return true;
    return false;
  }

  function inLanguage(doc) {
    var location = doc.location || "";
    if (keep.length) return startsWithAny(location, keep);
    return !startsWithAny(location, drop);
  }

  function learn(text) {
    if (!text) return;
    var match;
    PIECE.lastIndex = 0;
    while ((match = PIECE.exec(text))) {
      var table = match[1] === TAIL_MARK ? tails : content;
      table.set(match[2], (table.get(match[2]) || 0) + 1);
      if (match[2].length > longest) longest = match[2].length;
    }
  }

  function isTail(piece) {
    return (tails.get(piece) || 0) > (content.get(piece) || 0);
  }

  function known(piece) {
    return content.has(piece) || tails.has(piece);
  }

  /* Split a run of Hangul into the fewest known pieces; an unknown stretch (a word the index
   * lacks, or one still being typed) stays whole, so the trailing wildcard can complete it. An
   * unknown stretch costs more the longer it is, so a noun the index holds only as single
   * syllables (빈|칸) still sheds its particle: 빈칸을 -> 빈 칸, not the unknown 빈칸을. */
  function segment(run) {
    var n = run.length;
    var cost = [0];
    var back = [0];
    for (var end = 1; end <= n; end++) {
      cost[end] = Infinity;
      for (var start = Math.max(0, end - longest); start < end; start++) {
        var piece = run.slice(start, end);
        if (!known(piece)) continue;
        var c = cost[start] + (piece.length === 1 ? 1.5 : 1);
        if (c < cost[end]) { cost[end] = c; back[end] = start; }
      }
      for (var s = 0; s < end; s++) {
        var u = cost[s] + 4 + 0.6 * (end - s);
        if (u < cost[end]) { cost[end] = u; back[end] = s; }
      }
    }
    var pieces = [];
    for (var e = n; e > 0; e = back[e]) pieces.unshift(run.slice(back[e], e));
    return pieces;
  }

  /* Rewrite one whitespace-separated query term; modifiers (+, -, ^, ~, *) pass through. */
  function rewriteTerm(term) {
    if (!/[\uac00-\ud7a3]/.test(term) || /^[+-]|[~^]\d*$/.test(term)) return term;
    var out = [];
    var last = 0;
    var seenContent = false;
    var match;
    HANGUL_RUN.lastIndex = 0;
    while ((match = HANGUL_RUN.exec(term))) {
      var before = term.slice(last, match.index).replace(/[()[\]{}"'.,:;!?]+/g, " ").trim();
      if (before) { out.push(before); seenContent = true; }
      var pieces = segment(match[0]);
      for (var i = 0; i < pieces.length; i++) {
        if (seenContent && isTail(pieces[i])) continue;
        out.push(pieces[i]);
        seenContent = true;
      }
      last = match.index + match[0].length;
    }
    var after = term.slice(last).replace(/[()[\]{}"'.,:;!?]+/g, " ").trim();
    if (after) out.push(after);
    return out.join(" ");
  }

  function rewriteQuery(query) {
    return query.split(/\s+/).map(rewriteTerm).join(" ").trim();
  }

  /* Pages that contain every term of the query come first (Material ranks by lunr's score,
   * where one title match outweighs a section that has all the terms); ties keep their order. */
  function coverage(group) {
    var found = {};
    var total = 0;
    for (var i = 0; i < group.length; i++)
      for (var term in group[i].terms || {}) {
        if (!(term in found)) { found[term] = false; total++; }
        if (group[i].terms[term]) found[term] = true;
      }
    var hit = 0;
    for (var t in found) if (found[t]) hit++;
    return total ? hit / total : 0;
  }

  function rerank(result) {
    if (!result || !result.items) return result;
    var ranked = result.items.map(function (group, i) {
      return { group: group, i: i, c: coverage(group) };
    });
    ranked.sort(function (a, b) { return b.c - a.c || a.i - b.i; });
    return Object.assign({}, result, { items: ranked.map(function (r) { return r.group; }) });
  }

  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    if (message && message.type === RESULT) message = { type: RESULT, data: rerank(message.data) };
    post(message);
  };

  addEventListener("message", function (ev) {
    if (ev.aiengForwarded) return;
    ev.stopImmediatePropagation();
    var message = ev.data;
    if (message && message.type === SETUP) {
      var docs = message.data.docs.filter(inLanguage);
      for (var i = 0; i < docs.length; i++) { learn(docs[i].title); learn(docs[i].text); }
      message = { type: SETUP, data: Object.assign({}, message.data, { docs: docs }) };
    } else if (message && message.type === QUERY) {
      message = { type: QUERY, data: rewriteQuery(message.data) };
    }
    var forwarded = new MessageEvent("message", { data: message });
    forwarded.aiengForwarded = true;
    dispatchEvent(forwarded);
  });

  self.aiengSearch = { rewriteQuery: rewriteQuery, segment: segment };
  importScripts("__MATERIAL_WORKER__");
})();
