  // ---------------------------------------------------------------- data layers
  // Only in a page whose plan has `layers:` (joined before main.js). The payload
  // (maplayout/web/layerdata.py) brings the points, the clusters of every zoom (precomputed),
  // the hexagons and the counts; everything point-like is painted on one canvas (no DOM node
  // per point), popups and the text-version table are built when asked for.
  var dlStart = performance.now();
  var DL = JSON.parse(document.getElementById('maplayout-layers').textContent);
  function lui(key, vals) { return fill(key in (DL.ui[lang] || {}) ? DL.ui[lang][key] : key, vals); }
  function z0(ll) { var p = map.project(ll, 0); return [p.x, p.y]; }

  var dls = DL.layers.map(function (d) {
    var pts = ring(d.ll);
    var links = {};
    (d.links || []).forEach(function (p) { links[p[0]] = p[1]; });
    return {
      d: d, ll: pts, px: pts.map(z0), rows: cumsum(ints(d.rows)), unit: ints(d.unit),
      cat: d.cat ? ints(d.cat) : null, links: links, zooms: {}
    };
  });
  // the clusters of zoom z, decoded on first use: [{px, ll, n}] and the lone points
  function level(s, z) {
    if (s.zooms[z]) return s.zooms[z];
    var e = s.d.zoom.filter(function (x) { return x.z === z; })[0];
    var ll = ring(e.ll), n = ints(e.n);
    s.zooms[z] = {
      clusters: ll.map(function (p, i) { return { ll: p, px: z0(p), n: n[i] }; }),
      lone: cumsum(ints(e.one))
    };
    return s.zooms[z];
  }

  // ---------------------------------------------------------------- drawing (one canvas)
  map.createPane('ml-data').style.zIndex = 425;
  map.getPane('ml-data').style.pointerEvents = 'none';  // clicks go to the map: hit-tested below
  map.createPane('ml-data-units').style.zIndex = 402;
  var active = null, drawn = [];
  var paintMs = 0;
  var DataCanvas = L.Canvas.extend({
    _draw: function () { var t = performance.now(); paint(this._ctx, this._bounds); paintMs = performance.now() - t; }
  });
  var canvas = new DataCanvas({ pane: 'ml-data', padding: 0.2 });

  function paint(ctx, b) {
    drawn = [];
    if (!active || active.kind === 'units' || !b) return;
    var s = active.s, scale = map.getZoomScale(map.getZoom(), 0), o = map.getPixelOrigin();
    var x0 = b.min.x, y0 = b.min.y, x1 = b.max.x, y1 = b.max.y;
    function inView(x, y, r) { return x + r >= x0 && x - r <= x1 && y + r >= y0 && y - r <= y1; }
    ctx.save();
    if (active.kind === 'hexbins') {
      var hx = hexes(s), r = s.d.hex.s * scale;
      ctx.globalAlpha = 0.8;
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 0.6;
      hx.forEach(function (h) {
        var x = h.px[0] * scale - o.x, y = h.px[1] * scale - o.y;
        if (!inView(x, y, r)) return;
        ctx.beginPath();
        hexCorners(x, y, r).forEach(function (c, k) { if (k) ctx.lineTo(c[0], c[1]); else ctx.moveTo(c[0], c[1]); });
        ctx.closePath();
        ctx.fillStyle = h.fill;
        ctx.fill();
        ctx.stroke();
        drawn.push({ kind: 'hex', x: x, y: y, r: r * 0.866, h: h });
      });
      ctx.restore();
      return;
    }
    var z = clusterZoom(s.d.zoom.map(function (e) { return e.z; }), map.getZoom());
    var lone = null, shown = [];
    if (z !== null) {
      var lv = level(s, z);
      lone = lv.lone;
      lv.clusters.forEach(function (c) {
        var x = c.px[0] * scale - o.x, y = c.px[1] * scale - o.y, r = clusterRadius(c.n);
        if (inView(x, y, r)) shown.push({ kind: 'cluster', x: x, y: y, r: r, c: c });
      });
    }
    var pr = s.d.radius + 1, dots = [];
    function dot(i) {
      var p = s.px[i], x = p[0] * scale - o.x, y = p[1] * scale - o.y;
      if (inView(x, y, pr)) dots.push({ kind: 'point', x: x, y: y, r: pr, i: i });
    }
    if (lone) lone.forEach(dot);
    else for (var i = 0; i < s.px.length; i++) dot(i);
    // one path per style: a few canvas calls whatever the number of circles
    function circles(items, fill, alpha, width) {
      if (!items.length) return;
      ctx.beginPath();
      items.forEach(function (h) { ctx.moveTo(h.x + h.r, h.y); ctx.arc(h.x, h.y, h.r, 0, 2 * Math.PI); });
      ctx.globalAlpha = alpha;
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = width;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
    }
    circles(dots, s.d.color, 1, 1);
    circles(shown, s.d.color, 0.88, 2);
    ctx.font = 'bold 11px sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#ffffff';
    shown.forEach(function (h) { ctx.fillText(String(h.c.n), h.x, h.y); });
    drawn = dots.concat(shown);  // clusters last: a click hits them first
    ctx.restore();
  }
  function hexes(s) {
    if (s.hexes) return s.hexes;
    var h = s.d.hex, q = ints(h.q), r = ints(h.r), n = ints(h.n), k = ints(h.k);
    var fills = h.legend.map(function (x) { return x.fill; });
    s.hexes = q.map(function (qq, i) {
      return { px: hexCentre(h.s, qq, r[i]), n: n[i], fill: fills[k[i]] };
    });
    return s.hexes;
  }
  function redraw() { if (canvas._map) canvas._redraw(); }

  // per-unit counts: the units filled by class, under the plan's outlines, not interactive
  function choropleth(s) {
    if (s.choro) return s.choro;
    s.choro = L.featureGroup();
    D.units.forEach(function (u) {
      s.choro.addLayer(L.polygon(polys(u.g), {
        pane: 'ml-data-units', interactive: false, className: 'ml-dl-unit',
        color: '#ffffff', weight: 0.8, fillColor: s.d.counts.fill[u.id] || '#f2f2f2', fillOpacity: 0.9
      }));
    });
    return s.choro;
  }

  // the views: one at a time, as the layer control's radio buttons
  var View = L.Layer.extend({
    initialize: function (s, kind) { this.s = s; this.kind = kind; },
    onAdd: function () {
      active = this;
      // hexagons under the plan's outlines and corridors (a fill, as the choropleth);
      // points and clusters above them, under the plan's sites
      map.getPane('ml-data').style.zIndex = this.kind === 'hexbins' ? 403 : 425;
      if (this.kind === 'units') choropleth(this.s).addTo(map);
      redraw();
      if (api.ready) buildLegend();  // at start main.js's setLang builds it
    },
    onRemove: function () {
      if (active === this) active = null;
      if (this.kind === 'units' && this.s.choro) map.removeLayer(this.s.choro);
      redraw();
      if (api.ready) buildLegend();
    }
  });
  var views = [];
  dls.forEach(function (s) {
    ['points', 'units', 'hexbins'].forEach(function (kind) { views.push(new View(s, kind)); });
  });
  var noView = L.layerGroup();

  // ---------------------------------------------------------------- clicks
  function hitAt(p) {
    for (var k = drawn.length - 1; k >= 0; k--) {
      var h = drawn[k], dx = h.x - p.x, dy = h.y - p.y;
      if (dx * dx + dy * dy <= (h.r + 2) * (h.r + 2)) return h;
    }
    return null;
  }
  var dlPopup = null, dlPopupBody = null;
  function openCard(ll, body) {
    dlPopupBody = body;
    dlPopup = L.popup({ maxWidth: 320, autoPanPadding: [10, 10], className: 'ml-dl-popup' })
      .setLatLng(ll).setContent(body()).openOn(map);
  }
  function pointCard(s, i) {
    var d = s.d, box = el('div', 'ml-card');
    box.appendChild(el('h3', null, d.names[i]));
    var dl = el('dl');
    function row(k, v) {
      if (v === '' || v === undefined || v === null) return;
      dl.appendChild(el('dt', null, k));
      var dd = el('dd');
      if (v instanceof Node) dd.appendChild(v); else dd.textContent = v;
      dl.appendChild(dd);
    }
    row(lui('layer.layer'), tr(d.label));
    if (s.cat) row(d.cols.category || '', d.cats[s.cat[i]]);
    if (d.w) row(d.cols.weight, String(d.w[i]));
    var u = s.unit[i];
    row(lui('layer.col.unit'), u >= 0 ? placeName(d.units[u]) : lui('layer.outside'));
    var url = safeUrl(s.links[i]);
    if (url) {
      var a = el('a', null, url);
      a.href = url;
      a.rel = 'noopener noreferrer nofollow';
      a.target = '_blank';
      row(lui('layer.col.link'), a);
    }
    box.appendChild(dl);
    return box;
  }
  // a click is caught before it reaches the plan's shapes under the canvas (the canvas pane
  // takes no pointer events, so a click beside a point still opens the unit under it)
  map.getContainer().addEventListener('click', function (ev) {
    if (!active || active.kind === 'units' || (map.dragging && map.dragging.moved())) return;
    if (ev.target.closest && ev.target.closest('.leaflet-control, .leaflet-popup')) return;
    var h = hitAt(map.mouseEventToLayerPoint(ev));
    if (!h) return;
    ev.stopPropagation();
    var s = active.s;
    if (h.kind === 'cluster') {
      map.closePopup();
      map.setView(h.c.ll, Math.min(map.getMaxZoom(), Math.floor(map.getZoom()) + 2));
    } else if (h.kind === 'point') {
      openCard(s.ll[h.i], function () { return pointCard(s, h.i); });
    } else {
      openCard(map.layerPointToLatLng([h.x, h.y]), function () {
        return el('p', 'ml-dl-hex', tr(s.d.label) + ': ' + lui('layer.n', { count: h.h.n }));
      });
    }
  }, true);
  map.on('mousemove', function (e) {
    var over = active && active.kind !== 'units' && hitAt(e.layerPoint);
    map.getContainer().style.cursor = over ? 'pointer' : '';  // (the stylesheet stays the default page's)
  });

