#pragma once
// How the console names a registry by its URL: one normal form, so that the sidebar, the
// keychain and the client agree that "https://Registry.example:443/" and
// "https://registry.example" are the same registry, and the host:port of pull commands.

#include <QString>
#include <QUrl>

namespace berth::app {

// Scheme, host and port (without the scheme's default port) and any path without a trailing
// slash; user info, query and fragment removed.
QUrl normalizedRegistryUrl(const QUrl& url);

// "127.0.0.1:5000", or the host alone when the URL has no explicit port.
QString registryHostAndPort(const QUrl& url);

} // namespace berth::app
