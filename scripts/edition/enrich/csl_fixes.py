"""citeproc-py 0.11 against the CSL 1.0.2 specification, where the edition's three styles meet its gaps.

Each patch makes citeproc-py print what citeproc-js (the processor of Zotero and Mendeley) prints for the
same CSL-JSON and style; tests/test_citeproc_js.py compares the two and lists what still differs, and why.
Imported for its effect by ``edition.enrich.bibliography``.
"""

from __future__ import annotations

import re
import threading

from citeproc import model
from citeproc.source import VariableError

# --- 1. cs:group is suppressed when every variable it calls is empty (CSL 1.0.2 "Group") ----------------
# citeproc-py asks each child whether it *could* call a variable, in any branch of a cs:choose: a branch
# printing only a term (APA's thesis "Publication") kept its group alive ("… (Publication). (n.d.).
# (Publication)"). Count the variables called and rendered while the group's children render, as
# citeproc-js does: only the branches taken count.

_seen = threading.local()


def _count(render):
    def counted(self, *args, **kwargs):
        variable = not isinstance(self, model.Text) or (
            "variable" in self.attrib and self.get("variable") not in self.generated_variables)  # year-suffix …
        if variable:
            _seen.called = getattr(_seen, "called", 0) + 1
        text = render(self, *args, **kwargs)
        if text and variable:
            _seen.rendered = getattr(_seen, "rendered", 0) + 1
        return text
    return counted


for _cls in (model.Text, model.Number, model.Names, model.Date):
    _cls.render = _count(_cls.render)


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


model.Group.process = _group_process

# --- 2. cs:label prints nothing when its variable is empty -----------------------------------------------
# citeproc-py printed the term anyway: Chicago's articles ended in "Edition." (label of an empty edition).

_label_process = model.Label.process


def _label(self, item, variable=None, plural=None, context=None, **kwargs):
    if variable is None and self.get("variable") != "locator" and not _has(item, self.get("variable")):
        return None
    return _label_process(self, item, variable, plural, context, **kwargs)


def _has(item, name: str) -> bool:
    try:
        return bool(item.reference[name.replace("-", "_")])
    except (VariableError, KeyError):
        return False


model.Label.process = _label

# --- 3. initialize="false" (CSL 1.0.1) keeps given names whole ---------------------------------------------
# Chicago sets initialize-with on the style and initialize="false" on the bibliography's names: citeproc-py
# ignored the latter and printed "Nguyen, T. P." for "Nguyen, Thi Phuc".

_get_option = model.Name.get_option


def _name_option(self, name, context=None, sort_options=None):
    if name == "initialize-with" and self.get("initialize") == "false":
        return None
    if name == "delimiter-precedes-last" and getattr(_seen, "literal_pair", False):
        return "never"  # see 5.
    return _get_option(self, name, context, sort_options)


model.Name.get_option = _name_option

# --- 4. Title case: citeproc-js's list of words kept lower case (CSL.SKIP_WORDS, single words) ---------------
# Chicago title-cases English titles; citeproc-py's shorter list capitalised "Between", "Against" …

model.TextCased._stop_words = sorted(set(model.TextCased._stop_words) | {
    "about", "above", "across", "after", "against", "along", "amid", "among", "around", "before", "behind",
    "below", "beneath", "beside", "besides", "between", "beyond", "circa", "despite", "during", "except",
    "inside", "like", "near", "off", "out", "per", "since", "than", "through", "throughout", "toward",
    "towards", "under", "underneath", "until", "unto", "upon", "versus", "within", "without"})

# --- 5. Vietnamese names in Vietnamese order --------------------------------------------------------------
# citeproc-js prints the names of an item whose language is Vietnamese as written, family name first and
# never inverted or initialised ("static ordering": "Trần Ngọc Dũng"). The Vietnamese thesis style and
# Chicago follow it; APA does not (APA 7 inverts and initialises every personal name: "Trần, N. D."), so the
# styles that want it are named in ``STATIC_ORDER_STYLES`` by their root element.

STATIC_ORDER_STYLES: set = set()
_name_process = model.Name.process


def _static_order(self, item, variable, context=None, sort_options=None, **kwargs):
    names = item.reference.get(variable, [])
    # citeproc-js puts no delimiter before "and"/"&" between two institutional (literal) names
    _seen.literal_pair = len(names) == 2 and all("literal" in n for n in names)
    static = (self.getroottree().getroot() in STATIC_ORDER_STYLES and not sort_options
              and str(item.reference.get("language", "") or "").startswith("vi")
              and self.get_option("form", context, sort_options) == "long")
    if not static:
        return _name_process(self, item, variable, context, sort_options, **kwargs)
    whole = [type(n)(literal=" ".join(p for p in (n.get("family"), n.get("given")) if p)) if "literal" not in n
             else n for n in names]
    item.reference[variable] = whole
    try:
        return _name_process(self, item, variable, context, sort_options, **kwargs)
    finally:
        item.reference[variable] = names


model.Name.process = _static_order

# --- 6. A substituted name variable is not printed again (CSL 1.0.2 "Substitute") ---------------------------
# citeproc-py represses substituted variables only for cs:text: an edited book printed its editor twice
# ("Nguyễn Đình Bin (ed.). (2002). Ngoại giao … (Nguyễn Đình Bin, ed.)").

_names_process = model.Names.process


def _names(self, item, names_context=None, context=None, **kwargs):
    layout = (context if context is not None else self).get_layout()
    repressed = " ".join(v for v in layout.repressed.get(self.tag, []) if v).split()  # "editor translator"
    hidden = {r: item.reference[r] for r in self.get("variable").split() if r in repressed and r in item.reference}
    for role in hidden:
        del item.reference[role]
    try:
        return _names_process(self, item, names_context, context, **kwargs)
    finally:
        item.reference.update(hidden)


model.Names.process = _names

# --- 7. Terms take the style's text-case whatever the item's language ---------------------------------------
# citeproc-py skipped text-case on a label of a non-English item: APA's "(Eds.)" printed "(eds.)".

def _label_markup(self, text):
    if not text:
        return None
    language = (self.get_root().get("default-locale") or "en")[:2]
    return self.wrap(self.format(self.case(self.strip_periods(text), language)))


model.Label.markup = _label_markup

# --- 8. "No. 01/2025" is one issue number: a slash is no list or range separator (citeproc-js) --------------

model.Label.RE_MULTIPLE_NUMBERS = re.compile(r"\d+\s*(?:[-–,&]|and)\s*\d+")

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
