"""citeproc-py 0.11 against the CSL 1.0.2 specification, where the edition's three styles meet its gaps.

Each fix makes citeproc-py print what citeproc-js (the processor of Zotero and Mendeley) prints for the
same CSL-JSON and style; tests/test_citeproc_js.py compares the two and lists what still differs, and why.
The fixes are subclasses of citeproc-py's element classes, used only by the styles loaded with ``Style``
(style and locale files are parsed with a class lookup of their own): citeproc-py itself is not modified.
"""

from __future__ import annotations

import re
import threading

from citeproc import CitationStylesStyle, model
from citeproc.source import VariableError
from lxml import etree

# --- 1. cs:group is suppressed when every variable it calls is empty (CSL 1.0.2 "Group") ----------------
# citeproc-py asks each child whether it *could* call a variable, in any branch of a cs:choose: a branch
# printing only a term (APA's thesis "Publication") kept its group alive ("… (Publication). (n.d.).
# (Publication)"). Count the variables called and rendered while the group's children render, as
# citeproc-js does: only the branches taken count.

_seen = threading.local()


class _Counted:
    """Counts the variables called and rendered (cs:text, cs:number, cs:names, cs:date)."""

    def render(self, *args, **kwargs):
        variable = not isinstance(self, model.Text) or (
            "variable" in self.attrib and self.get("variable") not in self.generated_variables)  # year-suffix …
        if variable:
            _seen.called = getattr(_seen, "called", 0) + 1
        text = super().render(*args, **kwargs)
        if text and variable:
            _seen.rendered = getattr(_seen, "rendered", 0) + 1
        return text


class Group(model.Group):
    def process(self, item, context=None, **kwargs):
        return _group_process(self, item, context, **kwargs)


