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

