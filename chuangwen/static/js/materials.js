// Materials: upload with a progress bar, safe retries, and "use my location". No inline scripts (CSP).
(function () {
  "use strict";

  function showErrors(box, messages) {
    box.textContent = "";
    messages.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    box.classList.toggle("d-none", messages.length === 0);
  }

  function setProgress(wrap, percent) {
    var bar = wrap.querySelector(".progress-bar");
    wrap.classList.remove("d-none");
    wrap.setAttribute("aria-valuenow", String(percent));
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
  }

  document.querySelectorAll("form[data-upload-form]").forEach(function (form) {
    var errors = form.querySelector("[data-upload-errors]");
    var progress = form.querySelector("[data-progress]");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; } // plain post still works
      event.preventDefault();
      showErrors(errors, []);
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { setProgress(progress, Math.round((e.loaded / e.total) * 100)); }
      });
      xhr.addEventListener("load", function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = {}; }
        if (xhr.status === 200 && data.url) { window.location.assign(data.url); return; }
        button.disabled = false;
        showErrors(errors, data.errors || [button.dataset.networkError]);
      });
      // The form keeps its idempotency key: pressing the button again after a dropped
      // connection returns the submission the first attempt created, never a second one.
      xhr.addEventListener("error", function () {
        button.disabled = false;
        showErrors(errors, [button.dataset.networkError]);
      });
      xhr.send(new FormData(form));
    });
  });

  document.querySelectorAll("[data-locate]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var form = btn.closest("form");
      if (!navigator.geolocation) { btn.textContent = btn.dataset.failed; return; }
      var label = btn.textContent;
      btn.textContent = btn.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
        var datum = form.querySelector("[name=datum]");
        if (datum) { datum.value = "wgs84"; }
        btn.textContent = label;
      }, function () { btn.textContent = btn.dataset.failed; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  });
})();
