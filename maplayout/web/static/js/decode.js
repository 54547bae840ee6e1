  // ---------------------------------------------------------------- decoding
  // A ring is a string of 6-bit digits (render.encode_ring): zig-zag varints, 5 bits a digit
  // (a digit >= 32 carries on), alternately the latitude and longitude steps in 1/D.scale
  // degrees. Decoded in one pass, by character codes, into [lat, lon] pairs or, with `LL`
  // (L.LatLng), straight into the points Leaflet keeps (no pair converted again).
  var ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT = new Int8Array(128).fill(-1);
  for (var i = 0; i < ALPHA.length; i++) DIGIT[ALPHA.charCodeAt(i)] = i;
  function ring(s, LL) {
    var out = [], scale = D.scale, acc = 0, mul = 1, lat = 0, lon = 0, odd = false, c, v;
    for (var k = 0, n = s.length; k < n; k++) {
      c = DIGIT[s.charCodeAt(k)];
      if (c >= 32) { acc += (c - 32) * mul; mul *= 32; continue; }
      acc += c * mul;
      v = acc % 2 ? -(acc + 1) / 2 : acc / 2;
      acc = 0; mul = 1;
      if (!odd) lat += v;
      else {
        lon += v;
        out.push(LL ? new LL(lat / scale, lon / scale) : [lat / scale, lon / scale]);
      }
      odd = !odd;
    }
    return out;
  }
  function polys(g, LL) { return g.map(function (p) { return p.map(function (s) { return ring(s, LL); }); }); }
