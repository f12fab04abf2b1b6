/* First-party audience beacon (docs/statistics.md). No cookie, no identifier: the
   browser only keeps the date of its first visit to this site, to tell new from
   returning visitors, and the visitor's opt-out. */
(function () {
  "use strict";
  var script = document.currentScript;
  var OPT_OUT = "rncrpv-stats-opt-out";
  var FIRST_VISIT = "rncrpv-stats-first-visit";
  // The calendar year of the last visit to this site (a year, never an identifier): its
  // absence or an older year marks the first visit of the year.
  var VISIT_YEAR = "rncrpv-stats-year";
  var THIRTEEN_MONTHS = 395 * 24 * 3600 * 1000;
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  var nav = window.navigator;
  if (nav.doNotTrack === "1" || window.doNotTrack === "1" || nav.globalPrivacyControl === true) {
    return;
  }
  if (store && store.getItem(OPT_OUT) === "1") {
    // The server cannot read this choice: tell it on document and replay links, whose
    // downloads and plays it counts when it serves them.
    document.addEventListener("DOMContentLoaded", function () {
      var links = document.querySelectorAll("a[href*='/documents/'], a[data-stats-replay]");
      for (var i = 0; i < links.length; i++) {
        var url = new URL(links[i].href, window.location.href);
        if (url.origin === window.location.origin) {
          url.searchParams.set("stats", "non");
          links[i].href = url.toString();
        }
      }
    });
    return;
  }
  if (!script) { return; }

  var firstVisit = false;
  if (store) {
    var since = Date.parse(store.getItem(FIRST_VISIT) || "");
    if (!since || Date.now() - since > THIRTEEN_MONTHS) {
      firstVisit = true;
      store.setItem(FIRST_VISIT, new Date().toISOString().slice(0, 10));
    }
  }
  var firstOfYear = false;
  if (store) {
    var year = String(new Date().getFullYear());
    if (store.getItem(VISIT_YEAR) !== year) {
      firstOfYear = true;
      store.setItem(VISIT_YEAR, year);
    }
  }
  var body = JSON.stringify({
    url: window.location.href,
    referrer: document.referrer,
    page: parseInt(script.getAttribute("data-page"), 10) || null,
    first_visit: firstVisit,
    first_of_year: firstOfYear
  });
  var endpoint = script.getAttribute("data-endpoint");
  // A string body goes as text/plain: a simple request, never a CORS preflight.
  if (nav.sendBeacon && nav.sendBeacon(endpoint, body)) { return; }
  if (window.fetch) {
    window.fetch(endpoint, {
      method: "POST", body: body, keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "text/plain;charset=UTF-8" }
    }).catch(function () {});
  }
})();
