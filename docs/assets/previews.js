// Previews in place: a footnote marker, an in-text citation (a.cite), a name of the register
// (a.reg-mention) or a cross-reference (a.xref) opens a small non-modal dialog beside it: on hover (mouse,
// after a short delay) or keyboard focus, and on the first tap on a touch screen (the second tap follows the
// link). Esc, a tap outside or its close button closes it. It sits right after its link in the document, so
// Tab moves from the link into it, and it ends with a link through to the full note, entry or page.
// Without JavaScript the links work as they always did. Content comes from the site only: the note on
// this page, the citation's data-tip, bang-tra/xem-truoc.json (render/register.py) or the linked page of
// the edition; it is always set as text, except a note, which is a copy of this page's own markup.
(() => {
  "use strict";

  const SELECTOR = "a.footnote-ref, a.cite, a.reg-mention, a.xref";
  // The interface's words: keys of the catalogue (data/ui/<lang>.yml) that every page carries as JSON
  // (theme/main.html, edition.model.ui.SCRIPT_GROUPS); {name} placeholders filled here.
  const ui = JSON.parse(document.getElementById("edition-ui")?.textContent || "{}");
  const t = (key, fields = {}) => (ui[key] ?? key).replace(/\{(\w+)\}/g, (slot, name) => (name in fields ? String(fields[name]) : slot));
  const text = {
    note: (n) => t("preview.note", { n }),
    toNote: t("preview.to-note"),
    cite: t("preview.cite"),
    toBibliography: t("preview.to-bibliography"),
    register: t("register.title"),
    toEntry: t("preview.to-entry"),
    xref: t("preview.xref"),
    toPage: t("preview.to-page"),
    loading: t("dialog.loading"),
    failed: t("preview.failed"),
    close: t("dialog.close"),
  };
  const OPEN_DELAY = 250;
  const CLOSE_DELAY = 300;

  let preview = null;   // the open dialog
  let owner = null;     // its link
  let openTimer = 0;
  let closeTimer = 0;
  let lastPointer = "mouse";
  let serial = 0;
  let returning = false;  // focus going back to the link on close must not reopen it
  const cache = new Map();  // URL → Promise of a parsed document or JSON

  document.documentElement.classList.add("edition-previews");

  function load(url, kind) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url, { credentials: "same-origin" }).then((response) => {
        if (!response.ok) throw new Error(response.status);
        return kind === "json" ? response.json()
          : response.text().then((html) => new DOMParser().parseFromString(html, "text/html"));
      }));
    }
    return cache.get(url);
  }

  function cleanText(node) {
    const clone = node.cloneNode(true);
    clone.querySelectorAll(".headerlink, .para-link, .footnote-backref").forEach((el) => el.remove());
    clone.querySelectorAll("br").forEach((br) => br.replaceWith(" — "));
    return clone.textContent.replace(/\s+/g, " ").trim();
  }

  // Text of the register (names with Vietnamese letters, descriptions) in its language ``lang``: marked where
  // the page's interface speaks another (the English interface), as the entry page marks it.
  function inLanguage(value, lang) {
    if (!lang || lang === document.documentElement.lang) return document.createTextNode(value);
    const span = document.createElement("span");
    span.lang = lang;
    span.textContent = value;
    return span;
  }

  function paragraph(value, className) {
    const p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = value;
    return p;
  }

  // A register description, marked as the entry page marks it: the editor's, on the basis of the entry's
  // mentions (the catalogue's "{editor} — …: {basis}", its slots filled with the mark and the link to the
  // entry's list of mentions, data.anchor of xem-truoc.json).
  function described(description, anchor, entryUrl, lang) {
    const p = paragraph("", "edition-preview__description");
    p.append(inLanguage(description, lang));
    if (!anchor) return p;
    const editor = document.createElement("span");
    editor.className = "ed-mark";
    editor.textContent = t("evidence.editor");
    const basis = document.createElement("a");
    basis.href = new URL(`#${anchor}`, entryUrl).href;
    basis.textContent = t("register.basis-mentions");
    const slots = { editor, basis };
    p.append(" (", ...t("evidence.basis").split(/(\{\w+\})/).filter(Boolean)
      .map((part) => slots[part.slice(1, -1)] || part), ")");
    return p;
  }

  // {title, body: [nodes] | Promise of [nodes], more, moreHref} for a link
  function content(link) {
    const url = new URL(link.href, location.href);
    // A note, a reference or a passage of the text is in the text's language: marked where the interface's differs.
    const textLang = link.closest("[lang]")?.lang;
    const inText = (nodes) => {
      if (textLang && textLang !== document.documentElement.lang) nodes.forEach((node) => { node.lang = textLang; });
      return nodes;
    };
    if (link.matches(".footnote-ref")) {
      const note = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      const body = note ? [...note.cloneNode(true).children] : [];
      body.forEach((node) => node.querySelectorAll(".footnote-backref").forEach((el) => el.remove()));
      return { title: text.note(link.textContent.trim()), body: inText(body), more: text.toNote, href: link.getAttribute("href") };
    }
    if (link.matches(".cite")) {
      return { title: `${text.cite} ${link.textContent.trim()}`, body: inText([paragraph(link.dataset.tip || "")]),
        more: text.toBibliography, href: link.href };
    }
    if (link.matches(".reg-mention")) {
      const id = link.dataset.reg;
      const body = load(new URL("xem-truoc.json", url).href, "json").then((data) => {
        const [name, kind, description, , descriptionLang] = (data.entries || {})[id] || [link.textContent, "", ""];
        const named = paragraph("", "edition-preview__name");
        named.append(/^[\x00-\x7f]*$/.test(name) ? document.createTextNode(name) : inLanguage(name, data.lang));
        const nodes = [paragraph(kind, "edition-preview__kind"), named];
        if (description) nodes.push(described(description, data.anchor, url, descriptionLang));
        return nodes;
      });
      return { title: text.register, body, more: text.toEntry, href: link.href };
    }
    const body = load(url.href.split("#")[0], "html").then((doc) => {
      const target = (url.hash && doc.getElementById(decodeURIComponent(url.hash.slice(1)))) || doc.querySelector("article h1");
      const nodes = target ? [paragraph(cleanText(target), "edition-preview__name")] : [];
      // the first paragraph of running text after the heading (not a citation box)
      for (let node = target && target.nextElementSibling; node; node = node.nextElementSibling) {
        if (node.matches("p") && node.textContent.trim()) {
          nodes.push(paragraph(cleanText(node)));
          break;
        }
      }
      return inText(nodes);
    });
    return { title: text.xref, body, more: text.toPage, href: link.href };
  }

  function place() {
    if (!preview || !owner) return;
    const phone = window.matchMedia("(max-width: 44.9375em)").matches;
    if (phone) {  // a sheet along the bottom of the screen (edition.css)
      preview.style.removeProperty("top");
      preview.style.removeProperty("left");
      return;
    }
    const box = owner.getBoundingClientRect();
    const width = preview.offsetWidth;
    const height = preview.offsetHeight;
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    const below = box.bottom + 6;
    const top = below + height <= window.innerHeight - 8 || box.top - height - 6 < 8 ? below : box.top - height - 6;
    preview.style.left = `${left}px`;
    preview.style.top = `${top}px`;
  }

  function close(returnFocus) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (!preview) return;
    const link = owner;
    preview.closest(".para")?.classList.remove("edition-preview-holder");
    preview.remove();
    link.setAttribute("aria-expanded", "false");
    link.removeAttribute("aria-controls");
    preview = null;
    owner = null;
    if (returnFocus) {
      returning = true;
      link.focus({ preventScroll: true });
      returning = false;
    }
  }

  function open(link) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (owner === link) return;
    close(false);
    const { title, body, more, href } = content(link);
    serial += 1;
    const id = `edition-preview-${serial}`;
    preview = document.createElement("div");
    preview.className = "edition-preview";
    preview.id = id;
    preview.setAttribute("role", "dialog");
    preview.setAttribute("aria-labelledby", `${id}-title`);
    preview.setAttribute("data-pagefind-ignore", "");
    const head = document.createElement("div");
    head.className = "edition-preview__head";
    const heading = paragraph(title, "edition-preview__title");
    heading.id = `${id}-title`;
    const closer = document.createElement("button");
    closer.type = "button";
    closer.className = "edition-preview__close";
    closer.setAttribute("aria-label", text.close);
    closer.textContent = "×";
    closer.addEventListener("click", () => close(true));
    head.append(heading, closer);
    const main = document.createElement("div");
    main.className = "edition-preview__body";
    const through = document.createElement("a");
    through.className = "edition-preview__more";
    through.href = href;
    through.textContent = more;
    through.addEventListener("click", () => close(false));
    preview.append(head, main, through);
    if (Array.isArray(body)) {
      main.append(...body);
    } else {
      main.append(paragraph(text.loading));
      const shown = preview;
      body.then((nodes) => nodes, () => [paragraph(text.failed)]).then((nodes) => {
        if (preview !== shown) return;
        main.replaceChildren(...nodes);
        place();
      });
    }
    owner = link;
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", id);
    // Its paragraph is laid out as any other while it holds the preview: a paragraph off screen may be left
    // unrendered (content-visibility, edition.css), and that containment would place and clip a fixed box
    // inside it by the paragraph instead of the screen.
    link.closest(".para")?.classList.add("edition-preview-holder");
    link.after(preview);
    place();
  }

  function targetOf(event) {
    const link = event.target.closest && event.target.closest(SELECTOR);
    return link && link.closest(".md-content") ? link : null;
  }

  function inside(node) {
    return Boolean(node && ((preview && preview.contains(node)) || (owner && owner.contains(node))));
  }

  document.querySelectorAll(`.md-content ${SELECTOR}`).forEach((link) => link.setAttribute("aria-expanded", "false"));

  document.addEventListener("pointerdown", (event) => {
    lastPointer = event.pointerType || "mouse";
    if (preview && !inside(event.target)) close(false);
  });
  document.addEventListener("pointerover", (event) => {
    if (event.pointerType !== "mouse") return;
    const link = targetOf(event);
    if (link) {
      clearTimeout(openTimer);
      if (link === owner) clearTimeout(closeTimer);
      else openTimer = setTimeout(() => open(link), OPEN_DELAY);
    } else if (inside(event.target)) {
      clearTimeout(closeTimer);
    }
  });
  document.addEventListener("pointerout", (event) => {
    if (event.pointerType !== "mouse") return;
    if (targetOf(event)) clearTimeout(openTimer);
    if (preview && inside(event.target) && !inside(event.relatedTarget)) {
      closeTimer = setTimeout(() => close(false), CLOSE_DELAY);
    }
  });
  // Touch and pen: the first tap opens the preview in place of following the link.
  document.addEventListener("click", (event) => {
    const link = targetOf(event);
    if (link && lastPointer !== "mouse" && owner !== link) {
      event.preventDefault();
      open(link);
    }
  });
  document.addEventListener("focusin", (event) => {
    const link = targetOf(event);
    if (link && !returning && link.matches(":focus-visible")) open(link);
    else if (preview && !inside(event.target)) close(false);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && preview) {
      const focused = inside(document.activeElement);
      close(focused);
      if (focused) event.preventDefault();
    }
  });
  window.addEventListener("resize", place);
  document.addEventListener("scroll", place, { passive: true });
})();
