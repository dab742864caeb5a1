#pragma once
// The console's settings: the interface language (takes effect at the next start) and
// the local server's listen address, ports and storage folder (applied with a restart of
// the server).

#include "app/LocalServerSettings.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace berth::ui {

class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    // language: a locale name or empty for the system's. defaultStorageFolder: what an
    // empty storage folder means, shown as a hint.
    SettingsDialog(const QString& language, const app::LocalServerSettings& server,
                   const QString& defaultStorageFolder, QWidget* parent = nullptr);

    QString language() const;
    // The entered server settings; fields the dialog does not show keep their values.
    app::LocalServerSettings localServer() const;

private:
    QWidget* buildLanguageGroup(const QString& language);
    QWidget* buildServerGroup(const app::LocalServerSettings& server, const QString& defaultStorageFolder);
    void chooseStorageFolder();
    void validate();

    app::LocalServerSettings m_server;
    QComboBox* m_language = nullptr;
    QComboBox* m_listenAddress = nullptr;
    QSpinBox* m_port = nullptr;
    QSpinBox* m_adminPort = nullptr;
    QLineEdit* m_storageFolder = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace berth::ui
