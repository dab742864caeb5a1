#include "ui/ManifestDetails.h"

#include "app/RegistryClient.h"

#include <QJsonDocument>

namespace berth::ui {

namespace {

QString prettyJson(const QByteArray& raw)
{
    const QJsonDocument document = QJsonDocument::fromJson(raw);
    return QString::fromUtf8(document.isNull() ? raw : document.toJson(QJsonDocument::Indented));
}

} // namespace

ManifestDetails::ManifestDetails(QObject* parent) : QObject(parent) {}

ManifestDetails::~ManifestDetails() = default;

void ManifestDetails::setRegistry(app::RegistryClient* client)
{
    m_client = client;
    clear();
}

void ManifestDetails::clear()
{
    m_requests.reset();
    m_repository.clear();
    m_reference.clear();
    m_status = {};
    m_manifest = {};
    m_config = {};
    m_layers.clear();
    m_platforms.clear();
    m_referrers.clear();
    m_history.clear();
    Q_EMIT changed();
}

void ManifestDetails::load(const QString& repository, const QString& reference)
{
    // Copied first: the caller may pass what clear() destroys, a child's digest.
    QString loadedRepository = repository;
    QString loadedReference = reference;
    clear();
    if (!m_client)
        return;
    m_repository = std::move(loadedRepository);
    m_reference = std::move(loadedReference);
    m_requests = std::make_unique<QObject>();
    status(Part::Manifest).state = State::Loading;
    m_client->fetchManifest(
        repository, reference, m_requests.get(),
        [this](app::RegistryResult<app::Manifest> result) { onManifest(std::move(result)); });
    Q_EMIT changed();
}

ManifestDetails::State ManifestDetails::state(Part part) const
{
    return status(part).state;
}

QString ManifestDetails::message(Part part) const
{
    return status(part).message;
}

void ManifestDetails::setState(Part part, State state, const QString& message)
{
    status(part) = {state, message};
    Q_EMIT changed();
}

QString ManifestDetails::manifestText() const
{
    return prettyJson(m_manifest.raw);
}

QString ManifestDetails::configText() const
{
    return prettyJson(m_config.raw);
}

void ManifestDetails::onManifest(app::RegistryResult<app::Manifest> result)
{
    if (!result) {
        setState(Part::Manifest, State::Failed,
                 tr("Cannot read %1 of %2: %3").arg(m_reference, m_repository, result.error().message));
        return;
    }
    m_manifest = std::move(result).value();
    if (m_manifest.isIndex) {
        m_platforms.setDescriptors(m_manifest.children);
    } else {
        m_layers.setDescriptors(m_manifest.layers);
        if (!m_manifest.config.digest.isEmpty()) {
            status(Part::Config).state = State::Loading;
            m_client->fetchImageConfig(
                m_repository, m_manifest.config.digest, m_requests.get(),
                [this](app::RegistryResult<app::ImageConfig> config) { onConfig(std::move(config)); });
        }
    }
    status(Part::Referrers).state = State::Loading;
    m_client->fetchReferrers(
        m_repository, m_manifest.digest, m_requests.get(),
        [this](app::RegistryResult<QList<app::Descriptor>> referrers) { onReferrers(std::move(referrers)); });
    setState(Part::Manifest, State::Ready);
}

void ManifestDetails::onConfig(app::RegistryResult<app::ImageConfig> result)
{
    if (!result) {
        setState(Part::Config, State::Failed,
                 tr("Cannot read the image configuration: %1").arg(result.error().message));
        return;
    }
    m_config = std::move(result).value();
    m_history.setHistory(m_config.history, m_manifest.layers);
    setState(Part::Config, State::Ready);
}

void ManifestDetails::onReferrers(app::RegistryResult<QList<app::Descriptor>> result)
{
    if (!result) {
        const bool unsupported = result.error().kind == app::RegistryError::Kind::Unsupported;
        setState(Part::Referrers, unsupported ? State::Unsupported : State::Failed,
                 unsupported ? tr("This registry does not offer the referrers API.")
                             : tr("Cannot list the referrers: %1").arg(result.error().message));
        return;
    }
    m_referrers.setDescriptors(std::move(result).value());
    setState(Part::Referrers, State::Ready);
}

} // namespace berth::ui
