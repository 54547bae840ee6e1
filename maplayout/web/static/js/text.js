  // ---------------------------------------------------------------- text helpers
  function tr(obj) {
    if (!obj) return '';
    if (typeof obj === 'string') return obj;
    return obj[lang] || obj['zh-Hans'] || obj.en || '';
  }
  function ui(key) { var t = D.ui[lang] || {}; return key in t ? t[key] : key; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function dist(r) {
    return r >= 1000 ? (Math.round(r / 100) / 10) + ' ' + ui('unit.km') : Math.round(r) + ' ' + ui('unit.m');
  }
  var unitById = {}, groupById = {};
  D.units.forEach(function (u) { unitById[u.id] = u; });
  D.groups.forEach(function (g) { groupById[g.id] = g; });
  function placeName(id) { return unitById[id] ? tr(unitById[id].short) || tr(unitById[id].name) : id; }
  function knownPlace(id) { return unitById[id] ? placeName(id) : ''; }
  function srcLine(refs) {
    var s = D.meta.source || {};
    var parts = [tr(s.publication), s.date || ''].filter(Boolean).join(' ');
    return parts + (refs && refs.length ? ' [' + refs.join(', ') + ']' : '');
  }

