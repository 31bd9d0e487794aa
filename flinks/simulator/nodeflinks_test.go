package simulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Conformance with a real, published Flinks client that no one here wrote: node-flinks 0.6.0 (Neo Financial, MIT,
// https://github.com/neofinancial/node-flinks). It keeps its got instance in client.client with a prefixUrl of
// https://{instance}-api.private.fin.ag/v3/{customerId}; the test replaces that prefix with the simulator's.
//
// What the client sends (build/commands/*.js of the installed package): POST BankingServices/Authorize with
// {LoginId, MostRecentCached:true, Save:false} and no flinks-auth-key (an Authorization: Bearer header only when an
// OAuth accessToken is given); POST BankingServices/GetAccountsDetail with PascalCase options and an extra
// MostRecentCached:true, no x-api-key; POST (not GET) BankingServices/GetAccountsDetailAsync/{requestId} with no
// body and no Content-Type. So it works only against a legacy instance.

// testdata/node-flinks pins node-flinks 0.6.0 and every package beneath it (package-lock.json, written by npm with
// their integrity hashes): `npm ci` installs exactly those, so the test cannot change under us when a dependency of
// node-flinks publishes a new version. To move to another version: edit package.json there, run
// `npm install --package-lock-only` in that folder, and commit both files.
const nodeFlinksLock = "testdata/node-flinks"

var nodeFlinks struct {
	once sync.Once
	dir  string
	err  error
}

// installNodeFlinks returns a folder holding node_modules installed from the committed lockfile. The install is
// cached under the user's cache folder, in a folder named after the lockfile's hash: a later run (or another
// worktree) with the same lockfile finds it complete and runs no npm at all; a changed lockfile gets a new folder.
func installNodeFlinks(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the node-flinks conformance test, which needs npm and the npm registry")
	}
	nodeFlinks.once.Do(func() { nodeFlinks.dir, nodeFlinks.err = npmCI(nodeFlinksLock) })
	if nodeFlinks.err != nil {
		t.Fatalf("node-flinks conformance test: %v", nodeFlinks.err)
	}
	return nodeFlinks.dir
}

// npmCI installs the package.json and package-lock.json of src with `npm ci` into the cache, unless that lockfile's
// install is there already, and returns its folder. It installs into a fresh folder and renames it into place only
// once npm succeeded, so an interrupted or concurrent install never leaves a half-filled folder that looks complete.
func npmCI(src string) (string, error) {
	manifest, err := os.ReadFile(filepath.Join(src, "package.json"))
	if err != nil {
		return "", err
	}
	lock, err := os.ReadFile(filepath.Join(src, "package-lock.json"))
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(append(append(manifest, 0), lock...))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	parent := filepath.Join(cache, "flinks-onboard", "node-flinks")
	dir := filepath.Join(parent, hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "node-flinks", "package.json")); err == nil {
		return dir, nil
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("%s is not installed (run make deps, or apt-get install nodejs npm): %w", tool, err)
		}
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, "installing-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed into place
	for name, data := range map[string][]byte{"package.json": manifest, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", err
		}
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm ci of %s failed (is the npm registry reachable?): %v\n%s", src, err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "node-flinks", "package.json")); statErr == nil {
			return dir, nil // another test process installed the same lockfile first
		}
		return "", err
	}
	return dir, nil
}

// nodeScript runs authorize → getAccountsDetail → getAccountsDetailAsync until the data arrives, and prints the
// account ids with their transaction counts, or the FlinksError it got.
const nodeScript = `
const FlinksClient = require('node-flinks').default;
const [base, customerId, loginId] = process.argv.slice(2);
const flinks = new FlinksClient('toolbox', customerId);
flinks.client = flinks.client.extend({ prefixUrl: base + '/v3/' + customerId });
const out = (v) => process.stdout.write(JSON.stringify(v));
(async () => {
  try {
    const auth = await flinks.authorize({ loginId });
    const requestId = auth.requestId;
    let polls = 0;
    let res = await flinks.getAccountsDetail({ requestId, withTransactions: true, daysOfTransactions: 'Days365' });
    const first = res.httpStatusCode;
    while (res.httpStatusCode === 202 && polls < 50) {
      await new Promise((r) => setTimeout(r, 100));
      polls++;
      res = await flinks.getAccountsDetailAsync({ requestId });
    }
    out({ authorizeStatus: auth.httpStatusCode, firstDetailStatus: first, polls, status: res.httpStatusCode,
      accounts: (res.accounts || []).map((a) => ({ id: a.id, transactions: a.transactions.length })) });
  } catch (e) {
    out({ error: e.message, httpStatusCode: e.httpStatusCode, flinksCode: e.flinksCode, flinksMessage: e.flinksMessage });
  }
})();
`

