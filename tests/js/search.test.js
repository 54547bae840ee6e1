'use strict';
// search() and suggest() of search.js over the real payload of the default county view.
const test = require('node:test');
const assert = require('node:assert/strict');
const { fixture, load, plain } = require('./viewer.js');

const D = fixture('county');
const ctx = load(['text', 'search'], D);
const ids = function (hits) { return hits.map(function (h) { return h.kind + ':' + h.id; }); };

test('the index holds every county, prefecture and site', function () {
  assert.equal(D.units.length, 122);
  const kinds = {};
  ctx.index.forEach(function (e) { kinds[e.kind] = (kinds[e.kind] || 0) + 1; });
  assert.deepEqual(kinds, { unit: 122, parent: 14, site: D.sites.length });
});

test('a prefecture by name in any script or language: the prefecture first', function () {
  ['长沙', '長沙', '长沙市', 'Changsha', 'changsha city'].forEach(function (q) {
    const hits = ctx.search(q);
    assert.equal(ids(hits)[0], 'parent:430100', q);
    assert.equal(hits[0].name, '长沙市');
  });
});

test('a county by its full name, short name or Traditional spelling', function () {
  assert.equal(ids(ctx.search('芙蓉区'))[0], 'unit:430102');
  assert.equal(ids(ctx.search('江华'))[0], 'unit:431129');
  assert.equal(ids(ctx.search('江華瑤族自治縣'))[0], 'unit:431129');
});

test('exact before prefix before inside a name; at most eight hits', function () {
  const hits = ctx.search('湘');
  assert.equal(hits.length, 8);
  hits.forEach(function (h) { assert.match(h.name, /湘/); });
  assert.deepEqual(plain(ctx.search('nowhere at all')), []);
  assert.deepEqual(plain(ctx.search('  ')), []);
});

test('did you mean: a near miss suggests the closest name, a hit suggests nothing', function () {
  assert.equal(ctx.suggest('长沙'), null);
  const guess = ctx.suggest('长纱市');
  assert.deepEqual([guess.kind, guess.id], ['parent', '430100']);
  assert.equal(ctx.suggest('qqqq'), null);
});

test('results follow the current language', function () {
  const en = load(['text', 'search'], Object.assign({}, D, { lang: 'en' }));
  assert.equal(en.search('长沙')[0].name, 'Changsha City');
});
