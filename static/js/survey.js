// The survey works without this script. With it: after a refused submission, focus moves to
// the error summary so a screen reader reads it first, and each link of the summary shows its
// whole question (legend or label) with the focus on its first answer.
(function () {
  "use strict";
  var summary = document.querySelector(".survey-errors");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var input = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var box = input.closest("fieldset, .field");
    (box && box.querySelector("legend, label") || input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });
})();
