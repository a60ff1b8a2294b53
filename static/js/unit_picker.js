/*
 * Acuerdos · the searchable list of catalog units (served from 'self': the CSP forbids inline code).
 *
 * Every `[data-unit-picker]` on the page: its search box filters the options (accents and case
 * ignored; Enter never submits) and the count under it says how many units are chosen. Scripts
 * that tick options themselves dispatch a `change` event on the picker to update the count.
 * Without JavaScript the list is a plain list of checkboxes.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setup(picker) {
    var filter = picker.querySelector("[data-unit-filter]");
    var options = picker.querySelectorAll("[data-unit-option]");
    var none = picker.querySelector("[data-unit-none]");
    var count = picker.querySelector("[data-unit-count]");

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
    picker.addEventListener("change", counted);
    counted();
  }

  document.querySelectorAll("[data-unit-picker]").forEach(setup);
})();
