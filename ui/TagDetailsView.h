#pragma once
// The details of the selected tag: a summary (digest, type, size, created, platforms),
// then tabs for an image's layers, an index's platforms (each one opens like a tag, Back
// returns), the config with its build history, the raw manifest and the referrers.

#include <QStringList>
#include <QWidget>

class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace berth::app {
class RegistryClient;
}

namespace berth::ui {

class InlineMessage;
class ManifestDetails;

class TagDetailsView : public QWidget
{
    Q_OBJECT

public:
    explicit TagDetailsView(QWidget* parent = nullptr);

    void setRegistry(app::RegistryClient* client);
    // Shows `reference` (a tag or digest) of `repository`, forgetting where Back would go.
    void showManifest(const QString& repository, const QString& reference);
    void clear();

    ManifestDetails* details() const { return m_details; }
    // The digest of the manifest shown, empty until it is fetched.
    QString digest() const;

private:
    void openPlatform(const QModelIndex& index);
    void goBack();
    void updateContents();
    void updateSummary();
    QLabel* addSummaryRow(const QString& label, const QString& accessibleName, const QString& description);
    QTreeView* createTable(const QString& accessibleName, const QString& description);
    QPlainTextEdit* createTextView(const QString& accessibleName, const QString& description);

    ManifestDetails* m_details;
    // References of the manifests Back returns to, the last one first to go.
    QStringList m_backStack;

    QToolButton* m_back;
    QLabel* m_title;
    QFormLayout* m_summary;
    QLabel* m_digest;
    QLabel* m_mediaType;
    QLabel* m_size;
    QLabel* m_created;
    QLabel* m_platforms;
    InlineMessage* m_message;
    QTabWidget* m_tabs;
    QTreeView* m_layerView;
    QTreeView* m_platformView;
    QWidget* m_configPage;
    QTreeView* m_historyView;
    QPlainTextEdit* m_configText;
    QPlainTextEdit* m_manifestText;
    QWidget* m_referrersPage;
    QLabel* m_referrersStatus;
    QTreeView* m_referrerView;
};

} // namespace berth::ui
