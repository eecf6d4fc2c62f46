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
  const scrollwrap = root.querySelector(".md-search__scrollwrap");
  const form = root.querySelector("form");
  const toggle = document.getElementById("__search");
  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  // Interface words, written by search.html from the catalogue (data/ui/<lang>.yml: search.*) and Material's
  // language partial; kinds: the kind filter's ids (scripts/edition/outputs/search/search_index.py) → names.
  const text = JSON.parse(root.querySelector("[data-edition-search-text]").textContent);
  // Material's relative base ("..", ".") resolved against the page: the site root, at any sub-path.
  const siteRoot = new URL(`${config.base || "."}/`, document.baseURI);
  // The Pagefind bundle of the reference interface, which every interface searches (its records' URLs are
  // page paths, the same in each interface: a hit opens in this one).
  const indexRoot = new URL(text.index || "./", siteRoot);
  const PAGE_SIZE = 5;
  const HIT_KEY = "edition-search-hit";
  const KIND_TEXT = "text";  // the kind filter's value for passages (scripts/edition/outputs/search/search_index.py)
  // A filter value as the menu and a result show it: a kind by its name, a text by its title.
  const shown = (filter, value) => (filter === "kind" ? text.kinds[value] || value : value);
  const filterBox = root.querySelector("[data-edition-search-filters]");
  const selects = [...root.querySelectorAll("[data-edition-filter]")];

  const fromIndex = (value) => value.replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ");
  // How a reader's word compares with the page's: lower case, no tone marks or diacritics, đ = d.
  const fold = (value) => value.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{M}/gu, "");
  const WORD = /[\p{L}\p{M}\p{N}]+/gu;
  const HYPHENATED = /[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*/gu;
  // Records read for one page of results before the best ones read are shown even if an unread one might
  // rank above them; more when tone marks are typed, which Pagefind's order does not favour ("dầu": đầu
  // comes first). A record is one download (0.3–8 KB).
  const READ_LIMIT = 6;
  const READ_LIMIT_ACCENTED = 10;
  const DEBOUNCE_MS = 200;
  const EXCERPT_WORDS = 24;

  let pagefind = null;  // promise of the initialised Pagefind module, created on first use
  let generation = 0;   // drops answers to superseded queries

  function load() {
    // Browsers refuse module and fetch requests from file:// pages: say so instead of trying.
    if (location.protocol === "file:") return Promise.reject(new Error(text.unavailable));
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", indexRoot).href).then(async (module) => {
        await module.options({ baseUrl: indexRoot.pathname });
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
    return text.other.replace("{n}", String(count));
  }

  // Filter menus from the index's own values (text titles, kinds of record), counts included.
  function fillFilters(filters) {
    for (const select of selects) {
      const filter = select.dataset.editionFilter;
      const values = Object.entries(filters?.[filter] || {})
        .sort(([a], [b]) => shown(filter, a).localeCompare(shown(filter, b), document.documentElement.lang || "vi"));
      select.replaceChildren(select.options[0]);
      for (const [value, count] of values) {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = `${shown(filter, value)} (${count})`;
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

  // The words around the hit, the query's words marked (whole words; the last one as typed so far).
  function excerptNode(hit, query) {
    const tokens = words(hit.data);
    const folded = query.words.map(fold);
    const last = folded.length - 1;
    const marked = (token) => {
      return forms(token).map(fold).some((word) => folded.some((term, i) => word === term
        || (i === last && query.typing && word.startsWith(term))));
    };
    const from = Math.max(0, Math.min(hit.at - 6, tokens.length - EXCERPT_WORDS));
    const p = document.createElement("p");
    tokens.slice(from, from + EXCERPT_WORDS).forEach((token, i) => {
      if (i) p.append(" ");
      if (!marked(token)) { p.append(token); return; }
      const mark = document.createElement("mark");
      mark.textContent = token;
      p.append(mark);
    });
    if (from > 0) p.prepend("… ");
    if (from + EXCERPT_WORDS < tokens.length) p.append(" …");
    return p;
  }

  // A record is one section, timeline event or bibliography entry (scripts/edition/search_index.py); its
  // url meta is its permalink. Paragraph ids are empty anchors in the record: link to the paragraph that
  // holds the hit.
  function target(hit) {
    const page = hit.data;
    const url = new URL(page.meta.url || page.url, siteRoot);
    const anchor = (page.anchors || [])
      .filter((a) => a.element === "span" && a.id && a.location <= hit.at)
      .pop();
    if (anchor) url.hash = anchor.id;
    return url.href;
  }

  function resultItem(hit, query) {
    const page = hit.data;
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const a = document.createElement("a");
    a.href = target(hit);
    a.className = "md-search-result__link";
    const article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    // Where the hit is: kind of record, text, and the page (chapter) when the title is a section's.
    const context = [shown("kind", page.meta.kind), page.meta.work, page.meta.page !== page.meta.title ? page.meta.page : ""]
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
    article.append(excerptNode(hit, query));
    a.append(article);
    li.append(a);
    return li;
  }

  // The query's words (lower case, letters as typed); quoted runs are phrases a result must hold; the last
  // word may be a word's start only while it is being typed (no space or quote after it).
  function parse(raw) {
    const words = [];
    const phrases = [];
    raw.split('"').forEach((part, i) => {
      // A hyphenated name is one word ("BRÊ-GIƠ-NÉP" as Brêgiơnép), as Pagefind indexes it too.
      const found = (part.match(HYPHENATED) || []).map((word) => word.replace(/-/g, "").toLowerCase().normalize("NFC"));
      if (i % 2 === 1 && found.length) phrases.push([words.length, words.length + found.length]);
      words.push(...found);
    });
    return { words, phrases, typing: words.length > 0 && !/[\s"]$/.test(raw) };
  }

  // Positions of a word in each record (Pagefind's word positions, counted as in the record's text): every
  // spelling that folds to it and longer words starting with it. (Pagefind's quoted one-word search, which
  // would match whole words only, misses spellings: "doi" finds đối but not always đổi.)
  async function positions(module, word, filters) {
    const found = await module.search(fold(word), { filters });
    return new Map(found.results.map((result) => [result.id, new Set(result.words)]));
  }

  // Does some position p start words[from..to) at p, p+1, …? Returns the first such p, or -1.
  function phraseAt(sets, from = 0, to = sets.length) {
    if (sets.slice(from, to).some((set) => !set?.size)) return -1;
    for (const p of [...sets[from]].sort((a, b) => a - b)) {
      if (sets.slice(from + 1, to).every((set, j) => set.has(p + j + 1))) return p;
    }
    return -1;
  }

  // Order: the contiguous phrase (whole words), the phrase with the last word as typed so far, all the
  // words, some of them; then (accented query) exact tone marks; then passages of the texts before the
  // other records (Pagefind ranks short records such as timeline events first); then Pagefind's order.
  // From positions alone a tier is a guess (a position may hold a longer word), never better than the
  // tier its record's words give (verify); exact tone marks are assumed until the record is read.
  const byRank = (a, b) => a.tier - b.tier || a.accent - b.accent || b.passage - a.passage || a.order - b.order;

  // Pagefind's own debouncedSearch fetches the index chunks of every prefix typed on the way ("d", "do",
  // …): wait for the reader to pause instead, then search the query once.
  async function rank(module, query, chosen, mine) {
    await new Promise((resolve) => { setTimeout(resolve, DEBOUNCE_MS); });
    if (mine !== generation) return null;
    const filters = chosen;
    const all = fold(query.words.join(" "));
    const scored = await module.search(all, { filters });
    const passages = chosen.kind && chosen.kind !== KIND_TEXT ? []
      : (await module.search(all, { filters: { ...chosen, kind: KIND_TEXT } })).results;
    const isPassage = new Set(passages.map((result) => result.id));
    const distinct = [...new Set(query.words)];
    const found = new Map(await Promise.all(distinct.map(async (word) => [word, await positions(module, word, filters)])));
    const guessed = [];
    scored.results.forEach((result, order) => {
      const sets = query.words.map((word) => found.get(word).get(result.id));
      if (query.phrases.some(([from, to]) => phraseAt(sets, from, to) < 0)) return;
      const at = phraseAt(sets);
      const tier = at >= 0 ? 0 : sets.every((set) => set?.size) ? 2 : 3;
      guessed.push({ result, tier, at, order, passage: isPassage.has(result.id), accent: 0 });
    });
    guessed.sort(byRank);
    return reader(guessed, query);
  }

  // The ranked results, read a page at a time (take): records are read in their guessed order, and one
  // read is placed once no unread record could rank above it, or once the page's reads reach the limit.
  function reader(guessed, query) {
    const read = [];
    let next = 0;
    const limit = query.words.some((word) => fold(word) !== word) ? READ_LIMIT_ACCENTED : READ_LIMIT;
    return {
      count: guessed.length,
      more: () => next < guessed.length || read.length > 0,
      async take(count) {
        const page = [];
        let reads = 0;
        for (;;) {
          const head = guessed[next];
          while (read.length && page.length < count && (!head || reads >= limit || byRank(read[0], head) <= 0)) {
            page.push(read.shift());
          }
          if (page.length === count || !head) return page;
          const batch = guessed.slice(next, next + count - page.length);
          next += batch.length;
          reads += batch.length;
          await Promise.all(batch.map((hit) => verify(hit, query)));
          read.push(...batch.filter((hit) => hit.tier !== null));
          read.sort(byRank);
        }
      },
    };
  }

  // A record's words as Pagefind numbers them (its positions), with đ back.
  const words = (data) => fromIndex(data.content).split(/\s+/);
  // A text word's forms: "L.I.Brêgiơnép" is l, i, brêgiơnép and libregiơnép; "BRÊ-GIƠ-NÉP" also brêgiơnép.
  const forms = (token) => {
    const runs = (token || "").toLowerCase().normalize("NFC").match(WORD) || [];
    return runs.length > 1 ? [runs.join(""), ...runs] : runs;
  };

  // Rank ``hit`` on its record's words: tier and first hit position as in rank(), accent 0 when the typed
  // marks are the record's (the phrase where it stands, else each marked word somewhere). Tier null: only
  // longer words start with a finished word, or a quoted phrase is missing.
  async function verify(hit, query) {
    hit.data ??= await hit.result.data();
    const tokens = words(hit.data).map(forms);
    const last = query.words.length - 1;
    const matches = (token, word, i, folded) => token.some((form) => {
      const [have, want] = folded ? [fold(form), fold(word)] : [form, word];
      return have === want || (i === last && query.typing && have.startsWith(want));
    });
    const sets = (folded) => query.words.map((word, i) => new Set(
      tokens.flatMap((token, p) => (matches(token, word, i, folded) ? [p] : []))));
    const loose = sets(true);
    const whole = query.typing && last >= 0
      ? [...loose.slice(0, last), new Set([...loose[last]].filter((p) => tokens[p].some((form) => fold(form) === fold(query.words[last]))))]
      : loose;
    hit.tier = null;
    if (!loose.some((set) => set.size) || query.phrases.some(([from, to]) => phraseAt(whole, from, to) < 0)) return;
    let at = phraseAt(whole);
    hit.tier = 0;
    if (at < 0 && (at = phraseAt(loose)) >= 0) hit.tier = 1;
    else if (at < 0) hit.tier = loose.every((set) => set.size) ? 2 : 3;
    hit.at = at >= 0 ? at : Math.min(...loose.filter((set) => set.size).map((set) => Math.min(...set)));
    if (query.words.every((word) => fold(word) === word)) return;
    const exact = sets(false);
    hit.accent = (hit.tier <= 1 ? query.words.every((word, i) => exact[i].has(hit.at + i))
      : exact.every((set) => set.size)) ? 0 : 1;
  }

  async function run() {
    const raw = input.value;
    const query = parse(raw.trimStart());
    const mine = ++generation;
    if (!query.words.length) {
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
    const ranked = await rank(module, query, chosenFilters(), mine);
    if (ranked === null || mine !== generation) return;
    const first = await ranked.take(PAGE_SIZE);
    if (mine !== generation) return;
    list.replaceChildren();
    setStatus(countLabel(ranked.count));
    show(first, ranked, query, mine);
  }

  // A page of results, then (if any are left) the button that reads the next page; scrolling to the end
  // of the list reads it too (each result is one download, the record's text).
  let pending = null;  // the next page being read
  function show(page, ranked, query, mine) {
    list.querySelector(".edition-search__more")?.remove();
    list.append(...page.map((hit) => resultItem(hit, query)));
    if (!ranked.more()) return;
    const item = document.createElement("li");
    item.className = "md-search-result__item edition-search__more";
    const more = document.createElement("button");
    more.type = "button";
    more.textContent = text.more;
    more.addEventListener("click", () => {
      const from = list.querySelectorAll(".md-search-result__link").length;
      showMore().then(() => focusResult(from));
    });
    item.append(more);
    list.append(item);
    pending = { ranked, query, mine };
  }

  async function showMore() {
    const next = pending;
    if (!next || next.mine !== generation) return;
    pending = null;
    const page = await next.ranked.take(PAGE_SIZE);
    if (next.mine === generation) show(page, next.ranked, next.query, next.mine);
  }

  function focusResult(index) {
    list.querySelectorAll(".md-search-result__link")[index]?.focus();
  }

  scrollwrap.addEventListener("scroll", () => {
    if (scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 200) showMore();
  }, { passive: true });

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
    // A register mention found through another of its names ("gorbachev" → Goocbachốp): the entry's folded
    // names are in the previews' data (bang-tra/xem-truoc.json, fetched only here and by a name's preview).
    // It matches when the query's words are words of one of its names (the last may be a word's start).
    const links = [...scope.querySelectorAll("a.reg-mention[data-reg]")].filter((link) => !link.querySelector("mark"));
    if (!links.length) return;
    const named = (name) => {
      const words = name.split(/[^\p{L}\p{N}]+/u);
      return terms.every((term, i) => words.some((word) => word === term || (i === last && word.startsWith(term))));
    };
    fetch(new URL("bang-tra/xem-truoc.json", siteRoot)).then((r) => r.json()).then(({ entries }) => {
      for (const link of links) {
        const entry = entries[link.dataset.reg];
        if (entry && entry[3].split("|").some(named)) {
          const mark = document.createElement("mark");
          mark.className = "search-mark";
          mark.append(...link.childNodes);
          link.append(mark);
        }
      }
    }).catch(() => { /* offline from file:// or no data: the words themselves are still marked */ });
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
