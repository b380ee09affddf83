/* Keyboard shortcuts for the review pages. No framework: the pages work without it.
   1-3 status, q-t artifact type, a-j domains, Enter save, n skip, u undo. */
(function () {
  "use strict";

  function typing(el) {
    var tag = el && el.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && el.type !== "radio" && el.type !== "checkbox");
  }

  var start = document.getElementById("start");
  var form = document.getElementById("review-form");
  var undo = document.getElementById("undo-form");
  var skip = document.getElementById("skip-form");

  function checked(name) {
    var el = form.querySelector('input[name="' + name + '"]:checked');
    return el ? el.value : "";
  }

  function sync() {
    var artifact = checked("status") === "artifact";
    var types = document.getElementById("type-fields");
    types.classList.toggle("off", !artifact);
    if (artifact && !checked("artifact_type")) {
      var suggested = form.getAttribute("data-suggested-type");
      var el = suggested && form.querySelector('input[name="artifact_type"][value="' + suggested + '"]');
      if (el) { el.checked = true; }
    }
  }

  function save() {
    var msg = document.getElementById("form-message");
    if (!checked("status")) {
      msg.textContent = "Choose a status first (1, 2 or 3).";
      msg.hidden = false;
      return;
    }
    if (checked("status") === "artifact" && !checked("artifact_type")) {
      msg.textContent = "An artifact needs a type (q, w, e, r or t).";
      msg.hidden = false;
      return;
    }
    form.submit();
  }

  if (form) {
    form.addEventListener("change", sync);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); save(); });
    sync();
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.metaKey) { return; }
    if (typing(ev.target)) {
      if (form && ev.key === "Enter" && ev.ctrlKey) { ev.preventDefault(); save(); }
      return;
    }
    if (ev.ctrlKey) { return; }
    if (ev.key === "u" && undo) { ev.preventDefault(); undo.submit(); return; }
    if (!form) {
      if (ev.key === "Enter" && start) { ev.preventDefault(); window.location.href = start.href; }
      return;
    }
    if (ev.key === "Enter") { ev.preventDefault(); save(); return; }
    if (ev.key === "n" && skip) { ev.preventDefault(); skip.submit(); return; }
    var input = form.querySelector('input[data-key="' + ev.key + '"]');
    if (!input || ev.key.length !== 1) { return; }
    ev.preventDefault();
    if (input.type === "checkbox") { input.checked = !input.checked; } else { input.checked = true; }
    sync();
  });
}());
