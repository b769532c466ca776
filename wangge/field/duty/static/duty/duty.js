/* The duty pages' maps, on top of wangge/map.js (which draws the grids first).
 *
 *   [data-duty-positions]  who is on duty now: each person's last position as a dot;
 *   [data-duty-replay]     a person's day: the track, excursions off post in red, and a marker
 *                          the play button and the time slider move along the track.
 * Times in the replay data are epoch milliseconds; the track is [[t, lat, lon], …] by time.
 */
(function () {
  "use strict";

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function mapOf(el) {
    var m = document.getElementById(el.dataset.map);
    return m && m.wanggeMap;
  }

  function positions(el) {
    var map = mapOf(el);
    var source = document.getElementById(el.dataset.dutyPositions);
    if (!map || !source) { return; }
    var points = JSON.parse(source.textContent);
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {
        radius: 7, color: "#fff", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.95,
      }).bindPopup(
        "<b>" + escapeHtml(p.name) + "</b><br>" + escapeHtml(p.role) + " · " + escapeHtml(p.grid) +
        "<br>" + escapeHtml(p.at) + '<br><a href="' + escapeHtml(p.url) + '">' +
        escapeHtml(el.dataset.tOpen) + " →</a>"
      ).addTo(map);
    });
  }

  function clock(ms, offset) {
    // In the platform's time zone (offset from UTC), not the browser's.
    var d = new Date(ms + (offset || 0));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()) + ":" + two(d.getUTCSeconds());
  }

  function replay(el) {
    var map = mapOf(el);
    var source = document.getElementById(el.dataset.dutyReplay);
    if (!map || !source) { return; }
    var data = JSON.parse(source.textContent);
    var track = data.track;
    var button = el.querySelector("[data-role=play]");
    var slider = el.querySelector("[data-role=slider]");
    var output = el.querySelector("[data-role=time]");
    if (!track.length) {
      button.disabled = true;
      slider.disabled = true;
      output.textContent = el.dataset.tNone;
      return;
    }
    var latlngs = track.map(function (p) { return [p[1], p[2]]; });
    // One line per stretch without an offline gap (no straight line across a lunch break).
    var parts = [[latlngs[0]]];
    for (var i = 1; i < track.length; i++) {
      if (data.gap_ms && track[i][0] - track[i - 1][0] > data.gap_ms) { parts.push([]); }
      parts[parts.length - 1].push(latlngs[i]);
    }
    var line = L.polyline(parts, { color: "#0b5cad", weight: 3, opacity: 0.8 }).addTo(map);
    data.excursions.forEach(function (span) {
      var part = track.filter(function (p) { return p[0] >= span[0] && p[0] <= span[1]; })
        .map(function (p) { return [p[1], p[2]]; });
      if (part.length) {
        L.polyline(part, { color: "#c0392b", weight: 5, opacity: 0.9 }).addTo(map);
      }
    });
    map.fitBounds(line.getBounds().extend(map.getBounds()), { padding: [16, 16] });
    var marker = L.circleMarker(latlngs[0], {
      radius: 8, color: "#fff", weight: 2, fillColor: "#d6336c", fillOpacity: 1,
    }).addTo(map);
    var first = track[0][0];
    var last = track[track.length - 1][0];
    slider.min = first;
    slider.max = last;
    slider.value = first;

    function at(ms) {
      // The last position at or before ms (binary search), interpolated towards the next.
      var lo = 0, hi = track.length - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (track[mid][0] <= ms) { lo = mid; } else { hi = mid - 1; }
      }
      var a = track[lo], b = track[Math.min(lo + 1, track.length - 1)];
      var f = b[0] > a[0] ? Math.min(1, Math.max(0, (ms - a[0]) / (b[0] - a[0]))) : 0;
      return [a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
    }

    function show(ms) {
      marker.setLatLng(at(ms));
      output.textContent = clock(ms, data.offset_ms);
      slider.value = ms;
      el.dataset.at = ms;
    }

    var timer = null;
    var step = Math.max(1000, (last - first) / 600); // the whole day in about 30 s
    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      button.textContent = el.dataset.tPlay;
    }
    button.addEventListener("click", function () {
      if (timer) { stop(); return; }
      if (Number(slider.value) >= last) { show(first); }
      button.textContent = el.dataset.tPause;
      timer = setInterval(function () {
        var next = Number(slider.value) + step;
        if (next >= last) { show(last); stop(); return; }
        show(next);
      }, 50);
    });
    slider.addEventListener("input", function () { stop(); show(Number(slider.value)); });
    show(first);
  }

  document.querySelectorAll("[data-duty-positions]").forEach(positions);
  document.querySelectorAll("[data-duty-replay]").forEach(replay);
})();
