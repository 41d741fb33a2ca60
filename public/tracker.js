// The customer's tracker (/t/{token}) is server-rendered and loads no wasm. This keeps it
// live: the server pushes "changed" on /events/track/{token} when the order moves on, and the
// page's <main> is fetched again and swapped in place (also every 30 s, in case the stream
// dropped). The new <main> is the server's own rendering, in which every customer-supplied
// text is already escaped; DOMParser runs no scripts.
(function () {
  var token = location.pathname.split("/")[2] || "";
  var busy = false;
  function refresh() {
    if (busy) return;
    busy = true;
    fetch(location.href, { headers: { accept: "text/html" }, cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("main.tracker");
        var here = document.querySelector("main.tracker");
        if (fresh && here) here.replaceWith(document.importNode(fresh, true));
        if (doc.title) document.title = doc.title;
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  if ("EventSource" in window) {
    new EventSource("/events/track/" + encodeURIComponent(token)).addEventListener("changed", refresh);
  }
  setInterval(refresh, 30000);
  // Lets tests and tools know the page is live (what `data-hydrated` means on app pages).
  document.body.setAttribute("data-hydrated", "true");
})();
