/*
 * Acuerdos · the meeting form (served from 'self': the CSP forbids inline code).
 *
 * Progressive: without JavaScript the participant list is a plain list of checkboxes and the
 * region shortcuts are read by the server. With it, the list is searchable (unit_picker.js) and a
 * region shortcut ticks the OOAD or UMAE of the chosen region at once.
 */
(function () {
  "use strict";

  function setup(form) {
    var picker = form.querySelector("[data-unit-picker]");
    if (!picker) return;
    var region = form.querySelector("select[name='region']");

    [["all_region_ooad", "ooad"], ["all_region_umae", "umae"]].forEach(function (pair) {
      var box = form.querySelector("input[name='" + pair[0] + "']");
      if (!box) return;
      box.addEventListener("change", function () {
        if (!region || !region.value) return;
        var selector = "[data-unit-option][data-kind='" + pair[1] + "'][data-region='" + region.value + "'] input";
        picker.querySelectorAll(selector).forEach(function (input) { input.checked = box.checked; });
        picker.dispatchEvent(new Event("change"));  // unit_picker.js counts them
      });
    });
  }

  document.querySelectorAll("[data-meeting-form]").forEach(setup);
})();
