  // layer control (rebuilt on language switch so its names follow the language)
  var layerControl = null;
  var overlayKeys = [
    ['units', 'layer.units.' + D.level], ['parents', 'layer.parents'], ['groups', 'layer.groups'],
    ['links', 'layer.links'], ['sites', 'layer.sites'], ['uncertainty', 'layer.uncertainty'],
    ['context', 'layer.context'], ['labels', 'layer.labels']
  ];
  function buildLayerControl() {
    if (layerControl) map.removeControl(layerControl);
    var overlays = {};
    overlayKeys.forEach(function (k) {
      if (L_[k[0]].getLayers().length || (k[0] === 'units' && detail)) overlays[esc(ui(k[1]))] = L_[k[0]];
    });
    if (tileLayers.length) overlays[esc(tr(D.basemap.label))] = api.tiles;
    layerControl = L.control.layers(null, overlays, { position: 'topright', collapsed: true }).addTo(map);
    var toggle = layerControl.getContainer().querySelector('.leaflet-control-layers-toggle');
    if (toggle) { toggle.setAttribute('aria-label', ui('layers')); toggle.title = ui('layers'); }
  }

  // attribution: plain text, escaped
  var attributionText = null;
  function buildAttribution() {
    var ac = map.attributionControl;
    if (attributionText) ac.removeAttribution(attributionText);
    var parts = [tr(D.meta.attribution)];
    if (D.basemap.tiles.length) parts.push(tr(D.basemap.attribution));
    if (D.meta.review_number && parts[0].indexOf(D.meta.review_number) < 0) parts.push(ui('review').replace('{n}', D.meta.review_number));
    attributionText = esc(parts.filter(Boolean).join(' · '));
    ac.setPrefix('Leaflet');
    ac.addAttribution(attributionText);
    clearBottom();
  }
  // a long attribution line (English, phones) would run under the scale bar: lift the
  // bottom-left corner above it when the two meet
  function clearBottom() {
    var corner = map.getContainer().querySelector('.leaflet-bottom.leaflet-left');
    var a = map.attributionControl.getContainer();
    if (!corner || !a) return;
    corner.style.bottom = '';
    var cr = corner.getBoundingClientRect(), ar = a.getBoundingClientRect();
    if (cr.height && ar.left < cr.right && ar.top < cr.bottom) corner.style.bottom = Math.ceil(ar.height) + 'px';
  }

  // add layers in drawing order
  var drawOrder = ['context', 'units', 'exceptions', 'parents', 'provinces', 'groups', 'uncertainty', 'links', 'sites', 'labels'];
  drawOrder.forEach(function (k) {
    if (k === 'context' && D.basemap.tiles.length) {
      L_.context.eachLayer(function (p) { if (!/region/.test(p.options.className)) L_.context.removeLayer(p); });
    }
    L_[k].addTo(map);
  });

