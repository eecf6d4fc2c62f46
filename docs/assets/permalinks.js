// "Copy link" for paragraph (¶, a.para-link), heading (a.headerlink) and printed-page (a.pb: "cite this
// page") permalinks.
// The click still moves to the anchor; in addition the absolute URL is copied and shown in a dialog with
// the whole citation of that section or paragraph in each style, each with its copy button. The styles
// come from the page's meta edition-cite (JSON written by the renderer, edition.render.metadata): a
// reference with a {url} slot and in-text citations with a {loc} slot, filled here with the permalink and
// the printed pages (data-pages="46-47" on the paragraph: "tr. 46–47") or else the section number.
// Pages without it (fixtures) get one line from their Highwire tags. The same data gives each style and
// record (BibTeX, RIS, CSL-JSON) a copy button in the page's citation box (.edition-citebox).
// "Bản nguồn": the witness lines of the paragraph or heading (data-lines="12-15") or where a printed page
// begins (data-line on a.pb), as the extraction prints them, each with its logged interventions; they come
// from the witness page's JSON (edition.render.witness_pages), fetched when the dialog first needs them.
(() => {
  "use strict";

  const SELECTOR = "a.para-link, a.headerlink, a.pb";
  const HEADINGS = "h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]";
  // The interface's words: keys of the catalogue (data/ui/<lang>.yml) that every page carries as JSON
  // (theme/main.html, edition.model.ui.SCRIPT_GROUPS); {name} placeholders filled here.
  const ui = JSON.parse(document.getElementById("edition-ui")?.textContent || "{}");
  const t = (key, fields = {}) => (ui[key] ?? key).replace(/\{(\w+)\}/g, (slot, name) => (name in fields ? String(fields[name]) : slot));
  const text = {
    title: t("dialog.title"),
    link: t("dialog.link"),
    citation: t("dialog.citation"),
    position: t("dialog.position"),
    copyLink: t("dialog.copy-link"),
    copyCitation: t("dialog.copy-citation"),
    copyStyle: (name) => t("dialog.copy-style", { name }),
    copyLabel: t("dialog.copy"),
    records: t("dialog.records"),
    intext: t("cite.intext"),
    files: t("dialog.files"),
    close: t("dialog.close"),
    copied: t("dialog.copied"),
    copiedCitation: t("dialog.copied-citation"),
    manual: t("dialog.manual"),
    source: t("witness.title"),
    lines: (a, b) => (a === b ? t("line.one", { n: a }) : t("line.range", { first: a, last: b })),
    pages: (pages) => t("page.label", { page: pages }),
    sourceIntro: t("dialog.source-intro"),
    loading: t("dialog.loading"),
    failed: t("dialog.failed"),
  };
  const witnessData = new Map();  // JSON URL → Promise of the witness page's lines

  let dialog = null;
  let opener = null;

  function metaValues(name) {
    return [...document.querySelectorAll(`meta[name="${name}"]`)]
      .map((meta) => meta.content.trim())
      .filter(Boolean);
  }

  // With site_url configured the page names its canonical URL (the reference interface's page): cite the
  // published URL even when reading a local copy; otherwise the reference interface's page of this copy
  // (edition-reference, on the pages of another interface), or the URL the page was opened from.
  function absoluteUrl(id) {
    const canonical = document.querySelector('link[rel="canonical"]');
    const reference = document.querySelector('meta[name="edition-reference"]');
    const url = new URL(canonical ? canonical.href : reference ? new URL(reference.content, location.href).href : location.href);
    url.hash = id;
    return url.href;
  }

  function headingText(heading) {
    const clone = heading.cloneNode(true);
    clone.querySelectorAll(".headerlink").forEach((link) => link.remove());
    clone.querySelectorAll("br").forEach((br) => br.replaceWith(" "));
    return clone.textContent.replace(/\s+/g, " ").replace(/^\*\s*/, "").trim();
  }

  function headingOf(target) {
    if (target.matches(HEADINGS)) return target;
    const container = target.closest("article") || document.body;
    let found = null;
    for (const heading of container.querySelectorAll(HEADINGS)) {
      if (heading.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING) found = heading;
      else break;
    }
    return found;
  }

  // "§2.1.1 ¶3" from ids such as 2-1-1 / 2-1-1-p3; unnumbered headings are named by their text.
  function locator(target) {
    const parts = [];
    const heading = headingOf(target);
    if (heading) {
      const numbered = heading.id.match(/^(\d+(?:-\d+)*)(-.+)?$/);
      if (numbered) {
        const section = `§${numbered[1].replace(/-/g, ".")}`;
        parts.push(numbered[2] ? `${section}, ${headingText(heading)}` : section);
      } else {
        parts.push(headingText(heading));
      }
    }
    const paragraph = target.id.match(/-p(\d+)$/);
    if (paragraph && target !== heading) parts.push(`¶${paragraph[1]}`);
    return parts.join(" ");
  }

  // One line from the Highwire tags, for pages without the renderer's citation data.
  function citation(target, url) {
    const authors = metaValues("citation_author").join("; ");
    const date = metaValues("citation_publication_date")[0] || metaValues("citation_date")[0] || "";
    const year = (date.match(/\d{4}/) || [""])[0];
    const title = metaValues("citation_title")[0] || document.title;
    const who = authors && year ? `${authors} (${year})` : authors || (year && `(${year})`);
    return [who, title, locator(target), url].filter(Boolean).join(", ");
  }

  function citeData() {
    const meta = document.querySelector('meta[name="edition-cite"]');
    if (!meta) return null;
    try {
      return JSON.parse(meta.content);
    } catch {
      return null;
    }
  }

  // Printed pages "46–47" of a paragraph (its data-pages) or of a section (its paragraphs' data-pages).
  function pagesOf(target) {
    const spans = [];
    if (target.matches(HEADINGS)) {
      const level = Number(target.tagName[1]);
      for (let node = target.nextElementSibling; node; node = node.nextElementSibling) {
        if (node.matches(HEADINGS) && Number(node.tagName[1]) <= level) break;
        node.querySelectorAll("[data-pages]").forEach((el) => spans.push(el.dataset.pages));
        if (node.dataset && node.dataset.pages) spans.push(node.dataset.pages);
      }
    } else if (target.dataset.pages) {
      spans.push(target.dataset.pages);
    } else if (target.dataset.page) {  // a printed-page marker
      spans.push(target.dataset.page);
    }
    const numbers = spans.flatMap((span) => span.split(/[-–]/)).map(Number).filter((n) => n > 0);
    if (!numbers.length) return "";
    const first = Math.min(...numbers);
    const last = Math.max(...numbers);
    return first === last ? String(first) : `${first}–${last}`;
  }

  // The section's number ("2.1.1", also for its starred sub-heads) or the heading's text when unnumbered.
  function sectionLabel(target) {
    const heading = headingOf(target);
    if (!heading) return "";
    const numbered = heading.id.match(/^(\d+(?:-\d+)*)/);
    return numbered ? numbered[1].replace(/-/g, ".") : headingText(heading);
  }

  // [{name, text}] for each record (BibTeX, RIS, CSL-JSON) pointing at this permalink.
  function records(data, url) {
    return (data.records || []).map(([name, value]) => ({ name, text: value.replaceAll("{url}", url) }));
  }

  function positionLine(data, target, pages) {
    const parts = [];
    if (data.chapter) parts.push(data.chapter);
    const where = locator(target);
    if (where) parts.push(where);
    if (pages) parts.push(text.pages(pages));
    return parts.join(" · ");
  }

  // [{name, text}] for each style: the reference at this permalink and the in-text citation.
  function styledCitations(data, target, url) {
    const pages = pagesOf(target);
    const section = sectionLabel(target);
    return data.styles.map((style) => {
      const form = pages.includes("–") ? style.intext.pages || style.intext.page : style.intext.page;
      const loc = pages ? form.replace("{loc}", pages)
        : section ? style.intext.section.replace("{loc}", section) : style.intext.none;
      return { name: style.name, text: `${style.reference.replace("{url}", url)}\n${text.intext} ${loc}` };
    });
  }

  // Citations written at build time without a known site URL name a site path: make it absolute here.
  function absolutePaths() {
    const config = document.getElementById("__config");
    let base = ".";
    try {
      base = JSON.parse(config.textContent).base || ".";
    } catch {
      /* no Material config: paths are relative to this page */
    }
    const root = new URL(`${base}/`, location.href);
    document.querySelectorAll(".cite-url[data-path]").forEach((span) => {
      span.textContent = new URL(span.dataset.path, root).href;
    });
  }

  // [first, last] witness lines of the target, or null.
  function linesOf(target) {
    const span = target.dataset.lines || target.dataset.line;
    if (!span) return null;
    const [first, last] = span.split("-").map(Number);
    return [first, last || first];
  }

  function loadWitness(url) {
    if (!witnessData.has(url)) {
      witnessData.set(url, fetch(url, { credentials: "same-origin" }).then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }));
    }
    return witnessData.get(url);
  }

  // The "Bản nguồn" part of the dialog: a heading linking to the witness page, then the lines, each number a
  // link to its line there, and below a line each logged intervention with a link to its entry.
  function sourcePart(data, target) {
    const span = linesOf(target);
    if (!data.witness || !span) return null;
    const [first, last] = span;
    const url = new URL(data.witness, location.href);
    const part = document.createElement("div");
    part.className = "edition-cite__source";
    const head = document.createElement("p");
    const link = document.createElement("a");
    link.href = new URL(`${url.pathname.replace(/\.json$/, ".html")}#dong-${first}`, url).href;
    link.textContent = `${text.source}: ${text.lines(first, last)}`;
    head.append(link, ` (${text.sourceIntro})`);
    const body = document.createElement("div");
    body.className = "edition-cite__lines";
    body.textContent = text.loading;
    part.append(head, body);
    loadWitness(url.href).then((witness) => {
      const page = new URL(witness.page, url);
      body.textContent = "";
      for (let n = first; n <= last; n += 1) {
        const line = document.createElement("p");
        const number = document.createElement("a");
        number.className = "wl-n";
        number.href = new URL(`#dong-${n}`, page).href;
        number.textContent = String(n);
        const words = document.createElement("span");
        words.className = "wl-t";
        words.textContent = witness.lines[n - witness.first] ?? "";
        line.append(number, words);
        for (const [label, printed, href] of witness.marks[String(n)] || []) {
          const mark = document.createElement("a");
          mark.className = "wl-iv";
          mark.href = new URL(href, page).href;
          mark.textContent = printed ? `${label}: ${printed}` : label;
          line.append(" ", mark);
        }
        body.append(line);
      }
    }).catch(() => {
      body.textContent = text.failed;
    });
    return part;
  }

  async function copy(value, field) {
    try {
      await navigator.clipboard.writeText(value);
      return true;
    } catch {
      field.focus();
      field.select();
      try {
        return document.execCommand("copy");
      } catch {
        return false;
      }
    }
  }

  function field(label, value, multiline) {
    const wrapper = document.createElement("label");
    wrapper.className = "edition-cite__field";
    const name = document.createElement("span");
    name.textContent = label;
    const input = document.createElement(multiline ? "textarea" : "input");
    input.readOnly = true;
    input.value = value;
    if (multiline) input.rows = Math.min(4, Math.max(2, Math.ceil(value.length / 60) + 1));
    input.addEventListener("focus", () => input.select());
    wrapper.append(name, input);
    return [wrapper, input];
  }

  function button(label, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "md-button";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  // A citation or record in a read-only field with its copy button.
  function copyRow(style, status) {
    const [styleField, styleInput] = field(style.name, style.text, true);
    const copyStyle = button(text.copyStyle(style.name), async () => {
      status.textContent = (await copy(style.text, styleInput)) ? text.copiedCitation : text.manual;
    });
    copyStyle.classList.add("edition-cite__copy");
    const row = document.createElement("div");
    row.className = "edition-cite__row";
    row.append(styleField, copyStyle);
    return row;
  }

  function close() {
    if (!dialog) return;
    dialog.remove();
    dialog = null;
    if (opener) opener.focus({ preventScroll: true });
    opener = null;
  }

  async function show(link, target) {
    close();
    opener = link;
    const url = absoluteUrl(target.id);

    dialog = document.createElement("div");
    dialog.className = "edition-cite";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-labelledby", "edition-cite-title");
    dialog.setAttribute("data-pagefind-ignore", "");
    const title = document.createElement("p");
    title.id = "edition-cite-title";
    title.className = "edition-cite__title";
    title.textContent = text.title;
    const status = document.createElement("p");
    status.className = "edition-cite__status";
    status.setAttribute("role", "status");
    const [linkField, linkInput] = field(text.link, url, false);
    const copyLink = button(text.copyLink, async () => {
      status.textContent = (await copy(url, linkInput)) ? text.copied : text.manual;
    });
    const parts = [title, linkField];
    const data = citeData();
    if (data) {
      const [positionField] = field(text.position, positionLine(data, target, pagesOf(target)), true);
      parts.push(positionField);
      const source = sourcePart(data, target);
      if (source) parts.push(source);
      for (const style of [...styledCitations(data, target, url), ...records(data, url)]) {
        parts.push(copyRow(style, status));
      }
      // The work's data for reference managers (the permalink above pins the section or paragraph).
      const files = document.createElement("p");
      files.className = "edition-cite__files";
      files.append(text.files);
      for (const [label, href] of data.downloads || []) {
        const a = document.createElement("a");
        a.href = href;
        a.download = "";
        a.textContent = label;
        files.append(" ", a);
      }
      parts.push(files);
    } else {
      const cite = citation(target, url);
      const [citeField, citeInput] = field(text.citation, cite, true);
      const copyCite = button(text.copyCitation, async () => {
        status.textContent = (await copy(cite, citeInput)) ? text.copiedCitation : text.manual;
      });
      parts.push(citeField, copyCite);
    }
    // the actions first, where the dialog opens, whatever its length
    const actions = document.createElement("div");
    actions.className = "edition-cite__actions";
    actions.append(copyLink, button(text.close, close));
    dialog.append(parts[0], actions, status, ...parts.slice(1));
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    document.body.append(dialog);
    copyLink.focus({ preventScroll: true });
    status.textContent = (await copy(url, linkInput)) ? text.copied : text.manual;
  }

  // The citation box of a page: a copy button for each style and record, citing the page itself.
  function setupCiteBoxes() {
    const data = citeData();
    if (!data) return;
    const url = absoluteUrl("").replace(/#$/, "");
    document.querySelectorAll("details.edition-citebox").forEach((box) => {
      const status = document.createElement("p");
      status.className = "edition-cite__status";
      status.setAttribute("role", "status");
      const list = document.createElement("div");
      list.className = "edition-citebox__copies";
      const references = data.styles.map((style) => ({ name: style.name, text: style.reference.replace("{url}", url) }));
      for (const item of [...references, ...records(data, url)]) list.append(copyRow(item, status));
      list.append(status);
      box.append(list);
    });
  }

  // The interface switch (theme/partials/interface-switch.html) leads to the same place: this page's fragment.
  function keepPlace() {
    document.querySelectorAll("a[data-edition-interface]").forEach((link) => { link.hash = location.hash; });
  }

  absolutePaths();
  setupCiteBoxes();
  keepPlace();
  window.addEventListener("hashchange", keepPlace);
  document.addEventListener("click", (event) => {
    const link = event.target.closest(SELECTOR);
    if (link) {
      const id = decodeURIComponent(link.hash.slice(1));
      const target = document.getElementById(id);
      // The default action still runs (the URL gets the #fragment) and, per the HTML spec, moves
      // focus to the viewport: open the dialog after it so that focus lands in the dialog.
      if (target) setTimeout(() => show(link, target));
      return;
    }
    if (dialog && !dialog.contains(event.target)) close();
  });
})();
