"use strict";
// The offline questionnaire: the checklist comes from the JSON block above; answers are kept in
// localStorage as they are given and saved as a carecheck answer file. Every checklist string is
// inserted as text (textContent, value), never as markup.
(function () {
  var data = JSON.parse(document.getElementById("checklist").textContent);
  var questions = {};
  var order = [];
  data.sections.forEach(function (s) {
    s.questions.forEach(function (q) {
      q.section = s;
      questions[q.id] = q;
      order.push(q);
    });
  });
  var key = "carecheck:" + data.checklist.sha256 + ":" + data.organisation + ":" + data.audit;
  var state = load();
  var NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

  function load() {
    var saved = null;
    try {
      saved = JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (e) {
      saved = null;
    }
    return saved && saved.answers ? saved : { who: {}, answers: {}, started: null };
  }

  function store() {
    try {
      window.localStorage.setItem(key, JSON.stringify(state));
    } catch (e) {
      say("Your browser does not keep answers for this file: save your answers before closing it.");
    }
  }

  function now() {
    return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function say(text) {
    document.getElementById("status").textContent = text;
  }

  // -- which questions are asked: carecheck.format.answers.is_asked, and roles ------------------------

  function value(id) {
    var a = state.answers[id];
    return a && a.value !== undefined && a.value !== null ? a.value : null;
  }

  // the roles a question is asked of: its own, else its section's; null for everyone (asked_roles)
  function askedRoles(q) {
    return q.roles !== null && q.roles !== undefined ? q.roles : q.section.roles;
  }

  function isAsked(question) {
    var role = state.who.role || null; // no role chosen yet: asked of any role
    var seen = {};
    var q = question;
    while (q && !seen[q.id]) {
      seen[q.id] = true;
      var roles = askedRoles(q);
      if (role !== null && roles !== null && roles !== undefined && roles.indexOf(role) < 0) return false;
      if (!q.when) return true;
      if (q.when.values.indexOf(value(q.when.question)) < 0) return false;
      q = questions[q.when.question];
    }
    return true;
  }

  // -- reading a typed number: carecheck.format.answers.number_value and number_fault ----------------

  function numberValue(q, typed) {
    var text = typed.trim();
    var unit = (q.unit || "").trim();
    [unit, unit === "%" ? "%" : ""].some(function (suffix) {
      if (suffix && text.toLowerCase().slice(-suffix.length) === suffix.toLowerCase()) {
        text = text.slice(0, -suffix.length).trim();
        return true;
      }
      return false;
    });
    if (!NUMBER.test(text)) return { problem: "Type a number" + (unit ? " (in " + unit + ")" : "") + "." };
    var n = parseFloat(text);
    if (!isFinite(n)) return { problem: "Type a finite number." };
    if (q.min !== null && n < q.min) return { problem: "The smallest allowed value is " + q.min + "." };
    if (q.max !== null && n > q.max) return { problem: "The largest allowed value is " + q.max + "." };
    return { value: text.replace(/^\+/, "") };
  }

  // -- changing answers (each change is kept at once) -------------------------------------------------

  function answer(id) {
    if (!state.answers[id]) state.answers[id] = {};
    return state.answers[id];
  }

  function touched() {
    if (!state.started) state.started = now();
    store();
    refresh();
  }

  function setValue(q, v) {
    var a = answer(q.id);
    a.value = v;
    a.at = now();
    a.asked = q.hash;
    touched();
  }

  // -- the page ---------------------------------------------------------------------------------------

  function radios(q, fieldset, choices, typedInput) {
    choices.forEach(function (choice, i) {
      var id = "q-" + q.id + "-" + i;
      var row = el("div", { class: "choice" });
      var input = el("input", { type: "radio", name: "q-" + q.id, id: id });
      input.value = choice.value;
      if (value(q.id) === choice.value) input.checked = true;
      input.addEventListener("change", function () {
        if (typedInput) typedInput.value = "";
        delete answer(q.id).typed;
        setValue(q, choice.value);
      });
      row.appendChild(input);
      row.appendChild(el("label", { for: id }, choice.label));
      fieldset.appendChild(row);
    });
  }

  function typed(q, fieldset) {
    var id = "q-" + q.id + "-typed";
    var label = q.kind === "number" ? "Number" + (q.unit ? " (" + q.unit + ")" : "") : "Your answer";
    fieldset.appendChild(el("label", { for: id, class: "typed-label" }, label));
    var input = el(q.kind === "number" ? "input" : "textarea", { id: id, name: id, "aria-describedby": id + "-problem" });
    if (q.kind === "number") {
      input.setAttribute("type", "text");
      input.setAttribute("inputmode", "decimal");
      input.setAttribute("autocomplete", "off");
    } else {
      input.setAttribute("rows", "3");
    }
    var a = state.answers[q.id] || {};
    input.value = a.typed !== undefined ? a.typed : a.value && a.value !== "na" && a.value !== "unknown" ? a.value : "";
    var problem = el("p", { id: id + "-problem", class: "problem", "aria-live": "polite" });
    input.addEventListener("input", function () {
      var entry = answer(q.id);
      entry.typed = input.value;
      Array.prototype.forEach.call(fieldset.querySelectorAll("input[type=radio]"), function (r) {
        r.checked = false;
      });
      var text = input.value.trim();
      var read = q.kind === "number" ? numberValue(q, text) : { value: text };
      problem.textContent = text && read.problem ? read.problem : "";
      input.setAttribute("aria-invalid", text && read.problem ? "true" : "false");
      if (text && read.value !== undefined) {
        setValue(q, read.value);
      } else {
        delete entry.value;
        touched();
      }
    });
    fieldset.appendChild(input);
    fieldset.appendChild(problem);
    return input;
  }

  function note(q, fieldset) {
    var id = "q-" + q.id + "-note";
    var label = q.evidence ? "Note: what shows this? (asked for a good answer)" : "Note (optional)";
    fieldset.appendChild(el("label", { for: id, class: "note-label" }, label));
    var area = el("textarea", { id: id, name: id, rows: "2" });
    area.value = (state.answers[q.id] || {}).note || "";
    area.addEventListener("input", function () {
      var a = answer(q.id);
      a.note = area.value;
      if (!a.asked) a.asked = q.hash;
      a.at = now();
      touched();
    });
    fieldset.appendChild(area);
  }

  function question(q) {
    var fieldset = el("fieldset", { id: "q-" + q.id, class: "question" });
    var legend = el("legend", {}, q.text);
    fieldset.appendChild(legend);
    if (q.help) {
      fieldset.appendChild(el("p", { class: "help", id: "q-" + q.id + "-help" }, q.help));
      fieldset.setAttribute("aria-describedby", "q-" + q.id + "-help");
    }
    var input = q.kind === "options" ? null : typed(q, fieldset);
    var choices = (q.options || []).slice();
    if (q.allow_na) choices.push({ value: "na", label: "Not applicable" });
    choices.push({ value: "unknown", label: "Don't know" });
    radios(q, fieldset, choices, input);
    note(q, fieldset);
    return fieldset;
  }

  function who() {
    var box = document.getElementById("who");
    var fields = [
      ["name", "Your name", null],
      ["role", "Your role", data.roles],
    ];
    if (!data.fixed.organisation) fields.push(["organisation", "Organisation", null]);
    if (!data.fixed.audit) fields.push(["audit", "Audit label (for example 2026-Q3)", null]);
    fields.forEach(function (f) {
      var id = "who-" + f[0];
      box.appendChild(el("label", { for: id }, f[1]));
      var input;
      if (f[2]) {
        input = el("select", { id: id, name: id });
        input.appendChild(el("option", { value: "" }, "Choose your role"));
        f[2].forEach(function (r) {
          var option = el("option", { value: r.value }, r.label);
          input.appendChild(option);
        });
      } else {
        input = el("input", { id: id, name: id, type: "text", autocomplete: f[0] === "name" ? "name" : "off" });
      }
      input.value = state.who[f[0]] || "";
      input.addEventListener(f[2] ? "change" : "input", function () {
        state.who[f[0]] = input.value;
        touched();
      });
      box.appendChild(input);
    });
  }

  function build() {
    who();
    var main = document.getElementById("questions");
    data.sections.forEach(function (s) {
      var section = el("section", { id: "s-" + s.id, "aria-labelledby": "s-" + s.id + "-title" });
      section.appendChild(el("h2", { id: "s-" + s.id + "-title" }, s.title));
      if (s.description) section.appendChild(el("p", { class: "description" }, s.description));
      s.questions.forEach(function (q) {
        section.appendChild(question(q));
      });
      main.appendChild(section);
    });
    document.getElementById("save").addEventListener("click", save);
    refresh();
  }

  function refresh() {
    var asked = 0;
    var answered = 0;
    data.sections.forEach(function (s) {
      var shown = 0;
      s.questions.forEach(function (q) {
        var on = isAsked(q);
        document.getElementById("q-" + q.id).hidden = !on;
        if (on) {
          shown += 1;
          asked += 1;
          if (value(q.id) !== null) answered += 1;
        }
      });
      document.getElementById("s-" + s.id).hidden = shown === 0;
    });
    var bar = document.getElementById("progress");
    bar.max = Math.max(asked, 1);
    bar.value = answered;
    document.getElementById("progress-text").textContent = answered + " of " + asked + " questions answered";
  }

  // -- the answer file: the format and quoting of carecheck.format.writer ----------------------------

  function quoted(text) {
    // JSON's string escapes are YAML double-quoted escapes; the characters YAML reads as line breaks
    // or refuses are escaped too
    return JSON.stringify(String(text)).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function flow(pairs) {
    return (
      "{" +
      pairs
        .map(function (p) {
          return p[0] + ": " + p[1];
        })
        .join(", ") +
      "}"
    );
  }

  function header() {
    return {
      organisation: data.fixed.organisation ? data.organisation : (state.who.organisation || "").trim(),
      audit: data.fixed.audit ? data.audit : (state.who.audit || "").trim(),
      name: (state.who.name || "").trim().split(/\s+/).join(" "),
      role: state.who.role || "other",
    };
  }

  function answerFile() {
    var h = header();
    var lines = [];
    var open = 0;
    order.forEach(function (q) {
      var a = state.answers[q.id];
      if (!isAsked(q)) return;
      if (value(q.id) === null) open += 1;
      if (!a || (value(q.id) === null && !a.note)) return;
      var pairs = [];
      if (value(q.id) !== null) pairs.push(["value", quoted(a.value)]);
      if (a.note) pairs.push(["note", quoted(a.note)]);
      if (a.at) pairs.push(["at", quoted(a.at)]);
      pairs.push(["asked", quoted(q.hash)]);
      lines.push("  " + quoted(q.id) + ": " + flow(pairs));
    });
    var started = state.started || now();
    var c = data.checklist;
    var text =
      "carecheck-answers: 1\n" +
      "checklist: " + flow([["id", quoted(c.id)], ["version", quoted(c.version)], ["sha256", quoted(c.sha256)]]) + "\n" +
      "organisation: " + quoted(h.organisation) + "\n" +
      "audit: " + quoted(h.audit || quarter(started)) + "\n" +
      "respondent: " + flow([["name", quoted(h.name)], ["role", quoted(h.role)]]) + "\n" +
      "started: " + quoted(started) + "\n" +
      "completed: " + (open === 0 ? quoted(now()) : "null") + "\n" +
      "answers:" + (lines.length ? "\n" + lines.join("\n") : " {}") + "\n";
    return { text: text, open: open, header: h };
  }

  function quarter(when) {
    // the interview's default audit label: the quarter of the start date (format.answers.quarter_label)
    return when.slice(0, 4) + "-Q" + (Math.floor((parseInt(when.slice(5, 7), 10) - 1) / 3) + 1);
  }

  // format.names.slug, as `carecheck audit` names the file: each character spelled as anyascii spells it
  // (the exporter's table covers Latin, Greek and Cyrillic; letters of other scripts are left out of this
  // name, and `carecheck collect` files the answers under their proper name whatever this one is), a long
  // name cut, ending in a hash of the whole name
  var SPELLED = {};
  data.slugs.forEach(function (range) {
    range.to.split("|").forEach(function (spelled, i) {
      SPELLED[range.from + i] = spelled;
    });
  });

  function slug(text, fallback) {
    var kebab = Array.from(text)
      .map(function (ch) {
        var code = ch.codePointAt(0);
        return code < 128 ? ch.toLowerCase() : SPELLED[code] === undefined ? "-" : SPELLED[code];
      })
      .join("")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    if (kebab.length > data.slugMax) {
      kebab = kebab.slice(0, data.slugMax - 9).replace(/-+$/, "") + "-" + sha256(text).slice(0, 8);
    }
    return kebab || fallback;
  }

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  function sha256(text) {
    // the hex SHA-256 (FIPS 180-4) of the text's UTF-8, as Python's hashlib gives it
    var bytes = new TextEncoder().encode(text);
    var n = (((bytes.length + 8) >> 6) + 1) << 6;
    var m = new Uint8Array(n);
    m.set(bytes);
    m[bytes.length] = 0x80;
    var view = new DataView(m.buffer);
    view.setUint32(n - 8, Math.floor(bytes.length / 0x20000000));
    view.setUint32(n - 4, (bytes.length * 8) >>> 0);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = [];
    for (var offset = 0; offset < n; offset += 64) {
      for (var i = 0; i < 64; i++) {
        if (i < 16) {
          w[i] = view.getUint32(offset + 4 * i) | 0;
        } else {
          var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
          var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
          w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
        }
      }
      var x = h.slice();
      for (i = 0; i < 64; i++) {
        var e = x[4];
        var a = x[0];
        var t1 = (x[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & x[5]) ^ (~e & x[6])) + K[i] + w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & x[1]) ^ (a & x[2]) ^ (x[1] & x[2]))) | 0;
        x = [(t1 + t2) | 0, a, x[1], x[2], (x[3] + t1) | 0, e, x[5], x[6]];
      }
      for (i = 0; i < 8; i++) h[i] = (h[i] + x[i]) | 0;
    }
    return h
      .map(function (word) {
        return ("0000000" + (word >>> 0).toString(16)).slice(-8);
      })
      .join("");
  }

  function save() {
    var file = answerFile();
    var missing = [
      ["name", file.header.name, "your name"],
      ["role", state.who.role, "your role"],
      ["organisation", file.header.organisation, "the organisation"],
    ].filter(function (f) {
      return !f[1];
    });
    if (missing.length) {
      say("Fill in " + missing[0][2] + " before saving.");
      document.getElementById("who-" + missing[0][0]).focus();
      return;
    }
    var name = data.file + "--" + slug(file.header.name, "anonymous") + ".yaml";
    var link = el("a", { download: name });
    link.href = URL.createObjectURL(new Blob([file.text], { type: "application/x-yaml" }));
    document.body.appendChild(link);
    link.click();
    link.remove();
    say(
      "Saved " + name + (file.open ? " (" + file.open + " questions still open)" : " (complete)") +
        ". Send it back to whoever gave you this questionnaire."
    );
  }

  build();
})();
