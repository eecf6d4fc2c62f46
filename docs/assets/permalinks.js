// "Copy link" for paragraph (¶, a.para-link) and heading (a.headerlink) permalinks.
// The click still moves to the anchor; in addition the absolute URL is copied and shown in a small
// dialog together with a citation line (the page's edition-citation meta or its Highwire tags), e.g.
//   Tác giả (2020), Tiêu đề, §2.1.1 ¶3, https://…/chuong-2.html#2-1-1-p3
(() => {
  "use strict";

  const SELECTOR = "a.para-link, a.headerlink";
  const HEADINGS = "h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]";
  const text = {
    title: "Liên kết cố định",
    link: "Liên kết",
    citation: "Trích dẫn",
    copyLink: "Sao chép liên kết",
    copyCitation: "Sao chép trích dẫn",
    close: "Đóng",
    copied: "Đã sao chép liên kết.",
    copiedCitation: "Đã sao chép trích dẫn.",
    manual: "Không sao chép tự động được: hãy chọn và nhấn Ctrl+C (⌘C).",
  };

  let dialog = null;
  let opener = null;

  function metaValues(name) {
    return [...document.querySelectorAll(`meta[name="${name}"]`)]
      .map((meta) => meta.content.trim())
      .filter(Boolean);
  }

  // With site_url configured Material emits <link rel=canonical>: cite the published URL even when
  // reading a local copy; otherwise the URL the page was opened from.
  function absoluteUrl(id) {
    const canonical = document.querySelector('link[rel="canonical"]');
    const url = new URL(canonical ? canonical.href : location.href);
    url.hash = id;
    return url.href;
  }

  function headingText(heading) {
    const clone = heading.cloneNode(true);
    clone.querySelectorAll(".headerlink").forEach((link) => link.remove());
    clone.querySelectorAll("br").forEach((br) => br.replaceWith(" "));
    return clone.textContent.replace(/\s+/g, " ").trim();
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

  // The renderer's own prefix (page.meta.short_citation) when given, else one from Highwire tags.
  function citation(target, url) {
    const prefix = metaValues("edition-citation")[0];
    if (prefix) return [prefix, locator(target), url].filter(Boolean).join(", ");
    const authors = metaValues("citation_author").join("; ");
    const date = metaValues("citation_publication_date")[0] || metaValues("citation_date")[0] || "";
    const year = (date.match(/\d{4}/) || [""])[0];
    const title = metaValues("citation_title")[0] || document.title;
    const who = authors && year ? `${authors} (${year})` : authors || (year && `(${year})`);
    return [who, title, locator(target), url].filter(Boolean).join(", ");
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
    if (multiline) input.rows = 3;
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
    const cite = citation(target, url);

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
    const [citeField, citeInput] = field(text.citation, cite, true);
    const copyLink = button(text.copyLink, async () => {
      status.textContent = (await copy(url, linkInput)) ? text.copied : text.manual;
    });
    const actions = document.createElement("div");
    actions.className = "edition-cite__actions";
    actions.append(
      copyLink,
      button(text.copyCitation, async () => {
        status.textContent = (await copy(cite, citeInput)) ? text.copiedCitation : text.manual;
      }),
      button(text.close, close),
    );
    dialog.append(title, linkField, citeField, actions, status);
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
