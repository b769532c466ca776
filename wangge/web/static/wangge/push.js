// The live push on every page: new inbox messages arrive as server-sent events from /events/.
// The unread badge follows them, and a short notice appears in the corner; an urgent kind
// (an alert or a linkage call) stays until it is dismissed.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var link = document.querySelector(".inbox-link");
  if (!link) return; // not signed in
  var URGENT = { alert: true, linkage: true };

  function setBadge(count) {
    var badge = link.querySelector(".badge");
    if (!count) {
      if (badge) badge.remove();
      link.classList.remove("has-unread");
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge";
      link.appendChild(document.createTextNode(" "));
      link.appendChild(badge);
    }
    badge.textContent = String(count);
    link.classList.add("has-unread");
  }

  function box() {
    var el = document.getElementById("push-notices");
    if (!el) {
      el = document.createElement("div");
      el.id = "push-notices";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      document.body.appendChild(el);
    }
    return el;
  }

  function show(note) {
    var item = document.createElement(note.url ? "a" : "div");
    item.className = "push-notice" + (URGENT[note.kind] ? " urgent" : "");
    if (note.url) item.href = note.url;
    item.textContent = note.text;
    box().appendChild(item);
    if (!URGENT[note.kind]) {
      setTimeout(function () { item.remove(); }, 8000);
    } else {
      item.addEventListener("click", function () { item.remove(); });
    }
  }

  var source = new EventSource(link.dataset.events || "/events/");
  source.addEventListener("notification", function (event) {
    var note;
    try { note = JSON.parse(event.data); } catch (e) { return; }
    setBadge(note.unread);
    show(note);
  });
})();
