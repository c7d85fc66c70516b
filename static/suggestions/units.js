// The unit search (review list filter, bulk assignment): as the user types a unit's name, the units found in
// their reach are offered with their region (a province has many 教育局); the chosen one goes into the form's
// own list of ids, which this script hides. Without it the form finds the typed name when sent, and the server
// decides every id either way.
(function () {
  "use strict";
  if (!window.fetch) return;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function setUp(input) {
    var select = document.getElementById(input.dataset.select);
    if (!select) return;
    var multiple = Boolean(input.dataset.multiple);
    var anchor = input.closest("label") || input.closest(".field") || input;
    var box = document.createElement("div");
    box.className = "unit-search";
    var status = text("p", "", "unit-search-status muted");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var results = document.createElement("ul");
    results.className = "unit-search-results";
    results.id = input.id + "_results";
    input.setAttribute("aria-controls", results.id);
    var chips = document.createElement("ul");
    chips.className = "unit-search-chips";
    box.appendChild(status);
    box.appendChild(results);
    if (multiple) box.appendChild(chips);
    anchor.insertAdjacentElement("afterend", box);
    var timer = null;
    var asked = "";

    function option(unit) {
      var found = select.querySelector('option[value="' + String(unit.id) + '"]');
      if (!found) {
        found = new Option(unit.label, String(unit.id));
        select.appendChild(found);
      }
      return found;
    }

    function showChips() {
      chips.replaceChildren();
      Array.prototype.forEach.call(select.selectedOptions, function (chosen) {
        if (!chosen.value) return;
        var item = text("li", "", "chip");
        item.appendChild(text("span", chosen.textContent, "chip-label"));
        var remove = text("button", "×", "chip-remove");
        remove.type = "button";
        remove.setAttribute("aria-label", input.dataset.remove.replace("{name}", chosen.textContent));
        remove.addEventListener("click", function () {
          chosen.selected = false;
          showChips();
          input.focus();
        });
        item.appendChild(remove);
        chips.appendChild(item);
      });
    }

    function choose(unit) {
      var chosen = option(unit);
      if (multiple) {
        chosen.selected = true;
        input.value = "";
        showChips();
      } else {
        select.value = String(unit.id);
        input.value = unit.label;
      }
      results.replaceChildren();
      status.textContent = "";
      input.focus();
    }

    function showResults(found) {
      results.replaceChildren();
      found.forEach(function (unit) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "unit-search-result";
        button.appendChild(text("span", unit.name, "name"));
        button.appendChild(text("span", unit.region, "details"));
        button.addEventListener("click", function () {
          choose(unit);
        });
        var item = document.createElement("li");
        item.appendChild(button);
        results.appendChild(item);
      });
      status.textContent = found.length ? input.dataset.found.replace("{n}", found.length) : input.dataset.none;
    }

    function search() {
      var wanted = input.value.trim();
      asked = wanted;
      if (!wanted) {
        results.replaceChildren();
        status.textContent = "";
        return;
      }
      var url = input.dataset.search + "?q=" + encodeURIComponent(wanted);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (body) {
          if (asked === wanted) showResults(body.results);
        })
        .catch(function () {
          status.textContent = input.dataset.failed;
        });
    }

    input.addEventListener("input", function () {
      if (!multiple) select.value = ""; // a changed name no longer names the unit chosen before
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches; the form's own button sends it
        window.clearTimeout(timer);
        search();
      }
    });
    select.hidden = true;
    var label = select.closest("label") || document.querySelector('label[for="' + select.id + '"]');
    if (label) label.hidden = true;
    if (multiple) showChips();
  }

  document.querySelectorAll("input[data-search][data-select]").forEach(setUp);
})();
