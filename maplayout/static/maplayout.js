/* maplayout viewer: draws the embedded layout model with Leaflet. Our own code; needs only L.
 *
 * Debug / test handle: window.maplayout = {
 *   map, data, lang, ready, readyAt (performance.now() when interactive), layers,
 *   counts() -> {units, parents, groups, links, arrows, sites, uncertainty, context, labels, highlighted},
 *   setLang(lang), search(query) -> [{kind: 'unit'|'parent'|'site', id, name}],
 *   suggest(query) -> {kind, id, name} | null (the closest entry when search finds nothing),
 *   select(kind, id), decode(text) -> [[lat, lon]] }
 * and the event "maplayout:ready" on window once the map is interactive.
 * Every text goes into the page through textContent or an escaping helper, never raw HTML.
 */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('maplayout-data').textContent);
  var LANGS = ['zh-Hans', 'zh-Hant', 'en'];
  var lang = D.lang;
  var api = (window.maplayout = { data: D, lang: lang, ready: false, readyAt: null, layers: {} });

  // ---------------------------------------------------------------- decoding
  var ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var LUT = {};
  for (var i = 0; i < ALPHA.length; i++) LUT[ALPHA.charAt(i)] = i;
  function ring(s) {
    var vals = [], acc = 0, mul = 1, c, k;
    for (k = 0; k < s.length; k++) {
      c = LUT[s.charAt(k)];
      if (c >= 32) { acc += (c - 32) * mul; mul *= 32; continue; }
      acc += c * mul;
      vals.push(acc % 2 ? -(acc + 1) / 2 : acc / 2);
      acc = 0; mul = 1;
    }
    var out = [], lat = 0, lon = 0;
    for (k = 0; k + 1 < vals.length; k += 2) {
      lat += vals[k]; lon += vals[k + 1];
      out.push([lat / D.scale, lon / D.scale]);
    }
    return out;
  }
  function polys(g) { return g.map(function (p) { return p.map(ring); }); }

  // ---------------------------------------------------------------- text helpers
  function tr(obj) {
    if (!obj) return '';
    if (typeof obj === 'string') return obj;
    return obj[lang] || obj['zh-Hans'] || obj.en || '';
  }
  function ui(key) { var t = D.ui[lang] || {}; return key in t ? t[key] : key; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function dist(r) {
    return r >= 1000 ? (Math.round(r / 100) / 10) + ' ' + ui('unit.km') : Math.round(r) + ' ' + ui('unit.m');
  }
  var unitById = {}, groupById = {};
  D.units.forEach(function (u) { unitById[u.id] = u; });
  D.groups.forEach(function (g) { groupById[g.id] = g; });
  function placeName(id) { return unitById[id] ? tr(unitById[id].short) || tr(unitById[id].name) : id; }
  function knownPlace(id) { return unitById[id] ? placeName(id) : ''; }
  function srcLine(refs) {
    var s = D.meta.source || {};
    var parts = [tr(s.publication), s.date || ''].filter(Boolean).join(' ');
    return parts + (refs && refs.length ? ' [' + refs.join(', ') + ']' : '');
  }

  // ---------------------------------------------------------------- popups
  function card(title, rows, desc, refs, warning) {
    var box = el('div', 'ml-card');
    box.appendChild(el('h3', null, title));
    if (warning) box.appendChild(el('p', 'ml-warn', warning));
    if (desc) box.appendChild(el('p', 'ml-desc', desc));
    var dl = el('dl');
    rows.forEach(function (r) {
      if (!r[1]) return;
      dl.appendChild(el('dt', null, ui(r[0])));
      dl.appendChild(el('dd', r[2] || null, r[1]));
    });
    if (refs) { dl.appendChild(el('dt', null, ui('popup.source'))); dl.appendChild(el('dd', null, srcLine(refs))); }
    box.appendChild(dl);
    return box;
  }
  function unitCard(u) {
    var groups = u.groups.map(function (g) { return groupById[g] ? tr(groupById[g].label) : g; });
    var alt = u.altBlocks.map(function (b) { return ui('block.' + b); });
    return card(tr(u.name), [
      ['popup.role', tr(u.roleLabel)],
      ['popup.groups', groups.join('、')],
      ['popup.alt', alt.join('、'), 'ml-alt']
    ], tr(u.desc), u.refs.length ? u.refs : null);
  }
  function groupCard(g) {
    return card(tr(g.label), [
      ['popup.role', tr(g.roleLabel)],
      ['popup.members', g.members.map(placeName).join('、')]
    ], tr(g.desc), g.refs.length ? g.refs : null);
  }
  function linkCard(l) {
    return card(tr(l.label), [
      ['popup.role', tr(l.roleLabel)],
      ['popup.from_to', l.stops.map(placeName).join(l.dir === 'both' ? ' ↔ ' : ' → ')]
    ], tr(l.desc), l.refs.length ? l.refs : null);
  }
  function precisionText(s) {
    var key = 'precision.' + s.precision;
    var text = key in D.ui[lang] ? ui(key).replace('{r}', dist(s.r)) : s.precision;
    var note = tr(s.note);
    return note ? text + '；' + note : text;
  }
  function locSrcText(t) {  // a note only given in English is marked as such in the Chinese UI
    return t && (/[\u3400-\u9fff]/.test(t) ? t : t + ui('popup.note_en'));
  }
  function siteCard(s) {
    return card(tr(s.name), [
      ['popup.kind', tr(s.kindLabel)],
      ['popup.host', knownPlace(s.host)],
      ['popup.precision', precisionText(s), 'ml-precision ml-p-' + s.precision],
      ['popup.location_source', locSrcText(tr(s.locSrc))]
    ], tr(s.desc), s.refs.length ? s.refs : null, s.uncertain ? ui('popup.identity') : '');
  }

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
    var p = L.polygon(polys(c.g), {
      pane: 'ml-context', interactive: !region, className: 'ml-context ml-context-' + c.kind,
      color: region ? '#555' : '#9aa0a6', weight: region ? 2.5 : 0.8,
      fillColor: region ? '#ffffff' : '#e8e8e4', fillOpacity: region ? 0 : 1
    });
    if (!region) p.bindTooltip(function () { return el('span', null, tr(c.name)); }, { sticky: true });
    L_.context.addLayer(p);
  });

  group('units');
  D.units.forEach(function (u) {
    var core = u.role === 'core';
    var p = L.polygon(polys(u.g), {
      pane: 'ml-units', className: 'ml-unit' + (core ? ' ml-core' : '') + (u.altBlocks.length ? ' ml-exception' : ''),
      color: u.stroke, weight: core ? Math.max(u.w, 3) : u.w, fillColor: u.fill, fillOpacity: u.fo
    });
    bind(p, function () { return unitCard(u); }, function () {
      var r = tr(u.roleLabel);
      return el('span', null, tr(u.name) + (r ? ' · ' + r : ''));
    });
    p.feature = { id: u.id };
    L_.units.addLayer(p);
  });

  group('parents');
  var parentById = {};
  D.parents.forEach(function (pa) {
    var p = L.polygon(polys(pa.g), {
      pane: 'ml-parents', interactive: false, className: 'ml-parent', color: '#222', weight: 2.2, fill: false
    });
    p.feature = { id: pa.id };
    parentById[pa.id] = pa;
    L_.parents.addLayer(p);
  });

  group('exceptions');
  D.units.forEach(function (u) {
    if (!u.altBlocks.length) return;
    L_.exceptions.addLayer(L.polygon(polys(u.g), {
      pane: 'ml-parents', interactive: false, className: 'ml-exception-outline',
      color: '#111', weight: 2.5, dashArray: '2 4', fill: false
    }));
  });

  group('groups');
  D.groups.forEach(function (g) {
    var p = L.polygon(polys(g.g), {
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
  function placeArrows() {
    linkParts.forEach(function (lp) {
      var px = lp.pts.map(function (p) { return map.latLngToLayerPoint(p); });
      if (px.length < 2) return;
      var total = 0;
      for (var k = 1; k < px.length; k++) total += px[k].distanceTo(px[k - 1]);
      // a corridor only a few head-lengths long on screen: smaller gaps and head, so that a
      // shaft remains visible between them
      var size = Math.min(Math.max(10, lp.link.w * 3.2), Math.max(7, total * 0.22));
      var gapEnd = Math.min(9, total * 0.1), gapStart = Math.min(9, total * 0.1);
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
      color: '#ffffff', weight: 2, fillColor: s.color, fillOpacity: s.precision === 'placeholder' ? 0.55 : 1
    });
    bind(m, function () { return siteCard(s); }, function () { return el('span', null, tr(s.name)); });
    m.feature = { id: s.id };
    L_.sites.addLayer(m);
  });

  // ---------------------------------------------------------------- labels (with collision avoidance)
  group('labels');
  var labels = [];
  function addLabel(latlng, cls, text, priority) {
    var span = el('span', 'ml-label-text', '');
    var mk = L.marker(latlng, {
      pane: 'ml-labels', interactive: false, keyboard: false,
      icon: L.divIcon({ className: 'ml-label ' + cls, html: span, iconSize: null })
    });
    var item = { marker: mk, span: span, text: text, priority: priority };
    labels.push(item);
    L_.labels.addLayer(mk);
    return item;
  }
  D.units.forEach(function (u, k) {
    var rank = u.role === 'core' ? 0 : u.role ? 1 : 4;
    addLabel(u.lab, 'ml-label-unit' + (u.role === 'core' ? ' ml-label-core' : ''), function () { return tr(u.short) || tr(u.name); }, rank * 1000 + k)
      .must = rank < 4 && D.level !== 'county';
  });
  D.groups.forEach(function (g, k) {
    addLabel(g.lab, 'ml-label-group', function () { return tr(g.label); }, 3000 + k).avoidSites = true;
  });
  linkParts.forEach(function (lp, k) {
    var a = lp.pts[0], b = lp.pts[lp.pts.length - 1];
    var mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    lp.label = addLabel(mid, 'ml-label-link', function () { return tr(lp.link.label).replace(/、/g, '、\n'); }, 2000 + k);
    lp.label.span.style.color = lp.link.stroke;
  });
  function placeLabels() {
    // Corridor labels get candidate positions beside their line (preferred side first: away
    // from the other corridors), at mid-line and towards either end; the first one that
    // collides with nothing placed before it wins. Other labels are hidden on collision.
    var box = map.getContainer().getBoundingClientRect();
    var dirs = linkParts.map(function (lp) {
      var a = map.latLngToContainerPoint(lp.pts[0]), b = map.latLngToContainerPoint(lp.pts[lp.pts.length - 1]);
      var dx = b.x - a.x, dy = b.y - a.y, n = Math.max(1e-6, Math.sqrt(dx * dx + dy * dy));
      return [dx / n, dy / n, n];
    });
    linkParts.forEach(function (lp, k) {
      var ux = dirs[k][0], uy = dirs[k][1], len = dirs[k][2], nx = -uy, ny = ux, ox = 0, oy = 0;
      dirs.forEach(function (d, j) { if (j !== k) { ox += d[0]; oy += d[1]; } });
      if ((ox || oy) ? nx * ox + ny * oy > 0 : nx < 0) { nx = -nx; ny = -ny; }
      var span = lp.label.span;
      span.style.transform = 'translate(-50%, -50%)';
      var r = span.getBoundingClientRect();
      var cands = [];
      // the side facing the other corridors only right beside the line: a label pushed far
      // that way would sit across another corridor
      [[1, 0], [-1, 0], [1, 14], [-1, 14], [1, 40], [1, 80]].forEach(function (sd) {
        var side = sd[0];
        [0, -0.18, 0.18, -0.4, 0.4].forEach(function (t) {
          var off = Math.abs(nx) * (r.width / 2 + 6) + Math.abs(ny) * (r.height / 2 + 4) + sd[1];
          var dx = side * nx * off + t * len * ux, dy = side * ny * off + t * len * uy;
          if (r.right + dx > box.right - 4) dx = box.right - 4 - r.right;
          if (r.left + dx < box.left + 4) dx = box.left + 4 - r.left;
          cands.push([dx, dy]);
        });
      });
      lp.label.base = r;
      lp.label.cands = cands;
    });
    function collides(r, placed) {
      return placed.some(function (q) {
        return r.left < q.right + 2 && r.right + 2 > q.left && r.top < q.bottom + 1 && r.bottom + 1 > q.top;
      });
    }
    var placed = [];
    // site markers: corridor and region labels keep off them (place names may cover them)
    var markers = [];
    L_.sites.eachLayer(function (m) {
      var e = map.hasLayer(m) && m.getElement && m.getElement();
      if (e) markers.push(e.getBoundingClientRect());
    });
    var order = labels.slice().sort(function (x, y) { return x.priority - y.priority; });
    order.forEach(function (it) {
      it.span.classList.remove('ml-hidden');
      if (!map.hasLayer(it.marker)) return;
      if (it.cands) {
        var b = it.base, pick = null;
        [markers.concat(placed), placed].forEach(function (obstacles) {
          for (var c = 0; c < it.cands.length && !pick; c++) {
            var d = it.cands[c];
            var rr = { left: b.left + d[0], right: b.right + d[0], top: b.top + d[1], bottom: b.bottom + d[1] };
            if (!collides(rr, obstacles)) pick = d;
          }
        });
        if (!pick) {  // nowhere near its line without covering another label: hidden
          it.span.classList.add('ml-hidden');
          if (it.leader) it.leader.hidden = true;
          return;
        }
        it.span.style.transform = 'translate(-50%, -50%) translate(' + Math.round(pick[0]) + 'px,' + Math.round(pick[1]) + 'px)';
        leader(it, pick, b);
        placed.push(it.span.getBoundingClientRect());
        return;
      }
      // area labels: the anchor, else a few spots around it. Prefecture labels of units with
      // a role are never dropped (placed before every other label; off the site markers when
      // a spot allows, else over them); group labels keep off the markers and yield when
      // nothing is free; the other units' labels yield on collision with a label.
      // a long region name that fits nowhere on one line is tried again broken after its dashes
      var variants = [it.text()];
      if (it.avoidSites && /[–—-]/.test(variants[0])) variants.push(variants[0].replace(/([–—-])/g, '$1\n'));
      var spot = null;
      variants.some(function (text, vi) {
        if (it.span.textContent !== text) it.span.textContent = text;
        it.span.classList.toggle('ml-wrapped', vi > 0);
        it.span.style.transform = 'translate(-50%, -50%)';
        var g = it.span.getBoundingClientRect(), gw = g.right - g.left, gh = g.bottom - g.top;
        var spots = it.must || it.avoidSites ? areaSpots(gw, gh, it.avoidSites) : [[0, 0], [0, -gh], [0, gh]];
        var tries = it.avoidSites ? [markers.concat(placed)] : it.must ? [markers.concat(placed), placed] : [placed];
        tries.some(function (obst) {
          return spots.some(function (d) {
            var rr = { left: g.left + d[0], right: g.right + d[0], top: g.top + d[1], bottom: g.bottom + d[1] };
            if ((d[0] || d[1]) && (rr.left < box.left + 2 || rr.right > box.right - 2 || rr.top < box.top || rr.bottom > box.bottom)) return false;
            if (!collides(rr, obst)) { spot = d; return true; }
            return false;
          });
        });
        return !!spot;
      });
      if (!spot && it.must) spot = [0, 0];
      if (!spot) { it.span.classList.add('ml-hidden'); return; }
      it.span.style.transform = 'translate(-50%, -50%) translate(' + Math.round(spot[0]) + 'px,' + Math.round(spot[1]) + 'px)';
      placed.push(it.span.getBoundingClientRect());
    });
  }
  // candidate offsets (px) of an area label w × h: on its anchor, then beside it; region
  // labels (wide) also further away
  function areaSpots(w, h, far) {
    var out = [[0, 0], [0, -h], [0, h], [0.6 * w, 0], [-0.6 * w, 0], [0.6 * w, -h], [-0.6 * w, -h],
      [0.6 * w, h], [-0.6 * w, h], [0, -2 * h], [0, 2 * h]];
    if (far) out = out.concat([[0, -3 * h], [0, 3 * h], [w, 0], [-w, 0], [0.5 * w, -2 * h], [-0.5 * w, -2 * h],
      [0.5 * w, 2 * h], [-0.5 * w, 2 * h]]);
    return out;
  }
  // a label pushed away from its corridor gets a thin leader line back to the line's middle
  // (the label marker sits there; the leader is drawn inside the marker, under the text)
  function leader(it, d, b) {
    var w = (b.right - b.left) / 2, h = (b.bottom - b.top) / 2;
    var dist = Math.sqrt(d[0] * d[0] + d[1] * d[1]);
    var edge = Math.min(Math.abs(d[0]) > 1e-6 ? w / Math.abs(d[0]) : Infinity, Math.abs(d[1]) > 1e-6 ? h / Math.abs(d[1]) : Infinity);
    var len = dist * (1 - Math.min(1, edge)) - 2;
    var host = it.marker.getElement && it.marker.getElement();
    if (!host) return;
    if (!it.leader) {
      it.leader = el('span', 'ml-leader');
      it.leader.style.background = it.span.style.color;
      host.insertBefore(it.leader, host.firstChild);
    }
    it.leader.hidden = !(len > 14);
    it.leader.style.width = Math.max(0, Math.round(len)) + 'px';
    it.leader.style.transform = 'rotate(' + Math.atan2(d[1], d[0]) + 'rad)';
  }
  function relabel() { labels.forEach(function (it) { it.span.textContent = it.text(); }); }

  // ---------------------------------------------------------------- controls
  function button(parent, cls, key, text, onClick) {
    var b = L.DomUtil.create('button', cls, parent);
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('data-i18n-aria', key);
    b.setAttribute('aria-label', ui(key));
    b.title = ui(key);
    L.DomEvent.on(b, 'click', function (ev) { L.DomEvent.stop(ev); onClick(b); });
    return b;
  }
  var Bar = L.Control.extend({
    onAdd: function () {
      var box = L.DomUtil.create('div', 'leaflet-bar ml-bar');
      L.DomEvent.disableClickPropagation(box);
      button(box, 'ml-zoom-in', 'zoom.in', '+', function () { map.zoomIn(); });
      button(box, 'ml-zoom-out', 'zoom.out', '\u2212', function () { map.zoomOut(); });
      button(box, 'ml-reset', 'reset', '\u2302', function () { map.closePopup(); fit(); });
      var app = document.getElementById('ml-app');
      if (app.requestFullscreen && document.fullscreenEnabled !== false) {
        api.fullscreenButton = button(box, 'ml-fullscreen', 'fullscreen.enter', '', function () {
          if (document.fullscreenElement) document.exitFullscreen();
          else app.requestFullscreen().catch(function () {});
        });
      }
      if (api.fullscreenButton) api.fullscreenButton.appendChild(el('span', 'ml-fs-icon'));
      return box;
    }
  });
  new Bar({ position: 'topleft' }).addTo(map);
  document.addEventListener('fullscreenchange', function () {
    var b = api.fullscreenButton, on = !!document.fullscreenElement;
    if (b) {
      b.setAttribute('data-i18n-aria', on ? 'fullscreen.exit' : 'fullscreen.enter');
      b.setAttribute('aria-label', ui(on ? 'fullscreen.exit' : 'fullscreen.enter'));
      b.title = b.getAttribute('aria-label');
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    map.invalidateSize();
  });
  L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(map);
  // controls first in keyboard order (before the many focusable shapes); looks the same
  map.getContainer().insertBefore(map._controlContainer, map.getContainer().firstChild);

  // legend
  var legendBox;
  var Legend = L.Control.extend({
    onAdd: function () {
      legendBox = L.DomUtil.create('div', 'ml-legend');
      L.DomEvent.disableClickPropagation(legendBox);
      L.DomEvent.disableScrollPropagation(legendBox);
      return legendBox;
    }
  });
  // a legend fill exactly as the map paints it: the colour at its opacity
  function rgba(hex, a) {
    var m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(String(hex || ''));
    if (!m) return hex;
    var h = m[1].length === 3 ? m[1].replace(/(.)/g, '$1$1') : m[1];
    var n = parseInt(h, 16);
    return 'rgba(' + (n >> 16) + ', ' + ((n >> 8) & 255) + ', ' + (n & 255) + ', ' + (+a) + ')';
  }
  function swatch(kind, st) {
    var s = el('span', 'ml-sw ml-sw-' + kind);
    st = st || {};
    var stroke = st.stroke || st.color || '#555', fill = st.fill || st.color || 'transparent';
    if (kind === 'unit') { s.style.background = rgba(fill, 'fill_opacity' in st ? st.fill_opacity : 1); s.style.borderColor = stroke; }
    else if (kind === 'group') {
      s.style.borderColor = stroke; s.style.borderStyle = st.dash ? 'dashed' : 'solid';
      if (st.fill && st.fill_opacity > 0) s.style.background = rgba(st.fill, st.fill_opacity);
    }
    else if (kind === 'link') { s.style.background = stroke; s.style.color = stroke; if (st.directed) s.className += ' ml-directed'; }
    else if (kind === 'site') { s.style.background = st.color || fill; }
    else if (kind === 'uncertainty') { s.style.borderColor = '#555'; }
    return s;
  }
  function buildLegend() {
    legendBox.textContent = '';
    var head = el('button', 'ml-legend-head', ui('legend'));
    head.type = 'button';
    head.setAttribute('aria-expanded', legendBox.classList.contains('ml-collapsed') ? 'false' : 'true');
    head.setAttribute('aria-controls', 'ml-legend-list');
    head.title = ui('legend.toggle');
    L.DomEvent.on(head, 'click', function () {
      legendBox.classList.toggle('ml-collapsed');
      head.setAttribute('aria-expanded', legendBox.classList.contains('ml-collapsed') ? 'false' : 'true');
    });
    legendBox.appendChild(head);
    var list = el('ul');
    list.id = 'ml-legend-list';
    function item(kind, st, text) { var li = el('li'); li.appendChild(swatch(kind, st)); li.appendChild(el('span', null, text)); list.appendChild(li); }
    // entries with the same label and style (a role drawn as unit fill and as corridor line)
    // share one row, their symbols stacked, as in the print figure's legend
    function pairs(o) { return Object.keys(o || {}).sort().map(function (k) { return [k, o[k]]; }); }
    var rows = [], rowByKey = {};
    D.legend.forEach(function (e) {
      var key = JSON.stringify([pairs(e.label), pairs(e.style)]);
      if (!rowByKey[key]) { rowByKey[key] = { label: e.label, entries: [] }; rows.push(rowByKey[key]); }
      rowByKey[key].entries.push(e);
    });
    rows.forEach(function (row) {
      var sws = row.entries.map(function (e) {
        var st = e.style || {};
        if (e.kind === 'link') {
          st = L.extend({}, st, { directed: D.links.some(function (l) {
            return l.dir !== 'none' && (e.id === 'link:' + l.role || e.id === l.role);
          }) });
        }
        return swatch(e.kind, st);
      });
      var li = el('li'), sym = sws[0];
      if (sws.length > 1) { sym = el('span', 'ml-sw-stack'); sws.forEach(function (w) { sym.appendChild(w); }); }
      li.appendChild(sym);
      li.appendChild(el('span', null, tr(row.label)));
      list.appendChild(li);
    });
    if (D.sites.some(function (s) { return s.precision !== 'surveyed' && s.r > 0; })) item('uncertainty', {}, ui('legend.uncertainty'));
    if (D.units.some(function (u) { return u.altBlocks.length; })) item('exception', {}, ui('legend.exception'));
    if (D.context.some(function (c) { return c.kind === 'neighbour'; })) item('neighbour', {}, ui('legend.neighbour'));
    legendBox.appendChild(list);
  }
  new Legend({ position: 'bottomright' }).addTo(map);
  if (window.matchMedia && window.matchMedia('(max-width: 600px)').matches) legendBox.classList.add('ml-collapsed');

  // layer control (rebuilt on language switch so its names follow the language)
  var layerControl = null;
  var overlayKeys = [
    ['units', 'layer.units.' + D.level], ['parents', 'layer.parents'], ['groups', 'layer.groups'],
    ['links', 'layer.links'], ['sites', 'layer.sites'], ['uncertainty', 'layer.uncertainty'],
    ['context', 'layer.context'], ['labels', 'layer.labels']
  ];
  function buildLayerControl() {
    if (layerControl) map.removeControl(layerControl);
    var overlays = {};
    overlayKeys.forEach(function (k) {
      if (L_[k[0]].getLayers().length) overlays[esc(ui(k[1]))] = L_[k[0]];
    });
    if (tileLayers.length) overlays[esc(tr(D.basemap.label))] = api.tiles;
    layerControl = L.control.layers(null, overlays, { position: 'topright', collapsed: true }).addTo(map);
    var toggle = layerControl.getContainer().querySelector('.leaflet-control-layers-toggle');
    if (toggle) { toggle.setAttribute('aria-label', ui('layers')); toggle.title = ui('layers'); }
  }

  // attribution: plain text, escaped
  var attributionText = null;
  function buildAttribution() {
    var ac = map.attributionControl;
    if (attributionText) ac.removeAttribution(attributionText);
    var parts = [tr(D.meta.attribution)];
    if (D.basemap.tiles.length) parts.push(tr(D.basemap.attribution));
    if (D.meta.review_number && parts[0].indexOf(D.meta.review_number) < 0) parts.push(ui('review').replace('{n}', D.meta.review_number));
    attributionText = esc(parts.filter(Boolean).join(' · '));
    ac.setPrefix('Leaflet');
    ac.addAttribution(attributionText);
    clearBottom();
  }
  // a long attribution line (English, phones) would run under the scale bar: lift the
  // bottom-left corner above it when the two meet
  function clearBottom() {
    var corner = map.getContainer().querySelector('.leaflet-bottom.leaflet-left');
    var a = map.attributionControl.getContainer();
    if (!corner || !a) return;
    corner.style.bottom = '';
    var cr = corner.getBoundingClientRect(), ar = a.getBoundingClientRect();
    if (cr.height && ar.left < cr.right && ar.top < cr.bottom) corner.style.bottom = Math.ceil(ar.height) + 'px';
  }

  // add layers in drawing order
  var drawOrder = ['context', 'units', 'exceptions', 'parents', 'groups', 'uncertainty', 'links', 'sites', 'labels'];
  drawOrder.forEach(function (k) {
    if (k === 'context' && D.basemap.tiles.length) {
      L_.context.eachLayer(function (p) { if (!/region/.test(p.options.className)) L_.context.removeLayer(p); });
    }
    L_[k].addTo(map);
  });

  // ---------------------------------------------------------------- search
  var SUFFIX = /(土家族苗族自治州|自治州|自治县|自治縣|地区|地區|市|州|县|縣|区|區|省)$/;
  var EN_SUFFIX = /\s+(city|county|district|prefecture|province|autonomous prefecture|autonomous county)$/;
  function norm(s) {
    s = String(s || '').trim().toLowerCase();
    if (!s) return '';
    s = s.replace(EN_SUFFIX, '');
    if (s.length > 2) s = s.replace(SUFFIX, '');
    return s.replace(/[\s\-_'’·•.,()（）“”"]+/g, '');
  }
  // the names in every language plus the script variants the plan does not spell out
  // (render.search_keys, computed in Python: to_hant of the zh-Hans, to_hans of the zh-Hant)
  function keysOf(item, fields) {
    var raw = item.keys ? item.keys.slice() : [];
    fields.forEach(function (f) { LANGS.forEach(function (l) { raw.push((item[f] || {})[l]); }); });
    return raw.map(norm);
  }
  var index = [];
  D.units.forEach(function (u) { index.push({ kind: 'unit', id: u.id, keys: keysOf(u, ['name', 'short']), item: u }); });
  D.parents.forEach(function (pa) {  // the county view: prefectures by name
    var keys = keysOf(pa, ['name', 'short']);
    if (keys.some(Boolean)) index.push({ kind: 'parent', id: pa.id, keys: keys, item: pa });
  });
  D.sites.forEach(function (s) { index.push({ kind: 'site', id: s.id, keys: keysOf(s, ['name']), item: s }); });
  var KIND_RANK = { parent: 0, unit: 100, site: 500 };
  function search(q) {
    var n = norm(q);
    if (!n) return [];
    var hits = [];
    index.forEach(function (e, k) {
      var best = 9;
      e.keys.forEach(function (key) {
        if (!key) return;
        if (key === n) best = Math.min(best, 0);
        else if (key.indexOf(n) === 0) best = Math.min(best, 1);
        else if (key.indexOf(n) > 0) best = Math.min(best, 2);
      });
      if (best < 9) hits.push({ score: best * 100000 + KIND_RANK[e.kind] * 100 + k, e: e });
    });
    hits.sort(function (a, b) { return a.score - b.score; });
    return hits.slice(0, 8).map(function (h) {
      return { kind: h.e.kind, id: h.e.id, name: tr(h.e.item.name) };
    });
  }
  // "did you mean": for a query that matches nothing, the entry sharing the most characters
  // with it (Chinese: single characters, an administrative suffix character such as 州 or 市
  // counting half; Latin: letter pairs, at least half of the query's)
  var GENERIC = '州市县縣区區省';
  function grams(s) {
    var out = {}, k;
    if (/[\u3400-\u9fff]/.test(s)) { for (k = 0; k < s.length; k++) out[s.charAt(k)] = GENERIC.indexOf(s.charAt(k)) >= 0 ? 0.5 : 1; }
    else { for (k = 0; k + 1 < s.length; k++) out[s.substr(k, 2)] = 1; }
    return out;
  }
  function before(a, b) {  // lexicographic a < b
    for (var j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j] < b[j];
    return false;
  }
  function suggest(q) {
    var n = norm(q);
    if (!n || search(q).length) return null;
    var want = grams(n), total = 0, best = null;
    Object.keys(want).forEach(function (g) { total += want[g]; });
    var latin = !/[\u3400-\u9fff]/.test(n);
    index.forEach(function (e, k) {
      e.keys.forEach(function (key) {
        if (!key) return;
        var have = grams(key), shared = 0;
        Object.keys(want).forEach(function (g) { if (g in have) shared += want[g]; });
        if (shared < (latin ? Math.max(1, total / 2) : 1)) return;
        // ties: the same first character (a name's distinctive part), then the nearest length
        var rank = [-shared, key.charAt(0) === n.charAt(0) ? 0 : 1, Math.abs(key.length - n.length), KIND_RANK[e.kind], k];
        if (!best || before(rank, best.rank)) best = { rank: rank, e: e };
      });
    });
    return best ? { kind: best.e.kind, id: best.e.id, name: tr(best.e.item.name) } : null;
  }
  function findLayer(kind, id) {
    var found = null;
    L_[{ unit: 'units', parent: 'parents' }[kind] || 'sites'].eachLayer(function (l) { if (l.feature && l.feature.id === id) found = l; });
    return found;
  }
  // a prefecture found in the county view: its outline and its counties stay highlighted
  var highlighted = [];
  function clearHighlight() {
    highlighted.forEach(function (l) {
      var e = l.getElement && l.getElement();
      if (e) e.classList.remove('ml-hl');
      if (l.options.className === 'ml-parent') l.setStyle({ color: '#222', weight: 2.2 });
    });
    highlighted = [];
  }
  function highlightParent(layer, id) {
    clearHighlight();
    var bounds = L.latLngBounds([]);
    L_.units.eachLayer(function (l) {
      var u = unitById[l.feature.id];
      if (!u || u.parent !== id) return;
      bounds.extend(l.getBounds());
      var e = l.getElement && l.getElement();
      if (e) e.classList.add('ml-hl');
      highlighted.push(l);
    });
    layer.setStyle({ color: '#b35900', weight: 4.5 });
    highlighted.push(layer);
    return bounds.isValid() ? bounds : layer.getBounds();
  }
  function select(kind, id) {
    var layer = findLayer(kind, id);
    if (!layer) return false;
    if (map._animatingZoom) { map.once('zoomend', function () { select(kind, id); }); return true; }
    if (kind === 'parent') {
      map.closePopup();
      map.fitBounds(highlightParent(layer, id), { maxZoom: 10, padding: [20, 20] });
      return true;
    }
    clearHighlight();
    if (kind === 'unit') map.fitBounds(layer.getBounds(), { maxZoom: 10, padding: [20, 20] });
    else map.setView(layer.getLatLng(), Math.max(map.getZoom(), 10));
    layer.openPopup(kind === 'unit' ? L.latLng(unitById[id].lab) : undefined);
    return true;
  }
  var q = document.getElementById('ml-q'), results = document.getElementById('ml-results');
  var current = [];
  function showResults() {
    current = search(q.value);
    results.textContent = '';
    if (!q.value.trim()) { results.hidden = true; return; }
    if (!current.length) {
      var none = el('li', 'ml-none', ui('search.none'));
      none.setAttribute('role', 'option');
      none.setAttribute('aria-disabled', 'true');
      results.appendChild(none);
      var guess = suggest(q.value);
      if (guess) {  // offered as the one choice of the list (click, or arrow down and Enter)
        current = [guess];
        var li = el('li', 'ml-suggest', ui('search.suggest').replace('{name}', guess.name));
        li.setAttribute('role', 'option');
        li.id = 'ml-opt-0';
        li.tabIndex = -1;
        li.addEventListener('click', function () { choose(0); });
        li.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') choose(0); });
        results.appendChild(li);
      }
      results.hidden = false;
      return;
    }
    current.forEach(function (r, k) {
      var li = el('li', null, r.name);
      li.setAttribute('role', 'option');
      li.id = 'ml-opt-' + k;
      li.tabIndex = -1;
      li.addEventListener('click', function () { choose(k); });
      li.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') choose(k); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function choose(k) {
    var r = current[k];
    if (!r) return;
    results.hidden = true;
    q.value = r.name;
    select(r.kind, r.id);
  }
  q.addEventListener('input', showResults);
  q.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown' && current.length) { ev.preventDefault(); results.querySelector('li[tabindex]').focus(); }
    if (ev.key === 'Escape') { results.hidden = true; }
  });
  results.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if (ev.key === 'ArrowDown' && t.nextSibling) { ev.preventDefault(); t.nextSibling.focus(); }
    if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      var prev = t.previousSibling;
      (prev && prev.hasAttribute('tabindex') ? prev : q).focus();
    }
    if (ev.key === 'Escape') { results.hidden = true; q.focus(); }
  });
  var searchForm = document.getElementById('ml-search-form');
  searchForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    showResults();
    // Enter takes the first match; with none (only a "did you mean") the list closes
    if (search(q.value).length) choose(0);
    else results.hidden = true;
  });
  // a click anywhere else closes the list
  document.addEventListener('click', function (ev) {
    if (!results.hidden && !searchForm.contains(ev.target)) results.hidden = true;
  }, true);

  // ---------------------------------------------------------------- info panel
  var info = document.getElementById('ml-info'), infoBtn = document.getElementById('ml-info-btn');
  function setInfo(open) {
    info.hidden = !open;
    if (open) results.hidden = true;
    infoBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) document.getElementById('ml-info-close').focus();
    else infoBtn.focus();
  }
  infoBtn.addEventListener('click', function () { setInfo(info.hidden); });
  document.getElementById('ml-info-close').addEventListener('click', function () { setInfo(false); });
  info.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') setInfo(false); });

  // ---------------------------------------------------------------- language
  function setLang(l) {
    if (LANGS.indexOf(l) < 0) return false;
    lang = api.lang = l;
    document.documentElement.lang = l;
    var title = tr(D.meta.title);
    document.title = title;
    document.getElementById('ml-title').textContent = title;
    document.getElementById('ml-subtitle').textContent = tr(D.meta.subtitle);
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (e) { e.textContent = ui(e.getAttribute('data-i18n')); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-aria]'), function (e) {
      e.setAttribute('aria-label', ui(e.getAttribute('data-i18n-aria')));
      if (e.title) e.title = ui(e.getAttribute('data-i18n-aria'));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-ph]'), function (e) { e.placeholder = ui(e.getAttribute('data-i18n-ph')); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-lang-block]'), function (e) { e.hidden = e.getAttribute('data-lang-block') !== l; });
    Array.prototype.forEach.call(document.querySelectorAll('.ml-lang button'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-lang') === l ? 'true' : 'false');
    });
    relabel();
    buildLegend();
    buildLayerControl();
    buildAttribution();
    map.eachLayer(function (layer) {
      var pop = layer.getPopup && layer.getPopup(), tip = layer.getTooltip && layer.getTooltip();
      if (pop && pop.isOpen()) pop.update();
      if (tip && tip.isOpen()) tip.update();
    });
    if (!results.hidden) showResults();
    placeLabels();
    return true;
  }
  Array.prototype.forEach.call(document.querySelectorAll('.ml-lang button'), function (b) {
    b.addEventListener('click', function () { setLang(b.getAttribute('data-lang')); });
  });

  // ---------------------------------------------------------------- wire up
  map.on('zoomend', function () { placeArrows(); placeLabels(); });
  map.on('overlayadd overlayremove resize', placeLabels);
  map.on('resize', clearBottom);
  placeArrows();
  setLang(lang);

  api.decode = ring;
  api.setLang = setLang;
  api.search = search;
  api.suggest = suggest;
  api.select = select;
  api.fit = fit;
  api.counts = function () {
    function drawn(name) {
      var n = 0;
      L_[name].eachLayer(function (l) {
        var e = l.getElement ? l.getElement() : null;
        if (map.hasLayer(l) && e && document.body.contains(e)) n += 1;
      });
      return n;
    }
    var c = {};
    ['units', 'parents', 'groups', 'uncertainty', 'sites', 'context', 'labels', 'exceptions'].forEach(function (k) { c[k] = drawn(k); });
    c.links = linkParts.filter(function (lp) { return map.hasLayer(lp.line) && document.body.contains(lp.line.getElement()); }).length;
    c.arrows = linkParts.reduce(function (n, lp) { return n + lp.heads.filter(function (h) { return map.hasLayer(h.poly); }).length; }, 0);
    c.highlighted = document.querySelectorAll('path.ml-hl').length;
    c.visibleLabels = labels.filter(function (it) { return map.hasLayer(it.marker) && !it.span.classList.contains('ml-hidden'); }).length;
    return c;
  };
  api.ready = true;
  api.readyAt = performance.now();
  document.documentElement.setAttribute('data-ml-ready', '1');
  window.dispatchEvent(new Event('maplayout:ready'));
})();
