// Starts ReDoc on /api/redoc/ (in a file, not inline, for the Content-Security-Policy). The page's nonce lets the
// <style> elements ReDoc injects through the policy.
(function () {
  var container = document.getElementById("redoc-container");
  if (!container || !window.Redoc) return;
  window.Redoc.init(container.dataset.specUrl, { nonce: container.dataset.nonce }, container);
})();
