"""MkDocs plugin ``edition-nav-cache`` (an entry point of the package, named in mkdocs.yml, so every site on the
edition's theme loads it by name, wherever it lives): a ``{% cache key %}…{% endcache %}`` tag for the
theme, whose body is rendered once per key in a build. It also gives a site built without the renderer (the
fixture minisite) the interface words the theme reads, from the catalogue of its ``theme.language``
(edition.model.ui; the renderer writes them into build/mkdocs.yml itself). theme/main.html wraps the primary navigation in it for
the pages the navigation does not list (the register's entries, most of the site's pages): for them the
navigation is the same bytes in one folder — no item is active and its links are relative to the folder — and
rendering it was most of the time MkDocs spent writing those pages."""

from __future__ import annotations

from jinja2 import nodes
from jinja2.ext import Extension
from mkdocs.plugins import BasePlugin


class FragmentCache(Extension):
    tags = {"cache"}

    def __init__(self, environment) -> None:
        super().__init__(environment)
        self.fragments: dict[str, str] = {}  # one build: on_env adds a fresh extension

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", [key]), [], [], body).set_lineno(lineno)

    def _render(self, key: str, caller) -> str:
        if key not in self.fragments:
            self.fragments[key] = caller()
        return self.fragments[key]


class NavCachePlugin(BasePlugin):
    def on_config(self, config):
        if "ui" not in config.extra:
            from edition.model import ui

            language = config.theme["language"] if config.theme["language"] in ui.LANGUAGES else ui.DEFAULT
            words = ui.catalogue(language)
            config.extra["ui"], config.extra["ui_scripts"] = words.theme(), words.scripts_json()
        return config

    def on_env(self, env, config, files):
        env.add_extension(FragmentCache)
        return env
