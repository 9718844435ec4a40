#!/usr/bin/env bash
# Refresh the vendored pdf.js (soegov/web/static/soegov/pdfjs) from the npm package pdfjs-dist: the page that
# shows a PDF loads it from soegov itself, never from a CDN. Usage: tools/vendor_pdfjs.sh [version]
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-5.6.205}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "pdfjs-dist@$version" >/dev/null && tar xzf pdfjs-dist-*.tgz)
dest=soegov/web/static/soegov/pdfjs
rm -rf "$dest" && mkdir -p "$dest"
cp "$tmp/package/build/pdf.min.mjs" "$tmp/package/build/pdf.worker.min.mjs" "$tmp/package/LICENSE" "$dest/"
cp -r "$tmp/package/cmaps" "$tmp/package/standard_fonts" "$dest/"
echo "pdfjs-dist $version (npm), build/pdf.min.mjs, build/pdf.worker.min.mjs, cmaps/, standard_fonts/; refreshed by tools/vendor_pdfjs.sh" > "$dest/VERSION"
echo "pdf.js $version vendored into $dest"
