/* Reading settings (text size, serif/sans, line width) and the print head.

   Loaded in <head> without defer: the stored settings are put on <html> as data-reading-* attributes before
   the first paint (edition.css reads them), so a chosen size never flashes. They live in localStorage under
   one key; no cookie is set and nothing leaves the browser. The form is theme/partials/reading-settings.html. */
(function () {
  "use strict";

  var KEY = "edition-reading";
  var CHOICES = { size: ["m", "s", "l", "xl"], font: ["serif", "sans"], width: ["normal", "narrow", "wide"] };
  var root = document.documentElement;
  var script = document.currentScript;  // its URL locates fonts/sans.css, whatever the page's depth

  function load() {
    var stored = {};
    try {
      stored = JSON.parse(window.localStorage.getItem(KEY)) || {};
    } catch (e) { /* storage blocked or damaged: defaults */ }
    var settings = {};
    Object.keys(CHOICES).forEach(function (name) {  // only known values: the attribute lands in CSS selectors
      settings[name] = CHOICES[name].indexOf(stored[name]) >= 0 ? stored[name] : CHOICES[name][0];
    });
    return settings;
  }

  function apply(settings) {
    Object.keys(CHOICES).forEach(function (name) {
      if (settings[name] === CHOICES[name][0]) root.removeAttribute("data-reading-" + name);
      else root.setAttribute("data-reading-" + name, settings[name]);
    });
    // The sans face's @font-face rules are fetched only by a reader who reads in sans.
    if (settings.font === "sans" && script && !document.getElementById("edition-sans")) {
      var link = document.createElement("link");
      link.id = "edition-sans";
      link.rel = "stylesheet";
      link.href = new URL("fonts/sans.css", script.src).href;
      document.head.appendChild(link);
    }
  }

  function save(settings) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(settings));
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }

  apply(load());

  function setupForm() {
    var box = document.querySelector("[data-reading-settings]");
    if (!box || box.dataset.ready) return;
    box.dataset.ready = "1";
    var form = box.querySelector("form");
    function show(settings) {
      Object.keys(settings).forEach(function (name) {
        form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
          input.checked = input.value === settings[name];
        });
      });
    }
    show(load());
    form.addEventListener("change", function (event) {
      var settings = load();
      settings[event.target.name] = event.target.value;
      save(settings);
      apply(settings);
    });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      var settings = {};
      Object.keys(CHOICES).forEach(function (name) { settings[name] = CHOICES[name][0]; });
      save(settings);
      apply(settings);
      show(settings);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    // Escape closes the panel and gives focus back to its button.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && box.open) {
        box.open = false;
        box.querySelector("summary").focus();
      }
    });
    // A click or tap outside the open panel closes it.
    document.addEventListener("click", function (event) {
      if (box.open && !box.contains(event.target)) box.open = false;
    });
    box.hidden = false;
  }

  // Print: the page title as the running title of printed pages (print.css, @page margin box), set while
  // this script runs in <head> (its <meta> comes before it): a custom property set on <html> once the page is
  // built restyles every element (Lighthouse: a long task of up to a second on a register page).
  function setupRunningTitle() {
    var title = document.querySelector('meta[name="edition-title"]');
    if (title && title.content) root.style.setProperty("--edition-running-title", JSON.stringify(title.content));
  }

  // Print: the absolute address of the page as the reader has it (the built page only knows its path).
  function setupPrint() {
    var url = document.querySelector("[data-print-url]");
    if (url && /^https?:/.test(location.href)) url.textContent = location.href.split("#")[0];
  }

  // The interface's words: keys of the catalogue (data/ui/<lang>.yml) the page carries as JSON (theme/main.html,
  // written before this script; read when the page is there).
  function words(key) {
    var block = document.getElementById("edition-ui");
    var ui = block ? JSON.parse(block.textContent) : {};
    return ui[key] || key;
  }

  // Which sides of a scrolling table hide more of it ("start", "end"): edition.css fades that edge.
  function markMore(wrap) {
    var more = [];
    if (wrap.scrollLeft > 1) more.push("start");
    if (wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1) more.push("end");
    if (more.length) wrap.setAttribute("data-more", more.join(" "));
    else wrap.removeAttribute("data-more");
  }

  // A table wider than the screen scrolls inside Material's wrapper: make that wrapper reachable by
  // keyboard and name it, so it can be scrolled without a pointer, and show that it scrolls.
  function setupTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", words("reading.script.table-scroll"));
        wrap.addEventListener("scroll", function () { markMore(wrap); }, { passive: true });
      }
      markMore(wrap);
    });
  }

  function setup() {
    setupForm();
    setupPrint();
  }

  setupRunningTitle();
  window.addEventListener("load", setupTables);  // after Material has wrapped the tables
  window.addEventListener("resize", setupTables);

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
