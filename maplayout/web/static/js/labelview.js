  // ---------------------------------------------------------------- label markers, drawn only in view
  // A label's marker is placed with a 2D translate: Leaflet's translate3d makes every marker a
  // compositing layer of its own (a national page's 1,900 labels made 1,500 layers, laid out
  // again on every zoom step). A label that its placement hides, or that lies beyond the view
  // padded as the paths' renderer pads it, is not displayed (no layout, no paint), and
  // Leaflet's per-zoom projection and position writes skip it until it is shown again.
  var LabelMarker = L.Marker.extend({
    onAdd: function (map) {
      this._culled = false;  // a new icon element: displayed
      L.Marker.prototype.onAdd.call(this, map);
    },
    update: function () {  // (on every zoom) not projected while not displayed
      return this._culled ? this : L.Marker.prototype.update.call(this);
    },
    _setPos: function (pos) {
      if (this._culled) return;
      this._icon._leaflet_pos = pos;
      this._icon.style.transform = 'translate(' + pos.x + 'px,' + pos.y + 'px)';
      this._zIndex = pos.y + this.options.zIndexOffset;
      this._resetZIndex();
    },
    show: function (on) {
      if (!this._icon || on === !this._culled) return;
      this._culled = !on;
      this._icon.style.display = on ? '' : 'none';
      if (on) this.update();  // where its anchor is now
    }
  });
  function labelMarker(latlng, options) { return new LabelMarker(latlng, options); }
  // show the labels of placement `out` (see labels.js, which applies one) that meet the padded
  // view, hide the others; without `out`, again for a moved view (a pan's moveend)
  var shownPlacement = null, culledAt = null;
  function cullLabels(out) {
    var again = !out;
    out = out || shownPlacement;
    if (!out) return;
    var size = map.getSize(), pad = L.SVG.prototype.options.padding, at = map.getPixelBounds().min;
    var key = [map.getZoom(), at.x, at.y, size.x, size.y].join('|');
    if (again && key === culledAt) return;  // the moveend right after a zoomend: culled already
    shownPlacement = out;
    culledAt = key;
    var x0 = -pad * size.x, y0 = -pad * size.y, x1 = (1 + pad) * size.x, y1 = (1 + pad) * size.y;
    labels.forEach(function (it, i) {
      if (!map.hasLayer(it.marker)) return;
      var o = out[i], b = o && it.boxes && it.boxes[o.vi];
      if (!o || !b) { it.marker.show(true); return; }
      if (o.hidden) { it.marker.show(false); return; }
      var p = map.latLngToContainerPoint(it.marker.getLatLng()), x = p.x + b[0] + o.d[0], y = p.y + b[1] + o.d[1];
      it.marker.show(x < x1 && x + b[2] > x0 && y < y1 && y + b[3] > y0);
    });
  }
