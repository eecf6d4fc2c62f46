// Pagefind search in Material's header (theme/partials/search.html).
// The Pagefind bundle (JS, WebAssembly, index chunks) is fetched only once the reader focuses or
// types in the search box, so reading a chapter downloads none of it. The index is built with
// --force-language vi; Pagefind folds tone marks, so "lien xo" finds "Liên Xô". It does not fold đ (a
// letter of its own): the index spells đ as d + U+0335, which Pagefind does fold to d, so queries are
// written the same way (toIndex) and excerpts turned back into real letters (fromIndex)
// (scripts/edition/search_index.py). Filters: text and kind of record. A result remembers the query so
// the page it opens marks the hit (land()); a result on the page being read scrolls there itself.
(() => {
  "use strict";

  const root = document.querySelector("[data-edition-search]");
  if (!root) return;
  const input = root.querySelector("[data-edition-search-query]");
  const status = root.querySelector("[data-edition-search-status]");
  const list = root.querySelector("[data-edition-search-list]");
  const form = root.querySelector("form");
  const toggle = document.getElementById("__search");
  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  const text = {
    placeholder: "Nhập để bắt đầu tìm kiếm",
    none: "Không tìm thấy tài liệu liên quan",
    one: "1 tài liệu liên quan",
    other: "# tài liệu liên quan",
    ...Object.fromEntries(Object.entries(config.translations || {})
      .filter(([key]) => key.startsWith("search.result."))
      .map(([key, value]) => [key.slice("search.result.".length), value])),
    loading: "Đang tải chỉ mục tìm kiếm…",
    more: "Xem thêm kết quả",
    // Results are passages (sections, events, entries), not documents.
    one: "1 đoạn liên quan",
    other: "# đoạn liên quan",
    unavailable: "Không tải được chỉ mục tìm kiếm. Tìm kiếm chỉ hoạt động khi ấn bản được mở qua máy chủ web (http/https), không phải từ tệp (file://).",
  };
  // Material's relative base ("..", ".") resolved against the page: the site root, at any sub-path.
  const siteRoot = new URL(`${config.base || "."}/`, document.baseURI);
  const PAGE_SIZE = 5;
  const HIT_KEY = "edition-search-hit";
  const KIND_TEXT = "Đoạn văn bản";  // the kind filter's value for passages (scripts/edition/search_index.py)
  const filterBox = root.querySelector("[data-edition-search-filters]");
  const selects = [...root.querySelectorAll("[data-edition-filter]")];

  const STROKE = "\u0335";
  const toIndex = (query) => query.replace(/đ/g, `d${STROKE}`).replace(/Đ/g, `D${STROKE}`);
  const fromIndex = (value) => value.replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ");
  // How a reader's word compares with the page's: lower case, no tone marks or diacritics, đ = d.
  const fold = (value) => value.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{M}/gu, "");

  let pagefind = null;  // promise of the initialised Pagefind module, created on first use
  let generation = 0;   // drops answers to superseded queries

  function load() {
    // Browsers refuse module and fetch requests from file:// pages: say so instead of trying.
    if (location.protocol === "file:") return Promise.reject(new Error(text.unavailable));
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", siteRoot).href).then(async (module) => {
        await module.options({ baseUrl: siteRoot.pathname, excerptLength: 24 });
        await module.init();
        fillFilters(await module.filters());
        return module;
      });
      pagefind.catch(() => { pagefind = null; });  // a later attempt may succeed (e.g. server back)
    }
    return pagefind;
  }

  function setStatus(message) {
    status.textContent = message;
  }

  function countLabel(count) {
    if (count === 0) return text.none;
    if (count === 1) return text.one;
    return text.other.replace("#", String(count));
  }

  // Pagefind excerpts are escaped page text with <mark> around hits; keep only those marks.
  // A <textarea> decodes entities without parsing tags and keeps every space.
  const decoder = document.createElement("textarea");
  function decode(html) {
    decoder.innerHTML = html;
    return fromIndex(decoder.value);
  }

  // Filter menus from the index's own values (text titles, kinds of record), counts included.
  function fillFilters(filters) {
    for (const select of selects) {
      const values = Object.entries(filters?.[select.dataset.editionFilter] || {})
        .sort(([a], [b]) => a.localeCompare(b, "vi"));
      select.replaceChildren(select.options[0]);
      for (const [value, count] of values) {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = `${value} (${count})`;
        select.append(option);
      }
    }
    if (filterBox) filterBox.hidden = !selects.some((select) => select.options.length > 1);
  }

  function chosenFilters() {
    const chosen = {};
    for (const select of selects) if (select.value) chosen[select.dataset.editionFilter] = select.value;
    return chosen;
  }

  function excerptNode(html) {
    const p = document.createElement("p");
    html.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
      const hit = part.match(/^<mark>(.*)<\/mark>$/);
      if (hit) {
        const mark = document.createElement("mark");
        mark.textContent = decode(hit[1]);
        p.append(mark);
      } else if (part) {
        p.append(decode(part));
      }
    });
    return p;
  }

  // A record is one section, timeline event or bibliography entry (scripts/edition/search_index.py); its
  // url meta is its permalink. Paragraph ids are empty anchors in the record: link to the paragraph that
  // holds the first hit.
  function target(page) {
    const url = new URL(page.meta.url || page.url, siteRoot);
    const first = Math.min(...(page.locations || []));
    const anchor = (page.anchors || [])
      .filter((a) => a.element === "span" && a.id && a.location <= first)
      .pop();
    if (anchor) url.hash = anchor.id;
    return url.href;
  }

  function resultItem(page) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const a = document.createElement("a");
    a.href = target(page);
    a.className = "md-search-result__link";
    const article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    // Where the hit is: kind of record, text, and the page (chapter) when the title is a section's.
    const context = [page.meta.kind, page.meta.work, page.meta.page !== page.meta.title ? page.meta.page : ""]
      .filter(Boolean).join(" · ");
    if (context) {
      const where = document.createElement("div");
      where.className = "edition-search__context";
      where.textContent = context;
      article.append(where);
    }
    const heading = document.createElement("h1");
    heading.textContent = page.meta.title || page.meta.page || page.url;
    article.append(heading);
    if (page.excerpt) article.append(excerptNode(page.excerpt));
    a.append(article);
    li.append(a);
    return li;
  }

  async function run() {
    const query = input.value.trim();
    const mine = ++generation;
    if (!query) {
      list.replaceChildren();
      setStatus(text.placeholder);
      return;
    }
    let module;
    try {
      if (!pagefind) setStatus(text.loading);
      module = await load();
    } catch {
      if (mine === generation) setStatus(text.unavailable);
      return;
    }
    // Passages of the texts first, then the other records (timeline, bibliography, register, tables):
    // Pagefind's ranking favours short records, which would put every timeline event above the texts.
    const chosen = chosenFilters();
    const term = toIndex(query);
    const passages = chosen.kind && chosen.kind !== KIND_TEXT ? { results: [] }
      : await module.debouncedSearch(term, { filters: { ...chosen, kind: KIND_TEXT } }, 200);
    if (passages === null || mine !== generation) return;
    const others = chosen.kind === KIND_TEXT ? { results: [] }
      : await module.search(term, { filters: { ...chosen, kind: chosen.kind || { not: KIND_TEXT } } });
    if (mine !== generation) return;
    const results = [...passages.results, ...others.results];
    list.replaceChildren();
    setStatus(countLabel(results.length));
    await showMore(results, mine);
  }

  // Each result costs one fragment download (the record's text): fetch them a page at a time.
  async function showMore(results, mine) {
    list.querySelector(".edition-search__more")?.remove();
    const from = list.querySelectorAll(".md-search-result__item").length;
    const slice = results.slice(from, from + PAGE_SIZE);
    const pages = await Promise.all(slice.map((result) => result.data()));
    if (mine !== generation) return;
    list.append(...pages.map(resultItem));
    if (results.length > from + slice.length) {
      const item = document.createElement("li");
      item.className = "md-search-result__item edition-search__more";
      const more = document.createElement("button");
      more.type = "button";
      more.textContent = text.more;
      more.addEventListener("click", () => showMore(results, mine).then(() => focusResult(from + PAGE_SIZE)));
      item.append(more);
      list.append(item);
    }
  }

  function focusResult(index) {
    list.querySelectorAll(".md-search-result__item > a:first-child")[index]?.focus();
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  }

  function links() {
    return [...list.querySelectorAll("a.md-search-result__link, .edition-search__more button")];
  }

  input.addEventListener("focus", () => {
    open();
    load().catch(() => setStatus(text.unavailable));
  });
  input.addEventListener("input", run);
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) input.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => { run(); input.focus(); });
  });
  list.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    const url = new URL(link.href);
    remember(url);
    close();  // a same-page hit must not leave the overlay open
    if (url.pathname !== location.pathname || !url.hash || event.ctrlKey || event.metaKey || event.shiftKey) return;
    // Same page: on phones Material locks the body's scroll while the overlay is open and, 100 ms after
    // it closes, scrolls back to where the reader was, undoing the browser's jump. Move after that.
    event.preventDefault();
    if (location.hash !== url.hash) history.pushState(null, "", url.href);
    afterScrollLock(land);
  });

  function afterScrollLock(then) {
    if (!document.body.hasAttribute("data-md-scrolllock")) {
      requestAnimationFrame(then);
      return;
    }
    const done = () => { observer.disconnect(); clearTimeout(timer); requestAnimationFrame(then); };
    const observer = new MutationObserver(() => {
      if (!document.body.hasAttribute("data-md-scrolllock")) done();
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-scrolllock"] });
    const timer = setTimeout(done, 1000);  // never wait for ever
  }
  selects.forEach((select) => select.addEventListener("change", run));

  // The landing: the query of the result that opened this page marks its words in the target passage.
  function remember(url) {
    try {
      sessionStorage.setItem(HIT_KEY, JSON.stringify({ path: url.pathname, hash: url.hash, query: input.value }));
    } catch { /* storage refused: no highlight, the link still works */ }
  }

  function markWords(scope, terms) {
    const last = terms.length - 1;
    const hit = (word) => terms.some((term, i) => fold(word) === term || (i === last && fold(word).startsWith(term)));
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      if (node.parentElement.closest("mark, .para-link, .headerlink, .pb")) continue;
      const parts = node.data.split(/([\p{L}\p{M}\p{N}]+)/u);
      if (!parts.some((part, i) => i % 2 === 1 && hit(part))) continue;
      node.replaceWith(...parts.filter(Boolean).map((part) => {
        if (!hit(part)) return part;
        const mark = document.createElement("mark");
        mark.className = "search-mark";
        mark.textContent = part;
        return mark;
      }));
    }
    // A register mention found through another of its names ("gorbachev" → Goocbachốp).
    // It matches when the query's words are words of one of its names (the last may be a word's start).
    const named = (name) => {
      const words = name.split(/[^\p{L}\p{N}]+/u);
      return terms.every((term, i) => words.some((word) => word === term || (i === last && word.startsWith(term))));
    };
    for (const link of scope.querySelectorAll("a.reg-mention[data-names]")) {
      if (!link.querySelector("mark") && link.dataset.names.split("|").some(named)) {
        const mark = document.createElement("mark");
        mark.className = "search-mark";
        mark.append(...link.childNodes);
        link.append(mark);
      }
    }
  }

  function land() {
    let hit = null;
    try {
      hit = JSON.parse(sessionStorage.getItem(HIT_KEY) || "null");
      sessionStorage.removeItem(HIT_KEY);
    } catch { return; }
    if (!hit || hit.path !== location.pathname || !location.hash) return;
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    document.querySelectorAll(".search-hit").forEach((el) => el.classList.remove("search-hit"));
    const terms = fold(hit.query || "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    // A paragraph is its own scope; a section heading's scope runs to the next heading.
    const scope = [target];
    if (/^H[1-6]$/.test(target.tagName)) {
      for (let el = target.nextElementSibling; el && !/^H[1-6]$/.test(el.tagName); el = el.nextElementSibling) scope.push(el);
    }
    scope.forEach((el) => { el.classList.add("search-hit"); if (terms.length) markWords(el, terms); });
    target.scrollIntoView({ block: "start" });
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }
  land();
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const targets = [input, ...links()];
    const at = targets.indexOf(document.activeElement);
    if (at < 0) return;
    event.preventDefault();
    const step = event.key === "ArrowDown" ? 1 : -1;
    targets[(at + step + targets.length) % targets.length].focus();
  });
  // "/" or "s" opens the search from anywhere, as in Material's own search.
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key !== "/" && event.key !== "s") return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    open();
    input.focus();
  });
})();
