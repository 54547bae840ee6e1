  // ---------------------------------------------------------------- data layers: around the map
  // (after datalayer.js) the layer control's views, legend, credit, counts, text version
  // ---------------------------------------------------------------- control, legend, credit
  var buildLayerControlBase = buildLayerControl;
  buildLayerControl = function () {
    buildLayerControlBase();
    views.forEach(function (v) {
      layerControl.addBaseLayer(v, esc(lui('layer.view.' + v.kind, { label: tr(v.s.d.label) })));
    });
    layerControl.addBaseLayer(noView, esc(lui('layer.view.none')));
  };
  var buildLegendBase = buildLegend;
  buildLegend = function () {
    buildLegendBase();
    var list = legendBox.querySelector('#ml-legend-list');
    if (!active || !list) return;
    var d = active.s.d;
    function li(sw, text, cls) {
      var it = el('li', cls || null);
      it.appendChild(sw);
      it.appendChild(el('span', null, text));
      list.appendChild(it);
    }
    var head = tr(d.label) + ' (' + lui('layer.n', { count: d.n }) + ')';
    if (active.kind === 'points') { li(swatch('site', { color: d.color }), head, 'ml-dl-legend'); return; }
    li(el('span', 'ml-sw'), head, 'ml-dl-legend');
    var rows = active.kind === 'units' ? d.counts.legend : d.hex.legend;
    rows.forEach(function (r) {
      li(swatch('unit', { fill: r.fill, stroke: '#ffffff' }), r.lo === r.hi ? String(r.lo) : r.lo + '–' + r.hi, 'ml-dl-class');
    });
    if (active.kind === 'units') li(swatch('unit', { fill: '#f2f2f2', stroke: '#cccccc' }), '0', 'ml-dl-class');
  };
  // 「数据来源：企查查导出 2024-05」
  function sourceLine(d) {
    return lui('layer.source_line', { title: tr(d.source.title) + (d.source.date ? ' ' + d.source.date : '') });
  }
  var buildAttributionBase = buildAttribution, credit = null;
  buildAttribution = function () {
    var ac = map.attributionControl;
    if (credit) ac.removeAttribution(credit);
    buildAttributionBase();
    credit = DL.layers.filter(function (d) { return d.source && d.source.title; }).map(function (d) {
      var t = esc(sourceLine(d));
      var url = safeUrl(d.source.url);
      return url ? '<a href="' + esc(url) + '" rel="noopener noreferrer" target="_blank">' + t + '</a>' : t;
    }).join(' · ') || null;
    // one line with the plan's credit, joined as its parts are (not Leaflet's ", ")
    if (credit) { ac.removeAttribution(attributionText); credit = attributionText + ' · ' + credit; ac.addAttribution(credit); }
    clearBottom();
  };

  // ---------------------------------------------------------------- counts in the cards and the info panel
  var unitCardBase = unitCard;
  unitCard = function (u) {
    var box = unitCardBase(u), dl = box.querySelector('dl');
    dls.forEach(function (s) {
      var t = s.d.counts.unit[u.id];
      var text = t ? tr(t) : lui('layer.count', { label: (tr(u.roleLabel) + ' ' + placeName(u.id)).trim(), count: 0, share: 0 });
      dl.appendChild(el('dt', null, tr(s.d.label)));
      dl.appendChild(el('dd', 'ml-dl-count', text));
    });
    return box;
  };
  var infoBox = el('div', 'ml-dl-info');
  document.getElementById('ml-info').appendChild(infoBox);
  function buildInfo() {
    infoBox.textContent = '';
    dls.forEach(function (s) {
      var d = s.d;
      infoBox.appendChild(el('h3', null, lui('layer.counts', { label: tr(d.label) })));
      var ul = el('ul', 'ml-facts');
      d.counts.role.concat(d.counts.group, d.counts.outside ? [d.counts.outside] : []).forEach(function (t) { ul.appendChild(el('li', null, tr(t))); });
      infoBox.appendChild(ul);
    });
  }

  // ---------------------------------------------------------------- text version: built on demand, one language
  var PAGE = 500;
  var textBox = el('div', 'ml-dl-text');
  document.getElementById('ml-text').appendChild(textBox);
  var shown = {};  // layer id -> rows shown (0: table not built)
  function buildText() {
    textBox.textContent = '';
    dls.forEach(function (s, li) {
      var d = s.d, sec = el('section', 'ml-dl-table');
      var hid = 'ml-dl-h-' + li;
      var h = el('h3', null, tr(d.label));
      h.id = hid;
      sec.setAttribute('aria-labelledby', hid);
      sec.appendChild(h);
      if (d.source && d.source.title) sec.appendChild(el('p', 'ml-srcline', sourceLine(d)));
      var n = shown[d.id] || 0;
      if (!n) {
        var b = el('button', 'ml-btn ml-dl-show', lui('layer.table.show', { total: d.n }));
        b.type = 'button';
        b.addEventListener('click', function () { shown[d.id] = Math.min(PAGE, d.n); buildText(); focusLast(d.id); });
        sec.appendChild(b);
      } else {
        sec.appendChild(table(s, n));
        var status = el('p', 'ml-dl-status', lui('layer.table.shown', { shown: n, total: d.n }));
        status.setAttribute('role', 'status');
        sec.appendChild(status);
        if (n < d.n) {
          var more = el('button', 'ml-btn ml-dl-more', lui('layer.table.more', { n: Math.min(PAGE, d.n - n) }));
          more.type = 'button';
          more.addEventListener('click', function () { shown[d.id] = Math.min(n + PAGE, d.n); buildText(); focusLast(d.id); });
          sec.appendChild(more);
        }
      }
      sec.setAttribute('data-layer', d.id);
      textBox.appendChild(sec);
    });
  }
  function focusLast(id) {  // keyboard users keep their place: the table's caption
    var sec = textBox.querySelector('section[data-layer="' + id.replace(/["\\]/g, '\\$&') + '"]');
    var cap = sec && sec.querySelector('caption');
    if (cap) { cap.tabIndex = -1; cap.focus(); }
  }
  function table(s, n) {
    var d = s.d, t = el('table');
    t.appendChild(el('caption', null, tr(d.label)));
    var head = [lui('layer.col.row'), lui('layer.col.name')];
    if (s.cat) head.push(d.cols.category || '');
    if (d.w) head.push(d.cols.weight);
    head.push(lui('layer.col.unit'));
    if (d.links && d.links.length) head.push(lui('layer.col.link'));
    var thead = el('thead'), tr0 = el('tr');
    head.forEach(function (h) { var th = el('th', null, h); th.scope = 'col'; tr0.appendChild(th); });
    thead.appendChild(tr0);
    t.appendChild(thead);
    var body = el('tbody');
    for (var i = 0; i < n; i++) {
      var row = el('tr');
      row.appendChild(el('td', null, String(s.rows[i])));
      var th = el('th', null, d.names[i]);
      th.scope = 'row';
      row.appendChild(th);
      if (s.cat) row.appendChild(el('td', null, d.cats[s.cat[i]]));
      if (d.w) row.appendChild(el('td', null, String(d.w[i])));
      row.appendChild(el('td', null, s.unit[i] >= 0 ? placeName(d.units[s.unit[i]]) : lui('layer.outside')));
      if (d.links && d.links.length) {
        var td = el('td'), url = safeUrl(s.links[i]);
        if (url) { var a = el('a', null, url); a.href = url; a.rel = 'noopener noreferrer nofollow'; td.appendChild(a); }
        row.appendChild(td);
      }
      body.appendChild(row);
    }
    t.appendChild(body);
    return t;
  }

  // ---------------------------------------------------------------- language, start
  var setLangBase = setLang;
  setLang = function (l) {
    var ok = setLangBase(l);
    if (!ok) return ok;
    buildInfo();
    buildText();
    if (dlPopup && dlPopup.isOpen()) dlPopup.setContent(dlPopupBody());
    return ok;
  };
  canvas.addTo(map);
  if (views.length) views[0].addTo(map);
  api.dataLayers = {
    initMs: 0,  // this module's own start-up (parse, decode, first paint), for the benchmark
    paintMs: function () { return paintMs; },  // the last canvas paint
    views: views.map(function (v) { return v.s.d.id + ':' + v.kind; }),
    view: function () { return active ? active.s.d.id + ':' + active.kind : null; },
    show: function (key) {
      views.concat([noView]).forEach(function (v) { if (map.hasLayer(v)) map.removeLayer(v); });
      var v = views.filter(function (x) { return x.s.d.id + ':' + x.kind === key; })[0];
      if (v) v.addTo(map); else noView.addTo(map);
      return !!v;
    },
    drawn: function () { return drawn.map(function (h) { return { kind: h.kind, x: h.x, y: h.y, n: h.c ? h.c.n : (h.h ? h.h.n : 1) }; }); }
  };
  api.dataLayers.initMs = performance.now() - dlStart;
