// Site-wide behaviour without inline scripts (the CSP forbids them).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
});
// A form with data-confirm asks before it is sent (irreversible actions such as discarding).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); }
});

// Phone cards (see site.css): each body cell gets its column's name from the header as
// data-label, honouring colspans; a cell that already has one keeps it. Run on load and after
// every htmx swap so rows loaded later get labels too.
function cwLabelTables(root) {
  var tables = (root.querySelectorAll ? root : document).querySelectorAll("table.table");
  Array.prototype.forEach.call(tables, function (table) {
    var head = table.tHead;
    if (!head || !head.rows.length) { return; }
    var labels = [];
    var headerRow = head.rows[head.rows.length - 1];
    Array.prototype.forEach.call(headerRow.cells, function (cell) {
      var text = (cell.getAttribute("data-label") || cell.textContent || "").replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i++) { labels.push(text); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1 && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { cwLabelTables(document); });
document.addEventListener("htmx:afterSettle", function (event) { cwLabelTables(document); });
