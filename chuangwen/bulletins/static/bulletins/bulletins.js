// The generation progress bar: poll the status route while a job is queued or running, then
// reload the page so the figures, texts and download links show the new documents.
(function () {
  "use strict";
  var box = document.getElementById("bulletin-job");
  if (!box) return;
  var busy = function (state) { return state === "queued" || state === "running"; };
  if (!busy(box.dataset.state)) return;
  var bar = box.querySelector("[data-bar]");
  var percent = box.querySelector("[data-percent]");
  var stage = box.querySelector("[data-stage]");
  var error = box.querySelector("[data-error]");
  var errorText = box.querySelector("[data-error-text]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        bar.style.width = s.progress + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", s.progress);
        percent.textContent = s.progress + "%";
        if (s.stage) stage.textContent = s.stage;
        if (s.job_state === "failed") {
          bar.classList.remove("progress-bar-animated", "progress-bar-striped");
          bar.classList.add("bg-danger");
          errorText.textContent = s.error;
          error.hidden = false;
          return;
        }
        if (s.job_state === "done") { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
