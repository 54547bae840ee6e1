'use strict';
// ring() of decode.js against rings encoded by the Python codec (render.encode_ring).
const test = require('node:test');
const assert = require('node:assert/strict');
const { fixture, load, plain } = require('./viewer.js');

const cases = fixture('geometry');

test('each encoded ring decodes to the rounded coordinates, in [lat, lon]', function () {
  assert.ok(cases.rings.length >= 5);
  cases.rings.forEach(function (c) {
    const ctx = load(['decode'], { scale: c.scale, lang: 'zh-Hans' });
    assert.deepEqual(plain(ctx.ring(c.encoded)), c.latlon, c.name);
  });
});

test('the documented example: two points 1e-4 degrees apart', function () {
  const ctx = load(['decode'], { scale: 10000, lang: 'zh-Hans' });
  assert.deepEqual(plain(ctx.ring('g8iRgwrkCAC')), [[28, 112], [28, 112.0001]]);
  assert.deepEqual(plain(ctx.ring('')), []);
});

test('a real county polygon, exterior and holes, through polys()', function () {
  const u = cases.unit;
  const ctx = load(['decode'], { scale: cases.scale, lang: 'zh-Hans' });
  const got = plain(ctx.polys(u.g));
  assert.equal(got.length, u.latlon.length);
  assert.ok(u.latlon[0][0].length > 50, 'a real boundary has many vertices');
  assert.deepEqual(got, u.latlon);
});

test('with a point constructor, the same coordinates as points (as Leaflet keeps them)', function () {
  function LatLng(lat, lng) { this.lat = lat; this.lng = lng; }
  const u = cases.unit;
  const ctx = load(['decode'], { scale: cases.scale, lang: 'zh-Hans' });
  const got = ctx.polys(u.g, LatLng);
  assert.ok(got[0][0][0] instanceof LatLng);
  assert.deepEqual(plain(got.map(function (p) { return p.map(function (r) { return r.map(function (q) { return [q.lat, q.lng]; }); }); })), u.latlon);
  cases.rings.forEach(function (c) {
    const one = load(['decode'], { scale: c.scale, lang: 'zh-Hans' });
    assert.deepEqual(plain(one.ring(c.encoded, LatLng).map(function (q) { return [q.lat, q.lng]; })), c.latlon, c.name);
  });
});

test('a trailing half pair is left out, as before', function () {
  const ctx = load(['decode'], { scale: 10000, lang: 'zh-Hans' });
  assert.deepEqual(plain(ctx.ring('g8iRgwrkCACA')), [[28, 112], [28, 112.0001]]);
});
