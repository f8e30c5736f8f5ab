// Organisation picker of the meeting screen: suggests organisations of the directory as staff
// type. Without JavaScript the form still works (an exact name or an id is accepted).
(function () {
  "use strict";
  var list = document.getElementById("organisation-choices");
  if (!list) { return; }
  var timer = null;
  function suggest(text) {
    fetch("/staff/organisations?q=" + encodeURIComponent(text), {
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (found) {
      var keep = {};
      Array.prototype.forEach.call(list.options, function (option) { keep[option.value] = true; });
      found.forEach(function (organisation) {
        if (!keep[organisation.label]) {
          var option = document.createElement("option");
          option.value = organisation.label;
          list.appendChild(option);
        }
      });
    }).catch(function () { /* suggestions are a convenience; typing still works */ });
  }
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.classList || !field.classList.contains("org-picker")) { return; }
    var text = field.value.trim();
    if (text.length < 2 || text.indexOf(" · ") !== -1) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(text); }, 200);
  });
}());
