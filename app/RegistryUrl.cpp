#include "app/RegistryUrl.h"

namespace berth::app {

namespace {

int defaultPort(const QString& scheme)
{
    if (scheme == u"https")
        return 443;
    if (scheme == u"http")
        return 80;
    return -1;
}

} // namespace

QUrl normalizedRegistryUrl(const QUrl& url)
{
    QUrl result = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment |
                               QUrl::StripTrailingSlash | QUrl::NormalizePathSegments);
    if (result.path() == u"/")
        result.setPath({}); // StripTrailingSlash keeps a lone "/"
    if (result.port() == defaultPort(result.scheme()))
        result.setPort(-1);
    return result;
}

QString registryHostAndPort(const QUrl& url)
{
    QString host = url.host(QUrl::FullyEncoded);
    if (host.contains(u':'))
        host = u'[' + host + u']'; // IPv6
    return url.port() < 0 ? host : host + u':' + QString::number(url.port());
}

} // namespace berth::app
