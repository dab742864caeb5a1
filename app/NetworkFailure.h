#pragma once
// Whether a finished QNetworkReply carries no complete HTTP answer (the connection, a proxy
// or a broken response failed), as opposed to the errors Qt derives from an answer's
// status, which the registry and admin clients read themselves. Shared by RegistryTransport
// and AdminClient, so both tell the two apart the same way.

#include <QNetworkReply>

namespace berth::app {

inline bool isTransferFailure(QNetworkReply::NetworkError error)
{
    return (error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied) ||
           error == QNetworkReply::ProtocolFailure;
}

} // namespace berth::app
