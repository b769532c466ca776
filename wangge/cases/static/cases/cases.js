/* The case pages' maps, on top of wangge/map.js (which draws the grids first).
 *
 *   [data-pick-lon]   the report form: a click on the map places the problem and fills lon/lat;
 *   [data-point-lon]  the case page: the case's point over its grid;
 *   [data-cases-url]  the live map: open cases as dots, fetched again every data-refresh seconds.
 * The grids' own popups belong to the grid pages; here a click means "this place" or "this case".
 */
(function () {
  "use strict";

  // The same tones as the status badges (cases.css); overdue wins over the state.
  var TONES = {
    reported: "#6b7785", filed: "#8e44ad", dispatched: "#0b5cad", handling: "#e67e22",
    suspended: "#95a5a6", handled: "#1e8e4f", closed: "#1e8e4f", rejected: "#45505c",
    overdue: "#c0392b", pick: "#d6336c",
  };

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function quiet(map) {
    map.eachLayer(function (layer) {
      if (layer.feature && layer.getPopup && layer.getPopup()) { layer.unbindPopup(); }
    });
    map.getContainer().classList.add("no-grid-popups");
  }

  function dot(latlng, tone, radius) {
    return L.circleMarker(latlng, {
      radius: radius || 8, color: "#fff", weight: 2, fillColor: TONES[tone] || TONES.reported,
      fillOpacity: 0.95, pane: "cases",
    });
  }

  function pick(wrap, map) {
    var lon = document.getElementById(wrap.dataset.pickLon);
    var lat = document.getElementById(wrap.dataset.pickLat);
    var marker = null;
    function place(latlng) {
      // A drawn dot, not L.marker: no marker images to fetch.
      if (marker) { marker.setLatLng(latlng); } else { marker = dot(latlng, "pick", 9).addTo(map); }
    }
    if (lon.value && lat.value) { place([parseFloat(lat.value), parseFloat(lon.value)]); }
    map.on("click", function (e) {
      place(e.latlng);
      lon.value = e.latlng.lng.toFixed(7);
      lat.value = e.latlng.lat.toFixed(7);
      lon.dispatchEvent(new Event("change", { bubbles: true }));
    });
    map.getContainer().style.cursor = "crosshair";
  }

  function point(wrap, map) {
    var latlng = [parseFloat(wrap.dataset.pointLat), parseFloat(wrap.dataset.pointLon)];
    dot(latlng, wrap.dataset.tone, 9).addTo(map);
  }

  function live(wrap, map) {
    var layer = L.layerGroup().addTo(map);
    var every = (parseInt(wrap.dataset.refresh, 10) || 30) * 1000;
    function refresh() {
      fetch(wrap.dataset.casesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) {
          layer.clearLayers();
          var counts = { overdue: 0 };
          data.cases.forEach(function (c) {
            counts[c.status] = (counts[c.status] || 0) + 1;
            if (c.overdue) { counts.overdue += 1; }
            var m = dot([c.lat, c.lon], c.overdue ? "overdue" : c.status, c.key ? 10 : 7);
            m.bindPopup(
              '<div class="case-popup"><a href="' + escapeHtml(c.url) + '"><b>' + escapeHtml(c.number) +
              "</b></a><br>" + escapeHtml(c.status_label) + (c.overdue ? " · <b class=\"late\">!</b>" : "") +
              "<br>" + escapeHtml(c.category) + " · " + escapeHtml(c.grid) +
              '<br><span class="muted">' + escapeHtml(c.description) + "</span></div>"
            );
            m.addTo(layer);
          });
          document.querySelectorAll("#case-legend li").forEach(function (li) {
            li.querySelector(".n").textContent = counts[li.dataset.status] || 0;
          });
          var total = document.getElementById("case-total");
          if (total) { total.textContent = data.cases.length; }
          var at = document.getElementById("case-refreshed");
          if (at) {
            // In the page's language (zh-hans → 下午3:05:09), not the browser's.
            var now = new Date();
            try { at.textContent = now.toLocaleTimeString(document.documentElement.lang || undefined); }
            catch (e) { at.textContent = now.toLocaleTimeString(); }
          }
          wrap.dataset.loaded = String(data.cases.length);
        })
        .catch(function (err) { wrap.dataset.error = String(err); });
    }
    refresh();
    setInterval(refresh, every);
  }

  document.querySelectorAll(".grid-map").forEach(function (el) {
    var map = el.wanggeMap;
    if (!map) { return; }
    var wrap = el.parentNode;
    // Case dots above the grid labels (markerPane, 600), which would hide a case at a grid's
    // centre; below the popups (700).
    map.createPane("cases").style.zIndex = 650;
    quiet(map);
    if (wrap.dataset.pickLon) { pick(wrap, map); }
    if (wrap.dataset.pointLon) { point(wrap, map); }
    if (wrap.dataset.casesUrl) { live(wrap, map); }
  });
})();
