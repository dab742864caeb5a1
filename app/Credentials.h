#pragma once
// What the console signs in to a registry with: a username and a password or identity
// token. Kept in the keychain by CredentialStore, handed to RegistryClient.

#include <QString>

namespace berth::app {

struct Credentials
{
    QString username;
    QString secret; // password or identity token
    bool isEmpty() const { return username.isEmpty() && secret.isEmpty(); }
    friend bool operator==(const Credentials&, const Credentials&) = default;
};

} // namespace berth::app
