#include "ui/DeleteTagDialog.h"

#include "ui/Accessibility.h"
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
    setAccessible(this, windowTitle(),
                  forTag ? tr("Asks before deleting one tag")
                         : tr("Asks before deleting a manifest and every tag on it"));

    // Wide enough for a question with a repository name on one or two lines.
    setMinimumWidth(64 * fontMetrics().averageCharWidth());
    QFont bold = m_question->font();
    bold.setBold(true);
    m_question->setFont(bold);
    m_question->setWordWrap(true);
    setAccessible(m_question, tr("Question"), tr("What is about to be deleted"));
    m_listCaption->setWordWrap(true);
    setAccessible(m_listCaption, tr("About the listed tags"), tr("What happens to the tags listed below"));
    // As tall as its tags, up to ten lines; more scroll.
    m_list->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_list->setMaximumHeight(10 * fontMetrics().lineSpacing());
    setAccessible(m_list,
                  forTag ? tr("Other tags on the same manifest") : tr("Tags deleted with the manifest"),
                  forTag ? tr("These tags stay") : tr("These tags are deleted too"));
    m_progressText->setWordWrap(true);
    setAccessible(m_progressText, tr("Progress"), tr("How many tags have been checked so far"));
    setAccessible(m_progress, tr("Checking tags"), tr("Moves while the tags of the repository are checked"));
    m_progress->setTextVisible(false);

    m_deleteButton = m_buttons->addButton(forTag ? tr("&Delete Tag") : tr("&Delete Manifest"),
                                          QDialogButtonBox::DestructiveRole);
    m_deleteButton->setObjectName(QStringLiteral("deleteButton"));
    setAccessible(m_deleteButton, forTag ? tr("Delete tag") : tr("Delete manifest"),
                  tr("Deletes at once; this cannot be undone"));
    m_deleteButton->setAutoDefault(false);
    QPushButton* cancel = m_buttons->button(QDialogButtonBox::Cancel);
    setAccessible(cancel, tr("Cancel"), tr("Closes this dialog and deletes nothing"));
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
