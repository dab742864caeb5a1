#pragma once
// One challenge of a WWW-Authenticate header (RFC 9110, section 11.6.1): how a registry's
// 401 asks to be authenticated, e.g.
//   Bearer realm="https://auth.example/token",service="registry",scope="repository:app:pull"
// A header may hold several challenges; parameters and token68 forms are both read.

#include <QByteArrayView>
#include <QList>
#include <QMap>
#include <QString>

namespace berth::app {

struct AuthChallenge
{
    QString scheme;                    // lower case: "basic", "bearer", ...
    QMap<QString, QString> parameters; // names in lower case, values unquoted
    QString token68;                   // for schemes that send one instead of parameters

    bool isBasic() const { return scheme == u"basic"; }
    bool isBearer() const { return scheme == u"bearer"; }
    // The parameter's value (name in any case), empty without one.
    QString parameter(const QString& name) const { return parameters.value(name.toLower()); }

    // Every challenge in `header`, in order; empty when the header is malformed.
    static QList<AuthChallenge> parse(QByteArrayView header);
};

} // namespace berth::app
