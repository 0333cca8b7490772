// The volunteer's phone after scanning an activity's QR code: remember the name and phone on
// this phone, and add the position (GPS) to a sign-in or sign-out before the form is sent.
// No inline scripts (CSP); texts come translated in data-msg-* attributes.
(function () {
  "use strict";
  var form = document.querySelector("[data-volunteer-sign]");
  if (!form) { return; }
  var nameInput = form.querySelector("[name=name]");
  var phoneInput = form.querySelector("[name=phone]");
  var status = form.querySelector("[data-sign-status]");
  try {
    if (nameInput && !nameInput.value) { nameInput.value = localStorage.getItem("cw-volunteer-name") || ""; }
    if (phoneInput && !phoneInput.value) { phoneInput.value = localStorage.getItem("cw-volunteer-phone") || ""; }
  } catch (e) { /* private mode: nothing remembered */ }
  var sending = false;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    try {
      localStorage.setItem("cw-volunteer-name", nameInput.value);
      localStorage.setItem("cw-volunteer-phone", phoneInput.value);
    } catch (e) { /* ignore */ }
    if (sending || !button || button.value === "sign_up" || !navigator.geolocation) { return; }
    event.preventDefault();
    sending = true;
    if (status) { status.textContent = form.getAttribute("data-msg-locating"); }
    var action = document.createElement("input");
    action.type = "hidden"; action.name = "action"; action.value = button.value;
    form.appendChild(action);
    navigator.geolocation.getCurrentPosition(
      function (p) {
        form.querySelector("[name=lat]").value = p.coords.latitude;
        form.querySelector("[name=lng]").value = p.coords.longitude;
        form.submit();
      },
      function () { form.submit(); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
    );
  });
})();
