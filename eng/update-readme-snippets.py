#!/usr/bin/env python3
"""Copies each snippet region of tests/EventBus.Docs.Tests/Snippets into the blocks of README.md and of each package's
readme (src/*/PACKAGE.md) that name it.

A block preceded by `<!-- snippet: name -->` is replaced by the region `// begin-snippet: name` ...
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

documents = [os.path.join(root, "README.md")] + sorted(
    os.path.join(root, "src", project, "PACKAGE.md")
    for project in os.listdir(os.path.join(root, "src"))
    if os.path.isfile(os.path.join(root, "src", project, "PACKAGE.md")))
missing = []

def replace(match):
    name = match.group(1)
    if name not in snippets:
        missing.append(name)
        return match.group(0)
    return f"<!-- snippet: {name} -->\n```{match.group(2)}\n{snippets[name]}\n```"

for path in documents:
    text = open(path).read()
    text = re.sub(r"<!-- snippet: ([\w-]+) -->\n```(\w+)\n.*?\n```", replace, text, flags=re.S)
    open(path, "w").write(text)
if missing:
    sys.exit("no snippet named: " + ", ".join(missing))
print(f"{len(documents)} documents updated from {len(snippets)} snippets")
