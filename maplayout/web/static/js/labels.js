  // ---------------------------------------------------------------- labels (with collision avoidance)
  group('labels');
  var labels = [];
  function addLabel(latlng, cls, text, priority) {
    var span = el('span', 'ml-label-text', '');
    var mk = labelMarker(latlng, {
      pane: 'ml-labels', interactive: false, keyboard: false,
      icon: L.divIcon({ className: 'ml-label ' + cls, html: span, iconSize: null })
    });
    var item = { marker: mk, span: span, text: text, priority: priority };
    labels.push(item);
    L_.labels.addLayer(mk);
    return item;
  }
  function addUnitLabel(u, k) {
    var rank = u.role === 'core' ? 0 : u.role ? 1 : 4;
    addLabel(u.lab, 'ml-label-unit' + (u.role === 'core' ? ' ml-label-core' : ''), function () { return tr(u.short) || tr(u.name); }, rank * 1000 + k)
      .must = rank < 4 && D.level !== 'county';
  }
  if (!detail || D.level !== 'county') D.units.forEach(addUnitLabel);
  if (detail) {  // the national page: provinces' and prefectures' names (counties' once drawn)
    D.provinces.forEach(function (pr, k) {
      addLabel(pr.lab, 'ml-label-province', function () { return tr(pr.short) || tr(pr.name); }, 500 + k);
    });
    D.parents.forEach(function (pa, k) {
      addLabel(pa.lab, 'ml-label-parent', function () { return tr(pa.short) || tr(pa.name); }, 3500 + k);
    });
  }
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
  // Labels are placed once per zoom level: the placement of a zoom level (with the language,
  // the map's size and the shown layers) is kept and reapplied when the map returns to it;
  // panning places nothing. Each label's box is measured once per text (one layout for all,
  // again only when the language or the map's size changes); placing is then arithmetic on
  // those boxes, with a grid of the placed boxes for the collision tests, and the result is
  // written to the page in one pass.
  var placements = {}, sizes = { key: null };
  api.labelMs = null;
  api.labelRuns = { placed: 0, reused: 0 };  // placements computed, and reapplied from the cache
  function measureLabels(box) {
    var key = [lang, Math.round(box.width), Math.round(box.height), map.hasLayer(L_.labels)].join('|');
    if (sizes.key === key && sizes.n === labels.length) return;
    sizes = { key: key, n: labels.length };
    // every text variant a label may show: its text, and a long region name broken after its dashes
    var todo = [];
    labels.forEach(function (it) {
      var text = it.text();
      it.variants = [text];
      if (it.avoidSites && /[–—-]/.test(text)) it.variants.push(text.replace(/([–—-])/g, '$1\n'));
      // (a label off the map keeps its boxes: a placement reapplied when it is back uses them)
      if (map.hasLayer(it.marker)) { it.boxes = []; todo.push(it); }
    });
    [0, 1].forEach(function (vi) {
      var batch = todo.filter(function (it) { return it.variants.length > vi; });
      batch.forEach(function (it) {
        it.marker.show(true);
        if (it.span.textContent !== it.variants[vi]) it.span.textContent = it.variants[vi];
        it.span.classList.toggle('ml-wrapped', vi > 0);
        it.span.style.transform = it.tf = 'translate(-50%, -50%)';
      });
      batch.forEach(function (it) {  // reads only: one layout for the whole batch
        var r = it.span.getBoundingClientRect(), a = anchorOf(it, box);
        it.boxes[vi] = [r.left - a[0], r.top - a[1], r.right - r.left, r.bottom - r.top];
      });
    });
  }
  function anchorOf(it, box) {  // the label marker's corner on the page (Leaflet rounds it)
    var p = map.layerPointToContainerPoint(map.latLngToLayerPoint(it.marker.getLatLng()).round());
    return [box.left + p.x, box.top + p.y];
  }
  function rectOf(it, vi, box) {
    var a = anchorOf(it, box), b = it.boxes[vi];
    return { left: a[0] + b[0], top: a[1] + b[1], right: a[0] + b[0] + b[2], bottom: a[1] + b[1] + b[3] };
  }
  function shifted(r, d) {
    return { left: r.left + d[0], right: r.right + d[0], top: r.top + d[1], bottom: r.bottom + d[1] };
  }
  // the placed boxes, by cells of 96 px: a test looks only at the boxes near it
  function Grid() { this.cells = {}; }
  Grid.prototype.keys = function (r, f) {
    for (var x = Math.floor(r.left / 96); x <= Math.floor(r.right / 96); x++) {
      for (var y = Math.floor(r.top / 96); y <= Math.floor(r.bottom / 96); y++) f(x + ',' + y);
    }
  };
  Grid.prototype.add = function (r) {
    var cells = this.cells;
    this.keys({ left: r.left - 3, right: r.right + 3, top: r.top - 2, bottom: r.bottom + 2 }, function (k) { (cells[k] = cells[k] || []).push(r); });
  };
  Grid.prototype.hits = function (r) {
    var cells = this.cells, hit = false;
    this.keys(r, function (k) {
      hit = hit || (cells[k] || []).some(function (q) {
        return r.left < q.right + 2 && r.right + 2 > q.left && r.top < q.bottom + 1 && r.bottom + 1 > q.top;
      });
    });
    return hit;
  };
  function collides(r, grids) { return grids.some(function (g) { return g.hits(r); }); }
  function placeLabels() {
    var t0 = performance.now();
    var box = map.getContainer().getBoundingClientRect();
    var key = [map.getZoom(), lang, Math.round(box.width), Math.round(box.height), labels.length,
      map.hasLayer(L_.labels), map.hasLayer(L_.sites)].join('|');
    var result = placements[key];
    if (result) api.labelRuns.reused += 1;
    else {
      measureLabels(box);
      result = placements[key] = computePlacement(box);
      api.labelRuns.placed += 1;
    }
    applyPlacement(result);
    api.labelMs = performance.now() - t0;
  }
  function computePlacement(box) {
    // Corridor labels get candidate positions beside their line (preferred side first: away
    // from the other corridors), at mid-line and towards either end; the first one that
    // collides with nothing placed before it wins. Other labels are hidden on collision.
    var out = labels.map(function () { return null; });
    var dirs = linkParts.map(function (lp) {
      var a = map.latLngToContainerPoint(lp.pts[0]), b = map.latLngToContainerPoint(lp.pts[lp.pts.length - 1]);
      var dx = b.x - a.x, dy = b.y - a.y, n = Math.max(1e-6, Math.sqrt(dx * dx + dy * dy));
      return [dx / n, dy / n, n];
    });
    linkParts.forEach(function (lp, k) {
      if (!map.hasLayer(lp.label.marker)) return;
      var ux = dirs[k][0], uy = dirs[k][1], len = dirs[k][2], nx = -uy, ny = ux, ox = 0, oy = 0;
      dirs.forEach(function (d, j) { if (j !== k) { ox += d[0]; oy += d[1]; } });
      if ((ox || oy) ? nx * ox + ny * oy > 0 : nx < 0) { nx = -nx; ny = -ny; }
      var r = rectOf(lp.label, 0, box);
      r.width = r.right - r.left; r.height = r.bottom - r.top;
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
    var placed = new Grid();
    // site markers: corridor and region labels keep off them (place names may cover them)
    var markers = new Grid();
    [L_.sites, L_.siteGroups].forEach(function (layer) {
      layer.eachLayer(function (m) {
        var e = map.hasLayer(m) && m.getElement && m.getElement();
        if (e && !e.classList.contains('ml-grouped')) markers.add(e.getBoundingClientRect());
      });
    });
    var order = labels.map(function (it, i) { return i; })
      .sort(function (x, y) { return labels[x].priority - labels[y].priority || x - y; });
    order.forEach(function (i) {
      var it = labels[i];
      if (!map.hasLayer(it.marker)) return;
      if (it.cands) {
        var b = it.base, pick = null;
        [[markers, placed], [placed]].forEach(function (obstacles) {
          for (var c = 0; c < it.cands.length && !pick; c++) {
            if (!collides(shifted(b, it.cands[c]), obstacles)) pick = it.cands[c];
          }
        });
        if (!pick) {  // nowhere near its line without covering another label: hidden
          out[i] = { hidden: true, vi: 0 };
          return;
        }
        var d = [Math.round(pick[0]), Math.round(pick[1])];
        out[i] = { vi: 0, d: d, leader: !it.ring ? [pick, b] : null };
        placed.add(shifted(b, d));
        return;
      }
      // area labels: the anchor, else a few spots around it. Prefecture labels of units with
      // a role are never dropped (placed before every other label; off the site markers when
      // a spot allows, else over them); group labels keep off the markers and yield when
      // nothing is free; the other units' labels yield on collision with a label.
      // a long region name that fits nowhere on one line is tried again broken after its dashes
      var spot = null, vi = 0;
      it.variants.some(function (text, v) {
        vi = v;
        var g = rectOf(it, v, box), gw = g.right - g.left, gh = g.bottom - g.top;
        var spots = it.must || it.avoidSites ? areaSpots(gw, gh, it.avoidSites) : [[0, 0], [0, -gh], [0, gh]];
        var tries = it.avoidSites ? [[markers, placed]] : it.must ? [[markers, placed], [placed]] : [[placed]];
        tries.some(function (obst) {
          return spots.some(function (d) {
            var rr = shifted(g, d);
            if ((d[0] || d[1]) && (rr.left < box.left + 2 || rr.right > box.right - 2 || rr.top < box.top || rr.bottom > box.bottom)) return false;
            if (!collides(rr, obst)) { spot = d; return true; }
            return false;
          });
        });
        return !!spot;
      });
      if (!spot && it.must) spot = [0, 0];
      if (!spot) { out[i] = { hidden: true, vi: vi }; return; }
      var ds = [Math.round(spot[0]), Math.round(spot[1])];
      out[i] = { vi: vi, d: ds };
      placed.add(shifted(rectOf(it, vi, box), ds));
    });
    return out;
  }
  function applyPlacement(out) {  // writes only
    labels.forEach(function (it, i) {
      var o = out[i];
      if (!o) { it.span.classList.remove('ml-hidden'); return; }
      var text = it.variants[o.vi];
      if (it.span.textContent !== text) it.span.textContent = text;
      it.span.classList.toggle('ml-wrapped', o.vi > 0);
      it.span.classList.toggle('ml-hidden', !!o.hidden);
      var tf = o.hidden ? 'translate(-50%, -50%)' : 'translate(-50%, -50%) translate(' + o.d[0] + 'px,' + o.d[1] + 'px)';
      if (it.tf !== tf) it.span.style.transform = it.tf = tf;
      if (it.cands && o.hidden && it.leader) it.leader.hidden = true;
      if (o.leader) leader(it, o.leader[0], o.leader[1]);
    });
    cullLabels(out);
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
  function relabel() { sizes.key = null; placements = {}; labels.forEach(function (it) { it.span.textContent = it.text(); }); }

