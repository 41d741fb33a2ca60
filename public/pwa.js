// Registers Hearth's service worker and offers a reload when a new version is deployed.
(function () {
  if (!("serviceWorker" in navigator)) return;
  var hadController = !!navigator.serviceWorker.controller;
  function offer(worker) {
    if (document.querySelector(".update-banner")) return;
    var bar = document.createElement("div");
    bar.className = "update-banner";
    bar.setAttribute("role", "status");
    bar.innerHTML = '<span>A new version of Hearth is ready.</span> <button type="button" class="btn btn-small">Reload</button>';
    bar.querySelector("button").addEventListener("click", function () { worker.postMessage("skipWaiting"); });
    document.body.appendChild(bar);
  }
  navigator.serviceWorker.register("/sw.js").then(function (reg) {
    if (reg.waiting && hadController) offer(reg.waiting);
    reg.addEventListener("updatefound", function () {
      var w = reg.installing;
      if (!w) return;
      w.addEventListener("statechange", function () {
        if (w.state === "installed" && navigator.serviceWorker.controller) offer(w);
      });
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (hadController) location.reload();
    hadController = true;
  });
  // The driver page asks for a fresh copy of itself to be kept for offline use; resolves to
  // true once it is stored. Waits for the worker to be active, so it works on the very first
  // signed-in visit too (the page is not yet controlled then, but the next load will be).
  window.hearthKeepPage = function () {
    return navigator.serviceWorker.ready.then(function (reg) {
      var worker = reg.active;
      if (!worker) return false;
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) { resolve(e.data === true); };
        // The client files this page loaded (the wasm is split per page): kept with it.
        var files = (performance.getEntriesByType ? performance.getEntriesByType("resource") : [])
          .map(function (e) { return new URL(e.name).pathname; })
          .filter(function (p) { return p.indexOf("/pkg/") === 0; });
        worker.postMessage({ keep: location.pathname, files: files }, [channel.port2]);
        setTimeout(function () { resolve(false); }, 20000);
      });
    });
  };
})();
