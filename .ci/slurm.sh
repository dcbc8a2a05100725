#!/usr/bin/env bash
# A one-node Slurm cluster on this host, for the tests and for development.
#   eval "$(.ci/slurm.sh start)"   installs slurm-wlm and munge when missing, writes
#                                  slurm.conf under a temporary folder, starts munged,
#                                  slurmctld and slurmd, and prints `export SLURM_CONF=...`
#   .ci/slurm.sh stop              stops what `start` started and removes its folder
# The folder is $CSCLIR_SLURM_DIR (default /tmp/csclir-slurm-<uid>). Runs as root.
set -euo pipefail

dir="${CSCLIR_SLURM_DIR:-/tmp/csclir-slurm-$(id -u)}"
host="$(hostname -s)"
cpus="$(nproc)"

start() {
  if ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    echo "installing slurm-wlm and munge" >&2
    apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge >&2
  fi
  if [ -f "$dir/slurm.conf" ] && SLURM_CONF="$dir/slurm.conf" squeue -h >/dev/null 2>&1; then
    echo "export SLURM_CONF=$dir/slurm.conf"
    return
  fi
  mkdir -p "$dir/state" "$dir/spool"
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key >&2
  # A munged that answers (not just a process of that name) is reused.
  if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    munged --force --pid-file "$dir/munged.pid" >&2
  fi
  cat >"$dir/slurm.conf" <<EOF
ClusterName=csclir
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=3600
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$SLURM_CONF" >&2
  slurmd -f "$SLURM_CONF" >&2
  for _ in $(seq 1 60); do
    if [ "$(sinfo -h -o %T 2>/dev/null)" = "idle" ]; then
      echo "export SLURM_CONF=$SLURM_CONF"
      return
    fi
    sleep 0.5
  done
  echo "slurm did not come up; logs in $dir" >&2
  exit 1
}

stop() {
  for d in slurmd slurmctld munged; do
    if [ -f "$dir/$d.pid" ]; then
      kill "$(cat "$dir/$d.pid")" 2>/dev/null || true
    fi
  done
  sleep 1
  rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
