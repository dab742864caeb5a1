#pragma once
// Everything the details view shows about one manifest, fetched together: the manifest
// (raw, and its layers or, for an index, its platforms), the image config with the history
// of commands that built it, and the referrers (signatures, SBOMs) where the registry has
// the referrers API. Each part loads, fails or turns out unsupported on its own.

#include "app/RegistryTypes.h"
#include "ui/DescriptorModel.h"
#include "ui/HistoryModel.h"

#include <QObject>
#include <QPointer>
#include <array>
#include <memory>

namespace berth::app {
class RegistryClient;
}

namespace berth::ui {

class ManifestDetails : public QObject
{
    Q_OBJECT

public:
    enum class Part
    {
        Manifest,
        Config,
        Referrers,
        Count
    };
    enum class State
    {
        Empty,
        Loading,
        Ready,
        Failed,
        Unsupported
    };

    explicit ManifestDetails(QObject* parent = nullptr);
    ~ManifestDetails() override;

    void setRegistry(app::RegistryClient* client);
    // Drops what was shown and fetches `reference` (a tag or a digest) of `repository`.
    void load(const QString& repository, const QString& reference);
    void clear();

    QString repository() const { return m_repository; }
    QString reference() const { return m_reference; }
    State state(Part part) const;
    // Why a part failed or is unsupported, for the user.
    QString message(Part part) const;

    const app::Manifest& manifest() const { return m_manifest; }
    const app::ImageConfig& config() const { return m_config; }
    // Indented JSON, or the bytes as they came when they are not JSON.
    QString manifestText() const;
    QString configText() const;

    DescriptorModel* layers() { return &m_layers; }
    DescriptorModel* platforms() { return &m_platforms; }
    DescriptorModel* referrers() { return &m_referrers; }
    HistoryModel* history() { return &m_history; }

Q_SIGNALS:
    // A part's state changed; read the parts again.
    void changed();

private:
    struct PartStatus
    {
        State state = State::Empty;
        QString message;
    };

    void onManifest(app::RegistryResult<app::Manifest> result);
    void onConfig(app::RegistryResult<app::ImageConfig> result);
    void onReferrers(app::RegistryResult<QList<app::Descriptor>> result);
    void setState(Part part, State state, const QString& message = {});
    PartStatus& status(Part part) { return m_status.at(static_cast<size_t>(part)); }
    const PartStatus& status(Part part) const { return m_status.at(static_cast<size_t>(part)); }

    QPointer<app::RegistryClient> m_client;
    // The context of the requests for what is shown: deleting it drops their answers.
    std::unique_ptr<QObject> m_requests;
    QString m_repository;
    QString m_reference;
    std::array<PartStatus, static_cast<size_t>(Part::Count)> m_status;
    app::Manifest m_manifest;
    app::ImageConfig m_config;
    DescriptorModel m_layers;
    DescriptorModel m_platforms;
    DescriptorModel m_referrers;
    HistoryModel m_history;
};

} // namespace berth::ui
