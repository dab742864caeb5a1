#pragma once
// Runs a real registry process for a test: berthd (the binary in $BERTHD) or the
// reference CNCF Distribution (`docker-registry` from Debian), on a free loopback port
// with a fresh storage directory, and stops it when the test is done.

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace berth::test {

class RegistryProcess
{
public:
    enum class Kind { Berthd, Distribution };

    explicit RegistryProcess(Kind kind = Kind::Berthd);
    ~RegistryProcess(); // stops the process
    RegistryProcess(const RegistryProcess&) = delete;
    RegistryProcess& operator=(const RegistryProcess&) = delete;

    // Distribution when BERTH_TEST_REGISTRY=distribution, berthd otherwise.
    static Kind kindFromEnvironment();
    Kind kind() const { return m_kind; }

    // Extra YAML appended to the generated config.yml (top-level keys only, e.g. "log:\n  level: debug\n").
    void setExtraConfig(const QByteArray& yaml) { m_extraConfig = yaml; }
    // Extra YAML inside the generated storage: section, indented as its children (e.g.
    // "  maintenance:\n    readonly:\n      enabled: true\n"); a second storage: key would
    // not merge.
    void setStorageConfig(const QByteArray& yaml) { m_storageConfig = yaml; }
    // Extra YAML inside the generated http: section, indented as its children (e.g.
    // "  secret: a-long-random-string\n").
    void setHttpConfig(const QByteArray& yaml) { m_httpConfig = yaml; }
    // Use an existing storage root instead of a fresh temporary one.
    void setStorageRoot(const QString& path) { m_storageRoot = path; }
    // Sets (or, with a null value, removes) a variable in the process's environment, on top
    // of the test's own; takes effect at the next start().
    void setEnvironmentVariable(const QString& name, const QString& value);

    // Writes config.yml, starts the process and waits until GET /v2/ answers 200 or 401.
    // Returns false (with errorString()) on failure or timeout. Calling it again restarts
    // the process on a new port with the same storage.
    bool start(int timeoutMs = 15000);
    void stop();                 // SIGTERM, then SIGKILL after a grace period
    void kill();                 // SIGKILL at once
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QString hostPort() const;    // "127.0.0.1:PORT"
    QUrl baseUrl() const;        // "http://127.0.0.1:PORT"
    QString storageRoot() const; // the filesystem driver's rootdirectory
    QString configPath() const;
    QByteArray configYaml() const; // what start() writes to configPath()
    QByteArray output() const;   // everything the process printed so far (stdout+stderr)
    QString outputPath() const;  // the file output() reads
    QString errorString() const { return m_error; }
    // The last started process (kept after stop() so its exit status can be read).
    QProcess& process() { return *m_process; }

    // A free TCP port on 127.0.0.1.
    static quint16 freePort();
    // Path of the berthd binary under test ($BERTHD).
    static QString berthdPath();

private:
    Kind m_kind;
    quint16 m_port = 0;
    QByteArray m_extraConfig;
    QByteArray m_storageConfig;
    QByteArray m_httpConfig;
    QString m_storageRoot;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    QString m_error;
    QTemporaryDir m_workDir;
    std::unique_ptr<QProcess> m_process;
};

} // namespace berth::test
