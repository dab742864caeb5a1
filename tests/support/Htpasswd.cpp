#include "Htpasswd.h"

#include <QStringBuilder>
#include <crypt.h>
#include <memory>

namespace berth::test {

QByteArray bcryptHash(const QByteArray& password, int cost)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, salt, sizeof salt))
        return {};
    auto data = std::make_unique<crypt_data>();
    const char* hash = crypt_rn(password.constData(), salt, data.get(), sizeof(crypt_data));
    return hash && hash[0] != '*' ? QByteArray(hash) : QByteArray();
}

QByteArray htpasswdLine(const QByteArray& user, const QByteArray& password)
{
    return user + ':' + bcryptHash(password) + '\n';
}

QByteArray basicAuthorization(const QByteArray& user, const QByteArray& password)
{
    return "Basic " + QByteArray(user + ':' + password).toBase64();
}

QByteArray htpasswdConfig(const QByteArray& realm, const QString& path)
{
    return "auth:\n  htpasswd:\n    realm: " + realm + "\n    path: \"" + path.toUtf8() + "\"\n";
}

} // namespace berth::test
