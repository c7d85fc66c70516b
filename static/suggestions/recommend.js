// The assignment form's recommended units: "Make it the lead unit" chooses that unit in the form's lead list
// (and the lead-unit way of assigning), so staff still see and send the form themselves. Without this script
// the recommendation is read and the unit chosen by hand; the server checks the unit either way.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-lead-unit]");
    if (!button) return;
    var panel = button.closest("details") || document;
    var form = panel.querySelector("form");
    if (!form) return;
    var lead = form.querySelector('select[name$="lead"]');
    if (!lead) return;
    lead.value = button.dataset.leadUnit;
    lead.dispatchEvent(new Event("change", { bubbles: true }));
    var mode = form.querySelector('input[type="radio"][value="lead"]');
    if (mode) {
      mode.checked = true;
      mode.dispatchEvent(new Event("change", { bubbles: true }));
    }
    lead.focus();
  });
})();
