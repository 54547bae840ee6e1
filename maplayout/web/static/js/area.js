  // ---------------------------------------------------------------- area polygons
  // An area's polygon cheap on every zoom step (a national page's 1,500 counties and
  // 400,000 vertices): its vertices are projected (CRS projection and transformation, zoom 0)
  // once; at a zoom level its pixel bounds come from its latitude/longitude bounds, and its
  // rings are projected (scaled, rounded and shifted, as Leaflet's latLngToLayerPoint does)
  // only once it is drawn in view, a shape wholly inside the clip bounds dropping each vertex
  // within the path's smoothFactor of the last one kept (the first step of Leaflet's
  // simplification, which then keeps them all: the same path); Leaflet's clipping and
  // simplification then run once per projection and clip bounds (Leaflet projects at
  // viewreset and again at zoomend, and updates every path at viewreset and again at moveend).
  var AreaPolygon = L.Polygon.extend({
    // a ring of points (decode.js makes them): kept as they are, as Leaflet's toLatLng keeps a
    // point, and the bounds grown once by the ring's extremes, not once per vertex (the same
    // bounds); the last vertex dropped when it repeats the first, as L.Polygon does
    _convertLatLngs: function (latlngs) {
      var n = latlngs.length, s = Infinity, w = Infinity, no = -Infinity, e = -Infinity, i, ll;
      for (i = 0; i < n; i++) if (!(latlngs[i] instanceof L.LatLng)) break;
      if (!n || i < n) return L.Polygon.prototype._convertLatLngs.call(this, latlngs);
      var result = latlngs.slice();
      for (i = 0; i < n; i++) {
        ll = result[i];
        s = Math.min(ll.lat, s); w = Math.min(ll.lng, w); no = Math.max(ll.lat, no); e = Math.max(ll.lng, e);
      }
      this._bounds.extend(L.latLng(s, w)).extend(L.latLng(no, e));
      if (n >= 2 && result[0].equals(result[n - 1])) result.pop();
      return result;
    },
    _setLatLngs: function (latlngs) {
      L.Polygon.prototype._setLatLngs.call(this, latlngs);
      this._unit = this._rings = null;
      this._pkey = this._ukey = null;
    },
    onAdd: function (map) {
      this._ukey = null;  // a new path element: drawn again
      this._blank = false;
      L.Polygon.prototype.onAdd.call(this, map);
    },
    _project: function () {
      var map = this._map, o = map.getPixelOrigin(), key = map.getZoom() + '|' + o.x + '|' + o.y;
      if (key === this._pkey) return;
      this._pkey = key;
      this._rings = null;
      if (!this._bounds.isValid()) return;
      this._rawPxBounds = L.bounds(map.latLngToLayerPoint(this._bounds.getNorthWest()),
        map.latLngToLayerPoint(this._bounds.getSouthEast()));
      this._updateBounds();
    },
    _projectRings: function (reduce) {
      var map = this._map, crs = map.options.crs, o = map.getPixelOrigin(), s = crs.scale(map.getZoom());
      var sq = reduce ? this.options.smoothFactor * this.options.smoothFactor : -1;
      if (!this._unit) this._unit = unitRings(this._latlngs, crs, []);
      return this._unit.map(function (u) {
        var ring = [], n = u.length / 2, px = 0, py = 0;
        for (var i = 0; i < n; i++) {
          var x = Math.round(s * u[2 * i]) - o.x, y = Math.round(s * u[2 * i + 1]) - o.y;
          if (i === 0 || i === n - 1 || n <= 2 || (x - px) * (x - px) + (y - py) * (y - py) > sq) {
            ring.push(new L.Point(x, y));
            px = x; py = y;
          }
        }
        return ring;
      });
    },
    _update: function () {
      if (!this._map) return;
      var r = this._renderer._bounds;
      var key = this._pkey + '|' + (r ? [r.min.x, r.min.y, r.max.x, r.max.y].join(',') : '');
      if (key === this._ukey) return;
      this._ukey = key;
      var w = L.point(this.options.weight, this.options.weight);  // Leaflet clips a polygon this far out
      if (!this._rings && (!this._pxBounds || !r || !this._pxBounds.intersects(L.bounds(r.min.subtract(w), r.max.add(w))))) {  // out of view: no path
        if (!this._blank) {  // an empty path, written once (not again on every step out of view)
          this._parts = [];
          this._updatePath();
          this._blank = true;
        }
        return;
      }
      this._blank = false;
      // a shape cut at the clip bounds: all its vertices (Leaflet clips before it simplifies)
      var whole = !!r && r.contains(this._pxBounds);
      if (!this._rings || (this._reduced && !whole)) {
        this._rings = this._projectRings(whole);
        this._reduced = whole;
      }
      this._whole = whole;
      L.Polygon.prototype._update.call(this);
    },
    // a shape wholly inside the clip bounds: Leaflet's clipping would return its rings as they are
    _clipPoints: function () {
      if (this._whole) this._parts = this._rings.slice();
      else L.Polygon.prototype._clipPoints.call(this);
    },
    // Leaflet's simplification (L.LineUtil.simplify: radial reduction, then Douglas-Peucker),
    // the same points kept, in one loop per ring without a call per vertex and segment
    _simplifyPoints: function () {
      var parts = this._parts, tol = this.options.smoothFactor;
      if (!tol) { L.Polygon.prototype._simplifyPoints.call(this); return; }
      for (var i = 0; i < parts.length; i++) parts[i] = simplifyRing(parts[i], tol * tol);
    }
  });
  function simplifyRing(points, sq) {
    var n = points.length;
    if (!n) return points.slice();
    // radial reduction (L.LineUtil._reducePoints): a point within the tolerance of the last kept one goes
    var pts = [points[0]], prev = 0, i, p, dx, dy;
    for (i = 1; i < n; i++) {
      p = points[i]; dx = p.x - points[prev].x; dy = p.y - points[prev].y;
      if (dx * dx + dy * dy > sq) { pts.push(p); prev = i; }
    }
    if (prev < n - 1) pts.push(points[n - 1]);
    // Douglas-Peucker (L.LineUtil._simplifyDP): the farthest point of a stretch from its chord
    // (L.LineUtil._sqClosestPointOnSegment's arithmetic) is kept while farther than the tolerance
    n = pts.length;
    var keep = new Uint8Array(n), todo = [0, n - 1];
    keep[0] = keep[n - 1] = 1;
    while (todo.length) {
      var last = todo.pop(), first = todo.pop(), max = 0, index = 0;
      var x1 = pts[first].x, y1 = pts[first].y, x2 = pts[last].x, y2 = pts[last].y;
      var sx = x2 - x1, sy = y2 - y1, dot = sx * sx + sy * sy;
      for (i = first + 1; i <= last - 1; i++) {
        p = pts[i];
        var x = x1, y = y1;
        if (dot > 0) {
          var t = ((p.x - x) * sx + (p.y - y) * sy) / dot;
          if (t > 1) { x = x2; y = y2; } else if (t > 0) { x += sx * t; y += sy * t; }
        }
        dx = p.x - x; dy = p.y - y;
        var d = dx * dx + dy * dy;
        if (d > max) { index = i; max = d; }
      }
      if (max > sq) { keep[index] = 1; todo.push(first, index, index, last); }
    }
    var out = [];
    for (i = 0; i < n; i++) if (keep[i]) out.push(pts[i]);
    return out;
  }
  // the rings of nested latlngs (as Leaflet flattens them) at zoom 0: [x0, y0, x1, y1, …]; on
  // Web Mercator (the map's CRS) Leaflet's projection and transformation written out, the same
  // arithmetic in the same order (the same numbers), without two points made per vertex
  function unitRings(latlngs, crs, out) {
    if (latlngs.length && latlngs[0] instanceof L.LatLng) {
      var n = latlngs.length, u = new Float64Array(n * 2), pr = crs.projection, tf = crs.transformation, i, ll;
      if (pr === L.Projection.SphericalMercator && tf instanceof L.Transformation) {
        var d = Math.PI / 180, max = pr.MAX_LATITUDE, R = pr.R, a = tf._a, b = tf._b, c = tf._c, e = tf._d, sin;
        for (i = 0; i < n; i++) {
          ll = latlngs[i];
          sin = Math.sin(Math.max(Math.min(max, ll.lat), -max) * d);
          u[2 * i] = a * (R * ll.lng * d) + b;
          u[2 * i + 1] = c * (R * Math.log((1 + sin) / (1 - sin)) / 2) + e;
        }
      } else {
        for (i = 0; i < n; i++) {
          var p = tf.transform(pr.project(latlngs[i]), 1);
          u[2 * i] = p.x;
          u[2 * i + 1] = p.y;
        }
      }
      out.push(u);
    } else latlngs.forEach(function (l) { unitRings(l, crs, out); });
    return out;
  }
  function area(latlngs, options) { return new AreaPolygon(latlngs, options); }
