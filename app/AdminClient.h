#pragma once
// Talks to one berthd's admin API (/admin/v1/...: README.md, "Admin API") with its bearer
// token: server information, storage statistics and their history, garbage collection
// and retention jobs, retention rules and their preview. Everything is asynchronous, with
// RegistryClient's contract and its RegistryErrors in words a person understands.

#include "app/AdminTypes.h"
#include "app/RegistryTypes.h"

#include <QByteArray>
#include <QObject>
#include <QUrl>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace berth::app {

struct AdminRequest;
struct AdminResponse;

class AdminClient : public QObject
{
    Q_OBJECT

public:
    template <class T> using Callback = std::function<void(RegistryResult<T>)>;

    // adminUrl: scheme, host and port of the admin listener ("http://127.0.0.1:5001");
    // /admin/v1/ is added. `network` must outlive the client.
    AdminClient(const QUrl& adminUrl, QByteArray token, QNetworkAccessManager* network,
                QObject* parent = nullptr);
    ~AdminClient() override;

    QUrl adminUrl() const { return m_adminUrl; }
    // How long a transfer may stall before it fails as timed out (30 s unless set).
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // Every call answers exactly once, on the thread of `context` and never from inside the
    // call, unless `context` is destroyed first (then never). Requests still running when the
    // client is destroyed are aborted and answer Kind::Cancelled. A part of the API the
    // server does not have answers Kind::Unsupported.
    void info(QObject* context, Callback<AdminInfo> done);
    void storage(QObject* context, Callback<StorageReport> done);
    // The images of `repository`, largest first. An unknown repository answers
    // Kind::NotFound; a berthd that does not count images, Kind::Unsupported.
    void repositoryImages(const QString& repository, QObject* context, Callback<RepositoryImages> done);
    // Samples taken at or after `since` (every one when invalid).
    void storageHistory(const QDateTime& since, QObject* context, Callback<StorageHistory> done);

    // Starts a garbage collection in the background; answers its id.
    void startCollection(const CollectionOptions& options, QObject* context, Callback<QString> done);
    void collection(const QString& id, QObject* context, Callback<CollectionJob> done);
    // The job stops at its next item; follow it with collection() until it says so.
    void cancelCollection(const QString& id, QObject* context, Callback<void> done);

    void retentionRules(QObject* context, Callback<RetentionSettings> done);
    // Stores `rules`, and how often they run by themselves (0: never; nullopt: as it is), on
    // the server, where they win over config.yml's; answers them as stored. Rules the server
    // finds invalid answer an error naming the field.
    void setRetentionRules(const RetentionRules& rules, std::optional<std::chrono::seconds> schedule,
                           QObject* context, Callback<RetentionSettings> done);
    // Starts working out what `rules` (the rules in force when nullopt) would delete now and
    // what they keep, in the background; answers the job's id. Invalid rules answer an
    // error naming the field.
    void startRetentionPreview(const std::optional<RetentionRules>& rules, QObject* context,
                               Callback<QString> done);
    void retentionPreview(const QString& id, QObject* context, Callback<RetentionPreviewJob> done);
    void cancelRetentionPreview(const QString& id, QObject* context, Callback<void> done);
    // Runs the rules in force in the background; answers the job's id.
    void startRetentionRun(QObject* context, Callback<QString> done);
    void retentionRun(const QString& id, QObject* context, Callback<RetentionJob> done);
    void cancelRetentionRun(const QString& id, QObject* context, Callback<void> done);

private:
    struct Exchange;
    template <class T> using Interpreter = std::function<RegistryResult<T>(const AdminResponse&)>;

    template <class T>
    void send(const AdminRequest& request, QObject* context, Callback<T> done, Interpreter<T> interpret);
    void startJob(const AdminRequest& request, QObject* context, Callback<QString> done);
    // DELETE of the job at `jobs`/`id`.
    void cancelJob(const QString& jobs, const QString& id, QObject* context, Callback<void> done);
    void finish(QNetworkReply* reply);
    void abortAll();

    QUrl m_adminUrl;
    QByteArray m_token;
    QNetworkAccessManager* m_network;
    std::chrono::milliseconds m_timeout{30000};
    std::vector<std::unique_ptr<Exchange>> m_exchanges;
};

} // namespace berth::app
