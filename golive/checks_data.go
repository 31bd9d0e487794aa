package golive

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"flinks-onboard/flinks"
)

// loginTestUser logs in a Toolbox test user and remembers its loginId as a secret of the check.
func loginTestUser(ctx context.Context, r *checkRun, c *flinks.Client, username string, mfa flinks.MFAFunc) (loginID, requestID string, err error) {
	loginID, requestID, err = flinks.LoginTestUser(ctx, c, username, testUserPassword, testInstitution, mfa)
	r.secret(loginID)
	if err != nil {
		return "", requestID, fmt.Errorf("logging in %s: %w", username, err)
	}
	return loginID, requestID, nil
}

// clientWithTestLogin is the start of the checks that need data: a client for the run, and a fresh direct login of
// the test user without security questions (its loginId registered as a secret of the run).
func (r *checkRun) clientWithTestLogin(ctx context.Context) (*flinks.Client, string, error) {
	c, err := r.client()
	if err != nil {
		return nil, "", err
	}
	loginID, _, err := loginTestUser(ctx, r, c, userNoMFA, nil)
	if err != nil {
		return nil, "", err
	}
	return c, loginID, nil
}

// accountsCount is how many accounts and transactions detail holds, for a summary.
func accountsCount(detail *flinks.AccountsDetail) (accounts, transactions int) {
	for _, a := range detail.Accounts {
		transactions += len(a.Transactions)
	}
	return len(detail.Accounts), transactions
}

func checkCachedData(ctx context.Context, r *checkRun) (string, error) {
	c, loginID, err := r.clientWithTestLogin(ctx)
	if err != nil {
		return "", err
	}
	detail, err := flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: loginID, WithTransactions: true}, nil, nil)
	if err != nil {
		return "", err
	}
	if len(detail.Accounts) == 0 {
		return "", &checkFailure{msg: "GetAccountsDetail answered with no account",
			hint: r.say("hint.data.cached.no-account", "greatday_nomfa has accounts in every Toolbox: check the instance and send the RequestId to Flinks support.")}
	}
	accounts, transactions := accountsCount(detail)
	if waited := r.waitedFor(); waited > 0 {
		return r.say("summary.data.cached.waited", "cached /Authorize then GetAccountsDetail returned %d accounts, %d transactions (RequestId %s), after %d answers of 202 (still processing)",
			accounts, transactions, detail.RequestId, waited), nil
	}
	return r.say("summary.data.cached", "cached /Authorize then GetAccountsDetail returned %d accounts, %d transactions (RequestId %s)",
		accounts, transactions, detail.RequestId), nil
}

// waitedFor is how many answers were 202 (still processing), for a summary.
func (r *checkRun) waitedFor() int {
	evidence, _ := r.collected()
	n := 0
	for _, e := range evidence {
		if e.HTTPStatus == http.StatusAccepted {
			n++
		}
	}
	return n
}

func checkLiveMFA(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	var mu sync.Mutex
	questions := 0
	answer := func(_ context.Context, challenges []flinks.SecurityChallenge) (map[string][]string, error) {
		mu.Lock()
		questions += len(challenges)
		mu.Unlock()
		return flinks.MatchAnswers(challenges, flinks.TestUserAnswers)
	}
	loginID, _, err := loginTestUser(ctx, r, c, userMFA, answer)
	if err != nil {
		return "", err
	}
	detail, err := flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: loginID, Live: true, WithTransactions: true}, answer, nil)
	if err != nil {
		return "", fmt.Errorf("refreshing live: %w", err)
	}
	if questions == 0 {
		return "", &checkFailure{msg: "Greatday was never asked a security question",
			hint: r.say("hint.data.live-mfa.no-question", "Greatday is documented as answering 203 with security questions; check the institution is Flinks Capital.")}
	}
	accounts, transactions := accountsCount(detail)
	return r.say("summary.data.live-mfa", "answered %d security questions; the live refresh returned %d accounts, %d transactions (RequestId %s)",
		questions, accounts, transactions, detail.RequestId), nil
}

// errorUserCheck checks one test user whose login ends in a documented error (refusal) or wait (pending).
func errorUserCheck(username, wantCode string, pending bool) checkFunc {
	return func(ctx context.Context, r *checkRun) (string, error) {
		c, err := r.client()
		if err != nil {
			return "", err
		}
		_, requestID, err := loginTestUser(ctx, r, c, username, nil)
		if pending {
			if err != nil {
				return "", err
			}
			if !r.sawCode(wantCode) && requestID != "" {
				// The docs do not say which call answers 202 (docs/flinks-contract.md, "Documented variants"): when
				// /Authorize answered 200, the 202 comes from GetAccountsDetail.
				if _, err := c.GetAccountsDetail(ctx, flinks.AccountsDetailRequest{RequestID: requestID}, nil); err != nil {
					return "", err
				}
			}
			if !r.sawCode(wantCode) {
				return "", &checkFailure{msg: fmt.Sprintf("the data came without a 202 %s first", wantCode), code: wantCode,
					hint: r.say("hint.testusers.no-wait", "%s is documented as answering 202 %s; the integration must handle that wait, so test it with another instance if this one skips it.", username, wantCode)}
			}
			if waited := r.waitedFor(); waited > 0 {
				return r.say("summary.testusers.waited", "Flinks answered 202 %s (from %s), then the data, after %d answers of 202 (still processing); the app explains: %s",
					wantCode, r.endpointOfCode(wantCode), waited, flinks.Hint(wantCode)), nil
			}
			return r.say("summary.testusers.pending", "Flinks answered 202 %s (from %s), then the data; the app explains: %s",
				wantCode, r.endpointOfCode(wantCode), flinks.Hint(wantCode)), nil
		}
		got := flinks.ErrorCode(err)
		switch {
		case err == nil:
			return "", &checkFailure{msg: fmt.Sprintf("the login succeeded, but %s should be refused with %s", username, wantCode),
				code: wantCode, hint: r.say("hint.testusers.not-refused", "Check the institution is Flinks Capital in a sandbox: its test users behave as documented.")}
		case got != wantCode:
			return "", fmt.Errorf("expected %s: %w", wantCode, err)
		case flinks.Hint(got) == "":
			return "", &checkFailure{msg: fmt.Sprintf("Flinks answered %s, which the app does not explain", got), code: got,
				hint: r.say("hint.testusers.unexplained", "This is a gap in the app: please report it.")}
		}
		return r.say("summary.testusers.refused", "Flinks answered %s; the app explains: %s", got, flinks.Hint(got)), nil
	}
}

