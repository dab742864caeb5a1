#include "TokenIssuer.h"

#include "CommandRunner.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QUuid>
#include <cstddef>
#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int tokenLifetimeSeconds = 300;
constexpr qsizetype maxRequestSize = qsizetype{64} * 1024;

QByteArray base64Url(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// "repository:team/app:pull,push" -> {"type":"repository","name":"team/app","actions":["pull","push"]}
QJsonObject access(const QString& scope)
{
    const qsizetype first = scope.indexOf(u':');
    const qsizetype last = scope.lastIndexOf(u':');
    if (first < 0 || last <= first)
        return {};
    QJsonArray actions;
    for (const QString& action : scope.mid(last + 1).split(u','))
        actions.append(action);
    return {{"type"_L1, scope.left(first)},
            {"name"_L1, scope.mid(first + 1, last - first - 1)},
            {"actions"_L1, actions}};
}

QByteArray httpResponse(int status, const QByteArray& reason, const QByteArray& body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

struct TokenIssuer::Key
{
    EVP_PKEY* key = nullptr;
    ~Key() { EVP_PKEY_free(key); }
};

TokenIssuer::TokenIssuer(QString username, QString password)
    : m_username(std::move(username)), m_password(std::move(password)), m_key(std::make_unique<Key>())
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server.nextPendingConnection())
            serve(socket);
    });
}

TokenIssuer::~TokenIssuer() = default;

QString TokenIssuer::start()
{
    if (!m_dir.isValid())
        return u"cannot create a temporary directory"_s;
    const QString keyPath = m_dir.filePath(u"key.pem"_s);
    const QString certificatePath = m_dir.filePath(u"certificate.pem"_s);
    const FinishedCommand made =
        runCommand(u"openssl"_s,
                   {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s, keyPath,
                    u"-out"_s, certificatePath, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN="_s + issuer},
                   60000);
    if (!made.succeeded())
        return u"openssl req: "_s + made.describe();

    QFile certificate(certificatePath);
    if (!certificate.open(QIODevice::ReadOnly))
        return u"cannot read "_s + certificatePath;
    m_certificateDer = QSslCertificate(certificate.readAll()).toDer();
    QFile key(keyPath);
    if (!key.open(QIODevice::ReadOnly))
        return u"cannot read "_s + keyPath;
    const QByteArray keyPem = key.readAll();
    BIO* bio = BIO_new_mem_buf(keyPem.constData(), static_cast<int>(keyPem.size()));
    m_key->key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (m_key->key == nullptr || m_certificateDer.isEmpty())
        return u"cannot load the key or certificate that openssl made"_s;

    if (!m_server.listen(QHostAddress::LocalHost))
        return u"cannot listen: "_s + m_server.errorString();
    return {};
}

QUrl TokenIssuer::realm() const
{
    return QUrl(u"http://127.0.0.1:%1/token"_s.arg(m_server.serverPort()));
}

QByteArray TokenIssuer::registryConfig() const
{
    return "auth:\n"
           "  token:\n"
           "    realm: " +
           realm().toEncoded() +
           "\n"
           "    service: " +
           QByteArray(service.data()) +
           "\n"
           "    issuer: " +
           QByteArray(issuer.data()) +
           "\n"
           "    rootcertbundle: " +
           m_dir.filePath(u"certificate.pem"_s).toUtf8() + "\n";
}

void TokenIssuer::serve(QTcpSocket* socket)
{
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
        // Requests are GETs without a body: the head is the whole request.
        const QByteArray buffered = socket->peek(maxRequestSize);
        if (!buffered.contains("\r\n\r\n") && buffered.size() < maxRequestSize)
            return;
        socket->write(answer(socket->readAll()));
        socket->disconnectFromHost();
    });
}

QByteArray TokenIssuer::answer(const QByteArray& request)
{
    const QList<QByteArray> lines = request.left(request.indexOf("\r\n\r\n")).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    const QUrl target = QUrl::fromEncoded(requestLine.value(1));
    QByteArray authorization;
    for (const QByteArray& line : lines) {
        if (line.toLower().startsWith("authorization:"))
            authorization = line.mid(line.indexOf(':') + 1).trimmed();
    }
    const QUrlQuery query(target);
    const QStringList scopes = query.allQueryItemValues(u"scope"_s, QUrl::FullyDecoded);
    m_requestedScopes += scopes;

    const QByteArray expected = "Basic " + (m_username + u':' + m_password).toUtf8().toBase64();
    if (requestLine.value(0) != "GET" || target.path() != "/token"_L1 ||
        query.queryItemValue(u"service"_s) != service)
        return httpResponse(400, "Bad Request", R"({"details":"not a token request for this service"})");
    if (authorization != expected)
        return httpResponse(401, "Unauthorized", R"({"details":"wrong username or password"})");

    ++m_issued;
    const QByteArray jwt = token(m_username, scopes);
    return httpResponse(200, "OK",
                        compact({{"token"_L1, QString::fromLatin1(jwt)},
                                 {"expires_in"_L1, tokenLifetimeSeconds},
                                 {"issued_at"_L1, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}}));
}

QByteArray TokenIssuer::token(const QString& subject, const QStringList& scopes) const
{
    QJsonArray granted;
    for (const QString& scope : scopes)
        granted.append(access(scope));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject header{{"typ"_L1, "JWT"_L1},
                             {"alg"_L1, "RS256"_L1},
                             {"x5c"_L1, QJsonArray{QString::fromLatin1(m_certificateDer.toBase64())}}};
    const QJsonObject claims{{"iss"_L1, issuer},
                             {"sub"_L1, subject},
                             {"aud"_L1, service},
                             {"exp"_L1, now + tokenLifetimeSeconds},
                             {"nbf"_L1, now - 10},
                             {"iat"_L1, now},
                             {"jti"_L1, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                             {"access"_L1, granted}};
    const QByteArray signingInput = base64Url(compact(header)) + '.' + base64Url(compact(claims));

    // A broken signature is the registry's to refuse; the test then sees why.
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    const auto* input = reinterpret_cast<const unsigned char*>(signingInput.constData());
    const auto inputSize = static_cast<std::size_t>(signingInput.size());
    std::size_t length = 0;
    QByteArray signature;
    if (EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, m_key->key) == 1 &&
        EVP_DigestSign(context, nullptr, &length, input, inputSize) == 1) {
        signature.resize(static_cast<qsizetype>(length));
        const bool signedInput = EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()),
                                                &length, input, inputSize) == 1;
        signature.resize(signedInput ? static_cast<qsizetype>(length) : 0);
    }
    EVP_MD_CTX_free(context);
    return signingInput + '.' + base64Url(signature);
}

} // namespace berth::test