def _group_process(self, item, context=None, **kwargs):
    output = []
    called, rendered = getattr(_seen, "called", 0), getattr(_seen, "rendered", 0)
    delimiter = self.get("delimiter", "")
    for child in self.iterchildren():
        try:
            if isinstance(child, model.Choose):
                text = child.render(item, context=context, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        if text is not None:
            output.append(text)
    if output and (getattr(_seen, "called", 0) == called or getattr(_seen, "rendered", 0) > rendered):
        return self.join(output)
    raise VariableError

# --- 2. cs:label prints nothing when its variable is empty -----------------------------------------------
# citeproc-py printed the term anyway: Chicago's articles ended in "Edition." (label of an empty edition).

class Label(model.Label):
    RE_MULTIPLE_NUMBERS = re.compile(r"\d+\s*(?:[-–,&]|and)\s*\d+")  # see 8.

    def process(self, item, variable=None, plural=None, context=None, **kwargs):
        if variable is None and self.get("variable") != "locator" and not _has(item, self.get("variable")):
            return None
        return super().process(item, variable, plural, context, **kwargs)

    def markup(self, text):  # see 7.
        if not text:
            return None
        language = (self.get_root().get("default-locale") or "en")[:2]
        return self.wrap(self.format(self.case(self.strip_periods(text), language)))


def _has(item, name: str) -> bool:
    try:
        return bool(item.reference[name.replace("-", "_")])
    except (VariableError, KeyError):
        return False

# --- 3. initialize="false" (CSL 1.0.1) keeps given names whole ---------------------------------------------
# Chicago sets initialize-with on the style and initialize="false" on the bibliography's names: citeproc-py
# ignored the latter and printed "Nguyen, T. P." for "Nguyen, Thi Phuc".

class Name(model.Name):
    def get_option(self, name, context=None, sort_options=None):
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        if name == "delimiter-precedes-last" and getattr(_seen, "literal_pair", False):
            return "never"  # see 5.
        return super().get_option(name, context, sort_options)

    def process(self, item, variable, context=None, sort_options=None, **kwargs):  # see 5.
        return _static_order(self, super().process, item, variable, context, sort_options, **kwargs)

# --- 4. Title case: citeproc-js's list of words kept lower case (CSL.SKIP_WORDS, single words) ---------------
# Chicago title-cases English titles; citeproc-py's shorter list capitalised "Between", "Against" …

STOP_WORDS = sorted(set(model.TextCased._stop_words) | {
    "about", "above", "across", "after", "against", "along", "amid", "among", "around", "before", "behind",
    "below", "beneath", "beside", "besides", "between", "beyond", "circa", "despite", "during", "except",
    "inside", "like", "near", "off", "out", "per", "since", "than", "through", "throughout", "toward",
    "towards", "under", "underneath", "until", "unto", "upon", "versus", "within", "without"})

# --- 5. Vietnamese names in Vietnamese order --------------------------------------------------------------
# citeproc-js prints the names of an item whose language is Vietnamese as written, family name first and
# never inverted or initialised ("static ordering": "Trần Ngọc Dũng"). The Vietnamese thesis style and
# Chicago follow it; APA does not (APA 7 inverts and initialises every personal name: "Trần, N. D."), so the
# styles that want it are named in ``STATIC_ORDER_STYLES`` by their root element.

STATIC_ORDER_STYLES: set = set()  # the roots of the styles loaded with static_order=True


def _static_order(self, process, item, variable, context=None, sort_options=None, **kwargs):
    names = item.reference.get(variable, [])
    # citeproc-js puts no delimiter before "and"/"&" between two institutional (literal) names
    _seen.literal_pair = len(names) == 2 and all("literal" in n for n in names)
    static = (self.getroottree().getroot() in STATIC_ORDER_STYLES and not sort_options
              and str(item.reference.get("language", "") or "").startswith("vi")
              and self.get_option("form", context, sort_options) == "long")
    if not static:
        return process(item, variable, context, sort_options, **kwargs)
    whole = [type(n)(literal=" ".join(p for p in (n.get("family"), n.get("given")) if p)) if "literal" not in n
             else n for n in names]
    item.reference[variable] = whole
    try:
        return process(item, variable, context, sort_options, **kwargs)
    finally:
        item.reference[variable] = names

# --- 6. A substituted name variable is not printed again (CSL 1.0.2 "Substitute") ---------------------------
# citeproc-py represses substituted variables only for cs:text: an edited book printed its editor twice
# ("Nguyễn Đình Bin (ed.). (2002). Ngoại giao … (Nguyễn Đình Bin, ed.)").

class Names(_Counted, model.Names):
    def process(self, item, names_context=None, context=None, **kwargs):
        return _names(self, super().process, item, names_context, context, **kwargs)


def _names(self, process, item, names_context=None, context=None, **kwargs):
    layout = (context if context is not None else self).get_layout()
    repressed = " ".join(v for v in layout.repressed.get(self.tag, []) if v).split()  # "editor translator"
    hidden = {r: item.reference[r] for r in self.get("variable").split() if r in repressed and r in item.reference}
    for role in hidden:
        del item.reference[role]
    try:
        return process(item, names_context, context, **kwargs)
    finally:
        item.reference.update(hidden)

# --- 7. Terms take the style's text-case whatever the item's language ---------------------------------------
# citeproc-py skipped text-case on a label of a non-English item: APA's "(Eds.)" printed "(eds.)" (Label.markup).

# --- 8. "No. 01/2025" is one issue number: a slash is no list or range separator (citeproc-js) --------------
# (Label.RE_MULTIPLE_NUMBERS)

# --- 10. A title substituted through a macro is not printed again (CSL "Substitute") ----------------------
# citeproc-py 0.11 represses a substituted variable only for ``<text variable>``; APA and Chicago substitute
# ``<text macro="title">``, so an entry without author printed its title twice. Repress the title the macro
# renders (only the title: those macros also render genre, publisher …, which must stay).

class Substitute(model.Substitute):
    def add_to_repressed_list(self, child, context):
        super().add_to_repressed_list(child, context)
        if child.get("macro"):
            titles = [v for v in _macro_variables(child, child.get("macro"), set()) if v.startswith("title")]
            context.get_layout().repressed.setdefault(child.tag, []).extend(titles)


def _macro_variables(node, name: str, seen: set) -> list[str]:
    if name in seen:
        return []
    seen.add(name)
    found = []
    for text in node.get_macro(name).iter("{*}text"):
        if text.get("variable"):
            found.append(text.get("variable"))
        elif text.get("macro"):
            found += _macro_variables(node, text.get("macro"), seen)
    return found


# --- 9. Typography of the output, as citeproc-js prints it -------------------------------------------------
# Straight apostrophes become typographic (Hanoi’s); a period after a title ending in ? or ! is dropped
# (“Tại sao Việt Nam?” not “… Nam?.”); with the en-US locale (punctuation-in-quote="true") a period or
# comma after a closing quote moves inside it (Chicago: “Title.” n.d.).

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_DOUBLED = re.compile(r"([?!])((?:</i>|</b>|”)*)\.")


def typography(html: str, punctuation_in_quote: bool) -> str:
    parts = re.split(r"(<[^>]+>)", html)
    html = "".join(p if p.startswith("<") else _APOSTROPHE.sub("’", p) for p in parts)
    if punctuation_in_quote:
        html = html.replace("”.", ".”").replace("”,", ",”")
    return _DOUBLED.sub(r"\1\2", html)


# --- The styles that use the fixes ---------------------------------------------------------------------------

_memo: dict = {}


class _Memoised:
    """citeproc-py re-runs XPath lookups (macros, terms, layouts, options) and re-walks ``calls_variable``
    subtrees on every use: most of the formatting time. Both depend only on the style and locale trees, which
    are not changed once loaded and live as long as their ``Style`` (cached by the bibliography), so the
    elements are stable keys."""

    def xpath_search(self, *args):
        key = (self, "xpath", args)
        if key not in _memo:
            _memo[key] = super().xpath_search(*args)
        return _memo[key]


def _memoised_calls_variable(self):
    key = (self, "calls_variable")
    if key not in _memo:
        _memo[key] = model.Parent.calls_variable(self)
    return _memo[key]


class Text(_Counted, model.Text):
    _stop_words = STOP_WORDS


class Number(_Counted, model.Number):
    _stop_words = STOP_WORDS


class Date(_Counted, model.Date):
    pass


class Date_Part(model.Date_Part):  # noqa: N801 (citeproc-py's name: the tag is date-part)
    _stop_words = STOP_WORDS


class Name_Part(model.Name_Part):  # noqa: N801
    _stop_words = STOP_WORDS


Label._stop_words = STOP_WORDS  # a class of this module (4.)
FIXED = {cls.__name__: cls for cls in (Group, Label, Name, Names, Substitute, Text, Number, Date, Date_Part, Name_Part)}


def _element_class(base: type) -> type:
    fixed = FIXED.get(base.__name__, base)
    inherited = getattr(fixed, "calls_variable", None) is model.Parent.calls_variable
    extra = {"calls_variable": _memoised_calls_variable} if inherited else {}
    return type(base.__name__, (_Memoised, fixed), extra)


# tag → class, as citeproc-py's CitationStylesXML maps them (its classes only, each with the fixes above)
ELEMENTS = {cls.__name__.replace("_", "-").lower(): _element_class(cls)
            for cls in model.CitationStylesElement.__subclasses__() if cls.__module__ == model.__name__}
DEFAULT_ELEMENT = _element_class(model.CitationStylesElement)


def _parser() -> etree.XMLParser:
    """citeproc-py's parser (CitationStylesXML) with this module's element classes."""
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace("http://purl.org/net/xbiblio/csl")
    namespace[None] = DEFAULT_ELEMENT
    namespace.update(ELEMENTS)
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
    parser.set_element_class_lookup(lookup)
    return parser


class Style(CitationStylesStyle):
    """A CSL style (and its locales) built from this module's element classes. ``static_order``: Vietnamese
    names as written (5.)."""

    def __init__(self, path, locale: str, static_order: bool = False) -> None:
        parser = _parser()
        self.xml = etree.parse(str(path), parser)
        self.root = self.xml.getroot()
        self.root.set_locale_list(locale, validate=False)
        for i, element in enumerate(self.root.locales):  # locale files: parsed again with the same classes
            if element.getroottree().getroot() is not self.root:
                self.root.locales[i] = etree.parse(element.getroottree().docinfo.URL, parser).getroot()
                self.root.locales[i].style = self.root
        if static_order:
            STATIC_ORDER_STYLES.add(self.root)
