/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // A page shown in the reply to a form (the thanks with a deletion code, a resume code) takes
  // a plain address: reloading it then asks nothing and shows the code no more.
  var address = document.querySelector("[data-address]");
  if (address && window.history.replaceState) {
    window.history.replaceState(null, "", address.getAttribute("data-address"));
  }

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

  // « Other, please specify »: the text box shows once « Other » is chosen, and is put aside
  // (not sent) while it is not. Without JavaScript it stays in view, its label saying it is for
  // « Other » only, and the server refuses a text sent without « Other ».
  Array.prototype.forEach.call(document.querySelectorAll("[data-other-choice]"), function (box) {
    var question = box.closest(".question") || box.parentNode;
    var input = box.querySelector("input, textarea");
    var name = box.getAttribute("data-other-for");
    var value = box.getAttribute("data-other-choice");
    function sync() {
      var chosen = Array.prototype.some.call(question.querySelectorAll("[name]"), function (f) {
        if (f.name !== name) return false;
        return f.tagName === "SELECT" ? f.value === value : f.checked && f.value === value;
      });
      box.hidden = !chosen;
      input.disabled = !chosen;
    }
    question.addEventListener("change", sync);
    window.addEventListener("pageshow", sync);  // ticks restored by the back button
    sync();
  });

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

/* One file for every page (one request on weak data): the parts below run only where their
   markup is (the place picker's [data-picker]; a shared tablet's body[data-kiosk-idle]). */

/* The « where do you live » picker, enhanced: progressive only, the page works without it.
 *
 * The text box becomes a type-ahead (ARIA 1.2 combobox) over the options of the grouped select,
 * which is hidden but still carries the value. It forgives as the server does
 * (app/territory/queries.py places_matching): accents, case, hyphens, apostrophes, « St »,
 * « s/ », a postcode with the name, and close spellings (« Philipeville »). It only suggests:
 * what is sent is decided by the server. « Elsewhere » and « I prefer not to say » stay in view
 * as two radio buttons below, and close the list's choice when ticked (and the other way round).
 */
