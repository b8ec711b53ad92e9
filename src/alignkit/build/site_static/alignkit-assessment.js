/* The final assessment and the record check, in the browser: the same rules as alignkit.ui.assessment.
 *
 * The page holds the questions and their key as JSON (#alignkit-assessment-data, written at build
 * time by alignkit.ui.assessment.questions_json). This script scores the form, shows the feedback and the
 * score per concept, makes the completion record's code (SHA-256 through the browser's SubtleCrypto)
 * and checks a code on the verification page. Nothing is sent anywhere: there is no request at all.
 * The rules are written out in alignkit/ui/assessment.py's docstring; tests/browser/test_assessment.py
 * checks that this script and the Python module agree.
 */
(function () {
  "use strict";

  function data() {
    var el = document.getElementById("alignkit-assessment-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  function check(D, answers) {
    if (!Array.isArray(answers) || answers.length !== D.questions.length) {
      throw new Error("expected " + D.questions.length + " answers (one per question, null for a blank)");
    }
    answers.forEach(function (a, i) {
      var n = D.questions[i].options.length;
      if (a !== null && !(Number.isInteger(a) && a >= 0 && a < n)) {
        throw new Error("question '" + D.questions[i].id + "' has options 0 to " + (n - 1) + "; got " + a);
      }
    });
  }

  /* Same result as alignkit.ui.assessment.score. */
  function score(answers, D) {
    D = D || data();
    check(D, answers);
    var right = D.questions.map(function (q, i) { return answers[i] === q.answer; });
    var concepts = {};
    Object.keys(D.concepts).forEach(function (c) {
      var asked = [];
      D.questions.forEach(function (q, i) { if (q.concepts.indexOf(c) >= 0) { asked.push(i); } });
      var got = asked.filter(function (i) { return right[i]; }).length;
      concepts[c] = {asked: asked.length, right: got, revisit: got < asked.length ? D.teaching[c] : []};
    });
    var n = right.filter(Boolean).length;
    return {right: n, total: D.questions.length, pass_mark: D.passMark, passed: n >= D.passMark,
            concepts: concepts,
            wrong: D.questions.filter(function (q, i) { return !right[i]; }).map(function (q) { return q.id; })};
  }

  function normaliseName(name) {
    return String(name).normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();
  }

  function checkDate(date) {
    var text = String(date).trim();
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) { throw new Error("the date must be written YYYY-MM-DD (got '" + date + "')."); }
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
      throw new Error("'" + date + "' is not a calendar date.");
    }
    return text;
  }

  function digits(answers) {
    return answers.map(function (a) { return a === null ? "0" : String(a + 1); }).join("");
  }

  function canonical(D, name, date, answers) {
    return "alignkit-assessment|" + D.keyVersion + "|" + normaliseName(name) + "|" + checkDate(date) + "|" + digits(answers);
  }

  async function checksum(D, name, date, answers) {
    var bytes = new TextEncoder().encode(canonical(D, name, date, answers));
    var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    var v = 0n;
    for (var i = 0; i < 8; i++) { v = (v << 8n) | BigInt(digest[i]); }
    return v >> BigInt(64 - D.checkBits);
  }

  /* Same code as alignkit.ui.assessment.record_code. */
  async function code(name, date, answers, D) {
    D = D || data();
    check(D, answers);
    if (!normaliseName(name)) { throw new Error("the record needs a name."); }
    var d = digits(answers), packed = 0n;
    for (var i = d.length - 1; i >= 0; i--) { packed = packed * 5n + BigInt(+d[i]); }
    var value = (packed << BigInt(D.checkBits)) | await checksum(D, name, date, answers);
    var n = (D.answerBits + D.checkBits) / 5, chars = "";
    for (var j = n - 1; j >= 0; j--) { chars += D.alphabet[Number((value >> BigInt(5 * j)) & 31n)]; }
    var groups = chars.match(/.{1,5}/g);
    return D.keyVersion + "-" + groups.join("-");
  }

  function clean(code) {
    return String(code).replace(/[\s-]/g, "").toUpperCase();
  }

  /* Same answers as alignkit.ui.assessment.decode_code; a malformed code throws an Error with the reason. */
  function decode(codeText, D) {
    D = D || data();
    var text = clean(codeText);
    if (text.indexOf(D.keyVersion) !== 0) {
      var found = /^AK\d+/.exec(text);
      if (found) {
        throw new Error("this code is for version " + found[0] + " of the assessment; this course checks " + D.keyVersion + " codes.");
      }
      throw new Error("a record's code starts with " + D.keyVersion + "- (got '" + codeText + "').");
    }
    var body = text.slice(D.keyVersion.length).replace(/O/g, "0").replace(/[IL]/g, "1");
    var n = (D.answerBits + D.checkBits) / 5;
    if (body.length !== n || body.split("").some(function (c) { return D.alphabet.indexOf(c) < 0; })) {
      throw new Error("a record's code has " + D.keyVersion + " and 20 letters or digits in groups of five; '" + codeText + "' does not.");
    }
    var value = 0n;
    body.split("").forEach(function (c) { value = value * 32n + BigInt(D.alphabet.indexOf(c)); });
    var packed = value >> BigInt(D.checkBits), answers = [];
    D.questions.forEach(function (q) {
      var dgt = Number(packed % 5n);
      packed = packed / 5n;
      if (dgt > q.options.length) { throw new Error("this code holds an answer no question has: it was mistyped or changed."); }
      answers.push(dgt === 0 ? null : dgt - 1);
    });
    if (packed !== 0n) { throw new Error("this code holds more answers than the assessment has questions: it was mistyped or changed."); }
    return {answers: answers, body: body};
  }

  /* Same verdict as alignkit.ui.assessment.verify. */
  async function verify(codeText, name, date, D) {
    D = D || data();
    var decoded = decode(codeText, D);
    date = checkDate(date);
    var expected = clean(await code(name, date, decoded.answers, D));
    var matches = expected === D.keyVersion + decoded.body;
    var out = {matches: matches};
    if (matches) { Object.assign(out, score(decoded.answers, D)); }
    return out;
  }

  // --- the page --------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  function root() {
    return document.documentElement.dataset.content_root || "../";
  }

  function lessonLinks(D, numbers) {
    var span = el("span");
    numbers.forEach(function (n, i) {
      var l = D.lessons[String(n)];
      if (i) { span.appendChild(document.createTextNode(", ")); }
      span.appendChild(el("a", {href: root() + l.page + ".html", text: n + ". " + l.title}));
    });
    return span;
  }

  function conceptTable(D, result) {
    var body = el("tbody");
    Object.keys(result.concepts).forEach(function (c) {
      var v = result.concepts[c];
      if (!v.asked) { return; }
      var row = el("tr", {"data-concept": c, class: v.right === v.asked ? "alignkit-concept-ok" : "alignkit-concept-missed"}, [
        el("th", {scope: "row"}, [el("span", {class: "alignkit-concept-id", text: c}), " ",
                                  el("span", {class: "alignkit-concept-name", text: D.concepts[c]})]),
        el("td", {class: "alignkit-concept-score", text: v.right + " of " + v.asked}),
        el("td", {class: "alignkit-concept-revisit"}, v.revisit.length ? [lessonLinks(D, v.revisit)] : ["—"])]);
      body.appendChild(row);
    });
    return el("table", {class: "table alignkit-concept-table"}, [
      el("thead", {}, [el("tr", {}, ["concept", "right", "revisit"].map(function (h) {
        return el("th", {scope: "col", text: h});
      }))]), body]);
  }

  function summary(result) {
    return result.right + " of " + result.total + " right; the pass mark is " + result.pass_mark + ". " +
      (result.passed ? "Passed." : "Not passed yet: revisit the lessons below and try again.");
  }

  function answersFromForm(D, form) {
    return D.questions.map(function (q) {
      var checked = form.querySelector('input[name="' + q.id + '"]:checked');
      return checked ? +checked.value : null;
    });
  }

  function showFeedback(D, form, answers) {
    D.questions.forEach(function (q, i) {
      var set = form.querySelector('[data-question="' + q.id + '"]');
      var fb = set.querySelector(".alignkit-qfeedback");
      var a = answers[i], right = q.options[q.answer];
      set.classList.remove("alignkit-right", "alignkit-wrong", "alignkit-blank");
      if (a === q.answer) {
        set.classList.add("alignkit-right");
        fb.textContent = right.feedback;
      } else if (a === null) {
        set.classList.add("alignkit-blank");
        fb.textContent = "Not answered. The right answer: \u201c" + right.text + "\u201d " + right.feedback;
      } else {
        set.classList.add("alignkit-wrong");
        fb.textContent = "Not quite. " + q.options[a].feedback + " The right answer: \u201c" + right.text + "\u201d";
      }
    });
  }

  function recordNode(D, result, name, date, recordCode) {
    return el("div", {class: "alignkit-record", id: "alignkit-record"}, [
      el("h2", {text: "Completion record"}),
      el("p", {}, [el("strong", {text: "Sales & Marketing Alignment Playbook"}), " \u00b7 course version " +
        D.courseVersion + " (assessment " + D.keyVersion + ")"]),
      el("p", {}, [el("strong", {text: "Name: "}), el("span", {class: "alignkit-record-name", text: name.trim()}),
        "  ", el("strong", {text: "Date: "}), el("span", {class: "alignkit-record-date", text: date})]),
      el("p", {class: "alignkit-record-summary", text: summary(result)}),
      conceptTable(D, result),
      el("p", {}, [el("strong", {text: "Code: "}), el("code", {class: "alignkit-record-code", text: recordCode})]),
      el("p", {class: "alignkit-record-note", text: "To check this record, enter the code, the name and the date on the " +
        "course site's page \u201cCheck a completion record\u201d, or run: alignkit verify " + recordCode +
        " --name \"" + name.trim() + "\" --date " + date + ". A match proves consistency, not identity: the code fits " +
        "a set of answers that passes for this name and date; it does not prove who chose them."})]);
  }

  function preparePrint() {
    var record = document.getElementById("alignkit-record");
    if (!record) { return false; }
    var old = document.getElementById("alignkit-print-record");
    if (old) { old.remove(); }
    var copy = el("div", {id: "alignkit-print-record"}, [record.cloneNode(true)]);
    copy.firstChild.removeAttribute("id");
    document.body.appendChild(copy);
    document.body.classList.add("alignkit-printing-record");
    return true;
  }

  function endPrint() {
    document.body.classList.remove("alignkit-printing-record");
    var old = document.getElementById("alignkit-print-record");
    if (old) { old.remove(); }
  }

  async function onScore(D, form, event) {
    event.preventDefault();
    var answers = answersFromForm(D, form);
    var result = score(answers, D);
    showFeedback(D, form, answers);
    var out = document.getElementById("alignkit-result");
    out.textContent = "";
    out.hidden = false;
    out.dataset.right = result.right;
    out.dataset.passed = result.passed;
    out.appendChild(el("h2", {text: "Your result"}));
    out.appendChild(el("p", {class: "alignkit-result-summary", text: summary(result)}));
    out.appendChild(conceptTable(D, result));
    var name = document.getElementById("alignkit-name").value;
    var date = document.getElementById("alignkit-date").value;
    if (!normaliseName(name) || !date) {
      out.appendChild(el("p", {class: "alignkit-record-missing",
        text: "Add your name and the date above and score again to get a completion record you can print."}));
    } else {
      try {
        var recordCode = await code(name, date, answers, D);
        out.appendChild(recordNode(D, result, name, checkDate(date), recordCode));
        var button = el("button", {type: "button", class: "btn btn-primary alignkit-print", text: "Print my record (or save it as PDF)"});
        button.addEventListener("click", function () { preparePrint(); window.print(); });
        out.appendChild(el("p", {}, [button]));
      } catch (err) {
        out.appendChild(el("p", {class: "alignkit-record-missing", text: "No record: " + err.message}));
      }
    }
    out.scrollIntoView({block: "start"});
  }

  async function onVerify(D, form, event) {
    event.preventDefault();
    var out = document.getElementById("alignkit-verify-result");
    out.textContent = "";
    out.hidden = false;
    var codeText = document.getElementById("alignkit-verify-code").value;
    var name = document.getElementById("alignkit-verify-name").value;
    var date = document.getElementById("alignkit-verify-date").value;
    var verdict;
    try {
      verdict = await verify(codeText, name, date, D);
    } catch (err) {
      out.dataset.verdict = "malformed";
      out.appendChild(el("p", {class: "alignkit-verdict", text: "This code cannot be checked: " + err.message}));
      return;
    }
    if (!verdict.matches) {
      out.dataset.verdict = "no match";
      out.appendChild(el("p", {class: "alignkit-verdict", text: "The code does not match this name and date. " +
        "Check the spelling of the name and the date as printed on the record; if they are right, the code or " +
        "the record was changed."}));
      return;
    }
    out.dataset.verdict = verdict.passed ? "pass" : "match, not passed";
    out.appendChild(el("p", {class: "alignkit-verdict", text: (verdict.passed
      ? "The code matches: it was made for this name and date from a set of answers that passes. "
      : "The code matches this name and date, but the answers it carries do not reach the pass mark. ") +
      summary(verdict)}));
    out.appendChild(conceptTable(D, verdict));
    out.appendChild(el("p", {text: "This proves consistency, not identity: it does not show who chose the answers."}));
  }

  function init() {
    var D = data();
    if (!D) { return; }
    var form = document.getElementById("alignkit-assessment");
    if (form) {
      var date = document.getElementById("alignkit-date");
      if (date && !date.value) { date.value = new Date().toISOString().slice(0, 10); }
      form.addEventListener("submit", function (e) { onScore(D, form, e); });
      form.addEventListener("reset", function () {
        form.querySelectorAll("fieldset").forEach(function (f) {
          f.classList.remove("alignkit-right", "alignkit-wrong", "alignkit-blank");
          var fb = f.querySelector(".alignkit-qfeedback");
          if (fb) { fb.textContent = ""; }
        });
        var out = document.getElementById("alignkit-result");
        out.hidden = true;
        out.textContent = "";
      });
      document.body.classList.add("alignkit-assessment-ready");
    }
    var vform = document.getElementById("alignkit-verify");
    if (vform) { vform.addEventListener("submit", function (e) { onVerify(D, vform, e); }); }
    window.addEventListener("afterprint", endPrint);
  }

  window.alignkitAssessment = {score: score, code: code, decode: decode, verify: verify,
                               normaliseName: normaliseName, preparePrint: preparePrint, endPrint: endPrint};
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
