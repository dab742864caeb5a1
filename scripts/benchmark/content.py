"""What the benchmark pushes and serves: fresh blobs no server has seen, small images in OCI
layout directories for skopeo, and large storage roots written directly in Distribution's
on-disk layout (which berthd shares), so both servers start from the very same files."""

import hashlib
import io
import json
import os
import random
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1 << 20
GIB = 1 << 30

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
# What skopeo and podman send when they fetch a manifest.
MANIFEST_ACCEPT = ", ".join([OCI_MANIFEST, "application/vnd.oci.image.index.v1+json",
                             "application/vnd.docker.distribution.manifest.v2+json",
                             "application/vnd.docker.distribution.manifest.list.v2+json"])


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class Blob:
    """A blob on disk, whole or cut into chunk files, and its digest."""
    digest: str
    size: int
    path: Path = None
    chunks: list = field(default_factory=list)


class FreshBytes:
    """Bytes no server has seen, made cheaply: each MiB is a random header followed by a
    slice of a random pool at a random offset, so every blob has a new digest."""

    POOL_SIZE = 16 * MIB
    HEADER_SIZE = 32

    def __init__(self):
        self._pool = os.urandom(self.POOL_SIZE)
        self._random = random.Random(os.urandom(16))

    def _blocks(self, size):
        remaining = size
        while remaining > 0:
            length = min(MIB, remaining)
            offset = self._random.randrange(self.POOL_SIZE - MIB)
            header = os.urandom(min(self.HEADER_SIZE, length))
            yield header + self._pool[offset:offset + length - len(header)]
            remaining -= length

    def write_blob(self, path, size):
        """One file of `size` fresh bytes."""
        sha = hashlib.sha256()
        with open(path, "wb") as out:
            for block in self._blocks(size):
                sha.update(block)
                out.write(block)
        return Blob("sha256:" + sha.hexdigest(), size, path=Path(path))

    def write_chunked_blob(self, directory, size, chunk_size):
        """`size` fresh bytes in files of `chunk_size` (a multiple of a MiB): the PATCH bodies."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        sha = hashlib.sha256()
        blob = Blob("", size)
        blocks = self._blocks(size)
        for start in range(0, size, chunk_size):
            chunk = directory / f"chunk-{start // chunk_size:04d}"
            with open(chunk, "wb") as out:
                written = 0
                while written < min(chunk_size, size - start):
                    block = next(blocks)
                    sha.update(block)
                    out.write(block)
                    written += len(block)
            blob.chunks.append(chunk)
        blob.digest = "sha256:" + sha.hexdigest()
        return blob

    def bytes(self, size):
        return b"".join(self._blocks(size))


def descriptor(media_type, data):
    return {"mediaType": media_type, "digest": digest_of(data), "size": len(data)}


def image_config(layers):
    return json.dumps({"architecture": "amd64", "os": "linux",
                       "rootfs": {"type": "layers", "diff_ids": [digest_of(layer) for layer in layers]}},
                      sort_keys=True).encode()


def image_manifest(config, layers):
    return json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                       "config": descriptor(OCI_CONFIG, config),
                       "layers": [descriptor(OCI_LAYER, layer) for layer in layers]},
                      sort_keys=True).encode()


def tar_layer(fresh, size):
    """An uncompressed tar holding one file of `size` fresh bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        member = tarfile.TarInfo("data.bin")
        member.size = size
        member.mtime = 0
        archive.addfile(member, io.BytesIO(fresh.bytes(size)))
    return buffer.getvalue()


def write_oci_layout(directory, fresh, layer_size, tag="latest"):
    """A one-layer image in an OCI layout directory (skopeo's `oci:` transport)."""
    directory = Path(directory)
    blobs = directory / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    layer = tar_layer(fresh, layer_size)
    config = image_config([layer])
    manifest = image_manifest(config, [layer])
    for data in (layer, config, manifest):
        (blobs / digest_of(data).removeprefix("sha256:")).write_bytes(data)
    (directory / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    entry = descriptor(OCI_MANIFEST, manifest)
    entry["annotations"] = {"org.opencontainers.image.ref.name": tag}
    (directory / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [entry]}))
    return f"oci:{directory}:{tag}"


