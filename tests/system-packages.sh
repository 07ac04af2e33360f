#!/usr/bin/env bash
# The Debian packages the test suite needs beyond Python: Chromium for the browser tests,
# Pango for PDF reports, gettext for the translation checks, nginx / redis-server / PostgreSQL's
# server binaries for the ops tests that start their own servers, Tesseract (Indonesian) and
# OCRmyPDF for document text, poppler-utils for PDF pages. `make test` and `.ci/run` call this
# script: as root on Debian it installs what is missing; otherwise it names what is missing
# (the tests that need it then skip locally, saying why; CI never skips them).
set -euo pipefail

missing=()
command -v chromium >/dev/null || missing+=(chromium chromium-driver)
for pkg in libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext tesseract-ocr tesseract-ocr-ind ocrmypdf poppler-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v psql >/dev/null || missing+=(postgresql-client)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v openssl >/dev/null || missing+=(openssl)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages for the tests: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages (tests that need them will skip): ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
fi
