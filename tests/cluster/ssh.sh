#!/usr/bin/env bash
# The README's multi-host GNU parallel line (the one with -S), run exactly as the README
# writes it, against two ssh hosts named host1 and host2 that are this machine: two sshd
# of our own on free high ports, each with its own host key, config and pid, logging in
# with a key made here into a folder of its own that stands for that host's home.  The
# output must equal a direct run line for line (an error's "line" counting within its
# block of 100), parallel must exit 3 (three blocks hold a bad line), each host must have
# run a block, and --basefile must have put the binary and the database in each host's
# home.  Works as root (CI) and as a normal user; ends itself after LIMIT seconds.
#
# Needs: OTIOSE_BIN, OTIOSE_DB, OTIOSE_ROOT; parallel, rsync, ssh, sshd, python3, setsid.
set -euo pipefail

: "${OTIOSE_BIN:?set OTIOSE_BIN to the otiose binary}"
: "${OTIOSE_DB:?set OTIOSE_DB to its database}"
: "${OTIOSE_ROOT:?set OTIOSE_ROOT to the source tree}"
PYTHON=${PYTHON:-python3}
here="$OTIOSE_ROOT/tests/cluster"
fail() { echo "ssh.sh: $*" >&2; exit 1; }

sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || fail "no sshd (Debian: openssh-server)"
for tool in ssh ssh-keygen parallel rsync; do
	command -v "$tool" >/dev/null || fail "no $tool on PATH"
done

# Everything that runs long runs in the background under `wait`, which a signal
# interrupts: on INT or TERM (from make's `timeout`, or the watchdog below) the EXIT trap
# ends the sshd and parallel's process group at once, and removes the folder.
LIMIT=300
tmp=$(mktemp -d)
sshd_pids=()
run_group=""
watchdog=""
cleanup() {
	[ -z "$watchdog" ] || kill -- "-$watchdog" 2>/dev/null || true
	# KILL: parallel answers a first TERM by waiting for its running jobs.
	[ -z "$run_group" ] || kill -KILL -- "-$run_group" 2>/dev/null || true
	for pid in "${sshd_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "ssh.sh: interrupted" >&2; exit 130' INT
trap 'echo "ssh.sh: terminated (from outside, or by the watchdog after $LIMIT s)" >&2; exit 143' TERM
setsid sh -c 'sleep "$1" && kill -TERM "$2"' watchdog "$LIMIT" $$ 2>/dev/null &
watchdog=$!
# PARALLEL_SSH is split at spaces, so the folder's path must have none.
case $tmp in *[[:space:]]*) fail "the temporary folder '$tmp' has white space in its path" ;; esac

# The command line, from the README: the line that starts with `parallel` and has -S,
# and the lines that continue it.
readme_cmd=$(awk '
	go { print; if (!/\\$/) exit; next }
	/^parallel / && / -S / { go = 1; print; if (!/\\$/) exit }' "$OTIOSE_ROOT/README.md")
[ -n "$readme_cmd" ] || fail "README.md has no 'parallel ... -S' line"
case $readme_cmd in *host1*host2*) ;; *) fail "the README's line names no host1 and host2: $readme_cmd" ;; esac

user=$(id -un)
ssh-keygen -q -t ed25519 -N '' -C otiose-test -f "$tmp/id"
# A host's login: its own home folder, then the command ssh was given, in the login shell.
cat >"$tmp/login.sh" <<'EOF'
#!/bin/sh
cd "$1" || exit 1
HOME=$1
export HOME
exec "${SHELL:-/bin/sh}" -c "$SSH_ORIGINAL_COMMAND"
EOF
chmod 755 "$tmp/login.sh"
# sshd running as root needs its privilege separation folder, which only the service's
# start script would otherwise make.
if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd
fi

