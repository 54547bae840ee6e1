  // ---------------------------------------------------------------- wire up
  map.on('zoomend', function () { placeArrows(); placeLabels(); });
  map.on('overlayadd overlayremove resize', placeLabels);
  map.on('resize', clearBottom);
  placeArrows();
  setLang(lang);

  api.decode = ring;
  api.setLang = setLang;
  api.search = search;
  api.suggest = suggest;
  api.select = select;
  api.fit = fit;
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
    c.visibleLabels = labels.filter(function (it) { return map.hasLayer(it.marker) && !it.span.classList.contains('ml-hidden'); }).length;
    return c;
  };
  api.ready = true;
  api.readyAt = performance.now();
  document.documentElement.setAttribute('data-ml-ready', '1');
  window.dispatchEvent(new Event('maplayout:ready'));
})();
