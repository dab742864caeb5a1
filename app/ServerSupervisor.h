#pragma once
// Launches the bundled berthd, confirms it is ready, restarts it with back-off when it
// dies, and stops it when asked or when the console quits. The console's only way to
// control the local registry.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace berth::app {

// What the user can change about the local registry; applied with a restart.
struct LocalServerSettings
{
    QString listenAddress = QStringLiteral("127.0.0.1");
    quint16 port = 5000;
    quint16 adminPort = 5001;
    QString storageFolder; // empty: <user data dir>/registry
    QString dataFolder;    // where the generated config.yml lives; empty: the user data dir
};

class ServerSupervisor : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Stopped,  // not running, on purpose
        Starting, // launched, waiting for berthd's "listening" line
        Running,  // ready at address()
        Crashed,  // died unexpectedly; a restart is scheduled after a back-off
        Failed,   // gave up: repeated crashes in a short window, port in use, no binary
    };
    Q_ENUM(State)

    // berthdPath empty: found with locateBerthd().
    explicit ServerSupervisor(LocalServerSettings settings, QString berthdPath = {}, QObject* parent = nullptr);
    ~ServerSupervisor() override; // stops berthd gracefully, then forcefully

    // berthd beside this executable, then in ../libexec/berth; empty when neither exists.
    static QString locateBerthd();

    State state() const;
    // host:port the registry listens on once Running.
    QString address() const;
    QUrl registryUrl() const;
    QUrl adminUrl() const;
    // Generated for each console run and handed to berthd through its environment.
    QByteArray adminToken() const;
    // Why the server is Crashed or Failed, in words for the user.
    QString failureReason() const;
    // The latest log lines berthd wrote (stdout and stderr), newest last.
    QStringList recentLogLines() const;
    const LocalServerSettings& settings() const;

public Q_SLOTS:
    void start();
    void stop();
    void restart();
    // Stores new settings and restarts when running.
    void applySettings(const berth::app::LocalServerSettings& settings);

Q_SIGNALS:
    void stateChanged(berth::app::ServerSupervisor::State state);
    // One line berthd wrote, without its newline (its JSON log lines, or stderr text).
    void logLine(const QByteArray& line);
    // The configured port is taken by another program; the user may pick another.
    void portInUse(quint16 port);

private:
    // The implementation's members go here.
};

} // namespace berth::app
