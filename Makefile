# flinks-onboard: `make run` sets up and starts the app; `make test` sets up and passes the tests.
# Every target builds with the same flags, so Fyne's slow first cgo build (go-gl, ~3 min) happens once; make test's smoke
# binary (race-build, -race) has a cache entry of its own.

BIN      := bin/flinks-onboard
# The app built with -race, for the smoke tests of make test (main_test.go): the real window and driver under the
# race detector.
RACE_BIN := bin/flinks-onboard-race
VERSION  := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS  := -ldflags "-X main.version=$(VERSION)"
# FyneApp.toml's [Migrations] fyneDo = true makes `fyne package` build with migrated_fynedo (Fyne's own thread checks
# off: every widget update goes through fyne.Do); every target here builds with the same tag, so a development build
# behaves like a release (docs/design.md, "Threading"). The tag does not touch go-gl, so it costs no cgo rebuild.
TAGS     := migrated_fynedo
# Fuzzing budgets count executions, not seconds: a timed run lets a hanging input pass (scripts/fuzz.sh).
FUZZCOUNT ?= 40000x
# Fyne cannot parse the POSIX "C" locale; tests and the GUI run in English unless the user's LANG says otherwise.
TEST_ENV := LANG=en_US.UTF-8 FLINKS_ONBOARD_BIN=$(abspath $(RACE_BIN))

.PHONY: all deps deps-build build race-build run test test-packages test-app bench fuzz soak lint lint-code lint-windows docs package package-windows package-check screenshots bench-startup clean

all: build

deps:
	@scripts/deps.sh all
	@scripts/staticcheck.sh install
	@scripts/actionlint.sh install

deps-build:
	@scripts/deps.sh build

build: deps-build
	@scripts/first-build-note.sh -tags "$(TAGS)" $(LDFLAGS)
	go build -tags "$(TAGS)" $(LDFLAGS) -o $(BIN) .

run: build
	./$(BIN)

# -race recompiles Fyne's OpenGL driver once more (its own build cache entry). Its C code is compiled without
# optimisation (CGO_CFLAGS=-O0): the smoke binary runs for seconds, and gcc -O2 on go-gl's generated C took 240 s
# where -O0 took 170 s on this machine. make build keeps Go's default, so make run's binary is unchanged.
race-build: deps-build
	@CGO_CFLAGS=-O0 scripts/first-build-note.sh -race -tags "$(TAGS)" $(LDFLAGS)
	CGO_CFLAGS=-O0 go build -race -tags "$(TAGS)" $(LDFLAGS) -o $(RACE_BIN) .

# The whole suite runs inside a private D-Bus session with a real Secret Service (scripts/with-keyring.sh) and a
# virtual X server (for the smoke tests of the real window). -tags ci makes Fyne's app package headless for the
# in-process screen tests, which keeps -race from recompiling go-gl.
# Two lines of work share the two cores (make -j2), so neither waits for the other's slowest part:
# - test-packages: lint-code (gofmt, go vet, staticcheck, actionlint), then every package's tests under -race but
#   those of APP_TESTS (the screen tests of ui are the longest, about 2 minutes), with the short soak (./soak: the
#   loopback flood and the fault-mix fetches, 20-35 s).
# - test-app: the app built with -race (race-build: Fyne's driver compiled in C for minutes, on one core), the tests
#   that start it (APP_TESTS: main_test.go's smoke tests, the real window and a fetch that polls; the store shared
#   by many processes), the Windows cross-build (lint-windows), then every fuzz target for 8000 inputs
#   (scripts/fuzz.sh, the loop make fuzz runs too).
# The smoke tests run that -race build rather than make build's: one cgo build of Fyne's driver instead of two on
# a fresh machine (make run builds the other once, later).
test: deps
	@$(MAKE) --no-print-directory -j2 test-packages test-app

# $(call test_run,N): go test under -race, a private Secret Service and an X server. The two lines of work search for
# a free display from different numbers (-n), so that starting at the same moment they cannot take the same one.
test_run = $(TEST_ENV) xvfb-run -a -n $(1) -s "-screen 0 1280x800x24" scripts/with-keyring.sh go test -race -tags "ci $(TAGS)" -count=1

