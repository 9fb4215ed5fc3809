#!/usr/bin/env bash
# System packages the tests need: Debian's chromium (browser tests), postgresql (SQL path), and
# libreoffice-impress + poppler-utils (the board pack converts to PDF and renders its pages).
# In CI (CI=true) they are installed with apt when missing; elsewhere we only report.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v soffice >/dev/null || missing+=(libreoffice-impress)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "installing ${missing[*]} with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "note: ${missing[*]} not installed; the browser/PostgreSQL/LibreOffice tests will be skipped" \
       "(CI installs them: apt-get install ${missing[*]})"
fi
