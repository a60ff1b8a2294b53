/*
 * Acuerdos · the follow-up review screen (served from 'self': the CSP forbids inline code).
 *
 * After htmx saves a decision and swaps that agreement in place, the keyboard moves on: focus
 * goes to the next agreement's "Decisión" box (or, after an error, to the first field with an
 * error), so the coordinator steps through the agenda without reaching for the mouse.
 */
(function () {
  "use strict";

  document.body.addEventListener("htmx:afterSettle", function () {
    var saved = document.querySelector("[data-review-saved]");
    var failed = document.querySelector("[data-review-failed]");
    var active = document.activeElement;
    var idle = !active || active === document.body;
    if (saved) {
      saved.removeAttribute("data-review-saved");
      // A slow answer must not pull the focus away from where the person has moved on to.
      if (!idle && !saved.contains(active)) return;
      var item = saved.closest("li");
      var next = item && item.nextElementSibling;
      while (next && !next.querySelector("[data-review-open]")) next = next.nextElementSibling;
      var target = next ? next.querySelector("select") : saved.querySelector("summary");
      if (target) target.focus();
    } else if (failed) {
      failed.removeAttribute("data-review-failed");
      if (!idle && !failed.contains(active)) return;
      var field = failed.querySelector(".is-invalid, .alert-danger");
      if (field) {
        if (!field.matches("input, select, textarea")) field.setAttribute("tabindex", "-1");
        field.focus();
      }
    }
  });
})();
