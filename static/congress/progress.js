// Polls a job's progress URL and updates the bar; reloads the page when the job settles.
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var bar = box.querySelector("progress"), label = box.querySelector(".progress-label");
  var running = (box.dataset.running || "").split(",");
  function tick() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.value = job.percent;
        label.textContent = job.status_label + " · " + job.processed + " / " + job.total + " (" + job.percent + "%)";
        if (running.indexOf(job.status) >= 0) { setTimeout(tick, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  if (running.indexOf(box.dataset.status) >= 0) tick();
})();
