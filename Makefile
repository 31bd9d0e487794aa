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

.PHONY: all deps deps-build build race-build run test bench fuzz soak lint package package-windows package-check screenshots bench-startup clean

all: build

deps:
	@scripts/deps.sh all
	@scripts/staticcheck.sh install

deps-build:
	@scripts/deps.sh build

build: deps-build
	@scripts/first-build-note.sh -tags "$(TAGS)" $(LDFLAGS)
	go build -tags "$(TAGS)" $(LDFLAGS) -o $(BIN) .

run: build
	./$(BIN)

# -race recompiles Fyne's OpenGL driver once more (its own build cache entry, about as long as the first build).
race-build: deps-build
	@scripts/first-build-note.sh -race -tags "$(TAGS)" $(LDFLAGS)
	go build -race -tags "$(TAGS)" $(LDFLAGS) -o $(RACE_BIN) .

# The whole suite runs inside a private D-Bus session with a real Secret Service (scripts/with-keyring.sh) and a
# virtual X server (for the smoke test of the real window). -tags ci makes Fyne's app package headless for the
# in-process screen tests, which keeps -race from recompiling go-gl.
# lint (gofmt, go vet and staticcheck) must pass before the tests run.
# The suite includes the short soak (./soak: the loopback flood and the fault-mix fetches, 20–35 s); then every
# fuzz target runs 8000 inputs (scripts/fuzz.sh, the loop make fuzz runs too; about 3 s each on 2 cores).
# The smoke tests run the app built with -race (race-build) rather than make build's: one cgo build of Fyne's
# driver instead of two on a fresh machine (make run builds the other once, later). lint and race-build run side by
# side: the driver's cgo compile keeps one core busy for minutes, lint uses the other.
test: deps
	@$(MAKE) --no-print-directory -j2 lint race-build
	$(TEST_ENV) xvfb-run -a -s "-screen 0 1280x800x24" scripts/with-keyring.sh go test -race -tags "ci $(TAGS)" -count=1 ./...
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
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet -tags "ci $(TAGS)" ./...
	scripts/staticcheck.sh -tags "ci $(TAGS)" ./...
	@# The Windows code paths (go-keyring's Credential Manager, the browser opener, paths) must compile: the
	@# Windows build is cross-compiled, never run, here (make package-windows).
	GOOS=windows CGO_ENABLED=0 go build -tags "ci $(TAGS)" ./...

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
