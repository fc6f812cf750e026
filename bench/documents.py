#!/usr/bin/env python3
"""Documents read by parafind beside the tool docfd and Recoll use for the same format.

usage: documents.py pdf DIR PARAFIND_EXTRACT [--timeout 20]
       documents.py office DIR PARAFIND_EXTRACT [--timeout 20]

pdf: every *.pdf of DIR through poppler's `pdftotext -enc UTF-8 FILE -` and through
parafind's extractor (`examples/extract.rs`: the text its ingest indexes).
office: every *.docx, *.odt and *.epub of DIR through `pandoc -t plain FILE` and parafind's.

Each run is a subprocess with a per-file time limit and a 4 GiB address-space cap. Speed is
pages (pdfinfo) or documents per second of wall time, a timeout counting as the limit. Word
recall is against the reference tool's text: per document, the multiset of lower-cased \\w+
words (NFKC-folded, soft hyphens dropped, `word-\\n word` joined in both texts); matched =
sum(min(count_parafind, count_reference)); the micro-average is sum(matched) / sum(reference).
Word-pair recall is the same over pairs of words that follow each other (text read in another
order, such as two columns line by line, breaks its pairs).
"""
import argparse, collections, os, re, resource, subprocess, sys, time, unicodedata

ap = argparse.ArgumentParser()
ap.add_argument("kind", choices=["pdf", "office"])
ap.add_argument("dir")
ap.add_argument("extract")
ap.add_argument("--timeout", type=float, default=20.0)
args = ap.parse_args()

if args.kind == "pdf":
    reference = ("pdftotext", lambda f: ["pdftotext", "-enc", "UTF-8", f, "-"])
    suffixes = (".pdf",)
else:
    reference = ("pandoc", lambda f: ["pandoc", "-t", "plain", "--wrap=none", f])
    suffixes = (".docx", ".odt", ".epub")
tools = [reference, ("parafind", lambda f: [args.extract, f])]

def limits():
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

def run(cmd):
    start = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=args.timeout, preexec_fn=limits)
        status, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        status, out, err = "timeout", b"", b""
    wall = min(time.perf_counter() - start, args.timeout)
    return status, wall, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

HYPHEN = re.compile(r"(\w)-[ \t]*\r?\n\s*(\w)")
WORD = re.compile(r"\w+")

def word_list(text):
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = HYPHEN.sub(r"\1\2", text)
    return [w.lower() for w in WORD.findall(text)]

def words(text):
    return collections.Counter(word_list(text))

def pairs(text):
    found = word_list(text)
    return collections.Counter(zip(found, found[1:]))

def pages(f):
    if args.kind != "pdf":
        return 1
    out = subprocess.run(["pdfinfo", f], capture_output=True, timeout=60).stdout.decode("utf-8", "replace")
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0

files = sorted(os.path.join(args.dir, f) for f in os.listdir(args.dir) if f.lower().endswith(suffixes))
rows = []
for i, f in enumerate(files):
    row = {"file": os.path.basename(f), "pages": pages(f)}
    texts = {}
    for name, cmd in tools:
        status, wall, out, err = run(cmd(f))
        texts[name] = out
        row[name] = {"status": status, "wall": wall, "panic": "panicked at" in err, "err": err.strip()[:200]}
    ref = words(texts[reference[0]])
    got = words(texts["parafind"])
    row["ref_words"] = sum(ref.values())
    row["matched"] = sum(min(n, got[w]) for w, n in ref.items())
    ref_pairs = pairs(texts[reference[0]])
    got_pairs = pairs(texts["parafind"])
    row["ref_pairs"] = sum(ref_pairs.values())
    row["matched_pairs"] = sum(min(n, got_pairs[p]) for p, n in ref_pairs.items())
    rows.append(row)
    print(f"[{i + 1}/{len(files)}] {row['file']} " + " ".join(
        f"{n}:{row[n]['status']}/{row[n]['wall']:.2f}s" for n, _ in tools), file=sys.stderr, flush=True)

unit = "pages" if args.kind == "pdf" else "documents"
total = sum(r["pages"] for r in rows)
print(f"{len(rows)} files, {total} {unit}")
print(f"| tool | {unit}/s | failed | timed out | panicked | word recall vs {reference[0]} | word-pair recall | documents under 90% |")
print("|---|---|---|---|---|---|---|---|")
docs = [r for r in rows if r["ref_words"] > 0]
for name, _ in tools:
    wall = sum(r[name]["wall"] for r in rows)
    failed = sum(1 for r in rows if r[name]["status"] not in (0, "timeout"))
    timed_out = sum(1 for r in rows if r[name]["status"] == "timeout")
    panicked = sum(1 for r in rows if r[name]["panic"])
    if name == "parafind":
        recall = sum(r["matched"] for r in docs) / max(1, sum(r["ref_words"] for r in docs))
        pair_recall = sum(r["matched_pairs"] for r in docs) / max(1, sum(r["ref_pairs"] for r in docs))
        under = sum(1 for r in docs if r["matched"] / r["ref_words"] < 0.9)
        quality = f"{recall:.3f} | {pair_recall:.3f} | {under}"
    else:
        quality = "(reference) | (reference) | –"
    print(f"| {name} | {total / max(wall, 1e-9):.1f} | {failed} | {timed_out} | {panicked} | {quality} |")
for name, _ in tools:
    bad = [r for r in rows if r[name]["status"] != 0]
    for r in bad:
        print(f"{name}: {r['file']}: {r[name]['status']} {r[name]['err']}")
worst = sorted(docs, key=lambda r: r["matched"] / r["ref_words"])[:5]
print("lowest parafind recall: " + ", ".join(f"{r['file']} {r['matched'] / r['ref_words']:.2f}" for r in worst))
