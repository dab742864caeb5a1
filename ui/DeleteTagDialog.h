#pragma once
// Asks before deleting a tag or a whole manifest, naming every tag concerned: for a tag,
// the other tags on the same manifest (which stay); for a manifest, every tag that goes
// with it. It has the tag model resolve every tag first and, for a manifest, allows the
// deletion only once it knows them all.

#include <QDialog>
#include <QPointer>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace berth::ui {

class TagModel;

class DeleteTagDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Target
    {
        Tag,
        Manifest
    };

    // `tag`: the tag to delete, or the tag the user chose the manifest by. `digest` may be
    // empty for a tag whose manifest is not fetched yet; the dialog waits for it.
    DeleteTagDialog(Target target, const QString& tag, const QString& digest, TagModel* tags,
                    QWidget* parent = nullptr);

    Target target() const { return m_target; }
    QString tag() const { return m_tag; }
    QString digest() const { return m_digest; }
    // Manifest: every tag on it. Tag: the others on the same manifest, which stay.
    QStringList listedTags() const { return m_listed; }
    // True once the tag model knows every tag.
    bool isComplete() const;

private:
    void update();

    Target m_target;
    QString m_tag;
    QString m_digest;
    QStringList m_listed;
    QPointer<TagModel> m_tags;
    QLabel* m_question;
    QLabel* m_listCaption;
    QListWidget* m_list;
    QLabel* m_progressText;
    QProgressBar* m_progress;
    QDialogButtonBox* m_buttons;
    QPushButton* m_deleteButton;
};

} // namespace berth::ui
