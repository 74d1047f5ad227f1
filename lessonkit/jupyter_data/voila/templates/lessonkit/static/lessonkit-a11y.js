// lessonkit's accessibility layer over ipywidgets 8 (README, "Accessibility"). ipywidgets cannot set
// ARIA attributes from Python, so this script adds them to the rendered widgets and keeps them current:
//  - ToggleButtons (one choice from a set) follow the WAI-ARIA radio group pattern: the set is a
//    radiogroup, each button a radio with aria-checked kept in step with ipywidgets' `mod-active`
//    class; the set is one Tab stop (roving tabindex: the chosen button, else the first), and arrow
//    keys, Home and End move along it and choose, as in any radio group. (A lone ToggleButton is left
//    alone: ours rename themselves, e.g. Lock/Unlock, and "Unlock, pressed" would mislead.)
//  - labels: a widget's own description (.widget-label, a <label> tied to nothing for button sets and
//    radio buttons), or an HTML widget with the class lk-label-next, names the control that follows it.
//  - live regions: status lines, live board lines and other .lk-announce outputs get aria-live=polite
//    on the element that stays put while Python replaces its content, so changes are read out.
//  - landmarks: the template makes the output area role=main; a role=banner rendered inside it (the
//    learner header) loses that role, since a banner must not sit inside main.
// Voila's lessonkit template loads this file; in JupyterLab the page sends it once (pages.py). Either way
// it runs once per browser page.
(function () {
  "use strict";
  if (window.__lessonkitA11y) return;
  window.__lessonkitA11y = true;
  var LIVE = ".lk-status, .lk-live, .lk-announce";
  var SET = ".widget-toggle-buttons";
  var IN_SET = SET + " .widget-toggle-button";
  var CONTROLS = "input:not([type=hidden]), select, textarea";
  var serial = 0;

  function idOf(el) {
    if (!el.id) el.id = "lk-a11y-" + (++serial);
    return el.id;
  }

  function each(root, selector, fn) {
    if (root.matches(selector)) fn(root);
    root.querySelectorAll(selector).forEach(fn);
  }

  function put(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  function buttonsOf(set) {
    return Array.prototype.slice.call(set.querySelectorAll(".widget-toggle-button"));
  }

  // A set as a radio group: which button is checked, and which one Tab reaches (only one of them).
  function syncSet(set) {
    put(set, "role", "radiogroup");
    var buttons = buttonsOf(set);
    var enabled = buttons.filter(function (b) { return !b.disabled; });
    var checked = enabled.filter(function (b) { return b.classList.contains("mod-active"); })[0];
    var stop = checked || enabled[0];
    buttons.forEach(function (b) {
      put(b, "role", "radio");
      put(b, "aria-checked", b.classList.contains("mod-active") ? "true" : "false");
      put(b, "tabindex", b === stop ? "0" : "-1");
      b.removeAttribute("aria-pressed");
    });
  }

  function ownLabel(widget) {
    var label = widget.querySelector(":scope > .widget-label");
    return label && label.style.display !== "none" && label.textContent.trim() ? label : null;
  }

  // The element that takes the name: a button set or radio set as a group, else the single form control.
  function target(widget) {
    if (widget.matches(SET)) return widget;
    if (widget.matches(".widget-radio")) return widget.querySelector(".widget-radio-box") || widget;
    var controls = widget.matches(CONTROLS) ? [widget] : widget.querySelectorAll(CONTROLS);
    if (controls.length === 1) return controls[0];
    if (controls.length > 1 && !widget.getAttribute("role")) widget.setAttribute("role", "group");
    return controls.length ? widget : null;
  }

  function labelBy(widget, label) {
    var el = target(widget);
    if (el && !el.hasAttribute("aria-labelledby")) el.setAttribute("aria-labelledby", idOf(label));
  }

  function setUpSet(widget) {
    syncSet(widget);
    var label = ownLabel(widget);
    if (label) labelBy(widget, label);
  }

  function setUpRadios(widget) {
    var box = widget.querySelector(".widget-radio-box");
    if (box) box.setAttribute("role", "radiogroup");
    var label = ownLabel(widget);
    if (label) labelBy(widget, label);
  }

  function setUp(root) {
    var inSet = root.closest(SET);
    if (inSet && inSet !== root) syncSet(inSet);   // ipywidgets redrew the buttons of a set
    each(root, SET, setUpSet);
    each(root, ".widget-radio", setUpRadios);
    each(root, LIVE, function (el) { el.setAttribute("aria-live", "polite"); });
    each(root, "[role=main] [role=banner]", function (el) { el.removeAttribute("role"); });
    // a label and its control may be rendered in either order
    each(root, ".lk-label-next", function (label) {
      if (label.nextElementSibling) labelBy(label.nextElementSibling, label);
    });
    var before = root.previousElementSibling;
    if (before && before.matches(".lk-label-next")) labelBy(root, before);
  }

  function onMutations(records) {
    var sets = new Set();
    records.forEach(function (r) {
      if (r.type === "attributes") {
        if (r.target.matches(IN_SET)) sets.add(r.target.closest(SET));   // chosen, or disabled (a lock)
        else if (r.attributeName === "class" && r.target.matches(LIVE + ", .lk-label-next")) {
          setUp(r.target);   // add_class() after display
        }
        return;
      }
      r.addedNodes.forEach(function (node) { if (node.nodeType === 1) setUp(node); });
    });
    sets.forEach(syncSet);
  }

  var KEYS = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};

  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || !e.target.closest) return;
    var button = e.target.closest(IN_SET);
    if (!button || !(e.key in KEYS || e.key === "Home" || e.key === "End")) return;
    var set = buttonsOf(button.closest(SET)).filter(function (b) { return !b.disabled; });
    var i = set.indexOf(button), n = set.length;
    if (!n) return;
    var next = set[e.key === "Home" ? 0 : e.key === "End" ? n - 1 : (i + KEYS[e.key] + n) % n];
    e.preventDefault();
    e.stopPropagation();   // in JupyterLab, arrows would also move between cells
    next.focus();
    if (!next.classList.contains("mod-active")) next.click();   // moving chooses, as in a radio group
  }

  function start() {
    setUp(document.body);
    new MutationObserver(onMutations).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["class", "disabled"]});
    window.addEventListener("keydown", onKey, true);   // before JupyterLab's own shortcuts (document, capture)
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
