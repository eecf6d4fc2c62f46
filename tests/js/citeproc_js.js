// Formats CSL-JSON with citeproc-js (npm `citeproc`, the processor of Zotero and Mendeley) for
// tests/test_citeproc_js.py. stdin: {style, localesDir, lang, items, cites: [{id, locator?, label?}]};
// stdout: {bibliography: {id: html}, citations: [html]} — same style file, locale files and items as
// the edition's citeproc-py run, so the two outputs can be compared entry by entry.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const items = Object.fromEntries(input.items.map((item) => [item.id, item]));
const sys = {
  retrieveItem: (id) => items[id],
  retrieveLocale: (lang) => {
    const file = path.join(input.localesDir, `locales-${lang}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
  },
};
const engine = new CSL.Engine(sys, fs.readFileSync(input.style, "utf8"), input.lang, true);
const out = { bibliography: {}, citations: [] };
// Each citation on its own (no disambiguation or "ibid." across them), as the edition formats them.
for (const cite of input.cites) {
  const item = { id: cite.id };
  if (cite.locator) Object.assign(item, { locator: cite.locator, label: cite.label || "page" });
  out.citations.push(engine.makeCitationCluster([item]));
}
// One reference at a time, as the edition formats them (no year-suffix disambiguation across entries).
for (const item of input.items) {
  engine.updateItems([item.id]);
  const [, entries] = engine.makeBibliography();
  out.bibliography[item.id] = entries[0].trim().replace(/^<div class="csl-entry">|<\/div>$/g, "").trim();
}
process.stdout.write(JSON.stringify(out));
