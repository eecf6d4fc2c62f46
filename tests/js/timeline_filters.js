// Drives docs/assets/timeline.js on a minimal stand-in DOM (no browser needed):
// node timeline_filters.js <script> <the page's JSON block of interface words>
"use strict";
const fs = require("fs");
const vm = require("vm");
const assert = require("assert");

function ev(category, texts) {
  return { dataset: { category, texts }, hidden: false, classList: { contains: (c) => c === "tl-event" } };
}
const events = [ev("a", "t1"), ev("b", "t1 t2"), ev("b", "t2")];
const periods = [
  { hidden: false, items: events.slice(0, 1) },
  { hidden: false, items: events.slice(1) },
];
periods.forEach((p) => { p.querySelector = () => p.items.find((e) => !e.hidden) || null; });
const inputs = ["category:a", "category:b", "text:t1", "text:t2"].map((s) => {
  const [name, value] = s.split(":");
  return { name, value, checked: true };
});
const listeners = {};
const output = { textContent: "" };
const form = {
  dataset: {},
  querySelector: () => output,
  querySelectorAll: (sel) => inputs.filter((i) => sel.includes(`"${i.name}"`)),
  addEventListener: (type, fn) => { listeners[type] = fn; },
  reset() { inputs.forEach((i) => { i.checked = true; }); listeners.reset(); },
};
const document = {
  readyState: "complete",
  getElementById: (id) => (id === "tl-filters" ? form : id === "edition-ui" ? { textContent: process.argv[3] } : null),
  querySelector: (sel) => (sel === ".tl-count" ? output : null),
  querySelectorAll: (sel) => (sel === ".tl-event" ? events : sel === ".tl-period" ? periods : []),
};
const window = { addEventListener() {} };
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"),
  { window, document, location: { hash: "" }, setTimeout: (f) => f() });

const set = (name, value, checked) => {
  inputs.find((i) => i.name === name && i.value === value).checked = checked;
  listeners.change();
};
assert.strictEqual(form.dataset.ready, "1", "the script set the form up");
assert.strictEqual(output.textContent, "(đang hiện 3/3)");
set("category", "a", false);
assert.deepStrictEqual(events.map((e) => e.hidden), [true, false, false]);
assert.deepStrictEqual(periods.map((p) => p.hidden), [true, false], "an emptied period is hidden");
set("text", "t2", false);
assert.deepStrictEqual(events.map((e) => e.hidden), [true, false, true], "an event shows if any of its texts is on");
assert.strictEqual(output.textContent, "(đang hiện 1/3)");
form.reset();
assert.deepStrictEqual(events.map((e) => e.hidden), [false, false, false]);
console.log("ok");
