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
 * and it ranks each page by its best section: one that contains every term of the query, then
 * one that has them as a phrase, then lunr's score (the index also weighs what a section
 * emphasises, its bold leads: the build's "emphasis" field).
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

  /* The index holds the page's text as HTML, where "S&P" is "S&amp;P" (one word: the separator
   * does not split an entity); the query's ampersand is written the same way. */
  function rewriteQuery(query) {
    var rewritten = query.split(/\s+/).map(rewriteTerm).join(" ").trim();
    return rewritten.replace(/&(?!amp;)/g, "&amp;");
  }

  /* The query's words in order, as the index splits them (modifiers, wildcards and excluded
   * words left out), to tell a phrase from words that are merely all there. */
  var separator = /[\s\-]+/;
  var queryWords = [];

  function wordsOf(query) {
    var words = [];
    var parts = query.replace(/"/g, " ").split(/\s+/);
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (!part || part[0] === "-") continue;
      part = part.replace(/^\+/, "").replace(/[~^]\d*$/, "").replace(/\*$/, "");
      var pieces = part.split(separator); // before lowercasing: camelCase is a boundary
      for (var j = 0; j < pieces.length; j++) if (pieces[j]) words.push(pieces[j].toLowerCase());
    }
    return words;
  }

  /* A document's words for the phrase test: tags become spaces, and a particle or ending
   * (after U+200C) is dropped, as the query drops it: "토큰을 예측" is the phrase "토큰 예측". */
  var wordsByLocation = new Map();

  function docWords(html) {
    var text = (html || "").replace(/<[^>]*>/g, " ").replace(/\u200c[^\s\u200b\u200c]*/g, "");
    return text.split(separator).filter(Boolean).map(function (w) { return w.toLowerCase(); });
  }

  function hasPhrase(words, phrase) {
    for (var i = 0; i + phrase.length <= words.length; i++) {
      var k = 0;
      while (k < phrase.length && words[i + k].indexOf(phrase[k]) === 0) k++;
      if (k === phrase.length) return true;
    }
    return false;
  }

  /* How well one section (a result item) answers the query: the share of the query's terms it
   * contains, whether it has them as a phrase, and lunr's score. A page the site demotes in its
   * front matter (search.boost below 1: the contents, the summary's recap, the ledger, the API
   * reference) gets no credit for a phrase: there it is a restatement, and it must not lift the
   * page over the chapter's section that discusses it. */
  function evidence(item) {
    var total = 0;
    var hit = 0;
    for (var term in item.terms || {}) { total++; if (item.terms[term]) hit++; }
    var c = total ? hit / total : 0;
    var phrase = 0;
    var demoted = typeof item.boost === "number" && item.boost < 1;
    if (c === 1 && queryWords.length > 1 && !demoted) {
      var words = wordsByLocation.get(item.location);
      if (words && (hasPhrase(words.title, queryWords) || hasPhrase(words.text, queryWords)))
        phrase = 1;
    }
    return { c: c, phrase: phrase, score: item.score || 0 };
  }

  function better(a, b) {
    return a.c - b.c || a.phrase - b.phrase || a.score - b.score;
  }

  /* Pages are ranked by their best section: first one that contains every term of the query
   * (Material ranks by lunr's score, where one title match of a common word outweighs a section
   * that has all the terms, and a page's terms may be spread over sections that are about
   * different things), then one that has them as a phrase, then by lunr's score. */
  function rerank(result) {
    if (!result || !result.items) return result;
    var ranked = result.items.map(function (group, i) {
      var best = { c: -1, phrase: 0, score: 0 };
      for (var j = 0; j < group.length; j++) {
        var e = evidence(group[j]);
        if (better(e, best) > 0) best = e;
      }
      return { group: group, i: i, best: best };
    });
    ranked.sort(function (a, b) { return better(b.best, a.best) || a.i - b.i; });
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
      separator = new RegExp(message.data.config.separator);
      for (var i = 0; i < docs.length; i++) {
        learn(docs[i].title);
        learn(docs[i].text);
        wordsByLocation.set(docs[i].location, {
          title: docWords(docs[i].title), text: docWords(docs[i].text)
        });
      }
      message = { type: SETUP, data: Object.assign({}, message.data, { docs: docs }) };
    } else if (message && message.type === QUERY) {
      var rewritten = rewriteQuery(message.data);
      queryWords = wordsOf(rewritten);
      message = { type: QUERY, data: rewritten };
    }
    var forwarded = new MessageEvent("message", { data: message });
    forwarded.aiengForwarded = true;
    dispatchEvent(forwarded);
  });

  self.aiengSearch = { rewriteQuery: rewriteQuery, segment: segment };
  importScripts("__MATERIAL_WORKER__");
})();
