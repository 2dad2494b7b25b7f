# tools/lib.sh: shared by tools/demo and tools/test (sourced, not run).
# Installs what is missing, builds and installs the extension, and runs a
# command inside a throwaway PostgreSQL cluster (Debian's pg_virtualenv).

set -euo pipefail

MM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGVER=${PGVER:-15}
export PATH="/usr/lib/postgresql/$PGVER/bin:$PATH"
# BLAS stays single-threaded in every backend (parallelism is PostgreSQL's).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages the build, the demo and the tests need.
MM_PACKAGES="make gcc pkg-config postgresql-$PGVER postgresql-server-dev-$PGVER \
postgresql-common libgsl-dev liblapacke-dev libopenblas-dev \
postgresql-$PGVER-pgtap libtap-parser-sourcehandler-pgtap-perl \
postgresql-$PGVER-cron chromium libxml2-utils fonts-dejavu-core"
# The browser checks of the report (test/browser/run) skip, saying so, where these cannot be installed.
MM_OPTIONAL_PACKAGES="chromium"

ensure_packages() {
	local missing="" required=""
	for p in $MM_PACKAGES "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "mixmodel: installing$missing" >&2
		as_root apt-get update -qq
		if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
			for p in $missing; do [[ " $MM_OPTIONAL_PACKAGES " == *" $p "* ]] || required="$required $p"; done
			echo "mixmodel: retrying without$(for p in $missing; do [[ " $required " == *" $p "* ]] || printf ' %s' "$p"; done) (browser checks will be skipped)" >&2
			[ -z "$required" ] || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $required >/dev/null
		fi
	fi
}

# Builds, installs and tests share one installed copy of the extension, so
# they hold one lock (several developers may work in one tree).
mm_lock() {
	# (a new name: the old lock file is held by a server orphaned before the fix below)
	exec 9>"${TMPDIR:-/tmp}/mixmodel-build-2.lock"
	flock 9
}

build_install() {
	cd "$MM_ROOT"
	# with_llvm=no: no JIT bitcode, which halves build time and is not needed here
	make -s with_llvm=no PG_CFLAGS="${MM_CFLAGS:--Wall -Wextra}" >/dev/null
	as_root make -s with_llvm=no install >/dev/null
}

# Run "$@" with PG* variables pointing at a fresh cluster that is dropped afterwards.
# The server must not inherit the lock (fd 9): if the run is killed before
# pg_virtualenv drops the cluster, an orphaned server would hold it for ever.
# pg_cron (for the scheduled mixmodel.refresh, doc/operations.md) is preloaded when installed;
# its jobs run in background workers (no connection, so no password) from the job table in
# database postgres.  Without it nothing is preloaded, as before.
in_cluster() {
	local preload=()
	if [ -f "/usr/lib/postgresql/$PGVER/lib/pg_cron.so" ]; then
		preload=(-o shared_preload_libraries=pg_cron -o cron.database_name=postgres
			-o cron.use_background_workers=on -o max_worker_processes=16)
	else
		preload=(-o shared_preload_libraries=)
	fi
	pg_virtualenv -t -v "$PGVER" -o max_parallel_workers_per_gather=2 "${preload[@]}" "$@" 9>&-
}
