  // ---------------------------------------------------------------- popups
  function card(title, rows, desc, refs, warning, interp) {
    var box = el('div', 'ml-card');
    box.appendChild(el('h3', null, title));
    if (warning) box.appendChild(el('p', 'ml-warn', warning));
    if (desc) box.appendChild(el('p', 'ml-desc', desc));
    var dl = el('dl');
    // what the plan reads into the source is marked as such (「解读」 / "Interpretation")
    if (interp) rows = rows.concat([['popup.interpretation', interp, 'ml-interp']]);
    rows.forEach(function (r) {
      if (!r[1]) return;
      dl.appendChild(el('dt', null, ui(r[0])));
      dl.appendChild(el('dd', r[2] || null, r[1]));
    });
    if (refs) { dl.appendChild(el('dt', null, ui('popup.source'))); dl.appendChild(el('dd', null, srcLine(refs))); }
    box.appendChild(dl);
    return box;
  }
  function unitCard(u) {
    var groups = u.groups.map(function (g) { return groupById[g] ? tr(groupById[g].label) : g; });
    var alt = u.altBlocks.map(function (b) { return ui('block.' + b); });
    return card(tr(u.name), [
      ['popup.role', tr(u.roleLabel)],
      ['popup.groups', groups.join('、')],
      ['popup.alt', alt.join('、'), 'ml-alt']
    ], tr(u.desc), u.refs.length ? u.refs : null, '', tr(u.interp));
  }
  function groupCard(g) {
    return card(tr(g.label), [
      ['popup.role', tr(g.roleLabel)],
      ['popup.members', g.members.map(placeName).join('、')]
    ], tr(g.desc), g.refs.length ? g.refs : null, '', tr(g.interp));
  }
  function linkCard(l) {
    return card(tr(l.label), [
      ['popup.role', tr(l.roleLabel)],
      ['popup.from_to', stopNames(l).join(l.dir === 'both' ? ' ↔ ' : ' → ')]
    ], tr(l.desc), l.refs.length ? l.refs : null, '', tr(l.interp));
  }
  // a link's stops by name, those below the drawn level (a county on a prefecture map) too
  function stopNames(l) {
    return l.stops.map(function (id, k) { return unitById[id] ? placeName(id) : tr(l.stopNames[k]) || id; });
  }
  function precisionText(s) {
    var key = 'precision.' + s.precision;
    var text = key in D.ui[lang] ? ui(key).replace('{r}', dist(s.r)) : s.precision;
    var note = tr(s.note);
    return note ? text + '；' + note : text;
  }
  function locSrcText(t) {  // a note only given in English is marked as such in the Chinese UI
    return t && (/[\u3400-\u9fff]/.test(t) ? t : t + ui('popup.note_en'));
  }
  function siteCard(s) {
    return card(tr(s.name), [
      ['popup.kind', tr(s.kindLabel)],
      ['popup.host', knownPlace(s.host)],
      ['popup.precision', precisionText(s), 'ml-precision ml-p-' + s.precision],
      ['popup.location_source', locSrcText(tr(s.locSrc))]
    ], tr(s.desc), s.refs.length ? s.refs : null, s.uncertain ? ui('popup.identity') : '', tr(s.interp));
  }

