/*
 * Acuerdos · choosing commitments for a bulk change on the Compromisos list (served from 'self':
 * the CSP forbids inline code).
 *
 * In the `[data-bulk-form]`:
 * - `[data-bulk-page]`, "Seleccionar todos en esta página" (in the table header; on phones, where
 *   the header is hidden, a twin above the list), ticks or clears every row checkbox of the page;
 *   it shows checked, clear or mixed (indeterminate) as rows are ticked one by one;
 * - `[data-bulk-all]`, "Seleccionar todos los N que cumplen el filtro", wins over the rows: while
 *   it is on, the page's boxes show ticked and cannot be changed; turning it off gives back the
 *   rows as they were;
 * - `[data-bulk-count]` says what will be sent (a polite live region).
 * Results arrive through htmx (filters, pages), so everything is found again on each swap and
 * events are delegated. Without JavaScript the header box stays hidden and the rows and the
 * "todos los N" box work as plain checkboxes.
 */
(function () {
  "use strict";

  function parts(form) {
    return {
      pages: Array.prototype.slice.call(form.querySelectorAll("[data-bulk-page]")),
      all: form.querySelector("[data-bulk-all]"),
      count: form.querySelector("[data-bulk-count]"),
      rows: Array.prototype.slice.call(form.querySelectorAll("input[name='ids']")),
    };
  }

  function plural(n, one, many) {
    return n === 1 ? one : many.replace("%n", n);
  }

  function refresh(form) {
    var p = parts(form);
    var all = p.all && p.all.checked;
    var ticked = p.rows.filter(function (row) { return row.checked; }).length;
    p.pages.forEach(function (box) {
      box.disabled = all;
      box.checked = all || (ticked > 0 && ticked === p.rows.length);
      box.indeterminate = !all && ticked > 0 && ticked < p.rows.length;
    });
    if (p.count) {
      if (all) {
        var total = parseInt(p.all.getAttribute("data-bulk-total"), 10) || 0;
        p.count.textContent = plural(
          total,
          "Se elegirá el compromiso que cumple el filtro.",
          "Se elegirán los %n compromisos que cumplen el filtro."
        );
      } else {
        p.count.textContent = ticked === 0
          ? "Ningún compromiso marcado."
          : plural(ticked, "1 compromiso marcado en esta página.", "%n compromisos marcados en esta página.");
      }
    }
  }

  function onAll(form) {
    var p = parts(form);
    p.rows.forEach(function (row) {
      if (p.all.checked) {
        row.setAttribute("data-bulk-was", row.checked ? "1" : "0");
        row.checked = true;
        row.disabled = true;
      } else {
        row.checked = row.getAttribute("data-bulk-was") === "1";
        row.removeAttribute("data-bulk-was");
        row.disabled = false;
      }
    });
  }

  function setup(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var forms = scope.matches && scope.matches("[data-bulk-form]")
      ? [scope]
      : scope.querySelectorAll("[data-bulk-form]");
    Array.prototype.forEach.call(forms, function (form) {
      Array.prototype.forEach.call(form.querySelectorAll("[data-bulk-js]"), function (el) {
        el.hidden = false;
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-bulk-nojs]"), function (el) {
        el.hidden = true;
      });
      var all = form.querySelector("[data-bulk-all]");
      if (all && all.checked) onAll(form);
      refresh(form);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target && target.closest ? target.closest("[data-bulk-form]") : null;
    if (!form) return;
    if (target.matches("[data-bulk-page]")) {
      parts(form).rows.forEach(function (row) { row.checked = target.checked; });
    } else if (target.matches("[data-bulk-all]")) {
      onAll(form);
    }
    refresh(form);
  });

  // The browser may restore ticked boxes on "back": start from what the page shows.
  window.addEventListener("pageshow", function () { setup(document); });
  document.body.addEventListener("htmx:afterSettle", function (event) { setup(event.target); });
  setup(document);
})();
