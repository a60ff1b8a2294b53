/*
 * Acuerdos · a long form survives the end of the session (SECURITY.md, issue 3 point 8).
 *
 * A form marked `data-autosave="<key>"` keeps what is typed in its text boxes and check boxes in
 * the browser's localStorage as the person types (never files, hidden fields or the CSRF token).
 * When the form is opened again — typically after logging in again because the session expired —
 * the saved text is put back and `[data-autosave-notice]` says so, with a button to discard it.
 * A page that confirms a successful save carries `data-autosave-clear="<key>"` and the copy is
 * removed. The key names the person and the commitment, so a shared computer never offers one
 * person's text to another; copies older than MAX_AGE_DAYS are dropped.
 *
 * Served from 'self' (the CSP forbids inline code); no dependencies.
 */
(function () {
  "use strict";

  var VERSION = 1;
  var MAX_AGE_DAYS = 7;
  var PREFIX = "acuerdos:";

  function getStorage() {
    try {
      var storage = window.localStorage;
      var probe = PREFIX + "probe";
      storage.setItem(probe, "1");
      storage.removeItem(probe);
      return storage;
    } catch (error) {
      return null; // private mode or storage disabled: the form still works, just without copies
    }
  }

  var storage = getStorage();
  if (!storage) {
    return;
  }

  function read(key) {
    try {
      var saved = JSON.parse(storage.getItem(key) || "null");
      if (!saved || saved.v !== VERSION || typeof saved.fields !== "object") {
        return null;
      }
      if (Date.now() - saved.savedAt > MAX_AGE_DAYS * 24 * 3600 * 1000) {
        storage.removeItem(key);
        return null;
      }
      return saved;
    } catch (error) {
      storage.removeItem(key);
      return null;
    }
  }

  function dropStale() {
    for (var index = storage.length - 1; index >= 0; index -= 1) {
      var key = storage.key(index);
      if (key && key.indexOf(PREFIX) === 0) {
        read(key);
      }
    }
  }

  function kept(element) {
    if (!element.name || element.disabled || element.name === "csrfmiddlewaretoken") {
      return false;
    }
    var type = (element.type || "").toLowerCase();
    return ["file", "hidden", "password", "submit", "button", "reset", "image"].indexOf(type) === -1;
  }

  function snapshot(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        fields[element.name] = fields[element.name] || [];
        if (element.checked) {
          fields[element.name].push(element.value);
        }
      } else {
        fields[element.name] = element.value;
      }
    });
    return fields;
  }

  function apply(form, fields) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element) || !Object.prototype.hasOwnProperty.call(fields, element.name)) {
        return;
      }
      var value = fields[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
      } else if (typeof value === "string") {
        element.value = value;
      }
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function hasText(fields) {
    return Object.keys(fields).some(function (name) {
      var value = fields[name];
      return Array.isArray(value) ? value.length > 0 : String(value).trim() !== "";
    });
  }

  function setUp(form) {
    var key = PREFIX + form.getAttribute("data-autosave").replace(/^acuerdos:/, "");
    var original = snapshot(form);
    var saved = read(key);
    var notice = document.querySelector("[data-autosave-notice]");

    if (saved && hasText(saved.fields) && !same(saved.fields, original)) {
      apply(form, saved.fields);
      if (notice) {
        notice.hidden = false;
        var discard = notice.querySelector("[data-autosave-discard]");
        if (discard) {
          discard.addEventListener("click", function () {
            apply(form, original);
            storage.removeItem(key);
            notice.hidden = true;
          });
        }
      }
    }

    var timer = null;
    function save() {
      timer = null;
      var fields = snapshot(form);
      if (same(fields, original) && !read(key)) {
        return; // nothing typed yet: keep no copy
      }
      try {
        storage.setItem(key, JSON.stringify({ v: VERSION, savedAt: Date.now(), fields: fields }));
      } catch (error) {
        /* storage full: the form still posts normally */
      }
    }
    function later() {
      if (timer) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(save, 300);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    // Saved right before posting: if the session has expired, the text is still here.
    form.addEventListener("submit", save);
  }

  function clearConfirmed() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-autosave-clear]"), function (marker) {
      var name = marker.getAttribute("data-autosave-clear");
      if (name) {
        storage.removeItem(PREFIX + name.replace(/^acuerdos:/, ""));
      }
    });
  }

  function start() {
    dropStale();
    clearConfirmed();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
