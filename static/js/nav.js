// The main menu collapses behind a "Menu" button on narrow screens (phones). Without
// JavaScript the menu simply stays open. No inline script: the CSP forbids it.
(function () {
  "use strict";
  function init() {
    var nav = document.querySelector("nav.site-nav");
    if (!nav) return;
    var button = nav.querySelector(".menu-button");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) return;
    nav.classList.add("collapsible");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
