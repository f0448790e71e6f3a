// Kiosk: a survey left half-filled (the citizen walked away) is cleared for the next one
// after the idle time given on the form. Without this script a longer meta refresh does it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-idle-seconds]");
  if (!form) return;
  var idle = parseInt(form.getAttribute("data-idle-seconds"), 10) * 1000;
  var timer = null;
  function touched() {
    return Array.prototype.some.call(form.elements, function (el) {
      if (el.type === "hidden" || el.name === "website") return false;
      if (el.type === "radio" || el.type === "checkbox") return el.checked;
      return (el.value || "") !== "";
    });
  }
  function reset() {
    if (touched()) window.location.replace(form.getAttribute("data-reset-url"));
    else arm();
  }
  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(reset, idle);
  }
  ["input", "change", "keydown", "pointerdown", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true });
  });
  arm();
})();
