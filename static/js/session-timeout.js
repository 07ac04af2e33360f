/* Warns before an idle logout (jalin/accounts/sessions.py). The page carries the idle limit
   and the warning lead on #session-warning; "Stay logged in" asks the keep-alive URL, which
   counts as activity. When the limit passes, the page goes to the login (the server has
   already ended the session by then). No inline script: the CSP forbids it. */
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) { return; }
  var idle = parseInt(box.getAttribute("data-idle-seconds"), 10) * 1000;
  var lead = parseInt(box.getAttribute("data-warning-seconds"), 10) * 1000;
  var keepalive = box.getAttribute("data-keepalive-url");
  var login = box.getAttribute("data-login-url");
  if (!idle) { return; }
  var warnTimer, endTimer;
  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    box.hidden = true;
    warnTimer = setTimeout(function () { box.hidden = false; }, Math.max(idle - lead, 0));
    endTimer = setTimeout(function () {
      window.location.assign(login + "?next=" + encodeURIComponent(window.location.pathname));
    }, idle + 1000);
  }
  box.querySelector("[data-action=stay]").addEventListener("click", function () {
    fetch(keepalive, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { if (response.ok) { schedule(); } else { window.location.assign(login); } });
  });
  schedule();
}());
