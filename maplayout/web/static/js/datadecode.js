  // ---------------------------------------------------------------- data layers: pure helpers
  // (unit-tested in tests/js/datalayer.test.js against the Python side, maplayout/web/layerdata.py)
  function ints(s) {  // varints without deltas (codec.encode_ints)
    var out = [], acc = 0, mul = 1, c;
    for (var k = 0; k < s.length; k++) {
      c = DIGIT[s.charCodeAt(k)];
      if (c >= 32) { acc += (c - 32) * mul; mul *= 32; continue; }
      acc += c * mul;
      out.push(acc % 2 ? -(acc + 1) / 2 : acc / 2);
      acc = 0; mul = 1;
    }
    return out;
  }
  function cumsum(a) { var s = 0; return a.map(function (v) { s += v; return s; }); }
  // "{count} 家" with its values; a value is text, never markup
  function fill(t, vals) {
    Object.keys(vals || {}).forEach(function (k) { t = String(t).split('{' + k + '}').join(String(vals[k])); });
    return t;
  }
  // a link the page may open: http(s) only, no spaces (the plan stage already checks this)
  function safeUrl(u) { return /^https?:\/\/[^\s]+$/i.test(String(u || '')) ? String(u) : ''; }
  function clusterRadius(n) { return 9 + 3.5 * Math.log(n) / Math.LN10; }
  // the cluster level drawn at map zoom z: the largest computed level <= z (the first below
  // it), or null above the last one, where the points are drawn themselves
  function clusterZoom(levels, z) {
    if (!levels.length) return null;
    var zi = Math.floor(z + 1e-9);
    if (zi > levels[levels.length - 1]) return null;
    return Math.max(zi, levels[0]);
  }
  // a pointy-top hexagon's centre in zoom-0 Web-Mercator pixels (layerdata.hexbins)
  function hexCentre(size, q, r) { return [size * Math.sqrt(3) * (q + r / 2), size * 1.5 * r]; }
  function hexCorners(cx, cy, r) {
    var out = [];
    for (var k = 0; k < 6; k++) {
      var a = Math.PI / 180 * (60 * k - 30);
      out.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
    }
    return out;
  }

