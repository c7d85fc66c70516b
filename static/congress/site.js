// Forms with data-confirm ask before submitting (no inline scripts, so a strict CSP can apply); a button marked
// data-skip-confirm (a draft to download) submits without asking.
document.addEventListener("submit", function (event) {
  if (event.submitter && event.submitter.hasAttribute("data-skip-confirm")) return;
  var message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// A select marked data-autosubmit submits its form when changed (the language switch, list filters).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.form && field.hasAttribute && field.hasAttribute("data-autosubmit")) field.form.submit();
});

// A button marked data-print prints the page.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});

// A refused form's summary takes the focus (its autofocus attribute, here for browsers that skip it), and a
// link in it moves the focus to its field, not only the view.
(function () {
  var summary = document.querySelector(".error-summary");
  if (summary && document.activeElement === document.body) summary.focus();
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    var panel = field.closest("details");
    if (panel) panel.open = true;
    if (field.hidden) field = field.parentElement.querySelector("input[type=search]") || field;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();
