/* Niên biểu: filters by category and by text (progressive enhancement), and the index page's forwarding
   of an event link (thoi-gian-bieu/index.html#<event>) to the event on its period page.
   The pages are complete without this script; without it the theme's <noscript> style hides the filters. */
(function () {
  "use strict";

  // The index lists every event under its published id; the event itself is on its period's page.
  function forward() {
    var id = location.hash && decodeURIComponent(location.hash.slice(1));
    var entry = id && document.getElementById(id);
    var link = entry && entry.classList.contains("tl-entry") && entry.querySelector("a[href]");
    if (link) location.replace(link.href);
  }

  function setup() {
    forward();
    var form = document.getElementById("tl-filters");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var events = Array.prototype.slice.call(document.querySelectorAll(".tl-event"));
    var periods = Array.prototype.slice.call(document.querySelectorAll(".tl-period"));
    var count = document.querySelector(".tl-count");  // in the <summary>: seen while the box is closed
    // Its words: timeline.script.count of the catalogue (data/ui/<lang>.yml), in the page's JSON block
    // (theme/main.html).
    var block = document.getElementById("edition-ui");
    var template = (block && JSON.parse(block.textContent)["timeline.script.count"]) || "({shown}/{total})";

    function checked(name) {
      var on = {};
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
        if (box.checked) on[box.value] = true;
      });
      return on;
    }

    function apply() {
      var cats = checked("category"), texts = checked("text"), shown = 0;
      events.forEach(function (li) {
        var byText = li.dataset.texts.split(" ").some(function (t) { return texts[t]; });
        var visible = Boolean(cats[li.dataset.category]) && byText;
        li.hidden = !visible;
        if (visible) shown += 1;
      });
      periods.forEach(function (section) {
        section.hidden = !section.querySelector(".tl-event:not([hidden])");
      });
      count.textContent = template.replace("{shown}", shown).replace("{total}", events.length);
    }

    form.addEventListener("change", apply);
    // "reset" fires before the boxes are restored; apply afterwards.
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();

    // An event linked by #id stays reachable even if a filter would hide it.
    window.addEventListener("hashchange", reveal);
    function reveal() {
      forward();
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target && target.classList.contains("tl-event") && target.hidden) {
        form.reset();
        setTimeout(function () { target.scrollIntoView(); }, 0);
      }
    }
  }

  // Material's instant navigation swaps pages without a reload: hook into its observable when present.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
