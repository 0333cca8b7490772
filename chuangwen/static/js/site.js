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

// Every field has a visible label. Filter bars often name a field only by aria-label or a
// placeholder, which disappears once something is typed (and is not read out everywhere): give
// such a field a small visible label made from that name. Fields in a table cell are named by
// their column (the phone card shows it), fields named by aria-labelledby by that element.
function cwLabelFields(root) {
  var fields = (root.querySelectorAll ? root : document).querySelectorAll("input, select, textarea");
  Array.prototype.forEach.call(fields, function (field) {
    var type = (field.getAttribute("type") || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image", "checkbox", "radio"].indexOf(type) >= 0) { return; }
    if (field.labels && field.labels.length) {
      var shown = Array.prototype.some.call(field.labels, function (l) { return !l.classList.contains("visually-hidden"); });
      if (shown) { return; }
      // A label kept for screen readers only: show it, small, to everybody.
      var hiddenLabel = field.labels[0];
      hiddenLabel.classList.remove("visually-hidden");
      hiddenLabel.classList.add("cw-auto-label", "small", "text-muted", "mb-0", "d-block");
      return;
    }
    if (field.getAttribute("aria-labelledby") || field.closest("td, th") || field.closest("[hidden]")) { return; }
    var name = field.getAttribute("aria-label") || field.getAttribute("placeholder") || field.getAttribute("title");
    // A filter's drop-down whose first choice is "all …" (全部类型) is named by that choice.
    if (!name && field.tagName === "SELECT" && field.options.length && field.options[0].value === "") {
      name = field.options[0].textContent.trim();
    }
    if (!name) { return; }
    if (!field.id) { field.id = "cw-field-" + Math.random().toString(36).slice(2, 10); }
    var label = document.createElement("label");
    label.className = "cw-auto-label form-label small text-muted mb-0 d-block";
    label.setAttribute("for", field.id);
    label.textContent = name;
    // Beside a button in an input group the label goes above the whole group.
    var anchor = field.closest(".input-group") || field;
    if (anchor.parentNode && anchor.parentNode.classList && anchor.parentNode.classList.contains("d-flex")) {
      anchor = anchor.parentNode;
    }
    anchor.parentNode.insertBefore(label, anchor);
  });
}
document.addEventListener("DOMContentLoaded", function () { cwLabelFields(document); });
document.addEventListener("htmx:afterSettle", function () { cwLabelFields(document); });

// Chosen photos show as thumbnails under the file field before anything is sent (the browser
// itself only says "3 files"). Any file field that accepts images gets them; a field may opt
// out with data-no-thumbs.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file]") || input.hasAttribute("data-no-thumbs")) { return; }
  var box = input.parentNode.querySelector(".cw-thumbs[data-for='" + input.name + "']");
  if (!box) {
    box = document.createElement("div");
    box.className = "cw-thumbs d-flex flex-wrap gap-1 mt-1";
    box.setAttribute("data-for", input.name);
    input.insertAdjacentElement("afterend", box);
  }
  Array.prototype.forEach.call(box.querySelectorAll("img"), function (img) { URL.revokeObjectURL(img.src); });
  box.textContent = "";
  Array.prototype.forEach.call(input.files || [], function (file) {
    if (file.type && file.type.indexOf("image/") === 0) {
      var img = document.createElement("img");
      img.className = "cw-thumb";
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      box.appendChild(img);
    } else {
      var chip = document.createElement("span");
      chip.className = "badge text-bg-light border cw-thumb-file";
      chip.textContent = file.name;
      box.appendChild(chip);
    }
  });
});

// Searchable drop-downs (select[data-cw-search], e.g. the unit tree): a filter box above the
// list keeps the options whose name, pinyin initials or pinyin contain what is typed ("lw"
// finds 鹭湾街道), and picks the first match so Enter or a tap on the list is enough.
function cwSearchableSelects(root) {
  var selects = (root.querySelectorAll ? root : document).querySelectorAll("select[data-cw-search]");
  Array.prototype.forEach.call(selects, function (select) {
    if (select.getAttribute("data-cw-search-ready")) { return; }
    select.setAttribute("data-cw-search-ready", "1");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 cw-select-filter";
    box.placeholder = select.getAttribute("data-cw-search-placeholder") || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("autocomplete", "off");
    if (select.id) { box.id = select.id + "-filter"; }
    // The box is named by the drop-down's own label (责任单位), its placeholder says how to use it.
    var label = select.labels && select.labels[0];
    if (label) {
      if (!label.id) { label.id = (select.id || "cw-select") + "-label"; }
      box.setAttribute("aria-labelledby", label.id);
    }
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var query = box.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var haystack = (option.getAttribute("data-search") || option.textContent || "").toLowerCase();
        var match = !query || !option.value || haystack.indexOf(query) >= 0;
        option.hidden = !match;
        if (match && option.value && !first) { first = option; }
      });
      if (query && first) { select.value = first.value; }
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { cwSearchableSelects(document); });
document.addEventListener("htmx:afterSettle", function () { cwSearchableSelects(document); });
