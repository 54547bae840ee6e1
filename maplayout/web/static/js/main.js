  // ---------------------------------------------------------------- wire up
  map.on('zoomend', function () { regroup(); placeArrows(); updateDetail(); placeLabels(); });
  map.on('moveend', function () { if (updateDetail()) placeLabels(); else cullLabels(); });
  map.on('overlayadd', function (e) { if (e.layer === L_.sites) { regroup(); placeArrows(); } });
  map.on('overlayadd overlayremove resize', placeLabels);
  map.on('resize', clearBottom);
  regroup();
  placeArrows();
  updateDetail();
  setLang(lang);

  api.decode = ring;
  api.setLang = setLang;
  api.search = search;
  api.suggest = suggest;
  api.select = select;
  api.fit = fit;
  api.linkLine = function (id) {  // a link's drawn line (offset, trimmed), for tests
    var lp = linkParts.filter(function (x) { return x.link.id === id; })[0];
    return lp ? lp.line : null;
  };
  api.counts = function () {
    function drawn(name) {
      var n = 0;
      L_[name].eachLayer(function (l) {
        var e = l.getElement ? l.getElement() : null;
        if (map.hasLayer(l) && e && document.body.contains(e)) n += 1;
      });
      return n;
    }
    var c = {};
    ['units', 'parents', 'groups', 'uncertainty', 'sites', 'context', 'labels', 'exceptions'].forEach(function (k) { c[k] = drawn(k); });
    c.links = linkParts.filter(function (lp) { return map.hasLayer(lp.line) && document.body.contains(lp.line.getElement()); }).length;
    c.arrows = linkParts.reduce(function (n, lp) { return n + lp.heads.filter(function (h) { return map.hasLayer(h.poly); }).length; }, 0);
    c.highlighted = document.querySelectorAll('path.ml-hl').length;
    c.provinces = drawn('provinces');
    c.detail = detail ? Object.keys(detail.loaded).sort() : null;
    c.siteGroups = drawn('siteGroups');
    c.visibleLabels = labels.filter(function (it) { return map.hasLayer(it.marker) && !it.span.classList.contains('ml-hidden'); }).length;
    return c;
  };
  api.ready = true;
  api.readyAt = performance.now();
  document.documentElement.setAttribute('data-ml-ready', '1');
  window.dispatchEvent(new Event('maplayout:ready'));
})();