# The packages whose tests start the built app (FLINKS_ONBOARD_BIN): the smoke tests, and the store shared by many
# processes (storage/realkeychain), the starter back end (its generated project's tests start `simulate`). They run
# once race-build has written it; test-packages runs every other package.
APP_TESTS := . ./storage/realkeychain ./backend

test-packages: lint-code
	$(call test_run,99) $$(go list ./... | grep -vxF "$$(go list $(APP_TESTS))")

test-app: race-build
	$(call test_run,150) $(APP_TESTS)
	@$(MAKE) --no-print-directory lint-windows
	$(TEST_ENV) scripts/fuzz.sh 8000x -tags "ci $(TAGS)"

bench: deps
	$(TEST_ENV) go test -tags "ci $(TAGS)" -run '^$$' -bench . -benchmem ./...

# Runs every fuzz target for FUZZCOUNT inputs (go test -fuzz takes one target per run; the loop is scripts/fuzz.sh).
fuzz: deps
	$(TEST_ENV) scripts/fuzz.sh $(FUZZCOUNT) -tags "ci $(TAGS)"

# The long soak (a few minutes, not in make test): the loopback flood and 240 fetches under the fault mix, printed
# as a table of requests, success rate, memory and goroutines before and after (SECURITY.md keeps the last figures).
soak: deps
	$(TEST_ENV) go test -tags "ci $(TAGS)" -count=1 -v -run . ./soak -soak.long

# staticcheck (pinned in scripts/staticcheck.sh) checks with the tests' tags: -tags ci leaves go-gl out, so it
# never starts another cgo build of Fyne's driver.
lint: lint-code lint-windows

lint-code:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@# vet and staticcheck read the packages compiled with -race, the very ones go test -race compiles next: on a
	@# fresh machine every dependency (Fyne's included) is compiled once instead of twice.
	go vet -race -tags "ci $(TAGS)" ./...
	GOFLAGS=-race scripts/staticcheck.sh -tags "ci $(TAGS)" ./...
	@# The CI workflow a public repository carries (pinned in scripts/actionlint.sh).
	scripts/actionlint.sh .github/workflows/ci.yml

# The Windows code paths (file locks, the scratch folder's process check, go-keyring's Credential Manager, the
# browser opener) must compile: cross-compiled, never run, here. The Fyne front end (ui, main) has no Windows code of
# its own; compiling Fyne for Windows too took a fresh lint as long again, so it is left to make package-windows and
# the Windows job of .github/workflows/ci.yml.
lint-windows:
	GOOS=windows CGO_ENABLED=0 go build -tags "ci $(TAGS)" $$(go list ./... | grep -vE '^flinks-onboard(/ui(/.*)?|/tools/minimalwindow)?$$')

# The command-line reference, from the cobra commands: Markdown pages in docs/cli/, man pages in docs/cli/man/.
# Checked in; tools/clidocs/main_test.go fails when they are stale.
docs:
	go run -tags "$(TAGS)" ./tools/clidocs docs/cli

# A Linux package (tar.xz with the desktop entry and icon) through fyne.io/tools; see scripts/package.sh for the name
# and the build number.
package: deps-build
	@scripts/package.sh

# flinks-onboard.exe for Windows, cross-compiled with MinGW-w64 (compiled here, not run: see the README).
package-windows:
	@scripts/deps.sh windows
	@scripts/package-windows.sh

# Packages a fresh clone of HEAD and checks the desktop entry's Name and that git status stays clean (3+ minutes).
package-check: deps-build
	@scripts/check-package.sh

# Every screen at 800×600, 1280×800 and 2560×1440, in English and French, into docs/screenshots/ (real windows
# under Xvfb and openbox when installed, a real keychain from scripts/with-keyring.sh): Accounts and Go-live loaded.
screenshots: build
	scripts/screenshots.sh

# Start-up against a minimal Fyne window of the same version, alternated in one run; prints the ratios.
bench-startup: build
	scripts/bench-startup.sh

clean:
	rm -rf bin flinks-onboard.tar.xz flinks-onboard.exe