// endpointOfCode names the endpoint of the first exchange that carried code, e.g. "Authorize".
func (r *checkRun) endpointOfCode(code string) string {
	evidence, _ := r.collected()
	for _, e := range evidence {
		if e.FlinksCode == code {
			path := e.URL
			if i := strings.IndexByte(path, '?'); i >= 0 {
				path = path[:i]
			}
			return "/" + path[strings.LastIndexByte(path, '/')+1:]
		}
	}
	return "?"
}

// sawCode reports whether an exchange of this check carried code.
func (r *checkRun) sawCode(code string) bool {
	evidence, _ := r.collected()
	return slices.ContainsFunc(evidence, func(e Evidence) bool { return e.FlinksCode == code })
}

// checkDeleteCard proves DeleteCard on a login it creates for the purpose, and only on such a login: never a saved
// login (ChecklistOptions.KeepLoginIDs), never a loginId it did not create (docs/flinks-contract.md, "DeleteCard").
// It logs greatday_nomfa in twice, once plainly and once with a Tag of its own; only if the tagged login got a
// loginId of its own (an instance that gives each link its own loginId, as the simulator does for tagged direct
// logins) is that loginId disposable. Otherwise, and in production, it leaves the item to a person.
func checkDeleteCard(ctx context.Context, r *checkRun) (string, error) {
	if r.opts.Env.IsProduction() {
		return "", &skipError{r.say("summary.data.delete-card.production", "not run in production: the checklist creates no login there to delete. Delete a login you created yourself (Saved logins → Delete at Flinks) and note it here.")}
	}
	c, err := r.client()
	if err != nil {
		return "", err
	}
	shared, _, err := loginTestUser(ctx, r, c, userNoMFA, nil)
	if err != nil {
		return "", err
	}
	tag := "golive-deletecard-" + flinks.NewUUID()[:8]
	loginID, requestID, err := flinks.LoginTestUserTagged(ctx, c, userNoMFA, testUserPassword, testInstitution, tag, nil)
	r.secret(loginID)
	if err != nil {
		return "", fmt.Errorf("logging in %s for a login to delete: %w", userNoMFA, err)
	}
	if loginID == shared || slices.Contains(r.opts.KeepLoginIDs, loginID) {
		return "", &skipError{r.say("summary.data.delete-card.shared", "not run: this instance gave the new login of %s the loginId it already had (%s), which others may be using, so the checklist deleted nothing. Delete a login you created yourself (Saved logins → Delete at Flinks) and note it here.",
			userNoMFA, flinks.Mask(loginID))}
	}
	// DeleteCard answers CARD_IN_USE while Flinks still builds the login's data: wait for the data first. Its
	// failure is not this check's business; CARD_IN_USE below will say so if the data never came.
	_, _ = c.GetAccountsDetail(ctx, flinks.AccountsDetailRequest{RequestID: requestID}, nil)
	attempt := 1
	for ; ; attempt++ {
		err = c.DeleteCard(ctx, loginID)
		if flinks.ErrorCode(err) != flinks.CodeCardInUse || attempt == deleteAttempts {
			break
		}
		if sleepErr := r.opts.Clock.Sleep(ctx, r.opts.DeleteRetryDelay); sleepErr != nil {
			break
		}
	}
	if err != nil {
		if flinks.ErrorCode(err) == flinks.CodeCardInUse {
			r.setNote(r.say("note.data.delete-card.tries", "DeleteCard was tried %d times, %s apart.", attempt, r.opts.DeleteRetryDelay))
		}
		return "", err
	}
	_, err = c.Authorize(ctx, flinks.AuthorizeRequest{LoginID: loginID})
	if flinks.ErrorCode(err) != flinks.CodeInvalidLogin {
		outcome := "it was authorized"
		if err != nil {
			outcome = err.Error()
		}
		return "", &checkFailure{msg: "DeleteCard answered success, but a cached /Authorize of the deleted loginId did not answer INVALID_LOGIN: " + outcome,
			hint: r.say("hint.data.delete-card.still-there", "The login may not really be deleted: send the RequestIds in the evidence to Flinks support.")}
	}
	if _, err := c.Authorize(ctx, flinks.AuthorizeRequest{LoginID: shared}); err != nil {
		return "", &checkFailure{msg: "after DeleteCard of the checklist's own login, the test user's other login no longer authorizes: " + err.Error(),
			hint: r.say("hint.data.delete-card.removed-more", "DeleteCard removed more than the loginId it was given: send the RequestIds in the evidence to Flinks support.")}
	}
	return r.say("summary.data.delete-card", "DeleteCard deleted %s, a login the checklist created for the purpose (attempt %d); a cached /Authorize then answered INVALID_LOGIN, and %s's other login %s still authorizes",
		flinks.Mask(loginID), attempt, userNoMFA, flinks.Mask(shared)), nil
}
