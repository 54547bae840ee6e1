'use strict';
// The data layers' pure helpers (static/js/datadecode.js) against the Python side
// (maplayout/web/layerdata.py, codec.encode_ints), with fixtures from tests/test_js_units.py.
const test = require('node:test');
const assert = require('node:assert/strict');
const { fixture, load, plain } = require('./viewer.js');

const F = fixture('layers');
const ctx = load(['decode', 'datadecode'], { scale: 10000, lang: 'zh-Hans' });

test('ints() decodes what encode_ints wrote, signs and large values included', function () {
  assert.deepEqual(plain(ctx.ints(F.ints.encoded)), F.ints.values);
  assert.deepEqual(plain(ctx.ints('')), []);
});

test('every zoom level counts every point once: cluster counts plus lone points', function () {
  assert.ok(F.zoom.length >= 3);
  let previous = Infinity;
  F.zoom.forEach(function (z) {
    const counts = ctx.ints(z.n), lone = ctx.cumsum(ctx.ints(z.one));
    const sum = counts.reduce(function (a, b) { return a + b; }, 0);
    assert.equal(sum + lone.length, F.n, 'zoom ' + z.z);
    assert.ok(counts.every(function (c) { return c >= 2; }));
    assert.equal(new Set(lone).size, lone.length);
    assert.ok(lone.every(function (i) { return i >= 0 && i < F.n; }));
    assert.equal(ctx.ring(z.ll).length, counts.length);
    assert.ok(counts.length + lone.length >= 1 && counts.length + lone.length <= F.n);
    assert.ok(sum <= previous || previous === Infinity);  // clusters only split as zoom grows
    previous = sum;
  });
});

test('clusterZoom: the level for a map zoom, null past the last level', function () {
  assert.equal(ctx.clusterZoom([4, 5, 6], 3.5), 4);
  assert.equal(ctx.clusterZoom([4, 5, 6], 5.75), 5);
  assert.equal(ctx.clusterZoom([4, 5, 6], 6), 6);
  assert.equal(ctx.clusterZoom([4, 5, 6], 7), null);
  assert.equal(ctx.clusterZoom([], 7), null);
});

test('each point lies within its hexagon: hexCentre matches the Python binning', function () {
  const h = F.hex, q = ctx.ints(h.q), r = ctx.ints(h.r), n = ctx.ints(h.n);
  assert.equal(n.reduce(function (a, b) { return a + b; }, 0), F.n);
  const centres = q.map(function (qq, i) { return plain(ctx.hexCentre(h.s, qq, r[i])); });
  // every point is nearer its own cell's centre than the inscribed radius (sqrt(3)/2 * s)
  F.points_px.forEach(function (p) {
    let best = Infinity;
    centres.forEach(function (c) { best = Math.min(best, Math.hypot(c[0] - p[0], c[1] - p[1])); });
    assert.ok(best <= h.s * 1.0000001, 'a point is outside every hexagon');
  });
  const corners = plain(ctx.hexCorners(0, 0, 2));
  assert.equal(corners.length, 6);
  corners.forEach(function (c) { assert.ok(Math.abs(Math.hypot(c[0], c[1]) - 2) < 1e-9); });
});

test('safeUrl keeps http(s) links and drops every other scheme', function () {
  assert.equal(ctx.safeUrl('https://example.org/a?b=1&c=<x>'), 'https://example.org/a?b=1&c=<x>');
  assert.equal(ctx.safeUrl('HTTP://EXAMPLE.ORG'), 'HTTP://EXAMPLE.ORG');
  ['javascript:alert(1)', ' https://x.org', 'data:text/html,<b>', '//x.org', '', null, 'https://a b']
    .forEach(function (u) { assert.equal(ctx.safeUrl(u), '', String(u)); });
});

test('fill() puts values in as text, every occurrence, and leaves unknown keys', function () {
  assert.equal(ctx.fill('{count} 家', { count: 812 }), '812 家');
  assert.equal(ctx.fill('{a}-{a} {b}', { a: '<i>' }), '<i>-<i> {b}');
  assert.ok(ctx.clusterRadius(10000) > ctx.clusterRadius(2));
});
