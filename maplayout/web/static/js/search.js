  // ---------------------------------------------------------------- search
  var SUFFIX = /(@ZH_SUFFIXES@)$/;
  var EN_SUFFIX = /\s+(@EN_SUFFIXES@)$/;
  function norm(s) {
    s = String(s || '').trim().toLowerCase();
    if (!s) return '';
    s = s.replace(EN_SUFFIX, '');
    if (s.length > 2) s = s.replace(SUFFIX, '');
    return s.replace(/[\s\-_'’·•.,()（）“”"]+/g, '');
  }
  // the names in every language plus the script variants the plan does not spell out
  // (render.search_keys, computed in Python: to_hant of the zh-Hans, to_hans of the zh-Hant)
  function keysOf(item, fields) {
    var raw = item.keys ? item.keys.slice() : [];
    fields.forEach(function (f) { LANGS.forEach(function (l) { raw.push((item[f] || {})[l]); }); });
    return raw.map(norm);
  }
  var index = [];
  D.units.forEach(function (u) { index.push({ kind: 'unit', id: u.id, keys: keysOf(u, ['name', 'short']), item: u }); });
  D.parents.forEach(function (pa) {  // the county view: prefectures by name
    var keys = keysOf(pa, ['name', 'short']);
    if (keys.some(Boolean)) index.push({ kind: 'parent', id: pa.id, keys: keys, item: pa });
  });
  D.sites.forEach(function (s) { index.push({ kind: 'site', id: s.id, keys: keysOf(s, ['name']), item: s }); });
  var KIND_RANK = { parent: 0, unit: 100, site: 500 };
  function search(q) {
    var n = norm(q);
    if (!n) return [];
    var hits = [];
    index.forEach(function (e, k) {
      var best = 9;
      e.keys.forEach(function (key) {
        if (!key) return;
        if (key === n) best = Math.min(best, 0);
        else if (key.indexOf(n) === 0) best = Math.min(best, 1);
        else if (key.indexOf(n) > 0) best = Math.min(best, 2);
      });
      if (best < 9) hits.push({ score: best * 100000 + KIND_RANK[e.kind] * 100 + k, e: e });
    });
    hits.sort(function (a, b) { return a.score - b.score; });
    return hits.slice(0, 8).map(function (h) {
      return { kind: h.e.kind, id: h.e.id, name: tr(h.e.item.name) };
    });
  }
  // "did you mean": for a query that matches nothing, the entry sharing the most characters
  // with it (Chinese: single characters, an administrative suffix character such as 州 or 市
  // counting half; Latin: letter pairs, at least half of the query's)
  var GENERIC = '州市县縣区區省';
  function grams(s) {
    var out = {}, k;
    if (/[\u3400-\u9fff]/.test(s)) { for (k = 0; k < s.length; k++) out[s.charAt(k)] = GENERIC.indexOf(s.charAt(k)) >= 0 ? 0.5 : 1; }
    else { for (k = 0; k + 1 < s.length; k++) out[s.substr(k, 2)] = 1; }
    return out;
  }
  function before(a, b) {  // lexicographic a < b
    for (var j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j] < b[j];
    return false;
  }
  function suggest(q) {
    var n = norm(q);
    if (!n || search(q).length) return null;
    var want = grams(n), total = 0, best = null;
    Object.keys(want).forEach(function (g) { total += want[g]; });
    var latin = !/[\u3400-\u9fff]/.test(n);
    index.forEach(function (e, k) {
      e.keys.forEach(function (key) {
        if (!key) return;
        var have = grams(key), shared = 0;
        Object.keys(want).forEach(function (g) { if (g in have) shared += want[g]; });
        if (shared < (latin ? Math.max(1, total / 2) : 1)) return;
        // ties: the same first character (a name's distinctive part), then the nearest length
        var rank = [-shared, key.charAt(0) === n.charAt(0) ? 0 : 1, Math.abs(key.length - n.length), KIND_RANK[e.kind], k];
        if (!best || before(rank, best.rank)) best = { rank: rank, e: e };
      });
    });
    return best ? { kind: best.e.kind, id: best.e.id, name: tr(best.e.item.name) } : null;
  }
