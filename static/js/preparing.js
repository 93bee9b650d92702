// The page of a document that a task is still preparing: ask the server now and then whether it is
// ready and reload once it answers anything but 202 or a passing 503 (the document, or a page saying
// it failed), so the reader gets it without pressing anything. The questions come less and less often (from 2 s,
// growing by 30 % each time, to at most half a minute) and stop after half an hour: a render that takes
// that long has failed, and the server says so on the next load. No timed refresh of the page
// itself (WCAG 2.2.1); without this file the "försök igen" link does it.
(function () {
  "use strict";
  var box = document.querySelector("[data-poll-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-poll-url");
  var delay = 2000;
  var MAX_DELAY = 30000;
  var GIVE_UP_AFTER = 30 * 60000;
  var started = Date.now();
  function later() {
    if (Date.now() - started < GIVE_UP_AFTER) {
      window.setTimeout(check, delay);
      delay = Math.min(delay * 1.3, MAX_DELAY);
    }
  }
  function check() {
    fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        // 202: still being prepared. A 5xx with Retry-After (the database away for a moment) says
        // "ask again", not "done": reloading then would leave the reader on that error page.
        var transient = response.status >= 500 && response.headers.get("Retry-After") !== null;
        if (response.status === 202 || transient) {
          later();
        } else {
          window.location.reload();
        }
      })
      .catch(later);
  }
  later();
})();
