#include "ui/AddRegistryDialog.h"

#include "app/RegistryUrl.h"
#include "ui/Accessibility.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace berth::ui {

AddRegistryDialog::AddRegistryDialog(QWidget* parent)
    : AddRegistryDialog(app::RegistryEntry(), app::Credentials(), parent)
{
}

AddRegistryDialog::AddRegistryDialog(const app::RegistryEntry& entry, const app::Credentials& credentials,
                                     QWidget* parent)
    : QDialog(parent), m_original(entry), m_url(new QLineEdit(entry.url.toString(), this)),
      m_name(new QLineEdit(entry.name, this)), m_username(new QLineEdit(credentials.username, this)),
      m_secret(new QLineEdit(credentials.secret, this)), m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    const bool adding = entry.url.isEmpty();
    setWindowTitle(adding ? tr("Add Registry") : tr("Edit Registry"));
    setAccessible(this, windowTitle(), tr("The URL, name and credentials of a registry"));

    m_url->setPlaceholderText(tr("https://registry.example.com"));
    setAccessible(
        m_url, tr("Registry URL"),
        tr("Where the registry answers, e.g. https://registry.example.com or http://127.0.0.1:5000"));
    m_name->setPlaceholderText(tr("Host and port, unless you name it"));
    setAccessible(m_name, tr("Registry name"), tr("How the registry is called in the sidebar"));
    m_username->setPlaceholderText(tr("Anonymous access when empty"));
    setAccessible(m_username, tr("Username"), tr("The account to sign in with, if the registry needs one"));
    m_secret->setEchoMode(QLineEdit::Password);
    setAccessible(m_secret, tr("Password or token"), tr("The account's password or an access token"));
    m_problem->setWordWrap(true);
    setAccessible(m_problem, tr("URL problem"), tr("Why the URL cannot be used yet"));

    auto* form = new QFormLayout;
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Username:"), m_username);
    form->addRow(tr("&Password or token:"), m_secret);

    auto* keychainNote = new QLabel(tr("Passwords and tokens are kept in the system keychain, not in Berth's "
                                       "settings file."),
                                    this);
    keychainNote->setWordWrap(true);
    setAccessible(keychainNote, tr("Keychain note"), keychainNote->text());

    auto* ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(adding ? tr("&Add") : tr("&Save"));
    setAccessible(ok, adding ? tr("Add") : tr("Save"),
                  adding ? tr("Add the registry to the sidebar") : tr("Save the changes"));
    setAccessible(m_buttons->button(QDialogButtonBox::Cancel), tr("Cancel"), tr("Close without changes"));
    setAccessible(m_buttons, tr("Dialog buttons"), tr("Confirm or cancel"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this, &AddRegistryDialog::validate);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(keychainNote);
    layout->addWidget(m_buttons);
    setMinimumWidth(460);
    validate();
}

QUrl AddRegistryDialog::urlFromText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    const bool hasScheme = trimmed.contains(QStringLiteral("://"));
    return QUrl(hasScheme ? trimmed : QStringLiteral("https://") + trimmed, QUrl::StrictMode);
}

QString AddRegistryDialog::urlProblem(const QString& text)
{
    if (text.trimmed().isEmpty())
        return tr("Enter the registry's URL.");
    const QUrl url = urlFromText(text);
    if (!url.isValid())
        return tr("This is not a valid URL.");
    if (url.scheme() != u"http" && url.scheme() != u"https")
        return tr("The URL must start with http:// or https://.");
    if (url.host().isEmpty())
        return tr("The URL needs a host name.");
    return {};
}

app::RegistryEntry AddRegistryDialog::entry() const
{
    app::RegistryEntry result;
    result.url = app::normalizedRegistryUrl(urlFromText(m_url->text()));
    result.name = m_name->text().trimmed();
    if (result.name.isEmpty())
        result.name = app::registryHostAndPort(result.url);
    result.username = m_username->text().trimmed();
    if (result.url == m_original.url)
        result.trustedCertificatePem = m_original.trustedCertificatePem;
    return result;
}

app::Credentials AddRegistryDialog::credentials() const
{
    return {m_username->text().trimmed(), m_secret->text()};
}

void AddRegistryDialog::validate()
{
    const QString problem = urlProblem(m_url->text());
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty() && !m_url->text().isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace berth::ui
