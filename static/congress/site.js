// Forms with data-confirm ask before submitting (no inline scripts, so a strict CSP can apply).
document.addEventListener("submit", function (event) {
  var message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
