#!/usr/bin/env bash
# Do hits point to the right place? Ingests two real collections, then checks every paragraph
# parafind stored against its file:
#   - HTML: the Python 3.11 documentation (Debian's python3.11-doc, /usr/share/doc/python3.11/html)
#   - Markdown: the Node.js API documentation (Debian's nodejs-doc, its api/*.md.gz, unpacked)
# For each paragraph (`parafind show --json FILE`, every file `parafind list --json` names):
#   - `line` is the line of `byte_offset` in the file;
#   - Markdown (and the plain text beside the HTML): the file holds the paragraph's text at
#     `byte_offset`, byte for byte;
#   - HTML: the paragraph's first word is in the element that starts at `byte_offset` (the
#     file from there to the next paragraph's start, tags removed, entities decoded, whitespace
#     left out);
#   - paragraphs are in file order (offsets never go back).
# It also counts the paragraphs with page furniture ("Report a Bug") or permalink marks (¶).
#
#   bench/locations.sh        (PARAFIND=/path/to/parafind skips the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
html=/usr/share/doc/python3.11/html
node=/usr/share/doc/nodejs/api
if [ ! -d "$html" ] || [ ! -d "$node" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-doc nodejs-doc
fi
if [ -z "${PARAFIND:-}" ]; then
  cargo build --release --quiet
  PARAFIND=$PWD/target/release/parafind
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/md"
for f in "$node"/*.md.gz; do
  gunzip -c "$f" > "$work/md/$(basename "$f" .gz)"
done
for set in html md; do
  root=$html
  [ "$set" = md ] && root=$work/md
  start=$(date +%s.%N)
  "$PARAFIND" --index "$work/index-$set" ingest -j 2 "$root" 2> "$work/ingest-$set.log"
  end=$(date +%s.%N)
  echo "$set: $(tail -1 "$work/ingest-$set.log") (wall $(echo "$end - $start" | bc) s)"
  "$PARAFIND" --index "$work/index-$set" list --json > "$work/list-$set.jsonl"
  python3 - "$work/list-$set.jsonl" > "$work/files-$set.txt" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    record = json.loads(line)
    if record.get("type") == "indexed_file":
        print(record["path"])
PY
  while IFS= read -r file; do
    "$PARAFIND" --index "$work/index-$set" show --json "$file"
  done < "$work/files-$set.txt" > "$work/paragraphs-$set.jsonl"
done
python3 - "$work/paragraphs-html.jsonl" "$work/paragraphs-md.jsonl" <<'PY'
import html, json, re, sys
from collections import defaultdict

TAG = re.compile(r"<[^>]*>")

def records(path):
    by_file = defaultdict(list)
    for line in open(path):
        record = json.loads(line)
        if record.get("type") == "paragraph":
            by_file[record["path"]].append(record)
    return by_file

def check(path, want_html):
    files = {name: paragraphs for name, paragraphs in records(path).items()
             if name.endswith((".html", ".htm")) == want_html}
    is_html = want_html
    counts = defaultdict(int)
    examples = []
    furniture = []
    for name, paragraphs in files.items():
        data = open(name, "rb").read()
        paragraphs.sort(key=lambda r: r["paragraph"])
        previous = 0
        for i, p in enumerate(paragraphs):
            counts["paragraphs"] += 1
            at = p["byte_offset"]
            text = p["text"]
            ok_line = data[:at].count(b"\n") + 1 == p["line"]
            if is_html:
                end = next((q["byte_offset"] for q in paragraphs[i + 1:] if q["byte_offset"] > at),
                           min(len(data), at + 4 * len(text.encode()) + 4096))
                # Inline tags split words ("<span>f</span>(x)" shows "f(x)"): compare without
                # tags and without whitespace.
                shown = html.unescape(TAG.sub("", data[at:end].decode("utf-8", "replace")))
                first = text.split()[0] if text.split() else ""
                ok_text = first in "".join(shown.split())
            else:
                ok_text = data[at:at + len(text.encode())] == text.encode()
            ok_order = at >= previous
            previous = at
            counts["line right"] += ok_line
            counts["text at offset"] += ok_text
            counts["in order"] += ok_order
            if ok_line and ok_text and ok_order:
                counts["all right"] += 1
            elif len(examples) < 5:
                examples.append((name, p["paragraph"], p["line"], at, text[:60]))
            if "report a bug" in text.lower():
                counts["'report a bug'"] += 1
                furniture.append((name, p["paragraph"], text[:60]))
            counts["'¶'"] += "¶" in text
    print(("HTML" if is_html else "Other (text at offset checked byte for byte)")
          + f": {len(files)} files")
    for key in ["paragraphs", "line right", "text at offset", "in order", "all right",
                "'report a bug'", "'¶'"]:
        print(f"  {key:>16}: {counts[key]}")
    for example in examples:
        print("  wrong:", example)
    for example in furniture[:5]:
        print("  'report a bug' in:", example)

# The HTML set also holds Sphinx's reStructuredText sources (_sources/*.txt), plain text.
check(sys.argv[1], True)
check(sys.argv[1], False)
check(sys.argv[2], False)
PY
