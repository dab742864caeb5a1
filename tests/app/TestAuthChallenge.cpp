// WWW-Authenticate headers as registries and other servers send them, read into challenges:
// Distribution's Bearer with quoted commas in the scope, Basic, several challenges in one
// header, token68 schemes, odd spacing and case, and malformed headers (read as none).

#include "app/AuthChallenge.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

// "scheme{name=value;...}" or "scheme[token68]", challenges joined by " | ".
QString describe(const QList<AuthChallenge>& challenges)
{
    QStringList described;
    for (const AuthChallenge& challenge : challenges) {
        QStringList parameters;
        for (auto parameter = challenge.parameters.cbegin(); parameter != challenge.parameters.cend();
             ++parameter)
            parameters.append(parameter.key() + u'=' + parameter.value());
        QString text = challenge.scheme;
        if (!challenge.token68.isEmpty())
            text += u'[' + challenge.token68 + u']';
        if (!parameters.isEmpty())
            text += u'{' + parameters.join(u';') + u'}';
        described.append(text);
    }
    return described.join(" | "_L1);
}

} // namespace

class TestAuthChallenge : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void accessors();
};

void TestAuthChallenge::parse_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("expected");

    QTest::newRow("distribution bearer, commas in the scope")
        << QByteArray(R"(Bearer realm="https://auth.example.com/token",service="registry.example.com",)"
                      R"(scope="repository:team/app:pull,push")")
        << u"bearer{realm=https://auth.example.com/token;scope=repository:team/app:pull,push;"
           "service=registry.example.com}"_s;
    QTest::newRow("bearer with an error")
        << QByteArray(R"(Bearer realm="http://127.0.0.1:1/token",service="s",scope="registry:catalog:*",)"
                      R"(error="insufficient_scope")")
        << u"bearer{error=insufficient_scope;realm=http://127.0.0.1:1/token;scope=registry:catalog:*;service=s}"_s;
    QTest::newRow("bearer with several scopes")
        << QByteArray(R"(Bearer realm="r",scope="repository:a:pull repository:b:pull")")
        << u"bearer{realm=r;scope=repository:a:pull repository:b:pull}"_s;
    QTest::newRow("basic") << QByteArray(R"(Basic realm="Registry Realm")")
                           << u"basic{realm=Registry Realm}"_s;
    QTest::newRow("basic with charset")
        << QByteArray(R"(Basic realm="x", charset="UTF-8")") << u"basic{charset=UTF-8;realm=x}"_s;
    QTest::newRow("scheme and names in any case, spaces around =")
        << QByteArray(R"(BEARER  Realm = "x" ,  SERVICE=y)") << u"bearer{realm=x;service=y}"_s;
    QTest::newRow("unquoted token values") << QByteArray("Bearer realm=abc,service=registry.local")
                                           << u"bearer{realm=abc;service=registry.local}"_s;
    QTest::newRow("escaped quotes and backslashes")
        << QByteArray(R"(Basic realm="say \"hi\" \\ bye")") << uR"(basic{realm=say "hi" \ bye})"_s;
    QTest::newRow("empty quoted value") << QByteArray(R"(Basic realm="")") << u"basic{realm=}"_s;
    QTest::newRow("two challenges") << QByteArray(R"(Basic realm="a", Bearer realm="b",scope="c")")
                                    << u"basic{realm=a} | bearer{realm=b;scope=c}"_s;
    QTest::newRow("rfc 9110 example")
        << QByteArray(R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")")
        << uR"(newauth{realm=apps;title=Login to "apps";type=1} | basic{realm=simple})"_s;
    QTest::newRow("token68") << QByteArray("Negotiate YIIB+w/==") << u"negotiate[YIIB+w/==]"_s;
    QTest::newRow("token68 then basic")
        << QByteArray(R"(Negotiate abc=, Basic realm="x")") << u"negotiate[abc=] | basic{realm=x}"_s;
    QTest::newRow("scheme alone") << QByteArray("Negotiate") << u"negotiate"_s;
    QTest::newRow("schemes alone, empty elements")
        << QByteArray(" , Negotiate,, NTLM ,") << u"negotiate | ntlm"_s;
    QTest::newRow("empty") << QByteArray() << QString();

    // Malformed: nothing is read from them.
    QTest::newRow("unterminated quote") << QByteArray(R"(Bearer realm="https://auth/token)") << QString();
    // "realm=" is a token68 by the grammar, so this Bearer has no realm.
    QTest::newRow("token68 that looks like a parameter")
        << QByteArray("Bearer realm=") << u"bearer[realm=]"_s;
    QTest::newRow("missing value before comma") << QByteArray(R"(Bearer realm=,service="s")") << QString();
    QTest::newRow("parameter without scheme") << QByteArray(R"(realm="x")") << QString();
    QTest::newRow("parameter name twice") << QByteArray(R"(Basic realm="a", realm="b")") << QString();
    QTest::newRow("unquoted value with a slash")
        << QByteArray("Bearer realm=https://auth/token") << QString();
    QTest::newRow("garbage after a value") << QByteArray(R"(Basic realm="a" "b")") << QString();
    QTest::newRow("only an equals sign") << QByteArray("=") << QString();
}

void TestAuthChallenge::parse()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, expected);
    QCOMPARE(describe(AuthChallenge::parse(header)), expected);
}

void TestAuthChallenge::accessors()
{
    const QList<AuthChallenge> challenges =
        AuthChallenge::parse(R"(Basic realm="b", Bearer Realm="https://auth/token",Service="reg")");
    QCOMPARE(challenges.size(), 2);
    QVERIFY(challenges.at(0).isBasic());
    QVERIFY(!challenges.at(0).isBearer());
    QVERIFY(challenges.at(1).isBearer());
    QCOMPARE(challenges.at(1).parameter(u"REALM"_s), u"https://auth/token"_s);
    QCOMPARE(challenges.at(1).parameter(u"service"_s), u"reg"_s);
    QCOMPARE(challenges.at(1).parameter(u"scope"_s), QString());
}

} // namespace berth::app

QTEST_GUILESS_MAIN(berth::app::TestAuthChallenge)
#include "TestAuthChallenge.moc"
