/*
 * Acuerdos · the evidence file box in Spanish, with the list of chosen files.
 *
 * The browser's own file input speaks the browser's language ("Choose Files", "2 files") and
 * hides the names. When this script runs, `[data-file-picker]` shows a Spanish button and the
 * name and size of every chosen file, flagging the ones over the size limit before sending.
 * Without it, the native input still works. Served from 'self' (the CSP forbids inline code).
 */
(function () {
  "use strict";

  function size(bytes) {
    if (bytes >= 1024 * 1024) {
      return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "") + " MB";
    }
    if (bytes >= 1024) {
      return Math.max(1, Math.round(bytes / 1024)) + " KB";
    }
    return bytes + " bytes";
  }

  function enhance(picker) {
    var input = picker.querySelector('input[type="file"]');
    var button = picker.querySelector("[data-file-button]");
    var list = picker.querySelector("[data-file-list]");
    if (!input || !button || !list) {
      return;
    }
    var limit = parseInt(picker.getAttribute("data-max-bytes") || "0", 10);
    var none = picker.getAttribute("data-none") || "";
    var tooBig = picker.getAttribute("data-too-big") || "";
    picker.classList.add("is-enhanced");
    button.hidden = false;
    list.hidden = false;

    function render() {
      list.textContent = "";
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) {
        var empty = document.createElement("li");
        empty.className = "ac-chosen-none";
        empty.textContent = none;
        list.appendChild(empty);
        return;
      }
      files.forEach(function (file) {
        var item = document.createElement("li");
        var name = document.createElement("span");
        name.className = "ac-chosen-name";
        name.textContent = file.name;
        var meta = document.createElement("span");
        meta.className = "ac-meta";
        meta.textContent = " · " + size(file.size);
        item.appendChild(name);
        item.appendChild(meta);
        if (limit && file.size > limit) {
          item.className = "is-too-big";
          var warning = document.createElement("span");
          warning.className = "d-block";
          warning.textContent = tooBig;
          item.appendChild(warning);
        }
        list.appendChild(item);
      });
    }

    input.addEventListener("change", render);
    render();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-file-picker]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
