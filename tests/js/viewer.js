'use strict';
// Loads modules of the page script (maplayout/static/js, as the renderer fills them in) into
// a vm context, with fixtures written by tests/test_js_units.py. A module's top-level `var`s
// and function declarations become globals of that context, as inside the page's closure.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const DIR = process.env.MAPLAYOUT_JS_FIXTURES;
if (!DIR) {
  throw new Error('MAPLAYOUT_JS_FIXTURES is not set: run .venv/bin/python -m pytest tests/test_js_units.py');
}

function fixture(name) {
  return JSON.parse(fs.readFileSync(path.join(DIR, name + '.json'), 'utf8'));
}

// the head module's globals, stubbed: the payload `D`, the languages, the current language
function load(modules, D) {
  const ctx = vm.createContext({ D: D, LANGS: ['zh-Hans', 'zh-Hant', 'en'], lang: D.lang });
  modules.forEach(function (name) {
    const file = path.join(DIR, 'modules', name + '.js');
    vm.runInContext(fs.readFileSync(file, 'utf8'), ctx, { filename: file });
  });
  return ctx;
}

// a value from the context as this realm's plain data (its arrays have another prototype)
function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

module.exports = { fixture, load, plain };
