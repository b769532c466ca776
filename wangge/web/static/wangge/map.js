/* Draws the grids on every .grid-map element with Leaflet.
 *
 * The page embeds the grids as a GeoJSON FeatureCollection (json_script, id in data-grids);
 * each feature carries name, code, community, colour, area, staff per role, the label point
 * and the grid page URL. No tile server unless data-tile-url is set: grids then draw on the
 * plain background of the map element, which keeps the map working offline.
 */
(function () {
  "use strict";

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(
      /[&<>"']/g,
      function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      }
    );
  }

  function popupHtml(p, t) {
    var area = p.area_km2 === null ? "—" : p.area_km2.toFixed(2) + " km²";
    var roles = (p.roles || [])
      .map(function (r) {
        var short = r.actual < r.required ? ' class="short"' : "";
        return (
          "<li" + short + ">" + escapeHtml(r.role) + ": <b>" + r.actual + "</b> / " +
          r.required + "</li>"
        );
      })
      .join("");
    return (
      '<div class="grid-popup" data-code="' + escapeHtml(p.code) + '">' +
      "<h3>" + escapeHtml(p.name) + "</h3>" +
      "<dl>" +
      "<dt>" + escapeHtml(t.code) + "</dt><dd><code>" + escapeHtml(p.code) + "</code></dd>" +
      "<dt>" + escapeHtml(t.area) + "</dt><dd>" + area + "</dd>" +
      "<dt>" + escapeHtml(t.community) + "</dt><dd>" + escapeHtml(p.community) + "</dd>" +
      "<dt>" + escapeHtml(t.staff) + "</dt><dd>" + p.staff + "</dd>" +
      "</dl>" +
      (roles ? '<ul class="popup-roles">' + roles + "</ul>" : "") +
      (p.url ? '<a class="popup-link" href="' + escapeHtml(p.url) + '">' + escapeHtml(t.open) + " →</a>" : "") +
      "</div>"
    );
  }

  function hideCollidingLabels(labels) {
    var shown = [];
    labels.forEach(function (label) {
      var box = label.getElement().firstChild.getBoundingClientRect();
      var hit = shown.some(function (other) {
        return !(box.right < other.left || box.left > other.right ||
                 box.bottom < other.top || box.top > other.bottom);
      });
      label.getElement().classList.toggle("grid-label-hidden", hit);
      if (!hit) { shown.push(box); }
    });
  }

  function drawMap(el) {
    var source = document.getElementById(el.dataset.grids || "grids-data");
    var data = source ? JSON.parse(source.textContent) : { type: "FeatureCollection", features: [] };
    var t = {
      code: el.dataset.tCode, area: el.dataset.tArea, community: el.dataset.tCommunity,
      staff: el.dataset.tStaff, open: el.dataset.tOpen,
    };
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: Boolean(el.dataset.tileUrl) });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        attribution: el.dataset.tileAttribution || "", maxZoom: 19,
      }).addTo(map);
    }

    var labels = [];
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var color = feature.properties.color || "#3388ff";
        return { color: color, weight: 2, opacity: 0.9, fillColor: color, fillOpacity: 0.28 };
      },
      onEachFeature: function (feature, polygon) {
        var p = feature.properties;
        polygon.bindPopup(popupHtml(p, t), { maxWidth: 320 });
        polygon.on("mouseover", function () { polygon.setStyle({ fillOpacity: 0.45, weight: 3 }); });
        polygon.on("mouseout", function () { layer.resetStyle(polygon); });
        if (el.dataset.labels !== "no" && p.label) {
          var label = L.marker(p.label, {
            icon: L.divIcon({
              className: "grid-label",
              html: "<span>" + escapeHtml(p.name) + "</span>",
              iconSize: null,
            }),
            keyboard: false,
            title: p.name,
            area: p.area_km2 || 0,
          });
          label.on("add", function () {
            // A stable hook for people's scripts and the browser test: one label per grid code.
            label.getElement().dataset.code = p.code;
          });
          label.on("click", function () { polygon.openPopup(p.label); });
          labels.push(label);
        }
      },
    }).addTo(map);

    if (data.features.length) {
      // Keep the grids clear of the legend floating over the map: at the right on wide
      // screens, at the bottom on narrow ones.
      var panel = el.parentNode.querySelector(".map-panel");
      var wide = window.innerWidth > 800;
      var right = panel && wide ? panel.offsetWidth + 40 : 24;
      var bottom = panel && !wide ? panel.offsetHeight + 24 : 24;
      map.fitBounds(layer.getBounds(), {
        paddingTopLeft: [24, 24], paddingBottomRight: [right, bottom],
      });
    } else {
      map.setView([24.88, 102.85], 12);
      var note = L.control({ position: "topright" });
      note.onAdd = function () {
        var div = L.DomUtil.create("div", "map-note");
        div.textContent = el.dataset.tNone;
        return div;
      };
      note.addTo(map);
    }
    // Markers join the map only once it has a view, so the labels go on after fitBounds.
    labels.forEach(function (label) { label.addTo(map); });
    // Zoomed out, the labels of small grids would pile up: the bigger grid's label wins.
    labels.sort(function (a, b) { return b.options.area - a.options.area; });
    hideCollidingLabels(labels);
    map.on("zoomend", function () { hideCollidingLabels(labels); });
    el.wanggeMap = map;
    el.classList.add("ready");
  }

  document.querySelectorAll(".grid-map").forEach(drawMap);
})();
