#pragma once
// Asks whether to trust a certificate a registry presented that the system does not trust
// (typically self-signed), showing what identifies it: subject, issuer, SHA-256
// fingerprint and validity. Declining is the default.

#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

namespace berth::ui {

class CertificateDialog : public QDialog
{
    Q_OBJECT

public:
    CertificateDialog(const QUrl& registry, const QSslCertificate& certificate, const QString& error,
                      QWidget* parent = nullptr);

    // "AB:CD:...", the SHA-256 of the certificate's DER form.
    static QString fingerprint(const QSslCertificate& certificate);
};

} // namespace berth::ui
