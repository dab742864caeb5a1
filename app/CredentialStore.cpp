#include "app/CredentialStore.h"

#include "app/RegistryUrl.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QPointer>
#include <optional>
#include <qt6keychain/keychain.h>
#include <tuple>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

QString keyFor(const QUrl& registry)
{
    return normalizedRegistryUrl(registry).toString();
}

QString serialized(const Credentials& credentials)
{
    const QJsonObject entry{{"username"_L1, credentials.username}, {"secret"_L1, credentials.secret}};
    return QString::fromUtf8(QJsonDocument(entry).toJson(QJsonDocument::Compact));
}

std::optional<Credentials> deserialized(const QString& text)
{
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject entry = document.object();
    return Credentials{entry.value("username"_L1).toString(), entry.value("secret"_L1).toString()};
}

// The job is started with no parent and deletes itself once it has answered, so that a
// keychain call in flight never outlives its job.
template <class Job> Job* newJob(const QString& service, const QUrl& registry)
{
    auto* job = new Job(service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never plain text on disk
    job->setKey(keyFor(registry));
    return job;
}

// What went wrong, for the user; empty when nothing did (a missing entry is no error).
QString errorText(const QKeychain::Job& job)
{
    switch (job.error()) {
    case QKeychain::NoError:
    case QKeychain::EntryNotFound:
        return {};
    case QKeychain::NoBackendAvailable:
        return CredentialStore::tr("No keychain is available to keep passwords (%1).").arg(job.errorString());
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return CredentialStore::tr("The keychain refused access: %1").arg(job.errorString());
    default:
        return CredentialStore::tr("The keychain failed: %1").arg(job.errorString());
    }
}

// Answers on `context`'s thread once `job` has finished, with what `outcome` reads from the
// job there and then (the job deletes itself afterwards).
template <class Job, class Outcome, class Done>
void answerWhenFinished(Job* job, QObject* context, Outcome outcome, Done done)
{
    QObject::connect(
        job, &QKeychain::Job::finished, job,
        [job, context = QPointer(context), outcome = std::move(outcome), done = std::move(done)] {
            auto answer = [done, result = outcome(*job)] { std::apply(done, result); };
            if (context)
                QMetaObject::invokeMethod(context.data(), answer);
        });
    job->start();
}

} // namespace

CredentialStore::CredentialStore(QString service, QObject* parent)
    : QObject(parent), m_service(std::move(service))
{
}

void CredentialStore::read(const QUrl& registry, QObject* context,
                           std::function<void(Credentials credentials, QString error)> done)
{
    auto* job = newJob<QKeychain::ReadPasswordJob>(m_service, registry);
    const auto outcome = [registry](const QKeychain::ReadPasswordJob& finished) {
        if (QString error = errorText(finished);
            !error.isEmpty() || finished.error() == QKeychain::EntryNotFound)
            return std::tuple(Credentials(), error);
        if (const std::optional<Credentials> credentials = deserialized(finished.textData()))
            return std::tuple(*credentials, QString());
        return std::tuple(Credentials(), tr("The keychain entry for %1 is damaged.").arg(keyFor(registry)));
    };
    answerWhenFinished(job, context, outcome, std::move(done));
}

void CredentialStore::write(const QUrl& registry, const Credentials& credentials, QObject* context,
                            std::function<void(QString error)> done)
{
    auto* job = newJob<QKeychain::WritePasswordJob>(m_service, registry);
    job->setTextData(serialized(credentials));
    answerWhenFinished(
        job, context, [](const QKeychain::Job& finished) { return std::tuple(errorText(finished)); },
        std::move(done));
}

void CredentialStore::remove(const QUrl& registry, QObject* context, std::function<void(QString error)> done)
{
    auto* job = newJob<QKeychain::DeletePasswordJob>(m_service, registry);
    answerWhenFinished(
        job, context, [](const QKeychain::Job& finished) { return std::tuple(errorText(finished)); },
        std::move(done));
}

} // namespace berth::app
