// The co-signer picker: search colleagues by name, see each one's region and unit (two deputies may share a
// name), and keep the chosen ones as removable chips. The form still posts the list it hides, so without this
// script the list itself is the choice, and the rules stay the server's.
(function () {
  "use strict";
  if (!window.fetch) return;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function setUp(picker) {
    var select = document.getElementById(picker.dataset.select);
    if (!select) return;
    var input = picker.querySelector("input[type=search]");
    var status = picker.querySelector(".cosigner-status");
    var results = picker.querySelector(".cosigner-results");
    var chips = picker.querySelector(".cosigner-chips");
    var timer = null;
    var asked = "";

    function option(id) {
      return select.querySelector('option[value="' + String(id) + '"]');
    }

    function changed() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
      showChips();
    }

    function showChips() {
      chips.replaceChildren();
      Array.prototype.forEach.call(select.selectedOptions, function (chosen) {
        var item = document.createElement("li");
        item.className = "chip";
        item.appendChild(text("span", chosen.textContent, "chip-label"));
        var remove = text("button", "×", "chip-remove");
        remove.type = "button";
        remove.setAttribute("aria-label", picker.dataset.remove.replace("{name}", chosen.textContent));
        remove.addEventListener("click", function () {
          chosen.selected = false;
          changed();
          input.focus();
        });
        item.appendChild(remove);
        chips.appendChild(item);
      });
      chips.previousElementSibling.hidden = select.selectedOptions.length === 0;
    }

    function showResults(found) {
      results.replaceChildren();
      found.forEach(function (deputy) {
        var choice = option(deputy.id);
        if (!choice) return; // only what the form itself offers
        var button = document.createElement("button");
        button.type = "button";
        button.className = "cosigner-result";
        button.appendChild(text("span", deputy.name, "name"));
        var details = [deputy.region, deputy.unit].filter(Boolean).join(" · ");
        if (details) button.appendChild(text("span", details, "details"));
        if (choice.selected) {
          button.disabled = true;
          button.appendChild(text("span", picker.dataset.chosen, "tag"));
        }
        button.addEventListener("click", function () {
          choice.selected = true;
          changed();
          showResults(found);
          input.focus();
        });
        var item = document.createElement("li");
        item.appendChild(button);
        results.appendChild(item);
      });
      status.textContent = found.length ? picker.dataset.found.replace("{n}", found.length) : picker.dataset.none;
    }

    function search() {
      var wanted = input.value.trim();
      asked = wanted;
      if (!wanted) {
        results.replaceChildren();
        status.textContent = "";
        return;
      }
      var url = picker.dataset.search + "&q=" + encodeURIComponent(wanted);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (body) {
          if (asked === wanted) showResults(body.results);
        })
        .catch(function () {
          status.textContent = picker.dataset.failed;
        });
    }

    // Typing a name to search is not an edit of the draft: the autosave listens for the form's input events.
    input.addEventListener("input", function (event) {
      event.stopPropagation();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches; it does not submit the suggestion
        window.clearTimeout(timer);
        search();
      }
    });
    select.hidden = true;
    picker.hidden = false;
    showChips();
  }

  document.querySelectorAll(".cosigner-picker[data-search]").forEach(setUp);
})();
