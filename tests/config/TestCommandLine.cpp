#include "config/CommandLine.h"
#include "config/Config.h"

#include <QTest>

using namespace berth::config;

Q_DECLARE_METATYPE(berth::config::Command)

namespace {

std::vector<std::string> toArguments(const QByteArrayList& list)
{
    std::vector<std::string> arguments;
    for (const auto& argument : list)
        arguments.push_back(argument.toStdString());
    return arguments;
}

QByteArray bytes(std::string_view text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void parsesCommands_data();
    void parsesCommands();
    void rejectsWithAHint_data();
    void rejectsWithAHint();
    void skipsProgramName();
    void helpTextCoversCommandsKeysAndVariables();
};

void TestCommandLine::parsesCommands_data()
{
    QTest::addColumn<QByteArrayList>("arguments");
    QTest::addColumn<Command>("expected");

    QTest::newRow("serve") << QByteArrayList{"serve"} << Command(ServeCommand{});
    QTest::newRow("serve config") << QByteArrayList{"serve", "/etc/berth/config.yml"}
                                  << Command(ServeCommand{"/etc/berth/config.yml", false});
    QTest::newRow("serve for the console") << QByteArrayList{"serve", "--exit-on-stdin-close", "config.yml"}
                                           << Command(ServeCommand{"config.yml", true});
    QTest::newRow("option after path") << QByteArrayList{"serve", "config.yml", "--exit-on-stdin-close"}
                                       << Command(ServeCommand{"config.yml", true});
    QTest::newRow("option without path")
        << QByteArrayList{"serve", "--exit-on-stdin-close"} << Command(ServeCommand{std::nullopt, true});
    QTest::newRow("path after --") << QByteArrayList{"serve", "--", "--odd.yml"}
                                   << Command(ServeCommand{"--odd.yml", false});
    QTest::newRow("help after --") << QByteArrayList{"serve", "--", "--help"}
                                   << Command(ServeCommand{"--help", false});
    QTest::newRow("config check") << QByteArrayList{"config", "check", "config.yml"}
                                  << Command(ConfigCheckCommand{"config.yml"});
    QTest::newRow("garbage-collect") << QByteArrayList{"garbage-collect", "config.yml"}
                                     << Command(GarbageCollectCommand{"config.yml", false, false});
    QTest::newRow("gc --dry-run") << QByteArrayList{"garbage-collect", "--dry-run", "config.yml"}
                                  << Command(GarbageCollectCommand{"config.yml", true, false});
    QTest::newRow("gc -d") << QByteArrayList{"garbage-collect", "config.yml", "-d"}
                           << Command(GarbageCollectCommand{"config.yml", true, false});
    QTest::newRow("gc --delete-untagged")
        << QByteArrayList{"garbage-collect", "config.yml", "--delete-untagged"}
        << Command(GarbageCollectCommand{"config.yml", false, true});
    QTest::newRow("gc -m -d") << QByteArrayList{"garbage-collect", "-m", "-d", "config.yml"}
                              << Command(GarbageCollectCommand{"config.yml", true, true});
    QTest::newRow("version") << QByteArrayList{"version"} << Command(VersionCommand{});
    QTest::newRow("--version") << QByteArrayList{"--version"} << Command(VersionCommand{});
    QTest::newRow("-v") << QByteArrayList{"-v"} << Command(VersionCommand{});
    QTest::newRow("help") << QByteArrayList{"help"} << Command(HelpCommand{});
    QTest::newRow("--help") << QByteArrayList{"--help"} << Command(HelpCommand{});
    QTest::newRow("-h") << QByteArrayList{"-h"} << Command(HelpCommand{});
    QTest::newRow("serve --help") << QByteArrayList{"serve", "config.yml", "--help"}
                                  << Command(HelpCommand{});
    QTest::newRow("gc -h") << QByteArrayList{"garbage-collect", "-h"} << Command(HelpCommand{});
    QTest::newRow("help beats typos") << QByteArrayList{"srve", "--help"} << Command(HelpCommand{});
}

void TestCommandLine::parsesCommands()
{
    QFETCH(QByteArrayList, arguments);
    QFETCH(Command, expected);

    const auto result = parseCommandLine(toArguments(arguments));
    QVERIFY2(result, result ? "" : result.error().message.c_str());
    QVERIFY(*result == expected);
}

void TestCommandLine::rejectsWithAHint_data()
{
    QTest::addColumn<QByteArrayList>("arguments");
    QTest::addColumn<QByteArray>("problem");
    QTest::addColumn<QByteArray>("hint");

    QTest::newRow("nothing") << QByteArrayList{} << QByteArray("no command given")
                             << QByteArray("run \"berthd serve\"");
    QTest::newRow("typo") << QByteArrayList{"srve"} << QByteArray("unknown command \"srve\"")
                          << QByteArray("did you mean serve?");
    QTest::newRow("unknown command") << QByteArrayList{"frobnicate"}
                                     << QByteArray("unknown command \"frobnicate\"")
                                     << QByteArray("run \"berthd --help\"");
    QTest::newRow("unknown option") << QByteArrayList{"--verison"}
                                    << QByteArray("unknown option \"--verison\"")
                                    << QByteArray("did you mean --version?");
    QTest::newRow("two configs") << QByteArrayList{"serve", "a.yml", "b.yml"}
                                 << QByteArray("unexpected argument \"b.yml\" for berthd serve")
                                 << QByteArray("run \"berthd serve [CONFIG]\"");
    QTest::newRow("serve option typo")
        << QByteArrayList{"serve", "--exit-on-stdin-closed"}
        << QByteArray("unknown option \"--exit-on-stdin-closed\" for berthd serve")
        << QByteArray("did you mean --exit-on-stdin-close?");
    QTest::newRow("gc option of serve")
        << QByteArrayList{"serve", "--dry-run"} << QByteArray("unknown option \"--dry-run\" for berthd serve")
        << QByteArray("run \"berthd --help\"");
    QTest::newRow("config alone") << QByteArrayList{"config"} << QByteArray("needs a subcommand")
                                  << QByteArray("run \"berthd config check FILE\"");
    QTest::newRow("config typo") << QByteArrayList{"config", "chek", "a.yml"}
                                 << QByteArray("unknown subcommand \"chek\" for berthd config")
                                 << QByteArray("did you mean check?");
    QTest::newRow("config check alone")
        << QByteArrayList{"config", "check"} << QByteArray("needs the config file")
        << QByteArray("run \"berthd config check FILE\"");
    QTest::newRow("config check two") << QByteArrayList{"config", "check", "a.yml", "b.yml"}
                                      << QByteArray("unexpected argument \"b.yml\" for berthd config check")
                                      << QByteArray("run \"berthd config check FILE\"");
    QTest::newRow("config check option") << QByteArrayList{"config", "check", "--strict", "a.yml"}
                                         << QByteArray("unknown option \"--strict\" for berthd config check")
                                         << QByteArray("run \"berthd --help\"");
    QTest::newRow("gc alone") << QByteArrayList{"garbage-collect"}
                              << QByteArray("needs the registry's config file")
                              << QByteArray(
                                     "run \"berthd garbage-collect CONFIG [--dry-run] [--delete-untagged]\"");
    QTest::newRow("gc option typo") << QByteArrayList{"garbage-collect", "config.yml", "--dryrun"}
                                    << QByteArray("unknown option \"--dryrun\" for berthd garbage-collect")
                                    << QByteArray("did you mean --dry-run?");
    QTest::newRow("gc unknown short") << QByteArrayList{"garbage-collect", "-x", "config.yml"}
                                      << QByteArray("unknown option \"-x\" for berthd garbage-collect")
                                      << QByteArray("run \"berthd --help\"");
    QTest::newRow("gc two configs") << QByteArrayList{"garbage-collect", "a.yml", "b.yml", "c.yml"}
                                    << QByteArray("unexpected arguments \"b.yml\" \"c.yml\"")
                                    << QByteArray("run \"berthd garbage-collect CONFIG");
    QTest::newRow("version argument") << QByteArrayList{"version", "extra"}
                                      << QByteArray("unexpected argument \"extra\" for berthd version")
                                      << QByteArray("run \"berthd version\"");
    QTest::newRow("--version argument") << QByteArrayList{"--version", "extra"}
                                        << QByteArray("unexpected argument \"extra\" for berthd --version")
                                        << QByteArray("run \"berthd --version\"");
}

void TestCommandLine::rejectsWithAHint()
{
    QFETCH(QByteArrayList, arguments);
    QFETCH(QByteArray, problem);
    QFETCH(QByteArray, hint);

    const auto result = parseCommandLine(toArguments(arguments));
    QVERIFY2(!result, "the arguments were accepted");
    const auto message = bytes(result.error().message);
    QVERIFY2(message.contains(problem), message.constData());
    QVERIFY2(message.contains(hint), message.constData());
}

void TestCommandLine::skipsProgramName()
{
    const char* argv[] = {"/usr/bin/berthd", "serve", "--exit-on-stdin-close"};
    const auto result = parseCommandLine(3, argv);
    QVERIFY(result);
    QVERIFY(*result == Command(ServeCommand{std::nullopt, true}));

    const char* alone[] = {"/usr/bin/berthd"};
    QVERIFY(!parseCommandLine(1, alone));
    QVERIFY(!parseCommandLine(0, alone));
}

void TestCommandLine::helpTextCoversCommandsKeysAndVariables()
{
    const auto help = bytes(helpText());
    for (const char* text :
         {"Usage: berthd", "serve [CONFIG]", "--exit-on-stdin-close", "config check FILE",
          "garbage-collect CONFIG", "--dry-run", "--delete-untagged", "--version", "--help",
          "REGISTRY_HTTP_ADDR", "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "REGISTRY_LOG_LEVEL",
          "REGISTRY_STORAGE_DELETE_ENABLED", "REGISTRY_HTTP_SECRET"}) {
        QVERIFY2(help.contains(text), text);
    }
    for (const auto& key : supportedKeys())
        QVERIFY2(help.contains(QByteArray("\n  " + bytes(key.path) + "  ")), key.path.data());
    for (const auto& line : help.split('\n'))
        QVERIFY2(line.size() <= 100, line.constData());
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "TestCommandLine.moc"
