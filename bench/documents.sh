#!/usr/bin/env bash
# Documents (#18): parafind's PDF reader beside poppler's pdftotext, and its DOCX/ODT/EPUB
# readers beside pandoc, the tools docfd and Recoll use, on real collections:
#   - PDF: the TeX Live documentation PDFs of Debian's packages (bench/fetch-pdfs.sh);
#   - DOCX/ODT/EPUB: made by pandoc from 100 Markdown and HTML documents of the bench corpus
#     and /usr/share/doc.
# Per file (bench/documents.py): speed, failures, timeouts, panics, word recall against the
# reference tool's text. Then whole ingests of each collection (pages or documents per second).
#
# usage: bench/documents.sh [PDF_DIR] [OFFICE_DIR]   (defaults under bench-data/)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
pdfs=${1:-${BENCH_DATA:-../bench-data}/pdfs}
office=${2:-${BENCH_DATA:-../bench-data}/office}
for tool in pdftotext:poppler-utils pandoc:pandoc; do
  command -v "${tool%%:*}" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tool#*:}" >/dev/null
done
[ "$(find "$pdfs" -maxdepth 1 -name '*.pdf' 2>/dev/null | wc -l)" -ge 200 ] || bench/fetch-pdfs.sh "$pdfs" 350
if [ "$(find "$office" -maxdepth 1 -name '*.docx' 2>/dev/null | wc -l)" -lt 50 ]; then
  # 100 Markdown and HTML documents (4-200 KB) from the bench corpus and /usr/share/doc, each
  # made into DOCX, ODT and EPUB by pandoc.
  mkdir -p "$office"
  n=0
  sources=("${BENCH_DATA:-../bench-data}/corpus-large" /usr/share/doc)
  while IFS= read -r -d '' source && [ "$n" -lt 100 ]; do
    name=$(echo "$source" | tr '/ ' '__'); name=${name%.*}
    from=markdown; [[ $source == *.html ]] && from=html
    made=0
    for ext in docx odt epub; do
      if timeout 60 pandoc -f "$from" "$source" -o "$office/$name.$ext" 2>/dev/null; then
        made=1
      else
        rm -f "$office/$name.$ext"
      fi
    done
    n=$((n + made))
  done < <(find "${sources[@]}" \( -name '*.md' -o -name '*.html' \) -size +4k -size -200k -print0 2>/dev/null | sort -z | awk 'BEGIN{RS="\0"; ORS="\0"} NR % 7 == 0')
fi
# One build for both: building the binary alone resolves features without the dev-dependencies
# and would build pdf_oxide a second time.
cargo build --release --quiet --bin parafind --example extract
binary=${PARAFIND:-$PWD/target/release/parafind}
extract=$PWD/target/release/examples/extract
echo "## PDF: $(find "$pdfs" -maxdepth 1 -name '*.pdf' | wc -l) files ($(du -sh "$pdfs" | cut -f1))"
python3 bench/documents.py pdf "$pdfs" "$extract" 2>/dev/null
echo "## DOCX, ODT, EPUB: $(find "$office" -maxdepth 1 -type f | wc -l) files"
python3 bench/documents.py office "$office" "$extract" 2>/dev/null
for dir in "$pdfs" "$office"; do
  for jobs in 1 2; do
    index=$(mktemp -d)
    /usr/bin/time -o "$index.time" -f "%e s, %M KB peak" \
      "$binary" ingest "$dir" --index "$index" -j "$jobs" >/dev/null 2>&1 || true
    echo "ingest $dir -j $jobs: $(cat "$index.time"), $("$binary" stats --index "$index" | grep -i paragraphs | head -1)"
    rm -rf "$index" "$index.time"
  done
done
