/* The privacy page's opt-out switch: a choice kept in this browser, for this site. */
(function () {
  "use strict";
  var OPT_OUT = "rncrpv-stats-opt-out";
  var box = document.getElementById("stats-opt-out");
  if (!box) { return; }
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  var button = box.querySelector("button");
  var status = box.querySelector("[role=status]");
  function show() {
    var out = store.getItem(OPT_OUT) === "1";
    button.textContent = out ? box.getAttribute("data-label-in") : box.getAttribute("data-label-out");
    status.textContent = out ? box.getAttribute("data-state-out") : box.getAttribute("data-state-in");
  }
  button.addEventListener("click", function () {
    if (store.getItem(OPT_OUT) === "1") { store.removeItem(OPT_OUT); } else { store.setItem(OPT_OUT, "1"); }
    show();
  });
  box.hidden = false;
  show();
})();
