// Search for the reference site. The index (search-index.js) sets
// window.LTIFORGE_SEARCH to entries {t: title, k: kind, u: site path, s: summary}.
// Results are links in #results; the input is #search.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var input = document.getElementById("search");
  var results = document.getElementById("results");
  var entries = window.LTIFORGE_SEARCH || [];
  if (!input || !results) { return; }

  function score(e, words, q) {
    var t = e.t.toLowerCase(), all = t + " " + e.k.toLowerCase() + " " + (e.s || "").toLowerCase();
    for (var i = 0; i < words.length; i++) {
      if (all.indexOf(words[i]) < 0) { return 0; }
    }
    if (t === q) { return 100; }
    if (t.indexOf(q) === 0) { return 80; }
    if (t.indexOf(q) >= 0) { return 60; }
    return 20;
  }

  function show(q) {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    q = q.trim().toLowerCase();
    if (!q) { results.className = ""; return; }
    var words = q.split(/\s+/), hits = [];
    for (var i = 0; i < entries.length; i++) {
      var s = score(entries[i], words, q);
      if (s > 0) { hits.push({ s: s, i: i }); }
    }
    hits.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    hits = hits.slice(0, 60);
    if (!hits.length) {
      var none = document.createElement("div");
      none.className = "none";
      none.textContent = "Nothing matches \u201c" + q + "\u201d.";
      results.appendChild(none);
    }
    for (var j = 0; j < hits.length; j++) {
      var e = entries[hits[j].i];
      var a = document.createElement("a");
      a.href = root + e.u;
      a.textContent = e.t;
      var k = document.createElement("span");
      k.className = "kind";
      k.textContent = e.k;
      a.appendChild(k);
      if (e.s) {
        var sum = document.createElement("span");
        sum.className = "sum";
        sum.textContent = e.s;
        a.appendChild(sum);
      }
      results.appendChild(a);
    }
    results.className = "open";
  }

  input.addEventListener("input", function () { show(input.value); });
  input.addEventListener("focus", function () { if (input.value) { show(input.value); } });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = results.querySelector("a");
      if (first) { window.location.href = first.href; }
    } else if (ev.key === "Escape") {
      input.value = "";
      show("");
    }
  });
  document.addEventListener("click", function (ev) {
    if (ev.target !== input && !results.contains(ev.target)) { results.className = ""; }
  });
})();
