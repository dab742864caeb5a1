#include "CommandRunner.h"

#include <QElapsedTimer>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace berth::test {

QString FinishedCommand::describe() const
{
    // The end of the output is where the reason usually is.
    return u"exited=%1 code=%2 after %3 ms\nstdout: %4\nstderr: %5"_s.arg(exited)
        .arg(exitCode)
        .arg(elapsedMs)
        .arg(QString::fromUtf8(out.right(4000)), QString::fromUtf8(err.right(4000)));
}

FinishedCommand runCommand(const QString& program, const QStringList& arguments, int timeoutMs)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    FinishedCommand result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
    } else {
        result.exited = process.exitStatus() == QProcess::NormalExit;
        result.exitCode = process.exitCode();
    }
    result.elapsedMs = timer.elapsed();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace berth::test
