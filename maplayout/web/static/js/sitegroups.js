  // ---------------------------------------------------------------- site groups (crowded places)
  // Site markers that would overlap at the current zoom are shown as one numbered marker.
  // Hovering, focusing or clicking it fans its members out around it, leader lines back to
  // the centre (a click also opens the group's list); Escape, a zoom or another group folds
  // it. Grouped markers stay in their layer, hidden (search, popups and counts still find them).
  group('siteGroups');
  var GROUP_GAP = 26, GROUP_R = 12;
  var siteMarker = {};
  L_.sites.eachLayer(function (m) { siteMarker[m.feature.id] = m; });
  var siteGroups = [], fanned = null;
  function markerShown(m, on) {
    var e = m.getElement && m.getElement();
    if (e) e.classList.toggle('ml-grouped', !on);
  }
  function fold() {
    if (!fanned) return;
    fanned.members.forEach(function (s) { siteMarker[s.id].setLatLng(s.ll); markerShown(siteMarker[s.id], false); });
    fanned.leaders.forEach(function (l) { L_.siteGroups.removeLayer(l); });
    fanned.leaders = [];
    fanned.marker.getElement().setAttribute('aria-expanded', 'false');
    fanned = null;
  }
  function fan(g) {
    if (fanned === g) return;
    fold();
    var c = map.latLngToLayerPoint(g.marker.getLatLng());
    fanOut([c.x, c.y], g.members.length, 22, GROUP_R + 16).forEach(function (p, k) {
      var s = g.members[k], ll = map.layerPointToLatLng(L.point(p[0], p[1]));
      g.leaders.push(L.polyline([g.marker.getLatLng(), ll], {
        pane: 'ml-sites', interactive: false, className: 'ml-fan-leg', color: '#333', weight: 1.2, opacity: 0.8
      }).addTo(L_.siteGroups));
      siteMarker[s.id].setLatLng(ll);
      markerShown(siteMarker[s.id], true);
      siteMarker[s.id].bringToFront();
    });
    g.marker.getElement().setAttribute('aria-expanded', 'true');
    fanned = g;
  }
  function groupName(g) {
    return ui('sites.group').replace('{n}', g.members.length) + ': ' + g.members.map(function (s) { return tr(s.name); }).join('、');
  }
  function groupCard(g) {
    var box = el('div', 'ml-card ml-group-card');
    box.appendChild(el('h3', null, ui('sites.group').replace('{n}', g.members.length)));
    var list = el('ul', 'ml-group-list');
    g.members.forEach(function (s) {
      var li = el('li'), b = el('button', 'ml-group-item', tr(s.name));
      b.type = 'button';
      b.style.borderLeftColor = s.color;
      L.DomEvent.on(b, 'click', function (ev) { L.DomEvent.stop(ev); revealSite(s.id); });
      L.DomEvent.on(b, 'keydown', function (ev) {  // Escape: back to the group's marker
        if (ev.key === 'Escape') { map.closePopup(); fold(); g.marker.getElement().focus(); }
      });
      li.appendChild(b);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }
  function addGroupMarker(g, ll) {
    var m = L.marker(ll, {
      pane: 'ml-sites', keyboard: true, riseOnHover: true,
      icon: L.divIcon({ className: 'ml-site-group', html: el('span', null, String(g.members.length)), iconSize: [2 * GROUP_R, 2 * GROUP_R] })
    });
    g.marker = m;
    g.leaders = [];
    m.bindPopup(function () { return groupCard(g); }, { maxWidth: 320, autoPanPadding: [10, 10], offset: [0, -GROUP_R] });
    m.on('click mouseover', function () { fan(g); });
    m.on('add', function () {
      var e = m.getElement();
      e.setAttribute('role', 'button');
      e.setAttribute('aria-expanded', 'false');
      e.setAttribute('aria-label', groupName(g));
      e.removeAttribute('title');
      e.addEventListener('focus', function () { fan(g); });
      e.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') {  // the list, its first name focused
          ev.preventDefault();
          fan(g);
          m.openPopup();
          var first = m.getPopup().getElement().querySelector('.ml-group-item');
          if (first) first.focus();
        }
        if (ev.key === 'Escape') { map.closePopup(); fold(); }
      });
    });
    L_.siteGroups.addLayer(m);
  }
  function regroup() {
    fold();
    L_.siteGroups.clearLayers();
    var px = D.sites.map(function (s) { var p = map.latLngToLayerPoint(s.ll); return [p.x, p.y]; });
    siteGroups = [];
    groupPoints(px, GROUP_GAP).forEach(function (g) {
      var members = g.members.map(function (k) { return D.sites[k]; });
      members.forEach(function (s) { markerShown(siteMarker[s.id], members.length === 1); });
      if (members.length < 2) return;
      var sg = { members: members };
      siteGroups.push(sg);
      addGroupMarker(sg, map.layerPointToLatLng(L.point(g.at[0], g.at[1])));
    });
    if (map.hasLayer(L_.sites) && !map.hasLayer(L_.siteGroups)) L_.siteGroups.addTo(map);
  }
  // the discs of the group markers on the map, [x, y, r] in layer pixels (for the corridors)
  function siteDiscs() {
    if (!map.hasLayer(L_.siteGroups)) return [];
    return siteGroups.map(function (g) { var p = map.latLngToLayerPoint(g.marker.getLatLng()); return [p.x, p.y, GROUP_R]; });
  }
  function siteGroupOf(id) {
    return siteGroups.filter(function (g) { return g.members.some(function (s) { return s.id === id; }); })[0] || null;
  }
  // a site's popup, its group fanned out first when it is in one
  function revealSite(id) {
    var g = siteGroupOf(id);
    if (g) fan(g);
    siteMarker[id].openPopup();
  }
  map.on('overlayremove', function (e) { if (e.layer === L_.sites) map.removeLayer(L_.siteGroups); });
  map.on('zoomstart', fold);
  map.on('click', fold);

