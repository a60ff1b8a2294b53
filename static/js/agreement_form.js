/*
 * Acuerdos · the agreement and commitment forms (served from 'self': the CSP forbids inline code).
 *
 * Progressive: without JavaScript every section is shown, blank milestone rows are offered and
 * the region shortcuts are plain checkboxes read by the server. With it, only the chosen target
 * kind is shown, milestone rows are added and removed, the unit lists are searchable (unit_picker.js), and a
 * region shortcut ticks (and locks) the units it stands for.
 */
(function () {
  "use strict";

  function number(text) {
    var value = parseFloat(String(text).replace(",", "."));
    return isFinite(value) && value > 0 ? value : 0;
  }

  function setupTargetKind(form) {
    var radios = form.querySelectorAll("input[name='target_kind']");
    var panels = form.querySelectorAll("[data-target-panel]");
    if (!radios.length) return;
    function show() {
      var chosen = form.querySelector("input[name='target_kind']:checked");
      var kind = chosen ? chosen.value : "percent";
      panels.forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-target-panel") !== kind;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  }

  function setupMilestones(form) {
    var box = form.querySelector("[data-milestones]");
    if (!box) return;
    var list = box.querySelector("[data-milestone-rows]");
    var template = box.querySelector("[data-milestone-template]");
    var add = box.querySelector("[data-milestone-add]");
    var total = box.querySelector("[data-milestone-total]");
    var counter = list.children.length;

    function refresh() {
      var rows = list.querySelectorAll("[data-milestone-row]");
      var sum = 0;
      function named(row) { return row.querySelector("input[name='m-name']").value.trim() !== ""; }
      rows.forEach(function (row) {
        if (named(row)) sum += number(row.querySelector("input[name='m-weight']").value);
      });
      rows.forEach(function (row, index) {
        row.querySelector("[data-row-number]").textContent = String(index + 1);
        var weight = number(row.querySelector("input[name='m-weight']").value);
        row.querySelector("[data-share]").textContent = sum && named(row) ? "(" + Math.round((weight / sum) * 1000) / 10 + " %)" : "";
        var remove = row.querySelector("[data-milestone-remove]");
        remove.hidden = false;
        remove.disabled = rows.length === 1;
      });
      total.textContent = total.getAttribute("data-label") + " " + (Math.round(sum * 100) / 100);
    }

    function addRow() {
      counter += 1;
      var html = template.innerHTML.replace(/__n__/g, "n" + counter);
      list.insertAdjacentHTML("beforeend", html);
      var row = list.lastElementChild;
      refresh();
      row.querySelector("input[name='m-name']").focus();
    }

    total.setAttribute("data-label", total.textContent.replace(/[\d.,\s]+$/, ""));
    add.hidden = false;
    add.addEventListener("click", addRow);
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-milestone-remove]");
      if (!button) return;
      var row = button.closest("[data-milestone-row]");
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      refresh();
      if (next) next.querySelector("input[name='m-name']").focus(); else add.focus();
    });
    list.addEventListener("input", refresh);
    refresh();
  }

  function setupShortcuts(form) {
    var holder = form.querySelector("[data-region-id]");
    if (!holder) return;
    var region = holder.getAttribute("data-region-id");
    [["all_region_ooad", "ooad"], ["all_region_umae", "umae"]].forEach(function (pair) {
      var box = form.querySelector("input[name='" + pair[0] + "']");
      if (!box) return;
      var selector = "[data-unit-option][data-kind='" + pair[1] + "'][data-region='" + region + "'] input";
      function apply(initial) {
        holder.querySelectorAll(selector).forEach(function (input) {
          if (box.checked) {
            input.checked = true;
          } else if (!initial) {
            input.checked = false;
          }
          input.disabled = box.checked;  // the shortcut stands for them on the server
        });
        holder.querySelector("[data-unit-picker]").dispatchEvent(new Event("change"));
      }
      box.addEventListener("change", function () { apply(false); });
      apply(true);
    });
  }

  // A refused form: keyboard and screen-reader users land on the summary, whose links lead to
  // each field with an error.
  var summary = document.querySelector(".ac-error-summary");
  if (summary && document.querySelector("[data-agreement-form]")) summary.focus();

  document.querySelectorAll("[data-agreement-form]").forEach(function (form) {
    setupTargetKind(form);
    setupMilestones(form);
    setupShortcuts(form);
  });
})();
