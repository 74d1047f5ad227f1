// Quiets the browser console of a lesson page, for webpack's shared-module notices only (README,
// "What the server's log shows"). The widget libraries share modules through webpack's module
// federation, and Voila's bundle and the widget extensions were built against slightly different
// versions of JupyterLab. So every page logs about 13 notices such as "Unsatisfied version 4.2.5
// from _JUPYTERLAB.CORE_OUTPUT of shared singleton module @jupyterlab/console (required ^4.6.2)"
// (the one copy already loaded is used) and "No satisfying version (^4.6.2) of shared module
// @jupyterlab/outputarea found in shared scope default. Available versions: ..." (the extension's own
// copy is loaded instead). The page works either way, and nothing a trainer or learner does changes it.
// Only a console.warn whose single argument is exactly such a notice is held back; each is kept in
// window.lessonkitQuieted (for the tests, and for anyone debugging). Every other warning and every
// error is shown as before.
(function () {
  "use strict";
  var NOTICES = [
    /^Unsatisfied version \S+ from \S+ of shared singleton module \S+ \(required [^()]+\)$/,
    /^No satisfying version \([^()]+\) of shared module \S+ found in shared scope \S+\.\nAvailable versions: [^\n]*$/
  ];
  var warn = console.warn;
  var held = (window.lessonkitQuieted = []);

  function notice(args) {
    return args.length === 1 && typeof args[0] === "string" &&
      NOTICES.some(function (pattern) { return pattern.test(args[0]); });
  }

  console.warn = function () {
    if (notice(arguments)) {
      held.push(arguments[0]);
      return;
    }
    return warn.apply(console, arguments);
  };
})();
