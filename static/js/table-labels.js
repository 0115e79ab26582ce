// On a phone the cells of a table stack (jour.css, "phone layout"), and a column of bare
// values says nothing: each cell gets its column's heading as data-label, which the
// stylesheet shows before the value. Tables that scroll instead (.table-scroll) keep
// their headings and need none. Runs on every page and on every htmx swap.
(function () {
  "use strict";

  function headings(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var names = [];
    if (!head) return names;
    Array.prototype.forEach.call(head.cells, function (cell) {
      // A heading only screen readers hear (an actions column) is not repeated on screen.
      var shown = cell.cloneNode(true);
      Array.prototype.forEach.call(shown.querySelectorAll(".visually-hidden"), function (hidden) { hidden.remove(); });
      for (var i = 0; i < cell.colSpan; i++) names.push(shown.textContent.trim());
    });
    return names;
  }

  function label(root) {
    var tables = root.tagName === "TABLE" ? [root] : root.querySelectorAll("table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.closest(".table-scroll")) return;
      var names = headings(table);
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var name = names[column];
            if (cell.tagName === "TD" && cell.colSpan === 1 && name && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", name);
            }
            column += cell.colSpan;
          });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:load", function (event) { label(event.target.closest("table") || event.target); });
})();
