/*
 * Acuerdos · the meeting form (served from 'self': the CSP forbids inline code).
 *
 * Progressive: without JavaScript the participant list is a plain list of checkboxes and the
 * region shortcuts are read by the server. With it, the list is searchable (accents and case
 * ignored) and a region shortcut ticks the OOAD or UMAE of the chosen region at once.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setup(form) {
    var picker = form.querySelector("[data-unit-picker]");
    if (!picker) return;
    var filter = picker.querySelector("[data-unit-filter]");
    var options = picker.querySelectorAll("[data-unit-option]");
    var none = picker.querySelector("[data-unit-none]");
    var count = picker.querySelector("[data-unit-count]");
    var region = form.querySelector("select[name='region']");

    function counted() {
      var checked = picker.querySelectorAll("[data-unit-option] input:checked").length;
      count.textContent = checked === 1 ? "1 unidad elegida." : checked + " unidades elegidas.";
    }

    filter.hidden = false;
    filter.addEventListener("input", function () {
      var term = fold(filter.value.trim());
      var shown = 0;
      options.forEach(function (option) {
        var match = !term || fold(option.textContent).indexOf(term) !== -1;
        option.hidden = !match;
        if (match) shown += 1;
      });
      none.hidden = shown !== 0;
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });

    [["all_region_ooad", "ooad"], ["all_region_umae", "umae"]].forEach(function (pair) {
      var box = form.querySelector("input[name='" + pair[0] + "']");
      if (!box) return;
      box.addEventListener("change", function () {
        if (!region || !region.value) return;
        var selector = "[data-unit-option][data-kind='" + pair[1] + "'][data-region='" + region.value + "'] input";
        picker.querySelectorAll(selector).forEach(function (input) { input.checked = box.checked; });
        counted();
      });
    });
    picker.addEventListener("change", counted);
    counted();
  }

  document.querySelectorAll("[data-meeting-form]").forEach(setup);
})();
