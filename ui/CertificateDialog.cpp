#include "ui/CertificateDialog.h"

#include "ui/Accessibility.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace berth::ui {

CertificateDialog::CertificateDialog(const QUrl& registry, const QSslCertificate& certificate,
                                     const QString& error, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Untrusted Certificate"));
    setAccessible(this, windowTitle(), tr("Whether to trust the certificate a registry presented"));

    auto* intro = new QLabel(tr("<p><b>%1</b> presented a certificate this computer does not trust.</p>"
                                "<p>%2</p><p>Trust it only if you know it is the registry's own certificate, "
                                "for example by comparing its fingerprint with the one on the server.</p>")
                                 .arg(registry.toDisplayString().toHtmlEscaped(), error.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    setAccessible(intro, tr("Explanation"), tr("Why the connection was refused and what trusting means"));

    const QLocale locale;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString validity =
        tr("%1 to %2")
            .arg(locale.toString(certificate.effectiveDate().toLocalTime(), QLocale::ShortFormat),
                 locale.toString(certificate.expiryDate().toLocalTime(), QLocale::ShortFormat));
    if (certificate.expiryDate() < now)
        validity += u' ' + tr("(expired)");
    else if (certificate.effectiveDate() > now)
        validity += u' ' + tr("(not yet valid)");

    const struct
    {
        QString label;
        QString value;
        QString name;
    } fields[] = {{tr("Subject:"), certificate.subjectDisplayName(), tr("Subject")},
                  {tr("Issuer:"), certificate.issuerDisplayName(), tr("Issuer")},
                  {tr("SHA-256 fingerprint:"), fingerprint(certificate), tr("SHA-256 fingerprint")},
                  {tr("Valid:"), validity, tr("Validity")}};
    auto* form = new QFormLayout;
    for (const auto& field : fields) {
        auto* value = new QLabel(field.value, this);
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        setAccessible(value, field.name, field.value);
        form->addRow(field.label, value);
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    auto* trust = buttons->addButton(tr("&Trust This Certificate"), QDialogButtonBox::AcceptRole);
    setAccessible(trust, tr("Trust this certificate"),
                  tr("Accept this certificate for this registry from now on"));
    auto* cancel = buttons->button(QDialogButtonBox::Cancel);
    setAccessible(cancel, tr("Do not trust"), tr("Leave the registry unreachable"));
    cancel->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(520);
}

QString CertificateDialog::fingerprint(const QSslCertificate& certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace berth::ui
