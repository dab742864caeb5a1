#pragma once
// Launches the bundled berthd, confirms it is ready, restarts it with back-off when it
// dies, and stops it when asked or when the console quits. The console's only way to
// control the local registry.

#include "app/LocalServerSettings.h"
#include "app/RestartPolicy.h"
#include "support/Expected.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <chrono>
#include <optional>

namespace berth::app {

class ServerSupervisor : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Stopped,  // not running, on purpose
        Starting, // launched, waiting for berthd's "listening" line
        Running,  // ready at address()
        Crashed,  // died unexpectedly; a restart is scheduled after a back-off
        Failed,   // gave up: repeated crashes in a short window, port in use, no binary, or
                  // berthd refused to start (it exited with an error before it was ready)
    };
    Q_ENUM(State)

    // berthdPath empty: found with locateBerthd().
    explicit ServerSupervisor(LocalServerSettings settings, QString berthdPath = {},
                              QObject* parent = nullptr);
    // Stops berthd gracefully, then forcefully: blocks for at most about 9 seconds.
    ~ServerSupervisor() override;

    // berthd beside this executable, then in ../libexec/berth; empty when neither exists.
    static QString locateBerthd();

    State state() const { return m_state; }
    // host:port the registry listens on once Running, as berthd reports it.
    QString address() const { return m_address; }
    // Where to reach the registry and its admin API once Running (a wildcard listen
    // address is reached through loopback).
    QUrl registryUrl() const;
    QUrl adminUrl() const;
    // Generated for each console run and handed to berthd through its environment.
    QByteArray adminToken() const { return m_adminToken; }
    // Why the server is Crashed or Failed, in words for the user.
    QString failureReason() const { return m_failureReason; }
    // The latest log lines berthd wrote (stdout and stderr), newest last.
    QStringList recentLogLines() const { return m_recentLogLines; }
    const LocalServerSettings& settings() const { return m_settings; }
    // The berthd process's id while one runs, else 0.
    qint64 processId() const;

    // When to restart after a crash and when to give up; takes effect at the next crash.
    void setRestartPolicy(const RestartPolicy& policy) { m_restartPolicy = policy; }
    // How long berthd may take to report that it listens before it counts as crashed.
    void setReadinessTimeout(std::chrono::milliseconds timeout) { m_readinessTimeout = timeout; }

public Q_SLOTS:
    void start();
    void stop();
    void restart();
    // Stores new settings; a server that is not Stopped restarts with them.
    void applySettings(const berth::app::LocalServerSettings& settings);

Q_SIGNALS:
    void stateChanged(berth::app::ServerSupervisor::State state);
    // One line berthd wrote, without its newline (its JSON log lines, or stderr text).
    void logLine(const QByteArray& line);
    // The configured port is taken by another program; the user may pick another.
    void portInUse(quint16 port);

private:
    // What is known about the berthd process currently launched.
    struct Run
    {
        QProcess* process = nullptr;
        QString lastError;               // the latest error berthd reported
        std::optional<quint16> busyPort; // berthd could not listen: the port is taken
        bool busyPortIsAdmin = false;
        bool readinessTimedOut = false;
        bool stopRequested = false;
    };

    void launch();
    // The berthd to run, or why there is none.
    Expected<QString, QString> berthdProgram() const;
    void requestStop();
    void readLines(QProcess::ProcessChannel channel, bool untilEnd = false);
    void handleLine(QByteArray line, QProcess::ProcessChannel channel);
    void remember(const QByteArray& line);
    void processFinished(int exitCode, QProcess::ExitStatus status);
    void processFailedToStart();
    static QString portInUseReason(quint16 port, bool admin);
    QString exitReason(const Run& run, int exitCode, QProcess::ExitStatus status) const;
    void readinessTimedOut();
    void crashed(const QString& reason);
    void fail(const QString& reason);
    void setState(State state);

    LocalServerSettings m_settings;
    QString m_berthdPath;
    QByteArray m_adminToken;
    State m_state = State::Stopped;
    QString m_address;
    QString m_adminAddress;
    QString m_failureReason;
    QStringList m_recentLogLines;
    Run m_run;
    bool m_startAfterStop = false; // restart(): launch again once the current process is gone
    RestartPolicy m_restartPolicy;
    std::chrono::milliseconds m_readinessTimeout{20000};
    QTimer m_readinessTimer;
    QTimer m_restartTimer;
};

} // namespace berth::app
