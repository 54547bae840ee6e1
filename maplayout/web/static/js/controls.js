  // ---------------------------------------------------------------- controls
  function button(parent, cls, key, text, onClick) {
    var b = L.DomUtil.create('button', cls, parent);
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('data-i18n-aria', key);
    b.setAttribute('aria-label', ui(key));
    b.title = ui(key);
    L.DomEvent.on(b, 'click', function (ev) { L.DomEvent.stop(ev); onClick(b); });
    return b;
  }
  var Bar = L.Control.extend({
    onAdd: function () {
      var box = L.DomUtil.create('div', 'leaflet-bar ml-bar');
      L.DomEvent.disableClickPropagation(box);
      button(box, 'ml-zoom-in', 'zoom.in', '+', function () { map.zoomIn(); });
      button(box, 'ml-zoom-out', 'zoom.out', '\u2212', function () { map.zoomOut(); });
      button(box, 'ml-reset', 'reset', '\u2302', function () { map.closePopup(); fit(); });
      var app = document.getElementById('ml-app');
      if (app.requestFullscreen && document.fullscreenEnabled !== false) {
        api.fullscreenButton = button(box, 'ml-fullscreen', 'fullscreen.enter', '', function () {
          if (document.fullscreenElement) document.exitFullscreen();
          else app.requestFullscreen().catch(function () {});
        });
      }
      if (api.fullscreenButton) api.fullscreenButton.appendChild(el('span', 'ml-fs-icon'));
      return box;
    }
  });
  new Bar({ position: 'topleft' }).addTo(map);
  document.addEventListener('fullscreenchange', function () {
    var b = api.fullscreenButton, on = !!document.fullscreenElement;
    if (b) {
      b.setAttribute('data-i18n-aria', on ? 'fullscreen.exit' : 'fullscreen.enter');
      b.setAttribute('aria-label', ui(on ? 'fullscreen.exit' : 'fullscreen.enter'));
      b.title = b.getAttribute('aria-label');
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    map.invalidateSize();
  });
  L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(map);
  // controls first in keyboard order (before the many focusable shapes); looks the same
  map.getContainer().insertBefore(map._controlContainer, map.getContainer().firstChild);

  // legend
  var legendBox;
  var Legend = L.Control.extend({
    onAdd: function () {
      legendBox = L.DomUtil.create('div', 'ml-legend');
      L.DomEvent.disableClickPropagation(legendBox);
      L.DomEvent.disableScrollPropagation(legendBox);
      return legendBox;
    }
  });
  // a legend fill exactly as the map paints it: the colour at its opacity
  function rgba(hex, a) {
    var m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(String(hex || ''));
    if (!m) return hex;
    var h = m[1].length === 3 ? m[1].replace(/(.)/g, '$1$1') : m[1];
    var n = parseInt(h, 16);
    return 'rgba(' + (n >> 16) + ', ' + ((n >> 8) & 255) + ', ' + (n & 255) + ', ' + (+a) + ')';
  }
  function swatch(kind, st) {
    var s = el('span', 'ml-sw ml-sw-' + kind);
    st = st || {};
    var stroke = st.stroke || st.color || '#555', fill = st.fill || st.color || 'transparent';
    if (kind === 'unit') { s.style.background = rgba(fill, 'fill_opacity' in st ? st.fill_opacity : 1); s.style.borderColor = stroke; }
    else if (kind === 'group') {
      s.style.borderColor = stroke; s.style.borderStyle = st.dash ? 'dashed' : 'solid';
      if (st.fill && st.fill_opacity > 0) s.style.background = rgba(st.fill, st.fill_opacity);
    }
    else if (kind === 'link') { s.style.background = stroke; s.style.color = stroke; if (st.directed) s.className += ' ml-directed'; }
    else if (kind === 'site') { s.style.background = st.color || fill; }
    else if (kind === 'uncertainty') { s.style.borderColor = '#555'; }
    return s;
  }
  function buildLegend() {
    legendBox.textContent = '';
    var head = el('button', 'ml-legend-head', ui('legend'));
    head.type = 'button';
    head.setAttribute('aria-expanded', legendBox.classList.contains('ml-collapsed') ? 'false' : 'true');
    head.setAttribute('aria-controls', 'ml-legend-list');
    head.title = ui('legend.toggle');
    L.DomEvent.on(head, 'click', function () {
      legendBox.classList.toggle('ml-collapsed');
      head.setAttribute('aria-expanded', legendBox.classList.contains('ml-collapsed') ? 'false' : 'true');
    });
    legendBox.appendChild(head);
    var list = el('ul');
    list.id = 'ml-legend-list';
    function item(kind, st, text) { var li = el('li'); li.appendChild(swatch(kind, st)); li.appendChild(el('span', null, text)); list.appendChild(li); }
    // entries with the same label and style (a role drawn as unit fill and as corridor line)
    // share one row, their symbols stacked, as in the print figure's legend
    function pairs(o) { return Object.keys(o || {}).sort().map(function (k) { return [k, o[k]]; }); }
    var rows = [], rowByKey = {};
    D.legend.forEach(function (e) {
      var key = JSON.stringify([pairs(e.label), pairs(e.style)]);
      if (!rowByKey[key]) { rowByKey[key] = { label: e.label, entries: [] }; rows.push(rowByKey[key]); }
      rowByKey[key].entries.push(e);
    });
    rows.forEach(function (row) {
      var sws = row.entries.map(function (e) {
        var st = e.style || {};
        if (e.kind === 'link') {
          st = L.extend({}, st, { directed: D.links.some(function (l) {
            return l.dir !== 'none' && (e.id === 'link:' + l.role || e.id === l.role);
          }) });
        }
        return swatch(e.kind, st);
      });
      var li = el('li'), sym = sws[0];
      if (sws.length > 1) { sym = el('span', 'ml-sw-stack'); sws.forEach(function (w) { sym.appendChild(w); }); }
      li.appendChild(sym);
      li.appendChild(el('span', null, tr(row.label)));
      list.appendChild(li);
      // a role whose members carry their own styles: each member beneath it, with its swatch
      row.entries.forEach(function (e) {
        if (!e.members) return;
        var sub = el('ul', 'ml-legend-members');
        e.members.forEach(function (m) {
          var mi = el('li');
          mi.appendChild(swatch(e.kind, m.style));
          mi.appendChild(el('span', null, tr(m.label)));
          sub.appendChild(mi);
        });
        li.appendChild(sub);
      });
    });
    if (D.sites.some(function (s) { return s.precision !== 'surveyed' && s.r > 0; })) item('uncertainty', {}, ui('legend.uncertainty'));
    if (D.units.some(function (u) { return u.altBlocks.length; })) item('exception', {}, ui('legend.exception'));
    if (D.context.some(function (c) { return c.kind === 'neighbour'; })) item('neighbour', {}, ui('legend.neighbour'));
    legendBox.appendChild(list);
  }
  new Legend({ position: 'bottomright' }).addTo(map);
  if (window.matchMedia && window.matchMedia('(max-width: 600px)').matches) legendBox.classList.add('ml-collapsed');

