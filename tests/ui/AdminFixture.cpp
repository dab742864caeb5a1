#include "AdminFixture.h"

#include <QAccessible>
#include <QDir>

using namespace Qt::StringLiterals;

namespace berth::test {

QString AdminFixture::start(const QByteArray& extraConfig)
{
    m_client.reset();
    m_server = std::make_unique<AdminServer>();
    if (QString error = m_server->start(randomToken("ui-"), {}, {}, extraConfig); !error.isEmpty())
        return error;
    if (QString error = m_server->waitForAdmin(); !error.isEmpty())
        return error;
    m_client = std::make_unique<app::AdminClient>(QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->adminPort())),
                                                  m_server->token(), &m_network);
    return {};
}

QString AdminFixture::blobFile(const QString& digest) const
{
    const QString hex = digest.section(u':', 1);
    return m_server->process().storageRoot() + u"/docker/registry/v2/blobs/sha256/"_s + hex.left(2) + u'/' +
           hex + u"/data"_s;
}

Image imageSharing(const QByteArray& shared, qsizetype ownLayerSize)
{
    Image image = makeImage(media::OciManifest, 1, ownLayerSize);
    image.layers.prepend(shared);
    QList<Descriptor> layers;
    for (const QByteArray& layer : std::as_const(image.layers))
        layers.append(Descriptor::of(media::OciLayer, layer));
    image.manifest =
        imageManifestJson(media::OciManifest, Descriptor::of(media::OciConfig, image.config), layers);
    return image;
}

QStringList unnamedControls(const QWidget* root)
{
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(const_cast<QWidget*>(root));
    QStringList unnamed;
    for (QWidget* widget : std::as_const(widgets)) {
        if (widget->focusPolicy() == Qt::NoFocus || !widget->isVisibleTo(root))
            continue;
        // A spin box's line edit: the control is the spin box.
        if (widget->parentWidget() && widget->parentWidget()->inherits("QAbstractSpinBox"))
            continue;
        // What a screen reader reads: the accessible name, or a button's text.
        const QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(widget);
        if (!accessible || accessible->text(QAccessible::Name).trimmed().isEmpty())
            unnamed.append(
                QString::fromLatin1(widget->metaObject()->className()) +
                (widget->parentWidget()
                     ? u" in "_s + QString::fromLatin1(widget->parentWidget()->metaObject()->className())
                     : QString()));
    }
    return unnamed;
}

QString saveScreenshot(QWidget* widget, const QString& name)
{
    const QString directory = u"/tmp/berth-screens"_s;
    if (!QDir().mkpath(directory))
        return u"cannot create "_s + directory;
    const QString path = QDir(directory).filePath(name + u".png"_s);
    if (!widget->grab().save(path))
        return u"cannot save "_s + path;
    return {};
}

} // namespace berth::test
