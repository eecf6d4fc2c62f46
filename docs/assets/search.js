// Pagefind search in Material's header (theme/partials/search.html).
// The Pagefind bundle (JS, WebAssembly, index chunks) is fetched only once the reader focuses or
// types in the search box, so reading a chapter downloads none of it. The index is built with
// --force-language vi; Pagefind folds diacritics, so "lien xo" finds "Liên Xô".
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

  let pagefind = null;  // promise of the initialised Pagefind module, created on first use
  let generation = 0;   // drops answers to superseded queries

  function load() {
    // Browsers refuse module and fetch requests from file:// pages: say so instead of trying.
    if (location.protocol === "file:") return Promise.reject(new Error(text.unavailable));
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", siteRoot).href).then(async (module) => {
        await module.options({ baseUrl: siteRoot.pathname, excerptLength: 24 });
        await module.init();
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
    return decoder.value;
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
    const context = [page.meta.work, page.meta.page !== page.meta.title ? page.meta.page : ""]
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
    const search = await module.debouncedSearch(query, {}, 200);
    if (search === null || mine !== generation) return;
    list.replaceChildren();
    setStatus(countLabel(search.results.length));
    await showMore(search.results, mine);
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
    if (event.target.closest("a")) close();  // a same-page #section hit must not leave the overlay open
  });
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
