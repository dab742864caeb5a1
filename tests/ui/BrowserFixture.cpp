#include "BrowserFixture.h"

#include "ui/TagModel.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int skopeoTimeoutMs = 120000;

} // namespace

BrowserRegistry::BrowserRegistry(RegistryProcess::Kind kind) : m_process(kind) {}

BrowserRegistry::~BrowserRegistry() = default;

QString BrowserRegistry::start()
{
    if (!m_work.isValid())
        return u"cannot create a temporary directory"_s;
    if (QString error = m_home.setUp(); !error.isEmpty())
        return error;
    if (!m_process.start())
        return name() + u": "_s + m_process.errorString();
    m_client = std::make_unique<app::RegistryClient>(m_process.baseUrl(), &m_network);
    return {};
}

QString BrowserRegistry::push(const Image& image, const QStringList& references)
{
    OciLayout layout(m_work.filePath(QString::number(++m_layoutCount)));
    if (QString error = layout.write(image, u"source"_s); !error.isEmpty())
        return error;
    // One after the other: what is tested is browsing, not concurrent pushes.
    for (const QString& reference : references) {
        if (QString error = copy(layout.reference(u"source"_s), reference, false); !error.isEmpty())
            return error;
    }
    return {};
}

QString BrowserRegistry::push(const ImageIndex& index, const QString& reference)
{
    OciLayout layout(m_work.filePath(QString::number(++m_layoutCount)));
    if (QString error = layout.write(index, u"source"_s); !error.isEmpty())
        return error;
    return copy(layout.reference(u"source"_s), reference, true);
}

QString BrowserRegistry::copy(const QString& source, const QString& reference, bool all)
{
    // --preserve-digests: without it skopeo gzips uncompressed layers on the way up.
    QStringList arguments{u"--registries.d"_s, m_home.filePath(u"registries.d"_s), u"--insecure-policy"_s,
                          u"copy"_s,           u"--dest-tls-verify=false"_s,       u"--preserve-digests"_s};
    if (all)
        arguments.append(u"--all"_s);
    arguments << source << u"docker://"_s + m_process.hostPort() + u'/' + reference;
    const auto process = startClient(u"skopeo"_s, arguments, m_home.environment());
    if (QString error = waitClient(*process, skopeoTimeoutMs); !error.isEmpty())
        return name() + u": "_s + error;
    return {};
}

void addRegistryRows()
{
    QTest::addColumn<RegistryProcess::Kind>("kind");
    QTest::newRow("berthd") << RegistryProcess::Kind::Berthd;
    QTest::newRow("docker-registry") << RegistryProcess::Kind::Distribution;
}

std::unique_ptr<app::RegistryClient> unreachableClient(QNetworkAccessManager* network)
{
    // A port just found free: nothing listens there.
    const QUrl url(u"http://127.0.0.1:%1"_s.arg(RegistryProcess::freePort()));
    return std::make_unique<app::RegistryClient>(url, network);
}

qint64 imageSize(const Image& image)
{
    qint64 size = image.config.bytes.size();
    for (const Blob& layer : image.layers)
        size += layer.bytes.size();
    return size;
}

QDateTime imageCreated(const Image& image)
{
    const QString created = QJsonDocument::fromJson(image.config.bytes)[u"created"_s].toString();
    return QDateTime::fromString(created, Qt::ISODateWithMs);
}

QString digestOf(const Blob& blob)
{
    return QString::fromLatin1(blob.digest());
}

QStringList columnTexts(const QAbstractItemModel& model, int column)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts.append(model.index(row, column).data().toString());
    return texts;
}

bool waitUntilResolved(ui::TagModel& model, int timeoutMs)
{
    model.resolveAll();
    return QTest::qWaitFor([&model] { return model.isResolved(); }, timeoutMs);
}

} // namespace berth::test
