  // ---------------------------------------------------------------- language
  function setLang(l) {
    if (LANGS.indexOf(l) < 0) return false;
    lang = api.lang = l;
    document.documentElement.lang = l;
    var title = tr(D.meta.title);
    document.title = title;
    document.getElementById('ml-title').textContent = title;
    document.getElementById('ml-subtitle').textContent = tr(D.meta.subtitle);
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (e) { e.textContent = ui(e.getAttribute('data-i18n')); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-aria]'), function (e) {
      e.setAttribute('aria-label', ui(e.getAttribute('data-i18n-aria')));
      if (e.title) e.title = ui(e.getAttribute('data-i18n-aria'));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-ph]'), function (e) { e.placeholder = ui(e.getAttribute('data-i18n-ph')); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-lang-block]'), function (e) { e.hidden = e.getAttribute('data-lang-block') !== l; });
    Array.prototype.forEach.call(document.querySelectorAll('.ml-lang button'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-lang') === l ? 'true' : 'false');
    });
    relabel();
    buildLegend();
    buildLayerControl();
    buildAttribution();
    map.eachLayer(function (layer) {
      var pop = layer.getPopup && layer.getPopup(), tip = layer.getTooltip && layer.getTooltip();
      if (pop && pop.isOpen()) pop.update();
      if (tip && tip.isOpen()) tip.update();
    });
    if (!results.hidden) showResults();
    placeLabels();
    return true;
  }
  Array.prototype.forEach.call(document.querySelectorAll('.ml-lang button'), function (b) {
    b.addEventListener('click', function () { setLang(b.getAttribute('data-lang')); });
  });

