#pragma once
// Text without its keyboard mnemonic, for places that show a menu's or action's title
// without offering the key (tabs, lists of shortcuts): "&Browse" becomes "Browse", and the
// CJK form "浏览(&B)" becomes "浏览". "&&" stays a literal "&".

#include <QRegularExpression>
#include <QString>

namespace berth::ui {

inline QString withoutMnemonic(QString text)
{
    static const QRegularExpression cjkMnemonic(QStringLiteral("\\s*\\(&[^&]\\)"));
    static const QRegularExpression mnemonic(QStringLiteral("&(.)"));
    return text.remove(cjkMnemonic).replace(mnemonic, QStringLiteral("\\1"));
}

} // namespace berth::ui
