// Quiets the browser console of a lesson page, for one notice only (README, "Quiet logs").
// The widget libraries share their modules through webpack's module federation. Voila's own bundle
// and the widget extensions ask for slightly different versions of the same modules, and webpack
// warns "Unsatisfied version 6.0.12 from @voila-dashboards/widgets-manager8 of shared singleton module
// @jupyter-widgets/base (required ^6.0.0)" for each of them: 13 lines on every page, though one
// copy of each module is used and the page works. Nothing a trainer or learner does changes that.
// Only a console.warn whose single argument is exactly such a notice is held back; it is kept in
// window.lessonkitQuieted (for the tests, and for anyone debugging). Every other warning and every
// error is shown as before.
(function () {
  "use strict";
  var NOTICE = /^Unsatisfied version \S+ from \S+ of shared singleton module \S+ \(required [^()]+\)$/;
  var warn = console.warn;
  var held = (window.lessonkitQuieted = []);
  console.warn = function () {
    if (arguments.length === 1 && typeof arguments[0] === "string" && NOTICE.test(arguments[0])) {
      held.push(arguments[0]);
      return;
    }
    return warn.apply(console, arguments);
  };
})();
