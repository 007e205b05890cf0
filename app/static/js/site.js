/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // After a failed submit, take keyboard and screen-reader users to the list of problems.
  var summary = document.querySelector("[data-focus]");
  if (summary) summary.focus();

  // A double tap sends a form once: while the first answer is on its way (slow mobile data),
  // a second submit is ignored. After 10 seconds a new tap sends again, as a retry.
  Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (form) {
    var sentAt = 0;
    form.addEventListener("submit", function (e) {
      var now = Date.now();
      if (now - sentAt < 10000) {
        e.preventDefault();
        return;
      }
      sentAt = now;
    });
    window.addEventListener("pageshow", function () { sentAt = 0; });
  });

  function norm(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  // The « where do you live » picker: the text box becomes a type-ahead (ARIA 1.2 combobox)
  // over the options of the grouped select, which is hidden but still carries the value.
  function enhancePicker(box) {
    var input = box.querySelector("input[type=text]");
    var listWrap = box.querySelector("[data-place-list]");
    var select = listWrap.querySelector("select");
    var items = [];
    Array.prototype.forEach.call(select.options, function (o) {
      if (!o.value) return;
      var other = o.value === "elsewhere" || o.value === "undisclosed";
      var group = other ? "" : o.parentNode.label || "";
      items.push({ value: o.value, text: o.textContent.trim(), group: group, other: other,
        key: norm(o.textContent + " " + group) });
    });
    listWrap.hidden = true;

    var combo = document.createElement("div");
    combo.className = "combo";
    input.parentNode.insertBefore(combo, input);
    combo.appendChild(input);
    var listbox = document.createElement("ul");
    listbox.id = input.id + "-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-labelledby", input.id + "-label");
    listbox.hidden = true;
    combo.appendChild(listbox);
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    combo.appendChild(live);
    var label = box.querySelector("label[for='" + input.id + "']");
    if (label) label.id = input.id + "-label";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var shown = [], active = -1;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var nodes = listbox.children;
      if (active >= 0 && nodes[active]) nodes[active].setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && nodes[i]) {
        nodes[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", nodes[i].id);
        nodes[i].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(item) {
      select.value = item.value;
      input.value = item.text;
      close();
      live.textContent = item.text;
    }

    function render() {
      var q = norm(input.value);
      listbox.textContent = "";
      shown = [];
      if (q) {
        var places = items.filter(function (it) { return !it.other && it.key.indexOf(q) >= 0; });
        shown = places.slice(0, 30).concat(items.filter(function (it) { return it.other; }));
      }
      shown.forEach(function (it, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = it.text;
        if (it.group) {
          var small = document.createElement("small");
          small.textContent = it.group;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(it); });
        listbox.appendChild(li);
      });
      active = -1;
      listbox.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
      var found = shown.filter(function (it) { return !it.other; }).length;
      live.textContent = q ? (found ? box.dataset.msgCount.replace("{n}", found) : box.dataset.msgNone) : "";
    }

    input.addEventListener("input", function () { select.value = ""; render(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (listbox.hidden) render();
        highlight(Math.min(active + 1, shown.length - 1));
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && !listbox.hidden && active >= 0) {
        e.preventDefault();
        choose(shown[active]);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-place-picker]"), enhancePicker);

  // Live conditions on a questionnaire page: a question revealed by an answer on the same page
  // appears at once, and a list filtered by an earlier answer follows it. The rules come from
  // the server as data (never code); the server decides again when the page is sent.
  var form = document.querySelector(".survey-form");
  if (!form) return;
  var live = Array.prototype.map.call(form.querySelectorAll("[data-live]"), function (el) {
    return { el: el, rule: JSON.parse(el.getAttribute("data-live")) };
  });
  if (!live.length) return;

  function values(name) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (f) {
      if (f.name !== name) return;
      if (f.type === "radio" || f.type === "checkbox") {
        if (f.checked) out.push(f.value);
      } else if (f.value !== "") {
        out.push(f.value);
      }
    });
    return out;
  }
  function same(a, op, b) {
    if (/^[sc]:/.test(a) && typeof b === "string") {  // a place: NIS, section or kind
      a = b.length === 5 ? a.slice(2, 7) : b.length === 6 ? a.slice(2) : a;
    } else if (typeof b === "number") {
      a = parseFloat(String(a).replace(",", "."));
      if (isNaN(a)) return false;
    } else if (typeof b === "boolean") {
      a = a === "yes" ? true : a === "no" ? false : a;
    }
    switch (op) {
      case "==": return a === b;
      case "!=": return a !== b;
      case "<": return a < b;
      case "<=": return a <= b;
      case ">": return a > b;
      default: return a >= b;
    }
  }
  function test(r) {
    if (r.and) return r.and.every(test);
    if (r.or) return r.or.some(test);
    if (r.not) return !test(r.not);
    if (r.answered) return values(r.row ? r.answered + "-" + r.row : r.answered).length > 0;
    if (r.count) return same(values(r.count).length, r.cmp, r.v);
    var found = values(r.row ? r.q + "-" + r.row : r.q);
    if (!found.length) return false;
    var list = form.querySelector("input[type=checkbox][name='" + r.q + "']");
    if (r["in"] || r.notin) {
      var hit = found.some(function (v) {
        return (r["in"] || r.notin).some(function (w) { return same(v, "==", w); });
      });
      return r["in"] ? hit : !hit;
    }
    if (list) return r.cmp === "==" ? found.indexOf(r.v) >= 0 : r.cmp === "!=" && found.indexOf(r.v) < 0;
    return same(found[0], r.cmp, r.v);
  }
  function update() {
    live.forEach(function (item) {
      var show = !item.rule.show_if || test(item.rule.show_if);
      if (show && item.rule.choices_from) {
        var picked = values(item.rule.choices_from), offered = 0;
        Array.prototype.forEach.call(item.el.querySelectorAll("input, option"), function (o) {
          if (o.type === "text" || !o.value) return;
          var keep = picked.indexOf(o.value) >= 0;
          (o.tagName === "OPTION" ? o : o.closest("label") || o).hidden = !keep;
          if (keep) offered++;
        });
        show = offered > 0;
      }
      item.el.hidden = !show;
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
