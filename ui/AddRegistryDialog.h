#pragma once
// Asks for a registry to add to the sidebar, or changes one already there: its URL (another
// berthd, CNCF Distribution, zot, Harbor...), a name, and optional credentials (a username
// with a password or token), which go to the keychain rather than the settings file.

#include "app/Credentials.h"
#include "app/RegistryDirectory.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace berth::ui {

class AddRegistryDialog : public QDialog
{
    Q_OBJECT

public:
    // Adds a new registry.
    explicit AddRegistryDialog(QWidget* parent = nullptr);
    // Edits `entry`, whose saved credentials are `credentials`.
    AddRegistryDialog(const app::RegistryEntry& entry, const app::Credentials& credentials,
                      QWidget* parent = nullptr);

    // What the user entered; the URL normalized ("https://" assumed when no scheme is given).
    // The trusted certificate of an edited entry is kept while its URL stays the same.
    app::RegistryEntry entry() const;
    app::Credentials credentials() const;

    // Why the URL cannot be used, or empty when it can.
    static QString urlProblem(const QString& text);
    // The URL `text` stands for: "https://" is assumed when no scheme is given.
    static QUrl urlFromText(const QString& text);

private:
    void validate();

    app::RegistryEntry m_original;
    QLineEdit* m_url;
    QLineEdit* m_name;
    QLineEdit* m_username;
    QLineEdit* m_secret;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace berth::ui
