// Drafts save themselves: every 10 seconds when something changed, and whenever a field loses focus.
// The first save creates the draft; the form then points at that draft, so Save and Submit never make a second.
// Without this script the form still works with its Save draft and Submit buttons.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector(".autosave-status");
  var idField = form.querySelector("input[name=suggestion]");
  var dirty = false;
  var busy = false;
  var again = false;
  var heldSubmitter = null;

  function payload() {
    var data = new FormData(form);
    data.delete("files"); // attachments travel with Save draft or Submit, not every few seconds
    return data;
  }

  function show(text) {
    if (status) status.textContent = text;
  }

  function finish() {
    busy = false;
    if (heldSubmitter) {
      var submitter = heldSubmitter;
      heldSubmitter = null;
      if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
      return;
    }
    if (again) {
      again = false;
      save();
    }
  }

  function save() {
    if (!dirty) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    dirty = false;
    fetch(form.dataset.autosave, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (result.ok) {
          if (!idField.value) {
            idField.value = result.body.id;
            form.action = result.body.edit_url;
            if (window.history.replaceState) window.history.replaceState(null, "", result.body.edit_url);
          }
          show(result.body.message);
        } else {
          dirty = true;
          var errors = result.body.errors || {};
          var first = Object.keys(errors)[0];
          show(form.dataset.failed + (first ? " " + errors[first][0] : ""));
        }
      })
      .catch(function () {
        dirty = true;
        show(form.dataset.failed);
      })
      .then(finish);
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("focusout", save);
  form.addEventListener("submit", function (event) {
    if (busy && !idField.value) {
      // The first autosave is still creating the draft: submit to it once it exists.
      event.preventDefault();
      heldSubmitter = event.submitter || null;
      return;
    }
    dirty = false;
  });
  window.setInterval(save, 10000);
})();
