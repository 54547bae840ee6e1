  function findLayer(kind, id) {
    var found = null;
    L_[{ unit: 'units', parent: 'parents' }[kind] || 'sites'].eachLayer(function (l) { if (l.feature && l.feature.id === id) found = l; });
    return found;
  }
  // a prefecture found in the county view: its outline and its counties stay highlighted
  var highlighted = [];
  function clearHighlight() {
    highlighted.forEach(function (l) {
      var e = l.getElement && l.getElement();
      if (e) e.classList.remove('ml-hl');
      if (l.options.className === 'ml-parent') l.setStyle({ color: '#222', weight: 2.2 });
    });
    highlighted = [];
  }
  function highlightParent(layer, id) {
    clearHighlight();
    var bounds = L.latLngBounds([]);
    L_.units.eachLayer(function (l) {
      var u = unitById[l.feature.id];
      if (!u || u.parent !== id) return;
      bounds.extend(l.getBounds());
      var e = l.getElement && l.getElement();
      if (e) e.classList.add('ml-hl');
      highlighted.push(l);
    });
    layer.setStyle({ color: '#b35900', weight: 4.5 });
    highlighted.push(layer);
    return bounds.isValid() ? bounds : layer.getBounds();
  }
  function select(kind, id) {
    if (detail && kind === 'unit' && unitById[id]) loadProvince(unitById[id].prov);  // the national page
    if (detail && kind === 'parent' && parentById[id]) loadProvince(parentById[id].prov);
    var layer = findLayer(kind, id);
    if (!layer) return false;
    if (map._animatingZoom) { map.once('zoomend', function () { select(kind, id); }); return true; }
    if (kind === 'parent') {
      map.closePopup();
      map.fitBounds(highlightParent(layer, id), { maxZoom: 10, padding: [20, 20] });
      return true;
    }
    clearHighlight();
    if (kind === 'unit') {
      map.fitBounds(layer.getBounds(), { maxZoom: 10, padding: [20, 20] });
      layer.openPopup(L.latLng(unitById[id].lab));
      return true;
    }
    // a site: its popup once the sites are regrouped at the new zoom (fanned out if grouped)
    var z = Math.max(map.getZoom(), 10), ll = D.sites.filter(function (s) { return s.id === id; })[0].ll;
    if (z !== map.getZoom()) map.once('zoomend', function () { revealSite(id); });
    map.setView(ll, z);
    if (z === map.getZoom() && !map._animatingZoom) revealSite(id);
    return true;
  }
  var q = document.getElementById('ml-q'), results = document.getElementById('ml-results');
  var current = [];
  function showResults() {
    current = search(q.value);
    results.textContent = '';
    if (!q.value.trim()) { results.hidden = true; return; }
    if (!current.length) {
      var none = el('li', 'ml-none', ui('search.none'));
      none.setAttribute('role', 'option');
      none.setAttribute('aria-disabled', 'true');
      results.appendChild(none);
      var guess = suggest(q.value);
      if (guess) {  // offered as the one choice of the list (click, or arrow down and Enter)
        current = [guess];
        var li = el('li', 'ml-suggest', ui('search.suggest').replace('{name}', guess.name));
        li.setAttribute('role', 'option');
        li.id = 'ml-opt-0';
        li.tabIndex = -1;
        li.addEventListener('click', function () { choose(0); });
        li.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') choose(0); });
        results.appendChild(li);
      }
      results.hidden = false;
      return;
    }
    current.forEach(function (r, k) {
      var li = el('li', null, r.name);
      li.setAttribute('role', 'option');
      li.id = 'ml-opt-' + k;
      li.tabIndex = -1;
      li.addEventListener('click', function () { choose(k); });
      li.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') choose(k); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function choose(k) {
    var r = current[k];
    if (!r) return;
    results.hidden = true;
    q.value = r.name;
    select(r.kind, r.id);
  }
  q.addEventListener('input', showResults);
  q.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown' && current.length) { ev.preventDefault(); results.querySelector('li[tabindex]').focus(); }
    if (ev.key === 'Escape') { results.hidden = true; }
  });
  results.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if (ev.key === 'ArrowDown' && t.nextSibling) { ev.preventDefault(); t.nextSibling.focus(); }
    if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      var prev = t.previousSibling;
      (prev && prev.hasAttribute('tabindex') ? prev : q).focus();
    }
    if (ev.key === 'Escape') { results.hidden = true; q.focus(); }
  });
  var searchForm = document.getElementById('ml-search-form');
  searchForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    showResults();
    // Enter takes the first match; with none (only a "did you mean") the list closes
    if (search(q.value).length) choose(0);
    else results.hidden = true;
  });
  // a click anywhere else closes the list
  document.addEventListener('click', function (ev) {
    if (!results.hidden && !searchForm.contains(ev.target)) results.hidden = true;
  }, true);

  // ---------------------------------------------------------------- info panel
  var info = document.getElementById('ml-info'), infoBtn = document.getElementById('ml-info-btn');
  function setInfo(open) {
    info.hidden = !open;
    if (open) results.hidden = true;
    infoBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) document.getElementById('ml-info-close').focus();
    else infoBtn.focus();
  }
  infoBtn.addEventListener('click', function () { setInfo(info.hidden); });
  document.getElementById('ml-info-close').addEventListener('click', function () { setInfo(false); });
  info.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') setInfo(false); });