: >"$tmp/ssh_config"
# start_host NAME: an sshd for NAME on a free port, and NAME's entry in ssh_config.
start_host() {
	local name=$1 dir="$tmp/$1" port pid try i
	mkdir -p "$dir/home"
	ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$dir/host_key"
	cp "$tmp/id.pub" "$dir/authorized_keys"
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		cat >"$dir/sshd_config" <<-EOF
			Port $port
			ListenAddress 127.0.0.1
			HostKey "$dir/host_key"
			PidFile "$dir/sshd.pid"
			AuthorizedKeysFile "$dir/authorized_keys"
			AuthenticationMethods publickey
			PubkeyAuthentication yes
			PasswordAuthentication no
			KbdInteractiveAuthentication no
			PermitRootLogin prohibit-password
			AllowUsers $user
			UsePAM no
			StrictModes no
			ForceCommand "$tmp/login.sh" "$dir/home"
		EOF
		: >"$dir/sshd.log"
		"$sshd" -D -e -f "$dir/sshd_config" -E "$dir/sshd.log" &
		pid=$!
		for i in $(seq 50); do
			grep -q 'Server listening' "$dir/sshd.log" && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null && grep -q 'Server listening' "$dir/sshd.log"; then
			sshd_pids+=("$pid")
			cat >>"$tmp/ssh_config" <<-EOF
				Host $name
				  HostName 127.0.0.1
				  Port $port
				  User $user
				  IdentityFile "$tmp/id"
				  IdentitiesOnly yes
				  BatchMode yes
				  ConnectTimeout 10
				  StrictHostKeyChecking no
				  UserKnownHostsFile "$tmp/known_hosts"
				  LogLevel ERROR
			EOF
			return 0
		fi
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	cat "$dir/sshd.log" >&2
	fail "sshd for $name did not start"
}
start_host host1
start_host host2
for h in host1 host2; do
	got=$(timeout --foreground 30 ssh -F "$tmp/ssh_config" "$h" pwd) ||
		{ cat "$tmp/$h/sshd.log" >&2; fail "cannot ssh to $h"; }
	[ "$got" = "$tmp/$h/home" ] || fail "ssh $h pwd: '$got', not $tmp/$h/home"
done

# The work folder, as the README has it: the binary, its database and jds.jsonl.
work="$tmp/work"
mkdir -p "$work" "$tmp/local-home"
cp "$OTIOSE_BIN" "$work/otiose"
cp "$OTIOSE_DB" "$work/otiose.db"
"$PYTHON" -B "$here/postings.py" make "$OTIOSE_BIN" "$OTIOSE_DB" 240 "$work/jds.jsonl"
rc=0
"$OTIOSE_BIN" translate --jsonl --db "$OTIOSE_DB" <"$work/jds.jsonl" >"$tmp/direct.jsonl" \
	2>"$tmp/direct.err" || rc=$?
[ "$rc" = 1 ] || fail "the direct run exited $rc, not 1 (its input has bad lines)"

echo "ssh.sh: running the README's line against host1 and host2:"
printf '  %s\n' "$readme_cmd"
# HOME: parallel keeps its own files under ~/.parallel; those of this run go in $tmp.
# PARALLEL adds a job log to the line's options, to see which host ran which block.
# setsid (here and for the watchdog): a process group of its own, for the EXIT trap to end
# whole.
(cd "$work" && HOME="$tmp/local-home" PARALLEL_SSH="ssh -F $tmp/ssh_config" \
	PARALLEL="--joblog $tmp/joblog" exec setsid bash -c "$readme_cmd") 2>"$tmp/parallel.err" &
run_group=$!
rc=0
wait "$run_group" || rc=$?
run_group=""
# parallel exits with the number of jobs that failed: here the three blocks of 100 that
# each hold a bad line, and exit 1.
if [ "$rc" != 3 ]; then
	cat "$tmp/parallel.err" >&2
	fail "the README's line exited $rc, not 3 (three blocks hold a bad line)"
fi
"$PYTHON" -B "$here/postings.py" check --block 100 "$work/jds.jsonl" "$tmp/direct.jsonl" \
	"$work/out.jsonl" || fail "out.jsonl differs from the direct run"
for h in host1 host2; do
	grep -q "Accepted publickey for $user " "$tmp/$h/sshd.log" || fail "parallel never logged into $h"
	awk -F'\t' -v h="$h" 'NR > 1 && $2 == h { n++ } END { exit !n }' "$tmp/joblog" ||
		{ cat "$tmp/joblog" >&2; fail "no block ran on $h"; }
	cmp -s "$work/otiose" "$tmp/$h/home/otiose" || fail "--basefile did not put otiose on $h"
	cmp -s "$work/otiose.db" "$tmp/$h/home/otiose.db" ||
		fail "--basefile did not put otiose.db on $h"
done
echo "ssh.sh: $(wc -l <"$work/out.jsonl") lines through host1 and host2 over ssh, the same as a direct run"
