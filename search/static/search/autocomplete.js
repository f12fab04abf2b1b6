/* Suggestions for the search page's form (forms with data-suggest): the titles of matching
   pages fill a native <datalist>, so the browser shows them accessibly and the form
   still submits as without JavaScript. First-party, no dependency. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-suggest]");
  Array.prototype.forEach.call(forms, function (form, n) {
    var input = form.querySelector('input[name="q"]');
    if (!input || !window.fetch) { return; }
    var list = document.createElement("datalist");
    list.id = "search-suggestions-" + n;
    form.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null, last = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === last) { return; }
        last = q;
        var scope = form.querySelector('input[name="scope"]');
        var url = form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q) +
          (scope && scope.value ? "&scope=" + encodeURIComponent(scope.value) : "");
        window.fetch(url, {headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
          .then(function (data) {
            if (input.value.trim() !== q) { return; }
            list.textContent = "";
            data.suggestions.forEach(function (title) {
              var option = document.createElement("option");
              option.value = title;
              list.appendChild(option);
            });
          })
          .catch(function () { /* no suggestions: the form still works */ });
      }, 200);
    });
  });
})();
