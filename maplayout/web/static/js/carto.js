  // ---------------------------------------------------------------- cartography (pure functions)
  // Screen-space helpers with no Leaflet and no DOM (unit-tested in tests/js/carto.test.js):
  // points are [x, y] in pixels.

  // The stretches links share (a segment between the same two stops, either way round): each
  // link's slot on each of its segments, centred on the stretch (two links: -0.5 and +0.5),
  // signed along the segment's left normal as the link runs. A link alone on a segment: 0.
  function sharedSlots(stopLists) {
    var users = {};
    function key(a, b) { return a < b ? a + '|' + b : b + '|' + a; }
    stopLists.forEach(function (stops, i) {
      for (var k = 1; k < stops.length; k++) {
        var list = users[key(stops[k - 1], stops[k])] || (users[key(stops[k - 1], stops[k])] = []);
        if (list.indexOf(i) < 0) list.push(i);
      }
    });
    return stopLists.map(function (stops, i) {
      var out = [];
      for (var k = 1; k < stops.length; k++) {
        var list = users[key(stops[k - 1], stops[k])];
        var slot = list.indexOf(i) - (list.length - 1) / 2;
        // one frame per stretch (from its smaller stop id): a link running the other way
        // round has its left normal flipped
        out.push(slot === 0 ? 0 : stops[k - 1] < stops[k] ? slot : -slot);
      }
      return out;
    });
  }

  // A polyline moved sideways by offs[k] pixels along each segment's left normal (the normal
  // of (dx, dy) is (dy, -dx) on screen, y down); a vertex between two segments takes the mean
  // of their moved ends, so a line leaving a shared stretch bends back to its stop.
  function offsetLine(px, offs) {
    if (px.length < 2 || !offs.some(function (o) { return o; })) return px.map(function (p) { return [p[0], p[1]]; });
    var moved = [];
    for (var k = 1; k < px.length; k++) {
      var a = px[k - 1], b = px[k], dx = b[0] - a[0], dy = b[1] - a[1];
      var n = Math.sqrt(dx * dx + dy * dy) || 1, o = offs[k - 1] || 0;
      var nx = dy / n * o, ny = -dx / n * o;
      moved.push([[a[0] + nx, a[1] + ny], [b[0] + nx, b[1] + ny]]);
    }
    var out = [moved[0][0]];
    for (k = 1; k < moved.length; k++) {
      out.push([(moved[k - 1][1][0] + moved[k][0][0]) / 2, (moved[k - 1][1][1] + moved[k][0][1]) / 2]);
    }
    out.push(moved[moved.length - 1][1]);
    return out;
  }

  // The segments of a polyline, longest first (ties: the earlier one): a ring's label tries
  // its longest stretch first, then the next.
  function stretchOrder(px) {
    var segs = [];
    for (var k = 1; k < px.length; k++) {
      var dx = px[k][0] - px[k - 1][0], dy = px[k][1] - px[k - 1][1];
      segs.push([Math.sqrt(dx * dx + dy * dy), k - 1]);
    }
    segs.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return segs.map(function (s) { return s[1]; });
  }

  // Points closer than `gap` pixels (centre to centre) fall into one group; a group sits at
  // its members' mean and is merged again with whatever it then comes too close to. Returns
  // [{members: [indices, ascending], at: [x, y]}] ordered by first member; deterministic.
  function groupPoints(pts, gap) {
    var groups = pts.map(function (p, i) { return { members: [i], at: [p[0], p[1]] }; });
    var merged = true;
    while (merged) {
      merged = false;
      for (var i = 0; i < groups.length && !merged; i++) {
        for (var j = i + 1; j < groups.length && !merged; j++) {
          var dx = groups[i].at[0] - groups[j].at[0], dy = groups[i].at[1] - groups[j].at[1];
          if (dx * dx + dy * dy >= gap * gap) continue;
          var all = groups[i].members.concat(groups[j].members).sort(function (a, b) { return a - b; });
          var sx = 0, sy = 0;
          all.forEach(function (m) { sx += pts[m][0]; sy += pts[m][1]; });
          groups[i] = { members: all, at: [sx / all.length, sy / all.length] };
          groups.splice(j, 1);
          merged = true;
        }
      }
    }
    return groups;
  }

  // n positions fanned out around a centre, `step` pixels apart along the circle (at least
  // `min` from the centre), the first straight up, clockwise.
  function fanOut(at, n, step, min) {
    var r = Math.max(min, n * step / (2 * Math.PI)), out = [];
    for (var k = 0; k < n; k++) {
      var t = -Math.PI / 2 + 2 * Math.PI * k / n;
      out.push([at[0] + r * Math.cos(t), at[1] + r * Math.sin(t)]);
    }
    return out;
  }

