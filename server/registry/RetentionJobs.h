#pragma once
// Retention runs started through the admin API or by the schedule, in the background with
// progress and cancelling like garbage collections. Every tag and manifest a run removes
// is logged as it goes ("retention removed tag"), and so is how the run ended.

#include "registry/BackgroundJobs.h"
#include "registry/RetentionRunner.h"
#include "support/Logger.h"

#include <string>

namespace berth::registry {

struct RetentionRunOptions
{
    RetentionRules rules;
    std::string trigger; // "api", "schedule": said in the log lines
};

using RetentionJob = BackgroundJob<RetentionRunOptions, RetentionProgress, RetentionReport>;

class RetentionJobs final : public BackgroundJobs<RetentionRunOptions, RetentionProgress, RetentionReport>
{
public:
    RetentionJobs(Registry& registry, Logger& logger);
};

} // namespace berth::registry
