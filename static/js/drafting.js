// Small enhancements of the drafting forms. Every page works without this file.
(function () {
  "use strict";

  // Roll-call grid: count the votes as the secretary clicks. The server counts again on save.
  document.querySelectorAll("[data-rollcall]").forEach(function (table) {
    var summary = document.querySelector("[data-count-summary]");
    function recount() {
      var counts = {};
      table.querySelectorAll("[data-count]").forEach(function (cell) { counts[cell.dataset.count] = 0; });
      table.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        if (input.value in counts) { counts[input.value] += 1; }
      });
      var parts = [];
      table.querySelectorAll("[data-count]").forEach(function (cell) {
        cell.textContent = counts[cell.dataset.count];
        var header = table.querySelectorAll("thead th")[cell.cellIndex];
        parts.push(header.textContent + " " + counts[cell.dataset.count]);
      });
      if (summary) { summary.textContent = parts.join(", "); }
    }
    table.addEventListener("change", recount);
    recount();

    // "Resten Ja": everyone not marked yet gets that choice, as the chair says in a long roll call.
    var restButtons = document.querySelector("[data-rest-buttons]");
    if (restButtons) {
      restButtons.hidden = false;
      restButtons.addEventListener("click", function (event) {
        var value = event.target.dataset ? event.target.dataset.rest : null;
        if (!value) { return; }
        table.querySelectorAll("tbody tr").forEach(function (row) {
          if (row.querySelector("input[type=radio]:checked")) { return; }
          var input = row.querySelector("input[type=radio][value='" + value + "']");
          if (input) { input.checked = true; }
        });
        table.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
  });

  // Warn before leaving a page with unsaved changes; an evening's work must not vanish on a stray click.
  document.querySelectorAll("form[data-track-changes]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });

  // "Kopiera förslaget till beslut": fill the empty att-sats rows in place when there are enough of
  // them; otherwise let the button submit and the server does the copy.
  var copyButton = document.querySelector("[data-copy-proposal]");
  if (copyButton) {
    copyButton.addEventListener("click", function (event) {
      var proposal = document.getElementById("id_proposal");
      var rows = Array.prototype.slice.call(document.querySelectorAll("[data-formset=clauses] textarea"));
      var filled = rows.some(function (t) { return t.value.trim() !== ""; });
      var decisionText = document.getElementById("id_decision_text");
      if (!proposal || filled || (decisionText && decisionText.value.trim() !== "")) { return; }
      var clauses = [];
      proposal.value.split(/\r?\n/).forEach(function (line) {
        if (!line.trim()) { return; }
        var match = line.match(/^\s*[-–•*]?\s*(att\s.*)$/i);
        if (match) { clauses.push(match[1].trim()); }
        else if (clauses.length) { clauses[clauses.length - 1] += " " + line.trim(); }
      });
      if (clauses.length === 0 || clauses.length > rows.length) { return; }
      event.preventDefault();
      clauses.forEach(function (text, i) {
        rows[i].value = text;
        rows[i].dispatchEvent(new Event("input", { bubbles: true }));
      });
      rows[0].focus();
    });
  }
})();

// "Lägg till …": one more blank row in a section, from the formset's empty form.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var key = button.dataset.addRow;
    var template = document.querySelector("template[data-empty-row='" + key + "']");
    var total = document.getElementById("id_" + key + "-TOTAL_FORMS");
    var container = document.querySelector("[data-formset='" + key + "']");
    if (!template || !total || !container) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      container.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      var field = container.lastElementChild.querySelector("select, textarea, input:not([type=hidden])");
      if (field) { field.focus(); }
    });
  });
})();
