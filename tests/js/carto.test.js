'use strict';
// carto.js: the pure screen-space helpers of the page (shared stretches, rings, site groups).
const test = require('node:test');
const assert = require('node:assert/strict');
const { load, plain } = require('./viewer.js');

const ctx = load(['carto'], { lang: 'zh-Hans' });

test('links sharing a stretch get opposite slots; a link alone keeps 0', function () {
  // 京广 岳阳-长沙-株洲-衡阳, 沪昆 长沙-株洲-湘潭: they share 长沙-株洲 only
  const slots = plain(ctx.sharedSlots([['yy', 'cs', 'zz', 'hy'], ['cs', 'zz', 'xt'], ['a', 'b']]));
  assert.deepEqual(slots, [[0, -0.5, 0], [0.5, 0], [0]]);
});

test('a link running the stretch the other way round gets the flipped slot', function () {
  // both at slot -0.5 on their own normals is the same side; flipped means opposite sides
  const slots = plain(ctx.sharedSlots([['a', 'b'], ['b', 'a']]));
  assert.deepEqual(slots, [[-0.5], [-0.5]]);
  const three = plain(ctx.sharedSlots([['a', 'b'], ['a', 'b'], ['a', 'b']]));
  assert.deepEqual(three, [[-1], [0], [1]]);
});

test('the two offset lines of a shared stretch lie apart, each the offset from the axis', function () {
  const slots = plain(ctx.sharedSlots([['a', 'b'], ['b', 'a']]));
  const ab = plain(ctx.offsetLine([[0, 0], [100, 0]], slots[0].map(s => s * 6)));
  const ba = plain(ctx.offsetLine([[100, 0], [0, 0]], slots[1].map(s => s * 6)));
  assert.deepEqual(ab, [[0, 3], [100, 3]]);
  assert.deepEqual(ba, [[100, -3], [0, -3]]);
});

test('an offset line bends back at the vertex where the shared stretch ends', function () {
  const got = plain(ctx.offsetLine([[0, 0], [100, 0], [100, 100]], [-4, 0]));
  assert.deepEqual(got, [[0, 4], [100, 2], [100, 100]]);
  const none = plain(ctx.offsetLine([[0, 0], [5, 5]], [0]));
  assert.deepEqual(none, [[0, 0], [5, 5]]);
});

test('a ring tries its longest stretch first', function () {
  const order = plain(ctx.stretchOrder([[0, 0], [10, 0], [10, 50], [0, 0]]));
  assert.deepEqual(order, [2, 1, 0]);
});

test('points closer than the gap are grouped at their mean; groups merge again', function () {
  const pts = [[0, 0], [10, 0], [200, 200], [20, 0], [300, 0]];
  const groups = plain(ctx.groupPoints(pts, 16));
  assert.deepEqual(groups.map(g => g.members), [[0, 1, 3], [2], [4]]);
  assert.deepEqual(groups[0].at, [10, 0]);
  // two pairs whose means come within the gap of each other merge into one group
  const chain = plain(ctx.groupPoints([[0, 0], [8, 0], [22, 0], [30, 0]], 10));
  assert.deepEqual(chain.map(g => g.members), [[0, 1], [2, 3]]);
  const merged = plain(ctx.groupPoints([[0, 0], [8, 0], [22, 0], [30, 0]], 23));
  assert.deepEqual(merged.map(g => g.members), [[0, 1, 2, 3]]);
  // no two resulting groups are closer than the gap
  const many = [];
  for (let k = 0; k < 40; k++) many.push([(k * 37) % 97, (k * 53) % 89]);
  const out = plain(ctx.groupPoints(many, 20));
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      const d = Math.hypot(out[i].at[0] - out[j].at[0], out[i].at[1] - out[j].at[1]);
      assert.ok(d >= 20, `groups ${i} and ${j} are ${d} apart`);
    }
  }
  assert.equal(out.reduce((n, g) => n + g.members.length, 0), 40);
});

test('a fan puts n markers on a circle, the first straight up, step apart', function () {
  const fan = plain(ctx.fanOut([100, 100], 4, 20, 30));
  assert.equal(fan.length, 4);
  fan.forEach(p => assert.ok(Math.abs(Math.hypot(p[0] - 100, p[1] - 100) - 30) < 1e-9));
  assert.ok(Math.abs(fan[0][0] - 100) < 1e-9 && Math.abs(fan[0][1] - 70) < 1e-9);
  const big = plain(ctx.fanOut([0, 0], 20, 22, 30));
  const gap = Math.hypot(big[1][0] - big[0][0], big[1][1] - big[0][1]);
  assert.ok(gap > 21 && gap < 22.1, String(gap));
});
