// clipdiary static search: reads the index that `clipdiary build` writes under search/.
// Tokens are cut exactly as clipdiary/site/search_index.py cuts them: NFKC, lower case;
// letters and digits from U+2E80 up in overlapping bigrams (a lone one as itself), other
// letters and digits as whole words. An entry matches when it holds every token.
(function () {
  "use strict";
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var input = document.getElementById("static-q");
  if (!list || !status) return;
  var root = list.getAttribute("data-root") || "/";
  var MAX = 50;

  function isAlnum(ch) { return /[\p{L}\p{N}]/u.test(ch); }

  function tokens(text) {
    var folded = text.normalize("NFKC").toLowerCase();
    var found = new Set();
    var run = "", kind = null;
    function flush() {
      if (!run) return;
      var chars = Array.from(run);
      if (kind === "word") found.add(run);
      else if (chars.length === 1) found.add(run);
      else for (var i = 0; i < chars.length - 1; i++) found.add(chars[i] + chars[i + 1]);
      run = ""; kind = null;
    }
    for (var ch of folded) {
      var k = null;
      if (isAlnum(ch)) k = ch.codePointAt(0) >= 0x2e80 ? "gram" : "word";
      if (k !== kind) flush();
      if (k) { run += ch; kind = k; }
    }
    flush();
    return Array.from(found);
  }

  function bucketOf(token, buckets) {
    var h = 0x811c9dc5;
    for (var ch of token) {
      h = Math.imul((h ^ ch.codePointAt(0)) >>> 0, 0x01000193) >>> 0;
    }
    return h % buckets;
  }

  function getJSON(path) {
    return fetch(root + path).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  function decode(deltas) {
    var out = [], total = 0;
    for (var i = 0; i < deltas.length; i++) { total += deltas[i]; out.push(total); }
    return out;
  }

  function show(rows, total, query) {
    list.textContent = "";
    rows.forEach(function (row) {
      var li = document.createElement("li");
      li.className = "search-hit";
      var a = document.createElement("a");
      a.href = root + row[0];
      a.textContent = row[1] || row[2];
      var day = document.createElement("time");
      day.dateTime = row[2];
      day.textContent = row[2];
      var p = document.createElement("p");
      p.className = "snippet";
      p.textContent = row[3];
      li.append(day, " ", a, p);
      list.append(li);
    });
    status.textContent = total === 0
      ? "「" + query + "」に一致する記事はありません。 No entries match."
      : total + " 件 (" + total + " entries)" + (total > rows.length ? ", newest " + rows.length + " shown" : "");
  }

  function run(query) {
    var wanted = tokens(query);
    if (!wanted.length) { status.textContent = ""; return; }
    status.textContent = "検索中… Searching…";
    getJSON("search/meta.json").then(function (meta) {
      var byBucket = {};
      wanted.forEach(function (t) { (byBucket[bucketOf(t, meta.buckets)] ||= []).push(t); });
      return Promise.all(Object.keys(byBucket).map(function (b) {
        return getJSON("search/t/" + b + ".json").then(function (table) {
          return byBucket[b].map(function (t) { return decode(table[t] || []); });
        });
      })).then(function (lists) {
        var postings = [].concat.apply([], lists);
        postings.sort(function (x, y) { return x.length - y.length; });
        var hits = new Set(postings[0]);
        for (var i = 1; i < postings.length; i++) {
          var next = new Set(postings[i]);
          hits = new Set(Array.from(hits).filter(function (id) { return next.has(id); }));
        }
        var ids = Array.from(hits).sort(function (x, y) { return y - x; });
        var shown = ids.slice(0, MAX);
        var chunks = Array.from(new Set(shown.map(function (id) { return Math.floor(id / meta.chunk); })));
        return Promise.all(chunks.map(function (c) { return getJSON("search/d/" + c + ".json"); }))
          .then(function (tables) {
            var rows = {};
            tables.forEach(function (t) { Object.assign(rows, t); });
            var found = shown.map(function (id) { return rows[String(id)]; }).filter(Boolean);
            found.sort(function (x, y) { return x[2] < y[2] ? 1 : x[2] > y[2] ? -1 : 0; });
            show(found, ids.length, query);
          });
      });
    }).catch(function (err) {
      status.textContent = "検索できませんでした。 Search failed: " + err.message;
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  if (input) input.value = query;
  document.querySelectorAll("header form[role=search] input[name=q]").forEach(function (el) { el.value = query; });
  if (query.trim()) run(query);
})();
