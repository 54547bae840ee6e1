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
  // the neighbouring provinces' names, muted, last to be placed (none over a basemap's own)
  D.context.forEach(function (c, k) {
    if (c.lab && !D.basemap.tiles.length) addLabel(c.lab, 'ml-label-context', function () { return tr(c.name); }, 6000 + k);
  });
  linkParts.forEach(function (lp, k) {
    var a = lp.pts[0], b = lp.pts[lp.pts.length - 1], mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    if (lp.link.closed) {  // a ring: anchored at its centre, its label placed on a stretch
      var ring = lp.pts.slice(0, -1);
      mid = [0, 1].map(function (j) { return ring.reduce(function (t, p) { return t + p[j]; }, 0) / ring.length; });
    }
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
      lp.label.cands = lp.link.closed ? ringSpots(lp, r, box) : cands;
    });
    function collides(r, placed) {
      return placed.some(function (q) {
        return r.left < q.right + 2 && r.right + 2 > q.left && r.top < q.bottom + 1 && r.bottom + 1 > q.top;
      });
    }
    var placed = [];
    // site markers: corridor and region labels keep off them (place names may cover them)
    var markers = [];
    [L_.sites, L_.siteGroups].forEach(function (layer) {
      layer.eachLayer(function (m) {
        var e = map.hasLayer(m) && m.getElement && m.getElement();
        if (e && !e.classList.contains('ml-grouped')) markers.push(e.getBoundingClientRect());
      });
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
        if (!it.ring) leader(it, pick, b);
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
  // a ring's label (w × h box r): beside its longest stretch, outside the ring first, then
  // the next longest; offsets from the label's anchor, the ring's centre
  function ringSpots(lp, r, box) {
    lp.label.ring = true;
    var c = map.latLngToContainerPoint(lp.label.marker.getLatLng());
    var px = lp.pts.map(function (p) { var q = map.latLngToContainerPoint(p); return [q.x, q.y]; });
    var out = [];
    stretchOrder(px).forEach(function (s) {
      var a = px[s], b = px[s + 1], dx = b[0] - a[0], dy = b[1] - a[1], n = Math.sqrt(dx * dx + dy * dy) || 1;
      var nx = -dy / n, ny = dx / n;
      var mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
      if (nx * (mx - c.x) + ny * (my - c.y) < 0) { nx = -nx; ny = -ny; }  // outwards
      var off = Math.abs(nx) * (r.width / 2 + 6) + Math.abs(ny) * (r.height / 2 + 4);
      [1, -1].forEach(function (side) {
        [0, -0.2, 0.2].forEach(function (t) {
          var x = mx + t * dx + side * nx * off - c.x, y = my + t * dy + side * ny * off - c.y;
          x = Math.min(Math.max(x, box.left + 4 - r.left), box.right - 4 - r.right);
          out.push([x, y]);
        });
      });
    });
    return out;
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

