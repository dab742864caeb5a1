#include "registry/CollectionJobs.h"

namespace berth::registry {

CollectionJobs::CollectionJobs(Registry& registry)
    : BackgroundJobs([&registry](const CollectionOptions& options, const ProgressCallback& progress,
                                 const std::atomic<bool>& cancel) {
          return GarbageCollector(registry).run(options, progress, &cancel);
      })
{
}

} // namespace berth::registry
