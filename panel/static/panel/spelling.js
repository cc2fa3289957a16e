// The answer form's spellcheck (panel/_spelling.html; the checking is spelling/ on the
// server). "Check spelling" shows the answer with its misspelled words as buttons in
// place of the text field; a word's suggestions open in a menu when it is focused or
// hovered; choosing one replaces the word in the answer at once (so a draft saved or
// an answer sent meanwhile has it); "Done" (or Escape) goes back to the text field.
// Keyboard: Tab and the arrow keys move between words, Down arrow or Enter opens a
// word's menu, arrows move in it, Enter chooses, Escape closes it.
(function () {
  "use strict";
  var root = document.getElementById("spelling");
  var answer = document.getElementById("answer-answer");
  if (!root || !answer) return;
  var review = document.getElementById("spelling-review");
  var textBox = document.getElementById("spelling-text");
  var menu = document.getElementById("spelling-menu");
  var status = document.getElementById("spelling-status");
  var language = document.getElementById("spelling-language");
  var checkButton = document.getElementById("spelling-check");
  var doneButton = document.getElementById("spelling-done");
  var texts = root.dataset;
  // The answer as pieces: plain text, and words (wrong until corrected or added).
  var segments = [];
  var reviewLanguage = "";
  var suggestionsOf = {};
  var shownFor = null;
  var hideTimer = null;
  var refilling = false;
  // Escape leaves a word's menu for the word: its focus must not open the menu again.
  var quietFocus = false;

  root.hidden = false;

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function post(url, body) {
    var token = answer.form && answer.form.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (response.ok) return response.json();
      // A refusal says why ({"error": ...}); anything else is no answer at all.
      return response.json().then(
        function (refusal) {
          var error = new Error(refusal.error || texts.textFailed);
          error.refusal = true;
          throw error;
        },
        function () { throw new Error(texts.textFailed); }
      );
    });
  }

  function key(word) {
    return reviewLanguage + "\n" + word;
  }

  function reviewing() {
    return !review.hidden;
  }

  function wrongWords() {
    return Array.prototype.slice.call(textBox.querySelectorAll("button.misspelled"));
  }

  function announceLeft(prefix) {
    var left = wrongWords().length;
    var line = left === 0 ? texts.textAllDone : left === 1 ? texts.textOne : say(texts.textMany, { count: left });
    status.textContent = prefix ? prefix + " " + line : line;
  }

  // --- Checking ---------------------------------------------------------------

  function check() {
    var text = answer.value;
    if (!text.trim()) {
      status.textContent = texts.textEmpty;
      return;
    }
    var lang = language.value;
    status.textContent = texts.textChecking;
    checkButton.disabled = true;
    post(texts.checkUrl, { text: text, language: lang })
      .then(function (result) {
        checkButton.disabled = false;
        if (answer.value !== text) return check();
        reviewLanguage = lang;
        result.misspellings.forEach(function (wrong) {
          if (wrong.suggestions) suggestionsOf[key(wrong.word)] = wrong.suggestions;
        });
        if (result.misspellings.length === 0) {
          if (reviewing()) finish();
          status.textContent = texts.textNone;
          return;
        }
        show(text, result.misspellings);
      })
      .catch(function (error) {
        checkButton.disabled = false;
        status.textContent = error && error.refusal ? error.message : texts.textFailed;
      });
  }

  function show(text, misspellings) {
    // The server counts characters as code points, as Array.from does.
    var chars = Array.from(text);
    var at = 0;
    closeMenu();
    segments = [];
    textBox.replaceChildren();
    misspellings.forEach(function (wrong) {
      if (wrong.start > at) addText(chars.slice(at, wrong.start).join(""));
      addWord(chars.slice(wrong.start, wrong.end).join(""));
      at = wrong.end;
    });
    if (at < chars.length) addText(chars.slice(at).join(""));
    if (!answer.hidden) textBox.style.minHeight = answer.offsetHeight + "px";
    answer.hidden = true;
    review.hidden = false;
    checkButton.hidden = true;
    doneButton.hidden = false;
    announceLeft("");
    wrongWords()[0].focus();
    fetchTheRest();
  }

  function addText(text) {
    var node = document.createTextNode(text);
    segments.push({ text: text, node: node, wrong: false });
    textBox.append(node);
  }

  function addWord(text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "misspelled";
    button.textContent = text;
    button.setAttribute("aria-haspopup", "menu");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "spelling-menu");
    button.setAttribute("aria-describedby", "spelling-word-hint spelling-keys");
    var segment = { text: text, node: button, wrong: true };
    button.spellingSegment = segment;
    segments.push(segment);
    textBox.append(button);
  }

  // The answer field always holds the text as corrected so far, and says so to the
  // autosave as typing would.
  function sync() {
    answer.value = segments.map(function (segment) { return segment.text; }).join("");
    answer.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function settle(segment, text, className) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    segment.node.replaceWith(span);
    segment.node = span;
    segment.text = text;
    segment.wrong = false;
  }

  function finish() {
    closeMenu();
    review.hidden = true;
    answer.hidden = false;
    doneButton.hidden = true;
    checkButton.hidden = false;
    textBox.replaceChildren();
    segments = [];
    status.textContent = "";
    answer.focus();
  }

  // --- The menu of a word -----------------------------------------------------

  function menuItem(label, action, className) {
    var item = document.createElement("button");
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.tabIndex = -1;
    item.textContent = label;
    if (className) item.className = className;
    if (className === "add") {
      var plus = document.createElement("span");
      plus.className = "icon";
      plus.setAttribute("aria-hidden", "true");
      plus.textContent = "+";
      item.prepend(plus);
    }
    if (action) item.addEventListener("click", action);
    else item.setAttribute("aria-disabled", "true");
    return item;
  }

  function items() {
    return Array.prototype.slice.call(menu.querySelectorAll("[role=menuitem]:not([aria-disabled])"));
  }

  function fillMenu(button) {
    var word = button.spellingSegment.text;
    var known = suggestionsOf[key(word)];
    // Suggestions arriving while the person is in the menu leave them on their item.
    var hadFocus = menu.contains(document.activeElement);
    var focusedText = hadFocus ? document.activeElement.textContent : "";
    refilling = true;
    menu.replaceChildren();
    refilling = false;
    menu.setAttribute("aria-label", say(texts.textMenu, { word: word }));
    if (!known) {
      menu.setAttribute("aria-busy", "true");
      menu.append(menuItem(texts.textLoading, null, "note"));
      loadSuggestions(word, button);
    } else {
      menu.removeAttribute("aria-busy");
      known.forEach(function (suggestion) {
        menu.append(menuItem(suggestion, function () { choose(button, suggestion); }, "suggestion"));
      });
      if (known.length === 0) menu.append(menuItem(texts.textNoSuggestions, null, "note"));
    }
    var line = document.createElement("div");
    line.setAttribute("role", "separator");
    menu.append(line);
    menu.append(menuItem(texts.textAdd, function () { addToDictionary(button); }, "add"));
    if (hadFocus) {
      var same = items().filter(function (item) { return item.textContent === focusedText; });
      (same[0] || items()[0]).focus();
    }
  }

  // One request per word and language, however often its menu opens meanwhile.
  var asked = {};
  function fetchSuggestions(word) {
    var wordKey = key(word);
    if (!asked[wordKey]) {
      asked[wordKey] = post(texts.suggestUrl, { word: word, language: reviewLanguage })
        .then(function (result) { suggestionsOf[wordKey] = result.suggestions; })
        .catch(function () { suggestionsOf[wordKey] = []; });
    }
    return asked[wordKey];
  }

  function loadSuggestions(word, button) {
    fetchSuggestions(word).then(function () {
      if (shownFor === button && menu.getAttribute("aria-busy")) fillMenu(button);
    });
  }

  // The suggestions the check left out are fetched one after another meanwhile, so
  // that a menu rarely has to wait.
  function fetchTheRest() {
    var missing = wrongWords().map(function (button) { return button.spellingSegment.text; })
      .filter(function (word) { return !suggestionsOf[key(word)]; });
    if (missing.length) fetchSuggestions(missing[0]).then(fetchTheRest);
  }

  function openMenu(button, focusInside) {
    clearTimeout(hideTimer);
    if (shownFor && shownFor !== button) shownFor.setAttribute("aria-expanded", "false");
    shownFor = button;
    button.setAttribute("aria-expanded", "true");
    fillMenu(button);
    menu.hidden = false;
    place(button);
    if (focusInside) items()[0].focus();
  }

  function closeMenu() {
    clearTimeout(hideTimer);
    if (shownFor) shownFor.setAttribute("aria-expanded", "false");
    shownFor = null;
    menu.hidden = true;
  }

  function place(button) {
    var box = root.getBoundingClientRect();
    var word = button.getBoundingClientRect();
    var left = Math.min(word.left - box.left, box.width - menu.offsetWidth);
    menu.style.left = Math.max(0, left) + "px";
    menu.style.top = word.bottom - box.top + 6 + "px";
  }

  // After a word is done: the next one still wrong (from the start again), else Done.
  function moveOn(segment) {
    var after = segments.slice(segments.indexOf(segment) + 1).concat(segments);
    var next = after.filter(function (other) { return other.wrong; })[0];
    (next ? next.node : doneButton).focus();
  }

  function choose(button, suggestion) {
    var segment = button.spellingSegment;
    closeMenu();
    settle(segment, suggestion, "corrected");
    sync();
    announceLeft(say(texts.textReplaced, { word: suggestion }));
    moveOn(segment);
  }

  function addToDictionary(button) {
    var segment = button.spellingSegment;
    var word = segment.text;
    post(texts.addUrl, { word: word })
      .then(function () {
        closeMenu();
        segments.forEach(function (other) {
          if (other.wrong && other.text.toLowerCase() === word.toLowerCase()) {
            settle(other, other.text, "added");
          }
        });
        announceLeft(say(texts.textAdded, { word: word }));
        moveOn(segment);
      })
      .catch(function (error) {
        status.textContent = error && error.refusal ? error.message : texts.textFailed;
      });
  }

  function step(list, from, by) {
    var at = list.indexOf(from);
    return list[(at + by + list.length) % list.length];
  }

  // --- Events ------------------------------------------------------------------

  checkButton.addEventListener("click", check);
  doneButton.addEventListener("click", finish);
  language.addEventListener("change", function () {
    if (reviewing()) check();
  });

  textBox.addEventListener("click", function (event) {
    var button = event.target.closest("button.misspelled");
    if (button) openMenu(button, true);
  });
  textBox.addEventListener("focusin", function (event) {
    var button = event.target.closest("button.misspelled");
    if (button && !quietFocus) openMenu(button, false);
    quietFocus = false;
  });
  textBox.addEventListener("keydown", function (event) {
    var button = event.target.closest("button.misspelled");
    if (!button) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      openMenu(button, true);
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      step(wrongWords(), button, event.key === "ArrowRight" ? 1 : -1).focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (!menu.hidden) closeMenu();
      else finish();
    }
  });
  menu.addEventListener("keydown", function (event) {
    var list = items();
    var current = document.activeElement;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      step(list, current, event.key === "ArrowDown" ? 1 : -1).focus();
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      list[event.key === "Home" ? 0 : list.length - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      var word = shownFor;
      closeMenu();
      quietFocus = true;
      if (word) word.focus();
      quietFocus = false;
    } else if (event.key === "Tab") {
      // The menu is no stop of its own: Tab goes on from its word.
      event.preventDefault();
      var from = shownFor;
      closeMenu();
      var next = from && step(wrongWords().concat([doneButton]), from, event.shiftKey ? -1 : 1);
      (next || doneButton).focus();
    }
  });
  // The menu stays while the focus is on its word or in it.
  function closeWhenFocusLeaves(event) {
    var to = event.relatedTarget;
    if (refilling || (to && (menu.contains(to) || textBox.contains(to)))) return;
    closeMenu();
  }
  textBox.addEventListener("focusout", closeWhenFocusLeaves);
  menu.addEventListener("focusout", closeWhenFocusLeaves);

  // Hovering shows a word's suggestions too, and they stay while the pointer is on
  // the word or the menu (or the keyboard is in them).
  textBox.addEventListener("mouseover", function (event) {
    var button = event.target.closest("button.misspelled");
    if (button && !menu.contains(document.activeElement)) openMenu(button, false);
  });
  [textBox, menu].forEach(function (element) {
    element.addEventListener("mouseout", function () {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(function () {
        var active = document.activeElement;
        if (active === shownFor || menu.contains(active)) return;
        if (textBox.matches(":hover") || menu.matches(":hover")) return;
        closeMenu();
      }, 400);
    });
    element.addEventListener("mouseover", function () {
      clearTimeout(hideTimer);
    });
  });
})();