class DistributionLayout:
    """Writes repositories straight into a storage root, in the layout both servers read:
    docker/registry/v2/blobs/sha256/<xx>/<hex>/data and repositories/<name>/..."""

    def __init__(self, root):
        self._v2 = Path(root) / "docker" / "registry" / "v2"

    @staticmethod
    def _write(path, data):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def _link(self, path, digest):
        self._write(path / "link", digest.encode())

    def blob(self, data):
        digest = digest_of(data)
        hex_digest = digest.removeprefix("sha256:")
        path = self._v2 / "blobs" / "sha256" / hex_digest[:2] / hex_digest / "data"
        if not path.exists():
            self._write(path, data)
        return digest

    def blob_count(self):
        return sum(1 for _ in (self._v2 / "blobs").glob("sha256/*/*/data"))

    def layer_link(self, repository, digest):
        self._link(self._v2 / "repositories" / repository / "_layers" / "sha256" / digest.removeprefix("sha256:"),
                   digest)

    def repository(self, name, config, layers, tags):
        """A repository holding one image (its blobs linked) under every tag in `tags`."""
        self.link_image(name, self.image(config, layers), tags)

    def image(self, config, layers):
        """Stores an image's blobs and manifest: its digests, manifest first, to link into
        any number of repositories."""
        blobs = [self.blob(data) for data in [config, *layers]]
        return [self.blob(image_manifest(config, layers)), *blobs]

    def link_image(self, name, image, tags):
        """Links an image stored by image() into a repository under every tag in `tags`.
        With plain system calls: the console's root holds thousands of images."""
        manifest, *blobs = image
        hex_digest = manifest.removeprefix("sha256:")
        links = [(f"_layers/sha256/{digest.removeprefix('sha256:')}", digest) for digest in blobs]
        links.append((f"_manifests/revisions/sha256/{hex_digest}", manifest))
        for tag in tags:
            links += [(f"_manifests/tags/{tag}/current", manifest),
                      (f"_manifests/tags/{tag}/index/sha256/{hex_digest}", manifest)]
        repository = self._repository_directory(name)
        made = set()
        for directory, digest in links:
            _write_small_file(_make_directories(repository, directory, made) + "/link", digest.encode())

    def tag_manifest_in(self, names, manifest, tag):
        """Repositories that hold only `manifest` (stored) and `tag` on it, its blobs not
        linked: enough for the catalog, the tags list and the manifest. Their link files are
        hard links to one, so that a repository takes 8 inodes and no data page: a tmpfs
        holds 100,000 of them."""
        hex_digest = manifest.removeprefix("sha256:")
        source = None
        for name in names:
            repository = self._repository_directory(name)
            for directory in (f"_manifests/revisions/sha256/{hex_digest}", f"_manifests/tags/{tag}/current"):
                link = _make_directories(repository, directory, set()) + "/link"
                if source is None:
                    _write_small_file(link, manifest.encode())
                    source = link
                else:
                    os.link(source, link)

    def _repository_directory(self, name):
        directory = os.path.join(self._v2, "repositories", name)
        os.makedirs(directory, exist_ok=True)
        return directory


def _make_directories(base, relative, made):
    """Makes the directories of `relative` under `base` one by one, skipping those in `made`
    (and adding them): a mkdir each, where os.makedirs would stat every parent first."""
    path = base
    for part in relative.split("/"):
        path += "/" + part
        if path not in made:
            made.add(path)
            try:
                os.mkdir(path)
            except FileExistsError:
                pass
    return path


def _write_small_file(path, data):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


@dataclass
class LargeRoot:
    """A generated storage root and what a garbage collection must leave of it."""
    path: Path
    repositories: int
    tags_repository: str
    tags: int
    blobs: int
    garbage_blobs: int


def generate_large_root(path, repositories, tags, fresh):
    """`repositories` repositories of one small image each; the first holds `tags` tags.
    Every tenth repository also holds a layer no manifest references (an abandoned push):
    the garbage a collection must delete."""
    layout = DistributionLayout(path)
    config = image_config([])
    garbage = 0
    names = [f"bench/repo-{index:05d}" for index in range(repositories)]
    for index, name in enumerate(names):
        layer = fresh.bytes(256)
        tag_names = [f"v{number:05d}" for number in range(tags)] if index == 0 else ["latest"]
        layout.repository(name, config, [layer], tag_names)
        if index % 10 == 9:
            layout.layer_link(name, layout.blob(fresh.bytes(256)))
            garbage += 1
    return LargeRoot(Path(path), repositories, names[0], tags, layout.blob_count(), garbage)


@dataclass
class ConsoleRoot:
    """A generated storage root for the console's browser: many repositories, one with many tags."""
    path: Path
    repositories: int
    tags_repository: str
    tags: int


def generate_console_root(path, repositories, tags):
    """`repositories` repositories of one small image each, the same one, its blobs not
    linked (the console lists these repositories, it does not open them); the first holds
    `tags` tags, each on a whole image of its own created at its own time, as a repository
    that CI pushes to looks."""
    layout = DistributionLayout(path)
    layer = b"console benchmark layer"
    shared = layout.image(image_config([layer]), [layer])
    names = [f"console/repo-{index:06d}" for index in range(repositories)]
    for number in range(tags):
        config = json.loads(image_config([layer]))
        config["created"] = f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}T{number % 24:02d}:00:00Z"
        image = layout.image(json.dumps(config, sort_keys=True).encode(), [layer])
        layout.link_image(names[0], image, [f"v{number:05d}"])
    layout.tag_manifest_in(names[1:], shared[0], "latest")
    return ConsoleRoot(Path(path), repositories, names[0], tags)
