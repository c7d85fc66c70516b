// Forms with data-confirm ask before submitting (no inline scripts, so a strict CSP can apply).
document.addEventListener("submit", function (event) {
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
