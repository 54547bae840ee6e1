// maplayout build --watch: injected by the local server into each HTML page it serves (the
// files on disk are never changed). Polls the server's build generation on 127.0.0.1 and
// reloads the page once a newer build has been published. Only the top window polls: a map
// shown in the viewer page's frame is reloaded with it.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.top !== window.self) return;
  var seen = script.getAttribute("data-generation");
  var url = script.getAttribute("data-url");
  function poll() {
    fetch(url, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (generation) {
        if (generation.trim() !== seen) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 400);
        }
      }, function () { window.setTimeout(poll, 1500); });  // server stopped: keep trying
  }
  window.setTimeout(poll, 400);
})();
