/* Decision exercises on the course site (see alignkit.build.site.exercise_html). Loaded only on pages
   with an exercise; nothing here talks to another host.
   check(spec, answer) follows alignkit.ui.exercises.Exercise.check rule for rule and word for word:
   tests/browser/test_exercises_site.py compares the two on right, wrong, empty and malformed answers.
   Answers are kept in this browser's localStorage ("alignkit-exercises"); the start page counts the
   right ones. */
(function () {
  "use strict";
  var NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  var KEY = "alignkit-exercises";

  function words(text) { return text.toLowerCase().match(/[a-z0-9]+/g) || []; }

  function mentions(tokens, phrase) {
    var want = words(phrase);
    if (!want.length) return false;
    for (var i = 0; i + want.length <= tokens.length; i++) {
      var all = true;
      for (var k = 0; k < want.length; k++) {
        if (tokens[i + k].indexOf(want[k]) !== 0) { all = false; break; }
      }
      if (all) return true;
    }
    return false;
  }

  function normChoice(text) { return text.toLowerCase().replace(/\s+/g, "").split("->").join("→"); }

  function fb(status, title, points) { return { status: status, title: title, points: points || [] }; }

  function checkNumber(spec, answer, hint) {
    var note = [], percentSign = false, value;
    if (typeof answer === "string") {
      var text = answer.replace(/[\s\u00a0\u202f,$€£]/g, "");
      if (text.slice(-1) === "%") { text = text.slice(0, -1); percentSign = true; }
      if (!NUMBER.test(text)) {
        return fb("wrong", "“" + answer.trim() + "” is not a number.",
                  ["Write it with digits only, for example 1250 or 12.5."]);
      }
      value = parseFloat(text);
    } else if (typeof answer === "number" && isFinite(answer)) {
      value = answer;
    } else {
      return fb("wrong", "The answer for " + spec.what + " should be a number.", hint);
    }
    if (spec.share && (percentSign || (value > 1 && spec.expected <= 1))) {
      value = value / 100;
      if (!percentSign) note = ["Read as a percentage."];
    }
    var expected = Number(spec.expected);
    if (Math.abs(value - expected) <= Math.max(spec.tolerance * Math.max(Math.abs(value), Math.abs(expected)), 1e-9)) {
      return fb("ok", "Right: " + spec.what + " is " + spec.shown + ".", note.concat(spec.explain ? [spec.explain] : []));
    }
    return fb("wrong", "Not yet: your answer for " + spec.what + " is too " + (value > expected ? "high" : "low") + ".",
              note.concat(hint));
  }

  function checkChoice(spec, answer, hint) {
    var choose = ["Choose one of: " + spec.options.join(", ") + "."];
    if (typeof answer !== "string") {
      return fb("wrong", "The answer for " + spec.what + " should be one of the options.", choose);
    }
    var chosen = null;
    spec.options.forEach(function (o) { if (normChoice(o) === normChoice(answer)) chosen = o; });
    if (chosen === null) return fb("wrong", "“" + answer.trim() + "” is not one of the options.", choose);
    var why = spec.why || {};
    if (chosen === spec.expected) {
      return fb("ok", "Right: " + spec.what + " is " + spec.expected + ".",
                [why[chosen] || "", spec.explain || ""].filter(function (p) { return p; }));
    }
    return fb("wrong", "Not " + chosen + ".", why[chosen] ? [why[chosen]] : hint);
  }

  function checkText(spec, answer, hint) {
    if (typeof answer !== "string") {
      return fb("wrong", "The answer for " + spec.what + " should be written text.", hint);
    }
    var tokens = words(answer);
    if (!tokens.length) return fb("wrong", "There are no words in that answer.", hint);
    var has = 0, points = [];
    spec.ideas.forEach(function (idea) {
      var found = idea.words.some(function (w) { return mentions(tokens, w); });
      if (found) has++;
      points.push(found ? "It says " + idea.name + "." : "Missing: " + idea.name + ".");
    });
    var short = tokens.length < spec.min_words;
    if (short) points.push("Write at least " + spec.min_words + " words; this has " + tokens.length + ".");
    if (has === spec.ideas.length && !short) {
      return fb("ok", "Right: your answer has every idea " + spec.what + " needs.",
                points.concat(spec.explain ? [spec.explain] : [],
                              ["A word check cannot judge the sentence itself: read it to a colleague."]));
    }
    return fb("wrong", "Not yet: your answer has " + has + " of " + spec.ideas.length + " ideas " + spec.what + " needs.",
              points.concat(hint));
  }

  function check(spec, answer) {
    var hint = spec.hint ? [spec.hint] : [];
    if (answer === null || answer === undefined || (typeof answer === "string" && !answer.trim())) {
      return fb("todo", "No answer yet for " + spec.what + ".", hint);
    }
    if (spec.kind === "number") return checkNumber(spec, answer, hint);
    if (spec.kind === "choice") return checkChoice(spec, answer, hint);
    return checkText(spec, answer, hint);
  }

  /* ---- the forms ---- */
  function readAll() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(key, answer, status) {
    var all = readAll();
    all[key] = { answer: answer, status: status, date: new Date().toISOString().slice(0, 10) };
    try { localStorage.setItem(KEY, JSON.stringify(all)); } catch (e) { /* storage off: nothing kept */ }
  }

  function show(slot, result) {
    var box = document.createElement("div");
    box.className = "alignkit-feedback " + result.status;
    var title = document.createElement("strong");
    title.textContent = result.title;
    box.appendChild(title);
    if (result.points.length) {
      var list = document.createElement("ul");
      result.points.forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = p;
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    slot.textContent = "";
    slot.appendChild(box);
  }

  function answerOf(form, spec) {
    if (spec.kind === "choice") {
      var picked = form.querySelector("input[type=radio]:checked");
      return picked ? picked.value : "";
    }
    return form.querySelector("[name=answer]").value;
  }

  function setAnswer(form, spec, answer) {
    if (spec.kind === "choice") {
      form.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = r.value === answer; });
    } else {
      form.querySelector("[name=answer]").value = answer;
    }
  }

  function forms() {
    document.querySelectorAll("form.alignkit-exercise").forEach(function (form) {
      var spec = JSON.parse(form.querySelector("script.alignkit-exercise-spec").textContent);
      var key = (form.getAttribute("data-lesson") || location.pathname) + "#" + spec.id;
      var slot = form.querySelector(".alignkit-exercise-feedback");
      var saved = readAll()[key];
      if (saved && typeof saved.answer === "string") {
        setAnswer(form, spec, saved.answer);
        if (saved.answer.trim()) show(slot, check(spec, saved.answer));
      }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var answer = answerOf(form, spec), result = check(spec, answer);
        show(slot, result);
        save(key, answer, result.status);
      });
    });
  }

  window.alignkitExercises = { check: check };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", forms);
  else forms();
})();
