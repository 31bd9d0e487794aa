package simulator

import (
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

const nodeFlinksVersion = "0.6.0"

var nodeFlinks struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if nodeFlinks.dir != "" {
		os.RemoveAll(nodeFlinks.dir)
	}
	os.Exit(code)
}

// installNodeFlinks installs node-flinks once per test run and returns the folder that holds node_modules.
func installNodeFlinks(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the node-flinks conformance test, which needs npm and the npm registry")
	}
	nodeFlinks.once.Do(func() {
		for _, tool := range []string{"node", "npm"} {
			if _, err := exec.LookPath(tool); err != nil {
				nodeFlinks.err = fmt.Errorf("%s is not installed (run make deps, or apt-get install nodejs npm): %w", tool, err)
				return
			}
		}
		dir, err := os.MkdirTemp("", "node-flinks-")
		if err != nil {
			nodeFlinks.err = err
			return
		}
		nodeFlinks.dir = dir
		cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--no-save", "node-flinks@"+nodeFlinksVersion)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			nodeFlinks.err = fmt.Errorf("npm install node-flinks@%s failed (is the npm registry reachable?): %v\n%s",
				nodeFlinksVersion, err, out)
		}
	})
	if nodeFlinks.err != nil {
		t.Fatalf("node-flinks conformance test: %v", nodeFlinks.err)
	}
	return nodeFlinks.dir
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
	script := filepath.Join(dir, "flow.js")
	if err := os.WriteFile(script, []byte(nodeScript), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script, base, customerID, loginID)
	cmd.Dir = dir
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
