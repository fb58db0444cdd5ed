#!/usr/bin/env python3
"""Copies each snippet region of tests/EventBus.Docs.Tests/Snippets into the README block that names it.

A README block preceded by `<!-- snippet: name -->` is replaced by the region `// begin-snippet: name` ...
`// end-snippet` (common indentation removed), or by the whole file `name.json`. The docs tests check the same rule,
so run this after editing a snippet: python3 eng/update-readme-snippets.py
"""
import os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
folder = os.path.join(root, "tests", "EventBus.Docs.Tests", "Snippets")
snippets = {}
for name in os.listdir(folder):
    text = open(os.path.join(folder, name)).read().replace("\r\n", "\n")
    if name.endswith(".json"):
        snippets[name[:-5]] = text.rstrip("\n")
        continue
    for match in re.finditer(r"^[ \t]*// begin-snippet: ([\w-]+)[ \t]*\n(.*?)^[ \t]*// end-snippet[ \t]*$", text, re.S | re.M):
        lines = match.group(2).rstrip("\n").split("\n")
        indent = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
        snippets[match.group(1)] = "\n".join(l[indent:] if len(l) >= indent else l.lstrip() for l in lines)

readme_path = os.path.join(root, "README.md")
readme = open(readme_path).read()
missing = []

def replace(match):
    name = match.group(1)
    if name not in snippets:
        missing.append(name)
        return match.group(0)
    return f"<!-- snippet: {name} -->\n```{match.group(2)}\n{snippets[name]}\n```"

readme = re.sub(r"<!-- snippet: ([\w-]+) -->\n```(\w+)\n.*?\n```", replace, readme, flags=re.S)
open(readme_path, "w").write(readme)
if missing:
    sys.exit("no snippet named: " + ", ".join(missing))
print(f"README blocks updated from {len(snippets)} snippets")
