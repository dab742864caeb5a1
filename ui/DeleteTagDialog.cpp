#include "ui/DeleteTagDialog.h"

#include "ui/DisplayText.h"
#include "ui/TagModel.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace berth::ui {

DeleteTagDialog::DeleteTagDialog(Target target, const QString& tag, const QString& digest, TagModel* tags,
                                 QWidget* parent)
    : QDialog(parent), m_target(target), m_tag(tag), m_digest(digest), m_tags(tags),
      m_question(new QLabel(this)), m_listCaption(new QLabel(this)), m_list(new QListWidget(this)),
      m_progressText(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    const bool forTag = target == Target::Tag;
    setWindowTitle(forTag ? tr("Delete Tag") : tr("Delete Manifest"));
    setAccessibleName(windowTitle());
    setAccessibleDescription(forTag ? tr("Asks before deleting one tag")
                                    : tr("Asks before deleting a manifest and every tag on it"));

    m_question->setWordWrap(true);
    m_question->setAccessibleName(tr("Question"));
    m_listCaption->setWordWrap(true);
    m_listCaption->setAccessibleName(tr("About the listed tags"));
    m_list->setAccessibleName(forTag ? tr("Other tags on the same manifest")
                                     : tr("Tags deleted with the manifest"));
    m_list->setAccessibleDescription(forTag ? tr("These tags stay") : tr("These tags are deleted too"));
    m_progressText->setWordWrap(true);
    m_progressText->setAccessibleName(tr("Progress"));
    m_progress->setAccessibleName(tr("Checking tags"));
    m_progress->setTextVisible(false);

    m_deleteButton = m_buttons->addButton(forTag ? tr("&Delete Tag") : tr("&Delete Manifest"),
                                          QDialogButtonBox::DestructiveRole);
    m_deleteButton->setObjectName(QStringLiteral("deleteButton"));
    m_deleteButton->setAccessibleName(forTag ? tr("Delete tag") : tr("Delete manifest"));
    m_deleteButton->setAccessibleDescription(tr("Deletes at once; this cannot be undone"));
    m_deleteButton->setAutoDefault(false);
    QPushButton* cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    cancel->setAccessibleDescription(tr("Closes this dialog and deletes nothing"));
    cancel->setDefault(true);
    connect(m_deleteButton, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_question);
    layout->addWidget(m_listCaption);
    layout->addWidget(m_list);
    layout->addWidget(m_progressText);
    layout->addWidget(m_progress);
    layout->addWidget(m_buttons);

    if (m_tags) {
        connect(m_tags, &TagModel::resolvedChanged, this, &DeleteTagDialog::update);
        // Another repository or a refresh: this dialog's question is void.
        connect(m_tags, &TagModel::modelReset, this, &QDialog::reject);
        m_tags->resolveAll();
    }
    update();
}

bool DeleteTagDialog::isComplete() const
{
    return m_tags && m_tags->isResolved();
}

void DeleteTagDialog::update()
{
    if (m_digest.isEmpty() && m_tags)
        m_digest = m_tags->digest(m_tags->rowOfTag(m_tag));
    const QString repository = m_tags ? m_tags->repository() : QString();
    const QString shortDigest = DisplayText::shortDigest(m_digest);
    const bool complete = isComplete();

    m_listed = m_tags && !m_digest.isEmpty() ? m_tags->tagsWithDigest(m_digest) : QStringList();
    if (m_target == Target::Tag) {
        m_listed.removeAll(m_tag);
        m_question->setText(tr("Delete the tag “%1” from %2?").arg(m_tag, repository));
        if (m_digest.isEmpty())
            m_listCaption->setText(tr("Finding the manifest of this tag…"));
        else if (m_listed.isEmpty() && complete)
            m_listCaption->setText(tr("No other tag points to its manifest %1. The manifest stays in the "
                                      "registry, untagged, until garbage collection removes it.")
                                       .arg(shortDigest));
        else
            m_listCaption->setText(tr("Other tags on the same manifest (%1) stay:").arg(shortDigest));
    } else {
        m_question->setText(
            tr("Delete the manifest %1 from %2? This cannot be undone.").arg(shortDigest, repository));
        m_listCaption->setText(tr("These tags point to it and are deleted with it:"));
    }
    m_list->clear();
    m_list->addItems(m_listed);
    m_list->setVisible(!m_listed.isEmpty());

    const int total = m_tags ? m_tags->rowCount() : 0;
    const int resolved = m_tags ? m_tags->resolvedCount() : 0;
    m_progressText->setVisible(!complete);
    m_progress->setVisible(!complete);
    m_progressText->setText(tr("Checking which tags point to this manifest: %1 of %2 tags…")
                                .arg(QLocale().toString(resolved), QLocale().toString(total)));
    // A bar without a maximum while the listing itself is still growing.
    m_progress->setRange(0, m_tags && m_tags->isComplete() ? total : 0);
    m_progress->setValue(resolved);

    m_deleteButton->setEnabled(m_target == Target::Tag || (complete && !m_digest.isEmpty()));
}

} // namespace berth::ui
