"""Generated pages: YAML front matter + Markdown body."""

import yaml


def dump_page(meta: dict, body: str) -> str:
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n{body}\n"
