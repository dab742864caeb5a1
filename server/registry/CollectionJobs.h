#pragma once
// Garbage collections started on request (the admin API), run in the background with
// progress and cancelling. Collections queue behind each other (see CollectionGuard).

#include "registry/BackgroundJobs.h"
#include "registry/GarbageCollector.h"

namespace berth::registry {

using CollectionJob = BackgroundJob<CollectionOptions, CollectionProgress, CollectionReport>;

class CollectionJobs final : public BackgroundJobs<CollectionOptions, CollectionProgress, CollectionReport>
{
public:
    explicit CollectionJobs(Registry& registry);
};

} // namespace berth::registry
