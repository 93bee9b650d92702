// The page of a document that a task is still preparing: ask the server now and then whether it is
// ready (200 instead of 202) and reload once it is, so the reader gets it without pressing anything.
// No timed refresh of the page itself (WCAG 2.2.1); without this file the "Uppdatera" link does it.
(function () {
  "use strict";
  var box = document.querySelector("[data-poll-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-poll-url");
  function check() {
    fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 200) {
          window.location.reload();
        } else {
          window.setTimeout(check, 3000);
        }
      })
      .catch(function () {
        window.setTimeout(check, 10000);
      });
  }
  window.setTimeout(check, 3000);
})();
