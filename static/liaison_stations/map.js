/*
 * Liaison-station directory map.
 *
 * Progressive enhancement: the page always lists the stations in a table; this
 * script only adds a Leaflet map on top when window.L (static/vendor/leaflet/
 * leaflet.js) is available. No inline scripts, no innerHTML with data, so it
 * works under a strict Content-Security-Policy.
 *
 * Markup expected:
 *   <div class="station-map"
 *        data-markers-id="station-markers"   (id of a json_script element)
 *        data-tiles="https://tiles.example/{z}/{x}/{y}.png"  (may be empty)
 *        data-attribution="&copy; ..."></div>  (may be empty)
 *   {{ markers|json_script:"station-markers" }}
 *
 * Each marker: {"name": str, "lat": number, "lng": number, "url": str,
 *               "kind": str, "stars": int}
 *
 * Stations close together on the screen are drawn as one numbered circle
 * (a cluster); selecting it zooms in, or lists the stations when they share a
 * place. The clustering is a small greedy pass over screen pixels, done here rather
 * than with Leaflet.markercluster: a few hundred stations need no more, and it
 * keeps one vendored library (and its licence and updates) out of the project.
 * The attribution names no flag: only the tile server's own credit, if any.
 */
(function () {
  "use strict";

  // Okabe-Ito palette: distinguishable for the common forms of colour blindness.
  var KIND_COLOURS = {
    home: "#D55E00",    // vermilion
    station: "#0072B2", // blue
    point: "#009E73",   // bluish green
    online: "#CC79A7"   // reddish purple
  };
  var DEFAULT_COLOUR = "#555555";
  var DEFAULT_CENTER = [23.13, 113.26];
  var DEFAULT_ZOOM = 8;
  var FIT_MAX_ZOOM = 14;
  var MAX_STARS = 10;
  var MAX_ZOOM = 18;
  var CELL = 40; // px: stations nearer than this on screen join one cluster

  function readMarkers(id) {
    if (!id) {
      return [];
    }
    var el = document.getElementById(id);
    if (!el) {
      return [];
    }
    var data;
    try {
      data = JSON.parse(el.textContent || "[]");
    } catch (e) {
      return [];
    }
    return Object.prototype.toString.call(data) === "[object Array]" ? data : [];
  }

  function toNumber(value) {
    var n = typeof value === "number" ? value : parseFloat(value);
    return isFinite(n) ? n : null;
  }

  // Only allow relative links and http(s)/mailto; refuse javascript: etc.
  function safeUrl(url) {
    if (typeof url !== "string") {
      return null;
    }
    var trimmed = url.replace(/^[\s\u0000-\u001f]+|[\s\u0000-\u001f]+$/g, "");
    if (!trimmed) {
      return null;
    }
    var scheme = /^([a-zA-Z][a-zA-Z0-9+.\-]*):/.exec(trimmed.replace(/[\t\n\r]/g, ""));
    if (scheme) {
      var s = scheme[1].toLowerCase();
      if (s !== "http" && s !== "https" && s !== "mailto") {
        return null;
      }
    }
    return trimmed;
  }

  function starsText(stars) {
    var n = parseInt(stars, 10);
    if (!isFinite(n) || n <= 0) {
      return "";
    }
    if (n > MAX_STARS) {
      n = MAX_STARS;
    }
    var out = "";
    for (var i = 0; i < n; i++) {
      out += "\u2605"; // ★
    }
    return out;
  }

  function buildPopup(station) {
    var box = document.createElement("div");
    box.className = "station-popup";

    var name = station.name == null ? "" : String(station.name);
    var href = safeUrl(station.url);
    var title;
    if (href) {
      title = document.createElement("a");
      title.setAttribute("href", href);
    } else {
      title = document.createElement("strong");
    }
    title.textContent = name;
    box.appendChild(title);

    var stars = starsText(station.stars);
    if (stars) {
      box.appendChild(document.createElement("br"));
      var starEl = document.createElement("span");
      starEl.className = "station-stars";
      starEl.setAttribute("aria-label", String(stars.length) + " \u2605");
      starEl.textContent = stars;
      box.appendChild(starEl);
    }
    return box;
  }

  function initMap(container) {
    var L = window.L;
    if (container.getAttribute("data-map-ready") === "1") {
      return;
    }
    container.setAttribute("data-map-ready", "1");

    var markers = readMarkers(container.getAttribute("data-markers-id"));
    var tiles = container.getAttribute("data-tiles") || "";
    var attribution = container.getAttribute("data-attribution") || "";

    var map = L.map(container, { scrollWheelZoom: false, maxZoom: MAX_ZOOM });
    map.attributionControl.setPrefix(false);

    if (tiles) {
      L.tileLayer(tiles, { attribution: attribution, maxZoom: 19 }).addTo(map);
    }

    var stations = [];
    var points = [];
    for (var i = 0; i < markers.length; i++) {
      var station = markers[i];
      if (!station || typeof station !== "object") {
        continue;
      }
      var lat = toNumber(station.lat);
      var lng = toNumber(station.lng);
      if (lat === null || lng === null || lat < -90 || lat > 90 || lng < -180 || lng > 180) {
        continue;
      }
      stations.push({ station: station, latlng: L.latLng(lat, lng) });
      points.push([lat, lng]);
    }

    var layer = L.layerGroup().addTo(map);
    var clusterTitle = container.getAttribute("data-cluster-title") || "{n}";
    map.on("zoomend", function () {
      drawClusters(map, layer, stations, clusterTitle);
    });

    if (points.length) {
      map.fitBounds(L.latLngBounds(points), { maxZoom: FIT_MAX_ZOOM, padding: [20, 20] });
    } else {
      map.setView(DEFAULT_CENTER, DEFAULT_ZOOM);
    }
    drawClusters(map, layer, stations, clusterTitle);
  }

  function stationMarker(item) {
    var colour = KIND_COLOURS.hasOwnProperty(item.station.kind)
      ? KIND_COLOURS[item.station.kind]
      : DEFAULT_COLOUR;
    return L.circleMarker(item.latlng, {
      radius: 8,
      color: "#ffffff",
      weight: 2,
      fillColor: colour,
      fillOpacity: 0.9
    }).bindPopup(buildPopup(item.station));
  }

  function listPopup(group) {
    var list = document.createElement("ul");
    list.className = "station-popup-list";
    for (var i = 0; i < group.length; i++) {
      var li = document.createElement("li");
      li.appendChild(buildPopup(group[i].station));
      list.appendChild(li);
    }
    return list;
  }

  function clusterMarker(map, group, title) {
    var bounds = L.latLngBounds(group.map(function (item) { return item.latlng; }));
    var size = group.length < 10 ? 34 : group.length < 100 ? 40 : 48;
    var label = document.createElement("span");
    label.textContent = String(group.length);
    var marker = L.marker(bounds.getCenter(), {
      icon: L.divIcon({ className: "station-cluster", html: label, iconSize: [size, size] }),
      title: title.replace("{n}", String(group.length)),
      alt: title.replace("{n}", String(group.length)),
      riseOnHover: true
    });
    var samePlace = bounds.getNorthEast().equals(bounds.getSouthWest());
    if (samePlace || map.getZoom() >= MAX_ZOOM) {
      marker.bindPopup(listPopup(group));
    } else {
      marker.on("click", function () {
        map.fitBounds(bounds, { padding: [40, 40], maxZoom: MAX_ZOOM });
      });
    }
    return marker;
  }

  // Greedy clustering over screen pixels: each station joins the first cluster whose first station lies within
  // CELL pixels of it, else starts one. Unlike fixed grid cells, two stations side by side across a cell border
  // still join.
  function drawClusters(map, layer, stations, title) {
    layer.clearLayers();
    var zoom = map.getZoom();
    var clusters = [];
    for (var i = 0; i < stations.length; i++) {
      var p = map.project(stations[i].latlng, zoom);
      var home = null;
      for (var k = 0; k < clusters.length; k++) {
        if (Math.abs(clusters[k].x - p.x) <= CELL && Math.abs(clusters[k].y - p.y) <= CELL) {
          home = clusters[k];
          break;
        }
      }
      if (home === null) {
        home = { x: p.x, y: p.y, items: [] };
        clusters.push(home);
      }
      home.items.push(stations[i]);
    }
    for (var j = 0; j < clusters.length; j++) {
      var group = clusters[j].items;
      layer.addLayer(group.length === 1 ? stationMarker(group[0]) : clusterMarker(map, group, title));
    }
  }

  function initAll() {
    if (!window.L || typeof window.L.map !== "function") {
      return; // Leaflet not loaded: the station table remains the fallback.
    }
    var nodes = document.querySelectorAll("div.station-map");
    for (var i = 0; i < nodes.length; i++) {
      try {
        initMap(nodes[i]);
      } catch (e) {
        if (window.console && window.console.error) {
          window.console.error("station map:", e);
        }
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
