// On a phone, a wide table becomes a list of cards: each cell is labelled with its column's
// header (data-label), and CSS (app.css, "Tables on a phone") lays the rows out as cards.
// Tables marked data-keep-table (e.g. small two-column tables) are left as they are.
(function () {
  "use strict";
  function label(table) {
    var head = table.tHead;
    if (!head || !head.rows.length || table.hasAttribute("data-keep-table")) return;
    var headers = Array.prototype.map.call(head.rows[head.rows.length - 1].cells, function (cell) {
      return cell.textContent.replace(/\s+/g, " ").trim();
    });
    if (headers.length < 3) return;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && headers[column]) cell.setAttribute("data-label", headers[column]);
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("stacked");
  }
  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("main table"), label);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
  // Tables that htmx swaps in later get the same treatment.
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
