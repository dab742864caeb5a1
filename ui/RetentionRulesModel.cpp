#include "ui/RetentionRulesModel.h"

#include "ui/ItemRoles.h"

#include <functional>

using namespace Qt::StringLiterals;

namespace berth::ui {

namespace {

// Larger than any retention the server accepts (36500 days), small enough for a spin of
// the keyboard; the server has the last word.
constexpr qint64 maximumNumber = 1000000;

// The rule's field behind a column, const or not as the rule is; nullptr for the others.
template <class Rule> auto numberOf(Rule& rule, int column) -> decltype(&rule.keepMostRecent)
{
    switch (column) {
    case RetentionRulesModel::KeepMostRecent:
        return &rule.keepMostRecent;
    case RetentionRulesModel::KeepHighestVersions:
        return &rule.keepHighestVersions;
    case RetentionRulesModel::KeepPushedWithinDays:
        return &rule.keepPushedWithinDays;
    case RetentionRulesModel::UntaggedOlderThanDays:
        return &rule.untaggedOlderThanDays;
    default:
        return nullptr;
    }
}

template <class Rule> auto patternOf(Rule& rule, int column) -> decltype(&rule.repositories)
{
    switch (column) {
    case RetentionRulesModel::Repositories:
        return &rule.repositories;
    case RetentionRulesModel::Include:
        return &rule.include;
    case RetentionRulesModel::Exclude:
        return &rule.exclude;
    default:
        return nullptr;
    }
}

} // namespace

app::RetentionRule RetentionRulesModel::defaultRule()
{
    app::RetentionRule rule;
    rule.repositories = u"**"_s;
    rule.keepMostRecent = 10;
    return rule;
}

RetentionRulesModel::RetentionRulesModel(QObject* parent) : QAbstractTableModel(parent) {}

void RetentionRulesModel::change(const std::function<void()>& edit)
{
    const bool wasModified = isModified();
    edit();
    if (isModified() != wasModified)
        Q_EMIT modifiedChanged(isModified());
}

void RetentionRulesModel::setRules(const QList<app::RetentionRule>& rules)
{
    change([this, &rules] {
        beginResetModel();
        m_rules = rules;
        m_saved = rules;
        endResetModel();
    });
}

int RetentionRulesModel::insertRule(int row, const app::RetentionRule& rule)
{
    if (row < 0 || row > m_rules.size())
        row = static_cast<int>(m_rules.size());
    change([this, row, &rule] {
        beginInsertRows({}, row, row);
        m_rules.insert(row, rule);
        endInsertRows();
    });
    return row;
}

bool RetentionRulesModel::moveRule(int row, int offset)
{
    const int target = row + offset;
    if (row < 0 || row >= m_rules.size() || target < 0 || target >= m_rules.size() || offset == 0)
        return false;
    // beginMoveRows takes the row the moved one goes before, in the rows as they are.
    const int destination = offset > 0 ? target + 1 : target;
    change([this, row, target, destination] {
        beginMoveRows({}, row, row, {}, destination);
        m_rules.move(row, target);
        endMoveRows();
    });
    return true;
}

int RetentionRulesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rules.size());
}

int RetentionRulesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RetentionRulesModel::text(const app::RetentionRule& rule, int column) const
{
    if (const QString* pattern = patternOf(rule, column))
        return *pattern;
    if (const std::optional<qint64>* number = numberOf(rule, column))
        return *number ? QString::number(**number) : QString();
    return {};
}

QVariant RetentionRulesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const app::RetentionRule& rule = m_rules.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
    case RawValueRole:
        return text(rule, index.column());
    case Qt::ToolTipRole:
        return columnDescription(index.column());
    case Qt::TextAlignmentRole:
        if (isNumberColumn(index.column()))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

bool RetentionRulesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString entered = value.toString().trimmed();
    app::RetentionRule rule = m_rules.at(index.row());
    if (std::optional<qint64>* number = numberOf(rule, index.column())) {
        bool ok = true;
        const qint64 parsed = entered.toLongLong(&ok);
        if (!entered.isEmpty() && (!ok || parsed < 0 || parsed > maximumNumber))
            return false;
        *number = entered.isEmpty() ? std::nullopt : std::optional<qint64>(parsed);
    } else if (QString* pattern = patternOf(rule, index.column())) {
        if (index.column() == Repositories && entered.isEmpty())
            return false;
        *pattern = entered;
    }
    if (rule == m_rules.at(index.row()))
        return true;
    change([this, &index, &rule] {
        m_rules[index.row()] = rule;
        Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole, RawValueRole});
    });
    return true;
}

Qt::ItemFlags RetentionRulesModel::flags(const QModelIndex& index) const
{
    // Views ask about the invalid index (the root) too: it takes no edits.
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

QString RetentionRulesModel::columnDescription(int column) const
{
    switch (column) {
    case Repositories:
        return tr(
            "The repositories the rule applies to, as a glob: * within one path segment, ** across them "
            "(team/** is every repository under team/)");
    case Include:
        return tr(
            "A regular expression: the rule counts only tags it matches (part of the name; anchor with ^ "
            "and $). Empty: every tag");
    case Exclude:
        return tr("A regular expression: tags it matches are left alone. Empty: none");
    case KeepMostRecent:
        return tr("Keep this many of the most recently pushed tags");
    case KeepHighestVersions:
        return tr("Keep this many tags with the highest semantic versions");
    case KeepPushedWithinDays:
        return tr("Keep tags pushed within this many days");
    case UntaggedOlderThanDays:
        return tr("Delete manifests no tag points to once they are this many days old");
    default:
        return {};
    }
}

QVariant RetentionRulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical && role == Qt::DisplayRole)
        return tr("Rule %1").arg(section + 1);
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole)
        return columnDescription(section);
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Repositories:
        return tr("Repositories");
    case Include:
        return tr("Tags matching");
    case Exclude:
        return tr("Except");
    case KeepMostRecent:
        return tr("Keep newest");
    case KeepHighestVersions:
        return tr("Keep highest versions");
    case KeepPushedWithinDays:
        return tr("Keep days");
    case UntaggedOlderThanDays:
        return tr("Untagged after days");
    default:
        return {};
    }
}

bool RetentionRulesModel::insertRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || row > m_rules.size() || count <= 0)
        return false;
    change([this, row, count] {
        beginInsertRows({}, row, row + count - 1);
        for (int i = 0; i < count; ++i)
            m_rules.insert(row, defaultRule());
        endInsertRows();
    });
    return true;
}

bool RetentionRulesModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_rules.size())
        return false;
    change([this, row, count] {
        beginRemoveRows({}, row, row + count - 1);
        m_rules.remove(row, count);
        endRemoveRows();
    });
    return true;
}

} // namespace berth::ui
