// "Tick all" in the review list header ticks every suggestion on the page.
(function () {
  "use strict";
  var all = document.querySelector(".tick-all");
  if (!all) return;
  all.addEventListener("change", function () {
    var boxes = document.querySelectorAll("input[name=ids]");
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
  });
})();
