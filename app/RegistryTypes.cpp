#include "app/RegistryTypes.h"

namespace berth::app {

QString Platform::text() const
{
    QString result = os + u'/' + architecture;
    if (!variant.isEmpty())
        result += u'/' + variant;
    return result;
}

qint64 Manifest::totalSize() const
{
    qint64 total = 0;
    if (isIndex) {
        for (const auto& child : children)
            total += child.size;
        return total;
    }
    total = config.size;
    for (const auto& layer : layers)
        total += layer.size;
    return total;
}

QStringList Manifest::platforms() const
{
    QStringList result;
    for (const auto& child : children)
        if (!child.platform.os.isEmpty())
            result.append(child.platform.text());
    return result;
}

} // namespace berth::app
