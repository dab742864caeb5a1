#pragma once
// htpasswd entries for tests of HTTP Basic authentication: bcrypt hashes made with
// libxcrypt at a low cost, so tests stay fast, and the header a client sends.

#include <QByteArray>
#include <QString>

namespace berth::test {

// bcrypt ($2b$) of `password` at `cost` (each step doubles the time); empty if libxcrypt fails.
QByteArray bcryptHash(const QByteArray& password, int cost = 5);
// "user:<bcrypt hash>\n", a line of an htpasswd file.
QByteArray htpasswdLine(const QByteArray& user, const QByteArray& password);
// "Basic <base64 of user:password>", the Authorization header's value.
QByteArray basicAuthorization(const QByteArray& user, const QByteArray& password);
// The config.yml section that asks for credentials from the htpasswd file at `path`, for
// RegistryProcess::setExtraConfig.
QByteArray htpasswdConfig(const QByteArray& realm, const QString& path);

} // namespace berth::test
