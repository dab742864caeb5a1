#include "ui/SettingsDialog.h"

#include "ui/Accessibility.h"
#include "ui/Translations.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace berth::ui {

namespace {

QSpinBox* portBox(quint16 port, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setRange(0, 65535);
    box->setSpecialValueText(SettingsDialog::tr("Any free port"));
    box->setValue(port);
    return box;
}

QLabel* noteLabel(const QString& text, QWidget* parent)
{
    auto* note = new QLabel(text, parent);
    note->setWordWrap(true);
    setAccessible(note, SettingsDialog::tr("Note"), text);
    return note;
}

} // namespace

SettingsDialog::SettingsDialog(const QString& language, const app::LocalServerSettings& server,
                               const QString& defaultStorageFolder, QWidget* parent)
    : QDialog(parent), m_server(server)
{
    setWindowTitle(tr("Settings"));
    setAccessible(this, windowTitle(), tr("The console's language and the local server's settings"));

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    setAccessible(m_problem, tr("Settings problem"), tr("Why the settings cannot be saved yet"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    setAccessible(m_buttons, tr("Dialog buttons"), tr("Save or cancel"));
    setAccessible(m_buttons->button(QDialogButtonBox::Ok), tr("OK"), tr("Save the settings"));
    setAccessible(m_buttons->button(QDialogButtonBox::Cancel), tr("Cancel"),
                  tr("Keep the settings as they were"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildLanguageGroup(language));
    layout->addWidget(buildServerGroup(server, defaultStorageFolder));
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    setMinimumWidth(520);
    validate();
}

QWidget* SettingsDialog::buildLanguageGroup(const QString& language)
{
    auto* group = new QGroupBox(tr("Language"), this);
    setAccessible(group, tr("Language"), tr("The language of the console"));
    m_language = new QComboBox(group);
    m_language->addItem(tr("System default (%1)").arg(QLocale::system().nativeLanguageName()), QString());
    for (const Language& available : availableLanguages())
        m_language->addItem(available.nativeName, available.code);
    m_language->setCurrentIndex(std::max(0, m_language->findData(language)));
    setAccessible(m_language, tr("Language"), tr("The language of the console's windows"));

    auto* form = new QFormLayout(group);
    form->addRow(tr("&Language:"), m_language);
    form->addRow(noteLabel(tr("A new language takes effect when Berth restarts."), group));
    return group;
}

QWidget* SettingsDialog::buildServerGroup(const app::LocalServerSettings& server,
                                          const QString& defaultStorageFolder)
{
    auto* group = new QGroupBox(tr("Local server"), this);
    setAccessible(group, tr("Local server"), tr("How the registry server on this computer runs"));

    m_listenAddress = new QComboBox(group);
    m_listenAddress->setEditable(true);
    m_listenAddress->addItem(QStringLiteral("127.0.0.1"));
    m_listenAddress->addItem(QStringLiteral("0.0.0.0"));
    m_listenAddress->setCurrentText(server.listenAddress.isEmpty() ? QStringLiteral("0.0.0.0")
                                                                   : server.listenAddress);
    setAccessible(m_listenAddress, tr("Listen address"),
                  tr("127.0.0.1 keeps the registry on this computer; 0.0.0.0 offers it to the network"));
    connect(m_listenAddress, &QComboBox::currentTextChanged, this, &SettingsDialog::validate);

    m_port = portBox(server.port, group);
    setAccessible(m_port, tr("Registry port"), tr("The TCP port clients push to and pull from"));
    m_adminPort = portBox(server.adminPort, group);
    setAccessible(m_adminPort, tr("Admin port"),
                  tr("The TCP port of the admin API the console uses, on 127.0.0.1"));
    for (auto* box : {m_port, m_adminPort})
        connect(box, &QSpinBox::valueChanged, this, &SettingsDialog::validate);

    m_storageFolder = new QLineEdit(server.storageFolder, group);
    m_storageFolder->setPlaceholderText(defaultStorageFolder);
    m_storageFolder->setClearButtonEnabled(true);
    setAccessible(m_storageFolder, tr("Storage folder"),
                  tr("Where the registry keeps images; empty for %1").arg(defaultStorageFolder));
    auto* browse = new QPushButton(tr("&Browse…"), group);
    setAccessible(browse, tr("Choose storage folder"), tr("Pick the storage folder in a file dialog"));
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::chooseStorageFolder);
    auto* storageRow = new QHBoxLayout;
    storageRow->addWidget(m_storageFolder, 1);
    storageRow->addWidget(browse);

    auto* form = new QFormLayout(group);
    form->addRow(tr("Listen &address:"), m_listenAddress);
    form->addRow(tr("Registry &port:"), m_port);
    form->addRow(tr("A&dmin port:"), m_adminPort);
    auto* storageLabel = new QLabel(tr("&Storage folder:"), group);
    storageLabel->setBuddy(m_storageFolder);
    form->addRow(storageLabel, storageRow);
    form->addRow(
        noteLabel(tr("Changes restart the local server. A listen address other than 127.0.0.1 offers "
                     "the registry to other computers, without TLS or sign-in."),
                  group));
    return group;
}

QString SettingsDialog::language() const
{
    return m_language->currentData().toString();
}

app::LocalServerSettings SettingsDialog::localServer() const
{
    app::LocalServerSettings server = m_server;
    server.listenAddress = m_listenAddress->currentText().trimmed();
    server.port = static_cast<quint16>(m_port->value());
    server.adminPort = static_cast<quint16>(m_adminPort->value());
    server.storageFolder = m_storageFolder->text().trimmed();
    return server;
}

void SettingsDialog::chooseStorageFolder()
{
    const QString start =
        m_storageFolder->text().isEmpty() ? m_storageFolder->placeholderText() : m_storageFolder->text();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Storage Folder"), start);
    if (!folder.isEmpty())
        m_storageFolder->setText(folder);
}

void SettingsDialog::validate()
{
    QString problem;
    if (QHostAddress(m_listenAddress->currentText().trimmed()).isNull())
        problem = tr("The listen address must be an IP address such as 127.0.0.1 or 0.0.0.0.");
    else if (m_port->value() != 0 && m_port->value() == m_adminPort->value())
        problem = tr("The registry and the admin API need different ports.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace berth::ui
