/* 处置通, the handheld app: one script for every /m/ page.
 *
 * - The outbox: reports and on-the-spot fixes are saved in IndexedDB (with their photo Blobs and
 *   a fresh idempotency key) before anything is sent, then sent; a network error leaves them
 *   queued (retried on "online", on page load and every 30 s); a 2xx removes them; a 4xx keeps
 *   them marked with the server's message, to edit or delete. Never silently dropped.
 * - Duty: sign on / off with the position; while on duty a position is recorded every
 *   ping_interval_s (GET /api/v1/duty/me) into an IndexedDB queue and sent in batches of at most 500.
 * - The live push (EventSource /events/) shows a banner for new messages.
 * - Maps: the grid polygon on a plain background (no tile server), my position, a draggable
 *   marker on the report form.
 * - The service worker (/m/sw.js) is registered so that the app opens offline.
 */
(function () {
  "use strict";

  var body = document.body;
  var PAGE = body.dataset.page || "";
  var AUTH = body.dataset.auth === "1";
  // Reports and positions belong to the user who made them: on a shared phone, another
  // user's items wait for that user to sign in again, and are never sent as someone else.
  var USER = body.dataset.user || "";
  var RETRY_MS = 30000;
  var PING_BATCH = 500;

  function t(name) {
    return body.dataset["t" + name] || "";
  }

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function csrf() {
    return cookie("csrftoken") || body.dataset.csrf || "";
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) {
      crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var toastTimer = null;
  function toast(text, kind) {
    var el = document.getElementById("toast");
    if (!el || !text) { return; }
    el.textContent = text;
    el.className = "m-toast" + (kind ? " m-toast-" + kind : "");
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, 5000);
  }

  function showError(id, text) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.textContent = text || "";
    el.hidden = !text;
  }

  // --- requests ------------------------------------------------------------------------------

  /* fetch with the CSRF token; resolves {status, ok, data}, rejects on a network error. */
  function request(method, url, payload, headers) {
    var opts = { method: method, credentials: "same-origin", headers: headers || {} };
    opts.headers["Accept"] = "application/json";
    if (method !== "GET") { opts.headers["X-CSRFToken"] = csrf(); }
    if (payload instanceof FormData) {
      opts.body = payload;
    } else if (payload !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(payload);
    }
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: res.status, ok: res.ok, data: data };
      });
    });
  }

  function messageOf(res) {
    if (res.data && res.data.message) { return res.data.message; }
    return "HTTP " + res.status;
  }

  // --- IndexedDB -----------------------------------------------------------------------------

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var req = indexedDB.open("wangge-mobile", 1);
        req.onupgradeneeded = function () {
          var d = req.result;
          if (!d.objectStoreNames.contains("outbox")) { d.createObjectStore("outbox", { keyPath: "key" }); }
          if (!d.objectStoreNames.contains("pings")) { d.createObjectStore("pings", { keyPath: "client_id" }); }
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }

  function store(name, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(name, mode);
        var result;
        var req = work(tx.objectStore(name));
        if (req) { req.onsuccess = function () { result = req.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function getAll(name) { return store(name, "readonly", function (s) { return s.getAll(); }); }
  function getMine(name) {
    return getAll(name).then(function (items) {
      return items.filter(function (i) { return i.owner === USER; });
    });
  }
  function getOne(name, key) { return store(name, "readonly", function (s) { return s.get(key); }); }
  function putOne(name, value) { return store(name, "readwrite", function (s) { return s.put(value); }); }
  function deleteOne(name, key) { return store(name, "readwrite", function (s) { return s.delete(key); }); }
  function deleteMany(name, keys) {
    return store(name, "readwrite", function (s) { keys.forEach(function (k) { s.delete(k); }); });
  }

  // --- the outbox ----------------------------------------------------------------------------

  var flushing = null;
  var flushAgain = false;

  function formData(item) {
    var fd = new FormData();
    Object.keys(item.fields).forEach(function (key) {
      var value = item.fields[key];
      if (value !== null && value !== undefined && value !== "") { fd.append(key, value); }
    });
    (item.files || []).forEach(function (f) { fd.append(f.field, f.blob, f.name || "photo.jpg"); });
    return fd;
  }

  /* Send one item: POST multipart with its idempotency key. Rejects on a network error. */
  function sendItem(item) {
    return request("POST", item.url, formData(item), { "Idempotency-Key": item.key });
  }

  /* Send every waiting item, oldest first; stop at the first network error. */
  function flush() {
    if (flushing) {
      // Something may have been queued after this round read the outbox: one more round.
      flushAgain = true;
      return flushing;
    }
    flushing = getMine("outbox").then(function (items) {
      var waiting = items.filter(function (i) { return i.state !== "error"; });
      waiting.sort(function (a, b) { return a.created - b.created; });
      var chain = Promise.resolve(true);
      waiting.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) { return false; }
          return sendItem(item).then(function (res) {
            if (res.ok) {
              var number = res.data && res.data.number;
              toast(fmt(t("Sent"), { number: number || "" }), "ok");
              rememberSent(number);
              return deleteOne("outbox", item.key).then(function () { return true; });
            }
            if (res.status === 401 || (res.status === 403 && !(res.data && res.data.message))) {
              // Not the report's fault: keep it waiting and say what to do.
              item.note = t("SigninAgain");
              return putOne("outbox", item).then(function () { return false; });
            }
            if (res.status >= 400 && res.status < 500) {
              item.state = "error";
              item.error = messageOf(res);
              item.errorField = res.data && res.data.field;
              return putOne("outbox", item).then(function () { return true; });
            }
            return false; // 5xx: the server's trouble; try again later
          }, function () {
            return false; // offline or the network failed: the item stays queued
          });
        });
      });
      return chain;
    }).catch(function () { return false; }).then(function (result) {
      flushing = null;
      return renderOutbox().then(function () {
        if (flushAgain && result) {
          flushAgain = false;
          return flush();
        }
        flushAgain = false;
        return result;
      });
    });
    return flushing;
  }

  function rememberSent(number) {
    if (!number) { return; }
    try {
      var sent = JSON.parse(localStorage.getItem("wangge.sent") || "[]");
      sent.unshift({ number: number, at: Date.now() });
      localStorage.setItem("wangge.sent", JSON.stringify(sent.slice(0, 20)));
    } catch (e) { /* private mode: nothing to remember */ }
  }

  function queue(item) {
    return putOne("outbox", item).then(renderOutbox).then(flush);
  }

  function renderOutbox() {
    return getMine("outbox").then(function (items) {
      items.sort(function (a, b) { return a.created - b.created; });
      document.querySelectorAll("[data-outbox-count]").forEach(function (el) {
        el.textContent = String(items.length);
      });
      document.querySelectorAll("[data-outbox-empty]").forEach(function (el) {
        el.hidden = items.length > 0;
      });
      var list = document.getElementById("outbox-list");
      if (!list) { return; }
      list.innerHTML = items.map(function (item) {
        var kind = item.kind === "fix" ? t("Fix") : t("Report");
        var state = item.state === "error"
          ? '<span class="m-tag m-tag-error">' + esc(t("Rejected")) + "</span>"
          : '<span class="m-tag">' + esc(t("Waiting")) + "</span>";
        var edit = (item.kind === "fix" ? "/m/fix/" : "/m/report/") + "?edit=" + encodeURIComponent(item.key);
        return (
          '<li class="m-outbox-item" data-key="' + esc(item.key) + '" data-state="' + esc(item.state) + '">' +
          '<span class="m-item-head"><b>' + esc(kind) + "</b> " + state + "</span>" +
          '<span class="m-item-text">' + esc((item.fields.description || "").slice(0, 80)) + "</span>" +
          '<span class="m-item-meta">' + esc(new Date(item.created).toLocaleString()) + " · " +
          esc(t("Photos")) + ": " + (item.files || []).length + "</span>" +
          (item.error ? '<span class="m-error m-outbox-error">' + esc(item.error) + "</span>" : "") +
          (item.note ? '<span class="m-hint">' + esc(item.note) + "</span>" : "") +
          '<span class="m-row">' +
          '<a class="m-btn m-btn-small" href="' + esc(edit) + '">' + esc(t("Edit")) + "</a>" +
          '<button type="button" class="m-btn m-btn-small m-btn-warn" data-delete="' + esc(item.key) + '">' +
          esc(t("Delete")) + "</button></span></li>"
        );
      }).join("");
    }).catch(function () { /* no IndexedDB: nothing to show */ });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-delete]");
    if (!button) { return; }
    if (window.confirm(t("ConfirmDelete"))) {
      deleteOne("outbox", button.dataset.delete).then(renderOutbox);
    }
  });

  // --- position ------------------------------------------------------------------------------

  var lastPosition = null;

  function position(timeout) {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        lastPosition = p;
        resolve(p);
      }, function () { resolve(lastPosition); }, {
        enableHighAccuracy: true, timeout: timeout || 10000, maximumAge: 30000,
      });
    });
  }

  function round7(x) { return Math.round(x * 1e7) / 1e7; }

  // --- maps ----------------------------------------------------------------------------------

  function parsePair(text) {
    if (!text) { return null; }
    var parts = text.split(",").map(Number);
    return parts.length === 2 && isFinite(parts[0]) && isFinite(parts[1]) ? parts : null; // [lon, lat]
  }

  function drawMap(el) {
    if (!window.L || !el) { return null; }
    var source = document.getElementById(el.dataset.grids || "grids-data");
    var data = source ? JSON.parse(source.textContent) : null;
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
    var layer = null;
    if (data && data.features && data.features.length) {
      layer = L.geoJSON(data, {
        style: function (f) {
          var color = f.properties.color || "#0b6e4f";
          return { color: color, weight: 3, fillColor: color, fillOpacity: 0.18 };
        },
        onEachFeature: function (f, polygon) { polygon.bindTooltip(f.properties.name); },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [16, 16] });
    } else {
      var c = parsePair(el.dataset.centre) || parsePair(el.dataset.point) || [102.85, 24.88];
      map.setView([c[1], c[0]], 15);
    }
    el.classList.add("ready");
    return { map: map, layer: layer };
  }

  function homeMap() {
    var el = document.getElementById("map");
    var drawn = drawMap(el);
    if (!drawn) { return; }
    var me = null;
    function show(p) {
      var ll = [p.coords.latitude, p.coords.longitude];
      if (!me) {
        me = L.circleMarker(ll, { radius: 8, color: "#fff", weight: 3, fillColor: "#1a73e8", fillOpacity: 1 })
          .bindTooltip(el.dataset.tMe || "").addTo(drawn.map);
      } else {
        me.setLatLng(ll);
      }
    }
    if (navigator.geolocation) {
      navigator.geolocation.watchPosition(function (p) { lastPosition = p; show(p); }, function () {}, {
        enableHighAccuracy: true, maximumAge: 30000,
      });
    }
  }

  function pointMap() {
    var el = document.getElementById("map");
    var drawn = drawMap(el);
    var point = el && parsePair(el.dataset.point);
    if (drawn && point) {
      L.marker([point[1], point[0]]).addTo(drawn.map);
    }
  }

  // --- the report and fix forms --------------------------------------------------------------

  function reportPage() {
    var form = document.getElementById("report-form");
    if (!form) { return; }
    var el = document.getElementById("map");
    var drawn = drawMap(el);
    var marker = null;
    var lon = document.getElementById("lon");
    var lat = document.getElementById("lat");
    var editing = null;
    var placedByHand = false;

    function place(lonValue, latValue) {
      lon.value = round7(lonValue);
      lat.value = round7(latValue);
      document.getElementById("lon-text").textContent = lon.value;
      document.getElementById("lat-text").textContent = lat.value;
      if (!drawn) { return; }
      var ll = [latValue, lonValue];
      if (!marker) {
        marker = L.marker(ll, { draggable: true, autoPan: true }).addTo(drawn.map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          placedByHand = true;
          place(p.lng, p.lat);
        });
      } else {
        marker.setLatLng(ll);
      }
    }

    if (drawn) {
      drawn.map.on("click", function (e) { placedByHand = true; place(e.latlng.lng, e.latlng.lat); });
    }
    var centre = parsePair(el && el.dataset.centre);
    function fallback() {
      if (placedByHand || lon.value) { return; }
      var note = document.getElementById("position-note");
      if (centre) { place(centre[0], centre[1]); }
      if (note) { note.textContent = t("NoPosition"); note.hidden = false; }
    }
    position(10000).then(function (p) {
      if (placedByHand || editing) { return; }
      if (p) { place(p.coords.longitude, p.coords.latitude); } else { fallback(); }
    });

    // The category picker: the API while online, the embedded list offline (same matching:
    // name, code, keywords, class, pinyin and its initials).
    var categories = JSON.parse((document.getElementById("categories-data") || { textContent: "[]" }).textContent);
    var search = document.getElementById("category-search");
    var choices = document.getElementById("category-choices");
    var chosen = document.getElementById("category-chosen");
    var hidden = document.getElementById("category");
    var timer = null;
    var asked = 0;

    function localSearch(q) {
      q = q.trim().toLowerCase();
      var compact = q.replace(/\s+/g, "");
      var ranked = [];
      categories.forEach(function (c) {
        var rank = null;
        if (!q) { rank = 9; }
        else if (c.code.toLowerCase() === q) { rank = 0; }
        else if (c.name.indexOf(q) === 0) { rank = 1; }
        else if (c.name.indexOf(q) >= 0) { rank = 2; }
        else if (c.code.toLowerCase().indexOf(q) === 0) { rank = 3; }
        else if ((c.keywords || "").toLowerCase().indexOf(q) >= 0) { rank = 4; }
        else if ((c.major_name || "").indexOf(q) >= 0) { rank = 5; }
        else if (/^[a-z]+$/.test(compact) && compact.length >= 2) {
          if ((" " + c.initials).indexOf(" " + compact) >= 0) { rank = 6; }
          else if (c.initials.indexOf(compact) >= 0) { rank = 7; }
          else if (c.pinyin.replace(/\s+/g, "").indexOf(compact) >= 0) { rank = 8; }
        }
        if (rank !== null) { ranked.push([rank, c]); }
      });
      ranked.sort(function (a, b) { return a[0] - b[0]; });
      return ranked.slice(0, 20).map(function (r) { return r[1]; });
    }

    function showChoices(list) {
      if (!list.length) {
        choices.innerHTML = '<li class="m-muted">' + esc(form.dataset.tNoMatch) + "</li>";
        return;
      }
      choices.innerHTML = list.map(function (c) {
        return (
          '<li><button type="button" class="m-choice" role="option" data-code="' + esc(c.code) +
          '" data-name="' + esc(c.name) + '"><b>' + esc(c.name) + "</b> <span class=\"m-muted\">" +
          esc(c.major_name || "") + " · " + esc(c.code) + "</span></button></li>"
        );
      }).join("");
    }

    function choose(code, name) {
      hidden.value = code || "";
      chosen.textContent = code ? name + " (" + code + ")" : "";
      chosen.hidden = !code;
      choices.innerHTML = "";
      if (code) { search.value = ""; }
    }

    function lookUp() {
      var q = search.value;
      var mine = ++asked;
      if (!navigator.onLine) { showChoices(localSearch(q)); return; }
      request("GET", form.dataset.categoriesApi + "?limit=20&q=" + encodeURIComponent(q.trim()))
        .then(function (res) {
          if (mine !== asked) { return; }
          showChoices(res.ok && Array.isArray(res.data) ? res.data : localSearch(q));
        }, function () {
          if (mine === asked) { showChoices(localSearch(q)); }
        });
    }

    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 200);
    });
    search.addEventListener("focus", function () { if (!choices.children.length) { lookUp(); } });
    choices.addEventListener("click", function (event) {
      var b = event.target.closest(".m-choice");
      if (b) { choose(b.dataset.code, b.dataset.name); }
    });

    // Photo previews.
    var kept = {};
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () {
        var box = form.querySelector('[data-thumbs="' + input.name + '"]');
        if (!box) { return; }
        box.innerHTML = "";
        Array.prototype.forEach.call(input.files, function (file) {
          var img = document.createElement("img");
          img.src = URL.createObjectURL(file);
          img.alt = file.name;
          box.appendChild(img);
        });
        delete kept[input.name];
      });
    });

    // Editing an item the server did not accept: fill the form from it.
    var key = new URLSearchParams(location.search).get("edit");
    if (key) {
      getOne("outbox", key).then(function (item) {
        if (!item) { return; }
        editing = item;
        document.getElementById("edit-note").hidden = false;
        form.elements.description.value = item.fields.description || "";
        if (item.fields.category) {
          var known = categories.filter(function (c) { return c.code === item.fields.category; })[0];
          choose(item.fields.category, known ? known.name : item.fields.category);
        }
        if (item.fields.lon && item.fields.lat) { place(Number(item.fields.lon), Number(item.fields.lat)); }
        (item.files || []).forEach(function (f) {
          (kept[f.field] = kept[f.field] || []).push(f);
        });
        Object.keys(kept).forEach(function (field) {
          var box = form.querySelector('[data-thumbs="' + field + '"]');
          if (!box) { return; }
          box.innerHTML = '<span class="m-hint">' + esc(form.dataset.tKeptPhotos) + "</span>";
          kept[field].forEach(function (f) {
            var img = document.createElement("img");
            img.src = URL.createObjectURL(f.blob);
            box.appendChild(img);
          });
        });
        if (item.error) { showError("form-error", item.error); }
      });
    }

    function filesOf(name) {
      var input = form.querySelector('input[type=file][name="' + name + '"]');
      var picked = input ? Array.prototype.slice.call(input.files) : [];
      if (!picked.length && kept[name]) { return kept[name]; }
      return picked.map(function (file) { return { field: name, blob: file, name: file.name }; });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fix = form.dataset.kind === "fix";
      var files = fix ? filesOf("before").concat(filesOf("after")) : filesOf("photos");
      var description = form.elements.description.value.trim();
      var problem = null;
      if (fix && (!filesOf("before").length || !filesOf("after").length)) { problem = form.dataset.tNeedBeforeAfter; }
      else if (!fix && !files.length) { problem = form.dataset.tNeedPhoto; }
      else if (fix && !hidden.value) { problem = form.dataset.tNeedCategory; }
      else if (!description) { problem = form.dataset.tNeedDescription; }
      else if (!lon.value || !lat.value) { problem = form.dataset.tNeedPosition; }
      showError("form-error", problem);
      if (problem) { return; }
      var fields = { description: description, lon: lon.value, lat: lat.value, category: hidden.value };
      if (!fix) { fields.source = "five_roles"; }
      var item = {
        owner: USER,
        key: editing ? editing.key : uuid(),
        kind: form.dataset.kind,
        url: form.dataset.api,
        fields: fields,
        files: files,
        created: editing ? editing.created : Date.now(),
        state: "waiting",
      };
      queue(item).then(function () {
        toast(form.dataset.tQueued);
      });
      // A fresh form for the next report (the position stays).
      editing = null;
      kept = {};
      form.elements.description.value = "";
      form.querySelectorAll("input[type=file]").forEach(function (input) { input.value = ""; });
      form.querySelectorAll("[data-thumbs]").forEach(function (box) { box.innerHTML = ""; });
      document.getElementById("edit-note").hidden = true;
      choose("", "");
      if (location.search) { history.replaceState(null, "", location.pathname); }
    });
  }

  // --- a case: the workflow actions through the cases API ------------------------------------

  function casePage() {
    pointMap();
    var section = document.getElementById("case");
    if (!section) { return; }
    document.querySelectorAll("form.m-action").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var fd = new FormData(form);
        var submitter = event.submitter;
        if (submitter && submitter.name) { fd.set(submitter.name, submitter.value); }
        fd.set("version", section.dataset.version);
        // An empty file input sends an empty part: leave it out.
        var photos = fd.getAll("photos").filter(function (f) { return f && f.size; });
        fd.delete("photos");
        photos.forEach(function (f) { fd.append("photos", f, f.name); });
        if (!navigator.onLine) { showError("action-error", t("NeedOnline")); return; }
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        request("POST", section.dataset.api + form.dataset.action, fd).then(function (res) {
          if (res.ok) {
            toast(section.dataset.tDone, "ok");
            location.reload();
            return;
          }
          showError("action-error", messageOf(res));
        }, function () {
          showError("action-error", t("NeedOnline"));
        }).then(function () {
          form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        });
      });
    });
  }

  // --- a linkage call, an alert: acknowledge, arrive, handle ---------------------------------

  function stepsPage(sectionId) {
    if (document.getElementById("map")) { pointMap(); }
    var section = document.getElementById(sectionId);
    if (!section) { return; }
    document.querySelectorAll("form.m-call-step").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!navigator.onLine) { showError("action-error", t("NeedOnline")); return; }
        var payload = {};
        var comment = form.elements.comment;
        if (comment) { payload.comment = comment.value; }
        var ready = form.dataset.position ? position(10000) : Promise.resolve(null);
        ready.then(function (p) {
          if (form.dataset.position && p) {
            payload.lon = round7(p.coords.longitude);
            payload.lat = round7(p.coords.latitude);
          }
          return request("POST", section.dataset.api + form.dataset.step, payload);
        }).then(function (res) {
          if (res.ok) {
            toast(section.dataset.tDone, "ok");
            showError("action-error", "");
            if (section.id === "call") { location.reload(); }
            return;
          }
          showError("action-error", messageOf(res));
        }, function () { showError("action-error", t("NeedOnline")); });
      });
    });
  }

  // --- duty: sign on / off and position pings ------------------------------------------------

  var DUTY_KEY = "wangge.duty";
  var pingTimer = null;
  var pingWatch = null;

  function dutyState() {
    try { return JSON.parse(localStorage.getItem(DUTY_KEY) || "null") || { on: false, interval: 60 }; }
    catch (e) { return { on: false, interval: 60 }; }
  }

  function saveDuty(state) {
    try { localStorage.setItem(DUTY_KEY, JSON.stringify(state)); } catch (e) { /* ignore */ }
  }

  function startPings() {
    var state = dutyState();
    if (!state.on || pingTimer) { return; }
    if (navigator.geolocation && pingWatch === null) {
      pingWatch = navigator.geolocation.watchPosition(function (p) { lastPosition = p; }, function () {}, {
        enableHighAccuracy: true, maximumAge: 10000,
      });
    }
    var every = Math.max(5, Number(state.interval) || 60) * 1000;
    pingTimer = setInterval(recordPing, every);
    flushPings();
  }

  function stopPings() {
    clearInterval(pingTimer);
    pingTimer = null;
    if (pingWatch !== null && navigator.geolocation) { navigator.geolocation.clearWatch(pingWatch); }
    pingWatch = null;
  }

  function recordPing() {
    var p = lastPosition;
    if (!p) { return position(8000).then(function (q) { if (q) { return storePing(q); } }); }
    return storePing(p);
  }

  function storePing(p) {
    return putOne("pings", {
      owner: USER,
      client_id: uuid(),
      at: new Date(p.timestamp || Date.now()).toISOString(),
      lon: round7(p.coords.longitude),
      lat: round7(p.coords.latitude),
      accuracy: Math.round(p.coords.accuracy || 0),
    }).then(flushPings);
  }

  var pingFlushing = null;

  /* Send queued pings in batches of at most 500; a 4xx listing bad points drops those and sends
   * the rest again; a network error keeps everything for later. */
  function flushPings() {
    if (pingFlushing) { return pingFlushing; }
    function round() {
      return getMine("pings").then(function (pings) {
        renderPingCount(pings.length);
        if (!pings.length) { return; }
        pings.sort(function (a, b) { return a.at < b.at ? -1 : a.at > b.at ? 1 : 0; });
        var batch = pings.slice(0, PING_BATCH);
        var points = batch.map(function (p) {
          return { client_id: p.client_id, at: p.at, lon: p.lon, lat: p.lat, accuracy: p.accuracy };
        });
        return request("POST", "/api/v1/duty/pings", { pings: points }).then(function (res) {
          if (res.ok) {
            return deleteMany("pings", batch.map(function (p) { return p.client_id; })).then(round);
          }
          var bad = res.data && Array.isArray(res.data.errors) ? res.data.errors : [];
          // Each bad point is named by its index, or by its field ("pings[3].lon").
          var indexes = bad.map(function (e) {
            if (typeof e.index === "number") { return e.index; }
            var m = /^pings\[(\d+)\]/.exec(e.field || "");
            return m ? Number(m[1]) : -1;
          }).filter(function (i) {
            return typeof i === "number" && i >= 0 && i < batch.length;
          });
          if (res.status >= 400 && res.status < 500 && indexes.length) {
            return deleteMany("pings", indexes.map(function (i) { return batch[i].client_id; })).then(round);
          }
          // Anything else: keep the points and try again later.
        }, function () { /* offline */ });
      });
    }
    pingFlushing = round().catch(function () {}).then(function () {
      pingFlushing = null;
      return getMine("pings").then(function (p) { renderPingCount(p.length); }).catch(function () {});
    });
    return pingFlushing;
  }

  function renderPingCount(n) {
    var row = document.getElementById("duty-pings");
    if (row) { row.hidden = !n; }
    document.querySelectorAll("[data-ping-count]").forEach(function (el) { el.textContent = String(n); });
  }

  function dutyCard() {
    var card = document.getElementById("duty");
    if (!card) { return; }
    var status = document.getElementById("duty-status");
    var button = document.getElementById("duty-button");

    function show(session) {
      var on = Boolean(session);
      card.dataset.on = on ? "1" : "";
      if (on) {
        var started = new Date(session.started_at);
        var time = isNaN(started) ? "" : started.toTimeString().slice(0, 5);
        status.textContent = fmt(card.dataset.tOn, { time: time });
      } else {
        status.textContent = card.dataset.tOff;
      }
      button.textContent = on ? card.dataset.tSignOff : card.dataset.tSignOn;
      button.classList.toggle("m-btn-warn", on);
      button.classList.toggle("m-btn-primary", !on);
    }

    function apply(session, interval) {
      var state = dutyState();
      state.on = Boolean(session);
      if (interval) { state.interval = interval; }
      saveDuty(state);
      show(session);
      if (state.on) { startPings(); } else { stopPings(); }
    }

    request("GET", "/api/v1/duty/me").then(function (res) {
      if (res.ok && res.data) {
        apply(res.data.session, res.data.ping_interval_s);
      }
    }, function () { /* offline: keep what the page says */ });

    button.addEventListener("click", function () {
      var on = card.dataset.on === "1";
      showError("duty-error", "");
      if (!navigator.onLine) { showError("duty-error", t("NeedOnline")); return; }
      button.disabled = true;
      position(10000).then(function (p) {
        var payload = {};
        if (p) { payload.lon = round7(p.coords.longitude); payload.lat = round7(p.coords.latitude); }
        if (!on) {
          payload.client_id = uuid();
          if (Number(card.dataset.roles) > 1) { payload.grid = card.dataset.grid; payload.role = card.dataset.role; }
        }
        return request("POST", on ? "/api/v1/duty/sign-off" : "/api/v1/duty/sign-on", payload);
      }).then(function (res) {
        if (!res.ok) { showError("duty-error", messageOf(res)); return; }
        if (on) {
          flushPings();
          apply(null);
        } else {
          var session = res.data && (res.data.session || res.data);
          apply(session, null);
          recordPing();
        }
      }, function () {
        showError("duty-error", t("NeedOnline"));
      }).then(function () { button.disabled = false; });
    });
  }

  // --- task counts and the live push ---------------------------------------------------------

  function refreshCounts() {
    if (!document.querySelector("[data-task-count]")) { return; }
    request("GET", "/api/v1/me/tasks").then(function (res) {
      if (!res.ok || !res.data) { return; }
      Object.keys(res.data.counts).forEach(function (name) {
        var el = document.querySelector('[data-task-count="' + name + '"]');
        if (el) { el.textContent = String(res.data.counts[name]); }
      });
    }, function () {});
  }

  function mobileUrl(note) {
    var url = note.url || "";
    var alert = /\/alerts\/(\d+)\/?$/.exec(url);
    if (note.kind === "alert") { return alert ? "/m/alerts/" + alert[1] + "/" : "/m/tasks/#alerts"; }
    if (note.kind === "linkage") { return "/m/tasks/#linkage"; }
    var m = /\/cases\/(\d+)\/?$/.exec(url);
    if (m) { return "/m/cases/" + m[1] + "/"; }
    if (note.url && note.url.indexOf("/m/") === 0) { return note.url; }
    return "/m/tasks/";
  }

  function livePush() {
    if (!window.EventSource || !body.dataset.events) { return; }
    var banner = document.getElementById("push-banner");
    var source = new EventSource(body.dataset.events);
    window.WanggeApp.events = source;
    source.addEventListener("notification", function (event) {
      var note;
      try { note = JSON.parse(event.data); } catch (e) { return; }
      if (banner) {
        var link = banner.querySelector(".m-banner-link");
        link.textContent = note.text;
        link.href = mobileUrl(note);
        banner.dataset.kind = note.kind || "";
        banner.hidden = false;
      }
      if (navigator.vibrate) { navigator.vibrate(200); }
      refreshCounts();
    });
    if (banner) {
      banner.querySelector(".m-banner-close").addEventListener("click", function () { banner.hidden = true; });
    }
  }

  // --- connection state and the service worker -----------------------------------------------

  function netStatus() {
    var el = document.getElementById("net-status");
    if (el) { el.hidden = navigator.onLine; el.title = t("Offline"); }
  }

  window.addEventListener("online", function () {
    netStatus();
    flush();
    flushPings();
    refreshCounts();
  });
  window.addEventListener("offline", netStatus);

  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.scope }).catch(function () {});
  }

  // For people's scripts and the browser test: the outbox by hand.
  window.WanggeApp = {
    flush: flush,
    items: function () { return getMine("outbox"); },
    requeue: function (item) { item.state = "waiting"; return putOne("outbox", item).then(flush); },
    pings: function () { return getMine("pings"); },
    flushPings: flushPings,
  };

  netStatus();
  if (!AUTH) { return; }
  if (PAGE === "home") { homeMap(); dutyCard(); }
  if (PAGE === "report" || PAGE === "fix") { reportPage(); }
  if (PAGE === "case") { casePage(); }
  if (PAGE === "call") { stepsPage("call"); }
  if (PAGE === "alert") { stepsPage("alert"); }
  renderOutbox().then(flush);
  if (dutyState().on) { startPings(); }
  setInterval(function () { flush(); flushPings(); }, RETRY_MS);
  livePush();
})();
