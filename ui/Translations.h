#pragma once
// The languages the console ships (English, Simplified Chinese) and how it loads them:
// its own translations, embedded at :/i18n/, and Qt's for standard dialogs.

#include <QList>
#include <QLocale>
#include <QString>

class QCoreApplication;

namespace berth::ui {

struct Language
{
    QString code;       // locale name: "en", "zh_CN"
    QString nativeName; // in the language itself, so anyone finds their own
};

// Every language the console ships, English first.
QList<Language> availableLanguages();

// The locale for a stored language setting: the system's when it is empty.
QLocale localeFor(const QString& language);

// Installs the translations for `locale` on `application` (which owns them). English needs
// none; returns false when the console has no translation for the locale.
bool installTranslations(QCoreApplication* application, const QLocale& locale);

} // namespace berth::ui
