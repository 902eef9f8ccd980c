#!/bin/bash
# Submits the 8 shards and the merge that waits for all of them.
set -euo pipefail
cd "$(dirname "$0")"
array=$(sbatch --parsable --array=1-8 audit-array.sbatch)
sbatch --dependency=afterok:"$array" merge.sbatch
