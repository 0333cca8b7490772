// ODK form logic on the interview page (issue 22), with Enketo's openrosa-xpath-evaluator
// (static/vendor/openrosa-xpath/). The expressions come from the server as a JSON data island
// (#cw-survey-logic), already turned into XPath over the interview's instance: the very strings
// surveys/logic.py evaluates when the interview arrives.
//
// After every answer: the instance (<data><group><question>value…) is updated from the form;
// questions and groups whose `relevant` is false are hidden and disabled (so their answers are
// not sent, as ODK does); calculations are computed; options failing the choice filter are
// hidden; `required` expressions switch the required attribute; a failing constraint sets the
// constraint message as the field's validity message (the form will not be saved, the message
// shows under the question); a failing screening rule marks the question screened out, which
// surveys.js turns into the end of the interview.
//
// This script must load before surveys.js: its listeners then run first on every change.
(function () {
  "use strict";
  var form = document.getElementById("cw-survey-form");
  var island = document.getElementById("cw-survey-logic");
  if (!form || !island || !window.OpenRosaXPath) { return; }
  var logic = JSON.parse(island.textContent);
  if (!logic.has_logic) { return; }
  var evaluator = window.OpenRosaXPath();
  function evaluate(expr, context, resolver, type, result) {
    return evaluator.evaluate(expr, context, resolver, type, result);
  }
  var doc = document.implementation.createDocument(null, "data", null);
  var root = doc.documentElement;
  var groupNodes = { "": root };
  logic.group_paths.forEach(function (path) {
    var parent = groupNodes[path.slice(0, -1).join("/")] || root;
    var node = doc.createElement(path[path.length - 1]);
    parent.appendChild(node);
    groupNodes[path.join("/")] = node;
  });
  var groupRules = {};
  logic.groups.forEach(function (pair) { groupRules[pair[0].join("/")] = pair[1]; });
  var nodes = {};
  logic.questions.forEach(function (q) {
    var node = doc.createElement(q.name);
    (groupNodes[q.path.join("/")] || root).appendChild(node);
    nodes[q.name] = node;
  });

  function truth(expr, context) {
    try {
      return evaluate(expr, context || root, null, XPathResult.BOOLEAN_TYPE, null).booleanValue;
    } catch (e) { return false; }
  }
  function text(expr, context) {
    try {
      var value = evaluate(expr, context || root, null, XPathResult.STRING_TYPE, null).stringValue;
      return value === "NaN" ? "" : value;
    } catch (e) { return ""; }
  }
  // Looked up once: the page's fields do not change, only their state.
  var inputCache = {};
  var fieldsetCache = {};
  var state = {};
  function inputs(name) {
    if (!inputCache[name]) {
      inputCache[name] = Array.prototype.slice.call(form.querySelectorAll("[name='q_" + name + "']"));
    }
    return inputCache[name];
  }
  function valueOf(q) {
    var els = inputs(q.name);
    if (q.kind === "multiple") {
      return els.filter(function (el) { return el.checked && !el.disabled; }).map(function (el) { return el.value; }).join(" ");
    }
    var value = "";
    els.forEach(function (el) {
      if (el.disabled) { return; }
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) { value = el.value; } }
      else { value = el.value.trim(); }
    });
    return value;
  }
  function fieldset(name) {
    if (!(name in fieldsetCache)) { fieldsetCache[name] = form.querySelector("fieldset.cw-q[data-name='" + name + "']"); }
    return fieldsetCache[name];
  }
  function show(fs, on) {
    if (!fs) { return; }
    var key = fs.getAttribute("data-name");
    if (state[key] === on) { return; }
    state[key] = on;
    fs.classList.toggle("d-none", !on);
    fs.toggleAttribute("data-cw-irrelevant", !on);
    Array.prototype.forEach.call(fs.querySelectorAll("input, textarea, select"), function (el) {
      if (!el.closest(".cw-option[data-cw-filtered]")) { el.disabled = !on; }
    });
  }
  var shown = {};
  var validity = {};
  function message(fs, text) {
    if (!fs) { return; }
    var key = fs.getAttribute("data-name");
    if ((shown[key] || "") === (text || "")) { return; }
    shown[key] = text || "";
    var box = fs.querySelector(".cw-logic-msg");
    if (!box) { return; }
    box.textContent = text || "";
    box.classList.toggle("d-none", !text);
  }
  function setValidity(name, text) {
    if ((validity[name] || "") === (text || "")) { return; }
    validity[name] = text || "";
    var els = inputs(name);
    if (els.length) { els[0].setCustomValidity(text || ""); }
  }
  var groupHeadings = {};
  Array.prototype.forEach.call(form.querySelectorAll(".cw-group"), function (h) { groupHeadings[h.getAttribute("data-group")] = h; });

  function apply() {
    var started = window.performance.now();
    logic.questions.forEach(function (q) {
      if (q.kind !== "calculate") { nodes[q.name].textContent = valueOf(q); }
    });
    var groupOk = { "": true };
    function groupRelevant(path) {
      var key = path.join("/");
      if (key in groupOk) { return groupOk[key]; }
      var parentOk = groupRelevant(path.slice(0, -1));
      var rule = groupRules[key];
      var ok = parentOk && (!rule || truth(rule, groupNodes[key]));
      groupOk[key] = ok;
      var heading = groupHeadings[path[path.length - 1]];
      if (heading) { heading.classList.toggle("d-none", !ok); }
      return ok;
    }
    logic.questions.forEach(function (q) {
      var node = nodes[q.name];
      var fs = fieldset(q.name);
      var relevant = groupRelevant(q.path) && (!q.relevant || truth(q.relevant, node));
      show(fs, relevant);
      if (!relevant) {
        node.textContent = "";
        setValidity(q.name, "");
        message(fs, "");
        return;
      }
      if (q.kind === "calculate") {
        var computed = q.calculation ? text(q.calculation, node) : "";
        node.textContent = computed;
        var hidden = document.getElementById("q_" + q.name);
        if (hidden) { hidden.value = computed; }
        return;
      }
      if (q.choice_filter && fs) {
        Array.prototype.forEach.call(fs.querySelectorAll(".cw-option"), function (div) {
          var columns = (q.options || {})[div.getAttribute("data-option")] || {};
          var item = doc.createElement("_item");
          Object.keys(columns).forEach(function (key) {
            var child = doc.createElement(key);
            child.textContent = columns[key];
            item.appendChild(child);
          });
          root.appendChild(item);
          var allowed = truth(q.choice_filter, item);
          root.removeChild(item);
          div.classList.toggle("d-none", !allowed);
          div.toggleAttribute("data-cw-filtered", !allowed);
          var input = div.querySelector("input");
          if (!allowed && input.checked) { input.checked = false; }
          input.disabled = !allowed;
        });
        node.textContent = valueOf(q);
      }
      var value = node.textContent;
      if (q.required_if) {
        var required = truth(q.required_if, node);
        inputs(q.name).forEach(function (el) { el.required = required && el.type !== "checkbox"; });
      }
      var problem = "";
      if (value !== "" && q.constraint && !truth(q.constraint, node)) {
        problem = q.constraint_message || logic.constraint_message;
      }
      setValidity(q.name, problem);
      message(fs, value !== "" ? problem : "");
      if (fs) { fs.toggleAttribute("data-screened-out", !!(value !== "" && q.screening && !truth(q.screening, node))); }
    });
    window.cwSurveyLogicMs = window.performance.now() - started;
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-cw-locate]"), function (button) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        var input = document.getElementById(button.getAttribute("data-cw-locate"));
        input.value = pos.coords.latitude.toFixed(6) + " " + pos.coords.longitude.toFixed(6);
        apply();
      });
    });
  });
  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  // After a reset and after surveys.js restored a draft: run both scripts' handlers again.
  function rerun() { window.setTimeout(function () { form.dispatchEvent(new Event("change")); }, 0); }
  form.addEventListener("reset", rerun);
  window.cwSurveyLogic = { apply: apply, evaluate: evaluate };
  apply();
  rerun();
}());