type nodeResult struct {
	AuthorizeStatus, FirstDetailStatus, Polls, Status int
	Accounts                                          []struct {
		ID           string
		Transactions int
	}
	Error, FlinksCode, FlinksMessage string
	HTTPStatusCode                   int
}

func runNodeFlinks(t *testing.T, dir, base, customerID, loginID string) nodeResult {
	t.Helper()
	// The script stays out of the cached install, which other test runs share; require finds node-flinks through
	// NODE_PATH.
	script := filepath.Join(t.TempDir(), "flow.js")
	if err := os.WriteFile(script, []byte(nodeScript), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script, base, customerID, loginID)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	out, err := cmd.Output()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		t.Fatalf("node: %v\n%s", err, exitErr.Stderr)
	} else if err != nil {
		t.Fatal(err)
	}
	var r nodeResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	return r
}

func TestNodeFlinksLegacyInstance(t *testing.T) {
	dir := installNodeFlinks(t)
	opts := Options{Instance: InstanceLegacy, Readiness: 150 * time.Millisecond, Seed: 7}
	sim := New(opts)
	srv := httptest.NewServer(sim) // 127.0.0.1
	defer srv.Close()
	loginID := sim.TestLogins()["greatday_nomfa"]
	r := runNodeFlinks(t, dir, srv.URL, sim.CustomerID(), loginID)
	if r.Error != "" {
		t.Fatalf("node-flinks failed against the legacy instance: %s (%d %s: %s)", r.Error, r.HTTPStatusCode, r.FlinksCode, r.FlinksMessage)
	}
	if r.AuthorizeStatus != 200 || r.FirstDetailStatus != 202 || r.Polls == 0 || r.Status != 200 {
		t.Errorf("flow: authorize %d, GetAccountsDetail %d, %d Async polls, final %d; want 200, 202, >0 polls, 200",
			r.AuthorizeStatus, r.FirstDetailStatus, r.Polls, r.Status)
	}

	// What the simulator generated for that login: every account, a year of transactions.
	info, _ := sim.Login(loginID)
	prof := generateProfile(opts.Seed, loginID)
	if len(r.Accounts) != len(prof.accounts) {
		t.Fatalf("node-flinks got %d accounts, the simulator generated %d", len(r.Accounts), len(prof.accounts))
	}
	for i, a := range prof.accounts {
		want := 0
		for range a.history(info.LastRefresh, sim.opts.Transactions, 365) {
			want++
		}
		if r.Accounts[i].ID != a.id || r.Accounts[i].Transactions != want {
			t.Errorf("account %d: node-flinks got %s with %d transactions, want %s with %d", i, r.Accounts[i].ID,
				r.Accounts[i].Transactions, a.id, want)
		}
	}
}

func TestNodeFlinksStrictInstanceRefuses(t *testing.T) {
	dir := installNodeFlinks(t)
	sim := New(Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	r := runNodeFlinks(t, dir, srv.URL, sim.CustomerID(), sim.TestLogins()["greatday_nomfa"])
	if r.HTTPStatusCode != 401 || r.FlinksCode != codeUnauthorized || r.FlinksMessage != msgInvalidAuthorizeToken ||
		!strings.HasPrefix(r.Error, "authorize: 401 UNAUTHORIZED") {
		t.Fatalf("node-flinks against a strict instance: %+v; want the documented 401 UNAUTHORIZED on authorize", r)
	}
}
