  // ---------------------------------------------------------------- map
  var map = L.map('ml-map', { zoomControl: false, zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 4, maxZoom: 14 });
  api.map = map;
  var bounds = L.latLngBounds(D.bounds);
  function fit() {
    // fitting during a zoom animation would be undone when the animation ends
    if (map._animatingZoom) { map.once('zoomend', fit); return; }
    map.fitBounds(bounds, { padding: [6, 6] });
  }
  fit();
  [['ml-context', 250], ['ml-units', 400], ['ml-parents', 405], ['ml-groups', 410], ['ml-links', 420],
    ['ml-sites', 430], ['ml-heads', 440], ['ml-labels', 450]].forEach(function (p) {
    map.createPane(p[0]).style.zIndex = p[1];
  });
  map.getPane('ml-labels').style.pointerEvents = 'none';

  var tileLayers = [];
  if (D.basemap.tiles.length) {
    D.basemap.tiles.forEach(function (url) {
      var t = L.tileLayer(url, { subdomains: D.basemap.subdomains || 'abc', maxZoom: D.basemap.maxZoom });
      t.on('tileerror', function () { document.documentElement.setAttribute('data-ml-tiles', 'failed'); });
      tileLayers.push(t);
    });
    api.tiles = L.layerGroup(tileLayers).addTo(map);
  }

  var L_ = api.layers;
  function group(name) { L_[name] = L.featureGroup(); return L_[name]; }
  function bind(layer, content, tip) {
    layer.bindPopup(function () { return content(); }, { maxWidth: 320, autoPanPadding: [10, 10] });
    layer.bindTooltip(function () { return tip(); }, { sticky: true, direction: 'top', opacity: 0.95 });
    return layer;
  }

  group('context');
  D.context.forEach(function (c) {
    var region = c.kind === 'region';
    var p = area(polys(c.g, L.LatLng), {
      pane: 'ml-context', interactive: !region, className: 'ml-context ml-context-' + c.kind,
      color: region ? '#555' : '#9aa0a6', weight: region ? 2.5 : 0.8,
      fillColor: region ? '#ffffff' : '#e8e8e4', fillOpacity: region ? 0 : 1
    });
    if (!region) p.bindTooltip(function () { return el('span', null, tr(c.name)); }, { sticky: true });
    L_.context.addLayer(p);
  });

  group('units');
  // the national page (D.provinces): a province's counties are decoded and drawn only once the
  // view is zoomed in (DETAIL_ZOOM and closer) on that province; until then its prefectures
  // stand in for them, filled as their counties are
  var DETAIL_ZOOM = 6, detail = null;
  if (D.provinces) {
    detail = { loaded: {}, byProv: {}, coarse: {} };
    if (D.level === 'county') D.units.forEach(function (u, k) { (detail.byProv[u.prov] = detail.byProv[u.prov] || []).push([u, k]); });
  }
  // a shape of the wide view: its coarse outline until its province's detail is drawn
  function outline(item, prov) {
    if (!detail || !item.gc || detail.loaded[prov]) return polys(item.g, L.LatLng);
    return polys(item.gc, L.LatLng);
  }
  function swappable(layer, item, prov) {
    if (detail && item.gc && !detail.loaded[prov]) (detail.coarse[prov] = detail.coarse[prov] || []).push([layer, item.g]);
    return layer;
  }
  function addUnit(u) {
    var core = u.role === 'core';
    var p = area(outline(u, u.prov), {
      pane: 'ml-units', className: 'ml-unit' + (core ? ' ml-core' : '') + (u.altBlocks.length ? ' ml-exception' : ''),
      color: u.stroke, weight: core ? Math.max(u.w, 3) : u.w, fillColor: u.fill, fillOpacity: u.fo
    });
    bind(p, function () { return unitCard(u); }, function () {
      var r = tr(u.roleLabel);
      return el('span', null, tr(u.name) + (r ? ' · ' + r : ''));
    });
    p.feature = { id: u.id };
    L_.units.addLayer(swappable(p, u, u.prov));
    addException(u);
  }

  group('parents');
  var parentById = {};
  D.parents.forEach(function (pa) {
    var p = area(outline(pa, pa.prov), detail ? {
      pane: 'ml-parents', interactive: false, className: 'ml-parent', color: '#555', weight: 0.8,
      fillColor: pa.fill, fillOpacity: pa.fo
    } : {
      pane: 'ml-parents', interactive: false, className: 'ml-parent', color: '#222', weight: 2.2, fill: false
    });
    p.feature = { id: pa.id };
    parentById[pa.id] = pa;
    L_.parents.addLayer(swappable(p, pa, pa.prov));
  });

  group('provinces');
  var provinceLayer = {};
  (D.provinces || []).forEach(function (pr) {
    L_.provinces.addLayer(provinceLayer[pr.id] = swappable(area(outline(pr, pr.id), {
      pane: 'ml-parents', interactive: false, className: 'ml-province', color: '#222', weight: 1.8, fill: false
    }), pr, pr.id));
  });
  // a province in the view: a point of its outline inside it, or the view's centre inside it
  function inView(pr, view) {
    if (!view.intersects(L.latLngBounds(pr.b))) return false;
    var rings = provinceLayer[pr.id].getLatLngs(), c = view.getCenter(), inside = false;
    return rings.some(function (poly) {
      return (L.LineUtil.isFlat(poly) ? [poly] : poly).some(function (ring, ri) {
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          if (view.contains(ring[i])) return true;
          var a = ring[i], b = ring[j];
          if (ri === 0 && (a.lat > c.lat) !== (b.lat > c.lat) &&
              c.lng < (b.lng - a.lng) * (c.lat - a.lat) / (b.lat - a.lat) + a.lng) inside = !inside;
        }
        return false;
      });
    }) || inside;
  }

  group('exceptions');
  function addException(u) {
    if (!u.altBlocks.length) return;
    L_.exceptions.addLayer(area(polys(u.g, L.LatLng), {
      pane: 'ml-parents', interactive: false, className: 'ml-exception-outline',
      color: '#111', weight: 2.5, dashArray: '2 4', fill: false
    }));
  }
  if (!detail || D.level !== 'county') D.units.forEach(addUnit);
  // a province's detail: its shapes' full outlines; in a county view its counties, decoded,
  // drawn and labelled, its prefectures keeping only their outline
  function loadProvince(id) {
    if (!detail || detail.loaded[id]) return false;
    detail.loaded[id] = true;
    (detail.coarse[id] || []).forEach(function (lg) { lg[0].setLatLngs(polys(lg[1], L.LatLng)); });
    delete detail.coarse[id];
    (detail.byProv[id] || []).forEach(function (uk) { addUnit(uk[0]); addUnitLabel(uk[0], uk[1]); });
    L_.parents.eachLayer(function (l) {
      if (D.level === 'county' && parentById[l.feature.id].prov === id) l.setStyle({ fill: false, color: '#222', weight: 1.4 });
    });
    return true;
  }
  // the provinces the view needs (zoomed in far enough, and in view): true when one was added
  function updateDetail() {
    if (!detail || map.getZoom() < DETAIL_ZOOM) return false;
    var view = map.getBounds(), added = false;
    D.provinces.forEach(function (pr) {
      if (!detail.loaded[pr.id] && inView(pr, view)) added = loadProvince(pr.id) || added;
    });
    return added;
  }

  group('groups');
  D.groups.forEach(function (g) {
    var p = area(polys(g.g, L.LatLng), {
      // the group's fill is already in its role-less units (as in the print figure): here
      // only the outline, with a transparent interior that still takes clicks
      pane: 'ml-groups', className: 'ml-group', color: g.stroke, weight: g.w, dashArray: g.dash || null,
      fillColor: g.fill, fillOpacity: 0
    });
    bind(p, function () { return groupCard(g); }, function () { return el('span', null, tr(g.label)); });
    L_.groups.addLayer(p);
  });

  // corridors: a line trimmed short of its stops plus a triangle arrowhead, recomputed per zoom
  group('links');
  var linkParts = [];
  D.links.forEach(function (l) {
    var pts = ring(l.g);
    // a soft band under every corridor (the article also calls them "belts")
    L_.links.addLayer(L.polyline(pts, {
      pane: 'ml-links', interactive: false, className: 'ml-band', color: l.stroke,
      weight: l.w * 3.5, opacity: 0.22, lineCap: 'round'
    }));
    // a white casing under the line and its heads: a short corridor (a phone's default view)
    // stays legible over its own fill colour and next to the site markers
    var casing = L.polyline(pts, {
      pane: 'ml-links', interactive: false, className: 'ml-casing', color: '#ffffff',
      weight: l.w + 3, opacity: 0.9, lineCap: 'butt'
    });
    L_.links.addLayer(casing);
    var line = L.polyline(pts, {
      pane: 'ml-links', className: 'ml-link', color: l.stroke, weight: l.w, dashArray: l.dash || null,
      lineCap: 'butt', opacity: 0.95
    });
    // the heads above the site markers: a corridor ending at a site cluster still shows its end
    var opts = { pane: 'ml-heads', className: 'ml-arrow', color: '#ffffff', weight: 1.5, fillColor: l.stroke, fillOpacity: 1 };
    var heads = [];
    if (l.dir === 'forward' || l.dir === 'both') heads.push({ end: true, poly: L.polygon([pts[0], pts[0], pts[0]], opts) });
    if (l.dir === 'backward' || l.dir === 'both') heads.push({ end: false, poly: L.polygon([pts[0], pts[0], pts[0]], opts) });
    var content = function () { return linkCard(l); };
    var tip = function () { return el('span', null, tr(l.label)); };
    bind(line, content, tip);
    L_.links.addLayer(line);
    heads.forEach(function (h) { bind(h.poly, content, tip); L_.links.addLayer(h.poly); });
    linkParts.push({ link: l, pts: pts, line: line, casing: casing, heads: heads });
  });
  // links sharing a stretch are drawn side by side, one line width and a gap apart
  var slots = sharedSlots(D.links.map(function (l) { return l.stops; }));
  var slotStep = 2 + D.links.reduce(function (w, l) { return Math.max(w, l.w); }, 0);
  // a stop under a site group's marker: the line starts or ends at the marker's edge
  function clearOf(p, gap) {
    siteDiscs().forEach(function (d) {
      var dist = p.distanceTo(L.point(d[0], d[1]));
      if (dist < d[2]) gap = Math.max(gap, d[2] + 2 - dist);
    });
    return gap;
  }
  function placeArrows() {
    linkParts.forEach(function (lp, i) {
      var raw = lp.pts.map(function (p) { var q = map.latLngToLayerPoint(p); return [q.x, q.y]; });
      var px = offsetLine(raw, slots[i].map(function (s) { return s * slotStep; }))
        .map(function (p) { return L.point(p[0], p[1]); });
      if (px.length < 2) return;
      var total = 0;
      for (var k = 1; k < px.length; k++) total += px[k].distanceTo(px[k - 1]);
      // a corridor only a few head-lengths long on screen: smaller gaps and head, so that a
      // shaft remains visible between them; a ring without arrows is drawn whole
      var size = Math.min(Math.max(10, lp.link.w * 3.2), Math.max(7, total * 0.22));
      var gap = lp.link.closed && lp.link.dir === 'none' ? 0 : Math.min(9, total * 0.1);
      var gapStart = clearOf(px[0], gap), gapEnd = clearOf(px[px.length - 1], gap);
      function along(a, b, d) { var v = b.subtract(a), n = Math.max(1e-6, v.distanceTo(L.point(0, 0))); return a.add(v.multiplyBy(d / n)); }
      var first = px[0], last = px[px.length - 1];
      var s = along(first, px[1], gapStart), e = along(last, px[px.length - 2], gapEnd);
      lp.heads.forEach(function (h) {
        var tip = h.end ? e : s, from = h.end ? px[px.length - 2] : px[1];
        if (h.end && px.length === 2) from = s;
        if (!h.end && px.length === 2) from = e;
        var v = tip.subtract(from), n = Math.max(1e-6, v.distanceTo(L.point(0, 0)));
        var ux = v.x / n, uy = v.y / n, base = L.point(tip.x - ux * size, tip.y - uy * size);
        var w = size * 0.55;
        h.poly.setLatLngs([tip, L.point(base.x - uy * w, base.y + ux * w), L.point(base.x + uy * w, base.y - ux * w)]
          .map(function (p) { return map.layerPointToLatLng(p); }));
        if (h.end) e = base; else s = base;
      });
      var mid = px.slice(1, px.length - 1);
      var trimmed = [s].concat(mid, [e]).map(function (p) { return map.layerPointToLatLng(p); });
      lp.line.setLatLngs(trimmed);
      lp.casing.setLatLngs(trimmed);
    });
  }

  group('uncertainty');
  group('sites');
  D.sites.forEach(function (s) {
    if (s.precision !== 'surveyed' && s.r > 0) {
      L_.uncertainty.addLayer(L.circle(s.ll, {
        pane: 'ml-sites', radius: s.r, interactive: false, className: 'ml-uncertainty ml-p-' + s.precision,
        color: s.color, weight: 1.2, dashArray: '3 3', fillColor: s.color, fillOpacity: 0.08
      }));
    }
    var m = L.circleMarker(s.ll, {
      pane: 'ml-sites', radius: s.precision === 'placeholder' ? 5 : 6.5,
      className: 'ml-site ml-kind-' + s.kind.replace(/[^\w-]/g, '') + ' ml-p-' + s.precision,
      color: '#ffffff', weight: 2, fillColor: s.color, fillOpacity: s.precision === 'placeholder' ? 0.55 : 1,
      bubblingMouseEvents: false  // a click on a fanned-out site does not fold its group
    });
    bind(m, function () { return siteCard(s); }, function () { return el('span', null, tr(s.name)); });
    m.feature = { id: s.id };
    L_.sites.addLayer(m);
  });

