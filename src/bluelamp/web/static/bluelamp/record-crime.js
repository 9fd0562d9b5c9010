/* Record a crime, with scripts: find the offence by its words, add people without a round trip,
   and offer people already known as their names are typed. Without scripts the page still
   works: the server offers likely records when the form is sent. No library, no network but
   our own API (/api/people/match, signed in by the session). */
(function () {
  "use strict";
  var form = document.getElementById("record-crime");
  if (!form) return;

  /* The offence: a search box that narrows the grouped list; the chosen offence described. */
  var select = document.getElementById("id_offence_code");
  var search = form.querySelector("[data-offence-search]");
  var described = form.querySelector("[data-offence-described]");
  var notes = JSON.parse((document.getElementById("offence-notes") || {}).textContent || "{}");
  if (select && search) {
    search.hidden = false;
    var filter = document.getElementById("offence-filter");
    var options = Array.prototype.slice.call(select.querySelectorAll("option"));
    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var first = null;
      options.forEach(function (option) {
        if (!option.value) return;
        var text = (option.textContent + " " + (notes[option.value] || "")).toLowerCase();
        var shown = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !shown;
        option.disabled = !shown;
        if (shown && !first) first = option;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (first && words.length && (!select.value || select.selectedOptions[0].hidden)) {
        select.value = first.value;
        describe();
      }
    });
    var describe = function () {
      described.textContent = select.value ? (notes[select.value] || "") : "";
    };
    select.addEventListener("change", describe);
    describe();
  }

  /* People: one fieldset per person (prefix party-N), added from the template. */
  var total = form.querySelector("input[name='party-TOTAL_FORMS']");
  var template = document.getElementById("party-template");
  var add = form.querySelector("[data-add-person]");
  if (add && template && total) {
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      add.parentNode.parentNode.insertBefore(row, add.parentNode);
      total.value = String(index + 1);
      setUp(row);
      row.querySelector("select, input:not([type=hidden])").focus();
    });
  }

  function field(row, name) {
    return row.querySelector("[name='" + row.id + "-" + name + "']");
  }

  function setUp(row) {
    var role = field(row, "role");
    var contact = row.querySelector("[data-victim-only]");
    var showContact = function () { contact.hidden = role.value !== "victim"; };
    role.addEventListener("change", showContact);
    showContact();
    var personId = field(row, "person_id");
    var label = row.querySelector("[data-chosen-label]");
    var matches = row.querySelector("[data-matches]");
    var timer = null;
    var shownChosen = function (text) {
      label.textContent = "";
      if (!personId.value) { label.hidden = true; return; }
      label.hidden = false;
      label.appendChild(document.createTextNode(text + " "));
      var change = document.createElement("button");
      change.type = "button";
      change.className = "link";
      change.textContent = "Change";
      change.addEventListener("click", function () {
        personId.value = "";
        shownChosen("");
        lookUp();
      });
      label.appendChild(change);
    };
    if (personId.value) shownChosen("Known person chosen (record " + personId.value + ").");
    var lookUp = function () {
      if (personId.value) return;
      var given = field(row, "given_names").value.trim();
      var family = field(row, "family_name").value.trim();
      if ((given + family).length < 3) { matches.textContent = ""; return; }
      var year = field(row, "dob_year").value.trim();
      var month = field(row, "dob_month").value.trim();
      var day = field(row, "dob_day").value.trim();
      var dob = year ? [year, month && ("0" + month).slice(-2), month && day && ("0" + day).slice(-2)]
        .filter(Boolean).join("-") : "";
      var query = new URLSearchParams({ given_names: given, family_name: family, dob: dob });
      fetch("/api/people/match?" + query.toString(), { credentials: "same-origin",
        headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
        .then(function (page) { offer(page.matches.slice(0, 5)); })
        .catch(function () { matches.textContent = ""; });
    };
    var offer = function (found) {
      matches.textContent = "";
      if (!found.length) return;
      var heading = document.createElement("p");
      heading.className = "hint";
      heading.textContent = "Already known? Choose them, or carry on typing to add someone new.";
      matches.appendChild(heading);
      var list = document.createElement("ul");
      list.className = "offers";
      found.forEach(function (match) {
        var item = document.createElement("li");
        var choose = document.createElement("button");
        choose.type = "button";
        choose.className = "secondary";
        var who = match.person.display_name + ", born " + (match.person.dob_text || "unknown");
        choose.textContent = "Choose " + who;
        var why = document.createElement("span");
        why.className = "hint";
        why.textContent = " " + Math.round(match.probability * 100) + "% likely: " +
          match.reasons.filter(function (r) { return r.weight > 0; })
            .map(function (r) { return r.level; }).join("; ");
        choose.addEventListener("click", function () {
          personId.value = String(match.person.id);
          matches.textContent = "";
          shownChosen("Chosen: " + who + " (record " + match.person.id + ").");
        });
        item.appendChild(choose);
        item.appendChild(why);
        list.appendChild(item);
      });
      matches.appendChild(list);
    };
    ["given_names", "family_name", "dob_day", "dob_month", "dob_year"].forEach(function (name) {
      field(row, name).addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(lookUp, 300);
      });
    });
  }
  Array.prototype.forEach.call(form.querySelectorAll("[data-party]"), setUp);

  var problems = document.getElementById("problems");
  if (problems) problems.focus();
})();
