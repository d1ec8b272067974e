// The transcript browser. Data comes from the JSON block; every string from it is
// shown with textContent (never innerHTML), so replies and dataset text stay text.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("evalkit-data").textContent);
  var samples = data.transcripts;
  var list = document.getElementById("transcript-list");
  var count = document.getElementById("shown-count");
  var controls = {
    model: document.getElementById("filter-model"),
    family: document.getElementById("filter-family"),
    condition: document.getElementById("filter-condition"),
    category: document.getElementById("filter-category"),
    outcome: document.getElementById("filter-outcome"),
    search: document.getElementById("filter-search")
  };
  var OUTCOMES = { correct: 1, user_answer: 1, other_wrong: 1, unreadable: 1 };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function fillSelect(select, key) {
    var seen = {};
    samples.forEach(function (s) { seen[s[key]] = true; });
    Object.keys(seen).sort().forEach(function (value) {
      select.appendChild(new Option(value, value));
    });
  }

  function badge(outcome) {
    var known = Object.prototype.hasOwnProperty.call(OUTCOMES, outcome);
    return el("span", "badge" + (known ? " outcome-" + outcome : ""), outcome || "n/a");
  }

  function haystack(s) {
    var parts = [s.sample_id, s.question, s.category, s.correct_answer, s.incorrect_answer || ""];
    s.choices.forEach(function (c) { parts.push(c); });
    s.messages.forEach(function (m) { parts.push(m.content); });
    s.turns.forEach(function (t) { parts.push(t.answer || ""); });
    return parts.join("\n").toLowerCase();
  }

  function field(dl, name, value) {
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, value));
  }

  function fillBody(body, s) {
    var dl = el("dl", "meta");
    field(dl, "sample", s.sample_id);
    field(dl, "model", s.model);
    field(dl, "dataset", s.dataset);
    field(dl, "family", s.family);
    field(dl, "condition", s.condition + " (pressure: " + s.pressure + ")");
    field(dl, "item", s.item_id);
    field(dl, "category", s.category);
    field(dl, "question", s.question);
    field(dl, "choices", s.choices.join(" | "));
    field(dl, "correct answer", s.correct_answer);
    field(dl, "user's wrong answer", s.incorrect_answer === null ? "-" : s.incorrect_answer);
    field(dl, "final outcome", s.outcome === null ? "n/a" : s.outcome);
    if (s.gave_in_basis !== null) {
      field(dl, "capitulated", s.gave_in_basis === "baseline unreadable"
        ? "unknown: its answer without pressure is unreadable (counted beside the rate)"
        : s.gave_in === null ? "unreadable" : (s.gave_in ? "yes" : "no"));
    }
    Object.keys(s.readouts || {}).forEach(function (kind) {
      field(dl, "readout (" + kind + ")", s.readouts[kind]);
    });
    s.verdicts.forEach(function (v) {
      field(dl, "judge: " + v.question,
        (v.missing ? "missing: no verdict stored (the request failed, or judging did not finish)"
          : v.verdict === null ? "unparsed: " + v.raw.slice(0, 200) : v.verdict) +
        " (" + v.judge + ")");
    });
    body.appendChild(dl);
    var turn = 0;
    s.messages.forEach(function (m) {
      var box = el("div", "msg msg-" + (m.role === "system" || m.role === "user" ? m.role : "assistant"));
      box.appendChild(el("span", "role", m.role));
      box.appendChild(document.createTextNode(m.content));
      body.appendChild(box);
      if (m.role === "assistant" && turn < s.turns.length) {
        var t = s.turns[turn];
        turn += 1;
        var note = el("div", "turn-note");
        note.appendChild(document.createTextNode(
          "turn " + t.turn + (t.confirmation ? " (confirmation: the previous reply gave no answer)" : "") + ": answer " + (t.answer === null ? "none" : t.answer) +
          (t.method ? " (" + t.method + (t.evidence ? ": \u201c" + t.evidence + "\u201d" : "") + ")" : "") + " "));
        note.appendChild(badge(t.outcome));
        note.appendChild(document.createTextNode(
          " · finish " + t.finish_reason + " · tokens " + t.prompt_tokens + "+" +
          t.completion_tokens + " · " + t.latency_s.toFixed(2) + " s"));
        body.appendChild(note);
      }
    });
  }

  var rows = samples.map(function (s) {
    var details = el("details", "sample");
    var summary = el("summary");
    summary.appendChild(el("strong", null, s.condition));
    summary.appendChild(document.createTextNode(
      " · " + s.model + " · " + s.dataset + " · " + s.item_id + " · " + s.category));
    summary.appendChild(badge(s.outcome));
    if (s.gave_in) { summary.appendChild(el("span", "badge gave-in", "capitulated")); }
    summary.appendChild(el("span", "question",
      s.question.length > 90 ? s.question.slice(0, 89) + "\u2026" : s.question));
    details.appendChild(summary);
    var body = el("div", "sample-body");
    details.appendChild(body);
    var built = false;
    details.addEventListener("toggle", function () {
      if (details.open && !built) { fillBody(body, s); built = true; }
    });
    list.appendChild(details);
    return { sample: s, node: details, text: haystack(s) };
  });

  function matches(row) {
    var s = row.sample;
    var outcome = controls.outcome.value;
    if (controls.model.value && s.model !== controls.model.value) { return false; }
    if (controls.family.value && s.family !== controls.family.value) { return false; }
    if (controls.condition.value && s.condition !== controls.condition.value) { return false; }
    if (controls.category.value && s.category !== controls.category.value) { return false; }
    if (outcome === "gave_in" && s.gave_in !== true) { return false; }
    if (outcome === "gave_in_unreadable" && s.gave_in_basis !== "unreadable") { return false; }
    if (outcome === "baseline_unreadable" && s.gave_in_basis !== "baseline unreadable") {
      return false;
    }
    if (outcome === "adopted" && !s.adopted_user_answer) { return false; }
    if (OUTCOMES[outcome] && s.outcome !== outcome) { return false; }
    var query = controls.search.value.trim().toLowerCase();
    return !query || row.text.indexOf(query) !== -1;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row);
      row.node.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " samples";
    count.setAttribute("data-shown", String(shown));
  }

  fillSelect(controls.model, "model");
  fillSelect(controls.family, "family");
  fillSelect(controls.condition, "condition");
  fillSelect(controls.category, "category");
  ["model", "family", "condition", "category", "outcome"].forEach(function (key) {
    controls[key].addEventListener("change", apply);
  });
  controls.search.addEventListener("input", apply);
  apply();
}());
