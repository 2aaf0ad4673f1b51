#!/usr/bin/env bash
# End-to-end test of sharding on a real Slurm cluster: brings up a
# single-node Slurm (Debian packages, no systemd), runs the flagship as a
# job array of shards with scripts/slurm/geosim-array.sbatch, merges them
# with scripts/slurm/geosim-merge.sbatch as a dependent job, and checks
# that summary.json, runs.csv and timeseries.csv are byte-identical to an
# unsharded run. It stops only the daemons it started.
#
# Exit status: 0 passed or skipped (it says which), 1 failed.
# Environment: GEOSIM_SLURM_SHARDS (default 4), GEOSIM_SLURM_RUNS (default 20000).
set -uo pipefail

say() { printf 'slurm-e2e: %s\n' "$*"; }
skip() { say "SKIPPED: $*"; exit 0; }
fail() { say "FAILED: $*"; keep=1; exit 1; }
keep=

root=$(cd "$(dirname "$0")/.." && pwd)
shards=${GEOSIM_SLURM_SHARDS:-4}
runs=${GEOSIM_SLURM_RUNS:-20000}
seed=7

[ "$(id -u)" = 0 ] || skip "needs root to install and start Slurm"
command -v apt-get >/dev/null || skip "needs apt-get (Debian or Ubuntu) to install Slurm"
if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurmctld slurmd slurm-client munge"
  pkgs="slurmctld slurmd slurm-client munge"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >/tmp/geosim-slurm-apt.log 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update >>/tmp/geosim-slurm-apt.log 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >>/tmp/geosim-slurm-apt.log 2>&1 ||
      skip "could not install Slurm from Debian packages (see /tmp/geosim-slurm-apt.log)"
  fi
fi

work=$(mktemp -d /tmp/geosim-slurm.XXXXXX)
chmod 755 "$work"
started=()   # pid files of the daemons this script started

is_alive() { # a zombie counts as dead: PID 1 may reap late
  local pid=$1 st
  kill -0 "$pid" 2>/dev/null || return 1
  st=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
  [[ $st != Z* ]]
}

stop_daemons() {
  local f pid i
  for f in "${started[@]}"; do
    [ -s "$f" ] || continue
    pid=$(cat "$f")
    is_alive "$pid" || continue
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 50); do is_alive "$pid" || break; sleep 0.1; done
    is_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  done
}
cleanup() { # daemons first: their pid files live in $work
  stop_daemons
  if [ -n "$keep" ]; then say "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

say "building geosim"
(cd "$root" && go build -o "$work/geosim" ./cmd/geosim) || fail "go build"

# munge: authentication between Slurm's daemons.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || mungekey --create >/dev/null 2>&1 || fail "no munge key"
  install -d -o munge -g munge -m 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged || fail "munged did not start"
  started+=(/run/munge/munged.pid)
  for i in $(seq 50); do munge -n | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null 2>&1 || fail "munge does not answer"
fi

host=$(hostname -s)
mkdir -p "$work/state" "$work/spool" "$work/jobs"
cat >"$work/slurm.conf" <<CONF
ClusterName=geosim-e2e
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MailProg=/bin/true
ReturnToService=2
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
$(slurmd -C | head -n 1)
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf

slurmctld || fail "slurmctld did not start (see $work/slurmctld.log)"
started+=("$work/slurmctld.pid")
slurmd || fail "slurmd did not start (see $work/slurmd.log)"
started+=("$work/slurmd.pid")
state=
for i in $(seq 150); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || fail "the node did not become idle (state '$state'; see $work/slurmctld.log)"
say "Slurm is up on $host"

wait_job() { # poll squeue: sbatch --wait notices completion late
  local job=$1 i out
  for i in $(seq 1500); do
    # done when squeue answers and lists nothing (an empty answer of a
    # failed query is not "done")
    out=$(squeue -h -j "$job" 2>/dev/null) && [ -z "$out" ] && return 0
    sleep 0.2
  done
  return 1
}

job_ok() { # every task of the job ended COMPLETED with exit code 0
  # scontrol is asked until every task is in a final state: right after
  # squeue stops listing the job (or if a query fails while slurmctld is
  # busy) a task may still show as running, or nothing at all.
  local job=$1 info i
  for i in $(seq 100); do
    info=$(scontrol -o show job "$job" 2>/dev/null) || info=
    if [ -n "$info" ] && ! grep -qE 'JobState=(PENDING|CONFIGURING|RUNNING|COMPLETING)' <<<"$info"; then
      if grep -o 'ExitCode=[0-9]*:[0-9]*' <<<"$info" | grep -qv 'ExitCode=0:0' ||
        grep -v 'JobState=COMPLETED' <<<"$info" | grep -q .; then
        printf '%s\n' "$info" >&2
        return 1
      fi
      return 0
    fi
    sleep 0.2
  done
  printf 'scontrol: %s\n' "${info:-no answer}" >&2
  return 1
}

scenario=$root/scenarios/beijing-parade-2025.toml
array=$(sbatch --parsable --array=0-$((shards - 1)) -D "$work" -o "$work/jobs/%A_%a.out" \
  "$root/scripts/slurm/geosim-array.sbatch" "$work/geosim" "$scenario" "$runs" "$seed" "$work/shards") ||
  fail "sbatch of the array"
say "submitted job array $array ($shards shards of $runs runs)"
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes -D "$work" -o "$work/jobs/merge_%j.out" \
  "$root/scripts/slurm/geosim-merge.sbatch" "$work/geosim" "$work/shards" "$work/merged") ||
  fail "sbatch of the merge"
wait_job "$array" || fail "the array did not finish"
job_ok "$array" || { cat "$work"/jobs/*.out; fail "a shard failed"; }
wait_job "$merge" || fail "the merge did not finish"
job_ok "$merge" || { cat "$work"/jobs/merge_*.out; fail "the merge job failed"; }
say "array $array and merge $merge completed"

"$work/geosim" run "$scenario" -runs "$runs" -seed "$seed" -out "$work/single" -quiet || fail "unsharded run"
for f in summary.json runs.csv timeseries.csv; do
  # Provenance names the scenario as given; both used the same path.
  cmp -s "$work/single/$f" "$work/merged/$f" || fail "$f of the merged shards differs from the unsharded run"
done
say "PASSED: $shards Slurm shards merged byte-identical to one unsharded run ($runs runs)"
