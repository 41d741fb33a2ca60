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
  // Settings → Alerts: notifications on this device. Resolves to the push subscription as JSON
  // text (with a name for the device), or rejects with "unsupported", "denied" or the
  // browser's own reason.
  function deviceName() {
    var ua = navigator.userAgent;
    var browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" :
      /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
    var os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Mac OS X/.test(ua) ? "macOS" :
      /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : "";
    return os ? browser + " · " + os : browser;
  }
  function keyBytes(b64) {
    var s = (b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(s), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  window.hearthPushSubscribe = function (key) {
    if (!("PushManager" in window) || !("Notification" in window)) return Promise.reject("unsupported");
    return Notification.requestPermission()
      .then(function (p) {
        if (p !== "granted") throw "denied";
        return navigator.serviceWorker.ready;
      })
      .then(function (reg) {
        return reg.pushManager.getSubscription().then(function (old) {
          return old || reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
        });
      })
      .then(function (sub) {
        var json = sub.toJSON();
        json.device = deviceName();
        return JSON.stringify(json);
      })
      .catch(function (e) { throw typeof e === "string" ? e : String((e && e.message) || e); });
  };
  // This browser's push address, or "" (none yet, or no push here).
  window.hearthPushEndpoint = function () {
    if (!("PushManager" in window)) return Promise.resolve("");
    return navigator.serviceWorker.ready
      .then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (sub) { return sub ? sub.endpoint : ""; })
      .catch(function () { return ""; });
  };
})();
