// lessonkit's accessibility layer over ipywidgets 8 (README, "Accessibility"). ipywidgets cannot set
// ARIA attributes from Python, so this script adds them to the rendered widgets and keeps them current:
//  - ToggleButtons: role=group on the set, aria-pressed on each button kept in sync with ipywidgets'
//    `mod-active` class; arrow keys, Home and End move focus within a set. (A lone ToggleButton is left
//    alone: ours rename themselves, e.g. Lock/Unlock, and "Unlock, pressed" would mislead.)
//  - labels: a widget's own description (.widget-label, a <label> tied to nothing for button sets and
//    radio buttons), or an HTML widget with the class lk-label-next, names the control that follows it.
//  - live regions: status lines, live board lines and other .lk-announce outputs get aria-live=polite
//    on the element that stays put while Python replaces its content, so changes are read out.
//  - landmarks: the template makes the output area role=main; a role=banner rendered inside it (the
//    learner header) loses that role, since a banner must not sit inside main.
(function () {
  "use strict";
  var LIVE = ".lk-status, .lk-live, .lk-announce";
  var IN_SET = ".widget-toggle-buttons .widget-toggle-button";
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

  function syncPressed(button) {
    var on = button.classList.contains("mod-active") ? "true" : "false";
    if (button.getAttribute("aria-pressed") !== on) button.setAttribute("aria-pressed", on);
  }

  function ownLabel(widget) {
    var label = widget.querySelector(":scope > .widget-label");
    return label && label.style.display !== "none" && label.textContent.trim() ? label : null;
  }

  // The element that takes the name: a button set or radio set as a group, else the single form control.
  function target(widget) {
    if (widget.matches(".widget-toggle-buttons")) return widget;
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

  function setUpGroup(widget) {
    widget.setAttribute("role", "group");
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
    each(root, ".widget-toggle-buttons", setUpGroup);
    each(root, ".widget-radio", setUpRadios);
    each(root, IN_SET, syncPressed);
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
    records.forEach(function (r) {
      if (r.type === "attributes") {
        if (r.target.matches(IN_SET)) syncPressed(r.target);
        else if (r.target.matches(LIVE + ", .lk-label-next")) setUp(r.target);   // add_class() after display
        return;
      }
      r.addedNodes.forEach(function (node) { if (node.nodeType === 1) setUp(node); });
    });
  }

  var KEYS = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};

  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || !e.target.closest) return;
    var button = e.target.closest(IN_SET);
    if (!button || !(e.key in KEYS || e.key === "Home" || e.key === "End")) return;
    var set = Array.prototype.filter.call(button.parentNode.querySelectorAll(".widget-toggle-button"),
                                          function (b) { return !b.disabled; });
    var i = set.indexOf(button), n = set.length;
    var next = e.key === "Home" ? 0 : e.key === "End" ? n - 1 : (i + KEYS[e.key] + n) % n;
    e.preventDefault();
    set[next].focus();
  }

  function start() {
    setUp(document.body);
    new MutationObserver(onMutations).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["class"]});
    document.addEventListener("keydown", onKey);
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
