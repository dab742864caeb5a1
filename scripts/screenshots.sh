#!/usr/bin/env bash
# Looks at the console as a user would: builds berthd and the screenshot tour, fills a
# registry with a few repositories pushed by skopeo (single images and a multi-platform
# index), then runs the real main window offscreen on that storage and saves PNGs of the
# main window, a tag's details, the logs and the dialogs into OUTPUT_FOLDER, in English
# and, in OUTPUT_FOLDER/zh_CN, in Simplified Chinese.
#
#   scripts/screenshots.sh OUTPUT_FOLDER      (BUILD_DIR: the build folder, ./build by default)
set -euo pipefail
out="${1:?usage: scripts/screenshots.sh OUTPUT_FOLDER}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

"$root/scripts/install-deps.sh" --tests
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DBERTH_BUILD_TESTS=ON >/dev/null
cmake --build "$build" --target berthd ScreenshotTour

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# --- an OCI image layout, written by hand: blobs/sha256/<hex>, index.json, oci-layout ---

# Stores FILE in LAYOUT's blobs; prints "sha256:<hex> <size>".
add_blob() {
  local layout=$1 file=$2 hex
  hex="$(sha256sum "$file" | cut -d' ' -f1)"
  mkdir -p "$layout/blobs/sha256"
  cp "$file" "$layout/blobs/sha256/$hex"
  echo "sha256:$hex $(stat -c %s "$file")"
}

# A gzipped layer with one file of SIZE_KB random KiB at PATH; prints "digest size diff_id".
add_layer() {
  local layout=$1 path=$2 size_kb=$3 tree tar
  tree="$(mktemp -d "$work/tree.XXXX")"
  mkdir -p "$tree/$(dirname "$path")"
  head -c "${size_kb}K" /dev/urandom >"$tree/$path"
  tar="$tree.tar"
  tar --sort=name --mtime=@0 --owner=0 --group=0 -C "$tree" -cf "$tar" .
  gzip -n -c "$tar" >"$tar.gz"
  echo "$(add_blob "$layout" "$tar.gz") sha256:$(sha256sum "$tar" | cut -d' ' -f1)"
}

# An image for OS/ARCH with a base layer and an app layer; prints "digest size" of its manifest.
add_image() {
  local layout=$1 os=$2 arch=$3 app_kb=$4 command=$5 base app config manifest
  read -r base_digest base_size base_diff < <(add_layer "$layout" "lib/base.so" 2400)
  read -r app_digest app_size app_diff < <(add_layer "$layout" "usr/local/bin/app" "$app_kb")
  config="$work/config.json"
  printf '{"created":"2026-11-20T09:30:00Z","architecture":"%s","os":"%s","config":{"Entrypoint":["/usr/local/bin/app"],"Env":["PATH=/usr/local/bin:/usr/bin"]},"rootfs":{"type":"layers","diff_ids":["%s","%s"]},"history":[{"created":"2026-11-01T08:00:00Z","created_by":"ADD base.tar.gz / # buildkit"},{"created":"2026-11-20T09:30:00Z","created_by":"%s"}]}' \
    "$arch" "$os" "$base_diff" "$app_diff" "$command" >"$config"
  read -r config_digest config_size < <(add_blob "$layout" "$config")
  manifest="$work/manifest.json"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}],"annotations":{"org.opencontainers.image.source":"https://git.example.com/team/app"}}' \
    "$config_digest" "$config_size" "$base_digest" "$base_size" "$app_digest" "$app_size" >"$manifest"
  add_blob "$layout" "$manifest"
}

# Tags DIGEST (of MEDIA_TYPE, SIZE bytes) as TAG in the layout's index.json.
tag_layout() {
  local layout=$1 media_type=$2 digest=$3 size=$4 tag=$5
  echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"%s","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
    "$media_type" "$digest" "$size" "$tag" >"$layout/index.json"
}

# --- a registry to push to, on the storage the console will serve ---

storage="$work/storage"
cat >"$work/config.yml" <<YAML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:0
YAML
"$build/bin/berthd" serve "$work/config.yml" >"$work/berthd.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '"msg":"listening"' "$work/berthd.log" && break
  sleep 0.1
done
address="$(sed -n 's/.*"msg":"listening","addr":"\([^"]*\)".*/\1/p' "$work/berthd.log" | head -1)"
[[ -n "$address" ]] || { cat "$work/berthd.log"; echo "berthd did not start" >&2; exit 1; }

push() { # push LAYOUT TAG REPOSITORY[:TAG] [--all]
  skopeo --insecure-policy copy -q --dest-tls-verify=false "${@:4}" "oci:$1:$2" "docker://$address/$3"
}

# Single-platform images: repository, tags, app size in KiB, build command.
while read -r repository tags app_kb command; do
  for tag in ${tags//,/ }; do
    layout="$work/layout-${repository//\//-}-$tag"
    read -r digest size < <(add_image "$layout" linux amd64 "$app_kb" "${command//_/ }")
    tag_layout "$layout" application/vnd.oci.image.manifest.v1+json "$digest" "$size" "$tag"
    push "$layout" "$tag" "$repository:$tag"
  done
done <<'IMAGES'
team/web 1.0,1.1 5200 COPY_dist/_/usr/share/nginx/html
team/api 2.3.0,2.4.0-rc.1 14800 COPY_--from=build_/out/api_/usr/local/bin/app
library/alpine 3.19,3.20 800 ADD_alpine-minirootfs.tar.gz_/
tools/debug nightly 30500 RUN_apt-get_install_-y_curl_strace_tcpdump
IMAGES

# A multi-platform index: team/web:latest for linux/amd64 and linux/arm64.
layout="$work/layout-web-latest"
read -r amd64_digest amd64_size < <(add_image "$layout" linux amd64 5300 "COPY dist/ /usr/share/nginx/html")
read -r arm64_digest arm64_size < <(add_image "$layout" linux arm64 5100 "COPY dist/ /usr/share/nginx/html")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"os":"linux","architecture":"amd64"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]}' \
  "$amd64_digest" "$amd64_size" "$arm64_digest" "$arm64_size" >"$work/index.json"
read -r index_digest index_size < <(add_blob "$layout" "$work/index.json")
tag_layout "$layout" application/vnd.oci.image.index.v1+json "$index_digest" "$index_size" latest
push "$layout" latest team/web:latest --all

kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

# --- the tour: the real window, offscreen, on that storage ---

for language in en zh_CN; do
  folder="$out"
  [[ "$language" == en ]] || folder="$out/$language"
  QT_QPA_PLATFORM=offscreen BERTHD="$build/bin/berthd" "$build/tests/ui/ScreenshotTour" \
    --storage "$storage" --out "$folder" --language "$language" \
    --repository team/web --tag 1.1 --index-tag latest --registry https://registry.example.com
done
echo "Screenshots are in $out"
