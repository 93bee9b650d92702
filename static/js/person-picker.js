// The person picker: a search box above a long list of persons (select[data-person-picker]) that
// narrows the list by name as one types. Without this file the list is an ordinary select.
(function () {
  "use strict";
  var MIN_OPTIONS = 8;

  function fold(text) {
    return text.toLocaleLowerCase("sv").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  document.querySelectorAll("select[data-person-picker]").forEach(function (select) {
    if (select.options.length < MIN_OPTIONS) { return; }
    var label = document.querySelector("label[for='" + select.id + "']");
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-1 person-search";
    search.id = select.id + "-sok";
    search.placeholder = "Sök på namn";
    search.setAttribute("aria-label", "Sök " + (label ? label.textContent.trim().toLowerCase() : "person") + " på namn");
    search.setAttribute("aria-controls", select.id);
    search.autocomplete = "off";
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(search, select);
    select.parentNode.insertBefore(status, select);

    search.addEventListener("input", function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      var shown = 0, first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = fold(option.textContent);
        var match = !option.value || words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        if (match && option.value) { shown += 1; if (!first) { first = option; } }
      });
      status.textContent = shown + " träffar";
      var current = select.options[select.selectedIndex];
      if (first && words.length && (!current || current.hidden || !current.value)) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });
})();