(function () {
  "use strict";

  var SAME_WORD = { saint: "s", sainte: "s", st: "s", ste: "s", sur: "s", sr: "s", les: "lez",
    "2": "deux" };
  var PREFIX = 0.9, WITHIN = 0.85, OFFER = 0.6, SHOWN = 30;

  function norm(s) {
    return s.replace(/œ/g, "oe").replace(/Œ/g, "OE").replace(/æ/g, "ae").replace(/Æ/g, "AE")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function sound(words) {
    return words.split(" ").map(function (w) {
      w = w.replace(/c(?=[eiy])/g, "s").replace(/ph/g, "f").replace(/y/g, "i")
        .replace(/eau/g, "o").replace(/au/g, "o").replace(/ai/g, "e").replace(/ei/g, "e")
        .replace(/ch/g, "\u0000").replace(/h/g, "").replace(/\u0000/g, "ch")
        .replace(/(.)\1+/g, "$1");
      return w.length > 2 ? w.replace(/(e|es|ent|[sxzt]|ts|ds|d)$/, "") : w;
    }).join("");
  }

  function keys(text) {
    var words = norm(text).split(" ").map(function (w) {
      return SAME_WORD.hasOwnProperty(w) ? SAME_WORD[w] : w;
    }).join(" ").replace(/\b(nd|n d)\b/g, "notre dame");
    var compact = words.replace(/ /g, "");
    return { words: words, compact: compact, sound: sound(words) };
  }

  // Optimal string alignment distance (a swap of two letters is one slip), as a similarity.
  function similar(a, b) {
    var n = a.length, m = b.length;
    if (!n || !m) return 0;
    var d = [];
    for (var i = 0; i <= n; i++) { d[i] = [i]; }
    for (var j = 0; j <= m; j++) { d[0][j] = j; }
    for (i = 1; i <= n; i++) {
      for (j = 1; j <= m; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return 1 - d[n][m] / Math.max(n, m);
  }

  function startsOrHolds(typed, name) {
    if (name.words.indexOf(typed.words) === 0 || name.compact.indexOf(typed.compact) === 0) {
      return PREFIX;
    }
    return name.compact.indexOf(typed.compact) >= 0 ? WITHIN : 0;
  }

  // How near what was typed is to a place: 1 for its name, PREFIX or WITHIN for part of it,
  // else how close the spelling is (to its name, or its name with its commune's).
  function score(typed, q, item) {
    if (item.key.indexOf(q) >= 0) return item.key.indexOf(q) === 0 ? 1 : PREFIX;
    var best = startsOrHolds(typed, item.forms[0]);
    if (typed.compact.length < 3) return best;
    var n = typed.compact.length, name = item.forms[0].compact;
    if (n >= 5 && name.length > n) best = Math.max(best, similar(typed.compact, name.slice(0, n)) - 0.1);
    item.forms.forEach(function (k) {
      var s = similar(typed.sound, k.sound);
      best = Math.max(best, similar(typed.words, k.words), similar(typed.compact, k.compact),
        s === 1 ? 0.97 : s - 0.1);
    });
    if (item.commune) {
      // A commune's name misspelt (« Philipeville ») offers all its villages, just after it.
      var c = similar(typed.sound, item.commune.sound);
      best = Math.max(best, similar(typed.compact, item.commune.compact) - 0.05,
        c === 1 ? 0.92 : c - 0.15);
    }
    return best;
  }

  function enhance(box) {
    if (box.hasAttribute("data-enhanced")) return;
    box.setAttribute("data-enhanced", "");
    var input = box.querySelector("input[type=text]");
    var listWrap = box.querySelector("[data-place-list]");
    var select = listWrap.querySelector("select");
    var radios = box.querySelectorAll("input[type=radio]");
    var items = [];
    Array.prototype.forEach.call(select.options, function (o) {
      if (!o.value) return;
      var other = o.value === "elsewhere" || o.value === "undisclosed";
      var group = other ? "" : o.parentNode.label || "";
      var text = o.textContent.trim();
      var codes = (text.match(/\b\d{4}\b/g) || []);
      var name = o.value.indexOf("c:") === 0 ? group : text.replace(/\s*\([^)]*\)\s*$/, "");
      items.push({ value: o.value, text: text, group: group, other: other, codes: codes,
        key: norm(text + " " + group),
        forms: [keys(name), keys(name + " " + group), keys(group + " " + name)],
        commune: group ? keys(group) : null });
    });
    items.forEach(function (it) {  // a commune's postcodes: those of its villages
      if (it.value.indexOf("c:") !== 0) return;
      items.forEach(function (v) {
        if (v.group === it.group && v !== it) it.codes = it.codes.concat(v.codes);
      });
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

    // What a screen reader hears after each letter: how many places match (every one, not only
    // the 30 listed), in the page's plural (French, Dutch, German and English have one form for
    // 1 and one for more), and how to choose: with a finger on a touch screen, else the keys.
    var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    function found(n) {
      if (!n) return box.dataset.msgNone;
      var count = (n === 1 ? box.dataset.msgOne : box.dataset.msgMany).replace("{n}", n);
      return count + " " + (touch ? box.dataset.msgTouch : box.dataset.msgKeys);
    }

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

    function tick(value) {  // the radio buttons follow the choice (one answer at a time)
      Array.prototype.forEach.call(radios, function (r) { r.checked = r.value === value; });
    }

    function choose(item) {
      select.value = item.value;
      input.value = item.text;
      tick(item.value);
      close();
      live.textContent = item.text;
      select.dispatchEvent(new Event("change", { bubbles: true }));  // live conditions
    }

    function matches(text) {
      var words = norm(text).split(" ");
      var codes = words.filter(function (w) { return /^\d{4}$/.test(w); });
      var rest = words.filter(function (w) {
        return !/^\d{4}$/.test(w) && !(codes.length && /^(b|be|belgique|belgie|belgium)$/.test(w));
      }).join(" ");
      var q = norm(text), typed = keys(rest);
      var scored = [];
      items.forEach(function (it, i) {
        if (it.other) return;
        if (codes.length && !codes.some(function (c) { return it.codes.indexOf(c) >= 0; })) return;
        var s = !rest ? (it.value.indexOf("s:") === 0 ? 1 : 0) : score(typed, q, it);
        if (s >= (typed.compact.length < 3 && rest ? PREFIX : OFFER)) {
          scored.push({ item: it, score: s, at: i });
        }
      });
      scored.sort(function (a, b) { return b.score - a.score || a.at - b.at; });
      return scored.map(function (s) { return s.item; });
    }

    function render() {
      var q = norm(input.value);
      listbox.textContent = "";
      shown = [];
      var places = [];
      if (q) {
        places = matches(input.value);
        // « Elsewhere » and « I prefer not to say » are the two radio buttons always in view
        // below: offered here too, they read as two more, different answers.
        shown = places.slice(0, SHOWN);
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
      live.textContent = q ? found(places.length) : "";
    }

    input.addEventListener("input", function () { select.value = ""; tick(""); render(); });
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
    // A radio button ticked (« Elsewhere », « I prefer not to say », or a village offered after
    // a search): the select carries it too, and the text box says it.
    Array.prototype.forEach.call(radios, function (r) {
      r.addEventListener("change", function () {
        if (!r.checked) return;
        select.value = r.value;
        var item = items.filter(function (it) { return it.value === r.value; })[0];
        input.value = item && !item.other ? item.text : "";
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), enhance);
})();

/* Shared tablet (kiosk): after the idle delay without a touch or a key, warn, then start again
   for the next person. While the person is busy the server is told now and then, so that it does
   not forget them between two pages. Without this file the page reloads itself after the delay
   (a <noscript> refresh) and the server, seeing the delay passed, starts afresh. */
(function () {
  "use strict";
  var body = document.body;
  var idle = Number(body.getAttribute("data-kiosk-idle")) * 1000;
  var warning = Number(body.getAttribute("data-kiosk-warning")) * 1000;
  var pingUrl = body.getAttribute("data-kiosk-ping");
  var form = document.getElementById("next-person");
  var dialog = document.getElementById("kiosk-warning");
  if (!idle || !form) return;
  var token = form.querySelector("input[name=csrf_token]").value;
  // Timers run from the last time the server heard from this tablet: the page's own request
  // (the navigation's start, not when this script ran: a slow page must not gain time), then
  // each ping. « I am still here » is offered only while the server still knows the person,
  // with a few seconds kept for the network; the warning says the seconds that are left.
  var margin = 5000;
  var sinceStart = window.performance && performance.now ? performance.now() : 0;
  var lastPing = Date.now() - Math.min(sinceStart, 60000);
  var warnTimer, resetTimer;

  function startAgain() {
    form.submit();
  }

  function tooLate() {
    // A tablet put to sleep freezes the timers: on waking, the delay may be long past.
    return Date.now() - lastPing >= idle - margin;
  }

  function warn() {
    if (tooLate()) return startAgain();
    if (dialog && typeof dialog.showModal === "function" && !dialog.open) {
      dialog.showModal();
    }
    resetTimer = window.setTimeout(startAgain, Math.max(idle - margin - (Date.now() - lastPing), 0));
  }

  function arm() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(resetTimer);
    var warnAt = idle - margin - warning - (Date.now() - lastPing);
    warnTimer = window.setTimeout(warn, Math.max(warnAt, 0));
  }

  function ping() {
    lastPing = Date.now();
    arm();
    var data = new FormData();
    data.append("csrf_token", token);
    if (window.fetch) {
      window.fetch(pingUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (answer) {
          // The server had already forgotten the person: go where it sends (the start).
          if (answer.redirected) window.location.href = answer.url;
        });
    }
  }

  function activity(e) {
    if (dialog && dialog.open) return; // only « I am still here » closes the warning
    if (e && e.target && e.target.closest && e.target.closest("#next-person")) return;
    if (tooLate()) return startAgain();
    // At most one ping every 15 seconds while someone is busy.
    if (Date.now() - lastPing >= 15000) ping();
  }

  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, activity, { passive: true, capture: true });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && tooLate()) startAgain();
  });
  function stay() {
    if (tooLate()) return startAgain();
    if (dialog.open) dialog.close();
    ping();
  }
  if (dialog) {
    dialog.querySelector("[data-kiosk-stay]").addEventListener("click", stay);
    dialog.addEventListener("cancel", function (e) { e.preventDefault(); stay(); });
  }

  // Back after « New person » must not bring the previous person's page out of the browser's
  // memory: the page's answers are emptied as it is left (the form, if sent, has gone already),
  // and a page restored from that memory asks the server again (which, the person forgotten,
  // sends to the start).
  window.addEventListener("pagehide", function () {
    Array.prototype.forEach.call(document.querySelectorAll("main input, main textarea, main select"),
      function (field) {
        if (field.type === "radio" || field.type === "checkbox") field.checked = false;
        else if (field.tagName === "SELECT") field.selectedIndex = -1;
        else if (field.type !== "hidden" && field.type !== "submit") field.value = "";
      });
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) window.location.reload();
  });
  arm();
})();
