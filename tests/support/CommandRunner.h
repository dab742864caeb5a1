#pragma once
// Runs a command line program to completion for a test (berthd's commands, the reference
// registry's, cp) and keeps what it printed.

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace berth::test {

// How a command run to completion ended.
struct FinishedCommand
{
    bool exited = false; // false when it crashed or had to be killed
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 elapsedMs = 0;

    bool succeeded() const { return exited && exitCode == 0; }
    QString describe() const;
};

// Runs `program` with standard input from /dev/null; kills it after `timeoutMs`.
FinishedCommand runCommand(const QString& program, const QStringList& arguments, int timeoutMs);

} // namespace berth::test
