#!/usr/bin/env bash
# Build a real-world PDF collection from Debian TeX Live documentation packages.
# Usage: fetch-pdfs.sh DEST_DIR [MAX_FILES]
# Packages are only downloaded (apt-get download) and unpacked (dpkg-deb -x),
# never installed. Idempotent: existing files in DEST are kept; the .deb cache
# lives in ${PDF_DEB_CACHE:-$TMPDIR/parafind-pdf-debs}. Env MAX_MB (default 20) skips
# larger PDFs; PER_PKG (default 60) caps files per package. Files are flattened as <package>__<path with / -> _>.pdf.
set -euo pipefail
DEST=${1:?usage: fetch-pdfs.sh DEST_DIR [MAX_FILES]}
MAX_FILES=${2:-400}
MAX_MB=${MAX_MB:-20}
PER_PKG=${PER_PKG:-60}   # at most this many PDFs per package (evenly spread over its sorted list)
CACHE=${PDF_DEB_CACHE:-${TMPDIR:-/tmp}/parafind-pdf-debs}
PKGS=${PDF_PKGS:-"texlive-fonts-recommended-doc texlive-latex-base-doc texlive-latex-recommended-doc texlive-science-doc texlive-humanities-doc texlive-metapost-doc texlive-pictures-doc"}
mkdir -p "$DEST" "$CACHE"
count() { find "$DEST" -maxdepth 1 -name '*.pdf' | wc -l; }
for pkg in $PKGS; do
  [ "$(count)" -ge "$MAX_FILES" ] && break
  if ! ls "$CACHE"/${pkg}_*.deb >/dev/null 2>&1; then
    (cd "$CACHE" && apt-get download "$pkg" 2>&1 | grep -v "^W: Download is performed unsandboxed" >&2 || true; ls ${pkg}_*.deb >/dev/null) || { echo "warn: cannot download $pkg" >&2; continue; }
  fi
  deb=$(ls "$CACHE"/${pkg}_*.deb | head -1)
  x="$CACHE/x/$pkg"
  [ -d "$x" ] || { rm -rf "$x.tmp"; mkdir -p "$x.tmp" && dpkg-deb -x "$deb" "$x.tmp" && mv "$x.tmp" "$x"; }
  # candidate list: size-filtered, sorted, then evenly thinned to PER_PKG
  mapfile -d '' all < <(find "$x" -type f -name '*.pdf' -size +1k -size -$((MAX_MB*1024+1))k -print0 | sort -z)
  total=${#all[@]}; [ "$total" -eq 0 ] && continue
  step=$(( (total + PER_PKG - 1) / PER_PKG )); [ "$step" -lt 1 ] && step=1
  for ((i=0; i<total; i+=step)); do
    [ "$(count)" -ge "$MAX_FILES" ] && break
    f=${all[$i]}
    rel=${f#"$x"/usr/share/doc/}
    name="${pkg%-doc}__$(echo "$rel" | tr '/ ' '__')"
    [ -e "$DEST/$name" ] || cp "$f" "$DEST/$name"
  done
done
n=$(count)
echo "PDFs in $DEST: $n ($(du -sh "$DEST" | cut -f1))"
