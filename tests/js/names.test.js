'use strict';
// norm() of search.js: the suffixes it strips are names.viewer_suffixes() of the Python side.
const test = require('node:test');
const assert = require('node:assert/strict');
const { fixture, load } = require('./viewer.js');

const names = fixture('names');
const ctx = load(['text', 'search'], { lang: 'zh-Hans', ui: {}, units: [], groups: [], parents: [], sites: [] });

test('every Chinese suffix of names.py is stripped, in both scripts', function () {
  assert.ok(names.zh.includes('自治州') && names.zh.includes('縣'));
  names.zh.forEach(function (suf) {
    assert.equal(ctx.norm('湘西' + suf), '湘西', suf);
  });
});

test('every English suffix of names.py is stripped, in any case and spacing', function () {
  assert.ok(names.en.includes('autonomous prefecture'));
  names.en.forEach(function (suf) {
    assert.equal(ctx.norm('  Xiangxi  ' + suf.toUpperCase() + ' '), 'xiangxi', suf);
  });
});

test('known keys: a two-character name keeps its suffix; a county keeps its ethnic groups', function () {
  assert.equal(ctx.norm('攸县'), '攸县');
  assert.equal(ctx.norm('江华瑶族自治县'), '江华瑶族');
  assert.equal(ctx.norm('湘西土家族苗族自治州'), '湘西');
  assert.equal(ctx.norm('長沙市'), '長沙');  // no script conversion in the page: keys carry both
  assert.equal(ctx.norm('Jianghua Yao Autonomous County'), 'jianghuayao');
  assert.equal(ctx.norm(''), '');
  assert.equal(ctx.norm(null), '');
});

test('the page key equals names.normalise for Hunan names without ethnic suffixes', function () {
  assert.ok(names.same.length > 200, 'prefecture and county names in two languages');
  names.same.forEach(function (c) { assert.equal(ctx.norm(c[0]), c[1], c[0]); });
});
