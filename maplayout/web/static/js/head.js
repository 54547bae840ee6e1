/* maplayout viewer: draws the embedded layout model with Leaflet. Our own code; needs only L.
 *
 * Debug / test handle: window.maplayout = {
 *   map, data, lang, ready, readyAt (performance.now() when interactive), layers,
 *   counts() -> {units, parents, groups, links, arrows, sites, uncertainty, context, labels, highlighted},
 *   setLang(lang), search(query) -> [{kind: 'unit'|'parent'|'site', id, name}],
 *   suggest(query) -> {kind, id, name} | null (the closest entry when search finds nothing),
 *   select(kind, id), decode(text) -> [[lat, lon]] }
 * and the event "maplayout:ready" on window once the map is interactive.
 * Every text goes into the page through textContent or an escaping helper, never raw HTML.
 */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('maplayout-data').textContent);
  var LANGS = ['zh-Hans', 'zh-Hant', 'en'];
  // pages of several provinces leave a unit's empty fields out (payload.py): put them back
  D.units.forEach(function (u) {
    ['role', 'block'].forEach(function (k) { if (u[k] === undefined) u[k] = ''; });
    ['roleLabel', 'desc'].forEach(function (k) { if (!u[k]) u[k] = { 'zh-Hans': '', 'zh-Hant': '', en: '' }; });
    ['altBlocks', 'groups', 'refs'].forEach(function (k) { if (!u[k]) u[k] = []; });
  });
  var lang = D.lang;
  var api = (window.maplayout = { data: D, lang: lang, ready: false, readyAt: null, layers: {} });

